/* SPDX-License-Identifier: MIT */
/* score.c - the engine: rules bound to a header, scoring one row at a time,
 * and the statistics of a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "base/error.h"
#include "rules/fieldmap.h"
#include "rules/lookup.h"
#include "base/number.h"
#include "base/text.h"


void ls_engine_free(ls_engine *e)
{
	size_t i, nrules;

	if (e == NULL)
		return;
	for (i = 0; e->slots != NULL && i < e->rs->nfields; i++) {
		buf_free(&e->slots[i].folded);
		buf_free(&e->slots[i].copy);
		if (e->column_names != NULL)
			free(e->column_names[i]);
	}
	nrules = e->rule_base != NULL ? e->rule_base[e->rs->npersonas] : 0;
	for (i = 0; e->reason_text != NULL && i < nrules; i++)
		free(e->reason_text[i]);
	free(e->slots);
	free(e->column_names);
	free(e->missing);
	free(e->missing_hits);
	for (i = 0; i < 2; i++) {
		free(e->typed[i].index);
		free(e->typed[i].count);
	}
	free(e->reason_text);
	free(e->rule_base);
	free(e->rule_persona);
	free(e->rule_hits);
	free(e->rule_last);
	prefilter_free(e->prefilter);
	free(e->candidates);
	free(e->persona_hits);
	for (i = 0; e->allow_text != NULL && i < e->rs->nallow; i++)
		free(e->allow_text[i]);
	free(e->allow_text);
	free(e->allow_hits);
	free(e->not_lead_text);
	free(e->lookup_rows);
	free(e->table_fields);
	buf_free(&e->lookup_key);
	buf_free(&e->reasons);
	free(e);
}

static char *reason_text(const char *group, const char *id, const char *why)
{
	size_t n = strlen(group) + strlen(id) + strlen(why) + 4;
	char *text = malloc(n);

	if (text != NULL)
		snprintf(text, n, "%s/%s: %s", group, id, why);
	return text;
}

/* Formats every rule's reason once, so scoring only copies bytes. */
static bool prepare_reasons(ls_engine *e)
{
	const ls_ruleset *rs = e->rs;
	size_t p, r, k = 0;

	if (rs->has_require) {
		size_t n = strlen(rs->require_text) + 40;
		e->not_lead_text = malloc(n);
		if (e->not_lead_text == NULL)
			return false;
		snprintf(e->not_lead_text, n, "not a lead: fails policy require %s", rs->require_text);
	}

	for (k = 0; k < rs->nallow; k++) {
		e->allow_text[k] = reason_text("allow", rs->allow[k].id, rs->allow[k].reason);
		if (e->allow_text[k] == NULL)
			return false;
	}
	k = 0;
	for (p = 0; p < rs->npersonas; p++) {
		for (r = 0; r < rs->personas[p].nrules; r++, k++) {
			e->reason_text[k] = reason_text(rs->personas[p].id, rs->personas[p].rules[r].id,
			                                rs->personas[p].rules[r].reason);
			if (e->reason_text[k] == NULL)
				return false;
		}
	}
	return true;
}

ls_status ls_engine_new(ls_engine **out, const ls_ruleset *rs, const ls_cell *header,
                        size_t ncols, const char *source, ls_error *err)
{
	ls_engine *e = NULL;
	size_t *columns = NULL, i, k, nrules = 0;
	ls_status st = LS_OK;

	*out = NULL;
	if (rs == NULL || (header == NULL && ncols > 0))
		return ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0, "no rules or no header");
	e = calloc(1, sizeof(*e));
	columns = calloc(rs->nfields + 1, sizeof(*columns));
	if (e == NULL || columns == NULL) {
		st = err_nomem(err);
		goto out;
	}
	e->rs = rs;
	e->ncols = ncols;
	e->base = rs->base;
	e->threshold = rs->threshold;
	st = fieldmap_bind(rs, header, ncols, source, columns, err);
	if (st != LS_OK)
		goto out;

	e->rule_base = calloc(rs->npersonas + 1, sizeof(*e->rule_base));
	if (e->rule_base == NULL) {
		st = err_nomem(err);
		goto out;
	}
	for (i = 0; i < rs->npersonas; i++) {
		e->rule_base[i] = nrules;
		nrules += rs->personas[i].nrules;
	}
	e->rule_base[rs->npersonas] = nrules;
	e->rule_persona = calloc(nrules + 1, sizeof(*e->rule_persona));
	if (e->rule_persona == NULL) {
		st = err_nomem(err);
		goto out;
	}
	for (i = 0, k = 0; k < nrules; k++) {
		while (k >= e->rule_base[i + 1])
			i++;
		e->rule_persona[k] = i;
	}

	e->slots = calloc(rs->nfields + 1, sizeof(*e->slots));
	e->column_names = calloc(rs->nfields + 1, sizeof(*e->column_names));
	e->missing = calloc(rs->nfields + 1, sizeof(*e->missing));
	e->missing_hits = calloc(rs->nfields + 1, sizeof(*e->missing_hits));
	for (i = 0; i < 2; i++) {
		e->typed[i].index = calloc(rs->nfields + 1, sizeof(*e->typed[i].index));
		e->typed[i].count = calloc(rs->nfields + 1, sizeof(*e->typed[i].count));
		if (e->typed[i].index == NULL || e->typed[i].count == NULL) {
			st = err_nomem(err);
			goto out;
		}
	}
	e->reason_text = calloc(nrules, sizeof(*e->reason_text));
	e->rule_hits = calloc(nrules, sizeof(*e->rule_hits));
	e->rule_last = calloc(nrules, sizeof(*e->rule_last));
	e->persona_hits = calloc(rs->npersonas, sizeof(*e->persona_hits));
	e->prefilter = prefilter_new(rs);
	if (e->prefilter != NULL)
		e->candidates = calloc(2 * prefilter_words(e->prefilter) + 1,
		                       sizeof(*e->candidates));
	e->allow_hits = calloc(rs->nallow + 1, sizeof(*e->allow_hits));
	e->allow_text = calloc(rs->nallow + 1, sizeof(*e->allow_text));
	if (e->slots == NULL || e->column_names == NULL || e->missing == NULL ||
	    e->missing_hits == NULL || e->reason_text == NULL ||
	    e->rule_hits == NULL || e->rule_last == NULL || e->candidates == NULL ||
	    e->persona_hits == NULL || e->allow_hits == NULL || e->allow_text == NULL ||
	    !prepare_reasons(e)) {
		st = err_nomem(err);
		goto out;
	}
	e->lookup_rows = calloc(rs->nlookups + 1, sizeof(*e->lookup_rows));
	e->table_fields = calloc(rs->nfields + 1, sizeof(*e->table_fields));
	if (e->lookup_rows == NULL || e->table_fields == NULL) {
		st = err_nomem(err);
		goto out;
	}
	/* Which fields come from a table is known now, not per row. */
	for (i = 0, k = rs->nfields; i < rs->nfields; i++) {
		if (rs->fields[i].lookup != 0)
			e->table_fields[e->ntable_fields++] = i;
		else
			e->table_fields[--k] = i;
	}
	for (i = 0; i < rs->nfields; i++) {
		/* A lookup table's column is named by the table's header. */
		const ls_cell *names = rs->fields[i].lookup != 0
		                               ? rs->lookups[rs->fields[i].lookup - 1].header
		                               : header;
		e->slots[i].column = columns[i];
		e->column_names[i] = text_dup(names[columns[i]].ptr, names[columns[i]].len);
		if (e->column_names[i] == NULL) {
			st = err_nomem(err);
			goto out;
		}
		e->missing[i] = ruleset_missing_values(rs, rs->fields[i].name);
		if (rs->fields[i].numeric)
			e->typed[LS_FIELD_NUMBER].index[e->typed[LS_FIELD_NUMBER].n++] = i;
		if (rs->fields[i].dated)
			e->typed[LS_FIELD_DATE].index[e->typed[LS_FIELD_DATE].n++] = i;
	}
out:
	free(columns);
	if (st != LS_OK) {
		ls_engine_free(e);
		return st;
	}
	*out = e;
	return LS_OK;
}

ls_status ls_engine_bind(ls_engine **out, const ls_ruleset *rs, const struct ls_row *header,
                         const char *source, ls_error *err)
{
	ls_status st = ls_engine_new(out, rs, ls_row_text(header), header->ncells, source, err);

	if (st != LS_OK && err != NULL && err->line == 0)
		err->line = header->line;
	return st;
}

/* The first EXAMPLE_BYTES - 1 bytes of a cell at most, whole UTF-8
 * characters only, any other byte (and a control character) as '?': safe
 * to print and to put in JSON. */
__attribute__((noinline)) static void copy_example(char *out, ls_cell cell)
{
	const unsigned char *p = (const unsigned char *)cell.ptr;
	size_t i = 0, o = 0, n;

	while (i < cell.len) {
		n = ls_utf8_length(cell.ptr + i, cell.len - i);
		if (n == 0 || p[i] < 0x20 || p[i] == 0x7f)
			n = 0;
		if (o + (n ? n : 1) >= EXAMPLE_BYTES)
			break;
		if (n == 0) {
			out[o++] = '?';
			i++;
		} else {
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
}

static inline void count_cell(struct typed_count *c, ls_cell cell, bool filled, bool unreadable)
{
	c->cells += filled;
	c->invalid += unreadable;
	if (unreadable && c->example[0] == '\0')
		copy_example(c->example, cell);
}

/* Counts the i-th numeric (date) field of the row read. */
static inline void count_number(ls_engine *e, size_t i)
{
	struct typed *t = &e->typed[LS_FIELD_NUMBER];
	const struct slot *s = &e->slots[t->index[i]];

	count_cell(&t->count[i], s->trimmed, s->kind != LS_NUM_EMPTY, s->kind == LS_NUM_INVALID);
}

static inline void count_date(ls_engine *e, size_t i)
{
	struct typed *t = &e->typed[LS_FIELD_DATE];
	const struct slot *s = &e->slots[t->index[i]];

	count_cell(&t->count[i], s->trimmed, s->date_kind != DATE_EMPTY,
	           s->date_kind == DATE_INVALID);
}

/* Reads the i-th field's cell: trimmed, a placeholder ("Select", "N/A")
 * read as empty. */
static inline void load_cell(ls_engine *e, size_t i, ls_cell cell, bool count)
{
	struct slot *s = &e->slots[i];

	s->raw = cell;
	s->trimmed = ls_cell_trim(cell);
	s->placeholder = s->trimmed.len > 0 && missing_values_has(e->missing[i], s->trimmed);
	if (s->placeholder)
		s->trimmed.len = 0;
	e->missing_hits[i] += count && s->placeholder;
}

/* Finds each lookup table's row for the lead (its match field read), then
 * reads the tables' fields from them; no row reads as empty cells. */
static bool load_lookups(ls_engine *e, bool count)
{
	const ls_ruleset *rs = e->rs;
	size_t k;

	for (k = 0; k < rs->nlookups; k++) {
		const struct lookup *lk = &rs->lookups[k];
		e->lookup_rows[k] = SIZE_MAX;
		if (lk->used && !lookup_match(lk, e->slots[lk->match_field].trimmed, &e->lookup_key,
		                              &e->lookup_rows[k]))
			return false;
	}
	for (k = 0; k < e->ntable_fields; k++) {
		size_t i = e->table_fields[k], t = rs->fields[i].lookup - 1, row = e->lookup_rows[t];
		const struct lookup *lk = &rs->lookups[t];
		load_cell(e, i, row == SIZE_MAX ? (ls_cell){"", 0}
		                                : lk->cells[row * lk->ncols + e->slots[i].column],
		          count);
	}
	return true;
}

bool engine_load_row(ls_engine *e, const ls_cell *cells, bool count)
{
	struct typed *num = &e->typed[LS_FIELD_NUMBER], *date = &e->typed[LS_FIELD_DATE];
	const ls_ruleset *rs = e->rs;
	size_t i;

	if (rs->nlookups == 0) {
		for (i = 0; i < rs->nfields; i++)
			load_cell(e, i, cells[e->slots[i].column], count);
	} else {
		/* The lead's own fields first: a table's row is found by one. */
		for (i = e->ntable_fields; i < rs->nfields; i++)
			load_cell(e, e->table_fields[i], cells[e->slots[e->table_fields[i]].column],
			          count);
		if (!load_lookups(e, count))
			return false;
	}
	for (i = 0; i < num->n; i++) {
		struct slot *s = &e->slots[num->index[i]];
		s->kind = ls_number_parse(s->trimmed.ptr, s->trimmed.len, &s->number);
		if (count)
			count_number(e, i);
	}
	for (i = 0; i < date->n; i++) {
		struct slot *s = &e->slots[date->index[i]];
		s->date_kind = date_parse(s->trimmed.ptr, s->trimmed.len, e->rs->date_order, &s->day);
		if (count)
			count_date(e, i);
	}
	return true;
}

void engine_count_row(ls_engine *e)
{
	size_t i;

	for (i = 0; i < e->rs->nfields; i++)
		e->missing_hits[i] += e->slots[i].placeholder;
	for (i = 0; i < e->typed[LS_FIELD_NUMBER].n; i++)
		count_number(e, i);
	for (i = 0; i < e->typed[LS_FIELD_DATE].n; i++)
		count_date(e, i);
}

/* Whether the row engine_load_row read fails the policy's require; res is
 * then its result. */
static bool not_a_lead(ls_engine *e, struct eval_ctx *ctx, ls_result *res)
{
	if (!e->rs->has_require || cond_eval(&e->rs->require, ctx) || ctx->nomem)
		return false;
	res->not_lead = true;
	res->reasons = e->not_lead_text;
	res->reasons_len = strlen(e->not_lead_text);
	return true;
}

/* Adds a persona's matched rules to the row's deduction, capped. */
static ls_fixed close_persona(ls_engine *e, size_t p, ls_fixed sum, ls_fixed deducted)
{
	e->persona_hits[p]++;
	return fixed_add(deducted, persona_deduction(&e->rs->personas[p], sum));
}

ls_status ls_engine_score(ls_engine *e, const ls_cell *cells, size_t ncells, ls_result *res)
{
	const ls_ruleset *rs = e->rs;
	struct eval_ctx ctx = {e->slots, ++e->calls, rs->today, false};
	ls_fixed deducted = 0, sum = 0;
	size_t p, w, open = SIZE_MAX; /* the persona whose matches `sum` adds up */

	if (ncells != e->ncols)
		return LS_ERR_USAGE;
	/* With a require, a row is counted once known to be a lead. */
	if (!engine_load_row(e, cells, !rs->has_require))
		return LS_ERR_NOMEM;
	memset(res, 0, sizeof(*res));
	if (not_a_lead(e, &ctx, res))
		return LS_OK;
	if (ctx.nomem)
		return LS_ERR_NOMEM;
	if (rs->has_require)
		engine_count_row(e);
	e->reasons.len = 0;
	if (!prefilter_candidates(e->prefilter, &ctx, e->candidates))
		return LS_ERR_NOMEM;
	/* The candidates in rule order, which is persona order: reasons come
	 * out as the rules are listed. */
	for (w = 0; w < prefilter_words(e->prefilter); w++) {
		uint64_t bits = e->candidates[w], exact = prefilter_exact(e->prefilter)[w];
		while (bits != 0) {
			uint64_t lowest = bits & -bits;
			size_t g = w * 64 + (size_t)__builtin_ctzll(bits);
			const struct rule *rule;

			bits ^= lowest;
			p = e->rule_persona[g];
			rule = &rs->personas[p].rules[g - e->rule_base[p]];
			if (!(exact & lowest) && !cond_eval(&rule->when, &ctx)) {
				if (ctx.nomem)
					return LS_ERR_NOMEM;
				continue;
			}
			if (p != open) {
				if (open != SIZE_MAX)
					deducted = close_persona(e, open, sum, deducted);
				open = p;
				sum = 0;
			}
			e->rule_hits[g]++;
			e->rule_last[g] = e->calls;
			res->matched++;
			sum = fixed_add(sum, rule->deduct);
			res->disqualified |= rule->disqualify;
			if ((e->reasons.len > 0 && !buf_append(&e->reasons, "; ", 2)) ||
			    !buf_append_str(&e->reasons, e->reason_text[g]))
				return LS_ERR_NOMEM;
		}
	}
	if (open != SIZE_MAX)
		deducted = close_persona(e, open, sum, deducted);
	res->score = fixed_sub(e->base, deducted);
	res->disqualified |= res->score < e->threshold;
	/* The sales team's word wins: an active allow entry keeps the lead, and
	 * says so at the end of the reasons. Its hits count the leads it kept:
	 * those the rules would have disqualified. */
	for (p = 0; p < rs->nallow; p++) {
		if (!ls_ruleset_allow_active(rs, p) || !cond_eval(&rs->allow[p].when, &ctx)) {
			if (ctx.nomem)
				return LS_ERR_NOMEM;
			continue;
		}
		res->allowed = true;
		e->allow_hits[p] += res->disqualified;
		if ((e->reasons.len > 0 && !buf_append(&e->reasons, "; ", 2)) ||
		    !buf_append_str(&e->reasons, e->allow_text[p]))
			return LS_ERR_NOMEM;
	}
	res->disqualified &= !res->allowed;
	if (!buf_terminate(&e->reasons))
		return LS_ERR_NOMEM;
	res->reasons = e->reasons.data;
	res->reasons_len = e->reasons.len;
	e->rows++;
	e->disqualified += res->disqualified;
	return LS_OK;
}

uint64_t ls_engine_rows_scored(const ls_engine *e) { return e->rows; }
uint64_t ls_engine_rows_disqualified(const ls_engine *e) { return e->disqualified; }
uint64_t ls_engine_persona_hits(const ls_engine *e, size_t persona)
{
	return e->persona_hits[persona];
}
uint64_t ls_engine_allow_hits(const ls_engine *e, size_t entry) { return e->allow_hits[entry]; }
uint64_t ls_engine_rule_hits(const ls_engine *e, size_t persona, size_t rule)
{
	return e->rule_hits[e->rule_base[persona] + rule];
}
bool ls_engine_rule_matched(const ls_engine *e, size_t persona, size_t rule)
{
	return e->rows > 0 && e->rule_last[e->rule_base[persona] + rule] == e->calls;
}
size_t ls_engine_typed_field_count(const ls_engine *e, ls_field_kind kind)
{
	return e->typed[kind].n;
}
const char *ls_engine_typed_field_name(const ls_engine *e, ls_field_kind kind, size_t i)
{
	return e->rs->fields[e->typed[kind].index[i]].name;
}
const char *ls_engine_typed_field_column(const ls_engine *e, ls_field_kind kind, size_t i)
{
	return e->column_names[e->typed[kind].index[i]];
}
uint64_t ls_engine_missing_values(const ls_engine *e, size_t field)
{
	return e->missing_hits[field];
}

const char *ls_engine_field_column(const ls_engine *e, size_t field)
{
	return e->column_names[field];
}

uint64_t ls_engine_typed_field_cells(const ls_engine *e, ls_field_kind kind, size_t i)
{
	return e->typed[kind].count[i].cells;
}

const char *ls_engine_typed_field_example(const ls_engine *e, ls_field_kind kind, size_t i)
{
	const char *text = e->typed[kind].count[i].example;

	return text[0] != '\0' ? text : NULL;
}

uint64_t ls_engine_typed_field_invalid(const ls_engine *e, ls_field_kind kind, size_t i)
{
	return e->typed[kind].count[i].invalid;
}

void engine_absorb_counts(ls_engine *into, ls_engine *from)
{
	size_t i, k, nrules = from->rule_base[from->rs->npersonas];

	into->rows += from->rows;
	into->disqualified += from->disqualified;
	from->rows = from->disqualified = 0;
	for (i = 0; i < nrules; i++) {
		into->rule_hits[i] += from->rule_hits[i];
		from->rule_hits[i] = 0;
	}
	for (i = 0; i < from->rs->npersonas; i++) {
		into->persona_hits[i] += from->persona_hits[i];
		from->persona_hits[i] = 0;
	}
	for (i = 0; i < from->rs->nallow; i++) {
		into->allow_hits[i] += from->allow_hits[i];
		from->allow_hits[i] = 0;
	}
	for (i = 0; i < from->rs->nfields; i++) {
		into->missing_hits[i] += from->missing_hits[i];
		from->missing_hits[i] = 0;
	}
	for (k = 0; k < 2; k++) {
		for (i = 0; i < from->typed[k].n; i++) {
			struct typed_count *a = &into->typed[k].count[i], *b = &from->typed[k].count[i];
			a->cells += b->cells;
			a->invalid += b->invalid;
			/* Absorbed in input order: the earliest example stays. */
			if (a->example[0] == '\0')
				memcpy(a->example, b->example, sizeof(a->example));
			memset(b, 0, sizeof(*b));
		}
	}
}
