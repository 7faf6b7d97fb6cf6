/*
 * Atomic outputs (tl_output_open and the registry of temporary files behind
 * every writer): many threads writing at once, each file complete with the
 * mode a new file gets and no temporary file left; the error when too many
 * writes are in progress; permissions under several umasks; abandoning the
 * writes in progress; a fork taken while another thread holds the registry,
 * and a child's registry its own.
 */

#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <timeline/timeline.h>

#define THREADS 16
#define FILES_PER_THREAD 8

/*
 * getpid(), which the registry calls while it holds its lock (to note which
 * process made a file): a thread that sets stop_in_getpid stops in it until
 * getpid_release is set, holding the lock, so that a test can fork while
 * another thread holds it. The others get the process id.
 */
static _Thread_local bool stop_in_getpid;
static atomic_bool getpid_stopped, getpid_release;

pid_t getpid(void) {
	if (stop_in_getpid) {
		stop_in_getpid = false;
		atomic_store(&getpid_stopped, true);
		while (!atomic_load(&getpid_release)) {
			usleep(1000);
		}
	}
	return (pid_t)syscall(SYS_getpid);
}

static char *make_dir(void) {
	char *dir = strdup("/tmp/tl-output-XXXXXX");
	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Every entry of dir removed, then dir; fails when an entry is not a file. */
static void remove_dir(char *dir) {
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	char path[512];
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			assert_int_equal(unlink(path), 0);
		}
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Entries of dir whose name starts with prefix. */
static int count_entries(const char *dir, const char *prefix) {
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	}
	closedir(d);
	return n;
}

static mode_t mode_of(const char *path) {
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_mode & 07777;
}

struct writer {
	const char *dir;
	int id;
	pthread_barrier_t *all_open; /* every thread holds an open output here */
	int failures;
};

/*
 * Write FILES_PER_THREAD files; the first stays open until every thread has
 * opened its own, so that THREADS writes are in progress together.
 */
static void *write_files(void *arg) {
	struct writer *w = arg;
	for (int k = 0; k < FILES_PER_THREAD; k++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/out-%02d-%d.txt", w->dir, w->id, k);
		tl_output *o = NULL;
		struct tl_error err = {0};
		if (tl_output_open(path, &o, &err) != TL_OK) {
			w->failures++;
			continue;
		}
		if (k == 0) {
			pthread_barrier_wait(w->all_open);
		}
		fprintf(tl_output_stream(o), "thread %d file %d\n", w->id, k);
		w->failures += tl_output_commit(o, &err) != TL_OK;
	}
	return NULL;
}

static void test_output_many_threads(void **state) {
	(void)state;
	char *dir = make_dir();
	mode_t was = umask(027);
	pthread_barrier_t all_open;
	assert_int_equal(pthread_barrier_init(&all_open, NULL, THREADS), 0);
	pthread_t threads[THREADS];
	struct writer writers[THREADS];
	for (int i = 0; i < THREADS; i++) {
		writers[i] = (struct writer){.dir = dir, .id = i, .all_open = &all_open};
		assert_int_equal(pthread_create(&threads[i], NULL, write_files, &writers[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(writers[i].failures, 0);
	}
	pthread_barrier_destroy(&all_open);
	for (int i = 0; i < THREADS; i++) {
		for (int k = 0; k < FILES_PER_THREAD; k++) {
			char path[512], want[64], got[64] = "";
			snprintf(path, sizeof(path), "%s/out-%02d-%d.txt", dir, i, k);
			snprintf(want, sizeof(want), "thread %d file %d\n", i, k);
			FILE *f = fopen(path, "r");
			assert_non_null(f);
			assert_non_null(fgets(got, sizeof(got), f));
			fclose(f);
			assert_string_equal(got, want);
			assert_int_equal(mode_of(path), 0666 & ~027);
		}
	}
	assert_int_equal(count_entries(dir, "out-"), THREADS * FILES_PER_THREAD);
	assert_int_equal(count_entries(dir, ".timeline-"), 0);
	umask(was);
	remove_dir(dir);
}

/* Past TL_OUTPUT_PENDING_MAX writes in progress, opening one more fails loudly. */
static void test_output_too_many_in_progress(void **state) {
	(void)state;
	char *dir = make_dir();
	tl_output *open[TL_OUTPUT_PENDING_MAX];
	char path[512];
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		snprintf(path, sizeof(path), "%s/out-%d.txt", dir, i);
		assert_int_equal(tl_output_open(path, &open[i], NULL), TL_OK);
	}
	snprintf(path, sizeof(path), "%s/one-more.txt", dir);
	tl_output *o = (tl_output *)1;
	struct tl_error err = {0};
	assert_int_equal(tl_output_open(path, &o, &err), TL_ERR_NOMEM);
	assert_null(o);
	assert_string_equal(err.msg, "cannot write more than 32 files at once");
	assert_string_equal(err.path, path);
	assert_int_equal(count_entries(dir, ".timeline-"), TL_OUTPUT_PENDING_MAX);
	/* One finished: room for one more. */
	assert_int_equal(tl_output_commit(open[0], NULL), TL_OK);
	assert_int_equal(tl_output_open(path, &o, NULL), TL_OK);
	assert_int_equal(tl_output_commit(o, NULL), TL_OK);
	for (int i = 1; i < TL_OUTPUT_PENDING_MAX; i++) {
		tl_output_abort(open[i]);
	}
	assert_int_equal(count_entries(dir, ".timeline-"), 0);
	assert_int_equal(count_entries(dir, "out-"), 1);
	assert_int_equal(count_entries(dir, "one-more"), 1);
	remove_dir(dir);
}

static void write_text(const char *path, const char *text) {
	tl_output *o = NULL;
	assert_int_equal(tl_output_open(path, &o, NULL), TL_OK);
	fputs(text, tl_output_stream(o));
	assert_int_equal(tl_output_commit(o, NULL), TL_OK);
}

/* A new file: 0666 less the umask, which stays as it was; a replaced one keeps its mode. */
static void test_output_mode(void **state) {
	(void)state;
	char *dir = make_dir();
	char path[512];
	static const mode_t masks[] = {022, 077, 0, 027};
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		mode_t was = umask(masks[i]);
		snprintf(path, sizeof(path), "%s/new-%zu.txt", dir, i);
		write_text(path, "x\n");
		assert_int_equal(mode_of(path), 0666 & ~masks[i]);
		assert_int_equal(umask(was), masks[i]);
	}
	snprintf(path, sizeof(path), "%s/kept.txt", dir);
	write_text(path, "old\n");
	assert_int_equal(chmod(path, 0604), 0);
	mode_t was = umask(077);
	write_text(path, "new\n");
	umask(was);
	assert_int_equal(mode_of(path), 0604);
	remove_dir(dir);
}

/* tl_output_abandon() removes the temporary files; the commit then fails, the target untouched. */
static void test_output_abandon(void **state) {
	(void)state;
	char *dir = make_dir();
	char path[512];
	snprintf(path, sizeof(path), "%s/target.txt", dir);
	write_text(path, "before\n");
	tl_output *o = NULL, *p = NULL;
	assert_int_equal(tl_output_open(path, &o, NULL), TL_OK);
	assert_int_equal(tl_output_open(path, &p, NULL), TL_OK);
	fputs("half", tl_output_stream(o));
	assert_int_equal(count_entries(dir, ".timeline-"), 2);
	tl_output_abandon();
	assert_int_equal(count_entries(dir, ".timeline-"), 0);
	struct tl_error err = {0};
	assert_int_equal(tl_output_commit(o, &err), TL_ERR_IO);
	assert_string_equal(err.path, path);
	tl_output_abort(p);
	FILE *f = fopen(path, "r");
	char got[32] = "";
	assert_non_null(fgets(got, sizeof(got), f));
	fclose(f);
	assert_string_equal(got, "before\n");
	/* The registry is free again: a whole table's worth opens. */
	tl_output *all[TL_OUTPUT_PENDING_MAX];
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		assert_int_equal(tl_output_open(path, &all[i], NULL), TL_OK);
	}
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		tl_output_abort(all[i]);
	}
	remove_dir(dir);
}

/* Open path, write text and commit; false on any failure. */
static bool try_write(const char *path, const char *text) {
	tl_output *o = NULL;
	if (tl_output_open(path, &o, NULL) != TL_OK) {
		return false;
	}
	fputs(text, tl_output_stream(o));
	return tl_output_commit(o, NULL) == TL_OK;
}

/*
 * Wait for child, 10 s at most (then kill it: a write blocks every signal, an
 * alarm's too); whether it exited with status 0.
 */
static bool child_ok(pid_t child) {
	int status = 0;
	pid_t got = 0;
	for (int waited = 0; waited < 10000 && got == 0; waited += 10) {
		got = waitpid(child, &status, WNOHANG);
		if (got == 0) {
			usleep(10000);
		}
	}
	if (got == 0) {
		kill(child, SIGKILL);
		got = waitpid(child, &status, 0);
	}
	assert_int_equal(got, child);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

struct stopped_open {
	const char *path;
	tl_output *o;
	tl_status st;
	atomic_bool done;
};

/* Open an output, stopping in getpid() with the registry's lock held. */
static void *open_stopped(void *arg) {
	struct stopped_open *s = arg;
	stop_in_getpid = true;
	s->st = tl_output_open(s->path, &s->o, NULL);
	atomic_store(&s->done, true);
	return NULL;
}

/*
 * fn(arg) on a detached thread: a forked child does not have it, and a
 * thread sanitizer in the child would report one it cannot join.
 */
static void start_detached(void *(*fn)(void *), void *arg) {
	pthread_attr_t attr;
	pthread_t t;
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
	assert_int_equal(pthread_create(&t, &attr, fn, arg), 0);
	pthread_attr_destroy(&attr);
}

static void *release_later(void *arg) {
	(void)arg;
	usleep(200000);
	atomic_store(&getpid_release, true);
	return NULL;
}

/*
 * A fork while another thread holds the registry's lock: the fork waits for
 * it, and the child writes files (without, the child's lock would stay
 * taken: its write would hang).
 */
static void test_output_fork_while_locked(void **state) {
	(void)state;
	char *dir = make_dir();
	static char path[512];
	char child_path[512];
	snprintf(path, sizeof(path), "%s/parent.txt", dir);
	snprintf(child_path, sizeof(child_path), "%s/child.txt", dir);
	/* Static: the opener writes to it even when the test fails before it is done. */
	static struct stopped_open so;
	so = (struct stopped_open){.path = path};
	start_detached(open_stopped, &so);
	while (!atomic_load(&getpid_stopped)) {
		usleep(1000);
	}
	/* The lock is held until the releaser lets the opener go on. */
	start_detached(release_later, NULL);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		_exit(try_write(child_path, "child\n") ? 0 : 1);
	}
	assert_true(child_ok(child));
	while (!atomic_load(&so.done)) {
		usleep(1000);
	}
	assert_int_equal(so.st, TL_OK);
	fputs("parent\n", tl_output_stream(so.o));
	assert_int_equal(tl_output_commit(so.o, NULL), TL_OK);
	assert_int_equal(count_entries(dir, "child.txt"), 1);
	assert_int_equal(count_entries(dir, "parent.txt"), 1);
	assert_int_equal(count_entries(dir, ".timeline-"), 0);
	remove_dir(dir);
}

/*
 * A child's registry is its own: with its parent's full, it writes files,
 * and abandoning its writes leaves its parent's temporary files alone.
 */
static void test_output_child_registry(void **state) {
	(void)state;
	char *dir = make_dir();
	char path[512];
	tl_output *open[TL_OUTPUT_PENDING_MAX];
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		snprintf(path, sizeof(path), "%s/out-%d.txt", dir, i);
		assert_int_equal(tl_output_open(path, &open[i], NULL), TL_OK);
	}
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		bool ok = true;
		for (int i = 0; i < TL_OUTPUT_PENDING_MAX && ok; i++) {
			snprintf(path, sizeof(path), "%s/child-%d.txt", dir, i);
			ok = try_write(path, "child\n");
		}
		tl_output *o = NULL;
		snprintf(path, sizeof(path), "%s/child-abandoned.txt", dir);
		ok = ok && tl_output_open(path, &o, NULL) == TL_OK;
		tl_output_abandon();
		_exit(ok ? 0 : 1);
	}
	assert_true(child_ok(child));
	assert_int_equal(count_entries(dir, "child-"), TL_OUTPUT_PENDING_MAX);
	assert_int_equal(count_entries(dir, ".timeline-"), TL_OUTPUT_PENDING_MAX);
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		assert_int_equal(tl_output_commit(open[i], NULL), TL_OK);
	}
	assert_int_equal(count_entries(dir, "out-"), TL_OUTPUT_PENDING_MAX);
	assert_int_equal(count_entries(dir, ".timeline-"), 0);
	remove_dir(dir);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_many_threads),
		cmocka_unit_test(test_output_too_many_in_progress),
		cmocka_unit_test(test_output_mode),
		cmocka_unit_test(test_output_abandon),
		cmocka_unit_test(test_output_fork_while_locked),
		cmocka_unit_test(test_output_child_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
