/* SPDX-License-Identifier: MIT */
/*
 * fcst.h - the statistics that judge forecasts (spec/forecasting.md §3-4):
 * EWMA and GARCH(1,1) volatility, Student-t degrees of freedom, the
 * Diebold-Mariano test with the Harvey-Leybourne-Newbold correction,
 * temperature scaling, expected calibration error, the PIT uniformity
 * test and the pinball loss.
 *
 * All functions are pure: they read the caller's arrays (borrowed) and
 * return numbers; none allocates except bf_fcst_ece (scratch, freed).
 */
#ifndef BF_FCST_H
#define BF_FCST_H

#include "compat.h"

/* The EWMA decay for a half-life of 'hl' observations: 2^(-1/hl). */
double bf_ewma_lambda(double hl);

/*
 * GARCH(1,1) with variance targeting: s2[t+1] = omega + alpha r[t]^2 +
 * beta s2[t], omega = var (1 - alpha - beta), var the sample variance.
 */
struct bf_garch {
	double omega, alpha, beta;
	double var;	/* unconditional (targeted) variance */
};

/*
 * Fit by Gaussian quasi-maximum likelihood on 'r' (n returns): a grid
 * over (alpha, beta) refined by pattern search.  Returns 0, or -1 when n
 * is too small (< 50) or the variance is 0 (then 'g' is a flat model:
 * alpha = beta = 0).
 */
int bf_garch_fit(const double *r, size_t n, struct bf_garch *g);

/* The next variance after observing return 'r' with variance 's2'. */
double bf_garch_next(const struct bf_garch *g, double s2, double r);

/* The variance of the sum of the next 'h' returns, the next one's being
 * 's2next'. */
double bf_garch_hvar(const struct bf_garch *g, double s2next, int h);

/* The Student-t degrees of freedom (grid 2.1-60) maximizing the
 * likelihood of the standardized residuals 'z' (unit variance). */
double bf_tnu_fit(const double *z, size_t n);

/*
 * Diebold-Mariano test of the loss differences 'd' (n of them, model
 * minus baseline) for 'h'-step forecasts: Newey-West long-run variance
 * with h - 1 lags, the HLN small-sample correction, and a two-sided
 * p-value from t(n - 1) stored in '*p'.  Returns the statistic (negative:
 * the first model's losses are smaller), NAN when undefined.
 */
double bf_fcst_dm(const double *d, size_t n, int h, double *p);

/*
 * The temperature T > 0 minimizing the mean log-loss of softmax(z / T)
 * over 'n' rows of 'k' logits 'z' with labels 'y' (golden section on
 * ln T in [ln 0.05, ln 20]).
 */
double bf_fcst_temperature(const float *z, const int *y, size_t n, int k);

/* softmax(z / t) of 'k' logits into 'p'. */
void bf_softmax(const float *z, int k, double t, double *p);

/*
 * Expected calibration error over 'bins' equal-count bins of confidence:
 * sum_b (n_b / n) |acc_b - conf_b|, 'correct' 1 or 0 per row.
 */
double bf_fcst_ece(const double *conf, const unsigned char *correct,
    size_t n, int bins);

/*
 * PIT uniformity: chi-square over 10 equal bins of the 'u' values taken
 * every 'stride'-th row (non-overlapping origins).  Returns the p-value.
 */
double bf_fcst_pit_p(const double *u, size_t n, size_t stride);

/*
 * Kupiec's unconditional coverage test: 'x' of 'n' outcomes fell below a
 * forecast 'p'-quantile.  Returns the p-value of the likelihood ratio
 * against chi-square(1); NAN when n is 0.
 */
double bf_fcst_kupiec_p(size_t x, size_t n, double p);

/* Pinball loss of quantile 'q' at level 'tau' for outcome 'y'. */
double bf_pinball(double y, double q, double tau);

/* Gaussian CRPS for N(mu, sd^2) at 'y'. */
double bf_norm_crps(double mu, double sd, double y);

#endif /* BF_FCST_H */
