/* SPDX-License-Identifier: MIT */
/*
 * err.h - the error buffer every library call fills (curl's pattern).
 *
 * A library function returns 0 (or a count) on success and a negative
 * BF_E* code on failure, or NULL for pointers, and describes the failure
 * in the caller's struct bf_err.  The library never prints and never
 * exits, except on out-of-memory (bf_xmalloc and friends, util.h).  The
 * tool chooses the message prefix and maps the code to an exit status
 * with bf_err_exit().
 */
#ifndef BF_ERR_H
#define BF_ERR_H

#include <stdarg.h>

#include "compat.h"

/* Error classes.  Each maps to one exit status (bf_err_exit). */
enum {
	BF_EOK = 0,
	BF_EFAIL = -1,	/* runtime: I/O, network, model, write error (exit 1) */
	BF_EUSAGE = -2, /* bad option value or configuration (exit 2) */
	BF_EDATA = -3,	/* invalid input data (exit 3) */
	BF_EUPSTREAM = -4, /* the exchange refused; 'upstream' holds its code (exit 1) */
	BF_ENOMEM = -5
};

struct bf_err {
	int code;	/* BF_E*, 0 when no error */
	int upstream;	/* the exchange's error code, 0 if none */
	long line;	/* input line number, 0 if none */
	char msg[512];	/* one line, no program name, no newline */
};

#define BF_ERR_INIT { 0, 0, 0, { 0 } }

/*
 * Fill 'err' (which may be NULL) with 'code' and a printf-style message and
 * return 'code', so a failing function can end with
 * `return bf_err_set(err, BF_EDATA, "column '%s': ...", name);`.
 * Control characters in the formatted message are replaced by '?'.
 */
int bf_err_set(struct bf_err *err, int code, const char *fmt, ...)
    BF_PRINTF(3, 4);
int bf_err_vset(struct bf_err *err, int code, const char *fmt, va_list ap);

/* Prefix the existing message with "prefix: " (for adding context). */
void bf_err_prefix(struct bf_err *err, const char *fmt, ...) BF_PRINTF(2, 3);

/* Reset 'err' to no error. */
void bf_err_clear(struct bf_err *err);

/* The exit status for an error code: BF_EXIT_FAIL, _USAGE or _DATA. */
int bf_err_exit(int code);

#endif /* BF_ERR_H */
