/* SPDX-License-Identifier: MIT */
/* test_lookup.c - lookup tables: the key index (trimmed, folded, missing
 * values and repeats left out), the domain part of an address, a lead's
 * fields read from its row, and the errors that name a table's lines.
 * The fixture is tests/fixtures/lookup (its README). */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "base/text.h"
#include "rules/lookup.h"

static ls_ruleset *load(const char *path, ls_error *err, ls_status *st)
{
	const char *paths[1] = {path};
	ls_ruleset *rs = NULL;

	*st = ls_ruleset_load(&rs, paths, 1, err);
	return rs;
}

/* The row a key finds, folding it as the engine does. */
static size_t find(const struct lookup *lk, const char *key)
{
	char folded[64];
	size_t n = strlen(key);

	assert_true(TEXT_FOLD_ROOM(n) <= sizeof(folded));
	n = text_fold(folded, key, n);
	return lookup_find(lk, (ls_cell){folded, n});
}

static void test_index(void **state)
{
	ls_error err = {0};
	ls_status st;
	ls_ruleset *rs = load("tests/fixtures/lookup", &err, &st);
	const struct lookup *help, *acc;

	(void)state;
	if (st != LS_OK)
		fail_msg("%s", err.message);
	assert_int_equal(rs->nlookups, 2);
	help = &rs->lookups[0];
	acc = &rs->lookups[1];
	assert_string_equal(help->name, "helpdesk");
	/* helpdesk.csv: Acme Corp, " Globex ", Initech, N/A (a missing value). */
	assert_int_equal(help->nrows, 4);
	assert_int_equal(help->keyless, 1);
	assert_int_equal(find(help, "acme corp"), 0);
	assert_int_equal(find(help, "ACME CORP"), 0);
	assert_int_equal(find(help, "globex"), 1);  /* the table's key is trimmed */
	assert_int_equal(find(help, "initech"), 2);
	assert_int_equal(find(help, "n/a"), SIZE_MAX); /* a missing value is no key */
	assert_int_equal(find(help, "acme"), SIZE_MAX);
	assert_int_equal(find(help, ""), SIZE_MAX);
	/* Its lines: the header on 1, rows on 2.. (CRLF, a byte order mark). */
	assert_int_equal(help->lines[0], 1);
	assert_int_equal(help->lines[3], 4);
	/* accounts.csv: acme.com (line 2), initech.com, ACME.COM again (line 4):
	 * the first row answers, the repeat is counted. */
	assert_int_equal(acc->nrows, 3);
	assert_int_equal(acc->duplicates, 1);
	assert_int_equal(acc->duplicate_line, 4);
	assert_int_equal(acc->duplicate_first, 2);
	assert_int_equal(find(acc, "acme.com"), 0);
	assert_int_equal(find(acc, "Initech.com"), 1);
	/* Decoded from Windows-1252: "Jos\xe9" is "José" in UTF-8. */
	assert_int_equal(acc->cells[0 * acc->ncols + 2].len, 5);
	assert_memory_equal(acc->cells[0 * acc->ncols + 2].ptr, "Jos\xc3\xa9", 5);
	ls_ruleset_free(rs);
}

static void test_domain_part(void **state)
{
	struct lookup by_domain = {.by_domain = true}, whole = {.by_domain = false};
	ls_cell part;

	(void)state;
	part = lookup_key_part(&by_domain, (ls_cell){"ana@ACME.com", 12});
	assert_int_equal(part.len, 8);
	assert_memory_equal(part.ptr, "ACME.com", 8);
	part = lookup_key_part(&by_domain, (ls_cell){"\"a@b\"@c.io", 10});
	assert_int_equal(part.len, 4); /* the part after the last '@' */
	assert_memory_equal(part.ptr, "c.io", 4);
	assert_int_equal(lookup_key_part(&by_domain, (ls_cell){"fay", 3}).len, 0);
	assert_int_equal(lookup_key_part(&by_domain, (ls_cell){"x@", 2}).len, 0);
	assert_int_equal(lookup_key_part(&by_domain, (ls_cell){"x@ y.com", 8}).len, 5);
	assert_int_equal(lookup_key_part(&whole, (ls_cell){"ana@ACME.com", 12}).len, 12);
}

/* Leads scored through the engine: each finds its row, or reads empty.
 * By hand (tests/fixtures/lookup/support-drainer.json): helpdesk tickets
 * >= 10 deducts 35, accounts Sector "retail" 5, Owner "josé" 1. */
static void test_scoring(void **state)
{
	static const struct {
		const char *email, *company;
		ls_fixed score;
	} leads[] = {
		{"ana@ACME.com", "ACME CORP", 59},     /* 12 tickets; acme.com: Retail, José */
		{"bo@globex.com", "globex", 100},      /* 3 tickets; no account */
		{"cy@initech.com", "Initech", 100},    /* "-" tickets (missing); Software */
		{"di@x.com", "N/A", 100},              /* no key; no account */
		{"fay", "Umbrella", 100},              /* no domain; no helpdesk row */
	};
	ls_cell header[] = {{"Email", 5}, {"Company Name", 12}};
	ls_error err = {0};
	ls_engine *e = NULL;
	ls_status st;
	ls_ruleset *rs = load("tests/fixtures/lookup", &err, &st);
	size_t i;

	(void)state;
	assert_int_equal(st, LS_OK);
	assert_int_equal(ls_engine_new(&e, rs, header, 2, "leads", &err), LS_OK);
	for (i = 0; i < sizeof(leads) / sizeof(leads[0]); i++) {
		ls_cell row[2] = {{leads[i].email, strlen(leads[i].email)},
		                  {leads[i].company, strlen(leads[i].company)}};
		ls_result res;
		assert_int_equal(ls_engine_score(e, row, 2, &res), LS_OK);
		if (res.score != leads[i].score * LS_FIXED_ONE)
			fail_msg("lead %zu: score %lld", i, (long long)(res.score / LS_FIXED_ONE));
	}
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A key two rows share names both lines; a key column the table lacks
 * names the table's header line. */
static void test_errors_name_lines(void **state)
{
	char dir[64], path[128];
	ls_error err = {0};
	ls_status st;
	ls_ruleset *rs;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/leadsift-lookup-%ld", (long)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "policy.json", "{\"lookups\": {\"t\": {\"file\": \"t.csv\", \"key\": \"Org\", "
	                        "\"match\": \"company\"}}}");
	put(dir, "p.json", "{\"id\": \"p\", \"rules\": [{\"id\": \"r\", \"reason\": \"x\", "
	                   "\"deduct\": 1, \"when\": {\"field\": \"t.N\", \"op\": \"gt\", "
	                   "\"value\": 1}}]}");
	put(dir, "t.csv", "Org,N\nAcme,1\nGlobex,2\n acme ,3\n");
	rs = load(dir, &err, &st);
	assert_null(rs);
	assert_int_equal(st, LS_ERR_CSV);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.message, "repeats line 2"));
	ls_error_clear(&err);
	put(dir, "t.csv", "Organisation,N\nAcme,1\n");
	rs = load(dir, &err, &st);
	assert_null(rs);
	assert_int_equal(st, LS_ERR_HEADER);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "no key column \"Org\""));
	ls_error_clear(&err);
	/* No rule reads the table: it is not read at all. */
	put(dir, "p.json", "{\"id\": \"p\", \"rules\": [{\"id\": \"r\", \"reason\": \"x\", "
	                   "\"deduct\": 1, \"when\": {\"field\": \"n\", \"op\": \"gt\", "
	                   "\"value\": 1}}]}");
	rs = load(dir, &err, &st);
	assert_int_equal(st, LS_OK);
	assert_false(rs->lookups[0].used);
	assert_int_equal(rs->nfields, 1); /* "company" is not required */
	ls_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/p.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/policy.json", dir);
	unlink(path);
	rmdir(dir);
}

/* Rules given as text have no folder to read a table or a list from. */
static void test_not_from_memory(void **state)
{
	ls_error err = {0};

	(void)state;
	assert_int_equal(unit_rules_fail(
	                     "{\"id\": \"p\", \"rules\": [{\"id\": \"r\", \"reason\": \"x\", "
	                     "\"deduct\": 1, \"when\": {\"field\": \"n\", \"op\": \"gt\", "
	                     "\"value\": 1}}]}",
	                     "{\"lookups\": {\"t\": {\"file\": \"t.csv\", \"key\": \"Org\", "
	                     "\"match\": \"company\"}}}",
	                     &err),
	                 LS_ERR_RULES);
	assert_non_null(strstr(err.message, "lookup tables are read next to a policy file"));
	ls_error_clear(&err);
	assert_int_equal(unit_rules_fail("{\"id\": \"p\", \"rules\": [{\"id\": \"r\", "
	                                 "\"reason\": \"x\", \"deduct\": 1, \"when\": "
	                                 "{\"field\": \"n\", \"op\": \"in\", "
	                                 "\"value_file\": \"l.txt\"}}]}",
	                                 NULL, &err),
	                 LS_ERR_RULES);
	assert_non_null(strstr(err.message, "\"value_file\" is read next to a rule file"));
	ls_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_domain_part),
		cmocka_unit_test(test_scoring),
		cmocka_unit_test(test_errors_name_lines),
		cmocka_unit_test(test_not_from_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
