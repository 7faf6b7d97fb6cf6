/* Numbers given on the command line: whole numbers, decimals, counts and sizes. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/arg.h"

static void test_integer_in_range(void **state) {
	(void)state;
	long long v = 0;
	assert_true(tl_arg_integer("12", 1, 100, &v));
	assert_int_equal(v, 12);
	assert_true(tl_arg_integer("-3", -5, 5, &v));
	assert_int_equal(v, -3);
	/* As strtol reads them: leading blanks and a plus sign. */
	assert_true(tl_arg_integer(" +7", 0, 10, &v));
	assert_int_equal(v, 7);
	assert_true(tl_arg_integer("9223372036854775807", 0, INT64_MAX, &v));
	assert_int_equal(v, INT64_MAX);
	/* The bounds are in the range. */
	assert_true(tl_arg_integer("1", 1, 1, &v));
	assert_int_equal(v, 1);
}

static void test_integer_refused(void **state) {
	(void)state;
	long long v = 42;
	const char *bad[] = {"",
			     " ",
			     "x",
			     "1x",
			     "1 ",
			     "1.5",
			     "0x10",
			     "1e3",
			     "0",
			     "101",
			     "99999999999999999999",
			     "-99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(tl_arg_integer(bad[i], 1, 100, &v));
	}
	assert_int_equal(v, 42); /* untouched */
	assert_false(tl_arg_integer("9223372036854775808", 0, INT64_MAX, &v));
}

static void test_decimal_in_range(void **state) {
	(void)state;
	double d = 0;
	assert_true(tl_arg_decimal("2.5", 0, 10, &d));
	assert_true(d == 2.5);
	assert_true(tl_arg_decimal("1e3", 10, 2400, &d));
	assert_true(d == 1000);
	assert_true(tl_arg_decimal(".25", 0.25, 8, &d));
	assert_true(d == 0.25);
	assert_true(tl_arg_decimal(" +8", 0.25, 8, &d));
	assert_true(d == 8);
}

static void test_decimal_refused(void **state) {
	(void)state;
	double d = 42;
	/* Hexadecimal (0x64 is 100), infinities and NaN are no decimal numbers. */
	const char *bad[] = {"",    "x",   "2,5",  "2.5s",  "0x64", "0X1p4", "inf",
			     "INF", "nan", "-nan", "1e999", "9",    "-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(tl_arg_decimal(bad[i], 0, 8.5, &d));
	}
	assert_true(d == 42);
}

static void test_count(void **state) {
	(void)state;
	uint64_t v = 0;
	assert_true(tl_arg_count("0", false, &v));
	assert_int_equal(v, 0);
	assert_true(tl_arg_count("18446744073709551615", false, &v));
	assert_true(v == UINT64_MAX);
	assert_false(tl_arg_count("18446744073709551616", false, &v));
	/* strtoull takes "-5" as 2^64 - 5, even after blanks. */
	assert_false(tl_arg_count("-5", false, &v));
	assert_false(tl_arg_count(" -5", false, &v));
	/* Units only when asked for. */
	assert_false(tl_arg_count("5k", false, &v));
	assert_false(tl_arg_count("", false, &v));
}

static void test_count_with_units(void **state) {
	(void)state;
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {{"0", 0},
		    {"512", 512},
		    {"1k", 1024},
		    {"1K", 1024},
		    {"512M", 512ULL << 20},
		    {"4G", 4ULL << 30},
		    {"4GiB", 4ULL << 30},
		    {"4gb", 4ULL << 30},
		    {"2Ti", 2ULL << 40},
		    {"16777215T", 16777215ULL << 40}};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint64_t v = 1;
		assert_true(tl_arg_count(good[i].s, true, &v));
		assert_true(v == good[i].v);
	}
	/* A unit needs a number before it; one unit, spelt whole; no overflow. */
	const char *bad[] = {"K",   "GiB",   "Mi",  "B",         "5B", "5x",
			     "5KK", "5KiBB", "5 K", "16777216T", "-1K"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 7;
		assert_false(tl_arg_count(bad[i], true, &v));
		assert_true(v == 7);
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integer_in_range),
		cmocka_unit_test(test_integer_refused),
		cmocka_unit_test(test_decimal_in_range),
		cmocka_unit_test(test_decimal_refused),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_count_with_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
