/*
 * An LD_PRELOAD library for the signal tests: it stops timeline at a chosen
 * moment of writing an output, so that a test can send a signal while the
 * program provably is at that moment, with no sleep that should be long
 * enough and no poll that must catch a passing state.
 *
 *   TL_HOLD=fdopen  the temporary file exists, empty, and is about to become
 *                   a stream (tl_atomic_open);
 *   TL_HOLD=fclose  the temporary file is being written: its stream is about
 *                   to be closed, its last buffer not yet written;
 *   TL_HOLD=rename  the temporary file is complete and closed, about to be
 *                   renamed over the target.
 *   TL_HOLD_SKIP=N  let the first N such calls pass (default 0).
 *   TL_HOLD_FIFO    a FIFO: at the moment, the library opens it for writing
 *                   (which waits for the test to open it for reading),
 *                   writes the temporary file's path and a newline, closes it,
 *                   and waits for signals, forever.
 *
 * Only calls on timeline's temporary files (".timeline-*") count; every
 * call goes on to the C library's own function.
 *
 * And a moment of reading: TL_HOLD=mapped stops timeline when an input file
 * has been mapped, before any of it is read (the madvise(MADV_SEQUENTIAL)
 * that follows the mmap): it writes "mapped" and a newline to TL_HOLD_FIFO,
 * then waits until a line can be read from the FIFO TL_HOLD_GO, and goes on.
 * A test changes the file in between.
 */

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int rename(const char *from, const char *to);

static bool is_temporary(const char *path) {
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strncmp(base, ".timeline-", 10) == 0;
}

/* The path of an open file descriptor, or "" when unknown. */
static void fd_path(int fd, char *buf, size_t size) {
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = fd >= 0 ? readlink(link, buf, size - 1) : -1;
	buf[n > 0 ? n : 0] = '\0';
}

static void maybe_hold(const char *where, const char *path) {
	const char *at = getenv("TL_HOLD");
	const char *fifo = getenv("TL_HOLD_FIFO");
	if (!at || !fifo || strcmp(at, where) != 0 || !is_temporary(path)) {
		return;
	}
	static int seen;
	const char *skip = getenv("TL_HOLD_SKIP");
	if (seen++ < (skip ? atoi(skip) : 0)) {
		return;
	}
	int fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "%s\n", path);
		close(fd);
	}
	for (;;) {
		pause();
	}
}

FILE *fdopen(int fd, const char *mode) {
	FILE *(*real)(int, const char *) =
		(FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
	char path[PATH_MAX];
	fd_path(fd, path, sizeof(path));
	maybe_hold("fdopen", path);
	return real(fd, mode);
}

int fclose(FILE *f) {
	int (*real)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	char path[PATH_MAX];
	fd_path(f ? fileno(f) : -1, path, sizeof(path));
	maybe_hold("fclose", path);
	return real(f);
}

int rename(const char *from, const char *to) {
	int (*real)(const char *, const char *) =
		(int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	maybe_hold("rename", from);
	return real(from, to);
}

/* TL_HOLD=mapped: say so, then wait for the test's word to go on. */
static void hold_mapped(void) {
	const char *at = getenv("TL_HOLD");
	const char *fifo = getenv("TL_HOLD_FIFO");
	const char *go = getenv("TL_HOLD_GO");
	static int seen;
	if (!at || !fifo || !go || strcmp(at, "mapped") != 0 || seen++) {
		return;
	}
	int fd = open(fifo, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "mapped\n");
		close(fd);
	}
	fd = open(go, O_RDONLY | O_CLOEXEC);
	char c;
	while (fd >= 0 && read(fd, &c, 1) == 1 && c != '\n') {
	}
	if (fd >= 0) {
		close(fd);
	}
}

int madvise(void *addr, size_t len, int advice) {
	int (*real)(void *, size_t, int) =
		(int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "madvise");
	if (advice == MADV_SEQUENTIAL) {
		hold_mapped();
	}
	return real(addr, len, advice);
}
