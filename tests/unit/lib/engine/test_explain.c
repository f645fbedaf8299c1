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

static void expect_leaf(const ls_trace_node *t, unsigned depth, bool result, const char *field,
                        const char *column, const char *cell, ls_read_as read, const char *op,
                        const char *value, bool case_sensitive)
{
	assert_int_equal(t->kind, LS_NODE_LEAF);
	assert_int_equal(t->depth, depth);
	assert_int_equal(t->result, result);
	assert_string_equal(t->field, field);
	assert_string_equal(t->column, column);
	assert_int_equal(t->cell.len, strlen(cell));
	assert_memory_equal(t->cell.ptr, cell, t->cell.len);
	assert_int_equal(t->read, read);
	assert_string_equal(t->op, op);
	if (value == NULL)
		assert_null(t->value);
	else
		assert_string_equal(t->value, value);
	assert_int_equal(t->case_sensitive, case_sensitive);
}

static void expect_rule(const ls_trace_rule *r, const char *id, const char *reason,
                        ls_fixed deduct, bool disqualify, bool active, bool matched, size_t nnodes)
{
	assert_string_equal(r->id, id);
	assert_string_equal(r->reason, reason);
	assert_int_equal(r->deduct, deduct);
	assert_int_equal(r->disqualify, disqualify);
	assert_int_equal(r->active, active);
	assert_int_equal(r->matched, matched);
	assert_int_equal(r->nnodes, nnodes);
}

/* The explain fixture's first lead, every figure of its explanation worked
 * out from tests/fixtures/explain by hand (today 2026-11-22): the allow-list
 * keeps it; "fit" deducts 15 (retail, created 2026-02-01, older than 90
 * days) and disqualifies (budget "n/a" is no number); "size" matches both
 * rules on the band "1-5" (lower bound 1), 30 + 20 capped at 40; score
 * 100 - 15 - 40 = 45, below the threshold of 50. */
static void test_every_figure_of_one_lead(void **state)
{
	static const char *const dir = "tests/fixtures/explain";
	ls_ruleset *rs = NULL;
	ls_engine *e = NULL;
	ls_cell header[] = {CELL("company"), CELL("Number of Employees"), CELL("industry"),
	                    CELL("created"), CELL("budget")};
	ls_cell row[] = {CELL("Acme"), CELL("1-5"), CELL("Retail"), CELL("01/02/2026"), CELL("n/a")};
	ls_explanation *x = NULL;
	const ls_trace_rule *r;
	int64_t today, created;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, NULL), LS_OK);
	assert_true(ls_date_parse("2026-11-22", &today));
	assert_true(ls_date_parse("2026-02-01", &created));
	ls_ruleset_set_today(rs, today);
	assert_int_equal(ls_engine_new(&e, rs, header, 5, "leads.csv", NULL), LS_OK);
	assert_int_equal(ls_engine_explain(e, row, 5, &x), LS_OK);
	assert_int_equal(x->base, 100 * LS_FIXED_ONE);
	assert_int_equal(x->threshold, 50 * LS_FIXED_ONE);
	assert_int_equal(x->result.score, 45 * LS_FIXED_ONE);
	assert_true(x->result.allowed);
	assert_false(x->result.disqualified);
	assert_int_equal(x->result.matched, 4);
	assert_true(x->below_threshold);
	assert_int_equal(x->npersonas, 2);

	assert_string_equal(x->personas[0].id, "fit");
	assert_int_equal(x->personas[0].nrules, 2);
	assert_int_equal(x->personas[0].matched_sum, 15 * LS_FIXED_ONE);
	assert_int_equal(x->personas[0].deducted, 15 * LS_FIXED_ONE);
	assert_false(x->personas[0].capped);
	r = &x->personas[0].rules[0];
	expect_rule(r, "stale-retail", "retail lead gone stale", 15 * LS_FIXED_ONE, false, true, true,
	            6);
	assert_int_equal(r->nodes[0].kind, LS_NODE_ALL);
	assert_true(r->nodes[0].result);
	/* Groups carry no leaf's fields. */
	assert_null(r->nodes[0].field);
	assert_null(r->nodes[0].column);
	assert_null(r->nodes[0].op);
	assert_null(r->nodes[0].value);
	assert_int_equal(r->nodes[0].cell.len, 0);
	assert_int_equal(r->nodes[1].kind, LS_NODE_ANY);
	assert_int_equal(r->nodes[1].depth, 1);
	expect_leaf(&r->nodes[2], 2, true, "industry", "industry", "Retail", LS_READ_TEXT, "in",
	            "[\"Retail\",\"Hospitality\"]", false);
	expect_leaf(&r->nodes[3], 2, false, "industry", "industry", "Retail", LS_READ_TEXT,
	            "matches", "\"^hotel\"", false);
	assert_int_equal(r->nodes[4].kind, LS_NODE_NOT);
	assert_true(r->nodes[4].result);
	expect_leaf(&r->nodes[5], 2, false, "created", "created", "01/02/2026", LS_READ_DATE,
	            "newer_than", "\"90d\"", false);
	assert_int_equal(r->nodes[5].day, created);
	r = &x->personas[0].rules[1];
	expect_rule(r, "no-budget", "budget missing or not a number", 0, true, true, true, 2);
	assert_int_equal(r->nodes[0].kind, LS_NODE_NOT);
	expect_leaf(&r->nodes[1], 1, false, "budget", "budget", "n/a", LS_READ_NOT_NUMBER, "gte",
	            "0", false);

	assert_string_equal(x->personas[1].id, "size");
	assert_int_equal(x->personas[1].matched_sum, 50 * LS_FIXED_ONE);
	assert_int_equal(x->personas[1].deducted, 40 * LS_FIXED_ONE);
	assert_true(x->personas[1].capped);
	assert_int_equal(x->personas[1].max_deduct, 40 * LS_FIXED_ONE);
	r = &x->personas[1].rules[1];
	expect_rule(r, "tiny", "under 10 employees", 20 * LS_FIXED_ONE, false, true, true, 1);
	expect_leaf(&r->nodes[0], 0, true, "employees", "Number of Employees", "1-5", LS_READ_BAND,
	            "lt", "10", false);
	assert_true(r->nodes[0].number == 1.0);

	assert_int_equal(x->nallow, 1);
	expect_rule(&x->allow[0], "vip", "VIP account", 0, false, true, true, 1);
	expect_leaf(&x->allow[0].nodes[0], 0, true, "company", "company", "Acme", LS_READ_TEXT, "eq",
	            "\"Acme\"", true);
	ls_explanation_free(x);

	/* "acme" is not the case-sensitive "Acme", and a budget of 100 is a
	 * number: no rule disqualifies it, but 45 is below the threshold and
	 * no allow-list entry keeps it. */
	row[0] = (ls_cell)CELL("acme");
	row[4] = (ls_cell)CELL("100");
	assert_int_equal(ls_engine_explain(e, row, 5, &x), LS_OK);
	assert_false(x->allow[0].matched);
	assert_true(x->allow[0].active);
	assert_false(x->result.allowed);
	assert_false(x->personas[0].rules[1].matched);
	assert_int_equal(x->personas[0].rules[1].nodes[1].read, LS_READ_NUMBER);
	assert_true(x->personas[0].rules[1].nodes[1].number == 100);
	assert_int_equal(x->result.score, 45 * LS_FIXED_ONE);
	assert_true(x->below_threshold);
	assert_true(x->result.disqualified);
	ls_explanation_free(x);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* Each way a cell was read has its name; anything else is "?". */
/* A score equal to the threshold is kept: not below it. */
static void test_score_at_threshold(void **state)
{
	ls_ruleset *rs = unit_rules("{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\","
	                            "\"deduct\":50,\"when\":{\"field\":\"t\",\"op\":\"empty\"}}]}",
	                            NULL);
	ls_cell header[] = {CELL("t")}, row[] = {CELL("")};
	ls_engine *e = NULL;
	ls_explanation *x = NULL;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, "t.csv", NULL), LS_OK);
	assert_int_equal(ls_engine_explain(e, row, 1, &x), LS_OK);
	assert_int_equal(x->result.score, 50 * LS_FIXED_ONE);
	assert_int_equal(x->threshold, 50 * LS_FIXED_ONE);
	assert_false(x->below_threshold);
	assert_false(x->result.disqualified);
	ls_explanation_free(x);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* The policy's require is traced first; a row failing it is not a lead:
 * no personas, no allow entries, no score, and no statistics. */
static void test_require(void **state)
{
	ls_cell header[] = {CELL("n"), CELL("d"), CELL("t")};
	ls_cell lead[] = {CELL("5"), CELL(""), CELL("00Q1")}, total[] = {CELL("5"), CELL(""),
	                                                                  CELL("Total")};
	ls_ruleset *rs = unit_rules(PERSONA, "{\"require\":{\"field\":\"t\",\"op\":\"starts_with\","
	                                     "\"value\":\"00Q\"}}");
	ls_explanation *x = NULL;
	ls_engine *e = NULL;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 3, "t.csv", NULL), LS_OK);
	assert_int_equal(ls_engine_explain(e, total, 3, &x), LS_OK);
	assert_true(x->result.not_lead);
	assert_false(x->result.disqualified);
	assert_false(x->below_threshold);
	assert_string_equal(x->result.reasons, "not a lead: fails policy require "
	                                       "{\"field\":\"t\",\"op\":\"starts_with\",\"value\":\"00Q\"}");
	assert_int_equal(x->npersonas, 0);
	assert_int_equal(x->nallow, 0);
	assert_non_null(x->require);
	assert_false(x->require->matched);
	assert_int_equal(x->require->nnodes, 1);
	assert_memory_equal(x->require->nodes[0].cell.ptr, "Total", 5);
	ls_explanation_free(x);
	assert_int_equal(ls_engine_rows_scored(e), 0);
	assert_int_equal(ls_engine_typed_field_cells(e, LS_FIELD_NUMBER, 0), 0);

	assert_int_equal(ls_engine_explain(e, lead, 3, &x), LS_OK);
	assert_false(x->result.not_lead);
	assert_true(x->require->matched);
	assert_int_equal(x->npersonas, 1);
	assert_int_equal(x->result.score, 75 * LS_FIXED_ONE);
	ls_explanation_free(x);
	assert_int_equal(ls_engine_rows_scored(e), 1);
	assert_int_equal(ls_engine_typed_field_cells(e, LS_FIELD_NUMBER, 0), 1);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

static void test_read_as_names(void **state)
{
	static const char *const names[] = {"text", "empty", "number", "band lower bound",
	                                    "not a number", "date", "not a date"};
	int i;

	(void)state;
	for (i = 0; i <= (int)LS_READ_NOT_DATE; i++)
		assert_string_equal(ls_read_as_name((ls_read_as)i), names[i]);
	assert_string_equal(ls_read_as_name((ls_read_as)(LS_READ_NOT_DATE + 1)), "?");
	assert_string_equal(ls_read_as_name((ls_read_as)-1), "?");
}

/* Explaining bundled leads (the first 20: each explanation allocates
 * afresh), and the allow-list fixture's, with each allocation failing in
 * turn. */
/* Explaining one row with a new engine (whose buffers have not grown yet)
 * under the allocation sweep. */
struct explain_case {
	const ls_ruleset *rs;
	const ls_cell *header, *row;
	size_t ncells;
	uint64_t want;
};

static ls_status explain_case(void *arg)
{
	struct explain_case *c = arg;
	ls_explanation *x = NULL;
	ls_engine *e = NULL;
	ls_status st = ls_engine_new(&e, c->rs, c->header, c->ncells, "t.csv", NULL);
	uint64_t h = UNIT_FNV_START;
	size_t p, r, k;

	if (st == LS_OK) {
		x = (ls_explanation *)c; /* a failed explanation must leave NULL here */
		st = ls_engine_explain(e, c->row, c->ncells, &x);
		if (st != LS_OK && x != NULL)
			st = UNIT_WRONG;
	}
	ls_engine_free(e);

	for (p = 0; st == LS_OK && p < x->npersonas; p++)
		for (r = 0; r < x->personas[p].nrules; r++)
			for (k = 0; k < x->personas[p].rules[r].nnodes; k++)
				h = unit_fnv(h, &x->personas[p].rules[r].nodes[k].result, sizeof(bool));
	if (st == LS_OK)
		ls_explanation_free(x);
	return unit_same_answer(st, h, &c->want);
}

static void test_allocation_failures(void **state)
{
	/* A regular expression the score never reaches (the "all" stops at its
	 * first member) is still traced, and its cell copied then. */
	ls_ruleset *rs = unit_rules("{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\","
	                            "\"deduct\":1,\"when\":{\"all\":[{\"field\":\"t\",\"op\":\"eq\","
	                            "\"value\":\"zzz\"},{\"field\":\"t\",\"op\":\"matches\","
	                            "\"value\":\"^ho\"}]}}]}", NULL);
	ls_cell header[] = {CELL("t")}, row[1];
	char *hotel = unit_exact("hotel", 5);
	struct explain_case c = {rs, header, row, 1, 0};

	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_EXPLAIN, .max_rows = 20};
	struct sweep allow = {.rules = "tests/fixtures/explain",
	                      .csv = "tests/fixtures/explain/leads.csv", .steps = SWEEP_EXPLAIN};

	(void)state;
	assert_true(sweep_run(&bundled) >= 10);
	assert_true(sweep_run(&allow) >= 10);
	row[0] = (ls_cell){hotel, 5};
	assert_int_equal(explain_case(&c), LS_OK);
	assert_true(unit_alloc_sweep(explain_case, &c) >= 5);
	ls_ruleset_free(rs);
	free(hotel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_of_every_node),
		cmocka_unit_test(test_reads_that_fail),
		cmocka_unit_test(test_agrees_with_score),
		cmocka_unit_test(test_every_figure_of_one_lead),
		cmocka_unit_test(test_score_at_threshold),
		cmocka_unit_test(test_read_as_names),
		cmocka_unit_test(test_require),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
