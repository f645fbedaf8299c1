/* SPDX-License-Identifier: MIT */
/* load.h - what the persona loader and the condition compiler share while
 * one rule file is being validated. */
#ifndef LS_LOAD_H
#define LS_LOAD_H

#include <cjson/cJSON.h>

#include "json/jsonpath.h"
#include "rules/rules.h"

struct loader {
	ls_ruleset *rs;
	const char *file;        /* the file being loaded, for messages */
	const char *text;        /* its text, to find line and column */
	size_t len;
	ls_error *err;
	const struct persona *persona;  /* the persona being loaded */
	const char *user;               /* "rule p/r in file": what uses the fields */
};

/* Reports a rule-format error at path (at its member name when at_key) as
 * "path: message", with the file, line and column. Returns LS_ERR_RULES. */
ls_status load_fail(struct loader *ld, const struct jpath *path, bool at_key,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Checks that every member of object `obj` is in `allowed` (a NULL-ended
 * list; "$comment" and "$schema" are always allowed) and appears once. */
ls_status load_check_keys(struct loader *ld, const cJSON *obj, const struct jpath *path,
                          const char *const *allowed);

/* Compiles the condition at `json` into c. On failure c holds nothing to free. */
ls_status cond_compile(struct loader *ld, const cJSON *json, const struct jpath *path,
                       struct cond *c);

#endif
