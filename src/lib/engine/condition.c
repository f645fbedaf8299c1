/* SPDX-License-Identifier: MIT */
/* condition.c - evaluating compiled conditions against one row. */
#include "engine/condition.h"

#include <errno.h>
#include <string.h>

#include "base/text.h"
#include "rules/strset.h"

bool cond_field_text(size_t field, bool case_sensitive, struct eval_ctx *ctx, ls_cell *out)
{
	struct slot *s = &ctx->slots[field];

	if (case_sensitive) {
		*out = s->trimmed;
		return true;
	}
	if (s->folded_row != ctx->row) {
		s->folded.len = 0;
		if (!buf_reserve(&s->folded, TEXT_FOLD_ROOM(s->trimmed.len) + 1)) {
			ctx->nomem = true;
			return false;
		}
		s->folded.len = text_fold(s->folded.data, s->trimmed.ptr, s->trimmed.len);
		s->folded_row = ctx->row;
	}
	out->ptr = s->folded.data;
	out->len = s->folded.len;
	return true;
}

/* The trimmed cell as a C string. regexec is told the length (REG_STARTEND)
 * so NUL bytes inside still count, but some regexec wrappers (sanitizers,
 * other libcs) read up to a terminator regardless. */
static bool terminated_text(struct slot *s, struct eval_ctx *ctx, ls_cell *out)
{
	if (s->copy_row != ctx->row) {
		s->copy.len = 0;
		if (!buf_append(&s->copy, s->trimmed.ptr, s->trimmed.len) || !buf_terminate(&s->copy)) {
			ctx->nomem = true;
			return false;
		}
		s->copy_row = ctx->row;
	}
	out->ptr = s->copy.data;
	out->len = s->copy.len;
	return true;
}

static bool str_equal(ls_cell cell, const struct str_operand *v)
{
	return cell.len == v->len && memcmp(cell.ptr, v->ptr, v->len) == 0;
}

bool cond_str_test(enum cond_op op, ls_cell cell, const struct str_operand *v)
{
	switch (op) {
	case OP_CONTAINS:
	case OP_NOT_CONTAINS:
		return text_contains(cell.ptr, cell.len, v->ptr, v->len);
	case OP_STARTS_WITH:
		return cell.len >= v->len && memcmp(cell.ptr, v->ptr, v->len) == 0;
	case OP_ENDS_WITH:
		return cell.len >= v->len && memcmp(cell.ptr + cell.len - v->len, v->ptr, v->len) == 0;
	default:
		return str_equal(cell, v);
	}
}

static bool any_string(const struct cond *c, ls_cell cell)
{
	size_t i;

	if (c->set != NULL)
		return strset_any(c->set, cell);
	for (i = 0; i < c->nstrs; i++)
		if (cond_str_test(c->op, cell, &c->strs[i]))
			return true;
	return false;
}

/* regexec with the pattern's ASCII form when it has one and the cell is
 * ASCII (no locale switch), else with its UTF-8 form in the UTF-8 locale. */
static int match_pattern(const struct pattern *p, ls_cell cell, bool ascii, regmatch_t *span)
{
	locale_t was;
	int rc;

	if (p->has_ascii && (ascii || !p->has_utf8))
		return regexec(&p->ascii, cell.ptr, 1, span, REG_STARTEND);
	was = uselocale(text_locale());
	rc = regexec(&p->utf8, cell.ptr, 1, span, REG_STARTEND);
	uselocale(was);
	return rc;
}

static bool any_regex(const struct cond *c, struct eval_ctx *ctx)
{
	regmatch_t span;
	ls_cell cell;
	bool ascii;
	size_t i;

	if (!terminated_text(&ctx->slots[c->field], ctx, &cell))
		return false;
	ascii = !text_has_high_bytes(cell.ptr, cell.len);
	/* REG_STARTEND bounds the match by length, so a cell holding NUL bytes
	 * is matched whole. */
	for (i = 0; i < c->npatterns; i++) {
		int rc;
		span.rm_so = 0;
		span.rm_eo = (regoff_t)cell.len;
		/* glibc's regexec can lose a failed allocation and answer "no
		 * match" (found by tests/alloc); errno still says ENOMEM. */
		errno = 0;
		rc = match_pattern(&c->patterns[i], cell, ascii, &span);
		if (rc == 0)
			return true;
		if (rc == REG_ESPACE || errno == ENOMEM) { /* out of memory, not "no match" */
			ctx->nomem = true;
			return false;
		}
	}
	return false;
}

static bool any_number(const struct cond *c, const struct slot *s)
{
	size_t i;

	if (s->kind != LS_NUM_OK)
		return false;
	for (i = 0; i < c->nnums; i++)
		if (s->number == c->nums[i])
			return true;
	return false;
}

static bool eval_leaf(const struct cond *c, struct eval_ctx *ctx)
{
	const struct slot *s = &ctx->slots[c->field];
	ls_cell text;
	bool hit;

	switch (c->op) {
	case OP_EMPTY:
		return s->trimmed.len == 0;
	case OP_NOT_EMPTY:
		return s->trimmed.len != 0;
	case OP_LT:
		return s->kind == LS_NUM_OK && s->number < c->lo;
	case OP_LTE:
		return s->kind == LS_NUM_OK && s->number <= c->lo;
	case OP_GT:
		return s->kind == LS_NUM_OK && s->number > c->lo;
	case OP_GTE:
		return s->kind == LS_NUM_OK && s->number >= c->lo;
	case OP_BETWEEN:
		return s->kind == LS_NUM_OK && s->number >= c->lo && s->number <= c->hi;
	case OP_MATCHES:
		return any_regex(c, ctx);
	case OP_BEFORE:
		return s->date_kind == DATE_OK && s->day < c->day;
	case OP_AFTER:
		return s->date_kind == DATE_OK && s->day > c->day;
	case OP_OLDER_THAN:
		return s->date_kind == DATE_OK && s->day < date_minus_age(ctx->today, c->age);
	case OP_NEWER_THAN:
		return s->date_kind == DATE_OK && s->day >= date_minus_age(ctx->today, c->age);
	default:
		break;
	}
	if ((c->op == OP_EQ || c->op == OP_NE) && c->numeric) {
		/* A numeric comparison: blank and non-numeric cells satisfy neither. */
		if (s->kind != LS_NUM_OK)
			return false;
		return c->op == OP_EQ ? s->number == c->lo : s->number != c->lo;
	}

	hit = any_number(c, s);
	if (!hit && c->nstrs > 0) {
		if (!cond_field_text(c->field, c->case_sensitive, ctx, &text))
			return false;
		hit = any_string(c, text);
	}
	switch (c->op) {
	case OP_NE:
	case OP_NOT_IN:
	case OP_NOT_CONTAINS:
		return !hit;
	default:
		return hit;
	}
}

bool cond_eval(const struct cond *c, struct eval_ctx *ctx)
{
	size_t i;

	switch (c->kind) {
	case COND_ALL:
		for (i = 0; i < c->nkids; i++)
			if (!cond_eval(&c->kids[i], ctx))
				return false;
		return true;
	case COND_ANY:
		for (i = 0; i < c->nkids; i++)
			if (cond_eval(&c->kids[i], ctx))
				return true;
		return false;
	case COND_NOT:
		return !cond_eval(&c->kids[0], ctx) && !ctx->nomem;
	case COND_LEAF:
		return eval_leaf(c, ctx);
	}
	return false;
}
