/* The memory available: MemAvailable read from /proc/meminfo's text, and the limits over it. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "../../src/util/memory.h"

/* MemAvailable of text, through a FILE * as /proc/meminfo is read. */
static uint64_t available_of(const char *text) {
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	uint64_t v = tl_meminfo_available(f);
	fclose(f);
	return v;
}

static void test_meminfo_line_among_others(void **state) {
	(void)state;
	assert_int_equal(available_of("MemTotal:       16303804 kB\n"
				      "MemFree:         1234567 kB\n"
				      "MemAvailable:    8000000 kB\n"
				      "Buffers:          500000 kB\n"),
			 8000000ULL * 1024);
	/* The first line, and one without its newline at the end. */
	assert_int_equal(available_of("MemAvailable: 1 kB\n"), 1024);
	assert_int_equal(available_of("MemTotal: 5 kB\nMemAvailable: 2 kB"), 2048);
}

static void test_meminfo_without_the_line(void **state) {
	(void)state;
	assert_int_equal(available_of(""), 0);
	assert_int_equal(available_of("MemTotal: 16303804 kB\nMemFree: 1 kB\n"), 0);
	/* Another field whose name starts alike, and a value that is no number. */
	assert_int_equal(available_of("MemAvailableX: 5 kB\nMemAvailable: many kB\n"), 0);
}

static void test_meminfo_huge_value_saturates(void **state) {
	(void)state;
	assert_int_equal(available_of("MemAvailable: 18446744073709551615 kB\n"), UINT64_MAX);
}

/* A line longer than the reader's buffer does not hide the one after it. */
static void test_meminfo_after_a_long_line(void **state) {
	(void)state;
	char text[1200];
	memset(text, 'x', 1000);
	snprintf(text + 1000, sizeof(text) - 1000, "\nMemAvailable: 3 kB\n");
	assert_int_equal(available_of(text), 3072);
}

/* The address space limit bounds what is available. */
static void test_memory_within_rlimit_as(void **state) {
	(void)state;
	struct rlimit old;
	assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
	uint64_t before = tl_memory_available();
	assert_true(before > 0); /* Linux says how much memory there is */
	struct rlimit rl = old;
	/* Far above what this test uses, below any machine's free memory. */
	rl.rlim_cur = (rlim_t)1 << 40;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < rl.rlim_cur) {
		skip();
	}
	if (setrlimit(RLIMIT_AS, &rl) != 0) {
		skip(); /* a sanitizer's shadow memory is larger than any such limit */
	}
	/* No RAM figure but the limit's: whatever memory is free now, it binds. */
	uint64_t within = tl_memory_within_limits(UINT64_MAX);
	uint64_t small = tl_memory_within_limits(12345);
	setrlimit(RLIMIT_AS, &old);
	assert_true(within > 0 && within <= (uint64_t)1 << 40);
	assert_int_equal(small, 12345); /* a smaller figure stays */
}

/* The data limit (ulimit -d) bounds it too. */
static void test_memory_within_rlimit_data(void **state) {
	(void)state;
	struct rlimit old;
	assert_int_equal(getrlimit(RLIMIT_DATA, &old), 0);
	struct rlimit rl = old;
	rl.rlim_cur = (rlim_t)1 << 36;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < rl.rlim_cur) {
		skip();
	}
	if (setrlimit(RLIMIT_DATA, &rl) != 0) {
		skip();
	}
	uint64_t within = tl_memory_within_limits(UINT64_MAX);
	setrlimit(RLIMIT_DATA, &old);
	assert_true(within > 0 && within <= (uint64_t)1 << 36);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_line_among_others),
		cmocka_unit_test(test_meminfo_without_the_line),
		cmocka_unit_test(test_meminfo_huge_value_saturates),
		cmocka_unit_test(test_meminfo_after_a_long_line),
		cmocka_unit_test(test_memory_within_rlimit_as),
		cmocka_unit_test(test_memory_within_rlimit_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
