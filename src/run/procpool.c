/*
 * The process pool: W workers forked while the caller has no other thread,
 * writing their results into the shared region (nothing is pickled or piped
 * back, unlike ProcessPoolExecutor).
 *
 * Start-up. The pool's clock starts before the first fork, so the chart
 * shows what the articles' time.time() shows: processes start later than
 * threads because they cost more to launch. Only the launch is charged.
 * Each worker notes when it began to run, then installs its page table
 * entries for the region (ours, not the launch's: threads have them before
 * their clock starts) and waits at the start line. When every worker is
 * there, the parent opens the line and sets the pool's origin so that the
 * time from origin to the first job is the launch: the time until the last
 * worker was running.
 *
 * Reaping. The parent waits on a pidfd per worker (woken by exits, never
 * sleeping in a loop) and every PROGRESS_MS for progress and the stop flag.
 * A worker that dies in a job has the job recorded with its death as
 * status, unless the death was the user's interrupt (SIGINT, or SIGTERM or
 * SIGHUP once a stop was asked): that job is interrupted, as in threads.
 *
 * Signals. All are blocked around fork(); a child resets every handler the
 * parent had installed to the default before unblocking, so a worker never
 * runs the parent's handlers (which remove the parent's temporary files).
 */

#include "pool.h"

#include "clock.h"
#include "signals.h"

#include <timeline/recorder.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRESS_MS 100

static void futex_wait(atomic_int *word, int val) {
	syscall(SYS_futex, word, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake_all(atomic_int *word) {
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* A worker process: ready, wait at the start line, run jobs, leave. */
static _Noreturn void child_main(const struct ctx *c, int worker, pid_t parent,
				 const sigset_t *mask, int ready_fd) {
	reset_signal_handlers();
	/* Workers die with the pool: an orphan would wait at the start line forever. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) {
		_exit(1);
	}
	pthread_sigmask(SIG_SETMASK, mask, NULL);
	struct region *r = c->reg;
	r->alive_at[worker] = tl_now();
	region_populate(r);
	int starting = WORKER_STARTING;
	if (!atomic_compare_exchange_strong(&r->current[worker], &starting, WORKER_IDLE)) {
		_exit(1); /* given up on by the parent */
	}
	emit_event(c, "ready %s %d %d", c->mode, worker, (int)getpid());
	while (write(ready_fd, "r", 1) < 0 && errno == EINTR) {
	}
	close(ready_fd);
	while (atomic_load(&r->go) == 0) {
		futex_wait(&r->go, 0);
	}
	/* No stop flag of its own: the parent kills its workers to stop them. */
	struct ctx child = *c;
	tl_run_opts o = *c->o;
	o.stop = NULL;
	child.o = &o;
	worker_loop(&child, worker);
	_exit(0);
}

struct death {
	int worker;
	int32_t status;
	tl_ns at;
};

struct procpool {
	struct ctx *c;
	int started, alive;
	pid_t *pids;
	int *pidfds;
	struct death *deaths; /* died holding no running job the parent could see */
	int ndeaths;
	bool killed; /* the parent killed every worker to stop */
	bool open;   /* the start line is open */
};

static bool user_interrupt(const struct ctx *c, int32_t status) {
	return status == TL_EXIT_SIGNAL(SIGINT) ||
	       (stopping(c) &&
		(status == TL_EXIT_SIGNAL(SIGTERM) || status == TL_EXIT_SIGNAL(SIGHUP)));
}

/* Kill worker i's running command, everything in its process group. */
static void kill_command(struct procpool *p, int i) {
	int pgid = atomic_load(&p->c->reg->command[i]);
	if (pgid > 0) {
		kill(-pgid, SIGKILL);
	}
}

/* Worker i exited with wait status ws: settle its job. */
static void worker_died(struct procpool *p, int i, int ws) {
	struct region *r = p->c->reg;
	p->pids[i] = 0;
	if (p->pidfds[i] >= 0) {
		close(p->pidfds[i]);
		p->pidfds[i] = -1;
	}
	p->alive--;
	kill_command(p, i); /* a command outlives its worker only in its own group */
	int starting = WORKER_STARTING;
	if (atomic_compare_exchange_strong(&r->current[i], &starting, WORKER_GONE)) {
		return; /* died before the start line: held no job */
	}
	int job = atomic_load(&r->current[i]);
	int32_t died = WIFSIGNALED(ws) ? TL_EXIT_SIGNAL(WTERMSIG(ws)) : WEXITSTATUS(ws);
	tl_ns now = tl_now() - r->origin;
	if (job >= 0 && !p->killed && atomic_load(&r->slots[job].state) == SLOT_RUNNING) {
		struct slot *s = &r->slots[job];
		if (user_interrupt(p->c, died)) {
			atomic_store(&s->state, SLOT_FREE);
			atomic_fetch_add(&r->interrupted, 1);
			emit_event(p->c, "stop %s %d %d interrupted", p->c->mode, job, i);
			return;
		}
		s->stop = now;
		s->status = died ? died : 1;
		atomic_store(&s->state, SLOT_DONE);
		atomic_fetch_add(&r->done, 1);
	} else if (died && !p->killed && p->deaths) {
		p->deaths[p->ndeaths++] = (struct death){i, died, now};
	}
}

/* Reap whichever workers have exited (all of them when there are no pidfds). */
static void reap(struct procpool *p, const struct pollfd *fds) {
	for (int i = 0; i < p->started; i++) {
		if (p->pids[i] <= 0 || (fds && p->pidfds[i] >= 0 && !fds[i].revents)) {
			continue;
		}
		int ws;
		pid_t r = waitpid(p->pids[i], &ws, WNOHANG);
		if (r == p->pids[i]) {
			worker_died(p, i, ws);
		} else if (r < 0 && errno == ECHILD) {
			p->pids[i] = 0; /* reaped by someone else: nothing to learn */
			p->alive--;
		}
	}
}

static void kill_all(struct procpool *p) {
	for (int i = 0; i < p->started; i++) {
		if (p->pids[i] > 0) {
			kill(p->pids[i], SIGKILL);
		}
	}
	for (int i = 0; i < p->started; i++) {
		kill_command(p, i);
	}
	p->killed = true;
}

/* Open the start line: time 0 is one launch before now. */
static void open_start_line(struct procpool *p, tl_ns t0) {
	struct region *r = p->c->reg;
	tl_ns launch = 0;
	for (int i = 0; i < p->started; i++) {
		if (atomic_load(&r->current[i]) != WORKER_GONE && r->alive_at[i] - t0 > launch) {
			launch = r->alive_at[i] - t0;
		}
	}
	r->origin = tl_now() - launch;
	atomic_store(&r->go, 1);
	futex_wake_all(&r->go);
	p->open = true;
}

/* Fork the workers with every signal blocked; false (err set) when one cannot be. */
static tl_status fork_workers(struct procpool *p, int ready_fd, struct tl_error *err) {
	struct ctx *c = p->c;
	int w = c->o->workers;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t parent = getpid();
	tl_status st = TL_OK;
	for (; p->started < w; p->started++) {
		pid_t pid = fork();
		if (pid == 0) {
			child_main(c, p->started, parent, &old, ready_fd);
		}
		if (pid < 0) {
			st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
					  "cannot start worker process %d of %d: %s",
					  p->started + 1, w, strerror(errno));
			break;
		}
		p->pids[p->started] = pid;
		p->pidfds[p->started] = pidfd_open(pid, 0);
		p->alive++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return st;
}

/* Jobs taken but never seen running belong to the workers that died unseen. */
static void settle_unseen_deaths(struct procpool *p) {
	struct region *r = p->c->reg;
	int taken = atomic_load(&r->next_job);
	taken = taken < r->jobs ? taken : r->jobs;
	for (int j = 0, d = 0; j < taken && d < p->ndeaths; j++) {
		struct slot *s = &r->slots[j];
		if (atomic_load(&s->state) == SLOT_DONE) {
			continue;
		}
		if (atomic_load(&s->state) != SLOT_RUNNING) {
			s->start = p->deaths[d].at;
		}
		s->worker = p->deaths[d].worker;
		s->stop = p->deaths[d].at;
		s->status = p->deaths[d].status;
		atomic_store(&s->state, SLOT_DONE);
		atomic_fetch_add(&r->done, 1);
		d++;
	}
}

/* true when no worker is still on its way to the start line. */
static bool all_at_start_line(const struct procpool *p) {
	for (int i = 0; i < p->started; i++) {
		if (atomic_load(&p->c->reg->current[i]) == WORKER_STARTING) {
			return false;
		}
	}
	return true;
}

/*
 * Until every worker has exited: poll the pidfds and the ready pipe (a byte
 * per worker at the start line: it only wakes the parent, the region says
 * who is there), open the start line when no worker is on its way, reap.
 */
static void supervise(struct procpool *p, int ready_fd, tl_ns t0) {
	struct ctx *c = p->c;
	int w = p->started;
	struct pollfd *fds = calloc((size_t)w + 1, sizeof(*fds));
	bool pidfds = true;
	for (int i = 0; i < w; i++) {
		pidfds = pidfds && (p->pidfds[i] >= 0 || p->pids[i] <= 0);
	}
	while (p->alive > 0) {
		if (!p->open && all_at_start_line(p)) {
			open_start_line(p, t0);
		}
		if (!fds) {
			tl_sleep_ns(
				2000000); /* out of memory for the poll set: look again shortly */
		} else {
			for (int i = 0; i < w; i++) {
				fds[i] = (struct pollfd){.fd = p->pids[i] > 0 ? p->pidfds[i] : -1,
							 .events = POLLIN};
			}
			fds[w] = (struct pollfd){.fd = ready_fd, .events = POLLIN};
			int n = poll(fds, (nfds_t)w + 1, pidfds ? PROGRESS_MS : 2);
			if (n > 0 && fds[w].revents) {
				char buf[256];
				if (read(ready_fd, buf, sizeof(buf)) <= 0) {
					ready_fd = -1; /* every worker has closed its end */
				}
			}
		}
		reap(p, fds);
		if (stopping(c) && !p->killed) {
			kill_all(p);
		}
		if (p->open) {
			report_progress(c, TL_MODE_PROCESSES);
		}
	}
	free(fds);
}

tl_status run_processes(struct ctx *c, struct tl_error *err) {
	int w = c->o->workers;
	struct procpool p = {.c = c};
	p.pids = calloc((size_t)w, sizeof(*p.pids));
	p.pidfds = calloc((size_t)w, sizeof(*p.pidfds));
	p.deaths = calloc((size_t)w, sizeof(*p.deaths));
	int ready[2] = {-1, -1};
	if (!p.pids || !p.pidfds || !p.deaths || pipe2(ready, O_CLOEXEC) != 0) {
		free(p.pids);
		free(p.pidfds);
		free(p.deaths);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (int i = 0; i < w; i++) {
		atomic_store(&c->reg->current[i], WORKER_STARTING);
		p.pidfds[i] = -1;
	}
	tl_ns t0 = tl_now();
	c->reg->origin = t0;
	tl_status st = fork_workers(&p, ready[1], err);
	close(ready[1]);
	if (st != TL_OK) {
		kill_all(&p);
	}
	supervise(&p, ready[0], t0);
	close(ready[0]);
	if (!p.killed) {
		settle_unseen_deaths(&p);
	}
	/* Jobs running when the pool was killed to stop were interrupted. */
	for (int j = 0; j < c->reg->jobs && p.killed; j++) {
		if (atomic_load(&c->reg->slots[j].state) == SLOT_RUNNING) {
			atomic_store(&c->reg->slots[j].state, SLOT_FREE);
			atomic_fetch_add(&c->reg->interrupted, 1);
			emit_event(c, "stop %s %d %d interrupted", c->mode, j,
				   (int)c->reg->slots[j].worker);
		}
	}
	free(p.pids);
	free(p.pidfds);
	free(p.deaths);
	return st;
}
