/* Number parsing to nanoseconds, UTF-8 checks, message columns and byte scans. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/io/bytescan.h"
#include "../../src/io/scan.h"

static tl_num dec(const char *s, int scale, int64_t *v) {
	return tl_parse_decimal(s, strlen(s), scale, v);
}

static void expect_ns(const char *s, int scale, int64_t want) {
	int64_t v = 12345;
	tl_num rc = dec(s, scale, &v);
	if (rc != TL_NUM_OK || v != want) {
		fail_msg("'%s' (scale %d): rc %d value %lld, want %lld", s, scale, (int)rc,
			 (long long)v, (long long)want);
	}
}

static void test_decimal_seconds_to_ns(void **state) {
	(void)state;
	expect_ns("0", 9, 0);
	expect_ns("1", 9, 1000000000);
	expect_ns("1.5", 9, 1500000000);
	expect_ns("0.000000001", 9, 1);
	expect_ns("-0.25", 9, -250000000);
	expect_ns("+2", 9, 2000000000);
	expect_ns(".5", 9, 500000000);
	expect_ns("5.", 9, 5000000000);
	expect_ns("  3.25 ", 9, 3250000000);
	expect_ns("007", 9, 7000000000);
}

static void test_decimal_epoch_exact(void **state) {
	(void)state;
	/* 19 significant digits: an epoch time to the nanosecond. */
	expect_ns("1795325994.708123456", 9, 1795325994708123456LL);
	expect_ns("9223372036.854775807", 9, INT64_MAX);
	expect_ns("-9223372036.854775807", 9, -INT64_MAX);
	expect_ns("1700000000.123456", 9, 1700000000123456000LL);
}

static void test_decimal_rounding_half_away(void **state) {
	(void)state;
	expect_ns("0.0000000015", 9, 2);
	expect_ns("0.0000000014999", 9, 1);
	expect_ns("-0.0000000015", 9, -2);
	expect_ns("1.23456789049", 9, 1234567890);
	expect_ns("0.0000000005", 9, 1);
	expect_ns("0.0000000004", 9, 0);
	expect_ns("0.12345678901234567891234", 9, 123456789);
}

static void test_decimal_exponents(void **state) {
	(void)state;
	expect_ns("1e3", 0, 1000);
	expect_ns("1.5E-3", 9, 1500000);
	expect_ns("2.5e+2", 9, 250000000000LL);
	expect_ns("1e-10", 9, 0);
	expect_ns("1e-20", 9, 0);
	expect_ns("0e500", 9, 0);
	int64_t v;
	assert_int_equal(dec("1e400", 9, &v), TL_NUM_RANGE);
	assert_int_equal(dec("1e", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("1e+", 9, &v), TL_NUM_SYNTAX);
}

static void test_decimal_units(void **state) {
	(void)state;
	expect_ns("1.5", 6, 1500000); /* ms */
	expect_ns("1.5", 3, 1500);    /* us */
	expect_ns("1500", 0, 1500);   /* ns */
	expect_ns("1.6", 0, 2);       /* ns rounds */
}

static void test_decimal_rejects(void **state) {
	(void)state;
	int64_t v = 77;
	assert_int_equal(dec("", 9, &v), TL_NUM_EMPTY);
	assert_int_equal(dec("   ", 9, &v), TL_NUM_EMPTY);
	assert_int_equal(dec("abc", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("1.2.3", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("-", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec(".", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("1,5", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("0x10", 9, &v), TL_NUM_SYNTAX);
	assert_int_equal(dec("nan", 9, &v), TL_NUM_NONFINITE);
	assert_int_equal(dec("NaN", 9, &v), TL_NUM_NONFINITE);
	assert_int_equal(dec("-inf", 9, &v), TL_NUM_NONFINITE);
	assert_int_equal(dec("Infinity", 9, &v), TL_NUM_NONFINITE);
	assert_int_equal(dec("9223372036.854775808", 9, &v), TL_NUM_RANGE);
	assert_int_equal(dec("10000000000", 9, &v), TL_NUM_RANGE);
	assert_int_equal(v, 77); /* untouched on failure */
}

static void test_decimal_two_million_digits(void **state) {
	(void)state;
	size_t n = 2000000;
	char *s = malloc(n + 3);
	assert_non_null(s);
	memset(s, '9', n);
	s[n] = '\0';
	int64_t v;
	assert_int_equal(tl_parse_decimal(s, n, 9, &v), TL_NUM_RANGE);
	/* A tiny number written with two million zeros is just zero. */
	s[0] = '0';
	s[1] = '.';
	memset(s + 2, '0', n - 1);
	s[n] = '7';
	assert_int_equal(tl_parse_decimal(s, n + 1, 9, &v), TL_NUM_OK);
	assert_int_equal(v, 0);
	free(s);
}

static void test_parse_int(void **state) {
	(void)state;
	int64_t v;
	assert_int_equal(tl_parse_int("42", 2, &v), TL_NUM_OK);
	assert_int_equal(v, 42);
	assert_int_equal(tl_parse_int("3.0", 3, &v), TL_NUM_OK);
	assert_int_equal(v, 3);
	assert_int_equal(tl_parse_int("-7", 2, &v), TL_NUM_OK);
	assert_int_equal(v, -7);
	assert_int_equal(tl_parse_int("2.5", 3, &v), TL_NUM_SYNTAX);
	assert_int_equal(tl_parse_int("job1", 4, &v), TL_NUM_SYNTAX);
	/* All 19 digits: a joblog's Seq 3333333330006148914 was read back as a name. */
	assert_int_equal(tl_parse_int("3333333330006148914", 19, &v), TL_NUM_OK);
	assert_int_equal(v, 3333333330006148914LL);
	assert_int_equal(tl_parse_int("9223372036854775807", 19, &v), TL_NUM_OK);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(tl_parse_int("-9223372036854775808", 20, &v), TL_NUM_OK);
	assert_int_equal(v, INT64_MIN);
	assert_int_equal(tl_parse_int("9223372036854775808", 19, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_int("99999999999999999999", 20, &v), TL_NUM_RANGE);
	assert_int_equal(tl_parse_int("3333333330006148914.0", 21, &v), TL_NUM_OK);
	assert_int_equal(v, 3333333330006148914LL);
	assert_int_equal(tl_parse_int("3333333330006148914.5", 21, &v), TL_NUM_SYNTAX);
}

static void test_utf8_check(void **state) {
	(void)state;
	const char ok[] = "job \xe4\xbb\xbb\xe5\x8a\xa1 \xf0\x9f\x98\x80 \xc2\xb5s";
	assert_int_equal(tl_utf8_check(ok, strlen(ok)), strlen(ok));
	assert_int_equal(tl_utf8_check("ab\xff", 3), 2);
	assert_int_equal(tl_utf8_check("a\xc0\x80", 3), 1);        /* overlong NUL */
	assert_int_equal(tl_utf8_check("\xed\xa0\x80", 3), 0);     /* surrogate */
	assert_int_equal(tl_utf8_check("x\xe4\xbb", 3), 1);        /* truncated */
	assert_int_equal(tl_utf8_check("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	assert_int_equal(tl_utf8_check("\x80", 1), 0);             /* lone continuation */
}

static void test_column_counts_characters(void **state) {
	(void)state;
	const char line[] = "\xe4\xbb\xbb\xe5\x8a\xa1,x";
	assert_int_equal(tl_column(line, line), 1);
	assert_int_equal(tl_column(line, line + 6), 3);
	assert_int_equal(tl_column(line, line + 7), 4);
}

static void test_status_from_double(void **state) {
	(void)state;
	assert_int_equal(tl_exit_status_from_double(0), 0);
	assert_int_equal(tl_exit_status_from_double(3), 3);
	assert_int_equal(tl_exit_status_from_double(-9), -9); /* killed by signal 9 */
	/* Not a status: failed, without an undefined cast. */
	assert_int_equal(tl_exit_status_from_double(1e300), 1);
	assert_int_equal(tl_exit_status_from_double(-1e300), 1);
	assert_int_equal(tl_exit_status_from_double(2.5), 1);
	assert_int_equal(tl_exit_status_from_double(-100000), 1);
}

static void test_excerpt(void **state) {
	(void)state;
	char buf[128];
	assert_string_equal(tl_excerpt("abc", 3, buf, sizeof(buf)), "abc");
	assert_string_equal(tl_excerpt("a\tb", 3, buf, sizeof(buf)), "a?b");
	char long_s[100];
	memset(long_s, 'x', sizeof(long_s));
	const char *e = tl_excerpt(long_s, sizeof(long_s), buf, sizeof(buf));
	assert_int_equal(strlen(e), 43);
	assert_string_equal(e + 40, "...");
}

/* A buffer of exactly n bytes on the heap, so that ASan sees a load past its end. */
static char *exact(const char *s, size_t n) {
	char *b = malloc(n ? n : 1);
	assert_non_null(b);
	memcpy(b, s, n);
	return b;
}

/* Deterministic bytes: mostly letters, with line ends, separators and quotes. */
static void fill(char *b, size_t n, uint32_t seed) {
	static const char alphabet[] = "abc,\n\"\r0123456789.";
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
	}
}

/* Line ends and the first NUL byte, at every length around the 16-byte steps and past 255 of them.
 */
static void test_count_lines(void **state) {
	(void)state;
	static const size_t lens[] = {0, 1, 15, 16, 17, 31, 32, 33, 4079, 4080, 4081, 4096, 10007};
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		size_t n = lens[li];
		char *src = malloc(n + 1);
		assert_non_null(src);
		fill(src, n, (uint32_t)n);
		size_t want = 0;
		for (size_t i = 0; i < n; i++) {
			want += src[i] == '\n';
		}
		char *b = exact(src, n);
		const char *nul = NULL;
		assert_int_equal(tl_bytes_count_lines(b, b + n, &nul), want);
		assert_null(nul);
		free(b);
		/* A NUL at a few places: the first is found, counts unchanged. */
		for (size_t at = 0; at < n; at += n / 3 + 1) {
			char saved = src[at];
			src[at] = '\0';
			size_t w = want - (saved == '\n');
			b = exact(src, n);
			nul = NULL;
			assert_int_equal(tl_bytes_count_lines(b, b + n, &nul), w);
			assert_ptr_equal(nul, b + at);
			/* A NUL seen before stays the one reported. */
			const char *earlier = b;
			assert_int_equal(tl_bytes_count_lines(b, b + n, &earlier), w);
			assert_ptr_equal(earlier, b);
			free(b);
			src[at] = saved;
		}
		free(src);
	}
}

/* The next field end: each stop byte found at every offset, and none past the range. */
static void test_stops_next(void **state) {
	(void)state;
	struct tl_stops st;
	tl_stops_init(&st, ';');
	static const char stops[] = {';', '\n', '\r', '"', '\0'};
	for (size_t n = 1; n <= 40; n++) {
		for (size_t at = 0; at < n; at++) {
			for (size_t k = 0; k < sizeof(stops); k++) {
				char src[40];
				memset(src, 'x', n);
				src[at] = stops[k];
				char *b = exact(src, n);
				assert_ptr_equal(tl_stops_next(&st, b, b + n), b + at);
				free(b);
			}
		}
		char src[40];
		memset(src, ',', n); /* not this table's separator */
		char *b = exact(src, n);
		assert_ptr_equal(tl_stops_next(&st, b, b + n), b + n);
		free(b);
	}
}

/* The stops of 32 bytes at once: bit i for byte i, as the byte table says. */
static void test_stops_mask32(void **state) {
	(void)state;
	struct tl_stops st;
	tl_stops_init(&st, '\t');
	for (uint32_t seed = 1; seed < 200; seed++) {
		char src[32];
		fill(src, sizeof(src), seed);
		src[seed % 32] = seed % 3 ? '\t' : '\0';
		char *b = exact(src, sizeof(src));
		uint32_t want = 0;
		for (int i = 0; i < 32; i++) {
			char ch = b[i];
			want |= (uint32_t)(ch == '\t' || ch == '\n' || ch == '\r' || ch == '"' ||
					   ch == '\0')
				<< i;
		}
		assert_int_equal(tl_stops_mask32(&st, b), want);
		free(b);
	}
}

/* Byte equality at every length to 40, with a difference at every place. */
static void test_bytes_equal(void **state) {
	(void)state;
	for (size_t n = 0; n <= 40; n++) {
		char src[41];
		fill(src, n, 7);
		char *a = exact(src, n), *b = exact(src, n);
		assert_true(tl_bytes_equal(a, b, n));
		for (size_t at = 0; at < n; at++) {
			b[at] ^= 1;
			assert_false(tl_bytes_equal(a, b, n));
			b[at] ^= 1;
		}
		free(a);
		free(b);
	}
}

/* The unit of bare time numbers, guessed from the first: epoch ms, us or ns, or a clock's ns. */
static void test_guess_bare_unit(void **state) {
	(void)state;
	bool epoch = true;
	int scale = -7;
	assert_false(tl_guess_bare_unit("99999999999", 11, &epoch, &scale)); /* below 10^11 */
	assert_false(tl_guess_bare_unit("1.5", 3, &epoch, &scale));
	assert_false(tl_guess_bare_unit("x", 1, &epoch, &scale));
	assert_true(epoch);
	assert_int_equal(scale, -7);
	assert_true(tl_guess_bare_unit("1700000000000", 13, &epoch, &scale)); /* 2023, ms */
	assert_true(epoch);
	assert_int_equal(scale, 6);
	assert_true(tl_guess_bare_unit("1700000000000000", 16, &epoch, &scale)); /* us */
	assert_true(epoch);
	assert_int_equal(scale, 3);
	assert_true(tl_guess_bare_unit("1700000000000000000", 19, &epoch, &scale)); /* ns */
	assert_true(epoch);
	assert_int_equal(scale, 0);
	/* Since boot, in ns: no epoch time of any unit. */
	assert_true(tl_guess_bare_unit("123456789012", 12, &epoch, &scale));
	assert_false(epoch);
	assert_int_equal(scale, 0);
}

/* The inline plain form agrees with the full reader wherever it answers, and leaves the rest to it.
 */
static void test_parse_time_plain(void **state) {
	(void)state;
	static const char *const yes[] = {
		"0",    "1.5", "-2.25", "0.000000295", "123456789.123456789", "170000000.123456789",
		"00012"};
	static const char *const no[] = {"",      "1e3", " 1",  "1 ",         "+1",
					 "1.5.5", "--1", "1,5", "9223372037", "1234567890123456789",
					 "."};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		tl_ns a = 1, b = 2;
		assert_true(tl_parse_time_plain(yes[i], strlen(yes[i]), 9, &a));
		assert_int_equal(tl_parse_time(yes[i], strlen(yes[i]), 9, &b), TL_NUM_OK);
		assert_int_equal(a, b);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		tl_ns a = 1;
		if (tl_parse_time_plain(no[i], strlen(no[i]), 9, &a)) {
			fail_msg("'%s' read as plain: %lld", no[i], (long long)a);
		}
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal_seconds_to_ns),
		cmocka_unit_test(test_decimal_epoch_exact),
		cmocka_unit_test(test_decimal_rounding_half_away),
		cmocka_unit_test(test_decimal_exponents),
		cmocka_unit_test(test_decimal_units),
		cmocka_unit_test(test_decimal_rejects),
		cmocka_unit_test(test_decimal_two_million_digits),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_column_counts_characters),
		cmocka_unit_test(test_status_from_double),
		cmocka_unit_test(test_excerpt),
		cmocka_unit_test(test_count_lines),
		cmocka_unit_test(test_stops_next),
		cmocka_unit_test(test_stops_mask32),
		cmocka_unit_test(test_bytes_equal),
		cmocka_unit_test(test_guess_bare_unit),
		cmocka_unit_test(test_parse_time_plain),
	};
	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
