/* SPDX-License-Identifier: MIT */
/* buf.h - a growable byte buffer and growable arrays: the one place that
 * grows memory geometrically. */
#ifndef LS_BUF_H
#define LS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* buf_reserve makes room for `more` bytes beyond len; buf_grow is its slow
 * path. Both return false on overflow or
 * allocation failure, leaving the buffer as it was. */
bool buf_grow(struct buf *b, size_t more);
/* Inline: the per-field and per-row paths call it for every cell. */
static inline bool buf_reserve(struct buf *b, size_t more)
{
	return more <= b->cap - b->len || buf_grow(b, more);
}
static inline bool buf_append(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return true;
	if (!buf_reserve(b, len))
		return false;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return true;
}
bool buf_append_str(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
/* Appends printf-formatted text (kept NUL-terminated). */
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a NUL without counting it in len, so data is a C string. */
bool buf_terminate(struct buf *b);
void buf_free(struct buf *b);

/* Reallocates an array of *cap items of `size` bytes to twice as many (to
 * `first` when empty) and sets *cap; NULL on overflow or allocation failure,
 * leaving the array and *cap as they were. */
void *array_grow(void *items, size_t *cap, size_t size, size_t first);

#endif
