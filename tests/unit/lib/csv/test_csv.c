/* SPDX-License-Identifier: MIT */
/* test_csv.c - the CSV reader and writer: RFC 4180 forms, line ends, the
 * byte order mark, errors with line numbers, and quoting round trips. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "csv/csv.h"

struct parsed {
	ls_reader *r;
	ls_error err;
};

static ls_reader *open_text(const char *text, size_t len)
{
	ls_reader *r = NULL;
	assert_int_equal(ls_reader_open_mem(&r, text, len, "in.csv", ',', NULL), LS_OK);
	return r;
}

static void expect_row(ls_reader *r, unsigned long line, ls_line_end eol, size_t n,
                       const char *const *want, const size_t *lens)
{
	ls_row row;
	ls_error err = {0};
	size_t i;

	if (ls_reader_next(r, &row, &err) != LS_OK)
		fail_msg("expected a row at line %lu: %s", line, err.message);
	assert_int_equal(row.line, line);
	assert_int_equal(row.eol, eol);
	assert_int_equal(row.ncells, n);
	for (i = 0; i < n; i++) {
		size_t len = lens ? lens[i] : strlen(want[i]);
		assert_int_equal(row.cells[i].len, len);
		assert_memory_equal(row.cells[i].ptr, want[i], len);
	}
}

static void expect_done(ls_reader *r)
{
	ls_row row;
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_DONE);
}

static void test_rfc4180_forms(void **state)
{
	static const char text[] = "a,b,c\n"
	                           "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
	                           "  pad  ,,\"\"\r\n"
	                           "\"cr\r\nlf\",\"\",last";
	static const char *const h[] = {"a", "b", "c"};
	static const char *const r1[] = {"x, y", "say \"hi\"", "two\nlines"};
	static const char *const r2[] = {"  pad  ", "", ""};
	static const char *const r3[] = {"cr\r\nlf", "", "last"};
	ls_reader *r = open_text(text, sizeof(text) - 1);

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 3, h, NULL);
	expect_row(r, 2, LS_EOL_LF, 3, r1, NULL);
	expect_row(r, 4, LS_EOL_CRLF, 3, r2, NULL);
	expect_row(r, 5, LS_EOL_NONE, 3, r3, NULL);
	expect_done(r);
	assert_false(ls_reader_had_bom(r));
	assert_int_equal(ls_reader_bytes(r), sizeof(text) - 1);
	ls_reader_free(r);
}

static void test_nul_and_invalid_utf8_pass_through(void **state)
{
	static const char text[] = "a,b\n\"x\0y\",\xff\xfe\x80\n";
	static const char *const h[] = {"a", "b"};
	static const char *const r1[] = {"x\0y", "\xff\xfe\x80"};
	static const size_t lens[] = {3, 3};
	ls_reader *r = open_text(text, sizeof(text) - 1);

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 2, h, NULL);
	expect_row(r, 2, LS_EOL_LF, 2, r1, lens);
	expect_done(r);
	ls_reader_free(r);
}

static void test_bom_and_blank_lines(void **state)
{
	static const char text[] = "\xef\xbb\xbf" "a\n\n1\r\n\r\n\n2\n";
	static const char *const h[] = {"a"}, *const one[] = {"1"}, *const two[] = {"2"};
	ls_reader *r = open_text(text, sizeof(text) - 1);

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 1, h, NULL);
	assert_true(ls_reader_had_bom(r));
	expect_row(r, 3, LS_EOL_CRLF, 1, one, NULL);
	expect_row(r, 6, LS_EOL_LF, 1, two, NULL);
	expect_done(r);
	assert_int_equal(ls_reader_blank_lines(r), 3);
	ls_reader_free(r);
}

static void expect_error(const char *text, ls_status status, unsigned long line,
                         unsigned long column, const char *needle)
{
	ls_reader *r = open_text(text, strlen(text));
	ls_error err = {0};
	ls_row row;
	ls_status st;

	do
		st = ls_reader_next(r, &row, &err);
	while (st == LS_OK);
	if (st != status || err.line != line || err.column != column ||
	    strstr(err.message, needle) == NULL)
		fail_msg("\"%s\": got %d at %lu:%lu: %s", text, st, err.line, err.column, err.message);
	assert_string_equal(err.file, "in.csv");
	ls_error_clear(&err);
	ls_reader_free(r);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a,b\n1,2\nx\"y,3\n", LS_ERR_CSV, 3, 2, "quote character inside unquoted field 1 (\"a\")");
	expect_error("a,b\n\"q\"z,3\n", LS_ERR_CSV, 2, 4, "'z' after the closing quote of field 1");
	expect_error("a,b\n1,\"open\nstill\n", LS_ERR_CSV, 2, 0,
	             "quoted field 2 (\"b\") of the record starting on line 2 is never closed");
	expect_error("a,b\n1,2\n3\n", LS_ERR_FIELDS, 3, 0, "record has 1 field, the header has 2");
	expect_error("a,b\n1,2,3\n", LS_ERR_FIELDS, 2, 0, "record has 3 fields, the header has 2");
	expect_error("a,b\r1,2\r", LS_ERR_CSV, 1, 0, "CR-only line ends are not supported");
	expect_error("\xff\xfe" "a\0", LS_ERR_CSV, 1, 0, "UTF-16");
	expect_error("\xfe\xff\0a", LS_ERR_CSV, 1, 0, "UTF-16");
	/* A field past the header's is named by number only. */
	expect_error("a,b\n1,2,x\"y\n", LS_ERR_CSV, 2, 6,
	             "quote character inside unquoted field 3 (quote the whole field");
	/* What follows a closing quote: printable, a space, DEL, a control byte. */
	expect_error("a\n\"q\"~\n", LS_ERR_CSV, 2, 4, "'~' after the closing quote of field 1");
	expect_error("a\n\"q\" \n", LS_ERR_CSV, 2, 4, "' ' after the closing quote of field 1");
	expect_error("a\n\"q\"\x7f\n", LS_ERR_CSV, 2, 4, "byte 0x7F after the closing quote of field 1");
	expect_error("a\n\"q\"\x1f\n", LS_ERR_CSV, 2, 4, "byte 0x1F after the closing quote of field 1");
	/* A CR alone inside a line that ends in LF. */
	expect_error("a,b\n1\r2,3\n", LS_ERR_CSV, 2, 0, "CR-only line ends are not supported");
	/* ... or at its start, where libcsv would skip it as a blank line and the
	 * record's cells were read one byte off (found by fuzz_pipeline). */
	expect_error("a,b\n\r05T:0,c\n", LS_ERR_CSV, 2, 0, "CR-only line ends are not supported");
	expect_error("a,b\n\r\r0,c\n", LS_ERR_CSV, 2, 0, "CR-only line ends are not supported");
	expect_error("a,b\n1,2\n\r", LS_ERR_CSV, 3, 0, "CR-only line ends are not supported");
	/* A mark alone, shorter than UTF-32's. */
	expect_error("\xff\xfe", LS_ERR_CSV, 1, 0, "UTF-16 (byte order mark FF FE)");
	expect_error("\xfe\xff", LS_ERR_CSV, 1, 0, "UTF-16 (byte order mark FE FF)");
}

/* UTF-32's marks, which begin like UTF-16LE's or with NULs, are refused as
 * UTF-32 (strlen cannot carry them: the NULs are data). */
static void test_utf32_refused(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		const char *says;
	} cases[] = {
		{"\xff\xfe\0\0a\0\0\0", 8, "UTF-32 (byte order mark FF FE 00 00)"},
		{"\0\0\xfe\xff\0\0\0a", 8, "UTF-32 (byte order mark 00 00 FE FF)"},
		{"\xff\xfe\0\0", 4, "UTF-32 (byte order mark FF FE 00 00)"},
		/* Not UTF-32: UTF-16LE whose first character is U+0100. */
		{"\xff\xfe\0\x01", 4, "UTF-16 (byte order mark FF FE)"},
		{"\xff\xfe\x01\0", 4, "UTF-16 (byte order mark FF FE)"},
		/* Three bytes: too short for UTF-32's mark, whatever follows them. */
		{"\xff\xfe\0", 3, "UTF-16 (byte order mark FF FE)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_reader *r = open_text(cases[i].text, cases[i].len);
		ls_error err = {0};
		ls_row row;

		assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
		if (strstr(err.message, cases[i].says) == NULL)
			fail_msg("case %zu: %s", i, err.message);
		assert_int_equal(err.line, 1);
		assert_int_equal(err.column, 0);
		ls_error_clear(&err);
		ls_reader_free(r);
	}
}

/* A header name is quoted in messages up to 60 bytes, then cut. */
static void test_long_header_names_in_messages(void **state)
{
	char text[256], want[128];
	size_t len;

	(void)state;
	for (len = 60; len <= 61; len++) {
		memset(text, 'n', len);
		strcpy(text + len, "\nx\"y\n");
		memset(want, 'n', 60);
		snprintf(want + 60, sizeof(want) - 60, "%s\")", len > 60 ? "..." : "");
		expect_error(text, LS_ERR_CSV, 2, 2, want);
	}
}

/* The UTF-8 mark is counted in the bytes read, and not in the first cell;
 * an input that is a mark and nothing else is empty. Inputs shorter than
 * any mark are data. */
static void test_bom_bytes_and_short_inputs(void **state)
{
	static const char *const bom_only[] = {"x"};
	ls_reader *r = open_text("\xef\xbb\xbfx", 4);

	(void)state;
	expect_row(r, 1, LS_EOL_NONE, 1, bom_only, NULL);
	expect_done(r);
	assert_true(ls_reader_had_bom(r));
	assert_int_equal(ls_reader_bytes(r), 4);
	ls_reader_free(r);
	r = open_text("\xef\xbb\xbf", 3);
	expect_done(r);
	assert_true(ls_reader_had_bom(r));
	assert_int_equal(ls_reader_bytes(r), 3);
	ls_reader_free(r);
	{
		/* Exactly sized: ASan sees a look past the end for a mark. */
		static const char *const two[] = {"\xef\xbb"}, *const one[] = {"\xff"};
		char *text = unit_exact("\xef\xbb", 2);

		r = open_text(text, 2);
		assert_false(ls_reader_had_bom(r));
		expect_row(r, 1, LS_EOL_NONE, 1, two, NULL);
		expect_done(r);
		ls_reader_free(r);
		free(text);
		text = unit_exact("\xff", 1);
		r = open_text(text, 1);
		expect_row(r, 1, LS_EOL_NONE, 1, one, NULL);
		expect_done(r);
		ls_reader_free(r);
		free(text);
	}
}

/* Only the input's first bytes can be a byte order mark: the same bytes
 * later are data; and four bytes that are almost UTF-32's big-endian mark
 * are data too. */
static void test_marks_elsewhere_are_data(void **state)
{
#define TEXT(s) {s, sizeof(s) - 1}
	static const struct {
		const char *text;
		size_t len;
	} near[] = {
		TEXT("\0abc"), TEXT("a\0\xfe\xff"), TEXT("\0a\xfe\xff"), TEXT("\0\0a\xff"),
		TEXT("\0\0\xfe" "a"), TEXT("\0\0\xff\xfe"), TEXT("\0\0\xfe\xfe"),
	};
#undef TEXT
	static const char *const h[] = {"a"}, *const utf8[] = {"\xef\xbb\xbfx"},
	                          *const utf16[] = {"\xff\xfe"};
	static const char text[] = "a\n\xef\xbb\xbfx\n\xff\xfe\n";
	ls_reader *r = open_text(text, sizeof(text) - 1);
	size_t i;

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 1, h, NULL);
	expect_row(r, 2, LS_EOL_LF, 1, utf8, NULL);
	expect_row(r, 3, LS_EOL_LF, 1, utf16, NULL);
	expect_done(r);
	assert_false(ls_reader_had_bom(r));
	ls_reader_free(r);
	for (i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		const char *cell = near[i].text;
		size_t len = near[i].len;

		r = open_text(cell, len);
		expect_row(r, 1, LS_EOL_NONE, 1, &cell, &len);
		expect_done(r);
		ls_reader_free(r);
	}
}

/* A record's input bytes without its line end, whichever it was. */
static void test_raw_without_line_end(void **state)
{
	static const char text[] = "a,b\r\n\"1\",2\n3,\"4\r\n\"\r\n5,6";
	static const char *const raws[] = {"\"1\",2", "3,\"4\r\n\"", "5,6"};
	ls_reader *r = open_text(text, sizeof(text) - 1);
	ls_row row;
	size_t i, len;
	const char *raw;

	(void)state;
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	raw = ls_reader_raw(r, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(raw, "a,b", 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
		raw = ls_reader_raw(r, &len);
		assert_int_equal(len, strlen(raws[i]));
		assert_memory_equal(raw, raws[i], len);
	}
	expect_done(r);
	ls_reader_free(r);
}

static void test_field_count_error_is_recoverable(void **state)
{
	static const char *const h[] = {"a", "b"}, *const ok[] = {"3", "4"};
	static const char text[] = "a,b\n\"1\r\n x\",\"\"\r\n3,4\n";
	ls_reader *r = open_text(text, sizeof(text) - 1);
	const char *raw;
	size_t len;
	ls_row row;

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 2, h, NULL);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(row.ncells, 2);
	raw = ls_reader_raw(r, &len);
	assert_int_equal(len, 10);
	assert_memory_equal(raw, "\"1\r\n x\",\"\"", 10);
	ls_reader_free(r);

	r = open_text("a,b\n1\n3,4\n", 10);
	expect_row(r, 1, LS_EOL_LF, 2, h, NULL);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_ERR_FIELDS);
	assert_int_equal(row.ncells, 1);
	raw = ls_reader_raw(r, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(raw, "1", 1);
	expect_row(r, 3, LS_EOL_LF, 2, ok, NULL);
	expect_done(r);
	ls_reader_free(r);
}

/* Regression (fuzz_csv, UBSan): records whose fields are all empty have no
 * field bytes, and the cells were computed from a NULL base. */
static void test_all_empty_fields(void **state)
{
	static const char *const empty[] = {"", ""};
	ls_reader *r = open_text(",\n\"\",\n", 6);

	(void)state;
	expect_row(r, 1, LS_EOL_LF, 2, empty, NULL);
	expect_row(r, 2, LS_EOL_LF, 2, empty, NULL);
	expect_done(r);
	ls_reader_free(r);
}

static void test_empty_input(void **state)
{
	ls_reader *r = open_text("", 0);

	(void)state;
	expect_done(r);
	ls_reader_free(r);
}

/* A field far larger than the read window, through a pipe, split anywhere. */
static void test_large_field_through_fd(void **state)
{
	size_t big = 3 * 1024 * 1024 + 17, i;
	char *text = malloc(big + 64);
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path);
	ls_reader *r = NULL;
	ls_row row;
	size_t n, start;

	(void)state;
	assert_true(fd >= 0);
	n = start = (size_t)sprintf(text, "h1,h2\r\nx,\"");
	for (i = 0; i < big; i++)
		text[n + i] = (char)(i % 7 == 0 ? '\n' : 'a' + i % 26);
	n += big;
	n += (size_t)sprintf(text + n, "\"\r\n");
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(ls_reader_open_fd(&r, fd, path, ',', NULL), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(row.line, 2);
	assert_int_equal(row.eol, LS_EOL_CRLF);
	assert_int_equal(row.cells[1].len, big);
	assert_memory_equal(row.cells[1].ptr, text + start, big);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_DONE);
	ls_reader_free(r);
	close(fd);
	unlink(path);
	free(text);
}

/* Rows of small fields through a descriptor, past the flush size several
 * times: the file holds each byte once, in order. On descriptor 0 too (a
 * closed stdin's number, reused by open). */
static void test_writer_flushes_through_fd(void **state)
{
	enum { ROWS = 150000 }; /* about 2.8 MB */
	char path[] = "/tmp/leadsift-test-XXXXXX", cell[32];
	int fd = mkstemp(path), saved = dup(0), use, k;
	ls_writer *w = NULL;
	size_t len, i;
	char *got, *want;
	FILE *f;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	for (k = 0; k < 2; k++) {
		use = fd;
		if (k == 1) {
			assert_int_equal(dup2(fd, 0), 0);
			use = 0;
		}
		assert_int_equal(ftruncate(fd, 0), 0);
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		assert_int_equal(ls_writer_open_fd(&w, use, path, ',', NULL), LS_OK);
		want = malloc((size_t)ROWS * 20);
		assert_non_null(want);
		len = 0;
		for (i = 0; i < ROWS; i++) {
			int n = snprintf(cell, sizeof(cell), "r%zu", i);
			assert_int_equal(ls_writer_field(w, cell, (size_t)n, NULL), LS_OK);
			assert_int_equal(ls_writer_field(w, "x,y", 3, NULL), LS_OK);
			assert_int_equal(ls_writer_end_row(w, LS_EOL_LF, NULL), LS_OK);
			len += (size_t)sprintf(want + len, "r%zu,\"x,y\"\n", i);
		}
		assert_int_equal(ls_writer_flush(w, NULL), LS_OK);
		ls_writer_free(w);
		got = malloc(len + 1);
		assert_non_null(got);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fread(got, 1, len + 1, f), len);
		fclose(f);
		assert_memory_equal(got, want, len);
		free(got);
		free(want);
	}
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	close(fd);
	unlink(path);
}

/* --- allocation failures: each one reported, never a wrong record --------- */

struct read_all {
	const char *text;
	size_t len;
	int fd;                  /* >= 0: read through it, else from memory */
	const ls_cell *header;   /* given, not read */
	size_t header_len;
	uint64_t want;           /* digest of a run with no allocation failing */
	uint64_t max_record;     /* --max-record-bytes, 0: none */
};

/* A record as the reader gives it: line, line end, cells, quoting, bytes. */
static uint64_t row_digest(uint64_t h, const ls_reader *r, const ls_row *row)
{
	const char *raw;
	size_t i, len;

	h = unit_fnv(h, &row->line, sizeof(row->line));
	h = unit_fnv(h, &row->eol, sizeof(row->eol));
	for (i = 0; i < row->ncells; i++) {
		h = unit_fnv(h, row->cells[i].ptr, row->cells[i].len);
		h = unit_fnv(h, &row->cells[i].len, sizeof(row->cells[i].len));
		h = unit_fnv(h, &row->quoted[i], sizeof(row->quoted[i]));
	}
	raw = ls_reader_raw(r, &len);
	return unit_fnv(h, raw, len);
}

/* Reads every record (and every recoverable error) of r into a digest;
 * stops at the first other error, which the digest records too, and which
 * is left in *st. */
static uint64_t reader_digest(ls_reader *r, ls_status *st, ls_error *err)
{
	uint64_t h = UNIT_FNV_START;
	ls_row row;

	while (*st == LS_OK || *st == LS_ERR_FIELDS) {
		*st = ls_reader_next(r, &row, err);
		h = unit_fnv(h, st, sizeof(*st));
		if (*st == LS_OK || *st == LS_ERR_FIELDS)
			h = row_digest(h, r, &row);
		if (*st != LS_OK && *st != LS_DONE) {
			h = unit_fnv(h, &err->line, sizeof(err->line));
			h = unit_fnv(h, &err->column, sizeof(err->column));
			h = unit_fnv_str(h, err->message);
			if (*st != LS_ERR_FIELDS)
				break;
			ls_error_clear(err);
		}
	}
	if (*st == LS_DONE) /* after an error, how far it read is not defined */
		h = unit_fnv(h, &(uint64_t){ls_reader_bytes(r)}, sizeof(uint64_t));
	return h;
}

static ls_status read_all(void *arg)
{
	struct read_all *a = arg;
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_status st;
	uint64_t h = UNIT_FNV_START;

	if (a->fd >= 0) {
		assert_int_equal(lseek(a->fd, 0, SEEK_SET), 0);
		st = ls_reader_open_fd(&r, a->fd, "in.csv", ',', &err);
	} else {
		st = ls_reader_open_mem(&r, a->text, a->len, "in.csv", ',', &err);
	}
	if (st == LS_OK && a->header != NULL)
		st = ls_reader_set_header(r, a->header, a->header_len, &err);
	if (st == LS_OK)
		ls_reader_set_max_record_bytes(r, a->max_record);
	if (st == LS_OK)
		h = reader_digest(r, &st, &err);
	ls_error_clear(&err);
	ls_reader_free(r);
	return unit_same_answer(st, h, &a->want);
}

/* Input that arrives a byte at a time (a slow producer on a pipe), some reads
 * interrupted by a signal: the same records, line ends, errors and byte
 * counts as from memory, whatever the split. */
struct trickle {
	int fd;
	const char *text;
	size_t len;
	pthread_t reader;
	atomic_bool done; /* the reader stopped: a refused input is not read to its end */
};

static void on_signal(int sig)
{
	(void)sig;
}

static void pause_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

static void *trickle_out(void *arg)
{
	struct trickle *t = arg;
	size_t i;

	for (i = 0; i < t->len && !atomic_load(&t->done); i++) {
		int queued = 1;

		assert_int_equal(write(t->fd, t->text + i, 1), 1);
		/* Wait until the reader has taken it, so each read gets one byte. */
		while (queued > 0 && !atomic_load(&t->done) && ioctl(t->fd, FIONREAD, &queued) == 0)
			pause_us(100);
		if (i % 3 == 0) {
			pause_us(500); /* the reader is now likely blocked in read() */
			pthread_kill(t->reader, SIGUSR1);
		}
	}
	close(t->fd);
	return NULL;
}

static void test_reader_trickle_through_pipe(void **state)
{
#define TEXT(s, max) {s, sizeof(s) - 1, max}
	static const struct {
		const char *text;
		size_t len;
		uint64_t max_record;
	} texts[] = {
		TEXT("\xEF\xBB\xBFid,name\r\n1,\"Ann\r\nB\"\r\n\r\n2,\"x\"\"\"\n3,4", 0),
		TEXT("a,b\r\n1,2,3\r\n4,5\r", 0),
		TEXT("\xff\xfe\0\0a\0\0\0", 0),
		TEXT("\xff\xfe" "a\0", 0),
		TEXT("x\r\n\"open", 0),
		TEXT("a,b\nxx,yy\"z\n", 0),           /* the column of an error late in a line */
		TEXT("a\n\"1\n3\"\r\n1\n2\n\"1\n34\"\n", 5), /* the record size limit */
	};
#undef TEXT
	struct sigaction sa, old;
	size_t i;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: read() returns EINTR */
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct read_all want = {texts[i].text, texts[i].len, -1, NULL, 0, 0,
		                        texts[i].max_record};
		struct trickle t = {-1, texts[i].text, texts[i].len, pthread_self(), false};
		pthread_t writer;
		ls_reader *r = NULL;
		ls_error err = {0};
		ls_status st = LS_OK;
		int fds[2];
		uint64_t got;

		assert_int_equal(read_all(&want), LS_OK);
		assert_int_equal(pipe(fds), 0);
		t.fd = fds[1];
		assert_int_equal(pthread_create(&writer, NULL, trickle_out, &t), 0);
		assert_int_equal(ls_reader_open_fd(&r, fds[0], "in.csv", ',', &err), LS_OK);
		ls_reader_set_max_record_bytes(r, texts[i].max_record);
		got = reader_digest(r, &st, &err);
		atomic_store(&t.done, true);
		assert_int_equal(pthread_join(writer, NULL), 0);
		if (got != want.want)
			fail_msg("input %zu: other records through a pipe (%s)", i,
			         err.message ? err.message : ls_strerror(st));
		ls_error_clear(&err);
		ls_reader_free(r);
		close(fds[0]);
	}
	assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
}

/* --- chunks: what a parallel run relies on ---------------------------------- */

/* The records after the header, read whole from memory: the digest of
 * each, the blank lines skipped, the bytes read. */
static uint64_t whole_digest(const char *text, size_t len, uint64_t *blank, uint64_t *bytes)
{
	ls_reader *r = open_text(text, len);
	uint64_t h = UNIT_FNV_START;
	ls_status st;
	ls_row row;

	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	while ((st = ls_reader_next(r, &row, NULL)) == LS_OK || st == LS_ERR_FIELDS)
		h = row_digest(unit_fnv(h, &st, sizeof(st)), r, &row);
	assert_int_equal(st, LS_DONE);
	*blank = ls_reader_blank_lines(r);
	*bytes = ls_reader_bytes(r);
	ls_reader_free(r);
	return h;
}

/* The same input through a descriptor: the header read, the rest taken
 * over (csv_reader_take_rest), cut at the last record boundary of every
 * `step` bytes (csv_last_boundary) and each piece read by one memory
 * reader pointed at it in turn (csv_reader_reset_mem), as a parallel run
 * does: the same records, line numbers, blank lines and bytes. */
static void expect_chunks_read_as_whole(const char *text, size_t len, size_t step)
{
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path);
	ls_reader *head = NULL, *piece = NULL;
	const char *pending;
	char *rest;
	size_t npending, nrest, pos = 0, scanned = 0, i;
	unsigned long line;
	uint64_t offset, blank = 0, want_blank, want_bytes, h = UNIT_FNV_START, want;
	bool eof, in_quotes = false;
	ls_row row;
	ls_cell *names;
	ssize_t n;

	want = whole_digest(text, len, &want_blank, &want_bytes);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(ls_reader_open_fd(&head, fd, path, ',', NULL), LS_OK);
	assert_int_equal(ls_reader_next(head, &row, NULL), LS_OK);
	names = calloc(row.ncells, sizeof(*names));
	assert_non_null(names);
	for (i = 0; i < row.ncells; i++)
		names[i] = row.cells[i];
	assert_int_equal(ls_reader_open_mem(&piece, "", 0, path, ',', NULL), LS_OK);
	assert_int_equal(ls_reader_set_header(piece, names, row.ncells, NULL), LS_OK);
	free(names);
	assert_int_equal(csv_reader_take_rest(head, &pending, &npending, &line, &offset, &eof, NULL),
	                 LS_OK);
	/* The rest of the input: what the reader had read, then the descriptor. */
	rest = malloc(npending + len + 1);
	assert_non_null(rest);
	memcpy(rest, pending, npending);
	nrest = npending;
	while (!eof && (n = read(fd, rest + nrest, len + 1)) > 0)
		nrest += (size_t)n;
	assert_int_equal(offset + nrest, len);
	while (pos < nrest) {
		size_t end = pos, cut = 0;
		ls_status st;

		/* Grow the piece by step until a boundary shows, or the input ends. */
		while (cut == 0 && end < nrest) {
			size_t b;

			end = end + step < nrest ? end + step : nrest;
			b = csv_last_boundary(rest + scanned, end - scanned, &in_quotes);
			if (b > 0)
				cut = scanned + b;
			scanned = end;
		}
		if (cut == 0 || end == nrest)
			cut = end; /* the last piece takes the rest */
		csv_reader_reset_mem(piece, rest + pos, cut - pos, line, offset, cut == nrest);
		while ((st = ls_reader_next(piece, &row, NULL)) == LS_OK || st == LS_ERR_FIELDS)
			h = row_digest(unit_fnv(h, &st, sizeof(st)), piece, &row);
		assert_int_equal(st, LS_DONE);
		assert_false(csv_reader_in_record(piece));
		assert_int_equal(ls_reader_bytes(piece), offset + (cut - pos));
		blank += ls_reader_blank_lines(piece);
		for (i = pos; i < cut; i++)
			line += rest[i] == '\n';
		offset += cut - pos;
		/* What was scanned past the cut is scanned again with the next piece. */
		if (scanned > cut) {
			scanned = cut;
			in_quotes = false;
		}
		pos = cut;
	}
	if (h != want || blank != want_blank || offset != want_bytes)
		fail_msg("pieces of %zu bytes: other records than the whole (blank lines %llu, not "
		         "%llu)", step, (unsigned long long)blank, (unsigned long long)want_blank);
	ls_reader_free(piece);
	ls_reader_free(head);
	free(rest);
	close(fd);
	unlink(path);
}

static void test_chunks_read_as_whole(void **state)
{
	static const char *const texts[] = {
		("\xEF\xBB\xBFid,name,note\r\n1,\"Ann\r\n\"\"B\"\"\",x\r\n\r\n\n2,plain,\"a,b\"\n"
		 "3,\"\n\n\",\"\"\r\n4,short\n5,z,\"end\""),
		"a,b\n\n\n1,\"\"\"\"\n2,3\n\"x\ny\",\"\"\n",
		"h\nA\n\"B\nB\"\nC\r\n\r\nD",
	};
	static const size_t steps[] = {1, 2, 3, 5, 8, 13, 64, 4096};
	size_t t, k;

	(void)state;
	for (t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			expect_chunks_read_as_whole(texts[t], strlen(texts[t]), steps[k]);
}

/* A header given replaces the one before: its field count and names are
 * the ones records are checked against. */
static void test_header_replaced(void **state)
{
	static const ls_cell two[] = {{"a", 1}, {"b", 1}}, three[] = {{"x", 1}, {"y", 1}, {"z", 1}};
	static const char *const row[] = {"1", "2", "3"};
	ls_reader *r = open_text("1,2,3\n1,2\n", 10);
	ls_error err = {0};
	ls_row got;

	(void)state;
	/* Given before reading: every record is data, checked against it. */
	assert_int_equal(ls_reader_set_header(r, two, 2, NULL), LS_OK);
	assert_int_equal(ls_reader_set_header(r, three, 3, NULL), LS_OK);
	expect_row(r, 1, LS_EOL_LF, 3, row, NULL);
	assert_int_equal(ls_reader_next(r, &got, &err), LS_ERR_FIELDS);
	assert_string_equal(err.message, "record has 2 fields, the header has 3");
	ls_error_clear(&err);
	expect_done(r);
	ls_reader_free(r);
}

/* A header that cannot be copied (each of its allocations failed in turn)
 * leaves the reader without one: freed at once it frees nothing twice, and
 * read on, it takes its first record (returned too) as the header. */
static void test_header_replace_fails(void **state)
{
	static const ls_cell two[] = {{"a", 1}, {"b", 1}}, three[] = {{"x", 1}, {"y", 1}, {"z", 1}};
	static const char *const header[] = {"x", "y", "z"}, *const row[] = {"1", "2", "3"};
	long k;

	(void)state;
	for (k = 0; k < 4; k++) {
		int read_on;
		for (read_on = 0; read_on <= 1; read_on++) {
			ls_reader *r = open_text("x,y,z\n1,2,3\n", 12);
			ls_error err = {0};

			assert_int_equal(ls_reader_set_header(r, two, 2, NULL), LS_OK);
			unit_fail_alloc_after(k);
			assert_int_equal(ls_reader_set_header(r, three, 3, &err), LS_ERR_NOMEM);
			assert_true(unit_alloc_failed());
			ls_error_clear(&err);
			if (read_on) {
				expect_row(r, 1, LS_EOL_LF, 3, header, NULL);
				expect_row(r, 2, LS_EOL_LF, 3, row, NULL);
				expect_done(r);
			}
			ls_reader_free(r);
		}
		/* Nor does a message name a field after a name it copied. */
		{
			ls_reader *r = open_text("p,\"q\"r\n", 7);
			ls_error err = {0};
			ls_row got;

			unit_fail_alloc_after(k);
			assert_int_equal(ls_reader_set_header(r, three, 3, &err), LS_ERR_NOMEM);
			ls_error_clear(&err);
			assert_int_equal(ls_reader_next(r, &got, &err), LS_ERR_CSV);
			assert_non_null(strstr(err.message, "after the closing quote of field 2 ("));
			assert_null(strstr(err.message, "\"y\""));
			ls_error_clear(&err);
			ls_reader_free(r);
		}
	}
}

/* The byte order mark can be looked at before the first record, and a
 * reader handing its input over looks at it first. */
static void test_mark_before_reading(void **state)
{
	const char *data;
	size_t len;
	unsigned long line;
	uint64_t offset;
	bool eof;
	ls_reader *r = open_text("\xef\xbb\xbf" "a\n1\n", 7);
	ls_error err = {0};

	(void)state;
	assert_false(ls_reader_had_bom(r));
	assert_int_equal(csv_reader_check_bom(r, NULL), LS_OK);
	assert_true(ls_reader_had_bom(r));
	assert_int_equal(csv_reader_take_rest(r, &data, &len, &line, &offset, &eof, NULL), LS_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "a\n1\n", 4);
	assert_int_equal(offset, 3);
	assert_int_equal(line, 1);
	ls_reader_free(r);
	r = open_text("\xff\xfe" "a\0", 4);
	assert_int_equal(csv_reader_take_rest(r, &data, &len, &line, &offset, &eof, &err),
	                 LS_ERR_CSV);
	assert_non_null(strstr(err.message, "UTF-16"));
	ls_error_clear(&err);
	ls_reader_free(r);
}

/* A reader pointed at a new chunk starts afresh: after a chunk that ended
 * inside a quoted field, inside an unquoted one, or at a parse error (a
 * stray quote, a bare CR). */
static void test_reset_starts_afresh(void **state)
{
	static const ls_cell names[] = {{"a", 1}, {"b", 1}};
	static const char *const ends[] = {"1,\"open\nmore", "1,par", "1,x\"y\n", "\"q\"z,1\n",
	                                   "1,2\r3,4\n"};
	static const char *const row[] = {"3", "4"};
	ls_reader *r = open_text("", 0);
	size_t i;

	(void)state;
	assert_int_equal(ls_reader_set_header(r, names, 2, NULL), LS_OK);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		ls_row got;
		ls_error err = {0};
		ls_status st;

		csv_reader_reset_mem(r, ends[i], strlen(ends[i]), 10, 100, false);
		st = ls_reader_next(r, &got, &err);
		assert_true(st == LS_DONE || st == LS_ERR_CSV);
		assert_true(st == LS_ERR_CSV || csv_reader_in_record(r));
		ls_error_clear(&err);
		/* Columns count from the new chunk's first byte. */
		csv_reader_reset_mem(r, "3,x\"y\n", 6, 30, 300, true);
		assert_int_equal(ls_reader_next(r, &got, &err), LS_ERR_CSV);
		assert_int_equal(err.line, 30);
		assert_int_equal(err.column, 4);
		ls_error_clear(&err);
		csv_reader_reset_mem(r, "3,4\n", 4, 20, 200, true);
		expect_row(r, 20, LS_EOL_LF, 2, row, NULL);
		expect_done(r);
		assert_false(csv_reader_in_record(r));
		assert_int_equal(ls_reader_bytes(r), 204);
		assert_int_equal(ls_reader_blank_lines(r), 0);
	}
	ls_reader_free(r);
}

/* Where a quote-aware cut may fall: after the last line feed outside
 * quotes, the quote state carried from one piece to the next. */
static void test_last_boundary(void **state)
{
	/* Pieces scanned in turn, the quote state carried from one to the next. */
	static const struct {
		const char *piece;
		size_t boundary;
		bool in_quotes; /* after it */
	} steps[] = {
		{"", 0, false},
		{"abc", 0, false},
		{"\n", 1, false},
		{"a\nb\nc", 4, false},
		/* Line feeds inside quotes are not boundaries. */
		{"a\n\"b\nc", 2, true},
		{"d\ne", 0, true},
		{"f\"\ng\nh", 5, false},
		/* A doubled quote flips the state twice. */
		{"\"x\"\"y\"\nz", 7, false},
		{"\"\n\"\n", 4, false},
		/* Opened in one piece, closed in the next: only the second piece's
		 * line feed after the close counts. */
		{"\n\"\n", 1, true},
		{"\n\"\n", 3, false},
	};
	bool q = false;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		size_t b = csv_last_boundary(steps[i].piece, strlen(steps[i].piece), &q);

		if (b != steps[i].boundary || q != steps[i].in_quotes)
			fail_msg("step %zu: boundary %zu, in quotes %d", i, b, q);
	}
}

/* A read that fails after records were read: the next record that needs
 * it reports the error, not a record. */
static void test_read_error_mid_input(void **state)
{
	static const char *const h[] = {"a", "b"};
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path);
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_row row;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a,b\n1,2", 7), 7);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(ls_reader_open_fd(&r, fd, "in.csv", ',', NULL), LS_OK);
	unit_fail_read_after(1, EIO);
	expect_row(r, 1, LS_EOL_LF, 2, h, NULL);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_IO);
	unit_fail_read_after(-1, 0);
	assert_int_equal(err.sys_errno, EIO);
	assert_string_equal(err.message, "cannot read in.csv: Input/output error");
	ls_error_clear(&err);
	ls_reader_free(r);
	close(fd);
	unlink(path);
}

/* Descriptor 0 is a descriptor like any other (a closed stdin's number,
 * reused by open), not memory. */
static void test_reader_on_descriptor_0(void **state)
{
	static const char *const row1[] = {"a", "b"};
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path), saved = dup(0);
	ls_reader *r = NULL;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(write(fd, "a,b\n", 4), 4);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(dup2(fd, 0), 0);
	assert_int_equal(ls_reader_open_fd(&r, 0, NULL, ',', NULL), LS_OK);
	expect_row(r, 1, LS_EOL_LF, 2, row1, NULL);
	expect_done(r);
	ls_reader_free(r);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	close(fd);
	unlink(path);
}

/* A descriptor that cannot be read (a directory) is an I/O error naming the
 * input; a read that ends the input is not retried, whatever errno held. */
/* Text in another encoding: the cells stay the input's bytes, the text is
 * UTF-8 (an ASCII cell is its own text, a byte Windows-1252 leaves
 * undefined is U+FFFD); without an encoding, records that are not UTF-8 are
 * counted, the header too, and the first one's line kept. */
static void test_encodings(void **state)
{
	static const char cp1252[] = "Soci\xe9t\xe9,n\r\n\"Z\xdcRICH, \x80\",1\r\nplain,\x81\r\n";
	ls_reader *r = open_text(cp1252, sizeof(cp1252) - 1);
	ls_error err = {0};
	unsigned long line = 99;
	ls_row row;

	(void)state;
	assert_int_equal(ls_reader_set_encoding(r, "windows-1252", &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_memory_equal(row.cells[0].ptr, "Soci\xe9t\xe9", 7);
	assert_int_equal(row.text[0].len, 9);
	assert_memory_equal(row.text[0].ptr, "Soci\xc3\xa9t\xc3\xa9", 9);
	assert_ptr_equal(row.text[1].ptr, row.cells[1].ptr); /* ASCII: as it is */
	assert_ptr_equal(ls_row_text(&row), row.text);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(row.text[0].len, 12);
	assert_memory_equal(row.text[0].ptr, "Z\xc3\x9cRICH, \xe2\x82\xac", 12); /* ZÜRICH, € */
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(row.text[1].len, 3);
	assert_memory_equal(row.text[1].ptr, "\xef\xbf\xbd", 3); /* 0x81: undefined */
	expect_done(r);
	assert_int_equal(ls_reader_non_utf8(r, &line), 0);
	ls_reader_free(r);

	/* Without an encoding: counted, and the text is the cells. */
	r = open_text(cp1252, sizeof(cp1252) - 1);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_ptr_equal(row.text, row.cells);
	while (ls_reader_next(r, &row, &err) == LS_OK)
		;
	assert_int_equal(ls_reader_non_utf8(r, &line), 3);
	assert_int_equal(line, 1);
	ls_reader_free(r);
	r = open_text("a\nb\n\xc3\xa9\n\xc3\n", 10);
	while (ls_reader_next(r, &row, &err) == LS_OK)
		;
	assert_int_equal(ls_reader_non_utf8(r, &line), 1);
	assert_int_equal(line, 4);
	ls_reader_free(r);

	/* Named UTF-8: nothing decoded, nothing counted. */
	r = open_text("\xff\n", 2);
	assert_int_equal(ls_reader_set_encoding(r, "utf8", &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_ptr_equal(row.text, row.cells);
	assert_int_equal(ls_reader_non_utf8(r, NULL), 0);
	ls_reader_free(r);

	/* What cannot be read is refused, saying why. */
	r = open_text("a\n", 2);
	assert_int_equal(ls_reader_set_encoding(r, "UTF-16", &err), LS_ERR_USAGE);
	assert_non_null(strstr(err.message, "does not write ASCII as ASCII"));
	assert_int_equal(ls_reader_set_encoding(r, "no-such-encoding", &err), LS_ERR_USAGE);
	assert_non_null(strstr(err.message, "unknown encoding \"no-such-encoding\""));
	ls_error_clear(&err);
	ls_reader_free(r);
}

/* Text written in an encoding: what it lacks as its nearest, else '?';
 * ls_writer_field writes bytes as they are whatever the encoding. */
static void test_writer_encodings(void **state)
{
	static const char want[] = "\xe9\x80oL?,\xc3\xa9,plain\n";
	ls_writer *w = NULL;
	ls_error err = {0};
	const char *got;
	size_t len;

	(void)state;
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	assert_int_equal(ls_writer_set_encoding(w, "windows-1252", &err), LS_OK);
	assert_int_equal(ls_writer_text(w, "\xc3\xa9\xe2\x82\xac\xc5\x91\xc5\x81\xe4\xb8\xad", 12,
	                                &err), LS_OK); /* é€őŁ中 */
	assert_int_equal(ls_writer_field(w, "\xc3\xa9", 2, &err), LS_OK);
	assert_int_equal(ls_writer_text(w, "plain", 5, &err), LS_OK);
	assert_int_equal(ls_writer_end_row(w, LS_EOL_LF, &err), LS_OK);
	got = ls_writer_mem_data(w, &len);
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(got, want, len);
	assert_int_equal(ls_writer_set_encoding(w, "klingon", &err), LS_ERR_USAGE);
	ls_error_clear(&err);
	ls_writer_free(w);
}

static void test_reader_read_errors(void **state)
{
	int dir = open("tests", O_RDONLY);
	int empty = open("/dev/null", O_RDONLY);
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_row row;

	(void)state;
	assert_true(dir >= 0 && empty >= 0);
	assert_int_equal(ls_reader_open_fd(&r, dir, "tests", ',', &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_IO);
	assert_int_equal(err.sys_errno, EISDIR);
	assert_non_null(strstr(err.message, "cannot read tests"));
	ls_error_clear(&err);
	ls_reader_free(r);
	assert_int_equal(ls_reader_open_fd(&r, empty, NULL, ',', &err), LS_OK);
	errno = EINTR;
	assert_int_equal(ls_reader_next(r, &row, &err), LS_DONE);
	ls_reader_free(r);
	close(dir);
	close(empty);
}

static void test_reader_allocation_failures(void **state)
{
	static const ls_cell given[] = {{"id", 2}, {"name", 4}};
	static const char *const texts[] = {
		"\xEF\xBB\xBFid,name,notes\r\n1,\"Ann \"\"A\"\"\",x\r\n\r\n2,Bob\n3,\"two\nlines\",\n",
		"a,b\n1,2\n\"open,3\r4\n",   /* a record that never ends */
		"1,x\n2,\"y\"\n3",             /* read with the header given */
		"a,b\n1,\"quoted, to the end\"", /* the last field at the end of the input */
	};
	char path[] = "/tmp/leadsift-test-XXXXXX", wide[40 * 8];
	int fd = mkstemp(path);
	size_t t, w = 0;

	(void)state;
	assert_true(fd >= 0);
	for (t = 0; t < 40; t++)
		w += (size_t)snprintf(wide + w, sizeof(wide) - w, t % 2 ? "c%zu%c" : "\"%zu\"%c", t,
		                      t + 1 < 40 ? ',' : '\n');
	for (t = 0; t < 5; t++) {
		const char *text = t < 4 ? texts[t] : wide;
		size_t len = t < 4 ? strlen(text) : w;
		int via;

		assert_int_equal(ftruncate(fd, 0), 0);
		assert_int_equal(pwrite(fd, text, len, 0), (ssize_t)len);
		for (via = 0; via < 2; via++) {
			struct read_all a = {text, len, via ? fd : -1, t == 2 ? given : NULL, 2, 0, 0};

			assert_int_equal(read_all(&a), LS_OK);
			assert_true(unit_alloc_sweep(read_all, &a) >= 3);
		}
	}
	close(fd);
	unlink(path);
}

/* The writer, through a descriptor and into memory: a failure to grow its
 * buffer is reported, and what it wrote before is whole. */
struct write_all {
	int fd;
};

static ls_status write_all(void *arg)
{
	static const char want[] = "a,\"b,c\",\"q\"\"\"\r\nraw,x\n\"\"\n";
	struct write_all *a = arg;
	ls_writer *w = NULL;
	ls_status st;
	char got[sizeof(want)];
	const char *data = NULL;
	size_t len = 0;

	if (a->fd >= 0) {
		assert_int_equal(ftruncate(a->fd, 0), 0);
		assert_int_equal(lseek(a->fd, 0, SEEK_SET), 0);
		st = ls_writer_open_fd(&w, a->fd, "out.csv", ',', NULL);
	} else {
		st = ls_writer_open_mem(&w, ',', NULL);
	}
	if (st == LS_OK)
		st = ls_writer_field(w, "a", 1, NULL);
	if (st == LS_OK)
		st = ls_writer_field(w, "b,c", 3, NULL);
	if (st == LS_OK)
		st = ls_writer_field(w, "q\"", 2, NULL);
	if (st == LS_OK)
		st = ls_writer_end_row(w, LS_EOL_CRLF, NULL);
	if (st == LS_OK)
		st = ls_writer_raw(w, "raw,x\n", 6, NULL);
	if (st == LS_OK)
		st = ls_writer_field(w, "", 0, NULL);
	if (st == LS_OK)
		st = ls_writer_end_row(w, LS_EOL_LF, NULL);
	if (st == LS_OK)
		st = ls_writer_flush(w, NULL);
	if (st == LS_OK && a->fd < 0)
		data = ls_writer_mem_data(w, &len);
	if (st == LS_OK && a->fd >= 0) {
		ssize_t n = pread(a->fd, got, sizeof(got), 0);
		data = got;
		len = n < 0 ? 0 : (size_t)n;
	}
	if (st == LS_OK && (len != sizeof(want) - 1 || memcmp(data, want, len) != 0))
		st = UNIT_WRONG;
	ls_writer_free(w);
	return st;
}

/* Rows larger than a memory writer's first block: a raw one and a field
 * that needs quotes, each making the buffer grow. */
static ls_status write_big(void *arg)
{
	uint64_t *want = arg, h = UNIT_FNV_START;
	static char raw[5001], field[5000];
	ls_writer *w = NULL;
	ls_status st = ls_writer_open_mem(&w, ',', NULL);
	const char *data;
	size_t len = 0;

	memset(raw, 'r', sizeof(raw) - 1);
	raw[sizeof(raw) - 1] = '\n';
	memset(field, 'x', sizeof(field));
	field[10] = ',';
	field[20] = '"';
	if (st == LS_OK)
		st = ls_writer_raw(w, raw, sizeof(raw), NULL);
	if (st == LS_OK)
		st = ls_writer_field(w, field, sizeof(field), NULL);
	if (st == LS_OK)
		st = ls_writer_end_row(w, LS_EOL_LF, NULL);
	if (st == LS_OK) {
		data = ls_writer_mem_data(w, &len);
		h = unit_fnv(h, data, len);
	}
	ls_writer_free(w);
	/* The raw row, then the field quoted with its quote doubled. */
	if (st == LS_OK && len != sizeof(raw) + sizeof(field) + 4)
		st = UNIT_WRONG;
	return unit_same_answer(st, h, want);
}

/* A row ending just as the first block is full: its line end, or the ""
 * that stands for a row of one empty field, makes the buffer grow. */
static ls_status write_full(void *arg)
{
	uint64_t *want = arg, h = UNIT_FNV_START;
	static char raw[4096];
	int k;
	ls_status st = LS_OK;

	memset(raw, 'r', sizeof(raw));
	for (k = 0; st == LS_OK && k < 2; k++) {
		ls_writer *w = NULL;
		const char *data;
		size_t len = 0;

		st = ls_writer_open_mem(&w, ',', NULL);
		/* One byte short of full for the empty field, which reserves one. */
		if (st == LS_OK)
			st = ls_writer_raw(w, raw, sizeof(raw) - (size_t)k, NULL);
		if (st == LS_OK && k == 1)
			st = ls_writer_field(w, "", 0, NULL);
		if (st == LS_OK)
			st = ls_writer_end_row(w, k == 0 ? LS_EOL_LF : LS_EOL_CRLF, NULL);
		if (st == LS_OK) {
			data = ls_writer_mem_data(w, &len);
			h = unit_fnv(h, data, len);
			if (len != sizeof(raw) + (k == 0 ? 1 : 3))
				st = UNIT_WRONG;
		}
		ls_writer_free(w);
	}
	return unit_same_answer(st, h, want);
}

static void test_writer_allocation_failures(void **state)
{
	uint64_t big = 0, full = 0;

	char path[] = "/tmp/leadsift-test-XXXXXX";
	struct write_all a = {mkstemp(path)};

	(void)state;
	assert_true(a.fd >= 0);
	assert_true(unit_alloc_sweep(write_all, &a) >= 1);
	close(a.fd);
	unlink(path);
	a.fd = -1;
	assert_true(unit_alloc_sweep(write_all, &a) >= 1);
	assert_int_equal(write_big(&big), LS_OK);
	assert_true(unit_alloc_sweep(write_big, &big) >= 3);
	assert_int_equal(write_full(&full), LS_OK);
	assert_true(unit_alloc_sweep(write_full, &full) >= 4);
}

static void test_record_size_limit(void **state)
{
	static const char text[] = "a,b\n1,2\n\"open,3\nmore,4\nand more,5\n";
	ls_reader *r = open_text(text, sizeof(text) - 1);
	ls_error err = {0};
	ls_row row;

	(void)state;
	ls_reader_set_max_record_bytes(r, 8);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.message, "record starting on line 3 is larger than 8 bytes"));
	ls_error_clear(&err);
	ls_reader_free(r);
	/* The smallest limit: one byte. */
	r = open_text(text, sizeof(text) - 1);
	ls_reader_set_max_record_bytes(r, 1);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
	assert_int_equal(err.line, 1);
	ls_error_clear(&err);
	ls_reader_free(r);
}

/* The limit counts a record's bytes without its line end, line feeds inside
 * quotes included; each record is counted from its own start. */
static void test_record_size_limit_boundaries(void **state)
{
	static const char *const five[] = {"12345"}, *const quoted[] = {"1\n3"};
	static const char *const digits[] = {"1", "2", "3", "4", "5", "6"};
	ls_reader *r = open_text("a\n12345\r\n\"1\n3\"\n123456\n", 22);
	ls_error err = {0};
	ls_row row;
	size_t i;

	(void)state;
	ls_reader_set_max_record_bytes(r, 5);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	expect_row(r, 2, LS_EOL_CRLF, 1, five, NULL);
	expect_row(r, 3, LS_EOL_LF, 1, quoted, NULL);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
	assert_int_equal(err.line, 5);
	assert_int_equal(err.column, 0);
	assert_string_equal(err.message, "the record starting on line 5 is larger than 5 bytes "
	                                 "(an unterminated quote? see --max-record-bytes)");
	ls_error_clear(&err);
	ls_reader_free(r);
	/* Many records, each within the limit, however much was read before. */
	r = open_text("a\n1\n2\n3\n4\n5\n6\n", 14);
	ls_reader_set_max_record_bytes(r, 1);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	for (i = 0; i < 6; i++)
		expect_row(r, i + 2, LS_EOL_LF, 1, digits + i, NULL);
	expect_done(r);
	ls_reader_free(r);
}

/* An unterminated quote, then 4 MiB without a line end: the reader stops at
 * the limit without holding more than about the limit (a line is fed in
 * pieces that end where the record would pass it), read from memory or
 * through a descriptor. (libcsv's own field buffer is not counted: its
 * allocations are not the library's.) */
static void test_record_size_limit_bounds_memory(void **state)
{
	size_t big = 4 * 1024 * 1024, n = 0, i;
	char *text = malloc(big + 16);
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path), via;

	(void)state;
	assert_true(text != NULL && fd >= 0);
	n = (size_t)sprintf(text, "a\n\"");
	for (i = 0; i < big; i++)
		text[n++] = 'x';
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	for (via = 0; via < 4; via++) {
		uint64_t limit = via < 2 ? 10000 : 1; /* the smallest limit too */
		ls_reader *r = NULL;
		ls_error err = {0};
		ls_row row;
		size_t held;

		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		if (via % 2)
			assert_int_equal(ls_reader_open_fd(&r, fd, path, ',', NULL), LS_OK);
		else
			r = open_text(text, n);
		ls_reader_set_max_record_bytes(r, limit);
		assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
		(void)unit_alloc_largest();
		assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
		assert_int_equal(err.line, 2);
		assert_non_null(strstr(err.message, limit == 1 ? "larger than 1 byte ("
		                                               : "larger than 10000 bytes ("));
		held = unit_alloc_largest();
		/* The record's bytes, in a buffer that grows by doubling; and the
		 * message. */
		if (held > 2 * limit + 256)
			fail_msg("held a block of %zu bytes for a limit of %llu", held,
			         (unsigned long long)limit);
		ls_error_clear(&err);
		ls_reader_free(r);
	}
	free(text);
	close(fd);
	unlink(path);
}

static void test_other_delimiter(void **state)
{
	static const char *const h[] = {"a,b", "c"};
	ls_reader *r = NULL;

	(void)state;
	assert_int_equal(ls_reader_open_mem(&r, "a,b;c\n", 6, NULL, ';', NULL), LS_OK);
	expect_row(r, 1, LS_EOL_LF, 2, h, NULL);
	ls_reader_free(r);
	assert_int_equal(ls_reader_open_mem(&r, "", 0, NULL, '"', NULL), LS_ERR_USAGE);
	assert_null(r);
}

/* A quote or a line break cannot separate fields; the refusal is about the
 * option, so it names no file, line or column. */
static void test_delimiter_refused(void **state)
{
	static const char refused[] = {'"', '\r', '\n'};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused); i++) {
		ls_reader *r = NULL;
		ls_error err = {0};

		assert_int_equal(ls_reader_open_mem(&r, "a\n", 2, "in.csv", refused[i], &err),
		                 LS_ERR_USAGE);
		assert_null(r);
		assert_int_equal(err.status, LS_ERR_USAGE);
		assert_null(err.file);
		assert_int_equal(err.line, 0);
		assert_int_equal(err.column, 0);
		assert_non_null(strstr(err.message, "delimiter"));
		ls_error_clear(&err);
	}
}

/* CRM exports carry hundreds of columns (a HubSpot contact export: 300 and
 * more): every one of them read, quoted or not, through the growth of the
 * reader's field table. */
static void test_wide_record(void **state)
{
	enum { WIDE = 300 };
	char text[WIDE * 16];
	size_t len = 0;
	ls_reader *r;
	ls_row row;
	size_t i;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < WIDE; i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, pass ? "\"v%zu\"%c" : "c%zu%c",
			                        i, i + 1 < WIDE ? ',' : '\n');
	r = open_text(text, len);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
		assert_int_equal(row.ncells, WIDE);
		for (i = 0; i < WIDE; i++) {
			char want[16];
			int n = snprintf(want, sizeof(want), pass ? "v%zu" : "c%zu", i);

			assert_int_equal(row.cells[i].len, (size_t)n);
			assert_memory_equal(row.cells[i].ptr, want, (size_t)n);
			assert_int_equal(row.quoted[i], pass == 1);
		}
	}
	expect_done(r);
	ls_reader_free(r);
}

/* Whether a cell was quoted is read from this record's bytes only: a last,
 * empty field at the end of the input is not quoted because the record
 * before had a quote where this one ends. */
static void test_quoted_flags_per_record(void **state)
{
	static const char text[] = "\"q\",x\na,";
	ls_reader *r = open_text(text, sizeof(text) - 1);
	ls_row row;

	(void)state;
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_true(row.quoted[0]);
	assert_false(row.quoted[1]);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(row.ncells, 2);
	assert_int_equal(row.cells[1].len, 0);
	assert_false(row.quoted[0]);
	assert_false(row.quoted[1]);
	expect_done(r);
	ls_reader_free(r);
}

static const char *written(ls_writer *w, size_t *len)
{
	return ls_writer_mem_data(w, len);
}

static void test_writer_quotes_only_where_needed(void **state)
{
	ls_writer *w = NULL;
	size_t len;
	const char *out;
	static const char want[] = "plain,\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"cr\r\",,  sp  \r\n"
	                           "last";

	(void)state;
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	assert_int_equal(ls_writer_field(w, "plain", 5, NULL), LS_OK);
	ls_writer_field(w, "a,b", 3, NULL);
	ls_writer_field(w, "say \"hi\"", 8, NULL);
	ls_writer_field(w, "x\ny", 3, NULL);
	ls_writer_field(w, "cr\r", 3, NULL);
	ls_writer_field(w, "", 0, NULL);
	ls_writer_field(w, "  sp  ", 6, NULL);
	ls_writer_end_row(w, LS_EOL_CRLF, NULL);
	ls_writer_field(w, "last", 4, NULL);
	ls_writer_end_row(w, LS_EOL_NONE, NULL);
	out = written(w, &len);
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(out, want, len);
	ls_writer_free(w);
}

/* Quotes side by side and a quote before the last byte, in cells sized
 * exactly (ASan sees a read past their end); each quote doubled. */
static void test_writer_doubles_adjacent_quotes(void **state)
{
	static const char *const cells[] = {"a\"\"b", "\"\"\"", "x\"y", "\"z"};
	static const char *const want[] = {"\"a\"\"\"\"b\"\n", "\"\"\"\"\"\"\"\"\n",
	                                   "\"x\"\"y\"\n", "\"\"\"z\"\n"};
	ls_writer *w = NULL;
	const char *out;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		char *cell = unit_exact(cells[i], strlen(cells[i]));
		assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
		assert_int_equal(ls_writer_field(w, cell, strlen(cells[i]), NULL), LS_OK);
		assert_int_equal(ls_writer_end_row(w, LS_EOL_LF, NULL), LS_OK);
		out = ls_writer_mem_data(w, &len);
		assert_int_equal(len, strlen(want[i]));
		assert_memory_equal(out, want[i], len);
		ls_writer_free(w);
		free(cell);
	}
	/* A quoted field after an empty first one: a row like any other, not a
	 * blank one to be written as "". */
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	ls_writer_field(w, "", 0, NULL);
	ls_writer_field(w, "a,b", 3, NULL);
	ls_writer_end_row(w, LS_EOL_LF, NULL);
	out = ls_writer_mem_data(w, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(out, ",\"a,b\"\n", 7);
	ls_writer_free(w);
}

/* Room for a quoted field is reserved for every doubled quote and the
 * delimiter: fields that fill the buffer to its last byte (a 4 KiB memory
 * writer's), and one of quotes only that takes twice its length. Under ASan
 * a byte too few is an overflow. */
static void test_writer_quoted_room(void **state)
{
	size_t n = 1997, len, i;
	char *quotes = malloc(3000), *want = malloc(8192);
	ls_writer *w = NULL;
	const char *out;

	(void)state;
	assert_true(quotes != NULL && want != NULL);
	memset(quotes, '"', 3000);
	/* 100 + 1 + 2 + 1997 + 1997 doubled = 4097 bytes: one past 4 KiB. */
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	memset(want, 'a', 100);
	assert_int_equal(ls_writer_field(w, want, 100, NULL), LS_OK);
	assert_int_equal(ls_writer_field(w, quotes, n, NULL), LS_OK);
	out = ls_writer_mem_data(w, &len);
	assert_int_equal(len, 100 + 1 + 2 + 2 * n);
	for (i = 101; i < len; i++)
		assert_int_equal(out[i], '"');
	ls_writer_free(w);
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	assert_int_equal(ls_writer_field(w, quotes, 3000, NULL), LS_OK);
	out = ls_writer_mem_data(w, &len);
	assert_int_equal(len, 2 + 2 * 3000);
	for (i = 0; i < len; i++)
		assert_int_equal(out[i], '"');
	ls_writer_free(w);
	free(quotes);
	free(want);
}

/* Fields already in the written form go out as they are; would_quote says
 * which form that is, BOM rule for the output's first field included. */
static void test_writer_verbatim_fields(void **state)
{
	ls_writer *w = NULL;
	size_t len;
	const char *out;
	static const char want[] = "a,\"b,c\",z\n";

	(void)state;
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	assert_true(csv_writer_would_quote(w, "\xef\xbb\xbfx", 4));
	/* A first cell that is a mark and nothing else, of each kind. */
	assert_true(csv_writer_would_quote(w, "\xef\xbb\xbf", 3));
	assert_true(csv_writer_would_quote(w, "\xff\xfe", 2));
	assert_true(csv_writer_would_quote(w, "\xfe\xff", 2));
	assert_true(csv_writer_would_quote(w, "\0\0\xfe\xff", 4));
	assert_false(csv_writer_would_quote(w, "plain", 5));
	assert_true(csv_writer_would_quote(w, "a,b", 3));
	assert_true(csv_writer_would_quote(w, "say \"hi\"", 8));
	assert_true(csv_writer_would_quote(w, "cr\r", 3));
	assert_int_equal(csv_writer_fields_verbatim(w, "a,\"b,c\"", 7, NULL), LS_OK);
	/* Bytes went out: a mark-like cell is data now, even mid-row. */
	assert_false(csv_writer_would_quote(w, "\xef\xbb\xbfx", 4));
	assert_int_equal(ls_writer_field(w, "z", 1, NULL), LS_OK);
	assert_int_equal(ls_writer_end_row(w, LS_EOL_LF, NULL), LS_OK);
	/* Past the first field, BOM bytes are data like any other. */
	assert_false(csv_writer_would_quote(w, "\xef\xbb\xbfx", 4));
	out = written(w, &len);
	assert_int_equal(len, sizeof(want) - 1);
	assert_memory_equal(out, want, len);
	ls_writer_free(w);

	assert_int_equal(ls_writer_open_mem(&w, ';', NULL), LS_OK);
	assert_false(csv_writer_would_quote(w, "a,b", 3));
	assert_true(csv_writer_would_quote(w, "a;b", 3));
	ls_writer_free(w);
}

/* Whatever bytes a field holds, writing and reading it back gives them again. */
/* Every byte value at every place in a word: only the delimiter, the quote,
 * CR and LF call for quotes. The word-at-a-time test must not take a byte
 * that differs from one of them in the top bit (UTF-8's "€" ends in 0xAC,
 * which is ',' | 0x80) for the byte itself. */
static void test_writer_quotes_each_byte_exactly(void **state)
{
	static const char delims[] = {',', ';', '\t', '|'};
	unsigned char field[24];
	ls_writer *w = NULL;
	size_t j, at;
	int c;

	(void)state;
	for (j = 0; j < sizeof(delims); j++) {
		assert_int_equal(ls_writer_open_mem(&w, delims[j], NULL), LS_OK);
		for (c = 0; c < 256; c++) {
			bool special = c == delims[j] || c == '"' || c == '\r' || c == '\n';
			for (at = 0; at < sizeof(field); at++) {
				memset(field, 'a', sizeof(field));
				field[at] = (unsigned char)c;
				if (csv_writer_would_quote(w, field, sizeof(field)) != special)
					fail_msg("delimiter %d: byte 0x%02x at %zu", delims[j], c, at);
			}
		}
		ls_writer_free(w);
	}
}

static void test_round_trip(void **state)
{
	static const char *const fields[] = {"", " ", "\"", "\"\"", ",", ";", "\n", "\r\n", "a\"b,c\nd",
	                                     "  lead", "trail  ", "\xef\xbb\xbf", "\xff", "tab\there"};
	size_t nf = sizeof(fields) / sizeof(fields[0]), i, j, len;
	const char *text;
	ls_writer *w = NULL;
	ls_reader *r = NULL;
	ls_row row;
	char delims[] = {',', ';', '\t'};

	(void)state;
	for (j = 0; j < sizeof(delims); j++) {
		assert_int_equal(ls_writer_open_mem(&w, delims[j], NULL), LS_OK);
		for (i = 0; i < nf; i++)
			ls_writer_field(w, "h", 1, NULL);
		ls_writer_end_row(w, LS_EOL_LF, NULL);
		for (i = 0; i < nf; i++)
			ls_writer_field(w, fields[i], strlen(fields[i]), NULL);
		ls_writer_end_row(w, LS_EOL_LF, NULL);
		text = written(w, &len);
		assert_int_equal(ls_reader_open_mem(&r, text, len, NULL, delims[j], NULL), LS_OK);
		assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
		assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
		assert_int_equal(row.ncells, nf);
		for (i = 0; i < nf; i++) {
			assert_int_equal(row.cells[i].len, strlen(fields[i]));
			assert_memory_equal(row.cells[i].ptr, fields[i], row.cells[i].len);
		}
		ls_reader_free(r);
		ls_writer_free(w);
	}
}

/* Regression (found while writing the fuzz target's invariant): a row of one
 * empty field was written as a blank line and did not read back. */
static void test_single_empty_field_row(void **state)
{
	ls_writer *w = NULL;
	ls_reader *r = NULL;
	const char *text;
	size_t len;
	ls_row row;

	(void)state;
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	ls_writer_field(w, "h", 1, NULL);
	ls_writer_end_row(w, LS_EOL_LF, NULL);
	ls_writer_field(w, "", 0, NULL);
	ls_writer_end_row(w, LS_EOL_LF, NULL);
	text = ls_writer_mem_data(w, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "h\n\"\"\n", 5);
	assert_int_equal(ls_reader_open_mem(&r, text, len, NULL, ',', NULL), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(row.ncells, 1);
	assert_int_equal(row.cells[0].len, 0);
	ls_reader_free(r);
	ls_writer_free(w);
}

/* Regression (fuzz_csv): a first cell starting with byte-order-mark bytes
 * (after blank lines, so not a BOM of the input) was read back as a BOM. */
static void test_bom_bytes_in_first_cell(void **state)
{
	static const char *const cells[] = {"\xef\xbb\xbfx", "\xff\xfey", "\xfe\xff",
	                                    "\0\0\xfe\xff"};
	static const size_t lens[] = {4, 3, 2, 4};
	size_t i, len;
	const char *text;
	ls_writer *w = NULL;
	ls_reader *r = NULL;
	ls_row row;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
		ls_writer_field(w, cells[i], lens[i], NULL);
		ls_writer_field(w, "\xef\xbb\xbf", 3, NULL); /* not first: left alone */
		ls_writer_end_row(w, LS_EOL_LF, NULL);
		text = ls_writer_mem_data(w, &len);
		assert_int_equal(text[0], '"');
		assert_int_equal(text[len - 5], ',');
		assert_int_equal(ls_reader_open_mem(&r, text, len, NULL, ',', NULL), LS_OK);
		assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
		assert_int_equal(row.cells[0].len, lens[i]);
		assert_memory_equal(row.cells[0].ptr, cells[i], lens[i]);
		assert_false(ls_reader_had_bom(r));
		ls_reader_free(r);
		ls_writer_free(w);
	}
}

/* Raw bytes start the output when there are any: a mark-like cell after
 * them is data. Raw blocks of any size land in a memory writer whole. */
static void test_writer_raw(void **state)
{
	size_t big = 1024 * 1024 + 5, len, i;
	char *text = malloc(big);
	const char *out;
	ls_writer *w = NULL;

	(void)state;
	assert_non_null(text);
	assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
	assert_int_equal(ls_writer_raw(w, "", 0, NULL), LS_OK);
	assert_true(csv_writer_would_quote(w, "\xef\xbb\xbfx", 4));
	assert_int_equal(ls_writer_raw(w, "x", 1, NULL), LS_OK);
	assert_false(csv_writer_would_quote(w, "\xef\xbb\xbfx", 4));
	for (i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	assert_int_equal(ls_writer_raw(w, text, big, NULL), LS_OK);
	out = ls_writer_mem_data(w, &len);
	assert_int_equal(len, big + 1);
	assert_memory_equal(out + 1, text, big);
	ls_writer_free(w);
	/* Through a descriptor: what was buffered, then the block past it. */
	{
		char path[] = "/tmp/leadsift-test-XXXXXX", *got = malloc(big + 2);
		int fd = mkstemp(path);
		FILE *f;

		assert_true(fd >= 0 && got != NULL);
		assert_int_equal(ls_writer_open_fd(&w, fd, path, ',', NULL), LS_OK);
		assert_int_equal(ls_writer_raw(w, "x", 1, NULL), LS_OK);
		assert_int_equal(ls_writer_raw(w, text, big, NULL), LS_OK);
		assert_int_equal(ls_writer_flush(w, NULL), LS_OK);
		ls_writer_free(w);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fread(got, 1, big + 2, f), big + 1);
		fclose(f);
		assert_int_equal(got[0], 'x');
		assert_memory_equal(got + 1, text, big);
		free(got);
		close(fd);
		unlink(path);
	}
	free(text);
}

/* A first cell that only resembles a mark (one byte of it, or its bytes
 * elsewhere) is written as it is. */
static void test_near_bom_first_cells_unquoted(void **state)
{
	static const char *const cells[] = {"\xff", "a\xff", "\xfe", "x\xfe\xff", "\xef\xbb",
	                                    "\xff\xff", "\xfe\xfe", "\0\0\xfe", "\0\xfe\xff\xfe",
	                                    "a\0\xfe\xff", "\0a\xfe\xff"};
	static const size_t lens[] = {1, 2, 1, 3, 2, 2, 2, 3, 4, 4, 4};
	size_t i, len;
	const char *text;
	ls_writer *w = NULL;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char *cell = unit_exact(cells[i], lens[i]);
		assert_int_equal(ls_writer_open_mem(&w, ',', NULL), LS_OK);
		assert_false(csv_writer_would_quote(w, cell, lens[i]));
		ls_writer_field(w, cell, lens[i], NULL);
		ls_writer_end_row(w, LS_EOL_LF, NULL);
		text = ls_writer_mem_data(w, &len);
		assert_int_equal(len, lens[i] + 1);
		assert_memory_equal(text, cells[i], lens[i]);
		ls_writer_free(w);
		free(cell);
	}
}

static void test_writer_reports_write_errors(void **state)
{
	int fd = open("/dev/full", O_WRONLY);
	ls_writer *w = NULL;
	ls_error err = {0};

	(void)state;
	assert_true(fd >= 0);
	/* *out is cleared even when it held something. */
	w = (ls_writer *)&err;
	assert_int_equal(ls_writer_open_fd(&w, -1, "x", ',', &err), LS_ERR_USAGE);
	assert_null(w);
	assert_string_equal(err.message, "invalid file descriptor");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	ls_error_clear(&err);
	/* Descriptor 0 is a descriptor like any other (stdin closed, a file
	 * opened in its place). */
	assert_int_equal(ls_writer_open_fd(&w, 0, "zero", ',', &err), LS_OK);
	ls_writer_free(w);
	assert_int_equal(ls_writer_open_fd(&w, -1, "x", ',', &err), LS_ERR_USAGE);
	assert_string_equal(err.message, "invalid file descriptor");
	ls_error_clear(&err);
	assert_int_equal(ls_writer_open_fd(&w, fd, "full", ',', NULL), LS_OK);
	ls_writer_field(w, "x", 1, NULL);
	assert_int_equal(ls_writer_flush(w, &err), LS_ERR_IO);
	assert_int_equal(err.sys_errno, 28); /* ENOSPC */
	assert_string_equal(err.message, "cannot write full: No space left on device");
	ls_error_clear(&err);
	ls_writer_free(w);
	close(fd);
}

/* -d auto: the delimiter that splits the first records alike, the most. */
static void test_detect_delimiter(void **state)
{
	static const struct {
		const char *text;
		bool complete;
		char want;
	} cases[] = {
		{"a,b,c\n1,2,3\n", true, ','},
		{"a;b;c\n1;2;3\n", true, ';'},
		{"a\tb\tc\n1\t2\t3\n", true, '\t'},
		{"a|b\n1|2\n", true, '|'},
		/* Quoted delimiters do not count; nor do quoted line breaks. */
		{"a;b\n\"1,5\";2\n\"x,\ny\";3\n", true, ';'},
		/* Commas in a semicolon file's cells: the consistent split wins. */
		{"name;amount\nAcme, Inc.;1,5\nB;2\n", true, ';'},
		/* Blank lines are skipped; CRLF is a line end. */
		{"\r\n\na;b;c\r\n\r\n1;2;3\r\n", true, ';'},
		/* A record cut at the end of what was read does not count. */
		{"a;b;c\n1;2;3\n4;5", false, ';'},
		/* Nothing consistent: the header's split; nothing at all: ','. */
		{"a;b;c\n1\n", true, ';'},
		{"abc\n", true, ','},
		{"", true, ','},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (csv_detect_delimiter(cases[i].text, strlen(cases[i].text), cases[i].complete) !=
		    cases[i].want)
			fail_msg("case %zu", i);
}

/* A reader given 0 finds its delimiter at the first look, in memory and
 * through a pipe, and reads with it. */
static void test_reader_detects_delimiter(void **state)
{
	static const char text[] = "\xef\xbb\xbf" "a;b\n\"1;x\";2\n";
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_row row;
	char delim = 0;
	int fds[2];

	(void)state;
	assert_int_equal(ls_reader_open_mem(&r, text, sizeof(text) - 1, "m", '\0', &err), LS_OK);
	assert_int_equal(ls_reader_delimiter(r, &delim, &err), LS_OK);
	assert_int_equal(delim, ';');
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(row.ncells, 2);
	assert_true(ls_reader_had_bom(r));
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(row.ncells, 2);
	assert_memory_equal(row.cells[0].ptr, "1;x", 3);
	ls_reader_free(r);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "a|b|c\n1|2|3\n", 12), 12);
	close(fds[1]);
	assert_int_equal(ls_reader_open_fd(&r, fds[0], "p", '\0', &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(row.ncells, 3);
	assert_int_equal(ls_reader_delimiter(r, &delim, &err), LS_OK);
	assert_int_equal(delim, '|');
	ls_reader_free(r);
	close(fds[0]);

	/* Empty input: nothing to go by, ','. */
	assert_int_equal(ls_reader_open_mem(&r, "", 0, "e", '\0', &err), LS_OK);
	assert_int_equal(ls_reader_delimiter(r, &delim, &err), LS_OK);
	assert_int_equal(delim, ',');
	ls_reader_free(r);
	ls_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_delimiter),
		cmocka_unit_test(test_reader_detects_delimiter),
		cmocka_unit_test(test_rfc4180_forms),
		cmocka_unit_test(test_nul_and_invalid_utf8_pass_through),
		cmocka_unit_test(test_bom_and_blank_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_utf32_refused),
		cmocka_unit_test(test_long_header_names_in_messages),
		cmocka_unit_test(test_bom_bytes_and_short_inputs),
		cmocka_unit_test(test_raw_without_line_end),
		cmocka_unit_test(test_marks_elsewhere_are_data),
		cmocka_unit_test(test_field_count_error_is_recoverable),
		cmocka_unit_test(test_all_empty_fields),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_large_field_through_fd),
		cmocka_unit_test(test_writer_doubles_adjacent_quotes),
		cmocka_unit_test(test_writer_quoted_room),
		cmocka_unit_test(test_writer_flushes_through_fd),
		cmocka_unit_test(test_writer_raw),
		cmocka_unit_test(test_record_size_limit),
		cmocka_unit_test(test_other_delimiter),
		cmocka_unit_test(test_record_size_limit_boundaries),
		cmocka_unit_test(test_record_size_limit_bounds_memory),
		cmocka_unit_test(test_delimiter_refused),
		cmocka_unit_test(test_wide_record),
		cmocka_unit_test(test_quoted_flags_per_record),
		cmocka_unit_test(test_reader_allocation_failures),
		cmocka_unit_test(test_reader_trickle_through_pipe),
		cmocka_unit_test(test_reader_on_descriptor_0),
		cmocka_unit_test(test_chunks_read_as_whole),
		cmocka_unit_test(test_last_boundary),
		cmocka_unit_test(test_reset_starts_afresh),
		cmocka_unit_test(test_header_replaced),
		cmocka_unit_test(test_header_replace_fails),
		cmocka_unit_test(test_mark_before_reading),
		cmocka_unit_test(test_reader_read_errors),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_writer_encodings),
		cmocka_unit_test(test_read_error_mid_input),
		cmocka_unit_test(test_writer_allocation_failures),
		cmocka_unit_test(test_writer_quotes_only_where_needed),
		cmocka_unit_test(test_writer_verbatim_fields),
		cmocka_unit_test(test_writer_quotes_each_byte_exactly),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_single_empty_field_row),
		cmocka_unit_test(test_bom_bytes_in_first_cell),
		cmocka_unit_test(test_near_bom_first_cells_unquoted),
		cmocka_unit_test(test_writer_reports_write_errors),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
