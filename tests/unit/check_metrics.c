/* SPDX-License-Identifier: MIT */
/*
 * check_metrics.c - the metrics module against empyrical's own test
 * vectors (quantopian/empyrical, empyrical/tests/test_stats.py): the
 * same return series and the expected figures that file asserts to 8
 * decimal places, plus the trade statistics checked by hand.  The weekly
 * and monthly Sortino figures are those of the later test_stats.py
 * (1.1158901056866439, 0.53605626741889756): earlier versions expected
 * values computed with a downside risk annualized as if daily.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "metrics.h"

#define TOL 1e-8

Suite *metrics_suite(void);

/* empyrical's test series, in percent. */
static const double mixed[] = { NAN, 1, 10, -4, 2, 3, 2, 1, -10 };
static const double weekly[] = { 0, 1, 10, -4, 2, 3, 2, 1, -10 };
static const double positive[] = { 1, 2, 1, 1, 1, 1, 1, 1, 1 };
static const double negative[] = { 0, -6, -7, -1, -9, -2, -6, -8, -5 };
static const double simple_benchmark[] = { 0, 1, 0, 1, 0, 1, 0, 1, 0 };
static const double one_return[] = { 1 };
static const double ten_minus_ten[] = { 10, -10, 10 };

/* Feed 'n' returns given in percent and compute with 'ppy'. */
static void
run(const double *pct, size_t n, double ppy, struct bf_metrics_result *o)
{
	struct bf_metrics m;

	bf_metrics_init(&m);
	for (size_t i = 0; i < n; i++)
		bf_metrics_add(&m, pct[i] / 100);
	bf_metrics_result(&m, ppy, o);
}

START_TEST(test_mixed_daily)
{
	struct bf_metrics_result o;

	run(mixed, BF_ARRAY_SIZE(mixed), 252, &o);
	ck_assert_double_eq_tol(o.annual_return, 1.9135925373194231, TOL);
	ck_assert_double_eq_tol(o.annual_volatility, 0.9136465399704637, TOL);
	ck_assert_double_eq_tol(o.calmar, 19.135925373194233, TOL);
	ck_assert_double_eq_tol(o.sharpe, 1.7238613961706866, TOL);
	ck_assert_double_eq_tol(o.downside_risk, 0.60448325038829653, TOL);
	ck_assert_double_eq_tol(o.sortino, 2.605531251673693, TOL);
	ck_assert_double_eq_tol(o.max_drawdown, -0.1, TOL);
	/* cum_returns_final, asserted to 4 places by empyrical. */
	ck_assert_double_eq_tol(o.total_return, 0.03893, 1e-4);
	ck_assert_int_eq(o.periods, 9);
}
END_TEST

START_TEST(test_weekly_monthly)
{
	struct bf_metrics_result o;

	run(weekly, BF_ARRAY_SIZE(weekly), 52, &o);
	ck_assert_double_eq_tol(o.annual_return, 0.24690830513998208, TOL);
	ck_assert_double_eq_tol(o.annual_volatility, 0.38851569394870583, TOL);
	ck_assert_double_eq_tol(o.calmar, 2.4690830513998208, TOL);
	ck_assert_double_eq_tol(o.downside_risk, 0.25888650451930134, TOL);
	ck_assert_double_eq_tol(o.sortino, 1.1158901056866439, TOL);
	run(weekly, BF_ARRAY_SIZE(weekly), 12, &o);
	ck_assert_double_eq_tol(o.annual_return, 0.052242061386048144, TOL);
	ck_assert_double_eq_tol(o.annual_volatility, 0.18663690238892558, TOL);
	ck_assert_double_eq_tol(o.calmar, 0.52242061386048144, TOL);
	ck_assert_double_eq_tol(o.downside_risk, 0.1243650540411842, TOL);
	ck_assert_double_eq_tol(o.sortino, 0.53605626741889756, TOL);
}
END_TEST

START_TEST(test_positive_negative)
{
	struct bf_metrics_result o;

	run(positive, BF_ARRAY_SIZE(positive), 252, &o);
	ck_assert_double_eq_tol(o.sharpe, 52.915026221291804, TOL);
	ck_assert_double_eq_tol(o.max_drawdown, 0, TOL);
	ck_assert(isinf(o.sortino) && o.sortino > 0);
	run(negative, BF_ARRAY_SIZE(negative), 252, &o);
	ck_assert_double_eq_tol(o.sharpe, -24.406808633910085, TOL);
	ck_assert_double_eq_tol(o.max_drawdown, -0.36590730349873601, TOL);
	ck_assert_double_eq_tol(o.sortino, -13.532743075043401, TOL);
	ck_assert_double_eq_tol(o.total_return, -0.36590, 1e-4);
	/* Down from the first period to the end: 8 periods under water. */
	ck_assert_int_eq(o.max_drawdown_periods, 8);
	run(simple_benchmark, BF_ARRAY_SIZE(simple_benchmark), 252, &o);
	ck_assert_double_eq_tol(o.max_drawdown, 0, TOL);
	ck_assert(isinf(o.sortino) && o.sortino > 0);
	run(ten_minus_ten, BF_ARRAY_SIZE(ten_minus_ten), 252, &o);
	ck_assert_double_eq_tol(o.max_drawdown, -0.10, TOL);
	ck_assert_int_eq(o.max_drawdown_periods, 2);
}
END_TEST

START_TEST(test_short_and_empty)
{
	struct bf_metrics_result o;
	struct bf_metrics m;

	run(one_return, 1, 252, &o);
	ck_assert(isnan(o.sharpe));
	ck_assert(isnan(o.sortino));
	ck_assert_double_eq_tol(o.downside_risk, 0, TOL);
	ck_assert_double_eq_tol(o.max_drawdown, 0, TOL);
	ck_assert_double_eq_tol(o.total_return, 0.01, TOL);
	run(NULL, 0, 252, &o);
	ck_assert(isnan(o.max_drawdown));
	ck_assert(isnan(o.sharpe));
	ck_assert(isnan(o.sortino));
	ck_assert(isnan(o.annual_return));
	/* flat_line_1_tz: 1000 returns of 1 %, zero volatility. */
	bf_metrics_init(&m);
	for (int i = 0; i < 1000; i++)
		bf_metrics_add(&m, 0.01);
	bf_metrics_result(&m, 252, &o);
	ck_assert_double_eq_tol(o.annual_volatility, 0, TOL);
	ck_assert(isnan(o.sharpe));
}
END_TEST

START_TEST(test_trades)
{
	struct bf_metrics m;
	struct bf_metrics_result o;
	static const double pnl[] = { 10, 20, -5, 0, -5, -10, 30, 40, 50 };

	bf_metrics_init(&m);
	for (size_t i = 0; i < BF_ARRAY_SIZE(pnl); i++)
		bf_metrics_trade(&m, pnl[i]);
	bf_metrics_result(&m, 252, &o);
	ck_assert_int_eq(o.trades, 9);
	ck_assert_int_eq(o.wins, 5);
	ck_assert_int_eq(o.losses, 3);
	ck_assert_double_eq_tol(o.win_rate, 5.0 / 9, TOL);
	/* 150 won, 20 lost. */
	ck_assert_double_eq_tol(o.profit_factor, 7.5, TOL);
	ck_assert_double_eq_tol(o.expectancy, 130.0 / 9, TOL);
	ck_assert_double_eq_tol(o.avg_win, 30, TOL);
	ck_assert_double_eq_tol(o.avg_loss, -20.0 / 3, TOL);
	ck_assert_int_eq(o.max_consecutive_wins, 3);
	/* The 0 breaks the run of losers: -5, then -5, -10. */
	ck_assert_int_eq(o.max_consecutive_losses, 2);
}
END_TEST

Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("empyrical");

	tcase_add_test(tc, test_mixed_daily);
	tcase_add_test(tc, test_weekly_monthly);
	tcase_add_test(tc, test_positive_negative);
	tcase_add_test(tc, test_short_and_empty);
	tcase_add_test(tc, test_trades);
	suite_add_tcase(s, tc);
	return s;
}
