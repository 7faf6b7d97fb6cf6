#ifndef TIMELINE_RUN_REGION_H
#define TIMELINE_RUN_REGION_H

/*
 * The results region of one mode: sized up front, one slot per job (worker,
 * start, stop, status) and, for the live tracker, n timestamps per job. The
 * process pool maps it MAP_SHARED before forking, so workers write their
 * results straight into the parent's memory and nothing is serialised.
 */

#include <timeline/trace.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SLOT_FREE = 0, SLOT_RUNNING, SLOT_DONE };

struct slot {
	atomic_int state; /* SLOT_* */
	int32_t worker;
	int32_t status;    /* exit status, TL_EXIT_SIGNAL(s) or TL_EXIT_TIMEOUT */
	tl_ns start, stop; /* ns from the mode's origin */
	int64_t nsamples;
};

/*
 * What a worker is doing: the job it runs (>= 0) or one of these. A process
 * worker is STARTING until it is ready to take jobs; one that dies before
 * that is marked GONE by the parent.
 */
enum { WORKER_IDLE = -1, WORKER_STARTING = -2, WORKER_GONE = -3 };

struct region {
	atomic_int next_job;       /* the next job to hand out */
	atomic_int done;           /* jobs in SLOT_DONE */
	atomic_int interrupted;    /* jobs cut short by a stop or the user's interrupt */
	atomic_int go;             /* process pool: 0 until the start line opens */
	tl_ns origin;              /* tl_now() of the mode's time 0; set before jobs start */
	_Atomic tl_ns first_start; /* earliest job start, completed or not; INT64_MAX */
	int jobs, workers;
	size_t size; /* bytes mapped */
	bool shared;
	struct slot *slots;  /* jobs */
	atomic_int *current; /* workers: a job or a WORKER_ state */
	tl_ns *alive_at;     /* workers: tl_now() when the worker began to run */
	atomic_int *command; /* workers: the process group of the command an exec job
			      * runs, or 0; killed with the worker */
	tl_ns *samples;      /* jobs × per_job_samples for the tracker, else NULL */
	int64_t per_job_samples;
};

/*
 * A region for jobs and workers, mapped (shared between processes when
 * shared) and faulted in now, before any clock starts. NULL when the
 * memory cannot be had.
 */
struct region *region_new(int jobs, int workers, int64_t per_job_samples, bool shared);

/* Install this process's page table entries for the whole region, so that no
 * job takes a page fault on its first write (a forked child has none). */
void region_populate(struct region *r);

/* Unmap; NULL is a no-op. */
void region_free(struct region *r);

#endif
