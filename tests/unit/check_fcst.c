/* SPDX-License-Identifier: MIT */
/*
 * check_fcst.c - unit tests of lib/fcst.c on simulated data whose truth
 * is known: GARCH parameters recovered from a simulated GARCH path, the
 * DM test's sign and size, temperature scaling undoing a known
 * over-confidence, ECE of calibrated forecasts, and the PIT test.
 */
#include "compat.h"

#include <check.h>
#include <math.h>

#include "dist.h"
#include "fcst.h"

Suite *fcst_suite(void);

static uint64_t rng_state;

/* A uniform in (0, 1) from splitmix64. */
static double
unif(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return bf_norm_quantile(unif());
}

START_TEST(test_garch)
{
	enum { N = 30000 };
	static double r[N];
	struct bf_garch g;
	double s2 = 1e-4, om = 1e-5;

	rng_state = 1;
	for (int t = 0; t < N; t++) {
		r[t] = sqrt(s2) * gauss();
		s2 = om + 0.1 * r[t] * r[t] + 0.85 * s2;
	}
	ck_assert_int_eq(bf_garch_fit(r, N, &g), 0);
	ck_assert_double_eq_tol(g.alpha, 0.1, 0.03);
	ck_assert_double_eq_tol(g.beta, 0.85, 0.04);
	ck_assert_double_eq_tol(g.var, om / 0.05, om / 0.05 * 0.2);
	/* h = 1 is the next variance; long horizons approach h * var. */
	ck_assert_double_eq_tol(bf_garch_hvar(&g, 3e-4, 1), 3e-4, 1e-15);
	ck_assert_double_eq_tol(bf_garch_hvar(&g, g.var, 50), 50 * g.var,
	    1e-12);
	ck_assert_int_eq(bf_garch_fit(r, 10, &g), -1);
}
END_TEST

START_TEST(test_dm)
{
	enum { N = 2000 };
	static double d[N];
	double p, st;

	rng_state = 7;
	for (int i = 0; i < N; i++)
		d[i] = gauss();
	st = bf_fcst_dm(d, N, 1, &p);
	ck_assert(fabs(st) < 3.5 && p > 0.0005);
	for (int i = 0; i < N; i++)
		d[i] -= 0.5;
	st = bf_fcst_dm(d, N, 5, &p);
	ck_assert(st < -8 && p < 1e-6);
	ck_assert(isnan(bf_fcst_dm(d, 2, 1, &p)));
}
END_TEST

START_TEST(test_temperature)
{
	enum { N = 20000 };
	static float z[N * 3];
	static int y[N];
	double t, p[3];

	rng_state = 3;
	/* True probabilities softmax(a); the forecaster reports 3a. */
	for (int i = 0; i < N; i++) {
		float a[3];
		double u = unif();
		for (int k = 0; k < 3; k++)
			a[k] = (float)gauss();
		bf_softmax(a, 3, 1.0, p);
		y[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
		for (int k = 0; k < 3; k++)
			z[i * 3 + k] = 3 * a[k];
	}
	t = bf_fcst_temperature(z, y, N, 3);
	ck_assert_double_eq_tol(t, 3, 0.2);
}
END_TEST

START_TEST(test_ece_pit_pinball)
{
	enum { N = 5000 };
	static double conf[N], u[N];
	static unsigned char ok[N];

	rng_state = 11;
	for (int i = 0; i < N; i++) {
		conf[i] = 0.4 + 0.5 * unif();
		ok[i] = unif() < conf[i];
		u[i] = unif();
	}
	ck_assert(bf_fcst_ece(conf, ok, N, 10) < 0.03);
	for (int i = 0; i < N; i++)
		ok[i] = 1;
	ck_assert(bf_fcst_ece(conf, ok, N, 10) > 0.3);
	ck_assert(bf_fcst_pit_p(u, N, 1) > 0.001);
	for (int i = 0; i < N; i++)
		u[i] = 0.5 * u[i];	/* all in the lower half */
	ck_assert(bf_fcst_pit_p(u, N, 1) < 1e-10);
	/* Kupiec: 50 of 1000 at 5% is perfect; 80 of 1000 is not. */
	ck_assert_double_eq_tol(bf_fcst_kupiec_p(50, 1000, 0.05), 1, 1e-12);
	ck_assert(bf_fcst_kupiec_p(80, 1000, 0.05) < 0.001);
	ck_assert(bf_fcst_kupiec_p(55, 1000, 0.05) > 0.4);
	ck_assert_double_eq_tol(bf_fcst_kupiec_p(0, 100, 0.01),
	    bf_chi2_sf(-2 * 100 * log1p(-0.01), 1), 1e-12);
	ck_assert(isnan(bf_fcst_kupiec_p(0, 0, 0.05)));
	ck_assert_double_eq_tol(bf_pinball(1, 0, 0.9), 0.9, 1e-15);
	ck_assert_double_eq_tol(bf_pinball(-1, 0, 0.9), 0.1, 1e-15);
}
END_TEST

START_TEST(test_tnu)
{
	enum { N = 20000 };
	static double z[N];
	struct bf_tdist t = { 0, 1, 4 };

	rng_state = 5;
	for (int i = 0; i < N; i++)
		z[i] = bf_t_quantile(&t, unif());
	ck_assert_double_eq_tol(bf_tnu_fit(z, N), 4, 0.8);
	for (int i = 0; i < N; i++)
		z[i] = gauss();
	ck_assert(bf_tnu_fit(z, N) > 15);
}
END_TEST

Suite *
fcst_suite(void)
{
	Suite *s = suite_create("fcst");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_garch);
	tcase_add_test(tc, test_dm);
	tcase_add_test(tc, test_temperature);
	tcase_add_test(tc, test_ece_pit_pinball);
	tcase_add_test(tc, test_tnu);
	suite_add_tcase(s, tc);
	return s;
}
