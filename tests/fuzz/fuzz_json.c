/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - libFuzzer target for lib/json.c, the tokenizer every
 * exchange answer and stream message goes through.
 *
 * For any input: no crash, and when it is accepted, the token array is
 * consistent (every subtree ends inside the array, a container's 'size'
 * is the number of its children, an object's children alternate string
 * keys and values) and every scalar's text lies inside the input.  As a
 * differential check, a document jansson accepts (nesting within ours)
 * must be accepted too.
 * Built and run by `make check-fuzz` (briefly) and `make fuzz`.
 */
#include "bf.h"

#include <jansson.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check the subtree at 'i'; returns the index after it. */
static size_t
check(const struct bf_json *js, size_t i, size_t len, int depth)
{
	const struct bf_jtok *t = &js->t[i];
	size_t k = i + 1, n = 0;

	if (t->next <= i || t->next > js->n || depth > 200)
		abort();
	if (t->type != BF_JSON_ARRAY && t->type != BF_JSON_OBJECT) {
		if (t->next != i + 1 || (size_t)t->start + t->len > len)
			abort();
		return t->next;
	}
	while (k < t->next) {
		if (t->type == BF_JSON_OBJECT && n % 2 == 0 &&
		    js->t[k].type != BF_JSON_STRING)
			abort();
		k = check(js, k, len, depth + 1);
		n++;
	}
	if (k != t->next)
		abort();
	if (t->type == BF_JSON_OBJECT ? n != 2 * (size_t)t->size :
	    n != t->size)
		abort();
	return k;
}

/* The nesting depth of the input, counting brackets outside strings. */
static int
depth_of(const uint8_t *d, size_t n)
{
	int depth = 0, max = 0;
	bool str = false;

	for (size_t i = 0; i < n; i++) {
		if (str) {
			if (d[i] == '\\')
				i++;
			else if (d[i] == '"')
				str = false;
		} else if (d[i] == '"') {
			str = true;
		} else if (d[i] == '[' || d[i] == '{') {
			if (++depth > max)
				max = depth;
		} else if (d[i] == ']' || d[i] == '}') {
			depth--;
		}
	}
	return max;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_err err = BF_ERR_INIT;
	char *buf = malloc(size + 1);
	json_error_t jerr;
	json_t *j;
	int r;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	r = bf_json_parse(&js, buf, size, &err);
	if (r == 0) {
		if (js.n == 0 || check(&js, 0, size, 0) != js.n)
			abort();
	} else if (r != BF_EDATA || strstr(err.msg, "invalid JSON") == NULL) {
		abort();
	}
	j = json_loadb((const char *)data, size,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	/* jansson stops at a NUL byte; we reject it. */
	if (j != NULL && r != 0 && depth_of(data, size) < 120 &&
	    memchr(data, 0, size) == NULL)
		abort();
	json_decref(j);
	bf_json_release(&js);
	free(buf);
	return 0;
}
