/*
 * Atomic output: mkstemp in the target's folder (O_EXCL, so a symlink placed
 * at the temporary name is never followed), permissions as a new file would
 * get under the umask, rename() over the target when everything was written.
 *
 * Every temporary file is registered, from its creation to its rename or
 * removal, for tl_output_abandon() to remove from a signal handler. Signals
 * are blocked from just before mkstemp until the name is registered, so no
 * signal can find a temporary file that the handler does not know about.
 * Past registration nothing needs blocking: a signal before the rename
 * removes the temporary file and leaves the target as it was; after the
 * rename the target is complete and the temporary name is gone.
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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Temporary files being written, for tl_output_abandon() to remove from a
 * signal handler: fixed storage, no allocation, a flag per slot, and the
 * process that made each one, so that a forked child (a process pool's
 * worker) dying of a signal never removes its parent's files.
 */
#define PENDING_MAX 32
static char pending[PENDING_MAX][4096];
static pid_t pending_pid[PENDING_MAX];
static volatile sig_atomic_t pending_used[PENDING_MAX];

/* Register tmp; false when every slot is taken (or the name is too long). */
static bool pending_add(const char *tmp) {
	for (int i = 0; i < PENDING_MAX; i++) {
		if (!pending_used[i] && strlen(tmp) < sizeof(pending[i])) {
			strcpy(pending[i], tmp);
			pending_pid[i] = getpid();
			/* The name is whole before the handler may see the slot. */
			atomic_signal_fence(memory_order_seq_cst);
			pending_used[i] = 1;
			return true;
		}
	}
	return false;
}

static void pending_remove(const char *tmp) {
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending_used[i] && strcmp(pending[i], tmp) == 0) {
			pending_used[i] = 0;
			return;
		}
	}
}

void tl_output_abandon(void) {
	pid_t self = getpid();
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending_used[i] && pending_pid[i] == self) {
			unlink(pending[i]);
			pending_used[i] = 0;
		}
	}
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

tl_status tl_atomic_open(struct tl_atomic *a, const char *path, struct tl_error *err) {
	memset(a, 0, sizeof(*a));
	if (strcmp(path, "-") == 0) {
		a->f = stdout;
		return TL_OK;
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
		free(a->path);
		free(a->tmp);
		return tl_error_set(err, TL_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	const char *dir = dirname(copy);
	snprintf(a->tmp, strlen(path) + 32, "%s/.timeline-XXXXXX", dir);
	/* From creation to registration, no signal may strike (see the top). */
	sigset_t all, was;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &was);
	int fd = mkostemp(a->tmp, O_CLOEXEC);
	int e = errno;
	bool full = fd >= 0 && !pending_add(a->tmp);
	if (full) {
		unlink(a->tmp);
		close(fd);
		fd = -1;
	}
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	if (fd < 0) {
		tl_status st =
			full ? tl_error_set(err, TL_ERR_NOMEM, path, 0, 0,
					    "cannot write more than %d files at once", PENDING_MAX)
			     : tl_error_set(err, TL_ERR_IO, path, 0, 0,
					    "cannot create a file in %s: %s", dir, strerror(e));
		free(copy);
		free(a->path);
		free(a->tmp);
		memset(a, 0, sizeof(*a));
		return st;
	}
	free(copy);
	if (existed) {
		/* Replacing a file: same permissions (never set-id), same owner if allowed. */
		fchmod(fd, old.st_mode & 0777);
		if (fchown(fd, old.st_uid, old.st_gid) != 0) {
			/* Only root may give a file away: it stays ours, mode kept. */
		}
	} else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		tl_status st = tl_error_set(err, TL_ERR_IO, path, 0, 0, "cannot write: %s",
					    strerror(errno));
		close(fd);
		unlink(a->tmp);
		pending_remove(a->tmp);
		free(a->path);
		free(a->tmp);
		memset(a, 0, sizeof(*a));
		return st;
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
		free(a->path);
		memset(a, 0, sizeof(*a));
		return st;
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
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
	return st;
}

void tl_atomic_abort(struct tl_atomic *a) {
	if (a->direct) {
		fclose(a->f); /* what reached a FIFO or device cannot be taken back */
	} else if (a->tmp) {
		fclose(a->f);
		unlink(a->tmp);
		pending_remove(a->tmp);
	}
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
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
