/* SPDX-License-Identifier: MIT */
/* test_support.c - the base modules: buffers, text, errors, whole files. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "unit.h"

#include "base/buf.h"
#include "base/error.h"
#include "base/text.h"

static void test_buf_grows(void **state)
{
	struct buf b = {0};
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		assert_true(buf_putc(&b, (char)('a' + i % 26)));
	assert_true(buf_append_str(&b, "end"));
	assert_true(buf_terminate(&b));
	assert_int_equal(b.len, 10003);
	assert_string_equal(b.data + 10000, "end");
	assert_false(buf_reserve(&b, SIZE_MAX));
	assert_int_equal(b.len, 10003);
	buf_free(&b);
	assert_null(b.data);
	/* A freed buffer is empty and can be used again. */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_true(buf_putc(&b, 'x') && buf_terminate(&b));
	assert_string_equal(b.data, "x");
	/* printf of nothing is no failure. */
	assert_true(buf_printf(&b, "%s", ""));
	assert_true(buf_printf(&b, "%d-%s", 7, "y") && buf_terminate(&b));
	assert_string_equal(b.data, "x7-y");
	buf_free(&b);
	/* 64 bytes and the terminator: one more than the first capacity. ASan sees a
	 * terminator written past the block. */
	assert_true(buf_printf(&b, "%064d", 7));
	assert_int_equal(b.len, 64);
	assert_int_equal(b.data[64], '\0');
	buf_free(&b);
}

/* A buffer that cannot grow reports it, and keeps what it had. */
static void test_buf_allocation_failures(void **state)
{
	struct buf b = {0};

	(void)state;
	unit_fail_alloc_after(0);
	assert_false(buf_terminate(&b));
	assert_true(unit_alloc_failed());
	assert_null(b.data);
	unit_fail_alloc_after(0);
	assert_false(buf_printf(&b, "%d", 7));
	assert_true(unit_alloc_failed());
	assert_int_equal(b.len, 0);
	unit_fail_alloc_after(0);
	assert_false(buf_putc(&b, 'x'));
	assert_true(unit_alloc_failed());
	assert_true(buf_append_str(&b, "kept"));
	unit_fail_alloc_after(0);
	assert_false(buf_printf(&b, "%064d", 7));
	assert_true(unit_alloc_failed());
	assert_true(buf_terminate(&b));
	assert_string_equal(b.data, "kept");
	buf_free(&b);
}

/* An array doubles from its first size; one that cannot grow, or whose size
 * would overflow, stays as it was. */
static void test_array_grows(void **state)
{
	size_t cap = 0, i, *items = NULL, *grown;

	(void)state;
	for (i = 0; i < 100; i++) {
		if (i == cap) {
			grown = array_grow(items, &cap, sizeof(*items), 4);
			assert_non_null(grown);
			items = grown;
		}
		items[i] = i;
	}
	assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
	assert_int_equal(items[99], 99);
	unit_fail_alloc_after(0);
	assert_null(array_grow(items, &cap, sizeof(*items), 4));
	assert_true(unit_alloc_failed());
	assert_int_equal(cap, 128);
	assert_int_equal(items[99], 99);
	cap = SIZE_MAX / 2 / sizeof(*items) + 1;
	assert_null(array_grow(items, &cap, sizeof(*items), 4));
	assert_int_equal(cap, SIZE_MAX / 2 / sizeof(*items) + 1);
	free(items);
}

static void test_text(void **state)
{
	ls_cell c = ls_cell_trim(CELL(" \t x y \r\n"));
	char folded[8];

	(void)state;
	assert_int_equal(c.len, 3);
	assert_memory_equal(c.ptr, "x y", 3);
	assert_int_equal(ls_cell_trim(CELL("   ")).len, 0);
	/* Every blank the docs name, on either side: space, tab, CR, LF, VT, FF. */
	c = ls_cell_trim(CELL("\v\f\r\n\t x\ty \f\v\t\n\r"));
	assert_int_equal(c.len, 3);
	assert_memory_equal(c.ptr, "x\ty", 3);
	assert_int_equal(ls_cell_trim(CELL("\v")).len, 0);
	assert_int_equal(ls_cell_trim(CELL("\f")).len, 0);
	c = ls_cell_trim(CELL("\x01x\xa0"));
	assert_int_equal(c.len, 3);
	assert_int_equal(text_fold(folded, "AbZ\xc3\x89!", 6), 6);
	assert_memory_equal(folded, "abz\xc3\xa9!", 6);
	assert_true(text_contains("abc", 3, "", 0));
	assert_true(text_contains("a\0bc", 4, "bc", 2));
	assert_false(text_contains("ab", 2, "abc", 3));
	assert_false(text_contains("ab", 2, "b\0", 2));
	assert_true(text_contains("xxab", 4, "ab", 2));
	assert_false(text_contains("axbxb", 5, "bb", 2));
	assert_true(text_contains("b", 1, "b", 1));
}

/* Exactly sized buffers on both sides: ASan sees a byte too many. */
static void test_text_at_buffer_ends(void **state)
{
	static const char upper[] = "@AZ[`az{\x80\xc3\x89 Hello, WORLD!";
	size_t n = sizeof(upper) - 1, i;
	char *src = unit_exact(upper, n), *dst = unit_exact(upper, n), *copy;
	ls_cell c;

	(void)state;
	for (i = 0; i <= n; i++) {
		char *in = unit_exact(upper, i), *out = unit_exact(upper, i);
		assert_int_equal(text_fold(out, in, i), i);
		assert_memory_equal(out, "@az[`az{\x80\xc3\xa9 hello, world!", i);
		free(in);
		free(out);
	}
	copy = text_dup(NULL, 0);
	assert_string_equal(copy, "");
	free(copy);
	assert_int_equal(text_hash(src, 0), 2166136261u);
	assert_int_equal(text_hash("a", 1), 0xe40c292cu); /* FNV-1a of "a" */
	c = ls_cell_trim((ls_cell){src + 11, 1});
	assert_int_equal(c.len, 0);
	memcpy(src, " x ", 3);
	c = ls_cell_trim((ls_cell){src, 3});
	assert_int_equal(c.len, 1);
	assert_ptr_equal(c.ptr, src + 1);
	assert_true(text_contains(src + n - 2, 2, "D!", 2));
	assert_false(text_contains(src + n - 2, 2, "!", 2));
	copy = text_dup(src + n - 3, 3);
	assert_string_equal(copy, "LD!");
	free(copy);
	free(src);
	free(dst);
}

static void test_errors(void **state)
{
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_error_set(&err, LS_ERR_CSV, "f.csv", 3, 4, "bad %s", "thing"), LS_ERR_CSV);
	assert_int_equal(err.status, LS_ERR_CSV);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.message, "bad thing");
	assert_string_equal(err.file, "f.csv");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);
	assert_int_equal(ls_error_set_errno(&err, LS_ERR_IO, ENOENT, "cannot open %s", "x"), LS_ERR_IO);
	assert_string_equal(err.message, "cannot open x: No such file or directory");
	assert_null(err.file);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_int_equal(err_nomem(&err), LS_ERR_NOMEM);
	assert_int_equal(err.status, LS_ERR_NOMEM);
	assert_null(err.message);
	assert_int_equal(ls_error_set(NULL, LS_ERR_RULES, NULL, 0, 0, "x"), LS_ERR_RULES);
	/* An empty message is a message. */
	assert_int_equal(ls_error_set(&err, LS_ERR_CSV, "f", 1, 0, "%s", ""), LS_ERR_CSV);
	assert_string_equal(err.message, "");
	assert_string_equal(err.file, "f");
	ls_error_clear(&err);
	ls_error_clear(NULL);
	assert_int_equal(ls_error_set_errno(&err, LS_ERR_IO, ENOMEM, "cannot read %s", "x"), LS_ERR_NOMEM);
	assert_null(err.message);
	assert_int_equal(ls_error_set_errno(NULL, LS_ERR_IO, EIO, "x"), LS_ERR_IO);
	assert_string_equal(ls_strerror(LS_OK), "success");
	assert_string_equal(ls_strerror(LS_DONE), "end of input");
	assert_string_equal(ls_strerror(LS_ERR_NOMEM), "out of memory");
	assert_string_equal(ls_strerror(LS_ERR_IO), "input/output error");
	assert_string_equal(ls_strerror(LS_ERR_JSON), "invalid JSON");
	assert_string_equal(ls_strerror(LS_ERR_RULES), "invalid rules");
	assert_string_equal(ls_strerror(LS_ERR_CSV), "malformed CSV");
	assert_string_equal(ls_strerror(LS_ERR_FIELDS), "wrong number of fields");
	assert_string_equal(ls_strerror(LS_ERR_HEADER), "header does not fit the rules");
	assert_string_equal(ls_strerror(LS_ERR_USAGE), "invalid argument");
	assert_string_equal(ls_strerror(LS_ERR_CANCELLED), "cancelled");
	assert_string_equal(ls_strerror((ls_status)99), "unknown status");
}

/* ls_cell_trim and ls_cell_is: how rules (and --outcome, --where) read a cell. */
static void test_cells_as_rules_read_them(void **state)
{
	ls_cell t = ls_cell_trim(CELL(" \t\r\n\v\fWon \t\r\n\v\f"));

	(void)state;
	assert_int_equal(t.len, 3);
	assert_memory_equal(t.ptr, "Won", 3);
	assert_int_equal(ls_cell_trim(CELL(" \t ")).len, 0);
	assert_int_equal(ls_cell_trim(CELL("")).len, 0);
	assert_true(ls_cell_is(CELL("  Closed WON\r\n"), "closed won"));
	assert_true(ls_cell_is(CELL("yes"), "YES"));
	assert_true(ls_cell_is(CELL("  "), ""));
	assert_false(ls_cell_is(CELL("won!"), "won"));
	assert_false(ls_cell_is(CELL("wo"), "won"));
	assert_true(ls_cell_is(CELL("w\xc3\xb6n"), "W\xc3\x96N"));
	assert_true(ls_cell_is(CELL(" GAGN\xc3\x89 "), "gagn\xc3\xa9"));
	assert_false(ls_cell_is(CELL("w\xc3\xb6"), "w\xc3\xb6n"));
	assert_false(ls_cell_is(CELL("w\xc3"), "w\xc3\xb6"));
}

/* Case folding beyond ASCII, as rules compare text: glibc's C.UTF-8 says
 * what a letter's cases are; a letter's forms may differ in length; bytes
 * that are not UTF-8 stay as they are and equal only themselves. */
static void test_unicode_folding(void **state)
{
	static const struct {
		const char *in, *folded;
	} cases[] = {
		{"Z\xc3\x9cRICH", "z\xc3\xbcrich"},           /* ZÜRICH: zürich */
		{"\xc3\x89" "cole", "\xc3\xa9" "cole"},              /* École */
		{"\xce\xa3\xcf\x83\xcf\x82", "\xcf\x83\xcf\x83\xcf\x83"}, /* Σσς: σσσ */
		{"\xc4\xb0x", "ix"},                          /* İ (2 bytes): i (1 byte) */
		{"\xc8\xba", "\xe2\xb1\xa5"},                  /* Ⱥ (2 bytes): ⱥ (3 bytes) */
		{"\xe2\x84\xaa", "k"},                        /* the Kelvin sign */
		{"A\xff\xc3(", "a\xff\xc3("},                 /* not UTF-8: copied */
		{"\xf0\x9f\x98\x80" "A", "\xf0\x9f\x98\x80" "a"}, /* an emoji (4 bytes): as it is */
		{"\xf0\x90\x90\x80", "\xf0\x90\x90\xa8"},      /* Deseret long I: its small form */
		{"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", /* МОСКВА */
		 "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"},
	};
	char out[64];
	size_t i, n;

	(void)state;
	assert_true(text_locale_init());
	assert_non_null(text_locale());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		assert_true(TEXT_FOLD_ROOM(len) <= sizeof(out));
		n = text_fold(out, cases[i].in, len);
		if (n != strlen(cases[i].folded) || memcmp(out, cases[i].folded, n) != 0)
			fail_msg("case %zu: folded to %.*s", i, (int)n, out);
		assert_true(text_equal_fold(cases[i].in, len, cases[i].folded, n));
		assert_true(text_equal_fold(cases[i].folded, n, cases[i].in, len));
	}
	assert_false(text_equal_fold("\xff", 1, "\xfe", 1));
	assert_true(text_equal_fold("\xff", 1, "\xff", 1));
	assert_false(text_equal_fold("a\xc3\xa9", 3, "a\xc3\xa8", 3));
	assert_false(text_equal_fold("ab", 2, "a", 1));
	/* UTF-8 checked at every position of every length, through the word
	 * paths: one bad byte anywhere is found, one good character is not. */
	for (n = 1; n <= 48; n++) {
		for (i = 0; i < n; i++) {
			char *t = malloc(n + 1);
			memset(t, 'a', n);
			t[i] = (char)0xff;
			assert_false(text_is_utf8(t, n));
			if (i + 1 < n) {
				t[i] = (char)0xc3;
				t[i + 1] = (char)0xa9;
				assert_true(text_is_utf8(t, n));
				assert_false(text_is_utf8(t, i + 1)); /* cut short */
			}
			free(t);
		}
	}
	assert_true(text_is_utf8("a\0b", 3));
	assert_true(text_has_high_bytes("abcdefgh\x80", 9));
	assert_false(text_has_high_bytes("abcdefghij", 10));
}

/* ls_read_file: a whole file, NUL-terminated; a limit; the errors named. */
static void test_read_file(void **state)
{
	char path[] = "/tmp/leadsift-test-XXXXXX";
	int fd = mkstemp(path);
	ls_error err = {0};
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "ab\0cd", 5), 5);
	close(fd);
	assert_int_equal(ls_read_file(path, 0, &text, &len, &err), LS_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(text, "ab\0cd", 6);
	free(text);
	text = NULL;
	assert_int_equal(ls_read_file(path, 5, &text, &len, &err), LS_OK);
	free(text);
	text = NULL;
	assert_int_equal(ls_read_file(path, 4, &text, &len, &err), LS_ERR_USAGE);
	assert_null(text);
	assert_string_equal(err.file, path);
	assert_string_equal(err.message, "larger than 4 bytes");
	unit_fail_alloc_after(0);
	assert_int_equal(ls_read_file(path, 0, &text, &len, &err), LS_ERR_NOMEM);
	assert_true(unit_alloc_failed());
	unlink(path);
	assert_int_equal(ls_read_file(path, 0, &text, &len, &err), LS_ERR_IO);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_non_null(strstr(err.message, "cannot open /tmp/leadsift-test-"));
	assert_int_equal(ls_read_file("/", 0, &text, &len, &err), LS_ERR_IO);
	assert_int_equal(err.sys_errno, EISDIR);
	assert_string_equal(err.message, "cannot read /: Is a directory");
	assert_null(text);
	ls_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_allocation_failures),
		cmocka_unit_test(test_array_grows),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_at_buffer_ends),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_cells_as_rules_read_them),
		cmocka_unit_test(test_unicode_folding),
		cmocka_unit_test(test_read_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
