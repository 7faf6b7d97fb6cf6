/*
 * The distinct tracks (job, group, worker) of a trace's samples, each kept
 * once and found by hash: the trace stores a track index per sample instead
 * of the three fields. Samples of one track usually come in runs, so the last
 * track found is checked before the table.
 */

#include "hash.h"
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

/* Every track's index + 1 into an empty table of cap slots (a power of two). */
static void place_all(const struct tl_tracks *s, uint32_t *tab, size_t cap) {
	for (size_t i = 0; i < s->n; i++) {
		size_t h = track_hash(&s->v[i]) & (cap - 1);
		while (tab[h]) {
			h = (h + 1) & (cap - 1);
		}
		tab[h] = (uint32_t)i + 1;
	}
}

/* A table of ncap slots, rebuilt from the tracks; charged for what it adds. */
static bool rehash(struct tl_tracks *s, size_t ncap, tl_charge_fn charge, void *ctx) {
	if (charge && !charge(ctx, (ncap - s->tabcap) * sizeof(*s->tab))) {
		return false;
	}
	uint32_t *tab = calloc(ncap, sizeof(*tab));
	if (!tab) {
		return false;
	}
	place_all(s, tab, ncap);
	free(s->tab);
	s->tab = tab;
	s->tabcap = ncap;
	return true;
}

bool tl_tracks_put(struct tl_tracks *s, const tl_track *k, uint32_t *ret, tl_charge_fn charge,
		   void *ctx) {
	if (tl_tracks_is_last(s, k->job, k->group, k->worker)) {
		*ret = s->last;
		return true;
	}
	if ((s->n + 1) * 2 > s->tabcap && !rehash(s, s->tabcap ? s->tabcap * 2 : 16, charge, ctx)) {
		return false;
	}
	size_t h = track_hash(k) & (s->tabcap - 1);
	for (; s->tab[h]; h = (h + 1) & (s->tabcap - 1)) {
		if (same(&s->v[s->tab[h] - 1], k)) {
			s->last = s->tab[h] - 1;
			*ret = s->last;
			return true;
		}
	}
	if (s->n >= UINT32_MAX - 1) {
		return false;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		if (charge && !charge(ctx, (ncap - s->cap) * sizeof(*s->v))) {
			return false;
		}
		tl_track *v = realloc(s->v, ncap * sizeof(*v));
		if (!v) {
			return false;
		}
		s->v = v;
		s->cap = ncap;
	}
	s->v[s->n] = (tl_track){.job = k->job,
				.group = k->group,
				.worker = k->worker,
				.first = INT64_MAX,
				.last = INT64_MIN};
	s->tab[h] = (uint32_t)++s->n;
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
	memset(s->tab, 0, s->tabcap * sizeof(*s->tab));
	place_all(s, s->tab, s->tabcap);
}

void tl_tracks_free(struct tl_tracks *s) {
	free(s->v);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

bool tl_tracks_copy(struct tl_tracks *dst, const struct tl_tracks *src) {
	*dst = (struct tl_tracks){
		.n = src->n, .cap = src->n, .tabcap = src->tabcap, .last = src->last};
	dst->v = malloc((src->n ? src->n : 1) * sizeof(*dst->v));
	dst->tab = malloc((src->tabcap ? src->tabcap : 1) * sizeof(*dst->tab));
	if (!dst->v || !dst->tab) {
		tl_tracks_free(dst);
		return false;
	}
	if (src->n) {
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	}
	if (src->tabcap) {
		memcpy(dst->tab, src->tab, src->tabcap * sizeof(*dst->tab));
	}
	for (size_t i = 0; i < dst->n; i++) {
		tl_track_clear(&dst->v[i]);
	}
	return true;
}
