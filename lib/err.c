/* SPDX-License-Identifier: MIT */
/*
 * err.c - struct bf_err helpers.  See err.h.
 */
#include "compat.h"

#include "bf.h"
#include "err.h"

static void
sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

int
bf_err_vset(struct bf_err *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	sanitize(err->msg);
	return code;
}

int
bf_err_set(struct bf_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bf_err_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void
bf_err_prefix(struct bf_err *err, const char *fmt, ...)
{
	char pre[256], old[sizeof(err->msg)];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", pre, old);
	sanitize(err->msg);
}

void
bf_err_clear(struct bf_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->upstream = 0;
	err->line = 0;
	err->msg[0] = '\0';
}

int
bf_err_exit(int code)
{
	switch (code) {
	case BF_EOK:
		return BF_EXIT_OK;
	case BF_EUSAGE:
		return BF_EXIT_USAGE;
	case BF_EDATA:
		return BF_EXIT_DATA;
	default:
		return BF_EXIT_FAIL;
	}
}
