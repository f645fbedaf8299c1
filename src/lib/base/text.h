/* SPDX-License-Identifier: MIT */
/* text.h - byte-string helpers: ASCII case folding, hashing, searching (text.c
 * also holds the public ls_cell_trim and ls_cell_is). */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "leadsift.h"

/* Writes len bytes of src to dst with A-Z folded to a-z; other bytes
 * (UTF-8 included) are copied unchanged. dst and src may be the same. */
void text_fold(char *dst, const char *src, size_t len);
/* Whether a and b (len bytes each) are equal with A-Z read as a-z. */
bool text_equal_fold(const char *a, const char *b, size_t len);

/* FNV-1a: a small, well-spread hash for short strings. */
uint32_t text_hash(const char *s, size_t len);
/* Whether needle occurs in haystack (byte-wise; an empty needle always does). */
bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len);

/* A new NUL-terminated copy of len bytes, or NULL when out of memory. */
char *text_dup(const char *s, size_t len);

#endif
