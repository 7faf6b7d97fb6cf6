/*
 * Several inputs as one (src/io/inputs.c): placed from zero or at their
 * absolute times, merged with their groups named after them, and which
 * groups ran at the same time said, input by input.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/timeline.h>

#define S ((tl_ns)1000000000)

static tl_trace *read_csv(const char *csv, const char *name) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_read_mem(csv, strlen(csv), name, NULL, &t, &err), TL_OK);
	return t;
}

static tl_ns first_start(const tl_trace *t) {
	tl_ns lo = -1, hi;
	assert_true(tl_trace_bounds(t, &lo, &hi));
	return lo;
}

/* Epoch times: 1700000000 s and one second later; relative times: 5 s in. */
static const char epoch_a[] = "start,stop\n1700000000,1700000002\n";
static const char epoch_b[] = "start,stop\n1700000001,1700000003\n";
static const char relative[] = "start,stop\n5,6\n";

static void test_align_from_zero(void **state) {
	(void)state;
	tl_trace *t[2] = {read_csv(relative, "a.csv"), read_csv(epoch_b, "b.csv")};
	struct tl_error err = {0};
	assert_int_equal(tl_traces_align(t, NULL, 2, TL_TIMES_START, &err), TL_OK);
	assert_int_equal(first_start(t[0]), 0);
	assert_int_equal(first_start(t[1]), 0);
	tl_trace_free(t[0]);
	tl_trace_free(t[1]);
}

static void test_align_absolute(void **state) {
	(void)state;
	tl_trace *t[2] = {read_csv(epoch_b, "b.csv"), read_csv(epoch_a, "a.csv")};
	struct tl_error err = {0};
	assert_true(tl_trace_has_absolute_time(t[0]));
	assert_int_equal(tl_traces_align(t, NULL, 2, TL_TIMES_ABSOLUTE, &err), TL_OK);
	/* b ran a second after a, the earliest. */
	assert_int_equal(first_start(t[0]), S);
	assert_int_equal(first_start(t[1]), 0);
	tl_trace_free(t[0]);
	tl_trace_free(t[1]);
}

static void test_align_absolute_needs_a_clock(void **state) {
	(void)state;
	tl_trace *t[2] = {read_csv(epoch_a, "a.csv"), read_csv(relative, "r.csv")};
	const char *paths[] = {"a.csv", "r.csv"};
	struct tl_error err = {0};
	assert_false(tl_trace_has_absolute_time(t[1]));
	assert_int_equal(tl_traces_align(t, paths, 2, TL_TIMES_ABSOLUTE, &err), TL_ERR_INPUT);
	assert_string_equal(err.path, "r.csv");
	assert_string_equal(err.msg, "no absolute time to align by (epoch times or "
				     "beginningOfTime); use --align start");
	tl_trace_free(t[0]);
	tl_trace_free(t[1]);
}

static void test_one_input_stays(void **state) {
	(void)state;
	tl_trace *t = read_csv(relative, "r.csv");
	struct tl_error err = {0};
	assert_int_equal(tl_traces_align(&t, NULL, 1, TL_TIMES_START, &err), TL_OK);
	assert_int_equal(first_start(t), 5 * S);
	tl_trace_free(t);
}

static void test_merge_names_groups(void **state) {
	(void)state;
	const tl_trace *t[3] = {
		read_csv("mode,start,stop\nthreads,0,1\nprocesses,1,2\n", "a.csv"),
		read_csv(relative, "b.csv"),
		read_csv(epoch_a, "c.csv"),
	};
	const char *names[] = {"a", "b", "c"}, *paths[] = {"x/a.csv", "x/b.csv", "x/c.csv"};
	bool want[] = {true, true, false};
	tl_trace *m = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_traces_merge(t, names, paths, want, 3, NULL, &m, &err), TL_OK);
	assert_int_equal(tl_trace_group_count(m), 3);
	assert_string_equal(tl_trace_group_name(m, 0), "a:threads");
	assert_string_equal(tl_trace_group_name(m, 1), "a:processes");
	assert_string_equal(tl_trace_group_name(m, 2), "b");
	assert_string_equal(tl_trace_meta_get(m, TL_META_GROUPS), TL_GROUPS_SEPARATE);
	assert_null(tl_trace_meta_get(m, TL_META_CLOCKLESS_INPUT));
	tl_trace_free(m);
	/* With c, dated, among them: a, the first, has no time of day. */
	assert_int_equal(tl_traces_merge(t, names, paths, NULL, 3, NULL, &m, &err), TL_OK);
	assert_string_equal(tl_trace_meta_get(m, TL_META_CLOCKLESS_INPUT), "x/a.csv");
	tl_trace_free(m);
	for (int i = 0; i < 3; i++) {
		tl_trace_free((tl_trace *)t[i]);
	}
}

/* The groups of one input that ran at the same time still did; no others. */
static void test_merge_says_which_ran_together(void **state) {
	(void)state;
	const tl_trace *t[2] = {
		read_csv(relative, "a.csv"),
		/* Read off one clock, overlapping: they ran at the same time. */
		read_csv("mode,start,stop\nx,1700000000,1700000002\ny,1700000001,1700000003\n",
			 "b.csv"),
	};
	assert_string_equal(tl_trace_meta_get(t[1], TL_META_GROUPS), TL_GROUPS_CONCURRENT);
	const char *names[] = {"a", "b"};
	tl_trace *m = NULL;
	struct tl_error err = {0};
	assert_int_equal(tl_traces_merge(t, names, NULL, NULL, 2, NULL, &m, &err), TL_OK);
	assert_string_equal(tl_trace_meta_get(m, TL_META_GROUPS), TL_GROUPS_CONCURRENT " 1-2");
	tl_trace_free(m);
	tl_trace_free((tl_trace *)t[0]);
	tl_trace_free((tl_trace *)t[1]);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_align_from_zero),
		cmocka_unit_test(test_align_absolute),
		cmocka_unit_test(test_align_absolute_needs_a_clock),
		cmocka_unit_test(test_one_input_stays),
		cmocka_unit_test(test_merge_names_groups),
		cmocka_unit_test(test_merge_says_which_ran_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
