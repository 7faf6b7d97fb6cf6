/*
 * What readers that fill a trace in bulk use: rows written straight into
 * reserved room and then admitted, samples counted in their tracks only
 * (tracks-only mode), and a mark to roll a failed chunk back to.
 */

#include <timeline/trace.h>

#include "trace_body.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool tl_trace_append_reserved(tl_trace *t, bool samples, size_t n, tl_ns lo, tl_ns hi) {
	size_t have = samples ? t->nsamples : t->nspans;
	size_t cap = samples ? t->capsamples : t->capspans;
	if (n == 0) {
		return true;
	}
	if (n > cap - have || n > trace_rows_left(t)) {
		return false;
	}
	tl_ns nlo = 0, nhi = 0;
	if (trace_check_times(t, lo, hi, &nlo, &nhi, NULL) != TL_OK) {
		return false;
	}
	if (samples) {
		t->nsamples += n;
	} else {
		t->nspans += n;
	}
	t->tlo = nlo;
	t->thi = nhi;
	return true;
}

/* Room in tsum for every track, the new ones with nothing counted. */
bool trace_grow_tsum(tl_trace *t) {
	size_t old = t->captsum;
	if (!trace_grow(t, (void **)&t->tsum, &t->captsum, t->tracks.n, sizeof(*t->tsum))) {
		return false;
	}
	for (size_t k = old; k < t->captsum; k++) {
		tl_track_clear(&t->tsum[k]);
	}
	return true;
}

void tl_trace_keep_tracks_only(tl_trace *t) {
	t->tracks_only = true;
}

bool tl_trace_summarize(tl_trace *t, size_t n, tl_ns lo, tl_ns hi) {
	tl_ns nlo = 0, nhi = 0;
	if (n == 0) {
		return true;
	}
	if (n > trace_rows_left(t) || trace_check_times(t, lo, hi, &nlo, &nhi, NULL) != TL_OK ||
	    !trace_grow_tsum(t)) {
		return false;
	}
	t->nsummarized += n;
	t->tlo = nlo;
	t->thi = nhi;
	return true;
}

void tl_trace_count_track(tl_trace *t, uint32_t k, size_t n, tl_ns first, tl_ns last) {
	tl_track_count(&t->tracks.v[k], n, first, last);
	if (t->tracks_only && k < t->captsum) {
		tl_track_count(&t->tsum[k], n, first, last);
	}
}

size_t tl_trace_track_summarized(const tl_trace *t, size_t k) {
	return k < t->captsum ? t->tsum[k].samples : 0;
}

size_t tl_trace_summarized(const tl_trace *t) {
	return t->nsummarized;
}

bool tl_trace_is_tracks_only(const tl_trace *t) {
	return t->tracks_only;
}

size_t tl_trace_room(const tl_trace *t, bool samples) {
	return samples ? t->capsamples : t->capspans;
}

tl_span *tl_trace_span_room(tl_trace *t, size_t off) {
	return t->spans + off;
}

void tl_trace_sample_room(tl_trace *t, size_t off, tl_ns **ret_times, uint32_t **ret_tracks) {
	*ret_times = t->stimes + off;
	*ret_tracks = t->strack + off;
}

const struct tl_strent *tl_trace_strings(const tl_trace *t, size_t *ret_n) {
	*ret_n = t->nstrs;
	return t->strs;
}

tl_str tl_trace_group_id(const tl_trace *t, uint32_t g) {
	return t->groups[g];
}

const struct tl_tracks *tl_trace_track_table(const tl_trace *t) {
	return &t->tracks;
}

struct tl_trace_mark tl_trace_mark(const tl_trace *t) {
	return (struct tl_trace_mark){.spans = t->nspans,
				      .samples = t->nsamples,
				      .summarized = t->nsummarized,
				      .tracks = t->tracks.n,
				      .lo = t->tlo,
				      .hi = t->thi};
}

void tl_trace_rollback(tl_trace *t, const struct tl_trace_mark *m) {
	t->nspans = m->spans;
	t->nsamples = m->samples;
	t->nsummarized = m->summarized;
	tl_tracks_truncate(&t->tracks, m->tracks);
	t->tlo = m->lo;
	t->thi = m->hi;
}
