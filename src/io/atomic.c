/*
 * Atomic output: a new file in the target's folder (O_EXCL, so a symlink
 * placed at the temporary name is never followed), created with the
 * permissions a new file gets under the umask, renamed over the target when
 * everything was written. Safe to use from several threads at once.
 *
 * Every temporary file is registered, from its creation to its rename or
 * removal, for tl_output_abandon() to remove from a signal handler. Signals
 * are blocked from just before the file is created until its name is
 * registered, so no signal can find a temporary file that the handler does
 * not know about. Past registration nothing needs blocking: a signal before
 * the rename removes the temporary file and leaves the target as it was;
 * after the rename the target is complete and the temporary name is gone.
 */

#include "atomic.h"

#include <timeline/io.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Temporary files being written, for tl_output_abandon() to remove from a
 * signal handler: fixed storage, no allocation, and the process that made
 * each one, so that a forked child (a process pool's worker) dying of a
 * signal never removes its parent's files.
 *
 * Threads add and remove names under pending_lock. The handler takes no lock
 * (it may interrupt the thread that holds it): it only reads slots and
 * unlinks. Each slot is a sequence lock: its count is odd while a thread
 * changes it, and the handler copies a name and unlinks the copy only when
 * the count was even and the same before and after the copy, so a slot
 * reused by another thread meanwhile is never half-read.
 *
 * A fork. The child has only the thread that forked: had another thread held
 * pending_lock then, the child's copy would stay locked for good, and a slot
 * that thread was changing would stay half-changed. So a fork waits for the
 * lock (pthread_atfork: the prepare handler takes it, the parent's and the
 * child's release it), and the child starts with every slot whole. Its
 * parent's writes are its parent's (the handler of a child never removes
 * them): the child frees their slots, so it has the whole registry for its own.
 *
 * Why fixed storage rather than a registry that grows: the handler may
 * interrupt any thread at any point, so what it reads must never move or be
 * freed under it. Growing would mean chunks published with atomics and never
 * freed; the fixed table is that with one chunk. The limit it sets is far
 * beyond what the programs need (the CLI writes one or two files at once),
 * public (TL_OUTPUT_PENDING_MAX) and loud: one more write fails with
 * TL_ERR_NOMEM saying so, instead of growing without bound when a caller
 * forgets to commit or abort its outputs.
 */
struct pending_slot {
	atomic_uint seq;  /* odd while the slot changes */
	atomic_bool used; /* name is a temporary file being written */
	atomic_int pid;   /* the process that made it */
	char name[PATH_MAX];
};
static struct pending_slot pending[TL_OUTPUT_PENDING_MAX];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

/* Change slot s to hold name (NULL: free it); the caller holds pending_lock. */
static void slot_set(struct pending_slot *s, const char *name) {
	unsigned seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
	atomic_store_explicit(&s->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	if (name) {
		strcpy(s->name, name);
		atomic_store_explicit(&s->pid, (int)getpid(), memory_order_relaxed);
	}
	atomic_store_explicit(&s->used, name != NULL, memory_order_relaxed);
	atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

static void pending_prepare_fork(void) {
	pthread_mutex_lock(&pending_lock);
}

static void pending_parent_fork(void) {
	pthread_mutex_unlock(&pending_lock);
}

/* In the child, which holds the lock as its only thread did: the parent's slots freed. */
static void pending_child_fork(void) {
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		if (atomic_load_explicit(&pending[i].used, memory_order_relaxed)) {
			slot_set(&pending[i], NULL);
		}
	}
	pthread_mutex_unlock(&pending_lock);
}

static pthread_once_t fork_handlers_once = PTHREAD_ONCE_INIT;

/*
 * Installed before the first registration: no fork before it can find the
 * lock taken. pthread_atfork fails only when out of memory; forks are then
 * unguarded, as they were without it.
 */
static void install_fork_handlers(void) {
	pthread_atfork(pending_prepare_fork, pending_parent_fork, pending_child_fork);
}

/* Register tmp (shorter than PATH_MAX); false when every slot is taken. */
static bool pending_add(const char *tmp) {
	bool added = false;
	pthread_once(&fork_handlers_once, install_fork_handlers);
	pthread_mutex_lock(&pending_lock);
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX && !added; i++) {
		if (!atomic_load_explicit(&pending[i].used, memory_order_relaxed)) {
			slot_set(&pending[i], tmp);
			added = true;
		}
	}
	pthread_mutex_unlock(&pending_lock);
	return added;
}

static void pending_remove(const char *tmp) {
	pthread_mutex_lock(&pending_lock);
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		if (atomic_load_explicit(&pending[i].used, memory_order_relaxed) &&
		    strcmp(pending[i].name, tmp) == 0) {
			slot_set(&pending[i], NULL);
			break;
		}
	}
	pthread_mutex_unlock(&pending_lock);
}

void tl_output_abandon(void) {
	int self = (int)getpid();
	char name[PATH_MAX];
	for (int i = 0; i < TL_OUTPUT_PENDING_MAX; i++) {
		struct pending_slot *s = &pending[i];
		unsigned seq = atomic_load_explicit(&s->seq, memory_order_acquire);
		if (seq % 2 != 0 || !atomic_load_explicit(&s->used, memory_order_relaxed) ||
		    atomic_load_explicit(&s->pid, memory_order_relaxed) != self) {
			continue;
		}
		memcpy(name, s->name, sizeof(name));
		atomic_thread_fence(memory_order_acquire);
		if (atomic_load_explicit(&s->seq, memory_order_relaxed) == seq) {
			name[sizeof(name) - 1] = '\0';
			unlink(name);
		}
	}
}

/*
 * Create a new file "DIR/.timeline-XXXXXX" in tmp (which holds that pattern),
 * exclusively (O_EXCL: a symlink placed at the name is never followed), with
 * mode 0666 for the kernel to narrow by the umask or the folder's default
 * ACL, as any new file gets; mkstemp's 0600 would need the umask read, and
 * reading it means setting it, which races with other threads creating files.
 */
static int create_temporary(char *tmp) {
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char *x = tmp + strlen(tmp) - 6;
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[6];
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			return -1;
		}
		for (int i = 0; i < 6; i++) {
			x[i] = chars[r[i] % (sizeof(chars) - 1)];
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST) {
			return fd;
		}
	}
	return -1; /* errno: EEXIST */
}

/* A FIFO or a device: opened as it is, never created or renamed over. */
static tl_status open_direct(struct tl_atomic *a, const char *path, struct tl_error *err) {
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || S_ISREG(sb.st_mode)) {
		tl_status st = tl_error_set(err, TL_ERR_IO, path, 0, 0, "cannot write: %s",
					    fd < 0 ? strerror(errno) : "it changed while opening");
		if (fd >= 0) {
			close(fd);
		}
		return st;
	}
	a->path = strdup(path);
	a->f = a->path ? fdopen(fd, "w") : NULL;
	if (!a->f) {
		close(fd);
		free(a->path);
		a->path = NULL;
		return tl_error_set(err, TL_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	a->direct = true;
	return TL_OK;
}

/*
 * Create the temporary file tmp names (see create_temporary) and register
 * it, with every signal blocked from just before the one to just after the
 * other (see the top). Its descriptor, or -1: errno says why it could not
 * be created, or *full that the registry was full (it is removed then).
 */
static int create_registered(char *tmp, bool *full) {
	sigset_t all, was;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &was);
	int fd = create_temporary(tmp);
	int e = errno;
	*full = fd >= 0 && !pending_add(tmp);
	if (*full) {
		unlink(tmp);
		close(fd);
		fd = -1;
	}
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	errno = e;
	return fd;
}

/* Free what a holds and empty it; returns st. */
static tl_status release(struct tl_atomic *a, tl_status st) {
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
	return st;
}

tl_status tl_atomic_open(struct tl_atomic *a, const char *path, struct tl_error *err) {
	memset(a, 0, sizeof(*a));
	if (strcmp(path, "-") == 0) {
		a->f = stdout;
		return TL_OK;
	}
	/*
	 * Standard output by its names is standard output, whatever it is. A
	 * symbolic link to a pipe or a socket is written into. A link to a file,
	 * a device or nothing is replaced and never written through: a link
	 * planted where the output goes must not make it overwrite another file.
	 */
	if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/fd/1") == 0 ||
	    strcmp(path, "/proc/self/fd/1") == 0) {
		a->f = stdout;
		return TL_OK;
	}
	struct stat to;
	if (stat(path, &to) == 0 && (S_ISFIFO(to.st_mode) || S_ISSOCK(to.st_mode))) {
		return open_direct(a, path, err);
	}
	struct stat old;
	bool existed = stat(path, &old) == 0 && S_ISREG(old.st_mode);
	if (lstat(path, &old) == 0 && !S_ISREG(old.st_mode) && !S_ISLNK(old.st_mode) &&
	    !S_ISDIR(old.st_mode)) {
		return open_direct(a, path, err);
	}
	if (existed) {
		lstat(path, &old);
		existed = S_ISREG(old.st_mode);
	}
	char *copy = strdup(path);
	a->path = strdup(path);
	a->tmp = copy ? malloc(strlen(path) + 32) : NULL;
	if (!a->tmp || !a->path) {
		free(copy);
		return release(a, tl_error_set(err, TL_ERR_NOMEM, path, 0, 0, "out of memory"));
	}
	const char *dir = dirname(copy);
	snprintf(a->tmp, strlen(path) + 32, "%s/.timeline-XXXXXX", dir);
	bool full = false;
	int fd = create_registered(a->tmp, &full);
	if (fd < 0) {
		tl_status st =
			full ? tl_error_set(err, TL_ERR_NOMEM, path, 0, 0,
					    "cannot write more than %d files at once",
					    TL_OUTPUT_PENDING_MAX)
			     : tl_error_set(err, TL_ERR_IO, path, 0, 0,
					    "cannot create a file in %s: %s", dir, strerror(errno));
		free(copy);
		return release(a, st);
	}
	free(copy);
	if (existed) {
		/* Replacing a file: same permissions (never set-id), same owner if allowed. */
		fchmod(fd, old.st_mode & 0777);
		if (fchown(fd, old.st_uid, old.st_gid) != 0) {
			/* Only root may give a file away: it stays ours, mode kept. */
		}
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		tl_status st = tl_error_set(err, TL_ERR_IO, path, 0, 0, "cannot write: %s",
					    strerror(errno));
		close(fd);
		unlink(a->tmp);
		pending_remove(a->tmp);
		return release(a, st);
	}
	return TL_OK;
}

tl_status tl_atomic_commit(struct tl_atomic *a, struct tl_error *err) {
	tl_status st = TL_OK;
	if (a->direct) {
		bool bad = ferror(a->f);
		if (fclose(a->f) != 0 || bad) {
			st = tl_error_set(err, TL_ERR_IO, a->path, 0, 0, "cannot write: %s",
					  bad ? "write error" : strerror(errno));
		}
		return release(a, st);
	}
	if (!a->tmp) {
		if (fflush(a->f) != 0) {
			st = tl_error_set(err, TL_ERR_IO, "<stdout>", 0, 0, "write failed: %s",
					  strerror(errno));
		}
		return st;
	}
	bool bad = ferror(a->f);
	if (fclose(a->f) != 0 || bad) {
		st = tl_error_set(err, TL_ERR_IO, a->path, 0, 0, "cannot write: %s",
				  bad ? "write error" : strerror(errno));
	} else if (rename(a->tmp, a->path) != 0) {
		st = tl_error_set(err, TL_ERR_IO, a->path, 0, 0, "cannot write: %s",
				  strerror(errno));
	}
	if (st != TL_OK) {
		unlink(a->tmp);
	}
	pending_remove(a->tmp);
	return release(a, st);
}

void tl_atomic_abort(struct tl_atomic *a) {
	if (a->direct) {
		fclose(a->f); /* what reached a FIFO or device cannot be taken back */
	} else if (a->tmp) {
		fclose(a->f);
		unlink(a->tmp);
		pending_remove(a->tmp);
	}
	release(a, TL_OK);
}

struct tl_output {
	struct tl_atomic a;
};

tl_status tl_output_open(const char *path, tl_output **ret, struct tl_error *err) {
	*ret = NULL;
	tl_output *o = calloc(1, sizeof(*o));
	if (!o) {
		return tl_error_set(err, TL_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	tl_status st = tl_atomic_open(&o->a, path, err);
	if (st != TL_OK) {
		free(o);
		return st;
	}
	*ret = o;
	return TL_OK;
}

FILE *tl_output_stream(tl_output *out) {
	return out->a.f;
}

tl_status tl_output_commit(tl_output *out, struct tl_error *err) {
	tl_status st = tl_atomic_commit(&out->a, err);
	free(out);
	return st;
}

void tl_output_abort(tl_output *out) {
	if (out) {
		tl_atomic_abort(&out->a);
		free(out);
	}
}
