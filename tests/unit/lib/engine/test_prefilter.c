/* SPDX-License-Identifier: MIT */
/* test_prefilter.c - which rules a row has evaluated: exactly those whose
 * filed test holds, those nothing could be filed for, and never fewer than
 * the rules that match. */
#include <stdio.h>

#include "unit.h"
#include "sweep.h"

#include "engine/engine.h"

#define HEADER_COLUMNS 4

static const ls_cell header[HEADER_COLUMNS] = {CELL("industry"), CELL("message"), CELL("email"),
                                               CELL("employees")};

static const char persona[] =
	"{\"id\":\"t\",\"rules\":["
	/* 0 */ "{\"id\":\"list\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\",\"Hospitality\"]}},"
	/* 1 */ "{\"id\":\"needle\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"discount\"}},"
	/* 2 */ "{\"id\":\"suffix\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"email\",\"op\":\"ends_with\",\"value\":\"@gmail.com\"}},"
	/* 3 */ "{\"id\":\"lt\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10}},"
	/* 4 */ "{\"id\":\"gt\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"employees\",\"op\":\"gt\",\"value\":1000}},"
	/* 5 */ "{\"id\":\"any\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"any\":["
	"{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Retail\"},"
	"{\"field\":\"employees\",\"op\":\"lt\",\"value\":5}]}},"
	/* 6 */ "{\"id\":\"not\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"not\":"
	"{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Retail\"}}},"
	/* 7 */ "{\"id\":\"all\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
	"{\"field\":\"message\",\"op\":\"matches\",\"value\":\"^$\"},"
	"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Software\"]}]}},"
	/* 8 */ "{\"id\":\"exact\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"Retail\",\"case_sensitive\":true}},"
	/* 9 */ "{\"id\":\"lte\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"employees\",\"op\":\"lte\",\"value\":10}},"
	/* 10 */ "{\"id\":\"gte\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	"{\"field\":\"employees\",\"op\":\"gte\",\"value\":10}},"
	/* 11 */ "{\"id\":\"both\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
	"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]},"
	"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10}]}}"
	"]}";

/* Scores one row and checks its candidates are exactly `want` (a bit per
 * rule) and include every rule whose condition holds. */
static void check(ls_engine *e, const ls_cell *cells, uint64_t want)
{
	const struct persona *p = &e->rs->personas[0];
	struct eval_ctx ctx = {e->slots, ++e->calls, e->rs->today, false};
	size_t r;

	assert_int_equal(prefilter_words(e->prefilter), 1);
	engine_load_row(e, cells, true);
	assert_true(prefilter_candidates(e->prefilter, &ctx, e->candidates));
	assert_int_equal(e->candidates[0], want);
	for (r = 0; r < p->nrules; r++)
		if (cond_eval(&p->rules[r].when, &ctx) && !(want >> r & 1))
			fail_msg("rule %zu (%s) matches but was not a candidate", r, p->rules[r].id);
}

#define BIT(n) (UINT64_C(1) << (n))
#define ALWAYS (BIT(5) | BIT(6))

static void test_filed_tests(void **state)
{
	ls_ruleset *rs = unit_rules(persona, NULL);
	ls_engine *e = NULL;
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, HEADER_COLUMNS, "test", &err), LS_OK);
	/* A rule that is its filed test matches when it is a candidate; an all
	 * and the unfiled rules are evaluated. */
	assert_int_equal(prefilter_exact(e->prefilter)[0], 0xfff & ~(ALWAYS | BIT(7)));
	/* Folded and trimmed like the leaves: "retail " is in the list, but not
	 * the case-sensitive one; 8 is below 10 and at most 10. */
	check(e, (ls_cell[]){CELL("retail "), CELL("Any DISCOUNT?"), CELL("a@gmail.com"),
	                     CELL("8")},
	      ALWAYS | BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(9) | BIT(11));
	/* The all: filed under its list, not its regex. */
	check(e, (ls_cell[]){CELL("Software"), CELL(""), CELL("x@corp.com"), CELL("5000")},
	      ALWAYS | BIT(4) | BIT(7) | BIT(10));
	/* A blank number satisfies no bound (so not rule 11's either). */
	check(e, (ls_cell[]){CELL("Retail"), CELL("no"), CELL(""), CELL("")},
	      ALWAYS | BIT(0) | BIT(8));
	/* An all of two filed tests needs both: here the list and the bound. */
	check(e, (ls_cell[]){CELL("Retail"), CELL(""), CELL(""), CELL("3")},
	      ALWAYS | BIT(0) | BIT(3) | BIT(8) | BIT(9) | BIT(11));
	/* On the bound: lte and gte hold, lt and gt do not. */
	check(e, (ls_cell[]){CELL("Mining"), CELL("discounts"), CELL("gmail.com"), CELL("10")},
	      ALWAYS | BIT(1) | BIT(9) | BIT(10));
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* An `all` is filed under its two best tests, whatever their order: a list
 * of strings, then a prefix or suffix, then a substring, then a bound (the
 * first of equals); a list holding a number is not filed (a cell "5.0"
 * equals 5). */
static void test_best_two_tests(void **state)
{
	static const char ranked[] =
		"{\"id\":\"t\",\"rules\":["
		/* 0 */ "{\"id\":\"up\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"discount\"},"
		"{\"field\":\"email\",\"op\":\"ends_with\",\"value\":\"@gmail.com\"},"
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]}]}},"
		/* 1 */ "{\"id\":\"down\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]},"
		"{\"field\":\"email\",\"op\":\"ends_with\",\"value\":\"@gmail.com\"},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"discount\"},"
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10}]}},"
		/* 2 */ "{\"id\":\"bounds\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"},"
		"{\"field\":\"employees\",\"op\":\"gt\",\"value\":100},"
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":1000}]}},"
		/* 3 */ "{\"id\":\"numeric\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"x\",5]},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"}]}},"
		/* 4 */ "{\"id\":\"prefix\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"},"
		"{\"field\":\"email\",\"op\":\"starts_with\",\"value\":\"info@\"}]}},"
		/* 5 */ "{\"id\":\"list-last\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"email\",\"op\":\"ends_with\",\"value\":\"@gmail.com\"},"
		"{\"field\":\"message\",\"op\":\"starts_with\",\"value\":\"hi\"},"
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]}]}}"
		"]}";
	ls_ruleset *rs = unit_rules(ranked, NULL);
	ls_engine *e = NULL;
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, HEADER_COLUMNS, "test", &err), LS_OK);
	assert_int_equal(prefilter_exact(e->prefilter)[0], BIT(4));
	check(e, (ls_cell[]){CELL("Retail"), CELL("discount job"), CELL("a@gmail.com"), CELL("500")},
	      BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(5));
	/* The substring holds, the suffix does not: 0 and 1 wait on the suffix. */
	check(e, (ls_cell[]){CELL("Retail"), CELL("discount"), CELL("a@corp.com"), CELL("5")}, 0);
	/* 2 waits on its first bound (gt), 3 on its substring only. */
	check(e, (ls_cell[]){CELL("5.0"), CELL("job"), CELL("info@x.com"), CELL("50")},
	      BIT(3) | BIT(4));
	check(e, (ls_cell[]){CELL("Retail"), CELL("job"), CELL("b@gmail.com"), CELL("2000")},
	      BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(5));
	/* 5: its list and its first suffix are filed, not the prefix after it. */
	check(e, (ls_cell[]){CELL("Mining"), CELL("hi there"), CELL("c@gmail.com"), CELL("1")}, 0);
	check(e, (ls_cell[]){CELL("retail"), CELL("no"), CELL("c@gmail.com"), CELL("1")},
	      BIT(0) | BIT(1) | BIT(5));
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* A substring outranks two bounds before it, and a bound before it. */
static void test_needle_after_bounds(void **state)
{
	static const char rules[] =
		"{\"id\":\"t\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"employees\",\"op\":\"gt\",\"value\":100},"
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":1000},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"}]}},"
		"{\"id\":\"s\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]},"
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"}]}},"
		/* a second test with more values than the first */
		"{\"id\":\"u\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Mining\"]},"
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":[\"w\",\"x\",\"y\",\"z\"]}]}}]}";
	ls_ruleset *rs = unit_rules(rules, NULL);
	ls_engine *e = NULL;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, HEADER_COLUMNS, "test", NULL), LS_OK);
	/* r is filed under the substring and the first bound, s under its list
	 * and the substring: the bounds hold, the substring does not. */
	check(e, (ls_cell[]){CELL("x"), CELL("no"), CELL("x"), CELL("500")}, 0);
	check(e, (ls_cell[]){CELL("x"), CELL("a job"), CELL("x"), CELL("500")}, BIT(0));
	check(e, (ls_cell[]){CELL("Retail"), CELL("no"), CELL("x"), CELL("5")}, 0);
	check(e, (ls_cell[]){CELL("Retail"), CELL("job"), CELL("x"), CELL("50")}, BIT(1));
	check(e, (ls_cell[]){CELL("Mining"), CELL("zz"), CELL("x"), CELL("50")}, BIT(2));
	check(e, (ls_cell[]){CELL("Mining"), CELL("a"), CELL("x"), CELL("50")}, 0);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* Every rule filed under two tests of its own: more tests than rules (a
 * regression: their table was sized by rules and overflowed). */
static void test_two_tests_each(void **state)
{
	static const char two[] =
		"{\"id\":\"t\",\"rules\":["
		"{\"id\":\"a\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"Retail\"]},"
		"{\"field\":\"employees\",\"op\":\"lt\",\"value\":10}]}},"
		"{\"id\":\"b\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"all\":["
		"{\"field\":\"message\",\"op\":\"contains\",\"value\":\"job\"},"
		"{\"field\":\"email\",\"op\":\"ends_with\",\"value\":\".edu\"}]}}]}";
	ls_ruleset *rs = unit_rules(two, NULL);
	ls_engine *e = NULL;
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, HEADER_COLUMNS, "test", &err), LS_OK);
	assert_int_equal(prefilter_exact(e->prefilter)[0], BIT(0) | BIT(1));
	check(e, (ls_cell[]){CELL("Retail"), CELL("a job?"), CELL("x@uni.edu"), CELL("3")},
	      BIT(0) | BIT(1));
	check(e, (ls_cell[]){CELL("Retail"), CELL("a job?"), CELL("x@corp.com"), CELL("30")}, 0);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* More rules than a word holds, filed under one list each. */
static void test_many_rules(void **state)
{
	enum { NRULES = 150 };
	char *json = malloc(NRULES * 120 + 64), *at = json;
	const ls_cell one[] = {CELL("industry")};
	ls_ruleset *rs;
	ls_engine *e = NULL;
	ls_error err = {0};
	ls_result res;
	int i;

	(void)state;
	assert_non_null(json);
	at += sprintf(at, "{\"id\":\"t\",\"rules\":[");
	for (i = 0; i < NRULES; i++)
		at += sprintf(at, "%s{\"id\":\"r%d\",\"reason\":\"r%d\",\"deduct\":1,\"when\":"
		              "{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"v%d\"}}",
		              i ? "," : "", i, i % 100, i % 100);
	sprintf(at, "]}");
	rs = unit_rules(json, NULL);
	assert_int_equal(ls_engine_new(&e, rs, one, 1, "test", &err), LS_OK);
	assert_int_equal(prefilter_words(e->prefilter), 3);
	/* v7 files rules 7 and 107, in different words; scored in order. */
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("V7")}, 1, &res), LS_OK);
	assert_int_equal(res.matched, 2);
	assert_string_equal(res.reasons, "t/r7: r7; t/r107: r7");
	assert_int_equal(e->candidates[0], BIT(7));
	assert_int_equal(e->candidates[1], BIT(107 - 64));
	assert_int_equal(e->candidates[2], 0);
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v100")}, 1, &res), LS_OK);
	assert_int_equal(res.matched, 0);
	/* The rules at the edges of the words: 63, 64; 28 and 128. */
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v63")}, 1, &res), LS_OK);
	assert_string_equal(res.reasons, "t/r63: r63");
	assert_int_equal(e->candidates[0], BIT(63));
	assert_int_equal(e->candidates[1], 0);
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v64")}, 1, &res), LS_OK);
	assert_string_equal(res.reasons, "t/r64: r64");
	assert_int_equal(e->candidates[0], 0);
	assert_int_equal(e->candidates[1], BIT(0));
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v28")}, 1, &res), LS_OK);
	assert_string_equal(res.reasons, "t/r28: r28; t/r128: r28");
	assert_int_equal(e->candidates[0], BIT(28));
	assert_int_equal(e->candidates[1], 0);
	assert_int_equal(e->candidates[2], BIT(0));
	ls_engine_free(e);
	ls_ruleset_free(rs);
	free(json);
}

/* More rules than a word holds, each filed under two tests: the second
 * tests' half of the candidates reaches past its first word too (under
 * ASan, a half sized by one word less overflows). */
static void test_many_rules_two_tests(void **state)
{
	enum { NRULES = 150 };
	char *json = malloc(NRULES * 200 + 64), *at = json;
	const ls_cell two[] = {CELL("industry"), CELL("country")};
	ls_ruleset *rs;
	ls_engine *e = NULL;
	ls_error err = {0};
	ls_result res;
	size_t words;
	int i;

	(void)state;
	assert_non_null(json);
	at += sprintf(at, "{\"id\":\"t\",\"rules\":[");
	for (i = 0; i < NRULES; i++)
		at += sprintf(at, "%s{\"id\":\"r%d\",\"reason\":\"r%d\",\"deduct\":1,\"when\":"
		              "{\"all\":[{\"field\":\"industry\",\"op\":\"eq\",\"value\":\"v%d\"},"
		              "{\"field\":\"country\",\"op\":\"eq\",\"value\":\"c%d\"}]}}",
		              i ? "," : "", i, i, i % 100, i % 100);
	sprintf(at, "]}");
	rs = unit_rules(json, NULL);
	assert_int_equal(ls_engine_new(&e, rs, two, 2, "test", &err), LS_OK);
	words = prefilter_words(e->prefilter);
	assert_int_equal(words, 3);
	/* v7 and c7 file rules 7 and 107 under both tests, in both halves. */
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v7"), CELL("C7")}, 2, &res), LS_OK);
	assert_int_equal(res.matched, 2);
	assert_string_equal(res.reasons, "t/r7: r7; t/r107: r107");
	assert_int_equal(e->candidates[0] | e->candidates[words], BIT(7));
	assert_int_equal(e->candidates[1] | e->candidates[words + 1], BIT(107 - 64));
	/* One test of the two is not enough. */
	assert_int_equal(ls_engine_score(e, (ls_cell[]){CELL("v7"), CELL("c8")}, 2, &res), LS_OK);
	assert_int_equal(res.matched, 0);
	ls_engine_free(e);
	ls_ruleset_free(rs);
	free(json);
}

/* Many bounds on one field, filed out of order: the sorted bounds answer
 * every value exactly as comparing it with each rule's bound would. */
static void test_many_bounds(void **state)
{
	enum { NRULES = 48 };
	static const char *const ops[] = {"lt", "lte", "gt", "gte"};
	char *json = malloc(NRULES * 120 + 64), *at = json;
	const ls_cell one[] = {CELL("employees")};
	double bound[NRULES];
	ls_ruleset *rs;
	ls_engine *e = NULL;
	ls_error err = {0};
	char cell[32];
	int i, v;

	(void)state;
	assert_non_null(json);
	at += sprintf(at, "{\"id\":\"t\",\"rules\":[");
	for (i = 0; i < NRULES; i++) {
		bound[i] = (i * 29) % NRULES / 2.0; /* 0 to 23.5, shuffled, each twice */
		at += sprintf(at, "%s{\"id\":\"r%d\",\"reason\":\"x\",\"deduct\":1,\"when\":"
		              "{\"field\":\"employees\",\"op\":\"%s\",\"value\":%g}}",
		              i ? "," : "", i, ops[i % 4], bound[i]);
	}
	sprintf(at, "]}");
	rs = unit_rules(json, NULL);
	assert_int_equal(ls_engine_new(&e, rs, one, 1, "test", &err), LS_OK);
	for (v = -2; v <= 50; v++) {
		double x = v / 2.0;
		uint64_t want = 0;
		for (i = 0; i < NRULES; i++) {
			bool hold = i % 4 == 0 ? x < bound[i] : i % 4 == 1 ? x <= bound[i]
			          : i % 4 == 2 ? x > bound[i] : x >= bound[i];
			want |= (uint64_t)hold << i;
		}
		snprintf(cell, sizeof(cell), "%g", x);
		check(e, (ls_cell[]){{cell, strlen(cell)}}, want);
	}
	ls_engine_free(e);
	ls_ruleset_free(rs);
	free(json);
}

/* Scoring with the prefilter's tests in place (the bundled personas on the
 * bundled leads, the backtest fixture's rules on its leads), with each
 * allocation failing in turn. */
static void test_allocation_failures(void **state)
{
	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_SCORE};
	struct sweep fixture = {.rules = "tests/fixtures/backtest/new",
	                        .csv = "tests/fixtures/backtest/leads.csv", .steps = SWEEP_SCORE};

  (void)state;
  assert_true(sweep_run(&bundled) >= 10);
  assert_true(sweep_run(&fixture) >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_bounds),
		cmocka_unit_test(test_filed_tests),
		cmocka_unit_test(test_two_tests_each),
		cmocka_unit_test(test_best_two_tests),
		cmocka_unit_test(test_needle_after_bounds),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_many_rules_two_tests),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
