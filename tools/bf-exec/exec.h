/* SPDX-License-Identifier: MIT */
/*
 * exec.h - what the files of bf-exec share: the options and the order
 * event output.  main.c parses options and runs paper mode; rest.c
 * talks to the exchange (testnet, demo, live and the one-shot commands).
 */
#ifndef BF_EXEC_TOOL_H
#define BF_EXEC_TOOL_H

#include "bf.h"

#include "paper.h"

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
	long timeout_ms;
	struct bf_cfg *cfg;		/* owned */
	char *owned[8];			/* config strings kept */
	size_t nowned;
};

/* The order event columns (bf(7)). */
extern const char *const bf_exec_event_cols[13];

#endif /* BF_EXEC_TOOL_H */
