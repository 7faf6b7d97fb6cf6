#ifndef TIMELINE_IO_ATOMIC_H
#define TIMELINE_IO_ATOMIC_H

/*
 * Atomic output files: data goes to a temporary file created exclusively in
 * the target's folder and is renamed over the target only when complete.
 * "-" means standard output, written directly. So are targets that are not
 * regular files (a FIFO, /dev/null, a terminal): renaming over them would
 * replace the device with a file. A symlink at the target is replaced, never
 * written through; an existing file's permissions are kept.
 */

#include <stdbool.h>
#include <stdio.h>

#include <timeline/error.h>

struct tl_atomic {
	FILE *f;     /* write here */
	char *path;  /* target */
	char *tmp;   /* temporary name, NULL for standard output */
	bool direct; /* a FIFO or device, written in place: nothing to rename */
};

/* Open; on success write to a->f, then call tl_atomic_commit() or tl_atomic_abort(). */
tl_status tl_atomic_open(struct tl_atomic *a, const char *path, struct tl_error *err);

/* Close, and rename into place. On failure the temporary file is removed. */
tl_status tl_atomic_commit(struct tl_atomic *a, struct tl_error *err);

/* Close and remove the temporary file. */
void tl_atomic_abort(struct tl_atomic *a);

#endif
