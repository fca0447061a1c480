/* SPDX-License-Identifier: MIT */
/*
 * fuzz_rec.c - libFuzzer target for the record reader and writer.
 *
 * The input's first byte picks the reader's format (auto, CSV, JSON) and
 * the writer's; the rest is the stream.  Every record is read, parsed as
 * numbers column by column, and written out again, so crashes, hangs,
 * leaks and undefined behaviour anywhere in lib/rec.c and lib/num.c show
 * up.  Built and run by `make check-fuzz` (briefly) and `make fuzz`.
 */
#include "bf.h"

#include <fcntl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cols[] = { "close", "extra" };
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd;
	struct bf_writer *w = NULL;
	int in[2], out, mode, r;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	/* Feed the bytes through a pipe from a temporary file. */
	{
		char path[] = "/tmp/bf-fuzz-XXXXXX";
		int fd = mkstemp(path);
		size_t off = 0;
		if (fd < 0)
			return 0;
		unlink(path);
		while (off < size) {
			ssize_t n = write(fd, data + off, size - off);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		lseek(fd, 0, SEEK_SET);
		in[0] = fd;
		in[1] = -1;
	}
	out = open("/dev/null", O_WRONLY);
	rd = bf_reader_new(in[0], "fuzz", mode % 3);
	r = bf_reader_start(rd, &err);
	if (r > 0) {
		w = bf_writer_new(out, (mode / 3) % 2 ? BF_FMT_JSON : BF_FMT_CSV,
		    1 + (mode / 6) % 17, 0);
		bf_writer_start(w, rd, cols, 2, &err);
		while ((r = bf_reader_next(rd, &err)) > 0) {
			double v;
			int64_t i;
			for (size_t c = 0; c < bf_reader_ncols(rd); c++) {
				if (bf_reader_double(rd, (int)c, &v, &err) > 0)
					bf_writer_set_double(w, 0, v * 1.5);
				bf_reader_i64(rd, (int)c, &i, &err);
			}
			bf_writer_set_text(w, 1, "a,\"b\"", 5);
			bf_writer_emit(w, rd, &err);
		}
		bf_writer_close(w, &err);
	}
	bf_reader_free(rd);
	close(in[0]);
	close(out);
	return 0;
}
