/* SPDX-License-Identifier: MIT */
/*
 * check_orders.c - the order client's pure parts (orders.h): exact
 * decimal text from step and tick strings, in the three rounding
 * directions, without float residue; order answers parsed with their
 * exact text; final states.
 */
#include <check.h>
#include <math.h>

#include "compat.h"
#include "json.h"
#include "orders.h"

Suite *orders_suite(void);

/* bf_dec_format into a static buffer, for the assertions. */
static const char *
fmt(double v, const char *step, int dir)
{
	static char buf[BF_DEC_MAX];

	if (bf_dec_format(v, step, dir, buf, sizeof(buf)) < 0)
		return "ERR";
	return buf;
}

START_TEST(test_dec_steps)
{
	/* Places come from the step text, trailing zeros dropped. */
	ck_assert_str_eq(fmt(0.0105, "0.001", 0), "0.010");
	ck_assert_str_eq(fmt(0.0105, "0.00100000", 0), "0.010");
	ck_assert_str_eq(fmt(20000.07, "0.10", -1), "20000.0");
	ck_assert_str_eq(fmt(20000.07, "0.10", 1), "20000.1");
	ck_assert_str_eq(fmt(123.0, "1", 0), "123");
	ck_assert_str_eq(fmt(127.0, "5", 0), "125");
	ck_assert_str_eq(fmt(127.0, "5", 1), "130");
	ck_assert_str_eq(fmt(0.026, "0.025", 0), "0.025");
	/* Float residue: 0.3 is 0.29999..., still three steps of 0.1. */
	ck_assert_str_eq(fmt(0.1 + 0.2, "0.1", 0), "0.3");
	ck_assert_str_eq(fmt(0.29999999999999, "0.001", 0), "0.300");
	ck_assert_str_eq(fmt(0.3, "0.001", -1), "0.300");
	/* Negative values, and no "-0". */
	ck_assert_str_eq(fmt(-1.23456, "0.01", 0), "-1.23");
	ck_assert_str_eq(fmt(-1.23456, "0.01", -1), "-1.24");
	ck_assert_str_eq(fmt(-0.0004, "0.001", 0), "0.000");
	ck_assert_str_eq(fmt(0.0009, "0.001", 0), "0.000");
}
END_TEST

START_TEST(test_dec_bad)
{
	char buf[8];

	ck_assert_str_eq(fmt(1, "0", 0), "ERR");
	ck_assert_str_eq(fmt(1, "abc", 0), "ERR");
	ck_assert_str_eq(fmt(1, "0.1.1", 0), "ERR");
	ck_assert_str_eq(fmt(1e300, "0.001", 0), "ERR");
	ck_assert_str_eq(fmt(NAN, "0.001", 0), "ERR");
	/* Too small a buffer. */
	ck_assert_int_eq(bf_dec_format(123456.5, "0.001", 0, buf,
	    sizeof(buf)), -1);
}
END_TEST

START_TEST(test_parse)
{
	char text[] = "{\"orderId\":22542179,\"symbol\":\"BTCUSDT\","
	    "\"status\":\"FILLED\",\"clientOrderId\":\"bfx-1-0\","
	    "\"price\":\"0\",\"avgPrice\":\"25883.90\",\"origQty\":\"0.010\","
	    "\"executedQty\":\"0.010\",\"cumQuote\":\"258.83900\","
	    "\"type\":\"MARKET\",\"reduceOnly\":true,\"side\":\"SELL\","
	    "\"updateTime\":1566818724722}";
	struct bf_json js = BF_JSON_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord o;

	ck_assert_int_eq(bf_json_parse(&js, text, strlen(text), &err), 0);
	ck_assert_int_eq(bf_ord_parse(&js, 0, &o, &err), 0);
	ck_assert_int_eq(o.order_id, 22542179);
	ck_assert_int_eq(o.update_time, 1566818724722LL);
	ck_assert_str_eq(o.client_order_id, "bfx-1-0");
	ck_assert_str_eq(o.avg_price, "25883.90");
	ck_assert_str_eq(o.orig_qty, "0.010");
	ck_assert_str_eq(o.side, "SELL");
	ck_assert(o.reduce_only);
	ck_assert(bf_ord_final(&o));
	memcpy(o.status, "NEW", 4);
	ck_assert(!bf_ord_final(&o));
	bf_json_release(&js);
}
END_TEST

START_TEST(test_parse_bad)
{
	char text[] = "{\"code\":-2013,\"msg\":\"Order does not exist.\"}";
	struct bf_json js = BF_JSON_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord o;

	ck_assert_int_eq(bf_json_parse(&js, text, strlen(text), &err), 0);
	ck_assert_int_eq(bf_ord_parse(&js, 0, &o, &err), BF_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an order"));
	bf_json_release(&js);
}
END_TEST

Suite *
orders_suite(void)
{
	Suite *s = suite_create("orders");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_dec_steps);
	tcase_add_test(tc, test_dec_bad);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_bad);
	suite_add_tcase(s, tc);
	return s;
}
