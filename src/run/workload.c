/*
 * The built-in workloads, as the seed articles' job functions: a counting
 * loop (cpu), writing a file (io), a wait standing in for an API call
 * (sleep), numpy's dot product on vectors made before the clock starts
 * (dot), a timestamp per iteration (track), and a command (exec). Each
 * checks the stop flag and its deadline often enough to end within a
 * fraction of a second of either.
 *
 * A job cut short by a stop, or whose command the user's interrupt killed
 * (SIGINT), is interrupted: its slot stays free and it is counted, never
 * recorded as failed.
 */

#include "workload.h"

#include "clock.h"
#include "signals.h"

#include <timeline/recorder.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

bool stopping(const struct ctx *c) {
	return c->o->stop && atomic_load_explicit(c->o->stop, memory_order_relaxed);
}

void emit_event(const struct ctx *c, const char *fmt, ...) {
	if (c->o->events_fd < 0) {
		return;
	}
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	if ((size_t)n > sizeof(line) - 2) {
		n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	while (write(c->o->events_fd, line, (size_t)n) < 0 && errno == EINTR) {
	}
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

static tl_ns origin(const struct ctx *c) {
	return c->reg->origin;
}

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
				return TL_EXIT_TIMEOUT;
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
	tl_ns zero = origin(c);
	int64_t i = 0;
	for (; i < c->o->n; i++) {
		tl_ns now = tl_now();
		out[i] = now - zero;
		gil_tick(c->gil, now);
		if ((i & 1023) == 1023) {
			if (deadline && now > deadline) {
				*ret_n = i + 1;
				return TL_EXIT_TIMEOUT;
			}
			if (stopping(c)) {
				return RUN_INTERRUPTED;
			}
		}
	}
	*ret_n = i;
	return 0;
}

/* numpy's np.dot(a, b) on vectors made before the timer started; numpy
 * releases the GIL inside it, and so does this. */
static int32_t work_dot(const struct ctx *c) {
	size_t n = (size_t)c->o->n;
	blocking_begin(c);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += c->a[i] * c->b[i];
	}
	__asm__ volatile("" : : "x"(sum));
	blocking_end(c);
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

/* How often a waiting job looks at the stop flag. */
#define STOP_CHECK_NS 20000000

static int32_t work_sleep(const struct ctx *c, int job, tl_ns deadline) {
	/* Jitter from the job number: the same run gives the same waits. */
	uint64_t h = (uint64_t)job * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	tl_ns jitter = (tl_ns)((double)c->o->jitter * (double)(h % 1000003) / 1000003.0);
	tl_ns end = tl_now() + c->o->latency + jitter;
	blocking_begin(c);
	int32_t st = 0;
	for (;;) {
		tl_ns now = tl_now();
		if (now >= end) {
			break;
		}
		if (deadline && now >= deadline) {
			st = TL_EXIT_TIMEOUT;
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
		tl_sleep_ns(step < STOP_CHECK_NS ? step : STOP_CHECK_NS);
	}
	blocking_end(c);
	return st;
}

char **exec_argv(char *const *argv, int64_t job) {
	size_t argc = 0;
	while (argv[argc]) {
		argc++;
	}
	char **out = calloc(argc + 1, sizeof(*out));
	if (!out) {
		return NULL;
	}
	char num[24];
	int numlen = snprintf(num, sizeof(num), "%lld", (long long)job);
	for (size_t i = 0; i < argc; i++) {
		const char *a = argv[i];
		size_t braces = 0;
		for (const char *p = strstr(a, "{}"); p; p = strstr(p + 2, "{}")) {
			braces++;
		}
		out[i] = malloc(strlen(a) + braces * (size_t)numlen + 1);
		if (!out[i]) {
			free_argv(out);
			return NULL;
		}
		char *o = out[i];
		for (const char *p = a; *p;) {
			if (p[0] == '{' && p[1] == '}') {
				memcpy(o, num, (size_t)numlen);
				o += numlen;
				p += 2;
			} else {
				*o++ = *p++;
			}
		}
		*o = '\0';
	}
	return out;
}

void free_argv(char **argv) {
	if (argv) {
		for (char **p = argv; *p; p++) {
			free(*p);
		}
		free(argv);
	}
}

/* The exit status of a reaped child, as a span status. A command killed by
 * the user's interrupt was interrupted, not failed. */
static int32_t child_status(int ws) {
	if (WIFEXITED(ws)) {
		return WEXITSTATUS(ws);
	}
	return WTERMSIG(ws) == SIGINT ? RUN_INTERRUPTED : TL_EXIT_SIGNAL(WTERMSIG(ws));
}

/*
 * Wait for the child pid: woken by its exit through a pidfd (no sleeping in
 * a loop), by its deadline, or every STOP_CHECK_NS to look at the stop flag.
 */
static int32_t wait_child(const struct ctx *c, pid_t pid, tl_ns deadline) {
	int pfd = pidfd_open(pid, 0);
	int ws;
	for (;;) {
		pid_t r = waitpid(pid, &ws, WNOHANG);
		if (r == pid) {
			break;
		}
		if (r < 0 && errno != EINTR) {
			ws = -1;
			break;
		}
		tl_ns now = tl_now();
		bool late = deadline && now >= deadline;
		if (late || stopping(c)) {
			kill(-pid, SIGKILL); /* the command and all it started */
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
			}
			if (pfd >= 0) {
				close(pfd);
			}
			return late ? TL_EXIT_TIMEOUT : RUN_INTERRUPTED;
		}
		tl_ns step = STOP_CHECK_NS;
		if (deadline && deadline - now < step) {
			step = deadline - now;
		}
		if (pfd >= 0) {
			struct pollfd p = {.fd = pfd, .events = POLLIN};
			poll(&p, 1, (int)((step + 999999) / 1000000));
		} else {
			/* No pidfd (a kernel before 5.3): look again shortly. */
			tl_sleep_ns(step < 1000000 ? step : 1000000);
		}
	}
	if (pfd >= 0) {
		close(pfd);
	}
	return ws == -1 ? 127 : child_status(ws);
}

/*
 * Start the command in a process group of its own (so that a stop, a
 * timeout or its worker's death kills everything it started, and a signal
 * to the run's group reaches the runner, not the command), stdin from
 * /dev/null, stdout where the caller said: signals blocked around fork(),
 * the parent's handlers reset in the child, the child killed if its worker
 * dies first.
 */
static pid_t spawn(const struct ctx *c, char **argv) {
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		reset_signal_handlers();
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent) {
			_exit(127);
		}
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0 && null != STDIN_FILENO) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
		if (c->o->command_stdout >= 0) {
			dup2(c->o->command_stdout, STDOUT_FILENO);
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		execvp(argv[0], argv);
		/* Said where the user looks: the job's status is 127 as in a shell. */
		char msg[512];
		int n = snprintf(msg, sizeof(msg), "timeline: run: cannot run '%s': %s\n", argv[0],
				 strerror(errno));
		if (n > 0) {
			ssize_t w = write(STDERR_FILENO, msg,
					  (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
			(void)w;
		}
		_exit(127);
	}
	if (pid > 0) {
		setpgid(pid, pid); /* either side may get there first */
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static int32_t work_exec(const struct ctx *c, int job, int worker, tl_ns deadline) {
	char **argv = exec_argv(c->o->argv, job);
	if (!argv) {
		return 127;
	}
	int32_t st = 127;
	blocking_begin(c);
	pid_t pid = spawn(c, argv);
	if (pid > 0) {
		atomic_store(&c->reg->command[worker], pid);
		st = wait_child(c, pid, deadline);
		/* What the command left running in its group goes with it. */
		kill(-pid, SIGKILL);
		atomic_store(&c->reg->command[worker], 0);
	}
	blocking_end(c);
	free_argv(argv);
	return st;
}

static int32_t run_workload(const struct ctx *c, int job, int worker, tl_ns deadline,
			    int64_t *ret_n) {
	switch (c->o->workload) {
	case TL_WORK_CPU:
		return work_cpu(c, deadline);
	case TL_WORK_IO:
		return work_io(c, job);
	case TL_WORK_SLEEP:
		return work_sleep(c, job, deadline);
	case TL_WORK_DOT:
		return work_dot(c);
	case TL_WORK_TRACK:
		return work_track(c, job, deadline, ret_n);
	default:
		return work_exec(c, job, worker, deadline);
	}
}

/* Run job on worker and fill its slot; an interrupted job leaves it free. */
static void run_job(const struct ctx *c, int job, int worker) {
	struct slot *s = &c->reg->slots[job];
	atomic_store(&c->reg->current[worker], job);
	s->worker = worker;
	s->start = tl_now() - origin(c);
	tl_ns first = atomic_load(&c->reg->first_start);
	while (s->start < first &&
	       !atomic_compare_exchange_weak(&c->reg->first_start, &first, s->start)) {
	}
	atomic_store(&s->state, SLOT_RUNNING);
	emit_event(c, "start %s %d %d %d", c->mode, job, worker, (int)getpid());
	tl_ns deadline = c->o->timeout ? origin(c) + s->start + c->o->timeout : 0;
	int64_t nsamples = 0;
	int32_t st = run_workload(c, job, worker, deadline, &nsamples);
	s->stop = tl_now() - origin(c);
	if (st == RUN_INTERRUPTED) {
		atomic_store(&s->state, SLOT_FREE);
		atomic_fetch_add(&c->reg->interrupted, 1);
		emit_event(c, "stop %s %d %d interrupted", c->mode, job, worker);
	} else {
		s->status = st;
		s->nsamples = nsamples;
		atomic_store(&s->state, SLOT_DONE);
		atomic_fetch_add(&c->reg->done, 1);
		char buf[16];
		emit_event(c, "stop %s %d %d %s", c->mode, job, worker,
			   tl_exit_status_to_string(st, buf));
	}
	/* Idle only once the slot is final: a worker killed in between holds a finished job. */
	atomic_store(&c->reg->current[worker], WORKER_IDLE);
}

void worker_loop(const struct ctx *c, int worker) {
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
