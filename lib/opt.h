/* SPDX-License-Identifier: MIT */
/*
 * opt.h - the options every tool shares, handled once (bf(7)).
 *
 * A tool puts BF_COMMON_LONGOPTS into its getopt_long table and
 * BF_COMMON_SHORTOPTS at the start of its short-option string (which
 * must begin with ':' so missing arguments are told apart), and passes
 * every option it does not handle itself to bf_opt_common:
 *
 *	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS "s:",
 *	    longopts, NULL)) != -1) {
 *		switch (ch) {
 *		case 's': ...; break;
 *		default: bf_opt_common(&common, ch, argv, usage_text);
 *		}
 *	}
 *	bf_opt_finish(&common);
 *
 *   -h, --help          usage_text on stdout, exit 0
 *   -V, --version       "PROG VERSION" on stdout, exit 0
 *   -c, --config FILE   configuration file (cfg.h)
 *   -f, --input-format  csv|json: do not sniff the input
 *   -o, --output-format csv|json: output format (default: the input's)
 *   -q, --quiet         errors only
 *   -v, --verbose       info messages; twice for debug
 *   -u, --unbuffered    flush every output record
 *   --digits N          significant digits of computed values (1-17)
 *   --log-json          messages as JSON lines
 */
#ifndef BF_OPT_H
#define BF_OPT_H

#include <getopt.h>

#include "compat.h"

enum {
	BF_OPT_DIGITS = 0x100,
	BF_OPT_LOG_JSON,
	BF_OPT_TOOL = 0x200 /* tools number their long-only options from here */
};

#define BF_COMMON_SHORTOPTS ":c:f:ho:quvV"

#define BF_COMMON_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "digits", required_argument, NULL, BF_OPT_DIGITS }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "input-format", required_argument, NULL, 'f' }, \
	{ "log-json", no_argument, NULL, BF_OPT_LOG_JSON }, \
	{ "output-format", required_argument, NULL, 'o' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "unbuffered", no_argument, NULL, 'u' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "version", no_argument, NULL, 'V' }

/* The help lines for the common options, for a tool's usage text. */
#define BF_COMMON_HELP \
	"  -c, --config FILE          configuration file (bf(7))\n" \
	"      --digits N             significant digits of computed values (12)\n" \
	"  -f, --input-format FMT     csv or json (default: sniffed)\n" \
	"  -h, --help                 this help\n" \
	"      --log-json             messages as JSON lines on stderr\n" \
	"  -o, --output-format FMT    csv or json (default: the input's)\n" \
	"  -q, --quiet                errors only\n" \
	"  -u, --unbuffered           flush every output record\n" \
	"  -v, --verbose              more messages (twice: debug)\n" \
	"  -V, --version              print the version\n"

struct bf_common {
	const char *config;	/* -c, borrowed from argv; NULL if unset */
	int in_fmt;		/* BF_FMT_*, AUTO = sniff */
	int out_fmt;		/* BF_FMT_*, AUTO = the input's */
	int verbosity;		/* BF_LOG_* */
	bool log_json;
	int digits;
	bool unbuffered;
};

void bf_opt_init(struct bf_common *c);

/*
 * Handle common option 'ch' (as getopt_long returned it, with optarg and
 * optind).  Returns normally for the options it handles; exits for -h,
 * -V, unknown options and bad values (exit 2).
 */
void bf_opt_common(struct bf_common *c, int ch, char *const argv[],
    const char *usage_text);

/* Apply the options (logging) once parsing is done. */
void bf_opt_finish(struct bf_common *c);

/*
 * An option's number in [min, max], or exit 2 with
 * "PROG: usage: NAME 'S': must be a number in [MIN, MAX]".
 */
double bf_opt_double(const char *name, const char *s, double min,
    double max);

/* The index of 's' among the 'n' 'words', or exit 2 naming NAME. */
int bf_opt_word(const char *name, const char *s, const char *const *words,
    int n);

/* The output format: c->out_fmt, or 'in_fmt' when that is AUTO. */
int bf_opt_out_format(const struct bf_common *c, int in_fmt);

#endif /* BF_OPT_H */
