/*
 * Durations written as text, to int64 ns (timetext.h): parts with units
 * ("1h 2m 3.5s", "2 days"), clocks ("1:02:03", Slurm's "1-02:03:04"), a
 * number of days with a clock (Python's and pandas' timedeltas) and ISO
 * 8601 ("PT1H2M"). Integer arithmetic only, as in timetext.c: each part is
 * scaled exactly, rounded once.
 */

#include "timetext.h"
#include "timetext_lex.h"

#include "scan.h"

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

/* ":MM" fields (00-59) into f from *n on, up to max in all; false at a bad one. */
static bool sixties(struct cur *c, int max, int64_t *f, int *n) {
	while (*n < max && at(c, ':')) {
		c->p++;
		f[*n] = fixed_digits(c, 2, 2);
		if (f[*n] < 0 || f[*n] > 59) {
			return false;
		}
		(*n)++;
	}
	return true;
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
		if (!sixties(c, 3, f, &nfields)) {
			return TL_NUM_SYNTAX;
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
		if (!sixties(c, 2, f, &nfields) || nfields == 0) {
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

bool tl_duration_from_string(const char *s, size_t len, tl_ns *ret_ns) {
	/* A bare number is seconds; anything else says its units. */
	return tl_parse_time(s, len, 9, ret_ns) == TL_NUM_OK ||
	       tl_parse_duration_text(s, len, ret_ns) == TL_NUM_OK;
}
