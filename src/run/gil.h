#ifndef TIMELINE_RUN_GIL_H
#define TIMELINE_RUN_GIL_H

/*
 * The emulated GIL: one FIFO ticket lock that the thread running
 * Python-like work holds and, every switch interval, hands to the longest
 * waiter, as CPython does with its forced switching. It emulates the
 * scheduling, not the interpreter.
 */

#include <timeline/trace.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct gil {
	pthread_mutex_t m;
	pthread_cond_t c;
	uint64_t next, serving; /* tickets */
	atomic_int waiting;     /* threads waiting for their ticket */
	tl_ns interval;         /* switch interval, ns */
	tl_ns since;            /* tl_now() when the holder got it */
};

void gil_init(struct gil *g, tl_ns interval);
void gil_fini(struct gil *g);
/* Wait for the GIL, in arrival order. */
void gil_acquire(struct gil *g);
void gil_release(struct gil *g);
/* Hand the GIL over when the interval is up and someone waits; g may be NULL. */
void gil_tick(struct gil *g, tl_ns now);

#endif
