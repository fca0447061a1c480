/* SPDX-License-Identifier: MIT */
/*
 * json.h - a strict JSON tokenizer that keeps the text of every scalar.
 *
 * The exchange sends prices as strings and some values (ids, times,
 * leverage brackets) as JSON numbers; bf passes both through as the exact
 * text received.  A DOM that converts numbers to doubles (jansson) cannot
 * do that, so this module parses a document into a flat array of tokens
 * in document order, each holding the span of its text:
 *
 *  - a string token spans its contents without the quotes, escapes
 *    already decoded (in place: the parser rewrites the caller's buffer);
 *  - a number, true, false or null token spans its literal text;
 *  - an array or object token counts its children ('size': elements, or
 *    members) and is followed by them; an object's members are a key
 *    (string) token followed by the value's tokens.
 *
 * Every token knows where its subtree ends ('next': the index of the
 * token after it), so walking siblings is O(1) per step.  The grammar is
 * RFC 8259's, strictly (no trailing commas, no comments, no leading zeros,
 * nesting at most 128 deep); anything else is an error with its offset.
 *
 * Ownership: the bf_json owns its token array; token text points into the
 * buffer given to bf_json_parse, which the caller keeps alive.
 */
#ifndef BF_JSON_H
#define BF_JSON_H

#include "compat.h"
#include "err.h"

enum {
	BF_JSON_NULL = 0,
	BF_JSON_TRUE,
	BF_JSON_FALSE,
	BF_JSON_NUMBER,
	BF_JSON_STRING,
	BF_JSON_ARRAY,
	BF_JSON_OBJECT
};

struct bf_jtok {
	uint8_t type;	/* BF_JSON_* */
	uint32_t start; /* offset of the text in the buffer */
	uint32_t len;	/* length of the text (strings: decoded) */
	uint32_t size;	/* arrays: elements; objects: members */
	uint32_t next;	/* index of the token after this subtree */
};

struct bf_json {
	struct bf_jtok *t; /* owned */
	size_t n;	   /* tokens in use */
	size_t cap;
	const char *text;  /* borrowed: the parsed buffer */
};

#define BF_JSON_INIT { NULL, 0, 0, NULL }

void bf_json_init(struct bf_json *js);
void bf_json_release(struct bf_json *js);

/*
 * Parse the 'len' bytes at 'text' (rewritten in place where strings
 * have escapes; need not be NUL-terminated).  Returns 0, or BF_EDATA
 * with "invalid JSON at byte N: what" in 'err'.  Token 0 is the root.
 */
int bf_json_parse(struct bf_json *js, char *text, size_t len,
    struct bf_err *err);

/* The first child of container token 'i' (valid when its size > 0). */
static inline size_t
bf_json_child(const struct bf_json *js, size_t i)
{
	(void)js;
	return i + 1;
}

/* The next sibling of token 'i' (for an object member's key: its value). */
static inline size_t
bf_json_next(const struct bf_json *js, size_t i)
{
	return js->t[i].next;
}

/* The value of member 'key' of object token 'obj', or -1. */
long bf_json_get(const struct bf_json *js, size_t obj, const char *key);

/* Element 'k' of array token 'arr', or -1. */
long bf_json_at(const struct bf_json *js, size_t arr, size_t k);

/* The text of token 'i' (not NUL-terminated) and its length. */
static inline const char *
bf_json_text(const struct bf_json *js, size_t i, size_t *len)
{
	*len = js->t[i].len;
	return js->text + js->t[i].start;
}

/* True when token 'i' equals the string 's'. */
bool bf_json_eq(const struct bf_json *js, size_t i, const char *s);

/*
 * Token 'i' as an integer: a number token, or a string holding one.
 * Returns 0, or -1 when it is neither.
 */
int bf_json_i64(const struct bf_json *js, size_t i, int64_t *out);

#endif /* BF_JSON_H */
