#ifndef TIMELINE_RUN_H
#define TIMELINE_RUN_H

/*
 * The runner: J jobs of a built-in workload handed to W workers in job order,
 * as concurrent.futures does, serially, in a thread pool and in a process
 * pool, recording each job's span (and, for the live tracker, a sample per
 * iteration). Results come back as a new tl_trace the caller frees; the runner
 * keeps nothing. tl_run() forks: its comment says what that asks of the
 * caller.
 */

#include <stdatomic.h>

#include <timeline/trace.h>

/** The built-in jobs. */
typedef enum tl_workload {
	TL_WORK_CPU = 0, /* a counting loop of n iterations */
	TL_WORK_IO,      /* write size bytes to a file per job */
	TL_WORK_SLEEP,   /* wait latency (+ jitter) */
	TL_WORK_DOT,     /* dot product of two vectors of n doubles, made before the clock */
	TL_WORK_TRACK,   /* the live tracker: a timestamp on each of n iterations */
	TL_WORK_EXEC,    /* run a command per job */
	TL_WORK_COUNT
} tl_workload;

/** How the jobs run: one after another, in a thread pool, in a process pool. */
typedef enum tl_mode {
	TL_MODE_SERIAL = 0,
	TL_MODE_THREADS,
	TL_MODE_PROCESSES,
	TL_MODE_COUNT
} tl_mode;

/** "cpu", "io", "sleep", "dot", "track", "exec" ("?" out of range): a static string. */
const char *tl_workload_to_string(tl_workload w);
/** The workload named s (as tl_workload_to_string); false (*ret untouched) for another name. */
bool tl_workload_from_string(const char *s, tl_workload *ret);
/** "serial", "threads", "processes" ("?" out of range): a static string. */
const char *tl_mode_to_string(tl_mode m);
/** The mode named s (as tl_mode_to_string); false (*ret untouched) for another name. */
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

/**
 * Fill the caller's o with the defaults: cpu with its default n, size 1 MiB,
 * latency 100 ms, threads then processes, one worker per CPU, 4 jobs,
 * repeat 1, no events, the caller's standard output for commands. Never fails.
 */
void tl_run_opts_init(tl_run_opts *o);

/**
 * Run every mode and return the trace: group per mode (and repeat), span per
 * job with worker, start and stop in ns from the mode's origin (the moment its
 * pool began to be made, so the first start is the pool's start-up), status
 * (exit code, -signal, TL_EXIT_TIMEOUT); exec spans are labelled with their
 * command; samples for the tracker. Metadata: "workload", "workers", "gil",
 * "repeat" (R, when above 1), "origin" (TL_ORIGIN_POOL, unless a pool's first
 * job was interrupted, when the first recorded start is not its start-up),
 * and, when a stop was asked for or the user interrupted jobs, "interrupted"
 * ("K of N jobs completed"): interrupted jobs have no span and are not
 * failures. *ret_failed counts failed jobs, and jobs
 * that never ran because every worker process died (those are also in the
 * trace's "jobs_not_run" metadata; the trace has no span for them).
 *
 * *ret_trace is a new trace the caller frees with tl_trace_free(); o and
 * what it points to stay the caller's. Blocks until every mode has run (or
 * *o->stop was set); progress is called from the calling thread.
 *
 * Errors: TL_ERR_USAGE for impossible options (workers outside 1..4096,
 * jobs outside 1..10000000, repeat outside 1..1000, no mode, exec without a
 * command, negative times; the message says why, and how many samples would
 * fit when memory is short: the least of MemAvailable, the cgroup's
 * memory.max and the RLIMIT_AS and RLIMIT_DATA limits); TL_ERR_NOMEM when
 * memory, a thread or a process cannot be had; TL_ERR_IO when the io
 * workload's folder cannot be made.
 * *ret_trace and *ret_failed are untouched on failure.
 *
 * Forking. The process mode forks its W workers from the calling thread,
 * and the exec workload forks a child per job (from the worker threads in
 * threads mode) that runs the command. A forked child has only the thread
 * that forked it: the caller's other threads go on running in the caller's
 * process only, and any lock one of them held at the fork stays locked in
 * the child for ever. So at the call the process must have no other thread
 * that could hold a lock a worker needs (malloc's, stdio's, the caller's
 * own): call tl_run() from a single-threaded program, or with the other
 * threads idle (not in malloc, stdio or tl_ calls). Workers copy the
 * caller's memory (they leave with _exit(): atexit handlers do not run and
 * copied stdio buffers are never written twice) and its open file
 * descriptors: a file the caller has open stays open in the workers until
 * they exit, and commands inherit every descriptor not opened with
 * O_CLOEXEC. Every signal is blocked around each fork(), and in the child
 * the handlers the caller installed are reset to the default before signals
 * are unblocked, so a worker or command never runs the caller's handlers
 * (tl_output_abandon() in a worker would leave the caller's files alone in
 * any case). Workers die with the calling thread (PR_SET_PDEATHSIG). tl_run
 * waits for its own children by process id and reaps no others; the caller
 * must not reap them (waitpid(-1, ...), SIGCHLD set to SIG_IGN) while it
 * runs.
 */
tl_status tl_run(const tl_run_opts *o, tl_trace **ret_trace, size_t *ret_failed,
		 struct tl_error *err);

#endif
