/* SPDX-License-Identifier: MIT */
/* stats.c - the machine-readable run summary (--stats). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "leadsift.h"

/* Exact decimal for fixed-point values; cJSON would print a double. */
static cJSON *fixed_json(ls_fixed v)
{
	char text[LS_FIXED_BUFSIZE];

	ls_fixed_format(v, text);
	return cJSON_CreateRaw(text);
}

/* Adds value to obj, or frees it: either way obj owns or nothing leaks. */
static bool add(cJSON *obj, const char *key, cJSON *value)
{
	if (value == NULL)
		return false;
	if (!cJSON_AddItemToObject(obj, key, value)) {
		cJSON_Delete(value);
		return false;
	}
	return true;
}

static bool push(cJSON *list, cJSON *value)
{
	if (value == NULL)
		return false;
	if (!cJSON_AddItemToArray(list, value)) {
		cJSON_Delete(value);
		return false;
	}
	return true;
}

static bool add_count(cJSON *obj, const char *key, uint64_t n)
{
	return add(obj, key, cJSON_CreateNumber((double)n));
}

static bool add_allow(cJSON *root, const ls_ruleset *rs, const ls_engine *e)
{
	cJSON *list = cJSON_CreateArray();
	size_t i;

	if (!add(root, "allow", list))
		return false;
	for (i = 0; i < ls_ruleset_allow_count(rs); i++) {
		cJSON *entry = cJSON_CreateObject();
		if (!push(list, entry) ||
		    !add(entry, "id", cJSON_CreateString(ls_ruleset_allow_id(rs, i))) ||
		    !add(entry, "active", cJSON_CreateBool(ls_ruleset_allow_active(rs, i))) ||
		    !add_count(entry, "hits", e ? ls_engine_allow_hits(e, i) : 0))
			return false;
	}
	return true;
}

static bool add_personas(cJSON *root, const ls_ruleset *rs, const ls_engine *e)
{
	cJSON *list = cJSON_CreateArray();
	size_t p, r;

	if (!add(root, "personas", list))
		return false;
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		cJSON *persona = cJSON_CreateObject(), *rules = cJSON_CreateArray();
		if (!push(list, persona) ||
		    !add(persona, "id", cJSON_CreateString(ls_ruleset_persona_id(rs, p))) ||
		    !add_count(persona, "hits", e ? ls_engine_persona_hits(e, p) : 0)) {
			cJSON_Delete(rules);
			return false;
		}
		if (!add(persona, "rules", rules))
			return false;
		for (r = 0; r < ls_ruleset_rule_count(rs, p); r++) {
			cJSON *rule = cJSON_CreateObject();
			if (!push(rules, rule) ||
			    !add(rule, "id", cJSON_CreateString(ls_ruleset_rule_id(rs, p, r))) ||
			    !add_count(rule, "hits", e ? ls_engine_rule_hits(e, p, r) : 0))
				return false;
		}
	}
	return true;
}

/* Per field read as a number (or a date): the non-empty cells that were not. */
static bool add_unreadable(cJSON *root, const char *key, const ls_engine *e, ls_field_kind kind)
{
	cJSON *fields = cJSON_CreateObject();
	size_t i;

	if (!add(root, key, fields))
		return false;
	for (i = 0; e != NULL && i < ls_engine_typed_field_count(e, kind); i++) {
		cJSON *f = cJSON_CreateObject();
		if (!add(fields, ls_engine_typed_field_name(e, kind, i), f) ||
		    !add(f, "column", cJSON_CreateString(ls_engine_typed_field_column(e, kind, i))) ||
		    !add_count(f, "count", ls_engine_typed_field_invalid(e, kind, i)))
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

	ok = root != NULL && add(root, "leadsift_version", cJSON_CreateString(LS_VERSION)) &&
	     add(root, "status", cJSON_CreateString(info->error ? "error" : "ok")) &&
	     add(root, "exit_code", cJSON_CreateNumber(info->exit_code)) &&
	     (info->error == NULL || add(root, "error", cJSON_CreateString(info->error))) &&
	     add(root, "input", cJSON_CreateString(info->input ? info->input : "-")) &&
	     add_count(root, "rows_read", info->counts.rows_read) &&
	     add_count(root, "rows_written", info->counts.rows_written) &&
	     add_count(root, "rows_filtered", info->counts.rows_filtered) &&
	     add_count(root, "rows_rejected", info->counts.rows_rejected) &&
	     add_count(root, "rows_scored", e ? ls_engine_rows_scored(e) : 0) &&
	     add_count(root, "rows_disqualified", disqualified) &&
	     add_count(root, "rows_qualified", (e ? ls_engine_rows_scored(e) : 0) - disqualified) &&
	     add_count(root, "blank_lines", info->counts.blank_lines);
	if (ok && rs != NULL)
		ok = add(root, "base", fixed_json(ls_ruleset_base(rs))) &&
		     add(root, "threshold", fixed_json(ls_ruleset_threshold(rs))) &&
		     add(root, "rules_fingerprint", cJSON_CreateString(ls_ruleset_fingerprint(rs))) &&
		     add_personas(root, rs, e) && add_allow(root, rs, e);
	ok = ok && add_unreadable(root, "non_numeric_cells", e, LS_FIELD_NUMBER) &&
	     add_unreadable(root, "non_date_cells", e, LS_FIELD_DATE) &&
	     add(root, "elapsed_seconds", cJSON_CreateNumber(info->elapsed_seconds));
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
