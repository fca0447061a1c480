/* SPDX-License-Identifier: MIT */
/*
 * bf-risk - targets from signals, by the exchange's own margin rules.
 *
 *   bf-risk [options] < signals > targets      the filter
 *   bf-risk calc --side S --entry P --qty Q [options]   one record
 *
 * The filter reads a signal form per row (signal, p_up/p_down, or
 * mu_H/sigma_H), sizes a signed exposure, works out the position's
 * liquidation price, liquidation probability, funding and loss to stop
 * (lib/risk, lib/liq, lib/brackets), validates it and appends the target
 * columns.  calc answers the same questions for one position given on
 * the command line.  The per-row rules live in lib/target.c; this file
 * is options, configuration and the read loop.
 *
 * Option values are resolved once: flag, else [risk] in the configuration
 * (or BF_RISK_<KEY>), else the default in the table below, which
 * config/bf.conf documents.
 */
#include "bf.h"

#include <math.h>

#include "brackets.h"
#include "liq.h"
#include "risk.h"
#include "target.h"

static const char usage_text[] =
    "usage: bf-risk [--sizing kelly|fixed|vol|risk|leverage] [options] < signals > targets\n"
    "       bf-risk calc --side long|short --entry P (--qty Q | --notional N)\n"
    "                    [--leverage L] [--margin isolated|cross] [options]\n"
    "\n"
    "Sizing and signals (filter):\n"
    "      --sizing RULE          kelly, fixed, vol, risk or leverage (fixed)\n"
    "      --form FORM            auto, signal, prob or mu (auto)\n"
    "      --horizon H            use mu_H and sigma_H (first mu_* column)\n"
    "      --size X               exposure per unit signal: fixed, leverage (1)\n"
    "      --kelly-fraction F     fraction of full Kelly (0.5)\n"
    "      --cap X                largest |target| (3; 0: none)\n"
    "      --target-vol V         vol sizing: annualized target vol (0.5)\n"
    "      --risk-pct R           risk sizing: % of equity lost at the stop (1)\n"
    "      --lev-damp D           leverage sizing: size x L^(1-D) (0.5)\n"
    "      --on-reject WHAT       keep (the previous target) or flat (keep)\n"
    "      --price-col NAME       price column (close)\n"
    "      --atr-col NAME         ATR column for --stop-atr/--tp-atr (atr_14)\n"
    "      --vol-col NAME         volatility column (mu form: sigma_H)\n"
    "      --vol-horizon DUR      horizon of the volatility column (its _H suffix)\n"
    "Position and account:\n"
    "      --margin MODE          cross or isolated (cross)\n"
    "      --leverage L           leverage setting (filter: 0 = just enough)\n"
    "      --equity E             account equity, USDT (10000; calc: the wallet)\n"
    "      --symbol S             contract, for its brackets (BTCUSDT)\n"
    "      --brackets FILE        leverage brackets CSV (built-in BTCUSDT, ETHUSDT)\n"
    "      --stop-pct P           stop P % from the price\n"
    "      --stop-atr K           stop K ATRs from the price\n"
    "      --tp-pct P             take-profit P % from the price\n"
    "      --tp-atr K             take-profit K ATRs from the price\n"
    "      --liq-horizon DUR      horizon of liq_prob (1d)\n"
    "      --funding-rate R       funding rate per interval when no column (0.0001)\n"
    "      --funding-interval DUR funding interval (8h)\n"
    "Limits (0: off):\n"
    "      --min-notional N       smallest notional, USDT (100)\n"
    "      --max-notional N       largest notional, USDT (0)\n"
    "      --liq-floor-pct P      liquidation at least P % away (0)\n"
    "      --liq-floor-atr K      liquidation at least K ATRs away (0)\n"
    "      --max-loss-pct P       loss to stop at most P % of equity (0)\n"
    "calc only:\n"
    "      --side SIDE            long or short\n"
    "      --entry P              entry price\n"
    "      --qty Q                position size, base units\n"
    "      --notional N           position size, USDT at entry (instead of --qty)\n"
    "      --mark P               mark price now (the entry)\n"
    "      --wallet W             wallet balance: isolated margin or cross wallet\n"
    "      --mmr RATE             maintenance margin rate (the bracket's)\n"
    "      --maint-amount A       maintenance amount (the bracket's; 0 with --mmr)\n"
    "      --other-mm A           cross: other positions' maintenance margin (0)\n"
    "      --other-upnl A         cross: other positions' unrealized PnL (0)\n"
    "      --stop P               stop price\n"
    "      --take-profit P        take-profit price\n"
    "      --atr A                ATR, price units\n"
    "      --vol S                sd of log returns over --vol-horizon (1d)\n"
    "      --funding FILE         funding records: realized funding of the position\n"
    "      --hedge-qty Q          hedge mode, cross: size of the opposite leg\n"
    "      --hedge-entry P        its entry price\n"
    "Common:\n" BF_COMMON_HELP;

/* Options that have a [risk] key: index into 'keys'. */
enum {
	K_SIZING, K_FORM, K_HORIZON, K_SIZE, K_KELLY_FRACTION, K_CAP,
	K_TARGET_VOL, K_RISK_PCT, K_LEV_DAMP, K_ON_REJECT, K_PRICE_COL,
	K_ATR_COL, K_VOL_COL, K_VOL_HORIZON, K_MARGIN, K_LEVERAGE, K_EQUITY,
	K_SYMBOL, K_BRACKETS, K_STOP_PCT, K_STOP_ATR, K_TP_PCT, K_TP_ATR,
	K_LIQ_HORIZON, K_FUNDING_RATE, K_FUNDING_INTERVAL, K_MIN_NOTIONAL,
	K_MAX_NOTIONAL, K_LIQ_FLOOR_PCT, K_LIQ_FLOOR_ATR, K_MAX_LOSS_PCT,
	/* calc only, no configuration key */
	K_SIDE, K_ENTRY, K_QTY, K_NOTIONAL, K_MARK, K_WALLET, K_MMR,
	K_MAINT_AMOUNT, K_OTHER_MM, K_OTHER_UPNL, K_STOP, K_TAKE_PROFIT,
	K_ATR, K_VOL, K_FUNDING, K_HEDGE_QTY, K_HEDGE_ENTRY,
	NKEYS
};

/* The first key that is a calc-only flag. */
#define K_CALC_FIRST K_SIDE

struct key {
	const char *name;	/* [risk] key; the flag is it with '-' for '_' */
	const char *def;	/* default text, NULL: unset */
	bool filter;		/* used by the filter */
	bool calc;		/* used by calc */
};

static const struct key keys[NKEYS] = {
	[K_SIZING] = { "sizing", "fixed", true, false },
	[K_FORM] = { "form", "auto", true, false },
	[K_HORIZON] = { "horizon", NULL, true, false },
	[K_SIZE] = { "size", "1", true, false },
	[K_KELLY_FRACTION] = { "kelly_fraction", "0.5", true, false },
	[K_CAP] = { "cap", "3", true, false },
	[K_TARGET_VOL] = { "target_vol", "0.5", true, false },
	[K_RISK_PCT] = { "risk_pct", "1", true, false },
	[K_LEV_DAMP] = { "lev_damp", "0.5", true, false },
	[K_ON_REJECT] = { "on_reject", "keep", true, false },
	[K_PRICE_COL] = { "price_col", "close", true, false },
	[K_ATR_COL] = { "atr_col", "atr_14", true, false },
	[K_VOL_COL] = { "vol_col", NULL, true, false },
	[K_VOL_HORIZON] = { "vol_horizon", NULL, true, true },
	[K_MARGIN] = { "margin", "cross", true, true },
	[K_LEVERAGE] = { "leverage", NULL, true, true },
	[K_EQUITY] = { "equity", NULL, true, true },
	[K_SYMBOL] = { "symbol", "BTCUSDT", true, true },
	[K_BRACKETS] = { "brackets", NULL, true, true },
	[K_STOP_PCT] = { "stop_pct", NULL, true, false },
	[K_STOP_ATR] = { "stop_atr", NULL, true, false },
	[K_TP_PCT] = { "tp_pct", NULL, true, false },
	[K_TP_ATR] = { "tp_atr", NULL, true, false },
	[K_LIQ_HORIZON] = { "liq_horizon", "1d", true, true },
	[K_FUNDING_RATE] = { "funding_rate", "0.0001", true, true },
	[K_FUNDING_INTERVAL] = { "funding_interval", "8h", true, true },
	[K_MIN_NOTIONAL] = { "min_notional", "100", true, true },
	[K_MAX_NOTIONAL] = { "max_notional", "0", true, true },
	[K_LIQ_FLOOR_PCT] = { "liq_floor_pct", "0", true, true },
	[K_LIQ_FLOOR_ATR] = { "liq_floor_atr", "0", true, true },
	[K_MAX_LOSS_PCT] = { "max_loss_pct", "0", true, true },
	[K_SIDE] = { "side", NULL, false, true },
	[K_ENTRY] = { "entry", NULL, false, true },
	[K_QTY] = { "qty", NULL, false, true },
	[K_NOTIONAL] = { "notional", NULL, false, true },
	[K_MARK] = { "mark", NULL, false, true },
	[K_WALLET] = { "wallet", NULL, false, true },
	[K_MMR] = { "mmr", NULL, false, true },
	[K_MAINT_AMOUNT] = { "maint_amount", NULL, false, true },
	[K_OTHER_MM] = { "other_mm", "0", false, true },
	[K_OTHER_UPNL] = { "other_upnl", "0", false, true },
	[K_STOP] = { "stop", NULL, false, true },
	[K_TAKE_PROFIT] = { "take_profit", NULL, false, true },
	[K_ATR] = { "atr", NULL, false, true },
	[K_VOL] = { "vol", NULL, false, true },
	[K_FUNDING] = { "funding", NULL, false, true },
	[K_HEDGE_QTY] = { "hedge_qty", NULL, false, true },
	[K_HEDGE_ENTRY] = { "hedge_entry", NULL, false, true },
};

#define OPT(k) (BF_OPT_TOOL + (k))

static const struct option longopts[] = {
	{ "atr", required_argument, NULL, OPT(K_ATR) },
	{ "atr-col", required_argument, NULL, OPT(K_ATR_COL) },
	{ "brackets", required_argument, NULL, OPT(K_BRACKETS) },
	{ "cap", required_argument, NULL, OPT(K_CAP) },
	{ "entry", required_argument, NULL, OPT(K_ENTRY) },
	{ "equity", required_argument, NULL, OPT(K_EQUITY) },
	{ "form", required_argument, NULL, OPT(K_FORM) },
	{ "funding", required_argument, NULL, OPT(K_FUNDING) },
	{ "funding-interval", required_argument, NULL, OPT(K_FUNDING_INTERVAL) },
	{ "funding-rate", required_argument, NULL, OPT(K_FUNDING_RATE) },
	{ "hedge-entry", required_argument, NULL, OPT(K_HEDGE_ENTRY) },
	{ "hedge-qty", required_argument, NULL, OPT(K_HEDGE_QTY) },
	{ "horizon", required_argument, NULL, OPT(K_HORIZON) },
	{ "kelly-fraction", required_argument, NULL, OPT(K_KELLY_FRACTION) },
	{ "lev-damp", required_argument, NULL, OPT(K_LEV_DAMP) },
	{ "leverage", required_argument, NULL, OPT(K_LEVERAGE) },
	{ "liq-floor-atr", required_argument, NULL, OPT(K_LIQ_FLOOR_ATR) },
	{ "liq-floor-pct", required_argument, NULL, OPT(K_LIQ_FLOOR_PCT) },
	{ "liq-horizon", required_argument, NULL, OPT(K_LIQ_HORIZON) },
	{ "maint-amount", required_argument, NULL, OPT(K_MAINT_AMOUNT) },
	{ "margin", required_argument, NULL, OPT(K_MARGIN) },
	{ "mark", required_argument, NULL, OPT(K_MARK) },
	{ "max-loss-pct", required_argument, NULL, OPT(K_MAX_LOSS_PCT) },
	{ "max-notional", required_argument, NULL, OPT(K_MAX_NOTIONAL) },
	{ "min-notional", required_argument, NULL, OPT(K_MIN_NOTIONAL) },
	{ "mmr", required_argument, NULL, OPT(K_MMR) },
	{ "notional", required_argument, NULL, OPT(K_NOTIONAL) },
	{ "on-reject", required_argument, NULL, OPT(K_ON_REJECT) },
	{ "other-mm", required_argument, NULL, OPT(K_OTHER_MM) },
	{ "other-upnl", required_argument, NULL, OPT(K_OTHER_UPNL) },
	{ "price-col", required_argument, NULL, OPT(K_PRICE_COL) },
	{ "qty", required_argument, NULL, OPT(K_QTY) },
	{ "risk-pct", required_argument, NULL, OPT(K_RISK_PCT) },
	{ "side", required_argument, NULL, OPT(K_SIDE) },
	{ "size", required_argument, NULL, OPT(K_SIZE) },
	{ "sizing", required_argument, NULL, OPT(K_SIZING) },
	{ "stop", required_argument, NULL, OPT(K_STOP) },
	{ "stop-atr", required_argument, NULL, OPT(K_STOP_ATR) },
	{ "stop-pct", required_argument, NULL, OPT(K_STOP_PCT) },
	{ "symbol", required_argument, NULL, OPT(K_SYMBOL) },
	{ "take-profit", required_argument, NULL, OPT(K_TAKE_PROFIT) },
	{ "target-vol", required_argument, NULL, OPT(K_TARGET_VOL) },
	{ "tp-atr", required_argument, NULL, OPT(K_TP_ATR) },
	{ "tp-pct", required_argument, NULL, OPT(K_TP_PCT) },
	{ "vol", required_argument, NULL, OPT(K_VOL) },
	{ "vol-col", required_argument, NULL, OPT(K_VOL_COL) },
	{ "vol-horizon", required_argument, NULL, OPT(K_VOL_HORIZON) },
	{ "wallet", required_argument, NULL, OPT(K_WALLET) },
	BF_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

/* The options after parsing: the text of each key, and where it came from. */
struct opts {
	struct bf_common common;
	bool calc;			/* the calc subcommand */
	const char *flag[NKEYS];	/* from the command line, or NULL */
	const char *val[NKEYS];		/* resolved text, or NULL */
	struct bf_cfg *cfg;		/* owned */
};

/* The flag spelling of key 'k' ("kelly-fraction"), in a static buffer. */
static const char *
flagname(int k)
{
	static char buf[32];
	size_t i;

	for (i = 0; keys[k].name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = keys[k].name[i] == '_' ? '-' : keys[k].name[i];
	buf[i] = '\0';
	return buf;
}

/* Exit 2 naming key 'k' and where its bad value came from. */
static _Noreturn void
bad_value(const struct opts *o, int k, const char *why)
{
	if (o->flag[k] != NULL)
		bf_usage_error("--%s '%s': %s", flagname(k), o->val[k], why);
	bf_die(BF_EXIT_USAGE, "config: [risk] %s '%s': %s", keys[k].name,
	    o->val[k], why);
}

/* Key 'k' as a number in [lo, hi]; 'def' when unset. */
static double
num(const struct opts *o, int k, double lo, double hi, double def)
{
	double v;
	char why[96];

	if (o->val[k] == NULL)
		return def;
	if (bf_parse_double(o->val[k], &v) < 0 || v < lo || v > hi) {
		snprintf(why, sizeof(why), "must be a number in [%g, %g]", lo,
		    hi);
		bad_value(o, k, why);
	}
	return v;
}

/* Key 'k' as a positive number; 'def' when unset. */
static double
posnum(const struct opts *o, int k, double def)
{
	double v;

	if (o->val[k] == NULL)
		return def;
	if (bf_parse_double(o->val[k], &v) < 0 || !(v > 0))
		bad_value(o, k, "must be a positive number");
	return v;
}

/* Key 'k' as a duration in hours; 'def' when unset. */
static double
hours(const struct opts *o, int k, double def)
{
	int64_t ms;

	if (o->val[k] == NULL)
		return def;
	if (bf_duration_parse(o->val[k], &ms) < 0 || ms <= 0)
		bad_value(o, k, "must be a duration such as 8h, 1d, 30m");
	return (double)ms / 3600000.0;
}

/* Key 'k' as one of the NULL-terminated 'words'; returns its index. */
static int
word(const struct opts *o, int k, const char *const *words)
{
	char why[128];
	size_t len = 0;

	for (int i = 0; words[i]; i++)
		if (strcmp(o->val[k], words[i]) == 0)
			return i;
	len += (size_t)snprintf(why, sizeof(why), "must be");
	for (int i = 0; words[i] && len < sizeof(why); i++)
		len += (size_t)snprintf(why + len, sizeof(why) - len, "%s%s",
		    i ? (words[i + 1] ? ", " : " or ") : " ", words[i]);
	bad_value(o, k, why);
}

/*
 * Load the brackets: --brackets FILE (or [risk] brackets) for --symbol,
 * else the built-in table of the symbol.  Exits 2 or 3 on failure.
 */
static void
load_brackets(const struct opts *o, struct bf_brackets *bs, bool need)
{
	struct bf_err err = BF_ERR_INIT;
	const char *sym = o->val[K_SYMBOL];
	int r;

	if (o->val[K_BRACKETS] != NULL)
		r = bf_brackets_load(bs, o->val[K_BRACKETS], sym, &err);
	else
		r = bf_brackets_builtin(bs, sym, &err);
	if (r < 0 && (need || o->val[K_BRACKETS] != NULL)) {
		if (r == BF_EDATA)
			bf_die(BF_EXIT_DATA, "%s", err.msg);
		bf_die(BF_EXIT_USAGE, "%s", err.msg);
	}
}

/* The margin mode: true for isolated. */
static bool
isolated(const struct opts *o)
{
	static const char *const modes[] = { "isolated", "cross", NULL };

	return word(o, K_MARGIN, modes) == 0;
}

/* ---- calc ---- */

/* The columns of the calc record, in order. */
enum {
	C_SYMBOL, C_SIDE, C_MARGIN, C_QTY, C_ENTRY, C_MARK, C_NOTIONAL,
	C_LEVERAGE, C_LEVERAGE_NEEDED, C_MAX_LEVERAGE, C_WALLET, C_EQUITY, C_INITIAL_MARGIN,
	C_BRACKET, C_MMR, C_MAINT_AMOUNT, C_MAINT_MARGIN, C_UPNL,
	C_MARGIN_BALANCE, C_MARGIN_RATIO, C_LIQ_PRICE, C_LIQ_BRACKET,
	C_LIQ_DISTANCE,
	C_LIQ_DISTANCE_ABS, C_LIQ_DISTANCE_ATR, C_LIQ_PROB, C_FUNDING_1H,
	C_FUNDING_1D, C_FUNDING_30D, C_FUNDING_REALIZED, C_STOP_PRICE,
	C_MAX_LOSS, C_MAX_LOSS_PCT, C_TAKE_PROFIT, C_REWARD, C_REJECT,
	NCALC
};

static const char *const calc_cols[NCALC] = {
	"symbol", "side", "margin", "qty", "entry", "mark", "notional",
	"leverage", "leverage_needed", "max_leverage", "wallet", "equity", "initial_margin",
	"bracket", "mmr", "maint_amount", "maint_margin", "unrealized_pnl",
	"margin_balance", "margin_ratio", "liq_price", "liq_bracket",
	"liq_distance",
	"liq_distance_abs", "liq_distance_atr", "liq_prob", "funding_cost_1h",
	"funding_cost_1d", "funding_cost_30d", "funding_realized",
	"stop_price", "max_loss", "max_loss_pct", "take_profit", "reward",
	"reject_reason"
};

/*
 * Realized funding of a position of signed 'qty' over the funding
 * records in 'path' (columns funding_rate and mark_price): the sum of
 * qty x mark x rate.  Exits 2 (cannot open) or 3 (bad data).
 */
static double
realized_funding(const char *path, double qty)
{
	static const char *const need[] = { "funding_rate", "mark_price" };
	struct bf_risk_funding f = BF_RISK_FUNDING_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd;
	int idx[2], r;

	rd = bf_reader_open(path, BF_FMT_AUTO, &err);
	if (rd == NULL)
		bf_die(BF_EXIT_USAGE, "%s", err.msg);
	r = bf_reader_start(rd, &err);
	if (r > 0 && bf_reader_require(rd, need, idx, 2, &err) < 0)
		r = BF_EDATA;
	while (r > 0 && (r = bf_reader_next(rd, &err)) > 0) {
		double rate, mark;
		int a = bf_reader_double(rd, idx[0], &rate, &err);
		int b = a < 0 ? a : bf_reader_double(rd, idx[1], &mark, &err);

		if (a < 0 || b < 0) {
			r = a < 0 ? a : b;
			break;
		}
		if (a == 0 || b == 0)	/* a missing mark: no settlement */
			continue;
		if (!(mark > 0)) {
			r = bf_reader_error(rd, &err,
			    "column 'mark_price': must be positive");
			break;
		}
		bf_risk_funding_add(&f, qty, mark, rate);
	}
	bf_reader_free(rd);
	if (r < 0)
		bf_die_err(&err);
	return f.paid;
}

/* Set calc column 'k' to 'v', or missing when 'v' is not finite. */
static void
setd(struct bf_writer *w, size_t k, double v)
{
	if (isfinite(v))
		bf_writer_set_double(w, k, v);
	else
		bf_writer_set_missing(w, k);
}

/* Set calc column 'k' to the text 's'. */
static void
sets(struct bf_writer *w, size_t k, const char *s)
{
	bf_writer_set_text(w, k, s, strlen(s));
}

static int
run_calc(struct opts *o)
{
	static const char *const sides[] = { "long", "short", NULL };
	struct bf_brackets table = BF_BRACKETS_INIT, fixed = BF_BRACKETS_INIT;
	const struct bf_brackets *bs;
	struct bf_risk_limits lim;
	struct bf_risk_in in;
	struct bf_risk_out out;
	struct bf_err err = BF_ERR_INIT;
	struct bf_writer *w;
	double entry, qty, notional, lev, maxlev, vol, tp, funding = NAN;
	bool iso = isolated(o);
	char reasons[128];
	int side;

	for (int k = 0; k < NKEYS; k++)
		if (o->flag[k] != NULL && !keys[k].calc)
			bf_usage_error("--%s is for the filter, not calc",
			    flagname(k));
	/* the filter's leverage and equity defaults do not apply here */
	o->val[K_LEVERAGE] = o->flag[K_LEVERAGE];
	o->val[K_EQUITY] = o->flag[K_EQUITY];
	if (o->val[K_SIDE] == NULL || o->val[K_ENTRY] == NULL)
		bf_usage_error("calc needs --side and --entry");
	if ((o->val[K_QTY] == NULL) == (o->val[K_NOTIONAL] == NULL))
		bf_usage_error("calc needs one of --qty and --notional");
	side = word(o, K_SIDE, sides) == 0 ? 1 : -1;
	entry = posnum(o, K_ENTRY, 0);
	qty = o->val[K_QTY] ? posnum(o, K_QTY, 0) :
	    posnum(o, K_NOTIONAL, 0) / entry;

	memset(&in, 0, sizeof(in));
	in.side = side;
	in.qty = qty;
	in.entry = entry;
	in.mark = posnum(o, K_MARK, entry);
	notional = qty * in.mark;

	/* The symbol's table for the leverage limit, unless overridden. */
	load_brackets(o, &table, o->val[K_MMR] == NULL);
	if (o->val[K_MAINT_AMOUNT] != NULL && o->val[K_MMR] == NULL)
		bf_usage_error("--maint-amount needs --mmr");
	maxlev = table.n ? bf_brackets_max_leverage(&table, notional) : 125;

	if (o->val[K_LEVERAGE] != NULL)
		lev = num(o, K_LEVERAGE, 1, 1000, 1);
	else if (o->val[K_WALLET] != NULL)
		lev = bf_risk_leverage_needed(notional, posnum(o, K_WALLET, 0));
	else
		bf_usage_error("calc needs --leverage or --wallet");
	if (table.n && lev > maxlev) {
		if (maxlev == 0)
			bf_usage_error("notional %.2f is above the largest bracket of %s",
			    notional, o->val[K_SYMBOL]);
		bf_usage_error("leverage %g is above the maximum %g of bracket %d for notional %.2f",
		    lev, maxlev, bf_brackets_find(&table, notional)->id,
		    notional);
	}
	if (o->val[K_MMR] != NULL) {
		if (bf_brackets_fixed(&fixed, num(o, K_MMR, 0, 0.999999, 0),
		    num(o, K_MAINT_AMOUNT, 0, 1e15, 0), lev, &err) < 0)
			bf_usage_error("%s", err.msg);
		bs = &fixed;
	} else {
		bs = &table;
	}

	in.leverage = lev;
	in.wallet = o->val[K_WALLET] ? posnum(o, K_WALLET, 0) :
	    iso || o->val[K_EQUITY] == NULL ? notional / lev :
	    posnum(o, K_EQUITY, 0);
	in.equity = posnum(o, K_EQUITY, in.wallet);
	if (!iso) {
		in.other_mm = num(o, K_OTHER_MM, 0, 1e15, 0);
		in.other_upnl = num(o, K_OTHER_UPNL, -1e15, 1e15, 0);
	} else if (o->flag[K_OTHER_MM] || o->flag[K_OTHER_UPNL]) {
		bf_usage_error("--other-mm and --other-upnl are for --margin cross");
	}
	in.stop = posnum(o, K_STOP, 0);
	if (in.stop > 0 && side * (entry - in.stop) <= 0)
		bad_value(o, K_STOP, side > 0 ?
		    "a long's stop must be below the entry" :
		    "a short's stop must be above the entry");
	tp = posnum(o, K_TAKE_PROFIT, NAN);
	if (!isnan(tp) && side * (tp - entry) <= 0)
		bad_value(o, K_TAKE_PROFIT, side > 0 ?
		    "a long's take-profit must be above the entry" :
		    "a short's take-profit must be below the entry");
	if ((o->val[K_HEDGE_QTY] == NULL) != (o->val[K_HEDGE_ENTRY] == NULL))
		bf_usage_error("--hedge-qty and --hedge-entry go together");
	if (o->val[K_HEDGE_QTY] != NULL && iso)
		bf_usage_error("a hedge leg shares the cross margin: add --margin cross");
	in.hedge_qty = posnum(o, K_HEDGE_QTY, 0);
	in.hedge_entry = posnum(o, K_HEDGE_ENTRY, 0);
	in.atr = posnum(o, K_ATR, NAN);
	vol = posnum(o, K_VOL, NAN);
	in.sigma_t = vol * sqrt(hours(o, K_LIQ_HORIZON, 24) /
	    hours(o, K_VOL_HORIZON, 24));
	in.funding_rate = num(o, K_FUNDING_RATE, -1, 1, 0.0001);
	in.funding_interval_h = hours(o, K_FUNDING_INTERVAL, 8);
	lim = (struct bf_risk_limits){ num(o, K_MIN_NOTIONAL, 0, 1e15, 0),
		num(o, K_MAX_NOTIONAL, 0, 1e15, 0),
		num(o, K_LIQ_FLOOR_PCT, 0, 100, 0) / 100,
		num(o, K_LIQ_FLOOR_ATR, 0, 1e6, 0),
		num(o, K_MAX_LOSS_PCT, 0, 1e6, 0) / 100 };
	if (o->val[K_FUNDING] != NULL)
		funding = realized_funding(o->val[K_FUNDING], side * qty);

	bf_risk_eval(bs, &in, &lim, &out);
	if (table.n)	/* the leverage limit is the real table's */
		out.max_leverage = maxlev;
	bf_risk_reasons(out.reject, reasons, sizeof(reasons));

	w = bf_writer_new(1, bf_opt_out_format(&o->common, BF_FMT_CSV),
	    o->common.digits, o->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
	if (bf_writer_start(w, NULL, calc_cols, NCALC, &err) < 0)
		bf_die_err(&err);
	sets(w, C_SYMBOL, o->val[K_SYMBOL]);
	sets(w, C_SIDE, side > 0 ? "long" : "short");
	sets(w, C_MARGIN, iso ? "isolated" : "cross");
	setd(w, C_QTY, qty);
	setd(w, C_ENTRY, entry);
	setd(w, C_MARK, in.mark);
	setd(w, C_NOTIONAL, out.notional);
	setd(w, C_LEVERAGE, lev);
	setd(w, C_LEVERAGE_NEEDED, bf_risk_leverage_needed(out.notional,
	    in.wallet));
	setd(w, C_MAX_LEVERAGE, out.max_leverage);
	setd(w, C_WALLET, in.wallet);
	setd(w, C_EQUITY, in.equity);
	setd(w, C_INITIAL_MARGIN, out.init_margin);
	bf_writer_set_i64(w, C_BRACKET, out.bracket);
	setd(w, C_MMR, out.mmr);
	setd(w, C_MAINT_AMOUNT, out.cum);
	setd(w, C_MAINT_MARGIN, out.maint_margin);
	setd(w, C_UPNL, out.upnl);
	setd(w, C_MARGIN_BALANCE, out.margin_balance);
	setd(w, C_MARGIN_RATIO, out.margin_ratio);
	setd(w, C_LIQ_PRICE, out.liq_price > 0 ? out.liq_price : NAN);
	if (out.liq_bracket > 0)
		bf_writer_set_i64(w, C_LIQ_BRACKET, out.liq_bracket);
	else
		bf_writer_set_missing(w, C_LIQ_BRACKET);
	setd(w, C_LIQ_DISTANCE, out.liq_dist_pct);
	setd(w, C_LIQ_DISTANCE_ABS, out.liq_dist);
	setd(w, C_LIQ_DISTANCE_ATR, out.liq_dist_atr);
	setd(w, C_LIQ_PROB, out.liq_prob);
	setd(w, C_FUNDING_1H, out.funding_1h);
	setd(w, C_FUNDING_1D, out.funding_1d);
	setd(w, C_FUNDING_30D, out.funding_30d);
	setd(w, C_FUNDING_REALIZED, funding);
	setd(w, C_STOP_PRICE, in.stop > 0 ? in.stop : NAN);
	setd(w, C_MAX_LOSS, out.max_loss);
	setd(w, C_MAX_LOSS_PCT, out.max_loss_pct * 100);
	setd(w, C_TAKE_PROFIT, tp);
	setd(w, C_REWARD, side * qty * (tp - entry));
	sets(w, C_REJECT, reasons);
	if (bf_writer_emit(w, NULL, &err) < 0 || bf_writer_close(w, &err) < 0)
		bf_die_err(&err);
	bf_brackets_release(&table);
	bf_brackets_release(&fixed);
	return BF_EXIT_OK;
}

/* ---- the filter ---- */

enum {
	O_TARGET, O_STOP, O_TP, O_LEVERAGE, O_LIQ_PRICE, O_LIQ_DISTANCE,
	O_LIQ_PROB, O_FUNDING_1D, O_MAX_LOSS, O_REJECT,
	O_LIQ_ATR,	/* only when the input has an ATR column */
	NOUT
};

static const char *const out_cols[NOUT] = {
	"target", "stop_price", "take_profit", "leverage", "liq_price",
	"liq_distance", "liq_prob", "funding_cost_1d", "max_loss",
	"reject_reason", "liq_distance_atr"
};

/*
 * The last value written to an output column and its text: consecutive
 * rows often repeat a value (the target, the leverage, the liquidation
 * distance at a fixed leverage), and formatting is the filter's largest
 * cost.
 */
struct fmtcache {
	uint64_t bits;		/* the double's bits; a NaN pattern at first */
	uint32_t len;
	char txt[BF_NUM_BUFSZ];
};

/* Set output column 'k' to 'v' (missing when not finite) via 'c'. */
static void
set_cached(struct bf_writer *w, size_t k, double v, struct fmtcache *c,
    int digits)
{
	uint64_t bits;

	if (!isfinite(v)) {
		bf_writer_set_missing(w, k);
		return;
	}
	memcpy(&bits, &v, sizeof(bits));
	if (bits != c->bits) {
		c->bits = bits;
		c->len = (uint32_t)bf_num_format(c->txt, v, digits);
	}
	bf_writer_set_number(w, k, c->txt, c->len);
}

/* The input columns the filter reads; -1 when absent. */
struct cols {
	int price, signal, p_up, p_down, mu, sigma, vol, atr, funding;
};

/*
 * Find 'name' in 'rd' or exit 3 with "stdin:1: missing required column".
 */
static int
need_col(const struct bf_reader *rd, const char *name)
{
	struct bf_err err = BF_ERR_INIT;
	int idx;

	if (bf_reader_require(rd, &name, &idx, 1, &err) < 0)
		bf_die_err(&err);
	return idx;
}

/*
 * The horizon in hours encoded as the suffix of a column name after its
 * last '_' ("sigma_1d" -> 24), or NAN.
 */
static double
suffix_hours(const char *name)
{
	const char *u = strrchr(name, '_');
	int64_t ms;

	if (u == NULL || bf_duration_parse(u + 1, &ms) < 0 || ms <= 0)
		return NAN;
	return (double)ms / 3600000.0;
}

/*
 * Resolve the signal form and the columns from the header, and the
 * volatility scaling into 'cfg'.  Exits 2 for inconsistent options and
 * 3 for missing columns.
 */
static void
setup_columns(const struct opts *o, const struct bf_reader *rd,
    struct bf_target_cfg *cfg, struct cols *c)
{
	static const char *const forms[] = { "auto", "signal", "prob", "mu",
		NULL };
	char mu[64], sigma[64];
	const char *volname = o->val[K_VOL_COL];
	int form = word(o, K_FORM, forms);
	double vol_h;

	memset(c, -1, sizeof(*c));
	c->price = need_col(rd, o->val[K_PRICE_COL]);
	/* mu_H/sigma_H: --horizon, else the first mu_* with its sigma_* */
	mu[0] = sigma[0] = '\0';
	if (o->val[K_HORIZON] != NULL) {
		snprintf(mu, sizeof(mu), "mu_%s", o->val[K_HORIZON]);
		snprintf(sigma, sizeof(sigma), "sigma_%s", o->val[K_HORIZON]);
	} else {
		for (size_t i = 0; i < bf_reader_ncols(rd); i++) {
			const char *n = bf_reader_colname(rd, i);

			if (strncmp(n, "mu_", 3) != 0)
				continue;
			snprintf(sigma, sizeof(sigma), "sigma_%s", n + 3);
			if (bf_reader_col(rd, sigma) >= 0) {
				snprintf(mu, sizeof(mu), "%s", n);
				break;
			}
			sigma[0] = '\0';
		}
	}
	if (form == 0) {	/* auto, in the order bf-risk(1) gives */
		bool sig = bf_reader_col(rd, "signal") >= 0;
		bool prob = bf_reader_col(rd, "p_up") >= 0 &&
		    bf_reader_col(rd, "p_down") >= 0;
		bool has_mu = mu[0] && bf_reader_col(rd, mu) >= 0 &&
		    bf_reader_col(rd, sigma) >= 0;

		if (sig && cfg->sizing != BF_SIZE_KELLY)
			cfg->form = BF_FORM_SIGNAL;
		else if (prob)
			cfg->form = BF_FORM_PROB;
		else if (has_mu)
			cfg->form = BF_FORM_MU;
		else if (sig)
			bf_die(BF_EXIT_DATA, "%s:1: kelly sizing needs p_up/p_down or mu_H/sigma_H columns, not 'signal'",
			    bf_reader_name(rd));
		else
			bf_die(BF_EXIT_DATA, "%s:1: missing required column 'signal' (or p_up/p_down, or mu_H/sigma_H)",
			    bf_reader_name(rd));
	} else {
		cfg->form = form == 1 ? BF_FORM_SIGNAL : form == 2 ?
		    BF_FORM_PROB : BF_FORM_MU;
	}
	switch (cfg->form) {
	case BF_FORM_SIGNAL:
		if (cfg->sizing == BF_SIZE_KELLY)
			bf_usage_error("kelly sizing needs --form prob or mu");
		c->signal = need_col(rd, "signal");
		break;
	case BF_FORM_PROB:
		c->p_up = need_col(rd, "p_up");
		c->p_down = need_col(rd, "p_down");
		break;
	default:
		if (!mu[0])
			bf_die(BF_EXIT_DATA, "%s:1: missing required column 'mu_H' (with 'sigma_H')",
			    bf_reader_name(rd));
		c->mu = need_col(rd, mu);
		c->sigma = need_col(rd, sigma);
		break;
	}
	if (cfg->sizing == BF_SIZE_KELLY && cfg->form == BF_FORM_PROB &&
	    (!(cfg->stop_pct > 0 || cfg->stop_atr > 0) ||
	    !(cfg->tp_pct > 0 || cfg->tp_atr > 0)))
		bf_usage_error("kelly sizing on p_up/p_down needs a stop and a take-profit (--stop-pct/--stop-atr, --tp-pct/--tp-atr)");
	if (cfg->stop_atr > 0 || cfg->tp_atr > 0)
		c->atr = need_col(rd, o->val[K_ATR_COL]);
	else
		c->atr = bf_reader_col(rd, o->val[K_ATR_COL]);
	c->funding = bf_reader_col(rd, "funding_rate");

	/* the volatility column: --vol-col, else sigma_H in the mu form */
	if (volname == NULL && cfg->form == BF_FORM_MU)
		volname = sigma;
	if (volname == NULL && cfg->sizing == BF_SIZE_VOL)
		bf_usage_error("vol sizing needs --vol-col (or mu_H/sigma_H input)");
	cfg->vol_annual = cfg->vol_liq = NAN;
	if (volname != NULL) {
		c->vol = need_col(rd, volname);
		vol_h = o->val[K_VOL_HORIZON] ? hours(o, K_VOL_HORIZON, 24) :
		    suffix_hours(volname);
		if (isnan(vol_h))
			bf_usage_error("--vol-horizon: cannot tell the horizon of column '%s'",
			    volname);
		cfg->vol_annual = sqrt(365.0 * 24 / vol_h);
		cfg->vol_liq = sqrt(hours(o, K_LIQ_HORIZON, 24) / vol_h);
	}
}

/*
 * Read column 'col' of the current row into '*v' (NAN when missing or
 * absent), checking it lies in [lo, hi].  Exits 3 on bad data.  'err' is
 * the caller's, so that no error buffer is cleared per field.
 */
static void
rowval(const struct bf_reader *rd, int col, double lo, double hi, double *v,
    struct bf_err *err)
{
	int r;

	*v = NAN;
	if (col < 0)
		return;
	r = bf_reader_double(rd, col, v, err);
	if (r < 0)
		bf_die_err(err);
	if (r == 0) {
		*v = NAN;
		return;
	}
	if (!(*v >= lo && *v <= hi)) {
		bf_reader_error(rd, err, "column '%s': %s",
		    bf_reader_colname(rd, (size_t)col),
		    lo > 0 ? "must be positive" : lo == 0 && hi == 1 ?
		    "must be a probability in [0, 1]" : lo == 0 ?
		    "must not be negative" : "out of range");
		bf_die_err(err);
	}
}

static int
run_filter(struct opts *o)
{
	static const char *const sizings[] = { "kelly", "fixed", "vol", "risk",
		"leverage", NULL };
	static const char *const rejects[] = { "keep", "flat", NULL };
	struct bf_brackets bs = BF_BRACKETS_INIT;
	struct bf_target_cfg cfg;
	struct bf_target_state st = BF_TARGET_STATE_INIT;
	struct bf_err err = BF_ERR_INIT;
	struct bf_reader *rd;
	struct bf_writer *w;
	struct cols c;
	struct fmtcache cache[NOUT];
	char reasons[128];
	int r;

	memset(cache, 0xff, sizeof(cache));	/* NaN bits: never a match */
	for (int k = 0; k < NKEYS; k++)
		if (o->flag[k] != NULL && !keys[k].filter)
			bf_usage_error("--%s is for bf-risk calc", flagname(k));
	memset(&cfg, 0, sizeof(cfg));
	cfg.sizing = word(o, K_SIZING, sizings);
	cfg.on_reject = word(o, K_ON_REJECT, rejects);
	cfg.size = num(o, K_SIZE, 0, 1000, 1);
	cfg.fraction = num(o, K_KELLY_FRACTION, 0, 10, 0.5);
	cfg.cap = num(o, K_CAP, 0, 1000, 3);
	cfg.target_vol = num(o, K_TARGET_VOL, 0, 100, 0.5);
	cfg.risk = num(o, K_RISK_PCT, 0, 100, 1) / 100;
	cfg.lev_damp = num(o, K_LEV_DAMP, 0, 1, 0.5);
	cfg.leverage = num(o, K_LEVERAGE, 0, 1000, 0);
	if (cfg.leverage > 0 && cfg.leverage < 1)
		bad_value(o, K_LEVERAGE, "must be 0 (just enough) or at least 1");
	if (cfg.sizing == BF_SIZE_LEVERAGE && !(cfg.leverage >= 1))
		bf_usage_error("leverage sizing needs --leverage");
	cfg.isolated = isolated(o);
	cfg.equity = posnum(o, K_EQUITY, 10000);
	cfg.stop_pct = num(o, K_STOP_PCT, 0, 99.999, 0) / 100;
	cfg.stop_atr = num(o, K_STOP_ATR, 0, 1e6, 0);
	cfg.tp_pct = num(o, K_TP_PCT, 0, 1e6, 0) / 100;
	cfg.tp_atr = num(o, K_TP_ATR, 0, 1e6, 0);
	if ((cfg.stop_pct > 0 && cfg.stop_atr > 0) ||
	    (cfg.tp_pct > 0 && cfg.tp_atr > 0))
		bf_usage_error("give a stop (and a take-profit) in %% or in ATRs, not both");
	if (cfg.sizing == BF_SIZE_RISK && !(cfg.stop_pct > 0 ||
	    cfg.stop_atr > 0))
		bf_usage_error("risk sizing needs --stop-pct or --stop-atr");
	cfg.funding_rate = num(o, K_FUNDING_RATE, -1, 1, 0.0001);
	cfg.funding_interval_h = hours(o, K_FUNDING_INTERVAL, 8);
	cfg.lim = (struct bf_risk_limits){ num(o, K_MIN_NOTIONAL, 0, 1e15, 100),
		num(o, K_MAX_NOTIONAL, 0, 1e15, 0),
		num(o, K_LIQ_FLOOR_PCT, 0, 100, 0) / 100,
		num(o, K_LIQ_FLOOR_ATR, 0, 1e6, 0),
		num(o, K_MAX_LOSS_PCT, 0, 1e6, 0) / 100 };
	hours(o, K_LIQ_HORIZON, 24);	/* check it before reading */
	load_brackets(o, &bs, true);
	if (cfg.leverage > bs.b[0].max_lev)
		bf_usage_error("leverage %g is above the maximum %g of %s",
		    cfg.leverage, bs.b[0].max_lev, o->val[K_SYMBOL]);
	cfg.bs = &bs;

	rd = bf_reader_new(0, "stdin", o->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r <= 0) {
		bf_reader_free(rd);
		bf_brackets_release(&bs);
		if (r < 0)
			bf_die_err(&err);
		return BF_EXIT_OK;
	}
	setup_columns(o, rd, &cfg, &c);
	w = bf_writer_new(1, bf_opt_out_format(&o->common,
	    bf_reader_format(rd)), o->common.digits,
	    o->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
	if (bf_writer_start(w, rd, out_cols, c.atr >= 0 ? NOUT : NOUT - 1,
	    &err) < 0)
		bf_die_err(&err);
	bf_writer_link(w, rd);

	while ((r = bf_reader_next(rd, &err)) > 0) {
		struct bf_target_row row;
		struct bf_target_out out;
		double *const outv[] = { &out.target, &out.stop, &out.tp,
			&out.leverage, &out.liq_price, &out.liq_dist,
			&out.liq_prob, &out.funding_1d, &out.max_loss };

		rowval(rd, c.price, 1e-300, INFINITY, &row.price, &err);
		rowval(rd, c.signal, -1e6, 1e6, &row.signal, &err);
		rowval(rd, c.p_up, 0, 1, &row.p_up, &err);
		rowval(rd, c.p_down, 0, 1, &row.p_down, &err);
		rowval(rd, c.mu, -1e6, 1e6, &row.mu, &err);
		rowval(rd, c.sigma, 0, INFINITY, &row.sigma, &err);
		rowval(rd, c.vol, 0, INFINITY, &row.vol, &err);
		rowval(rd, c.atr, 0, INFINITY, &row.atr, &err);
		rowval(rd, c.funding, -1, 1, &row.funding_rate, &err);
		bf_target_row(&cfg, &st, &row, &out);
		for (size_t k = 0; k < BF_ARRAY_SIZE(outv); k++)
			set_cached(w, k, *outv[k], &cache[k],
			    o->common.digits);
		if (out.reject) {
			size_t n = bf_risk_reasons(out.reject, reasons,
			    sizeof(reasons));
			bf_writer_set_text(w, O_REJECT, reasons, n);
		} else {
			bf_writer_set_missing(w, O_REJECT);
		}
		if (c.atr >= 0)
			set_cached(w, O_LIQ_ATR, out.liq_dist * row.price /
			    row.atr, &cache[O_LIQ_ATR], o->common.digits);
		if (bf_writer_emit(w, rd, &err) < 0)
			break;
	}
	if (r < 0 || err.code != 0) {
		bf_writer_close(w, NULL);
		bf_reader_free(rd);
		bf_brackets_release(&bs);
		bf_die_err(&err);
	}
	r = bf_writer_close(w, &err);
	bf_reader_free(rd);
	bf_brackets_release(&bs);
	if (r < 0)
		bf_die_err(&err);
	return BF_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct bf_err err = BF_ERR_INIT;
	int ch, status;

	bf_setprogname("bf-risk");
	memset(&o, 0, sizeof(o));
	bf_opt_init(&o.common);
	if (argc > 1 && strcmp(argv[1], "calc") == 0) {
		o.calc = true;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (ch >= OPT(0) && ch < OPT(NKEYS))
			o.flag[ch - OPT(0)] = optarg;
		else
			bf_opt_common(&o.common, ch, argv, usage_text);
	}
	bf_opt_finish(&o.common);
	if (optind != argc)
		bf_usage_error("unexpected operand '%s'", argv[optind]);
	o.cfg = bf_cfg_load(o.common.config, &err);
	if (o.cfg == NULL)
		bf_die_err(&err);
	for (int k = 0; k < NKEYS; k++) {
		o.val[k] = o.flag[k];
		if (o.val[k] == NULL && k < K_CALC_FIRST)
			o.val[k] = bf_cfg_get(o.cfg, "risk", keys[k].name);
		if (o.val[k] == NULL || o.val[k][0] == '\0')	/* key = */
			o.val[k] = keys[k].def;
	}
	status = o.calc ? run_calc(&o) : run_filter(&o);
	bf_cfg_free(o.cfg);
	return status;
}
