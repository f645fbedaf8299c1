/* SPDX-License-Identifier: MIT */
/* text.c - byte-string helpers: trimming, ASCII case folding, searching. */
#include "base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

ls_cell ls_cell_trim(ls_cell cell)
{
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[0])) {
		cell.ptr++;
		cell.len--;
	}
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[cell.len - 1]))
		cell.len--;
	return cell;
}

#define ONES_X8 0x0101010101010101ULL

/* Folds eight bytes at once: 0x20 is added to each byte from 'A' to 'Z'
 * (bytes >= 0x80 are left alone; no sum carries into the next byte). */
static uint64_t fold_x8(uint64_t v)
{
	uint64_t low7 = v & (ONES_X8 * 0x7f);
	uint64_t at_least_a = low7 + ONES_X8 * (0x80 - 'A');
	uint64_t past_z = low7 + ONES_X8 * (0x80 - 'Z' - 1);

	return v | ((at_least_a & ~past_z & ~v & (ONES_X8 * 0x80)) >> 2);
}

static unsigned char fold_byte(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

void text_fold(char *dst, const char *src, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, src + i, 8);
		v = fold_x8(v);
		memcpy(dst + i, &v, 8);
	}
	for (; i < len; i++)
		dst[i] = (char)fold_byte((unsigned char)src[i]);
}

bool text_equal_fold(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (fold_byte((unsigned char)a[i]) != fold_byte((unsigned char)b[i]))
			return false;
	return true;
}

bool ls_cell_is(ls_cell cell, const char *text)
{
	size_t n = strlen(text);

	cell = ls_cell_trim(cell);
	return cell.len == n && text_equal_fold(cell.ptr, text, n);
}

size_t ls_utf8_length(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

uint32_t text_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Cells and needles are short: finding the needle's first byte with memchr
 * and comparing the rest beats memmem's set-up. */
bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
	const char *p = hay, *last;

	if (needle_len == 0)
		return true;
	if (needle_len > hay_len)
		return false;
	last = hay + (hay_len - needle_len);
	while (p <= last) {
		p = memchr(p, needle[0], (size_t)(last - p) + 1);
		if (p == NULL)
			return false;
		if (memcmp(p + 1, needle + 1, needle_len - 1) == 0)
			return true;
		p++;
	}
	return false;
}

char *text_dup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy != NULL) {
		if (len > 0)
			memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}
