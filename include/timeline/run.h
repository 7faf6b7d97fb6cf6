#ifndef TIMELINE_RUN_H
#define TIMELINE_RUN_H

/*
 * The runner: J jobs of a built-in workload handed to W workers in job order,
 * as concurrent.futures does, serially, in a thread pool and in a process
 * pool, recording each job's span (and, for the live tracker, a sample per
 * iteration). Results come back as a new tl_trace the caller frees; the runner
 * keeps nothing.
 */

#include <stdatomic.h>

#include <timeline/trace.h>

typedef enum tl_workload {
	TL_WORK_CPU = 0, /* a counting loop of n iterations */
	TL_WORK_IO,      /* write size bytes to a file per job */
	TL_WORK_SLEEP,   /* wait latency (+ jitter) milliseconds */
	TL_WORK_DOT,     /* dot product of two vectors of n doubles */
	TL_WORK_TRACK,   /* the live tracker: a timestamp on each of n iterations */
	TL_WORK_EXEC,    /* run a command per job */
	TL_WORK_COUNT
} tl_workload;

typedef enum tl_mode {
	TL_MODE_SERIAL = 0,
	TL_MODE_THREADS,
	TL_MODE_PROCESSES,
	TL_MODE_COUNT
} tl_mode;

const char *tl_workload_to_string(tl_workload w);
bool tl_workload_from_string(const char *s, tl_workload *ret);
const char *tl_mode_to_string(tl_mode m);
bool tl_mode_from_string(const char *s, tl_mode *ret);

typedef struct tl_run_opts {
	tl_workload workload;
	int64_t n;         /* iterations (cpu, track) or vector length (dot) */
	int64_t size;      /* bytes per job (io) */
	double latency_ms; /* sleep */
	double jitter_ms;  /* sleep: uniform extra in [0, jitter] */
	char *const *argv; /* exec: command; "{}" in an argument becomes the job number */
	tl_mode modes[TL_MODE_COUNT]; /* in order */
	int nmodes;
	int workers;      /* W >= 1 */
	int jobs;         /* J >= 1 */
	int repeat;       /* R >= 1: each mode R times, groups "threads#2"... */
	double gil_ms;    /* threads under an emulated GIL switching every gil_ms; 0: none */
	double timeout_s; /* per job; 0: none */
	atomic_int *stop; /* when it becomes non-zero, running jobs are abandoned and no
			   * new one starts; lock-free, so a signal handler may set it */
	const char *group_suffix; /* appended to each mode's group name, e.g. " ×4"; may be NULL */
	/* Called from the runner's thread after each finished job (may be NULL). */
	void (*progress)(void *ctx, tl_mode mode, int done, int total, tl_ns elapsed);
	void *progress_ctx;
} tl_run_opts;

/** Defaults: cpu, n = 10^7, size 1 MiB, latency 100 ms, threads then processes, 4 jobs. */
void tl_run_opts_init(tl_run_opts *o);

/*
 * Run every mode and return the trace: group per mode (and repeat), span per
 * job with worker, start and stop relative to the mode's start, status (exit
 * code, -signal, TL_STATUS_TIMEOUT); samples for the tracker. *ret_failed
 * counts failed jobs, and jobs that never ran because every worker process
 * died (those are also in the trace's "jobs_not_run" metadata; the trace has
 * no span for them). Fails with TL_ERR_USAGE for impossible options (the
 * message says why, and how many samples would fit when memory is short).
 */
tl_status tl_run(const tl_run_opts *o, tl_trace **ret_trace, size_t *ret_failed,
		 struct tl_error *err);

#endif
