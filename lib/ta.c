/* SPDX-License-Identifier: MIT */
/*
 * ta.c - incremental indicator primitives.  See ta.h.
 *
 * The arithmetic of the EMA and Wilder updates is written in the same
 * order as TA-Lib's C code (v + (x - v) * k; (v * (n - 1) + x) / n), so
 * results agree with it to the last bits, not just to a tolerance.
 */
#include "compat.h"

#include <math.h>

#include "ta.h"
#include "util.h"

/* Start an EMA of period 'n' with TA-Lib's k = 2 / (n + 1). */
void
bf_ta_ema_init(struct bf_ta_ema *e, long n)
{
	e->n = n < 1 ? 1 : n;
	e->k = BF_TA_PER_TO_K(e->n);
	e->v = 0;
	e->seed = 0;
	e->count = 0;
}

/* Feed 'x'; true once the EMA has a value (after n inputs). */
bool
bf_ta_ema_push(struct bf_ta_ema *e, double x)
{
	if (e->count >= e->n) {
		e->v = (x - e->v) * e->k + e->v;
		return true;
	}
	e->seed += x;
	if (++e->count < e->n)
		return false;
	e->v = e->seed / (double)e->n;
	return true;
}

/* Set the EMA's value to 'v' as if its seed were complete. */
void
bf_ta_ema_seed(struct bf_ta_ema *e, double v)
{
	e->v = v;
	e->count = e->n;
}

/* Start a Wilder average of period 'n'. */
void
bf_ta_wilder_init(struct bf_ta_wilder *w, long n)
{
	w->n = n < 1 ? 1 : n;
	w->v = 0;
	w->seed = 0;
	w->count = 0;
}

/* Feed 'x'; true once the average has a value (after n inputs). */
bool
bf_ta_wilder_push(struct bf_ta_wilder *w, double x)
{
	if (w->count >= w->n) {
		w->v = (w->v * (double)(w->n - 1) + x) / (double)w->n;
		return true;
	}
	w->seed += x;
	if (++w->count < w->n)
		return false;
	w->v = w->seed / (double)w->n;
	return true;
}

/* A ring of 'n' (>= 1) slots, empty. */
void
bf_ta_ring_init(struct bf_ta_ring *r, size_t n)
{
	r->n = n < 1 ? 1 : n;
	r->buf = bf_xcalloc(r->n, sizeof(*r->buf));
	r->pos = 0;
	r->len = 0;
}

/* Free the ring's buffer. */
void
bf_ta_ring_release(struct bf_ta_ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = 0;
}

/* Store 'x', overwriting the oldest value when the ring is full. */
void
bf_ta_ring_push(struct bf_ta_ring *r, double x)
{
	r->buf[r->pos] = x;
	if (++r->pos == r->n)
		r->pos = 0;
	if (r->len < r->n)
		r->len++;
}

/* A rolling window of 'n' values, empty. */
void
bf_ta_roll_init(struct bf_ta_roll *r, size_t n)
{
	bf_ta_ring_init(&r->win, n);
	r->mean = 0;
	r->m2 = 0;
	r->since = 0;
	r->run = 0;
}

/* Free the window. */
void
bf_ta_roll_release(struct bf_ta_roll *r)
{
	bf_ta_ring_release(&r->win);
}

/*
 * Recompute the mean and the sum of squared deviations from the values
 * in the window: a Neumaier-compensated sum for the mean, then the
 * corrected two-pass formula (Chan, Golub and LeVeque) for m2.
 */
void
bf_ta_roll_recompute(struct bf_ta_roll *r)
{
	const double *b = r->win.buf;
	size_t len = r->win.len, i;
	double s = 0, c = 0, mean, d, m2 = 0, corr = 0;

	r->since = 0;
	if (len == 0) {
		r->mean = r->m2 = 0;
		return;
	}
	/* When not full the values are in slots 0..len-1; order is moot. */
	for (i = 0; i < len; i++) {
		double t = s + b[i];

		if (fabs(s) >= fabs(b[i]))
			c += (s - t) + b[i];
		else
			c += (b[i] - t) + s;
		s = t;
	}
	mean = (s + c) / (double)len;
	for (i = 0; i < len; i++) {
		d = b[i] - mean;
		m2 += d * d;
		corr += d;
	}
	r->mean = mean + corr / (double)len;
	r->m2 = m2 - corr * corr / (double)len;
	if (r->m2 < 0)
		r->m2 = 0;
}

/*
 * Feed 'x'.  While the window fills this is Welford's update; once it
 * is full, the new value replaces the oldest in one sliding step, and
 * every 4n slides the statistics are recomputed exactly.
 */
void
bf_ta_roll_push(struct bf_ta_roll *r, double x)
{
	struct bf_ta_ring *w = &r->win;
	double d, old, mean0;

	if (w->len > 0 && x == bf_ta_ring_ago(w, 0))
		r->run++;
	else
		r->run = 1;
	if (r->run >= w->n) {
		/* All n values equal x: exact, and a fresh start. */
		bf_ta_ring_push(w, x);
		r->mean = x;
		r->m2 = 0;
		r->since = 0;
		return;
	}
	if (w->len < w->n) {
		bf_ta_ring_push(w, x);
		d = x - r->mean;
		r->mean += d / (double)w->len;
		r->m2 += d * (x - r->mean);
		return;
	}
	old = w->buf[w->pos];
	bf_ta_ring_push(w, x);
	if (++r->since >= 4 * w->n) {
		bf_ta_roll_recompute(r);
		return;
	}
	mean0 = r->mean;
	d = x - old;
	r->mean += d / (double)w->n;
	r->m2 += d * ((x - r->mean) + (old - mean0));
	if (r->m2 < 0)
		r->m2 = 0;
}

/*
 * The sum of squared deviations, with the residue of the sliding update
 * (below 1e-12 of the mean in standard deviation) taken as zero so that
 * a flat window has exactly zero variance.
 */
static double
roll_m2(const struct bf_ta_roll *r)
{
	double floor = 1e-24 * r->mean * r->mean * (double)r->win.len;

	return r->m2 <= floor ? 0.0 : r->m2;
}

/* Population variance of the window. */
double
bf_ta_roll_var_pop(const struct bf_ta_roll *r)
{
	if (r->win.len == 0)
		return NAN;
	return roll_m2(r) / (double)r->win.len;
}

/* Sample variance of the window. */
double
bf_ta_roll_var_samp(const struct bf_ta_roll *r)
{
	if (r->win.len < 2)
		return NAN;
	return roll_m2(r) / (double)(r->win.len - 1);
}

/* A rolling extreme over 'n' values. */
void
bf_ta_mono_init(struct bf_ta_mono *m, size_t n, bool max)
{
	m->n = n < 1 ? 1 : n;
	m->val = bf_xmalloc(m->n * sizeof(*m->val));
	m->idx = bf_xmalloc(m->n * sizeof(*m->idx));
	m->head = 0;
	m->len = 0;
	m->seq = 0;
	m->max = max;
}

/* Free the deque. */
void
bf_ta_mono_release(struct bf_ta_mono *m)
{
	free(m->val);
	free(m->idx);
	m->val = NULL;
	m->idx = NULL;
}

/*
 * Feed 'x': drop from the back every candidate 'x' dominates, append x,
 * drop from the front the candidate that left the window.  The front is
 * the extreme.  The deque never holds more than n entries, since every
 * entry is within the last n values.
 */
double
bf_ta_mono_push(struct bf_ta_mono *m, double x)
{
	size_t back;
	int64_t s = m->seq++;

	while (m->len > 0) {
		back = m->head + m->len - 1;
		if (back >= m->n)
			back -= m->n;
		if (m->max ? m->val[back] > x : m->val[back] < x)
			break;
		m->len--;
	}
	if (m->len > 0 && m->idx[m->head] <= s - (int64_t)m->n) {
		m->head = m->head + 1 == m->n ? 0 : m->head + 1;
		m->len--;
	}
	back = m->head + m->len;
	if (back >= m->n)
		back -= m->n;
	m->val[back] = x;
	m->idx[back] = s;
	m->len++;
	return m->val[m->head];
}

/* A running sum over 'n' values, empty. */
void
bf_ta_runsum_init(struct bf_ta_runsum *r, size_t n)
{
	bf_ta_ring_init(&r->win, n);
	r->total = 0;
}

/* Free the window. */
void
bf_ta_runsum_release(struct bf_ta_runsum *r)
{
	bf_ta_ring_release(&r->win);
}

/*
 * Feed 'x' as TA-Lib's TA_INT_SMA does: the total gains the new value,
 * is read, then loses the oldest value of the window.
 */
bool
bf_ta_runsum_push(struct bf_ta_runsum *r, double x, double *sum)
{
	struct bf_ta_ring *w = &r->win;

	bf_ta_ring_push(w, x);
	r->total += x;
	if (w->len < w->n)
		return false;
	*sum = r->total;
	r->total -= bf_ta_ring_ago(w, w->n - 1);
	return true;
}
