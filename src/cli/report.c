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

static char *folded_copy(const char *s, size_t len)
{
	char *copy = malloc(len + 1);
	size_t i;

	if (copy == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		copy[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	copy[len] = '\0';
	return copy;
}

int outcome_option(struct outcome *o, int c, const char *arg)
{
	if (c == OPT_VALUE) {
		o->value_name = arg;
		return -1;
	}
	if (o->given)
		return bad_usage("--outcome given twice");
	o->given = true;
	return outcome_parse(o, arg);
}

int outcome_parse(struct outcome *o, const char *spec)
{
	const char *eq = strchr(spec, '='), *p;
	size_t n = 0, i;

	if (spec[0] == '\0' || eq == spec)
		return bad_usage("--outcome: expected COLUMN or COLUMN=VALUE[,VALUE...], got '%s'", spec);
	o->column_name = eq ? strndup(spec, (size_t)(eq - spec)) : strdup(spec);
	if (o->column_name == NULL)
		return report_status(LS_ERR_NOMEM);
	if (eq == NULL) {
		o->default_values = true;
		for (n = 0; default_values[n] != NULL; n++)
			;
	} else {
		for (n = 1, p = eq + 1; *p; p++)
			n += *p == ',';
	}
	o->values = calloc(n + 1, sizeof(*o->values));
	if (o->values == NULL)
		return report_status(LS_ERR_NOMEM);
	for (i = 0, p = eq ? eq + 1 : NULL; i < n; i++) {
		ls_cell v;
		if (eq == NULL) {
			v.ptr = default_values[i];
			v.len = strlen(v.ptr);
		} else {
			const char *end = strchr(p, ',');
			v.ptr = p;
			v.len = end ? (size_t)(end - p) : strlen(p);
			p = end ? end + 1 : p + v.len;
			v = ls_cell_trim(v);
			if (v.len == 0)
				return bad_usage("--outcome: empty value in '%s' (an empty outcome cell means "
				                 "the outcome is unknown)", spec);
		}
		o->values[i] = folded_copy(v.ptr, v.len);
		if (o->values[i] == NULL)
			return report_status(LS_ERR_NOMEM);
	}
	return -1;
}

void outcome_free(struct outcome *o)
{
	size_t i;

	for (i = 0; o->values != NULL && o->values[i] != NULL; i++)
		free(o->values[i]);
	free(o->values);
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

bool outcome_read(struct outcome *o, const ls_row *row, bool *converted, bool *has_value,
                  double *value)
{
	ls_cell cell = ls_cell_trim(row->text[o->column]);
	size_t i;

	*converted = false;
	*has_value = false;
	if (cell.len == 0) {
		o->unknown++;
		return false;
	}
	for (i = 0; o->values[i] != NULL && !*converted; i++)
		*converted = ls_cell_is(cell, o->values[i]);
	if (o->value_name != NULL) {
		ls_cell vc = row->text[o->value_column];
		ls_num_kind kind = ls_number_parse(vc.ptr, vc.len, value);
		*has_value = kind == LS_NUM_OK;
		o->value_invalid += kind == LS_NUM_INVALID;
	}
	return true;
}

void outcome_describe(const struct outcome *o, FILE *f)
{
	size_t i;

	fprintf(f, "\"%s\" is ", o->column_name);
	for (i = 0; o->values[i] != NULL; i++)
		fprintf(f, "%s%s", i == 0 ? "" : o->values[i + 1] == NULL ? " or " : ", ", o->values[i]);
	fputs(" (ignoring case); an empty cell is unknown", f);
}

/* ---- Text --------------------------------------------------------------- */

static double share(uint64_t part, uint64_t whole)
{
	return whole > 0 ? (double)part / (double)whole : 0;
}

static void text_hits(FILE *f, const char *indent, const char *id, const ls_backtest_hits *h)
{
	char lift[32] = "-";
	int pad = 32 - (int)strlen(indent);

	if (h->has_lift)
		snprintf(lift, sizeof(lift), "%.2f", h->lift);
	fprintf(f, "%s%-*s %8llu %10llu %8.2f%% %7s%s\n", indent, pad < 1 ? 1 : pad, id,
	        (unsigned long long)h->hits, (unsigned long long)h->converted, 100 * h->rate, lift,
	        h->costly ? "  costs good deals" : "");
}

void report_text(const struct report *r, FILE *f)
{
	const ls_ruleset *rs = r->rs;
	ls_backtest_totals t;
	ls_backtest_hits h;
	size_t p, k, costly = 0;

	ls_backtest_get_totals(r->bt, &t);
	fprintf(f, "%sbacktest of %zu personas on %s (rules %.12s)\n", r->label ? r->label : "",
	        ls_ruleset_persona_count(rs), r->input, ls_ruleset_fingerprint(rs));
	fputs("outcome: converted when ", f);
	outcome_describe(r->outcome, f);
	fputs("\n\n", f);
	fprintf(f, "leads            %10llu\n", (unsigned long long)t.leads);
	if (r->outcome->unknown > 0)
		fprintf(f, "  left out       %10llu  (empty outcome)\n",
		        (unsigned long long)r->outcome->unknown);
	if (ls_ruleset_require(rs) != NULL)
		fprintf(f, "  not leads      %10llu  (failing the policy's require)\n",
		        (unsigned long long)t.not_leads);
	fprintf(f, "converted        %10llu  base conversion rate %.2f%%\n",
	        (unsigned long long)t.converted, 100 * t.base_rate);
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
	        100 * share(t.matrix[1][1], t.converted));
	if (r->outcome->value_name != NULL) {
		fprintf(f, ", value %.2f of %.2f converted", t.missed_value, t.converted_value);
		if (t.missed_unvalued > 0)
			fprintf(f, " (%llu without a value)", (unsigned long long)t.missed_unvalued);
		if (r->outcome->value_invalid > 0)
			fprintf(f, "; %llu \"%s\" cell%s not a number",
			        (unsigned long long)r->outcome->value_invalid, r->outcome->value_name,
			        r->outcome->value_invalid == 1 ? " is" : "s are");
	}
	fprintf(f, "\n\n%-32s %8s %10s %9s %7s\n", "persona / rule", "hits", "converted", "rate",
	        "lift");
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(r->bt, p, &h);
		text_hits(f, "", ls_ruleset_persona_id(rs, p), &h);
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			ls_backtest_rule(r->bt, p, k, &h);
			text_hits(f, "  ", ls_ruleset_rule_id(rs, p, k), &h);
			costly += h.costly;
		}
	}
	if (costly > 0)
		fprintf(f, "\n%zu rule%s marked \"costs good deals\": the leads %s hit convert at or "
		           "above the base rate (%.2f%%).\n",
		        costly, costly == 1 ? "" : "s", costly == 1 ? "it" : "they", 100 * t.base_rate);
}

/* ---- JSON ------------------------------------------------------------------ */

static cJSON *json_count(uint64_t n) { return cJSON_CreateNumber((double)n); }

static cJSON *json_hits(const char *id, const ls_backtest_hits *h, bool *nomem)
{
	cJSON *o = cJSON_CreateObject();

	json_add(o, "id", cJSON_CreateString(id), nomem);
	json_add(o, "hits", json_count(h->hits), nomem);
	json_add(o, "converted", json_count(h->converted), nomem);
	json_add(o, "rate", cJSON_CreateNumber(h->rate), nomem);
	json_add(o, "lift", h->has_lift ? cJSON_CreateNumber(h->lift) : cJSON_CreateNull(), nomem);
	json_add(o, "costly", cJSON_CreateBool(h->costly), nomem);
	if (o == NULL)
		*nomem = true;
	return o;
}

cJSON *report_json(const struct report *r, bool *nomem)
{
	const ls_ruleset *rs = r->rs;
	const struct outcome *oc = r->outcome;
	cJSON *root = cJSON_CreateObject(), *o, *list, *rules;
	ls_backtest_totals t;
	ls_backtest_hits h;
	size_t p, k;

	ls_backtest_get_totals(r->bt, &t);
	json_add(root, "input", cJSON_CreateString(r->input), nomem);
	json_add(root, "fingerprint", cJSON_CreateString(ls_ruleset_fingerprint(rs)), nomem);
	o = json_add(root, "outcome", cJSON_CreateObject(), nomem);
	json_add(o, "column", cJSON_CreateString(oc->column_name), nomem);
	list = json_add(o, "converted_values", cJSON_CreateArray(), nomem);
	for (k = 0; oc->values[k] != NULL; k++)
		json_add(list, NULL, cJSON_CreateString(oc->values[k]), nomem);
	json_add(o, "value_column",
	         oc->value_name ? cJSON_CreateString(oc->value_name) : cJSON_CreateNull(), nomem);
	json_add(root, "leads", json_count(t.leads), nomem);
	json_add(root, "left_out", json_count(oc->unknown), nomem);
	json_add(root, "not_leads", json_count(t.not_leads), nomem);
	json_add(root, "converted", json_count(t.converted), nomem);
	json_add(root, "base_rate", cJSON_CreateNumber(t.base_rate), nomem);
	json_add(root, "disqualified", json_count(t.disqualified), nomem);
	json_add(root, "disqualified_share", cJSON_CreateNumber(share(t.disqualified, t.leads)),
	         nomem);
	o = json_add(root, "matrix", cJSON_CreateObject(), nomem);
	json_add(o, "disqualified_converted", json_count(t.matrix[1][1]), nomem);
	json_add(o, "disqualified_not_converted", json_count(t.matrix[1][0]), nomem);
	json_add(o, "kept_converted", json_count(t.matrix[0][1]), nomem);
	json_add(o, "kept_not_converted", json_count(t.matrix[0][0]), nomem);
	o = json_add(root, "missed", cJSON_CreateObject(), nomem);
	json_add(o, "leads", json_count(t.matrix[1][1]), nomem);
	json_add(o, "share_of_converted", cJSON_CreateNumber(share(t.matrix[1][1], t.converted)),
	         nomem);
	if (oc->value_name != NULL) {
		json_add(o, "value", cJSON_CreateNumber(t.missed_value), nomem);
		json_add(o, "without_value", json_count(t.missed_unvalued), nomem);
		json_add(root, "converted_value", cJSON_CreateNumber(t.converted_value), nomem);
		json_add(root, "value_not_numbers", json_count(oc->value_invalid), nomem);
	}
	list = json_add(root, "personas", cJSON_CreateArray(), nomem);
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(r->bt, p, &h);
		o = json_add(list, NULL, json_hits(ls_ruleset_persona_id(rs, p), &h, nomem), nomem);
		rules = json_add(o, "rules", cJSON_CreateArray(), nomem);
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			ls_backtest_rule(r->bt, p, k, &h);
			json_add(rules, NULL, json_hits(ls_ruleset_rule_id(rs, p, k), &h, nomem), nomem);
		}
	}
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
