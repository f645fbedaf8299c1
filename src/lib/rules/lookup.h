/* SPDX-License-Identifier: MIT */
/* lookup.h - lookup tables: another export (a helpdesk's tickets per
 * organisation, an accounts export's sector and size) joined to each lead
 * by a key, so that rules read its columns as fields "NAME.COLUMN".
 * Declared in the policy's "lookups", loaded once when the rules are,
 * read-only afterwards and shared by every engine. */
#ifndef LS_LOOKUP_H
#define LS_LOOKUP_H

#include "base/buf.h"
#include "rules/load.h"
#include "rules/strset.h"

struct lookup {
	char *name;            /* as declared: "tickets" */
	char *file;            /* resolved against the policy file */
	char *key;             /* the key column's name, as declared */
	char *match;           /* the lead's field whose cell is looked up */
	bool used;             /* some rule reads a column: loaded, and its
	                        * match field is a field of the rule set */
	size_t match_field;    /* that field, once used */
	bool by_domain;        /* match the part after the last '@' of it */
	bool first_wins;       /* "duplicates": "first"; else a repeat is an error */
	char *encoding;        /* NULL: UTF-8 */
	char delimiter;        /* 0: found as for leads (-d auto) */

	/* The table, once loaded: every cell as UTF-8 text. */
	char *data;            /* the cells' bytes, one after another */
	ls_cell *header;       /* ncols names */
	size_t ncols, key_column;
	ls_cell *cells;        /* nrows * ncols */
	unsigned long *lines;  /* each row's line in the file */
	size_t nrows;
	struct str_operand *keys; /* the indexed rows' keys, folded */
	size_t *key_rows;      /* the row of each key */
	struct strset index;
	size_t keyless;        /* rows whose key is empty or a missing value */
	size_t duplicates;     /* rows whose key an earlier row had (first_wins) */
	unsigned long duplicate_line, duplicate_first;
};

/* Reads the policy's "lookups" object into rs->lookups. */
ls_status lookup_declare(struct loader *ld, const cJSON *json, const struct jpath *path);

/* Once every rule file is loaded: marks the fields named "NAME.COLUMN" of
 * a declared lookup as its columns, and loads each table some rule reads:
 * its key column and those columns are found in its header as fields find
 * columns of the leads, its match field becomes a field the leads must
 * have. Errors name the table, its line and the column. */
ls_status lookups_load(ls_ruleset *rs, ls_error *err);

void lookup_free(struct lookup *lk);

/* The row of lk whose key equals the key (trimmed, folded; empty: none),
 * or SIZE_MAX. */
size_t lookup_find(const struct lookup *lk, ls_cell folded_key);

/* The row a lead's match cell (trimmed, a missing value read as empty)
 * finds in *row (SIZE_MAX: none), folding its key in `folded`. False when
 * out of memory. */
bool lookup_match(const struct lookup *lk, ls_cell match, struct buf *folded, size_t *row);

/* The part of a trimmed cell a lookup matches: all of it, or with by_domain
 * the part after its last '@' (empty when it has none). */
ls_cell lookup_key_part(const struct lookup *lk, ls_cell cell);

#endif
