/* SPDX-License-Identifier: MIT */
/*
 * dist.c - normal, split-normal and Student-t distributions (dist.h).
 *
 * The normal quantile is Acklam's rational approximation refined by one
 * Halley step on erfc; the incomplete beta and gamma functions use the
 * classic continued fractions (modified Lentz) and series.  The split
 * normal's CRPS is the closed form of spec/forecasting.md §6, which
 * reduces to the Gaussian one when s1 = s2; Student's t CRPS is the
 * closed form of Jordan, Krueger and Lerch (scoringRules).
 */
#include "compat.h"

#include <math.h>

#include "dist.h"

#define SQRT_2PI 2.50662827463100050242
#define PI 3.14159265358979323846
#define SQRT2 1.41421356237309504880
#define R_2PI 0.79788456080286535588 /* sqrt(2 / pi) */

/* Standard normal density. */
double
bf_norm_pdf(double z)
{
	return exp(-0.5 * z * z) / SQRT_2PI;
}

/* Standard normal CDF, accurate in both tails (erfc). */
double
bf_norm_cdf(double z)
{
	return 0.5 * erfc(-z / SQRT2);
}

/* Standard normal quantile: Acklam's approximation plus a Halley step. */
double
bf_norm_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01,
		2.209460984245205e+02, -2.759285104469687e+02,
		1.383577518672690e+02, -3.066479806614716e+01,
		2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
		1.615858368580409e+02, -1.556989798598866e+02,
		6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
		-3.223964580411365e-01, -2.400758277161838e+00,
		-2.549732539343734e+00, 4.374664141464968e+00,
		2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
		3.224671290700398e-01, 2.445134137142996e+00,
		3.754408661907416e+00 };
	double q, r, x, e, u;

	if (!(p > 0))
		return p == 0 ? -INFINITY : NAN;
	if (!(p < 1))
		return p == 1 ? INFINITY : NAN;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
		    q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) *
		    q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log1p(-p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q +
		    d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) *
		    r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r +
		    b[3]) * r + b[4]) * r + 1);
	}
	e = bf_norm_cdf(x) - p;
	u = e * SQRT_2PI * exp(0.5 * x * x);
	return x - u / (1 + 0.5 * x * u);
}

/* ln B(a, b). */
static double
lbeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* The continued fraction of the incomplete beta (modified Lentz). */
static double
betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d, h, aa, del;

	d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 500; m++) {
		int m2 = 2 * m;
		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

/* Regularized incomplete beta I_x(a, b), for a, b > 0 and 0 <= x <= 1. */
double
bf_ibeta(double a, double b, double x)
{
	double front;

	if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	front = exp(a * log(x) + b * log1p(-x) - lbeta(a, b));
	if (x < (a + 1) / (a + b + 2))
		return front * betacf(a, b, x) / a;
	return 1 - front * betacf(b, a, 1 - x) / b;
}

/* Regularized lower incomplete gamma P(a, x), a > 0, x >= 0. */
double
bf_gammap(double a, double x)
{
	double lpre;

	if (!(a > 0) || !(x >= 0))
		return NAN;
	if (x == 0)
		return 0;
	lpre = -x + a * log(x) - lgamma(a);
	if (x < a + 1) {
		double ap = a, del = 1 / a, sum = del;
		for (int i = 0; i < 1000; i++) {
			ap += 1;
			del *= x / ap;
			sum += del;
			if (fabs(del) < fabs(sum) * 1e-16)
				break;
		}
		return sum * exp(lpre);
	} else {
		const double tiny = 1e-300;
		double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
		for (int i = 1; i < 1000; i++) {
			double an = -i * (i - a), del;
			b += 2;
			d = an * d + b;
			if (fabs(d) < tiny)
				d = tiny;
			c = b + an / c;
			if (fabs(c) < tiny)
				c = tiny;
			d = 1 / d;
			del = d * c;
			h *= del;
			if (fabs(del - 1) < 1e-16)
				break;
		}
		return 1 - exp(lpre) * h;
	}
}

/* Two-sided Student-t p-value. */
double
bf_t_pvalue(double t, double df)
{
	if (!isfinite(t))
		return isnan(t) ? NAN : 0;
	return bf_ibeta(0.5 * df, 0.5, df / (df + t * t));
}

/* Chi-square survival function. */
double
bf_chi2_sf(double x, double df)
{
	if (!(x > 0))
		return 1;
	return 1 - bf_gammap(0.5 * df, 0.5 * x);
}

/* ---- split normal ---- */

double
bf_sn_mean(const struct bf_splitnorm *d)
{
	return d->m + R_2PI * (d->s2 - d->s1);
}

double
bf_sn_sd(const struct bf_splitnorm *d)
{
	double k = d->s2 - d->s1;

	return sqrt((1 - 2 / PI) * k * k + d->s1 * d->s2);
}

double
bf_sn_skew(const struct bf_splitnorm *d)
{
	double k = d->s2 - d->s1;
	double v = (1 - 2 / PI) * k * k + d->s1 * d->s2;

	return R_2PI * k * ((4 / PI - 1) * k * k + d->s1 * d->s2) /
	    (v * sqrt(v));
}

double
bf_sn_quantile(const struct bf_splitnorm *d, double p)
{
	double s = d->s1 + d->s2;

	if (p < d->s1 / s)
		return d->m + d->s1 * bf_norm_quantile(p * s / (2 * d->s1));
	return d->m + d->s2 * bf_norm_quantile((p * s - d->s1) /
	    (2 * d->s2) + 0.5);
}

double
bf_sn_cdf(const struct bf_splitnorm *d, double y)
{
	double s = d->s1 + d->s2;

	if (y < d->m)
		return 2 * d->s1 / s * bf_norm_cdf((y - d->m) / d->s1);
	return d->s1 / s + 2 * d->s2 / s *
	    (bf_norm_cdf((y - d->m) / d->s2) - 0.5);
}

double
bf_sn_nll(const struct bf_splitnorm *d, double y)
{
	double dy = y - d->m, sj = dy < 0 ? d->s1 : d->s2;

	return log(d->s1 + d->s2) + 0.5 * log(2 * PI) - log(2.0) +
	    dy * dy / (2 * sj * sj);
}

double
bf_sn_crps(const struct bf_splitnorm *d, double y)
{
	double dy = y - d->m, s1 = d->s1, s2 = d->s2, s, z;

	if (dy < 0) {	/* mirror: -d with the scales swapped */
		dy = -dy;
		s1 = d->s2;
		s2 = d->s1;
	}
	s = s1 + s2;
	z = dy / s2;
	return s1 / s * (dy + s1 * R_2PI) +
	    s2 / s * (dy * (4 * bf_norm_cdf(z) - 3) + 4 * s2 * bf_norm_pdf(z) -
	    s2 * R_2PI) -
	    R_2PI * ((SQRT2 - 1) * (s1 * s1 * s1 + s2 * s2 * s2) / (s * s) +
	    s1 * s2 / s);
}

/* ---- Student's t ---- */

/* The unit-scale t's CDF. */
static double
tstd_cdf(double z, double nu)
{
	double tail = 0.5 * bf_ibeta(0.5 * nu, 0.5, nu / (nu + z * z));

	return z >= 0 ? 1 - tail : tail;
}

/* The unit-scale t's density. */
static double
tstd_pdf(double z, double nu)
{
	return exp(lgamma(0.5 * (nu + 1)) - lgamma(0.5 * nu) -
	    0.5 * log(nu * PI) - 0.5 * (nu + 1) * log1p(z * z / nu));
}

/* The scale of a t with standard deviation 'sd'. */
static double
tscale(const struct bf_tdist *d)
{
	return d->sd * sqrt((d->nu - 2) / d->nu);
}

double
bf_t_cdf(const struct bf_tdist *d, double y)
{
	return tstd_cdf((y - d->mu) / tscale(d), d->nu);
}

double
bf_t_nll(const struct bf_tdist *d, double y)
{
	double s = tscale(d);

	return -log(tstd_pdf((y - d->mu) / s, d->nu)) + log(s);
}

double
bf_t_crps(const struct bf_tdist *d, double y)
{
	double nu = d->nu, s = tscale(d), z = (y - d->mu) / s;
	double c = 2 * sqrt(nu) * exp(lbeta(0.5, nu - 0.5) -
	    2 * lbeta(0.5, 0.5 * nu)) / (nu - 1);

	return s * (z * (2 * tstd_cdf(z, nu) - 1) +
	    2 * tstd_pdf(z, nu) * (nu + z * z) / (nu - 1) - c);
}

double
bf_t_std_quantile(double nu, double p)
{
	double lo = -1e6, hi = 1e6, x = bf_norm_quantile(p);

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	/* Newton from the normal quantile, guarded by bisection. */
	for (int i = 0; i < 200; i++) {
		double f = tstd_cdf(x, nu) - p, nx;
		if (f > 0)
			hi = x;
		else
			lo = x;
		if (fabs(f) < 1e-15)
			break;
		nx = x - f / tstd_pdf(x, nu);
		if (!(nx > lo && nx < hi))
			nx = 0.5 * (lo + hi);
		if (fabs(nx - x) < 1e-14 * (1 + fabs(x))) {
			x = nx;
			break;
		}
		x = nx;
	}
	return x;
}

double
bf_t_quantile(const struct bf_tdist *d, double p)
{
	return d->mu + tscale(d) * bf_t_std_quantile(d->nu, p);
}
