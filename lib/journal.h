/* SPDX-License-Identifier: MIT */
/*
 * journal.h - an append-only log of lines that loses nothing: bf-exec's
 * record of every bar it acted on and every order event it made, from
 * which a restarted process rebuilds its state.
 *
 * The file is a sequence of batches, each one or more '\n'-terminated
 * lines written by one bf_journal_append and forced to the disk
 * (fsync) before the call returns, so an event the caller reports after
 * the call survives a crash or a power cut.  The last line of a batch is
 * its commit line; the replay callback says which lines are (it returns
 * 1 for them).  A crash in the middle of a write leaves a torn tail: a
 * line without its '\n', or lines of a batch whose commit line never
 * made it.  Opening the journal replays it and cuts such a tail off
 * (reported in 'torn'), so the file again ends at a batch boundary.
 *
 * A journal is locked (flock, exclusive) while open: a second process
 * on the same file is refused instead of interleaving its batches.
 *
 * Ownership: the bf_journal owns its descriptor and path copy.  The
 * lines handed to the replay callback are valid during the call only.
 */
#ifndef BF_JOURNAL_H
#define BF_JOURNAL_H

#include <sys/types.h>

#include "compat.h"
#include "err.h"

struct bf_journal {
	int fd;
	char *path;		/* owned */
	off_t size;		/* bytes in the file, at a batch boundary */
	long lines;		/* lines replayed */
	long batches;		/* batches replayed */
	off_t torn;		/* bytes cut off by the last open */
};

/*
 * Called with each complete line of the journal (without its '\n',
 * NUL-terminated, writable).  Returns 1 when the line ends a batch, 0
 * when more lines of its batch follow, or a negative BF_E* code (with
 * 'err') to stop.
 */
typedef int (*bf_journal_fn)(void *ctx, char *line, size_t len,
    struct bf_err *err);

/*
 * Open (creating with mode 0600) and lock the journal at 'path', replay
 * it through 'fn' (may be NULL: every line is then a batch), and cut
 * off a torn tail.  Returns 0, or BF_EFAIL (cannot open, locked by
 * another process, I/O error), BF_EDATA (a line longer than
 * BF_LINE_MAX), or the callback's code; 'j' is then closed.
 */
int bf_journal_open(struct bf_journal *j, const char *path, bf_journal_fn fn,
    void *ctx, struct bf_err *err);

/*
 * Append the 'len' bytes at 'buf' (whole lines, the last one the
 * batch's commit line) and fsync.  On failure the file is cut back to
 * where it was, so no partial batch stays behind.  Returns 0 or
 * BF_EFAIL.
 */
int bf_journal_append(struct bf_journal *j, const void *buf, size_t len,
    struct bf_err *err);

/* Unlock and close.  NULL-safe on a zeroed or closed journal. */
void bf_journal_close(struct bf_journal *j);

#endif /* BF_JOURNAL_H */
