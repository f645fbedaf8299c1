/* SPDX-License-Identifier: MIT */
/* fast_path.c - records that hold no quote character, split without libcsv.
 *
 * For such a record RFC 4180 parsing is exactly a split at the delimiter,
 * so the reader may skip libcsv's byte-at-a-time state machine for it.
 * Everything else (a quote anywhere in the line, a carriage return that is
 * not part of CRLF, a line longer than the size limit, a line the window
 * does not hold whole) is declined and goes to libcsv, the parser of
 * record, which also gives every error. fuzz/fuzz_fastpath.c proves the two
 * paths give the same cells, lines, line ends and errors. */
#include <stdlib.h>
#include <string.h>

#include "csv/csv.h"

/* Set once, before any reader opens: readers copy it when they open. */
static bool fast_path_enabled = true;

void ls_csv_set_fast_path(bool enabled) { fast_path_enabled = enabled; }
bool csv_fast_path_enabled(void) { return fast_path_enabled; }

enum csv_fast csv_fast_line(const char *p, size_t n, bool input_ends, uint64_t max_record,
                            struct csv_fast_line *line)
{
	const char *nl = memchr(p, '\n', n);
	size_t body = nl != NULL ? (size_t)(nl - p) : n;

	if (nl == NULL && !input_ends)
		return CSV_FAST_MORE;
	line->eol = nl == NULL ? LS_EOL_NONE : LS_EOL_LF;
	if (nl != NULL && body > 0 && p[body - 1] == '\r') {
		body--;
		line->eol = LS_EOL_CRLF;
	}
	if (memchr(p, '"', body) != NULL || memchr(p, '\r', body) != NULL ||
	    (max_record > 0 && body > max_record))
		return CSV_FAST_DECLINE;
	line->body = body;
	line->consumed = nl != NULL ? (size_t)(nl + 1 - p) : n;
	return CSV_FAST_LINE;
}

bool csv_fast_split(const char *body, size_t len, char delim, struct csv_cells *out)
{
	const char *p = body, *end = body + len;

	out->n = 0;
	for (;;) {
		const char *d = memchr(p, (unsigned char)delim, (size_t)(end - p));
		const char *stop = d != NULL ? d : end;
		if (out->n == out->cap && !csv_cells_grow(out, out->n + 1))
			return false;
		out->cells[out->n].ptr = p;
		out->cells[out->n].len = (size_t)(stop - p);
		out->quoted[out->n] = false;
		out->n++;
		if (d == NULL)
			return true;
		p = d + 1;
	}
}

bool csv_cells_grow(struct csv_cells *c, size_t need)
{
	size_t cap = c->cap ? c->cap : 16;
	ls_cell *cells;
	bool *quoted;

	while (cap < need)
		cap *= 2;
	if (cap == c->cap)
		return true;
	cells = realloc(c->cells, cap * sizeof(*cells));
	if (cells == NULL)
		return false;
	c->cells = cells;
	quoted = realloc(c->quoted, cap * sizeof(*quoted));
	if (quoted == NULL)
		return false;
	c->quoted = quoted;
	c->cap = cap;
	return true;
}
