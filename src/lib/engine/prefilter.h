/* SPDX-License-Identifier: MIT */
/* prefilter.h - the rules that can match a row, found without evaluating
 * each one.
 *
 * Most rules need tests that are cheap to share: an eq/in list, a
 * contains, starts_with or ends_with needle, a numeric bound (for `all`,
 * any of its parts). Each such rule is filed under its two best such tests
 * (or its one), and a row answers every filed test once: one hash lookup
 * per field for the lists, each distinct needle once, a binary search per
 * bound. The engine then evaluates the rules whose filed tests all held,
 * and the rules nothing could be filed for; any other rule cannot match. A
 * rule that is nothing but its filed tests matches without evaluation.
 * With hundreds of rules a row usually evaluates a few. */
#ifndef LS_PREFILTER_H
#define LS_PREFILTER_H

#include <stdint.h>

#include "engine/condition.h"

struct prefilter;

/* Files the rules of rs, numbered in persona order (persona 0's rules
 * first). NULL when out of memory. */
struct prefilter *prefilter_new(const ls_ruleset *rs);
void prefilter_free(struct prefilter *pf);

/* Words of the candidate bit set: one bit per rule. The buffer given to
 * prefilter_candidates is twice as long (working room). */
size_t prefilter_words(const struct prefilter *pf);

/* The rules whose whole condition is the tests they are filed under (a bit
 * each): for them, being a candidate is matching. */
const uint64_t *prefilter_exact(const struct prefilter *pf);

/* Sets cand (its first prefilter_words) to the rules that may match the row
 * in ctx: every rule whose condition holds is in it. Returns false, with
 * ctx->nomem set, when case folding could not allocate. */
bool prefilter_candidates(const struct prefilter *pf, struct eval_ctx *ctx, uint64_t *cand);

#endif
