/* SPDX-License-Identifier: MIT */
/* failmalloc.c - an LD_PRELOAD shim that makes the Nth allocation of a
 * process fail (FAILMALLOC_AT=N), and reports at exit how many allocations
 * the run made and how many blocks were never freed (FAILMALLOC_REPORT=FILE).
 * For tests/alloc/run.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

static long fail_at = -2; /* -2: not read yet; -1: never */
static long calls;
static long live; /* blocks allocated and not freed: a leak check at exit */
static int in_regcomp;

static int main_returned;

static int should_fail(void)
{
	/* glibc 2.36's regcomp frees its work area twice when an allocation
	 * inside it fails: a libc bug this test cannot work around, so those
	 * allocations are counted but never failed. Nor are those made after
	 * main returned (the gcov runtime's, in a `make coverage` build):
	 * none of them is leadsift's. */
	if (in_regcomp || main_returned) {
		calls++;
		return 0;
	}
	if (fail_at == -2) {
		const char *s = getenv("FAILMALLOC_AT");
		fail_at = s != NULL ? atol(s) : -1;
	}
	return ++calls == fail_at;
}

#define p_live(expr)                \
	do {                        \
		void *q_ = (expr);  \
		live += q_ != NULL; \
		return q_;          \
	} while (0)

void *malloc(size_t size)
{
	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	p_live(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	p_live(__libc_calloc(n, size));
}

void *realloc(void *p, size_t size)
{
	if (should_fail()) {
		errno = ENOMEM;
		return NULL;
	}
	if (p == NULL)
		p_live(__libc_realloc(p, size));
	return __libc_realloc(p, size);
}

void free(void *p)
{
	live -= p != NULL;
	__libc_free(p);
}

#include <dlfcn.h>
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
