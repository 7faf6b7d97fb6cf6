/*
 * Where a trace's times start, decided once every row is read: absolute
 * (epoch) times move to start at zero, keeping the origin in metadata; groups
 * that ran one after another (the articles' readers time threads, then
 * processes, with time.time() and save both in one file) each start at their
 * own zero, while groups that ran at once keep their places.
 */

#include "csv.h"

#include <timeline/io.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Move the trace to start at zero when its times are read off a clock (epoch
 * times, times of day, a clock's nanoseconds); keep the origin in metadata.
 */
static tl_status clock_to_zero(tl_trace *t, enum tl_io_clock clock, bool *ret_shifted,
			       struct tl_error *err) {
	static const char *const key[] = {
		[TL_CLOCK_EPOCH_IF_LARGE] = TL_META_EPOCH_NS,
		[TL_CLOCK_EPOCH] = TL_META_EPOCH_NS,
		[TL_CLOCK_TIME_OF_DAY] = TL_META_TIME_OF_DAY_NS,
		[TL_CLOCK_OTHER] = TL_META_CLOCK_NS,
	};
	tl_ns lo, hi;
	*ret_shifted = false;
	if (!tl_trace_bounds(t, &lo, &hi) ||
	    (clock == TL_CLOCK_EPOCH_IF_LARGE && lo < TL_EPOCH_THRESHOLD_NS)) {
		return TL_OK;
	}
	*ret_shifted = true;
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)lo);
	tl_status st = tl_trace_shift(t, lo, err); /* to [0, hi - lo]: cannot fail */
	return st != TL_OK ? st : tl_trace_meta_set(t, key[clock], buf, err);
}

tl_status tl_io_normalise_epoch(tl_trace *t, struct tl_error *err) {
	bool shifted;
	return clock_to_zero(t, TL_CLOCK_EPOCH_IF_LARGE, &shifted, err);
}

struct extent {
	tl_ns lo, hi;
	uint32_t group;
};

static int by_lo(const void *a, const void *b) {
	const struct extent *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Each group's earliest and latest time; *ret_n non-empty groups, sorted by start. */
static struct extent *group_extents(const tl_trace *t, tl_ns *origin, size_t *ret_n) {
	size_t ng = tl_trace_group_count(t), nsp, nsa, n = 0;
	struct extent *e = malloc((ng ? ng : 1) * sizeof(*e));
	if (!e) {
		return NULL;
	}
	for (size_t g = 0; g < ng; g++) {
		e[g] = (struct extent){INT64_MAX, INT64_MIN, (uint32_t)g};
	}
	const tl_span *sp = tl_trace_spans(t, &nsp);
	const tl_track *tk = tl_trace_tracks(t, &nsa);
	for (size_t i = 0; i < nsp; i++) {
		struct extent *x = &e[sp[i].group];
		x->lo = sp[i].start < x->lo ? sp[i].start : x->lo;
		x->hi = sp[i].stop > x->hi ? sp[i].stop : x->hi;
	}
	for (size_t i = 0; i < nsa; i++) {
		struct extent *x = &e[tk[i].group];
		x->lo = tk[i].samples && tk[i].first < x->lo ? tk[i].first : x->lo;
		x->hi = tk[i].samples && tk[i].last > x->hi ? tk[i].last : x->hi;
	}
	for (size_t g = 0; g < ng; g++) {
		origin[g] = e[g].lo != INT64_MAX ? e[g].lo : 0;
		if (e[g].lo != INT64_MAX) {
			e[n++] = e[g];
		}
	}
	qsort(e, n, sizeof(*e), by_lo);
	*ret_n = n;
	return e;
}

tl_status tl_io_place_times(tl_trace *t, enum tl_io_clock clock, tl_time_align align,
			    struct tl_error *err) {
	bool clocked;
	tl_status st = clock_to_zero(t, clock, &clocked, err);
	size_t ng = tl_trace_group_count(t);
	const char *origin_meta = tl_trace_meta_get(t, TL_META_ORIGIN);
	if (st != TL_OK || ng < 2 || (origin_meta && strcmp(origin_meta, TL_ORIGIN_POOL) == 0)) {
		return st;
	}
	tl_ns *origin = malloc(ng * sizeof(*origin));
	size_t n = 0;
	struct extent *e = origin ? group_extents(t, origin, &n) : NULL;
	if (!e) {
		free(origin);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	bool apart = n >= 2;
	tl_ns reach = n ? e[0].hi : 0;
	for (size_t i = 1; i < n && apart; i++) {
		apart = e[i].lo >= reach;
		reach = e[i].hi > reach ? e[i].hi : reach;
	}
	bool moved = false;
	for (size_t g = 0; g < ng; g++) {
		moved |= origin[g] != 0;
	}
	/* Read off one clock now, and overlapping: they ran at the same time. */
	if (!apart && clocked && align != TL_TIMES_START && n >= 2) {
		st = tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, err);
	}
	if (st == TL_OK && align != TL_TIMES_ABSOLUTE && (apart || align == TL_TIMES_START) &&
	    moved) {
		st = tl_trace_shift_groups(t, origin, err);
		if (st == TL_OK && align == TL_TIMES_AUTO) {
			st = tl_trace_meta_set(t, TL_META_NOTE_PREFIX "align",
					       "the groups ran one after another: each is drawn "
					       "from its own start (--align absolute keeps their "
					       "times)",
					       err);
		}
	}
	free(e);
	free(origin);
	return st;
}

bool tl_trace_origin(const tl_trace *t, char *buf, size_t size) {
	const char *epoch = tl_trace_meta_get(t, TL_META_EPOCH_NS);
	const char *tod = tl_trace_meta_get(t, TL_META_TIME_OF_DAY_NS);
	const char *clock = tl_trace_meta_get(t, TL_META_CLOCK_NS);
	if (size) {
		buf[0] = '\0';
	}
	if (epoch) {
		long long ns = strtoll(epoch, NULL, 10);
		/* Floor division: a date before 1970 is a negative count. */
		long long secs_ll = ns / 1000000000 - (ns % 1000000000 < 0);
		long long frac = ns - secs_ll * 1000000000;
		time_t secs = (time_t)secs_ll;
		struct tm tm;
		char when[64];
		if (!gmtime_r(&secs, &tm) ||
		    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm)) {
			snprintf(buf, size, "epoch %s ns", epoch);
		} else {
			/* Times that named no zone were read as UTC, and are local times. */
			snprintf(buf, size, "%s.%09lld%s", when, frac,
				 tl_trace_meta_get(t, TL_META_LOCAL_TIME) ? "" : " UTC");
		}
		return true;
	}
	if (tod) {
		long long ns = strtoll(tod, NULL, 10), s = ns / 1000000000;
		snprintf(buf, size, "%02lld:%02lld:%02lld.%09lld", s / 3600, s / 60 % 60, s % 60,
			 ns % 1000000000);
		return true;
	}
	if (clock) {
		long long ns = strtoll(clock, NULL, 10);
		unsigned long long mag =
			ns < 0 ? 0ULL - (unsigned long long)ns : (unsigned long long)ns;
		snprintf(buf, size, "%s%llu.%09llu s on the input's clock", ns < 0 ? "-" : "",
			 mag / 1000000000, mag % 1000000000);
		return true;
	}
	return false;
}
