/* SPDX-License-Identifier: MIT */
/* annotate.c - score, annotate, filter and set aside, one record at a time. */
#include "annotate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


ls_status annotate_write_row(const struct row_plan *plan, struct row_sink *sink, const ls_row *row,
                             const ls_cell annotations[3], ls_error *err)
{
	size_t i, k, n = row->ncells;
	ls_status st = LS_OK;

	memcpy(sink->cells, row->cells, n * sizeof(*sink->cells));
	for (k = 0; k < 3; k++) {
		if (plan->column[k] != SIZE_MAX)
			sink->cells[plan->column[k]] = annotations[k];
		else
			sink->cells[n++] = annotations[k];
	}
	for (i = 0; i < n && st == LS_OK; i++) {
		const ls_cell *c = &sink->cells[i];
		/* An input cell that was not quoted needs no quotes; a replaced
		 * one might. */
		if (i < row->ncells && row->quoted != NULL && !row->quoted[i] &&
		    plan->column[0] != i && plan->column[1] != i && plan->column[2] != i)
			st = ls_writer_plain_field(sink->out, c->ptr, c->len, err);
		else
			st = ls_writer_field(sink->out, c->ptr, c->len, err);
	}
	return st == LS_OK ? ls_writer_end_row(sink->out, row->eol, err) : st;
}

/* Sets a record with the wrong field count aside, byte for byte, with its
 * line number; err holds why. The record past the budget stops the run. */
static ls_status reject(const struct row_plan *plan, struct row_sink *sink, ls_reader *reader,
                        const ls_row *row, uint64_t budget, ls_error *err)
{
	char line[32];
	const char *raw;
	size_t len;
	ls_status st;

	sink->tally.rows_rejected++;
	if (budget != UINT64_MAX && sink->tally.rows_rejected > budget) {
		char *why = err->message;
		err->message = malloc(strlen(why ? why : "") + 80);
		if (err->message != NULL)
			sprintf(err->message, "%s; more than %llu rejected records (--max-rejects)",
			        why ? why : "", (unsigned long long)plan->max_rejects);
		free(why);
		return LS_ERR_FIELDS;
	}
	ls_error_clear(err);
	raw = ls_reader_raw(reader, &len);
	snprintf(line, sizeof(line), "%lu", row->line);
	st = ls_writer_field(sink->rejects, line, strlen(line), err);
	if (st == LS_OK)
		st = ls_writer_field(sink->rejects, raw, len, err);
	if (st == LS_OK)
		st = ls_writer_end_row(sink->rejects, LS_EOL_LF, err);
	return st;
}

ls_status annotate_records(const struct row_plan *plan, struct row_sink *sink, ls_reader *reader,
                           uint64_t budget, ls_error *err)
{
	char score[LS_FIXED_BUFSIZE];
	ls_cell ann[3];
	ls_result res;
	ls_row row;
	ls_status st;

	for (;;) {
		st = ls_reader_next(reader, &row, err);
		if (st == LS_DONE)
			return LS_OK;
		if (st == LS_ERR_FIELDS)
			sink->tally.rows_read++;
		if (st == LS_ERR_FIELDS && plan->rejects) {
			st = reject(plan, sink, reader, &row, budget, err);
			if (st != LS_OK)
				return st;
			continue;
		}
		if (st != LS_OK)
			return st;
		sink->tally.rows_read++;
		st = ls_engine_score(sink->engine, row.cells, row.ncells, &res);
		if (st != LS_OK)
			return st;
		if ((plan->only == ONLY_QUALIFIED && res.disqualified) ||
		    (plan->only == ONLY_DISQUALIFIED && !res.disqualified)) {
			sink->tally.rows_filtered++;
			continue;
		}
		ann[0].ptr = score;
		ann[0].len = ls_fixed_format(res.score, score);
		ann[1].ptr = res.disqualified ? "true" : "false";
		ann[1].len = res.disqualified ? 4 : 5;
		ann[2].ptr = res.reasons;
		ann[2].len = res.reasons_len;
		st = annotate_write_row(plan, sink, &row, ann, err);
		if (st != LS_OK)
			return st;
		sink->tally.rows_written++;
	}
}
