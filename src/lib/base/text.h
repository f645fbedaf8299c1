/* SPDX-License-Identifier: MIT */
/* text.h - byte-string helpers: case folding, hashing, searching (text.c
 * also holds the public ls_cell_trim and ls_cell_is). */
#ifndef LS_TEXT_H
#define LS_TEXT_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#include "leadsift.h"

/* The case-blind form of len bytes of src, written to dst, which holds at
 * least TEXT_FOLD_ROOM(len) bytes and does not overlap src (ASCII-only
 * text may be folded in place). Every letter becomes the lower case of its
 * upper case ("ZÜRICH" and "Σ", "ς" alike): A-Z quickly, the rest of
 * Unicode by glibc's C.UTF-8 locale; bytes that are not UTF-8 are copied.
 * Returns the folded length (a letter's forms may differ in length). */
#define TEXT_FOLD_ROOM(len) (2 * (len))
size_t text_fold(char *dst, const char *src, size_t len);
/* A new NUL-terminated folded copy (its length in *folded_len), or NULL when
 * out of memory. */
char *text_fold_dup(const char *s, size_t len, size_t *folded_len);
/* Whether a and b are equal once folded (text_fold), without copying. */
bool text_equal_fold(const char *a, size_t alen, const char *b, size_t blen);

/* glibc's C.UTF-8 locale (LC_CTYPE and LC_COLLATE), made on first use and
 * never made the process's or a thread's locale except around regcomp and
 * regexec; (locale_t)0 when it is not installed (folding is then ASCII
 * only). text_locale_init makes it now: false only when that ran out of
 * memory (it is tried again on the next call). */
bool text_locale_init(void);
locale_t text_locale(void);

/* Whether any byte is 0x80 or above: text that is not plain ASCII. */
bool text_has_high_bytes(const char *s, size_t len);

/* Whether the bytes are valid UTF-8 (NUL bytes count as ASCII). */
bool text_is_utf8(const char *s, size_t len);

/* FNV-1a: a small, well-spread hash for short strings. */
uint32_t text_hash(const char *s, size_t len);
/* Whether needle occurs in haystack (byte-wise; an empty needle always does). */
bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len);

/* A new NUL-terminated copy of len bytes, or NULL when out of memory. */
char *text_dup(const char *s, size_t len);

#endif
