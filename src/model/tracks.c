/*
 * The distinct tracks (job, group, worker) of a trace's samples, each kept
 * once and found by hash: the trace stores a track index per sample instead
 * of the three fields. Samples of one track usually come in runs, so the last
 * track found is checked before the table.
 */

#include "../util/hash.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

static size_t track_hash(const tl_track *k) {
	uint64_t x =
		(uint64_t)k->job * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)k->group << 32 | k->worker);
	return (size_t)tl_mix64(x);
}

/* Whether a and b are one track: the same job, group and worker. */
static bool same(const tl_track *a, const tl_track *b) {
	return a->job == b->job && a->group == b->group && a->worker == b->worker;
}

static uint64_t hash_of(const void *s, size_t i) {
	return track_hash(&((const struct tl_tracks *)s)->v[i]);
}

/* The index rebuilt with cap slots; charged for what it adds. */
static bool reindex(struct tl_tracks *s, size_t cap, tl_charge_fn charge, void *ctx) {
	if (charge && !charge(ctx, (cap - s->index.cap) * sizeof(*s->index.slot))) {
		return false;
	}
	return tl_index_rebuild(&s->index, cap, 0, s->n, hash_of, s);
}

/* Room for one more track; charged for what it adds. */
static bool grow(struct tl_tracks *s, tl_charge_fn charge, void *ctx) {
	size_t cap;
	if (!tl_grow_cap(s->cap, s->n + 1, sizeof(*s->v), &cap) ||
	    (charge && !charge(ctx, (cap - s->cap) * sizeof(*s->v)))) {
		return false;
	}
	return tl_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v));
}

bool tl_tracks_put(struct tl_tracks *s, const tl_track *k, uint32_t *ret, tl_charge_fn charge,
		   void *ctx) {
	if (tl_tracks_is_last(s, k->job, k->group, k->worker)) {
		*ret = s->last;
		return true;
	}
	struct tl_index *x = &s->index;
	if (tl_index_full(x, s->n) && !reindex(s, tl_index_grown(x, 16), charge, ctx)) {
		return false;
	}
	size_t h = tl_index_start(x, track_hash(k));
	for (; x->slot[h]; h = tl_index_next(x, h)) {
		if (same(&s->v[x->slot[h] - 1], k)) {
			s->last = x->slot[h] - 1;
			*ret = s->last;
			return true;
		}
	}
	if (s->n >= UINT32_MAX - 1 || !grow(s, charge, ctx)) {
		return false;
	}
	s->v[s->n] = (tl_track){.job = k->job,
				.group = k->group,
				.worker = k->worker,
				.first = INT64_MAX,
				.last = INT64_MIN};
	x->slot[h] = (uint32_t)++s->n;
	s->last = (uint32_t)(s->n - 1);
	*ret = s->last;
	return true;
}

void tl_tracks_truncate(struct tl_tracks *s, size_t n) {
	if (n >= s->n) {
		return;
	}
	s->n = n;
	s->last = 0;
	tl_index_refill(&s->index, 0, s->n, hash_of, s);
}

void tl_tracks_free(struct tl_tracks *s) {
	free(s->v);
	tl_index_free(&s->index);
	memset(s, 0, sizeof(*s));
}

bool tl_tracks_copy(struct tl_tracks *dst, const struct tl_tracks *src) {
	*dst = (struct tl_tracks){.n = src->n, .cap = src->n, .last = src->last};
	dst->v = malloc((src->n ? src->n : 1) * sizeof(*dst->v));
	dst->index = (struct tl_index){
		.slot = malloc((src->index.cap ? src->index.cap : 1) * sizeof(*dst->index.slot)),
		.cap = src->index.cap};
	if (!dst->v || !dst->index.slot) {
		tl_tracks_free(dst);
		return false;
	}
	if (src->n) {
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	}
	if (src->index.cap) {
		memcpy(dst->index.slot, src->index.slot, src->index.cap * sizeof(*dst->index.slot));
	}
	for (size_t i = 0; i < dst->n; i++) {
		tl_track_clear(&dst->v[i]);
	}
	return true;
}
