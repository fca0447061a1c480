/* SPDX-License-Identifier: MIT */
/*
 * bf-exec - turn target exposures into orders: on a paper account run by
 * the backtest engine, or on the exchange (bf-exec(1)).
 *
 * This file is glue: options and configuration, the record reader, the
 * journal records, the metrics text, and the order event writer.  The
 * rules live in lib/paper.c (guards), lib/sim.c and lib/account.c
 * (fills), lib/journal.c (durability) and lib/promhttp.c (metrics).
 */
#include "exec.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barin.h"
#include "brackets.h"
#include "journal.h"
#include "json.h"
#include "promhttp.h"

static const char usage_text[] =
    "usage: bf-exec [--mode MODE] [options] < targets > order-events\n"
    "       bf-exec order --side SIDE --qty Q [--type T] [--price P] ...\n"
    "       bf-exec cancel | status (--client-order-id ID | --order-id N)\n"
    "       bf-exec positions | flatten\n"
    "Turn the target column of bars into orders; write order events.\n"
    "\n"
    "      --mode MODE            paper, testnet, demo or live (paper)\n"
    "      --i-understand-live    required by --mode live\n"
    "      --base-url URL         REST endpoint (default: by mode)\n"
    "      --timeout MS           one request's timeout (10000)\n"
    "      --reconcile-delay MS   wait before each lookup of an order\n"
    "                             whose answer was lost (1000)\n"
    "      --reconcile-tries N    lookups before it counts as absent (5)\n"
    "      --side SIDE            order: BUY or SELL\n"
    "      --type TYPE            order: MARKET or LIMIT (MARKET)\n"
    "      --qty Q                order: quantity (rounded to the step)\n"
    "      --price P              order: limit price (rounded to the tick)\n"
    "      --reduce-only          order: only reduce the position\n"
    "      --client-order-id ID   order, cancel, status: the client id\n"
    "      --order-id N           cancel, status: the exchange's id\n"
    "  -s, --symbol SYMBOL        contract (BTCUSDT)\n"
    "      --journal FILE         append every event to FILE; replay it at\n"
    "                             start to resume the same state\n"
    "      --run-id ID            client order id prefix (from the journal,\n"
    "                             else new)\n"
    "      --metrics-listen ADDR  serve Prometheus metrics on HOST:PORT\n"
    "      --kill-file FILE       when FILE exists: flatten and stop\n"
    "      --max-daily-loss R     halt for the day below (1 - R) x the\n"
    "                             day's starting equity (0: off)\n"
    "      --max-notional N       cap |position notional|, USDT (0: off)\n"
    "      --max-orders-per-day K orders per UTC day (0: off)\n"
    "  -e, --equity N             paper: starting balance, USDT (10000)\n"
    "      --fee-maker R          maker fee rate (0.0002)\n"
    "      --fee-taker R          taker fee rate (0.0005)\n"
    "      --fee-liquidation R    liquidation clearance fee rate (0.0125)\n"
    "      --slippage-bps N       fixed slippage, basis points (0)\n"
    "      --margin MODE          cross or isolated (cross)\n"
    "  -l, --leverage L           leverage setting (20)\n"
    "      --order TYPE           market or limit (market)\n"
    "      --rebalance WHEN       change or always (change)\n"
    "      --brackets FILE        leverage brackets CSV (default: built-in)\n"
    "      --step Q               quantity step size (0.001)\n"
    "      --tick P               price tick size (0.1)\n"
    "      --min-notional N       minimum order notional, USDT (100)\n"
    BF_COMMON_HELP;

enum {
	OPT_MODE = BF_OPT_TOOL,
	OPT_LIVE,
	OPT_BASE_URL,
	OPT_TIMEOUT,
	OPT_RECON_DELAY,
	OPT_RECON_TRIES,
	OPT_SIDE,
	OPT_TYPE,
	OPT_QTY,
	OPT_PRICE,
	OPT_REDUCE,
	OPT_COID,
	OPT_ORDER_ID,
	OPT_JOURNAL,
	OPT_RUN_ID,
	OPT_METRICS,
	OPT_KILL,
	OPT_MAX_LOSS,
	OPT_MAX_NOTIONAL,
	OPT_MAX_ORDERS,
	OPT_FEE_MAKER,
	OPT_FEE_TAKER,
	OPT_FEE_LIQ,
	OPT_SLIP_BPS,
	OPT_MARGIN,
	OPT_ORDER,
	OPT_REBALANCE,
	OPT_BRACKETS,
	OPT_STEP,
	OPT_TICK,
	OPT_MIN_NOTIONAL
};

static const struct option longopts[] = {
	BF_COMMON_LONGOPTS,
	{ "base-url", required_argument, NULL, OPT_BASE_URL },
	{ "brackets", required_argument, NULL, OPT_BRACKETS },
	{ "client-order-id", required_argument, NULL, OPT_COID },
	{ "i-understand-live", no_argument, NULL, OPT_LIVE },
	{ "order-id", required_argument, NULL, OPT_ORDER_ID },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "qty", required_argument, NULL, OPT_QTY },
	{ "reconcile-delay", required_argument, NULL, OPT_RECON_DELAY },
	{ "reconcile-tries", required_argument, NULL, OPT_RECON_TRIES },
	{ "reduce-only", no_argument, NULL, OPT_REDUCE },
	{ "side", required_argument, NULL, OPT_SIDE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "equity", required_argument, NULL, 'e' },
	{ "fee-liquidation", required_argument, NULL, OPT_FEE_LIQ },
	{ "fee-maker", required_argument, NULL, OPT_FEE_MAKER },
	{ "fee-taker", required_argument, NULL, OPT_FEE_TAKER },
	{ "journal", required_argument, NULL, OPT_JOURNAL },
	{ "kill-file", required_argument, NULL, OPT_KILL },
	{ "leverage", required_argument, NULL, 'l' },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "max-daily-loss", required_argument, NULL, OPT_MAX_LOSS },
	{ "max-notional", required_argument, NULL, OPT_MAX_NOTIONAL },
	{ "max-orders-per-day", required_argument, NULL, OPT_MAX_ORDERS },
	{ "metrics-listen", required_argument, NULL, OPT_METRICS },
	{ "min-notional", required_argument, NULL, OPT_MIN_NOTIONAL },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "rebalance", required_argument, NULL, OPT_REBALANCE },
	{ "run-id", required_argument, NULL, OPT_RUN_ID },
	{ "slippage-bps", required_argument, NULL, OPT_SLIP_BPS },
	{ "step", required_argument, NULL, OPT_STEP },
	{ "symbol", required_argument, NULL, 's' },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ NULL, 0, NULL, 0 }
};

const char *const bf_exec_event_cols[13] = {
	"time", "client_order_id", "order_id", "symbol", "side", "type",
	"qty", "price", "status", "filled_qty", "avg_price", "fee", "reason"
};

const char *const exec_mode_words[4] = { "paper", "testnet", "demo",
	"live" };

/* Keep a copy of a configuration string; NULL for unset or empty. */
static const char *
keep(struct opts *o, const char *v)
{
	if (v == NULL || *v == '\0' || o->nowned >= BF_ARRAY_SIZE(o->owned))
		return NULL;
	return o->owned[o->nowned++] = bf_strdup(v);
}

/* Defaults from the configuration file: [exec], [sim], [fees]. */
static void
load_config(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_cfg *cfg;
	struct bf_paper_cfg *p = &o->paper;
	struct bf_sim_cfg *s = &p->sim;
	long long k;

	cfg = bf_cfg_load(o->common.config, &err);
	if (cfg == NULL)
		bf_die_err(&err);
	o->cfg = cfg;
	if (bf_sim_cfg_load(s, cfg, &err) < 0 ||
	    bf_cfg_double(cfg, "exec", "max_daily_loss", 0,
	    &p->max_daily_loss, &err) ||
	    bf_cfg_double(cfg, "exec", "max_notional", 0, &p->max_notional,
	    &err) ||
	    bf_cfg_long(cfg, "exec", "max_orders_per_day", 0, &k, &err))
		bf_die_err(&err);
	p->max_orders_day = (long)k;
	o->mode = bf_opt_word("[exec] mode",
	    bf_cfg_str(cfg, "exec", "mode", "paper"), exec_mode_words, 4);
	o->symbol = keep(o, bf_cfg_str(cfg, "exec", "symbol", "BTCUSDT"));
	o->brackets = keep(o, bf_cfg_get(cfg, "sim", "brackets"));
	o->journal = keep(o, bf_cfg_get(cfg, "exec", "journal"));
	o->metrics_listen = keep(o, bf_cfg_get(cfg, "exec",
	    "metrics_listen"));
	o->kill_file = keep(o, bf_cfg_get(cfg, "exec", "kill_file"));
	o->run_id = keep(o, bf_cfg_get(cfg, "exec", "run_id"));
}

/* Check a run id: 1 to 16 letters and digits. */
static void
check_run_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > 16 || strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n)
		bf_usage_error("run id '%s': want 1 to 16 letters and digits",
		    id);
}

/* Parse the command line over the configuration's defaults. */
static void
parse_args(struct opts *o, int argc, char *argv[])
{
	struct bf_paper_cfg *p = &o->paper;
	struct bf_sim_cfg *s = &p->sim;
	int ch, i;

	memset(o, 0, sizeof(*o));
	bf_opt_init(&o->common);
	o->timeout_ms = 10000;
	o->recon_delay_ms = 1000;
	o->recon_tries = 5;
	/* A one-shot command comes first. */
	if (argc > 1 && argv[1][0] != '-') {
		static const char *const cmds[] = { "order", "cancel",
			"status", "positions", "flatten" };

		o->cmd = argv[1];
		bf_opt_word("command", o->cmd, cmds, BF_ARRAY_SIZE(cmds));
		argv[1] = argv[0];
		argc--;
		argv++;
	}
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
		case OPT_MODE:
			o->mode = bf_opt_word("mode", optarg, exec_mode_words, 4);
			break;
		case OPT_LIVE:
			o->live_ok = true;
			break;
		case OPT_BASE_URL:
			o->base_url = optarg;
			break;
		case OPT_TIMEOUT:
			o->timeout_ms = (long)bf_opt_double("timeout", optarg, 1,
			    600000);
			break;
		case OPT_RECON_DELAY:
			o->recon_delay_ms = (long)bf_opt_double("reconcile-delay",
			    optarg, 0, 60000);
			break;
		case OPT_RECON_TRIES:
			o->recon_tries = (int)bf_opt_double("reconcile-tries", optarg,
			    1, 100);
			break;
		case OPT_SIDE:
			o->side = optarg;
			break;
		case OPT_TYPE:
			o->type = optarg;
			break;
		case OPT_QTY:
			o->qty = optarg;
			break;
		case OPT_PRICE:
			o->price = optarg;
			break;
		case OPT_REDUCE:
			o->reduce_only = true;
			break;
		case OPT_COID:
			o->coid = optarg;
			break;
		case OPT_ORDER_ID:
			o->order_id = optarg;
			break;
		case OPT_JOURNAL:
			o->journal = optarg;
			break;
		case OPT_RUN_ID:
			o->run_id = optarg;
			break;
		case OPT_METRICS:
			o->metrics_listen = optarg;
			break;
		case OPT_KILL:
			o->kill_file = optarg;
			break;
		case OPT_MAX_LOSS:
			p->max_daily_loss = bf_opt_double("max-daily-loss", optarg,
			    0, 1);
			break;
		case OPT_MAX_NOTIONAL:
			p->max_notional = bf_opt_double("max-notional", optarg, 0,
			    1e15);
			break;
		case OPT_MAX_ORDERS:
			p->max_orders_day = (long)bf_opt_double("max-orders-per-day",
			    optarg, 0, 1e9);
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
		default:
			bf_opt_common(&o->common, ch, argv, usage_text);
		}
	}
	if (optind < argc)
		bf_usage_error("unexpected argument '%s'", argv[optind]);
	if (!(s->equity > 0))
		bf_usage_error("equity must be positive");
	if (o->run_id != NULL)
		check_run_id(o->run_id);
	if (o->mode == MODE_LIVE && !o->live_ok)
		bf_usage_error("--mode live trades real money: add "
		    "--i-understand-live");
	if (o->cmd != NULL && o->mode == MODE_PAPER)
		bf_usage_error("%s talks to the exchange: give --mode testnet, "
		    "demo or live", o->cmd);
	p->symbol = o->symbol;
	bf_opt_finish(&o->common);
}

/* ---- journal records ---- */

/* Append ,"key":v (null when not finite; 17 digits: exact). */
static void
j_num(struct bf_buf *b, const char *key, double v)
{
	if (isfinite(v))
		bf_buf_printf(b, ",\"%s\":%.17g", key, v);
	else
		bf_buf_printf(b, ",\"%s\":null", key);
}

/*
 * The settings the paper account's state depends on: a journal written
 * with other settings would not replay to the state it recorded.
 */
static void
settings_text(const struct opts *o, struct bf_buf *b)
{
	const struct bf_paper_cfg *p = &o->paper;
	const struct bf_sim_cfg *s = &p->sim;
	const struct bf_account_cfg *a = &s->acct;

	bf_buf_printf(b, "equity=%.17g leverage=%.17g margin=%s "
	    "fee_maker=%.17g fee_taker=%.17g fee_liq=%.17g step=%.17g "
	    "tick=%.17g min_notional=%.17g order=%s rebalance=%s "
	    "slippage_bps=%.17g slippage_model=%s slippage_k=%.17g "
	    "max_daily_loss=%.17g max_notional=%.17g "
	    "max_orders_per_day=%ld brackets=%s", s->equity, a->leverage,
	    bf_sim_margin_words[a->margin], a->fee_maker, a->fee_taker,
	    a->fee_liq, a->step, a->tick, a->min_notional,
	    bf_sim_order_words[s->order],
	    bf_sim_rebalance_words[s->rebalance], s->slip_bps,
	    bf_sim_slip_words[s->slip_model], s->slip_k, p->max_daily_loss,
	    p->max_notional, p->max_orders_day,
	    o->brackets != NULL ? o->brackets : "builtin");
}

/* One order event as a journal line. */
static void
j_event(struct bf_buf *b, const struct bf_order_ev *e, const char *symbol)
{
	bf_buf_printf(b, "{\"kind\":\"order\",\"time\":%lld,"
	    "\"client_order_id\":\"%s\",\"order_id\":%lld,\"symbol\":\"%s\","
	    "\"side\":\"%s\",\"type\":\"%s\"", (long long)e->time,
	    e->client_order_id, (long long)e->order_id, symbol,
	    bf_paper_side_name(e->side), e->type);
	j_num(b, "qty", e->qty);
	j_num(b, "price", e->price);
	bf_buf_printf(b, ",\"status\":\"%s\"", e->status);
	j_num(b, "filled_qty", e->filled_qty);
	j_num(b, "avg_price", e->avg_price);
	j_num(b, "fee", e->fee);
	bf_buf_printf(b, ",\"reason\":\"%s\"}\n", e->reason);
}

/* One bar as a journal line (the batch's commit line). */
static void
j_bar(struct bf_buf *b, const struct bf_bar *r, bool kill, bool have_fund,
    int64_t ft, double fr)
{
	bf_buf_printf(b, "{\"kind\":\"bar\",\"time\":%lld",
	    (long long)r->time);
	j_num(b, "open", r->open);
	j_num(b, "high", r->high);
	j_num(b, "low", r->low);
	j_num(b, "close", r->close);
	j_num(b, "volume", r->volume);
	j_num(b, "mark", r->mark);
	j_num(b, "mark_high", r->mark_high);
	j_num(b, "mark_low", r->mark_low);
	j_num(b, "target", r->target);
	j_num(b, "stop", r->stop);
	j_num(b, "take_profit", r->take_profit);
	j_num(b, "limit", r->limit);
	if (have_fund) {
		bf_buf_printf(b, ",\"funding_time\":%lld", (long long)ft);
		j_num(b, "funding_rate", fr);
	}
	bf_buf_printf(b, ",\"kill\":%s}\n", kill ? "true" : "false");
}

/* The replay state. */
struct replay {
	struct opts *o;
	struct bf_paper *p;
	struct bf_json js;
	bool started;		/* the start line was seen */
	char run_id[17];
	char settings[1024];
	char coid[BF_PAPER_MAXEV][BF_COID_MAX]; /* the batch's events */
	size_t nev;
	long events;		/* order lines in the journal */
	int64_t last_time;	/* the last bar's time */
	bool have_bar;
};

/* Member 'key' of the root object as a double (null: NAN). */
static int
js_num(struct replay *rp, const char *key, double *v, struct bf_err *err)
{
	long i = bf_json_get(&rp->js, 0, key);
	char tmp[64];
	const char *s;
	size_t n;
	char *end;

	*v = NAN;
	if (i < 0)
		return bf_err_set(err, BF_EDATA, "no '%s'", key);
	if (rp->js.t[i].type == BF_JSON_NULL)
		return 0;
	s = bf_json_text(&rp->js, (size_t)i, &n);
	if (rp->js.t[i].type != BF_JSON_NUMBER || n >= sizeof(tmp))
		return bf_err_set(err, BF_EDATA, "'%s': not a number", key);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	return 0;
}

/* Member 'key' of the root object copied as a string into 'out'. */
static int
js_str(struct replay *rp, const char *key, char *out, size_t cap,
    struct bf_err *err)
{
	long i = bf_json_get(&rp->js, 0, key);
	const char *s;
	size_t n;

	if (i < 0 || rp->js.t[i].type != BF_JSON_STRING)
		return bf_err_set(err, BF_EDATA, "no string '%s'", key);
	s = bf_json_text(&rp->js, (size_t)i, &n);
	if (n >= cap)
		return bf_err_set(err, BF_EDATA, "'%s' too long", key);
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Replay one bar line: the engine must make the journaled events. */
static int
replay_bar(struct replay *rp, struct bf_err *err)
{
	struct bf_bar b;
	int64_t t;
	long i = bf_json_get(&rp->js, 0, "time"), k;

	if (i < 0 || bf_json_i64(&rp->js, (size_t)i, &t) < 0)
		return bf_err_set(err, BF_EDATA, "bar without a time");
	b.time = t;
	if (js_num(rp, "open", &b.open, err) || js_num(rp, "high", &b.high,
	    err) || js_num(rp, "low", &b.low, err) || js_num(rp, "close",
	    &b.close, err) || js_num(rp, "volume", &b.volume, err) ||
	    js_num(rp, "mark", &b.mark, err) || js_num(rp, "mark_high",
	    &b.mark_high, err) || js_num(rp, "mark_low", &b.mark_low, err) ||
	    js_num(rp, "target", &b.target, err) || js_num(rp, "stop",
	    &b.stop, err) || js_num(rp, "take_profit", &b.take_profit, err) ||
	    js_num(rp, "limit", &b.limit, err))
		return BF_EDATA;
	if (rp->have_bar && t <= rp->last_time)
		return bf_err_set(err, BF_EDATA, "bar time %lld not after %lld",
		    (long long)t, (long long)rp->last_time);
	{
		long fi = bf_json_get(&rp->js, 0, "funding_time");
		int64_t ft = 0;
		double fr = NAN;

		if (fi >= 0 && (bf_json_i64(&rp->js, (size_t)fi, &ft) < 0 ||
		    js_num(rp, "funding_rate", &fr, err) < 0))
			return bf_err_set(err, BF_EDATA, "bad funding");
		bf_paper_funding(rp->p, &b, fi >= 0 && isfinite(fr), ft, fr);
	}
	k = bf_json_get(&rp->js, 0, "kill");
	if (bf_paper_bar(rp->p, &b, k >= 0 &&
	    rp->js.t[k].type == BF_JSON_TRUE, err) < 0)
		return BF_EFAIL;
	if (rp->p->nev != rp->nev)
		return bf_err_set(err, BF_EDATA, "the journal has %zu events "
		    "for bar %lld, the engine makes %zu", rp->nev,
		    (long long)t, rp->p->nev);
	for (size_t e = 0; e < rp->nev; e++)
		if (strcmp(rp->coid[e], rp->p->ev[e].client_order_id) != 0)
			return bf_err_set(err, BF_EDATA, "event '%s' replays "
			    "as '%s'", rp->coid[e],
			    rp->p->ev[e].client_order_id);
	rp->nev = 0;
	rp->last_time = t;
	rp->have_bar = true;
	return 1;
}

/* The journal's replay callback (journal.h). */
static int
replay_line(void *ctx, char *line, size_t len, struct bf_err *err)
{
	struct replay *rp = ctx;
	char kind[16];
	struct bf_buf st = BF_BUF_INIT;
	int r;

	if (bf_json_parse(&rp->js, line, len, err) < 0)
		return BF_EDATA;
	if (rp->js.t[0].type != BF_JSON_OBJECT ||
	    js_str(rp, "kind", kind, sizeof(kind), err) < 0)
		return bf_err_set(err, BF_EDATA, "not a journal record");
	if (strcmp(kind, "start") == 0) {
		if (rp->started)
			return bf_err_set(err, BF_EDATA, "a second start");
		if (js_str(rp, "run_id", rp->run_id, sizeof(rp->run_id),
		    err) < 0 || js_str(rp, "settings", rp->settings,
		    sizeof(rp->settings), err) < 0)
			return BF_EDATA;
		bf_buf_init(&st);
		settings_text(rp->o, &st);
		r = strcmp(st.buf, rp->settings);
		bf_buf_release(&st);
		if (r != 0)
			return bf_err_set(err, BF_EUSAGE, "written with other "
			    "settings (%s)", rp->settings);
		if (rp->o->run_id != NULL && strcmp(rp->o->run_id,
		    rp->run_id) != 0)
			return bf_err_set(err, BF_EUSAGE, "written by run id "
			    "'%s', not '%s'", rp->run_id, rp->o->run_id);
		bf_paper_init(rp->p, &rp->o->paper, rp->run_id);
		rp->started = true;
		return 1;
	}
	if (!rp->started)
		return bf_err_set(err, BF_EDATA, "no start record first");
	if (strcmp(kind, "order") == 0) {
		if (rp->nev >= BF_PAPER_MAXEV)
			return bf_err_set(err, BF_EDATA, "too many events");
		if (js_str(rp, "client_order_id", rp->coid[rp->nev],
		    BF_COID_MAX, err) < 0)
			return BF_EDATA;
		rp->nev++;
		rp->events++;
		return 0;
	}
	if (strcmp(kind, "bar") == 0)
		return replay_bar(rp, err);
	return bf_err_set(err, BF_EDATA, "unknown kind '%s'", kind);
}

/* A new run id: 8 hex digits of the clock and the process id. */
void
exec_new_run_id(char *out, size_t cap)
{
	uint64_t x = (uint64_t)bf_time_now_ms() * 2654435761u ^
	    (uint64_t)getpid() * 40503u;

	snprintf(out, cap, "%08llx", (unsigned long long)(x & 0xffffffffu));
}

/* ---- metrics ---- */

/* The Prometheus exposition of the run's figures; see exec.h. */
void
exec_metrics_text(struct bf_buf *b, const struct opts *o,
    const struct exec_figures *f)
{
	const char *m = exec_mode_words[o->mode];

	bf_buf_reset(b);
#define GAUGE(name, help, fmt, v) \
	bf_buf_printf(b, "# HELP bf_exec_" name " " help "\n" \
	    "# TYPE bf_exec_" name " gauge\n" \
	    "bf_exec_" name "{mode=\"%s\",symbol=\"%s\"} " fmt "\n", m, \
	    o->symbol, v)
#define COUNTER(name, help, v) \
	bf_buf_printf(b, "# HELP bf_exec_" name " " help "\n" \
	    "# TYPE bf_exec_" name " counter\n" \
	    "bf_exec_" name "{mode=\"%s\",symbol=\"%s\"} %ld\n", m, \
	    o->symbol, (long)(v))
	COUNTER("rows_total", "Target rows processed.", f->rows);
	COUNTER("orders_total", "Orders made (signal, kill, breaker).",
	    f->orders);
	COUNTER("fills_total", "Fills, stops and liquidations included.",
	    f->fills);
	COUNTER("errors_total", "Errors met.", f->errors);
	GAUGE("equity", "Equity (margin balance), USDT.", "%.17g", f->equity);
	GAUGE("position", "Signed position, base asset.", "%.17g",
	    f->position);
	GAUGE("pnl", "Equity less the starting equity, USDT.", "%.17g",
	    f->pnl);
	GAUGE("fees", "Fees paid, USDT.", "%.17g", f->fees);
	GAUGE("halted", "1 while a breaker or the kill switch holds.", "%d",
	    f->halted ? 1 : 0);
	GAUGE("last_event_timestamp_seconds",
	    "Time of the last order event.", "%.3f",
	    (double)f->last_event_ms / 1000.0);
#undef GAUGE
#undef COUNTER
}

/* The scrape's render callback: the text of the latest figures. */
static void
render(void *ctx, struct bf_buf *out)
{
	struct exec_metrics *m = ctx;
	struct exec_figures f;

	pthread_mutex_lock(&m->mu);
	f = m->f;
	pthread_mutex_unlock(&m->mu);
	exec_metrics_text(out, m->o, &f);
}

/* Start the listener; see exec.h. */
void
exec_metrics_start(struct exec_metrics *m, const struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;

	memset(&m->f, 0, sizeof(m->f));
	m->o = o;
	m->pm = NULL;
	pthread_mutex_init(&m->mu, NULL);
	if (o->metrics_listen == NULL)
		return;
	m->pm = bf_prom_start(o->metrics_listen, &err);
	if (m->pm == NULL)
		bf_die_err(&err);
	bf_prom_set_render(m->pm, render, m);
	bf_info("metrics on http://%s (port %d)", o->metrics_listen,
	    bf_prom_port(m->pm));
}

/* Publish the figures; see exec.h. */
void
exec_metrics_update(struct exec_metrics *m, const struct exec_figures *f)
{
	if (m->pm == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	m->f = *f;
	pthread_mutex_unlock(&m->mu);
}

/* Stop the listener; see exec.h. */
void
exec_metrics_stop(struct exec_metrics *m)
{
	bf_prom_stop(m->pm);
	m->pm = NULL;
	pthread_mutex_destroy(&m->mu);
}

/* The paper account's figures. */
static void
paper_figures(struct exec_figures *f, const struct opts *o,
    const struct bf_paper *p, long rows, long errors, int64_t last_ev)
{
	f->rows = rows;
	f->orders = p->orders;
	f->fills = p->fills;
	f->errors = errors;
	f->equity = bf_paper_equity(p);
	f->position = p->sim.acct.qty;
	f->pnl = f->equity - o->paper.sim.equity;
	f->fees = p->sim.acct.fees;
	f->halted = p->halt != 0;
	f->last_event_ms = last_ev;
}

/* ---- paper mode ---- */

/* Write one order event record. */
static int
write_event(struct bf_writer *w, const struct bf_order_ev *e,
    const char *symbol, struct bf_err *err)
{
	const char *side = bf_paper_side_name(e->side);

	bf_writer_set_i64(w, 0, e->time);
	bf_writer_set_text(w, 1, e->client_order_id,
	    strlen(e->client_order_id));
	bf_writer_set_i64(w, 2, e->order_id);
	bf_writer_set_text(w, 3, symbol, strlen(symbol));
	bf_writer_set_text(w, 4, side, strlen(side));
	bf_writer_set_text(w, 5, e->type, strlen(e->type));
	bf_writer_set_double(w, 6, e->qty);
	bf_writer_set_double(w, 7, e->price);
	bf_writer_set_text(w, 8, e->status, strlen(e->status));
	bf_writer_set_double(w, 9, e->filled_qty);
	bf_writer_set_double(w, 10, e->avg_price);
	bf_writer_set_double(w, 11, e->fee);
	bf_writer_set_text(w, 12, e->reason, strlen(e->reason));
	return bf_writer_emit(w, NULL, err);
}

/* True when the kill file exists; see exec.h. */
bool
exec_killed(const struct opts *o)
{
	struct stat st;

	return o->kill_file != NULL && stat(o->kill_file, &st) == 0;
}

/* Stream mode on the paper account.  Returns the exit status. */
static int
run_paper(struct opts *o)
{
	struct bf_err err = BF_ERR_INIT;
	struct bf_brackets br = BF_BRACKETS_INIT;
	struct bf_journal jn;
	struct replay rp;
	struct bf_paper *p = bf_xcalloc(1, sizeof(*p));
	struct bf_reader *rd;
	struct bf_writer *w = NULL;
	struct bf_barin bi;
	struct bf_bar b;
	struct bf_buf jb = BF_BUF_INIT;
	struct exec_metrics em;
	struct exec_figures fig;
	char run_id[17];
	long rows = 0, skipped = 0, errors = 0;
	int64_t last_ev = 0, ft = 0;
	double fr = NAN;
	int r, fmt, fund, status = 0;
	bool kill = false;

	if (o->brackets != NULL)
		r = bf_brackets_load(&br, o->brackets, o->symbol, &err);
	else
		r = bf_brackets_builtin(&br, o->symbol, &err);
	if (r < 0)
		bf_die_err(&err);
	o->paper.sim.acct.brackets = &br;
	if (bf_account_cfg_check(&o->paper.sim.acct, &err) < 0)
		bf_die_err(&err);
	if (exec_killed(o))
		bf_die(BF_EXIT_FAIL, "kill switch '%s' present: not starting",
		    o->kill_file);
	bf_buf_init(&jb);
	memset(&rp, 0, sizeof(rp));
	memset(&jn, 0, sizeof(jn));
	jn.fd = -1;
	if (o->journal != NULL) {
		rp.o = o;
		rp.p = p;
		bf_json_init(&rp.js);
		r = bf_journal_open(&jn, o->journal, replay_line, &rp, &err);
		bf_json_release(&rp.js);
		if (r < 0)
			bf_die_err(&err);
		if (jn.torn > 0)
			bf_warn("%s: cut off %lld bytes of an unfinished "
			    "write", o->journal, (long long)jn.torn);
		if (rp.nev > 0)
			bf_warn("%s: %zu events without their bar dropped",
			    o->journal, rp.nev);
		if (rp.started)
			bf_info("%s: replayed %ld bars, %ld events; position "
			    "%g, equity %.2f", o->journal, p->bars, rp.events,
			    p->sim.acct.qty, bf_paper_equity(p));
		/* The kill switch holds for the process that saw it. */
		p->halt &= ~BF_HALT_KILL;
	}
	if (!rp.started) {
		if (o->run_id != NULL)
			snprintf(run_id, sizeof(run_id), "%s", o->run_id);
		else
			exec_new_run_id(run_id, sizeof(run_id));
		bf_paper_init(p, &o->paper, run_id);
		if (o->journal != NULL) {
			bf_buf_printf(&jb, "{\"kind\":\"start\",\"version\":1,"
			    "\"mode\":\"paper\",\"run_id\":\"%s\","
			    "\"symbol\":\"%s\",\"settings\":\"", run_id,
			    o->symbol);
			settings_text(o, &jb);
			bf_buf_adds(&jb, "\"}\n");
			if (bf_journal_append(&jn, jb.buf, jb.len, &err) < 0)
				bf_die_err(&err);
		}
	}
	exec_metrics_start(&em, o);
	paper_figures(&fig, o, p, rows, errors, last_ev);
	exec_metrics_update(&em, &fig);

	rd = bf_reader_new(0, "stdin", o->common.in_fmt);
	r = bf_reader_start(rd, &err);
	if (r < 0)
		bf_die_err(&err);
	if (r > 0 && bf_barin_init(&bi, rd, &err) < 0)
		bf_die_err(&err);
	fmt = bf_opt_out_format(&o->common,
	    r > 0 ? bf_reader_format(rd) : BF_FMT_CSV);
	w = bf_writer_new(1, fmt, o->common.digits,
	    o->common.unbuffered ? BF_WRITER_UNBUFFERED : 0);
	if (bf_writer_start(w, NULL, bf_exec_event_cols,
	    BF_ARRAY_SIZE(bf_exec_event_cols), &err) < 0)
		bf_die_err(&err);
	bf_writer_link(w, rd);
	while (r > 0 && (r = bf_reader_next(rd, &err)) > 0) {
		if (bf_barin_read(&bi, rd, &b, &err) < 0)
			bf_die_err(&err);
		if (rp.have_bar && b.time <= rp.last_time) {
			skipped++;
			continue;
		}
		kill = exec_killed(o);
		fund = bf_barin_funding(&bi, rd, &ft, &fr, &err);
		if (fund < 0)
			bf_die_err(&err);
		bf_paper_funding(p, &b, fund > 0, ft, fr);
		if (bf_paper_bar(p, &b, kill, &err) < 0)
			bf_die_err(&err);
		rows++;
		/* Write ahead: the journal first, then the events out. */
		if (o->journal != NULL) {
			bf_buf_reset(&jb);
			for (size_t e = 0; e < p->nev; e++)
				j_event(&jb, &p->ev[e], o->symbol);
			j_bar(&jb, &b, kill, fund > 0, ft, fr);
			if (bf_journal_append(&jn, jb.buf, jb.len, &err) < 0)
				bf_die_err(&err);
		}
		for (size_t e = 0; e < p->nev; e++)
			if (write_event(w, &p->ev[e], o->symbol, &err) < 0)
				bf_die_err(&err);
		if (p->nev > 0)
			last_ev = bf_time_now_ms();
		if (p->tripped & BF_HALT_DAILY)
			bf_warn("%lld: max daily loss %g reached (equity %.2f, "
			    "day start %.2f): flat until the next UTC day",
			    (long long)b.time, o->paper.max_daily_loss,
			    bf_paper_equity(p), p->day_equity);
		if (em.pm != NULL) {
			paper_figures(&fig, o, p, rows, errors, last_ev);
			exec_metrics_update(&em, &fig);
		}
		if (kill) {
			bf_error("kill switch '%s': position closed at %lld, "
			    "stopping", o->kill_file, (long long)b.time);
			status = BF_EXIT_FAIL;
			break;
		}
	}
	if (r < 0)
		bf_die_err(&err);
	if (skipped > 0)
		bf_info("skipped %ld rows already in the journal", skipped);
	if (bf_writer_close(w, &err) < 0)
		bf_die_err(&err);
	exec_metrics_stop(&em);
	bf_journal_close(&jn);
	bf_reader_free(rd);
	bf_buf_release(&jb);
	bf_brackets_release(&br);
	free(p);
	return status;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	int status;

	bf_setprogname("bf-exec");
	parse_args(&o, argc, argv);
	if (o.cmd != NULL)
		status = rest_command(&o);
	else if (o.mode != MODE_PAPER)
		status = rest_stream(&o);
	else
		status = run_paper(&o);
	for (size_t i = 0; i < o.nowned; i++)
		free(o.owned[i]);
	bf_cfg_free(o.cfg);
	return status;
}
