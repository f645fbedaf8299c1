/* SPDX-License-Identifier: MIT */
/* test_compare.c - what changed between two rule sets: every kind of
 * change found once, in order, and nothing where only the writing moved. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static const char *const BASE =
	"{\"id\":\"p\",\"max_deduct\":40,\"rules\":["
	"{\"id\":\"a\",\"reason\":\"A\",\"deduct\":10,\"when\":{\"field\":\"x\",\"op\":\"eq\",\"value\":\"1\"}},"
	"{\"id\":\"b\",\"reason\":\"B\",\"disqualify\":true,\"when\":{\"field\":\"y\",\"op\":\"lt\",\"value\":5}}]}";

/* The changes from `old` to `new`, one line each: "kind persona id field: old -> new". */
static char *describe(const char *old_persona, const char *old_policy, const char *new_persona,
                      const char *new_policy)
{
	ls_ruleset *a = unit_rules(old_persona, old_policy), *b = unit_rules(new_persona, new_policy);
	ls_rule_change *c = NULL;
	size_t n = 0, i, len = 0;
	char *out = calloc(1, 4096);

	assert_non_null(out);
	assert_int_equal(ls_ruleset_compare(a, b, &c, &n), LS_OK);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 4096 - len, "%s %s %s %s: %s -> %s\n", c[i].kind,
		                        c[i].persona ? c[i].persona : "-", c[i].id ? c[i].id : "-",
		                        c[i].field ? c[i].field : "-",
		                        c[i].old_value ? c[i].old_value : "(none)",
		                        c[i].new_value ? c[i].new_value : "(none)");
	ls_rule_changes_free(c, n);
	ls_ruleset_free(a);
	ls_ruleset_free(b);
	return out;
}

static void expect(const char *old_persona, const char *old_policy, const char *new_persona,
                   const char *new_policy, const char *want)
{
	char *got = describe(old_persona, old_policy, new_persona, new_policy);

	assert_string_equal(got, want);
	free(got);
}

static void test_no_change_where_only_the_writing_moved(void **state)
{
	/* Keys in another order, blanks, 10 as 10.0, a "$comment". */
	static const char *const moved =
		"{ \"rules\": [ {\"when\": {\"value\": \"1\", \"op\": \"eq\", \"field\": \"x\"},"
		"\"deduct\": 10.0, \"reason\": \"A\", \"id\": \"a\", \"$comment\": \"why\"},"
		"{\"id\":\"b\",\"reason\":\"B\",\"disqualify\":true,\"when\":{\"field\":\"y\",\"op\":\"lt\",\"value\":5}}],"
		"\"max_deduct\": 40, \"id\": \"p\"}";

	(void)state;
	expect(BASE, NULL, BASE, NULL, "");
	expect(BASE, "{\"base\":100}", moved, "{ \"threshold\": 50 }", "");
}

static void test_every_field_of_a_rule_and_the_cap(void **state)
{
	static const char *const changed =
		"{\"id\":\"p\",\"rules\":["
		"{\"id\":\"a\",\"reason\":\"A2\",\"deduct\":15,\"disqualify\":true,"
		"\"when\":{\"field\":\"x\",\"op\":\"eq\",\"value\":\"2\"}},"
		"{\"id\":\"b\",\"reason\":\"B\",\"disqualify\":true,\"when\":{\"field\":\"y\",\"op\":\"lt\",\"value\":5}}]}";

	(void)state;
	expect(BASE, NULL, changed, NULL,
	       "persona p - max_deduct: 40 -> none\n"
	       "rule p a deduct: 10 -> 15\n"
	       "rule p a disqualify: false -> true\n"
	       "rule p a when: {\"field\":\"x\",\"op\":\"eq\",\"value\":\"1\"} -> "
	       "{\"field\":\"x\",\"op\":\"eq\",\"value\":\"2\"}\n"
	       "rule p a reason: A -> A2\n");
}

static void test_rules_and_personas_added_and_removed(void **state)
{
	/* a removed, c added; persona q only in the new set. */
	static const char *const rules =
		"{\"id\":\"p\",\"max_deduct\":40,\"rules\":["
		"{\"id\":\"b\",\"reason\":\"B\",\"disqualify\":true,\"when\":{\"field\":\"y\",\"op\":\"lt\",\"value\":5}},"
		"{\"id\":\"c\",\"reason\":\"C\",\"disqualify\":true,\"deduct\":5,"
		"\"when\":{\"field\":\"z\",\"op\":\"empty\"}}]}";
	static const char *const other =
		"{\"id\":\"q\",\"rules\":[{\"id\":\"a\",\"reason\":\"A\",\"deduct\":10,"
		"\"when\":{\"field\":\"x\",\"op\":\"eq\",\"value\":\"1\"}}]}";

	(void)state;
	expect(BASE, NULL, rules, NULL,
	       "rule p a -: deduct 10 when {\"field\":\"x\",\"op\":\"eq\",\"value\":\"1\"}: A -> (none)\n"
	       "rule p c -: (none) -> disqualify, deduct 5 when {\"field\":\"z\",\"op\":\"empty\"}: C\n");
	expect(BASE, NULL, other, NULL,
	       "persona p - -: 2 rules -> (none)\n"
	       "persona q - -: (none) -> 1 rule\n");
	expect(other, NULL, BASE, NULL,
	       "persona q - -: 1 rule -> (none)\n"
	       "persona p - -: (none) -> 2 rules\n");
	expect(rules, NULL, BASE, NULL,
	       "rule p c -: disqualify, deduct 5 when {\"field\":\"z\",\"op\":\"empty\"}: C -> (none)\n"
	       "rule p a -: (none) -> deduct 10 when {\"field\":\"x\",\"op\":\"eq\",\"value\":\"1\"}: A\n");
}

static void test_policy(void **state)
{
	(void)state;
	expect(BASE, "{\"base\":100,\"threshold\":50,\"date_format\":\"DD/MM/YYYY\"}", BASE,
	       "{\"base\":90,\"threshold\":45.5,\"require\":{\"field\":\"x\",\"op\":\"not_empty\"},"
	       "\"fields\":{\"x\":[\"X\"]},\"missing_values\":[\"N/A\"],\"encoding\":\"CP1252\"}",
	       "policy - - base: 100 -> 90\n"
	       "policy - - threshold: 50 -> 45.5\n"
	       "policy - - require: none -> {\"field\":\"x\",\"op\":\"not_empty\"}\n"
	       "policy - - fields: none -> {\"x\":[\"X\"]}\n"
	       "policy - - date_format: \"DD/MM/YYYY\" -> none\n"
	       "policy - - missing_values: none -> [\"N/A\"]\n"
	       "policy - - encoding: none -> \"CP1252\"\n");
}

/* Writes text to dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static ls_ruleset *load_dir(const char *dir)
{
	ls_ruleset *rs = NULL;

	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, NULL), LS_OK);
	return rs;
}

static void test_allow_list(void **state)
{
	char a[] = "/tmp/ls-compare-a-XXXXXX", b[] = "/tmp/ls-compare-b-XXXXXX";
	const char *files[] = {"p.json", "allow.json"};
	ls_ruleset *x, *y;
	ls_rule_change *c = NULL;
	size_t n = 0, i;

	(void)state;
	assert_non_null(mkdtemp(a));
	assert_non_null(mkdtemp(b));
	put(a, "p.json", BASE);
	put(b, "p.json", BASE);
	put(a, "allow.json",
	    "{\"allow\":[{\"id\":\"acme\",\"reason\":\"deal\",\"until\":\"2026-12-31\","
	    "\"when\":{\"field\":\"x\",\"op\":\"eq\",\"value\":\"acme\"}},"
	    "{\"id\":\"gone\",\"reason\":\"old\",\"when\":{\"field\":\"x\",\"op\":\"empty\"}}]}");
	put(b, "allow.json",
	    "{\"allow\":[{\"id\":\"acme\",\"reason\":\"deal\",\"until\":\"2027-03-31\","
	    "\"when\":{\"field\":\"x\",\"op\":\"in\",\"value\":[\"acme\",\"acme inc\"]}},"
	    "{\"id\":\"new\",\"reason\":\"partner\",\"when\":{\"field\":\"y\",\"op\":\"gt\",\"value\":1}}]}");
	x = load_dir(a);
	y = load_dir(b);
	assert_int_equal(ls_ruleset_compare(x, y, &c, &n), LS_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_equal(c[i].kind, "allow");
	assert_string_equal(c[0].field, "when");
	assert_string_equal(c[0].new_value, "{\"field\":\"x\",\"op\":\"in\",\"value\":[\"acme\",\"acme inc\"]}");
	assert_string_equal(c[1].field, "until");
	assert_string_equal(c[1].old_value, "2026-12-31");
	assert_string_equal(c[1].new_value, "2027-03-31");
	assert_null(c[2].field);
	assert_string_equal(c[2].id, "gone");
	assert_null(c[2].new_value);
	assert_string_equal(c[2].old_value, "when {\"field\":\"x\",\"op\":\"empty\"}: old");
	assert_string_equal(c[3].id, "new");
	assert_null(c[3].old_value);
	ls_rule_changes_free(c, n);
	/* The other way round. */
	assert_int_equal(ls_ruleset_compare(y, x, &c, &n), LS_OK);
	assert_string_equal(c[1].old_value, "2027-03-31");
	ls_rule_changes_free(c, n);
	ls_ruleset_free(x);
	/* An entry without an end date, against one with. */
	put(a, "allow.json",
	    "{\"allow\":[{\"id\":\"acme\",\"reason\":\"deal\","
	    "\"when\":{\"field\":\"x\",\"op\":\"in\",\"value\":[\"acme\",\"acme inc\"]}},"
	    "{\"id\":\"new\",\"reason\":\"partner\",\"when\":{\"field\":\"y\",\"op\":\"gt\",\"value\":1}}]}");
	x = load_dir(a);
	assert_int_equal(ls_ruleset_compare(x, y, &c, &n), LS_OK);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].field, "until");
	assert_string_equal(c[0].old_value, "none");
	assert_string_equal(c[0].new_value, "2027-03-31");
	ls_rule_changes_free(c, n);
	ls_ruleset_free(x);
	ls_ruleset_free(y);
	for (i = 0; i < 2; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", a, files[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s", b, files[i]);
		unlink(path);
	}
	rmdir(a);
	rmdir(b);
}

struct compare_sweep {
	ls_ruleset *a, *b;
	uint64_t want;
};

static ls_status compare_once(void *arg)
{
	struct compare_sweep *s = arg;
	ls_rule_change *c = NULL;
	size_t n = 0, i;
	uint64_t h = UNIT_FNV_START;
	ls_status st = ls_ruleset_compare(s->a, s->b, &c, &n);

	if (st != LS_OK) {
		assert_null(c);
		assert_int_equal(n, 0);
		return st;
	}
	for (i = 0; i < n; i++)
		h = unit_fnv_str(unit_fnv_str(unit_fnv_str(h, c[i].field), c[i].old_value),
		                 c[i].new_value);
	ls_rule_changes_free(c, n);
	return unit_same_answer(st, h, &s->want);
}

/* Every allocation failing in turn: out of memory, nothing leaked. */
static void test_allocation_failures(void **state)
{
	static const char *const rules =
		"{\"id\":\"p\",\"rules\":["
		"{\"id\":\"b\",\"reason\":\"B2\",\"deduct\":3,\"when\":{\"field\":\"y\",\"op\":\"lt\",\"value\":6}},"
		"{\"id\":\"c\",\"reason\":\"C\",\"disqualify\":true,\"when\":{\"field\":\"z\",\"op\":\"empty\"}}]}";
	struct compare_sweep s = {unit_rules(BASE, "{\"base\":100}"),
	                          unit_rules(rules, "{\"base\":90}"), 0};

	(void)state;
	assert_true(unit_alloc_sweep(compare_once, &s) >= 10);
	ls_ruleset_free(s.a);
	ls_ruleset_free(s.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_change_where_only_the_writing_moved),
		cmocka_unit_test(test_every_field_of_a_rule_and_the_cap),
		cmocka_unit_test(test_rules_and_personas_added_and_removed),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_allow_list),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
