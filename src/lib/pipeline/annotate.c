/* SPDX-License-Identifier: MIT */
/* annotate.c - score, annotate, filter and set aside, one record at a time. */
#include "pipeline/annotate.h"
#include "csv/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Whether a record's input bytes (raw_len of them) are what writing its
 * cells one by one would give: each cell quoted exactly where the writer
 * quotes it, nothing else between them (most records of an export are).
 * The reader parsed those bytes strictly, so an unquoted cell is its input
 * bytes and a quoted one its bytes with quotes doubled, in quotes: the
 * lengths tell. */
static bool input_form_is_output_form(const ls_writer *w, const ls_row *row, size_t raw_len)
{
	size_t i, len = row->ncells - 1;

	for (i = 0; i < row->ncells && len <= raw_len; i++) {
		const ls_cell *c = &row->cells[i];
		len += c->len;
		if (row->quoted[i]) {
			const char *q = c->ptr, *end = c->ptr + c->len;
			if (!csv_writer_would_quote(w, c->ptr, c->len))
				return false;
			len += 2;
			while ((q = memchr(q, '"', (size_t)(end - q))) != NULL) {
				len++;
				q++;
			}
		} else if (i == 0 && csv_writer_would_quote(w, c->ptr, c->len)) {
			return false; /* the writer's rule for a first cell like a BOM */
		}
	}
	return len == raw_len;
}

void ls_result_cells(const ls_result *res, char *buf, ls_cell cells[3])
{
	buf[0] = '\0';
	cells[0].ptr = buf;
	cells[0].len = res->not_lead ? 0 : ls_fixed_format(res->score, buf);
	cells[1].ptr = res->not_lead ? "" : res->disqualified ? "true" : "false";
	cells[1].len = res->not_lead ? 0 : res->disqualified ? 4 : 5;
	cells[2].ptr = res->reasons;
	cells[2].len = res->reasons_len;
}

ls_status annotate_progress(const ls_score_options *opt, uint64_t rows, uint64_t bytes,
                            const char *input, ls_error *err)
{
	if (opt == NULL || opt->progress == NULL || opt->progress(opt->progress_ctx, rows, bytes))
		return LS_OK;
	return ls_error_set(err, LS_ERR_CANCELLED, input, 0, 0,
	                    "stopped by the progress callback after %llu records",
	                    (unsigned long long)rows);
}

ls_status annotate_write_row(const struct row_plan *plan, struct row_sink *sink, const ls_row *row,
                             const char *raw, size_t raw_len, const ls_cell annotations[3],
                             ls_error *err)
{
	size_t i, k, n = row->ncells;
	ls_status st = LS_OK;

	if (raw != NULL && row->quoted != NULL && n > 0 && plan->column[0] == SIZE_MAX &&
	    plan->column[1] == SIZE_MAX && plan->column[2] == SIZE_MAX &&
	    input_form_is_output_form(sink->out, row, raw_len)) {
		st = csv_writer_fields_verbatim(sink->out, raw, raw_len, err);
		for (k = 0; k < 3 && st == LS_OK; k++)
			st = ls_writer_text(sink->out, annotations[k].ptr, annotations[k].len, err);
		return st == LS_OK ? ls_writer_end_row(sink->out, row->eol, err) : st;
	}
	memcpy(sink->cells, row->cells, n * sizeof(*sink->cells));
	for (k = 0; k < 3; k++) {
		if (plan->column[k] != SIZE_MAX)
			sink->cells[plan->column[k]] = annotations[k];
		else
			sink->cells[n++] = annotations[k];
	}
	for (i = 0; i < n && st == LS_OK; i++) {
		const ls_cell *c = &sink->cells[i];
		bool added = i >= row->ncells || plan->column[0] == i || plan->column[1] == i ||
		             plan->column[2] == i;
		/* An input cell that was not quoted needs no quotes; an added one
		 * is text, in the output's encoding. */
		if (added)
			st = ls_writer_text(sink->out, c->ptr, c->len, err);
		else if (row->quoted != NULL && !row->quoted[i])
			st = csv_writer_plain_field(sink->out, c->ptr, c->len, err);
		else
			st = ls_writer_field(sink->out, c->ptr, c->len, err);
	}
	return st == LS_OK ? ls_writer_end_row(sink->out, row->eol, err) : st;
}

uint64_t annotate_set_aside(const ls_score_counts *tally)
{
	return tally->rows_rejected + tally->not_leads;
}

/* Sets the record just read aside, byte for byte, with its line number and
 * why (err for a wrong field count, res for a record that is not a lead,
 * which is not counted as read). The record past the budget stops the run. */
static ls_status set_aside(const struct row_plan *plan, struct row_sink *sink, ls_reader *reader,
                           const ls_row *row, const ls_result *res, uint64_t budget,
                           ls_error *err)
{
	char line[32];
	const char *raw, *why;
	char *message = NULL; /* the field count's message, taken from err */
	size_t len;
	ls_status st;

	/* The record that stops the run is neither read nor set aside: the
	 * message names it, and the counts stay rows_read = rows_written +
	 * rows_filtered + rows_rejected. */
	if (budget != UINT64_MAX && annotate_set_aside(&sink->tally) >= budget) {
		ls_error was = *err;
		const char *cause = res != NULL       ? res->reasons
		                    : was.message != NULL ? was.message
		                                          : ls_strerror(was.status);
		memset(err, 0, sizeof(*err));
		st = ls_error_set(err, res != NULL ? LS_ERR_CSV : LS_ERR_FIELDS,
		                  res != NULL ? csv_reader_name(reader) : was.file,
		                  res != NULL ? row->line : was.line, was.column,
		                  "%s; more than %llu rejected records (--max-rejects)", cause,
		                  (unsigned long long)plan->max_rejects);
		ls_error_clear(&was);
		return st;
	}
	if (res == NULL) {
		message = err->message;
		err->message = NULL;
		ls_error_clear(err);
	}
	why = res != NULL ? res->reasons : message != NULL ? message : "";
	if (res != NULL) {
		sink->tally.not_leads++;
	} else {
		sink->tally.rows_read++;
		sink->tally.rows_rejected++;
	}
	raw = ls_reader_raw(reader, &len);
	snprintf(line, sizeof(line), "%lu", row->line);
	st = ls_writer_field(sink->rejects, line, strlen(line), err);
	if (st == LS_OK)
		st = ls_writer_text(sink->rejects, why, strlen(why), err);
	if (st == LS_OK)
		st = ls_writer_field(sink->rejects, raw, len, err);
	if (st == LS_OK)
		st = ls_writer_end_row(sink->rejects, LS_EOL_LF, err);
	free(message);
	return st;
}

ls_status annotate_records(const struct row_plan *plan, struct row_sink *sink, ls_reader *reader,
                           uint64_t budget, ls_error *err)
{
	char score[LS_FIXED_BUFSIZE];
	const char *raw;
	size_t raw_len;
	ls_cell ann[3];
	ls_result res;
	ls_row row;
	ls_status st, go_on = LS_OK;

	for (;;) {
		/* A run told to stop stops between records, its counts whole. */
		if (go_on != LS_OK)
			return go_on;
		st = ls_reader_next(reader, &row, err);
		if (st == LS_DONE)
			return LS_OK;
		if (st == LS_ERR_FIELDS && plan->rejects) {
			st = set_aside(plan, sink, reader, &row, NULL, budget, err);
			if (st != LS_OK)
				return st;
			continue;
		}
		if (st != LS_OK)
			return st;
		if (ls_row_is_empty(&row)) {
			sink->tally.empty_records++;
			continue;
		}
		st = ls_engine_score(sink->engine, row.text, row.ncells, &res);
		if (st == LS_OK && res.not_lead) {
			if (plan->rejects)
				st = set_aside(plan, sink, reader, &row, &res, budget, err);
			else
				sink->tally.not_leads++;
			if (st != LS_OK)
				return st;
			continue;
		}
		if (st != LS_OK)
			return st;
		sink->tally.rows_read++;
		if (sink->watch != NULL && sink->tally.rows_read % PROGRESS_ROWS == 0)
			go_on = annotate_progress(sink->watch, sink->tally.rows_read,
			                          ls_reader_bytes(reader), csv_reader_name(reader), err);
		if ((plan->only == LS_ONLY_QUALIFIED && res.disqualified) ||
		    (plan->only == LS_ONLY_DISQUALIFIED && !res.disqualified)) {
			sink->tally.rows_filtered++;
			continue;
		}
		ls_result_cells(&res, score, ann);
		raw = ls_reader_raw(reader, &raw_len);
		st = annotate_write_row(plan, sink, &row, raw, raw_len, ann, err);
		if (st != LS_OK)
			return st;
		sink->tally.rows_written++;
	}
}
