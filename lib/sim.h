/* SPDX-License-Identifier: MIT */
/*
 * sim.h - the event-driven backtest engine behind bf-sim(1): bars in,
 * orders filled on an account (account.h), trades and equity out.
 *
 * The rules, in the order they act on bar i (bf-sim(1) says the same):
 *
 *  1. Funding.  The caller settles every funding event whose time is at
 *     or before bar i's open with bf_sim_funding before it passes the
 *     bar, so an event at a bar's open is paid by the position held
 *     before that bar's order fills, and an event inside bar i-1 is
 *     settled after bar i-1's stops and liquidation.
 *  2. The order.  The target of bar i-1 (signed notional / equity) is
 *     turned into a quantity at bar i's open: target x equity / open,
 *     clipped to the leverage setting and the brackets' cap for it,
 *     minus the position, rounded toward zero to the step size.  An
 *     order that would open or add less than the minimum notional is
 *     skipped (reducing orders are exempt, as on the exchange).  A
 *     market order fills at the open moved against the trader by the
 *     slippage and rounded to the tick against the trader, and pays the
 *     taker fee.  A limit order (BF_SIM_LIMIT) rests at bar i-1's
 *     limit_price, else its close, rounded to the tick so as not to
 *     cross; it fills at that price and pays the maker fee only when bar
 *     i trades through it (low < limit for a buy, high > limit for a
 *     sell); unfilled, it is placed again from the next bar.  By default
 *     an order is made only when the target differs from the last one
 *     acted on (BF_SIM_ON_CHANGE); BF_SIM_ALWAYS rebalances every bar.
 *  3. Stops.  Bar i-1's stop_price and take_profit (when present)
 *     become the position's levels once the order filled.  If bar i
 *     opens through a level, it fills at the open.  Otherwise the bar is
 *     taken to move to its adverse extreme first (the low for a long)
 *     and to its favourable extreme after: on the adverse leg the stop
 *     (on last price) and the liquidation (on mark price) trigger, the
 *     one whose level is nearer the open first; on the favourable leg
 *     the take-profit.  Stops and take-profits are market orders: they
 *     fill at the trigger price with slippage against the trader and pay
 *     the taker fee.  Levels are cleared whenever the position is flat.
 *  4. Liquidation.  The liquidation price (account.h, liq.h) is compared
 *     with the bar's mark low (long) or mark high (short) when the data
 *     have them, else with the last-price low or high.  A liquidated
 *     position closes at the liquidation price and pays the clearance
 *     fee.
 *  5. The close.  Unrealized PnL and equity use the bar's mark price
 *     when given, else its close.
 *
 * Slippage, as a fraction of the price: slip_bps / 10000, plus with
 * BF_SLIP_RANGE slip_k x (high - low) / close of bar i-1, or with
 * BF_SLIP_VOLUME slip_k x |order qty| / volume of bar i-1 (nothing when
 * the volume is missing or 0).  Only bar i-1's figures are used, so the
 * cost model sees nothing of the bar being traded.
 *
 * A trade runs from a fill that opens a position to the fill that
 * closes it (a fill through zero closes one trade and opens the next);
 * its PnL is realized PnL less the fees and funding paid while it was
 * open; its reason is that of the closing fill.  A trade still open at
 * bf_sim_finish is closed at the last mark (no fill, no fee) with
 * reason "end".
 *
 * Ownership: the engine borrows cfg.acct.brackets.  It does not
 * allocate, print or exit.
 */
#ifndef BF_SIM_H
#define BF_SIM_H

#include "compat.h"

#include "account.h"
#include "cfg.h"
#include "err.h"
#include "metrics.h"

enum {
	BF_SIM_MARKET = 0,
	BF_SIM_LIMIT = 1
};

enum {
	BF_SLIP_FIXED = 0,
	BF_SLIP_RANGE = 1,
	BF_SLIP_VOLUME = 2
};

enum {
	BF_SIM_ON_CHANGE = 0,
	BF_SIM_ALWAYS = 1
};

/* Why a position was closed (the trade log's reason column). */
enum {
	BF_REASON_SIGNAL = 0,
	BF_REASON_STOP,
	BF_REASON_TAKE_PROFIT,
	BF_REASON_LIQUIDATION,
	BF_REASON_END
};

struct bf_sim_cfg {
	struct bf_account_cfg acct;
	double equity;		/* starting wallet balance */
	int order;		/* BF_SIM_MARKET or BF_SIM_LIMIT */
	int slip_model;		/* BF_SLIP_* */
	double slip_bps;	/* fixed slippage, basis points */
	double slip_k;		/* range or volume coefficient */
	int rebalance;		/* BF_SIM_ON_CHANGE or BF_SIM_ALWAYS */
};

/* The words of the enums above, in their order (options, configuration). */
extern const char *const bf_sim_margin_words[2];	/* cross, isolated */
extern const char *const bf_sim_order_words[2];		/* market, limit */
extern const char *const bf_sim_slip_words[3];	/* fixed, range, volume */
extern const char *const bf_sim_rebalance_words[2];	/* change, always */

/*
 * Fill 's' from the [sim] and [fees] keys of 'cfg' (their defaults when
 * unset; config/bf.conf lists them), as bf-sim and bf-exec's paper mode
 * both do, so the two cannot start from different settings.  Returns 0,
 * or BF_EUSAGE naming the bad key.
 */
int bf_sim_cfg_load(struct bf_sim_cfg *s, const struct bf_cfg *cfg,
    struct bf_err *err);

/* One input row.  NAN marks an absent value. */
struct bf_bar {
	int64_t time;		/* open time, epoch ms */
	double open, high, low, close;
	double volume;		/* base volume */
	double mark;		/* mark price at the close */
	double mark_high, mark_low;
	double target;		/* notional / equity for the next bar */
	double stop;		/* stop price for the next bar's position */
	double take_profit;
	double limit;		/* limit price (BF_SIM_LIMIT) */
};

/* One closed trade (the trade log's row). */
struct bf_trade {
	int64_t entry_time, exit_time;
	int side;		/* +1 long, -1 short */
	double qty;		/* largest |position| during the trade */
	double entry_price;	/* average entry */
	double exit_price;	/* average exit */
	double pnl;		/* realized - fees - funding */
	double fees;
	double funding;
	int reason;		/* BF_REASON_* */
};

typedef int (*bf_sim_trade_fn)(void *ctx, const struct bf_trade *t);

/*
 * One fill as the engine made it, for callers that report orders
 * (bf-exec's paper mode): the bar's open time, why (BF_REASON_*: signal,
 * stop, take_profit, liquidation), the order type of a signal fill
 * (BF_SIM_MARKET or BF_SIM_LIMIT; stops, take-profits and liquidations
 * are market-type), and the account's description of the fill.
 */
struct bf_sim_fill {
	int64_t time;
	int reason;
	int order;
	struct bf_fill f;
};

typedef int (*bf_sim_fill_fn)(void *ctx, const struct bf_sim_fill *f);

struct bf_sim {
	struct bf_sim_cfg cfg;
	struct bf_account acct;
	struct bf_metrics metrics;
	/* The previous bar: its signal is executed on the current one. */
	bool have_prev;
	struct bf_bar prev;
	bool acted;		/* some target was acted on */
	double acted_target;	/* the last target acted on */
	double stop, take_profit; /* active levels, NAN when none */
	/* The open trade. */
	bool in_trade;
	struct bf_trade cur;
	double cur_realized;
	double cur_exit_qty, cur_exit_notional;
	/* Results of the last bar. */
	double equity;		/* at the close */
	double upnl;
	double peak;		/* highest equity so far */
	double drawdown;	/* equity / peak - 1 */
	double last_mark;	/* mark (or close) of the last bar */
	int64_t last_time;
	int64_t first_time;
	bool clipped;		/* the last bar's order was clipped */
	/* The liquidation price, cached for the state it was computed on. */
	double lp, lp_qty, lp_entry, lp_wb;
	/* Counters. */
	long bars, bars_exposed;
	long orders, skipped, clips, stops, take_profits, unfilled;
	bf_sim_trade_fn on_trade;	/* called for each closed trade */
	void *ctx;
	/* Called for each fill; set after bf_sim_init (NULL: none). */
	bf_sim_fill_fn on_fill;
	void *fill_ctx;
};

/* Start the engine with 'cfg' (copied). 'on_trade' may be NULL. */
void bf_sim_init(struct bf_sim *s, const struct bf_sim_cfg *cfg,
    bf_sim_trade_fn on_trade, void *ctx);

/*
 * Settle a funding event of rate 'rate' at mark 'mark' (NAN: the last
 * bar's mark, else 'open', the open of the bar about to be passed).
 * Returns the amount paid (negative: received).
 */
double bf_sim_funding(struct bf_sim *s, double rate, double mark,
    double open);

/*
 * Pass bar 'b' through rules 2 to 5.  Returns 0, or the first non-zero
 * value an on_trade callback returned.
 */
int bf_sim_bar(struct bf_sim *s, const struct bf_bar *b);

/*
 * Close the books: an open trade is reported with reason "end".
 * Returns 0 or the callback's non-zero value.
 */
int bf_sim_finish(struct bf_sim *s);

/*
 * The liquidation price of the position now (0 when flat or when no
 * price liquidates it), computed again only when the position or the
 * balance behind it changed.
 */
double bf_sim_liq_price(struct bf_sim *s);

/* The name of a BF_REASON_* value ("signal", "stop", ...). */
const char *bf_sim_reason_name(int reason);

#endif /* BF_SIM_H */
