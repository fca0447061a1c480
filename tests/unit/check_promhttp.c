/* SPDX-License-Identifier: MIT */
/*
 * check_promhttp.c - the metrics listener (promhttp.h): a free port,
 * GET /metrics answered with the text set or rendered, the Prometheus
 * content type, 404 and 405 for anything else, bad addresses refused.
 */
#include <check.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "promhttp.h"

Suite *promhttp_suite(void);

/* Send 'req' to 127.0.0.1:'port' and read the whole answer into 'out'. */
static void
fetch(int port, const char *req, char *out, size_t cap)
{
	struct sockaddr_in sa;
	size_t got = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while (got < cap - 1 && (n = read(fd, out + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fd);
}

/* A render callback: the count of calls. */
static void
render(void *ctx, struct bf_buf *out)
{
	int *calls = ctx;

	bf_buf_printf(out, "m_total %d\n", ++*calls);
}

START_TEST(test_serve)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_prom *pm = bf_prom_start("127.0.0.1:0", &err);
	char buf[4096];
	int port, calls = 0;

	ck_assert_ptr_nonnull(pm);
	port = bf_prom_port(pm);
	ck_assert_int_gt(port, 0);
	bf_prom_set(pm, "x_total 7\n", 10);
	fetch(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", buf,
	    sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "HTTP/1.0 200 OK"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "Content-Type: text/plain; version=0.0.4"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\nx_total 7\n"));
	fetch(port, "GET /other HTTP/1.1\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "404"));
	fetch(port, "POST /metrics HTTP/1.1\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "405"));
	bf_prom_set_render(pm, render, &calls);
	fetch(port, "GET / HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\nm_total 1\n"));
	fetch(port, "GET /metrics HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\nm_total 2\n"));
	ck_assert_int_eq(bf_prom_scrapes(pm), 3);
	bf_prom_stop(pm);
}
END_TEST

START_TEST(test_bad_addr)
{
	struct bf_err err = BF_ERR_INIT;

	ck_assert_ptr_null(bf_prom_start("nowhere", &err));
	ck_assert_int_eq(err.code, BF_EUSAGE);
	ck_assert_ptr_null(bf_prom_start("1.2.3:80", &err));
	ck_assert_int_eq(err.code, BF_EUSAGE);
	ck_assert_ptr_null(bf_prom_start("127.0.0.1:70000", &err));
	ck_assert_int_eq(err.code, BF_EUSAGE);
	bf_prom_stop(NULL);
}
END_TEST

Suite *
promhttp_suite(void)
{
	Suite *s = suite_create("promhttp");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_serve);
	tcase_add_test(tc, test_bad_addr);
	suite_add_tcase(s, tc);
	return s;
}
