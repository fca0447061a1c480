/* SPDX-License-Identifier: MIT */
/*
 * bftime.h - times and kline intervals.
 *
 * Times are int64_t epoch milliseconds UTC everywhere.  Options accept
 * epoch ms, ISO 8601 (2024-01-01, 2024-01-01T08:00:00Z, with optional
 * fraction and +HH:MM offset) and relative forms (now, -30d, -12h, -90m,
 * -2w, +1d; relative to 'now').
 *
 * Intervals are Binance's: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w
 * 1M.  Candles of fixed length open at multiples of the length since the
 * epoch, except 1w (Mondays 00:00 UTC) and 1M (the first of each month).
 * That includes 3d: its candles open on the days since 1970-01-01 that
 * are multiples of 3 (2023-12-31, 2024-01-03, ...).  Binance documents
 * no anchor for 3d; epoch alignment is what client code assumes (ccxt's
 * roundTimeframe is `t - t % length` for every interval), and nothing we
 * found contradicts it, but it is not checked against a live 3d
 * response.  (ccxt's rule is wrong for 1w, whose epoch multiples fall on
 * Thursdays; Binance's weeks open on Mondays.)
 *
 * Calendar arithmetic is our own (proleptic Gregorian, UTC, day 0 =
 * 1970-01-01); it never calls the C library's time zone code, and it is
 * correct for negative times (floor division throughout).
 */
#ifndef BF_BFTIME_H
#define BF_BFTIME_H

#include "compat.h"
#include "err.h"

#define BF_MS_SECOND 1000LL
#define BF_MS_MINUTE 60000LL
#define BF_MS_HOUR 3600000LL
#define BF_MS_DAY 86400000LL

/* Room for bf_time_format_iso's result plus its NUL. */
#define BF_TIME_BUFSZ 32

struct bf_interval {
	const char *name; /* "1h"; static storage */
	int64_t ms;	  /* nominal length in ms (1M: 30 days) */
	int months;	  /* 1 for 1M, else 0 */
};

/* The current time, epoch ms. */
int64_t bf_time_now_ms(void);

/*
 * Parse an option's time 's' (forms above), relative forms counted from
 * 'now_ms'.  Returns 0 and sets 'out', or BF_EUSAGE with a message.
 */
int bf_time_parse(const char *s, int64_t now_ms, int64_t *out,
    struct bf_err *err);

/*
 * Format 'ms' as ISO 8601 UTC: "2024-01-01T08:00:00Z", with ".123" before
 * the Z when the milliseconds are not zero.  Returns the length.
 */
size_t bf_time_format_iso(char *buf, int64_t ms);

/*
 * Parse a duration such as 30s, 15m, 12h, 7d, 2w (used by --duration and
 * relative times).  Returns 0 and sets 'out' (ms), or -1.
 */
int bf_duration_parse(const char *s, int64_t *out);

/* Look up an interval by name.  Returns 0 or BF_EUSAGE with a message. */
int bf_interval_parse(const char *name, struct bf_interval *out,
    struct bf_err *err);

/* The open time of the candle of 'iv' that contains 't'. */
int64_t bf_interval_align(const struct bf_interval *iv, int64_t t);

/* The open time of the candle after the one opening at 'start'. */
int64_t bf_interval_next(const struct bf_interval *iv, int64_t start);

/* The close time of the candle opening at 'start': the next open - 1 ms. */
int64_t bf_interval_close(const struct bf_interval *iv, int64_t start);

/* The day number (days since 1970-01-01) of the date 'y'-'m'-'d'. */
int64_t bf_time_days_from_civil(int64_t y, int m, int d);

/* The date of day number 'days': year, month 1..12, day 1..31. */
void bf_time_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* The list of all interval names, NULL-terminated, shortest first. */
extern const char *const bf_interval_names[];

#endif /* BF_BFTIME_H */
