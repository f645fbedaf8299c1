/* SPDX-License-Identifier: MIT */
/* date.h - dates as CRM exports write them, as day numbers. */
#ifndef LS_DATE_H
#define LS_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadsift.h"

/* How to read NN/NN/YYYY: never guessed, so without an order such cells
 * are not dates. */
enum date_order { DATE_ORDER_NONE, DATE_ORDER_DMY, DATE_ORDER_MDY };

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t date_from_civil(int64_t year, unsigned month, unsigned day);
void date_to_civil(int64_t days, int64_t *year, unsigned *month, unsigned *day);

/* How a cell read as a date: a date, a blank cell, or no date. */
enum date_kind { DATE_OK, DATE_EMPTY, DATE_INVALID };

/* Reads a cell: ISO 8601 dates and date-times (2026-01-05, 2026-01-05T14:32:00Z,
 * 2026/01/05 14:32), month names (Jan 5, 2026; 5 January 2026; 05-Jan-2026),
 * and, given an order, 05/01/2026 or 1/5/2026 2:30 PM. A time of day, if
 * any, is checked and dropped. Returns DATE_OK with *days set,
 * DATE_EMPTY for a blank cell or DATE_INVALID. */
enum date_kind date_parse(const char *ptr, size_t len, enum date_order order, int64_t *days);

/* A rule's date: strictly YYYY-MM-DD. */
bool date_parse_iso(const char *text, int64_t *days);

/* An age such as "90d", "2w", "6m", "1y": a count and a unit. */
struct date_age {
	uint32_t count;
	char unit; /* 'd', 'w', 'm' or 'y' */
};
bool date_parse_age(const char *text, struct date_age *age);

/* The day `age` before `today`; months and years keep the day of month,
 * clamped to the month's length (2026-03-31 minus 1m is 2026-02-28). */
int64_t date_minus_age(int64_t today, struct date_age age);

/* The policy's date_format: "DD-MM-YYYY", "MM/DD/YYYY", "YYYY-MM-DD", ...
 * (any of - / . as separators). Returns false if unknown. */
bool date_parse_order(const char *format, enum date_order *order);

#endif
