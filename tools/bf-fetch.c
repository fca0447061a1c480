/* SPDX-License-Identifier: MIT */
/*
 * bf-fetch - market history from Binance USD-M futures as record streams:
 * klines (last, mark, index, premium), funding, open interest, premium
 * index, depth, trades, aggregate trades, symbol filters, leverage
 * brackets; bulk archives with a REST tail; a resumable monthly store.
 *
 * This file is glue: options, configuration, and the writer.  Paging,
 * rate limits and retries live in lib/market.c and lib/http.c, the
 * archive in lib/archive.c, the store in lib/store.c (bf-fetch(1)).
 */
#include "bf.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <unistd.h>

#include "archive.h"
#include "http.h"
#include "market.h"
#include "store.h"
#include "ws.h"

static const char usage_text[] =
    "usage: bf-fetch klines -s SYMBOL -i INTERVAL [--price last|mark|index|premium]\n"
    "                [--start T] [--end T] [--include-open] [--gaps FILE]\n"
    "       bf-fetch funding -s SYMBOL [--start T] [--end T]\n"
    "       bf-fetch oi -s SYMBOL [--period P] [--start T] [--end T] | --now\n"
    "       bf-fetch premium | depth [--levels N] | trades [--limit N] | info | brackets\n"
    "                -s SYMBOL\n"
    "       bf-fetch aggtrades -s SYMBOL [--start T] [--end T]\n"
    "       bf-fetch klines|funding|oi ... --source archive [--archive-url URL]\n"
    "       bf-fetch sync --store DIR -s SYMBOL (-i INTERVAL... | --series S)\n"
    "       bf-fetch cat --store DIR -s SYMBOL (-i INTERVAL | --series S)\n"
    "                [--start T] [--end T]\n"
    "       bf-fetch stream -s SYMBOL (--kline INTERVAL | --mark | --aggtrade | --book |\n"
    "                --depth) [--count N] [--duration D] [--include-open]\n"
    "\n"
    "Fetch market data from Binance USD-M futures as CSV (or NDJSON with -o json).\n"
    "\n"
    "  -s, --symbol SYMBOL        contract, e.g. BTCUSDT\n"
    "  -i, --interval INTERVAL    kline interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h\n"
    "                             1d 3d 1w 1M (sync: repeatable)\n"
    "      --price KIND           klines of last (default), mark, index or premium\n"
    "      --start T              first time (epoch ms, ISO 8601, -30d, now);\n"
    "                             default: 500 rows before --end\n"
    "      --end T                last time, inclusive (default: now)\n"
    "      --include-open         keep the unfinished last candle\n"
    "      --gaps FILE            also write the gaps as CSV start,end,bars\n"
    "      --period P             open interest period: 5m 15m 30m 1h 2h 4h 6h 12h 1d\n"
    "      --now                  oi: the current open interest\n"
    "      --levels N             depth: 5 10 20 50 100 500 1000 (default 20)\n"
    "      --limit N              trades: the last N trades (default 500, max 1000)\n"
    "      --source SRC           rest (default) or archive (bulk files + REST tail)\n"
    "      --archive-url URL      bulk archive (default https://data.binance.vision)\n"
    "      --store DIR            sync, cat: the store directory\n"
    "      --series S             sync, cat: klines, mark, index, premium, funding, oi\n"
    "      --kline INTERVAL       stream: closed candles of INTERVAL\n"
    "      --mark                 stream: mark price, index price, funding rate (1 s)\n"
    "      --aggtrade             stream: aggregate trades\n"
    "      --book                 stream: best bid and ask\n"
    "      --depth                stream: top --levels (5, 10, 20) of the book\n"
    "      --count N              stream: stop after N events\n"
    "      --duration D           stream: stop after D (30s, 5m, 1h)\n"
    "      --ws-url URL           stream endpoint (default wss://fstream.binance.com)\n"
    "      --base-url URL         REST endpoint (default https://fapi.binance.com)\n"
    "      --testnet              use the demo/testnet REST endpoint\n"
    "      --weight-budget N      request weight per minute (default 1800; 0: no limit)\n"
    "      --retries N            retries of a failed request (default 6)\n"
    "      --timeout SECONDS      timeout of one request (default 30)\n"
    "      --max-wait SECONDS     longest wait for a rate limit (default 300)\n"
    BF_COMMON_HELP;

enum {
	OPT_PRICE = BF_OPT_TOOL,
	OPT_START,
	OPT_END,
	OPT_INCLUDE_OPEN,
	OPT_GAPS,
	OPT_PERIOD,
	OPT_NOW,
	OPT_LEVELS,
	OPT_LIMIT,
	OPT_SOURCE,
	OPT_ARCHIVE_URL,
	OPT_STORE,
	OPT_SERIES,
	OPT_BASE_URL,
	OPT_TESTNET,
	OPT_WEIGHT_BUDGET,
	OPT_RETRIES,
	OPT_TIMEOUT,
	OPT_MAX_WAIT,
	OPT_KLINE,
	OPT_MARK,
	OPT_AGGTRADE,
	OPT_BOOK,
	OPT_DEPTH,
	OPT_COUNT,
	OPT_DURATION,
	OPT_WS_URL
};

static const struct option longopts[] = {
	BF_COMMON_LONGOPTS,
	{ "aggtrade", no_argument, NULL, OPT_AGGTRADE },
	{ "archive-url", required_argument, NULL, OPT_ARCHIVE_URL },
	{ "base-url", required_argument, NULL, OPT_BASE_URL },
	{ "book", no_argument, NULL, OPT_BOOK },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "depth", no_argument, NULL, OPT_DEPTH },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "end", required_argument, NULL, OPT_END },
	{ "gaps", required_argument, NULL, OPT_GAPS },
	{ "include-open", no_argument, NULL, OPT_INCLUDE_OPEN },
	{ "interval", required_argument, NULL, 'i' },
	{ "kline", required_argument, NULL, OPT_KLINE },
	{ "levels", required_argument, NULL, OPT_LEVELS },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "mark", no_argument, NULL, OPT_MARK },
	{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
	{ "now", no_argument, NULL, OPT_NOW },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "start", required_argument, NULL, OPT_START },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "symbol", required_argument, NULL, 's' },
	{ "testnet", no_argument, NULL, OPT_TESTNET },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "weight-budget", required_argument, NULL, OPT_WEIGHT_BUDGET },
	{ "ws-url", required_argument, NULL, OPT_WS_URL },
	{ NULL, 0, NULL, 0 }
};

#define MAX_INTERVALS 16

/* Everything the command line and the configuration say. */
struct args {
	struct bf_common common;
	const char *cmd;
	char symbol[33];
	const char *intervals[MAX_INTERVALS];
	int nintervals;
	const char *price;	/* last, mark, index, premium */
	const char *series;	/* sync/cat --series */
	const char *start_s, *end_s;
	int64_t start, end, now;
	bool has_start;
	bool include_open;
	const char *gaps_file;
	const char *period;
	bool oi_now;
	long levels;
	long limit;
	bool archive;
	const char *archive_url;
	const char *store;
	const char *base_url;
	long long budget;
	long long retries;
	double timeout_s;
	double max_wait_s;
	struct bf_cfg *cfg;
	int ws_kind;		/* stream: BF_MKT_WS_* */
	const char *ws_interval;
	long long count;
	int64_t duration_ms;
	const char *ws_url;
};

/* The output side: the writer and the bookkeeping for progress. */
struct out {
	const struct args *a;
	const char *const *cols; /* started lazily: no header before an error */
	size_t ncols;
	struct bf_writer *w;
	struct bf_http *http;
	FILE *gaps;
	long rows;
	int64_t first, last;	/* keys of the first and last row */
	bool timed;		/* keys are times */
};

static struct bf_writer *start_writer(const struct args *a,
    const char *const *cols, size_t n);

/* Write one row through the writer, the text of every field unchanged. */
static int
emit_row(void *ctx, const struct bf_field *f, size_t n, int64_t key,
    struct bf_err *err)
{
	struct out *o = ctx;

	if (o->w == NULL)
		o->w = start_writer(o->a, o->cols, o->ncols);
	for (size_t k = 0; k < n; k++) {
		switch (f[k].kind) {
		case BF_VAL_MISSING:
			bf_writer_set_missing(o->w, k);
			break;
		case BF_VAL_TEXT:
			bf_writer_set_text(o->w, k, f[k].s, f[k].len);
			break;
		default:
			bf_writer_set_auto(o->w, k, f[k].s, f[k].len);
			break;
		}
	}
	if (o->rows == 0)
		o->first = key;
	o->last = key;
	o->rows++;
	if (o->http != NULL && (o->rows & 1023) == 0 &&
	    (bf_progress_enabled() || (bf_log_verbosity() >= BF_LOG_INFO &&
	    o->rows % 131072 == 0))) {
		const struct bf_http_stats *st = bf_http_stats(o->http);
		char a[BF_TIME_BUFSZ], b[BF_TIME_BUFSZ];
		if (o->timed) {
			bf_time_format_iso(a, o->first);
			bf_time_format_iso(b, o->last);
		} else {
			snprintf(a, sizeof(a), "%lld", (long long)o->first);
			snprintf(b, sizeof(b), "%lld", (long long)o->last);
		}
		/* A line rewritten in place on a terminal; -v: a log line. */
		if (bf_progress_enabled())
			bf_progress("%ld rows, %s .. %s, %ld requests, weight %ld/min",
			    o->rows, a, b, st->requests, st->weight_last);
		else
			bf_info("%ld rows, %s .. %s, %ld requests, weight %ld/min",
			    o->rows, a, b, st->requests, st->weight_last);
	}
	return bf_writer_emit(o->w, NULL, err);
}

/* Report a gap on stderr and in --gaps FILE. */
static void
on_gap(void *ctx, int64_t first, int64_t last, int64_t bars)
{
	struct out *o = ctx;
	char a[BF_TIME_BUFSZ], b[BF_TIME_BUFSZ];

	bf_time_format_iso(a, first);
	bf_time_format_iso(b, last);
	bf_warn("gap: %lld %lld %lld (%s .. %s: no candles on the exchange)",
	    (long long)first, (long long)last, (long long)bars, a, b);
	if (o->gaps != NULL)
		fprintf(o->gaps, "%lld,%lld,%lld\n", (long long)first,
		    (long long)last, (long long)bars);
}

/* Parse a time option or exit 2. */
static int64_t
parse_time(const char *opt, const char *s, int64_t now)
{
	struct bf_err err = BF_ERR_INIT;
	int64_t t;

	if (bf_time_parse(s, now, &t, &err) < 0)
		bf_usage_error("%s: %s", opt, err.msg);
	return t;
}

/* Parse a number of seconds or exit 2. */
static double
parse_seconds(const char *opt, const char *s)
{
	double v;

	if (bf_parse_double(s, &v) < 0 || v <= 0 || v > 86400)
		bf_usage_error("%s '%s': must be seconds in (0, 86400]", opt, s);
	return v;
}

/* Read the options into 'a'. */
static void
parse_args(struct args *a, int argc, char *argv[])
{
	int ch;
	long long v;

	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS "i:s:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (strlen(optarg) == 0 || strlen(optarg) >= 33)
				bf_usage_error("symbol '%s': must be 1..32 characters",
				    optarg);
			for (size_t i = 0; optarg[i]; i++) {
				char c = optarg[i];
				if (c >= 'a' && c <= 'z')
					c = (char)(c - 'a' + 'A');
				if ((unsigned char)c <= ' ' || c == '/' ||
				    c == '.')
					bf_usage_error("symbol '%s': invalid character",
					    optarg);
				a->symbol[i] = c;
				a->symbol[i + 1] = '\0';
			}
			break;
		case 'i':
			if (a->nintervals == MAX_INTERVALS)
				bf_usage_error("too many intervals");
			a->intervals[a->nintervals++] = optarg;
			break;
		case OPT_PRICE:
			if (strcmp(optarg, "last") && strcmp(optarg, "mark") &&
			    strcmp(optarg, "index") && strcmp(optarg, "premium"))
				bf_usage_error("price '%s': must be last, mark, index or premium",
				    optarg);
			a->price = optarg;
			break;
		case OPT_START:
			a->start_s = optarg;
			break;
		case OPT_END:
			a->end_s = optarg;
			break;
		case OPT_INCLUDE_OPEN:
			a->include_open = true;
			break;
		case OPT_GAPS:
			a->gaps_file = optarg;
			break;
		case OPT_PERIOD:
			a->period = optarg;
			break;
		case OPT_NOW:
			a->oi_now = true;
			break;
		case OPT_LEVELS:
			if (bf_parse_long(optarg, 1, 1000, &v) < 0 ||
			    (v != 5 && v != 10 && v != 20 && v != 50 &&
			    v != 100 && v != 500 && v != 1000))
				bf_usage_error("levels '%s': must be 5, 10, 20, 50, 100, 500 or 1000",
				    optarg);
			a->levels = (long)v;
			break;
		case OPT_LIMIT:
			if (bf_parse_long(optarg, 1, 1000, &v) < 0)
				bf_usage_error("limit '%s': must be 1..1000",
				    optarg);
			a->limit = (long)v;
			break;
		case OPT_SOURCE:
			if (strcmp(optarg, "rest") == 0)
				a->archive = false;
			else if (strcmp(optarg, "archive") == 0)
				a->archive = true;
			else
				bf_usage_error("source '%s': must be rest or archive",
				    optarg);
			break;
		case OPT_ARCHIVE_URL:
			a->archive_url = optarg;
			break;
		case OPT_STORE:
			a->store = optarg;
			break;
		case OPT_SERIES:
			a->series = optarg;
			break;
		case OPT_BASE_URL:
			a->base_url = optarg;
			break;
		case OPT_TESTNET:
			a->base_url = "https://demo-fapi.binance.com";
			break;
		case OPT_WEIGHT_BUDGET:
			if (bf_parse_long(optarg, 0, 1000000, &v) < 0)
				bf_usage_error("weight budget '%s': must be 0..1000000",
				    optarg);
			a->budget = v;
			break;
		case OPT_RETRIES:
			if (bf_parse_long(optarg, 0, 100, &v) < 0)
				bf_usage_error("retries '%s': must be 0..100",
				    optarg);
			a->retries = v;
			break;
		case OPT_TIMEOUT:
			a->timeout_s = parse_seconds("timeout", optarg);
			break;
		case OPT_MAX_WAIT:
			a->max_wait_s = parse_seconds("max-wait", optarg);
			break;
		case OPT_KLINE:
		case OPT_MARK:
		case OPT_AGGTRADE:
		case OPT_BOOK:
		case OPT_DEPTH:
			if (a->ws_kind != 0)
				bf_usage_error("stream one of --kline, --mark, --aggtrade, --book, --depth");
			a->ws_kind = ch == OPT_KLINE ? BF_MKT_WS_KLINE :
			    ch == OPT_MARK ? BF_MKT_WS_MARK :
			    ch == OPT_AGGTRADE ? BF_MKT_WS_AGGTRADE :
			    ch == OPT_BOOK ? BF_MKT_WS_BOOK : BF_MKT_WS_DEPTH;
			if (ch == OPT_KLINE)
				a->ws_interval = optarg;
			break;
		case OPT_COUNT:
			if (bf_parse_long(optarg, 1, LLONG_MAX, &v) < 0)
				bf_usage_error("count '%s': must be a positive integer",
				    optarg);
			a->count = v;
			break;
		case OPT_DURATION:
			if (bf_duration_parse(optarg, &a->duration_ms) < 0 ||
			    a->duration_ms <= 0)
				bf_usage_error("duration '%s': must be like 30s, 5m, 2h",
				    optarg);
			break;
		case OPT_WS_URL:
			a->ws_url = optarg;
			break;
		default:
			bf_opt_common(&a->common, ch, argv, usage_text);
		}
	}
	if (optind < argc)
		bf_usage_error("unexpected argument '%s'", argv[optind]);
	bf_opt_finish(&a->common);
}

/* Apply the configuration under the flags; exit 2 on bad values. */
static void
configure(struct args *a)
{
	struct bf_err err = BF_ERR_INIT;
	long long v;

	a->cfg = bf_cfg_load(a->common.config, &err);
	if (a->cfg == NULL)
		bf_die_err(&err);
	if (a->base_url == NULL)
		a->base_url = bf_cfg_str(a->cfg, "exchange", "base_url",
		    BF_HTTP_DEFAULT_URL);
	if (a->ws_url == NULL)
		a->ws_url = bf_cfg_str(a->cfg, "exchange", "ws_url",
		    "wss://fstream.binance.com");
	if (a->archive_url == NULL)
		a->archive_url = bf_cfg_str(a->cfg, "exchange", "archive_url",
		    BF_ARCHIVE_DEFAULT_URL);
	if (a->budget < 0) {
		if (bf_cfg_long(a->cfg, "exchange", "weight_budget",
		    BF_HTTP_WEIGHT_BUDGET, &v, &err) < 0 || v < 0)
			bf_die_err(&err);
		a->budget = v;
	}
	if (a->retries < 0) {
		if (bf_cfg_long(a->cfg, "exchange", "retries", 6, &v, &err) < 0)
			bf_die_err(&err);
		a->retries = v < 0 ? 0 : v;
	}
	if (a->timeout_s <= 0) {
		double d;
		if (bf_cfg_double(a->cfg, "exchange", "timeout", 30, &d,
		    &err) < 0)
			bf_die_err(&err);
		a->timeout_s = d > 0 ? d : 30;
	}
	if (strncmp(a->base_url, "http://", 7) != 0 &&
	    strncmp(a->base_url, "https://", 8) != 0)
		bf_usage_error("base URL '%s': must start with http:// or https://",
		    a->base_url);
}

/* A new REST client set up from the options. */
static struct bf_http *
new_http(const struct args *a)
{
	struct bf_http *h = bf_http_new(a->base_url);

	bf_http_set_budget(h, (long)a->budget);
	bf_http_set_retries(h, (int)a->retries, 10);
	bf_http_set_timeout(h, (long)(a->timeout_s * 1000));
	bf_http_set_max_wait(h, (long)(a->max_wait_s * 1000));
	return h;
}

/* Start the writer on stdout with 'cols'. */
static struct bf_writer *
start_writer(const struct args *a, const char *const *cols, size_t n)
{
	struct bf_err err = BF_ERR_INIT;
	int fmt = bf_opt_out_format(&a->common, BF_FMT_CSV);
	struct bf_writer *w = bf_writer_new(STDOUT_FILENO, fmt,
	    a->common.digits, a->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);

	if (bf_writer_start(w, NULL, cols, n, &err) < 0)
		bf_die_err(&err);
	return w;
}

/*
 * Close the writer, reporting write errors.  After a failure ('failed')
 * with nothing written, nothing is output; after success, at least the
 * header.
 */
static int
finish_writer(struct out *o, bool failed)
{
	struct bf_err err = BF_ERR_INIT;

	if (o->w == NULL) {
		if (failed)
			return BF_EXIT_OK;
		o->w = start_writer(o->a, o->cols, o->ncols);
	}
	if (bf_writer_close(o->w, &err) < 0) {
		bf_error("stdout: %s", err.msg);
		return BF_EXIT_FAIL;
	}
	return BF_EXIT_OK;
}

/* Print a failure with the subject and return its exit status. */
static int
fail(const struct args *a, const struct bf_err *err)
{
	if (err->code == BF_EUPSTREAM && a->symbol[0])
		bf_error("symbol %s: %s", a->symbol, err->msg);
	else
		bf_error("%s", err->msg);
	return bf_err_exit(err->code);
}

/* Require -s. */
static void
need_symbol(const struct args *a)
{
	if (a->symbol[0] == '\0')
		bf_usage_error("%s needs -s SYMBOL", a->cmd);
}

/* Say what was done (-v) once a command ends. */
static void
summary(const struct args *a, const struct out *o)
{
	const struct bf_http_stats *st;

	bf_progress_done();
	if (o->http == NULL || bf_log_verbosity() < BF_LOG_INFO)
		return;
	st = bf_http_stats(o->http);
	bf_info("%s %s: %ld rows, %ld requests (%ld retried, %ld rate limited), "
	    "weight %lld, max used %ld/min, waited %.1f s", a->cmd, a->symbol,
	    o->rows, st->requests, st->retries, st->rate_limited, st->weight,
	    st->weight_max, (double)st->waited_ms / 1000);
}

/* Resolve the interval (or period) 'name', exit 2 if unknown. */
static struct bf_interval
interval_or_die(const char *name)
{
	struct bf_interval iv;
	struct bf_err err = BF_ERR_INIT;

	if (bf_interval_parse(name, &iv, &err) < 0)
		bf_usage_error("%s", err.msg);
	return iv;
}

/* The range [start, end]; 'rows' x 'step' before end by default. */
static void
resolve_range(struct args *a, int64_t step, int64_t rows)
{
	a->end = a->end_s ? parse_time("--end", a->end_s, a->now) : a->now;
	if (a->start_s != NULL) {
		a->start = parse_time("--start", a->start_s, a->now);
		a->has_start = true;
	} else {
		a->start = a->end - step * rows;
	}
	if (a->start > a->end)
		bf_usage_error("--start %s is after --end %s", a->start_s,
		    a->end_s ? a->end_s : "now");
}

/* The paged series the command and options name. */
static const struct bf_mkt_series *
paged_series(const struct args *a, const char *name)
{
	if (strcmp(name, "klines") == 0 && a->price != NULL &&
	    strcmp(a->price, "last") != 0)
		name = a->price;
	return bf_mkt_series_find(name);
}

/* klines, funding, oi (history), aggtrades: a paged range. */
static int
cmd_paged(struct args *a, const char *name)
{
	const struct bf_mkt_series *s = paged_series(a, name);
	struct bf_interval iv = { 0 };
	struct bf_err err = BF_ERR_INIT;
	struct bf_pager p;
	struct out o = { 0 };
	int r, status;

	need_symbol(a);
	switch (s->kind) {
	case BF_MKT_KLINES:
		if (a->nintervals != 1)
			bf_usage_error("klines needs one -i INTERVAL");
		iv = interval_or_die(a->intervals[0]);
		resolve_range(a, iv.ms, 500);
		if (!a->has_start) /* the last 500 whole candles */
			a->start = bf_interval_align(&iv, a->end) - 500 * iv.ms;
		break;
	case BF_MKT_OI:
		iv = interval_or_die(a->period ? a->period : "5m");
		if (iv.ms < 5 * BF_MS_MINUTE || iv.ms > BF_MS_DAY ||
		    strcmp(iv.name, "3m") == 0 || strcmp(iv.name, "8h") == 0)
			bf_usage_error("period '%s': must be 5m 15m 30m 1h 2h 4h 6h 12h or 1d",
			    iv.name);
		resolve_range(a, iv.ms, 500);
		break;
	case BF_MKT_FUNDING:
		resolve_range(a, 8 * BF_MS_HOUR, 100);
		break;
	default:
		resolve_range(a, BF_MS_MINUTE, 1);
		break;
	}
	o.http = new_http(a);
	o.timed = s->kind != BF_MKT_AGGTRADES;
	if (a->gaps_file != NULL) {
		o.gaps = fopen(a->gaps_file, "w");
		if (o.gaps == NULL)
			bf_die(BF_EXIT_FAIL, "%s: cannot write: %s",
			    a->gaps_file, strerror(errno));
		fputs("start,end,bars\n", o.gaps);
	}
	o.a = a;
	o.cols = s->cols;
	o.ncols = s->ncols;
	bf_pager_init(&p, s, a->symbol, s->kind == BF_MKT_KLINES ||
	    s->kind == BF_MKT_OI ? &iv : NULL, a->start, a->end, a->now);
	p.include_open = a->include_open;
	p.emit = emit_row;
	p.gap = on_gap;
	p.ctx = &o;
	if (a->archive) {
		struct bf_archive_opts ao = { a->archive_url, a->symbol, s,
		    s->kind == BF_MKT_KLINES || s->kind == BF_MKT_OI ? &iv :
		    NULL, a->now };
		r = bf_archive_fetch(o.http, &ao, &p, &err);
		if (r == 0)
			r = bf_mkt_fetch(o.http, &p, &err);
	} else {
		r = bf_mkt_fetch(o.http, &p, &err);
	}
	summary(a, &o);
	status = finish_writer(&o, r < 0);
	if (o.gaps != NULL && fclose(o.gaps) != 0) {
		bf_error("%s: %s", a->gaps_file, strerror(errno));
		status = BF_EXIT_FAIL;
	}
	bf_http_free(o.http);
	if (r < 0)
		return fail(a, &err);
	return status;
}

/* premium, oi --now, depth, trades, info, brackets: one request. */
static int
cmd_oneshot(struct args *a)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	const struct bf_mkt_schema *sc;
	const char *path;
	struct out o = { 0 };
	int weight = 1, flags = 0, r, status;

	need_symbol(a);
	bf_http_query_add(&q, "symbol", a->symbol);
	if (strcmp(a->cmd, "premium") == 0) {
		sc = &bf_mkt_premium_schema;
		path = "/fapi/v1/premiumIndex";
	} else if (strcmp(a->cmd, "oi") == 0) {
		sc = &bf_mkt_oi_schema;
		path = "/fapi/v1/openInterest";
	} else if (strcmp(a->cmd, "depth") == 0) {
		long lv = a->levels ? a->levels : 20;
		sc = &bf_mkt_depth_schema;
		path = "/fapi/v1/depth";
		bf_http_query_add_i64(&q, "limit", lv);
		weight = bf_mkt_depth_weight((int)lv);
	} else if (strcmp(a->cmd, "trades") == 0) {
		sc = &bf_mkt_trade_schema;
		path = "/fapi/v1/trades";
		bf_http_query_add_i64(&q, "limit", a->limit ? a->limit : 500);
		weight = 5;
	} else if (strcmp(a->cmd, "info") == 0) {
		sc = &bf_mkt_info_schema;
		path = "/fapi/v1/exchangeInfo";
		bf_buf_reset(&q);
	} else {
		const char *key, *secret;
		sc = &bf_mkt_bracket_schema;
		path = "/fapi/v1/leverageBracket";
		flags = BF_HTTP_SIGNED;
		key = bf_cfg_get(a->cfg, "exchange", "api_key");
		secret = bf_cfg_get(a->cfg, "exchange", "api_secret");
		if (key == NULL || secret == NULL || !*key || !*secret)
			bf_usage_error("brackets is a signed request: set BF_API_KEY and BF_API_SECRET");
		o.http = new_http(a);
		bf_http_set_key(o.http, key, secret);
	}
	if (o.http == NULL)
		o.http = new_http(a);
	r = bf_http_get_json(o.http, path, q.buf, weight, flags, &js, &err);
	o.a = a;
	o.cols = sc->cols;
	o.ncols = sc->ncols;
	if (r == 0) {
		if (sc == &bf_mkt_premium_schema)
			r = bf_mkt_premium(&js, emit_row, &o, &err);
		else if (sc == &bf_mkt_oi_schema)
			r = bf_mkt_oi_now(&js, emit_row, &o, &err);
		else if (sc == &bf_mkt_depth_schema)
			r = bf_mkt_depth(&js, emit_row, &o, &err);
		else if (sc == &bf_mkt_trade_schema)
			r = bf_mkt_trades(&js, emit_row, &o, &err);
		else if (sc == &bf_mkt_info_schema)
			r = bf_mkt_info(&js, a->symbol, emit_row, &o, &err);
		else
			r = bf_mkt_brackets(&js, emit_row, &o, &err);
		summary(a, &o);
		status = finish_writer(&o, r < 0);
	} else {
		status = BF_EXIT_FAIL;
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	bf_http_free(o.http);
	if (r < 0)
		return fail(a, &err);
	return status;
}

/* The store series named by -i / --series / --price: "klines-1h", ... */
static int
store_series(const struct args *a, const char **names, int max)
{
	int n = 0;

	if (a->series != NULL && (strcmp(a->series, "funding") == 0 ||
	    strcmp(a->series, "oi") == 0)) {
		if (a->nintervals > 0 && strcmp(a->series, "funding") == 0)
			bf_usage_error("funding takes no -i");
		names[n++] = a->series;
		return n;
	}
	if (a->nintervals == 0)
		bf_usage_error("%s needs -i INTERVAL or --series funding|oi",
		    a->cmd);
	for (int i = 0; i < a->nintervals && n < max; i++) {
		interval_or_die(a->intervals[i]);
		names[n++] = a->intervals[i];
	}
	return n;
}

/* The progress line of sync. */
static void
sync_progress(void *ctx, long rows, int64_t last)
{
	char t[BF_TIME_BUFSZ];

	bf_time_format_iso(t, last);
	bf_progress("sync %s: %ld new rows, up to %s", (const char *)ctx, rows,
	    t);
}

/* sync: bring the store up to date for each series. */
static int
cmd_sync(struct args *a)
{
	struct bf_err err = BF_ERR_INIT;
	const char *names[MAX_INTERVALS];
	int n, r = 0;
	struct bf_http *h;

	need_symbol(a);
	if (a->store == NULL)
		bf_usage_error("sync needs --store DIR");
	n = store_series(a, names, MAX_INTERVALS);
	a->end = a->end_s ? parse_time("--end", a->end_s, a->now) : a->now;
	a->start = a->start_s ? parse_time("--start", a->start_s, a->now) :
	    INT64_MIN;
	if (a->start_s && a->start > a->end)
		bf_usage_error("--start %s is after --end %s", a->start_s,
		    a->end_s ? a->end_s : "now");
	if (bf_store_check(a->store, &err) < 0)
		return fail(a, &err);
	h = new_http(a);
	for (int i = 0; i < n && r == 0; i++) {
		struct bf_store_sync ss = { 0 };
		ss.dir = a->store;
		ss.symbol = a->symbol;
		ss.price = a->price ? a->price : "last";
		if (a->series && strcmp(a->series, "funding") == 0) {
			ss.series = "funding";
		} else if (a->series && strcmp(a->series, "oi") == 0) {
			ss.series = "oi";
			ss.interval = a->period ? a->period : "5m";
		} else {
			ss.series = a->series ? a->series :
			    (a->price && strcmp(a->price, "last") != 0 ?
			    a->price : "klines");
			ss.interval = names[i];
		}
		ss.start = a->start;
		ss.end = a->end;
		ss.now = a->now;
		ss.archive = a->archive;
		ss.archive_url = a->archive_url;
		ss.progress = sync_progress;
		ss.ctx = (void *)names[i];
		r = bf_store_sync(h, &ss, &err);
		bf_progress_done();
		if (r == 0)
			bf_info("sync %s %s: %ld new rows, store up to %lld",
			    a->symbol, names[i], ss.added, (long long)ss.last);
	}
	bf_http_free(h);
	if (r < 0)
		return fail(a, &err);
	return BF_EXIT_OK;
}

/* cat: stream a range of the store. */
static int
cmd_cat(struct args *a)
{
	struct bf_err err = BF_ERR_INIT;
	const char *names[1];
	struct bf_store_cat sc = { 0 };
	int fmt, r;

	need_symbol(a);
	if (a->store == NULL)
		bf_usage_error("cat needs --store DIR");
	if (a->nintervals > 1)
		bf_usage_error("cat takes one -i INTERVAL");
	store_series(a, names, 1);
	a->end = a->end_s ? parse_time("--end", a->end_s, a->now) : INT64_MAX;
	a->start = a->start_s ? parse_time("--start", a->start_s, a->now) :
	    INT64_MIN;
	if (a->start > a->end)
		bf_usage_error("--start %s is after --end %s",
		    a->start_s ? a->start_s : "", a->end_s ? a->end_s : "");
	sc.dir = a->store;
	sc.symbol = a->symbol;
	if (a->series && strcmp(a->series, "funding") == 0) {
		sc.series = "funding";
	} else if (a->series && strcmp(a->series, "oi") == 0) {
		sc.series = "oi";
		sc.interval = a->period ? a->period : "5m";
	} else {
		sc.series = a->series ? a->series : (a->price ? a->price :
		    "klines");
		if (strcmp(sc.series, "last") == 0)
			sc.series = "klines";
		sc.interval = names[0];
	}
	sc.start = a->start;
	sc.end = a->end;
	fmt = bf_opt_out_format(&a->common, BF_FMT_CSV);
	r = bf_store_cat(&sc, STDOUT_FILENO, fmt, a->common.digits,
	    a->common.unbuffered, &err);
	if (r < 0)
		return fail(a, &err);
	return BF_EXIT_OK;
}

/* The state of a stream command. */
struct streamer {
	struct out o;
	int kind;
	bool include_open;
	long long count;	/* events left, 0: no limit */
	int64_t last;		/* the last key emitted */
	struct bf_json js;
};

/* One stream message: rows out, flushed at once; 1 when --count is met. */
static int
on_message(void *ctx, char *msg, size_t len, struct bf_err *err)
{
	struct streamer *sm = ctx;
	int r;

	if (bf_json_parse(&sm->js, msg, len, err) < 0) {
		bf_warn("stream: ignoring a message: %s", err->msg);
		bf_err_clear(err);
		return 0;
	}
	r = bf_mkt_ws_event(sm->kind, &sm->js, sm->include_open, &sm->last,
	    emit_row, &sm->o, err);
	if (r < 0)
		return r;
	if (r > 0 && sm->o.w != NULL && bf_writer_flush(sm->o.w, err) < 0)
		return BF_EFAIL;
	if (r > 0 && sm->count > 0 && --sm->count == 0)
		return 1;
	return 0;
}

/* stream: a live WebSocket market stream as records. */
static int
cmd_stream(struct args *a)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_buf url = BF_BUF_INIT, lower = BF_BUF_INIT;
	struct bf_ws_opts wo = { 0 };
	struct bf_ws_stats st;
	struct streamer sm;
	const struct bf_mkt_schema *sc;
	const char *route = "market";
	long lv = a->levels ? a->levels : 20;
	int r, status;

	need_symbol(a);
	memset(&sm, 0, sizeof(sm));
	for (const char *p = a->symbol; *p; p++)
		bf_buf_addc(&lower, (char)(*p >= 'A' && *p <= 'Z' ?
		    *p - 'A' + 'a' : *p));
	bf_buf_printf(&url, "%s", a->ws_url);
	while (url.len > 0 && url.buf[url.len - 1] == '/')
		url.buf[--url.len] = '\0';
	switch (a->ws_kind) {
	case BF_MKT_WS_KLINE:
		interval_or_die(a->ws_interval);
		sc = &bf_mkt_kline_schema;
		bf_buf_printf(&url, "/%s/ws/%s@kline_%s", route, lower.buf,
		    a->ws_interval);
		break;
	case BF_MKT_WS_MARK:
		sc = &bf_mkt_premium_schema;
		bf_buf_printf(&url, "/%s/ws/%s@markPrice@1s", route, lower.buf);
		break;
	case BF_MKT_WS_AGGTRADE:
		sc = &bf_mkt_aggtrade_schema;
		bf_buf_printf(&url, "/%s/ws/%s@aggTrade", route, lower.buf);
		break;
	case BF_MKT_WS_BOOK:
		sc = &bf_mkt_book_schema;
		bf_buf_printf(&url, "/public/ws/%s@bookTicker", lower.buf);
		break;
	case BF_MKT_WS_DEPTH:
		if (lv != 5 && lv != 10 && lv != 20)
			bf_usage_error("stream --depth: --levels must be 5, 10 or 20");
		sc = &bf_mkt_depth_schema;
		bf_buf_printf(&url, "/public/ws/%s@depth%ld@100ms", lower.buf,
		    lv);
		break;
	default:
		bf_usage_error("stream needs --kline INTERVAL, --mark, --aggtrade, --book or --depth");
	}
	sm.kind = a->ws_kind;
	sm.include_open = a->include_open;
	sm.count = a->count;
	sm.last = INT64_MIN;
	sm.o.a = a;
	sm.o.cols = sc->cols;
	sm.o.ncols = sc->ncols;
	wo.url = url.buf;
	wo.duration_ms = a->duration_ms;
	wo.max_reconnects = (int)(a->retries > 0 ? a->retries : 1);
	bf_info("stream %s", url.buf);
	r = bf_ws_run(&wo, on_message, &sm, &st, &err);
	bf_info("stream: %ld messages, %ld connections, %ld lost", st.messages,
	    st.connects, st.failures);
	status = finish_writer(&sm.o, r < 0);
	bf_json_release(&sm.js);
	bf_buf_release(&url);
	bf_buf_release(&lower);
	if (r < 0)
		return fail(a, &err);
	return status;
}

int
main(int argc, char *argv[])
{
	static const char *const cmds[] = {
		"klines", "funding", "oi", "aggtrades", "premium", "depth",
		"trades", "info", "brackets", "sync", "cat", "stream"
	};
	struct args a;
	bool known = false;
	int rc;

	bf_setprogname("bf-fetch");
	memset(&a, 0, sizeof(a));
	bf_opt_init(&a.common);
	a.budget = -1;
	a.retries = -1;
	a.max_wait_s = 300;
	if (argc < 2)
		bf_usage_error("missing command (klines, funding, oi, ...)");
	a.cmd = argv[1];
	if (a.cmd[0] == '-') {
		/* bf-fetch --help, --version */
		parse_args(&a, argc, argv);
		bf_usage_error("missing command (klines, funding, oi, ...)");
	}
	for (size_t i = 0; i < BF_ARRAY_SIZE(cmds); i++)
		if (strcmp(a.cmd, cmds[i]) == 0)
			known = true;
	if (!known)
		bf_usage_error("unknown command '%s'", a.cmd);
	parse_args(&a, argc - 1, argv + 1);
	configure(&a);
	a.now = bf_time_now_ms();
	if (a.archive && strcmp(a.cmd, "klines") != 0 &&
	    strcmp(a.cmd, "funding") != 0 && strcmp(a.cmd, "oi") != 0 &&
	    strcmp(a.cmd, "sync") != 0)
		bf_usage_error("--source archive works with klines, funding, oi and sync");
	if (strcmp(a.cmd, "stream") == 0)
		rc = cmd_stream(&a);
	else if (strcmp(a.cmd, "sync") == 0)
		rc = cmd_sync(&a);
	else if (strcmp(a.cmd, "cat") == 0)
		rc = cmd_cat(&a);
	else if (strcmp(a.cmd, "oi") == 0 && a.oi_now)
		rc = cmd_oneshot(&a);
	else if (strcmp(a.cmd, "klines") == 0 ||
	    strcmp(a.cmd, "funding") == 0 || strcmp(a.cmd, "oi") == 0 ||
	    strcmp(a.cmd, "aggtrades") == 0)
		rc = cmd_paged(&a, a.cmd);
	else
		rc = cmd_oneshot(&a);
	bf_cfg_free(a.cfg);
	return rc;
}
