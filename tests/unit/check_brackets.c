/* SPDX-License-Identifier: MIT */
/*
 * check_brackets.c - leverage brackets: lookups at and around tier
 * boundaries, maintenance margin continuity, the file loader and its
 * checks, and the built-in tables against config/brackets-*.csv.
 */
#include <check.h>
#include <math.h>
#include <unistd.h>

#include "bf.h"
#include "brackets.h"

/* Write 'text' to a fresh temporary file; returns its path (static). */
static const char *
tmpfile_with(const char *text)
{
	static char path[64];
	int fd;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "/tmp/bf-brackets-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

START_TEST(test_find_boundaries)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	ck_assert_uint_eq(bs.n, 12);
	ck_assert_int_eq(bf_brackets_find(&bs, 0)->id, 1);
	ck_assert_int_eq(bf_brackets_find(&bs, 49999.99)->id, 1);
	/* floor <= notional < cap */
	ck_assert_int_eq(bf_brackets_find(&bs, 50000)->id, 2);
	ck_assert_int_eq(bf_brackets_find(&bs, 60000)->id, 2);
	ck_assert_int_eq(bf_brackets_find(&bs, 600000)->id, 3);
	ck_assert_int_eq(bf_brackets_find(&bs, 1.8e9)->id, 12);
	ck_assert_int_eq(bf_brackets_find(&bs, 5e9)->id, 12);
	/* a position of exactly the cap keeps that tier's leverage */
	ck_assert_double_eq(bf_brackets_max_leverage(&bs, 50000), 125);
	ck_assert_double_eq(bf_brackets_max_leverage(&bs, 50000.01), 100);
	ck_assert_double_eq(bf_brackets_max_leverage(&bs, 1e6), 75);
	ck_assert_double_eq(bf_brackets_max_leverage(&bs, 2e9), 0);
	ck_assert_double_eq(bf_brackets_max_notional(&bs, 125), 50000);
	ck_assert_double_eq(bf_brackets_max_notional(&bs, 20), 100000000);
	ck_assert_double_eq(bf_brackets_max_notional(&bs, 126), 0);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_mm_values_and_continuity)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;

	ck_assert_int_eq(bf_brackets_builtin(&bs, "BTCUSDT", NULL), 0);
	/* §11.4: 60 000 in bracket 2: 60000 x 0.5 % - 50 = 250 */
	ck_assert_double_eq_tol(bf_brackets_mm(&bs, 60000), 250, 1e-9);
	ck_assert_double_eq_tol(bf_brackets_mm(&bs, 10000), 40, 1e-9);
	/* at every boundary both sides give the same MM */
	for (size_t i = 1; i < bs.n; i++) {
		double x = bs.b[i].floor;
		double below = x * bs.b[i - 1].mmr - bs.b[i - 1].cum;

		ck_assert_double_eq_tol(bf_brackets_mm(&bs, x), below,
		    1e-6 * x);
	}
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_builtin_matches_config)
{
	const char *syms[] = { "BTCUSDT", "ETHUSDT" };

	for (size_t k = 0; k < 2; k++) {
		struct bf_brackets a = BF_BRACKETS_INIT, b = BF_BRACKETS_INIT;
		struct bf_err err = BF_ERR_INIT;
		char path[64];

		snprintf(path, sizeof(path), "config/brackets-%s.csv", syms[k]);
		ck_assert_msg(bf_brackets_load(&a, path, syms[k], &err) == 0,
		    "%s (run from the source tree)", err.msg);
		ck_assert_int_eq(bf_brackets_builtin(&b, syms[k], NULL), 0);
		ck_assert_uint_eq(a.n, b.n);
		for (size_t i = 0; i < a.n; i++) {
			ck_assert_int_eq(a.b[i].id, b.b[i].id);
			ck_assert_double_eq(a.b[i].floor, b.b[i].floor);
			ck_assert_double_eq(a.b[i].cap, b.b[i].cap);
			ck_assert_double_eq(a.b[i].max_lev, b.b[i].max_lev);
			ck_assert_double_eq(a.b[i].mmr, b.b[i].mmr);
			ck_assert_double_eq(a.b[i].cum, b.b[i].cum);
		}
		ck_assert_str_eq(a.symbol, syms[k]);
		ck_assert_str_eq(a.as_of, b.as_of);
		bf_brackets_release(&a);
		bf_brackets_release(&b);
	}
}
END_TEST

START_TEST(test_load_camelcase_multi_symbol)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_err err = BF_ERR_INIT;
	const char *p = tmpfile_with(
	    "symbol,bracket,initialLeverage,notionalCap,notionalFloor,"
	    "maintMarginRatio,cum\n"
	    "ADAUSDT,1,20,100000,0,0.025,0\n"
	    "ZECUSDT,2,20,150000,50000,0.025,750\n"
	    "ZECUSDT,1,50,50000,0,0.01,0\n"
	    "ADAUSDT,2,10,500000,100000,0.05,2500\n");

	ck_assert_int_eq(bf_brackets_load(&bs, p, "ZECUSDT", &err), 0);
	ck_assert_uint_eq(bs.n, 2);
	ck_assert_double_eq(bs.b[0].max_lev, 50); /* sorted by floor */
	ck_assert_double_eq(bs.b[1].cum, 750);
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "several symbols"));
	ck_assert_int_eq(bf_brackets_load(&bs, p, "BTCUSDT", &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "no brackets"));
	bf_brackets_release(&bs);
	unlink(p);
}
END_TEST

/* The leverageBracket response itself, as the exchange sends it. */
START_TEST(test_load_api_json)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_err err = BF_ERR_INIT;
	const char *p = tmpfile_with(
	    "[{\"symbol\":\"ETHUSDT\",\"brackets\":["
	    "{\"bracket\":1,\"initialLeverage\":125,\"notionalCap\":50000,"
	    "\"notionalFloor\":0,\"maintMarginRatio\":0.004,\"cum\":0.0},"
	    "{\"bracket\":2,\"initialLeverage\":100,\"notionalCap\":600000,"
	    "\"notionalFloor\":50000,\"maintMarginRatio\":0.005,\"cum\":50.0}]},"
	    " {\"symbol\":\"BTCUSDT\",\"notionalCoef\":1.5,\"brackets\":["
	    "{\"bracket\":\"1\",\"initialLeverage\":\"50\",\"notionalCap\":\"9000\","
	    "\"notionalFloor\":\"0\",\"maintMarginRatio\":\"0.01\",\"cum\":\"0\"}]}]\n");

	ck_assert_msg(bf_brackets_load(&bs, p, "ETHUSDT", &err) == 0, "%s",
	    err.msg);
	ck_assert_uint_eq(bs.n, 2);
	ck_assert_str_eq(bs.symbol, "ETHUSDT");
	ck_assert_double_eq(bs.b[1].cum, 50);
	ck_assert_double_eq(bf_brackets_max_leverage(&bs, 60000), 100);
	ck_assert_int_eq(bf_brackets_load(&bs, p, "BTCUSDT", &err), 0);
	ck_assert_uint_eq(bs.n, 1);
	ck_assert_double_eq(bs.b[0].cap, 9000);
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "several symbols"));
	unlink(p);

	/* one object, a bad member */
	p = tmpfile_with("{\"symbol\":\"X\",\"brackets\":[{\"bracket\":1,"
	    "\"initialLeverage\":20,\"notionalCap\":\"abc\","
	    "\"notionalFloor\":0,\"maintMarginRatio\":0.01,\"cum\":0}]}");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "notionalCap"));
	unlink(p);

	/* NDJSON rows still go to the record reader */
	p = tmpfile_with("{\"notional_floor\":0,\"notional_cap\":5000,"
	    "\"initial_leverage\":20,\"maint_margin_ratio\":0.01,\"cum\":0}\n"
	    "{\"notional_floor\":5000,\"notional_cap\":9000,"
	    "\"initial_leverage\":10,\"maint_margin_ratio\":0.02,\"cum\":50}\n");
	ck_assert_msg(bf_brackets_load(&bs, p, NULL, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(bs.n, 2);
	unlink(p);
	bf_brackets_release(&bs);
}
END_TEST

START_TEST(test_load_errors)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_err err = BF_ERR_INIT;
	const char *p;

	ck_assert_int_eq(bf_brackets_load(&bs, "/nonexistent/b.csv", NULL,
	    &err), BF_EUSAGE);

	p = tmpfile_with("notional_floor,notional_cap,cum\n0,1,0\n");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "initial_leverage"));
	unlink(p);

	/* a gap between tiers */
	p = tmpfile_with("notional_floor,notional_cap,initial_leverage,"
	    "maint_margin_ratio,cum\n0,50000,125,0.004,0\n"
	    "60000,100000,100,0.005,50\n");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "previous cap"));
	unlink(p);

	/* a cum that breaks continuity (typo: 500 for 50) */
	p = tmpfile_with("notional_floor,notional_cap,initial_leverage,"
	    "maint_margin_ratio,cum\n0,50000,125,0.004,0\n"
	    "50000,100000,100,0.005,500\n");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "expected 50"));
	unlink(p);

	/* a bad number names the line */
	p = tmpfile_with("notional_floor,notional_cap,initial_leverage,"
	    "maint_margin_ratio,cum\n0,50000,125,x,0\n");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, ":2:"));
	unlink(p);

	/* a missing value */
	p = tmpfile_with("notional_floor,notional_cap,initial_leverage,"
	    "maint_margin_ratio,cum\n0,50000,,0.004,0\n");
	ck_assert_int_eq(bf_brackets_load(&bs, p, NULL, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "missing value"));
	unlink(p);
	ck_assert_uint_eq(bs.n, 0);
}
END_TEST

START_TEST(test_fixed)
{
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_err err = BF_ERR_INIT;

	ck_assert_int_eq(bf_brackets_fixed(&bs, 0.1, 135365, 125, &err), 0);
	ck_assert_double_eq_tol(bf_brackets_mm(&bs, 5e6), 364635, 1e-6);
	ck_assert_int_eq(bf_brackets_find(&bs, 1e12)->id, 1);
	ck_assert_int_eq(bf_brackets_fixed(&bs, 1.5, 0, 1, &err), BF_EUSAGE);
	ck_assert_int_eq(bf_brackets_fixed(&bs, 0.1, -1, 1, &err), BF_EUSAGE);
	ck_assert_int_eq(bf_brackets_builtin(&bs, "XYZUSDT", &err), BF_EUSAGE);
	bf_brackets_release(&bs);
}
END_TEST

Suite *brackets_suite(void);

Suite *
brackets_suite(void)
{
	Suite *s = suite_create("brackets");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_find_boundaries);
	tcase_add_test(tc, test_mm_values_and_continuity);
	tcase_add_test(tc, test_builtin_matches_config);
	tcase_add_test(tc, test_load_camelcase_multi_symbol);
	tcase_add_test(tc, test_load_api_json);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_fixed);
	suite_add_tcase(s, tc);
	return s;
}
