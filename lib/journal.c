/* SPDX-License-Identifier: MIT */
/*
 * journal.c - the append-only, fsynced, self-repairing log of journal.h.
 *
 * Replay reads the file in blocks, splits lines, and remembers the
 * offset after the last commit line; whatever follows it at the end is
 * a torn tail and is truncated away before anything new is appended.
 */
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "rec.h"
#include "util.h"

/* Close 'j' and return 'code' (for the error paths of open). */
static int
fail(struct bf_journal *j, int code)
{
	bf_journal_close(j);
	return code;
}

/* Replay the lines of 'j' through 'fn'; sets j->size to the commit end. */
static int
replay(struct bf_journal *j, bf_journal_fn fn, void *ctx, struct bf_err *err)
{
	struct bf_buf b = BF_BUF_INIT;
	off_t base = 0;		/* file offset of b.buf[0] */
	off_t commit = 0;	/* end of the last complete batch */
	size_t start = 0;	/* start of the next line in b */
	ssize_t n;
	int rc = 0;

	bf_buf_init(&b);
	for (;;) {
		char *nl;

		bf_buf_grow(&b, 65536);
		n = read(j->fd, b.buf + b.len, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = bf_err_set(err, BF_EFAIL, "%s: %s", j->path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		while ((nl = memchr(b.buf + start, '\n', b.len - start)) !=
		    NULL) {
			size_t len = (size_t)(nl - (b.buf + start));
			int r = 1;

			*nl = '\0';
			j->lines++;
			if (fn != NULL)
				r = fn(ctx, b.buf + start, len, err);
			if (r < 0) {
				bf_err_prefix(err, "%s:%ld", j->path, j->lines);
				rc = r;
				goto out;
			}
			start += len + 1;
			if (r > 0) {
				commit = base + (off_t)start;
				j->batches++;
			}
		}
		if (b.len - start > BF_LINE_MAX) {
			rc = bf_err_set(err, BF_EDATA,
			    "%s:%ld: line longer than %d bytes", j->path,
			    j->lines + 1, BF_LINE_MAX);
			goto out;
		}
		/* Keep only the unfinished line. */
		memmove(b.buf, b.buf + start, b.len - start);
		base += (off_t)start;
		b.len -= start;
		start = 0;
	}
	j->size = commit;
	j->torn = base + (off_t)b.len - commit;
out:
	bf_buf_release(&b);
	return rc;
}

/* Open, lock, replay, repair; see journal.h. */
int
bf_journal_open(struct bf_journal *j, const char *path, bf_journal_fn fn,
    void *ctx, struct bf_err *err)
{
	int rc;

	memset(j, 0, sizeof(*j));
	j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    strerror(errno));
	j->path = bf_strdup(path);
	if (flock(j->fd, LOCK_EX | LOCK_NB) < 0)
		return fail(j, bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    errno == EWOULDBLOCK ? "in use by another process" :
		    strerror(errno)));
	rc = replay(j, fn, ctx, err);
	if (rc < 0)
		return fail(j, rc);
	if (j->torn > 0 && (ftruncate(j->fd, j->size) < 0 ||
	    fsync(j->fd) < 0))
		return fail(j, bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    strerror(errno)));
	if (lseek(j->fd, j->size, SEEK_SET) < 0)
		return fail(j, bf_err_set(err, BF_EFAIL, "%s: %s", path,
		    strerror(errno)));
	return 0;
}

/* Append one batch and force it to the disk; see journal.h. */
int
bf_journal_append(struct bf_journal *j, const void *buf, size_t len,
    struct bf_err *err)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(j->fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (fsync(j->fd) < 0)
		goto fail;
	j->size += (off_t)len;
	return 0;
fail:
	bf_err_set(err, BF_EFAIL, "%s: %s", j->path, strerror(errno));
	/* Leave no partial batch behind. */
	if (ftruncate(j->fd, j->size) == 0)
		(void)lseek(j->fd, j->size, SEEK_SET);
	return BF_EFAIL;
}

/* Close; see journal.h. */
void
bf_journal_close(struct bf_journal *j)
{
	if (j->fd > 0)
		close(j->fd);	/* releases the lock */
	j->fd = -1;
	free(j->path);
	j->path = NULL;
}
