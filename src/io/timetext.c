/*
 * Date-times, times of day and durations written as text, to int64 ns. Every
 * step is integer arithmetic: calendar dates become days with Howard Hinnant's
 * days_from_civil (exact over the proleptic Gregorian calendar), and a
 * fraction is multiplied by its unit digit by digit, so "1.5h" or a 20-digit
 * fraction of a second comes out exact, rounded half away from zero once. No
 * strtod, no locale, no TZ: what a string means does not depend on the
 * machine reading it. Which column holds which kind of time is the caller's
 * business; this file only reads one field. Here: date-times and times of
 * day; timetext_duration.c reads durations, and timetext_lex.h holds the
 * cursor both use.
 */

#include "timetext.h"
#include "timetext_lex.h"

#include "../util/text.h"

static bool is_leap(int64_t y) {
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int64_t m) {
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar: Howard
 * Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
 */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                                   /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static bool word(struct cur *c, const char *w) {
	size_t n = strlen(w);
	if ((size_t)(c->e - c->p) < n || memcmp(c->p, w, n) != 0) {
		return false;
	}
	c->p += n;
	return true;
}

/* The zone after a time: nothing, Z, UTC, GMT or a numeric offset; seconds east of UTC. */
static bool zone(struct cur *c, int64_t *ret_east) {
	*ret_east = 0;
	skip_blanks(c);
	if (c->p == c->e || word(c, "Z") || word(c, "z") || word(c, "UTC") || word(c, "GMT")) {
		return c->p == c->e;
	}
	if (*c->p != '+' && *c->p != '-') {
		return false;
	}
	bool west = *c->p++ == '-';
	int64_t h = fixed_digits(c, 2, 2), m = 0, s = 0;
	if (h < 0 || h > 23) {
		return false;
	}
	if (c->p < c->e) {
		bool colon = *c->p == ':';
		c->p += colon;
		m = fixed_digits(c, 2, 2);
		if (m < 0 || m > 59) {
			return false;
		}
		if (c->p < c->e) {
			if (colon != (*c->p == ':')) {
				return false;
			}
			c->p += colon;
			s = fixed_digits(c, 2, 2);
			if (s < 0 || s > 59) {
				return false;
			}
		}
	}
	*ret_east = (west ? -1 : 1) * (h * 3600 + m * 60 + s);
	return c->p == c->e;
}

/* A three-letter English name from names (12 or 7 of them, any case): its index, or -1. */
static int short_name(struct cur *c, const char *const *names, int n) {
	if (c->e - c->p < 3) {
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (tl_word_eq_nocase(c->p, 3, names[i])) {
			c->p += 3;
			return i;
		}
	}
	return -1;
}

static const char *const month_names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
					    "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* Seconds and fraction from a date and a clock: the rest of tl_parse_datetime(). */
static tl_num to_ns(int64_t secs, const char *f, size_t nf, tl_ns *ret) {
	/* |secs| <= 9999 years: no overflow so far; ns next, within ±TL_TIME_MAX. */
	const int64_t lim = TL_TIME_MAX / NS_PER_S + 1;
	if (secs > lim || secs < -lim) {
		return TL_NUM_RANGE;
	}
	tl_ns v = secs * NS_PER_S + (nf ? scale_fraction(f, nf, 1, 9) : 0);
	if (v > TL_TIME_MAX || v < -TL_TIME_MAX) {
		return TL_NUM_RANGE;
	}
	*ret = v;
	return TL_NUM_OK;
}

/*
 * Dates with the month's name, as C's asctime() and ctime() write them
 * ("Tue Mar  1 13:13:25 2016": ApacheBench, ps -o lstart, many logs) and as
 * RFC 5322 and HTTP dates do ("Tue, 01 Mar 2016 13:13:25 +0000", "GMT").
 */
static tl_num named_month(struct cur c, tl_ns *ret) {
	struct cur k = c;
	if (short_name(&k, day_names, 7) >= 0) {
		k.p += at(&k, ',');
		if (!at(&k, ' ')) {
			return TL_NUM_SYNTAX;
		}
		skip_blanks(&k);
	}
	int64_t y, mo, d, tod, east = 0;
	const char *f = NULL;
	size_t nf = 0;
	bool has_s;
	if (at_digit(&k)) { /* RFC 5322: day month year clock zone */
		d = fixed_digits(&k, 1, 2);
		skip_blanks(&k);
		mo = short_name(&k, month_names, 12) + 1;
		skip_blanks(&k);
		y = fixed_digits(&k, 4, 4);
		skip_blanks(&k);
		if (!clock_of_day(&k, &tod, &has_s, &f, &nf) || !zone(&k, &east)) {
			return TL_NUM_SYNTAX;
		}
	} else { /* asctime: month day clock year */
		mo = short_name(&k, month_names, 12) + 1;
		skip_blanks(&k);
		d = fixed_digits(&k, 1, 2);
		skip_blanks(&k);
		if (!clock_of_day(&k, &tod, &has_s, &f, &nf) || !at(&k, ' ')) {
			return TL_NUM_SYNTAX;
		}
		skip_blanks(&k);
		y = fixed_digits(&k, 4, 4);
		if (y < 0 || !zone(&k, &east)) {
			return TL_NUM_SYNTAX;
		}
	}
	if (mo < 1 || y < 0 || d < 1 || d > days_in_month(y, mo)) {
		return TL_NUM_SYNTAX;
	}
	return to_ns(days_from_civil(y, mo, d) * 86400 + tod - east, f, nf, ret);
}

/* Text that can only be a date with a month's name: a letter first, or a day and a blank. */
static bool named_start(const struct cur *c) {
	char a = *c->p;
	if ((a | 0x20) >= 'a' && (a | 0x20) <= 'z') {
		return true;
	}
	return is_digit(a) && c->e - c->p > 3 &&
	       (is_blank(c->p[1]) || (is_digit(c->p[1]) && is_blank(c->p[2])));
}

tl_num tl_parse_datetime(const char *s, size_t len, tl_ns *ret, bool *ret_date_only) {
	struct cur c;
	if (!trim(s, len, &c)) {
		return TL_NUM_EMPTY;
	}
	if (named_start(&c)) {
		tl_num rc = named_month(c, ret);
		if (rc == TL_NUM_OK && ret_date_only) {
			*ret_date_only = false;
		}
		return rc;
	}
	int64_t y = fixed_digits(&c, 4, 4);
	if (y < 0 || (!at(&c, '-') && !at(&c, '/'))) {
		return TL_NUM_SYNTAX;
	}
	char sep = *c.p++;
	int width = sep == '-' ? 2 : 1;
	int64_t mo = fixed_digits(&c, width, 2);
	if (mo < 1 || mo > 12 || !at(&c, sep)) {
		return TL_NUM_SYNTAX;
	}
	c.p++;
	int64_t d = fixed_digits(&c, width, 2);
	if (d < 1 || d > days_in_month(y, mo)) {
		return TL_NUM_SYNTAX;
	}
	int64_t secs = days_from_civil(y, mo, d) * 86400, tod = 0, east = 0;
	const char *f = NULL;
	size_t nf = 0;
	bool date_only = c.p == c.e, has_s;
	if (!date_only) {
		if (*c.p == 'T' || *c.p == 't') {
			c.p++;
		} else if (is_blank(*c.p)) {
			skip_blanks(&c);
		} else {
			return TL_NUM_SYNTAX;
		}
		if (!clock_of_day(&c, &tod, &has_s, &f, &nf) || !zone(&c, &east)) {
			return TL_NUM_SYNTAX;
		}
	}
	secs += tod - east;
	tl_num rc = to_ns(secs, f, nf, ret);
	if (rc == TL_NUM_OK && ret_date_only) {
		*ret_date_only = date_only;
	}
	return rc;
}

tl_num tl_parse_time_of_day(const char *s, size_t len, tl_ns *ret) {
	struct cur c;
	if (!trim(s, len, &c)) {
		return TL_NUM_EMPTY;
	}
	int64_t secs;
	const char *f = NULL;
	size_t nf = 0;
	bool has_s;
	if (!clock_of_day(&c, &secs, &has_s, &f, &nf) || c.p != c.e) {
		return TL_NUM_SYNTAX;
	}
	tl_ns v = secs * NS_PER_S + (nf ? scale_fraction(f, nf, 1, 9) : 0);
	if (v >= NS_PER_DAY) {
		return TL_NUM_RANGE;
	}
	*ret = v;
	return TL_NUM_OK;
}

bool tl_looks_like_datetime(const char *s, size_t len) {
	struct cur c;
	if (!trim(s, len, &c)) {
		return false;
	}
	tl_ns v;
	if (named_start(&c)) {
		tl_num rc = named_month(c, &v);
		return rc == TL_NUM_OK || rc == TL_NUM_RANGE;
	}
	struct cur k = c;
	if (fixed_digits(&k, 4, 4) >= 0 && (at(&k, '-') || at(&k, '/'))) {
		char sep = *k.p++;
		if (fixed_digits(&k, 1, 2) >= 0 && at(&k, sep)) {
			k.p++;
			if (fixed_digits(&k, 1, 2) >= 0 &&
			    (k.p == k.e || is_blank(*k.p) || *k.p == 'T' || *k.p == 't')) {
				return true;
			}
		}
	}
	k = c;
	if (fixed_digits(&k, 1, 2) < 0 || !at(&k, ':')) {
		return false;
	}
	k.p++;
	if (fixed_digits(&k, 2, 2) < 0) {
		return false;
	}
	if (at(&k, ':')) {
		k.p++;
		if (fixed_digits(&k, 2, 2) < 0) {
			return false;
		}
		const char *f;
		size_t nf;
		fraction(&k, ".,", &f, &nf);
	}
	return k.p == k.e;
}

bool tl_datetime_zoned(const char *s, size_t len) {
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	if (len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z')) {
		return true;
	}
	if (len >= 3 && (tl_word_eq_nocase(s + len - 3, 3, "UTC") ||
			 tl_word_eq_nocase(s + len - 3, 3, "GMT"))) {
		return true;
	}
	/* An offset: a sign after the time's first colon (the date's '-' come before it). */
	const char *colon = memchr(s, ':', len);
	return colon && (memchr(colon, '+', len - (size_t)(colon - s)) ||
			 memchr(colon, '-', len - (size_t)(colon - s)));
}
