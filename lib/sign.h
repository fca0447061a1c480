/* SPDX-License-Identifier: MIT */
/*
 * sign.h - request signing and file digests (mbedTLS).
 *
 * Binance signs a request with the lower-case hex HMAC-SHA256 of the
 * exact parameter bytes sent, keyed by the API secret (binance-usdm.md
 * §5.1).  Archive files carry a SHA-256 in their .CHECKSUM sibling.
 * Both are computed here, so the secret is handled in one place.
 *
 * Nothing here keeps a copy of a secret.
 */
#ifndef BF_SIGN_H
#define BF_SIGN_H

#include "compat.h"

/* Room for a SHA-256 in hex plus its NUL. */
#define BF_SIGN_HEXSZ 65

/*
 * HMAC-SHA256 of the 'mlen' bytes at 'msg' keyed by the 'klen' bytes at
 * 'key', written as 64 lower-case hex digits and a NUL into 'hex'.
 */
void bf_sign_hmac_sha256(const void *key, size_t klen, const void *msg,
    size_t mlen, char hex[BF_SIGN_HEXSZ]);

/* SHA-256 of the 'len' bytes at 'data' as lower-case hex into 'hex'. */
void bf_sign_sha256(const void *data, size_t len, char hex[BF_SIGN_HEXSZ]);

#endif /* BF_SIGN_H */
