/* SPDX-License-Identifier: MIT */
/*
 * num.c - decimal text <-> double.  See num.h.
 *
 * This first version leans on strtod and snprintf; the fast paths are
 * to come, tested against these very functions.
 */
#include "compat.h"

#include <errno.h>
#include <math.h>

#include "num.h"

int
bf_num_parse(const char *s, size_t len, double *out)
{
	char tmp[128], *end;
	size_t i = 0;
	bool digits = false;
	double v;

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits = true;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits = true;
	if (!digits)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= len || s[j] < '0' || s[j] > '9')
			return -1;
		for (; j < len && s[j] >= '0' && s[j] <= '9'; j++)
			;
		i = j;
	}
	if (i != len)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtod(tmp, &end);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
bf_num_parse_i64(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0;

	if (len == 0)
		return -1;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

size_t
bf_num_format(char *buf, double v, int digits)
{
	int n;

	if (digits < 1)
		digits = 1;
	if (digits > 17)
		digits = 17;
	n = snprintf(buf, BF_NUM_BUFSZ, "%.*g", digits, v);
	return n < 0 ? 0 : (size_t)n;
}

size_t
bf_num_format_i64(char *buf, int64_t v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}
