#ifndef TIMELINE_UTIL_HASH_H
#define TIMELINE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A 64-bit finaliser (MurmurHash3's fmix64, first half) for open-addressing tables. */
static inline uint64_t tl_mix64(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/*
 * FNV-1a, 64 bits, of len bytes: the key of a string (a name of a group,
 * worker or job) for tl_hashmap and tl_index, which spread it further.
 * Equal strings, equal keys; unequal ones may share a key, so the caller
 * compares the strings as well.
 */
static inline uint64_t tl_hash_bytes(const char *s, size_t len) {
	uint64_t h = 14695981039346656037ULL; /* the FNV offset basis */
	for (size_t i = 0; i < len; i++) {
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	}
	return h;
}

/* tl_hash_bytes() of the NUL-terminated s. */
static inline uint64_t tl_hash_str(const char *s) {
	return tl_hash_bytes(s, strlen(s));
}

/*
 * tl_hash_bytes() folded to 32 bits: the hash the trace stores with each
 * string, which the CSV reader's threads compare theirs with.
 */
static inline uint32_t tl_hash_bytes32(const char *s, size_t len) {
	uint64_t h = tl_hash_bytes(s, len);
	return (uint32_t)(h ^ (h >> 32));
}

#endif
