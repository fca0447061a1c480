/* SPDX-License-Identifier: MIT */
/*
 * log.c - stderr messages for tools.  See log.h.
 */
#include "compat.h"

#include <unistd.h>

#include "bf.h"
#include "log.h"

static const char *progname = "bf";
static int verbosity = BF_LOG_NORMAL;
static bool log_json;
static bool progress_shown;

void
bf_setprogname(const char *name)
{
	progname = name;
}

const char *
bf_progname(void)
{
	return progname;
}

void
bf_log_setup(int v, bool json)
{
	verbosity = v;
	log_json = json;
}

int
bf_log_verbosity(void)
{
	return verbosity;
}

/* Append 's' to 'out' as the inside of a JSON string. */
static size_t
json_escape(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s && n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			out[n++] = '?';
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return n;
}

static void
vreport(const char *level, const char *fmt, va_list ap)
{
	char msg[1024], line[2200];
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (log_json) {
		char esc[2100];
		json_escape(esc, sizeof(esc), msg);
		n = snprintf(line, sizeof(line),
		    "{\"prog\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}\n",
		    progname, level[0] ? level : "error", esc);
	} else {
		/* Notices are untagged lines, like errors. */
		bool tag = level[0] && strcmp(level, "notice") != 0;
		n = snprintf(line, sizeof(line), "%s: %s%s%s\n", progname,
		    tag ? level : "", tag ? ": " : "", msg);
	}
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (progress_shown) {
		bf_progress_done();
	}
	/* One write, so lines of concurrent pipeline stages do not mix. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nothing sensible left to do */
	}
}

void
bf_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void
bf_warn(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < BF_LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}

void
bf_notice(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < BF_LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vreport("notice", fmt, ap);
	va_end(ap);
}

void
bf_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < BF_LOG_INFO)
		return;
	va_start(ap, fmt);
	vreport("info", fmt, ap);
	va_end(ap);
}

void
bf_debug(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < BF_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	vreport("debug", fmt, ap);
	va_end(ap);
}

_Noreturn void
bf_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(status);
}

_Noreturn void
bf_die_err(const struct bf_err *err)
{
	bf_error("%s", err->msg[0] ? err->msg : "unknown error");
	exit(bf_err_exit(err->code));
}

_Noreturn void
bf_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_error("usage: %s", msg);
	if (!log_json)
		fprintf(stderr, "try '%s --help'\n", progname);
	exit(BF_EXIT_USAGE);
}

bool
bf_progress_enabled(void)
{
	return verbosity >= BF_LOG_NORMAL && !log_json &&
	    isatty(STDERR_FILENO);
}

void
bf_progress(const char *fmt, ...)
{
	char msg[512], line[600];
	va_list ap;
	int n;

	if (!bf_progress_enabled())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = snprintf(line, sizeof(line), "\r%s: %s\033[K", progname, msg);
	if (n > 0 && write(STDERR_FILENO, line,
	    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) > 0)
		progress_shown = true;
}

void
bf_progress_done(void)
{
	if (progress_shown) {
		progress_shown = false;
		if (write(STDERR_FILENO, "\n", 1) < 0) {
			/* ignore */
		}
	}
}
