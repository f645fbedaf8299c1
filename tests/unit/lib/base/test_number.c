/* SPDX-License-Identifier: MIT */
/* test_number.c - CRM number forms, fixed-point parsing and formatting. */
#include <math.h>

#include "unit.h"

#include "base/number.h"

static void expect_number(const char *text, double want)
{
	double got = -12345;
	char *exact = unit_exact(text, strlen(text));
	ls_num_kind kind = ls_number_parse(exact, strlen(text), &got);

	free(exact);
	if (kind != LS_NUM_OK)
		fail_msg("\"%s\" should read as %g, got kind %d", text, want, kind);
	if (got != want)
		fail_msg("\"%s\" read as %.17g, want %.17g", text, got, want);
}

static void expect_invalid(const char *text)
{
	double got;
	char *exact = unit_exact(text, strlen(text));
	ls_num_kind kind = ls_number_parse(exact, strlen(text), &got);

	free(exact);
	if (kind != LS_NUM_INVALID)
		fail_msg("\"%s\" should not be a number", text);
}

static void test_plain_and_grouped(void **state)
{
	(void)state;
	expect_number("1200", 1200);
	expect_number("1,200", 1200);
	expect_number("1,234,567", 1234567);
	expect_number(" 12 ", 12);
	expect_number("\t-3\r\n", -3);
	expect_number("+7", 7);
	expect_number("0.1", 0.1);
	expect_number(".5", 0.5);
	expect_number("4999.99", 4999.99);
	expect_number("007", 7);
}

static void test_currency_suffix_percent(void **state)
{
	(void)state;
	expect_number("$1,200.50", 1200.5);
	expect_number("-$3", -3);
	expect_number("$-3", -3);
	expect_number("$ 40", 40);
	expect_number("\xe2\x82\xac" "99", 99);
	expect_number("\xc2\xa3" "5.25", 5.25);
	expect_number("1.5k", 1500);
	expect_number("2M", 2000000);
	expect_number("2.3k", 2300);
	expect_number("$2.5M", 2500000);
	expect_number("3bn", 3e9);
	expect_number("1 B", 1e9);
	expect_number("20%", 20);
}

static void test_bands(void **state)
{
	(void)state;
	expect_number("11-50", 11);
	expect_number("10,001+", 10001);
	expect_number("1 - 10", 1);
	expect_number("1,001-5,000", 1001);
	expect_number("$1M - $5M", 1000000);
	expect_number("11\xe2\x80\x93" "50", 11);
	expect_number("5-5", 5);
	/* Longer than the exact path for plain integers takes. */
	{
		double v = 0;
		assert_int_equal(ls_number_parse("1000000000000000000000000", 25, &v), LS_NUM_OK);
		assert_true(fabs(v - 1e24) < 1e9);
		assert_int_equal(ls_number_parse("123456789012345678", 18, &v), LS_NUM_OK);
		assert_true(fabs(v - 123456789012345678.0) < 64);
	}
	/* Past 22 decimals the powers of ten are computed, not looked up. */
	{
		static const char *const tiny[] = {"0.00000000000000000000001",
		                                   "0.0000000000000000000000100"};
		double v = 0;
		size_t i;
		for (i = 0; i < 2; i++) {
			assert_int_equal(ls_number_parse(tiny[i], strlen(tiny[i]), &v), LS_NUM_OK);
			assert_true(fabs(v - 1e-23) < 1e-37);
		}
	}
	/* Any blank may stand between the parts: space, tab, CR, LF, VT, FF. */
	expect_number("1\v-\f10", 1);
	expect_number("$\f40", 40);
	expect_number("12\vk", 12000);
	expect_number("5\r\n+", 5);
}

/* Which readings are bands: what explain calls "band lower bound". */
static void test_band_flag(void **state)
{
	static const struct {
		const char *text;
		bool band;
	} cases[] = {{"11-50", true}, {"10,001+", true}, {"$1M - $5M", true},
	             {"11\xe2\x80\x93" "50", true}, {"12", false}, {"1,200.5", false},
	             {"-3", false}, {"1.5k", false}};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool band = !cases[i].band; /* set either way by the call */
		double v;
		assert_int_equal(number_parse_band(cases[i].text, strlen(cases[i].text), &v, &band),
		                 LS_NUM_OK);
		if (band != cases[i].band)
			fail_msg("\"%s\": band %d", cases[i].text, band);
	}
}

static void test_not_numbers(void **state)
{
	double v;
	(void)state;
	assert_int_equal(ls_number_parse("", 0, &v), LS_NUM_EMPTY);
	assert_int_equal(ls_number_parse("  \t ", 4, &v), LS_NUM_EMPTY);
	expect_invalid("unknown");
	expect_invalid("1,2");        /* a decimal comma, or a typo: not guessed */
	expect_invalid("1,2345");
	expect_invalid("12,");
	expect_invalid(",12");
	expect_invalid(",123");
	expect_invalid("1234,567");
	expect_invalid("1,234,5678");
	expect_invalid("1.");
	expect_invalid("1.2.3");
	expect_invalid("2024-01-15"); /* a date is no band */
	expect_invalid("2024-01");    /* upper bound below lower */
	expect_invalid("10 kg");
	expect_invalid("5 employees");
	expect_invalid("1e3");
	expect_invalid("$");
	expect_invalid("-");
	expect_invalid("11-");
	/* Only the en dash joins a band: not an em dash, nor a cut-off dash. */
	expect_invalid("11\xe2\x80\x94" "50");
	expect_invalid("11\xe2\x80" "50");
	/* A scale letter must end the word: k, m, b, bn followed by any letter
	 * (the first and last of each case too) is a unit. */
	expect_invalid("12 ka");
	expect_invalid("12 kz");
	expect_invalid("12 kA");
	expect_invalid("12 kZ");
	expect_invalid("3bna");
	expect_invalid("nan");
	expect_invalid("inf");
}

static void test_nul_inside_is_invalid(void **state)
{
	double v;
	(void)state;
	assert_int_equal(ls_number_parse("12\0", 3, &v), LS_NUM_INVALID);
}

static void expect_fixed(const char *text, ls_fixed want)
{
	ls_fixed got = 0;
	if (!ls_fixed_parse(text, &got) || got != want)
		fail_msg("\"%s\": want %lld, got %lld", text, (long long)want, (long long)got);
}

static void test_fixed_parse(void **state)
{
	ls_fixed v;
	(void)state;
	expect_fixed("72.5", 72500000);
	expect_fixed("-3", -3000000);
	expect_fixed("0.000001", 1);
	expect_fixed("1000000000", 1000000000 * LS_FIXED_ONE);
	assert_false(ls_fixed_parse("0.0000001", &v));
	assert_false(ls_fixed_parse("1000000001", &v));
	/* The limit is 1e9 exactly: a millionth over it is refused. */
	assert_false(ls_fixed_parse("1000000000.000001", &v));
	assert_false(ls_fixed_parse("-1000000000.5", &v));
	expect_fixed("-1000000000", -1000000000 * LS_FIXED_ONE);
	assert_false(ls_fixed_parse("1e3", &v));
	assert_false(ls_fixed_parse("", &v));
	assert_false(ls_fixed_parse("-", &v));
	expect_fixed("1.", LS_FIXED_ONE);
	expect_fixed("1.25", 1250000);
	expect_fixed(".5", 500000);
	expect_fixed("-0.123456", -123456);
	assert_false(ls_fixed_parse("12abc", &v));
}

static void expect_format(ls_fixed v, const char *want)
{
	char buf[LS_FIXED_BUFSIZE];
	size_t n = ls_fixed_format(v, buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_fixed_format(void **state)
{
	(void)state;
	expect_format(65 * LS_FIXED_ONE, "65");
	expect_format(72500000, "72.5");
	expect_format(-250000, "-0.25");
	expect_format(0, "0");
	expect_format(1, "0.000001");
	expect_format(-55 * LS_FIXED_ONE, "-55");
	expect_format(INT64_MAX, "9223372036854.775807");
	expect_format(INT64_MIN + 1, "-9223372036854.775807");
}

static void test_fixed_from_double(void **state)
{
	ls_fixed v;
	(void)state;
	assert_true(fixed_from_double(0.1, &v));
	assert_int_equal(v, 100000);
	assert_true(fixed_from_double(12.5, &v));
	assert_int_equal(v, 12500000);
	assert_true(fixed_from_double(-0.000001, &v));
	assert_int_equal(v, -1);
	assert_false(fixed_from_double(0.1234567, &v));
	/* More than six decimals, however small: not rounding noise. */
	assert_false(fixed_from_double(0.0000000005, &v));
	assert_false(fixed_from_double(1.0000000001, &v));
	/* Six decimals at the largest size keep within a double's precision. */
	assert_true(fixed_from_double(999999999.999999, &v));
	assert_int_equal(v, INT64_C(999999999999999));
	assert_true(fixed_from_double(33.333333, &v));
	assert_int_equal(v, 33333333);
	assert_false(fixed_from_double(1e10, &v));
	assert_true(fixed_from_double(1e9, &v)); /* the largest allowed */
	assert_true(fixed_from_double(-1e9, &v));
	assert_false(fixed_from_double(1000000000.000001, &v));
	assert_false(fixed_from_double(1.0 / 0.0, &v));
}

static void test_saturation(void **state)
{
	(void)state;
	assert_int_equal(fixed_add(INT64_MAX - 1, 5), INT64_MAX);
	assert_int_equal(fixed_add(INT64_MAX, 1), INT64_MAX);
	assert_int_equal(fixed_add(INT64_MIN + 5, -10), INT64_MIN + 1);
	assert_int_equal(fixed_sub(INT64_MIN + 5, 10), INT64_MIN + 1);
	assert_int_equal(fixed_sub(INT64_MAX - 5, -10), INT64_MAX);
	assert_int_equal(fixed_sub(INT64_MAX, -1), INT64_MAX);
	assert_int_equal(fixed_sub(-2, INT64_MAX), INT64_MIN + 1);
	assert_int_equal(fixed_add(2, 3), 5);
	assert_int_equal(fixed_sub(2, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_grouped),
		cmocka_unit_test(test_currency_suffix_percent),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_band_flag),
		cmocka_unit_test(test_not_numbers),
		cmocka_unit_test(test_nul_inside_is_invalid),
		cmocka_unit_test(test_fixed_parse),
		cmocka_unit_test(test_fixed_format),
		cmocka_unit_test(test_fixed_from_double),
		cmocka_unit_test(test_saturation),
	};
	return cmocka_run_group_tests_name("number", tests, NULL, NULL);
}
