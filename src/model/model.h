#ifndef TIMELINE_MODEL_MODEL_H
#define TIMELINE_MODEL_MODEL_H

/* Private body of tl_trace; never installed. */

#include <timeline/trace.h>

#include "grow.h"

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

/* Count n more bytes against a budget; false (and nothing counted) when over it. */
typedef bool (*tl_charge_fn)(void *ctx, size_t n);

/* Distinct sample tracks, found by hash (tracks.c). Zeroed is empty. */
struct tl_tracks {
	tl_track *v; /* in order of first use */
	size_t n, cap;
	uint32_t *tab; /* open addressing: index + 1, 0 when empty */
	size_t tabcap; /* power of two, 0 until the first track */
	uint32_t last; /* the last track found or added */
};

/*
 * The index of track k in *ret, added at the end when new. charge (NULL: no
 * budget) is asked first for the bytes of any growth. false when out of
 * memory, over the budget, or past UINT32_MAX - 1 tracks.
 */
bool tl_tracks_put(struct tl_tracks *s, const tl_track *k, uint32_t *ret, tl_charge_fn charge,
		   void *ctx);

/* Whether the last track found or added is (job, group, worker): runs of a track ask no table. */
static inline bool tl_tracks_is_last(const struct tl_tracks *s, int64_t job, uint32_t group,
				     tl_str worker) {
	if (!s->n) {
		return false;
	}
	const tl_track *k = &s->v[s->last];
	return k->job == job && k->group == group && k->worker == worker;
}
void tl_tracks_free(struct tl_tracks *s);

/* Forget the tracks from n on (made by a step that failed), keeping the room they took. */
void tl_tracks_truncate(struct tl_tracks *s, size_t n);

/*
 * dst (uninitialised) as a copy of src's tracks, with no samples counted;
 * false (dst empty) when out of memory.
 */
bool tl_tracks_copy(struct tl_tracks *dst, const struct tl_tracks *src);

/* A track with no samples counted. */
static inline void tl_track_clear(tl_track *k) {
	k->samples = 0;
	k->first = INT64_MAX;
	k->last = INT64_MIN;
}

/* Count n samples from first to last (ns) on track k. */
static inline void tl_track_count(tl_track *k, size_t n, tl_ns first, tl_ns last) {
	k->samples += n;
	k->first = first < k->first ? first : k->first;
	k->last = last > k->last ? last : k->last;
}

/* Move a track's counted samples by -d (ns); d must keep them in range. */
static inline void tl_track_shift(tl_track *k, tl_ns d) {
	if (k->samples) {
		k->first -= d;
		k->last -= d;
	}
}

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

/*
 * Rows that a reader wrote straight into the reserved room past the end of
 * the span (or, with samples, sample) array, from several threads: count n
 * more, their times within [lo, hi]. false, with nothing counted, when they
 * do not fit the reserved room, would pass the row limit, or would widen the
 * time range past what tl_trace_add_span() and tl_trace_add_sample() accept:
 * the caller then adds them one by one, for the exact message.
 */
bool tl_trace_append_reserved(tl_trace *t, bool samples, size_t n, tl_ns lo, tl_ns hi);

/*
 * Sample i moves to the track of job (its group and worker kept), made if
 * new; i < nsamples. TL_ERR_NOMEM (with a message in err) when the track
 * cannot be made. The tracks' counts and times are then stale until
 * tl_trace_recount_tracks().
 */
tl_status tl_trace_set_sample_job(tl_trace *t, size_t i, int64_t job, struct tl_error *err);

/* Every track's samples, first and last counted again, in a pass over the samples. */
void tl_trace_recount_tracks(tl_trace *t);

/*
 * From now on, samples added with tl_trace_add_sample() are counted in their
 * tracks (tl_track.samples, first, last) and not kept: tl_trace_sample_count()
 * and the sample arrays hold only those added with tl_trace_add_sample_kept().
 * For reading a large table to measure it (`timeline stats` of one input
 * needs no more of its samples than that); a trace so read is not for
 * drawing, converting or merging.
 */
void tl_trace_keep_tracks_only(tl_trace *t);

/* tl_trace_add_sample() that keeps the sample even in tracks-only mode (a reader renumbers it). */
tl_status tl_trace_add_sample_kept(tl_trace *t, const tl_sample *sample, struct tl_error *err);

/*
 * n more samples from lo to hi (ns) that a reader counts in their tracks
 * without keeping them (tracks-only mode), then gives each track's share
 * with tl_trace_count_track(): the row count and the trace's range are
 * widened here. false, with nothing counted, when that passes the row limit
 * or the range tl_trace_add_sample() accepts, or out of memory.
 */
bool tl_trace_summarize(tl_trace *t, size_t n, tl_ns lo, tl_ns hi);

/*
 * Count n samples from first to last (ns) on track k (k < tracks.n): of
 * those tl_trace_summarize() admitted in tracks-only mode, else of samples a
 * reader wrote into reserved room and tl_trace_append_reserved() admitted.
 */
void tl_trace_count_track(tl_trace *t, uint32_t k, size_t n, tl_ns first, tl_ns last);

/* Samples of track k counted in it only, not kept (tracks-only mode). */
static inline size_t tl_trace_track_summarized(const tl_trace *t, size_t k) {
	return k < t->captsum ? t->tsum[k].samples : 0;
}

/* Rows of every kind the trace holds: spans, kept samples and samples counted in tracks only. */
static inline size_t tl_trace_rows(const tl_trace *t) {
	return t->nspans + t->nsamples + t->nsummarized;
}

/*
 * The index of track k in *ret, made if new, under the trace's memory budget,
 * for readers that write track indexes into reserved room. false when out of
 * memory or over the budget.
 */
bool tl_trace_track(tl_trace *t, const tl_track *k, uint32_t *ret);

/*
 * The mutable span array, for readers that post-process spans in place (an
 * unfinished span's stop, a named job's number): not in the public API, where
 * changing a span could leave the trace's kept bounds wrong. Times must stay
 * within ±TL_TIME_MAX and no more than TL_TIME_MAX apart.
 */
tl_span *tl_trace_spans_mut(tl_trace *trace, size_t *ret_n);

#endif
