/* SPDX-License-Identifier: MIT */
/*
 * run.c - bf-infer run: the model as a stream filter (infer.h).
 *
 * Rows pass through unchanged; the model's columns are appended.  The
 * filter keeps the last 'window' rows of normalized features in a ring
 * and the EWMA volatility of close, both updated exactly as data.c does
 * for training, and forecasts with a batch of one whenever the window is
 * full (every feature known in each of its rows) and the volatility has
 * warmed up; before that, and after a row with a missing feature until
 * the window refills, the columns are empty.  Each row's numbers depend
 * only on the rows before it, so a file and a pipe delivering rows one at
 * a time give identical output.
 *
 * With -v, the end of the stream reports how long each row took from
 * the moment it was read to the moment its output was written: the
 * median and 99th percentile over rows with a forecast.
 *
 * Columns: short models p_up, p_down, p_neutral, signal, confidence;
 * long models mu_H, sigma_H, skew_H, q10_H, q50_H, q90_H per horizon H;
 * both model_id.
 */
#include "bf.h"

#include <math.h>

#include "infer.h"

/* qsort order for doubles. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
cmd_run(struct cmdopts *co)
{
	struct bf_err err = BF_ERR_INIT;
	struct minfo mi;
	struct bf_tnet *net;
	struct bf_reader *rd;
	struct bf_writer *w;
	char **cols;
	int *fc, ccol, tcol, r, ncols;
	int64_t t_prev = INT64_MIN, dmin = INT64_MAX;	/* row spacing */
	size_t wn, nf, run = 0, row = 0, warm;
	float *ring, *out;
	double lam, s2 = NAN, prev = NAN;
	double *lat = NULL;		/* per-forecast seconds, -v only */
	size_t nlat = 0, clat = 0;
	bool timing = bf_log_verbosity() >= BF_LOG_INFO;

	if (co->model_file == NULL)
		bf_usage_error("run needs --model-file FILE");
	if (cfg_threads(co, (int)co->threads, &err) < 0)
		bf_die_err(&err);
	if (model_load(co->model_file, &mi, &net, &err) < 0)
		bf_die_err(&err);
	rd = bf_reader_new(0, "stdin", co->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0) {
		bf_reader_free(rd);
		bf_tnet_free(net);
		minfo_free(&mi);
		return 0;
	}
	nf = (size_t)mi.nfeat;
	wn = (size_t)mi.net.window;
	fc = bf_xmalloc(nf * sizeof(int));
	for (size_t j = 0; j < nf; j++) {
		fc[j] = bf_reader_col(rd, mi.feat[j]);
		if (fc[j] < 0)
			bf_die(BF_EXIT_DATA,
			    "stdin:1: no column '%s', a feature of model %s (trained on %d features: a different feature set?)",
			    mi.feat[j], mi.id, mi.nfeat);
	}
	tcol = bf_reader_col(rd, "open_time");
	if (tcol < 0)
		tcol = bf_reader_col(rd, "time");
	if (tcol < 0)
		tcol = bf_reader_col(rd, "close_time");
	ccol = bf_reader_col(rd, "close");
	if (ccol < 0)
		bf_die(BF_EXIT_DATA, "stdin:1: missing required column 'close'");

	ncols = mi.kind == KIND_SHORT ? 6 : 6 * mi.nh + 1;
	cols = bf_xcalloc((size_t)ncols, sizeof(char *));
	if (mi.kind == KIND_SHORT) {
		static const char *const sc[] = { "p_up", "p_down",
			"p_neutral", "signal", "confidence", "model_id" };
		for (int k = 0; k < 6; k++)
			cols[k] = bf_strdup(sc[k]);
	} else {
		static const char *const lc[] = { "mu", "sigma", "skew",
			"q10", "q50", "q90" };
		for (int j = 0; j < mi.nh; j++)
			for (int k = 0; k < 6; k++) {
				struct bf_buf b = BF_BUF_INIT;
				bf_buf_printf(&b, "%s_%s", lc[k], mi.hname[j]);
				cols[6 * j + k] = bf_buf_detach(&b, NULL);
			}
		cols[ncols - 1] = bf_strdup("model_id");
	}
	w = bf_writer_new(1, bf_opt_out_format(&co->common,
	    bf_reader_format(rd)), co->common.digits,
	    co->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
	if (bf_writer_start(w, rd, (const char *const *)cols, (size_t)ncols,
	    &err) < 0)
		bf_die_err(&err);
	bf_writer_link(w, rd);

	ring = bf_xcalloc(wn * nf, sizeof(float));
	out = bf_xmalloc((size_t)bf_tnet_n_outputs(&mi.net) * sizeof(float));
	lam = bf_ewma_lambda(mi.vol_hl);
	warm = (size_t)ceil(2 * mi.vol_hl);
	while ((r = bf_reader_next(rd, &err)) > 0) {
		double c, lc, vol, t0 = timing ? now_s() : 0;
		bool all = true, fc_row = false;
		int k = bf_reader_double(rd, ccol, &c, &err);
		if (k < 0)
			break;
		/* The closest two of the first 10 rows must be as far apart
		 * as the model's rows (later ones may have gaps). */
		if (tcol >= 0 && row < 10) {
			int64_t tm;
			int kt = bf_reader_i64(rd, tcol, &tm, &err);
			if (kt < 0)
				break;
			if (kt > 0 && t_prev != INT64_MIN && tm - t_prev < dmin)
				dmin = tm - t_prev;
			if (kt > 0)
				t_prev = tm;
			if (row == 9 && dmin != mi.interval_ms)
				bf_die(BF_EXIT_DATA,
				    "stdin:%ld: rows %lld ms apart, but model %s was trained on rows %lld ms apart",
				    bf_reader_line(rd), (long long)dmin, mi.id,
				    (long long)mi.interval_ms);
		}
		if (k == 0)
			c = NAN;
		lc = c > 0 ? log(c) : NAN;
		if (isfinite(lc) && isfinite(prev)) {
			double ret = lc - prev;
			s2 = isfinite(s2) ? lam * s2 + (1 - lam) * ret * ret :
			    ret * ret;
		}
		if (isfinite(lc))
			prev = lc;
		vol = row >= warm && s2 > 0 ? sqrt(s2) : NAN;
		memmove(ring, ring + nf, (wn - 1) * nf * sizeof(float));
		for (size_t j = 0; j < nf; j++) {
			double v;
			float z;
			k = bf_reader_double(rd, fc[j], &v, &err);
			if (k < 0)
				goto done;
			z = k == 0 ? NAN : (float)((v - mi.mean[j]) / mi.sd[j]);
			ring[(wn - 1) * nf + j] = z;
			if (!isfinite(z))
				all = false;
		}
		run = all ? run + 1 : 0;
		row++;
		if (run >= wn && isfinite(vol)) {
			fc_row = true;
			if (bf_tnet_predict(net, ring, 1, out, &err) < 0)
				bf_die_err(&err);
			if (mi.kind == KIND_SHORT) {
				double p[3], conf;
				int sig;
				short_probs(&mi, out, p);
				sig = short_signal(&mi, p, &conf);
				bf_writer_set_double(w, 0, p[CL_UP]);
				bf_writer_set_double(w, 1, p[CL_DOWN]);
				bf_writer_set_double(w, 2, p[CL_NEUTRAL]);
				bf_writer_set_i64(w, 3, sig);
				bf_writer_set_double(w, 4, conf);
			} else {
				for (int j = 0; j < mi.nh; j++) {
					struct bf_splitnorm d;
					size_t b = 6 * (size_t)j;
					d = long_dist(out, j,
					    vol * sqrt((double)mi.hbars[j]));
					bf_writer_set_double(w, b,
					    bf_sn_mean(&d));
					bf_writer_set_double(w, b + 1,
					    bf_sn_sd(&d));
					bf_writer_set_double(w, b + 2,
					    bf_sn_skew(&d));
					bf_writer_set_double(w, b + 3,
					    bf_sn_quantile(&d, 0.1));
					bf_writer_set_double(w, b + 4,
					    bf_sn_quantile(&d, 0.5));
					bf_writer_set_double(w, b + 5,
					    bf_sn_quantile(&d, 0.9));
				}
			}
			bf_writer_set_text(w, (size_t)ncols - 1, mi.id,
			    strlen(mi.id));
		}
		if (bf_writer_emit(w, rd, &err) < 0)
			break;
		if (timing && fc_row) {
			if (nlat == clat) {
				clat = clat ? 2 * clat : 4096;
				lat = bf_xrealloc(lat, clat * sizeof(double));
			}
			lat[nlat++] = now_s() - t0;
		}
	}
done:
	if (r < 0 || err.code != 0) {
		bf_writer_close(w, NULL);
		bf_die_err(&err);
	}
	if (bf_writer_close(w, &err) < 0)
		bf_die_err(&err);
	if (timing && nlat > 0) {
		qsort(lat, nlat, sizeof(double), cmp_double);
		bf_info("%zu forecasts: latency per row median %.1f us, p99 %.1f us",
		    nlat, lat[nlat / 2] * 1e6,
		    lat[(size_t)(0.99 * (double)(nlat - 1))] * 1e6);
	}
	free(lat);
	for (int k = 0; k < ncols; k++)
		free(cols[k]);
	free(cols);
	free(ring);
	free(out);
	free(fc);
	bf_reader_free(rd);
	bf_tnet_free(net);
	minfo_free(&mi);
	return 0;
}
