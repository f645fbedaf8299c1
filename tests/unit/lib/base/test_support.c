/* SPDX-License-Identifier: MIT */
/* test_support.c - the small modules: buffers, text, errors, JSON paths,
 * SHA-256 and the canonical JSON behind the fingerprint. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>

#include "unit.h"

#include "base/buf.h"
#include "base/error.h"
#include "rules/fingerprint.h"
#include "json/jsonpath.h"
#include "base/sha256.h"
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
	text_fold(folded, "AbZ\xc3\x89!", 6);
	assert_memory_equal(folded, "abz\xc3\x89!", 6);
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
		text_fold(out, in, i);
		assert_memory_equal(out, "@az[`az{\x80\xc3\x89 hello, world!", i);
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
	assert_string_equal(ls_strerror((ls_status)99), "unknown status");
}

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

static void test_sha256_vectors(void **state)
{
	char hex[65];
	char *million = malloc(1000000);

	(void)state;
	fingerprint_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	fingerprint_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	fingerprint_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	{
		/* Around the block and padding edges, against coreutils' sha256sum
		 * (head -c N /dev/zero | tr '\0' a | sha256sum), one call and
		 * byte by byte. */
		static const struct {
			size_t n;
			const char *hex;
		} edges[] = {
			{55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
			{56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
			{63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
			{64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
			{65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
			{119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
			{120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
			{127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"},
			{128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
		};
		size_t i, k;

		for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
			struct sha256 h;
			unsigned char digest[32];
			char got[65];

			fingerprint_hex(million, edges[i].n, hex);
			assert_string_equal(hex, edges[i].hex);
			sha256_init(&h);
			for (k = 0; k < edges[i].n; k++)
				sha256_update(&h, million + k, 1);
			sha256_final(&h, digest);
			for (k = 0; k < 32; k++)
				snprintf(got + 2 * k, 3, "%02x", digest[k]);
			assert_string_equal(got, edges[i].hex);
		}
	}
	fingerprint_hex(million, 1000000, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void test_canonical_json(void **state)
{
	cJSON *j = cJSON_Parse("{\"b\": [1.50, -0, 1e20, \"t\\n\\\"\"], \"$comment\": \"x\", "
	                       "\"a\": {\"z\": true, \"y\": null, \"x\": false}}");
	struct buf out = {0};

	(void)state;
	assert_true(fingerprint_canonical(j, &out) && buf_terminate(&out));
	assert_string_equal(out.data, "{\"a\":{\"x\":false,\"y\":null,\"z\":true},"
	                              "\"b\":[1.5,0,1e+20,\"t\\u000a\\\"\"]}");
	buf_free(&out);
	cJSON_Delete(j);
}

/* Every allocation the canonical form makes, failed in turn, with the output
 * buffer full at every byte of it: each failure is reported, never a short
 * or half-written form. */
static void test_canonical_json_allocation_failures(void **state)
{
	static const char want[] = "{\"a\":[\"q\\\"\",{\"k\":[1,{}]}],\"b\":\"xyz\"}";
	cJSON *j = cJSON_Parse("{\"b\": \"xyz\", \"a\": [\"q\\\"\", {\"k\": [1, {}]}]}");
	size_t room;
	long n;

	(void)state;
	assert_non_null(j);
	for (room = 1; room <= sizeof(want); room++) {
		for (n = 0;; n++) {
			struct buf out = {malloc(room), 0, room};
			bool ok;

			assert_non_null(out.data);
			unit_fail_alloc_after(n);
			ok = fingerprint_canonical(j, &out);
			if (unit_alloc_failed()) {
				if (ok)
					fail_msg("room %zu, allocation %ld failed: reported success", room, n);
				buf_free(&out);
				continue;
			}
			assert_true(ok && buf_terminate(&out));
			assert_string_equal(out.data, want);
			buf_free(&out);
			break;
		}
	}
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_allocation_failures),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_at_buffer_ends),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_jsonpath),
		cmocka_unit_test(test_jsonpath_plain_keys),
		cmocka_unit_test(test_jsonpath_walk_edges),
		cmocka_unit_test(test_jsonpath_escapes_and_skipping),
		cmocka_unit_test(test_jsonpath_with_and_without_blanks),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_canonical_json),
		cmocka_unit_test(test_canonical_json_allocation_failures),
	};
	return cmocka_run_group_tests_name("support", tests, NULL, NULL);
}
