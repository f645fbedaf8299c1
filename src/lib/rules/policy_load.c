/* SPDX-License-Identifier: MIT */
/* policy_load.c - reading policy.json: base, threshold, date format, the
 * header names fields go by, and the placeholders that read as empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/encoding.h"
#include "base/error.h"
#include "base/text.h"
#include "rules/fingerprint.h"
#include "rules/lookup.h"
#include "rules/load.h"

/* "missing_values": a list of placeholders, none of them blank. */
static ls_status load_missing(struct loader *ld, const cJSON *list, const struct jpath *path,
                              struct missing_values *out)
{
	const cJSON *v;
	size_t i = 0;

	if (!cJSON_IsArray(list))
		return json_fail(&ld->doc, path, false, "expected a list of strings");
	out->values = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*out->values));
	out->lens = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*out->lens));
	if (out->values == NULL || out->lens == NULL)
		return err_nomem(ld->doc.err);
	for (v = list->child; v != NULL; v = v->next, i++) {
		struct jpath vpath = {path, NULL, i};
		ls_cell t;
		if (!cJSON_IsString(v))
			return json_fail(&ld->doc, &vpath, false, "expected a string");
		t = ls_cell_trim((ls_cell){v->valuestring, strlen(v->valuestring)});
		if (t.len == 0)
			return json_fail(&ld->doc, &vpath, false,
			                 "a missing value must not be blank (a blank cell is empty "
			                 "already)");
		out->values[out->n] = text_fold_dup(t.ptr, t.len, &t.len);
		if (out->values[out->n] == NULL)
			return err_nomem(ld->doc.err);
		out->lengths |= UINT64_C(1) << (t.len < 63 ? t.len : 63);
		out->lens[out->n++] = t.len;
	}
	return LS_OK;
}

/* A "fields" entry's header names: one, or a non-empty list. */
static ls_status load_names(struct loader *ld, const cJSON *m, const struct jpath *mpath,
                            struct field_alias *a)
{
	const cJSON *name;
	size_t i = 0, n;

	if (!cJSON_IsString(m) && !(cJSON_IsArray(m) && cJSON_GetArraySize(m) > 0))
		return json_fail(&ld->doc, mpath, false,
		                 "expected a header name or a non-empty list of them");
	n = cJSON_IsArray(m) ? (size_t)cJSON_GetArraySize(m) : 1;
	a->names = calloc(n, sizeof(*a->names));
	if (a->names == NULL)
		return err_nomem(ld->doc.err);
	for (name = cJSON_IsArray(m) ? m->child : m; name != NULL;
	     name = cJSON_IsArray(m) ? name->next : NULL, i++) {
		struct jpath npath = {mpath, NULL, i};
		if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
			return json_fail(&ld->doc, cJSON_IsArray(m) ? &npath : mpath, false,
			                 "expected a non-empty header name");
		a->names[a->nnames] = strdup(name->valuestring);
		if (a->names[a->nnames] == NULL)
			return err_nomem(ld->doc.err);
		a->nnames++;
	}
	return LS_OK;
}

/* A "fields" entry: header names, or {"aliases": names, "missing_values": list}. */
static ls_status load_field_entry(struct loader *ld, const cJSON *m, const struct jpath *mpath,
                                  struct field_alias *a)
{
	static const char *const keys[] = {"aliases", "missing_values", NULL};
	struct jpath apath = {mpath, "aliases", 0}, vpath = {mpath, "missing_values", 0};
	const cJSON *aliases, *missing;
	ls_status st;

	if (!cJSON_IsObject(m))
		return load_names(ld, m, mpath, a);
	st = json_check_keys(&ld->doc, m, mpath, keys);
	if (st != LS_OK)
		return st;
	aliases = cJSON_GetObjectItemCaseSensitive(m, "aliases");
	missing = cJSON_GetObjectItemCaseSensitive(m, "missing_values");
	if (aliases == NULL && missing == NULL)
		return json_fail(&ld->doc, mpath, false,
		                 "expected \"aliases\", \"missing_values\" or both");
	if (aliases != NULL && (st = load_names(ld, aliases, &apath, a)) != LS_OK)
		return st;
	a->has_missing = missing != NULL;
	return missing != NULL ? load_missing(ld, missing, &vpath, &a->missing) : LS_OK;
}

static ls_status load_aliases(struct loader *ld, const cJSON *fields, const struct jpath *path)
{
	ls_ruleset *rs = ld->rs;
	const cJSON *m;
	size_t n = 0;
	ls_status st;

	if (!cJSON_IsObject(fields))
		return json_fail(&ld->doc, path, false,
		                 "expected an object mapping field names to header names");
	for (m = fields->child; m != NULL; m = m->next)
		n++;
	rs->aliases = calloc(n ? n : 1, sizeof(*rs->aliases));
	if (rs->aliases == NULL)
		return err_nomem(ld->doc.err);
	for (m = fields->child; m != NULL; m = m->next) {
		struct jpath mpath = {path, m->string, 0};
		struct field_alias *a = &rs->aliases[rs->naliases];
		const cJSON *earlier;

		for (earlier = fields->child; earlier != m; earlier = earlier->next)
			if (strcmp(earlier->string, m->string) == 0)
				return json_fail(&ld->doc, &mpath, true, "duplicate key \"%s\"", m->string);
		if (m->string[0] == '\0')
			return json_fail(&ld->doc, &mpath, true, "a field name must not be empty");
		a->field = strdup(m->string);
		rs->naliases++;
		if (a->field == NULL)
			return err_nomem(ld->doc.err);
		st = load_field_entry(ld, m, &mpath, a);
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}

/* "require": the condition a record must satisfy to be a lead at all. */
static ls_status load_require(struct loader *ld, cJSON *cond, const struct jpath *path)
{
	ls_ruleset *rs = ld->rs;
	size_t n = strlen(ld->doc.file) + 32;
	char *user = malloc(n);
	ls_status st;

	if (user == NULL)
		return err_nomem(ld->doc.err);
	snprintf(user, n, "policy require in %s", ld->doc.file);
	ld->user = user;
	st = cond_compile_whole(ld, cond, path, &rs->require);
	ld->user = NULL;
	free(user);
	if (st != LS_OK)
		return st;
	rs->has_require = true;
	rs->require_text = cJSON_PrintUnformatted(cond);
	return rs->require_text != NULL ? LS_OK : err_nomem(ld->doc.err);
}

ls_status policy_encoding(struct loader *ld, const cJSON *v, const struct jpath *path,
                          char **out)
{
	struct text_converter *d = NULL;
	ls_error why = {0};
	ls_status st;

	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return json_fail(&ld->doc, path, false, "expected an encoding's name, such as "
		                                        "\"windows-1252\"");
	if (!text_encoding_is_utf8(v->valuestring)) {
		st = text_decoder_open(&d, v->valuestring, &why);
		text_converter_free(d);
		if (st == LS_ERR_NOMEM)
			return err_nomem(ld->doc.err);
		if (st != LS_OK) {
			st = json_fail(&ld->doc, path, false, "%s", why.message);
			ls_error_clear(&why);
			return st;
		}
	}
	*out = strdup(v->valuestring);
	return *out != NULL ? LS_OK : err_nomem(ld->doc.err);
}

const char *const policy_text_keys[POLICY_TEXTS] = {"fields", "date_format", "missing_values",
                                                     "encoding", "lookups"};

ls_status policy_load(struct loader *ld, const cJSON *root)
{
	static const char *const keys[] = {"base", "threshold", "fields", "date_format",
	                                   "missing_values", "require", "encoding", "lookups", NULL};
	struct jpath epath = {NULL, "encoding", 0};
	struct jpath rpath = {NULL, "require", 0};
	cJSON *require;
	struct jpath mpath = {NULL, "missing_values", 0};
	struct jpath dpath = {NULL, "date_format", 0};
	struct jpath bpath = {NULL, "base", 0}, tpath = {NULL, "threshold", 0};
	struct jpath fpath = {NULL, "fields", 0}, lpath = {NULL, "lookups", 0};
	ls_ruleset *rs = ld->rs;
	const cJSON *v;
	ls_status st;
	size_t i;

	if (!cJSON_IsObject(root))
		return json_fail(&ld->doc, NULL, false, "expected a policy object");
	st = json_check_keys(&ld->doc, root, NULL, keys);
	if (st != LS_OK)
		return st;
	for (i = 0; i < POLICY_TEXTS; i++) {
		v = cJSON_GetObjectItemCaseSensitive(root, policy_text_keys[i]);
		if (v != NULL && (rs->policy_text[i] = fingerprint_text(v)) == NULL)
			return err_nomem(ld->doc.err);
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "base");
	st = v != NULL ? json_get_fixed(&ld->doc, v, &bpath, false, &rs->base) : LS_OK;
	if (st != LS_OK)
		return st;
	v = cJSON_GetObjectItemCaseSensitive(root, "threshold");
	st = v != NULL ? json_get_fixed(&ld->doc, v, &tpath, false, &rs->threshold) : LS_OK;
	if (st != LS_OK)
		return st;
	v = cJSON_GetObjectItemCaseSensitive(root, "date_format");
	if (v != NULL && (!cJSON_IsString(v) || !date_parse_order(v->valuestring, &rs->date_order)))
		return json_fail(&ld->doc, &dpath, false,
		                 "expected \"DD-MM-YYYY\", \"MM-DD-YYYY\" or \"YYYY-MM-DD\" "
		                 "(with -, / or . between)");
	v = cJSON_GetObjectItemCaseSensitive(root, "missing_values");
	if (v != NULL && (st = load_missing(ld, v, &mpath, &rs->missing)) != LS_OK)
		return st;
	v = cJSON_GetObjectItemCaseSensitive(root, "encoding");
	if (v != NULL && (st = policy_encoding(ld, v, &epath, &rs->encoding)) != LS_OK)
		return st;
	require = cJSON_GetObjectItemCaseSensitive(root, "require");
	if (require != NULL && (st = load_require(ld, require, &rpath)) != LS_OK)
		return st;
	v = cJSON_GetObjectItemCaseSensitive(root, "fields");
	if (v != NULL && (st = load_aliases(ld, v, &fpath)) != LS_OK)
		return st;
	v = cJSON_GetObjectItemCaseSensitive(root, "lookups");
	if (v != NULL && ld->from_memory)
		return json_fail(&ld->doc, &lpath, true, "lookup tables are read next to a policy "
		                                         "file; this policy was not loaded from one");
	if (v != NULL)
		return lookup_declare(ld, v, &lpath);
	return LS_OK;
}
