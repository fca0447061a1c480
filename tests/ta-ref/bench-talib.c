/* SPDX-License-Identifier: MIT */
/*
 * bench-talib.c - TA-Lib's C functions computing, on arrays, the same
 * indicators as bf-features' TA-Lib-equivalent columns (ROCP 1 5 20 60,
 * ROC 5 20 60, MOM 10, RSI 14, MACD 12/26/9, BBANDS 20/2, ATR, NATR,
 * ADX, PLUS_DI, MINUS_DI 14, EMA and SMA 10 20 50 200, STOCH 14/3/3,
 * CCI 20, WILLR 14, MFI 14, OBV, AD, ROC 14 of the volume: 38 columns).
 *
 * Not part of the build (TA-Lib is not a dependency): bench/features.sh
 * compiles it against TA-Lib's sources when they are present (see
 * tests/ta-ref/gen.sh for where they come from).
 *
 * usage: bench-talib < klines.csv
 * prints "rows N seconds S rows_per_s R" (the time of the calls alone,
 * best of 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ta_libc.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(void)
{
	static char line[4096];
	size_t n = 0, cap = 1 << 16;
	double *o = malloc(cap * 8), *h = malloc(cap * 8), *l = malloc(cap * 8);
	double *c = malloc(cap * 8), *v = malloc(cap * 8);
	double *a, *b, *d, best = 1e30;
	int beg, nb, i;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *p = strchr(line, ',');

		if (n == cap) {
			cap *= 2;
			o = realloc(o, cap * 8);
			h = realloc(h, cap * 8);
			l = realloc(l, cap * 8);
			c = realloc(c, cap * 8);
			v = realloc(v, cap * 8);
		}
		o[n] = strtod(p + 1, &p);
		h[n] = strtod(p + 1, &p);
		l[n] = strtod(p + 1, &p);
		c[n] = strtod(p + 1, &p);
		v[n] = strtod(p + 1, &p);
		n++;
	}
	a = malloc(n * 8);
	b = malloc(n * 8);
	d = malloc(n * 8);
	TA_Initialize();
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now(), dt;
		int e = (int)n - 1;
		static const int rocp[] = { 1, 5, 20, 60 }, roc[] = { 5, 20, 60 };
		static const int ma[] = { 10, 20, 50, 200 };

		for (i = 0; i < 4; i++)
			TA_ROCP(0, e, c, rocp[i], &beg, &nb, a);
		for (i = 0; i < 3; i++)
			TA_ROC(0, e, c, roc[i], &beg, &nb, a);
		TA_MOM(0, e, c, 10, &beg, &nb, a);
		TA_RSI(0, e, c, 14, &beg, &nb, a);
		TA_MACD(0, e, c, 12, 26, 9, &beg, &nb, a, b, d);
		TA_BBANDS(0, e, c, 20, 2, 2, TA_MAType_SMA, &beg, &nb, a, b, d);
		TA_ATR(0, e, h, l, c, 14, &beg, &nb, a);
		TA_NATR(0, e, h, l, c, 14, &beg, &nb, a);
		TA_ADX(0, e, h, l, c, 14, &beg, &nb, a);
		TA_PLUS_DI(0, e, h, l, c, 14, &beg, &nb, a);
		TA_MINUS_DI(0, e, h, l, c, 14, &beg, &nb, a);
		for (i = 0; i < 4; i++) {
			TA_EMA(0, e, c, ma[i], &beg, &nb, a);
			TA_SMA(0, e, c, ma[i], &beg, &nb, a);
		}
		TA_STOCH(0, e, h, l, c, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA,
		    &beg, &nb, a, b);
		TA_CCI(0, e, h, l, c, 20, &beg, &nb, a);
		TA_WILLR(0, e, h, l, c, 14, &beg, &nb, a);
		TA_MFI(0, e, h, l, c, v, 14, &beg, &nb, a);
		TA_OBV(0, e, c, v, &beg, &nb, a);
		TA_AD(0, e, h, l, c, v, &beg, &nb, a);
		TA_ROC(0, e, v, 14, &beg, &nb, a);
		dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	TA_Shutdown();
	printf("rows %zu seconds %.3f rows_per_s %.0f%s\n", n, best,
	    (double)n / best, o[0] == 1234.5 ? " " : "");
	return 0;
}
