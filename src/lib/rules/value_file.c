/* SPDX-License-Identifier: MIT */
/* value_file.c - reading lists of values from text files (see value_file.h). */
#include "rules/value_file.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"
#include "rules/fingerprint.h"
#include "rules/strset.h"

char *value_file_path(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	size_t dir = slash != NULL && name[0] != '/' ? (size_t)(slash - from) + 1 : 0;
	char *path = malloc(dir + strlen(name) + 1);

	if (path != NULL) {
		memcpy(path, from, dir);
		strcpy(path + dir, name);
	}
	return path;
}

void value_file_free(struct value_file *f)
{
	free(f->text);
	free(f->values);
	free(f->lines);
	memset(f, 0, sizeof(*f));
}

/* The first byte of the line that begins no UTF-8 character, or NULL. */
static const char *bad_byte(const char *p, const char *end)
{
	while (p < end) {
		size_t n = ls_utf8_length(p, (size_t)(end - p));
		if (n == 0)
			return p;
		p += n;
	}
	return NULL;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

ls_status value_file_read(const char *path, struct value_file *out, ls_error *err)
{
	size_t len = 0, lines = 1, i;
	unsigned long line = 0;
	char *p, *end;
	ls_status st;

	memset(out, 0, sizeof(*out));
	st = ls_read_file(path, MAX_VALUE_FILE_BYTES, &out->text, &len, err);
	if (st == LS_ERR_USAGE)
		return ls_error_set(err, LS_ERR_RULES, path, 0, 0,
		                    "a list larger than 256 MiB; is this really a list of values?");
	if (st != LS_OK)
		return st;
	for (i = 0; i < len; i++)
		lines += out->text[i] == '\n';
	out->values = malloc(lines * sizeof(*out->values));
	out->lines = malloc(lines * sizeof(*out->lines));
	if (out->values == NULL || out->lines == NULL) {
		value_file_free(out);
		return err_nomem(err);
	}
	p = out->text;
	end = out->text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p)), *stop, *first;
		const char *bad;
		if (eol == NULL)
			eol = end;
		line++;
		stop = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		bad = bad_byte(p, stop);
		if (bad != NULL) {
			ls_status failed = ls_error_set(err, LS_ERR_RULES, path, line, (unsigned long)(bad - p) + 1,
			                     *bad == '\0' ? "a NUL byte; a list is text, one value a line"
			                                  : "byte 0x%02X is not UTF-8; save the list as UTF-8",
			                     (unsigned char)*bad);
			value_file_free(out);
			return failed;
		}
		*stop = '\0';
		for (first = p; first < stop && is_blank(*first); first++)
			;
		if (first < stop && *first != '#') {
			out->values[out->n] = p;
			out->lines[out->n] = line;
			out->n++;
		}
		p = eol + 1;
	}
	return LS_OK;
}

/* Records the first of a kind of odd value: its line, and the value. */
static bool note(size_t *count, unsigned long *at, char **value, unsigned long line,
                 const char *text)
{
	if ((*count)++ > 0)
		return true;
	*at = line;
	*value = strdup(text);
	return *value != NULL;
}

ls_status value_file_describe(const struct value_file *f, char *path, struct value_list *out)
{
	struct str_operand *folded = calloc(f->n + 1, sizeof(*folded));
	const struct str_operand **members = calloc(f->n + 1, sizeof(*members));
	struct buf all = {0};
	struct strset set;
	bool ok = folded != NULL && members != NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->path = path;
	out->values = f->n;
	for (i = 0; ok && i < f->n; i++) {
		ls_cell v = {f->values[i], strlen(f->values[i])};
		folded[i].ptr = text_fold_dup(v.ptr, v.len, &folded[i].len);
		members[i] = &folded[i];
		ok = folded[i].ptr != NULL && buf_append(&all, v.ptr, v.len) && buf_putc(&all, '\n');
		if (ok && ls_cell_trim(v).len != v.len)
			ok = note(&out->blanked, &out->blank_line, &out->blank_value, f->lines[i],
			          f->values[i]);
	}
	if (ok && (ok = strset_build(&set, STRSET_WHOLE, members, f->n))) {
		for (i = 0; ok && i < f->n; i++) {
			struct strset_walk w;
			size_t first = i, k;
			strset_walk_start(&set, &w, (ls_cell){folded[i].ptr, folded[i].len});
			while (strset_next(&set, &w, &k))
				first = k < first ? k : first;
			if (first < i) {
				ok = note(&out->duplicates, &out->duplicate_line, &out->duplicate_value,
				          f->lines[i], f->values[i]);
				if (out->duplicates == 1)
					out->duplicate_first = f->lines[first];
			}
		}
		strset_free(&set);
	}
	if (ok)
		fingerprint_hex(all.data, all.len, out->digest);
	for (i = 0; folded != NULL && i < f->n; i++)
		free(folded[i].ptr);
	free(folded);
	free(members);
	buf_free(&all);
	return ok ? LS_OK : LS_ERR_NOMEM;
}
