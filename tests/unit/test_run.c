/*
 * The runner and the recorder: every job exactly once in every mode, one
 * worker's jobs never overlap, W >= J starts everything together, exact
 * sample counts, statuses of failing, killed and timed-out commands, the
 * GIL emulation interleaving threads, a stop request, and the recorder
 * under many threads.
 */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "samples.h"
#include <timeline/timeline.h>

#define MS 1000000LL

static tl_trace *run(tl_run_opts *o, size_t *failed) {
	tl_trace *t = NULL;
	struct tl_error err = {0};
	size_t f = 0;
	if (tl_run(o, &t, &f, &err) != TL_OK) {
		fail_msg("run: %s", err.msg);
	}
	if (failed) {
		*failed = f;
	}
	return t;
}

/* Spans of group g, in job order (each job must appear exactly once). */
static void spans_of(const tl_trace *t, uint32_t g, int jobs, tl_span *out) {
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	int *seen = calloc((size_t)jobs, sizeof(*seen));
	for (size_t i = 0; i < n; i++) {
		if (sp[i].group != g) {
			continue;
		}
		assert_true(sp[i].job >= 0 && sp[i].job < jobs);
		seen[sp[i].job]++;
		out[sp[i].job] = sp[i];
	}
	for (int j = 0; j < jobs; j++) {
		if (seen[j] != 1) {
			fail_msg("group %u: job %d recorded %d times", g, j, seen[j]);
		}
	}
	free(seen);
}

static void assert_workers_never_overlap(const tl_trace *t, const tl_span *s, int jobs) {
	for (int a = 0; a < jobs; a++) {
		for (int b = a + 1; b < jobs; b++) {
			if (s[a].worker == s[b].worker) {
				bool apart = s[a].stop <= s[b].start || s[b].stop <= s[a].start;
				if (!apart) {
					fail_msg("worker %s runs jobs %d and %d at once",
						 tl_trace_str(t, s[a].worker), a, b);
				}
			}
		}
	}
}

static void test_every_workload_every_mode(void **state) {
	(void)state;
	for (int w = 0; w < TL_WORK_COUNT; w++) {
		tl_run_opts o;
		tl_run_opts_init(&o);
		o.workload = (tl_workload)w;
		o.n = w == TL_WORK_TRACK ? 2000 : 200000;
		o.size = 100000;
		o.latency = 5 * MS;
		char *const argv[] = {"true", NULL};
		o.argv = argv;
		o.modes[0] = TL_MODE_SERIAL;
		o.modes[1] = TL_MODE_THREADS;
		o.modes[2] = TL_MODE_PROCESSES;
		o.nmodes = 3;
		o.workers = 3;
		o.jobs = 7;
		size_t failed;
		tl_trace *t = run(&o, &failed);
		assert_int_equal(failed, 0);
		assert_int_equal(tl_trace_group_count(t), 3);
		assert_string_equal(tl_trace_group_name(t, 0), "serial");
		assert_string_equal(tl_trace_group_name(t, 2), "processes");
		for (uint32_t g = 0; g < 3; g++) {
			tl_span s[7];
			spans_of(t, g, 7, s);
			assert_workers_never_overlap(t, s, 7);
			for (int j = 0; j < 7; j++) {
				assert_true(s[j].start >= 0 && s[j].stop >= s[j].start);
				assert_int_equal(s[j].status, 0);
			}
			/*
			 * Jobs are handed out in order: each worker takes ever higher
			 * jobs, one after the other.
			 */
			for (int a = 0; a < 7; a++) {
				for (int b = a + 1; b < 7; b++) {
					if (s[a].worker == s[b].worker) {
						assert_true(s[a].stop <= s[b].start);
					}
				}
			}
		}
		size_t ns;
		test_samples(t, &ns);
		assert_int_equal(ns, w == TL_WORK_TRACK ? 3 * 7 * 2000 : 0);
		assert_string_equal(tl_trace_meta_get(t, "workload"),
				    tl_workload_to_string(o.workload));
		tl_trace_free(t);
	}
}

/*
 * W >= J: every job runs at once. Each job marks itself started and waits
 * until all four have: the jobs can only finish if they ran together, so a
 * pool that ran them one after another times out (60 s) instead of passing
 * by luck.
 */
static void test_enough_workers_start_together(void **state) {
	(void)state;
	for (int m = 0; m < 2; m++) {
		char dir[] = "/tmp/timeline-test-XXXXXX";
		assert_non_null(mkdtemp(dir));
		char *const argv[] = {"sh", "-c",
				      "touch \"$0/{}\"; while [ $(ls \"$0\" | wc -l) -lt 4 ]; "
				      "do sleep 0.01; done",
				      dir, NULL};
		tl_run_opts o;
		tl_run_opts_init(&o);
		o.workload = TL_WORK_EXEC;
		o.argv = argv;
		o.timeout = 60000 * MS;
		o.modes[0] = m == 0 ? TL_MODE_THREADS : TL_MODE_PROCESSES;
		o.nmodes = 1;
		o.workers = 4;
		o.jobs = 4;
		size_t failed;
		tl_trace *t = run(&o, &failed);
		tl_span s[4];
		spans_of(t, 0, 4, s);
		for (int j = 0; j < 4; j++) {
			assert_int_equal(s[j].status, 0);
			char path[64];
			snprintf(path, sizeof(path), "%s/%d", dir, j);
			unlink(path);
		}
		assert_int_equal(failed, 0);
		rmdir(dir);
		tl_trace_free(t);
	}
}

static void test_exec_statuses_and_timeout(void **state) {
	(void)state;
	tl_run_opts o;
	tl_run_opts_init(&o);
	o.workload = TL_WORK_EXEC;
	char *const argv[] = {"sh", "-c",
			      "case {} in 0) exit 0;; 1) exit 3;; 2) kill -9 $$;; "
			      "3) exec sleep 600;; esac",
			      NULL};
	o.argv = argv;
	o.timeout = 3000 * MS; /* long enough for a shell under any load */
	o.workers = 2;
	o.jobs = 4;
	for (int m = 0; m < 2; m++) {
		o.modes[0] = m == 0 ? TL_MODE_THREADS : TL_MODE_PROCESSES;
		o.nmodes = 1;
		size_t failed;
		tl_trace *t = run(&o, &failed);
		tl_span s[4];
		spans_of(t, 0, 4, s);
		assert_int_equal(s[0].status, 0);
		assert_int_equal(s[1].status, 3);
		assert_int_equal(s[2].status, TL_EXIT_SIGNAL(9));
		assert_int_equal(s[3].status, TL_EXIT_TIMEOUT);
		assert_true(s[3].stop - s[3].start >= 3000 * MS);
		assert_true(s[3].stop - s[3].start < 60000 * MS);
		assert_int_equal(failed, 3);
		tl_trace_free(t);
	}
}

static void test_gil_interleaves_threads(void **state) {
	(void)state;
	tl_run_opts o;
	tl_run_opts_init(&o);
	o.workload = TL_WORK_TRACK;
	o.n = 2000000; /* some 50 ms a job: many 2 ms slices even on a fast machine */
	o.modes[0] = TL_MODE_THREADS;
	o.nmodes = 1;
	o.workers = 2;
	o.jobs = 2;
	o.gil_interval = 2 * MS;
	tl_trace *t = run(&o, NULL);
	/*
	 * Under the GIL only one thread records at a time: the samples of the two
	 * jobs, in time order, come in stripes, never from both at once for long.
	 */
	size_t n;
	const tl_sample *sa = test_samples(t, &n);
	assert_int_equal(n, 4000000);
	tl_ns first[2] = {INT64_MAX, INT64_MAX}, last[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		int j = (int)sa[i].job;
		first[j] = sa[i].t < first[j] ? sa[i].t : first[j];
		last[j] = sa[i].t > last[j] ? sa[i].t : last[j];
	}
	/* Both jobs span most of the run: they were interleaved, not one after the other. */
	tl_ns wall = (last[0] > last[1] ? last[0] : last[1]) -
		     (first[0] < first[1] ? first[0] : first[1]);
	assert_true(last[0] - first[0] > wall / 2);
	assert_true(last[1] - first[1] > wall / 2);
	/* Count switches between jobs along time: many, one per slice. */
	size_t k0 = 0, k1 = 0, switches = 0;
	const tl_sample *s0 = sa, *s1 = sa;
	/* The samples of each job are in time order; merge the two sequences. */
	while (s0 < sa + n && s0->job != 0) {
		s0++;
	}
	while (s1 < sa + n && s1->job != 1) {
		s1++;
	}
	int prev = -1;
	const size_t per = 2000000;
	while (k0 < per || k1 < per) {
		int take = k1 >= per || (k0 < per && s0[k0].t <= s1[k1].t) ? 0 : 1;
		if (prev >= 0 && take != prev) {
			switches++;
		}
		prev = take;
		if (take == 0) {
			k0++;
		} else {
			k1++;
		}
	}
	assert_true(switches >= 4);
	/* And they alternate in slices, not per sample: far fewer switches than samples. */
	assert_true(switches < n / 100);
	tl_trace_free(t);
}

/*
 * Acting on the runner's events (tl_run_opts.events_fd) from a thread: wait
 * for the first line that starts with `want`, then act on it. Tests wait on
 * what the runner did, never on time.
 */
struct watch {
	int fd;           /* read end of the events pipe */
	const char *want; /* line prefix */
	void (*act)(struct watch *w, const char *line);
	atomic_int *stop;
	pid_t pid; /* the worker act() killed */
	int seen;
};

static void *watch_events(void *p) {
	struct watch *w = p;
	FILE *f = fdopen(w->fd, "r");
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (!w->seen && strncmp(line, w->want, strlen(w->want)) == 0) {
			w->seen = 1;
			w->act(w, line);
		}
	}
	free(line);
	fclose(f);
	return NULL;
}

/* Start watching; the runner writes to *ret_wfd, closed by watch_end(). */
static void watch_begin(struct watch *w, pthread_t *th, int *ret_wfd) {
	int fds[2];
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	w->fd = fds[0];
	*ret_wfd = fds[1];
	pthread_create(th, NULL, watch_events, w);
}

static void watch_end(struct watch *w, pthread_t th, int wfd) {
	close(wfd);
	pthread_join(th, NULL);
	if (!w->seen) {
		fail_msg("the runner never said \"%s\"", w->want);
	}
}

static void set_stop(struct watch *w, const char *line) {
	(void)line;
	atomic_store(w->stop, 1);
}

static void test_stop_keeps_completed_jobs(void **state) {
	(void)state;
	static atomic_int stop_flag;
	for (int m = 0; m < 2; m++) {
		tl_run_opts o;
		tl_run_opts_init(&o);
		o.workload = TL_WORK_SLEEP;
		o.latency = 40 * MS;
		o.modes[0] = m == 0 ? TL_MODE_THREADS : TL_MODE_PROCESSES;
		o.nmodes = 1;
		o.workers = 1;
		o.jobs = 1000; /* 40 s: the stop always comes first */
		atomic_store(&stop_flag, 0);
		o.stop = &stop_flag;
		/* Stop once the first job has completed. */
		char want[32];
		snprintf(want, sizeof(want), "stop %s 0 0 0", tl_mode_to_string(o.modes[0]));
		struct watch w = {.want = want, .act = set_stop, .stop = &stop_flag};
		pthread_t th;
		watch_begin(&w, &th, &o.events_fd);
		tl_trace *t = run(&o, NULL);
		watch_end(&w, th, o.events_fd);
		size_t n;
		const tl_span *sp = tl_trace_spans(t, &n);
		assert_true(n >= 1 && n < 1000);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(sp[i].job, (int64_t)i); /* completed ones, in order */
			assert_true(sp[i].stop - sp[i].start >= 40 * MS);
			assert_int_equal(sp[i].status, 0);
		}
		char meta[64];
		snprintf(meta, sizeof(meta), "%zu of 1000 jobs completed", n);
		assert_string_equal(tl_trace_meta_get(t, "interrupted"), meta);
		tl_trace_free(t);
	}
}

/* Kill the worker process named in a "start MODE JOB WORKER PID" line. */
static void kill_worker(struct watch *w, const char *line) {
	int job, worker, pid;
	if (sscanf(line, "start processes %d %d %d", &job, &worker, &pid) == 3) {
		w->pid = pid;
		kill(pid, SIGKILL);
	}
}

/*
 * A worker killed in a job: that job is recorded with SIGKILL, the survivor
 * does the rest. Job 0 lasts until its worker is gone, so the kill always
 * lands inside it.
 */
static void test_killed_worker_recorded_rest_finish(void **state) {
	(void)state;
	tl_run_opts o;
	tl_run_opts_init(&o);
	o.workload = TL_WORK_EXEC;
	char *const argv[] = {"sh", "-c",
			      "case {} in 0) while kill -0 $PPID 2>/dev/null; do sleep 0.05; "
			      "done;; esac",
			      NULL};
	o.argv = argv;
	o.modes[0] = TL_MODE_PROCESSES;
	o.nmodes = 1;
	o.workers = 2;
	o.jobs = 12;
	struct watch w = {.want = "start processes 0 ", .act = kill_worker};
	pthread_t th;
	watch_begin(&w, &th, &o.events_fd);
	size_t failed;
	tl_trace *t = run(&o, &failed);
	watch_end(&w, th, o.events_fd);
	/* Every job is there: one killed with its worker, the others done by the survivor. */
	tl_span s[12];
	spans_of(t, 0, 12, s);
	assert_int_equal(failed, 1);
	assert_int_equal(s[0].status, TL_EXIT_SIGNAL(9));
	for (int j = 1; j < 12; j++) {
		assert_int_equal(s[j].status, 0);
		assert_string_not_equal(tl_trace_str(t, s[j].worker), tl_trace_str(t, s[0].worker));
	}
	assert_null(tl_trace_meta_get(t, "interrupted"));
	tl_trace_free(t);
}

static void test_refuses_nonsense(void **state) {
	(void)state;
	tl_run_opts o;
	tl_run_opts_init(&o);
	struct tl_error err = {0};
	tl_trace *t = NULL;
	size_t f;
	o.workers = 0;
	assert_int_equal(tl_run(&o, &t, &f, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "workers must be between 1 and 4096 (got 0)");
	tl_run_opts_init(&o);
	o.jobs = 0;
	assert_int_equal(tl_run(&o, &t, &f, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "jobs must be between 1 and 10000000 (got 0)");
	tl_run_opts_init(&o);
	o.workload = TL_WORK_TRACK;
	o.jobs = 1000;
	o.n = INT64_MAX / 2000;
	assert_int_equal(tl_run(&o, &t, &f, &err), TL_ERR_USAGE);
	assert_non_null(strstr(err.msg, "samples do not fit in memory: at most "));
	tl_run_opts_init(&o);
	o.workload = TL_WORK_EXEC;
	assert_int_equal(tl_run(&o, &t, &f, &err), TL_ERR_USAGE);
	assert_string_equal(err.msg, "the exec workload needs a command after --");
	assert_null(t);
}

struct rec_arg {
	tl_recorder *r;
	int id;
};

static void *recording_thread(void *p) {
	struct rec_arg *a = p;
	for (int j = 0; j < 50; j++) {
		tl_recorder_span_begin(a->r, a->id % 2 ? "odd" : "even", a->id * 100 + j);
		for (int i = 0; i < 200; i++) {
			tl_recorder_sample(a->r, a->id % 2 ? "odd" : "even", a->id * 100 + j);
		}
		assert_true(tl_recorder_span_end(a->r, 0));
	}
	return NULL;
}

static void test_recorder_many_threads(void **state) {
	(void)state;
	tl_recorder *r = tl_recorder_new();
	enum { N = 16 };
	pthread_t th[N];
	struct rec_arg args[N];
	for (int i = 0; i < N; i++) {
		args[i] = (struct rec_arg){r, i};
		pthread_create(&th[i], NULL, recording_thread, &args[i]);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
	}
	assert_false(tl_recorder_span_end(r, 0)); /* nothing open on this thread */
	tl_trace *t;
	assert_int_equal(tl_recorder_trace(r, &t, NULL), TL_OK);
	size_t ns, nsa;
	const tl_span *sp = tl_trace_spans(t, &ns);
	const tl_sample *sa = test_samples(t, &nsa);
	assert_int_equal(ns, N * 50);
	assert_int_equal(nsa, N * 50 * 200);
	assert_int_equal(tl_trace_group_count(t), 2);
	/* Each thread is one worker; its samples sit inside its spans. */
	for (size_t i = 0; i < ns; i++) {
		assert_true(sp[i].stop >= sp[i].start && sp[i].start >= 0);
	}
	for (size_t i = 1; i < nsa; i++) {
		if (sa[i].worker == sa[i - 1].worker) {
			assert_true(sa[i].t >= sa[i - 1].t);
		}
	}
	tl_group_stats *st;
	assert_int_equal(tl_trace_stats(t, &st, NULL), TL_OK);
	assert_int_equal(st[0].workers + st[1].workers, N);
	free(st);
	tl_trace_free(t);
	tl_recorder_free(r);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_workload_every_mode),
		cmocka_unit_test(test_enough_workers_start_together),
		cmocka_unit_test(test_exec_statuses_and_timeout),
		cmocka_unit_test(test_gil_interleaves_threads),
		cmocka_unit_test(test_stop_keeps_completed_jobs),
		cmocka_unit_test(test_killed_worker_recorded_rest_finish),
		cmocka_unit_test(test_refuses_nonsense),
		cmocka_unit_test(test_recorder_many_threads),
	};
	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
