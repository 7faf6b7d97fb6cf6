/*
 * The values of the CSV reader's time columns: numbers in the column's unit
 * (its suffix, the reader's option, or a guess from the first row), dates
 * and date-times, times of day, durations written as text, and the words
 * programs write for "no value".
 */

#include <timeline/io.h>

#include "../util/text.h"
#include "../model/model.h"
#include "csv.h"
#include "csv_impl.h"
#include "scan.h"
#include "timetext.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A time role's name in messages. */
static const char *const role_time_name[R_COUNT] = {
	[R_START] = "start time", [R_STOP] = "stop time", [R_DUR] = "duration",
	[R_TIME] = "time",        [R_WAIT] = "wait",
};

/*
 * What programs write for "no value" in a number column: pandas and numpy
 * (NaN, NaT, <NA>), R (NA), SQL exports (NULL), Python (None), spreadsheets
 * (#N/A) and Nextflow ('-').
 */
bool csv_missing_word_slow(const char *s, size_t len) {
	static const char *const words[] = {"nan",  "nat",  "<na>", "na",      "n/a",
					    "#n/a", "none", "null", "unknown", "-"};
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (tl_word_eq_nocase(s, len, words[i])) {
			return true;
		}
	}
	return false;
}

/* A number in role's unit: a power of ten, and minutes, hours or days on top. */
static tl_num parse_scaled(struct csv *r, const char *s, size_t len, enum col_role role,
			   tl_ns *ret) {
	tl_num rc = tl_parse_time(s, len, r->scale[role], ret);
	if (rc != TL_NUM_OK || r->mult[role] == 1) {
		return rc;
	}
	/* Exact: the fraction of a minute is kept by scaling the text first. */
	rc = tl_parse_decimal(s, len, r->scale[role], ret);
	if (rc == TL_NUM_OK && (__builtin_mul_overflow(*ret, r->mult[role], ret) ||
				*ret > TL_TIME_MAX || *ret < -TL_TIME_MAX)) {
		rc = TL_NUM_RANGE;
	}
	return rc;
}

/* A bare number in role's unit; a decimal comma too when commas do not separate fields. */
static tl_num parse_number(struct csv *r, const struct field *f, enum col_role role, tl_ns *ret) {
	if (!r->guessed && r->bare[role] && role != R_DUR && role != R_WAIT) {
		csv_guess_unit(r, f->s, f->len);
	}
	tl_num rc = parse_scaled(r, f->s, f->len, role, ret);
	if (rc != TL_NUM_SYNTAX || r->sep == ',' || f->len >= 64) {
		return rc;
	}
	const char *comma = memchr(f->s, ',', f->len);
	if (!comma || memchr(comma + 1, ',', f->len - (size_t)(comma - f->s) - 1) ||
	    memchr(f->s, '.', f->len)) {
		return rc;
	}
	char buf[64];
	memcpy(buf, f->s, f->len);
	buf[comma - f->s] = '.';
	return parse_scaled(r, buf, f->len, role, ret);
}

static const char *tkind_name(enum tkind k) {
	switch (k) {
	case TK_NUMBER:
		return "numbers";
	case TK_DATETIME:
		return "dates and times";
	case TK_TOD:
		return "times of day";
	case TK_DURTEXT:
		return "durations";
	default:
		return "empty";
	}
}

/* A time written as text: a date-time, a time of day or a duration ("1m 4s"). */
static tl_status parse_time_text(struct csv *r, const struct field *f, enum col_role role,
				 const char *what, tl_ns *ret) {
	const char *s;
	size_t len;
	csv_field_text(r, f, &s, &len);
	char ex[64];
	tl_excerpt(s, len, ex, sizeof(ex));
	enum tkind got = TK_UNSET;
	bool date_only;
	tl_num rc = TL_NUM_SYNTAX;
	if (role == R_DUR || role == R_WAIT) {
		rc = tl_parse_duration_text(s, len, ret);
		got = rc == TL_NUM_OK ? TK_DURTEXT : TK_UNSET;
	} else if ((rc = tl_parse_datetime(s, len, ret, &date_only)) == TL_NUM_OK) {
		got = TK_DATETIME;
	} else if (rc != TL_NUM_RANGE && tl_parse_time_of_day(s, len, ret) == TL_NUM_OK) {
		got = TK_TOD;
	} else if (rc != TL_NUM_RANGE && (rc = tl_parse_duration_text(s, len, ret)) == TL_NUM_OK) {
		got = TK_DURTEXT;
	}
	enum tkind had = r->tk[role];
	int64_t num;
	if (got == TK_UNSET && had != TK_UNSET && had != TK_NUMBER &&
	    tl_parse_decimal(s, len, 0, &num) == TL_NUM_OK) {
		return csv_fail_at(r, FIELD_POS(f),
				   "%s '%s' is one of numbers; earlier rows of its column hold %s",
				   what, ex, tkind_name(had));
	}
	if (got == TK_UNSET) {
		if (rc == TL_NUM_RANGE) {
			return csv_fail_at(r, FIELD_POS(f), "%s '%s' is out of range", what, ex);
		}
		return csv_fail_at(r, FIELD_POS(f),
				   role == R_DUR || role == R_WAIT
					   ? "%s '%s' is not a number or a duration"
					   : "%s '%s' is not a number, a date-time or a duration",
				   what, ex);
	}
	bool relative = (had == TK_NUMBER || had == TK_DURTEXT) && got == TK_DURTEXT;
	if (had != TK_UNSET && had != got && !relative) {
		return csv_fail_at(r, FIELD_POS(f),
				   "%s '%s' is one of %s; earlier rows of its column hold %s", what,
				   ex, tkind_name(got), tkind_name(had));
	}
	if (had == TK_UNSET) {
		r->tk[role] = got;
	}
	r->absolute |= got == TK_DATETIME;
	r->naive |= got == TK_DATETIME && !tl_datetime_zoned(s, len);
	return TL_OK;
}

/* parse_time() for all but a plain number in a column of numbers. */
__attribute__((noinline)) tl_status csv_parse_time_slow(struct csv *r, const struct field *f,
							enum col_role role, enum col_role what_role,
							tl_ns *ret) {
	const char *what = role_time_name[what_role];
	tl_num rc = TL_NUM_SYNTAX;
	if (r->tk[role] != TK_DATETIME && r->tk[role] != TK_TOD) {
		rc = parse_number(r, f, role, ret);
		if (rc == TL_NUM_OK) {
			if (r->tk[role] == TK_UNSET) {
				r->tk[role] = TK_NUMBER;
			}
			return TL_OK;
		}
	}
	if (rc == TL_NUM_SYNTAX) {
		return parse_time_text(r, f, role, what, ret);
	}
	char ex[64];
	const char *s;
	size_t len;
	csv_field_text(r, f, &s, &len);
	tl_excerpt(s, len, ex, sizeof(ex));
	if (rc == TL_NUM_NONFINITE) {
		return csv_fail_at(r, FIELD_POS(f), "%s '%s' is not a finite number", what, ex);
	}
	int64_t as_ns;
	if (r->bare[role] && r->scale[role] == 9 &&
	    tl_parse_decimal(s, len, 0, &as_ns) == TL_NUM_OK) {
		return csv_fail_at(r, FIELD_POS(f),
				   "%s '%s' is out of range in seconds (--time-unit ms, us or ns "
				   "names another unit)",
				   what, ex);
	}
	return csv_fail_at(r, FIELD_POS(f), "%s '%s' is out of range", what, ex);
}
