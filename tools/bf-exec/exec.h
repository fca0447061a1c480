/* SPDX-License-Identifier: MIT */
/*
 * exec.h - what the files of bf-exec share: the options and the order
 * event output.  main.c parses options and runs paper mode; rest.c
 * talks to the exchange (testnet, demo, live and the one-shot commands).
 */
#ifndef BF_EXEC_TOOL_H
#define BF_EXEC_TOOL_H

#include "bf.h"

#include <pthread.h>

#include "paper.h"
#include "promhttp.h"

enum {
	MODE_PAPER = 0,
	MODE_TESTNET,
	MODE_DEMO,
	MODE_LIVE
};

struct opts {
	struct bf_common common;
	struct bf_paper_cfg paper;
	int mode;			/* MODE_* */
	const char *cmd;		/* one-shot command, NULL: stream */
	const char *symbol;
	const char *brackets;		/* file, NULL: built-in */
	const char *journal;		/* NULL: none */
	const char *metrics_listen;	/* NULL: none */
	const char *kill_file;		/* NULL: none */
	const char *run_id;		/* NULL: from the journal, else new */
	const char *base_url;		/* NULL: by mode */
	bool live_ok;			/* --i-understand-live */
	/* One-shot order arguments. */
	const char *side, *type, *qty, *price, *coid, *order_id;
	bool reduce_only;
	long timeout_ms;		/* one request (10000) */
	long recon_delay_ms;		/* before each lookup (1000) */
	int recon_tries;		/* lookups after an unknown outcome (5) */
	struct bf_cfg *cfg;		/* owned */
	char *owned[8];			/* config strings kept */
	size_t nowned;
};

/* The order event columns (bf(7)). */
extern const char *const bf_exec_event_cols[13];

/* "paper", "testnet", "demo", "live" by MODE_*. */
extern const char *const exec_mode_words[4];

/* What the metrics show. */
struct exec_figures {
	long rows, orders, fills, errors;
	double equity, position, pnl, fees;
	bool halted;
	int64_t last_event_ms;	/* wall clock of the last event, 0: none */
};

/* The Prometheus exposition of 'f' into 'b' (reset first). */
void exec_metrics_text(struct bf_buf *b, const struct opts *o,
    const struct exec_figures *f);

/*
 * The metrics listener and the figures it shows: the trading loop
 * copies its figures in after every row (under the mutex), and each
 * scrape renders the text from the latest copy.
 */
struct exec_metrics {
	pthread_mutex_t mu;
	struct exec_figures f;		/* under mu */
	const struct opts *o;
	struct bf_prom *pm;		/* NULL: no listener */
};

/* Start the listener of --metrics-listen (none without it); dies on error. */
void exec_metrics_start(struct exec_metrics *m, const struct opts *o);

/* Publish the figures 'f'. */
void exec_metrics_update(struct exec_metrics *m, const struct exec_figures *f);

/* Stop the listener. */
void exec_metrics_stop(struct exec_metrics *m);

/* True when the kill file exists. */
bool exec_killed(const struct opts *o);

/* A new run id (8 hex digits) into 'out'. */
void exec_new_run_id(char *out, size_t cap);

/* The one-shot commands (rest.c); returns the exit status. */
int rest_command(struct opts *o);

/* Stream mode on the exchange (rest.c); returns the exit status. */
int rest_stream(struct opts *o);

#endif /* BF_EXEC_TOOL_H */
