/* SPDX-License-Identifier: MIT */
/* test_score.c - deductions, caps, the threshold boundary, reasons, and the
 * statistics the engine keeps. */
#include "unit.h"
#include "sweep.h"
#include "engine/engine.h"

/* Two personas; the first capped at 20. Fields: size, region. */
static const char *const SIZE =
	"{\"id\":\"size\",\"max_deduct\":20,\"rules\":["
	"{\"id\":\"tiny\",\"reason\":\"tiny\",\"disqualify\":true,"
	" \"when\":{\"field\":\"size\",\"op\":\"lt\",\"value\":10}},"
	"{\"id\":\"small\",\"reason\":\"small\",\"deduct\":12.5,"
	" \"when\":{\"field\":\"size\",\"op\":\"lt\",\"value\":50}},"
	"{\"id\":\"smallish\",\"reason\":\"smallish\",\"deduct\":10,"
	" \"when\":{\"field\":\"size\",\"op\":\"lt\",\"value\":100}}]}";

struct fixture {
	ls_ruleset *rules;
	ls_engine *engine;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	ls_cell header[] = {CELL("region"), CELL("size")};
	ls_error err = {0};

	f->rules = unit_rules(SIZE, "{\"base\":100,\"threshold\":70}");
	assert_int_equal(ls_engine_new(&f->engine, f->rules, header, 2, "t", &err), LS_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ls_engine_free(f->engine);
	ls_ruleset_free(f->rules);
	free(f);
	return 0;
}

static ls_result score(struct fixture *f, const char *region, const char *size)
{
	ls_cell row[2] = {{region, strlen(region)}, {size, strlen(size)}};
	ls_result res;

	assert_int_equal(ls_engine_score(f->engine, row, 2, &res), LS_OK);
	return res;
}

static void test_no_match_keeps_base(void **state)
{
	ls_result r = score(*state, "x", "500");

	assert_int_equal(r.score, 100 * LS_FIXED_ONE);
	assert_false(r.disqualified);
	assert_int_equal(r.matched, 0);
	assert_string_equal(r.reasons, "");
	assert_int_equal(r.reasons_len, 0);
}

static void test_fractional_deduction(void **state)
{
	ls_result r = score(*state, "x", "75");

	assert_int_equal(r.score, 90 * LS_FIXED_ONE);
	r = score(*state, "x", "");
	assert_int_equal(r.score, 100 * LS_FIXED_ONE);
}

static void test_cap_limits_persona_total(void **state)
{
	/* 12.5 + 10 = 22.5, capped at 20 */
	ls_result r = score(*state, "x", "30");

	assert_int_equal(r.score, 80 * LS_FIXED_ONE);
	assert_int_equal(r.matched, 2);
	assert_string_equal(r.reasons, "size/small: small; size/smallish: smallish");
	assert_false(r.disqualified);
}

static void test_disqualify_regardless_of_score(void **state)
{
	ls_result r = score(*state, "x", "5");

	assert_true(r.disqualified);
	assert_int_equal(r.score, 80 * LS_FIXED_ONE);
	assert_string_equal(r.reasons, "size/tiny: tiny; size/small: small; size/smallish: smallish");
}

static void test_threshold_boundary(void **state)
{
	struct fixture *f = *state;
	ls_cell header[] = {CELL("region"), CELL("size")};
	ls_engine *e = NULL;
	ls_result r;
	ls_cell row[2] = {CELL("x"), CELL("30")};

	/* 80 == threshold 80: kept. 80 < 80.000001: disqualified. */
	ls_ruleset_set_threshold(f->rules, 80 * LS_FIXED_ONE);
	assert_int_equal(ls_engine_new(&e, f->rules, header, 2, NULL, NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 2, &r), LS_OK);
	assert_false(r.disqualified);
	ls_engine_free(e);
	ls_ruleset_set_threshold(f->rules, 80 * LS_FIXED_ONE + 1);
	assert_int_equal(ls_engine_new(&e, f->rules, header, 2, NULL, NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 2, &r), LS_OK);
	assert_true(r.disqualified);
	ls_engine_free(e);
}

static void test_statistics(void **state)
{
	struct fixture *f = *state;
	size_t i;

	score(f, "x", "5");
	score(f, "x", "30");
	score(f, "x", "500");
	score(f, "x", "n/a");
	score(f, "x", "");
	assert_int_equal(ls_engine_rows_scored(f->engine), 5);
	assert_int_equal(ls_engine_rows_disqualified(f->engine), 1);
	assert_int_equal(ls_engine_persona_hits(f->engine, 0), 2);
	assert_int_equal(ls_engine_rule_hits(f->engine, 0, 0), 1);
	assert_int_equal(ls_engine_rule_hits(f->engine, 0, 1), 2);
	assert_int_equal(ls_engine_rule_hits(f->engine, 0, 2), 2);
	assert_int_equal(ls_engine_typed_field_count(f->engine, LS_FIELD_NUMBER), 1);
	assert_int_equal(ls_engine_typed_field_count(f->engine, LS_FIELD_DATE), 0);
	i = 0;
	assert_string_equal(ls_engine_typed_field_name(f->engine, LS_FIELD_NUMBER, i), "size");
	assert_string_equal(ls_engine_typed_field_column(f->engine, LS_FIELD_NUMBER, i), "size");
	/* "n/a" counts; the blank cell does not. */
	assert_int_equal(ls_engine_typed_field_invalid(f->engine, LS_FIELD_NUMBER, i), 1);
}

/* A parallel run's worker engines hand their counts to the total and start
 * again from zero: absorbing twice adds each row once. Allow-list hits and
 * unreadable cells included (tests/fixtures/allow, today 2026-11-22). */
static void test_absorb_counts(void **state)
{
	const char *paths[] = {"tests/fixtures/allow"};
	ls_cell header[] = {CELL("notes"), CELL("employees"), CELL("country")};
	ls_cell keep[] = {CELL("partner: tiny"), CELL("5"), CELL("US")};
	ls_cell bad[] = {CELL("x"), CELL("many"), CELL("US")};
	ls_engine *total = NULL, *worker = NULL;
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	ls_result r;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, paths, 1, &err), LS_OK);
	ls_ruleset_set_today(rs, 20779); /* 2026-11-22 */
	assert_int_equal(ls_engine_new(&total, rs, header, 3, "t", &err), LS_OK);
	assert_int_equal(ls_engine_new(&worker, rs, header, 3, "t", &err), LS_OK);
	/* Nothing scored yet: no rule matched the last row. */
	assert_false(ls_engine_rule_matched(worker, 0, 0));
	assert_int_equal(ls_engine_score(worker, keep, 3, &r), LS_OK);
	assert_true(r.allowed);
	assert_int_equal(ls_engine_score(worker, bad, 3, &r), LS_OK);
	engine_absorb_counts(total, worker);
	engine_absorb_counts(total, worker);
	assert_int_equal(ls_engine_rows_scored(total), 2);
	assert_int_equal(ls_engine_rows_scored(worker), 0);
	assert_int_equal(ls_engine_rows_disqualified(total), 0);
	assert_int_equal(ls_engine_allow_hits(total, 2), 1);
	assert_int_equal(ls_engine_allow_hits(worker, 2), 0);
	assert_int_equal(ls_engine_persona_hits(total, 1), 1);
	assert_int_equal(ls_engine_rule_hits(total, 1, 0), 1);
	assert_int_equal(ls_engine_typed_field_invalid(total, LS_FIELD_NUMBER, 0), 1);
	assert_int_equal(ls_engine_typed_field_invalid(worker, LS_FIELD_NUMBER, 0), 0);
	ls_engine_free(worker);
	ls_engine_free(total);
	ls_ruleset_free(rs);
}

static void test_engine_needs_rules_and_header(void **state)
{
	ls_ruleset *rs = unit_rules(SIZE, NULL);
	ls_engine *e = NULL;
	ls_error err = {0};

	(void)state;
	/* *out is cleared even when it held something. */
	e = (ls_engine *)&err;
	assert_int_equal(ls_engine_new(&e, NULL, NULL, 0, NULL, &err), LS_ERR_USAGE);
	assert_null(e);
	assert_string_equal(err.message, "no rules or no header");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	ls_error_clear(&err);
	assert_int_equal(ls_engine_new(&e, rs, NULL, 1, NULL, NULL), LS_ERR_USAGE);
	assert_null(e);
	/* No header and no columns is a header without the rules' field: a
	 * binding error, not a misuse. */
	assert_int_equal(ls_engine_new(&e, rs, NULL, 0, "t", &err), LS_ERR_HEADER);
	assert_null(e);
	ls_error_clear(&err);
	ls_engine_free(NULL);
	ls_ruleset_free(rs);
}

static void test_wrong_cell_count(void **state)
{
	struct fixture *f = *state;
	ls_cell row[1] = {CELL("x")};
	ls_result r;

	assert_int_equal(ls_engine_score(f->engine, row, 1, &r), LS_ERR_USAGE);
}

static void test_reasons_in_load_order_and_negative_scores(void **state)
{
	const char *a = "{\"id\":\"b-first\",\"rules\":["
	                "{\"id\":\"z\",\"reason\":\"z; with semicolon\",\"deduct\":70,"
	                " \"when\":{\"field\":\"f\",\"op\":\"not_empty\"}},"
	                "{\"id\":\"a\",\"reason\":\"a, comma\",\"deduct\":60.25,"
	                " \"when\":{\"field\":\"f\",\"op\":\"not_empty\"}}]}";
	ls_ruleset *rs = unit_rules(a, NULL);
	ls_cell header[] = {CELL("f")}, row[] = {CELL("v")};
	ls_engine *e = NULL;
	ls_result r;
	char text[LS_FIXED_BUFSIZE];

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 1, &r), LS_OK);
	ls_fixed_format(r.score, text);
	assert_string_equal(text, "-30.25");
	assert_true(r.disqualified);
	assert_string_equal(r.reasons, "b-first/z: z; with semicolon; b-first/a: a, comma");
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

static void test_folding_cache_is_per_row(void **state)
{
	/* Two leaves on one field: the folded text must be the current row's. */
	const char *p = "{\"id\":\"p\",\"rules\":["
	                "{\"id\":\"a\",\"reason\":\"a\",\"deduct\":1,"
	                " \"when\":{\"field\":\"f\",\"op\":\"eq\",\"value\":\"ABC\"}},"
	                "{\"id\":\"b\",\"reason\":\"b\",\"deduct\":2,"
	                " \"when\":{\"field\":\"f\",\"op\":\"contains\",\"value\":\"xy\"}}]}";
	ls_ruleset *rs = unit_rules(p, NULL);
	ls_cell header[] = {CELL("f")}, r1[] = {CELL("abc")}, r2[] = {CELL("XYZ")};
	ls_engine *e = NULL;
	ls_result r;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, r1, 1, &r), LS_OK);
	assert_string_equal(r.reasons, "p/a: a");
	assert_int_equal(ls_engine_score(e, r2, 1, &r), LS_OK);
	assert_string_equal(r.reasons, "p/b: b");
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* Regression: regexec read past a cell that was not NUL-terminated (found
 * by ASan); and a cell with a NUL byte inside is matched as a whole. */
static void test_regex_on_unterminated_cell_with_nul(void **state)
{
	const char *p = "{\"id\":\"p\",\"rules\":[{\"id\":\"a\",\"reason\":\"a\",\"deduct\":1,"
	                " \"when\":{\"field\":\"f\",\"op\":\"matches\",\"value\":\"b$\"}}]}";
	ls_ruleset *rs = unit_rules(p, NULL);
	ls_cell header[] = {CELL("f")};
	char *raw = malloc(3);
	ls_cell row[1] = {{raw, 3}};
	ls_engine *e = NULL;
	ls_result r;

	(void)state;
	memcpy(raw, "a\0b", 3);
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 1, &r), LS_OK);
	assert_int_equal(r.matched, 1);
	ls_engine_free(e);
	ls_ruleset_free(rs);
	free(raw);
}

/* A field is read as a number (or a date) when any rule reads it so, whether
 * that rule comes first or after rules that compare it as text. */
static void test_typed_fields_from_any_use(void **state)
{
	ls_ruleset *rs = unit_rules(
	    "{\"id\":\"p\",\"rules\":["
	    "{\"id\":\"a\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"size\",\"op\":\"eq\","
	    "\"value\":\"none\"}},"
	    "{\"id\":\"b\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"size\",\"op\":\"lt\","
	    "\"value\":10}},"
	    "{\"id\":\"c\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"seen\",\"op\":\"empty\"}},"
	    "{\"id\":\"d\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"seen\",\"op\":\"before\","
	    "\"value\":\"2020-01-01\"}}]}",
	    NULL);
	ls_cell header[] = {CELL("seen"), CELL("size")};
	ls_cell row[] = {CELL("soon"), CELL("many")};
	ls_engine *e = NULL;
	ls_result res;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 2, "t", NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 2, &res), LS_OK);
	assert_int_equal(ls_engine_typed_field_count(e, LS_FIELD_NUMBER), 1);
	assert_string_equal(ls_engine_typed_field_name(e, LS_FIELD_NUMBER, 0), "size");
	assert_int_equal(ls_engine_typed_field_invalid(e, LS_FIELD_NUMBER, 0), 1);
	assert_int_equal(ls_engine_typed_field_count(e, LS_FIELD_DATE), 1);
	assert_string_equal(ls_engine_typed_field_name(e, LS_FIELD_DATE, 0), "seen");
	assert_int_equal(ls_engine_typed_field_invalid(e, LS_FIELD_DATE, 0), 1);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* Binding and scoring the bundled personas on the bundled leads, and the
 * allow-list fixture, with each allocation failing in turn: out of memory,
 * never a lead scored as if a rule missed. */
static void test_allocation_failures(void **state)
{
	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_SCORE};
	struct sweep allow = {.rules = "tests/fixtures/explain",
	                      .csv = "tests/fixtures/explain/leads.csv", .steps = SWEEP_SCORE};

  (void)state;
  assert_true(sweep_run(&bundled) >= 10);
  assert_true(sweep_run(&allow) >= 10);
}

/* Bound to a header row, an error without a line of its own is placed at
 * the header's. */
static void test_bind_to_a_header_row(void **state)
{
	ls_cell names[] = {CELL("region"), CELL("size")}, wrong[] = {CELL("region")};
	ls_row header = {names, 2, 7, LS_EOL_LF, NULL, NULL};
	ls_ruleset *rs = unit_rules(SIZE, NULL);
	ls_engine *e = NULL;
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_engine_bind(&e, rs, &header, "leads.csv", &err), LS_OK);
	assert_non_null(e);
	ls_engine_free(e);
	header.cells = wrong;
	header.ncells = 1;
	assert_int_equal(ls_engine_bind(&e, rs, &header, "leads.csv", &err), LS_ERR_HEADER);
	assert_null(e);
	assert_string_equal(err.file, "leads.csv");
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.message, "field \"size\""));
	assert_int_equal(ls_engine_bind(&e, rs, &header, "leads.csv", NULL), LS_ERR_HEADER);
	ls_error_clear(&err);
	ls_ruleset_free(rs);
}

/* Per field read as a number: its non-empty cells, those that are not
 * numbers, and the first of them, printable; engines absorbed in input order
 * keep the earliest example. */
static void test_unreadable_cells_and_example(void **state)
{
	static const char *const sizes[] = {"500", "", "5 visits", "\xff\x01 staff", "12"};
	ls_cell header[] = {CELL("region"), CELL("size")};
	ls_ruleset *rs = unit_rules(SIZE, NULL);
	ls_engine *a = NULL, *b = NULL;
	ls_result res;
	size_t i;

	(void)state;
	assert_int_equal(ls_engine_new(&a, rs, header, 2, "t", NULL), LS_OK);
	assert_int_equal(ls_engine_new(&b, rs, header, 2, "t", NULL), LS_OK);
	assert_null(ls_engine_typed_field_example(a, LS_FIELD_NUMBER, 0));
	for (i = 0; i < 5; i++) {
		ls_cell row[2] = {CELL("x"), {sizes[i], strlen(sizes[i])}};
		assert_int_equal(ls_engine_score(i < 3 ? a : b, row, 2, &res), LS_OK);
	}
	assert_int_equal(ls_engine_typed_field_cells(a, LS_FIELD_NUMBER, 0), 2);
	assert_int_equal(ls_engine_typed_field_invalid(a, LS_FIELD_NUMBER, 0), 1);
	assert_string_equal(ls_engine_typed_field_example(a, LS_FIELD_NUMBER, 0), "5 visits");
	assert_string_equal(ls_engine_typed_field_example(b, LS_FIELD_NUMBER, 0), "?? staff");
	engine_absorb_counts(a, b);
	assert_int_equal(ls_engine_typed_field_cells(a, LS_FIELD_NUMBER, 0), 4);
	assert_int_equal(ls_engine_typed_field_invalid(a, LS_FIELD_NUMBER, 0), 2);
	assert_string_equal(ls_engine_typed_field_example(a, LS_FIELD_NUMBER, 0), "5 visits");
	assert_null(ls_engine_typed_field_example(b, LS_FIELD_NUMBER, 0));
	assert_int_equal(ls_engine_typed_field_cells(b, LS_FIELD_NUMBER, 0), 0);
	engine_absorb_counts(b, a);
	assert_string_equal(ls_engine_typed_field_example(b, LS_FIELD_NUMBER, 0), "5 visits");
	ls_engine_free(a);
	ls_engine_free(b);
	ls_ruleset_free(rs);
}

/* An example is cut to 40 bytes, at a whole UTF-8 character. */
static void test_example_is_cut_whole(void **state)
{
	/* 38 ASCII bytes, then a 3-byte character that does not fit. */
	static const char cell[] = "abcdefghijklmnopqrstuvwxyz0123456789ab\xe2\x82\xacz";
	ls_cell header[] = {CELL("region"), CELL("size")};
	ls_cell row[2] = {CELL("x"), CELL(cell)};
	ls_ruleset *rs = unit_rules(SIZE, NULL);
	ls_engine *e = NULL;
	ls_result res;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 2, "t", NULL), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 2, &res), LS_OK);
	assert_string_equal(ls_engine_typed_field_example(e, LS_FIELD_NUMBER, 0),
	                    "abcdefghijklmnopqrstuvwxyz0123456789ab");
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* Policy missing_values: a placeholder cell reads as empty for every
 * operator (empty holds; text, number, date and regex tests see nothing),
 * trimmed and ignoring case; a field's own list replaces the policy's for
 * it; each field counts its placeholders, absorbed across engines. */
static void test_missing_values(void **state)
{
	static const char *const persona =
		"{\"id\":\"p\",\"rules\":["
		"{\"id\":\"blank\",\"reason\":\"b\",\"deduct\":1,"
		" \"when\":{\"field\":\"title\",\"op\":\"empty\"}},"
		"{\"id\":\"na\",\"reason\":\"n\",\"deduct\":2,"
		" \"when\":{\"field\":\"title\",\"op\":\"matches\",\"value\":\"^n\"}},"
		"{\"id\":\"small\",\"reason\":\"s\",\"deduct\":4,"
		" \"when\":{\"field\":\"size\",\"op\":\"lt\",\"value\":10}},"
		"{\"id\":\"sizeless\",\"reason\":\"z\",\"deduct\":8,"
		" \"when\":{\"field\":\"size\",\"op\":\"empty\"}}]}";
	static const char *const policy =
		"{\"missing_values\":[\"Select\",\"N/A\"],"
		" \"fields\":{\"size\":{\"missing_values\":[\"unknown\"]}}}";
	static const struct {
		const char *title, *size;
		ls_fixed score;
		uint64_t title_missing, size_missing;
	} rows[] = {
		{"CEO", "500", 100, 0, 0},
		{" select ", "5", 95, 1, 0},      /* blank: -1, small: -4 */
		{"N/A", "unknown", 91, 2, 1},     /* blank, sizeless: -1 -8 */
		{"nurse", "N/A", 98, 2, 1},       /* N/A is not size's: not a number */
		{"n/a", "UNKNOWN ", 91, 3, 2},
	};
	ls_cell header[] = {CELL("title"), CELL("size")};
	ls_ruleset *rs = unit_rules(persona, policy);
	ls_engine *e = NULL, *other = NULL;
	ls_result res;
	size_t i;

	(void)state;
	assert_int_equal(ls_ruleset_field_missing_values(rs, 0), 2);
	assert_int_equal(ls_ruleset_field_missing_values(rs, 1), 1);
	assert_int_equal(ls_engine_new(&e, rs, header, 2, "t", NULL), LS_OK);
	assert_int_equal(ls_engine_new(&other, rs, header, 2, "t", NULL), LS_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ls_cell row[2] = {{rows[i].title, strlen(rows[i].title)},
		                  {rows[i].size, strlen(rows[i].size)}};
		assert_int_equal(ls_engine_score(e, row, 2, &res), LS_OK);
		if (res.score != rows[i].score * LS_FIXED_ONE)
			fail_msg("row %zu: score %lld", i, (long long)res.score);
		assert_int_equal(ls_engine_missing_values(e, 0), rows[i].title_missing);
		assert_int_equal(ls_engine_missing_values(e, 1), rows[i].size_missing);
	}
	assert_int_equal(ls_engine_typed_field_invalid(e, LS_FIELD_NUMBER, 0), 1);
	assert_int_equal(ls_engine_typed_field_cells(e, LS_FIELD_NUMBER, 0), 3);
	assert_string_equal(ls_engine_field_column(e, 1), "size");
	engine_absorb_counts(other, e);
	assert_int_equal(ls_engine_missing_values(other, 0), 3);
	assert_int_equal(ls_engine_missing_values(e, 0), 0);
	ls_engine_free(e);
	ls_engine_free(other);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind_to_a_header_row),
		cmocka_unit_test(test_missing_values),
		cmocka_unit_test(test_unreadable_cells_and_example),
		cmocka_unit_test(test_example_is_cut_whole),
		cmocka_unit_test_setup_teardown(test_no_match_keeps_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fractional_deduction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_limits_persona_total, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disqualify_regardless_of_score, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threshold_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statistics, setup, teardown),
		cmocka_unit_test(test_engine_needs_rules_and_header),
		cmocka_unit_test(test_absorb_counts),
		cmocka_unit_test_setup_teardown(test_wrong_cell_count, setup, teardown),
		cmocka_unit_test(test_reasons_in_load_order_and_negative_scores),
		cmocka_unit_test(test_folding_cache_is_per_row),
		cmocka_unit_test(test_regex_on_unterminated_cell_with_nul),
		cmocka_unit_test(test_typed_fields_from_any_use),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
