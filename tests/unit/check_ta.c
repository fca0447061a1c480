/* SPDX-License-Identifier: MIT */
/*
 * check_ta.c - the indicator primitives: hand-checked small cases,
 * agreement with brute force on random data, and the 5-million-row
 * stability test of the rolling statistics.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "ta.h"

Suite *ta_suite(void);

/* splitmix64, for reproducible test data. */
static uint64_t rng_state;

static double
uni(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

START_TEST(test_ema_by_hand)
{
	struct bf_ta_ema e;

	/* n = 3, k = 0.5: seed (1 + 2 + 3) / 3 = 2; then 2 + (6 - 2) / 2. */
	bf_ta_ema_init(&e, 3);
	ck_assert(e.k == 0.5);
	ck_assert(!bf_ta_ema_push(&e, 1));
	ck_assert(!bf_ta_ema_push(&e, 2));
	ck_assert(bf_ta_ema_push(&e, 3));
	ck_assert(e.v == 2);
	ck_assert(bf_ta_ema_push(&e, 6));
	ck_assert(e.v == 4);
	ck_assert(bf_ta_ema_push(&e, 0));
	ck_assert(e.v == 2);
	bf_ta_ema_seed(&e, 10);
	ck_assert(bf_ta_ema_push(&e, 20));
	ck_assert(e.v == 15);
}
END_TEST

START_TEST(test_wilder_by_hand)
{
	struct bf_ta_wilder w;

	/* n = 4: seed (4 + 0 + 4 + 0) / 4 = 2; then (2 * 3 + 6) / 4 = 3. */
	bf_ta_wilder_init(&w, 4);
	ck_assert(!bf_ta_wilder_push(&w, 4));
	ck_assert(!bf_ta_wilder_push(&w, 0));
	ck_assert(!bf_ta_wilder_push(&w, 4));
	ck_assert(bf_ta_wilder_push(&w, 0));
	ck_assert(w.v == 2);
	ck_assert(bf_ta_wilder_push(&w, 6));
	ck_assert(w.v == 3);
	ck_assert(bf_ta_wilder_push(&w, 7));
	ck_assert(w.v == 4);
}
END_TEST

START_TEST(test_ring)
{
	struct bf_ta_ring r;

	bf_ta_ring_init(&r, 3);
	bf_ta_ring_push(&r, 1);
	bf_ta_ring_push(&r, 2);
	ck_assert(!bf_ta_ring_full(&r));
	ck_assert(bf_ta_ring_ago(&r, 0) == 2);
	ck_assert(bf_ta_ring_ago(&r, 1) == 1);
	bf_ta_ring_push(&r, 3);
	bf_ta_ring_push(&r, 4);
	ck_assert(bf_ta_ring_full(&r));
	ck_assert(bf_ta_ring_ago(&r, 0) == 4);
	ck_assert(bf_ta_ring_ago(&r, 2) == 2);
	bf_ta_ring_release(&r);
}
END_TEST

START_TEST(test_roll_by_hand)
{
	struct bf_ta_roll r;

	/* Window 3 over 2, 4, 6, 8: means 2, 3, 4, 6; variances by hand. */
	bf_ta_roll_init(&r, 3);
	bf_ta_roll_push(&r, 2);
	ck_assert(bf_ta_roll_mean(&r) == 2);
	ck_assert(isnan(bf_ta_roll_var_samp(&r)));
	bf_ta_roll_push(&r, 4);
	ck_assert(bf_ta_roll_mean(&r) == 3);
	ck_assert(bf_ta_roll_var_samp(&r) == 2);
	bf_ta_roll_push(&r, 6);
	ck_assert(bf_ta_roll_full(&r));
	ck_assert(bf_ta_roll_mean(&r) == 4);
	ck_assert(bf_ta_roll_sum(&r) == 12);
	ck_assert(bf_ta_roll_var_samp(&r) == 4);	/* (4 + 0 + 4) / 2 */
	ck_assert_double_eq_tol(bf_ta_roll_var_pop(&r), 8.0 / 3, 1e-15);
	bf_ta_roll_push(&r, 8);				/* 4, 6, 8 */
	ck_assert(bf_ta_roll_mean(&r) == 6);
	ck_assert(bf_ta_roll_var_samp(&r) == 4);
	/* A flat window is exact: mean 5, variance 0. */
	bf_ta_roll_push(&r, 5);
	bf_ta_roll_push(&r, 5);
	bf_ta_roll_push(&r, 5);
	ck_assert(bf_ta_roll_mean(&r) == 5);
	ck_assert(bf_ta_roll_var_pop(&r) == 0);
	bf_ta_roll_release(&r);
}
END_TEST

START_TEST(test_mono_by_hand)
{
	struct bf_ta_mono mx, mn;
	static const double x[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3 };
	/* Window 3: max and min of x[i-2..i]. */
	static const double wmax[] = { 3, 3, 4, 4, 5, 9, 9, 9, 6, 6 };
	static const double wmin[] = { 3, 1, 1, 1, 1, 1, 2, 2, 2, 3 };

	bf_ta_mono_init(&mx, 3, true);
	bf_ta_mono_init(&mn, 3, false);
	for (size_t i = 0; i < BF_ARRAY_SIZE(x); i++) {
		ck_assert(bf_ta_mono_push(&mx, x[i]) == wmax[i]);
		ck_assert(bf_ta_mono_push(&mn, x[i]) == wmin[i]);
	}
	bf_ta_mono_release(&mx);
	bf_ta_mono_release(&mn);
}
END_TEST

START_TEST(test_mono_brute)
{
	static double x[5000];
	struct bf_ta_mono mx, mn;
	size_t n = 17;

	rng_state = 3;
	bf_ta_mono_init(&mx, n, true);
	bf_ta_mono_init(&mn, n, false);
	for (size_t i = 0; i < BF_ARRAY_SIZE(x); i++) {
		double hi = -INFINITY, lo = INFINITY, a, b;

		/* Few distinct values, so ties are frequent. */
		x[i] = floor(uni() * 8);
		a = bf_ta_mono_push(&mx, x[i]);
		b = bf_ta_mono_push(&mn, x[i]);
		for (size_t j = i + 1 > n ? i + 1 - n : 0; j <= i; j++) {
			hi = fmax(hi, x[j]);
			lo = fmin(lo, x[j]);
		}
		ck_assert(a == hi);
		ck_assert(b == lo);
	}
	bf_ta_mono_release(&mx);
	bf_ta_mono_release(&mn);
}
END_TEST

/*
 * Exact mean and variance of x[from..to) in long double, two passes.
 */
static void
exact(const double *x, size_t from, size_t to, long double *mean,
    long double *var)
{
	long double s = 0, m2 = 0, d;

	for (size_t i = from; i < to; i++)
		s += x[i];
	*mean = s / (long double)(to - from);
	for (size_t i = from; i < to; i++) {
		d = x[i] - *mean;
		m2 += d * d;
	}
	*var = m2 / (long double)(to - from - 1);
}

/*
 * 5 million rows of a price-like random walk around 1e5 (steps of up to
 * 5, like BTC minutes) whose variance over the window is tiny next to
 * the square of its level, the case where running sums of x and x^2
 * lose most digits: the rolling mean and sample variance must stay
 * within 1e-12 and 1e-9 (relative) of an exact recomputation at
 * checkpoints spread over the whole run, and naive running sums, shown
 * for contrast, must not.
 */
START_TEST(test_roll_stability_5m)
{
	const size_t N = 5000000, W = 50;
	struct bf_ta_roll r;
	double *x = malloc(N * sizeof(*x));
	double p = 1e5, sum = 0, sumsq = 0, worst_m = 0, worst_v = 0;
	double naive_v = 0;

	ck_assert_ptr_nonnull(x);
	rng_state = 11;
	bf_ta_roll_init(&r, W);
	for (size_t i = 0; i < N; i++) {
		p += (uni() - 0.5) * 10;
		if (i % 1000000 == 500000)
			p += 5e4;	/* a level shift */
		x[i] = p;
		bf_ta_roll_push(&r, p);
		sum += p;
		sumsq += p * p;
		if (i >= W) {
			sum -= x[i - W];
			sumsq -= x[i - W] * x[i - W];
		}
		if (i >= W && (i % 99991 == 0 || i == N - 1)) {
			long double m, v;
			double em, ev, nv;

			exact(x, i + 1 - W, i + 1, &m, &v);
			em = fabs((double)((bf_ta_roll_mean(&r) - m) / m));
			ev = fabs((double)((bf_ta_roll_var_samp(&r) - v) / v));
			nv = (sumsq - sum * sum / (double)W) / (double)(W - 1);
			nv = fabs((double)((nv - v) / v));
			worst_m = fmax(worst_m, em);
			worst_v = fmax(worst_v, ev);
			naive_v = fmax(naive_v, nv);
		}
	}
	ck_assert_msg(worst_m < 1e-12, "mean drifted: %g", worst_m);
	ck_assert_msg(worst_v < 1e-9, "variance drifted: %g", worst_v);
	ck_assert_msg(naive_v > 1e-6, "running sums did not drift (%g)?",
	    naive_v);
	bf_ta_roll_release(&r);
	free(x);
}
END_TEST

Suite *
ta_suite(void)
{
	Suite *s = suite_create("ta");
	TCase *tc = tcase_create("primitives");
	TCase *tl = tcase_create("stability");

	tcase_add_test(tc, test_ema_by_hand);
	tcase_add_test(tc, test_wilder_by_hand);
	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_roll_by_hand);
	tcase_add_test(tc, test_mono_by_hand);
	tcase_add_test(tc, test_mono_brute);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tl, 120);
	tcase_add_test(tl, test_roll_stability_5m);
	suite_add_tcase(s, tl);
	return s;
}
