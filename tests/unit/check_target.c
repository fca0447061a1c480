/* SPDX-License-Identifier: MIT */
/*
 * check_target.c - the per-row rules of the bf-risk filter: each signal
 * form and sizing rule, stops, warm-up rows, refusals (keep and flat).
 */
#include <check.h>
#include <math.h>

#include "bf.h"
#include "brackets.h"
#include "target.h"

static struct bf_brackets bs = BF_BRACKETS_INIT;

/* A configuration with every limit off and 10x isolated on 10 000 USDT. */
static struct bf_target_cfg
base(int sizing, int form)
{
	struct bf_target_cfg c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	c.sizing = sizing;
	c.form = form;
	c.size = 1;
	c.fraction = 1;
	c.leverage = 10;
	c.isolated = true;
	c.equity = 10000;
	c.vol_annual = c.vol_liq = 1;
	c.funding_rate = 0.0001;
	c.funding_interval_h = 8;
	c.bs = &bs;
	return c;
}

/* A row with nothing but a price. */
static struct bf_target_row
row(double price)
{
	return (struct bf_target_row){ price, NAN, NAN, NAN, NAN, NAN, NAN,
		NAN, NAN };
}

START_TEST(test_fixed_signal_stops)
{
	struct bf_target_cfg c = base(BF_SIZE_FIXED, BF_FORM_SIGNAL);
	struct bf_target_state st = BF_TARGET_STATE_INIT;
	struct bf_target_row r = row(60000);
	struct bf_target_out o;

	c.stop_atr = 2;
	c.tp_pct = 0.05;
	r.signal = -0.5;
	r.atr = 600;
	bf_target_row(&c, &st, &r, &o);
	ck_assert(!o.empty);
	ck_assert_double_eq(o.target, -0.5);
	ck_assert_double_eq_tol(o.stop, 61200, 1e-9);
	ck_assert_double_eq_tol(o.tp, 57000, 1e-9);
	ck_assert_double_eq(o.leverage, 10);
	/* 5000 notional short at 10x isolated: (500 + 5000) / (q 1.004) */
	ck_assert_double_eq_tol(o.liq_price, 5500 / (5000.0 / 60000 * 1.004),
	    1e-6);
	ck_assert_double_eq_tol(o.max_loss, 5000.0 / 60000 * 1200, 1e-9);
	ck_assert_double_eq_tol(o.funding_1d, -1.5, 1e-12);
	ck_assert_uint_eq(o.reject, 0);
	ck_assert_double_eq(st.target, -0.5);
}
END_TEST

START_TEST(test_warmup_rows)
{
	struct bf_target_cfg c = base(BF_SIZE_FIXED, BF_FORM_SIGNAL);
	struct bf_target_state st = { 0.7, 100, 120 };
	struct bf_target_row r = row(60000);
	struct bf_target_out o;

	bf_target_row(&c, &st, &r, &o);	/* no signal */
	ck_assert(o.empty);
	ck_assert(isnan(o.target));
	r.signal = 1;
	c.stop_atr = 1;			/* an ATR stop without the ATR */
	bf_target_row(&c, &st, &r, &o);
	ck_assert(o.empty);
	r = row(NAN);
	r.signal = 1;
	c.stop_atr = 0;
	bf_target_row(&c, &st, &r, &o);	/* no price */
	ck_assert(o.empty);
	ck_assert_double_eq(st.target, 0.7);	/* untouched */
}
END_TEST

START_TEST(test_kelly_forms)
{
	struct bf_target_cfg c = base(BF_SIZE_KELLY, BF_FORM_PROB);
	struct bf_target_state st = BF_TARGET_STATE_INIT;
	struct bf_target_row r = row(100);
	struct bf_target_out o;

	c.stop_pct = 0.02;
	c.tp_pct = 0.03;
	c.fraction = 0.5;
	r.p_up = 0.5;
	r.p_down = 0.3;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq_tol(o.target, 0.5 * 0.009 / (0.8 * 0.0006),
	    1e-9);
	c.cap = 3;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq(o.target, 3);

	c = base(BF_SIZE_KELLY, BF_FORM_MU);
	r = row(100);
	r.mu = -0.001;
	r.sigma = 0.02;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq_tol(o.target, -2.5, 1e-12);
}
END_TEST

START_TEST(test_vol_risk_leverage)
{
	struct bf_target_cfg c = base(BF_SIZE_VOL, BF_FORM_MU);
	struct bf_target_state st = BF_TARGET_STATE_INIT;
	struct bf_target_row r = row(100);
	struct bf_target_out o;

	c.target_vol = 0.4;
	c.vol_annual = sqrt(365.0);
	c.vol_liq = 2;
	r.mu = 0.001;
	r.sigma = r.vol = 0.02;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq_tol(o.target, 0.4 / (0.02 * sqrt(365.0)), 1e-12);
	/* liq_prob uses vol x vol_liq over the horizon */
	ck_assert_double_eq_tol(o.liq_prob, bf_risk_hit_prob(100, o.liq_price,
	    0.04), 1e-12);

	c = base(BF_SIZE_RISK, BF_FORM_SIGNAL);
	c.risk = 0.01;
	c.stop_pct = 0.04;
	r = row(100);
	r.signal = 1;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq_tol(o.target, 0.25, 1e-12);
	ck_assert_double_eq_tol(o.max_loss, 100, 1e-9); /* 1 % of 10 000 */

	c = base(BF_SIZE_LEVERAGE, BF_FORM_SIGNAL);
	c.size = 0.1;
	c.leverage = 25;
	c.lev_damp = 0.5;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq_tol(o.target, 0.5, 1e-12);
}
END_TEST

START_TEST(test_refusals)
{
	struct bf_target_cfg c = base(BF_SIZE_FIXED, BF_FORM_SIGNAL);
	struct bf_target_state st = BF_TARGET_STATE_INIT;
	struct bf_target_row r = row(60000);
	struct bf_target_out o;

	c.stop_pct = 0.01;
	c.lim.max_notional = 8000;
	c.lim.min_notional = 100;
	r.signal = 0.5;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq(o.target, 0.5);
	r.signal = 1;			/* 10 000 > 8 000 */
	bf_target_row(&c, &st, &r, &o);
	ck_assert_uint_eq(o.reject, BF_RISK_MAX_NOTIONAL);
	ck_assert_double_eq(o.target, 0.5);	/* kept, with its stop */
	ck_assert_double_eq_tol(o.stop, 59400, 1e-9);
	c.on_reject = BF_REJECT_FLAT;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_double_eq(o.target, 0);
	ck_assert(isnan(o.stop));
	ck_assert_double_eq(st.target, 0);
	r.signal = 0;			/* flat is never refused */
	c.lim.min_notional = 1e9;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_uint_eq(o.reject, 0);
	ck_assert_double_eq(o.target, 0);
	/* leverage above the bracket maximum for a large notional */
	c = base(BF_SIZE_FIXED, BF_FORM_SIGNAL);
	c.leverage = 100;
	c.equity = 1e6;
	r.signal = 1;
	bf_target_row(&c, &st, &r, &o);
	ck_assert_uint_eq(o.reject, BF_RISK_LEVERAGE);
}
END_TEST

/* Release the brackets the cases loaded. */
static void
teardown(void)
{
	bf_brackets_release(&bs);
}

Suite *target_suite(void);

Suite *
target_suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_fixed_signal_stops);
	tcase_add_test(tc, test_warmup_rows);
	tcase_add_test(tc, test_kelly_forms);
	tcase_add_test(tc, test_vol_risk_leverage);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	return s;
}
