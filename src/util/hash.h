#ifndef TIMELINE_UTIL_HASH_H
#define TIMELINE_UTIL_HASH_H

#include <stdint.h>

/* A 64-bit finaliser (MurmurHash3's fmix64, first half) for open-addressing tables. */
static inline uint64_t tl_mix64(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

#endif
