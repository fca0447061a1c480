/* SPDX-License-Identifier: MIT */
/*
 * train.c - the training loop (infer.h).
 *
 * The samples arrive time-ordered.  The last val_frac of them form the
 * validation slice; training samples whose targets reach into it (t + H
 * past the first validation row, H the longest horizon) are purged.  Each
 * epoch shuffles the training samples with a generator seeded from the
 * model's seed, steps the optimizer over mini-batches, and scores the
 * validation slice; the weights with the best validation loss are kept
 * (as a serialized copy; the initial weights count as epoch 0) and
 * training stops after 'patience' epochs without improvement.  A
 * classifier then gets its temperature fitted on the validation slice
 * (Guo et al. 2017).  Progress lines go to stderr.
 */
#include "bf.h"

#include <math.h>
#include <time.h>

#include "infer.h"

double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* splitmix64: the shuffle's generator. */
static uint64_t
next_rand(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Gather the inputs and targets of samples idx[0..b). */
static void
gather(const struct series *s, const struct minfo *mi, const size_t *idx,
    size_t b, float *x, float *y)
{
	size_t wf = (size_t)mi->net.window * (size_t)s->nfeat;

	for (size_t i = 0; i < b; i++) {
		sample_x(s, mi, idx[i], x + i * wf);
		if (y != NULL)
			memcpy(y + i * (size_t)s->ntgt,
			    s->y + idx[i] * (size_t)s->ntgt,
			    (size_t)s->ntgt * sizeof(float));
	}
}

/* Mean loss over samples idx[0..n). */
static int
mean_loss(struct bf_tnet *net, const struct minfo *mi, const struct series *s,
    const size_t *idx, size_t n, double *out, struct bf_err *err)
{
	enum { B = 256 };
	size_t wf = (size_t)mi->net.window * (size_t)s->nfeat;
	float *x = bf_xmalloc(B * wf * sizeof(float));
	float *y = bf_xmalloc(B * (size_t)s->ntgt * sizeof(float));
	double sum = 0;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i += B) {
		size_t b = n - i < B ? n - i : B;
		gather(s, mi, idx + i, b, x, y);
		rc = bf_tnet_loss(net, x, y, (int)b, &sum, err);
	}
	free(x);
	free(y);
	*out = n ? sum / (double)n : NAN;
	return rc;
}

int
predict_all(struct bf_tnet *net, const struct minfo *mi,
    const struct series *s, const size_t *idx, size_t n, float *out,
    struct bf_err *err)
{
	enum { B = 256 };
	size_t wf = (size_t)mi->net.window * (size_t)s->nfeat;
	size_t no = (size_t)bf_tnet_n_outputs(&mi->net);
	float *x = bf_xmalloc(B * wf * sizeof(float));
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i += B) {
		size_t b = n - i < B ? n - i : B;
		gather(s, mi, idx + i, b, x, NULL);
		rc = bf_tnet_predict(net, x, (int)b, out + i * no, err);
	}
	free(x);
	return rc;
}

/* "3 min", "42 s": a duration for progress lines. */
static void
fmt_dur(char *buf, size_t len, double s)
{
	if (s >= 120)
		snprintf(buf, len, "%.0f min", s / 60);
	else
		snprintf(buf, len, "%.0f s", s);
}

int
train_net(struct bf_tnet *net, struct minfo *mi, const struct series *s,
    const size_t *idx, size_t n, const struct topts *o, struct bf_err *err)
{
	size_t nval, v0, ntr, wf, b = (size_t)o->batch;
	size_t hmax = 0;
	size_t *order = NULL;
	float *x = NULL, *y = NULL;
	char *best = NULL;
	size_t bestlen = 0;
	double bestval = INFINITY, t0 = now_s();
	int rc = 0, stale = 0;
	uint64_t rs = mi->net.seed ^ 0x5eedULL;

	for (int j = 0; j < mi->nh; j++)
		if ((size_t)mi->hbars[j] > hmax)
			hmax = (size_t)mi->hbars[j];
	nval = (size_t)ceil((double)n * o->val_frac);
	if (n < 20 || nval < 5)
		return bf_err_set(err, BF_EDATA,
		    "only %zu usable samples: too few to train (need full windows with known targets)",
		    n);
	v0 = n - nval;
	ntr = 0;
	while (ntr < v0 && idx[ntr] + hmax <= idx[v0])
		ntr++;
	if (ntr < 10)
		return bf_err_set(err, BF_EDATA,
		    "only %zu training samples before the validation slice", ntr);
	mi->n_train = (long)ntr;
	mi->n_val = (long)nval;
	wf = (size_t)mi->net.window * (size_t)s->nfeat;
	if (b > ntr)
		b = ntr;
	order = bf_xmalloc(ntr * sizeof(size_t));
	x = bf_xmalloc(b * wf * sizeof(float));
	y = bf_xmalloc(b * (size_t)s->ntgt * sizeof(float));
	memcpy(order, idx, ntr * sizeof(size_t));
	/* Epoch 0: the initial weights are a candidate too (a zeroed
	 * split-normal head is the EWMA Gaussian), so a network that learns
	 * nothing that generalizes falls back to where it started. */
	rc = mean_loss(net, mi, s, idx + v0, nval, &bestval, err);
	if (rc == 0)
		rc = bf_tnet_save(net, &best, &bestlen, err);
	if (rc < 0)
		goto out;
	if (!o->quiet)
		bf_notice("%s: epoch 0/%d: val loss %.5f (initial weights)",
		    o->what, o->epochs, bestval);
	for (int ep = 1; ep <= o->epochs; ep++) {
		double sum = 0, val, te = now_s(), el, eta;
		size_t steps = 0;
		char d1[32], d2[32];
		for (size_t i = ntr - 1; i > 0; i--) {
			size_t j = (size_t)(next_rand(&rs) % (i + 1)), tmp;
			tmp = order[i];
			order[i] = order[j];
			order[j] = tmp;
		}
		for (size_t i = 0; i + b <= ntr; i += b) {
			double l;
			gather(s, mi, order + i, b, x, y);
			rc = bf_tnet_train_step(net, x, y, (int)b, &l, err);
			if (rc < 0)
				goto out;
			sum += l;
			steps++;
		}
		rc = mean_loss(net, mi, s, idx + v0, nval, &val, err);
		if (rc < 0)
			goto out;
		if (val < bestval) {
			free(best);
			best = NULL;
			rc = bf_tnet_save(net, &best, &bestlen, err);
			if (rc < 0)
				goto out;
			bestval = val;
			stale = 0;
		} else {
			stale++;
		}
		el = now_s() - te;
		eta = (now_s() - t0) / ep * (o->epochs - ep);
		fmt_dur(d1, sizeof(d1), el);
		fmt_dur(d2, sizeof(d2), eta);
		if (!o->quiet)
			bf_notice("%s: epoch %d/%d: train loss %.5f, val loss %.5f%s (%s, %.0f samples/s, eta %s)",
			    o->what, ep, o->epochs,
			    steps ? sum / (double)steps : NAN, val,
			    stale == 0 ? " *" : "", d1,
			    el > 0 ? (double)(steps * b) / el : 0.0,
			    stale >= o->patience ? "0 s (early stop)" : d2);
		if (stale >= o->patience)
			break;
	}
	rc = bf_tnet_load(net, best, bestlen, err);
	if (rc < 0)
		goto out;
	mi->best_val = bestval;
	mi->temperature = 1;
	if (mi->net.head == BF_THEAD_CLASS) {
		float *z = bf_xmalloc(nval * 3 * sizeof(float));
		int *lab = bf_xmalloc(nval * sizeof(int));
		rc = predict_all(net, mi, s, idx + v0, nval, z, err);
		if (rc == 0) {
			for (size_t i = 0; i < nval; i++)
				lab[i] = (int)s->y[idx[v0 + i]];
			mi->temperature = bf_fcst_temperature(z, lab, nval, 3);
		}
		free(z);
		free(lab);
	}
out:
	free(best);
	free(order);
	free(x);
	free(y);
	return rc;
}

/* A [model] integer: the flag 'flag' if given (>= 0), else the config's
 * 'key', else 'def'.  Exits 2 on a bad config value. */
static long long
knob_long(struct cmdopts *co, long long flag, const char *key, long long def)
{
	struct bf_err err = BF_ERR_INIT;
	long long v;

	if (flag >= 0)
		return flag;
	if (bf_cfg_long(co->cfg, "model", key, def, &v, &err) < 0)
		bf_die_err(&err);
	return v;
}

/* The same for a number ('flag' NAN when not given). */
static double
knob_double(struct cmdopts *co, double flag, const char *key, double def)
{
	struct bf_err err = BF_ERR_INIT;
	double v;

	if (!isnan(flag))
		return flag;
	if (bf_cfg_double(co->cfg, "model", key, def, &v, &err) < 0)
		bf_die_err(&err);
	return v;
}

/* Parse the horizon list into 'mi' (names, bars of mi->interval_ms). */
static int
parse_horizons(const char *list, struct minfo *mi, struct bf_err *err)
{
	const char *p = list;

	mi->nh = 0;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		char name[16];
		int64_t ms;
		if (len == 0 || len >= sizeof(name) || mi->nh == MAX_H)
			return bf_err_set(err, BF_EUSAGE, "horizons: bad list '%s' (at most %d)",
			    list, MAX_H);
		memcpy(name, p, len);
		name[len] = '\0';
		if (bf_duration_parse(name, &ms) < 0 || ms <= 0)
			return bf_err_set(err, BF_EUSAGE,
			    "horizons: '%s' is not a duration (15m, 1d)", name);
		if (ms % mi->interval_ms != 0)
			return bf_err_set(err, BF_EUSAGE,
			    "horizons: %s is not a whole number of %lld ms bars",
			    name, (long long)mi->interval_ms);
		snprintf(mi->hname[mi->nh], sizeof(mi->hname[0]), "%s", name);
		mi->hbars[mi->nh++] = (int)(ms / mi->interval_ms);
		if (c == NULL)
			break;
		p = c + 1;
	}
	return 0;
}

/* The row range [lo, hi) of 't' whose times are in [start, end]. */
int
row_range(const struct table *t, const char *start, const char *end,
    int64_t dstart, size_t *lo, size_t *hi, struct bf_err *err)
{
	int64_t a = dstart, b = INT64_MAX;
	const double *tc = t->col[t->tcol];

	if (start != NULL &&
	    bf_time_parse(start, bf_time_now_ms(), &a, err) < 0)
		return BF_EUSAGE;
	if (end != NULL && bf_time_parse(end, bf_time_now_ms(), &b, err) < 0)
		return BF_EUSAGE;
	*lo = 0;
	while (*lo < t->n && tc[*lo] < (double)a)
		(*lo)++;
	*hi = *lo;
	while (*hi < t->n && tc[*hi] <= (double)b)
		(*hi)++;
	return 0;
}

int
cmd_train(struct cmdopts *co)
{
	struct bf_err err = BF_ERR_INIT;
	struct minfo mi;
	struct table tab;
	struct series s;
	struct topts o;
	struct bf_reader *rd;
	struct bf_tnet *net = NULL;
	size_t lo, hi, n, *idx = NULL, vrow;
	bool shrt;
	const char *pre, *arch;
	int r;

	memset(&mi, 0, sizeof(mi));
	memset(&s, 0, sizeof(s));
	if (co->model == NULL || co->out == NULL)
		bf_usage_error("train needs --model short|long and --out FILE");
	if (strcmp(co->model, "short") != 0 && strcmp(co->model, "long") != 0)
		bf_usage_error("--model: '%s' is not short or long", co->model);
	shrt = strcmp(co->model, "short") == 0;
	pre = shrt ? "short_" : "long_";
#define K(name) (snprintf(key, sizeof(key), "%s%s", pre, name), key)
	char key[64];
	mi.kind = shrt ? KIND_SHORT : KIND_LONG;
	arch = co->arch ? co->arch : bf_cfg_str(co->cfg, "model", K("arch"),
	    shrt ? "transformer" : "tft");
	mi.net.arch = strcmp(arch, "linear") == 0 ? BF_TNET_LINEAR :
	    strcmp(arch, shrt ? "transformer" : "tft") == 0 ?
	    (shrt ? BF_TNET_SHORT : BF_TNET_LONG) : 0;
	if (mi.net.arch == 0)
		bf_usage_error("--arch: '%s' is not %s or linear", arch,
		    shrt ? "transformer" : "tft");
	mi.net.head = shrt ? BF_THEAD_CLASS : BF_THEAD_SPLITNORM;
	mi.net.window = (int)knob_long(co, co->window, K("window"),
	    shrt ? 60 : 168);
	mi.net.patch = (int)knob_long(co, co->patch, K("patch"), shrt ? 5 : 6);
	mi.net.d_model = (int)knob_long(co, co->d_model, K("d_model"), 32);
	mi.net.n_heads = (int)knob_long(co, co->heads, K("heads"), 4);
	mi.net.n_layers = (int)knob_long(co, co->layers, K("layers"), 2);
	mi.net.d_ff = 2 * mi.net.d_model;
	mi.net.dropout = knob_double(co, co->dropout, K("dropout"), 0.1);
	mi.net.lr = knob_double(co, co->lr, K("lr"), 1e-3);
	mi.net.weight_decay = knob_double(co, NAN, K("weight_decay"), 1e-4);
	mi.net.clip = knob_double(co, NAN, K("clip"), 1.0);
	mi.net.skew_penalty = shrt ? 0 : knob_double(co, NAN,
	    "long_skew_penalty", 0.05);
	mi.net.seed = (uint64_t)knob_long(co, co->seed, "seed", 1);
	mi.vol_hl = knob_double(co, co->vol_hl, K("vol_halflife"),
	    shrt ? 60 : 72);
	mi.band_k = shrt ? knob_double(co, co->band_k, "short_band_k", 0.431) : 0;
	mi.cost = shrt ? knob_double(co, co->cost, "short_cost", 0.001) : 0;
	mi.min_conf = shrt ? knob_double(co, co->min_conf,
	    "short_min_confidence", 0.45) : 0;
	o.epochs = (int)knob_long(co, co->epochs, "epochs", 20);
	o.batch = (int)knob_long(co, co->batch, "batch", 256);
	o.patience = (int)knob_long(co, co->patience, "patience", 3);
	o.stride = (int)knob_long(co, co->stride, K("stride"), shrt ? 5 : 4);
	o.val_frac = knob_double(co, co->val_frac, "val_frac", 0.15);
	o.quiet = co->common.verbosity < BF_LOG_NORMAL;
	o.what = co->model;
	if (o.epochs < 1 || o.batch < 1 || o.patience < 1 || o.stride < 1 ||
	    !(o.val_frac > 0 && o.val_frac < 1))
		bf_usage_error("config: [model] epochs, batch, patience, stride or val_frac out of range");
	if (cfg_threads(co, (int)co->threads, &err) < 0)
		bf_die_err(&err);

	rd = bf_reader_new(0, "stdin", co->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r == 0)
		bf_die(BF_EXIT_DATA, "stdin: empty input: nothing to train on");
	if (r < 0 || table_read(rd, &tab, &err) < 0)
		bf_die_err(&err);
	bf_reader_free(rd);
	if (row_range(&tab, co->train_start, co->train_end, INT64_MIN, &lo, &hi,
	    &err) < 0)
		bf_die_err(&err);
	if (select_features(&tab, co->features ? co->features :
	    bf_cfg_str(co->cfg, "model", "features", NULL), &mi, &err) < 0 ||
	    detect_interval(&tab, &mi.interval_ms, &err) < 0 ||
	    parse_horizons(co->horizons ? co->horizons : bf_cfg_str(co->cfg,
	    "model", K("horizons"), shrt ? "15m" : "1d,7d,30d"), &mi,
	    &err) < 0)
		bf_die_err(&err);
	if (shrt && mi.nh != 1)
		bf_usage_error("--horizons: the short model has one horizon");
	mi.net.n_features = mi.nfeat;
	mi.net.n_horizons = shrt ? 0 : mi.nh;
	if (mi.net.arch != BF_TNET_LINEAR && mi.net.window % mi.net.patch != 0)
		bf_usage_error("--patch %d does not divide --window %d",
		    mi.net.patch, mi.net.window);

	/* Find the samples with a provisional scaling, then fit the
	 * normalization on the rows before the validation slice only. */
	fit_norm(&tab, lo, hi, &mi);
	if (series_build(&tab, &mi, &s, &err) < 0)
		bf_die_err(&err);
	idx = collect_samples(&s, &mi, lo, hi, (size_t)o.stride, true, &n);
	vrow = n ? idx[n - (size_t)ceil((double)n * o.val_frac)] : hi;
	fit_norm(&tab, lo, vrow, &mi);
	series_free(&s);
	if (series_build(&tab, &mi, &s, &err) < 0)
		bf_die_err(&err);
	mi.train_start = lo < hi ? (int64_t)tab.col[tab.tcol][lo] : 0;
	mi.train_end = lo < hi ? (int64_t)tab.col[tab.tcol][hi - 1] : 0;

	net = bf_tnet_new(&mi.net, &err);
	if (net == NULL)
		bf_die_err(&err);
	if (!o.quiet)
		bf_notice("%s %s model: %ld parameters, %d features, %zu samples (window %d, stride %d)",
		    co->model, arch, bf_tnet_n_params(net),
		    mi.nfeat, n, mi.net.window, o.stride);
	if (train_net(net, &mi, &s, idx, n, &o, &err) < 0 ||
	    model_save(&mi, net, co->out, &err) < 0)
		bf_die_err(&err);
	if (!o.quiet)
		bf_notice("wrote %s (id %s, best val loss %.5f%s)",
		    co->out, mi.id, mi.best_val,
		    shrt ? ", temperature fitted" : "");
#undef K
	free(idx);
	bf_tnet_free(net);
	series_free(&s);
	table_free(&tab);
	minfo_free(&mi);
	return 0;
}
