/* SPDX-License-Identifier: MIT */
/*
 * brackets.c - leverage bracket tables: load, check, look up.  See
 * brackets.h for the model and the file format.
 *
 * Tables are short (a dozen tiers), so lookups scan linearly from the
 * bottom, where most positions are: a branch-predictable loop that beats
 * a binary search at this size and never allocates.
 */
#include "compat.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>

#include "brackets.h"
#include "rec.h"
#include "util.h"

/* A cum may differ from the recurrence by this much (USDT rounding). */
#define CUM_TOLERANCE 1.0

/*
 * The built-in tables: the same numbers as config/brackets-BTCUSDT.csv
 * and config/brackets-ETHUSDT.csv (Binance's public brackets as
 * snapshotted by freqtrade's binance_leverage_tiers.json, 2024-10).
 */
static const struct bf_bracket btcusdt[] = {
	{ 1, 0, 50000, 125, 0.004, 0 },
	{ 2, 50000, 600000, 100, 0.005, 50 },
	{ 3, 600000, 3000000, 75, 0.0065, 950 },
	{ 4, 3000000, 12000000, 50, 0.01, 11450 },
	{ 5, 12000000, 70000000, 25, 0.02, 131450 },
	{ 6, 70000000, 100000000, 20, 0.025, 481450 },
	{ 7, 100000000, 230000000, 10, 0.05, 2981450 },
	{ 8, 230000000, 480000000, 5, 0.1, 14481450 },
	{ 9, 480000000, 600000000, 4, 0.125, 26481450 },
	{ 10, 600000000, 800000000, 3, 0.15, 41481450 },
	{ 11, 800000000, 1200000000, 2, 0.25, 121481450 },
	{ 12, 1200000000, 1800000000, 1, 0.5, 421481450 },
};

static const struct bf_bracket ethusdt[] = {
	{ 1, 0, 50000, 125, 0.004, 0 },
	{ 2, 50000, 600000, 100, 0.005, 50 },
	{ 3, 600000, 3000000, 75, 0.0065, 950 },
	{ 4, 3000000, 12000000, 50, 0.01, 11450 },
	{ 5, 12000000, 50000000, 25, 0.02, 131450 },
	{ 6, 50000000, 65000000, 20, 0.025, 381450 },
	{ 7, 65000000, 150000000, 10, 0.05, 2006450 },
	{ 8, 150000000, 320000000, 5, 0.1, 9506450 },
	{ 9, 320000000, 400000000, 4, 0.125, 17506450 },
	{ 10, 400000000, 530000000, 3, 0.15, 27506450 },
	{ 11, 530000000, 800000000, 2, 0.25, 80506450 },
	{ 12, 800000000, 1200000000, 1, 0.5, 280506450 },
};

#define BUILTIN_AS_OF "2024-10-01"

void
bf_brackets_release(struct bf_brackets *bs)
{
	free(bs->b);
	bs->b = NULL;
	bs->n = 0;
	bs->symbol[0] = '\0';
	bs->as_of[0] = '\0';
}

/*
 * Check the 'n' tiers 'b': positive sizes, contiguous floors and caps,
 * rates in [0, 1) that never fall, leverage >= 1 that never rises, and
 * cum following the recurrence of brackets.h.  Returns 0 or BF_EDATA
 * with 'err' filled (naming the tier).
 */
static int
check(const struct bf_bracket *b, size_t n, struct bf_err *err)
{
	if (n == 0)
		return bf_err_set(err, BF_EDATA, "no brackets");
	for (size_t i = 0; i < n; i++) {
		const struct bf_bracket *t = &b[i];
		double want;

		if (!(t->floor >= 0) || !(t->cap > t->floor) ||
		    !isfinite(t->cap))
			return bf_err_set(err, BF_EDATA,
			    "bracket %d: floor %.17g and cap %.17g do not make a range",
			    t->id, t->floor, t->cap);
		if (!(t->mmr >= 0 && t->mmr < 1))
			return bf_err_set(err, BF_EDATA,
			    "bracket %d: maintenance rate %.17g not in [0, 1)",
			    t->id, t->mmr);
		if (!(t->max_lev >= 1) || !isfinite(t->max_lev))
			return bf_err_set(err, BF_EDATA,
			    "bracket %d: leverage %.17g below 1", t->id,
			    t->max_lev);
		if (!(t->cum >= 0) || !isfinite(t->cum))
			return bf_err_set(err, BF_EDATA,
			    "bracket %d: maintenance amount %.17g is negative",
			    t->id, t->cum);
		if (i == 0) {
			if (t->floor != 0)
				return bf_err_set(err, BF_EDATA,
				    "bracket %d: the first floor must be 0",
				    t->id);
			want = 0;
		} else {
			const struct bf_bracket *p = &b[i - 1];

			if (t->floor != p->cap)
				return bf_err_set(err, BF_EDATA,
				    "bracket %d: floor %.17g is not the previous cap %.17g",
				    t->id, t->floor, p->cap);
			if (t->mmr < p->mmr || t->max_lev > p->max_lev)
				return bf_err_set(err, BF_EDATA,
				    "bracket %d: maintenance rate falls or leverage rises",
				    t->id);
			want = p->cum + t->floor * (t->mmr - p->mmr);
		}
		if (fabs(t->cum - want) > CUM_TOLERANCE)
			return bf_err_set(err, BF_EDATA,
			    "bracket %d: maintenance amount %.17g, expected %.17g",
			    t->id, t->cum, want);
	}
	return 0;
}

int
bf_brackets_set(struct bf_brackets *bs, const struct bf_bracket *b, size_t n,
    struct bf_err *err)
{
	int r;

	bf_brackets_release(bs);
	if ((r = check(b, n, err)) < 0)
		return r;
	bs->b = bf_xmalloc(n * sizeof(*b));
	memcpy(bs->b, b, n * sizeof(*b));
	bs->n = n;
	return 0;
}

int
bf_brackets_fixed(struct bf_brackets *bs, double mmr, double cum,
    double max_lev, struct bf_err *err)
{
	bf_brackets_release(bs);
	if (!(mmr >= 0 && mmr < 1))
		return bf_err_set(err, BF_EUSAGE,
		    "maintenance rate %.17g not in [0, 1)", mmr);
	if (!(cum >= 0) || !isfinite(cum))
		return bf_err_set(err, BF_EUSAGE,
		    "maintenance amount %.17g is negative", cum);
	if (!(max_lev >= 1) || !isfinite(max_lev))
		return bf_err_set(err, BF_EUSAGE, "leverage %.17g below 1",
		    max_lev);
	bs->b = bf_xmalloc(sizeof(*bs->b));
	bs->b[0] = (struct bf_bracket){ 1, 0, INFINITY, max_lev, mmr, cum };
	bs->n = 1;
	return 0;
}

int
bf_brackets_builtin(struct bf_brackets *bs, const char *symbol,
    struct bf_err *err)
{
	const struct bf_bracket *b;
	size_t n;
	int r;

	if (symbol != NULL && strcmp(symbol, "BTCUSDT") == 0) {
		b = btcusdt;
		n = BF_ARRAY_SIZE(btcusdt);
	} else if (symbol != NULL && strcmp(symbol, "ETHUSDT") == 0) {
		b = ethusdt;
		n = BF_ARRAY_SIZE(ethusdt);
	} else {
		bf_brackets_release(bs);
		return bf_err_set(err, BF_EUSAGE,
		    "no built-in brackets for '%s' (give a brackets file)",
		    symbol ? symbol : "");
	}
	if ((r = bf_brackets_set(bs, b, n, err)) < 0)
		return r;
	snprintf(bs->symbol, sizeof(bs->symbol), "%s", symbol);
	snprintf(bs->as_of, sizeof(bs->as_of), "%s", BUILTIN_AS_OF);
	return 0;
}

/* The index of the first of the 'n' names that is a column of 'rd', or -1. */
static int
col_any(const struct bf_reader *rd, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int c = bf_reader_col(rd, names[i]);
		if (c >= 0)
			return c;
	}
	return -1;
}

/* Copy field 'col' of the current record into 'dst' (NUL-terminated). */
static void
field_copy(const struct bf_reader *rd, int col, char *dst, size_t dstsz)
{
	const struct bf_field *f;
	size_t len;

	dst[0] = '\0';
	if (col < 0)
		return;
	f = bf_reader_field(rd, (size_t)col);
	len = f->len < dstsz - 1 ? f->len : dstsz - 1;
	memcpy(dst, f->s, len);
	dst[len] = '\0';
}

/* Compare tiers by floor, for qsort. */
static int
cmp_floor(const void *a, const void *b)
{
	const struct bf_bracket *x = a, *y = b;

	return (x->floor > y->floor) - (x->floor < y->floor);
}

/* The numeric column names, each with its leverageBracket alias. */
static const char *const floor_names[] = { "notional_floor", "notionalFloor" };
static const char *const cap_names[] = { "notional_cap", "notionalCap" };
static const char *const lev_names[] = { "initial_leverage",
	"initialLeverage" };
static const char *const mmr_names[] = { "maint_margin_ratio",
	"maintMarginRatio" };
static const char *const cum_names[] = { "cum" };
static const char *const asof_names[] = { "as_of", "time" };

/*
 * Read the tiers of 'symbol' from 'rd' into a new array (stored in
 * '*out', count in '*np').  Returns 0 or a negative code with 'err'.
 */
static int
read_rows(struct bf_reader *rd, struct bf_brackets *bs, const char *symbol,
    struct bf_bracket **out, size_t *np, struct bf_err *err)
{
	const char *const *names[] = { floor_names, cap_names, lev_names,
		mmr_names, cum_names };
	const size_t nnames[] = { 2, 2, 2, 2, 1 };
	const char *label[] = { "notional_floor", "notional_cap",
		"initial_leverage", "maint_margin_ratio", "cum" };
	int col[5], sym_col, id_col, asof_col, r;
	struct bf_bracket *b = NULL;
	size_t n = 0, cap = 0;
	char sym[sizeof(bs->symbol)];

	for (size_t k = 0; k < 5; k++) {
		col[k] = col_any(rd, names[k], nnames[k]);
		if (col[k] < 0)
			return bf_err_set(err, BF_EDATA,
			    "%s:1: missing required column '%s'",
			    bf_reader_name(rd), label[k]);
	}
	sym_col = bf_reader_col(rd, "symbol");
	id_col = bf_reader_col(rd, "bracket");
	asof_col = col_any(rd, asof_names, 2);
	while ((r = bf_reader_next(rd, err)) > 0) {
		double v[5], id = 0;

		field_copy(rd, sym_col, sym, sizeof(sym));
		if (symbol != NULL && sym_col >= 0 && strcmp(sym, symbol) != 0)
			continue;
		if (symbol == NULL && n > 0 && strcmp(sym, bs->symbol) != 0) {
			r = bf_reader_error(rd, err,
			    "several symbols ('%s', '%s'): name one",
			    bs->symbol, sym);
			break;
		}
		memcpy(bs->symbol, sym, sizeof(sym));
		for (size_t k = 0; k < 5 && r > 0; k++) {
			r = bf_reader_double(rd, col[k], &v[k], err);
			if (r == 0)
				r = bf_reader_error(rd, err,
				    "column '%s': missing value", label[k]);
		}
		if (r > 0 && id_col >= 0 &&
		    (r = bf_reader_double(rd, id_col, &id, err)) == 0)
			r = 1;
		if (r < 0)
			break;
		field_copy(rd, asof_col, bs->as_of, sizeof(bs->as_of));
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			b = bf_xrealloc(b, cap * sizeof(*b));
		}
		b[n] = (struct bf_bracket){ id > 0 && id < 1e6 ? (int)id :
			(int)n + 1, v[0], v[1], v[2], v[3], v[4] };
		n++;
	}
	if (r < 0) {
		free(b);
		return r;
	}
	*out = b;
	*np = n;
	return 0;
}

/*
 * Member 'key' of object 'o' as a double: a JSON number or a string
 * holding one (leverageBracket documents numbers; some clients store
 * strings).  Returns 0, or -1 when it is absent or not a number.
 */
static int
json_num(const json_t *o, const char *key, double *out)
{
	const json_t *v = json_object_get(o, key);
	const char *s;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		return bf_parse_double(s, out);
	}
	return -1;
}

/*
 * The first byte of the file at 'path' that is not white space, or EOF
 * (also when it cannot be opened: the record reader reports that).
 */
static int
first_byte(const char *path)
{
	FILE *fp = fopen(path, "r");
	int c = EOF;

	if (fp == NULL)
		return EOF;
	while ((c = getc(fp)) != EOF && isspace(c))
		;
	fclose(fp);
	return c;
}

/*
 * Load the response of GET /fapi/v1/leverageBracket as the exchange sends
 * it: an array of {"symbol", "brackets": [...]}, or one such object.
 * Returns 0, 1 when the file is not that shape (the caller reads it as
 * records), or a negative code with 'err' filled.
 */
static int
load_api_json(struct bf_brackets *bs, const char *path, const char *symbol,
    struct bf_bracket **out, size_t *np, struct bf_err *err)
{
	static const char *const keys[] = { "notionalFloor", "notionalCap",
		"initialLeverage", "maintMarginRatio", "cum" };
	json_error_t jerr;
	json_t *root, *one;
	struct bf_bracket *b = NULL;
	size_t n = 0, i, j, nsym = 0;

	root = json_load_file(path, 0, &jerr);
	if (root == NULL)
		return 1;
	if (json_is_object(root) && json_is_array(json_object_get(root,
	    "brackets"))) {
		json_t *arr = json_array();
		json_array_append(arr, root);
		json_decref(root);
		root = arr;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		return 1;
	}
	json_array_foreach(root, i, one) {
		const json_t *sym = json_object_get(one, "symbol");
		const json_t *arr = json_object_get(one, "brackets"), *t;
		const char *name = json_is_string(sym) ? json_string_value(sym) :
		    "";

		if (!json_is_array(arr))
			continue;
		if (symbol != NULL && strcmp(name, symbol) != 0)
			continue;
		if (nsym++ > 0) {
			/* 'name' belongs to 'root': report before freeing it */
			bf_err_set(err, BF_EDATA,
			    "%s: several symbols ('%s', '%s'): name one", path,
			    bs->symbol, name);
			free(b);
			json_decref(root);
			return BF_EDATA;
		}
		snprintf(bs->symbol, sizeof(bs->symbol), "%s", name);
		b = bf_xcalloc(json_array_size(arr) + 1, sizeof(*b));
		json_array_foreach(arr, j, t) {
			double v[5], id = 0;

			for (size_t k = 0; k < 5; k++) {
				if (json_num(t, keys[k], &v[k]) < 0) {
					bf_err_set(err, BF_EDATA,
					    "%s: %s bracket %zu: missing or bad '%s'",
					    path, name, j + 1, keys[k]);
					free(b);
					json_decref(root);
					return BF_EDATA;
				}
			}
			json_num(t, "bracket", &id);
			b[n] = (struct bf_bracket){ id > 0 && id < 1e6 ?
				(int)id : (int)n + 1, v[0], v[1], v[2], v[3],
				v[4] };
			n++;
		}
	}
	json_decref(root);
	*out = b;
	*np = n;
	return 0;
}

int
bf_brackets_load(struct bf_brackets *bs, const char *path, const char *symbol,
    struct bf_err *err)
{
	struct bf_reader *rd;
	struct bf_bracket *b = NULL;
	char sym[sizeof(bs->symbol)], as_of[sizeof(bs->as_of)];
	size_t n = 0;
	int r, c;

	bf_brackets_release(bs);
	r = 1;
	c = first_byte(path);
	if (c == '[' || c == '{')
		r = load_api_json(bs, path, symbol, &b, &n, err);
	if (r < 0)
		return r;
	if (r > 0) {
		rd = bf_reader_open(path, BF_FMT_AUTO, err);
		if (rd == NULL) {
			if (err != NULL)
				err->code = BF_EUSAGE;
			return BF_EUSAGE;
		}
		r = bf_reader_start(rd, err);
		if (r == 0)
			r = bf_err_set(err, BF_EDATA, "%s: empty file", path);
		if (r > 0)
			r = read_rows(rd, bs, symbol, &b, &n, err);
		bf_reader_free(rd);
		if (r < 0)
			return r;
	}
	if (n == 0) {
		bf_brackets_release(bs);
		return bf_err_set(err, BF_EDATA, "%s: no brackets for '%s'",
		    path, symbol ? symbol : "");
	}
	qsort(b, n, sizeof(*b), cmp_floor);
	memcpy(sym, bs->symbol, sizeof(sym));
	memcpy(as_of, bs->as_of, sizeof(as_of));
	r = bf_brackets_set(bs, b, n, err);
	free(b);
	if (r < 0) {
		bf_err_prefix(err, "%s", path);
		return r;
	}
	memcpy(bs->symbol, sym, sizeof(sym));
	memcpy(bs->as_of, as_of, sizeof(as_of));
	return 0;
}

const struct bf_bracket *
bf_brackets_find(const struct bf_brackets *bs, double notional)
{
	size_t i = 0;

	/* upwards: most positions sit in the first tiers */
	while (i + 1 < bs->n && notional >= bs->b[i + 1].floor)
		i++;
	return &bs->b[i];
}

double
bf_brackets_mm(const struct bf_brackets *bs, double notional)
{
	const struct bf_bracket *t = bf_brackets_find(bs, notional);

	return notional * t->mmr - t->cum;
}

double
bf_brackets_max_leverage(const struct bf_brackets *bs, double notional)
{
	for (size_t i = 0; i < bs->n; i++)
		if (notional <= bs->b[i].cap)
			return bs->b[i].max_lev;
	return 0;
}

double
bf_brackets_max_notional(const struct bf_brackets *bs, double lev)
{
	double cap = 0;

	for (size_t i = 0; i < bs->n; i++)
		if (bs->b[i].max_lev >= lev)
			cap = bs->b[i].cap;
	return cap;
}
