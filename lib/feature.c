/* SPDX-License-Identifier: MIT */
/*
 * feature.c - the registry of indicators and their per-row updates.
 *
 * Data model: 'kinds' is a static table, one entry per indicator, with
 * its selector name, parameters (defaults and bounds), output column
 * names, warm-up rule, update function and the documentation --list
 * prints (definition, convention, reference).  A feature set is an array
 * of instances (struct feat): a kind, parameter values, the index of its
 * first output column, and a "fat" state built from ta.h primitives, of
 * which each kind uses what it needs.  Every update is O(1) per row
 * except CCI (O(period)).
 *
 * Conventions follow TA-Lib's C code in its default compatibility mode
 * (unstable period 0), checked against it by tests/unit/check_feature.c
 * on fixtures TA-Lib computed (tests/ta-ref/): EMAs are seeded with the
 * mean of their first n inputs, Wilder averages likewise, MACD's fast
 * EMA is seeded over the fast-period closes ending where the slow EMA's
 * seed ends, OBV starts at the first bar's volume, Bollinger deviations
 * are population deviations, zero-denominator cases give TA-Lib's value
 * (0) where TA-Lib defines one.  The stochastic's SMAs and the MFI's
 * flow sums are TA-Lib-order running sums (bf_ta_runsum) so that they
 * match it to the bit near 0; every other window statistic is the
 * stable bf_ta_roll.
 *
 * Column names: a kind's base names, then "_" and each parameter that is
 * always named (the period), then the remaining parameters when any of
 * them differs from its default: "rsi_14", "bb_upper_20",
 * "bb_upper_20_2.5", "macd_signal", "macd_signal_5_35_5".
 */
#include "compat.h"

#include <math.h>

#include "feature.h"
#include "num.h"
#include "rec.h"
#include "ta.h"
#include "util.h"

#define MAXP 3		/* parameters per kind */
#define MAXC 5		/* columns per kind */
#define FUNDING_PERIOD_MS (8LL * 3600 * 1000)
#define LN2 0.69314718055994530942

struct feat;

struct kind {
	const char *name;		/* selector: "rsi" */
	int np;				/* number of parameters */
	int nalways;			/* parameters always in the name */
	double def[MAXP];		/* defaults */
	double min[MAXP], max[MAXP];	/* bounds */
	bool integer[MAXP];		/* integer parameters */
	const char *pnames;		/* "period" (for --list) */
	const char *cols[MAXC + 1];	/* base column names, NULL-ended */
	int side;			/* 0, SIDE_FUNDING or SIDE_OI */
	bool taker;			/* needs taker_buy_volume */
	long (*warmup)(const double *p, int col);
	void (*init)(struct feat *f);
	void (*update)(struct feat *f, const struct bf_feat_bar *b,
	    double *out);
	const char *def_text;		/* definition and convention */
	const char *ref;		/* the reference it matches */
	unsigned plain;			/* columns named without parameters */
};

enum {
	SIDE_FUNDING = 1,
	SIDE_OI = 2
};

struct feat {
	const struct kind *k;
	double p[MAXP];
	long n;			/* p[0] as an integer */
	size_t col;		/* first output column */
	long row;		/* rows seen before this one */
	double A;		/* bars per year (NaN unknown) */
	struct bf_ta_ring ring;
	struct bf_ta_roll roll[2];
	struct bf_ta_ema ema[3];
	struct bf_ta_wilder wil[2];
	struct bf_ta_mono hi, lo;
	struct bf_ta_runsum rs[2];
	struct bf_ta_ring ring2;
	bool has_ring, has_roll[2], has_mono, has_rs[2], has_ring2;
	double s[8];		/* scalars: previous values, sums */
	long cnt;		/* an integer count */
};

/* A side file (funding or open interest) read as of the rows' times. */
struct side {
	struct bf_reader *rd;	/* owned */
	int tcol, vcol, vcol2;	/* time, value, fallback value column */
	bool pending;		/* a record read but not yet applied */
	bool eof;
	int64_t t;		/* the pending record's time */
	double v;
	int64_t last_t;		/* the last record's time (INT64_MIN) */
	long count;		/* records applied */
};

struct bf_feature {
	struct feat *feats;	/* owned */
	size_t nfeats;
	char **names;		/* owned, ncols */
	long *warm;		/* owned, ncols */
	size_t ncols;
	struct side side[3];	/* [SIDE_FUNDING], [SIDE_OI] */
	/* As-of state of the side files, updated as records apply. */
	double fund_rate, fund_prev_t, oi_val, oi_prev;
	int64_t fund_t, fund_tprev;
	bool fund_new, oi_new;	/* a record applied on this row */
};

/* ==== warm-up rules ==== */

/* The first value at row n - 1 (a window of n rows). */
static long
warm_n1(const double *p, int col)
{
	(void)col;
	return (long)p[0] - 1;
}

/* The first value at row n (n differences or a lag of n). */
static long
warm_n(const double *p, int col)
{
	(void)col;
	return (long)p[0];
}

/* From the first row. */
static long
warm_0(const double *p, int col)
{
	(void)p;
	(void)col;
	return 0;
}

/* Depends on the data (side files). */
static long
warm_data(const double *p, int col)
{
	(void)p;
	(void)col;
	return -1;
}

/* MACD: the slow EMA's lookback plus the signal EMA's. */
static long
warm_macd(const double *p, int col)
{
	(void)col;
	return (long)p[1] - 1 + (long)p[2] - 1;
}

/* ADX at 2n - 1, the DIs at n. */
static long
warm_adx(const double *p, int col)
{
	return col == 0 ? 2 * (long)p[0] - 1 : (long)p[0];
}

/* STOCH: fast K's window, then the two SMAs. */
static long
warm_stoch(const double *p, int col)
{
	(void)col;
	return (long)p[0] - 1 + (long)p[1] - 1 + (long)p[2] - 1;
}

/* ==== shared helpers ==== */

/* The true range of 'b' after a close of 'pc' (TA-Lib's TRUE_RANGE). */
static double
true_range(const struct bf_feat_bar *b, double pc)
{
	double tr = b->high - b->low, t;

	t = fabs(b->high - pc);
	if (t > tr)
		tr = t;
	t = fabs(b->low - pc);
	if (t > tr)
		tr = t;
	return tr;
}

/* Typical price. */
static double
typical(const struct bf_feat_bar *b)
{
	return (b->high + b->low + b->close) / 3.0;
}

/* Init helpers. */
static void
use_ring(struct feat *f, size_t n)
{
	bf_ta_ring_init(&f->ring, n);
	f->has_ring = true;
}

/* Give instance 'f' rolling window 'i' of 'n' values. */
static void
use_roll(struct feat *f, int i, size_t n)
{
	bf_ta_roll_init(&f->roll[i], n);
	f->has_roll[i] = true;
}

/* Give instance 'f' a rolling maximum and minimum over 'n' values. */
static void
use_mono(struct feat *f, size_t n)
{
	bf_ta_mono_init(&f->hi, n, true);
	bf_ta_mono_init(&f->lo, n, false);
	f->has_mono = true;
}

/* A lag of n closes (or volumes): a ring of n + 1. */
static void
init_lag(struct feat *f)
{
	use_ring(f, (size_t)f->n + 1);
}

/* One rolling window of the period. */
static void
init_roll0(struct feat *f)
{
	use_roll(f, 0, (size_t)f->n);
}

/* Nothing beyond the zeroed scalars. */
static void
init_none(struct feat *f)
{
	(void)f;
}

/* ==== price ==== */

/* ret_n: (c - c[-n]) / c[-n] (TA-Lib ROCP). */
static void
upd_ret(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double p;

	bf_ta_ring_push(&f->ring, b->close);
	if (!bf_ta_ring_full(&f->ring))
		return;
	p = bf_ta_ring_ago(&f->ring, (size_t)f->n);
	out[0] = p != 0.0 ? (b->close - p) / p : 0.0;
}

/* logret_n: ln(c / c[-n]). */
static void
upd_logret(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double p;

	bf_ta_ring_push(&f->ring, b->close);
	if (!bf_ta_ring_full(&f->ring))
		return;
	p = bf_ta_ring_ago(&f->ring, (size_t)f->n);
	out[0] = log(b->close / p);
}

/* mom_n: c - c[-n] (TA-Lib MOM). */
static void
upd_mom(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	bf_ta_ring_push(&f->ring, b->close);
	if (bf_ta_ring_full(&f->ring))
		out[0] = b->close - bf_ta_ring_ago(&f->ring, (size_t)f->n);
}

/* roc_n: (c / c[-n] - 1) * 100 (TA-Lib ROC). */
static void
upd_roc(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double p;

	bf_ta_ring_push(&f->ring, b->close);
	if (!bf_ta_ring_full(&f->ring))
		return;
	p = bf_ta_ring_ago(&f->ring, (size_t)f->n);
	out[0] = p != 0.0 ? ((b->close / p) - 1.0) * 100.0 : 0.0;
}

/* ==== technical ==== */

/* Wilder averages of gains and losses. */
static void
init_rsi(struct feat *f)
{
	bf_ta_wilder_init(&f->wil[0], f->n);
	bf_ta_wilder_init(&f->wil[1], f->n);
}

/* RSI: Wilder averages of gains and losses of the close. */
static void
upd_rsi(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double d, g, l, s;

	if (f->row == 0) {
		f->s[0] = b->close;
		return;
	}
	d = b->close - f->s[0];
	f->s[0] = b->close;
	bf_ta_wilder_push(&f->wil[0], d > 0 ? d : 0.0);
	if (!bf_ta_wilder_push(&f->wil[1], d < 0 ? -d : 0.0))
		return;
	g = f->wil[0].v;
	l = f->wil[1].v;
	s = g + l;
	out[0] = !BF_TA_IS_ZERO(s) ? 100.0 * (g / s) : 0.0;
}

/* The fast-period closes (for the fast seed) and the three EMAs. */
static void
init_macd(struct feat *f)
{
	use_ring(f, (size_t)f->p[0]);
	bf_ta_ema_init(&f->ema[0], (long)f->p[0]);
	bf_ta_ema_init(&f->ema[1], (long)f->p[1]);
	bf_ta_ema_init(&f->ema[2], (long)f->p[2]);
}

/*
 * MACD as TA-Lib computes it: the slow EMA is seeded with the mean of
 * the first 'slow' closes; the fast EMA with the mean of the 'fast'
 * closes ending at the same row, so both start together; the signal EMA
 * of the MACD line is seeded with the mean of its first 'signal' values.
 */
static void
upd_macd(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	long slow = (long)f->p[1];
	double m, sum = 0;

	bf_ta_ring_push(&f->ring, b->close);
	if (!bf_ta_ema_push(&f->ema[1], b->close))
		return;
	if (f->row == slow - 1) {
		size_t k = f->ring.len;

		while (k-- > 0)
			sum += bf_ta_ring_ago(&f->ring, k);
		bf_ta_ema_seed(&f->ema[0], sum / f->p[0]);
	} else {
		bf_ta_ema_push(&f->ema[0], b->close);
	}
	m = f->ema[0].v - f->ema[1].v;
	if (!bf_ta_ema_push(&f->ema[2], m))
		return;
	out[0] = m;
	out[1] = f->ema[2].v;
	out[2] = m - f->ema[2].v;
}

/* Bollinger bands on the close: SMA +- k population deviations. */
static void
upd_bb(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double mid, var, sd, up, lo;

	bf_ta_roll_push(&f->roll[0], b->close);
	if (!bf_ta_roll_full(&f->roll[0]))
		return;
	mid = bf_ta_roll_mean(&f->roll[0]);
	var = bf_ta_roll_var_pop(&f->roll[0]);
	sd = var < BF_TA_EPSILON ? 0.0 : sqrt(var);
	up = mid + sd * f->p[1];
	lo = mid - sd * f->p[1];
	out[0] = up;
	out[1] = mid;
	out[2] = lo;
	out[3] = mid != 0.0 ? (up - lo) / mid : NAN;
	out[4] = up > lo ? (b->close - lo) / (up - lo) : NAN;
}

/* A Wilder average of the true range. */
static void
init_atr(struct feat *f)
{
	bf_ta_wilder_init(&f->wil[0], f->n);
}

/* ATR: Wilder average of the true range, from the second bar. */
static bool
atr_step(struct feat *f, const struct bf_feat_bar *b)
{
	double pc = f->s[0];

	f->s[0] = b->close;
	if (f->row == 0)
		return false;
	return bf_ta_wilder_push(&f->wil[0], true_range(b, pc));
}

/* ATR: the Wilder average of the true range. */
static void
upd_atr(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	if (atr_step(f, b))
		out[0] = f->wil[0].v;
}

/* NATR: ATR / close * 100. */
static void
upd_natr(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	if (atr_step(f, b))
		out[0] = !BF_TA_IS_ZERO(b->close) ?
		    (f->wil[0].v / b->close) * 100.0 : 0.0;
}

/*
 * ADX, +DI, -DI (Wilder, TA-Lib's sums): s[0..2] previous high, low,
 * close; s[3] +DM, s[4] -DM, s[5] TR (running Wilder sums); s[6] the
 * sum of DX during the ADX seed, then the ADX.
 */
static void
upd_adx(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double n = f->p[0], dp, dm, tr, pdi, mdi, s, dx = 0;
	long row = f->row, ni = f->n;
	bool have_dx = false;

	dp = b->high - f->s[0];
	dm = f->s[1] - b->low;
	tr = true_range(b, f->s[2]);
	if (row == 0) {
		f->s[0] = b->high;
		f->s[1] = b->low;
		f->s[2] = b->close;
		return;
	}
	f->s[0] = b->high;
	f->s[1] = b->low;
	f->s[2] = b->close;
	if (row < ni) {
		if (dm > 0 && dp < dm)
			f->s[4] += dm;
		else if (dp > 0 && dp > dm)
			f->s[3] += dp;
		f->s[5] += tr;
		return;
	}
	f->s[4] -= f->s[4] / n;
	f->s[3] -= f->s[3] / n;
	if (dm > 0 && dp < dm)
		f->s[4] += dm;
	else if (dp > 0 && dp > dm)
		f->s[3] += dp;
	f->s[5] = f->s[5] - (f->s[5] / n) + tr;
	if (!BF_TA_IS_ZERO(f->s[5])) {
		mdi = 100.0 * (f->s[4] / f->s[5]);
		pdi = 100.0 * (f->s[3] / f->s[5]);
		s = mdi + pdi;
		if (!BF_TA_IS_ZERO(s)) {
			dx = 100.0 * (fabs(mdi - pdi) / s);
			have_dx = true;
		}
	} else {
		mdi = pdi = 0.0;
	}
	out[1] = pdi;
	out[2] = mdi;
	if (row < 2 * ni - 1) {
		if (have_dx)
			f->s[6] += dx;
		return;
	}
	if (row == 2 * ni - 1) {
		if (have_dx)
			f->s[6] += dx;
		f->s[6] = f->s[6] / n;
	} else if (have_dx) {
		f->s[6] = ((f->s[6] * (n - 1)) + dx) / n;
	}
	out[0] = f->s[6];
}

/* An EMA of the period. */
static void
init_ema(struct feat *f)
{
	bf_ta_ema_init(&f->ema[0], f->n);
}

/* EMA of the close (SMA seed). */
static void
upd_ema(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	if (bf_ta_ema_push(&f->ema[0], b->close))
		out[0] = f->ema[0].v;
}

/* SMA of the close. */
static void
upd_sma(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	bf_ta_roll_push(&f->roll[0], b->close);
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = bf_ta_roll_mean(&f->roll[0]);
}

/* Extremes over fast K's window; the two SMAs. */
static void
init_stoch(struct feat *f)
{
	use_mono(f, (size_t)f->p[0]);
	bf_ta_runsum_init(&f->rs[0], (size_t)f->p[1]);
	bf_ta_runsum_init(&f->rs[1], (size_t)f->p[2]);
	f->has_rs[0] = f->has_rs[1] = true;
}

/*
 * Slow stochastic: fast %K, its SMA (slow %K), and that one's SMA, the
 * SMAs as TA-Lib's running sums (ta.h, bf_ta_runsum).
 */
static void
upd_stoch(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double hh, ll, diff, k, sk, sd;

	hh = bf_ta_mono_push(&f->hi, b->high);
	ll = bf_ta_mono_push(&f->lo, b->low);
	if (f->row < f->n - 1)
		return;
	diff = (hh - ll) / 100.0;
	k = diff != 0.0 ? (b->close - ll) / diff : 0.0;
	if (!bf_ta_runsum_push(&f->rs[0], k, &sk))
		return;
	sk /= f->p[1];
	if (!bf_ta_runsum_push(&f->rs[1], sk, &sd))
		return;
	out[0] = sk;
	out[1] = sd / f->p[2];
}

/* The window of typical prices. */
static void
init_cci(struct feat *f)
{
	use_ring(f, (size_t)f->n);
}

/*
 * CCI: (tp - SMA(tp)) / (0.015 * mean |tp - SMA(tp)|).  The mean
 * deviation about the current mean needs the whole window: O(n).
 */
static void
upd_cci(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double tp = typical(b), mean = 0, md = 0, d;
	size_t i, n = (size_t)f->n;

	bf_ta_ring_push(&f->ring, tp);
	if (!bf_ta_ring_full(&f->ring))
		return;
	for (i = 0; i < n; i++)
		mean += f->ring.buf[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		md += fabs(f->ring.buf[i] - mean);
	d = tp - mean;
	out[0] = d != 0.0 && md != 0.0 ? d / (0.015 * (md / (double)n)) : 0.0;
}

/* Extremes over the period. */
static void
init_willr(struct feat *f)
{
	use_mono(f, (size_t)f->n);
}

/* Williams %R: -100 * (highest high - close) / (highest - lowest). */
static void
upd_willr(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double hh = bf_ta_mono_push(&f->hi, b->high);
	double ll = bf_ta_mono_push(&f->lo, b->low);
	double diff;

	if (f->row < f->n - 1)
		return;
	diff = (hh - ll) / (-100.0);
	out[0] = diff != 0.0 ? (hh - b->close) / diff : 0.0;
}

/* Windows of positive and negative money flow. */
static void
init_mfi(struct feat *f)
{
	use_ring(f, (size_t)f->n);
	bf_ta_ring_init(&f->ring2, (size_t)f->n);
	f->has_ring2 = true;
}

/*
 * MFI: positive money flow over total money flow, in percent.  The two
 * window sums (s[1], s[2]) are running sums in TA-Lib's order (the
 * leaving flows out, then the new one in), like bf_ta_runsum, so that
 * the result matches TA-Lib's to the bit; 'ring' and 'ring2' hold the
 * positive and negative flows.
 */
static void
upd_mfi(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double tp = typical(b), d, mf, tot;

	if (f->row == 0) {
		f->s[0] = tp;
		return;
	}
	d = tp - f->s[0];
	f->s[0] = tp;
	mf = tp * b->volume;
	if (bf_ta_ring_full(&f->ring)) {
		f->s[1] -= bf_ta_ring_ago(&f->ring, (size_t)f->n - 1);
		f->s[2] -= bf_ta_ring_ago(&f->ring2, (size_t)f->n - 1);
	}
	if (d < 0)
		f->s[2] += mf;
	else if (d > 0)
		f->s[1] += mf;
	bf_ta_ring_push(&f->ring, d > 0 ? mf : 0.0);
	bf_ta_ring_push(&f->ring2, d < 0 ? mf : 0.0);
	if (!bf_ta_ring_full(&f->ring))
		return;
	tot = f->s[1] + f->s[2];
	out[0] = tot < 1.0 ? 0.0 : 100.0 * (f->s[1] / tot);
}

/* ==== volume and liquidity ==== */

/* Volume over its n-bar SMA. */
static void
upd_volratio(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double m;

	bf_ta_roll_push(&f->roll[0], b->volume);
	if (!bf_ta_roll_full(&f->roll[0]))
		return;
	m = bf_ta_roll_mean(&f->roll[0]);
	out[0] = m > 0 ? b->volume / m : NAN;
}

/* OBV (TA-Lib): starts at the first volume; +-volume on up/down closes. */
static void
upd_obv(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	if (f->row == 0)
		f->s[0] = b->volume;
	else if (b->close > f->s[1])
		f->s[0] += b->volume;
	else if (b->close < f->s[1])
		f->s[0] -= b->volume;
	f->s[1] = b->close;
	out[0] = f->s[0];
}

/* Chaikin accumulation/distribution line (TA-Lib AD). */
static void
upd_ad(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double r = b->high - b->low;

	if (r > 0.0)
		f->s[0] += (((b->close - b->low) - (b->high - b->close)) / r) *
		    b->volume;
	out[0] = f->s[0];
}

/* VROC: (v / v[-n] - 1) * 100, 0 after a zero volume (TA-Lib ROC). */
static void
upd_vroc(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double p;

	bf_ta_ring_push(&f->ring, b->volume);
	if (!bf_ta_ring_full(&f->ring))
		return;
	p = bf_ta_ring_ago(&f->ring, (size_t)f->n);
	out[0] = p != 0.0 ? ((b->volume / p) - 1.0) * 100.0 : 0.0;
}

/* Windows of tp * volume and of volume. */
static void
init_vwap(struct feat *f)
{
	use_roll(f, 0, (size_t)f->n);
	use_roll(f, 1, (size_t)f->n);
}

/* close / VWAP_n - 1, VWAP of the typical price over n bars. */
static void
upd_vwap(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double v;

	bf_ta_roll_push(&f->roll[0], typical(b) * b->volume);
	bf_ta_roll_push(&f->roll[1], b->volume);
	if (!bf_ta_roll_full(&f->roll[0]))
		return;
	v = bf_ta_roll_mean(&f->roll[1]);
	if (v > 0)
		out[0] = b->close / (bf_ta_roll_mean(&f->roll[0]) / v) - 1.0;
}

/* Taker buy volume over volume. */
static void
upd_taker(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	(void)f;
	if (b->volume > 0 && isfinite(b->taker_buy_volume))
		out[0] = b->taker_buy_volume / b->volume;
}

/* ==== volatility (annualized) ==== */

/* sqrt(x * bars per year), missing until the interval is known. */
static double
annualize(const struct feat *f, double var)
{
	if (!(var >= 0))
		var = 0;
	return sqrt(var * f->A);
}

/* Close-to-close: sample deviation of n log returns. */
static void
upd_hv(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double pc = f->s[0];

	f->s[0] = b->close;
	if (f->row == 0)
		return;
	bf_ta_roll_push(&f->roll[0], log(b->close / pc));
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = annualize(f, bf_ta_roll_var_samp(&f->roll[0]));
}

/* Parkinson (1980): mean of ln(h/l)^2 / (4 ln 2). */
static void
upd_parkinson(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double x = log(b->high / b->low);

	bf_ta_roll_push(&f->roll[0], x * x);
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = annualize(f,
		    bf_ta_roll_mean(&f->roll[0]) / (4.0 * LN2));
}

/* Garman-Klass (1980): 0.5 ln(h/l)^2 - (2 ln 2 - 1) ln(c/o)^2. */
static void
upd_gk(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double hl = log(b->high / b->low), co = log(b->close / b->open);

	bf_ta_roll_push(&f->roll[0],
	    0.5 * hl * hl - (2.0 * LN2 - 1.0) * co * co);
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = annualize(f, bf_ta_roll_mean(&f->roll[0]));
}

/* Rogers-Satchell (1991): ln(h/c) ln(h/o) + ln(l/c) ln(l/o). */
static void
upd_rs(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double x = log(b->high / b->close) * log(b->high / b->open) +
	    log(b->low / b->close) * log(b->low / b->open);

	bf_ta_roll_push(&f->roll[0], x);
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = annualize(f, bf_ta_roll_mean(&f->roll[0]));
}

/* ==== trend ==== */

/* The sign of the n-bar change of the close: -1, 0 or 1. */
static void
upd_trend(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	double d;

	bf_ta_ring_push(&f->ring, b->close);
	if (!bf_ta_ring_full(&f->ring))
		return;
	d = b->close - bf_ta_ring_ago(&f->ring, (size_t)f->n);
	out[0] = d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0;
}

/* The window of 0/1 flags. */
static void
init_count(struct feat *f)
{
	use_ring(f, (size_t)f->n);
}

/*
 * Count, over the last n bars, of bars whose high exceeds the previous
 * bar's high ('hi') or whose low is below the previous low (!'hi').
 */
static void
count_step(struct feat *f, double x, bool hi, double *out)
{
	double prev = f->s[0], flag;

	f->s[0] = x;
	if (f->row == 0)
		return;
	flag = (hi ? x > prev : x < prev) ? 1.0 : 0.0;
	if (bf_ta_ring_full(&f->ring))
		f->cnt -= (long)bf_ta_ring_ago(&f->ring, (size_t)f->n - 1);
	bf_ta_ring_push(&f->ring, flag);
	f->cnt += (long)flag;
	if (bf_ta_ring_full(&f->ring))
		out[0] = (double)f->cnt;
}

/* hh_n: higher highs in the last n bars. */
static void
upd_hh(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	count_step(f, b->high, true, out);
}

/* ll_n: lower lows in the last n bars. */
static void
upd_ll(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	count_step(f, b->low, false, out);
}

/* close / SMA_n - 1. */
static void
upd_dist_sma(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	bf_ta_roll_push(&f->roll[0], b->close);
	if (bf_ta_roll_full(&f->roll[0]))
		out[0] = b->close / bf_ta_roll_mean(&f->roll[0]) - 1.0;
}

/* close / EMA_n - 1. */
static void
upd_dist_ema(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	if (bf_ta_ema_push(&f->ema[0], b->close))
		out[0] = b->close / f->ema[0].v - 1.0;
}

/* ==== derivatives: the as-of state is in struct bf_feature ==== */

/* Updated by bf_feature_update from the side files (see there). */
static void
upd_side(struct feat *f, const struct bf_feat_bar *b, double *out)
{
	(void)f;
	(void)b;
	(void)out;
}

/* ==== the registry ==== */

#define P1(d, lo, hi) 1, 1, { d }, { lo }, { hi }, { true }
#define P0 0, 0, { 0 }, { 0 }, { 0 }, { false }

static const struct kind kinds[] = {
	{ "ret", P1(1, 1, 100000), "n", { "ret", NULL }, 0, false, warm_n,
	  init_lag, upd_ret,
	  "simple return over n bars: (close - close[n ago]) / close[n ago]; 0 when close[n ago] is 0",
	  "TA-Lib ROCP" },
	{ "logret", P1(1, 1, 100000), "n", { "logret", NULL }, 0, false,
	  warm_n, init_lag, upd_logret,
	  "log return over n bars: ln(close / close[n ago])",
	  "ln of TA-Lib ROCR" },
	{ "mom", P1(10, 1, 100000), "n", { "mom", NULL }, 0, false, warm_n,
	  init_lag, upd_mom, "momentum: close - close[n ago]",
	  "TA-Lib MOM" },
	{ "roc", P1(10, 1, 100000), "n", { "roc", NULL }, 0, false, warm_n,
	  init_lag, upd_roc,
	  "rate of change in percent: (close / close[n ago] - 1) * 100; 0 when close[n ago] is 0",
	  "TA-Lib ROC" },
	{ "rsi", P1(14, 2, 100000), "n", { "rsi", NULL }, 0, false, warm_n,
	  init_rsi, upd_rsi,
	  "relative strength index: 100 * G / (G + L), G and L Wilder averages of gains and losses of the close seeded with the mean of the first n changes; 0 when G + L is 0",
	  "TA-Lib RSI (Wilder 1978)" },
	{ "macd", 3, 0, { 12, 26, 9 }, { 2, 2, 1 }, { 100000, 100000, 100000 },
	  { true, true, true }, "fast:slow:signal",
	  { "macd", "macd_signal", "macd_hist", NULL }, 0, false, warm_macd,
	  init_macd, upd_macd,
	  "EMA(fast) - EMA(slow) of the close; signal = EMA(signal) of that line; hist = line - signal. The slow EMA is seeded with the mean of the first slow closes, the fast one with the mean of the fast closes ending on the same row, the signal with the mean of its first values",
	  "TA-Lib MACD" },
	{ "bb", 2, 1, { 20, 2 }, { 2, 0.001 }, { 100000, 100 },
	  { true, false }, "n:k",
	  { "bb_upper", "bb_middle", "bb_lower", "bb_width", "bb_pctb", NULL },
	  0, false, warm_n1, init_roll0, upd_bb,
	  "Bollinger bands: middle = SMA(n) of the close, upper/lower = middle +- k * population standard deviation (0 below a variance of 1e-14); width = (upper - lower) / middle; pctb = (close - lower) / (upper - lower), missing when upper = lower",
	  "TA-Lib BBANDS (SMA); width and %b after Bollinger" },
	{ "atr", P1(14, 2, 100000), "n", { "atr", NULL }, 0, false, warm_n,
	  init_atr, upd_atr,
	  "average true range: Wilder average of the true range (from the second bar), seeded with the mean of the first n true ranges",
	  "TA-Lib ATR" },
	{ "natr", P1(14, 2, 100000), "n", { "natr", NULL }, 0, false, warm_n,
	  init_atr, upd_natr, "ATR / close * 100", "TA-Lib NATR" },
	{ "adx", P1(14, 2, 100000), "n",
	  { "adx", "plus_di", "minus_di", NULL }, 0, false, warm_adx,
	  init_none, upd_adx,
	  "Wilder's directional movement: +DM/-DM and true range summed over the first n-1 bars, then smoothed as s - s/n + x; DI = 100 * DM / TR (0 when TR is 0); DX = 100 * |+DI - -DI| / (+DI + -DI); ADX = mean of the first n DX, then Wilder-smoothed (unchanged on a bar whose DX is undefined)",
	  "TA-Lib ADX, PLUS_DI, MINUS_DI" },
	{ "ema", P1(20, 2, 100000), "n", { "ema", NULL }, 0, false, warm_n1,
	  init_ema, upd_ema,
	  "exponential moving average of the close, k = 2 / (n + 1), seeded with the SMA of the first n closes",
	  "TA-Lib EMA" },
	{ "sma", P1(20, 2, 100000), "n", { "sma", NULL }, 0, false, warm_n1,
	  init_roll0, upd_sma, "simple moving average of the close",
	  "TA-Lib SMA" },
	{ "stoch", 3, 0, { 14, 3, 3 }, { 1, 1, 1 }, { 100000, 100000, 100000 },
	  { true, true, true }, "fastk:slowk:slowd",
	  { "stoch_k", "stoch_d", NULL }, 0, false, warm_stoch, init_stoch,
	  upd_stoch,
	  "slow stochastic: fast %K = 100 * (close - lowest low) / (highest high - lowest low) over fastk bars (0 when the range is 0); stoch_k = SMA(slowk) of fast %K; stoch_d = SMA(slowd) of stoch_k",
	  "TA-Lib STOCH (SMA, SMA)" },
	{ "cci", P1(20, 2, 100000), "n", { "cci", NULL }, 0, false, warm_n1,
	  init_cci, upd_cci,
	  "commodity channel index: (tp - SMA(tp)) / (0.015 * mean absolute deviation of tp), tp = (high + low + close) / 3; 0 when either is 0",
	  "TA-Lib CCI (Lambert 1980)" },
	{ "willr", P1(14, 2, 100000), "n", { "willr", NULL }, 0, false,
	  warm_n1, init_willr, upd_willr,
	  "Williams %R: -100 * (highest high - close) / (highest high - lowest low) over n bars; 0 when the range is 0",
	  "TA-Lib WILLR" },
	{ "mfi", P1(14, 2, 100000), "n", { "mfi", NULL }, 0, false, warm_n,
	  init_mfi, upd_mfi,
	  "money flow index: 100 * positive / (positive + negative) money flow (tp * volume, signed by the change of tp) over n bars; 0 when the total is below 1",
	  "TA-Lib MFI" },
	{ "vol_ratio", P1(20, 1, 100000), "n", { "vol_ratio", NULL }, 0,
	  false, warm_n1, init_roll0, upd_volratio,
	  "volume / SMA(n) of volume (the current bar included); missing when that SMA is 0",
	  "definition" },
	{ "obv", P0, "", { "obv", NULL }, 0, false, warm_0, init_none,
	  upd_obv,
	  "on-balance volume: starts at the first bar's volume, then adds the volume on a higher close and subtracts it on a lower one",
	  "TA-Lib OBV" },
	{ "ad", P0, "", { "ad", NULL }, 0, false, warm_0, init_none, upd_ad,
	  "Chaikin accumulation/distribution line: running sum of ((close - low) - (high - close)) / (high - low) * volume, skipping bars with high = low",
	  "TA-Lib AD" },
	{ "vroc", P1(14, 1, 100000), "n", { "vroc", NULL }, 0, false, warm_n,
	  init_lag, upd_vroc,
	  "volume rate of change in percent: (volume / volume[n ago] - 1) * 100; 0 when volume[n ago] is 0",
	  "TA-Lib ROC of the volume" },
	{ "vwap_dev", P1(20, 1, 100000), "n", { "vwap_dev", NULL }, 0,
	  false, warm_n1, init_vwap, upd_vwap,
	  "close / VWAP - 1, VWAP = sum(tp * volume) / sum(volume) over n bars, tp = (high + low + close) / 3; missing when the volume sum is 0",
	  "definition" },
	{ "taker_buy_ratio", P0, "", { "taker_buy_ratio", NULL }, 0, true,
	  warm_0, init_none, upd_taker,
	  "taker_buy_volume / volume; omitted from the default set when the input has no taker_buy_volume column, missing on rows where it is empty or the volume is 0",
	  "definition" },
	{ "hv", P1(20, 2, 100000), "n", { "hv", NULL }, 0, false, warm_n,
	  init_roll0, upd_hv,
	  "historical volatility: sample standard deviation of the last n log returns of the close, times sqrt(bars per year)",
	  "close-to-close estimator" },
	{ "parkinson", P1(20, 1, 100000), "n", { "parkinson", NULL }, 0,
	  false, warm_n1, init_roll0, upd_parkinson,
	  "sqrt(mean of ln(high/low)^2 over n bars / (4 ln 2) * bars per year)",
	  "Parkinson (1980)" },
	{ "gk", P1(20, 1, 100000), "n", { "gk", NULL }, 0, false, warm_n1,
	  init_roll0, upd_gk,
	  "sqrt(mean of 0.5 ln(high/low)^2 - (2 ln 2 - 1) ln(close/open)^2 over n bars * bars per year)",
	  "Garman and Klass (1980)" },
	{ "rs", P1(20, 1, 100000), "n", { "rs", NULL }, 0, false, warm_n1,
	  init_roll0, upd_rs,
	  "sqrt(mean of ln(high/close) ln(high/open) + ln(low/close) ln(low/open) over n bars * bars per year)",
	  "Rogers and Satchell (1991)" },
	{ "trend_dir", P1(20, 1, 100000), "n", { "trend_dir", NULL }, 0,
	  false, warm_n, init_lag, upd_trend,
	  "direction of the n-bar move: sign(close - close[n ago]), -1, 0 or 1",
	  "sign of TA-Lib MOM" },
	{ "hh", P1(20, 1, 100000), "n", { "hh", NULL }, 0, false, warm_n,
	  init_count, upd_hh,
	  "higher highs: number of the last n bars whose high exceeds the previous bar's high",
	  "definition" },
	{ "ll", P1(20, 1, 100000), "n", { "ll", NULL }, 0, false, warm_n,
	  init_count, upd_ll,
	  "lower lows: number of the last n bars whose low is below the previous bar's low",
	  "definition" },
	{ "dist_sma", P1(50, 2, 100000), "n", { "dist_sma", NULL }, 0, false,
	  warm_n1, init_roll0, upd_dist_sma,
	  "distance from the moving average: close / SMA(n) - 1",
	  "close over TA-Lib SMA" },
	{ "dist_ema", P1(50, 2, 100000), "n", { "dist_ema", NULL }, 0, false,
	  warm_n1, init_ema, upd_dist_ema, "close / EMA(n) - 1",
	  "close over TA-Lib EMA" },
	{ "funding", P1(21, 2, 100000), "n",
	  { "funding_rate", "funding_mean", "funding_z", "funding_next_ms",
	    NULL },
	  SIDE_FUNDING, false, warm_data, init_roll0, upd_side,
	  "from --funding, as of the row's close time (the latest record with funding_time <= close time): the rate; mean and z-score (rate - mean) / sample deviation over the last n records (missing before n records or with zero deviation); ms from the close time to the next settlement (last funding_time plus the spacing of the last two records, 8 h at first)",
	  "definition", 1u << 0 | 1u << 3 },
	{ "oi", P1(30, 2, 100000), "n", { "oi", "oi_change", "oi_z", NULL },
	  SIDE_OI, false, warm_data, init_roll0, upd_side,
	  "from --oi, as of the row's close time: open_interest_value (else open_interest) of the latest record with time <= close time; its change over the previous record (ratio - 1); z-score over the last n records",
	  "definition", 1u << 0 | 1u << 1 },
};

#undef P1
#undef P0

/* The default set, as a selection. */
static const char default_set[] =
    "ret:1,ret:5,ret:20,ret:60,logret:1,logret:5,logret:20,logret:60,"
    "mom:10,roc:5,roc:20,roc:60,"
    "rsi,macd,bb,atr,natr,adx,ema:10,ema:20,ema:50,ema:200,"
    "sma:10,sma:20,sma:50,sma:200,stoch,cci,willr,mfi,"
    "vol_ratio:5,vol_ratio:20,obv,ad,vroc,vwap_dev,taker_buy_ratio,"
    "hv:20,hv:60,parkinson,gk,rs,"
    "trend_dir,hh,ll,dist_sma:20,dist_sma:50,dist_sma:200,dist_ema:50";

/* ==== building a feature set ==== */

/* The kind named 'name' ('len' bytes), or NULL. */
static const struct kind *
find_kind(const char *name, size_t len)
{
	for (size_t i = 0; i < BF_ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].name) == len &&
		    memcmp(kinds[i].name, name, len) == 0)
			return &kinds[i];
	return NULL;
}

/* Append parameter 'v' to 'b' as "_v". */
static void
add_param(struct bf_buf *b, double v)
{
	char tmp[BF_NUM_BUFSZ];

	bf_buf_addc(b, '_');
	bf_num_format(tmp, v, 15);
	bf_buf_adds(b, tmp);
}

/* The name of column 'c' of an instance of 'k' with parameters 'p'. */
static char *
column_name(const struct kind *k, const double *p, int c)
{
	struct bf_buf b = BF_BUF_INIT;
	bool extra = false;
	int i;

	bf_buf_adds(&b, k->cols[c]);
	if (k->plain & (1u << c))
		return bf_buf_detach(&b, NULL);
	for (i = 0; i < k->nalways; i++)
		add_param(&b, p[i]);
	for (i = k->nalways; i < k->np; i++)
		if (p[i] != k->def[i])
			extra = true;
	if (extra)
		for (i = k->nalways; i < k->np; i++)
			add_param(&b, p[i]);
	return bf_buf_detach(&b, NULL);
}

/*
 * Parse one item "name[:p1[:p2...]]" of a selection into 'k' and 'p'.
 * Returns 0 or BF_EUSAGE.
 */
static int
parse_item(const char *s, size_t len, const struct kind **kp, double *p,
    struct bf_err *err)
{
	const char *colon = memchr(s, ':', len);
	size_t nlen = colon ? (size_t)(colon - s) : len;
	const struct kind *k = find_kind(s, nlen);
	int i = 0;

	if (k == NULL)
		return bf_err_set(err, BF_EUSAGE, "unknown feature '%.*s' (see --list)",
		    (int)nlen, s);
	memcpy(p, k->def, sizeof(k->def));
	while (colon != NULL) {
		const char *v = colon + 1, *end = s + len;
		char tmp[64];
		size_t vlen;
		double x;

		colon = memchr(v, ':', (size_t)(end - v));
		vlen = (size_t)((colon ? colon : end) - v);
		if (i >= k->np)
			return bf_err_set(err, BF_EUSAGE,
			    "feature '%s' takes %d parameter%s (%s)", k->name,
			    k->np, k->np == 1 ? "" : "s",
			    k->np ? k->pnames : "none");
		if (vlen == 0 || vlen >= sizeof(tmp))
			return bf_err_set(err, BF_EUSAGE,
			    "feature '%s': empty parameter", k->name);
		memcpy(tmp, v, vlen);
		tmp[vlen] = '\0';
		if (bf_parse_double(tmp, &x) < 0 || x < k->min[i] ||
		    x > k->max[i] || (k->integer[i] && x != floor(x)))
			return bf_err_set(err, BF_EUSAGE,
			    "feature '%s': bad parameter '%s' (%s %g..%g)",
			    k->name, tmp,
			    k->integer[i] ? "an integer in" : "a number in",
			    k->min[i], k->max[i]);
		p[i++] = x;
	}
	if (strcmp(k->name, "macd") == 0 && p[0] >= p[1])
		return bf_err_set(err, BF_EUSAGE,
		    "feature 'macd': fast period must be below the slow one");
	*kp = k;
	return 0;
}

/* Add an instance of 'k' with parameters 'p' to 'f'. */
static void
add_feat(struct bf_feature *f, const struct kind *k, const double *p)
{
	struct feat *ft;
	size_t nc = 0;

	while (k->cols[nc] != NULL)
		nc++;
	f->feats = bf_xrealloc(f->feats, (f->nfeats + 1) * sizeof(*f->feats));
	ft = &f->feats[f->nfeats++];
	memset(ft, 0, sizeof(*ft));
	ft->k = k;
	memcpy(ft->p, p, sizeof(ft->p));
	ft->n = (long)p[0];
	ft->col = f->ncols;
	ft->A = NAN;
	f->names = bf_xrealloc(f->names, (f->ncols + nc) * sizeof(*f->names));
	f->warm = bf_xrealloc(f->warm, (f->ncols + nc) * sizeof(*f->warm));
	for (size_t c = 0; c < nc; c++) {
		f->names[f->ncols + c] = column_name(k, p, (int)c);
		f->warm[f->ncols + c] = k->warmup(p, (int)c);
	}
	f->ncols += nc;
	k->init(ft);
}

/*
 * Open side file 'path' into 'sd': its time column 'tname' and value
 * column 'vname' (or the fallback 'v2name') are required.
 */
static int
open_side(struct side *sd, const char *path, const char *tname,
    const char *vname, const char *v2name, struct bf_err *err)
{
	int r;

	sd->rd = bf_reader_open(path, BF_FMT_AUTO, err);
	if (sd->rd == NULL)
		return BF_EFAIL;
	r = bf_reader_start(sd->rd, err);
	if (r < 0)
		return r;
	sd->last_t = INT64_MIN;
	if (r == 0) {
		sd->eof = true;
		return 0;
	}
	sd->tcol = bf_reader_col(sd->rd, tname);
	sd->vcol = bf_reader_col(sd->rd, vname);
	sd->vcol2 = v2name ? bf_reader_col(sd->rd, v2name) : -1;
	if (sd->tcol < 0 || (sd->vcol < 0 && sd->vcol2 < 0))
		return bf_err_set(err, BF_EDATA,
		    "%s:1: missing required column '%s'", path,
		    sd->tcol < 0 ? tname : vname);
	return 0;
}

/*
 * Parse a whole selection 'spec' into 'f'.  'is_default' quietly leaves
 * out what the input cannot feed; 'listing' adds every item without
 * checking inputs or opening side files (for --list).
 */
static int
parse_spec(struct bf_feature *f, const char *spec, bool is_default,
    bool listing, const struct bf_feat_opts *o, struct bf_err *err)
{
	const char *s = spec;

	while (*s != '\0') {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const struct kind *k = NULL;
		double p[MAXP];
		int r;

		if (len == 0)
			return bf_err_set(err, BF_EUSAGE,
			    "empty item in feature list '%s'", spec);
		r = parse_item(s, len, &k, p, err);
		if (r < 0)
			return r;
		if (listing) {
			add_feat(f, k, p);
		} else if (k->taker && !o->have_taker) {
			if (!is_default)
				return bf_err_set(err, BF_EDATA,
				    "stdin:1: missing required column 'taker_buy_volume' (for %s)",
				    k->name);
		} else if (k->side == SIDE_FUNDING && o->funding == NULL) {
			return bf_err_set(err, BF_EUSAGE,
			    "feature 'funding' needs --funding FILE");
		} else if (k->side == SIDE_OI && o->oi == NULL) {
			return bf_err_set(err, BF_EUSAGE,
			    "feature 'oi' needs --oi FILE");
		} else if (k->side != 0 && f->side[k->side].rd != NULL) {
			return bf_err_set(err, BF_EUSAGE,
			    "feature '%s' given twice", k->name);
		} else {
			add_feat(f, k, p);
			if (k->side == SIDE_FUNDING && (r = open_side(
			    &f->side[SIDE_FUNDING], o->funding, "funding_time",
			    "funding_rate", NULL, err)) < 0)
				return r;
			if (k->side == SIDE_OI && (r = open_side(
			    &f->side[SIDE_OI], o->oi, "time",
			    "open_interest_value", "open_interest", err)) < 0)
				return r;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* Build the feature set of selection 'only' (see feature.h). */
struct bf_feature *
bf_feature_new(const char *only, const struct bf_feat_opts *opts,
    struct bf_err *err)
{
	struct bf_feature *f = bf_xcalloc(1, sizeof(*f));
	bool has_f = false, has_o = false;
	int r;

	r = parse_spec(f, only ? only : default_set, only == NULL, false,
	    opts, err);
	if (r == 0 && only == NULL) {
		/* The derivative columns join the default set with their file. */
		if (opts->funding != NULL)
			r = parse_spec(f, "funding", false, false, opts, err);
		if (r == 0 && opts->oi != NULL)
			r = parse_spec(f, "oi", false, false, opts, err);
	}
	for (size_t i = 0; r == 0 && i < f->nfeats; i++) {
		has_f |= f->feats[i].k->side == SIDE_FUNDING;
		has_o |= f->feats[i].k->side == SIDE_OI;
	}
	if (r == 0 && opts->funding != NULL && !has_f)
		r = bf_err_set(err, BF_EUSAGE,
		    "--funding given but 'funding' is not in --only");
	if (r == 0 && opts->oi != NULL && !has_o)
		r = bf_err_set(err, BF_EUSAGE,
		    "--oi given but 'oi' is not in --only");
	for (size_t i = 0; r == 0 && i < f->ncols; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(f->names[i], f->names[j]) == 0) {
				r = bf_err_set(err, BF_EUSAGE,
				    "feature column '%s' given twice",
				    f->names[i]);
				break;
			}
	if (r < 0) {
		bf_feature_free(f);
		return NULL;
	}
	return f;
}

/* Check a selection without an input (see feature.h). */
int
bf_feature_check(const char *only, const struct bf_feat_opts *opts,
    struct bf_err *err)
{
	struct bf_feat_opts o = { true, NULL, NULL };
	struct bf_feature *f = bf_xcalloc(1, sizeof(*f));
	int r = 0;

	if (only != NULL)
		r = parse_spec(f, only, false, true, &o, err);
	for (size_t i = 0; r == 0 && i < f->nfeats; i++) {
		int side = f->feats[i].k->side;

		if (side == SIDE_FUNDING && opts->funding == NULL)
			r = bf_err_set(err, BF_EUSAGE,
			    "feature 'funding' needs --funding FILE");
		else if (side == SIDE_OI && opts->oi == NULL)
			r = bf_err_set(err, BF_EUSAGE,
			    "feature 'oi' needs --oi FILE");
	}
	bf_feature_free(f);
	return r;
}

/* Free 'f' and everything it owns; NULL is a no-op. */
void
bf_feature_free(struct bf_feature *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->nfeats; i++) {
		struct feat *ft = &f->feats[i];

		if (ft->has_ring)
			bf_ta_ring_release(&ft->ring);
		for (int j = 0; j < 2; j++)
			if (ft->has_roll[j])
				bf_ta_roll_release(&ft->roll[j]);
		if (ft->has_mono) {
			bf_ta_mono_release(&ft->hi);
			bf_ta_mono_release(&ft->lo);
		}
		for (int j = 0; j < 2; j++)
			if (ft->has_rs[j])
				bf_ta_runsum_release(&ft->rs[j]);
		if (ft->has_ring2)
			bf_ta_ring_release(&ft->ring2);
	}
	for (size_t i = 0; i < f->ncols; i++)
		free(f->names[i]);
	for (size_t i = 0; i < BF_ARRAY_SIZE(f->side); i++)
		bf_reader_free(f->side[i].rd);
	free(f->names);
	free(f->warm);
	free(f->feats);
	free(f);
}

/* The number of output columns. */
size_t
bf_feature_ncols(const struct bf_feature *f)
{
	return f->ncols;
}

/* Column 'k's name, owned by 'f'. */
const char *
bf_feature_colname(const struct bf_feature *f, size_t k)
{
	return f->names[k];
}

/* Column 'k's warm-up row, -1 when data-dependent. */
long
bf_feature_warmup(const struct bf_feature *f, size_t k)
{
	return f->warm[k];
}

/* The largest row-count warm-up. */
long
bf_feature_max_warmup(const struct bf_feature *f)
{
	long m = 0;

	for (size_t i = 0; i < f->ncols; i++)
		if (f->warm[i] > m)
			m = f->warm[i];
	return m;
}

/* Set the annualization of every instance. */
void
bf_feature_set_bars_per_year(struct bf_feature *f, double n)
{
	for (size_t i = 0; i < f->nfeats; i++)
		f->feats[i].A = n;
}

/* ==== side files ==== */

/*
 * Apply every record of side file 'sd' with time <= 't' through
 * 'apply'.  Records must be in strictly increasing time order.
 */
static int
side_advance(struct bf_feature *f, struct side *sd, int64_t t,
    void (*apply)(struct bf_feature *, struct side *), struct bf_err *err)
{
	int r;

	if (sd->rd == NULL || t == INT64_MIN)
		return 0;
	for (;;) {
		if (!sd->pending) {
			if (sd->eof)
				return 0;
			r = bf_reader_next(sd->rd, err);
			if (r < 0)
				return r;
			if (r == 0) {
				sd->eof = true;
				return 0;
			}
			r = bf_reader_i64(sd->rd, sd->tcol, &sd->t, err);
			if (r < 0)
				return r;
			if (r == 0)
				return bf_reader_error(sd->rd, err,
				    "missing time");
			if (sd->t <= sd->last_t)
				return bf_reader_error(sd->rd, err,
				    "time %lld is not after the previous record's",
				    (long long)sd->t);
			sd->last_t = sd->t;
			r = bf_reader_double(sd->rd, sd->vcol, &sd->v, err);
			if (r == 0 && sd->vcol2 >= 0)
				r = bf_reader_double(sd->rd, sd->vcol2, &sd->v,
				    err);
			if (r < 0)
				return r;
			if (r == 0)
				continue; /* a record without a value */
			sd->pending = true;
		}
		if (sd->t > t)
			return 0;
		sd->pending = false;
		sd->count++;
		apply(f, sd);
	}
}

/* The instance fed by side file 'side'. */
static struct feat *
side_feat(struct bf_feature *f, int side)
{
	for (size_t i = 0; i < f->nfeats; i++)
		if (f->feats[i].k->side == side)
			return &f->feats[i];
	return NULL;
}

/* A funding record becomes known: rate, time, window. */
static void
apply_funding(struct bf_feature *f, struct side *sd)
{
	struct feat *ft = side_feat(f, SIDE_FUNDING);

	f->fund_tprev = f->fund_t;
	f->fund_t = sd->t;
	f->fund_rate = sd->v;
	bf_ta_roll_push(&ft->roll[0], sd->v);
}

/* An open interest record becomes known: value, window. */
static void
apply_oi(struct bf_feature *f, struct side *sd)
{
	struct feat *ft = side_feat(f, SIDE_OI);

	f->oi_prev = f->oi_val;
	f->oi_val = sd->v;
	bf_ta_roll_push(&ft->roll[0], sd->v);
}

/* (x - mean) / sample deviation of a full window, else NaN. */
static double
zscore(const struct bf_ta_roll *r, double x)
{
	double sd;

	if (!bf_ta_roll_full(r))
		return NAN;
	sd = sqrt(bf_ta_roll_var_samp(r));
	return sd > 0 ? (x - bf_ta_roll_mean(r)) / sd : NAN;
}

/* Write the as-of derivative columns of 'ft' for a row closing at 't'. */
static void
side_out(struct bf_feature *f, struct feat *ft, int64_t t, double *out)
{
	if (ft->k->side == SIDE_FUNDING) {
		struct side *sd = &f->side[SIDE_FUNDING];
		int64_t period, next;

		if (sd->count == 0 || t == INT64_MIN)
			return;
		out[0] = f->fund_rate;
		if (bf_ta_roll_full(&ft->roll[0]))
			out[1] = bf_ta_roll_mean(&ft->roll[0]);
		out[2] = zscore(&ft->roll[0], f->fund_rate);
		period = sd->count > 1 && f->fund_t > f->fund_tprev ?
		    f->fund_t - f->fund_tprev : FUNDING_PERIOD_MS;
		next = f->fund_t + period;
		if (next <= t)
			next += ((t - next) / period + 1) * period;
		out[3] = (double)(next - t);
	} else {
		struct side *sd = &f->side[SIDE_OI];

		if (sd->count == 0 || t == INT64_MIN)
			return;
		out[0] = f->oi_val;
		if (sd->count > 1 && f->oi_prev != 0)
			out[1] = f->oi_val / f->oi_prev - 1.0;
		out[2] = zscore(&ft->roll[0], f->oi_val);
	}
}

/* Compute one row: side files first, then every instance. */
int
bf_feature_update(struct bf_feature *f, const struct bf_feat_bar *b,
    double *out, struct bf_err *err)
{
	int r;

	for (size_t i = 0; i < f->ncols; i++)
		out[i] = NAN;
	r = side_advance(f, &f->side[SIDE_FUNDING], b->close_time,
	    apply_funding, err);
	if (r == 0)
		r = side_advance(f, &f->side[SIDE_OI], b->close_time,
		    apply_oi, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < f->nfeats; i++) {
		struct feat *ft = &f->feats[i];

		if (ft->k->side != 0)
			side_out(f, ft, b->close_time, out + ft->col);
		else
			ft->k->update(ft, b, out + ft->col);
		ft->row++;
	}
	return 0;
}

/* Hand the row's values to the writer. */
void
bf_feature_write(const struct bf_feature *f, const double *out,
    struct bf_writer *w, size_t k0)
{
	bf_writer_set_doubles(w, k0, out, f->ncols);
}

/* ==== --list ==== */

const char *const bf_feature_list_cols[] = {
	"column", "feature", "params", "defaults", "warmup", "definition",
	"reference"
};

/* Write the --list records (see feature.h). */
int
bf_feature_list(struct bf_writer *w, const char *only, struct bf_err *err)
{
	struct bf_feat_opts o = { true, NULL, NULL };
	struct bf_feature *f;
	char tmp[BF_NUM_BUFSZ];
	int r;

	/* Listing needs no input and no side file. */
	f = bf_xcalloc(1, sizeof(*f));
	r = parse_spec(f, only ? only : default_set, false, true, &o, err);
	if (r == 0 && only == NULL)
		r = parse_spec(f, "funding,oi", false, true, &o, err);
	if (r == 0)
		r = bf_writer_start(w, NULL, bf_feature_list_cols,
		    BF_FEATURE_LIST_NCOLS, err);
	if (r < 0) {
		bf_feature_free(f);
		return r;
	}
	for (size_t i = 0; r == 0 && i < f->nfeats; i++) {
		const struct feat *ft = &f->feats[i];
		const struct kind *k = ft->k;
		struct bf_buf pv;

		bf_buf_init(&pv);
		for (int j = 0; j < k->np; j++) {
			if (j > 0)
				bf_buf_addc(&pv, ':');
			bf_num_format(tmp, ft->p[j], 15);
			bf_buf_adds(&pv, tmp);
		}
		for (size_t c = 0; k->cols[c] != NULL; c++) {
			size_t col = ft->col + c;

			bf_writer_set_text(w, 0, f->names[col],
			    strlen(f->names[col]));
			bf_writer_set_text(w, 1, k->name, strlen(k->name));
			bf_writer_set_text(w, 2, k->pnames, strlen(k->pnames));
			bf_writer_set_text(w, 3, pv.buf, pv.len);
			if (f->warm[col] >= 0)
				bf_writer_set_i64(w, 4, f->warm[col]);
			else
				bf_writer_set_text(w, 4, "data", 4);
			bf_writer_set_text(w, 5, k->def_text,
			    strlen(k->def_text));
			bf_writer_set_text(w, 6, k->ref, strlen(k->ref));
			if ((r = bf_writer_emit(w, NULL, err)) < 0)
				break;
		}
		bf_buf_release(&pv);
	}
	bf_feature_free(f);
	return r;
}
