/* SPDX-License-Identifier: MIT */
/* test_rules.c - loading and validating personas and policies. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static const char *const POLICY =
	"{\"base\": 80, \"threshold\": 40.5, \"fields\": {\"employees\": [\"Company size\"]}}";

static const char *const PERSONA =
	"{ \"$schema\": \"x\", \"$comment\": \"c\", \"id\": \"p-1\", \"name\": \"P\",\n"
	"  \"description\": \"d\", \"version\": \"1\", \"max_deduct\": 30,\n"
	"  \"rules\": [\n"
	"    { \"id\": \"a\", \"reason\": \"ra\", \"deduct\": 12.5,\n"
	"      \"when\": { \"field\": \"employees\", \"op\": \"lt\", \"value\": 10 } },\n"
	"    { \"id\": \"b_2\", \"reason\": \"rb\", \"disqualify\": true,\n"
	"      \"when\": { \"any\": [ { \"field\": \"x\", \"op\": \"empty\" } ] } }\n"
	"  ] }";

static void test_loads_persona_and_policy(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, POLICY);

	(void)state;
	assert_int_equal(ls_ruleset_base(rs), 80 * LS_FIXED_ONE);
	assert_int_equal(ls_ruleset_threshold(rs), 40500000);
	assert_int_equal(ls_ruleset_persona_count(rs), 1);
	assert_string_equal(ls_ruleset_persona_id(rs, 0), "p-1");
	assert_int_equal(ls_ruleset_rule_count(rs, 0), 2);
	assert_string_equal(ls_ruleset_rule_id(rs, 0, 1), "b_2");
	assert_int_equal(strlen(ls_ruleset_fingerprint(rs)), 64);
	ls_ruleset_set_threshold(rs, 0);
	assert_int_equal(ls_ruleset_threshold(rs), 0);
	ls_ruleset_free(rs);
}

/* base and threshold may be negative (a deduction or a cap may not). */
static void test_negative_base_and_threshold(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, "{\"base\": -10, \"threshold\": -20.5}");

	(void)state;
	assert_int_equal(ls_ruleset_base(rs), -10 * LS_FIXED_ONE);
	assert_int_equal(ls_ruleset_threshold(rs), -20500000);
	ls_ruleset_free(rs);
}

static void test_defaults_without_policy(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, NULL);

	(void)state;
	assert_int_equal(ls_ruleset_base(rs), 100 * LS_FIXED_ONE);
	assert_int_equal(ls_ruleset_threshold(rs), 50 * LS_FIXED_ONE);
	ls_ruleset_free(rs);
}

static void test_fingerprint_ignores_layout_not_content(void **state)
{
	const char *a = "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":5,"
	                "\"when\":{\"field\":\"f\",\"op\":\"empty\"}}]}";
	const char *b = "{ \"rules\": [ { \"when\": { \"op\": \"empty\", \"field\": \"f\" },\n"
	                "  \"deduct\": 5.0, \"reason\": \"x\", \"id\": \"r\" } ],\n"
	                "  \"$comment\": \"layout and comments do not count\", \"id\": \"p\" }";
	const char *c = "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":6,"
	                "\"when\":{\"field\":\"f\",\"op\":\"empty\"}}]}";
	ls_ruleset *ra = unit_rules(a, NULL), *rb = unit_rules(b, NULL), *rc = unit_rules(c, NULL);
	ls_ruleset *rd = unit_rules(a, "{\"threshold\": 60}");

	(void)state;
	assert_string_equal(ls_ruleset_fingerprint(ra), ls_ruleset_fingerprint(rb));
	assert_string_not_equal(ls_ruleset_fingerprint(ra), ls_ruleset_fingerprint(rc));
	assert_string_not_equal(ls_ruleset_fingerprint(ra), ls_ruleset_fingerprint(rd));
	ls_ruleset_free(ra);
	ls_ruleset_free(rb);
	ls_ruleset_free(rc);
	ls_ruleset_free(rd);
}

struct bad_case {
	const char *json;
	ls_status status;
	unsigned long line, column;
	const char *message;
};

static void test_errors_name_path_line_and_column(void **state)
{
	static const struct bad_case cases[] = {
		{"{\"id\":\"p\",\n \"rules\": [\n  {\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,\n"
		 "   \"when\":{\"field\":\"a\",\"op\":\"greater\",\"value\":1}}]}",
		 LS_ERR_RULES, 4, 29,
		 "rules[0].when.op: unknown operator \"greater\"; expected one of eq, ne, in, "
		 "not_in, contains, not_contains, starts_with, ends_with, matches, lt, lte, gt, gte, "
		 "between, empty, not_empty, before, after, older_than, newer_than"},
		{"{\"id\":\"p\",\"rules\":[]}", LS_ERR_RULES, 1, 19,
		 "rules: expected a non-empty list of rules"},
		{"{\"id\":\"p\"}", LS_ERR_RULES, 1, 1, "(top level): a persona needs \"rules\""},
		{"[1]", LS_ERR_RULES, 1, 1, "(top level): expected a persona object"},
		{"{\"id\":\"p\",\"id\":\"q\",\"rules\":[]}", LS_ERR_RULES, 1, 2,
		 "id: duplicate key \"id\""},
		{"{\"id\":\"p\",\n\"rules\":[{\"id\":\"r\",\"reason\":\"\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		 LS_ERR_RULES, 2, 29, "rules[0].reason: expected a non-empty string"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":-1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		 LS_ERR_RULES, 1, 52, "rules[0].deduct: must not be negative"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"empty\",\"value\":1}}]}",
		 LS_ERR_RULES, 1, 87, "rules[0].when.value: \"empty\" takes no value"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"in\",\"value\":\"x\"}}]}",
		 LS_ERR_RULES, 1, 92, "rules[0].when.value: \"in\" takes a list of values"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"between\",\"value\":[1]}}]}",
		 LS_ERR_RULES, 1, 97, "rules[0].when.value: \"between\" takes a list [low, high]"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"eq\"}}]}",
		 LS_ERR_RULES, 1, 61, "rules[0].when: \"eq\" needs \"value\""},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"all\":[{\"field\":\"a\",\"op\":\"empty\"}],\"any\":[]}}]}",
		 LS_ERR_RULES, 1, 61,
		 "rules[0].when: use one of \"all\", \"any\" and \"not\" per condition; nest them to "
		 "combine"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"matches\",\"value\":\"[\"}}]}",
		 LS_ERR_RULES, 1, 97, NULL},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"fields\":\"a\"}}]}",
		 LS_ERR_RULES, 1, 62,
		 "rules[0].when.fields: unknown key \"fields\"; expected one of all, any, not"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"eq\",\"value\":true}}]}",
		 LS_ERR_RULES, 1, 92, "rules[0].when.value: \"eq\" takes a string or a number"},
		{"{\"id\":\"p\" \"rules\":[]}", LS_ERR_JSON, 1, 11, "invalid JSON: unexpected '\"'"},
		{"{\"id\":\"p\",\n\"rules\":[", LS_ERR_JSON, 2, 10,
		 "invalid JSON: unexpected end of file"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_error err = {0};
		ls_status st = unit_rules_fail(cases[i].json, NULL, &err);
		if (st != cases[i].status || err.line != cases[i].line ||
		    err.column != cases[i].column ||
		    (cases[i].message && strcmp(err.message, cases[i].message) != 0))
			fail_msg("case %zu: got %d at %lu:%lu \"%s\"", i, st, err.line, err.column,
			         err.message);
		assert_string_equal(err.file, "test.json");
		ls_error_clear(&err);
	}
}

/* Each shape the loader refuses, with the JSON path and message it gives,
 * and the place it points at: the first occurrence of the third string. */
static void test_refusals_name_the_path(void **state)
{
#define RULE(when) "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1," \
	           "\"when\":" when "}]}"
	static const char *const cases[][3] = {
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"deduct\":1,\"when\":{\"field\":\"a\","
		 "\"op\":\"empty\"}}]}",
		 "rules[0]: a rule needs a \"reason\"", "{\"id\":\"r\""},
		{"{\"id\":\"p\",\"name\":7,\"rules\":[]}", "name: expected a string", "7"},
		{"{\"id\":\"p\",\"description\":[],\"rules\":[]}", "description: expected a string", "[]"},
		{"{\"id\":\"p\",\"version\":2,\"rules\":[]}", "version: expected a string", "2,"},
		{"{\"id\":\"p\",\"rules\":[3]}", "rules[0]: expected a rule object", "3"},
		{"{\"id\":\"p\",\"rules\":[{\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"a\","
		 "\"op\":\"empty\"}}]}",
		 "rules[0]: a rule needs an \"id\"", "{\"reason\""},
		{"{\"rules\":[]}", "(top level): a persona needs an \"id\"", "{"},
		{"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"disqualify\":1,"
		 "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		 "rules[0].disqualify: expected true or false", "1,"},
		{RULE("{\"op\":\"empty\"}"), "rules[0].when: a condition needs \"field\"",
		 "{\"op\""},
		{RULE("{\"field\":\"a\"}"), "rules[0].when: a condition needs \"op\"",
		 "{\"field\""},
		{RULE("{\"field\":\"a\",\"op\":5}"), "rules[0].when.op: expected a string", "5}"},
		{RULE("{\"field\":\"\",\"op\":\"empty\"}"),
		 "rules[0].when.field: expected a non-empty string", "\"\","},
		{RULE("{\"field\":\"a\",\"op\":\"eq\",\"value\":\"x\",\"case_sensitive\":1}"),
		 "rules[0].when.case_sensitive: expected true or false", "1}"},
		{RULE("{\"all\":{\"field\":\"a\",\"op\":\"empty\"}}"),
		 "rules[0].when.all: \"all\" takes a list of conditions", "{\"field\""},
		{RULE("{\"field\":\"a\",\"op\":\"in\",\"value\":[\"x\",true]}"),
		 "rules[0].when.value[1]: expected a string or a number", "true"},
		{RULE("{\"field\":\"a\",\"op\":\"contains\",\"value\":[\"x\",2]}"),
		 "rules[0].when.value[1]: expected a string", "2]"},
		{RULE("{\"field\":\"a\",\"op\":\"eq\",\"value\":1,\"case_sensitive\":true}"),
		 "rules[0].when.case_sensitive: \"case_sensitive\" has no effect on a numeric comparison",
		 "\"case_sensitive\""},
		{RULE("{\"field\":\"a\",\"op\":\"empty\",\"case_sensitive\":true}"),
		 "rules[0].when.case_sensitive: \"case_sensitive\" has no effect on \"empty\"",
		 "\"case_sensitive\""},
		{RULE("{\"field\":\"a\",\"op\":\"between\",\"value\":[1,\"x\"]}"),
		 "rules[0].when.value[1]: expected a number", "\"x\"]"},
		{RULE("{\"field\":\"a\",\"op\":\"between\",\"value\":[\"x\",2]}"),
		 "rules[0].when.value[0]: expected a number", "\"x\",2"},
		{RULE("{\"field\":\"a\",\"op\":\"in\",\"value\":[\"x\",1e999]}"),
		 "rules[0].when.value[1]: number out of range", "1e999"},
		{RULE("{\"field\":\"a\",\"op\":\"before\",\"value\":20260101}"),
		 "rules[0].when.value: \"before\" takes a date as \"YYYY-MM-DD\"", "20260101"},
		{RULE("{\"field\":\"a\",\"op\":\"after\",\"value\":\"2026-13-01\"}"),
		 "rules[0].when.value: \"after\" takes a date as \"YYYY-MM-DD\"", "\"2026-13-01\""},
		{RULE("{\"field\":\"a\",\"op\":\"older_than\",\"value\":90}"),
		 "rules[0].when.value: \"older_than\" takes an age such as \"90d\", \"2w\", \"6m\" or "
		 "\"1y\"",
		 "90}"},
		{RULE("{\"field\":\"a\",\"op\":\"newer_than\",\"value\":\"90x\"}"),
		 "rules[0].when.value: \"newer_than\" takes an age such as \"90d\", \"2w\", \"6m\" or "
		 "\"1y\"",
		 "\"90x\""},
		{RULE("{\"field\":\"a\",\"op\":\"empty\",\"valeu\":1}"),
		 "rules[0].when.valeu: unknown key \"valeu\"; expected one of field, op, value, "
		 "value_file, "
		 "case_sensitive",
		 "\"valeu\""},
		{RULE("{\"field\":\"a\",\"op\":\"contains\",\"value\":true}"),
		 "rules[0].when.value: \"contains\" takes a string or a list of strings", "true"},
		{RULE("{\"field\":\"a\",\"op\":\"in\",\"value\":null}"),
		 "rules[0].when.value: \"in\" takes a list of values", "null"},
		{RULE("5"), "rules[0].when: expected a condition object", "5}"},
		{RULE("{}"),
		 "rules[0].when: expected \"all\", \"any\", \"not\" or a leaf with \"field\" and \"op\"",
		 "{}"},
		{RULE("{\"any\":[]}"), "rules[0].when.any: \"any\" needs at least one condition", "[]"},
		{RULE("{\"all\":[{\"field\":\"a\",\"op\":\"empty\"}],\"x\":1}"),
		 "rules[0].when.x: unknown key \"x\"; expected one of all, any, not", "\"x\":1"},
		{RULE("{\"not\":{\"field\":\"a\"}}"), "rules[0].when.not: a condition needs \"op\"",
		 "{\"field\":\"a\"}}"},
		{RULE("{\"field\":\"a\",\"op\":\"lt\",\"value\":1e999}"),
		 "rules[0].when.value: number out of range", "1e999"},
		{RULE("{\"field\":\"a\",\"op\":\"in\",\"value\":[]}"),
		 "rules[0].when.value: \"in\" needs at least one value", "[]"},
		{RULE("{\"field\":\"a\",\"op\":\"contains\",\"value\":5}"),
		 "rules[0].when.value: \"contains\" takes a string or a list of strings", "5}"},
		{RULE("{\"field\":\"a\",\"op\":\"matches\",\"value\":[\"b\",\"a++\"]}"),
		 "rules[0].when.value[1]: regular expression \"a++\": a repetition of a repetition "
		 "(such as \"a++\" or \"a*{2}\")",
		 "\"a++\""},
	};
#undef RULE
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_error err = {0};
		unsigned long column = (unsigned long)(strstr(cases[i][0], cases[i][2]) - cases[i][0]) + 1;
		if (unit_rules_fail(cases[i][0], NULL, &err) != LS_ERR_RULES ||
		    strcmp(err.message, cases[i][1]) != 0 || err.line != 1 || err.column != column)
			fail_msg("case %zu: %lu:%lu \"%s\", want 1:%lu", i, err.line, err.column,
			         err.message, column);
		ls_error_clear(&err);
	}
}

static void test_policy_errors(void **state)
{
	static const char *const bad[][2] = {
		{"{\"base\": \"100\"}", "base: expected a number"},
		{"{\"threshold\": 1e12}", NULL},
		{"{\"fields\": {\"employees\": []}}", NULL},
		{"{\"fields\": {\"employees\": [\"\"]}}", "fields.employees[0]: expected a non-empty header name"},
		{"{\"fields\": {\"employees\": [\"Staff\", 5]}}",
		 "fields.employees[1]: expected a non-empty header name"},
		{"{\"fields\": {\"employees\": 5}}", NULL},
		{"{\"fields\": {\"\": \"x\"}}", NULL},
		{"{\"fields\": []}", NULL},
		{"{\"limit\": 3}", NULL},
		{"{\"date_format\": \"DD-MM-YY\"}", NULL},
		{"[]", "(top level): expected a policy object"},
		{"{\"missing_values\": \"N/A\"}", "missing_values: expected a list of strings"},
		{"{\"missing_values\": [\"N/A\", 3]}", "missing_values[1]: expected a string"},
		{"{\"missing_values\": [\"N/A\", \" \\t \"]}",
		 "missing_values[1]: a missing value must not be blank (a blank cell is empty already)"},
		{"{\"fields\": {\"size\": {}}}",
		 "fields.size: expected \"aliases\", \"missing_values\" or both"},
		{"{\"fields\": {\"size\": {\"alias\": \"Staff\"}}}", NULL},
		{"{\"fields\": {\"size\": {\"aliases\": []}}}",
		 "fields.size.aliases: expected a header name or a non-empty list of them"},
		{"{\"fields\": {\"size\": {\"missing_values\": [\"\"]}}}",
		 "fields.size.missing_values[0]: a missing value must not be blank (a blank cell is "
		 "empty already)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ls_error err = {0};
		assert_int_equal(unit_rules_fail(PERSONA, bad[i][0], &err), LS_ERR_RULES);
		assert_string_equal(err.file, "policy.json");
		if (bad[i][1] != NULL && strcmp(err.message, bad[i][1]) != 0)
			fail_msg("policy %zu: \"%s\"", i, err.message);
		ls_error_clear(&err);
	}
}

/* Loads a persona whose one rule matches `pattern`: accepted, or refused
 * with `problem` in the message. */
static void expect_regex(const char *pattern, const char *problem)
{
	char json[512];
	ls_error err = {0};
	ls_ruleset *rs = NULL;
	ls_status st;

	snprintf(json, sizeof(json),
	         "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
	         "\"when\":{\"field\":\"a\",\"op\":\"matches\",\"value\":\"%s\"}}]}",
	         pattern);
	st = ls_ruleset_load_buffers(&rs, "test.json", json, strlen(json), NULL, 0, &err);
	if (problem == NULL && st != LS_OK)
		fail_msg("pattern %s should be accepted: %s", pattern, err.message);
	if (problem != NULL && (st != LS_ERR_RULES || strstr(err.message, problem) == NULL))
		fail_msg("pattern %s should be refused (%s): %s", pattern, problem,
		         st == LS_OK ? "accepted" : err.message);
	ls_ruleset_free(rs);
	ls_error_clear(&err);
}

/* Regression (fuzz_rules ran out of memory): glibc expands repetitions, so
 * patterns that expand hugely are refused before regcomp sees them. */
/* A quantifier with nothing before it is glibc's to refuse, with its own
 * words; a back-reference is any digit 1-9 after a backslash, whatever
 * follows; a backslash before anything else is not one. */
static void test_regex_edges(void **state)
{
	(void)state;
	expect_regex("*x", "Invalid preceding regular expression");
	expect_regex("(a)\\\\1b", "back-references are not supported");
	expect_regex("(a)\\\\9", "back-references are not supported");
	expect_regex("\\\\}1", NULL);
	expect_regex("\\\\01", NULL);
	expect_regex("a\\\\", "Trailing backslash"); /* a backslash ending the pattern */
	/* ':' after a member is not a class: what follows is still measured. */
	expect_regex("[a:b](a{1,200}){1,200}", "too large once its repetitions are expanded");
}

static void test_regex_shapes(void **state)
{
	static const char *const bad[] = {
		"a+++", "a*{2}", "(a{1,200}){1,200}", "x{256}", "(a)\\\\1", "(((a{1,100}){1,100}){1,100})",
		/* found by fuzz_rules: an unmatched ")" (a literal) hid what followed */
		"vg)oi+++++++++++++++++++++", "a{x+++",
	};
	static const char *const good[] = {
		"^a+$", "[+*?{]+", "(ab|cd){1,255}", "\\\\++", "[[:alpha:]]{2,3}x?", "a{2,}",
		"(looking for|seeking) (a |an )?(job|role)",
		/* a class ends inside its bracket: "{1,200}" here is not a count */
		"([[:alpha:]{1,200}]){1,200}", "[[=a=][.-.]x]{255}",
	};
	char json[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ls_error err = {0};
		snprintf(json, sizeof(json),
		         "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		         "\"when\":{\"field\":\"a\",\"op\":\"matches\",\"value\":\"%s\"}}]}",
		         bad[i]);
		if (unit_rules_fail(json, NULL, &err) != LS_ERR_RULES)
			fail_msg("pattern %s should be refused", bad[i]);
		assert_non_null(strstr(err.message, "regular expression"));
		ls_error_clear(&err);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json),
		         "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,"
		         "\"when\":{\"field\":\"a\",\"op\":\"matches\",\"value\":\"%s\"}}]}",
		         good[i]);
		ls_ruleset_free(unit_rules(json, NULL));
	}
}

/* The expanded size of a pattern is counted as glibc expands it: each atom
 * (a character, an escape, a bracket expression however written) counts 1,
 * a repetition multiplies. Patterns at 20,000 are accepted and those just
 * past it refused, for every kind of atom and repetition; each refusal
 * gives its own reason. */
static void test_regex_expansion_boundaries(void **state)
{
	static const char *const atoms[] = {
		"a", "\\\\.", "[ab]", "[^ab]", "[]x]", "[^]x]", "[[:alpha:]]", "[[.-.]]", "[[=a=]]",
		"[[:alpha:]x]", "(b)", "[[.].]]", "[[=]=]]", "[[.a.]b]",
	};
	static const struct {
		const char *pattern;
		const char *problem; /* NULL: accepted */
	} cases[] = {
		{"(a{99,}){200}", NULL},
		{"(a{100,}){200}", "too large once its repetitions are expanded"},
		{"(a{1,100}){200}", NULL},
		{"(a{1,101}){200}", "too large once its repetitions are expanded"},
		{"((a*){100}){100}", "more than 2000 parts that can match nothing"},
		{"((a*){101}){100}", "too large once its repetitions are expanded"},
		{"((a?){101}){100}", "too large once its repetitions are expanded"},
		{"(ab{99}){200}", NULL},
		{"(ab{100}){200}", "too large once its repetitions are expanded"},
		{"((a){99}b){200}", NULL},
		{"((a){99}bc){200}", "too large once its repetitions are expanded"},
		{"(a{0}){255}b{0,1}", NULL},
		{"a{255}", NULL},
		{"a{256}", "a repetition count over 255"},
		{"a{1,256}", "a repetition count over 255"},
		{"a{256,}", "a repetition count over 255"},
		{"a{255,}", NULL},
		{"a{", "invalid regular expression"}, /* no count: regcomp says why */
		{"\\\\1", "back-references are not supported"},
		{"a\\\\9", "back-references are not supported"},
		{"a\\\\0", NULL}, /* not a back-reference */
		{"a+*", "a repetition of a repetition"},
		{"a{2}?", "a repetition of a repetition"},
		{"a+b*c?", NULL},
		{"x)+y+", NULL}, /* an unmatched ")" is a literal atom, then repeated */
		/* Parts that can match nothing cost glibc time and memory quadratic in
		 * their number: at most 2000 of them. */
		{"((){20}){100}", NULL},
		{"((){21}){100}", "more than 2000 parts that can match nothing"},
		{"((a*){10}){100}", NULL},
		{"((a?){11}){100}", "more than 2000 parts that can match nothing"},
		{"((|){20}){100}", NULL},
		{"((|){21}){100}", "more than 2000 parts that can match nothing"},
		{"((a|){21}){100}", "more than 2000 parts that can match nothing"},
		{"((a{0,2}){10}){100}", NULL},
		{"((a{0}){21}){100}", "more than 2000 parts that can match nothing"},
		{"((a|b){60}){100}", NULL}, /* alternatives that are not empty */
		/* An empty alternative, wherever it is, is one part more: at the
		 * start or end of the pattern or a group, or between two bars ("a*"
		 * counts two: 2000 exactly first). */
		{"((a*){10}){100}", NULL},
		{"|((a*){10}){100}", "more than 2000 parts that can match nothing"},
		{"((a*){10}){100}|", "more than 2000 parts that can match nothing"},
		{"((a*){9}){106}", NULL},
		{"((a*){9}|){106}", "more than 2000 parts that can match nothing"},
		{"(|(a*){9}){106}", "more than 2000 parts that can match nothing"},
		{"((a*){9}|x){101}", NULL},
		{"((a*){9}||x){101}", "more than 2000 parts that can match nothing"},
		/* An atom after a repetition is its own last unit: b{255} here
		 * is not optional because a? was. */
		{"(a?b{255}){8}", NULL},
		/* A group counts from its own start; an unmatched ")" is one atom
		 * (not an optional one); an empty group is one atom. */
		{"a{255}(b){80}", NULL},
		{"(a{199}b){100}", NULL}, /* 20000 exactly */
		{")(a{199}b){100}", "too large once its repetitions are expanded"},
		{"x)((a*){10}){100}", NULL},
		{"(()a{255}){78}", NULL},
		{"(()a{255}){79}", "too large once its repetitions are expanded"},
		/* A "{" no "}" follows is one atom, not an optional one (glibc then
		 * refuses it: which message comes first shows how it counted). */
		{"((a{199}b){100}){", "too large once its repetitions are expanded"},
		{"((a*){10}){100}x{", "Unmatched \\{"},
		/* "{1}" is one copy, "{2}" two. */
		{"((a{1}){101}){100}", NULL},
		{"((a{2}){100}){100}", NULL},
		{"((a{2}){101}){100}", "too large once its repetitions are expanded"},
		{"((a+){100}){100}", NULL},
	};
	char pattern[128];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_regex(cases[i].pattern, cases[i].problem);
	/* A refused pattern is quoted in full up to 80 bytes, then cut. */
	memset(pattern, 'a', 78);
	strcpy(pattern + 78, "++");
	expect_regex(pattern, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa++\": a");
	memset(pattern, 'a', 79);
	strcpy(pattern + 79, "++");
	expect_regex(pattern, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+...\": a");
	for (k = 0; k < sizeof(atoms) / sizeof(atoms[0]); k++) {
		snprintf(pattern, sizeof(pattern), "(%s{100}){200}", atoms[k]);
		expect_regex(pattern, NULL);
		snprintf(pattern, sizeof(pattern), "(%s{101}){200}", atoms[k]);
		expect_regex(pattern, "too large once its repetitions are expanded");
	}
}

/* A pattern of 1 KiB is the longest accepted, one byte more is refused;
 * likewise groups nested 64 deep and 65 deep. */
static void test_regex_size_limit(void **state)
{
	static const char head[] = "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\","
	                           "\"deduct\":1,\"when\":{\"field\":\"a\",\"op\":\"matches\","
	                           "\"value\":\"";
	char json[2048];
	size_t n = strlen(head);
	ls_error err = {0};

	(void)state;
	memcpy(json, head, n);
	memset(json + n, 'a', 1024);
	strcpy(json + n + 1024, "\"}}]}");
	ls_ruleset_free(unit_rules(json, NULL));
	memset(json + n, 'a', 1025);
	strcpy(json + n + 1025, "\"}}]}");
	assert_int_equal(unit_rules_fail(json, NULL, &err), LS_ERR_RULES);
	assert_non_null(strstr(err.message, "longer than 1024 bytes"));
	ls_error_clear(&err);
	/* Groups nest 64 deep at most. */
	memset(json + n, '(', 64);
	json[n + 64] = 'a';
	memset(json + n + 65, ')', 64);
	strcpy(json + n + 129, "\"}}]}");
	ls_ruleset_free(unit_rules(json, NULL));
	memset(json + n, '(', 65);
	json[n + 65] = 'a';
	memset(json + n + 66, ')', 65);
	strcpy(json + n + 131, "\"}}]}");
	assert_int_equal(unit_rules_fail(json, NULL, &err), LS_ERR_RULES);
	assert_non_null(strstr(err.message, "groups nested too deeply"));
	ls_error_clear(&err);
}

static void test_rule_needs_deduct_or_disqualify(void **state)
{
	ls_error err = {0};
	ls_ruleset *rs;

	(void)state;
	assert_int_equal(
		unit_rules_fail("{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"disqualify\":false,"
		                "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		                NULL, &err),
		LS_ERR_RULES);
	ls_error_clear(&err);
	/* deduct 0 is allowed: a rule that only records a reason */
	rs = unit_rules("{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":0,"
	                "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
	                NULL);
	ls_ruleset_free(rs);
}

static void test_load_from_paths(void **state)
{
	const char *paths[] = {"tests/fixtures/small"};
	const char *missing[] = {"tests/fixtures/no-such"};
	ls_ruleset *rs = NULL;
	ls_error err = {0};

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, paths, 1, &err), LS_OK);
	/* Name order: region.json before size.json; policy.json is no persona. */
	assert_int_equal(ls_ruleset_persona_count(rs), 2);
	assert_string_equal(ls_ruleset_persona_id(rs, 0), "region");
	assert_string_equal(ls_ruleset_persona_id(rs, 1), "size");
	ls_ruleset_free(rs);
	assert_int_equal(ls_ruleset_load(&rs, missing, 1, &err), LS_ERR_IO);
	assert_non_null(strstr(err.message, "No such file"));
	assert_int_equal(err.sys_errno, 2);
	ls_error_clear(&err);
	assert_int_equal(ls_ruleset_load(&rs, paths, 0, &err), LS_ERR_USAGE);
	ls_error_clear(&err);
}

/* What check --list and the summaries show: every persona, rule and
 * allow-list entry as the files say, where each came from, and the
 * allow-list's expiry on its last day and the day after. */
static void test_listing_what_was_loaded(void **state)
{
	static const char *const dir = "tests/fixtures/allow";
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	ls_persona_info pi;
	ls_rule_info ri;
	ls_allow_info ai;
	int64_t day;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, &err), LS_OK);
	assert_string_equal(ls_ruleset_policy_file(rs), "tests/fixtures/allow/policy.json");
	assert_string_equal(ls_ruleset_allow_file(rs), "tests/fixtures/allow/allow.json");
	assert_int_equal(ls_ruleset_base(rs), 100 * LS_FIXED_ONE);
	assert_int_equal(ls_ruleset_threshold(rs), 50 * LS_FIXED_ONE);
	assert_int_equal(ls_ruleset_persona_count(rs), 2);
	ls_ruleset_persona_info(rs, 0, &pi);
	assert_string_equal(pi.id, "region");
	assert_string_equal(pi.file, "tests/fixtures/allow/region.json");
	assert_int_equal(pi.nrules, 2);
	assert_false(pi.capped);
	ls_ruleset_persona_info(rs, 1, &pi);
	assert_string_equal(pi.id, "size");
	assert_int_equal(pi.nrules, 3);
	assert_true(pi.capped);
	assert_int_equal(pi.max_deduct, 20 * LS_FIXED_ONE);
	ls_ruleset_rule_info(rs, 0, 1, &ri);
	assert_string_equal(ri.id, "no-notes");
	assert_string_equal(ri.reason, "no notes");
	assert_int_equal(ri.deduct, LS_FIXED_ONE / 4);
	assert_false(ri.disqualify);
	ls_ruleset_rule_info(rs, 1, 0, &ri);
	assert_string_equal(ri.id, "tiny");
	assert_int_equal(ri.deduct, 0);
	assert_true(ri.disqualify);
	assert_string_equal(ls_ruleset_rule_id(rs, 1, 2), "also-small");
	assert_int_equal(ls_ruleset_field_count(rs), 3);
	assert_string_equal(ls_ruleset_field_name(rs, 0), "country");
	assert_string_equal(ls_ruleset_field_name(rs, 1), "notes");
	assert_string_equal(ls_ruleset_field_name(rs, 2), "employees");

	assert_int_equal(ls_ruleset_allow_count(rs), 3);
	assert_true(ls_date_parse("2026-12-31", &day));
	ls_ruleset_set_today(rs, day);
	assert_int_equal(ls_ruleset_today(rs), day);
	ls_ruleset_allow_info(rs, 0, &ai);
	assert_string_equal(ai.id, "strategic-brazil");
	assert_string_equal(ai.reason, "strategic account in Brazil (sales, 2026-10)");
	assert_true(ai.has_until);
	assert_int_equal(ai.until, day);
	assert_true(ai.active); /* its last day */
	ls_ruleset_allow_info(rs, 1, &ai);
	assert_string_equal(ai.id, "old-promise");
	assert_false(ai.active);
	ls_ruleset_allow_info(rs, 2, &ai);
	assert_string_equal(ai.id, "partner");
	assert_false(ai.has_until);
	assert_true(ai.active);
	ls_ruleset_set_today(rs, day + 1);
	ls_ruleset_allow_info(rs, 0, &ai);
	assert_false(ai.active);
	assert_false(ls_ruleset_allow_active(rs, 0));
	assert_true(ls_ruleset_allow_active(rs, 2));
	ls_ruleset_free(rs);
}

/* A rule file of 16 MiB is read (and judged as JSON); one byte more is
 * refused before parsing. */
static void test_rule_file_size_limit(void **state)
{
	char path[] = "/tmp/leadsift-test-XXXXXX";
	const char *p = path;
	int fd = mkstemp(path);
	size_t size = 16 * 1024 * 1024;
	char *text = malloc(size + 1);
	ls_ruleset *rs = NULL;
	ls_error err = {0};

	(void)state;
	assert_true(fd >= 0 && text != NULL);
	memset(text, ' ', size + 1);
	memcpy(text + size - 2, "[]", 2);
	assert_int_equal(write(fd, text, size), (ssize_t)size);
	assert_int_equal(ls_ruleset_load(&rs, &p, 1, &err), LS_ERR_RULES);
	assert_string_equal(err.message, "(top level): expected a persona object");
	ls_error_clear(&err);
	assert_int_equal(write(fd, " ", 1), 1);
	assert_int_equal(ls_ruleset_load(&rs, &p, 1, &err), LS_ERR_RULES);
	assert_string_equal(err.message, "larger than 16 MiB; is this really a rule file?");
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	assert_null(rs);
	ls_error_clear(&err);
	free(text);
	close(fd);
	unlink(path);
}

/* Nesting is counted before parsing, brackets inside strings (after escaped
 * quotes too) left out: 64 levels are parsed, 65 refused at the bracket
 * that goes past. */
static void test_json_depth_limit(void **state)
{
	char json[1024];
	size_t depth, n, i;
	ls_error err = {0};

	(void)state;
	for (depth = 64; depth <= 65; depth++) {
		n = (size_t)snprintf(json, sizeof(json), "{\"id\":\"p\",\"x\":\"[\\\"{\",\n\"y\":");
		for (i = 1; i < depth; i++)
			json[n++] = '[';
		for (i = 1; i < depth; i++)
			json[n++] = ']';
		strcpy(json + n, "}");
		assert_int_equal(unit_rules_fail(json, NULL, &err), depth == 64 ? LS_ERR_RULES : LS_ERR_JSON);
		if (depth == 64) {
			/* parsed: refused for what it says, not for its depth */
			assert_non_null(strstr(err.message, "unknown key"));
		} else {
			assert_string_equal(err.message, "JSON nested more than 64 levels deep");
			assert_int_equal(err.line, 2);
			assert_int_equal(err.column, 5 + 63);
		}
		ls_error_clear(&err);
	}
}

/* Reading rule files: with standard input closed (descriptor 0 is then the
 * file's), leaving no descriptor open, an interrupted read retried and the
 * end of the file not (errno still says EINTR then), a read error named, and
 * a file that cannot be opened (no descriptor left) named. */
static size_t open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void test_reading_rule_files(void **state)
{
	static const char *const dir = "personas", *const mem = "/proc/self/mem",
	                         *const file = "personas/non-buyer.json";
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	int saved = dup(0), probe;
	ls_status st;
	size_t before;
	char want[65];
	struct rlimit lim, low;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &file, 1, &err), LS_OK);
	strcpy(want, ls_ruleset_fingerprint(rs));
	ls_ruleset_free(rs);
	/* A single file (a directory would take descriptor 0 itself). */
	assert_true(saved >= 0);
	close(0);
	assert_int_equal(ls_ruleset_load(&rs, &file, 1, &err), LS_OK);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_string_equal(ls_ruleset_fingerprint(rs), want);
	ls_ruleset_free(rs);
	before = open_descriptors();
	unit_fail_read_after(0, EINTR);
	assert_int_equal(ls_ruleset_load(&rs, &file, 1, &err), LS_OK);
	unit_fail_read_after(-1, 0);
	assert_string_equal(ls_ruleset_fingerprint(rs), want);
	ls_ruleset_free(rs);
	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, &err), LS_OK);
	ls_ruleset_free(rs);
	assert_int_equal(open_descriptors(), before);
	/* No descriptor left: the lowest free one is over the limit. */
	probe = dup(0);
	assert_true(probe > 0);
	close(probe);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &lim), 0);
	low = lim;
	low.rlim_cur = (rlim_t)probe;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	rs = NULL;
	st = ls_ruleset_load(&rs, &file, 1, &err);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	assert_int_equal(st, LS_ERR_IO);
	assert_null(rs);
	assert_int_equal(err.sys_errno, EMFILE);
	assert_string_equal(err.message, "cannot open personas/non-buyer.json: Too many open files");
	ls_error_clear(&err);
	assert_int_equal(ls_ruleset_load(&rs, &mem, 1, &err), LS_ERR_IO);
	assert_int_equal(err.sys_errno, EIO);
	assert_string_equal(err.message, "cannot read /proc/self/mem: Input/output error");
	assert_int_equal(open_descriptors(), before);
	ls_error_clear(&err);
}

/* --- rule directories: allow-lists, policies, personas across files ------- */

#define ONE_RULE \
	"{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,\"when\":{\"field\":\"a\",\"op\":\"empty\"}}"
#define PERSONA_P "{\"id\":\"p\",\"rules\":[" ONE_RULE "]}"
#define ENTRY(id) "{\"id\":\"" id "\",\"reason\":\"r\",\"when\":{\"field\":\"a\",\"op\":\"empty\"}}"

/* Writes files (name, text; NULL ends the list) into a new directory. */
static char *make_dir(const char *const *files)
{
	char *dir = strdup("/tmp/leadsift-rules-XXXXXX"), path[256];
	size_t i;

	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	for (i = 0; files[i] != NULL; i += 2) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fputs(files[i + 1], f) >= 0, 1);
		assert_int_equal(fclose(f), 0);
	}
	return dir;
}

static void remove_dir(char *dir, const char *const *files)
{
	char path[256];
	size_t i;

	for (i = 0; files[i] != NULL; i += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Each refusal of a file in a directory: the file, the message, and the
 * place (the first occurrence of `at` after `after` in that file's text;
 * "" for none: line and column 0). */
static void test_directory_refusals(void **state)
{
	static const struct {
		const char *files[7];
		const char *file;  /* the file named */
		const char *message;
		const char *after, *at;
	} cases[] = {
		{{"p.json", PERSONA_P, "allow.json", "{\"allow\":[" ENTRY("a") "," ENTRY("a") "]}", NULL},
		 "allow.json", "allow[1].id: allow-list id \"a\" is used twice", "},{", "\"a\""},
		{{"p.json", PERSONA_P, "allow.json", "{\"allow\":5}", NULL},
		 "allow.json", "allow: expected a list of entries", "", "5"},
		{{"p.json", PERSONA_P, "allow.json", "{\"allow\":[5]}", NULL},
		 "allow.json", "allow[0]: expected an allow-list entry object", "", "5"},
		{{"p.json", PERSONA_P, "allow.json", "{}", NULL},
		 "allow.json", "(top level): an allow-list file needs \"allow\"", "", "{"},
		{{"p.json", PERSONA_P, "allow.json", "[]", NULL},
		 "allow.json", "(top level): expected an object with an \"allow\" list", "", "["},
		{{"p.json", PERSONA_P, "allow.json",
		  "{\"allow\":[{\"id\":\"a\",\"reason\":\"r\",\"until\":\"2026-02-30\","
		  "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}", NULL},
		 "allow.json", "allow[0].until: expected a date as \"YYYY-MM-DD\"", "", "\"2026-02-30\""},
		{{"p.json", PERSONA_P, "allow.json", "{\"allow\":[{\"id\":\"a\",\"reason\":\"r\"}]}", NULL},
		 "allow.json", "allow[0]: an allow-list entry needs a \"when\" condition", "", "{\"id\""},
		{{"p.json", PERSONA_P, "allow.json",
		  "{\"allow\":[{\"id\":\"a\",\"reason\":\"r\",\"note\":1,\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		  NULL},
		 "allow.json", "allow[0].note: unknown key \"note\"; expected one of id, reason, when, until",
		 "", "\"note\""},
		{{"p.json", PERSONA_P, "allow.json",
		  "{\"allow\":[{\"id\":\"a\",\"reason\":\"r\",\"when\":{\"field\":\"a\",\"op\":\"eq\"}}]}", NULL},
		 "allow.json", "allow[0].when: \"eq\" needs \"value\"", "", "{\"field\""},
		{{"p.json", PERSONA_P, "q.json", PERSONA_P, NULL},
		 "q.json", "id: persona id \"p\" is already used by ", "", "\"p\""},
		/* The second persona's rules are counted from 0 too. */
		{{"p.json", PERSONA_P, "q.json", "{\"id\":\"q\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\","
		  "\"deduct\":\"1\",\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}", NULL},
		 "q.json", "rules[0].deduct: expected a number", "", "\"1\""},
		{{"p.json", "{\"id\":\"p\",\"max_deduct\":\"x\",\"rules\":[" ONE_RULE "]}", NULL},
		 "p.json", "max_deduct: expected a number", "", "\"x\""},
		{{"p.json", "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":\"1\","
		  "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}", NULL},
		 "p.json", "rules[0].deduct: expected a number", "", "\"1\""},
		{{"p.json", "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1}]}", NULL},
		 "p.json", "rules[0]: a rule needs a \"when\" condition", "", "{\"id\":\"r\""},
		{{"p.json", "{\"id\":\"p\",\"rules\":[" ONE_RULE "," ONE_RULE "]}", NULL},
		 "p.json", "rules[1].id: rule id \"r\" is used twice in persona \"p\"", "},{", "\"r\""},
		{{"p.json", PERSONA_P, "policy.json", "{\"base\":\"x\"}", NULL},
		 "policy.json", "base: expected a number", "", "\"x\""},
		{{"p.json", PERSONA_P, "policy.json", "{\"threshold\":[]}", NULL},
		 "policy.json", "threshold: expected a number", "", "[]"},
		{{"p.json", PERSONA_P, "policy.json", "{\"date_format\":\"YYYY\"}", NULL},
		 "policy.json", "date_format: ", "", "\"YYYY\""},
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\":{\"a\":\"x\",\"a\":\"y\"}}", NULL},
		 "policy.json", "fields.a: duplicate key \"a\"", "", "\"a\""}, /* the first of the two */
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\":{\"\":\"x\"}}", NULL},
		 "policy.json", "fields[\"\"]: a field name must not be empty", "", "\"\""},
		/* A wrong value is pointed at, not its key. */
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\": 5}", NULL},
		 "policy.json", "fields: expected an object mapping field names to header names", "", "5"},
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\":{\"a\": 5}}", NULL},
		 "policy.json", "fields.a: expected a header name or a non-empty list of them", "", "5"},
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\":{\"a\": \"\"}}", NULL},
		 "policy.json", "fields.a: expected a non-empty header name", "\"a\":", "\"\""},
		{{"p.json", PERSONA_P, "policy.json", "{\"fields\":{\"a\": [\"x\", 7]}}", NULL},
		 "policy.json", "fields.a[1]: expected a non-empty header name", "", "7"},
		{{"p.json", PERSONA_P, "policy.json", "5", NULL},
		 "policy.json", "(top level): expected a policy object", "", "5"},
		{{"a.txt", "x", NULL}, NULL, "no persona files (*.json) in ", "", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dir = make_dir(cases[i].files);
		const char *text = NULL;
		ls_ruleset *rs = NULL;
		ls_error err = {0};
		unsigned long line = 0, column = 0;
		size_t k;

		if (ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err) != LS_ERR_RULES ||
		    strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
			fail_msg("case %zu: \"%s\"", i, err.message ? err.message : "loaded");
		for (k = 0; cases[i].file != NULL && cases[i].files[k] != NULL; k += 2)
			if (strcmp(cases[i].files[k], cases[i].file) == 0)
				text = cases[i].files[k + 1];
		if (text != NULL && cases[i].at[0] != '\0') {
			const char *from = strstr(text, cases[i].after), *at = strstr(from, cases[i].at);
			line = 1;
			column = (unsigned long)(at - text) + 1;
		}
		if (err.line != line || err.column != column ||
		    (cases[i].file != NULL && strstr(err.file, cases[i].file) == NULL))
			fail_msg("case %zu: %s:%lu:%lu, want %s:%lu:%lu", i, err.file, err.line, err.column,
			         cases[i].file, line, column);
		ls_error_clear(&err);
		remove_dir(dir, cases[i].files);
	}
}

/* Two directories each with a policy, or each with an allow-list: the
 * second is refused, naming the first. */
static void test_one_policy_and_one_allow_list(void **state)
{
	static const char *const kinds[] = {"policy.json", "{}", "allow.json", "{\"allow\":[]}"};
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		const char *const files[] = {"p.json", PERSONA_P, kinds[2 * k], kinds[2 * k + 1], NULL};
		const char *const other[] = {"q.json", "{\"id\":\"q\",\"rules\":[" ONE_RULE "]}",
		                             kinds[2 * k], kinds[2 * k + 1], NULL};
		char *a = make_dir(files), *b = make_dir(other), first[300], want[700];
		const char *dirs[2] = {a, b};
		ls_ruleset *rs = NULL;
		ls_error err = {0};

		snprintf(first, sizeof(first), "%s/%s", a, kinds[2 * k]);
		snprintf(want, sizeof(want), "a second %s file; %s is already loaded (one per run)",
		         k == 0 ? "policy" : "allow-list", first);
		assert_int_equal(ls_ruleset_load(&rs, dirs, 2, &err), LS_ERR_RULES);
		if (strstr(err.message, want) == NULL)
			fail_msg("\"%s\", want \"%s\"", err.message, want);
		assert_int_equal(err.line, 0);
		assert_int_equal(err.column, 0);
		ls_error_clear(&err);
		remove_dir(a, files);
		remove_dir(b, other);
	}
}

/* A directory loads its *.json files in byte order (upper case first), not
 * hidden ones or others, named with one slash whether or not the directory
 * was given with one. */
static void test_directory_walk(void **state)
{
	static const char *const files[] = {
		"b.json", "{\"id\":\"b\",\"rules\":[" ONE_RULE "]}",
		"B.json", "{\"id\":\"upper\",\"rules\":[" ONE_RULE "]}",
		"a.json", "{\"id\":\"a\",\"rules\":[" ONE_RULE "]}",
		".hidden.json", "not JSON",
		"notes.txt", "not JSON",
		"c.json~", "not JSON",
		NULL,
	};
	static const char *const order[] = {"upper", "a", "b"};
	char *dir = make_dir(files), slashed[300], want[300];
	const char *paths[2] = {dir, slashed};
	size_t k, i;

	(void)state;
	snprintf(slashed, sizeof(slashed), "%s/", dir);
	for (k = 0; k < 2; k++) {
		ls_ruleset *rs = NULL;
		ls_error err = {0};
		ls_persona_info pi;

		if (ls_ruleset_load(&rs, &paths[k], 1, &err) != LS_OK)
			fail_msg("%s: %s", paths[k], err.message);
		assert_int_equal(ls_ruleset_persona_count(rs), 3);
		for (i = 0; i < 3; i++)
			assert_string_equal(ls_ruleset_persona_id(rs, i), order[i]);
		ls_ruleset_persona_info(rs, 1, &pi);
		snprintf(want, sizeof(want), "%s/a.json", dir);
		assert_string_equal(pi.file, want);
		ls_ruleset_free(rs);
	}
	remove_dir(dir, files);
}

/* More files than the first block of names holds (16), in name order; a
 * directory that cannot be read to its end is an error, not a shorter
 * rule set; and a failed load leaves *out NULL whatever it held. */
static void test_directory_edges(void **state)
{
	static char texts[20][128];
	const char *files[41];
	char name[20][16], *dir;
	ls_ruleset *rs = NULL, *stale = (ls_ruleset *)&name;
	ls_error err = {0};
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(name[i], sizeof(name[i]), "p%02zu.json", 19 - i);
		snprintf(texts[i], sizeof(texts[i]), "{\"id\":\"p%02zu\",\"rules\":[" ONE_RULE "]}",
		         19 - i);
		files[2 * i] = name[i];
		files[2 * i + 1] = texts[i];
	}
	files[40] = NULL;
	dir = make_dir(files);
	if (ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err) != LS_OK)
		fail_msg("%s", err.message);
	assert_int_equal(ls_ruleset_persona_count(rs), 20);
	for (i = 0; i < 20; i++) {
		char want[8];
		snprintf(want, sizeof(want), "p%02zu", i);
		assert_string_equal(ls_ruleset_persona_id(rs, i), want);
	}
	ls_ruleset_free(rs);

	for (i = 0; i < 3; i++) {
		char want[300];
		rs = stale;
		unit_fail_readdir_after((long)i * 9, EIO);
		assert_int_equal(ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err), LS_ERR_IO);
		unit_fail_readdir_after(-1, 0);
		assert_null(rs);
		snprintf(want, sizeof(want), "cannot read directory %s: Input/output error", dir);
		assert_string_equal(err.message, want);
		ls_error_clear(&err);
	}
	/* The first allocation (the rule set itself) failing. */
	rs = stale;
	unit_fail_alloc_after(0);
	assert_int_equal(ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err), LS_ERR_NOMEM);
	assert_null(rs);
	ls_error_clear(&err);
	remove_dir(dir, files);

	rs = stale;
	assert_int_equal(ls_ruleset_load_buffers(&rs, "p.json", "{", 1, NULL, 0, &err), LS_ERR_JSON);
	assert_null(rs);
	ls_error_clear(&err);
	rs = stale;
	unit_fail_alloc_after(0);
	assert_int_equal(ls_ruleset_load_buffers(&rs, "p.json", PERSONA, strlen(PERSONA), NULL, 0,
	                                         &err), LS_ERR_NOMEM);
	assert_null(rs);
	ls_error_clear(&err);
}

/* The fingerprint is part of every summary, compared across runs and
 * versions: it stays what it was for the fixtures (a policy, personas, and
 * an allow-list), and it changes when any of the three does. */
static void test_fingerprints_are_stable(void **state)
{
	static const char *const small = "tests/fixtures/small", *const allow = "tests/fixtures/allow";
	static const char *const files[] = {"p.json", PERSONA_P, NULL};
	static const char *const with_policy[] = {"p.json", PERSONA_P, "policy.json", "{}", NULL};
	static const char *const with_allow[] = {"p.json", PERSONA_P, "allow.json", "{\"allow\":[]}",
	                                         NULL};
	const char *const *sets[] = {files, with_policy, with_allow};
	char fingerprints[3][65];
	ls_ruleset *rs = NULL;
	size_t i;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &small, 1, NULL), LS_OK);
	assert_string_equal(ls_ruleset_fingerprint(rs),
	                    "66531763df3abdc6f21539489c4a9adb750133c5492f3297beb55f813f66b35a");
	ls_ruleset_free(rs);
	assert_int_equal(ls_ruleset_load(&rs, &allow, 1, NULL), LS_OK);
	assert_string_equal(ls_ruleset_fingerprint(rs),
	                    "317c890597d8e772c34464ccd594e0ba288c94aafa94e1cd562d45dc6d557218");
	ls_ruleset_free(rs);
	for (i = 0; i < 3; i++) {
		char *dir = make_dir(sets[i]);

		assert_int_equal(ls_ruleset_load(&rs, (const char *const *)&dir, 1, NULL), LS_OK);
		memcpy(fingerprints[i], ls_ruleset_fingerprint(rs), 65);
		ls_ruleset_free(rs);
		remove_dir(dir, sets[i]);
	}
	assert_string_not_equal(fingerprints[0], fingerprints[1]);
	assert_string_not_equal(fingerprints[0], fingerprints[2]);
	assert_string_not_equal(fingerprints[1], fingerprints[2]);
}

/* Loading fails whole: *out is NULL (whatever it held), and the errors that
 * concern no file name none. */
static void test_failed_loads(void **state)
{
	static const char *const policy_only = "tests/fixtures/allow/policy.json";
	static const char *const only_policy[] = {"policy.json", "{}", NULL};
	static const char *const dangling[] = {"p.json", PERSONA_P, NULL};
	ls_ruleset *rs = (ls_ruleset *)&rs;
	ls_error err = {0};
	char *dir, link_path[300], want[400];

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &policy_only, 1, &err), LS_ERR_RULES);
	assert_null(rs);
	assert_string_equal(err.message, "no personas loaded");
	assert_null(err.file);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	ls_error_clear(&err);
	rs = (ls_ruleset *)&rs;
	assert_int_equal(ls_ruleset_load(&rs, &policy_only, 0, &err), LS_ERR_USAGE);
	assert_null(rs);
	assert_string_equal(err.message, "no persona files given");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	ls_error_clear(&err);
	rs = (ls_ruleset *)&rs;
	assert_int_equal(ls_ruleset_load_buffers(&rs, "p.json", "[", 1, NULL, 0, &err), LS_ERR_JSON);
	assert_null(rs);
	ls_error_clear(&err);
	/* A directory holding a policy and no persona. */
	dir = make_dir(only_policy);
	assert_int_equal(ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err), LS_ERR_RULES);
	assert_non_null(strstr(err.message, "no persona files (*.json) in "));
	ls_error_clear(&err);
	remove_dir(dir, only_policy);
	/* A link to nothing among the personas. */
	dir = make_dir(dangling);
	snprintf(link_path, sizeof(link_path), "%s/gone.json", dir);
	assert_int_equal(symlink("/nonexistent/leadsift.json", link_path), 0);
	assert_int_equal(ls_ruleset_load(&rs, (const char *const *)&dir, 1, &err), LS_ERR_IO);
	snprintf(want, sizeof(want), "cannot open %s: No such file or directory", link_path);
	assert_string_equal(err.message, want);
	ls_error_clear(&err);
	unlink(link_path);
	remove_dir(dir, dangling);
}

/* A short persona read after a long policy (the buffer is reused). */
static void test_short_persona_after_long_policy(void **state)
{
	static const char policy[] = "{\"base\": 90, \"threshold\": 30, \"fields\": "
	                             "{\"size\": [\"Number of Employees\", \"Company size\", \"Staff\"]}}";
	ls_ruleset *rs = unit_rules(PERSONA_P, policy);

	(void)state;
	assert_int_equal(ls_ruleset_base(rs), 90 * LS_FIXED_ONE);
	ls_ruleset_free(rs);
}

/* "Today" is the local date unless set. */
static void test_default_today(void **state)
{
	time_t now = time(NULL);
	struct tm local;
	char text[16];
	int64_t want;
	ls_ruleset *rs = unit_rules(PERSONA_P, NULL);

	(void)state;
	assert_non_null(localtime_r(&now, &local));
	strftime(text, sizeof(text), "%Y-%m-%d", &local);
	assert_true(ls_date_parse(text, &want));
	/* A load that straddles midnight is a day behind. */
	assert_true(ls_ruleset_today(rs) == want || ls_ruleset_today(rs) + 1 == want);
	ls_ruleset_free(rs);
}

/* Ids are lower-case letters, digits, '-' and '_', starting with a letter or
 * digit: each end of each range, and the bytes just outside them. */
static void test_ids(void **state)
{
	static const char *const good[] = {"a", "z", "0", "9", "a-b_c9", "9z-_"};
	static const char *const bad[] = {"A", "Z", "`", "{", "/", ":", "-a", "_a", "a.b", "a b",
	                                  "a\xc3\xa9", "aZ", "a`", "a{", "a/", "a:", ""};
	char json[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(json, sizeof(json), "{\"id\":\"%s\",\"rules\":[" ONE_RULE "]}", good[i]);
		ls_ruleset_free(unit_rules(json, NULL));
		snprintf(json, sizeof(json),
		         "{\"id\":\"p\",\"rules\":[{\"id\":\"%s\",\"reason\":\"x\",\"deduct\":1,"
		         "\"when\":{\"field\":\"a\",\"op\":\"empty\"}}]}",
		         good[i]);
		ls_ruleset_free(unit_rules(json, NULL));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ls_error err = {0};

		snprintf(json, sizeof(json), "{\"id\":\"%s\",\"rules\":[" ONE_RULE "]}", bad[i]);
		if (unit_rules_fail(json, NULL, &err) != LS_ERR_RULES ||
		    strcmp(err.message, "id: an id is lower-case letters, digits, '-' and '_', "
		                        "starting with a letter or digit") != 0 ||
		    err.column != 7)
			fail_msg("id \"%s\": %lu \"%s\"", bad[i], err.column, err.message);
		ls_error_clear(&err);
	}
}

/* A key written with a \u escape is not found again in the text: the
 * message names it, and no place (0:0) rather than a wrong one. */
static void test_error_place_unknown(void **state)
{
	ls_error err = {0};

	(void)state;
	assert_int_equal(unit_rules_fail("{\"id\":\"p\",\"\\u0078\":1,\"rules\":[" ONE_RULE "]}", NULL,
	                                 &err),
	                 LS_ERR_RULES);
	assert_non_null(strstr(err.message, "unknown key \"x\""));
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	ls_error_clear(&err);
}

/* Text after the JSON value, and the end of the file after blanks. */
static void test_json_ends(void **state)
{
	static const struct {
		const char *json;
		unsigned long line, column;
		const char *message;
	} cases[] = {
		{PERSONA_P " x", 1, 91, "invalid JSON: unexpected 'x'"},
		{PERSONA_P "}", 1, 90, "invalid JSON: unexpected '}'"},
		{"{\"id\":\"p\",\n\"rules\":[ \t\r\n", 3, 1, "invalid JSON: unexpected end of file"},
		{"{\"id\":\"p\",\n\"rules\":[ \t\r\n x", 3, 2, "invalid JSON: unexpected 'x'"},
		/* A stray comma is the mistake, wherever cJSON stops after it. */
		{"{ , }", 1, 3, "invalid JSON: unexpected ','"},
		{"{ ,\n\t\r ", 1, 3, "invalid JSON: unexpected ','"},
		{"{\"id\": \"p\",\n \"deduct\": 30,,\n \"x\": 1}", 2, 15, "invalid JSON: unexpected ','"},
		{"[1,,2]", 1, 4, "invalid JSON: unexpected ','"},
		/* A comma before the end: the end is what cannot follow it. */
		{"{\"id\": \"p\",\n}", 2, 1, "invalid JSON: unexpected '}'"},
		{"[1,\n ]", 2, 2, "invalid JSON: unexpected ']'"},
		/* A missing comma, colon or value; a word that is not one. */
		{"{\"a\": 1 \"b\": 2}", 1, 9, "invalid JSON: unexpected '\"'"},
		{"{\"a\" 1}", 1, 6, "invalid JSON: unexpected '1'"},
		{"{\"a\": }", 1, 7, "invalid JSON: unexpected '}'"},
		{"{\"a\": nul}", 1, 7, "invalid JSON: unexpected 'n'"},
		{"{\"a\": -}", 1, 7, "invalid JSON: unexpected '-'"},
		{"{\"a\": 1.5.2}", 1, 10, "invalid JSON: unexpected '.'"},
		{"{1: 2}", 1, 2, "invalid JSON: unexpected '1'"},
		/* Escapes: at the backslash of one that is not, or a lone half of a
		 * surrogate pair. */
		{"{\"a\": \"x\\qy\"}", 1, 9, "invalid JSON: unexpected '\\'"},
		{"{\"a\": \"x\\u12\"}", 1, 9, "invalid JSON: unexpected '\\'"},
		{"{\"a\": \"\\udc00\"}", 1, 8, "invalid JSON: unexpected '\\'"},
		{"{\"a\": \"\\ud800x\"}", 1, 8, "invalid JSON: unexpected '\\'"},
		{"{\"a\": \"\\ud800\\u0041\"}", 1, 8, "invalid JSON: unexpected '\\'"},
		/* A string that is never closed, key or value: where it opens. */
		{"{\"a\": \"open}", 1, 7,
		 "invalid JSON: a string that is never closed (a '\"' missing?)"},
		{"{\"a\": 1,\n \"b: 1}", 2, 2,
		 "invalid JSON: a string that is never closed (a '\"' missing?)"},
		/* cJSON takes what strtod takes, a byte order mark, raw control
		 * characters in strings and \u with a non-digit (as U+0000): none of
		 * them is the mistake. */
		{"\xef\xbb\xbf{\"a\": 01, \"b\": \"t\tab\\u12g4\", \"c\": 1e5,}", 1, 42,
		 "invalid JSON: unexpected '}'"},
		/* A number longer than any buffer, and one strtod stops inside. */
		{"{\"a\": 123456789012345678901234567890123456789012345678901234567890123456789,}",
		 1, 77, "invalid JSON: unexpected '}'"},
		{"{\"a\": 1e+, \"b\": 2}", 1, 8, "invalid JSON: unexpected 'e'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ls_error err = {0};

		if (unit_rules_fail(cases[i].json, NULL, &err) != LS_ERR_JSON ||
		    strcmp(err.message, cases[i].message) != 0 || err.line != cases[i].line ||
		    err.column != cases[i].column)
			fail_msg("case %zu: %lu:%lu \"%s\"", i, err.line, err.column, err.message);
		ls_error_clear(&err);
	}
}

/* --- allocation failures: each one reported, never a half-loaded rule set - */

/* Everything a loaded rule set tells its users, or the error it failed with. */
static uint64_t load_digest(const ls_ruleset *rs, ls_status st, const ls_error *err)
{
	uint64_t h = unit_fnv(UNIT_FNV_START, &st, sizeof(st));
	size_t p, r;

	if (rs == NULL) {
		h = unit_fnv_str(h, err->message);
		h = unit_fnv_str(h, err->file);
		h = unit_fnv(h, &err->line, sizeof(err->line));
		return unit_fnv(h, &err->column, sizeof(err->column));
	}
	h = unit_fnv_str(h, ls_ruleset_fingerprint(rs));
	h = unit_fnv_str(h, ls_ruleset_policy_file(rs));
	h = unit_fnv_str(h, ls_ruleset_allow_file(rs));
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_persona_info pi;

		ls_ruleset_persona_info(rs, p, &pi);
		h = unit_fnv_str(unit_fnv_str(h, pi.id), pi.file);
		h = unit_fnv(h, &pi.max_deduct, sizeof(pi.max_deduct));
		for (r = 0; r < pi.nrules; r++) {
			ls_rule_info ri;

			ls_ruleset_rule_info(rs, p, r, &ri);
			h = unit_fnv_str(unit_fnv_str(h, ri.id), ri.reason);
			h = unit_fnv(h, &ri.deduct, sizeof(ri.deduct));
			h = unit_fnv(h, &ri.disqualify, sizeof(ri.disqualify));
		}
	}
	for (p = 0; p < ls_ruleset_allow_count(rs); p++) {
		ls_allow_info ai;

		ls_ruleset_allow_info(rs, p, &ai);
		h = unit_fnv_str(unit_fnv_str(h, ai.id), ai.reason);
		h = unit_fnv(h, &ai.until, sizeof(ai.until));
	}
	for (p = 0; p < ls_ruleset_field_count(rs); p++)
		h = unit_fnv_str(h, ls_ruleset_field_name(rs, p));
	return h;
}

struct load_case {
	const char *path;                   /* a file or directory, or NULL: */
	const char *persona, *policy;       /* from memory */
	uint64_t want;
};

static ls_status load_case(void *arg)
{
	struct load_case *c = arg;
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	ls_status st;
	uint64_t h;

	if (c->path != NULL)
		st = ls_ruleset_load(&rs, &c->path, 1, &err);
	else
		st = ls_ruleset_load_buffers(&rs, "mem.json", c->persona, strlen(c->persona), c->policy,
		                             c->policy ? strlen(c->policy) : 0, &err);
	if (rs != NULL)
		ls_ruleset_set_today(rs, 20000); /* allow-list entries active as of a fixed day */
	h = load_digest(rs, st, &err);
	ls_ruleset_free(rs);
	ls_error_clear(&err);
	return unit_same_answer(st, h, &c->want);
}

static void sweep_load(struct load_case *c)
{
	c->want = 0;
	if (load_case(c) != LS_OK)
		fail_msg("%s: does not load the same twice", c->path ? c->path : c->persona);
	if (unit_alloc_sweep(load_case, c) < 1)
		fail_msg("%s: loads without allocating", c->path ? c->path : c->persona);
}

/* Every rule set the project ships or tests, and every malformed one: each
 * allocation failing in turn is out of memory, never another error (or a
 * rule set missing a piece); a malformed file's error is the same with
 * allocations failing before the error is found. */
static void test_load_allocation_failures(void **state)
{
	static const char *const dirs[] = {
		"personas", "tests/fixtures/allow", "tests/fixtures/dates", "tests/fixtures/explain",
		"tests/fixtures/lint", "tests/fixtures/small", "tests/fixtures/backtest/old",
		"tests/fixtures/backtest/new", "tests/fixtures/bad/bad-regex.json",
		"tests/fixtures/bad/allow-dup.json", "tests/fixtures/bad/dup-rule.json",
		"tests/fixtures/bad/unknown-op.json", "tests/fixtures/bad/syntax.json",
		"tests/fixtures/bad/value-type.json", "tests/fixtures/bad/bad-date.json",
		"tests/fixtures/bad/too-precise.json", "tests/fixtures/does-not-exist.json",
	};
	struct load_case c = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		c.path = dirs[i];
		sweep_load(&c);
	}
	c.path = NULL;
	c.persona = PERSONA;
	c.policy = POLICY;
	sweep_load(&c);
	/* A refusal whose path outgrows a buffer's first block (64 bytes). */
	c.persona = "{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\",\"deduct\":1,\"when\":"
	            "{\"all\":[{\"any\":[{\"not\":{\"all\":[{\"any\":[{\"not\":{\"all\":[{\"any\":[{"
	            "\"field\":\"a\",\"op\":\"eq\",\"value\":{}}]}]}}]}]}}]}]}}]}";
	c.policy = NULL;
	sweep_load(&c);
}

/* Every condition of the operator table (tests/engine/conditions.test), with
 * the policy it is read under, loaded with each allocation failing. */
static void test_condition_load_allocation_failures(void **state)
{
	FILE *f = fopen("tests/engine/conditions.test", "r");
	char line[2048], policy[2048] = "", persona[2048 + 128];
	struct load_case c = {0};
	int conditions = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == 'P' && line[1] == '|') {
			snprintf(policy, sizeof(policy), "%s", line + 2);
		} else if (line[0] == 'C' && line[1] == '|') {
			snprintf(persona, sizeof(persona),
			         "{\"id\":\"t\",\"rules\":[{\"id\":\"r\",\"reason\":\"x\","
			         "\"deduct\":1,\"when\":%s}]}", line + 2);
			c.persona = persona;
			c.policy = policy[0] ? policy : NULL;
			sweep_load(&c);
			conditions++;
		}
	}
	fclose(f);
	assert_true(conditions >= 45);
}

/* Dates read for --by as rules read them: the policy's date_format for
 * NN/NN/YYYY, missing values as empty, anything else no date. */
static void test_read_date(void **state)
{
	static const char *const persona =
		"{\"id\":\"p\",\"rules\":[{\"id\":\"r\",\"reason\":\"r\",\"deduct\":1,"
		"\"when\":{\"field\":\"d\",\"op\":\"before\",\"value\":\"2026-01-01\"}}]}";
	ls_ruleset *none = unit_rules(persona, "{\"missing_values\":[\"TBD\"]}");
	ls_ruleset *dmy = unit_rules(persona, "{\"date_format\":\"DD/MM/YYYY\"}");
	int64_t days = 0, want;

	(void)state;
	assert_true(ls_date_parse("2025-12-31", &want));
	assert_int_equal(ls_ruleset_read_date(none, "d", CELL(" 2025-12-31T23:59:00Z "), &days),
	                 LS_READ_DATE);
	assert_int_equal(days, want);
	assert_int_equal(ls_ruleset_read_date(none, "d", CELL("Dec 31, 2025"), &days), LS_READ_DATE);
	assert_int_equal(days, want);
	assert_int_equal(ls_ruleset_read_date(none, "d", CELL("31/12/2025"), &days),
	                 LS_READ_NOT_DATE);
	assert_int_equal(ls_ruleset_read_date(dmy, "d", CELL("31/12/2025"), &days), LS_READ_DATE);
	assert_int_equal(days, want);
	assert_int_equal(ls_ruleset_read_date(none, "d", CELL("  "), &days), LS_READ_EMPTY);
	assert_int_equal(ls_ruleset_read_date(none, "d", CELL("tbd"), &days), LS_READ_EMPTY);
	assert_int_equal(ls_ruleset_read_date(dmy, "d", CELL("tbd"), &days), LS_READ_NOT_DATE);
	ls_ruleset_free(none);
	ls_ruleset_free(dmy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_persona_and_policy),
		cmocka_unit_test(test_negative_base_and_threshold),
		cmocka_unit_test(test_defaults_without_policy),
		cmocka_unit_test(test_fingerprint_ignores_layout_not_content),
		cmocka_unit_test(test_errors_name_path_line_and_column),
		cmocka_unit_test(test_refusals_name_the_path),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_regex_shapes),
		cmocka_unit_test(test_regex_edges),
		cmocka_unit_test(test_regex_size_limit),
		cmocka_unit_test(test_regex_expansion_boundaries),
		cmocka_unit_test(test_rule_needs_deduct_or_disqualify),
		cmocka_unit_test(test_load_from_paths),
		cmocka_unit_test(test_listing_what_was_loaded),
		cmocka_unit_test(test_rule_file_size_limit),
		cmocka_unit_test(test_json_depth_limit),
		cmocka_unit_test(test_reading_rule_files),
		cmocka_unit_test(test_directory_refusals),
		cmocka_unit_test(test_one_policy_and_one_allow_list),
		cmocka_unit_test(test_directory_walk),
		cmocka_unit_test(test_directory_edges),
		cmocka_unit_test(test_fingerprints_are_stable),
		cmocka_unit_test(test_failed_loads),
		cmocka_unit_test(test_short_persona_after_long_policy),
		cmocka_unit_test(test_default_today),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_json_ends),
		cmocka_unit_test(test_error_place_unknown),
		cmocka_unit_test(test_load_allocation_failures),
		cmocka_unit_test(test_condition_load_allocation_failures),
		cmocka_unit_test(test_read_date),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
