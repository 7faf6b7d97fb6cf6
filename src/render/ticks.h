#ifndef TIMELINE_RENDER_TICKS_H
#define TIMELINE_RENDER_TICKS_H

/* Time axis ticks: 1-2-5 steps and the unit that reads best for a range. */

#include <stddef.h>

#include <timeline/trace.h>

typedef enum tl_time_unit { TL_TU_NS = 0, TL_TU_US, TL_TU_MS, TL_TU_S, TL_TU_COUNT } tl_time_unit;

struct tl_ticks {
	tl_ns step;        /* ns between ticks, 1, 2 or 5 × 10^k */
	tl_ns first;       /* first tick >= the range start */
	int count;         /* ticks in [lo, hi] */
	tl_time_unit unit; /* unit of the labels */
	int decimals;      /* decimals the labels need at this step */
};

/*
 * Ticks for the range [lo, hi] (hi > lo) with at most max_ticks ticks
 * (at least 2). The unit is the largest whose 1 covers no more than the span.
 */
void tl_ticks_compute(tl_ns lo, tl_ns hi, int max_ticks, struct tl_ticks *ret);

/* The label of tick value v ("0.5", "250"), in the ticks' unit. */
void tl_ticks_label(const struct tl_ticks *t, tl_ns v, char *buf, size_t size);

/* "s", "ms", "µs", "ns" */
const char *tl_time_unit_symbol(tl_time_unit u);

/* "Seconds", "Milliseconds", "Microseconds", "Nanoseconds" */
const char *tl_time_unit_title(tl_time_unit u);

/* A duration for people with three significant digits: "4.10 s", "250 ms". */
void tl_format_duration(tl_ns v, char *buf, size_t size);

#endif
