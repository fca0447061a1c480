/* SPDX-License-Identifier: MIT */
/*
 * check_cfg.c - configuration precedence: environment over file over
 * default; API keys refused in a file others can read (lib/cfg.c).
 */
#include "bf.h"

#include <check.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];

/* Write 'text' to a fresh temporary file with 'mode'; sets 'path'. */
static void
conf(const char *text, mode_t mode)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/bf-check-cfg-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	fchmod(fd, mode);
	close(fd);
}

START_TEST(test_file_and_env)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg;
	double d;
	long long l;
	bool b;

	unsetenv("BF_CONFIG");
	unsetenv("BF_SIM_FEE_TAKER");
	conf("# comment\n[sim]\nfee_taker = 0.0005\nequity=1000\n"
	    "[exec]\ndry = yes\n", 0644);
	cfg = bf_cfg_load(path, &err);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(bf_cfg_file(cfg), path);
	ck_assert_int_eq(bf_cfg_double(cfg, "sim", "fee_taker", 1, &d, &err), 0);
	ck_assert(d == 0.0005);
	ck_assert_int_eq(bf_cfg_long(cfg, "sim", "equity", 0, &l, &err), 0);
	ck_assert_int_eq(l, 1000);
	ck_assert_int_eq(bf_cfg_bool(cfg, "exec", "dry", false, &b, &err), 0);
	ck_assert(b);
	ck_assert_int_eq(bf_cfg_double(cfg, "sim", "nope", 7, &d, &err), 0);
	ck_assert(d == 7);
	/* The environment beats the file. */
	setenv("BF_SIM_FEE_TAKER", "0.0004", 1);
	ck_assert_int_eq(bf_cfg_double(cfg, "sim", "fee_taker", 1, &d, &err), 0);
	ck_assert(d == 0.0004);
	setenv("BF_SIM_FEE_TAKER", "x", 1);
	ck_assert_int_eq(bf_cfg_double(cfg, "sim", "fee_taker", 1, &d, &err),
	    BF_EUSAGE);
	ck_assert_str_eq(err.msg, "config: [sim] fee_taker: invalid number 'x'");
	unsetenv("BF_SIM_FEE_TAKER");
	bf_cfg_free(cfg);
	unlink(path);
}
END_TEST

START_TEST(test_aliases)
{
	struct bf_cfg *cfg = bf_cfg_new();

	bf_cfg_set(cfg, "exchange", "base_url", "http://file");
	ck_assert_str_eq(bf_cfg_get(cfg, "exchange", "base_url"), "http://file");
	setenv("BF_BASE_URL", "http://127.0.0.1:1", 1);
	ck_assert_str_eq(bf_cfg_get(cfg, "exchange", "base_url"),
	    "http://127.0.0.1:1");
	unsetenv("BF_BASE_URL");
	ck_assert_str_eq(bf_cfg_str(cfg, "exchange", "x", "def"), "def");
	bf_cfg_free(cfg);
}
END_TEST

START_TEST(test_secrets_need_private_file)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg;

	conf("[exchange]\napi_key = k\napi_secret = s\n", 0644);
	cfg = bf_cfg_load(path, &err);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(err.code, BF_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "others may read it"));
	/* The message never carries the secret itself. */
	ck_assert_ptr_null(strstr(err.msg, "= s"));
	chmod(path, 0600);
	cfg = bf_cfg_load(path, &err);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(bf_cfg_get(cfg, "exchange", "api_key"), "k");
	bf_cfg_free(cfg);
	unlink(path);
}
END_TEST

START_TEST(test_errors)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg;

	cfg = bf_cfg_load("/nonexistent/bf.conf", &err);
	ck_assert_ptr_null(cfg);
	ck_assert_int_eq(err.code, BF_EUSAGE);
	conf("[sim]\nfee_taker = 1\nthis line is bad\n", 0644);
	cfg = bf_cfg_load(path, &err);
	ck_assert_ptr_null(cfg);
	ck_assert_ptr_nonnull(strstr(err.msg, ":3: syntax error"));
	unlink(path);
	/* No -c and no $BF_CONFIG: a missing ~/.config file is fine. */
	setenv("HOME", "/nonexistent", 1);
	unsetenv("BF_CONFIG");
	cfg = bf_cfg_load(NULL, &err);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_null(bf_cfg_file(cfg));
	bf_cfg_free(cfg);
}
END_TEST

Suite *
cfg_suite(void)
{
	Suite *s = suite_create("cfg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_file_and_env);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_secrets_need_private_file);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
