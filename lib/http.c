/* SPDX-License-Identifier: MIT */
/*
 * http.c - the exchange's REST client: keep-alive GETs through libcurl,
 * the weight budget, 429/418 handling, retries with backoff and jitter,
 * exchange error bodies, request signing.  See http.h for the rules.
 */
#include "compat.h"

#include <curl/curl.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "num.h"
#include "sign.h"

#define BODY_MAX (512L * 1024 * 1024) /* refuse larger answers */
#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS 10000

struct bf_http {
	CURL *curl;		/* owned */
	char *base;		/* owned, no trailing '/' */
	char *key;		/* owned, NULL if unset */
	char *secret;		/* owned, NULL if unset */
	struct curl_slist *hdrs; /* owned: X-MBX-APIKEY */
	struct bf_buf body;	/* the last answer */
	struct bf_buf url;	/* scratch */
	long budget;		/* weight per minute, 0 = none */
	int retries;
	int max429;
	long timeout_ms;
	long max_wait_ms;
	long recv_window;
	int64_t win;		/* the minute 'used' counts, epoch minutes */
	long used;		/* weight used in minute 'win' */
	uint64_t rng;		/* jitter state */
	/* Response headers of the current request. */
	long hdr_weight;	/* -1 if absent */
	long hdr_retry_after;	/* seconds, -1 if absent */
	bool body_too_big;
	bool absolute;		/* the path is a whole URL */
	int64_t offset;		/* server clock - ours, for signing */
	const char *method;	/* of the current request; NULL: GET */
	bool unknown;		/* a mutation's outcome is unknown */
	int64_t (*now_fn)(void *);	/* the clock, for tests */
	void (*sleep_fn)(void *, int64_t);
	void *clock_ctx;
	struct bf_http_stats st;
};

/* Wall-clock time in epoch ms. */
static int64_t
real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The client's clock: the real one unless a test set its own. */
static int64_t
now_ms(const struct bf_http *h)
{
	return h->now_fn ? h->now_fn(h->clock_ctx) : real_ms();
}

/* Sleep 'ms' milliseconds (restarted after signals), and count it. */
static void
wait_ms(struct bf_http *h, int64_t ms)
{
	struct timespec ts, rem;

	if (ms <= 0)
		return;
	h->st.waited_ms += ms;
	if (h->sleep_fn != NULL) {
		h->sleep_fn(h->clock_ctx, ms);
		return;
	}
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		ts = rem;
}

/* A pseudo-random number for jitter (xorshift64*). */
static uint64_t
rnd(struct bf_http *h)
{
	h->rng ^= h->rng >> 12;
	h->rng ^= h->rng << 25;
	h->rng ^= h->rng >> 27;
	return h->rng * 2685821657736338717ULL;
}

/* Collect the body, refusing absurd sizes. */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct bf_http *h = arg;
	size_t len = size * n;

	if (h->body.len + len > (size_t)BODY_MAX) {
		h->body_too_big = true;
		return 0;
	}
	bf_buf_add(&h->body, p, len);
	return len;
}

/* The value of header 'name' in the line 'p' ('n' bytes), or NULL. */
static const char *
header_value(const char *p, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);
	const char *v, *e = p + n;

	if (n <= k || p[k] != ':')
		return NULL;
	for (size_t i = 0; i < k; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != name[i])
			return NULL;
	}
	v = p + k + 1;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	*vlen = (size_t)(e - v);
	return v;
}

/* Pick the rate-limit headers out of the response headers. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct bf_http *h = arg;
	size_t len = size * n, vlen;
	const char *v;
	int64_t x;

	if ((v = header_value(p, len, "x-mbx-used-weight-1m", &vlen)) &&
	    bf_num_parse_i64(v, vlen, &x) == 0 && x >= 0)
		h->hdr_weight = (long)x;
	else if ((v = header_value(p, len, "retry-after", &vlen)) &&
	    bf_num_parse_i64(v, vlen, &x) == 0 && x >= 0)
		h->hdr_retry_after = (long)(x > 86400 * 3 ? 86400 * 3 : x);
	return len;
}

struct bf_http *
bf_http_new(const char *base_url)
{
	static bool global_done;
	struct bf_http *h = bf_xcalloc(1, sizeof(*h));
	size_t n = strlen(base_url);

	if (!global_done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global_done = true;
	}
	while (n > 0 && base_url[n - 1] == '/')
		n--;
	h->base = bf_strndup(base_url, n);
	bf_buf_init(&h->body);
	bf_buf_init(&h->url);
	h->budget = BF_HTTP_WEIGHT_BUDGET;
	h->retries = 6;
	h->max429 = 10;
	h->timeout_ms = 30000;
	h->max_wait_ms = 300000;
	h->recv_window = 5000;
	h->rng = (uint64_t)real_ms() * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)getpid();
	if (h->rng == 0)
		h->rng = 1;
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		fputs("out of memory\n", stderr);
		exit(1);
	}
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "bf/" BF_VERSION);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(h->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	return h;
}

void
bf_http_free(struct bf_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->hdrs);
	free(h->base);
	free(h->key);
	if (h->secret != NULL) {
		memset(h->secret, 0, strlen(h->secret));
		free(h->secret);
	}
	bf_buf_release(&h->body);
	bf_buf_release(&h->url);
	free(h);
}

void
bf_http_set_budget(struct bf_http *h, long weight_per_minute)
{
	h->budget = weight_per_minute > 0 ? weight_per_minute : 0;
}

void
bf_http_set_retries(struct bf_http *h, int retries, int max429)
{
	h->retries = retries < 0 ? 0 : retries;
	h->max429 = max429 < 0 ? 0 : max429;
}

void
bf_http_set_timeout(struct bf_http *h, long ms)
{
	h->timeout_ms = ms > 0 ? ms : 30000;
}

void
bf_http_set_max_wait(struct bf_http *h, long ms)
{
	h->max_wait_ms = ms > 0 ? ms : 0;
}

void
bf_http_set_recv_window(struct bf_http *h, long ms)
{
	h->recv_window = ms;
}

void
bf_http_set_key(struct bf_http *h, const char *key, const char *secret)
{
	free(h->key);
	if (h->secret != NULL) {
		memset(h->secret, 0, strlen(h->secret));
		free(h->secret);
	}
	curl_slist_free_all(h->hdrs);
	h->hdrs = NULL;
	h->key = key ? bf_strdup(key) : NULL;
	h->secret = secret ? bf_strdup(secret) : NULL;
	if (h->key != NULL) {
		struct bf_buf b = BF_BUF_INIT;
		bf_buf_printf(&b, "X-MBX-APIKEY: %s", h->key);
		h->hdrs = curl_slist_append(NULL, b.buf);
		memset(b.buf, 0, b.len);
		bf_buf_release(&b);
	}
}

const struct bf_http_stats *
bf_http_stats(const struct bf_http *h)
{
	return &h->st;
}

void
bf_http_query_add(struct bf_buf *q, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";

	if (q->len > 0)
		bf_buf_addc(q, '&');
	bf_buf_adds(q, key);
	bf_buf_addc(q, '=');
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			bf_buf_addc(q, (char)c);
		} else {
			bf_buf_addc(q, '%');
			bf_buf_addc(q, hex[c >> 4]);
			bf_buf_addc(q, hex[c & 15]);
		}
	}
}

void
bf_http_query_add_i64(struct bf_buf *q, const char *key, int64_t v)
{
	char num[BF_NUM_BUFSZ];

	bf_num_format_i64(num, v);
	bf_http_query_add(q, key, num);
}

void
bf_http_set_clock(struct bf_http *h, int64_t (*now)(void *),
    void (*sleep)(void *, int64_t), void *ctx)
{
	h->now_fn = now;
	h->sleep_fn = sleep;
	h->clock_ctx = ctx;
}

void
bf_http_reserve(struct bf_http *h, int weight)
{
	int64_t now = now_ms(h), minute = now / 60000;

	if (minute != h->win) {
		h->win = minute;
		h->used = 0;
	}
	if (h->budget > 0 && h->used + weight > h->budget) {
		/* Into the next minute, with a margin for clock skew. */
		wait_ms(h, (minute + 1) * 60000 + 250 - now);
		h->win = now_ms(h) / 60000;
		h->used = 0;
	}
	h->used += weight;
	h->st.weight += weight;
}

/* The backoff before retry number 'attempt' (0-based): full jitter. */
static int64_t
backoff_ms(struct bf_http *h, int attempt)
{
	int64_t cap = BACKOFF_BASE_MS;

	for (int i = 0; i < attempt && cap < BACKOFF_CAP_MS; i++)
		cap *= 2;
	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	/* Half fixed, half random: never a zero wait, never a stampede. */
	return cap / 2 + (int64_t)(rnd(h) % (uint64_t)(cap / 2 + 1));
}

/*
 * Fill 'err' from an exchange error body {"code":..,"msg":..} in h->body,
 * for HTTP 'status'.  Returns BF_EUPSTREAM, or 'fallback' when the body
 * is not such an object.
 */
static int
upstream_error(struct bf_http *h, long status, const char *what, int fallback,
    struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_err jerr = BF_ERR_INIT;
	long c, m;
	int64_t code;
	int r = fallback;

	if (bf_json_parse(&js, h->body.buf, h->body.len, &jerr) == 0 &&
	    (c = bf_json_get(&js, 0, "code")) >= 0 &&
	    (m = bf_json_get(&js, 0, "msg")) >= 0 &&
	    bf_json_i64(&js, (size_t)c, &code) == 0) {
		size_t len;
		const char *s = bf_json_text(&js, (size_t)m, &len);
		if (len > 300)
			len = 300;
		/* "Invalid symbol." reads better inside a message without '.' */
		if (len > 0 && s[len - 1] == '.')
			len--;
		bf_err_set(err, BF_EUPSTREAM, "%.*s (%lld)", (int)len, s,
		    (long long)code);
		err->upstream = (int)code;
		r = BF_EUPSTREAM;
	} else {
		bf_err_set(err, fallback, "%s: HTTP %ld", what, status);
	}
	bf_json_release(&js);
	return r;
}

/*
 * Perform one GET of h->url.  Returns the curl code; the status and the
 * response headers land in 'status' and h->hdr_*.
 */
static CURLcode
perform(struct bf_http *h, long *status, bool signed_req)
{
	CURLcode rc;

	bf_buf_reset(&h->body);
	h->body_too_big = false;
	h->hdr_weight = -1;
	h->hdr_retry_after = -1;
	*status = 0;
	curl_easy_setopt(h->curl, CURLOPT_URL, h->url.buf);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	if (h->method == NULL) {
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(h->method, "POST") == 0) {
		/* Parameters in the query string, an empty body. */
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE, 0L);
	} else {
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, h->method);
	}
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER,
	    signed_req ? h->hdrs : NULL);
	h->st.requests++;
	rc = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, NULL);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	return rc;
}

/* Build h->url for 'path' and 'query', signing it when asked. */
static int
build_url(struct bf_http *h, const char *path, const char *query,
    bool signed_req, struct bf_err *err)
{
	bf_buf_reset(&h->url);
	if (!h->absolute)
		bf_buf_adds(&h->url, h->base);
	bf_buf_adds(&h->url, path);
	if (!signed_req) {
		if (query != NULL && *query) {
			bf_buf_addc(&h->url, '?');
			bf_buf_adds(&h->url, query);
		}
		return 0;
	}
	if (h->key == NULL || h->secret == NULL)
		return bf_err_set(err, BF_EUSAGE,
		    "%s needs an API key and secret (BF_API_KEY, BF_API_SECRET)",
		    path);
	{
		struct bf_buf q = BF_BUF_INIT;
		char sig[BF_SIGN_HEXSZ];

		if (query != NULL && *query)
			bf_buf_adds(&q, query);
		if (h->recv_window > 0)
			bf_http_query_add_i64(&q, "recvWindow", h->recv_window);
		bf_http_query_add_i64(&q, "timestamp", now_ms(h) + h->offset);
		bf_sign_hmac_sha256(h->secret, strlen(h->secret), q.buf, q.len,
		    sig);
		bf_buf_addc(&h->url, '?');
		bf_buf_add(&h->url, q.buf, q.len);
		bf_buf_adds(&h->url, "&signature=");
		bf_buf_adds(&h->url, sig);
		bf_buf_release(&q);
	}
	return 0;
}

static int request(struct bf_http *h, const char *path, const char *query,
    int weight, int flags, struct bf_json *js, bool notfound_ok,
    struct bf_err *err);

/*
 * Measure the offset of the exchange's clock: offset = serverTime -
 * midpoint of the request, less a margin against the exchange's "at most
 * 1000 ms ahead" rule.  Returns 0 or a negative code.
 */
static int
sync_clock(struct bf_http *h, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	int64_t t0 = now_ms(h), t1, server;
	const char *method = h->method;
	long i;
	int r;

	h->method = NULL;	/* the time is a GET, whatever the caller sends */
	r = request(h, "/fapi/v1/time", NULL, 1, 0, &js, false, err);
	h->method = method;
	t1 = now_ms(h);
	if (r == 0 && ((i = bf_json_get(&js, 0, "serverTime")) < 0 ||
	    bf_json_i64(&js, (size_t)i, &server) < 0))
		r = bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: /fapi/v1/time");
	if (r == 0)
		h->offset = server - (t0 + t1) / 2 - 200;
	bf_json_release(&js);
	return r;
}

/*
 * The request loop shared by both GETs.  'weight' < 0 means no budget
 * (archive files); 'js' non-NULL means the body must parse as JSON.
 * Returns 0, 1 for 404 when 'notfound_ok', or a negative code.
 */
static int
request(struct bf_http *h, const char *path, const char *query, int weight,
    int flags, struct bf_json *js, bool notfound_ok, struct bf_err *err)
{
	const char *what = path;
	int attempt = 0, n429 = 0;
	bool synced = false;
	char cerr[CURL_ERROR_SIZE];

	for (;;) {
		CURLcode rc;
		long status;
		int r;
		char why[CURL_ERROR_SIZE + 64];

		if ((r = build_url(h, path, query, flags & BF_HTTP_SIGNED,
		    err)) < 0)
			return r;
		if (weight >= 0)
			bf_http_reserve(h, weight);
		cerr[0] = '\0';
		/* Set each time: sync_clock's nested request sets its own. */
		curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, cerr);
		rc = perform(h, &status, flags & BF_HTTP_SIGNED);
		curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
		if (h->hdr_weight >= 0) {
			/* The exchange's count is authoritative. */
			h->used = h->hdr_weight;
			h->win = now_ms(h) / 60000;
			h->st.weight_last = h->hdr_weight;
			if (h->hdr_weight > h->st.weight_max)
				h->st.weight_max = h->hdr_weight;
		}
		if (rc == CURLE_OK && status >= 200 && status < 300) {
			if (js == NULL)
				return 0;
			if (bf_json_parse(js, h->body.buf, h->body.len,
			    err) == 0)
				return 0;
			snprintf(why, sizeof(why), "malformed answer (%s)",
			    err->msg);
		} else if (rc == CURLE_OK && status == 429) {
			int64_t w;
			h->st.rate_limited++;
			if (++n429 > h->max429)
				return upstream_error(h, status, what,
				    BF_EUPSTREAM, err);
			if (h->hdr_retry_after >= 0) {
				w = (int64_t)h->hdr_retry_after * 1000;
			} else {
				int64_t now = now_ms(h);
				w = (now / 60000 + 1) * 60000 + 250 - now;
			}
			if (h->max_wait_ms > 0 && w > h->max_wait_ms) {
				upstream_error(h, status, what, BF_EUPSTREAM,
				    err);
				bf_err_prefix(err, "rate limited for %lld s",
				    (long long)(w / 1000));
				return BF_EUPSTREAM;
			}
			wait_ms(h, w);
			h->used = 0;
			h->win = now_ms(h) / 60000;
			continue; /* a wait, not a retry */
		} else if (rc == CURLE_OK && status == 418) {
			upstream_error(h, status, what, BF_EUPSTREAM, err);
			bf_err_prefix(err, "IP banned by the exchange");
			return BF_EUPSTREAM;
		} else if (rc == CURLE_OK && status == 404 && notfound_ok) {
			return 1;
		} else if (rc == CURLE_OK && status < 500 && status != 408) {
			r = upstream_error(h, status, what, BF_EUPSTREAM, err);
			/*
			 * -1021: the timestamp is outside recvWindow, a
			 * certain failure.  Measure the clock offset and send
			 * once more (binance-usdm.md §5.4).
			 */
			if (r == BF_EUPSTREAM && err->upstream == -1021 &&
			    (flags & BF_HTTP_SIGNED) && !synced) {
				synced = true;
				if ((r = sync_clock(h, err)) < 0)
					return r;
				continue;
			}
			if (h->method != NULL && (err->upstream == -1000 ||
			    err->upstream == -1006 || err->upstream == -1007))
				h->unknown = true;
			return r;
		} else if (rc == CURLE_OK && h->method != NULL) {
			/* A mutation answered 5xx or 408: it may have landed. */
			h->unknown = true;
			r = upstream_error(h, status, what, BF_EFAIL, err);
			bf_err_prefix(err, "%s %s: outcome unknown", h->method,
			    what);
			return r < 0 ? r : BF_EFAIL;
		} else if (rc == CURLE_OK) {
			snprintf(why, sizeof(why), "HTTP %ld", status);
		} else if (h->body_too_big) {
			return bf_err_set(err, BF_EFAIL,
			    "%s: answer larger than %ld bytes", what, BODY_MAX);
		} else {
			snprintf(why, sizeof(why), "%s",
			    cerr[0] ? cerr : curl_easy_strerror(rc));
		}
		if (h->method != NULL && rc != CURLE_COULDNT_CONNECT &&
		    rc != CURLE_COULDNT_RESOLVE_HOST) {
			/* Sent, perhaps received: never resent blindly. */
			h->unknown = true;
			return bf_err_set(err, BF_EFAIL,
			    "%s %s: %s: outcome unknown", h->method, what, why);
		}
		if (attempt >= h->retries)
			return bf_err_set(err, BF_EFAIL, "%s: %s (after %d %s)",
			    what, why, attempt + 1,
			    attempt ? "tries" : "try");
		wait_ms(h, backoff_ms(h, attempt));
		attempt++;
		h->st.retries++;
	}
}

int
bf_http_get_json(struct bf_http *h, const char *path, const char *query,
    int weight, int flags, struct bf_json *js, struct bf_err *err)
{
	return request(h, path, query, weight < 0 ? 0 : weight, flags, js,
	    false, err);
}

int
bf_http_send_json(struct bf_http *h, const char *method, const char *path,
    const char *query, int weight, int flags, struct bf_json *js,
    bool *unknown, struct bf_err *err)
{
	int r;

	h->method = strcmp(method, "GET") == 0 ? NULL : method;
	h->unknown = false;
	r = request(h, path, query, weight < 0 ? 0 : weight, flags, js,
	    false, err);
	if (unknown != NULL)
		*unknown = r < 0 && h->unknown;
	h->method = NULL;
	h->unknown = false;
	return r;
}

void
bf_http_set_time_offset(struct bf_http *h, int64_t ms)
{
	h->offset = ms;
}

int
bf_http_get_url(struct bf_http *h, const char *url, struct bf_buf *out,
    struct bf_err *err)
{
	int r;

	h->absolute = true;
	r = request(h, url, NULL, -1, 0, NULL, true, err);
	h->absolute = false;
	if (r == 0) {
		bf_buf_reset(out);
		bf_buf_add(out, h->body.buf, h->body.len);
	}
	return r;
}
