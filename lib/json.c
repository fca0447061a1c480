/* SPDX-License-Identifier: MIT */
/*
 * json.c - a strict, text-preserving JSON tokenizer.  See json.h.
 *
 * A recursive descent parser over the caller's buffer.  Tokens are
 * appended in document order; a container's 'next' is filled in when its
 * last child is done.  String escapes are decoded in place (the decoded
 * text is never longer than the escaped one), so the token can point at
 * the decoded bytes.
 */
#include "compat.h"

#include "json.h"
#include "num.h"
#include "util.h"

#define JSON_DEPTH_MAX 128

struct parser {
	struct bf_json *js;
	char *s;
	size_t len;
	size_t pos;
	const char *why; /* the error, when one occurred */
};

void
bf_json_init(struct bf_json *js)
{
	js->t = NULL;
	js->n = 0;
	js->cap = 0;
	js->text = NULL;
}

void
bf_json_release(struct bf_json *js)
{
	free(js->t);
	bf_json_init(js);
}

/* Append a token of 'type' starting at 'start'; returns its index. */
static size_t
newtok(struct parser *p, int type, size_t start)
{
	struct bf_json *js = p->js;
	struct bf_jtok *t;

	if (js->n == js->cap) {
		js->cap = js->cap ? js->cap * 2 : 256;
		js->t = bf_xrealloc(js->t, js->cap * sizeof(*js->t));
	}
	t = &js->t[js->n];
	t->type = (uint8_t)type;
	t->start = (uint32_t)start;
	t->len = 0;
	t->size = 0;
	t->next = 0;
	return js->n++;
}

/* Skip JSON white space. */
static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* Record the first error; returns -1. */
static int
fail(struct parser *p, const char *why)
{
	if (p->why == NULL)
		p->why = why;
	return -1;
}

/* The value of hex digit 'c', or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read 4 hex digits at p->pos; returns the code unit or -1. */
static long
hex4(struct parser *p)
{
	long v = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p->s[p->pos + (size_t)i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	p->pos += 4;
	return v;
}

/* Write code point 'cp' as UTF-8 at s[*w]. */
static void
put_utf8(char *s, size_t *w, long cp)
{
	if (cp < 0x80) {
		s[(*w)++] = (char)cp;
	} else if (cp < 0x800) {
		s[(*w)++] = (char)(0xc0 | (cp >> 6));
		s[(*w)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		s[(*w)++] = (char)(0xe0 | (cp >> 12));
		s[(*w)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[(*w)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		s[(*w)++] = (char)(0xf0 | (cp >> 18));
		s[(*w)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[(*w)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[(*w)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* Parse a string at p->pos (the opening quote); decode escapes in place. */
static int
parse_string(struct parser *p)
{
	size_t i, w;

	p->pos++; /* the quote */
	i = newtok(p, BF_JSON_STRING, p->pos);
	w = p->pos;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len)
			return fail(p, "unterminated string");
		c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20)
			return fail(p, "control character in string");
		if (c != '\\') {
			p->s[w++] = (char)c;
			p->pos++;
			continue;
		}
		if (++p->pos >= p->len)
			return fail(p, "unterminated string");
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			p->s[w++] = (char)c;
			break;
		case 'b': p->s[w++] = '\b'; break;
		case 'f': p->s[w++] = '\f'; break;
		case 'n': p->s[w++] = '\n'; break;
		case 'r': p->s[w++] = '\r'; break;
		case 't': p->s[w++] = '\t'; break;
		case 'u': {
			long cp = hex4(p);
			if (cp < 0)
				return fail(p, "bad \\u escape");
			if (cp >= 0xd800 && cp < 0xdc00) {
				long lo;
				if (p->len - p->pos < 6 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u')
					return fail(p, "lone surrogate");
				p->pos += 2;
				lo = hex4(p);
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(p, "lone surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				return fail(p, "lone surrogate");
			}
			put_utf8(p->s, &w, cp);
			break;
		}
		default:
			return fail(p, "bad escape");
		}
	}
	p->js->t[i].len = (uint32_t)(w - p->js->t[i].start);
	p->js->t[i].next = (uint32_t)(i + 1);
	return 0;
}

/* True when 'c' is a digit. */
static bool
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a number with RFC 8259's grammar. */
static int
parse_number(struct parser *p)
{
	size_t start = p->pos, i;

	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !isdig(p->s[p->pos]))
		return fail(p, "bad number");
	if (p->s[p->pos] == '0') {
		p->pos++;
	} else {
		while (p->pos < p->len && isdig(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !isdig(p->s[p->pos]))
			return fail(p, "bad number");
		while (p->pos < p->len && isdig(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len &&
		    (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !isdig(p->s[p->pos]))
			return fail(p, "bad number");
		while (p->pos < p->len && isdig(p->s[p->pos]))
			p->pos++;
	}
	i = newtok(p, BF_JSON_NUMBER, start);
	p->js->t[i].len = (uint32_t)(p->pos - start);
	p->js->t[i].next = (uint32_t)(i + 1);
	return 0;
}

/* Parse the literal 'word' as a token of 'type'. */
static int
parse_literal(struct parser *p, const char *word, int type)
{
	size_t n = strlen(word), i;

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	i = newtok(p, type, p->pos);
	p->js->t[i].len = (uint32_t)n;
	p->js->t[i].next = (uint32_t)(i + 1);
	p->pos += n;
	return 0;
}

static int parse_value(struct parser *p, int depth);

/* Parse an array or object starting at p->pos. */
static int
parse_container(struct parser *p, int depth, bool obj)
{
	size_t i = newtok(p, obj ? BF_JSON_OBJECT : BF_JSON_ARRAY, p->pos);
	char close = obj ? '}' : ']';
	uint32_t size = 0;

	if (depth >= JSON_DEPTH_MAX)
		return fail(p, "nesting too deep");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "expected a member name");
			if (parse_string(p) < 0)
				return -1;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "expected ':'");
			p->pos++;
			skip_ws(p);
		}
		if (parse_value(p, depth + 1) < 0)
			return -1;
		size++;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, "unexpected end");
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		return fail(p, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
done:
	p->js->t[i].size = size;
	p->js->t[i].len = (uint32_t)(p->pos - p->js->t[i].start);
	p->js->t[i].next = (uint32_t)p->js->n;
	return 0;
}

/* Parse any value at p->pos. */
static int
parse_value(struct parser *p, int depth)
{
	if (p->pos >= p->len)
		return fail(p, "unexpected end");
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, depth, true);
	case '[':
		return parse_container(p, depth, false);
	case '"':
		return parse_string(p);
	case 't':
		return parse_literal(p, "true", BF_JSON_TRUE);
	case 'f':
		return parse_literal(p, "false", BF_JSON_FALSE);
	case 'n':
		return parse_literal(p, "null", BF_JSON_NULL);
	default:
		return parse_number(p);
	}
}

int
bf_json_parse(struct bf_json *js, char *text, size_t len, struct bf_err *err)
{
	struct parser p = { js, text, len, 0, NULL };

	js->n = 0;
	js->text = text;
	if (len > UINT32_MAX)
		return bf_err_set(err, BF_EDATA, "invalid JSON: too large");
	skip_ws(&p);
	if (parse_value(&p, 0) == 0) {
		skip_ws(&p);
		if (p.pos != len)
			fail(&p, "trailing characters");
	}
	if (p.why != NULL) {
		js->n = 0;
		return bf_err_set(err, BF_EDATA, "invalid JSON at byte %zu: %s",
		    p.pos, p.why);
	}
	return 0;
}

long
bf_json_get(const struct bf_json *js, size_t obj, const char *key)
{
	size_t k, n;

	if (obj >= js->n || js->t[obj].type != BF_JSON_OBJECT)
		return -1;
	k = obj + 1;
	n = js->t[obj].size;
	for (size_t m = 0; m < n; m++) {
		size_t v = k + 1;
		if (bf_json_eq(js, k, key))
			return (long)v;
		k = js->t[v].next;
	}
	return -1;
}

long
bf_json_at(const struct bf_json *js, size_t arr, size_t k)
{
	size_t i;

	if (arr >= js->n || js->t[arr].type != BF_JSON_ARRAY ||
	    k >= js->t[arr].size)
		return -1;
	i = arr + 1;
	while (k-- > 0)
		i = js->t[i].next;
	return (long)i;
}

bool
bf_json_eq(const struct bf_json *js, size_t i, const char *s)
{
	size_t n = strlen(s);

	return js->t[i].type == BF_JSON_STRING && js->t[i].len == n &&
	    memcmp(js->text + js->t[i].start, s, n) == 0;
}

int
bf_json_i64(const struct bf_json *js, size_t i, int64_t *out)
{
	if (js->t[i].type != BF_JSON_NUMBER && js->t[i].type != BF_JSON_STRING)
		return -1;
	return bf_num_parse_i64(js->text + js->t[i].start, js->t[i].len, out);
}
