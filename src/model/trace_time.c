/*
 * A trace's times as a whole: its bounds, moving it or each group to a new
 * zero, and the spans left unfinished drawn to their group's end.
 */

#include <timeline/trace.h>

#include "trace_body.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool tl_trace_bounds(const tl_trace *t, tl_ns *ret_min, tl_ns *ret_max) {
	if (tl_trace_rows(t) == 0) {
		return false;
	}
	/* Kept as rows are added; a pass only after the arrays were handed out to change. */
	if (!t->tstale) {
		*ret_min = t->tlo;
		*ret_max = t->thi;
		return true;
	}
	tl_ns lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < t->nspans; i++) {
		if (t->spans[i].start < lo) {
			lo = t->spans[i].start;
		}
		if (t->spans[i].stop > hi) {
			hi = t->spans[i].stop;
		}
	}
	/* The samples, kept or counted in their tracks only, lie within their tracks'. */
	for (size_t k = 0; k < t->tracks.n; k++) {
		const tl_track *x = &t->tracks.v[k];
		lo = x->samples && x->first < lo ? x->first : lo;
		hi = x->samples && x->last > hi ? x->last : hi;
	}
	*ret_min = lo;
	*ret_max = hi;
	return true;
}

tl_status tl_trace_shift(tl_trace *t, tl_ns origin, struct tl_error *err) {
	tl_ns lo, hi;
	if (!tl_trace_bounds(t, &lo, &hi)) {
		return TL_OK;
	}
	if (__builtin_sub_overflow(lo, origin, &lo) || __builtin_sub_overflow(hi, origin, &hi) ||
	    lo < -TL_TIME_MAX || hi > TL_TIME_MAX) {
		return trace_out_of_range(err);
	}
	t->tlo = lo;
	t->thi = hi;
	t->tstale = false;
	for (size_t i = 0; i < t->nspans; i++) {
		t->spans[i].start -= origin;
		t->spans[i].stop -= origin;
	}
	for (size_t i = 0; i < t->nsamples; i++) {
		t->stimes[i] -= origin;
	}
	for (size_t k = 0; k < t->tracks.n; k++) {
		tl_track_shift(&t->tracks.v[k], origin);
	}
	for (size_t k = 0; k < t->captsum; k++) {
		tl_track_shift(&t->tsum[k], origin);
	}
	return TL_OK;
}

size_t tl_trace_close_unfinished(tl_trace *t, struct tl_error *err) {
	size_t ng = t->ngroups, n = 0;
	tl_ns *end = malloc((ng ? ng : 1) * sizeof(*end));
	if (!end) {
		tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return SIZE_MAX;
	}
	for (size_t g = 0; g < ng; g++) {
		end[g] = INT64_MIN;
	}
	for (size_t i = 0; i < t->nspans; i++) {
		const tl_span *s = &t->spans[i];
		end[s->group] = s->stop > end[s->group] ? s->stop : end[s->group];
	}
	for (size_t k = 0; k < t->tracks.n; k++) {
		const tl_track *x = &t->tracks.v[k];
		end[x->group] = x->samples && x->last > end[x->group] ? x->last : end[x->group];
	}
	/* The trace's bounds hold: no stop moves past its group's end. */
	for (size_t i = 0; i < t->nspans; i++) {
		tl_span *s = &t->spans[i];
		if (s->status == TL_EXIT_UNFINISHED && s->stop == s->start &&
		    end[s->group] > s->stop) {
			s->stop = end[s->group];
			n++;
		}
	}
	free(end);
	return n;
}

tl_status tl_trace_shift_groups(tl_trace *t, const tl_ns *origin, struct tl_error *err) {
	/* Check every moved time first, so that a refusal moves nothing. */
	tl_ns lo = INT64_MAX, hi = INT64_MIN;
	bool bad = false;
	for (size_t i = 0; i < t->nspans && !bad; i++) {
		tl_ns a = 0, b = 0;
		const tl_span *s = &t->spans[i];
		bad = __builtin_sub_overflow(s->start, origin[s->group], &a) ||
		      __builtin_sub_overflow(s->stop, origin[s->group], &b);
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
	/* A track's samples lie between its first and last. */
	for (size_t k = 0; k < t->tracks.n && !bad; k++) {
		const tl_track *x = &t->tracks.v[k];
		tl_ns a = 0, b = 0;
		if (x->samples) {
			bad = __builtin_sub_overflow(x->first, origin[x->group], &a) ||
			      __builtin_sub_overflow(x->last, origin[x->group], &b);
			lo = a < lo ? a : lo;
			hi = b > hi ? b : hi;
		}
	}
	if (tl_trace_rows(t) == 0) {
		return TL_OK;
	}
	tl_ns span;
	if (bad || lo < -TL_TIME_MAX || hi > TL_TIME_MAX || __builtin_sub_overflow(hi, lo, &span) ||
	    span > TL_TIME_MAX) {
		return trace_out_of_range(err);
	}
	t->tlo = lo;
	t->thi = hi;
	t->tstale = false;
	for (size_t i = 0; i < t->nspans; i++) {
		t->spans[i].start -= origin[t->spans[i].group];
		t->spans[i].stop -= origin[t->spans[i].group];
	}
	for (size_t i = 0; i < t->nsamples; i++) {
		t->stimes[i] -= origin[t->tracks.v[t->strack[i]].group];
	}
	for (size_t k = 0; k < t->tracks.n; k++) {
		tl_ns d = origin[t->tracks.v[k].group];
		tl_track_shift(&t->tracks.v[k], d);
		if (k < t->captsum) {
			tl_track_shift(&t->tsum[k], d);
		}
	}
	return TL_OK;
}
