/* SPDX-License-Identifier: MIT */
/*
 * mfile.c - read and write model files (mfile.h): a checked text header
 * and a checked blob.  Checksums are zlib's CRC-32.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "mfile.h"
#include "util.h"

#define MAGIC "bf-model 1\n"

struct bf_mfile {
	char **keys;	/* owned, n of them */
	char **vals;	/* owned */
	size_t n, cap;
	unsigned char *blob;	/* owned, may be NULL */
	size_t blen;
};

struct bf_mfile *
bf_mfile_new(void)
{
	return bf_xcalloc(1, sizeof(struct bf_mfile));
}

void
bf_mfile_free(struct bf_mfile *mf)
{
	if (mf == NULL)
		return;
	for (size_t i = 0; i < mf->n; i++) {
		free(mf->keys[i]);
		free(mf->vals[i]);
	}
	free(mf->keys);
	free(mf->vals);
	free(mf->blob);
	free(mf);
}

/* True when 'k' is a valid key. */
static bool
key_ok(const char *k, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* Set without validation ('key' of length 'klen'). */
static void
set_raw(struct bf_mfile *mf, const char *key, size_t klen, const char *val,
    size_t vlen)
{
	for (size_t i = 0; i < mf->n; i++)
		if (strlen(mf->keys[i]) == klen &&
		    memcmp(mf->keys[i], key, klen) == 0) {
			free(mf->vals[i]);
			mf->vals[i] = bf_strndup(val, vlen);
			return;
		}
	if (mf->n == mf->cap) {
		mf->cap = mf->cap ? 2 * mf->cap : 32;
		mf->keys = bf_xrealloc(mf->keys, mf->cap * sizeof(char *));
		mf->vals = bf_xrealloc(mf->vals, mf->cap * sizeof(char *));
	}
	mf->keys[mf->n] = bf_strndup(key, klen);
	mf->vals[mf->n] = bf_strndup(val, vlen);
	mf->n++;
}

int
bf_mfile_set(struct bf_mfile *mf, const char *key, const char *value,
    struct bf_err *err)
{
	if (!key_ok(key, strlen(key)))
		return bf_err_set(err, BF_EUSAGE, "model file: bad key '%s'",
		    key);
	if (strchr(value, '\n') != NULL || strchr(value, '\r') != NULL)
		return bf_err_set(err, BF_EUSAGE,
		    "model file: key '%s': value has a newline", key);
	set_raw(mf, key, strlen(key), value, strlen(value));
	return 0;
}

const char *
bf_mfile_get(const struct bf_mfile *mf, const char *key)
{
	for (size_t i = 0; i < mf->n; i++)
		if (strcmp(mf->keys[i], key) == 0)
			return mf->vals[i];
	return NULL;
}

void
bf_mfile_set_blob(struct bf_mfile *mf, const void *p, size_t n)
{
	free(mf->blob);
	mf->blob = bf_xmalloc(n ? n : 1);
	if (n)
		memcpy(mf->blob, p, n);
	mf->blen = n;
}

const void *
bf_mfile_blob(const struct bf_mfile *mf, size_t *n)
{
	*n = mf->blen;
	return mf->blob;
}

/* CRC-32 of 'n' bytes (zlib takes uInt lengths: feed in pieces). */
static unsigned long
crc(const void *p, size_t n)
{
	const unsigned char *b = p;
	uLong c = crc32(0L, Z_NULL, 0);

	while (n > 0) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
		c = crc32(c, b, k);
		b += k;
		n -= k;
	}
	return c;
}

/* Write all of 'n' bytes to 'fd'.  Returns 0 or -1 (errno). */
static int
write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int
bf_mfile_write(const struct bf_mfile *mf, const char *path,
    struct bf_err *err)
{
	struct bf_buf h = BF_BUF_INIT, tmp = BF_BUF_INIT;
	int fd, rc = 0;

	bf_buf_adds(&h, MAGIC);
	for (size_t i = 0; i < mf->n; i++)
		if (strncmp(mf->keys[i], "blob_", 5) != 0)
			bf_buf_printf(&h, "%s=%s\n", mf->keys[i], mf->vals[i]);
	bf_buf_printf(&h, "blob_bytes=%zu\nblob_crc32=%08lx\n", mf->blen,
	    crc(mf->blob, mf->blen));
	bf_buf_printf(&h, "header_crc32=%08lx\n\n", crc(h.buf, h.len));
	bf_buf_printf(&tmp, "%s.tmp", path);
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		rc = bf_err_set(err, BF_EFAIL, "%s: %s", tmp.buf,
		    strerror(errno));
		goto out;
	}
	if (write_all(fd, h.buf, h.len) < 0 ||
	    write_all(fd, mf->blob, mf->blen) < 0 || fsync(fd) < 0) {
		rc = bf_err_set(err, BF_EFAIL, "%s: %s", tmp.buf,
		    strerror(errno));
		close(fd);
		unlink(tmp.buf);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
		rc = bf_err_set(err, BF_EFAIL, "%s: %s", path, strerror(errno));
		unlink(tmp.buf);
	}
out:
	bf_buf_release(&h);
	bf_buf_release(&tmp);
	return rc;
}

/* Read all of 'path' into 'b' (at most BF_MFILE_MAX bytes). */
static int
slurp(const char *path, struct bf_buf *b, struct bf_err *err)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    strerror(errno));
	for (;;) {
		ssize_t r;
		bf_buf_grow(b, 65536);
		r = read(fd, b->buf + b->len, 65536);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			bf_err_set(err, BF_EFAIL, "%s: %s", path,
			    strerror(errno));
			close(fd);
			return BF_EFAIL;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		if (b->len > BF_MFILE_MAX) {
			close(fd);
			return bf_err_set(err, BF_EDATA,
			    "%s: larger than any model file", path);
		}
	}
	close(fd);
	return 0;
}

struct bf_mfile *
bf_mfile_read(const char *path, struct bf_err *err)
{
	struct bf_buf b = BF_BUF_INIT;
	struct bf_mfile *mf = NULL;
	const char *p, *end;
	unsigned long hcrc = 0, bcrc = 0;
	long long blen = -1;
	bool have_hcrc = false;

	if (slurp(path, &b, err) < 0)
		goto fail;
	if (b.len < strlen(MAGIC) || memcmp(b.buf, MAGIC, strlen(MAGIC)) != 0) {
		bf_err_set(err, BF_EDATA, "%s: not a bf model file", path);
		goto fail;
	}
	mf = bf_mfile_new();
	p = b.buf + strlen(MAGIC);
	end = b.buf + b.len;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
		if (nl == NULL) {
			bf_err_set(err, BF_EDATA, "%s: truncated header", path);
			goto fail;
		}
		if (nl == p) {	/* the blank line ends the header */
			p = nl + 1;
			break;
		}
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq == NULL || !key_ok(p, (size_t)(eq - p))) {
			bf_err_set(err, BF_EDATA, "%s: corrupt header line",
			    path);
			goto fail;
		}
		if ((size_t)(eq - p) == 12 && memcmp(p, "header_crc32", 12) == 0) {
			char hex[16];
			size_t hl = (size_t)(nl - eq - 1);
			if (hl == 0 || hl >= sizeof(hex)) {
				bf_err_set(err, BF_EDATA, "%s: corrupt header",
				    path);
				goto fail;
			}
			memcpy(hex, eq + 1, hl);
			hex[hl] = '\0';
			hcrc = strtoul(hex, NULL, 16);
			if (hcrc != crc(b.buf, (size_t)(p - b.buf))) {
				bf_err_set(err, BF_EDATA,
				    "%s: header checksum mismatch (corrupt file)",
				    path);
				goto fail;
			}
			have_hcrc = true;
		} else {
			set_raw(mf, p, (size_t)(eq - p), eq + 1,
			    (size_t)(nl - eq - 1));
		}
		p = nl + 1;
	}
	if (!have_hcrc) {
		bf_err_set(err, BF_EDATA, "%s: header has no checksum", path);
		goto fail;
	}
	if (bf_mfile_get(mf, "blob_bytes") == NULL ||
	    bf_parse_long(bf_mfile_get(mf, "blob_bytes"), 0, BF_MFILE_MAX,
	    &blen) < 0 || bf_mfile_get(mf, "blob_crc32") == NULL) {
		bf_err_set(err, BF_EDATA, "%s: header lacks the blob size",
		    path);
		goto fail;
	}
	bcrc = strtoul(bf_mfile_get(mf, "blob_crc32"), NULL, 16);
	if ((long long)(end - p) != blen) {
		bf_err_set(err, BF_EDATA,
		    "%s: %s (blob of %lld bytes, %lld present)", path,
		    end - p < blen ? "truncated" : "trailing bytes", blen,
		    (long long)(end - p));
		goto fail;
	}
	if (crc(p, (size_t)blen) != bcrc) {
		bf_err_set(err, BF_EDATA,
		    "%s: weights checksum mismatch (corrupt file)", path);
		goto fail;
	}
	bf_mfile_set_blob(mf, p, (size_t)blen);
	bf_buf_release(&b);
	return mf;
fail:
	bf_mfile_free(mf);
	bf_buf_release(&b);
	return NULL;
}
