/* SPDX-License-Identifier: MIT */
/*
 * compat.h - feature macros and portability glue; the first include of
 * every file in lib/ and tools/ (bf.h includes it first).
 *
 * It ends by including banned.h, so the functions we refuse to use are
 * compile errors everywhere after it.
 */
#ifndef BF_COMPAT_H
#define BF_COMPAT_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define BF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define BF_LIKELY(x) __builtin_expect(!!(x), 1)
#define BF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BF_UNUSED __attribute__((unused))
#define BF_NOINLINE __attribute__((noinline))
#define BF_INLINE inline __attribute__((always_inline))
#else
#define BF_PRINTF(f, a)
#define BF_LIKELY(x) (x)
#define BF_UNLIKELY(x) (x)
#define BF_UNUSED
#define BF_NOINLINE
#define BF_INLINE inline
#endif

#define BF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "banned.h"

#endif /* BF_COMPAT_H */
