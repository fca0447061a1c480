/* SPDX-License-Identifier: MIT */
/*
 * orders.h - placing, finding and cancelling orders on the exchange
 * without ever making one twice (binance-usdm.md §7, §8, §8.10), and
 * the account queries bf-exec needs around them.
 *
 * Idempotent placement.  Every order carries a client order id the
 * caller chose (and journaled) before it is sent.  When the answer is
 * lost (a timeout, a reset, 5xx, 408, or the exchange's -1000, -1006,
 * -1007: http.h's unknown outcome), the order may or may not exist, so
 * it is never simply sent again: bf_ord_place asks for it by
 * origClientOrderId, up to 'query_tries' times 'query_delay_ms' apart
 * (an order can take a moment to become visible).  Found, it is adopted
 * as the answer; still absent (-2013) after every try, it provably did
 * not land and is sent again with the same id, at most 'resends' times.
 * A -4116 (the id is already used by an open order) is proof that an
 * earlier attempt landed: the order is looked up and adopted.  Cancels
 * are idempotent as they are: -2011 (not open) is answered with the
 * order's final state.
 *
 * Exact numbers.  Quantities and prices go out as decimal text with
 * exactly the places of the exchange's step or tick text, computed in
 * integers from that text (bf_dec_format), never printed from a double;
 * the answers' numbers are kept as the exact text received.
 *
 * Ownership: the client borrows its bf_http and symbol.
 */
#ifndef BF_ORDERS_H
#define BF_ORDERS_H

#include "compat.h"

#include "err.h"
#include "http.h"

#define BF_DEC_MAX 40		/* room for a decimal's text */

/* The symbol's trading filters, as text and as numbers. */
struct bf_filters {
	char tick[BF_DEC_MAX];		/* PRICE_FILTER tickSize */
	char step[BF_DEC_MAX];		/* LOT_SIZE stepSize */
	char mkt_step[BF_DEC_MAX];	/* MARKET_LOT_SIZE stepSize */
	double tick_v, step_v, mkt_step_v;
	double min_qty, mkt_min_qty, mkt_max_qty;
	double min_notional;		/* MIN_NOTIONAL notional */
};

/* An order as the exchange reports it; numbers are its exact text. */
struct bf_ord {
	int64_t order_id;
	int64_t update_time;
	char symbol[24];
	char client_order_id[40];
	char status[24];
	char side[8];
	char type[32];
	char orig_qty[BF_DEC_MAX];
	char price[BF_DEC_MAX];
	char executed_qty[BF_DEC_MAX];
	char avg_price[BF_DEC_MAX];
	char cum_quote[BF_DEC_MAX];
	bool reduce_only;
};

/* An order to place.  Strings are borrowed. */
struct bf_ord_req {
	const char *side;	/* BUY or SELL */
	const char *type;	/* MARKET or LIMIT */
	const char *qty;	/* exact text (bf_dec_format) */
	const char *price;	/* LIMIT only, exact text; else NULL */
	const char *coid;	/* client order id, 1-36 of [.A-Za-z0-9:/_-] */
	bool reduce_only;
};

/* The position of the client's symbol (one-way mode). */
struct bf_pos {
	char amt[BF_DEC_MAX];		/* positionAmt, signed */
	char entry[BF_DEC_MAX];
	char mark[BF_DEC_MAX];
	char upnl[BF_DEC_MAX];
	char liq[BF_DEC_MAX];
	char leverage[16];
	char margin_type[16];
	double amt_v, entry_v, mark_v;
};

struct bf_ordcli {
	struct bf_http *h;	/* borrowed */
	const char *symbol;	/* borrowed */
	int query_tries;	/* lookups after an unknown outcome (5) */
	long query_delay_ms;	/* before each lookup (1000) */
	int resends;		/* sends again after a proven absence (1) */
	/* Counters. */
	long placed;		/* orders the exchange accepted */
	long unknown;		/* placements whose answer was lost */
	long reconciled;	/* of those, found by lookup */
	long duplicates;	/* -4116 answers adopted */
	long resent;		/* sent again after a proven absence */
	long refused;		/* certain refusals */
};

/* A client for 'symbol' over 'h', with the default tries and delays. */
void bf_ordcli_init(struct bf_ordcli *c, struct bf_http *h,
    const char *symbol);

/*
 * 'v' as a multiple of the decimal 'step' (text, "0.001", "0.10", "5"),
 * rounded toward zero ('dir' 0), down (-1) or up (+1), written with the
 * step's places (trailing zeros of the step do not count) into 'out'.
 * A value within 1e-9 relative of a multiple is that multiple.  Returns
 * the length, or -1 for a bad step or a value out of range.
 */
int bf_dec_format(double v, const char *step, int dir, char *out,
    size_t cap);

/* The symbol's filters from GET /fapi/v1/exchangeInfo. */
int bf_ord_filters(struct bf_ordcli *c, struct bf_filters *f,
    struct bf_err *err);

/*
 * Measure the server clock's offset (GET /fapi/v1/time, half the round
 * trip) and set it on the bf_http, 250 ms behind for the exchange's
 * "not more than 1000 ms ahead" rule.  Returns 0 or a negative code.
 */
int bf_ord_sync_time(struct bf_ordcli *c, int64_t *offset,
    struct bf_err *err);

/* Place 'r' as described above; the exchange's answer in 'out'. */
int bf_ord_place(struct bf_ordcli *c, const struct bf_ord_req *r,
    struct bf_ord *out, struct bf_err *err);

/*
 * Look an order up by client order id ('coid' non-NULL) or order id.
 * Returns 0, 1 when the exchange does not know it (-2013), or a
 * negative code.
 */
int bf_ord_query(struct bf_ordcli *c, const char *coid, int64_t order_id,
    struct bf_ord *out, struct bf_err *err);

/* Cancel an order (idempotent, see above); its final state in 'out'. */
int bf_ord_cancel(struct bf_ordcli *c, const char *coid, int64_t order_id,
    struct bf_ord *out, struct bf_err *err);

/* Cancel every open order of the symbol. */
int bf_ord_cancel_all(struct bf_ordcli *c, struct bf_err *err);

/*
 * The open orders of the symbol: 'fn' is called with each.  Returns the
 * count or a negative code.
 */
int bf_ord_open_orders(struct bf_ordcli *c,
    int (*fn)(void *ctx, const struct bf_ord *o), void *ctx,
    struct bf_err *err);

/* The symbol's position (GET /fapi/v2/positionRisk). */
int bf_ord_position(struct bf_ordcli *c, struct bf_pos *p,
    struct bf_err *err);

/* Wallet balance, unrealized PnL and margin balance (GET /fapi/v2/account). */
int bf_ord_account(struct bf_ordcli *c, double *wallet, double *upnl,
    double *equity, struct bf_err *err);

/* Set the symbol's leverage (POST /fapi/v1/leverage). */
int bf_ord_set_leverage(struct bf_ordcli *c, int leverage,
    struct bf_err *err);

/* The commission paid on an order's fills (GET /fapi/v1/userTrades). */
int bf_ord_fee(struct bf_ordcli *c, int64_t order_id, double *fee,
    struct bf_err *err);

/* Parse an order object 'obj' of 'js'. */
int bf_ord_parse(const struct bf_json *js, size_t obj, struct bf_ord *o,
    struct bf_err *err);

/* True when the order's status is final (FILLED, CANCELED, ...). */
bool bf_ord_final(const struct bf_ord *o);

#endif /* BF_ORDERS_H */
