/* SPDX-License-Identifier: MIT */
/*
 * opt.c - the common options.  See opt.h.
 */
#include "compat.h"

#include "bf.h"
#include "opt.h"

void
bf_opt_init(struct bf_common *c)
{
	memset(c, 0, sizeof(*c));
	c->in_fmt = BF_FMT_AUTO;
	c->out_fmt = BF_FMT_AUTO;
	c->verbosity = BF_LOG_NORMAL;
	c->digits = BF_NUM_DIGITS;
	opterr = 0; /* we print our own messages */
}

void
bf_opt_common(struct bf_common *c, int ch, char *const argv[],
    const char *usage_text)
{
	long long v;
	int f;

	switch (ch) {
	case 'c':
		c->config = optarg;
		break;
	case 'f':
		if ((f = bf_format_parse(optarg)) < 0)
			bf_usage_error("input format '%s': must be csv or json",
			    optarg);
		c->in_fmt = f;
		break;
	case 'h':
		fputs(usage_text, stdout);
		exit(fflush(stdout) == 0 ? BF_EXIT_OK : BF_EXIT_FAIL);
	case 'o':
		if ((f = bf_format_parse(optarg)) < 0)
			bf_usage_error("output format '%s': must be csv or json",
			    optarg);
		c->out_fmt = f;
		break;
	case 'q':
		c->verbosity = BF_LOG_QUIET;
		break;
	case 'u':
		c->unbuffered = true;
		break;
	case 'v':
		if (c->verbosity < BF_LOG_DEBUG)
			c->verbosity++;
		break;
	case 'V':
		printf("%s %s\n", bf_progname(), BF_VERSION);
		exit(fflush(stdout) == 0 ? BF_EXIT_OK : BF_EXIT_FAIL);
	case BF_OPT_DIGITS:
		if (bf_parse_long(optarg, 1, 17, &v) < 0)
			bf_usage_error("digits '%s': must be 1..17", optarg);
		c->digits = (int)v;
		break;
	case BF_OPT_LOG_JSON:
		c->log_json = true;
		bf_log_setup(c->verbosity, true);
		break;
	case ':':
		bf_usage_error("option '%s' needs a value", argv[optind - 1]);
	case '?':
		if (optopt && optopt < 0x100)
			bf_usage_error("unknown option '-%c'", optopt);
		bf_usage_error("unknown option '%s'", argv[optind - 1]);
	default:
		bf_usage_error("unhandled option '%s'", argv[optind - 1]);
	}
}

void
bf_opt_finish(struct bf_common *c)
{
	bf_log_setup(c->verbosity, c->log_json);
}

int
bf_opt_out_format(const struct bf_common *c, int in_fmt)
{
	if (c->out_fmt != BF_FMT_AUTO)
		return c->out_fmt;
	return in_fmt == BF_FMT_JSON ? BF_FMT_JSON : BF_FMT_CSV;
}

double
bf_opt_double(const char *name, const char *s, double min, double max)
{
	double v;

	if (bf_parse_double(s, &v) < 0 || v < min || v > max)
		bf_usage_error("%s '%s': must be a number in [%g, %g]", name,
		    s, min, max);
	return v;
}

int
bf_opt_word(const char *name, const char *s, const char *const *words,
    int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	bf_usage_error("%s '%s': unknown value", name, s);
}
