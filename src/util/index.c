#include "index.h"

#include <stdlib.h>
#include <string.h>

bool tl_index_rebuild(struct tl_index *x, size_t cap, size_t from, size_t to, tl_index_hash_fn hash,
		      const void *ctx) {
	struct tl_index n = {.slot = calloc(cap, sizeof(*n.slot)), .cap = cap};
	if (!n.slot) {
		return false;
	}
	tl_index_refill(&n, from, to, hash, ctx);
	free(x->slot);
	*x = n;
	return true;
}

void tl_index_refill(struct tl_index *x, size_t from, size_t to, tl_index_hash_fn hash,
		     const void *ctx) {
	if (x->cap) {
		memset(x->slot, 0, x->cap * sizeof(*x->slot));
	}
	for (size_t i = from; i < to; i++) {
		tl_index_place(x, hash(ctx, i), (uint32_t)i);
	}
}

void tl_index_free(struct tl_index *x) {
	free(x->slot);
	x->slot = NULL;
	x->cap = 0;
}
