#ifndef TIMELINE_IO_TIMETEXT_H
#define TIMELINE_IO_TIMETEXT_H

/*
 * Times written as text, parsed to int64 nanoseconds exactly: calendar
 * date-times, times of day and durations. Locale-free, no strtod and no libc
 * time function (nothing depends on TZ): dates go through integer
 * days-from-civil arithmetic on the proleptic Gregorian calendar.
 *
 * Common rules for every function here:
 *  - blanks (space, tab) before and after the text are ignored; text of only
 *    blanks gives TL_NUM_EMPTY;
 *  - a fraction of a second may have any number of digits; past the ninth it
 *    is rounded to the nanosecond, half away from zero ("0.0000000005" -> 1 ns);
 *  - TL_NUM_SYNTAX when the text is not one of the forms listed (or names a day
 *    or time that does not exist), TL_NUM_RANGE when it is but the value lies
 *    beyond ±TL_TIME_MAX ns (about 146 years either side of the epoch);
 *  - *ret (and *ret_date_only) are written only on TL_NUM_OK.
 */

#include <stdbool.h>
#include <stddef.h>

#include <timeline/trace.h>

#include "scan.h"

/**
 * An absolute date-time in s (len bytes, no NUL needed) as ns since
 * 1970-01-01T00:00:00Z, ignoring leap seconds (POSIX time).
 *
 * Accepted, after ISO 8601-1:2019 extended format and its RFC 3339 profile
 * ("date-time", section 5.6):
 *
 *   2018-01-01                      date alone: midnight UTC, *ret_date_only = true
 *   2023/11/14                      slash date, year/month/day only; month and day may
 *                                   have one digit here ("2023/1/5")
 *   2023-11-14T22:13:20             'T', 't' or blanks between date and time (RFC 3339
 *   2023-11-14 22:13:20             5.6 note; Python's isoformat(sep=' '), pandas, SQL)
 *   2023-11-14T22:13                minutes only (ISO 8601 reduced precision)
 *   2023-11-14T22:13:20.250000      fraction with '.' or ',' (ISO 8601 allows the comma),
 *   2023-11-14T22:13:20,5           any number of digits
 *   ...Z  ...z  ... UTC  ... GMT    UTC designators (RFC 3339, ISO 8601; " UTC" as written
 *                                   by date(1) -u, PostgreSQL and Spark logs)
 *   ...+01:00 ...-05:30             numeric offsets (RFC 3339 time-numoffset; Python's
 *   ...+0100  ...+01                isoformat, git's --date=iso "+0100", ISO 8601 "+01");
 *   ...+01:00:30                    Python writes seconds when the offset has them.
 *                                   Blanks may come before the designator or offset.
 *
 * An offset says local time = UTC + offset, so it is subtracted. A time with no
 * designator and no offset is taken as UTC: the text carries no zone, and the
 * machine's zone is no better a guess, so "naive" times read the same
 * everywhere. "-00:00" (RFC 3339 "offset unknown") is read as UTC.
 *
 * The hour has one or two digits, everything else the fixed number of digits
 * shown. The year is 0000-9999; month 01-12; the day must exist in that month
 * (2023-02-29 is refused); hour 00-23, minute and second 00-59 (no leap second
 * 60, no 24:00:00); offset hours 00-23. Not accepted: ISO 8601 basic format
 * (20231114T221320Z), week and ordinal dates, a zone after a date alone.
 *
 * ret_date_only may be NULL. Returns TL_NUM_OK, TL_NUM_EMPTY, TL_NUM_SYNTAX, or
 * TL_NUM_RANGE for a valid date-time outside ±TL_TIME_MAX (before
 * 1823-11-12T00:06:21.572612097Z or after
 * 2116-02-20T23:53:38.427387903Z).
 */
tl_num tl_parse_datetime(const char *s, size_t len, tl_ns *ret, bool *ret_date_only);

/**
 * Whether a date-time that tl_parse_datetime() read names its zone: a UTC
 * designator (Z, UTC, GMT) or a numeric offset after the time. false for a
 * "naive" local time and for a date alone. len bytes of s.
 */
bool tl_datetime_zoned(const char *s, size_t len);

/**
 * A time of day as ns since midnight, in [0, 24 h).
 *
 * Accepted (ISO 8601 extended time, RFC 3339 "partial-time"; as ps(1)'s
 * START column, log files and spreadsheets write it):
 *
 *   13:36:30  13:36:30.147  13:36:30,147  13:36  9:05:00
 *
 * The hour has one or two digits (00-23); minute and second two (00-59; no
 * leap second 60, no 24:00). No zone or offset. A fraction that rounds up to
 * 24:00:00 exactly ("23:59:59.9999999999") gives TL_NUM_RANGE. Returns
 * TL_NUM_OK, TL_NUM_EMPTY, TL_NUM_SYNTAX or TL_NUM_RANGE.
 */
tl_num tl_parse_time_of_day(const char *s, size_t len, tl_ns *ret);

/**
 * A duration written with units or as a clock, as ns. A leading '-' gives a
 * negative value (so the caller can refuse it as negative rather than as
 * unreadable); '+' is allowed too.
 *
 * Numbers with units (Nextflow's trace "1m 4s", Go's time.Duration "1h2m3.5s",
 * "1.5µs", hyperfine/humanized output "2 sec", "3min"):
 *
 *   39.2s  184ms  1m 4s  1m4s  1h 2m  1h 2m 3.5s  2d 3h  1.5us  12µs  250ns  3min
 *   2 sec  1.5 h
 *
 *   units   d day days | h hr hrs hour hours | m min mins minute minutes |
 *           s sec secs second seconds | ms msec msecs millisecond milliseconds |
 *           us µs μs usec usecs microsecond microseconds |
 *           ns nsec nsecs nanosecond nanoseconds
 *
 * Units are lowercase ASCII, or the micro sign U+00B5 / Greek mu U+03BC in
 * UTF-8. Blanks may separate a number from its unit and one part from the
 * next. Parts go from the largest unit to the smallest, each unit at most
 * once ("4s 1m" and "1m 2min" are refused). Any part may have a fraction
 * written with '.'; the sum is rounded once per part, half away from zero.
 *
 * Clocks (no units):
 *
 *   00:12:58  1:02:03.5     H:MM:SS[.f]   (GNU time %E, Slurm Elapsed, Python timedelta)
 *   12:58  0:01.50          M:SS[.f]      (Slurm's Elapsed and GNU time under an hour)
 *   2-03:04:05              D-HH:MM:SS    (Slurm time format, days-hours:minutes:seconds)
 *   2-03:04                 D-HH:MM
 *   2-03                    D-HH
 *
 * The first field has any number of digits; the others two digits each,
 * minutes and seconds below 60, hours after a day below 24. A fraction ('.' or
 * ',') may follow the seconds.
 *
 * Days and a clock (Python's str(timedelta); pandas' Timedelta as to_csv and
 * str() write it; pandas writes "1 days" alone for whole days, read as a unit
 * form above):
 *
 *   1 day, 2:03:04.500000   3 days, 0:00:00   0 days 00:00:01.500000
 *   1 days 02:03:04.123456789
 *
 * Here the sign belongs to the days and the clock is added to them, as both
 * libraries mean it: "-1 day, 23:59:59" (Python) and "-1 days +23:59:59"
 * (pandas) are -1 s.
 *
 * ISO 8601 durations (ISO 8601-1:2019 4.4.3.2; RFC 3339 Appendix A; Java's
 * Duration.toString, XML Schema xs:duration, isodate):
 *
 *   PT1M4.5S  P1DT2H  PT0.25S  P2W
 *
 * Days (D), hours (H), minutes (M after T) and seconds (S), or weeks (W) alone;
 * a fraction ('.' or ',') on the last part only. Years and months (P1Y, P1M)
 * are refused: they have no fixed length. Designators are matched in either
 * case.
 *
 * A bare number ("12", "1.5") is not a duration here (TL_NUM_SYNTAX): the
 * caller knows which unit its column has. Returns TL_NUM_OK, TL_NUM_EMPTY,
 * TL_NUM_SYNTAX, or TL_NUM_RANGE beyond ±TL_TIME_MAX.
 */
tl_num tl_parse_duration_text(const char *s, size_t len, tl_ns *ret);

/**
 * A cheap test of a field's shape, to sniff a column: true when s (blanks
 * around ignored) starts with a date "YYYY-M-D" or "YYYY/M/D" (one or two
 * digit month and day) followed by its end, a blank or 'T'; or is a whole time
 * of day "H:MM" / "H:MM:SS[.f]". Values are not checked (2023-13-45 looks like
 * one), and "12:58" may as well be a duration: the caller decides from the
 * column and then parses. No allocation, O(len).
 */
bool tl_looks_like_datetime(const char *s, size_t len);

#endif
