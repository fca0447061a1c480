/* SPDX-License-Identifier: MIT */
/*
 * banned.h - functions that are too easy to misuse, turned into compile
 * errors (after git's banned.h).  Use snprintf, strtod with full checks
 * (bf_parse_*), gmtime_r and the bf_num_* formatters instead.
 */
#ifndef BF_BANNED_H
#define BF_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atof
#define atof(x) BANNED(atof)
#undef mktemp
#define mktemp(x) BANNED(mktemp)

#endif /* BF_BANNED_H */
