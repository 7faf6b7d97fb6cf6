/*
 * Several inputs on one time axis, and as one trace: each read on its own
 * (tl_read_file), then placed from zero or at its absolute time, then merged
 * with its groups named after it. Every command that reads several inputs
 * goes through here, so that they name, place and compare groups alike.
 * Reading each input and what a program says about it stay with the caller.
 */

#include <timeline/io.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Metadata a Chrome trace keeps of its beginningOfTime, in µs since 1970. */

/* Where a trace's time zero is, in epoch nanoseconds; false when it does not say. */
static bool absolute_origin(const tl_trace *t, long double *ret) {
	const char *e = tl_trace_meta_get(t, TL_META_EPOCH_NS);
	const char *b = tl_trace_meta_get(t, TL_META_BEGINNING_OF_TIME_US);
	if (e) {
		*ret = strtold(e, NULL);
		return true;
	}
	if (b) {
		*ret = strtold(b, NULL) * 1000.0L;
		return true;
	}
	return false;
}

bool tl_trace_has_absolute_time(const tl_trace *trace) {
	long double origin;
	return absolute_origin(trace, &origin);
}

/* Input i's times at its absolute time less the earliest input's. */
static tl_status place_input(tl_trace *t, long double origin, long double earliest,
			     struct tl_error *err) {
	long double d = origin - earliest;
	if (!(d >= 0 && d <= (long double)TL_TIME_MAX)) {
		return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
				    "more than 146 years after the earliest input: too far apart "
				    "to align");
	}
	return tl_trace_shift(t, -(tl_ns)llroundl(d), err);
}

/* err's path, when the callee left it empty: the input's. */
static tl_status on_input(tl_status st, const char *path, struct tl_error *err) {
	if (st != TL_OK && err && !err->path[0] && path) {
		snprintf(err->path, sizeof(err->path), "%s", path);
	}
	return st;
}

tl_status tl_traces_align(tl_trace *const *traces, const char *const *paths, size_t n,
			  tl_time_align align, struct tl_error *err) {
	if (n < 2) {
		return TL_OK;
	}
	if (align != TL_TIMES_ABSOLUTE) {
		for (size_t i = 0; i < n; i++) {
			tl_ns lo = 0, hi;
			tl_trace_bounds(traces[i], &lo, &hi);
			tl_trace_shift(traces[i], lo, NULL); /* to [0, hi - lo]: cannot fail */
		}
		return TL_OK;
	}
	long double *origin = calloc(n, sizeof(*origin));
	if (!origin) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	long double earliest = 0;
	tl_status st = TL_OK;
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		if (!absolute_origin(traces[i], &origin[i])) {
			st = tl_error_set(err, TL_ERR_INPUT, paths ? paths[i] : NULL, 0, 0,
					  "no absolute time to align by (epoch times or "
					  "beginningOfTime); use --align start");
		} else if (i == 0 || origin[i] < earliest) {
			earliest = origin[i];
		}
	}
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		st = on_input(place_input(traces[i], origin[i], earliest, err),
			      paths ? paths[i] : NULL, err);
	}
	free(origin);
	return st;
}

/*
 * Merge the traces that want (NULL: all) into t, each input's groups named
 * after it. The groups of one input that ran at the same time (its
 * TL_GROUPS_CONCURRENT) still did; separate inputs are separate runs, so
 * the merged trace says which groups ran together and no more: one range
 * per such input in TL_META_GROUPS, set before merging so that no input's
 * "concurrent" passes for all.
 */
static tl_status merge_into(tl_trace *t, const tl_trace *const *traces, const char *const *names,
			    const char *const *paths, const bool *want, size_t n,
			    struct tl_error *err) {
	const char *clockless = NULL; /* the first input with no time of day */
	char sets[1024] = TL_GROUPS_CONCURRENT;
	size_t len = strlen(sets), clocked = 0;
	bool overflow = false;
	tl_status st = tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_SEPARATE, err);
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		if (want && !want[i]) {
			continue;
		}
		uint32_t first = (uint32_t)tl_trace_group_count(t);
		st = on_input(tl_trace_merge(t, traces[i], names[i], err), paths ? paths[i] : NULL,
			      err);
		if (st != TL_OK) {
			break;
		}
		const char *g = tl_trace_meta_get(traces[i], TL_META_GROUPS);
		uint32_t last = (uint32_t)tl_trace_group_count(t);
		bool dated = tl_trace_meta_get(traces[i], TL_META_EPOCH_NS) ||
			     tl_trace_meta_get(traces[i], TL_META_TIME_OF_DAY_NS);
		clocked += dated;
		if (!dated && !clockless) {
			clockless = paths ? paths[i] : names[i];
		}
		if (g && strcmp(g, TL_GROUPS_CONCURRENT) == 0 && last > first + 1) {
			int w = snprintf(sets + len, sizeof(sets) - len, " %u-%u", first, last - 1);
			/* Too many to say: all at the same time, never a false speedup. */
			overflow |= w < 0 || (size_t)w >= sizeof(sets) - len;
			len += overflow ? 0 : (size_t)w;
		}
	}
	if (overflow) {
		sets[strlen(TL_GROUPS_CONCURRENT)] = '\0';
	}
	if (st == TL_OK && clocked && clockless) {
		st = tl_trace_meta_set(t, TL_META_CLOCKLESS_INPUT, clockless, err);
	}
	if (st == TL_OK && (overflow || len > strlen(TL_GROUPS_CONCURRENT))) {
		st = tl_trace_meta_set(t, TL_META_GROUPS, sets, err);
	}
	return st;
}

tl_status tl_traces_merge(const tl_trace *const *traces, const char *const *names,
			  const char *const *paths, const bool *want, size_t n,
			  const tl_read_opts *opts, tl_trace **ret, struct tl_error *err) {
	tl_trace *t = tl_trace_new();
	if (!t) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (opts) {
		tl_trace_set_limits(t, opts->max_rows, opts->max_memory);
	}
	tl_status st = merge_into(t, traces, names, paths, want, n, err);
	if (st != TL_OK) {
		tl_trace_free(t);
		return st;
	}
	*ret = t;
	return TL_OK;
}
