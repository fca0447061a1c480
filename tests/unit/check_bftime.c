/* SPDX-License-Identifier: MIT */
/*
 * check_bftime.c - unit tests of lib/bftime.c: time parsing in every
 * accepted form, calendar validation, ISO formatting, durations, and the
 * open times of every kline interval.
 *
 * The expected epoch values were worked out by hand from day counts
 * (2024-01-01 is day 19723, a Monday; 1970-01-01 was a Thursday) and
 * cross-checked with `date -u -d @SECONDS`.  The calendar itself is also
 * checked day by day against a simple month-length walk, and ISO output
 * against the C library's gmtime_r/strftime.
 */
#include "compat.h"

#include <check.h>
#include <time.h>

#include "bftime.h"
#include "err.h"

Suite *bftime_suite(void);

#define T20240101 1704067200000LL /* 2024-01-01T00:00:00Z, a Monday */
#define DAY BF_MS_DAY

/* Parse 's' with 'now' and return the time; fail the test on error. */
static int64_t
parse_ok(const char *s, int64_t now)
{
	struct bf_err err = BF_ERR_INIT;
	int64_t t = 0;
	int r = bf_time_parse(s, now, &t, &err);

	ck_assert_msg(r == 0, "'%s' rejected: %s", s, err.msg);
	return t;
}

/* Assert that 's' is rejected with BF_EUSAGE and a "time 's': " message. */
static void
parse_bad(const char *s)
{
	struct bf_err err = BF_ERR_INIT;
	char want[128];
	int64_t t = 42;
	int r = bf_time_parse(s, T20240101, &t, &err);

	ck_assert_msg(r == BF_EUSAGE, "'%s' accepted as %lld", s, (long long)t);
	ck_assert_int_eq(err.code, BF_EUSAGE);
	snprintf(want, sizeof(want), "time '%s': ", s);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0,
	    "message for '%s' is '%s'", s, err.msg);
	ck_assert_msg(strlen(err.msg) > strlen(want) + 5, "no reason: '%s'",
	    err.msg);
	ck_assert_int_eq(t, 42);
}

START_TEST(test_parse_epoch_ms)
{
	ck_assert_int_eq(parse_ok("0", 1), 0);
	ck_assert_int_eq(parse_ok("1704067200000", 1), T20240101);
	ck_assert_int_eq(parse_ok("0001704067200000", 1), T20240101);
	ck_assert_int_eq(parse_ok("100000000000", 1), 100000000000LL);
	/* Epoch seconds and bare years would silently mean 1970. */
	parse_bad("1704067200");
	parse_bad("1");
	parse_bad("2024");
}
END_TEST

START_TEST(test_parse_iso_dates)
{
	ck_assert_int_eq(parse_ok("1970-01-01", 1), 0);
	ck_assert_int_eq(parse_ok("2024-01-01", 1), T20240101);
	ck_assert_int_eq(parse_ok("2023-12-31", 1), T20240101 - DAY);
	/* Leap days: 2024 (by 4) and 2000 (by 400). */
	ck_assert_int_eq(parse_ok("2024-02-29", 1), 1709164800000LL);
	ck_assert_int_eq(parse_ok("2024-03-01", 1), 1709251200000LL);
	ck_assert_int_eq(parse_ok("2000-02-29", 1), 951782400000LL);
	ck_assert_int_eq(parse_ok("2000-03-01", 1), 951868800000LL);
	/* Before the epoch. */
	ck_assert_int_eq(parse_ok("1969-12-31", 1), -DAY);
	ck_assert_int_eq(parse_ok("1900-01-01", 1), -2208988800000LL);
	/* Month ends. */
	ck_assert_int_eq(parse_ok("2024-01-31", 1), T20240101 + 30 * DAY);
	ck_assert_int_eq(parse_ok("2024-04-30", 1), 1714435200000LL);
	ck_assert_int_eq(parse_ok("2024-12-31", 1), 1735603200000LL);
	ck_assert_int_eq(parse_ok("2025-01-01", 1), 1735689600000LL);
}
END_TEST

START_TEST(test_parse_iso_datetimes)
{
	int64_t t8 = T20240101 + 8 * BF_MS_HOUR;

	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00Z", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00Z", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01 08:00:00", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01t08:00:00z", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00.123Z", 1), t8 + 123);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00.1", 1), t8 + 100);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00.12", 1), t8 + 120);
	/* Digits past milliseconds truncate. */
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00.123999Z", 1),
	    t8 + 123);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00,5Z", 1), t8 + 500);
	ck_assert_int_eq(parse_ok("2024-01-01T23:59:59.999Z", 1),
	    T20240101 + DAY - 1);
	/* Offsets: local time minus the offset is UTC. */
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00+02:00", 1),
	    t8 - 2 * BF_MS_HOUR);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00-0530", 1),
	    t8 + 5 * BF_MS_HOUR + 30 * BF_MS_MINUTE);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00+01", 1), t8 - BF_MS_HOUR);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00+00:00", 1), t8);
	ck_assert_int_eq(parse_ok("2024-01-01T08:00:00.250-01:00", 1),
	    t8 + BF_MS_HOUR + 250);
	/* An offset may cross the date line. */
	ck_assert_int_eq(parse_ok("2024-01-01T01:00:00+02:00", 1),
	    T20240101 - BF_MS_HOUR);
	ck_assert_int_eq(parse_ok("1970-01-01T00:00:00.001Z", 1), 1);
	ck_assert_int_eq(parse_ok("1969-12-31T23:59:59.999Z", 1), -1);
}
END_TEST

START_TEST(test_parse_relative)
{
	int64_t now = T20240101 + 12345;

	ck_assert_int_eq(parse_ok("now", now), now);
	ck_assert_int_eq(parse_ok("-30d", now), now - 30 * DAY);
	ck_assert_int_eq(parse_ok("-12h", now), now - 12 * BF_MS_HOUR);
	ck_assert_int_eq(parse_ok("-90m", now), now - 90 * BF_MS_MINUTE);
	ck_assert_int_eq(parse_ok("-2w", now), now - 14 * DAY);
	ck_assert_int_eq(parse_ok("+1d", now), now + DAY);
	ck_assert_int_eq(parse_ok("-45s", now), now - 45000);
	ck_assert_int_eq(parse_ok("-0s", now), now);
	ck_assert_int_eq(parse_ok("-30d", 0), -30 * DAY);
}
END_TEST

START_TEST(test_parse_bad)
{
	static const char *const bad[] = {
		"", "x", "now1", "NOW", "yesterday", "12a", "1.5",
		"-30", "-30y", "+", "-", "-d", "--1d", "-1d2",
		"2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
		"2023-02-29", "2024-02-30", "1900-02-29", "2100-02-29",
		"2024-04-31", "2024-06-31", "2024-09-31", "2024-11-31",
		"2024-1-1", "2024/01/01", "24-01-01", "2024-01-01X",
		"2024-01-01T", "2024-01-01T08", "2024-01-01T8:00",
		"2024-01-01T24:00", "2024-01-01T08:60", "2024-01-01T08:00:60",
		"2024-01-01T08:00:0", "2024-01-01T08:00:00.",
		"2024-01-01T08:00:00.Z", "2024-01-01T08:00:00+25:00",
		"2024-01-01T08:00:00+02:60", "2024-01-01T08:00:00+2",
		"2024-01-01T08:00:00+02:", "2024-01-01T08:00:00+02:0",
		"2024-01-01T08:00:00+0200x", "2024-01-01T08:00:00ZZ",
		"2024-01-01T08:00:00 Z", " 2024-01-01", "2024-01-01 ",
		"2024-01-01Z", "99999999999999999999", "123456789012345678",
	};
	size_t i;

	for (i = 0; i < BF_ARRAY_SIZE(bad); i++)
		parse_bad(bad[i]);
}
END_TEST

START_TEST(test_parse_null_err)
{
	int64_t t;

	/* A NULL error buffer is allowed. */
	ck_assert_int_eq(bf_time_parse("junk", 0, &t, NULL), BF_EUSAGE);
}
END_TEST

START_TEST(test_duration)
{
	int64_t d;

	ck_assert_int_eq(bf_duration_parse("30s", &d), 0);
	ck_assert_int_eq(d, 30000);
	ck_assert_int_eq(bf_duration_parse("15m", &d), 0);
	ck_assert_int_eq(d, 900000);
	ck_assert_int_eq(bf_duration_parse("12h", &d), 0);
	ck_assert_int_eq(d, 43200000);
	ck_assert_int_eq(bf_duration_parse("7d", &d), 0);
	ck_assert_int_eq(d, 604800000);
	ck_assert_int_eq(bf_duration_parse("2w", &d), 0);
	ck_assert_int_eq(d, 1209600000);
	ck_assert_int_eq(bf_duration_parse("0s", &d), 0);
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(bf_duration_parse("", &d), -1);
	ck_assert_int_eq(bf_duration_parse("5", &d), -1);
	ck_assert_int_eq(bf_duration_parse("5x", &d), -1);
	ck_assert_int_eq(bf_duration_parse("m", &d), -1);
	ck_assert_int_eq(bf_duration_parse("-5m", &d), -1);
	ck_assert_int_eq(bf_duration_parse("5m5", &d), -1);
	ck_assert_int_eq(bf_duration_parse("5 m", &d), -1);
	ck_assert_int_eq(bf_duration_parse("5M", &d), -1);
	ck_assert_int_eq(bf_duration_parse("99999999999999999999w", &d), -1);
}
END_TEST

/* Assert that formatting 'ms' gives 'want' and that it parses back. */
static void
format_is(int64_t ms, const char *want)
{
	char buf[BF_TIME_BUFSZ];
	size_t n = bf_time_format_iso(buf, ms);

	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_int_eq(parse_ok(buf, 0), ms);
}

START_TEST(test_format_iso)
{
	format_is(0, "1970-01-01T00:00:00Z");
	format_is(1, "1970-01-01T00:00:00.001Z");
	format_is(-1, "1969-12-31T23:59:59.999Z");
	format_is(T20240101, "2024-01-01T00:00:00Z");
	format_is(T20240101 + 8 * BF_MS_HOUR + 123, "2024-01-01T08:00:00.123Z");
	format_is(1709164800000LL + 86399990, "2024-02-29T23:59:59.990Z");
	format_is(951782400000LL, "2000-02-29T00:00:00Z");
	format_is(-2208988800000LL, "1900-01-01T00:00:00Z");
	format_is(253402300799999LL, "9999-12-31T23:59:59.999Z");
}
END_TEST

/* ISO output agrees with gmtime_r + strftime on times across centuries. */
START_TEST(test_format_vs_libc)
{
	uint64_t x = 88172645463325252ULL;
	char buf[BF_TIME_BUFSZ], want[BF_TIME_BUFSZ];
	struct tm tm;
	int i;

	for (i = 0; i < 200000; i++) {
		int64_t ms;
		time_t secs;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Seconds in about [-2e9 .. 6e9]: 1906 to 2160. */
		secs = (time_t)((int64_t)(x % 8000000000ULL) - 2000000000LL);
		ms = (int64_t)secs * 1000;
		if (gmtime_r(&secs, &tm) == NULL)
			ck_abort_msg("gmtime_r failed for %lld",
			    (long long)secs);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		bf_time_format_iso(buf, ms);
		if (strcmp(buf, want) != 0)
			ck_abort_msg("%lld: '%s', libc '%s'", (long long)ms,
			    buf, want);
	}
}
END_TEST

/* Day numbers and dates agree with a plain walk over the calendar. */
START_TEST(test_civil_walk)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int64_t y = 1600, day, yy;
	int m = 1, d = 1, mm, dd, ml;

	day = bf_time_days_from_civil(1600, 1, 1);
	ck_assert_int_eq(day, -135140);
	for (; y < 2500; day++) {
		bf_time_civil_from_days(day, &yy, &mm, &dd);
		if (bf_time_days_from_civil(y, m, d) != day || yy != y ||
		    mm != m || dd != d)
			ck_abort_msg("day %lld is not %04lld-%02d-%02d",
			    (long long)day, (long long)y, m, d);
		ml = len[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) ||
		    y % 400 == 0));
		if (++d > ml) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	ck_assert_int_eq(bf_time_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(bf_time_days_from_civil(2024, 1, 1), 19723);
}
END_TEST

/* Look an interval up; fail the test if it is unknown. */
static struct bf_interval
iv_get(const char *name)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;

	ck_assert_msg(bf_interval_parse(name, &iv, &err) == 0, "%s: %s", name,
	    err.msg);
	return iv;
}

START_TEST(test_interval_names)
{
	static const struct {
		const char *name;
		int64_t ms;
		int months;
	} want[] = {
		{ "1m", 60000, 0 }, { "3m", 180000, 0 }, { "5m", 300000, 0 },
		{ "15m", 900000, 0 }, { "30m", 1800000, 0 },
		{ "1h", 3600000, 0 }, { "2h", 7200000, 0 },
		{ "4h", 14400000, 0 }, { "6h", 21600000, 0 },
		{ "8h", 28800000, 0 }, { "12h", 43200000, 0 },
		{ "1d", 86400000, 0 }, { "3d", 259200000, 0 },
		{ "1w", 604800000, 0 }, { "1M", 2592000000LL, 1 },
	};
	size_t i;

	for (i = 0; i < BF_ARRAY_SIZE(want); i++) {
		struct bf_interval iv = iv_get(want[i].name);

		ck_assert_str_eq(iv.name, want[i].name);
		ck_assert_int_eq(iv.ms, want[i].ms);
		ck_assert_int_eq(iv.months, want[i].months);
		ck_assert_str_eq(bf_interval_names[i], want[i].name);
	}
	ck_assert_ptr_null(bf_interval_names[BF_ARRAY_SIZE(want)]);
}
END_TEST

START_TEST(test_interval_bad)
{
	static const char *const bad[] = { "", "2m", "1H", "1D", "1W", "60m",
		"1mo", "1s", "m", "1 m", "1m " };
	struct bf_err err = BF_ERR_INIT;
	struct bf_interval iv;
	size_t i;

	for (i = 0; i < BF_ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(bf_interval_parse(bad[i], &iv, &err),
		    BF_EUSAGE);
		ck_assert_msg(strstr(err.msg,
		    "valid: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M") !=
		    NULL, "message '%s'", err.msg);
		ck_assert_ptr_nonnull(strstr(err.msg, "interval '"));
	}
}
END_TEST

START_TEST(test_align_fixed)
{
	struct bf_interval m1 = iv_get("1m"), h4 = iv_get("4h"),
	    d1 = iv_get("1d"), d3 = iv_get("3d"), m15 = iv_get("15m");
	int64_t t = T20240101 + 8 * BF_MS_HOUR + 7 * BF_MS_MINUTE + 5123;

	ck_assert_int_eq(bf_interval_align(&m1, t), t - 5123);
	ck_assert_int_eq(bf_interval_align(&m15, t), t - 7 * 60000 - 5123);
	ck_assert_int_eq(bf_interval_align(&h4, t), T20240101 + 8 * 3600000);
	ck_assert_int_eq(bf_interval_align(&d1, t), T20240101);
	ck_assert_int_eq(bf_interval_next(&h4, T20240101 + 8 * 3600000),
	    T20240101 + 12 * 3600000);
	/* Exactly on a boundary stays there. */
	ck_assert_int_eq(bf_interval_align(&d1, T20240101), T20240101);
	ck_assert_int_eq(bf_interval_align(&d1, T20240101 - 1),
	    T20240101 - DAY);
	/* 3d: day 19723 % 3 == 1, so the candle opened 2023-12-31. */
	ck_assert_int_eq(bf_interval_align(&d3, t), T20240101 - DAY);
	ck_assert_int_eq(bf_interval_next(&d3, T20240101 - DAY),
	    T20240101 + 2 * DAY);
	ck_assert_int_eq(bf_interval_close(&d3, T20240101 - DAY),
	    T20240101 + 2 * DAY - 1);
	ck_assert_int_eq(bf_interval_close(&m1, 0), 59999);
	/* Negative times round down, not towards zero. */
	ck_assert_int_eq(bf_interval_align(&m1, -1), -60000);
	ck_assert_int_eq(bf_interval_align(&m1, -60000), -60000);
	ck_assert_int_eq(bf_interval_align(&m1, -60001), -120000);
	ck_assert_int_eq(bf_interval_align(&d3, -1), -3 * DAY);
	ck_assert_int_eq(bf_interval_next(&m1, -60000), 0);
}
END_TEST

START_TEST(test_align_week)
{
	struct bf_interval w = iv_get("1w");
	int64_t mon = T20240101; /* a Monday */

	ck_assert_int_eq(bf_interval_align(&w, mon), mon);
	ck_assert_int_eq(bf_interval_align(&w, mon + 1), mon);
	ck_assert_int_eq(bf_interval_align(&w, mon + 2 * DAY + 5), mon);
	ck_assert_int_eq(bf_interval_align(&w, mon + 7 * DAY - 1), mon);
	ck_assert_int_eq(bf_interval_align(&w, mon + 7 * DAY), mon + 7 * DAY);
	ck_assert_int_eq(bf_interval_align(&w, mon - 1), mon - 7 * DAY);
	/* Sunday 2023-12-31 belongs to the week of Monday 2023-12-25. */
	ck_assert_int_eq(bf_interval_align(&w, parse_ok("2023-12-31T23:00", 0)),
	    parse_ok("2023-12-25", 0));
	/* 1970-01-01 was a Thursday: its week began Monday 1969-12-29. */
	ck_assert_int_eq(bf_interval_align(&w, 0), -3 * DAY);
	ck_assert_int_eq(bf_interval_align(&w, 4 * DAY), 4 * DAY);
	ck_assert_int_eq(bf_interval_align(&w, 4 * DAY - 1), -3 * DAY);
	ck_assert_int_eq(bf_interval_next(&w, mon), mon + 7 * DAY);
	ck_assert_int_eq(bf_interval_next(&w, -3 * DAY), 4 * DAY);
	/* Across a year boundary and a leap day. */
	ck_assert_int_eq(bf_interval_align(&w, parse_ok("2024-03-01", 0)),
	    parse_ok("2024-02-26", 0));
}
END_TEST

START_TEST(test_align_month)
{
	struct bf_interval mo = iv_get("1M");

	ck_assert_int_eq(bf_interval_align(&mo,
	    parse_ok("2023-12-15T13:00", 0)), parse_ok("2023-12-01", 0));
	ck_assert_int_eq(bf_interval_align(&mo, T20240101 - 1),
	    parse_ok("2023-12-01", 0));
	ck_assert_int_eq(bf_interval_align(&mo, T20240101), T20240101);
	/* December to January. */
	ck_assert_int_eq(bf_interval_next(&mo, parse_ok("2023-12-01", 0)),
	    T20240101);
	ck_assert_int_eq(bf_interval_close(&mo, parse_ok("2023-12-01", 0)),
	    T20240101 - 1);
	ck_assert_int_eq(bf_interval_next(&mo, T20240101),
	    parse_ok("2024-02-01", 0));
	/* February of a leap year has 29 days, of 2023 28. */
	ck_assert_int_eq(bf_interval_next(&mo, parse_ok("2024-02-01", 0)) -
	    parse_ok("2024-02-01", 0), 29 * DAY);
	ck_assert_int_eq(bf_interval_next(&mo, parse_ok("2023-02-01", 0)) -
	    parse_ok("2023-02-01", 0), 28 * DAY);
	ck_assert_int_eq(bf_interval_align(&mo, parse_ok("2024-02-29T23:59",
	    0)), parse_ok("2024-02-01", 0));
	/* Before the epoch. */
	ck_assert_int_eq(bf_interval_align(&mo, -1), -31 * DAY);
	ck_assert_int_eq(bf_interval_next(&mo, -31 * DAY), 0);
	/* An unaligned start still gives the next candle's open. */
	ck_assert_int_eq(bf_interval_next(&mo, parse_ok("2023-12-20", 0)),
	    T20240101);
}
END_TEST

/*
 * For every interval and many times (negative ones too): the open time
 * is at or before t, the next open after it, aligning is idempotent,
 * fixed intervals are multiples of their length, weeks open on Mondays
 * and months on the first.
 */
START_TEST(test_align_properties)
{
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	size_t k;
	int i;

	for (k = 0; bf_interval_names[k] != NULL; k++) {
		struct bf_interval iv = iv_get(bf_interval_names[k]);

		for (i = 0; i < 20000; i++) {
			int64_t t, a, n, y;
			int m, d;
			bool ok;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t = (int64_t)(x % 8000000000000ULL) - 2000000000000LL;
			a = bf_interval_align(&iv, t);
			n = bf_interval_next(&iv, a);
			ok = a <= t && t < n &&
			    bf_interval_align(&iv, a) == a &&
			    bf_interval_align(&iv, n) == n &&
			    bf_interval_align(&iv, n - 1) == a &&
			    a % BF_MS_MINUTE == 0;
			if (iv.months) {
				bf_time_civil_from_days(a / DAY, &y, &m, &d);
				ok = ok && a % DAY == 0 && d == 1 &&
				    n - a >= 28 * DAY && n - a <= 31 * DAY;
			} else if (iv.ms == 7 * DAY) {
				/* Day 4 + 7k is a Monday. */
				ok = ok && ((a / DAY - 4) % 7 + 7) % 7 == 0 &&
				    n - a == iv.ms;
			} else {
				ok = ok && a % iv.ms == 0 && n - a == iv.ms;
			}
			if (!ok)
				ck_abort_msg("%s: t %lld open %lld next %lld",
				    iv.name, (long long)t, (long long)a,
				    (long long)n);
		}
	}
}
END_TEST

START_TEST(test_now)
{
	int64_t a = bf_time_now_ms(), b = bf_time_now_ms();

	/* After 2024 and before 2200, and monotone enough for two calls. */
	ck_assert(a > T20240101 && a < 7258118400000LL);
	ck_assert(b >= a && b - a < 60000);
}
END_TEST

Suite *
bftime_suite(void)
{
	Suite *s = suite_create("bftime");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_parse_epoch_ms);
	tcase_add_test(tc, test_parse_iso_dates);
	tcase_add_test(tc, test_parse_iso_datetimes);
	tcase_add_test(tc, test_parse_relative);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_parse_null_err);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_now);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, test_format_iso);
	tcase_add_test(tc, test_format_vs_libc);
	tcase_add_test(tc, test_civil_walk);
	suite_add_tcase(s, tc);
	tc = tcase_create("interval");
	tcase_add_test(tc, test_interval_names);
	tcase_add_test(tc, test_interval_bad);
	tcase_add_test(tc, test_align_fixed);
	tcase_add_test(tc, test_align_week);
	tcase_add_test(tc, test_align_month);
	tcase_add_test(tc, test_align_properties);
	suite_add_tcase(s, tc);
	return s;
}
