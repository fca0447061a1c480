/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - performance metrics of a return series and of a list of
 * trades, computed in one pass (O(1) memory), with empyrical's
 * definitions so figures agree with the Python tools quants compare
 * against (bf-sim(1), METRICS, writes them out in words):
 *
 *	total return     prod(1 + r) - 1
 *	annual return    (1 + total)^(P / N) - 1      (CAGR; N counts every
 *	                 period, missing returns too, as empyrical does)
 *	annual vol       std(r, ddof 1) x sqrt(P)
 *	Sharpe           mean(r) / std(r, ddof 1) x sqrt(P)
 *	downside risk    sqrt(mean(min(r, 0)^2)) x sqrt(P)
 *	Sortino          mean(r) x P / downside risk
 *	max drawdown     min over t of (V_t / max_{s<=t} V_s - 1), V the
 *	                 compounded value starting at 1 (so <= 0)
 *	Calmar           annual return / |max drawdown|
 *
 * P is the number of periods per year.  Missing returns (NaN) are
 * skipped by every mean and deviation.  A figure that is undefined
 * (fewer than two returns for a deviation, a zero deviation, no
 * drawdown for Calmar) is NaN, and Sortino is +inf when there is no
 * downside and the mean is positive, as in empyrical.
 *
 * Drawdown duration is the longest run of periods from a peak to the
 * first period back at or above it (or to the end when it never gets
 * back), counted in periods.
 *
 * Trades: win rate = winners / trades (a trade of PnL exactly 0 is
 * neither a winner nor a loser), profit factor = gross profit / gross
 * loss, expectancy = mean PnL per trade, average win and loss, the
 * longest runs of consecutive winners and losers.
 *
 * Nothing here allocates.
 */
#ifndef BF_METRICS_H
#define BF_METRICS_H

#include "compat.h"

struct bf_metrics {
	long n_total;		/* periods seen, missing ones included */
	long n;			/* finite returns */
	double mean;		/* running mean (Welford) */
	double m2;		/* running sum of squared deviations */
	double down2;		/* sum of min(r, 0)^2 */
	double value;		/* compounded value, starts at 1 */
	double peak;		/* highest value so far */
	double max_dd;		/* most negative value / peak - 1 */
	long dd_len;		/* periods since the current peak */
	long dd_len_max;	/* longest drawdown so far */
	/* Trades. */
	long trades, wins, losses;
	double gross_win;	/* sum of winning PnL */
	double gross_loss;	/* sum of |losing PnL| */
	double pnl_sum;
	long run_w, run_l;	/* current runs */
	long max_run_w, max_run_l;
};

struct bf_metrics_result {
	double total_return;
	double annual_return;
	double annual_volatility;
	double sharpe;
	double sortino;
	double downside_risk;
	double calmar;
	double max_drawdown;	/* <= 0 */
	long max_drawdown_periods;
	long periods;
	/* Trades. */
	long trades, wins, losses;
	double win_rate;
	double profit_factor;
	double expectancy;
	double avg_win;
	double avg_loss;	/* <= 0 */
	long max_consecutive_wins;
	long max_consecutive_losses;
};

void bf_metrics_init(struct bf_metrics *m);

/* Add one period's return 'r' (NaN: a missing period). */
void bf_metrics_add(struct bf_metrics *m, double r);

/* Add one closed trade's net PnL. */
void bf_metrics_trade(struct bf_metrics *m, double pnl);

/* The figures so far, annualized with 'periods_per_year' periods. */
void bf_metrics_result(const struct bf_metrics *m, double periods_per_year,
    struct bf_metrics_result *out);

#endif /* BF_METRICS_H */
