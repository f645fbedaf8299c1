/* SPDX-License-Identifier: MIT */
/* sweep.h - the library's whole pipeline (read, bind, score or explain,
 * backtest, summary, lint) with each allocation it makes failing in turn.
 * Each module's unit test runs it with the steps that reach the module, so
 * that a failure path that goes on, or reports the wrong error, dies in
 * seconds (tests/mutate runs a file's own unit test first). */
#ifndef LS_SWEEP_H
#define LS_SWEEP_H

#include <stdio.h>

#include "unit.h"

enum {
	SWEEP_SCORE = 1,     /* ls_engine_score every row */
	SWEEP_EXPLAIN = 2,   /* ls_engine_explain every row */
	SWEEP_BACKTEST = 4,  /* and count it in a backtest (needs outcome) */
	SWEEP_STATS = 8,     /* ls_stats_json at the end */
	SWEEP_LINT = 16      /* ls_lint_run with the header */
};

struct sweep {
	const char *rules;    /* a persona file or directory */
	const char *csv;      /* leads, header first */
	const char *outcome;  /* SWEEP_BACKTEST: the column; "Yes" is converted */
	const char *value;    /* SWEEP_BACKTEST: the column of values, or NULL */
	unsigned steps;
	uint64_t max_rows;    /* read no more (0: all): explaining allocates per row */
	/* Set by sweep_run: */
	ls_ruleset *rs;
	char *text;
	size_t len;
	uint64_t want;
};

static inline uint64_t sweep_fixed(uint64_t h, ls_fixed v)
{
	return unit_fnv(h, &v, sizeof(v));
}

static inline uint64_t sweep_result(uint64_t h, const ls_result *res)
{
	h = sweep_fixed(h, res->score);
	h = unit_fnv(h, &res->disqualified, sizeof(res->disqualified));
	h = unit_fnv(h, res->reasons, res->reasons_len);
	h = unit_fnv(h, &res->matched, sizeof(res->matched));
	return unit_fnv(h, &res->allowed, sizeof(res->allowed));
}

static inline uint64_t sweep_explanation(uint64_t h, const ls_explanation *x)
{
	size_t p, r, n;

	h = sweep_result(h, &x->result);
	h = unit_fnv(h, &x->below_threshold, sizeof(x->below_threshold));
	for (p = 0; p <= x->npersonas; p++) {
		const ls_trace_rule *rules = p < x->npersonas ? x->personas[p].rules : x->allow;
		size_t nrules = p < x->npersonas ? x->personas[p].nrules : x->nallow;

		if (p < x->npersonas) {
			h = unit_fnv_str(h, x->personas[p].id);
			h = sweep_fixed(h, x->personas[p].deducted);
		}
		for (r = 0; r < nrules; r++) {
			h = unit_fnv_str(h, rules[r].id);
			h = unit_fnv(h, &rules[r].matched, sizeof(rules[r].matched));
			for (n = 0; n < rules[r].nnodes; n++) {
				const ls_trace_node *t = &rules[r].nodes[n];

				h = unit_fnv(h, &t->kind, sizeof(t->kind));
				h = unit_fnv(h, &t->result, sizeof(t->result));
				if (t->kind != LS_NODE_LEAF)
					continue;
				h = unit_fnv_str(unit_fnv_str(h, t->field), t->column);
				h = unit_fnv(h, t->cell.ptr, t->cell.len);
				h = unit_fnv(h, &t->read, sizeof(t->read));
				h = unit_fnv_str(unit_fnv_str(h, t->op), t->value);
			}
		}
	}
	return h;
}

/* Field by field: the struct's padding holds nothing to compare. */
static inline uint64_t sweep_hits(uint64_t h, const ls_backtest_hits *x)
{
	const uint64_t counts[] = {x->hits, x->converted, x->alone, x->alone_converted, x->tested,
	                           (uint64_t)x->verdict};
	const double rates[] = {x->rate_low, x->lift_high, x->alone_high, x->p_value, x->q_value};

	return unit_fnv(unit_fnv(h, counts, sizeof(counts)), rates, sizeof(rates));
}

static inline uint64_t sweep_backtest(uint64_t h, const ls_backtest *bt, const ls_ruleset *rs)
{
	ls_backtest_totals t;
	ls_backtest_hits hits;
	size_t p, r, i;

	ls_backtest_get_totals(bt, &t);
	h = unit_fnv(h, t.matrix, sizeof(t.matrix));
	h = unit_fnv(h, &t.converted_value, sizeof(t.converted_value));
	h = unit_fnv(h, &t.missed_value, sizeof(t.missed_value));
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(bt, p, &hits);
		h = sweep_hits(h, &hits);
		for (r = 0; r < ls_ruleset_rule_count(rs, p); r++) {
			ls_backtest_rule(bt, p, r, &hits);
			h = sweep_hits(h, &hits);
		}
	}
	for (i = 0; i < ls_backtest_bin_count(bt); i++) {
		ls_fixed low;
		uint64_t yes, no;

		ls_backtest_bin(bt, i, &low, &yes, &no);
		h = sweep_fixed(h, low);
		h = unit_fnv(h, &yes, sizeof(yes));
		h = unit_fnv(h, &no, sizeof(no));
	}
	return h;
}

static inline size_t sweep_column(const ls_row *header, const char *name)
{
	size_t i;

	for (i = 0; i < header->ncells; i++)
		if (header->cells[i].len == strlen(name) &&
		    memcmp(header->cells[i].ptr, name, header->cells[i].len) == 0)
			return i;
	fail_msg("no column %s", name);
	return 0;
}

/* One run of the steps; the digest of everything they answered. */
static inline ls_status sweep_once(void *arg)
{
	struct sweep *s = arg;
	ls_reader *r = NULL;
	ls_engine *e = NULL;
	ls_backtest *bt = NULL;
	ls_lint *lint = NULL;
	ls_error err = {0};
	ls_row row;
	size_t ncols = 0, outcome = 0, value = 0, i;
	uint64_t h = UNIT_FNV_START, rows = 0;
	ls_status st = ls_reader_open_mem(&r, s->text, s->len, s->csv, ',', &err);

	if (st == LS_OK)
		st = ls_reader_next(r, &row, &err);
	if (st == LS_OK) {
		/* The header's cells are gone at the next record: the engine and
		 * lint keep copies of what they need. */
		ncols = row.ncells;
		if (s->steps & SWEEP_BACKTEST) {
			outcome = sweep_column(&row, s->outcome);
			value = s->value ? sweep_column(&row, s->value) : ncols;
		}
		if (s->steps & SWEEP_LINT)
			st = ls_lint_run(&lint, s->rs, row.cells, ncols, s->csv, &err);
		if (st == LS_OK)
			st = ls_engine_new(&e, s->rs, row.cells, ncols, s->csv, &err);
	}
	for (i = 0; lint != NULL && i < ls_lint_count(lint); i++) {
		const ls_finding *f = ls_lint_get(lint, i);

		h = unit_fnv_str(unit_fnv_str(unit_fnv_str(h, f->code), f->file), f->message);
	}
	if (st == LS_OK && (s->steps & SWEEP_BACKTEST))
		st = ls_backtest_new(&bt, s->rs, 10 * LS_FIXED_ONE);
	while (st == LS_OK && (s->max_rows == 0 || rows < s->max_rows) &&
	       (st = ls_reader_next(r, &row, &err)) == LS_OK) {
		ls_explanation *x = NULL;
		ls_result res;

		rows++;
		if (s->steps & SWEEP_EXPLAIN) {
			st = ls_engine_explain(e, row.cells, row.ncells, &x);
			if (st == LS_OK) {
				h = sweep_explanation(h, x);
				res = x->result;
			}
		} else {
			st = ls_engine_score(e, row.cells, row.ncells, &res);
			if (st == LS_OK)
				h = sweep_result(h, &res);
		}
		if (st == LS_OK && bt != NULL) {
			double v = 0;
			bool converted = row.cells[outcome].len == 3 &&
			                 memcmp(row.cells[outcome].ptr, "Yes", 3) == 0;
			bool has_value = value < ncols &&
			                 ls_number_parse(row.cells[value].ptr, row.cells[value].len, &v) ==
			                         LS_NUM_OK;

			st = ls_backtest_add(bt, e, &res, converted, has_value, v);
		}
		ls_explanation_free(x);
	}
	if (st == LS_DONE)
		st = LS_OK;
	if (st == LS_OK && bt != NULL)
		st = ls_backtest_finish(bt);
	if (st == LS_OK && bt != NULL)
		h = sweep_backtest(h, bt, s->rs);
	if (st == LS_OK && (s->steps & SWEEP_STATS)) {
		ls_run_info info = {.input = s->csv, .counts = {.rows_read = rows, .rows_written = rows}};
		char *json = ls_stats_json(s->rs, e, &info);

		if (json == NULL)
			st = LS_ERR_NOMEM;
		h = unit_fnv_str(h, json);
		free(json);
	}
	if (st != LS_OK)
		h = unit_fnv_str(h, err.message);
	h = unit_fnv(h, &st, sizeof(st));
	ls_backtest_free(bt);
	ls_engine_free(e);
	ls_lint_free(lint);
	ls_reader_free(r);
	ls_error_clear(&err);
	return unit_same_answer(st, h, &s->want);
}

/* Loads the rules and the leads, answers once with nothing failing, then
 * again with each allocation failing in turn. Returns how many failed. */
static inline long sweep_run(struct sweep *s)
{
	FILE *f = fopen(s->csv, "rb");
	ls_error err = {0};
	long n;

	if (f == NULL)
		fail_msg("%s: cannot open", s->csv);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	s->len = (size_t)ftell(f);
	rewind(f);
	s->text = malloc(s->len + 1);
	assert_non_null(s->text);
	assert_int_equal(fread(s->text, 1, s->len, f), s->len);
	fclose(f);
	if (ls_ruleset_load(&s->rs, &s->rules, 1, &err) != LS_OK)
		fail_msg("%s: %s", s->rules, err.message);
	ls_ruleset_set_today(s->rs, 20000); /* 2024-10-04: ages do not change */
	s->want = 0;
	if (sweep_once(s) != LS_OK)
		fail_msg("%s on %s: does not run", s->rules, s->csv);
	n = unit_alloc_sweep(sweep_once, s);
	ls_ruleset_free(s->rs);
	free(s->text);
	return n;
}

#endif
