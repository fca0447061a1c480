/* SPDX-License-Identifier: MIT */
/*
 * mfile.h - the model file: text metadata plus one binary blob, checked.
 *
 * Layout (bf-infer(1) documents it for users):
 *
 *	bf-model 1\n
 *	key=value\n		one per line, keys [a-z0-9_.]+, in insertion order
 *	...
 *	blob_bytes=N\n
 *	blob_crc32=HEX\n
 *	header_crc32=HEX\n	CRC-32 of every byte before this line
 *	\n
 *	N bytes of blob
 *
 * Reading checks the magic line, the header checksum, the blob length
 * (a truncated or padded file is refused) and the blob checksum, so a
 * damaged file is a clean BF_EDATA error, never garbage.  Writing goes to
 * PATH.tmp and renames it over PATH, so readers never see half a file.
 *
 * Ownership: the bf_mfile owns copies of every key, value and the blob;
 * strings and the blob it returns are borrowed until the next set or
 * bf_mfile_free.
 */
#ifndef BF_MFILE_H
#define BF_MFILE_H

#include "compat.h"
#include "err.h"

#define BF_MFILE_MAX (512L * 1024 * 1024)	/* largest file read */

struct bf_mfile;

struct bf_mfile *bf_mfile_new(void);
void bf_mfile_free(struct bf_mfile *mf);

/*
 * Set 'key' to 'value' (both copied), replacing an earlier value.
 * Returns 0, or BF_EUSAGE for a key outside [a-z0-9_.]+ or a value with
 * a newline.
 */
int bf_mfile_set(struct bf_mfile *mf, const char *key, const char *value,
    struct bf_err *err);

/* The value of 'key', or NULL. */
const char *bf_mfile_get(const struct bf_mfile *mf, const char *key);

/* Replace the blob with a copy of 'n' bytes at 'p'. */
void bf_mfile_set_blob(struct bf_mfile *mf, const void *p, size_t n);

/* The blob and its size in '*n'. */
const void *bf_mfile_blob(const struct bf_mfile *mf, size_t *n);

/* Write the file (atomically).  Returns 0 or BF_EFAIL. */
int bf_mfile_write(const struct bf_mfile *mf, const char *path,
    struct bf_err *err);

/*
 * Read and check a file.  Returns a new bf_mfile, or NULL with 'err'
 * filled: BF_EFAIL when it cannot be read, BF_EDATA ("PATH: ...") when it
 * is not a model file, truncated or corrupt.
 */
struct bf_mfile *bf_mfile_read(const char *path, struct bf_err *err);

#endif /* BF_MFILE_H */
