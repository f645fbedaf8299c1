/* SPDX-License-Identifier: MIT */
/* json_out.h - building the commands' JSON output with cJSON: every helper
 * records a failed allocation in *nomem instead of failing, so the result
 * is checked once. */
#ifndef LS_JSON_OUT_H
#define LS_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include "leadsift.h"

struct cJSON;
/* Adds item to parent (under key, or to an array when key is NULL) and
 * returns it; NULL (item freed, *nomem set) when either is missing. */
struct cJSON *json_add(struct cJSON *parent, const char *key, struct cJSON *item, bool *nomem);
/* A cell as a JSON string: UTF-8 kept, other bytes and NUL as U+FFFD. */
struct cJSON *json_cell(const char *ptr, size_t len);
struct cJSON *json_fixed(ls_fixed v);
/* Formats root (unless building it ran out of memory) and frees it;
 * NULL when out of memory. */
char *json_render(struct cJSON *root, bool nomem);
/* Prints and frees a rendered text with a final newline; NULL is reported
 * as out of memory. Returns the exit code. */
int json_print(char *text);

#endif
