/* SPDX-License-Identifier: MIT */
/* test_lint.c - ls_lint_run: what it must report, and what it must not. */
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "sweep.h"

static char messages[2048]; /* the last lint()'s messages, one per line */

/* Lints one persona (with an optional policy) and returns the codes of the
 * findings, space-separated, in a static buffer. */
static const char *lint(const char *persona, const char *policy, const char *const *header,
                        size_t ncols)
{
	static char codes[512];
	ls_cell cells[8];
	/* By default a threshold every deduction reaches, so that only the
	 * findings under test are reported. */
	ls_ruleset *rs = unit_rules(persona, policy ? policy : "{\"threshold\":99.5}");
	ls_lint *l = NULL;
	ls_error err = {0};
	size_t i;

	for (i = 0; i < ncols; i++)
		cells[i] = (ls_cell){header[i], strlen(header[i])};
	ls_ruleset_set_today(rs, 20414); /* 2025-11-22 */
	assert_int_equal(ls_lint_run(&l, rs, header ? cells : NULL, ncols, "h.csv", &err), LS_OK);
	codes[0] = messages[0] = '\0';
	for (i = 0; i < ls_lint_count(l); i++) {
		const ls_finding *f = ls_lint_get(l, i);
		assert_non_null(f->message);
		strcat(codes, i ? " " : "");
		strcat(codes, f->code);
		assert_true(strlen(messages) + strlen(f->message) + 2 < sizeof(messages));
		strcat(messages, f->message);
		strcat(messages, "\n");
	}
	ls_lint_free(l);
	ls_ruleset_free(rs);
	return codes;
}

#define RULE(id, when) "{\"id\":\"" id "\",\"reason\":\"r\",\"deduct\":10,\"when\":" when "}"
#define PERSONA(rules) "{\"id\":\"p\",\"rules\":[" rules "]}"
#define LEAF(f, op, v) "{\"field\":\"" f "\",\"op\":\"" op "\",\"value\":" v "}"
#define ALL2(a, b) "{\"all\":[" a "," b "]}"

/* Lints rule p/a with condition `when`, beside a rule that can match (so
 * that the persona fires and only findings about p/a are reported). */
static const char *lint_rule(const char *when)
{
	char persona[1024];

	snprintf(persona, sizeof(persona),
	         PERSONA(RULE("ok", LEAF("other", "lt", "1")) "," RULE("a", "%s")), when);
	return lint(persona, NULL, NULL, 0);
}

static void test_satisfiable_ranges_are_quiet(void **state)
{
	(void)state;
	/* 10 <= x <= 20, x == 5 within [0, 10], an "any" of disjoint ranges,
	 * and a "not" (never analysed) are all fine. */
	assert_string_equal(
		lint(PERSONA(RULE("a", ALL2(LEAF("n", "gte", "10"), LEAF("n", "lte", "20"))) ","
		             RULE("b", ALL2(LEAF("n", "eq", "5"), LEAF("n", "between", "[0,10]"))) ","
		             RULE("c", "{\"any\":[" LEAF("n", "lt", "1") "," LEAF("n", "gt", "9") "]}") ","
		             RULE("d", "{\"not\":" ALL2(LEAF("n", "lt", "1"), LEAF("n", "gt", "9")) "}")),
		     NULL, NULL, 0),
		"");
}

static void test_contradictions(void **state)
{
	(void)state;
	/* Exact edges: x >= 10 and x < 10 cannot hold; x >= 10 and x <= 10 can. */
	assert_string_equal(lint(PERSONA(RULE("a", ALL2(LEAF("n", "gte", "10"), LEAF("n", "lt", "10"))) ","
	                                 RULE("b", ALL2(LEAF("n", "gte", "10"), LEAF("n", "lte", "10")))),
	                         NULL, NULL, 0),
	                    "never-matches");
	/* Different fields never conflict. */
	assert_string_equal(lint(PERSONA(RULE("a", ALL2(LEAF("n", "gt", "10"), LEAF("m", "lt", "5")))),
	                         NULL, NULL, 0),
	                    "");
	/* Dates are whole days: after D and before D+1 cannot hold. */
	assert_string_equal(
		lint(PERSONA(RULE("a", ALL2(LEAF("d", "after", "\"2026-01-01\""),
		                            LEAF("d", "before", "\"2026-01-02\""))) ","
		             RULE("b", ALL2(LEAF("d", "after", "\"2026-01-01\""),
		                            LEAF("d", "before", "\"2026-01-03\"")))),
		     NULL, NULL, 0),
		"never-matches");
	/* An "any" whose every member is impossible; one possible member saves it. */
	assert_string_equal(
		lint(PERSONA(RULE("a", "{\"any\":[" LEAF("n", "between", "[5,1]") "," ALL2(LEAF("n", "lt", "1"), LEAF("n", "gt", "2")) "]}") ","
		             RULE("b", "{\"any\":[" LEAF("n", "between", "[5,1]") "," LEAF("n", "gt", "2") "]}")),
		     NULL, NULL, 0),
		"never-matches");
}

/* Two tests in one "all" that no value satisfies, at every edge: strict and
 * inclusive bounds, between, eq, empty, dates (whole days) and ages (today
 * is 2025-11-22), numbers and dates kept apart. */
static void test_contradiction_edges(void **state)
{
	static const struct {
		const char *a, *b;
		bool never;
	} cases[] = {
		{LEAF("n", "lt", "10"), LEAF("n", "gt", "9"), false},
		{LEAF("n", "lt", "10"), LEAF("n", "gte", "10"), true},
		{LEAF("n", "lte", "10"), LEAF("n", "gte", "10"), false},
		{LEAF("n", "lte", "10"), LEAF("n", "gt", "10"), true},
		{LEAF("n", "lt", "10"), LEAF("n", "gt", "10"), true},
		{LEAF("n", "gt", "10"), LEAF("n", "lt", "10"), true},
		{LEAF("n", "between", "[1,5]"), LEAF("n", "gt", "5"), true},
		{LEAF("n", "between", "[1,5]"), LEAF("n", "gte", "5"), false},
		{LEAF("n", "between", "[1,5]"), LEAF("n", "lt", "1"), true},
		{LEAF("n", "between", "[1,5]"), LEAF("n", "lte", "1"), false},
		{LEAF("n", "eq", "5"), LEAF("n", "gt", "5"), true},
		{LEAF("n", "eq", "5"), LEAF("n", "gte", "5"), false},
		{LEAF("n", "eq", "5"), LEAF("n", "lt", "5"), true},
		{LEAF("n", "eq", "5"), LEAF("n", "lte", "5"), false},
		{LEAF("n", "eq", "5"), LEAF("n", "eq", "6"), true},
		{"{\"field\":\"n\",\"op\":\"empty\"}", LEAF("n", "lt", "5"), true},
		/* Text tests are not analysed (eq "x" cannot hold on an empty cell,
		 * but lint does not say so). */
		{"{\"field\":\"n\",\"op\":\"empty\"}", LEAF("n", "eq", "\"x\""), false},
		{"{\"field\":\"n\",\"op\":\"empty\"}", LEAF("n", "ne", "\"x\""), false},
		{"{\"field\":\"n\",\"op\":\"empty\"}", LEAF("n", "before", "\"2026-01-01\""), true},
		{"{\"field\":\"n\",\"op\":\"empty\"}", "{\"field\":\"m\",\"op\":\"not_empty\"}", false},
		/* The tighter of two bounds counts, in either order. */
		{ALL2(LEAF("n", "gte", "10"), LEAF("n", "gt", "10")), LEAF("n", "lte", "10"), true},
		{ALL2(LEAF("n", "gt", "10"), LEAF("n", "gte", "10")), LEAF("n", "lte", "10"), true},
		{ALL2(LEAF("n", "lte", "10"), LEAF("n", "lt", "10")), LEAF("n", "gte", "10"), true},
		{ALL2(LEAF("n", "lt", "10"), LEAF("n", "lte", "10")), LEAF("n", "gte", "10"), true},
		{ALL2(LEAF("n", "lt", "20"), LEAF("n", "lt", "10")), LEAF("n", "gt", "15"), true},
		{ALL2(LEAF("n", "gt", "5"), LEAF("n", "gt", "15")), LEAF("n", "lt", "10"), true},
		{ALL2(LEAF("n", "lte", "20"), LEAF("n", "lte", "10")), LEAF("n", "gte", "15"), true},
		{ALL2(LEAF("n", "gte", "5"), LEAF("n", "gte", "15")), LEAF("n", "lte", "10"), true},
		{ALL2(LEAF("n", "between", "[0,20]"), LEAF("n", "between", "[5,10]")), LEAF("n", "gt", "12"),
		 true},
		{ALL2(LEAF("n", "between", "[0,20]"), LEAF("n", "between", "[5,10]")), LEAF("n", "lt", "3"),
		 true},
		{ALL2(LEAF("d", "before", "\"2026-03-01\""), LEAF("d", "before", "\"2026-01-10\"")),
		 LEAF("d", "after", "\"2026-02-01\""), true},
		{ALL2(LEAF("d", "after", "\"2025-01-01\""), LEAF("d", "after", "\"2026-02-01\"")),
		 LEAF("d", "before", "\"2026-01-10\""), true},
		{ALL2(LEAF("d", "older_than", "\"10d\""), LEAF("d", "older_than", "\"60d\"")),
		 LEAF("d", "newer_than", "\"30d\""), true},
		{ALL2(LEAF("d", "newer_than", "\"60d\""), LEAF("d", "newer_than", "\"10d\"")),
		 LEAF("d", "older_than", "\"30d\""), true},
		/* A bound in a nested "all" on a field first seen there. */
		{LEAF("n", "gt", "5"), "{\"all\":[" LEAF("m", "lt", "1") "," LEAF("n", "lt", "3") "]}", true},
		/* Dates are whole days; ages count back from today. */
		{LEAF("d", "after", "\"2026-01-01\""), LEAF("d", "before", "\"2026-01-03\""), false},
		{LEAF("d", "after", "\"2026-01-01\""), LEAF("d", "before", "\"2026-01-02\""), true},
		{LEAF("d", "older_than", "\"30d\""), LEAF("d", "newer_than", "\"30d\""), true},
		{LEAF("d", "older_than", "\"30d\""), LEAF("d", "newer_than", "\"31d\""), false},
		{LEAF("d", "before", "\"2025-11-01\""), LEAF("d", "newer_than", "\"30d\""), false},
		{LEAF("d", "before", "\"2025-10-23\""), LEAF("d", "newer_than", "\"30d\""), true},
		{LEAF("d", "after", "\"2025-10-22\""), LEAF("d", "older_than", "\"30d\""), true},
		{LEAF("d", "after", "\"2025-10-21\""), LEAF("d", "older_than", "\"30d\""), false},
		/* A number and a date bound on one field are not compared. */
		{LEAF("n", "lt", "10"), LEAF("n", "after", "\"2026-01-01\""), false},
		{LEAF("n", "gt", "100000"), LEAF("n", "before", "\"1970-01-02\""), false},
	};
	char when[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;

		snprintf(when, sizeof(when), "{\"all\":[%s,%s]}", cases[i].a, cases[i].b);
		got = lint_rule(when);
		if (strcmp(got, cases[i].never ? "never-matches" : "") != 0)
			fail_msg("case %zu: \"%s\"", i, got);
	}
}

/* What a finding says about groups: the member that cannot hold, however
 * deep; an "any" of one member is that member; an "any" none of whose
 * members can hold says so, and one that can says nothing (nothing of its
 * impossible members is left in a later message). */
static void test_group_messages(void **state)
{
	static const struct {
		const char *when, *codes, *message;
	} cases[] = {
		{LEAF("n", "between", "[5,5]"), "", ""},
		{ALL2(LEAF("n", "between", "[5,1]"), LEAF("m", "lt", "1")), "between-reversed",
		 "rule p/a can never match: \"n\" between [5,1]: the low end is above the high end\n"},
		{"{\"any\":[" LEAF("n", "between", "[9,1]") "]}", "between-reversed",
		 "rule p/a can never match: \"n\" between [9,1]: the low end is above the high end\n"},
		{"{\"any\":[" ALL2(LEAF("n", "lt", "1"), LEAF("n", "gt", "2")) "]}", "never-matches",
		 "rule p/a can never match: \"n\" gt 2 and \"n\" lt 1 cannot both hold in one \"all\"\n"},
		{"{\"any\":[" ALL2(LEAF("n", "lt", "1"), LEAF("n", "gt", "2")) "," LEAF("n", "between", "[5,1]")
		 "]}", "never-matches",
		 "rule p/a can never match: no alternative of its \"any\" can match\n"},
		{ALL2("{\"any\":[" LEAF("n", "between", "[5,1]") "," LEAF("n", "gt", "0") "]}",
		      LEAF("m", "between", "[9,2]")), "between-reversed",
		 "rule p/a can never match: \"m\" between [9,2]: the low end is above the high end\n"},
		{ALL2("{\"any\":[" LEAF("n", "between", "[5,1]") "," LEAF("n", "between", "[6,2]") "]}",
		      LEAF("m", "lt", "1")), "never-matches",
		 "rule p/a can never match: no alternative of its \"any\" can match\n"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = lint_rule(cases[i].when);

		if (strcmp(got, cases[i].codes) != 0 || strcmp(messages, cases[i].message) != 0)
			fail_msg("case %zu: \"%s\" \"%s\"", i, got, messages);
	}
}

static void test_persona_and_threshold(void **state)
{
	(void)state;
	/* The only rule cannot match: the persona never fires, and with nothing
	 * deductible the threshold is not reported (there is nothing to reach). */
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "between", "[9,1]"))), NULL, NULL, 0),
	                    "between-reversed persona-never-fires");
	assert_non_null(strstr(messages, "persona p never fires: none of its 1 rule can match\n"));
	/* At the edges (equal is kept): a base equal to the threshold keeps a
	 * lead no rule matches; a lowest score equal to it is never below. */
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1"))),
	                         "{\"base\":50,\"threshold\":50}", NULL, 0),
	                    "");
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1"))), "{\"threshold\":90}", NULL, 0),
	                    "threshold-unreachable");
	/* base 100, threshold 95, one 10-point rule: reachable. Threshold 85:
	 * the lowest score is 90, never below 85. */
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1"))), "{\"threshold\":95}", NULL, 0),
	                    "");
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1"))), "{\"threshold\":85}", NULL, 0),
	                    "threshold-unreachable");
	/* A cap counts: two 10-point rules capped at 5 reach 95 at the lowest. */
	assert_string_equal(lint("{\"id\":\"p\",\"max_deduct\":5,\"rules\":[" RULE("a", LEAF("n", "lt", "1")) ","
	                         RULE("b", LEAF("n", "gt", "1")) "]}",
	                         "{\"threshold\":92}", NULL, 0),
	                    "threshold-unreachable");
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1"))), "{\"base\":40}", NULL, 0),
	                    "threshold-always");
}

static void test_identical_conditions(void **state)
{
	(void)state;
	/* Case is ignored unless the leaf is case-sensitive; member order of
	 * all/any does not matter. */
	assert_string_equal(
		lint(PERSONA(RULE("a", ALL2(LEAF("i", "eq", "\"Retail\""), LEAF("n", "lt", "5"))) ","
		             RULE("b", ALL2(LEAF("n", "lt", "5"), LEAF("i", "eq", "\"RETAIL\"")))),
		     NULL, NULL, 0),
		"identical-rules");
	assert_string_equal(
		lint(PERSONA(RULE("a", "{\"field\":\"i\",\"op\":\"eq\",\"value\":\"A\",\"case_sensitive\":true}") ","
		             RULE("b", "{\"field\":\"i\",\"op\":\"eq\",\"value\":\"a\",\"case_sensitive\":true}")),
		     NULL, NULL, 0),
		"");
	/* A one-member "all" or "any" is its member; a "not" is not. */
	assert_string_equal(
		lint(PERSONA(RULE("a", LEAF("n", "lt", "5")) ","
		             RULE("b", "{\"any\":[" LEAF("n", "lt", "5") "]}")),
		     NULL, NULL, 0),
		"identical-rules");
	assert_string_equal(
		lint(PERSONA(RULE("a", LEAF("n", "lt", "5")) ","
		             RULE("b", "{\"not\":" LEAF("n", "gte", "5") "}")),
		     NULL, NULL, 0),
		"");
	/* Every member counts: the first ones too. */
	assert_string_equal(
		lint(PERSONA(RULE("a", ALL2(LEAF("n", "lt", "5"), LEAF("m", "lt", "5"))) ","
		             RULE("b", ALL2(LEAF("q", "lt", "5"), LEAF("m", "lt", "5")))),
		     NULL, NULL, 0),
		"");
	/* "all" and "any" of the same members differ. */
	assert_string_equal(
		lint(PERSONA(RULE("a", ALL2(LEAF("n", "lt", "5"), LEAF("m", "lt", "5"))) ","
		             RULE("b", "{\"any\":[" LEAF("n", "lt", "5") "," LEAF("m", "lt", "5") "]}")),
		     NULL, NULL, 0),
		"");
}

/* Each rule of a group of identical ones is named with the group's first
 * rule; the first's file is named when it is another persona's, whatever
 * order the files were given in. */
static void test_identical_messages(void **state)
{
	static const char *const want[] = {
		"rule p/b has the same condition as rule p/a; a lead matching one matches both",
		"rule p/c has the same condition as rule p/a; a lead matching one matches both",
	};
	ls_ruleset *rs = unit_rules(PERSONA(RULE("a", LEAF("n", "lt", "5")) ","
	                                    RULE("b", LEAF("n", "lt", "5")) ","
	                                    RULE("c", LEAF("n", "lt", "5"))),
	                            "{\"threshold\":99.5}");
	char dir[] = "/tmp/leadsift-lint-XXXXXX", q[64], p[64], expect[256];
	const char *paths[2] = {q, p};
	ls_lint *l = NULL;
	FILE *f;
	size_t i;

	(void)state;
	assert_int_equal(ls_lint_run(&l, rs, NULL, 0, NULL, NULL), LS_OK);
	assert_int_equal(ls_lint_count(l), 2);
	for (i = 0; i < 2; i++)
		assert_string_equal(ls_lint_get(l, i)->message, want[i]);
	ls_lint_free(l);
	ls_ruleset_free(rs);

	/* q.json first: its name sorts after p.json's. */
	assert_non_null(mkdtemp(dir));
	snprintf(q, sizeof(q), "%s/q.json", dir);
	snprintf(p, sizeof(p), "%s/p.json", dir);
	for (i = 0; i < 2; i++) {
		assert_non_null(f = fopen(paths[i], "w"));
		fprintf(f, "{\"id\":\"%c\",\"rules\":[" RULE("r", LEAF("n", "lt", "5")) "]}",
		        i ? 'p' : 'q');
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(ls_ruleset_load(&rs, paths, 2, NULL), LS_OK);
	assert_int_equal(ls_lint_run(&l, rs, NULL, 0, NULL, NULL), LS_OK);
	assert_int_equal(ls_lint_count(l), 2); /* and threshold-unreachable (no policy) */
	snprintf(expect, sizeof(expect), "rule p/r has the same condition as rule q/r in %s; a lead "
	         "matching one matches both", q);
	assert_string_equal(ls_lint_get(l, 0)->message, expect);
	ls_lint_free(l);
	ls_ruleset_free(rs);
	unlink(q);
	unlink(p);
	rmdir(dir);
}

/* Linting, each allocation failing in turn: rules held in memory (a nested
 * "all" on a field it brings, a group of identical rules) and the lint
 * fixture on a day its allow entry has expired. */
struct lint_case {
	ls_ruleset *rs;
	uint64_t want;
};

static ls_status lint_case(void *arg)
{
	struct lint_case *c = arg;
	ls_lint *l = (ls_lint *)c; /* a failed run must leave NULL here */
	ls_error err = {0};
	ls_status st = ls_lint_run(&l, c->rs, NULL, 0, NULL, &err);
	uint64_t h = UNIT_FNV_START;
	size_t i;

	if (st != LS_OK && l != NULL)
		return UNIT_WRONG;

	for (i = 0; st == LS_OK && i < ls_lint_count(l); i++) {
		h = unit_fnv_str(h, ls_lint_get(l, i)->code);
		h = unit_fnv_str(h, ls_lint_get(l, i)->message);
	}
	ls_lint_free(l);
	ls_error_clear(&err);
	return unit_same_answer(st, h, &c->want);
}

static void test_allocation_failures_in_memory(void **state)
{
	struct lint_case c = {unit_rules(PERSONA(
		RULE("a", "{\"all\":[" LEAF("n", "gt", "5") ",{\"all\":[" LEAF("m", "lt", "1") ","
		          LEAF("n", "lt", "3") "]}]}") ","
		RULE("b", LEAF("k", "lt", "5")) "," RULE("c", LEAF("k", "lt", "5")) ","
		RULE("d", LEAF("k", "lt", "5"))), "{\"threshold\":99.5}"), 0};

	struct lint_case fixture = {NULL, 0};
	static const char *const dir = "tests/fixtures/lint";

	(void)state;
	assert_int_equal(lint_case(&c), LS_OK);
	assert_true(unit_alloc_sweep(lint_case, &c) >= 5);
	ls_ruleset_free(c.rs);
	assert_int_equal(ls_ruleset_load(&fixture.rs, &dir, 1, NULL), LS_OK);
	ls_ruleset_set_today(fixture.rs, 20779); /* 2026-11-22 */
	assert_int_equal(lint_case(&fixture), LS_OK);
	assert_true(unit_alloc_sweep(lint_case, &fixture) >= 12);
	ls_ruleset_free(fixture.rs);
}

static void test_header_fields(void **state)
{
	static const char *const header[] = {"N", "M 1", "M-1"};
	(void)state;
	/* n is found ignoring case; m1 is ambiguous; z is missing. */
	assert_string_equal(lint(PERSONA(RULE("a", LEAF("n", "lt", "1")) "," RULE("b", LEAF("m1", "lt", "1"))
	                                 "," RULE("c", LEAF("z", "lt", "1"))),
	                         NULL, header, 3),
	                    "ambiguous-field missing-field");
}

/* Each finding says which file it concerns, whether it is an error, and
 * why: the header's are errors naming the CSV; a rule's a warning naming its
 * persona file. */
static void test_finding_fields(void **state)
{
	static const char *const header[] = {"N", "M 1", "M-1"};
	ls_cell cells[3];
	ls_ruleset *rs = unit_rules(PERSONA(RULE("a", LEAF("z", "lt", "1")) ","
	                                    RULE("b", ALL2(LEAF("n", "gt", "5"), LEAF("n", "lt", "2")))),
	                            "{\"threshold\":99.5}");
	ls_lint *l = NULL;
	const ls_finding *f;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		cells[i] = (ls_cell){header[i], strlen(header[i])};
	assert_int_equal(ls_lint_run(&l, rs, cells, 3, "h.csv", NULL), LS_OK);
	assert_int_equal(ls_lint_count(l), 2);
	f = ls_lint_get(l, 0);
	assert_string_equal(f->code, "missing-field");
	assert_true(f->error);
	assert_string_equal(f->file, "h.csv");
	assert_non_null(strstr(f->message, "field \"z\""));
	f = ls_lint_get(l, 1);
	assert_string_equal(f->code, "never-matches");
	assert_false(f->error);
	assert_string_equal(f->file, "test.json");
	assert_string_equal(f->message, "rule p/b can never match: \"n\" gt 5 and \"n\" lt 2 cannot "
	                                "both hold in one \"all\"");
	ls_lint_free(l);
	ls_ruleset_free(rs);
}

/* Every finding on the lint fixture, word for word, in order: as the golden
 * case check-lint expects them from the command (its file, worked out by
 * hand, is read here; the command prefixes paths with the checkout, TOP). */
static void test_lint_fixture_word_for_word(void **state)
{
	static const char *const dir = "tests/fixtures/lint";
	FILE *golden = fopen("tests/cli/cases/check/check-lint/stderr", "r");
	ls_ruleset *rs = NULL;
	ls_lint *l = NULL;
	char want[1024], got[1024];
	size_t i;

	(void)state;
	assert_non_null(golden);
	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, NULL), LS_OK);
	ls_ruleset_set_today(rs, 20779); /* 2026-11-22 */
	assert_int_equal(ls_lint_run(&l, rs, NULL, 0, NULL, NULL), LS_OK);
	for (i = 0; i < ls_lint_count(l); i++) {
		const ls_finding *f = ls_lint_get(l, i);
		char *p;

		assert_non_null(fgets(want, sizeof(want), golden));
		want[strcspn(want, "\n")] = '\0';
		snprintf(got, sizeof(got), "TOP/%s: %s: %s [%s]", f->file, f->error ? "error" : "warning",
		         f->message, f->code);
		/* Paths inside messages are the command's too. */
		while ((p = strstr(want + 1, "TOP/")) != NULL)
			memmove(p, p + 4, strlen(p + 4) + 1);
		assert_string_equal(got, want);
	}
	assert_non_null(fgets(want, sizeof(want), golden));
	assert_string_equal(want, "leadsift check: 12 warnings, 0 errors\n");
	assert_int_equal(ls_lint_count(l), 12);
	fclose(golden);
	ls_lint_free(l);
	ls_ruleset_free(rs);
}

/* Linting the lint fixture against its header (every kind of finding) and
 * the bundled personas against the bundled leads, with each allocation
 * failing in turn. */
static void test_allocation_failures(void **state)
{
	struct sweep fixture = {.rules = "tests/fixtures/lint",
	                        .csv = "tests/fixtures/lint/header.csv", .steps = SWEEP_LINT};
	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_LINT};

  (void)state;
  assert_true(sweep_run(&fixture) >= 10);
  assert_true(sweep_run(&bundled) >= 10);
}

/* A value with blanks around it, in a rule or an allow-list entry, compared
 * as equal or not: a warning, for the first such value of each. Blanks
 * inside, and operators that look inside a cell, are fine. */
static void test_value_blanks(void **state)
{
	ls_ruleset *rs = unit_rules(
		"{\"id\":\"p\",\"rules\":["
		"{\"id\":\"eq\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"t\",\"op\":\"eq\",\"value\":\"student \"}},"
		"{\"id\":\"in\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"any\":["
		" {\"field\":\"t\",\"op\":\"in\",\"value\":[\"a b\",\"\\tc\",\" d\"]}]}},"
		"{\"id\":\"not\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"not\":"
		" {\"field\":\"t\",\"op\":\"ne\",\"value\":\"x \"}}},"
		"{\"id\":\"inside\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"t\",\"op\":\"contains\",\"value\":\" inc\"}},"
		"{\"id\":\"ok\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"t\",\"op\":\"not_in\",\"value\":[\"a b\"]}}]}",
		NULL);
	static const char *const want[] = {
		"rule p/eq compares \"t\" with \"student \", a value with blanks around it",
		"rule p/in compares \"t\" with [\"a b\",\"\\tc\",\" d\"], a value with blanks",
		"rule p/not compares \"t\" with \"x \", a value"};
	ls_lint *l = NULL;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(ls_lint_run(&l, rs, NULL, 0, NULL, NULL), LS_OK);
	for (i = 0; i < ls_lint_count(l); i++) {
		const ls_finding *f = ls_lint_get(l, i);
		if (strcmp(f->code, "value-blanks") != 0)
			continue;
		assert_true(n < 3);
		assert_false(f->error);
		assert_string_equal(f->file, "test.json");
		if (strncmp(f->message, want[n], strlen(want[n])) != 0)
			fail_msg("finding %zu: %s", n, f->message);
		n++;
	}
	assert_int_equal(n, 3);
	ls_lint_free(l);
	ls_ruleset_free(rs);
}

/* The policy's require is linted like a rule's condition, before the
 * rules; a require field the header lacks is a missing field. */
static void test_require(void **state)
{
	static const char *const header[] = {"t"};
	const char *persona = PERSONA(RULE("ok", LEAF("t", "eq", "\"x\"")));

	(void)state;
	assert_string_equal(
		lint(persona, "{\"threshold\":99.5,\"require\":" LEAF("id", "eq", "\" 00Q\"") "}",
		     NULL, 0),
		"value-blanks");
	assert_non_null(strstr(messages, "condition policy/require compares \"id\" with \" 00Q\""));
	assert_string_equal(lint(persona,
	                         "{\"threshold\":99.5,\"require\":" ALL2(LEAF("n", "gt", "10"),
	                                                                      LEAF("n", "lt", "5")) "}",
	                         NULL, 0),
	                    "never-matches");
	assert_non_null(strstr(messages, "condition policy/require can never match"));
	assert_string_equal(
		lint(persona, "{\"threshold\":99.5,\"require\":" LEAF("id", "matches", "\"^00Q\"") "}",
		     header, 1),
		"missing-field");
	assert_non_null(strstr(messages, "field \"id\" (used by policy require in policy.json)"));
}

/* A value that is one of the field's missing values never equals a cell:
 * such cells read as empty. The field's own list counts, not the policy's. */
static void test_value_missing(void **state)
{
	ls_ruleset *rs = unit_rules(
		"{\"id\":\"p\",\"rules\":["
		"{\"id\":\"a\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"t\",\"op\":\"in\",\"value\":[\"CEO\",\"n/a\"]}},"
		"{\"id\":\"b\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"s\",\"op\":\"eq\",\"value\":\"N/A\"}},"
		"{\"id\":\"c\",\"reason\":\"x\",\"deduct\":1,"
		" \"when\":{\"field\":\"s\",\"op\":\"eq\",\"value\":\"Unknown\"}}]}",
		"{\"missing_values\":[\"N/A\"],\"fields\":{\"s\":{\"missing_values\":[\"unknown\"]}}}");
	ls_lint *l = NULL;
	size_t i, n = 0;

	(void)state;
	assert_int_equal(ls_lint_run(&l, rs, NULL, 0, NULL, NULL), LS_OK);
	for (i = 0; i < ls_lint_count(l); i++) {
		const ls_finding *f = ls_lint_get(l, i);
		if (strcmp(f->code, "value-missing") != 0)
			continue;
		assert_true(n < 2);
		if (strncmp(f->message, n == 0 ? "rule p/a compares \"t\" with [\"CEO\",\"n/a\"]"
		                                : "rule p/c compares \"s\" with \"Unknown\"", 30) != 0)
			fail_msg("finding %zu: %s", n, f->message);
		n++;
	}
	assert_int_equal(n, 2);
	ls_lint_free(l);
	ls_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_blanks),
		cmocka_unit_test(test_value_missing),
		cmocka_unit_test(test_require),
		cmocka_unit_test(test_satisfiable_ranges_are_quiet),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_contradiction_edges),
		cmocka_unit_test(test_group_messages),
		cmocka_unit_test(test_persona_and_threshold),
		cmocka_unit_test(test_identical_conditions),
		cmocka_unit_test(test_identical_messages),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_finding_fields),
		cmocka_unit_test(test_lint_fixture_word_for_word),
		cmocka_unit_test(test_allocation_failures),
		cmocka_unit_test(test_allocation_failures_in_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
