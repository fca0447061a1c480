/* SPDX-License-Identifier: MIT */
/*
 * num.h - fast, exact conversion between decimal text and doubles.
 *
 * bf_num_parse gives the same double as strtod (correctly rounded) for
 * every input it accepts; bf_num_format gives the same text as
 * snprintf("%.*g", digits, v).  Both are far faster than the C library
 * on the values a market data pipeline carries (bench/README.md), and
 * neither depends on the locale.
 */
#ifndef BF_NUM_H
#define BF_NUM_H

#include "compat.h"

/* Room for any bf_num_format / bf_num_format_i64 result plus its NUL. */
#define BF_NUM_BUFSZ 40

/* The default number of significant digits of computed values. */
#define BF_NUM_DIGITS 12

/*
 * Parse the 'len' bytes at 's' as a decimal number: an optional sign,
 * digits with an optional '.', and an optional exponent (1e-5, 2E+3).
 * Leading or trailing blanks, hex, "nan", "inf" and values that overflow
 * a double (1e309) are rejected.  "-0" gives -0.0.  Returns 0 and stores
 * the value in 'out', or -1.
 */
int bf_num_parse(const char *s, size_t len, double *out);

/* Parse a base-10 integer (optional sign, digits only).  0 or -1. */
int bf_num_parse_i64(const char *s, size_t len, int64_t *out);

/*
 * Write 'v' with 'digits' significant digits (1..17) into 'buf' (at least
 * BF_NUM_BUFSZ bytes), exactly as snprintf("%.*g", digits, v) would, and
 * NUL-terminate it.  Returns the length.
 */
size_t bf_num_format(char *buf, double v, int digits);

/*
 * Write the 'n' values 'v', each after the byte 'sep' and as
 * bf_num_format would, non-finite ones as nothing (",1.5,,2" for
 * 1.5, NaN, 2 and ','), into 'buf', which must have room for
 * n * (BF_NUM_BUFSZ + 1) + 1 bytes, and NUL-terminate it.  Returns the
 * length.  Faster than a bf_num_format call per value.
 */
size_t bf_num_format_list(char *buf, const double *v, size_t n, int digits,
    char sep);

/* Write a base-10 integer into 'buf'; returns the length. */
size_t bf_num_format_i64(char *buf, int64_t v);

#endif /* BF_NUM_H */
