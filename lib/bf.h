/* SPDX-License-Identifier: MIT */
/*
 * bf.h - the umbrella header of libbf, and the exit statuses every tool
 * uses (bf(7), EXIT STATUS).
 *
 * Tools include only this.  Library files include compat.h first and then
 * the module headers they need.
 */
#ifndef BF_H
#define BF_H

#include "compat.h"

#ifndef BF_VERSION
#define BF_VERSION "0.0.0"
#endif

/* Exit statuses (bf(7)).  Tool-specific statuses start at 4. */
enum {
	BF_EXIT_OK = 0,	   /* every record processed (warnings allowed) */
	BF_EXIT_FAIL = 1,  /* runtime: I/O, network, exchange refusal, model */
	BF_EXIT_USAGE = 2, /* bad command line or configuration */
	BF_EXIT_DATA = 3   /* invalid input data */
};

#include "err.h"
#include "log.h"
#include "util.h"
#include "num.h"
#include "bftime.h"
#include "rec.h"
#include "opt.h"
#include "cfg.h"

#endif /* BF_H */
