/*
 * Axis ticks. Steps are 1, 2 or 5 times a power of ten nanoseconds, the
 * smallest such step that keeps the tick count within what the axis has room
 * for (gnuplot's quantize_normal_tics does the same with 0.05...2 × 10^k).
 * Labels are exact decimal fractions of the chosen unit, computed from
 * integer nanoseconds so that 0.1 + 0.2 never prints as 0.30000000000000004.
 */

#include "ticks.h"

#include <stdio.h>

#define SEC TL_NS_PER_S
#define MINUTE TL_NS_PER_MIN
#define HOUR TL_NS_PER_H
#define DAY TL_NS_PER_D

/* ns in unit u (from util/timeunit.h, where each unit is defined). */
static tl_ns unit_ns(int u) {
	return tl_time_unit_ns((tl_time_unit)u);
}

const char *tl_time_unit_title(tl_time_unit u) {
	static const char *const s[TL_TU_COUNT] = {
		"Nanoseconds", "Microseconds", "Milliseconds", "Seconds", "Time", "Time", "Time"};
	return u < TL_TU_COUNT ? s[u] : "?";
}

bool tl_ticks_self_labelled(const struct tl_ticks *t) {
	return t->unit >= TL_TU_MIN;
}

/* Clock steps from five minutes up: the smallest that keeps within max_ticks. */
static tl_ns clock_step(tl_ns span, int max_ticks) {
	static const tl_ns steps[] = {10 * SEC,   15 * SEC,    30 * SEC,    MINUTE,      2 * MINUTE,
				      5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR,
				      2 * HOUR,   3 * HOUR,    6 * HOUR,    12 * HOUR};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (span / steps[i] + 1 <= max_ticks) {
			return steps[i];
		}
	}
	static const int mult[3] = {1, 2, 5};
	for (tl_ns pow = DAY; pow <= INT64_MAX / 10; pow *= 10) {
		for (int m = 0; m < 3; m++) {
			if (span / (pow * mult[m]) + 1 <= max_ticks) {
				return pow * mult[m];
			}
		}
	}
	return 0; /* spans of millennia: the 1-2-5 steps of any unit */
}

/* floor(a / b) for b > 0 */
static tl_ns floor_div(tl_ns a, tl_ns b) {
	tl_ns q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

void tl_ticks_compute(tl_ns lo, tl_ns hi, int max_ticks, struct tl_ticks *ret) {
	if (max_ticks < 2) {
		max_ticks = 2;
	}
	if (hi <= lo) {
		hi = lo + 1;
	}
	tl_ns span = hi - lo;
	tl_ns cstep = span >= 5 * MINUTE ? clock_step(span, max_ticks) : 0;
	if (cstep) {
		tl_ns step = cstep;
		tl_ns first = floor_div(lo, step) * step;
		first += first < lo ? step : 0;
		*ret = (struct tl_ticks){.step = step,
					 .first = first,
					 .count = first > hi ? 0 : (int)((hi - first) / step) + 1,
					 .unit = span >= 3 * DAY       ? TL_TU_D
						 : span >= 90 * MINUTE ? TL_TU_H
								       : TL_TU_MIN};
		return;
	}
	tl_ns step = 1;
	static const int mult[3] = {1, 2, 5};
	/* Smallest 1-2-5 step giving at most max_ticks ticks in the range. */
	for (tl_ns pow = 1;; pow *= 10) {
		bool found = false;
		for (int m = 0; m < 3; m++) {
			step = pow * mult[m];
			if (span / step + 1 <= max_ticks) {
				found = true;
				break;
			}
		}
		/* 5 × 10^18 covers any int64 span; stop before pow * 5 overflows. */
		if (found || pow > INT64_MAX / 50) {
			break;
		}
	}
	tl_time_unit unit = TL_TU_NS;
	for (int u = TL_TU_S; u > TL_TU_NS; u--) { /* spans under five minutes */
		if (span >= unit_ns(u)) {
			unit = (tl_time_unit)u;
			break;
		}
	}
	int decimals = 0;
	for (tl_ns q = unit_ns(unit); q > step && q > 1; q /= 10) {
		decimals++;
	}
	tl_ns first = floor_div(lo, step) * step;
	if (first < lo) {
		first += step;
	}
	ret->step = step;
	ret->first = first;
	ret->count = first > hi ? 0 : (int)((hi - first) / step) + 1;
	ret->unit = unit;
	ret->decimals = decimals;
}

/*
 * |v| in clock units from the largest, top, down to the smallest that is not
 * zero and not below floor: "1 h 30 min", "2 d 12 h"; "0" for zero. What
 * is below floor is dropped: the caller rounds v first.
 */
static void clock_text(tl_ns v, tl_time_unit top, tl_time_unit floor, char *buf, size_t size) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = (size_t)snprintf(buf, size, "%s", v < 0 && mag ? "-" : "");
	bool any = false;
	for (int u = top; u >= (int)floor && n < size; u--) {
		uint64_t q = mag / (uint64_t)unit_ns(u);
		mag %= (uint64_t)unit_ns(u);
		if (q) {
			n += (size_t)snprintf(buf + n, size - n, "%s%llu %s", any ? " " : "",
					      (unsigned long long)q,
					      tl_time_unit_symbol((tl_time_unit)u));
			any = true;
		}
		if (mag < (uint64_t)unit_ns(floor)) {
			break;
		}
	}
	if (!any && n < size) {
		snprintf(buf + n, size - n, "0");
	}
}

void tl_ticks_label(const struct tl_ticks *t, tl_ns v, char *buf, size_t size) {
	if (tl_ticks_self_labelled(t)) {
		clock_text(v, t->unit, TL_TU_S, buf, size);
		return;
	}
	tl_ns u = unit_ns(t->unit);
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t whole = mag / (uint64_t)u, frac = mag % (uint64_t)u;
	if (t->decimals == 0) {
		snprintf(buf, size, "%s%llu", v < 0 ? "-" : "", (unsigned long long)whole);
		return;
	}
	/* frac has log10(u) digits; keep the first `decimals`. */
	int digits = 0;
	for (tl_ns q = u; q > 1; q /= 10) {
		digits++;
	}
	for (int i = t->decimals; i < digits; i++) {
		frac /= 10;
	}
	snprintf(buf, size, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)whole,
		 t->decimals, (unsigned long long)frac);
}

/* v rounded to a multiple of unit, half away from zero, without overflow. */
static tl_ns round_to(tl_ns v, tl_ns unit) {
	tl_ns q = v / unit, r = v % unit;
	if (r >= unit - r) {
		q++;
	} else if (-r >= unit + r) {
		q--;
	}
	return q > INT64_MAX / unit   ? INT64_MAX / unit * unit
	       : q < INT64_MIN / unit ? INT64_MIN / unit * unit
				      : q * unit;
}

void tl_format_duration(tl_ns v, char *buf, size_t size) {
	tl_ns av = v < 0 ? -(v + 1) : v;  /* no overflow at INT64_MIN */
	if (av >= 100 * SEC - SEC / 20) { /* what "%.1f s" would print as 100.0 */
		/* Clock units, rounded to the smaller of the two shown. */
		tl_time_unit top = av >= DAY ? TL_TU_D : av >= HOUR ? TL_TU_H : TL_TU_MIN;
		tl_time_unit floor = (tl_time_unit)(top - 1);
		tl_ns r = round_to(v, unit_ns(floor));
		tl_ns ar = r < 0 ? -(r + 1) : r;
		/* Rounding may carry into the next unit: "60 min" is "1 h". */
		if (top < TL_TU_D && ar >= unit_ns(top + 1) - 1) {
			top = (tl_time_unit)(top + 1);
			floor = (tl_time_unit)(top - 1);
			r = round_to(v, unit_ns(floor));
		}
		clock_text(r, top, floor, buf, size);
		return;
	}
	if (v == 0) {
		snprintf(buf, size, "0 s"); /* no time at all has no scale to show */
		return;
	}
	double a = (double)(v < 0 ? -v : v);
	int u = TL_TU_NS;
	for (int k = TL_TU_S; k > TL_TU_NS; k--) {
		if (a >= (double)unit_ns(k)) {
			u = k;
			break;
		}
	}
	double x = (double)v / (double)unit_ns(u);
	double ax = x < 0 ? -x : x;
	int dec = ax >= 100 ? 0 : ax >= 10 ? 1 : 2;
	if (u == TL_TU_NS) {
		dec = 0;
	}
	snprintf(buf, size, "%.*f %s", dec, x, tl_time_unit_symbol((tl_time_unit)u));
}
