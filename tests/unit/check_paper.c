/* SPDX-License-Identifier: MIT */
/*
 * check_paper.c - paper trading (paper.h): events are the engine's
 * fills with deterministic ids, the kill switch and the daily loss
 * breaker close the position at the next open, the notional cap and
 * the order limit hold, worked out by hand on a few bars.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "paper.h"

Suite *paper_suite(void);

#define TOL 1e-9
#define H 3600000LL

/* No fees, slippage or filters; 1000 USDT, leverage 10. */
static void
cfg_plain(struct bf_paper_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->sim.acct.leverage = 10;
	c->sim.equity = 1000;
	c->symbol = "BTCUSDT";
}

/* A flat bar at price 'p' with target 'target'. */
static struct bf_bar
bar(int64_t t, double p, double target)
{
	struct bf_bar b;

	b.time = t;
	b.open = b.high = b.low = b.close = p;
	b.volume = b.mark = b.mark_high = b.mark_low = NAN;
	b.stop = b.take_profit = b.limit = NAN;
	b.target = target;
	return b;
}

/* Pass a bar and check success. */
static void
pass(struct bf_paper *p, int64_t t, double px, double target, bool kill)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_bar b = bar(t, px, target);

	ck_assert_int_eq(bf_paper_bar(p, &b, kill, &err), 0);
}

START_TEST(test_events)
{
	struct bf_paper_cfg c;
	struct bf_paper p;

	cfg_plain(&c);
	c.sim.acct.fee_taker = 0.001;
	bf_paper_init(&p, &c, "r1");
	pass(&p, 0, 100, 2, false);
	ck_assert_uint_eq(p.nev, 0);
	pass(&p, H, 50, -1, false);
	/* 2 x 1000 / 50 = 40 bought at 50, fee 2. */
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_str_eq(p.ev[0].client_order_id, "bfr1-3600000-0");
	ck_assert_int_eq(p.ev[0].order_id, 1);
	ck_assert_int_eq(p.ev[0].side, 1);
	ck_assert_str_eq(p.ev[0].type, "MARKET");
	ck_assert_str_eq(p.ev[0].reason, "signal");
	ck_assert_double_eq_tol(p.ev[0].qty, 40, TOL);
	ck_assert_double_eq_tol(p.ev[0].avg_price, 50, TOL);
	ck_assert_double_eq_tol(p.ev[0].fee, 2, TOL);
	ck_assert(isnan(p.ev[0].price));
	pass(&p, 2 * H, 50, -1, false);
	/* -1 x 998 / 50 = -19.96: sell 59.96. */
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_int_eq(p.ev[0].side, -1);
	ck_assert_double_eq_tol(p.ev[0].qty, 59.96, 1e-9);
	ck_assert_int_eq(p.ev[0].order_id, 2);
	ck_assert_int_eq(p.orders, 2);
	ck_assert_int_eq(p.fills, 2);
}
END_TEST

START_TEST(test_kill)
{
	struct bf_paper_cfg c;
	struct bf_paper p;

	cfg_plain(&c);
	bf_paper_init(&p, &c, "k");
	pass(&p, 0, 100, 1, false);
	pass(&p, H, 100, 1, false);
	ck_assert_double_eq_tol(p.sim.acct.qty, 10, TOL);
	pass(&p, 2 * H, 100, 1, true);
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_str_eq(p.ev[0].reason, "kill_switch");
	ck_assert_double_eq_tol(p.sim.acct.qty, 0, TOL);
	ck_assert(p.tripped & BF_HALT_KILL);
	/* It holds: a new target makes no order. */
	pass(&p, 3 * H, 100, 2, false);
	pass(&p, 4 * H, 100, 2, false);
	ck_assert_uint_eq(p.nev, 0);
}
END_TEST

START_TEST(test_daily_loss)
{
	struct bf_paper_cfg c;
	struct bf_paper p;

	cfg_plain(&c);
	c.max_daily_loss = 0.05;
	bf_paper_init(&p, &c, "d");
	pass(&p, 0, 100, 1, false);
	pass(&p, H, 100, 1, false);
	/* 10 long: a close at 94 loses 60 = 6 %. */
	{
		struct bf_err err = BF_ERR_INIT;
		struct bf_bar b = bar(2 * H, 100, 1);

		b.low = b.close = 94;
		ck_assert_int_eq(bf_paper_bar(&p, &b, false, &err), 0);
	}
	ck_assert(p.tripped & BF_HALT_DAILY);
	pass(&p, 3 * H, 94, 1, false);
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_str_eq(p.ev[0].reason, "max_daily_loss");
	ck_assert_double_eq_tol(p.sim.acct.qty, 0, TOL);
	pass(&p, 4 * H, 94, 1, false);
	ck_assert_uint_eq(p.nev, 0);
	/* The next UTC day trades again. */
	pass(&p, 24 * H, 94, 1, false);
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_str_eq(p.ev[0].reason, "signal");
	ck_assert(p.halt == 0);
}
END_TEST

START_TEST(test_caps)
{
	struct bf_paper_cfg c;
	struct bf_paper p;

	cfg_plain(&c);
	c.max_notional = 500;
	c.max_orders_day = 2;
	bf_paper_init(&p, &c, "c");
	pass(&p, 0, 100, 3, false);
	pass(&p, H, 100, 3, false);
	/* 3 x 1000 capped to 500 notional: 5 at 100. */
	ck_assert_double_eq_tol(p.sim.acct.qty, 5, TOL);
	ck_assert_int_eq(p.capped, 1);
	/* The same row target again: no order although equity moved. */
	pass(&p, 2 * H, 110, -3, false);
	ck_assert_uint_eq(p.nev, 0);
	pass(&p, 3 * H, 110, 1, false);
	ck_assert_uint_eq(p.nev, 1);
	ck_assert_int_eq(p.day_orders, 2);
	/* The third change of the day waits for the next day. */
	pass(&p, 4 * H, 110, 1, false);
	ck_assert_uint_eq(p.nev, 0);
	ck_assert_int_eq(p.held, 1);
	pass(&p, 24 * H, 110, 1, false);
	ck_assert_uint_eq(p.nev, 1);
}
END_TEST

START_TEST(test_funding)
{
	struct bf_paper_cfg c;
	struct bf_paper p;
	struct bf_err err = BF_ERR_INIT;
	struct bf_bar b;

	cfg_plain(&c);
	bf_paper_init(&p, &c, "f");
	pass(&p, 0, 100, 1, false);
	pass(&p, H, 100, 1, false);
	ck_assert_double_eq_tol(p.sim.acct.qty, 10, TOL);
	/* Announced for 3H, seen on the 2H row: pending until 3H. */
	b = bar(2 * H, 100, 1);
	bf_paper_funding(&p, &b, true, 3 * H, 0.001);
	ck_assert_int_eq(bf_paper_bar(&p, &b, false, &err), 0);
	ck_assert_double_eq_tol(p.sim.acct.funding, 0, TOL);
	/*
	 * The 3H row opens at the event: 10 x 100 x 0.001 paid at the open,
	 * with the rate known then; the row's own 0.002 is known only at
	 * its close (no look-ahead).
	 */
	b = bar(3 * H, 100, 1);
	bf_paper_funding(&p, &b, true, 3 * H, 0.002);
	ck_assert_double_eq_tol(p.sim.acct.funding, 1, TOL);
	ck_assert_double_eq_tol(p.sim.acct.wallet, 999, TOL);
}
END_TEST

Suite *
paper_suite(void)
{
	Suite *s = suite_create("paper");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_daily_loss);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_funding);
	suite_add_tcase(s, tc);
	return s;
}
