/* SPDX-License-Identifier: MIT */
/* fuzz_fastpath.c - the quote-free fast path against libcsv alone, on any
 * bytes: every record's cells, quoting, text, line, line end and input
 * bytes, every error (status, message, line, column) and the reader's
 * counts must be the same, read from memory, from a pipe through a small
 * window (so lines cross reads) and in two chunks as a parallel run cuts
 * them. Byte 0 picks the delimiter (or -d auto), byte 1 the record size
 * limit, the encoding and the window, byte 2 where the chunks are cut. */
#include <stdint.h>
#include <unistd.h>

#include "fuzz.h"
#include "csv/csv.h"

#define MAX_RECORDS 100000

/* A transcript of everything a read showed, to compare as bytes. */
struct transcript {
	char *text;
	size_t len;
	FILE *f;
};

static void transcript_open(struct transcript *t)
{
	t->text = NULL;
	t->len = 0;
	t->f = open_memstream(&t->text, &t->len);
	FUZZ_ASSERT(t->f != NULL);
}

static void put_cell(FILE *f, ls_cell c)
{
	fprintf(f, " %zu:", c.len);
	fwrite(c.ptr, 1, c.len, f);
}

struct setup {
	char delim;          /* 0: find it */
	uint64_t max_record;
	const char *encoding;
	size_t window;
};

/* Reads records until the end, an error other than a field count, or the
 * end of a chunk, writing what each call returned. Returns its status. */
static ls_status read_all(ls_reader *r, struct transcript *t)
{
	ls_error err = {0};
	ls_status st = LS_OK;
	ls_row row;
	size_t i, n, raw_len;
	const char *raw;

	for (n = 0; n < MAX_RECORDS; n++) {
		st = ls_reader_next(r, &row, &err);
		fprintf(t->f, "\nstatus %d", (int)st);
		if (st == LS_DONE)
			break;
		if (st != LS_OK && st != LS_ERR_FIELDS) {
			fuzz_check_error(st, &err);
			fprintf(t->f, " %s:%lu:%lu %s", err.file ? err.file : "", err.line, err.column,
			        err.message ? err.message : "");
			break;
		}
		if (st == LS_ERR_FIELDS)
			fprintf(t->f, " %lu %s", err.line, err.message);
		fprintf(t->f, " line %lu eol %d cells %zu", row.line, (int)row.eol, row.ncells);
		for (i = 0; i < row.ncells; i++) {
			fprintf(t->f, " q%d", row.quoted[i] ? 1 : 0);
			put_cell(t->f, row.cells[i]);
			put_cell(t->f, ls_row_text(&row)[i]);
		}
		raw = ls_reader_raw(r, &raw_len);
		put_cell(t->f, (ls_cell){raw, raw_len});
	}
	ls_error_clear(&err);
	return st;
}

/* The reader's counts. Where a piped read failed, the bytes counted and
 * whether the parser is inside a record depend on how the failing line
 * arrived (libcsv is fed what the window holds), so they are left out. */
static void read_counts(ls_reader *r, bool position, struct transcript *t)
{
	unsigned long first = 0;
	uint64_t non_utf8 = ls_reader_non_utf8(r, &first);

	fprintf(t->f, "\nblank %llu non-utf8 %llu at %lu bom %d",
	        (unsigned long long)ls_reader_blank_lines(r), (unsigned long long)non_utf8, first,
	        ls_reader_had_bom(r) ? 1 : 0);
	if (position)
		fprintf(t->f, " bytes %llu in-record %d", (unsigned long long)ls_reader_bytes(r),
		        csv_reader_in_record(r) ? 1 : 0);
}

static ls_reader *open_reader(const struct setup *s, int fd, const unsigned char *data, size_t size)
{
	ls_reader *r = NULL;
	ls_error err = {0};

	if (fd >= 0) {
		FUZZ_ASSERT(ls_reader_open_fd(&r, fd, "fuzz", s->delim, &err) == LS_OK);
		FUZZ_ASSERT(csv_reader_set_window(r, s->window));
	} else {
		FUZZ_ASSERT(ls_reader_open_mem(&r, data, size, "fuzz", s->delim, &err) == LS_OK);
	}
	FUZZ_ASSERT(ls_reader_set_encoding(r, s->encoding, &err) == LS_OK);
	ls_reader_set_max_record_bytes(r, s->max_record);
	return r;
}

/* The whole input, from memory or (pipe) through a pipe. */
static void read_whole(const struct setup *s, bool fast, bool pipe_it, const unsigned char *data,
                       size_t size, struct transcript *t)
{
	int fds[2] = {-1, -1};
	ls_reader *r;

	transcript_open(t);
	ls_csv_set_fast_path(fast);
	if (pipe_it) {
		/* Inputs are kept under a pipe's capacity: written whole first. */
		FUZZ_ASSERT(pipe(fds) == 0);
		FUZZ_ASSERT(size == 0 || write(fds[1], data, size) == (ssize_t)size);
		close(fds[1]);
	}
	r = open_reader(s, fds[0], data, size);
	read_counts(r, read_all(r, t) == LS_DONE || !pipe_it, t);
	ls_reader_free(r);
	if (pipe_it)
		close(fds[0]);
	fclose(t->f);
}

/* The input in two chunks, cut where a parallel run could cut it. */
static void read_chunks(const struct setup *s, bool fast, const unsigned char *data, size_t size,
                        size_t cut, struct transcript *t)
{
	ls_reader *r;
	unsigned long line = 1;
	size_t i;

	transcript_open(t);
	ls_csv_set_fast_path(fast);
	r = open_reader(s, -1, data, 0);
	csv_reader_reset_mem(r, data, cut, 1, 0, false);
	if (read_all(r, t) == LS_DONE) {
		read_counts(r, true, t);
		for (i = 0; i < cut; i++)
			line += data[i] == '\n';
		csv_reader_reset_mem(r, data + cut, size - cut, line, cut, true);
		read_all(r, t);
	}
	read_counts(r, true, t);
	ls_reader_free(r);
	fclose(t->f);
}

static void print_escaped(const char *label, const struct transcript *t)
{
	size_t i;

	fprintf(stderr, "%s:", label);
	for (i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->text[i];
		if (c == '\n' || (c >= 0x20 && c < 0x7f))
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02X", c);
	}
	fputc('\n', stderr);
}

static void same(struct transcript *want, struct transcript *got, const char *what)
{
	if (want->len != got->len || memcmp(want->text, got->text, want->len) != 0) {
		fprintf(stderr, "fast path differs (%s)\n", what);
		print_escaped("libcsv", want);
		print_escaped("fast", got);
		abort();
	}
	free(got->text);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char delims[] = {',', ';', '\t', '|', ' ', 'x', '\0'};
	static const uint64_t limits[] = {0, 0, 1, 2, 5, 16};
	struct transcript want, got;
	struct setup s;
	size_t cut;
	bool in_quotes = false;

	if (size < 3 || size > 60000)
		return 0;
	s.delim = delims[data[0] % sizeof(delims)];
	s.max_record = limits[data[1] % 6];
	s.encoding = (data[1] / 6) % 2 ? "windows-1252" : NULL;
	s.window = 4 + (data[1] / 12) % 20;
	cut = csv_last_boundary((const char *)data + 3, (size - 3) * data[2] / 255, &in_quotes);
	data += 3;
	size -= 3;

	read_whole(&s, false, false, data, size, &want);
	read_whole(&s, true, false, data, size, &got);
	same(&want, &got, "memory");
	free(want.text);
	/* -d auto looks at the first window: compared with libcsv's own. */
	read_whole(&s, false, true, data, size, &want);
	read_whole(&s, true, true, data, size, &got);
	same(&want, &got, "pipe, small window");
	free(want.text);

	if (s.delim != '\0') {
		read_chunks(&s, false, data, size, cut, &want);
		read_chunks(&s, true, data, size, cut, &got);
		same(&want, &got, "two chunks");
		free(want.text);
	}
	ls_csv_set_fast_path(true);
	return 0;
}
