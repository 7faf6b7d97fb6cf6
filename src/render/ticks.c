/*
 * Axis ticks. Steps are 1, 2 or 5 times a power of ten nanoseconds, the
 * smallest such step that keeps the tick count within what the axis has room
 * for (gnuplot's quantize_normal_tics does the same with 0.05...2 × 10^k).
 * Labels are exact decimal fractions of the chosen unit, computed from
 * integer nanoseconds so that 0.1 + 0.2 never prints as 0.30000000000000004.
 */

#include "ticks.h"

#include <stdio.h>

static const tl_ns unit_ns[TL_TU_COUNT] = {1, 1000, 1000000, 1000000000};

const char *tl_time_unit_symbol(tl_time_unit u) {
	static const char *const s[TL_TU_COUNT] = {"ns", "\xc2\xb5s", "ms", "s"};
	return u < TL_TU_COUNT ? s[u] : "?";
}

const char *tl_time_unit_title(tl_time_unit u) {
	static const char *const s[TL_TU_COUNT] = {"Nanoseconds", "Microseconds", "Milliseconds",
						   "Seconds"};
	return u < TL_TU_COUNT ? s[u] : "?";
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
	for (int u = TL_TU_S; u > TL_TU_NS; u--) {
		if (span >= unit_ns[u]) {
			unit = (tl_time_unit)u;
			break;
		}
	}
	int decimals = 0;
	for (tl_ns q = unit_ns[unit]; q > step && q > 1; q /= 10) {
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

void tl_ticks_label(const struct tl_ticks *t, tl_ns v, char *buf, size_t size) {
	tl_ns u = unit_ns[t->unit];
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

void tl_format_duration(tl_ns v, char *buf, size_t size) {
	double a = (double)(v < 0 ? -v : v);
	int u = TL_TU_NS;
	for (int k = TL_TU_S; k > TL_TU_NS; k--) {
		if (a >= (double)unit_ns[k]) {
			u = k;
			break;
		}
	}
	double x = (double)v / (double)unit_ns[u];
	double ax = x < 0 ? -x : x;
	int dec = ax >= 100 ? 0 : ax >= 10 ? 1 : 2;
	if (u == TL_TU_NS) {
		dec = 0;
	}
	snprintf(buf, size, "%.*f %s", dec, x, tl_time_unit_symbol((tl_time_unit)u));
}
