/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - one-pass performance metrics with empyrical's definitions
 * (metrics.h).  The mean and variance use Welford's update, which keeps
 * full precision over millions of small returns.
 */
#include "compat.h"

#include <math.h>

#include "metrics.h"

/* Start empty: value 1, no returns, no trades. */
void
bf_metrics_init(struct bf_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->value = 1;
	m->peak = 1;
}

/* Add one return; NaN counts as a period but enters no statistic. */
void
bf_metrics_add(struct bf_metrics *m, double r)
{
	double d;

	m->n_total++;
	if (!isfinite(r))
		return;
	m->n++;
	d = r - m->mean;
	m->mean += d / (double)m->n;
	m->m2 += d * (r - m->mean);
	if (r < 0)
		m->down2 += r * r;
	m->value *= 1 + r;
	if (m->value >= m->peak) {
		m->peak = m->value;
		m->dd_len = 0;
	} else {
		double dd = m->value / m->peak - 1;

		if (dd < m->max_dd)
			m->max_dd = dd;
		m->dd_len++;
		if (m->dd_len > m->dd_len_max)
			m->dd_len_max = m->dd_len;
	}
}

/* Add one trade's net PnL. */
void
bf_metrics_trade(struct bf_metrics *m, double pnl)
{
	m->trades++;
	m->pnl_sum += pnl;
	if (pnl > 0) {
		m->wins++;
		m->gross_win += pnl;
		m->run_w++;
		m->run_l = 0;
		if (m->run_w > m->max_run_w)
			m->max_run_w = m->run_w;
	} else if (pnl < 0) {
		m->losses++;
		m->gross_loss -= pnl;
		m->run_l++;
		m->run_w = 0;
		if (m->run_l > m->max_run_l)
			m->max_run_l = m->run_l;
	} else {
		m->run_w = m->run_l = 0;
	}
}

/* Compute the figures; see metrics.h for each definition. */
void
bf_metrics_result(const struct bf_metrics *m, double ppy,
    struct bf_metrics_result *o)
{
	double sd, years;

	memset(o, 0, sizeof(*o));
	o->periods = m->n_total;
	o->total_return = m->n > 0 ? m->value - 1 : NAN;
	years = (double)m->n_total / ppy;
	if (m->n == 0 || years <= 0)
		o->annual_return = NAN;
	else if (m->value <= 0)
		o->annual_return = -1;
	else
		o->annual_return = pow(m->value, 1 / years) - 1;
	sd = m->n >= 2 ? sqrt(m->m2 / (double)(m->n - 1)) : NAN;
	o->annual_volatility = sd * sqrt(ppy);
	o->sharpe = sd > 0 ? m->mean / sd * sqrt(ppy) : NAN;
	o->downside_risk = m->n > 0 ? sqrt(m->down2 / (double)m->n) *
	    sqrt(ppy) : NAN;
	if (m->n_total < 2)
		o->sortino = NAN;
	else if (o->downside_risk > 0)
		o->sortino = m->mean * ppy / o->downside_risk;
	else
		o->sortino = m->mean > 0 ? INFINITY : NAN;
	o->max_drawdown = m->n > 0 ? m->max_dd : NAN;
	o->max_drawdown_periods = m->dd_len_max;
	o->calmar = m->max_dd < 0 ? o->annual_return / fabs(m->max_dd) : NAN;

	o->trades = m->trades;
	o->wins = m->wins;
	o->losses = m->losses;
	o->win_rate = m->trades > 0 ? (double)m->wins / (double)m->trades :
	    NAN;
	o->profit_factor = m->gross_loss > 0 ? m->gross_win / m->gross_loss :
	    (m->gross_win > 0 ? INFINITY : NAN);
	o->expectancy = m->trades > 0 ? m->pnl_sum / (double)m->trades : NAN;
	o->avg_win = m->wins > 0 ? m->gross_win / (double)m->wins : NAN;
	o->avg_loss = m->losses > 0 ? -m->gross_loss / (double)m->losses :
	    NAN;
	o->max_consecutive_wins = m->max_run_w;
	o->max_consecutive_losses = m->max_run_l;
}
