/* SPDX-License-Identifier: MIT */
/*
 * eval.c - bf-infer eval: the model against its baselines, out of sample
 * (spec/forecasting.md §3-4; infer.h).
 *
 * The input is the whole stream: the model file names its training span,
 * and every baseline is fitted on exactly those rows (the same features,
 * normalization and targets) before anything is scored on the test span,
 * which by default starts at the first row after training.
 *
 * Short model (per test row: p = (down, neutral, up)), against
 *  - prior:  the training class frequencies;
 *  - logreg: multinomial logistic regression on the last row's features
 *            and the window mean (the shim's linear network, trained with
 *            the same loop, early stopping and temperature scaling).
 * Scores: log-loss, Brier, accuracy, balanced accuracy, ECE (10
 * equal-count bins), directional accuracy and coverage of traded rows.
 *
 * Long model (per test row and horizon H, a distribution of the H-bar log
 * return), against zero-mean baselines whose variance is
 *  - gauss_ewma:  H * EWMA variance (the model's own volatility input);
 *  - gauss_garch: GARCH(1,1) H-step variance, fitted on training returns;
 *  - t_garch:     Student t with that variance, nu fitted per horizon on
 *                 training outcomes;
 *  - linear:      a linear split-normal model on the same inputs.
 * Scores: CRPS, log score, pinball at 10/50/90%, 80% and 95% central
 * interval coverage and the 80% width, PIT chi-square p (non-overlapping
 * origins), R^2 out of sample of the mean against zero, QLIKE against
 * the realized variance over the horizon.
 *
 * With --scores FILE, every test row's loss per model and horizon goes
 * to FILE as CSV (time, model, horizon, loss), so that folds can be
 * pooled and tested together (scripts/bf-infer-report).
 *
 * Every baseline row carries a Diebold-Mariano test of the model against
 * it (log-loss or CRPS differences, model minus baseline, HLN-corrected,
 * Newey-West with H - 1 lags) and a verdict: model_better, baseline_better
 * (p < 0.05) or not_significant.
 */
#include "bf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "infer.h"

enum {
	C_ID, C_MODEL, C_HORIZON, C_TRAIN_START, C_TRAIN_END, C_TEST_START,
	C_TEST_END, C_N, C_NEFF, C_LOGLOSS, C_LSS, C_BRIER, C_BSS, C_ACC,
	C_BAL_ACC, C_DIR_ACC, C_COV_TRADED, C_ECE, C_CRPS, C_CRPSS, C_NLL,
	C_PB10, C_PB50, C_PB90, C_COV80, C_COV95, C_WIDTH80, C_PIT, C_R2,
	C_QLIKE, C_DM, C_DM_P, C_VERDICT, C_KUP05, C_KUP01, C_NCOLS
};

static const char *const report_cols[C_NCOLS] = { "model_id", "model",
	"horizon", "train_start", "train_end", "test_start", "test_end",
	"n_test", "n_eff", "logloss", "lss", "brier", "bss", "acc", "bal_acc",
	"dir_acc_traded", "coverage_traded", "ece", "crps", "crpss", "nll",
	"pinball_10", "pinball_50", "pinball_90", "cov80", "cov95", "width80",
	"pit_chi2_p", "r2_os", "qlike", "dm_stat", "dm_p", "verdict",
	"kupiec05_p", "kupiec01_p" };

/* What every report row shares. */
struct rctx {
	struct bf_writer *w;
	struct bf_writer *sw;	/* --scores, or NULL */
	const struct minfo *mi;
	const double *time;	/* the table's time column */
	int64_t t0, t1;		/* test span */
};

/*
 * With --scores, write the per-row losses 'loss' of model 'name' at
 * horizon 'h' for the rows 'rows' (n of them).  Returns 0 or BF_EFAIL.
 */
static int
write_scores(struct rctx *rc, const char *name, const char *h,
    const size_t *rows, const double *loss, size_t n, struct bf_err *err)
{
	if (rc->sw == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		bf_writer_set_i64(rc->sw, 0, (int64_t)rc->time[rows[i]]);
		bf_writer_set_text(rc->sw, 1, name, strlen(name));
		bf_writer_set_text(rc->sw, 2, h, strlen(h));
		bf_writer_set_double(rc->sw, 3, loss[i]);
		if (bf_writer_emit(rc->sw, NULL, err) < 0)
			return BF_EFAIL;
	}
	return 0;
}

/* Start a report row with the common columns. */
static void
row_begin(struct rctx *rc, const char *model, const char *horizon, size_t n,
    double neff)
{
	struct bf_writer *w = rc->w;

	bf_writer_set_text(w, C_ID, rc->mi->id, strlen(rc->mi->id));
	bf_writer_set_text(w, C_MODEL, model, strlen(model));
	bf_writer_set_text(w, C_HORIZON, horizon, strlen(horizon));
	bf_writer_set_i64(w, C_TRAIN_START, rc->mi->train_start);
	bf_writer_set_i64(w, C_TRAIN_END, rc->mi->train_end);
	bf_writer_set_i64(w, C_TEST_START, rc->t0);
	bf_writer_set_i64(w, C_TEST_END, rc->t1);
	bf_writer_set_i64(w, C_N, (int64_t)n);
	bf_writer_set_double(w, C_NEFF, neff);
}

/* Set the DM columns for model-minus-baseline losses 'd'. */
static void
row_dm(struct rctx *rc, const double *d, size_t n, int h)
{
	double p, st = bf_fcst_dm(d, n, h, &p);
	const char *v = !(p < 0.05) ? "not_significant" :
	    st < 0 ? "model_better" : "baseline_better";

	bf_writer_set_double(rc->w, C_DM, st);
	bf_writer_set_double(rc->w, C_DM_P, p);
	bf_writer_set_text(rc->w, C_VERDICT, v, strlen(v));
}

/* Train the linear baseline on the training span; NULL on failure. */
static struct bf_tnet *
train_linear(const struct minfo *mi, const struct series *s, size_t lo,
    size_t hi, struct cmdopts *co, double *temperature, struct bf_err *err)
{
	struct minfo lm = *mi;	/* shallow: borrows mi's arrays */
	struct topts o;
	struct bf_tnet *net;
	size_t n, *idx;
	long long stride = 1;

	lm.net.arch = BF_TNET_LINEAR;
	lm.net.lr = 1e-2;
	lm.net.weight_decay = 1e-3;
	lm.net.skew_penalty = mi->net.skew_penalty;
	if (bf_cfg_long(co->cfg, "model", mi->kind == KIND_SHORT ?
	    "short_stride" : "long_stride", mi->kind == KIND_SHORT ? 5 : 4,
	    &stride, err) < 0)
		return NULL;
	o.epochs = 30;
	o.batch = 256;
	o.patience = 3;
	o.stride = (int)(stride > 0 ? stride : 1);
	o.val_frac = 0.15;
	o.quiet = co->common.verbosity < BF_LOG_INFO;
	o.what = mi->kind == KIND_SHORT ? "logreg" : "linear";
	idx = collect_samples(s, &lm, lo, hi, (size_t)o.stride, true, &n);
	net = bf_tnet_new(&lm.net, err);
	if (net != NULL && train_net(net, &lm, s, idx, n, &o, err) < 0) {
		bf_tnet_free(net);
		net = NULL;
	}
	*temperature = lm.temperature;
	free(idx);
	return net;
}

/*
 * Set the classification columns of one report row: 'n' rows of
 * probabilities 'p' (down, neutral, up) against labels 'y', their
 * per-row log-losses 'll', the prior's 'prior_ll' and Brier score for the
 * skill scores.  A signal needs probability 'min_conf' (above 1: never).
 */
static void
class_row(struct rctx *rc, const char *name, const double *p, const int *y,
    size_t n, int h, double min_conf, const double *prior_ll,
    const double *ll, double brier_prior)
{
	struct bf_writer *w = rc->w;
	double L = 0, B = 0, acc = 0, tp[3] = { 0 }, cnt[3] = { 0 };
	double traded = 0, dir_ok = 0, dir_n = 0, bal = 0, nk = 0;
	double *conf = bf_xmalloc((n ? n : 1) * sizeof(double));
	unsigned char *ok = bf_xmalloc(n ? n : 1);
	struct minfo sm;

	memset(&sm, 0, sizeof(sm));
	sm.min_conf = min_conf;
	for (size_t i = 0; i < n; i++) {
		const double *q = p + 3 * i;
		double c;
		int arg = 0, sig;
		L += ll[i];
		for (int k = 0; k < 3; k++) {
			double o = k == y[i] ? 1 : 0;
			B += (q[k] - o) * (q[k] - o);
			if (q[k] > q[arg])
				arg = k;
		}
		cnt[y[i]]++;
		if (arg == y[i]) {
			acc++;
			tp[y[i]]++;
		}
		conf[i] = q[arg];
		ok[i] = arg == y[i];
		sig = short_signal(&sm, q, &c);
		if (sig != 0) {
			traded++;
			if (y[i] != CL_NEUTRAL) {
				dir_n++;
				dir_ok += (sig > 0) == (y[i] == CL_UP);
			}
		}
	}
	for (int k = 0; k < 3; k++)
		if (cnt[k] > 0) {
			bal += tp[k] / cnt[k];
			nk++;
		}
	row_begin(rc, name, rc->mi->hname[0], n, (double)n / h);
	L /= (double)n;
	B /= (double)n;
	bf_writer_set_double(w, C_LOGLOSS, L);
	bf_writer_set_double(w, C_BRIER, B);
	{
		double Lp = 0;
		for (size_t i = 0; i < n; i++)
			Lp += prior_ll[i];
		Lp /= (double)n;
		bf_writer_set_double(w, C_LSS, 1 - L / Lp);
		bf_writer_set_double(w, C_BSS, 1 - B / brier_prior);
	}
	bf_writer_set_double(w, C_ACC, acc / (double)n);
	bf_writer_set_double(w, C_BAL_ACC, nk > 0 ? bal / nk : NAN);
	bf_writer_set_double(w, C_DIR_ACC, dir_n > 0 ? dir_ok / dir_n : NAN);
	bf_writer_set_double(w, C_COV_TRADED, traded / (double)n);
	bf_writer_set_double(w, C_ECE, bf_fcst_ece(conf, ok, n, 10));
	free(conf);
	free(ok);
}

/* Evaluate a short model on test samples 'idx'. */
static int
eval_short(struct rctx *rc, struct bf_tnet *net, const struct series *s,
    const size_t *idx, size_t n, size_t lo, size_t hi, struct cmdopts *co,
    struct bf_err *err)
{
	const struct minfo *mi = rc->mi;
	size_t ntr, *tri;
	double prior[3] = { 1, 1, 1 }, tl = 1, bp;
	double *pm, *pp, *pl, *llm, *llp, *lll, *d;
	float *z;
	int *y, h = mi->hbars[0];
	struct bf_tnet *lin;

	/* The class prior of the training samples (add-one smoothed). */
	tri = collect_samples(s, mi, lo, hi, 1, true, &ntr);
	for (size_t i = 0; i < ntr; i++)
		prior[(int)s->y[tri[i]]]++;
	for (int k = 0; k < 3; k++)
		prior[k] /= (double)ntr + 3;
	free(tri);
	lin = train_linear(mi, s, lo, hi, co, &tl, err);
	if (lin == NULL)
		return err->code;
	z = bf_xmalloc(3 * n * sizeof(float));
	pm = bf_xmalloc(3 * n * sizeof(double));
	pp = bf_xmalloc(3 * n * sizeof(double));
	pl = bf_xmalloc(3 * n * sizeof(double));
	llm = bf_xmalloc(n * sizeof(double));
	llp = bf_xmalloc(n * sizeof(double));
	lll = bf_xmalloc(n * sizeof(double));
	d = bf_xmalloc(n * sizeof(double));
	y = bf_xmalloc(n * sizeof(int));
	if (predict_all(net, mi, s, idx, n, z, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		y[i] = (int)s->y[idx[i]];
		short_probs(mi, z + 3 * i, pm + 3 * i);
		memcpy(pp + 3 * i, prior, sizeof(prior));
	}
	if (predict_all(lin, mi, s, idx, n, z, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		bf_softmax(z + 3 * i, 3, tl, pl + 3 * i);

	/* Per-row log-losses first: the baseline rows carry the DM test of
	 * the model against them. */
	bp = 0;
	for (size_t i = 0; i < n; i++) {
		const double *q[3] = { pm + 3 * i, pp + 3 * i, pl + 3 * i };
		double *ll[3] = { llm, llp, lll };
		for (int m = 0; m < 3; m++)
			ll[m][i] = -log(fmax(q[m][y[i]], 1e-7));
		for (int k = 0; k < 3; k++) {
			double o = k == y[i] ? 1 : 0;
			bp += (pp[3 * i + k] - o) * (pp[3 * i + k] - o);
		}
	}
	bp /= (double)n;
	class_row(rc, "prior", pp, y, n, h, 1.01, llp, llp, bp);
	for (size_t i = 0; i < n; i++)
		d[i] = llm[i] - llp[i];
	row_dm(rc, d, n, h);
	if (bf_writer_emit(rc->w, NULL, err) < 0)
		goto out;
	class_row(rc, "logreg", pl, y, n, h, mi->min_conf, llp, lll, bp);
	for (size_t i = 0; i < n; i++)
		d[i] = llm[i] - lll[i];
	row_dm(rc, d, n, h);
	if (bf_writer_emit(rc->w, NULL, err) < 0)
		goto out;
	class_row(rc, "model", pm, y, n, h, mi->min_conf, llp, llm, bp);
	if (bf_writer_emit(rc->w, NULL, err) < 0 ||
	    write_scores(rc, "prior", mi->hname[0], idx, llp, n, err) < 0 ||
	    write_scores(rc, "logreg", mi->hname[0], idx, lll, n, err) < 0 ||
	    write_scores(rc, "model", mi->hname[0], idx, llm, n, err) < 0)
		goto out;
out:
	bf_tnet_free(lin);
	free(z);
	free(pm);
	free(pp);
	free(pl);
	free(llm);
	free(llp);
	free(lll);
	free(d);
	free(y);
	return err->code;
}

/* A forecast distribution: split normal (also the Gaussian) or t. */
struct fdist {
	bool is_t;
	struct bf_splitnorm sn;
	struct bf_tdist t;
};

static struct fdist
fd_gauss(double sd)
{
	struct fdist f = { false, { 0, sd, sd }, { 0, 1, 30 } };

	return f;
}

static double
fd_q(const struct fdist *f, double p)
{
	return f->is_t ? bf_t_quantile(&f->t, p) : bf_sn_quantile(&f->sn, p);
}

static double
fd_cdf(const struct fdist *f, double y)
{
	return f->is_t ? bf_t_cdf(&f->t, y) : bf_sn_cdf(&f->sn, y);
}

static double
fd_crps(const struct fdist *f, double y)
{
	return f->is_t ? bf_t_crps(&f->t, y) : bf_sn_crps(&f->sn, y);
}

static double
fd_nll(const struct fdist *f, double y)
{
	return f->is_t ? bf_t_nll(&f->t, y) : bf_sn_nll(&f->sn, y);
}

static double
fd_mean(const struct fdist *f)
{
	return f->is_t ? f->t.mu : bf_sn_mean(&f->sn);
}

static double
fd_sd(const struct fdist *f)
{
	return f->is_t ? f->t.sd : bf_sn_sd(&f->sn);
}

enum { LM_MODEL, LM_EWMA, LM_GARCH, LM_TGARCH, LM_LINEAR, LM_N };

static const char *const lm_name[LM_N] = { "model", "gauss_ewma",
	"gauss_garch", "t_garch", "linear" };

/* Running sums of one model's scores at one horizon. */
struct lacc {
	double crps, nll, pb[3], cov80, cov95, w80, se, qlike;
	double nq;	/* rows with a finite QLIKE */
	double *crps_row;	/* owned: per-row CRPS for DM */
	double *pit;		/* owned */
	unsigned char *tail;	/* owned: bit 0 below q05, bit 1 below q01 */
};

/* Evaluate a long model on test samples 'idx'. */
static int
eval_long(struct rctx *rc, struct bf_tnet *net, const struct series *s,
    const size_t *idx, size_t n, size_t lo, size_t hi, struct cmdopts *co,
    struct bf_err *err)
{
	const struct minfo *mi = rc->mi;
	size_t no = (size_t)bf_tnet_n_outputs(&mi->net), N = s->n;
	float *om = bf_xmalloc(n * no * sizeof(float));
	float *ol = bf_xmalloc(n * no * sizeof(float));
	double *gv = bf_xmalloc(N * sizeof(double));
	double *cs = bf_xcalloc(N + 1, sizeof(double));
	double *r = bf_xmalloc(N * sizeof(double)), *d = NULL;
	size_t *rows = bf_xmalloc((n ? n : 1) * sizeof(size_t));
	double tl, sy2;
	struct bf_garch g;
	struct bf_tnet *lin = NULL;
	struct lacc acc[LM_N];
	size_t nr = 0;
	int rcode = 0;

	memset(acc, 0, sizeof(acc));
	/* 1-bar returns, their prefix sums of squares, GARCH variances. */
	for (size_t k = 0; k < N; k++) {
		r[k] = k > 0 ? s->logc[k] - s->logc[k - 1] : NAN;
		cs[k + 1] = cs[k] + (isfinite(r[k]) ? r[k] * r[k] : 0);
	}
	{
		double *rt = bf_xmalloc((hi > lo ? hi - lo : 1) *
		    sizeof(double));
		for (size_t k = lo + 1; k < hi; k++)
			if (isfinite(r[k]))
				rt[nr++] = r[k];
		bf_garch_fit(rt, nr, &g);
		free(rt);
	}
	for (size_t k = 0; k < N; k++) {
		double s2 = k > 0 ? gv[k - 1] : g.var;
		if (isfinite(r[k]))
			s2 = bf_garch_next(&g, s2, r[k]);
		gv[k] = s2;	/* variance of r[k + 1] given rows <= k */
	}
	if (predict_all(net, mi, s, idx, n, om, err) < 0)
		goto out;
	lin = train_linear(mi, s, lo, hi, co, &tl, err);
	if (lin == NULL || predict_all(lin, mi, s, idx, n, ol, err) < 0)
		goto out;
	d = bf_xmalloc((n ? n : 1) * sizeof(double));
	for (int m = 0; m < LM_N; m++) {
		acc[m].crps_row = bf_xmalloc((n ? n : 1) * sizeof(double));
		acc[m].pit = bf_xmalloc((n ? n : 1) * sizeof(double));
		acc[m].tail = bf_xmalloc(n ? n : 1);
	}
	for (int j = 0; j < mi->nh; j++) {
		size_t H = (size_t)mi->hbars[j], cnt = 0, nz = 0;
		double nu, *z;
		/* nu from training outcomes scaled by the GARCH sd. */
		z = bf_xmalloc((hi > lo ? hi - lo : 1) * sizeof(double));
		for (size_t t = lo; t + H < hi; t += 2) {
			double y = s->ret[t * (size_t)mi->nh + (size_t)j];
			double v = bf_garch_hvar(&g, gv[t], (int)H);
			if (isfinite(y) && v > 0)
				z[nz++] = y / sqrt(v);
		}
		nu = nz > 50 ? bf_tnu_fit(z, nz) : 30;
		free(z);
		for (int m = 0; m < LM_N; m++) {
			double *cr = acc[m].crps_row, *pt = acc[m].pit;
			unsigned char *tf = acc[m].tail;
			memset(&acc[m], 0, sizeof(acc[m]));
			acc[m].crps_row = cr;
			acc[m].pit = pt;
			acc[m].tail = tf;
		}
		sy2 = 0;
		for (size_t i = 0; i < n; i++) {
			size_t t = idx[i];
			double y = s->ret[t * (size_t)mi->nh + (size_t)j];
			double sc = s->vol[t] * sqrt((double)H);
			double gvh = bf_garch_hvar(&g, gv[t], (int)H);
			double rv = t + H < N ? cs[t + H + 1] - cs[t + 1] : NAN;
			struct fdist f[LM_N];
			if (!isfinite(y))
				continue;
			f[LM_MODEL].is_t = false;
			f[LM_MODEL].sn = long_dist(om + i * no, j, sc);
			f[LM_EWMA] = fd_gauss(sc);
			f[LM_GARCH] = fd_gauss(sqrt(gvh));
			f[LM_TGARCH].is_t = true;
			f[LM_TGARCH].t.mu = 0;
			f[LM_TGARCH].t.sd = sqrt(gvh);
			f[LM_TGARCH].t.nu = nu;
			f[LM_LINEAR].is_t = false;
			f[LM_LINEAR].sn = long_dist(ol + i * no, j, sc);
			for (int m = 0; m < LM_N; m++) {
				struct lacc *a = &acc[m];
				double q10 = fd_q(&f[m], 0.1);
				double q50 = fd_q(&f[m], 0.5);
				double q90 = fd_q(&f[m], 0.9);
				double sd = fd_sd(&f[m]);
				double mu = fd_mean(&f[m]);
				a->crps_row[cnt] = fd_crps(&f[m], y);
				a->crps += a->crps_row[cnt];
				a->nll += fd_nll(&f[m], y);
				a->pb[0] += bf_pinball(y, q10, 0.1);
				a->pb[1] += bf_pinball(y, q50, 0.5);
				a->pb[2] += bf_pinball(y, q90, 0.9);
				a->cov80 += y >= q10 && y <= q90;
				a->cov95 += y >= fd_q(&f[m], 0.025) &&
				    y <= fd_q(&f[m], 0.975);
				a->w80 += q90 - q10;
				a->se += (y - mu) * (y - mu);
				a->pit[cnt] = fd_cdf(&f[m], y);
				a->tail[cnt] = (y < fd_q(&f[m], 0.05)) |
				    (y < fd_q(&f[m], 0.01)) << 1;
				if (isfinite(rv) && rv > 0 && sd > 0) {
					double x = sd * sd / rv;
					a->qlike += x - log(x) - 1;
					a->nq++;
				}
			}
			sy2 += y * y;
			rows[cnt++] = t;
		}
		if (cnt == 0)
			continue;
		for (int m = 1; m <= LM_N; m++) {
			/* Baselines first, the model last. */
			int mm = m % LM_N;
			struct lacc *a = &acc[mm];
			double c = (double)cnt;
			row_begin(rc, lm_name[mm], mi->hname[j], cnt,
			    c / (double)H);
			bf_writer_set_double(rc->w, C_CRPS, a->crps / c);
			bf_writer_set_double(rc->w, C_CRPSS,
			    1 - a->crps / acc[LM_TGARCH].crps);
			bf_writer_set_double(rc->w, C_NLL, a->nll / c);
			bf_writer_set_double(rc->w, C_PB10, a->pb[0] / c);
			bf_writer_set_double(rc->w, C_PB50, a->pb[1] / c);
			bf_writer_set_double(rc->w, C_PB90, a->pb[2] / c);
			bf_writer_set_double(rc->w, C_COV80, a->cov80 / c);
			bf_writer_set_double(rc->w, C_COV95, a->cov95 / c);
			bf_writer_set_double(rc->w, C_WIDTH80, a->w80 / c);
			bf_writer_set_double(rc->w, C_PIT,
			    bf_fcst_pit_p(a->pit, cnt, H));
			bf_writer_set_double(rc->w, C_R2,
			    sy2 > 0 ? 1 - a->se / sy2 : NAN);
			bf_writer_set_double(rc->w, C_QLIKE,
			    a->nq > 0 ? a->qlike / a->nq : NAN);
			{
				/* Tails on non-overlapping origins, as PIT. */
				size_t x5 = 0, x1 = 0, nn = 0;
				for (size_t i = 0; i < cnt; i += H) {
					x5 += a->tail[i] & 1;
					x1 += a->tail[i] >> 1;
					nn++;
				}
				bf_writer_set_double(rc->w, C_KUP05,
				    bf_fcst_kupiec_p(x5, nn, 0.05));
				bf_writer_set_double(rc->w, C_KUP01,
				    bf_fcst_kupiec_p(x1, nn, 0.01));
			}
			if (mm != LM_MODEL) {
				for (size_t i = 0; i < cnt; i++)
					d[i] = acc[LM_MODEL].crps_row[i] -
					    a->crps_row[i];
				row_dm(rc, d, cnt, (int)H);
			}
			if (bf_writer_emit(rc->w, NULL, err) < 0 ||
			    write_scores(rc, lm_name[mm], mi->hname[j], rows,
			    a->crps_row, cnt, err) < 0)
				goto out;
		}
	}
out:
	rcode = err->code;
	for (int m = 0; m < LM_N; m++) {
		free(acc[m].crps_row);
		free(acc[m].pit);
		free(acc[m].tail);
	}
	bf_tnet_free(lin);
	free(om);
	free(ol);
	free(gv);
	free(cs);
	free(r);
	free(d);
	free(rows);
	return rcode;
}

int
cmd_eval(struct cmdopts *co)
{
	struct bf_err err = BF_ERR_INIT;
	struct minfo mi;
	struct table tab;
	struct series s;
	struct bf_tnet *net;
	struct bf_reader *rd;
	struct rctx rc;
	size_t lo, hi, a, b, n = 0, *idx;
	int r, sfd = -1;

	if (co->model_file == NULL)
		bf_usage_error("eval needs --model-file FILE");
	if (cfg_threads(co, (int)co->threads, &err) < 0)
		bf_die_err(&err);
	if (model_load(co->model_file, &mi, &net, &err) < 0)
		bf_die_err(&err);
	rd = bf_reader_new(0, "stdin", co->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r == 0)
		bf_die(BF_EXIT_DATA, "stdin: empty input: nothing to evaluate");
	if (r < 0 || table_read(rd, &tab, &err) < 0 ||
	    series_build(&tab, &mi, &s, &err) < 0)
		bf_die_err(&err);
	{
		int64_t iv;
		if (detect_interval(&tab, &iv, &err) < 0)
			bf_die_err(&err);
		if (iv != mi.interval_ms)
			bf_die(BF_EXIT_DATA,
			    "stdin: rows %lld ms apart, but model %s was trained on rows %lld ms apart",
			    (long long)iv, mi.id, (long long)mi.interval_ms);
	}
	lo = 0;
	while (lo < tab.n && tab.col[tab.tcol][lo] < (double)mi.train_start)
		lo++;
	hi = lo;
	while (hi < tab.n && tab.col[tab.tcol][hi] <= (double)mi.train_end)
		hi++;
	if (row_range(&tab, co->start, co->end, mi.train_end + 1, &a, &b,
	    &err) < 0)
		bf_die_err(&err);
	if (hi - lo < 100)
		bf_die(BF_EXIT_DATA,
		    "stdin: only %zu rows of the model's training span are in the input: the baselines need them",
		    hi - lo);
	idx = bf_xmalloc((b > a ? b - a : 1) * sizeof(size_t));
	for (size_t t = a; t < b; t++) {
		bool any = false;
		for (int j = 0; j < mi.nh; j++)
			any |= isfinite(s.ret[t * (size_t)mi.nh + (size_t)j]);
		if (s.inok[t] && any && (mi.kind == KIND_LONG ||
		    isfinite(s.y[t])))
			idx[n++] = t;
	}
	if (n < 10)
		bf_die(BF_EXIT_DATA,
		    "stdin: %zu test rows with full windows and known outcomes: too few to evaluate",
		    n);
	rc.mi = &mi;
	rc.time = tab.col[tab.tcol];
	rc.sw = NULL;
	if (co->scores != NULL) {
		static const char *const sc[] = { "time", "model", "horizon",
			"loss" };
		sfd = open(co->scores, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (sfd < 0)
			bf_die(BF_EXIT_FAIL, "%s: %s", co->scores, strerror(errno));
		rc.sw = bf_writer_new(sfd, BF_FMT_CSV, co->common.digits, 0);
		if (bf_writer_start(rc.sw, NULL, sc, 4, &err) < 0)
			bf_die_err(&err);
	}
	rc.t0 = (int64_t)tab.col[tab.tcol][a];
	rc.t1 = (int64_t)tab.col[tab.tcol][b - 1];
	rc.w = bf_writer_new(1, bf_opt_out_format(&co->common,
	    bf_reader_format(rd)), co->common.digits, 0);
	if (bf_writer_start(rc.w, NULL, report_cols, C_NCOLS, &err) < 0)
		bf_die_err(&err);
	r = mi.kind == KIND_SHORT ?
	    eval_short(&rc, net, &s, idx, n, lo, hi, co, &err) :
	    eval_long(&rc, net, &s, idx, n, lo, hi, co, &err);
	if (r < 0) {
		bf_writer_close(rc.w, NULL);
		bf_die_err(&err);
	}
	if (bf_writer_close(rc.w, &err) < 0)
		bf_die_err(&err);
	if (rc.sw != NULL) {
		if (bf_writer_close(rc.sw, &err) < 0)
			bf_die_err(&err);
		if (close(sfd) < 0)
			bf_die(BF_EXIT_FAIL, "%s: %s", co->scores, strerror(errno));
	}
	free(idx);
	bf_reader_free(rd);
	bf_tnet_free(net);
	series_free(&s);
	table_free(&tab);
	minfo_free(&mi);
	return 0;
}
