/* SPDX-License-Identifier: MIT */
/* number.c - reading numbers as CRM exports write them, and fixed-point scores. */
#include "base/number.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank((unsigned char)*p))
		p++;
	return p;
}

/* Skips one currency symbol: $, or the UTF-8 forms of euro, pound and yen. */
static const char *skip_currency(const char *p, const char *end)
{
	static const char *const symbols[] = {"$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5"};
	size_t i;

	/* Most cells start with a digit: no symbol starts with one. */
	if (p == end || is_digit((unsigned char)*p))
		return p;
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		size_t n = strlen(symbols[i]);
		if ((size_t)(end - p) >= n && memcmp(p, symbols[i], n) == 0)
			return skip_blanks(p + n, end);
	}
	return p;
}

/* "11–50" with an en dash, as some exports write bands. */
static bool starts_en_dash(const char *p, const char *end)
{
	return end - p >= 3 && memcmp(p, "\xe2\x80\x93", 3) == 0;
}

static double power_of_ten(int n)
{
	static const double exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	if (n >= 0 && n <= 22)
		return exact[n];
	return pow(10.0, n);
}

/* Reads one unsigned amount: digits with optional "," thousands groups, an
 * optional fraction and an optional k/m/b/bn or % suffix. Returns the end of
 * what was read, or NULL if there is no well-formed amount at p. */
static const char *parse_amount(const char *p, const char *end, double *out)
{
	double mantissa = 0;
	int exponent = 0, group = 0;
	bool digits = false, grouped = false;

	while (p < end && (is_digit((unsigned char)*p) || *p == ',')) {
		if (*p == ',') {
			/* Thousands groups: 1-3 digits, then groups of exactly three. */
			if (!digits || (grouped ? group != 3 : group > 3))
				return NULL;
			grouped = true;
			group = 0;
		} else {
			mantissa = mantissa * 10 + (*p - '0');
			digits = true;
			group++;
		}
		p++;
	}
	if (grouped && group != 3)
		return NULL;
	if (p < end && *p == '.') {
		p++;
		if (p == end || !is_digit((unsigned char)*p))
			return NULL;
		while (p < end && is_digit((unsigned char)*p)) {
			mantissa = mantissa * 10 + (*p - '0');
			exponent--;
			p++;
		}
		digits = true;
	}
	if (!digits)
		return NULL;

	const char *after = skip_blanks(p, end);
	if (after < end && *after == '%') {
		p = after + 1;
	} else if (after < end && is_alpha((unsigned char)*after)) {
		const char *s = after;
		int scale = -1;
		if (*s == 'k' || *s == 'K')
			scale = 3, s++;
		else if (*s == 'm' || *s == 'M')
			scale = 6, s++;
		else if (*s == 'b' || *s == 'B') {
			scale = 9, s++;
			if (s < end && (*s == 'n' || *s == 'N'))
				s++;
		}
		/* "10 kg" or "5 employees" is not a number. */
		if (scale < 0 || (s < end && is_alpha((unsigned char)*s)))
			return NULL;
		exponent += scale;
		p = s;
	}
	/* One rounding only: the digits times an exact power of ten. */
	*out = exponent >= 0 ? mantissa * power_of_ten(exponent)
	                     : mantissa / power_of_ten(-exponent);
	return p;
}

/* The common case, a cell of at most 15 digits and nothing else, read
 * exactly without the general parser. */
static bool read_plain_integer(const char *p, const char *end, double *out)
{
	uint64_t v = 0;

	if (end - p > 15)
		return false;
	for (; p < end; p++) {
		if (!is_digit((unsigned char)*p))
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = (double)v;
	return true;
}

ls_num_kind ls_number_parse(const char *ptr, size_t len, double *out)
{
	bool band;

	return number_parse_band(ptr, len, out, &band);
}

ls_num_kind number_parse_band(const char *ptr, size_t len, double *out, bool *band)
{
	const char *p = ptr, *end = ptr + len;
	double lo, hi;
	bool negative = false;

	*band = false;
	p = skip_blanks(p, end);
	while (end > p && is_blank((unsigned char)end[-1]))
		end--;
	if (p == end)
		return LS_NUM_EMPTY;
	if (read_plain_integer(p, end, out))
		return LS_NUM_OK;

	p = skip_currency(p, end);
	if (p < end && (*p == '-' || *p == '+')) {
		negative = *p == '-';
		p = skip_blanks(p + 1, end);
	}
	p = skip_currency(p, end);
	p = parse_amount(p, end, &lo);
	if (p == NULL)
		return LS_NUM_INVALID;
	if (negative)
		lo = -lo;

	p = skip_blanks(p, end);
	if (p < end && *p == '+') {
		/* An open band such as "10,001+": its lower bound. */
		p++;
		*band = true;
	} else if (p < end && (*p == '-' || starts_en_dash(p, end))) {
		/* A band such as "11-50" or "$1M - $5M": its lower bound, provided the
		 * upper bound is a number too and not below it (so "2024-01" is no band). */
		p += *p == '-' ? 1 : 3;
		p = skip_currency(skip_blanks(p, end), end);
		p = parse_amount(p, end, &hi);
		if (p == NULL || hi < lo)
			return LS_NUM_INVALID;
		*band = true;
	}
	if (p != end || !isfinite(lo))
		return LS_NUM_INVALID;
	*out = lo;
	return LS_NUM_OK;
}

bool fixed_from_double(double value, ls_fixed *out)
{
	double scaled, rounded;

	if (!isfinite(value) || fabs(value) > LS_FIXED_LIMIT_UNITS)
		return false;
	scaled = value * (double)LS_FIXED_ONE;
	rounded = nearbyint(scaled);
	/* JSON gives the nearest double to the decimal the author wrote, so a
	 * value with six or fewer decimals lands within rounding noise of an
	 * integer: a few units in the last place of `scaled`, no more (any
	 * seventh decimal is further off than that, however small). */
	if (fabs(scaled - rounded) > fmax(1e-9, fabs(scaled) * 1e-14))
		return false;
	*out = (ls_fixed)rounded;
	return true;
}

bool ls_fixed_parse(const char *text, ls_fixed *out)
{
	const char *p = text;
	bool negative = false, digits = false;
	int64_t whole = 0, frac = 0;
	int places = 0;

	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	while (is_digit((unsigned char)*p)) {
		whole = whole * 10 + (*p++ - '0');
		digits = true;
		if (whole > (int64_t)LS_FIXED_LIMIT_UNITS)
			return false;
	}
	if (*p == '.') {
		p++;
		while (is_digit((unsigned char)*p)) {
			if (++places > 6)
				return false;
			frac = frac * 10 + (*p++ - '0');
			digits = true;
		}
	}
	if (!digits || *p != '\0')
		return false;
	while (places++ < 6)
		frac *= 10;
	*out = whole * LS_FIXED_ONE + frac;
	if (*out > (ls_fixed)(LS_FIXED_LIMIT_UNITS * LS_FIXED_ONE))
		return false;
	if (negative)
		*out = -*out;
	return true;
}

/* Writes the decimal digits of v backwards, ending just before end. */
static char *digits_backwards(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return end;
}

/* By hand, not snprintf: every output row formats its score. */
size_t ls_fixed_format(ls_fixed value, char *buf)
{
	uint64_t magnitude = value < 0 ? -(uint64_t)value : (uint64_t)value;
	uint64_t whole = magnitude / LS_FIXED_ONE, frac = magnitude % LS_FIXED_ONE;
	char text[LS_FIXED_BUFSIZE], *end = text + sizeof(text), *p = end;
	int places = 6;

	if (frac != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			places--;
		}
		while (places-- > 0) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	p = digits_backwards(whole, p);
	if (value < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return (size_t)(end - p);
}

ls_fixed fixed_add(ls_fixed a, ls_fixed b)
{
	ls_fixed sum;

	if (__builtin_add_overflow(a, b, &sum))
		return b > 0 ? INT64_MAX : INT64_MIN + 1;
	return sum;
}

ls_fixed fixed_sub(ls_fixed a, ls_fixed b)
{
	ls_fixed diff;

	if (__builtin_sub_overflow(a, b, &diff))
		return b < 0 ? INT64_MAX : INT64_MIN + 1;
	return diff;
}
