/* SPDX-License-Identifier: MIT */
/* test_fast_path.c - the quote-free fast path: which lines it takes, how it
 * splits them, and readers that use it returning what libcsv alone returns,
 * from memory and through windows a few bytes wide. */
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "csv/csv.h"

static enum csv_fast line_of(const char *text, bool ends, uint64_t max, struct csv_fast_line *line)
{
	return csv_fast_line(text, strlen(text), ends, max, line);
}

static void test_line_ends(void **state)
{
	struct csv_fast_line line;

	(void)state;
	assert_int_equal(line_of("a,b\nc", false, 0, &line), CSV_FAST_LINE);
	assert_int_equal(line.body, 3);
	assert_int_equal(line.consumed, 4);
	assert_int_equal(line.eol, LS_EOL_LF);
	assert_int_equal(line_of("a,b\r\nc", false, 0, &line), CSV_FAST_LINE);
	assert_int_equal(line.body, 3);
	assert_int_equal(line.consumed, 5);
	assert_int_equal(line.eol, LS_EOL_CRLF);
	/* The last line of the input needs no line end; another must wait. */
	assert_int_equal(line_of("a,b", true, 0, &line), CSV_FAST_LINE);
	assert_int_equal(line.body, 3);
	assert_int_equal(line.consumed, 3);
	assert_int_equal(line.eol, LS_EOL_NONE);
	assert_int_equal(line_of("a,b", false, 0, &line), CSV_FAST_MORE);
	assert_int_equal(line_of("a,b\r", false, 0, &line), CSV_FAST_MORE);
	/* Blank lines are taken, with no body. */
	assert_int_equal(line_of("\n", false, 0, &line), CSV_FAST_LINE);
	assert_int_equal(line.body, 0);
	assert_int_equal(line_of("\r\nx", false, 0, &line), CSV_FAST_LINE);
	assert_int_equal(line.body, 0);
	assert_int_equal(line.consumed, 2);
}

static void test_declines(void **state)
{
	struct csv_fast_line line;

	(void)state;
	/* A quote anywhere, even in the middle of a field or after the line's
	 * CR, is libcsv's; so is a CR that is not part of the line end. */
	assert_int_equal(line_of("\"a\",b\n", false, 0, &line), CSV_FAST_DECLINE);
	assert_int_equal(line_of("a,b\"\n", false, 0, &line), CSV_FAST_DECLINE);
	assert_int_equal(line_of("a\rb\n", false, 0, &line), CSV_FAST_DECLINE);
	assert_int_equal(line_of("\r\r\n", false, 0, &line), CSV_FAST_DECLINE);
	assert_int_equal(line_of("a,b\r", true, 0, &line), CSV_FAST_DECLINE);
	/* A quote on a later line is not this line's. */
	assert_int_equal(line_of("a,b\n\"c\"\n", false, 0, &line), CSV_FAST_LINE);
	/* The size limit counts the body: at the limit taken, past it libcsv's
	 * (which gives the error). */
	assert_int_equal(line_of("abcd\r\n", false, 4, &line), CSV_FAST_LINE);
	assert_int_equal(line_of("abcde\r\n", false, 4, &line), CSV_FAST_DECLINE);
}

static void expect_split(const char *body, char delim, size_t n, const char *const *want)
{
	struct csv_cells c = {0};
	size_t i;

	assert_true(csv_fast_split(body, strlen(body), delim, &c));
	assert_int_equal(c.n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(c.cells[i].len, strlen(want[i]));
		assert_memory_equal(c.cells[i].ptr, want[i], strlen(want[i]));
		assert_false(c.quoted[i]);
	}
	free(c.cells);
	free(c.quoted);
}

static void test_split(void **state)
{
	static const char *const three[] = {"a", " b ", "c"};
	static const char *const empties[] = {"", "", ""};
	static const char *const one[] = {"a,b"};
	static const char *const tab[] = {"a,b", "", "c"};
	static const char *const blank[] = {" "};
	char many[200];
	const char *cells[100];
	size_t i;

	(void)state;
	expect_split("a, b ,c", ',', 3, three);
	expect_split(",,", ',', 3, empties);
	expect_split("a,b", ';', 1, one);
	expect_split("a,b\t\tc", '\t', 3, tab);
	expect_split(" ", ',', 1, blank);
	/* More cells than the first allocation holds. */
	for (i = 0; i < 100; i++) {
		many[2 * i] = 'x';
		many[2 * i + 1] = '|';
		cells[i] = "x";
	}
	many[199] = '\0';
	expect_split(many, '|', 100, cells);
}

/* Every record of text, read with the fast path on or off, from memory or
 * through a pipe and a window of `window` bytes (0: memory), as one string. */
static char *read_all(const char *text, size_t len, char delim, bool fast, size_t window,
                      uint64_t *fast_records)
{
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_row row;
	ls_status st;
	char *out = NULL;
	size_t out_len = 0, i, raw_len;
	const char *raw;
	FILE *f = open_memstream(&out, &out_len);
	int fds[2] = {-1, -1};

	assert_non_null(f);
	ls_csv_set_fast_path(fast);
	if (window > 0) {
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], text, len), (ssize_t)len);
		close(fds[1]);
		assert_int_equal(ls_reader_open_fd(&r, fds[0], "in.csv", delim, NULL), LS_OK);
		assert_true(csv_reader_set_window(r, window));
	} else {
		assert_int_equal(ls_reader_open_mem(&r, text, len, "in.csv", delim, NULL), LS_OK);
	}
	ls_csv_set_fast_path(true);
	while ((st = ls_reader_next(r, &row, &err)) == LS_OK || st == LS_ERR_FIELDS) {
		fprintf(f, "%d line %lu eol %d:", (int)st, row.line, (int)row.eol);
		for (i = 0; i < row.ncells; i++)
			fprintf(f, " %d[%.*s]", row.quoted[i], (int)row.cells[i].len, row.cells[i].ptr);
		raw = ls_reader_raw(r, &raw_len);
		fprintf(f, " raw[%.*s]\n", (int)raw_len, raw);
	}
	fprintf(f, "%d %s:%lu:%lu %s blank %llu", (int)st, err.file ? err.file : "", err.line,
	        err.column, err.message ? err.message : "",
	        (unsigned long long)ls_reader_blank_lines(r));
	/* After an error through a window, the bytes counted depend on how the
	 * failing line arrived (libcsv is fed what the window holds). */
	if (st == LS_DONE || window == 0)
		fprintf(f, " bytes %llu", (unsigned long long)ls_reader_bytes(r));
	*fast_records = csv_reader_fast_records(r);
	ls_error_clear(&err);
	ls_reader_free(r);
	if (window > 0)
		close(fds[0]);
	fclose(f);
	return out;
}

/* The fast path returns what libcsv does, and took `fast` records. */
static void expect_same(const char *text, char delim, uint64_t fast)
{
	static const size_t windows[] = {0, 4, 5, 7, 16, 64};
	uint64_t n_slow, n_fast;
	size_t i;

	for (i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		char *slow = read_all(text, strlen(text), delim, false, windows[i], &n_slow);
		char *quick = read_all(text, strlen(text), delim, true, windows[i], &n_fast);
		assert_string_equal(quick, slow);
		assert_int_equal(n_slow, 0);
		if (windows[i] == 0)
			assert_int_equal(n_fast, fast);
		free(slow);
		free(quick);
	}
}

static void test_same_as_libcsv(void **state)
{
	(void)state;
	/* Quote-free records around a quoted one that spans lines. */
	expect_same("id,notes,n\n1,plain,2\n2,\"two\nlines, quoted\",3\n\n3,after,4\r\n4,last,5", ',',
	            4);
	expect_same("a;b\r\n\r\nx;\"y\"\"z\"\r\nu;v\r\n", ';', 2);
	/* Errors: field count (reading goes on), stray quote, CR-only, unterminated. */
	expect_same("a,b\n1,2,3\n4,5\n6,7\"\n", ',', 3);
	expect_same("a,b\nl\rm,n\n", ',', 1);
	expect_same("a,b\n1,2\n\"open,3\n4,5\n", ',', 2);
	/* Byte order mark, tab and pipe delimiters, spaces kept. */
	expect_same("\xef\xbb\xbf" "a\tb\n x \t y \n", '\t', 2);
	expect_same("a|b\n|\n", '|', 2);
}

static void test_size_limit(void **state)
{
	ls_reader *r = NULL;
	ls_error err = {0};
	ls_row row;
	static const char text[] = "a,b\nabcd,efgh\n";

	(void)state;
	/* The same limit and message as libcsv's path (line 2: 9 bytes > 8). */
	assert_int_equal(ls_reader_open_mem(&r, text, strlen(text), "in.csv", ',', NULL), LS_OK);
	ls_reader_set_max_record_bytes(r, 8);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_ERR_CSV);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "larger than 8 bytes"));
	ls_error_clear(&err);
	ls_reader_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_same_as_libcsv),
		cmocka_unit_test(test_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
