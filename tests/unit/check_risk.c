/* SPDX-License-Identifier: MIT */
/*
 * check_risk.c - risk metrics: first-passage probability against a
 * fixed-seed Monte Carlo, funding against binance-usdm.md §11.2, the
 * full evaluation of §11.5 example 1, validation reasons, and sizing.
 */
#include <check.h>
#include <math.h>

#include "bf.h"
#include "brackets.h"
#include "risk.h"

/* xorshift64*: a small deterministic generator for the Monte Carlo. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* A uniform in (0, 1). */
static double
rng_unif(uint64_t *s)
{
	return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

/* A standard normal (Box-Muller, one of the pair). */
static double
rng_norm(uint64_t *s)
{
	double u = rng_unif(s), v = rng_unif(s);

	return sqrt(-2 * log(u)) * cos(6.283185307179586477 * v);
}

START_TEST(test_norm_cdf)
{
	ck_assert_double_eq_tol(bf_risk_norm_cdf(0), 0.5, 1e-15);
	ck_assert_double_eq_tol(bf_risk_norm_cdf(-1), 0.158655253931457,
	    1e-12);
	ck_assert_double_eq_tol(bf_risk_norm_cdf(1.959963984540054), 0.975,
	    1e-12);
	ck_assert_double_eq_tol(bf_risk_norm_cdf(-8), 6.22096057427178e-16,
	    1e-25);
}
END_TEST

/*
 * A driftless log-price random walk of n steps, 3000 paths, barrier one
 * horizon-sigma below: the touch frequency must match 2 Phi(-d/sigma)
 * once the discrete-monitoring bias is removed by shifting the barrier
 * out by 0.5826 sigma sqrt(dt) (Broadie, Glasserman and Kou 1997), and
 * must be about twice the one-point normal tail.
 */
START_TEST(test_hit_prob_monte_carlo)
{
	const int paths = 3000, steps = 400;
	const double sigma = 0.05, price = 100;
	const double barrier = price * exp(-sigma); /* d = 1 sigma */
	double dt_sd = sigma / sqrt(steps), shifted, se, freq;
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	int hits = 0;

	for (int i = 0; i < paths; i++) {
		double x = 0;

		for (int k = 0; k < steps; k++) {
			x += dt_sd * rng_norm(&seed);
			if (x <= -sigma) {
				hits++;
				break;
			}
		}
	}
	freq = (double)hits / paths;
	shifted = bf_risk_hit_prob(price, price * exp(-sigma - 0.5826 * dt_sd),
	    sigma);
	se = sqrt(shifted * (1 - shifted) / paths);
	ck_assert_msg(fabs(freq - shifted) < 4 * se, "MC %g vs %g (se %g)",
	    freq, shifted, se);
	/* the continuous answer, and the one-point tail it is twice */
	ck_assert_double_eq_tol(bf_risk_hit_prob(price, barrier, sigma),
	    2 * bf_risk_norm_cdf(-1), 1e-12);
	ck_assert_double_gt(freq, 1.6 * bf_risk_norm_cdf(-1));
}
END_TEST

START_TEST(test_hit_prob_edges)
{
	ck_assert_double_eq(bf_risk_hit_prob(100, 0, 0.1), 0);
	ck_assert_double_eq(bf_risk_hit_prob(100, 100, 0.1), 1);
	ck_assert_double_eq(bf_risk_hit_prob(100, 90, 0), 0);
	ck_assert_double_lt(bf_risk_hit_prob(100, 1e-300, 5), 1e-6);
	ck_assert(isnan(bf_risk_hit_prob(-1, 90, 0.1)));
	ck_assert(isnan(bf_risk_hit_prob(100, 90, -0.1)));
	/* symmetric in log distance: a barrier above behaves the same */
	ck_assert_double_eq_tol(bf_risk_hit_prob(100, 110, 0.1),
	    bf_risk_hit_prob(100, 100 / 1.1, 0.1), 1e-12);
	ck_assert_double_le(bf_risk_hit_prob(100, 99.9, 100), 1);
}
END_TEST

/* §11.2: long 0.5 BTC, mark 60 000, 0.01 % pays 3.00; -0.015 % gets 4.50. */
START_TEST(test_funding)
{
	struct bf_risk_funding f = BF_RISK_FUNDING_INIT;

	ck_assert_double_eq_tol(bf_risk_funding_cost(0.5 * 60000, 0.0001, 8,
	    8), 3.0, 1e-12);
	ck_assert_double_eq_tol(bf_risk_funding_cost(0.5 * 60000, -0.00015,
	    8, 8), -4.5, 1e-12);
	ck_assert_double_eq_tol(bf_risk_funding_cost(-30000, 0.0001, 24, 8),
	    -9.0, 1e-12);
	ck_assert_double_eq_tol(bf_risk_funding_cost(30000, 0.0001, 24, 4),
	    18.0, 1e-12);
	ck_assert(isnan(bf_risk_funding_cost(30000, 0.0001, 24, 0)));
	bf_risk_funding_add(&f, 0.5, 60000, 0.0001);
	bf_risk_funding_add(&f, 0.5, 60000, -0.00015);
	bf_risk_funding_add(&f, -1, 50000, 0.0002);
	ck_assert_double_eq_tol(f.paid, 3.0 - 4.5 - 10.0, 1e-12);
	ck_assert_int_eq(f.n, 3);
}
END_TEST

/* §11.5 example 1 through bf_risk_eval, with a stop and an ATR. */
START_TEST(test_eval_example)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_risk_in in = { 1, 1, 60000, 60000, 10, 6000, 0, 0, 6000,
		58000, 500, 0.03, 0.0001, 8 };
	struct bf_risk_limits lim = { 100, 0, 0.05, 5, 0.5 };
	struct bf_risk_out o;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	bf_risk_eval(&bs, &in, &lim, &o);
	ck_assert_double_eq(o.notional, 60000);
	ck_assert_double_eq(o.init_margin, 6000);
	ck_assert_int_eq(o.bracket, 2);
	ck_assert_double_eq(o.max_leverage, 100);
	ck_assert_double_eq_tol(o.maint_margin, 250, 1e-9);
	ck_assert_double_eq_tol(o.margin_ratio, 250.0 / 6000, 1e-12);
	ck_assert_double_eq(round(o.liq_price * 100) / 100, 54221.11);
	ck_assert_double_eq(round(o.liq_dist * 100) / 100, 5778.89);
	ck_assert_double_eq_tol(o.liq_dist_pct, o.liq_dist / 60000, 1e-15);
	ck_assert_double_eq_tol(o.liq_dist_atr, o.liq_dist / 500, 1e-12);
	ck_assert_double_eq_tol(o.liq_prob, 2 * bf_risk_norm_cdf(
	    log(o.liq_price / 60000) / 0.03), 1e-12);
	ck_assert_double_eq_tol(o.funding_1d, 18, 1e-9);
	ck_assert_double_eq_tol(o.funding_1h, 0.75, 1e-9);
	ck_assert_double_eq_tol(o.funding_30d, 540, 1e-9);
	ck_assert_double_eq_tol(o.max_loss, 2000, 1e-9);
	ck_assert_double_eq_tol(o.max_loss_pct, 2000.0 / 6000, 1e-12);
	ck_assert_uint_eq(o.reject, 0);

	/* every limit tripped at once */
	lim = (struct bf_risk_limits){ 1e6, 1000, 0.2, 20, 0.1 };
	in.leverage = 125;
	bf_risk_eval(&bs, &in, &lim, &o);
	ck_assert_uint_eq(o.reject, BF_RISK_LEVERAGE | BF_RISK_MIN_NOTIONAL |
	    BF_RISK_MAX_NOTIONAL | BF_RISK_LIQ_PCT | BF_RISK_LIQ_ATR |
	    BF_RISK_MAX_LOSS);
	bf_brackets_release(&bs);
}
END_TEST

/* A cross short: margin balance and ratio include the other positions. */
START_TEST(test_eval_cross_short)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_risk_in in = { -1, 2, 60000, 61000, 20, 10000, 300, -500,
		10000, 0, NAN, NAN, 0.0001, 8 };
	struct bf_risk_out o;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	bf_risk_eval(&bs, &in, NULL, &o);
	ck_assert_double_eq(o.upnl, -2000);
	ck_assert_double_eq(o.margin_balance, 10000 - 500 - 2000);
	ck_assert_double_eq_tol(o.margin_ratio,
	    (122000 * 0.005 - 50 + 300) / 7500.0, 1e-12);
	ck_assert_double_eq_tol(o.liq_price,
	    (10000 - 300 - 500 + 50 + 120000) / (2 * 0.005 + 2), 1e-6);
	ck_assert(isnan(o.liq_prob));
	ck_assert(isnan(o.liq_dist_atr));
	ck_assert(isnan(o.max_loss));
	ck_assert_double_lt(o.funding_1d, 0); /* a short receives */
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_reasons)
{
	char buf[128];

	ck_assert_uint_eq(bf_risk_reasons(0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	bf_risk_reasons(BF_RISK_LEVERAGE | BF_RISK_MAX_LOSS, buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "leverage+max_loss");
	bf_risk_reasons(BF_RISK_LIQ_ATR, buf, sizeof(buf));
	ck_assert_str_eq(buf, "liq_atr");
	bf_risk_reasons(BF_RISK_LEVERAGE | BF_RISK_MAX_LOSS, buf, 9);
	ck_assert_str_eq(buf, "leverage");
}
END_TEST

START_TEST(test_sizing)
{
	/* even odds, 2 % each way, 60/40: x = 0.004 / 0.0004 = 10 */
	ck_assert_double_eq_tol(bf_risk_kelly_binary(0.6, 0.4, 0.02, 0.02),
	    10, 1e-9);
	/* the optimum maximizes expected log growth */
	{
		double x = bf_risk_kelly_binary(0.5, 0.3, 0.03, 0.01);
		double g = 0.5 * log1p(x * 0.03) + 0.3 * log1p(-x * 0.01);
		double gl = 0.5 * log1p(0.99 * x * 0.03) +
		    0.3 * log1p(-0.99 * x * 0.01);
		double gh = 0.5 * log1p(1.01 * x * 0.03) +
		    0.3 * log1p(-1.01 * x * 0.01);
		ck_assert(g > gl && g > gh);
	}
	ck_assert_double_eq_tol(bf_risk_kelly_updown(0.6, 0.4, 0.02, 0.02),
	    10, 1e-9);
	ck_assert_double_eq_tol(bf_risk_kelly_updown(0.4, 0.6, 0.02, 0.02),
	    -10, 1e-9);
	ck_assert_double_eq(bf_risk_kelly_updown(0.3, 0.3, 0.01, 0.02), 0);
	ck_assert(isnan(bf_risk_kelly_updown(0.6, 0.4, 0, 0.02)));
	ck_assert_double_eq_tol(bf_risk_kelly_mu(0.001, 0.02), 2.5, 1e-12);
	ck_assert_double_eq_tol(bf_risk_kelly_mu(-0.001, 0.02), -2.5, 1e-12);
	ck_assert(isnan(bf_risk_kelly_mu(0.001, 0)));
	ck_assert_double_eq(bf_risk_size_fixed(-1, 0.5), -0.5);
	ck_assert_double_eq_tol(bf_risk_size_vol(1, 0.2, 0.8), 0.25, 1e-15);
	ck_assert_double_eq_tol(bf_risk_size_risk(-1, 0.01, 0.02), -0.5,
	    1e-15);
	ck_assert_double_eq_tol(bf_risk_size_leverage(1, 0.1, 16, 0.5), 0.4,
	    1e-15);
	ck_assert_double_eq_tol(bf_risk_size_leverage(1, 0.1, 16, 0), 1.6,
	    1e-15);
	ck_assert_double_eq_tol(bf_risk_size_leverage(1, 0.1, 16, 1), 0.1,
	    1e-15);
	ck_assert_double_eq(bf_risk_scale_cap(10, 0.5, 3), 3);
	ck_assert_double_eq(bf_risk_scale_cap(-10, 0.5, 3), -3);
	ck_assert_double_eq(bf_risk_scale_cap(-10, 0.5, 0), -5);
	ck_assert_double_eq(bf_risk_leverage_needed(60000, 6000), 10);
	ck_assert_double_eq(bf_risk_leverage_needed(60001, 6000), 11);
	ck_assert_double_eq(bf_risk_leverage_needed(100, 6000), 1);
}
END_TEST

Suite *risk_suite(void);

Suite *
risk_suite(void)
{
	Suite *s = suite_create("risk");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_norm_cdf);
	tcase_add_test(tc, test_hit_prob_monte_carlo);
	tcase_add_test(tc, test_hit_prob_edges);
	tcase_add_test(tc, test_funding);
	tcase_add_test(tc, test_eval_example);
	tcase_add_test(tc, test_eval_cross_short);
	tcase_add_test(tc, test_reasons);
	tcase_add_test(tc, test_sizing);
	suite_add_tcase(s, tc);
	return s;
}
