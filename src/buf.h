/* SPDX-License-Identifier: MIT */
/* buf.h - a growable byte buffer, the one place that grows memory geometrically. */
#ifndef LS_BUF_H
#define LS_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Makes room for `more` bytes beyond len. Returns false on overflow or
 * allocation failure, leaving the buffer as it was. */
bool buf_reserve(struct buf *b, size_t more);
bool buf_append(struct buf *b, const void *data, size_t len);
bool buf_append_str(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
/* Appends printf-formatted text (kept NUL-terminated). */
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a NUL without counting it in len, so data is a C string. */
bool buf_terminate(struct buf *b);
void buf_free(struct buf *b);

#endif
