/* SPDX-License-Identifier: MIT */
/*
 * paper.h - bf-exec's paper trading: the backtest engine (sim.h) run one
 * bar at a time as bars arrive, its fills reported as order events,
 * behind the same guards as live trading (bf-exec(1)).
 *
 * Fills are bf-sim's by construction: each bar goes through bf_sim_bar
 * with the same configuration, so the target of row t is sized with
 * bf_account_order_qty and filled at row t+1's open plus slippage; stops,
 * take-profits and liquidations act inside the bar as bf-sim(1)
 * describes.  Each fill becomes one order event (FILLED, its quantity,
 * price and fee).
 *
 * The guards act on the order about to be made at a bar's open, that
 * is on the previous row's target, before the engine sees the bar:
 *
 *  - kill switch: once 'kill' is passed for a bar, the target becomes 0
 *    (the position is closed at that bar's open, reason "kill_switch")
 *    and stays 0 for good; the caller stops after that bar.
 *  - max daily loss R: when the equity at a bar's close is at or below
 *    (1 - R) x the equity at the start of its UTC day (the previous
 *    day's last close; the starting balance on the first day), trading
 *    halts: the next bar's open closes the position (reason
 *    "max_daily_loss") and targets are held at 0 until the first bar of
 *    the next UTC day.
 *  - max notional N: |target| is capped at N / equity at the open, so
 *    the position's notional at the open is at most N (the fill price
 *    adds slippage and the tick rounding).  When
 *    rebalancing on change, a row whose target equals the one last
 *    passed on makes no order (its capped value moves with the equity).
 *  - max orders per day K: after K orders in a UTC day, a changed target
 *    is not acted on until the next day (the position is held).
 *
 * Client order ids are "bf" + the run id + "-" + the bar's open time +
 * "-" + the fill's number within the bar: deterministic, so a replay
 * produces the same ids.  Order ids count from 1 across the run.
 *
 * Ownership: the engine borrows cfg.sim.acct.brackets and cfg.symbol.
 * It does not allocate, print or exit.
 */
#ifndef BF_PAPER_H
#define BF_PAPER_H

#include "compat.h"

#include "err.h"
#include "sim.h"

#define BF_PAPER_MAXEV 8	/* fills one bar can make (order, stop, liq) */
#define BF_COID_MAX 37		/* clientOrderId: 36 characters and NUL */

struct bf_paper_cfg {
	struct bf_sim_cfg sim;
	const char *symbol;
	double max_daily_loss;	/* fraction of start-of-day equity, 0: none */
	double max_notional;	/* |position notional| cap, 0: none */
	long max_orders_day;	/* orders per UTC day, 0: none */
};

/* One order event (bf(7), order event). */
struct bf_order_ev {
	int64_t time;		/* the fill's bar open time */
	char client_order_id[BF_COID_MAX];
	int64_t order_id;
	int side;		/* +1 BUY, -1 SELL */
	const char *type;	/* MARKET, LIMIT, STOP_MARKET, ... */
	double qty;		/* ordered, > 0 */
	double price;		/* limit or trigger price, NAN for market */
	const char *status;	/* FILLED */
	double filled_qty;
	double avg_price;
	double fee;
	const char *reason;	/* signal, stop, take_profit, liquidation,
				   kill_switch, max_daily_loss */
};

/* Halt reasons (bit set). */
enum {
	BF_HALT_KILL = 1 << 0,
	BF_HALT_DAILY = 1 << 1
};

struct bf_paper {
	struct bf_paper_cfg cfg;
	struct bf_sim sim;
	char run_id[17];
	int64_t next_order_id;
	/* Guards. */
	int64_t day;		/* UTC day of the last bar, INT64_MIN: none */
	double day_equity;	/* equity at the start of that day */
	long day_orders;	/* orders made in that day */
	int halt;		/* BF_HALT_* */
	int tripped;		/* BF_HALT_* bits set by the last bar */
	bool flatten;		/* the daily loss tripped: close at the next open */
	const char *override;	/* reason of the pending order's fills */
	bool have_raw;		/* last_raw holds the row target last passed */
	double last_raw;
	long held;		/* targets not acted on (order limit) */
	long capped;		/* targets capped by max_notional */
	/* Funding from the rows' columns. */
	bool fund_pending;
	int64_t fund_time;
	double fund_rate;
	int64_t fund_last;	/* the last funding_time seen */
	/* The events of the last bar. */
	struct bf_order_ev ev[BF_PAPER_MAXEV];
	size_t nev;
	/* Totals. */
	long bars, orders, fills;
	double last_close;
};

/*
 * Start a paper account with 'cfg' (copied) and run id 'run_id' (at
 * most 16 characters of [A-Za-z0-9], copied).
 */
void bf_paper_init(struct bf_paper *p, const struct bf_paper_cfg *cfg,
    const char *run_id);

/*
 * Pass bar 'b' (its target is the order for the next bar), with the
 * kill switch on when 'kill'.  The bar's events are in p->ev[0 ..
 * p->nev).  Returns 0, or BF_EFAIL if a bar makes more fills than
 * BF_PAPER_MAXEV (which the engine's rules never do).
 */
int bf_paper_bar(struct bf_paper *p, const struct bf_bar *b, bool kill,
    struct bf_err *err);

/*
 * Funding announced in bar 'b''s own columns (bf-sim(1)'s rule): call
 * before bf_paper_bar(b).  A pending event whose time is at or before
 * b's open is settled (at the last mark, else b's open); then a new
 * funding_time 'ft' ('have': the row has both columns) becomes the
 * pending event with rate 'fr', settled at once when it is not after
 * b's open, and the same time again updates the pending rate.
 */
void bf_paper_funding(struct bf_paper *p, const struct bf_bar *b, bool have,
    int64_t ft, double fr);

/* Equity at the last close. */
double bf_paper_equity(const struct bf_paper *p);

/* "BUY" or "SELL". */
const char *bf_paper_side_name(int side);

#endif /* BF_PAPER_H */
