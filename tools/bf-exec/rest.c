/* SPDX-License-Identifier: MIT */
/*
 * rest.c - bf-exec on the exchange: the one-shot commands and stream
 * mode for testnet, demo and live (bf-exec(1)).
 *
 * Stream mode sizes each row's target as it arrives (at its close,
 * which is the next row's open) against the account the exchange
 * reports (margin balance, position, mark price) with the same rule as
 * bf-sim and paper mode (bf_account_order_qty), and places a MARKET
 * order with the client order id "bf" RUN "-" TIME "-0".  The journal makes it
 * safe to stop at any moment:
 *
 *	intent  written and forced to the disk before an order is sent
 *	order   the exchange's answer, with the bar that made it
 *	bar     the row is done: its guards' state (day, day's starting
 *	        equity, orders of the day, halt, last target acted on)
 *	resolved  an intent settled at start-up
 *
 * At start-up every intent without its order is looked up by client
 * order id: found, its event is written out; absent, it never landed,
 * and the row (not yet done) is acted on again with the same id.  Rows
 * not after the last done row are skipped.
 */
#include "exec.h"

#include <math.h>
#include <unistd.h>

#include "account.h"
#include "brackets.h"
#include "journal.h"
#include "json.h"
#include "barin.h"
#include "orders.h"
#include "promhttp.h"

#define DAY_MS 86400000LL
#define MAX_PENDING 8

static const char *const pos_cols[] = {
	"symbol", "position_amt", "entry_price", "mark_price",
	"unrealized_pnl", "liquidation_price", "leverage", "margin_type"
};

/* The connection to the exchange. */
struct session {
	struct bf_http *h;
	struct bf_ordcli oc;
	struct bf_filters f;
	char run_id[17];
};

/* Open the session: URL, keys, timeouts, clock, filters; dies on error. */
static void
session_open(struct opts *o, struct session *s, bool need_filters)
{
	struct bf_err err = BF_ERR_INIT;
	const char *url = o->base_url, *key, *secret;
	int64_t off;

	if (url == NULL)
		url = getenv("BF_BASE_URL");
	if ((url == NULL || *url == '\0') && o->mode == MODE_LIVE)
		url = bf_cfg_str(o->cfg, "exchange", "base_url",
		    BF_HTTP_DEFAULT_URL);
	if (url == NULL || *url == '\0')
		url = o->mode == MODE_LIVE ? BF_HTTP_DEFAULT_URL :
		    "https://demo-fapi.binance.com";
	key = bf_cfg_get(o->cfg, "exchange", "api_key");
	secret = bf_cfg_get(o->cfg, "exchange", "api_secret");
	if (key == NULL || secret == NULL || *key == '\0' || *secret == '\0')
		bf_usage_error("--mode %s needs an API key: set BF_API_KEY and "
		    "BF_API_SECRET", exec_mode_words[o->mode]);
	s->h = bf_http_new(url);
	bf_http_set_key(s->h, key, secret);
	bf_http_set_timeout(s->h, o->timeout_ms);
	bf_ordcli_init(&s->oc, s->h, o->symbol);
	s->oc.query_delay_ms = o->recon_delay_ms;
	s->oc.query_tries = o->recon_tries;
	if (bf_ord_sync_time(&s->oc, &off, &err) < 0)
		bf_die_err(&err);
	bf_debug("clock offset %lld ms", (long long)off);
	if (need_filters && bf_ord_filters(&s->oc, &s->f, &err) < 0)
		bf_die_err(&err);
}

/* Close the session. */
static void
session_close(struct session *s)
{
	bf_http_free(s->h);
}

/* An exchange decimal as text into the writer ('zero_missing': "0" = none). */
static void
set_dec(struct bf_writer *w, size_t k, const char *s, bool zero_missing)
{
	if (*s == '\0' || (zero_missing && strtod(s, NULL) == 0))
		bf_writer_set_missing(w, k);
	else
		bf_writer_set_auto(w, k, s, strlen(s));
}

/* Write the order event of exchange order 'od'. */
static int
write_ord(struct bf_writer *w, const struct bf_ord *od, int64_t time,
    double fee, const char *reason, struct bf_err *err)
{
	const char *sym = od->symbol;

	bf_writer_set_i64(w, 0, time);
	bf_writer_set_text(w, 1, od->client_order_id,
	    strlen(od->client_order_id));
	bf_writer_set_i64(w, 2, od->order_id);
	bf_writer_set_text(w, 3, sym, strlen(sym));
	bf_writer_set_text(w, 4, od->side, strlen(od->side));
	bf_writer_set_text(w, 5, od->type, strlen(od->type));
	set_dec(w, 6, od->orig_qty, false);
	set_dec(w, 7, od->price, true);
	bf_writer_set_text(w, 8, od->status, strlen(od->status));
	set_dec(w, 9, od->executed_qty, false);
	set_dec(w, 10, od->avg_price, true);
	bf_writer_set_double(w, 11, fee);
	bf_writer_set_text(w, 12, reason, strlen(reason));
	return bf_writer_emit(w, NULL, err);
}

/* A refused order as an event (status REJECTED, the refusal as reason). */
static int
write_refusal(struct bf_writer *w, const char *symbol, const char *coid,
    const char *side, const char *qty, int64_t time,
    const struct bf_err *why, struct bf_err *err)
{
	char reason[200];

	snprintf(reason, sizeof(reason), "rejected: %s", why->msg);
	bf_writer_set_i64(w, 0, time);
	bf_writer_set_text(w, 1, coid, strlen(coid));
	bf_writer_set_missing(w, 2);
	bf_writer_set_text(w, 3, symbol, strlen(symbol));
	bf_writer_set_text(w, 4, side, strlen(side));
	bf_writer_set_text(w, 5, "MARKET", 6);
	bf_writer_set_auto(w, 6, qty, strlen(qty));
	bf_writer_set_missing(w, 7);
	bf_writer_set_text(w, 8, "REJECTED", 8);
	bf_writer_set_missing(w, 9);
	bf_writer_set_missing(w, 10);
	bf_writer_set_missing(w, 11);
	bf_writer_set_text(w, 12, reason, strlen(reason));
	return bf_writer_emit(w, NULL, err);
}

/* The commission of a filled order (NAN when it cannot be had). */
static double
order_fee(struct session *s, const struct bf_ord *od)
{
	struct bf_err err = BF_ERR_INIT;
	double fee;

	if (strtod(od->executed_qty, NULL) == 0)
		return 0;
	if (bf_ord_fee(&s->oc, od->order_id, &fee, &err) < 0) {
		bf_warn("order %s: fee: %s", od->client_order_id, err.msg);
		return NAN;
	}
	return fee;
}

/* A writer of order events on stdout. */
static struct bf_writer *
event_writer(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	int fmt = o->common.out_fmt != BF_FMT_AUTO ? o->common.out_fmt :
	    BF_FMT_CSV;
	struct bf_writer *w = bf_writer_new(1, fmt, o->common.digits,
	    BF_WRITER_UNBUFFERED);

	if (bf_writer_start(w, NULL, bf_exec_event_cols,
	    BF_ARRAY_SIZE(bf_exec_event_cols), &err) < 0)
		bf_die_err(&err);
	return w;
}

/* Strip a leading '-' (a short position's amount as an order qty). */
static const char *
unsigned_text(const char *s)
{
	return *s == '-' || *s == '+' ? s + 1 : s;
}

/* ---- one-shot commands ---- */

/* bf-exec order. */
static int
cmd_order(struct opts *o, struct session *s, struct bf_writer *w)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord_req rq;
	struct bf_ord od;
	char qty[BF_DEC_MAX], price[BF_DEC_MAX], coid[BF_COID_MAX];
	const char *type = o->type != NULL ? o->type : "MARKET";
	double q, p = 0;
	int side;

	if (o->side == NULL || o->qty == NULL)
		bf_usage_error("order needs --side and --qty");
	if (bf_strieq(o->side, "BUY"))
		side = 1;
	else if (bf_strieq(o->side, "SELL"))
		side = -1;
	else
		bf_usage_error("side '%s': BUY or SELL", o->side);
	if (!bf_strieq(type, "MARKET") && !bf_strieq(type, "LIMIT"))
		bf_usage_error("type '%s': MARKET or LIMIT", type);
	type = bf_strieq(type, "MARKET") ? "MARKET" : "LIMIT";
	if (bf_parse_double(o->qty, &q) < 0 || !(q > 0))
		bf_usage_error("qty '%s': a positive number", o->qty);
	if ((strcmp(type, "LIMIT") == 0) != (o->price != NULL))
		bf_usage_error("--price goes with --type LIMIT, and only there");
	if (o->price != NULL && (bf_parse_double(o->price, &p) < 0 ||
	    !(p > 0)))
		bf_usage_error("price '%s': a positive number", o->price);
	/* Exact text from the filters' own step and tick. */
	if (bf_dec_format(q, strcmp(type, "MARKET") == 0 ? s->f.mkt_step :
	    s->f.step, 0, qty, sizeof(qty)) < 0 || strtod(qty, NULL) == 0)
		bf_usage_error("qty '%s' is below the step", o->qty);
	if (strcmp(qty, o->qty) != 0)
		bf_info("quantity %s sent as %s", o->qty, qty);
	/* A limit rests on its side of the price: buys down, sells up. */
	if (o->price != NULL && bf_dec_format(p, s->f.tick, -side, price,
	    sizeof(price)) < 0)
		bf_usage_error("price '%s': out of range", o->price);
	if (o->coid != NULL)
		snprintf(coid, sizeof(coid), "%s", o->coid);
	else
		snprintf(coid, sizeof(coid), "bf%s-%lld-m", s->run_id,
		    (long long)bf_time_now_ms());
	rq.side = side > 0 ? "BUY" : "SELL";
	rq.type = type;
	rq.qty = qty;
	rq.price = o->price != NULL ? price : NULL;
	rq.coid = coid;
	rq.reduce_only = o->reduce_only;
	if (bf_ord_place(&s->oc, &rq, &od, &err) < 0) {
		if (err.code == BF_EUPSTREAM)
			bf_err_prefix(&err, "order %s", coid);
		bf_die_err(&err);
	}
	if (s->oc.reconciled > 0)
		bf_warn("order %s: answer lost, found by lookup", coid);
	if (s->oc.resent > 0)
		bf_warn("order %s: proven absent, sent again", coid);
	if (write_ord(w, &od, od.update_time, order_fee(s, &od), "manual",
	    &err) < 0)
		bf_die_err(&err);
	return 0;
}

/* bf-exec cancel and status. */
static int
cmd_lookup(struct opts *o, struct session *s, struct bf_writer *w,
    bool cancel)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord od;
	long long id = 0;
	int r;

	if ((o->coid == NULL) == (o->order_id == NULL))
		bf_usage_error("%s needs --client-order-id or --order-id",
		    o->cmd);
	if (o->order_id != NULL &&
	    bf_parse_long(o->order_id, 1, INT64_MAX, &id) < 0)
		bf_usage_error("order id '%s': a positive integer",
		    o->order_id);
	if (cancel)
		r = bf_ord_cancel(&s->oc, o->coid, id, &od, &err);
	else
		r = bf_ord_query(&s->oc, o->coid, id, &od, &err);
	if (r == 1)
		bf_die(BF_EXIT_FAIL, "order %s: Order does not exist (-2013)",
		    o->coid != NULL ? o->coid : o->order_id);
	if (r < 0)
		bf_die_err(&err);
	if (write_ord(w, &od, od.update_time, order_fee(s, &od),
	    cancel ? "cancel" : "status", &err) < 0)
		bf_die_err(&err);
	return 0;
}

/* bf-exec positions. */
static int
cmd_positions(struct opts *o, struct session *s)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_pos p;
	struct bf_writer *w;
	int fmt = o->common.out_fmt != BF_FMT_AUTO ? o->common.out_fmt :
	    BF_FMT_CSV;

	if (bf_ord_position(&s->oc, &p, &err) < 0)
		bf_die_err(&err);
	w = bf_writer_new(1, fmt, o->common.digits, 0);
	if (bf_writer_start(w, NULL, pos_cols, BF_ARRAY_SIZE(pos_cols),
	    &err) < 0)
		bf_die_err(&err);
	bf_writer_set_text(w, 0, o->symbol, strlen(o->symbol));
	set_dec(w, 1, p.amt, false);
	set_dec(w, 2, p.entry, false);
	set_dec(w, 3, p.mark, false);
	set_dec(w, 4, p.upnl, false);
	set_dec(w, 5, p.liq, false);
	set_dec(w, 6, p.leverage, false);
	bf_writer_set_text(w, 7, p.margin_type, strlen(p.margin_type));
	if (bf_writer_emit(w, NULL, &err) < 0 ||
	    bf_writer_close(w, &err) < 0)
		bf_die_err(&err);
	return 0;
}

/*
 * Cancel every open order and close the position with a reduce-only
 * MARKET order of client order id 'coid'.  Returns 1 and fills 'od'
 * when an order was made, 0 when flat, or a negative code.
 */
static int
flatten(struct session *s, const char *coid, struct bf_ord *od,
    struct bf_err *err)
{
	struct bf_ord_req rq;
	struct bf_pos p;
	int r;

	if ((r = bf_ord_cancel_all(&s->oc, err)) < 0 ||
	    (r = bf_ord_position(&s->oc, &p, err)) < 0)
		return r;
	if (p.amt_v == 0)
		return 0;
	rq.side = p.amt_v > 0 ? "SELL" : "BUY";
	rq.type = "MARKET";
	rq.qty = unsigned_text(p.amt);
	rq.price = NULL;
	rq.coid = coid;
	rq.reduce_only = true;
	r = bf_ord_place(&s->oc, &rq, od, err);
	return r < 0 ? r : 1;
}

/* bf-exec flatten. */
static int
cmd_flatten(struct session *s, struct bf_writer *w)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord od;
	char coid[BF_COID_MAX];
	int r;

	snprintf(coid, sizeof(coid), "bf%s-%lld-f", s->run_id,
	    (long long)bf_time_now_ms());
	r = flatten(s, coid, &od, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0)
		bf_info("no position: nothing to close");
	else if (write_ord(w, &od, od.update_time, order_fee(s, &od),
	    "flatten", &err) < 0)
		bf_die_err(&err);
	return 0;
}

/* Run a one-shot command; see exec.h. */
int
rest_command(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	struct session s;
	struct bf_writer *w = NULL;
	int status;

	memset(&s, 0, sizeof(s));
	if (o->run_id != NULL)
		snprintf(s.run_id, sizeof(s.run_id), "%s", o->run_id);
	else
		exec_new_run_id(s.run_id, sizeof(s.run_id));
	session_open(o, &s, strcmp(o->cmd, "order") == 0);
	if (strcmp(o->cmd, "positions") == 0) {
		status = cmd_positions(o, &s);
	} else {
		w = event_writer(o);
		if (strcmp(o->cmd, "order") == 0)
			status = cmd_order(o, &s, w);
		else if (strcmp(o->cmd, "flatten") == 0)
			status = cmd_flatten(&s, w);
		else
			status = cmd_lookup(o, &s, w,
			    strcmp(o->cmd, "cancel") == 0);
		if (bf_writer_close(w, &err) < 0)
			bf_die_err(&err);
	}
	session_close(&s);
	return status;
}

/* ---- stream mode ---- */

/* An intent not yet answered. */
struct intent {
	char coid[BF_COID_MAX];
	char side[8];
	char qty[BF_DEC_MAX];
	char reason[24];
	int64_t time;
};

/* The guards' state, journaled with every bar. */
struct guard {
	int64_t last_time;	/* the last row done */
	bool have_last;
	int64_t day;		/* UTC day of the last row */
	double day_equity;	/* margin balance at the day's first row */
	long day_orders;
	int halt;		/* BF_HALT_DAILY */
	bool acted;
	double acted_target;	/* the last target acted on */
};

/* Stream mode state. */
struct stream {
	struct opts *o;
	struct session s;
	struct bf_journal jn;
	struct bf_json js;
	struct bf_writer *w;
	struct guard g;
	struct intent pend[MAX_PENDING];
	size_t npend;
	bool started;
	struct bf_buf jb;	/* the batch being built */
	struct exec_figures fig;
	double start_equity;
	struct bf_brackets br;
};

/* Copy member 'key' (a string) of the root object into 'out'. */
static int
jstr(struct stream *st, const char *key, char *out, size_t cap,
    struct bf_err *err)
{
	long i = bf_json_get(&st->js, 0, key);
	const char *s;
	size_t n;

	if (i < 0 || st->js.t[i].type != BF_JSON_STRING)
		return bf_err_set(err, BF_EDATA, "no string '%s'", key);
	s = bf_json_text(&st->js, (size_t)i, &n);
	if (n >= cap)
		return bf_err_set(err, BF_EDATA, "'%s' too long", key);
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Member 'key' of the root object as a double (null or absent: NAN). */
static double
jnum(struct stream *st, const char *key)
{
	long i = bf_json_get(&st->js, 0, key);
	char buf[64];
	const char *s;
	size_t n;

	if (i < 0 || st->js.t[i].type != BF_JSON_NUMBER)
		return NAN;
	s = bf_json_text(&st->js, (size_t)i, &n);
	if (n >= sizeof(buf))
		return NAN;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/* Member 'key' of the root object as an integer (absent: 'def'). */
static int64_t
jint(struct stream *st, const char *key, int64_t def)
{
	long i = bf_json_get(&st->js, 0, key);
	int64_t v;

	if (i < 0 || bf_json_i64(&st->js, (size_t)i, &v) < 0)
		return def;
	return v;
}

/* Drop pending intent 'coid'. */
static void
pend_drop(struct stream *st, const char *coid)
{
	for (size_t i = 0; i < st->npend; i++)
		if (strcmp(st->pend[i].coid, coid) == 0) {
			st->pend[i] = st->pend[--st->npend];
			return;
		}
}

/* The journal's replay callback in stream mode. */
static int
replay_line(void *ctx, char *line, size_t len, struct bf_err *err)
{
	struct stream *st = ctx;
	struct opts *o = st->o;
	char kind[16], buf[64];

	if (bf_json_parse(&st->js, line, len, err) < 0)
		return BF_EDATA;
	if (st->js.t[0].type != BF_JSON_OBJECT ||
	    jstr(st, "kind", kind, sizeof(kind), err) < 0)
		return bf_err_set(err, BF_EDATA, "not a journal record");
	if (strcmp(kind, "start") == 0) {
		if (jstr(st, "mode", buf, sizeof(buf), err) < 0)
			return BF_EDATA;
		if (strcmp(buf, exec_mode_words[o->mode]) != 0)
			return bf_err_set(err, BF_EUSAGE, "written in mode "
			    "'%s'", buf);
		if (jstr(st, "symbol", buf, sizeof(buf), err) < 0)
			return BF_EDATA;
		if (strcmp(buf, o->symbol) != 0)
			return bf_err_set(err, BF_EUSAGE, "written for %s",
			    buf);
		if (jstr(st, "run_id", st->s.run_id, sizeof(st->s.run_id),
		    err) < 0)
			return BF_EDATA;
		if (o->run_id != NULL && strcmp(o->run_id, st->s.run_id) != 0)
			return bf_err_set(err, BF_EUSAGE, "written by run id "
			    "'%s', not '%s'", st->s.run_id, o->run_id);
		st->started = true;
		return 1;
	}
	if (!st->started)
		return bf_err_set(err, BF_EDATA, "no start record first");
	if (strcmp(kind, "intent") == 0) {
		struct intent *in;

		if (st->npend >= MAX_PENDING)
			return bf_err_set(err, BF_EDATA, "too many intents");
		in = &st->pend[st->npend];
		if (jstr(st, "client_order_id", in->coid, sizeof(in->coid),
		    err) < 0 || jstr(st, "side", in->side, sizeof(in->side),
		    err) < 0 || jstr(st, "qty", in->qty, sizeof(in->qty),
		    err) < 0 || jstr(st, "reason", in->reason,
		    sizeof(in->reason), err) < 0)
			return BF_EDATA;
		in->time = jint(st, "time", 0);
		st->npend++;
		return 1;
	}
	if (strcmp(kind, "order") == 0 || strcmp(kind, "resolved") == 0) {
		if (jstr(st, "client_order_id", buf, sizeof(buf), err) < 0)
			return BF_EDATA;
		pend_drop(st, buf);
		if (strcmp(kind, "order") == 0) {
			st->fig.orders++;
			st->fig.fills += jnum(st, "filled_qty") > 0;
			if (isfinite(jnum(st, "fee")))
				st->fig.fees += jnum(st, "fee");
		}
		return strcmp(kind, "resolved") == 0 ? 1 : 0;
	}
	if (strcmp(kind, "bar") == 0) {
		struct guard *g = &st->g;

		g->last_time = jint(st, "time", 0);
		g->have_last = true;
		g->day = jint(st, "day", INT64_MIN);
		g->day_equity = jnum(st, "day_equity");
		g->day_orders = (long)jint(st, "day_orders", 0);
		g->halt = (int)jint(st, "halt", 0);
		g->acted_target = jnum(st, "acted_target");
		g->acted = isfinite(g->acted_target);
		st->fig.rows++;
		return 1;
	}
	return bf_err_set(err, BF_EDATA, "unknown kind '%s'", kind);
}

/* Append ,"key":"text" to the batch. */
static void
jb_str(struct bf_buf *b, const char *key, const char *v)
{
	bf_buf_printf(b, ",\"%s\":\"%s\"", key, v);
}

/* Append ,"key":number-or-null to the batch. */
static void
jb_num(struct bf_buf *b, const char *key, double v)
{
	if (isfinite(v))
		bf_buf_printf(b, ",\"%s\":%.17g", key, v);
	else
		bf_buf_printf(b, ",\"%s\":null", key);
}

/* Write the batch in st->jb to the journal (if any) and reset it. */
static void
commit(struct stream *st)
{
	struct bf_err err = BF_ERR_INIT;

	if (st->o->journal != NULL && st->jb.len > 0 &&
	    bf_journal_append(&st->jn, st->jb.buf, st->jb.len, &err) < 0)
		bf_die_err(&err);
	bf_buf_reset(&st->jb);
}

/* Add an order line for 'od' to the batch, and write its event. */
static void
record_order(struct stream *st, const struct bf_ord *od, int64_t time,
    const char *reason)
{
	struct bf_err err = BF_ERR_INIT;
	double fee = order_fee(&st->s, od);

	bf_buf_printf(&st->jb, "{\"kind\":\"order\",\"time\":%lld",
	    (long long)time);
	jb_str(&st->jb, "client_order_id", od->client_order_id);
	bf_buf_printf(&st->jb, ",\"order_id\":%lld",
	    (long long)od->order_id);
	jb_str(&st->jb, "status", od->status);
	jb_str(&st->jb, "side", od->side);
	jb_str(&st->jb, "qty", od->orig_qty);
	jb_str(&st->jb, "avg_price", od->avg_price);
	jb_num(&st->jb, "filled_qty", strtod(od->executed_qty, NULL));
	jb_num(&st->jb, "fee", fee);
	jb_str(&st->jb, "reason", reason);
	bf_buf_adds(&st->jb, "}\n");
	st->fig.orders++;
	if (strtod(od->executed_qty, NULL) > 0)
		st->fig.fills++;
	if (isfinite(fee))
		st->fig.fees += fee;
	st->fig.last_event_ms = bf_time_now_ms();
	if (write_ord(st->w, od, time, fee, reason, &err) < 0)
		bf_die_err(&err);
}

/* Settle the intents left pending by an earlier process. */
static void
reconcile(struct stream *st)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord od;

	while (st->npend > 0) {
		struct intent in = st->pend[st->npend - 1];
		int r = bf_ord_query(&st->s.oc, in.coid, 0, &od, &err);

		if (r < 0)
			bf_die_err(&err);
		if (r == 0) {
			bf_warn("order %s: sent by an earlier run, found on "
			    "the exchange (%s)", in.coid, od.status);
			record_order(st, &od, in.time, in.reason);
		} else {
			bf_warn("order %s: sent by an earlier run, not on "
			    "the exchange: never placed", in.coid);
		}
		bf_buf_printf(&st->jb, "{\"kind\":\"resolved\","
		    "\"client_order_id\":\"%s\",\"found\":%s}\n", in.coid,
		    r == 0 ? "true" : "false");
		commit(st);
		st->npend--;
	}
}

/*
 * Place a MARKET order of 'qty' (exact text) on 'side', journaling the
 * intent first; its event goes into the batch.  A refusal becomes a
 * REJECTED event; a lost answer that cannot be settled stops the run
 * (the intent stays for the next start to settle).
 */
static void
place(struct stream *st, const char *coid, const char *side,
    const char *qty, bool reduce, int64_t time, const char *reason)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_ord_req rq;
	struct bf_ord od;
	long unknown = st->s.oc.unknown, resent = st->s.oc.resent;
	int r;

	if (st->o->journal != NULL) {
		struct bf_buf ib = BF_BUF_INIT;

		bf_buf_printf(&ib, "{\"kind\":\"intent\",\"time\":%lld",
		    (long long)time);
		jb_str(&ib, "client_order_id", coid);
		jb_str(&ib, "side", side);
		jb_str(&ib, "qty", qty);
		jb_str(&ib, "reason", reason);
		bf_buf_adds(&ib, "}\n");
		if (bf_journal_append(&st->jn, ib.buf, ib.len, &err) < 0)
			bf_die_err(&err);
		bf_buf_release(&ib);
	}
	rq.side = side;
	rq.type = "MARKET";
	rq.qty = qty;
	rq.price = NULL;
	rq.coid = coid;
	rq.reduce_only = reduce;
	r = bf_ord_place(&st->s.oc, &rq, &od, &err);
	if (st->s.oc.resent > resent)
		bf_warn("order %s: answer lost, not on the exchange: sent "
		    "again", coid);
	else if (st->s.oc.unknown > unknown)
		bf_warn("order %s: answer lost; %s", coid, r == 0 ?
		    "found by lookup" : "not settled");
	if (r == 0) {
		record_order(st, &od, time, reason);
		return;
	}
	st->fig.errors++;
	if (err.code == BF_EUPSTREAM) {
		/* A certain refusal: the intent is settled by the event. */
		bf_error("order %s: %s", coid, err.msg);
		bf_buf_printf(&st->jb, "{\"kind\":\"resolved\","
		    "\"client_order_id\":\"%s\",\"found\":false}\n", coid);
		if (write_refusal(st->w, st->o->symbol, coid, side, qty, time,
		    &err, &err) < 0)
			bf_die_err(&err);
		return;
	}
	bf_die_err(&err);
}

/* The bar line that ends a row's batch. */
static void
bar_line(struct stream *st, const struct bf_bar *b)
{
	struct guard *g = &st->g;

	bf_buf_printf(&st->jb, "{\"kind\":\"bar\",\"time\":%lld,\"day\":%lld",
	    (long long)b->time, (long long)g->day);
	jb_num(&st->jb, "target", b->target);
	jb_num(&st->jb, "acted_target", g->acted ? g->acted_target : NAN);
	jb_num(&st->jb, "day_equity", g->day_equity);
	bf_buf_printf(&st->jb, ",\"day_orders\":%ld,\"halt\":%d}\n",
	    g->day_orders, g->halt);
	g->last_time = b->time;
	g->have_last = true;
}

/* The UTC day of epoch ms 't'. */
static int64_t
utc_day(int64_t t)
{
	return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS);
}

/*
 * Act on one row: guards, sizing, the order.  Returns true when the
 * kill switch stopped the run.
 */
static bool
act(struct stream *st, const struct bf_bar *b, bool kill)
{
	struct opts *o = st->o;
	struct guard *g = &st->g;
	struct bf_err err = BF_ERR_INIT;
	struct bf_account a;
	struct bf_account_cfg ac = o->paper.sim.acct;
	struct bf_pos p;
	struct bf_ord od;
	char coid[BF_COID_MAX], qty[BF_DEC_MAX];
	double wallet, upnl, eq, tgt, dq;
	int64_t d = utc_day(b->time);
	int fl, r;

	if (bf_ord_account(&st->s.oc, &wallet, &upnl, &eq, &err) < 0 ||
	    bf_ord_position(&st->s.oc, &p, &err) < 0)
		bf_die_err(&err);
	if (!isfinite(st->start_equity))
		st->start_equity = eq;
	st->fig.equity = eq;
	st->fig.pnl = eq - st->start_equity;
	st->fig.position = p.amt_v;
	if (d != g->day) {
		g->day = d;
		g->day_equity = eq;
		g->day_orders = 0;
		g->halt &= ~BF_HALT_DAILY;
	}
	if (kill) {
		snprintf(coid, sizeof(coid), "bf%s-%lld-k", st->s.run_id,
		    (long long)b->time);
		r = flatten(&st->s, coid, &od, &err);
		if (r < 0)
			bf_die_err(&err);
		if (r > 0)
			record_order(st, &od, b->time, "kill_switch");
		st->fig.halted = true;
		return true;
	}
	if (o->paper.max_daily_loss > 0 && !(g->halt & BF_HALT_DAILY) &&
	    eq <= g->day_equity * (1 - o->paper.max_daily_loss)) {
		g->halt |= BF_HALT_DAILY;
		bf_warn("%lld: max daily loss %g reached (equity %.2f, day "
		    "start %.2f): flat until the next UTC day",
		    (long long)b->time, o->paper.max_daily_loss, eq,
		    g->day_equity);
	}
	st->fig.halted = g->halt != 0;
	if (g->halt & BF_HALT_DAILY) {
		if (p.amt_v != 0) {
			snprintf(coid, sizeof(coid), "bf%s-%lld-d",
			    st->s.run_id, (long long)b->time);
			r = flatten(&st->s, coid, &od, &err);
			if (r < 0)
				bf_die_err(&err);
			if (r > 0)
				record_order(st, &od, b->time,
				    "max_daily_loss");
		}
		g->acted = false;
		return false;
	}
	if (!isfinite(b->target))
		return false;
	if (o->paper.sim.rebalance == BF_SIM_ON_CHANGE && g->acted &&
	    b->target == g->acted_target)
		return false;
	if (o->paper.max_orders_day > 0 &&
	    g->day_orders >= o->paper.max_orders_day)
		return false;
	tgt = b->target;
	if (o->paper.max_notional > 0 && eq > 0 &&
	    fabs(tgt) * eq > o->paper.max_notional)
		tgt = copysign(o->paper.max_notional / eq, tgt);
	/* The account as the exchange has it, sized as bf-sim sizes. */
	ac.step = st->s.f.mkt_step_v;
	ac.tick = st->s.f.tick_v;
	ac.min_notional = st->s.f.min_notional;
	bf_account_init(&a, &ac, wallet);
	a.qty = p.amt_v;
	a.entry = p.entry_v;
	/* The row arrives at its close: the next open is the market now. */
	dq = bf_account_order_qty(&a, tgt, p.mark_v > 0 ? p.mark_v : b->close,
	    &fl);
	g->acted = true;
	g->acted_target = b->target;
	if (dq == 0 || bf_dec_format(fabs(dq), st->s.f.mkt_step, 0, qty,
	    sizeof(qty)) < 0 || strtod(qty, NULL) == 0)
		return false;
	snprintf(coid, sizeof(coid), "bf%s-%lld-0", st->s.run_id,
	    (long long)b->time);
	place(st, coid, dq > 0 ? "BUY" : "SELL", qty, p.amt_v != 0 &&
	    (dq > 0) != (p.amt_v > 0) && fabs(dq) <= fabs(p.amt_v), b->time,
	    "signal");
	g->day_orders++;
	return false;
}

/* Stream mode on the exchange; see exec.h. */
int
rest_stream(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	struct stream *st = bf_xcalloc(1, sizeof(*st));
	struct bf_reader *rd;
	struct bf_barin bi;
	struct bf_bar b;
	struct exec_metrics em;
	struct bf_pos p;
	long skipped = 0;
	int r, status = 0;
	bool stop = false;

	st->o = o;
	st->g.day = INT64_MIN;
	st->g.day_equity = NAN;
	st->start_equity = NAN;
	st->jn.fd = -1;
	bf_buf_init(&st->jb);
	if (o->paper.sim.order != BF_SIM_MARKET)
		bf_usage_error("--mode %s places MARKET orders only",
		    exec_mode_words[o->mode]);
	if (o->brackets != NULL)
		r = bf_brackets_load(&st->br, o->brackets, o->symbol, &err);
	else
		r = bf_brackets_builtin(&st->br, o->symbol, &err);
	if (r < 0)
		bf_die_err(&err);
	o->paper.sim.acct.brackets = &st->br;
	if (bf_account_cfg_check(&o->paper.sim.acct, &err) < 0)
		bf_die_err(&err);
	if (exec_killed(o))
		bf_die(BF_EXIT_FAIL, "kill switch '%s' present: not starting",
		    o->kill_file);
	if (o->journal != NULL) {
		bf_json_init(&st->js);
		r = bf_journal_open(&st->jn, o->journal, replay_line, st, &err);
		bf_json_release(&st->js);
		if (r < 0)
			bf_die_err(&err);
		if (st->jn.torn > 0)
			bf_warn("%s: cut off %lld bytes of an unfinished "
			    "write", o->journal, (long long)st->jn.torn);
	}
	if (!st->started) {
		if (o->run_id != NULL)
			snprintf(st->s.run_id, sizeof(st->s.run_id), "%s",
			    o->run_id);
		else
			exec_new_run_id(st->s.run_id, sizeof(st->s.run_id));
	}
	session_open(o, &st->s, true);
	if (bf_ord_set_leverage(&st->s.oc, (int)o->paper.sim.acct.leverage,
	    &err) < 0)
		bf_die_err(&err);
	if (o->journal != NULL && !st->started) {
		bf_buf_printf(&st->jb, "{\"kind\":\"start\",\"version\":1");
		jb_str(&st->jb, "mode", exec_mode_words[o->mode]);
		jb_str(&st->jb, "run_id", st->s.run_id);
		jb_str(&st->jb, "symbol", o->symbol);
		bf_buf_adds(&st->jb, "}\n");
		commit(st);
	}
	st->w = event_writer(o);
	reconcile(st);
	if (bf_ord_position(&st->s.oc, &p, &err) < 0)
		bf_die_err(&err);
	bf_info("%s %s: run %s, position %s, %ld rows done before",
	    exec_mode_words[o->mode], o->symbol, st->s.run_id, p.amt,
	    st->fig.rows);
	exec_metrics_start(&em, o);
	exec_metrics_update(&em, &st->fig);
	rd = bf_reader_new(0, "stdin", o->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r > 0 && bf_barin_init(&bi, rd, &err) < 0)
		bf_die_err(&err);
	while (!stop && r > 0 && (r = bf_reader_next(rd, &err)) > 0) {
		bool kill;

		if (bf_barin_read(&bi, rd, &b, &err) < 0)
			bf_die_err(&err);
		if (st->g.have_last && b.time <= st->g.last_time) {
			skipped++;
			continue;
		}
		kill = exec_killed(o);
		stop = act(st, &b, kill);
		bar_line(st, &b);
		commit(st);
		st->fig.rows++;
		exec_metrics_update(&em, &st->fig);
		if (stop) {
			bf_error("kill switch '%s': orders cancelled, position "
			    "closed, stopping", o->kill_file);
			status = BF_EXIT_FAIL;
		}
	}
	if (r < 0)
		bf_die_err(&err);
	if (skipped > 0)
		bf_info("skipped %ld rows already in the journal", skipped);
	bf_info("orders placed %ld, answers lost %ld (found %ld, sent again "
	    "%ld), duplicates adopted %ld, refused %ld", st->s.oc.placed,
	    st->s.oc.unknown, st->s.oc.reconciled, st->s.oc.resent,
	    st->s.oc.duplicates, st->s.oc.refused);
	if (bf_writer_close(st->w, &err) < 0)
		bf_die_err(&err);
	exec_metrics_stop(&em);
	bf_reader_free(rd);
	session_close(&st->s);
	bf_journal_close(&st->jn);
	bf_brackets_release(&st->br);
	bf_buf_release(&st->jb);
	free(st);
	return status;
}
