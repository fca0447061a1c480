/* SPDX-License-Identifier: MIT */
/*
 * main.c - the runner of the libtorch shim's tests (tests/unit/torch/).
 *
 * It is separate from tests/unit/main.c because libtorch must not run in
 * a fork()ed child after multi-threaded use (spec/toolchain.md §3): the
 * Makefile runs it with CK_FORK=no.  Suites: tnet (check_tnet.c).
 */
#include <check.h>
#include <stdlib.h>

Suite *tnet_suite(void);

int
main(void)
{
	SRunner *sr = srunner_create(tnet_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
