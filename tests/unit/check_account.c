/* SPDX-License-Identifier: MIT */
/*
 * check_account.c - the account engine: average entry, realized PnL,
 * flips, fees, funding (binance-usdm.md §11.2's example), isolated
 * margin and the liquidation price (§11.5's worked examples 1 and 2),
 * the clearance fee and its cap, and step/tick rounding.  Every
 * expected figure is worked out by hand in the comment beside it.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "account.h"
#include "brackets.h"

Suite *account_suite(void);

#define TOL 1e-9

/* A cross account without fees or filters, with 'brackets' (or NULL). */
static void
setup(struct bf_account *a, const struct bf_brackets *bs, int margin,
    double lev, double wallet)
{
	struct bf_account_cfg c;

	memset(&c, 0, sizeof(c));
	c.margin = margin;
	c.leverage = lev;
	c.brackets = bs;
	c.fee_liq = 0.0125;
	bf_account_init(a, &c, wallet);
}

START_TEST(test_average_and_realize)
{
	struct bf_account a;
	struct bf_fill f;

	setup(&a, NULL, BF_MARGIN_CROSS, 20, 10000);
	bf_account_fill(&a, 1, 100, 0, &f);
	bf_account_fill(&a, 1, 110, 0, &f);
	/* (1 x 100 + 1 x 110) / 2 */
	ck_assert_double_eq_tol(a.entry, 105, TOL);
	ck_assert_double_eq_tol(a.qty, 2, TOL);
	ck_assert_double_eq_tol(bf_account_upnl(&a, 120), 30, TOL);
	/* Sell 0.5 at 120: realize 0.5 x (120 - 105) = 7.5, entry kept. */
	bf_account_fill(&a, -0.5, 120, 0, &f);
	ck_assert_double_eq_tol(f.realized, 7.5, TOL);
	ck_assert_double_eq_tol(f.closed, 0.5, TOL);
	ck_assert_double_eq_tol(a.entry, 105, TOL);
	ck_assert_double_eq_tol(a.wallet, 10007.5, TOL);
	/* Sell 3 at 100: close 1.5 (-7.5), open a 1.5 short at 100. */
	bf_account_fill(&a, -3, 100, 0, &f);
	ck_assert_double_eq_tol(f.realized, -7.5, TOL);
	ck_assert_double_eq_tol(f.closed, 1.5, TOL);
	ck_assert_double_eq_tol(f.opened, 1.5, TOL);
	ck_assert_double_eq_tol(a.qty, -1.5, TOL);
	ck_assert_double_eq_tol(a.entry, 100, TOL);
	ck_assert_double_eq_tol(a.wallet, 10000, TOL);
	/* The short gains when the price falls: 1.5 x (100 - 90). */
	ck_assert_double_eq_tol(bf_account_equity(&a, 90), 10015, TOL);
	bf_account_fill(&a, 1.5, 90, 0, &f);
	ck_assert_double_eq_tol(a.qty, 0, TOL);
	ck_assert_double_eq_tol(a.entry, 0, TOL);
	ck_assert_double_eq_tol(a.realized, 15, TOL);
}
END_TEST

START_TEST(test_fees)
{
	struct bf_account a;
	struct bf_fill f;

	setup(&a, NULL, BF_MARGIN_CROSS, 20, 10000);
	/* Taker 0.05 % of 0.5 x 60000 = 15; maker 0.02 % = 6. */
	bf_account_fill(&a, 0.5, 60000, 0.0005, &f);
	ck_assert_double_eq_tol(f.fee, 15, TOL);
	bf_account_fill(&a, -0.5, 60000, 0.0002, &f);
	ck_assert_double_eq_tol(f.fee, 6, TOL);
	ck_assert_double_eq_tol(a.fees, 21, TOL);
	ck_assert_double_eq_tol(a.wallet, 10000 - 21, TOL);
	ck_assert_double_eq_tol(a.turnover, 60000, TOL);
}
END_TEST

START_TEST(test_funding)
{
	struct bf_account a;

	setup(&a, NULL, BF_MARGIN_CROSS, 20, 10000);
	ck_assert_double_eq_tol(bf_account_funding(&a, 0.0001, 60000), 0, TOL);
	bf_account_fill(&a, 0.5, 60000, 0, NULL);
	/* §11.2: long 0.5 at mark 60000, rate 0.01 % pays 3.00. */
	ck_assert_double_eq_tol(bf_account_funding(&a, 0.0001, 60000), 3,
	    TOL);
	/* Rate -0.015 %: the long receives 4.50. */
	ck_assert_double_eq_tol(bf_account_funding(&a, -0.00015, 60000),
	    -4.5, TOL);
	ck_assert_double_eq_tol(a.funding, -1.5, TOL);
	ck_assert_double_eq_tol(a.wallet, 10001.5, TOL);
	/* A short pays when the rate is negative. */
	bf_account_fill(&a, -1, 60000, 0, NULL);
	ck_assert_double_eq_tol(bf_account_funding(&a, -0.0001, 50000), 2.5,
	    TOL);
}
END_TEST

START_TEST(test_liq_price_isolated)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_account a;
	struct bf_err err = BF_ERR_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", &err), 0);
	/* §11.5 example 1: 1 BTC long at 60000, 10x: margin 6000. */
	setup(&a, &bs, BF_MARGIN_ISOLATED, 10, 100000);
	bf_account_fill(&a, 1, 60000, 0, NULL);
	ck_assert_double_eq_tol(a.iso_margin, 6000, TOL);
	ck_assert_double_eq_tol(bf_account_liq_price(&a), 54221.1055276, 1e-6);
	/* At LP the margin balance equals MM (221.11). */
	ck_assert_double_eq_tol(bf_account_margin_balance(&a, 54221.1055276),
	    bf_account_maint_margin(&a, 54221.1055276), 1e-5);
	/* Example 2: 2 BTC short at 60000, 20x: margin 6000, LP 62711.44. */
	setup(&a, &bs, BF_MARGIN_ISOLATED, 20, 100000);
	bf_account_fill(&a, -2, 60000, 0, NULL);
	ck_assert_double_eq_tol(bf_account_liq_price(&a), 126050.0 / 2.01,
	    1e-6);
	/* Flat: no liquidation price. */
	bf_account_fill(&a, 2, 60000, 0, NULL);
	ck_assert_double_eq_tol(bf_account_liq_price(&a), 0, TOL);
	ck_assert_double_eq_tol(a.iso_margin, 0, TOL);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_liquidate)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_account a;
	struct bf_err err = BF_ERR_INIT;
	struct bf_fill f;
	double lp;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", &err), 0);
	/*
	 * Isolated long 1 BTC at 60000, 10x, wallet 10000.  At LP
	 * 54221.1055 the close realizes -5778.8945; 221.1055 of the
	 * 6000 margin is left, less than the clearance fee
	 * 54221.1055 x 1.25 % = 677.76, so the fee is capped at 221.1055
	 * and the wallet keeps the 4000 that was never margin.
	 */
	setup(&a, &bs, BF_MARGIN_ISOLATED, 10, 10000);
	bf_account_fill(&a, 1, 60000, 0, NULL);
	lp = bf_account_liq_price(&a);
	bf_account_liquidate(&a, lp, &f);
	ck_assert_double_eq_tol(f.realized, lp - 60000, 1e-9);
	ck_assert_double_eq_tol(f.fee, 6000 + (lp - 60000), 1e-6);
	ck_assert_double_eq_tol(a.wallet, 4000, 1e-6);
	ck_assert_int_eq(a.liquidations, 1);
	ck_assert_double_eq_tol(a.qty, 0, TOL);
	/*
	 * Cross long 0.1 BTC at 60000 (notional 6000, bracket 1: MMR
	 * 0.4 %) with wallet 1000: LP = (1000 - 6000) / (0.1 x 0.004 - 0.1)
	 * = 50200.80; wallet after the close 1000 + 0.1 x (LP - 60000) =
	 * 20.08; fee 0.1 x LP x 1.25 % = 62.75, capped at 20.08: wallet 0.
	 */
	setup(&a, &bs, BF_MARGIN_CROSS, 20, 1000);
	bf_account_fill(&a, 0.1, 60000, 0, NULL);
	lp = bf_account_liq_price(&a);
	ck_assert_double_eq_tol(lp, -5000 / (0.1 * 0.004 - 0.1), 1e-6);
	bf_account_liquidate(&a, lp, &f);
	ck_assert_double_eq_tol(a.wallet, 0, 1e-9);
	/*
	 * A fee below what is left is charged in full: isolated 0.1 BTC
	 * at 60000 with 2x leverage (margin 3000) liquidated by hand at
	 * 50000: 2000 left after the -1000 loss, fee 0.1 x 50000 x
	 * 1.25 % = 62.5.
	 */
	setup(&a, &bs, BF_MARGIN_ISOLATED, 2, 5000);
	bf_account_fill(&a, 0.1, 60000, 0, NULL);
	bf_account_liquidate(&a, 50000, &f);
	ck_assert_double_eq_tol(f.fee, 62.5, 1e-9);
	ck_assert_double_eq_tol(a.wallet, 5000 - 1000 - 62.5, 1e-9);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_rounding)
{
	struct bf_account_cfg c;
	struct bf_account a;

	memset(&c, 0, sizeof(c));
	c.step = 0.001;
	c.tick = 0.1;
	c.leverage = 5;
	ck_assert_double_eq_tol(bf_account_round_qty(&c, 0.3), 0.3, 1e-12);
	ck_assert_double_eq_tol(bf_account_round_qty(&c, 0.12399), 0.123,
	    1e-12);
	ck_assert_double_eq_tol(bf_account_round_qty(&c, -0.12399), -0.123,
	    1e-12);
	ck_assert_double_eq_tol(bf_account_round_price(&c, 100.01, 1), 100.1,
	    1e-9);
	ck_assert_double_eq_tol(bf_account_round_price(&c, 100.09, -1), 100.0,
	    1e-9);
	ck_assert_double_eq_tol(bf_account_round_price(&c, 100.1, 1), 100.1,
	    1e-9);
	/* Without brackets the leverage alone caps the notional. */
	bf_account_init(&a, &c, 1000);
	ck_assert_double_eq_tol(bf_account_max_notional(&a, 1000), 5000, 1e-9);
	/* Many fills stay on the step grid. */
	for (int i = 0; i < 1000; i++)
		bf_account_fill(&a, 0.001, 100, 0, NULL);
	ck_assert(a.qty == 1.0);
}
END_TEST

START_TEST(test_cfg_check)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_account_cfg c;
	struct bf_err err = BF_ERR_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", &err), 0);
	memset(&c, 0, sizeof(c));
	c.brackets = &bs;
	c.leverage = 125;
	ck_assert_int_eq(bf_account_cfg_check(&c, &err), 0);
	c.leverage = 126;
	ck_assert_int_eq(bf_account_cfg_check(&c, &err), BF_EUSAGE);
	c.leverage = 0.5;
	ck_assert_int_eq(bf_account_cfg_check(&c, &err), BF_EUSAGE);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_order_qty)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_account_cfg c;
	struct bf_account a;
	struct bf_err err = BF_ERR_INIT;
	int fl;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", &err), 0);
	memset(&c, 0, sizeof(c));
	c.leverage = 5;
	c.step = 0.001;
	c.min_notional = 100;
	c.brackets = &bs;
	bf_account_init(&a, &c, 10000);
	/* 1.5 x 10000 / 43210.7 = 0.34713...: 0.347 on the step. */
	ck_assert_double_eq_tol(bf_account_order_qty(&a, 1.5, 43210.7, &fl),
	    0.347, 1e-12);
	ck_assert_int_eq(fl, 0);
	/* 9x is clipped to the 5x setting: 50000 / 50000 = 1. */
	ck_assert_double_eq_tol(bf_account_order_qty(&a, 9, 50000, &fl), 1,
	    1e-12);
	ck_assert_int_eq(fl, BF_ORDER_CLIPPED);
	/* 0.005 x 10000 = 50 USDT: below min notional, dropped. */
	ck_assert_double_eq_tol(bf_account_order_qty(&a, 0.005, 50000, &fl),
	    0, 1e-12);
	ck_assert_int_eq(fl, BF_ORDER_SKIPPED);
	bf_account_fill(&a, 0.1, 50000, 0, NULL);
	/* Reducing 0.1 to 0.099 (50 USDT) is allowed. */
	ck_assert_double_eq_tol(bf_account_order_qty(&a, 0.495, 50000, &fl),
	    -0.001, 1e-12);
	ck_assert_int_eq(fl, 0);
	/* A flip to a 50 USDT short only closes. */
	ck_assert_double_eq_tol(bf_account_order_qty(&a, -0.005, 50000, &fl),
	    -0.1, 1e-12);
	ck_assert_int_eq(fl, BF_ORDER_SKIPPED);
	/* Target 0 closes exactly. */
	ck_assert(bf_account_order_qty(&a, 0, 51234.5, &fl) == -0.1);
	bf_brackets_release(&bs);
}
END_TEST

Suite *
account_suite(void)
{
	Suite *s = suite_create("account");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_average_and_realize);
	tcase_add_test(tc, test_fees);
	tcase_add_test(tc, test_funding);
	tcase_add_test(tc, test_liq_price_isolated);
	tcase_add_test(tc, test_liquidate);
	tcase_add_test(tc, test_rounding);
	tcase_add_test(tc, test_cfg_check);
	tcase_add_test(tc, test_order_qty);
	suite_add_tcase(s, tc);
	return s;
}
