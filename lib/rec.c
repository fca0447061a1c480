/* SPDX-License-Identifier: MIT */
/*
 * rec.c - CSV and NDJSON record streams.  See rec.h for the contract.
 *
 * Reader buffer
 * -------------
 * Input is read with read(2) (or gzread for bf_reader_open) into one
 * buffer of BF_LINE_MAX + CHUNK bytes.  [beg, end) holds unconsumed
 * bytes; buf[end] is always a '\n' sentinel, so the inner loops that scan
 * a field need no bounds check: reaching the sentinel at 'end' means the
 * record is incomplete and more input is needed.  Then the unconsumed
 * tail moves to the front, more is read, and the record is parsed again
 * from its start (this happens once per CHUNK, so the repeated work is
 * negligible).  A record that does not fit in BF_LINE_MAX bytes is an
 * error, never a silent cut.
 *
 * Fields point into the buffer; a field that needs unescaping (CSV ""
 * inside quotes, JSON escapes) is copied into 'scratch', which is sized
 * for the longest possible record, so its pointers stay valid until the
 * next record.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "num.h"
#include "rec.h"
#include "util.h"

#define CHUNK (256 * 1024)
#define OUT_FLUSH (64 * 1024)

struct bf_reader {
	int fd;			/* borrowed, or owned when 'own_fd' */
	bool own_fd;
	gzFile gz;		/* owned; set by bf_reader_open */
	char *name;		/* owned */
	int fmt;
	bool is_reg;		/* input is a regular file: never waits */

	char *buf;		/* owned; cap + 1 bytes (sentinel) */
	size_t cap, beg, end;
	bool eof;
	long line;		/* lines consumed before 'beg' */
	long rec_line;		/* line where the current record starts */

	size_t ncols;
	char **cols;		/* owned, each owned */
	struct bf_field *f;	/* owned; ncols entries */
	char *scratch;		/* owned; unescaped values */
	size_t scap, slen;
	bool started;
	bool pending;		/* NDJSON: first record parsed, not returned */
	uint32_t *seen;		/* NDJSON: record generation per column */
	uint32_t gen;

	void (*on_block)(void *);
	void *on_block_ctx;
};

/* Byte classes for the CSV scanner. */
enum { C_PLAIN = 0, C_COMMA, C_NL, C_CR, C_QUOTE, C_NUL };
static unsigned char csv_class[256];

static void
init_classes(void)
{
	if (csv_class[0] == C_NUL)
		return;
	csv_class[','] = C_COMMA;
	csv_class['\n'] = C_NL;
	csv_class['\r'] = C_CR;
	csv_class['"'] = C_QUOTE;
	csv_class[0] = C_NUL;
}

int
bf_format_parse(const char *s)
{
	if (strcmp(s, "csv") == 0)
		return BF_FMT_CSV;
	if (strcmp(s, "json") == 0 || strcmp(s, "ndjson") == 0)
		return BF_FMT_JSON;
	return -1;
}

static struct bf_reader *
reader_alloc(const char *name, int fmt)
{
	struct bf_reader *rd = bf_xcalloc(1, sizeof(*rd));

	init_classes();
	rd->fd = -1;
	rd->name = bf_strdup(name);
	rd->fmt = fmt;
	rd->cap = BF_LINE_MAX + CHUNK;
	rd->buf = bf_xmalloc(rd->cap + 1);
	rd->buf[0] = '\n';
	return rd;
}

struct bf_reader *
bf_reader_new(int fd, const char *name, int fmt)
{
	struct bf_reader *rd = reader_alloc(name, fmt);
	struct stat st;

	rd->fd = fd;
	rd->is_reg = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	return rd;
}

struct bf_reader *
bf_reader_open(const char *path, int fmt, struct bf_err *err)
{
	struct bf_reader *rd;
	int fd;

	if (strcmp(path, "-") == 0)
		return bf_reader_new(0, "stdin", fmt);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		bf_err_set(err, BF_EFAIL, "%s: %s", path, strerror(errno));
		return NULL;
	}
	rd = reader_alloc(path, fmt);
	rd->fd = fd;
	rd->own_fd = true;
	rd->is_reg = true;
	rd->gz = gzdopen(fd, "rb");
	if (rd->gz == NULL) {
		bf_err_set(err, BF_EFAIL, "%s: cannot open", path);
		bf_reader_free(rd);
		return NULL;
	}
	rd->own_fd = false; /* gzclose closes it */
	gzbuffer(rd->gz, 128 * 1024);
	return rd;
}

void
bf_reader_free(struct bf_reader *rd)
{
	if (rd == NULL)
		return;
	if (rd->gz)
		gzclose(rd->gz);
	if (rd->own_fd)
		close(rd->fd);
	for (size_t i = 0; i < rd->ncols; i++)
		free(rd->cols[i]);
	free(rd->cols);
	free(rd->f);
	free(rd->seen);
	free(rd->scratch);
	free(rd->buf);
	free(rd->name);
	free(rd);
}

int
bf_reader_format(const struct bf_reader *rd)
{
	return rd->fmt;
}

size_t
bf_reader_ncols(const struct bf_reader *rd)
{
	return rd->ncols;
}

const char *
bf_reader_colname(const struct bf_reader *rd, size_t i)
{
	return i < rd->ncols ? rd->cols[i] : NULL;
}

int
bf_reader_col(const struct bf_reader *rd, const char *name)
{
	for (size_t i = 0; i < rd->ncols; i++)
		if (strcmp(rd->cols[i], name) == 0)
			return (int)i;
	return -1;
}

const struct bf_field *
bf_reader_field(const struct bf_reader *rd, size_t i)
{
	return &rd->f[i];
}

long
bf_reader_line(const struct bf_reader *rd)
{
	return rd->rec_line;
}

const char *
bf_reader_name(const struct bf_reader *rd)
{
	return rd->name;
}

/* Quote and shorten untrusted text for a message. */
static void
excerpt(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		if (i == 40 && len > 44) {
			out[n++] = '.';
			out[n++] = '.';
			out[n++] = '.';
			break;
		}
	}
	out[n] = '\0';
}

static int
errat(struct bf_reader *rd, struct bf_err *err, long line, int code,
    const char *fmt, ...) BF_PRINTF(5, 6);

static int
errat(struct bf_reader *rd, struct bf_err *err, long line, int code,
    const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_err_set(err, code, "%s:%ld: %s", rd->name, line, msg);
	if (err)
		err->line = line;
	return code;
}

int
bf_reader_error(const struct bf_reader *rd, struct bf_err *err,
    const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_err_set(err, BF_EDATA, "%s:%ld: %s", rd->name, rd->rec_line, msg);
	if (err)
		err->line = rd->rec_line;
	return BF_EDATA;
}

/*
 * Read more input after the unconsumed bytes.  Returns the number of
 * bytes read, 0 at end of input, or BF_EFAIL.
 */
static int
fill(struct bf_reader *rd, struct bf_err *err)
{
	size_t have = rd->end - rd->beg;
	ssize_t n;

	if (rd->eof)
		return 0;
	if (rd->beg > 0) {
		memmove(rd->buf, rd->buf + rd->beg, have);
		rd->beg = 0;
		rd->end = have;
	}
	if (rd->end >= rd->cap)
		return 0; /* full: the caller reports the long record */
	if (rd->on_block && !rd->is_reg && rd->gz == NULL) {
		struct pollfd pfd = { rd->fd, POLLIN, 0 };
		if (poll(&pfd, 1, 0) == 0)
			rd->on_block(rd->on_block_ctx);
	}
	for (;;) {
		size_t want = rd->cap - rd->end;
		if (want > CHUNK && rd->gz == NULL)
			want = CHUNK;
		if (rd->gz)
			n = gzread(rd->gz, rd->buf + rd->end,
			    (unsigned)(want > CHUNK ? CHUNK : want));
		else
			n = read(rd->fd, rd->buf + rd->end, want);
		if (n < 0 && rd->gz == NULL && errno == EINTR)
			continue;
		break;
	}
	if (n < 0) {
		int e = errno;
		const char *msg = strerror(e);
		if (rd->gz) {
			int zerr;
			msg = gzerror(rd->gz, &zerr);
		}
		return bf_err_set(err, BF_EFAIL, "%s: read error: %s",
		    rd->name, msg);
	}
	if (n == 0)
		rd->eof = true;
	rd->end += (size_t)n;
	rd->buf[rd->end] = '\n';
	return (int)n;
}

static void
fields_reserve(struct bf_reader *rd, size_t n)
{
	rd->f = bf_xrealloc(rd->f, n * sizeof(*rd->f));
}

/* Make sure 'scratch' can hold any record's unescaped values. */
static void
scratch_init(struct bf_reader *rd)
{
	if (rd->scratch == NULL) {
		rd->scap = rd->cap + 8;
		rd->scratch = bf_xmalloc(rd->scap);
	}
}

/* ==== CSV ==== */

/*
 * Parse one CSV record starting at buf[beg].  On success store up to
 * 'maxf' fields (growing 'f' when 'grow'), set *nf, *next (offset after
 * the record's line end) and *nl (line ends inside).  Returns 1, 0 when
 * more input is needed, or BF_EDATA.
 */
static int
csv_parse(struct bf_reader *rd, size_t *nf, size_t maxf, bool grow,
    size_t *next, long *nl, struct bf_err *err)
{
	const unsigned char *p = (const unsigned char *)rd->buf + rd->beg;
	const unsigned char *lim = (const unsigned char *)rd->buf + rd->end;
	size_t n = 0;
	long lines = 0;
	size_t cap = grow ? 0 : maxf;

	rd->slen = 0;
	for (;;) {
		struct bf_field *fl;
		const unsigned char *s = p;
		bool quote = false;
		int c;

		if (n >= cap) {
			if (!grow)
				goto too_many;
			cap = cap ? cap * 2 : 16;
			fields_reserve(rd, cap);
		}
		fl = &rd->f[n];
		if (*p != '"') {
			/* Unquoted field: runs to ',', '\n' or "\r\n". */
			for (;;) {
				while (csv_class[*p] == C_PLAIN)
					p++;
				c = csv_class[*p];
				if (c == C_COMMA || c == C_NL)
					break;
				if (c == C_CR) {
					if (p + 1 < lim && p[1] == '\n')
						break;
					if (p + 1 >= lim && !rd->eof)
						return 0;
					quote = true; /* lone CR: keep, quote */
					p++;
					continue;
				}
				if (c == C_QUOTE) {
					quote = true; /* stray quote: keep it */
					p++;
					continue;
				}
				/* NUL */
				if (p >= lim)
					break;
				return errat(rd, err, rd->line + 1 + lines,
				    BF_EDATA, "NUL byte in field %zu", n + 1);
			}
			if (p >= lim && !rd->eof)
				return 0;
			fl->s = (const char *)s;
			fl->len = (uint32_t)(p - s);
			fl->kind = fl->len ? BF_VAL_AUTO : BF_VAL_MISSING;
			fl->quote = quote;
		} else {
			/* Quoted field: "" is a quote; newlines allowed. */
			const unsigned char *q = ++p;
			bool esc = false;
			for (;;) {
				while (csv_class[*p] == C_PLAIN ||
				    csv_class[*p] == C_COMMA)
					p++;
				c = csv_class[*p];
				if (p >= lim) {
					if (!rd->eof)
						return 0;
					return errat(rd, err,
					    rd->line + 1, BF_EDATA,
					    "unterminated quoted field");
				}
				if (c == C_QUOTE) {
					if (p + 1 >= lim && !rd->eof)
						return 0;
					if (p[1] == '"' && p + 1 < lim) {
						esc = true;
						p += 2;
						continue;
					}
					break;
				}
				if (c == C_NUL)
					return errat(rd, err,
					    rd->line + 1 + lines, BF_EDATA,
					    "NUL byte in field %zu", n + 1);
				if (c == C_NL)
					lines++;
				p++;
			}
			/* p at the closing quote */
			if (esc) {
				char *d;
				scratch_init(rd);
				d = rd->scratch + rd->slen;
				fl->s = d;
				for (const unsigned char *r = q; r < p; r++) {
					*d++ = (char)*r;
					if (*r == '"')
						r++;
				}
				fl->len = (uint32_t)(d - fl->s);
				rd->slen += fl->len;
			} else {
				fl->s = (const char *)q;
				fl->len = (uint32_t)(p - q);
			}
			fl->kind = fl->len ? BF_VAL_TEXT : BF_VAL_MISSING;
			fl->quote = 0;
			for (uint32_t i = 0; i < fl->len; i++) {
				unsigned char ch = (unsigned char)fl->s[i];
				if (ch == ',' || ch == '"' || ch == '\n' ||
				    ch == '\r') {
					fl->quote = 1;
					break;
				}
			}
			if (fl->kind == BF_VAL_TEXT && !fl->quote)
				fl->kind = BF_VAL_AUTO;
			p++;
			c = csv_class[*p];
			if (c == C_CR && p + 1 < lim && p[1] == '\n') {
				/* ok: record end */
			} else if (c == C_CR && p + 1 >= lim && !rd->eof) {
				return 0;
			} else if (c != C_COMMA && c != C_NL) {
				return errat(rd, err, rd->line + 1 + lines,
				    BF_EDATA,
				    "unexpected text after quoted field %zu",
				    n + 1);
			}
			if (p >= lim && !rd->eof)
				return 0;
		}
		n++;
		if (*p == ',') {
			p++;
			continue;
		}
		/* record end: '\n', "\r\n", or the end of input */
		if (*p == '\r')
			p++;
		if (p < lim)
			p++; /* the '\n' */
		lines++;
		break;
	}
	if ((size_t)((const char *)p - (rd->buf + rd->beg)) > BF_LINE_MAX)
		return errat(rd, err, rd->line + 1, BF_EDATA,
		    "record longer than %d bytes", BF_LINE_MAX);
	*nf = n;
	*next = (size_t)((const char *)p - rd->buf);
	*nl = lines;
	return 1;
too_many:
	return errat(rd, err, rd->line + 1, BF_EDATA,
	    "more than %zu fields (the header has %zu)", maxf, maxf);
}

/*
 * Parse the next CSV record (header when 'grow').  Skips blank lines.
 * Returns 1, 0 at end, or a negative code.
 */
static int
csv_next(struct bf_reader *rd, size_t *nf, bool grow, struct bf_err *err)
{
	size_t next = 0;
	long nl = 0;
	int r;

	for (;;) {
		if (rd->beg >= rd->end) {
			if (rd->eof)
				return 0;
			r = fill(rd, err);
			if (r < 0)
				return r;
			if (r == 0 && rd->beg >= rd->end)
				return 0;
			continue;
		}
		/* blank line */
		if (rd->buf[rd->beg] == '\n' ||
		    (rd->buf[rd->beg] == '\r' && rd->beg + 1 < rd->end &&
			rd->buf[rd->beg + 1] == '\n')) {
			rd->beg += rd->buf[rd->beg] == '\n' ? 1 : 2;
			rd->line++;
			continue;
		}
		r = csv_parse(rd, nf, grow ? 0 : rd->ncols, grow, &next, &nl,
		    err);
		if (r < 0)
			return r;
		if (r == 0) {
			if (rd->end - rd->beg >= BF_LINE_MAX)
				return errat(rd, err, rd->line + 1, BF_EDATA,
				    "record longer than %d bytes",
				    BF_LINE_MAX);
			r = fill(rd, err);
			if (r < 0)
				return r;
			continue;
		}
		rd->rec_line = rd->line + 1;
		rd->line += nl;
		rd->beg = next;
		return 1;
	}
}

/* ==== NDJSON ==== */

static const unsigned char *
skip_ws(const unsigned char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static void
put_utf8(char **d, unsigned long cp)
{
	char *o = *d;

	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	*d = o;
}

static int
hex4(const unsigned char *p, unsigned long *out)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + (unsigned long)d;
	}
	*out = v;
	return 0;
}

/*
 * Parse a JSON string at 'p' (on the opening quote) ending before 'lim'.
 * Stores the text (unescaped into scratch when needed) and returns the
 * position after the closing quote, or NULL on a syntax error.
 */
static const unsigned char *
json_string(struct bf_reader *rd, const unsigned char *p,
    const unsigned char *lim, const char **s, uint32_t *len, bool *quote)
{
	const unsigned char *q = ++p;
	char *d;

	*quote = false;
	while (p < lim && *p != '"' && *p != '\\') {
		if (*p < 0x20)
			return NULL;
		if (*p == ',')
			*quote = true;
		p++;
	}
	if (p >= lim)
		return NULL;
	if (*p == '"') {
		*s = (const char *)q;
		*len = (uint32_t)(p - q);
		return p + 1;
	}
	/* Escapes: copy into scratch. */
	scratch_init(rd);
	d = rd->scratch + rd->slen;
	*s = d;
	memcpy(d, q, (size_t)(p - q));
	d += p - q;
	while (p < lim && *p != '"') {
		if (*p < 0x20)
			return NULL;
		if (*p != '\\') {
			if (*p == ',')
				*quote = true;
			*d++ = (char)*p++;
			continue;
		}
		p++;
		if (p >= lim)
			return NULL;
		switch (*p) {
		case '"': *d++ = '"'; *quote = true; break;
		case '\\': *d++ = '\\'; break;
		case '/': *d++ = '/'; break;
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; *quote = true; break;
		case 'r': *d++ = '\r'; *quote = true; break;
		case 't': *d++ = '\t'; break;
		case 'u': {
			unsigned long cp, lo;
			if (p + 5 > lim || hex4(p + 1, &cp) < 0)
				return NULL;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p + 7 <= lim &&
			    p[1] == '\\' && p[2] == 'u' &&
			    hex4(p + 3, &lo) == 0 && lo >= 0xdc00 &&
			    lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd; /* lone surrogate */
			}
			if (cp == 0)
				return NULL; /* NUL is not allowed in values */
			put_utf8(&d, cp);
			break;
		}
		default:
			return NULL;
		}
		p++;
	}
	if (p >= lim)
		return NULL;
	*len = (uint32_t)(d - *s);
	rd->slen += *len;
	return p + 1;
}

/* Skip a JSON number; NULL if it is not one. */
static const unsigned char *
json_number(const unsigned char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

/* Skip a nested object or array (balanced, strings respected). */
static const unsigned char *
json_nested(const unsigned char *p, const unsigned char *lim)
{
	long depth = 0;

	for (; p < lim; p++) {
		if (*p == '"') {
			for (p++; p < lim && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= lim)
				return NULL;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

static int
json_col(struct bf_reader *rd, const char *k, uint32_t klen, size_t guess)
{
	if (guess < rd->ncols && strlen(rd->cols[guess]) == klen &&
	    memcmp(rd->cols[guess], k, klen) == 0)
		return (int)guess;
	for (size_t i = 0; i < rd->ncols; i++)
		if (strlen(rd->cols[i]) == klen &&
		    memcmp(rd->cols[i], k, klen) == 0)
			return (int)i;
	return -1;
}

/*
 * Parse the JSON object on the line [p, lim).  With 'first' the keys
 * become the columns.  Returns 1 or BF_EDATA.
 */
static int
json_object(struct bf_reader *rd, const unsigned char *p,
    const unsigned char *lim, bool first, long line, struct bf_err *err)
{
	size_t pos = 0;
	size_t cap = 0;

	rd->slen = 0;
	if (!first) {
		rd->gen++;
		for (size_t i = 0; i < rd->ncols; i++) {
			rd->f[i].s = "";
			rd->f[i].len = 0;
			rd->f[i].kind = BF_VAL_MISSING;
			rd->f[i].quote = 0;
		}
	}
	p = skip_ws(p);
	if (*p != '{')
		return errat(rd, err, line, BF_EDATA, "not a JSON object");
	p = skip_ws(p + 1);
	if (*p == '}') {
		p = skip_ws(p + 1);
		goto end;
	}
	for (;;) {
		const char *k, *vs;
		uint32_t klen, vlen;
		const unsigned char *v;
		bool quote, kq;
		uint8_t kind;
		int col;

		if (*p != '"')
			return errat(rd, err, line, BF_EDATA,
			    "invalid JSON: expected a key");
		p = json_string(rd, p, lim, &k, &klen, &kq);
		if (p == NULL)
			return errat(rd, err, line, BF_EDATA,
			    "invalid JSON string");
		p = skip_ws(p);
		if (*p != ':')
			return errat(rd, err, line, BF_EDATA,
			    "invalid JSON: expected ':'");
		p = skip_ws(p + 1);
		quote = false;
		if (*p == '"') {
			v = json_string(rd, p, lim, &vs, &vlen, &quote);
			if (v == NULL)
				return errat(rd, err, line, BF_EDATA,
				    "invalid JSON string");
			kind = BF_VAL_TEXT;
		} else if (*p == '{' || *p == '[') {
			v = json_nested(p, lim);
			if (v == NULL)
				return errat(rd, err, line, BF_EDATA,
				    "invalid JSON value");
			vs = (const char *)p;
			vlen = (uint32_t)(v - p);
			kind = BF_VAL_RAW;
			quote = true;
		} else if (lim - p >= 4 && memcmp(p, "null", 4) == 0) {
			v = p + 4;
			vs = "";
			vlen = 0;
			kind = BF_VAL_MISSING;
		} else if (lim - p >= 4 && memcmp(p, "true", 4) == 0) {
			v = p + 4;
			vs = (const char *)p;
			vlen = 4;
			kind = BF_VAL_RAW;
		} else if (lim - p >= 5 && memcmp(p, "false", 5) == 0) {
			v = p + 5;
			vs = (const char *)p;
			vlen = 5;
			kind = BF_VAL_RAW;
		} else {
			v = json_number(p);
			if (v == NULL)
				return errat(rd, err, line, BF_EDATA,
				    "invalid JSON value");
			vs = (const char *)p;
			vlen = (uint32_t)(v - p);
			kind = BF_VAL_RAW;
		}
		if (first) {
			if (pos >= cap) {
				cap = cap ? cap * 2 : 16;
				rd->cols = bf_xrealloc(rd->cols,
				    cap * sizeof(*rd->cols));
				fields_reserve(rd, cap);
			}
			for (size_t i = 0; i < pos; i++)
				if (strlen(rd->cols[i]) == klen &&
				    memcmp(rd->cols[i], k, klen) == 0) {
					char ex[64];
					excerpt(ex, sizeof(ex), k, klen);
					rd->ncols = pos;
					return errat(rd, err, line, BF_EDATA,
					    "duplicate key '%s'", ex);
				}
			if (memchr(k, '\0', klen))
				return errat(rd, err, line, BF_EDATA,
				    "NUL in key");
			rd->cols[pos] = bf_strndup(k, klen);
			rd->ncols = pos + 1;
			col = (int)pos;
		} else {
			col = json_col(rd, k, klen, pos);
			if (col < 0) {
				char ex[64];
				excerpt(ex, sizeof(ex), k, klen);
				return errat(rd, err, line, BF_EDATA,
				    "key '%s' is not in the first record",
				    ex);
			}
			if (rd->seen[col] == rd->gen) {
				char ex[64];
				excerpt(ex, sizeof(ex), k, klen);
				return errat(rd, err, line, BF_EDATA,
				    "duplicate key '%s'", ex);
			}
			rd->seen[col] = rd->gen;
		}
		rd->f[col].s = vs;
		rd->f[col].len = vlen;
		rd->f[col].kind = kind;
		rd->f[col].quote = quote;
		if (kind == BF_VAL_TEXT) {
			for (uint32_t i = 0; i < vlen; i++)
				if (vs[i] == '"' || vs[i] == '\n' ||
				    vs[i] == '\r' || vs[i] == ',') {
					rd->f[col].quote = 1;
					break;
				}
			if (vlen == 0)
				rd->f[col].kind = BF_VAL_MISSING;
		}
		pos++;
		p = skip_ws(v);
		if (*p == ',') {
			p = skip_ws(p + 1);
			continue;
		}
		if (*p == '}') {
			p = skip_ws(p + 1);
			break;
		}
		return errat(rd, err, line, BF_EDATA,
		    "invalid JSON: expected ',' or '}'");
	}
end:
	if (p < lim)
		return errat(rd, err, line, BF_EDATA,
		    "text after the JSON object");
	if (first) {
		if (rd->ncols == 0)
			return errat(rd, err, line, BF_EDATA,
			    "the first record has no keys");
		rd->seen = bf_xcalloc(rd->ncols, sizeof(*rd->seen));
	}
	return 1;
}

static int
json_next(struct bf_reader *rd, bool first, struct bf_err *err)
{
	for (;;) {
		char *nlp;
		size_t len;
		int r;

		nlp = memchr(rd->buf + rd->beg, '\n', rd->end - rd->beg + 1);
		if (nlp == rd->buf + rd->end && !rd->eof) {
			if (rd->end - rd->beg >= BF_LINE_MAX)
				return errat(rd, err, rd->line + 1, BF_EDATA,
				    "record longer than %d bytes",
				    BF_LINE_MAX);
			r = fill(rd, err);
			if (r < 0)
				return r;
			continue;
		}
		len = (size_t)(nlp - (rd->buf + rd->beg));
		if (nlp == rd->buf + rd->end && len == 0)
			return 0; /* end of input */
		if (len > BF_LINE_MAX)
			return errat(rd, err, rd->line + 1, BF_EDATA,
			    "record longer than %d bytes", BF_LINE_MAX);
		if (memchr(rd->buf + rd->beg, '\0', len))
			return errat(rd, err, rd->line + 1, BF_EDATA,
			    "NUL byte");
		{
			const unsigned char *p =
			    skip_ws((const unsigned char *)rd->buf + rd->beg);
			if (p >= (const unsigned char *)nlp) {
				/* blank line */
				rd->line++;
				rd->beg += len + (nlp < rd->buf + rd->end);
				continue;
			}
		}
		rd->rec_line = rd->line + 1;
		r = json_object(rd, (const unsigned char *)rd->buf + rd->beg,
		    (const unsigned char *)nlp, first, rd->rec_line, err);
		rd->line++;
		rd->beg += len + (nlp < rd->buf + rd->end);
		return r;
	}
}

/* ==== reading ==== */

int
bf_reader_start(struct bf_reader *rd, struct bf_err *err)
{
	size_t nf;
	int r;

	if (rd->started)
		return rd->ncols > 0;
	rd->started = true;
	/* Sniff: skip a UTF-8 BOM, look at the first byte. */
	while (rd->end - rd->beg < 4 && !rd->eof) {
		r = fill(rd, err);
		if (r < 0)
			return r;
	}
	if (rd->end - rd->beg >= 3 &&
	    memcmp(rd->buf + rd->beg, "\xef\xbb\xbf", 3) == 0)
		rd->beg += 3;
	if (rd->beg >= rd->end)
		return 0; /* empty input */
	if (rd->fmt == BF_FMT_AUTO)
		rd->fmt = rd->buf[rd->beg] == '{' ? BF_FMT_JSON : BF_FMT_CSV;
	if (rd->fmt == BF_FMT_JSON) {
		r = json_next(rd, true, err);
		if (r <= 0)
			return r;
		rd->pending = true;
		return 1;
	}
	r = csv_next(rd, &nf, true, err);
	if (r <= 0)
		return r;
	rd->cols = bf_xcalloc(nf, sizeof(*rd->cols));
	for (size_t i = 0; i < nf; i++) {
		const struct bf_field *fl = &rd->f[i];
		for (size_t j = 0; j < i; j++)
			if (strlen(rd->cols[j]) == fl->len &&
			    memcmp(rd->cols[j], fl->s, fl->len) == 0) {
				char ex[64];
				excerpt(ex, sizeof(ex), fl->s, fl->len);
				rd->ncols = i;
				return errat(rd, err, 1, BF_EDATA,
				    "duplicate column '%s'", ex);
			}
		rd->cols[i] = bf_strndup(fl->s, fl->len);
		rd->ncols = i + 1;
	}
	return 1;
}

int
bf_reader_next(struct bf_reader *rd, struct bf_err *err)
{
	size_t nf;
	int r;

	if (!rd->started) {
		r = bf_reader_start(rd, err);
		if (r <= 0)
			return r;
	}
	if (rd->ncols == 0)
		return 0;
	if (rd->fmt == BF_FMT_JSON) {
		if (rd->pending) {
			rd->pending = false;
			return 1;
		}
		return json_next(rd, false, err);
	}
	r = csv_next(rd, &nf, false, err);
	if (r <= 0)
		return r;
	if (nf != rd->ncols) {
		return errat(rd, err, rd->rec_line, BF_EDATA,
		    "%zu fields, the header has %zu", nf, rd->ncols);
	}
	return 1;
}

int
bf_reader_require(const struct bf_reader *rd, const char *const *names,
    int *idx, size_t n, struct bf_err *err)
{
	char list[400];
	size_t len = 0, missing = 0;

	list[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		idx[i] = bf_reader_col(rd, names[i]);
		if (idx[i] < 0) {
			int k = snprintf(list + len, sizeof(list) - len,
			    "%s'%s'", missing ? ", " : "", names[i]);
			if (k > 0 && (size_t)k < sizeof(list) - len)
				len += (size_t)k;
			missing++;
		}
	}
	if (missing == 0)
		return 0;
	bf_err_set(err, BF_EDATA, "%s:1: missing required column%s %s",
	    rd->name, missing > 1 ? "s" : "", list);
	if (err)
		err->line = 1;
	return BF_EDATA;
}

int
bf_reader_double(const struct bf_reader *rd, int col, double *out,
    struct bf_err *err)
{
	const struct bf_field *fl;
	char ex[64];

	if (col < 0)
		return 0;
	fl = &rd->f[col];
	if (fl->kind == BF_VAL_MISSING)
		return 0;
	if (bf_num_parse(fl->s, fl->len, out) == 0)
		return 1;
	excerpt(ex, sizeof(ex), fl->s, fl->len);
	return bf_reader_error(rd, err, "column '%s': invalid number '%s'",
	    rd->cols[col], ex);
}

int
bf_reader_i64(const struct bf_reader *rd, int col, int64_t *out,
    struct bf_err *err)
{
	const struct bf_field *fl;
	char ex[64];

	if (col < 0)
		return 0;
	fl = &rd->f[col];
	if (fl->kind == BF_VAL_MISSING)
		return 0;
	if (bf_num_parse_i64(fl->s, fl->len, out) == 0)
		return 1;
	excerpt(ex, sizeof(ex), fl->s, fl->len);
	return bf_reader_error(rd, err, "column '%s': invalid integer '%s'",
	    rd->cols[col], ex);
}

/* ==== writer ==== */

struct outcol {
	int src;	/* input column, or -1 */
	int tool;	/* tool column, or -1 */
};

struct toolval {
	size_t off;	/* into 'vals' */
	uint32_t len;
	uint8_t kind;
	uint8_t quote;
	uint32_t gen;	/* set for record 'gen' */
};

struct bf_writer {
	int fd;
	int fmt;
	int digits;
	int flags;
	bool failed;
	int errnum;

	char *out;		/* owned output buffer */
	size_t olen, ocap;

	size_t nout;
	struct outcol *oc;	/* owned */
	char **keys;		/* owned: JSON "name": prefixes */
	size_t *keylen;
	size_t ntool;
	struct toolval *tv;	/* owned */
	char *vals;		/* owned: the tool values of this record */
	size_t vlen, vcap;
	/*
	 * In CSV with the tool's columns last and in their order ('tail':
	 * none replaces an input column), a record whose tool columns are
	 * set in order 0, 1, ... is kept in 'vals' as finished CSV text,
	 * each value after its comma, and goes out in one copy.  'seq' is
	 * the number set in order so far, or SEQ_OFF once a column is set
	 * out of order or needs quotes: then the record is written column
	 * by column from 'tv', which is kept up to date either way.
	 */
	size_t seq;
	bool tail;
	uint32_t gen;
	bool started;
	bool per_record;	/* flush every record (not a file, no reader) */
};

#define SEQ_OFF SIZE_MAX

struct bf_writer *
bf_writer_new(int fd, int fmt, int digits, int flags)
{
	struct bf_writer *w = bf_xcalloc(1, sizeof(*w));
	struct stat st;

	w->fd = fd;
	w->fmt = fmt == BF_FMT_JSON ? BF_FMT_JSON : BF_FMT_CSV;
	/*
	 * Into a pipe or terminal, a writer with no reader to pace it (a tool
	 * that starts a stream) flushes every record; bf_writer_link turns
	 * that into flushing before the reader waits.
	 */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		w->per_record = true;
	w->digits = digits < 1 ? BF_NUM_DIGITS : digits > 17 ? 17 : digits;
	w->flags = flags;
	w->ocap = 2 * OUT_FLUSH;
	w->out = bf_xmalloc(w->ocap);
	w->gen = 1;
	w->vcap = 1024;
	w->vals = bf_xmalloc(w->vcap);
	w->seq = SEQ_OFF;
	return w;
}

static void
out_reserve(struct bf_writer *w, size_t n)
{
	if (w->olen + n > w->ocap) {
		while (w->olen + n > w->ocap)
			w->ocap *= 2;
		w->out = bf_xrealloc(w->out, w->ocap);
	}
}

static inline void
out_add(struct bf_writer *w, const char *s, size_t n)
{
	out_reserve(w, n);
	memcpy(w->out + w->olen, s, n);
	w->olen += n;
}

static inline void
out_addc(struct bf_writer *w, char c)
{
	out_reserve(w, 1);
	w->out[w->olen++] = c;
}

static int
write_all(struct bf_writer *w)
{
	size_t off = 0;

	if (w->failed) {
		w->olen = 0;
		return -1;
	}
	while (off < w->olen) {
		ssize_t n = write(w->fd, w->out + off, w->olen - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			w->failed = true;
			w->errnum = errno;
			w->olen = 0;
			return -1;
		}
		off += (size_t)n;
	}
	w->olen = 0;
	return 0;
}

static int
write_error(struct bf_writer *w, struct bf_err *err)
{
	return bf_err_set(err, BF_EFAIL, "write error: %s",
	    strerror(w->errnum ? w->errnum : EIO));
}

int
bf_writer_flush(struct bf_writer *w, struct bf_err *err)
{
	if (write_all(w) < 0)
		return write_error(w, err);
	return 0;
}

static void
flush_hook(void *ctx)
{
	struct bf_writer *w = ctx;

	if (w->olen)
		write_all(w);
}

void
bf_writer_link(struct bf_writer *w, struct bf_reader *rd)
{
	rd->on_block = flush_hook;
	rd->on_block_ctx = w;
	w->per_record = false;
}

/* Append 's' as a JSON string body; invalid UTF-8 becomes U+FFFD. */
static void
json_escape(struct bf_writer *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *e = p + len;

	out_reserve(w, len + 2);
	while (p < e) {
		const unsigned char *run = p;
		while (p < e && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\')
			p++;
		if (p > run)
			out_add(w, (const char *)run, (size_t)(p - run));
		if (p >= e)
			break;
		if (*p < 0x80) {
			char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
			switch (*p) {
			case '"': out_add(w, "\\\"", 2); break;
			case '\\': out_add(w, "\\\\", 2); break;
			case '\n': out_add(w, "\\n", 2); break;
			case '\r': out_add(w, "\\r", 2); break;
			case '\t': out_add(w, "\\t", 2); break;
			default:
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				out_add(w, esc, 6);
			}
			p++;
			continue;
		}
		/* Multi-byte UTF-8: validate. */
		{
			size_t n = 0;
			unsigned long cp = 0, min = 0;
			if (*p >= 0xc2 && *p <= 0xdf) {
				n = 2; cp = *p & 0x1f; min = 0x80;
			} else if (*p >= 0xe0 && *p <= 0xef) {
				n = 3; cp = *p & 0x0f; min = 0x800;
			} else if (*p >= 0xf0 && *p <= 0xf4) {
				n = 4; cp = *p & 0x07; min = 0x10000;
			}
			if (n && (size_t)(e - p) >= n) {
				size_t i;
				for (i = 1; i < n; i++) {
					if ((p[i] & 0xc0) != 0x80)
						break;
					cp = (cp << 6) | (p[i] & 0x3f);
				}
				if (i == n && cp >= min && cp <= 0x10ffff &&
				    !(cp >= 0xd800 && cp < 0xe000)) {
					out_add(w, (const char *)p, n);
					p += n;
					continue;
				}
			}
			out_add(w, "\xef\xbf\xbd", 3);
			p++;
		}
	}
}

static bool
is_json_number(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *e = p + len;

	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return false;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (p < e && *p == '.') {
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p == e;
}

static bool
needs_quote(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

int
bf_writer_start(struct bf_writer *w, const struct bf_reader *rd,
    const char *const *cols, size_t n, struct bf_err *err)
{
	size_t nin = rd ? rd->ncols : 0;

	(void)err;
	w->oc = bf_xcalloc(nin + n, sizeof(*w->oc));
	for (size_t i = 0; i < nin; i++) {
		w->oc[i].src = (int)i;
		w->oc[i].tool = -1;
	}
	w->nout = nin;
	w->ntool = n;
	w->tv = bf_xcalloc(n ? n : 1, sizeof(*w->tv));
	for (size_t k = 0; k < n; k++) {
		int at = rd ? bf_reader_col(rd, cols[k]) : -1;
		/* A tool column named twice keeps its first place. */
		for (size_t j = nin; at < 0 && j < w->nout; j++)
			if (strcmp(cols[w->oc[j].tool], cols[k]) == 0)
				at = (int)j;
		if (at >= 0) {
			w->oc[at].src = -1;
			w->oc[at].tool = (int)k;
		} else {
			w->oc[w->nout].src = -1;
			w->oc[w->nout].tool = (int)k;
			w->nout++;
		}
	}
	w->keys = bf_xcalloc(w->nout ? w->nout : 1, sizeof(*w->keys));
	w->keylen = bf_xcalloc(w->nout ? w->nout : 1, sizeof(*w->keylen));
	for (size_t i = 0; i < w->nout; i++) {
		const char *name = w->oc[i].src >= 0 ?
		    rd->cols[w->oc[i].src] : cols[w->oc[i].tool];
		if (w->fmt == BF_FMT_CSV) {
			if (i)
				out_addc(w, ',');
			if (needs_quote(name, strlen(name)) ||
			    (w->nout == 1 && name[0] == '\0')) {
				out_addc(w, '"');
				for (const char *p = name; *p; p++) {
					if (*p == '"')
						out_addc(w, '"');
					out_addc(w, *p);
				}
				out_addc(w, '"');
			} else {
				out_add(w, name, strlen(name));
			}
		} else {
			size_t save = w->olen;
			out_addc(w, i ? ',' : '{');
			out_addc(w, '"');
			json_escape(w, name, strlen(name));
			out_add(w, "\":", 2);
			w->keylen[i] = w->olen - save;
			w->keys[i] = bf_strndup(w->out + save, w->keylen[i]);
			w->olen = save;
		}
	}
	if (w->fmt == BF_FMT_CSV)
		out_addc(w, '\n');
	w->tail = w->fmt == BF_FMT_CSV && w->nout > 1 && w->nout == nin + n;
	w->seq = w->tail ? 0 : SEQ_OFF;
	w->started = true;
	return 0;
}

/* Make room for 'n' more bytes in 'vals'. */
static inline void
vals_reserve(struct bf_writer *w, size_t n)
{
	if (BF_UNLIKELY(w->vlen + n > w->vcap)) {
		while (w->vlen + n > w->vcap)
			w->vcap *= 2;
		w->vals = bf_xrealloc(w->vals, w->vcap);
	}
}

/*
 * Make room in 'vals' for 'n' bytes of the text of tool column 'k' and
 * return where the text goes: after a comma when the record is being
 * laid out in order.  NULL when 'k' is out of range.
 */
static inline char *
tv_begin(struct bf_writer *w, size_t k, size_t n)
{
	char *p;

	if (BF_UNLIKELY(k >= w->ntool))
		return NULL;
	vals_reserve(w, n + 1);
	p = w->vals + w->vlen;
	if (k == w->seq)
		*p++ = ',';
	return p;
}

/*
 * Leave the in-order layout: enter the 'seq' columns set in order so far
 * in 'tv', so that the record can be written column by column.  They are
 * the comma-separated fields of 'vals' (a text that needs quotes leaves
 * the layout before it is stored, so none holds a comma), and as the
 * layout is CSV only, their kind only needs to tell missing ones.
 */
static void
tv_table(struct bf_writer *w)
{
	const char *p = w->vals, *e = w->vals + w->vlen;

	for (size_t k = 0; k < w->seq; k++) {
		struct toolval *t = &w->tv[k];
		const char *q;

		p++;	/* the comma */
		q = memchr(p, ',', (size_t)(e - p));
		if (q == NULL)
			q = e;
		t->off = (size_t)(p - w->vals);
		t->len = (uint32_t)(q - p);
		t->kind = q > p ? BF_VAL_RAW : BF_VAL_MISSING;
		t->quote = 0;
		t->gen = w->gen;
		p = q;
	}
	w->seq = SEQ_OFF;
}

/*
 * Finish tool column 'k', whose 'len' bytes of text tv_begin's 'p' now
 * holds: keep the record in order, or else record the value in 'tv' for
 * column-by-column output.
 */
static inline void
tv_end(struct bf_writer *w, size_t k, const char *p, size_t len,
    uint8_t kind, bool quote)
{
	struct toolval *t = &w->tv[k];

	if (k == w->seq && !quote) {
		w->vlen = (size_t)(p - w->vals) + len;
		w->seq++;
		return;
	}
	if (w->seq != SEQ_OFF)
		tv_table(w);
	t->off = (size_t)(p - w->vals);
	t->len = (uint32_t)len;
	t->kind = len ? kind : BF_VAL_MISSING;
	t->quote = quote;
	t->gen = w->gen;
	w->vlen = t->off + len;
}

/* Set tool column 'k' to a copy of the 'len' bytes at 's'. */
static void
tv_set(struct bf_writer *w, size_t k, const char *s, size_t len,
    uint8_t kind, bool quote)
{
	char *p = tv_begin(w, k, len);

	if (p == NULL)
		return;
	memcpy(p, s, len);
	tv_end(w, k, p, len, kind, quote);
}

void
bf_writer_set_double(struct bf_writer *w, size_t k, double v)
{
	char *p;

	if (!isfinite(v)) {
		bf_writer_set_missing(w, k);
		return;
	}
	/* Formatted in place: bf_num_format needs BF_NUM_BUFSZ bytes. */
	if ((p = tv_begin(w, k, BF_NUM_BUFSZ)) != NULL)
		tv_end(w, k, p, bf_num_format(p, v, w->digits), BF_VAL_RAW,
		    false);
}

void
bf_writer_set_doubles(struct bf_writer *w, size_t k0, const double *v,
    size_t n)
{
	if (k0 >= w->ntool)
		return;
	if (n > w->ntool - k0)
		n = w->ntool - k0;
	if (k0 != w->seq) {
		for (size_t i = 0; i < n; i++)
			bf_writer_set_double(w, k0 + i, v[i]);
		return;
	}
	/* In order: the whole run at once, commas included. */
	vals_reserve(w, n * (BF_NUM_BUFSZ + 1) + 1);
	w->vlen += bf_num_format_list(w->vals + w->vlen, v, n, w->digits, ',');
	w->seq += n;
}

void
bf_writer_set_i64(struct bf_writer *w, size_t k, int64_t v)
{
	char *p;

	if ((p = tv_begin(w, k, BF_NUM_BUFSZ)) != NULL)
		tv_end(w, k, p, bf_num_format_i64(p, v), BF_VAL_RAW, false);
}

void
bf_writer_set_text(struct bf_writer *w, size_t k, const char *s, size_t len)
{
	tv_set(w, k, s, len, BF_VAL_TEXT, needs_quote(s, len));
}

void
bf_writer_set_auto(struct bf_writer *w, size_t k, const char *s, size_t len)
{
	tv_set(w, k, s, len, BF_VAL_AUTO, needs_quote(s, len));
}

void
bf_writer_set_number(struct bf_writer *w, size_t k, const char *s, size_t len)
{
	tv_set(w, k, s, len, BF_VAL_RAW, false);
}

void
bf_writer_set_missing(struct bf_writer *w, size_t k)
{
	tv_set(w, k, "", 0, BF_VAL_MISSING, false);
}

static void
csv_field(struct bf_writer *w, const char *s, size_t len, bool quote)
{
	if (!quote) {
		out_add(w, s, len);
		return;
	}
	out_reserve(w, 2 * len + 2);
	w->out[w->olen++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			w->out[w->olen++] = '"';
		w->out[w->olen++] = s[i];
	}
	w->out[w->olen++] = '"';
}

/*
 * The 'nin' input fields of the current record as the one span of the
 * reader's buffer they came from, when that is what CSV output would
 * write: a CSV record whose fields all lie in the line one byte (the
 * comma) apart, none quoted there (a quoted field leaves a gap of its
 * quotes, or lives in the scratch buffer) and none needing quotes.
 * Returns its length and sets 's', or 0.
 */
static size_t
raw_span(const struct bf_reader *rd, size_t nin, const char **s)
{
	uintptr_t lo, a, e;

	if (nin == 0 || rd->fmt != BF_FMT_CSV)
		return 0;
	lo = (uintptr_t)rd->buf;
	a = e = (uintptr_t)rd->f[0].s;
	for (size_t i = 0; i < nin; i++) {
		const struct bf_field *fl = &rd->f[i];

		if ((uintptr_t)fl->s != e + (i > 0) || fl->quote)
			return 0;
		e = (uintptr_t)fl->s + fl->len;
	}
	if (a < lo || e > lo + rd->end)
		return 0;
	*s = rd->f[0].s;
	return e - a;
}

/*
 * Write the current record laid out in order (seq == ntool): the input
 * fields, then the tool's values as 'vals' holds them, commas included
 * (but the first when there are no input columns).
 */
static void
emit_tail(struct bf_writer *w, const struct bf_reader *rd)
{
	size_t nin = w->nout - w->ntool, nraw;
	const char *raw;

	if ((nraw = raw_span(rd, nin, &raw)) > 0) {
		out_add(w, raw, nraw);
	} else {
		for (size_t i = 0; i < nin; i++) {
			const struct bf_field *fl = &rd->f[i];

			if (i)
				out_addc(w, ',');
			if (fl->kind != BF_VAL_MISSING)
				csv_field(w, fl->s, fl->len, fl->quote);
		}
	}
	out_reserve(w, w->vlen + 1);
	memcpy(w->out + w->olen, w->vals + (nin == 0), w->vlen - (nin == 0));
	w->olen += w->vlen - (nin == 0);
	w->out[w->olen++] = '\n';
}

int
bf_writer_emit(struct bf_writer *w, const struct bf_reader *rd,
    struct bf_err *err)
{
	if (w->seq == w->ntool) {
		emit_tail(w, rd);
		goto done;
	}
	if (w->seq != SEQ_OFF)
		tv_table(w);
	for (size_t i = 0; i < w->nout; i++) {
		const struct outcol *c = &w->oc[i];
		const char *s;
		size_t len;
		int kind, quote;

		if (c->src >= 0) {
			const struct bf_field *fl = &rd->f[c->src];
			s = fl->s;
			len = fl->len;
			kind = fl->kind;
			quote = fl->quote;
		} else {
			const struct toolval *t = &w->tv[c->tool];
			if (t->gen != w->gen) {
				s = "";
				len = 0;
				kind = BF_VAL_MISSING;
				quote = 0;
			} else {
				s = w->vals + t->off;
				len = t->len;
				kind = t->kind;
				quote = t->quote;
			}
		}
		if (w->fmt == BF_FMT_CSV) {
			if (i)
				out_addc(w, ',');
			if (kind == BF_VAL_MISSING) {
				if (w->nout == 1)
					out_add(w, "\"\"", 2);
				continue;
			}
			csv_field(w, s, len, quote);
			continue;
		}
		out_add(w, w->keys[i], w->keylen[i]);
		switch (kind) {
		case BF_VAL_MISSING:
			out_add(w, "null", 4);
			break;
		case BF_VAL_RAW:
			out_add(w, s, len);
			break;
		case BF_VAL_AUTO:
			if (is_json_number(s, len)) {
				out_add(w, s, len);
				break;
			}
			/* FALLTHROUGH */
		default:
			out_addc(w, '"');
			json_escape(w, s, len);
			out_addc(w, '"');
		}
	}
	if (w->fmt == BF_FMT_JSON)
		out_add(w, w->nout ? "}\n" : "{}\n", w->nout ? 2 : 3);
	else
		out_addc(w, '\n');
done:
	w->gen++;
	w->vlen = 0;
	w->seq = w->tail ? 0 : SEQ_OFF;
	if (w->olen >= OUT_FLUSH || (w->flags & BF_WRITER_UNBUFFERED) ||
	    w->per_record || w->failed) {
		if (write_all(w) < 0)
			return write_error(w, err);
	}
	return 0;
}

int
bf_writer_close(struct bf_writer *w, struct bf_err *err)
{
	int r = 0;

	if (w == NULL)
		return 0;
	if (write_all(w) < 0)
		r = write_error(w, err);
	for (size_t i = 0; i < w->nout; i++)
		free(w->keys ? w->keys[i] : NULL);
	free(w->keys);
	free(w->keylen);
	free(w->oc);
	free(w->tv);
	free(w->out);
	free(w->vals);
	free(w);
	return r;
}
