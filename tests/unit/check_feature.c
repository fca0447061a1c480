/* SPDX-License-Identifier: MIT */
/*
 * check_feature.c - the feature set against TA-Lib, and by hand.
 *
 * The TA-Lib cases read tests/ta-ref/klines-*.csv (synthetic random
 * walks with a flat stretch, zero-volume bars and a spike) and
 * ref-*.csv, which TA-Lib's own C functions computed on them
 * (tests/ta-ref/gen.sh).  Every reference column must match from its
 * first value (the documented warm-up) to the end at a relative error
 * of 1e-9 (|a - b| <= 1e-9 max(|a|, |b|), with no absolute floor), and
 * be missing before it.  The one exception is Bollinger bands on a
 * window of equal closes, where our deviation is exactly 0 and TA-Lib's
 * E[x^2] - E[x]^2 leaves cancellation noise (checked separately).
 *
 * The hand-checked cases use small series whose values are worked out
 * in the comments.
 */
#include <check.h>
#include <math.h>
#include <unistd.h>

#include "compat.h"

#ifndef M_E
#define M_E 2.71828182845904523536
#endif
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
	double *out, *mine, *theirs, *closes;
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
	/* Keep both series, then compare column by column. */
	mine = calloc((size_t)nref * 4000, sizeof(*mine));
	theirs = calloc((size_t)nref * 4000, sizeof(*theirs));
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
		}
		rows++;
	}
	ck_assert_int_eq(bf_reader_next(rr, &err), 0);
	for (int j = 0; j < nref; j++) {
		const char *name = bf_reader_colname(rr, (size_t)j);
		double worst = 0;
		long at = -1;

		ck_assert_msg(first[j] == warm[j],
		    "%s: TA-Lib's first value at row %ld, warm-up says %ld",
		    name, first[j], warm[j]);
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
			rel = d / fmax(fabs(a), fabs(t));
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
	free(closes);
	bf_feature_free(f);
	bf_reader_free(rk);
	bf_reader_free(rr);
}

START_TEST(test_talib_btc)
{
	compare("klines-btc.csv", "ref-btc.csv.gz");
}
END_TEST

START_TEST(test_talib_low)
{
	compare("klines-low.csv", "ref-low.csv");
}
END_TEST


/* Feed bars (o, h, l, c, v) to selection 'spec'; column 'k' of row 'r'. */
static double *
feed(const char *spec, size_t nrows, const double (*bars)[5], double A,
    size_t *ncols)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };
	struct bf_feature *f = bf_feature_new(spec, &o, &err);
	double *all;

	ck_assert_msg(f != NULL, "%s", err.msg);
	*ncols = bf_feature_ncols(f);
	all = calloc(nrows * *ncols, sizeof(*all));
	if (!isnan(A))
		bf_feature_set_bars_per_year(f, A);
	for (size_t r = 0; r < nrows; r++) {
		struct bf_feat_bar b = { (int64_t)r * 60000,
			(int64_t)r * 60000 + 59999, bars[r][0], bars[r][1],
			bars[r][2], bars[r][3], bars[r][4], NAN };

		ck_assert_int_eq(bf_feature_update(f, &b, all + r * *ncols,
		    &err), 0);
	}
	bf_feature_free(f);
	return all;
}

START_TEST(test_hand_rsi_obv_counts)
{
	/* closes 1 2 3 2 3, highs = closes, lows = closes - 0.5 */
	static const double bars[][5] = {
		{ 1, 1, 0.5, 1, 5 }, { 2, 2, 1.5, 2, 2 }, { 3, 3, 2.5, 3, 3 },
		{ 2, 3, 1.5, 2, 4 }, { 3, 3, 2.5, 3, 1 } };
	size_t nc;
	double *v = feed("rsi:2,obv,hh:2,ll:2,trend_dir:2", 5, bars, NAN, &nc);

	ck_assert_int_eq(nc, 5);
	/* RSI(2): gains 1 1 0 1, losses 0 0 1 0; seed G = 1, L = 0: 100;
	 * G = (1 + 0) / 2, L = (0 + 1) / 2: 50; G = .75, L = .25: 75. */
	ck_assert(isnan(v[0 * nc]) && isnan(v[1 * nc]));
	ck_assert(v[2 * nc] == 100);
	ck_assert(v[3 * nc] == 50);
	ck_assert(v[4 * nc] == 75);
	/* OBV: 5, +2, +3, -4, +1. */
	ck_assert(v[0 * nc + 1] == 5);
	ck_assert(v[2 * nc + 1] == 10);
	ck_assert(v[3 * nc + 1] == 6);
	ck_assert(v[4 * nc + 1] == 7);
	/* Higher highs over 2 bars: flags 1 1 0 0 from row 1 on. */
	ck_assert(isnan(v[1 * nc + 2]));
	ck_assert(v[2 * nc + 2] == 2);
	ck_assert(v[3 * nc + 2] == 1);
	ck_assert(v[4 * nc + 2] == 0);
	/* Lower lows: flags 0 0 1 0. */
	ck_assert(v[3 * nc + 3] == 1);
	ck_assert(v[4 * nc + 3] == 1);
	/* Direction over 2 bars: 3 > 1, 2 = 2, 3 > 3? no: 0. */
	ck_assert(v[2 * nc + 4] == 1);
	ck_assert(v[3 * nc + 4] == 0);
	ck_assert(v[4 * nc + 4] == 0);
	free(v);
}
END_TEST

START_TEST(test_hand_volatility)
{
	/* high = e * low: ln(h/l) = 1; open = low, close = high. */
	static const double bars[][5] = {
		{ 1, M_E, 1, M_E, 1 }, { M_E, M_E * M_E, M_E, M_E * M_E, 3 } };
	size_t nc;
	static const double walk[][5] = {
		{ 1, 1, 1, 1, 1 }, { M_E, M_E, M_E, M_E, 1 },
		{ M_E * M_E * M_E, M_E * M_E * M_E, M_E * M_E * M_E,
		  M_E * M_E * M_E, 1 } };
	size_t nh;
	double *v = feed("parkinson:1,gk:1,rs:1,hv:2,vwap_dev:2", 2, bars, 4,
	    &nc);
	double *h = feed("hv:2", 3, walk, 4, &nh);

	/* Log returns 1 and 2: sample variance 0.5, times 4 bars a year. */
	ck_assert(isnan(h[1]));
	ck_assert_double_eq_tol(h[2], sqrt(2), 1e-15);
	free(h);

	/* Parkinson: sqrt(1 / (4 ln 2) * 4) = 1 / sqrt(ln 2). */
	ck_assert_double_eq_tol(v[0], 1 / sqrt(log(2)), 1e-15);
	/* GK: 0.5 - (2 ln 2 - 1) = 1.5 - 2 ln 2, times 4. */
	ck_assert_double_eq_tol(v[1], sqrt((1.5 - 2 * log(2)) * 4), 1e-15);
	/* RS: ln(h/c) = 0, ln(l/o) = 0: the estimate is 0. */
	ck_assert(v[2] == 0);
	/* hv over one return has no sample deviation: missing. */
	ck_assert(isnan(v[nc + 3]));
	/* VWAP of tp = (h + l + c) / 3 over both bars, weights 1 and 3. */
	{
		double tp0 = (M_E + 1 + M_E) / 3;
		double tp1 = (M_E * M_E + M_E + M_E * M_E) / 3;
		double vw = (tp0 + 3 * tp1) / 4;

		ck_assert_double_eq_tol(v[nc + 4], M_E * M_E / vw - 1, 1e-14);
	}
	free(v);
}
END_TEST


START_TEST(test_hand_range_indicators)
{
	/* (open, high, low, close, volume) */
	static const double bars[][5] = {
		{ 9, 10, 8, 9, 1 }, { 9, 12, 9, 11, 3 }, { 11, 11, 7, 8, 2 },
		{ 8, 13, 10, 12, 1 } };
	size_t nc;
	double *v = feed("atr:2,willr:2,cci:2,mfi:2,ad,vroc:1,vol_ratio:2,"
	    "dist_sma:2,mom:2,logret:1", 4, bars, NAN, &nc);
	double *r;

	ck_assert_int_eq(nc, 10);
	/* True ranges from row 1: 3, max(4, 0, 4) = 4, max(3, 5, 2) = 5;
	 * ATR(2) = (3 + 4) / 2, then (3.5 * 1 + 5) / 2. */
	ck_assert(isnan(v[1 * nc]));
	ck_assert(v[2 * nc] == 3.5);
	ck_assert(v[3 * nc] == 4.25);
	/* %R(2): -100 (12 - 11) / (12 - 8), -100 (12 - 8) / (12 - 7),
	 * -100 (13 - 12) / (13 - 7). */
	ck_assert(isnan(v[0 * nc + 1]));
	ck_assert(v[1 * nc + 1] == -25);
	ck_assert(v[2 * nc + 1] == -80);
	ck_assert_double_eq_tol(v[3 * nc + 1], -100.0 / 6, 1e-12);
	/* CCI over two bars is +-1 / 0.015 whenever they differ. */
	ck_assert_double_eq_tol(v[1 * nc + 2], 1 / 0.015, 1e-9);
	ck_assert_double_eq_tol(v[2 * nc + 2], -1 / 0.015, 1e-9);
	/* MFI(2): tp 9, 32/3, 26/3, 35/3; flows up 32/3 * 3, down 26/3 * 2,
	 * up 35/3 * 1: 100 * 32 / (32 + 52/3), then 100 * (35/3) / 29. */
	ck_assert(isnan(v[1 * nc + 3]));
	ck_assert_double_eq_tol(v[2 * nc + 3], 100 * 32 / (32 + 52.0 / 3),
	    1e-9);
	ck_assert_double_eq_tol(v[3 * nc + 3], 100 * (35.0 / 3) / 29, 1e-9);
	/* AD: 0, +1, -1, +1/3, summed. */
	ck_assert(v[0 * nc + 4] == 0);
	ck_assert(v[1 * nc + 4] == 1);
	ck_assert(v[2 * nc + 4] == 0);
	ck_assert_double_eq_tol(v[3 * nc + 4], 1.0 / 3, 1e-15);
	/* VROC(1): (3 / 1 - 1) * 100, (2 / 3 - 1) * 100. */
	ck_assert(v[1 * nc + 5] == 200);
	ck_assert_double_eq_tol(v[2 * nc + 5], -100.0 / 3, 1e-12);
	/* Volume over its 2-bar mean: 3 / 2, 2 / 2.5. */
	ck_assert(v[1 * nc + 6] == 1.5);
	ck_assert(v[2 * nc + 6] == 0.8);
	/* close / SMA(2) - 1: 11 / 10 - 1; momentum 8 - 9; ln(12 / 8). */
	ck_assert_double_eq_tol(v[1 * nc + 7], 0.1, 1e-15);
	ck_assert(v[2 * nc + 8] == -1);
	ck_assert_double_eq_tol(v[3 * nc + 9], log(1.5), 1e-15);
	free(v);
	/* Stochastic (2, 1, 1): fast %K itself, 100 (11 - 8) / (12 - 8). */
	r = feed("stoch:2:1:1,bb:2:1", 4, bars, NAN, &nc);
	ck_assert(r[1 * nc] == 75);
	ck_assert(r[1 * nc + 1] == 75);
	/* Bands over 9, 11: middle 10, deviation 1, %b of 11 is 1. */
	ck_assert(r[1 * nc + 2] == 11);
	ck_assert(r[1 * nc + 3] == 10);
	ck_assert(r[1 * nc + 4] == 9);
	ck_assert(r[1 * nc + 5] == 0.2);
	ck_assert(r[1 * nc + 6] == 1);
	free(r);
}
END_TEST

/* Write 'text' to a temporary file; returns its name (static). */
static const char *
tmpfile_with(const char *text)
{
	static char name[64];
	FILE *fp;
	int fd;

	snprintf(name, sizeof(name), "/tmp/check_feature.XXXXXX");
	fd = mkstemp(name);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return name;
}

START_TEST(test_funding_asof)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };
	struct bf_feature *f;
	double out[8];
	const char *path = tmpfile_with(
	    "funding_time,symbol,funding_rate,mark_price\n"
	    "28800000,BTCUSDT,0.0001,\n"
	    "57600000,BTCUSDT,0.0003,\n"
	    "86400000,BTCUSDT,-0.0002,\n");
	struct bf_feat_bar b = { 0, 0, 1, 1, 1, 1, 1, NAN };

	o.funding = path;
	f = bf_feature_new("funding:2", &o, &err);
	ck_assert_msg(f != NULL, "%s", err.msg);
	ck_assert_str_eq(bf_feature_colname(f, 1), "funding_mean_2");
	/* Closing one ms before the first settlement: nothing known. */
	b.close_time = 28800000 - 1;
	ck_assert_int_eq(bf_feature_update(f, &b, out, &err), 0);
	ck_assert(isnan(out[0]));
	/* Closing exactly at it: known; next settlement 8 h later. */
	b.close_time = 28800000;
	ck_assert_int_eq(bf_feature_update(f, &b, out, &err), 0);
	ck_assert(out[0] == 0.0001);
	ck_assert(isnan(out[1]));
	ck_assert(out[3] == 28800000);
	/* Between the second and the third: the second, never the third. */
	b.close_time = 86400000 - 1;
	ck_assert_int_eq(bf_feature_update(f, &b, out, &err), 0);
	ck_assert(out[0] == 0.0003);
	ck_assert_double_eq_tol(out[1], 0.0002, 1e-18);
	/* z of the last over its window of 2: (x - mean) / sd = 1/sqrt 2. */
	ck_assert_double_eq_tol(out[2], 1 / sqrt(2), 1e-12);
	ck_assert(out[3] == 1);
	b.close_time = 200000000;
	ck_assert_int_eq(bf_feature_update(f, &b, out, &err), 0);
	ck_assert(out[0] == -0.0002);
	/* Next settlements: 115.2e6, 144e6, 172.8e6, 201.6e6. */
	ck_assert(out[3] == 201600000 - 200000000);
	bf_feature_free(f);
	unlink(path);
}
END_TEST

START_TEST(test_bad_selection)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };

	ck_assert_ptr_null(bf_feature_new("rsi:1", &o, &err));
	ck_assert_int_eq(err.code, BF_EUSAGE);
	ck_assert_ptr_null(bf_feature_new("nope", &o, &err));
	ck_assert(strstr(err.msg, "unknown feature 'nope'") != NULL);
	ck_assert_ptr_null(bf_feature_new("rsi:14,rsi", &o, &err));
	ck_assert(strstr(err.msg, "rsi_14") != NULL);
	ck_assert_ptr_null(bf_feature_new("macd:26:12", &o, &err));
	ck_assert_ptr_null(bf_feature_new("ema:2.5", &o, &err));
	ck_assert_ptr_null(bf_feature_new("funding", &o, &err));
	ck_assert_ptr_null(bf_feature_new("taker_buy_ratio", &o, &err));
	ck_assert_int_eq(err.code, BF_EDATA);
}
END_TEST

START_TEST(test_default_set)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };
	struct bf_feature *f = bf_feature_new(NULL, &o, &err);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(bf_feature_ncols(f), 50);
	ck_assert_int_eq(bf_feature_max_warmup(f), 199);
	bf_feature_free(f);
	o.have_taker = true;
	f = bf_feature_new(NULL, &o, &err);
	{
		size_t k = 0;

		while (k < bf_feature_ncols(f) &&
		    strcmp(bf_feature_colname(f, k), "taker_buy_ratio") != 0)
			k++;
		ck_assert_int_lt(k, bf_feature_ncols(f));
		ck_assert_int_eq(bf_feature_warmup(f, k), 0);
	}
	bf_feature_free(f);
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
	tc = tcase_create("hand");
	tcase_add_test(tc, test_hand_rsi_obv_counts);
	tcase_add_test(tc, test_hand_volatility);
	tcase_add_test(tc, test_hand_range_indicators);
	tcase_add_test(tc, test_funding_asof);
	tcase_add_test(tc, test_bad_selection);
	tcase_add_test(tc, test_default_set);
	suite_add_tcase(s, tc);
	return s;
}
