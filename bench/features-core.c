/* SPDX-License-Identifier: MIT */
/*
 * features-core - the feature computation alone, on klines held in
 * memory: no parsing, no formatting.  The figure to set beside TA-Lib's
 * functions computing the same indicators on arrays (bench/features.sh).
 *
 * usage: features-core [-n REPEAT] [SELECTION] < klines.csv
 * prints "rows N seconds S rows_per_s R columns C" on stdout.
 */
#include "bf.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

#include "feature.h"

/* Monotonic seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Load the klines, then time the updates alone. */
int
main(int argc, char *argv[])
{
	static const char *const cols[] = { "open_time", "open", "high",
		"low", "close", "volume" };
	struct bf_err err = BF_ERR_INIT;
	struct bf_feat_opts o = { false, NULL, NULL };
	struct bf_feat_bar *bars = NULL;
	struct bf_reader *rd;
	struct bf_feature *f;
	double *out, t0, dt, sink = 0;
	size_t n = 0, cap = 0;
	long repeat = 1;
	int idx[6], ch, r;

	bf_setprogname("features-core");
	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch == 'n')
			repeat = strtol(optarg, NULL, 10);
		else
			return BF_EXIT_USAGE;
	}
	rd = bf_reader_new(0, "stdin", BF_FMT_AUTO);
	if (bf_reader_start(rd, &err) <= 0 ||
	    bf_reader_require(rd, cols, idx, 6, &err) < 0)
		bf_die_err(&err);
	while ((r = bf_reader_next(rd, &err)) > 0) {
		double x[6];

		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			bars = bf_xrealloc(bars, cap * sizeof(*bars));
		}
		for (int i = 0; i < 6; i++)
			if (bf_reader_double(rd, idx[i], &x[i], &err) < 0)
				bf_die_err(&err);
		bars[n].open_time = (int64_t)x[0];
		bars[n].close_time = (int64_t)x[0] + 59999;
		bars[n].open = x[1];
		bars[n].high = x[2];
		bars[n].low = x[3];
		bars[n].close = x[4];
		bars[n].volume = x[5];
		bars[n].taker_buy_volume = NAN;
		n++;
	}
	if (r < 0)
		bf_die_err(&err);
	bf_reader_free(rd);
	f = bf_feature_new(optind < argc ? argv[optind] : NULL, &o, &err);
	if (f == NULL)
		bf_die_err(&err);
	bf_feature_set_bars_per_year(f, 525600);
	out = bf_xcalloc(bf_feature_ncols(f), sizeof(*out));
	t0 = now();
	for (long k = 0; k < repeat; k++)
		for (size_t i = 0; i < n; i++) {
			if (bf_feature_update(f, &bars[i], out, &err) < 0)
				bf_die_err(&err);
			sink += out[0];
		}
	dt = now() - t0;
	printf("rows %zu seconds %.3f rows_per_s %.0f columns %zu%s\n",
	    n * (size_t)repeat, dt, dt > 0 ? (double)n * (double)repeat / dt : 0,
	    bf_feature_ncols(f), sink == 1234.5 ? " " : "");
	bf_feature_free(f);
	free(out);
	free(bars);
	return 0;
}
