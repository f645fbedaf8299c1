/* SPDX-License-Identifier: MIT */
/* rules_load.c - reading persona and policy files, validating them against
 * the rule format, and building the read-only rule set. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "rules/fingerprint.h"
#include "rules/lookup.h"
#include "rules/load.h"
#include "base/number.h"
#include "base/text.h"

/* Real rule files are kilobytes; anything this large is a mistake (a CSV
 * passed to -p, say) and is refused before it is read into memory. */
#define MAX_RULE_FILE_BYTES (16 * 1024 * 1024)

struct load_state {
	ls_ruleset *rs;
	ls_error *err;
	struct buf canon_policy;
	struct buf canon_personas;
	struct buf canon_allow;
	bool from_memory;        /* ls_ruleset_load_buffers: no files next to the rules */
};

static bool valid_id(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (p = s + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static ls_status get_id(struct loader *ld, const cJSON *obj, const struct jpath *path,
                        const char *what, char **out)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
	struct jpath ipath = {path, "id", 0};

	if (id == NULL)
		return json_fail(&ld->doc, path, false, "%s needs an \"id\"", what);
	if (!cJSON_IsString(id) || !valid_id(id->valuestring))
		return json_fail(&ld->doc, &ipath, false,
		                 "an id is lower-case letters, digits, '-' and '_', "
		                 "starting with a letter or digit");
	*out = strdup(id->valuestring);
	return *out != NULL ? LS_OK : err_nomem(ld->doc.err);
}

/* The required, non-empty "reason" of a rule or an allow-list entry. */
static ls_status get_reason(struct loader *ld, const cJSON *obj, const struct jpath *path,
                           const char *what, char **out)
{
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(obj, "reason");
	struct jpath rpath = {path, "reason", 0};

	if (reason == NULL)
		return json_fail(&ld->doc, path, false, "%s needs a \"reason\"", what);
	if (!cJSON_IsString(reason) || reason->valuestring[0] == '\0')
		return json_fail(&ld->doc, &rpath, false, "expected a non-empty string");
	*out = strdup(reason->valuestring);
	return *out != NULL ? LS_OK : err_nomem(ld->doc.err);
}

/* Compiles a rule's or an allow entry's condition, naming it for messages
 * about the fields it uses. */
static ls_status compile_for(struct loader *ld, const char *kind, const char *group,
                             const char *id, cJSON *when, const struct jpath *path,
                             struct cond *c)
{
	size_t n = strlen(kind) + strlen(group) + strlen(id) + strlen(ld->doc.file) + 8;
	char *user = malloc(n);
	ls_status st;

	if (user == NULL)
		return err_nomem(ld->doc.err);
	snprintf(user, n, "%s %s/%s in %s", kind, group, id, ld->doc.file);
	ld->user = user;
	st = cond_compile_whole(ld, when, path, c);
	ld->user = NULL;
	free(user);
	return st;
}

static ls_status load_rule(struct loader *ld, const cJSON *json, const struct jpath *path,
                           struct rule *r)
{
	static const char *const keys[] = {"id", "reason", "deduct", "disqualify", "when", NULL};
	const cJSON *deduct, *disqualify;
	cJSON *when;
	struct jpath dpath = {path, "deduct", 0};
	struct jpath qpath = {path, "disqualify", 0}, wpath = {path, "when", 0};
	const struct persona *p = ld->persona;
	size_t i;
	ls_status st;

	if (!cJSON_IsObject(json))
		return json_fail(&ld->doc, path, false, "expected a rule object");
	st = json_check_keys(&ld->doc, json, path, keys);
	if (st == LS_OK)
		st = get_id(ld, json, path, "a rule", &r->id);
	if (st != LS_OK)
		return st;
	for (i = 0; &p->rules[i] != r; i++)
		if (strcmp(p->rules[i].id, r->id) == 0) {
			struct jpath ipath = {path, "id", 0};
			return json_fail(&ld->doc, &ipath, false, "rule id \"%s\" is used twice in persona \"%s\"",
			                 r->id, p->id);
		}

	st = get_reason(ld, json, path, "a rule", &r->reason);
	if (st != LS_OK)
		return st;

	deduct = cJSON_GetObjectItemCaseSensitive(json, "deduct");
	if (deduct != NULL) {
		st = json_get_fixed(&ld->doc, deduct, &dpath, true, &r->deduct);
		if (st != LS_OK)
			return st;
	}
	disqualify = cJSON_GetObjectItemCaseSensitive(json, "disqualify");
	if (disqualify != NULL) {
		if (!cJSON_IsBool(disqualify))
			return json_fail(&ld->doc, &qpath, false, "expected true or false");
		r->disqualify = cJSON_IsTrue(disqualify);
	}
	if (deduct == NULL && !r->disqualify)
		return json_fail(&ld->doc, path, false,
		                 "a rule needs \"deduct\" or \"disqualify\": true (or both)");

	when = cJSON_GetObjectItemCaseSensitive(json, "when");
	if (when == NULL)
		return json_fail(&ld->doc, path, false, "a rule needs a \"when\" condition");
	return compile_for(ld, "rule", p->id, r->id, when, &wpath, &r->when);
}

static void persona_free(struct persona *p)
{
	size_t i;

	for (i = 0; i < p->nrules; i++) {
		free(p->rules[i].id);
		free(p->rules[i].reason);
		cond_free(&p->rules[i].when);
	}
	free(p->rules);
	free(p->id);
	free(p->file);
}

static ls_status load_persona(struct loader *ld, const cJSON *root)
{
	static const char *const keys[] = {"id",         "name",  "description", "version",
	                                   "max_deduct", "rules", NULL};
	ls_ruleset *rs = ld->rs;
	struct persona *grown, *p;
	struct jpath rules_path = {NULL, "rules", 0}, cap_path = {NULL, "max_deduct", 0};
	const cJSON *rules, *cap, *item;
	size_t i, n;
	ls_status st;

	if (!cJSON_IsObject(root))
		return json_fail(&ld->doc, NULL, false, "expected a persona object");
	grown = realloc(rs->personas, (rs->npersonas + 1) * sizeof(*grown));
	if (grown == NULL)
		return err_nomem(ld->doc.err);
	rs->personas = grown;
	p = &grown[rs->npersonas++];
	memset(p, 0, sizeof(*p));
	ld->persona = p;
	p->file = strdup(ld->doc.file);
	if (p->file == NULL)
		return err_nomem(ld->doc.err);

	st = json_check_keys(&ld->doc, root, NULL, keys);
	if (st == LS_OK)
		st = get_id(ld, root, NULL, "a persona", &p->id);
	for (i = 0; st == LS_OK && i < 3; i++)
		st = json_check_string(&ld->doc, root, NULL, keys[i + 1]);
	if (st != LS_OK)
		return st;
	for (i = 0; i + 1 < rs->npersonas; i++)
		if (strcmp(rs->personas[i].id, p->id) == 0) {
			struct jpath ipath = {NULL, "id", 0};
			return json_fail(&ld->doc, &ipath, false, "persona id \"%s\" is already used by %s",
			                 p->id, rs->personas[i].file);
		}

	cap = cJSON_GetObjectItemCaseSensitive(root, "max_deduct");
	if (cap != NULL) {
		st = json_get_fixed(&ld->doc, cap, &cap_path, true, &p->max_deduct);
		if (st != LS_OK)
			return st;
		p->capped = true;
	}

	rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
	if (rules == NULL)
		return json_fail(&ld->doc, NULL, false, "a persona needs \"rules\"");
	if (!cJSON_IsArray(rules) || cJSON_GetArraySize(rules) == 0)
		return json_fail(&ld->doc, &rules_path, false, "expected a non-empty list of rules");
	n = (size_t)cJSON_GetArraySize(rules);
	p->rules = calloc(n, sizeof(*p->rules));
	if (p->rules == NULL)
		return err_nomem(ld->doc.err);
	i = 0;
	cJSON_ArrayForEach(item, rules)
	{
		struct jpath path = {&rules_path, NULL, i++};
		p->nrules++; /* counted before loading, so a failure is freed too */
		st = load_rule(ld, item, &path, &p->rules[p->nrules - 1]);
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}


static ls_status load_allow_entry(struct loader *ld, const cJSON *json, const struct jpath *path,
                                  struct allow_entry *a)
{
	static const char *const keys[] = {"id", "reason", "when", "until", NULL};
	const cJSON *until;
	cJSON *when;
	struct jpath upath = {path, "until", 0};
	struct jpath wpath = {path, "when", 0};
	const struct allow_entry *first = ld->rs->allow;
	ls_status st;

	if (!cJSON_IsObject(json))
		return json_fail(&ld->doc, path, false, "expected an allow-list entry object");
	st = json_check_keys(&ld->doc, json, path, keys);
	if (st == LS_OK)
		st = get_id(ld, json, path, "an allow-list entry", &a->id);
	if (st != LS_OK)
		return st;
	for (; first != a; first++)
		if (strcmp(first->id, a->id) == 0) {
			struct jpath ipath = {path, "id", 0};
			return json_fail(&ld->doc, &ipath, false, "allow-list id \"%s\" is used twice", a->id);
		}
	st = get_reason(ld, json, path, "an allow-list entry", &a->reason);
	if (st != LS_OK)
		return st;
	until = cJSON_GetObjectItemCaseSensitive(json, "until");
	if (until != NULL) {
		if (!cJSON_IsString(until) || !date_parse_iso(until->valuestring, &a->until))
			return json_fail(&ld->doc, &upath, false, "expected a date as \"YYYY-MM-DD\"");
		a->has_until = true;
	}
	when = cJSON_GetObjectItemCaseSensitive(json, "when");
	if (when == NULL)
		return json_fail(&ld->doc, path, false, "an allow-list entry needs a \"when\" condition");
	return compile_for(ld, "allow-list entry", "allow", a->id, when, &wpath, &a->when);
}

/* allow.json: {"allow": [entries]}. */
static ls_status load_allow(struct loader *ld, const cJSON *root)
{
	static const char *const keys[] = {"allow", NULL};
	struct jpath list_path = {NULL, "allow", 0};
	ls_ruleset *rs = ld->rs;
	const cJSON *list, *item;
	size_t i = 0;
	ls_status st;

	if (!cJSON_IsObject(root))
		return json_fail(&ld->doc, NULL, false, "expected an object with an \"allow\" list");
	st = json_check_keys(&ld->doc, root, NULL, keys);
	if (st != LS_OK)
		return st;
	list = cJSON_GetObjectItemCaseSensitive(root, "allow");
	if (list == NULL)
		return json_fail(&ld->doc, NULL, false, "an allow-list file needs \"allow\"");
	if (!cJSON_IsArray(list))
		return json_fail(&ld->doc, &list_path, false, "expected a list of entries");
	rs->allow = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*rs->allow));
	if (rs->allow == NULL)
		return err_nomem(ld->doc.err);
	cJSON_ArrayForEach(item, list)
	{
		struct jpath path = {&list_path, NULL, i++};
		rs->nallow++; /* counted before loading, so a failure is freed too */
		st = load_allow_entry(ld, item, &path, &rs->allow[rs->nallow - 1]);
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}

enum file_kind { FILE_PERSONA, FILE_POLICY, FILE_ALLOW };

/* Loads one rule file held in memory, of the given kind. */
static ls_status load_text(struct load_state *ls, const char *file, const char *text, size_t len,
                           enum file_kind kind)
{
	struct loader ld = {{file, text, len, ls->err}, ls->rs, NULL, NULL, ls->from_memory};
	struct buf *canon = kind == FILE_POLICY  ? &ls->canon_policy
	                    : kind == FILE_ALLOW ? &ls->canon_allow
	                                         : &ls->canon_personas;
	char **seen = kind == FILE_POLICY ? &ls->rs->policy_file : &ls->rs->allow_file;
	cJSON *root = NULL;
	ls_status st;

	if (kind != FILE_PERSONA && *seen != NULL)
		return ls_error_set(ls->err, LS_ERR_RULES, file, 0, 0,
		                    "a second %s file; %s is already loaded (one per run)",
		                    kind == FILE_POLICY ? "policy" : "allow-list", *seen);
	st = json_parse(&ld.doc, &root);
	if (st != LS_OK)
		return st;
	if (kind != FILE_PERSONA) {
		*seen = strdup(file);
		if (*seen == NULL)
			st = err_nomem(ls->err);
		else if (kind == FILE_POLICY)
			st = policy_load(&ld, root);
		else
			st = load_allow(&ld, root);
	} else {
		st = load_persona(&ld, root);
	}
	if (st == LS_OK && (!fingerprint_canonical(root, canon) || !buf_putc(canon, '\n')))
		st = err_nomem(ls->err);
	cJSON_Delete(root);
	return st;
}

/* policy.json and allow.json are not personas, wherever they are named. */
static enum file_kind file_kind(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (strcmp(base, "policy.json") == 0)
		return FILE_POLICY;
	if (strcmp(base, "allow.json") == 0)
		return FILE_ALLOW;
	return FILE_PERSONA;
}

static ls_status load_file(struct load_state *ls, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	ls_status st = ls_read_file(path, MAX_RULE_FILE_BYTES, &text, &len, ls->err);

	if (st == LS_ERR_USAGE)
		st = ls_error_set(ls->err, LS_ERR_RULES, path, 0, 0,
		                  "larger than 16 MiB; is this really a rule file?");
	if (st == LS_OK)
		st = load_text(ls, path, text, len, file_kind(path));
	free(text);
	return st;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_json(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Loads a directory's "*.json" files in byte-wise name order. Hidden files
 * (editor backups and the like) and subdirectories are skipped. */
static ls_status load_dir(struct load_state *ls, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i, personas = 0;
	ls_status st = LS_OK;

	if (d == NULL)
		return ls_error_set_errno(ls->err, LS_ERR_IO, errno, "cannot open directory %s", dir);
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (e == NULL)
			break;
		if (e->d_name[0] == '.' || !ends_with_json(e->d_name))
			continue;
		if (n == cap) {
			char **grown = array_grow(names, &cap, sizeof(*names), 16);
			if (grown == NULL) {
				st = err_nomem(ls->err);
				goto out;
			}
			names = grown;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (names[n] == NULL) {
			st = err_nomem(ls->err);
			goto out;
		}
		sprintf(names[n], "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		n++;
	}
	if (errno != 0) {
		st = ls_error_set_errno(ls->err, LS_ERR_IO, errno, "cannot read directory %s", dir);
		goto out;
	}
	if (n > 0) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n && st == LS_OK; i++) {
		struct stat sb;
		if (stat(names[i], &sb) != 0) {
			st = ls_error_set_errno(ls->err, LS_ERR_IO, errno, "cannot open %s", names[i]);
			break;
		}
		if (!S_ISREG(sb.st_mode))
			continue;
		personas += file_kind(names[i]) == FILE_PERSONA;
		st = load_file(ls, names[i]);
	}
	if (st == LS_OK && personas == 0)
		st = ls_error_set(ls->err, LS_ERR_RULES, dir, 0, 0, "no persona files (*.json) in %s", dir);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return st;
}

static ls_ruleset *ruleset_new(void)
{
	ls_ruleset *rs = calloc(1, sizeof(*rs));
	time_t now = time(NULL);
	struct tm local;

	if (rs != NULL) {
		rs->base = 100 * LS_FIXED_ONE;
		rs->threshold = 50 * LS_FIXED_ONE;
		if (localtime_r(&now, &local) != NULL)
			rs->today = date_from_civil(local.tm_year + 1900, (unsigned)local.tm_mon + 1,
			                            (unsigned)local.tm_mday);
	}
	return rs;
}

/* Seals a loaded set: the fingerprint covers the policy, then the personas
 * in load order. */
static ls_status finish(struct load_state *ls)
{
	struct buf all = {0};
	ls_status st = LS_OK;

	if (ls->rs->npersonas == 0)
		return ls_error_set(ls->err, LS_ERR_RULES, NULL, 0, 0, "no personas loaded");
	st = lookups_load(ls->rs, ls->err);
	if (st != LS_OK)
		return st;
	if (!buf_append_str(&all, "policy\n") ||
	    !buf_append(&all, ls->canon_policy.data, ls->canon_policy.len) ||
	    !buf_append_str(&all, "personas\n") ||
	    !buf_append(&all, ls->canon_personas.data, ls->canon_personas.len) ||
	    (ls->canon_allow.len > 0 &&
	     (!buf_append_str(&all, "allow\n") ||
	      !buf_append(&all, ls->canon_allow.data, ls->canon_allow.len))))
		st = err_nomem(ls->err);
	else
		fingerprint_hex(all.data, all.len, ls->rs->fingerprint);
	buf_free(&all);
	return st;
}

static ls_status conclude(struct load_state *ls, ls_status st, ls_ruleset **out)
{
	if (st == LS_OK)
		st = finish(ls);
	buf_free(&ls->canon_policy);
	buf_free(&ls->canon_personas);
	buf_free(&ls->canon_allow);
	if (st != LS_OK) {
		ls_ruleset_free(ls->rs);
		ls->rs = NULL;
	}
	*out = ls->rs;
	return st;
}

ls_status ls_ruleset_load(ls_ruleset **out, const char *const *paths, size_t npaths,
                          ls_error *err)
{
	struct load_state ls = {ruleset_new(), err, {0}, {0}, {0}, false};
	ls_status st = LS_OK;
	size_t i;

	*out = NULL;
	/* Rules compare text through the UTF-8 locale: made now, so that a
	 * failure to make it is reported rather than folding ASCII only. */
	if (ls.rs == NULL || !text_locale_init())
		return ls_ruleset_free(ls.rs), err_nomem(err);
	if (npaths == 0)
		st = ls_error_set(err, LS_ERR_USAGE, NULL, 0, 0, "no persona files given");
	for (i = 0; i < npaths && st == LS_OK; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) != 0)
			st = ls_error_set_errno(err, LS_ERR_IO, errno, "cannot open %s", paths[i]);
		else if (S_ISDIR(sb.st_mode))
			st = load_dir(&ls, paths[i]);
		else
			st = load_file(&ls, paths[i]);
	}
	return conclude(&ls, st, out);
}

ls_status ls_ruleset_load_buffers(ls_ruleset **out, const char *name,
                                  const char *persona_json, size_t persona_len,
                                  const char *policy_json, size_t policy_len, ls_error *err)
{
	struct load_state ls = {ruleset_new(), err, {0}, {0}, {0}, true};
	ls_status st = LS_OK;
	struct buf text = {0};

	*out = NULL;
	if (ls.rs == NULL || !text_locale_init())
		return ls_ruleset_free(ls.rs), err_nomem(err);
	/* The parser wants NUL-terminated text; callers (fuzzers) may not have it. */
	if (policy_json != NULL) {
		if (!buf_append(&text, policy_json, policy_len) || !buf_terminate(&text))
			st = err_nomem(err);
		else
			st = load_text(&ls, "policy.json", text.data, text.len, FILE_POLICY);
		text.len = 0;
	}
	if (st == LS_OK) {
		if (!buf_append(&text, persona_json, persona_len) || !buf_terminate(&text))
			st = err_nomem(err);
		else
			st = load_text(&ls, name != NULL ? name : "<persona>", text.data, text.len,
			               FILE_PERSONA);
	}
	buf_free(&text);
	return conclude(&ls, st, out);
}

static void missing_free(struct missing_values *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->values[i]);
	free(m->values);
	free(m->lens);
}

void ls_ruleset_free(ls_ruleset *rs)
{
	size_t i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->npersonas; i++)
		persona_free(&rs->personas[i]);
	free(rs->personas);
	for (i = 0; i < rs->naliases; i++) {
		for (j = 0; j < rs->aliases[i].nnames; j++)
			free(rs->aliases[i].names[j]);
		free(rs->aliases[i].names);
		free(rs->aliases[i].field);
		missing_free(&rs->aliases[i].missing);
	}
	free(rs->aliases);
	missing_free(&rs->missing);
	for (i = 0; i < rs->nfields; i++) {
		free(rs->fields[i].name);
		free(rs->fields[i].first_user);
	}
	for (i = 0; i < rs->nallow; i++) {
		free(rs->allow[i].id);
		free(rs->allow[i].reason);
		cond_free(&rs->allow[i].when);
	}
	free(rs->allow);
	free(rs->allow_file);
	for (i = 0; i < rs->nlists; i++) {
		free(rs->lists[i].path);
		free(rs->lists[i].duplicate_value);
		free(rs->lists[i].blank_value);
	}
	free(rs->lists);
	for (i = 0; i < rs->nlookups; i++)
		lookup_free(&rs->lookups[i]);
	free(rs->lookups);
	cond_free(&rs->require);
	cJSON_free(rs->require_text);
	for (i = 0; i < POLICY_TEXTS; i++)
		free(rs->policy_text[i]);
	free(rs->encoding);
	free(rs->fields);
	free(rs->policy_file);
	free(rs);
}
