/* SPDX-License-Identifier: MIT */
/* annotate.h - a scoring run's work on each record: score it, append (or
 * replace) the three columns, filter, and set aside records with the wrong
 * field count. Shared by the sequential run and the chunks of a parallel
 * one (parallel.c), so that both write the same bytes (pipeline.c). */
#ifndef LS_ANNOTATE_H
#define LS_ANNOTATE_H

#include "leadsift.h"

/* What to do with every record; read-only while records are scored. */
struct row_plan {
	ls_only only;
	size_t ncols;          /* fields in the header */
	size_t column[3];      /* score, disqualified, reasons: the input column
	                        * they replace, or SIZE_MAX to append */
	bool rejects;          /* set records aside (wrong field count, not leads) */
	uint64_t max_rejects;  /* for the message; 0: no limit */
};

/* Where one thread's records go. */
struct row_sink {
	ls_engine *engine;
	ls_writer *out;
	ls_writer *rejects;    /* NULL without rejects: line,reason,record */
	ls_cell *cells;        /* room for ncols + 3 cells */
	ls_score_counts tally; /* the rows_ counts */
	const ls_score_options *watch; /* told of progress every PROGRESS_ROWS
	                                * rows; NULL: not told (worker threads) */
};

#define PROGRESS_ROWS 1024

/* Tells opt's progress callback (if any) how far the run has got: LS_OK to
 * go on, or LS_ERR_CANCELLED (err filled, naming input) when it says stop. */
ls_status annotate_progress(const ls_score_options *opt, uint64_t rows, uint64_t bytes,
                            const char *input, ls_error *err);

/* Records set aside so far (wrong field count, or not a lead), which
 * --max-rejects bounds when a rejects writer is given. */
uint64_t annotate_set_aside(const ls_score_counts *tally);

/* Scores, writes and counts every record the reader returns until it ends
 * (LS_OK) or fails (the error, err filled). budget: how many records may
 * still be set aside before the next one stops the run (UINT64_MAX: no
 * limit). */
ls_status annotate_records(const struct row_plan *plan, struct row_sink *sink, ls_reader *reader,
                           uint64_t budget, ls_error *err);

/* Writes one row: the cells, with the three annotations put in place.
 * raw: the record's input bytes (ls_reader_raw), copied as they are when
 * they are already the written form; NULL when there are none. */
ls_status annotate_write_row(const struct row_plan *plan, struct row_sink *sink, const ls_row *row,
                             const char *raw, size_t raw_len, const ls_cell annotations[3],
                             ls_error *err);

#endif
