/* SPDX-License-Identifier: MIT */
/*
 * feature.h - the feature set of bf-features: a registry of indicators
 * and the per-row update that computes them.
 *
 * An indicator ("rsi", "macd", "bb", ...) has parameters and produces
 * one or more columns ("rsi_14"; "macd", "macd_signal", "macd_hist").
 * A feature set is a list of indicator instances, the default one or one
 * given as a selection such as "rsi:7,rsi:14,ema:50,bb:20:2.5".  Every
 * instance is an O(1)-per-row state machine built on ta.h (CCI's mean
 * deviation is O(period) per row: it has no incremental form), fed one
 * kline at a time in time order.  There is no batch path: history and a
 * live stream go through the same bf_feature_update, so a row's values
 * never depend on a later row.
 *
 * A column's warm-up is the 0-based index of the first row where it has
 * a value (TA-Lib's lookback); before it, and wherever a value is
 * undefined, the column holds NaN, which the writer prints as a missing
 * value.  The derivative columns (funding, open interest) come from
 * side files joined as of the row's close time; their warm-up depends
 * on the data, not on a row count.
 *
 * Ownership: a bf_features owns its instances, its column names and the
 * side-file readers it opened; bf_feature_free releases them all.
 */
#ifndef BF_FEATURE_H
#define BF_FEATURE_H

#include "compat.h"
#include "err.h"

struct bf_writer;

/* One kline, as the feature update sees it. */
struct bf_feat_bar {
	int64_t open_time;
	int64_t close_time;	/* the time the row is known; INT64_MIN if not */
	double open, high, low, close, volume;
	double taker_buy_volume; /* NaN when missing */
};

struct bf_feat_opts {
	bool have_taker;	/* the input has a taker_buy_volume column */
	const char *funding;	/* funding file (path), or NULL */
	const char *oi;		/* open interest file (path), or NULL */
};

struct bf_feature;

/*
 * Build a feature set.  'only' is a selection ("rsi:7,ema:50", NULL for
 * the default set).  A bad selection is BF_EUSAGE; a side file that
 * cannot be opened is BF_EFAIL, one without its required columns
 * BF_EDATA.  Returns NULL with 'err' filled on failure.
 */
struct bf_feature *bf_feature_new(const char *only,
    const struct bf_feat_opts *opts, struct bf_err *err);

void bf_feature_free(struct bf_feature *f);

/*
 * Check selection 'only' (NULL: the default set) without an input: its
 * syntax, parameters, and the side files it needs.  Returns 0 or
 * BF_EUSAGE.
 */
int bf_feature_check(const char *only, const struct bf_feat_opts *opts,
    struct bf_err *err);

/* The number of output columns, and column 'k's name (owned by 'f'). */
size_t bf_feature_ncols(const struct bf_feature *f);
const char *bf_feature_colname(const struct bf_feature *f, size_t k);

/* Column 'k's warm-up row (0-based), or -1 when it depends on the data. */
long bf_feature_warmup(const struct bf_feature *f, size_t k);

/* The largest row-count warm-up of all columns. */
long bf_feature_max_warmup(const struct bf_feature *f);

/*
 * The number of bars in a year, for annualized volatilities (365 days of
 * 24 hours over the bar length; 12 for monthly bars).  Until it is set
 * (NaN), the volatility columns are missing.
 */
void bf_feature_set_bars_per_year(struct bf_feature *f, double n);

/*
 * Compute the features of the next bar 'b' into 'out' (ncols values,
 * NaN for missing), first reading the side files up to b->close_time.
 * Returns 0, or BF_EDATA / BF_EFAIL when a side file is bad ('err'
 * names its line).
 */
int bf_feature_update(struct bf_feature *f, const struct bf_feat_bar *b,
    double *out, struct bf_err *err);

/* Set the writer's tool columns 'k0'.. from 'out' (bf_writer_set_double). */
void bf_feature_write(const struct bf_feature *f, const double *out,
    struct bf_writer *w, size_t k0);

/*
 * Write the documentation of every column of selection 'only' (NULL: the
 * default set plus the derivative columns) for --list, one record per
 * column with the columns bf_feature_list_cols, to writer 'w', which it
 * starts.  A bad selection is BF_EUSAGE, before anything is written.
 */
extern const char *const bf_feature_list_cols[];
#define BF_FEATURE_LIST_NCOLS 7
int bf_feature_list(struct bf_writer *w, const char *only,
    struct bf_err *err);

#endif /* BF_FEATURE_H */
