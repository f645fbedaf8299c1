/* SPDX-License-Identifier: MIT */
/* jsonpath.h - JSON paths for messages ("rules[2].when.op") and finding
 * their line and column in the source text. */
#ifndef LS_JSONPATH_H
#define LS_JSONPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* One step of a path, linked to its parent. Paths live on the C stack of
 * the recursive validator, so building them allocates nothing. */
struct jpath {
	const struct jpath *parent;
	const char *key;   /* object member, or NULL for an array element */
	size_t index;
};

/* Appends the path in the form rules[2].when.all[0].op; keys that are not
 * plain identifiers are written as ["No. of Employees"]. An empty path
 * renders as "(top level)". Returns false when out of memory. */
bool jpath_render(const struct jpath *path, struct buf *out);

/* Finds the 1-based line and column of the value at `path` in a JSON text
 * already known to be valid, or of its member name when at_key is set.
 * Returns false if the path is not there. */
bool jpath_locate(const char *text, size_t len, const struct jpath *path, bool at_key,
                  unsigned long *line, unsigned long *column);

/* The 1-based line and column of byte `offset` in text. */
void jpath_line_col(const char *text, size_t offset, unsigned long *line,
                    unsigned long *column);

#endif
