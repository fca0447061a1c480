/* SPDX-License-Identifier: MIT */
/*
 * sign.c - HMAC-SHA256 and SHA-256 through mbedTLS.  See sign.h.
 */
#include "compat.h"

#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "sign.h"

/* Write the 32 bytes at 'd' as hex into 'hex'. */
static void
tohex(const unsigned char d[32], char hex[BF_SIGN_HEXSZ])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

void
bf_sign_hmac_sha256(const void *key, size_t klen, const void *msg,
    size_t mlen, char hex[BF_SIGN_HEXSZ])
{
	unsigned char d[32];

	/* Cannot fail for SHA-256 with valid pointers. */
	mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key,
	    klen, msg, mlen, d);
	tohex(d, hex);
}

void
bf_sign_sha256(const void *data, size_t len, char hex[BF_SIGN_HEXSZ])
{
	unsigned char d[32];

	mbedtls_sha256_ret(data, len, d, 0);
	tohex(d, hex);
}
