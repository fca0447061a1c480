/* SPDX-License-Identifier: MIT */
/*
 * barin.c - target rows to engine bars, with the checks of barin.h.
 */
#include "compat.h"

#include <math.h>

#include "barin.h"

/* Find the columns; see barin.h. */
int
bf_barin_init(struct bf_barin *bi, const struct bf_reader *rd,
    struct bf_err *err)
{
	static const char *const req[] = { "open", "high", "low", "close",
		"target" };
	int idx[5];

	memset(bi, 0, sizeof(*bi));
	bi->time = bf_reader_col(rd, "open_time");
	if (bi->time < 0)
		bi->time = bf_reader_col(rd, "time");
	if (bi->time < 0)
		return bf_err_set(err, BF_EDATA,
		    "%s:1: missing required column 'open_time'",
		    bf_reader_name(rd));
	if (bf_reader_require(rd, req, idx, 5, err) < 0)
		return BF_EDATA;
	bi->open = idx[0];
	bi->high = idx[1];
	bi->low = idx[2];
	bi->close = idx[3];
	bi->target = idx[4];
	bi->volume = bf_reader_col(rd, "volume");
	bi->mark = bf_reader_col(rd, "mark_price");
	bi->mark_high = bf_reader_col(rd, "mark_high");
	bi->mark_low = bf_reader_col(rd, "mark_low");
	bi->stop = bf_reader_col(rd, "stop_price");
	bi->take_profit = bf_reader_col(rd, "take_profit");
	bi->limit = bf_reader_col(rd, "limit_price");
	bi->funding_time = bf_reader_col(rd, "funding_time");
	bi->funding_rate = bf_reader_col(rd, "funding_rate");
	return 0;
}

/* An optional number into '*v': NAN when absent or empty. */
static int
opt_num(const struct bf_reader *rd, int col, double *v, struct bf_err *err)
{
	int r;

	*v = NAN;
	if (col < 0)
		return 0;
	r = bf_reader_double(rd, col, v, err);
	if (r == 0)
		*v = NAN;
	return r < 0 ? r : 0;
}

/* A required positive price into '*v'. */
static int
price(const struct bf_reader *rd, int col, const char *name, double *v,
    struct bf_err *err)
{
	int r = bf_reader_double(rd, col, v, err);

	if (r < 0)
		return r;
	if (r == 0 || !(*v > 0))
		return bf_reader_error(rd, err, "column '%s': %s", name,
		    r == 0 ? "missing value" : "price must be positive");
	return 0;
}

/* True when 'v' is NAN or a positive number. */
static bool
pos_or_nan(double v)
{
	return isnan(v) || v > 0;
}

/* Read one row; see barin.h. */
int
bf_barin_read(struct bf_barin *bi, const struct bf_reader *rd,
    struct bf_bar *b, struct bf_err *err)
{
	int r;

	r = bf_reader_i64(rd, bi->time, &b->time, err);
	if (r < 0)
		return r;
	if (r == 0)
		return bf_reader_error(rd, err,
		    "column 'open_time': missing value");
	if (bi->have_prev && b->time <= bi->prev_time)
		return bf_reader_error(rd, err,
		    "time %lld is not after the previous row's %lld",
		    (long long)b->time, (long long)bi->prev_time);
	if (price(rd, bi->open, "open", &b->open, err) < 0 ||
	    price(rd, bi->high, "high", &b->high, err) < 0 ||
	    price(rd, bi->low, "low", &b->low, err) < 0 ||
	    price(rd, bi->close, "close", &b->close, err) < 0)
		return BF_EDATA;
	if (b->high < b->low || b->open > b->high || b->open < b->low ||
	    b->close > b->high || b->close < b->low)
		return bf_reader_error(rd, err,
		    "open and close must lie within low %g and high %g",
		    b->low, b->high);
	if (opt_num(rd, bi->target, &b->target, err) < 0 ||
	    opt_num(rd, bi->volume, &b->volume, err) < 0 ||
	    opt_num(rd, bi->mark, &b->mark, err) < 0 ||
	    opt_num(rd, bi->mark_high, &b->mark_high, err) < 0 ||
	    opt_num(rd, bi->mark_low, &b->mark_low, err) < 0 ||
	    opt_num(rd, bi->stop, &b->stop, err) < 0 ||
	    opt_num(rd, bi->take_profit, &b->take_profit, err) < 0 ||
	    opt_num(rd, bi->limit, &b->limit, err) < 0)
		return BF_EDATA;
	if (!pos_or_nan(b->mark) || !pos_or_nan(b->mark_high) ||
	    !pos_or_nan(b->mark_low) || b->mark_high < b->mark_low)
		return bf_reader_error(rd, err,
		    "mark_price, mark_high and mark_low must be positive, "
		    "high >= low");
	if (!pos_or_nan(b->stop) || !pos_or_nan(b->take_profit) ||
	    !pos_or_nan(b->limit))
		return bf_reader_error(rd, err,
		    "stop_price, take_profit and limit_price must be positive");
	bi->have_prev = true;
	bi->prev_time = b->time;
	return 0;
}

/* The row's funding columns; see barin.h. */
int
bf_barin_funding(const struct bf_barin *bi, const struct bf_reader *rd,
    int64_t *time, double *rate, struct bf_err *err)
{
	int r1, r2;

	if (bi->funding_time < 0 || bi->funding_rate < 0)
		return 0;
	r1 = bf_reader_i64(rd, bi->funding_time, time, err);
	if (r1 < 0)
		return r1;
	r2 = bf_reader_double(rd, bi->funding_rate, rate, err);
	if (r2 < 0)
		return r2;
	return r1 > 0 && r2 > 0 ? 1 : 0;
}
