/* SPDX-License-Identifier: MIT */
/* lint.c - `leadsift check`: what is valid but almost certainly not meant.
 * Rules with the same condition, conditions that can never hold, a
 * threshold no score can cross, expired allow-list entries, and fields a
 * given header lacks. The analysis is conservative: it only reports what it
 * can prove, so a rule it calls unmatchable really never matches. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "rules/fieldmap.h"
#include "rules/lookup.h"
#include "base/number.h"
#include "rules/rules.h"
#include "base/text.h"

struct finding {
	ls_finding pub;
	char *file;
	char *message;
};

struct ls_lint {
	struct finding *items;
	size_t n;
};

/* One end of the interval a field is confined to inside an "all". */
struct bound {
	bool set;
	double v;
	bool strict;
	const struct cond *by;
};

/* What the leaves of one "all" demand of one field. */
struct demand {
	size_t field;
	struct bound lo[2], hi[2]; /* [0] numbers, [1] dates (as day numbers) */
	const struct cond *empty;  /* an "empty" leaf */
	const struct cond *value;  /* a leaf that needs a value */
};

struct lint {
	const ls_ruleset *rs;
	ls_lint *out;
	ls_error *err;
	ls_status st;
};

enum never { CAN_MATCH, NEVER_REVERSED, NEVER_CONFLICT, NEVER_ANY };

void ls_lint_free(ls_lint *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->items[i].file);
		free(l->items[i].message);
	}
	free(l->items);
	free(l);
}

size_t ls_lint_count(const ls_lint *l) { return l->n; }
const ls_finding *ls_lint_get(const ls_lint *l, size_t i) { return &l->items[i].pub; }

static void add(struct lint *x, const char *code, bool error, const char *file, struct buf *msg)
{
	struct finding *grown, *f;

	if (x->st != LS_OK)
		return;
	if (!buf_terminate(msg))
		goto nomem;
	grown = realloc(x->out->items, (x->out->n + 1) * sizeof(*grown));
	if (grown == NULL)
		goto nomem;
	x->out->items = grown;
	f = &grown[x->out->n];
	f->file = file != NULL ? strdup(file) : NULL;
	f->message = msg->data;
	if (file != NULL && f->file == NULL)
		goto nomem;
	msg->data = NULL;
	msg->len = msg->cap = 0;
	f->pub.code = code;
	f->pub.file = f->file;
	f->pub.message = f->message;
	f->pub.error = error;
	x->out->n++;
	return;
nomem:
	x->st = err_nomem(x->err);
}

static bool describe_leaf(struct buf *b, const ls_ruleset *rs, const struct cond *c)
{
	return buf_printf(b, "\"%s\" %s%s%s", rs->fields[c->field].name, cond_op_name(c->op),
	                  c->value_text ? " " : "", c->value_text ? c->value_text : "");
}

/* ---- Identical conditions ---------------------------------------------- */

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A text that is the same for conditions that test the same thing: case
 * folded where case is ignored, and the members of all/any in sorted order. */
static bool canonical(const ls_ruleset *rs, const struct cond *c, struct buf *out)
{
	char **kids;
	size_t i;
	bool ok = true;

	if (c->kind == COND_LEAF) {
		size_t at = out->len;
		if (!buf_printf(out, "%s\x1f%s\x1f%d\x1f%s", rs->fields[c->field].name,
		                cond_op_name(c->op), c->case_sensitive,
		                c->value_text ? c->value_text : ""))
			return false;
		if (!c->case_sensitive && !c->numeric && !c->dated) {
			size_t n;
			char *folded = text_fold_dup(out->data + at, out->len - at, &n);
			out->len = at;
			ok = folded != NULL && buf_append(out, folded, n);
			free(folded);
		}
		return ok;
	}
	/* An "all" or "any" of one condition is that condition. */
	if (c->kind != COND_NOT && c->nkids == 1)
		return canonical(rs, &c->kids[0], out);
	kids = calloc(c->nkids, sizeof(*kids));
	if (kids == NULL)
		return false;
	for (i = 0; ok && i < c->nkids; i++) {
		struct buf kid = {0};
		ok = canonical(rs, &c->kids[i], &kid) && buf_terminate(&kid);
		kids[i] = kid.data;
	}
	if (ok)
		qsort(kids, c->nkids, sizeof(*kids), by_text);
	ok = ok && buf_printf(out, "%s(", c->kind == COND_ALL ? "all" : c->kind == COND_ANY ? "any"
	                                                                                  : "not");
	for (i = 0; ok && i < c->nkids; i++)
		ok = buf_printf(out, "%s%s", i ? "\x1e" : "", kids[i]);
	for (i = 0; i < c->nkids; i++)
		free(kids[i]);
	free(kids);
	return ok && buf_putc(out, ')');
}

struct keyed_rule {
	char *text;
	size_t persona, rule;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed_rule *x = a, *y = b;
	int d = strcmp(x->text, y->text);

	if (d != 0)
		return d;
	if (x->persona != y->persona)
		return x->persona < y->persona ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void identical_rules(struct lint *x)
{
	const ls_ruleset *rs = x->rs;
	struct keyed_rule *keys;
	size_t n = 0, p, r, i;

	for (p = 0; p < rs->npersonas; p++)
		n += rs->personas[p].nrules;
	keys = calloc(n + 1, sizeof(*keys));
	if (keys == NULL) {
		x->st = err_nomem(x->err);
		return;
	}
	n = 0;
	for (p = 0; p < rs->npersonas; p++) {
		for (r = 0; r < rs->personas[p].nrules; r++, n++) {
			struct buf text = {0};
			keys[n].persona = p;
			keys[n].rule = r;
			if (!canonical(rs, &rs->personas[p].rules[r].when, &text) || !buf_terminate(&text)) {
				buf_free(&text);
				x->st = err_nomem(x->err);
				n++;
				goto out;
			}
			keys[n].text = text.data;
		}
	}
	qsort(keys, n, sizeof(*keys), by_key);
	for (i = 1; i < n; i++) {
		size_t first = i - 1;
		const struct persona *a, *b;
		struct buf msg = {0};

		while (first > 0 && strcmp(keys[first - 1].text, keys[i].text) == 0)
			first--;
		if (strcmp(keys[first].text, keys[i].text) != 0)
			continue;
		a = &rs->personas[keys[first].persona];
		b = &rs->personas[keys[i].persona];
		if (!buf_printf(&msg, "rule %s/%s has the same condition as rule %s/%s%s%s; "
		                      "a lead matching one matches both",
		                b->id, b->rules[keys[i].rule].id, a->id, a->rules[keys[first].rule].id,
		                strcmp(a->file, b->file) != 0 ? " in " : "",
		                strcmp(a->file, b->file) != 0 ? a->file : "")) {
			x->st = err_nomem(x->err);
			break;
		}
		add(x, "identical-rules", false, b->file, &msg);
		buf_free(&msg);
	}
out:
	for (i = 0; i < n; i++)
		free(keys[i].text);
	free(keys);
}

/* ---- Conditions that can never hold ------------------------------------- */

static void tighten(struct bound *b, bool upper, double v, bool strict, const struct cond *by)
{
	bool better = !b->set || (upper ? v < b->v : v > b->v) || (v == b->v && strict && !b->strict);

	if (better) {
		b->set = true;
		b->v = v;
		b->strict = strict;
		b->by = by;
	}
}

static bool needs_value(const struct cond *c)
{
	return c->op == OP_NOT_EMPTY || c->dated ||
	       (c->numeric && c->op != OP_NE && c->op != OP_NOT_IN);
}

/* Records what leaf c demands of its field. */
static void demand_leaf(const struct lint *x, struct demand *d, const struct cond *c)
{
	int64_t today = x->rs->today;
	double v;

	if (c->op == OP_EMPTY && d->empty == NULL)
		d->empty = c;
	if (needs_value(c) && d->value == NULL)
		d->value = c;
	switch (c->op) {
	case OP_LT: tighten(&d->hi[0], true, c->lo, true, c); break;
	case OP_LTE: tighten(&d->hi[0], true, c->lo, false, c); break;
	case OP_GT: tighten(&d->lo[0], false, c->lo, true, c); break;
	case OP_GTE: tighten(&d->lo[0], false, c->lo, false, c); break;
	case OP_BETWEEN:
		tighten(&d->lo[0], false, c->lo, false, c);
		tighten(&d->hi[0], true, c->hi, false, c);
		break;
	case OP_EQ:
		if (c->numeric) {
			tighten(&d->lo[0], false, c->lo, false, c);
			tighten(&d->hi[0], true, c->lo, false, c);
		}
		break;
	/* Days are whole numbers, so strict date bounds become inclusive ones. */
	case OP_BEFORE: tighten(&d->hi[1], true, (double)(c->day - 1), false, c); break;
	case OP_AFTER: tighten(&d->lo[1], false, (double)(c->day + 1), false, c); break;
	case OP_OLDER_THAN:
		v = (double)(date_minus_age(today, c->age) - 1);
		tighten(&d->hi[1], true, v, false, c);
		break;
	case OP_NEWER_THAN:
		v = (double)date_minus_age(today, c->age);
		tighten(&d->lo[1], false, v, false, c);
		break;
	default:
		break;
	}
}

static bool empty_range(const struct bound *lo, const struct bound *hi)
{
	return lo->set && hi->set && (lo->v > hi->v || (lo->v == hi->v && (lo->strict || hi->strict)));
}

/* The leaves of an "all", including those of "all"s nested in it. */
static bool gather(const struct lint *x, const struct cond *c, struct demand **ds, size_t *n)
{
	size_t i;

	for (i = 0; i < c->nkids; i++) {
		const struct cond *k = &c->kids[i];
		struct demand *d = NULL;
		size_t j;

		if (k->kind == COND_ALL) {
			if (!gather(x, k, ds, n))
				return false;
			continue;
		}
		if (k->kind != COND_LEAF)
			continue;
		for (j = 0; j < *n && d == NULL; j++)
			if ((*ds)[j].field == k->field)
				d = &(*ds)[j];
		if (d == NULL) {
			struct demand *grown = realloc(*ds, (*n + 1) * sizeof(*grown));
			if (grown == NULL)
				return false;
			*ds = grown;
			d = &grown[(*n)++];
			memset(d, 0, sizeof(*d));
			d->field = k->field;
		}
		demand_leaf(x, d, k);
	}
	return true;
}

static enum never conflict(struct lint *x, struct buf *why, const struct cond *a,
                           const struct cond *b)
{
	if (!describe_leaf(why, x->rs, a) || !buf_append_str(why, " and ") ||
	    !describe_leaf(why, x->rs, b) || !buf_append_str(why, " cannot both hold in one \"all\""))
		x->st = err_nomem(x->err);
	return NEVER_CONFLICT;
}

static enum never never_all(struct lint *x, const struct cond *c, struct buf *why)
{
	struct demand *ds = NULL;
	size_t n = 0, i, k;
	enum never verdict = CAN_MATCH;

	if (!gather(x, c, &ds, &n)) {
		free(ds);
		x->st = err_nomem(x->err);
		return CAN_MATCH;
	}
	for (i = 0; i < n && verdict == CAN_MATCH; i++) {
		struct demand *d = &ds[i];
		for (k = 0; k < 2 && verdict == CAN_MATCH; k++)
			if (empty_range(&d->lo[k], &d->hi[k]))
				verdict = conflict(x, why, d->lo[k].by, d->hi[k].by);
		if (verdict == CAN_MATCH && d->empty != NULL && d->value != NULL)
			verdict = conflict(x, why, d->empty, d->value);
	}
	free(ds);
	return verdict;
}

/* Whether c can be proved never to match, with why. */
static enum never never(struct lint *x, const struct cond *c, struct buf *why)
{
	enum never v;
	size_t i;

	switch (c->kind) {
	case COND_LEAF:
		if (c->op == OP_BETWEEN && c->lo > c->hi) {
			if (!describe_leaf(why, x->rs, c) ||
			    !buf_append_str(why, ": the low end is above the high end"))
				x->st = err_nomem(x->err);
			return NEVER_REVERSED;
		}
		return CAN_MATCH;
	case COND_ALL:
		for (i = 0; i < c->nkids; i++) {
			v = never(x, &c->kids[i], why);
			if (v != CAN_MATCH)
				return v;
		}
		return never_all(x, c, why);
	case COND_ANY:
		for (i = 0; i < c->nkids; i++) {
			struct buf ignored = {0};
			v = never(x, &c->kids[i], i == 0 ? why : &ignored);
			buf_free(&ignored);
			if (v == CAN_MATCH) {
				why->len = 0;
				return CAN_MATCH;
			}
		}
		return c->nkids == 1 ? v : NEVER_ANY;
	case COND_NOT:
		break;
	}
	return CAN_MATCH;
}

/* Reports a rule or entry whose condition never matches; returns whether
 * it can match. */
static bool check_condition(struct lint *x, const char *what, const char *group, const char *id,
                            const char *file, const struct cond *c)
{
	struct buf why = {0}, msg = {0};
	enum never v = never(x, c, &why);
	bool ok = true;

	if (v != CAN_MATCH) {
		if (v == NEVER_ANY) {
			why.len = 0;
			ok = buf_append_str(&why, "no alternative of its \"any\" can match");
		}
		ok = ok && buf_terminate(&why) &&
		     buf_printf(&msg, "%s %s/%s can never match: %s", what, group, id, why.data);
		if (ok)
			add(x, v == NEVER_REVERSED ? "between-reversed" : "never-matches", false, file,
			    &msg);
		else
			x->st = err_nomem(x->err);
	}
	buf_free(&why);
	buf_free(&msg);
	return v == CAN_MATCH;
}

/* ---- Values with blanks around them ------------------------------------- */

/* Whether a string of an eq, ne, in or not_in leaf can never equal a cell:
 * it has blanks around it (cells are compared trimmed), or it is one of
 * the field's missing values (such cells read as empty). */
enum odd_value { VALUE_FINE, VALUE_BLANKS, VALUE_MISSING };

static enum odd_value odd_value(const ls_ruleset *rs, const struct cond *c,
                                const struct str_operand *v)
{
	ls_cell cell = {v->ptr, v->len};

	if (ls_cell_trim(cell).len != cell.len)
		return VALUE_BLANKS;
	if (missing_values_has(ruleset_missing_values(rs, rs->fields[c->field].name), cell))
		return VALUE_MISSING;
	return VALUE_FINE;
}

/* The first such leaf of c, and what is odd about it. */
static const struct cond *odd_leaf(const ls_ruleset *rs, const struct cond *c,
                                   enum odd_value *why)
{
	const struct cond *found = NULL;
	size_t i;

	if (c->kind != COND_LEAF) {
		for (i = 0; i < c->nkids && found == NULL; i++)
			found = odd_leaf(rs, &c->kids[i], why);
		return found;
	}
	if (c->numeric || !(c->op == OP_EQ || c->op == OP_NE || c->op == OP_IN || c->op == OP_NOT_IN))
		return NULL;
	for (i = 0; i < c->nstrs; i++) {
		*why = odd_value(rs, c, &c->strs[i]);
		/* A list file's blanks are reported with their line (value_lists). */
		if (*why != VALUE_FINE && !(c->from_file && *why == VALUE_BLANKS))
			return c;
	}
	return NULL;
}

static void check_values(struct lint *x, const char *what, const char *group, const char *id,
                         const char *file, const struct cond *c)
{
	enum odd_value why = VALUE_FINE;
	const struct cond *leaf = odd_leaf(x->rs, c, &why);
	const char *field;
	struct buf msg = {0};
	bool ok;

	if (leaf == NULL)
		return;
	field = x->rs->fields[leaf->field].name;
	if (why == VALUE_BLANKS)
		ok = buf_printf(&msg, "%s %s/%s compares \"%s\" with %s, a value with blanks around it; "
		                      "cells are compared trimmed, so it never equals one (remove the "
		                      "blanks)",
		                what, group, id, field, leaf->value_text);
	else
		ok = buf_printf(&msg, "%s %s/%s compares \"%s\" with %s, which holds a missing value "
		                      "of the field; such cells read as empty, so it never equals one "
		                      "(test \"empty\" instead)",
		                what, group, id, field, leaf->value_text);
	if (ok)
		add(x, why == VALUE_BLANKS ? "value-blanks" : "value-missing", false, file, &msg);
	else
		x->st = err_nomem(x->err);
	buf_free(&msg);
}

/* ---- The score range ----------------------------------------------------- */

static void threshold(struct lint *x, ls_fixed max_deduct, bool any_rule_can_match)
{
	const ls_ruleset *rs = x->rs;
	char base[LS_FIXED_BUFSIZE], thr[LS_FIXED_BUFSIZE], most[LS_FIXED_BUFSIZE];
	char low[LS_FIXED_BUFSIZE];
	ls_fixed lowest = rs->base - max_deduct;
	struct buf msg = {0};
	bool ok = true;

	ls_fixed_format(rs->base, base);
	ls_fixed_format(rs->threshold, thr);
	ls_fixed_format(max_deduct, most);
	ls_fixed_format(lowest, low);
	if (rs->base < rs->threshold) {
		ok = buf_printf(&msg, "every lead scores below the threshold: the base score %s is "
		                      "below the threshold %s, so every lead is disqualified",
		                base, thr);
		if (ok)
			add(x, "threshold-always", false, rs->policy_file, &msg);
	} else if (lowest >= rs->threshold && any_rule_can_match) {
		ok = buf_printf(&msg, "no lead can score below the threshold %s: the rules deduct at "
		                      "most %s from the base score %s (lowest score %s), so only "
		                      "rules with \"disqualify\": true disqualify",
		                thr, most, base, low);
		if (ok)
			add(x, "threshold-unreachable", false, rs->policy_file, &msg);
	}
	if (!ok)
		x->st = err_nomem(x->err);
	buf_free(&msg);
}

/* The policy's require: a condition that can never hold makes no record a
 * lead. */
static void require_condition(struct lint *x)
{
	const ls_ruleset *rs = x->rs;

	if (!rs->has_require)
		return;
	check_values(x, "condition", "policy", "require", rs->policy_file, &rs->require);
	if (x->st == LS_OK)
		check_condition(x, "condition", "policy", "require", rs->policy_file, &rs->require);
}

static void rules(struct lint *x)
{
	const ls_ruleset *rs = x->rs;
	ls_fixed most = 0;
	bool any = false;
	size_t p, r;

	for (p = 0; p < rs->npersonas && x->st == LS_OK; p++) {
		const struct persona *per = &rs->personas[p];
		ls_fixed sum = 0;
		size_t live = 0;
		for (r = 0; r < per->nrules; r++) {
			const struct rule *rule = &per->rules[r];
			check_values(x, "rule", per->id, rule->id, per->file, &rule->when);
			if (!check_condition(x, "rule", per->id, rule->id, per->file, &rule->when))
				continue;
			live++;
			sum = fixed_add(sum, rule->deduct);
		}
		if (live == 0) {
			struct buf msg = {0};
			if (buf_printf(&msg, "persona %s never fires: none of its %zu rule%s can match",
			               per->id, per->nrules, per->nrules == 1 ? "" : "s"))
				add(x, "persona-never-fires", false, per->file, &msg);
			else
				x->st = err_nomem(x->err);
			buf_free(&msg);
		}
		any |= live > 0;
		most = fixed_add(most, persona_deduction(per, sum));
	}
	if (x->st == LS_OK)
		threshold(x, most, any);
}

static void allow_list(struct lint *x)
{
	const ls_ruleset *rs = x->rs;
	size_t i;

	for (i = 0; i < rs->nallow && x->st == LS_OK; i++) {
		const struct allow_entry *a = &rs->allow[i];
		struct buf msg = {0};
		int64_t y, ty;
		unsigned m, d, tm, td;

		check_values(x, "allow-list entry", "allow", a->id, rs->allow_file, &a->when);
		if (!ls_ruleset_allow_active(rs, i)) {
			date_to_civil(a->until, &y, &m, &d);
			date_to_civil(rs->today, &ty, &tm, &td);
			if (buf_printf(&msg,
			               "allow-list entry allow/%s ended on %04lld-%02u-%02u (today is "
			               "%04lld-%02u-%02u) and is ignored; renew or remove it",
			               a->id, (long long)y, m, d, (long long)ty, tm, td))
				add(x, "expired-allow", false, rs->allow_file, &msg);
			else
				x->st = err_nomem(x->err);
			buf_free(&msg);
			continue;
		}
		check_condition(x, "allow-list entry", "allow", a->id, rs->allow_file, &a->when);
	}
}

/* Every field the header cannot supply, not just the first; the header's
 * columns are listed once. */
static void header_fields(struct lint *x, const ls_cell *header, size_t ncols, const char *source)
{
	size_t i, column;
	bool listed = false; /* the header's columns, with the first missing field */

	for (i = 0; i < x->rs->nfields && x->st == LS_OK; i++) {
		ls_error err = {0};
		struct buf msg = {0};
		ls_status st;
		if (x->rs->fields[i].lookup != 0) /* found in its table when the rules loaded */
			continue;
		st = fieldmap_resolve(x->rs, i, header, ncols, NULL, !listed, &column, &err);
		if (st == LS_ERR_HEADER) {
			listed = listed || strstr(err.message, "; header columns:") != NULL;
			if (buf_append_str(&msg, err.message))
				add(x, strstr(err.message, "ambiguous") ? "ambiguous-field" : "missing-field",
				    true, source, &msg);
			else
				x->st = err_nomem(x->err);
		} else if (st != LS_OK) {
			x->st = err_nomem(x->err);
		}
		buf_free(&msg);
		ls_error_clear(&err);
	}
}

/* ---- Lists of values and lookup tables ---------------------------------- */

/* A warning at a line of a data file (a list, a table), named "FILE:LINE";
 * formatted: whether msg could be written. */
static void add_at_line(struct lint *x, const char *code, const char *file, unsigned long line,
                        bool formatted, struct buf *msg)
{
	struct buf at = {0};

	if (formatted && buf_printf(&at, "%s:%lu", file, line) && buf_terminate(&at))
		add(x, code, false, at.data, msg);
	else
		x->st = err_nomem(x->err);
	buf_free(&at);
	buf_free(msg);
}

/* A value listed twice is harmless but says the list is not what its
 * keeper thinks; blanks around a value mean it never equals a cell, which
 * is read trimmed. Each is reported once a list, at its first line. */
static void value_lists(struct lint *x)
{
	size_t i;

	for (i = 0; i < x->rs->nlists && x->st == LS_OK; i++) {
		const struct value_list *l = &x->rs->lists[i];
		struct buf msg = {0};

		if (l->duplicates > 0)
			add_at_line(x, "list-duplicates", l->path, l->duplicate_line,
			            buf_printf(&msg, "\"%s\" is listed before, on line %lu (ignoring "
			                             "case); %zu value%s listed twice in all",
			                       l->duplicate_value, l->duplicate_first, l->duplicates,
			                       l->duplicates == 1 ? "" : "s"),
			            &msg);
		if (l->blanked > 0 && x->st == LS_OK)
			add_at_line(x, "list-blanks", l->path, l->blank_line,
			            buf_printf(&msg, "\"%s\" has blanks around it; cells are compared "
			                             "trimmed, so it never equals one (remove the blanks); "
			                             "%zu such value%s in all",
			                       l->blank_value, l->blanked, l->blanked == 1 ? "" : "s"),
			            &msg);
	}
}

/* A lookup table whose keys repeat, with "duplicates": "first": the first
 * row answers, which may not be the one meant. */
static void lookup_tables(struct lint *x)
{
	size_t i;

	for (i = 0; i < x->rs->nlookups && x->st == LS_OK; i++) {
		const struct lookup *lk = &x->rs->lookups[i];
		struct buf msg = {0};

		if (lk->duplicates > 0)
			add_at_line(x, "lookup-duplicates", lk->file, lk->duplicate_line,
			            buf_printf(&msg, "the key of lookup \"%s\" repeats line %lu, whose row "
			                             "is used (\"duplicates\": \"first\"); %zu row%s left "
			                             "out in all",
			                       lk->name, lk->duplicate_first, lk->duplicates,
			                       lk->duplicates == 1 ? "" : "s"),
			            &msg);
	}
}

ls_status ls_lint_run(ls_lint **out, const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                      const char *source, ls_error *err)
{
	struct lint x = {rs, NULL, err, LS_OK};

	*out = NULL;
	x.out = calloc(1, sizeof(*x.out));
	if (x.out == NULL)
		return err_nomem(err);
	if (header != NULL)
		header_fields(&x, header, ncols, source);
	if (x.st == LS_OK)
		identical_rules(&x);
	if (x.st == LS_OK)
		require_condition(&x);
	if (x.st == LS_OK)
		rules(&x);
	if (x.st == LS_OK)
		allow_list(&x);
	if (x.st == LS_OK)
		value_lists(&x);
	if (x.st == LS_OK)
		lookup_tables(&x);
	if (x.st != LS_OK) {
		ls_lint_free(x.out);
		return x.st;
	}
	*out = x.out;
	return LS_OK;
}
