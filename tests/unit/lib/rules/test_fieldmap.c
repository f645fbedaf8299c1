/* SPDX-License-Identifier: MIT */
/* test_fieldmap.c - binding rule fields to header columns. */
#include "unit.h"
#include "sweep.h"

#include "rules/fieldmap.h"

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
	/* Every byte from 0x80 up is kept: "\xc3\x80" is "À", not "\xc3". */
	assert_false(fieldmap_same_name("\xc3\x80rea", 5, "\xc3rea", 4));
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
	/* Through an alias as well. */
	{
		ls_cell h4[] = {CELL("annual_revenue"), CELL("COMPANY_SIZE"), CELL("Company size")};
		assert_int_equal(bind(h4, 3, col, NULL), LS_OK);
		assert_int_equal(col[1], 2);
	}
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

/* Words as well as characters: a long column that has the field's words is
 * the one meant; nothing is offered when nothing is close; a column another
 * field took is not offered. */
static void test_plausible_columns(void **state)
{
	static const struct {
		const char *field;
		ls_cell header[4];
		const char *closest; /* NULL: none */
	} cases[] = {
		{"occupation", {CELL("Email"), CELL("What is your current occupation"), CELL("x"),
		                CELL("y")}, "What is your current occupation"},
		{"time_on_site", {CELL("Email"), CELL("Total Time Spent on Website"),
		                  CELL("TotalVisits"), CELL("y")}, "Total Time Spent on Website"},
		{"totalVisits", {CELL("Email"), CELL("Total Time Spent on Website"),
		                 CELL("Page Views Per Visit"), CELL("Visits (total)")}, "Visits (total)"},
		{"title", {CELL("Email"), CELL("Industry"), CELL("x"), CELL("y")}, NULL},
		{"lead_source", {CELL("Email"), CELL("Source of the lead"), CELL("x"), CELL("y")},
		 "Source of the lead"},
		/* Filler words alone say nothing. */
		{"source_of_lead", {CELL("Email"), CELL("Price of item"), CELL("x"), CELL("y")}, NULL},
	};
	size_t i, col;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char persona[256], want[128];
		ls_ruleset *rs;
		ls_error err = {0};
		snprintf(persona, sizeof(persona),
		         "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		         "\"when\":{\"field\":\"%s\",\"op\":\"empty\"}}]}", cases[i].field);
		rs = unit_rules(persona, NULL);
		assert_int_equal(fieldmap_bind(rs, cases[i].header, 4, "in.csv", &col, &err),
		                 LS_ERR_HEADER);
		if (cases[i].closest != NULL)
			snprintf(want, sizeof(want), "; closest column: \"%s\";", cases[i].closest);
		if (cases[i].closest != NULL ? strstr(err.message, want) == NULL
		                             : strstr(err.message, "closest column") != NULL)
			fail_msg("case %zu: %s", i, err.message);
		ls_error_clear(&err);
		ls_ruleset_free(rs);
	}
	{
		/* "Employees" is taken by the field employees: not offered for
		 * employee_count, whose words it has. */
		ls_ruleset *rs = unit_rules(
			"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
			"\"when\":{\"all\":[{\"field\":\"employees\",\"op\":\"empty\"},"
			"{\"field\":\"employee_count\",\"op\":\"empty\"}]}}]}", NULL);
		ls_cell h[] = {CELL("Employees"), CELL("Email")};
		size_t cols[2];
		ls_error err = {0};
		assert_int_equal(fieldmap_bind(rs, h, 2, "in.csv", cols, &err), LS_ERR_HEADER);
		assert_non_null(strstr(err.message, "field \"employee_count\""));
		assert_null(strstr(err.message, "closest column"));
		ls_error_clear(&err);
		ls_ruleset_free(rs);
	}
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
	assert_int_equal(err.line, 0); /* the header, not a line of data */
	ls_error_clear(&err);
	assert_int_equal(bind(h2, 3, col, &err), LS_ERR_HEADER);
	assert_non_null(strstr(err.message, "alias \"Company size\" matches columns 2 and 3"));
	ls_error_clear(&err);
	/* Three columns: the first two are named. */
	{
		ls_cell h3[] = {CELL("Annual Revenue"), CELL("annual revenue"), CELL("ANNUAL-REVENUE"),
		                CELL("employees")};
		assert_int_equal(bind(h3, 4, col, &err), LS_ERR_HEADER);
		assert_non_null(strstr(err.message, "its name matches columns 1 and 2"));
		ls_error_clear(&err);
	}
}

/* Letters fold and digits stay at the ends of their ranges too. */
static void test_same_name_edges(void **state)
{
	(void)state;
	assert_true(fieldmap_same_name("AZ-09", 5, "az09", 4));
	assert_true(fieldmap_same_name("az09", 4, "AZ 09", 5));
	assert_false(fieldmap_same_name("Z", 1, "y", 1));
	assert_false(fieldmap_same_name("a9", 2, "a8", 2));
	assert_false(fieldmap_same_name("@", 1, "A", 1));   /* the bytes around A-Z */
	assert_false(fieldmap_same_name("[", 1, "Z", 1));
	assert_false(fieldmap_same_name("`", 1, "a", 1));   /* and a-z, 0-9 */
	assert_false(fieldmap_same_name("{", 1, "z", 1));
	assert_false(fieldmap_same_name("/", 1, "0", 1));
	assert_false(fieldmap_same_name(":", 1, "9", 1));
	assert_true(fieldmap_same_name("--", 2, "", 0));
}

/* The column suggested: the one with the field's words (the most, then the
 * fewest edits), else the first a typo away (at most a third of its loose
 * form differs); never annual_revenue, which the other field took. Names
 * are quoted with their controls shown as "?". */
static void test_closest_column(void **state)
{
	static const struct {
		ls_cell header[5];
		const char *closest;
	} cases[] = {
		/* A column with the word beats one a typo away. */
		{{CELL("annual_revenue"), CELL("Emplo"), CELL("Employyes"), CELL("mployees"),
		  CELL("Employees Count")},
		 "Employees Count"},
		{{CELL("annual_revenue"), CELL("Employee Count"), CELL("Emplo"), CELL("mployees"),
		  CELL("Employyes")},
		 "Employee Count"},
		/* Without one, the first of the fewest edits. */
		{{CELL("annual_revenue"), CELL("Emplo"), CELL("mployees"), CELL("Employyes"),
		  CELL("q")},
		 "mployees"},
		{{CELL("annual_revenue"), CELL("staff"), CELL("employees_2"), CELL("EMPLOYEE"),
		  CELL("x")},
		 "employees_2"},
		/* A word inside another by a letter or two is a typo too. */
		{{CELL("annual_revenue"), CELL("Employers"), CELL("xemployeesx"), CELL("e"),
		  CELL("q")},
		 "Employers"},
		/* The first byte counts as much as the others. */
		{{CELL("annual_revenue"), CELL("employeesx"), CELL("Xmployees"), CELL("q"), CELL("r")},
		 "employeesx"},
		/* A letter typed twice is one edit, like a letter mistyped. */
		{{CELL("annual_revenue"), CELL("Emmployees"), CELL("Xmployees"), CELL("q"), CELL("r")},
		 "Emmployees"},
	};
	size_t i, col[2];
	char want[64];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_error err = {0};

		assert_int_equal(bind(cases[i].header, 5, col, &err), LS_ERR_HEADER);
		snprintf(want, sizeof(want), "; closest column: \"%s\";", cases[i].closest);
		if (strstr(err.message, want) == NULL)
			fail_msg("case %zu: %s", i, err.message);
		assert_int_equal(err.line, 0);
		assert_int_equal(err.column, 0);
		ls_error_clear(&err);
	}
	{
		/* A cell is its bytes, not what follows them in memory. */
		static const char row[] = "EmployyesZ";
		ls_cell h[] = {CELL("annual_revenue"), {row, 9}, CELL("mployees")};
		ls_error err = {0};

		assert_int_equal(bind(h, 3, col, &err), LS_ERR_HEADER);
		assert_non_null(strstr(err.message, "; closest column: \"Employyes\";"));
		ls_error_clear(&err);
	}
	{
		ls_cell h[] = {CELL("annual_revenue"), CELL("Tab\there"), CELL("Del\x7f"), CELL("\x1f")};
		ls_error err = {0};

		assert_int_equal(bind(h, 4, col, &err), LS_ERR_HEADER);
		assert_non_null(strstr(err.message, "header columns: \"annual_revenue\", \"Tab?here\", "
		                                    "\"Del?\", \"?\""));
		ls_error_clear(&err);
	}
}

/* How check and explain find a column: exactly, loosely, through an alias;
 * none; or more than one. */
static void test_find_column(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, POLICY);
	ls_cell h[] = {CELL("x"), CELL("Annual Revenue"), CELL("annual_revenue"), CELL("Company size"),
	               CELL("e-mail"), CELL("E Mail")};
	size_t col = 99;

	(void)state;
	assert_int_equal(ls_ruleset_find_column(rs, "annual_revenue", h, 6, &col), LS_OK);
	assert_int_equal(col, 2);
	assert_int_equal(ls_ruleset_find_column(rs, "X", h, 6, &col), LS_OK);
	assert_int_equal(col, 0);
	assert_int_equal(ls_ruleset_find_column(rs, "employees", h, 6, &col), LS_OK);
	assert_int_equal(col, 3);
	col = 99;
	assert_int_equal(ls_ruleset_find_column(rs, "phone", h, 6, &col), LS_DONE);
	assert_int_equal(col, 99);
	assert_int_equal(ls_ruleset_find_column(rs, "email", h, 6, &col), LS_ERR_HEADER);
	assert_int_equal(ls_ruleset_find_column(rs, "--", h, 6, &col), LS_DONE);
	/* A name of punctuation only is not loosely every such name. */
	{
		ls_cell p[] = {CELL("#"), CELL("x")};
		assert_int_equal(ls_ruleset_find_column(rs, "--", p, 2, &col), LS_DONE);
	}
	ls_ruleset_free(rs);
	/* A field whose loose form is empty is close to no column. */
	{
		ls_cell h2[] = {CELL("Annual Revenue"), CELL("ID"), CELL("Name")};
		ls_error err = {0};

		rs = unit_rules("{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		                "\"when\":{\"field\":\"--\",\"op\":\"empty\"}}]}", NULL);
		assert_int_equal(fieldmap_bind(rs, h2, 3, "in.csv", &col, &err), LS_ERR_HEADER);
		assert_null(strstr(err.message, "closest column")); /* nothing is close */
		ls_error_clear(&err);
		ls_ruleset_free(rs);
	}
}

/* Binding through the policy's aliases (the explain fixture) and a header
 * that does not fit (the closest column named), with each allocation
 * failing in turn. */
/* Binding a header, for the allocation sweep: the error it ends with. */
struct bind_case {
	ls_ruleset *rs;
	const ls_cell *header;
	size_t ncols;
	uint64_t want;
};

static ls_status bind_case(void *arg)
{
	struct bind_case *c = arg;
	ls_error err = {0};
	size_t col[2];
	ls_status st = fieldmap_bind(c->rs, c->header, c->ncols, "in.csv", col, &err);
	uint64_t h = unit_fnv_str(UNIT_FNV_START, err.message);

	ls_error_clear(&err);
	return unit_same_answer(st == LS_ERR_HEADER ? LS_OK : st, h, &c->want);
}

static void test_allocation_failures(void **state)
{
	/* Column names long enough to grow the message's buffer. */
	static const ls_cell ambiguous[] = {
		CELL("Annual Revenue ------------------------------------------------------------"),
		CELL("ANNUAL_REVENUE ____________________________________________________________"),
		CELL("employees")};
	struct bind_case c = {unit_rules(PERSONA, POLICY), ambiguous, 3, 0};

	struct sweep aliases = {.rules = "tests/fixtures/explain",
	                        .csv = "tests/fixtures/explain/leads.csv", .steps = SWEEP_SCORE};
	struct sweep misfit = {.rules = "personas", .csv = "tests/fixtures/lint/header.csv",
	                       .steps = SWEEP_SCORE};

	(void)state;
	assert_true(sweep_run(&aliases) >= 10);
	assert_true(sweep_run(&misfit) >= 1);
	assert_int_equal(bind_case(&c), LS_OK);
	assert_true(unit_alloc_sweep(bind_case, &c) >= 3);
	ls_ruleset_free(c.rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_exact_then_loose_then_alias),
		cmocka_unit_test(test_missing_field_message),
		cmocka_unit_test(test_plausible_columns),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_same_name_edges),
		cmocka_unit_test(test_closest_column),
		cmocka_unit_test(test_find_column),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests_name("fieldmap", tests, NULL, NULL);
}
