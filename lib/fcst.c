/* SPDX-License-Identifier: MIT */
/*
 * fcst.c - forecast statistics: volatility baselines, tests, calibration
 * (fcst.h).  Formulas follow spec/forecasting.md §3-4; each function says
 * which one it implements.
 */
#include "compat.h"

#include <math.h>

#include "dist.h"
#include "fcst.h"
#include "util.h"

double
bf_ewma_lambda(double hl)
{
	return hl > 0 ? pow(2.0, -1.0 / hl) : 0.0;
}

/* Gaussian quasi log-likelihood of GARCH(alpha, beta) on 'r'. */
static double
garch_ll(const double *r, size_t n, double var, double a, double b)
{
	double s2 = var, om = var * (1 - a - b), ll = 0;

	for (size_t t = 0; t < n; t++) {
		ll -= 0.5 * (log(s2) + r[t] * r[t] / s2);
		s2 = om + a * r[t] * r[t] + b * s2;
		if (!(s2 > 1e-300))
			s2 = 1e-300;
	}
	return ll;
}

int
bf_garch_fit(const double *r, size_t n, struct bf_garch *g)
{
	double var = 0, best, ba = 0.05, bb = 0.9, step = 0.02;

	for (size_t t = 0; t < n; t++)
		var += r[t] * r[t];
	var = n > 0 ? var / (double)n : 0;
	g->var = var;
	g->alpha = g->beta = 0;
	g->omega = var;
	if (n < 50 || !(var > 0))
		return -1;
	best = garch_ll(r, n, var, ba, bb);
	for (double a = 0.01; a < 0.3; a += 0.02)
		for (double b = 0.5; a + b < 0.999; b += 0.02) {
			double ll = garch_ll(r, n, var, a, b);
			if (ll > best) {
				best = ll;
				ba = a;
				bb = b;
			}
		}
	/* Pattern search around the best grid point. */
	while (step > 1e-5) {
		bool moved = false;
		static const int dirs[4][2] = { { 1, 0 }, { -1, 0 }, { 0, 1 },
			{ 0, -1 } };
		for (int i = 0; i < 4; i++) {
			double a = ba + dirs[i][0] * step;
			double b = bb + dirs[i][1] * step;
			double ll;
			if (a < 0 || b < 0 || a + b >= 0.9999)
				continue;
			ll = garch_ll(r, n, var, a, b);
			if (ll > best) {
				best = ll;
				ba = a;
				bb = b;
				moved = true;
			}
		}
		if (!moved)
			step /= 2;
	}
	g->alpha = ba;
	g->beta = bb;
	g->omega = var * (1 - ba - bb);
	return 0;
}

double
bf_garch_next(const struct bf_garch *g, double s2, double r)
{
	return g->omega + g->alpha * r * r + g->beta * s2;
}

/* H s2bar + (s2next - s2bar)(1 - phi^H)/(1 - phi), phi = alpha + beta. */
double
bf_garch_hvar(const struct bf_garch *g, double s2next, int h)
{
	double phi = g->alpha + g->beta;

	if (phi <= 0)
		return s2next + (h - 1) * g->var;
	if (phi >= 1)
		return h * s2next;
	return h * g->var + (s2next - g->var) * (1 - pow(phi, h)) / (1 - phi);
}

double
bf_tnu_fit(const double *z, size_t n)
{
	double bestnu = 30, best = -INFINITY;

	for (double nu = 2.1; nu <= 60; nu *= 1.05) {
		struct bf_tdist d = { 0, 1, nu };
		double ll = 0;
		for (size_t i = 0; i < n; i++)
			if (isfinite(z[i]))
				ll -= bf_t_nll(&d, z[i]);
		if (ll > best) {
			best = ll;
			bestnu = nu;
		}
	}
	return bestnu;
}

double
bf_fcst_dm(const double *d, size_t n, int h, double *p)
{
	double mean = 0, lrv, dm, k;
	int m = h > 1 ? h - 1 : 0;

	*p = NAN;
	if (n < 3)
		return NAN;
	for (size_t t = 0; t < n; t++)
		mean += d[t];
	mean /= (double)n;
	lrv = 0;
	for (int j = 0; j <= m && (size_t)j < n; j++) {
		double g = 0;
		for (size_t t = (size_t)j; t < n; t++)
			g += (d[t] - mean) * (d[t - (size_t)j] - mean);
		g /= (double)n;
		lrv += j == 0 ? g : 2 * (1 - (double)j / (m + 1)) * g;
	}
	if (!(lrv > 0))
		return mean == 0 ? 0 : NAN;
	dm = mean / sqrt(lrv / (double)n);
	k = ((double)n + 1 - 2.0 * h + (double)h * (h - 1) / (double)n) /
	    (double)n;
	if (k > 0)
		dm *= sqrt(k);
	*p = bf_t_pvalue(dm, (double)n - 1);
	return dm;
}

void
bf_softmax(const float *z, int k, double t, double *p)
{
	double mx = -INFINITY, s = 0;

	for (int i = 0; i < k; i++)
		if (z[i] / t > mx)
			mx = z[i] / t;
	for (int i = 0; i < k; i++) {
		p[i] = exp(z[i] / t - mx);
		s += p[i];
	}
	for (int i = 0; i < k; i++)
		p[i] /= s;
}

/* Mean log-loss of softmax(z / t). */
static double
tnll(const float *z, const int *y, size_t n, int k, double t)
{
	double s = 0, p[16];

	for (size_t i = 0; i < n; i++) {
		bf_softmax(z + i * (size_t)k, k, t, p);
		s -= log(p[y[i]] > 1e-300 ? p[y[i]] : 1e-300);
	}
	return s / (double)(n ? n : 1);
}

double
bf_fcst_temperature(const float *z, const int *y, size_t n, int k)
{
	const double gr = 0.6180339887498949;
	double a = log(0.05), b = log(20.0), c, d, fc, fd;

	if (n == 0 || k > 16)
		return 1;
	c = b - gr * (b - a);
	d = a + gr * (b - a);
	fc = tnll(z, y, n, k, exp(c));
	fd = tnll(z, y, n, k, exp(d));
	while (b - a > 1e-4) {
		if (fc < fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - gr * (b - a);
			fc = tnll(z, y, n, k, exp(c));
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + gr * (b - a);
			fd = tnll(z, y, n, k, exp(d));
		}
	}
	return exp(0.5 * (a + b));
}

/* qsort order of row indexes by confidence. */
static const double *ece_conf;

static int
ece_cmp(const void *a, const void *b)
{
	double x = ece_conf[*(const size_t *)a];
	double y = ece_conf[*(const size_t *)b];

	return (x > y) - (x < y);
}

double
bf_fcst_ece(const double *conf, const unsigned char *correct, size_t n,
    int bins)
{
	size_t *ix;
	double ece = 0;

	if (n == 0 || bins < 1)
		return NAN;
	ix = bf_xmalloc(n * sizeof(*ix));
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	ece_conf = conf;
	qsort(ix, n, sizeof(*ix), ece_cmp);
	for (int b = 0; b < bins; b++) {
		size_t lo = n * (size_t)b / (size_t)bins;
		size_t hi = n * (size_t)(b + 1) / (size_t)bins;
		double acc = 0, cf = 0;
		if (hi <= lo)
			continue;
		for (size_t i = lo; i < hi; i++) {
			acc += correct[ix[i]];
			cf += conf[ix[i]];
		}
		ece += fabs(acc - cf) / (double)n;
	}
	free(ix);
	return ece;
}

double
bf_fcst_pit_p(const double *u, size_t n, size_t stride)
{
	double cnt[10] = { 0 }, m = 0, chi = 0;

	if (stride < 1)
		stride = 1;
	for (size_t i = 0; i < n; i += stride) {
		int b;
		if (!isfinite(u[i]))
			continue;
		b = (int)(u[i] * 10);
		if (b < 0)
			b = 0;
		if (b > 9)
			b = 9;
		cnt[b]++;
		m++;
	}
	if (m < 10)
		return NAN;
	for (int b = 0; b < 10; b++)
		chi += (cnt[b] - m / 10) * (cnt[b] - m / 10) / (m / 10);
	return bf_chi2_sf(chi, 9);
}

double
bf_fcst_kupiec_p(size_t x, size_t n, double p)
{
	double fn = (double)n, fx = (double)x, ph, l0, l1;

	if (n == 0 || !(p > 0 && p < 1))
		return NAN;
	ph = fx / fn;
	l0 = (fn - fx) * log1p(-p) + fx * log(p);
	l1 = (x < n ? (fn - fx) * log1p(-ph) : 0) + (x > 0 ? fx * log(ph) : 0);
	return bf_chi2_sf(2 * (l1 - l0), 1);
}

double
bf_pinball(double y, double q, double tau)
{
	double u = y - q;

	return u >= 0 ? tau * u : (tau - 1) * u;
}

double
bf_norm_crps(double mu, double sd, double y)
{
	double z = (y - mu) / sd;

	return sd * (z * (2 * bf_norm_cdf(z) - 1) + 2 * bf_norm_pdf(z) -
	    0.56418958354775628695);
}
