/* SPDX-License-Identifier: MIT */
/*
 * bf-features - append technical, volume, volatility, trend and
 * derivative features to klines (bf-features(1)).
 *
 * This file is glue: options, the record reader and writer, checks of
 * the input's time order, interval inference, and optional resampling
 * (lib/resample.c).  The features themselves are computed row by row by
 * lib/feature.c on the primitives of lib/ta.c.
 */
#include "bf.h"

#include <math.h>

#include "feature.h"
#include "resample.h"

static const char usage_text[] =
    "usage: bf-features [options] < klines > features\n"
    "Append feature columns to klines (any interval), row by row.\n"
    "\n"
    "      --only LIST            features to compute: name[:param...],...\n"
    "                             (default: the standard set; see --list)\n"
    "      --list                 print every feature: column, parameters,\n"
    "                             warm-up row, definition, reference\n"
    "      --funding FILE         funding history (funding_time, funding_rate)\n"
    "      --oi FILE              open interest history (time,\n"
    "                             open_interest_value or open_interest)\n"
    "      --resample INTERVAL    aggregate the input into INTERVAL klines first\n"
    "  -i, --interval INTERVAL    the input's interval (default: inferred)\n"
    "      --drop-warmup          omit rows before every feature has a value\n"
    "      --strict               a gap in open_time is an error, not a warning\n"
    BF_COMMON_HELP;

enum {
	OPT_ONLY = BF_OPT_TOOL,
	OPT_LIST,
	OPT_FUNDING,
	OPT_OI,
	OPT_RESAMPLE,
	OPT_DROP_WARMUP,
	OPT_STRICT
};

static const struct option longopts[] = {
	BF_COMMON_LONGOPTS,
	{ "drop-warmup", no_argument, NULL, OPT_DROP_WARMUP },
	{ "funding", required_argument, NULL, OPT_FUNDING },
	{ "interval", required_argument, NULL, 'i' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "oi", required_argument, NULL, OPT_OI },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "resample", required_argument, NULL, OPT_RESAMPLE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ NULL, 0, NULL, 0 }
};

/* The kline columns, in schema order; the first six are required. */
static const char *const kline_cols[] = {
	"open_time", "open", "high", "low", "close", "volume", "close_time",
	"quote_volume", "trades", "taker_buy_volume", "taker_buy_quote_volume"
};

enum {
	C_OPEN_TIME, C_OPEN, C_HIGH, C_LOW, C_CLOSE, C_VOLUME, C_CLOSE_TIME,
	C_QUOTE_VOLUME, C_TRADES, C_TAKER_BUY, C_TAKER_BUY_QUOTE, C_N
};

#define NREQUIRED 6

struct run {
	struct bf_common common;
	const char *only;
	struct bf_feat_opts fo;
	bool resample, drop_warmup, strict, have_iv;
	struct bf_interval iv;		/* the input's interval */
	struct bf_interval coarse;	/* --resample */
	struct bf_reader *rd;
	struct bf_writer *w;
	struct bf_feature *f;
	struct bf_resample rs;
	int col[C_N];			/* input column indexes, -1 absent */
	double *out;			/* the feature values of a row */
	long rows;			/* rows given to the features */
	long warm;			/* --drop-warmup: rows to omit */
	int64_t prev_open;
	long nrows_in;
	long gaps;
	bool have_iv_out;		/* interval of feature rows known */
};

/* Bars in a year of 365 days for bars of interval 'iv' (1M: 12). */
static double
bars_per_year(const struct bf_interval *iv)
{
	if (iv->months > 0)
		return 12.0 / iv->months;
	return (double)(365 * BF_MS_DAY) / (double)iv->ms;
}

/*
 * Infer the interval from the spacing 'd' (ms) of the first two rows.
 * Returns 0, or BF_EDATA when no Binance interval has that spacing.
 */
static int
infer_interval(struct run *r, int64_t d, struct bf_err *err)
{
	struct bf_interval iv;

	for (size_t i = 0; bf_interval_names[i] != NULL; i++) {
		if (bf_interval_parse(bf_interval_names[i], &iv, NULL) < 0)
			continue;
		if ((iv.months == 0 && iv.ms == d) ||
		    (iv.months == 1 && d >= 28 * BF_MS_DAY &&
		    d <= 31 * BF_MS_DAY)) {
			r->iv = iv;
			r->have_iv = true;
			return 0;
		}
	}
	return bf_reader_error(r->rd, err,
	    "cannot infer the interval from an open_time spacing of %lld ms (give -i)",
	    (long long)d);
}

/* Read required number column 'c' of the current record into 'v'. */
static int
get_num(struct run *r, int c, double *v, struct bf_err *err)
{
	int rc = bf_reader_double(r->rd, r->col[c], v, err);

	if (rc == 0)
		return bf_reader_error(r->rd, err, "column '%s': missing value",
		    kline_cols[c]);
	return rc < 0 ? rc : 0;
}

/* Read optional number column 'c' into 'v' (NaN when absent or empty). */
static int
get_opt(struct run *r, int c, double *v, struct bf_err *err)
{
	int rc;

	*v = NAN;
	if (r->col[c] < 0)
		return 0;
	rc = bf_reader_double(r->rd, r->col[c], v, err);
	if (rc == 0)
		*v = NAN;
	return rc < 0 ? rc : 0;
}

/* Copy price column 'c' (value and text) into 'p'; it must be > 0. */
static int
get_price(struct run *r, int c, struct bf_rs_price *p, struct bf_err *err)
{
	const struct bf_field *fl;
	int rc = get_num(r, c, &p->v, err);

	if (rc < 0)
		return rc;
	if (!(p->v > 0))
		return bf_reader_error(r->rd, err,
		    "column '%s': price must be positive", kline_cols[c]);
	fl = bf_reader_field(r->rd, (size_t)r->col[c]);
	if (fl->len >= BF_RS_TEXT)
		return bf_reader_error(r->rd, err, "column '%s': too long",
		    kline_cols[c]);
	memcpy(p->s, fl->s, fl->len);
	p->len = fl->len;
	return 0;
}

/*
 * Read the current record into 'b', checking the values and the time
 * order (and inferring the interval from the first two rows).
 */
static int
read_bar(struct run *r, struct bf_rs_bar *b, struct bf_err *err)
{
	int64_t t, ct, want;
	int rc;

	rc = bf_reader_i64(r->rd, r->col[C_OPEN_TIME], &t, err);
	if (rc == 0)
		return bf_reader_error(r->rd, err,
		    "column 'open_time': missing value");
	if (rc < 0)
		return rc;
	for (int i = 0; i < 4; i++)
		if ((rc = get_price(r, C_OPEN + i, &b->px[i], err)) < 0)
			return rc;
	if (b->px[BF_RS_HIGH].v < b->px[BF_RS_LOW].v)
		return bf_reader_error(r->rd, err, "high below low");
	if ((rc = get_num(r, C_VOLUME, &b->sum[BF_RS_VOLUME], err)) < 0)
		return rc;
	if (!(b->sum[BF_RS_VOLUME] >= 0))
		return bf_reader_error(r->rd, err,
		    "column 'volume': negative volume");
	if ((rc = get_opt(r, C_QUOTE_VOLUME, &b->sum[BF_RS_QUOTE_VOLUME],
	    err)) < 0 ||
	    (rc = get_opt(r, C_TRADES, &b->sum[BF_RS_TRADES], err)) < 0 ||
	    (rc = get_opt(r, C_TAKER_BUY, &b->sum[BF_RS_TAKER_BUY], err)) < 0 ||
	    (rc = get_opt(r, C_TAKER_BUY_QUOTE,
	    &b->sum[BF_RS_TAKER_BUY_QUOTE], err)) < 0)
		return rc;
	b->open_time = t;
	b->close_time = INT64_MIN;
	if (r->col[C_CLOSE_TIME] >= 0) {
		rc = bf_reader_i64(r->rd, r->col[C_CLOSE_TIME], &ct, err);
		if (rc < 0)
			return rc;
		if (rc > 0)
			b->close_time = ct;
	}
	if (r->nrows_in > 0) {
		if (t <= r->prev_open)
			return bf_reader_error(r->rd, err,
			    "open_time %lld is not after the previous row's %lld (unsorted or duplicate)",
			    (long long)t, (long long)r->prev_open);
		if (!r->have_iv && (rc = infer_interval(r, t - r->prev_open,
		    err)) < 0)
			return rc;
		want = bf_interval_next(&r->iv, r->prev_open);
		if (t < want)
			return bf_reader_error(r->rd, err,
			    "open_time %lld is off the %s grid (previous %lld)",
			    (long long)t, r->iv.name, (long long)r->prev_open);
		if (t > want) {
			r->gaps++;
			if (r->strict)
				return bf_reader_error(r->rd, err,
				    "gap in open_time: %lld to %lld (%s)",
				    (long long)r->prev_open, (long long)t,
				    r->iv.name);
			if (r->gaps <= 5)
				bf_warn("%s:%ld: gap in open_time: %lld to %lld (%s)",
				    bf_reader_name(r->rd),
				    bf_reader_line(r->rd),
				    (long long)r->prev_open, (long long)t,
				    r->iv.name);
		}
	}
	if (b->close_time == INT64_MIN && r->have_iv)
		b->close_time = bf_interval_close(&r->iv, t);
	r->prev_open = t;
	r->nrows_in++;
	return 0;
}

/* Compute the features of bar 'b' and set the writer's feature columns. */
static int
features_of(struct run *r, const struct bf_rs_bar *b, size_t k0,
    struct bf_err *err)
{
	struct bf_feat_bar fb;
	int rc;

	fb.open_time = b->open_time;
	fb.close_time = b->close_time;
	fb.open = b->px[BF_RS_OPEN].v;
	fb.high = b->px[BF_RS_HIGH].v;
	fb.low = b->px[BF_RS_LOW].v;
	fb.close = b->px[BF_RS_CLOSE].v;
	fb.volume = b->sum[BF_RS_VOLUME];
	fb.taker_buy_volume = b->sum[BF_RS_TAKER_BUY];
	if (!r->have_iv_out) {
		if (r->resample) {
			bf_feature_set_bars_per_year(r->f,
			    bars_per_year(&r->coarse));
			r->have_iv_out = true;
		} else if (r->have_iv) {
			bf_feature_set_bars_per_year(r->f,
			    bars_per_year(&r->iv));
			r->have_iv_out = true;
		}
	}
	rc = bf_feature_update(r->f, &fb, r->out, err);
	if (rc < 0)
		return rc;
	bf_feature_write(r->f, r->out, r->w, k0);
	return 0;
}

/* Write coarse kline 'b' and its features. */
static int
emit_coarse(struct run *r, const struct bf_rs_bar *b, struct bf_err *err)
{
	int rc;

	bf_writer_set_i64(r->w, C_OPEN_TIME, b->open_time);
	for (int i = 0; i < 4; i++)
		bf_writer_set_auto(r->w, (size_t)C_OPEN + (size_t)i,
		    b->px[i].s, b->px[i].len);
	bf_writer_set_double(r->w, C_VOLUME, b->sum[BF_RS_VOLUME]);
	bf_writer_set_i64(r->w, C_CLOSE_TIME, b->close_time);
	bf_writer_set_double(r->w, C_QUOTE_VOLUME,
	    b->sum[BF_RS_QUOTE_VOLUME]);
	if (isfinite(b->sum[BF_RS_TRADES]))
		bf_writer_set_i64(r->w, C_TRADES,
		    (int64_t)b->sum[BF_RS_TRADES]);
	else
		bf_writer_set_missing(r->w, C_TRADES);
	bf_writer_set_double(r->w, C_TAKER_BUY, b->sum[BF_RS_TAKER_BUY]);
	bf_writer_set_double(r->w, C_TAKER_BUY_QUOTE,
	    b->sum[BF_RS_TAKER_BUY_QUOTE]);
	rc = features_of(r, b, C_N, err);
	if (rc < 0)
		return rc;
	if (r->rows++ < r->warm)
		return 0;
	return bf_writer_emit(r->w, NULL, err);
}

/* Process one input record. */
static int
one_row(struct run *r, struct bf_err *err)
{
	struct bf_rs_bar b, out[2];
	int rc, n;

	rc = read_bar(r, &b, err);
	if (rc < 0)
		return rc;
	if (r->resample) {
		if (r->have_iv) {
			if (r->iv.months == 0 && r->coarse.months == 0 &&
			    r->iv.ms > r->coarse.ms)
				return bf_err_set(err, BF_EUSAGE,
				    "--resample %s is finer than the input's %s",
				    r->coarse.name, r->iv.name);
			bf_resample_set_fine(&r->rs, r->iv.ms);
		}
		n = bf_resample_push(&r->rs, &b, out);
		for (int i = 0; i < n; i++)
			if ((rc = emit_coarse(r, &out[i], err)) < 0)
				return rc;
		return 0;
	}
	rc = features_of(r, &b, 0, err);
	if (rc < 0)
		return rc;
	if (r->rows++ < r->warm)
		return 0;
	return bf_writer_emit(r->w, r->rd, err);
}

/* Write --list (for the selection, if any) to stdout. */
static int
list(struct run *r, struct bf_err *err)
{
	int fmt = bf_opt_out_format(&r->common, BF_FMT_CSV);
	int rc;

	r->w = bf_writer_new(1, fmt, r->common.digits, 0);
	rc = bf_feature_list(r->w, r->only, err);
	if (bf_writer_close(r->w, rc < 0 ? NULL : err) < 0 && rc == 0)
		rc = BF_EFAIL;
	r->w = NULL;
	return rc;
}

/* Open the input, set up features and writer, run every record. */
static int
run(struct run *r, struct bf_err *err)
{
	const char **cols;
	size_t nf, k0;
	int rc;

	r->rd = bf_reader_new(0, "stdin", r->common.in_fmt);
	rc = bf_reader_start(r->rd, err);
	if (rc <= 0)
		return rc;
	rc = bf_reader_require(r->rd, kline_cols, r->col, NREQUIRED, err);
	if (rc < 0)
		return rc;
	for (int c = NREQUIRED; c < C_N; c++)
		r->col[c] = bf_reader_col(r->rd, kline_cols[c]);
	r->fo.have_taker = r->col[C_TAKER_BUY] >= 0;
	r->f = bf_feature_new(r->only, &r->fo, err);
	if (r->f == NULL)
		return err->code;
	nf = bf_feature_ncols(r->f);
	r->out = bf_xcalloc(nf + 1, sizeof(*r->out));
	k0 = r->resample ? C_N : 0;
	cols = bf_xcalloc(k0 + nf + 1, sizeof(*cols));
	for (size_t i = 0; i < k0; i++)
		cols[i] = kline_cols[i];
	for (size_t i = 0; i < nf; i++)
		cols[k0 + i] = bf_feature_colname(r->f, i);
	if (r->drop_warmup)
		r->warm = bf_feature_max_warmup(r->f);
	r->w = bf_writer_new(1, bf_opt_out_format(&r->common,
	    bf_reader_format(r->rd)), r->common.digits,
	    r->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
	rc = bf_writer_start(r->w, r->resample ? NULL : r->rd, cols,
	    k0 + nf, err);
	free(cols);
	if (rc < 0)
		return rc;
	bf_writer_link(r->w, r->rd);
	if (r->resample)
		bf_resample_init(&r->rs, &r->coarse);
	while ((rc = bf_reader_next(r->rd, err)) > 0)
		if ((rc = one_row(r, err)) < 0)
			return rc;
	if (rc < 0)
		return rc;
	if (r->gaps > 5)
		bf_warn("stdin: %ld gaps in open_time in all", r->gaps);
	rc = bf_writer_close(r->w, err);
	r->w = NULL;
	return rc;
}

/* Parse the options, then list or run. */
int
main(int argc, char *argv[])
{
	struct bf_err err = BF_ERR_INIT;
	struct run r;
	bool do_list = false;
	int ch, rc;

	bf_setprogname("bf-features");
	memset(&r, 0, sizeof(r));
	bf_opt_init(&r.common);
	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS "i:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			if (bf_interval_parse(optarg, &r.iv, &err) < 0)
				bf_usage_error("%s", err.msg);
			r.have_iv = true;
			break;
		case OPT_ONLY:
			r.only = optarg;
			break;
		case OPT_LIST:
			do_list = true;
			break;
		case OPT_FUNDING:
			r.fo.funding = optarg;
			break;
		case OPT_OI:
			r.fo.oi = optarg;
			break;
		case OPT_RESAMPLE:
			if (bf_interval_parse(optarg, &r.coarse, &err) < 0)
				bf_usage_error("%s", err.msg);
			r.resample = true;
			break;
		case OPT_DROP_WARMUP:
			r.drop_warmup = true;
			break;
		case OPT_STRICT:
			r.strict = true;
			break;
		default:
			bf_opt_common(&r.common, ch, argv, usage_text);
		}
	}
	bf_opt_finish(&r.common);
	if (optind < argc)
		bf_usage_error("unexpected argument '%s'", argv[optind]);
	if (!do_list && bf_feature_check(r.only, &r.fo, &err) < 0)
		bf_usage_error("%s", err.msg);
	rc = do_list ? list(&r, &err) : run(&r, &err);
	if (r.w != NULL)
		bf_writer_close(r.w, NULL);
	bf_feature_free(r.f);
	bf_reader_free(r.rd);
	free(r.out);
	if (rc < 0) {
		if (err.code == BF_EUSAGE)
			bf_usage_error("%s", err.msg);
		bf_die_err(&err);
	}
	return 0;
}
