/* SPDX-License-Identifier: MIT */
/*
 * cfg.c - configuration from an INI file (libinih) and the environment.
 * See cfg.h.
 */
#include "compat.h"

#include <errno.h>
#include <ini.h>
#include <sys/stat.h>

#include "cfg.h"
#include "util.h"

struct entry {
	char *section;	/* owned */
	char *key;	/* owned */
	char *value;	/* owned */
};

struct bf_cfg {
	struct entry *e;	/* owned */
	size_t n, cap;
	char *file;		/* owned; NULL if none was read */
};

struct bf_cfg *
bf_cfg_new(void)
{
	return bf_xcalloc(1, sizeof(struct bf_cfg));
}

void
bf_cfg_free(struct bf_cfg *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->e[i].section);
		free(cfg->e[i].key);
		free(cfg->e[i].value);
	}
	free(cfg->e);
	free(cfg->file);
	free(cfg);
}

const char *
bf_cfg_file(const struct bf_cfg *cfg)
{
	return cfg->file;
}

void
bf_cfg_set(struct bf_cfg *cfg, const char *section, const char *key,
    const char *value)
{
	for (size_t i = 0; i < cfg->n; i++)
		if (strcmp(cfg->e[i].section, section) == 0 &&
		    strcmp(cfg->e[i].key, key) == 0) {
			free(cfg->e[i].value);
			cfg->e[i].value = bf_strdup(value);
			return;
		}
	if (cfg->n == cfg->cap) {
		cfg->cap = cfg->cap ? cfg->cap * 2 : 16;
		cfg->e = bf_xrealloc(cfg->e, cfg->cap * sizeof(*cfg->e));
	}
	cfg->e[cfg->n].section = bf_strdup(section);
	cfg->e[cfg->n].key = bf_strdup(key);
	cfg->e[cfg->n].value = bf_strdup(value);
	cfg->n++;
}

static int
on_entry(void *user, const char *section, const char *key, const char *value)
{
	bf_cfg_set(user, section, key, value);
	return 1;
}

struct bf_cfg *
bf_cfg_load(const char *path, struct bf_err *err)
{
	struct bf_cfg *cfg = bf_cfg_new();
	char home[4096];
	const char *env;
	bool must = true;
	FILE *fp;
	int line;
	struct stat st;

	if (path == NULL && (env = getenv("BF_CONFIG")) != NULL && *env)
		path = env;
	if (path == NULL) {
		const char *h = getenv("HOME");
		if (h == NULL || !*h)
			return cfg;
		snprintf(home, sizeof(home), "%s/.config/bf/bf.conf", h);
		path = home;
		must = false;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		if (!must && errno == ENOENT)
			return cfg;
		bf_err_set(err, BF_EUSAGE, "config %s: %s", path,
		    strerror(errno));
		bf_cfg_free(cfg);
		return NULL;
	}
	line = ini_parse_file(fp, on_entry, cfg);
	if (line != 0) {
		bf_err_set(err, BF_EUSAGE, "config %s:%d: syntax error",
		    path, line > 0 ? line : 0);
		fclose(fp);
		bf_cfg_free(cfg);
		return NULL;
	}
	if (fstat(fileno(fp), &st) == 0 && (st.st_mode & 077) != 0) {
		for (size_t i = 0; i < cfg->n; i++)
			if (strcmp(cfg->e[i].key, "api_key") == 0 ||
			    strcmp(cfg->e[i].key, "api_secret") == 0) {
				bf_err_set(err, BF_EUSAGE,
				    "config %s: holds API keys but others may read it (chmod 600 it)",
				    path);
				fclose(fp);
				bf_cfg_free(cfg);
				return NULL;
			}
	}
	fclose(fp);
	cfg->file = bf_strdup(path);
	return cfg;
}

static const char *
from_env(const struct bf_cfg *cfg, const char *section, const char *key)
{
	static const struct {
		const char *section, *key, *var;
	} alias[] = {
		{ "exchange", "api_key", "BF_API_KEY" },
		{ "exchange", "api_secret", "BF_API_SECRET" },
		{ "exchange", "base_url", "BF_BASE_URL" },
	};
	char name[256];
	size_t n = 0;
	const char *v;

	(void)cfg;
	for (size_t i = 0; i < BF_ARRAY_SIZE(alias); i++)
		if (strcmp(alias[i].section, section) == 0 &&
		    strcmp(alias[i].key, key) == 0 &&
		    (v = getenv(alias[i].var)) != NULL && *v)
			return v;
	n = (size_t)snprintf(name, sizeof(name), "BF_%s_%s", section, key);
	if (n >= sizeof(name))
		return NULL;
	for (char *p = name; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
		else if (*p == '-' || *p == '.')
			*p = '_';
	}
	v = getenv(name);
	return v && *v ? v : NULL;
}

const char *
bf_cfg_get(const struct bf_cfg *cfg, const char *section, const char *key)
{
	const char *v = from_env(cfg, section, key);

	if (v)
		return v;
	for (size_t i = 0; i < cfg->n; i++)
		if (strcmp(cfg->e[i].section, section) == 0 &&
		    strcmp(cfg->e[i].key, key) == 0)
			return cfg->e[i].value;
	return NULL;
}

const char *
bf_cfg_str(const struct bf_cfg *cfg, const char *section, const char *key,
    const char *def)
{
	const char *v = bf_cfg_get(cfg, section, key);

	return v ? v : def;
}

int
bf_cfg_double(const struct bf_cfg *cfg, const char *section,
    const char *key, double def, double *out, struct bf_err *err)
{
	const char *v = bf_cfg_get(cfg, section, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (bf_parse_double(v, out) < 0)
		return bf_err_set(err, BF_EUSAGE,
		    "config: [%s] %s: invalid number '%s'", section, key, v);
	return 0;
}

int
bf_cfg_long(const struct bf_cfg *cfg, const char *section, const char *key,
    long long def, long long *out, struct bf_err *err)
{
	const char *v = bf_cfg_get(cfg, section, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (bf_parse_long(v, INT64_MIN, INT64_MAX, out) < 0)
		return bf_err_set(err, BF_EUSAGE,
		    "config: [%s] %s: invalid integer '%s'", section, key, v);
	return 0;
}

int
bf_cfg_bool(const struct bf_cfg *cfg, const char *section, const char *key,
    bool def, bool *out, struct bf_err *err)
{
	const char *v = bf_cfg_get(cfg, section, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (bf_strieq(v, "true") || bf_strieq(v, "yes") ||
	    strcmp(v, "1") == 0 || bf_strieq(v, "on")) {
		*out = true;
		return 0;
	}
	if (bf_strieq(v, "false") || bf_strieq(v, "no") ||
	    strcmp(v, "0") == 0 || bf_strieq(v, "off")) {
		*out = false;
		return 0;
	}
	return bf_err_set(err, BF_EUSAGE,
	    "config: [%s] %s: invalid boolean '%s'", section, key, v);
}
