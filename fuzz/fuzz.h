/* SPDX-License-Identifier: MIT */
/* fuzz.h - shared checks for the libFuzzer targets: reading CSV back and
 * failing loudly when an invariant breaks. */
#ifndef LS_FUZZ_H
#define LS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadsift.h"

/* Crash with a message, so libFuzzer saves the input. */
#define FUZZ_ASSERT(cond)                                                                    \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort();                                                             \
		}                                                                            \
	} while (0)

/* A copy of one record's cells that outlives the reader's next call. */
struct fuzz_record {
	char *bytes;
	ls_cell *cells;
	size_t ncells;
};

static inline void fuzz_record_save(struct fuzz_record *out, const ls_row *row)
{
	size_t i, total = 0, at = 0;

	for (i = 0; i < row->ncells; i++)
		total += row->cells[i].len;
	out->bytes = malloc(total + 1);
	out->cells = malloc((row->ncells + 1) * sizeof(*out->cells));
	FUZZ_ASSERT(out->bytes != NULL && out->cells != NULL);
	for (i = 0; i < row->ncells; i++) {
		memcpy(out->bytes + at, row->cells[i].ptr, row->cells[i].len);
		out->cells[i].ptr = out->bytes + at;
		out->cells[i].len = row->cells[i].len;
		at += row->cells[i].len;
	}
	out->ncells = row->ncells;
}

/* The records read so far, to compare with what reads back. */
struct fuzz_records {
	struct fuzz_record *v;
	size_t n, cap;
};

static inline void fuzz_records_push(struct fuzz_records *all, const ls_row *row)
{
	if (all->n == all->cap) {
		all->cap = all->cap ? all->cap * 2 : 16;
		all->v = realloc(all->v, all->cap * sizeof(*all->v));
		FUZZ_ASSERT(all->v != NULL);
	}
	fuzz_record_save(&all->v[all->n++], row);
}

static inline void fuzz_records_free(struct fuzz_records *all)
{
	size_t i;

	for (i = 0; i < all->n; i++) {
		free(all->v[i].bytes);
		free(all->v[i].cells);
	}
	free(all->v);
}

/* Whether row has the cells of want, then `extra` more. */
static inline int fuzz_same_cells(const ls_row *row, const struct fuzz_record *want, size_t extra)
{
	size_t i;

	if (row->ncells != want->ncells + extra)
		return 0;
	for (i = 0; i < want->ncells; i++)
		if (row->cells[i].len != want->cells[i].len ||
		    memcmp(row->cells[i].ptr, want->cells[i].ptr, want->cells[i].len) != 0)
			return 0;
	return 1;
}

/* A failed call must say why: an error message, or out of memory. */
static inline void fuzz_check_error(ls_status st, const ls_error *err)
{
	FUZZ_ASSERT(st != LS_OK && st != LS_DONE);
	FUZZ_ASSERT(err->status == st || st == LS_ERR_NOMEM);
	FUZZ_ASSERT(err->message != NULL || st == LS_ERR_NOMEM);
}

#endif
