/*
 * The input files mapped while they are read, for a SIGBUS handler: a file
 * that shrinks under its mapping (a log rotated or rewritten while it is
 * read) makes the next read of a page past its new end raise SIGBUS in the
 * reading thread, and the handler asks which file that was. A fixed table
 * of slots published with atomics, so that the handler only reads it.
 */

#include "mapped.h"

#include <stdatomic.h>
#include <stdint.h>

#define MAPPED_MAX 16

static struct {
	_Atomic(uintptr_t) base; /* 0: free */
	_Atomic(size_t) len;
	_Atomic(const char *) name;
} slots[MAPPED_MAX];

int tl_mapped_add(const void *base, size_t len, const char *name) {
	for (int i = 0; i < MAPPED_MAX; i++) {
		uintptr_t free_slot = 0;
		/* Claimed with a placeholder, filled, then published. */
		if (atomic_compare_exchange_strong(&slots[i].base, &free_slot, (uintptr_t)1)) {
			atomic_store(&slots[i].len, len);
			atomic_store(&slots[i].name, name);
			atomic_store(&slots[i].base, (uintptr_t)base);
			return i;
		}
	}
	return -1;
}

void tl_mapped_remove(int slot) {
	if (slot >= 0 && slot < MAPPED_MAX) {
		atomic_store(&slots[slot].base, (uintptr_t)0);
	}
}

bool tl_input_at(const void *addr, const char **ret_name) {
	uintptr_t a = (uintptr_t)addr;
	for (int i = 0; i < MAPPED_MAX; i++) {
		uintptr_t base = atomic_load(&slots[i].base);
		if (base > 1 && a >= base && a - base < atomic_load(&slots[i].len)) {
			*ret_name = atomic_load(&slots[i].name);
			return true;
		}
	}
	return false;
}
