/* SPDX-License-Identifier: MIT */
/* load.h - what the persona loader and the condition compiler share while
 * one rule file is being validated. */
#ifndef LS_LOAD_H
#define LS_LOAD_H

#include "json/doc.h"
#include "rules/rules.h"

struct loader {
	struct json_doc doc;     /* the file being loaded */
	ls_ruleset *rs;
	const struct persona *persona;  /* the persona being loaded */
	const char *user;               /* "rule p/r in file": what uses the fields */
	bool from_memory;               /* no file to read value_file lists next to */
};

/* An "encoding" (a name iconv knows, of an encoding CSV can be split in)
 * into *out, to free (policy_load.c). */
ls_status policy_encoding(struct loader *ld, const cJSON *v, const struct jpath *path,
                          char **out);

/* Loads a policy file's object into ld->rs (policy_load.c). */
ls_status policy_load(struct loader *ld, const cJSON *root);

/* Compiles the condition at `json` into c. A leaf with a value_file gets
 * the list's digest as "value_file_sha256" in json, for the fingerprint
 * (and "value_file_values", its count). On failure c holds nothing to free. */
ls_status cond_compile(struct loader *ld, cJSON *json, const struct jpath *path,
                       struct cond *c);
/* The same for a whole condition (a rule's, an allow-list entry's, the
 * require), which also keeps its canonical text in c->text. */
ls_status cond_compile_whole(struct loader *ld, cJSON *json, const struct jpath *path,
                             struct cond *c);

#endif
