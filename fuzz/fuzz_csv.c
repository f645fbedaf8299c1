/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c - any bytes as CSV: every record that reads is written and read
 * back to the same cells; every failure carries a message. The first byte
 * picks the delimiter, or 0: the reader finds it (-d auto), and the
 * encoding: the cells' text is then valid UTF-8, and an ASCII cell is its
 * own text. */
#include "fuzz.h"

/* Whether text is valid UTF-8 throughout. */
static bool valid_utf8(ls_cell text)
{
	size_t i = 0, n;

	while (i < text.len) {
		if (text.ptr[i] == '\0') { /* NUL is ASCII; ls_utf8_length says 0 */
			i++;
			continue;
		}
		n = ls_utf8_length(text.ptr + i, text.len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static bool ascii(ls_cell cell)
{
	size_t i;

	for (i = 0; i < cell.len; i++)
		if ((unsigned char)cell.ptr[i] >= 0x80)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char delims[] = {',', ';', '\t', '|', '\0'};
	static const char *const encodings[] = {NULL, "windows-1252", "cp932", "latin1"};
	const char *encoding;
	ls_reader *in = NULL, *back = NULL;
	ls_writer *w = NULL;
	struct fuzz_records records = {NULL, 0, 0};
	size_t i, len;
	const char *text;
	ls_error err = {0};
	ls_row row;
	ls_status st;
	char delim;

	if (size == 0)
		return 0;
	delim = delims[data[0] % sizeof(delims)];
	encoding = encodings[(data[0] / sizeof(delims)) % 4];
	FUZZ_ASSERT(ls_reader_open_mem(&in, data + 1, size - 1, "fuzz", delim, &err) == LS_OK);
	FUZZ_ASSERT(ls_reader_set_encoding(in, encoding, &err) == LS_OK);
	ls_reader_set_max_record_bytes(in, 1 << 20);
	if (delim == '\0' && (st = ls_reader_delimiter(in, &delim, &err)) != LS_OK) {
		fuzz_check_error(st, &err); /* a UTF-16 or UTF-32 byte order mark */
		ls_error_clear(&err);
		ls_reader_free(in);
		return 0;
	}
	FUZZ_ASSERT(strchr(",;\t|", delim) != NULL);
	FUZZ_ASSERT(ls_writer_open_mem(&w, delim, &err) == LS_OK);
	for (;;) {
		st = ls_reader_next(in, &row, &err);
		if (st == LS_DONE)
			break;
		if (st == LS_ERR_FIELDS) { /* recoverable: the row is there but not kept */
			fuzz_check_error(st, &err);
			continue;
		}
		if (st != LS_OK) {
			fuzz_check_error(st, &err);
			break;
		}
		if (records.n == 0 && ls_reader_had_bom(in)) /* as the CLI does */
			FUZZ_ASSERT(ls_writer_raw(w, "\xef\xbb\xbf", 3, &err) == LS_OK);
		for (i = 0; encoding != NULL && i < row.ncells; i++) {
			FUZZ_ASSERT(valid_utf8(row.text[i]));
			FUZZ_ASSERT(!ascii(row.cells[i]) || row.text[i].ptr == row.cells[i].ptr);
		}
		fuzz_records_push(&records, &row);
		for (i = 0; i < row.ncells; i++)
			FUZZ_ASSERT(ls_writer_field(w, row.cells[i].ptr, row.cells[i].len, &err) == LS_OK);
		FUZZ_ASSERT(ls_writer_end_row(w, row.eol, &err) == LS_OK);
	}

	/* Whatever was written reads back to exactly the records that were read. */
	text = ls_writer_mem_data(w, &len);
	FUZZ_ASSERT(ls_reader_open_mem(&back, text, len, "back", delim, &err) == LS_OK);
	for (i = 0; i < records.n; i++) {
		st = ls_reader_next(back, &row, &err);
		FUZZ_ASSERT(st == LS_OK);
		FUZZ_ASSERT(fuzz_same_cells(&row, &records.v[i], 0));
	}
	FUZZ_ASSERT(ls_reader_next(back, &row, &err) == LS_DONE);
	fuzz_records_free(&records);
	ls_error_clear(&err);
	ls_reader_free(in);
	ls_reader_free(back);
	ls_writer_free(w);
	return 0;
}
