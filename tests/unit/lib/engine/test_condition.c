/* SPDX-License-Identifier: MIT */
/* test_condition.c - every operator, case rule and nesting, driven by the
 * plain-text table tests/engine/conditions.test. */
#include <stdio.h>

#include "unit.h"

#define TABLE_TODAY "2026-11-22"

#ifndef CONDITIONS_TABLE
#define CONDITIONS_TABLE "tests/engine/conditions.test"
#endif

struct table {
	char header[2048];
	char policy[2048];
	ls_ruleset *rules;
	ls_engine *engine;
	unsigned long cond_line;
	int rows;
};

static void bind(struct table *t, const char *cond)
{
	char persona[2048 + 128];
	ls_reader *r = NULL;
	ls_row row;
	ls_error err = {0};
	int64_t today;
	char csv[sizeof(t->header) + 2];

	ls_engine_free(t->engine);
	ls_ruleset_free(t->rules);
	snprintf(persona, sizeof(persona),
	         "{\"id\":\"t\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,\"when\":%s}]}",
	         cond);
	t->rules = unit_rules(persona, t->policy[0] ? t->policy : NULL);
	/* A fixed today, so older_than and newer_than cases do not age. */
	assert_true(ls_date_parse(TABLE_TODAY, &today));
	ls_ruleset_set_today(t->rules, today);
	snprintf(csv, sizeof(csv), "%s\n", t->header);
	assert_int_equal(ls_reader_open_mem(&r, csv, strlen(csv), "table", ',', &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	if (ls_engine_new(&t->engine, t->rules, row.cells, row.ncells, "table", &err) != LS_OK)
		fail_msg("line %lu: %s", t->cond_line, err.message);
	ls_reader_free(r);
	ls_error_clear(&err);
}

static void check_row(struct table *t, const char *line, bool want, unsigned long lineno)
{
	char csv[2048 + 2048 + 4];
	ls_reader *r = NULL;
	ls_row row;
	ls_result res;
	ls_error err = {0};

	snprintf(csv, sizeof(csv), "%s\n%s\n", t->header, line);
	assert_int_equal(ls_reader_open_mem(&r, csv, strlen(csv), "table", ',', &err), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, &err), LS_OK);
	if (ls_reader_next(r, &row, &err) != LS_OK)
		fail_msg("line %lu: row does not parse: %s", lineno, err.message);
	assert_int_equal(ls_engine_score(t->engine, row.cells, row.ncells, &res), LS_OK);
	if ((res.matched == 1) != want)
		fail_msg("line %lu: \"%s\" should %s the condition on line %lu", lineno, line,
		         want ? "match" : "not match", t->cond_line);
	t->rows++;
	ls_reader_free(r);
}

static void test_condition_table(void **state)
{
	FILE *f = fopen(CONDITIONS_TABLE, "r");
	struct table t = {{0}, {0}, NULL, NULL, 0, 0};
	char line[2048];
	unsigned long lineno = 0;
	int conditions = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[1] != '|')
			fail_msg("line %lu: expected H|, P|, C|, T| or F|", lineno);
		switch (line[0]) {
		case 'H':
			snprintf(t.header, sizeof(t.header), "%s", line + 2);
			break;
		case 'P':
			snprintf(t.policy, sizeof(t.policy), "%s", line + 2);
			break;
		case 'C':
			t.cond_line = lineno;
			bind(&t, line + 2);
			conditions++;
			break;
		case 'T':
		case 'F':
			assert_non_null(t.engine);
			check_row(&t, line + 2, line[0] == 'T', lineno);
			break;
		default:
			fail_msg("line %lu: unknown tag %c", lineno, line[0]);
		}
	}
	fclose(f);
	ls_engine_free(t.engine);
	ls_ruleset_free(t.rules);
	/* Guards against a table that silently stopped being read. */
	assert_true(conditions >= 45);
	assert_true(t.rows >= 153);
}

/* Each allocation scoring a row makes (a regex needs the cell as a C string,
 * a case-folded test its folded copy), failed in turn, on a fresh engine:
 * the row is reported out of memory, never scored as if the rule missed. */
static void test_allocation_failure_is_reported(void **state)
{
	ls_ruleset *rules = unit_rules(
	    "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":5,\"when\":"
	    "{\"all\":[{\"field\":\"email\",\"op\":\"matches\",\"value\":\"@gmail\\\\.com$\"},"
	    "{\"field\":\"title\",\"op\":\"contains\",\"value\":\"STUDENT\"}]}}]}",
	    NULL);
	ls_cell header[] = {CELL("email"), CELL("title")};
	ls_cell row[] = {CELL(" ann@gmail.com "), CELL("Student")};
	long n;

	(void)state;
	for (n = 0;; n++) {
		ls_engine *e = NULL;
		ls_error err = {0};
		ls_result res;
		ls_status st;

		assert_int_equal(ls_engine_new(&e, rules, header, 2, "t", &err), LS_OK);
		unit_fail_alloc_after(n);
		st = ls_engine_score(e, row, 2, &res);
		if (unit_alloc_failed()) {
			if (st != LS_ERR_NOMEM)
				fail_msg("allocation %ld failed: scored %s", n, ls_strerror(st));
			ls_engine_free(e);
			continue;
		}
		assert_int_equal(st, LS_OK);
		assert_int_equal(res.matched, 1);
		ls_engine_free(e);
		break;
	}
	assert_true(n >= 2); /* the regex copy and the folded cell at least */
	ls_ruleset_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_condition_table),
		cmocka_unit_test(test_allocation_failure_is_reported),
	};
	return cmocka_run_group_tests_name("condition", tests, NULL, NULL);
}
