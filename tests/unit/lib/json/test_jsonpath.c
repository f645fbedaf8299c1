/* SPDX-License-Identifier: MIT */
/* test_jsonpath.c - JSON paths: rendering, and walking a document's text to
 * the line and column of a member. */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "unit.h"

#include "base/buf.h"
#include "json/jsonpath.h"

static void test_jsonpath(void **state)
{
	static const char text[] = "{\n  \"a\": [1, {\"b\": {\"c\": 2}}],\n  \"x.y\": {\"q\\\"k\": 3}\n}";
	struct jpath a = {NULL, "a", 0}, a1 = {&a, NULL, 1}, b = {&a1, "b", 0}, c = {&b, "c", 0};
	struct jpath xy = {NULL, "x.y", 0}, missing = {&a, NULL, 7};
	struct buf out = {0};
	unsigned long line, col;

	(void)state;
	assert_true(jpath_render(&c, &out) && buf_terminate(&out));
	assert_string_equal(out.data, "a[1].b.c");
	out.len = 0;
	assert_true(jpath_render(&xy, &out) && buf_terminate(&out));
	assert_string_equal(out.data, "[\"x.y\"]");
	out.len = 0;
	assert_true(jpath_render(NULL, &out) && buf_terminate(&out));
	assert_string_equal(out.data, "(top level)");
	buf_free(&out);
	assert_true(jpath_locate(text, sizeof(text) - 1, &c, false, &line, &col));
	assert_int_equal(line, 2);
	assert_int_equal(col, 24);
	assert_true(jpath_locate(text, sizeof(text) - 1, &c, true, &line, &col));
	assert_int_equal(col, 19);
	assert_true(jpath_locate(text, sizeof(text) - 1, &xy, false, &line, &col));
	assert_int_equal(line, 3);
	assert_int_equal(col, 10);
	assert_false(jpath_locate(text, sizeof(text) - 1, &missing, false, &line, &col));
	/* The text need not end in a NUL: nothing past len is read, even when
	 * blanks or an unclosed string run up to it. */
	{
		static const char blanks[] = "{\"a\": 1} \n\t ", open[] = "{\"a\": \"xy";
		struct jpath z = {NULL, "z", 0};
		char *copy = unit_exact(blanks, sizeof(blanks) - 1);

		assert_true(jpath_locate(copy, sizeof(blanks) - 1, &a, false, &line, &col));
		assert_int_equal(col, 7);
		assert_false(jpath_locate(copy, sizeof(blanks) - 1, &z, false, &line, &col));
		free(copy);
		copy = unit_exact(open, sizeof(open) - 1);
		assert_false(jpath_locate(copy, sizeof(open) - 1, &z, false, &line, &col));
		free(copy);
	}
	{
		/* Texts cut short anywhere: at a value, in a literal, in a list, in
		 * a key, after a backslash. */
		static const char *const cut[] = {"{\"a\":", "{\"a\": 1", "{\"a\": [1", "{\"ab",
		                                  "{\"a\\"};
		struct jpath z = {NULL, "z", 0};
		size_t i;

		for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
			char *copy = unit_exact(cut[i], strlen(cut[i]));
			assert_false(jpath_locate(copy, strlen(cut[i]), &z, false, &line, &col));
			free(copy);
		}
	}
	{
		/* A key with a \u escape is not decoded: it equals nothing. */
		static const char esc[] = "{\"\\u0061\": 1, \"0061\": 2}";
		struct jpath k = {NULL, "0061", 0};

		assert_true(jpath_locate(esc, sizeof(esc) - 1, &k, false, &line, &col));
		assert_int_equal(col, 23);
	}
	{
		/* A path whose middle step is missing leads nowhere, even where
		 * its last step would fit: a[0] is not there, so a[0].r is not. */
		static const char obj[] = "{\"a\": {\"r\": 1}}";
		struct jpath a0 = {&a, NULL, 0}, r = {&a0, "r", 0};

		assert_false(jpath_locate(obj, sizeof(obj) - 1, &r, false, &line, &col));
	}
}

/* Walking a path through texts cut short at each step (nothing past the
 * end is read: the copies are exactly as long as the texts), through the
 * wrong kind of container, and over blanks around separators. */
static void test_jsonpath_walk_edges(void **state)
{
	static const struct jpath a = {NULL, "a", 0}, z = {NULL, "z", 0}, az = {&a, "z", 0},
	                          ar = {&a, "r", 0}, a0 = {&a, NULL, 0}, a1 = {&a, NULL, 1};
	static const struct {
		const char *text;
		const struct jpath *path;
		unsigned long column; /* 0: not found */
	} cases[] = {
		{"{\"a\":", &az, 0},
		{"{\"a\": {", &az, 0},
		{"{\"a\": {\"b\": 1", &az, 0},
		{"{\"a\":", &a0, 0},
		{"{\"a\": [", &a0, 0},
		{"{\"a\": [1", &a1, 0},
		{"{\"a\": [\"r\", 1]}", &ar, 0},     /* a list is not an object */
		{"{\"a\": {\"b\": 1}}", &a0, 0},      /* nor an object a list */
		{"{\"a\": {}, \"z\": 2}", &az, 0},
		{"{\"a\": 1 , \"z\": 2}", &z, 16},
		{"{\"a\": [1 , 2]}", &a1, 12},
		{"{\"a\": [1 ]}", &a1, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].text);
		char *copy = unit_exact(cases[i].text, len);
		unsigned long line = 0, col = 0;
		bool found = jpath_locate(copy, len, cases[i].path, false, &line, &col);

		if (found != (cases[i].column != 0) || (found && col != cases[i].column))
			fail_msg("case %zu: %s at column %lu", i, found ? "found" : "not found", col);
		free(copy);
	}
}

/* A key is written plainly when every byte is a letter, digit, '_', '-'
 * or '$' (each range to its ends), else quoted; a '.' that cannot be
 * added fails the rendering. */
static void test_jsonpath_plain_keys(void **state)
{
	static const char *const plain[] = {"a", "z", "A", "Z", "0", "9", "_", "-", "$", "$comment"};
	static const char *const quoted[] = {"`", "{", "@", "[", "/", ":", "a b", "\xc3\xa9", ""};
	struct jpath top = {NULL, "p", 0}, key = {&top, NULL, 0};
	char want[80], long_key[65];
	struct buf out = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		key.key = plain[i];
		out.len = 0;
		assert_true(jpath_render(&key, &out) && buf_terminate(&out));
		snprintf(want, sizeof(want), "p.%s", plain[i]);
		assert_string_equal(out.data, want);
	}
	for (i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++) {
		key.key = quoted[i];
		out.len = 0;
		assert_true(jpath_render(&key, &out) && buf_terminate(&out));
		snprintf(want, sizeof(want), "p[\"%s\"]", quoted[i]);
		assert_string_equal(out.data, want);
	}
	buf_free(&out);
	/* The '.' falls on the 65th byte: the buffer's first block is full. */
	memset(long_key, 'k', 64);
	long_key[64] = '\0';
	top.key = long_key;
	key.key = "x";
	unit_fail_alloc_after(1);
	assert_false(jpath_render(&key, &out));
	assert_true(unit_alloc_failed());
	buf_free(&out);
}

/* Keys with escapes, values skipped whole (strings holding brackets and
 * escaped quotes, nested lists), paths that lead nowhere. */
static void test_jsonpath_escapes_and_skipping(void **state)
{
	static const char text[] =
		"{\"s\": \"]}\\\"[{\", \"n\": [[1, {\"z\": [2]}], true],\n"
		" \"t\\tab\\/\": 1, \"\\u0061\": 2, \"a\": {\"k\\\"q\": [3, 4]}}";
	struct jpath tab = {NULL, "t\tab/", 0}, a = {NULL, "a", 0}, k = {&a, "k\"q", 0};
	struct jpath k1 = {&k, NULL, 1}, k2 = {&k, NULL, 2}, ak = {NULL, "\\u0061", 0};
	struct jpath s_0 = {NULL, "s", 0}, s0 = {&s_0, NULL, 0}, n = {NULL, "n", 0};
	struct jpath nz = {&n, "z", 0};
	unsigned long line, col;

	(void)state;
	assert_true(jpath_locate(text, sizeof(text) - 1, &tab, true, &line, &col));
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	assert_true(jpath_locate(text, sizeof(text) - 1, &k1, false, &line, &col));
	assert_int_equal(line, 2);
	assert_int_equal(col, 47);
	/* \u escapes are not decoded: such a key is not found. */
	assert_false(jpath_locate(text, sizeof(text) - 1, &ak, false, &line, &col));
	assert_false(jpath_locate(text, sizeof(text) - 1, &k2, false, &line, &col));
	assert_false(jpath_locate(text, sizeof(text) - 1, &s0, false, &line, &col));
	assert_false(jpath_locate(text, sizeof(text) - 1, &nz, false, &line, &col));
}

/* The same document packed tight and spread out with every kind of white
 * space between tokens: each path is found at its marker (a key or value
 * that occurs once), counted by hand as the marker's place in the text, in
 * an exactly sized copy (ASan sees a look past the end). */
static void test_jsonpath_with_and_without_blanks(void **state)
{
	static const char *const texts[] = {
		"{\"k1\":[1,{\"k2\":\"v2\"},[true,null,-1.5e3],\"v3\"],\"k4\":{},\"k5\":[],"
		"\"k6\":{\"a\\\"b\":\"v6\"},\"k7\":7}",
		" \t{ \"k1\" :\r\n [ 1 ,\t{ \"k2\"\n:\r\"v2\" } , [ true , null , -1.5e3 ] ,\n\"v3\" ] ,"
		"\r\n\t\"k4\" : { } , \"k5\" : [ ] , \"k6\" : { \"a\\\"b\" : \"v6\" } , \"k7\" :\t7 \n}\n",
	};
	struct jpath k1 = {NULL, "k1", 0}, k1_1 = {&k1, NULL, 1}, k2 = {&k1_1, "k2", 0};
	struct jpath k1_3 = {&k1, NULL, 3}, k1_2 = {&k1, NULL, 2}, k1_2_2 = {&k1_2, NULL, 2};
	struct jpath k6 = {NULL, "k6", 0}, ab = {&k6, "a\"b", 0}, k7 = {NULL, "k7", 0};
	struct jpath k4 = {NULL, "k4", 0}, k5 = {NULL, "k5", 0}, k5_0 = {&k5, NULL, 0};
	struct jpath k1_4 = {&k1, NULL, 4}, k4_x = {&k4, "x", 0};
	const struct {
		const struct jpath *path;
		bool at_key;
		const char *marker; /* NULL: not found */
	} cases[] = {
		{&k2, false, "\"v2\""},     {&k2, true, "\"k2\""},     {&k1_3, false, "\"v3\""},
		{&k1_2_2, false, "-1.5e3"}, {&ab, false, "\"v6\""},    {&ab, true, "\"a\\\"b\""},
		{&k7, false, "7 \n}"},      {&k7, true, "\"k7\""},     {&k4, false, "{ }"},
		{&k5_0, false, NULL},       {&k1_4, false, NULL},      {&k4_x, false, NULL},
	};
	size_t t, i;

	(void)state;
	for (t = 0; t < 2; t++) {
		size_t len = strlen(texts[t]);
		char *text = unit_exact(texts[t], len);

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			unsigned long line = 0, col = 0, want_line = 1, want_col = 1;
			const char *marker = cases[i].marker, *at, *q;
			bool found = jpath_locate(text, len, cases[i].path, cases[i].at_key, &line, &col);

			if (marker == NULL) {
				if (found)
					fail_msg("text %zu, case %zu: found at %lu:%lu", t, i, line, col);
				continue;
			}
			/* The packed text has no blanks: markers end where a blank would be. */
			if (t == 0 && strcmp(marker, "7 \n}") == 0)
				marker = "7}";
			if (t == 0 && strcmp(marker, "{ }") == 0)
				marker = "{}";
			at = strstr(texts[t], marker);
			assert_non_null(at);
			for (q = texts[t]; q < at; q++) {
				want_col = *q == '\n' ? 1 : want_col + 1;
				want_line += *q == '\n';
			}
			if (!found || line != want_line || col != want_col)
				fail_msg("text %zu, case %zu: %s at %lu:%lu, want %lu:%lu", t, i,
				         found ? "found" : "not found", line, col, want_line, want_col);
		}
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonpath),
		cmocka_unit_test(test_jsonpath_walk_edges),
		cmocka_unit_test(test_jsonpath_plain_keys),
		cmocka_unit_test(test_jsonpath_escapes_and_skipping),
		cmocka_unit_test(test_jsonpath_with_and_without_blanks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
