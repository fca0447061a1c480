/* SPDX-License-Identifier: MIT */
/*
 * risk.c - position metrics, validation and sizing.  See risk.h for the
 * units and bf-risk(1) for the formulas and their sources.
 */
#include "compat.h"

#include <math.h>

#include "liq.h"
#include "risk.h"

#define SQRT1_2 0.70710678118654752440 /* 1 / sqrt(2) */

double
bf_risk_norm_cdf(double x)
{
	return 0.5 * erfc(-x * SQRT1_2);
}

double
bf_risk_hit_prob(double price, double barrier, double sigma_t)
{
	double d, p;

	if (!(price > 0) || !(sigma_t >= 0) || isnan(barrier))
		return NAN;
	if (!(barrier > 0))
		return 0;
	d = fabs(log(barrier / price));
	if (d == 0)
		return 1;
	if (sigma_t == 0 || isinf(d))
		return 0;
	p = 2 * bf_risk_norm_cdf(-d / sigma_t);
	return p < 1 ? p : 1;
}

double
bf_risk_funding_cost(double notional, double rate, double hours,
    double interval_h)
{
	if (!(interval_h > 0))
		return NAN;
	return notional * rate * hours / interval_h;
}

void
bf_risk_funding_add(struct bf_risk_funding *f, double qty, double mark,
    double rate)
{
	f->paid += qty * mark * rate;
	f->n++;
}

void
bf_risk_eval(const struct bf_brackets *bs, const struct bf_risk_in *in,
    const struct bf_risk_limits *lim, struct bf_risk_out *out)
{
	const struct bf_bracket *t;
	struct bf_liq_in li = { in->wallet, in->other_mm, in->other_upnl, 0, 0,
		0, 0 };
	struct bf_liq_out lo;
	double sq = in->side * in->qty; /* signed quantity */
	double balance, lp;

	out->notional = in->qty * in->mark;
	out->init_margin = in->leverage > 0 ? out->notional / in->leverage :
	    NAN;
	out->max_leverage = bf_brackets_max_leverage(bs, out->notional);
	t = bf_brackets_find(bs, out->notional);
	out->bracket = t->id;
	out->mmr = t->mmr;
	out->cum = t->cum;
	out->maint_margin = out->notional * t->mmr - t->cum;
	out->upnl = sq * (in->mark - in->entry) + 0.0; /* no -0 */
	if (in->hedge_qty > 0) {
		out->maint_margin += bf_brackets_mm(bs, in->hedge_qty * in->mark);
		out->upnl -= in->side * in->hedge_qty *
		    (in->mark - in->hedge_entry);
	}
	balance = in->wallet + in->other_upnl + out->upnl;
	out->margin_balance = balance;
	out->margin_ratio = balance > 0 ?
	    (out->maint_margin + in->other_mm) / balance : INFINITY;

	if (in->side > 0) {
		li.long_qty = in->qty;
		li.long_entry = in->entry;
		li.short_qty = in->hedge_qty;
		li.short_entry = in->hedge_entry;
	} else {
		li.short_qty = in->qty;
		li.short_entry = in->entry;
		li.long_qty = in->hedge_qty;
		li.long_entry = in->hedge_entry;
	}
	lp = bf_liq_solve(bs, &li, &lo);
	out->liq_price = lp;
	out->liq_bracket = lp > 0 ? (in->side > 0 ? lo.long_b : lo.short_b)->id :
	    0;
	if (lp > 0) {
		out->liq_dist = fabs(in->mark - lp);
		out->liq_dist_pct = out->liq_dist / in->mark;
		out->liq_dist_atr = in->atr > 0 ? out->liq_dist / in->atr :
		    NAN;
	} else {
		out->liq_dist = out->liq_dist_pct = out->liq_dist_atr = NAN;
	}
	out->liq_prob = isnan(in->sigma_t) ? NAN :
	    bf_risk_hit_prob(in->mark, lp, in->sigma_t);

	out->funding_1h = bf_risk_funding_cost(sq * in->mark, in->funding_rate,
	    1, in->funding_interval_h);
	out->funding_1d = bf_risk_funding_cost(sq * in->mark, in->funding_rate,
	    24, in->funding_interval_h);
	out->funding_30d = bf_risk_funding_cost(sq * in->mark,
	    in->funding_rate, 24 * 30, in->funding_interval_h);

	if (in->stop > 0) {
		out->max_loss = sq * (in->entry - in->stop);
		out->max_loss_pct = in->equity > 0 ?
		    out->max_loss / in->equity : NAN;
	} else {
		out->max_loss = out->max_loss_pct = NAN;
	}

	out->reject = 0;
	if (in->leverage > out->max_leverage)
		out->reject |= BF_RISK_LEVERAGE;
	if (lim == NULL)
		return;
	if (lim->min_notional > 0 && out->notional < lim->min_notional)
		out->reject |= BF_RISK_MIN_NOTIONAL;
	if (lim->max_notional > 0 && out->notional > lim->max_notional)
		out->reject |= BF_RISK_MAX_NOTIONAL;
	if (lim->liq_floor_pct > 0 && lp > 0 &&
	    out->liq_dist_pct < lim->liq_floor_pct)
		out->reject |= BF_RISK_LIQ_PCT;
	if (lim->liq_floor_atr > 0 && lp > 0 && in->atr > 0 &&
	    out->liq_dist_atr < lim->liq_floor_atr)
		out->reject |= BF_RISK_LIQ_ATR;
	if (lim->max_loss_pct > 0 && out->max_loss_pct > lim->max_loss_pct)
		out->reject |= BF_RISK_MAX_LOSS;
}

size_t
bf_risk_reasons(unsigned reject, char *buf, size_t sz)
{
	static const char *const names[] = { "leverage", "min_notional",
		"max_notional", "liq_pct", "liq_atr", "max_loss" };
	size_t len = 0;

	if (sz == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < BF_ARRAY_SIZE(names); i++) {
		int n;

		if (!(reject & (1u << i)))
			continue;
		n = snprintf(buf + len, sz - len, "%s%s", len ? "+" : "",
		    names[i]);
		if (n < 0 || (size_t)n >= sz - len)
			break;
		len += (size_t)n;
	}
	return len;
}

double
bf_risk_kelly_binary(double p, double q, double win, double loss)
{
	if (!(win > 0) || !(loss > 0) || !(p >= 0) || !(q >= 0) ||
	    !(p + q > 0))
		return NAN;
	return (p * win - q * loss) / ((p + q) * win * loss);
}

double
bf_risk_kelly_updown(double p_up, double p_down, double tp, double sl)
{
	double x = bf_risk_kelly_binary(p_up, p_down, tp, sl);

	if (isnan(x))
		return NAN;
	if (x > 0)
		return x;
	x = bf_risk_kelly_binary(p_down, p_up, tp, sl);
	return x > 0 ? -x : 0;
}

double
bf_risk_kelly_mu(double mu, double sigma)
{
	if (!(sigma > 0))
		return NAN;
	return mu / (sigma * sigma);
}

double
bf_risk_size_fixed(double signal, double size)
{
	return signal * size;
}

double
bf_risk_size_vol(double signal, double target_vol, double vol)
{
	if (!(vol > 0))
		return NAN;
	return signal * target_vol / vol;
}

double
bf_risk_size_risk(double signal, double risk, double stop_dist)
{
	if (!(stop_dist > 0))
		return NAN;
	return signal * risk / stop_dist;
}

double
bf_risk_size_leverage(double signal, double size, double lev, double damp)
{
	if (!(lev >= 1))
		return NAN;
	return signal * size * pow(lev, 1 - damp);
}

double
bf_risk_scale_cap(double x, double fraction, double cap)
{
	x *= fraction;
	if (cap > 0) {
		if (x > cap)
			x = cap;
		else if (x < -cap)
			x = -cap;
	}
	return x;
}

double
bf_risk_leverage_needed(double notional, double margin)
{
	double l;

	if (!(margin > 0))
		return NAN;
	/* ignore float noise: 60000 / 6000 is 10, not 11 */
	l = ceil(notional / margin * (1 - 1e-12));
	return l < 1 ? 1 : l;
}
