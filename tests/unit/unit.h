/* SPDX-License-Identifier: MIT */
/* unit.h - what every cmocka unit test includes. */
#ifndef LS_UNIT_H
#define LS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leadsift.h"

#include "failalloc.h"

/* Loads one persona (and optionally a policy) from strings; fails the test
 * with the loader's message if it does not load. */
static inline ls_ruleset *unit_rules(const char *persona, const char *policy)
{
	ls_ruleset *rs = NULL;
	ls_error err = {0};
	ls_status st = ls_ruleset_load_buffers(&rs, "test.json", persona, strlen(persona), policy,
	                                       policy ? strlen(policy) : 0, &err);
	if (st != LS_OK)
		fail_msg("rules did not load: %s", err.message ? err.message : ls_strerror(st));
	ls_error_clear(&err);
	return rs;
}

/* Loads rules expected to fail; returns the status and leaves the message in err. */
static inline ls_status unit_rules_fail(const char *persona, const char *policy, ls_error *err)
{
	ls_ruleset *rs = NULL;
	ls_status st = ls_ruleset_load_buffers(&rs, "test.json", persona, strlen(persona), policy,
	                                       policy ? strlen(policy) : 0, err);
	assert_null(rs);
	return st;
}

#define CELL(s) ((ls_cell){(s), sizeof(s) - 1})

/* A copy of s on the heap, exactly len bytes long and not NUL-terminated,
 * so that AddressSanitizer sees a read one byte past a cell's end (cells
 * point into larger buffers in a real run, where such a read goes unseen).
 * Free with free(). */
static inline char *unit_exact(const char *s, size_t len)
{
	char *p = malloc(len > 0 ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* FNV-1a: a digest of an answer, to compare runs without allocating. */
#define UNIT_FNV_START UINT64_C(14695981039346656037)
static inline uint64_t unit_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * UINT64_C(1099511628211);
	return h;
}

static inline uint64_t unit_fnv_str(uint64_t h, const char *s)
{
	return s == NULL ? unit_fnv(h, "\xff", 1) : unit_fnv(h, s, strlen(s) + 1);
}

/* What a function under unit_alloc_sweep returns for a wrong answer. */
#define UNIT_WRONG LS_ERR_USAGE

/* What a function under unit_alloc_sweep returns once it has the digest h
 * of its answer: out of memory as such; otherwise the first answer (*want,
 * 0 until then) is the one every later run must give. */
static inline ls_status unit_same_answer(ls_status st, uint64_t h, uint64_t *want)
{
	if (st == LS_ERR_NOMEM)
		return st;
	if (*want == 0)
		*want = h;
	return h == *want ? LS_OK : UNIT_WRONG;
}

/* Runs fn(arg) once for each allocation it makes, with that allocation
 * failing: every such run must return LS_ERR_NOMEM (and free what it made:
 * valgrind and LeakSanitizer look), never another status or a wrong answer
 * (fn returns UNIT_WRONG when its answer is wrong). The first run in
 * which no allocation failed must return LS_OK. Returns how many runs
 * failed an allocation. */
static inline long unit_alloc_sweep(ls_status (*fn)(void *arg), void *arg)
{
	long n;

	for (n = 0;; n++) {
		ls_status st;

		unit_fail_alloc_after(n);
		st = fn(arg);
		if (!unit_alloc_failed()) {
			if (st != LS_OK)
				fail_msg("with no allocation failing: %s", st == UNIT_WRONG ? "a wrong answer" : ls_strerror(st));
			return n;
		}
		if (st != LS_ERR_NOMEM)
			fail_msg("allocation %ld failed: %s, not out of memory", n,
			         st == UNIT_WRONG ? "a wrong answer" : ls_strerror(st));
	}
}

#endif
