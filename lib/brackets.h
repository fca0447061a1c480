/* SPDX-License-Identifier: MIT */
/*
 * brackets.h - Binance USD-M leverage brackets (binance-usdm.md §11.4).
 *
 * A symbol's brackets split position notional (|qty| x mark price, USDT)
 * into tiers.  Each tier has a maximum leverage ("initialLeverage"), a
 * maintenance margin rate (MMR) and a maintenance amount ("cum"):
 *
 *	maintenance margin  MM = notional x MMR - cum
 *	max leverage             = the tier's initial leverage
 *	initial margin           = notional / leverage
 *
 * cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1}) makes MM continuous
 * across tier boundaries, so where exactly a boundary notional belongs
 * does not change MM.  Lookups follow Binance's tables: tier n covers
 * floor_n <= notional < cap_n for the maintenance rate (the rule
 * freqtrade and ccxt apply), while a position of exactly cap_n may still
 * use tier n's leverage (the UI's "maximum position at 125x: 50,000").
 * A notional beyond the last cap uses the last tier.
 *
 * The data come from a CSV file (config/brackets-SYMBOL.csv; bf-risk(1),
 * FILES), one row per tier, columns found by name:
 *
 *	symbol            the contract (optional when the file has one symbol)
 *	bracket           tier number 1..n (optional; rows sorted by floor)
 *	notional_floor    USDT (alias notionalFloor)
 *	notional_cap      USDT (alias notionalCap)
 *	initial_leverage  maximum leverage of the tier (alias initialLeverage)
 *	maint_margin_ratio  MMR as a fraction, 0.004 = 0.4 % (maintMarginRatio)
 *	cum               maintenance amount, USDT
 *	as_of             date of the snapshot (optional, alias time; kept as
 *	                  text and reported, never interpreted)
 *
 * The camelCase aliases are the names GET /fapi/v1/leverageBracket uses,
 * so a flattened dump of it (bf-fetch brackets) can replace the shipped
 * file as it is.  The loader also takes that endpoint's JSON response
 * itself, saved to a file: an array of {"symbol", "brackets": [{"bracket",
 * "initialLeverage", "notionalCap", "notionalFloor", "maintMarginRatio",
 * "cum"}]} (or one such object), numbers or numeric strings.  The loader checks that tiers are contiguous (each
 * floor equals the previous cap), that MMR rises and leverage falls, and
 * that each cum agrees with the recurrence above within 1 USDT.
 *
 * Ownership: a struct bf_brackets owns its tier array; lookups return
 * pointers into it, valid until bf_brackets_release.  No function here
 * allocates after loading, so lookups are cheap enough to run per bar.
 */
#ifndef BF_BRACKETS_H
#define BF_BRACKETS_H

#include "compat.h"
#include "err.h"

/* One tier of a bracket table. */
struct bf_bracket {
	int id;		/* tier number, 1 for the lowest */
	double floor;	/* notional floor, USDT (inclusive) */
	double cap;	/* notional cap, USDT */
	double max_lev;	/* maximum (initial) leverage */
	double mmr;	/* maintenance margin rate, fraction */
	double cum;	/* maintenance amount, USDT */
};

/* A symbol's tiers, sorted by floor. */
struct bf_brackets {
	char symbol[32];	/* "" when the file names none */
	char as_of[32];		/* the snapshot's date text, "" if none */
	size_t n;		/* number of tiers, >= 1 once loaded */
	struct bf_bracket *b;	/* owned; n tiers */
};

#define BF_BRACKETS_INIT { { 0 }, { 0 }, 0, NULL }

/*
 * Load the tiers of 'symbol' from the CSV (or NDJSON) file at 'path'
 * into 'bs' (released first).  'symbol' may be NULL when the file holds
 * a single symbol or has no symbol column.  Returns 0, or BF_EUSAGE when
 * the file cannot be read, BF_EDATA for bad contents ("PATH:LINE: ..."),
 * with 'err' filled; 'bs' is then empty.
 */
int bf_brackets_load(struct bf_brackets *bs, const char *path,
    const char *symbol, struct bf_err *err);

/*
 * Set 'bs' to the 'n' tiers 'b' (copied), checked as bf_brackets_load
 * checks a file.  Returns 0 or BF_EDATA with 'err' filled.
 */
int bf_brackets_set(struct bf_brackets *bs, const struct bf_bracket *b,
    size_t n, struct bf_err *err);

/*
 * Set 'bs' to a single tier covering every notional with maintenance
 * rate 'mmr', maintenance amount 'cum' and maximum leverage 'max_lev'
 * (the --mmr/--maint-amount override of bf-risk calc).  Returns 0, or
 * BF_EUSAGE when mmr is not in [0, 1), cum < 0 or max_lev < 1.
 */
int bf_brackets_fixed(struct bf_brackets *bs, double mmr, double cum,
    double max_lev, struct bf_err *err);

/*
 * The built-in copy of config/brackets-SYMBOL.csv for "BTCUSDT" and
 * "ETHUSDT" (so the tools work without an installed config directory;
 * a unit test keeps the two equal).
 * Returns 0, or BF_EUSAGE for another symbol.
 */
int bf_brackets_builtin(struct bf_brackets *bs, const char *symbol,
    struct bf_err *err);

/* Free the tiers and leave 'bs' empty (reusable). */
void bf_brackets_release(struct bf_brackets *bs);

/*
 * The tier whose maintenance rate applies to 'notional' (>= 0): the last
 * tier with floor <= notional, so floor_n <= notional < cap_n, and the
 * last tier beyond the last cap.  'bs' must hold at least one tier.
 */
const struct bf_bracket *bf_brackets_find(const struct bf_brackets *bs,
    double notional);

/* Maintenance margin of a position of 'notional': notional x MMR - cum. */
double bf_brackets_mm(const struct bf_brackets *bs, double notional);

/*
 * The maximum leverage allowed for a position of 'notional': the first
 * tier whose cap is >= notional (its own cap included).  Beyond the last
 * cap no leverage is allowed: returns 0.
 */
double bf_brackets_max_leverage(const struct bf_brackets *bs,
    double notional);

/*
 * The largest notional that leverage 'lev' allows: the cap of the last
 * tier whose maximum leverage is >= lev, or 0 when lev exceeds every
 * tier's maximum.
 */
double bf_brackets_max_notional(const struct bf_brackets *bs, double lev);

#endif /* BF_BRACKETS_H */
