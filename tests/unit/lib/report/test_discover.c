/* SPDX-License-Identifier: MIT */
/* test_discover.c - discover on a history with planted segments
 * (tests/fixtures/discover/README has every figure by hand). */
#include <math.h>
#include <stdio.h>

#include "unit.h"

static const char *const RULES = "tests/fixtures/discover/personas";
/* A persona that matches nothing: discover needs a rule set for its policy. */
static const char *const PERSONA_NONE =
	"{\"id\":\"n\",\"rules\":[{\"id\":\"r\",\"reason\":\"r\",\"deduct\":1,"
	"\"when\":{\"field\":\"Email\",\"op\":\"eq\",\"value\":\"never\"}}]}";
static const char *const HISTORY = "tests/fixtures/discover/history.csv";

struct history {
	char *text;
	size_t len;
	size_t rows;             /* read at most this many (0: all) */
	size_t max_values;       /* 0: the default */
	ls_ruleset *rs;
	uint64_t want;
};

/* Discovers over the history: converted is the last column's "Yes". */
static ls_status discover(struct history *h, ls_discover **out)
{
	ls_reader *r = NULL;
	ls_discover *d = NULL;
	ls_row row;
	size_t n = 0;
	ls_status st = ls_reader_open_mem(&r, h->text, h->len, HISTORY, ',', NULL);

	if (st == LS_OK)
		st = ls_reader_next(r, &row, NULL);
	if (st == LS_OK)
		st = ls_discover_new(&d, h->rs, row.cells, row.ncells, h->max_values);
	if (st == LS_OK)
		ls_discover_exclude(d, row.ncells - 1);
	while (st == LS_OK && (h->rows == 0 || n++ < h->rows) &&
	       (st = ls_reader_next(r, &row, NULL)) == LS_OK)
		st = ls_discover_add(d, row.cells, row.ncells,
		                     ls_cell_is(row.cells[row.ncells - 1], "Yes"));
	if (st == LS_DONE || st == LS_OK)
		st = ls_discover_finish(d);
	ls_reader_free(r);
	if (st != LS_OK) {
		ls_discover_free(d);
		d = NULL;
	}
	*out = d;
	return st;
}

static void load(struct history *h)
{
	FILE *f = fopen(HISTORY, "rb");
	const char *dir = RULES;

	memset(h, 0, sizeof(*h));
	assert_non_null(f);
	h->text = malloc(1 << 18);
	assert_non_null(h->text);
	h->len = fread(h->text, 1, 1 << 18, f);
	assert_true(h->len < 1 << 18);
	fclose(f);
	assert_int_equal(ls_ruleset_load(&h->rs, &dir, 1, NULL), LS_OK);
}

static void unload(struct history *h)
{
	free(h->text);
	ls_ruleset_free(h->rs);
}

static void test_planted_segments(void **state)
{
	static const struct {
		const char *column, *op, *value;
		double number;
		uint64_t leads, converted;
		double low, high, lift, p;
	} want[] = {
		{"Industry", "eq", "Retail", 0, 200, 4, 0.00780, 0.05029, 0.0616, 3.6548e-20},
		{"Employees", "lt", NULL, 10, 200, 5, 0.01072, 0.05718, 0.0770, 1.4731e-19},
	};
	struct history h;
	ls_discover *d = NULL;
	ls_discover_column_info c;
	uint64_t leads, converted;
	size_t i;

	(void)state;
	load(&h);
	assert_int_equal(discover(&h, &d), LS_OK);
	ls_discover_totals(d, &leads, &converted);
	assert_true(leads == 2000 && converted == 649);
	for (i = 0; i < 2; i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		assert_string_equal(g->column, want[i].column);
		assert_string_equal(g->op, want[i].op);
		if (want[i].value != NULL)
			assert_string_equal(g->value, want[i].value);
		else
			assert_true(g->number == want[i].number);
		assert_true(g->leads == want[i].leads && g->converted == want[i].converted);
		assert_true(fabs(g->low - want[i].low) < 1e-5 && fabs(g->high - want[i].high) < 1e-5);
		assert_true(fabs(g->lift - want[i].lift) < 1e-4);
		assert_true(fabs(g->p_value / want[i].p - 1) < 1e-3);
		assert_true(g->found && g->q_value <= 0.05);
	}
	/* Nothing else is found: not Source or Created, not planted, nor the
	 * wider ranges below the later deciles, which hold the small block
	 * and whose rest converts as any lead ("Employees < 540": 400 leads,
	 * 77 converted; without the 200 small ones, 72 of 200). */
	for (i = 2; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		assert_false(g->found);
		if (strcmp(g->op, "lt") == 0 && g->number == 540) {
			assert_true(g->nested && g->leads == 400 && g->converted == 77);
			assert_true(g->q_value <= 0.05); /* significant, but only for what it holds */
		}
	}
	/* Lead ID and Email identify leads, Created holds dates (all distinct
	 * as text, but no id), Grade leaks the outcome. */
	for (i = 0; i < 8; i++) {
		static const ls_discover_column_kind kinds[] = {
			LS_DISCOVER_IDENTIFIES, LS_DISCOVER_EMAILS,     LS_DISCOVER_TEXT,
			LS_DISCOVER_NUMBERS,    LS_DISCOVER_TEXT,       LS_DISCOVER_DATES,
			LS_DISCOVER_LEAKS,      LS_DISCOVER_EXCLUDED};
		ls_discover_column(d, i, &c);
		if (c.kind != kinds[i])
			fail_msg("column %s: kind %d, want %d", c.name, (int)c.kind, (int)kinds[i]);
	}
	ls_discover_free(d);
	unload(&h);
}

/* E-mail columns by provider: 20 addresses at gmail.com (1 converted),
 * 20 at a company (10 converted), and as much by domain. */
static void test_mail_providers(void **state)
{
	char csv[4096];
	size_t len = (size_t)snprintf(csv, sizeof(csv), "Email,Won\n"), i, seen = 0;
	struct history h;
	ls_discover *d = NULL;

	(void)state;
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(csv + len, sizeof(csv) - len, "p%zu@%s,%s\n", i,
		                        i % 2 ? "GMail.com" : "acme.example",
		                        (i % 2 ? i == 1 : i < 20) ? "Yes" : "No");
	load(&h);
	free(h.text);
	h.text = csv;
	h.len = len;
	assert_int_equal(discover(&h, &d), LS_OK);
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		if (g->values != NULL && !g->negated) {
			assert_true(g->leads == 20 && g->converted == 1);
			assert_string_equal(g->values[0], "@gmail.com");
			seen++;
		} else if (g->values != NULL) {
			assert_true(g->leads == 20 && g->converted == 10);
			seen++;
		} else if (strcmp(g->op, "ends_with") == 0) {
			assert_true(strcmp(g->value, "@gmail.com") == 0 ? g->converted == 1
			                                                : g->converted == 10);
			seen++;
		}
	}
	assert_int_equal(seen, 4);
	ls_discover_free(d);
	h.text = NULL;
	unload(&h);
}

/* Two passes over the same text: even rows found on, odd rows held out.
 * Blocks of (A, B): (x, u) 100 leads, the first 2 converted; (x, v) 100,
 * 40; (y, u) 100, 40; (y, v) 300, 150. Pass one (even rows): A = x holds
 * 100 leads, 21 converted, against 116 of 300 (z = -3.63): found, as is
 * B = u. Pass two pairs them: x and u, 50 training leads, 1 converted,
 * Wilson 0.35-10.5%, below either part's 21%: found. Held out (odd rows):
 * A = x 100 leads, 21 converted, Wilson 14.2-30.0%, below 116/300 = 38.7%:
 * it holds up; the pair 50, 1: holds. */
struct pairs {
	char *csv;
	size_t len;
	ls_ruleset *rs;
	uint64_t want;
};

/* Both passes over the pairs history, odd rows held out. */
static ls_status two_passes(struct pairs *h, ls_discover **out)
{
	ls_discover *d = NULL;
	ls_status st = LS_OK;
	size_t pass;
	int row;

	for (pass = 0; pass < 2 && st == LS_OK; pass++) {
		ls_reader *r = NULL;
		ls_row line;
		st = ls_reader_open_mem(&r, h->csv, h->len, "pairs.csv", ',', NULL);
		if (st == LS_OK)
			st = ls_reader_next(r, &line, NULL);
		if (st == LS_OK && pass == 0 &&
		    (st = ls_discover_new(&d, h->rs, line.cells, line.ncells, 0)) == LS_OK)
			ls_discover_exclude(d, 2);
		if (st == LS_OK && pass == 1)
			st = ls_discover_probe(d, line.cells, line.ncells, 10, NULL);
		for (row = 0; st == LS_OK && (st = ls_reader_next(r, &line, NULL)) == LS_OK; row++) {
			bool won = ls_cell_is(line.cells[2], "Yes"), held = row % 2 == 1;
			if (pass == 1)
				st = ls_discover_add_again(d, line.cells, 3, won, held);
			else if (!held)
				st = ls_discover_add(d, line.cells, 3, won);
		}
		ls_reader_free(r);
		if (st == LS_DONE)
			st = pass == 0 ? ls_discover_finish(d) : ls_discover_finish_again(d);
	}
	if (st != LS_OK) {
		ls_discover_free(d);
		d = NULL;
	}
	*out = d;
	return st;
}

static void pairs_history(struct pairs *h)
{
	static const struct {
		const char *a, *b;
		int leads, converted;
	} blocks[] = {{"x", "u", 100, 2}, {"x", "v", 100, 40}, {"y", "u", 100, 40},
	              {"y", "v", 300, 150}};
	size_t cap = 32768, i;
	int k;

	memset(h, 0, sizeof(*h));
	h->csv = malloc(cap);
	assert_non_null(h->csv);
	h->rs = unit_rules("{\"id\":\"n\",\"rules\":[{\"id\":\"r\",\"reason\":\"r\","
	                   "\"deduct\":1,\"when\":{\"field\":\"A\",\"op\":\"eq\","
	                   "\"value\":\"never\"}}]}", NULL);
	h->len += (size_t)snprintf(h->csv, cap, "A,B,Won\n");
	for (i = 0; i < 4; i++)
		for (k = 0; k < blocks[i].leads; k++)
			h->len += (size_t)snprintf(h->csv + h->len, cap - h->len, "%s,%s,%s\n", blocks[i].a,
			                           blocks[i].b, k < blocks[i].converted ? "Yes" : "No");
}

static void test_pairs_and_held_out(void **state)
{
	struct pairs h;
	ls_discover *d = NULL;
	size_t i, pairs = 0;

	(void)state;
	pairs_history(&h);
	assert_int_equal(two_passes(&h, &d), LS_OK);
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		if (g->pair) {
			pairs++;
			assert_true(g->found && g->leads == 50 && g->converted == 1);
			assert_string_equal(ls_discover_part(d, g, 0)->value, "x");
			assert_string_equal(ls_discover_part(d, g, 1)->value, "u");
			assert_true(fabs(g->high - 0.10495) < 1e-5);
			assert_true(g->held && g->test_leads == 50 && g->test_converted == 1 && g->holds);
		} else if (g->value != NULL && strcmp(g->value, "x") == 0) {
			assert_true(g->found && g->leads == 100 && g->converted == 21);
			assert_true(g->held && g->test_leads == 100 && g->test_converted == 21 && g->holds);
			assert_true(fabs(g->test_low - 0.14166) < 1e-5 && fabs(g->test_high - 0.29980) < 1e-5);
		}
	}
	assert_int_equal(pairs, 1);
	ls_discover_free(d);
	ls_ruleset_free(h.rs);
	free(h.csv);
}

static ls_status two_passes_once(void *arg)
{
	struct pairs *h = arg;
	ls_discover *d = NULL;
	uint64_t digest = UNIT_FNV_START;
	ls_status st = two_passes(h, &d);
	size_t i;

	if (st != LS_OK)
		return st;
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		uint64_t counts[4] = {g->leads, g->converted, g->test_leads, g->found};
		digest = unit_fnv(unit_fnv_str(digest, g->condition), counts, sizeof(counts));
	}
	ls_discover_free(d);
	return unit_same_answer(st, digest, &h->want);
}

/* Both passes, probes and pairs included, with each allocation failing. */
static void test_two_passes_allocation_failures(void **state)
{
	struct pairs h;

	(void)state;
	pairs_history(&h);
	assert_true(unit_alloc_sweep(two_passes_once, &h) >= 10);
	ls_ruleset_free(h.rs);
	free(h.csv);
}

/* Regression: an address longer than any before it, in a column whose
 * values are no longer looked up (an id past the cap), once overflowed the
 * folding buffer its domain is folded in. */
static void test_long_address_after_the_cap(void **state)
{
	size_t cap = 1 << 20, len = 0, i;
	char *csv = malloc(cap);
	ls_ruleset *rs = unit_rules(PERSONA_NONE, NULL);
	ls_discover *d = NULL;
	ls_reader *r = NULL;
	ls_row row;

	(void)state;
	assert_non_null(csv);
	len += (size_t)snprintf(csv, cap, "Email,Won\n");
	for (i = 0; i < 150; i++)
		len += (size_t)snprintf(csv + len, cap - len, "p%zu@x.io,%s\n", i, i % 3 ? "No" : "Yes");
	for (i = 0; i < 200000; i++)
		csv[len++] = 'a';
	len += (size_t)snprintf(csv + len, cap - len, "@%0100d.example,No\n", 0);
	assert_int_equal(ls_reader_open_mem(&r, csv, len, "long.csv", ',', NULL), LS_OK);
	assert_int_equal(ls_reader_next(r, &row, NULL), LS_OK);
	assert_int_equal(ls_discover_new(&d, rs, row.cells, row.ncells, 100), LS_OK);
	ls_discover_exclude(d, 1);
	while (ls_reader_next(r, &row, NULL) == LS_OK)
		assert_int_equal(ls_discover_add(d, row.cells, 2, ls_cell_is(row.cells[1], "Yes")), LS_OK);
	assert_int_equal(ls_discover_finish(d), LS_OK);
	ls_discover_free(d);
	ls_reader_free(r);
	ls_ruleset_free(rs);
	free(csv);
}

/* Nine years of leads, one a day from 2016-01-01 to 2024-12-31 (3288: 2016,
 * 2020 and 2024 have 366 days), lead i (from 0) converted when it is from
 * 2018 on and i is even: 1278 converted (i = 732, 734, ..., 3286).
 * Past the default cap of 1000 distinct values the days become months (108);
 * decile cuts fall where the leads before a month first reach k x 328.8:
 * 2016-12-01 (Jan-Nov 2016: 335 leads) and 2017-11-01 (366 + 304 = 670), none
 * converted. Past a cap of 100 the 108 months become years (9); the cuts
 * are 2017-01-01 (366 leads) and 2018-01-01 (731), none converted: nine
 * values are still a date column to cut, not an id. */
static void dates_past_the_cap(size_t max_values, size_t distinct, const char *cut[2],
                               const uint64_t leads[2])
{
	size_t cap = 1 << 17, len = 0, i, seen = 0;
	char *csv = malloc(cap), day[LS_DATE_BUFSIZE];
	struct history h;
	ls_discover *d = NULL;
	ls_discover_column_info c;
	int64_t first;

	assert_non_null(csv);
	assert_true(ls_date_parse("2016-01-01", &first));
	len += (size_t)snprintf(csv, cap, "Created,Won\n");
	for (i = 0; i < 3288; i++) {
		ls_date_format(first + (int64_t)i, day);
		len += (size_t)snprintf(csv + len, cap - len, "%s,%s\n", day,
		                        strcmp(day, "2018") > 0 && i % 2 == 0 ? "Yes" : "No");
	}
	load(&h);
	free(h.text);
	h.text = csv;
	h.len = len;
	h.max_values = max_values;
	assert_int_equal(discover(&h, &d), LS_OK);
	ls_discover_column(d, 0, &c);
	assert_int_equal(c.kind, LS_DISCOVER_DATES);
	assert_true(c.capped);
	assert_int_equal(c.distinct, distinct);
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		if (g->found) {
			size_t k = strcmp(g->value, cut[0]) == 0 ? 0 : 1;
			assert_string_equal(g->op, "before");
			assert_string_equal(g->value, cut[k]);
			assert_true(g->leads == leads[k] && g->converted == 0);
			seen |= 1u << k;
		}
	}
	assert_int_equal(seen, 3); /* both cuts */
	ls_discover_free(d);
	unload(&h);
}

static void test_dates_past_the_cap(void **state)
{
	const char *months[2] = {"2016-12-01", "2017-11-01"}, *years[2] = {"2017-01-01", "2018-01-01"};
	const uint64_t month_leads[2] = {335, 670}, year_leads[2] = {366, 731};

	(void)state;
	dates_past_the_cap(0, 108, months, month_leads);
	dates_past_the_cap(100, 9, years, year_leads);
}

/* A history where no lead converted, or every lead did, has no rate to
 * fall below: candidates are counted, none is tested or found. */
static void test_no_rate_to_fall_below(void **state)
{
	static const char *const outcomes[] = {"No", "Yes"};
	char csv[4096];
	struct history h;
	ls_discover *d = NULL;
	size_t i, k, len;

	(void)state;
	for (k = 0; k < 2; k++) {
		len = (size_t)snprintf(csv, sizeof(csv), "Industry,Won\n");
		for (i = 0; i < 40; i++)
			len += (size_t)snprintf(csv + len, sizeof(csv) - len, "%s,%s\n",
			                        i % 2 ? "Retail" : "Software", outcomes[k]);
		load(&h);
		free(h.text);
		h.text = csv;
		h.len = len;
		assert_int_equal(discover(&h, &d), LS_OK);
		assert_int_equal(ls_discover_tried(d), 0);
		for (i = 0; i < ls_discover_segment_count(d); i++)
			assert_false(ls_discover_segment(d, i)->found);
		ls_discover_free(d);
		h.text = NULL;
		unload(&h);
	}
}

static ls_status discover_once(void *arg)
{
	struct history *h = arg;
	ls_discover *d = NULL;
	uint64_t digest = UNIT_FNV_START;
	ls_status st = discover(h, &d);
	size_t i;

	if (st != LS_OK)
		return st;
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		uint64_t counts[2] = {g->leads, g->converted};
		digest = unit_fnv(unit_fnv_str(digest, g->value), counts, sizeof(counts));
	}
	ls_discover_free(d);
	return unit_same_answer(st, digest, &h->want);
}

/* The first 150 leads with each allocation failing in turn. */
static void test_allocation_failures(void **state)
{
	struct history h;

	(void)state;
	load(&h);
	h.rows = 150;
	assert_true(unit_alloc_sweep(discover_once, &h) >= 10);
	unload(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_segments),
		cmocka_unit_test(test_mail_providers),
		cmocka_unit_test(test_pairs_and_held_out),
		cmocka_unit_test(test_long_address_after_the_cap),
		cmocka_unit_test(test_dates_past_the_cap),
		cmocka_unit_test(test_no_rate_to_fall_below),
		cmocka_unit_test(test_allocation_failures),
		cmocka_unit_test(test_two_passes_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
