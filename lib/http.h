/* SPDX-License-Identifier: MIT */
/*
 * http.h - the REST client for the exchange (libcurl), shared by bf-fetch
 * and bf-exec.
 *
 * One bf_http holds one keep-alive connection to a base URL and the
 * bookkeeping the exchange's rules ask of a client (binance-usdm.md §3):
 *
 *  - a request-weight budget per minute: before a request of weight w,
 *    when the weight used in the current minute plus w would pass the
 *    budget, it waits for the next minute.  The exchange's
 *    X-MBX-USED-WEIGHT-1M response header is authoritative and replaces
 *    the local count after every response.  A budget of 0 disables this.
 *  - 429 (rate limit): wait Retry-After seconds (or until the next minute
 *    when the header is missing), then go on; at most 'max429' in a row.
 *  - 418 (IP ban): stop at once, BF_EUPSTREAM with the exchange's message.
 *  - 5xx, 408, timeouts, resets, refused connections and 2xx bodies that
 *    are not valid JSON: retry with exponential backoff and full jitter
 *    (base 200 ms, doubling, capped at 10 s), at most 'retries' times.
 *    Only reads are retried this way (GET is idempotent).
 *  - other 4xx: the exchange refused.  Its body {"code":-1121,"msg":...}
 *    becomes BF_EUPSTREAM with err->upstream = -1121 and the message
 *    "Invalid symbol. (-1121)".
 *
 * Signed requests (BF_HTTP_SIGNED) get timestamp and recvWindow, then the
 * HMAC-SHA256 signature of the exact query string (sign.h), and the
 * X-MBX-APIKEY header.  The secret never appears in any message.  A
 * -1021 refusal (timestamp outside recvWindow: a certain failure) makes
 * the client measure the offset of the exchange's clock from
 * GET /fapi/v1/time, apply it to later timestamps, and send once more.
 *
 * Ownership: the bf_http owns its curl handle, copies of the URL and key,
 * and the body buffer that bf_http_get_json parses in place; the parsed
 * tokens stay valid until the next request on the same handle.
 */
#ifndef BF_HTTP_H
#define BF_HTTP_H

#include "compat.h"
#include "err.h"
#include "json.h"
#include "util.h"

#define BF_HTTP_DEFAULT_URL "https://fapi.binance.com"

/* The exchange's REQUEST_WEIGHT limit per minute (binance-usdm.md §3.1). */
#define BF_HTTP_WEIGHT_LIMIT 2400
/* The default budget: 75 % of it. */
#define BF_HTTP_WEIGHT_BUDGET 1800

enum {
	BF_HTTP_SIGNED = 1 << 0 /* add timestamp, signature, API key */
};

struct bf_http_stats {
	long requests;	    /* HTTP requests sent (retries included) */
	long retries;	    /* requests repeated after a transient fault */
	long rate_limited;  /* 429 answers */
	long weight_last;   /* X-MBX-USED-WEIGHT-1M of the last answer */
	long weight_max;    /* the largest such value seen */
	long long weight;   /* weight of all requests sent */
	int64_t waited_ms;  /* time spent waiting (budget, 429, backoff) */
};

struct bf_http;

/* A client for 'base_url' (copied; a trailing '/' is dropped). */
struct bf_http *bf_http_new(const char *base_url);
void bf_http_free(struct bf_http *h);

/* The weight budget per minute (0: none). */
void bf_http_set_budget(struct bf_http *h, long weight_per_minute);
/* Transient faults retried per request, and 429s waited out in a row. */
void bf_http_set_retries(struct bf_http *h, int retries, int max429);
/* Timeout of one request in ms (default 30000). */
void bf_http_set_timeout(struct bf_http *h, long ms);
/* The longest single wait in ms (Retry-After, budget; default 300000). */
void bf_http_set_max_wait(struct bf_http *h, long ms);
/* API key and secret for signed requests (copied; NULL clears). */
void bf_http_set_key(struct bf_http *h, const char *key, const char *secret);
/* The recvWindow of signed requests (default 5000 ms). */
void bf_http_set_recv_window(struct bf_http *h, long ms);

const struct bf_http_stats *bf_http_stats(const struct bf_http *h);

/*
 * Wait, when needed, until a request of 'weight' fits the budget of the
 * current minute, then count it (every request does this first).
 */
void bf_http_reserve(struct bf_http *h, int weight);

/*
 * Replace the clock (epoch ms) and the sleep of 'h', for tests.  NULL
 * restores the real ones.
 */
void bf_http_set_clock(struct bf_http *h, int64_t (*now)(void *),
    void (*sleep)(void *, int64_t), void *ctx);

/*
 * GET base_url + 'path' + "?" + 'query' ('query' may be NULL or empty),
 * counting 'weight' against the budget, and parse the body into 'js'.
 * Returns 0, BF_EUPSTREAM (refusal, ban, or 429s beyond the limit), or
 * BF_EFAIL (network or exchange failures beyond the retries); 'err' has
 * the message.
 */
int bf_http_get_json(struct bf_http *h, const char *path, const char *query,
    int weight, int flags, struct bf_json *js, struct bf_err *err);

/*
 * Send 'method' ("GET", "POST", "PUT" or "DELETE") to base_url + 'path'
 * with the parameters in the query string (an empty body), as
 * bf_http_get_json does for GET.  Other methods change state, so
 * transient faults are not retried blindly (binance-usdm.md §8.10): a
 * connection that could not be made is retried (nothing was sent), but
 * a timeout, a reset, a 5xx or 408 answer, or the exchange's codes
 * -1000, -1006 and -1007 leave the outcome unknown: the call returns a
 * negative code with '*unknown' (may be NULL) set, and the caller must
 * find out what happened before sending again.
 */
int bf_http_send_json(struct bf_http *h, const char *method, const char *path,
    const char *query, int weight, int flags, struct bf_json *js,
    bool *unknown, struct bf_err *err);

/*
 * Server time minus local time in ms, added to the timestamp of signed
 * requests (binance-usdm.md §5.4; the caller measures it with GET
 * /fapi/v1/time).
 */
void bf_http_set_time_offset(struct bf_http *h, int64_t ms);

/*
 * GET the absolute 'url' (archive files, no weight) into 'out' (reset
 * first).  Transient faults are retried as above.  Returns 0, 1 when
 * the server answers 404 (no such file), or BF_EFAIL.
 */
int bf_http_get_url(struct bf_http *h, const char *url, struct bf_buf *out,
    struct bf_err *err);

/*
 * Append "key=value" to the query 'q' ('&' first unless it is empty),
 * the value percent-encoded (RFC 3986 unreserved characters kept).
 */
void bf_http_query_add(struct bf_buf *q, const char *key, const char *value);
void bf_http_query_add_i64(struct bf_buf *q, const char *key, int64_t v);

#endif /* BF_HTTP_H */
