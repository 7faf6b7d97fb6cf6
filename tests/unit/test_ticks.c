/* Axis ticks: 1-2-5 steps, the unit for the range, exact labels. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/render/ticks.h"

#define NS 1LL
#define US 1000LL
#define MS 1000000LL
#define SEC 1000000000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static void check(tl_ns lo, tl_ns hi, int max, tl_ns want_step, tl_time_unit want_unit,
		  const char *want_first_label, const char *want_second_label) {
	struct tl_ticks t;
	tl_ticks_compute(lo, hi, max, &t);
	char a[64], b[64];
	tl_ticks_label(&t, t.first, a, sizeof(a));
	tl_ticks_label(&t, t.first + t.step, b, sizeof(b));
	if (t.step != want_step || t.unit != want_unit || strcmp(a, want_first_label) ||
	    strcmp(b, want_second_label)) {
		fail_msg("[%lld, %lld] max %d: step %lld unit %s labels %s %s; want step %lld "
			 "unit %s labels %s %s",
			 (long long)lo, (long long)hi, max, (long long)t.step,
			 tl_time_unit_symbol(t.unit), a, b, (long long)want_step,
			 tl_time_unit_symbol(want_unit), want_first_label, want_second_label);
	}
	/* Steps are 1, 2 or 5 × 10^k (below clock units) and the count respects the limit. */
	tl_ns m = t.step;
	while (m % 10 == 0) {
		m /= 10;
	}
	assert_true(m == 1 || m == 2 || m == 5 || t.unit >= TL_TU_MIN);
	assert_true(t.count <= max);
	assert_true(t.count >= 2 || hi - lo < 2 * t.step);
	assert_true(t.first >= lo && t.first - lo < t.step);
}

static void test_ranges_from_ns_to_hours(void **state) {
	(void)state;
	check(0, 40 * NS, 10, 5 * NS, TL_TU_NS, "0", "5");
	check(0, 900 * NS, 10, 100 * NS, TL_TU_NS, "0", "100");
	check(0, 25 * US, 10, 5 * US, TL_TU_US, "0", "5");
	check(0, 8 * MS, 10, 1 * MS, TL_TU_MS, "0", "1");
	check(0, 25 * MS, 6, 5 * MS, TL_TU_MS, "0", "5");
	check(0, 1200 * MS, 7, 200 * MS, TL_TU_S, "0.0", "0.2");
	check(0, 4 * SEC, 9, 500 * MS, TL_TU_S, "0.0", "0.5");
	check(0, 28 * SEC, 8, 5 * SEC, TL_TU_S, "0", "5");
	check(0, 3 * 3600 * SEC, 8, 30 * MIN, TL_TU_H, "0", "30 min");
	check(0, 30 * 24 * 3600 * SEC, 6, 10 * DAY, TL_TU_D, "0", "10 d");
	/* Not starting at zero, and negative times. */
	check(3 * SEC + 1, 9 * SEC, 7, 1 * SEC, TL_TU_S, "4", "5");
	check(-2 * MS, 2 * MS, 5, 1 * MS, TL_TU_MS, "-2", "-1");
	check(1500 * US, 1750 * US, 6, 50 * US, TL_TU_US, "1500", "1550");
	check(0, 50 * MS, 11, 5 * MS, TL_TU_MS, "0", "5");
	check(0, 1 * SEC, 3, 500 * MS, TL_TU_S, "0.0", "0.5");
	check(0, 3 * SEC, 40, 100 * MS, TL_TU_S, "0.0", "0.1");
	check(0, 2 * SEC, 500, 5 * MS, TL_TU_S, "0.000", "0.005");
}

/* Found by fuzzing: a span of 1.7e18 ns found no step and the caller looped. */
static void test_huge_ranges(void **state) {
	(void)state;
	struct tl_ticks t;
	tl_ticks_compute(0, INT64_MAX, 2, &t);
	assert_true(t.count <= 2);
	tl_ticks_compute(INT64_MIN / 2, INT64_MAX / 2, 3, &t);
	assert_true(t.count <= 3 && t.count >= 1);
	tl_ticks_compute(1704500000000LL, 1700000029500000000LL, 2, &t);
	assert_true(t.count <= 2 && t.count >= 1);
}

/* From five minutes, clock steps and labels that carry their units. */
static void test_clock_units(void **state) {
	(void)state;
	check(0, 4 * MIN, 5, 50 * SEC, TL_TU_S, "0", "50"); /* under five minutes: seconds */
	check(0, 10 * MIN, 12, 1 * MIN, TL_TU_MIN, "0", "1 min");
	check(0, 45 * MIN, 10, 5 * MIN, TL_TU_MIN, "0", "5 min");
	check(0, 5 * MIN, 30, 15 * SEC, TL_TU_MIN, "0", "15 s");
	check(0, 2 * HOUR, 9, 15 * MIN, TL_TU_H, "0", "15 min");
	check(100 * SEC, 900 * SEC, 10, 2 * MIN, TL_TU_MIN, "2 min", "4 min");
	check(-10 * MIN, 10 * MIN, 5, 5 * MIN, TL_TU_MIN, "-10 min", "-5 min");
	check(0, 4 * DAY, 5, 1 * DAY, TL_TU_D, "0", "1 d");
	struct tl_ticks t;
	tl_ticks_compute(0, 2 * HOUR, 9, &t);
	assert_true(tl_ticks_self_labelled(&t));
	assert_string_equal(tl_time_unit_title(t.unit), "Time");
	char buf[64];
	tl_ticks_label(&t, 90 * MIN, buf, sizeof(buf));
	assert_string_equal(buf, "1 h 30 min");
	tl_ticks_label(&t, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	tl_ticks_compute(0, 5 * MIN, 30, &t);
	tl_ticks_label(&t, 75 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "1 min 15 s");
	tl_ticks_compute(0, 30 * DAY, 40, &t);
	tl_ticks_label(&t, 2 * DAY + 12 * HOUR, buf, sizeof(buf));
	assert_string_equal(buf, "2 d 12 h");
	tl_ticks_compute(0, 4 * MIN, 5, &t);
	assert_false(tl_ticks_self_labelled(&t));
}

static void test_labels_exact(void **state) {
	(void)state;
	struct tl_ticks t;
	tl_ticks_compute(0, 1 * SEC, 12, &t);
	char buf[64];
	tl_ticks_label(&t, 3 * t.step, buf, sizeof(buf));
	assert_string_equal(buf, "0.3"); /* never 0.30000000000000004 */
	tl_ticks_label(&t, -7 * t.step, buf, sizeof(buf));
	assert_string_equal(buf, "-0.7");
}

static void test_format_duration(void **state) {
	(void)state;
	char buf[64];
	tl_format_duration(4100 * MS, buf, sizeof(buf));
	assert_string_equal(buf, "4.10 s");
	tl_format_duration(24 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "24.0 s");
	tl_format_duration(250 * MS, buf, sizeof(buf));
	assert_string_equal(buf, "250 ms");
	tl_format_duration(1500 * NS, buf, sizeof(buf));
	assert_string_equal(buf, "1.50 \xc2\xb5s");
	tl_format_duration(12, buf, sizeof(buf));
	assert_string_equal(buf, "12 ns");
	/* From 100 s, clock units rounded to the smaller shown. */
	tl_format_duration(99940 * MS, buf, sizeof(buf));
	assert_string_equal(buf, "99.9 s");
	tl_format_duration(99960 * MS, buf, sizeof(buf));
	assert_string_equal(buf, "1 min 40 s");
	tl_format_duration(776 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "12 min 56 s");
	tl_format_duration(-776 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "-12 min 56 s");
	tl_format_duration(7200 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "2 h");
	tl_format_duration(10976 * SEC, buf, sizeof(buf));
	assert_string_equal(buf, "3 h 3 min");
	tl_format_duration(3599600 * MS, buf, sizeof(buf));
	assert_string_equal(buf, "1 h");
	tl_format_duration(2 * DAY + 5 * HOUR + 20 * MIN, buf, sizeof(buf));
	assert_string_equal(buf, "2 d 5 h");
	tl_format_duration(INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "106751 d 23 h");
	tl_format_duration(INT64_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-106751 d 23 h");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges_from_ns_to_hours),
		cmocka_unit_test(test_huge_ranges),
		cmocka_unit_test(test_clock_units),
		cmocka_unit_test(test_labels_exact),
		cmocka_unit_test(test_format_duration),
	};
	return cmocka_run_group_tests_name("ticks", tests, NULL, NULL);
}
