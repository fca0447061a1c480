/* SPDX-License-Identifier: MIT */
/*
 * target.h - turn one row of signals into a target exposure with its
 * stop, take-profit and risk columns: the per-row logic of the bf-risk
 * filter, kept here so bf-exec or a test can run it without the tool.
 *
 * A row carries a price and one signal form:
 *   SIGNAL  'signal' in [-1, 1] (direction and strength)
 *   PROB    'p_up', 'p_down' (probabilities of reaching the take-profit
 *           and the stop first; the rest is "neither")
 *   MU      'mu', 'sigma' (mean and sd of the log return over a horizon)
 * and a sizing rule (BF_SIZE_*) makes a signed exposure of it, scaled by
 * 'fraction' (Kelly only) and clipped to 'cap'.  The position that
 * exposure means (notional |x| x equity at the row's price) is then
 * evaluated by bf_risk_eval and validated; a refused position leaves the
 * previous target in place or goes flat (on_reject).  bf-risk(1) gives
 * every rule in full.
 *
 * A row whose inputs are missing (warm-up, NaN) yields no target: 'empty'
 * is set, every output is NAN, and the state is unchanged.
 *
 * Ownership: the configuration borrows 'bs' (the brackets), which must
 * outlive it.  Nothing allocates.
 */
#ifndef BF_TARGET_H
#define BF_TARGET_H

#include "compat.h"

#include "brackets.h"
#include "risk.h"

enum {
	BF_SIZE_KELLY = 0,
	BF_SIZE_FIXED,
	BF_SIZE_VOL,
	BF_SIZE_RISK,
	BF_SIZE_LEVERAGE
};

enum {
	BF_FORM_SIGNAL = 0,
	BF_FORM_PROB,
	BF_FORM_MU
};

enum {
	BF_REJECT_KEEP = 0,	/* keep the previous accepted target */
	BF_REJECT_FLAT		/* go flat */
};

struct bf_target_cfg {
	int sizing;		/* BF_SIZE_* */
	int form;		/* BF_FORM_* */
	int on_reject;		/* BF_REJECT_* */
	double size;		/* fixed and leverage sizing: base exposure */
	double fraction;	/* Kelly fraction (0.5 = half Kelly) */
	double cap;		/* |target| at most this; 0: no cap */
	double target_vol;	/* vol sizing: annualized target */
	double risk;		/* risk sizing: equity fraction lost at stop */
	double lev_damp;	/* leverage sizing: exponent damping */
	double leverage;	/* leverage setting; 0: the whole leverage needed */
	bool isolated;		/* isolated margin (else cross, wallet = equity) */
	double equity;		/* USDT: sets the notional, so the bracket */
	double stop_pct, stop_atr;	/* stop distance: fraction, or ATRs */
	double tp_pct, tp_atr;		/* take-profit distance, likewise */
	double vol_annual;	/* multiply a row's vol by this to annualize */
	double vol_liq;		/* ... by this for the liq_prob horizon */
	double funding_rate;	/* per interval, when the row has none */
	double funding_interval_h;
	struct bf_risk_limits lim;
	const struct bf_brackets *bs;	/* borrowed */
};

/* One input row; NAN marks a missing value. */
struct bf_target_row {
	double price;
	double signal;		/* SIGNAL form */
	double p_up, p_down;	/* PROB form */
	double mu, sigma;	/* MU form (per horizon) */
	double vol;		/* the volatility column (per its horizon) */
	double atr;		/* ATR, price units */
	double funding_rate;	/* NAN: cfg->funding_rate */
};

/* What the previous rows left behind. */
struct bf_target_state {
	double target;		/* last accepted target, 0 at the start */
	double stop, tp;	/* its stop and take-profit, NAN if none */
};

#define BF_TARGET_STATE_INIT { 0, NAN, NAN }

struct bf_target_out {
	bool empty;		/* inputs missing: no target */
	double target;		/* signed exposure */
	double stop, tp;	/* prices; NAN when flat or not configured */
	double leverage;	/* leverage of the proposed position */
	double liq_price;	/* NAN when flat or none */
	double liq_dist;	/* fraction of price */
	double liq_prob;	/* over the liq horizon; NAN without vol */
	double funding_1d;	/* USDT, > 0 paid */
	double max_loss;	/* USDT to the stop */
	unsigned reject;	/* BF_RISK_* bits */
};

/*
 * Compute the target of 'row' under 'cfg' into 'out' ('empty' when the
 * inputs are missing, 'reject' when validation refused the position),
 * and remember an accepted target in 'st'.
 */
void bf_target_row(const struct bf_target_cfg *cfg, struct bf_target_state *st,
    const struct bf_target_row *row, struct bf_target_out *out);

#endif /* BF_TARGET_H */
