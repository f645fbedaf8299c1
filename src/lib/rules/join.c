/* SPDX-License-Identifier: MIT */
/* join.c - leads joined with the lookup tables their rules read, as one
 * wider row: for tools that look at every column (discover), which then see
 * a table's columns as they see the lead's own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"
#include "rules/fieldmap.h"
#include "rules/lookup.h"

/* A table's columns in the joined row: all but its key. */
struct joined_table {
	const struct lookup *lk;
	size_t match_column;   /* the lead's column of its match field */
	const struct missing_values *missing;
	size_t first;          /* its first column in the joined row */
};

struct ls_join {
	size_t nlead, ncols;
	ls_cell *header;       /* the joined header */
	char **names;          /* "TABLE.COLUMN", owned */
	ls_cell *cells;        /* the joined row */
	struct joined_table *tables;
	size_t ntables;
	struct buf folded;
};

void ls_join_free(ls_join *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; j->names != NULL && i < j->ncols; i++)
		free(j->names[i]);
	free(j->names);
	free(j->header);
	free(j->cells);
	free(j->tables);
	buf_free(&j->folded);
	free(j);
}

static size_t joined_width(const ls_ruleset *rs, size_t ncols)
{
	size_t k;

	for (k = 0; k < rs->nlookups; k++)
		if (rs->lookups[k].used)
			ncols += rs->lookups[k].ncols - 1;
	return ncols;
}

/* Names the table's columns "TABLE.COLUMN" from column `at` on. */
static bool name_columns(ls_join *j, const struct lookup *lk, size_t at)
{
	size_t c;

	for (c = 0; c < lk->ncols; c++) {
		size_t n = strlen(lk->name) + lk->header[c].len + 2;
		if (c == lk->key_column)
			continue;
		if ((j->names[at] = malloc(n)) == NULL)
			return false;
		snprintf(j->names[at], n, "%s.%.*s", lk->name, (int)lk->header[c].len,
		         lk->header[c].ptr);
		j->header[at] = (ls_cell){j->names[at], n - 1};
		at++;
	}
	return true;
}

ls_status ls_join_new(ls_join **out, const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                      const char *source, ls_error *err)
{
	ls_join *j = calloc(1, sizeof(*j));
	size_t k, at = ncols;
	ls_status st = LS_OK;

	*out = NULL;
	if (j == NULL)
		return err_nomem(err);
	j->nlead = ncols;
	j->ncols = joined_width(rs, ncols);
	j->header = calloc(j->ncols + 1, sizeof(*j->header));
	j->names = calloc(j->ncols + 1, sizeof(*j->names));
	j->cells = calloc(j->ncols + 1, sizeof(*j->cells));
	j->tables = calloc(rs->nlookups + 1, sizeof(*j->tables));
	if (j->header == NULL || j->names == NULL || j->cells == NULL || j->tables == NULL) {
		ls_join_free(j);
		return err_nomem(err);
	}
	/* The names are copied: a reader's header goes with its buffer. */
	for (k = 0; k < ncols; k++) {
		if ((j->names[k] = text_dup(header[k].ptr, header[k].len)) == NULL) {
			ls_join_free(j);
			return err_nomem(err);
		}
		j->header[k] = (ls_cell){j->names[k], header[k].len};
	}
	for (k = 0; k < rs->nlookups && st == LS_OK; k++) {
		const struct lookup *lk = &rs->lookups[k];
		struct joined_table *t = &j->tables[j->ntables];
		if (!lk->used)
			continue;
		t->lk = lk;
		t->first = at;
		t->missing = ruleset_missing_values(rs, rs->fields[lk->match_field].name);
		st = fieldmap_resolve(rs, lk->match_field, header, ncols, source, true,
		                      &t->match_column, err);
		if (st == LS_OK && !name_columns(j, lk, at))
			st = err_nomem(err);
		at += lk->ncols - 1;
		j->ntables++;
	}
	if (st != LS_OK) {
		ls_join_free(j);
		return st;
	}
	*out = j;
	return LS_OK;
}

size_t ls_join_columns(const ls_join *j) { return j->ncols; }
const ls_cell *ls_join_header(const ls_join *j) { return j->header; }

ls_status ls_join_row(ls_join *j, const ls_cell *cells, const ls_cell **out)
{
	size_t k, c;

	memcpy(j->cells, cells, j->nlead * sizeof(*cells));
	for (k = 0; k < j->ntables; k++) {
		const struct joined_table *t = &j->tables[k];
		const struct lookup *lk = t->lk;
		ls_cell match = ls_cell_trim(cells[t->match_column]);
		size_t row, at = t->first;
		if (missing_values_has(t->missing, match))
			match.len = 0;
		if (!lookup_match(lk, match, &j->folded, &row))
			return LS_ERR_NOMEM;
		for (c = 0; c < lk->ncols; c++)
			if (c != lk->key_column)
				j->cells[at++] = row == SIZE_MAX ? (ls_cell){"", 0}
				                                 : lk->cells[row * lk->ncols + c];
	}
	*out = j->cells;
	return LS_OK;
}
