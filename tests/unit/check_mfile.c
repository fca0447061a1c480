/* SPDX-License-Identifier: MIT */
/*
 * check_mfile.c - unit tests of lib/mfile.c: round trip, and that a
 * truncated, padded or bit-flipped file, or a file of another kind, is a
 * clean BF_EDATA error.
 */
#include "compat.h"

#include <check.h>
#include <unistd.h>

#include "err.h"
#include "mfile.h"

Suite *mfile_suite(void);

static char path[64];

/* Write a small model file to 'path'. */
static void
make_file(void)
{
	struct bf_mfile *mf = bf_mfile_new();
	struct bf_err err = BF_ERR_INIT;
	unsigned char blob[300];

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (unsigned char)(i * 7);
	snprintf(path, sizeof(path), "/tmp/bf-mfile-%ld", (long)getpid());
	ck_assert_int_eq(bf_mfile_set(mf, "kind", "short", &err), 0);
	ck_assert_int_eq(bf_mfile_set(mf, "features", "a,b,c", &err), 0);
	ck_assert_int_eq(bf_mfile_set(mf, "kind", "long", &err), 0);
	ck_assert_int_eq(bf_mfile_set(mf, "Bad Key", "x", &err), BF_EUSAGE);
	ck_assert_int_eq(bf_mfile_set(mf, "k", "a\nb", &err), BF_EUSAGE);
	bf_mfile_set_blob(mf, blob, sizeof(blob));
	ck_assert_int_eq(bf_mfile_write(mf, path, &err), 0);
	bf_mfile_free(mf);
}

/* Apply 'edit' to the file's bytes and expect reading to fail. */
static void
expect_bad(long truncate_to, long flip_at, const char *append,
    const char *msg)
{
	struct bf_err err = BF_ERR_INIT;
	FILE *f;

	make_file();
	if (truncate_to >= 0)
		ck_assert_int_eq(truncate(path, truncate_to), 0);
	if (flip_at != -1) {	/* negative: from the end */
		int c, wh = flip_at < 0 ? SEEK_END : SEEK_SET;
		f = fopen(path, "r+b");
		fseek(f, flip_at, wh);
		c = fgetc(f);
		fseek(f, flip_at, wh);
		fputc(c ^ 0x10, f);
		fclose(f);
	}
	if (append != NULL) {
		f = fopen(path, "ab");
		fputs(append, f);
		fclose(f);
	}
	ck_assert_ptr_null(bf_mfile_read(path, &err));
	ck_assert_int_eq(err.code, BF_EDATA);
	ck_assert_msg(strstr(err.msg, msg) != NULL, "message: %s", err.msg);
	unlink(path);
}

START_TEST(test_roundtrip)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_mfile *mf;
	const unsigned char *b;
	size_t n;

	make_file();
	mf = bf_mfile_read(path, &err);
	ck_assert_msg(mf != NULL, "%s", err.msg);
	ck_assert_str_eq(bf_mfile_get(mf, "kind"), "long");
	ck_assert_str_eq(bf_mfile_get(mf, "features"), "a,b,c");
	ck_assert_ptr_null(bf_mfile_get(mf, "nothing"));
	b = bf_mfile_blob(mf, &n);
	ck_assert_uint_eq(n, 300);
	ck_assert_uint_eq(b[299], (unsigned char)(299 * 7));
	bf_mfile_free(mf);
	unlink(path);
}
END_TEST

START_TEST(test_damage)
{
	struct bf_err err = BF_ERR_INIT;

	expect_bad(200, -1, NULL, "truncated");
	expect_bad(20, -1, NULL, "truncated header");
	expect_bad(-1, -1, "x", "trailing bytes");
	expect_bad(-1, 16, NULL, "header checksum"); /* a value */
	expect_bad(-1, 11, NULL, "corrupt header line"); /* a key */
	expect_bad(-1, -10, NULL, "weights checksum"); /* in the blob */
	(void)err;
}
END_TEST

START_TEST(test_other_files)
{
	struct bf_err err = BF_ERR_INIT;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/bf-mfile-o-%ld", (long)getpid());
	f = fopen(path, "wb");
	fputs("open_time,close\n1,2\n", f);
	fclose(f);
	ck_assert_ptr_null(bf_mfile_read(path, &err));
	ck_assert_int_eq(err.code, BF_EDATA);
	ck_assert(strstr(err.msg, "not a bf model file") != NULL);
	unlink(path);
	ck_assert_ptr_null(bf_mfile_read(path, &err));
	ck_assert_int_eq(err.code, BF_EFAIL);
}
END_TEST

Suite *
mfile_suite(void)
{
	Suite *s = suite_create("mfile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_damage);
	tcase_add_test(tc, test_other_files);
	suite_add_tcase(s, tc);
	return s;
}
