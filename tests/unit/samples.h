#ifndef TIMELINE_TESTS_SAMPLES_H
#define TIMELINE_TESTS_SAMPLES_H

#include <timeline/trace.h>

#include <stdlib.h>

/*
 * The trace's samples as one array of tl_sample, as tests compare them. The
 * array is the helper's; it stays valid for the next three calls.
 */
static inline const tl_sample *test_samples(const tl_trace *t, size_t *ret_n) {
	static tl_sample *keep[4];
	static int next;
	size_t n = tl_trace_sample_count(t);
	tl_sample *a = realloc(keep[next], (n ? n : 1) * sizeof(*a));
	if (!a) {
		abort();
	}
	keep[next] = a;
	next = (next + 1) % 4;
	for (size_t i = 0; i < n; i++) {
		a[i] = tl_trace_sample(t, i);
	}
	*ret_n = n;
	return a;
}

#endif
