/* SPDX-License-Identifier: MIT */
/*
 * bftime.c - times and kline intervals.  See bftime.h.
 *
 * All calendar arithmetic is done here on the proleptic Gregorian
 * calendar in UTC, with integer day numbers counted from 1970-01-01
 * (day 0, a Thursday).  Nothing depends on the C library's time zone,
 * locale or struct tm, so the results are the same on every machine and
 * for every time (negative ones included).  Divisions that must round
 * towards minus infinity go through floor_div()/floor_mod(), because C
 * division truncates towards zero.
 *
 * Not handled on purpose: leap seconds (":60" is rejected, as Binance
 * never emits it), time zone names, week dates and ordinal dates.
 */
#include "compat.h"

#include <time.h>

#include "bftime.h"
#include "err.h"

/* Binance's intervals, shortest first; 1M's 'ms' is the nominal 30 days. */
static const struct bf_interval intervals[] = {
	{ "1m", BF_MS_MINUTE, 0 },
	{ "3m", 3 * BF_MS_MINUTE, 0 },
	{ "5m", 5 * BF_MS_MINUTE, 0 },
	{ "15m", 15 * BF_MS_MINUTE, 0 },
	{ "30m", 30 * BF_MS_MINUTE, 0 },
	{ "1h", BF_MS_HOUR, 0 },
	{ "2h", 2 * BF_MS_HOUR, 0 },
	{ "4h", 4 * BF_MS_HOUR, 0 },
	{ "6h", 6 * BF_MS_HOUR, 0 },
	{ "8h", 8 * BF_MS_HOUR, 0 },
	{ "12h", 12 * BF_MS_HOUR, 0 },
	{ "1d", BF_MS_DAY, 0 },
	{ "3d", 3 * BF_MS_DAY, 0 },
	{ "1w", 7 * BF_MS_DAY, 0 },
	{ "1M", 30 * BF_MS_DAY, 1 },
};

const char *const bf_interval_names[] = {
	"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h",
	"1d", "3d", "1w", "1M", NULL
};

/* The valid names in one string, for error messages. */
#define INTERVAL_LIST "1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"

/* Day 4 (1970-01-05) was a Monday: weekly candles open on days 4 + 7k. */
#define MONDAY_DAY0 4

/*
 * Limits that keep every intermediate value far from int64 overflow:
 * years within +-1,000,000 and times within +-10^17 ms (about 3 million
 * years) are more than any option or data file can mean.
 */
#define TIME_ABS_MAX 100000000000000000LL

/* 'a' divided by 'b' (b > 0), rounded towards minus infinity. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

/* The remainder that goes with floor_div: always in [0, b). */
static int64_t
floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;

	return r < 0 ? r + b : r;
}

/*
 * The day number (days since 1970-01-01) of the Gregorian date 'y'-'m'-'d'
 * (m 1..12, d 1..31; not validated here).  The year is shifted to start
 * in March so that the leap day falls at the end of it; then whole
 * 400-year eras (146097 days), years of the era, and days of the shifted
 * year (153 days per 5 months: the month lengths repeat 31 30 31 30 31)
 * add up to the answer.
 */
int64_t
bf_time_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = floor_div(y, 400);
	yoe = y - era * 400;				/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */
	return era * 146097 + doe - 719468;	/* day 0 is 0000-03-01 */
}

/*
 * The inverse of bf_time_days_from_civil: the date of day number 'days'
 * into 'y', 'm' (1..12) and 'd' (1..31).
 */
void
bf_time_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = floor_div(z, 146097);
	doe = z - era * 146097;				/* [0, 146096] */
	/* The year of the era, discounting leap days: [0, 399]. */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	mp = (5 * doy + 2) / 153;		/* [0, 11], March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* True when 'y' is a Gregorian leap year. */
static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The number of days of month 'm' (1..12) of year 'y'. */
static int
month_days(int64_t y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int64_t
bf_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read exactly 'n' decimal digits at 's' into 'out'.  Returns 0, or -1 if
 * any of them is not a digit (the NUL included).
 */
static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
bf_duration_parse(const char *s, int64_t *out)
{
	int64_t n = 0, unit;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > TIME_ABS_MAX / 1000)
			return -1;
	}
	switch (*p++) {
	case 's':
		unit = BF_MS_SECOND;
		break;
	case 'm':
		unit = BF_MS_MINUTE;
		break;
	case 'h':
		unit = BF_MS_HOUR;
		break;
	case 'd':
		unit = BF_MS_DAY;
		break;
	case 'w':
		unit = 7 * BF_MS_DAY;
		break;
	default:
		return -1;
	}
	if (*p != '\0' || n > TIME_ABS_MAX / unit)
		return -1;
	*out = n * unit;
	return 0;
}

/*
 * Parse a UTC offset at 's' ("Z", "+02:00", "-0530", "+02") into
 * 'out_ms' (to be subtracted from the local time).  Returns 0 or -1 with
 * a message in 'why'.
 */
static int
parse_offset(const char *s, int64_t *out_ms, const char **why)
{
	int sign, hh, mm = 0;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*out_ms = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-') {
		*why = "unexpected text after the time";
		return -1;
	}
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if (digits(s, 2, &hh) < 0) {
		*why = "bad UTC offset (want +HH:MM, +HHMM or +HH)";
		return -1;
	}
	s += 2;
	if (*s == ':')
		s++;
	if (*s != '\0') {
		if (digits(s, 2, &mm) < 0 || s[2] != '\0') {
			*why = "bad UTC offset (want +HH:MM, +HHMM or +HH)";
			return -1;
		}
	} else if (s[-1] == ':') {
		*why = "bad UTC offset (want +HH:MM, +HHMM or +HH)";
		return -1;
	}
	if (hh > 23 || mm > 59) {
		*why = "UTC offset out of range";
		return -1;
	}
	*out_ms = sign * ((int64_t)hh * BF_MS_HOUR + mm * BF_MS_MINUTE);
	return 0;
}

/*
 * Parse an ISO 8601 date or date-time 's' into 'out'.  Returns 0, or -1
 * with a reason in 'why'.
 */
static int
parse_iso(const char *s, int64_t *out, const char **why)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0, ms = 0, scale;
	int64_t off = 0;
	const char *p;

	if (digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 ||
	    s[7] != '-' || digits(s + 8, 2, &d) < 0) {
		*why = "not a time (want epoch ms, YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM], now, or -30d/+12h style relative time)";
		return -1;
	}
	if (mo < 1 || mo > 12) {
		*why = "month out of range";
		return -1;
	}
	if (d < 1 || d > month_days(y, mo)) {
		*why = "day out of range for the month";
		return -1;
	}
	p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(p, 2, &hh) < 0 || p[2] != ':' ||
		    digits(p + 3, 2, &mi) < 0) {
			*why = "bad time of day (want HH:MM or HH:MM:SS)";
			return -1;
		}
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &ss) < 0) {
				*why = "bad seconds (want two digits)";
				return -1;
			}
			p += 3;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9') {
					*why = "empty fraction of a second";
					return -1;
				}
				/* Milliseconds; further digits truncate. */
				for (scale = 100; *p >= '0' && *p <= '9';
				    p++, scale /= 10)
					ms += (*p - '0') * scale;
			}
		}
		if (hh > 23 || mi > 59 || ss > 59) {
			*why = "time of day out of range";
			return -1;
		}
		if (*p != '\0' && parse_offset(p, &off, why) < 0)
			return -1;
	} else if (*p != '\0') {
		*why = "unexpected text after the date";
		return -1;
	}
	*out = bf_time_days_from_civil(y, mo, d) * BF_MS_DAY +
	    hh * BF_MS_HOUR + mi * BF_MS_MINUTE + ss * BF_MS_SECOND + ms - off;
	return 0;
}

int
bf_time_parse(const char *s, int64_t now_ms, int64_t *out, struct bf_err *err)
{
	const char *why = NULL, *p;
	int64_t v = 0, dur;

	if (s == NULL || *s == '\0')
		return bf_err_set(err, BF_EUSAGE, "time '': empty value");
	if (strcmp(s, "now") == 0) {
		*out = now_ms;
		return 0;
	}
	if (s[0] == '+' || s[0] == '-') {
		if (bf_duration_parse(s + 1, &dur) < 0)
			return bf_err_set(err, BF_EUSAGE,
			    "time '%s': bad relative time (want a sign, a count and a unit s, m, h, d or w, e.g. -30d)",
			    s);
		*out = s[0] == '-' ? now_ms - dur : now_ms + dur;
		return 0;
	}
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (TIME_ABS_MAX - (*p - '0')) / 10) {
			why = "epoch ms out of range";
			break;
		}
		v = v * 10 + (*p - '0');
	}
	if (why == NULL && *p == '\0') {
		/*
		 * Epoch seconds (Binance answers them with empty pages) and
		 * bare years read as a 1970 time: refuse what cannot be meant.
		 */
		if (p - s == 4)
			return bf_err_set(err, BF_EUSAGE,
			    "time '%s': a bare year is ambiguous (write %s-01-01)",
			    s, s);
		if (v > 0 && v < 100000000000LL)
			return bf_err_set(err, BF_EUSAGE,
			    "time '%s': before 1973 as epoch milliseconds (epoch seconds? multiply by 1000)",
			    s);
		*out = v;
		return 0;
	}
	if (why == NULL && parse_iso(s, out, &why) == 0)
		return 0;
	return bf_err_set(err, BF_EUSAGE, "time '%s': %s", s, why);
}

/* Write the 'n' lowest decimal digits of 'v' (>= 0) at 'p'. */
static void
put_digits(char *p, int64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t
bf_time_format_iso(char *buf, int64_t ms)
{
	int64_t days = floor_div(ms, BF_MS_DAY), y;
	int64_t rem = floor_mod(ms, BF_MS_DAY);
	int m, d, len;

	bf_time_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Outside ISO's four-digit years: the C library will do. */
		len = snprintf(buf, BF_TIME_BUFSZ,
		    "%lld-%02d-%02dT%02d:%02d:%02d", (long long)y, m, d,
		    (int)(rem / BF_MS_HOUR), (int)(rem / BF_MS_MINUTE % 60),
		    (int)(rem / 1000 % 60));
	} else {
		put_digits(buf, y, 4);
		buf[4] = '-';
		put_digits(buf + 5, m, 2);
		buf[7] = '-';
		put_digits(buf + 8, d, 2);
		buf[10] = 'T';
		put_digits(buf + 11, rem / BF_MS_HOUR, 2);
		buf[13] = ':';
		put_digits(buf + 14, rem / BF_MS_MINUTE % 60, 2);
		buf[16] = ':';
		put_digits(buf + 17, rem / 1000 % 60, 2);
		len = 19;
	}
	if (rem % 1000 != 0) {
		buf[len] = '.';
		put_digits(buf + len + 1, rem % 1000, 3);
		len += 4;
	}
	buf[len++] = 'Z';
	buf[len] = '\0';
	return (size_t)len;
}

int
bf_interval_parse(const char *name, struct bf_interval *out,
    struct bf_err *err)
{
	size_t i;

	for (i = 0; i < BF_ARRAY_SIZE(intervals); i++)
		if (strcmp(name, intervals[i].name) == 0) {
			*out = intervals[i];
			return 0;
		}
	return bf_err_set(err, BF_EUSAGE,
	    "interval '%s': unknown (valid: " INTERVAL_LIST ")", name);
}

int64_t
bf_interval_align(const struct bf_interval *iv, int64_t t)
{
	int64_t days, y;
	int m, d;

	if (iv->months > 0) {
		bf_time_civil_from_days(floor_div(t, BF_MS_DAY), &y, &m, &d);
		return bf_time_days_from_civil(y, m, 1) * BF_MS_DAY;
	}
	if (iv->ms == 7 * BF_MS_DAY) {
		days = floor_div(t, BF_MS_DAY);
		days -= floor_mod(days - MONDAY_DAY0, 7);
		return days * BF_MS_DAY;
	}
	return floor_div(t, iv->ms) * iv->ms;
}

int64_t
bf_interval_next(const struct bf_interval *iv, int64_t start)
{
	int64_t y;
	int m, d;

	start = bf_interval_align(iv, start);
	if (iv->months > 0) {
		bf_time_civil_from_days(floor_div(start, BF_MS_DAY), &y, &m,
		    &d);
		m += iv->months;
		y += (m - 1) / 12;
		m = (m - 1) % 12 + 1;
		return bf_time_days_from_civil(y, m, 1) * BF_MS_DAY;
	}
	return start + iv->ms;
}

int64_t
bf_interval_close(const struct bf_interval *iv, int64_t start)
{
	return bf_interval_next(iv, start) - 1;
}
