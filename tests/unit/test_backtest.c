/* SPDX-License-Identifier: MIT */
/* test_backtest.c - the backtest accumulator on rows whose verdicts and
 * outcomes are known, with every figure computed by hand. */
#include "unit.h"
#include "sweep.h"

/* One rule: "hit" when flag is "y"; it deducts 60 so a hit is disqualified. */
static const char *const PERSONA =
	"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"r\",\"deduct\":60,"
	"\"when\":{\"field\":\"flag\",\"op\":\"eq\",\"value\":\"y\"}}]}";

static void add(ls_backtest *bt, ls_engine *e, const char *flag, bool converted, double value)
{
	ls_cell row[] = {{flag, strlen(flag)}};
	ls_result res;

	assert_int_equal(ls_engine_score(e, row, 1, &res), LS_OK);
	assert_int_equal(ls_backtest_add(bt, e, &res, converted, value >= 0, value), LS_OK);
}

static void test_figures(void **state)
{
	ls_cell header[] = {CELL("flag")};
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_engine *e = NULL;
	ls_backtest *bt = NULL;
	ls_backtest_totals t;
	ls_backtest_hits h;
	ls_fixed low;
	uint64_t yes, no;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_backtest_new(&bt, rs, 0), LS_OK);  /* 0: default width 10 */
	/* Hits (score 40, disqualified): 2 converted (100, no value), 2 not.
	 * Misses (score 100, kept): 1 converted (50), 3 not. */
	add(bt, e, "y", true, 100);
	add(bt, e, "y", true, -1);
	add(bt, e, "y", false, -1);
	add(bt, e, "y", false, -1);
	add(bt, e, "n", true, 50);
	add(bt, e, "n", false, -1);
	add(bt, e, "n", false, -1);
	add(bt, e, "n", false, -1);
	ls_backtest_get_totals(bt, &t);
	assert_int_equal(t.leads, 8);
	assert_int_equal(t.converted, 3);
	assert_true(t.base_rate == 3.0 / 8);
	assert_int_equal(t.disqualified, 4);
	assert_int_equal(t.matrix[1][1], 2);
	assert_int_equal(t.matrix[1][0], 2);
	assert_int_equal(t.matrix[0][1], 1);
	assert_int_equal(t.matrix[0][0], 3);
	assert_true(t.missed_value == 100);
	assert_int_equal(t.missed_unvalued, 1);
	assert_true(t.converted_value == 150);
	assert_int_equal(t.valued, 2);
	/* Hits convert at 2/4 = 0.5 against 3/8: lift 4/3, costly. */
	ls_backtest_rule(bt, 0, 0, &h);
	assert_int_equal(h.hits, 4);
	assert_int_equal(h.converted, 2);
	assert_true(h.rate == 0.5);
	assert_true(h.has_lift && h.lift == 0.5 / (3.0 / 8));
	assert_true(h.costly);
	ls_backtest_persona(bt, 0, &h);
	assert_int_equal(h.hits, 4);
	/* Bins of 10: 40 (2 yes, 2 no) and 100 (1 yes, 3 no). */
	assert_int_equal(ls_backtest_bin_count(bt), 2);
	ls_backtest_bin(bt, 0, &low, &yes, &no);
	assert_true(low == 40 * LS_FIXED_ONE && yes == 2 && no == 2);
	ls_backtest_bin(bt, 1, &low, &yes, &no);
	assert_true(low == 100 * LS_FIXED_ONE && yes == 1 && no == 3);
	ls_backtest_free(bt);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

static void test_costly_at_exactly_the_base_rate_and_no_lift_without_data(void **state)
{
	ls_cell header[] = {CELL("flag")};
	ls_ruleset *rs = unit_rules(PERSONA, "{\"base\":5}");
	ls_engine *e = NULL;
	ls_backtest *bt = NULL;
	ls_backtest_hits h;
	ls_fixed low;
	uint64_t yes, no;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_backtest_new(&bt, rs, 10 * LS_FIXED_ONE), LS_OK);
	ls_backtest_rule(bt, 0, 0, &h);
	assert_false(h.has_lift);
	assert_false(h.costly);
	/* 1 of 2 hits and 2 of 4 leads convert: exactly the base rate. */
	add(bt, e, "y", true, -1);
	add(bt, e, "y", false, -1);
	add(bt, e, "n", true, -1);
	add(bt, e, "n", false, -1);
	ls_backtest_rule(bt, 0, 0, &h);
	assert_true(h.lift == 1.0);
	assert_true(h.costly);
	/* Scores 5 - 60 = -55 fall in the bin [-60, -50); 5 in [0, 10). */
	ls_backtest_bin(bt, 0, &low, &yes, &no);
	assert_true(low == -60 * LS_FIXED_ONE);
	ls_backtest_bin(bt, 1, &low, &yes, &no);
	assert_true(low == 0);
	ls_backtest_free(bt);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* A result scored by an engine of other rules is refused, not counted. */
static void test_refuses_an_engine_of_other_rules(void **state)
{
	ls_cell header[] = {CELL("flag")}, row[] = {CELL("y")};
	ls_ruleset *rs = unit_rules(PERSONA, NULL), *other = unit_rules(PERSONA, NULL);
	ls_engine *e = NULL;
	ls_backtest *bt = NULL;
	ls_backtest_totals t;
	ls_result res;

	(void)state;
	assert_int_equal(ls_engine_new(&e, other, header, 1, NULL, NULL), LS_OK);
	assert_int_equal(ls_backtest_new(&bt, rs, 0), LS_OK);
	assert_int_equal(ls_engine_score(e, row, 1, &res), LS_OK);
	assert_int_equal(ls_backtest_add(bt, e, &res, true, false, 0), LS_ERR_USAGE);
	ls_backtest_get_totals(bt, &t);
	assert_int_equal(t.leads, 0);
	ls_backtest_free(bt);
	ls_engine_free(e);
	ls_ruleset_free(rs);
	ls_ruleset_free(other);
}

/* The bundled history and the backtest fixture, counted with each
 * allocation failing in turn. */
static void test_allocation_failures(void **state)
{
	struct sweep bundled = {.rules = "personas", .csv = "examples/history.csv",
	                        .outcome = "Converted", .value = "Deal Amount",
	                        .steps = SWEEP_SCORE | SWEEP_BACKTEST};
	struct sweep fixture = {.rules = "tests/fixtures/backtest/old",
	                        .csv = "tests/fixtures/backtest/leads.csv", .outcome = "Converted",
	                        .value = "Amount", .steps = SWEEP_SCORE | SWEEP_BACKTEST};

  (void)state;
  assert_true(sweep_run(&bundled) >= 10);
  assert_true(sweep_run(&fixture) >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_an_engine_of_other_rules),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_costly_at_exactly_the_base_rate_and_no_lift_without_data),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
