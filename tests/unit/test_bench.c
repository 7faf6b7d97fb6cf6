/* Benchmark figures (tl_trace_bench), checked against values worked out by hand. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/trace.h>

#include "traces.h"

/* Doubles compared to within eps, both printed when they differ. */
#define assert_near(a, b, eps)                                                                     \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps))) {                                                   \
			fail_msg("%.17g is not %.17g (within %g)", a_, b_, (double)(eps));         \
		}                                                                                  \
	} while (0)

/* Runs of one command laid back to back from 0, as the hyperfine reader lays them. */
static void runs(tl_trace *t, uint32_t g, int64_t job, const char *cmd, const tl_ns *times,
		 const int32_t *status, size_t n) {
	tl_str label = cmd ? str(t, cmd) : TL_STR_NONE;
	tl_ns at = 0;
	for (size_t i = 0; i < n; i++) {
		tl_span sp = {.group = g,
			      .job = job,
			      .label = label,
			      .start = at,
			      .stop = at + times[i],
			      .status = status ? status[i] : 0};
		assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
		at = sp.stop;
	}
}

static tl_bench_stats *bench(const tl_trace *t, size_t want_n) {
	tl_bench_stats *b = NULL;
	size_t n = 99;
	assert_int_equal(tl_trace_bench(t, &b, &n, NULL), TL_OK);
	assert_int_equal(n, want_n);
	return b;
}

/*
 * tests/data/good/hyperfine.json. sleep 0.1: 101, 104 and 102.5 ms: mean
 * 102.5 ms, deviations -1.5, +1.5 and 0 ms, so σ = sqrt(4.5 / 2) = 1.5 ms.
 * ./flaky: 40 ms, then 60 ms with exit code 1: mean 50 ms, median 50 ms,
 * σ = sqrt((100 + 100) / 1) = 14.142135623... ms; the fastest. sleep's
 * relative speed: 102.5 / 50 = 2.05, ± 2.05 * sqrt((1.5 / 102.5)^2 +
 * (14.1421356 / 50)^2) = 2.05 * sqrt(0.000214158 + 0.08) = 0.580603135.
 */
static void test_bench_hyperfine_example(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "hyperfine");
	runs(t, g, 0, "sleep 0.1", (tl_ns[]){101 * MS, 104 * MS, 102500000}, NULL, 3);
	runs(t, g, 1, "./flaky --seed 7", (tl_ns[]){40 * MS, 60 * MS}, (int32_t[]){0, 1}, 2);
	tl_bench_stats *b = bench(t, 2);
	assert_string_equal(tl_trace_str(t, b[0].label), "sleep 0.1");
	assert_int_equal(b[0].group, g);
	assert_int_equal(b[0].job, 0);
	assert_int_equal(b[0].runs, 3);
	assert_int_equal(b[0].failed, 0);
	assert_int_equal(b[0].mean, 102500000);
	assert_int_equal(b[0].stddev, 1500000);
	assert_int_equal(b[0].median, 102500000);
	assert_int_equal(b[0].min, 101000000);
	assert_int_equal(b[0].max, 104000000);
	assert_false(b[0].fastest);
	assert_near(b[0].relative, 2.05, 1e-12);
	assert_near(b[0].relative_stddev, 0.5806031346797913, 1e-12);

	assert_string_equal(tl_trace_str(t, b[1].label), "./flaky --seed 7");
	assert_int_equal(b[1].runs, 2);
	assert_int_equal(b[1].failed, 1);
	assert_int_equal(b[1].mean, 50000000);
	assert_int_equal(b[1].stddev, 14142136);
	assert_int_equal(b[1].median, 50000000);
	assert_int_equal(b[1].min, 40000000);
	assert_int_equal(b[1].max, 60000000);
	assert_true(b[1].fastest);
	assert_near(b[1].relative, 1.0, 0);
	assert_near(b[1].relative_stddev, -1, 0);
	free(b);
	tl_trace_free(t);
}

/*
 * Halves: runs of 1 and 2 ns have mean 1.5 and median 1.5, both rounded up to
 * 2; σ = sqrt(0.5) = 0.707 rounds to 1. Unordered times: 30, 10, 20 sort to a
 * median of 20.
 */
static void test_bench_rounding_and_order(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	runs(t, g, 0, "halves", (tl_ns[]){1, 2}, NULL, 2);
	runs(t, g, 1, NULL, (tl_ns[]){30, 10, 20}, NULL, 3);
	tl_bench_stats *b = bench(t, 2);
	assert_int_equal(b[0].mean, 2);
	assert_int_equal(b[0].median, 2);
	assert_int_equal(b[0].stddev, 1);
	assert_int_equal(b[1].label, TL_STR_NONE);
	assert_int_equal(b[1].median, 20);
	assert_int_equal(b[1].mean, 20);
	assert_int_equal(b[1].stddev, 10); /* sqrt((100 + 100 + 0) / 2) */
	assert_int_equal(b[1].min, 10);
	assert_int_equal(b[1].max, 30);
	/* 20 / 1.5 */
	assert_near(b[1].relative, 40.0 / 3.0, 1e-12);
	free(b);
	tl_trace_free(t);
}

/*
 * One run has no σ (hyperfine's stddev is null): nor has a ratio against it.
 * fast: one run of 10 ns; slow: 20 and 40 ns, mean 30: relative 3, no ±.
 */
static void test_bench_single_run(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	runs(t, g, 0, "fast", (tl_ns[]){10}, NULL, 1);
	runs(t, g, 1, "slow", (tl_ns[]){20, 40}, NULL, 2);
	tl_bench_stats *b = bench(t, 2);
	assert_int_equal(b[0].stddev, -1);
	assert_int_equal(b[0].median, 10);
	assert_true(b[0].fastest);
	assert_int_equal(b[1].stddev, 14); /* sqrt(200) = 14.14 */
	assert_near(b[1].relative, 3.0, 1e-12);
	assert_near(b[1].relative_stddev, -1, 0);
	free(b);
	tl_trace_free(t);
}

/*
 * Equal means: the first is the reference (hyperfine's min_by keeps the
 * first); the other is 1.00 with a ± of sqrt(2) * σ / mean: both 10 and 30
 * ns, σ = sqrt(200), so sqrt(2) * sqrt(200) / 20 = 1.
 */
static void test_bench_tie(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	runs(t, g, 0, "a", (tl_ns[]){10, 30}, NULL, 2);
	runs(t, g, 1, "b", (tl_ns[]){30, 10}, NULL, 2);
	tl_bench_stats *b = bench(t, 2);
	assert_true(b[0].fastest);
	assert_false(b[1].fastest);
	assert_near(b[0].relative_stddev, -1, 0);
	assert_near(b[1].relative, 1.0, 0);
	assert_near(b[1].relative_stddev, 1.0, 1e-12);
	free(b);
	tl_trace_free(t);
}

/* A fastest mean of 0: hyperfine compares nothing; relative 0, no ±. */
static void test_bench_zero_times(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	runs(t, g, 0, "nothing", (tl_ns[]){0, 0, 0}, NULL, 3);
	runs(t, g, 1, "something", (tl_ns[]){5, 7}, NULL, 2);
	tl_bench_stats *b = bench(t, 2);
	assert_int_equal(b[0].mean, 0);
	assert_int_equal(b[0].stddev, 0);
	assert_true(b[0].fastest);
	assert_near(b[0].relative, 0, 0);
	assert_near(b[1].relative, 0, 0);
	assert_near(b[1].relative_stddev, -1, 0);
	free(b);
	tl_trace_free(t);
}

/*
 * Groups are compared within themselves, in group then job order; a
 * signal and a timeout are failures; an unfinished span has no time and is
 * no run.
 */
static void test_bench_groups_failures_unfinished(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "a"), b2 = group(t, "b");
	runs(t, b2, 0, "b0", (tl_ns[]){100, 300}, NULL, 2);
	runs(t, a, 3, "a3", (tl_ns[]){8, 12}, (int32_t[]){TL_EXIT_SIGNAL(9), TL_EXIT_TIMEOUT}, 2);
	runs(t, a, 1, "a1", (tl_ns[]){4, 4, 4}, (int32_t[]){0, 0, TL_EXIT_UNFINISHED}, 3);
	tl_bench_stats *b = bench(t, 3);
	assert_int_equal(b[0].group, a);
	assert_int_equal(b[0].job, 1);
	assert_int_equal(b[0].runs, 2);
	assert_int_equal(b[0].failed, 0);
	assert_int_equal(b[0].stddev, 0);
	assert_true(b[0].fastest);
	assert_int_equal(b[1].job, 3);
	assert_int_equal(b[1].failed, 2);
	assert_near(b[1].relative, 2.5, 1e-12); /* 10 / 4 */
	/* σ of a1 is 0: 2.5 * sqrt((sqrt(8) / 10)^2 + 0) = 2.5 * 0.28284271 */
	assert_near(b[1].relative_stddev, 0.7071067811865476, 1e-12);
	assert_int_equal(b[2].group, b2);
	assert_true(b[2].fastest);
	assert_near(b[2].relative, 1.0, 0);
	free(b);
	tl_trace_free(t);
}

static void test_bench_empty(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_bench_stats *b = (tl_bench_stats *)&b;
	size_t n = 99;
	assert_int_equal(tl_trace_bench(t, &b, &n, NULL), TL_OK);
	assert_null(b);
	assert_int_equal(n, 0);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bench_hyperfine_example),
		cmocka_unit_test(test_bench_rounding_and_order),
		cmocka_unit_test(test_bench_single_run),
		cmocka_unit_test(test_bench_tie),
		cmocka_unit_test(test_bench_zero_times),
		cmocka_unit_test(test_bench_groups_failures_unfinished),
		cmocka_unit_test(test_bench_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
