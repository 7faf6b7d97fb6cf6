/*
 * The u64 → u32 hash map of hashmap.h. Keys are spread by tl_mix64() over
 * a power-of-two table and probed linearly; the table doubles before it is
 * more than half full, which keeps a missing key's probe short (about 2.5
 * slots on average: a cache line of four slots, usually). Nothing here
 * knows what the keys mean.
 */

#include "hashmap.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

void tl_hashmap_clear(struct tl_hashmap *m) {
	if (m->slots) {
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	}
	m->n = 0;
}

void tl_hashmap_fini(struct tl_hashmap *m) {
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* The slot of key, or the empty slot where it would go. */
static struct tl_hashmap_slot *probe(const struct tl_hashmap *m, uint64_t key) {
	size_t mask = m->cap - 1, k = (size_t)tl_mix64(key) & mask;
	while (m->slots[k].full && m->slots[k].key != key) {
		k = (k + 1) & mask;
	}
	return &m->slots[k];
}

/* The slots moved to a table of ncap (a power of two holding m->n at most half full). */
static bool rehash(struct tl_hashmap *m, size_t ncap) {
	struct tl_hashmap nm = {.slots = calloc(ncap, sizeof(*nm.slots)), .cap = ncap, .n = m->n};
	if (!nm.slots) {
		return false;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].full) {
			*probe(&nm, m->slots[i].key) = m->slots[i];
		}
	}
	free(m->slots);
	*m = nm;
	return true;
}

bool tl_hashmap_reserve(struct tl_hashmap *m, size_t n) {
	if (n > SIZE_MAX / 2 / sizeof(*m->slots)) {
		return false;
	}
	size_t ncap = m->cap ? m->cap : 16;
	while (ncap < 2 * n) {
		ncap *= 2;
	}
	return ncap == m->cap || rehash(m, ncap);
}

bool tl_hashmap_find(const struct tl_hashmap *m, uint64_t key, uint32_t *ret_val) {
	uint32_t *v = tl_hashmap_value(m, key);
	if (v) {
		*ret_val = *v;
	}
	return v != NULL;
}

uint32_t *tl_hashmap_value(const struct tl_hashmap *m, uint64_t key) {
	if (!m->cap) {
		return NULL;
	}
	struct tl_hashmap_slot *s = probe(m, key);
	return s->full ? &s->val : NULL;
}

bool tl_hashmap_get_or_put(struct tl_hashmap *m, uint64_t key, uint32_t val, uint32_t *ret_val,
			   bool *ret_new) {
	if (!tl_hashmap_reserve(m, m->n + 1)) {
		return false;
	}
	struct tl_hashmap_slot *s = probe(m, key);
	bool fresh = !s->full;
	if (fresh) {
		*s = (struct tl_hashmap_slot){.key = key, .val = val, .full = 1};
		m->n++;
	}
	*ret_val = s->val;
	if (ret_new) {
		*ret_new = fresh;
	}
	return true;
}
