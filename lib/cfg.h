/* SPDX-License-Identifier: MIT */
/*
 * cfg.h - configuration: INI file, environment, flags (bf(7)).
 *
 * Precedence, highest first: a command-line flag (the tool applies it
 * after asking here), the environment, the configuration file, the
 * built-in default (the one config/bf.conf documents).
 *
 * The file is the -c flag's, else $BF_CONFIG's, else
 * ~/.config/bf/bf.conf if it exists; none at all is fine.  It is INI:
 * [section] lines and `key = value` lines; '#' and ';' start comments.
 *
 * The environment overrides any key as BF_<SECTION>_<KEY> in upper case
 * (BF_SIM_FEE_TAKER for [sim] fee_taker), plus the short names
 * BF_API_KEY, BF_API_SECRET and BF_BASE_URL for [exchange] api_key,
 * api_secret and base_url.
 *
 * API keys may live in a file only when no one but its owner can read
 * it: a file holding api_key or api_secret with group or other
 * permissions is refused (BF_EUSAGE).
 *
 * Ownership: strings returned are owned by the bf_cfg (or the
 * environment) and live until bf_cfg_free.
 */
#ifndef BF_CFG_H
#define BF_CFG_H

#include "compat.h"
#include "err.h"

struct bf_cfg;

/*
 * Load the configuration.  'path' is the -c flag (NULL if not given).
 * Returns a new bf_cfg, or NULL with 'err' filled (BF_EUSAGE: a file
 * named by -c or $BF_CONFIG that cannot be read, a syntax error with its
 * line number, unsafe permissions).
 */
struct bf_cfg *bf_cfg_load(const char *path, struct bf_err *err);

/* An empty configuration (defaults and environment only). */
struct bf_cfg *bf_cfg_new(void);

void bf_cfg_free(struct bf_cfg *cfg);

/* The file that was read, or NULL. */
const char *bf_cfg_file(const struct bf_cfg *cfg);

/* Set a value (used by tests and by tools for --set-like flags). */
void bf_cfg_set(struct bf_cfg *cfg, const char *section, const char *key,
    const char *value);

/* The value of [section] key: environment, then file; NULL if unset. */
const char *bf_cfg_get(const struct bf_cfg *cfg, const char *section,
    const char *key);

/*
 * Typed lookups: store the value (or 'def' when unset) in 'out'.
 * Returns 0, or BF_EUSAGE "config: [sim] fee_taker: invalid number 'x'".
 */
int bf_cfg_double(const struct bf_cfg *cfg, const char *section,
    const char *key, double def, double *out, struct bf_err *err);
int bf_cfg_long(const struct bf_cfg *cfg, const char *section,
    const char *key, long long def, long long *out, struct bf_err *err);
int bf_cfg_bool(const struct bf_cfg *cfg, const char *section,
    const char *key, bool def, bool *out, struct bf_err *err);
/* String lookup with a default; never NULL when 'def' is not. */
const char *bf_cfg_str(const struct bf_cfg *cfg, const char *section,
    const char *key, const char *def);

#endif /* BF_CFG_H */
