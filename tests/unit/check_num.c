/* SPDX-License-Identifier: MIT */
/*
 * check_num.c - unit tests of lib/num.c: bf_num_parse must give the
 * bit-identical double strtod gives, and bf_num_format the same text as
 * snprintf("%.*g"), on everything.
 *
 * Besides hand-picked edge cases, property tests compare against the C
 * library on BF_NUM_TEST_N random values in all (default 10,000,000, or
 * 1,000,000 when built with AddressSanitizer, since `make check` runs the
 * unit tests a second time under ASan+UBSan):
 *   40 %  price-like decimals, 0..9 integer digits and 1..8 decimals
 *         (1e-8 .. 1e9), as text first, then parsed and formatted;
 *   30 %  doubles from random bits (every exponent, subnormals, NaN and
 *         infinities for the formatter);
 *   30 %  integers, tiny and huge powers of ten, and exact binary
 *         fractions whose decimal expansions make %g ties;
 * each formatted at 12 significant digits and the text parsed back; and
 * N / 10 more values of the same mix at 1, 6, 15 and 17 digits each.
 * The generator is seeded, so a failure repeats; its message names the
 * value.
 */
#include "compat.h"

#include <check.h>
#include <float.h>
#include <math.h>

#include "num.h"

Suite *num_suite(void);

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NUM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(NUM_ASAN)
#define NUM_ASAN 1
#endif
#ifdef NUM_ASAN
#define NUM_TEST_N_DEFAULT 1000000L
#else
#define NUM_TEST_N_DEFAULT 10000000L
#endif

/* The number of random values in all (BF_NUM_TEST_N overrides). */
static long
test_n(void)
{
	const char *s = getenv("BF_NUM_TEST_N");
	long n;

	if (s == NULL || *s == '\0')
		return NUM_TEST_N_DEFAULT;
	n = strtol(s, NULL, 10);
	return n > 0 ? n : NUM_TEST_N_DEFAULT;
}

/* xorshift64*: a small, fast, seedable generator. */
static uint64_t
rnd(uint64_t *st)
{
	*st ^= *st >> 12;
	*st ^= *st << 25;
	*st ^= *st >> 27;
	return *st * 2685821657736338717ULL;
}

/* Text of a price-like decimal into 'buf' (NUL-terminated); its length. */
static size_t
gen_price(uint64_t *st, char *buf)
{
	uint64_t r = rnd(st);
	int ni = (int)(r % 10), nf = 1 + (int)(r >> 8) % 8, i;
	size_t len = 0;

	if ((r >> 16) % 8 == 0)
		buf[len++] = '-';
	if (ni == 0) {
		buf[len++] = '0';
	} else {
		buf[len++] = (char)('1' + (rnd(st) % 9));
		for (i = 1; i < ni; i++)
			buf[len++] = (char)('0' + rnd(st) % 10);
	}
	buf[len++] = '.';
	for (i = 0; i < nf; i++)
		buf[len++] = (char)('0' + rnd(st) % 10);
	buf[len] = '\0';
	return len;
}

/* A double with random bits; 'finite' excludes NaN and infinities. */
static double
gen_bits(uint64_t *st, bool finite)
{
	uint64_t b;
	double v;

	do {
		b = rnd(st);
		memcpy(&v, &b, sizeof(v));
	} while (finite && !isfinite(v));
	return v;
}

/*
 * One of the "mixed" kinds: integers, powers of ten and their
 * neighbours, ties (odd / 2^j has a decimal expansion ending in 5) and
 * values near 10^k that round up into a new digit.
 */
static double
gen_mixed(uint64_t *st)
{
	uint64_t r = rnd(st);
	double v;

	switch (r % 6) {
	case 0:	/* an integer of up to 63 bits */
		v = (double)(rnd(st) >> (r >> 8) % 64);
		break;
	case 1:	/* tiny or huge: mantissa * 10^(-330..330) */
		v = (double)(rnd(st) >> 11) *
		    pow(10.0, (double)((int)((r >> 8) % 661) - 330 - 16));
		break;
	case 2:	/* an exact binary fraction: a tie at some precision */
		v = ldexp((double)((rnd(st) >> (11 + (r >> 8) % 40)) | 1),
		    -(int)((r >> 16) % 40));
		break;
	case 3:	/* just below a power of ten: rounds up to a new digit */
		v = nextafter(pow(10.0, (double)((int)((r >> 8) % 40) - 20)),
		    0.0);
		v = (r >> 20) % 2 ? v : nextafter(v, 0.0);
		break;
	case 4:	/* 9.999...95-like: a run of nines then 5 */
		v = (1.0 - 5.0 * pow(10.0, -(double)(2 + (r >> 8) % 16))) *
		    pow(10.0, (double)((int)((r >> 16) % 30) - 10));
		break;
	default: /* a small decimal with few digits, scaled */
		v = (double)(r >> 40) *
		    pow(10.0, (double)((int)((r >> 8) % 30) - 15));
		break;
	}
	return (r >> 62) ? v : -v;
}

/*
 * Compare bf_num_format with snprintf at 'digits' (abort on a mismatch);
 * leave snprintf's text in 'want' (64 bytes).
 */
static void
check_format(double v, int digits, char *want)
{
	char got[BF_NUM_BUFSZ];
	size_t n = bf_num_format(got, v, digits);

	snprintf(want, 64, "%.*g", digits, v);
	if (strcmp(got, want) != 0 || n != strlen(want))
		ck_abort_msg("format %a at %d digits: '%s' (len %zu), snprintf '%s'",
		    v, digits, got, n, want);
}

/*
 * Compare bf_num_parse on 'text' with strtod's result 'want' bit for bit;
 * text strtod overflows on must be rejected.
 */
static void
check_parse_as(const char *text, double want)
{
	double got = 0;
	int r = bf_num_parse(text, strlen(text), &got);

	if (!isfinite(want)) {
		if (r == 0)
			ck_abort_msg("parse '%s': overflow accepted as %a",
			    text, got);
		return;
	}
	if (r < 0)
		ck_abort_msg("parse '%s': rejected, strtod %a", text, want);
	if (memcmp(&got, &want, sizeof(got)) != 0)
		ck_abort_msg("parse '%s': %a, strtod %a", text, got, want);
}

/* check_parse_as with strtod's answer. */
static void
check_parse(const char *text)
{
	check_parse_as(text, strtod(text, NULL));
}

/* Format 'v' at 'digits' and parse the text back, both against libc. */
static void
check_both(double v, int digits)
{
	char ref[64];

	check_format(v, digits, ref);
	if (isfinite(v))
		check_parse(ref);
}

START_TEST(test_format_edges)
{
	static const double vals[] = {
		0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.5, 2.5, 3.5,
		0.125, 0.375, 1e-4, 1e-5, 0.0001, 0.00011, 9.9999e-5,
		9.99999999999995, 9.999999999995, 99999.99999999999,
		999999999999.0, 1e12, 999999999999.5, 123456789012.0,
		1234567890123.0, 123456789012345.0, 1e15, 1e16, 1e17, 1e21,
		1e22, 1e23, 9007199254740992.0, 9007199254740993.0,
		18446744073709551616.0, 1e300, 1e-300, DBL_MAX, DBL_MIN,
		DBL_TRUE_MIN, 4.9e-324, 2.2250738585072009e-308,
		37000.12345678, 37000.1, 95505.4, 0.00012345678,
		1.0000000000005, 0.30000000000000004, 5e-5, 5e-4, 15.5, 25.5,
		1e100, 1e-100, 1.7976931348623157e308, 65536.0, 1048576.5,
		0.1 * 3, 100.0, 1000.0, 125.0, 135.0, 1e-7, 123e-20,
	};
	static const struct {
		double v;
		int digits;
		const char *want;
	} fixed[] = {
		{ 9.99999999999995, 12, "10" },
		/* The double is 9.99999999999499...: no carry. */
		{ 9.999999999995, 12, "9.99999999999" },
		{ 0.0001, 12, "0.0001" },
		{ 1e-5, 12, "1e-05" },
		{ 123456789012345.0, 12, "1.23456789012e+14" },
		{ 1e12, 12, "1e+12" },
		{ 999999999999.0, 12, "999999999999" },
		{ 37000.12345678, 12, "37000.1234568" },
		{ 2.5, 1, "2" },
		{ 3.5, 1, "4" },
		{ 0.125, 2, "0.12" },
		{ 1e100, 17, "1e+100" },
		{ 1e23, 17, "9.9999999999999992e+22" },
		{ 0.1, 17, "0.10000000000000001" },
	};
	char buf[BF_NUM_BUFSZ], want[64];
	size_t i;
	int d;

	for (i = 0; i < BF_ARRAY_SIZE(vals); i++)
		for (d = 1; d <= 17; d++) {
			check_format(vals[i], d, want);
			check_format(-vals[i], d, want);
		}
	for (i = 0; i < BF_ARRAY_SIZE(fixed); i++) {
		bf_num_format(buf, fixed[i].v, fixed[i].digits);
		ck_assert_str_eq(buf, fixed[i].want);
	}
	for (d = 1; d <= 17; d++) {
		check_format(NAN, d, want);
		check_format(-NAN, d, want);
		check_format(INFINITY, d, want);
		check_format(-INFINITY, d, want);
	}
	bf_num_format(buf, -0.0, 12);
	ck_assert_str_eq(buf, "-0");
	bf_num_format(buf, 0.0, 12);
	ck_assert_str_eq(buf, "0");
	/* Digit counts outside 1..17 are clamped. */
	bf_num_format(buf, 1.0 / 3, 0);
	ck_assert_str_eq(buf, "0.3");
	bf_num_format(buf, 1.0 / 3, 40);
	ck_assert_str_eq(buf, "0.33333333333333331");
}
END_TEST

START_TEST(test_parse_edges)
{
	static const char *const good[] = {
		"0", "-0", "+0", "0.0", "-0.0", "1", "-1", "+1", "1.", ".5",
		"-.5", "1e5", "1E5", "1e+5", "1e-5", "1.5e-3", "0.1", "0.2",
		"0.3", "95505.4", "37000.12345678", "0.00000001",
		"1000000000.00000001", "9007199254740992", "9007199254740993",
		"9007199254740993.0000000001", "18446744073709551616",
		"123456789012345678901234567890", "1e22", "1e23", "1e37",
		"1e38", "12345e30", "9999999999999999e22", "1e-22", "1e-23",
		"4.9e-324", "2.4703282292062327e-324",
		"2.4703282292062328e-324", "1e-400", "-1e-400",
		"2.2250738585072011e-308", "2.2250738585072012e-308",
		"1.7976931348623157e308", "1.7976931348623158e308",
		"0e999999999", "0.000000000000000000000000000001",
		"00000000000000000000000000001.5", "1e0000000000000000005",
		"0.1000000000000000055511151231257827",
		"0.1000000000000000055511151231257828",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126",
		/* 16 to 19 digits: the 128-bit path and its ties. */
		"9007199254740993", "9007199254740995", "9007199254740997",
		"18014398509481985", "18014398509481986", "18014398509481987",
		"9223372036854775807", "9223372036854775808",
		"9999999999999999999", "1844674407370955161",
		"37000.099999999999", "0.30000000000000004",
		"0.1000000000000000055", "123456789012345678e-27",
		"1234567890123456789e27", "1e-24", "3e-25", "7e-27",
		"9999999999999999999e-27", "4503599627370497.5",
		"4503599627370496.5", "2.2204460492503131e-16",
		"1.0000000000000002", "1.0000000000000001",
		"0.99999999999999994", "0.99999999999999995",
		"5e-28", "5e28", "1e27", "1e28",
	};
	static const char *const bad[] = {
		"", "+", "-", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-",
		"1.5e", " 1", "1 ", "1,5", "0x10", "0x1p3", "nan", "NaN",
		"inf", "-inf", "infinity", "1e309", "-1e309", "1e999999999",
		"1.7976931348623159e308", "1..2", "1.2.3", "--1", "+-1",
		"1e5.5", "1e--5", "12a", "a12",
	};
	char longtxt[300];
	double v;
	size_t i;

	for (i = 0; i < BF_ARRAY_SIZE(good); i++)
		check_parse(good[i]);
	for (i = 0; i < BF_ARRAY_SIZE(bad); i++) {
		v = 42;
		ck_assert_msg(bf_num_parse(bad[i], strlen(bad[i]), &v) == -1,
		    "'%s' accepted as %a", bad[i], v);
		ck_assert(v == 42);
	}
	/* -0 keeps its sign. */
	ck_assert_int_eq(bf_num_parse("-0", 2, &v), 0);
	ck_assert(v == 0 && signbit(v));
	ck_assert_int_eq(bf_num_parse("-0.000e5", 8, &v), 0);
	ck_assert(v == 0 && signbit(v));
	/* Only 'len' bytes count: "12" out of "123". */
	ck_assert_int_eq(bf_num_parse("123", 2, &v), 0);
	ck_assert(v == 12);
	/* Longer than any stack buffer: 1 followed by 250 digits. */
	memset(longtxt, '0', sizeof(longtxt));
	longtxt[0] = '1';
	longtxt[251] = '\0';
	check_parse(longtxt);
	longtxt[1] = '.';
	check_parse(longtxt);
}
END_TEST

START_TEST(test_prop_prices)
{
	uint64_t st = 0x853c49e6748fea9bULL;
	long n = test_n() * 4 / 10, i;
	char txt[32], want[64];
	double v;

	for (i = 0; i < n; i++) {
		gen_price(&st, txt);
		v = strtod(txt, NULL);
		check_parse_as(txt, v);
		check_format(v, BF_NUM_DIGITS, want);
	}
}
END_TEST

START_TEST(test_prop_bits)
{
	uint64_t st = 0xda3e39cb94b95bdbULL;
	long n = test_n() * 3 / 10, i;

	for (i = 0; i < n; i++)
		check_both(gen_bits(&st, false), BF_NUM_DIGITS);
}
END_TEST

START_TEST(test_prop_mixed)
{
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	long n = test_n() * 3 / 10, i;

	for (i = 0; i < n; i++)
		check_both(gen_mixed(&st), BF_NUM_DIGITS);
}
END_TEST

/* The same mix at 1, 6, 15 and 17 digits, N / 10 values each. */
START_TEST(test_prop_digits)
{
	static const int digits[] = { 1, 6, 15, 17 };
	uint64_t st = 0x2545f4914f6cdd1dULL;
	long n = test_n() / 10, i;
	char txt[32];
	size_t k;
	double v;

	for (k = 0; k < BF_ARRAY_SIZE(digits); k++)
		for (i = 0; i < n; i++) {
			switch (i % 3) {
			case 0:
				gen_price(&st, txt);
				v = strtod(txt, NULL);
				break;
			case 1:
				v = gen_bits(&st, false);
				break;
			default:
				v = gen_mixed(&st);
				break;
			}
			check_both(v, digits[k]);
		}
}
END_TEST

/*
 * bf_num_format_list against snprintf, value by value: runs of 150
 * values (longer than its chunks) of the whole mix, NaN and infinities
 * included, at 1, 6, 12, 15 and 17 digits, and an empty run.
 */
START_TEST(test_format_list)
{
	static const int digits[] = { 1, 6, 12, 15, 17 };
	enum { RUN = 150 };
	uint64_t st = 0x6a09e667f3bcc909ULL;
	static char got[RUN * (BF_NUM_BUFSZ + 1) + 1], want[RUN * 64 + 1];
	double v[RUN];
	char txt[32];
	size_t k, n, len;
	long r;

	for (k = 0; k < BF_ARRAY_SIZE(digits); k++)
		for (r = 0; r < 2000; r++) {
			len = 0;
			for (int i = 0; i < RUN; i++) {
				switch (rnd(&st) % 4) {
				case 0:
					gen_price(&st, txt);
					v[i] = strtod(txt, NULL);
					break;
				case 1:
					v[i] = gen_bits(&st, false);
					break;
				case 2:
					v[i] = i % 7 ? gen_mixed(&st) : NAN;
					break;
				default:
					/* what features look like */
					v[i] = (double)(rnd(&st) >> 11) *
					    0x1p-53 * pow(10.0, i % 16 - 8);
					break;
				}
				want[len++] = r % 2 ? ',' : ' ';
				if (isfinite(v[i]))
					len += (size_t)snprintf(want + len,
					    64, "%.*g", digits[k], v[i]);
			}
			want[len] = '\0';
			n = bf_num_format_list(got, v, RUN, digits[k],
			    r % 2 ? ',' : ' ');
			if (n != len || strcmp(got, want) != 0)
				ck_abort_msg("list at %d digits: '%s', "
				    "snprintf '%s'", digits[k], got, want);
		}
	ck_assert_uint_eq(bf_num_format_list(got, v, 0, 12, ','), 0);
	ck_assert_str_eq(got, "");
}
END_TEST

/* Every digit count on small exact fractions: the ties of %g. */
START_TEST(test_ties)
{
	int c, j, d;

	for (c = 1; c < 2048; c += 2)
		for (j = 1; j <= 12; j++)
			for (d = 1; d <= 17; d++)
				check_both(ldexp(c, -j), d);
	/* Integer ties: 125 at 2 digits is 1.2e+02, 135 is 1.4e+02. */
	for (c = 5; c < 100000; c += 10)
		for (d = 1; d <= 5; d++)
			check_both(c, d);
}
END_TEST

START_TEST(test_i64)
{
	static const char *const bad[] = { "", "+", "-", "1.0", "1e3", " 1",
		"1 ", "9223372036854775808", "-9223372036854775809",
		"99999999999999999999", "0x1" };
	uint64_t st = 0x1234567ULL;
	char got[BF_NUM_BUFSZ], want[32];
	int64_t v, back;
	size_t i, n;
	long k;

	for (k = 0; k < 2000000; k++) {
		v = (int64_t)(rnd(&st) >> (k % 64));
		if (k % 2)
			v = -v;
		n = bf_num_format_i64(got, v);
		snprintf(want, sizeof(want), "%lld", (long long)v);
		if (strcmp(got, want) != 0 || n != strlen(want))
			ck_abort_msg("format_i64 %lld: '%s'", (long long)v,
			    got);
		if (bf_num_parse_i64(got, n, &back) != 0 || back != v)
			ck_abort_msg("parse_i64 '%s'", got);
	}
	bf_num_format_i64(got, INT64_MIN);
	ck_assert_str_eq(got, "-9223372036854775808");
	bf_num_format_i64(got, INT64_MAX);
	ck_assert_str_eq(got, "9223372036854775807");
	bf_num_format_i64(got, 0);
	ck_assert_str_eq(got, "0");
	ck_assert_int_eq(bf_num_parse_i64("-9223372036854775808", 20, &v), 0);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(bf_num_parse_i64("+007", 4, &v), 0);
	ck_assert_int_eq(v, 7);
	for (i = 0; i < BF_ARRAY_SIZE(bad); i++)
		ck_assert_msg(bf_num_parse_i64(bad[i], strlen(bad[i]), &v) ==
		    -1, "'%s' accepted", bad[i]);
}
END_TEST

Suite *
num_suite(void)
{
	Suite *s = suite_create("num");
	TCase *tc = tcase_create("edges");

	tcase_add_test(tc, test_format_edges);
	tcase_add_test(tc, test_format_list);
	tcase_add_test(tc, test_parse_edges);
	tcase_add_test(tc, test_ties);
	tcase_add_test(tc, test_i64);
	suite_add_tcase(s, tc);
	/* Seconds each at 10M values; the default 4 s timeout is too short. */
	tc = tcase_create("random");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_prop_prices);
	tcase_add_test(tc, test_prop_bits);
	tcase_add_test(tc, test_prop_mixed);
	tcase_add_test(tc, test_prop_digits);
	suite_add_tcase(s, tc);
	return s;
}
