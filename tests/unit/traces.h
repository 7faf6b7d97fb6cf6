#ifndef TIMELINE_TESTS_TRACES_H
#define TIMELINE_TESTS_TRACES_H

/*
 * Traces built in tests, each step asserted to succeed: a group or a string
 * by name, a span with or without a worker. Times in ns; MS and SEC are a
 * millisecond and a second of them.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <timeline/trace.h>

#define MS 1000000LL
#define SEC 1000000000LL

/* The group called name (made when new). */
static inline uint32_t group(tl_trace *t, const char *name) {
	uint32_t g;
	assert_int_equal(tl_trace_group(t, name, strlen(name), &g, NULL), TL_OK);
	return g;
}

/* The interned string s. */
static inline tl_str str(tl_trace *t, const char *s) {
	tl_str id;
	assert_int_equal(tl_trace_intern(t, s, strlen(s), &id, NULL), TL_OK);
	return id;
}

/*
 * n samples of group g at pseudo-random times in [0, 1 ms): three jobs in
 * runs of 37, their order shifted half way (so that the halves of a panel
 * end a cell on different jobs), on worker w1, and every fifth on w2 when
 * workers is 2.
 */
static inline void add_mixed_samples(tl_trace *t, uint32_t g, int n, int workers) {
	uint64_t x = 7;
	for (int i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		tl_sample s = {.group = g,
			       .job = (int64_t)((i / 37 + (i > n / 2)) % 3),
			       .worker = str(t, workers > 1 && i % 5 == 0 ? "w2" : "w1"),
			       .t = (tl_ns)((x >> 33) % 1000000)};
		assert_int_equal(tl_trace_add_sample(t, &s, NULL), TL_OK);
	}
}

/* Job job of group g from start to stop, on no worker. */
static inline void add_span(tl_trace *t, uint32_t g, int64_t job, tl_ns start, tl_ns stop) {
	tl_span s = {.group = g, .job = job, .start = start, .stop = stop};
	assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
}

/* Job job of group g from start to stop, on the worker called worker. */
static inline void add_worker_span(tl_trace *t, uint32_t g, int64_t job, const char *worker,
				   tl_ns start, tl_ns stop) {
	tl_span s = {
		.group = g, .job = job, .worker = str(t, worker), .start = start, .stop = stop};
	assert_int_equal(tl_trace_add_span(t, &s, NULL), TL_OK);
}

#endif
