/* SPDX-License-Identifier: MIT */
/*
 * check_err.c - struct bf_err helpers (lib/err.c).
 */
#include "bf.h"

#include <check.h>

START_TEST(test_set_and_prefix)
{
	struct bf_err err = BF_ERR_INIT;

	ck_assert_int_eq(bf_err_set(&err, BF_EDATA, "column '%s'", "close"),
	    BF_EDATA);
	ck_assert_int_eq(err.code, BF_EDATA);
	ck_assert_str_eq(err.msg, "column 'close'");
	bf_err_prefix(&err, "stdin:%d", 4);
	ck_assert_str_eq(err.msg, "stdin:4: column 'close'");
	bf_err_clear(&err);
	ck_assert_int_eq(err.code, 0);
	ck_assert_str_eq(err.msg, "");
	/* NULL is allowed and the code still comes back. */
	ck_assert_int_eq(bf_err_set(NULL, BF_EFAIL, "x"), BF_EFAIL);
}
END_TEST

START_TEST(test_control_characters_replaced)
{
	struct bf_err err = BF_ERR_INIT;

	bf_err_set(&err, BF_EFAIL, "bad\n\033[31mred%s", "\r");
	ck_assert_str_eq(err.msg, "bad??[31mred?");
}
END_TEST

START_TEST(test_exit_codes)
{
	ck_assert_int_eq(bf_err_exit(BF_EOK), BF_EXIT_OK);
	ck_assert_int_eq(bf_err_exit(BF_EFAIL), BF_EXIT_FAIL);
	ck_assert_int_eq(bf_err_exit(BF_EUPSTREAM), BF_EXIT_FAIL);
	ck_assert_int_eq(bf_err_exit(BF_EUSAGE), BF_EXIT_USAGE);
	ck_assert_int_eq(bf_err_exit(BF_EDATA), BF_EXIT_DATA);
	ck_assert_int_eq(bf_err_exit(BF_ENOMEM), BF_EXIT_FAIL);
}
END_TEST

START_TEST(test_long_message_truncated)
{
	struct bf_err err = BF_ERR_INIT;
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bf_err_set(&err, BF_EFAIL, "%s", big);
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
}
END_TEST

Suite *
err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_set_and_prefix);
	tcase_add_test(tc, test_control_characters_replaced);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_long_message_truncated);
	suite_add_tcase(s, tc);
	return s;
}
