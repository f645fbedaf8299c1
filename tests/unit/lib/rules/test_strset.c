/* SPDX-License-Identifier: MIT */
/* test_strset.c - the string set behind long lists: every member that is a
 * cell, a prefix or a suffix of it is found, and nothing else, checked
 * against comparing member by member; and list files read into it. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "rules/strset.h"
#include "rules/value_file.h"

static struct str_operand op(const char *s)
{
	struct str_operand o = {(char *)(uintptr_t)s, strlen(s)};
	return o;
}

/* What the set must answer: member by member. */
static bool naive(enum strset_kind kind, const struct str_operand *m, ls_cell cell)
{
	if (m->len > cell.len)
		return false;
	switch (kind) {
	case STRSET_WHOLE:
		return m->len == cell.len && memcmp(m->ptr, cell.ptr, m->len) == 0;
	case STRSET_PREFIX:
		return memcmp(m->ptr, cell.ptr, m->len) == 0;
	default:
		return memcmp(m->ptr, cell.ptr + cell.len - m->len, m->len) == 0;
	}
}

/* Every member found exactly when naive says so, each once. */
static void check_cell(const struct strset *s, enum strset_kind kind, const struct str_operand *m,
                       size_t n, const char *text)
{
	ls_cell cell = {text, strlen(text)};
	struct strset_walk w;
	unsigned char seen[64] = {0};
	size_t k, i;
	bool any = false;

	assert_true(n <= sizeof(seen));
	strset_walk_start(s, &w, cell);
	while (strset_next(s, &w, &k)) {
		assert_true(k < n);
		assert_int_equal(seen[k], 0);
		seen[k] = 1;
	}
	for (i = 0; i < n; i++) {
		if (naive(kind, &m[i], cell) != (seen[i] == 1))
			fail_msg("kind %d, cell \"%s\", member \"%s\": set says %d", kind, text, m[i].ptr,
			         seen[i]);
		any |= seen[i];
	}
	assert_int_equal(strset_any(s, cell), any);
}

static void test_finds_what_comparing_finds(void **state)
{
	static const char *const members[] = {"gmail.com", ".edu", "@rival.com", "com", "",
	                                      "mail.com", "a", "ac.uk", "x.ac.uk", "gmail.com"};
	static const char *const cells[] = {"ana@gmail.com", "bo@notgmail.com", "cy@uni.edu",
	                                    "di@rival.com", "ed@sub.rival.com", "", "a", "com",
	                                    "x.ac.uk", "gmail.co", "mail.com", "zzz"};
	struct str_operand m[10];
	enum strset_kind kind;
	size_t i, n = sizeof(members) / sizeof(members[0]);

	(void)state;
	for (i = 0; i < n; i++)
		m[i] = op(members[i]);
	for (kind = STRSET_WHOLE; kind <= STRSET_SUFFIX; kind++) {
		const struct str_operand *ptrs[10];
		struct strset s;
		for (i = 0; i < n; i++)
			ptrs[i] = &m[i];
		assert_true(strset_build(&s, kind, ptrs, n));
		for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
			check_cell(&s, kind, m, n, cells[i]);
		strset_free(&s);
	}
}

/* Random members and cells over a small alphabet, so that collisions of
 * slots and of affixes are common. */
static void test_random_against_comparing(void **state)
{
	char texts[48][8], cell[12];
	struct str_operand m[48];
	const struct str_operand *ptrs[48];
	unsigned seed = 12345;
	size_t round, i, j;

	(void)state;
	for (round = 0; round < 200; round++) {
		enum strset_kind kind = (enum strset_kind)(round % 3);
		size_t n = 1 + round % 48;
		struct strset s;
		for (i = 0; i < n; i++) {
			size_t len = (seed = seed * 1103515245 + 12345) >> 16 & 3;
			for (j = 0; j < len; j++)
				texts[i][j] = "ab."[(seed = seed * 1103515245 + 12345) >> 16 & 1 ? 0 : 2];
			texts[i][len] = '\0';
			m[i] = op(texts[i]);
			ptrs[i] = &m[i];
		}
		assert_true(strset_build(&s, kind, ptrs, n));
		for (i = 0; i < 20; i++) {
			size_t len = (seed = seed * 1103515245 + 12345) >> 16 & 7;
			for (j = 0; j < len; j++)
				cell[j] = "ab."[((seed = seed * 1103515245 + 12345) >> 16) % 3];
			cell[len] = '\0';
			check_cell(&s, kind, m, n, cell);
		}
		strset_free(&s);
	}
}

static char *write_temp(const char *bytes, size_t len)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/leadsift-list-%ld.txt", (long)getpid());
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
	return path;
}

static void test_list_file_read(void **state)
{
	static const char text[] = "\xef\xbb\xbf# comment\r\ngmail.com\r\n\r\n  # indented comment\n"
	                           " yahoo.com \nGMAIL.COM\nlast";
	char *path = write_temp(text, sizeof(text) - 1);
	struct value_file f;
	struct value_list l;
	ls_error err = {0};

	(void)state;
	assert_int_equal(value_file_read(path, &f, &err), LS_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.values[0], "gmail.com");
	assert_int_equal(f.lines[0], 2);
	assert_string_equal(f.values[1], " yahoo.com ");
	assert_int_equal(f.lines[1], 5);
	assert_string_equal(f.values[2], "GMAIL.COM");
	assert_string_equal(f.values[3], "last");
	assert_int_equal(f.lines[3], 7);
	assert_int_equal(value_file_describe(&f, strdup(path), &l), LS_OK);
	assert_int_equal(l.values, 4);
	assert_int_equal(l.duplicates, 1);
	assert_int_equal(l.duplicate_line, 6);
	assert_int_equal(l.duplicate_first, 2);
	assert_string_equal(l.duplicate_value, "GMAIL.COM");
	assert_int_equal(l.blanked, 1);
	assert_int_equal(l.blank_line, 5);
	/* The digest is of the values, one a line:
	 * printf 'gmail.com\n yahoo.com \nGMAIL.COM\nlast\n' | sha256sum */
	assert_string_equal(l.digest,
	                    "8acd7378fef7693b78bdecb128058f8194f5368f5fc97614dac280e22acd3b2a");
	free(l.path);
	free(l.duplicate_value);
	free(l.blank_value);
	value_file_free(&f);
	unlink(path);
}

static void test_list_file_errors(void **state)
{
	char *path = write_temp("ok\nbad \xff byte\n", 15);
	struct value_file f;
	ls_error err = {0};

	(void)state;
	assert_int_equal(value_file_read(path, &f, &err), LS_ERR_RULES);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 5);
	assert_non_null(strstr(err.message, "0xFF is not UTF-8"));
	ls_error_clear(&err);
	unlink(path);
	assert_int_equal(value_file_read(path, &f, &err), LS_ERR_IO);
	ls_error_clear(&err);
}

static void test_list_file_path(void **state)
{
	char *p;

	(void)state;
	assert_string_equal(p = value_file_path("personas/non-buyer.json", "lists/a.txt"),
	                    "personas/lists/a.txt");
	free(p);
	assert_string_equal(p = value_file_path("non-buyer.json", "lists/a.txt"), "lists/a.txt");
	free(p);
	assert_string_equal(p = value_file_path("/etc/p/x.json", "/srv/a.txt"), "/srv/a.txt");
	free(p);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads dir/p.json and returns its fingerprint (64 hex digits + NUL). */
static void fingerprint_of(const char *dir, char out[65])
{
	char path[128];
	const char *paths[1] = {path};
	ls_ruleset *rs = NULL;
	ls_error err = {0};

	snprintf(path, sizeof(path), "%s/p.json", dir);
	if (ls_ruleset_load(&rs, paths, 1, &err) != LS_OK)
		fail_msg("%s", err.message);
	memcpy(out, ls_ruleset_fingerprint(rs), 65);
	ls_ruleset_free(rs);
}

/* The fingerprint covers a list's values: a value added changes it; a
 * comment, a blank line or CRLF line ends do not. */
static void test_fingerprint_covers_list(void **state)
{
	char dir[64], path[128], first[65], now[65];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/leadsift-fp-%ld", (long)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	put(path, "{\"id\": \"np\", \"rules\": [{\"id\": \"r\", \"reason\": \"x\", \"deduct\": 5, "
	          "\"when\": {\"field\": \"email\", \"op\": \"ends_with\", "
	          "\"value_file\": \"l.txt\"}}]}");
	snprintf(path, sizeof(path), "%s/l.txt", dir);
	put(path, "gmail.com\nyahoo.com\n");
	fingerprint_of(dir, first);
	put(path, "# free mail\r\ngmail.com\r\n\r\nyahoo.com\r\n");
	fingerprint_of(dir, now);
	assert_string_equal(now, first);
	put(path, "gmail.com\nyahoo.com\naol.com\n");
	fingerprint_of(dir, now);
	assert_string_not_equal(now, first);
	unlink(path);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_what_comparing_finds),
		cmocka_unit_test(test_random_against_comparing),
		cmocka_unit_test(test_list_file_read),
		cmocka_unit_test(test_list_file_errors),
		cmocka_unit_test(test_list_file_path),
		cmocka_unit_test(test_fingerprint_covers_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
