#ifndef TIMELINE_IO_CSV_CHUNK_H
#define TIMELINE_IO_CSV_CHUNK_H

/*
 * A chunk of a CSV table read on a thread of its own (csv_read.c plans and
 * merges the chunks; csv_chunk.c reads their rows): whole lines, read in
 * the plain form only, their rows put where the trace reserved room for
 * them, the strings and groups they meet guessed and remapped at the merge.
 */

#include "../model/model.h"
#include "../util/index.h"
#include "csv_impl.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A string a chunk met that the trace did not hold when the chunk started. */
struct newstr {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

/* What the one-thread reader would have done at this point: intern, or create a group. */
struct chunk_event {
	uint32_t id;    /* the string (as guessed) */
	uint32_t group; /* for a group: its index as guessed, else UINT32_MAX */
};

struct chunk {
	const struct csv *r;     /* the reader's column settings: read only */
	const char *p, *end;     /* whole lines */
	const char *data;        /* the mapping, for page alignment */
	bool drop_behind;        /* give back pages as they are read */
	size_t lines;            /* line ends in [p, end) */
	const char *nul;         /* the first NUL byte there, if any */
	bool samples;            /* rows are samples (else spans) */
	tl_span *spans;          /* where the chunk's rows go: spans, */
	tl_ns *times;            /* or samples' times */
	uint32_t *ids;           /* and tracks (as guessed) */
	struct tl_tracks tracks; /* the trace's when the chunk started, then those met here */
	size_t n;                /* rows read (of the chunk's kind) */
	bool spans_cut;          /* spans can be read here: their columns are there */
	tl_span *aside;          /* spans met in a chunk of samples */
	size_t naside, asidecap;
	tl_ns lo, hi;            /* their time range */
	bool ok;                 /* every line was read */
	const atomic_bool *stop; /* set when the calling thread needs no more */
	struct field *f;         /* ncols fields of the current line */
	/* The strings and groups the trace held when the chunk started. */
	struct tl_strent *known;
	size_t nknown;
	uint32_t *grp; /* by string id (as guessed): group + 1, 0 when it names none */
	size_t grpcap;
	size_t ngroups;
	struct newstr *fresh; /* strings first met here, in order: ids from nknown */
	size_t nfresh, freshcap;
	struct tl_index findex; /* over fresh, by content */
	struct chunk_event *ev;
	size_t nev, evcap;
	struct strcache cache[R_COUNT];
	pthread_t tid;
	bool started;
};

/*
 * Read the rows of chunk arg (a struct chunk) from p to end: c->ok when
 * every line was a plain row, else it gave up (the calling thread reads the
 * chunk itself). A thread's start routine; returns NULL.
 */
void *csv_chunk_rows(void *arg);

#endif
