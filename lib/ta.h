/* SPDX-License-Identifier: MIT */
/*
 * ta.h - incremental indicator primitives: O(1) work per value.
 *
 * Every primitive is a small state machine fed one value at a time, so
 * the same code computes a feature over a year of history and on a live
 * stream, and a value never depends on a later one.
 *
 *  - bf_ta_ema: exponential moving average seeded, as TA-Lib does by
 *    default, with the simple mean of its first 'n' inputs, then
 *    v += (x - v) * k with k = 2 / (n + 1) (or a given k).
 *  - bf_ta_wilder: Wilder's running average (RMA): seeded with the mean
 *    of the first 'n' inputs, then v = (v * (n - 1) + x) / n.
 *  - bf_ta_ring: the last 'n' values, for lags (x[t - k]).
 *  - bf_ta_roll: rolling mean and variance over the last 'n' values.
 *    Welford's update slides the window (add the new value and remove the
 *    oldest in one step), and the mean and the sum of squared deviations
 *    are recomputed exactly from the window (two passes, compensated sum)
 *    every 4n values, so rounding error never accumulates beyond four
 *    windows' worth: no drift over millions of rows, unlike running
 *    sums.  The recomputation costs O(n) once per 4n values: O(1)
 *    amortized.  A window whose values are all equal (a flat market, a
 *    run of zero volumes) is recognised exactly: its mean is that value
 *    and its variance 0, with no rounding residue.
 *  - bf_ta_mono: rolling maximum or minimum with a monotonic deque
 *    (amortized O(1)).
 *  - bf_ta_runsum: a running window sum in exactly TA-Lib's order of
 *    operations (add the new value, read, subtract the oldest), for the
 *    two features whose TA-Lib reference is such a sum of bounded values
 *    (the stochastic's SMAs, the MFI's money flows) so that they match
 *    it bit for bit, including its rounding residue near 0.  Its error
 *    is absolute, about 1e-16 of the window's recent sums times the
 *    square root of the row count: harmless for these, and never used
 *    for a mean or variance of prices.
 *
 * Ownership: each primitive owns its buffers (allocated by _init with
 * bf_xmalloc, freed by _release).  None of them does I/O or fails
 * except on out-of-memory.
 */
#ifndef BF_TA_H
#define BF_TA_H

#include "compat.h"

/* TA-Lib's PER_TO_K: the EMA smoothing factor of period 'n'. */
#define BF_TA_PER_TO_K(n) (2.0 / ((double)(n) + 1.0))

/* TA-Lib's TA_IS_ZERO: values this close to zero count as zero. */
#define BF_TA_EPSILON 1e-14
#define BF_TA_IS_ZERO(v) (-BF_TA_EPSILON < (v) && (v) < BF_TA_EPSILON)

struct bf_ta_ema {
	double k;	/* smoothing factor */
	double v;	/* current value (valid when count >= n) */
	double seed;	/* sum of the first n inputs */
	long n;
	long count;	/* inputs seen */
};

/* An EMA of period 'n' (>= 1) with k = 2 / (n + 1). */
void bf_ta_ema_init(struct bf_ta_ema *e, long n);

/*
 * Feed 'x'.  Returns true when the EMA has a value (from the n-th input
 * on, which gives the seed, the mean of the first n inputs).
 */
bool bf_ta_ema_push(struct bf_ta_ema *e, double x);

/* Start the EMA at value 'v' as if n inputs had been seen (MACD). */
void bf_ta_ema_seed(struct bf_ta_ema *e, double v);

struct bf_ta_wilder {
	double v;	/* current value (valid when count >= n) */
	double seed;
	long n;
	long count;
};

void bf_ta_wilder_init(struct bf_ta_wilder *w, long n);

/* Feed 'x'.  Returns true when the average has a value (count >= n). */
bool bf_ta_wilder_push(struct bf_ta_wilder *w, double x);

struct bf_ta_ring {
	double *buf;	/* owned; n slots */
	size_t n;
	size_t pos;	/* slot of the next value */
	size_t len;	/* values held, <= n */
};

void bf_ta_ring_init(struct bf_ta_ring *r, size_t n);
void bf_ta_ring_release(struct bf_ta_ring *r);
void bf_ta_ring_push(struct bf_ta_ring *r, double x);

/*
 * The value pushed 'k' pushes ago (0 = the last one); 'k' < len.
 */
static inline double
bf_ta_ring_ago(const struct bf_ta_ring *r, size_t k)
{
	size_t i = r->pos + r->n - 1 - k;

	return r->buf[i >= r->n ? i - r->n : i];
}

/* True when the ring is full. */
static inline bool
bf_ta_ring_full(const struct bf_ta_ring *r)
{
	return r->len == r->n;
}

struct bf_ta_roll {
	struct bf_ta_ring win;	/* the window */
	double mean;
	double m2;		/* sum of squared deviations from mean */
	size_t since;		/* slides since the last exact recompute */
	size_t run;		/* trailing values equal to the last one */
};

void bf_ta_roll_init(struct bf_ta_roll *r, size_t n);
void bf_ta_roll_release(struct bf_ta_roll *r);

/* Feed 'x' (finite).  The oldest value leaves when the window is full. */
void bf_ta_roll_push(struct bf_ta_roll *r, double x);

/* Recompute mean and m2 exactly from the window (done automatically). */
void bf_ta_roll_recompute(struct bf_ta_roll *r);

/* True when the window holds n values. */
static inline bool
bf_ta_roll_full(const struct bf_ta_roll *r)
{
	return r->win.len == r->win.n;
}

/* The mean of the values in the window. */
static inline double
bf_ta_roll_mean(const struct bf_ta_roll *r)
{
	return r->mean;
}

/* The sum of the values in the window (mean times count). */
static inline double
bf_ta_roll_sum(const struct bf_ta_roll *r)
{
	return r->mean * (double)r->win.len;
}

/* Population variance (divide by n); never negative. */
double bf_ta_roll_var_pop(const struct bf_ta_roll *r);

/* Sample variance (divide by n - 1); NaN with fewer than 2 values. */
double bf_ta_roll_var_samp(const struct bf_ta_roll *r);

struct bf_ta_mono {
	double *val;	/* owned; deque of candidate values */
	int64_t *idx;	/* owned; their sequence numbers */
	size_t n;	/* window length, also the deque's capacity */
	size_t head;	/* slot of the front (the extreme) */
	size_t len;
	int64_t seq;	/* sequence number of the next value */
	bool max;	/* a maximum (else a minimum) */
};

/* A rolling maximum ('max' true) or minimum over 'n' (>= 1) values. */
void bf_ta_mono_init(struct bf_ta_mono *m, size_t n, bool max);
void bf_ta_mono_release(struct bf_ta_mono *m);

/* Feed 'x' and return the extreme of the last n values (including x). */
double bf_ta_mono_push(struct bf_ta_mono *m, double x);

struct bf_ta_runsum {
	struct bf_ta_ring win;	/* the window */
	double total;		/* the running sum, TA-Lib's way */
};

void bf_ta_runsum_init(struct bf_ta_runsum *r, size_t n);
void bf_ta_runsum_release(struct bf_ta_runsum *r);

/*
 * Feed 'x'.  Returns true once the window is full, with the sum of the
 * last n values (x included) in '*sum'.
 */
bool bf_ta_runsum_push(struct bf_ta_runsum *r, double x, double *sum);

#endif /* BF_TA_H */
