/* SPDX-License-Identifier: MIT */
/*
 * model.c - the model description and its file (infer.h, lib/mfile.h).
 *
 * A model file is an mfile whose text header holds everything needed to
 * rebuild the inputs and read the outputs: the architecture, the feature
 * names in order with their training means and standard deviations, the
 * window, the horizons and bar interval, the target definition and its
 * parameters, the calibration, the training span and sample counts, and
 * the format version; the blob holds the weights.  Loading checks every
 * key (a missing or malformed one is a data error naming it) and then
 * the weights against the architecture (bf_tnet_load).
 */
#include "bf.h"

#include <math.h>
#include <zlib.h>

#include "infer.h"

#define MODEL_VERSION "1"

void
minfo_free(struct minfo *mi)
{
	for (int j = 0; j < mi->nfeat; j++)
		free(mi->feat[j]);
	free(mi->feat);
	free(mi->mean);
	free(mi->sd);
	memset(mi, 0, sizeof(*mi));
}

/* Set a key to a formatted value. */
static void BF_PRINTF(3, 4)
setf(struct bf_mfile *mf, const char *key, const char *fmt, ...)
{
	struct bf_buf b = BF_BUF_INIT;
	va_list ap;
	char tmp[64];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	bf_buf_adds(&b, tmp);
	bf_mfile_set(mf, key, b.buf, NULL);
	bf_buf_release(&b);
}

/* Set a key to a comma-separated list of doubles or of strings. */
static void
set_list(struct bf_mfile *mf, const char *key, const double *v,
    char *const *s, int n)
{
	struct bf_buf b = BF_BUF_INIT;

	bf_buf_adds(&b, "");
	for (int i = 0; i < n; i++) {
		if (i)
			bf_buf_addc(&b, ',');
		if (v != NULL)
			bf_buf_printf(&b, "%.17g", v[i]);
		else
			bf_buf_adds(&b, s[i]);
	}
	bf_mfile_set(mf, key, b.buf, NULL);
	bf_buf_release(&b);
}

int
model_save(struct minfo *mi, struct bf_tnet *net, const char *path,
    struct bf_err *err)
{
	struct bf_mfile *mf;
	char *blob = NULL, *hn[MAX_H];
	double hb[MAX_H];
	size_t len = 0;
	int rc;

	if (bf_tnet_save(net, &blob, &len, err) < 0)
		return BF_EFAIL;
	snprintf(mi->id, sizeof(mi->id), "%s-%08lx",
	    mi->kind == KIND_SHORT ? "short" : "long",
	    crc32(crc32(0L, Z_NULL, 0), (const Bytef *)blob, (uInt)len));
	mf = bf_mfile_new();
	bf_mfile_set(mf, "version", MODEL_VERSION, NULL);
	bf_mfile_set(mf, "bf_version", BF_VERSION, NULL);
	bf_mfile_set(mf, "id", mi->id, NULL);
	bf_mfile_set(mf, "kind", mi->kind == KIND_SHORT ? "short" : "long",
	    NULL);
	bf_mfile_set(mf, "arch", mi->net.arch == BF_TNET_LINEAR ? "linear" :
	    mi->net.arch == BF_TNET_SHORT ? "transformer" : "tft", NULL);
	bf_mfile_set(mf, "head", mi->net.head == BF_THEAD_CLASS ? "class3" :
	    "splitnormal", NULL);
	setf(mf, "window", "%d", mi->net.window);
	setf(mf, "patch", "%d", mi->net.patch);
	setf(mf, "d_model", "%d", mi->net.d_model);
	setf(mf, "n_heads", "%d", mi->net.n_heads);
	setf(mf, "n_layers", "%d", mi->net.n_layers);
	setf(mf, "d_ff", "%d", mi->net.d_ff);
	setf(mf, "dropout", "%.17g", mi->net.dropout);
	setf(mf, "lr", "%.17g", mi->net.lr);
	setf(mf, "weight_decay", "%.17g", mi->net.weight_decay);
	setf(mf, "clip", "%.17g", mi->net.clip);
	setf(mf, "skew_penalty", "%.17g", mi->net.skew_penalty);
	setf(mf, "seed", "%llu", (unsigned long long)mi->net.seed);
	setf(mf, "n_features", "%d", mi->nfeat);
	set_list(mf, "features", NULL, mi->feat, mi->nfeat);
	set_list(mf, "norm_mean", mi->mean, NULL, mi->nfeat);
	set_list(mf, "norm_sd", mi->sd, NULL, mi->nfeat);
	setf(mf, "interval_ms", "%lld", (long long)mi->interval_ms);
	for (int j = 0; j < mi->nh; j++) {
		hn[j] = mi->hname[j];
		hb[j] = mi->hbars[j];
	}
	set_list(mf, "horizons", NULL, hn, mi->nh);
	set_list(mf, "horizon_bars", hb, NULL, mi->nh);
	bf_mfile_set(mf, "target", mi->kind == KIND_SHORT ?
	    "class of r=ln(open[t+1+h]/open[t+1]) (close-to-close without open) vs band max(cost,band_k*vol*sqrt(h)): down,neutral,up" :
	    "ln(close[t+H]/close[t])/(vol*sqrt(H)) per horizon, split normal", NULL);
	setf(mf, "vol_halflife", "%.17g", mi->vol_hl);
	setf(mf, "band_k", "%.17g", mi->band_k);
	setf(mf, "cost", "%.17g", mi->cost);
	setf(mf, "temperature", "%.17g", mi->temperature);
	setf(mf, "min_confidence", "%.17g", mi->min_conf);
	setf(mf, "train_start", "%lld", (long long)mi->train_start);
	setf(mf, "train_end", "%lld", (long long)mi->train_end);
	setf(mf, "n_train", "%ld", mi->n_train);
	setf(mf, "n_val", "%ld", mi->n_val);
	setf(mf, "best_val_loss", "%.17g", mi->best_val);
	bf_mfile_set_blob(mf, blob, len);
	free(blob);
	rc = bf_mfile_write(mf, path, err);
	bf_mfile_free(mf);
	return rc;
}

/* Fetch key 'k' or fail with a data error naming it. */
static const char *
need(const struct bf_mfile *mf, const char *path, const char *k,
    struct bf_err *err)
{
	const char *v = bf_mfile_get(mf, k);

	if (v == NULL)
		bf_err_set(err, BF_EDATA, "%s: model file lacks key '%s'", path,
		    k);
	return v;
}

/* Parse integer key 'k' in [lo, hi]. */
static int
get_long(const struct bf_mfile *mf, const char *path, const char *k,
    long long lo, long long hi, long long *out, struct bf_err *err)
{
	const char *v = need(mf, path, k, err);

	if (v == NULL)
		return BF_EDATA;
	if (bf_parse_long(v, lo, hi, out) < 0)
		return bf_err_set(err, BF_EDATA, "%s: model key '%s': bad value '%s'",
		    path, k, v);
	return 0;
}

/* Parse double key 'k'. */
static int
get_double(const struct bf_mfile *mf, const char *path, const char *k,
    double *out, struct bf_err *err)
{
	const char *v = need(mf, path, k, err);

	if (v == NULL)
		return BF_EDATA;
	if (bf_parse_double(v, out) < 0)
		return bf_err_set(err, BF_EDATA, "%s: model key '%s': bad value '%s'",
		    path, k, v);
	return 0;
}

/* Split list key 'k' into exactly 'n' items; doubles into 'v' or
 * strings (owned by the caller) into 's'. */
static int
get_list(const struct bf_mfile *mf, const char *path, const char *k, int n,
    double *v, char **s, struct bf_err *err)
{
	const char *p = need(mf, path, k, err);
	int i = 0;

	if (p == NULL)
		return BF_EDATA;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		char *item = bf_strndup(p, len);
		if (i >= n || len == 0 || (v != NULL &&
		    bf_parse_double(item, &v[i]) < 0)) {
			free(item);
			for (int j = 0; s != NULL && j < i; j++) {
				free(s[j]);
				s[j] = NULL;
			}
			return bf_err_set(err, BF_EDATA,
			    "%s: model key '%s': bad list", path, k);
		}
		if (s != NULL)
			s[i] = item;
		else
			free(item);
		i++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	if (i != n) {
		for (int j = 0; s != NULL && j < i; j++) {
			free(s[j]);
			s[j] = NULL;
		}
		return bf_err_set(err, BF_EDATA,
		    "%s: model key '%s': %d items, expected %d", path, k, i, n);
	}
	return 0;
}

int
model_load(const char *path, struct minfo *mi, struct bf_tnet **netp,
    struct bf_err *err)
{
	struct bf_mfile *mf = bf_mfile_read(path, err);
	const char *v;
	long long x;
	double hb[MAX_H];
	char *hn[MAX_H];
	const void *blob;
	size_t len;
	struct bf_tnet *net;

	memset(mi, 0, sizeof(*mi));
	*netp = NULL;
	if (mf == NULL)
		return err->code;
#define L(k, lo, hi, dst) do { \
		if (get_long(mf, path, k, lo, hi, &x, err) < 0) \
			goto fail; \
		dst = x; \
	} while (0)
#define D(k, dst) do { \
		if (get_double(mf, path, k, &dst, err) < 0) \
			goto fail; \
	} while (0)
	if ((v = need(mf, path, "version", err)) == NULL)
		goto fail;
	if (strcmp(v, MODEL_VERSION) != 0) {
		bf_err_set(err, BF_EDATA, "%s: model file version %s (this bf-infer reads %s)",
		    path, v, MODEL_VERSION);
		goto fail;
	}
	if ((v = need(mf, path, "kind", err)) == NULL)
		goto fail;
	mi->kind = strcmp(v, "short") == 0 ? KIND_SHORT :
	    strcmp(v, "long") == 0 ? KIND_LONG : 0;
	if ((v = need(mf, path, "arch", err)) == NULL)
		goto fail;
	mi->net.arch = strcmp(v, "transformer") == 0 ? BF_TNET_SHORT :
	    strcmp(v, "tft") == 0 ? BF_TNET_LONG :
	    strcmp(v, "linear") == 0 ? BF_TNET_LINEAR : 0;
	if (mi->kind == 0 || mi->net.arch == 0) {
		bf_err_set(err, BF_EDATA, "%s: unknown model kind or architecture",
		    path);
		goto fail;
	}
	mi->net.head = mi->kind == KIND_SHORT ? BF_THEAD_CLASS :
	    BF_THEAD_SPLITNORM;
	L("window", 1, 100000, mi->net.window);
	L("patch", 0, 100000, mi->net.patch);
	L("d_model", 0, 4096, mi->net.d_model);
	L("n_heads", 0, 4096, mi->net.n_heads);
	L("n_layers", 0, 64, mi->net.n_layers);
	L("d_ff", 0, 65536, mi->net.d_ff);
	D("dropout", mi->net.dropout);
	D("lr", mi->net.lr);
	D("weight_decay", mi->net.weight_decay);
	D("clip", mi->net.clip);
	D("skew_penalty", mi->net.skew_penalty);
	L("seed", 0, INT64_MAX, mi->net.seed);
	L("n_features", 1, 10000, mi->nfeat);
	mi->net.n_features = mi->nfeat;
	mi->feat = bf_xcalloc((size_t)mi->nfeat, sizeof(char *));
	mi->mean = bf_xcalloc((size_t)mi->nfeat, sizeof(double));
	mi->sd = bf_xcalloc((size_t)mi->nfeat, sizeof(double));
	if (get_list(mf, path, "features", mi->nfeat, NULL, mi->feat, err) < 0)
		goto fail;
	if (get_list(mf, path, "norm_mean", mi->nfeat, mi->mean, NULL, err) < 0 ||
	    get_list(mf, path, "norm_sd", mi->nfeat, mi->sd, NULL, err) < 0)
		goto fail;
	L("interval_ms", 1, INT64_MAX, mi->interval_ms);
	if ((v = need(mf, path, "horizons", err)) == NULL)
		goto fail;
	mi->nh = 1;
	for (const char *p = v; *p; p++)
		mi->nh += *p == ',';
	if (mi->nh > MAX_H || (mi->kind == KIND_SHORT && mi->nh != 1)) {
		bf_err_set(err, BF_EDATA, "%s: bad horizons '%s'", path, v);
		goto fail;
	}
	if (get_list(mf, path, "horizons", mi->nh, NULL, hn, err) < 0)
		goto fail;
	for (int j = 0; j < mi->nh; j++) {
		snprintf(mi->hname[j], sizeof(mi->hname[j]), "%s", hn[j]);
		free(hn[j]);
	}
	if (get_list(mf, path, "horizon_bars", mi->nh, hb, NULL, err) < 0)
		goto fail;
	for (int j = 0; j < mi->nh; j++) {
		if (!(hb[j] >= 1 && hb[j] <= 1e6)) {
			bf_err_set(err, BF_EDATA, "%s: bad horizon_bars", path);
			goto fail;
		}
		mi->hbars[j] = (int)hb[j];
	}
	mi->net.n_horizons = mi->kind == KIND_LONG ? mi->nh : 0;
	D("vol_halflife", mi->vol_hl);
	D("band_k", mi->band_k);
	D("cost", mi->cost);
	D("temperature", mi->temperature);
	D("min_confidence", mi->min_conf);
	L("train_start", INT64_MIN, INT64_MAX, mi->train_start);
	L("train_end", INT64_MIN, INT64_MAX, mi->train_end);
	L("n_train", 0, INT64_MAX, mi->n_train);
	L("n_val", 0, INT64_MAX, mi->n_val);
	D("best_val_loss", mi->best_val);
	if ((v = need(mf, path, "id", err)) == NULL)
		goto fail;
	snprintf(mi->id, sizeof(mi->id), "%s", v);
#undef L
#undef D
	if (!(mi->vol_hl > 0)) {
		bf_err_set(err, BF_EDATA, "%s: bad vol_halflife", path);
		goto fail;
	}
	for (int j = 0; j < mi->nfeat; j++)
		if (!(mi->sd[j] > 0)) {
			bf_err_set(err, BF_EDATA, "%s: bad norm_sd", path);
			goto fail;
		}
	net = bf_tnet_new(&mi->net, err);
	if (net == NULL) {
		bf_err_prefix(err, "%s", path);
		err->code = BF_EDATA;
		goto fail;
	}
	blob = bf_mfile_blob(mf, &len);
	if (bf_tnet_load(net, blob, len, err) < 0) {
		bf_err_prefix(err, "%s", path);
		bf_tnet_free(net);
		goto fail;
	}
	*netp = net;
	bf_mfile_free(mf);
	return 0;
fail:
	bf_mfile_free(mf);
	minfo_free(mi);
	return err->code ? err->code : BF_EDATA;
}
