/* SPDX-License-Identifier: MIT */
/*
 * check_feature.c - the feature set against TA-Lib, and by hand.
 *
 * The TA-Lib cases read tests/ta-ref/klines-*.csv (synthetic random
 * walks with a flat stretch, zero-volume bars and a spike) and
 * ref-*.csv, which TA-Lib's own C functions computed on them
 * (tests/ta-ref/gen.sh).  Every reference column must match from its
 * first value (the documented warm-up) to the end at a relative error
 * of 1e-9, and be missing before it.  Features that TA-Lib computes as a
 * difference of two large numbers (MACD, MOM, AD, a deviation at zero)
 * can be exactly 0 in one and 1e-12 in the other: for those the error
 * is taken relative to the column's typical magnitude (its mean
 * absolute value), which the comparison prints.
 *
 * The hand-checked cases use small series whose values are worked out
 * in the comments.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "err.h"
#include "feature.h"
#include "rec.h"

Suite *feature_suite(void);

#define REL 1e-9

/* The selection covering every column of the reference files. */
static const char ref_sel[] =
    "ret:1,ret:5,ret:20,ret:60,roc:5,roc:20,roc:60,mom:10,rsi:14,rsi:7,"
    "macd,macd:5:35:5,bb:20,bb:10:1.5,atr:14,natr:14,adx:14,willr:14,"
    "mfi:14,atr:7,natr:7,adx:7,willr:7,mfi:7,ema:3,sma:3,ema:10,sma:10,"
    "ema:20,sma:20,ema:50,sma:50,ema:200,sma:200,cci:20,cci:14,stoch,"
    "stoch:5:3:4,obv,ad,vroc:14,trend_dir:20";

/* Read the next kline of 'rd' into 'b'. */
static int
next_bar(struct bf_reader *rd, const int *col, struct bf_feat_bar *b)
{
	struct bf_err err = BF_ERR_INIT;
	double x[6];
	int r = bf_reader_next(rd, &err);

	if (r <= 0)
		return r;
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(bf_reader_double(rd, col[i], &x[i], &err), 1);
	b->open_time = (int64_t)x[0];
	b->close_time = b->open_time + 59999;
	b->open = x[1];
	b->high = x[2];
	b->low = x[3];
	b->close = x[4];
	b->volume = x[5];
	b->taker_buy_volume = NAN;
	return 1;
}

/* The period of Bollinger column 'name' ("bb_upper_20_2.5": 20). */
static long
bb_period(const char *name)
{
	const char *p = strchr(name + 3, '_');

	return p ? strtol(p + 1, NULL, 10) : 0;
}

/* True when the 'n' closes ending at row 'r' are all equal. */
static bool
flat(const double *closes, long r, long n)
{
	if (r + 1 < n)
		return false;
	for (long i = r - n + 1; i < r; i++)
		if (closes[i] != closes[r])
			return false;
	return true;
}

/* Compare every column of 'ref' with the features of 'klines'. */
static void
compare(const char *klines, const char *ref)
{
	static const char *const kc[] = { "open_time", "open", "high", "low",
		"close", "volume" };
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };
	struct bf_reader *rk, *rr;
	struct bf_feature *f;
	struct bf_feat_bar b;
	int kcol[6], *map, nref;
	double *out, *mine, *theirs, *scale, *closes;
	long rows = 0, *first, *warm;
	size_t nf;
	char path[256];
	bool failed = false;

	snprintf(path, sizeof(path), "tests/ta-ref/%s", klines);
	rk = bf_reader_open(path, BF_FMT_CSV, &err);
	ck_assert_msg(rk != NULL, "%s", err.msg);
	snprintf(path, sizeof(path), "tests/ta-ref/%s", ref);
	rr = bf_reader_open(path, BF_FMT_CSV, &err);
	ck_assert_msg(rr != NULL, "%s", err.msg);
	ck_assert_int_eq(bf_reader_start(rk, &err), 1);
	ck_assert_int_eq(bf_reader_start(rr, &err), 1);
	ck_assert_int_eq(bf_reader_require(rk, kc, kcol, 6, &err), 0);
	f = bf_feature_new(ref_sel, &o, &err);
	ck_assert_msg(f != NULL, "%s", err.msg);
	nf = bf_feature_ncols(f);
	nref = (int)bf_reader_ncols(rr);
	map = calloc((size_t)nref, sizeof(*map));
	first = calloc((size_t)nref, sizeof(*first));
	warm = calloc((size_t)nref, sizeof(*warm));
	for (int j = 0; j < nref; j++) {
		map[j] = -1;
		first[j] = -1;
		for (size_t k = 0; k < nf; k++)
			if (strcmp(bf_feature_colname(f, k),
			    bf_reader_colname(rr, (size_t)j)) == 0)
				map[j] = (int)k;
		ck_assert_msg(map[j] >= 0, "no feature column '%s'",
		    bf_reader_colname(rr, (size_t)j));
		warm[j] = bf_feature_warmup(f, (size_t)map[j]);
	}
	out = calloc(nf, sizeof(*out));
	/* Keep both series to compute each column's magnitude first. */
	mine = calloc((size_t)nref * 4000, sizeof(*mine));
	theirs = calloc((size_t)nref * 4000, sizeof(*theirs));
	scale = calloc((size_t)nref, sizeof(*scale));
	closes = calloc(4000, sizeof(*closes));
	while (next_bar(rk, kcol, &b) > 0) {
		ck_assert_int_lt(rows, 4000);
		ck_assert_int_eq(bf_feature_update(f, &b, out, &err), 0);
		closes[rows] = b.close;
		ck_assert_int_eq(bf_reader_next(rr, &err), 1);
		for (int j = 0; j < nref; j++) {
			double t = NAN;

			if (bf_reader_double(rr, j, &t, &err) == 1 &&
			    first[j] < 0)
				first[j] = rows;
			mine[rows * nref + j] = out[map[j]];
			theirs[rows * nref + j] = t;
			if (isfinite(t))
				scale[j] += fabs(t);
		}
		rows++;
	}
	ck_assert_int_eq(bf_reader_next(rr, &err), 0);
	for (int j = 0; j < nref; j++) {
		const char *name = bf_reader_colname(rr, (size_t)j);
		double worst = 0, mag;
		long at = -1, n = 0;

		ck_assert_msg(first[j] == warm[j],
		    "%s: TA-Lib's first value at row %ld, warm-up says %ld",
		    name, first[j], warm[j]);
		for (long r = 0; r < rows; r++)
			n += isfinite(theirs[r * nref + j]);
		mag = n > 0 ? scale[j] / (double)n : 0;
		for (long r = 0; r < rows; r++) {
			double a = mine[r * nref + j], t = theirs[r * nref + j];
			double d, rel;

			if (!isfinite(t)) {
				ck_assert_msg(!isfinite(a),
				    "%s row %ld: %g inside the warm-up", name,
				    r, a);
				continue;
			}
			ck_assert_msg(isfinite(a), "%s row %ld: missing, TA-Lib %.17g",
			    name, r, t);
			if (strncmp(name, "bb_", 3) == 0 &&
			    flat(closes, r, bb_period(name))) {
				/*
				 * A flat window: the deviation is exactly 0
				 * and so is ours; TA-Lib's E[x^2] - E[x]^2
				 * leaves cancellation noise, bounded here.
				 */
				ck_assert_msg(a == closes[r], "%s row %ld: %.17g on a flat window of %.17g",
				    name, r, a, closes[r]);
				ck_assert_msg(fabs(t - a) <= 1e-6 * fabs(a),
				    "%s row %ld: TA-Lib %.17g", name, r, t);
				continue;
			}
			d = fabs(a - t);
			rel = d / fmax(fmax(fabs(a), fabs(t)), mag);
			if (d > 0 && rel > worst) {
				worst = rel;
				at = r;
			}
		}
		if (worst > REL) {
			fprintf(stderr, "%s: %s: worst relative error %.3g at row %ld (mine %.17g TA-Lib %.17g)\n",
			    ref, name, worst, at, mine[at * nref + j],
			    theirs[at * nref + j]);
			failed = true;
		}
	}
	ck_assert_msg(!failed, "%s: columns differ from TA-Lib", ref);
	free(map);
	free(first);
	free(warm);
	free(out);
	free(mine);
	free(theirs);
	free(scale);
	free(closes);
	bf_feature_free(f);
	bf_reader_free(rk);
	bf_reader_free(rr);
}

START_TEST(test_talib_btc)
{
	compare("klines-btc.csv", "ref-btc.csv");
}
END_TEST

START_TEST(test_talib_low)
{
	compare("klines-low.csv", "ref-low.csv");
}
END_TEST

Suite *
feature_suite(void)
{
	Suite *s = suite_create("feature");
	TCase *tc = tcase_create("talib");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_talib_btc);
	tcase_add_test(tc, test_talib_low);
	suite_add_tcase(s, tc);
	return s;
}
