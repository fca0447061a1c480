/* SPDX-License-Identifier: MIT */
/*
 * bf_torch.h - the C API over libtorch (the only C++ in bf is behind it).
 *
 * A struct bf_tnet is one network with its optimizer: a short-term
 * Transformer classifier, a long-term TFT-style distributional forecaster,
 * or a linear model (the logistic-regression / linear baseline), each with
 * either a 3-class head (cross-entropy) or a split-normal head per horizon
 * (negative log-likelihood), chosen by struct bf_tnet_cfg.
 *
 * Data cross the boundary as float arrays, row-major:
 *  - inputs x[B][T][F]: B samples, T = cfg.window time steps (oldest
 *    first), F = cfg.n_features already-normalized features;
 *  - targets y[B][n_targets]: the class index (0, 1, 2) as a float for a
 *    classifier (n_targets 1), or one vol-scaled value per horizon for the
 *    split-normal head (n_targets = n_horizons);
 *  - outputs out[B][n_outputs]: 3 logits, or per horizon the split normal's
 *    mode m, ln sigma1 (left) and ln sigma2 (right), in that order.
 *
 * Every function is extern "C", catches every C++ exception inside and
 * reports it in the caller's struct bf_err (BF_EFAIL, or BF_EUSAGE for a
 * bad configuration or argument, BF_EDATA for weights that do not fit the
 * network); none crosses into C.  Libtorch runs with 1 intra-op thread
 * unless bf_torch_set_threads says otherwise.  With a fixed seed and a
 * fixed thread count and BLAS kernel, training and outputs are
 * bit-for-bit reproducible.
 *
 * Ownership: arrays passed in are borrowed for the call; a network is
 * owned by its creator and freed with bf_tnet_free; the buffer returned by
 * bf_tnet_save is the caller's to free().
 */
#ifndef BF_TORCH_H
#define BF_TORCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	BF_TNET_SHORT = 1,	/* patch embedding + Transformer encoder */
	BF_TNET_LONG = 2,	/* variable selection, LSTM, attention, GRNs */
	BF_TNET_LINEAR = 3	/* last step + window mean -> linear */
};

enum {
	BF_THEAD_CLASS = 1,	/* 3 logits, cross-entropy */
	BF_THEAD_SPLITNORM = 2	/* (m, ln s1, ln s2) per horizon, NLL */
};

#define BF_TNET_MAX_HORIZONS 8

struct bf_tnet_cfg {
	int arch;		/* BF_TNET_* */
	int head;		/* BF_THEAD_* */
	int window;		/* T, time steps per sample */
	int n_features;		/* F */
	int n_horizons;		/* split-normal head: 1 to 8 */
	int patch;		/* time steps per token (divides window) */
	int d_model;		/* width */
	int n_heads;		/* attention heads (divide d_model) */
	int n_layers;		/* encoder layers (short) */
	int d_ff;		/* feed-forward width (short) */
	double dropout;		/* 0 <= dropout < 1 */
	double lr;		/* AdamW learning rate */
	double weight_decay;	/* AdamW weight decay */
	double clip;		/* gradient-norm clip, 0: none */
	double skew_penalty;	/* L2 on ln(s2/s1), split-normal head */
	uint64_t seed;		/* initial weights and dropout */
};

struct bf_tnet;

/* Use 'n' (>= 1) intra-op threads in this process. */
int bf_torch_set_threads(int n, struct bf_err *err);

/* The number of floats per output row for 'cfg' (3 or 3 * n_horizons). */
int bf_tnet_n_outputs(const struct bf_tnet_cfg *cfg);

/* The number of floats per target row for 'cfg' (1 or n_horizons). */
int bf_tnet_n_targets(const struct bf_tnet_cfg *cfg);

/*
 * Check 'cfg' and build a network with weights drawn from cfg->seed.
 * Returns NULL with 'err' filled (BF_EUSAGE for a bad configuration).
 */
struct bf_tnet *bf_tnet_new(const struct bf_tnet_cfg *cfg, struct bf_err *err);

/* Free 'net' (NULL: no-op). */
void bf_tnet_free(struct bf_tnet *net);

/* The number of trainable parameters. */
long bf_tnet_n_params(const struct bf_tnet *net);

/*
 * One optimizer step on the batch ('b' samples of x and y).  Stores the
 * batch's mean loss in '*loss'.  Returns 0 or a negative BF_E* code.
 */
int bf_tnet_train_step(struct bf_tnet *net, const float *x, const float *y,
    int b, double *loss, struct bf_err *err);

/*
 * The summed loss of 'b' samples in evaluation mode (no dropout, no
 * gradient), added to '*sum'.  Returns 0 or a negative code.
 */
int bf_tnet_loss(struct bf_tnet *net, const float *x, const float *y, int b,
    double *sum, struct bf_err *err);

/*
 * Forward 'b' samples in evaluation mode; writes b * n_outputs floats to
 * 'out'.  Returns 0 or a negative code.
 */
int bf_tnet_predict(struct bf_tnet *net, const float *x, int b, float *out,
    struct bf_err *err);

/*
 * Serialize the weights (a libtorch archive of named tensors).  Stores a
 * malloc'ed buffer in '*buf' (the caller frees it) and its size in '*len'.
 */
int bf_tnet_save(struct bf_tnet *net, char **buf, size_t *len,
    struct bf_err *err);

/*
 * Load weights saved by bf_tnet_save into 'net', which must have the same
 * configuration: every tensor is checked by name and shape, and a missing
 * or misshapen one is BF_EDATA with the name; a corrupt buffer is BF_EDATA.
 * 'net' is unchanged on error.
 */
int bf_tnet_load(struct bf_tnet *net, const void *buf, size_t len,
    struct bf_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BF_TORCH_H */
