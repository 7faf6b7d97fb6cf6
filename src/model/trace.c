/*
 * The trace model: growable arrays of spans and samples (samples as columns:
 * a time and a track index each, the tracks in tracks.c), interned strings,
 * groups in order of first appearance, and ordered key/value metadata.
 *
 * Strings live in chained blocks that never move, so the pointers handed out
 * by tl_trace_str() stay valid until tl_trace_free(). Span and sample arrays
 * grow by doubling and may move on every add. Nothing here sorts or reorders:
 * insertion order is what readers and writers rely on for round trips.
 */

#include <timeline/trace.h>

#include "bytes.h"
#include "../util/hash.h"
#include "trace_body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#define STRBLOCK_SIZE 65536

/* Arrays from this size on ask for huge pages. */
#define HUGE_ARRAY ((size_t)8 << 20)

/*
 * Ask for transparent huge pages over a large array: filling 96 MB of samples
 * (8 M times and track indexes) otherwise takes 23 000 page faults of 4 KiB, a sixth of reading a
 * large CSV. Only the whole 2 MiB pages inside the block qualify; a hint, never an error.
 */
static void huge_pages(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
	if (bytes < HUGE_ARRAY) {
		return;
	}
	uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t to = ((uintptr_t)p + bytes) & ~(huge - 1);
	if (to > from) {
		madvise((void *)from, to - from, MADV_HUGEPAGE);
	}
#else
	(void)p;
	(void)bytes;
#endif
}

/* A time that would pass ±TL_TIME_MAX. */
tl_status trace_out_of_range(struct tl_error *err) {
	return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
			    "time out of range (more than 146 years from zero)");
}

/* Count n more bytes against the budget; false (and nothing counted) if over. */
static bool charge(tl_trace *t, size_t n) {
	if (t->max_bytes && (n > t->max_bytes || t->bytes > t->max_bytes - n)) {
		t->over_budget = true;
		return false;
	}
	t->over_budget = false;
	t->bytes += n;
	return true;
}

/*
 * Growth under the trace's memory budget: like tl_grow, and also refused when
 * the trace would hold more than max_bytes, so a huge input ends in a clear
 * message rather than in the kernel's OOM killer.
 */
bool trace_grow(tl_trace *t, void **arr, size_t *cap, size_t need, size_t elem) {
	size_t old = *cap;
	if (need <= old) {
		return true;
	}
	size_t ncap;
	if (!tl_grow_cap(old, need, elem, &ncap) || !charge(t, (ncap - old) * elem)) {
		return false;
	}
	if (!tl_grow(arr, cap, need, elem)) {
		t->bytes -= (ncap - old) * elem;
		return false;
	}
	huge_pages(*arr, *cap * elem);
	return true;
}

static bool charge_cb(void *t, size_t n) {
	return charge(t, n);
}

/* Room for need samples in both columns. */
static bool grow_samples(tl_trace *t, size_t need) {
	bool ok = trace_grow(t, (void **)&t->stimes, &t->captimes, need, sizeof(*t->stimes)) &&
		  trace_grow(t, (void **)&t->strack, &t->capids, need, sizeof(*t->strack));
	t->capsamples = t->captimes < t->capids ? t->captimes : t->capids;
	return ok;
}

tl_status trace_nomem(const tl_trace *t, struct tl_error *err) {
	size_t rows = tl_trace_rows(t);
	if (t->over_budget) {
		char b[32];
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
				    "memory limit reached: the trace would take more than %s after "
				    "%zu spans and samples (--max-memory)",
				    tl_bytes_str(t->max_bytes, b), rows);
	}
	return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
			    "out of memory after %zu spans and samples", rows);
}

static tl_status limit(const tl_trace *t, struct tl_error *err) {
	return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
			    "more than %zu spans and samples: the row limit (--max-rows)",
			    t->max_records);
}

void tl_trace_set_limits(tl_trace *t, size_t max_records, size_t max_bytes) {
	t->max_records = max_records;
	t->max_bytes = max_bytes;
}

size_t tl_trace_memory(const tl_trace *t) {
	return t->bytes;
}

tl_trace *tl_trace_new(void) {
	tl_trace *t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	t->strs = malloc(16 * sizeof(*t->strs));
	if (!t->strs || !tl_index_rebuild(&t->sindex, 64, 0, 0, NULL, NULL)) {
		tl_trace_free(t);
		return NULL;
	}
	t->capstrs = 16;
	t->bytes = t->sindex.cap * sizeof(*t->sindex.slot) + t->capstrs * sizeof(*t->strs);
	t->strs[0] = (struct tl_strent){.s = "", .len = 0, .hash = tl_hash_bytes32("", 0)};
	t->nstrs = 1;
	return t;
}

void tl_trace_free(tl_trace *t) {
	if (!t) {
		return;
	}
	struct tl_strblock *b = t->blocks;
	while (b) {
		struct tl_strblock *next = b->next;
		free(b);
		b = next;
	}
	for (size_t i = 0; i < t->nmeta; i++) {
		free(t->meta[i].key);
		free(t->meta[i].value);
	}
	free(t->meta);
	free(t->strs);
	tl_index_free(&t->sindex);
	free(t->groups);
	tl_index_free(&t->gindex);
	free(t->spans);
	free(t->stimes);
	free(t->strack);
	free(t->tsum);
	tl_tracks_free(&t->tracks);
	free(t);
}

static char *store_bytes(tl_trace *t, const char *s, size_t len) {
	if (len + 1 > t->bleft) {
		size_t size = len + 1 > STRBLOCK_SIZE / 4 ? len + 1 : STRBLOCK_SIZE;
		if (!charge(t, sizeof(struct tl_strblock) + size)) {
			return NULL;
		}
		struct tl_strblock *b = malloc(sizeof(*b) + size);
		if (!b) {
			t->bytes -= sizeof(*b) + size;
			return NULL;
		}
		b->size = size;
		if (size == STRBLOCK_SIZE || !t->blocks) {
			b->next = t->blocks;
			t->blocks = b;
			t->bcur = b->data;
			t->bleft = size;
		} else {
			/* A big string gets a block of its own, kept behind the current one. */
			b->next = t->blocks->next;
			t->blocks->next = b;
			memcpy(b->data, s, len);
			b->data[len] = '\0';
			return b->data;
		}
	}
	char *p = t->bcur;
	memcpy(p, s, len);
	p[len] = '\0';
	t->bcur += len + 1;
	t->bleft -= len + 1;
	return p;
}

static uint64_t str_hash(const void *t, size_t id) {
	return ((const tl_trace *)t)->strs[id].hash;
}

static uint64_t group_hash(const void *t, size_t g) {
	return tl_mix64(((const tl_trace *)t)->groups[g]);
}

/*
 * The index x over entries from .. to - 1 rebuilt with cap slots, the
 * slots it adds charged to the budget.
 */
static bool reindex(tl_trace *t, struct tl_index *x, size_t cap, size_t from, size_t to,
		    tl_index_hash_fn hash) {
	size_t more = (cap - x->cap) * sizeof(*x->slot);
	if (!charge(t, more)) {
		return false;
	}
	if (!tl_index_rebuild(x, cap, from, to, hash, t)) {
		t->bytes -= more;
		return false;
	}
	return true;
}

tl_status tl_trace_intern(tl_trace *t, const char *s, size_t len, tl_str *ret_id,
			  struct tl_error *err) {
	if (len == 0) {
		*ret_id = TL_STR_NONE;
		return TL_OK;
	}
	if (len > UINT32_MAX - 1) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "string too long");
	}
	uint32_t h = tl_hash_bytes32(s, len);
	struct tl_index *x = &t->sindex;
	size_t i = tl_index_start(x, h);
	for (; x->slot[i]; i = tl_index_next(x, i)) {
		const struct tl_strent *e = &t->strs[x->slot[i] - 1];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			*ret_id = x->slot[i] - 1;
			return TL_OK;
		}
	}
	if (t->nstrs >= UINT32_MAX - 1) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "too many distinct strings");
	}
	if (!trace_grow(t, (void **)&t->strs, &t->capstrs, t->nstrs + 1, sizeof(*t->strs))) {
		return trace_nomem(t, err);
	}
	char *copy = store_bytes(t, s, len);
	if (!copy) {
		return trace_nomem(t, err);
	}
	tl_str id = (tl_str)t->nstrs++;
	t->strs[id] = (struct tl_strent){.s = copy, .len = (uint32_t)len, .hash = h};
	x->slot[i] = id + 1;
	/* Kept at most half full so probes stay short. */
	if (t->nstrs * 2 > x->cap && !reindex(t, x, x->cap * 2, 1, t->nstrs, str_hash)) {
		return trace_nomem(t, err);
	}
	*ret_id = id;
	return TL_OK;
}

const char *tl_trace_str(const tl_trace *t, tl_str id) {
	return id < t->nstrs ? t->strs[id].s : "";
}

size_t tl_trace_str_len(const tl_trace *t, tl_str id) {
	return id < t->nstrs ? t->strs[id].len : 0;
}

tl_status tl_trace_group(tl_trace *t, const char *name, size_t len, uint32_t *ret_group,
			 struct tl_error *err) {
	tl_str id;
	tl_status st = tl_trace_intern(t, name, len, &id, err);
	if (st != TL_OK) {
		return st;
	}
	/* Hashed: a file may name a new group on every row. */
	struct tl_index *x = &t->gindex;
	if (x->cap) {
		for (size_t i = tl_index_start(x, tl_mix64(id)); x->slot[i];
		     i = tl_index_next(x, i)) {
			if (t->groups[x->slot[i] - 1] == id) {
				*ret_group = x->slot[i] - 1;
				return TL_OK;
			}
		}
	}
	if (t->ngroups >= UINT32_MAX - 1) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "too many groups");
	}
	if (!trace_grow(t, (void **)&t->groups, &t->capgroups, t->ngroups + 1,
			sizeof(*t->groups))) {
		return trace_nomem(t, err);
	}
	if (tl_index_full(x, t->ngroups) &&
	    !reindex(t, x, tl_index_grown(x, 16), 0, t->ngroups, group_hash)) {
		return trace_nomem(t, err);
	}
	t->groups[t->ngroups] = id;
	tl_index_place(x, tl_mix64(id), (uint32_t)t->ngroups);
	*ret_group = (uint32_t)t->ngroups++;
	return TL_OK;
}

size_t tl_trace_group_count(const tl_trace *t) {
	return t->ngroups;
}

const char *tl_trace_group_name(const tl_trace *t, uint32_t i) {
	return i < t->ngroups ? tl_trace_str(t, t->groups[i]) : "";
}

const char *tl_trace_group_label(const tl_trace *t, uint32_t i) {
	const char *name = tl_trace_group_name(t, i);
	return name[0] ? name : TL_GROUP_UNNAMED;
}

bool tl_trace_find_group(const tl_trace *t, const char *name, uint32_t *ret_group) {
	for (size_t g = 0; g < t->ngroups; g++) {
		if (strcmp(tl_trace_str(t, t->groups[g]), name) == 0) {
			*ret_group = (uint32_t)g;
			return true;
		}
	}
	return false;
}

tl_status tl_trace_reserve(tl_trace *t, size_t spans, size_t samples, struct tl_error *err) {
	size_t room = trace_rows_left(t);
	spans = spans < room ? spans : room;
	samples = samples < room ? samples : room;
	if (spans &&
	    (t->nspans > SIZE_MAX - spans || !trace_grow(t, (void **)&t->spans, &t->capspans,
							 t->nspans + spans, sizeof(*t->spans)))) {
		return trace_nomem(t, err);
	}
	if (samples && !t->tracks_only &&
	    (t->nsamples > SIZE_MAX - samples || !grow_samples(t, t->nsamples + samples))) {
		return trace_nomem(t, err);
	}
	return TL_OK;
}

tl_status tl_trace_add_span(tl_trace *t, const tl_span *span, struct tl_error *err) {
	if (span->stop < span->start) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "span stops before it starts");
	}
	tl_ns lo = 0, hi = 0;
	tl_status st = trace_check_times(t, span->start, span->stop, &lo, &hi, err);
	if (st != TL_OK) {
		return st;
	}
	if (!tl_exit_status_valid(span->status)) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "invalid status %d",
				    (int)span->status);
	}
	if (span->group >= t->ngroups || span->worker >= t->nstrs || span->label >= t->nstrs) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "span names an unknown group or string");
	}
	if (trace_rows_left(t) == 0) {
		return limit(t, err);
	}
	if (t->nspans == t->capspans &&
	    !trace_grow(t, (void **)&t->spans, &t->capspans, t->nspans + 1, sizeof(*t->spans))) {
		return trace_nomem(t, err);
	}
	t->spans[t->nspans++] = *span;
	t->tlo = lo;
	t->thi = hi;
	return TL_OK;
}

static inline tl_status add_sample(tl_trace *t, const tl_sample *sample, bool keep,
				   struct tl_error *err);

tl_status tl_trace_add_sample(tl_trace *t, const tl_sample *sample, struct tl_error *err) {
	return add_sample(t, sample, !t->tracks_only, err);
}

tl_status tl_trace_add_sample_kept(tl_trace *t, const tl_sample *sample, struct tl_error *err) {
	return add_sample(t, sample, true, err);
}

static inline tl_status add_sample(tl_trace *t, const tl_sample *sample, bool keep,
				   struct tl_error *err) {
	if (sample->group >= t->ngroups || sample->worker >= t->nstrs) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "sample names an unknown group or string");
	}
	tl_ns lo = 0, hi = 0;
	tl_status st = trace_check_times(t, sample->t, sample->t, &lo, &hi, err);
	if (st != TL_OK) {
		return st;
	}
	if (trace_rows_left(t) == 0) {
		return limit(t, err);
	}
	/* Mostly the sample before's track: compared inline before the table is asked. */
	uint32_t track = t->tracks.last;
	if (!tl_tracks_is_last(&t->tracks, sample->job, sample->group, sample->worker) &&
	    !tl_trace_track(t,
			    &(tl_track){.job = sample->job,
					.group = sample->group,
					.worker = sample->worker},
			    &track)) {
		return trace_nomem(t, err);
	}
	if (!keep) {
		/* Counted in its track alone (tracks only). */
		if (!trace_grow_tsum(t)) {
			return trace_nomem(t, err);
		}
		t->nsummarized++;
		tl_trace_count_track(t, track, 1, sample->t, sample->t);
	} else {
		if (t->nsamples == t->capsamples && !grow_samples(t, t->nsamples + 1)) {
			return trace_nomem(t, err);
		}
		t->stimes[t->nsamples] = sample->t;
		t->strack[t->nsamples++] = track;
		tl_track_count(&t->tracks.v[track], 1, sample->t, sample->t);
	}
	t->tlo = lo;
	t->thi = hi;
	return TL_OK;
}

const tl_span *tl_trace_spans(const tl_trace *t, size_t *ret_n) {
	*ret_n = t->nspans;
	return t->spans;
}

size_t tl_trace_sample_count(const tl_trace *t) {
	return t->nsamples;
}

const tl_ns *tl_trace_sample_times(const tl_trace *t, size_t *ret_n) {
	*ret_n = t->nsamples;
	return t->stimes;
}

const uint32_t *tl_trace_sample_tracks(const tl_trace *t, size_t *ret_n) {
	*ret_n = t->nsamples;
	return t->strack;
}

const tl_track *tl_trace_tracks(const tl_trace *t, size_t *ret_n) {
	*ret_n = t->tracks.n;
	return t->tracks.v;
}

tl_sample tl_trace_sample(const tl_trace *t, size_t i) {
	const tl_track *k = &t->tracks.v[t->strack[i]];
	return (tl_sample){
		.t = t->stimes[i], .job = k->job, .group = k->group, .worker = k->worker};
}

bool tl_trace_track(tl_trace *t, const tl_track *k, uint32_t *ret) {
	return tl_tracks_put(&t->tracks, k, ret, charge_cb, t);
}

tl_status tl_trace_set_sample_job(tl_trace *t, size_t i, int64_t job, struct tl_error *err) {
	if (i >= t->nsamples) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "no sample %zu", i);
	}
	tl_track k = t->tracks.v[t->strack[i]];
	k.job = job;
	if (!tl_trace_track(t, &k, &t->strack[i])) {
		return trace_nomem(t, err);
	}
	return TL_OK;
}

void tl_trace_recount_tracks(tl_trace *t) {
	for (size_t k = 0; k < t->tracks.n; k++) {
		tl_track_clear(&t->tracks.v[k]);
		if (k < t->captsum && t->tsum[k].samples) {
			const tl_track *s = &t->tsum[k];
			tl_track_count(&t->tracks.v[k], s->samples, s->first, s->last);
		}
	}
	for (size_t i = 0; i < t->nsamples; i++) {
		tl_track_count(&t->tracks.v[t->strack[i]], 1, t->stimes[i], t->stimes[i]);
	}
}

tl_span *tl_trace_spans_mut(tl_trace *t, size_t *ret_n) {
	t->tstale = true;
	*ret_n = t->nspans;
	return t->spans;
}

tl_status tl_trace_rename_group(tl_trace *t, uint32_t g, const char *name, size_t len,
				struct tl_error *err) {
	if (g >= t->ngroups) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "no group %u", (unsigned)g);
	}
	tl_str id;
	tl_status st = tl_trace_intern(t, name, len, &id, err);
	if (st != TL_OK) {
		return st;
	}
	if (id == t->groups[g]) {
		return TL_OK;
	}
	for (size_t i = 0; i < t->ngroups; i++) {
		if (t->groups[i] == id) {
			return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
					    "a group called '%s' exists already",
					    tl_trace_str(t, id));
		}
	}
	t->groups[g] = id;
	/* The name index refilled in place: same capacity, new hashes. */
	tl_index_refill(&t->gindex, 0, t->ngroups, group_hash, t);
	return TL_OK;
}

tl_status tl_trace_merge(tl_trace *dst, const tl_trace *src, const char *prefix,
			 struct tl_error *err) {
	uint32_t *gmap = malloc((src->ngroups ? src->ngroups : 1) * sizeof(*gmap));
	tl_str *smap = malloc(src->nstrs * sizeof(*smap));
	tl_status st = TL_OK;
	if (!gmap || !smap) {
		st = trace_nomem(dst, err);
		goto out;
	}
	for (size_t i = 0; i < src->nstrs; i++) {
		st = tl_trace_intern(dst, src->strs[i].s, src->strs[i].len, &smap[i], err);
		if (st != TL_OK) {
			goto out;
		}
	}
	size_t before = dst->ngroups;
	for (size_t g = 0; g < src->ngroups; g++) {
		const char *name = tl_trace_str(src, src->groups[g]);
		char *full = NULL;
		if (prefix) {
			size_t n = strlen(prefix) + strlen(name) + 16;
			full = malloc(n);
			if (!full) {
				st = trace_nomem(dst, err);
				goto out;
			}
			snprintf(full, n, name[0] ? "%s:%s" : "%s", prefix, name);
			st = tl_trace_group(dst, full, strlen(full), &gmap[g], err);
			/*
			 * A name another input's group has already ("x:y" from x.csv's
			 * group y and from a file x:y.csv): apart, as "x:y (2)".
			 */
			size_t len = strlen(full);
			for (unsigned k = 2; st == TL_OK && gmap[g] < before; k++) {
				snprintf(full + len, n - len, " (%u)", k);
				st = tl_trace_group(dst, full, strlen(full), &gmap[g], err);
			}
		} else {
			st = tl_trace_group(dst, name, strlen(name), &gmap[g], err);
		}
		free(full);
		if (st != TL_OK) {
			goto out;
		}
	}
	st = tl_trace_reserve(dst, src->nspans, src->nsamples, err);
	for (size_t i = 0; i < src->nspans && st == TL_OK; i++) {
		tl_span sp = src->spans[i];
		sp.group = gmap[sp.group];
		sp.worker = smap[sp.worker];
		sp.label = smap[sp.label];
		st = tl_trace_add_span(dst, &sp, err);
	}
	for (size_t i = 0; i < src->nsamples && st == TL_OK; i++) {
		tl_sample sa = tl_trace_sample(src, i);
		sa.group = gmap[sa.group];
		sa.worker = smap[sa.worker];
		st = tl_trace_add_sample(dst, &sa, err);
	}
	for (size_t i = 0; i < src->nmeta && st == TL_OK; i++) {
		if (!tl_trace_meta_get(dst, src->meta[i].key)) {
			st = tl_trace_meta_set(dst, src->meta[i].key, src->meta[i].value, err);
		}
	}
out:
	free(gmap);
	free(smap);
	return st;
}
