/* SPDX-License-Identifier: MIT */
/* condition.h - evaluating compiled conditions against one row. */
#ifndef LS_CONDITION_H
#define LS_CONDITION_H

#include <stdint.h>

#include "base/buf.h"
#include "rules/rules.h"

/* What the engine knows about one rule field in the current row. Each cell
 * is trimmed and, for fields read as numbers, parsed once per row; case
 * folding happens on first use and is then reused by every rule. */
struct slot {
	size_t column;         /* bound header column (a lookup table's, for
	                        * its fields) */
	ls_cell raw;           /* the cell as read, for explain */
	ls_cell trimmed;
	bool placeholder;      /* the cell was a missing value, read as empty */
	ls_num_kind kind;      /* numeric fields only */
	double number;
	enum date_kind date_kind; /* date fields only */
	int64_t day;
	uint64_t folded_row;   /* the row `folded` belongs to; 0: none yet */
	struct buf folded;
	uint64_t copy_row;     /* likewise for `copy` */
	struct buf copy;       /* the trimmed cell NUL-terminated, for regexec */
};

struct eval_ctx {
	struct slot *slots;    /* indexed by struct cond.field */
	uint64_t row;          /* counts from 1; tells stale folded text apart */
	int64_t today;         /* for older_than and newer_than */
	bool nomem;            /* set when folding could not allocate */
};

/* The field's cell as string tests compare it: trimmed, and folded to lower
 * case unless case_sensitive (once per row). False, with ctx->nomem set,
 * when folding could not allocate. */
bool cond_field_text(size_t field, bool case_sensitive, struct eval_ctx *ctx, ls_cell *out);

/* One string test of op (eq/in, contains, starts_with, ends_with) against
 * one operand. */
bool cond_str_test(enum cond_op op, ls_cell cell, const struct str_operand *v);

/* Whether the row in ctx satisfies c. On allocation failure sets ctx->nomem
 * and returns false. */
bool cond_eval(const struct cond *c, struct eval_ctx *ctx);

#endif
