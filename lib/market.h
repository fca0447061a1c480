/* SPDX-License-Identifier: MIT */
/*
 * market.h - the exchange's market-data endpoints as record streams:
 * what each series' rows are (bf(7) schemas), how its JSON answer maps
 * onto them, and how a time range is paged (binance-usdm.md §6).
 *
 * Paged series and their rules:
 *
 *   klines, mark, index, premium   GET /fapi/v1/{klines,markPriceKlines,
 *	indexPriceKlines,premiumIndexKlines}, 1500 a page (fewer when the
 *	rest of the range holds fewer candles: the weight grows with the
 *	page size asked for, not with the rows returned).  startTime and
 *	endTime select by open time, both inclusive; the next page starts
 *	at the last open time + 1.  The still-open candle (close time at or
 *	after 'now') ends the range unless include_open.  A jump between
 *	two open times larger than one interval is a gap (the exchange has
 *	no candles there): reported through the gap callback, never filled.
 *   funding   GET /fapi/v1/fundingRate, 1000 a page, by fundingTime
 *	(inclusive), the next page from the last time + 1.
 *   oi        GET /futures/data/openInterestHist, 500 a page: windows of
 *	500 periods, so a page can never hold more than the limit whichever
 *	end of the window the exchange favours.
 *   aggtrades GET /fapi/v1/aggTrades, 1000 a page: one-hour windows
 *	(the exchange's maximum span) until the first trade is found, then
 *	by fromId = last id + 1 until a trade after 'end' or an empty page.
 *
 * A page shorter than asked for does not end a range (a server may page
 * smaller than asked); an empty page, a row at or past the end, or (for
 * klines) the open candle does.
 *
 * Every paged series drops rows outside [start, end] and rows whose key
 * (open time, funding time, time, aggregate id) is not above the last
 * one emitted, so overlapping pages, retried pages and replayed answers
 * never produce a duplicate, and rows come out in ascending key order.
 *
 * The pager is a pure state machine (bf_pager_query builds a request,
 * bf_pager_feed consumes its answer), so the unit tests drive it with
 * canned JSON; bf_mkt_fetch runs it against a bf_http.
 *
 * Values pass through as the exact text received.  Fields handed to the
 * emit callback point into the parsed answer and are valid during the
 * call only.
 */
#ifndef BF_MARKET_H
#define BF_MARKET_H

#include "compat.h"
#include "bftime.h"
#include "err.h"
#include "http.h"
#include "json.h"
#include "rec.h"
#include "util.h"

/* How a series is paged. */
enum {
	BF_MKT_KLINES = 1,
	BF_MKT_FUNDING,
	BF_MKT_OI,
	BF_MKT_AGGTRADES
};

struct bf_mkt_series {
	const char *name;	/* "klines", "mark", "funding", ... */
	const char *path;	/* the REST endpoint */
	const char *sym_param;	/* "symbol", or "pair" for index klines */
	int kind;		/* BF_MKT_* */
	int limit;		/* the endpoint's maximum page size */
	const char *const *cols; /* output columns */
	size_t ncols;
};

/* Record schemas of the one-shot endpoints. */
struct bf_mkt_schema {
	const char *const *cols;
	size_t ncols;
};

extern const struct bf_mkt_schema bf_mkt_kline_schema;
extern const struct bf_mkt_schema bf_mkt_funding_schema;
extern const struct bf_mkt_schema bf_mkt_oi_schema;
extern const struct bf_mkt_schema bf_mkt_premium_schema;
extern const struct bf_mkt_schema bf_mkt_depth_schema;
extern const struct bf_mkt_schema bf_mkt_trade_schema;
extern const struct bf_mkt_schema bf_mkt_aggtrade_schema;
extern const struct bf_mkt_schema bf_mkt_info_schema;
extern const struct bf_mkt_schema bf_mkt_bracket_schema;
extern const struct bf_mkt_schema bf_mkt_book_schema;

/*
 * The series named 'name': klines, mark, index, premium (kline variants),
 * funding, oi, aggtrades.  NULL if unknown.
 */
const struct bf_mkt_series *bf_mkt_series_find(const char *name);

/* The request weight of a klines request of 'limit' rows. */
int bf_mkt_kline_weight(int limit);

/* The request weight of a depth snapshot of 'limit' levels. */
int bf_mkt_depth_weight(int limit);

/*
 * Called with each row: 'n' fields in the series' column order, and the
 * row's key.  Returns 0, or a negative code (with 'err') to stop.
 */
typedef int (*bf_mkt_emit_fn)(void *ctx, const struct bf_field *f, size_t n,
    int64_t key, struct bf_err *err);

/* Called for each gap: first and last missing open time, and the count. */
typedef void (*bf_mkt_gap_fn)(void *ctx, int64_t first, int64_t last,
    int64_t bars);

struct bf_pager {
	const struct bf_mkt_series *s;
	char symbol[64];
	struct bf_interval iv;	/* klines interval, oi period */
	int64_t start, end;	/* the range, inclusive */
	int64_t now;		/* candles closing at or after it are open */
	bool include_open;
	int limit;		/* largest page size to ask for */
	int page;		/* page size of the current request */
	int64_t cursor;		/* the next page's start time */
	int64_t win_end;	/* the current page's end time */
	int64_t last_key;	/* the last key emitted, INT64_MIN if none */
	bool have_id;		/* aggtrades: paging by id now */
	bool done;
	long rows;		/* rows emitted */
	long pages;		/* answers fed */
	long gaps;		/* gaps reported */
	bf_mkt_emit_fn emit;
	bf_mkt_gap_fn gap;	/* may be NULL */
	void *ctx;
};

/*
 * Set up 'p' for series 's', 'symbol' (copied), interval or period 'iv'
 * (NULL for funding and aggtrades), the range [start, end] and 'now'.
 * The caller then sets emit, gap, ctx and include_open.
 */
void bf_pager_init(struct bf_pager *p, const struct bf_mkt_series *s,
    const char *symbol, const struct bf_interval *iv, int64_t start,
    int64_t end, int64_t now);

/* The weight of the pager's requests. */
int bf_pager_weight(const struct bf_pager *p);

/*
 * Build the query of the next request into 'q' (reset first).  Returns 1
 * when a request is due, 0 when the range is complete.
 */
int bf_pager_query(struct bf_pager *p, struct bf_buf *q);

/*
 * Consume the answer 'js' to the last query: emit its new rows, report
 * gaps, advance.  Returns 0, the emit callback's error, or BF_EFAIL when
 * the answer is not what the endpoint returns (with 'err').
 */
int bf_pager_feed(struct bf_pager *p, const struct bf_json *js,
    struct bf_err *err);

/*
 * Offer one row from another source (the bulk archive): 'f' holds the
 * series' columns, 'key' its key and 't' its time.  It is emitted when
 * it is new and in range, exactly as a row of a REST answer would be;
 * the next REST page then starts after it.  Returns 0 or the emit
 * callback's error.
 */
int bf_pager_offer(struct bf_pager *p, const struct bf_field *f, int64_t key,
    int64_t t, struct bf_err *err);

/* Run 'p' to the end against 'h'.  Returns 0 or a negative code. */
int bf_mkt_fetch(struct bf_http *h, struct bf_pager *p, struct bf_err *err);

/*
 * One-shot answers to rows (schemas above).  Each returns the number of
 * rows emitted, or a negative code.
 *   premium: GET /fapi/v1/premiumIndex?symbol= (object or array)
 *   oi_now:  GET /fapi/v1/openInterest?symbol=
 *   depth:   GET /fapi/v1/depth (bids then asks, level 1 = best)
 *   trades:  GET /fapi/v1/trades
 *   info:    GET /fapi/v1/exchangeInfo, the entry of 'symbol' (BF_EUPSTREAM
 *            "Invalid symbol (-1121)" when it is not listed)
 *   brackets: GET /fapi/v1/leverageBracket (object or array)
 */
int bf_mkt_premium(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err);
int bf_mkt_oi_now(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err);
int bf_mkt_depth(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err);
int bf_mkt_trades(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err);
int bf_mkt_info(const struct bf_json *js, const char *symbol,
    bf_mkt_emit_fn emit, void *ctx, struct bf_err *err);
int bf_mkt_brackets(const struct bf_json *js, bf_mkt_emit_fn emit, void *ctx,
    struct bf_err *err);

/* WebSocket market streams (binance-usdm.md §9.2). */
enum {
	BF_MKT_WS_KLINE = 1,	/* <symbol>@kline_<interval>: kline schema */
	BF_MKT_WS_MARK,		/* <symbol>@markPrice@1s: premium schema */
	BF_MKT_WS_AGGTRADE,	/* <symbol>@aggTrade: agg trade schema */
	BF_MKT_WS_BOOK,		/* <symbol>@bookTicker: book schema */
	BF_MKT_WS_DEPTH		/* <symbol>@depth<N>: depth schema */
};

/*
 * Turn one stream event 'js' of stream kind 'kind' into rows.  Kline
 * events that are not final (x false) are skipped unless 'include_open'.
 * A raw event or a combined-stream wrapper {"stream":..,"data":..} is
 * accepted.  '*key' is set to the event's key (open time, aggregate id,
 * update id or event time) when a row is emitted; rows whose key is not
 * above '*last' are dropped (after a reconnect), except for open kline
 * updates.  Returns the number of events emitted (0 or 1), or a negative
 * code.
 */
int bf_mkt_ws_event(int kind, const struct bf_json *js, bool include_open,
    int64_t *last, bf_mkt_emit_fn emit, void *ctx, struct bf_err *err);

#endif /* BF_MARKET_H */
