/* SPDX-License-Identifier: MIT */
/* syntax.c - the first place a JSON text breaks the grammar (see syntax.h).
 * It follows cJSON where cJSON is looser than RFC 8259: any byte up to a
 * space is white space, numbers are what strtod takes of a run of
 * [0-9+-.eE], raw control characters may stand in strings. */
#include "json/syntax.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* cJSON's own limit, so that the two agree on deep documents too. */
#define MAX_DEPTH CJSON_NESTING_LIMIT

enum expect { VALUE, AFTER_VALUE, KEY };

static size_t skip_blanks(const char *t, size_t i, size_t len)
{
	while (i < len && (unsigned char)t[i] <= ' ')
		i++;
	return i;
}

/* Four hexadecimal digits as cJSON reads them: 0 if one is not a digit. */
static unsigned hex4(const char *p)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = p[k];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	return v;
}

/* A \u escape at t[k], in a string ending at t[end]: its length (6, or 12
 * for a surrogate pair), or 0 where cJSON refuses it. */
static size_t unicode_escape(const char *t, size_t k, size_t end)
{
	unsigned unit, low;

	if (end - k < 6)
		return 0;
	unit = hex4(t + k + 2);
	if (unit >= 0xdc00 && unit <= 0xdfff)
		return 0; /* the second half of a pair, alone */
	if (unit < 0xd800 || unit > 0xdbff)
		return 6;
	if (end - k < 12 || t[k + 6] != '\\' || t[k + 7] != 'u')
		return 0;
	low = hex4(t + k + 8);
	return low >= 0xdc00 && low <= 0xdfff ? 12 : 0;
}

/* A string at t[*i] (a quote): *i moves past it, or to the mistake. Its
 * end is found as cJSON finds it: a backslash takes the next byte along. */
static bool scan_string(const char *t, size_t len, size_t *i)
{
	size_t end = *i + 1, k, n;

	while (end < len && t[end] != '"')
		end += t[end] == '\\' ? 2 : 1;
	if (end >= len)
		return false; /* never closed: the mistake is where it opens */
	for (k = *i + 1; k < end; k += n) {
		n = 1;
		if (t[k] != '\\')
			continue;
		if (t[k + 1] != '\0' && strchr("\"\\/bfnrt", t[k + 1]) != NULL)
			n = 2;
		else if (t[k + 1] == 'u')
			n = unicode_escape(t, k, end);
		else
			n = 0;
		if (n == 0) {
			*i = k;
			return false;
		}
	}
	*i = end + 1;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* How much of p[0..n) strtod reads as a decimal number (0: none). */
static size_t decimal_prefix(const char *p, size_t n)
{
	size_t i = 0, j, digits = 0, exponent;

	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	for (; i < n && is_digit(p[i]); i++)
		digits++;
	if (i < n && p[i] == '.') {
		for (j = i + 1; j < n && is_digit(p[j]); j++)
			digits++;
		if (digits > 0)
			i = j;
	}
	if (digits == 0)
		return 0;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		j = i + 1;
		if (j < n && (p[j] == '+' || p[j] == '-'))
			j++;
		for (exponent = j; j < n && is_digit(p[j]); j++)
			;
		if (j > exponent)
			i = j;
	}
	return i;
}

/* A number at t[*i], as cJSON reads one: what strtod takes of the run of
 * bytes from [0-9+-.eE] there. */
static bool scan_number(const char *t, size_t len, size_t *i)
{
	size_t run = strspn(t + *i, "0123456789+-.eE"), n;

	if (run > len - *i)
		run = len - *i;
	n = decimal_prefix(t + *i, run);
	*i += n;
	return n > 0;
}

static bool scan_word(const char *t, size_t len, size_t *i)
{
	static const char *const words[] = {"null", "true", "false"};
	size_t k, n;

	for (k = 0; k < 3; k++) {
		n = strlen(words[k]);
		if (len - *i >= n && memcmp(t + *i, words[k], n) == 0) {
			*i += n;
			return true;
		}
	}
	return false;
}

/* One value that is not a container, at t[*i]. */
static bool scan_scalar(const char *t, size_t len, size_t *i)
{
	char c = t[*i];

	if (c == '"')
		return scan_string(t, len, i);
	if (c == '-' || (c >= '0' && c <= '9'))
		return scan_number(t, len, i);
	return scan_word(t, len, i);
}

size_t json_syntax_error(const char *text, size_t len, bool *unclosed)
{
	char open[MAX_DEPTH + 1]; /* '{' or '[' of each container we are in */
	size_t depth = 0, i = 0;
	enum expect expect = VALUE;

	*unclosed = false;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (;;) {
		i = skip_blanks(text, i, len);
		if (i >= len)
			return depth == 0 && expect == AFTER_VALUE ? SIZE_MAX : len;
		switch (expect) {
		case VALUE:
			if (text[i] == '{' || text[i] == '[') {
				if (depth == MAX_DEPTH)
					return i;
				open[depth++] = text[i++];
				i = skip_blanks(text, i, len);
				if (i < len && text[i] == (open[depth - 1] == '{' ? '}' : ']')) {
					depth--;
					i++;
					expect = AFTER_VALUE;
				} else {
					expect = open[depth - 1] == '{' ? KEY : VALUE;
				}
				break;
			}
			if (!scan_scalar(text, len, &i)) {
				*unclosed = text[i] == '"';
				return i;
			}
			expect = AFTER_VALUE;
			break;
		case AFTER_VALUE:
			if (depth == 0)
				return i; /* something after the document */
			if (text[i] == ',') {
				i++;
				expect = open[depth - 1] == '{' ? KEY : VALUE;
			} else if (text[i] == (open[depth - 1] == '{' ? '}' : ']')) {
				depth--;
				i++;
			} else {
				return i;
			}
			break;
		case KEY:
			if (text[i] != '"')
				return i;
			if (!scan_string(text, len, &i)) {
				*unclosed = text[i] == '"';
				return i;
			}
			i = skip_blanks(text, i, len);
			if (i >= len || text[i] != ':')
				return i;
			i++;
			expect = VALUE;
			break;
		}
	}
}
