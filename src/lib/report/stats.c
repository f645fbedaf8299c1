/* SPDX-License-Identifier: MIT */
/* stats.c - the machine-readable run summary (--stats). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "leadsift.h"

/* cJSON's Add*ToObject functions create and add in one step, returning
 * NULL when either fails, with nothing left to free. */

static bool add_count(cJSON *obj, const char *key, uint64_t n)
{
	return cJSON_AddNumberToObject(obj, key, (double)n) != NULL;
}

/* Exact decimal for fixed-point values; cJSON would print a double. */
static bool add_fixed(cJSON *obj, const char *key, ls_fixed v)
{
	char text[LS_FIXED_BUFSIZE];

	ls_fixed_format(v, text);
	return cJSON_AddRawToObject(obj, key, text) != NULL;
}

/* A new object at the end of list (which exists), or NULL. */
/* A string that may hold any bytes (a file name, a header's column, an
 * error naming them), as valid UTF-8. */
static bool add_text(cJSON *obj, const char *key, const char *text)
{
	char *valid = ls_utf8_copy(text, strlen(text));
	bool ok = valid != NULL && cJSON_AddStringToObject(obj, key, valid) != NULL;

	free(valid);
	return ok;
}

static cJSON *append_object(cJSON *list)
{
	cJSON *item = cJSON_CreateObject();

	return cJSON_AddItemToArray(list, item) ? item : NULL;
}

static bool add_allow(cJSON *root, const ls_ruleset *rs, const ls_engine *e)
{
	cJSON *list = cJSON_AddArrayToObject(root, "allow");
	size_t i;

	if (list == NULL)
		return false;
	for (i = 0; i < ls_ruleset_allow_count(rs); i++) {
		cJSON *entry = append_object(list);
		if (entry == NULL ||
		    !cJSON_AddStringToObject(entry, "id", ls_ruleset_allow_id(rs, i)) ||
		    !cJSON_AddBoolToObject(entry, "active", ls_ruleset_allow_active(rs, i)) ||
		    !add_count(entry, "hits", e ? ls_engine_allow_hits(e, i) : 0))
			return false;
	}
	return true;
}

static bool add_personas(cJSON *root, const ls_ruleset *rs, const ls_engine *e)
{
	cJSON *list = cJSON_AddArrayToObject(root, "personas");
	size_t p, r;

	if (list == NULL)
		return false;
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		cJSON *persona = append_object(list), *rules;
		if (persona == NULL ||
		    !cJSON_AddStringToObject(persona, "id", ls_ruleset_persona_id(rs, p)) ||
		    !add_count(persona, "hits", e ? ls_engine_persona_hits(e, p) : 0) ||
		    (rules = cJSON_AddArrayToObject(persona, "rules")) == NULL)
			return false;
		for (r = 0; r < ls_ruleset_rule_count(rs, p); r++) {
			cJSON *rule = append_object(rules);
			if (rule == NULL ||
			    !cJSON_AddStringToObject(rule, "id", ls_ruleset_rule_id(rs, p, r)) ||
			    !add_count(rule, "hits", e ? ls_engine_rule_hits(e, p, r) : 0))
				return false;
		}
	}
	return true;
}

/* Per field read as a number (or a date): the non-empty cells that were not
 * (count), of how many (cells), and the first of them (example). */
static bool add_unreadable(cJSON *root, const char *key, const ls_engine *e, ls_field_kind kind)
{
	cJSON *fields = cJSON_AddObjectToObject(root, key);
	size_t i;

	if (fields == NULL)
		return false;
	for (i = 0; e != NULL && i < ls_engine_typed_field_count(e, kind); i++) {
		cJSON *f = cJSON_AddObjectToObject(fields, ls_engine_typed_field_name(e, kind, i));
		const char *example = ls_engine_typed_field_example(e, kind, i);
		if (f == NULL ||
		    !add_text(f, "column", ls_engine_typed_field_column(e, kind, i)) ||
		    !add_count(f, "count", ls_engine_typed_field_invalid(e, kind, i)) ||
		    !add_count(f, "cells", ls_engine_typed_field_cells(e, kind, i)) ||
		    (example != NULL && !cJSON_AddStringToObject(f, "example", example)))
			return false;
	}
	return true;
}

/* Per field with missing values (placeholders read as empty): how many of
 * its cells were one. */
static bool add_missing(cJSON *root, const ls_ruleset *rs, const ls_engine *e)
{
	cJSON *fields = cJSON_AddObjectToObject(root, "missing_value_cells");
	size_t i;

	if (fields == NULL)
		return false;
	for (i = 0; rs != NULL && e != NULL && i < ls_ruleset_field_count(rs); i++) {
		cJSON *f;
		if (ls_ruleset_field_missing_values(rs, i) == 0)
			continue;
		f = cJSON_AddObjectToObject(fields, ls_ruleset_field_name(rs, i));
		if (f == NULL || !add_text(f, "column", ls_engine_field_column(e, i)) ||
		    !add_count(f, "count", ls_engine_missing_values(e, i)))
			return false;
	}
	return true;
}

char *ls_stats_json(const ls_ruleset *rs, const ls_engine *e, const ls_run_info *info)
{
	cJSON *root = cJSON_CreateObject();
	char *text = NULL, *out = NULL;
	uint64_t disqualified = e ? ls_engine_rows_disqualified(e) : 0;
	bool ok;

	ok = root != NULL && cJSON_AddStringToObject(root, "leadsift_version", LS_VERSION) &&
	     cJSON_AddStringToObject(root, "status", info->error ? "error" : "ok") &&
	     cJSON_AddNumberToObject(root, "exit_code", info->exit_code) &&
	     (info->error == NULL || add_text(root, "error", info->error)) &&
	     add_text(root, "input", info->input ? info->input : "-") &&
	     add_count(root, "rows_read", info->counts.rows_read) &&
	     add_count(root, "rows_written", info->counts.rows_written) &&
	     add_count(root, "rows_filtered", info->counts.rows_filtered) &&
	     add_count(root, "rows_rejected", info->counts.rows_rejected) &&
	     add_count(root, "rows_scored", e ? ls_engine_rows_scored(e) : 0) &&
	     add_count(root, "rows_disqualified", disqualified) &&
	     add_count(root, "rows_qualified", (e ? ls_engine_rows_scored(e) : 0) - disqualified) &&
	     add_count(root, "blank_lines", info->counts.blank_lines) &&
	     add_count(root, "empty_records", info->counts.empty_records) &&
	     add_count(root, "not_leads", info->counts.not_leads) &&
	     add_count(root, "non_utf8_records", info->counts.non_utf8_records) &&
	     (info->encoding != NULL ? add_text(root, "encoding", info->encoding)
	                             : cJSON_AddNullToObject(root, "encoding") != NULL);
	if (ok && rs != NULL)
		ok = add_fixed(root, "base", ls_ruleset_base(rs)) &&
		     add_fixed(root, "threshold", ls_ruleset_threshold(rs)) &&
		     cJSON_AddStringToObject(root, "rules_fingerprint", ls_ruleset_fingerprint(rs)) &&
		     add_personas(root, rs, e) && add_allow(root, rs, e);
	ok = ok && add_unreadable(root, "non_numeric_cells", e, LS_FIELD_NUMBER) &&
	     add_unreadable(root, "non_date_cells", e, LS_FIELD_DATE) &&
	     add_missing(root, rs, e) &&
	     cJSON_AddNumberToObject(root, "elapsed_seconds", info->elapsed_seconds);
	if (ok)
		text = cJSON_PrintUnformatted(root);
	if (text != NULL) {
		size_t n = strlen(text);
		out = malloc(n + 2);
		if (out != NULL) {
			memcpy(out, text, n);
			memcpy(out + n, "\n", 2);
		}
	}
	cJSON_free(text);
	cJSON_Delete(root);
	return out;
}
