#ifndef TIMELINE_UTIL_TIMEUNIT_H
#define TIMELINE_UTIL_TIMEUNIT_H

/*
 * The units of time, defined once for the whole tree: each one's symbol,
 * its name in ASCII and its size in nanoseconds. The axis and the duration
 * texts (render/ticks.h) pick among all of them; the public tl_unit of the
 * readers (timeline/io.h: the unit of bare numbers in an input's time
 * columns) names s, ms, us and ns by these, through tl_unit_time()
 * (io/columns.h). tl_unit stays an enum of its own: it has a "not given"
 * value (TL_UNIT_DEFAULT) and only the units an input's numbers may take,
 * numbered as the library's users already have them, where this one has
 * the clock units of an axis, smallest first.
 */

#include <stdint.h>

typedef enum tl_time_unit {
	TL_TU_NS = 0,
	TL_TU_US,
	TL_TU_MS,
	TL_TU_S,
	TL_TU_MIN, /* clock units: labels carry their units, "1 min 30 s" */
	TL_TU_H,   /* "1 h 30 min" */
	TL_TU_D,   /* "2 d 12 h" */
	TL_TU_COUNT
} tl_time_unit;

/* Each unit's size in ns, as constants for tables: tl_time_unit_ns() of it. */
#define TL_NS_PER_US INT64_C(1000)
#define TL_NS_PER_MS (1000 * TL_NS_PER_US)
#define TL_NS_PER_S (1000 * TL_NS_PER_MS)
#define TL_NS_PER_MIN (60 * TL_NS_PER_S)
#define TL_NS_PER_H (60 * TL_NS_PER_MIN)
#define TL_NS_PER_D (24 * TL_NS_PER_H)

/* Nanoseconds in one u: 1, 1000, 10^6, 10^9, 60 × 10^9, ...; 0 out of range. */
int64_t tl_time_unit_ns(tl_time_unit u);

/* u's size in ns as a power of ten: 0 (ns), 3, 6, 9 (s); -1 for the clock units. */
int tl_time_unit_scale10(tl_time_unit u);

/* "ns", "µs", "ms", "s", "min", "h", "d"; "?" out of range. */
const char *tl_time_unit_symbol(tl_time_unit u);

/* The symbol in ASCII: "us" for µs, the others as their symbol. */
const char *tl_time_unit_name(tl_time_unit u);

#endif
