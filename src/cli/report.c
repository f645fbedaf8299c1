/* SPDX-License-Identifier: MIT */
/* report.c - the outcome column, and the backtest report as text and JSON. */
#include "report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

/* What "converted" looks like in exports when no values are given. */
static const char *const default_values[] = {"1", "true", "yes", "y", "won", "closed won",
                                             "converted", NULL};

/* A comma-separated list of values, each trimmed and not empty, into a
 * NULL-ended array; `arg` is the option's whole value, for messages.
 * Returns -1 or a usage error's exit code. */
static int parse_values(const char *option, const char *arg, const char *list, char ***out)
{
	const char *p = list;
	size_t n = 1, i;

	for (; *p; p++)
		n += *p == ',';
	*out = calloc(n + 1, sizeof(**out));
	if (*out == NULL)
		return report_status(LS_ERR_NOMEM);
	for (i = 0, p = list; i < n; i++) {
		const char *end = strchr(p, ',');
		ls_cell v = {p, end ? (size_t)(end - p) : strlen(p)};
		p = end ? end + 1 : p + v.len;
		v = ls_cell_trim(v);
		if (v.len == 0)
			return bad_usage("%s: empty value in '%s' (an empty outcome cell means the "
			                 "outcome is unknown)", option, arg);
		(*out)[i] = strndup(v.ptr, v.len);
		if ((*out)[i] == NULL)
			return report_status(LS_ERR_NOMEM);
	}
	return -1;
}

int outcome_option(struct outcome *o, int c, const char *arg)
{
	if (c == OPT_VALUE) {
		o->value_name = arg;
		return -1;
	}
	if (c == OPT_COST) {
		ls_num_kind kind = ls_number_parse(arg, strlen(arg), &o->cost_per_lead);
		if (kind != LS_NUM_OK || o->cost_per_lead < 0)
			return bad_usage("--cost-per-lead: expected a number of at least 0, got '%s'", arg);
		o->has_cost = true;
		return -1;
	}
	if (c == OPT_LOST) {
		if (o->lost != NULL)
			return bad_usage("--lost given twice");
		return parse_values("--lost", arg, arg, &o->lost);
	}
	if (o->given)
		return bad_usage("--outcome given twice");
	o->given = true;
	return outcome_parse(o, arg);
}

int outcome_check(const struct outcome *o)
{
	size_t i, k;

	if (!o->given && (o->lost != NULL || o->value_name != NULL || o->has_cost))
		return bad_usage("%s needs --outcome COLUMN[=VALUES]",
		                 o->lost != NULL ? "--lost" : o->value_name ? "--value" : "--cost-per-lead");
	for (i = 0; o->lost != NULL && o->lost[i] != NULL; i++)
		for (k = 0; o->values[k] != NULL; k++)
			if (ls_cell_is((ls_cell){o->lost[i], strlen(o->lost[i])}, o->values[k]))
				return bad_usage("--lost: '%s' is a converted value too", o->lost[i]);
	return -1;
}

int outcome_parse(struct outcome *o, const char *spec)
{
	const char *eq = strchr(spec, '=');
	size_t n, i;

	if (spec[0] == '\0' || eq == spec)
		return bad_usage("--outcome: expected COLUMN or COLUMN=VALUE[,VALUE...], got '%s'", spec);
	o->column_name = eq ? strndup(spec, (size_t)(eq - spec)) : strdup(spec);
	if (o->column_name == NULL)
		return report_status(LS_ERR_NOMEM);
	if (eq != NULL)
		return parse_values("--outcome", spec, eq + 1, &o->values);
	o->default_values = true;
	for (n = 0; default_values[n] != NULL; n++)
		;
	o->values = calloc(n + 1, sizeof(*o->values));
	if (o->values == NULL)
		return report_status(LS_ERR_NOMEM);
	for (i = 0; i < n; i++)
		if ((o->values[i] = strdup(default_values[i])) == NULL)
			return report_status(LS_ERR_NOMEM);
	return -1;
}

static void free_values(char **values)
{
	size_t i;

	for (i = 0; values != NULL && values[i] != NULL; i++)
		free(values[i]);
	free(values);
}

void outcome_free(struct outcome *o)
{
	size_t i;

	free_values(o->values);
	free_values(o->lost);
	for (i = 0; i < o->nseen; i++)
		free(o->seen[i].value);
	free(o->column_name);
}

static int bind_one(const ls_ruleset *rs, const struct input *in, const char *option,
                    const char *name, size_t *column)
{
	ls_status st = ls_ruleset_find_column(rs, name, ls_row_text(&in->header), in->header.ncells,
	                                      column);

	if (st == LS_OK)
		return EXIT_OK;
	fprintf(stderr, "leadsift: %s:%lu: %s: %s column \"%s\" in the header\n", in->name,
	        in->header.line, option, st == LS_DONE ? "no" : "more than one", name);
	return EXIT_INPUT;
}

int outcome_bind(struct outcome *o, const ls_ruleset *rs, const struct input *in)
{
	int code = bind_one(rs, in, "--outcome", o->column_name, &o->column);

	if (code == EXIT_OK && o->value_name != NULL)
		code = bind_one(rs, in, "--value", o->value_name, &o->value_column);
	return code;
}

/* Notes an outcome value while no cell has said converted yet. */
static void remember_value(struct outcome *o, ls_cell cell)
{
	size_t i;

	for (i = 0; i < o->nseen; i++) {
		if (ls_cell_is(cell, o->seen[i].value)) { /* as values are compared */
			o->seen[i].count++;
			return;
		}
	}
	/* Past the first few dozen values the message has its examples; a
	 * value that cannot be copied is only left out of it. */
	if (o->nseen == OUTCOME_SEEN_MAX ||
	    (o->seen[o->nseen].value = ls_utf8_copy(cell.ptr, cell.len)) == NULL)
		return;
	o->seen[o->nseen++].count = 1;
}

static bool is_one_of(ls_cell cell, char *const *values)
{
	size_t i;

	for (i = 0; values[i] != NULL; i++)
		if (ls_cell_is(cell, values[i]))
			return true;
	return false;
}

bool outcome_read(struct outcome *o, const ls_row *row, bool *converted, bool *has_value,
                  double *value)
{
	ls_cell cell = ls_cell_trim(row->text[o->column]);

	*converted = false;
	*has_value = false;
	if (cell.len == 0) {
		o->unknown++;
		return false;
	}
	*converted = is_one_of(cell, o->values);
	o->converted += *converted;
	if (o->converted == 0)
		remember_value(o, cell);
	if (!*converted && o->lost != NULL && !is_one_of(cell, o->lost)) {
		o->open++;
		return false;
	}
	if (o->value_name != NULL) {
		ls_cell vc = row->text[o->value_column];
		ls_num_kind kind = ls_number_parse(vc.ptr, vc.len, value);
		*has_value = kind == LS_NUM_OK;
		o->value_invalid += kind == LS_NUM_INVALID;
	}
	return true;
}

static int by_count(const void *a, const void *b)
{
	const struct outcome_seen *x = a, *y = b;

	return x->count != y->count ? (x->count < y->count ? 1 : -1) : strcmp(x->value, y->value);
}

int outcome_finish(const struct outcome *o, const struct input *in)
{
	struct outcome_seen top[OUTCOME_SEEN_MAX];
	size_t i;

	if (o->converted > 0)
		return EXIT_OK;
	fprintf(stderr, "leadsift: %s: no \"%s\" cell says converted (", in->name, o->column_name);
	/* A column of outcomes that never says converted is the wrong column,
	 * or values that are not the export's: 0 conversions would mislead. */
	for (i = 0; o->values[i] != NULL; i++)
		fprintf(stderr, "%s%s", i == 0 ? "" : ", ", o->values[i]);
	if (o->nseen == 0) {
		fprintf(stderr, "): the column is empty\n");
		return EXIT_INPUT;
	}
	memcpy(top, o->seen, o->nseen * sizeof(*top));
	qsort(top, o->nseen, sizeof(*top), by_count);
	fprintf(stderr, "); its most common values:");
	for (i = 0; i < o->nseen && i < 5; i++)
		fprintf(stderr, "%s \"%s\" (%llu)", i == 0 ? "" : ",", top[i].value,
		        (unsigned long long)top[i].count);
	fprintf(stderr, "; name the converted ones with --outcome \"%s=VALUE,...\"\n",
	        o->column_name);
	return EXIT_INPUT;
}

/* "a, b or c" */
static void list_values(char *const *values, FILE *f)
{
	size_t i;

	for (i = 0; values[i] != NULL; i++)
		fprintf(f, "%s%s", i == 0 ? "" : values[i + 1] == NULL ? " or " : ", ", values[i]);
}

void outcome_describe(const struct outcome *o, FILE *f)
{
	fprintf(f, "\"%s\" is ", o->column_name);
	list_values(o->values, f);
	if (o->lost != NULL) {
		fputs(" (ignoring case), not converted when it is ", f);
		list_values(o->lost, f);
		fputs("; any other cell is unknown", f);
	} else {
		fputs(" (ignoring case); an empty cell is unknown", f);
	}
}

void report_money(const struct outcome *o, const ls_backtest_totals *t, struct money *m)
{
	uint64_t kept = t->leads - t->disqualified;

	m->not_worked = t->disqualified;
	m->saved = (double)t->disqualified * o->cost_per_lead;
	m->has_cpa_all = t->converted > 0;
	m->cpa_all = m->has_cpa_all ? (double)t->leads * o->cost_per_lead / (double)t->converted : 0;
	m->has_cpa_kept = t->matrix[0][1] > 0;
	m->cpa_kept = m->has_cpa_kept ? (double)kept * o->cost_per_lead / (double)t->matrix[0][1] : 0;
}

static double share(uint64_t part, uint64_t whole)
{
	return whole > 0 ? (double)part / (double)whole : 0;
}

double report_missed_share(const ls_backtest_totals *t)
{
	return share(t->matrix[1][1], t->converted);
}

/* ---- Text --------------------------------------------------------------- */

const char *verdict_text(ls_verdict v)
{
	switch (v) {
	case LS_VERDICT_TOO_FEW: return "too few leads to tell";
	case LS_VERDICT_COSTLY: return "costs good deals";
	case LS_VERDICT_DEAD_WEIGHT: return "dead weight";
	case LS_VERDICT_NONE: break;
	}
	return "";
}

const char *verdict_key(ls_verdict v)
{
	switch (v) {
	case LS_VERDICT_TOO_FEW: return "too_few";
	case LS_VERDICT_COSTLY: return "costly";
	case LS_VERDICT_DEAD_WEIGHT: return "dead_weight";
	case LS_VERDICT_NONE: break;
	}
	return NULL;
}

/* "12.34-56.78" as percentages, or "-" for an empty interval. */
static const char *interval(char *buf, size_t size, double scale, double low, double high,
                            bool has)
{
	if (!has)
		return "-";
	snprintf(buf, size, scale == 100 ? "%.1f-%.1f" : "%.2f-%.2f", scale * low, scale * high);
	return buf;
}

static void text_hits(FILE *f, const char *indent, const char *id, const ls_backtest_hits *h)
{
	char lift[16] = "-", li[32], ri[32], q[16] = "-";
	int pad = 26 - (int)strlen(indent);

	if (h->has_lift)
		snprintf(lift, sizeof(lift), "%.2f", h->lift);
	if (h->tested)
		snprintf(q, sizeof(q), h->q_value < 0.001 ? "<.001" : "%.3f", h->q_value);
	fprintf(f, "%s%-*s %7llu %9llu %7.2f%% %5s %-11s %7llu %9llu %7.2f%% %-11s %5s%s%s\n", indent,
	        pad < 1 ? 1 : pad, id, (unsigned long long)h->hits, (unsigned long long)h->converted,
	        100 * h->rate, lift,
	        interval(li, sizeof(li), 1, h->lift_low, h->lift_high, h->has_lift),
	        (unsigned long long)h->alone, (unsigned long long)h->alone_converted,
	        100 * h->alone_rate,
	        interval(ri, sizeof(ri), 100, h->alone_low, h->alone_high, h->alone > 0), q,
	        h->verdict != LS_VERDICT_NONE ? "  " : "", verdict_text(h->verdict));
}

static void text_money(FILE *f, const struct outcome *o, const ls_backtest_totals *t)
{
	struct money m;

	report_money(o, t, &m);
	fprintf(f, "\nat %.2f per lead worked: %llu lead%s not worked save %.2f", o->cost_per_lead,
	        (unsigned long long)m.not_worked, m.not_worked == 1 ? "" : "s", m.saved);
	if (o->value_name != NULL)
		fprintf(f, " (and lose %.2f of converted value)", t->missed_value);
	fputs("\ncost per acquisition: ", f);
	if (m.has_cpa_all)
		fprintf(f, "%.2f working every lead", m.cpa_all);
	else
		fputs("- working every lead (no conversions)", f);
	if (m.has_cpa_kept)
		fprintf(f, ", %.2f working the kept ones", m.cpa_kept);
	else
		fputs(", - working the kept ones (none converted)", f);
}

/* What the verdicts under the table mean, for those it shows. */
static void text_verdicts(FILE *f, const size_t count[], double base)
{
	if (count[LS_VERDICT_COSTLY] > 0)
		fprintf(f, "\ncosts good deals: the leads it alone disqualifies convert above the base "
		           "rate (%.2f%%),\n  the whole 95%% interval above it, q <= 0.05; removing it "
		           "keeps good deals.\n", 100 * base);
	if (count[LS_VERDICT_DEAD_WEIGHT] > 0)
		fputs("\ndead weight: its hits convert below the base rate (q <= 0.05) but it "
		      "disqualifies\n  no lead alone: it changes no verdict (make it disqualify, or "
		      "drop it).\n", f);
	if (count[LS_VERDICT_TOO_FEW] > 0)
		fputs("\ntoo few leads to tell: fewer than 5 conversions or 5 others expected at the "
		      "base rate.\n", f);
	fputs("\n(95%: Wilson score intervals; q: the score test's p-value adjusted over every\n"
	      "rule and persona tested, Benjamini-Hochberg; see leadsift(1), backtest.)\n", f);
}

void report_text(const struct report *r, FILE *f)
{
	const ls_ruleset *rs = r->rs;
	ls_backtest_totals t;
	ls_backtest_hits h;
	size_t p, k, count[LS_VERDICT_DEAD_WEIGHT + 1] = {0};

	ls_backtest_get_totals(r->bt, &t);
	fprintf(f, "%sbacktest of %zu personas on %s (rules %.12s)\n", r->label ? r->label : "",
	        ls_ruleset_persona_count(rs), r->input, ls_ruleset_fingerprint(rs));
	fputs("outcome: converted when ", f);
	outcome_describe(r->outcome, f);
	fputs("\n\n", f);
	fprintf(f, "leads            %10llu\n", (unsigned long long)t.leads);
	if (r->outcome->lost != NULL)
		fprintf(f, "  left out       %10llu  (%llu empty, %llu neither converted nor lost)\n",
		        (unsigned long long)(r->outcome->unknown + r->outcome->open),
		        (unsigned long long)r->outcome->unknown, (unsigned long long)r->outcome->open);
	else if (r->outcome->unknown > 0)
		fprintf(f, "  left out       %10llu  (empty outcome)\n",
		        (unsigned long long)r->outcome->unknown);
	if (ls_ruleset_require(rs) != NULL)
		fprintf(f, "  not leads      %10llu  (failing the policy's require)\n",
		        (unsigned long long)t.not_leads);
	fprintf(f, "converted        %10llu  base conversion rate %.2f%% (95%%: %.1f-%.1f%%)\n",
	        (unsigned long long)t.converted, 100 * t.base_rate, 100 * t.base_low,
	        100 * t.base_high);
	fprintf(f, "disqualified     %10llu  %.2f%% of leads\n\n", (unsigned long long)t.disqualified,
	        100 * share(t.disqualified, t.leads));
	fprintf(f, "%-16s %10s %14s %10s\n", "", "converted", "not converted", "total");
	fprintf(f, "%-16s %10llu %14llu %10llu\n", "disqualified", (unsigned long long)t.matrix[1][1],
	        (unsigned long long)t.matrix[1][0], (unsigned long long)t.disqualified);
	fprintf(f, "%-16s %10llu %14llu %10llu\n", "kept", (unsigned long long)t.matrix[0][1],
	        (unsigned long long)t.matrix[0][0], (unsigned long long)(t.leads - t.disqualified));
	fprintf(f, "%-16s %10llu %14llu %10llu\n\n", "total", (unsigned long long)t.converted,
	        (unsigned long long)(t.leads - t.converted), (unsigned long long)t.leads);
	fprintf(f, "missed opportunities: %llu converted lead%s disqualified (%.2f%% of conversions)",
	        (unsigned long long)t.matrix[1][1], t.matrix[1][1] == 1 ? "" : "s",
	        100 * report_missed_share(&t));
	if (r->outcome->value_name != NULL) {
		fprintf(f, ", value %.2f of %.2f converted", t.missed_value, t.converted_value);
		if (t.missed_unvalued > 0)
			fprintf(f, " (%llu without a value)", (unsigned long long)t.missed_unvalued);
		if (r->outcome->value_invalid > 0)
			fprintf(f, "; %llu \"%s\" cell%s not a number",
			        (unsigned long long)r->outcome->value_invalid, r->outcome->value_name,
			        r->outcome->value_invalid == 1 ? " is" : "s are");
	}
	if (r->outcome->has_cost)
		text_money(f, r->outcome, &t);
	fprintf(f, "\n\n%-72s%s\n", "", "disqualifies alone: kept were it removed");
	fprintf(f, "%-26s %7s %9s %8s %5s %-11s %7s %9s %8s %-11s %5s  %s\n", "persona / rule", "hits",
	        "converted", "rate", "lift", "(95%)", "leads", "converted", "rate", "(95%)", "q",
	        "verdict");
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(r->bt, p, &h);
		text_hits(f, "", ls_ruleset_persona_id(rs, p), &h);
		count[h.verdict]++;
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			ls_backtest_rule(r->bt, p, k, &h);
			text_hits(f, "  ", ls_ruleset_rule_id(rs, p, k), &h);
			count[h.verdict]++;
		}
	}
	text_verdicts(f, count, t.base_rate);
	if (r->periods != NULL)
		periods_text(r->periods, rs, f);
}

/* ---- JSON ------------------------------------------------------------------ */

static cJSON *json_count(uint64_t n) { return cJSON_CreateNumber((double)n); }

/* [low, high], or null when there is no interval. */
static cJSON *json_interval(double low, double high, bool has)
{
	double both[2] = {low, high};

	return has ? cJSON_CreateDoubleArray(both, 2) : cJSON_CreateNull();
}

cJSON *report_json_wilson(uint64_t x, uint64_t n)
{
	double low, high;

	ls_wilson_interval(x, n, &low, &high);
	return json_interval(low, high, n > 0);
}

static cJSON *json_hits(const char *id, const ls_backtest_hits *h, bool *nomem)
{
	cJSON *o = cJSON_CreateObject();

	json_add(o, "id", cJSON_CreateString(id), nomem);
	json_add(o, "hits", json_count(h->hits), nomem);
	json_add(o, "converted", json_count(h->converted), nomem);
	json_add(o, "rate", cJSON_CreateNumber(h->rate), nomem);
	json_add(o, "rate_interval", json_interval(h->rate_low, h->rate_high, h->hits > 0), nomem);
	json_add(o, "lift", h->has_lift ? cJSON_CreateNumber(h->lift) : cJSON_CreateNull(), nomem);
	json_add(o, "lift_interval", json_interval(h->lift_low, h->lift_high, h->has_lift), nomem);
	json_add(o, "alone", json_count(h->alone), nomem);
	json_add(o, "alone_converted", json_count(h->alone_converted), nomem);
	json_add(o, "alone_rate", cJSON_CreateNumber(h->alone_rate), nomem);
	json_add(o, "alone_interval", json_interval(h->alone_low, h->alone_high, h->alone > 0), nomem);
	json_add(o, "p_value", h->tested ? cJSON_CreateNumber(h->p_value) : cJSON_CreateNull(), nomem);
	json_add(o, "q_value", h->tested ? cJSON_CreateNumber(h->q_value) : cJSON_CreateNull(), nomem);
	json_add(o, "verdict",
	         verdict_key(h->verdict) ? cJSON_CreateString(verdict_key(h->verdict))
	                                 : cJSON_CreateNull(), nomem);
	if (o == NULL)
		*nomem = true;
	return o;
}

cJSON *report_json_personas(const ls_ruleset *rs, const ls_backtest *bt, bool *nomem)
{
	cJSON *list = cJSON_CreateArray(), *o, *rules;
	ls_backtest_hits h;
	size_t p, k;

	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_persona_info pi;
		ls_ruleset_persona_info(rs, p, &pi);
		ls_backtest_persona(bt, p, &h);
		o = json_add(list, NULL, json_hits(pi.id, &h, nomem), nomem);
		json_add(o, "max_deduct", pi.capped ? json_fixed(pi.max_deduct) : cJSON_CreateNull(),
		         nomem);
		rules = json_add(o, "rules", cJSON_CreateArray(), nomem);
		for (k = 0; k < pi.nrules; k++) {
			ls_rule_info ri;
			cJSON *rule;
			ls_ruleset_rule_info(rs, p, k, &ri);
			ls_backtest_rule(bt, p, k, &h);
			rule = json_add(rules, NULL, json_hits(ri.id, &h, nomem), nomem);
			json_add(rule, "deduct", json_fixed(ri.deduct), nomem);
			json_add(rule, "disqualify", cJSON_CreateBool(ri.disqualify), nomem);
		}
	}
	if (list == NULL)
		*nomem = true;
	return list;
}

cJSON *report_json(const struct report *r, bool *nomem)
{
	const ls_ruleset *rs = r->rs;
	const struct outcome *oc = r->outcome;
	cJSON *root = cJSON_CreateObject(), *o, *list;
	ls_backtest_totals t;
	size_t k;

	ls_backtest_get_totals(r->bt, &t);
	json_add(root, "input", cJSON_CreateString(r->input), nomem);
	json_add(root, "fingerprint", cJSON_CreateString(ls_ruleset_fingerprint(rs)), nomem);
	json_add(root, "base", json_fixed(ls_ruleset_base(rs)), nomem);
	json_add(root, "threshold", json_fixed(ls_ruleset_threshold(rs)), nomem);
	o = json_add(root, "outcome", cJSON_CreateObject(), nomem);
	json_add(o, "column", cJSON_CreateString(oc->column_name), nomem);
	list = json_add(o, "converted_values", cJSON_CreateArray(), nomem);
	for (k = 0; oc->values[k] != NULL; k++)
		json_add(list, NULL, cJSON_CreateString(oc->values[k]), nomem);
	list = json_add(o, "lost_values", oc->lost != NULL ? cJSON_CreateArray() : cJSON_CreateNull(),
	                nomem);
	for (k = 0; oc->lost != NULL && oc->lost[k] != NULL; k++)
		json_add(list, NULL, cJSON_CreateString(oc->lost[k]), nomem);
	json_add(o, "value_column",
	         oc->value_name ? cJSON_CreateString(oc->value_name) : cJSON_CreateNull(), nomem);
	json_add(root, "leads", json_count(t.leads), nomem);
	json_add(root, "left_out", json_count(oc->unknown + oc->open), nomem);
	json_add(root, "left_out_empty", json_count(oc->unknown), nomem);
	json_add(root, "left_out_open", json_count(oc->open), nomem);
	json_add(root, "not_leads", json_count(t.not_leads), nomem);
	json_add(root, "converted", json_count(t.converted), nomem);
	json_add(root, "base_rate", cJSON_CreateNumber(t.base_rate), nomem);
	json_add(root, "base_rate_interval", report_json_wilson(t.converted, t.leads), nomem);
	json_add(root, "disqualified", json_count(t.disqualified), nomem);
	json_add(root, "disqualified_share", cJSON_CreateNumber(share(t.disqualified, t.leads)),
	         nomem);
	json_add(root, "disqualified_share_interval", report_json_wilson(t.disqualified, t.leads), nomem);
	o = json_add(root, "matrix", cJSON_CreateObject(), nomem);
	json_add(o, "disqualified_converted", json_count(t.matrix[1][1]), nomem);
	json_add(o, "disqualified_not_converted", json_count(t.matrix[1][0]), nomem);
	json_add(o, "kept_converted", json_count(t.matrix[0][1]), nomem);
	json_add(o, "kept_not_converted", json_count(t.matrix[0][0]), nomem);
	o = json_add(root, "missed", cJSON_CreateObject(), nomem);
	json_add(o, "leads", json_count(t.matrix[1][1]), nomem);
	json_add(o, "share_of_converted", cJSON_CreateNumber(report_missed_share(&t)),
	         nomem);
	json_add(o, "share_of_converted_interval", report_json_wilson(t.matrix[1][1], t.converted), nomem);
	if (oc->value_name != NULL) {
		json_add(o, "value", cJSON_CreateNumber(t.missed_value), nomem);
		json_add(o, "without_value", json_count(t.missed_unvalued), nomem);
		json_add(root, "converted_value", cJSON_CreateNumber(t.converted_value), nomem);
		json_add(root, "value_not_numbers", json_count(oc->value_invalid), nomem);
	}
	if (oc->has_cost) {
		struct money m;
		report_money(oc, &t, &m);
		o = json_add(root, "money", cJSON_CreateObject(), nomem);
		json_add(o, "cost_per_lead", cJSON_CreateNumber(oc->cost_per_lead), nomem);
		json_add(o, "not_worked", json_count(m.not_worked), nomem);
		json_add(o, "saved", cJSON_CreateNumber(m.saved), nomem);
		json_add(o, "cost_per_acquisition_all",
		         m.has_cpa_all ? cJSON_CreateNumber(m.cpa_all) : cJSON_CreateNull(), nomem);
		json_add(o, "cost_per_acquisition_kept",
		         m.has_cpa_kept ? cJSON_CreateNumber(m.cpa_kept) : cJSON_CreateNull(), nomem);
	}
	json_add(root, "personas", report_json_personas(rs, r->bt, nomem), nomem);
	if (r->periods != NULL && r->periods->column_name != NULL)
		json_add(root, "periods", periods_json(r->periods, rs, nomem), nomem);
	o = json_add(root, "score_distribution", cJSON_CreateObject(), nomem);
	json_add(o, "bin_width", json_fixed(ls_backtest_bin_width(r->bt)), nomem);
	list = json_add(o, "bins", cJSON_CreateArray(), nomem);
	for (k = 0; k < ls_backtest_bin_count(r->bt); k++) {
		ls_fixed low;
		uint64_t yes, no;
		cJSON *bin;
		ls_backtest_bin(r->bt, k, &low, &yes, &no);
		bin = json_add(list, NULL, cJSON_CreateObject(), nomem);
		json_add(bin, "low", json_fixed(low), nomem);
		json_add(bin, "converted", json_count(yes), nomem);
		json_add(bin, "not_converted", json_count(no), nomem);
	}
	if (root == NULL)
		*nomem = true;
	return root;
}
