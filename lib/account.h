/* SPDX-License-Identifier: MIT */
/*
 * account.h - a USD-M futures account holding one position: the engine
 * bf-sim backtests with and bf-exec's paper mode trades with, so paper
 * trading and backtest cannot disagree (binance-usdm.md §11).
 *
 * Data model.  All amounts are USDT, quantities base units (BTC):
 *
 *	wallet      wallet balance: starting equity + realized PnL - fees
 *	            - funding.  In isolated mode it includes the position's
 *	            isolated margin (iso_margin), as Binance's totalWallet.
 *	qty         the position, signed (+ long, - short), 0 when flat
 *	entry       average entry price of the position (0 when flat):
 *	            increasing a position averages the prices by quantity;
 *	            reducing it keeps the entry and realizes
 *	            (exit - entry) x closed qty; a fill through zero closes
 *	            the whole position and opens the rest at the fill price
 *	iso_margin  isolated mode: the position's margin, notional/leverage
 *	            of every opening fill, less the share released by every
 *	            reducing fill, less funding paid; 0 in cross mode
 *	upnl(mark)  qty x (mark - entry)
 *	equity      wallet + upnl(mark) (Binance's margin balance)
 *
 * Fees: fill price x |fill qty| x rate, maker or taker by order type
 * (the caller passes the rate), booked to 'fees' and out of the wallet.
 * Funding: position qty x mark x rate at each settlement, paid by longs
 * when the rate is positive and by shorts when it is negative (the
 * amount is then negative for longs: they receive it).
 * Maintenance margin: the bracket of the notional |qty| x mark, MM =
 * notional x MMR - cum (brackets.h).  Liquidation: when equity (cross)
 * or iso_margin + upnl (isolated) falls to MM; bf_account_liq_price
 * gives the mark at which that happens, bf_account_liquidate closes the
 * position there and charges the liquidation clearance fee.
 *
 * The account trades one symbol: cross margin therefore has no other
 * positions whose margin or PnL would enter the liquidation price
 * (TMM1 = UPNL1 = 0 in the FAQ's formula).
 *
 * Ownership: the account borrows its brackets (cfg.brackets), which must
 * outlive it.  Nothing here allocates, prints or exits.
 */
#ifndef BF_ACCOUNT_H
#define BF_ACCOUNT_H

#include "compat.h"
#include "err.h"

struct bf_brackets;

enum {
	BF_MARGIN_CROSS = 0,
	BF_MARGIN_ISOLATED = 1
};

/* What the account needs to know about the contract and the user. */
struct bf_account_cfg {
	int margin;		/* BF_MARGIN_* */
	double leverage;	/* leverage setting: max notional / equity */
	double fee_maker;	/* rate, 0.0002 = 0.02 % */
	double fee_taker;	/* rate */
	double fee_liq;		/* liquidation clearance fee rate */
	double step;		/* quantity step (LOT_SIZE), 0: none */
	double tick;		/* price tick (PRICE_FILTER), 0: none */
	double min_notional;	/* MIN_NOTIONAL, 0: none */
	const struct bf_brackets *brackets; /* borrowed; NULL: no liquidation */
};

struct bf_account {
	struct bf_account_cfg cfg;
	double wallet;		/* wallet balance */
	double qty;		/* signed position */
	double entry;		/* average entry price, 0 when flat */
	double iso_margin;	/* isolated margin (isolated mode) */
	double realized;	/* realized PnL so far, before fees */
	double fees;		/* trading + liquidation fees paid so far */
	double funding;		/* funding paid so far (< 0: received) */
	double turnover;	/* sum of |fill qty| x price */
	long nfills;		/* fills so far */
	long liquidations;	/* liquidations so far */
};

/* What one fill did. */
struct bf_fill {
	double qty;		/* signed quantity filled */
	double price;		/* fill price */
	double fee;		/* fee paid on this fill */
	double realized;	/* PnL realized by the closing part */
	double closed;		/* quantity of the old position closed */
	double opened;		/* quantity opened or added */
};

/*
 * Start 'a' with configuration 'cfg' (copied; its brackets borrowed) and
 * wallet balance 'wallet'.
 */
void bf_account_init(struct bf_account *a, const struct bf_account_cfg *cfg,
    double wallet);

/*
 * Check a configuration: leverage >= 1 and within the brackets' highest
 * leverage, rates and filters not negative.  Returns 0 or BF_EUSAGE.
 */
int bf_account_cfg_check(const struct bf_account_cfg *cfg, struct bf_err *err);

/* Unrealized PnL at mark price 'mark'. */
double bf_account_upnl(const struct bf_account *a, double mark);

/* Equity (margin balance) at mark price 'mark': wallet + upnl. */
double bf_account_equity(const struct bf_account *a, double mark);

/*
 * The balance that must stay above the maintenance margin: equity in
 * cross mode, iso_margin + upnl in isolated mode.
 */
double bf_account_margin_balance(const struct bf_account *a, double mark);

/* Maintenance margin of the position at 'mark' (0 without brackets). */
double bf_account_maint_margin(const struct bf_account *a, double mark);

/*
 * Fill 'dq' (signed: + buys, - sells) at 'price', paying 'fee_rate' of
 * the notional.  Updates position, entry, realized PnL, wallet, isolated
 * margin and the totals; describes the fill in 'f' (may be NULL).
 */
void bf_account_fill(struct bf_account *a, double dq, double price,
    double fee_rate, struct bf_fill *f);

/*
 * Settle funding at rate 'rate' and mark price 'mark'.  Returns the
 * amount the position paid (negative when it received), 0 when flat.
 */
double bf_account_funding(struct bf_account *a, double rate, double mark);

/*
 * The mark price at which the position is liquidated, with the bracket
 * of the notional at that price (liq.h).  Returns 0 when flat, without
 * brackets, or when no price liquidates the position (a long whose
 * margin covers a fall to zero).
 */
double bf_account_liq_price(const struct bf_account *a);

/*
 * Liquidate at 'price': close the whole position there (no trading fee)
 * and charge the liquidation clearance fee, |qty| x price x fee_liq,
 * capped at what is left of the position's margin after the close (the
 * wallet in cross mode, the isolated margin in isolated mode, and never
 * more than the wallet), so a
 * liquidation never leaves a negative balance: the exchange's insurance
 * fund takes the shortfall.  'f' (may be NULL) describes the close, its
 * fee field holding the clearance fee.
 */
void bf_account_liquidate(struct bf_account *a, double price,
    struct bf_fill *f);

/* 'q' rounded toward zero to the step size (unchanged when step is 0). */
double bf_account_round_qty(const struct bf_account_cfg *cfg, double q);

/*
 * 'p' rounded to the tick, against the trader: up for a buy ('side' > 0),
 * down for a sell (unchanged when tick is 0).
 */
double bf_account_round_price(const struct bf_account_cfg *cfg, double p,
    int side);

/*
 * The largest |notional| the leverage setting and the brackets allow
 * for equity 'equity': min(equity x leverage, the brackets' cap for
 * that leverage).  Never negative.
 */
double bf_account_max_notional(const struct bf_account *a, double equity);

/* What bf_account_order_qty did besides sizing. */
enum {
	BF_ORDER_CLIPPED = 1 << 0,	/* |target| beyond the allowed */
	BF_ORDER_SKIPPED = 1 << 1	/* below min notional */
};

/*
 * The order that brings the position to 'target' (signed notional /
 * equity) at price 'p': target x equity(p) / p, its notional clipped to
 * bf_account_max_notional, minus the position, rounded toward zero to
 * the step.  An order that opens or adds less than the minimum notional
 * is dropped (0), and a flip whose new side is below it only closes;
 * an order that only reduces is exempt, and a target of 0 (or an equity
 * of 0 or less) closes the whole position.  Sets BF_ORDER_* bits in
 * '*flags' (may be NULL).  bf-sim and bf-exec's paper mode size every
 * order with this, so they cannot disagree.
 */
double bf_account_order_qty(const struct bf_account *a, double target,
    double p, int *flags);

#endif /* BF_ACCOUNT_H */
