/* SPDX-License-Identifier: MIT */
/*
 * promhttp.h - a tiny HTTP listener that serves one Prometheus text
 * exposition (format 0.0.4) on GET /metrics, from its own thread.
 *
 * The owner either hands over the whole exposition text with
 * bf_prom_set whenever its figures change, or gives a render callback
 * (bf_prom_set_render) that the listener thread calls at each scrape to
 * write the text from figures the owner keeps under its own lock.
 * Either way a scrape never sees half an update and never waits for
 * more than a copy.
 * Requests are served one at a time with a 2 s read timeout; anything
 * but GET /metrics (or GET /) gets 404, a request that is not GET 405.
 *
 * Ownership: the server owns its socket, thread and text copy.
 */
#ifndef BF_PROMHTTP_H
#define BF_PROMHTTP_H

#include "compat.h"

#include "err.h"
#include "util.h"

struct bf_prom;

/*
 * Listen on 'addr' ("HOST:PORT", an IPv4 address or "localhost"; port
 * 0 picks a free one) and start serving.  Returns NULL with 'err'
 * (BF_EUSAGE: a bad address; BF_EFAIL: cannot bind).
 */
struct bf_prom *bf_prom_start(const char *addr, struct bf_err *err);

/* The port actually bound. */
int bf_prom_port(const struct bf_prom *pm);

/* Replace the exposition text ('len' bytes, copied). */
void bf_prom_set(struct bf_prom *pm, const char *text, size_t len);

/*
 * Render the text at each scrape with 'fn' (called on the listener
 * thread, with 'out' reset), instead of the text of bf_prom_set.  Set
 * before the first scrape can come, right after bf_prom_start.
 */
void bf_prom_set_render(struct bf_prom *pm,
    void (*fn)(void *ctx, struct bf_buf *out), void *ctx);

/* Scrapes answered so far. */
long bf_prom_scrapes(struct bf_prom *pm);

/* Stop the thread, close the socket, free.  NULL: no-op. */
void bf_prom_stop(struct bf_prom *pm);

#endif /* BF_PROMHTTP_H */
