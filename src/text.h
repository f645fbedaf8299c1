/* SPDX-License-Identifier: MIT */
/* text.h - byte-string helpers: trimming, ASCII case folding, searching. */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "leadsift.h"

/* The cell without leading and trailing ASCII white space. */
ls_cell text_trim(ls_cell cell);

/* Writes len bytes of src to dst with A-Z folded to a-z; other bytes
 * (UTF-8 included) are copied unchanged. dst and src may be the same. */
void text_fold(char *dst, const char *src, size_t len);

/* Whether needle occurs in haystack (byte-wise; an empty needle always does). */
/* FNV-1a: a small, well-spread hash for short strings. */
uint32_t text_hash(const char *s, size_t len);
bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len);

/* A new NUL-terminated copy of len bytes, or NULL when out of memory. */
char *text_dup(const char *s, size_t len);

#endif
