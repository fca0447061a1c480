/* SPDX-License-Identifier: MIT */
/*
 * bf-sim - backtest target exposures on USD-M perpetual futures bars,
 * with the exchange's own rules for fees, funding, brackets and
 * liquidation (bf-sim(1)).
 *
 * This file is glue: options and configuration, the record reader, the
 * funding series, and the three outputs (the equity stream, the trade
 * log, the summary).  The rules live in lib/sim.c and lib/account.c.
 */
#include "bf.h"
#include "barin.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>

#include "account.h"
#include "brackets.h"
#include "sim.h"

static const char usage_text[] =
    "usage: bf-sim [options] < targets > equity\n"
    "Backtest the target column of bars (open_time, open, high, low, close,\n"
    "target) on a USD-M futures account; write the equity stream.\n"
    "\n"
    "  -e, --equity N             starting wallet balance, USDT (10000)\n"
    "      --fee-maker R          maker fee rate (0.0002)\n"
    "      --fee-taker R          taker fee rate (0.0005)\n"
    "      --fee-liquidation R    liquidation clearance fee rate (0.0125)\n"
    "      --slippage-bps N       fixed slippage, basis points (0)\n"
    "      --slippage-model M     fixed, range or volume (fixed)\n"
    "      --slippage-k K         coefficient of the range/volume model (0)\n"
    "      --margin MODE          cross or isolated (cross)\n"
    "  -l, --leverage L           leverage setting, caps |target| (20)\n"
    "      --order TYPE           market or limit (market)\n"
    "      --rebalance WHEN       change or always (change)\n"
    "  -s, --symbol SYMBOL        contract of the built-in brackets (BTCUSDT)\n"
    "      --brackets FILE        leverage brackets CSV (default: built-in)\n"
    "      --funding FILE         funding series (funding_time, funding_rate)\n"
    "      --step Q               quantity step size (0.001)\n"
    "      --tick P               price tick size (0.1)\n"
    "      --min-notional N       minimum order notional, USDT (100)\n"
    "      --periods-per-year N   annualization (default: from the interval)\n"
    "      --trades FILE          write the trade log to FILE\n"
    "      --summary FILE         write the summary (JSON) to FILE\n"
    "      --no-equity            do not write the equity stream\n"
    "      --liq-price            add a liq_price column to the equity stream\n"
    BF_COMMON_HELP;

enum {
	OPT_FEE_MAKER = BF_OPT_TOOL,
	OPT_FEE_TAKER,
	OPT_FEE_LIQ,
	OPT_SLIP_BPS,
	OPT_SLIP_MODEL,
	OPT_SLIP_K,
	OPT_MARGIN,
	OPT_ORDER,
	OPT_REBALANCE,
	OPT_BRACKETS,
	OPT_FUNDING,
	OPT_STEP,
	OPT_TICK,
	OPT_MIN_NOTIONAL,
	OPT_PPY,
	OPT_TRADES,
	OPT_SUMMARY,
	OPT_NO_EQUITY,
	OPT_LIQ_PRICE
};

static const struct option longopts[] = {
	BF_COMMON_LONGOPTS,
	{ "brackets", required_argument, NULL, OPT_BRACKETS },
	{ "equity", required_argument, NULL, 'e' },
	{ "fee-liquidation", required_argument, NULL, OPT_FEE_LIQ },
	{ "fee-maker", required_argument, NULL, OPT_FEE_MAKER },
	{ "fee-taker", required_argument, NULL, OPT_FEE_TAKER },
	{ "funding", required_argument, NULL, OPT_FUNDING },
	{ "leverage", required_argument, NULL, 'l' },
	{ "liq-price", no_argument, NULL, OPT_LIQ_PRICE },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "min-notional", required_argument, NULL, OPT_MIN_NOTIONAL },
	{ "no-equity", no_argument, NULL, OPT_NO_EQUITY },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "periods-per-year", required_argument, NULL, OPT_PPY },
	{ "rebalance", required_argument, NULL, OPT_REBALANCE },
	{ "slippage-bps", required_argument, NULL, OPT_SLIP_BPS },
	{ "slippage-k", required_argument, NULL, OPT_SLIP_K },
	{ "slippage-model", required_argument, NULL, OPT_SLIP_MODEL },
	{ "step", required_argument, NULL, OPT_STEP },
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "symbol", required_argument, NULL, 's' },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ "trades", required_argument, NULL, OPT_TRADES },
	{ NULL, 0, NULL, 0 }
};

/* Everything the run needs, filled from defaults, config and flags. */
struct opts {
	struct bf_common common;
	struct bf_sim_cfg sim;
	const char *symbol;
	const char *brackets;	/* file, NULL: built-in */
	char *cfg_symbol;	/* owned: the configuration's [sim] symbol */
	char *cfg_brackets;	/* owned: [sim] brackets, NULL if unset */
	const char *funding;	/* file, NULL: the rows' columns */
	const char *trades;
	const char *summary;
	double ppy;		/* 0: from the data */
	bool no_equity;
	bool liq_column;	/* --liq-price: append liq_price */
};

/* The funding series read from --funding, one event ahead. */
struct funding_src {
	struct bf_reader *rd;
	int c_time, c_rate, c_mark;
	bool have;		/* 'ev_*' holds the next event */
	int64_t ev_time;
	double ev_rate, ev_mark;
	int64_t last_time;
};

/* The trade-log writer, for the on_trade callback. */
struct trade_out {
	struct bf_writer *w;
	struct bf_err *err;
};

static const char *const equity_cols[] = {
	"time", "close", "position", "entry_price", "wallet_balance",
	"unrealized_pnl", "equity", "fees", "funding", "drawdown", "liq_price"
};

static const char *const trade_cols[] = {
	"entry_time", "exit_time", "side", "qty", "entry_price",
	"exit_price", "pnl", "fees", "funding", "reason"
};

/* Defaults from the configuration file ([sim] and [fees]). */
static void
load_config(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg;
	struct bf_sim_cfg *s = &o->sim;
	const char *v;

	cfg = bf_cfg_load(o->common.config, &err);
	if (cfg == NULL)
		bf_die_err(&err);
	if (bf_sim_cfg_load(s, cfg, &err) < 0 ||
	    bf_cfg_double(cfg, "sim", "periods_per_year", 0, &o->ppy, &err))
		bf_die_err(&err);
	o->cfg_symbol = bf_strdup(bf_cfg_str(cfg, "sim", "symbol", "BTCUSDT"));
	o->symbol = o->cfg_symbol;
	v = bf_cfg_get(cfg, "sim", "brackets");
	o->cfg_brackets = v != NULL && *v != '\0' ? bf_strdup(v) : NULL;
	o->brackets = o->cfg_brackets;
	bf_cfg_free(cfg);
}

/* Parse the command line over the configuration's defaults. */
static void
parse_args(struct opts *o, int argc, char *argv[])
{
	struct bf_sim_cfg *s = &o->sim;
	int ch, i;

	memset(o, 0, sizeof(*o));
	bf_opt_init(&o->common);
	/* -c must be known before the defaults are read: scan for it. */
	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < argc)
			o->common.config = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			o->common.config = argv[i] + 9;
		else if (strcmp(argv[i], "--") == 0)
			break;
	}
	load_config(o);
	while ((ch = getopt_long(argc, argv, BF_COMMON_SHORTOPTS "e:l:s:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			s->equity = bf_opt_double("equity", optarg, 1e-9, 1e15);
			break;
		case 'l':
			s->acct.leverage = bf_opt_double("leverage", optarg, 1, 1000);
			break;
		case 's':
			o->symbol = optarg;
			break;
		case OPT_FEE_MAKER:
			s->acct.fee_maker = bf_opt_double("fee-maker", optarg, -0.01,
			    0.1);
			break;
		case OPT_FEE_TAKER:
			s->acct.fee_taker = bf_opt_double("fee-taker", optarg, 0,
			    0.1);
			break;
		case OPT_FEE_LIQ:
			s->acct.fee_liq = bf_opt_double("fee-liquidation", optarg, 0,
			    0.5);
			break;
		case OPT_SLIP_BPS:
			s->slip_bps = bf_opt_double("slippage-bps", optarg, 0, 10000);
			break;
		case OPT_SLIP_MODEL:
			s->slip_model = bf_opt_word("slippage-model", optarg,
			    bf_sim_slip_words, 3);
			break;
		case OPT_SLIP_K:
			s->slip_k = bf_opt_double("slippage-k", optarg, 0, 1e6);
			break;
		case OPT_MARGIN:
			s->acct.margin = bf_opt_word("margin", optarg,
			    bf_sim_margin_words, 2);
			break;
		case OPT_ORDER:
			s->order = bf_opt_word("order", optarg, bf_sim_order_words, 2);
			break;
		case OPT_REBALANCE:
			s->rebalance = bf_opt_word("rebalance", optarg,
			    bf_sim_rebalance_words, 2);
			break;
		case OPT_BRACKETS:
			o->brackets = optarg;
			break;
		case OPT_FUNDING:
			o->funding = optarg;
			break;
		case OPT_STEP:
			s->acct.step = bf_opt_double("step", optarg, 0, 1e9);
			break;
		case OPT_TICK:
			s->acct.tick = bf_opt_double("tick", optarg, 0, 1e9);
			break;
		case OPT_MIN_NOTIONAL:
			s->acct.min_notional = bf_opt_double("min-notional", optarg,
			    0, 1e12);
			break;
		case OPT_PPY:
			o->ppy = bf_opt_double("periods-per-year", optarg, 1e-9,
			    1e12);
			break;
		case OPT_TRADES:
			o->trades = optarg;
			break;
		case OPT_SUMMARY:
			o->summary = optarg;
			break;
		case OPT_NO_EQUITY:
			o->no_equity = true;
			break;
		case OPT_LIQ_PRICE:
			o->liq_column = true;
			break;
		default:
			bf_opt_common(&o->common, ch, argv, usage_text);
		}
	}
	if (optind < argc)
		bf_usage_error("unexpected argument '%s'", argv[optind]);
	if (!(s->equity > 0))
		bf_usage_error("equity must be positive");
	bf_opt_finish(&o->common);
}

/* Read the next event of the --funding series into 'f->ev_*'. */
static void
funding_next(struct funding_src *f)
{
	struct bf_err err = BF_ERR_INIT;
	int r;

	f->have = false;
	r = bf_reader_next(f->rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0)
		return;
	r = bf_reader_i64(f->rd, f->c_time, &f->ev_time, &err);
	if (r == 0) {
		bf_reader_error(f->rd, &err,
		    "column 'funding_time': missing value");
		bf_die_err(&err);
	}
	if (r < 0)
		bf_die_err(&err);
	if (f->ev_time <= f->last_time) {
		bf_reader_error(f->rd, &err,
		    "funding_time %lld is not after the previous %lld",
		    (long long)f->ev_time, (long long)f->last_time);
		bf_die_err(&err);
	}
	f->last_time = f->ev_time;
	r = bf_reader_double(f->rd, f->c_rate, &f->ev_rate, &err);
	if (r == 0) {
		bf_reader_error(f->rd, &err,
		    "column 'funding_rate': missing value");
		bf_die_err(&err);
	}
	if (r < 0)
		bf_die_err(&err);
	f->ev_mark = NAN;
	r = f->c_mark < 0 ? 0 :
	    bf_reader_double(f->rd, f->c_mark, &f->ev_mark, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0)
		f->ev_mark = NAN;
	if (!(f->ev_mark > 0) && !isnan(f->ev_mark)) {
		bf_reader_error(f->rd, &err,
		    "column 'mark_price': price must be positive");
		bf_die_err(&err);
	}
	f->have = true;
}

/* Open the --funding file and read its first event. */
static void
funding_open(struct funding_src *f, const char *path)
{
	static const char *const req[] = { "funding_time", "funding_rate" };
	struct bf_err err = BF_ERR_INIT;
	int idx[2], r;

	memset(f, 0, sizeof(*f));
	f->last_time = INT64_MIN;
	f->rd = bf_reader_open(path, BF_FMT_AUTO, &err);
	if (f->rd == NULL)
		bf_die_err(&err);
	r = bf_reader_start(f->rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0)
		return;
	if (bf_reader_require(f->rd, req, idx, 2, &err) < 0)
		bf_die_err(&err);
	f->c_time = idx[0];
	f->c_rate = idx[1];
	f->c_mark = bf_reader_col(f->rd, "mark_price");
	funding_next(f);
}

/* A funding event announced in the rows' own columns, not yet settled. */
struct row_funding {
	bool pending;
	int64_t time;		/* its funding_time */
	double rate;
	int64_t last;		/* the last funding_time seen */
};

/*
 * Settle the pending event when bar 'b' opens at or after it, then take
 * the row's funding_time and funding_rate: a new time is a new event
 * (settled at once when it is not after the bar's open), the same time
 * again updates the pending event's rate.
 */
static void
row_funding(struct bf_reader *rd, const struct bf_barin *bi,
    struct row_funding *rf, struct bf_sim *sim, const struct bf_bar *b)
{
	struct bf_err err = BF_ERR_INIT;
	int64_t ft;
	double fr;
	int r;

	if (rf->pending && rf->time <= b->time) {
		bf_sim_funding(sim, rf->rate, NAN, b->open);
		rf->pending = false;
	}
	r = bf_barin_funding(bi, rd, &ft, &fr, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r == 0)
		return;
	if (ft > rf->last) {
		rf->last = ft;
		rf->time = ft;
		rf->rate = fr;
		rf->pending = true;
	} else if (rf->pending && ft == rf->time) {
		rf->rate = fr;
	}
	if (rf->pending && rf->time <= b->time) {
		bf_sim_funding(sim, rf->rate, NAN, b->open);
		rf->pending = false;
	}
}

/* Write one closed trade to the trade log. */
static int
write_trade(void *ctx, const struct bf_trade *t)
{
	struct trade_out *to = ctx;
	struct bf_writer *w = to->w;
	const char *side = t->side > 0 ? "long" : "short";
	const char *reason = bf_sim_reason_name(t->reason);

	if (w == NULL)
		return 0;
	bf_writer_set_i64(w, 0, t->entry_time);
	bf_writer_set_i64(w, 1, t->exit_time);
	bf_writer_set_text(w, 2, side, strlen(side));
	bf_writer_set_double(w, 3, t->qty);
	bf_writer_set_double(w, 4, t->entry_price);
	bf_writer_set_double(w, 5, t->exit_price);
	bf_writer_set_double(w, 6, t->pnl);
	bf_writer_set_double(w, 7, t->fees);
	bf_writer_set_double(w, 8, t->funding);
	bf_writer_set_text(w, 9, reason, strlen(reason));
	return bf_writer_emit(w, NULL, to->err) < 0 ? -1 : 0;
}

/* Append "key":number (null when not finite) to 'b'. */
static void
json_num(struct bf_buf *b, const char *key, double v, int digits)
{
	char num[BF_NUM_BUFSZ];

	bf_buf_printf(b, ",\n  \"%s\": ", key);
	if (!isfinite(v)) {
		bf_buf_adds(b, "null");
		return;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	bf_num_format(num, v, digits);
	bf_buf_adds(b, num);
}

/* Append "key":integer to 'b'. */
static void
json_int(struct bf_buf *b, const char *key, long long v)
{
	bf_buf_printf(b, ",\n  \"%s\": %lld", key, v);
}

/* Write the summary JSON to 'path'. */
static void
write_summary(const char *path, const struct bf_sim *s, double ppy,
    int64_t interval, int digits)
{
	struct bf_metrics_result m;
	struct bf_buf b = BF_BUF_INIT;
	const struct bf_account *a = &s->acct;
	double days;
	FILE *fp;

	bf_metrics_result(&s->metrics, ppy, &m);
	days = (double)m.max_drawdown_periods * (double)interval / 86400000.0;
	bf_buf_init(&b);
	bf_buf_printf(&b, "{\n  \"bars\": %ld", s->bars);
	json_int(&b, "start_time", s->first_time);
	json_int(&b, "end_time", s->last_time);
	json_num(&b, "periods_per_year", ppy, digits);
	json_num(&b, "initial_equity", s->cfg.equity, digits);
	json_num(&b, "final_equity", s->bars > 0 ? s->equity : s->cfg.equity,
	    digits);
	json_num(&b, "total_return", m.total_return, digits);
	json_num(&b, "cagr", m.annual_return, digits);
	json_num(&b, "annual_volatility", m.annual_volatility, digits);
	json_num(&b, "sharpe", m.sharpe, digits);
	json_num(&b, "sortino", m.sortino, digits);
	json_num(&b, "downside_risk", m.downside_risk, digits);
	json_num(&b, "calmar", m.calmar, digits);
	json_num(&b, "max_drawdown", m.max_drawdown, digits);
	json_int(&b, "max_drawdown_bars", m.max_drawdown_periods);
	json_num(&b, "max_drawdown_days", days, digits);
	json_int(&b, "trades", m.trades);
	json_int(&b, "wins", m.wins);
	json_int(&b, "losses", m.losses);
	json_num(&b, "win_rate", m.win_rate, digits);
	json_num(&b, "profit_factor", m.profit_factor, digits);
	json_num(&b, "expectancy", m.expectancy, digits);
	json_num(&b, "avg_win", m.avg_win, digits);
	json_num(&b, "avg_loss", m.avg_loss, digits);
	json_int(&b, "max_consecutive_wins", m.max_consecutive_wins);
	json_int(&b, "max_consecutive_losses", m.max_consecutive_losses);
	json_num(&b, "exposure_time", s->bars > 0 ?
	    (double)s->bars_exposed / (double)s->bars : NAN, digits);
	json_num(&b, "turnover", a->turnover, digits);
	json_num(&b, "turnover_ratio", a->turnover / s->cfg.equity, digits);
	json_num(&b, "fees_paid", a->fees, digits);
	json_num(&b, "funding_paid", a->funding, digits);
	json_num(&b, "realized_pnl", a->realized, digits);
	json_int(&b, "liquidations", a->liquidations);
	json_int(&b, "orders", s->orders);
	json_int(&b, "orders_skipped", s->skipped);
	json_int(&b, "limit_unfilled", s->unfilled);
	json_int(&b, "targets_clipped", s->clips);
	json_int(&b, "stops", s->stops);
	json_int(&b, "take_profits", s->take_profits);
	bf_buf_adds(&b, "\n}\n");
	fp = fopen(path, "w");
	if (fp == NULL)
		bf_die(BF_EXIT_FAIL, "%s: %s", path, strerror(errno));
	if (fwrite(b.buf, 1, b.len, fp) != b.len || fclose(fp) != 0)
		bf_die(BF_EXIT_FAIL, "%s: write error", path);
	bf_buf_release(&b);
}

/*
 * The text of each computed equity column as last written: position,
 * entry, wallet, fees and funding stay the same for long runs of bars,
 * and formatting them again would cost more than the rest of the bar.
 */
struct fmt_cache {
	double v[BF_ARRAY_SIZE(equity_cols)];
	char s[BF_ARRAY_SIZE(equity_cols)][BF_NUM_BUFSZ];
	size_t n[BF_ARRAY_SIZE(equity_cols)];
	bool valid[BF_ARRAY_SIZE(equity_cols)];
	int digits;
	bool liq;		/* the liq_price column is written */
};

/* Set equity column 'k' to 'v', reusing its text when 'v' is unchanged. */
static void
set_num(struct bf_writer *w, struct fmt_cache *fc, size_t k, double v)
{
	if (!fc->valid[k] || memcmp(&fc->v[k], &v, sizeof(v)) != 0) {
		if (!isfinite(v)) {
			bf_writer_set_missing(w, k);
			fc->valid[k] = false;
			return;
		}
		fc->n[k] = bf_num_format(fc->s[k], v, fc->digits);
		fc->v[k] = v;
		fc->valid[k] = true;
	}
	bf_writer_set_auto(w, k, fc->s[k], fc->n[k]);
}

/* Write the current state to the equity stream. */
static int
write_equity(struct bf_writer *w, struct fmt_cache *fc, struct bf_sim *s,
    const struct bf_reader *rd, int close_col, int64_t time,
    struct bf_err *err)
{
	const struct bf_account *a = &s->acct;
	const struct bf_field *f = bf_reader_field(rd, (size_t)close_col);

	bf_writer_set_i64(w, 0, time);
	bf_writer_set_auto(w, 1, f->s, f->len);
	set_num(w, fc, 2, a->qty);
	set_num(w, fc, 3, a->qty != 0 ? a->entry : 0);
	set_num(w, fc, 4, a->wallet);
	set_num(w, fc, 5, s->upnl);
	set_num(w, fc, 6, s->equity);
	set_num(w, fc, 7, a->fees);
	set_num(w, fc, 8, a->funding);
	set_num(w, fc, 9, s->drawdown);
	if (fc->liq) {
		double lp = bf_sim_liq_price(s);

		if (lp > 0)
			set_num(w, fc, 10, lp);
		else
			bf_writer_set_missing(w, 10);
	}
	return bf_writer_emit(w, NULL, err);
}

/* Open 'path' for writing or die. */
static int
open_out(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);

	if (fd < 0)
		bf_die(BF_EXIT_FAIL, "%s: %s", path, strerror(errno));
	return fd;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct bf_err err = BF_ERR_INIT;
	struct bf_brackets br = BF_BRACKETS_INIT;
	struct bf_reader *rd;
	struct bf_writer *w = NULL, *tw = NULL;
	struct funding_src fsrc;
	struct trade_out to;
	struct bf_sim sim;
	struct bf_barin bi;
	struct bf_bar b = { 0 };
	struct row_funding rf = { false, 0, 0, INT64_MIN };
	struct fmt_cache fc;
	int64_t second_time = 0, interval;
	double ppy, prev_target = NAN;
	long prev_line = 0;
	bool have_rows = false;
	int r, fmt, tfd = -1;
	long clip_warned = 0;

	bf_setprogname("bf-sim");
	parse_args(&o, argc, argv);
	if (o.brackets != NULL)
		r = bf_brackets_load(&br, o.brackets, o.symbol, &err);
	else
		r = bf_brackets_builtin(&br, o.symbol, &err);
	if (r < 0)
		bf_die_err(&err);
	o.sim.acct.brackets = &br;
	if (bf_account_cfg_check(&o.sim.acct, &err) < 0)
		bf_die_err(&err);
	if (o.funding != NULL)
		funding_open(&fsrc, o.funding);

	rd = bf_reader_new(0, "stdin", o.common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r > 0 && bf_barin_init(&bi, rd, &err) < 0)
		bf_die_err(&err);
	fmt = bf_opt_out_format(&o.common,
	    r > 0 ? bf_reader_format(rd) : BF_FMT_CSV);
	to.w = NULL;
	to.err = &err;
	if (o.trades != NULL) {
		/* An empty input gives an empty trade log. */
		tfd = open_out(o.trades);
		tw = bf_writer_new(tfd, fmt, o.common.digits, 0);
		if (r > 0 && bf_writer_start(tw, NULL, trade_cols,
		    BF_ARRAY_SIZE(trade_cols), &err) < 0)
			bf_die_err(&err);
		to.w = tw;
	}
	bf_sim_init(&sim, &o.sim, write_trade, &to);
	memset(&fc, 0, sizeof(fc));
	fc.digits = o.common.digits;
	fc.liq = o.liq_column;
	if (!o.no_equity && r > 0) {
		w = bf_writer_new(1, fmt, o.common.digits,
		    o.common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
		if (bf_writer_start(w, NULL, equity_cols,
		    BF_ARRAY_SIZE(equity_cols) - (o.liq_column ? 0 : 1),
		    &err) < 0)
			bf_die_err(&err);
		bf_writer_link(w, rd);
	}
	while (r > 0 && (r = bf_reader_next(rd, &err)) > 0) {
		if (bf_barin_read(&bi, rd, &b, &err) < 0)
			bf_die_err(&err);
		if (have_rows && second_time == 0)
			second_time = b.time;
		/* Funding: the series file, else the rows' own columns. */
		if (o.funding != NULL) {
			while (fsrc.have && fsrc.ev_time <= b.time) {
				bf_sim_funding(&sim, fsrc.ev_rate, fsrc.ev_mark,
				    b.open);
				funding_next(&fsrc);
			}
		} else if (bi.funding_rate >= 0 && bi.funding_time >= 0) {
			row_funding(rd, &bi, &rf, &sim, &b);
		}
		if (bf_sim_bar(&sim, &b) < 0)
			bf_die_err(&err);
		/* The order just executed came from the previous row. */
		if (sim.clipped && clip_warned++ < 10)
			bf_warn("stdin:%ld: target %g clipped to the leverage "
			    "limit (%g x equity, brackets)", prev_line,
			    prev_target, o.sim.acct.leverage);
		prev_line = bf_reader_line(rd);
		prev_target = b.target;
		if (w != NULL && write_equity(w, &fc, &sim, rd, bi.close,
		    b.time, &err) < 0)
			bf_die_err(&err);
		have_rows = true;
	}
	if (r < 0)
		bf_die_err(&err);
	interval = second_time > 0 ? second_time - sim.first_time : 0;
	if (clip_warned > 10)
		bf_warn("%ld targets clipped in all", sim.clips);
	if (bf_sim_finish(&sim) < 0)
		bf_die_err(&err);
	if (w != NULL && bf_writer_close(w, &err) < 0)
		bf_die_err(&err);
	if (tw != NULL) {
		if (bf_writer_close(tw, &err) < 0)
			bf_die_err(&err);
		if (close(tfd) != 0)
			bf_die(BF_EXIT_FAIL, "%s: %s", o.trades,
			    strerror(errno));
	}
	ppy = o.ppy > 0 ? o.ppy : interval > 0 ?
	    365.0 * 86400000.0 / (double)interval : 365;
	if (o.summary != NULL)
		write_summary(o.summary, &sim, ppy, interval, o.common.digits);
	if (o.funding != NULL)
		bf_reader_free(fsrc.rd);
	bf_reader_free(rd);
	bf_brackets_release(&br);
	free(o.cfg_symbol);
	free(o.cfg_brackets);
	return 0;
}
