/* SPDX-License-Identifier: MIT */
/* test_date.c - dates as CRM exports write them, ages, and day arithmetic. */
#include <stdio.h>

#include "unit.h"

#include "base/date.h"

static int64_t day(int64_t y, unsigned m, unsigned d)
{
	return date_from_civil(y, m, d);
}

static void expect_date(const char *text, enum date_order order, int64_t want)
{
	int64_t got = -1;
	char *exact = unit_exact(text, strlen(text));
	enum date_kind kind = date_parse(exact, strlen(text), order, &got);

	free(exact);
	if (kind != DATE_OK || got != want)
		fail_msg("\"%s\": kind %d, %lld, want %lld", text, kind, (long long)got, (long long)want);
}

static void expect_not_date(const char *text, enum date_order order)
{
	int64_t got;
	char *exact = unit_exact(text, strlen(text));
	enum date_kind kind = date_parse(exact, strlen(text), order, &got);

	free(exact);
	if (kind != DATE_INVALID)
		fail_msg("\"%s\" should not be a date", text);
}

static void test_civil_round_trip(void **state)
{
	int64_t d, y;
	unsigned m, dd;

	(void)state;
	assert_int_equal(day(1970, 1, 1), 0);
	assert_int_equal(day(2000, 3, 1), 11017);
	assert_int_equal(day(1969, 12, 31), -1);
	for (d = -800000; d < 800000; d += 997) {
		date_to_civil(d, &y, &m, &dd);
		assert_int_equal(day(y, m, dd), d);
	}
	/* Every day around the ends of 400-year eras before year 1 (reached by
	 * the largest ages). */
	for (y = -1201; y <= 1; y += 400)
		for (d = day(y, 1, 1) - 400; d < day(y, 1, 1) + 800; d++) {
			int64_t yy;
			date_to_civil(d, &yy, &m, &dd);
			assert_int_equal(day(yy, m, dd), d);
		}
	/* Every day of a 400-year cycle, which holds every calendar case: one
	 * day more than the day before, month and day in range. */
	date_to_civil(day(1999, 12, 31), &y, &m, &dd);
	for (d = day(2000, 1, 1); d < day(2400, 1, 1); d++) {
		int64_t py = y;
		unsigned pm = m, pd = dd;
		date_to_civil(d, &y, &m, &dd);
		assert_int_equal(day(y, m, dd), d);
		if (!(m >= 1 && m <= 12 && dd >= 1 && dd <= 31))
			fail_msg("day %lld: %lld-%u-%u", (long long)d, (long long)y, m, dd);
		if (dd == 1)
			assert_true((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
		else
			assert_true(dd == pd + 1 && m == pm && y == py);
	}
}

static void test_iso_and_named_forms(void **state)
{
	int64_t jan5 = day(2026, 1, 5);

	(void)state;
	expect_date("2026-01-05", DATE_ORDER_NONE, jan5);
	expect_date(" 2026-01-05 ", DATE_ORDER_NONE, jan5);
	expect_date("2026/1/5", DATE_ORDER_NONE, jan5);
	expect_date("2026.01.05", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05T14:32:00Z", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05T14:32:00.123+02:00", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 23:59:60 UTC", DATE_ORDER_NONE, jan5);
	expect_date("Jan 5, 2026", DATE_ORDER_NONE, jan5);
	expect_date("January 5 2026", DATE_ORDER_NONE, jan5);
	expect_date("5 Jan 2026", DATE_ORDER_NONE, jan5);
	expect_date("05-Jan-2026", DATE_ORDER_NONE, jan5);
	expect_date("Sept 30, 2026", DATE_ORDER_NONE, day(2026, 9, 30));
	expect_date("29 feb 2024", DATE_ORDER_NONE, day(2024, 2, 29));
	expect_date("2026-01-05 12:00 am", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05  14:32", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 1:30 am", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 1:30PM", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 23:59", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32 UTC", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32+0530", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32-05:30", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32:00.5", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32:59,", DATE_ORDER_NONE, jan5);
	expect_date("5 Jan, 2026", DATE_ORDER_NONE, jan5);
	expect_date("5 Jan , 2026", DATE_ORDER_NONE, jan5);
	expect_date("5-Jan 2026", DATE_ORDER_NONE, jan5);
	/* Blanks around the cell: space, tab, CR, LF on either side. */
	expect_date("\t2026-01-05", DATE_ORDER_NONE, jan5);
	expect_date("\r2026-01-05", DATE_ORDER_NONE, jan5);
	expect_date("\n2026-01-05", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05\t", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05\r", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05\n", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 9:05:07,5 PM -0800", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05t14:32+01:30", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32 z", DATE_ORDER_NONE, jan5);
	expect_date("2026-01-05 14:32 GMT", DATE_ORDER_NONE, jan5);
	expect_date("DEC. 31,2025", DATE_ORDER_NONE, day(2025, 12, 31));
	expect_date("5-January-2026", DATE_ORDER_NONE, jan5);
}

/* The Gregorian leap rule whole: every 4th year, not every 100th, but
 * every 400th. */
static void test_leap_years(void **state)
{
	(void)state;
	expect_date("2000-02-29", DATE_ORDER_NONE, day(2000, 2, 29));
	expect_date("2400-02-29", DATE_ORDER_NONE, day(2400, 2, 29));
	expect_date("2024-02-29", DATE_ORDER_NONE, day(2024, 2, 29));
	expect_date("29/02/2000", DATE_ORDER_DMY, day(2000, 2, 29));
	expect_not_date("1900-02-29", DATE_ORDER_NONE);
	expect_not_date("2100-02-29", DATE_ORDER_NONE);
	expect_not_date("2023-02-29", DATE_ORDER_NONE);
	expect_date("2100-02-28", DATE_ORDER_NONE, day(2100, 2, 28));
	expect_date("2000-12-31", DATE_ORDER_NONE, day(2000, 12, 31));
	expect_not_date("2000-12-32", DATE_ORDER_NONE);
	expect_not_date("2026-04-31", DATE_ORDER_NONE);
	expect_date("9999-12-31", DATE_ORDER_NONE, day(9999, 12, 31));
	expect_date("0001-01-01", DATE_ORDER_NONE, day(1, 1, 1));
}

/* Every month's last day is a date and the day after it is not: 31, 28
 * (29 in a leap year), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31. */
static void test_month_lengths(void **state)
{
	static const unsigned last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	char text[16];
	unsigned m;

	(void)state;
	for (m = 1; m <= 12; m++) {
		snprintf(text, sizeof(text), "2026-%02u-%02u", m, last[m - 1]);
		expect_date(text, DATE_ORDER_NONE, day(2026, m, last[m - 1]));
		snprintf(text, sizeof(text), "2026-%02u-%02u", m, last[m - 1] + 1);
		expect_not_date(text, DATE_ORDER_NONE);
	}
	expect_date("2024-02-29", DATE_ORDER_NONE, day(2024, 2, 29));
	expect_not_date("2024-02-30", DATE_ORDER_NONE);
}

static void test_ordered_forms(void **state)
{
	(void)state;
	expect_date("05/01/2026", DATE_ORDER_DMY, day(2026, 1, 5));
	expect_date("05/01/2026", DATE_ORDER_MDY, day(2026, 5, 1));
	expect_date("1/5/2026 2:30 PM", DATE_ORDER_MDY, day(2026, 1, 5));
	expect_date("31.12.2025", DATE_ORDER_DMY, day(2025, 12, 31));
	/* Never guessed: without an order even 25/01/2026 is not a date. */
	expect_not_date("05/01/2026", DATE_ORDER_NONE);
	expect_not_date("25/01/2026", DATE_ORDER_NONE);
	expect_not_date("25/01/2026", DATE_ORDER_MDY);
}

static void test_not_dates(void **state)
{
	int64_t d;
	static const char *const bad[] = {
		"2026-02-30", "2026-13-01", "2026-00-10", "2025-02-29", "26-01-05", "20260105",
		"2026-01-05x", "2026-01-05 25:00", "2026-01-05 1:7", "2026-01-05 13:00 PM",
		"Foo 5, 2026", "Jan 2026", "5 Jan", "yesterday", "2026-01", "1,200", "0000-01-01",
		"Jan 5, 26", "5 Jan 26", "2026-01-05 14:32:6", "2026-01-05 14:32:61",
		"2026-01-05 14:60", "2026-01-05T14:32+1", "2026-01-05T14:32+01:3",
		"2026-01-05T14:32+01:30x", "2026-01-05 0:00 AM", "2026-01-05 14:32 utc",
		"2026-01-05 14:32Zx", "2026-01-05T 14:32", "2026-01-055", "12026-01-05", "2026", "5",
		"Jan", "5 Jan 202", "2026-01-05 14:32 +", "2026-01-00", "2026-00-01", "2026-001-05",
		"2026-01-005", "00/01/2026", "001/01/2026", "Jan 0, 2026", "0 Jan 2026", "Fec 5, 2026",
		"Ja 5, 2026", "Ju 5 2026", "2026-01-05 14:32:000", "2026-01-05 :32",
		"2026-01-05 014:32", "2026-01-05 14:032", "2026-01-05 24:00", "2026-01-05 0:30 PM",
		"2026-01-05 13:30 am", "2026-01-05 14:32 UTX", "2026-01-05 14:32 GMX",
		"2026-01-05 14:32 UT", "2026-01-05 14:32+12345", "2026-01-05 14:32+05:305",
		"2026-01-05 14:32 p", "2026-01-05 14:32 a", "Jan 005, 2026", "Jan 5, 202", "Jan 5, 02026",
		"202-01-05", "02026-01-05", "5 Jan 02026", "005 Jan 2026", "5/01/02026",
		"05/001/2026", "05/01/202", "5 Jan,, 2026",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_not_date(bad[i], DATE_ORDER_DMY);
	{
		char *blank = unit_exact(" \t\r\n", 4);
		assert_int_equal(date_parse(blank, 4, DATE_ORDER_NONE, &d), DATE_EMPTY);
		free(blank);
	}
}

static void test_rule_values(void **state)
{
	struct date_age age;
	enum date_order order;
	int64_t d;

	(void)state;
	assert_true(date_parse_iso("2026-11-22", &d));
	assert_int_equal(d, day(2026, 11, 22));
	assert_true(ls_date_parse("2024-02-29", &d));
	assert_false(date_parse_iso("2026-1-5", &d));
	assert_false(date_parse_iso("202-01-05", &d));
	assert_false(date_parse_iso("02026-01-05", &d));
	assert_false(date_parse_iso("2026-001-05", &d));
	assert_false(date_parse_iso("2026-1-05", &d));
	assert_false(date_parse_iso("2026-01-005", &d));
	assert_false(date_parse_iso("2026-01-5", &d));
	assert_false(date_parse_iso("2026/01/05", &d));
	assert_false(date_parse_iso("2026-02-29", &d));
	assert_true(date_parse_age("999999d", &age));
	assert_int_equal(age.count, 999999);
	assert_false(date_parse_age("1000000d", &age));
	assert_false(date_parse_age("90dd", &age));
	assert_false(date_parse_age("90x", &age));
	assert_false(date_parse_iso("2026-11-22T00:00", &d));
	assert_true(date_parse_age("90d", &age));
	assert_int_equal(age.count, 90);
	assert_int_equal(age.unit, 'd');
	assert_false(date_parse_age("90", &age));
	assert_false(date_parse_age("d", &age));
	assert_false(date_parse_age("3h", &age));
	assert_false(date_parse_age("-3d", &age));
	assert_true(date_parse_order("DD/MM/YYYY", &order));
	assert_int_equal(order, DATE_ORDER_DMY);
	assert_true(date_parse_order("MM-DD-YYYY", &order));
	assert_int_equal(order, DATE_ORDER_MDY);
	assert_true(date_parse_order("YYYY-MM-DD", &order));
	assert_int_equal(order, DATE_ORDER_NONE);
	assert_false(date_parse_order("DD-MM-YY", &order));
	assert_false(date_parse_order("YYYY-DD-MM", &order));
	assert_false(date_parse_order("DD:MM:YYYY", &order));
}

static void test_minus_age(void **state)
{
	struct date_age d90 = {90, 'd'}, w2 = {2, 'w'}, m1 = {1, 'm'}, m6 = {6, 'm'}, y1 = {1, 'y'};

	(void)state;
	assert_int_equal(date_minus_age(day(2026, 11, 22), d90), day(2026, 8, 24));
	assert_int_equal(date_minus_age(day(2026, 11, 22), w2), day(2026, 11, 8));
	assert_int_equal(date_minus_age(day(2026, 3, 31), m1), day(2026, 2, 28));
	assert_int_equal(date_minus_age(day(2026, 3, 31), m6), day(2025, 9, 30));
	assert_int_equal(date_minus_age(day(2024, 2, 29), y1), day(2023, 2, 28));
	assert_int_equal(date_minus_age(day(2026, 1, 15), m1), day(2025, 12, 15));
	/* The largest ages reach far before year 1: still a proper day. */
	{
		struct date_age m_max = {999999, 'm'}, y_max = {999999, 'y'}, m_year = {24323, 'm'};
		/* 2026-11 is month 24322 since 0000-01; 999999 months back: 2026 * 12
		 * + 10 - 999999 = -975677 = -81307 * 12 + 7, so -81307-08-22. */
		assert_int_equal(date_minus_age(day(2026, 11, 22), m_max), day(-81307, 8, 22));
		assert_int_equal(date_minus_age(day(2026, 11, 22), y_max), day(2026 - 999999, 11, 22));
		/* 24323 months: one month before 0000-01, -0001-12; 24334 months:
		 * twelve months before, -0001-01. */
		struct date_age m_12 = {24334, 'm'};
		assert_int_equal(date_minus_age(day(2026, 11, 22), m_year), day(-1, 12, 22));
		assert_int_equal(date_minus_age(day(2026, 11, 22), m_12), day(-1, 1, 22));
	}
}

/* The public forms: a day number as YYYY-MM-DD and as its parts, for the
 * calendar's edges (the epoch, a leap day, a year's last day, year 0). */
static void test_public_forms(void **state)
{
	static const struct {
		int64_t year;
		unsigned month, day;
		const char *iso;
	} days[] = {{1970, 1, 1, "1970-01-01"}, {2024, 2, 29, "2024-02-29"},
	            {2025, 12, 31, "2025-12-31"}, {0, 3, 1, "0000-03-01"}};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		int64_t n = date_from_civil(days[i].year, days[i].month, days[i].day), y;
		unsigned m, d;
		char buf[LS_DATE_BUFSIZE];
		ls_date_civil(n, &y, &m, &d);
		assert_true(y == days[i].year && m == days[i].month && d == days[i].day);
		assert_int_equal(ls_date_format(n, buf), 10);
		assert_string_equal(buf, days[i].iso);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_iso_and_named_forms),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_ordered_forms),
		cmocka_unit_test(test_not_dates),
		cmocka_unit_test(test_rule_values),
		cmocka_unit_test(test_minus_age),
		cmocka_unit_test(test_public_forms),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
