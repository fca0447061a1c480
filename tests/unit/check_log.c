/* SPDX-License-Identifier: MIT */
/*
 * check_log.c - unit tests of lib/log.c's message grammar: the text and
 * JSON forms of errors, warnings and notices, and which verbosity shows
 * which level.  Messages go to file descriptor 2, which each test
 * redirects into a temporary file and reads back.
 */
#include "compat.h"

#include <check.h>
#include <fcntl.h>
#include <unistd.h>

#include "log.h"

Suite *log_suite(void);

static char out[4096];

/* Run 'fn' with stderr captured into 'out'. */
static void
capture(void (*fn)(void))
{
	char path[] = "/tmp/bf-check-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

static void
say_all(void)
{
	bf_notice("epoch %d of %d", 1, 2);
	bf_warn("gap at %s", "x");
	bf_info("detail");
	bf_error("failed");
}

START_TEST(test_text)
{
	bf_setprogname("bf-test");
	bf_log_setup(BF_LOG_NORMAL, false);
	capture(say_all);
	ck_assert_str_eq(out, "bf-test: epoch 1 of 2\n"
	    "bf-test: warning: gap at x\n"
	    "bf-test: failed\n");
	bf_log_setup(BF_LOG_QUIET, false);
	capture(say_all);
	ck_assert_str_eq(out, "bf-test: failed\n");
	bf_log_setup(BF_LOG_INFO, false);
	capture(say_all);
	ck_assert(strstr(out, "bf-test: info: detail\n") != NULL);
	bf_log_setup(BF_LOG_NORMAL, false);
}
END_TEST

START_TEST(test_json)
{
	bf_setprogname("bf-test");
	bf_log_setup(BF_LOG_NORMAL, true);
	capture(say_all);
	ck_assert_str_eq(out,
	    "{\"prog\":\"bf-test\",\"level\":\"notice\",\"msg\":\"epoch 1 of 2\"}\n"
	    "{\"prog\":\"bf-test\",\"level\":\"warning\",\"msg\":\"gap at x\"}\n"
	    "{\"prog\":\"bf-test\",\"level\":\"error\",\"msg\":\"failed\"}\n");
	bf_log_setup(BF_LOG_NORMAL, false);
}
END_TEST

Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}
