#ifndef TIMELINE_IO_TIMETEXT_LEX_H
#define TIMELINE_IO_TIMETEXT_LEX_H

/*
 * The text cursor that the time parsers share (timetext.c: date-times and
 * times of day; timetext_duration.c: durations): blanks, digits, fractions
 * scaled exactly, and the clock of a day, H:MM[:SS[.f]]. Inline: the
 * readers call the parsers once per field of a table.
 */

#include <timeline/trace.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define NS_PER_S INT64_C(1000000000)
#define NS_PER_DAY (86400 * NS_PER_S)

/* Text still to read: [p, e). */
struct cur {
	const char *p, *e;
};

static inline bool is_blank(char c) {
	return c == ' ' || c == '\t';
}

static inline bool is_digit(char c) {
	return (unsigned)(c - '0') < 10;
}

static inline bool at(const struct cur *c, char ch) {
	return c->p < c->e && *c->p == ch;
}

static inline bool at_digit(const struct cur *c) {
	return c->p < c->e && is_digit(*c->p);
}

/* Drop blanks at both ends; false when nothing else is left. */
static inline bool trim(const char *s, size_t len, struct cur *c) {
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

static inline void skip_blanks(struct cur *c) {
	while (c->p < c->e && is_blank(*c->p)) {
		c->p++;
	}
}

/* Between min and max (<= 18) digits as a number, or -1 (c unmoved) when fewer than min. */
static inline int64_t fixed_digits(struct cur *c, int min, int max) {
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
 * round(mul * 0.d[0]d[1]...d[n-1] * 10^e), half away from zero, for mul <= 10^6
 * and e <= 11. The digits are multiplied by mul from the last one up, as on
 * paper, so the product is exact however many there are; only its integer part
 * and the digits down to 10^-(e+1) are kept.
 */
static inline int64_t scale_fraction(const char *d, size_t n, uint32_t mul, int e) {
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
static inline bool fraction(struct cur *c, const char *seps, const char **ret_d, size_t *ret_n) {
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

/*
 * H:MM[:SS[.f]] with the hour of one or two digits below 24: seconds since
 * midnight, whether the seconds were written, and the fraction's digits (n = 0
 * when none).
 */
static inline bool clock_of_day(struct cur *c, int64_t *ret_s, bool *ret_has_s, const char **ret_f,
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

#endif
