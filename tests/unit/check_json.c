/* SPDX-License-Identifier: MIT */
/*
 * check_json.c - the text-preserving JSON tokenizer: exact number text,
 * escapes, sibling walks, member lookup, and strict rejection of
 * malformed documents (the fake exchange sends such on demand).
 */
#include <check.h>

#include "compat.h"
#include "err.h"
#include "json.h"

/* Parse the string 's' (copied, since parsing rewrites it). */
static int
parse(struct bf_json *js, char *buf, size_t cap, const char *s)
{
	struct bf_err err = BF_ERR_INIT;
	size_t n = strlen(s);

	ck_assert_uint_lt(n, cap);
	memcpy(buf, s, n + 1);
	return bf_json_parse(js, buf, n, &err);
}

START_TEST(kline_page)
{
	struct bf_json js = BF_JSON_INIT;
	char buf[512], t[64];
	const char *s;
	size_t len;
	long k;

	ck_assert_int_eq(parse(&js, buf, sizeof(buf),
	    "[[1704067200000,\"42283.58\",\"42554.57\",\"42261.02\","
	    "\"42475.23\",\"1271.68108\",1704070799999,\"53957248.8\","
	    "47134,\"682.57581\",\"28957416.8\",\"0\"],"
	    " [ 1704070800000 , \"1\",\"2\",\"3\",\"4\",\"5\",1,\"6\",7,"
	    "\"8\",\"9\",\"0\" ] ]"), 0);
	ck_assert_int_eq(js.t[0].type, BF_JSON_ARRAY);
	ck_assert_uint_eq(js.t[0].size, 2);
	ck_assert_uint_eq(js.t[0].next, js.n);
	k = bf_json_at(&js, 0, 1);
	ck_assert_int_eq(k, (long)js.t[1].next);
	ck_assert_uint_eq(js.t[k].size, 12);
	s = bf_json_text(&js, (size_t)bf_json_at(&js, 1, 1), &len);
	memcpy(t, s, len);
	t[len] = 0;
	ck_assert_str_eq(t, "42283.58");
	s = bf_json_text(&js, (size_t)bf_json_at(&js, 1, 0), &len);
	ck_assert_uint_eq(len, 13);
	ck_assert_int_eq(memcmp(s, "1704067200000", 13), 0);
	ck_assert_int_eq(bf_json_at(&js, 0, 2), -1);
	bf_json_release(&js);
}
END_TEST

START_TEST(object_members)
{
	struct bf_json js = BF_JSON_INIT;
	char buf[256];
	int64_t v;
	long i;
	size_t len;
	const char *s;

	ck_assert_int_eq(parse(&js, buf, sizeof(buf),
	    "{\"code\":-1121,\"msg\":\"Invalid symbol.\",\"a\":{\"b\":[1,2]},"
	    "\"r\":0.0040,\"e\":\"x\\\"y\\u00e9\\n\",\"t\":true,\"n\":null}"),
	    0);
	i = bf_json_get(&js, 0, "code");
	ck_assert_int_ge(i, 0);
	ck_assert_int_eq(bf_json_i64(&js, (size_t)i, &v), 0);
	ck_assert_int_eq(v, -1121);
	ck_assert(bf_json_eq(&js, (size_t)bf_json_get(&js, 0, "msg"),
	    "Invalid symbol."));
	s = bf_json_text(&js, (size_t)bf_json_get(&js, 0, "r"), &len);
	ck_assert_uint_eq(len, 6);
	ck_assert_int_eq(memcmp(s, "0.0040", 6), 0);
	ck_assert(bf_json_eq(&js, (size_t)bf_json_get(&js, 0, "e"),
	    "x\"y\xc3\xa9\n"));
	ck_assert_int_eq(js.t[bf_json_get(&js, 0, "t")].type, BF_JSON_TRUE);
	ck_assert_int_eq(js.t[bf_json_get(&js, 0, "n")].type, BF_JSON_NULL);
	ck_assert_int_eq(bf_json_get(&js, 0, "zz"), -1);
	i = bf_json_get(&js, 0, "a");
	ck_assert_int_eq(js.t[i].type, BF_JSON_OBJECT);
	bf_json_release(&js);
}
END_TEST

START_TEST(malformed)
{
	static const char *bad[] = {
		"", "[", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[-]", "[1e]",
		"{\"a\" 1}", "{1:2}", "[\"abc]", "[\"\\q\"]", "[tru]",
		"[1] x", "[\"\\ud800\"]", "[[[[", "nul", "[\"a\nb\"]",
		"[1 2]", "{\"a\":1 \"b\":2}",
	};
	struct bf_json js = BF_JSON_INIT;
	struct bf_err err = BF_ERR_INIT;
	char buf[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);
		memcpy(buf, bad[i], n + 1);
		ck_assert_msg(bf_json_parse(&js, buf, n, &err) == BF_EDATA,
		    "accepted '%s'", bad[i]);
		ck_assert(strstr(err.msg, "invalid JSON") != NULL);
	}
	bf_json_release(&js);
}
END_TEST

START_TEST(deep_nesting)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_err err = BF_ERR_INIT;
	char buf[1000];

	memset(buf, '[', 400);
	memset(buf + 400, ']', 400);
	ck_assert_int_eq(bf_json_parse(&js, buf, 800, &err), BF_EDATA);
	ck_assert(strstr(err.msg, "deep") != NULL);
	memset(buf, '[', 100);
	memset(buf + 100, ']', 100);
	ck_assert_int_eq(bf_json_parse(&js, buf, 200, &err), 0);
	bf_json_release(&js);
}
END_TEST

Suite *json_suite(void);

Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kline_page);
	tcase_add_test(tc, object_members);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, deep_nesting);
	suite_add_tcase(s, tc);
	return s;
}
