/* SPDX-License-Identifier: MIT */
/* value_file.h - lists of values kept in text files ("value_file"): a
 * competitors' or free-mail list that many rules share and sales edits
 * without touching JSON. */
#ifndef LS_VALUE_FILE_H
#define LS_VALUE_FILE_H

#include "rules/rules.h"

/* Lists are read whole; a larger file is refused (a documented guard). */
#define MAX_VALUE_FILE_BYTES ((size_t)256 << 20)

/* A list file as read: one value a line, in file order. */
struct value_file {
	char *text;             /* the file, each line cut off in place */
	char **values;          /* NUL-terminated, pointing into text */
	unsigned long *lines;   /* the line each value is on */
	size_t n;
};

/* The file `name` names, relative to the directory of the rule file
 * `from` (unless it is absolute). NULL when out of memory. */
char *value_file_path(const char *from, const char *name);

/* Reads the list at path: UTF-8 (a byte order mark is skipped), LF or CRLF
 * line ends, blank lines and lines starting with '#' (after blanks) left
 * out. A byte that is not UTF-8, or a NUL, is LS_ERR_RULES at its line;
 * a file that cannot be read, LS_ERR_IO. */
ls_status value_file_read(const char *path, struct value_file *out, ls_error *err);
void value_file_free(struct value_file *f);

/* What check says about the list: its values, those listed twice (ignoring
 * case) and those with blanks around them, and a digest of its values for
 * the fingerprint. out->path is taken over from path. */
ls_status value_file_describe(const struct value_file *f, char *path, struct value_list *out);

#endif
