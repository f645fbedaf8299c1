/* SPDX-License-Identifier: MIT */
/* lookup.c - lookup tables: declared in the policy, read with the CSV
 * reader the leads are read with, indexed by key (see lookup.h). */
#include "rules/lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/text.h"
#include "rules/fieldmap.h"
#include "rules/value_file.h"

void lookup_free(struct lookup *lk)
{
	size_t i;

	free(lk->name);
	free(lk->file);
	free(lk->key);
	free(lk->match);
	free(lk->encoding);
	free(lk->data);
	free(lk->header); /* the cells follow the header in one block */
	free(lk->lines);
	for (i = 0; lk->keys != NULL && i < lk->nrows; i++)
		free(lk->keys[i].ptr);
	free(lk->keys);
	free(lk->key_rows);
	strset_free(&lk->index);
	memset(lk, 0, sizeof(*lk));
}

/* ---- The declaration ----------------------------------------------------- */

static bool valid_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

/* "match": a field of the leads, or {"field": F, "part": "domain"}. */
static ls_status declare_match(struct loader *ld, struct lookup *lk, const cJSON *v,
                               const struct jpath *path)
{
	static const char *const keys[] = {"field", "part", NULL};
	struct jpath fpath = {path, "field", 0}, ppath = {path, "part", 0};
	const cJSON *field = v, *part = NULL;
	ls_status st;

	if (cJSON_IsObject(v)) {
		st = json_check_keys(&ld->doc, v, path, keys);
		if (st != LS_OK)
			return st;
		field = cJSON_GetObjectItemCaseSensitive(v, "field");
		part = cJSON_GetObjectItemCaseSensitive(v, "part");
		if (field == NULL)
			return json_fail(&ld->doc, path, false, "\"match\" needs \"field\"");
		path = &fpath;
		if (part != NULL && !(cJSON_IsString(part) && strcmp(part->valuestring, "domain") == 0))
			return json_fail(&ld->doc, &ppath, false,
			                 "expected \"domain\" (the part of an e-mail address after the '@')");
		lk->by_domain = part != NULL;
	}
	if (!cJSON_IsString(field) || field->valuestring[0] == '\0')
		return json_fail(&ld->doc, path, false,
		                 "expected a field of the leads, or {\"field\": ..., \"part\": \"domain\"}");
	lk->match = strdup(field->valuestring);
	return lk->match != NULL ? LS_OK : err_nomem(ld->doc.err);
}

static ls_status declare_one(struct loader *ld, struct lookup *lk, const cJSON *v,
                             const struct jpath *path)
{
	static const char *const keys[] = {"file",     "key",       "match", "duplicates",
	                                   "encoding", "delimiter", NULL};
	struct jpath fpath = {path, "file", 0}, kpath = {path, "key", 0}, mpath = {path, "match", 0};
	struct jpath dpath = {path, "duplicates", 0}, epath = {path, "encoding", 0};
	struct jpath lpath = {path, "delimiter", 0};
	const cJSON *file, *key, *match, *dup, *enc, *delim;
	ls_status st;

	if (!valid_name(v->string))
		return json_fail(&ld->doc, path, true, "a lookup's name is letters, digits, '_' and "
		                                       "'-' (rules read its columns as NAME.COLUMN)");
	if (!cJSON_IsObject(v))
		return json_fail(&ld->doc, path, false, "expected {\"file\": ..., \"key\": ..., "
		                                        "\"match\": ...}");
	st = json_check_keys(&ld->doc, v, path, keys);
	if (st != LS_OK)
		return st;
	file = cJSON_GetObjectItemCaseSensitive(v, "file");
	key = cJSON_GetObjectItemCaseSensitive(v, "key");
	match = cJSON_GetObjectItemCaseSensitive(v, "match");
	dup = cJSON_GetObjectItemCaseSensitive(v, "duplicates");
	enc = cJSON_GetObjectItemCaseSensitive(v, "encoding");
	delim = cJSON_GetObjectItemCaseSensitive(v, "delimiter");
	if (file == NULL || key == NULL || match == NULL)
		return json_fail(&ld->doc, path, false, "a lookup needs \"%s\"",
		                 file == NULL ? "file" : key == NULL ? "key" : "match");
	if (!cJSON_IsString(file) || file->valuestring[0] == '\0')
		return json_fail(&ld->doc, &fpath, false, "expected the name of a CSV file");
	if (!cJSON_IsString(key) || key->valuestring[0] == '\0')
		return json_fail(&ld->doc, &kpath, false, "expected the name of the table's key column");
	if (dup != NULL && !(cJSON_IsString(dup) && (strcmp(dup->valuestring, "error") == 0 ||
	                                              strcmp(dup->valuestring, "first") == 0)))
		return json_fail(&ld->doc, &dpath, false, "expected \"error\" (the default) or \"first\"");
	lk->first_wins = dup != NULL && strcmp(dup->valuestring, "first") == 0;
	if (delim != NULL) {
		const char *d = cJSON_IsString(delim) ? delim->valuestring : "";
		if (strcmp(d, "auto") != 0 && !(strlen(d) == 1 && strchr(",;\t|", d[0]) != NULL))
			return json_fail(&ld->doc, &lpath, false,
			                 "expected \",\", \";\", \"\\t\", \"|\" or \"auto\"");
		lk->delimiter = strcmp(d, "auto") == 0 ? 0 : d[0];
	} else {
		lk->delimiter = 0;
	}
	if (enc != NULL && (st = policy_encoding(ld, enc, &epath, &lk->encoding)) != LS_OK)
		return st;
	lk->name = strdup(v->string);
	lk->key = strdup(key->valuestring);
	lk->file = value_file_path(ld->doc.file, file->valuestring);
	if (lk->name == NULL || lk->key == NULL || lk->file == NULL)
		return err_nomem(ld->doc.err);
	return declare_match(ld, lk, match, &mpath);
}

ls_status lookup_declare(struct loader *ld, const cJSON *json, const struct jpath *path)
{
	ls_ruleset *rs = ld->rs;
	const cJSON *item;
	size_t n;
	ls_status st = LS_OK;

	if (!cJSON_IsObject(json))
		return json_fail(&ld->doc, path, false, "expected an object of lookup tables by name");
	n = (size_t)cJSON_GetArraySize(json);
	rs->lookups = calloc(n + 1, sizeof(*rs->lookups));
	if (rs->lookups == NULL)
		return err_nomem(ld->doc.err);
	cJSON_ArrayForEach(item, json)
	{
		struct jpath ipath = {path, item->string, 0};
		rs->nlookups++; /* counted before loading, so a failure is freed too */
		st = declare_one(ld, &rs->lookups[rs->nlookups - 1], item, &ipath);
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}

/* ---- Loading a table ----------------------------------------------------- */

/* The cells as read: offsets into the data until it stops moving. */
struct table_build {
	struct buf data;
	size_t *offsets;       /* per cell, header first */
	size_t *lens;
	size_t ncells, cap;
	unsigned long *lines;
	size_t nlines, lines_cap;
};

static bool add_row(struct table_build *b, const ls_cell *cells, size_t n, unsigned long line)
{
	size_t i;

	if (b->ncells + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		size_t *o, *l;
		while (cap < b->ncells + n)
			cap *= 2;
		o = realloc(b->offsets, cap * sizeof(*o));
		if (o != NULL)
			b->offsets = o;
		l = realloc(b->lens, cap * sizeof(*l));
		if (l != NULL)
			b->lens = l;
		if (o == NULL || l == NULL)
			return false;
		b->cap = cap;
	}
	if (b->nlines == b->lines_cap) {
		unsigned long *g = array_grow(b->lines, &b->lines_cap, sizeof(*g), 64);
		if (g == NULL)
			return false;
		b->lines = g;
	}
	b->lines[b->nlines++] = line;
	for (i = 0; i < n; i++) {
		b->offsets[b->ncells] = b->data.len;
		b->lens[b->ncells++] = cells[i].len;
		if (!buf_append(&b->data, cells[i].ptr, cells[i].len))
			return false;
	}
	return true;
}

static void build_free(struct table_build *b)
{
	buf_free(&b->data);
	free(b->offsets);
	free(b->lens);
	free(b->lines);
}

/* Reads the whole table, header first; all-empty rows (report footers'
 * padding) are skipped. */
static ls_status read_table(struct lookup *lk, struct table_build *b, ls_error *err)
{
	ls_reader *r = NULL;
	unsigned long bad_line = 0;
	ls_row row;
	ls_status st;
	int fd = open(lk->file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ls_error_set_errno(err, LS_ERR_IO, errno, "cannot open %s (lookup \"%s\")",
		                          lk->file, lk->name);
	st = ls_reader_open_fd(&r, fd, lk->file, lk->delimiter, err);
	if (st == LS_OK) {
		ls_reader_set_max_record_bytes(r, LS_DEFAULT_MAX_RECORD_BYTES);
		if (lk->encoding != NULL)
			st = ls_reader_set_encoding(r, lk->encoding, err);
	}
	while (st == LS_OK && (st = ls_reader_next(r, &row, err)) == LS_OK) {
		if (b->nlines > 0 && ls_row_is_empty(&row))
			continue;
		if (!add_row(b, ls_row_text(&row), row.ncells, row.line))
			st = err_nomem(err);
		else if (b->nlines == 1)
			lk->ncols = row.ncells;
	}
	if (st == LS_DONE && b->nlines == 0)
		st = ls_error_set(err, LS_ERR_CSV, lk->file, 0, 0, "empty: a lookup table needs a header");
	else if (st == LS_DONE && ls_reader_non_utf8(r, &bad_line) > 0)
		st = ls_error_set(err, LS_ERR_CSV, lk->file, bad_line, 0,
		                  "not UTF-8; name the table's encoding in lookup \"%s\" (such as "
		                  "\"encoding\": \"windows-1252\")",
		                  lk->name);
	else if (st == LS_DONE)
		st = LS_OK;
	ls_reader_free(r);
	close(fd);
	return st;
}

/* The table's cells, as ls_cells into its data. */
static ls_status keep_table(struct lookup *lk, struct table_build *b, ls_error *err)
{
	ls_cell *all = malloc((b->ncells + 1) * sizeof(*all));
	size_t i;

	if (all == NULL)
		return err_nomem(err);
	lk->data = b->data.data;
	b->data.data = NULL;
	for (i = 0; i < b->ncells; i++) {
		all[i].ptr = lk->data != NULL ? lk->data + b->offsets[i] : "";
		all[i].len = b->lens[i];
	}
	lk->header = all;
	lk->cells = all + lk->ncols;
	lk->nrows = b->nlines - 1;
	lk->lines = b->lines;
	b->lines = NULL;
	return LS_OK;
}

/* The column a name takes in the table's header, as fields find columns. */
static ls_status find_key_column(const ls_ruleset *rs, struct lookup *lk, ls_error *err)
{
	ls_status st = ls_ruleset_find_column(rs, lk->key, lk->header, lk->ncols, &lk->key_column);
	struct buf cols = {0};
	size_t i;
	bool ok = true;

	if (st == LS_OK)
		return LS_OK;
	for (i = 0; ok && i < lk->ncols; i++)
		ok = buf_printf(&cols, "%s\"%.*s\"", i ? ", " : "", (int)lk->header[i].len,
		                lk->header[i].ptr);
	if (!ok || !buf_terminate(&cols)) {
		buf_free(&cols);
		return err_nomem(err);
	}
	st = ls_error_set(err, LS_ERR_HEADER, lk->file, lk->lines[0], 0,
	                  "%s key column \"%s\" of lookup \"%s\"; header columns: %s",
	                  st == LS_DONE ? "no" : "more than one", lk->key, lk->name, cols.data);
	buf_free(&cols);
	return st;
}

/* Each row's key, folded, and the index over them. A key an earlier row
 * had is an error naming both lines, or with first_wins is counted and
 * left out of the index, so the first row answers. */
static ls_status index_table(const ls_ruleset *rs, struct lookup *lk, ls_error *err)
{
	const struct missing_values *missing =
		ruleset_missing_values(rs, rs->fields[lk->match_field].name);
	const struct str_operand **members = NULL;
	size_t i, n = 0, kept = 0, k;
	ls_status st = LS_OK;

	lk->keys = calloc(lk->nrows + 1, sizeof(*lk->keys));
	lk->key_rows = calloc(lk->nrows + 1, sizeof(*lk->key_rows));
	members = calloc(lk->nrows + 1, sizeof(*members));
	if (lk->keys == NULL || lk->key_rows == NULL || members == NULL) {
		free(members);
		return err_nomem(err);
	}
	for (i = 0; i < lk->nrows; i++) {
		ls_cell key = ls_cell_trim(lk->cells[i * lk->ncols + lk->key_column]);
		if (key.len == 0 || missing_values_has(missing, key)) {
			lk->keyless++;
			continue;
		}
		lk->keys[n].ptr = text_fold_dup(key.ptr, key.len, &lk->keys[n].len);
		if (lk->keys[n].ptr == NULL) {
			free(members);
			return err_nomem(err);
		}
		lk->key_rows[n] = i;
		members[n] = &lk->keys[n];
		n++;
	}
	if (!strset_build(&lk->index, STRSET_WHOLE, members, n))
		st = err_nomem(err);
	/* Only the first of equal keys stays a member. */
	for (i = 0; st == LS_OK && i < n; i++) {
		struct strset_walk w;
		size_t first = i;
		strset_walk_start(&lk->index, &w, (ls_cell){lk->keys[i].ptr, lk->keys[i].len});
		while (strset_next(&lk->index, &w, &k))
			first = k < first ? k : first;
		if (first == i) {
			members[kept++] = &lk->keys[i];
			continue;
		}
		if (!lk->first_wins) {
			ls_cell key = ls_cell_trim(lk->cells[lk->key_rows[i] * lk->ncols + lk->key_column]);
			st = ls_error_set(err, LS_ERR_CSV, lk->file, lk->lines[lk->key_rows[i] + 1], 0,
			                  "key \"%.*s\" of lookup \"%s\" repeats line %lu (keys compare "
			                  "trimmed, ignoring case); keep one row, or set \"duplicates\": "
			                  "\"first\"",
			                  (int)key.len, key.ptr, lk->name, lk->lines[lk->key_rows[first] + 1]);
		} else if (lk->duplicates++ == 0) {
			lk->duplicate_line = lk->lines[lk->key_rows[i] + 1];
			lk->duplicate_first = lk->lines[lk->key_rows[first] + 1];
		}
	}
	if (st == LS_OK && kept < n) {
		strset_free(&lk->index);
		if (!strset_build(&lk->index, STRSET_WHOLE, members, kept))
			st = err_nomem(err);
	}
	free(members);
	return st;
}

static ls_status load_table(const ls_ruleset *rs, struct lookup *lk, ls_error *err)
{
	struct table_build b = {0};
	ls_status st = read_table(lk, &b, err);

	if (st == LS_OK)
		st = keep_table(lk, &b, err);
	build_free(&b);
	if (st == LS_OK)
		st = find_key_column(rs, lk, err);
	if (st == LS_OK)
		st = index_table(rs, lk, err);
	return st;
}

/* 1 + the lookup a field named "NAME.COLUMN" is a column of, with *column
 * pointing at COLUMN; 0 for a field of the leads (*column: all of it). */
static size_t table_of(const ls_ruleset *rs, const char *name, const char **column)
{
	const char *dot = strchr(name, '.');
	size_t k;

	*column = name;
	for (k = 0; dot != NULL && k < rs->nlookups; k++) {
		if (strlen(rs->lookups[k].name) == (size_t)(dot - name) &&
		    memcmp(rs->lookups[k].name, name, (size_t)(dot - name)) == 0) {
			*column = dot + 1;
			return k + 1;
		}
	}
	return 0;
}

/* Marks the fields "NAME.COLUMN" of a declared lookup as its columns, and
 * makes the match field of each lookup they read a field the leads must
 * have. A lookup no rule reads is left alone: not loaded, nothing required. */
static ls_status mark_fields(ls_ruleset *rs, ls_error *err)
{
	size_t i, n = rs->nfields;

	for (i = 0; i < n; i++) {
		struct field_use *f = &rs->fields[i];
		f->lookup = table_of(rs, f->name, &f->column);
	}
	for (i = 0; i < n; i++) {
		struct lookup *lk;
		const char *column;
		char user[160];
		if (rs->fields[i].lookup == 0 || (lk = &rs->lookups[rs->fields[i].lookup - 1])->used)
			continue;
		lk->used = true;
		snprintf(user, sizeof(user), "lookup %.64s in %.64s", lk->name, rs->policy_file);
		if (!ruleset_intern_field(rs, lk->match, false, false, user, &lk->match_field))
			return err_nomem(err);
		if (table_of(rs, lk->match, &column) != 0)
			return ls_error_set(err, LS_ERR_RULES, rs->policy_file, 0, 0,
			                    "lookup \"%s\" matches on \"%s\", a column of a lookup table; "
			                    "it matches on a field of the leads",
			                    lk->name, lk->match);
	}
	return LS_OK;
}

ls_status lookups_load(ls_ruleset *rs, ls_error *err)
{
	ls_status st = mark_fields(rs, err);
	size_t k, i;

	for (k = 0; st == LS_OK && k < rs->nlookups; k++)
		if (rs->lookups[k].used)
			st = load_table(rs, &rs->lookups[k], err);
	for (i = 0; st == LS_OK && i < rs->nfields; i++) {
		struct lookup *lk;
		if (rs->fields[i].lookup == 0)
			continue;
		lk = &rs->lookups[rs->fields[i].lookup - 1];
		st = fieldmap_resolve(rs, i, lk->header, lk->ncols, lk->file, true,
		                      &rs->fields[i].table_column, err);
		if (st != LS_OK && err != NULL && err->line == 0)
			err->line = lk->lines[0];
	}
	return st;
}

size_t lookup_find(const struct lookup *lk, ls_cell folded_key)
{
	struct strset_walk w;
	size_t member;

	if (folded_key.len == 0)
		return SIZE_MAX;
	strset_walk_start(&lk->index, &w, folded_key);
	if (!strset_next(&lk->index, &w, &member))
		return SIZE_MAX;
	return lk->key_rows[(const struct str_operand *)lk->index.members[member] - lk->keys];
}

ls_cell lookup_key_part(const struct lookup *lk, ls_cell cell)
{
	const char *at;

	if (!lk->by_domain)
		return cell;
	for (at = cell.ptr + cell.len; at > cell.ptr && at[-1] != '@'; at--)
		;
	if (at == cell.ptr)
		return (ls_cell){cell.ptr, 0};
	at--;
	return ls_cell_trim((ls_cell){at + 1, cell.len - (size_t)(at + 1 - cell.ptr)});
}

bool lookup_match(const struct lookup *lk, ls_cell match, struct buf *folded, size_t *row)
{
	ls_cell key = lookup_key_part(lk, match);

	*row = SIZE_MAX;
	if (key.len == 0)
		return true;
	if (!buf_reserve(folded, TEXT_FOLD_ROOM(key.len)))
		return false;
	/* The buffer is reused: its length is set, never appended to. */
	folded->len = text_fold(folded->data, key.ptr, key.len);
	*row = lookup_find(lk, (ls_cell){folded->data, folded->len});
	return true;
}
