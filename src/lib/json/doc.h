/* SPDX-License-Identifier: MIT */
/* doc.h - reading a JSON document that a person wrote: parsed with syntax
 * errors placed at line and column, then validated member by member with
 * messages that name the JSON path, the file, the line and the column. The
 * layer below both rule loaders (rules/rules_load.c, rules/cond_load.c). */
#ifndef LS_JSON_DOC_H
#define LS_JSON_DOC_H

#include <cjson/cJSON.h>

#include "leadsift.h"

#include "json/jsonpath.h"

struct json_doc {
	const char *file;        /* named in messages */
	const char *text;        /* the document, to find lines and columns */
	size_t len;
	ls_error *err;
};

/* Parses the document. A NUL byte, nesting deeper than 64 levels (refused
 * before parsing: a hostile file must not exhaust the stack) and syntax
 * errors are LS_ERR_JSON at their line and column. */
ls_status json_parse(const struct json_doc *doc, cJSON **out);

/* Reports a format error at path (at its member name when at_key) as
 * "path: message", with the file, line and column. Returns LS_ERR_RULES. */
ls_status json_fail(const struct json_doc *doc, const struct jpath *path, bool at_key,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Checks that every member of object `obj` is in `allowed` (a NULL-ended
 * list; "$comment" and "$schema" are always allowed) and appears once. */
ls_status json_check_keys(const struct json_doc *doc, const cJSON *obj,
                          const struct jpath *path, const char *const *allowed);

/* A number that is an exact ls_fixed (at most 1e9, six decimals), not
 * negative when non_negative. */
ls_status json_get_fixed(const struct json_doc *doc, const cJSON *v, const struct jpath *path,
                         bool non_negative, ls_fixed *out);

/* Member `key` of obj is a string or absent. */
ls_status json_check_string(const struct json_doc *doc, const cJSON *obj,
                            const struct jpath *path, const char *key);

#endif
