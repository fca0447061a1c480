/* SPDX-License-Identifier: MIT */
/*
 * util.h - memory that never returns NULL, a growable byte buffer, and
 * whole-string number parsing for options.
 *
 * Ownership: bf_xmalloc/bf_xrealloc/bf_strdup return memory the caller
 * frees with free().  On out-of-memory they print "PROG: out of memory"
 * and exit 1: the one place the library exits (git's xmalloc).
 */
#ifndef BF_UTIL_H
#define BF_UTIL_H

#include "compat.h"

void *bf_xmalloc(size_t n);
void *bf_xcalloc(size_t n, size_t size);
void *bf_xrealloc(void *p, size_t n);
char *bf_strdup(const char *s);
char *bf_strndup(const char *s, size_t n);

/*
 * A growable byte buffer.  'buf' is never NULL after bf_buf_init and is
 * always NUL-terminated; 'len' excludes the NUL.  bf_buf_release frees it
 * and leaves an empty buffer that may be used again.
 */
struct bf_buf {
	char *buf;	/* owned */
	size_t len;
	size_t cap;
};

#define BF_BUF_INIT { NULL, 0, 0 }

void bf_buf_init(struct bf_buf *b);
void bf_buf_release(struct bf_buf *b);
void bf_buf_reset(struct bf_buf *b);		/* len = 0, keep memory */
void bf_buf_grow(struct bf_buf *b, size_t extra); /* room for 'extra' more */
void bf_buf_add(struct bf_buf *b, const void *p, size_t n);
void bf_buf_adds(struct bf_buf *b, const char *s);
void bf_buf_addc(struct bf_buf *b, char c);
void bf_buf_printf(struct bf_buf *b, const char *fmt, ...) BF_PRINTF(2, 3);
/* Take the buffer's memory (caller frees) and reset 'b' to empty. */
char *bf_buf_detach(struct bf_buf *b, size_t *len);

/*
 * Parse all of 's' as a base-10 integer in [min, max] ('strtonum').
 * Returns 0, or -1 when 's' is empty, has trailing text or is out of range.
 */
int bf_parse_long(const char *s, long long min, long long max, long long *out);

/*
 * Parse all of 's' as a finite double ("1e309", "nan", "inf" and trailing
 * text are rejected).  Returns 0 or -1.
 */
int bf_parse_double(const char *s, double *out);

/* True when 'a' and 'b' are equal, ignoring ASCII case. */
bool bf_strieq(const char *a, const char *b);

#endif /* BF_UTIL_H */
