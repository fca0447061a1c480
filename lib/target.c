/* SPDX-License-Identifier: MIT */
/*
 * target.c - one row of signals to a target exposure.  See target.h and
 * bf-risk(1), SIGNALS TO TARGETS.
 */
#include "compat.h"

#include <math.h>

#include "target.h"

/* The sign of 'v': -1, 0 or 1 (0 for NAN). */
static double
sign(double v)
{
	return (v > 0) - (v < 0);
}

/*
 * A distance as a fraction of 'price': 'pct' when set, else 'atrs' ATRs.
 * Returns 0 when neither is configured, NAN when the ATR is missing.
 */
static double
distance(double pct, double atrs, double atr, double price)
{
	if (pct > 0)
		return pct;
	if (atrs > 0)
		return atr > 0 ? atrs * atr / price : NAN;
	return 0;
}

/* The raw exposure of 'row' before fraction and cap; NAN if missing. */
static double
raw_exposure(const struct bf_target_cfg *cfg, const struct bf_target_row *row,
    double sl, double tp)
{
	double d;

	switch (cfg->form) {
	case BF_FORM_PROB:
		if (isnan(row->p_up) || isnan(row->p_down))
			return NAN;
		d = sign(row->p_up - row->p_down);
		break;
	case BF_FORM_MU:
		if (isnan(row->mu) || isnan(row->sigma))
			return NAN;
		d = sign(row->mu);
		break;
	default:
		if (isnan(row->signal))
			return NAN;
		d = row->signal;
		break;
	}
	switch (cfg->sizing) {
	case BF_SIZE_KELLY:
		if (cfg->form == BF_FORM_PROB)
			return bf_risk_kelly_updown(row->p_up, row->p_down, tp,
			    sl);
		if (cfg->form == BF_FORM_MU)
			return bf_risk_kelly_mu(row->mu, row->sigma);
		return NAN;
	case BF_SIZE_FIXED:
		return bf_risk_size_fixed(d, cfg->size);
	case BF_SIZE_VOL:
		return bf_risk_size_vol(d, cfg->target_vol,
		    row->vol * cfg->vol_annual);
	case BF_SIZE_RISK:
		return bf_risk_size_risk(d, cfg->risk, sl);
	case BF_SIZE_LEVERAGE:
		return bf_risk_size_leverage(d, cfg->size, cfg->leverage,
		    cfg->lev_damp);
	}
	return NAN;
}

void
bf_target_row(const struct bf_target_cfg *cfg, struct bf_target_state *st,
    const struct bf_target_row *row, struct bf_target_out *out)
{
	struct bf_risk_in in;
	struct bf_risk_out o;
	double p = row->price, sl, tp, x, n, lev;
	int side;

	*out = (struct bf_target_out){ false, NAN, NAN, NAN, NAN, NAN, NAN,
		NAN, NAN, NAN, 0 };
	sl = distance(cfg->stop_pct, cfg->stop_atr, row->atr, p);
	tp = distance(cfg->tp_pct, cfg->tp_atr, row->atr, p);
	x = NAN;
	if (p > 0 && isfinite(p) && !isnan(sl) && !isnan(tp))
		x = raw_exposure(cfg, row, sl, tp);
	if (isnan(x) || isinf(x)) {
		out->empty = true;
		return;
	}
	x = bf_risk_scale_cap(x, cfg->sizing == BF_SIZE_KELLY ?
	    cfg->fraction : 1, cfg->cap);
	if (x == 0) {
		out->target = 0;
		out->funding_1d = 0;
		out->max_loss = 0;
		st->target = 0;
		st->stop = st->tp = NAN;
		return;
	}

	side = x > 0 ? 1 : -1;
	n = fabs(x) * cfg->equity;
	lev = cfg->leverage > 0 ? cfg->leverage :
	    bf_risk_leverage_needed(n, cfg->equity);
	if (sl > 0)
		out->stop = p * (1 - side * sl);
	if (tp > 0)
		out->tp = p * (1 + side * tp);
	in = (struct bf_risk_in){ side, n / p, p, p, lev,
		cfg->isolated ? n / lev : cfg->equity, 0, 0, cfg->equity,
		sl > 0 ? out->stop : 0, row->atr, row->vol * cfg->vol_liq,
		isnan(row->funding_rate) ? cfg->funding_rate :
		    row->funding_rate, cfg->funding_interval_h };
	bf_risk_eval(cfg->bs, &in, &cfg->lim, &o);
	out->leverage = lev;
	out->liq_price = o.liq_price > 0 ? o.liq_price : NAN;
	out->liq_dist = o.liq_dist_pct;
	out->liq_prob = o.liq_prob;
	out->funding_1d = o.funding_1d;
	out->max_loss = o.max_loss;
	out->reject = o.reject;
	if (o.reject) {
		bool keep = cfg->on_reject == BF_REJECT_KEEP;

		out->target = keep ? st->target : 0;
		out->stop = keep ? st->stop : NAN;
		out->tp = keep ? st->tp : NAN;
		if (!keep) {
			st->target = 0;
			st->stop = st->tp = NAN;
		}
		return;
	}
	out->target = x;
	st->target = x;
	st->stop = out->stop;
	st->tp = out->tp;
}
