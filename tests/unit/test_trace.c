/* The trace model: interning, groups, spans, samples, metadata, stats, lanes. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "samples.h"
#include "traces.h"
#include <timeline/trace.h>

#define S(x) ((tl_ns)((x)*1000000000.0 + 0.5))

static void test_intern_same_bytes_same_id(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_str a = str(t, "alpha"), b = str(t, "beta");
	assert_int_not_equal(a, b);
	assert_int_equal(str(t, "alpha"), a);
	assert_int_equal(str(t, ""), TL_STR_NONE);
	assert_string_equal(tl_trace_str(t, a), "alpha");
	assert_int_equal(tl_trace_str_len(t, b), 4);
	/* Not NUL-terminated input, and thousands of strings through rehashing. */
	tl_str ids[5000];
	char buf[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "w%dXYZ", i);
		assert_int_equal(tl_trace_intern(t, buf, (size_t)n - 3, &ids[i], NULL), TL_OK);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "w%d", i);
		assert_string_equal(tl_trace_str(t, ids[i]), buf);
	}
	/* Pointers stay valid while more strings arrive. */
	const char *p = tl_trace_str(t, a);
	char *big = malloc(100000);
	memset(big, 'q', 100000);
	tl_str bid;
	assert_int_equal(tl_trace_intern(t, big, 100000, &bid, NULL), TL_OK);
	assert_int_equal(tl_trace_str_len(t, bid), 100000);
	assert_ptr_equal(tl_trace_str(t, a), p);
	assert_string_equal(p, "alpha");
	free(big);
	tl_trace_free(t);
}

static void test_groups_keep_first_appearance_order(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	assert_int_equal(group(t, "threads"), 0);
	assert_int_equal(group(t, "processes"), 1);
	assert_int_equal(group(t, "threads"), 0);
	assert_int_equal(group(t, "serial"), 2);
	assert_int_equal(tl_trace_group_count(t), 3);
	assert_string_equal(tl_trace_group_name(t, 1), "processes");
	uint32_t g;
	assert_true(tl_trace_find_group(t, "serial", &g));
	assert_int_equal(g, 2);
	assert_false(tl_trace_find_group(t, "nope", &g));
	tl_trace_free(t);
}

static void test_add_span_rejects_backwards(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "");
	struct tl_error err = {0};
	tl_span sp = {.group = g, .start = 10, .stop = 5};
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "span stops before it starts");
	sp = (tl_span){.group = g, .start = 1, .stop = 5, .status = -100000};
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "invalid status -100000");
	sp = (tl_span){.group = 7, .start = 1, .stop = 5};
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_USAGE);
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 0);
	tl_trace_free(t);
}

static void test_bounds_and_shift(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_ns lo = 1, hi = 2;
	assert_false(tl_trace_bounds(t, &lo, &hi));
	assert_int_equal(lo, 1);
	uint32_t g = group(t, "a");
	add_worker_span(t, g, 0, "", 100, 200);
	tl_sample sa = {.group = g, .t = 50};
	assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
	sa.t = 300;
	assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
	assert_true(tl_trace_bounds(t, &lo, &hi));
	assert_int_equal(lo, 50);
	assert_int_equal(hi, 300);
	assert_int_equal(tl_trace_shift(t, 50, NULL), TL_OK);
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	assert_int_equal(sp[0].start, 50);
	assert_int_equal(sp[0].stop, 150);
	const tl_sample *s = test_samples(t, &n);
	assert_int_equal(s[0].t, 0);
	assert_int_equal(s[1].t, 250);
	tl_trace_free(t);
}

/* Samples are kept as times and a track each; tracks are distinct (job, group, worker). */
static void test_sample_tracks(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "a"), b = group(t, "b");
	tl_str w;
	assert_int_equal(tl_trace_intern(t, "w1", 2, &w, NULL), TL_OK);
	/* Interleaved jobs, one job in two groups, one job on a worker and on none. */
	const tl_sample in[] = {
		{.t = 5, .job = 0, .group = a},
		{.t = 6, .job = 1, .group = a},
		{.t = 7, .job = 0, .group = a},
		{.t = 8, .job = 0, .group = b},
		{.t = 9, .job = 0, .group = a, .worker = w},
		{.t = 10, .job = 1, .group = a},
		{.t = 11, .job = 0, .group = a},
	};
	size_t n = sizeof(in) / sizeof(in[0]);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(tl_trace_add_sample(t, &in[i], NULL), TL_OK);
	}
	size_t nt, ns, m;
	const tl_track *tk = tl_trace_tracks(t, &nt);
	const uint32_t *id = tl_trace_sample_tracks(t, &ns);
	const tl_ns *ts = tl_trace_sample_times(t, &m);
	assert_int_equal(nt, 4);
	assert_int_equal(ns, n);
	assert_int_equal(m, n);
	assert_int_equal(tl_trace_sample_count(t), n);
	const uint32_t want[] = {0, 1, 0, 2, 3, 1, 0};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(id[i], want[i]);
		assert_int_equal(ts[i], in[i].t);
		tl_sample x = tl_trace_sample(t, i);
		assert_memory_equal(&x, &in[i], sizeof(x));
	}
	assert_int_equal(tk[2].group, b);
	assert_int_equal(tk[3].worker, w);
	/* A sample of a group that does not exist is refused, and nothing is kept. */
	tl_sample bad = {.t = 1, .group = 7};
	assert_int_equal(tl_trace_add_sample(t, &bad, NULL), TL_ERR_USAGE);
	assert_int_equal(tl_trace_sample_count(t), n);
	tl_trace_tracks(t, &nt);
	assert_int_equal(nt, 4);
	tl_trace_free(t);
}

static void test_meta_set_replace_order(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	assert_null(tl_trace_meta_get(t, "title"));
	assert_int_equal(tl_trace_meta_set(t, "title", "one", NULL), TL_OK);
	assert_int_equal(tl_trace_meta_set(t, "host", "box", NULL), TL_OK);
	assert_int_equal(tl_trace_meta_set(t, "title", "two", NULL), TL_OK);
	assert_int_equal(tl_trace_meta_count(t), 2);
	const char *k, *v;
	assert_true(tl_trace_meta_at(t, 0, &k, &v));
	assert_string_equal(k, "title");
	assert_string_equal(v, "two");
	assert_false(tl_trace_meta_at(t, 2, &k, &v));
	tl_trace_free(t);
}

static void test_status_text(void **state) {
	(void)state;
	char buf[16];
	assert_string_equal(tl_exit_status_to_string(0, buf), "0");
	assert_string_equal(tl_exit_status_to_string(3, buf), "3");
	assert_string_equal(tl_exit_status_to_string(TL_EXIT_TIMEOUT, buf), "timeout");
	assert_string_equal(tl_exit_status_to_string(TL_EXIT_SIGNAL(9), buf), "SIGKILL");
	assert_string_equal(tl_exit_status_to_string(-200, buf), "SIG200");
	int32_t s;
	assert_true(tl_exit_status_from_string("SIGKILL", 7, &s));
	assert_int_equal(s, -9);
	assert_true(tl_exit_status_from_string("sigterm", 7, &s));
	assert_int_equal(s, -15);
	assert_true(tl_exit_status_from_string("SIG11", 5, &s));
	assert_int_equal(s, -11);
	assert_true(tl_exit_status_from_string("timeout", 7, &s));
	assert_int_equal(s, TL_EXIT_TIMEOUT);
	assert_true(tl_exit_status_from_string("OK", 2, &s));
	assert_int_equal(s, 0);
	assert_true(tl_exit_status_from_string("failed", 6, &s));
	assert_int_equal(s, 1);
	assert_true(tl_exit_status_from_string("127", 3, &s));
	assert_int_equal(s, 127);
	assert_false(tl_exit_status_from_string("maybe", 5, &s));
	assert_false(tl_exit_status_from_string("99999999999", 11, &s));
	assert_false(tl_exit_status_from_string("SIGNOPE", 7, &s));
	/* Found by fuzzing: -60666666 was taken as a signal and written as one. */
	assert_false(tl_exit_status_from_string("-60666666", 9, &s));
	assert_false(tl_exit_status_from_string("-0", 2, &s));
	assert_true(tl_exit_status_from_string("-9", 2, &s));
	assert_int_equal(s, -9);
	assert_false(tl_exit_status_valid(-200));
	/* A scheduler's endings keep their names both ways. */
	const int32_t named[] = {TL_EXIT_CANCELLED, TL_EXIT_OUT_OF_MEMORY, TL_EXIT_NODE_FAIL,
				 TL_EXIT_PREEMPTED, TL_EXIT_UNFINISHED,    TL_EXIT_TIMEOUT};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const char *text = tl_exit_status_to_string(named[i], buf);
		assert_true(tl_exit_status_from_string(text, strlen(text), &s));
		assert_int_equal(s, named[i]);
		assert_true(tl_exit_status_valid(named[i]));
	}
	assert_true(tl_exit_status_failed(TL_EXIT_OUT_OF_MEMORY));
	assert_string_equal(tl_exit_status_to_string(TL_EXIT_OUT_OF_MEMORY, buf), "out_of_memory");
	assert_true(tl_exit_status_from_string("CANCELLED by 4021", 17, &s));
	assert_int_equal(s, TL_EXIT_CANCELLED);
	assert_true(tl_exit_status_valid(TL_EXIT_TIMEOUT));
}

/*
 * The seed article's experiment by hand: 4 jobs, serial 2 s each back to back,
 * threads as slow as serial, processes all at once.
 */
/* Times stay within ±TL_TIME_MAX and no further apart, so no difference overflows. */
static void test_time_range(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "");
	struct tl_error err = {0};
	tl_span sp = {.group = g, .start = 0, .stop = TL_TIME_MAX + 1};
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_INPUT);
	assert_string_equal(err.msg, "time out of range (more than 146 years from zero)");
	tl_sample sa = {.group = g, .t = INT64_MIN};
	assert_int_equal(tl_trace_add_sample(t, &sa, &err), TL_ERR_INPUT);
	/* The widest range allowed, then one more nanosecond either way. */
	sp = (tl_span){.group = g, .start = -TL_TIME_MAX / 2, .stop = -TL_TIME_MAX / 2};
	assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
	sa.t = TL_TIME_MAX / 2 + 1;
	assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
	sa.t++;
	assert_int_equal(tl_trace_add_sample(t, &sa, &err), TL_ERR_INPUT);
	assert_string_equal(err.msg, "times more than 146 years apart");
	sp.start = sp.stop = -TL_TIME_MAX / 2 - 1;
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_INPUT);
	size_t n, m;
	tl_trace_spans(t, &n);
	test_samples(t, &m);
	assert_int_equal(n + m, 2);
	/* Shifting to start at zero fits; further does not, and moves nothing. */
	assert_int_equal(tl_trace_shift(t, -TL_TIME_MAX / 2, NULL), TL_OK);
	assert_int_equal(tl_trace_shift(t, -1, &err), TL_ERR_INPUT);
	tl_ns lo, hi;
	assert_true(tl_trace_bounds(t, &lo, &hi));
	assert_int_equal(lo, 0);
	assert_int_equal(hi, TL_TIME_MAX);
	assert_int_equal(tl_trace_shift(t, INT64_MIN, &err), TL_ERR_INPUT);
	/* Busy time saturates instead of wrapping. */
	tl_trace_free(t);
	t = tl_trace_new();
	g = group(t, "");
	for (int i = 0; i < 3; i++) {
		sp = (tl_span){.group = g, .job = i, .start = 0, .stop = TL_TIME_MAX};
		assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
	}
	tl_group_stats *st = NULL;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].wall, TL_TIME_MAX);
	assert_int_equal(st[0].busy, INT64_MAX);
	free(st);
	tl_trace_free(t);
}

static void test_stats_hand_computed(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t se = group(t, "serial"), th = group(t, "threads"), pr = group(t, "processes");
	for (int j = 0; j < 4; j++) {
		add_worker_span(t, se, j, "0", S(2 * j), S(2 * j + 2));
	}
	for (int j = 0; j < 4; j++) {
		add_worker_span(t, th, j, j % 2 ? "b" : "a", S(0.5 * j), S(8.0 - 0.5 * (3 - j)));
	}
	for (int j = 0; j < 4; j++) {
		add_worker_span(t, pr, j, "p", S(0.1), S(2.1));
	}
	/* A failed job in processes on another worker. */
	tl_span f = {.group = pr,
		     .job = 4,
		     .worker = str(t, "q"),
		     .start = S(0.2),
		     .stop = S(0.3),
		     .status = 1};
	assert_int_equal(tl_trace_add_span(t, &f, NULL), TL_OK);

	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].jobs, 4);
	assert_int_equal(st[0].workers, 1);
	assert_true(st[0].workers_named);
	assert_int_equal(st[0].wall, S(8));
	assert_int_equal(st[0].busy, S(8));
	assert_true(st[0].against_serial);
	assert_float_equal(st[0].speedup, 1.0, 1e-12);
	assert_float_equal(st[0].concurrency, 1.0, 1e-12);

	/*
	 * threads: starts 0,0.5,1,1.5; stops 6.5,7,7.5,8 on workers a,b,a,b: a is
	 * busy 0-7.5 and b 0.5-8, so busy 15 (not 26: a worker's overlapping spans
	 * count once), wall 8.
	 */
	assert_int_equal(st[1].jobs, 4);
	assert_int_equal(st[1].workers, 2);
	assert_int_equal(st[1].wall, S(8));
	assert_int_equal(st[1].busy, S(15));
	assert_float_equal(st[1].concurrency, 15.0 / 8.0, 1e-12);
	assert_float_equal(st[1].speedup, 1.0, 1e-12);

	assert_int_equal(st[2].jobs, 5);
	assert_int_equal(st[2].workers, 2);
	assert_int_equal(st[2].failed, 1);
	assert_int_equal(st[2].first, S(0.1));
	assert_int_equal(st[2].wall, S(2));
	assert_int_equal(st[2].busy, S(2.1)); /* p's four spans are one 0.1-2.1; q's 0.1 */
	assert_float_equal(st[2].speedup, 4.0, 1e-12);
	free(st);
	tl_trace_free(t);
}

/* The workers tl_trace_stats() counts in the first group of t. */
static size_t st_workers(const tl_trace *t) {
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	size_t w = st[0].workers;
	free(st);
	return w;
}

/*
 * Spans naming no worker beside some that do are one more worker, their
 * busy time the union of them: they once counted per job and as no worker,
 * so concurrency passed the workers (p0, p1 and two unnamed jobs, all
 * 0-4 s: 2 workers, busy 16 s, 4.00).
 */
static void test_stats_unnamed_worker(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "");
	add_worker_span(t, g, 0, "a", 0, S(1));
	add_worker_span(t, g, 1, "", S(0.5), S(2));
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].workers, 2);
	assert_true(st[0].workers_named);
	/* a's [0, 1] and the unnamed worker's [0.5, 2]: 1 + 1.5 over a wall of 2. */
	assert_int_equal(st[0].busy, S(2.5));
	assert_float_equal(st[0].concurrency, 1.25, 1e-12);
	free(st);
	tl_trace_free(t);
	t = tl_trace_new();
	g = group(t, "");
	add_worker_span(t, g, 0, "p0", 0, S(4));
	add_worker_span(t, g, 1, "p1", 0, S(4));
	add_worker_span(t, g, 2, "", 0, S(4));
	add_worker_span(t, g, 3, "", 0, S(4));
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].workers, 3);
	assert_int_equal(st[0].busy, S(12));
	assert_float_equal(st[0].concurrency, 3.0, 1e-12);
	free(st);
	tl_trace_free(t);
}

/*
 * Several inputs in one trace: the groups of each range of TL_META_GROUPS
 * ran at the same time (one Chrome trace's processes), the ranges are
 * separate runs. Speedups compare across ranges only; all of two Chrome
 * traces' groups were once "at the same time".
 */
static void test_speedup_concurrent_ranges(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	const char *names[] = {"a:pid 1", "a:pid 2", "b:pid 1", "b:pid 2", "c"};
	const double wall[] = {4, 3, 2, 1, 8};
	for (int i = 0; i < 5; i++) {
		add_worker_span(t, group(t, names[i]), 0, "w", 0, S(wall[i]));
	}
	assert_int_equal(tl_trace_meta_set(t, TL_META_GROUPS, "concurrent 0-1 2-3", NULL), TL_OK);
	assert_false(tl_trace_comparable(t, 0, 1));
	assert_false(tl_trace_comparable(t, 3, 2));
	assert_true(tl_trace_comparable(t, 1, 1));
	assert_true(tl_trace_comparable(t, 1, 2));
	assert_true(tl_trace_comparable(t, 4, 0));
	uint32_t ref = 99;
	assert_true(tl_trace_reference(t, NULL, &ref));
	assert_int_equal(ref, 0);
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_float_equal(st[0].speedup, 1.0, 1e-12);
	assert_float_equal(st[1].speedup, 0.0, 0);
	assert_float_equal(st[2].speedup, 2.0, 1e-12);
	assert_float_equal(st[3].speedup, 4.0, 1e-12);
	assert_float_equal(st[4].speedup, 0.5, 1e-12);
	free(st);
	assert_int_equal(tl_trace_stats_against(t, "b:pid 2", &st, NULL), TL_OK);
	assert_float_equal(st[2].speedup, 0.0, 0);
	assert_float_equal(st[0].speedup, 0.25, 1e-12);
	free(st);
	/* Only groups that ran together have data: nothing to compare. */
	tl_trace *u = tl_trace_new();
	add_worker_span(u, group(u, "a:pid 1"), 0, "w", 0, S(1));
	add_worker_span(u, group(u, "a:pid 2"), 0, "w", 0, S(2));
	group(u, "b");
	assert_int_equal(tl_trace_meta_set(u, TL_META_GROUPS, "concurrent 0-1", NULL), TL_OK);
	assert_false(tl_trace_reference(u, NULL, &ref));
	assert_int_equal(tl_trace_meta_set(u, TL_META_GROUPS, TL_GROUPS_SEPARATE, NULL), TL_OK);
	assert_true(tl_trace_reference(u, NULL, &ref));
	assert_int_equal(tl_trace_meta_set(u, TL_META_GROUPS, TL_GROUPS_CONCURRENT, NULL), TL_OK);
	assert_false(tl_trace_reference(u, NULL, &ref));
	assert_false(tl_trace_comparable(u, 0, 2));
	tl_trace_free(u);
	tl_trace_free(t);
}

/* A call inside a call on one thread is not work done twice. */
static void test_stats_nested_spans(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "1");
	add_worker_span(t, g, 0, "1", 0, 100000);
	add_worker_span(t, g, 1, "1", 10000, 90000);
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].busy, 100000);
	assert_float_equal(st[0].concurrency, 1.0, 1e-12);
	free(st);
	tl_trace_free(t);
	/* Without workers, each job is its own: jobs -1 and 2^63 - 1 are two. */
	t = tl_trace_new();
	g = group(t, "");
	add_worker_span(t, g, -1, "", 0, 1000);
	add_worker_span(t, g, INT64_MAX, "", 0, 1000);
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].busy, 2000);
	free(st);
	tl_trace_free(t);
}

/*
 * For random traces of nested, overlapping and touching spans, some naming
 * no worker: busy time is the union of each worker's spans, those naming
 * none beside some that do being one more worker (checked against a sweep
 * over every boundary), so concurrency never exceeds the workers. A span
 * with an empty worker beside named ones once counted per job and no worker:
 * 0,a,0,1 and 1,,0.5,2 gave 1 worker, busy 2.5, concurrency 1.25.
 */
static void test_stats_busy_is_a_union(void **state) {
	(void)state;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 600; round++) {
		tl_trace *t = tl_trace_new();
		uint32_t g = group(t, "g");
		/* Worker nw is the unnamed one; in odd rounds, spans may have it. */
		int nw = 1 + (int)(x % 4), n = 1 + (int)((x >> 8) % 30);
		bool mixed = round % 2, named = false, unnamed = false;
		tl_ns lo[40], hi[40];
		int w[40];
		for (int i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			w[i] = (int)(x % (uint64_t)(nw + mixed));
			lo[i] = (tl_ns)((x >> 8) % 50);
			hi[i] = lo[i] + (tl_ns)((x >> 20) % 30); /* zero-length and touching too */
			char name[8];
			snprintf(name, sizeof(name), "w%d", w[i]);
			add_worker_span(t, g, i, w[i] == nw ? "" : name, lo[i], hi[i]);
			named |= w[i] < nw;
			unnamed |= w[i] == nw;
		}
		/* Independent: each unit of time each worker is busy, counted once. */
		tl_ns want = 0, first = lo[0], last = hi[0];
		for (int k = 0; k <= nw; k++) {
			for (tl_ns u = 0; u < 80; u++) {
				bool on = false;
				for (int i = 0; i < n; i++) {
					on |= w[i] == k && lo[i] <= u && u < hi[i];
				}
				want += on;
			}
		}
		if (!named) {
			/* No span names a worker: each job (each span here) is its own. */
			want = 0;
			for (int i = 0; i < n; i++) {
				want += hi[i] - lo[i];
			}
		} else {
			int distinct = 0;
			for (int k = 0; k < nw; k++) {
				bool has = false;
				for (int i = 0; i < n; i++) {
					has |= w[i] == k;
				}
				distinct += has;
			}
			assert_int_equal(st_workers(t), distinct + unnamed);
		}
		for (int i = 0; i < n; i++) {
			first = lo[i] < first ? lo[i] : first;
			last = hi[i] > last ? hi[i] : last;
		}
		tl_group_stats *st;
		assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
		assert_int_equal(st[0].busy, want);
		assert_true(st[0].busy <= (tl_ns)st[0].workers * (last - first));
		assert_true(st[0].concurrency <= (double)st[0].workers + 1e-12);
		free(st);
		tl_trace_free(t);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	}
}

static void test_stats_without_serial_and_workers(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "");
	/* Three overlapping at t=1.5, no worker column: 3 lanes. */
	add_worker_span(t, g, 0, "", S(0), S(2));
	add_worker_span(t, g, 1, "", S(1), S(3));
	add_worker_span(t, g, 2, "", S(1.5), S(2.5));
	add_worker_span(t, g, 3, "", S(3), S(4)); /* touches job 1's stop: may share its lane */
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_false(st[0].workers_named);
	assert_int_equal(st[0].workers, 3);
	assert_int_equal(st[0].wall, S(4));
	assert_int_equal(st[0].busy, S(6));
	assert_false(st[0].against_serial);
	/* One group compares with none: no speedup (concurrency is its own figure). */
	assert_float_equal(st[0].speedup, 0.0, 0);
	assert_int_equal(st[0].reference, UINT32_MAX);
	free(st);
	tl_trace_free(t);
}

/* The one definition of speedup: serial, else the first group, else the baseline asked for. */
static void test_speedup_reference(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "threads"), b = group(t, "processes");
	add_worker_span(t, a, 0, "w", S(0), S(4));
	add_worker_span(t, b, 0, "w", S(0), S(1));
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[1].reference, a);
	assert_float_equal(st[0].speedup, 1.0, 1e-12);
	assert_float_equal(st[1].speedup, 4.0, 1e-12);
	free(st);
	assert_int_equal(tl_trace_stats_against(t, "processes", &st, NULL), TL_OK);
	assert_float_equal(st[0].speedup, 0.25, 1e-12);
	free(st);
	uint32_t s = group(t, "serial");
	add_worker_span(t, s, 0, "w", S(0), S(8));
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_true(st[0].against_serial);
	assert_float_equal(st[1].speedup, 8.0, 1e-12);
	free(st);
	/* Groups that ran at the same time are not alternatives. */
	assert_int_equal(tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, NULL), TL_OK);
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_float_equal(st[1].speedup, 0.0, 0);
	free(st);
	tl_trace_free(t);
}

static void test_stats_samples_only(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "threads");
	int64_t jobs[] = {0, 1, 0, 1, 0};
	double times[] = {0.0, 0.5, 1.0, 2.0, 3.0};
	for (int i = 0; i < 5; i++) {
		tl_sample s = {.group = g, .job = jobs[i], .t = S(times[i])};
		assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	}
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].jobs, 2);
	assert_int_equal(st[0].samples, 5);
	assert_int_equal(st[0].wall, S(3));
	assert_int_equal(st[0].busy, S(3) + S(1.5));
	assert_int_equal(st[0].workers, 2);
	free(st);
	tl_trace_free(t);
}

static void test_stats_zero_wall(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "x");
	add_worker_span(t, g, 0, "", 5, 5);
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].wall, 0);
	assert_float_equal(st[0].concurrency, 0.0, 0);
	assert_float_equal(st[0].speedup, 0.0, 0);
	free(st);
	tl_trace_free(t);
}

/*
 * Degenerate traces: no groups, a group with nothing in it (a run interrupted
 * before the group began), one sample, a serial group of no duration. All
 * zeros where a ratio is undefined, never a division by zero.
 */
static void test_stats_empty_and_single(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	tl_group_stats *st = NULL;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_non_null(st);
	free(st);
	uint32_t serial = group(t, "serial"), empty = group(t, "empty"), one = group(t, "one");
	uint32_t threads = group(t, "threads");
	add_worker_span(t, serial, 0, "", S(1), S(1));
	tl_sample s = {.group = one, .job = 7, .t = S(2)};
	assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	add_worker_span(t, threads, 0, "w", S(0), S(2));
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[empty].jobs, 0);
	assert_int_equal(st[empty].workers, 0);
	assert_int_equal(st[empty].spans + st[empty].samples, 0);
	assert_int_equal(st[empty].wall, 0);
	assert_float_equal(st[empty].speedup, 0.0, 0);
	assert_int_equal(st[one].jobs, 1);
	assert_int_equal(st[one].workers, 1);
	assert_int_equal(st[one].wall, 0);
	assert_int_equal(st[one].busy, 0);
	assert_float_equal(st[one].concurrency, 0.0, 0);
	/* Against a serial wall of zero: no speedup (0, "undefined"). */
	assert_int_equal(st[threads].wall, S(2));
	assert_float_equal(st[threads].concurrency, 1.0, 0);
	assert_float_equal(st[threads].speedup, 0.0, 0);
	free(st);
	tl_trace_free(t);
}

static void test_pack_lanes_no_overlap(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t a = group(t, "a"), b = group(t, "b");
	srand(7);
	for (int i = 0; i < 500; i++) {
		tl_ns s = rand() % 1000, d = 1 + rand() % 50;
		add_worker_span(t, i % 3 ? a : b, i, "", s, s + d);
	}
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	uint32_t *lane = calloc(n, sizeof(*lane));
	size_t lanes;
	assert_int_equal(tl_trace_pack_lanes(t, a, lane, &lanes, NULL), TL_OK);
	/* No two spans of a lane overlap, and lanes = the most open at one instant. */
	size_t most = 0;
	for (size_t i = 0; i < n; i++) {
		if (sp[i].group != a) {
			continue;
		}
		assert_true(lane[i] < lanes);
		size_t open = 0;
		for (size_t j = 0; j < n; j++) {
			if (sp[j].group != a) {
				continue;
			}
			if (sp[j].start <= sp[i].start && sp[i].start < sp[j].stop) {
				open++;
			}
			if (j != i && lane[j] == lane[i]) {
				assert_true(sp[j].stop <= sp[i].start || sp[i].stop <= sp[j].start);
			}
		}
		most = open > most ? open : most;
	}
	assert_int_equal(lanes, most);
	free(lane);
	tl_trace_free(t);
}

static void test_limits(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new();
	uint32_t g = group(t, "g");
	tl_trace_set_limits(t, 3, 0);
	add_worker_span(t, g, 0, "w", 0, 1);
	tl_sample sa = {.group = g, .t = 5};
	assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_OK);
	add_worker_span(t, g, 1, "w", 0, 1);
	/* The fourth row, span or sample, is refused; nothing is added. */
	struct tl_error err = {0};
	tl_span sp = {.group = g, .start = 0, .stop = 1};
	assert_int_equal(tl_trace_add_span(t, &sp, &err), TL_ERR_NOMEM);
	assert_string_equal(err.msg, "more than 3 spans and samples: the row limit (--max-rows)");
	assert_int_equal(tl_trace_add_sample(t, &sa, NULL), TL_ERR_NOMEM);
	size_t n;
	tl_trace_spans(t, &n);
	assert_int_equal(n, 2);
	/* A reservation is only a hint and stays within the row limit. */
	size_t before = tl_trace_memory(t);
	assert_int_equal(tl_trace_reserve(t, 1000000, 0, NULL), TL_OK);
	assert_int_equal(tl_trace_memory(t), before);
	tl_trace_free(t);

	/* A byte budget: growth that would pass it fails, with the budget named. */
	t = tl_trace_new();
	g = group(t, "g");
	size_t base = tl_trace_memory(t);
	assert_true(base > 0 && base < 100000);
	tl_trace_set_limits(t, 0, 100000);
	size_t added = 0;
	tl_status st = TL_OK;
	while (st == TL_OK && added < 100000) {
		sp.start = (tl_ns)added;
		sp.stop = sp.start + 1;
		st = tl_trace_add_span(t, &sp, &err);
		added += st == TL_OK;
	}
	assert_int_equal(st, TL_ERR_NOMEM);
	char want[160];
	snprintf(want, sizeof(want),
		 "memory limit reached: the trace would take more than 98 KiB after %zu spans "
		 "and samples (--max-memory)",
		 added);
	assert_string_equal(err.msg, want);
	assert_true(tl_trace_memory(t) <= 100000);
	/* 64 KiB of string block, then spans doubling: 512 fit, 1024 would not. */
	assert_int_equal(added, 512);
	/* Strings count too: a 200 000-byte name does not fit. */
	tl_str id;
	assert_int_equal(tl_trace_intern(t, "", 0, &id, NULL), TL_OK);
	char *big = malloc(200000);
	memset(big, 'x', 200000);
	assert_int_equal(tl_trace_intern(t, big, 200000, &id, &err), TL_ERR_NOMEM);
	free(big);
	/* Raising the limit lets it grow again. */
	tl_trace_set_limits(t, 0, 0);
	assert_int_equal(tl_trace_add_span(t, &sp, NULL), TL_OK);
	tl_trace_free(t);
}

/* Merged inputs' groups never merge by name: "x:y" from two inputs is two groups. */
static void test_merge_keeps_inputs_apart(void **state) {
	(void)state;
	tl_trace *a = tl_trace_new(), *b = tl_trace_new(), *m = tl_trace_new();
	uint32_t g;
	assert_int_equal(tl_trace_group(a, "y", 1, &g, NULL), TL_OK);
	tl_span s = {.group = g, .start = 0, .stop = 1};
	assert_int_equal(tl_trace_add_span(a, &s, NULL), TL_OK);
	assert_int_equal(tl_trace_group(b, "", 0, &g, NULL), TL_OK);
	s = (tl_span){.group = g, .start = 0, .stop = 5};
	assert_int_equal(tl_trace_add_span(b, &s, NULL), TL_OK);
	assert_int_equal(tl_trace_merge(m, a, "x", NULL), TL_OK);
	assert_int_equal(tl_trace_merge(m, b, "x:y", NULL), TL_OK);
	assert_int_equal(tl_trace_group_count(m), 2);
	assert_string_equal(tl_trace_group_name(m, 0), "x:y");
	assert_string_equal(tl_trace_group_name(m, 1), "x:y (2)");
	tl_trace_free(a);
	tl_trace_free(b);
	tl_trace_free(m);
}

/* Samples seen as spans: a job's first to last sample; groups with spans untouched. */
static void test_envelopes(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new(), *e = NULL;
	uint32_t live, pool, lone;
	tl_str w1, w2;
	assert_int_equal(tl_trace_group(t, "live", 4, &live, NULL), TL_OK);
	assert_int_equal(tl_trace_group(t, "pool", 4, &pool, NULL), TL_OK);
	assert_int_equal(tl_trace_group(t, "lone", 4, &lone, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "w1", 2, &w1, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "w2", 2, &w2, NULL), TL_OK);
	assert_false(tl_trace_needs_envelopes(t));
	/* live: job 7 on w1 at 30, 10, 20 (out of order); job 3 moves from w1 to w2. */
	const tl_sample in[] = {{30, 7, live, w1},         {10, 7, live, w1}, {5, 3, live, w1},
				{20, 7, live, w1},         {9, 3, live, w2},  {40, 1, pool, w1},
				{50, 2, lone, TL_STR_NONE}};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(tl_trace_add_sample(t, &in[i], NULL), TL_OK);
	}
	tl_span s = {.start = 0, .stop = 100, .job = 1, .group = pool, .worker = w2};
	assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
	assert_true(tl_trace_needs_envelopes(t));
	assert_int_equal(tl_trace_envelopes(t, &e, NULL), TL_OK);
	size_t n, m;
	const tl_span *sp = tl_trace_spans(e, &n);
	test_samples(e, &m);
	assert_int_equal(m, 7);
	assert_int_equal(n, 4);
	/* The pool's own span first, then the envelopes by group and job. */
	assert_int_equal(sp[0].stop, 100);
	assert_int_equal(sp[1].group, live);
	assert_int_equal(sp[1].job, 3);
	assert_int_equal(sp[1].start, 5);
	assert_int_equal(sp[1].stop, 9);
	assert_int_equal(sp[1].worker, TL_STR_NONE);
	assert_int_equal(sp[2].job, 7);
	assert_int_equal(sp[2].start, 10);
	assert_int_equal(sp[2].stop, 30);
	assert_string_equal(tl_trace_str(e, sp[2].worker), "w1");
	assert_int_equal(sp[3].group, lone);
	assert_int_equal(sp[3].start, 50);
	assert_int_equal(sp[3].stop, 50);
	assert_false(tl_trace_needs_envelopes(e));
	tl_trace_free(e);
	tl_trace_free(t);
}

/* Groups that ran at once folded into one: workers from group names, jobs apart. */
static void test_fold(void **state) {
	(void)state;
	tl_trace *t = tl_trace_new(), *f = NULL;
	uint32_t a, b;
	tl_str w;
	assert_int_equal(tl_trace_group(t, "align", 5, &a, NULL), TL_OK);
	assert_int_equal(tl_trace_group(t, "call", 4, &b, NULL), TL_OK);
	assert_int_equal(tl_trace_intern(t, "node1", 5, &w, NULL), TL_OK);
	/* Job 1 in both groups: numbered anew. */
	const tl_span in[] = {
		{.start = 0, .stop = 5, .job = 1, .group = a},
		{.start = 1, .stop = 2, .job = 2, .group = a, .worker = w},
		{.start = 3, .stop = 9, .job = 1, .group = b, .status = 1, .wait = 4}};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(tl_trace_add_span(t, &in[i], NULL), TL_OK);
	}
	assert_false(tl_trace_foldable(t, 2)); /* one after another, as far as it says */
	assert_int_equal(tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, NULL), TL_OK);
	assert_int_equal(tl_trace_meta_set(t, "title", "run 7", NULL), TL_OK);
	assert_true(tl_trace_foldable(t, 2));
	assert_false(tl_trace_foldable(t, 3));
	assert_int_equal(tl_trace_fold(t, &f, NULL), TL_OK);
	assert_int_equal(tl_trace_group_count(f), 1);
	assert_string_equal(tl_trace_group_name(f, 0), "");
	assert_string_equal(tl_trace_meta_get(f, "title"), "run 7");
	assert_null(tl_trace_meta_get(f, TL_META_GROUPS));
	assert_null(tl_trace_meta_get(f, TL_META_WORKERS_ARE_GROUPS)); /* one named node1 */
	size_t n;
	const tl_span *sp = tl_trace_spans(f, &n);
	assert_int_equal(n, 3);
	assert_int_equal(sp[0].job, 0);
	assert_int_equal(sp[1].job, 1);
	assert_int_equal(sp[2].job, 2);
	assert_string_equal(tl_trace_str(f, sp[0].worker), "align");
	assert_string_equal(tl_trace_str(f, sp[1].worker), "node1");
	assert_string_equal(tl_trace_str(f, sp[2].worker), "call");
	assert_string_equal(tl_trace_str(f, sp[2].label), "call \xc2\xb7 job 1");
	assert_int_equal(sp[2].status, 1);
	assert_int_equal(sp[2].wait, 4);
	assert_int_equal(sp[2].stop, 9);
	tl_trace_free(f);
	tl_trace_free(t);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_tracks),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_envelopes),
		cmocka_unit_test(test_merge_keeps_inputs_apart),
		cmocka_unit_test(test_intern_same_bytes_same_id),
		cmocka_unit_test(test_groups_keep_first_appearance_order),
		cmocka_unit_test(test_add_span_rejects_backwards),
		cmocka_unit_test(test_bounds_and_shift),
		cmocka_unit_test(test_time_range),
		cmocka_unit_test(test_meta_set_replace_order),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_stats_hand_computed),
		cmocka_unit_test(test_stats_nested_spans),
		cmocka_unit_test(test_stats_unnamed_worker),
		cmocka_unit_test(test_speedup_concurrent_ranges),
		cmocka_unit_test(test_stats_busy_is_a_union),
		cmocka_unit_test(test_stats_without_serial_and_workers),
		cmocka_unit_test(test_speedup_reference),
		cmocka_unit_test(test_stats_samples_only),
		cmocka_unit_test(test_stats_zero_wall),
		cmocka_unit_test(test_stats_empty_and_single),
		cmocka_unit_test(test_pack_lanes_no_overlap),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
