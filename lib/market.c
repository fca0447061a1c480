/* SPDX-License-Identifier: MIT */
/*
 * market.c - market-data series: JSON answers to records, and the paging
 * of time ranges.  See market.h for the rules of each endpoint.
 */
#include "compat.h"

#include "market.h"
#include "num.h"

#define NFIELDS_MAX 16

static const char *const kline_cols[] = {
	"open_time", "open", "high", "low", "close", "volume", "close_time",
	"quote_volume", "trades", "taker_buy_volume", "taker_buy_quote_volume"
};
static const char *const funding_cols[] = {
	"funding_time", "symbol", "funding_rate", "mark_price"
};
static const char *const oi_cols[] = {
	"time", "symbol", "open_interest", "open_interest_value"
};
static const char *const premium_cols[] = {
	"time", "symbol", "mark_price", "index_price", "funding_rate",
	"next_funding_time"
};
static const char *const depth_cols[] = {
	"time", "side", "level", "price", "qty"
};
static const char *const trade_cols[] = {
	"id", "time", "price", "qty", "quote_qty", "is_buyer_maker"
};
static const char *const aggtrade_cols[] = {
	"agg_id", "time", "price", "qty", "first_id", "last_id",
	"is_buyer_maker"
};
static const char *const info_cols[] = {
	"symbol", "status", "contract_type", "base_asset", "quote_asset",
	"margin_asset", "price_precision", "quantity_precision", "tick_size",
	"min_price", "max_price", "step_size", "min_qty", "max_qty",
	"market_step_size", "market_min_qty", "market_max_qty", "min_notional",
	"max_num_orders", "multiplier_up", "multiplier_down",
	"liquidation_fee", "market_take_bound", "onboard_date"
};
static const char *const bracket_cols[] = {
	"symbol", "bracket", "initial_leverage", "notional_floor",
	"notional_cap", "maint_margin_ratio", "cum"
};

static const char *const book_cols[] = {
	"time", "symbol", "update_id", "bid_price", "bid_qty", "ask_price",
	"ask_qty"
};

#define SCHEMA(a) { a, BF_ARRAY_SIZE(a) }
const struct bf_mkt_schema bf_mkt_kline_schema = SCHEMA(kline_cols);
const struct bf_mkt_schema bf_mkt_funding_schema = SCHEMA(funding_cols);
const struct bf_mkt_schema bf_mkt_oi_schema = SCHEMA(oi_cols);
const struct bf_mkt_schema bf_mkt_premium_schema = SCHEMA(premium_cols);
const struct bf_mkt_schema bf_mkt_depth_schema = SCHEMA(depth_cols);
const struct bf_mkt_schema bf_mkt_trade_schema = SCHEMA(trade_cols);
const struct bf_mkt_schema bf_mkt_aggtrade_schema = SCHEMA(aggtrade_cols);
const struct bf_mkt_schema bf_mkt_info_schema = SCHEMA(info_cols);
const struct bf_mkt_schema bf_mkt_bracket_schema = SCHEMA(bracket_cols);
const struct bf_mkt_schema bf_mkt_book_schema = SCHEMA(book_cols);

static const struct bf_mkt_series series[] = {
	{ "klines", "/fapi/v1/klines", "symbol", BF_MKT_KLINES, 1500,
	    kline_cols, BF_ARRAY_SIZE(kline_cols) },
	{ "mark", "/fapi/v1/markPriceKlines", "symbol", BF_MKT_KLINES, 1500,
	    kline_cols, BF_ARRAY_SIZE(kline_cols) },
	{ "index", "/fapi/v1/indexPriceKlines", "pair", BF_MKT_KLINES, 1500,
	    kline_cols, BF_ARRAY_SIZE(kline_cols) },
	{ "premium", "/fapi/v1/premiumIndexKlines", "symbol", BF_MKT_KLINES,
	    1500, kline_cols, BF_ARRAY_SIZE(kline_cols) },
	{ "funding", "/fapi/v1/fundingRate", "symbol", BF_MKT_FUNDING, 1000,
	    funding_cols, BF_ARRAY_SIZE(funding_cols) },
	{ "oi", "/futures/data/openInterestHist", "symbol", BF_MKT_OI, 500,
	    oi_cols, BF_ARRAY_SIZE(oi_cols) },
	{ "aggtrades", "/fapi/v1/aggTrades", "symbol", BF_MKT_AGGTRADES, 1000,
	    aggtrade_cols, BF_ARRAY_SIZE(aggtrade_cols) },
};

const struct bf_mkt_series *
bf_mkt_series_find(const char *name)
{
	for (size_t i = 0; i < BF_ARRAY_SIZE(series); i++)
		if (strcmp(series[i].name, name) == 0)
			return &series[i];
	return NULL;
}

int
bf_mkt_kline_weight(int limit)
{
	if (limit < 100)
		return 1;
	if (limit < 500)
		return 2;
	if (limit <= 1000)
		return 5;
	return 10;
}

int
bf_mkt_depth_weight(int limit)
{
	if (limit <= 50)
		return 2;
	if (limit <= 100)
		return 5;
	if (limit <= 500)
		return 10;
	return 20;
}

/* ==== fields from tokens ==== */

/*
 * Make field 'f' from token 'i' (-1: missing).  Empty strings and null
 * are missing; strings are TEXT when 'text', else AUTO (numbers written
 * bare in JSON); numbers and booleans are AUTO.
 */
static void
tokfield(const struct bf_json *js, long i, struct bf_field *f, bool text)
{
	size_t len;

	f->quote = 0;
	if (i < 0 || js->t[i].type == BF_JSON_NULL || js->t[i].len == 0 ||
	    js->t[i].type == BF_JSON_ARRAY || js->t[i].type == BF_JSON_OBJECT) {
		f->s = "";
		f->len = 0;
		f->kind = BF_VAL_MISSING;
		return;
	}
	f->s = bf_json_text(js, (size_t)i, &len);
	f->len = (uint32_t)len;
	f->kind = (text && js->t[i].type == BF_JSON_STRING) ? BF_VAL_TEXT :
	    BF_VAL_AUTO;
}

/* Make field 'f' from the constant 's'. */
static void
strfield(struct bf_field *f, const char *s, int kind)
{
	f->s = s;
	f->len = (uint32_t)strlen(s);
	f->kind = (uint8_t)kind;
	f->quote = 0;
}

/* The integer value of token 'i'; BF_EFAIL naming 'what' when it is none. */
static int
tokint(const struct bf_json *js, long i, int64_t *out, const char *what,
    struct bf_err *err)
{
	if (i < 0 || bf_json_i64(js, (size_t)i, out) < 0)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: bad or missing %s",
		    what);
	return 0;
}

/*
 * When 'js' is an exchange error object {"code":..,"msg":..}, fill 'err'
 * and return BF_EUPSTREAM; else 0.
 */
static int
error_object(const struct bf_json *js, struct bf_err *err)
{
	long c, m;
	int64_t code;
	size_t len;
	const char *s;

	if (js->n == 0 || js->t[0].type != BF_JSON_OBJECT)
		return 0;
	c = bf_json_get(js, 0, "code");
	m = bf_json_get(js, 0, "msg");
	if (c < 0 || m < 0 || bf_json_i64(js, (size_t)c, &code) < 0)
		return 0;
	s = bf_json_text(js, (size_t)m, &len);
	if (len > 0 && s[len - 1] == '.')
		len--;
	bf_err_set(err, BF_EUPSTREAM, "%.*s (%lld)", (int)(len > 300 ? 300 :
	    len), s, (long long)code);
	err->upstream = (int)code;
	return BF_EUPSTREAM;
}

/* Require token 0 to be an array. */
static int
want_array(const struct bf_json *js, const char *what, struct bf_err *err)
{
	int r;

	if (js->n > 0 && js->t[0].type == BF_JSON_ARRAY)
		return 0;
	if ((r = error_object(js, err)) < 0)
		return r;
	return bf_err_set(err, BF_EFAIL,
	    "unexpected answer from the exchange: %s is not a list", what);
}

/* ==== row converters ==== */

/* A kline array 'i' into 11 fields; its open and close time. */
static int
kline_row(const struct bf_json *js, size_t i, struct bf_field *f,
    int64_t *open, int64_t *close, struct bf_err *err)
{
	size_t k;

	if (js->t[i].type != BF_JSON_ARRAY || js->t[i].size < 11)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: a kline is not an array of 12");
	k = bf_json_child(js, i);
	for (size_t c = 0; c < 11; c++) {
		tokfield(js, (long)k, &f[c], false);
		if (c == 0 && tokint(js, (long)k, open, "open time", err) < 0)
			return BF_EFAIL;
		if (c == 6 && tokint(js, (long)k, close, "close time",
		    err) < 0)
			return BF_EFAIL;
		k = bf_json_next(js, k);
	}
	return 0;
}

/* A funding object into its fields and key. */
static int
funding_row(const struct bf_json *js, size_t i, struct bf_field *f,
    int64_t *key, struct bf_err *err)
{
	long t = bf_json_get(js, i, "fundingTime");

	if (tokint(js, t, key, "fundingTime", err) < 0)
		return BF_EFAIL;
	tokfield(js, t, &f[0], false);
	tokfield(js, bf_json_get(js, i, "symbol"), &f[1], true);
	tokfield(js, bf_json_get(js, i, "fundingRate"), &f[2], false);
	tokfield(js, bf_json_get(js, i, "markPrice"), &f[3], false);
	return 0;
}

/* An openInterestHist object into its fields and key. */
static int
oi_row(const struct bf_json *js, size_t i, struct bf_field *f, int64_t *key,
    struct bf_err *err)
{
	long t = bf_json_get(js, i, "timestamp");

	if (tokint(js, t, key, "timestamp", err) < 0)
		return BF_EFAIL;
	tokfield(js, t, &f[0], false);
	tokfield(js, bf_json_get(js, i, "symbol"), &f[1], true);
	tokfield(js, bf_json_get(js, i, "sumOpenInterest"), &f[2], false);
	tokfield(js, bf_json_get(js, i, "sumOpenInterestValue"), &f[3], false);
	return 0;
}

/* An aggTrades object into its fields, id and time. */
static int
aggtrade_row(const struct bf_json *js, size_t i, struct bf_field *f,
    int64_t *id, int64_t *time, struct bf_err *err)
{
	static const char *const keys[] = { "a", "T", "p", "q", "f", "l", "m" };

	for (size_t c = 0; c < BF_ARRAY_SIZE(keys); c++)
		tokfield(js, bf_json_get(js, i, keys[c]), &f[c], false);
	if (tokint(js, bf_json_get(js, i, "a"), id, "aggregate id", err) < 0 ||
	    tokint(js, bf_json_get(js, i, "T"), time, "trade time", err) < 0)
		return BF_EFAIL;
	return 0;
}

/* ==== the pager ==== */

void
bf_pager_init(struct bf_pager *p, const struct bf_mkt_series *s,
    const char *symbol, const struct bf_interval *iv, int64_t start,
    int64_t end, int64_t now)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	snprintf(p->symbol, sizeof(p->symbol), "%s", symbol);
	if (iv != NULL)
		p->iv = *iv;
	p->start = start;
	p->end = end;
	p->now = now;
	p->limit = s->limit;
	p->page = s->limit;
	p->cursor = start;
	p->last_key = INT64_MIN;
	p->done = start > end;
}

int
bf_pager_weight(const struct bf_pager *p)
{
	switch (p->s->kind) {
	case BF_MKT_KLINES:
		return bf_mkt_kline_weight(p->page);
	case BF_MKT_AGGTRADES:
		return 20;
	default:
		return 1;
	}
}

int
bf_pager_query(struct bf_pager *p, struct bf_buf *q)
{
	bf_buf_reset(q);
	if (p->done)
		return 0;
	p->page = p->limit;
	if (p->s->kind == BF_MKT_KLINES) {
		/* Candles left in the range, at most (months: 28 days). */
		int64_t ms = p->iv.months ? 28 * BF_MS_DAY : p->iv.ms;
		int64_t need = (p->end - p->cursor) / ms + 2;
		if (need < p->page)
			p->page = (int)need;
	}
	bf_http_query_add(q, p->s->sym_param, p->symbol);
	switch (p->s->kind) {
	case BF_MKT_KLINES:
		bf_http_query_add(q, "interval", p->iv.name);
		p->win_end = p->end;
		break;
	case BF_MKT_FUNDING:
		p->win_end = p->end;
		break;
	case BF_MKT_OI:
		bf_http_query_add(q, "period", p->iv.name);
		/* A window that cannot hold more than one page. */
		p->win_end = p->cursor + (int64_t)p->limit * p->iv.ms - 1;
		if (p->win_end > p->end)
			p->win_end = p->end;
		break;
	case BF_MKT_AGGTRADES:
		if (p->have_id) {
			bf_http_query_add_i64(q, "fromId", p->last_key + 1);
			bf_http_query_add_i64(q, "limit", p->page);
			return 1;
		}
		/* The exchange allows less than one hour between the two. */
		p->win_end = p->cursor + BF_MS_HOUR - 1;
		if (p->win_end > p->end)
			p->win_end = p->end;
		break;
	}
	bf_http_query_add_i64(q, "startTime", p->cursor);
	bf_http_query_add_i64(q, "endTime", p->win_end);
	bf_http_query_add_i64(q, "limit", p->page);
	return 1;
}

/* Report the candles missing between 'last' and 'key' (both present). */
static void
report_gap(struct bf_pager *p, int64_t last, int64_t key)
{
	int64_t first = bf_interval_next(&p->iv, last), t = first, prev = first;
	int64_t bars = 0;

	if (first >= key)
		return;
	if (p->iv.months == 0) {
		bars = (key - first + p->iv.ms - 1) / p->iv.ms;
		prev = first + (bars - 1) * p->iv.ms;
	} else {
		while (t < key) {
			prev = t;
			bars++;
			t = bf_interval_next(&p->iv, t);
		}
	}
	p->gaps++;
	if (p->gap != NULL)
		p->gap(p->ctx, first, prev, bars);
}

/* Emit a row with key 'key' when it is new and inside [lo, hi]. */
static int
offer(struct bf_pager *p, const struct bf_field *f, int64_t key, int64_t t,
    struct bf_err *err)
{
	int r;

	if (key <= p->last_key || t < p->start || t > p->end)
		return 0;
	if (p->s->kind == BF_MKT_KLINES && p->last_key != INT64_MIN)
		report_gap(p, p->last_key, key);
	if ((r = p->emit(p->ctx, f, p->s->ncols, key, err)) < 0)
		return r;
	p->last_key = key;
	p->rows++;
	return 0;
}

int
bf_pager_offer(struct bf_pager *p, const struct bf_field *f, int64_t key,
    int64_t t, struct bf_err *err)
{
	int r;

	if (p->done)
		return 0;
	if ((r = offer(p, f, key, t, err)) < 0)
		return r;
	if (p->last_key != INT64_MIN && p->last_key + 1 > p->cursor &&
	    p->s->kind != BF_MKT_AGGTRADES) {
		/* OI windows restart at the row's time as well. */
		p->cursor = p->last_key + 1;
		if (p->cursor > p->end)
			p->done = true;
	}
	return 0;
}

int
bf_pager_feed(struct bf_pager *p, const struct bf_json *js,
    struct bf_err *err)
{
	struct bf_field f[NFIELDS_MAX];
	size_t n, i;
	int64_t key = 0, t = 0, last = INT64_MIN;
	int r;

	if ((r = want_array(js, p->s->path, err)) < 0)
		return r;
	p->pages++;
	n = js->t[0].size;
	i = bf_json_child(js, 0);
	for (size_t k = 0; k < n; k++, i = bf_json_next(js, i)) {
		switch (p->s->kind) {
		case BF_MKT_KLINES: {
			int64_t close;
			if ((r = kline_row(js, i, f, &key, &close, err)) < 0)
				return r;
			t = key;
			if (!p->include_open && close >= p->now) {
				/* The open candle: nothing closed after it. */
				p->done = true;
				return 0;
			}
			break;
		}
		case BF_MKT_FUNDING:
			if ((r = funding_row(js, i, f, &key, err)) < 0)
				return r;
			t = key;
			break;
		case BF_MKT_OI:
			if ((r = oi_row(js, i, f, &key, err)) < 0)
				return r;
			t = key;
			break;
		case BF_MKT_AGGTRADES:
			if ((r = aggtrade_row(js, i, f, &key, &t, err)) < 0)
				return r;
			if (t > p->end) {
				p->done = true;
				return 0;
			}
			break;
		}
		if (last != INT64_MIN && key <= last)
			return bf_err_set(err, BF_EFAIL,
			    "unexpected answer from the exchange: %s rows out of order",
			    p->s->path);
		last = key;
		if ((r = offer(p, f, key, t, err)) < 0)
			return r;
	}
	/* Advance. */
	switch (p->s->kind) {
	case BF_MKT_KLINES:
	case BF_MKT_FUNDING:
		/*
		 * Only an empty page or the end of the range ends it: a
		 * server that pages smaller than asked must not lose rows,
		 * for the price of one last request that finds nothing.
		 */
		if (n == 0 || last == INT64_MIN || last >= p->end) {
			p->done = true;
		} else if (last + 1 <= p->cursor) {
			return bf_err_set(err, BF_EFAIL,
			    "unexpected answer from the exchange: %s does not advance",
			    p->s->path);
		} else {
			p->cursor = last + 1;
		}
		break;
	case BF_MKT_OI:
		p->cursor = p->win_end + 1;
		if (p->win_end >= p->end)
			p->done = true;
		break;
	case BF_MKT_AGGTRADES:
		if (p->have_id) {
			if (n == 0)
				p->done = true; /* past the newest trade */
		} else if (n == 0) {
			p->cursor = p->win_end + 1;
			if (p->win_end >= p->end)
				p->done = true;
		} else {
			/* Found the first trade: on by id from here. */
			p->have_id = true;
			if (p->last_key == INT64_MIN) {
				/* Every row was before 'start'. */
				p->last_key = last;
			}

		}
		break;
	}
	return 0;
}

int
bf_mkt_fetch(struct bf_http *h, struct bf_pager *p, struct bf_err *err)
{
	struct bf_buf q = BF_BUF_INIT;
	struct bf_json js = BF_JSON_INIT;
	int r = 0;

	while (bf_pager_query(p, &q) > 0) {
		r = bf_http_get_json(h, p->s->path, q.buf, bf_pager_weight(p),
		    0, &js, err);
		if (r < 0)
			break;
		if ((r = bf_pager_feed(p, &js, err)) < 0)
			break;
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* ==== one-shot answers ==== */

/* Emit the premiumIndex object 'i'. */
static int
premium_obj(const struct bf_json *js, size_t i, bf_mkt_emit_fn emit,
    void *ctx, struct bf_err *err)
{
	struct bf_field f[6];
	long t = bf_json_get(js, i, "time");
	int64_t key;

	if (tokint(js, t, &key, "time", err) < 0)
		return BF_EFAIL;
	tokfield(js, t, &f[0], false);
	tokfield(js, bf_json_get(js, i, "symbol"), &f[1], true);
	tokfield(js, bf_json_get(js, i, "markPrice"), &f[2], false);
	tokfield(js, bf_json_get(js, i, "indexPrice"), &f[3], false);
	tokfield(js, bf_json_get(js, i, "lastFundingRate"), &f[4], false);
	tokfield(js, bf_json_get(js, i, "nextFundingTime"), &f[5], false);
	return emit(ctx, f, 6, key, err);
}

int
bf_mkt_premium(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err)
{
	int r, n = 0;
	size_t i;

	if ((r = error_object(js, err)) < 0)
		return r;
	if (js->n > 0 && js->t[0].type == BF_JSON_OBJECT) {
		r = premium_obj(js, 0, emit, ctx, err);
		return r < 0 ? r : 1;
	}
	if ((r = want_array(js, "premiumIndex", err)) < 0)
		return r;
	i = bf_json_child(js, 0);
	for (size_t k = 0; k < js->t[0].size; k++, i = bf_json_next(js, i)) {
		if ((r = premium_obj(js, i, emit, ctx, err)) < 0)
			return r;
		n++;
	}
	return n;
}

int
bf_mkt_oi_now(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err)
{
	struct bf_field f[4];
	long t;
	int64_t key;
	int r;

	if ((r = error_object(js, err)) < 0)
		return r;
	if (js->n == 0 || js->t[0].type != BF_JSON_OBJECT)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: openInterest is not an object");
	t = bf_json_get(js, 0, "time");
	if (tokint(js, t, &key, "time", err) < 0)
		return BF_EFAIL;
	tokfield(js, t, &f[0], false);
	tokfield(js, bf_json_get(js, 0, "symbol"), &f[1], true);
	tokfield(js, bf_json_get(js, 0, "openInterest"), &f[2], false);
	tokfield(js, -1, &f[3], false);
	r = emit(ctx, f, 4, key, err);
	return r < 0 ? r : 1;
}

int
bf_mkt_depth(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err)
{
	static const char *const sides[] = { "bids", "asks" };
	static const char *const names[] = { "bid", "ask" };
	struct bf_field f[5];
	char lvl[BF_NUM_BUFSZ];
	long t;
	int64_t key;
	int r, n = 0;

	if ((r = error_object(js, err)) < 0)
		return r;
	if (js->n == 0 || js->t[0].type != BF_JSON_OBJECT)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: depth is not an object");
	/* The transaction time; the event time when it is absent. */
	if ((t = bf_json_get(js, 0, "T")) < 0)
		t = bf_json_get(js, 0, "E");
	if (tokint(js, t, &key, "depth time", err) < 0)
		return BF_EFAIL;
	tokfield(js, t, &f[0], false);
	for (int s = 0; s < 2; s++) {
		long a = bf_json_get(js, 0, sides[s]);
		size_t i;

		if (a < 0 || js->t[a].type != BF_JSON_ARRAY)
			return bf_err_set(err, BF_EFAIL,
			    "unexpected answer from the exchange: depth without %s",
			    sides[s]);
		strfield(&f[1], names[s], BF_VAL_TEXT);
		i = bf_json_child(js, (size_t)a);
		for (size_t k = 0; k < js->t[a].size; k++,
		    i = bf_json_next(js, i)) {
			if (js->t[i].type != BF_JSON_ARRAY || js->t[i].size < 2)
				return bf_err_set(err, BF_EFAIL,
				    "unexpected answer from the exchange: bad depth level");
			bf_num_format_i64(lvl, (int64_t)k + 1);
			strfield(&f[2], lvl, BF_VAL_AUTO);
			tokfield(js, bf_json_at(js, i, 0), &f[3], false);
			tokfield(js, bf_json_at(js, i, 1), &f[4], false);
			if ((r = emit(ctx, f, 5, key, err)) < 0)
				return r;
			n++;
		}
	}
	return n;
}

int
bf_mkt_trades(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err)
{
	static const char *const keys[] = {
		"id", "time", "price", "qty", "quoteQty", "isBuyerMaker"
	};
	struct bf_field f[6];
	size_t i;
	int64_t key;
	int r, n = 0;

	if ((r = want_array(js, "trades", err)) < 0)
		return r;
	i = bf_json_child(js, 0);
	for (size_t k = 0; k < js->t[0].size; k++, i = bf_json_next(js, i)) {
		for (size_t c = 0; c < 6; c++)
			tokfield(js, bf_json_get(js, i, keys[c]), &f[c], false);
		if (tokint(js, bf_json_get(js, i, "id"), &key, "trade id",
		    err) < 0)
			return BF_EFAIL;
		if ((r = emit(ctx, f, 6, key, err)) < 0)
			return r;
		n++;
	}
	return n;
}

/* The filter object of type 'type' in the filters array 'fa', or -1. */
static long
find_filter(const struct bf_json *js, long fa, const char *type)
{
	size_t i;

	if (fa < 0 || js->t[fa].type != BF_JSON_ARRAY)
		return -1;
	i = bf_json_child(js, (size_t)fa);
	for (size_t k = 0; k < js->t[fa].size; k++, i = bf_json_next(js, i)) {
		long t = bf_json_get(js, i, "filterType");
		if (t >= 0 && bf_json_eq(js, (size_t)t, type))
			return (long)i;
	}
	return -1;
}

/* Token 'key' of object 'obj' (-1 when 'obj' is -1). */
static long
member(const struct bf_json *js, long obj, const char *key)
{
	return obj < 0 ? -1 : bf_json_get(js, (size_t)obj, key);
}

int
bf_mkt_info(const struct bf_json *js, const char *symbol, bf_mkt_emit_fn emit,
    void *ctx, struct bf_err *err)
{
	struct bf_field f[BF_ARRAY_SIZE(info_cols)];
	long syms, fa, pf, ls, ms, mn, mo, pp;
	size_t i;
	int r;

	if ((r = error_object(js, err)) < 0)
		return r;
	syms = js->n > 0 ? bf_json_get(js, 0, "symbols") : -1;
	if (syms < 0 || js->t[syms].type != BF_JSON_ARRAY)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: exchangeInfo without symbols");
	i = bf_json_child(js, (size_t)syms);
	for (size_t k = 0; k < js->t[syms].size; k++, i = bf_json_next(js, i)) {
		long s = bf_json_get(js, i, "symbol");
		if (s < 0 || !bf_json_eq(js, (size_t)s, symbol))
			continue;
		fa = bf_json_get(js, i, "filters");
		pf = find_filter(js, fa, "PRICE_FILTER");
		ls = find_filter(js, fa, "LOT_SIZE");
		ms = find_filter(js, fa, "MARKET_LOT_SIZE");
		mn = find_filter(js, fa, "MIN_NOTIONAL");
		mo = find_filter(js, fa, "MAX_NUM_ORDERS");
		pp = find_filter(js, fa, "PERCENT_PRICE");
		tokfield(js, s, &f[0], true);
		tokfield(js, bf_json_get(js, i, "status"), &f[1], true);
		tokfield(js, bf_json_get(js, i, "contractType"), &f[2], true);
		tokfield(js, bf_json_get(js, i, "baseAsset"), &f[3], true);
		tokfield(js, bf_json_get(js, i, "quoteAsset"), &f[4], true);
		tokfield(js, bf_json_get(js, i, "marginAsset"), &f[5], true);
		tokfield(js, bf_json_get(js, i, "pricePrecision"), &f[6], false);
		tokfield(js, bf_json_get(js, i, "quantityPrecision"), &f[7],
		    false);
		tokfield(js, member(js, pf, "tickSize"), &f[8], false);
		tokfield(js, member(js, pf, "minPrice"), &f[9], false);
		tokfield(js, member(js, pf, "maxPrice"), &f[10], false);
		tokfield(js, member(js, ls, "stepSize"), &f[11], false);
		tokfield(js, member(js, ls, "minQty"), &f[12], false);
		tokfield(js, member(js, ls, "maxQty"), &f[13], false);
		tokfield(js, member(js, ms, "stepSize"), &f[14], false);
		tokfield(js, member(js, ms, "minQty"), &f[15], false);
		tokfield(js, member(js, ms, "maxQty"), &f[16], false);
		tokfield(js, member(js, mn, "notional"), &f[17], false);
		tokfield(js, member(js, mo, "limit"), &f[18], false);
		tokfield(js, member(js, pp, "multiplierUp"), &f[19], false);
		tokfield(js, member(js, pp, "multiplierDown"), &f[20], false);
		tokfield(js, bf_json_get(js, i, "liquidationFee"), &f[21], false);
		tokfield(js, bf_json_get(js, i, "marketTakeBound"), &f[22],
		    false);
		tokfield(js, bf_json_get(js, i, "onboardDate"), &f[23], false);
		r = emit(ctx, f, BF_ARRAY_SIZE(info_cols), 0, err);
		return r < 0 ? r : 1;
	}
	err->upstream = -1121;
	return bf_err_set(err, BF_EUPSTREAM, "Invalid symbol (-1121)");
}

/* Emit the brackets of one leverageBracket entry 'e'. */
static int
bracket_entry(const struct bf_json *js, size_t e, bf_mkt_emit_fn emit,
    void *ctx, struct bf_err *err)
{
	static const char *const keys[] = {
		"bracket", "initialLeverage", "notionalFloor", "notionalCap",
		"maintMarginRatio", "cum"
	};
	struct bf_field f[7];
	long b = bf_json_get(js, e, "brackets");
	size_t i;
	int r, n = 0;

	if (b < 0 || js->t[b].type != BF_JSON_ARRAY)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: leverageBracket without brackets");
	tokfield(js, bf_json_get(js, e, "symbol"), &f[0], true);
	i = bf_json_child(js, (size_t)b);
	for (size_t k = 0; k < js->t[b].size; k++, i = bf_json_next(js, i)) {
		for (size_t c = 0; c < 6; c++)
			tokfield(js, bf_json_get(js, i, keys[c]), &f[c + 1],
			    false);
		if ((r = emit(ctx, f, 7, (int64_t)k, err)) < 0)
			return r;
		n++;
	}
	return n;
}

int
bf_mkt_brackets(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err)
{
	int r, n = 0;
	size_t i;

	if ((r = error_object(js, err)) < 0)
		return r;
	if (js->n > 0 && js->t[0].type == BF_JSON_OBJECT)
		return bracket_entry(js, 0, emit, ctx, err);
	if ((r = want_array(js, "leverageBracket", err)) < 0)
		return r;
	i = bf_json_child(js, 0);
	for (size_t k = 0; k < js->t[0].size; k++, i = bf_json_next(js, i)) {
		if ((r = bracket_entry(js, i, emit, ctx, err)) < 0)
			return r;
		n += r;
	}
	return n;
}

/* ==== stream events ==== */

/* Emit the levels of 'side' ("b" or "a") of depth event 'ev'. */
static int
ws_depth_side(const struct bf_json *js, size_t ev, const char *key,
    const char *name, struct bf_field *f, bf_mkt_emit_fn emit, void *ctx,
    int64_t id, struct bf_err *err)
{
	long a = bf_json_get(js, ev, key);
	char lvl[BF_NUM_BUFSZ];
	size_t i;
	int r;

	if (a < 0 || js->t[a].type != BF_JSON_ARRAY)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected stream event: depth without '%s'", key);
	strfield(&f[1], name, BF_VAL_TEXT);
	i = bf_json_child(js, (size_t)a);
	for (size_t k = 0; k < js->t[a].size; k++, i = bf_json_next(js, i)) {
		if (js->t[i].type != BF_JSON_ARRAY || js->t[i].size < 2)
			return bf_err_set(err, BF_EFAIL,
			    "unexpected stream event: bad depth level");
		bf_num_format_i64(lvl, (int64_t)k + 1);
		strfield(&f[2], lvl, BF_VAL_AUTO);
		tokfield(js, bf_json_at(js, i, 0), &f[3], false);
		tokfield(js, bf_json_at(js, i, 1), &f[4], false);
		if ((r = emit(ctx, f, 5, id, err)) < 0)
			return r;
	}
	return 0;
}

int
bf_mkt_ws_event(int kind, const struct bf_json *js, bool include_open,
    int64_t *last, bf_mkt_emit_fn emit, void *ctx, struct bf_err *err)
{
	struct bf_field f[11];
	size_t ev = 0;
	long k, t;
	int64_t key;
	int r;

	if (js->n == 0 || js->t[0].type != BF_JSON_OBJECT)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected stream event: not an object");
	if ((k = bf_json_get(js, 0, "data")) >= 0 &&
	    js->t[k].type == BF_JSON_OBJECT)
		ev = (size_t)k; /* a combined stream's wrapper */
	if (bf_json_get(js, ev, "result") >= 0 &&
	    bf_json_get(js, ev, "e") < 0)
		return 0; /* a reply to a command */
	if ((r = error_object(js, err)) < 0)
		return r;
	switch (kind) {
	case BF_MKT_WS_KLINE: {
		static const char *const keys[] = {
			"t", "o", "h", "l", "c", "v", "T", "q", "n", "V", "Q"
		};
		long x;
		bool closed;

		k = bf_json_get(js, ev, "k");
		if (k < 0 || js->t[k].type != BF_JSON_OBJECT)
			return 0; /* another event type */
		x = bf_json_get(js, (size_t)k, "x");
		closed = x >= 0 && js->t[x].type == BF_JSON_TRUE;
		if (!closed && !include_open)
			return 0;
		if (tokint(js, bf_json_get(js, (size_t)k, "t"), &key,
		    "kline open time", err) < 0)
			return BF_EFAIL;
		if (key <= *last)
			return 0;
		for (size_t c = 0; c < 11; c++)
			tokfield(js, bf_json_get(js, (size_t)k, keys[c]), &f[c],
			    false);
		if ((r = emit(ctx, f, 11, key, err)) < 0)
			return r;
		if (closed)
			*last = key;
		return 1;
	}
	case BF_MKT_WS_MARK:
		t = bf_json_get(js, ev, "E");
		if (bf_json_get(js, ev, "p") < 0 ||
		    tokint(js, t, &key, "event time", err) < 0)
			return 0;
		tokfield(js, t, &f[0], false);
		tokfield(js, bf_json_get(js, ev, "s"), &f[1], true);
		tokfield(js, bf_json_get(js, ev, "p"), &f[2], false);
		tokfield(js, bf_json_get(js, ev, "i"), &f[3], false);
		tokfield(js, bf_json_get(js, ev, "r"), &f[4], false);
		tokfield(js, bf_json_get(js, ev, "T"), &f[5], false);
		break;
	case BF_MKT_WS_AGGTRADE: {
		static const char *const keys[] = {
			"a", "T", "p", "q", "f", "l", "m"
		};
		if (tokint(js, bf_json_get(js, ev, "a"), &key,
		    "aggregate id", err) < 0)
			return BF_EFAIL;
		for (size_t c = 0; c < 7; c++)
			tokfield(js, bf_json_get(js, ev, keys[c]), &f[c], false);
		break;
	}
	case BF_MKT_WS_BOOK:
		if (tokint(js, bf_json_get(js, ev, "u"), &key, "update id",
		    err) < 0)
			return BF_EFAIL;
		if ((t = bf_json_get(js, ev, "T")) < 0)
			t = bf_json_get(js, ev, "E");
		tokfield(js, t, &f[0], false);
		tokfield(js, bf_json_get(js, ev, "s"), &f[1], true);
		tokfield(js, bf_json_get(js, ev, "u"), &f[2], false);
		tokfield(js, bf_json_get(js, ev, "b"), &f[3], false);
		tokfield(js, bf_json_get(js, ev, "B"), &f[4], false);
		tokfield(js, bf_json_get(js, ev, "a"), &f[5], false);
		tokfield(js, bf_json_get(js, ev, "A"), &f[6], false);
		break;
	case BF_MKT_WS_DEPTH:
		if (tokint(js, bf_json_get(js, ev, "u"), &key, "update id",
		    err) < 0)
			return BF_EFAIL;
		if (key <= *last)
			return 0;
		if ((t = bf_json_get(js, ev, "T")) < 0)
			t = bf_json_get(js, ev, "E");
		tokfield(js, t, &f[0], false);
		if ((r = ws_depth_side(js, ev, "b", "bid", f, emit, ctx, key,
		    err)) < 0 || (r = ws_depth_side(js, ev, "a", "ask", f, emit,
		    ctx, key, err)) < 0)
			return r;
		*last = key;
		return 1;
	default:
		return bf_err_set(err, BF_EUSAGE, "unknown stream kind");
	}
	if (kind != BF_MKT_WS_MARK && key <= *last)
		return 0;
	if ((r = emit(ctx, f, kind == BF_MKT_WS_MARK ? 6 :
	    kind == BF_MKT_WS_AGGTRADE ? 7 : 7, key, err)) < 0)
		return r;
	*last = key;
	return 1;
}
