/*
 * Job envelopes: a trace of samples (a live tracker's timestamps) seen as
 * spans, each job one span from its first sample to its last, so that a
 * Gantt chart can be drawn from samples alone.
 */

#include <timeline/trace.h>

#include <stdlib.h>

struct ref {
	uint32_t group;
	int64_t job;
	size_t i; /* index of the sample */
};

static int cmp_ref(const void *a, const void *b) {
	const struct ref *x = a, *y = b;
	if (x->group != y->group) {
		return x->group < y->group ? -1 : 1;
	}
	if (x->job != y->job) {
		return x->job < y->job ? -1 : 1;
	}
	return (x->i > y->i) - (x->i < y->i);
}

/* Which groups have spans of their own (those keep them and get no envelopes). */
static bool *groups_with_spans(const tl_trace *t) {
	size_t ng = tl_trace_group_count(t), n;
	bool *has = calloc(ng ? ng : 1, sizeof(*has));
	const tl_span *sp = tl_trace_spans(t, &n);
	for (size_t i = 0; has && i < n; i++) {
		has[sp[i].group] = true;
	}
	return has;
}

bool tl_trace_needs_envelopes(const tl_trace *t) {
	size_t n;
	const tl_track *tk = tl_trace_tracks(t, &n);
	bool *has = groups_with_spans(t), need = false;
	for (size_t i = 0; has && i < n && !need; i++) {
		need = !has[tk[i].group];
	}
	free(has);
	return need;
}

/* The span of samples refs[0..n) of one job: first to last, its worker if they agree. */
static tl_span envelope(const tl_trace *t, const struct ref *refs, size_t n) {
	const tl_sample first = tl_trace_sample(t, refs[0].i);
	tl_span s = {.start = first.t,
		     .stop = first.t,
		     .job = first.job,
		     .group = first.group,
		     .worker = first.worker,
		     .label = TL_STR_NONE};
	for (size_t k = 1; k < n; k++) {
		const tl_sample x = tl_trace_sample(t, refs[k].i);
		s.start = x.t < s.start ? x.t : s.start;
		s.stop = x.t > s.stop ? x.t : s.stop;
		s.worker = x.worker == s.worker ? s.worker : TL_STR_NONE;
	}
	return s;
}

/* Adds to t a span per job of the groups without spans; t's samples stay where they are. */
static tl_status add_envelopes(tl_trace *t, const bool *has, struct tl_error *err) {
	size_t n = tl_trace_sample_count(t), m = 0;
	struct ref *refs = malloc((n ? n : 1) * sizeof(*refs));
	if (!refs) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const tl_sample x = tl_trace_sample(t, i);
		if (!has[x.group]) {
			refs[m++] = (struct ref){x.group, x.job, i};
		}
	}
	qsort(refs, m, sizeof(*refs), cmp_ref);
	tl_status st = TL_OK;
	for (size_t a = 0, z; a < m && st == TL_OK; a = z) {
		for (z = a + 1;
		     z < m && refs[z].group == refs[a].group && refs[z].job == refs[a].job; z++) {
		}
		tl_span s = envelope(t, refs + a, z - a);
		st = tl_trace_add_span(t, &s, err);
	}
	free(refs);
	return st;
}

tl_status tl_trace_envelopes(const tl_trace *t, tl_trace **ret, struct tl_error *err) {
	tl_trace *dst = tl_trace_new();
	if (!dst) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	/* A copy (groups, strings, metadata, spans, samples) that gets the envelopes. */
	tl_status st = tl_trace_merge(dst, t, NULL, err);
	bool *has = st == TL_OK ? groups_with_spans(dst) : NULL;
	if (st == TL_OK && !has) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (st == TL_OK) {
		st = add_envelopes(dst, has, err);
	}
	free(has);
	if (st != TL_OK) {
		tl_trace_free(dst);
		return st;
	}
	*ret = dst;
	return TL_OK;
}
