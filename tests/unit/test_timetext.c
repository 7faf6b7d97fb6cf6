/* Date-times, times of day and durations written as text, to exact nanoseconds. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/io/timetext.h"

#define S INT64_C(1000000000)
#define MIN (60 * S)
#define HOUR (3600 * S)
#define DAY (86400 * S)

/* 2023-11-14T22:13:20Z */
#define T0 INT64_C(1700000000000000000)

static void expect_dt(const char *s, tl_ns want, bool want_date_only) {
	tl_ns v = 12345;
	bool d = !want_date_only;
	tl_num rc = tl_parse_datetime(s, strlen(s), &v, &d);
	if (rc != TL_NUM_OK || v != want || d != want_date_only) {
		fail_msg("datetime '%s': rc %d value %lld date_only %d, want %lld %d", s, (int)rc,
			 (long long)v, (int)d, (long long)want, (int)want_date_only);
	}
}

static void reject_dt(const char *s, tl_num want) {
	tl_ns v = 12345;
	bool d = true;
	tl_num rc = tl_parse_datetime(s, strlen(s), &v, &d);
	if (rc != want || v != 12345 || !d) {
		fail_msg("datetime '%s': rc %d value %lld, want rc %d and nothing written", s,
			 (int)rc, (long long)v, (int)want);
	}
}

static void expect_tod(const char *s, tl_ns want) {
	tl_ns v = 12345;
	tl_num rc = tl_parse_time_of_day(s, strlen(s), &v);
	if (rc != TL_NUM_OK || v != want) {
		fail_msg("time of day '%s': rc %d value %lld, want %lld", s, (int)rc, (long long)v,
			 (long long)want);
	}
}

static void reject_tod(const char *s, tl_num want) {
	tl_ns v = 12345;
	tl_num rc = tl_parse_time_of_day(s, strlen(s), &v);
	if (rc != want || v != 12345) {
		fail_msg("time of day '%s': rc %d value %lld, want rc %d", s, (int)rc, (long long)v,
			 (int)want);
	}
}

static void expect_dur(const char *s, tl_ns want) {
	tl_ns v = 12345;
	tl_num rc = tl_parse_duration_text(s, strlen(s), &v);
	if (rc != TL_NUM_OK || v != want) {
		fail_msg("duration '%s': rc %d value %lld, want %lld", s, (int)rc, (long long)v,
			 (long long)want);
	}
}

static void reject_dur(const char *s, tl_num want) {
	tl_ns v = 12345;
	tl_num rc = tl_parse_duration_text(s, strlen(s), &v);
	if (rc != want || v != 12345) {
		fail_msg("duration '%s': rc %d value %lld, want rc %d", s, (int)rc, (long long)v,
			 (int)want);
	}
}

static void test_datetime_date_only(void **state) {
	(void)state;
	expect_dt("2018-01-01", INT64_C(1514764800000000000), true);
	expect_dt("  2018-01-01\t", INT64_C(1514764800000000000), true);
	expect_dt("2024-02-29", INT64_C(1709164800000000000), true);
	expect_dt("2000-02-29", INT64_C(951782400000000000), true);
	expect_dt("1970-01-01", 0, true);
	expect_dt("2023/11/14", T0 - (22 * HOUR + 13 * MIN + 20 * S), true);
	expect_dt("2023/1/5", INT64_C(1672876800000000000), true);
	expect_dt("2023/01/05", INT64_C(1672876800000000000), true);
	/* date_only may be NULL. */
	tl_ns v;
	assert_int_equal(tl_parse_datetime("2018-01-01", 10, &v, NULL), TL_NUM_OK);
	assert_int_equal(v, INT64_C(1514764800000000000));
}

static void test_datetime_separators(void **state) {
	(void)state;
	expect_dt("2023-11-14 22:13:20", T0, false);
	expect_dt("2023-11-14T22:13:20", T0, false);
	expect_dt("2023-11-14t22:13:20", T0, false);
	expect_dt("2023-11-14  22:13:20", T0, false);
	expect_dt("2023/11/14 22:13:20", T0, false);
	expect_dt("2023-11-14T22:13", T0 - 20 * S, false);
	expect_dt("2023-11-14 9:05:00", T0 - (13 * HOUR + 8 * MIN + 20 * S), false);
	expect_dt(" 2023-11-14T22:13:20 ", T0, false);
}

static void test_datetime_fractions(void **state) {
	(void)state;
	expect_dt("2023-11-14 22:13:20.250000", T0 + 250000000, false);
	expect_dt("2023-11-14T22:13:20.123456789", T0 + 123456789, false);
	expect_dt("2023-11-14T22:13:20,5", T0 + 500000000, false);
	expect_dt("2023-11-14T22:13:20.1", T0 + 100000000, false);
	/* Past nine digits: half away from zero, carrying into the seconds. */
	expect_dt("2023-11-14T22:13:20.1234567895", T0 + 123456790, false);
	expect_dt("2023-11-14T22:13:20.12345678949999", T0 + 123456789, false);
	expect_dt("2023-11-14T22:13:19.9999999995", T0, false);
	expect_dt("2023-11-14T22:13:20.000000000499999999999999999", T0, false);
	/* Before the epoch the fraction still counts forward from the second. */
	expect_dt("1969-12-31T23:59:59.25", -750000000, false);
}

static void test_datetime_zones(void **state) {
	(void)state;
	expect_dt("2023-11-14T22:13:20Z", T0, false);
	expect_dt("2023-11-14T22:13:20z", T0, false);
	expect_dt("2023-11-14 22:13:20 UTC", T0, false);
	expect_dt("2023-11-14 22:13:20UTC", T0, false);
	expect_dt("2023-11-14 22:13:20 GMT", T0, false);
	expect_dt("2023-11-14T22:13:20.5Z", T0 + S / 2, false);
	expect_dt("2023-11-14T22:13Z", T0 - 20 * S, false);
	/* Local time = UTC + offset. */
	expect_dt("2023-11-14T23:13:20+01:00", T0, false);
	expect_dt("2023-11-14T23:13:20+0100", T0, false);
	expect_dt("2023-11-14T23:13:20+01", T0, false);
	expect_dt("2023-11-14 23:13:20 +0100", T0, false);
	expect_dt("2023-11-14T16:43:20-05:30", T0, false);
	expect_dt("2023-11-14T16:43:20.25-05:30", T0 + S / 4, false);
	expect_dt("2023-11-14T22:13:20+00:00", T0, false);
	expect_dt("2023-11-14T22:13:20-00:00", T0, false);
	expect_dt("2023-11-14T23:13:50+01:00:30", T0, false);
	expect_dt("2023-11-15T00:13:20+02:00", T0, false);
	expect_dt("2023-11-14T00:13:20-22:00", T0, false);
}

/* Month names: C's asctime() and ctime(), RFC 5322 and HTTP dates. */
static void test_datetime_month_names(void **state) {
	(void)state;
	expect_dt("Tue Nov 14 22:13:20 2023", T0, false);
	expect_dt("tue nov 14 22:13:20 2023", T0, false);
	expect_dt("Wed Nov  1 22:13:20 2023", T0 - 13 * 86400 * S, false);
	expect_dt("Nov 14 22:13:20 2023", T0, false);
	expect_dt("Tue, 14 Nov 2023 22:13:20 +0000", T0, false);
	expect_dt("Tue, 14 Nov 2023 22:13:20 GMT", T0, false);
	expect_dt("Tue, 14 Nov 2023 23:13:20 +0100", T0, false);
	expect_dt("14 Nov 2023 22:13:20 Z", T0, false);
	expect_dt("Tue Nov 14 22:13:20.25 2023", T0 + S / 4, false);
	reject_dt("Tue Nov 31 22:13:20 2023", TL_NUM_SYNTAX);
	reject_dt("Tue Now 14 22:13:20 2023", TL_NUM_SYNTAX);
	reject_dt("Tue Nov 14 2023", TL_NUM_SYNTAX);
	reject_dt("Tuesday, 14 Nov 2023 22:13:20", TL_NUM_SYNTAX);
	reject_dt("Tue, 14 Nov 23 22:13:20 GMT", TL_NUM_SYNTAX);
	reject_dt("Tue", TL_NUM_SYNTAX);
	/* The fuzzer's: no blank between the clock and the year. */
	reject_dt(" mar     1  22:13:233620", TL_NUM_SYNTAX);
	reject_dt("Nov 14 22:13:20 3620", TL_NUM_RANGE);
	assert_true(tl_looks_like_datetime("Nov 14 22:13:20 3620", 20));
	reject_dt("Mar", TL_NUM_SYNTAX);
	assert_true(tl_looks_like_datetime("Tue Mar  1 13:13:25 2016", 24));
	assert_false(tl_looks_like_datetime("Market", 6));
}

static void test_datetime_rejects(void **state) {
	(void)state;
	reject_dt("", TL_NUM_EMPTY);
	reject_dt(" \t ", TL_NUM_EMPTY);
	const char *bad[] = {
		"2023-02-29",
		"2023-13-01",
		"2023-00-10",
		"2023-04-31",
		"2023-01-00",
		"1900-02-29",
		"2023-1-05",
		"2023-01-5",
		"23-01-05",
		"20231114",
		"20231114T221320Z",
		"2023-11/14",
		"2023-11-14T",
		"2023-11-14T24:00:00",
		"2023-11-14T23:60:00",
		"2023-11-14T23:59:60",
		"2023-11-14T22",
		"2023-11-14T22:1",
		"2023-11-14T22:13:2",
		"2023-11-14T22:13:20.",
		"2023-11-14T22:13.5",
		"2023-11-14T 22:13",
		"2023-11-14T22:13:20 Zulu",
		"2023-11-14T22:13:20ZZ",
		"2023-11-14T22:13:20+1",
		"2023-11-14T22:13:20+24:00",
		"2023-11-14T22:13:20+01:60",
		"2023-11-14T22:13:20+01:0030",
		"2023-11-14T22:13:20+01:00 UTC",
		"2018-01-01Z",
		"2018-01-01 UTC",
		"2023-11-14x22:13:20",
		"2023-11-14 22:13:20 x",
		"12345-01-01",
		"-2023-01-01",
		"1700000000",
		"13:36:30",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reject_dt(bad[i], TL_NUM_SYNTAX);
	}
}

static void test_datetime_range_edges(void **state) {
	(void)state;
	expect_dt("2116-02-20T23:53:38.427387903Z", TL_TIME_MAX, false);
	reject_dt("2116-02-20T23:53:38.427387904Z", TL_NUM_RANGE);
	/* Rounding can carry past the limit. */
	reject_dt("2116-02-20T23:53:38.4273879035Z", TL_NUM_RANGE);
	expect_dt("1823-11-12T00:06:21.572612097Z", -TL_TIME_MAX, false);
	reject_dt("1823-11-12T00:06:21.572612096Z", TL_NUM_RANGE);
	/* An offset can bring a time back within range, or take it out. */
	expect_dt("2116-02-21T00:53:38.427387903+01:00", TL_TIME_MAX, false);
	reject_dt("2116-02-20T23:53:38.427387903-00:01", TL_NUM_RANGE);
	expect_dt("1824-01-01", INT64_C(-4607366400000000000), true);
	expect_dt("2116-01-01", INT64_C(4607280000000000000), true);
	expect_dt("1900-01-01", INT64_C(-2208988800000000000), true);
	expect_dt("2100-12-31 23:59:59", INT64_C(4133980799000000000), false);
	reject_dt("0000-01-01", TL_NUM_RANGE);
	reject_dt("9999-12-31T23:59:59.999999999Z", TL_NUM_RANGE);
	reject_dt("1800-01-01", TL_NUM_RANGE);
	reject_dt("2200-01-01", TL_NUM_RANGE);
	/* Year 0 is a leap year (proleptic Gregorian): valid, only out of range. */
	reject_dt("0000-02-29", TL_NUM_RANGE);
	reject_dt("0100-02-29", TL_NUM_SYNTAX);
}

static void test_time_of_day(void **state) {
	(void)state;
	expect_tod("13:36:30", 13 * HOUR + 36 * MIN + 30 * S);
	expect_tod("13:36:30.147", 13 * HOUR + 36 * MIN + 30 * S + 147000000);
	expect_tod("13:36:30,147", 13 * HOUR + 36 * MIN + 30 * S + 147000000);
	expect_tod("13:36", 13 * HOUR + 36 * MIN);
	expect_tod("9:05:00", 9 * HOUR + 5 * MIN);
	expect_tod("09:05", 9 * HOUR + 5 * MIN);
	expect_tod(" 00:00:00 ", 0);
	expect_tod("23:59:59.999999999", DAY - 1);
	expect_tod("00:00:00.0000000005", 1);
	expect_tod("00:00:00.00000000049", 0);
	reject_tod("23:59:59.9999999995", TL_NUM_RANGE);
	reject_tod("", TL_NUM_EMPTY);
	const char *bad[] = {
		"24:00:00", "23:60",   "23:59:60", "13:36:30.",           "13",
		"13:6",     "113:36",  "13:36:3",  "13:36:30Z",           "13:36:30 +01:00",
		"-1:00",    "1:00 pm", "13-36-30", "2023-11-14T13:36:30",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reject_tod(bad[i], TL_NUM_SYNTAX);
	}
}

static void test_duration_units(void **state) {
	(void)state;
	expect_dur("39.2s", 39200000000);
	expect_dur("184ms", 184000000);
	expect_dur("1m 4s", 64 * S);
	expect_dur("1m4s", 64 * S);
	expect_dur("1h 2m", HOUR + 2 * MIN);
	expect_dur("1h 2m 3.5s", HOUR + 2 * MIN + 3500000000);
	expect_dur("1h2m3.5s", HOUR + 2 * MIN + 3500000000);
	expect_dur("2d 3h", 2 * DAY + 3 * HOUR);
	expect_dur("1.5us", 1500);
	expect_dur("12\xc2\xb5s", 12000); /* micro sign */
	expect_dur("12\xce\xbcs", 12000); /* Greek mu */
	expect_dur("250ns", 250);
	expect_dur("3min", 3 * MIN);
	expect_dur("2 sec", 2 * S);
	expect_dur("1.5 h", 90 * MIN);
	expect_dur("0s", 0);
	expect_dur("1 days", DAY);
	expect_dur("3 hours 2 minutes 1 second", 3 * HOUR + 2 * MIN + S);
	expect_dur("1d 1h 1m 1s 1ms 1us 1ns", DAY + HOUR + MIN + S + 1000000 + 1000 + 1);
	expect_dur(" 5ms\t", 5000000);
	expect_dur(".5s", 500000000);
	expect_dur("1.5ns", 2);
	expect_dur("1.4ns", 1);
	expect_dur("0.5d", 12 * HOUR);
	/* Exact where a double is not: a third of a minute in 20 digits. */
	expect_dur("0.33333333333333333333m", 20 * S);
	expect_dur("0.0000000000166666666667h", 60);
	expect_dur("1.0000000005s", 1000000001);
	expect_dur("1.00000000049999999999s", 1000000000);
	expect_dur("-1m 4s", -64 * S);
	expect_dur("+2s", 2 * S);
	expect_dur("-0s", 0);
}

static void test_duration_clocks(void **state) {
	(void)state;
	expect_dur("00:12:58", 12 * MIN + 58 * S);
	expect_dur("12:58", 12 * MIN + 58 * S); /* M:SS */
	expect_dur("1:02:03.5", HOUR + 2 * MIN + 3500000000);
	expect_dur("0:01.50", 1500000000); /* GNU time %E */
	expect_dur("00:01,25", 1250000000);
	expect_dur("100:00:00", 100 * HOUR);
	expect_dur("75:00", 75 * MIN);
	expect_dur("2-03:04:05", 2 * DAY + 3 * HOUR + 4 * MIN + 5 * S);
	expect_dur("2-03", 2 * DAY + 3 * HOUR);
	expect_dur("2-03:04", 2 * DAY + 3 * HOUR + 4 * MIN);
	expect_dur("0-00:00:01.5", 1500000000);
	expect_dur("-00:00:01", -S);
	expect_dur("-2-03", -(2 * DAY + 3 * HOUR));
	expect_dur("00:00:00.0000000005", 1);
}

static void test_duration_days_and_clock(void **state) {
	(void)state;
	expect_dur("1 day, 2:03:04.500000", DAY + 2 * HOUR + 3 * MIN + 4500000000);
	expect_dur("3 days, 0:00:00", 3 * DAY);
	expect_dur("0 days 00:00:01.500000", 1500000000);
	expect_dur("1 days 02:03:04.123456789", DAY + 2 * HOUR + 3 * MIN + 4 * S + 123456789);
	expect_dur("1 days +02:03:04", DAY + 2 * HOUR + 3 * MIN + 4 * S);
	/* The sign is the days', the clock is added: -1 s in both libraries. */
	expect_dur("-1 day, 23:59:59", -S);
	expect_dur("-1 days +23:59:59.500000", -500000000);
	expect_dur("-2 days, 1:00:00", -2 * DAY + HOUR);
}

static void test_duration_iso(void **state) {
	(void)state;
	expect_dur("PT1M4.5S", MIN + 4500000000);
	expect_dur("P1DT2H", DAY + 2 * HOUR);
	expect_dur("PT0.25S", 250000000);
	expect_dur("PT0,25S", 250000000);
	expect_dur("P1D", DAY);
	expect_dur("PT1H2M3S", HOUR + 2 * MIN + 3 * S);
	expect_dur("PT36H", 36 * HOUR);
	expect_dur("PT1.5H", 90 * MIN);
	expect_dur("P2W", 14 * DAY);
	expect_dur("pt1m", MIN);
	expect_dur("PT0S", 0);
	expect_dur("-PT1S", -S);
	expect_dur("PT0.0000000015S", 2);
}

static void test_duration_rejects(void **state) {
	(void)state;
	reject_dur("", TL_NUM_EMPTY);
	reject_dur("   ", TL_NUM_EMPTY);
	const char *bad[] = {
		/* Bare numbers: the caller's business. */
		"12",
		"1.5",
		"0",
		"-3",
		"1e3",
		/* Units out of order, twice, unknown, or in capitals. */
		"4s 1m",
		"1m 2min",
		"1s 1s",
		"1ms 1s",
		"3 weeks",
		"1y",
		"1M",
		"1H",
		"2 Sec",
		"1 mo",
		"s",
		"1.s",
		"5 .s",
		"1m 4",
		"1m,4s",
		"- 1s",
		"--1s",
		"1 day,2:03:04",
		"\xc2\xb5s",
		"1\xc2s",
		"1 day, 24:00:00",
		"1 day, 2:03",
		"1 day, 2:3:04",
		"1.5 days, 2:03:04",
		"1h 1 day, 2:03:04",
		"1 day, 2:03:04 1s",
		/* Clocks. */
		"12:",
		":12",
		"1:2",
		"1:60",
		"1:00:60",
		"1:60:00",
		"1:00:00:00",
		"12:58.",
		"2-24:00",
		"2-3:4",
		"2-03:04.5",
		"2-03.5",
		"2-",
		"-2-",
		"1:00:00 s",
		"2023-11-14",
		/* ISO durations: years and months have no fixed length. */
		"P1Y",
		"P1M",
		"P1Y2M3D",
		"P",
		"PT",
		"P1DT",
		"PT1D",
		"P1H",
		"PT1S2M",
		"PT1.5M2S",
		"P1W1D",
		"P1WT1H",
		"PT1HT1M",
		"P1",
		"PT1",
		"P-1D",
		"PT1.S",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reject_dur(bad[i], TL_NUM_SYNTAX);
	}
}

static void test_duration_range(void **state) {
	(void)state;
	expect_dur("4611686018.427387903s", TL_TIME_MAX);
	expect_dur("-4611686018.427387903s", -TL_TIME_MAX);
	reject_dur("4611686018.427387904s", TL_NUM_RANGE);
	reject_dur("4611686018.4273879035s", TL_NUM_RANGE);
	reject_dur("4611686018s 427387904ns", TL_NUM_RANGE);
	reject_dur("99999999999999999999999h", TL_NUM_RANGE);
	reject_dur("100000d", TL_NUM_RANGE);
	expect_dur("53375d", 53375 * DAY);
	reject_dur("53376d", TL_NUM_RANGE);
	reject_dur("1281024:00:00", TL_NUM_RANGE);
	expect_dur("1281023:00:00", 1281023 * HOUR);
	reject_dur("99999999999999999999:00", TL_NUM_RANGE);
	reject_dur("53376-00", TL_NUM_RANGE);
	reject_dur("53376 days 00:00:00", TL_NUM_RANGE);
	reject_dur("P53376D", TL_NUM_RANGE);
	/* Syntax is judged before range. */
	reject_dur("99999999999999999999999h 1h", TL_NUM_SYNTAX);
}

static void test_looks_like_datetime(void **state) {
	(void)state;
	const char *yes[] = {
		"2018-01-01", "2023-11-14 22:13:20", "2023-11-14T22:13:20Z",
		"2023/1/5",   " 2023-11-14t22:13 ",  "13:36:30",
		"13:36",      "9:05:00.5",           "12:58",
	};
	const char *no[] = {
		"",
		"  ",
		"1700000000",
		"1.5",
		"12",
		"39.2s",
		"1m 4s",
		"2-03:04:05",
		"PT1S",
		"23-01-05",
		"2023-11",
		"2023-11-14x",
		"123:00:00",
		"13:3",
		"13:36:30 x",
		"job-1",
		"1 day, 2:03:04",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!tl_looks_like_datetime(yes[i], strlen(yes[i]))) {
			fail_msg("'%s' should look like a date-time", yes[i]);
		}
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (tl_looks_like_datetime(no[i], strlen(no[i]))) {
			fail_msg("'%s' should not look like a date-time", no[i]);
		}
	}
}

/* The length bounds the text: nothing past it is read. */
static void test_length_bounds_text(void **state) {
	(void)state;
	tl_ns v;
	bool d;
	assert_int_equal(tl_parse_datetime("2018-01-01T00:00:00", 10, &v, &d), TL_NUM_OK);
	assert_true(d);
	assert_int_equal(tl_parse_time_of_day("13:36:30", 5, &v), TL_NUM_OK);
	assert_int_equal(v, 13 * HOUR + 36 * MIN);
	assert_int_equal(tl_parse_duration_text("184ms", 4, &v), TL_NUM_OK);
	assert_int_equal(v, 184 * MIN);
	assert_int_equal(tl_parse_duration_text("12\xc2\xb5s", 3, &v), TL_NUM_SYNTAX);
	assert_int_equal(tl_parse_duration_text("PT1S", 0, &v), TL_NUM_EMPTY);
}

/* Whether a date-time names its zone. */
static void test_datetime_zoned(void **state) {
	(void)state;
	const char *zoned[] = {"2024-03-10T09:00:00Z",     "2024-03-10 09:00:00 UTC",
			       "2024-03-10T09:00:00z",     "2024-03-10T09:00:00+01:00",
			       "2024-03-10T09:00:00-0500", "2024/3/10 09:00 GMT",
			       "2024-03-10T09:00:00.5+01 "};
	const char *naive[] = {"2024-03-10T09:00:00", "2024-03-10 09:00", "2024-03-10",
			       "2024/03/10 09:00:00.250"};
	for (size_t i = 0; i < sizeof(zoned) / sizeof(zoned[0]); i++) {
		tl_ns v;
		assert_int_equal(tl_parse_datetime(zoned[i], strlen(zoned[i]), &v, NULL),
				 TL_NUM_OK);
		assert_true(tl_datetime_zoned(zoned[i], strlen(zoned[i])));
	}
	for (size_t i = 0; i < sizeof(naive) / sizeof(naive[0]); i++) {
		tl_ns v;
		assert_int_equal(tl_parse_datetime(naive[i], strlen(naive[i]), &v, NULL),
				 TL_NUM_OK);
		assert_false(tl_datetime_zoned(naive[i], strlen(naive[i])));
	}
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datetime_zoned),
		cmocka_unit_test(test_datetime_month_names),
		cmocka_unit_test(test_datetime_date_only),
		cmocka_unit_test(test_datetime_separators),
		cmocka_unit_test(test_datetime_fractions),
		cmocka_unit_test(test_datetime_zones),
		cmocka_unit_test(test_datetime_rejects),
		cmocka_unit_test(test_datetime_range_edges),
		cmocka_unit_test(test_time_of_day),
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_clocks),
		cmocka_unit_test(test_duration_days_and_clock),
		cmocka_unit_test(test_duration_iso),
		cmocka_unit_test(test_duration_rejects),
		cmocka_unit_test(test_duration_range),
		cmocka_unit_test(test_looks_like_datetime),
		cmocka_unit_test(test_length_bounds_text),
	};
	return cmocka_run_group_tests_name("timetext", tests, NULL, NULL);
}
