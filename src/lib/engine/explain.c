/* SPDX-License-Identifier: MIT */
/* explain.c - how one row was scored: every rule, every condition, how each
 * cell was read, and the deductions with their caps. Uses the evaluator the
 * scorer uses, so the trace cannot disagree with the score. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "base/error.h"
#include "base/number.h"
#include "base/text.h"
#include "rules/lookup.h"

struct explanation {
	ls_explanation pub;
	ls_trace_persona *personas;
	ls_trace_rule *rules;     /* every persona's rules, the allow entries, require */
	size_t nrules;
	ls_trace_node **nodes;    /* per rule */
	ls_trace_lookup *lookups;
};

const char *ls_read_as_name(ls_read_as read)
{
	static const char *const names[] = {
		[LS_READ_TEXT] = "text",           [LS_READ_EMPTY] = "empty",
		[LS_READ_NUMBER] = "number",       [LS_READ_BAND] = "band lower bound",
		[LS_READ_NOT_NUMBER] = "not a number", [LS_READ_DATE] = "date",
		[LS_READ_NOT_DATE] = "not a date",
	};
	return (size_t)read < sizeof(names) / sizeof(names[0]) ? names[read] : "?";
}

void ls_explanation_free(ls_explanation *pub)
{
	struct explanation *x = (struct explanation *)pub;
	size_t i;

	if (x == NULL)
		return;
	for (i = 0; x->nodes != NULL && i < x->nrules; i++)
		free(x->nodes[i]);
	free(x->nodes);
	free(x->rules);
	free(x->personas);
	free(x->lookups);
	free(x);
}

static size_t count_nodes(const struct cond *c)
{
	size_t n = 1, i;

	for (i = 0; i < c->nkids; i++)
		n += count_nodes(&c->kids[i]);
	return n;
}

static void read_leaf(const ls_engine *e, const struct cond *c, ls_trace_node *t)
{
	const struct slot *s = &e->slots[c->field];
	bool band = false;

	t->read = s->trimmed.len == 0 ? LS_READ_EMPTY : LS_READ_TEXT;
	if (t->read == LS_READ_EMPTY)
		return;
	if (c->dated) {
		t->read = s->date_kind == DATE_OK ? LS_READ_DATE : LS_READ_NOT_DATE;
		t->day = s->day;
	} else if (c->numeric) {
		number_parse_band(s->trimmed.ptr, s->trimmed.len, &t->number, &band);
		t->read = s->kind != LS_NUM_OK ? LS_READ_NOT_NUMBER
		          : band               ? LS_READ_BAND
		                               : LS_READ_NUMBER;
	}
}

/* Traces c and its descendants into t (depth first); returns false when
 * evaluation ran out of memory. */
static bool trace(const ls_engine *e, const ls_cell *cells, const struct cond *c, unsigned depth,
                  struct eval_ctx *ctx, ls_trace_node *t, size_t *n)
{
	ls_trace_node *node = &t[(*n)++];
	size_t i;

	memset(node, 0, sizeof(*node));
	node->kind = c->kind == COND_ALL ? LS_NODE_ALL
	             : c->kind == COND_ANY ? LS_NODE_ANY
	             : c->kind == COND_NOT ? LS_NODE_NOT
	                                   : LS_NODE_LEAF;
	node->depth = depth;
	node->result = cond_eval(c, ctx);
	if (ctx->nomem)
		return false;
	if (c->kind == COND_LEAF) {
		node->field = e->rs->fields[c->field].name;
		node->column = e->column_names[c->field];
		const struct field_use *f = &e->rs->fields[c->field];
		node->cell = e->slots[c->field].raw;
		if (f->lookup != 0) {
			const struct lookup *lk = &e->rs->lookups[f->lookup - 1];
			size_t row = e->lookup_rows[f->lookup - 1];
			node->lookup = lk->name;
			node->lookup_line = row == SIZE_MAX ? 0 : lk->lines[row + 1];
		}
		node->op = cond_op_name(c->op);
		node->value = c->value_text;
		node->case_sensitive = c->case_sensitive;
		read_leaf(e, c, node);
	}
	for (i = 0; i < c->nkids; i++)
		if (!trace(e, cells, &c->kids[i], depth + 1, ctx, t, n))
			return false;
	return true;
}

static bool trace_rule(struct explanation *x, size_t k, const ls_engine *e, const ls_cell *cells,
                       const struct cond *when, struct eval_ctx *ctx)
{
	ls_trace_rule *r = &x->rules[k];
	ls_trace_node *nodes = calloc(count_nodes(when), sizeof(*nodes));

	x->nodes[k] = nodes;
	if (nodes == NULL || !trace(e, cells, when, 0, ctx, nodes, &r->nnodes))
		return false;
	r->nodes = nodes;
	r->matched = nodes[0].result;
	return true;
}

ls_status ls_engine_explain(ls_engine *e, const ls_cell *cells, size_t ncells,
                            ls_explanation **out)
{
	const ls_ruleset *rs = e->rs;
	struct explanation *x;
	struct eval_ctx ctx;
	size_t p, r, k = 0, nrules = e->rule_base[rs->npersonas];
	ls_status st;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return LS_ERR_NOMEM;
	st = ls_engine_score(e, cells, ncells, &x->pub.result);
	if (st != LS_OK) {
		free(x);
		return st;
	}
	/* The same row stamp as the scoring: the cells read are reused. */
	ctx = (struct eval_ctx){e->slots, e->calls, rs->today, false};
	x->nrules = nrules + rs->nallow + rs->has_require;
	x->personas = calloc(rs->npersonas + 1, sizeof(*x->personas));
	x->rules = calloc(x->nrules + 1, sizeof(*x->rules));
	x->nodes = calloc(x->nrules + 1, sizeof(*x->nodes));
	x->lookups = calloc(rs->nlookups + 1, sizeof(*x->lookups));
	if (x->personas == NULL || x->rules == NULL || x->nodes == NULL || x->lookups == NULL)
		goto nomem;
	for (p = 0; p < rs->nlookups; p++) {
		const struct lookup *lk = &rs->lookups[p];
		size_t row = e->lookup_rows[p];
		ls_trace_lookup *t = &x->lookups[x->pub.nlookups];
		if (!lk->used) /* no rule reads it: not loaded */
			continue;
		t->name = lk->name;
		t->file = lk->file;
		t->key = lookup_key_part(lk, e->slots[lk->match_field].trimmed);
		t->line = row == SIZE_MAX ? 0 : lk->lines[row + 1];
		x->pub.nlookups++;
	}
	x->pub.lookups = x->lookups;
	if (rs->has_require) {
		ls_trace_rule *req = &x->rules[x->nrules - 1];
		req->id = "require";
		req->reason = x->pub.result.not_lead ? x->pub.result.reasons : "";
		req->active = true;
		if (!trace_rule(x, x->nrules - 1, e, cells, &rs->require, &ctx))
			goto nomem;
		x->pub.require = req;
	}
	/* A row that is not a lead is not scored: nothing more to trace. */
	for (p = 0; p < rs->npersonas && !x->pub.result.not_lead; p++) {
		const struct persona *per = &rs->personas[p];
		ls_trace_persona *tp = &x->personas[p];
		tp->id = per->id;
		tp->rules = &x->rules[k];
		tp->nrules = per->nrules;
		tp->capped = per->capped;
		tp->max_deduct = per->max_deduct;
		for (r = 0; r < per->nrules; r++, k++) {
			const struct rule *rule = &per->rules[r];
			x->rules[k].id = rule->id;
			x->rules[k].reason = rule->reason;
			x->rules[k].deduct = rule->deduct;
			x->rules[k].disqualify = rule->disqualify;
			x->rules[k].active = true;
			if (!trace_rule(x, k, e, cells, &rule->when, &ctx))
				goto nomem;
			if (x->rules[k].matched)
				tp->matched_sum = fixed_add(tp->matched_sum, rule->deduct);
		}
		tp->deducted = persona_deduction(per, tp->matched_sum);
	}
	for (p = 0; p < rs->nallow && !x->pub.result.not_lead; p++, k++) {
		const struct allow_entry *a = &rs->allow[p];
		x->rules[k].id = a->id;
		x->rules[k].reason = a->reason;
		x->rules[k].active = ls_ruleset_allow_active(rs, p);
		if (!trace_rule(x, k, e, cells, &a->when, &ctx))
			goto nomem;
		x->rules[k].matched &= x->rules[k].active;
	}
	x->pub.base = e->base;
	x->pub.threshold = e->threshold;
	x->pub.below_threshold = !x->pub.result.not_lead && x->pub.result.score < e->threshold;
	x->pub.personas = x->personas;
	x->pub.npersonas = x->pub.result.not_lead ? 0 : rs->npersonas;
	x->pub.allow = &x->rules[nrules];
	x->pub.nallow = x->pub.result.not_lead ? 0 : rs->nallow;
	*out = &x->pub;
	return LS_OK;
nomem:
	ls_explanation_free(&x->pub);
	return LS_ERR_NOMEM;
}
