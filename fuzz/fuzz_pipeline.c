/* SPDX-License-Identifier: MIT */
/* fuzz_pipeline.c - a persona file and a CSV (split at the first NUL byte)
 * through the whole path: load, bind, score, write. A successful run's
 * output reads back as the input's records plus score, disqualified and
 * reasons; a failed one carries a message. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_annotations(const ls_row *row)
{
	const ls_cell *c = &row->cells[row->ncells - 3];
	char text[LS_FIXED_BUFSIZE + 1];
	size_t i;

	FUZZ_ASSERT(c[0].len > 0 && c[0].len < sizeof(text));
	memcpy(text, c[0].ptr, c[0].len);
	text[c[0].len] = '\0';
	for (i = 0; i < c[0].len; i++)
		FUZZ_ASSERT((text[i] >= '0' && text[i] <= '9') || text[i] == '.' || (i == 0 && text[i] == '-'));
	FUZZ_ASSERT((c[1].len == 4 && memcmp(c[1].ptr, "true", 4) == 0) ||
	            (c[1].len == 5 && memcmp(c[1].ptr, "false", 5) == 0));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *split = memchr(data, '\0', size);
	ls_ruleset *rs = NULL;
	ls_engine *e = NULL;
	ls_reader *in = NULL, *back = NULL;
	ls_writer *w = NULL;
	struct fuzz_records records = {NULL, 0, 0};
	size_t i, len, rules_len;
	ls_error err = {0};
	ls_cell *out = NULL;
	ls_result res;
	ls_row row;
	ls_status st;
	const char *text;
	char score[LS_FIXED_BUFSIZE];
	int ok = 1;

	if (split == NULL)
		return 0;
	rules_len = (size_t)(split - data);
	st = ls_ruleset_load_buffers(&rs, "fuzz.json", (const char *)data, rules_len, NULL, 0, &err);
	if (st != LS_OK) {
		fuzz_check_error(st, &err);
		goto out;
	}
	FUZZ_ASSERT(ls_reader_open_mem(&in, split + 1, size - rules_len - 1, "fuzz.csv", ',', &err) == LS_OK);
	ls_reader_set_max_record_bytes(in, 1 << 20);
	FUZZ_ASSERT(ls_writer_open_mem(&w, ',', &err) == LS_OK);
	st = ls_reader_next(in, &row, &err);
	if (st != LS_OK) {
		if (st != LS_DONE)
			fuzz_check_error(st, &err);
		goto out;
	}
	st = ls_engine_new(&e, rs, row.cells, row.ncells, "fuzz.csv", &err);
	if (st != LS_OK) {
		fuzz_check_error(st, &err);
		goto out;
	}
	if (ls_reader_had_bom(in)) /* as the CLI does */
		FUZZ_ASSERT(ls_writer_raw(w, "\xef\xbb\xbf", 3, &err) == LS_OK);
	out = malloc((row.ncells + 3) * sizeof(*out));
	FUZZ_ASSERT(out != NULL);
	for (;;) {
		fuzz_records_push(&records, &row);
		for (i = 0; i < row.ncells; i++)
			out[i] = row.cells[i];
		if (records.n == 1) {
			out[i++] = (ls_cell){"score", 5};
			out[i++] = (ls_cell){"disqualified", 12};
			out[i++] = (ls_cell){"reasons", 7};
		} else {
			FUZZ_ASSERT(ls_engine_score(e, row.cells, row.ncells, &res) == LS_OK);
			FUZZ_ASSERT(strlen(res.reasons) == res.reasons_len);
			FUZZ_ASSERT(res.disqualified || res.score >= ls_ruleset_threshold(rs));
			out[i++] = (ls_cell){score, ls_fixed_format(res.score, score)};
			out[i++] = res.disqualified ? (ls_cell){"true", 4} : (ls_cell){"false", 5};
			out[i++] = (ls_cell){res.reasons, res.reasons_len};
		}
		for (i = 0; i < row.ncells + 3; i++)
			FUZZ_ASSERT(ls_writer_field(w, out[i].ptr, out[i].len, &err) == LS_OK);
		FUZZ_ASSERT(ls_writer_end_row(w, row.eol, &err) == LS_OK);
		st = ls_reader_next(in, &row, &err);
		if (st == LS_DONE)
			break;
		if (st != LS_OK) {
			fuzz_check_error(st, &err);
			ok = 0;
			break;
		}
	}
	if (!ok)
		goto out;
	/* A successful run's output is the input's records plus three cells. */
	text = ls_writer_mem_data(w, &len);
	FUZZ_ASSERT(ls_reader_open_mem(&back, text, len, "back", ',', &err) == LS_OK);
	for (i = 0; i < records.n; i++) {
		FUZZ_ASSERT(ls_reader_next(back, &row, &err) == LS_OK);
		FUZZ_ASSERT(fuzz_same_cells(&row, &records.v[i], 3));
		if (i > 0)
			check_annotations(&row);
	}
	FUZZ_ASSERT(ls_reader_next(back, &row, &err) == LS_DONE);
out:
	fuzz_records_free(&records);
	free(out);
	ls_error_clear(&err);
	ls_reader_free(in);
	ls_reader_free(back);
	ls_writer_free(w);
	ls_engine_free(e);
	ls_ruleset_free(rs);
	return 0;
}
