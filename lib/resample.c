/* SPDX-License-Identifier: MIT */
/*
 * resample.c - finer klines into coarser ones.  See resample.h.
 */
#include "compat.h"

#include <math.h>

#include "resample.h"

/* Start resampling into 'iv'. */
void
bf_resample_init(struct bf_resample *rs, const struct bf_interval *iv)
{
	memset(rs, 0, sizeof(*rs));
	rs->iv = *iv;
	rs->first = true;
}

/* Set the fine interval's length. */
void
bf_resample_set_fine(struct bf_resample *rs, int64_t ms)
{
	rs->fine_ms = ms;
}

/* Hand out the current candle into 'out' unless it is to be dropped. */
static int
finish(struct bf_resample *rs, struct bf_rs_bar *out)
{
	rs->active = false;
	if (rs->drop)
		return 0;
	*out = rs->cur;
	out->close_time = rs->end - 1;
	return 1;
}

/* Feed one fine kline; hand out the candles it completes. */
int
bf_resample_push(struct bf_resample *rs, const struct bf_rs_bar *in,
    struct bf_rs_bar out[2])
{
	int64_t open = bf_interval_align(&rs->iv, in->open_time), end;
	struct bf_rs_bar *c = &rs->cur;
	int n = 0;

	if (rs->active && open != c->open_time)
		n += finish(rs, &out[n]);
	if (!rs->active) {
		*c = *in;
		c->open_time = open;
		rs->end = bf_interval_next(&rs->iv, open);
		rs->drop = rs->first && in->open_time != open;
		rs->first = false;
		rs->active = true;
	} else {
		if (in->px[BF_RS_HIGH].v > c->px[BF_RS_HIGH].v)
			c->px[BF_RS_HIGH] = in->px[BF_RS_HIGH];
		if (in->px[BF_RS_LOW].v < c->px[BF_RS_LOW].v)
			c->px[BF_RS_LOW] = in->px[BF_RS_LOW];
		c->px[BF_RS_CLOSE] = in->px[BF_RS_CLOSE];
		for (int i = 0; i < BF_RS_NSUM; i++)
			c->sum[i] += in->sum[i];
	}
	if (in->close_time != INT64_MIN)
		end = in->close_time + 1;
	else if (rs->fine_ms > 0)
		end = in->open_time + rs->fine_ms;
	else
		end = INT64_MIN;
	if (end != INT64_MIN && end >= rs->end)
		n += finish(rs, &out[n]);
	return n;
}
