/* SPDX-License-Identifier: MIT */
/* failmalloc.c - an LD_PRELOAD shim that makes the Nth allocation of a
 * process fail (FAILMALLOC_AT=N), and reports at exit how many allocations
 * the run made and how many blocks were never freed (FAILMALLOC_REPORT=FILE),
 * and aborts the run when a block's end was overwritten. For
 * tests/alloc/run.py. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *p);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void *memalign(size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);
size_t malloc_usable_size(void *p);

static long fail_at = -2; /* -2: not read yet; -1: never */
/* Counted atomically: a parallel run allocates on several threads at once. */
static long calls;
static long live; /* blocks allocated and not freed: a leak check at exit */
static int in_regcomp, in_newlocale;

static int main_returned;

static int should_fail(void)
{
	/* glibc 2.36's regcomp frees its work area twice when an allocation
	 * inside it fails, and its newlocale then often says ENOENT (no such
	 * locale) instead of ENOMEM and keeps a block in its locale cache: libc
	 * bugs this test cannot work around, so those allocations are counted
	 * but never failed. Nor are those made after main returned (the gcov
	 * runtime's, in a `make coverage` build): none of them is leadsift's. */
	if (in_regcomp || in_newlocale || main_returned) {
		__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
		return 0;
	}
	if (fail_at == -2) {
		const char *s = getenv("FAILMALLOC_AT");
		fail_at = s != NULL ? atol(s) : -1;
	}
	return __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) == fail_at;
}

/* Every block is guarded: its size and the address to free sit just before
 * it, and GUARD bytes of a known pattern just after it, checked when it is
 * freed or resized. A failure path that goes on as if the allocation had
 * succeeded (writing one byte past a block that was not grown) then aborts
 * the run instead of passing unseen. */
#define GUARD 16
#define GUARD_BYTE 0xA5

struct head {
	size_t size;
	void *base;
};

static void guard_broken(void)
{
	static const char msg[] = "failmalloc: a write past the end of a block\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		abort();
	abort();
}

/* A block of size bytes aligned to align (a power of two, at least the
 * header's size), or NULL. */
static void *guarded(size_t align, size_t size)
{
	unsigned char *base, *p;
	struct head *h;

	if (size > (size_t)-1 - align - GUARD) {
		errno = ENOMEM;
		return NULL;
	}
	base = align <= 16 ? __libc_malloc(16 + size + GUARD)
	                   : __libc_memalign(align, align + size + GUARD);
	if (base == NULL)
		return NULL;
	p = base + (align <= 16 ? 16 : align);
	h = (struct head *)(void *)p - 1;
	h->size = size;
	h->base = base;
	memset(p + size, GUARD_BYTE, GUARD);
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	return p;
}

static struct head *head_of(void *p)
{
	struct head *h = (struct head *)p - 1;
	const unsigned char *g = (const unsigned char *)p + h->size;

	for (size_t i = 0; i < GUARD; i++)
		if (g[i] != GUARD_BYTE)
			guard_broken();
	return h;
}

static void *failed(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size)
{
	return should_fail() ? failed() : guarded(16, size);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (should_fail())
		return failed();
	if (size != 0 && n > (size_t)-1 / size)
		return failed();
	p = guarded(16, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	void *q;
	size_t old;

	if (should_fail())
		return failed();
	if (p == NULL)
		return guarded(16, size);
	old = head_of(p)->size;
	q = guarded(16, size);
	if (q == NULL)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	free(p);
	return q;
}

void free(void *p)
{
	if (p == NULL)
		return;
	__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	__libc_free(head_of(p)->base);
}

size_t malloc_usable_size(void *p)
{
	return p == NULL ? 0 : head_of(p)->size;
}

void *memalign(size_t align, size_t size)
{
	if (should_fail())
		return failed();
	return guarded(align < 16 ? 16 : align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p = memalign(align, size);

	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return memalign(page, (size + page - 1) / page * page);
}

#include <dlfcn.h>
#include <locale.h>
#include <regex.h>

int regcomp(regex_t *preg, const char *pattern, int cflags)
{
	static int (*real)(regex_t *, const char *, int);
	int rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "regcomp");
	in_regcomp = 1;
	rc = real(preg, pattern, cflags);
	in_regcomp = 0;
	return rc;
}

locale_t newlocale(int mask, const char *name, locale_t base)
{
	static locale_t (*real)(int, const char *, locale_t);
	locale_t made;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "newlocale");
	in_newlocale = 1;
	made = real(mask, name, base);
	in_newlocale = 0;
	return made;
}

/* main, run through a wrapper that notes when it returns. */
static int (*real_main)(int, char **, char **);

static int main_then_mark(int argc, char **argv, char **envp)
{
	int rc = real_main(argc, argv, envp);

	main_returned = 1;
	return rc;
}

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end);

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
                      void *stack_end)
{
	int (*real)(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void),
	            void (*)(void), void *);

	*(void **)&real = dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = main;
	return real(main_then_mark, argc, argv, init, fini, rtld_fini, stack_end);
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("FAILMALLOC_REPORT");
	char line[32];
	int fd, n;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%ld %ld\n", calls, live);
	if (write(fd, line, (size_t)n) != n)
		n = 0;
	close(fd);
}
