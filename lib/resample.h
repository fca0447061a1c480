/* SPDX-License-Identifier: MIT */
/*
 * resample.h - aggregate finer klines into coarser ones (1m -> 1h).
 *
 * Coarse candles open where the exchange opens them (bf_interval_align:
 * multiples of the length since the epoch, Mondays for 1w, the first of
 * the month for 1M).  Fine klines are fed in time order; a coarse kline
 * is handed out only when it is complete: when its last fine kline has
 * arrived (the fine kline's end reaches the coarse close), or when a
 * fine kline of a later candle arrives (the time has passed; a gap in
 * the input then leaves that candle with the fine klines it had).  A
 * candle the input enters in the middle (the first one) is dropped,
 * and the candle still open at the end of input is never handed out.
 *
 * open, high, low and close keep the exact input text; volume,
 * quote_volume, trades, taker_buy_volume and taker_buy_quote_volume are
 * sums, NaN when any fine kline lacks the value.
 *
 * Ownership: plain values; nothing to free.
 */
#ifndef BF_RESAMPLE_H
#define BF_RESAMPLE_H

#include "compat.h"
#include "bftime.h"
#include "err.h"

#define BF_RS_TEXT 64

/* A price: its value and its exact text. */
struct bf_rs_price {
	double v;
	char s[BF_RS_TEXT];
	uint32_t len;
};

enum {
	BF_RS_OPEN, BF_RS_HIGH, BF_RS_LOW, BF_RS_CLOSE
};

enum {
	BF_RS_VOLUME, BF_RS_QUOTE_VOLUME, BF_RS_TRADES, BF_RS_TAKER_BUY,
	BF_RS_TAKER_BUY_QUOTE, BF_RS_NSUM
};

/* A kline, fine (input) or coarse (output). */
struct bf_rs_bar {
	int64_t open_time;
	int64_t close_time;	/* input: INT64_MIN when unknown */
	struct bf_rs_price px[4];	/* BF_RS_OPEN.. */
	double sum[BF_RS_NSUM];		/* BF_RS_VOLUME..; NaN missing */
};

struct bf_resample {
	struct bf_interval iv;	/* the coarse interval */
	int64_t fine_ms;	/* the fine interval, 0 while unknown */
	bool active;		/* a candle is being built */
	bool first;		/* no candle started yet */
	bool drop;		/* the current candle is incomplete at start */
	int64_t end;		/* the current candle's next open */
	struct bf_rs_bar cur;
};

/* Start resampling into 'iv'. */
void bf_resample_init(struct bf_resample *rs, const struct bf_interval *iv);

/* Set the fine interval's length once known (for completion). */
void bf_resample_set_fine(struct bf_resample *rs, int64_t ms);

/*
 * Feed fine kline 'in' (open_time after the previous one's).  Writes the
 * candles it completes to 'out' and returns their number (0, 1 or 2).
 */
int bf_resample_push(struct bf_resample *rs, const struct bf_rs_bar *in,
    struct bf_rs_bar out[2]);

#endif /* BF_RESAMPLE_H */
