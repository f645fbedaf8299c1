/* SPDX-License-Identifier: MIT */
/* periods.c - the backtest by period: each lead counted in the backtest
 * of its date's month, quarter or year as well as in the whole one. Dates
 * are read as rules read them (ls_ruleset_read_date). */
#include "periods.h"

#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "report.h"

static const char *const unit_names[] = {"month", "quarter", "year"};

const char *period_unit_name(enum period_unit unit) { return unit_names[unit]; }

int periods_option(struct periods *p, int which, const char *arg)
{
	size_t i;

	if (which == 0) {
		if (p->column_name != NULL)
			return bad_usage("--by given twice");
		if (arg[0] == '\0')
			return bad_usage("--by: expected a date column");
		p->column_name = arg;
		return -1;
	}
	for (i = 0; i < sizeof(unit_names) / sizeof(unit_names[0]); i++) {
		if (strcmp(arg, unit_names[i]) == 0) {
			p->unit = (enum period_unit)i;
			p->unit_given = true;
			return -1;
		}
	}
	return bad_usage("--period: expected month, quarter or year, got '%s'", arg);
}

int periods_check(struct periods *p)
{
	if (p->unit_given && p->column_name == NULL)
		return bad_usage("--period needs --by DATE_COLUMN");
	if (!p->unit_given)
		p->unit = PERIOD_QUARTER;
	return -1;
}

int periods_bind(struct periods *p, const ls_ruleset *rs, const struct input *in)
{
	ls_status st;

	if (p->column_name == NULL)
		return EXIT_OK;
	st = ls_ruleset_find_column(rs, p->column_name, ls_row_text(&in->header), in->header.ncells,
	                            &p->column);
	if (st == LS_OK)
		return EXIT_OK;
	fprintf(stderr, "leadsift: %s:%lu: --by: %s column \"%s\" in the header\n", in->name,
	        in->header.line, st == LS_DONE ? "no" : "more than one", p->column_name);
	return EXIT_INPUT;
}

static int64_t period_key(enum period_unit unit, int64_t days)
{
	int64_t year;
	unsigned month, day;

	ls_date_civil(days, &year, &month, &day);
	if (unit == PERIOD_MONTH)
		return year * 12 + (int64_t)month - 1;
	if (unit == PERIOD_QUARTER)
		return year * 4 + (int64_t)(month - 1) / 3;
	return year;
}

void period_label(enum period_unit unit, int64_t key, char buf[32])
{
	/* Keys are never negative: dates start at year 0. */
	if (unit == PERIOD_MONTH)
		snprintf(buf, 32, "%04lld-%02d", (long long)(key / 12), (int)(key % 12) + 1);
	else if (unit == PERIOD_QUARTER)
		snprintf(buf, 32, "%04lld-Q%d", (long long)(key / 4), (int)(key % 4) + 1);
	else
		snprintf(buf, 32, "%04lld", (long long)key);
}

/* The period of key, made when it is new. */
static struct period *find(struct periods *p, const ls_ruleset *rs, int64_t key)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->list[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n && p->list[lo].key == key)
		return &p->list[lo];
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct period *grown = realloc(p->list, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		p->list = grown;
		p->cap = cap;
	}
	memmove(&p->list[lo + 1], &p->list[lo], (p->n - lo) * sizeof(*p->list));
	p->list[lo].key = key;
	if (ls_backtest_new(&p->list[lo].bt, rs, 0) != LS_OK) {
		memmove(&p->list[lo], &p->list[lo + 1], (p->n - lo) * sizeof(*p->list));
		return NULL;
	}
	p->n++;
	return &p->list[lo];
}

ls_status periods_add(struct periods *p, const ls_ruleset *rs, const ls_row *row,
                      const ls_engine *e, const ls_result *res, bool converted, bool has_value,
                      double value)
{
	struct period *at;
	int64_t days;

	if (p->column_name == NULL || res->not_lead)
		return LS_OK;
	switch (ls_ruleset_read_date(rs, p->column_name, row->text[p->column], &days)) {
	case LS_READ_DATE:
		break;
	case LS_READ_EMPTY:
		p->undated++;
		return LS_OK;
	default:
		if (p->not_dates++ == 0) {
			ls_cell cell = ls_cell_trim(row->text[p->column]);
			p->first_not_date = row->line;
			p->first_value = ls_utf8_copy(cell.ptr, cell.len); /* NULL: said without it */
		}
		return LS_OK;
	}
	at = find(p, rs, period_key(p->unit, days));
	return at != NULL ? ls_backtest_add(at->bt, e, res, converted, has_value, value)
	                  : LS_ERR_NOMEM;
}

/* NN/NN/YYYY (any of / . - between): what the policy's date_format reads. */
static bool day_first_or_month_first(const char *s)
{
	unsigned a, b, y;
	char sep1, sep2, end;

	return sscanf(s, "%2u%c%2u%c%4u%c", &a, &sep1, &b, &sep2, &y, &end) >= 5 &&
	       strchr("/.-", sep1) != NULL && sep1 == sep2;
}

int periods_finish(struct periods *p, const struct input *in)
{
	size_t i;

	if (p->column_name == NULL)
		return EXIT_OK;
	if (p->not_dates > 0 && p->n > 0) {
		fprintf(stderr, "leadsift: warning: %s:%llu: \"%s\" is no date", in->name,
		        (unsigned long long)p->first_not_date, p->column_name);
		if (p->first_value != NULL)
			fprintf(stderr, " (\"%s\")", p->first_value);
		fprintf(stderr, ": %llu lead%s left out of the periods%s\n",
		        (unsigned long long)p->not_dates, p->not_dates == 1 ? "" : "s",
		        p->first_value != NULL && day_first_or_month_first(p->first_value)
		                ? "; dates such as 05/01/2026 need the policy's date_format"
		                : "");
	}
	if (p->n == 0 && p->not_dates + p->undated > 0) {
		fprintf(stderr, "leadsift: %s: --by: no lead has a date in \"%s\"\n", in->name,
		        p->column_name);
		return EXIT_INPUT;
	}
	for (i = 0; i < p->n; i++)
		if (ls_backtest_finish(p->list[i].bt) != LS_OK)
			return report_status(LS_ERR_NOMEM);
	return EXIT_OK;
}

void periods_free(struct periods *p)
{
	size_t i;

	free(p->first_value);
	for (i = 0; i < p->n; i++)
		ls_backtest_free(p->list[i].bt);
	free(p->list);
}

/* ---- Text ------------------------------------------------------------- */

static void text_totals(const struct periods *p, FILE *f)
{
	size_t i;

	fprintf(f, "\nby %s of \"%s\" (%llu lead%s without a date, %llu not a date)\n",
	        unit_names[p->unit], p->column_name, (unsigned long long)p->undated,
	        p->undated == 1 ? "" : "s", (unsigned long long)p->not_dates);
	fprintf(f, "%-10s %8s %10s %9s %13s %8s\n", "period", "leads", "converted", "rate",
	        "disqualified", "missed");
	for (i = 0; i < p->n; i++) {
		ls_backtest_totals t;
		char label[32];
		ls_backtest_get_totals(p->list[i].bt, &t);
		period_label(p->unit, p->list[i].key, label);
		fprintf(f, "%-10s %8llu %10llu %8.2f%% %13llu %8llu\n", label,
		        (unsigned long long)t.leads, (unsigned long long)t.converted,
		        100 * t.base_rate, (unsigned long long)t.disqualified,
		        (unsigned long long)t.matrix[1][1]);
	}
}

void periods_text(const struct periods *p, const ls_ruleset *rs, FILE *f)
{
	size_t i, q, k;
	char label[32], name[256];

	if (p->column_name == NULL)
		return;
	text_totals(p, f);
	fprintf(f, "\nhits and lift by %s (\"!\": costs good deals in that %s; \"~\": dead "
	           "weight)\n%-40s", unit_names[p->unit], unit_names[p->unit], "persona / rule");
	for (i = 0; i < p->n; i++) {
		period_label(p->unit, p->list[i].key, label);
		fprintf(f, " %13s", label);
	}
	fputc('\n', f);
	for (q = 0; q < ls_ruleset_persona_count(rs); q++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, q); k++) {
			snprintf(name, sizeof(name), "%s/%s", ls_ruleset_persona_id(rs, q),
			         ls_ruleset_rule_id(rs, q, k));
			fprintf(f, "%-40s", name);
			for (i = 0; i < p->n; i++) {
				ls_backtest_hits h;
				char lift[16] = "-";
				ls_backtest_rule(p->list[i].bt, q, k, &h);
				if (h.has_lift)
					snprintf(lift, sizeof(lift), "%.2f", h.lift);
				fprintf(f, " %6llu %c%5s", (unsigned long long)h.hits,
				        h.verdict == LS_VERDICT_COSTLY       ? '!'
				        : h.verdict == LS_VERDICT_DEAD_WEIGHT ? '~'
				                                              : ' ',
				        lift);
			}
			fputc('\n', f);
		}
	}
}

/* ---- JSON ------------------------------------------------------------- */

cJSON *periods_json(const struct periods *p, const ls_ruleset *rs, bool *nomem)
{
	cJSON *o = cJSON_CreateObject(), *list;
	size_t i;

	json_add(o, "column", cJSON_CreateString(p->column_name), nomem);
	json_add(o, "unit", cJSON_CreateString(unit_names[p->unit]), nomem);
	json_add(o, "undated", cJSON_CreateNumber((double)p->undated), nomem);
	json_add(o, "not_dates", cJSON_CreateNumber((double)p->not_dates), nomem);
	list = json_add(o, "list", cJSON_CreateArray(), nomem);
	for (i = 0; i < p->n; i++) {
		ls_backtest_totals t;
		char label[32];
		cJSON *one = json_add(list, NULL, cJSON_CreateObject(), nomem);
		ls_backtest_get_totals(p->list[i].bt, &t);
		period_label(p->unit, p->list[i].key, label);
		json_add(one, "period", cJSON_CreateString(label), nomem);
		json_add(one, "leads", cJSON_CreateNumber((double)t.leads), nomem);
		json_add(one, "converted", cJSON_CreateNumber((double)t.converted), nomem);
		json_add(one, "base_rate", cJSON_CreateNumber(t.base_rate), nomem);
		json_add(one, "base_rate_interval", report_json_wilson(t.converted, t.leads), nomem);
		json_add(one, "disqualified", cJSON_CreateNumber((double)t.disqualified), nomem);
		json_add(one, "missed", cJSON_CreateNumber((double)t.matrix[1][1]), nomem);
		json_add(one, "missed_share", cJSON_CreateNumber(report_missed_share(&t)), nomem);
		json_add(one, "missed_share_interval", report_json_wilson(t.matrix[1][1], t.converted),
		         nomem);
		json_add(one, "personas", report_json_personas(rs, p->list[i].bt, nomem), nomem);
	}
	if (o == NULL)
		*nomem = true;
	return o;
}
