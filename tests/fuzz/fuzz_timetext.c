/*
 * libFuzzer target for the time-text parsers. Besides "never crash, never
 * read past len", it checks what each promises: an accepted value lies within
 * ±TL_TIME_MAX (a time of day within [0, 24 h)), a rejection leaves the
 * out-parameters alone, blanks around the text change nothing, and whatever
 * parses as a date-time looks like one.
 */

#include "../../src/io/timetext.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UNSET INT64_C(0x5a5a5a5a5a5a5a5a)

static void check(const char *what, tl_num rc, tl_ns v, tl_ns lo, tl_ns hi) {
	if (rc == TL_NUM_OK ? v < lo || v > hi : v != UNSET) {
		fprintf(stderr, "%s: rc %d value %lld\n", what, (int)rc, (long long)v);
		abort();
	}
	if (rc != TL_NUM_OK && rc != TL_NUM_EMPTY && rc != TL_NUM_SYNTAX && rc != TL_NUM_RANGE) {
		fprintf(stderr, "%s: unexpected rc %d\n", what, (int)rc);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	/* An exact-size copy, so ASan sees any read past the end. */
	char *s = malloc(size ? size : 1);
	char *padded = malloc(size + 2);
	if (!s || !padded) {
		abort();
	}
	memcpy(s, data, size);
	padded[0] = ' ';
	memcpy(padded + 1, data, size);
	padded[size + 1] = '\t';

	tl_ns v = UNSET, w = UNSET;
	bool d = false, d2 = false;
	tl_num rc = tl_parse_datetime(s, size, &v, &d);
	check("datetime", rc, v, -TL_TIME_MAX, TL_TIME_MAX);
	tl_num rc2 = tl_parse_datetime(padded, size + 2, &w, &d2);
	if (rc != rc2 || v != w || d != d2) {
		fprintf(stderr, "datetime: blanks around change the result\n");
		abort();
	}
	if ((rc == TL_NUM_OK || rc == TL_NUM_RANGE) && !tl_looks_like_datetime(s, size)) {
		fprintf(stderr, "datetime parsed but does not look like one\n");
		abort();
	}

	v = w = UNSET;
	rc = tl_parse_time_of_day(s, size, &v);
	check("time of day", rc, v, 0, INT64_C(86400000000000) - 1);
	rc2 = tl_parse_time_of_day(padded, size + 2, &w);
	if (rc != rc2 || v != w) {
		fprintf(stderr, "time of day: blanks around change the result\n");
		abort();
	}
	if (rc == TL_NUM_OK && !tl_looks_like_datetime(s, size)) {
		fprintf(stderr, "time of day parsed but does not look like one\n");
		abort();
	}

	v = w = UNSET;
	rc = tl_parse_duration_text(s, size, &v);
	check("duration", rc, v, -TL_TIME_MAX, TL_TIME_MAX);
	rc2 = tl_parse_duration_text(padded, size + 2, &w);
	if (rc != rc2 || v != w) {
		fprintf(stderr, "duration: blanks around change the result\n");
		abort();
	}

	free(padded);
	free(s);
	return 0;
}
