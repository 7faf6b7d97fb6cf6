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
