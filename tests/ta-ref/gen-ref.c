/* SPDX-License-Identifier: MIT */
/*
 * gen-ref.c - write synthetic klines and TA-Lib's own outputs on them,
 * the reference fixtures of tests/unit/check_feature.c.
 *
 * Not part of the build: gen.sh compiles it against TA-Lib's C sources
 * (which need not be installed anywhere else) and runs it.  Output:
 *
 *   gen-ref SERIES ROWS START_PRICE TICK SEED KLINES_OUT REF_OUT
 *
 * KLINES_OUT is a kline CSV (all eleven columns); REF_OUT has one column
 * per bf-features column that TA-Lib computes, named as bf-features
 * names it, with TA-Lib's value on each row (%.17g, empty inside the
 * lookback).  The random walk (splitmix64 + Box-Muller, fixed seed)
 * has a flat stretch (open = high = low = close, zero volume), scattered
 * zero-volume bars, and a spike.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_libc.h"

static uint64_t rng;

static double
uni(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return sqrt(-2 * log(uni())) * cos(2 * M_PI * uni());
}

/* Round 'v' to 'tick' and return the value its printed text parses to. */
static double
quant(double v, double tick, int dec, char *buf, size_t sz)
{
	v = round(v / tick) * tick;
	snprintf(buf, sz, "%.*f", dec, v);
	return strtod(buf, NULL);
}

#define MAXCOL 128

static int N;
static double *o, *h, *l, *c, *v;
static const char *names[MAXCOL];
static double *vals[MAXCOL];
static int ncol;

/* A new output column 'name' filled with NaN; returns its array. */
static double *
col(const char *name)
{
	double *a = malloc(sizeof(double) * (size_t)N);

	for (int i = 0; i < N; i++)
		a[i] = NAN;
	names[ncol] = strdup(name);
	vals[ncol++] = a;
	return a;
}

/* Shift TA-Lib's output 'tmp' (beg, nb) into row-aligned 'dst'. */
static void
place(double *dst, const double *tmp, int beg, int nb)
{
	for (int i = 0; i < nb; i++)
		dst[beg + i] = tmp[i];
}

#define CHECK(x) do { if ((x) != TA_SUCCESS) { \
	fprintf(stderr, "gen-ref: %s failed\n", #x); exit(1); } } while (0)

static double *tmp1, *tmp2, *tmp3;

static int reference(FILE *fr);

/*
 * Read klines from the CSV file 'in' (open_time, open, high, low, close,
 * volume first, as Binance orders them) and write the reference of
 * those to 'ref': for checking bf-features on any data, such as the
 * real files, which are never committed.
 */
static int
from_file(const char *in, const char *ref)
{
	static char line[4096];
	FILE *fi = fopen(in, "r"), *fr = fopen(ref, "w");
	size_t cap = 1 << 16;

	if (fi == NULL || fr == NULL || fgets(line, sizeof(line), fi) == NULL)
		return 1;
	o = malloc(cap * 8);
	h = malloc(cap * 8);
	l = malloc(cap * 8);
	c = malloc(cap * 8);
	v = malloc(cap * 8);
	while (fgets(line, sizeof(line), fi) != NULL) {
		char *p = strchr(line, ',');

		if ((size_t)N == cap) {
			cap *= 2;
			o = realloc(o, cap * 8);
			h = realloc(h, cap * 8);
			l = realloc(l, cap * 8);
			c = realloc(c, cap * 8);
			v = realloc(v, cap * 8);
		}
		o[N] = strtod(p + 1, &p);
		h[N] = strtod(p + 1, &p);
		l[N] = strtod(p + 1, &p);
		c[N] = strtod(p + 1, &p);
		v[N] = strtod(p + 1, &p);
		N++;
	}
	fclose(fi);
	tmp1 = malloc(sizeof(double) * (size_t)N);
	tmp2 = malloc(sizeof(double) * (size_t)N);
	tmp3 = malloc(sizeof(double) * (size_t)N);
	return reference(fr);
}

/* Run TA-Lib call 'call' and store its single output as column 'name'. */
#define ONE(name, call) do { CHECK(call); \
	place(col(name), tmp1, beg, nb); } while (0)

int
main(int argc, char **argv)
{
	int i, dec;
	double p, tick, start;
	char bo[64], bh[64], bl[64], bc[64], bv[64];
	FILE *fk, *fr;
	int64_t t0 = 1699999980000LL;

	if (argc == 4 && strcmp(argv[1], "file") == 0)
		return from_file(argv[2], argv[3]);
	if (argc != 8) {
		fprintf(stderr, "usage: gen-ref SERIES ROWS START TICK SEED KLINES REF\n"
		    "       gen-ref file KLINES REF\n");
		return 2;
	}
	N = atoi(argv[2]);
	start = strtod(argv[3], NULL);
	tick = strtod(argv[4], NULL);
	rng = strtoull(argv[5], NULL, 10);
	dec = (int)lround(-log10(tick));
	if (dec < 0)
		dec = 0;
	o = malloc(sizeof(double) * (size_t)N);
	h = malloc(sizeof(double) * (size_t)N);
	l = malloc(sizeof(double) * (size_t)N);
	c = malloc(sizeof(double) * (size_t)N);
	v = malloc(sizeof(double) * (size_t)N);
	tmp1 = malloc(sizeof(double) * (size_t)N);
	tmp2 = malloc(sizeof(double) * (size_t)N);
	tmp3 = malloc(sizeof(double) * (size_t)N);
	fk = fopen(argv[6], "w");
	fr = fopen(argv[7], "w");
	if (fk == NULL || fr == NULL)
		return 1;
	fprintf(fk, "open_time,open,high,low,close,volume,close_time,"
	    "quote_volume,trades,taker_buy_volume,taker_buy_quote_volume\n");
	p = start;
	for (i = 0; i < N; i++) {
		double cl, hi, lo, vol, tb;
		bool flat = i >= N / 4 && i < N / 4 + 60;

		o[i] = quant(p, tick, dec, bo, sizeof(bo));
		if (flat) {
			c[i] = h[i] = l[i] = o[i];
			snprintf(bc, sizeof(bc), "%s", bo);
			snprintf(bh, sizeof(bh), "%s", bo);
			snprintf(bl, sizeof(bl), "%s", bo);
			v[i] = 0;
			snprintf(bv, sizeof(bv), "0");
			tb = 0;
		} else {
			double r = 0.002 * gauss();

			if (i == N / 2)
				r = 0.08;	/* a spike */
			cl = p * exp(r);
			hi = fmax(p, cl) * (1 + 0.001 * fabs(gauss()));
			lo = fmin(p, cl) * (1 - 0.001 * fabs(gauss()));
			c[i] = quant(cl, tick, dec, bc, sizeof(bc));
			h[i] = quant(hi, tick, dec, bh, sizeof(bh));
			l[i] = quant(lo, tick, dec, bl, sizeof(bl));
			if (h[i] < fmax(o[i], c[i]))
				h[i] = quant(fmax(o[i], c[i]), tick, dec, bh,
				    sizeof(bh));
			if (l[i] > fmin(o[i], c[i]))
				l[i] = quant(fmin(o[i], c[i]), tick, dec, bl,
				    sizeof(bl));
			vol = uni() < 0.03 ? 0 : exp(3 + gauss());
			v[i] = quant(vol, 0.001, 3, bv, sizeof(bv));
			tb = round(v[i] * uni() * 1000) / 1000;
			p = c[i];
		}
		fprintf(fk, "%lld,%s,%s,%s,%s,%s,%lld,%.4f,%d,%.3f,%.4f\n",
		    (long long)(t0 + 60000LL * i), bo, bh, bl, bc, bv,
		    (long long)(t0 + 60000LL * i + 59999), v[i] * c[i],
		    v[i] > 0 ? (int)(v[i] * 7) + 1 : 0, tb, tb * c[i]);
	}
	fclose(fk);
	return reference(fr);
}

/*
 * Compute every reference column on o, h, l, c, v (N rows) and write
 * them to 'fr'.
 */
static int
reference(FILE *fr)
{
	char nm[64];
	int beg, nb, i;

	CHECK(TA_Initialize());

#define PERIODS(X) for (const int *pp = X; *pp; pp++)
	{
		static const int rets[] = { 1, 5, 20, 60, 0 };
		PERIODS(rets) {
			snprintf(nm, sizeof(nm), "ret_%d", *pp);
			ONE(nm, TA_ROCP(0, N - 1, c, *pp, &beg, &nb, tmp1));
		}
		static const int rocs[] = { 5, 20, 60, 0 };
		PERIODS(rocs) {
			snprintf(nm, sizeof(nm), "roc_%d", *pp);
			ONE(nm, TA_ROC(0, N - 1, c, *pp, &beg, &nb, tmp1));
		}
		ONE("mom_10", TA_MOM(0, N - 1, c, 10, &beg, &nb, tmp1));
		static const int rsis[] = { 14, 7, 0 };
		PERIODS(rsis) {
			snprintf(nm, sizeof(nm), "rsi_%d", *pp);
			ONE(nm, TA_RSI(0, N - 1, c, *pp, &beg, &nb, tmp1));
		}
	}
	{
		struct { int f, s, g; const char *suf; } m[] = {
			{ 12, 26, 9, "" }, { 5, 35, 5, "_5_35_5" } };
		for (i = 0; i < 2; i++) {
			CHECK(TA_MACD(0, N - 1, c, m[i].f, m[i].s, m[i].g, &beg,
			    &nb, tmp1, tmp2, tmp3));
			snprintf(nm, sizeof(nm), "macd%s", m[i].suf);
			place(col(nm), tmp1, beg, nb);
			snprintf(nm, sizeof(nm), "macd_signal%s", m[i].suf);
			place(col(nm), tmp2, beg, nb);
			snprintf(nm, sizeof(nm), "macd_hist%s", m[i].suf);
			place(col(nm), tmp3, beg, nb);
		}
	}
	{
		struct { int n; double k; const char *suf; } b[] = {
			{ 20, 2, "_20" }, { 10, 1.5, "_10_1.5" } };
		for (i = 0; i < 2; i++) {
			CHECK(TA_BBANDS(0, N - 1, c, b[i].n, b[i].k, b[i].k,
			    TA_MAType_SMA, &beg, &nb, tmp1, tmp2, tmp3));
			snprintf(nm, sizeof(nm), "bb_upper%s", b[i].suf);
			place(col(nm), tmp1, beg, nb);
			snprintf(nm, sizeof(nm), "bb_middle%s", b[i].suf);
			place(col(nm), tmp2, beg, nb);
			snprintf(nm, sizeof(nm), "bb_lower%s", b[i].suf);
			place(col(nm), tmp3, beg, nb);
		}
	}
	{
		static const int ps[] = { 14, 7, 0 };
		PERIODS(ps) {
			snprintf(nm, sizeof(nm), "atr_%d", *pp);
			ONE(nm, TA_ATR(0, N - 1, h, l, c, *pp, &beg, &nb, tmp1));
			snprintf(nm, sizeof(nm), "natr_%d", *pp);
			ONE(nm, TA_NATR(0, N - 1, h, l, c, *pp, &beg, &nb,
			    tmp1));
			snprintf(nm, sizeof(nm), "adx_%d", *pp);
			ONE(nm, TA_ADX(0, N - 1, h, l, c, *pp, &beg, &nb, tmp1));
			snprintf(nm, sizeof(nm), "plus_di_%d", *pp);
			ONE(nm, TA_PLUS_DI(0, N - 1, h, l, c, *pp, &beg, &nb,
			    tmp1));
			snprintf(nm, sizeof(nm), "minus_di_%d", *pp);
			ONE(nm, TA_MINUS_DI(0, N - 1, h, l, c, *pp, &beg, &nb,
			    tmp1));
			snprintf(nm, sizeof(nm), "willr_%d", *pp);
			ONE(nm, TA_WILLR(0, N - 1, h, l, c, *pp, &beg, &nb,
			    tmp1));
			snprintf(nm, sizeof(nm), "mfi_%d", *pp);
			ONE(nm, TA_MFI(0, N - 1, h, l, c, v, *pp, &beg, &nb,
			    tmp1));
		}
		static const int ms[] = { 3, 10, 20, 50, 200, 0 };
		PERIODS(ms) {
			snprintf(nm, sizeof(nm), "ema_%d", *pp);
			ONE(nm, TA_EMA(0, N - 1, c, *pp, &beg, &nb, tmp1));
			snprintf(nm, sizeof(nm), "sma_%d", *pp);
			ONE(nm, TA_SMA(0, N - 1, c, *pp, &beg, &nb, tmp1));
		}
		static const int cs[] = { 20, 14, 0 };
		PERIODS(cs) {
			snprintf(nm, sizeof(nm), "cci_%d", *pp);
			ONE(nm, TA_CCI(0, N - 1, h, l, c, *pp, &beg, &nb, tmp1));
		}
	}
	{
		struct { int k, sk, sd; const char *suf; } s[] = {
			{ 14, 3, 3, "" }, { 5, 3, 4, "_5_3_4" } };
		for (i = 0; i < 2; i++) {
			CHECK(TA_STOCH(0, N - 1, h, l, c, s[i].k, s[i].sk,
			    TA_MAType_SMA, s[i].sd, TA_MAType_SMA, &beg, &nb,
			    tmp1, tmp2));
			snprintf(nm, sizeof(nm), "stoch_k%s", s[i].suf);
			place(col(nm), tmp1, beg, nb);
			snprintf(nm, sizeof(nm), "stoch_d%s", s[i].suf);
			place(col(nm), tmp2, beg, nb);
		}
	}
	ONE("obv", TA_OBV(0, N - 1, c, v, &beg, &nb, tmp1));
	ONE("ad", TA_AD(0, N - 1, h, l, c, v, &beg, &nb, tmp1));
	ONE("vroc_14", TA_ROC(0, N - 1, v, 14, &beg, &nb, tmp1));
	{
		static const int ps[] = { 20, 0 };
		PERIODS(ps) {
			snprintf(nm, sizeof(nm), "trend_dir_%d", *pp);
			CHECK(TA_MOM(0, N - 1, c, *pp, &beg, &nb, tmp1));
			for (i = 0; i < nb; i++)
				tmp1[i] = tmp1[i] > 0 ? 1 : tmp1[i] < 0 ? -1 : 0;
			place(col(nm), tmp1, beg, nb);
		}
	}
	TA_Shutdown();
	for (i = 0; i < ncol; i++)
		fprintf(fr, "%s%s", i ? "," : "", names[i]);
	fputc('\n', fr);
	for (int r = 0; r < N; r++) {
		for (i = 0; i < ncol; i++) {
			if (i)
				fputc(',', fr);
			if (!isnan(vals[i][r]))
				fprintf(fr, "%.17g", vals[i][r]);
		}
		fputc('\n', fr);
	}
	fclose(fr);
	return 0;
}
