/* SPDX-License-Identifier: MIT */
/*
 * rec.h - record streams: CSV with a header line, or NDJSON (bf(7)).
 *
 * A reader sniffs the format from the first byte of its input ('{' means
 * NDJSON, anything else CSV whose first line is the header), learns the
 * column names once, and then hands out one record at a time as an array
 * of fields addressed by column index (found by name with bf_reader_col).
 * Values are the exact bytes of the input: nothing is converted unless a
 * tool asks for a number (bf_reader_double).
 *
 * A writer writes the reader's columns through unchanged and in order and
 * appends the tool's own columns, or replaces an input column of the same
 * name in place, so re-running a stage is idempotent.  A tool sets its
 * columns' values for the current record and calls bf_writer_emit.
 *
 * Rules of the format (bf(7) says the same for users):
 *  - CSV: comma separated, "\n" or "\r\n" line ends, RFC 4180 quotes;
 *    output has "\n" line ends and quotes a field only when it contains a
 *    comma, a quote, CR or LF.  An empty cell is a missing value.
 *  - NDJSON: one flat JSON object per line; the first record's keys are
 *    the columns; later records may omit keys (missing) or order them
 *    differently, but a key the first record did not have is an error.
 *    null is missing; nested objects and arrays pass through as raw JSON.
 *  - A record is at most BF_LINE_MAX bytes; a longer one is a data error.
 *  - Duplicate column names, ragged CSV rows, NUL bytes and unterminated
 *    quotes are data errors, reported as "NAME:LINE: what".
 *  - A leading UTF-8 byte order mark is skipped.  Other bytes pass through
 *    as they are; JSON output replaces invalid UTF-8 with U+FFFD.
 *
 * Ownership: a reader borrows its file descriptor (never closes it);
 * field values point into the reader's buffers and are valid until the
 * next bf_reader_next.  Column names are owned by the reader and live as
 * long as it does.  A writer borrows its descriptor too; bf_writer_close
 * flushes and reports write errors but does not close the descriptor.
 *
 * Flushing: into a regular file output is buffered (and flushed per
 * record only with BF_WRITER_UNBUFFERED, -u).  Into anything else (a
 * pipe, a terminal) a writer flushes every record, or, once linked to
 * the reader that paces it (bf_writer_link), whenever that reader is
 * about to wait for input that has not arrived yet: in a live pipeline
 * each output record leaves as soon as the input that produced it came
 * in, while a bulk run through a pipe still writes in large blocks.
 */
#ifndef BF_REC_H
#define BF_REC_H

#include "compat.h"
#include "err.h"

#define BF_LINE_MAX (1024 * 1024)

enum {
	BF_FMT_AUTO = 0,
	BF_FMT_CSV = 1,
	BF_FMT_JSON = 2
};

/* What a field's text is, which decides how JSON output writes it. */
enum {
	BF_VAL_MISSING = 0, /* empty CSV cell, JSON null or absent key */
	BF_VAL_AUTO,	    /* CSV cell: a JSON number if it looks like one */
	BF_VAL_TEXT,	    /* a string: quoted in JSON */
	BF_VAL_RAW	    /* JSON number, true/false, nested value: bare */
};

struct bf_field {
	const char *s;	/* not NUL-terminated; "" when missing */
	uint32_t len;
	uint8_t kind;	/* BF_VAL_* */
	uint8_t quote;	/* CSV output must quote it */
};

struct bf_reader;
struct bf_writer;

/* Parse "csv" or "json" (also "ndjson").  Returns BF_FMT_* or -1. */
int bf_format_parse(const char *s);

/*
 * A reader over file descriptor 'fd' (borrowed).  'name' (copied) is used
 * in messages: "stdin", or a file name.  'fmt' is BF_FMT_AUTO to sniff.
 */
struct bf_reader *bf_reader_new(int fd, const char *name, int fmt);

/*
 * A reader over the file at 'path' (gzip-compressed or plain; "-" is
 * stdin).  Returns NULL and fills 'err' (BF_EFAIL) if it cannot be opened.
 */
struct bf_reader *bf_reader_open(const char *path, int fmt,
    struct bf_err *err);

/* Free the reader (and close the file bf_reader_open opened). NULL: no-op. */
void bf_reader_free(struct bf_reader *rd);

/*
 * Read the header (CSV) or the first record (NDJSON, which is then
 * returned by the first bf_reader_next).  Returns 1 when the columns are
 * known, 0 on empty input, or a negative BF_E* code with 'err' filled.
 */
int bf_reader_start(struct bf_reader *rd, struct bf_err *err);

/* The input format (BF_FMT_CSV or BF_FMT_JSON; AUTO before start). */
int bf_reader_format(const struct bf_reader *rd);

size_t bf_reader_ncols(const struct bf_reader *rd);
const char *bf_reader_colname(const struct bf_reader *rd, size_t i);

/* The index of column 'name', or -1. */
int bf_reader_col(const struct bf_reader *rd, const char *name);

/*
 * Find the 'n' columns 'names' and store their indexes in 'idx'.
 * Returns 0, or BF_EDATA "NAME:1: missing required column 'a', 'b'".
 */
int bf_reader_require(const struct bf_reader *rd, const char *const *names,
    int *idx, size_t n, struct bf_err *err);

/*
 * Read the next record.  Returns 1, 0 at the end of input, or a negative
 * BF_E* code with 'err' filled ("NAME:LINE: what"; BF_EFAIL for a read
 * error, BF_EDATA for bad data).
 */
int bf_reader_next(struct bf_reader *rd, struct bf_err *err);

/* Field 'i' of the current record (i < ncols). */
const struct bf_field *bf_reader_field(const struct bf_reader *rd, size_t i);

/* The line number where the current record starts (the header is 1). */
long bf_reader_line(const struct bf_reader *rd);

/* The name given at creation ("stdin"). */
const char *bf_reader_name(const struct bf_reader *rd);

/*
 * The value of column 'col' of the current record as a double or integer.
 * Returns 1, 0 when the value is missing (or 'col' < 0), or BF_EDATA with
 * "NAME:LINE: column 'c': invalid number 'x'".
 */
int bf_reader_double(const struct bf_reader *rd, int col, double *out,
    struct bf_err *err);
int bf_reader_i64(const struct bf_reader *rd, int col, int64_t *out,
    struct bf_err *err);

/*
 * Fill 'err' with a data error about the current record:
 * "NAME:LINE: <message>".  Returns BF_EDATA.
 */
int bf_reader_error(const struct bf_reader *rd, struct bf_err *err,
    const char *fmt, ...) BF_PRINTF(3, 4);

/* ---- writer ---- */

enum {
	BF_WRITER_UNBUFFERED = 1 << 0 /* flush after every record */
};

/*
 * A writer on file descriptor 'fd' (borrowed) in format 'fmt' (CSV or
 * JSON), printing doubles with 'digits' significant digits.
 */
struct bf_writer *bf_writer_new(int fd, int fmt, int digits, int flags);

/*
 * Declare the output columns: the columns of 'rd' (may be NULL), then the
 * tool's 'n' columns 'cols', each appended or, when 'rd' has a column of
 * that name, put in its place.  Writes the CSV header.  Returns 0 or a
 * negative code.  'cols' are copied.
 */
int bf_writer_start(struct bf_writer *w, const struct bf_reader *rd,
    const char *const *cols, size_t n, struct bf_err *err);

/* Flush through to the descriptor before 'rd' waits for input. */
void bf_writer_link(struct bf_writer *w, struct bf_reader *rd);

/*
 * Set the tool's column 'k' (0 <= k < n of bf_writer_start) for the next
 * record.  Columns not set for a record are written as missing.
 * _double writes non-finite values as missing.  _text is a string (JSON
 * quotes it); _auto is text that JSON writes bare when it is a number
 * (exchange prices, ids); _number is text the caller guarantees to be a
 * number (bf_num_format output: written bare, never quoted, not
 * scanned); the text is copied.
 */
void bf_writer_set_double(struct bf_writer *w, size_t k, double v);
/* Columns k0 .. k0 + n - 1 from v[0 .. n - 1]: set_double on each. */
void bf_writer_set_doubles(struct bf_writer *w, size_t k0, const double *v,
    size_t n);
void bf_writer_set_i64(struct bf_writer *w, size_t k, int64_t v);
void bf_writer_set_text(struct bf_writer *w, size_t k, const char *s,
    size_t len);
void bf_writer_set_auto(struct bf_writer *w, size_t k, const char *s,
    size_t len);
void bf_writer_set_number(struct bf_writer *w, size_t k, const char *s,
    size_t len);
void bf_writer_set_missing(struct bf_writer *w, size_t k);

/*
 * Write one record: the current record of 'rd' (NULL if the writer was
 * started without one) with the tool's columns.  Returns 0 or BF_EFAIL
 * on a write error.
 */
int bf_writer_emit(struct bf_writer *w, const struct bf_reader *rd,
    struct bf_err *err);

/* Write buffered output.  Returns 0 or BF_EFAIL. */
int bf_writer_flush(struct bf_writer *w, struct bf_err *err);

/*
 * Flush and free the writer.  Returns 0, or BF_EFAIL when any write
 * failed (a full disk, a closed pipe with SIGPIPE ignored).  NULL: 0.
 */
int bf_writer_close(struct bf_writer *w, struct bf_err *err);

#endif /* BF_REC_H */
