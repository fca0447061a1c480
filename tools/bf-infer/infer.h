/* SPDX-License-Identifier: MIT */
/*
 * infer.h - shared declarations of bf-infer's files (not a library API).
 *
 *   main.c   options, configuration, subcommand dispatch, BLAS setup
 *   data.c   reading a feature stream into memory, feature selection,
 *            normalization, volatility, targets and sample windows
 *   model.c  the model description (struct minfo) and its file
 *   train.c  the training loop (early stopping, temperature scaling)
 *   run.c    the stream filter
 *   eval.c   out-of-sample scoring against the baselines
 *
 * Ownership: a struct table owns all its arrays; a struct minfo owns its
 * feature names and statistics; free them with table_free / minfo_free.
 */
#ifndef BF_INFER_H
#define BF_INFER_H

#include "bf.h"
#include "bf_torch.h"
#include "dist.h"
#include "fcst.h"
#include "mfile.h"

enum { KIND_SHORT = 1, KIND_LONG = 2 };

/* Class indexes of the short model. */
enum { CL_DOWN = 0, CL_NEUTRAL = 1, CL_UP = 2 };

#define MAX_H BF_TNET_MAX_HORIZONS

/* Everything a model file holds besides the weights. */
struct minfo {
	int kind;			/* KIND_* */
	struct bf_tnet_cfg net;		/* architecture, knobs */
	int nfeat;
	char **feat;			/* owned: feature column names */
	double *mean, *sd;		/* owned: normalization */
	int64_t interval_ms;		/* bar length */
	int nh;				/* horizons (short: 1) */
	int hbars[MAX_H];		/* horizon in bars */
	char hname[MAX_H][16];		/* "1d", "15m" */
	double vol_hl;			/* EWMA vol half-life, bars */
	double band_k, cost;		/* short: neutral band */
	double temperature;		/* short: calibration */
	double min_conf;		/* short: signal threshold */
	int64_t train_start, train_end;	/* first, last row's time */
	long n_train, n_val;		/* samples */
	double best_val;		/* validation loss kept */
	char id[40];			/* "short-1a2b3c4d" */
};

void minfo_free(struct minfo *mi);

/* Write 'mi' and the weights of 'net' to 'path' (sets mi->id). */
int model_save(struct minfo *mi, struct bf_tnet *net, const char *path,
    struct bf_err *err);

/* Read a model file into 'mi' and a ready network '*net'. */
int model_load(const char *path, struct minfo *mi, struct bf_tnet **net,
    struct bf_err *err);

/* A whole stream in memory, as doubles, one array per column. */
struct table {
	size_t n;			/* rows */
	size_t ncols;
	char **name;			/* owned, ncols */
	double **col;		/* owned: ncols arrays of n, NAN missing */
	bool *numeric;		/* the first non-empty cell is a number */
	long *badline;		/* first line with text in a numeric
				 * column, 0 if none */
	char *badname;			/* owned: the reader's name, "stdin" */
	int tcol;			/* time column index, -1 if none */
	int ccol, ocol;			/* close, open; -1 if absent */
	long *line;			/* owned: input line of each row */
};

/* Read every record of 'rd' (started) into 't'.  Returns 0 or BF_E*. */
int table_read(struct bf_reader *rd, struct table *t, struct bf_err *err);
void table_free(struct table *t);

/* The index of column 'name' in 't', or -1. */
int table_col(const struct table *t, const char *name);

/*
 * Choose the features: 'list' (comma-separated names) or, when NULL or
 * empty, every numeric column that is not a time, raw kline or bf-infer
 * output column.  Fills mi->nfeat and mi->feat.
 */
int select_features(const struct table *t, const char *list,
    struct minfo *mi, struct bf_err *err);

/* The bar length: the median spacing of the time column. */
int detect_interval(const struct table *t, int64_t *ms, struct bf_err *err);

/*
 * Derived series for a table and a model: the normalized feature matrix
 * z[n][F] (NAN where missing), the EWMA 1-bar volatility, the targets and
 * which rows can be a sample's last row.
 */
struct series {
	size_t n;
	int nfeat;
	float *z;		/* owned, n * nfeat */
	double *vol;		/* owned: EWMA sd of 1-bar log returns */
	double *logc;		/* owned: ln close */
	unsigned char *inok;	/* owned: window ending at t is complete */
	float *y;		/* owned: targets, n * ntgt (NAN: unknown) */
	double *ret;		/* owned: raw target returns, n * nh */
	int ntgt;
};

/* Fit the normalization of 'mi' on rows [lo, hi) of 't'. */
void fit_norm(const struct table *t, size_t lo, size_t hi, struct minfo *mi);

/* Build the series of 't' for 'mi'.  Returns 0 or BF_EDATA (a feature
 * column missing from 't', or no close column). */
int series_build(const struct table *t, const struct minfo *mi,
    struct series *s, struct bf_err *err);
void series_free(struct series *s);

/* True when row 't' ends a full window with a known target. */
bool sample_ok(const struct series *s, const struct minfo *mi, size_t t);

/*
 * The sample rows t in [lo, hi) at 'stride' (counted from the first
 * candidate) whose window starts at or after 'lo' and, when 'inside', whose
 * targets are realized before 'hi'; every target must be known.  Returns
 * a malloc'ed array and its length in '*n'.
 */
size_t *collect_samples(const struct series *s, const struct minfo *mi,
    size_t lo, size_t hi, size_t stride, bool inside, size_t *n);

/* Copy the window ending at row 't' into 'x' (window * nfeat floats). */
void sample_x(const struct series *s, const struct minfo *mi, size_t t,
    float *x);

/* Training options that are not part of the model file. */
struct topts {
	int epochs, batch, patience, stride;
	double val_frac;
	bool quiet;
	const char *what;	/* "model", "logreg": for progress lines */
};

/*
 * Train 'net' on the samples 'idx' (n of them, time-ordered): the last
 * val_frac (after a purge gap of the longest horizon) is the validation
 * slice for early stopping; the best weights are kept.  For classifiers
 * the temperature is fitted on the validation slice.  Stores counts and
 * the best loss in 'mi'.  Returns 0 or a negative code.
 */
int train_net(struct bf_tnet *net, struct minfo *mi, const struct series *s,
    const size_t *idx, size_t n, const struct topts *o, struct bf_err *err);

/* Outputs of 'net' for the samples 'idx' (n * n_outputs floats). */
int predict_all(struct bf_tnet *net, const struct minfo *mi,
    const struct series *s, const size_t *idx, size_t n, float *out,
    struct bf_err *err);

/* The short model's label of a raw return and band. */
int short_label(double r, double band);

/* Split-normal parameters of horizon 'h' from a long model's output row,
 * rescaled from vol units to returns by 'scale'. */
struct bf_splitnorm long_dist(const float *o, int h, double scale);

/* Probabilities (up, down, neutral order is the caller's) of a short
 * model's logits with the model's temperature. */
void short_probs(const struct minfo *mi, const float *logit, double p[3]);

/* The signal (-1, 0, 1) and confidence of probabilities 'p'. */
int short_signal(const struct minfo *mi, const double p[3], double *conf);

/* The command line: NULL / -1 / NAN mean "not given". */
struct cmdopts {
	struct bf_common common;
	struct bf_cfg *cfg;
	const char *model;		/* --model short|long */
	const char *out;		/* --out */
	const char *model_file;		/* --model-file */
	const char *features;		/* --features */
	const char *horizons;		/* --horizons */
	const char *arch;		/* --arch */
	const char *train_start, *train_end;	/* --train-start/-end */
	const char *start, *end;	/* --start/--end (eval) */
	const char *scores;		/* --scores (eval) */
	long long epochs, seed, window, stride, batch, d_model, layers;
	long long heads, patch, patience, threads;
	double lr, dropout, val_frac, band_k, cost, min_conf, vol_hl;
};

int cmd_train(struct cmdopts *co);
/* The rows [lo, hi) of 't' with times in [start, end] (option text, NULL:
 * from 'dstart' / to the end). */
int row_range(const struct table *t, const char *start, const char *end,
    int64_t dstart, size_t *lo, size_t *hi, struct bf_err *err);
int cmd_run(struct cmdopts *co);
int cmd_eval(struct cmdopts *co);

/* Settings shared by train and eval (read from [model] and flags). */
int cfg_threads(struct cmdopts *co, int flag, struct bf_err *err);

/* Elapsed seconds on the monotonic clock. */
double now_s(void);

#endif /* BF_INFER_H */
