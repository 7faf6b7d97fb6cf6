#ifndef TIMELINE_RUN_H
#define TIMELINE_RUN_H

/*
 * The runner: J jobs of a built-in workload handed to W workers in job order,
 * as concurrent.futures does, serially, in a thread pool and in a process
 * pool, recording each job's span (and, for the live tracker, a sample per
 * iteration). Results come back as a new tl_trace the caller frees; the runner
 * keeps nothing.
 *
 * tl_run() forks. The process pool's workers are forked from the calling
 * thread, so at the call the process must have no other thread that holds a
 * lock a worker could need (malloc's, stdio's): call it from a single-threaded
 * program, or with the other threads idle. Workers copy the caller's memory
 * (they leave with _exit(), so stdio buffers they copied are never written
 * twice) and its open file descriptors: a temporary file the caller has open
 * stays open in the workers until they exit. Signal handlers the caller installed are reset to
 * the default in the workers, and every signal is blocked around fork(); a
 * worker never runs the caller's handlers.
 */

#include <stdatomic.h>

#include <timeline/trace.h>

typedef enum tl_workload {
	TL_WORK_CPU = 0, /* a counting loop of n iterations */
	TL_WORK_IO,      /* write size bytes to a file per job */
	TL_WORK_SLEEP,   /* wait latency (+ jitter) */
	TL_WORK_DOT,     /* dot product of two vectors of n doubles, made before the clock */
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

/**
 * The workload's n when none is given: the articles' sizes where they have
 * one (cpu 10^8 iterations as naive_add, track 10^6 timestamps per job as
 * live_tracker), dot 10^7 doubles per vector; 0 for workloads without n.
 */
int64_t tl_workload_default_n(tl_workload w);

typedef struct tl_run_opts {
	tl_workload workload;
	int64_t n;         /* iterations (cpu, track) or vector length (dot); 0: the default */
	int64_t size;      /* bytes per job (io) */
	tl_ns latency;     /* sleep: ns */
	tl_ns jitter;      /* sleep: uniform extra in [0, jitter] ns, fixed per job */
	char *const *argv; /* exec: command; "{}" in an argument becomes the job number */
	tl_mode modes[TL_MODE_COUNT]; /* in order */
	int nmodes;
	int workers;        /* W >= 1 */
	int jobs;           /* J >= 1 */
	int repeat;         /* R >= 1: each mode R times, groups "threads#2"... */
	tl_ns gil_interval; /* threads under an emulated GIL switching every interval; 0: none */
	tl_ns timeout;      /* per job; 0: none */
	atomic_int *stop;   /* when it becomes non-zero, running jobs are abandoned and no
			     * new one starts; lock-free, so a signal handler may set it */
	const char *group_suffix; /* appended to each mode's group name, e.g. " ×4"; may be NULL */
	/* Called from the caller's thread while a pool works, about every 100 ms,
	 * and once when a mode ends (may be NULL). elapsed: ns since the mode's origin. */
	void (*progress)(void *ctx, tl_mode mode, int done, int total, tl_ns elapsed);
	void *progress_ctx;
	/*
	 * -1 (the default), or a file descriptor the runner writes one line to
	 * per event, each with one write(2) so lines from several processes never
	 * mix: "ready MODE WORKER PID" when a worker can take jobs, "start MODE JOB
	 * WORKER PID", "stop MODE JOB WORKER STATUS" (STATUS as in the CSV, or
	 * "interrupted"), "done MODE" when a mode's pool has finished. MODE is
	 * the mode's name (serial, threads, processes). For tests and monitors that must wait on
	 * what the runner does rather than on time.
	 */
	int events_fd;
	/* exec: where commands' standard output goes: -1 (the default) the
	 * caller's; else this descriptor (timeline run gives stderr when the
	 * results go to stdout). Commands read /dev/null and run in a process
	 * group of their own, killed whole when the job ends, times out or is
	 * stopped, or its worker dies. */
	int command_stdout;
} tl_run_opts;

/** Defaults: cpu with its default n, size 1 MiB, latency 100 ms, threads then
 * processes, one worker per CPU, 4 jobs, no events. */
void tl_run_opts_init(tl_run_opts *o);

/*
 * Run every mode and return the trace: group per mode (and repeat), span per
 * job with worker, start and stop in ns from the mode's origin (the moment its
 * pool began to be made, so the first start is the pool's start-up), status
 * (exit code, -signal, TL_STATUS_TIMEOUT); exec spans are labelled with their
 * command; samples for the tracker. Metadata: "workload", "workers", "gil",
 * "repeat" (R, when above 1), "origin" (TL_ORIGIN_POOL, unless a pool's first
 * job was interrupted, when the first recorded start is not its start-up),
 * and, when a stop was asked for or the user interrupted jobs, "interrupted"
 * ("K of N jobs completed"): interrupted jobs have no span and are not
 * failures. *ret_failed counts failed jobs, and jobs
 * that never ran because every worker process died (those are also in the
 * trace's "jobs_not_run" metadata; the trace has no span for them).
 *
 * Errors: TL_ERR_USAGE for impossible options (the message says why, and how
 * many samples would fit when memory is short); TL_ERR_NOMEM when memory, a
 * thread or a process cannot be had; TL_ERR_IO when the io workload's folder
 * cannot be made. *ret_trace is untouched on failure.
 */
tl_status tl_run(const tl_run_opts *o, tl_trace **ret_trace, size_t *ret_failed,
		 struct tl_error *err);

#endif
