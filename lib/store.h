/* SPDX-License-Identifier: MIT */
/*
 * store.h - a directory of market history that sync keeps up to date and
 * cat streams back (bf-fetch(1), STORE).
 *
 * Layout: DIR/SYMBOL/SERIES/YYYY-MM.csv.gz, one gzip file per calendar
 * month (UTC) of the rows' keys, each a complete CSV with its header, rows
 * ascending and unique by the first column.  SERIES is klines-INTERVAL,
 * mark-INTERVAL, index-INTERVAL, premium-INTERVAL, funding or oi-PERIOD.
 * Only closed candles are stored.
 *
 * Crash safety: a month file is only ever replaced whole, by writing
 * .YYYY-MM.csv.gz.tmp, fsync, rename over the old file, fsync of the
 * directory.  A kill at any moment leaves every month file either as it
 * was or complete with the new rows; leftover temporary files are removed
 * by the next sync.  sync resumes after the last row of the newest month
 * file, so a re-run after a kill, or any re-run, yields the same files
 * (the gzip stream is deterministic: same bytes for the same rows).
 */
#ifndef BF_STORE_H
#define BF_STORE_H

#include "compat.h"
#include "err.h"
#include "http.h"

struct bf_store_sync {
	const char *dir;
	const char *symbol;
	const char *series;	/* klines, mark, index, premium, funding, oi */
	const char *interval;	/* klines interval, oi period; NULL: funding */
	const char *price;	/* unused when series says it */
	int64_t start;		/* first sync: from here (INT64_MIN: unset) */
	int64_t end;		/* up to here */
	int64_t now;
	bool archive;		/* bulk archive first (archive.h) */
	const char *archive_url;
	/* Called every few thousand rows (may be NULL). */
	void (*progress)(void *ctx, long rows, int64_t last);
	void *ctx;
	long added;		/* out: rows added */
	int64_t last;		/* out: the newest key in the store */
};

struct bf_store_cat {
	const char *dir;
	const char *symbol;
	const char *series;
	const char *interval;
	int64_t start, end;	/* inclusive, on the first column */
};

/*
 * Create 'dir' if needed and check that it is a writable directory.
 * Returns 0 or BF_EFAIL "store DIR: why".
 */
int bf_store_check(const char *dir, struct bf_err *err);

/* Bring one series up to date.  Returns 0 or a negative code. */
int bf_store_sync(struct bf_http *h, struct bf_store_sync *ss,
    struct bf_err *err);

/*
 * Write the rows of one series with keys in [start, end] to 'fd' as one
 * record stream in format 'fmt'.  Returns 0 or a negative code
 * (BF_EUSAGE when the store has no such series).
 */
int bf_store_cat(const struct bf_store_cat *sc, int fd, int fmt, int digits,
    bool unbuffered, struct bf_err *err);

/*
 * gzip the 'len' bytes at 'data' (level 6, no name, mtime 0) into 'out'.
 * Deterministic.  Returns 0 or BF_EFAIL.
 */
int bf_store_gzip(const void *data, size_t len, struct bf_buf *out,
    struct bf_err *err);

/* gunzip the file at 'path' into 'out'.  Returns 0 or BF_EFAIL. */
int bf_store_gunzip_file(const char *path, struct bf_buf *out,
    struct bf_err *err);

#endif /* BF_STORE_H */
