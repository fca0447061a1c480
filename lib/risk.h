/* SPDX-License-Identifier: MIT */
/*
 * risk.h - position risk by the exchange's rules: liquidation distance
 * and probability, funding cost, loss to stop, margin ratio, validation
 * with reasons, and sizing rules that return a signed exposure.
 *
 * Units: prices in quote currency (USDT); quantities in base units,
 * signed where a function says "signed" (+ long, - short); an exposure
 * is position notional / equity (2 = 2x long, -0.5 = half short); rates
 * and fractions are plain fractions (0.01 = 1 %); volatilities are the
 * standard deviation of log returns over the horizon stated per function.
 * Funding follows Binance: a positive rate means longs pay shorts, and
 * a cost > 0 is paid, < 0 received.
 *
 * The formulas, with their sources, are written out in bf-risk(1).
 * Every function is pure and allocation-free (bf-sim and bf-risk call
 * them per row); none prints.  Invalid inputs give NAN, never a crash;
 * the tools validate their flags and columns before calling.
 */
#ifndef BF_RISK_H
#define BF_RISK_H

#include "compat.h"

#include "brackets.h"

/* ---- probability ---- */

/* The standard normal distribution function Phi(x). */
double bf_risk_norm_cdf(double x);

/*
 * The probability that a driftless geometric Brownian motion starting at
 * 'price' touches 'barrier' within a horizon over which log returns have
 * standard deviation 'sigma_t' (= sigma x sqrt(T)): by the reflection
 * principle, 2 x Phi(-|ln(barrier / price)| / sigma_t), capped at 1.
 * Returns 0 when 'barrier' <= 0 (no liquidation price), 1 when the
 * barrier is at the price, NAN for a bad 'price' or 'sigma_t' < 0.
 */
double bf_risk_hit_prob(double price, double barrier, double sigma_t);

/* ---- funding ---- */

/*
 * Funding paid over 'hours' by a position of signed notional 'notional'
 * (mark x signed qty) at 'rate' per funding interval of 'interval_h'
 * hours: notional x rate x hours / interval_h.  > 0 paid, < 0 received.
 */
double bf_risk_funding_cost(double notional, double rate, double hours,
    double interval_h);

/* Realized funding over a series of settlements (bf_risk_funding_add). */
struct bf_risk_funding {
	double paid;	/* sum of signed qty x mark x rate, > 0 paid */
	long n;		/* settlements added */
};

#define BF_RISK_FUNDING_INIT { 0, 0 }

/*
 * Add one settlement: a position of signed 'qty' at 'mark' with 'rate'
 * pays qty x mark x rate (binance-usdm.md §11.2).
 */
void bf_risk_funding_add(struct bf_risk_funding *f, double qty, double mark,
    double rate);

/* ---- validation ---- */

/* Why a position is refused; bits of bf_risk_validate's result. */
enum {
	BF_RISK_LEVERAGE = 1 << 0,	/* leverage above the bracket's max */
	BF_RISK_MIN_NOTIONAL = 1 << 1,	/* notional below the minimum */
	BF_RISK_MAX_NOTIONAL = 1 << 2,	/* notional above the cap */
	BF_RISK_LIQ_PCT = 1 << 3,	/* liquidation closer than a % floor */
	BF_RISK_LIQ_ATR = 1 << 4,	/* ... closer than an ATR floor */
	BF_RISK_MAX_LOSS = 1 << 5	/* loss to stop above the cap */
};

/* Limits; a limit of 0 is off. */
struct bf_risk_limits {
	double min_notional;	/* USDT (Binance BTCUSDT: 100) */
	double max_notional;	/* USDT */
	double liq_floor_pct;	/* liquidation at least this far, fraction */
	double liq_floor_atr;	/* ... and at least this many ATRs */
	double max_loss_pct;	/* loss to stop at most this, fraction of equity */
};

/* ---- one position, every metric ---- */

struct bf_risk_in {
	int side;		/* +1 long, -1 short */
	double qty;		/* > 0, base units */
	double entry;		/* entry price */
	double mark;		/* mark price now (entry if unknown) */
	double leverage;	/* the leverage setting */
	double wallet;		/* WB: isolated margin, or the cross wallet */
	double other_mm;	/* cross: other positions' maintenance margin */
	double other_upnl;	/* cross: other positions' unrealized PnL */
	double equity;		/* for "% of equity" figures */
	double stop;		/* stop price, 0 if none */
	double atr;		/* ATR in price units, 0 or NAN if none */
	double sigma_t;		/* log-return sd over the liq_prob horizon, NAN if none */
	double funding_rate;	/* per interval */
	double funding_interval_h; /* hours, 8 for BTCUSDT */
	double hedge_qty;	/* hedge mode: size of the opposite leg, 0 if none */
	double hedge_entry;	/* its entry price */
};

struct bf_risk_out {
	double notional;	/* qty x mark */
	double init_margin;	/* notional / leverage */
	double max_leverage;	/* bracket maximum for this notional */
	int bracket;		/* tier of the notional at mark */
	double mmr, cum;	/* that tier's rate and maintenance amount */
	double maint_margin;	/* notional x mmr - cum (+ the hedge leg's) */
	double upnl;		/* side x qty x (mark - entry) (+ hedge leg's) */
	double margin_balance;	/* wallet - other_mm... see bf-risk(1) */
	double margin_ratio;	/* maint / margin balance (liquidated at 1) */
	double liq_price;	/* 0 when none */
	int liq_bracket;	/* tier applied at the liquidation price */
	double liq_dist;	/* |mark - liq|, NAN when no liq price */
	double liq_dist_pct;	/* liq_dist / mark, fraction */
	double liq_dist_atr;	/* liq_dist / atr, NAN without ATR */
	double liq_prob;	/* hit probability, NAN without sigma_t */
	double funding_1h, funding_1d, funding_30d; /* cost, > 0 paid */
	double max_loss;	/* to stop, USDT; NAN without stop */
	double max_loss_pct;	/* max_loss / equity, fraction */
	unsigned reject;	/* BF_RISK_* bits, 0 when acceptable */
};

/*
 * Compute every metric of 'in' with brackets 'bs' into 'out', and check
 * it against 'lim' (may be NULL: no limits but leverage).  The leverage
 * check compares in->leverage with the bracket maximum at the notional.
 * With a hedge leg (hedge mode, cross), the liquidation price is that of
 * both legs together, and maint_margin, upnl, margin_balance and
 * margin_ratio include the hedge leg; notional, bracket, funding and
 * loss describe the 'side' leg alone.
 */
void bf_risk_eval(const struct bf_brackets *bs, const struct bf_risk_in *in,
    const struct bf_risk_limits *lim, struct bf_risk_out *out);

/*
 * Write the names of the reasons in 'reject' into 'buf' (size 'sz'),
 * joined by '+' in bit order: leverage, min_notional, max_notional,
 * liq_pct, liq_atr, max_loss.  Returns the length (0 when none).
 */
size_t bf_risk_reasons(unsigned reject, char *buf, size_t sz);

/* ---- sizing: each returns a signed exposure (notional / equity) ---- */

/*
 * Kelly for a bet that gains 'win' (fraction of price, to take-profit)
 * with probability 'p' and loses 'loss' (to stop) with probability 'q'
 * (the rest, 1 - p - q, neither): the exposure maximizing
 * p ln(1 + x win) + q ln(1 - x loss), x = (p win - q loss) /
 * ((p + q) win loss).  <= 0 means do not take this side.
 */
double bf_risk_kelly_binary(double p, double q, double win, double loss);

/*
 * Kelly from directional probabilities: long with p = p_up, q = p_down
 * (take-profit 'tp' above, stop 'sl' below, both fractions of price) or
 * short with them swapped; the side with a positive Kelly exposure wins
 * (short negative).  0 when neither is positive.
 */
double bf_risk_kelly_updown(double p_up, double p_down, double tp, double sl);

/* Continuous Kelly: mu / sigma^2 (mu, sigma over the same horizon). */
double bf_risk_kelly_mu(double mu, double sigma);

/* Fixed fraction: signal x size. */
double bf_risk_size_fixed(double signal, double size);

/* Volatility target: signal x target_vol / vol (same annualization). */
double bf_risk_size_vol(double signal, double target_vol, double vol);

/* Risk-based: signal x risk / stop_dist (risk: fraction of equity lost
 * at the stop; stop_dist: fraction of price). */
double bf_risk_size_risk(double signal, double risk, double stop_dist);

/* Leverage-adjusted: signal x size x lev^(1 - damp), damp in [0, 1]. */
double bf_risk_size_leverage(double signal, double size, double lev,
    double damp);

/* x x fraction, clipped to [-cap, cap] (cap <= 0: no cap). */
double bf_risk_scale_cap(double x, double fraction, double cap);

/* Leverage needed to hold 'notional' on 'margin': the smallest whole
 * leverage >= notional / margin (at least 1). */
double bf_risk_leverage_needed(double notional, double margin);

#endif /* BF_RISK_H */
