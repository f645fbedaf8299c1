/* SPDX-License-Identifier: MIT */
/* doc.c - JSON documents a person wrote (see doc.h). */
#include "json/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/number.h"
#include "json/syntax.h"

/* Deeper nesting than this is refused before parsing: real conditions need
 * a handful of levels, and a hostile file must not exhaust the stack. */
#define MAX_JSON_DEPTH 64

ls_status json_fail(const struct json_doc *doc, const struct jpath *path, bool at_key,
                    const char *fmt, ...)
{
	struct buf where = {0};
	unsigned long line = 0, column = 0;
	char *what = NULL;
	va_list ap;
	ls_status st;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0)
		what = malloc((size_t)n + 1);
	if (what == NULL || !jpath_render(path, &where) || !buf_terminate(&where)) {
		free(what);
		buf_free(&where);
		return err_nomem(doc->err);
	}
	va_start(ap, fmt);
	vsnprintf(what, (size_t)n + 1, fmt, ap);
	va_end(ap);
	jpath_locate(doc->text, doc->len, path, at_key, &line, &column);
	st = ls_error_set(doc->err, LS_ERR_RULES, doc->file, line, column, "%s: %s", where.data, what);
	free(what);
	buf_free(&where);
	return st;
}

ls_status json_check_keys(const struct json_doc *doc, const cJSON *obj,
                          const struct jpath *path, const char *const *allowed)
{
	const cJSON *m, *earlier;
	size_t i;

	for (m = obj->child; m != NULL; m = m->next) {
		struct jpath mpath = {path, m->string, 0};
		bool known = strcmp(m->string, "$comment") == 0 || strcmp(m->string, "$schema") == 0;

		for (i = 0; !known && allowed[i] != NULL; i++)
			known = strcmp(m->string, allowed[i]) == 0;
		if (!known) {
			struct buf list = {0};
			ls_status st;
			for (i = 0; allowed[i] != NULL; i++)
				if ((i > 0 && !buf_append_str(&list, ", ")) ||
				    !buf_append_str(&list, allowed[i]))
					break;
			if (allowed[i] != NULL || !buf_terminate(&list)) {
				buf_free(&list);
				return err_nomem(doc->err);
			}
			st = json_fail(doc, &mpath, true, "unknown key \"%s\"; expected one of %s",
			               m->string, list.data);
			buf_free(&list);
			return st;
		}
		for (earlier = obj->child; earlier != m; earlier = earlier->next)
			if (strcmp(earlier->string, m->string) == 0)
				return json_fail(doc, &mpath, true, "duplicate key \"%s\"", m->string);
	}
	return LS_OK;
}

/* cJSON reports a failed allocation as a syntax error; its allocator hook
 * tells the two apart. */
static _Thread_local bool json_alloc_failed;

static void *json_malloc(size_t size)
{
	void *p = malloc(size);

	if (p == NULL)
		json_alloc_failed = true;
	return p;
}

/* Parses JSON text, reporting syntax errors with line and column. */
ls_status json_parse(const struct json_doc *doc, cJSON **out)
{
	cJSON_Hooks hooks = {json_malloc, free};
	const char *end = NULL;
	unsigned long line, column;
	size_t i, at;
	bool unclosed;
	int depth = 0;
	bool in_string = false;

	if (memchr(doc->text, '\0', doc->len) != NULL) {
		jpath_line_col(doc->text, (size_t)((const char *)memchr(doc->text, '\0', doc->len) - doc->text),
		               &line, &column);
		return ls_error_set(doc->err, LS_ERR_JSON, doc->file, line, column,
		                    "invalid JSON: NUL byte (is this a JSON text file?)");
	}
	for (i = 0; i < doc->len; i++) {
		char c = doc->text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > MAX_JSON_DEPTH) {
				jpath_line_col(doc->text, i, &line, &column);
				return ls_error_set(doc->err, LS_ERR_JSON, doc->file, line, column,
				                    "JSON nested more than %d levels deep", MAX_JSON_DEPTH);
			}
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}

	cJSON_InitHooks(&hooks);
	json_alloc_failed = false;
	*out = cJSON_ParseWithOpts(doc->text, &end, 1);
	if (*out != NULL)
		return LS_OK;
	if (end == NULL || json_alloc_failed)
		return err_nomem(doc->err);
	/* At the mistake, not where cJSON stopped (one byte on, at times). */
	at = json_syntax_error(doc->text, doc->len, &unclosed);
	if (at == SIZE_MAX)
		at = (size_t)(end - doc->text);
	jpath_line_col(doc->text, at, &line, &column);
	if (unclosed)
		return ls_error_set(doc->err, LS_ERR_JSON, doc->file, line, column,
		                    "invalid JSON: a string that is never closed (a '\"' missing?)");
	if (at >= doc->len)
		return ls_error_set(doc->err, LS_ERR_JSON, doc->file, line, column,
		                    "invalid JSON: unexpected end of file");
	return ls_error_set(doc->err, LS_ERR_JSON, doc->file, line, column,
	                    "invalid JSON: unexpected '%c'", doc->text[at]);
}

ls_status json_get_fixed(const struct json_doc *doc, const cJSON *v, const struct jpath *path,
                         bool non_negative, ls_fixed *out)
{
	if (!cJSON_IsNumber(v))
		return json_fail(doc, path, false, "expected a number");
	if (!fixed_from_double(v->valuedouble, out))
		return json_fail(doc, path, false,
		                 "expected a number of at most 1e9 with at most six decimal places");
	if (non_negative && *out < 0)
		return json_fail(doc, path, false, "must not be negative");
	return LS_OK;
}

ls_status json_check_string(const struct json_doc *doc, const cJSON *obj,
                            const struct jpath *path, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	struct jpath kpath = {path, key, 0};

	if (v != NULL && !cJSON_IsString(v))
		return json_fail(doc, &kpath, false, "expected a string");
	return LS_OK;
}
