/* SPDX-License-Identifier: MIT */
/*
 * liq.c - liquidation price by Binance's formula with the bracket taken
 * at the liquidation price.  See liq.h for the formula and the search.
 */
#include "compat.h"

#include <math.h>

#include "liq.h"

/* Fixed-point passes before falling back to trying every bracket. */
#define MAX_PASSES 8

/* Relative slack when testing that a notional lies inside a bracket. */
#define EDGE 1e-12

/*
 * The formula of liq.h with brackets 'tl' (long leg) and 'ts' (short
 * leg).  A leg with no quantity contributes nothing, not even its cum.
 * Returns LP, or NAN when the denominator is 0.
 */
static double
formula(const struct bf_liq_in *in, const struct bf_bracket *tl,
    const struct bf_bracket *ts)
{
	double num, den;

	num = in->wallet - in->other_mm + in->other_upnl;
	den = 0;
	if (in->long_qty > 0) {
		num += tl->cum - in->long_qty * in->long_entry;
		den += in->long_qty * tl->mmr - in->long_qty;
	}
	if (in->short_qty > 0) {
		num += ts->cum + in->short_qty * in->short_entry;
		den += in->short_qty * ts->mmr + in->short_qty;
	}
	if (den == 0)
		return NAN;
	return num / den;
}

/* True when notional 'x' belongs to bracket 'i' of 'bs' (brackets.h). */
static bool
inside(const struct bf_brackets *bs, size_t i, double x)
{
	const struct bf_bracket *t = &bs->b[i];

	if (i > 0 && x < t->floor * (1 - EDGE))
		return false;
	if (i + 1 < bs->n && x > t->cap * (1 + EDGE))
		return false;
	return true;
}

/*
 * Try every bracket (pair) and return the LP that lies inside the
 * brackets it was computed with, storing them in 'out'; NAN if none.
 */
static double
scan(const struct bf_brackets *bs, const struct bf_liq_in *in,
    struct bf_liq_out *out)
{
	size_t nl = in->long_qty > 0 ? bs->n : 1;
	size_t ns = in->short_qty > 0 ? bs->n : 1;

	for (size_t i = 0; i < nl; i++) {
		for (size_t j = 0; j < ns; j++) {
			double lp = formula(in, &bs->b[i], &bs->b[j]);

			out->passes++;
			if (!(lp > 0) || !isfinite(lp))
				continue;
			if (in->long_qty > 0 &&
			    !inside(bs, i, in->long_qty * lp))
				continue;
			if (in->short_qty > 0 &&
			    !inside(bs, j, in->short_qty * lp))
				continue;
			out->long_b = &bs->b[i];
			out->short_b = &bs->b[j];
			return lp;
		}
	}
	return NAN;
}

double
bf_liq_solve(const struct bf_brackets *bs, const struct bf_liq_in *in,
    struct bf_liq_out *out)
{
	struct bf_liq_out tmp;
	const struct bf_bracket *tl, *ts;
	double lp = NAN;

	if (out == NULL)
		out = &tmp;
	out->price = 0;
	out->passes = 0;
	tl = bf_brackets_find(bs, in->long_qty * in->long_entry);
	ts = bf_brackets_find(bs, in->short_qty * in->short_entry);
	out->long_b = tl;
	out->short_b = ts;
	if (!(in->long_qty > 0) && !(in->short_qty > 0))
		return 0;
	for (int k = 0; k < MAX_PASSES; k++) {
		const struct bf_bracket *nl, *ns;

		lp = formula(in, tl, ts);
		out->passes++;
		if (!(lp > 0) || !isfinite(lp))
			break;
		nl = bf_brackets_find(bs, in->long_qty * lp);
		ns = bf_brackets_find(bs, in->short_qty * lp);
		if ((nl == tl || !(in->long_qty > 0)) &&
		    (ns == ts || !(in->short_qty > 0))) {
			out->long_b = tl;
			out->short_b = ts;
			out->price = lp;
			return lp;
		}
		tl = nl;
		ts = ns;
	}
	/* Not settled, or no positive root with these brackets: try all. */
	lp = scan(bs, in, out);
	if (!(lp > 0))
		return 0;
	out->price = lp;
	return lp;
}

double
bf_liq_price(const struct bf_brackets *bs, int side, double qty, double entry,
    double wallet, double other_mm, double other_upnl)
{
	struct bf_liq_in in = { wallet, other_mm, other_upnl, 0, 0, 0, 0 };

	if (side > 0) {
		in.long_qty = qty;
		in.long_entry = entry;
	} else {
		in.short_qty = qty;
		in.short_entry = entry;
	}
	return bf_liq_solve(bs, &in, NULL);
}

double
bf_liq_formula(int side, double qty, double entry, double wallet,
    double other_mm, double other_upnl, double mmr, double cum)
{
	struct bf_bracket t = { 1, 0, INFINITY, 1, mmr, cum };
	struct bf_liq_in in = { wallet, other_mm, other_upnl, 0, 0, 0, 0 };
	double lp;

	if (side > 0) {
		in.long_qty = qty;
		in.long_entry = entry;
	} else {
		in.short_qty = qty;
		in.short_entry = entry;
	}
	lp = formula(&in, &t, &t);
	return lp > 0 && isfinite(lp) ? lp : 0;
}
