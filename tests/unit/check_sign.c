/* SPDX-License-Identifier: MIT */
/*
 * check_sign.c - HMAC-SHA256 against Binance's published vectors
 * (binance-usdm.md §5.2) and SHA-256 against FIPS 180-2's.
 */
#include <check.h>

#include "compat.h"
#include "sign.h"

START_TEST(hmac_usdm_example1)
{
	const char *secret =
	    "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
	const char *msg = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&"
	    "price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
	char hex[BF_SIGN_HEXSZ];

	bf_sign_hmac_sha256(secret, strlen(secret), msg, strlen(msg), hex);
	ck_assert_str_eq(hex,
	    "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}
END_TEST

START_TEST(hmac_usdm_mixed)
{
	/* Query and body concatenated with no '&' between them. */
	const char *secret =
	    "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
	const char *msg = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
	    "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943";
	char hex[BF_SIGN_HEXSZ];

	bf_sign_hmac_sha256(secret, strlen(secret), msg, strlen(msg), hex);
	ck_assert_str_eq(hex,
	    "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
}
END_TEST

START_TEST(hmac_spot_vectors)
{
	const char *secret =
	    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
	const char *m1 = "timestamp=1578963600000";
	const char *m2 = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&"
	    "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
	char hex[BF_SIGN_HEXSZ];

	bf_sign_hmac_sha256(secret, strlen(secret), m1, strlen(m1), hex);
	ck_assert_str_eq(hex,
	    "d84e6641b1e328e7b418fff030caed655c266299c9355e36ce801ed14631eed4");
	bf_sign_hmac_sha256(secret, strlen(secret), m2, strlen(m2), hex);
	ck_assert_str_eq(hex,
	    "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}
END_TEST

START_TEST(sha256_vectors)
{
	char hex[BF_SIGN_HEXSZ];

	bf_sign_sha256("abc", 3, hex);
	ck_assert_str_eq(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	bf_sign_sha256("", 0, hex);
	ck_assert_str_eq(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

Suite *sign_suite(void);

Suite *
sign_suite(void)
{
	Suite *s = suite_create("sign");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hmac_usdm_example1);
	tcase_add_test(tc, hmac_usdm_mixed);
	tcase_add_test(tc, hmac_spot_vectors);
	tcase_add_test(tc, sha256_vectors);
	suite_add_tcase(s, tc);
	return s;
}
