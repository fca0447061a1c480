/* SPDX-License-Identifier: MIT */
/*
 * ws.h - a WebSocket client for the exchange's market streams
 * (libwebsockets), shared by bf-fetch stream and bf-exec.
 *
 * bf_ws_run connects to one ws:// or wss:// URL and hands every complete
 * text message (fragments reassembled) to a callback, until the callback
 * says stop, the duration is over, or a failure.  When the connection
 * fails or closes, it reconnects after an exponential backoff with jitter
 * (0.5 s doubling to 30 s, reset by a message), at most 'max_reconnects'
 * times in a row; the caller sees the gap only as time passing, so it
 * must drop what it has already seen (by key).  Pings are answered by
 * libwebsockets itself.
 *
 * Ownership: the message buffer handed to the callback belongs to the
 * client and is valid during the call only (it may be modified, e.g.
 * parsed in place by bf_json_parse).
 */
#ifndef BF_WS_H
#define BF_WS_H

#include "compat.h"
#include "err.h"

/* A message: return 0 to go on, 1 to stop, or a negative code. */
typedef int (*bf_ws_msg_fn)(void *ctx, char *msg, size_t len,
    struct bf_err *err);

struct bf_ws_opts {
	const char *url;	/* ws://host:port/path or wss://... */
	int64_t duration_ms;	/* stop after this long; 0: no limit */
	int max_reconnects;	/* failed connections in a row before giving up */
};

struct bf_ws_stats {
	long messages;
	long connects;		/* successful connections */
	long failures;		/* failed or closed connections */
};

/*
 * Run the client.  Returns 0 (stopped by the callback or the duration),
 * the callback's negative code, or BF_EFAIL after too many failed
 * connections (or BF_EUSAGE for a bad URL).  'st' may be NULL.
 */
int bf_ws_run(const struct bf_ws_opts *o, bf_ws_msg_fn fn, void *ctx,
    struct bf_ws_stats *st, struct bf_err *err);

#endif /* BF_WS_H */
