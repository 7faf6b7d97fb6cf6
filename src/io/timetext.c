/*
 * Date-times, times of day and durations written as text, to int64 ns. Every
 * step is integer arithmetic: calendar dates become days with Howard Hinnant's
 * days_from_civil (exact over the proleptic Gregorian calendar), and a
 * fraction is multiplied by its unit digit by digit, so "1.5h" or a 20-digit
 * fraction of a second comes out exact, rounded half away from zero once. No
 * strtod, no locale, no TZ: what a string means does not depend on the
 * machine reading it. Which column holds which kind of time is the caller's
 * business; this file only reads one field.
 */

#include "timetext.h"

#include "scan.h"
#include "../util/text.h"

#include <stdint.h>
#include <string.h>

#define NS_PER_S INT64_C(1000000000)
#define NS_PER_DAY (86400 * NS_PER_S)

/* Text still to read: [p, e). */
struct cur {
	const char *p, *e;
};

static bool is_blank(char c) {
	return c == ' ' || c == '\t';
}

static bool is_digit(char c) {
	return (unsigned)(c - '0') < 10;
}

static bool at(const struct cur *c, char ch) {
	return c->p < c->e && *c->p == ch;
}

static bool at_digit(const struct cur *c) {
	return c->p < c->e && is_digit(*c->p);
}

/* Drop blanks at both ends; false when nothing else is left. */
static bool trim(const char *s, size_t len, struct cur *c) {
	c->p = s;
	c->e = s + len;
	while (c->p < c->e && is_blank(*c->p)) {
		c->p++;
	}
	while (c->e > c->p && is_blank(c->e[-1])) {
		c->e--;
	}
	return c->p < c->e;
}

static void skip_blanks(struct cur *c) {
	while (c->p < c->e && is_blank(*c->p)) {
		c->p++;
	}
}

/* Between min and max (<= 18) digits as a number, or -1 (c unmoved) when fewer than min. */
static int64_t fixed_digits(struct cur *c, int min, int max) {
	const char *p = c->p;
	int64_t v = 0;
	int n = 0;
	while (n < max && p < c->e && is_digit(*p)) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min) {
		return -1;
	}
	c->p = p;
	return v;
}

/*
 * One or more digits (false when none). Values past INT64_MAX saturate there,
 * which any later scaling turns into TL_NUM_RANGE.
 */
static bool any_digits(struct cur *c, int64_t *ret) {
	if (!at_digit(c)) {
		return false;
	}
	int64_t v = 0;
	while (at_digit(c)) {
		int d = *c->p++ - '0';
		if (v > (INT64_MAX - d) / 10) {
			v = INT64_MAX;
		} else {
			v = v * 10 + d;
		}
	}
	*ret = v;
	return true;
}

/*
 * round(mul * 0.d[0]d[1]...d[n-1] * 10^e), half away from zero, for mul <= 10^6
 * and e <= 11. The digits are multiplied by mul from the last one up, as on
 * paper, so the product is exact however many there are; only its integer part
 * and the digits down to 10^-(e+1) are kept.
 */
static int64_t scale_fraction(const char *d, size_t n, uint32_t mul, int e) {
	int keep[12] = {0}; /* product digits at 10^-1 .. 10^-(e+1) */
	uint64_t carry = 0;
	for (size_t i = n; i-- > 0;) {
		uint64_t t = (uint64_t)(d[i] - '0') * mul + carry;
		if (i <= (size_t)e) {
			keep[i] = (int)(t % 10);
		}
		carry = t / 10;
	}
	int64_t v = (int64_t)carry;
	for (int i = 0; i < e; i++) {
		v = v * 10 + keep[i];
	}
	return v + (keep[e] >= 5);
}

/* A fraction after sep (one of seps): its digits in [*ret_d, +*ret_n); false when none. */
static bool fraction(struct cur *c, const char *seps, const char **ret_d, size_t *ret_n) {
	if (c->p + 1 >= c->e || !strchr(seps, *c->p) || !is_digit(c->p[1])) {
		return false;
	}
	const char *d = ++c->p;
	while (at_digit(c)) {
		c->p++;
	}
	*ret_d = d;
	*ret_n = (size_t)(c->p - d);
	return true;
}

/* a * b + add, all >= 0; false when the result is beyond TL_TIME_MAX. */
static bool mul_add(int64_t a, int64_t b, int64_t add, int64_t *ret) {
	int64_t v;
	if (__builtin_mul_overflow(a, b, &v) || __builtin_add_overflow(v, add, &v) ||
	    v > TL_TIME_MAX) {
		return false;
	}
	*ret = v;
	return true;
}

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

/*
 * H:MM[:SS[.f]] with the hour of one or two digits below 24: seconds since
 * midnight, whether the seconds were written, and the fraction's digits (n = 0
 * when none).
 */
static bool clock_of_day(struct cur *c, int64_t *ret_s, bool *ret_has_s, const char **ret_f,
			 size_t *ret_n) {
	int64_t h = fixed_digits(c, 1, 2), m = -1, s = 0;
	if (h < 0 || h > 23 || !at(c, ':')) {
		return false;
	}
	c->p++;
	m = fixed_digits(c, 2, 2);
	if (m < 0 || m > 59) {
		return false;
	}
	*ret_n = 0;
	*ret_has_s = at(c, ':');
	if (*ret_has_s) {
		c->p++;
		s = fixed_digits(c, 2, 2);
		if (s < 0 || s > 59) {
			return false;
		}
		fraction(c, ".,", ret_f, ret_n);
	}
	*ret_s = h * 3600 + m * 60 + s;
	return true;
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

/* A unit's length: mul * 10^e ns; rank orders units from largest (0) down. */
struct unit {
	const char *name;
	uint32_t mul;
	int e;
	int rank;
};

/* clang-format off */
static const struct unit units[] = {
	{"d", 864, 11, 0},
	{"day", 864, 11, 0},
	{"days", 864, 11, 0},
	{"h", 36, 11, 1},
	{"hr", 36, 11, 1},
	{"hrs", 36, 11, 1},
	{"hour", 36, 11, 1},
	{"hours", 36, 11, 1},
	{"m", 6, 10, 2},
	{"min", 6, 10, 2},
	{"mins", 6, 10, 2},
	{"minute", 6, 10, 2},
	{"minutes", 6, 10, 2},
	{"s", 1, 9, 3},
	{"sec", 1, 9, 3},
	{"secs", 1, 9, 3},
	{"second", 1, 9, 3},
	{"seconds", 1, 9, 3},
	{"ms", 1, 6, 4},
	{"msec", 1, 6, 4},
	{"msecs", 1, 6, 4},
	{"millisecond", 1, 6, 4},
	{"milliseconds", 1, 6, 4},
	{"us", 1, 3, 5},
	{"\xc2\xb5s", 1, 3, 5}, /* U+00B5 MICRO SIGN */
	{"\xce\xbcs", 1, 3, 5}, /* U+03BC GREEK SMALL LETTER MU */
	{"usec", 1, 3, 5},
	{"usecs", 1, 3, 5},
	{"microsecond", 1, 3, 5},
	{"microseconds", 1, 3, 5},
	{"ns", 1, 0, 6},
	{"nsec", 1, 0, 6},
	{"nsecs", 1, 0, 6},
	{"nanosecond", 1, 0, 6},
	{"nanoseconds", 1, 0, 6},
};
/* clang-format on */

static const int64_t pow10_i64[12] = {
	1,       10,       100,       1000,       10000,       100000,
	1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
};

/*
 * A number with an optional fraction, as whole part and fraction digits;
 * either part may be empty, not both. f_seps lists the fraction separators.
 */
struct number {
	int64_t whole;
	const char *f;
	size_t nf;
};

static bool number(struct cur *c, const char *f_seps, struct number *ret) {
	ret->whole = 0;
	ret->nf = 0;
	ret->f = NULL;
	bool any = any_digits(c, &ret->whole);
	return fraction(c, f_seps, &ret->f, &ret->nf) || any;
}

/* n units of mul * 10^e ns added to *acc; false when beyond TL_TIME_MAX. */
static bool add_part(const struct number *n, uint32_t mul, int e, int64_t *acc) {
	int64_t part;
	int64_t frac = n->nf ? scale_fraction(n->f, n->nf, mul, e) : 0;
	return mul_add(n->whole, (int64_t)mul * pow10_i64[e], frac, &part) &&
	       !__builtin_add_overflow(*acc, part, acc) && *acc <= TL_TIME_MAX;
}

/*
 * The clock in "1 day, 2:03:04" and "0 days 00:00:01.5": H:MM:SS[.f], hours
 * below 24, up to the end. *ret_ns is its length.
 */
static bool day_clock(struct cur *c, int64_t *ret_ns) {
	int64_t secs;
	const char *f = NULL;
	size_t nf = 0;
	bool has_s;
	if (!clock_of_day(c, &secs, &has_s, &f, &nf) || !has_s || c->p != c->e) {
		return false;
	}
	*ret_ns = secs * NS_PER_S + (nf ? scale_fraction(f, nf, 1, 9) : 0);
	return true;
}

/* After "N day[s]": [','] blanks ['+'] digits ':' starts a clock. */
static bool clock_follows(const struct cur *c) {
	struct cur k = *c;
	k.p += at(&k, ',');
	const char *b = k.p;
	skip_blanks(&k);
	if (k.p == b) {
		return false;
	}
	k.p += at(&k, '+');
	while (at_digit(&k)) {
		k.p++;
	}
	return k.p > b && at(&k, ':');
}

/* Parts with units, "1h 2m 3.5s"; or "N day[s][,] H:MM:SS" (sign on the days alone). */
static tl_num with_units(struct cur *c, bool neg, tl_ns *ret) {
	int64_t acc = 0;
	int last_rank = -1;
	bool range = false;
	while (c->p < c->e) {
		struct number n;
		if (!number(c, ".", &n)) {
			return TL_NUM_SYNTAX;
		}
		skip_blanks(c);
		const char *w = c->p;
		while (c->p < c->e &&
		       ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z') ||
			(unsigned char)*c->p >= 0x80)) {
			c->p++;
		}
		const struct unit *u = NULL;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strlen(units[i].name) == (size_t)(c->p - w) &&
			    memcmp(units[i].name, w, (size_t)(c->p - w)) == 0) {
				u = &units[i];
				break;
			}
		}
		if (!u || u->rank <= last_rank) {
			return TL_NUM_SYNTAX;
		}
		if (u->rank == 0 && n.nf == 0 && clock_follows(c)) {
			/* Python's str(timedelta), pandas' Timedelta: signed days plus a clock. */
			c->p += at(c, ',');
			skip_blanks(c);
			c->p += at(c, '+');
			int64_t clock, days;
			if (!day_clock(c, &clock)) {
				return TL_NUM_SYNTAX;
			}
			if (!mul_add(n.whole, NS_PER_DAY, 0, &days)) {
				return TL_NUM_RANGE;
			}
			int64_t v = neg ? clock - days : clock + days;
			if (v > TL_TIME_MAX || v < -TL_TIME_MAX) {
				return TL_NUM_RANGE;
			}
			*ret = v;
			return TL_NUM_OK;
		}
		last_rank = u->rank;
		range = range || !add_part(&n, u->mul, u->e, &acc);
		skip_blanks(c);
	}
	if (last_rank < 0) {
		return TL_NUM_SYNTAX;
	}
	if (range) {
		return TL_NUM_RANGE;
	}
	*ret = neg ? -acc : acc;
	return TL_NUM_OK;
}

/*
 * Clocks: H:MM:SS[.f], M:SS[.f], and Slurm's D-HH, D-HH:MM, D-HH:MM:SS[.f].
 * The first field has any number of digits.
 */
static tl_num clock(struct cur *c, bool neg, tl_ns *ret) {
	int64_t first = 0; /* clock() is called at a digit: any_digits() sets it */
	any_digits(c, &first);
	int64_t f[3];
	int nfields = 0;
	const char *fd = NULL;
	size_t nfd = 0;
	int64_t secs_mul[3];
	int64_t acc;
	bool ok;
	if (at(c, '-')) {
		/* Slurm: days-hours[:minutes[:seconds]]. */
		c->p++;
		f[0] = fixed_digits(c, 1, 2);
		if (f[0] < 0 || f[0] > 23) {
			return TL_NUM_SYNTAX;
		}
		nfields = 1;
		while (nfields < 3 && at(c, ':')) {
			c->p++;
			f[nfields] = fixed_digits(c, 2, 2);
			if (f[nfields] < 0 || f[nfields] > 59) {
				return TL_NUM_SYNTAX;
			}
			nfields++;
		}
		if (nfields == 3) {
			fraction(c, ".,", &fd, &nfd);
		}
		secs_mul[0] = 3600;
		secs_mul[1] = 60;
		secs_mul[2] = 1;
		ok = mul_add(first, NS_PER_DAY, 0, &acc);
	} else {
		/* [H:]M:SS with H (or M, when first) of any size. */
		while (nfields < 2 && at(c, ':')) {
			c->p++;
			f[nfields] = fixed_digits(c, 2, 2);
			if (f[nfields] < 0 || f[nfields] > 59) {
				return TL_NUM_SYNTAX;
			}
			nfields++;
		}
		if (nfields == 0) {
			return TL_NUM_SYNTAX;
		}
		fraction(c, ".,", &fd, &nfd);
		secs_mul[0] = nfields == 2 ? 60 : 1;
		secs_mul[1] = 1;
		ok = mul_add(first, (nfields == 2 ? 3600 : 60) * NS_PER_S, 0, &acc);
	}
	if (c->p != c->e) {
		return TL_NUM_SYNTAX;
	}
	int64_t rest = nfd ? scale_fraction(fd, nfd, 1, 9) : 0;
	for (int i = 0; i < nfields; i++) {
		rest += f[i] * secs_mul[i] * NS_PER_S;
	}
	if (!ok || __builtin_add_overflow(acc, rest, &acc) || acc > TL_TIME_MAX) {
		return TL_NUM_RANGE;
	}
	*ret = neg ? -acc : acc;
	return TL_NUM_OK;
}

/* ISO 8601: P[nD][T[nH][nM][nS]] or PnW; a fraction on the last part only. */
static tl_num iso_duration(struct cur *c, bool neg, tl_ns *ret) {
	static const struct {
		char letter;
		bool time; /* after the T */
		uint32_t mul;
		int e;
	} parts[] = {
		{'W', false, 6048, 11}, {'D', false, 864, 11}, {'H', true, 36, 11},
		{'M', true, 6, 10},     {'S', true, 1, 9},
	};
	c->p++; /* the P */
	int64_t acc = 0;
	bool range = false, in_time = false, any = false, fractional = false, week = false;
	size_t next = 0; /* first part still allowed */
	while (c->p < c->e) {
		if (!in_time && (*c->p == 'T' || *c->p == 't')) {
			c->p++;
			in_time = true;
			if (c->p == c->e) {
				return TL_NUM_SYNTAX; /* "PT", "P1DT" */
			}
			continue;
		}
		struct number n;
		if (fractional || week || !number(c, ".,", &n) || c->p == c->e) {
			return TL_NUM_SYNTAX;
		}
		char l = *c->p++;
		l = (char)(l >= 'a' && l <= 'z' ? l - 'a' + 'A' : l);
		size_t i = next;
		while (i < sizeof(parts) / sizeof(parts[0]) &&
		       (parts[i].letter != l || parts[i].time != in_time)) {
			i++;
		}
		/* Years, months, units out of order or on the wrong side of T. */
		if (i == sizeof(parts) / sizeof(parts[0]) || (i == 0 && (any || in_time))) {
			return TL_NUM_SYNTAX;
		}
		week = i == 0;
		next = i + 1;
		any = true;
		fractional = n.nf > 0;
		range = range || !add_part(&n, parts[i].mul, parts[i].e, &acc);
	}
	if (!any) {
		return TL_NUM_SYNTAX;
	}
	if (range) {
		return TL_NUM_RANGE;
	}
	*ret = neg ? -acc : acc;
	return TL_NUM_OK;
}

tl_num tl_parse_duration_text(const char *s, size_t len, tl_ns *ret) {
	struct cur c;
	if (!trim(s, len, &c)) {
		return TL_NUM_EMPTY;
	}
	bool neg = false;
	if (*c.p == '-' || *c.p == '+') {
		neg = *c.p++ == '-';
	}
	if (at(&c, 'P') || at(&c, 'p')) {
		return iso_duration(&c, neg, ret);
	}
	/* A clock is digits then ':' or '-'. */
	const char *p = c.p;
	while (p < c.e && is_digit(*p)) {
		p++;
	}
	if (p > c.p && p + 1 < c.e && (*p == ':' || *p == '-') && is_digit(p[1])) {
		return clock(&c, neg, ret);
	}
	return with_units(&c, neg, ret);
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

bool tl_duration_from_string(const char *s, size_t len, tl_ns *ret_ns) {
	/* A bare number is seconds; anything else says its units. */
	return tl_parse_time(s, len, 9, ret_ns) == TL_NUM_OK ||
	       tl_parse_duration_text(s, len, ret_ns) == TL_NUM_OK;
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
