/* SPDX-License-Identifier: MIT */
/* date.c - dates as CRM exports write them, as day numbers. */
#include "base/date.h"

#include <stdio.h>
#include <string.h>

/* Civil-from-days and back (Howard Hinnant's algorithms). */
int64_t date_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_civil(int64_t z, int64_t *year, unsigned *month, unsigned *day)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

static unsigned month_length(int64_t y, unsigned m)
{
	static const unsigned char len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

static bool valid(int64_t y, unsigned m, unsigned d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_length(y, m);
}

struct cursor {
	const char *p, *end;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads min..max digits. */
static bool digits(struct cursor *c, int min, int max, unsigned *out)
{
	int n = 0;

	*out = 0;
	while (c->p < c->end && is_digit(*c->p) && n < max) {
		*out = *out * 10 + (unsigned)(*c->p++ - '0');
		n++;
	}
	return n >= min && !(c->p < c->end && is_digit(*c->p));
}

static bool take(struct cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* "Jan", "january", "Sept": a month name, or 0. */
static unsigned month_name(struct cursor *c)
{
	static const char *const names[] = {"january", "february", "march",     "april",
	                                    "may",     "june",     "july",      "august",
	                                    "september", "october", "november", "december"};
	const char *start = c->p;
	size_t n = 0, i, j;

	while (c->p + n < c->end && ((lower(c->p[n]) >= 'a' && lower(c->p[n]) <= 'z')))
		n++;
	for (i = 0; i < 12 && n >= 3; i++) {
		for (j = 0; j < n && names[i][j] != '\0' && lower(start[j]) == names[i][j]; j++)
			;
		/* the full name, its first three letters, or "sept" */
		if (j == n && (n == 3 || names[i][j] == '\0' || (i == 8 && n == 4))) {
			c->p += n;
			take(c, '.');
			return (unsigned)i + 1;
		}
	}
	return 0;
}

/* An optional time of day after a date: checked, then ignored. */
static bool time_of_day(struct cursor *c)
{
	unsigned h, m, s;
	bool twelve;

	if (c->p == c->end)
		return true;
	if (!take(c, 'T') && !take(c, 't')) {
		if (!take(c, ' '))
			return false;
		skip_spaces(c);
	}
	if (!digits(c, 1, 2, &h) || !take(c, ':') || !digits(c, 2, 2, &m) || m > 59)
		return false;
	if (take(c, ':')) {
		if (!digits(c, 2, 2, &s) || s > 60)
			return false;
		if (take(c, '.') || take(c, ','))
			while (c->p < c->end && is_digit(*c->p))
				c->p++;
	}
	skip_spaces(c);
	twelve = c->end - c->p >= 2 && (lower(c->p[0]) == 'a' || lower(c->p[0]) == 'p') &&
	         lower(c->p[1]) == 'm';
	if (twelve) {
		if (h < 1 || h > 12)
			return false;
		c->p += 2;
	} else if (h > 23) {
		return false;
	}
	skip_spaces(c);
	/* A zone: Z, +HH, +HHMM, +HH:MM (and UTC/GMT as some exports write). */
	if (take(c, 'Z') || take(c, 'z'))
		return c->p == c->end;
	if (c->end - c->p == 3 && (memcmp(c->p, "UTC", 3) == 0 || memcmp(c->p, "GMT", 3) == 0))
		return true;
	if (take(c, '+') || take(c, '-')) {
		if (!digits(c, 2, 4, &h))
			return false;
		if (take(c, ':') && !digits(c, 2, 2, &m))
			return false;
	}
	return c->p == c->end;
}

static enum date_kind finish(struct cursor *c, int64_t y, unsigned m, unsigned d, int64_t *days)
{
	if (!valid(y, m, d) || !time_of_day(c))
		return DATE_INVALID;
	*days = date_from_civil(y, m, d);
	return DATE_OK;
}

enum date_kind date_parse(const char *ptr, size_t len, enum date_order order, int64_t *days)
{
	struct cursor c = {ptr, ptr + len};
	unsigned a, b, y, m;
	char sep;

	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '\r' || *c.p == '\n'))
		c.p++;
	while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t' || c.end[-1] == '\r' ||
	                       c.end[-1] == '\n'))
		c.end--;
	if (c.p == c.end)
		return DATE_EMPTY;

	/* Month first: "Jan 5, 2026", "January 5 2026". */
	m = month_name(&c);
	if (m != 0) {
		skip_spaces(&c);
		if (!digits(&c, 1, 2, &a))
			return DATE_INVALID;
		take(&c, ',');
		skip_spaces(&c);
		if (!digits(&c, 4, 4, &y))
			return DATE_INVALID;
		return finish(&c, y, m, a, days);
	}
	if (!is_digit(*c.p))
		return DATE_INVALID;
	{
		struct cursor start = c;
		if (digits(&c, 4, 4, &y) && c.p < c.end && strchr("-/.", *c.p) != NULL) {
			/* Year first is never ambiguous: 2026-01-05, 2026/1/5. */
			sep = *c.p++;
			if (!digits(&c, 1, 2, &m) || !take(&c, sep) || !digits(&c, 1, 2, &a))
				return DATE_INVALID;
			return finish(&c, y, m, a, days);
		}
		c = start;
	}
	if (!digits(&c, 1, 2, &a))
		return DATE_INVALID;
	/* Day then month name: "5 Jan 2026", "05-Jan-2026". */
	if (c.p < c.end && (*c.p == ' ' || *c.p == '-')) {
		struct cursor named = c;
		named.p++;
		m = month_name(&named);
		if (m != 0) {
			c = named;
			if (!take(&c, '-'))
				skip_spaces(&c);
			take(&c, ',');
			skip_spaces(&c);
			if (!digits(&c, 4, 4, &y))
				return DATE_INVALID;
			return finish(&c, y, m, a, days);
		}
	}
	/* NN/NN/YYYY: only with an order from the policy. */
	if (order == DATE_ORDER_NONE || c.p == c.end || strchr("-/.", *c.p) == NULL)
		return DATE_INVALID;
	sep = *c.p++;
	if (!digits(&c, 1, 2, &b) || !take(&c, sep) || !digits(&c, 4, 4, &y))
		return DATE_INVALID;
	return order == DATE_ORDER_DMY ? finish(&c, y, b, a, days) : finish(&c, y, a, b, days);
}

bool date_parse_iso(const char *text, int64_t *days)
{
	struct cursor c = {text, text + strlen(text)};
	unsigned y, m, d;

	if (!digits(&c, 4, 4, &y) || !take(&c, '-') || !digits(&c, 2, 2, &m) || !take(&c, '-') ||
	    !digits(&c, 2, 2, &d) || c.p != c.end || !valid(y, m, d))
		return false;
	*days = date_from_civil(y, m, d);
	return true;
}

bool date_parse_age(const char *text, struct date_age *age)
{
	struct cursor c = {text, text + strlen(text)};
	unsigned n;

	if (!digits(&c, 1, 6, &n) || c.end - c.p != 1 || strchr("dwmy", *c.p) == NULL)
		return false;
	age->count = n;
	age->unit = *c.p;
	return true;
}

int64_t date_minus_age(int64_t today, struct date_age age)
{
	int64_t y, months;
	unsigned m, d, last;

	if (age.unit == 'd')
		return today - age.count;
	if (age.unit == 'w')
		return today - 7 * (int64_t)age.count;
	date_to_civil(today, &y, &m, &d);
	months = y * 12 + (m - 1) - (int64_t)age.count * (age.unit == 'y' ? 12 : 1);
	y = months >= 0 ? months / 12 : (months - 11) / 12;
	m = (unsigned)(months - y * 12) + 1;
	last = month_length(y, m);
	return date_from_civil(y, m, d < last ? d : last);
}

bool date_parse_order(const char *format, enum date_order *order)
{
	char norm[16];
	size_t i, n = strlen(format);

	if (n != 10)
		return false;
	for (i = 0; i < n; i++)
		norm[i] = strchr("-/.", format[i]) != NULL ? '-' : format[i];
	norm[n] = '\0';
	if (strcmp(norm, "DD-MM-YYYY") == 0)
		*order = DATE_ORDER_DMY;
	else if (strcmp(norm, "MM-DD-YYYY") == 0)
		*order = DATE_ORDER_MDY;
	else if (strcmp(norm, "YYYY-MM-DD") == 0)
		*order = DATE_ORDER_NONE;
	else
		return false;
	return true;
}

bool ls_date_parse(const char *text, int64_t *days)
{
	return date_parse_iso(text, days);
}

void ls_date_civil(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	date_to_civil(days, year, month, day);
}

size_t ls_date_format(int64_t days, char *buf)
{
	int64_t year;
	unsigned month, day;

	date_to_civil(days, &year, &month, &day);
	return (size_t)snprintf(buf, LS_DATE_BUFSIZE, "%04lld-%02u-%02u", (long long)year, month, day);
}
