/* SPDX-License-Identifier: MIT */
/* csv.h - what the pipeline (and tests) need of the CSV reader and writer
 * beyond the public header: chunked reading for a parallel run, and the
 * writer's shortcuts for cells already known to be in written form. */
#ifndef LS_CSV_H
#define LS_CSV_H

#include "leadsift.h"

/* A reader's settings: its name in messages ("<stdin>" for "-"), delimiter,
 * record size limit (0: none) and file descriptor (-1 for memory input). */
const char *csv_reader_name(const ls_reader *r);
const char *csv_reader_encoding(const ls_reader *r); /* as set; NULL: UTF-8 */
char csv_reader_delim(const ls_reader *r);
uint64_t csv_reader_max_record(const ls_reader *r);
int csv_reader_fd(const ls_reader *r);

/* The delimiter of a CSV beginning with p (n bytes; complete: the input
 * ends there): among ',', ';', TAB and '|', the one that splits the first
 * records (up to 20) into the same number of fields, the most fields;
 * failing that, the one that splits the header most; failing that, ','. */
char csv_detect_delimiter(const char *p, size_t n, bool complete);

/* Looks for a byte order mark now rather than at the first read, so that
 * ls_reader_had_bom answers before any record is read. */
ls_status csv_reader_check_bom(ls_reader *r, ls_error *err);

/* Hands the rest of a reader's input over to the caller, who reads the file
 * descriptor on from there (a parallel run, once the header is read).
 * *data and *len: the bytes read but not yet parsed (valid until the reader
 * is freed); *line and *offset: where they begin; *eof: whether the input
 * has ended (always, for memory input). Looks at the byte order mark first
 * if no record has been read. The reader must not be read from again. */
ls_status csv_reader_take_rest(ls_reader *r, const char **data, size_t *len, unsigned long *line,
                               uint64_t *offset, bool *eof, ls_error *err);

/* Points a memory reader at a new chunk of a larger input: data begins at a
 * record boundary (see csv_last_boundary) on input line `line`, byte
 * `offset`. Unless `last`, more input follows: the end of the data is not
 * the end of the input, and reading stops there with LS_DONE (then see
 * csv_reader_in_record). Counters start from zero; the header
 * (ls_reader_set_header) and settings are kept; no byte order mark is
 * looked for. */
void csv_reader_reset_mem(ls_reader *r, const void *data, size_t len, unsigned long line,
                          uint64_t offset, bool last);
/* Whether the input read so far ends inside a record. */
bool csv_reader_in_record(const ls_reader *r);

/* For splitting CSV into chunks that parse exactly as the whole would:
 * scans data, which continues input whose quote state is *in_quotes (false
 * at a record boundary), updates *in_quotes to the state at its end, and
 * returns the offset just past the last line feed outside quotes, or 0 if
 * there is none. Exact for well-formed CSV; where input is malformed, the
 * parse of a chunk fails at or before the first place the two disagree. */
size_t csv_last_boundary(const char *data, size_t len, bool *in_quotes);

/* ---- The quote-free fast path (fast_path.c) ---- */

/* Whether readers opened from now on may split quote-free records without
 * libcsv (ls_csv_set_fast_path). */
bool csv_fast_path_enabled(void);

/* A row's cells and, per cell, whether it was quoted; cap of each. */
struct csv_cells {
	ls_cell *cells;
	bool *quoted;
	size_t n, cap;
};
/* Room for `need` cells; false when out of memory (c unchanged but usable). */
bool csv_cells_grow(struct csv_cells *c, size_t need);

enum csv_fast {
	CSV_FAST_LINE,    /* *line: a quote-free line, a record (or blank if body is 0) */
	CSV_FAST_MORE,    /* no line feed yet: read more, if the window has room */
	CSV_FAST_DECLINE  /* libcsv must read this line */
};
struct csv_fast_line {
	size_t body;      /* its bytes before the line end */
	size_t consumed;  /* with the line end */
	ls_line_end eol;
};
/* Looks at the line beginning p (n > 0 bytes, at a record boundary; the
 * input ends at p + n if input_ends). A line is taken only if its body
 * holds no quote and no CR, and is within max_record (0: no limit). */
enum csv_fast csv_fast_line(const char *p, size_t n, bool input_ends, uint64_t max_record,
                            struct csv_fast_line *line);
/* Splits a taken line's body at each delimiter into out's cells (none
 * quoted). False when out of memory. */
bool csv_fast_split(const char *body, size_t len, char delim, struct csv_cells *out);

/* How many records the reader split without libcsv. */
uint64_t csv_reader_fast_records(const ls_reader *r);

/* Sets a reader's input window (file input, before the first read) to
 * size bytes (at least 4) instead of 256 KiB, so tests reach its edges. */
bool csv_reader_set_window(ls_reader *r, size_t size);

/* ls_writer_field for a field known to hold no delimiter, quote, CR or LF
 * (a cell that was not quoted in the input, see ls_row), without looking. */
ls_status csv_writer_plain_field(ls_writer *w, const void *data, size_t len, ls_error *err);
/* Whether ls_writer_field would quote this field, written next. */
bool csv_writer_would_quote(const ls_writer *w, const void *data, size_t len);
/* Appends fields already in the form ls_writer_field gives them: one or
 * more, delimiter-separated, each quoted exactly where it would quote it.
 * A record's input bytes often are (see pipeline/annotate.c). */
ls_status csv_writer_fields_verbatim(ls_writer *w, const void *data, size_t len, ls_error *err);
/* Empties a memory writer for reuse. at_start: whether what it writes next
 * begins the whole output (where a first cell that looks like a byte order
 * mark gets quoted). */
void csv_writer_clear(ls_writer *w, bool at_start);

#endif
