/* SPDX-License-Identifier: MIT */
/*
 * sim.c - the bar-by-bar backtest engine (sim.h has the rules).
 *
 * Every fill goes through fill(), which keeps the open trade's books
 * (entry time, largest size, exit prices, fees, realized PnL) and
 * reports the trade when the position returns to zero or flips.
 */
#include "compat.h"

#include <math.h>

#include "sim.h"

static const char *const reason_names[] = {
	"signal", "stop", "take_profit", "liquidation", "end"
};

/* The reason's name for the trade log. */
const char *
bf_sim_reason_name(int reason)
{
	if (reason < 0 || (size_t)reason >= BF_ARRAY_SIZE(reason_names))
		return "?";
	return reason_names[reason];
}

/* Start the engine. */
void
bf_sim_init(struct bf_sim *s, const struct bf_sim_cfg *cfg,
    bf_sim_trade_fn on_trade, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	bf_account_init(&s->acct, &cfg->acct, cfg->equity);
	bf_metrics_init(&s->metrics);
	s->stop = s->take_profit = NAN;
	s->equity = s->peak = cfg->equity;
	s->last_mark = NAN;
	s->on_trade = on_trade;
	s->ctx = ctx;
}

/* Report the open trade as closed at 'time' for 'reason'. */
static int
close_trade(struct bf_sim *s, int64_t time, int reason, double extra_pnl)
{
	struct bf_trade *t = &s->cur;

	s->in_trade = false;
	t->exit_time = time;
	t->reason = reason;
	t->exit_price = s->cur_exit_qty > 0 ?
	    s->cur_exit_notional / s->cur_exit_qty : NAN;
	t->pnl = s->cur_realized + extra_pnl - t->fees - t->funding;
	bf_metrics_trade(&s->metrics, t->pnl);
	return s->on_trade != NULL ? s->on_trade(s->ctx, t) : 0;
}

/*
 * Fill 'dq' at 'price' with fee rate 'rate' (or, when 'liq', liquidate
 * the whole position at 'price'), keeping the trade books.
 */
static int
fill(struct bf_sim *s, int64_t time, double dq, double price, double rate,
    int reason, bool liq)
{
	struct bf_fill f;
	double before = s->acct.qty, entry = s->acct.entry, share;
	int r = 0;

	if (liq)
		bf_account_liquidate(&s->acct, price, &f);
	else
		bf_account_fill(&s->acct, dq, price, rate, &f);
	if (f.qty == 0)
		return 0;
	if (f.closed > 0 && s->in_trade) {
		/* The closing part's share of the fee belongs to this trade. */
		share = liq ? 1 : f.closed / fabs(f.qty);
		s->cur.fees += f.fee * share;
		s->cur_realized += f.realized;
		s->cur_exit_qty += f.closed;
		s->cur_exit_notional += f.closed * f.price;
		s->cur.entry_price = entry;
		if (s->acct.qty == 0 || (s->acct.qty > 0) != (before > 0))
			r = close_trade(s, time, reason, 0);
	}
	if (f.opened > 0) {
		if (!s->in_trade) {
			memset(&s->cur, 0, sizeof(s->cur));
			s->in_trade = true;
			s->cur.entry_time = time;
			s->cur.side = s->acct.qty > 0 ? 1 : -1;
			s->cur_realized = 0;
			s->cur_exit_qty = s->cur_exit_notional = 0;
			s->cur.fees += f.fee * f.opened / fabs(f.qty);
		} else {
			s->cur.fees += f.fee;
		}
	}
	if (s->in_trade) {
		if (fabs(s->acct.qty) > s->cur.qty)
			s->cur.qty = fabs(s->acct.qty);
		if (s->acct.qty != 0)
			s->cur.entry_price = s->acct.entry;
	}
	if (r == 0 && s->on_fill != NULL) {
		struct bf_sim_fill sf;

		sf.time = time;
		sf.reason = liq ? BF_REASON_LIQUIDATION : reason;
		sf.order = reason == BF_REASON_SIGNAL ? s->cfg.order :
		    BF_SIM_MARKET;
		sf.f = f;
		r = s->on_fill(s->fill_ctx, &sf);
	}
	return r;
}

/* Settle funding; see sim.h. */
double
bf_sim_funding(struct bf_sim *s, double rate, double mark, double open)
{
	double pay;

	if (!isfinite(mark))
		mark = isfinite(s->last_mark) ? s->last_mark : open;
	pay = bf_account_funding(&s->acct, rate, mark);
	if (s->in_trade)
		s->cur.funding += pay;
	return pay;
}

/* The slippage fraction for an order of 'qty' (from the previous bar). */
static double
slippage(const struct bf_sim *s, double qty)
{
	const struct bf_bar *p = &s->prev;
	double f = s->cfg.slip_bps / 1e4;

	if (!s->have_prev)
		return f;
	if (s->cfg.slip_model == BF_SLIP_RANGE && p->close > 0)
		f += s->cfg.slip_k * (p->high - p->low) / p->close;
	else if (s->cfg.slip_model == BF_SLIP_VOLUME && p->volume > 0)
		f += s->cfg.slip_k * fabs(qty) / p->volume;
	return f;
}

/* A market-type fill price for 'side' at 'p' with slippage, on the tick. */
static double
market_price(const struct bf_sim *s, double p, int side, double qty)
{
	double f = slippage(s, qty);

	p = side > 0 ? p * (1 + f) : p * (1 - f);
	return bf_account_round_price(&s->cfg.acct, p, side);
}

/*
 * The order quantity for target 'target' at reference price 'p' (rule 2
 * of sim.h, bf_account_order_qty), counting clips and skips.
 */
static double
order_qty(struct bf_sim *s, double target, double p)
{
	int fl;
	double dq = bf_account_order_qty(&s->acct, target, p, &fl);

	s->clipped = (fl & BF_ORDER_CLIPPED) != 0;
	if (s->clipped)
		s->clips++;
	if (fl & BF_ORDER_SKIPPED)
		s->skipped++;
	return dq;
}

/* Rule 2: execute the previous bar's target on bar 'b'. */
static int
execute(struct bf_sim *s, const struct bf_bar *b)
{
	const struct bf_bar *p = &s->prev;
	double target = p->target, dq, px, lim;
	int side;

	if (!s->have_prev || !isfinite(target))
		return 0;
	if (s->cfg.rebalance == BF_SIM_ON_CHANGE && s->acted &&
	    target == s->acted_target)
		return 0;
	if (s->cfg.order == BF_SIM_LIMIT) {
		long clips = s->clips, skipped = s->skipped;

		lim = isfinite(p->limit) ? p->limit : p->close;
		dq = order_qty(s, target, lim);
		if (dq == 0)
			goto acted;
		side = dq > 0 ? 1 : -1;
		/* A resting limit does not cross: buy down, sell up. */
		lim = bf_account_round_price(&s->cfg.acct, lim, -side);
		if (side > 0 ? !(b->low < lim) : !(b->high > lim)) {
			/* Placed again from the next bar: count it once. */
			s->unfilled++;
			s->clips = clips;
			s->skipped = skipped;
			s->clipped = false;
			return 0;
		}
		s->orders++;
		s->acted = true;
		s->acted_target = target;
		return fill(s, b->time, dq, lim, s->cfg.acct.fee_maker,
		    BF_REASON_SIGNAL, false);
	}
	dq = order_qty(s, target, b->open);
	if (dq == 0)
		goto acted;
	side = dq > 0 ? 1 : -1;
	px = market_price(s, b->open, side, dq);
	s->orders++;
	s->acted = true;
	s->acted_target = target;
	return fill(s, b->time, dq, px, s->cfg.acct.fee_taker,
	    BF_REASON_SIGNAL, false);
acted:
	s->acted = true;
	s->acted_target = target;
	return 0;
}

/* Close the whole position at a market-type fill from trigger 'p'. */
static int
close_at(struct bf_sim *s, const struct bf_bar *b, double p, int reason)
{
	double q = s->acct.qty;
	int side = q > 0 ? -1 : 1;

	if (reason == BF_REASON_STOP)
		s->stops++;
	else
		s->take_profits++;
	return fill(s, b->time, -q, market_price(s, p, side, q),
	    s->cfg.acct.fee_taker, reason, false);
}

/*
 * The liquidation price, recomputed only when the position or the
 * balance behind it changed (a bracket search per bar would cost more
 * than the rest of the bar); see sim.h.
 */
double
bf_sim_liq_price(struct bf_sim *s)
{
	const struct bf_account *a = &s->acct;
	double wb = a->cfg.margin == BF_MARGIN_ISOLATED ? a->iso_margin :
	    a->wallet;

	if (a->qty != s->lp_qty || a->entry != s->lp_entry || wb != s->lp_wb) {
		s->lp = bf_account_liq_price(a);
		s->lp_qty = a->qty;
		s->lp_entry = a->entry;
		s->lp_wb = wb;
	}
	return s->lp;
}

/* Rules 3 and 4: stops, take-profits and liquidation inside bar 'b'. */
static int
intrabar(struct bf_sim *s, const struct bf_bar *b)
{
	double q = s->acct.qty, sp = s->stop, tp = s->take_profit, lp;
	double mlo, mhi;
	bool lng = q > 0, stop_hit, liq_hit;

	if (q == 0)
		return 0;
	/* A gap through a level fills at the open. */
	if (isfinite(sp) && (lng ? b->open <= sp : b->open >= sp))
		return close_at(s, b, b->open, BF_REASON_STOP);
	if (isfinite(tp) && (lng ? b->open >= tp : b->open <= tp))
		return close_at(s, b, b->open, BF_REASON_TAKE_PROFIT);
	/* The adverse leg: stop on last price, liquidation on mark. */
	mlo = isfinite(b->mark_low) ? b->mark_low : b->low;
	mhi = isfinite(b->mark_high) ? b->mark_high : b->high;
	lp = bf_sim_liq_price(s);
	stop_hit = isfinite(sp) && (lng ? b->low <= sp : b->high >= sp);
	liq_hit = lp > 0 && (lng ? mlo <= lp : mhi >= lp);
	if (stop_hit && (!liq_hit || (lng ? sp >= lp : sp <= lp)))
		return close_at(s, b, sp, BF_REASON_STOP);
	if (liq_hit)
		return fill(s, b->time, 0, lp, 0, BF_REASON_LIQUIDATION, true);
	/* The favourable leg. */
	if (isfinite(tp) && (lng ? b->high >= tp : b->low <= tp))
		return close_at(s, b, tp, BF_REASON_TAKE_PROFIT);
	return 0;
}

/* Pass one bar; see sim.h. */
int
bf_sim_bar(struct bf_sim *s, const struct bf_bar *b)
{
	double mark, prev_eq = s->equity, r;
	int rc;

	if (s->bars == 0)
		s->first_time = b->time;
	rc = execute(s, b);
	if (s->have_prev) {
		if (isfinite(s->prev.stop))
			s->stop = s->prev.stop;
		if (isfinite(s->prev.take_profit))
			s->take_profit = s->prev.take_profit;
	}
	if (rc == 0)
		rc = intrabar(s, b);
	if (s->acct.qty == 0)
		s->stop = s->take_profit = NAN;
	mark = isfinite(b->mark) ? b->mark : b->close;
	s->upnl = bf_account_upnl(&s->acct, mark);
	s->equity = s->acct.wallet + s->upnl;
	if (s->equity > s->peak)
		s->peak = s->equity;
	s->drawdown = s->peak > 0 ? s->equity / s->peak - 1 : 0;
	r = prev_eq > 0 ? s->equity / prev_eq - 1 : NAN;
	bf_metrics_add(&s->metrics, r);
	s->last_mark = isfinite(b->mark) ? b->mark : NAN;
	s->last_time = b->time;
	s->bars++;
	if (s->acct.qty != 0)
		s->bars_exposed++;
	s->prev = *b;
	s->have_prev = true;
	return rc;
}

/* Close the books; see sim.h. */
int
bf_sim_finish(struct bf_sim *s)
{
	if (!s->in_trade)
		return 0;
	s->cur_exit_qty += fabs(s->acct.qty);
	s->cur_exit_notional += fabs(s->acct.qty) *
	    (isfinite(s->prev.mark) ? s->prev.mark : s->prev.close);
	return close_trade(s, s->last_time, BF_REASON_END, s->upnl);
}

const char *const bf_sim_margin_words[2] = { "cross", "isolated" };
const char *const bf_sim_order_words[2] = { "market", "limit" };
const char *const bf_sim_slip_words[3] = { "fixed", "range", "volume" };
const char *const bf_sim_rebalance_words[2] = { "change", "always" };

/* The index of [sim] 'key' among 'words' (default 'def'), or -1. */
static int
cfg_word(const struct bf_cfg *cfg, const char *key, const char *def,
    const char *const *words, int n, struct bf_err *err)
{
	const char *v = bf_cfg_str(cfg, "sim", key, def);

	for (int i = 0; i < n; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	bf_err_set(err, BF_EUSAGE, "config: [sim] %s: unknown value '%s'",
	    key, v);
	return -1;
}

int
bf_sim_cfg_load(struct bf_sim_cfg *s, const struct bf_cfg *cfg,
    struct bf_err *err)
{
	struct bf_account_cfg *a = &s->acct;

	if (bf_cfg_double(cfg, "sim", "equity", 10000, &s->equity, err) ||
	    bf_cfg_double(cfg, "sim", "leverage", 20, &a->leverage, err) ||
	    bf_cfg_double(cfg, "sim", "slippage_bps", 0, &s->slip_bps, err) ||
	    bf_cfg_double(cfg, "sim", "slippage_k", 0, &s->slip_k, err) ||
	    bf_cfg_double(cfg, "sim", "step", 0.001, &a->step, err) ||
	    bf_cfg_double(cfg, "sim", "tick", 0.1, &a->tick, err) ||
	    bf_cfg_double(cfg, "sim", "min_notional", 100, &a->min_notional,
	    err) ||
	    bf_cfg_double(cfg, "fees", "maker", 0.0002, &a->fee_maker, err) ||
	    bf_cfg_double(cfg, "fees", "taker", 0.0005, &a->fee_taker, err) ||
	    bf_cfg_double(cfg, "fees", "liquidation", 0.0125, &a->fee_liq,
	    err))
		return BF_EUSAGE;
	if ((a->margin = cfg_word(cfg, "margin", "cross",
	    bf_sim_margin_words, 2, err)) < 0 ||
	    (s->order = cfg_word(cfg, "order", "market",
	    bf_sim_order_words, 2, err)) < 0 ||
	    (s->slip_model = cfg_word(cfg, "slippage_model", "fixed",
	    bf_sim_slip_words, 3, err)) < 0 ||
	    (s->rebalance = cfg_word(cfg, "rebalance", "change",
	    bf_sim_rebalance_words, 2, err)) < 0)
		return BF_EUSAGE;
	return 0;
}
