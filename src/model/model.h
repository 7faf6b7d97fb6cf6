#ifndef TIMELINE_MODEL_MODEL_H
#define TIMELINE_MODEL_MODEL_H

/* Private body of tl_trace; never installed. */

#include <timeline/trace.h>

struct tl_strent {
	const char *s; /* NUL-terminated, in a string block */
	uint32_t len;  /* bytes, without the NUL */
	uint32_t hash;
};

struct tl_strblock {
	struct tl_strblock *next;
	size_t size; /* bytes usable in data */
	char data[];
};

struct tl_meta {
	char *key;
	char *value;
};

struct tl_trace {
	struct tl_strent *strs; /* id → string; strs[0] is "" */
	size_t nstrs, capstrs;
	uint32_t *htab; /* open addressing: id + 1, 0 when empty */
	size_t hcap;    /* power of two */
	struct tl_strblock *blocks;
	char *bcur;   /* free space in the newest block */
	size_t bleft; /* bytes left at bcur */

	tl_str *groups; /* group index → name */
	size_t ngroups, capgroups;
	uint32_t *gtab; /* open addressing by name id: group index + 1, 0 when empty */
	size_t gcap;    /* power of two, 0 until the first group */

	tl_span *spans;
	size_t nspans, capspans;
	tl_sample *samples;
	size_t nsamples, capsamples;
	tl_ns tlo, thi; /* earliest and latest time added, when nspans + nsamples > 0 */
	bool tstale;    /* the mutable arrays were handed out: tlo, thi may be stale */

	struct tl_meta *meta;
	size_t nmeta, capmeta;

	size_t bytes;       /* held by the arrays, string blocks and hash table */
	size_t max_records; /* spans + samples; 0: no limit */
	size_t max_bytes;   /* 0: no limit */
	bool over_budget;   /* the last failed growth hit max_bytes, not malloc */
};

/*
 * Rows that a reader wrote straight into the reserved room past the end of
 * the span (or, with samples, sample) array, from several threads: count n
 * more, their times within [lo, hi]. false, with nothing counted, when they
 * do not fit the reserved room, would pass the row limit, or would widen the
 * time range past what tl_trace_add_span() and tl_trace_add_sample() accept:
 * the caller then adds them one by one, for the exact message.
 */
bool tl_trace_append_reserved(tl_trace *t, bool samples, size_t n, tl_ns lo, tl_ns hi);

/* Grow *arr (of elements of size elem) so that it holds at least need; doubles. */
bool tl_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
