/* SPDX-License-Identifier: MIT */
/*
 * check_dist.c - unit tests of lib/dist.c against published values: the
 * scoringRules test vectors for the split-normal CRPS, textbook normal
 * and t quantiles, binomial identities of the incomplete beta, and the
 * moment identities of the split normal.
 */
#include "compat.h"

#include <check.h>
#include <math.h>

#include "dist.h"
#include "fcst.h"

Suite *dist_suite(void);

START_TEST(test_norm)
{
	static const double p[] = { 1e-12, 1e-5, 0.01, 0.02425, 0.2, 0.5,
		0.8, 0.97575, 0.999, 1 - 1e-9 };

	ck_assert_double_eq_tol(bf_norm_quantile(0.975), 1.959963984540054,
	    1e-12);
	ck_assert_double_eq_tol(bf_norm_quantile(0.5), 0, 1e-15);
	for (size_t i = 0; i < BF_ARRAY_SIZE(p); i++)
		ck_assert_double_eq_tol(bf_norm_cdf(bf_norm_quantile(p[i])) /
		    p[i], 1, 1e-11);
	ck_assert(isinf(bf_norm_quantile(0)) && bf_norm_quantile(0) < 0);
	ck_assert(isnan(bf_norm_quantile(1.5)));
}
END_TEST

START_TEST(test_special)
{
	/* I_x(2, 3) = P(Bin(4, x) >= 2). */
	ck_assert_double_eq_tol(bf_ibeta(2, 3, 0.4), 0.5248, 1e-12);
	ck_assert_double_eq_tol(bf_ibeta(3, 2, 0.9), 0.9477, 1e-12);
	ck_assert_double_eq_tol(bf_gammap(1, 2.5), 1 - exp(-2.5), 1e-13);
	ck_assert_double_eq_tol(bf_gammap(1, 30), 1 - exp(-30.0), 1e-13);
	/* Chi-square(9) 95% point 16.918978; t(10) 97.5% point 2.228139. */
	ck_assert_double_eq_tol(bf_chi2_sf(16.918978, 9), 0.05, 1e-6);
	ck_assert_double_eq_tol(bf_t_pvalue(2.228138852, 10), 0.05, 1e-8);
	ck_assert_double_eq_tol(bf_t_pvalue(1.959963985, 1e7), 0.05, 1e-6);
	ck_assert_double_eq_tol(bf_t_std_quantile(10, 0.975), 2.228138852,
	    1e-8);
	ck_assert_double_eq_tol(bf_t_std_quantile(4, 0.1), -1.533206274,
	    1e-8);
}
END_TEST

START_TEST(test_splitnorm_crps)
{
	/* scoringRules: crps_2pnorm(y, scale1 = 0.7, scale2 = 1.1). */
	struct bf_splitnorm d = { 0, 0.7, 1.1 };

	ck_assert_double_eq_tol(bf_sn_crps(&d, -3), 2.80708311, 1e-8);
	ck_assert_double_eq_tol(bf_sn_crps(&d, 3), 2.17137978, 1e-8);
}
END_TEST

START_TEST(test_splitnorm_moments)
{
	struct bf_splitnorm g = { 0.3, 2, 2 }, d = { 0.1, 0.5, 1.5 };
	struct bf_splitnorm e = { 0, 1e-9, 1 };
	double ys[] = { -4, -1, 0.1, 0.7, 3 };

	/* Equal scales: the normal distribution. */
	ck_assert_double_eq_tol(bf_sn_mean(&g), 0.3, 1e-15);
	ck_assert_double_eq_tol(bf_sn_sd(&g), 2, 1e-15);
	ck_assert_double_eq_tol(bf_sn_skew(&g), 0, 1e-15);
	for (size_t i = 0; i < BF_ARRAY_SIZE(ys); i++) {
		ck_assert_double_eq_tol(bf_sn_crps(&g, ys[i]),
		    bf_norm_crps(0.3, 2, ys[i]), 1e-12);
		ck_assert_double_eq_tol(bf_sn_quantile(&d,
		    bf_sn_cdf(&d, ys[i])), ys[i], 1e-9);
	}
	/* The skew bound, approached by a half-normal. */
	ck_assert_double_eq_tol(bf_sn_skew(&e), 0.99527, 1e-4);
	ck_assert(bf_sn_skew(&d) > 0);
	/* The median splits the mass. */
	ck_assert_double_eq_tol(bf_sn_cdf(&d, bf_sn_quantile(&d, 0.5)), 0.5,
	    1e-12);
	/* Log score: the density integrates to 1 (midpoint rule). */
	{
		double s = 0;
		for (double y = -20; y < 20; y += 1e-3)
			s += exp(-bf_sn_nll(&d, y + 5e-4)) * 1e-3;
		ck_assert_double_eq_tol(s, 1, 1e-6);
	}
}
END_TEST

START_TEST(test_student)
{
	struct bf_tdist t = { 0.2, 1.5, 4 }, big = { 0, 1, 1e5 };
	double s = 0;

	ck_assert_double_eq_tol(bf_t_cdf(&t, 0.2), 0.5, 1e-14);
	ck_assert_double_eq_tol(bf_t_cdf(&t, bf_t_quantile(&t, 0.9)), 0.9,
	    1e-12);
	/* Nearly normal for large nu. */
	ck_assert_double_eq_tol(bf_t_crps(&big, 0.3), bf_norm_crps(0, 1, 0.3),
	    1e-4);
	/* CRPS equals the integral of (F - 1{y <= x})^2. */
	for (double x = -60; x < 60; x += 1e-3) {
		double f = bf_t_cdf(&t, x + 5e-4) - (x + 5e-4 >= 1.0 ? 1 : 0);
		s += f * f * 1e-3;
	}
	ck_assert_double_eq_tol(bf_t_crps(&t, 1.0), s, 1e-4);
}
END_TEST

Suite *
dist_suite(void)
{
	Suite *s = suite_create("dist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_norm);
	tcase_add_test(tc, test_special);
	tcase_add_test(tc, test_splitnorm_crps);
	tcase_add_test(tc, test_splitnorm_moments);
	tcase_add_test(tc, test_student);
	suite_add_tcase(s, tc);
	return s;
}
