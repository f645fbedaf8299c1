/* SPDX-License-Identifier: MIT */
/* text.c - byte-string helpers: trimming, ASCII case folding, searching. */
#define _GNU_SOURCE /* memmem */
#include "text.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

ls_cell text_trim(ls_cell cell)
{
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[0])) {
		cell.ptr++;
		cell.len--;
	}
	while (cell.len > 0 && is_blank((unsigned char)cell.ptr[cell.len - 1]))
		cell.len--;
	return cell;
}

void text_fold(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
}

bool text_contains(const char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
	if (needle_len == 0)
		return true;
	return memmem(hay, hay_len, needle, needle_len) != NULL;
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
