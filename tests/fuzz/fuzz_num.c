/* SPDX-License-Identifier: MIT */
/*
 * fuzz_num.c - differential libFuzzer target for lib/num.c and the time
 * parser of lib/bftime.c.
 *
 * The input is used three ways, and any disagreement aborts:
 *   - as text for bf_num_parse, against a plain grammar check plus strtod
 *     (same acceptance, bit-identical doubles), and for bf_num_parse_i64
 *     against strtoll;
 *   - its first 8 bytes as a double and the 9th as a digit count, for
 *     bf_num_format against snprintf("%.*g");
 *   - as text for bf_time_parse: no crash, and a time it accepts within
 *     years 0000..9999 formats with bf_time_format_iso to text that
 *     parses back to the same time.
 * Built and run by `make check-fuzz` (briefly) and `make fuzz`.
 */
#include "bf.h"

#include <errno.h>
#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The grammar of num.h, written the obvious way: 1 if 's' matches. */
static int
well_formed(const char *s, size_t len)
{
	size_t i = 0;
	int digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits = 1;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits = 1;
	if (!digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == len;
}

/* Compare bf_num_parse and bf_num_parse_i64 with the C library. */
static void
check_parse(const char *text, size_t len)
{
	double got, want;
	int64_t gi;
	long long wi;
	int r = bf_num_parse(text, len, &got), ok;
	char *end;

	want = strtod(text, &end);
	ok = well_formed(text, len) && isfinite(want);
	if ((r == 0) != ok)
		abort();
	if (ok && memcmp(&got, &want, sizeof(got)) != 0)
		abort();

	/* Integers: an optional sign, then digits only, within int64. */
	r = bf_num_parse_i64(text, len, &gi);
	ok = len > 0;
	for (size_t i = 0; ok && i < len; i++)
		ok = (text[i] >= '0' && text[i] <= '9') ||
		    (i == 0 && len > 1 && (text[i] == '+' || text[i] == '-'));
	errno = 0;
	wi = strtoll(text, &end, 10);
	ok = ok && errno == 0;
	if ((r == 0) != ok || (ok && gi != wi))
		abort();
}

/* Compare bf_num_format with snprintf. */
static void
check_format(const uint8_t *data)
{
	char got[BF_NUM_BUFSZ], want[64];
	double v;
	int digits = 1 + data[8] % 17;
	size_t n;

	memcpy(&v, data, sizeof(v));
	n = bf_num_format(got, v, digits);
	snprintf(want, sizeof(want), "%.*g", digits, v);
	if (strcmp(got, want) != 0 || n != strlen(want))
		abort();
}

/* bf_time_parse must not crash, and what it gives must round-trip. */
static void
check_time(const char *text)
{
	char iso[BF_TIME_BUFSZ];
	int64_t t, back;

	if (bf_time_parse(text, 1704067200000LL, &t, NULL) != 0)
		return;
	if (t < -62167219200000LL || t >= 253402300800000LL)
		return;		/* outside years 0000..9999 */
	bf_time_format_iso(iso, t);
	if (bf_time_parse(iso, 0, &back, NULL) != 0 || back != t)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[96];

	if (size >= 9)
		check_format(data);
	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) != size)
		return 0;	/* an embedded NUL: strtod would stop there */
	check_parse(text, size);
	check_time(text);
	return 0;
}
