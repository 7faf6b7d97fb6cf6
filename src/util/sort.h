#ifndef TIMELINE_UTIL_SORT_H
#define TIMELINE_UTIL_SORT_H

/*
 * Sorting by a small integer key: a counting sort, stable, in two passes
 * over the items, for listing rows group by group.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The indices of n items listed by key, in their order within a key. Item
 * i's key is the uint32_t at (const char *)key0 + i * stride (a field of an
 * array of structs: key0 points at the first item's), and every key is
 * below nkeys. Key k's items are (*ret_ix)[(*ret_off)[k] .. (*ret_off)[k + 1]).
 * *ret_ix (n entries) and *ret_off (nkeys + 2 entries, the last scratch)
 * are the caller's to free. false when out of memory (nothing allocated).
 */
bool tl_sort_by_key(const uint32_t *key0, size_t stride, size_t n, size_t nkeys, size_t **ret_ix,
		    size_t **ret_off);

#endif
