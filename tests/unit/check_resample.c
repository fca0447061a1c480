/* SPDX-License-Identifier: MIT */
/*
 * check_resample.c - 1m klines into 5m, 1h and 1M candles by hand:
 * alignment, completion on the last part or on a later candle, the
 * dropped leading partial candle, sums and exact price text.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "bftime.h"
#include "resample.h"

Suite *resample_suite(void);

#define MIN 60000LL

/* A 1m kline opening at 't' with close 'c' (text kept), volume 'v'. */
static struct bf_rs_bar
bar(int64_t t, double c, double v)
{
	struct bf_rs_bar b;

	memset(&b, 0, sizeof(b));
	b.open_time = t;
	b.close_time = INT64_MIN;
	for (int i = 0; i < 4; i++) {
		double x = i == BF_RS_HIGH ? c + 1 : i == BF_RS_LOW ? c - 1 : c;

		b.px[i].v = x;
		b.px[i].len = (uint32_t)snprintf(b.px[i].s, sizeof(b.px[i].s),
		    "%.2f", x);
	}
	b.sum[BF_RS_VOLUME] = v;
	b.sum[BF_RS_QUOTE_VOLUME] = v * c;
	b.sum[BF_RS_TRADES] = 1;
	b.sum[BF_RS_TAKER_BUY] = NAN;	/* absent */
	b.sum[BF_RS_TAKER_BUY_QUOTE] = v;
	return b;
}

START_TEST(test_5m)
{
	struct bf_interval iv;
	struct bf_resample rs;
	struct bf_rs_bar in, out[2];
	int64_t t0 = 1700000100000LL;	/* a multiple of 5 minutes */
	int n;

	ck_assert_int_eq(t0 % (5 * MIN), 0);
	ck_assert_int_eq(bf_interval_parse("5m", &iv, NULL), 0);
	bf_resample_init(&rs, &iv);
	/* Enter in the middle of a candle: minutes 3 and 4 are dropped. */
	in = bar(t0 - 2 * MIN, 50, 1);
	ck_assert_int_eq(bf_resample_push(&rs, &in, out), 0);
	bf_resample_set_fine(&rs, MIN);
	in = bar(t0 - MIN, 51, 1);
	ck_assert_int_eq(bf_resample_push(&rs, &in, out), 0);
	/* Minutes 0..4 of the next candle: complete on the fifth. */
	for (int i = 0; i < 5; i++) {
		in = bar(t0 + i * MIN, 100 + i * (i == 2 ? -5 : 1), 2);
		n = bf_resample_push(&rs, &in, out);
		ck_assert_int_eq(n, i == 4 ? 1 : 0);
	}
	ck_assert_int_eq(out[0].open_time, t0);
	ck_assert_int_eq(out[0].close_time, t0 + 5 * MIN - 1);
	ck_assert_str_eq(out[0].px[BF_RS_OPEN].s, "100.00");
	ck_assert_str_eq(out[0].px[BF_RS_HIGH].s, "105.00");	/* 104 + 1 */
	ck_assert_str_eq(out[0].px[BF_RS_LOW].s, "89.00");	/* 90 - 1 */
	ck_assert_str_eq(out[0].px[BF_RS_CLOSE].s, "104.00");
	ck_assert(out[0].sum[BF_RS_VOLUME] == 10);
	ck_assert(out[0].sum[BF_RS_TRADES] == 5);
	ck_assert(isnan(out[0].sum[BF_RS_TAKER_BUY]));
	/* A gap: minute 0 of a candle, then a later candle's minute 1. */
	in = bar(t0 + 5 * MIN, 110, 1);
	ck_assert_int_eq(bf_resample_push(&rs, &in, out), 0);
	in = bar(t0 + 11 * MIN, 120, 1);
	n = bf_resample_push(&rs, &in, out);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(out[0].open_time, t0 + 5 * MIN);
	ck_assert_str_eq(out[0].px[BF_RS_CLOSE].s, "110.00");
}
END_TEST

START_TEST(test_close_time_and_month)
{
	struct bf_interval iv;
	struct bf_resample rs;
	struct bf_rs_bar in, out[2];
	int64_t feb = bf_time_days_from_civil(2024, 2, 1) * 86400000LL;
	int64_t mar = bf_time_days_from_civil(2024, 3, 1) * 86400000LL;

	ck_assert_int_eq(bf_interval_parse("1M", &iv, NULL), 0);
	bf_resample_init(&rs, &iv);
	/* Daily klines with close_time: February 2024 has 29 days. */
	for (int d = 0; d < 29; d++) {
		in = bar(feb + d * 86400000LL, 10 + d, 1);
		in.close_time = feb + (d + 1) * 86400000LL - 1;
		ck_assert_int_eq(bf_resample_push(&rs, &in, out),
		    d == 28 ? 1 : 0);
	}
	ck_assert_int_eq(out[0].open_time, feb);
	ck_assert_int_eq(out[0].close_time, mar - 1);
	ck_assert(out[0].sum[BF_RS_VOLUME] == 29);
}
END_TEST

Suite *
resample_suite(void)
{
	Suite *s = suite_create("resample");
	TCase *tc = tcase_create("candles");

	tcase_add_test(tc, test_5m);
	tcase_add_test(tc, test_close_time_and_month);
	suite_add_tcase(s, tc);
	return s;
}
