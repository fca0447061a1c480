/* SPDX-License-Identifier: MIT */
/*
 * barin.h - reading target rows into engine bars (sim.h): the columns
 * bf-sim(1) reads, found by name, each row checked.
 *
 * Required: open_time (or time), open, high, low, close, target.
 * Optional: volume, mark_price, mark_high, mark_low, stop_price,
 * take_profit, limit_price, funding_time and funding_rate.  An empty cell is NAN (a missing target
 * makes no order).  A row is refused (BF_EDATA, "NAME:LINE: what") when
 * a required value is missing, a price is not positive, open or close
 * lie outside [low, high], or its time is not after the previous row's.
 */
#ifndef BF_BARIN_H
#define BF_BARIN_H

#include "compat.h"

#include "err.h"
#include "rec.h"
#include "sim.h"

/* Column indexes, -1 when absent. */
struct bf_barin {
	int time, open, high, low, close, target;
	int volume, mark, mark_high, mark_low, stop, take_profit, limit;
	int funding_time, funding_rate;
	bool have_prev;
	int64_t prev_time;
};

/* Find the columns of 'rd'.  Returns 0 or BF_EDATA. */
int bf_barin_init(struct bf_barin *bi, const struct bf_reader *rd,
    struct bf_err *err);

/* Read the current record of 'rd' into 'b'.  Returns 0 or BF_EDATA. */
int bf_barin_read(struct bf_barin *bi, const struct bf_reader *rd,
    struct bf_bar *b, struct bf_err *err);

/*
 * The current record's funding_time and funding_rate (bf-sim(1)'s row
 * funding columns).  Returns 1 when both are present, 0 when either is
 * absent or empty, or BF_EDATA.
 */
int bf_barin_funding(const struct bf_barin *bi, const struct bf_reader *rd,
    int64_t *time, double *rate, struct bf_err *err);

#endif /* BF_BARIN_H */
