/* SPDX-License-Identifier: MIT */
/*
 * log.h - messages on stderr, for tools only (the library never prints).
 *
 * Grammar (bf(7)): `PROG: [where: ][subject: ]what went wrong[ (code)]`,
 * one line, lowercase, written with one write(2).  Levels: fatal (no tag),
 * `warning:` (silenced by -q), `info:` (-v), `debug:` (-vv).  With
 * --log-json every message is one JSON object per line instead:
 * {"prog":"bf-sim","level":"warning","msg":"..."}.
 * Control characters in messages are replaced by '?'.
 */
#ifndef BF_LOG_H
#define BF_LOG_H

#include <stdarg.h>

#include "compat.h"
#include "err.h"

enum {
	BF_LOG_QUIET = -1, /* errors only */
	BF_LOG_NORMAL = 0, /* errors and warnings */
	BF_LOG_INFO = 1,
	BF_LOG_DEBUG = 2
};

/* Set the program name used as the message prefix ("bf-fetch"). */
void bf_setprogname(const char *name);
const char *bf_progname(void);

/* Set the verbosity (BF_LOG_*) and whether messages are JSON lines. */
void bf_log_setup(int verbosity, bool json);
int bf_log_verbosity(void);

/* Print an error message (no exit). */
void bf_error(const char *fmt, ...) BF_PRINTF(1, 2);
void bf_warn(const char *fmt, ...) BF_PRINTF(1, 2);
/* A normal-verbosity message without a tag (progress lines; not -q). */
void bf_notice(const char *fmt, ...) BF_PRINTF(1, 2);
void bf_info(const char *fmt, ...) BF_PRINTF(1, 2);
void bf_debug(const char *fmt, ...) BF_PRINTF(1, 2);

/* Print the message and exit with 'status'. */
_Noreturn void bf_die(int status, const char *fmt, ...) BF_PRINTF(2, 3);

/*
 * Print 'err' (with "PROG: " and, when err->line is set, nothing more: the
 * library puts the location into the message) and exit with the status
 * its code maps to (bf_err_exit).
 */
_Noreturn void bf_die_err(const struct bf_err *err);

/* "PROG: usage: <msg>" then "try 'PROG --help'", exit 2. */
_Noreturn void bf_usage_error(const char *fmt, ...) BF_PRINTF(1, 2);

/*
 * A transient progress line on stderr, rewritten in place, shown only
 * when stderr is a terminal (and not with -q).  bf_progress_done() ends
 * the line.
 */
void bf_progress(const char *fmt, ...) BF_PRINTF(1, 2);
void bf_progress_done(void);
bool bf_progress_enabled(void);

#endif /* BF_LOG_H */
