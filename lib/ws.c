/* SPDX-License-Identifier: MIT */
/*
 * ws.c - the market-stream WebSocket client over libwebsockets 4.1.  See
 * ws.h.  One context, one connection at a time; a 100 ms timer keeps the
 * service loop turning so the duration and the reconnect backoff are
 * checked even when nothing arrives (lws_service's timeout is ignored
 * in 4.x).
 */
#include "compat.h"

#include <libwebsockets.h>
#include <time.h>

#include "util.h"
#include "ws.h"

#define BACKOFF_BASE_MS 500
#define BACKOFF_CAP_MS 30000

struct client {
	const struct bf_ws_opts *o;
	bf_ws_msg_fn fn;
	void *ctx;
	struct bf_err *err;
	struct bf_ws_stats st;
	struct lws_context *lc;
	struct lws *wsi;	/* the connection, NULL when none */
	lws_sorted_usec_list_t tick;
	struct bf_buf msg;	/* the message being reassembled */
	char url[1024];		/* lws_parse_uri cuts it up */
	const char *prot, *addr, *path;
	int port;
	bool tls;
	bool stop;		/* leave the service loop */
	int result;
	int fails;		/* failed connections in a row */
	int64_t reconnect_at;	/* when to connect again, 0: connected */
	int64_t deadline;	/* 0: none */
	uint64_t rng;
};

/* Monotonic time in ms. */
static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start a connection attempt. */
static void
connect_now(struct client *c)
{
	struct lws_client_connect_info ci;
	char path[1024];

	memset(&ci, 0, sizeof(ci));
	snprintf(path, sizeof(path), "/%s", c->path);
	ci.context = c->lc;
	ci.address = c->addr;
	ci.port = c->port;
	ci.path = path;
	ci.host = c->addr;
	ci.origin = c->addr;
	ci.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
	ci.protocol = NULL;
	ci.local_protocol_name = "bf-market";
	ci.userdata = c;
	ci.pwsi = &c->wsi;
	c->reconnect_at = 0;
	if (lws_client_connect_via_info(&ci) == NULL)
		c->wsi = NULL; /* the error callback schedules a retry */
}

/* A connection failed or closed: schedule the next one, or give up. */
static void
lost(struct client *c, const char *why)
{
	int64_t cap = BACKOFF_BASE_MS;

	c->wsi = NULL;
	c->st.failures++;
	if (c->stop)
		return;
	if (++c->fails > c->o->max_reconnects) {
		c->result = bf_err_set(c->err, BF_EFAIL,
		    "%s: %s (after %d connection attempts)", c->o->url, why,
		    c->fails);
		c->stop = true;
		return;
	}
	for (int i = 1; i < c->fails && cap < BACKOFF_CAP_MS; i++)
		cap *= 2;
	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	c->rng = c->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	c->reconnect_at = mono_ms() + cap / 2 +
	    (int64_t)((c->rng >> 33) % (uint64_t)(cap / 2 + 1));
}

/* The 100 ms timer: duration, reconnects. */
static void
on_tick(lws_sorted_usec_list_t *sul)
{
	struct client *c = lws_container_of(sul, struct client, tick);
	int64_t now = mono_ms();

	if (c->deadline && now >= c->deadline)
		c->stop = true;
	if (!c->stop && c->wsi == NULL && c->reconnect_at &&
	    now >= c->reconnect_at)
		connect_now(c);
	if (c->stop)
		lws_cancel_service(c->lc);
	else
		lws_sul_schedule(c->lc, 0, &c->tick, on_tick,
		    100 * LWS_US_PER_MS);
}

/* The protocol callback: receive, reassemble, hand over. */
static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct client *c = user;
	int r;

	(void)wsi;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->st.connects++;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lost(c, in && len == 0 ? (const char *)in :
		    "cannot connect");
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c->stop)
			return -1;
		if (c->msg.len + len > 64 * 1024 * 1024) {
			c->result = bf_err_set(c->err, BF_EFAIL,
			    "%s: message too large", c->o->url);
			c->stop = true;
			return -1;
		}
		bf_buf_add(&c->msg, in, len);
		if (!lws_is_final_fragment(wsi) ||
		    lws_remaining_packet_payload(wsi) > 0)
			break;
		c->fails = 0;
		c->st.messages++;
		r = c->fn(c->ctx, c->msg.buf, c->msg.len, c->err);
		bf_buf_reset(&c->msg);
		if (r != 0) {
			c->result = r < 0 ? r : 0;
			c->stop = true;
			lws_cancel_service(c->lc);
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		bf_buf_reset(&c->msg);
		lost(c, "connection closed");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "bf-market", callback, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

int
bf_ws_run(const struct bf_ws_opts *o, bf_ws_msg_fn fn, void *ctx,
    struct bf_ws_stats *st, struct bf_err *err)
{
	struct lws_context_creation_info info;
	struct client *c = bf_xcalloc(1, sizeof(*c));
	int r;

	c->o = o;
	c->fn = fn;
	c->ctx = ctx;
	c->err = err;
	c->rng = (uint64_t)mono_ms() | 1;
	bf_buf_init(&c->msg);
	snprintf(c->url, sizeof(c->url), "%s", o->url);
	if (lws_parse_uri(c->url, &c->prot, &c->addr, &c->port,
	    &c->path) != 0 || (strcmp(c->prot, "ws") != 0 &&
	    strcmp(c->prot, "wss") != 0)) {
		bf_buf_release(&c->msg);
		free(c);
		return bf_err_set(err, BF_EUSAGE,
		    "stream URL '%s': must be ws:// or wss://", o->url);
	}
	c->tls = strcmp(c->prot, "wss") == 0;
	lws_set_log_level(0, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	if (c->tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	c->lc = lws_create_context(&info);
	if (c->lc == NULL) {
		bf_buf_release(&c->msg);
		free(c);
		return bf_err_set(err, BF_EFAIL, "cannot start libwebsockets");
	}
	if (o->duration_ms > 0)
		c->deadline = mono_ms() + o->duration_ms;
	lws_sul_schedule(c->lc, 0, &c->tick, on_tick, 100 * LWS_US_PER_MS);
	connect_now(c);
	while (!c->stop)
		if (lws_service(c->lc, 0) < 0)
			break;
	lws_sul_cancel(&c->tick);
	lws_context_destroy(c->lc);
	r = c->result;
	if (st != NULL)
		*st = c->st;
	bf_buf_release(&c->msg);
	free(c);
	return r;
}
