/* SPDX-License-Identifier: MIT */
/* test_explain.c - ls_engine_explain: the trace agrees with the score and
 * says how every cell was read. */
#include "unit.h"
#include "sweep.h"

static const char *const PERSONA =
	"{\"id\":\"p\",\"max_deduct\":25,\"rules\":["
	"{\"id\":\"small\",\"reason\":\"small\",\"deduct\":20,"
	" \"when\":{\"all\":[{\"field\":\"n\",\"op\":\"lt\",\"value\":50},"
	"                   {\"not\":{\"field\":\"d\",\"op\":\"after\",\"value\":\"2026-01-01\"}}]}},"
	"{\"id\":\"tiny\",\"reason\":\"tiny\",\"deduct\":10,"
	" \"when\":{\"any\":[{\"field\":\"n\",\"op\":\"lt\",\"value\":10},"
	"                   {\"field\":\"t\",\"op\":\"eq\",\"value\":\"X\"}]}}]}";

struct fixture {
	ls_ruleset *rs;
	ls_engine *e;
};

static int setup(void **state)
{
	static struct fixture f;
	ls_cell header[] = {CELL("n"), CELL("d"), CELL("t")};

	f.rs = unit_rules(PERSONA, NULL);
	assert_int_equal(ls_engine_new(&f.e, f.rs, header, 3, "t.csv", NULL), LS_OK);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ls_engine_free(f->e);
	ls_ruleset_free(f->rs);
	return 0;
}

static void test_trace_of_every_node(void **state)
{
	struct fixture *f = *state;
	ls_cell row[] = {CELL(" 1-5 "), CELL("2025-12-31"), CELL("x")};
	ls_explanation *x = NULL;
	const ls_trace_rule *small, *tiny;

	assert_int_equal(ls_engine_explain(f->e, row, 3, &x), LS_OK);
	assert_int_equal(x->npersonas, 1);
	small = &x->personas[0].rules[0];
	tiny = &x->personas[0].rules[1];
	/* all(lt, not(after)): four nodes, depth first. */
	assert_int_equal(small->nnodes, 4);
	assert_int_equal(small->nodes[0].kind, LS_NODE_ALL);
	assert_int_equal(small->nodes[1].kind, LS_NODE_LEAF);
	assert_int_equal(small->nodes[1].read, LS_READ_BAND);
	assert_true(small->nodes[1].number == 1.0);
	assert_memory_equal(small->nodes[1].cell.ptr, " 1-5 ", 5);  /* untrimmed */
	assert_string_equal(small->nodes[1].value, "50");
	assert_int_equal(small->nodes[2].kind, LS_NODE_NOT);
	assert_int_equal(small->nodes[2].depth, 1);
	assert_int_equal(small->nodes[3].depth, 2);
	assert_int_equal(small->nodes[3].read, LS_READ_DATE);
	assert_false(small->nodes[3].result);
	assert_true(small->nodes[2].result && small->matched);
	/* any(lt, eq): the second leaf is evaluated too though the first holds. */
	assert_int_equal(tiny->nnodes, 3);
	assert_true(tiny->nodes[1].result);
	assert_true(tiny->nodes[2].result); /* "x" eq "X", ignoring case */
	assert_int_equal(tiny->nodes[2].read, LS_READ_TEXT);
	/* 20 + 10 capped at 25. */
	assert_true(x->personas[0].matched_sum == 30 * LS_FIXED_ONE);
	assert_true(x->personas[0].deducted == 25 * LS_FIXED_ONE);
	assert_true(x->result.score == 75 * LS_FIXED_ONE);
	assert_false(x->below_threshold);
	assert_string_equal(x->result.reasons, "p/small: small; p/tiny: tiny");
	ls_explanation_free(x);
}

static void test_reads_that_fail(void **state)
{
	struct fixture *f = *state;
	ls_cell row[] = {CELL("lots"), CELL("yesterday"), CELL("")};
	ls_explanation *x = NULL;
	const ls_trace_rule *small;

	assert_int_equal(ls_engine_explain(f->e, row, 3, &x), LS_OK);
	small = &x->personas[0].rules[0];
	assert_int_equal(small->nodes[1].read, LS_READ_NOT_NUMBER);
	assert_int_equal(small->nodes[3].read, LS_READ_NOT_DATE);
	assert_int_equal(x->personas[0].rules[1].nodes[2].read, LS_READ_EMPTY);
	assert_false(x->result.disqualified);
	assert_true(x->result.score == 100 * LS_FIXED_ONE);
	assert_string_equal(ls_read_as_name(LS_READ_BAND), "band lower bound");
	assert_string_equal(ls_read_as_name(LS_READ_NOT_NUMBER), "not a number");
	ls_explanation_free(x);
}

/* The trace must agree with ls_engine_score on every row. */
static void test_agrees_with_score(void **state)
{
	struct fixture *f = *state;
	static const char *const n[] = {"", "5", "20", "60", "1,000", "abc"};
	static const char *const d[] = {"", "2025-06-01", "2026-06-01", "junk"};
	static const char *const t[] = {"", "x", "y"};
	size_t i, j, k;

	for (i = 0; i < 6; i++)
		for (j = 0; j < 4; j++)
			for (k = 0; k < 3; k++) {
				ls_cell row[] = {{n[i], strlen(n[i])}, {d[j], strlen(d[j])}, {t[k], strlen(t[k])}};
				ls_explanation *x = NULL;
				ls_result res;
				assert_int_equal(ls_engine_score(f->e, row, 3, &res), LS_OK);
				assert_int_equal(ls_engine_explain(f->e, row, 3, &x), LS_OK);
				assert_true(x->result.score == res.score);
				assert_int_equal(x->result.disqualified, res.disqualified);
				assert_int_equal(x->personas[0].rules[0].matched,
				                 ls_engine_rule_matched(f->e, 0, 0));
				assert_int_equal(x->personas[0].rules[1].matched,
				                 ls_engine_rule_matched(f->e, 0, 1));
				ls_explanation_free(x);
			}
}

/* Explaining bundled leads (the first 20: each explanation allocates
 * afresh), and the allow-list fixture's, with each allocation failing in
 * turn. */
static void test_allocation_failures(void **state)
{
	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_EXPLAIN, .max_rows = 20};
	struct sweep allow = {.rules = "tests/fixtures/explain",
	                      .csv = "tests/fixtures/explain/leads.csv", .steps = SWEEP_EXPLAIN};

  (void)state;
  assert_true(sweep_run(&bundled) >= 10);
  assert_true(sweep_run(&allow) >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_of_every_node),
		cmocka_unit_test(test_reads_that_fail),
		cmocka_unit_test(test_agrees_with_score),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
