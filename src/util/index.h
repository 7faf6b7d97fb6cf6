#ifndef TIMELINE_UTIL_INDEX_H
#define TIMELINE_UTIL_INDEX_H

/*
 * A hash index over an array the caller keeps: open addressing with linear
 * probing, each slot the number of an entry plus one (0: empty). The keys
 * and their equality are the caller's: it hashes a key, walks the slots
 * from tl_index_start() with tl_index_next() until an empty one, and
 * compares the entries it meets. That is the shape of every table whose
 * keys are already stored elsewhere (strings, tracks, groups): no key is
 * stored twice, a slot is 4 bytes. The caller keeps the index at most half
 * full (tl_index_full()), rebuilding it twice as large from its entries.
 * Caller storage: a zeroed index is empty with no slots; tl_index_free()
 * frees the slots.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_index {
	uint32_t *slot; /* cap of them: entry + 1, or 0 when empty */
	size_t cap;     /* a power of two, or 0 before the first rebuild */
};

/* The hash of entry i, for a rebuild. */
typedef uint64_t (*tl_index_hash_fn)(const void *ctx, size_t i);

/* The first slot to look at for hash h (cap must be non-zero). */
static inline size_t tl_index_start(const struct tl_index *x, uint64_t h) {
	return (size_t)h & (x->cap - 1);
}

/* The slot after i, wrapping. */
static inline size_t tl_index_next(const struct tl_index *x, size_t i) {
	return (i + 1) & (x->cap - 1);
}

/* Whether adding one entry to the n held would make the index more than half full. */
static inline bool tl_index_full(const struct tl_index *x, size_t n) {
	return (n + 1) * 2 > x->cap;
}

/* The capacity a rebuild after tl_index_full() takes: twice the slots, or first slots. */
static inline size_t tl_index_grown(const struct tl_index *x, size_t first) {
	return x->cap ? x->cap * 2 : first;
}

/* Entry e (hash h) into the first empty slot from h's: for a key known to be absent. */
static inline void tl_index_place(struct tl_index *x, uint64_t h, uint32_t e) {
	size_t i = tl_index_start(x, h);
	while (x->slot[i]) {
		i = tl_index_next(x, i);
	}
	x->slot[i] = e + 1;
}

/*
 * Replace the slots with cap new ones (a power of two, more than twice
 * to - from) holding entries from .. to - 1, each placed by hash(ctx, i).
 * false when out of memory, the index unchanged.
 */
bool tl_index_rebuild(struct tl_index *x, size_t cap, size_t from, size_t to, tl_index_hash_fn hash,
		      const void *ctx);

/* The slots emptied and refilled with entries from .. to - 1 in place: no allocation. */
void tl_index_refill(struct tl_index *x, size_t from, size_t to, tl_index_hash_fn hash,
		     const void *ctx);

/* Free the slots; x is empty afterwards. */
void tl_index_free(struct tl_index *x);

#endif
