/* SPDX-License-Identifier: MIT */
/*
 * check_sim.c - the backtest engine's rules (sim.h), each on a few bars
 * worked out by hand: the next-open execution, rebalancing on change or
 * always, minimum notional, limit orders that need the price to trade
 * through, the order of stop and liquidation on the adverse leg, the
 * funding mark fallbacks, and the trade records.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "brackets.h"
#include "sim.h"

Suite *sim_suite(void);

#define TOL 1e-9

/* The trades the engine reported, for the checks. */
static struct bf_trade got[16];
static int ngot;

/* The on_trade callback: keep the record. */
static int
keep(void *ctx, const struct bf_trade *t)
{
	(void)ctx;
	if (ngot < (int)BF_ARRAY_SIZE(got))
		got[ngot++] = *t;
	return 0;
}

/* A configuration without fees, slippage or filters. */
static void
cfg_plain(struct bf_sim_cfg *c, const struct bf_brackets *bs)
{
	memset(c, 0, sizeof(*c));
	c->acct.leverage = 10;
	c->acct.fee_liq = 0.0125;
	c->acct.brackets = bs;
	c->equity = 1000;
	ngot = 0;
}

/* A bar with no optional column. */
static struct bf_bar
bar(int64_t t, double o, double h, double l, double c, double target)
{
	struct bf_bar b;

	b.time = t;
	b.open = o;
	b.high = h;
	b.low = l;
	b.close = c;
	b.volume = b.mark = b.mark_high = b.mark_low = NAN;
	b.stop = b.take_profit = b.limit = NAN;
	b.target = target;
	return b;
}

START_TEST(test_next_open)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 2);
	bf_sim_bar(&s, &b);
	/* A target is never filled on its own bar. */
	ck_assert_double_eq_tol(s.acct.qty, 0, TOL);
	b = bar(1, 50, 60, 40, 55, 2);
	bf_sim_bar(&s, &b);
	/* 2 x 1000 / 50 at the next open. */
	ck_assert_double_eq_tol(s.acct.qty, 40, TOL);
	ck_assert_double_eq_tol(s.acct.entry, 50, TOL);
	ck_assert_double_eq_tol(s.equity, 1000 + 40 * 5, TOL);
	bf_sim_finish(&s);
	ck_assert_int_eq(ngot, 1);
	ck_assert_int_eq(got[0].reason, BF_REASON_END);
	ck_assert_double_eq_tol(got[0].exit_price, 55, TOL);
	ck_assert_double_eq_tol(got[0].pnl, 200, TOL);
}
END_TEST

START_TEST(test_rebalance)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 1);
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 200, 100, 200, 1);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 10, TOL);
	/* Same target: the quantity is held although equity doubled. */
	b = bar(2, 200, 200, 200, 200, 1);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 10, TOL);
	ck_assert_int_eq(s.orders, 1);

	/*
	 * Always: a 2x target bought 20 at 100; at the 200 open equity is
	 * 1000 + 20 x 100 = 3000 and the target wants 2 x 3000 / 200 = 30.
	 */
	c.rebalance = BF_SIM_ALWAYS;
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 2);
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 200, 100, 200, 2);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 20, TOL);
	b = bar(2, 200, 200, 200, 200, 2);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 30, TOL);
	ck_assert_double_eq_tol(s.acct.entry, (20 * 100 + 10 * 200) / 30.0,
	    TOL);
	ck_assert_int_eq(s.orders, 2);
}
END_TEST

START_TEST(test_min_notional)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	c.acct.min_notional = 100;
	c.acct.step = 0.001;
	bf_sim_init(&s, &c, keep, NULL);
	/* 0.05 x 1000 = 50 USDT: below 100, skipped. */
	b = bar(0, 100, 100, 100, 100, 0.05);
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 100, 100, 100, 0.5);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 0, TOL);
	ck_assert_int_eq(s.skipped, 1);
	b = bar(2, 100, 100, 100, 100, 0.45);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 5, TOL);
	/* Reducing by 50 USDT is allowed: reduce-only is exempt. */
	b = bar(3, 100, 100, 100, 100, 0.45);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 4.5, TOL);
}
END_TEST

START_TEST(test_limit)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	c.order = BF_SIM_LIMIT;
	c.acct.fee_maker = 0.0002;
	c.acct.fee_taker = 0.0005;
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 1);
	bf_sim_bar(&s, &b);
	/* A buy at 100 is not filled by a bar whose low only touches it. */
	b = bar(1, 101, 102, 100, 101, 1);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.qty, 0, TOL);
	ck_assert_int_eq(s.unfilled, 1);
	/* Placed again at 101 (the last close); low 100.5 trades through. */
	b = bar(2, 101.5, 102, 100.5, 101, 1);
	bf_sim_bar(&s, &b);
	ck_assert_double_eq_tol(s.acct.entry, 101, TOL);
	ck_assert_double_eq_tol(s.acct.qty, 1000 / 101.0, 1e-9);
	ck_assert_double_eq_tol(s.acct.fees, 1000 * 0.0002, 1e-9);
}
END_TEST

START_TEST(test_stop_before_liquidation)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", &err), 0);
	/*
	 * 10x long of 1000 at 100: 100 units, LP = -9000 / (100 x 0.004 -
	 * 100) = 90.3614.  A stop at 95 is nearer the open than LP: a bar
	 * down to 80 stops the position out at 95.
	 */
	cfg_plain(&c, &bs);
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 10);
	b.stop = 95;
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 101, 80, 85, 10);
	bf_sim_bar(&s, &b);
	ck_assert_int_eq(ngot, 1);
	ck_assert_int_eq(got[0].reason, BF_REASON_STOP);
	ck_assert_double_eq_tol(got[0].exit_price, 95, TOL);
	ck_assert_double_eq_tol(s.acct.wallet, 500, 1e-9);
	/* A stop below LP: the liquidation comes first. */
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 10);
	b.stop = 85;
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 101, 80, 85, 10);
	bf_sim_bar(&s, &b);
	ck_assert_int_eq(ngot, 2);
	ck_assert_int_eq(got[1].reason, BF_REASON_LIQUIDATION);
	ck_assert_double_eq_tol(got[1].exit_price, -9000 / (0.4 - 100), 1e-6);
	ck_assert_int_eq(s.acct.liquidations, 1);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_take_profit_after_adverse_leg)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	bf_sim_init(&s, &c, keep, NULL);
	/* A short of 10 at 100 with stop 105 and take-profit 90. */
	b = bar(0, 100, 100, 100, 100, -1);
	b.stop = 105;
	b.take_profit = 90;
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 104, 89, 95, -1);
	bf_sim_bar(&s, &b);
	ck_assert_int_eq(ngot, 1);
	ck_assert_int_eq(got[0].reason, BF_REASON_TAKE_PROFIT);
	ck_assert_double_eq_tol(got[0].exit_price, 90, TOL);
	ck_assert_double_eq_tol(got[0].pnl, 100, TOL);
	/* Levels are gone with the position. */
	ck_assert(isnan(s.stop) && isnan(s.take_profit));
}
END_TEST

START_TEST(test_funding_marks)
{
	struct bf_sim_cfg c;
	struct bf_sim s;
	struct bf_bar b;

	cfg_plain(&c, NULL);
	bf_sim_init(&s, &c, keep, NULL);
	b = bar(0, 100, 100, 100, 100, 1);
	bf_sim_bar(&s, &b);
	b = bar(1, 100, 100, 100, 100, 1);
	b.mark = 101;
	bf_sim_bar(&s, &b);
	/* 10 units; the event's own mark first. */
	ck_assert_double_eq_tol(bf_sim_funding(&s, 0.001, 120, 99), 1.2, TOL);
	/* Else the last bar's mark, 101. */
	ck_assert_double_eq_tol(bf_sim_funding(&s, 0.001, NAN, 99), 1.01, TOL);
	b = bar(2, 100, 100, 100, 100, 1);
	bf_sim_bar(&s, &b);
	/* Without a mark column: the open given. */
	ck_assert_double_eq_tol(bf_sim_funding(&s, 0.001, NAN, 98), 0.98, TOL);
	bf_sim_finish(&s);
	ck_assert_double_eq_tol(got[0].funding, 1.2 + 1.01 + 0.98, TOL);
	ck_assert_double_eq_tol(got[0].pnl, -(1.2 + 1.01 + 0.98), TOL);
}
END_TEST

START_TEST(test_cfg_load)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg = bf_cfg_new();
	struct bf_sim_cfg s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(bf_sim_cfg_load(&s, cfg, &err), 0);
	ck_assert(s.equity == 10000 && s.acct.leverage == 20);
	ck_assert(s.acct.fee_taker == 0.0005 && s.acct.fee_liq == 0.0125);
	ck_assert_int_eq(s.acct.margin, BF_MARGIN_CROSS);
	ck_assert_int_eq(s.order, BF_SIM_MARKET);
	bf_cfg_set(cfg, "sim", "margin", "isolated");
	bf_cfg_set(cfg, "sim", "slippage_model", "range");
	bf_cfg_set(cfg, "fees", "taker", "0.0004");
	ck_assert_int_eq(bf_sim_cfg_load(&s, cfg, &err), 0);
	ck_assert_int_eq(s.acct.margin, BF_MARGIN_ISOLATED);
	ck_assert_int_eq(s.slip_model, BF_SLIP_RANGE);
	ck_assert(s.acct.fee_taker == 0.0004);
	bf_cfg_set(cfg, "sim", "order", "stop");
	ck_assert_int_eq(bf_sim_cfg_load(&s, cfg, &err), BF_EUSAGE);
	ck_assert_str_eq(err.msg, "config: [sim] order: unknown value 'stop'");
	bf_cfg_free(cfg);
}
END_TEST

Suite *
sim_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, test_next_open);
	tcase_add_test(tc, test_rebalance);
	tcase_add_test(tc, test_min_notional);
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_stop_before_liquidation);
	tcase_add_test(tc, test_take_profit_after_adverse_leg);
	tcase_add_test(tc, test_funding_marks);
	tcase_add_test(tc, test_cfg_load);
	suite_add_tcase(s, tc);
	return s;
}
