/*
 * The runner: each mode, in order, repeat times, on a fresh results region;
 * then the regions' slots become the trace. What each part does:
 * workload.c the jobs and the worker loop, threadpool.c and procpool.c the
 * pools, region.c the results, gil.c the emulated GIL, clock.c time.
 *
 * Everything that is ours and not the pool's happens before a mode's clock
 * starts, in every mode: the region is mapped and faulted in, the dot
 * product's vectors are made. A job that is interrupted (a stop, or the
 * user's Ctrl-C reaching its command or its worker) is counted, not recorded.
 */

#include <timeline/run.h>

#include "pool.h"

#include "../io/scan.h"
#include "../util/memory.h"

#include <timeline/recorder.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const workload_names[TL_WORK_COUNT] = {"cpu", "io",    "sleep",
							  "dot", "track", "exec"};
static const char *const mode_names[TL_MODE_COUNT] = {"serial", "threads", "processes"};

/* The index of s among the n names, -1 when it is none of them. */
static int name_index(const char *const *names, int n, const char *s) {
	for (int i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			return i;
		}
	}
	return -1;
}

const char *tl_workload_to_string(tl_workload w) {
	return w < TL_WORK_COUNT ? workload_names[w] : "?";
}

bool tl_workload_from_string(const char *s, tl_workload *ret) {
	int i = name_index(workload_names, TL_WORK_COUNT, s);
	if (i >= 0) {
		*ret = (tl_workload)i;
	}
	return i >= 0;
}

const char *tl_mode_to_string(tl_mode m) {
	return m < TL_MODE_COUNT ? mode_names[m] : "?";
}

bool tl_mode_from_string(const char *s, tl_mode *ret) {
	int i = name_index(mode_names, TL_MODE_COUNT, s);
	if (i >= 0) {
		*ret = (tl_mode)i;
	}
	return i >= 0;
}

int64_t tl_workload_default_n(tl_workload w) {
	switch (w) {
	case TL_WORK_CPU:
		return 100000000;
	case TL_WORK_DOT:
		return 10000000;
	case TL_WORK_TRACK:
		return 1000000;
	default:
		return 0;
	}
}

void tl_run_opts_init(tl_run_opts *o) {
	memset(o, 0, sizeof(*o));
	o->workload = TL_WORK_CPU;
	o->size = 1 << 20;
	o->latency = 100000000;
	o->modes[0] = TL_MODE_THREADS;
	o->modes[1] = TL_MODE_PROCESSES;
	o->nmodes = 2;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->workers = cpus > 0 ? (int)cpus : 1;
	o->jobs = 4;
	o->repeat = 1;
	o->events_fd = -1;
	o->command_stdout = -1;
}

static bool uses_n(tl_workload w) {
	return w == TL_WORK_CPU || w == TL_WORK_DOT || w == TL_WORK_TRACK;
}

/* s with each byte that breaks UTF-8 made U+FFFD (a label must be text the
 * CSV reader takes back); s itself when it is valid, else a new string (s is
 * freed). NULL when out of memory. */
static char *valid_utf8(char *s) {
	size_t len = strlen(s), ok = tl_utf8_check(s, len);
	if (ok == len) {
		return s;
	}
	char *out = malloc(len * 3 + 1), *o = out;
	for (size_t i = 0; out && i < len;) {
		size_t good = tl_utf8_check(s + i, len - i);
		memcpy(o, s + i, good);
		o += good;
		i += good;
		if (i < len) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	if (out) {
		*o = '\0';
	}
	free(s);
	return out;
}

/* An exec job's label: its command line with "{}" filled, arguments that need
 * it in single quotes. NULL when out of memory; free() it. */
static char *exec_label(char *const *argv, int64_t job) {
	char **a = exec_argv(argv, job);
	if (!a) {
		return NULL;
	}
	size_t cap = 1;
	for (char **p = a; *p; p++) {
		cap += strlen(*p) * 4 + 3;
	}
	char *out = malloc(cap), *o = out;
	for (char **p = a; out && *p; p++) {
		if (p != a) {
			*o++ = ' ';
		}
		bool quote = **p == '\0' || strpbrk(*p, " \t\n'\"\\$`*?[]{}();&|<>~#!") != NULL;
		if (quote) {
			*o++ = '\'';
		}
		for (const char *s = *p; *s; s++) {
			if (quote && *s == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *s;
			}
		}
		if (quote) {
			*o++ = '\'';
		}
	}
	if (out) {
		*o = '\0';
	}
	free_argv(a);
	return out ? valid_utf8(out) : NULL;
}

/* Append one mode's results to the trace as group name. */
static tl_status collect(const struct ctx *c, tl_trace *t, const char *name, size_t *failed,
			 struct tl_error *err) {
	uint32_t g;
	tl_status st = tl_trace_group(t, name, strlen(name), &g, err);
	size_t total = 0;
	for (int j = 0; j < c->reg->jobs; j++) {
		if (atomic_load(&c->reg->slots[j].state) == SLOT_DONE) {
			total += (size_t)c->reg->slots[j].nsamples;
		}
	}
	if (st == TL_OK && total) {
		st = tl_trace_reserve(t, 0, total, err);
	}
	for (int j = 0; j < c->reg->jobs && st == TL_OK; j++) {
		const struct slot *s = &c->reg->slots[j];
		if (atomic_load(&s->state) != SLOT_DONE) {
			continue;
		}
		char buf[16];
		int len = snprintf(buf, sizeof(buf), "%d", s->worker);
		tl_str wid = TL_STR_NONE, label = TL_STR_NONE;
		st = tl_trace_intern(t, buf, (size_t)len, &wid, err);
		if (st == TL_OK && c->o->workload == TL_WORK_EXEC) {
			char *l = exec_label(c->o->argv, j);
			st = l ? tl_trace_intern(t, l, strlen(l), &label, err)
			       : tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
			free(l);
		}
		tl_span sp = {.group = g,
			      .job = j,
			      .worker = wid,
			      .label = label,
			      .start = s->start,
			      .stop = s->stop < s->start ? s->start : s->stop,
			      .status = s->status};
		if (st == TL_OK) {
			st = tl_trace_add_span(t, &sp, err);
		}
		*failed += tl_exit_status_failed(s->status);
		const tl_ns *smp =
			c->reg->samples ? c->reg->samples + (size_t)j * (size_t)c->o->n : NULL;
		for (int64_t i = 0; i < s->nsamples && st == TL_OK; i++) {
			tl_sample sa = {.group = g, .job = j, .worker = wid, .t = smp[i]};
			st = tl_trace_add_sample(t, &sa, err);
		}
	}
	return st;
}

static tl_status check(const tl_run_opts *o, int64_t n, struct tl_error *err) {
	if (o->workers < 1 || o->workers > 4096) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "workers must be between 1 and 4096 (got %d)", o->workers);
	}
	if (o->jobs < 1 || o->jobs > 10000000) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "jobs must be between 1 and 10000000 (got %d)", o->jobs);
	}
	if (o->repeat < 1 || o->repeat > 1000) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "repeat must be between 1 and 1000 (got %d)", o->repeat);
	}
	if (o->nmodes < 1 || o->nmodes > TL_MODE_COUNT) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "no mode to run");
	}
	if (o->workload >= TL_WORK_COUNT) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "unknown workload");
	}
	if (o->workload == TL_WORK_EXEC && (!o->argv || !o->argv[0])) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "the exec workload needs a command after --");
	}
	if (uses_n(o->workload) && n < 1) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "n must be at least 1");
	}
	if (o->latency < 0 || o->jitter < 0 || o->timeout < 0 || o->gil_interval < 0) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "times must not be negative");
	}
	uint64_t avail = tl_memory_available();
	/* Tracker samples live in one mode's region (8 bytes) and then, for every
	 * mode and repeat, in the trace (a time and a track index, in arrays that
	 * grow by doubling: room for up to twice as many); the dot product's two
	 * vectors in memory of their own. */
	uint64_t runs = (uint64_t)o->nmodes * (uint64_t)o->repeat;
	uint64_t per = o->workload == TL_WORK_TRACK
			       ? 8 + 2 * (sizeof(tl_ns) + sizeof(uint32_t)) * runs
		       : o->workload == TL_WORK_DOT ? 16
						    : 0;
	uint64_t count = o->workload == TL_WORK_TRACK ? (uint64_t)o->jobs : 1;
	if (per && avail &&
	    ((uint64_t)n > UINT64_MAX / per / count || (uint64_t)n * count * per > avail)) {
		if (o->workload == TL_WORK_DOT) {
			return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
					    "two vectors of %lld doubles do not fit in memory: at "
					    "most %llu would",
					    (long long)n, (unsigned long long)(avail / per));
		}
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "%d jobs × %lld samples do not fit in memory: at most "
				    "%llu samples a job would, over %llu runs",
				    o->jobs, (long long)n,
				    (unsigned long long)(avail / per / (uint64_t)o->jobs),
				    (unsigned long long)runs);
	}
	return TL_OK;
}

/* The dot product's vectors, made once before any clock starts (as the
 * article's a and b); shared by every job, read-only. */
static double *make_vectors(int64_t n) {
	size_t bytes = 2 * (size_t)n * sizeof(double);
	double *v = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED) {
		return NULL;
	}
	for (int64_t i = 0; i < n; i++) {
		v[i] = (double)(i % 1000) * 0.001;
		v[n + i] = (double)(i % 997) * 0.002;
	}
	return v;
}

struct plan {
	const tl_run_opts *o;
	int64_t n;
	const double *vectors;
	const char *dir;
	size_t failed, not_run, interrupted, completed;
	bool startup_unknown; /* a pool's first job was interrupted: no start-up to show */
};

/* "threads ×4, GIL 5 ms#2": the mode, the caller's suffix, the GIL where it
 * applies, the repeat. */
static void group_name(const struct plan *pl, tl_mode mode, int rep, char *buf, size_t len) {
	const char *suffix = pl->o->group_suffix ? pl->o->group_suffix : "";
	char gil[48] = "", again[16] = "";
	if (mode == TL_MODE_THREADS && pl->o->gil_interval > 0) {
		snprintf(gil, sizeof(gil), ", GIL %g ms", (double)pl->o->gil_interval / 1e6);
	}
	if (pl->o->repeat > 1) {
		snprintf(again, sizeof(again), "#%d", rep + 1);
	}
	snprintf(buf, len, "%s%s%s%s", tl_mode_to_string(mode), suffix, gil, again);
}

/* One mode once: a fresh region, the pool, the results into the trace. */
static tl_status run_mode(struct plan *pl, tl_mode mode, int rep, tl_trace *t,
			  struct tl_error *err) {
	tl_run_opts mo = *pl->o;
	mo.n = pl->n;
	if (mode == TL_MODE_SERIAL) {
		mo.workers = 1;
	}
	struct region *reg =
		region_new(mo.jobs, mo.workers, mo.workload == TL_WORK_TRACK ? mo.n : 0,
			   mode == TL_MODE_PROCESSES);
	if (!reg) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
				    "cannot allocate the results of %d jobs", mo.jobs);
	}
	char name[128];
	group_name(pl, mode, rep, name, sizeof(name));
	struct ctx c = {.o = &mo,
			.reg = reg,
			.a = pl->vectors,
			.b = pl->vectors ? pl->vectors + pl->n : NULL,
			.dir = pl->dir,
			.mode = tl_mode_to_string(mode)};
	tl_status st = TL_OK;
	reg->origin = tl_now();
	if (mode == TL_MODE_SERIAL) {
		emit_event(&c, "ready %s 0 %d", c.mode, (int)getpid());
		worker_loop(&c, 0);
	} else if (mode == TL_MODE_THREADS) {
		st = run_threads(&c, err);
	} else {
		st = run_processes(&c, err);
	}
	report_progress(&c, mode);
	emit_event(&c, "done %s", c.mode);
	if (st == TL_OK) {
		st = collect(&c, t, name, &pl->failed, err);
	}
	/* The first recorded start is the pool's start-up only if that job completed. */
	tl_ns first_done = INT64_MAX;
	for (int j = 0; j < reg->jobs; j++) {
		if (atomic_load(&reg->slots[j].state) == SLOT_DONE &&
		    reg->slots[j].start < first_done) {
			first_done = reg->slots[j].start;
		}
	}
	pl->startup_unknown |=
		first_done != INT64_MAX && atomic_load(&reg->first_start) < first_done;
	int done = atomic_load(&reg->done), interrupted = atomic_load(&reg->interrupted);
	pl->completed += (size_t)done;
	pl->interrupted += (size_t)interrupted;
	/* Jobs left when every worker process died: said, not dropped. */
	if (st == TL_OK && !stopping(&c)) {
		pl->not_run += (size_t)(reg->jobs - done - interrupted);
	}
	region_free(reg);
	return st;
}

static void set_meta(tl_trace *t, const struct plan *pl) {
	const tl_run_opts *o = pl->o;
	char buf[128];
	if (pl->not_run) {
		snprintf(buf, sizeof(buf), "%zu", pl->not_run);
		tl_trace_meta_set(t, TL_META_JOBS_NOT_RUN, buf, NULL);
	}
	bool stopped = o->stop && atomic_load(o->stop);
	if (stopped || pl->interrupted) {
		size_t planned = (size_t)o->jobs * (size_t)o->nmodes * (size_t)o->repeat;
		snprintf(buf, sizeof(buf), "%zu of %zu jobs completed", pl->completed, planned);
		tl_trace_meta_set(t, TL_META_INTERRUPTED, buf, NULL);
	}
	tl_trace_meta_set(t, TL_META_WORKLOAD, tl_workload_to_string(o->workload), NULL);
	if (!pl->startup_unknown) {
		tl_trace_meta_set(t, TL_META_ORIGIN, TL_ORIGIN_POOL, NULL);
	}
	if (o->repeat > 1) {
		snprintf(buf, sizeof(buf), "%d", o->repeat);
		tl_trace_meta_set(t, TL_META_REPEAT, buf, NULL);
	}
	snprintf(buf, sizeof(buf), "%d", o->workers);
	tl_trace_meta_set(t, TL_META_WORKERS, buf, NULL);
	if (o->gil_interval > 0) {
		snprintf(buf, sizeof(buf), "%g ms (emulated)", (double)o->gil_interval / 1e6);
		tl_trace_meta_set(t, TL_META_GIL, buf, NULL);
	}
}

tl_status tl_run(const tl_run_opts *o, tl_trace **ret_trace, size_t *ret_failed,
		 struct tl_error *err) {
	struct plan pl = {.o = o, .n = o->n ? o->n : tl_workload_default_n(o->workload)};
	tl_status st = check(o, pl.n, err);
	if (st != TL_OK) {
		return st;
	}
	tl_trace *t = tl_trace_new();
	if (!t) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	char dir[] = "/tmp/timeline-run-XXXXXX";
	if (o->workload == TL_WORK_IO && !mkdtemp(dir)) {
		tl_trace_free(t);
		return tl_error_set(err, TL_ERR_IO, NULL, 0, 0,
				    "cannot make a temporary folder: %s", strerror(errno));
	}
	pl.dir = dir;
	double *vectors = NULL;
	if (o->workload == TL_WORK_DOT && !(vectors = make_vectors(pl.n))) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
				  "cannot allocate two vectors of %lld doubles", (long long)pl.n);
	}
	pl.vectors = vectors;
	for (int rep = 0; rep < o->repeat && st == TL_OK; rep++) {
		for (int m = 0; m < o->nmodes && st == TL_OK; m++) {
			if (o->stop && atomic_load(o->stop)) {
				break;
			}
			st = run_mode(&pl, o->modes[m], rep, t, err);
		}
	}
	if (vectors) {
		munmap(vectors, 2 * (size_t)pl.n * sizeof(double));
	}
	if (o->workload == TL_WORK_IO) {
		/* A job cut short leaves its file: every one goes, then the folder. */
		for (int j = 0; j < o->jobs; j++) {
			char path[64];
			snprintf(path, sizeof(path), "%s/job-%d.txt", dir, j);
			unlink(path);
		}
		rmdir(dir);
	}
	if (st != TL_OK) {
		tl_trace_free(t);
		return st;
	}
	set_meta(t, &pl);
	*ret_trace = t;
	*ret_failed = pl.failed + pl.not_run;
	return TL_OK;
}
