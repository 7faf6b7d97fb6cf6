/*
 * The one clock of the runner and the recorder: CLOCK_MONOTONIC, which no
 * one can set back, read as int64 nanoseconds. Wall-clock anchors are the
 * writers' business.
 */

#include "clock.h"

#include <timeline/recorder.h>

#include <errno.h>
#include <time.h>

tl_ns tl_now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (tl_ns)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tl_sleep_ns(tl_ns ns) {
	if (ns <= 0) {
		return;
	}
	struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}
