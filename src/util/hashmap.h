#ifndef TIMELINE_UTIL_HASHMAP_H
#define TIMELINE_UTIL_HASHMAP_H

/*
 * A hash map from 64-bit keys to 32-bit values: open addressing with
 * linear probing, at most half full. A slot holds its key, its value and
 * whether it is taken, 16 bytes together, so that a probe reads one cache
 * line where three arrays would read three. Keys are any 64-bit value
 * (no key is reserved); there is no removal. Caller storage: a map zeroed
 * ({0}) is empty and valid; tl_hashmap_fini() frees what it holds.
 * Allocation failure is the only error: functions that allocate return
 * false and leave the map as it was.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_hashmap_slot {
	uint64_t key;
	uint32_t val;
	uint32_t full; /* 1 when taken; 0 in a zeroed slot */
};

struct tl_hashmap {
	struct tl_hashmap_slot *slots; /* cap of them, NULL before the first key */
	size_t cap;                    /* a power of two, or 0 */
	size_t n;                      /* keys held */
};

/* Every key removed, the slots kept for reuse. */
void tl_hashmap_clear(struct tl_hashmap *m);

/* Free the slots; m is empty (and valid) afterwards. */
void tl_hashmap_fini(struct tl_hashmap *m);

/*
 * Room for n keys in all, so that adding up to n - m->n more allocates
 * nothing: for a count known in advance (one growth instead of a doubling
 * every time it fills). false when out of memory.
 */
bool tl_hashmap_reserve(struct tl_hashmap *m, size_t n);

/* Whether key is in m; its value in *ret_val when it is. */
bool tl_hashmap_find(const struct tl_hashmap *m, uint64_t key, uint32_t *ret_val);

/*
 * key's value, to read or change in place, or NULL when key is absent.
 * Valid until the next key is added.
 */
uint32_t *tl_hashmap_value(const struct tl_hashmap *m, uint64_t key);

/*
 * key's value in *ret_val; when absent, key is added with val (and *ret_val
 * is val). *ret_new (may be NULL) says whether it was added. false when out
 * of memory (m and the out-parameters untouched).
 */
bool tl_hashmap_get_or_put(struct tl_hashmap *m, uint64_t key, uint32_t val, uint32_t *ret_val,
			   bool *ret_new);

/*
 * For keys that stand for longer ones, such as a string's hash, which two
 * strings may share: the value of the first of the keys h, h + 1, h + 2...
 * that is in m and whose value same(ctx, value) accepts, in *ret_val; false
 * when the run of keys from h ends (at a key not in m) before one is
 * accepted. *ret_key (may be NULL) is the key found, or the one that ended
 * the run: where a new entry of hash h goes, with tl_hashmap_get_or_put().
 * As no key is removed, the run from h holds every entry of hash h. Inline,
 * so that same() is too: it is called on every search.
 */
static inline bool tl_hashmap_find_same(const struct tl_hashmap *m, uint64_t h,
					bool (*same)(const void *ctx, uint32_t val),
					const void *ctx, uint32_t *ret_val, uint64_t *ret_key) {
	const uint32_t *v;
	while ((v = tl_hashmap_value(m, h)) != NULL && !same(ctx, *v)) {
		h++;
	}
	if (ret_key) {
		*ret_key = h;
	}
	if (v) {
		*ret_val = *v;
	}
	return v != NULL;
}

#endif
