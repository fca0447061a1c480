/* SPDX-License-Identifier: MIT */
/*
 * orders.c - the order client of orders.h: exact decimals, placement
 * with lookup before any resend, idempotent cancels, account queries.
 */
#include "compat.h"

#include <math.h>
#include <time.h>

#include "bftime.h"
#include "market.h"
#include "orders.h"

/* Start a client; see orders.h. */
void
bf_ordcli_init(struct bf_ordcli *c, struct bf_http *h, const char *symbol)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
	c->symbol = symbol;
	c->query_tries = 5;
	c->query_delay_ms = 1000;
	c->resends = 1;
}

/* Format a multiple of a decimal step; see orders.h. */
int
bf_dec_format(double v, const char *step, int dir, char *out, size_t cap)
{
	int64_t units = 0, scale = 1, k, total, a;
	size_t len = strlen(step);
	const char *dot = strchr(step, '.');
	int d = 0, n;
	bool frac = false;
	double x, r;

	if (dot != NULL) {
		while (len > (size_t)(dot - step) + 1 && step[len - 1] == '0')
			len--;
		if (step[len - 1] == '.')
			len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (step[i] == '.' && !frac) {
			frac = true;
			continue;
		}
		if (step[i] < '0' || step[i] > '9' || units > INT64_MAX / 10)
			return -1;
		units = units * 10 + (step[i] - '0');
		if (frac)
			d++;
	}
	if (units == 0 || d > 17)
		return -1;
	for (int i = 0; i < d; i++)
		scale *= 10;
	x = v * (double)scale / (double)units;
	if (!isfinite(x) || fabs(x) > 9e15)
		return -1;
	r = nearbyint(x);
	if (fabs(x - r) <= 1e-9 * fmax(1, fabs(x)))
		k = (int64_t)r;
	else if (dir < 0)
		k = (int64_t)floor(x);
	else if (dir > 0)
		k = (int64_t)ceil(x);
	else
		k = (int64_t)trunc(x);
	if (k != 0 && (k > INT64_MAX / units || k < -(INT64_MAX / units)))
		return -1;
	total = k * units;
	a = total < 0 ? -total : total;
	if (d == 0)
		n = snprintf(out, cap, "%s%lld", total < 0 ? "-" : "",
		    (long long)a);
	else
		n = snprintf(out, cap, "%s%lld.%0*lld", total < 0 ? "-" : "",
		    (long long)(a / scale), d, (long long)(a % scale));
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* Copy the text of member 'key' of object 'obj' into 'buf' ("" if absent). */
static void
copy_text(const struct bf_json *js, size_t obj, const char *key, char *buf,
    size_t cap)
{
	long i = bf_json_get(js, obj, key);
	const char *s;
	size_t n;

	buf[0] = '\0';
	if (i < 0 || js->t[i].type == BF_JSON_NULL ||
	    js->t[i].type == BF_JSON_ARRAY || js->t[i].type == BF_JSON_OBJECT)
		return;
	s = bf_json_text(js, (size_t)i, &n);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Member 'key' of 'obj' as a double (NAN when absent or not a number). */
static double
num_of(const struct bf_json *js, size_t obj, const char *key)
{
	char buf[64];
	char *end;
	double v;

	copy_text(js, obj, key, buf, sizeof(buf));
	if (buf[0] == '\0')
		return NAN;
	v = strtod(buf, &end);
	return *end == '\0' ? v : NAN;
}

/* Parse an order; see orders.h. */
int
bf_ord_parse(const struct bf_json *js, size_t obj, struct bf_ord *o,
    struct bf_err *err)
{
	long i;

	memset(o, 0, sizeof(*o));
	if (js->t[obj].type != BF_JSON_OBJECT ||
	    (i = bf_json_get(js, obj, "orderId")) < 0 ||
	    bf_json_i64(js, (size_t)i, &o->order_id) < 0)
		return bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: not an order");
	i = bf_json_get(js, obj, "updateTime");
	if (i >= 0)
		(void)bf_json_i64(js, (size_t)i, &o->update_time);
	copy_text(js, obj, "symbol", o->symbol, sizeof(o->symbol));
	copy_text(js, obj, "clientOrderId", o->client_order_id,
	    sizeof(o->client_order_id));
	copy_text(js, obj, "status", o->status, sizeof(o->status));
	copy_text(js, obj, "side", o->side, sizeof(o->side));
	copy_text(js, obj, "type", o->type, sizeof(o->type));
	copy_text(js, obj, "origQty", o->orig_qty, sizeof(o->orig_qty));
	copy_text(js, obj, "price", o->price, sizeof(o->price));
	copy_text(js, obj, "executedQty", o->executed_qty,
	    sizeof(o->executed_qty));
	copy_text(js, obj, "avgPrice", o->avg_price, sizeof(o->avg_price));
	copy_text(js, obj, "cumQuote", o->cum_quote, sizeof(o->cum_quote));
	i = bf_json_get(js, obj, "reduceOnly");
	o->reduce_only = i >= 0 && js->t[i].type == BF_JSON_TRUE;
	return 0;
}

/* Final states; see orders.h. */
bool
bf_ord_final(const struct bf_ord *o)
{
	return strcmp(o->status, "NEW") != 0 &&
	    strcmp(o->status, "PARTIALLY_FILLED") != 0;
}

/* Sleep 'ms' milliseconds. */
static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Send a signed request and parse its answer into 'js'. */
static int
call(struct bf_ordcli *c, const char *method, const char *path,
    const struct bf_buf *q, int weight, struct bf_json *js, bool *unknown,
    struct bf_err *err)
{
	return bf_http_send_json(c->h, method, path, q->buf, weight,
	    BF_HTTP_SIGNED, js, unknown, err);
}

/* The emit callback of bf_ord_filters: pick the filter columns. */
static int
take_filters(void *ctx, const struct bf_field *f, size_t n, int64_t key,
    struct bf_err *err)
{
	struct bf_filters *fl = ctx;
	const struct bf_mkt_schema *sc = &bf_mkt_info_schema;
	char buf[BF_DEC_MAX];

	(void)key;
	(void)err;
	for (size_t i = 0; i < n && i < sc->ncols; i++) {
		const char *name = sc->cols[i];
		size_t len = f[i].len < sizeof(buf) - 1 ? f[i].len :
		    sizeof(buf) - 1;
		double v;

		memcpy(buf, f[i].s, len);
		buf[len] = '\0';
		v = len > 0 ? strtod(buf, NULL) : 0;
		if (strcmp(name, "tick_size") == 0) {
			memcpy(fl->tick, buf, len + 1);
			fl->tick_v = v;
		} else if (strcmp(name, "step_size") == 0) {
			memcpy(fl->step, buf, len + 1);
			fl->step_v = v;
		} else if (strcmp(name, "market_step_size") == 0) {
			memcpy(fl->mkt_step, buf, len + 1);
			fl->mkt_step_v = v;
		} else if (strcmp(name, "min_qty") == 0) {
			fl->min_qty = v;
		} else if (strcmp(name, "market_min_qty") == 0) {
			fl->mkt_min_qty = v;
		} else if (strcmp(name, "market_max_qty") == 0) {
			fl->mkt_max_qty = v;
		} else if (strcmp(name, "min_notional") == 0) {
			fl->min_notional = v;
		}
	}
	return 0;
}

/* The symbol's filters; see orders.h. */
int
bf_ord_filters(struct bf_ordcli *c, struct bf_filters *f, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	int r;

	memset(f, 0, sizeof(*f));
	r = bf_http_get_json(c->h, "/fapi/v1/exchangeInfo", NULL, 1, 0, &js,
	    err);
	if (r == 0)
		r = bf_mkt_info(&js, c->symbol, take_filters, f, err);
	bf_json_release(&js);
	if (r < 0)
		return r;
	if (f->step[0] == '\0' || f->tick[0] == '\0')
		return bf_err_set(err, BF_EFAIL, "exchangeInfo: %s has no "
		    "LOT_SIZE or PRICE_FILTER", c->symbol);
	if (f->mkt_step[0] == '\0') {
		memcpy(f->mkt_step, f->step, sizeof(f->step));
		f->mkt_step_v = f->step_v;
	}
	return 0;
}

/* Clock offset; see orders.h. */
int
bf_ord_sync_time(struct bf_ordcli *c, int64_t *offset, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	int64_t t0, t1, server;
	long i;
	int r;

	t0 = bf_time_now_ms();
	r = bf_http_get_json(c->h, "/fapi/v1/time", NULL, 1, 0, &js, err);
	t1 = bf_time_now_ms();
	if (r == 0 && ((i = bf_json_get(&js, 0, "serverTime")) < 0 ||
	    bf_json_i64(&js, (size_t)i, &server) < 0))
		r = bf_err_set(err, BF_EFAIL,
		    "unexpected answer from the exchange: no serverTime");
	bf_json_release(&js);
	if (r < 0)
		return r;
	*offset = server - (t0 + t1) / 2 - 250;
	bf_http_set_time_offset(c->h, *offset);
	return 0;
}

/* Look an order up; see orders.h. */
int
bf_ord_query(struct bf_ordcli *c, const char *coid, int64_t order_id,
    struct bf_ord *out, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	int r;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	if (coid != NULL)
		bf_http_query_add(&q, "origClientOrderId", coid);
	else
		bf_http_query_add_i64(&q, "orderId", order_id);
	r = call(c, "GET", "/fapi/v1/order", &q, 1, &js, NULL, err);
	if (r == 0)
		r = bf_ord_parse(&js, 0, out, err);
	else if (r == BF_EUPSTREAM && err->upstream == -2013)
		r = 1;
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/*
 * After an unknown outcome: look the order up to 'query_tries' times.
 * Returns 0 (found), 1 (absent every time) or the last error.
 */
static int
lookup(struct bf_ordcli *c, const char *coid, struct bf_ord *out,
    struct bf_err *err)
{
	int r = 1;

	for (int t = 0; t < c->query_tries; t++) {
		nap(c->query_delay_ms);
		r = bf_ord_query(c, coid, 0, out, err);
		if (r == 0)
			return 0;
	}
	return r;
}

/* Place an order; see orders.h. */
int
bf_ord_place(struct bf_ordcli *c, const struct bf_ord_req *req,
    struct bf_ord *out, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	bool unknown;
	int r;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	bf_http_query_add(&q, "side", req->side);
	bf_http_query_add(&q, "type", req->type);
	bf_http_query_add(&q, "quantity", req->qty);
	if (req->price != NULL) {
		bf_http_query_add(&q, "price", req->price);
		bf_http_query_add(&q, "timeInForce", "GTC");
	}
	if (req->reduce_only)
		bf_http_query_add(&q, "reduceOnly", "true");
	bf_http_query_add(&q, "newClientOrderId", req->coid);
	bf_http_query_add(&q, "newOrderRespType", "RESULT");
	for (int send = 0;; send++) {
		r = call(c, "POST", "/fapi/v1/order", &q, 1, &js, &unknown,
		    err);
		if (r == 0) {
			r = bf_ord_parse(&js, 0, out, err);
			c->placed++;
			break;
		}
		if (r == BF_EUPSTREAM && err->upstream == -4116) {
			/* An earlier attempt landed and is open. */
			c->duplicates++;
			r = lookup(c, req->coid, out, err);
			if (r == 1)
				r = bf_err_set(err, BF_EFAIL, "order %s: "
				    "duplicated (-4116) but not found",
				    req->coid);
			break;
		}
		if (!unknown) {
			c->refused++;
			break;
		}
		c->unknown++;
		r = lookup(c, req->coid, out, err);
		if (r == 0) {
			c->reconciled++;
			break;
		}
		if (r < 0) {
			bf_err_prefix(err, "order %s: outcome unknown, "
			    "lookup failed", req->coid);
			break;
		}
		if (send >= c->resends) {
			r = bf_err_set(err, BF_EFAIL, "order %s: outcome "
			    "unknown and not found after %d lookups",
			    req->coid, c->query_tries);
			break;
		}
		/* Proven absent: the same id again cannot make two. */
		c->resent++;
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Cancel an order; see orders.h. */
int
bf_ord_cancel(struct bf_ordcli *c, const char *coid, int64_t order_id,
    struct bf_ord *out, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	bool unknown;
	int r;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	if (coid != NULL)
		bf_http_query_add(&q, "origClientOrderId", coid);
	else
		bf_http_query_add_i64(&q, "orderId", order_id);
	r = call(c, "DELETE", "/fapi/v1/order", &q, 1, &js, &unknown, err);
	if (r == 0) {
		r = bf_ord_parse(&js, 0, out, err);
	} else if ((r == BF_EUPSTREAM && err->upstream == -2011) || unknown) {
		/* Not open (or the answer was lost): its state now. */
		struct bf_err qerr = BF_ERR_INIT;
		int q2 = bf_ord_query(c, coid, order_id, out, &qerr);

		if (q2 == 0)
			r = 0;
		else if (q2 < 0)
			*err = qerr;
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Cancel all; see orders.h. */
int
bf_ord_cancel_all(struct bf_ordcli *c, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	int r;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	r = call(c, "DELETE", "/fapi/v1/allOpenOrders", &q, 1, &js, NULL,
	    err);
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Open orders; see orders.h. */
int
bf_ord_open_orders(struct bf_ordcli *c,
    int (*fn)(void *ctx, const struct bf_ord *o), void *ctx,
    struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	struct bf_ord o;
	size_t i;
	int r, n = 0;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	r = call(c, "GET", "/fapi/v1/openOrders", &q, 1, &js, NULL, err);
	if (r == 0 && js.t[0].type != BF_JSON_ARRAY)
		r = bf_err_set(err, BF_EFAIL, "unexpected answer from the "
		    "exchange: openOrders is not an array");
	if (r == 0) {
		i = bf_json_child(&js, 0);
		for (size_t k = 0; k < js.t[0].size; k++) {
			if ((r = bf_ord_parse(&js, i, &o, err)) < 0 ||
			    (r = fn(ctx, &o)) < 0)
				break;
			n++;
			i = bf_json_next(&js, i);
		}
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r < 0 ? r : n;
}

/* The position; see orders.h. */
int
bf_ord_position(struct bf_ordcli *c, struct bf_pos *p, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	int r;
	size_t i;
	bool found = false;

	memset(p, 0, sizeof(*p));
	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	r = call(c, "GET", "/fapi/v2/positionRisk", &q, 5, &js, NULL, err);
	if (r == 0 && js.t[0].type != BF_JSON_ARRAY)
		r = bf_err_set(err, BF_EFAIL, "unexpected answer from the "
		    "exchange: positionRisk is not an array");
	i = bf_json_child(&js, 0);
	for (size_t k = 0; r == 0 && k < js.t[0].size && !found; k++) {
		long s = bf_json_get(&js, i, "symbol");
		long ps = bf_json_get(&js, i, "positionSide");

		if (s >= 0 && bf_json_eq(&js, (size_t)s, c->symbol) &&
		    (ps < 0 || bf_json_eq(&js, (size_t)ps, "BOTH"))) {
			copy_text(&js, i, "positionAmt", p->amt,
			    sizeof(p->amt));
			copy_text(&js, i, "entryPrice", p->entry,
			    sizeof(p->entry));
			copy_text(&js, i, "markPrice", p->mark, sizeof(p->mark));
			copy_text(&js, i, "unRealizedProfit", p->upnl,
			    sizeof(p->upnl));
			copy_text(&js, i, "liquidationPrice", p->liq,
			    sizeof(p->liq));
			copy_text(&js, i, "leverage", p->leverage,
			    sizeof(p->leverage));
			copy_text(&js, i, "marginType", p->margin_type,
			    sizeof(p->margin_type));
			p->amt_v = num_of(&js, i, "positionAmt");
			p->entry_v = num_of(&js, i, "entryPrice");
			p->mark_v = num_of(&js, i, "markPrice");
			found = true;
		}
		i = bf_json_next(&js, i);
	}
	if (r == 0 && (!found || !isfinite(p->amt_v)))
		r = bf_err_set(err, BF_EFAIL, "positionRisk: no one-way "
		    "position of %s", c->symbol);
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Account balances; see orders.h. */
int
bf_ord_account(struct bf_ordcli *c, double *wallet, double *upnl,
    double *equity, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	int r;

	bf_buf_init(&q);
	r = call(c, "GET", "/fapi/v2/account", &q, 5, &js, NULL, err);
	if (r == 0) {
		*wallet = num_of(&js, 0, "totalWalletBalance");
		*upnl = num_of(&js, 0, "totalUnrealizedProfit");
		*equity = num_of(&js, 0, "totalMarginBalance");
		if (!isfinite(*wallet) || !isfinite(*upnl) ||
		    !isfinite(*equity))
			r = bf_err_set(err, BF_EFAIL, "unexpected answer from "
			    "the exchange: account without balances");
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Leverage; see orders.h. */
int
bf_ord_set_leverage(struct bf_ordcli *c, int leverage, struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	int r;

	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	bf_http_query_add_i64(&q, "leverage", leverage);
	/* Setting it twice is harmless: an unknown outcome is retried. */
	r = call(c, "POST", "/fapi/v1/leverage", &q, 1, &js, NULL, err);
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}

/* Commission of an order; see orders.h. */
int
bf_ord_fee(struct bf_ordcli *c, int64_t order_id, double *fee,
    struct bf_err *err)
{
	struct bf_json js = BF_JSON_INIT;
	struct bf_buf q = BF_BUF_INIT;
	size_t i;
	int r;

	*fee = 0;
	bf_buf_init(&q);
	bf_http_query_add(&q, "symbol", c->symbol);
	bf_http_query_add_i64(&q, "orderId", order_id);
	r = call(c, "GET", "/fapi/v1/userTrades", &q, 5, &js, NULL, err);
	if (r == 0 && js.t[0].type != BF_JSON_ARRAY)
		r = bf_err_set(err, BF_EFAIL, "unexpected answer from the "
		    "exchange: userTrades is not an array");
	i = bf_json_child(&js, 0);
	for (size_t k = 0; r == 0 && k < js.t[0].size; k++) {
		double v = num_of(&js, i, "commission");

		if (isfinite(v))
			*fee += v;
		i = bf_json_next(&js, i);
	}
	bf_json_release(&js);
	bf_buf_release(&q);
	return r;
}
