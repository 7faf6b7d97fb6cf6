#ifndef TIMELINE_RUN_WORKLOAD_H
#define TIMELINE_RUN_WORKLOAD_H

/*
 * The built-in workloads and the loop every worker runs, in any pool: take
 * the next job number, run it, fill its slot, until none is left or a stop
 * is asked for.
 */

#include "gil.h"
#include "region.h"

#include <timeline/run.h>

/* Everything a worker needs; copied into each process worker. */
struct ctx {
	const tl_run_opts *o;
	struct region *reg;
	struct gil *gil;     /* NULL unless threads run under the emulated GIL */
	const double *a, *b; /* dot: the two vectors, made before the clock started */
	const char *dir;     /* io: where job files go */
	const char *mode;    /* the mode's name, for events */
};

/* A job's result besides an exit status: cut short by a stop or an interrupt. */
enum { RUN_INTERRUPTED = INT32_MIN + 1 };

/* true once a stop was asked for (o->stop set). */
bool stopping(const struct ctx *c);

/* Take jobs in order until none is left or a stop is asked for. */
void worker_loop(const struct ctx *c, int worker);

/*
 * Write one line to o->events_fd (if >= 0) with one write(2), so lines from
 * several processes never mix: "EVENT MODE WORDS...\n". Safe in a child.
 */
void emit_event(const struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The argument vector of an exec job: "{}" becomes the job number. NULL when
 * out of memory; free with free_argv(). */
char **exec_argv(char *const *argv, int64_t job);
void free_argv(char **argv);

#endif
