/* SPDX-License-Identifier: MIT */
/*
 * check_journal.c - the append-only journal (journal.h): batches replay
 * in order, a torn tail (a line without its newline, or lines of a batch
 * without its commit line) is cut off, and a second open is refused
 * while the first holds the lock.
 */
#include <check.h>
#include <fcntl.h>
#include <unistd.h>

#include "compat.h"
#include "journal.h"

Suite *journal_suite(void);

/* What the replay saw. */
struct seen {
	char text[512];
	int lines;
};

/* Replay callback: lines starting with 'c' commit a batch. */
static int
collect(void *ctx, char *line, size_t len, struct bf_err *err)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);

	(void)err;
	ck_assert_uint_eq(strlen(line), len);
	snprintf(s->text + n, sizeof(s->text) - n, "%s;", line);
	s->lines++;
	return line[0] == 'c' ? 1 : 0;
}

/* A fresh path in the temporary directory. */
static void
tmp_path(char *buf, size_t n)
{
	const char *d = getenv("TMPDIR");

	snprintf(buf, n, "%s/check_journal.%ld", d != NULL ? d : "/tmp",
	    (long)getpid());
	unlink(buf);
}

START_TEST(test_roundtrip)
{
	struct bf_journal j;
	struct bf_err err = BF_ERR_INIT;
	struct seen s = { "", 0 };
	char path[256];

	tmp_path(path, sizeof(path));
	ck_assert_int_eq(bf_journal_open(&j, path, collect, &s, &err), 0);
	ck_assert_int_eq(s.lines, 0);
	ck_assert_int_eq(bf_journal_append(&j, "a1\nc1\n", 6, &err), 0);
	ck_assert_int_eq(bf_journal_append(&j, "c2\n", 3, &err), 0);
	bf_journal_close(&j);
	ck_assert_int_eq(bf_journal_open(&j, path, collect, &s, &err), 0);
	ck_assert_str_eq(s.text, "a1;c1;c2;");
	ck_assert_int_eq(j.batches, 2);
	ck_assert_int_eq(j.torn, 0);
	bf_journal_close(&j);
	unlink(path);
}
END_TEST

START_TEST(test_torn)
{
	struct bf_journal j;
	struct bf_err err = BF_ERR_INIT;
	struct seen s = { "", 0 };
	char path[256];
	int fd;

	tmp_path(path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	/* A whole batch, a batch without its commit, half a line. */
	ck_assert_int_eq(write(fd, "c1\na2\nc", 7), 7);
	close(fd);
	ck_assert_int_eq(bf_journal_open(&j, path, collect, &s, &err), 0);
	ck_assert_int_eq(j.torn, 4);
	ck_assert_int_eq(j.size, 3);
	ck_assert_int_eq(bf_journal_append(&j, "c3\n", 3, &err), 0);
	bf_journal_close(&j);
	s.text[0] = '\0';
	ck_assert_int_eq(bf_journal_open(&j, path, collect, &s, &err), 0);
	ck_assert_str_eq(s.text, "c1;c3;");
	ck_assert_int_eq(j.torn, 0);
	bf_journal_close(&j);
	unlink(path);
}
END_TEST

START_TEST(test_locked)
{
	struct bf_journal j, k;
	struct bf_err err = BF_ERR_INIT;
	char path[256];

	tmp_path(path, sizeof(path));
	ck_assert_int_eq(bf_journal_open(&j, path, NULL, NULL, &err), 0);
	ck_assert_int_eq(bf_journal_open(&k, path, NULL, NULL, &err),
	    BF_EFAIL);
	ck_assert_ptr_nonnull(strstr(err.msg, "in use by another process"));
	bf_journal_close(&j);
	ck_assert_int_eq(bf_journal_open(&k, path, NULL, NULL, &err), 0);
	bf_journal_close(&k);
	unlink(path);
}
END_TEST

/* Replay callback that refuses the line "bad". */
static int
refuse(void *ctx, char *line, size_t len, struct bf_err *err)
{
	(void)ctx;
	(void)len;
	if (strcmp(line, "bad") == 0)
		return bf_err_set(err, BF_EDATA, "refused");
	return 1;
}

START_TEST(test_callback_error)
{
	struct bf_journal j;
	struct bf_err err = BF_ERR_INIT;
	char path[256];
	int fd;

	tmp_path(path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(write(fd, "c1\nbad\n", 7), 7);
	close(fd);
	/* NULL callback: every line commits. */
	ck_assert_int_eq(bf_journal_open(&j, path, NULL, NULL, &err), 0);
	ck_assert_int_eq(j.batches, 2);
	bf_journal_close(&j);
	/* A refusal names the file and line, and closes the journal. */
	ck_assert_int_eq(bf_journal_open(&j, path, refuse, NULL, &err),
	    BF_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, ":2: refused"));
	ck_assert_int_eq(j.fd, -1);
	unlink(path);
}
END_TEST

Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_torn);
	tcase_add_test(tc, test_locked);
	tcase_add_test(tc, test_callback_error);
	suite_add_tcase(s, tc);
	return s;
}
