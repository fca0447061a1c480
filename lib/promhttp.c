/* SPDX-License-Identifier: MIT */
/*
 * promhttp.c - the metrics listener of promhttp.h: a poll loop on the
 * listening socket and a self-pipe for shutdown, one request at a time.
 */
#include "compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "promhttp.h"
#include "util.h"

struct bf_prom {
	int fd;			/* listening socket */
	int wake[2];		/* self-pipe: a byte stops the thread */
	int port;
	pthread_t thr;
	pthread_mutex_t mu;
	char *text;		/* owned, under mu */
	size_t len;
	long scrapes;		/* under mu */
	void (*render)(void *, struct bf_buf *);	/* NULL: text */
	void *render_ctx;
	struct bf_buf rbuf;	/* the rendered text (listener thread) */
};

/* Write all 'n' bytes of 'p' to 'fd'; false on error. */
static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Send a short error answer. */
static void
answer_error(int fd, const char *status)
{
	char hdr[160];
	int n = snprintf(hdr, sizeof(hdr), "HTTP/1.0 %s\r\n"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s\n", status, strlen(status) + 1,
	    status);

	(void)write_all(fd, hdr, (size_t)n);
}

/* Read one request head from 'fd' and answer it. */
static void
serve(struct bf_prom *pm, int fd)
{
	char req[2048], hdr[200], *text;
	void (*render)(void *, struct bf_buf *);
	void *ctx;
	size_t got = 0, len;
	struct pollfd p = { fd, POLLIN, 0 };
	int n;

	while (got < sizeof(req) - 1) {
		ssize_t r;

		if (poll(&p, 1, 2000) <= 0)
			return;
		r = recv(fd, req + got, sizeof(req) - 1 - got, 0);
		if (r <= 0)
			return;
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL ||
		    strstr(req, "\n\n") != NULL)
			break;
	}
	req[got] = '\0';
	if (strncmp(req, "GET ", 4) != 0) {
		answer_error(fd, "405 Method Not Allowed");
		return;
	}
	if (strncmp(req + 4, "/metrics ", 9) != 0 &&
	    strncmp(req + 4, "/ ", 2) != 0) {
		answer_error(fd, "404 Not Found");
		return;
	}
	pthread_mutex_lock(&pm->mu);
	render = pm->render;
	ctx = pm->render_ctx;
	pm->scrapes++;
	if (render == NULL) {
		len = pm->len;
		text = bf_xmalloc(len + 1);
		memcpy(text, pm->text, len);
	}
	pthread_mutex_unlock(&pm->mu);
	if (render != NULL) {
		bf_buf_reset(&pm->rbuf);
		render(ctx, &pm->rbuf);
		len = pm->rbuf.len;
		text = bf_xmalloc(len + 1);
		memcpy(text, pm->rbuf.buf, len);
	}
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.0 200 OK\r\n"
	    "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
	if (write_all(fd, hdr, (size_t)n))
		(void)write_all(fd, text, len);
	free(text);
}

/* The listener thread. */
static void *
run(void *arg)
{
	struct bf_prom *pm = arg;
	struct pollfd p[2];

	p[0].fd = pm->fd;
	p[0].events = POLLIN;
	p[1].fd = pm->wake[0];
	p[1].events = POLLIN;
	for (;;) {
		int c;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents != 0)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		c = accept(pm->fd, NULL, NULL);
		if (c < 0)
			continue;
		serve(pm, c);
		close(c);
	}
	return NULL;
}

/* Parse "HOST:PORT" into 'sa'. */
static int
parse_addr(const char *addr, struct sockaddr_in *sa, struct bf_err *err)
{
	const char *colon = strrchr(addr, ':');
	char host[64];
	long long port;

	if (colon == NULL || (size_t)(colon - addr) >= sizeof(host) ||
	    bf_parse_long(colon + 1, 0, 65535, &port) < 0)
		return bf_err_set(err, BF_EUSAGE,
		    "metrics-listen '%s': want HOST:PORT", addr);
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return bf_err_set(err, BF_EUSAGE,
		    "metrics-listen '%s': not an IPv4 address", addr);
	return 0;
}

/* Bind and start; see promhttp.h. */
struct bf_prom *
bf_prom_start(const char *addr, struct bf_err *err)
{
	struct bf_prom *pm;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int one = 1;

	if (parse_addr(addr, &sa, err) < 0)
		return NULL;
	pm = bf_xcalloc(1, sizeof(*pm));
	pm->wake[0] = pm->wake[1] = -1;
	pm->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (pm->fd < 0)
		goto fail;
	(void)setsockopt(pm->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(pm->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(pm->fd, 16) < 0 ||
	    getsockname(pm->fd, (struct sockaddr *)&sa, &sl) < 0 ||
	    pipe(pm->wake) < 0)
		goto fail;
	pm->port = ntohs(sa.sin_port);
	pm->text = bf_strdup("");
	bf_buf_init(&pm->rbuf);
	pthread_mutex_init(&pm->mu, NULL);
	if (pthread_create(&pm->thr, NULL, run, pm) != 0) {
		pthread_mutex_destroy(&pm->mu);
		free(pm->text);
		goto fail;
	}
	return pm;
fail:
	bf_err_set(err, BF_EFAIL, "metrics-listen %s: %s", addr,
	    strerror(errno));
	if (pm->fd >= 0)
		close(pm->fd);
	if (pm->wake[0] >= 0) {
		close(pm->wake[0]);
		close(pm->wake[1]);
	}
	free(pm);
	return NULL;
}

/* The bound port; see promhttp.h. */
int
bf_prom_port(const struct bf_prom *pm)
{
	return pm->port;
}

/* Replace the text; see promhttp.h. */
void
bf_prom_set(struct bf_prom *pm, const char *text, size_t len)
{
	char *copy = bf_xmalloc(len + 1), *old;

	memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&pm->mu);
	old = pm->text;
	pm->text = copy;
	pm->len = len;
	pthread_mutex_unlock(&pm->mu);
	free(old);
}

/* Render at each scrape; see promhttp.h. */
void
bf_prom_set_render(struct bf_prom *pm,
    void (*fn)(void *ctx, struct bf_buf *out), void *ctx)
{
	pthread_mutex_lock(&pm->mu);
	pm->render = fn;
	pm->render_ctx = ctx;
	pthread_mutex_unlock(&pm->mu);
}

/* Scrapes so far; see promhttp.h. */
long
bf_prom_scrapes(struct bf_prom *pm)
{
	long n;

	pthread_mutex_lock(&pm->mu);
	n = pm->scrapes;
	pthread_mutex_unlock(&pm->mu);
	return n;
}

/* Stop and free; see promhttp.h. */
void
bf_prom_stop(struct bf_prom *pm)
{
	if (pm == NULL)
		return;
	(void)write(pm->wake[1], "x", 1);
	pthread_join(pm->thr, NULL);
	close(pm->fd);
	close(pm->wake[0]);
	close(pm->wake[1]);
	pthread_mutex_destroy(&pm->mu);
	free(pm->text);
	bf_buf_release(&pm->rbuf);
	free(pm);
}
