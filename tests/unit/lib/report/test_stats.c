/* SPDX-License-Identifier: MIT */
/* test_stats.c - the --stats run summary, checked by parsing it back. */
#include <cjson/cJSON.h>

#include "unit.h"
#include "sweep.h"

static const char *const PERSONA =
	"{\"id\":\"p\",\"rules\":[{\"id\":\"small\",\"reason\":\"small\",\"deduct\":60,"
	"\"when\":{\"field\":\"size\",\"op\":\"lt\",\"value\":10}},"
	"{\"id\":\"never\",\"reason\":\"never\",\"deduct\":1,"
	"\"when\":{\"field\":\"size\",\"op\":\"eq\",\"value\":\"zzz\"}}]}";

static double number_at(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void test_summary_counts(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, "{\"threshold\": 50.5}");
	ls_cell header[] = {CELL("size")};
	ls_cell rows[][1] = {{CELL("5")}, {CELL("50")}, {CELL("lots")}, {CELL("")}};
	ls_run_info info = {.input = "leads.csv",
	                    .counts = {.rows_read = 4, .rows_written = 2, .rows_filtered = 1,
	                               .rows_rejected = 1, .blank_lines = 1},
	                    .elapsed_seconds = 0.5};
	ls_engine *e = NULL;
	ls_result res;
	cJSON *j, *personas, *rules, *bad;
	char *text;
	size_t i;

	(void)state;
	assert_int_equal(ls_engine_new(&e, rs, header, 1, NULL, NULL), LS_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(ls_engine_score(e, rows[i], 1, &res), LS_OK);
	text = ls_stats_json(rs, e, &info);
	assert_non_null(text);
	assert_int_equal(text[strlen(text) - 1], '\n');
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring, "ok");
	assert_null(cJSON_GetObjectItem(j, "error"));
	assert_int_equal(number_at(j, "rows_read"), 4);
	assert_int_equal(number_at(j, "rows_written"), 2);
	assert_int_equal(number_at(j, "rows_filtered"), 1);
	assert_int_equal(number_at(j, "rows_rejected"), 1);
	assert_int_equal(number_at(j, "rows_scored"), 4);
	assert_int_equal(number_at(j, "rows_disqualified"), 1);
	assert_int_equal(number_at(j, "rows_qualified"), 3);
	assert_int_equal(number_at(j, "blank_lines"), 1);
	assert_true(number_at(j, "threshold") == 50.5);
	assert_string_equal(cJSON_GetObjectItem(j, "rules_fingerprint")->valuestring,
	                    ls_ruleset_fingerprint(rs));
	personas = cJSON_GetObjectItem(j, "personas");
	assert_int_equal(cJSON_GetArraySize(personas), 1);
	assert_int_equal(number_at(cJSON_GetArrayItem(personas, 0), "hits"), 1);
	rules = cJSON_GetObjectItem(cJSON_GetArrayItem(personas, 0), "rules");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, 1), "id")->valuestring,
	                    "never");
	assert_int_equal(number_at(cJSON_GetArrayItem(rules, 0), "hits"), 1);
	assert_int_equal(number_at(cJSON_GetArrayItem(rules, 1), "hits"), 0);
	bad = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "non_numeric_cells"), "size");
	assert_int_equal(number_at(bad, "count"), 1);
	assert_true(number_at(j, "elapsed_seconds") == 0.5);
	cJSON_Delete(j);
	free(text);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

static void test_summary_of_a_failed_run(void **state)
{
	ls_run_info info = {.input = "-", .elapsed_seconds = 0.25, .exit_code = 2,
	                    .error = "bad rules"};
	char *text = ls_stats_json(NULL, NULL, &info);
	cJSON *j = cJSON_Parse(text);

	(void)state;
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring, "error");
	assert_string_equal(cJSON_GetObjectItem(j, "error")->valuestring, "bad rules");
	assert_int_equal(number_at(j, "exit_code"), 2);
	assert_null(cJSON_GetObjectItem(j, "rules_fingerprint"));
	cJSON_Delete(j);
	free(text);
}

/* The summary of the explain fixture's four leads, word for word, worked out
 * by hand (today 2026-11-22): Acme is kept by the allow-list despite
 * no-budget ("n/a") and a score of 45; Globex scores 70 (small, on the band
 * 11-50); Initech is disqualified by no-budget (an empty budget); acme
 * (not the case-sensitive "Acme") scores 45, below the threshold. Hits:
 * fit 3 (stale-retail: Acme, acme; no-budget: Acme, Initech), size 3
 * (small: Acme, Globex, acme; tiny: Acme, acme), vip 1. Budgets "n/a" is
 * the one cell read as a number that is none ("" is empty: 3 cells, its
 * example "n/a"); the 4 employee counts are numbers; the 3 non-empty
 * "created" are dates. */
static void test_fixture_summary(void **state)
{
	static const char *const dir = "tests/fixtures/explain";
	static const char want[] =
		"{\"leadsift_version\":\"" LS_VERSION "\",\"status\":\"ok\",\"exit_code\":0,"
		"\"input\":\"leads.csv\",\"rows_read\":4,\"rows_written\":4,\"rows_filtered\":0,"
		"\"rows_rejected\":0,\"rows_scored\":4,\"rows_disqualified\":2,\"rows_qualified\":2,"
		"\"blank_lines\":0,\"empty_records\":0,\"not_leads\":0,\"non_utf8_records\":0,\"encoding\":null,\"base\":100,\"threshold\":50,\"rules_fingerprint\":"
		"\"dd98af54e15a69550426ec13b405d494fcb4c086addff91d266764b3970f7014\","
		"\"personas\":[{\"id\":\"fit\",\"hits\":3,\"rules\":[{\"id\":\"stale-retail\",\"hits\":2},"
		"{\"id\":\"no-budget\",\"hits\":2}]},{\"id\":\"size\",\"hits\":3,\"rules\":"
		"[{\"id\":\"small\",\"hits\":3},{\"id\":\"tiny\",\"hits\":2}]}],"
		"\"allow\":[{\"id\":\"vip\",\"active\":true,\"hits\":1}],"
		"\"non_numeric_cells\":{\"budget\":{\"column\":\"budget\",\"count\":1,"
		"\"cells\":3,\"example\":\"n/a\"},"
		"\"employees\":{\"column\":\"Number of Employees\",\"count\":0,\"cells\":4}},"
		"\"non_date_cells\":{\"created\":{\"column\":\"created\",\"count\":0,\"cells\":3}},"
		"\"missing_value_cells\":{},"
		"\"elapsed_seconds\":0.5}\n";
	ls_cell header[] = {CELL("company"), CELL("Number of Employees"), CELL("industry"),
	                    CELL("created"), CELL("budget")};
	ls_cell rows[4][5] = {
		{CELL("Acme"), CELL("1-5"), CELL("Retail"), CELL("01/02/2026"), CELL("n/a")},
		{CELL("Globex"), CELL("11-50"), CELL("hotels & resorts"), CELL("2026-11-01"),
		 CELL("$5,000")},
		{CELL("Initech"), CELL("200"), CELL("Software"), CELL(""), CELL("")},
		{CELL("acme"), CELL("3"), CELL("Hospitality"), CELL("15/03/2025"), CELL("100")},
	};
	ls_run_info info = {.input = "leads.csv",
	                    .counts = {.rows_read = 4, .rows_written = 4},
	                    .elapsed_seconds = 0.5};
	ls_ruleset *rs = NULL;
	ls_engine *e = NULL;
	ls_result res;
	int64_t today;
	char *text;
	size_t i;

	(void)state;
	assert_int_equal(ls_ruleset_load(&rs, &dir, 1, NULL), LS_OK);
	assert_true(ls_date_parse("2026-11-22", &today));
	ls_ruleset_set_today(rs, today);
	assert_int_equal(ls_engine_new(&e, rs, header, 5, "leads.csv", NULL), LS_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(ls_engine_score(e, rows[i], 5, &res), LS_OK);
	text = ls_stats_json(rs, e, &info);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
	ls_engine_free(e);
	ls_ruleset_free(rs);
}

/* The summary of a run of the bundled personas and of the allow-list
 * fixture, with each allocation failing in turn. */
static void test_allocation_failures(void **state)
{
	struct sweep bundled = {.rules = "personas", .csv = "examples/leads.csv",
	                        .steps = SWEEP_SCORE | SWEEP_STATS};
	struct sweep allow = {.rules = "tests/fixtures/explain",
	                      .csv = "tests/fixtures/explain/leads.csv",
	                      .steps = SWEEP_SCORE | SWEEP_STATS};

  (void)state;
  assert_true(sweep_run(&bundled) >= 10);
  assert_true(sweep_run(&allow) >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_counts),
		cmocka_unit_test(test_summary_of_a_failed_run),
		cmocka_unit_test(test_fixture_summary),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
