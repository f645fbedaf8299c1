/* SPDX-License-Identifier: MIT */
/* failalloc.c - one allocation (or one read, or one directory read) made to
 * fail, on request, inside a unit test.
 *
 * Unit tests are linked with -Wl,--wrap= for malloc, calloc, realloc, strdup,
 * strndup, read, readdir and mkstemp, so the library's own calls come here (shared libraries' calls
 * do not, but cJSON allocates through the loader's hooks).
 * `make alloc` sweeps whole runs of the binary; this reaches failure paths
 * no such run can: a buffer that fails to grow at exactly one call. It also
 * notes the largest block asked for, for tests of memory bounds. */
#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

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
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
struct dirent *__real_readdir(DIR *d);
struct dirent *__wrap_readdir(DIR *d);
int __real_mkstemp(char *tmpl);
int __wrap_mkstemp(char *tmpl);

/* Atomic: the library's worker threads allocate too (ls_score_csv). */
static _Atomic long countdown = -1; /* allocations left to succeed; below 0: never fail */
static _Atomic bool fired;
static _Atomic size_t largest;      /* the largest block asked for since last read */

void unit_fail_alloc_after(long n)
{
	countdown = n;
	fired = false;
}

bool unit_alloc_failed(void)
{
	countdown = -1;
	return atomic_exchange(&fired, false);
}

size_t unit_alloc_largest(void)
{
	return atomic_exchange(&largest, 0);
}

static void note(size_t size)
{
	size_t was = largest;

	while (size > was && !atomic_compare_exchange_weak(&largest, &was, size))
		;
}

static bool fail_now(void)
{
	/* Only the allocation that finds the count at 0 fails: later calls
	 * succeed, as after a transient failure. */
	if (countdown < 0 || atomic_fetch_sub(&countdown, 1) != 0)
		return false;
	fired = true;
	return true;
}

void *__wrap_malloc(size_t size)
{
	note(size);
	return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	note(n * size);
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	note(size);
	return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	note(strlen(s) + 1);
	return fail_now() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	note(strnlen(s, n) + 1);
	return fail_now() ? NULL : __real_strndup(s, n);
}

static long reads_left = -1; /* reads to let through; -1: never fail */
static int read_errno;

void unit_fail_read_after(long n, int errnum)
{
	reads_left = n;
	read_errno = errnum;
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (reads_left >= 0 && reads_left-- == 0) {
		errno = read_errno;
		return -1;
	}
	return __real_read(fd, buf, n);
}

static long readdirs_left = -1; /* directory reads to let through; -1: never fail */
static int readdir_errno;

void unit_fail_readdir_after(long n, int errnum)
{
	readdirs_left = n;
	readdir_errno = errnum;
}

struct dirent *__wrap_readdir(DIR *d)
{
	if (readdirs_left >= 0 && readdirs_left-- == 0) {
		errno = readdir_errno;
		return NULL;
	}
	return __real_readdir(d);
}

static void (*after_mkstemp)(const char *path);

void unit_after_mkstemp(void (*fn)(const char *path))
{
	after_mkstemp = fn;
}

int __wrap_mkstemp(char *tmpl)
{
	int fd = __real_mkstemp(tmpl);

	if (fd >= 0 && after_mkstemp != NULL)
		after_mkstemp(tmpl);
	return fd;
}
