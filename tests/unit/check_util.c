/* SPDX-License-Identifier: MIT */
/*
 * check_util.c - byte buffers and option number parsing (lib/util.c).
 */
#include "bf.h"

#include <check.h>
#include <math.h>

START_TEST(test_buf)
{
	struct bf_buf b = BF_BUF_INIT;
	char *p;
	size_t len;

	bf_buf_adds(&b, "ab");
	bf_buf_addc(&b, 'c');
	bf_buf_printf(&b, "-%d-", 42);
	ck_assert_str_eq(b.buf, "abc-42-");
	ck_assert_uint_eq(b.len, 7);
	for (int i = 0; i < 1000; i++)
		bf_buf_printf(&b, "%0100d", i);
	ck_assert_uint_eq(b.len, 7 + 100000);
	ck_assert_int_eq(b.buf[b.len], '\0');
	bf_buf_reset(&b);
	ck_assert_str_eq(b.buf, "");
	bf_buf_add(&b, "xyz", 2);
	p = bf_buf_detach(&b, &len);
	ck_assert_str_eq(p, "xy");
	ck_assert_uint_eq(len, 2);
	ck_assert_ptr_null(b.buf);
	free(p);
	bf_buf_release(&b);
}
END_TEST

START_TEST(test_parse_long)
{
	long long v;

	ck_assert_int_eq(bf_parse_long("42", 0, 100, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(bf_parse_long("-5", -10, 10, &v), 0);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(bf_parse_long("101", 0, 100, &v), -1);
	ck_assert_int_eq(bf_parse_long("", 0, 100, &v), -1);
	ck_assert_int_eq(bf_parse_long("4x", 0, 100, &v), -1);
	ck_assert_int_eq(bf_parse_long("99999999999999999999", 0,
	    INT64_MAX, &v), -1);
}
END_TEST

START_TEST(test_parse_double)
{
	double v;

	ck_assert_int_eq(bf_parse_double("0.5", &v), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(bf_parse_double("-1e3", &v), 0);
	ck_assert(v == -1000);
	ck_assert_int_eq(bf_parse_double("1e309", &v), -1);
	ck_assert_int_eq(bf_parse_double("nan", &v), -1);
	ck_assert_int_eq(bf_parse_double("inf", &v), -1);
	ck_assert_int_eq(bf_parse_double("1.5x", &v), -1);
	ck_assert_int_eq(bf_parse_double("", &v), -1);
}
END_TEST

START_TEST(test_strieq)
{
	ck_assert(bf_strieq("True", "true"));
	ck_assert(!bf_strieq("true", "tru"));
	ck_assert(bf_strieq("", ""));
}
END_TEST

Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_parse_long);
	tcase_add_test(tc, test_parse_double);
	tcase_add_test(tc, test_strieq);
	suite_add_tcase(s, tc);
	return s;
}
