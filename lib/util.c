/* SPDX-License-Identifier: MIT */
/*
 * util.c - allocation, byte buffers, option number parsing.  See util.h.
 */
#include "compat.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <unistd.h>

#include "bf.h"
#include "util.h"

static _Noreturn void
oom(void)
{
	bf_error("out of memory");
	exit(BF_EXIT_FAIL);
}

void *
bf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
bf_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
bf_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *
bf_strdup(const char *s)
{
	return bf_strndup(s, strlen(s));
}

char *
bf_strndup(const char *s, size_t n)
{
	char *p = bf_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
bf_buf_init(struct bf_buf *b)
{
	b->cap = 64;
	b->buf = bf_xmalloc(b->cap);
	b->len = 0;
	b->buf[0] = '\0';
}

void
bf_buf_release(struct bf_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

void
bf_buf_reset(struct bf_buf *b)
{
	if (b->buf == NULL)
		bf_buf_init(b);
	b->len = 0;
	b->buf[0] = '\0';
}

void
bf_buf_grow(struct bf_buf *b, size_t extra)
{
	size_t need;

	if (b->buf == NULL)
		bf_buf_init(b);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	while (b->cap < need)
		b->cap *= 2;
	b->buf = bf_xrealloc(b->buf, b->cap);
}

void
bf_buf_add(struct bf_buf *b, const void *p, size_t n)
{
	bf_buf_grow(b, n);
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
bf_buf_adds(struct bf_buf *b, const char *s)
{
	bf_buf_add(b, s, strlen(s));
}

void
bf_buf_addc(struct bf_buf *b, char c)
{
	bf_buf_grow(b, 1);
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

void
bf_buf_printf(struct bf_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	bf_buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		bf_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *
bf_buf_detach(struct bf_buf *b, size_t *len)
{
	char *p;

	if (b->buf == NULL)
		bf_buf_init(b);
	p = b->buf;
	if (len)
		*len = b->len;
	b->buf = NULL;
	b->len = b->cap = 0;
	return p;
}

int
bf_parse_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
bf_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s || !isfinite(v) || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

bool
bf_strieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 32;
		if (cb >= 'A' && cb <= 'Z')
			cb += 32;
		if (ca != cb)
			return false;
	}
	return *a == *b;
}
