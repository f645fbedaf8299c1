/* SPDX-License-Identifier: MIT */
/* fingerprint.h - a canonical text of rule files, hashed into the rule set's
 * fingerprint, so two runs can tell whether they used the same rules. */
#ifndef LS_FINGERPRINT_H
#define LS_FINGERPRINT_H

#include <cjson/cJSON.h>

#include "base/buf.h"

/* Appends item as canonical JSON: no white space, object members sorted by
 * name, "$"-prefixed members (comments, schema links) left out, numbers in
 * one fixed notation. Returns false when out of memory. */
bool fingerprint_canonical(const cJSON *item, struct buf *out);

/* The same as a NUL-terminated string to free, or NULL when out of memory. */
char *fingerprint_text(const cJSON *item);

/* SHA-256 of data as 64 lowercase hex digits and a NUL. */
void fingerprint_hex(const void *data, size_t len, char out[65]);

#endif
