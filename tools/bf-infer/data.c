/* SPDX-License-Identifier: MIT */
/*
 * data.c - from a feature stream to training samples (infer.h).
 *
 * A stream is read whole into a column table of doubles (train and eval
 * need every row; run never calls this).  Features are chosen by name and
 * normalized with means and standard deviations fitted on the training
 * rows only.  The volatility used for vol-scaled targets and the neutral
 * band is an EWMA of squared 1-bar log returns of close, computed forward
 * from the stream's first row, exactly as run computes it row by row, so
 * no value at row t depends on a later row.  A row ends a usable window
 * when the last 'window' rows have every feature and the volatility has
 * warmed up (2 half-lives); its target needs the future closes (opens)
 * of its horizons.
 *
 * Targets: the short model's label is down/neutral/up of
 * r = ln(open[t+1+h] / open[t+1]) (the executable return: a signal on row
 * t fills at row t+1's open), or ln(close[t+h] / close[t]) without an open
 * column, against the band max(cost, k * vol * sqrt(h)).  The long model's
 * target per horizon H is ln(close[t+H] / close[t]) / (vol * sqrt(H)).
 */
#include "bf.h"

#include <math.h>

#include "infer.h"

void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->name[i]);
		free(t->col[i]);
	}
	free(t->name);
	free(t->col);
	free(t->numeric);
	free(t->badline);
	free(t->badname);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

int
table_col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->name[i], name) == 0)
			return (int)i;
	return -1;
}

int
table_read(struct bf_reader *rd, struct table *t, struct bf_err *err)
{
	size_t cap = 0;
	bool *seen;	/* a non-empty cell was seen in the column */
	int r;

	memset(t, 0, sizeof(*t));
	t->ncols = bf_reader_ncols(rd);
	t->name = bf_xcalloc(t->ncols, sizeof(char *));
	t->col = bf_xcalloc(t->ncols, sizeof(double *));
	t->numeric = bf_xcalloc(t->ncols, sizeof(bool));
	t->badline = bf_xcalloc(t->ncols, sizeof(long));
	t->badname = bf_strdup(bf_reader_name(rd));
	for (size_t i = 0; i < t->ncols; i++)
		t->name[i] = bf_strdup(bf_reader_colname(rd, i));
	seen = bf_xcalloc(t->ncols, sizeof(bool));
	while ((r = bf_reader_next(rd, err)) > 0) {
		if (t->n == cap) {
			cap = cap ? 2 * cap : 4096;
			for (size_t i = 0; i < t->ncols; i++)
				t->col[i] = bf_xrealloc(t->col[i],
				    cap * sizeof(double));
			t->line = bf_xrealloc(t->line, cap * sizeof(long));
		}
		for (size_t i = 0; i < t->ncols; i++) {
			const struct bf_field *f = bf_reader_field(rd, i);
			double v = NAN;
			bool ok = true;
			if (f->kind != BF_VAL_MISSING &&
			    bf_num_parse(f->s, f->len, &v) < 0) {
				ok = false;
				v = NAN;
			}
			if (f->kind != BF_VAL_MISSING && !seen[i]) {
				seen[i] = true;
				t->numeric[i] = ok;
			} else if (!ok && t->numeric[i] && t->badline[i] == 0) {
				t->badline[i] = bf_reader_line(rd);
			}
			t->col[i][t->n] = v;
		}
		t->line[t->n] = bf_reader_line(rd);
		t->n++;
	}
	free(seen);
	if (r < 0)
		return r;
	t->tcol = table_col(t, "open_time");
	if (t->tcol < 0)
		t->tcol = table_col(t, "time");
	if (t->tcol < 0)
		t->tcol = table_col(t, "close_time");
	t->ccol = table_col(t, "close");
	t->ocol = table_col(t, "open");
	if (t->ccol < 0)
		return bf_err_set(err, BF_EDATA,
		    "%s:1: missing required column 'close'",
		    bf_reader_name(rd));
	if (t->tcol < 0)
		return bf_err_set(err, BF_EDATA,
		    "%s:1: missing required column 'open_time' (or 'time')",
		    bf_reader_name(rd));
	{
		int need[3] = { t->tcol, t->ccol, t->ocol };
		for (int i = 0; i < 3; i++)
			if (need[i] >= 0 && (t->badline[need[i]] != 0 ||
			    !t->numeric[need[i]]))
				return bf_err_set(err, BF_EDATA,
				    "%s:%ld: column '%s': not a number",
				    bf_reader_name(rd), t->badline[need[i]] ?
				    t->badline[need[i]] : 2L, t->name[need[i]]);
	}
	for (size_t k = 1; k < t->n; k++)
		if (!(t->col[t->tcol][k] > t->col[t->tcol][k - 1]))
			return bf_err_set(err, BF_EDATA,
			    "%s:%ld: times are not increasing",
			    bf_reader_name(rd), t->line[k]);
	return 0;
}

/* True for columns that are never default features. */
static bool
not_a_feature(const char *n)
{
	static const char *const skip[] = { "time", "symbol", "open", "high",
		"low", "close", "volume", "quote_volume", "trades",
		"taker_buy_volume", "taker_buy_quote_volume", "ignore",
		"p_up", "p_down", "p_neutral", "signal", "confidence",
		"model_id", "target" };
	static const char *const prefix[] = { "mu_", "sigma_", "skew_",
		"q10_", "q50_", "q90_" };
	size_t len = strlen(n);

	for (size_t i = 0; i < BF_ARRAY_SIZE(skip); i++)
		if (strcmp(n, skip[i]) == 0)
			return true;
	for (size_t i = 0; i < BF_ARRAY_SIZE(prefix); i++)
		if (strncmp(n, prefix[i], strlen(prefix[i])) == 0)
			return true;
	return len > 5 && strcmp(n + len - 5, "_time") == 0;
}

/* Add feature 'name' to 'mi'. */
static void
add_feature(struct minfo *mi, const char *name, size_t len)
{
	mi->feat = bf_xrealloc(mi->feat, (size_t)(mi->nfeat + 1) *
	    sizeof(char *));
	mi->feat[mi->nfeat++] = bf_strndup(name, len);
}

int
select_features(const struct table *t, const char *list, struct minfo *mi,
    struct bf_err *err)
{
	mi->nfeat = 0;
	if (list != NULL && *list != '\0') {
		const char *p = list;
		for (;;) {
			const char *c = strchr(p, ',');
			size_t len = c ? (size_t)(c - p) : strlen(p);
			char *name = bf_strndup(p, len);
			int k = table_col(t, name);
			if (len == 0) {
				free(name);
				return bf_err_set(err, BF_EUSAGE,
				    "--features: empty name in '%s'", list);
			}
			if (k < 0) {
				bf_err_set(err, BF_EDATA,
				    "input has no feature column '%s'", name);
				free(name);
				return BF_EDATA;
			}
			if (!t->numeric[k] || t->badline[k] != 0) {
				bf_err_set(err, BF_EDATA,
				    "%s:%ld: feature column '%s' is not numeric",
				    t->badname, t->badline[k], name);
				free(name);
				return BF_EDATA;
			}
			add_feature(mi, name, len);
			free(name);
			if (c == NULL)
				break;
			p = c + 1;
		}
		return 0;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		bool any = false;
		if (!t->numeric[i] || not_a_feature(t->name[i]) ||
		    strchr(t->name[i], ',') != NULL)
			continue;
		if (t->badline[i] != 0)
			return bf_err_set(err, BF_EDATA,
			    "%s:%ld: column '%s': not a number (the column's first cells are)",
			    t->badname, t->badline[i], t->name[i]);
		for (size_t k = 0; k < t->n && !any; k++)
			any = isfinite(t->col[i][k]);
		if (any)
			add_feature(mi, t->name[i], strlen(t->name[i]));
	}
	if (mi->nfeat == 0)
		return bf_err_set(err, BF_EDATA,
		    "input has no numeric feature columns (raw kline columns are not features: pipe through bf-features, or name columns with --features)");
	return 0;
}

/* qsort order for doubles. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
detect_interval(const struct table *t, int64_t *ms, struct bf_err *err)
{
	size_t m = t->n > 2001 ? 2000 : (t->n ? t->n - 1 : 0);
	double *d;

	if (m < 1)
		return bf_err_set(err, BF_EDATA, "too few rows to tell the bar interval");
	d = bf_xmalloc(m * sizeof(double));
	for (size_t k = 0; k < m; k++)
		d[k] = t->col[t->tcol][k + 1] - t->col[t->tcol][k];
	qsort(d, m, sizeof(double), cmp_double);
	*ms = (int64_t)d[m / 2];
	free(d);
	if (*ms <= 0)
		return bf_err_set(err, BF_EDATA, "cannot tell the bar interval");
	return 0;
}

void
fit_norm(const struct table *t, size_t lo, size_t hi, struct minfo *mi)
{
	free(mi->mean);
	free(mi->sd);
	mi->mean = bf_xcalloc((size_t)mi->nfeat, sizeof(double));
	mi->sd = bf_xcalloc((size_t)mi->nfeat, sizeof(double));
	for (int j = 0; j < mi->nfeat; j++) {
		const double *c = t->col[table_col(t, mi->feat[j])];
		double s = 0, s2 = 0, n = 0, m, v;
		for (size_t k = lo; k < hi; k++)
			if (isfinite(c[k])) {
				s += c[k];
				n++;
			}
		m = n > 0 ? s / n : 0;
		for (size_t k = lo; k < hi; k++)
			if (isfinite(c[k]))
				s2 += (c[k] - m) * (c[k] - m);
		v = n > 1 ? s2 / (n - 1) : 0;
		mi->mean[j] = m;
		mi->sd[j] = v > 1e-24 ? sqrt(v) : 1;
	}
}

void
series_free(struct series *s)
{
	free(s->z);
	free(s->vol);
	free(s->logc);
	free(s->inok);
	free(s->y);
	free(s->ret);
	memset(s, 0, sizeof(*s));
}

int
short_label(double r, double band)
{
	if (r > band)
		return CL_UP;
	if (r < -band)
		return CL_DOWN;
	return CL_NEUTRAL;
}

int
series_build(const struct table *t, const struct minfo *mi, struct series *s,
    struct bf_err *err)
{
	int *fc = bf_xmalloc((size_t)mi->nfeat * sizeof(int));
	double lam = bf_ewma_lambda(mi->vol_hl), s2 = NAN, prev = NAN;
	size_t n = t->n, run = 0, warm = (size_t)ceil(2 * mi->vol_hl);
	int nf = mi->nfeat;

	memset(s, 0, sizeof(*s));
	for (int j = 0; j < nf; j++) {
		fc[j] = table_col(t, mi->feat[j]);
		if (fc[j] < 0) {
			free(fc);
			return bf_err_set(err, BF_EDATA,
			    "input has no column '%s', a feature of the model (trained on %d features: a different feature set?)",
			    mi->feat[j], nf);
		}
	}
	s->n = n;
	s->nfeat = nf;
	s->ntgt = bf_tnet_n_targets(&mi->net);
	s->z = bf_xmalloc((n ? n : 1) * (size_t)nf * sizeof(float));
	s->vol = bf_xmalloc((n ? n : 1) * sizeof(double));
	s->logc = bf_xmalloc((n ? n : 1) * sizeof(double));
	s->inok = bf_xcalloc(n ? n : 1, 1);
	s->y = bf_xmalloc((n ? n : 1) * (size_t)s->ntgt * sizeof(float));
	s->ret = bf_xmalloc((n ? n : 1) * (size_t)mi->nh * sizeof(double));
	for (size_t k = 0; k < n; k++) {
		double c = t->col[t->ccol][k];
		bool all = true;
		s->logc[k] = c > 0 ? log(c) : NAN;
		if (isfinite(s->logc[k]) && isfinite(prev)) {
			double r = s->logc[k] - prev;
			s2 = isfinite(s2) ? lam * s2 + (1 - lam) * r * r :
			    r * r;
		}
		if (isfinite(s->logc[k]))
			prev = s->logc[k];
		s->vol[k] = k >= warm && s2 > 0 ? sqrt(s2) : NAN;
		for (int j = 0; j < nf; j++) {
			double v = t->col[fc[j]][k];
			float z = (float)((v - mi->mean[j]) / mi->sd[j]);
			s->z[k * (size_t)nf + (size_t)j] = z;
			if (!isfinite(z))
				all = false;
		}
		run = all ? run + 1 : 0;
		s->inok[k] = run >= (size_t)mi->net.window &&
		    isfinite(s->vol[k]);
	}
	for (size_t k = 0; k < n; k++) {
		for (int j = 0; j < mi->nh; j++) {
			size_t h = (size_t)mi->hbars[j];
			double r = NAN;
			if (mi->kind == KIND_SHORT && t->ocol >= 0) {
				if (k + 1 + h < n)
					r = log(t->col[t->ocol][k + 1 + h] /
					    t->col[t->ocol][k + 1]);
			} else if (k + h < n) {
				r = s->logc[k + h] - s->logc[k];
			}
			s->ret[k * (size_t)mi->nh + (size_t)j] = r;
			if (mi->kind == KIND_LONG)
				s->y[k * (size_t)s->ntgt + (size_t)j] =
				    (float)(r / (s->vol[k] * sqrt((double)h)));
		}
		if (mi->kind == KIND_SHORT) {
			double r = s->ret[k * (size_t)mi->nh];
			double band = fmax(mi->cost, mi->band_k * s->vol[k] *
			    sqrt((double)mi->hbars[0]));
			s->y[k] = isfinite(r) && isfinite(band) ?
			    (float)short_label(r, band) : NAN;
		}
	}
	free(fc);
	return 0;
}

bool
sample_ok(const struct series *s, const struct minfo *mi, size_t t)
{
	(void)mi;
	if (t >= s->n || !s->inok[t])
		return false;
	for (int j = 0; j < s->ntgt; j++)
		if (!isfinite(s->y[t * (size_t)s->ntgt + (size_t)j]))
			return false;
	return true;
}

void
sample_x(const struct series *s, const struct minfo *mi, size_t t, float *x)
{
	size_t w = (size_t)mi->net.window, f = (size_t)s->nfeat;

	memcpy(x, s->z + (t + 1 - w) * f, w * f * sizeof(float));
}

struct bf_splitnorm
long_dist(const float *o, int h, double scale)
{
	struct bf_splitnorm d;

	d.m = o[3 * h] * scale;
	d.s1 = exp((double)o[3 * h + 1]) * scale;
	d.s2 = exp((double)o[3 * h + 2]) * scale;
	return d;
}

void
short_probs(const struct minfo *mi, const float *logit, double p[3])
{
	bf_softmax(logit, 3, mi->temperature > 0 ? mi->temperature : 1, p);
}

int
short_signal(const struct minfo *mi, const double p[3], double *conf)
{
	int best = CL_NEUTRAL;

	for (int k = 0; k < 3; k++)
		if (p[k] > p[best])
			best = k;
	*conf = p[best];
	if (p[best] < mi->min_conf || best == CL_NEUTRAL)
		return 0;
	return best == CL_UP ? 1 : -1;
}

size_t *
collect_samples(const struct series *s, const struct minfo *mi, size_t lo,
    size_t hi, size_t stride, bool inside, size_t *n)
{
	size_t w = (size_t)mi->net.window, hmax = 0, cnt = 0, k = 0;
	size_t *idx = bf_xmalloc((hi > lo ? hi - lo : 1) * sizeof(size_t));

	for (int j = 0; j < mi->nh; j++)
		if ((size_t)mi->hbars[j] > hmax)
			hmax = (size_t)mi->hbars[j];
	if (stride < 1)
		stride = 1;
	for (size_t t = lo + w - 1; t < hi; t++) {
		if (inside && t + hmax + 1 >= hi)
			break;
		if (!sample_ok(s, mi, t))
			continue;
		if (k++ % stride == 0)
			idx[cnt++] = t;
	}
	*n = cnt;
	return idx;
}
