#ifndef TIMELINE_MODEL_TRACE_BODY_H
#define TIMELINE_MODEL_TRACE_BODY_H

/*
 * Private body of tl_trace, for the model's own files alone: readers and
 * the layers above go through model.h.
 */

#include "model.h"

#include <stdint.h>

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
	struct tl_index sindex; /* over strs[1 ..], by content */
	struct tl_strblock *blocks;
	char *bcur;   /* free space in the newest block */
	size_t bleft; /* bytes left at bcur */

	tl_str *groups; /* group index → name */
	size_t ngroups, capgroups;
	struct tl_index gindex; /* over groups, by name id */

	tl_span *spans;
	size_t nspans, capspans;
	tl_ns *stimes;    /* sample i's time */
	uint32_t *strack; /* sample i's track, an index into tracks.v */
	size_t nsamples;
	size_t capsamples;       /* room in both arrays: the smaller of the two below */
	size_t captimes, capids; /* room in each */
	struct tl_tracks tracks;
	/*
	 * Tracks only (tl_trace_keep_tracks_only): samples added are counted in
	 * their tracks and not kept; nsummarized counts them, tsum[k] counts (in
	 * its samples, first and last) what track k has of them alone.
	 */
	bool tracks_only;
	size_t nsummarized;
	tl_track *tsum;
	size_t captsum;
	tl_ns tlo, thi; /* earliest and latest time added, when any row was added */
	bool tstale;    /* the mutable arrays were handed out: tlo, thi may be stale */

	struct tl_meta *meta;
	size_t nmeta, capmeta;

	size_t bytes;       /* held by the arrays, string blocks and hash table */
	size_t max_records; /* spans + samples; 0: no limit */
	size_t max_bytes;   /* 0: no limit */
	bool over_budget;   /* the last failed growth hit max_bytes, not malloc */
};

/* Rows of every kind the trace holds: spans, kept samples and samples counted in tracks only. */
static inline size_t tl_trace_rows(const tl_trace *t) {
	return t->nspans + t->nsamples + t->nsummarized;
}

/* ---- shared by trace*.c ---- */

/*
 * Growth under the trace's memory budget: like tl_grow, and also refused when
 * the trace would hold more than max_bytes, so a huge input ends in a clear
 * message rather than in the kernel's OOM killer.
 */
bool trace_grow(tl_trace *t, void **arr, size_t *cap, size_t need, size_t elem);

/* TL_ERR_NOMEM, saying whether the budget (--max-memory) or malloc refused. */
tl_status trace_nomem(const tl_trace *t, struct tl_error *err);

/* Rows that may still be added under the row limit (SIZE_MAX when there is none). */
static inline size_t trace_rows_left(const tl_trace *t) {
	if (!t->max_records) {
		return SIZE_MAX;
	}
	size_t rows = tl_trace_rows(t);
	return rows < t->max_records ? t->max_records - rows : 0;
}

/* A time that would pass ±TL_TIME_MAX. */
tl_status trace_out_of_range(struct tl_error *err);

/*
 * Widen the trace's time range to [a, b], which must stay within ±TL_TIME_MAX
 * and no wider than TL_TIME_MAX: then no difference of two times, and no
 * small margin around them, overflows anywhere downstream.
 */
static inline tl_status trace_check_times(const tl_trace *t, tl_ns a, tl_ns b, tl_ns *lo, tl_ns *hi,
					  struct tl_error *err) {
	*lo = a;
	*hi = b;
	if (a < -TL_TIME_MAX || b > TL_TIME_MAX) {
		return trace_out_of_range(err);
	}
	if (tl_trace_rows(t) > 0) {
		*lo = t->tlo < a ? t->tlo : a;
		*hi = t->thi > b ? t->thi : b;
	}
	if (*hi - *lo > TL_TIME_MAX) {
		return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
				    "times more than 146 years apart");
	}
	return TL_OK;
}

/* Room in tsum for every track, the new ones with nothing counted. */
bool trace_grow_tsum(tl_trace *t);

#endif
