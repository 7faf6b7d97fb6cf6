#ifndef TIMELINE_UTIL_HASH_H
#define TIMELINE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit finaliser (MurmurHash3's fmix64, first half) for open-addressing tables. */
static inline uint64_t tl_mix64(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/*
 * FNV-1a, 32 bits, of len bytes: short keys (names of groups, workers, jobs)
 * spread well enough. The trace stores each string's hash, and the CSV
 * reader's threads compare theirs with it: both hash with this.
 */
static inline uint32_t tl_hash_bytes(const char *s, size_t len) {
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * FNV-1a over the bytes of s (NUL-terminated), 64 bits: a string's key for
 * tl_hashmap, which spreads it further (32 bits, as tl_hash_bytes() gives
 * for the trace's stored hashes, would make collisions common in maps of
 * millions of names). Equal strings, equal keys; unequal
 * ones may share a key, so the caller compares the strings as well.
 */
static inline uint64_t tl_hash_str(const char *s) {
	uint64_t h = 14695981039346656037ULL; /* the FNV offset basis */
	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	}
	return h;
}

#endif
