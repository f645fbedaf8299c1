/* SPDX-License-Identifier: MIT */
/* test_fieldmap.c - binding rule fields to header columns. */
#include "unit.h"
#include "sweep.h"

#include "fieldmap.h"

static const char *const PERSONA =
	"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
	"\"when\":{\"all\":[{\"field\":\"annual_revenue\",\"op\":\"gt\",\"value\":1},"
	"{\"field\":\"employees\",\"op\":\"gt\",\"value\":1}]}}]}";
static const char *const POLICY =
	"{\"fields\":{\"employees\":[\"Number of Employees\",\"Company size\"]}}";

static ls_status bind(const ls_cell *header, size_t n, size_t columns[2], ls_error *err)
{
	ls_ruleset *rs = unit_rules(PERSONA, POLICY);
	ls_status st = fieldmap_bind(rs, header, n, "in.csv", columns, err);
	ls_ruleset_free(rs);
	return st;
}

static void test_same_name(void **state)
{
	(void)state;
	assert_true(fieldmap_same_name("Annual Revenue", 14, "annual_revenue", 14));
	assert_true(fieldmap_same_name("E-Mail", 6, "email", 5));
	assert_true(fieldmap_same_name(" No. of Employees ", 18, "noofemployees", 13));
	assert_false(fieldmap_same_name("Revenue", 7, "annual_revenue", 14));
	assert_false(fieldmap_same_name("Zo\xc3\xab", 4, "zoe", 3));
}

static void test_exact_then_loose_then_alias(void **state)
{
	ls_cell h1[] = {CELL("Annual Revenue"), CELL("employees")};
	ls_cell h2[] = {CELL("Company size"), CELL("ANNUAL_REVENUE")};
	ls_cell h3[] = {CELL("annual_revenue"), CELL("Annual Revenue"), CELL("Number of Employees")};
	size_t col[2];

	(void)state;
	assert_int_equal(bind(h1, 2, col, NULL), LS_OK);
	assert_int_equal(col[0], 0);
	assert_int_equal(col[1], 1);
	assert_int_equal(bind(h2, 2, col, NULL), LS_OK);
	assert_int_equal(col[0], 1);
	assert_int_equal(col[1], 0);
	/* An exact match wins over a loose one, so no ambiguity. */
	assert_int_equal(bind(h3, 3, col, NULL), LS_OK);
	assert_int_equal(col[0], 0);
	assert_int_equal(col[1], 2);
}

static void test_missing_field_message(void **state)
{
	ls_cell h[] = {CELL("Annual Revenue"), CELL("Employee Count"), CELL("Say \"hi\"")};
	ls_error err = {0};
	size_t col[2];

	(void)state;
	assert_int_equal(bind(h, 3, col, &err), LS_ERR_HEADER);
	assert_string_equal(err.file, "in.csv");
	assert_string_equal(err.message,
	                    "field \"employees\" (used by rule p/r in test.json) is not in the "
	                    "header; closest column: \"Employee Count\"; aliases tried: \"Number of "
	                    "Employees\", \"Company size\"; header columns: \"Annual Revenue\", "
	                    "\"Employee Count\", \"Say \\\"hi\\\"\"");
	ls_error_clear(&err);
}

static void test_ambiguous(void **state)
{
	ls_cell h1[] = {CELL("Annual Revenue"), CELL("annual revenue"), CELL("employees")};
	ls_cell h2[] = {CELL("annual_revenue"), CELL("company size"), CELL("Company Size")};
	ls_error err = {0};
	size_t col[2];

	(void)state;
	assert_int_equal(bind(h1, 3, col, &err), LS_ERR_HEADER);
	assert_non_null(strstr(err.message, "its name matches columns 1 and 2"));
	assert_int_equal(bind(h2, 3, col, &err), LS_ERR_HEADER);
	assert_non_null(strstr(err.message, "alias \"Company size\" matches columns 2 and 3"));
	ls_error_clear(&err);
}

/* Binding through the policy's aliases (the explain fixture) and a header
 * that does not fit (the closest column named), with each allocation
 * failing in turn. */
static void test_allocation_failures(void **state)
{
	struct sweep aliases = {.rules = "tests/fixtures/explain",
	                        .csv = "tests/fixtures/explain/leads.csv", .steps = SWEEP_SCORE};
	struct sweep misfit = {.rules = "personas", .csv = "tests/fixtures/lint/header.csv",
	                       .steps = SWEEP_SCORE};

  (void)state;
  assert_true(sweep_run(&aliases) >= 10);
  assert_true(sweep_run(&misfit) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_exact_then_loose_then_alias),
		cmocka_unit_test(test_missing_field_message),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests_name("fieldmap", tests, NULL, NULL);
}
