/* SPDX-License-Identifier: MIT */
/*
 * store.c - the monthly gzip store: resume, atomic month files, and the
 * range reader.  See store.h for the layout and the crash-safety rules.
 */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "archive.h"
#include "bftime.h"
#include "market.h"
#include "num.h"
#include "rec.h"
#include "store.h"
#include "util.h"

/* The month files of a series directory, sorted (owned strings). */
struct months {
	char **name;
	size_t n;
};

/* The state of a sync while rows come in. */
struct sink {
	struct bf_store_sync *ss;
	const struct bf_mkt_series *s;
	const char *sdir;	/* the series directory */
	int64_t month;		/* the month being filled, INT64_MIN none */
	struct bf_buf text;	/* its whole CSV */
	bool dirty;
	struct bf_interval mon;
};

int
bf_store_gzip(const void *data, size_t len, struct bf_buf *out,
    struct bf_err *err)
{
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper with a default header (mtime 0). */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return bf_err_set(err, BF_EFAIL, "zlib: cannot start deflate");
	bf_buf_reset(out);
	bf_buf_grow(out, deflateBound(&z, (uLong)len) + 64);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->buf;
	z.avail_out = (uInt)(out->cap - 1);
	r = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	if (r != Z_STREAM_END)
		return bf_err_set(err, BF_EFAIL, "zlib: deflate failed");
	return 0;
}

int
bf_store_gunzip_file(const char *path, struct bf_buf *out,
    struct bf_err *err)
{
	gzFile gz = gzopen(path, "rb");
	char chunk[65536];
	int n;

	bf_buf_reset(out);
	if (gz == NULL)
		return bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    strerror(errno ? errno : ENOMEM));
	gzbuffer(gz, 1 << 17);
	while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
		bf_buf_add(out, chunk, (size_t)n);
	if (n < 0) {
		int e;
		const char *m = gzerror(gz, &e);
		bf_err_set(err, BF_EFAIL, "%s: %s", path, m);
		gzclose(gz);
		return BF_EFAIL;
	}
	gzclose(gz);
	return 0;
}

/* mkdir -p 'path'. */
static int
mkdirs(const char *path, struct bf_err *err)
{
	char *p = bf_strdup(path);
	struct stat st;

	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) < 0 && errno != EEXIST) {
				bf_err_set(err, BF_EFAIL, "store %s: %s", p,
				    strerror(errno));
				free(p);
				return BF_EFAIL;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return bf_err_set(err, BF_EFAIL, "store %s: not a directory",
		    path);
	return 0;
}

int
bf_store_check(const char *dir, struct bf_err *err)
{
	if (mkdirs(dir, err) < 0)
		return BF_EFAIL;
	if (access(dir, W_OK | X_OK) < 0)
		return bf_err_set(err, BF_EFAIL, "store %s: not writable: %s",
		    dir, strerror(errno));
	return 0;
}

/* True when 'n' is "YYYY-MM.csv.gz". */
static bool
is_month_file(const char *n)
{
	static const char pat[] = "dddd-dd.csv.gz";

	if (strlen(n) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'd' ? (n[i] < '0' || n[i] > '9') : n[i] != pat[i])
			return false;
	}
	return true;
}

/* qsort comparison of two strings. */
static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * List the month files of 'sdir' (sorted); with 'clean', remove leftover
 * temporary files.  A missing directory has no months.
 */
static int
list_months(const char *sdir, bool clean, struct months *m,
    struct bf_err *err)
{
	DIR *d = opendir(sdir);
	struct dirent *e;
	size_t cap = 0;

	m->name = NULL;
	m->n = 0;
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return bf_err_set(err, BF_EFAIL, "store %s: %s", sdir,
		    strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (is_month_file(e->d_name)) {
			if (m->n == cap) {
				cap = cap ? cap * 2 : 64;
				m->name = bf_xrealloc(m->name,
				    cap * sizeof(*m->name));
			}
			m->name[m->n++] = bf_strdup(e->d_name);
		} else if (clean && e->d_name[0] == '.' &&
		    strstr(e->d_name, ".csv.gz.tmp") != NULL) {
			struct bf_buf p = BF_BUF_INIT;
			bf_buf_printf(&p, "%s/%s", sdir, e->d_name);
			unlink(p.buf);
			bf_buf_release(&p);
		}
	}
	closedir(d);
	if (m->n > 0)
		qsort(m->name, m->n, sizeof(*m->name), cmpstr);
	return 0;
}

static void
months_free(struct months *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->name[i]);
	free(m->name);
}

/* The series directory name: klines-1h, funding, oi-5m. */
static void
series_dir(struct bf_buf *b, const char *dir, const char *symbol,
    const char *series, const char *interval)
{
	bf_buf_reset(b);
	bf_buf_printf(b, "%s/%s/%s", dir, symbol, series);
	if (interval != NULL)
		bf_buf_printf(b, "-%s", interval);
}

/* Epoch ms of the month named "YYYY-MM..." at 'n'. */
static int64_t
month_of_name(const char *n)
{
	char iso[16];
	int64_t t = 0;
	struct bf_err err = BF_ERR_INIT;

	memcpy(iso, n, 7);
	memcpy(iso + 7, "-01", 4);
	bf_time_parse(iso, 0, &t, &err);
	return t;
}

/* The key (first field) of the last line of CSV text 'b'; -1 if none. */
static int
last_key(const struct bf_buf *b, int64_t *key)
{
	size_t e = b->len, s, f;

	while (e > 0 && b->buf[e - 1] == '\n')
		e--;
	s = e;
	while (s > 0 && b->buf[s - 1] != '\n')
		s--;
	if (s == 0)
		return -1; /* only a header */
	for (f = s; f < e && b->buf[f] != ','; f++)
		;
	return bf_num_parse_i64(b->buf + s, f - s, key);
}

/* Write 'text' to sdir/YYYY-MM.csv.gz atomically. */
static int
write_month(const char *sdir, int64_t month, const struct bf_buf *text,
    struct bf_err *err)
{
	struct bf_buf gz = BF_BUF_INIT, tmp = BF_BUF_INIT, dst = BF_BUF_INIT;
	char date[BF_TIME_BUFSZ];
	int fd = -1, r = 0;
	size_t off = 0;

	bf_time_format_iso(date, month);
	date[7] = '\0';
	bf_buf_printf(&tmp, "%s/.%s.csv.gz.tmp", sdir, date);
	bf_buf_printf(&dst, "%s/%s.csv.gz", sdir, date);
	if ((r = bf_store_gzip(text->buf, text->len, &gz, err)) < 0)
		goto out;
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto fail;
	while (off < gz.len) {
		ssize_t n = write(fd, gz.buf + off, gz.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.buf, dst.buf) < 0)
		goto fail;
	/* Make the rename itself durable. */
	if ((fd = open(sdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
		fd = -1;
	}
	goto out;
fail:
	r = bf_err_set(err, BF_EFAIL, "store %s: %s", dst.buf,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
out:
	bf_buf_release(&gz);
	bf_buf_release(&tmp);
	bf_buf_release(&dst);
	return r;
}

/* Write the month being filled, if it changed. */
static int
flush_month(struct sink *k, struct bf_err *err)
{
	int r;

	if (!k->dirty)
		return 0;
	if ((r = write_month(k->sdir, k->month, &k->text, err)) < 0)
		return r;
	k->dirty = false;
	return 0;
}

/* Start filling the month 'month': its file's rows, or a header. */
static int
open_month(struct sink *k, int64_t month, struct bf_err *err)
{
	struct bf_buf path = BF_BUF_INIT;
	char date[BF_TIME_BUFSZ];
	struct stat st;
	int r = 0;

	k->month = month;
	bf_time_format_iso(date, month);
	date[7] = '\0';
	bf_buf_printf(&path, "%s/%s.csv.gz", k->sdir, date);
	if (stat(path.buf, &st) == 0) {
		r = bf_store_gunzip_file(path.buf, &k->text, err);
		if (r == 0 && k->text.len > 0 &&
		    k->text.buf[k->text.len - 1] != '\n')
			bf_buf_addc(&k->text, '\n');
	} else {
		bf_buf_reset(&k->text);
		for (size_t i = 0; i < k->s->ncols; i++) {
			if (i)
				bf_buf_addc(&k->text, ',');
			bf_buf_adds(&k->text, k->s->cols[i]);
		}
		bf_buf_addc(&k->text, '\n');
	}
	bf_buf_release(&path);
	return r;
}

/* Append a row to its month, switching (and writing) months as needed. */
static int
sink_row(void *ctx, const struct bf_field *f, size_t n, int64_t key,
    struct bf_err *err)
{
	struct sink *k = ctx;
	int64_t month = bf_interval_align(&k->mon, key);
	int r;

	if (month != k->month) {
		if ((r = flush_month(k, err)) < 0)
			return r;
		if ((r = open_month(k, month, err)) < 0)
			return r;
	}
	for (size_t i = 0; i < n; i++) {
		bool q = memchr(f[i].s, ',', f[i].len) ||
		    memchr(f[i].s, '"', f[i].len) ||
		    memchr(f[i].s, '\n', f[i].len) ||
		    memchr(f[i].s, '\r', f[i].len);
		if (i)
			bf_buf_addc(&k->text, ',');
		if (!q) {
			bf_buf_add(&k->text, f[i].s, f[i].len);
			continue;
		}
		bf_buf_addc(&k->text, '"');
		for (uint32_t j = 0; j < f[i].len; j++) {
			if (f[i].s[j] == '"')
				bf_buf_addc(&k->text, '"');
			bf_buf_addc(&k->text, f[i].s[j]);
		}
		bf_buf_addc(&k->text, '"');
	}
	bf_buf_addc(&k->text, '\n');
	k->dirty = true;
	k->ss->added++;
	k->ss->last = key;
	if (k->ss->progress != NULL && (k->ss->added & 8191) == 0)
		k->ss->progress(k->ss->ctx, k->ss->added, key);
	return 0;
}

int
bf_store_sync(struct bf_http *h, struct bf_store_sync *ss,
    struct bf_err *err)
{
	const struct bf_mkt_series *s = bf_mkt_series_find(ss->series);
	struct bf_buf sdir = BF_BUF_INIT, path = BF_BUF_INIT;
	struct bf_interval iv;
	struct months m = { NULL, 0 };
	struct sink k;
	struct bf_pager p;
	int64_t start = ss->start;
	int r;

	memset(&k, 0, sizeof(k));
	bf_buf_init(&k.text);
	if (s == NULL || s->kind == BF_MKT_AGGTRADES)
		return bf_err_set(err, BF_EUSAGE, "sync: unknown series '%s'",
		    ss->series);
	if (s->kind != BF_MKT_FUNDING &&
	    (ss->interval == NULL ||
	    bf_interval_parse(ss->interval, &iv, err) < 0))
		return bf_err_set(err, BF_EUSAGE, "sync %s: bad interval",
		    ss->series);
	series_dir(&sdir, ss->dir, ss->symbol, s->name,
	    s->kind == BF_MKT_FUNDING ? NULL : ss->interval);
	ss->added = 0;
	ss->last = INT64_MIN;
	if ((r = mkdirs(sdir.buf, err)) < 0)
		goto out;
	if ((r = list_months(sdir.buf, true, &m, err)) < 0)
		goto out;
	if (m.n > 0) {
		/* Resume after the newest stored row. */
		int64_t key;
		bf_buf_printf(&path, "%s/%s", sdir.buf, m.name[m.n - 1]);
		if ((r = bf_store_gunzip_file(path.buf, &k.text, err)) < 0)
			goto out;
		if (last_key(&k.text, &key) < 0) {
			r = bf_err_set(err, BF_EDATA,
			    "store %s: no last row to resume from", path.buf);
			goto out;
		}
		ss->last = key;
		start = key + 1;
	} else if (start == INT64_MIN) {
		r = bf_err_set(err, BF_EUSAGE,
		    "sync: %s is empty; the first sync needs --start", sdir.buf);
		goto out;
	}
	k.ss = ss;
	k.s = s;
	k.sdir = sdir.buf;
	k.month = INT64_MIN;
	bf_interval_parse("1M", &k.mon, err);
	if (start > ss->end) {
		r = 0;
		goto out;
	}
	bf_pager_init(&p, s, ss->symbol, s->kind == BF_MKT_FUNDING ? NULL :
	    &iv, start, ss->end, ss->now);
	p.emit = sink_row;
	p.ctx = &k;
	if (ss->last != INT64_MIN)
		p.last_key = ss->last;
	r = 0;
	if (ss->archive) {
		struct bf_archive_opts ao = { ss->archive_url, ss->symbol, s,
		    s->kind == BF_MKT_FUNDING ? NULL : &iv, ss->now };
		r = bf_archive_fetch(h, &ao, &p, err);
	}
	if (r == 0)
		r = bf_mkt_fetch(h, &p, err);
	/* Keep what arrived, even when the fetch failed half-way. */
	if (flush_month(&k, r < 0 ? NULL : err) < 0 && r == 0)
		r = BF_EFAIL;
out:
	months_free(&m);
	bf_buf_release(&k.text);
	bf_buf_release(&sdir);
	bf_buf_release(&path);
	return r;
}

int
bf_store_cat(const struct bf_store_cat *sc, int fd, int fmt, int digits,
    bool unbuffered, struct bf_err *err)
{
	struct bf_buf sdir = BF_BUF_INIT, path = BF_BUF_INIT;
	struct months m = { NULL, 0 };
	struct bf_writer *w = NULL;
	struct bf_interval mon;
	int r = 0;

	series_dir(&sdir, sc->dir, sc->symbol, sc->series, sc->interval);
	bf_interval_parse("1M", &mon, err);
	if ((r = list_months(sdir.buf, false, &m, err)) < 0)
		goto out;
	if (m.n == 0) {
		r = bf_err_set(err, BF_EUSAGE, "store %s: no such series",
		    sdir.buf);
		goto out;
	}
	for (size_t i = 0; i < m.n && r == 0; i++) {
		int64_t month = month_of_name(m.name[i]);
		struct bf_reader *rd;
		bool past = false;

		if (bf_interval_next(&mon, month) <= sc->start)
			continue;
		if (month > sc->end)
			break;
		bf_buf_reset(&path);
		bf_buf_printf(&path, "%s/%s", sdir.buf, m.name[i]);
		rd = bf_reader_open(path.buf, BF_FMT_CSV, err);
		if (rd == NULL) {
			r = BF_EFAIL;
			break;
		}
		r = bf_reader_start(rd, err);
		if (r > 0 && w == NULL) {
			w = bf_writer_new(fd, fmt, digits,
			    unbuffered ? BF_WRITER_UNBUFFERED : 0);
			r = bf_writer_start(w, rd, NULL, 0, err);
			r = r < 0 ? r : 1;
		}
		while (r > 0 && (r = bf_reader_next(rd, err)) > 0) {
			int64_t key;
			const struct bf_field *f = bf_reader_field(rd, 0);
			if (bf_num_parse_i64(f->s, f->len, &key) < 0) {
				r = bf_reader_error(rd, err, "bad key '%.*s'",
				    (int)f->len, f->s);
				break;
			}
			if (key < sc->start)
				continue;
			if (key > sc->end) {
				past = true;
				r = 0;
				break;
			}
			r = bf_writer_emit(w, rd, err);
			r = r < 0 ? r : 1;
		}
		bf_reader_free(rd);
		if (past)
			break;
	}
	if (w != NULL) {
		struct bf_err werr = BF_ERR_INIT;
		if (bf_writer_close(w, &werr) < 0 && r >= 0) {
			*err = werr;
			r = BF_EFAIL;
		}
	}
out:
	months_free(&m);
	bf_buf_release(&sdir);
	bf_buf_release(&path);
	return r < 0 ? r : 0;
}
