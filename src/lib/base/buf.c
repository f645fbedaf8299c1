/* SPDX-License-Identifier: MIT */
/* buf.c - a growable byte buffer. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool buf_grow(struct buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (more > SIZE_MAX - b->len)
		return false;
	need = b->len + more;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return false;
	b->data = p;
	b->cap = cap;
	return true;
}

void *array_grow(void *items, size_t *cap, size_t size, size_t first)
{
	size_t want;
	void *grown;

	if (*cap > SIZE_MAX / 2 / size)
		return NULL;
	want = *cap ? *cap * 2 : first;
	grown = realloc(items, want * size);
	if (grown != NULL)
		*cap = want;
	return grown;
}

bool buf_append_str(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

bool buf_putc(struct buf *b, char c)
{
	if (b->len == b->cap && !buf_reserve(b, 1))
		return false;
	b->data[b->len++] = c;
	return true;
}

bool buf_terminate(struct buf *b)
{
	if (!buf_reserve(b, 1))
		return false;
	b->data[b->len] = '\0';
	return true;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

bool buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n + 1))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}
