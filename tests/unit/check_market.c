/* SPDX-License-Identifier: MIT */
/*
 * check_market.c - the pager and the answer converters against canned
 * JSON: queries, inclusive boundaries, dedupe of overlapping pages, gaps,
 * the open candle, id paging of aggregate trades, oi windows, refusals;
 * the weight budget with a fake clock; archive CSV rows.
 */
#include <check.h>
#include <unistd.h>

#include "compat.h"
#include "archive.h"
#include "bftime.h"
#include "http.h"
#include "json.h"
#include "market.h"
#include "store.h"
#include "util.h"

#define H 3600000LL

/* What the emit and gap callbacks saw. */
struct seen {
	int64_t keys[64];
	int n;
	int64_t gap_first, gap_last, gap_bars;
	int gaps;
	char last[256];	/* the last row, comma-joined */
};

static int
emit(void *ctx, const struct bf_field *f, size_t n, int64_t key,
    struct bf_err *err)
{
	struct seen *s = ctx;
	size_t w = 0;

	(void)err;
	ck_assert_int_lt(s->n, 64);
	s->keys[s->n++] = key;
	for (size_t i = 0; i < n; i++) {
		if (i)
			s->last[w++] = ',';
		memcpy(s->last + w, f[i].s, f[i].len);
		w += f[i].len;
	}
	s->last[w] = '\0';
	return 0;
}

static void
gap(void *ctx, int64_t first, int64_t last, int64_t bars)
{
	struct seen *s = ctx;

	s->gaps++;
	s->gap_first = first;
	s->gap_last = last;
	s->gap_bars = bars;
}

/* A kline array of open time 't' (1h) as JSON text into 'b'. */
static void
kline(struct bf_buf *b, int64_t t)
{
	bf_buf_printf(b, "%s[%lld,\"1.10\",\"2\",\"0.5\",\"1.5\",\"10.000\","
	    "%lld,\"15\",7,\"4\",\"6\",\"0\"]", b->len > 1 ? "," : "",
	    (long long)t, (long long)(t + H - 1));
}

/* Feed 'p' the page of klines 'ts' ('n' of them). */
static int
feed_klines(struct bf_pager *p, const int64_t *ts, int n, struct bf_err *err)
{
	struct bf_buf b = BF_BUF_INIT;
	struct bf_json js = BF_JSON_INIT;
	int r;

	bf_buf_addc(&b, '[');
	for (int i = 0; i < n; i++)
		kline(&b, ts[i]);
	bf_buf_addc(&b, ']');
	ck_assert_int_eq(bf_json_parse(&js, b.buf, b.len, err), 0);
	r = bf_pager_feed(p, &js, err);
	bf_json_release(&js);
	bf_buf_release(&b);
	return r;
}

/* Feed 'p' the JSON text 's'. */
static int
feed_text(struct bf_pager *p, const char *s, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	char *t = bf_strdup(s);
	int r;

	ck_assert_int_eq(bf_json_parse(&js, t, strlen(t), err), 0);
	r = bf_pager_feed(p, &js, err);
	bf_json_release(&js);
	free(t);
	return r;
}

START_TEST(klines_paging)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	struct bf_pager p;
	struct bf_buf q = BF_BUF_INIT;
	struct seen s = { 0 };
	int64_t t0 = 1704067200000LL;
	int64_t page1[] = { t0, t0 + H, t0 + 2 * H };
	int64_t page2[] = { t0 + 2 * H, t0 + 3 * H, t0 + 5 * H };

	ck_assert_int_eq(bf_interval_parse("1h", &iv, &err), 0);
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv, t0,
	    t0 + 10 * H, t0 + 100 * H);
	p.emit = emit;
	p.gap = gap;
	p.ctx = &s;
	ck_assert_int_eq(bf_pager_weight(&p), 10);
	p.limit = 3;
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert_str_eq(q.buf, "symbol=BTCUSDT&interval=1h&"
	    "startTime=1704067200000&endTime=1704103200000&limit=3");
	ck_assert_int_eq(feed_klines(&p, page1, 3, &err), 0);
	ck_assert(!p.done);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	/* The next page starts right after the last open time. */
	ck_assert(strstr(q.buf, "startTime=1704074400001&") != NULL);
	/* An overlapping page: the repeated row is dropped. */
	ck_assert_int_eq(feed_klines(&p, page2, 3, &err), 0);
	ck_assert_int_eq(s.n, 5);
	ck_assert_int_eq(s.keys[3], t0 + 3 * H);
	ck_assert_int_eq(s.keys[4], t0 + 5 * H);
	ck_assert_int_eq(s.gaps, 1);
	ck_assert_int_eq(s.gap_first, t0 + 4 * H);
	ck_assert_int_eq(s.gap_last, t0 + 4 * H);
	ck_assert_int_eq(s.gap_bars, 1);
	ck_assert_str_eq(s.last, "1704085200000,1.10,2,0.5,1.5,10.000,"
	    "1704088799999,15,7,4,6");
	/* An empty page ends the range. */
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert_int_eq(feed_klines(&p, page2, 0, &err), 0);
	ck_assert(p.done);
	ck_assert_int_eq(bf_pager_query(&p, &q), 0);
	bf_buf_release(&q);
}
END_TEST

START_TEST(klines_page_size)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	struct bf_pager p;
	struct bf_buf q = BF_BUF_INIT;
	int64_t t0 = 1704067200000LL;

	/* Five candles left: ask for 6 (weight 1), not 1500 (weight 10). */
	bf_interval_parse("1h", &iv, &err);
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv, t0,
	    t0 + 4 * H, t0 + 100 * H);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "&limit=6") != NULL);
	ck_assert_int_eq(bf_pager_weight(&p), 1);
	/* A long range: the maximum. */
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv, t0,
	    t0 + 4000 * H, t0 + 5000 * H);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "&limit=1500") != NULL);
	ck_assert_int_eq(bf_pager_weight(&p), 10);
	bf_buf_release(&q);
}
END_TEST

START_TEST(klines_bounds_and_open)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	struct bf_pager p;
	struct seen s = { 0 };
	int64_t t0 = 1704067200000LL;
	int64_t page[] = { t0 - H, t0, t0 + H, t0 + 2 * H };

	bf_interval_parse("1h", &iv, &err);
	/* Both ends inclusive; rows outside are dropped. */
	bf_pager_init(&p, bf_mkt_series_find("mark"), "BTCUSDT", &iv, t0,
	    t0 + H, t0 + 100 * H);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(feed_klines(&p, page, 4, &err), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.keys[0], t0);
	ck_assert_int_eq(s.keys[1], t0 + H);
	ck_assert(p.done);
	/* The open candle (closing after 'now') ends the range... */
	memset(&s, 0, sizeof(s));
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv, t0,
	    t0 + 10 * H, t0 + 2 * H + 5);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(feed_klines(&p, page, 4, &err), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert(p.done);
	/* ...unless it is asked for. */
	memset(&s, 0, sizeof(s));
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv, t0,
	    t0 + 10 * H, t0 + 2 * H + 5);
	p.include_open = true;
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(feed_klines(&p, page, 4, &err), 0);
	ck_assert_int_eq(s.n, 3);
}
END_TEST

START_TEST(refusals_and_garbage)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_pager p;
	struct seen s = { 0 };

	bf_pager_init(&p, bf_mkt_series_find("funding"), "X", NULL, 0, 1000,
	    2000);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(feed_text(&p, "{\"code\":-1121,\"msg\":\"Invalid "
	    "symbol.\"}", &err), BF_EUPSTREAM);
	ck_assert_int_eq(err.upstream, -1121);
	ck_assert_str_eq(err.msg, "Invalid symbol (-1121)");
	ck_assert_int_eq(feed_text(&p, "{\"a\":1}", &err), BF_EFAIL);
	ck_assert_int_eq(feed_text(&p, "[{\"fundingTime\":5},"
	    "{\"fundingTime\":3}]", &err), BF_EFAIL);
	ck_assert(strstr(err.msg, "out of order") != NULL);
	ck_assert_int_eq(feed_text(&p, "[{\"fundingRate\":\"1\"}]", &err),
	    BF_EFAIL);
	ck_assert(strstr(err.msg, "fundingTime") != NULL);
}
END_TEST

START_TEST(funding_rows)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_pager p;
	struct seen s = { 0 };
	struct bf_buf q = BF_BUF_INIT;

	bf_pager_init(&p, bf_mkt_series_find("funding"), "BTCUSDT", NULL,
	    1000, 100000, 200000);
	p.emit = emit;
	p.ctx = &s;
	p.limit = 2;
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert_str_eq(q.buf,
	    "symbol=BTCUSDT&startTime=1000&endTime=100000&limit=2");
	ck_assert_int_eq(feed_text(&p, "[{\"symbol\":\"BTCUSDT\","
	    "\"fundingTime\":1002,\"fundingRate\":\"0.00010000\","
	    "\"markPrice\":\"\"},{\"symbol\":\"BTCUSDT\",\"fundingTime\":"
	    "29000,\"fundingRate\":\"-0.00002000\",\"markPrice\":"
	    "\"42000.10000000\"}]", &err), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.last, "29000,BTCUSDT,-0.00002000,42000.10000000");
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "startTime=29001&") != NULL);
	/* A page shorter than asked for (a server paging smaller): go on. */
	ck_assert_int_eq(feed_text(&p, "[{\"symbol\":\"BTCUSDT\","
	    "\"fundingTime\":57800,\"fundingRate\":\"0.1\"}]", &err), 0);
	ck_assert(!p.done);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "startTime=57801&") != NULL);
	ck_assert_int_eq(feed_text(&p, "[]", &err), 0);
	ck_assert(p.done);
	ck_assert_int_eq(s.n, 3);
	bf_buf_release(&q);
}
END_TEST

START_TEST(aggtrades_by_id)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_pager p;
	struct seen s = { 0 };
	struct bf_buf q = BF_BUF_INIT;
	int64_t t0 = 1704067200000LL;

	bf_pager_init(&p, bf_mkt_series_find("aggtrades"), "BTCUSDT", NULL, t0,
	    t0 + 3 * H, t0 + 10 * H);
	p.emit = emit;
	p.ctx = &s;
	p.limit = 2;
	ck_assert_int_eq(bf_pager_weight(&p), 20);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "startTime=1704067200000&"
	    "endTime=1704070799999&") != NULL);
	/* An empty hour: on to the next window. */
	ck_assert_int_eq(feed_text(&p, "[]", &err), 0);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "startTime=1704070800000&") != NULL);
	ck_assert_int_eq(feed_text(&p, "[{\"a\":7,\"p\":\"1.0\",\"q\":\"2\","
	    "\"f\":10,\"l\":11,\"T\":1704070900000,\"m\":true},{\"a\":9,"
	    "\"p\":\"1.5\",\"q\":\"3\",\"f\":12,\"l\":12,\"T\":1704070900001,"
	    "\"m\":false}]", &err), 0);
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert_str_eq(q.buf, "symbol=BTCUSDT&fromId=10&limit=2");
	/* A trade after the end stops everything. */
	ck_assert_int_eq(feed_text(&p, "[{\"a\":10,\"p\":\"1\",\"q\":\"1\","
	    "\"f\":13,\"l\":13,\"T\":1704070900002,\"m\":true},{\"a\":11,"
	    "\"p\":\"1\",\"q\":\"1\",\"f\":14,\"l\":14,\"T\":1704078000001,"
	    "\"m\":true}]", &err), 0);
	ck_assert(p.done);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.last, "10,1704070900002,1,1,13,13,true");
	bf_buf_release(&q);
}
END_TEST

START_TEST(oi_windows)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	struct bf_pager p;
	struct bf_buf q = BF_BUF_INIT;
	struct seen s = { 0 };

	bf_interval_parse("1h", &iv, &err);
	bf_pager_init(&p, bf_mkt_series_find("oi"), "BTCUSDT", &iv, 0,
	    1000 * H - 1, 2000 * H);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert_str_eq(q.buf, "symbol=BTCUSDT&period=1h&startTime=0&"
	    "endTime=1799999999&limit=500");
	ck_assert_int_eq(feed_text(&p, "[{\"symbol\":\"BTCUSDT\","
	    "\"sumOpenInterest\":\"1.5\",\"sumOpenInterestValue\":\"9\","
	    "\"timestamp\":3600000}]", &err), 0);
	ck_assert_str_eq(s.last, "3600000,BTCUSDT,1.5,9");
	ck_assert_int_eq(bf_pager_query(&p, &q), 1);
	ck_assert(strstr(q.buf, "startTime=1800000000&endTime=3599999999")
	    != NULL);
	ck_assert_int_eq(feed_text(&p, "[]", &err), 0);
	ck_assert(p.done);
	bf_buf_release(&q);
}
END_TEST

/* Parse 's' and run converter 'fn' on it. */
static int
convert(int (*fn)(const struct bf_json *, bf_mkt_emit_fn, void *,
    struct bf_err *), const char *s, struct seen *sn, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	char *t = bf_strdup(s);
	int r;

	ck_assert_int_eq(bf_json_parse(&js, t, strlen(t), err), 0);
	r = fn(&js, emit, sn, err);
	bf_json_release(&js);
	free(t);
	return r;
}

START_TEST(one_shot_answers)
{
	struct bf_err err = BF_ERR_INIT;
	struct seen s = { 0 };

	ck_assert_int_eq(convert(bf_mkt_premium, "{\"symbol\":\"BTCUSDT\","
	    "\"markPrice\":\"11793.63104562\",\"indexPrice\":\"11781.80495970\","
	    "\"estimatedSettlePrice\":\"11781.16138815\",\"lastFundingRate\":"
	    "\"0.00038246\",\"interestRate\":\"0.00010000\",\"nextFundingTime\":"
	    "1597392000000,\"time\":1597370495002}", &s, &err), 1);
	ck_assert_str_eq(s.last, "1597370495002,BTCUSDT,11793.63104562,"
	    "11781.80495970,0.00038246,1597392000000");
	ck_assert_int_eq(convert(bf_mkt_depth, "{\"lastUpdateId\":1,\"E\":5,"
	    "\"T\":4,\"bids\":[[\"10.0\",\"1\"],[\"9.9\",\"2\"]],\"asks\":"
	    "[[\"10.1\",\"3\"]]}", &s, &err), 3);
	ck_assert_str_eq(s.last, "4,ask,1,10.1,3");
	ck_assert_int_eq(convert(bf_mkt_trades, "[{\"id\":28457,\"price\":"
	    "\"4.00000100\",\"qty\":\"12.00000000\",\"quoteQty\":\"48.00\","
	    "\"time\":1499865549590,\"isBuyerMaker\":true}]", &s, &err), 1);
	ck_assert_str_eq(s.last, "28457,1499865549590,4.00000100,12.00000000,"
	    "48.00,true");
	ck_assert_int_eq(convert(bf_mkt_oi_now, "{\"openInterest\":"
	    "\"10659.509\",\"symbol\":\"BTCUSDT\",\"time\":1589437530011}", &s,
	    &err), 1);
	ck_assert_str_eq(s.last, "1589437530011,BTCUSDT,10659.509,");
	ck_assert_int_eq(convert(bf_mkt_brackets, "[{\"symbol\":\"ETHUSDT\","
	    "\"brackets\":[{\"bracket\":1,\"initialLeverage\":75,"
	    "\"notionalCap\":10000,\"notionalFloor\":0,\"maintMarginRatio\":"
	    "0.0065,\"cum\":0.0}]}]", &s, &err), 1);
	ck_assert_str_eq(s.last, "ETHUSDT,1,75,0,10000,0.0065,0.0");
	ck_assert_int_eq(convert(bf_mkt_brackets, "{\"code\":-2015,\"msg\":"
	    "\"Invalid API-key, IP, or permissions for action.\"}", &s, &err),
	    BF_EUPSTREAM);
	ck_assert_int_eq(err.upstream, -2015);
}
END_TEST

START_TEST(exchange_info)
{
	struct bf_err err = BF_ERR_INIT;
	struct seen s = { 0 };
	struct bf_json js = BF_JSON_INIT;
	char *t = bf_strdup("{\"symbols\":[{\"symbol\":\"ETHUSDT\"},"
	    "{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\",\"filters\":["
	    "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"556.80\","
	    "\"maxPrice\":\"4529764\",\"tickSize\":\"0.10\"},{\"filterType\":"
	    "\"UNKNOWN_NEW\",\"x\":1},{\"filterType\":\"MIN_NOTIONAL\","
	    "\"notional\":\"100\"},{\"filterType\":\"LOT_SIZE\",\"stepSize\":"
	    "\"0.001\",\"minQty\":\"0.001\",\"maxQty\":\"1000\"}]}]}");

	ck_assert_int_eq(bf_json_parse(&js, t, strlen(t), &err), 0);
	ck_assert_int_eq(bf_mkt_info(&js, "BTCUSDT", emit, &s, &err), 1);
	ck_assert(strstr(s.last, "BTCUSDT,TRADING,") == s.last);
	ck_assert(strstr(s.last, ",0.10,556.80,4529764,0.001,0.001,1000,,,,"
	    "100,") != NULL);
	ck_assert_int_eq(bf_mkt_info(&js, "NOPE", emit, &s, &err),
	    BF_EUPSTREAM);
	ck_assert_int_eq(err.upstream, -1121);
	bf_json_release(&js);
	free(t);
}
END_TEST

/* A fake clock for the budget test. */
struct clock {
	int64_t now;
	int64_t slept;
};

static int64_t
clock_now(void *ctx)
{
	return ((struct clock *)ctx)->now;
}

static void
clock_sleep(void *ctx, int64_t ms)
{
	struct clock *c = ctx;

	c->now += ms;
	c->slept += ms;
}

START_TEST(weight_budget)
{
	struct clock c = { 1704067200000LL + 10000, 0 };
	struct bf_http *h = bf_http_new("http://127.0.0.1:9/");

	bf_http_set_clock(h, clock_now, clock_sleep, &c);
	bf_http_set_budget(h, 30);
	bf_http_reserve(h, 10);
	bf_http_reserve(h, 10);
	bf_http_reserve(h, 10);
	ck_assert_int_eq(c.slept, 0);
	/* The fourth would pass 30: wait for the next minute. */
	bf_http_reserve(h, 10);
	ck_assert_int_eq(c.slept, 50000 + 250);
	ck_assert_int_eq(bf_http_stats(h)->waited_ms, 50250);
	c.now += 1000;
	bf_http_reserve(h, 20);
	ck_assert_int_eq(c.slept, 50250);
	/* A new minute starts from zero. */
	c.now += 60000;
	bf_http_reserve(h, 30);
	ck_assert_int_eq(c.slept, 50250);
	/* No budget: never a wait. */
	bf_http_set_budget(h, 0);
	for (int i = 0; i < 100; i++)
		bf_http_reserve(h, 10);
	ck_assert_int_eq(c.slept, 50250);
	ck_assert_int_eq(bf_http_stats(h)->weight, 1090);
	bf_http_free(h);
}
END_TEST

START_TEST(query_encoding)
{
	struct bf_buf q = BF_BUF_INIT;

	bf_http_query_add(&q, "symbol", "BTC USDT/\xe5\xb8\x81");
	bf_http_query_add_i64(&q, "limit", -5);
	ck_assert_str_eq(q.buf, "symbol=BTC%20USDT%2F%E5%B8%81&limit=-5");
	bf_buf_release(&q);
}
END_TEST

START_TEST(archive_rows)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	struct bf_pager p;
	struct seen s = { 0 };
	static const char with_header[] =
	    "open_time,open,high,low,close,volume,close_time,quote_volume,"
	    "count,taker_buy_volume,taker_buy_quote_volume,ignore\r\n"
	    "1704067200000,1.0,2.0,0.5,1.5,10,1704070799999,15,7,4,6,0\r\n"
	    "1704070800000,1.5,2.5,1.0,2.0,11,1704074399999,16,8,5,7,0\r\n";
	static const char no_header[] =
	    "1704070800000,1.5,2.5,1.0,2.0,11,1704074399999,16,8,5,7,0\n"
	    "1704081600000,2.0,2.5,1.0,2.2,12,1704085199999,17,9,6,8,0\n";
	static const char funding[] =
	    "calc_time,funding_interval_hours,last_funding_rate\n"
	    "1704067200000,8,0.00010000\n";
	static const char metrics[] =
	    "create_time,symbol,sum_open_interest,sum_open_interest_value,a,b,"
	    "c,d\n2024-01-01 00:05:00,BTCUSDT,1.5,99.0,,,,\n"
	    "2024-01-01 01:00:00,BTCUSDT,2.5,199.0,1,2,3,4\n";

	bf_interval_parse("1h", &iv, &err);
	bf_pager_init(&p, bf_mkt_series_find("klines"), "BTCUSDT", &iv,
	    1704067200000LL, 1704153600000LL, 1804067200000LL);
	p.emit = emit;
	p.gap = gap;
	p.ctx = &s;
	ck_assert_int_eq(bf_archive_feed_csv(&p, "a.csv", with_header,
	    strlen(with_header), &err), 0);
	ck_assert_int_eq(bf_archive_feed_csv(&p, "b.csv", no_header,
	    strlen(no_header), &err), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.gaps, 1);
	ck_assert_int_eq(s.gap_bars, 2);
	ck_assert_str_eq(s.last, "1704081600000,2.0,2.5,1.0,2.2,12,"
	    "1704085199999,17,9,6,8");
	/* REST goes on after the last archive row. */
	ck_assert_int_eq(p.cursor, 1704081600001LL);
	ck_assert_int_eq(bf_archive_feed_csv(&p, "c.csv", "1,2,3\n", 6, &err),
	    BF_EFAIL);
	ck_assert_str_eq(err.msg, "c.csv:1: unexpected archive row");

	memset(&s, 0, sizeof(s));
	bf_pager_init(&p, bf_mkt_series_find("funding"), "BTCUSDT", NULL, 0,
	    1804067200000LL, 1804067200000LL);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(bf_archive_feed_csv(&p, "f.csv", funding,
	    strlen(funding), &err), 0);
	ck_assert_str_eq(s.last, "1704067200000,BTCUSDT,0.00010000,");

	memset(&s, 0, sizeof(s));
	bf_pager_init(&p, bf_mkt_series_find("oi"), "BTCUSDT", &iv, 0,
	    1804067200000LL, 1804067200000LL);
	p.emit = emit;
	p.ctx = &s;
	ck_assert_int_eq(bf_archive_feed_csv(&p, "m.csv", metrics,
	    strlen(metrics), &err), 0);
	/* Only the row on the hour is kept for period 1h. */
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.last, "1704070800000,BTCUSDT,2.5,199.0");
}
END_TEST

START_TEST(gzip_deterministic)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_buf a = BF_BUF_INIT, b = BF_BUF_INIT, back = BF_BUF_INIT;
	const char *text = "open_time,open\n1,2.50\n2,3.00\n";
	char path[] = "/tmp/check_store_XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bf_store_gzip(text, strlen(text), &a, &err), 0);
	ck_assert_int_eq(bf_store_gzip(text, strlen(text), &b, &err), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.buf, b.buf, a.len), 0);
	/* gzip magic, deflate, no mtime */
	ck_assert_int_eq((unsigned char)a.buf[0], 0x1f);
	ck_assert_int_eq((unsigned char)a.buf[1], 0x8b);
	ck_assert_int_eq(a.buf[4] | a.buf[5] | a.buf[6] | a.buf[7], 0);
	ck_assert_int_eq(write(fd, a.buf, a.len), (ssize_t)a.len);
	close(fd);
	ck_assert_int_eq(bf_store_gunzip_file(path, &back, &err), 0);
	ck_assert_str_eq(back.buf, text);
	unlink(path);
	bf_buf_release(&a);
	bf_buf_release(&b);
	bf_buf_release(&back);
}
END_TEST

/* Run one stream event 's' of 'kind' through bf_mkt_ws_event. */
static int
ws_event(int kind, const char *s, bool open, int64_t *last, struct seen *sn,
    struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	char *t = bf_strdup(s);
	int r;

	ck_assert_int_eq(bf_json_parse(&js, t, strlen(t), err), 0);
	r = bf_mkt_ws_event(kind, &js, open, last, emit, sn, err);
	bf_json_release(&js);
	free(t);
	return r;
}

START_TEST(stream_events)
{
	struct bf_err err = BF_ERR_INIT;
	struct seen s = { 0 };
	int64_t last = INT64_MIN;
	static const char k_open[] = "{\"e\":\"kline\",\"E\":1,\"s\":"
	    "\"BTCUSDT\",\"k\":{\"t\":1638747660000,\"T\":1638747719999,"
	    "\"s\":\"BTCUSDT\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":"
	    "\"0.0010\",\"c\":\"0.0020\",\"h\":\"0.0025\",\"l\":\"0.0015\","
	    "\"v\":\"1000\",\"n\":100,\"x\":false,\"q\":\"1.0000\",\"V\":"
	    "\"500\",\"Q\":\"0.500\",\"B\":\"123456\"}}";
	char closed[sizeof(k_open)];

	/* An update of the open candle: nothing, unless asked for. */
	ck_assert_int_eq(ws_event(BF_MKT_WS_KLINE, k_open, false, &last, &s,
	    &err), 0);
	ck_assert_int_eq(s.n, 0);
	ck_assert_int_eq(ws_event(BF_MKT_WS_KLINE, k_open, true, &last, &s,
	    &err), 1);
	ck_assert_int_eq(last, INT64_MIN);
	/* The final update, once: a repeat after a reconnect is dropped. */
	memcpy(closed, k_open, sizeof(k_open));
	memcpy(strstr(closed, "\"x\":false") + 4, "true,", 5);
	memmove(strstr(closed, "true,") + 4, strstr(closed, "true,") + 5,
	    strlen(strstr(closed, "true,") + 5) + 1);
	ck_assert_int_eq(ws_event(BF_MKT_WS_KLINE, closed, false, &last, &s,
	    &err), 1);
	ck_assert_str_eq(s.last, "1638747660000,0.0010,0.0025,0.0015,0.0020,"
	    "1000,1638747719999,1.0000,100,500,0.500");
	ck_assert_int_eq(last, 1638747660000LL);
	ck_assert_int_eq(ws_event(BF_MKT_WS_KLINE, closed, false, &last, &s,
	    &err), 0);
	/* Mark price, inside a combined-stream wrapper. */
	last = INT64_MIN;
	ck_assert_int_eq(ws_event(BF_MKT_WS_MARK, "{\"stream\":\"btcusdt@"
	    "markPrice\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":"
	    "1562305380000,\"s\":\"BTCUSDT\",\"p\":\"11794.15000000\",\"i\":"
	    "\"11784.62659091\",\"P\":\"11784.25641265\",\"r\":\"0.00038167\","
	    "\"T\":1562306400000}}", false, &last, &s, &err), 1);
	ck_assert_str_eq(s.last, "1562305380000,BTCUSDT,11794.15000000,"
	    "11784.62659091,0.00038167,1562306400000");
	/* Book ticker; a reply to a command is no event. */
	last = INT64_MIN;
	ck_assert_int_eq(ws_event(BF_MKT_WS_BOOK, "{\"e\":\"bookTicker\","
	    "\"u\":400900217,\"E\":1568014460893,\"T\":1568014460891,\"s\":"
	    "\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\",\"a\":"
	    "\"25.36520000\",\"A\":\"40.66000000\"}", false, &last, &s, &err),
	    1);
	ck_assert_str_eq(s.last, "1568014460891,BNBUSDT,400900217,25.35190000,"
	    "31.21000000,25.36520000,40.66000000");
	ck_assert_int_eq(ws_event(BF_MKT_WS_BOOK, "{\"result\":null,\"id\":1}",
	    false, &last, &s, &err), 0);
	/* Depth: both sides in long form. */
	last = INT64_MIN;
	s.n = 0;
	ck_assert_int_eq(ws_event(BF_MKT_WS_DEPTH, "{\"e\":\"depthUpdate\","
	    "\"E\":9,\"T\":8,\"s\":\"BTCUSDT\",\"U\":1,\"u\":5,\"pu\":0,"
	    "\"b\":[[\"10.0\",\"1\"]],\"a\":[[\"10.1\",\"2\"],[\"10.2\","
	    "\"3\"]]}", false, &last, &s, &err), 1);
	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.last, "8,ask,2,10.2,3");
}
END_TEST

Suite *market_suite(void);

Suite *
market_suite(void)
{
	Suite *s = suite_create("market");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, klines_paging);
	tcase_add_test(tc, klines_page_size);
	tcase_add_test(tc, klines_bounds_and_open);
	tcase_add_test(tc, refusals_and_garbage);
	tcase_add_test(tc, funding_rows);
	tcase_add_test(tc, aggtrades_by_id);
	tcase_add_test(tc, oi_windows);
	tcase_add_test(tc, one_shot_answers);
	tcase_add_test(tc, exchange_info);
	tcase_add_test(tc, weight_budget);
	tcase_add_test(tc, query_encoding);
	tcase_add_test(tc, archive_rows);
	tcase_add_test(tc, gzip_deterministic);
	tcase_add_test(tc, stream_events);
	suite_add_tcase(s, tc);
	return s;
}
