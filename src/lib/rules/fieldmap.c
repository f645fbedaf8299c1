/* SPDX-License-Identifier: MIT */
/* fieldmap.c - resolving the field names rules use to columns of a header. */
#include "rules/fieldmap.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/text.h"

/* A byte as names are compared loosely: ASCII letters folded, digits and
 * non-ASCII bytes kept, anything else (space, '_', punctuation) dropped: 0. */
static unsigned char loose_byte(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c + ('a' - 'A'));
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
		return c;
	return 0;
}

static bool normalize(const char *s, size_t len, struct buf *out)
{
	size_t i;

	out->len = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = loose_byte((unsigned char)s[i]);
		if (c != 0 && !buf_putc(out, (char)c))
			return false;
	}
	return true;
}

/* The next kept byte at or after *i, or 0 at the end. */
static unsigned char next_loose(const char *s, size_t len, size_t *i)
{
	while (*i < len) {
		unsigned char c = loose_byte((unsigned char)s[(*i)++]);
		if (c != 0)
			return c;
	}
	return 0;
}

bool fieldmap_same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	unsigned char x, y;

	do {
		x = next_loose(a, alen, &i);
		y = next_loose(b, blen, &j);
		if (x != y)
			return false;
	} while (x != 0);
	return true;
}

/* Columns that match `name`, exactly (loose == false) or loosely. */
static size_t find(const ls_cell *header, size_t ncols, const char *name, bool loose,
                   size_t found[2])
{
	size_t i, n = 0, len = strlen(name), first = 0;

	/* A name of punctuation only would loosely equal every other such name. */
	if (loose && next_loose(name, len, &first) == 0)
		return 0;
	for (i = 0; i < ncols; i++) {
		bool hit = loose ? fieldmap_same_name(header[i].ptr, header[i].len, name, len)
		                 : header[i].len == len && memcmp(header[i].ptr, name, len) == 0;
		if (hit && n < 2)
			found[n] = i;
		n += hit;
	}
	return n;
}

/* Edit distance of the loose forms, to suggest the column meant. */
static size_t distance(const struct buf *a, const struct buf *b, size_t *row)
{
	size_t i, j;

	for (j = 0; j <= b->len; j++)
		row[j] = j;
	for (i = 1; i <= a->len; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= b->len; j++) {
			size_t up = row[j];
			size_t best = diag + (a->data[i - 1] != b->data[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[b->len];
}

/* Appends `"name"` with the cell's bytes, escaping quotes and controls so the
 * message stays on one line. */
static bool quote_cell(struct buf *out, const char *s, size_t len)
{
	size_t i;

	if (!buf_putc(out, '"'))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = c < 0x20 || c == 0x7f ? buf_putc(out, '?')
		          : c == '"'            ? buf_append_str(out, "\\\"")
		                                : buf_putc(out, (char)c);
		if (!ok)
			return false;
	}
	return buf_putc(out, '"');
}

/* Words of a name: runs of ASCII letters and digits (folded), split also
 * where a lower-case letter meets an upper-case one (camelCase), and the
 * non-ASCII bytes among them. Fills words[] (start, length) up to max. */
struct word {
	const char *ptr;
	size_t len;
};

static size_t split_words(const char *s, size_t len, struct word *words, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < len;) {
		size_t start;
		while (i < len && loose_byte((unsigned char)s[i]) == 0)
			i++;
		if (i == len)
			break;
		start = i++;
		while (i < len && loose_byte((unsigned char)s[i]) != 0 &&
		       !(s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z'))
			i++;
		if (n < max)
			words[n++] = (struct word){s + start, i - start};
	}
	return n;
}

/* Words too common to say which column is meant. */
static bool filler(struct word w)
{
	static const char *const words[] = {"a",   "an",  "the", "of",  "on",   "in",  "to",
	                                    "for", "is",  "your", "what", "per", "by", "and",
	                                    "or",  "at",  "do",  "you", "are",  "how"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (text_equal_fold(w.ptr, w.len, words[i], strlen(words[i])))
			return true;
	return false;
}

/* Whether word a stands for word b: the same ignoring case; or the shorter
 * (of four letters or more) begins the longer and is two thirds of it
 * ("Employee", "employees"); or ends it after three letters or more ("site",
 * "Website"). A word missing a letter or two is a typo, not the same word. */
static bool same_word(struct word a, struct word b)
{
	struct word in = a.len <= b.len ? b : a, part = a.len <= b.len ? a : b;

	if (a.len == b.len)
		return text_equal_fold(a.ptr, a.len, b.ptr, b.len);
	if (part.len < 4)
		return false;
	if (part.len * 3 >= in.len * 2 && text_equal_fold(in.ptr, part.len, part.ptr, part.len))
		return true;
	return in.len - part.len >= 3 &&
	       text_equal_fold(in.ptr + in.len - part.len, part.len, part.ptr, part.len);
}

/* The share (0 to 1) of the name's telling words that the column has. */
static double word_cover(const char *name, const ls_cell *column)
{
	struct word want[16], have[32];
	size_t nwant = split_words(name, strlen(name), want, 16);
	size_t nhave = split_words(column->ptr, column->len, have, 32), i, k, telling = 0, found = 0;

	for (i = 0; i < nwant; i++) {
		if (filler(want[i]) && nwant > 1)
			continue;
		telling++;
		for (k = 0; k < nhave; k++) {
			if (same_word(want[i], have[k])) {
				found++;
				break;
			}
		}
	}
	return telling > 0 ? (double)found / (double)telling : 0;
}

/* The column plausibly meant by `name` (*best = (size_t)-1 when none is):
 * one that has at least half its telling words, the most, or else one whose
 * loose form is a typo away (at most a third of its letters differ). A
 * column another field took is never offered. False when out of memory. */
static bool closest(const ls_cell *header, size_t ncols, const bool *taken, const char *name,
                    size_t *best)
{
	struct buf want = {0}, have = {0};
	size_t *row = NULL, i;
	double best_cover = 0, best_typo = 1;
	bool ok = false;

	*best = (size_t)-1;
	if (!normalize(name, strlen(name), &want))
		goto out;
	for (i = 0; i < ncols; i++) {
		double cover, typo;
		size_t longer;
		if (taken[i])
			continue;
		if (!normalize(header[i].ptr, header[i].len, &have))
			goto out;
		free(row);
		row = malloc((have.len + 1) * sizeof(*row));
		if (row == NULL)
			goto out;
		longer = have.len > want.len ? have.len : want.len;
		typo = longer > 0 ? (double)distance(&want, &have, row) / (double)longer : 1;
		cover = word_cover(name, &header[i]);
		if (cover >= 0.5 && (cover > best_cover || (cover == best_cover && typo < best_typo))) {
			best_cover = cover;
			best_typo = typo;
			*best = i;
		} else if (best_cover == 0 && typo <= 1.0 / 3 && typo < best_typo) {
			best_typo = typo;
			*best = i;
		}
	}
	ok = true;
out:
	free(row);
	buf_free(&want);
	buf_free(&have);
	return ok;
}

/* A header read as one column that holds another delimiter: the file was
 * read with the wrong one. Returns that delimiter, or 0. */
static char other_delimiter(const ls_cell *header, size_t ncols)
{
	static const char delims[] = ",;\t|";
	size_t i;

	for (i = 0; ncols == 1 && i < sizeof(delims) - 1; i++)
		if (memchr(header[0].ptr, delims[i], header[0].len) != NULL)
			return delims[i];
	return '\0';
}

static ls_status wrong_delimiter(const struct field_use *f, const ls_cell *header, char delim,
                                 const char *source, ls_error *err)
{
	char quoted[4] = {'\'', delim, '\'', '\0'}, option[8];
	const char *holds = delim == '\t' ? "tabs" : quoted;
	struct buf column = {0};
	ls_status st;

	if (delim == '\t')
		snprintf(option, sizeof(option), "-t");
	else
		snprintf(option, sizeof(option), "-d '%c'", delim);
	if (!quote_cell(&column, header[0].ptr, header[0].len) || !buf_terminate(&column)) {
		buf_free(&column);
		return err_nomem(err);
	}
	st = ls_error_set(err, LS_ERR_HEADER, source, 0, 0,
	                  "field \"%s\" (used by %s) is not in the header: the header is one "
	                  "column, %s, which holds %s: the file is probably separated by %s; "
	                  "give %s (or -d auto)",
	                  f->name, f->first_user, column.data, holds, holds, option);
	buf_free(&column);
	return st;
}

static ls_status missing(const struct field_use *f, const ls_cell *header, size_t ncols,
                         const bool *taken, bool list_header, const char *source,
                         const struct field_alias *alias, ls_error *err)
{
	struct buf msg = {0};
	size_t i, near;
	bool ok;
	ls_status st;
	char delim = other_delimiter(header, ncols);

	if (delim != '\0')
		return wrong_delimiter(f, header, delim, source, err);
	ok = closest(header, ncols, taken, f->name, &near);

	if (ok && near != (size_t)-1)
		ok = buf_append_str(&msg, "; closest column: ") &&
		     quote_cell(&msg, header[near].ptr, header[near].len);
	if (ok && alias != NULL) {
		ok = buf_append_str(&msg, "; aliases tried:");
		for (i = 0; ok && i < alias->nnames; i++)
			ok = buf_append_str(&msg, i ? ", " : " ") &&
			     quote_cell(&msg, alias->names[i], strlen(alias->names[i]));
	}
	if (list_header) {
		ok = ok && buf_append_str(&msg, "; header columns:");
		for (i = 0; ok && i < ncols; i++)
			ok = buf_append_str(&msg, i ? ", " : " ") &&
			     quote_cell(&msg, header[i].ptr, header[i].len);
	}
	if (!ok || !buf_terminate(&msg)) {
		buf_free(&msg);
		return err_nomem(err);
	}
	st = ls_error_set(err, LS_ERR_HEADER, source, 0, 0,
	                  "field \"%s\" (used by %s) is not in the header%s", f->name, f->first_user,
	                  msg.data);
	buf_free(&msg);
	return st;
}

static ls_status ambiguous(const struct field_use *f, const char *by,
                           const ls_cell *header, const size_t found[2], const char *source,
                           ls_error *err)
{
	struct buf cols = {0};
	ls_status st;

	if (!quote_cell(&cols, header[found[0]].ptr, header[found[0]].len) ||
	    !buf_append_str(&cols, " and ") ||
	    !quote_cell(&cols, header[found[1]].ptr, header[found[1]].len) || !buf_terminate(&cols)) {
		buf_free(&cols);
		return err_nomem(err);
	}
	st = ls_error_set(err, LS_ERR_HEADER, source, 0, 0,
	                  "field \"%s\" (used by %s) is ambiguous: %s%s%s matches columns %zu "
	                  "and %zu (%s); rename one, or map the field in policy.json",
	                  f->name, f->first_user, by ? "alias \"" : "its name",
	                  by ? by : "", by ? "\"" : "", found[0] + 1, found[1] + 1, cols.data);
	buf_free(&cols);
	return st;
}

/* Looks `name` up: exact, then loose, then through the policy's aliases for
 * it. Returns how many columns matched (0, 1 or 2 meaning "more than one"),
 * the alias that matched in *by and the alias entry tried in *alias. */
static size_t lookup(const ls_ruleset *rs, const char *name, const ls_cell *header, size_t ncols,
                     size_t found[2], const char **by, const struct field_alias **alias)
{
	size_t j, n;

	*by = NULL;
	*alias = NULL;
	n = find(header, ncols, name, false, found);
	if (n == 0)
		n = find(header, ncols, name, true, found);
	for (j = 0; j < rs->naliases && *alias == NULL; j++)
		if (strcmp(rs->aliases[j].field, name) == 0)
			*alias = &rs->aliases[j];
	for (j = 0; n == 0 && *alias != NULL && j < (*alias)->nnames; j++) {
		*by = (*alias)->names[j];
		n = find(header, ncols, *by, false, found);
		if (n == 0)
			n = find(header, ncols, *by, true, found);
	}
	return n;
}

/* The columns the other fields resolve to: not to be offered for this one. */
static bool *columns_taken(const ls_ruleset *rs, size_t field, const ls_cell *header,
                           size_t ncols)
{
	const struct field_alias *alias;
	const char *by;
	bool *taken = calloc(ncols + 1, sizeof(*taken));
	size_t found[2], i;

	for (i = 0; taken != NULL && i < rs->nfields; i++)
		if (i != field && rs->fields[i].lookup == rs->fields[field].lookup &&
		    lookup(rs, rs->fields[i].column, header, ncols, found, &by, &alias) == 1)
			taken[found[0]] = true;
	return taken;
}

ls_status fieldmap_resolve(const ls_ruleset *rs, size_t field, const ls_cell *header,
                           size_t ncols, const char *source, bool list_header, size_t *column,
                           ls_error *err)
{
	const struct field_use *f = &rs->fields[field];
	const struct field_alias *alias;
	const char *by;
	size_t found[2], n = lookup(rs, f->column, header, ncols, found, &by, &alias);
	bool *taken;
	ls_status st;

	if (n == 0) {
		taken = columns_taken(rs, field, header, ncols);
		st = taken != NULL ? missing(f, header, ncols, taken, list_header, source, alias, err)
		                   : err_nomem(err);
		free(taken);
		return st;
	}
	if (n > 1)
		return ambiguous(f, by, header, found, source, err);
	*column = found[0];
	return LS_OK;
}

ls_status fieldmap_bind(const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                        const char *source, size_t *columns, ls_error *err)
{
	size_t i;
	ls_status st;

	for (i = 0; i < rs->nfields; i++) {
		if (rs->fields[i].lookup != 0) { /* a lookup table's: bound when it loaded */
			columns[i] = rs->fields[i].table_column;
			continue;
		}
		st = fieldmap_resolve(rs, i, header, ncols, source, true, &columns[i], err);
		if (st != LS_OK)
			return st;
	}
	return LS_OK;
}

ls_status ls_ruleset_find_column(const ls_ruleset *rs, const char *name, const ls_cell *header,
                                 size_t ncols, size_t *column)
{
	const struct field_alias *alias;
	const char *by;
	size_t found[2], n = lookup(rs, name, header, ncols, found, &by, &alias);

	if (n == 1)
		*column = found[0];
	return n == 0 ? LS_DONE : n == 1 ? LS_OK : LS_ERR_HEADER;
}
