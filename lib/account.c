/* SPDX-License-Identifier: MIT */
/*
 * account.c - the one-position USD-M futures account (account.h): fills,
 * average entry, realized and unrealized PnL, fees, funding, isolated
 * margin, maintenance margin and liquidation.
 *
 * Quantities are doubles; after every fill the position is snapped to a
 * whole number of steps (when a step is set) so that thousands of fills
 * cannot drift away from what the exchange would hold.
 */
#include "compat.h"

#include <math.h>

#include "account.h"
#include "brackets.h"
#include "liq.h"

/* Start the account: copy the configuration, set the wallet. */
void
bf_account_init(struct bf_account *a, const struct bf_account_cfg *cfg,
    double wallet)
{
	memset(a, 0, sizeof(*a));
	a->cfg = *cfg;
	a->wallet = wallet;
}

/* Check the configuration's ranges; 0 or BF_EUSAGE with 'err' filled. */
int
bf_account_cfg_check(const struct bf_account_cfg *cfg, struct bf_err *err)
{
	if (!(cfg->leverage >= 1))
		return bf_err_set(err, BF_EUSAGE,
		    "leverage %g: must be at least 1", cfg->leverage);
	if (cfg->brackets != NULL &&
	    bf_brackets_max_notional(cfg->brackets, cfg->leverage) <= 0)
		return bf_err_set(err, BF_EUSAGE,
		    "leverage %g: above the brackets' maximum %g",
		    cfg->leverage,
		    bf_brackets_max_leverage(cfg->brackets, 0));
	if (!(cfg->fee_maker >= -0.01 && cfg->fee_maker < 0.1) ||
	    !(cfg->fee_taker >= 0 && cfg->fee_taker < 0.1) ||
	    !(cfg->fee_liq >= 0 && cfg->fee_liq < 0.5))
		return bf_err_set(err, BF_EUSAGE,
		    "fee rates out of range (maker %g, taker %g, "
		    "liquidation %g)", cfg->fee_maker, cfg->fee_taker,
		    cfg->fee_liq);
	if (!(cfg->step >= 0) || !(cfg->tick >= 0) ||
	    !(cfg->min_notional >= 0))
		return bf_err_set(err, BF_EUSAGE,
		    "step, tick and min notional must not be negative");
	return 0;
}

/* Unrealized PnL at 'mark'. */
double
bf_account_upnl(const struct bf_account *a, double mark)
{
	return a->qty == 0 ? 0 : a->qty * (mark - a->entry);
}

/* Equity at 'mark'. */
double
bf_account_equity(const struct bf_account *a, double mark)
{
	return a->wallet + bf_account_upnl(a, mark);
}

/* The balance the maintenance margin is compared with. */
double
bf_account_margin_balance(const struct bf_account *a, double mark)
{
	if (a->cfg.margin == BF_MARGIN_ISOLATED)
		return a->iso_margin + bf_account_upnl(a, mark);
	return bf_account_equity(a, mark);
}

/* Maintenance margin at 'mark'. */
double
bf_account_maint_margin(const struct bf_account *a, double mark)
{
	if (a->qty == 0 || a->cfg.brackets == NULL)
		return 0;
	return bf_brackets_mm(a->cfg.brackets, fabs(a->qty) * mark);
}

/* Snap 'q' to a whole number of steps when a step is set. */
static double
snap(const struct bf_account_cfg *cfg, double q)
{
	if (cfg->step <= 0)
		return q;
	return round(q / cfg->step) * cfg->step;
}

/* Apply a fill; see account.h. */
void
bf_account_fill(struct bf_account *a, double dq, double price,
    double fee_rate, struct bf_fill *f)
{
	struct bf_fill tmp;
	double q = a->qty, closed = 0, opened = 0, realized = 0, fee;

	if (f == NULL)
		f = &tmp;
	memset(f, 0, sizeof(*f));
	if (dq == 0)
		return;
	if (q != 0 && (q > 0) != (dq > 0)) {
		/* Reduce, close or flip: the closing part realizes PnL. */
		closed = fmin(fabs(dq), fabs(q));
		realized = closed * (price - a->entry) * (q > 0 ? 1 : -1);
		if (a->cfg.margin == BF_MARGIN_ISOLATED)
			a->iso_margin -= a->iso_margin * closed / fabs(q);
		opened = fabs(dq) - closed;
		q = snap(&a->cfg, q + (q > 0 ? -closed : closed));
		if (q == 0 || fabs(q) < 1e-12) {
			q = 0;
			a->entry = 0;
			a->iso_margin = 0;
		}
		if (opened > 0) {
			q = snap(&a->cfg, dq > 0 ? opened : -opened);
			a->entry = price;
		}
	} else {
		/* Open or increase: average the entry by quantity. */
		opened = fabs(dq);
		a->entry = (fabs(q) * a->entry + opened * price) /
		    (fabs(q) + opened);
		q = snap(&a->cfg, q + dq);
	}
	if (opened > 0 && a->cfg.margin == BF_MARGIN_ISOLATED)
		a->iso_margin += opened * price / a->cfg.leverage;
	fee = fabs(dq) * price * fee_rate;
	a->qty = q;
	a->realized += realized;
	a->wallet += realized - fee;
	a->fees += fee;
	a->turnover += fabs(dq) * price;
	a->nfills++;
	f->qty = dq;
	f->price = price;
	f->fee = fee;
	f->realized = realized;
	f->closed = closed;
	f->opened = opened;
}

/* Settle one funding payment; see account.h. */
double
bf_account_funding(struct bf_account *a, double rate, double mark)
{
	double pay;

	if (a->qty == 0)
		return 0;
	pay = a->qty * mark * rate;
	a->wallet -= pay;
	a->funding += pay;
	if (a->cfg.margin == BF_MARGIN_ISOLATED)
		a->iso_margin -= pay;
	return pay;
}

/* The liquidation price of the position (liq.h does the formula). */
double
bf_account_liq_price(const struct bf_account *a)
{
	double wb;

	if (a->qty == 0 || a->cfg.brackets == NULL)
		return 0;
	wb = a->cfg.margin == BF_MARGIN_ISOLATED ? a->iso_margin : a->wallet;
	return bf_liq_price(a->cfg.brackets, a->qty > 0 ? 1 : -1,
	    fabs(a->qty), a->entry, wb, 0, 0);
}

/* Close the position at 'price' and charge the clearance fee. */
void
bf_account_liquidate(struct bf_account *a, double price, struct bf_fill *f)
{
	struct bf_fill tmp;
	double left, fee;
	bool isolated = a->cfg.margin == BF_MARGIN_ISOLATED;
	double iso = a->iso_margin;

	if (f == NULL)
		f = &tmp;
	if (a->qty == 0) {
		memset(f, 0, sizeof(*f));
		return;
	}
	fee = fabs(a->qty) * price * a->cfg.fee_liq;
	bf_account_fill(a, -a->qty, price, 0, f);
	/* What the position still had: its margin after the loss. */
	left = isolated ? fmin(iso + f->realized, a->wallet) : a->wallet;
	if (fee > left)
		fee = left > 0 ? left : 0;
	a->wallet -= fee;
	a->fees += fee;
	a->liquidations++;
	f->fee = fee;
}

/* Round a quantity toward zero to the step. */
double
bf_account_round_qty(const struct bf_account_cfg *cfg, double q)
{
	double n;

	if (cfg->step <= 0)
		return q;
	/* The small epsilon keeps 0.3 / 0.001 = 299.99999 at 300 steps. */
	n = floor(fabs(q) / cfg->step + 1e-9);
	return (q < 0 ? -n : n) * cfg->step;
}

/* Round a price to the tick against the trader. */
double
bf_account_round_price(const struct bf_account_cfg *cfg, double p, int side)
{
	double n;

	if (cfg->tick <= 0)
		return p;
	n = p / cfg->tick;
	n = side > 0 ? ceil(n - 1e-9) : floor(n + 1e-9);
	return n * cfg->tick;
}

/* The notional the leverage setting and the brackets allow. */
double
bf_account_max_notional(const struct bf_account *a, double equity)
{
	double n = equity * a->cfg.leverage, cap;

	if (n < 0)
		return 0;
	if (a->cfg.brackets != NULL) {
		cap = bf_brackets_max_notional(a->cfg.brackets,
		    a->cfg.leverage);
		if (cap < n)
			n = cap;
	}
	return n;
}

/* Size an order for 'target' at 'p'; see account.h. */
double
bf_account_order_qty(const struct bf_account *a, double target, double p,
    int *flags)
{
	const struct bf_account_cfg *c = &a->cfg;
	double q = a->qty, e, want, maxn, dq;
	int fl = 0;

	e = bf_account_equity(a, p);
	if (e <= 0 || p <= 0) {
		want = 0;
	} else {
		want = target * e;
		maxn = bf_account_max_notional(a, e);
		if (fabs(want) > maxn * (1 + 1e-12)) {
			want = want > 0 ? maxn : -maxn;
			fl |= BF_ORDER_CLIPPED;
		}
		want /= p;
	}
	if (target == 0 || want == 0) {
		dq = -q;
		goto out;
	}
	dq = bf_account_round_qty(c, want - q);
	if (dq == 0)
		goto out;
	if (q != 0 && (dq > 0) != (q > 0)) {
		/* Reducing without crossing zero: exempt from min notional. */
		if (fabs(dq) <= fabs(q))
			goto out;
		/* A flip: the new side must meet min notional on its own. */
		if (fabs(q + dq) * p < c->min_notional) {
			fl |= BF_ORDER_SKIPPED;
			dq = -q;
		}
		goto out;
	}
	if (fabs(dq) * p < c->min_notional) {
		fl |= BF_ORDER_SKIPPED;
		dq = 0;
	}
out:
	if (flags != NULL)
		*flags = fl;
	return dq;
}
