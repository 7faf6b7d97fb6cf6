/*
 * The runner. DESIGN, before any code:
 *
 * Jobs 0..J-1 are handed out in order from one atomic counter; each worker
 * takes the next job when it is free, as concurrent.futures does. Results go
 * into a region sized up front: one slot per job (worker, start, stop,
 * status) and, for the live tracker, n timestamps per job. Serial and thread
 * modes allocate the region; process mode maps it MAP_SHARED before forking,
 * so children write their results straight into the parent's memory and
 * nothing is serialised through a pipe (the seed articles blame pickling for
 * part of the process pool's overhead; here there is none).
 *
 * Processes are forked while the runner has no other thread (thread mode has
 * joined its threads by then), and children leave with _exit(). A child that
 * dies in the middle of a job has its job recorded with the signal as status;
 * the other children take the remaining jobs.
 *
 * The GIL emulation is a FIFO ticket lock: a thread running Python-like work
 * holds it and, every switch interval, hands it to the longest waiter, as
 * CPython does with its forced switching. Sleeping, waiting for a child and
 * writing files release it, as CPython's blocking calls do. It is an
 * emulation of the scheduling, not of the interpreter.
 *
 * Times are CLOCK_MONOTONIC nanoseconds relative to the mode's start. A job
 * that is interrupted (stop flag) is not recorded: only completed jobs are.
 */

#include <timeline/run.h>

#include <timeline/recorder.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *const workload_names[TL_WORK_COUNT] = {"cpu", "io",    "sleep",
							  "dot", "track", "exec"};
static const char *const mode_names[TL_MODE_COUNT] = {"serial", "threads", "processes"};

const char *tl_workload_to_string(tl_workload w) {
	return w < TL_WORK_COUNT ? workload_names[w] : "?";
}

bool tl_workload_from_string(const char *s, tl_workload *ret) {
	for (int i = 0; i < TL_WORK_COUNT; i++) {
		if (strcmp(s, workload_names[i]) == 0) {
			*ret = (tl_workload)i;
			return true;
		}
	}
	return false;
}

const char *tl_mode_to_string(tl_mode m) {
	return m < TL_MODE_COUNT ? mode_names[m] : "?";
}

bool tl_mode_from_string(const char *s, tl_mode *ret) {
	for (int i = 0; i < TL_MODE_COUNT; i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*ret = (tl_mode)i;
			return true;
		}
	}
	return false;
}

void tl_run_opts_init(tl_run_opts *o) {
	memset(o, 0, sizeof(*o));
	o->workload = TL_WORK_CPU;
	o->n = 10000000;
	o->size = 1 << 20;
	o->latency_ms = 100;
	o->modes[0] = TL_MODE_THREADS;
	o->modes[1] = TL_MODE_PROCESSES;
	o->nmodes = 2;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o->workers = cpus > 0 ? (int)cpus : 1;
	o->jobs = 4;
	o->repeat = 1;
}

/* ---- the emulated GIL ---- */

struct gil {
	pthread_mutex_t m;
	pthread_cond_t c;
	uint64_t next, serving; /* tickets */
	atomic_int waiting;
	tl_ns interval;
	tl_ns since; /* when the holder got it */
};

static void gil_acquire(struct gil *g) {
	pthread_mutex_lock(&g->m);
	uint64_t me = g->next++;
	atomic_fetch_add(&g->waiting, 1);
	while (g->serving != me) {
		pthread_cond_wait(&g->c, &g->m);
	}
	atomic_fetch_sub(&g->waiting, 1);
	g->since = tl_now();
	pthread_mutex_unlock(&g->m);
}

static void gil_release(struct gil *g) {
	pthread_mutex_lock(&g->m);
	g->serving++;
	pthread_cond_broadcast(&g->c);
	pthread_mutex_unlock(&g->m);
}

/* Hand the GIL over when the interval is up and someone is waiting. */
static void gil_tick(struct gil *g, tl_ns now) {
	if (g && now - g->since >= g->interval && atomic_load(&g->waiting) > 0) {
		gil_release(g);
		gil_acquire(g);
	}
}

/* ---- the results region ---- */

enum { SLOT_FREE = 0, SLOT_RUNNING, SLOT_DONE };

struct slot {
	atomic_int state;
	int32_t worker;
	int32_t status;
	tl_ns start, stop;
	int64_t nsamples;
};

struct region {
	atomic_int next_job;
	atomic_int done;
	int jobs, workers;
	size_t size; /* bytes mapped or allocated */
	bool shared;
	struct slot *slots;
	atomic_int *current; /* per worker: job running, or one of the WORKER_ states */
	tl_ns *samples;      /* jobs × n for the tracker */
};

/*
 * A process worker is STARTING until it has mapped the region in; none
 * starts a job before every other one is past STARTING, so that jobs cost
 * what they cost in threads. One that dies before that is marked GONE by the
 * parent, so the rest do not wait for it forever.
 */
enum { WORKER_IDLE = -1, WORKER_STARTING = -2, WORKER_GONE = -3 };

static struct region *region_new(int jobs, int workers, int64_t per_job_samples, bool shared) {
	size_t head = (sizeof(struct region) + 63) & ~(size_t)63;
	size_t slots = ((size_t)jobs * sizeof(struct slot) + 63) & ~(size_t)63;
	size_t cur = ((size_t)workers * sizeof(atomic_int) + 63) & ~(size_t)63;
	size_t samples = (size_t)jobs * (size_t)per_job_samples * sizeof(tl_ns);
	size_t size = head + slots + cur + samples;
	/*
	 * Mapped and faulted in before the mode's clock starts, in every mode:
	 * otherwise the first touch of each page lands inside the jobs, and
	 * shared pages fault more slowly than private ones.
	 */
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED) {
		return NULL;
	}
	struct region *r = mem; /* fresh anonymous memory is zero */
	r->jobs = jobs;
	r->workers = workers;
	r->size = size;
	r->shared = shared;
	r->slots = (struct slot *)((char *)mem + head);
	r->current = (atomic_int *)((char *)mem + head + slots);
	r->samples = per_job_samples ? (tl_ns *)((char *)mem + head + slots + cur) : NULL;
	for (int w = 0; w < workers; w++) {
		atomic_init(&r->current[w], WORKER_IDLE);
	}
	return r;
}

static void region_free(struct region *r) {
	if (r) {
		munmap(r, r->size);
	}
}

/* ---- workloads ---- */

struct ctx {
	const tl_run_opts *o;
	struct region *reg;
	struct gil *gil; /* NULL unless threads mode under --gil */
	tl_ns origin;
	tl_ns timeout;   /* ns, 0 none */
	const char *dir; /* for io */
};

static bool stopping(const struct ctx *c) {
	return c->o->stop && atomic_load_explicit(c->o->stop, memory_order_relaxed);
}

static void blocking_begin(const struct ctx *c) {
	if (c->gil) {
		gil_release(c->gil);
	}
}

static void blocking_end(const struct ctx *c) {
	if (c->gil) {
		gil_acquire(c->gil);
	}
}

/* Result codes of a workload besides an exit status. */
enum { RUN_INTERRUPTED = INT32_MIN + 1 };

static int32_t work_cpu(const struct ctx *c, tl_ns deadline) {
	uint64_t count = 0;
	for (int64_t i = 0; i < c->o->n; i++) {
		count += (uint64_t)i;
		/* Keep the compiler from folding the loop into a formula. */
		__asm__ volatile("" : "+r"(count));
		if ((i & 4095) == 4095) {
			tl_ns now = tl_now();
			gil_tick(c->gil, now);
			if (deadline && now > deadline) {
				return TL_STATUS_TIMEOUT;
			}
			if (stopping(c)) {
				return RUN_INTERRUPTED;
			}
		}
	}
	return 0;
}

static int32_t work_track(const struct ctx *c, int job, tl_ns deadline, int64_t *ret_n) {
	tl_ns *out = c->reg->samples + (size_t)job * (size_t)c->o->n;
	int64_t i = 0;
	for (; i < c->o->n; i++) {
		tl_ns now = tl_now();
		out[i] = now - c->origin;
		gil_tick(c->gil, now);
		if ((i & 1023) == 1023) {
			if (deadline && now > deadline) {
				*ret_n = i + 1;
				return TL_STATUS_TIMEOUT;
			}
			if (stopping(c)) {
				return RUN_INTERRUPTED;
			}
		}
	}
	*ret_n = i;
	return 0;
}

static int32_t work_dot(const struct ctx *c, int job) {
	size_t n = (size_t)c->o->n;
	double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		a[i] = (double)((i + (size_t)job) % 1000) * 0.001;
		b[i] = (double)(i % 997) * 0.002;
	}
	/* numpy releases the GIL inside dot(); so does this. */
	blocking_begin(c);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += a[i] * b[i];
	}
	__asm__ volatile("" : : "x"(sum));
	blocking_end(c);
	free(a);
	free(b);
	return 0;
}

static int32_t work_io(const struct ctx *c, int job) {
	char path[4096];
	snprintf(path, sizeof(path), "%s/job-%d.txt", c->dir, job);
	static const char line[] = "Some text to write to a file, one line at a time.\n";
	char chunk[65536];
	for (size_t i = 0; i < sizeof(chunk); i++) {
		chunk[i] = line[i % (sizeof(line) - 1)];
	}
	blocking_begin(c);
	int32_t st = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		st = 1;
	}
	for (int64_t left = c->o->size; fd >= 0 && left > 0;) {
		size_t n = left < (int64_t)sizeof(chunk) ? (size_t)left : sizeof(chunk);
		ssize_t w = write(fd, chunk, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			st = 1;
			break;
		}
		left -= w;
	}
	if (fd >= 0 && close(fd) != 0) {
		st = 1;
	}
	unlink(path);
	blocking_end(c);
	return st;
}

static void sleep_ns(tl_ns ns) {
	struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static int32_t work_sleep(const struct ctx *c, int job, tl_ns deadline) {
	/* Jitter from the job number: the same run gives the same waits. */
	uint64_t h = (uint64_t)job * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	double jitter = c->o->jitter_ms * (double)(h % 1000003) / 1000003.0;
	tl_ns want = (tl_ns)((c->o->latency_ms + jitter) * 1e6);
	tl_ns end = tl_now() + want;
	blocking_begin(c);
	int32_t st = 0;
	for (;;) {
		tl_ns now = tl_now();
		if (now >= end) {
			break;
		}
		if (deadline && now >= deadline) {
			st = TL_STATUS_TIMEOUT;
			break;
		}
		if (stopping(c)) {
			st = RUN_INTERRUPTED;
			break;
		}
		tl_ns step = end - now;
		if (deadline && deadline - now < step) {
			step = deadline - now;
		}
		sleep_ns(step < 20000000 ? step : 20000000);
	}
	blocking_end(c);
	return st;
}

static int32_t work_exec(const struct ctx *c, int job, tl_ns deadline) {
	size_t argc = 0;
	while (c->o->argv[argc]) {
		argc++;
	}
	char **argv = calloc(argc + 1, sizeof(*argv));
	if (!argv) {
		return 1;
	}
	char num[24];
	snprintf(num, sizeof(num), "%d", job);
	bool ok = true;
	for (size_t i = 0; i < argc && ok; i++) {
		const char *a = c->o->argv[i];
		const char *brace = strstr(a, "{}");
		if (!brace) {
			argv[i] = strdup(a);
		} else {
			/* Every "{}" becomes the job number. */
			size_t cap = strlen(a) * 8 + 32, o = 0;
			argv[i] = malloc(cap);
			for (const char *p = a; argv[i] && *p;) {
				if (p[0] == '{' && p[1] == '}') {
					o += (size_t)snprintf(argv[i] + o, cap - o, "%s", num);
					p += 2;
				} else {
					argv[i][o++] = *p++;
				}
			}
			if (argv[i]) {
				argv[i][o] = '\0';
			}
		}
		ok = argv[i] != NULL;
	}
	int32_t st = 127;
	pid_t pid;
	blocking_begin(c);
	if (ok && posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0) {
		int ws;
		for (;;) {
			pid_t r = waitpid(pid, &ws, WNOHANG);
			if (r == pid) {
				st = WIFEXITED(ws) ? WEXITSTATUS(ws)
						   : TL_STATUS_SIGNAL(WTERMSIG(ws));
				break;
			}
			if (r < 0 && errno != EINTR) {
				st = 127;
				break;
			}
			tl_ns now = tl_now();
			bool late = deadline && now >= deadline;
			if (late || stopping(c)) {
				kill(pid, SIGKILL);
				waitpid(pid, &ws, 0);
				st = late ? TL_STATUS_TIMEOUT : RUN_INTERRUPTED;
				break;
			}
			sleep_ns(200000);
		}
	}
	blocking_end(c);
	for (size_t i = 0; i < argc; i++) {
		free(argv[i]);
	}
	free(argv);
	return st;
}

/* Run job on worker and fill its slot; interrupted jobs leave the slot free. */
static void run_job(const struct ctx *c, int job, int worker) {
	struct slot *s = &c->reg->slots[job];
	atomic_store(&c->reg->current[worker], job);
	s->worker = worker;
	s->start = tl_now() - c->origin;
	atomic_store(&s->state, SLOT_RUNNING);
	tl_ns deadline = c->timeout ? c->origin + s->start + c->timeout : 0;
	int64_t nsamples = 0;
	int32_t st;
	switch (c->o->workload) {
	case TL_WORK_CPU:
		st = work_cpu(c, deadline);
		break;
	case TL_WORK_IO:
		st = work_io(c, job);
		break;
	case TL_WORK_SLEEP:
		st = work_sleep(c, job, deadline);
		break;
	case TL_WORK_DOT:
		st = work_dot(c, job);
		break;
	case TL_WORK_TRACK:
		st = work_track(c, job, deadline, &nsamples);
		break;
	default:
		st = work_exec(c, job, deadline);
		break;
	}
	s->stop = tl_now() - c->origin;
	if (st == RUN_INTERRUPTED) {
		atomic_store(&s->state, SLOT_FREE);
	} else {
		s->status = st;
		s->nsamples = nsamples;
		atomic_store(&s->state, SLOT_DONE);
		atomic_fetch_add(&c->reg->done, 1);
	}
	/* Idle only once the slot is final: a worker killed in between holds a finished job. */
	atomic_store(&c->reg->current[worker], WORKER_IDLE);
}

/* Take jobs in order until none is left (or a stop is asked for). */
static void worker_loop(const struct ctx *c, int worker) {
	for (;;) {
		if (stopping(c)) {
			return;
		}
		int job = atomic_fetch_add(&c->reg->next_job, 1);
		if (job >= c->reg->jobs) {
			return;
		}
		if (c->gil) {
			gil_acquire(c->gil);
		}
		run_job(c, job, worker);
		if (c->gil) {
			gil_release(c->gil);
		}
	}
}

struct thread_arg {
	const struct ctx *c;
	int worker;
};

static void *thread_main(void *p) {
	struct thread_arg *a = p;
	worker_loop(a->c, a->worker);
	return NULL;
}

static void report(const struct ctx *c, tl_mode mode) {
	if (c->o->progress) {
		c->o->progress(c->o->progress_ctx, mode, atomic_load(&c->reg->done), c->reg->jobs,
			       tl_now() - c->origin);
	}
}

static tl_status run_threads(struct ctx *c, struct tl_error *err) {
	int w = c->o->workers;
	pthread_t *t = calloc((size_t)w, sizeof(*t));
	struct thread_arg *args = calloc((size_t)w, sizeof(*args));
	struct gil gil;
	if (!t || !args) {
		free(t);
		free(args);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (c->o->gil_ms > 0) {
		memset(&gil, 0, sizeof(gil));
		pthread_mutex_init(&gil.m, NULL);
		pthread_cond_init(&gil.c, NULL);
		atomic_init(&gil.waiting, 0);
		gil.interval = (tl_ns)(c->o->gil_ms * 1e6);
		c->gil = &gil;
	}
	int started = 0;
	tl_status st = TL_OK;
	for (; started < w; started++) {
		args[started] = (struct thread_arg){c, started};
		if (pthread_create(&t[started], NULL, thread_main, &args[started]) != 0) {
			st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
					  "cannot start thread %d of %d", started + 1, w);
			break;
		}
	}
	/* The caller's thread reports progress while the pool works. */
	while (c->o->progress && atomic_load(&c->reg->done) < c->reg->jobs && !stopping(c) &&
	       st == TL_OK) {
		report(c, TL_MODE_THREADS);
		sleep_ns(100000000);
	}
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
	}
	if (c->gil) {
		pthread_mutex_destroy(&gil.m);
		pthread_cond_destroy(&gil.c);
		c->gil = NULL;
	}
	free(t);
	free(args);
	return st;
}

static tl_status run_processes(struct ctx *c, struct tl_error *err) {
	int w = c->o->workers;
	pid_t *pids = calloc((size_t)w, sizeof(*pids));
	if (!pids) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	fflush(NULL);
	for (int i = 0; i < w; i++) {
		atomic_store(&c->reg->current[i], WORKER_STARTING);
	}
	pid_t parent = getpid();
	int started = 0;
	tl_status st = TL_OK;
	for (; started < w; started++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* Workers die with the pool: an orphan would spin at the start line. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent) {
				_exit(1);
			}
			/*
			 * A forked child starts with no page table entries for the
			 * shared region and would take a fault on every page it first
			 * writes, inside its jobs. Map it all in first, then start with
			 * the others: jobs then cost what they cost in threads.
			 */
			long page = sysconf(_SC_PAGESIZE);
			volatile char *mem = (volatile char *)c->reg;
			for (size_t off = (size_t)page; off < c->reg->size; off += (size_t)page) {
				mem[off] = mem[off];
			}
			atomic_store(&c->reg->current[started], WORKER_IDLE);
			for (int k = 0; k < w;) {
				if (atomic_load(&c->reg->current[k]) == WORKER_STARTING) {
					sched_yield();
				} else {
					k++;
				}
			}
			/* The child: no stop flag of its own; the parent signals it. */
			struct ctx child = *c;
			tl_run_opts o = *c->o;
			o.stop = NULL;
			child.o = &o;
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			worker_loop(&child, started);
			_exit(0);
		}
		if (pid < 0) {
			st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
					  "cannot start worker process %d of %d: %s", started + 1,
					  w, strerror(errno));
			/* Release the ones waiting for a full start, and stop them. */
			for (int i = started; i < w; i++) {
				atomic_store(&c->reg->current[i], WORKER_GONE);
			}
			for (int i = 0; i < started; i++) {
				kill(pids[i], SIGKILL);
			}
			break;
		}
		pids[started] = pid;
	}
	int alive = started;
	bool killed = false;
	/*
	 * Workers that died holding no running job as far as the parent can
	 * tell: killed between taking a job number and marking the job running.
	 * Such jobs are found after the pool is done and recorded with these.
	 */
	struct death {
		int worker;
		int32_t status;
		tl_ns at;
	} *deaths = calloc((size_t)w, sizeof(*deaths));
	int ndeaths = 0;
	if (!deaths) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	while (alive > 0) {
		int ws;
		pid_t pid = waitpid(-1, &ws, WNOHANG);
		if (pid > 0) {
			for (int i = 0; i < started; i++) {
				if (pids[i] != pid) {
					continue;
				}
				pids[i] = 0;
				alive--;
				int starting = WORKER_STARTING;
				bool never_started = atomic_compare_exchange_strong(
					&c->reg->current[i], &starting, WORKER_GONE);
				/* A worker that died mid-job: record the job with its death. */
				int job = atomic_load(&c->reg->current[i]);
				int32_t died = WIFSIGNALED(ws) ? TL_STATUS_SIGNAL(WTERMSIG(ws))
							       : WEXITSTATUS(ws);
				if (job >= 0 && !killed &&
				    atomic_load(&c->reg->slots[job].state) == SLOT_RUNNING) {
					struct slot *s = &c->reg->slots[job];
					s->stop = tl_now() - c->origin;
					s->status = died ? died : 1;
					atomic_store(&s->state, SLOT_DONE);
					atomic_fetch_add(&c->reg->done, 1);
				} else if (died && deaths && !never_started) {
					deaths[ndeaths++] =
						(struct death){i, died, tl_now() - c->origin};
				}
			}
			continue;
		}
		if (pid < 0 && errno != EINTR) {
			break;
		}
		if (stopping(c) && !killed) {
			for (int i = 0; i < started; i++) {
				if (pids[i] > 0) {
					kill(pids[i], SIGKILL);
				}
			}
			killed = true;
		}
		report(c, TL_MODE_PROCESSES);
		sleep_ns(2000000);
	}
	/* Jobs taken but never finished belong to the workers that died unseen. */
	int taken = atomic_load(&c->reg->next_job);
	taken = taken < c->reg->jobs ? taken : c->reg->jobs;
	for (int j = 0, d = 0; j < taken && d < ndeaths && !killed; j++) {
		struct slot *s = &c->reg->slots[j];
		if (atomic_load(&s->state) == SLOT_DONE) {
			continue;
		}
		if (atomic_load(&s->state) != SLOT_RUNNING) {
			s->start = deaths[d].at;
		}
		s->worker = deaths[d].worker;
		s->stop = deaths[d].at;
		s->status = deaths[d].status;
		atomic_store(&s->state, SLOT_DONE);
		atomic_fetch_add(&c->reg->done, 1);
		d++;
	}
	free(deaths);
	free(pids);
	return st;
}

/* Append one mode's results to the trace as group name. */
static tl_status collect(const struct ctx *c, tl_trace *t, const char *name, size_t *failed,
			 struct tl_error *err) {
	uint32_t g;
	tl_status st = tl_trace_group(t, name, strlen(name), &g, err);
	tl_str workers[256];
	int nw = c->o->workers < 256 ? c->o->workers : 256;
	for (int w = 0; w < nw && st == TL_OK; w++) {
		char buf[16];
		snprintf(buf, sizeof(buf), "%d", w);
		st = tl_trace_intern(t, buf, strlen(buf), &workers[w], err);
	}
	size_t total = 0;
	for (int j = 0; j < c->reg->jobs; j++) {
		total += (size_t)c->reg->slots[j].nsamples;
	}
	if (st == TL_OK && total) {
		st = tl_trace_reserve(t, 0, total, err);
	}
	for (int j = 0; j < c->reg->jobs && st == TL_OK; j++) {
		const struct slot *s = &c->reg->slots[j];
		if (atomic_load(&s->state) != SLOT_DONE) {
			continue;
		}
		tl_str wid = TL_STR_NONE;
		if (s->worker < nw) {
			wid = workers[s->worker];
		} else {
			char buf[16];
			snprintf(buf, sizeof(buf), "%d", s->worker);
			st = tl_trace_intern(t, buf, strlen(buf), &wid, err);
		}
		tl_span sp = {.group = g,
			      .job = j,
			      .worker = wid,
			      .start = s->start,
			      .stop = s->stop < s->start ? s->start : s->stop,
			      .status = s->status};
		if (st == TL_OK) {
			st = tl_trace_add_span(t, &sp, err);
		}
		*failed += s->status != 0;
		const tl_ns *smp =
			c->reg->samples ? c->reg->samples + (size_t)j * (size_t)c->o->n : NULL;
		for (int64_t i = 0; i < s->nsamples && st == TL_OK; i++) {
			tl_sample sa = {.group = g, .job = j, .worker = wid, .t = smp[i]};
			st = tl_trace_add_sample(t, &sa, err);
		}
	}
	return st;
}

/* Bytes of memory available now, from /proc/meminfo; 0 when unknown. */
static uint64_t available_memory(void) {
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f) {
		return 0;
	}
	char line[256];
	uint64_t kb = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemAvailable: %lu kB", (unsigned long *)&kb) == 1) {
			break;
		}
	}
	fclose(f);
	return kb * 1024;
}

static tl_status check(const tl_run_opts *o, struct tl_error *err) {
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
	if (o->nmodes < 1) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "no mode to run");
	}
	if (o->workload >= TL_WORK_COUNT) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "unknown workload");
	}
	if (o->workload == TL_WORK_EXEC && (!o->argv || !o->argv[0])) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "the exec workload needs a command after --");
	}
	if ((o->workload == TL_WORK_CPU || o->workload == TL_WORK_DOT ||
	     o->workload == TL_WORK_TRACK) &&
	    o->n < 1) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "n must be at least 1");
	}
	if (o->workload == TL_WORK_TRACK) {
		/* Samples live in the results region and then in the trace (8 + 24 bytes). */
		uint64_t avail = available_memory();
		uint64_t want = (uint64_t)o->jobs * (uint64_t)o->n;
		uint64_t fit = avail / 32;
		if (avail && (o->n > INT64_MAX / o->jobs || want > fit)) {
			return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
					    "%d jobs × %lld samples do not fit in memory: at most "
					    "%llu samples in all would",
					    o->jobs, (long long)o->n, (unsigned long long)fit);
		}
	}
	return TL_OK;
}

tl_status tl_run(const tl_run_opts *o, tl_trace **ret_trace, size_t *ret_failed,
		 struct tl_error *err) {
	tl_status st = check(o, err);
	if (st != TL_OK) {
		return st;
	}
	tl_trace *t = tl_trace_new();
	if (!t) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	char dir[] = "/tmp/timeline-run-XXXXXX";
	bool have_dir = false;
	if (o->workload == TL_WORK_IO) {
		if (!mkdtemp(dir)) {
			tl_trace_free(t);
			return tl_error_set(err, TL_ERR_IO, NULL, 0, 0,
					    "cannot make a temporary folder: %s", strerror(errno));
		}
		have_dir = true;
	}
	size_t failed = 0, not_run = 0;
	for (int rep = 0; rep < o->repeat && st == TL_OK; rep++) {
		for (int m = 0; m < o->nmodes && st == TL_OK; m++) {
			if (o->stop && atomic_load(o->stop)) {
				break;
			}
			tl_mode mode = o->modes[m];
			tl_run_opts mo = *o;
			if (mode == TL_MODE_SERIAL) {
				mo.workers = 1;
			}
			struct region *reg = region_new(mo.jobs, mo.workers,
							o->workload == TL_WORK_TRACK ? o->n : 0,
							mode == TL_MODE_PROCESSES);
			if (!reg) {
				st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
						  "cannot allocate the results of %d jobs",
						  mo.jobs);
				break;
			}
			struct ctx c = {.o = &mo,
					.reg = reg,
					.dir = dir,
					.timeout = (tl_ns)(o->timeout_s * 1e9)};
			c.origin = tl_now();
			if (mode == TL_MODE_SERIAL) {
				worker_loop(&c, 0);
			} else if (mode == TL_MODE_THREADS) {
				st = run_threads(&c, err);
			} else {
				st = run_processes(&c, err);
			}
			report(&c, mode);
			char name[128];
			const char *suffix = o->group_suffix ? o->group_suffix : "";
			if (o->repeat > 1) {
				snprintf(name, sizeof(name), "%s%s#%d", tl_mode_to_string(mode),
					 suffix, rep + 1);
			} else {
				snprintf(name, sizeof(name), "%s%s", tl_mode_to_string(mode),
					 suffix);
			}
			if (st == TL_OK) {
				st = collect(&c, t, name, &failed, err);
			}
			/* Jobs left when every worker process died: said, not dropped. */
			if (st == TL_OK && !stopping(&c)) {
				not_run += (size_t)(c.reg->jobs - atomic_load(&c.reg->done));
			}
			region_free(reg);
		}
	}
	if (have_dir) {
		rmdir(dir);
	}
	if (st != TL_OK) {
		tl_trace_free(t);
		return st;
	}
	char buf[64];
	if (not_run) {
		snprintf(buf, sizeof(buf), "%zu", not_run);
		tl_trace_meta_set(t, "jobs_not_run", buf, NULL);
		failed += not_run;
	}
	snprintf(buf, sizeof(buf), "%s", tl_workload_to_string(o->workload));
	tl_trace_meta_set(t, "workload", buf, NULL);
	snprintf(buf, sizeof(buf), "%d", o->workers);
	tl_trace_meta_set(t, "workers", buf, NULL);
	if (o->gil_ms > 0) {
		snprintf(buf, sizeof(buf), "%g ms (emulated)", o->gil_ms);
		tl_trace_meta_set(t, "gil", buf, NULL);
	}
	*ret_trace = t;
	*ret_failed = failed;
	return TL_OK;
}
