/*
 * libFuzzer target for the CSV reader on several threads: an input read on
 * one thread and cut into chunks read on 2 to 4 (however small it is) must
 * give the same trace, or the same error, whether samples are kept or
 * counted in their tracks only. The chunks' fast row reader, its repeated
 * rows and the merge in file order are checked against the one-thread
 * reader, which the other targets check on their own.
 */

#include "../../src/io/csv.h"

#include <timeline/timeline.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The outcome of a read as text: the error, or the trace as native CSV and its tracks. */
static char *outcome(const uint8_t *data, size_t size, const tl_read_opts *o) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		abort();
	}
	if (tl_read_mem((const char *)data, size, "fuzz.in", o, &t, &err) != TL_OK) {
		char line[2048];
		fprintf(f, "error %d %s\n", err.code, tl_error_format(&err, line, sizeof(line)));
	} else {
		if (tl_csv_write(t, f, "mem", NULL) != TL_OK) {
			abort();
		}
		size_t n;
		const tl_track *k = tl_trace_tracks(t, &n);
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "track %u %lld %u %zu %lld %lld\n", k[i].group,
				(long long)k[i].job, k[i].worker, k[i].samples,
				(long long)k[i].first, (long long)k[i].last);
		}
		tl_ns lo = 0, hi = 0;
		fprintf(f, "bounds %d %lld %lld\n", tl_trace_bounds(t, &lo, &hi), (long long)lo,
			(long long)hi);
	}
	fclose(f);
	tl_trace_free(t);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .strict = size % 2, .tracks_only = size / 2 % 2};
	tl_csv_set_split(SIZE_MAX, 1);
	char *one = outcome(data, size, &o);
	int threads = 2 + (int)(size % 3);
	tl_csv_set_split(0, threads);
	char *many = outcome(data, size, &o);
	if (strcmp(one, many) != 0) {
		fprintf(stderr, "%d threads read otherwise:\n--- one thread\n%s--- %d\n%s", threads,
			one, threads, many);
		abort();
	}
	free(one);
	free(many);
	return 0;
}
