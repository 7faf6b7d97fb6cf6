/* The units of time: sizes, symbols, names, powers of ten, and the input units built on them. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/io.h>

#include "../../src/util/timeunit.h"

static void test_sizes(void **state) {
	(void)state;
	assert_int_equal(tl_time_unit_ns(TL_TU_NS), 1);
	assert_int_equal(tl_time_unit_ns(TL_TU_US), 1000);
	assert_int_equal(tl_time_unit_ns(TL_TU_MS), 1000000);
	assert_int_equal(tl_time_unit_ns(TL_TU_S), 1000000000);
	assert_int_equal(tl_time_unit_ns(TL_TU_MIN), 60 * INT64_C(1000000000));
	assert_int_equal(tl_time_unit_ns(TL_TU_H), 3600 * INT64_C(1000000000));
	assert_int_equal(tl_time_unit_ns(TL_TU_D), 86400 * INT64_C(1000000000));
	assert_int_equal(tl_time_unit_ns(TL_TU_COUNT), 0);
	/* The constants are the same sizes. */
	assert_int_equal(TL_NS_PER_US, tl_time_unit_ns(TL_TU_US));
	assert_int_equal(TL_NS_PER_MS, tl_time_unit_ns(TL_TU_MS));
	assert_int_equal(TL_NS_PER_S, tl_time_unit_ns(TL_TU_S));
	assert_int_equal(TL_NS_PER_MIN, tl_time_unit_ns(TL_TU_MIN));
	assert_int_equal(TL_NS_PER_H, tl_time_unit_ns(TL_TU_H));
	assert_int_equal(TL_NS_PER_D, tl_time_unit_ns(TL_TU_D));
	/* Smallest first, each a whole number of the one before. */
	for (int u = 1; u < TL_TU_COUNT; u++) {
		int64_t a = tl_time_unit_ns((tl_time_unit)(u - 1)),
			b = tl_time_unit_ns((tl_time_unit)u);
		assert_true(b > a && b % a == 0);
	}
}

static void test_powers_of_ten(void **state) {
	(void)state;
	assert_int_equal(tl_time_unit_scale10(TL_TU_NS), 0);
	assert_int_equal(tl_time_unit_scale10(TL_TU_US), 3);
	assert_int_equal(tl_time_unit_scale10(TL_TU_MS), 6);
	assert_int_equal(tl_time_unit_scale10(TL_TU_S), 9);
	assert_int_equal(tl_time_unit_scale10(TL_TU_MIN), -1);
	assert_int_equal(tl_time_unit_scale10(TL_TU_H), -1);
	assert_int_equal(tl_time_unit_scale10(TL_TU_D), -1);
	assert_int_equal(tl_time_unit_scale10(TL_TU_COUNT), -1);
}

static void test_symbols_and_names(void **state) {
	(void)state;
	static const char *const sym[] = {"ns", "\xc2\xb5s", "ms", "s", "min", "h", "d"};
	static const char *const name[] = {"ns", "us", "ms", "s", "min", "h", "d"};
	for (int u = 0; u < TL_TU_COUNT; u++) {
		assert_string_equal(tl_time_unit_symbol((tl_time_unit)u), sym[u]);
		assert_string_equal(tl_time_unit_name((tl_time_unit)u), name[u]);
	}
	assert_string_equal(tl_time_unit_symbol(TL_TU_COUNT), "?");
	assert_string_equal(tl_time_unit_name(TL_TU_COUNT), "?");
}

/* The readers' units are named by these: each name and symbol, round trip. */
static void test_input_units(void **state) {
	(void)state;
	static const struct {
		const char *s;
		tl_unit u;
	} names[] = {{"s", TL_UNIT_S},
		     {"ms", TL_UNIT_MS},
		     {"us", TL_UNIT_US},
		     {"\xc2\xb5s", TL_UNIT_US},
		     {"ns", TL_UNIT_NS}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tl_unit u = TL_UNIT_DEFAULT;
		assert_true(tl_unit_from_string(names[i].s, &u));
		assert_int_equal(u, names[i].u);
	}
	const char *bad[] = {"default", "min", "h", "d", "S", "", "sec", "?"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tl_unit u = TL_UNIT_S;
		assert_false(tl_unit_from_string(bad[i], &u));
		assert_int_equal(u, TL_UNIT_S);
	}
	assert_string_equal(tl_unit_to_string(TL_UNIT_DEFAULT), "default");
	assert_string_equal(tl_unit_to_string(TL_UNIT_S), "s");
	assert_string_equal(tl_unit_to_string(TL_UNIT_MS), "ms");
	assert_string_equal(tl_unit_to_string(TL_UNIT_US), "us");
	assert_string_equal(tl_unit_to_string(TL_UNIT_NS), "ns");
	assert_string_equal(tl_unit_to_string(TL_UNIT_COUNT), "unknown");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_powers_of_ten),
		cmocka_unit_test(test_symbols_and_names),
		cmocka_unit_test(test_input_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
