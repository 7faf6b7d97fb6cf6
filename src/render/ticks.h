#ifndef TIMELINE_RENDER_TICKS_H
#define TIMELINE_RENDER_TICKS_H

/*
 * Time axis ticks: 1-2-5 steps and the unit that reads best for a range; from
 * five minutes up, clock steps (10 s, 15 s, 30 s, 1, 2, 5, 10, 15, 30 min, 1,
 * 2, 3, 6, 12 h, then 1-2-5 days) with labels that carry their units
 * ("15 min", "1 h 30 min", "2 d 12 h").
 */

#include <stdbool.h>
#include <stddef.h>

#include <timeline/trace.h>

#include "../util/timeunit.h"

struct tl_ticks {
	tl_ns step;        /* ns between ticks, 1, 2 or 5 × 10^k */
	tl_ns first;       /* first tick >= the range start */
	int count;         /* ticks in [lo, hi] */
	tl_time_unit unit; /* unit of the labels */
	int decimals;      /* decimals the labels need at this step */
};

/*
 * Ticks for the range [lo, hi] (hi > lo) with at most max_ticks ticks
 * (at least 2). Under five minutes, the unit is the largest whose 1 covers no
 * more than the span; from five minutes, minutes, from 90 minutes hours, from
 * three days days, on clock steps.
 */
void tl_ticks_compute(tl_ns lo, tl_ns hi, int max_ticks, struct tl_ticks *ret);

/*
 * The label of tick value v in the ticks' unit: a number ("0.5", "250") for
 * ns to s, a duration with its units for clock units ("0", "15 min",
 * "1 h 30 min"; see tl_ticks_self_labelled()).
 */
void tl_ticks_label(const struct tl_ticks *t, tl_ns v, char *buf, size_t size);

/* Whether the labels carry their units (clock units): the axis names no unit then. */
bool tl_ticks_self_labelled(const struct tl_ticks *t);

/* "Seconds", "Milliseconds", "Microseconds", "Nanoseconds"; "Time" for clock units */
const char *tl_time_unit_title(tl_time_unit u);

/*
 * A duration for people: three significant digits under 100 s ("4.10 s",
 * "250 ms"), then clock units rounded to the smaller one: "12 min 56 s",
 * "3 h 3 min", "2 d 5 h"; zero is "0 s".
 */
void tl_format_duration(tl_ns v, char *buf, size_t size);

#endif
