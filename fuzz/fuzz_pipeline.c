/* SPDX-License-Identifier: MIT */
/* fuzz_pipeline.c - a persona file and a CSV (split at the first NUL byte)
 * through the library's whole pipeline, ls_score_csv, as the command line
 * runs it: on one thread, and on three with chunks cut small, which must
 * write the same bytes, count the same and fail the same way. A successful
 * run's output reads back as the input's records plus score, disqualified
 * and reasons; a failed one carries a message. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct run {
	ls_writer *out;
	ls_score_counts counts;
	ls_status status;
	ls_error err;
	const char *text;
	size_t len;
};

static void score(const ls_ruleset *rs, const unsigned char *csv, size_t len, unsigned threads,
                  size_t chunk_size, struct run *run)
{
	ls_score_options opt = {.threads = threads, .chunk_size = chunk_size};
	ls_reader *in = NULL;

	FUZZ_ASSERT(ls_reader_open_mem(&in, csv, len, "fuzz.csv", ',', &run->err) == LS_OK);
	ls_reader_set_max_record_bytes(in, 1 << 20);
	FUZZ_ASSERT(ls_writer_open_mem(&run->out, ',', &run->err) == LS_OK);
	run->status = ls_score_csv(rs, in, run->out, &opt, &run->counts, NULL, &run->err);
	if (run->status != LS_OK)
		fuzz_check_error(run->status, &run->err);
	run->text = ls_writer_mem_data(run->out, &run->len);
	ls_reader_free(in);
}

static void check_annotations(const ls_row *row, ls_fixed threshold)
{
	const ls_cell *c = &row->cells[row->ncells - 3];
	char text[LS_FIXED_BUFSIZE + 1];
	ls_fixed score;

	FUZZ_ASSERT(c[0].len > 0 && c[0].len < sizeof(text));
	memcpy(text, c[0].ptr, c[0].len);
	text[c[0].len] = '\0';
	FUZZ_ASSERT(ls_fixed_parse(text, &score));
	FUZZ_ASSERT((c[1].len == 4 && memcmp(c[1].ptr, "true", 4) == 0) ||
	            (c[1].len == 5 && memcmp(c[1].ptr, "false", 5) == 0));
	FUZZ_ASSERT(c[1].len == 4 || score >= threshold);
}

/* The input's records, to compare the output with: the header, then every
 * record but those of empty fields only, which a run counts and skips (they
 * are no leads: the end of a report export); *empty says how many. */
static void read_records(const unsigned char *csv, size_t len, struct fuzz_records *records,
                         uint64_t *empty)
{
	ls_reader *in = NULL;
	ls_error err = {0};
	ls_row row;

	*empty = 0;
	FUZZ_ASSERT(ls_reader_open_mem(&in, csv, len, "fuzz.csv", ',', &err) == LS_OK);
	while (ls_reader_next(in, &row, &err) == LS_OK) {
		if (records->n > 0 && ls_row_is_empty(&row))
			(*empty)++;
		else
			fuzz_records_push(records, &row);
	}
	ls_error_clear(&err);
	ls_reader_free(in);
}

static void check_output(const struct run *run, const unsigned char *csv, size_t len,
                         ls_fixed threshold)
{
	struct fuzz_records records = {NULL, 0, 0};
	ls_reader *back = NULL;
	ls_error err = {0};
	ls_row row;
	uint64_t empty;
	size_t i;

	read_records(csv, len, &records, &empty);
	FUZZ_ASSERT(records.n == run->counts.rows_read + 1);
	FUZZ_ASSERT(run->counts.empty_records == empty);
	FUZZ_ASSERT(run->counts.rows_written == run->counts.rows_read);
	FUZZ_ASSERT(ls_reader_open_mem(&back, run->text, run->len, "back", ',', &err) == LS_OK);
	for (i = 0; i < records.n; i++) {
		FUZZ_ASSERT(ls_reader_next(back, &row, &err) == LS_OK);
		FUZZ_ASSERT(fuzz_same_cells(&row, &records.v[i], 3));
		if (i > 0)
			check_annotations(&row, threshold);
	}
	FUZZ_ASSERT(ls_reader_next(back, &row, &err) == LS_DONE);
	ls_reader_free(back);
	ls_error_clear(&err);
	fuzz_records_free(&records);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *split = memchr(data, '\0', size), *csv;
	ls_ruleset *rs = NULL;
	struct run one = {0}, many = {0};
	size_t rules_len, csv_len;
	ls_error err = {0};
	ls_status st;

	if (split == NULL)
		return 0;
	rules_len = (size_t)(split - data);
	csv = split + 1;
	csv_len = size - rules_len - 1;
	st = ls_ruleset_load_buffers(&rs, "fuzz.json", (const char *)data, rules_len, NULL, 0, &err);
	if (st != LS_OK) {
		fuzz_check_error(st, &err);
		ls_error_clear(&err);
		return 0;
	}
	score(rs, csv, csv_len, 1, 0, &one);
	/* Chunks of 1 to 64 bytes: cut at nearly every record. */
	score(rs, csv, csv_len, 3, 1 + csv_len % 64, &many);
	FUZZ_ASSERT(one.status == many.status);
	FUZZ_ASSERT(one.len == many.len && memcmp(one.text, many.text, one.len) == 0);
	FUZZ_ASSERT(one.counts.rows_read == many.counts.rows_read &&
	            one.counts.rows_written == many.counts.rows_written &&
	            one.counts.blank_lines == many.counts.blank_lines);
	/* A failed run on three threads has read the failing chunk whole. */
	FUZZ_ASSERT(one.counts.bytes == many.counts.bytes || one.status != LS_OK);
	FUZZ_ASSERT(one.err.line == many.err.line);
	FUZZ_ASSERT((one.err.message == NULL) == (many.err.message == NULL));
	FUZZ_ASSERT(one.err.message == NULL || strcmp(one.err.message, many.err.message) == 0);
	if (one.status == LS_OK)
		check_output(&one, csv, csv_len, ls_ruleset_threshold(rs));
	ls_writer_free(one.out);
	ls_writer_free(many.out);
	ls_error_clear(&one.err);
	ls_error_clear(&many.err);
	ls_ruleset_free(rs);
	return 0;
}
