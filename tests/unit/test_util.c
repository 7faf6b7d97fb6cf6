/* The util layer's growable arrays, hash index, counting sort and byte hash. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/grow.h"
#include "../../src/util/hash.h"
#include "../../src/util/hashmap.h"
#include "../../src/util/index.h"
#include "../../src/util/sort.h"

/* From 16, doubling; a capacity that holds the need already is kept. */
static void test_grow_cap(void **state) {
	(void)state;
	size_t cap = 0;
	assert_true(tl_grow_cap(0, 1, 8, &cap));
	assert_int_equal(cap, 16);
	assert_true(tl_grow_cap(0, 17, 8, &cap));
	assert_int_equal(cap, 32);
	assert_true(tl_grow_cap(24, 20, 8, &cap));
	assert_int_equal(cap, 24);
	assert_true(tl_grow_cap(24, 25, 8, &cap));
	assert_int_equal(cap, 48);
	cap = 7;
	assert_false(tl_grow_cap(16, SIZE_MAX / 4, 8, &cap));
	assert_int_equal(cap, 7);
}

/* Growth keeps what was there; an impossible size leaves the array as it was. */
static void test_grow(void **state) {
	(void)state;
	int *a = NULL;
	size_t cap = 0;
	for (int i = 0; i < 1000; i++) {
		assert_true(tl_grow((void **)&a, &cap, (size_t)i + 1, sizeof(*a)));
		a[i] = i;
	}
	assert_int_equal(cap, 1024);
	int *before = a;
	assert_false(tl_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a)));
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 1024);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(a[i], i);
	}
	free(a);
}

/* Entries whose hashes all collide, found by walking from their start. */
struct words {
	const char *const *w;
	uint64_t (*h)(const char *);
};

static uint64_t collide(const char *s) {
	(void)s;
	return 5;
}

static uint64_t fnv(const char *s) {
	return tl_hash_bytes(s, strlen(s));
}

static uint64_t word_hash(const void *ctx, size_t i) {
	const struct words *ws = ctx;
	return ws->h(ws->w[i]);
}

static long find(const struct tl_index *x, const struct words *ws, const char *s) {
	for (size_t i = tl_index_start(x, ws->h(s)); x->slot[i]; i = tl_index_next(x, i)) {
		if (strcmp(ws->w[x->slot[i] - 1], s) == 0) {
			return (long)x->slot[i] - 1;
		}
	}
	return -1;
}

static void index_holds(uint64_t (*h)(const char *)) {
	static const char *const w[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	struct words ws = {w, h};
	struct tl_index x = {0};
	size_t n = 0;
	for (; n < 10; n++) {
		if (tl_index_full(&x, n)) {
			assert_true(
				tl_index_rebuild(&x, tl_index_grown(&x, 4), 0, n, word_hash, &ws));
		}
		assert_int_equal(find(&x, &ws, w[n]), -1);
		tl_index_place(&x, ws.h(w[n]), (uint32_t)n);
		assert_true(n * 2 < x.cap);
	}
	assert_int_equal(x.cap, 32);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(find(&x, &ws, w[i]), (long)i);
	}
	/* Refilled with the first five: the others are gone, the slots kept. */
	tl_index_refill(&x, 0, 5, word_hash, &ws);
	assert_int_equal(x.cap, 32);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(find(&x, &ws, w[i]), i < 5 ? (long)i : -1);
	}
	/* A rebuild from 2: entries before it are not indexed. */
	assert_true(tl_index_rebuild(&x, 8, 2, 5, word_hash, &ws));
	assert_int_equal(find(&x, &ws, "a"), -1);
	assert_int_equal(find(&x, &ws, "c"), 2);
	tl_index_free(&x);
	assert_null(x.slot);
	assert_int_equal(x.cap, 0);
}

static void test_index(void **state) {
	(void)state;
	index_holds(fnv);
	index_holds(collide); /* every probe wraps past the table's end */
}

/* Items by key, stable within a key, through a field of a struct. */
static void test_sort_by_key(void **state) {
	(void)state;
	struct item {
		char pad[3];
		uint32_t key;
		int tag;
	} items[] = {{"", 2, 0}, {"", 0, 1}, {"", 2, 2}, {"", 3, 3}, {"", 0, 4}, {"", 2, 5}};
	size_t *ix, *off;
	assert_true(tl_sort_by_key(&items[0].key, sizeof(items[0]), 6, 4, &ix, &off));
	static const size_t want_off[] = {0, 2, 2, 5, 6};
	static const int want_tag[] = {1, 4, 0, 2, 5, 3};
	for (size_t k = 0; k < 5; k++) {
		assert_int_equal(off[k], want_off[k]);
	}
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(items[ix[i]].tag, want_tag[i]);
	}
	free(ix);
	free(off);
	/* No items: every key empty. */
	assert_true(tl_sort_by_key(&items[0].key, sizeof(items[0]), 0, 4, &ix, &off));
	for (size_t k = 0; k < 5; k++) {
		assert_int_equal(off[k], 0);
	}
	free(ix);
	free(off);
}

/* FNV-1a's published values, and the 32-bit fold the trace stores. */
static void test_hash_bytes(void **state) {
	(void)state;
	assert_true(tl_hash_bytes("", 0) == 0xcbf29ce484222325ULL);
	assert_true(tl_hash_bytes("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(tl_hash_bytes("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(tl_hash_bytes("foobar!", 6) == tl_hash_bytes("foobar", 6)); /* len bytes only */
	assert_int_equal(tl_hash_bytes32("a", 1), 0xaf63dc4cu ^ 0x8601ec8cu);
}

/* A cleared map has no keys and keeps its slots. */
static void test_hashmap_clear(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v;
	for (uint64_t k = 0; k < 100; k++) {
		assert_true(tl_hashmap_get_or_put(&m, k, (uint32_t)k, &v, NULL));
	}
	size_t cap = m.cap;
	tl_hashmap_clear(&m);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, cap);
	assert_false(tl_hashmap_find(&m, 7, &v));
	bool fresh = false;
	assert_true(tl_hashmap_get_or_put(&m, 7, 70, &v, &fresh));
	assert_true(fresh);
	assert_int_equal(v, 70);
	tl_hashmap_fini(&m);
	tl_hashmap_clear(&m); /* a zeroed map too */
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_cap),   cmocka_unit_test(test_grow),
		cmocka_unit_test(test_index),      cmocka_unit_test(test_sort_by_key),
		cmocka_unit_test(test_hash_bytes), cmocka_unit_test(test_hashmap_clear),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
