/* SPDX-License-Identifier: MIT */
/*
 * dist.h - the probability distributions bf-infer forecasts and scores:
 * the standard normal, the split (two-piece) normal of the long model's
 * head, and Student's t of the fat-tailed baseline, with the special
 * functions they need (regularized incomplete beta and gamma).
 *
 * Split normal (Wallis 2004; spec/forecasting.md §6): mode m, left scale
 * s1, right scale s2; density 2/(sqrt(2 pi)(s1+s2)) exp(-(y-m)^2/(2 s^2))
 * with s = s1 left of m and s2 right of it.  Its mean, variance, skewness
 * (the third standardized moment), quantiles, CDF, log score and CRPS are
 * all closed forms.  With s1 = s2 it is the normal distribution.
 *
 * Student's t here is parameterized by location, standard deviation and
 * degrees of freedom nu > 2 (scale = sd * sqrt((nu - 2) / nu)), so a
 * Gaussian and a t forecast with the same sd are directly comparable.
 *
 * Pure functions of their arguments: no state, no allocation.
 */
#ifndef BF_DIST_H
#define BF_DIST_H

#include "compat.h"

/* Standard normal density, CDF and quantile (|error| < 1e-15 after a
 * refinement step).  bf_norm_quantile(0) is -inf, (1) +inf. */
double bf_norm_pdf(double z);
double bf_norm_cdf(double z);
double bf_norm_quantile(double p);

/* Regularized incomplete beta I_x(a, b) and lower gamma P(a, x). */
double bf_ibeta(double a, double b, double x);
double bf_gammap(double a, double x);

/* Two-sided p-value of 't' under Student's t with 'df' degrees of freedom. */
double bf_t_pvalue(double t, double df);

/* Upper tail of the chi-square distribution: P(X > x), 'df' degrees. */
double bf_chi2_sf(double x, double df);

struct bf_splitnorm {
	double m;	/* mode */
	double s1;	/* left scale, > 0 */
	double s2;	/* right scale, > 0 */
};

double bf_sn_mean(const struct bf_splitnorm *d);
double bf_sn_sd(const struct bf_splitnorm *d);
/* The third standardized moment E[(Y-mu)^3]/sd^3; |skew| < 0.9953. */
double bf_sn_skew(const struct bf_splitnorm *d);
double bf_sn_quantile(const struct bf_splitnorm *d, double p);
double bf_sn_cdf(const struct bf_splitnorm *d, double y);
/* Negative log density at 'y'. */
double bf_sn_nll(const struct bf_splitnorm *d, double y);
/* Continuous ranked probability score at 'y' (closed form). */
double bf_sn_crps(const struct bf_splitnorm *d, double y);

struct bf_tdist {
	double mu;	/* location (mean) */
	double sd;	/* standard deviation, > 0 */
	double nu;	/* degrees of freedom, > 2 */
};

double bf_t_cdf(const struct bf_tdist *d, double y);
double bf_t_nll(const struct bf_tdist *d, double y);
double bf_t_crps(const struct bf_tdist *d, double y);
/* The quantile of the standard (unit-scale) t with 'nu' degrees. */
double bf_t_std_quantile(double nu, double p);
double bf_t_quantile(const struct bf_tdist *d, double p);

#endif /* BF_DIST_H */
