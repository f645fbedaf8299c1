/* SPDX-License-Identifier: MIT */
/* test_pipeline.c - ls_score_csv, the library's one call: the bytes it
 * writes (worked out by hand below), the same on any number of threads,
 * its options, its errors and a progress callback that stops it. */
#include <stdio.h>

#include "unit.h"

/* Deducts 30 below 10 employees, disqualifies students. */
static const char *const PERSONA =
	"{\"id\":\"p\",\"rules\":["
	"{\"id\":\"small\",\"reason\":\"tiny\",\"deduct\":30,"
	" \"when\":{\"field\":\"employees\",\"op\":\"lt\",\"value\":10}},"
	"{\"id\":\"student\",\"reason\":\"student\",\"disqualify\":true,"
	" \"when\":{\"field\":\"title\",\"op\":\"eq\",\"value\":\"student\"}}]}";

/* A byte order mark, a quoted cell with a comma, a doubled quote and a
 * line break, CRLF and LF line ends, a blank line and no final line end. */
static const char INPUT[] =
	"\xef\xbb\xbftitle,employees,note\r\n"
	"CEO,5,\"a, b\"\r\n"
	"\n"
	"Student,500,\"say \"\"hi\"\"\nthere\"\n"
	"CTO,50,plain";

/* By hand: every input byte, then score, disqualified and reasons; each
 * record keeps its line end; the blank line goes (and is counted). */
static const char OUTPUT[] =
	"\xef\xbb\xbftitle,employees,note,score,disqualified,reasons\r\n"
	"CEO,5,\"a, b\",70,false,p/small: tiny\r\n"
	"Student,500,\"say \"\"hi\"\"\nthere\",100,true,p/student: student\n"
	"CTO,50,plain,100,false,";

struct run {
	ls_writer *out, *rejects;
	ls_engine *engine;
	ls_score_counts counts;
	ls_error err;
	ls_status status;
};

/* Scores csv into memory; with_rejects: set records aside into r->rejects. */
static void run_with(const ls_ruleset *rs, const char *csv, size_t len, ls_score_options *opt,
                     bool with_rejects, struct run *r)
{
	ls_reader *in = NULL;

	memset(r, 0, sizeof(*r));
	assert_int_equal(ls_reader_open_mem(&in, csv, len, "leads.csv", ',', &r->err), LS_OK);
	assert_int_equal(ls_writer_open_mem(&r->out, ',', &r->err), LS_OK);
	if (with_rejects) {
		assert_int_equal(ls_writer_open_mem(&r->rejects, ',', &r->err), LS_OK);
		opt->rejects = r->rejects;
	}
	r->status = ls_score_csv(rs, in, r->out, opt, &r->counts, &r->engine, &r->err);
	ls_reader_free(in);
}

static void run_done(struct run *r)
{
	ls_writer_free(r->out);
	ls_writer_free(r->rejects);
	ls_engine_free(r->engine);
	ls_error_clear(&r->err);
}

static void assert_written(const ls_writer *w, const char *want, size_t want_len)
{
	size_t len;
	const char *got = ls_writer_mem_data(w, &len);

	assert_int_equal(len, want_len);
	assert_memory_equal(got, want, len);
}

/* What w holds, which has no NUL here. */
static void assert_output_is(const ls_writer *w, const char *want)
{
	assert_written(w, want, strlen(want));
}

static void assert_output(const struct run *r, const char *want)
{
	assert_output_is(r->out, want);
}

static void test_writes_every_byte_on_any_number_of_threads(void **state)
{
	static const unsigned threads[] = {1, 2, 4};
	static const size_t chunks[] = {0, 1, 7};
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	size_t t, c;

	(void)state;
	for (t = 0; t < 3; t++) {
		for (c = 0; c < 3; c++) {
			ls_score_options opt = {.threads = threads[t], .chunk_size = chunks[c]};
			struct run r;
			run_with(rs, INPUT, sizeof(INPUT) - 1, &opt, false, &r);
			assert_int_equal(r.status, LS_OK);
			assert_written(r.out, OUTPUT, sizeof(OUTPUT) - 1);
			assert_int_equal(r.counts.rows_read, 3);
			assert_int_equal(r.counts.rows_written, 3);
			assert_int_equal(r.counts.blank_lines, 1);
			assert_int_equal(r.counts.bytes, sizeof(INPUT) - 1);
			assert_int_equal(ls_engine_rows_scored(r.engine), 3);
			assert_int_equal(ls_engine_rows_disqualified(r.engine), 1);
			assert_int_equal(ls_engine_rule_hits(r.engine, 0, 0), 1);
			run_done(&r);
		}
	}
	ls_ruleset_free(rs);
}

/* No options at all is the plain run. */
static void test_null_options(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_reader *in = NULL;
	ls_writer *out = NULL;
	size_t len;

	(void)state;
	assert_int_equal(ls_reader_open_mem(&in, INPUT, sizeof(INPUT) - 1, "x", ',', NULL), LS_OK);
	assert_int_equal(ls_writer_open_mem(&out, ',', NULL), LS_OK);
	assert_int_equal(ls_score_csv(rs, in, out, NULL, NULL, NULL, NULL), LS_OK);
	assert_memory_equal(ls_writer_mem_data(out, &len), OUTPUT, sizeof(OUTPUT) - 1);
	assert_int_equal(len, sizeof(OUTPUT) - 1);
	ls_writer_free(out);
	ls_reader_free(in);
	ls_ruleset_free(rs);
}

static void test_only_prefix_and_replace(void **state)
{
	static const char csv[] = "title,employees,score\nCEO,5,x\nStudent,50,y\nCTO,50,z\n";
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_score_options opt = {.threads = 1, .only = LS_ONLY_QUALIFIED, .replace = true};
	struct run r;

	(void)state;
	/* The input's own "score" column takes the score, in place. */
	run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
	assert_int_equal(r.status, LS_OK);
	assert_output(&r, "title,employees,score,disqualified,reasons\n"
	                  "CEO,5,70,false,p/small: tiny\nCTO,50,100,false,\n");
	assert_int_equal(r.counts.rows_read, 3);
	assert_int_equal(r.counts.rows_written, 2);
	assert_int_equal(r.counts.rows_filtered, 1);
	run_done(&r);

	opt = (ls_score_options){.threads = 1, .only = LS_ONLY_DISQUALIFIED, .prefix = "ls_"};
	run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
	assert_int_equal(r.status, LS_OK);
	assert_output(&r, "title,employees,score,ls_score,ls_disqualified,ls_reasons\n"
	                  "Student,50,y,100,true,p/student: student\n");
	run_done(&r);

	/* Without replace, a clash names the column. */
	opt = (ls_score_options){.threads = 1};
	run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
	assert_int_equal(r.status, LS_ERR_HEADER);
	assert_string_equal(r.err.file, "leads.csv");
	assert_int_equal(r.err.line, 1);
	assert_non_null(strstr(r.err.message, "already has a column named \"score\" (column 3)"));
	assert_null(r.engine);
	run_done(&r);
	ls_ruleset_free(rs);
}

/* A shard: the header is given, so none is read or written. */
static void test_given_header(void **state)
{
	static const char csv[] = "CEO,5\nStudent,50\n";
	ls_cell names[] = {CELL("title"), CELL("employees")};
	ls_row header = {names, 2, 1, LS_EOL_LF, NULL, NULL};
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	unsigned threads;

	(void)state;
	for (threads = 1; threads <= 3; threads += 2) {
		ls_score_options opt = {.threads = threads, .chunk_size = 1, .header = &header};
		struct run r;
		run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
		assert_int_equal(r.status, LS_OK);
		assert_output(&r, "CEO,5,70,false,p/small: tiny\nStudent,50,100,true,p/student: student\n");
		run_done(&r);
	}
	ls_ruleset_free(rs);
}

/* Records with the wrong field count go aside, up to max_rejects. */
static void test_rejects(void **state)
{
	static const char csv[] = "title,employees\nCEO,5\nbad\nCTO,50\nx,y,z\nCFO,1\n";
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	unsigned threads;

	(void)state;
	for (threads = 1; threads <= 3; threads += 2) {
		ls_score_options opt = {.threads = threads, .chunk_size = 1};
		struct run r;
		run_with(rs, csv, sizeof(csv) - 1, &opt, true, &r);
		assert_int_equal(r.status, LS_OK);
		assert_output_is(r.rejects, "line,reason,record\n"
		                            "3,\"record has 1 field, the header has 2\",bad\n"
		                            "5,\"record has 3 fields, the header has 2\",\"x,y,z\"\n");
		assert_int_equal(r.counts.rows_read, 5);
		assert_int_equal(r.counts.rows_rejected, 2);
		assert_int_equal(r.counts.rows_written, 3);
		run_done(&r);

		/* The second stops the run, neither read nor set aside. */
		opt = (ls_score_options){.threads = threads, .chunk_size = 1, .max_rejects = 1};
		run_with(rs, csv, sizeof(csv) - 1, &opt, true, &r);
		assert_int_equal(r.status, LS_ERR_FIELDS);
		assert_int_equal(r.err.line, 5);
		assert_non_null(strstr(r.err.message, "more than 1 rejected records"));
		assert_int_equal(r.counts.rows_read, 3);
		assert_int_equal(r.counts.rows_rejected, 1);
		/* What came before the failing record is written. */
		assert_output(&r, "title,employees,score,disqualified,reasons\n"
		                  "CEO,5,70,false,p/small: tiny\nCTO,50,100,false,\n");
		run_done(&r);
	}
	ls_ruleset_free(rs);
}

/* Records of empty fields only (the end of a report export) are not leads:
 * skipped and counted, on one thread and on three. */
static void test_empty_records(void **state)
{
	static const char csv[] = "title,employees\nCEO,5\n,\n\"\",\" \"\nCTO,50\n\t, \n";
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_cell blank[] = {CELL(" "), CELL("\t")}, one[] = {CELL(""), CELL("x")};
	ls_row row = {blank, 2, 1, LS_EOL_LF, NULL, NULL};
	unsigned threads;

	(void)state;
	assert_true(ls_row_is_empty(&row));
	row.cells = one;
	assert_false(ls_row_is_empty(&row));
	for (threads = 1; threads <= 3; threads += 2) {
		ls_score_options opt = {.threads = threads, .chunk_size = 1};
		struct run r;
		run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
		assert_int_equal(r.status, LS_OK);
		assert_output(&r, "title,employees,score,disqualified,reasons\n"
		                  "CEO,5,70,false,p/small: tiny\nCTO,50,100,false,\n");
		assert_int_equal(r.counts.rows_read, 2);
		assert_int_equal(r.counts.empty_records, 3);
		assert_int_equal(ls_engine_rows_scored(r.engine), 2);
		run_done(&r);
	}
	ls_ruleset_free(rs);
}

/* A policy's require: the records failing it are not leads, neither scored
 * nor written nor counted in the field statistics; they go aside with their
 * reason when there are rejects, within max_rejects; one thread or three. */
static void test_not_leads(void **state)
{
	static const char csv[] = "title,employees\nCEO,5\nTotal,lots\nCTO,50\nbad\n"
	                          "Grand Total,55\n";
	static const char total[] = "title,employees\nTotal,1\nCEO,5\n";
	static const char policy[] =
		"{\"require\":{\"field\":\"title\",\"op\":\"not_in\",\"value\":[\"total\",\"grand total\"]}}";
	static const char why[] = "\"not a lead: fails policy require "
	                          "{\"\"field\"\":\"\"title\"\",\"\"op\"\":\"\"not_in\"\",\"\"value\"\":"
	                          "[\"\"total\"\",\"\"grand total\"\"]}\"";
	char want[512];
	ls_ruleset *rs = unit_rules(PERSONA, policy);
	unsigned threads;

	(void)state;
	assert_string_equal(ls_ruleset_require(rs),
	                    "{\"field\":\"title\",\"op\":\"not_in\",\"value\":[\"total\",\"grand total\"]}");
	snprintf(want, sizeof(want),
	         "line,reason,record\n3,%s,\"Total,lots\"\n5,\"record has 1 field, the header "
	         "has 2\",bad\n6,%s,\"Grand Total,55\"\n", why, why);
	for (threads = 1; threads <= 3; threads += 2) {
		ls_score_options opt = {.threads = threads, .chunk_size = 1};
		struct run r;
		run_with(rs, csv, sizeof(csv) - 1, &opt, true, &r);
		assert_int_equal(r.status, LS_OK);
		assert_output(&r, "title,employees,score,disqualified,reasons\n"
		                  "CEO,5,70,false,p/small: tiny\nCTO,50,100,false,\n");
		assert_output_is(r.rejects, want);
		assert_int_equal(r.counts.rows_read, 3);
		assert_int_equal(r.counts.rows_rejected, 1);
		assert_int_equal(r.counts.not_leads, 2);
		assert_int_equal(ls_engine_rows_scored(r.engine), 2);
		/* "lots" was in a row that is not a lead: not counted. */
		assert_int_equal(ls_engine_typed_field_invalid(r.engine, LS_FIELD_NUMBER, 0), 0);
		assert_int_equal(ls_engine_typed_field_cells(r.engine, LS_FIELD_NUMBER, 0), 2);
		run_done(&r);

		/* Without rejects they are only counted. */
		opt = (ls_score_options){.threads = threads, .chunk_size = 1};
		run_with(rs, total, sizeof(total) - 1, &opt, false, &r);
		assert_int_equal(r.status, LS_OK);
		assert_output(&r, "title,employees,score,disqualified,reasons\n"
		                  "CEO,5,70,false,p/small: tiny\n");
		assert_int_equal(r.counts.not_leads, 1);
		run_done(&r);

		/* The third record set aside stops the run: it is not a lead. */
		opt = (ls_score_options){.threads = threads, .chunk_size = 1, .max_rejects = 2};
		run_with(rs, csv, sizeof(csv) - 1, &opt, true, &r);
		assert_int_equal(r.status, LS_ERR_CSV);
		assert_int_equal(r.err.line, 6);
		assert_non_null(strstr(r.err.message, "not a lead: fails policy require"));
		assert_non_null(strstr(r.err.message, "more than 2 rejected records"));
		assert_int_equal(r.counts.not_leads, 1);
		assert_int_equal(r.counts.rows_rejected, 1);
		run_done(&r);
	}
	ls_ruleset_free(rs);
}

/* The rejects are CSV in their own writer's delimiter, header too. */
static void test_rejects_in_their_delimiter(void **state)
{
	static const char csv[] = "title,employees\nbad\nCEO,5\n";
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_writer *rejects = NULL;
	ls_score_options opt = {.threads = 1};
	struct run r;

	(void)state;
	assert_int_equal(ls_writer_open_mem(&rejects, ';', NULL), LS_OK);
	opt.rejects = rejects;
	run_with(rs, csv, sizeof(csv) - 1, &opt, false, &r);
	assert_int_equal(r.status, LS_OK);
	assert_output_is(rejects, "line;reason;record\n2;record has 1 field, the header has 2;bad\n");
	run_done(&r);
	ls_writer_free(rejects);
	ls_ruleset_free(rs);
}

struct stopper {
	unsigned calls, stop_at;
	uint64_t rows;
};

static bool stop_after(void *ctx, uint64_t rows, uint64_t bytes)
{
	struct stopper *s = ctx;

	(void)bytes;
	s->rows = rows;
	return ++s->calls < s->stop_at;
}

/* The callback is told every 1024 records (one thread) or chunk (several);
 * false stops the run between records, with the counts whole. */
static void test_progress_cancels(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	char *csv = malloc(16 + 3000 * 8);
	size_t len, i;
	unsigned threads;

	(void)state;
	assert_non_null(csv);
	len = (size_t)sprintf(csv, "title,employees\n");
	for (i = 0; i < 3000; i++)
		len += (size_t)sprintf(csv + len, "CEO,%zu\n", i % 20);
	for (threads = 1; threads <= 3; threads += 2) {
		struct stopper s = {0, 1000, 0};
		ls_score_options opt = {.threads = threads, .chunk_size = 4096,
		                        .progress = stop_after, .progress_ctx = &s};
		struct run r;
		run_with(rs, csv, len, &opt, false, &r);
		assert_int_equal(r.status, LS_OK);
		/* The last tick: record 2048 on one thread, the last chunk on three. */
		assert_int_equal(s.rows, threads == 1 ? 2048 : 3000);
		run_done(&r);

		s = (struct stopper){0, 2, 0};
		run_with(rs, csv, len, &opt, false, &r);
		assert_int_equal(r.status, LS_ERR_CANCELLED);
		assert_non_null(strstr(r.err.message, "stopped by the progress callback"));
		assert_true(r.counts.rows_read > 0 && r.counts.rows_read < 3000);
		assert_int_equal(r.counts.rows_read, r.counts.rows_written);
		assert_int_equal(ls_engine_rows_scored(r.engine), r.counts.rows_read);
		if (threads == 1)
			assert_int_equal(r.counts.rows_read, 2048);
		run_done(&r);
	}
	free(csv);
	ls_ruleset_free(rs);
}

static void test_errors(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	ls_score_options opt = {.threads = 3, .chunk_size = 1};
	ls_error err = {0};
	ls_writer *out = NULL;
	struct run r;

	(void)state;
	run_with(rs, "", 0, &opt, false, &r);
	assert_int_equal(r.status, LS_ERR_CSV);
	assert_string_equal(r.err.message, "empty input: expected a header line naming the columns");
	run_done(&r);

	/* A header the rules do not fit: named at its line. */
	run_with(rs, "\n\nname,employees\nx,1\n", 19, &opt, false, &r);
	assert_int_equal(r.status, LS_ERR_HEADER);
	assert_int_equal(r.err.line, 3);
	assert_int_equal(r.counts.blank_lines, 2);
	run_done(&r);

	/* Memory input that ends with its header, on several threads. */
	run_with(rs, "title,employees", 15, &opt, false, &r);
	assert_int_equal(r.status, LS_OK);
	assert_output(&r, "title,employees,score,disqualified,reasons");
	run_done(&r);

	/* A malformed record fails the run after the rows before it. */
	run_with(rs, "title,employees\nCEO,5\nx\"y,1\n", 28, &opt, false, &r);
	assert_int_equal(r.status, LS_ERR_CSV);
	assert_int_equal(r.err.line, 3);
	assert_output(&r, "title,employees,score,disqualified,reasons\nCEO,5,70,false,p/small: tiny\n");
	run_done(&r);

	assert_int_equal(ls_writer_open_mem(&out, ',', NULL), LS_OK);
	assert_int_equal(ls_score_csv(rs, NULL, out, NULL, NULL, NULL, &err), LS_ERR_USAGE);
	assert_string_equal(err.message, "no rules, input or output");
	ls_error_clear(&err);
	ls_writer_free(out);
	ls_ruleset_free(rs);
}

struct sweep_run {
	const ls_ruleset *rs;
	const char *csv;
	size_t len;
	unsigned threads;
	uint64_t want;
};

/* One whole run, with rejects and a progress callback, its output digested. */
static ls_status sweep_score(void *arg)
{
	struct sweep_run *s = arg;
	struct stopper never = {0, UINT32_MAX, 0};
	ls_score_options opt = {.threads = s->threads, .chunk_size = 64, .progress = stop_after,
	                        .progress_ctx = &never};
	ls_reader *in = NULL;
	ls_writer *out = NULL, *rejects = NULL;
	ls_engine *e = NULL;
	ls_status st = ls_reader_open_mem(&in, s->csv, s->len, "leads.csv", ',', NULL);
	uint64_t h = UNIT_FNV_START;
	const char *data;
	size_t len;

	if (st == LS_OK)
		st = ls_writer_open_mem(&out, ',', NULL);
	if (st == LS_OK)
		st = ls_writer_open_mem(&rejects, ',', NULL);
	opt.rejects = rejects;
	if (st == LS_OK)
		st = ls_score_csv(s->rs, in, out, &opt, NULL, &e, NULL);
	if (st == LS_OK) {
		data = ls_writer_mem_data(out, &len);
		h = unit_fnv(h, data, len);
		data = ls_writer_mem_data(rejects, &len);
		h = unit_fnv(h, data, len);
		h = unit_fnv(h, &(uint64_t){ls_engine_rows_disqualified(e)}, sizeof(uint64_t));
	}
	ls_engine_free(e);
	ls_writer_free(rejects);
	ls_writer_free(out);
	ls_reader_free(in);
	return unit_same_answer(st, h, &s->want);
}

/* Every allocation of a whole run, on one thread and on three, failed in
 * turn (the workers' among them): out of memory or the same output, and
 * nothing left allocated (AddressSanitizer's leak check in make asan). */
static void test_allocation_failures(void **state)
{
	ls_ruleset *rs = unit_rules(PERSONA, NULL);
	char *csv = malloc(40 + 60 * 24);
	struct sweep_run s = {rs, csv, 0, 1, 0};
	size_t i;

	(void)state;
	assert_non_null(csv);
	s.len = (size_t)sprintf(csv, "title,employees,note\n");
	for (i = 0; i < 60; i++)
		s.len += (size_t)sprintf(csv + s.len, i % 7 == 3 ? "bad row\n" : "CEO,%zu,\"a, b\"\n",
		                         i % 20);
	for (s.threads = 1; s.threads <= 3; s.threads += 2) {
		s.want = 0;
		assert_true(unit_alloc_sweep(sweep_score, &s) > 10);
	}
	free(csv);
	ls_ruleset_free(rs);
}

static void test_result_cells(void **state)
{
	ls_result res = {72500000, true, "p/r: why", 8, 1, false, false};
	char buf[LS_FIXED_BUFSIZE];
	ls_cell cells[3];

	(void)state;
	ls_result_cells(&res, buf, cells);
	assert_int_equal(cells[0].len, 4);
	assert_memory_equal(cells[0].ptr, "72.5", 4);
	assert_int_equal(cells[1].len, 4);
	assert_memory_equal(cells[1].ptr, "true", 4);
	assert_ptr_equal(cells[2].ptr, res.reasons);
	assert_int_equal(cells[2].len, 8);
	res.disqualified = false;
	res.score = -LS_FIXED_ONE;
	ls_result_cells(&res, buf, cells);
	assert_int_equal(cells[0].len, 2);
	assert_memory_equal(cells[0].ptr, "-1", 2);
	assert_int_equal(cells[1].len, 5);
	assert_memory_equal(cells[1].ptr, "false", 5);
	/* A row that is not a lead has no score and no verdict, only why. */
	res.not_lead = true;
	ls_result_cells(&res, buf, cells);
	assert_int_equal(cells[0].len, 0);
	assert_int_equal(cells[1].len, 0);
	assert_ptr_equal(cells[2].ptr, res.reasons);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes_every_byte_on_any_number_of_threads),
		cmocka_unit_test(test_null_options),
		cmocka_unit_test(test_only_prefix_and_replace),
		cmocka_unit_test(test_given_header),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_rejects_in_their_delimiter),
		cmocka_unit_test(test_not_leads),
		cmocka_unit_test(test_empty_records),
		cmocka_unit_test(test_progress_cancels),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_allocation_failures),
		cmocka_unit_test(test_result_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
