/* SPDX-License-Identifier: MIT */
/* strset.h - a set of strings asked which members are a cell, or a prefix
 * or suffix of it: one hash probe per member length, not one comparison per
 * member, so a list of 100,000 domains costs about what one of ten does.
 * Used by conditions (in, starts_with, ends_with with many values) and by
 * the prefilter's lists and needles. */
#ifndef LS_STRSET_H
#define LS_STRSET_H

#include "rules/rules.h"

enum strset_kind { STRSET_WHOLE, STRSET_PREFIX, STRSET_SUFFIX };

struct strset {
	enum strset_kind kind;
	uint64_t *slots;       /* open addressing: member + 1 in the low 32 bits,
	                        * the high half of its hash above; 0 empty */
	size_t mask;           /* slots - 1 (a power of two minus one) */
	const struct str_operand **members; /* not owned */
	size_t nmembers;
	uint8_t *tags;         /* per slot, 8 more bits of its hash (0: empty):
	                        * a quarter of the slots' size, so that most
	                        * probes that miss stay in the cache */
	size_t max_len;        /* the longest member */
	uint64_t (*ends)[4];   /* affix sets, per length n: the bytes a member n
	                        * long has at its far end (a suffix's first byte,
	                        * a prefix's last), so that a cell is probed only
	                        * at lengths where its byte there could match */
};

/* Where a search of one cell has got to (strset_next). */
struct strset_walk {
	ls_cell cell;
	size_t len;            /* affix length tried last */
	uint64_t hash;         /* its hash */
	size_t at;             /* the slot to look at next; SIZE_MAX: none */
	uint64_t tag;
};

/* Makes s a set of kind over n members (kept by address, not copied).
 * False when out of memory (s then holds nothing to free). */
bool strset_build(struct strset *s, enum strset_kind kind, const struct str_operand *const *members,
                  size_t n);
void strset_free(struct strset *s);

/* Starts a search for the members that are cell (WHOLE), a prefix of it
 * (PREFIX) or a suffix of it (SUFFIX). */
void strset_walk_start(const struct strset *s, struct strset_walk *w, ls_cell cell);
/* The next such member's index, shorter members first; false when none is
 * left. Equal members are each found. */
bool strset_next(const struct strset *s, struct strset_walk *w, size_t *member);

/* Whether any member is cell, or a prefix or suffix of it, by kind. */
bool strset_any(const struct strset *s, ls_cell cell);

#endif
