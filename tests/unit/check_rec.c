/* SPDX-License-Identifier: MIT */
/*
 * check_rec.c - the record reader and writer (lib/rec.c) on ordinary and
 * hostile input: every case gives the documented result or a one-line
 * error naming the line.
 */
#include "bf.h"

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>

/* A reader over 'len' bytes of 'data', through a temporary file. */
static struct bf_reader *
reader_for(const char *data, size_t len)
{
	char path[] = "/tmp/bf-check-rec-XXXXXX";
	int fd = mkstemp(path);
	size_t off = 0;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		ck_assert_int_gt(n, 0);
		off += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return bf_reader_new(fd, "stdin", BF_FMT_AUTO);
}

static struct bf_reader *
reader_str(const char *s)
{
	return reader_for(s, strlen(s));
}

static void
reader_done(struct bf_reader *rd)
{
	/* reader_for's descriptor is the reader's to close here */
	bf_reader_free(rd);
}

/* The text of field 'i' as a NUL-terminated copy (static buffer). */
static const char *
fld(struct bf_reader *rd, size_t i)
{
	static char buf[4096];
	const struct bf_field *f = bf_reader_field(rd, i);

	ck_assert_uint_lt(f->len, sizeof(buf));
	memcpy(buf, f->s, f->len);
	buf[f->len] = '\0';
	return buf;
}

/* Run the whole input through a writer into a string (caller frees). */
static char *
roundtrip(const char *in, int out_fmt, int *rc)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str(in);
	char path[] = "/tmp/bf-check-out-XXXXXX";
	int fd = mkstemp(path), r;
	struct bf_writer *w;
	char *out;
	off_t size;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	r = bf_reader_start(rd, &err);
	*rc = r;
	if (r > 0) {
		w = bf_writer_new(fd, out_fmt ? out_fmt : bf_reader_format(rd),
		    12, 0);
		bf_writer_start(w, rd, NULL, 0, &err);
		while ((r = bf_reader_next(rd, &err)) > 0)
			ck_assert_int_eq(bf_writer_emit(w, rd, &err), 0);
		*rc = r;
		ck_assert_int_eq(bf_writer_close(w, &err), 0);
	}
	reader_done(rd);
	size = lseek(fd, 0, SEEK_END);
	out = bf_xmalloc((size_t)size + 1);
	ck_assert_int_eq(pread(fd, out, (size_t)size, 0), size);
	out[size] = '\0';
	close(fd);
	return out;
}

START_TEST(test_empty_input)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("");

	ck_assert_int_eq(bf_reader_start(rd, &err), 0);
	ck_assert_int_eq(bf_reader_next(rd, &err), 0);
	reader_done(rd);
}
END_TEST

START_TEST(test_header_only)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("a,b,c\n");
	int rc;
	char *out;

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_uint_eq(bf_reader_ncols(rd), 3);
	ck_assert_str_eq(bf_reader_colname(rd, 2), "c");
	ck_assert_int_eq(bf_reader_col(rd, "b"), 1);
	ck_assert_int_eq(bf_reader_col(rd, "x"), -1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 0);
	reader_done(rd);
	out = roundtrip("a,b,c\n", 0, &rc);
	ck_assert_str_eq(out, "a,b,c\n");
	free(out);
}
END_TEST

START_TEST(test_basic_csv)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("t,p\r\n1,2.5\r\n\r\n3,\n4,5");

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_str_eq(fld(rd, 0), "1");
	ck_assert_str_eq(fld(rd, 1), "2.5");
	ck_assert_int_eq(bf_reader_line(rd), 2);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_str_eq(fld(rd, 0), "3");
	ck_assert_int_eq(bf_reader_field(rd, 1)->kind, BF_VAL_MISSING);
	ck_assert_int_eq(bf_reader_line(rd), 4); /* blank line 3 skipped */
	ck_assert_int_eq(bf_reader_next(rd, &err), 1); /* no final newline */
	ck_assert_str_eq(fld(rd, 1), "5");
	ck_assert_int_eq(bf_reader_next(rd, &err), 0);
	reader_done(rd);
}
END_TEST

START_TEST(test_quoted_fields)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str(
	    "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n3,4\n");
	char *out;
	int rc;

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_str_eq(fld(rd, 0), "x,y");
	ck_assert_str_eq(fld(rd, 1), "say \"hi\"");
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_str_eq(fld(rd, 0), "multi\nline");
	ck_assert_int_eq(bf_reader_line(rd), 3);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_line(rd), 5); /* physical line */
	reader_done(rd);

	out = roundtrip("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n",
	    0, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out,
	    "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n");
	free(out);
	/* Needless quotes are dropped: the output is canonical. */
	out = roundtrip("a,b\n\"x\",\"\"\n", 0, &rc);
	ck_assert_str_eq(out, "a,b\nx,\n");
	free(out);
}
END_TEST

START_TEST(test_duplicate_header)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("a,b,a\n1,2,3\n");

	ck_assert_int_eq(bf_reader_start(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:1: duplicate column 'a'");
	reader_done(rd);
}
END_TEST

START_TEST(test_ragged_rows)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("a,b,c\n1,2,3\n4,5\n");

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:3: 2 fields, the header has 3");
	ck_assert_int_eq(err.line, 3);
	reader_done(rd);

	rd = reader_str("a,b\n1,2,3\n");
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "stdin:2: more than 2 fields"));
	reader_done(rd);
}
END_TEST

START_TEST(test_nul_byte)
{
	struct bf_err err = BF_ERR_INIT;
	static const char in[] = "a,b\n1,2\n3,x\0y\n";
	struct bf_reader *rd = reader_for(in, sizeof(in) - 1);

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:3: NUL byte in field 2");
	reader_done(rd);
}
END_TEST

START_TEST(test_unterminated_quote)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("a,b\n1,\"open\n");

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:2: unterminated quoted field");
	reader_done(rd);
	rd = reader_str("a,b\n\"x\"y,1\n");
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg,
	    "stdin:2: unexpected text after quoted field 1");
	reader_done(rd);
}
END_TEST

START_TEST(test_long_line)
{
	struct bf_err err = BF_ERR_INIT;
	size_t n = 2 * 1024 * 1024;
	char *in = bf_xmalloc(n + 16);
	struct bf_reader *rd;

	memcpy(in, "a\n", 2);
	memset(in + 2, 'x', n);
	memcpy(in + 2 + n, "\n", 1);
	rd = reader_for(in, n + 3);
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:2: record longer than 1048576 bytes");
	reader_done(rd);
	/* The same as NDJSON. */
	memcpy(in, "{\"a\":1}\n\"", 9);
	memset(in + 9, 'x', n);
	rd = reader_for(in, n + 9);
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "stdin:2: record longer"));
	reader_done(rd);
	free(in);
}
END_TEST

START_TEST(test_line_at_limit)
{
	struct bf_err err = BF_ERR_INIT;
	size_t n = BF_LINE_MAX - 1; /* the record plus its '\n' fits */
	char *in = bf_xmalloc(n + 16);
	struct bf_reader *rd;

	memcpy(in, "a\n", 2);
	memset(in + 2, 'y', n);
	memcpy(in + 2 + n, "\n", 1);
	rd = reader_for(in, n + 3);
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_uint_eq(bf_reader_field(rd, 0)->len, n);
	ck_assert_int_eq(bf_reader_next(rd, &err), 0);
	reader_done(rd);
	free(in);
}
END_TEST

START_TEST(test_many_records_across_buffers)
{
	struct bf_buf b = BF_BUF_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd;
	long n = 0;

	bf_buf_adds(&b, "i,quoted,v\n");
	for (int i = 0; i < 200000; i++)
		bf_buf_printf(&b, "%d,\"q,%d\",%d.5\n", i, i, i);
	rd = reader_for(b.buf, b.len);
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	while (bf_reader_next(rd, &err) == 1) {
		int64_t v;
		ck_assert_int_eq(bf_reader_i64(rd, 0, &v, &err), 1);
		ck_assert_int_eq(v, n);
		ck_assert_int_eq(bf_reader_line(rd), n + 2);
		n++;
	}
	ck_assert_int_eq(err.code, 0);
	ck_assert_int_eq(n, 200000);
	reader_done(rd);
	bf_buf_release(&b);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	char *out;
	int rc;

	/* CSV passes bytes through; JSON output replaces invalid UTF-8. */
	out = roundtrip("s\n\xff\xfe\xc3\xa9\n", 0, &rc);
	ck_assert_str_eq(out, "s\n\xff\xfe\xc3\xa9\n");
	free(out);
	out = roundtrip("s\n\xff\xc3\xa9\n", BF_FMT_JSON, &rc);
	ck_assert_str_eq(out, "{\"s\":\"\xef\xbf\xbd\xc3\xa9\"}\n");
	free(out);
}
END_TEST

START_TEST(test_bom)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("\xef\xbb\xbfopen_time,x\n1,2\n");

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_str_eq(bf_reader_colname(rd, 0), "open_time");
	reader_done(rd);
}
END_TEST

START_TEST(test_json_values)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str(
	    "{\"t\": 1, \"p\":\"0.0010\",\"n\":null,\"b\":true,"
	    "\"o\":{\"k\":[1,\"}\"]},\"s\":\"a\\\"b\\u00e9\\n\"}\n"
	    "\n"
	    "{\"p\":\"2\",\"t\":2}\n");

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_format(rd), BF_FMT_JSON);
	ck_assert_uint_eq(bf_reader_ncols(rd), 6);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_str_eq(fld(rd, 0), "1");
	ck_assert_int_eq(bf_reader_field(rd, 0)->kind, BF_VAL_RAW);
	ck_assert_str_eq(fld(rd, 1), "0.0010");
	ck_assert_int_eq(bf_reader_field(rd, 1)->kind, BF_VAL_TEXT);
	ck_assert_int_eq(bf_reader_field(rd, 2)->kind, BF_VAL_MISSING);
	ck_assert_str_eq(fld(rd, 3), "true");
	ck_assert_str_eq(fld(rd, 4), "{\"k\":[1,\"}\"]}");
	ck_assert_str_eq(fld(rd, 5), "a\"b\xc3\xa9\n");
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_line(rd), 3);
	ck_assert_str_eq(fld(rd, 0), "2");
	ck_assert_str_eq(fld(rd, 1), "2");
	ck_assert_int_eq(bf_reader_field(rd, 5)->kind, BF_VAL_MISSING);
	ck_assert_int_eq(bf_reader_next(rd, &err), 0);
	reader_done(rd);
}
END_TEST

START_TEST(test_json_errors)
{
	static const struct {
		const char *in;
		const char *msg;
	} cases[] = {
		{ "{\"a\":1}\n[1,2]\n", "stdin:2: not a JSON object" },
		{ "{\"a\":1}\n5\n", "stdin:2: not a JSON object" },
		{ "{\"a\":1}\n{\"b\":2}\n", "stdin:2: key 'b' is not in the first record" },
		{ "{\"a\":1}\n{\"a\":1,\"a\":2}\n", "stdin:2: duplicate key 'a'" },
		{ "{\"a\":1,\"a\":2}\n", "stdin:1: duplicate key 'a'" },
		{ "{\"a\":1}\n{\"a\":01}\n", "stdin:2: invalid JSON: expected ',' or '}'" },
		{ "{\"a\":1}\n{\"a\":}\n", "stdin:2: invalid JSON value" },
		{ "{\"a\":1}\n{\"a\":1} x\n", "stdin:2: text after the JSON object" },
		{ "{\"a\":\"x\n", "stdin:1: invalid JSON string" },
		{ "{}\n", "stdin:1: the first record has no keys" },
	};

	for (size_t i = 0; i < BF_ARRAY_SIZE(cases); i++) {
		struct bf_err err = BF_ERR_INIT;
		struct bf_reader *rd = reader_str(cases[i].in);
		int r = bf_reader_start(rd, &err);
		while (r > 0)
			r = bf_reader_next(rd, &err);
		ck_assert_msg(r == BF_EDATA, "case %zu: r=%d", i, r);
		ck_assert_str_eq(err.msg, cases[i].msg);
		reader_done(rd);
	}
}
END_TEST

START_TEST(test_numbers)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("v\n1.5\n1e309\nnan\n-0\n\nabc\n");
	double v;

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_double(rd, 0, &v, &err), 1);
	ck_assert(v == 1.5);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_double(rd, 0, &v, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:3: column 'v': invalid number '1e309'");
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_double(rd, 0, &v, &err), BF_EDATA);
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_double(rd, 0, &v, &err), 1);
	ck_assert(v == 0 && signbit(v));
	ck_assert_int_eq(bf_reader_next(rd, &err), 1);
	ck_assert_int_eq(bf_reader_double(rd, 0, &v, &err), BF_EDATA);
	ck_assert_str_eq(err.msg, "stdin:7: column 'v': invalid number 'abc'");
	ck_assert_int_eq(bf_reader_double(rd, -1, &v, &err), 0);
	reader_done(rd);
}
END_TEST

START_TEST(test_require)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str("open,high,low\n");
	static const char *const need[] = { "open", "close", "volume" };
	int idx[3];

	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	ck_assert_int_eq(bf_reader_require(rd, need, idx, 3, &err), BF_EDATA);
	ck_assert_str_eq(err.msg,
	    "stdin:1: missing required columns 'close', 'volume'");
	ck_assert_int_eq(idx[0], 0);
	reader_done(rd);
}
END_TEST

/* A writer whose tool columns append and replace, to a string. */
static char *
tool_output(const char *in, int fmt)
{
	static const char *const cols[] = { "close", "x", "note" };
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = reader_str(in);
	char path[] = "/tmp/bf-check-out-XXXXXX";
	int fd = mkstemp(path);
	struct bf_writer *w;
	char *out;
	off_t size;
	int n = 0;

	unlink(path);
	ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	w = bf_writer_new(fd, fmt, 6, 0);
	bf_writer_start(w, rd, cols, 3, &err);
	while (bf_reader_next(rd, &err) > 0) {
		bf_writer_set_double(w, 0, 100.0 / 3);
		if (n == 0)
			bf_writer_set_i64(w, 1, -42);
		else
			bf_writer_set_double(w, 1, NAN);
		bf_writer_set_text(w, 2, n ? "a,\"b\"" : "12", n ? 5 : 2);
		ck_assert_int_eq(bf_writer_emit(w, rd, &err), 0);
		n++;
	}
	ck_assert_int_eq(bf_writer_close(w, &err), 0);
	reader_done(rd);
	size = lseek(fd, 0, SEEK_END);
	out = bf_xmalloc((size_t)size + 1);
	ck_assert_int_eq(pread(fd, out, (size_t)size, 0), size);
	out[size] = '\0';
	close(fd);
	return out;
}

START_TEST(test_writer_columns)
{
	char *out = tool_output("t,close,v\n1,2,3\n4,5,6\n", BF_FMT_CSV);

	ck_assert_str_eq(out, "t,close,v,x,note\n"
	    "1,33.3333,3,-42,12\n"
	    "4,33.3333,6,,\"a,\"\"b\"\"\"\n");
	free(out);
	out = tool_output("t,close,v\n1,2,3\n", BF_FMT_JSON);
	ck_assert_str_eq(out, "{\"t\":1,\"close\":33.3333,\"v\":3,\"x\":-42,"
	    "\"note\":\"12\"}\n");
	free(out);
}
END_TEST

/*
 * Tool columns all appended (the writer's in-order layout): the records
 * set them in order, out of order, twice, partly, with text that needs
 * quotes in the middle, and through bf_writer_set_doubles; each must
 * come out as if written column by column.  'rd' NULL: no input columns.
 */
static char *
order_output(const char *in, int fmt)
{
	static const char *const cols[] = { "x", "y", "z" };
	static const double row[3] = { 0.5, NAN, -2 };
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd = in ? reader_str(in) : NULL;
	char path[] = "/tmp/bf-check-out-XXXXXX";
	int fd = mkstemp(path);
	struct bf_writer *w;
	char *out;
	off_t size;

	unlink(path);
	if (rd)
		ck_assert_int_eq(bf_reader_start(rd, &err), 1);
	w = bf_writer_new(fd, fmt, 12, 0);
	bf_writer_start(w, rd, cols, 3, &err);
	for (int n = 0; n < 8; n++) {
		if (rd)
			ck_assert_int_eq(bf_reader_next(rd, &err), 1);
		switch (n) {
		case 0:		/* in order */
			bf_writer_set_double(w, 0, 1.25);
			bf_writer_set_i64(w, 1, 7);
			bf_writer_set_text(w, 2, "ok", 2);
			break;
		case 1:		/* out of order */
			bf_writer_set_text(w, 2, "c", 1);
			bf_writer_set_double(w, 0, 1e-7);
			bf_writer_set_missing(w, 1);
			break;
		case 2:		/* the last set twice */
			bf_writer_set_doubles(w, 0, row, 3);
			bf_writer_set_double(w, 2, 3);
			break;
		case 3:		/* the first set again after all */
			bf_writer_set_doubles(w, 0, row, 3);
			bf_writer_set_number(w, 0, "9", 1);
			break;
		case 4:		/* the last not set */
			bf_writer_set_doubles(w, 0, row, 2);
			break;
		case 5:		/* quotes needed in the middle */
			bf_writer_set_double(w, 0, 100);
			bf_writer_set_auto(w, 1, "a,b", 3);
			bf_writer_set_double(w, 2, INFINITY);
			break;
		case 6:		/* in order in two batches, out of range */
			bf_writer_set_doubles(w, 0, row, 1);
			bf_writer_set_doubles(w, 1, row + 1, 5);
			bf_writer_set_doubles(w, 3, row, 1);
			break;
		default:	/* nothing set: all missing */
			break;
		}
		ck_assert_int_eq(bf_writer_emit(w, rd, &err), 0);
	}
	ck_assert_int_eq(bf_writer_close(w, &err), 0);
	if (rd)
		reader_done(rd);
	size = lseek(fd, 0, SEEK_END);
	out = bf_xmalloc((size_t)size + 1);
	ck_assert_int_eq(pread(fd, out, (size_t)size, 0), size);
	out[size] = '\0';
	close(fd);
	return out;
}

/* The 8 records of order_output, each after prefix 'pre[i]' or none. */
static void
order_want(char *want, size_t size, const char *header,
    const char *const *pre)
{
	size_t n;

	static const char rows[] =
	    "1.25,7,ok\n"
	    "1e-07,,c\n"
	    "0.5,,3\n"
	    "9,,-2\n"
	    "0.5,,\n"
	    "100,\"a,b\",\n"
	    "0.5,,-2\n"
	    ",,\n";
	const char *r = rows;

	n = (size_t)snprintf(want, size, "%s", header);
	for (int i = 0; i < 8 && n < size; i++) {
		const char *e = strchr(r, '\n') + 1;

		n += (size_t)snprintf(want + n, size - n, "%s%.*s",
		    pre ? pre[i] : "", (int)(e - r), r);
		r = e;
	}
	ck_assert_uint_lt(n, size);
}

START_TEST(test_writer_order)
{
	/* Input written back as it came, or field by field: both here. */
	static const char in[] = "t,s\n1,a\n2,\"b,c\"\n3,\n4,d\n5,e\r\n6,f\"g\n"
	    "7,\"g\"\"h\"\n\"8\",h\n";
	static const char *const pre[8] = { "1,a,", "2,\"b,c\",", "3,,",
	    "4,d,", "5,e,", "6,\"f\"\"g\",", "7,\"g\"\"h\",", "8,h," };
	char want[512], *out;

	out = order_output(in, BF_FMT_CSV);
	order_want(want, sizeof(want), "t,s,x,y,z\n", pre);
	ck_assert_str_eq(out, want);
	free(out);
	/* No input columns: the tool's columns alone. */
	out = order_output(NULL, BF_FMT_CSV);
	order_want(want, sizeof(want), "x,y,z\n", NULL);
	ck_assert_str_eq(out, want);
	free(out);
	out = order_output(in, BF_FMT_JSON);
	ck_assert_ptr_nonnull(strstr(out, "{\"t\":1,\"s\":\"a\",\"x\":1.25,"
	    "\"y\":7,\"z\":\"ok\"}\n{\"t\":2,\"s\":\"b,c\",\"x\":1e-07,"
	    "\"y\":null,\"z\":\"c\"}\n"));
	ck_assert_ptr_nonnull(strstr(out, "{\"t\":6,\"s\":\"f\\\"g\",\"x\":100,"
	    "\"y\":\"a,b\",\"z\":null}\n"));
	free(out);
}
END_TEST

START_TEST(test_single_column_missing)
{
	char *out;
	int rc;

	/* A missing value in a one-column CSV must not vanish as a blank line. */
	out = roundtrip("{\"a\":1}\n{\"a\":null}\n", BF_FMT_CSV, &rc);
	ck_assert_str_eq(out, "a\n1\n\"\"\n");
	free(out);
	out = roundtrip("a\n1\n\"\"\n", 0, &rc);
	ck_assert_str_eq(out, "a\n1\n\"\"\n");
	free(out);
}
END_TEST

START_TEST(test_write_error)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_writer *w;
	int fd = open("/dev/full", O_WRONLY);
	static const char *const cols[] = { "x" };

	if (fd < 0)
		return; /* no /dev/full here */
	w = bf_writer_new(fd, BF_FMT_CSV, 12, BF_WRITER_UNBUFFERED);
	bf_writer_start(w, NULL, cols, 1, &err);
	bf_writer_set_i64(w, 0, 1);
	ck_assert_int_eq(bf_writer_emit(w, NULL, &err), BF_EFAIL);
	ck_assert_str_eq(err.msg, "write error: No space left on device");
	ck_assert_int_eq(bf_writer_close(w, &err), BF_EFAIL);
	close(fd);
}
END_TEST

START_TEST(test_broken_pipe)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_writer *w;
	static const char *const cols[] = { "x" };
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	w = bf_writer_new(p[1], BF_FMT_CSV, 12, 0);
	bf_writer_start(w, NULL, cols, 1, &err);
	bf_writer_set_i64(w, 0, 1);
	/* Into a pipe with no reader, every record is flushed at once. */
	ck_assert_int_eq(bf_writer_emit(w, NULL, &err), BF_EFAIL);
	ck_assert_str_eq(err.msg, "write error: Broken pipe");
	ck_assert_int_eq(bf_writer_close(w, &err), BF_EFAIL);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}
END_TEST

START_TEST(test_format_parse)
{
	ck_assert_int_eq(bf_format_parse("csv"), BF_FMT_CSV);
	ck_assert_int_eq(bf_format_parse("json"), BF_FMT_JSON);
	ck_assert_int_eq(bf_format_parse("ndjson"), BF_FMT_JSON);
	ck_assert_int_eq(bf_format_parse("tsv"), -1);
}
END_TEST

Suite *
rec_suite(void)
{
	Suite *s = suite_create("rec");
	TCase *tc = tcase_create("reader");

	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_header_only);
	tcase_add_test(tc, test_basic_csv);
	tcase_add_test(tc, test_quoted_fields);
	tcase_add_test(tc, test_duplicate_header);
	tcase_add_test(tc, test_ragged_rows);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_line_at_limit);
	tcase_add_test(tc, test_many_records_across_buffers);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_json_values);
	tcase_add_test(tc, test_json_errors);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_require);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("writer");
	tcase_add_test(tc, test_writer_columns);
	tcase_add_test(tc, test_writer_order);
	tcase_add_test(tc, test_single_column_missing);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_broken_pipe);
	tcase_add_test(tc, test_format_parse);
	suite_add_tcase(s, tc);
	return s;
}
