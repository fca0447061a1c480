/* SPDX-License-Identifier: MIT */
/*
 * paper.c - paper trading on the backtest engine, with the guards of
 * paper.h applied to each order before the engine makes it.
 */
#include "compat.h"

#include <math.h>

#include "paper.h"

#define DAY_MS 86400000LL

/* The UTC day of epoch ms 't' (floor division). */
static int64_t
utc_day(int64_t t)
{
	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

/* The engine's on_fill callback: one order event per fill. */
static int
on_fill(void *ctx, const struct bf_sim_fill *sf)
{
	struct bf_paper *p = ctx;
	struct bf_order_ev *e;

	if (p->nev >= BF_PAPER_MAXEV)
		return -1;
	e = &p->ev[p->nev];
	memset(e, 0, sizeof(*e));
	e->time = sf->time;
	snprintf(e->client_order_id, sizeof(e->client_order_id),
	    "bf%s-%lld-%zu", p->run_id, (long long)sf->time, p->nev);
	e->order_id = p->next_order_id++;
	e->side = sf->f.qty > 0 ? 1 : -1;
	e->qty = e->filled_qty = fabs(sf->f.qty);
	e->avg_price = sf->f.price;
	e->fee = sf->f.fee;
	e->status = "FILLED";
	e->price = NAN;
	e->reason = bf_sim_reason_name(sf->reason);
	switch (sf->reason) {
	case BF_REASON_SIGNAL:
		e->type = sf->order == BF_SIM_LIMIT ? "LIMIT" : "MARKET";
		if (sf->order == BF_SIM_LIMIT)
			e->price = sf->f.price;
		if (p->override != NULL)
			e->reason = p->override;
		p->day_orders++;
		p->orders++;
		break;
	case BF_REASON_STOP:
		e->type = "STOP_MARKET";
		e->price = p->sim.stop;
		break;
	case BF_REASON_TAKE_PROFIT:
		e->type = "TAKE_PROFIT_MARKET";
		e->price = p->sim.take_profit;
		break;
	default:
		e->type = "LIQUIDATION";
		break;
	}
	p->fills++;
	p->nev++;
	return 0;
}

/* Start the account; see paper.h. */
void
bf_paper_init(struct bf_paper *p, const struct bf_paper_cfg *cfg,
    const char *run_id)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	bf_sim_init(&p->sim, &cfg->sim, NULL, NULL);
	p->sim.on_fill = on_fill;
	p->sim.fill_ctx = p;
	snprintf(p->run_id, sizeof(p->run_id), "%s", run_id);
	p->next_order_id = 1;
	p->day = INT64_MIN;
	p->day_equity = cfg->sim.equity;
	p->last_close = NAN;
	p->fund_last = INT64_MIN;
}

/* Row funding; see paper.h. */
void
bf_paper_funding(struct bf_paper *p, const struct bf_bar *b, bool have,
    int64_t ft, double fr)
{
	if (p->fund_pending && p->fund_time <= b->time) {
		bf_sim_funding(&p->sim, p->fund_rate, NAN, b->open);
		p->fund_pending = false;
	}
	if (!have)
		return;
	if (ft > p->fund_last) {
		p->fund_last = ft;
		p->fund_time = ft;
		p->fund_rate = fr;
		p->fund_pending = true;
	} else if (p->fund_pending && ft == p->fund_time) {
		p->fund_rate = fr;
	}
	if (p->fund_pending && p->fund_time <= b->time) {
		bf_sim_funding(&p->sim, p->fund_rate, NAN, b->open);
		p->fund_pending = false;
	}
}

/*
 * The guards of paper.h on the order about to be made at bar 'b''s
 * open: the previous row's target, which the engine keeps in sim.prev.
 */
static void
guard(struct bf_paper *p, const struct bf_bar *b)
{
	struct bf_sim *s = &p->sim;
	double *tg = &s->prev.target, eq;

	if (!s->have_prev)
		return;
	if (p->halt & BF_HALT_KILL) {
		*tg = 0;
		p->override = "kill_switch";
		p->have_raw = false;
		return;
	}
	if (p->flatten || (p->halt & BF_HALT_DAILY)) {
		*tg = 0;
		p->override = "max_daily_loss";
		p->flatten = false;
		p->have_raw = false;
		return;
	}
	if (!isfinite(*tg))
		return;
	/*
	 * A capped target moves with the equity: when the row's own target
	 * is the one acted on last, rebalancing on change makes no order.
	 */
	if (s->cfg.rebalance == BF_SIM_ON_CHANGE && p->have_raw &&
	    *tg == p->last_raw && s->acted) {
		*tg = s->acted_target;
		return;
	}
	if (p->cfg.max_orders_day > 0 &&
	    p->day_orders >= p->cfg.max_orders_day &&
	    (s->cfg.rebalance == BF_SIM_ALWAYS || !s->acted ||
	    *tg != s->acted_target)) {
		*tg = NAN;	/* the engine makes no order */
		p->held++;
		return;
	}
	p->last_raw = *tg;
	p->have_raw = true;
	eq = bf_account_equity(&s->acct, b->open);
	if (p->cfg.max_notional > 0 && eq > 0 &&
	    fabs(*tg) * eq > p->cfg.max_notional) {
		*tg = copysign(p->cfg.max_notional / eq, *tg);
		p->capped++;
	}
}

/* Pass one bar; see paper.h. */
int
bf_paper_bar(struct bf_paper *p, const struct bf_bar *b, bool kill,
    struct bf_err *err)
{
	int64_t d = utc_day(b->time);

	p->nev = 0;
	p->tripped = 0;
	p->override = NULL;
	if (d != p->day) {
		p->day = d;
		p->day_equity = p->bars > 0 ? p->sim.equity :
		    p->cfg.sim.equity;
		p->day_orders = 0;
		p->halt &= ~BF_HALT_DAILY;
	}
	if (kill && !(p->halt & BF_HALT_KILL)) {
		p->halt |= BF_HALT_KILL;
		p->tripped |= BF_HALT_KILL;
	}
	guard(p, b);
	if (bf_sim_bar(&p->sim, b) != 0)
		return bf_err_set(err, BF_EFAIL,
		    "more than %d fills in one bar", BF_PAPER_MAXEV);
	p->bars++;
	p->last_close = b->close;
	if (p->cfg.max_daily_loss > 0 && !(p->halt & BF_HALT_DAILY) &&
	    p->sim.equity <= p->day_equity * (1 - p->cfg.max_daily_loss)) {
		p->halt |= BF_HALT_DAILY;
		p->tripped |= BF_HALT_DAILY;
		p->flatten = true;
	}
	return 0;
}

/* Equity at the last close; see paper.h. */
double
bf_paper_equity(const struct bf_paper *p)
{
	return p->sim.equity;
}

/* The side's name; see paper.h. */
const char *
bf_paper_side_name(int side)
{
	return side > 0 ? "BUY" : "SELL";
}
