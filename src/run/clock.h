#ifndef TIMELINE_RUN_CLOCK_H
#define TIMELINE_RUN_CLOCK_H

/*
 * The runner's clock: tl_now() (CLOCK_MONOTONIC ns, public in recorder.h)
 * and a sleep that finishes its time when a signal interrupts it.
 */

#include <timeline/trace.h>

/** Sleep ns nanoseconds (<= 0: return at once), resuming after EINTR. */
void tl_sleep_ns(tl_ns ns);

#endif
