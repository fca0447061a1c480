/* SPDX-License-Identifier: MIT */
/*
 * num - throughput of bf_num_parse against strtod and of bf_num_format
 * against snprintf("%.12g"), in millions of numbers per second of
 * process CPU time.
 *
 * usage: num [-n count] [-d digits] [-k prices|full|bits] [file]
 *   -n   how many values (default 10,000,000)
 *   -d   significant digits for formatting (default 12)
 *   -k   generated values: "prices" (default; 0..9 integer digits and
 *        1..8 decimals, i.e. 1e-8 .. 1e9), "full" (computed values of
 *        the same magnitudes written with all 17 digits) or "bits"
 *        (random doubles of every exponent: the slow paths)
 *   file a CSV file: every field that parses as a number is used,
 *        cycled to 'count' values (the real klines when present)
 *
 * Both sides of each pair see the same texts and doubles, and the
 * results are checked to be identical, so the comparison is fair.
 */
#include "bf.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

/* Process CPU time in seconds. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*. */
static uint64_t
rnd(uint64_t *st)
{
	*st ^= *st >> 12;
	*st ^= *st << 25;
	*st ^= *st >> 27;
	return *st * 2685821657736338717ULL;
}

/* A price-like decimal into 'buf'; returns its length. */
static size_t
gen_price(uint64_t *st, char *buf)
{
	uint64_t r = rnd(st);
	int ni = (int)(r % 10), nf = 1 + (int)(r >> 8) % 8, i;
	size_t len = 0;

	if (ni == 0) {
		buf[len++] = '0';
	} else {
		buf[len++] = (char)('1' + (rnd(st) % 9));
		for (i = 1; i < ni; i++)
			buf[len++] = (char)('0' + rnd(st) % 10);
	}
	buf[len++] = '.';
	for (i = 0; i < nf; i++)
		buf[len++] = (char)('0' + rnd(st) % 10);
	buf[len] = '\0';
	return len;
}

/*
 * Read every numeric CSV field of 'path' into 'texts' (NUL-separated
 * copies in one buffer).  Returns the number of values, 0 on error.
 */
static size_t
load_file(const char *path, struct bf_buf *texts)
{
	FILE *fp = fopen(path, "r");
	char line[4096], *p, *q;
	size_t n = 0;
	double v;

	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line;; p = q + 1) {
			q = p + strcspn(p, ",");
			if (q > p &&
			    bf_num_parse(p, (size_t)(q - p), &v) == 0) {
				bf_buf_add(texts, p, (size_t)(q - p));
				bf_buf_addc(texts, '\0');
				n++;
			}
			if (*q == '\0')
				break;
		}
	}
	fclose(fp);
	return n;
}

int
main(int argc, char *argv[])
{
	struct bf_buf texts = BF_BUF_INIT, out = BF_BUF_INIT;
	const char *kind = "prices", *file = NULL, *p;
	long long cnt;
	size_t n = 10000000, i, nsrc, *offs, *lens, total_a, total_b;
	double *vals, t0, t_bf, t_libc, sum_a = 0, sum_b = 0;
	int digits = BF_NUM_DIGITS, ch;
	uint64_t st = 0x853c49e6748fea9bULL;
	char buf[BF_NUM_BUFSZ], tmp[64];

	bf_setprogname("num");
	while ((ch = getopt(argc, argv, "d:k:n:")) != -1) {
		switch (ch) {
		case 'd':
			if (bf_parse_long(optarg, 1, 17, &cnt) < 0)
				bf_die(BF_EXIT_USAGE, "-d: want 1..17");
			digits = (int)cnt;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			if (bf_parse_long(optarg, 1, 1000000000, &cnt) < 0)
				bf_die(BF_EXIT_USAGE, "-n: want a count");
			n = (size_t)cnt;
			break;
		default:
			fputs("usage: num [-n count] [-d digits] [-k prices|full|bits] [file]\n",
			    stderr);
			return BF_EXIT_USAGE;
		}
	}
	if (optind < argc)
		file = argv[optind];

	/* The texts to parse, NUL-separated, and the doubles to format. */
	offs = bf_xmalloc(n * sizeof(*offs));
	lens = bf_xmalloc(n * sizeof(*lens));
	vals = bf_xmalloc(n * sizeof(*vals));
	if (file != NULL) {
		struct bf_buf src = BF_BUF_INIT;

		nsrc = load_file(file, &src);
		if (nsrc == 0)
			bf_die(BF_EXIT_FAIL, "%s: no numbers read", file);
		for (i = 0, p = src.buf; i < n; i++) {
			if (i % nsrc == 0)
				p = src.buf;
			offs[i] = texts.len;
			lens[i] = strlen(p);
			bf_buf_add(&texts, p, lens[i] + 1);
			p += lens[i] + 1;
		}
		bf_buf_release(&src);
		kind = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 :
		    file;
	} else {
		bf_buf_grow(&texts, n * 20);
		for (i = 0; i < n; i++) {
			offs[i] = texts.len;
			if (strcmp(kind, "full") == 0) {
				/* A computed value: a price times a ratio. */
				double v;

				gen_price(&st, tmp);
				v = strtod(tmp, NULL) *
				    (1 + (double)(rnd(&st) >> 11) * 0x1p-60);
				lens[i] = (size_t)snprintf(tmp, sizeof(tmp),
				    "%.17g", v);
			} else if (strcmp(kind, "bits") == 0) {
				uint64_t b;
				double v;

				do {
					b = rnd(&st);
					memcpy(&v, &b, sizeof(v));
				} while (!isfinite(v));
				lens[i] = (size_t)snprintf(tmp, sizeof(tmp),
				    "%.17g", v);
			} else {
				lens[i] = gen_price(&st, tmp);
			}
			bf_buf_add(&texts, tmp, lens[i] + 1);
		}
	}
	for (i = 0; i < n; i++)
		vals[i] = strtod(texts.buf + offs[i], NULL);

	/* Parsing. */
	t0 = cpu_now();
	for (i = 0; i < n; i++) {
		double v;

		if (bf_num_parse(texts.buf + offs[i], lens[i], &v) == 0)
			sum_a += v;
	}
	t_bf = cpu_now() - t0;
	t0 = cpu_now();
	for (i = 0; i < n; i++)
		sum_b += strtod(texts.buf + offs[i], NULL);
	t_libc = cpu_now() - t0;
	if (sum_a != sum_b)
		bf_die(BF_EXIT_FAIL, "parse results differ");
	printf("parse  %-10s %9zu values  bf_num_parse %7.1f M/s  strtod %6.1f M/s  x%.1f\n",
	    kind, n, (double)n / t_bf * 1e-6, (double)n / t_libc * 1e-6,
	    t_libc / t_bf);

	/* Formatting: total lengths and a checksum of the bytes must agree. */
	bf_buf_grow(&out, 64);
	total_a = total_b = 0;
	t0 = cpu_now();
	for (i = 0; i < n; i++)
		total_a += bf_num_format(buf, vals[i], digits) + (size_t)buf[1];
	t_bf = cpu_now() - t0;
	t0 = cpu_now();
	for (i = 0; i < n; i++)
		total_b += (size_t)snprintf(buf, sizeof(buf), "%.*g", digits,
		    vals[i]) + (size_t)buf[1];
	t_libc = cpu_now() - t0;
	if (total_a != total_b)
		bf_die(BF_EXIT_FAIL, "format results differ");
	printf("format %-10s %9zu values  bf_num_format %6.1f M/s  snprintf(\"%%.%dg\") %5.1f M/s  x%.1f\n",
	    kind, n, (double)n / t_bf * 1e-6, digits,
	    (double)n / t_libc * 1e-6, t_libc / t_bf);

	bf_buf_release(&texts);
	bf_buf_release(&out);
	free(offs);
	free(lens);
	free(vals);
	return 0;
}
