/* SPDX-License-Identifier: MIT */
/*
 * liq.h - Binance USD-M liquidation price, isolated and cross margin,
 * one-way and hedge mode (binance-usdm.md §11.5).
 *
 * Binance's formula, with a LONG leg (qty qL at entry EL) and a SHORT
 * leg (qty qS at entry ES) of one symbol; a one-way position is just
 * one of the two legs (BOTH with side +1 is the long leg, -1 the short):
 *
 *	     WB - TMM1 + UPNL1 + cumL + cumS - qL*EL + qS*ES
 *	LP = -----------------------------------------------
 *	         qL*MMR_L + qS*MMR_S - qL + qS
 *
 *	WB     wallet balance: the isolated wallet (isolated margin), or the
 *	       cross wallet balance in cross mode
 *	TMM1   maintenance margin of the account's other positions (cross;
 *	       0 in isolated mode)
 *	UPNL1  unrealized PnL of the account's other positions (cross; 0
 *	       in isolated mode)
 *	MMR, cum  rate and maintenance amount of each leg's bracket
 *
 * It is the price where margin balance equals maintenance margin:
 * WB - TMM1 + UPNL1 + qL*(P - EL) + qS*(ES - P) = sum of
 * (q*P*MMR - cum) over the legs.  The bracket of each leg is the one of
 * its notional AT THE LIQUIDATION PRICE (q x LP), which is unknown until
 * LP is: start from the brackets at entry, recompute with the brackets
 * at the LP found, and repeat until they no longer change.  Should that
 * not settle (it can alternate at a boundary), every bracket (pair) is
 * tried and the one whose LP lies inside it wins; maintenance margin is
 * continuous across boundaries, so that LP is the exact root.
 *
 * A liquidation price <= 0 (a long with leverage <= 1, say) means the
 * position cannot be liquidated: Binance shows "--"; these functions
 * return 0.  Fees and funding are not in the formula (they change WB).
 *
 * Nothing here allocates: bf-sim calls it per bar.
 */
#ifndef BF_LIQ_H
#define BF_LIQ_H

#include "compat.h"

#include "brackets.h"

/* One symbol's position(s) and the account around it. */
struct bf_liq_in {
	double wallet;		/* WB, USDT */
	double other_mm;	/* TMM1, USDT (cross; 0 isolated) */
	double other_upnl;	/* UPNL1, USDT (cross; 0 isolated) */
	double long_qty;	/* qL >= 0, base units; 0 when no long leg */
	double long_entry;	/* EL */
	double short_qty;	/* qS >= 0 (a size, not signed) */
	double short_entry;	/* ES */
};

/* What bf_liq_solve found. */
struct bf_liq_out {
	double price;			/* LP, or 0 when there is none */
	const struct bf_bracket *long_b;  /* bracket used for the long leg */
	const struct bf_bracket *short_b; /* ... for the short leg */
	int passes;			/* formula evaluations */
};

/*
 * The liquidation price of 'in' with brackets 'bs' (at least one tier).
 * Returns LP, or 0 when the position cannot be liquidated (LP <= 0, no
 * position, or a hedge whose margin does not depend on price).  Fills
 * 'out' when it is not NULL.  Quantities must be >= 0 and finite.
 */
double bf_liq_solve(const struct bf_brackets *bs, const struct bf_liq_in *in,
    struct bf_liq_out *out);

/*
 * One-way mode: a position of 'side' (+1 long, -1 short), size 'qty'
 * (> 0) at 'entry', with wallet balance 'wallet' (the isolated margin,
 * or the cross wallet), and for cross margin the other positions'
 * maintenance margin 'other_mm' and unrealized PnL 'other_upnl' (0 and 0
 * for isolated).  Returns LP or 0 as bf_liq_solve.
 */
double bf_liq_price(const struct bf_brackets *bs, int side, double qty,
    double entry, double wallet, double other_mm, double other_upnl);

/*
 * The price at which a position of 'side', 'qty' at 'entry' with the
 * fixed bracket ('mmr', 'cum') and margin balance terms as above is
 * liquidated: the formula once, no bracket search.  Returns LP or 0.
 */
double bf_liq_formula(int side, double qty, double entry, double wallet,
    double other_mm, double other_upnl, double mmr, double cum);

#endif /* BF_LIQ_H */
