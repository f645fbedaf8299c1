/* SPDX-License-Identifier: MIT */
/* engine.h - the engine's insides, shared by scoring (score.c) and the
 * condition-by-condition trace of explain (explain.c). */
#ifndef LS_ENGINE_H
#define LS_ENGINE_H

#include "engine/condition.h"
#include "engine/prefilter.h"

/* How a field read as numbers (or dates) fared: its non-empty cells, those
 * that could not be read, and the first of them, for messages. */
#define EXAMPLE_BYTES 41
struct typed_count {
	uint64_t cells, invalid;
	char example[EXAMPLE_BYTES]; /* "" until the first unreadable cell */
};

struct ls_engine {
	const ls_ruleset *rs;
	size_t ncols;
	ls_fixed base, threshold;
	struct slot *slots;          /* one per rule field */
	const struct missing_values **missing; /* per field: its placeholders */
	uint64_t *missing_hits;      /* per field: cells that were one */
	char **column_names;         /* the header name each field was bound to */
	struct typed {
		size_t *index;       /* fields read as numbers / as dates */
		size_t n;
		struct typed_count *count; /* per field, as ls_engine_typed_field_* give them */
	} typed[2];                  /* by ls_field_kind */
	char **reason_text;          /* per rule, flattened: "persona/rule: reason" */
	size_t *rule_base;           /* per persona: index of its first rule above */
	size_t *rule_persona;        /* per rule: its persona */
	uint64_t *rule_hits;
	uint64_t *rule_last;         /* per rule: the call (calls) it last matched in */
	struct prefilter *prefilter; /* which rules a row needs evaluated */
	uint64_t *candidates;        /* per row: those rules, one bit each */
	uint64_t *persona_hits;
	uint64_t *allow_hits;
	char **allow_text;           /* per allow entry: "allow/id: reason" */
	char *not_lead_text;         /* "not a lead: ..." with the policy's require */
	uint64_t rows, disqualified;
	uint64_t calls;              /* numbers each row for the folding cache */
	size_t *lookup_rows;         /* per lookup table: the row the lead matched,
	                              * SIZE_MAX for none */
	size_t *table_fields;        /* field indexes: the ntable_fields read from
	                              * lookup tables, then the lead's own */
	size_t ntable_fields;
	struct buf lookup_key;       /* a lead's key, folded */
	struct buf reasons;
};

/* Trims every rule field's cell (a lookup table's field: the cell of the
 * row the lead's key finds) and reads the numeric and date ones, once per
 * row; with count, counts them in the field statistics too (missing
 * values, cells that could not be read as numbers or dates). False when
 * out of memory. */
bool engine_load_row(ls_engine *e, const ls_cell *cells, bool count);
/* Counts the row engine_load_row read without counting: only leads count,
 * and with a require that is known only once the row is read. */
void engine_count_row(ls_engine *e);

/* Moves the statistics of `from` into `into` (added there, zeroed in
 * `from`): engines scoring parts of one input in parallel, bound to the
 * same rules and header, sum up to the engine of a sequential run. */
void engine_absorb_counts(ls_engine *into, ls_engine *from);

#endif
