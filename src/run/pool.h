#ifndef TIMELINE_RUN_POOL_H
#define TIMELINE_RUN_POOL_H

/*
 * The two pools. Each runs c->o->workers workers over c->reg's jobs with
 * worker_loop(), reports progress, and returns when every worker is done;
 * results are in the region. Errors: TL_ERR_NOMEM when a thread, a process
 * or memory cannot be had (workers already started are stopped first).
 */

#include "workload.h"

#include <timeline/error.h>

/* A thread pool; c->reg->origin is the pool's time 0, set by the caller. */
tl_status run_threads(struct ctx *c, struct tl_error *err);

/*
 * A process pool: forks its workers (the caller has no other thread), sets
 * c->reg->origin so that the pool's start-up is the time it took to have
 * every worker running, and reaps them as they exit.
 */
tl_status run_processes(struct ctx *c, struct tl_error *err);

/* Call the caller's progress callback, if any. */
void report_progress(const struct ctx *c, tl_mode mode);

#endif
