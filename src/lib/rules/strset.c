/* SPDX-License-Identifier: MIT */
/* strset.c - a hash set of strings probed by whole cell, prefix or suffix
 * (see strset.h). */
#include "rules/strset.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a over 64 bits, one byte at a time, so that the hash of every
 * prefix (suffix) of a cell comes from the one before it: forwards for
 * whole cells and prefixes, backwards for suffixes. */
#define HASH_START UINT64_C(14695981039346656037)
#define HASH_STEP(h, byte) (((h) ^ (unsigned char)(byte)) * UINT64_C(1099511628211))

static uint64_t member_hash(enum strset_kind kind, const struct str_operand *m)
{
	uint64_t h = HASH_START;
	size_t i;

	for (i = 0; i < m->len; i++)
		h = HASH_STEP(h, m->ptr[kind == STRSET_SUFFIX ? m->len - 1 - i : i]);
	return h;
}

static uint64_t tag_of(uint64_t hash) { return hash >> 32 << 32; }

/* Never 0, which marks an empty slot. */
static uint8_t byte_tag(uint64_t hash) { return (uint8_t)(hash >> 24) | 1; }

static bool has_end(const struct strset *s, size_t len, unsigned char byte)
{
	return s->ends[len][byte >> 6] >> (byte & 63) & 1;
}

bool strset_build(struct strset *s, enum strset_kind kind, const struct str_operand *const *members,
                  size_t n)
{
	size_t size = 16, i;

	memset(s, 0, sizeof(*s));
	if (n >= UINT32_MAX)
		return false;
	while (size < 2 * n)
		size *= 2;
	s->kind = kind;
	s->slots = calloc(size, sizeof(*s->slots));
	s->tags = calloc(size, sizeof(*s->tags));
	s->members = malloc((n ? n : 1) * sizeof(*s->members));
	for (i = 0; i < n; i++)
		if (members[i]->len > s->max_len)
			s->max_len = members[i]->len;
	if (kind != STRSET_WHOLE)
		s->ends = calloc(s->max_len + 1, sizeof(*s->ends));
	if (s->slots == NULL || s->tags == NULL || s->members == NULL ||
	    (kind != STRSET_WHOLE && s->ends == NULL)) {
		strset_free(s);
		return false;
	}
	s->mask = size - 1;
	s->nmembers = n;
	for (i = 0; i < n; i++) {
		uint64_t h = member_hash(kind, members[i]);
		size_t at = h & s->mask;
		const struct str_operand *m = members[i];
		while (s->slots[at] != 0)
			at = (at + 1) & s->mask;
		s->slots[at] = tag_of(h) | (i + 1);
		s->tags[at] = byte_tag(h);
		s->members[i] = m;
		if (s->ends != NULL && m->len > 0) {
			unsigned char end = (unsigned char)m->ptr[kind == STRSET_SUFFIX ? 0 : m->len - 1];
			s->ends[m->len][end >> 6] |= UINT64_C(1) << (end & 63);
		} else if (s->ends != NULL) {
			s->ends[0][0] = 1; /* "": an affix of every cell */
		}
	}
	return true;
}

void strset_free(struct strset *s)
{
	free(s->slots);
	free(s->tags);
	free(s->members);
	free(s->ends);
	memset(s, 0, sizeof(*s));
}

void strset_walk_start(const struct strset *s, struct strset_walk *w, ls_cell cell)
{
	size_t i;

	w->cell = cell;
	w->len = 0;
	w->hash = HASH_START;
	w->at = SIZE_MAX;
	if (s->kind == STRSET_WHOLE) {
		for (i = 0; i < cell.len; i++)
			w->hash = HASH_STEP(w->hash, cell.ptr[i]);
		w->len = cell.len;
		w->at = w->hash & s->mask;
		w->tag = tag_of(w->hash);
	} else if (s->ends != NULL && s->ends[0][0] != 0) { /* "" is an affix of every cell */
		w->at = w->hash & s->mask;
		w->tag = tag_of(w->hash);
	}
}

/* Advances to the next affix length some member has; false past the cell
 * or the longest member. */
static bool next_length(const struct strset *s, struct strset_walk *w)
{
	const char *p = w->cell.ptr;
	size_t end = w->cell.len < s->max_len ? w->cell.len : s->max_len;

	while (w->len < end) {
		char byte = s->kind == STRSET_SUFFIX ? p[w->cell.len - 1 - w->len] : p[w->len];
		w->hash = HASH_STEP(w->hash, byte);
		w->len++;
		if (has_end(s, w->len, (unsigned char)byte)) {
			w->at = w->hash & s->mask;
			w->tag = tag_of(w->hash);
			return true;
		}
	}
	return false;
}

bool strset_next(const struct strset *s, struct strset_walk *w, size_t *member)
{
	if (s->slots == NULL)
		return false;
	for (;;) {
		if (w->at == SIZE_MAX && (s->kind == STRSET_WHOLE || !next_length(s, w)))
			return false;
		for (; s->tags[w->at] != 0; w->at = (w->at + 1) & s->mask) {
			uint64_t slot;
			const struct str_operand *m;
			const char *affix;
			if (s->tags[w->at] != byte_tag(w->hash))
				continue;
			slot = s->slots[w->at];
			if ((slot & ~UINT64_C(0xffffffff)) != w->tag)
				continue;
			m = s->members[(slot & 0xffffffff) - 1];
			affix = s->kind == STRSET_SUFFIX ? w->cell.ptr + w->cell.len - w->len : w->cell.ptr;
			if (m->len == w->len && memcmp(m->ptr, affix, w->len) == 0) {
				*member = (size_t)(slot & 0xffffffff) - 1;
				w->at = (w->at + 1) & s->mask;
				return true;
			}
		}
		w->at = SIZE_MAX;
	}
}

bool strset_any(const struct strset *s, ls_cell cell)
{
	struct strset_walk w;
	size_t member;

	strset_walk_start(s, &w, cell);
	return strset_next(s, &w, &member);
}
