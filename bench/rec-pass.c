/* SPDX-License-Identifier: MIT */
/*
 * rec-pass - read records and write every field back out: the record I/O
 * passthrough benchmark, also used by the CLI tests of the record layer.
 *
 * usage: rec-pass [-f csv|json] [-o csv|json] [-n column] [-pt] < in > out
 *   -n   this column, when present, must hold numbers (else exit 3)
 *   -t   print "rows N seconds S rows_per_s R" on stderr at the end
 *   -p   parse every field as a number too (missing and text are skipped)
 */
#include "bf.h"

#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(int argc, char *argv[])
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd;
	struct bf_writer *w;
	int in_fmt = BF_FMT_AUTO, out_fmt = BF_FMT_AUTO, ch, r;
	bool timing = false, parse = false;
	long long rows = 0;
	const char *numcol = NULL;
	int ncol = -1;
	double t0, sum = 0;

	bf_setprogname("rec-pass");
	while ((ch = getopt(argc, argv, "f:n:o:pt")) != -1) {
		switch (ch) {
		case 'f':
			in_fmt = bf_format_parse(optarg);
			break;
		case 'n':
			numcol = optarg;
			break;
		case 'o':
			out_fmt = bf_format_parse(optarg);
			break;
		case 'p':
			parse = true;
			break;
		case 't':
			timing = true;
			break;
		default:
			fputs("usage: rec-pass [-f fmt] [-o fmt] [-pt]\n", stderr);
			return BF_EXIT_USAGE;
		}
	}
	t0 = now();
	rd = bf_reader_new(0, "stdin", in_fmt < 0 ? BF_FMT_AUTO : in_fmt);
	r = bf_reader_start(rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0) {
		bf_reader_free(rd);
		return 0;
	}
	if (out_fmt <= 0)
		out_fmt = bf_reader_format(rd);
	w = bf_writer_new(1, out_fmt, BF_NUM_DIGITS, 0);
	bf_writer_start(w, rd, NULL, 0, &err);
	bf_writer_link(w, rd);
	if (numcol)
		ncol = bf_reader_col(rd, numcol);
	while ((r = bf_reader_next(rd, &err)) > 0) {
		if (ncol >= 0) {
			double v;
			if ((r = bf_reader_double(rd, ncol, &v, &err)) < 0)
				break;
		}
		if (parse) {
			for (size_t i = 0; i < bf_reader_ncols(rd); i++) {
				const struct bf_field *f = bf_reader_field(rd, i);
				double v;
				if (bf_num_parse(f->s, f->len, &v) == 0)
					sum += v;
			}
		}
		if (bf_writer_emit(w, rd, &err) < 0)
			break;
		rows++;
	}
	if (r < 0) {
		bf_writer_close(w, NULL);
		bf_reader_free(rd);
		bf_die_err(&err);
	}
	if (bf_writer_close(w, &err) < 0) {
		bf_reader_free(rd);
		bf_die_err(&err);
	}
	bf_reader_free(rd);
	if (timing) {
		double dt = now() - t0;
		fprintf(stderr, "rows %lld seconds %.3f rows_per_s %.0f%s\n",
		    rows, dt, dt > 0 ? (double)rows / dt : 0.0,
		    sum == 12345.678 ? " " : "");
	}
	return 0;
}
