/* SPDX-License-Identifier: MIT */
/* prefilter.c - filing rules under shared tests, two at most (see prefilter.h). */
#include "engine/prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "rules/strset.h"

/* A test rules are filed under: one field, one kind of comparison. Lists
 * (eq, in) are looked up by value; needles (contains, starts_with,
 * ends_with) are each tried once; bounds (lt, lte, gt, gte) are sorted. */
struct probe {
	size_t field;
	enum cond_op op;           /* OP_IN stands for eq and in */
	bool case_sensitive;
	size_t first, count;       /* its keys in prefilter.keys */
	struct strset set;         /* lists, and starts_with and ends_with needles:
	                            * its keys hashed (member k: key first + k) */
	bool has_set;
};

/* One value of a probe and the rules filed under it. */
struct key {
	const struct str_operand *str; /* lists and needles */
	double bound;                  /* bounds */
	size_t first, count;           /* its rules in prefilter.rules */
};

struct prefilter {
	size_t words;
	uint64_t *always;          /* rules nothing could be filed for */
	uint64_t *no_second;       /* rules with no second test to wait for:
	                            * unfiled, or filed under one test only */
	uint64_t *exact;           /* rules that are just their filed tests: a
	                            * candidate among them matches */
	struct probe *probes;
	size_t nprobes;
	struct key *keys;
	uint32_t *rules;           /* a rule's number, with FILED_SECOND when
	                            * filed under its second test */
};

#define FILED_SECOND (UINT32_C(1) << 31)

/* One rule filed under one value, before grouping. */
struct filing {
	size_t probe;
	const struct str_operand *str;
	double bound;
	uint32_t rule;             /* with FILED_SECOND for a rule's second test */
};

static bool is_bound(enum cond_op op)
{
	return op == OP_LT || op == OP_LTE || op == OP_GT || op == OP_GTE;
}

/* How well a leaf narrows the rules down: a list of values best, a needle
 * next, a numeric bound last; 0 when it cannot be filed (a negation, a
 * regex, a date, a number or a list holding one: those are numeric). The
 * loader gives every list and needle one value at least. */
static int leaf_rank(const struct cond *c)
{
	switch (c->op) {
	case OP_EQ:
	case OP_IN:
		return c->numeric ? 0 : 4;
	case OP_STARTS_WITH:
	case OP_ENDS_WITH:
		return 3;
	case OP_CONTAINS:
		return 2;
	case OP_LT:
	case OP_LTE:
	case OP_GT:
	case OP_GTE:
		return 1;
	default:
		return 0;
	}
}

/* Keeps the two best-ranked of the leaves offered, best first. */
static void keep_best(const struct cond *best[2], const struct cond *leaf)
{
	if (best[0] == NULL || leaf_rank(leaf) > leaf_rank(best[0])) {
		best[1] = best[0];
		best[0] = leaf;
	} else if (best[1] == NULL || leaf_rank(leaf) > leaf_rank(best[1])) {
		best[1] = leaf;
	}
}

/* The (up to) two best leaves the condition cannot hold without: itself, or
 * parts of an `all`. */
static void necessary_leaves(const struct cond *c, const struct cond *best[2])
{
	size_t i;

	if (c->kind == COND_LEAF && leaf_rank(c) > 0)
		keep_best(best, c);
	else if (c->kind == COND_ALL)
		for (i = 0; i < c->nkids; i++)
			necessary_leaves(&c->kids[i], best);
}

static size_t leaf_filings(const struct cond *leaf)
{
	return leaf == NULL ? 0 : is_bound(leaf->op) ? 1 : leaf->nstrs;
}

static size_t find_probe(struct prefilter *pf, const struct cond *leaf)
{
	enum cond_op op = leaf->op == OP_EQ ? OP_IN : leaf->op;
	size_t i;

	/* (A bound is never case-sensitive: the loader refuses it.) */
	for (i = 0; i < pf->nprobes; i++)
		if (pf->probes[i].field == leaf->field && pf->probes[i].op == op &&
		    pf->probes[i].case_sensitive == leaf->case_sensitive)
			return i;
	pf->probes[i] = (struct probe){.field = leaf->field, .op = op,
	                               .case_sensitive = leaf->case_sensitive};
	pf->nprobes++;
	return i;
}

static int compare_filings(const void *a, const void *b)
{
	const struct filing *x = a, *y = b;
	int order;

	if (x->probe != y->probe)
		return x->probe < y->probe ? -1 : 1;
	if (x->str == NULL) {
		if (x->bound != y->bound)
			return x->bound < y->bound ? -1 : 1;
	} else {
		if (x->str->len != y->str->len)
			return x->str->len < y->str->len ? -1 : 1;
		order = memcmp(x->str->ptr, y->str->ptr, x->str->len);
		if (order != 0)
			return order;
	}
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static bool same_key(const struct filing *x, const struct filing *y)
{
	if (x->probe != y->probe)
		return false;
	if (x->str == NULL)
		return x->bound == y->bound;
	return x->str->len == y->str->len && memcmp(x->str->ptr, y->str->ptr, x->str->len) == 0;
}

#define AFFIX_SET_MIN 8

/* The hash sets of lists and of prefix and suffix needles (8 or more): a row then
 * costs a probe per key length, however many keys there are. Substrings
 * (contains) are tried one by one. */
static bool build_sets(struct prefilter *pf)
{
	const struct str_operand **members = NULL;
	size_t p, k;
	bool ok = true;

	for (p = 0; ok && p < pf->nprobes; p++) {
		struct probe *probe = &pf->probes[p];
		enum strset_kind kind = probe->op == OP_IN            ? STRSET_WHOLE
		                        : probe->op == OP_STARTS_WITH ? STRSET_PREFIX
		                                                      : STRSET_SUFFIX;

		/* A few needles cost less tried one by one than probed by length. */
		if (probe->op != OP_IN && (probe->count < AFFIX_SET_MIN ||
		                           (probe->op != OP_STARTS_WITH && probe->op != OP_ENDS_WITH)))
			continue;
		members = malloc((probe->count + 1) * sizeof(*members));
		if (members == NULL)
			return false;
		for (k = 0; k < probe->count; k++)
			members[k] = pf->keys[probe->first + k].str;
		ok = probe->has_set = strset_build(&probe->set, kind, members, probe->count);
		free(members);
	}
	return ok;
}

/* Groups the sorted filings into probes' keys and keys' rules. */
static bool group(struct prefilter *pf, const struct filing *f, size_t n)
{
	size_t i, nkeys = 0;

	pf->keys = calloc(n + 1, sizeof(*pf->keys));
	pf->rules = calloc(n + 1, sizeof(*pf->rules));
	if (pf->keys == NULL || pf->rules == NULL)
		return false;
	for (i = 0; i < n; i++) {
		struct probe *probe = &pf->probes[f[i].probe];
		if (i == 0 || !same_key(&f[i - 1], &f[i])) {
			if (probe->count == 0)
				probe->first = nkeys;
			probe->count++;
			pf->keys[nkeys++] = (struct key){f[i].str, f[i].bound, i, 0};
		}
		pf->keys[nkeys - 1].count++;
		pf->rules[i] = f[i].rule;
	}
	return build_sets(pf);
}

static void set_bit(uint64_t *bits, uint32_t n)
{
	bits[n / 64] |= UINT64_C(1) << (n % 64);
}

/* Whether the condition is nothing but its filed leaves: then the tests
 * holding is the rule matching. */
static bool is_exact(const struct cond *when, const struct cond *const leaves[2], size_t n)
{
	size_t i;

	if (when->kind == COND_LEAF)
		return n == 1; /* filed under itself */
	if (when->kind != COND_ALL || when->nkids != n)
		return false;
	for (i = 0; i < n; i++)
		if (&when->kids[i] != leaves[0] && &when->kids[i] != leaves[1])
			return false;
	return true;
}

/* Files rule number `rule` under the two best tests it needs (one when it
 * has one; none: it is always evaluated). */
static size_t file_rule(struct prefilter *pf, const struct cond *when, uint32_t rule,
                        struct filing *out)
{
	const struct cond *leaves[2] = {NULL, NULL};
	size_t n, j, i, nfilings = 0;

	if (rule < FILED_SECOND)
		necessary_leaves(when, leaves);
	n = (leaves[0] != NULL) + (leaves[1] != NULL);
	if (n < 2)
		set_bit(pf->no_second, rule);
	if (n == 0) {
		set_bit(pf->always, rule);
		return 0;
	}
	if (is_exact(when, leaves, n))
		set_bit(pf->exact, rule);
	for (j = 0; j < n; j++) {
		const struct cond *leaf = leaves[j];
		size_t probe = find_probe(pf, leaf);
		uint32_t tag = rule | (j == 1 ? FILED_SECOND : 0);
		if (is_bound(leaf->op))
			out[nfilings++] = (struct filing){probe, NULL, leaf->lo, tag};
		else
			for (i = 0; i < leaf->nstrs; i++)
				out[nfilings++] = (struct filing){probe, &leaf->strs[i], 0, tag};
	}
	return nfilings;
}

struct prefilter *prefilter_new(const ls_ruleset *rs)
{
	struct prefilter *pf = calloc(1, sizeof(*pf));
	struct filing *filings = NULL;
	size_t p, r, nrules = 0, nfilings = 0, room = 0;
	bool ok = pf != NULL;

	for (p = 0; p < rs->npersonas; p++) {
		nrules += rs->personas[p].nrules;
		for (r = 0; r < rs->personas[p].nrules; r++) {
			const struct cond *leaves[2] = {NULL, NULL};
			necessary_leaves(&rs->personas[p].rules[r].when, leaves);
			room += leaf_filings(leaves[0]) + leaf_filings(leaves[1]);
		}
	}
	if (ok) {
		pf->words = (nrules + 63) / 64;
		pf->always = calloc(pf->words + 1, sizeof(*pf->always));
		pf->no_second = calloc(pf->words + 1, sizeof(*pf->no_second));
		pf->exact = calloc(pf->words + 1, sizeof(*pf->exact));
		pf->probes = calloc(2 * nrules + 1, sizeof(*pf->probes)); /* two tests a rule */
		filings = calloc(room + 1, sizeof(*filings));
		ok = pf->always != NULL && pf->no_second != NULL && pf->exact != NULL &&
		     pf->probes != NULL && filings != NULL;
	}
	for (p = 0, nrules = 0; ok && p < rs->npersonas; p++)
		for (r = 0; r < rs->personas[p].nrules; r++, nrules++)
			nfilings += file_rule(pf, &rs->personas[p].rules[r].when, (uint32_t)nrules,
			                      filings + nfilings);
	if (ok) {
		qsort(filings, nfilings, sizeof(*filings), compare_filings);
		ok = group(pf, filings, nfilings);
	}
	free(filings);
	if (!ok) {
		prefilter_free(pf);
		return NULL;
	}
	return pf;
}

void prefilter_free(struct prefilter *pf)
{
	size_t i;

	if (pf == NULL)
		return;
	for (i = 0; pf->probes != NULL && i < pf->nprobes; i++)
		if (pf->probes[i].has_set)
			strset_free(&pf->probes[i].set);
	free(pf->probes);
	free(pf->keys);
	free(pf->rules);
	free(pf->always);
	free(pf->no_second);
	free(pf->exact);
	free(pf);
}

size_t prefilter_words(const struct prefilter *pf) { return pf->words; }
const uint64_t *prefilter_exact(const struct prefilter *pf) { return pf->exact; }

/* Notes that a key's test holds for each rule filed under it: in the first
 * half of cand for first tests, the second half for second ones. */
static void mark(const struct prefilter *pf, const struct key *key, uint64_t *cand)
{
	size_t i;

	for (i = key->first; i < key->first + key->count; i++) {
		uint32_t tag = pf->rules[i], rule = tag & ~FILED_SECOND;
		size_t half = tag & FILED_SECOND ? pf->words : 0;
		cand[half + rule / 64] |= UINT64_C(1) << (rule % 64);
	}
}

/* Whether a row's number satisfies `number op bound`. */
static bool bound_holds(enum cond_op op, double number, double bound)
{
	switch (op) {
	case OP_LT: return number < bound;
	case OP_LTE: return number <= bound;
	case OP_GT: return number > bound;
	default: return number >= bound;
	}
}

/* The keys of a bound probe the number satisfies: for lt and lte the
 * bounds above it (the sorted keys' tail), for gt and gte those below it
 * (their head). */
static void mark_bounds(const struct prefilter *pf, const struct probe *probe, double number,
                        uint64_t *cand)
{
	const struct key *keys = pf->keys + probe->first;
	bool tail = probe->op == OP_LT || probe->op == OP_LTE;
	size_t lo = 0, hi = probe->count, k;

	/* The first key whose test differs from the first key's. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (bound_holds(probe->op, number, keys[mid].bound) == !tail)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = tail ? lo : 0; k < (tail ? probe->count : lo); k++)
		mark(pf, &keys[k], cand);
}

bool prefilter_candidates(const struct prefilter *pf, struct eval_ctx *ctx, uint64_t *cand)
{
	size_t p, k;

	memcpy(cand, pf->always, pf->words * sizeof(*cand));
	memcpy(cand + pf->words, pf->no_second, pf->words * sizeof(*cand));
	for (p = 0; p < pf->nprobes; p++) {
		const struct probe *probe = &pf->probes[p];
		const struct slot *s = &ctx->slots[probe->field];
		ls_cell text;

		if (is_bound(probe->op)) {
			if (s->kind == LS_NUM_OK)
				mark_bounds(pf, probe, s->number, cand);
			continue;
		}
		if (!cond_field_text(probe->field, probe->case_sensitive, ctx, &text))
			return false;
		if (probe->has_set) {
			struct strset_walk walk;
			size_t member;
			strset_walk_start(&probe->set, &walk, text);
			while (strset_next(&probe->set, &walk, &member))
				mark(pf, &pf->keys[probe->first + member], cand);
			continue;
		}
		for (k = probe->first; k < probe->first + probe->count; k++)
			if (cond_str_test(probe->op, text, pf->keys[k].str))
				mark(pf, &pf->keys[k], cand);
	}
	/* A candidate needs both its tests. */
	for (k = 0; k < pf->words; k++)
		cand[k] &= cand[pf->words + k];
	return true;
}
