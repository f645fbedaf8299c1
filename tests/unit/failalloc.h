/* SPDX-License-Identifier: MIT */
/* failalloc.h - make one of the library's allocations, reads or directory reads fail in a
 * unit test. */
#ifndef LS_FAILALLOC_H
#define LS_FAILALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* The next n allocations succeed and the one after fails (n = 0: the next);
 * the ones after that succeed again. */
void unit_fail_alloc_after(long n);

/* Whether the armed failure happened; disarms. */
bool unit_alloc_failed(void);

/* The largest block the library asked for since the last call. */
size_t unit_alloc_largest(void);

/* The next n reads go through and the one after fails with errnum; -1
 * turns it off. */
void unit_fail_read_after(long n, int errnum);

/* The same for readdir: the call after the next n returns NULL with errno
 * set to errnum. */
void unit_fail_readdir_after(long n, int errnum);

/* Calls fn with the file's name right after each mkstemp that created one
 * (NULL: none), to land a signal in the instant after. */
void unit_after_mkstemp(void (*fn)(const char *path));

#endif
