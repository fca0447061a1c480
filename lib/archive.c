/* SPDX-License-Identifier: MIT */
/*
 * archive.c - Binance Vision bulk files: URLs, checksums, zips, CSV rows.
 * See archive.h.
 */
#include "compat.h"

#include <zip.h>

#include "archive.h"
#include "num.h"
#include "sign.h"
#include "util.h"

#define ARCHIVE_COLS 12

/* The archive's name of a series' data type. */
static const char *
data_type(const struct bf_mkt_series *s)
{
	if (strcmp(s->name, "klines") == 0)
		return "klines";
	if (strcmp(s->name, "mark") == 0)
		return "markPriceKlines";
	if (strcmp(s->name, "index") == 0)
		return "indexPriceKlines";
	if (strcmp(s->name, "premium") == 0)
		return "premiumIndexKlines";
	if (s->kind == BF_MKT_FUNDING)
		return "fundingRate";
	if (s->kind == BF_MKT_OI)
		return "metrics";
	return NULL;
}

/*
 * The URL of the file for the month or day starting at 't' ('daily').
 */
static void
file_url(struct bf_buf *u, const struct bf_archive_opts *o, bool daily,
    int64_t t)
{
	const char *type = data_type(o->s);
	const char *iv = NULL;
	char date[BF_TIME_BUFSZ];

	bf_time_format_iso(date, t);
	date[daily ? 10 : 7] = '\0';
	if (o->s->kind == BF_MKT_KLINES)
		iv = o->iv->months ? "1mo" : o->iv->name;
	bf_buf_reset(u);
	bf_buf_printf(u, "%s/data/futures/um/%s/%s/%s/", o->base_url,
	    daily ? "daily" : "monthly", type, o->symbol);
	if (iv != NULL)
		bf_buf_printf(u, "%s/", iv);
	bf_buf_printf(u, "%s-%s-%s.zip", o->symbol, iv ? iv : type, date);
}

/* Split CSV line 'line' at commas into at most 'max' fields. */
static size_t
split(const char *line, size_t len, struct bf_field *f, size_t max)
{
	size_t n = 0, i = 0, start = 0;

	for (;; i++) {
		if (i == len || line[i] == ',') {
			if (n < max) {
				f[n].s = line + start;
				f[n].len = (uint32_t)(i - start);
				f[n].kind = i > start ? BF_VAL_AUTO :
				    BF_VAL_MISSING;
				f[n].quote = 0;
			}
			n++;
			start = i + 1;
			if (i == len)
				break;
		}
	}
	return n;
}

/* "YYYY-MM-DD HH:MM:SS" (or epoch ms) to epoch ms; 0 or -1. */
static int
metrics_time(const struct bf_field *f, int64_t *out)
{
	char iso[40];
	struct bf_err err = BF_ERR_INIT;

	if (bf_num_parse_i64(f->s, f->len, out) == 0)
		return 0;
	if (f->len != 19)
		return -1;
	memcpy(iso, f->s, 19);
	iso[10] = 'T';
	iso[19] = 'Z';
	iso[20] = '\0';
	return bf_time_parse(iso, 0, out, &err) < 0 ? -1 : 0;
}

int
bf_archive_feed_csv(struct bf_pager *p, const char *name, const char *csv,
    size_t len, struct bf_err *err)
{
	const struct bf_mkt_series *s = p->s;
	struct bf_field f[ARCHIVE_COLS + 1], out[ARCHIVE_COLS];
	const char *line = csv, *end = csv + len;
	char tbuf[BF_NUM_BUFSZ];
	long lineno = 0;
	int r;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t ll = nl ? (size_t)(nl - line) : (size_t)(end - line);
		size_t n;
		int64_t key;

		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0 || (lineno == 1 && (line[0] < '0' ||
		    line[0] > '9'))) {
			/* A blank line, or the header row. */
			line = nl ? nl + 1 : end;
			continue;
		}
		n = split(line, ll, f, ARCHIVE_COLS + 1);
		switch (s->kind) {
		case BF_MKT_KLINES:
			if (n < 11 || n > ARCHIVE_COLS)
				goto bad;
			if (bf_num_parse_i64(f[0].s, f[0].len, &key) < 0)
				goto bad;
			r = bf_pager_offer(p, f, key, key, err);
			break;
		case BF_MKT_FUNDING:
			/* calc_time,funding_interval_hours,last_funding_rate */
			if (n != 3 || bf_num_parse_i64(f[0].s, f[0].len,
			    &key) < 0)
				goto bad;
			out[0] = f[0];
			out[1].s = p->symbol;
			out[1].len = (uint32_t)strlen(p->symbol);
			out[1].kind = BF_VAL_TEXT;
			out[1].quote = 0;
			out[2] = f[2];
			out[3].s = "";
			out[3].len = 0;
			out[3].kind = BF_VAL_MISSING;
			out[3].quote = 0;
			r = bf_pager_offer(p, out, key, key, err);
			break;
		case BF_MKT_OI:
			/* create_time,symbol,sum_open_interest,sum_..._value */
			if (n < 4 || metrics_time(&f[0], &key) < 0)
				goto bad;
			if (bf_interval_align(&p->iv, key) != key) {
				r = 0;
				break;
			}
			bf_num_format_i64(tbuf, key);
			out[0].s = tbuf;
			out[0].len = (uint32_t)strlen(tbuf);
			out[0].kind = BF_VAL_AUTO;
			out[0].quote = 0;
			out[1] = f[1];
			out[1].kind = BF_VAL_TEXT;
			out[2] = f[2];
			out[3] = f[3];
			r = bf_pager_offer(p, out, key, key, err);
			break;
		default:
			return bf_err_set(err, BF_EUSAGE,
			    "the archive has no %s", s->name);
		}
		if (r < 0)
			return r;
		line = nl ? nl + 1 : end;
	}
	return 0;
bad:
	return bf_err_set(err, BF_EFAIL, "%s:%ld: unexpected archive row",
	    name, lineno);
}

/* Unpack the one CSV of the zip in 'zb' into 'csv'. */
static int
unzip(const struct bf_buf *zb, const char *url, struct bf_buf *csv,
    struct bf_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *zf;
	zip_stat_t st;
	int r = 0;

	zip_error_init(&ze);
	src = zip_source_buffer_create(zb->buf, zb->len, 0, &ze);
	if (src == NULL || (z = zip_open_from_source(src, ZIP_RDONLY,
	    &ze)) == NULL) {
		r = bf_err_set(err, BF_EFAIL, "%s: not a zip file: %s", url,
		    zip_error_strerror(&ze));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		return r;
	}
	if (zip_get_num_entries(z, 0) < 1 || zip_stat_index(z, 0, 0,
	    &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > 1024ULL * 1024 * 1024 ||
	    (zf = zip_fopen_index(z, 0, 0)) == NULL) {
		r = bf_err_set(err, BF_EFAIL, "%s: no readable file in the zip",
		    url);
	} else {
		zip_int64_t got;
		bf_buf_reset(csv);
		bf_buf_grow(csv, (size_t)st.size + 1);
		got = zip_fread(zf, csv->buf, st.size);
		if (got < 0 || (zip_uint64_t)got != st.size) {
			r = bf_err_set(err, BF_EFAIL, "%s: cannot unpack: %s",
			    url, zip_strerror(z));
		} else {
			csv->len = (size_t)got;
			csv->buf[csv->len] = '\0';
		}
		zip_fclose(zf);
	}
	zip_discard(z); /* frees the source too */
	zip_error_fini(&ze);
	return r;
}

/*
 * Fetch, verify and feed the file of the month or day at 't'.  Returns 0,
 * 1 when the file does not exist, or a negative code.
 */
static int
one_file(struct bf_http *h, const struct bf_archive_opts *o,
    struct bf_pager *p, bool daily, int64_t t, struct bf_err *err)
{
	struct bf_buf url = BF_BUF_INIT, sum = BF_BUF_INIT, zb = BF_BUF_INIT;
	struct bf_buf csv = BF_BUF_INIT;
	char hex[BF_SIGN_HEXSZ];
	int r;

	file_url(&url, o, daily, t);
	bf_buf_adds(&url, ".CHECKSUM");
	r = bf_http_get_url(h, url.buf, &sum, err);
	url.len -= strlen(".CHECKSUM");
	url.buf[url.len] = '\0';
	if (r != 0)
		goto out;
	r = bf_http_get_url(h, url.buf, &zb, err);
	if (r == 1) {
		r = bf_err_set(err, BF_EFAIL, "%s: checksum without a file",
		    url.buf);
		goto out;
	}
	if (r < 0)
		goto out;
	bf_sign_sha256(zb.buf, zb.len, hex);
	if (sum.len < 64 || memcmp(sum.buf, hex, 64) != 0) {
		r = bf_err_set(err, BF_EFAIL,
		    "%s: checksum mismatch (file %.12s..., .CHECKSUM %.12s...)",
		    url.buf, hex, sum.len >= 12 ? sum.buf : "none");
		goto out;
	}
	if ((r = unzip(&zb, url.buf, &csv, err)) < 0)
		goto out;
	r = bf_archive_feed_csv(p, url.buf, csv.buf, csv.len, err);
out:
	bf_buf_release(&url);
	bf_buf_release(&sum);
	bf_buf_release(&zb);
	bf_buf_release(&csv);
	return r;
}

/* The first day of the month after the one holding 't'. */
static int64_t
month_after(int64_t t)
{
	struct bf_interval m;
	struct bf_err err = BF_ERR_INIT;

	bf_interval_parse("1M", &m, &err);
	return bf_interval_next(&m, t);
}

int
bf_archive_fetch(struct bf_http *h, const struct bf_archive_opts *o,
    struct bf_pager *p, struct bf_err *err)
{
	struct bf_interval mon;
	bool monthly = o->s->kind != BF_MKT_OI;
	bool daily = o->s->kind != BF_MKT_FUNDING;
	int64_t t;
	int r;

	if (data_type(o->s) == NULL)
		return bf_err_set(err, BF_EUSAGE, "the archive has no %s",
		    o->s->name);
	bf_interval_parse("1M", &mon, err);
	for (t = bf_interval_align(&mon, p->start); t <= p->end && !p->done;
	    t = month_after(t)) {
		if (monthly) {
			r = one_file(h, o, p, false, t, err);
			if (r < 0)
				return r;
			if (r == 0)
				continue;
		}
		if (!daily)
			return 0; /* not published yet: REST from here */
		for (int64_t d = t; d < month_after(t) && d <= p->end &&
		    !p->done; d += BF_MS_DAY) {
			if (d + BF_MS_DAY <= p->start)
				continue;
			r = one_file(h, o, p, true, d, err);
			if (r < 0)
				return r;
			if (r == 1)
				return 0;
		}
	}
	return 0;
}
