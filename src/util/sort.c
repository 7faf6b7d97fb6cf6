#include "sort.h"

#include <stdlib.h>
#include <string.h>

static uint32_t key_of(const char *key0, size_t stride, size_t i) {
	uint32_t k;
	memcpy(&k, key0 + i * stride, sizeof(k));
	return k;
}

bool tl_sort_by_key(const uint32_t *key0, size_t stride, size_t n, size_t nkeys, size_t **ret_ix,
		    size_t **ret_off) {
	size_t *off = calloc(nkeys + 2, sizeof(*off));
	size_t *ix = malloc((n ? n : 1) * sizeof(*ix));
	if (!off || !ix) {
		free(off);
		free(ix);
		return false;
	}
	const char *k0 = (const char *)key0;
	for (size_t i = 0; i < n; i++) {
		off[key_of(k0, stride, i) + 2]++;
	}
	for (size_t k = 0; k < nkeys; k++) {
		off[k + 2] += off[k + 1];
	}
	/* off[k + 1] is where key k's next item goes; afterwards, where they end. */
	for (size_t i = 0; i < n; i++) {
		ix[off[key_of(k0, stride, i) + 1]++] = i;
	}
	*ret_ix = ix;
	*ret_off = off;
	return true;
}
