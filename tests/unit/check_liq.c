/* SPDX-License-Identifier: MIT */
/*
 * check_liq.c - liquidation price against every worked example of
 * binance-usdm.md §11.5 and the Binance FAQ numbers freqtrade's tests
 * reproduce (tests/exchange/test_binance.py), each exact to the cent,
 * plus bracket changes between entry and liquidation.
 */
#include <check.h>
#include <math.h>

#include "bf.h"
#include "brackets.h"
#include "liq.h"

/* 'x' rounded to the cent. */
static double
cents(double x)
{
	return round(x * 100) / 100;
}

/* Margin balance minus maintenance margin at price 'p' (one-way). */
static double
excess(const struct bf_brackets *bs, int side, double qty, double entry,
    double wallet, double p)
{
	return wallet + side * qty * (p - entry) - bf_brackets_mm(bs, qty * p);
}

/* §11.5 example 1: isolated long 1 BTC at 60 000, 10x. */
START_TEST(test_isolated_long)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	double lp;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	lp = bf_liq_price(&bs, 1, 1, 60000, 6000, 0, 0);
	ck_assert_double_eq(cents(lp), 54221.11);
	ck_assert_double_eq_tol(excess(&bs, 1, 1, 60000, 6000, lp), 0, 1e-6);
	bf_brackets_release(&bs);
}
END_TEST

/* §11.5 example 2: isolated short 2 BTC at 60 000, 20x. */
START_TEST(test_isolated_short)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	double lp;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	lp = bf_liq_price(&bs, -1, 2, 60000, 6000, 0, 0);
	ck_assert_double_eq(cents(lp), 62711.44);
	ck_assert_double_eq_tol(excess(&bs, -1, 2, 60000, 6000, lp), 0, 1e-6);
	bf_brackets_release(&bs);
}
END_TEST

/* §11.5 example 3: cross long with other positions (TMM1 100, UPNL1 200). */
START_TEST(test_cross_long_others)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	ck_assert_double_eq(cents(bf_liq_price(&bs, 1, 1, 60000, 8000, 100,
	    200)), 52110.55);
	bf_brackets_release(&bs);
}
END_TEST

/*
 * §11.5 example 4: cross, hedge mode.  The entry brackets give 38 438.13;
 * at that price the long falls to bracket 1 and the answer is 38 461.54.
 */
START_TEST(test_cross_hedge)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_liq_in in = { 10000, 0, 0, 1, 60000, 0.5, 62000 };
	struct bf_liq_out out;
	double lp, eq, mm;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	/* the first pass alone, with the entry brackets */
	ck_assert_double_eq(cents((10000 + 50 - 60000 + 31000) /
	    (0.005 + 0.002 - 1 + 0.5)), 38438.13);
	lp = bf_liq_solve(&bs, &in, &out);
	ck_assert_double_eq(cents(lp), 38461.54);
	ck_assert_double_eq(out.price, lp);
	ck_assert_int_eq(out.long_b->id, 1);
	ck_assert_int_eq(out.short_b->id, 1);
	ck_assert_int_eq(out.passes, 2);
	eq = 10000 + (lp - 60000) + 0.5 * (62000 - lp);
	mm = bf_brackets_mm(&bs, lp) + bf_brackets_mm(&bs, 0.5 * lp);
	ck_assert_double_eq(cents(eq), 230.77);
	ck_assert_double_eq_tol(eq, mm, 1e-6);
	bf_brackets_release(&bs);
}
END_TEST

/*
 * §11.5 example 5 / Binance FAQ (freqtrade's test): isolated ETHUSDT
 * long with the FAQ's own bracket (MMR 10 %, cum 135 365).
 */
START_TEST(test_faq_eth_isolated)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;

	ck_assert_int_eq(bf_brackets_fixed(&bs, 0.10, 135365, 125, NULL), 0);
	ck_assert_double_eq(cents(bf_liq_price(&bs, 1, 3683.979, 1456.84,
	    1535443.01, 0, 0)), 1114.78);
	ck_assert_double_eq(cents(bf_liq_formula(1, 3683.979, 1456.84,
	    1535443.01, 0, 0, 0.10, 135365)), 1114.78);
	/* the FAQ's BTCUSDT leg, isolated, same wallet */
	ck_assert_double_eq(cents(bf_liq_formula(1, 109.488, 32481.98,
	    1535443.01, 0, 0, 0.025, 16300)), 18778.73);
	bf_brackets_release(&bs);
}
END_TEST

/*
 * The FAQ's cross example: one account holding BTCUSDT 109.488 long at
 * 32 481.98 (mark 31 967.27, MMR 2.5 %, cum 16 300) and ETHUSDT 3683.979
 * long at 1456.84 (mark 1335.18, MMR 10 %, cum 135 365), cross wallet
 * 1 535 443.01.  Each symbol's LP takes the other's MM and UPNL at mark.
 */
START_TEST(test_faq_cross)
{
	double btc_mm = 31967.27 * 109.488 * 0.025 - 16300;
	double btc_upnl = (31967.27 - 32481.98) * 109.488;
	double eth_mm = 1335.18 * 3683.979 * 0.10 - 135365;
	double eth_upnl = (1335.18 - 1456.84) * 3683.979;

	ck_assert_double_eq(cents(bf_liq_formula(1, 3683.979, 1456.84,
	    1535443.01, btc_mm, btc_upnl, 0.10, 135365)), 1153.26);
	ck_assert_double_eq(cents(bf_liq_formula(1, 109.488, 32481.98,
	    1535443.01, eth_mm, eth_upnl, 0.025, 16300)), 26316.89);
}
END_TEST

/* A long whose notional falls into a lower bracket before liquidation. */
START_TEST(test_bracket_changes_down)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_liq_in in = { 10800, 0, 0, 0.9, 60000, 0, 0 };
	struct bf_liq_out out;
	double lp;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	lp = bf_liq_solve(&bs, &in, &out);
	/* entry 54 000 is bracket 2; at LP (43 373) it is bracket 1 */
	ck_assert_int_eq(out.long_b->id, 1);
	ck_assert_double_eq(cents(lp), cents(-43200 / (0.9 * 0.004 - 0.9)));
	ck_assert_double_eq_tol(excess(&bs, 1, 0.9, 60000, 10800, lp), 0,
	    1e-6);
	bf_brackets_release(&bs);
}
END_TEST

/* A short whose notional rises into a higher bracket before liquidation. */
START_TEST(test_bracket_changes_up)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_liq_in in = { 50000, 0, 0, 0, 0, 9.5, 60000 };
	struct bf_liq_out out;
	double lp;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	/* entry 570 000 is bracket 2; near 64 941 it is past 600 000 */
	lp = bf_liq_solve(&bs, &in, &out);
	ck_assert_int_eq(out.short_b->id, 3);
	ck_assert_double_ge(9.5 * lp, 600000);
	ck_assert_double_eq_tol(excess(&bs, -1, 9.5, 60000, 50000, lp), 0,
	    1e-6);
	bf_brackets_release(&bs);
}
END_TEST

/*
 * Large positions: check LP against the root of margin balance = MM
 * found by bisection, over many sizes and leverages, both sides.
 */
START_TEST(test_against_bisection)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	for (int side = -1; side <= 1; side += 2) {
		for (double qty = 0.01; qty < 40000; qty *= 1.7) {
			for (double lev = 1.5; lev <= 125; lev *= 1.9) {
				double e = 60000, w = qty * e / lev;
				double lp = bf_liq_price(&bs, side, qty, e, w,
				    0, 0);
				double lo = side > 0 ? 1e-9 : e;
				double hi = side > 0 ? e : 1e9;

				if (lev > bf_brackets_max_leverage(&bs,
				    qty * e))
					continue;
				for (int k = 0; k < 200; k++) {
					double mid = 0.5 * (lo + hi);
					bool safe = excess(&bs, side, qty, e,
					    w, mid) > 0;
					if ((side > 0) == safe)
						hi = mid;
					else
						lo = mid;
				}
				ck_assert_msg(fabs(lp - lo) <= 1e-6 * e,
				    "side %d qty %g lev %g: %.10g vs %.10g",
				    side, qty, lev, lp, lo);
			}
		}
	}
	bf_brackets_release(&bs);
}
END_TEST

/* No liquidation price: a long at 1x; no position at all. */
START_TEST(test_none)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_liq_in none = { 1000, 0, 0, 0, 0, 0, 0 };

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	ck_assert_double_eq(bf_liq_price(&bs, 1, 1, 60000, 60000, 0, 0), 0);
	ck_assert_double_eq(bf_liq_price(&bs, 1, 1, 60000, 70000, 0, 0), 0);
	ck_assert_double_eq(bf_liq_solve(&bs, &none, NULL), 0);
	/* a short at 1x still has one (price must about double) */
	ck_assert_double_gt(bf_liq_price(&bs, -1, 1, 60000, 60000, 0, 0),
	    110000);
	/* a long just above 1x, large: LP is positive though the entry
	 * bracket's cum alone would make it negative */
	ck_assert_double_gt(bf_liq_price(&bs, 1, 100, 60000, 5.99e6, 0, 0),
	    0);
	bf_brackets_release(&bs);
}
END_TEST

Suite *liq_suite(void);

Suite *
liq_suite(void)
{
	Suite *s = suite_create("liq");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_isolated_long);
	tcase_add_test(tc, test_isolated_short);
	tcase_add_test(tc, test_cross_long_others);
	tcase_add_test(tc, test_cross_hedge);
	tcase_add_test(tc, test_faq_eth_isolated);
	tcase_add_test(tc, test_faq_cross);
	tcase_add_test(tc, test_bracket_changes_down);
	tcase_add_test(tc, test_bracket_changes_up);
	tcase_add_test(tc, test_against_bisection);
	tcase_add_test(tc, test_none);
	suite_add_tcase(s, tc);
	return s;
}
