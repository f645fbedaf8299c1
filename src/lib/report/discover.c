/* SPDX-License-Identifier: MIT */
/* discover.c - segments of a history whose leads rarely convert, as rules
 * could be written for them: each text value of each column (trimmed,
 * ignoring case, missing values as empty), and numeric columns cut at
 * their deciles (lt, gte). Counts are exact and memory is bounded: a
 * column keeps at most max_values distinct values (the rest counted as
 * other, the column marked capped); a numeric column past it coarsens
 * its numbers to fewer significant digits, rounding down, so every cut
 * still counts exactly. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "report/proportion.h"
#include "rules/rules.h"

/* A distinct value and its leads, [converted]. Text keys are folded;
 * number keys are the double's bytes. */
struct entry {
	char *key;
	size_t len;
	char *shown;                 /* the first spelling seen (text), or NULL */
	double number;
	uint64_t count[2];
};

struct map {
	struct entry *e;
	size_t n, cap;
	uint32_t *slots;             /* open addressing: index + 1, 0 empty */
	size_t nslots;               /* a power of two, at least 2n */
};

struct column {
	char *name;
	struct map text, numbers, dates; /* dates: keyed by day number */
	struct map domains;          /* e-mail domains, folded */
	uint64_t at;                 /* non-empty cells holding an @ */
	uint64_t free_mail[2], company_mail[2]; /* addresses at free-mail domains, and not */
	uint64_t empty[2];           /* blank or a missing value */
	uint64_t other[2];           /* text values past the cap */
	uint64_t filled, numeric;    /* non-empty cells, and those that are numbers */
	uint64_t dated;              /* ... and those that are dates */
	uint64_t integers;           /* numbers without a fraction */
	int date_unit;               /* dates kept by day (0), month (1) or year (2) */
	const struct missing_values *missing; /* its placeholders */
	/* Readings a column has shown it needs no more: a column must be 90%
	 * numbers, dates or addresses to be read as such, so one that is not
	 * 10% so after its first SETTLED cells never will be. */
	bool no_numbers, no_dates, no_mail;
	int digits;                  /* significant digits numbers keep; 0: all */
	bool text_capped;
	bool text_unique;            /* capped, and nearly every value seen once: an
	                              * id, whose values need no more looking up */
	ls_discover_column_kind kind;
};

struct ls_discover {
	const ls_ruleset *rs;
	struct column *cols;
	size_t ncols;
	size_t max_values;
	char *fold;                  /* scratch for folding a cell */
	size_t fold_cap;
	uint64_t leads, converted;
	ls_segment *segs;
	size_t nsegs, segs_cap;
	size_t tried;                /* candidates tested */
	size_t *order;               /* after pass two: best first */
	ls_ruleset *probe_rs;        /* pass two: a rule per probed segment */
	ls_engine *probe;
	size_t *probe_seg;           /* its rule k probes segment probe_seg[k] */
	size_t nprobes;
	uint64_t test_leads, test_converted;
};

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void map_free(struct map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->e[i].key);
		free(m->e[i].shown);
	}
	free(m->e);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static bool map_rehash(struct map *m, size_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	size_t i;

	if (slots == NULL)
		return false;
	for (i = 0; i < m->n; i++) {
		size_t s = hash(m->e[i].key, m->e[i].len) & (nslots - 1);
		while (slots[s] != 0)
			s = (s + 1) & (nslots - 1);
		slots[s] = (uint32_t)(i + 1);
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
	return true;
}

/* The entry of key, made when new: NULL when out of memory, or, with
 * *full, when the map already holds max entries. */
static struct entry *map_find(struct map *m, const char *key, size_t len, size_t max, bool *full)
{
	size_t s;
	struct entry *e;

	*full = false;
	if (m->nslots == 0 && !map_rehash(m, 16))
		return NULL;
	for (s = hash(key, len) & (m->nslots - 1); m->slots[s] != 0; s = (s + 1) & (m->nslots - 1)) {
		e = &m->e[m->slots[s] - 1];
		if (e->len == len && memcmp(e->key, key, len) == 0)
			return e;
	}
	if (m->n == max) {
		*full = true;
		return NULL;
	}
	if (m->n == m->cap) {
		struct entry *grown = array_grow(m->e, &m->cap, sizeof(*grown), 16);
		if (grown == NULL)
			return NULL;
		m->e = grown;
	}
	e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	if ((e->key = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->len = len;
	m->slots[s] = (uint32_t)++m->n;
	if (2 * m->n > m->nslots && !map_rehash(m, 2 * m->nslots)) {
		m->slots[s] = 0; /* the entry is dropped; the map stays whole */
		free(e->key);
		m->n--;
		return NULL;
	}
	return &m->e[m->n - 1];
}

void ls_discover_free(ls_discover *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ncols; i++) {
		free(d->cols[i].name);
		map_free(&d->cols[i].text);
		map_free(&d->cols[i].numbers);
		map_free(&d->cols[i].dates);
		map_free(&d->cols[i].domains);
	}
	for (i = 0; i < d->nsegs; i++) {
		free(d->segs[i].value);
		cJSON_free(d->segs[i].condition);
	}
	free(d->segs);
	free(d->order);
	free(d->probe_seg);
	ls_engine_free(d->probe);
	ls_ruleset_free(d->probe_rs);
	free(d->cols);
	free(d->fold);
	free(d);
}

ls_status ls_discover_new(ls_discover **out, const ls_ruleset *rs, const ls_cell *header,
                          size_t ncols, size_t max_values)
{
	ls_discover *d = calloc(1, sizeof(*d));
	size_t i;

	*out = NULL;
	if (d == NULL)
		return LS_ERR_NOMEM;
	d->rs = rs;
	d->max_values = max_values > 0 ? max_values : LS_DISCOVER_MAX_VALUES;
	d->cols = calloc(ncols + 1, sizeof(*d->cols));
	if (d->cols == NULL) {
		ls_discover_free(d);
		return LS_ERR_NOMEM;
	}
	d->ncols = ncols;
	for (i = 0; i < ncols; i++) {
		ls_cell name = ls_cell_trim(header[i]);
		d->cols[i].name = ls_utf8_copy(name.ptr, name.len);
		if (d->cols[i].name == NULL) {
			ls_discover_free(d);
			return LS_ERR_NOMEM;
		}
		d->cols[i].missing = ruleset_missing_values(rs, d->cols[i].name);
	}
	*out = d;
	return LS_OK;
}

void ls_discover_exclude(ls_discover *d, size_t column)
{
	d->cols[column].kind = LS_DISCOVER_EXCLUDED;
}

/* v rounded down to `digits` significant digits (all when 0). */
static double floor_digits(double v, int digits)
{
	double scale;

	if (digits == 0 || v == 0 || !isfinite(v))
		return v;
	scale = pow(10, digits - 1 - (int)floor(log10(fabs(v))));
	return floor(v * scale) / scale;
}

/* Every entry of m rounded by round(key, level), equal ones merged; on
 * failure m is as it was. */
static bool remap(struct map *m, double (*round)(double, int), int level)
{
	struct map fresh = {0};
	size_t i;
	bool full;

	for (i = 0; i < m->n; i++) {
		double v = round(m->e[i].number, level);
		struct entry *e = map_find(&fresh, (const char *)&v, sizeof(v), SIZE_MAX, &full);
		if (e == NULL) {
			map_free(&fresh);
			return false;
		}
		e->number = v;
		e->count[0] += m->e[i].count[0];
		e->count[1] += m->e[i].count[1];
	}
	map_free(m);
	*m = fresh;
	return true;
}

/* The numbers past the cap: every entry rounded down to one significant
 * digit fewer, equal ones merged, until they fit. */
static bool coarsen(struct column *c, size_t max)
{
	while (c->numbers.n >= max) {
		int digits = c->digits == 0 ? 3 : c->digits - 1;
		if (c->digits == 1)
			return true; /* as coarse as it gets: a few values a decade */
		if (!remap(&c->numbers, floor_digits, digits))
			return false;
		c->digits = digits;
	}
	return true;
}

static ls_status add_number(ls_discover *d, struct column *c, double v, bool converted)
{
	struct entry *e;
	bool full;

	v = floor_digits(v, c->digits);
	e = map_find(&c->numbers, (const char *)&v, sizeof(v), d->max_values, &full);
	if (e == NULL && full) {
		if (!coarsen(c, d->max_values))
			return LS_ERR_NOMEM;
		v = floor_digits(v, c->digits);
		e = map_find(&c->numbers, (const char *)&v, sizeof(v), SIZE_MAX, &full);
	}
	if (e == NULL)
		return LS_ERR_NOMEM;
	e->number = v;
	e->count[converted]++;
	return LS_OK;
}

/* Room in d->fold for the folded form of len bytes. */
static bool fold_room(ls_discover *d, size_t len)
{
	size_t cap = TEXT_FOLD_ROOM(len) + 64;
	char *grown;

	if (TEXT_FOLD_ROOM(len) + 1 <= d->fold_cap)
		return true;
	if ((grown = realloc(d->fold, cap)) == NULL)
		return false;
	d->fold = grown;
	d->fold_cap = cap;
	return true;
}

static ls_status add_text(ls_discover *d, struct column *c, ls_cell cell, bool converted)
{
	struct entry *e;
	size_t len;
	bool full;

	if (c->text_unique) {
		c->other[converted]++;
		return LS_OK;
	}
	if (!fold_room(d, cell.len))
		return LS_ERR_NOMEM;
	len = text_fold(d->fold, cell.ptr, cell.len);
	e = map_find(&c->text, d->fold, len, d->max_values, &full);
	if (e == NULL && full) {
		if (!c->text_capped) {
			size_t i, singles = 0;
			for (i = 0; i < c->text.n; i++)
				singles += c->text.e[i].count[0] + c->text.e[i].count[1] == 1;
			c->text_unique = (double)singles >= 0.9 * (double)c->text.n;
		}
		c->text_capped = true;
		c->other[converted]++;
		return LS_OK;
	}
	if (e == NULL)
		return LS_ERR_NOMEM;
	if (e->shown == NULL && (e->shown = ls_utf8_copy(cell.ptr, cell.len)) == NULL)
		return LS_ERR_NOMEM;
	e->count[converted]++;
	return LS_OK;
}

/* A day rounded down to the first of its month (unit 1) or year (2). */
static double floor_day(double day, int unit)
{
	int64_t y;
	unsigned m, dd;

	if (unit == 0)
		return day;
	date_to_civil((int64_t)day, &y, &m, &dd);
	return (double)date_from_civil(y, unit == 1 ? m : 1, 1);
}

/* Past the cap, days become months, then years: counts stay exact for
 * cuts at those boundaries, as numbers' do at their rounded values. */
static bool coarsen_dates(struct column *c, size_t max)
{
	while (c->dates.n >= max && c->date_unit < 2) {
		if (!remap(&c->dates, floor_day, c->date_unit + 1))
			return false;
		c->date_unit++;
	}
	return true;
}

static ls_status add_date(ls_discover *d, struct column *c, int64_t day, bool converted)
{
	double v = floor_day((double)day, c->date_unit);
	struct entry *e;
	bool full;

	e = map_find(&c->dates, (const char *)&v, sizeof(v), d->max_values, &full);
	if (e == NULL && full) {
		if (!coarsen_dates(c, d->max_values))
			return LS_ERR_NOMEM;
		v = floor_day((double)day, c->date_unit);
		e = map_find(&c->dates, (const char *)&v, sizeof(v), SIZE_MAX, &full);
	}
	if (e == NULL)
		return LS_ERR_NOMEM;
	e->number = v;
	e->count[converted]++;
	return LS_OK;
}

/* Where people write from when they do not write from work. A list file
 * (a team's own) is a later step; these are the largest providers. */
static const char *const free_mail_domains[] = {
	"@gmail.com", "@googlemail.com", "@yahoo.com", "@yahoo.co.uk", "@yahoo.fr", "@hotmail.com",
	"@hotmail.co.uk", "@hotmail.fr", "@outlook.com", "@live.com", "@msn.com", "@aol.com",
	"@icloud.com", "@me.com", "@mail.com", "@gmx.com", "@gmx.de", "@gmx.net", "@web.de",
	"@t-online.de", "@orange.fr", "@free.fr", "@laposte.net", "@libero.it", "@mail.ru",
	"@yandex.ru", "@protonmail.com", "@proton.me", "@qq.com", "@163.com", "@126.com",
	"@zoho.com", NULL};

static bool free_mail(const char *domain, size_t len)
{
	size_t i;

	for (i = 0; free_mail_domains[i] != NULL; i++)
		if (strlen(free_mail_domains[i]) == len && memcmp(free_mail_domains[i], domain, len) == 0)
			return true;
	return false;
}

/* An address's domain ("@example.com", folded, from the last @ on). */
static ls_status add_domain(ls_discover *d, struct column *c, ls_cell cell, bool converted)
{
	const char *at = NULL, *p;
	struct entry *e;
	size_t len;
	bool full;

	for (p = cell.ptr; p < cell.ptr + cell.len; p++)
		at = *p == '@' ? p : at;
	if (at == NULL)
		return LS_OK;
	c->at++;
	if (!fold_room(d, (size_t)(cell.ptr + cell.len - at)))
		return LS_ERR_NOMEM;
	len = text_fold(d->fold, at, (size_t)(cell.ptr + cell.len - at));
	if (free_mail(d->fold, len))
		c->free_mail[converted]++;
	else
		c->company_mail[converted]++;
	e = map_find(&c->domains, d->fold, len, d->max_values, &full);
	if (e == NULL)
		return full ? LS_OK : LS_ERR_NOMEM; /* past the cap: only the free-mail count */
	if (e->shown == NULL && (e->shown = strndup(d->fold, len)) == NULL)
		return LS_ERR_NOMEM;
	e->count[converted]++;
	return LS_OK;
}

#define SETTLED 1000

/* After SETTLED cells: the readings this column will never need. */
static void settle(struct column *c)
{
	c->no_numbers = (double)c->numeric < 0.1 * (double)c->filled;
	c->no_dates = (double)c->dated < 0.1 * (double)c->filled;
	c->no_mail = (double)c->at < 0.1 * (double)c->filled;
}

ls_status ls_discover_add(ls_discover *d, const ls_cell *cells, size_t ncells, bool converted)
{
	size_t i;
	ls_status st;

	if (ncells != d->ncols)
		return LS_ERR_USAGE;
	d->leads++;
	d->converted += converted;
	for (i = 0; i < d->ncols; i++) {
		struct column *c = &d->cols[i];
		ls_cell cell = ls_cell_trim(cells[i]);
		int64_t day;
		double v;

		if (c->kind == LS_DISCOVER_EXCLUDED)
			continue;
		if (cell.len == 0 || missing_values_has(c->missing, cell)) {
			c->empty[converted]++;
			continue;
		}
		if (++c->filled == SETTLED)
			settle(c);
		if (!c->no_numbers && ls_number_parse(cell.ptr, cell.len, &v) == LS_NUM_OK) {
			c->numeric++;
			c->integers += v == floor(v);
			if ((st = add_number(d, c, v, converted)) != LS_OK)
				return st;
		} else if (!c->no_dates &&
		           ls_ruleset_read_date(d->rs, c->name, cell, &day) == LS_READ_DATE) {
			c->dated++;
			if ((st = add_date(d, c, day, converted)) != LS_OK)
				return st;
		}
		if ((st = add_text(d, c, cell, converted)) != LS_OK ||
		    (!c->no_mail && (st = add_domain(d, c, cell, converted)) != LS_OK))
			return st;
	}
	return LS_OK;
}

/* ---- Candidates ------------------------------------------------------- */

/* A column whose values are almost all distinct names a lead (an id, an
 * e-mail, a name): no segment of it could become a rule. */
static bool identifies(const struct column *c)
{
	uint64_t singles = 0;
	size_t i;

	if (c->filled < 20)
		return false;
	for (i = 0; i < c->text.n; i++)
		singles += c->text.e[i].count[0] + c->text.e[i].count[1] == 1;
	singles += c->other[0] + c->other[1]; /* past the cap: as good as unique */
	return (double)singles >= 0.9 * (double)c->filled;
}

/* Of the leads in values common enough to judge (LEAK_LEADS or more),
 * how many the value alone would tell right, and how many there are. */
#define LEAK_LEADS 10
static void purity(const uint64_t n[2], uint64_t *right, uint64_t *judged)
{
	if (n[0] + n[1] < LEAK_LEADS)
		return;
	*right += n[0] > n[1] ? n[0] : n[1];
	*judged += n[0] + n[1];
}

/* A column that tells the outcome almost perfectly was most likely filled
 * in after it (a grade the sales team sets after calling): its common
 * values, covering most leads, are 98% pure. Rare values prove nothing. */
static bool leaks(const struct column *c, uint64_t leads)
{
	uint64_t right = 0, judged = 0;
	size_t i;

	purity(c->empty, &right, &judged);
	for (i = 0; i < c->text.n; i++)
		purity(c->text.e[i].count, &right, &judged);
	return c->filled >= 20 && 2 * judged >= leads && (double)right >= 0.98 * (double)judged;
}

static cJSON *leaf(const char *field, const char *op)
{
	cJSON *o = cJSON_CreateObject();

	if (o != NULL && (!cJSON_AddStringToObject(o, "field", field) ||
	                  !cJSON_AddStringToObject(o, "op", op))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* {"all": [first, second]}, taking both (deleted when out of memory). */
static cJSON *all_of(cJSON *first, cJSON *second)
{
	cJSON *root = cJSON_CreateObject(), *all = root ? cJSON_AddArrayToObject(root, "all") : NULL;

	if (all == NULL || first == NULL || second == NULL || !cJSON_AddItemToArray(all, first)) {
		cJSON_Delete(first);
		cJSON_Delete(second);
		cJSON_Delete(root);
		return NULL;
	}
	if (!cJSON_AddItemToArray(all, second)) {
		cJSON_Delete(second);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static cJSON *number_leaf(const char *column, const char *op, double value)
{
	cJSON *o = leaf(column, op);

	if (o != NULL && !cJSON_AddNumberToObject(o, "value", value)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A single segment's condition in the persona format, or NULL when out of
 * memory. */
static cJSON *condition(const ls_segment *g)
{
	cJSON *when = leaf(g->column, g->op), *v = NULL, *not;
	size_t i;

	if (when == NULL)
		return NULL;
	if (g->values != NULL) {
		v = cJSON_CreateArray();
		for (i = 0; v != NULL && g->values[i] != NULL; i++)
			if (!cJSON_AddItemToArray(v, cJSON_CreateString(g->values[i])))
				break;
		if (v != NULL && g->values[i] != NULL) {
			cJSON_Delete(v);
			v = NULL;
		}
	} else if (g->value != NULL) {
		v = cJSON_CreateString(g->value);
	} else if (strcmp(g->op, "between") == 0) {
		/* A decile bin, [low, high): gte the one and lt the other, so that
		 * values between those seen fall in it too. */
		cJSON_Delete(when);
		return all_of(number_leaf(g->column, "gte", g->number),
		              number_leaf(g->column, "lt", g->upper));
	} else if (strcmp(g->op, "empty") != 0) {
		v = cJSON_CreateNumber(g->number);
	} else {
		return when;
	}
	if (!cJSON_AddItemToObject(when, "value", v)) {
		cJSON_Delete(v);
		cJSON_Delete(when);
		return NULL;
	}
	if (!g->negated)
		return when;
	/* An address, and not at a free-mail provider. */
	not = cJSON_CreateObject();
	if (not == NULL || !cJSON_AddItemToObject(not, "not", when)) {
		cJSON_Delete(not);
		cJSON_Delete(when);
		return NULL;
	}
	return all_of(leaf(g->column, "not_empty"), not);
}

/* Adds a candidate; *added (when not NULL) is it, or NULL when it holds no
 * lead or every lead and says nothing. */
static ls_status add_segment_as(ls_discover *d, const struct column *c, const char *op,
                                const char *value, double number, const uint64_t count[2],
                                ls_segment **added)
{
	ls_segment *g;
	uint64_t n = count[0] + count[1];
	double p0 = (double)d->converted / (double)d->leads, z;

	if (added != NULL)
		*added = NULL;
	if (n == 0 || n == d->leads)
		return LS_OK; /* no lead, or every lead: nothing to tell apart */
	if (d->nsegs == d->segs_cap) {
		ls_segment *grown = array_grow(d->segs, &d->segs_cap, sizeof(*grown), 64);
		if (grown == NULL)
			return LS_ERR_NOMEM;
		d->segs = grown;
	}
	g = &d->segs[d->nsegs];
	memset(g, 0, sizeof(*g));
	g->column = c->name;
	g->op = op;
	g->number = number;
	if (value != NULL && (g->value = strdup(value)) == NULL)
		return LS_ERR_NOMEM;
	d->nsegs++;
	g->leads = n;
	g->converted = count[1];
	g->rate = (double)count[1] / (double)n;
	ls_wilson_interval(count[1], n, &g->low, &g->high);
	g->lift = p0 > 0 ? g->rate / p0 : 0;
	g->tested = proportion_score_test(count[1], n, p0, &z, &g->p_value);
	d->tried += g->tested;
	if (added != NULL)
		*added = g;
	return LS_OK;
}

static ls_status add_segment(ls_discover *d, const struct column *c, const char *op,
                             const char *value, double number, const uint64_t count[2])
{
	return add_segment_as(d, c, op, value, number, count, NULL);
}

static int by_number(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

/* Below a cut and from it on: lt and gte for numbers; before and after
 * (the day before the cut) for dates, which rules take as YYYY-MM-DD. */
static ls_status cut_segments(ls_discover *d, const struct column *c, bool dates, double cut,
                              const uint64_t below[2], const uint64_t above[2])
{
	char day[LS_DATE_BUFSIZE];
	ls_status st;

	if (!dates) {
		st = add_segment(d, c, "lt", NULL, cut, below);
		return st == LS_OK ? add_segment(d, c, "gte", NULL, cut, above) : st;
	}
	ls_date_format((int64_t)cut, day);
	st = add_segment(d, c, "before", day, cut, below);
	ls_date_format((int64_t)cut - 1, day);
	return st == LS_OK ? add_segment(d, c, "after", day, cut - 1, above) : st;
}

/* Ranges of a numeric or date column cut at its deciles. The entries are
 * sorted by value, so every count is a running sum. */
static ls_status range_segments(ls_discover *d, struct column *c, bool dates)
{
	struct map *m = dates ? &c->dates : &c->numbers;
	uint64_t total[2] = {0, 0}, below[2] = {0, 0}, before_last[2] = {0, 0};
	double last_cut = -HUGE_VAL;
	size_t i, k = 1;
	ls_status st;

	qsort(m->e, m->n, sizeof(*m->e), by_number);
	for (i = 0; i < m->n; i++) {
		total[0] += m->e[i].count[0];
		total[1] += m->e[i].count[1];
	}
	for (i = 0; i < m->n && k < 10; i++) {
		uint64_t seen = below[0] + below[1];
		if ((double)seen >= (double)k * (double)(total[0] + total[1]) / 10 &&
		    m->e[i].number > last_cut) {
			uint64_t above[2] = {total[0] - below[0], total[1] - below[1]};
			uint64_t bin[2] = {below[0] - before_last[0], below[1] - before_last[1]};
			ls_segment *g = NULL;
			if ((st = cut_segments(d, c, dates, m->e[i].number, below, above)) != LS_OK)
				return st;
			/* The decile bin from the last cut to this one. */
			if (!dates && last_cut > -HUGE_VAL &&
			    (st = add_segment_as(d, c, "between", NULL, last_cut, bin, &g)) != LS_OK)
				return st;
			if (g != NULL)
				g->upper = m->e[i].number;
			last_cut = m->e[i].number;
			before_last[0] = below[0];
			before_last[1] = below[1];
			while (k < 10 && (double)seen >= (double)k * (double)(total[0] + total[1]) / 10)
				k++;
		}
		below[0] += m->e[i].count[0];
		below[1] += m->e[i].count[1];
	}
	return LS_OK;
}

/* An e-mail column: by domain (ends_with "@example.com"), and free-mail
 * providers against company domains. */
static ls_status mail_segments(ls_discover *d, struct column *c)
{
	ls_status st = add_segment(d, c, "empty", NULL, 0, c->empty);
	ls_segment *g = NULL;
	size_t i;

	c->kind = LS_DISCOVER_EMAILS;
	if (st == LS_OK)
		st = add_segment_as(d, c, "ends_with", NULL, 0, c->free_mail, &g);
	if (g != NULL)
		g->values = free_mail_domains;
	if (st == LS_OK)
		st = add_segment_as(d, c, "ends_with", NULL, 0, c->company_mail, &g);
	if (g != NULL) {
		g->values = free_mail_domains;
		g->negated = true;
	}
	for (i = 0; st == LS_OK && i < c->domains.n; i++)
		st = add_segment(d, c, "ends_with", c->domains.e[i].shown, 0, c->domains.e[i].count);
	return st;
}

/* Whether the column's name has "id" as a word: "Record ID", "lead_id". */
static bool named_id(const char *name)
{
	const char *p = name;

	while (*p != '\0') {
		size_t n = 0;
		while (p[n] != '\0' && (isalnum((unsigned char)p[n]) == 0))
			p++;
		while (p[n] != '\0' && isalnum((unsigned char)p[n]))
			n++;
		if (n == 2 && tolower((unsigned char)p[0]) == 'i' && tolower((unsigned char)p[1]) == 'd')
			return true;
		p += n;
	}
	return false;
}

/* Whole numbers nearly all distinct that are named an id, or as dense as
 * a counter (spanning less than twice as many values as there are). */
static bool numbers_identify(const struct column *c)
{
	double low = HUGE_VAL, high = -HUGE_VAL;
	size_t i;

	if (c->integers != c->numeric || !identifies(c))
		return false;
	for (i = 0; i < c->numbers.n; i++) {
		low = c->numbers.e[i].number < low ? c->numbers.e[i].number : low;
		high = c->numbers.e[i].number > high ? c->numbers.e[i].number : high;
	}
	return named_id(c->name) || high - low < 2.0 * (double)c->filled;
}

static ls_status column_segments(ls_discover *d, struct column *c)
{
	size_t i;
	ls_status st;

	if (c->kind == LS_DISCOVER_EXCLUDED)
		return LS_OK;
	/* E-mail addresses and dates first: as text they are all distinct. */
	if (c->filled > 0 && (double)c->at >= 0.9 * (double)c->filled)
		return mail_segments(d, c);
	/* A few dates stand for themselves; dates coarsened past the cap (to
	 * months or years) were many to begin with. */
	if (c->filled > 0 && (double)c->dated >= 0.9 * (double)c->filled &&
	    (c->dates.n > 12 || c->date_unit > 0)) {
		c->kind = LS_DISCOVER_DATES;
		if ((st = add_segment(d, c, "empty", NULL, 0, c->empty)) != LS_OK)
			return st;
		return range_segments(d, c, true);
	}
	/* Numbers next: amounts may be all distinct too; record ids are not
	 * numbers to cut (their ranges would only stand for dates). */
	if (c->filled > 0 && (double)c->numeric >= 0.9 * (double)c->filled && c->numbers.n > 12 &&
	    !numbers_identify(c)) {
		c->kind = LS_DISCOVER_NUMBERS;
		if ((st = add_segment(d, c, "empty", NULL, 0, c->empty)) != LS_OK)
			return st;
		return range_segments(d, c, false);
	}
	if (identifies(c)) {
		c->kind = LS_DISCOVER_IDENTIFIES;
		return LS_OK;
	}
	if (leaks(c, d->leads)) {
		c->kind = LS_DISCOVER_LEAKS;
		return LS_OK;
	}
	c->kind = LS_DISCOVER_TEXT;
	if ((st = add_segment(d, c, "empty", NULL, 0, c->empty)) != LS_OK)
		return st;
	for (i = 0; i < c->text.n; i++)
		if ((st = add_segment(d, c, "eq", c->text.e[i].shown, 0, c->text.e[i].count)) != LS_OK)
			return st;
	return LS_OK;
}

/* Whether range a holds range b: both below a cut (lt) or both from one
 * (gte) on the same column, b's the narrower. */
static bool holds(const ls_segment *a, const ls_segment *b)
{
	if (a == b || a->column != b->column || strcmp(a->op, b->op) != 0)
		return false;
	if (strcmp(a->op, "lt") == 0 || strcmp(a->op, "before") == 0)
		return b->number < a->number;
	return (strcmp(a->op, "gte") == 0 || strcmp(a->op, "after") == 0) && b->number > a->number;
}

/* A range found only because it holds a narrower one found: without the
 * narrower one's leads, what is left does not convert surely below the
 * base rate (its Wilson interval reaches it). "Employees < 540" is no
 * finding when "Employees < 10" is and 10-539 converts as well as any. */
static void drop_nested(ls_discover *d, double p0)
{
	size_t i, k;

	for (i = 0; i < d->nsegs; i++) {
		ls_segment *a = &d->segs[i];
		for (k = 0; a->found && k < d->nsegs; k++) {
			const ls_segment *b = &d->segs[k];
			double low, high;
			if (!b->found || !holds(a, b))
				continue;
			ls_wilson_interval(a->converted - b->converted, a->leads - b->leads, &low, &high);
			if (high >= p0) {
				a->found = false;
				a->nested = true;
			}
		}
	}
}

/* Best first: the leads a segment would save from being worked beyond
 * what its converted leads are worth at the base rate, leads x (1 - lift). */
static int by_rank(const void *a, const void *b)
{
	const ls_segment *x = a, *y = b;
	double u = (double)x->leads * (1 - x->lift), v = (double)y->leads * (1 - y->lift);

	if (x->found != y->found)
		return x->found ? -1 : 1;
	if (u != v)
		return u < v ? 1 : -1;
	/* A total order: qsort's order of equals depends on whether it could
	 * allocate, and the report must not. */
	return strcmp(x->condition, y->condition);
}

ls_status ls_discover_finish(ls_discover *d)
{
	struct proportion_rank *rank;
	double *p, *q;
	size_t i, m = 0;
	ls_status st = LS_OK;

	if (d->leads == 0 || d->converted == 0 || d->converted == d->leads)
		return LS_OK; /* no rate to fall below */
	for (i = 0; i < d->ncols && st == LS_OK; i++)
		st = column_segments(d, &d->cols[i]);
	if (st != LS_OK)
		return st;
	rank = calloc(d->nsegs + 1, sizeof(*rank));
	p = calloc(d->nsegs + 1, sizeof(*p));
	q = calloc(d->nsegs + 1, sizeof(*q));
	if (rank == NULL || p == NULL || q == NULL) {
		st = LS_ERR_NOMEM;
	} else {
		for (i = 0; i < d->nsegs; i++)
			if (d->segs[i].tested)
				p[m++] = d->segs[i].p_value;
		proportion_adjust(p, q, rank, m);
		for (i = 0, m = 0; i < d->nsegs; i++) {
			ls_segment *g = &d->segs[i];
			if (!g->tested)
				continue;
			g->q_value = q[m++];
			g->found = g->q_value <= PROPORTION_ALPHA && g->lift < 1;
		}
		drop_nested(d, (double)d->converted / (double)d->leads);
		for (i = 0; i < d->nsegs && st == LS_OK; i++) {
			cJSON *when = condition(&d->segs[i]);
			d->segs[i].condition = when != NULL ? cJSON_PrintUnformatted(when) : NULL;
			cJSON_Delete(when);
			if (d->segs[i].condition == NULL)
				st = LS_ERR_NOMEM;
		}
		if (st == LS_OK)
			qsort(d->segs, d->nsegs, sizeof(*d->segs), by_rank);
	}
	free(rank);
	free(p);
	free(q);
	return st;
}

size_t ls_discover_segment_count(const ls_discover *d) { return d->nsegs; }
const ls_segment *ls_discover_segment(const ls_discover *d, size_t i)
{
	return &d->segs[d->order != NULL ? d->order[i] : i];
}
size_t ls_discover_tried(const ls_discover *d) { return d->tried; }
const ls_ruleset *ls_discover_rules(const ls_discover *d) { return d->rs; }

void ls_discover_totals(const ls_discover *d, uint64_t *leads, uint64_t *converted)
{
	*leads = d->leads;
	*converted = d->converted;
}

void ls_discover_column(const ls_discover *d, size_t i, ls_discover_column_info *out)
{
	const struct column *c = &d->cols[i];

	out->name = c->name;
	out->kind = c->kind;
	out->distinct = c->kind == LS_DISCOVER_NUMBERS  ? c->numbers.n
	                : c->kind == LS_DISCOVER_DATES  ? c->dates.n
	                : c->kind == LS_DISCOVER_EMAILS ? c->domains.n
	                                                : c->text.n;
	out->capped = c->text_capped || c->digits != 0 || c->date_unit != 0;
	out->digits = c->digits;
}

/* ---- Pass two: pairs and held-out leads ------------------------------- */

const ls_segment *ls_discover_part(const ls_discover *d, const ls_segment *pair, size_t k)
{
	return &d->segs[pair->part[k]];
}

void ls_discover_held_out(const ls_discover *d, uint64_t *leads, uint64_t *converted)
{
	*leads = d->test_leads;
	*converted = d->test_converted;
}

/* The found segments a and b at once, a segment of its own. */
static ls_status add_pair(ls_discover *d, size_t a, size_t b)
{
	struct buf text = {0};
	ls_segment *g;

	if (!buf_printf(&text, "{\"all\":[%s,%s]}", d->segs[a].condition, d->segs[b].condition)) {
		buf_free(&text);
		return LS_ERR_NOMEM;
	}
	if (d->nsegs == d->segs_cap) {
		ls_segment *grown = array_grow(d->segs, &d->segs_cap, sizeof(*grown), 64);
		if (grown == NULL) {
			buf_free(&text);
			return LS_ERR_NOMEM;
		}
		d->segs = grown;
	}
	g = &d->segs[d->nsegs++];
	memset(g, 0, sizeof(*g));
	g->column = d->segs[a].column;
	g->op = "all";
	g->pair = true;
	g->part[0] = a;
	g->part[1] = b;
	g->condition = text.data; /* cJSON_free is free here: cJSON's default allocator */
	return LS_OK;
}

/* The policy's settings that change how cells read (header names, missing
 * values, dates), for the probe rules. */
static char *probe_policy(const ls_ruleset *rs)
{
	struct buf out = {0};
	size_t i;
	bool ok = buf_printf(&out, "{");

	for (i = 0; ok && i < POLICY_TEXTS; i++) {
		/* The leads are read already; the probe reads no lookup table. */
		if (rs->policy_text[i] == NULL || strcmp(policy_text_keys[i], "encoding") == 0 ||
		    strcmp(policy_text_keys[i], "lookups") == 0)
			continue;
		ok = buf_printf(&out, "%s\"%s\":%s", out.len == 1 ? "" : ",", policy_text_keys[i],
		                rs->policy_text[i]);
	}
	if (!ok || !buf_printf(&out, "}")) {
		buf_free(&out);
		return NULL;
	}
	return out.data;
}

/* A persona with a rule per probed segment, deducting 1 when it holds. */
static char *probe_persona(const ls_discover *d, size_t *len)
{
	struct buf out = {0};
	size_t k;
	bool ok = buf_printf(&out, "{\"id\":\"probe\",\"rules\":[");

	for (k = 0; ok && k < d->nprobes; k++)
		ok = buf_printf(&out, "%s{\"id\":\"p%zu\",\"reason\":\"p\",\"deduct\":1,\"when\":%s}",
		                k ? "," : "", k, d->segs[d->probe_seg[k]].condition);
	if (!ok || !buf_printf(&out, "]}")) {
		buf_free(&out);
		return NULL;
	}
	*len = out.len;
	return out.data;
}

ls_status ls_discover_probe(ls_discover *d, const ls_cell *header, size_t ncols, size_t top,
                            ls_error *err)
{
	size_t len = 0, i, k, nfound = 0, singles = d->nsegs;
	char *persona, *policy;
	ls_status st = LS_OK;

	while (nfound < d->nsegs && d->segs[nfound].found)
		nfound++; /* found segments come first, best first */
	for (i = 0; i < nfound && i < top && st == LS_OK; i++)
		for (k = i + 1; k < nfound && k < top && st == LS_OK; k++)
			if (d->segs[i].column != d->segs[k].column) /* one column: one at a time */
				st = add_pair(d, i, k);
	if (st != LS_OK || (d->probe_seg = calloc(d->nsegs + 1, sizeof(*d->probe_seg))) == NULL)
		return LS_ERR_NOMEM;
	for (i = 0; i < d->nsegs; i++)
		if (i < nfound || i >= singles)
			d->probe_seg[d->nprobes++] = i;
	if (d->nprobes == 0)
		return LS_OK;
	persona = probe_persona(d, &len);
	policy = probe_policy(d->rs);
	if (persona == NULL || policy == NULL)
		st = LS_ERR_NOMEM;
	if (st == LS_OK)
		st = ls_ruleset_load_buffers(&d->probe_rs, "discover", persona, len, policy,
		                             strlen(policy), err);
	if (st == LS_OK)
		st = ls_engine_new(&d->probe, d->probe_rs, header, ncols, "discover", err);
	free(persona);
	free(policy);
	return st;
}

ls_status ls_discover_add_again(ls_discover *d, const ls_cell *cells, size_t ncells,
                                bool converted, bool held_out)
{
	ls_result res;
	ls_status st;
	size_t k;

	d->test_leads += held_out;
	d->test_converted += held_out && converted;
	if (d->probe == NULL)
		return LS_OK;
	if ((st = ls_engine_score(d->probe, cells, ncells, &res)) != LS_OK)
		return st;
	for (k = 0; k < d->nprobes; k++) {
		ls_segment *g = &d->segs[d->probe_seg[k]];
		if (!ls_engine_rule_matched(d->probe, 0, k))
			continue;
		if (held_out) {
			g->test_leads++;
			g->test_converted += converted;
		} else if (g->pair) {
			g->leads++;
			g->converted += converted;
		}
	}
	return LS_OK;
}

/* A pair's figures from its counts, as add_segment gives a single's. */
static void pair_figures(ls_discover *d, ls_segment *g, double p0)
{
	double z;

	if (g->leads == 0)
		return;
	g->rate = (double)g->converted / (double)g->leads;
	ls_wilson_interval(g->converted, g->leads, &g->low, &g->high);
	g->lift = g->rate / p0;
	g->tested = proportion_score_test(g->converted, g->leads, p0, &z, &g->p_value);
	d->tried += g->tested;
}

/* Held out, a segment holds when its leads there convert surely below the
 * held-out base rate. */
static void held_figures(const ls_discover *d, ls_segment *g)
{
	double p0 = (double)d->test_converted / (double)d->test_leads;

	g->held = true;
	if (g->test_leads == 0)
		return;
	g->test_rate = (double)g->test_converted / (double)g->test_leads;
	ls_wilson_interval(g->test_converted, g->test_leads, &g->test_low, &g->test_high);
	g->test_lift = p0 > 0 ? g->test_rate / p0 : 0;
	g->holds = g->test_high < p0;
}

/* Orders d->order best first, as by_rank orders segments. */
struct ranked {
	bool found;
	double worth;            /* leads x (1 - lift) */
	size_t i;
};

static int by_worth(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->found != y->found)
		return x->found ? -1 : 1;
	if (x->worth != y->worth)
		return x->worth < y->worth ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i); /* i is unique: a total order */
}

static bool order_segments(ls_discover *d)
{
	struct ranked *r = calloc(d->nsegs + 1, sizeof(*r));
	size_t i;

	if (r == NULL)
		return false;
	for (i = 0; i < d->nsegs; i++)
		r[i] = (struct ranked){d->segs[i].found,
		                       (double)d->segs[i].leads * (1 - d->segs[i].lift), i};
	qsort(r, d->nsegs, sizeof(*r), by_worth);
	for (i = 0; i < d->nsegs; i++)
		d->order[i] = r[i].i;
	free(r);
	return true;
}

ls_status ls_discover_finish_again(ls_discover *d)
{
	double p0 = (double)d->converted / (double)d->leads;
	struct proportion_rank *rank = calloc(d->nsegs + 1, sizeof(*rank));
	double *p = calloc(d->nsegs + 1, sizeof(*p)), *q = calloc(d->nsegs + 1, sizeof(*q));
	size_t i, m = 0;
	ls_status st = LS_OK;

	d->order = calloc(d->nsegs + 1, sizeof(*d->order));
	if (rank == NULL || p == NULL || q == NULL || d->order == NULL) {
		st = LS_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < d->nsegs; i++)
		if (d->segs[i].pair)
			pair_figures(d, &d->segs[i], p0);
	for (i = 0; i < d->nsegs; i++)
		if (d->segs[i].tested)
			p[m++] = d->segs[i].p_value;
	proportion_adjust(p, q, rank, m);
	for (i = 0, m = 0; i < d->nsegs; i++) {
		ls_segment *g = &d->segs[i];
		if (!g->tested)
			continue;
		g->q_value = q[m++];
		g->found = g->q_value <= PROPORTION_ALPHA && g->lift < 1 && !g->nested;
		/* A pair is a finding when together they convert surely below
		 * either part alone; else one part says it all. */
		if (g->pair && g->found)
			g->found = g->high < d->segs[g->part[0]].rate && g->high < d->segs[g->part[1]].rate;
	}
	for (i = 0; i < d->nprobes && d->test_leads > 0; i++)
		held_figures(d, &d->segs[d->probe_seg[i]]);
	if (!order_segments(d)) {
		free(d->order);
		d->order = NULL;
		st = LS_ERR_NOMEM;
	}
out:
	free(rank);
	free(p);
	free(q);
	return st;
}
