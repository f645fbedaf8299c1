/* SPDX-License-Identifier: MIT */
/* cond_load.c - compiling a JSON condition into a struct cond: operands
 * folded, numbers checked, regexes compiled, fields interned, once at load. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "rules/fingerprint.h"
#include "rules/load.h"
#include "rules/strset.h"
#include "rules/value_file.h"
#include "base/text.h"

static const char *const op_names[] = {
	[OP_EQ] = "eq", [OP_NE] = "ne", [OP_IN] = "in", [OP_NOT_IN] = "not_in",
	[OP_CONTAINS] = "contains", [OP_NOT_CONTAINS] = "not_contains",
	[OP_STARTS_WITH] = "starts_with", [OP_ENDS_WITH] = "ends_with",
	[OP_MATCHES] = "matches", [OP_LT] = "lt", [OP_LTE] = "lte", [OP_GT] = "gt",
	[OP_GTE] = "gte", [OP_BETWEEN] = "between", [OP_EMPTY] = "empty",
	[OP_NOT_EMPTY] = "not_empty", [OP_BEFORE] = "before", [OP_AFTER] = "after",
	[OP_OLDER_THAN] = "older_than", [OP_NEWER_THAN] = "newer_than",
};
#define OP_COUNT (sizeof(op_names) / sizeof(op_names[0]))

const char *cond_op_name(enum cond_op op)
{
	return (size_t)op < OP_COUNT ? op_names[op] : "?";
}

void cond_free(struct cond *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->text);
	for (i = 0; i < c->nkids; i++)
		cond_free(&c->kids[i]);
	free(c->kids);
	for (i = 0; i < c->nstrs; i++)
		free(c->strs[i].ptr);
	free(c->strs);
	if (c->set != NULL)
		strset_free(c->set);
	free(c->set);
	free(c->nums);
	for (i = 0; i < c->npatterns; i++) {
		if (c->patterns[i].has_ascii)
			regfree(&c->patterns[i].ascii);
		if (c->patterns[i].has_utf8)
			regfree(&c->patterns[i].utf8);
	}
	free(c->patterns);
	free(c->value_text);
	memset(c, 0, sizeof(*c));
}

static ls_status unknown_op(struct loader *ld, const struct jpath *path, const char *op)
{
	struct buf list = {0};
	ls_status st;
	size_t i;

	for (i = 0; i < OP_COUNT; i++) {
		if ((i > 0 && !buf_append_str(&list, ", ")) || !buf_append_str(&list, op_names[i])) {
			buf_free(&list);
			return err_nomem(ld->doc.err);
		}
	}
	if (!buf_terminate(&list))
		return err_nomem(ld->doc.err);
	st = json_fail(&ld->doc, path, false, "unknown operator \"%s\"; expected one of %s", op,
	               list.data);
	buf_free(&list);
	return st;
}

static ls_status number_value(struct loader *ld, const cJSON *v, const struct jpath *path,
                              double *out)
{
	if (!cJSON_IsNumber(v))
		return json_fail(&ld->doc, path, false, "expected a number");
	if (!isfinite(v->valuedouble))
		return json_fail(&ld->doc, path, false, "number out of range");
	*out = v->valuedouble;
	return LS_OK;
}

/* Lists longer than this are looked up in a hash set, not one by one. */
#define STRING_SET_MIN 8

/* in, not_in, starts_with and ends_with over many strings: a set, so that
 * a cell costs a hash probe per member length (strset.h). */
static ls_status build_string_set(struct loader *ld, struct cond *c)
{
	const struct str_operand **members = NULL;
	enum strset_kind kind;
	size_t i;
	bool ok;

	switch (c->op) {
	case OP_IN:
	case OP_NOT_IN:
		kind = STRSET_WHOLE;
		break;
	case OP_STARTS_WITH:
		kind = STRSET_PREFIX;
		break;
	case OP_ENDS_WITH:
		kind = STRSET_SUFFIX;
		break;
	default:
		return LS_OK;
	}
	if (c->nstrs < STRING_SET_MIN)
		return LS_OK;
	members = malloc(c->nstrs * sizeof(*members));
	c->set = malloc(sizeof(*c->set));
	for (i = 0; members != NULL && i < c->nstrs; i++)
		members[i] = &c->strs[i];
	ok = members != NULL && c->set != NULL && strset_build(c->set, kind, members, c->nstrs);
	free(members);
	if (!ok) {
		free(c->set);
		c->set = NULL;
		return err_nomem(ld->doc.err);
	}
	return LS_OK;
}

/* Adds a string operand, folded unless the leaf is case-sensitive. */
static ls_status add_string(struct loader *ld, struct cond *c, const char *s)
{
	size_t len = strlen(s);
	char *copy = c->case_sensitive ? text_dup(s, len) : text_fold_dup(s, len, &len);

	if (copy == NULL)
		return err_nomem(ld->doc.err);
	c->strs[c->nstrs].ptr = copy;
	c->strs[c->nstrs].len = len;
	c->nstrs++;
	return LS_OK;
}

/* Limits that keep regcomp and regexec fast and small: glibc expands every
 * repetition into copies of the repeated atom, so "(a{1,200}){1,200}" or
 * "a+++++" would take gigabytes; and the parts that can match nothing ("x*",
 * "x?", "()", an empty alternative) cost it time and memory quadratic in
 * their number ("((){100}){200}" takes 12 s and 6 GB). Patterns are checked
 * for shape first. */
#define REGEX_MAX_BYTES 1024
#define REGEX_MAX_REPEAT 255
#define REGEX_MAX_EXPANDED 20000
#define REGEX_MAX_OPTIONAL 2000

/* The size of a group read so far, as glibc expands it: atoms, and of them
 * those that can match nothing; the same for the last unit (an atom or a
 * group), which a repetition multiplies. */
struct regex_size {
	size_t atoms, last;
	size_t optional, last_optional;
};

static void regex_atom(struct regex_size *s, bool optional)
{
	s->atoms += 1;
	s->last = 1;
	s->optional += optional;
	s->last_optional = optional;
}

/* An alternative is empty when "|" has nothing on one side within its group. */
static bool empty_alternative(const char *pattern, const char *bar)
{
	return bar == pattern || bar[-1] == '(' || bar[-1] == '|' || bar[1] == ')' ||
	       bar[1] == '|' || bar[1] == '\0';
}

/* Returns NULL if the pattern is acceptable, or why it is not. Back-references
 * are refused: POSIX ERE has none, glibc accepts them, and they make matching
 * exponential. */
static const char *regex_shape_problem(const char *pattern)
{
	struct regex_size stack[64], s = {0, 0, 0, 0};
	size_t depth = 0;
	bool after_quantifier = false;
	const char *p;

	if (strlen(pattern) > REGEX_MAX_BYTES)
		return "longer than 1024 bytes";
	for (p = pattern; *p; p++) {
		bool quantifier = false;
		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9')
				return "back-references are not supported";
			if (p[1] != '\0')
				p++;
			regex_atom(&s, false);
			break;
		case '[':
			/* A bracket expression is one atom; "]" first is a member. */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					char close = p[1];
					p += 2;
					while (*p && !(p[0] == close && p[1] == ']'))
						p++;
					if (*p)
						p++;
				}
				if (*p)
					p++;
			}
			if (*p == '\0')
				return NULL; /* regcomp reports the unclosed bracket */
			regex_atom(&s, false);
			break;
		case '(':
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return "groups nested too deeply";
			stack[depth++] = s;
			s.atoms = s.optional = 0;
			break;
		case ')': {
			struct regex_size group = s;
			if (depth == 0) { /* glibc takes an unmatched ")" literally */
				regex_atom(&s, false);
				break;
			}
			s = stack[--depth];
			/* An empty group is one atom that matches nothing. */
			s.last = group.atoms ? group.atoms : 1;
			s.last_optional = group.atoms ? group.optional : 1;
			s.atoms += s.last;
			s.optional += s.last_optional;
			break;
		}
		case '|':
			regex_atom(&s, empty_alternative(pattern, p));
			break;
		case '*':
		case '+':
		case '?':
		case '{': {
			size_t times = 2, optional;
			bool none = *p != '+'; /* the repetition may match nothing */
			if (after_quantifier)
				return "a repetition of a repetition (such as \"a++\" or \"a*{2}\")";
			if (*p == '{' && strchr(p, '}') == NULL) { /* a literal "{" */
				regex_atom(&s, false);
				break;
			}
			if (*p == '{') {
				unsigned long lo = 0, hi = 0;
				bool open_ended = false;
				char *end;
				lo = strtoul(p + 1, &end, 10);
				hi = lo;
				if (*end == ',') {
					open_ended = end[1] == '}';
					if (!open_ended)
						hi = strtoul(end + 1, &end, 10);
				}
				if (lo > REGEX_MAX_REPEAT || hi > REGEX_MAX_REPEAT)
					return "a repetition count over 255";
				/* "{n,}" is n copies and a star: counted as n + 1. */
				times = open_ended ? lo + 1 : hi > 1 ? hi : 1;
				none = lo == 0;
				while (*p != '}')
					p++;
			}
			/* Repeated so that it may match nothing, every copy is optional. */
			optional = none ? s.last * times : s.last_optional * times;
			s.atoms += s.last * (times - 1);
			s.optional += optional - s.last_optional;
			s.last *= times;
			s.last_optional = optional;
			quantifier = true;
			break;
		}
		default:
			regex_atom(&s, false);
		}
		after_quantifier = quantifier;
		if (s.atoms > REGEX_MAX_EXPANDED) /* the last unit is part of them */
			return "too large once its repetitions are expanded";
		if (s.optional > REGEX_MAX_OPTIONAL)
			return "more than 2000 parts that can match nothing (such as \"a*\", \"a?\", "
			       "\"()\") once its repetitions are expanded";
	}
	return NULL;
}

/* regcomp in the given locale (0: the C locale the library runs in). */
static int compile_in(regex_t *re, const char *pattern, int flags, locale_t loc)
{
	locale_t was = loc != (locale_t)0 ? uselocale(loc) : (locale_t)0;
	int rc = regcomp(re, pattern, flags);

	if (loc != (locale_t)0)
		uselocale(was);
	return rc;
}

static ls_status add_regex(struct loader *ld, struct cond *c, const char *pattern,
                           const struct jpath *path)
{
	int flags = REG_EXTENDED | REG_NOSUB | (c->case_sensitive ? 0 : REG_ICASE);
	const char *problem = regex_shape_problem(pattern);
	struct pattern *p = &c->patterns[c->npatterns];
	locale_t utf8 = text_locale();
	regex_t *failed = NULL;
	char why[256];
	int rc = 0;

	if (problem != NULL)
		return json_fail(&ld->doc, path, false, "regular expression \"%.80s%s\": %s", pattern,
		                 strlen(pattern) > 80 ? "..." : "", problem);
	if (utf8 == (locale_t)0 || !text_has_high_bytes(pattern, strlen(pattern))) {
		rc = compile_in(&p->ascii, pattern, flags, (locale_t)0);
		p->has_ascii = rc == 0;
		failed = rc != 0 ? &p->ascii : NULL;
	}
	if (rc == 0 && utf8 != (locale_t)0) {
		rc = compile_in(&p->utf8, pattern, flags, utf8);
		p->has_utf8 = rc == 0;
		failed = rc != 0 ? &p->utf8 : NULL;
	}
	c->npatterns++; /* freed with the condition, whatever was compiled */
	if (rc == REG_ESPACE)
		return err_nomem(ld->doc.err);
	if (rc != 0) {
		regerror(rc, failed, why, sizeof(why));
		regfree(failed);
		return json_fail(&ld->doc, path, false, "invalid regular expression \"%s\": %s", pattern,
		                 why);
	}
	return LS_OK;
}

/* Operands for in/not_in and the string operators: one string or a
 * non-empty list (in/not_in: a list, of strings or numbers). */
static ls_status compile_operands(struct loader *ld, struct cond *c, const cJSON *value,
                                  const struct jpath *vpath)
{
	bool list_only = c->op == OP_IN || c->op == OP_NOT_IN;
	bool numbers_ok = list_only;
	size_t n = 1, i = 0;
	const cJSON *item;
	ls_status st;

	if (cJSON_IsArray(value)) {
		n = (size_t)cJSON_GetArraySize(value);
		if (n == 0)
			return json_fail(&ld->doc, vpath, false, "\"%s\" needs at least one value",
			                 cond_op_name(c->op));
	} else if (list_only) {
		return json_fail(&ld->doc, vpath, false, "\"%s\" takes a list of values",
		                 cond_op_name(c->op));
	} else if (!cJSON_IsString(value)) {
		return json_fail(&ld->doc, vpath, false, "\"%s\" takes a string or a list of strings",
		                 cond_op_name(c->op));
	}

	if (c->op == OP_MATCHES)
		c->patterns = calloc(n, sizeof(*c->patterns));
	else
		c->strs = calloc(n, sizeof(*c->strs));
	c->nums = numbers_ok ? calloc(n, sizeof(*c->nums)) : NULL;
	if ((c->op == OP_MATCHES ? c->patterns == NULL : c->strs == NULL) ||
	    (numbers_ok && c->nums == NULL))
		return err_nomem(ld->doc.err);

	item = cJSON_IsArray(value) ? value->child : value;
	for (; item != NULL; item = cJSON_IsArray(value) ? item->next : NULL, i++) {
		struct jpath ipath = {vpath, NULL, i};
		const struct jpath *at = cJSON_IsArray(value) ? &ipath : vpath;

		if (cJSON_IsNumber(item) && numbers_ok) {
			st = number_value(ld, item, at, &c->nums[c->nnums]);
			if (st != LS_OK)
				return st;
			c->nnums++;
			c->numeric = true;
		} else if (!cJSON_IsString(item)) {
			return json_fail(&ld->doc, at, false, numbers_ok ? "expected a string or a number"
			                                           : "expected a string");
		} else if (c->op == OP_MATCHES) {
			st = add_regex(ld, c, item->valuestring, at);
			if (st != LS_OK)
				return st;
		} else {
			st = add_string(ld, c, item->valuestring);
			if (st != LS_OK)
				return st;
		}
	}
	return LS_OK;
}

static ls_status compile_value(struct loader *ld, struct cond *c, const cJSON *value,
                               const struct jpath *vpath)
{
	ls_status st;

	switch (c->op) {
	case OP_EMPTY:
	case OP_NOT_EMPTY:
		if (value != NULL)
			return json_fail(&ld->doc, vpath, true, "\"%s\" takes no value", cond_op_name(c->op));
		return LS_OK;
	case OP_LT:
	case OP_LTE:
	case OP_GT:
	case OP_GTE:
		c->numeric = true;
		return number_value(ld, value, vpath, &c->lo);
	case OP_BETWEEN: {
		struct jpath lo = {vpath, NULL, 0}, hi = {vpath, NULL, 1};
		if (!cJSON_IsArray(value) || cJSON_GetArraySize(value) != 2)
			return json_fail(&ld->doc, vpath, false, "\"between\" takes a list [low, high]");
		c->numeric = true;
		st = number_value(ld, value->child, &lo, &c->lo);
		if (st == LS_OK)
			st = number_value(ld, value->child->next, &hi, &c->hi);
		return st;
	}
	case OP_BEFORE:
	case OP_AFTER:
		c->dated = true;
		if (!cJSON_IsString(value) || !date_parse_iso(value->valuestring, &c->day))
			return json_fail(&ld->doc, vpath, false, "\"%s\" takes a date as \"YYYY-MM-DD\"",
			                 cond_op_name(c->op));
		return LS_OK;
	case OP_OLDER_THAN:
	case OP_NEWER_THAN:
		c->dated = true;
		if (!cJSON_IsString(value) || !date_parse_age(value->valuestring, &c->age))
			return json_fail(&ld->doc, vpath, false,
			                 "\"%s\" takes an age such as \"90d\", \"2w\", \"6m\" or \"1y\"",
			                 cond_op_name(c->op));
		return LS_OK;
	case OP_EQ:
	case OP_NE:
		if (cJSON_IsNumber(value)) {
			c->numeric = true;
			return number_value(ld, value, vpath, &c->lo);
		}
		if (!cJSON_IsString(value))
			return json_fail(&ld->doc, vpath, false, "\"%s\" takes a string or a number",
			                 cond_op_name(c->op));
		c->strs = calloc(1, sizeof(*c->strs));
		if (c->strs == NULL)
			return err_nomem(ld->doc.err);
		return add_string(ld, c, value->valuestring);
	default:
		return compile_operands(ld, c, value, vpath);
	}
}

/* Operators whose list of values may come from a file. */
static bool takes_value_file(enum cond_op op)
{
	return op == OP_IN || op == OP_NOT_IN || op == OP_CONTAINS || op == OP_NOT_CONTAINS ||
	       op == OP_STARTS_WITH || op == OP_ENDS_WITH;
}

/* Notes a list file in the rule set, once, for check. */
static ls_status register_list(struct loader *ld, const struct value_file *f, char **path,
                               const struct value_list **out)
{
	ls_ruleset *rs = ld->rs;
	struct value_list *grown;
	size_t i;

	for (i = 0; i < rs->nlists; i++) {
		if (strcmp(rs->lists[i].path, *path) == 0) {
			*out = &rs->lists[i];
			return LS_OK;
		}
	}
	grown = realloc(rs->lists, (rs->nlists + 1) * sizeof(*grown));
	if (grown == NULL)
		return err_nomem(ld->doc.err);
	rs->lists = grown;
	rs->nlists++; /* counted before describing, so a failure is freed too */
	if (value_file_describe(f, *path, &grown[i]) != LS_OK)
		return *path = NULL, err_nomem(ld->doc.err);
	*path = NULL;
	*out = &grown[i];
	return LS_OK;
}

/* How explain and check show a list from a file, as JSON:
 * {"value_file":"lists/a.txt","values":12}. */
static char *value_file_text(const char *name, size_t values)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "value_file", name) != NULL &&
	    cJSON_AddNumberToObject(o, "values", (double)values) != NULL)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* "value_file": the leaf's values, one a line of a text file named relative
 * to the rule file. Its digest and count join the leaf's JSON (the loader's
 * own parse of the file), so that the fingerprint and the canonical text
 * that diff compares and shows change when the list does. */
static ls_status compile_value_file(struct loader *ld, struct cond *c, cJSON *json,
                                    const cJSON *name, const struct jpath *path)
{
	struct value_file f = {0};
	const struct value_list *list = NULL;
	char *file = NULL, *reason = NULL;
	ls_status st;
	size_t i;

	if (!takes_value_file(c->op))
		return json_fail(&ld->doc, path, true,
		                 "\"%s\" takes no \"value_file\"; lists of values are for in, not_in, "
		                 "contains, not_contains, starts_with and ends_with",
		                 cond_op_name(c->op));
	if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
		return json_fail(&ld->doc, path, false, "expected the name of a text file");
	if (ld->from_memory)
		return json_fail(&ld->doc, path, true,
		                 "\"value_file\" is read next to a rule file; these rules were not "
		                 "loaded from one");
	file = value_file_path(ld->doc.file, name->valuestring);
	if (file == NULL)
		return err_nomem(ld->doc.err);
	st = value_file_read(file, &f, ld->doc.err);
	if (st == LS_ERR_IO) {
		reason = strdup(ld->doc.err != NULL && ld->doc.err->message != NULL
		                        ? ld->doc.err->message
		                        : "cannot read the list");
		/* Where the rule names it, but still an I/O error (exit status 4). */
		if (reason == NULL) {
			st = err_nomem(ld->doc.err);
		} else {
			json_fail(&ld->doc, path, false, "%s", reason);
			if (ld->doc.err != NULL)
				ld->doc.err->status = LS_ERR_IO;
			st = LS_ERR_IO;
		}
		free(reason);
	}
	if (st == LS_OK && f.n == 0)
		st = json_fail(&ld->doc, path, false, "the list %s holds no values (only blank lines "
		               "and comments)", file);
	if (st == LS_OK && (c->strs = calloc(f.n, sizeof(*c->strs))) == NULL)
		st = err_nomem(ld->doc.err);
	for (i = 0; st == LS_OK && i < f.n; i++)
		st = add_string(ld, c, f.values[i]);
	if (st == LS_OK)
		st = register_list(ld, &f, &file, &list);
	if (st == LS_OK && (cJSON_AddStringToObject(json, "value_file_sha256", list->digest) == NULL ||
	                    cJSON_AddNumberToObject(json, "value_file_values", (double)list->values) ==
	                            NULL ||
	                    (c->value_text = value_file_text(name->valuestring, list->values)) == NULL))
		st = err_nomem(ld->doc.err);
	c->from_file = st == LS_OK;
	free(file);
	value_file_free(&f);
	return st;
}

static ls_status compile_leaf(struct loader *ld, cJSON *json, const struct jpath *path,
                              struct cond *c)
{
	static const char *const keys[] = {"field", "op", "value", "value_file", "case_sensitive",
	                                   NULL};
	const cJSON *field = cJSON_GetObjectItemCaseSensitive(json, "field");
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(json, "op");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(json, "value");
	const cJSON *cs = cJSON_GetObjectItemCaseSensitive(json, "case_sensitive");
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "value_file");
	struct jpath lpath = {path, "value_file", 0};
	struct jpath fpath = {path, "field", 0}, opath = {path, "op", 0};
	struct jpath vpath = {path, "value", 0}, cpath = {path, "case_sensitive", 0};
	size_t i;
	ls_status st;

	c->kind = COND_LEAF;
	st = json_check_keys(&ld->doc, json, path, keys);
	if (st != LS_OK)
		return st;
	if (field == NULL)
		return json_fail(&ld->doc, path, false, "a condition needs \"field\"");
	if (!cJSON_IsString(field) || field->valuestring[0] == '\0')
		return json_fail(&ld->doc, &fpath, false, "expected a non-empty string");
	if (op == NULL)
		return json_fail(&ld->doc, path, false, "a condition needs \"op\"");
	if (!cJSON_IsString(op))
		return json_fail(&ld->doc, &opath, false, "expected a string");
	for (i = 0; i < OP_COUNT; i++)
		if (strcmp(op->valuestring, op_names[i]) == 0)
			break;
	if (i == OP_COUNT)
		return unknown_op(ld, &opath, op->valuestring);
	c->op = (enum cond_op)i;
	if (value != NULL && list != NULL)
		return json_fail(&ld->doc, &lpath, true, "give \"value\" or \"value_file\", not both");
	if (value == NULL && list == NULL && c->op != OP_EMPTY && c->op != OP_NOT_EMPTY)
		return json_fail(&ld->doc, path, false, "\"%s\" needs \"value\"", op->valuestring);
	if (cs != NULL) {
		if (!cJSON_IsBool(cs))
			return json_fail(&ld->doc, &cpath, false, "expected true or false");
		c->case_sensitive = cJSON_IsTrue(cs);
	}

	st = list != NULL ? compile_value_file(ld, c, json, list, &lpath)
	                  : compile_value(ld, c, value, &vpath);
	if (st == LS_OK)
		st = build_string_set(ld, c);
	if (st != LS_OK)
		return st;
	if (value != NULL) {
		c->value_text = cJSON_PrintUnformatted(value);
		if (c->value_text == NULL)
			return err_nomem(ld->doc.err);
	}
	/* A flag that changes nothing is a mistake the author should hear about. */
	if (cs != NULL && ((c->numeric && c->nstrs == 0) || c->dated))
		return json_fail(&ld->doc, &cpath, true, "\"case_sensitive\" has no effect on a %s comparison",
		                 c->dated ? "date" : "numeric");
	if (cs != NULL && (c->op == OP_EMPTY || c->op == OP_NOT_EMPTY))
		return json_fail(&ld->doc, &cpath, true, "\"case_sensitive\" has no effect on \"%s\"",
		                 op->valuestring);
	if (!ruleset_intern_field(ld->rs, field->valuestring, c->numeric, c->dated, ld->user,
	                          &c->field))
		return err_nomem(ld->doc.err);
	return LS_OK;
}

static ls_status compile_group(struct loader *ld, cJSON *list, const struct jpath *path,
                               const char *name, struct cond *c)
{
	cJSON *item;
	size_t n, i = 0;
	ls_status st;

	if (!cJSON_IsArray(list))
		return json_fail(&ld->doc, path, false, "\"%s\" takes a list of conditions", name);
	n = (size_t)cJSON_GetArraySize(list);
	/* An empty "all" would always match and an empty "any" never: both are
	 * almost certainly mistakes. */
	if (n == 0)
		return json_fail(&ld->doc, path, false, "\"%s\" needs at least one condition", name);
	c->kids = calloc(n, sizeof(*c->kids));
	if (c->kids == NULL)
		return err_nomem(ld->doc.err);
	cJSON_ArrayForEach(item, list)
	{
		struct jpath ipath = {path, NULL, i++};
		st = cond_compile(ld, item, &ipath, &c->kids[c->nkids]);
		c->nkids++; /* counted even on failure, so cond_free releases it */
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}

ls_status cond_compile(struct loader *ld, cJSON *json, const struct jpath *path,
                       struct cond *c)
{
	static const char *const groups[] = {"all", "any", "not", NULL};
	cJSON *all, *any, *not;
	int ngroups;
	ls_status st;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(json))
		return json_fail(&ld->doc, path, false, "expected a condition object");
	all = cJSON_GetObjectItemCaseSensitive(json, "all");
	any = cJSON_GetObjectItemCaseSensitive(json, "any");
	not = cJSON_GetObjectItemCaseSensitive(json, "not");
	ngroups = (all != NULL) + (any != NULL) + (not != NULL);
	if (ngroups == 0) {
		if (cJSON_GetObjectItemCaseSensitive(json, "field") == NULL &&
		    cJSON_GetObjectItemCaseSensitive(json, "op") == NULL) {
			st = json_check_keys(&ld->doc, json, path, groups);
			if (st != LS_OK)
				return st;
			return json_fail(&ld->doc, path, false,
			                 "expected \"all\", \"any\", \"not\" or a leaf with "
			                 "\"field\" and \"op\"");
		}
		return compile_leaf(ld, json, path, c);
	}

	st = json_check_keys(&ld->doc, json, path, groups);
	if (st != LS_OK)
		return st;
	if (ngroups > 1)
		return json_fail(&ld->doc, path, false,
		                 "use one of \"all\", \"any\" and \"not\" per condition; "
		                 "nest them to combine");
	if (all != NULL) {
		struct jpath p = {path, "all", 0};
		c->kind = COND_ALL;
		return compile_group(ld, all, &p, "all", c);
	}
	if (any != NULL) {
		struct jpath p = {path, "any", 0};
		c->kind = COND_ANY;
		return compile_group(ld, any, &p, "any", c);
	}
	{
		struct jpath p = {path, "not", 0};
		c->kind = COND_NOT;
		c->kids = calloc(1, sizeof(*c->kids));
		if (c->kids == NULL)
			return err_nomem(ld->doc.err);
		c->nkids = 1;
		return cond_compile(ld, not, &p, &c->kids[0]);
	}
}

ls_status cond_compile_whole(struct loader *ld, cJSON *json, const struct jpath *path,
                             struct cond *c)
{
	ls_status st = cond_compile(ld, json, path, c);

	if (st != LS_OK)
		return st;
	c->text = fingerprint_text(json);
	if (c->text == NULL) {
		cond_free(c);
		memset(c, 0, sizeof(*c));
		return err_nomem(ld->doc.err);
	}
	return LS_OK;
}
