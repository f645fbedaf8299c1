/* SPDX-License-Identifier: MIT */
/* failalloc.c - one allocation made to fail, on request, inside a unit test.
 *
 * Unit tests are linked with -Wl,--wrap= for malloc, calloc, realloc, strdup
 * and strndup, so the library's own calls come here (shared libraries' calls
 * do not, but cJSON allocates through the loader's hooks).
 * `make alloc` sweeps whole runs of the binary; this reaches failure paths
 * no such run can: a buffer that fails to grow at exactly one call. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "failalloc.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long countdown = -1; /* allocations left to succeed; -1: never fail */
static bool fired;

void unit_fail_alloc_after(long n)
{
	countdown = n;
	fired = false;
}

bool unit_alloc_failed(void)
{
	bool was = fired;

	countdown = -1;
	fired = false;
	return was;
}

static bool fail_now(void)
{
	if (countdown < 0)
		return false;
	if (countdown-- > 0)
		return false;
	fired = true; /* only this one: later calls succeed, as after a transient failure */
	return true;
}

void *__wrap_malloc(size_t size)
{
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fail_now() ? NULL : __real_strndup(s, n);
}
