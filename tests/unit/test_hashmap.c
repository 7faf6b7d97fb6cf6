/*
 * The u64 → u32 hash map: empty, added and found keys, growth, reserve, values in place;
 * string keys (their hash, and keys of one hash told apart).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/hash.h"
#include "../../src/util/hashmap.h"

static void test_zeroed_map_is_empty(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v = 7;
	assert_false(tl_hashmap_find(&m, 0, &v));
	assert_int_equal(v, 7); /* untouched */
	assert_null(tl_hashmap_value(&m, 42));
	tl_hashmap_fini(&m);
	tl_hashmap_fini(&m);
	assert_null(m.slots);
	assert_int_equal(m.n, 0);
}

static void test_get_or_put_keeps_the_first_value(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v;
	bool fresh = false;
	assert_true(tl_hashmap_get_or_put(&m, 5, 50, &v, &fresh));
	assert_true(fresh);
	assert_int_equal(v, 50);
	assert_true(tl_hashmap_get_or_put(&m, 5, 99, &v, &fresh));
	assert_false(fresh);
	assert_int_equal(v, 50);
	assert_true(tl_hashmap_get_or_put(&m, 6, 60, &v, NULL));
	assert_int_equal(v, 60);
	assert_int_equal(m.n, 2);
	assert_true(tl_hashmap_find(&m, 5, &v));
	assert_int_equal(v, 50);
	assert_false(tl_hashmap_find(&m, 7, &v));
	tl_hashmap_fini(&m);
}

/* No key is reserved: 0, all ones, and keys that differ only in the high word are keys. */
static void test_every_key_is_a_key(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	const uint64_t keys[] = {
		0, UINT64_MAX, 1, (uint64_t)1 << 32, (uint64_t)2 << 32 | 1, (uint64_t)INT64_MIN};
	size_t n = sizeof(keys) / sizeof(keys[0]);
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		bool fresh;
		assert_true(tl_hashmap_get_or_put(&m, keys[i], (uint32_t)i, &v, &fresh));
		assert_true(fresh);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t v = UINT32_MAX;
		assert_true(tl_hashmap_find(&m, keys[i], &v));
		assert_int_equal(v, i);
	}
	assert_int_equal(m.n, n);
	tl_hashmap_fini(&m);
}

/* Keys of one home slot probe past the table's end and back to its start. */
static void test_probes_wrap_around(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	assert_true(tl_hashmap_reserve(&m, 8));
	assert_int_equal(m.cap, 16);
	uint64_t keys[3];
	size_t n = 0;
	for (uint64_t x = 0; n < 3; x++) {
		if ((tl_mix64(x) & 15) == 15) {
			keys[n++] = x;
		}
	}
	for (size_t i = 0; i < 3; i++) {
		uint32_t v;
		assert_true(tl_hashmap_get_or_put(&m, keys[i], (uint32_t)(100 + i), &v, NULL));
	}
	assert_true(m.slots[15].full && m.slots[0].full && m.slots[1].full);
	assert_int_equal(m.slots[1].key, keys[2]);
	for (size_t i = 0; i < 3; i++) {
		uint32_t v;
		assert_true(tl_hashmap_find(&m, keys[i], &v));
		assert_int_equal(v, 100 + i);
	}
	assert_false(tl_hashmap_find(&m, keys[2] + 1, &(uint32_t){0}));
	tl_hashmap_fini(&m);
}

/* A hundred thousand keys: the table grows, stays at most half full, and loses none. */
static void test_growth_keeps_every_key(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	const uint32_t n = 100000;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v;
		assert_true(tl_hashmap_get_or_put(&m, (uint64_t)i * 7919, i, &v, NULL));
	}
	assert_int_equal(m.n, n);
	assert_true(m.cap >= 2 * (size_t)n);
	assert_int_equal(m.cap & (m.cap - 1), 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = UINT32_MAX;
		assert_true(tl_hashmap_find(&m, (uint64_t)i * 7919, &v));
		assert_int_equal(v, i);
		assert_false(tl_hashmap_find(&m, (uint64_t)i * 7919 + 1, &v));
	}
	size_t full = 0;
	for (size_t k = 0; k < m.cap; k++) {
		full += m.slots[k].full;
	}
	assert_int_equal(full, n);
	tl_hashmap_fini(&m);
}

/* Reserved room takes its keys without another allocation; too much fails, the map kept. */
static void test_reserve(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v;
	assert_true(tl_hashmap_get_or_put(&m, 1, 10, &v, NULL));
	assert_true(tl_hashmap_reserve(&m, 1000));
	assert_int_equal(m.cap, 2048);
	const struct tl_hashmap_slot *slots = m.slots;
	for (uint32_t i = 2; i <= 1000; i++) {
		assert_true(tl_hashmap_get_or_put(&m, i, i * 10, &v, NULL));
	}
	assert_ptr_equal(m.slots, slots);
	assert_true(tl_hashmap_reserve(&m, 10)); /* never shrinks */
	assert_int_equal(m.cap, 2048);
	assert_false(tl_hashmap_reserve(&m, SIZE_MAX / 4));
	assert_ptr_equal(m.slots, slots);
	assert_int_equal(m.n, 1000);
	assert_true(tl_hashmap_find(&m, 1, &v));
	assert_int_equal(v, 10);
	tl_hashmap_fini(&m);
}

/* A value changed through tl_hashmap_value() is what find returns. */
static void test_value_in_place(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v;
	assert_true(tl_hashmap_get_or_put(&m, 3, 30, &v, NULL));
	uint32_t *p = tl_hashmap_value(&m, 3);
	assert_non_null(p);
	assert_int_equal(*p, 30);
	*p = 31;
	assert_true(tl_hashmap_find(&m, 3, &v));
	assert_int_equal(v, 31);
	assert_null(tl_hashmap_value(&m, 4));
	tl_hashmap_fini(&m);
}

/* FNV-1a, 64 bits: the published values, and equal strings give equal keys. */
static void test_hash_str(void **state) {
	(void)state;
	assert_true(tl_hash_str("") == 0xcbf29ce484222325ULL);
	assert_true(tl_hash_str("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(tl_hash_str("foobar") == 0x85944171f73967e8ULL);
	char copy[] = "pid 12/tid 7";
	assert_true(tl_hash_str(copy) == tl_hash_str("pid 12/tid 7"));
	assert_true(tl_hash_str("pid 12/tid 7") != tl_hash_str("pid 12/tid 8"));
}

/* Strings by index, each indexed under a hash the test chooses: collisions on purpose. */
static const char *const words[] = {"ant", "bee", "cat", "dog", "eel"};

static bool is_word(const void *ctx, uint32_t val) {
	return strcmp(words[val], ctx) == 0;
}

/* Add words[i] under hash h, as a string table would: at the key the search ended on. */
static void add_word(struct tl_hashmap *m, uint64_t h, uint32_t i) {
	uint32_t v;
	uint64_t key;
	assert_false(tl_hashmap_find_same(m, h, is_word, words[i], &v, &key));
	bool fresh = false;
	assert_true(tl_hashmap_get_or_put(m, key, i, &v, &fresh));
	assert_true(fresh);
}

/*
 * Keys of one hash take the next free keys, past keys of other hashes met on
 * the way; each is found by its text, and an absent one is not.
 */
static void test_find_same(void **state) {
	(void)state;
	struct tl_hashmap m = {0};
	uint32_t v = 99;
	uint64_t key = 0;
	assert_false(tl_hashmap_find_same(&m, 7, is_word, "ant", &v, &key));
	assert_int_equal(v, 99); /* untouched */
	assert_true(key == 7);
	add_word(&m, 7, 0); /* ant at 7 */
	add_word(&m, 8, 3); /* dog at 8, its own hash */
	add_word(&m, 7, 1); /* bee: 7 is ant's, 8 dog's: at 9 */
	add_word(&m, 7, 2); /* cat at 10 */
	assert_int_equal(m.n, 4);
	const uint64_t at[4] = {7, 9, 10, 8};
	for (uint32_t i = 0; i < 4; i++) {
		uint64_t h = i == 3 ? 8 : 7;
		assert_true(tl_hashmap_find_same(&m, h, is_word, words[i], &v, &key));
		assert_int_equal(v, i);
		assert_true(key == at[i]);
	}
	assert_false(tl_hashmap_find_same(&m, 7, is_word, "eel", &v, &key));
	assert_true(key == 11);
	assert_false(tl_hashmap_find_same(&m, 11, is_word, "cat", &v, &key)); /* past the run */
	assert_true(key == 11);
	assert_true(tl_hashmap_find_same(&m, 9, is_word, "cat", &v, NULL)); /* past bee */
	assert_int_equal(v, 2);
	/* The last key of all: the run goes on at 0. */
	add_word(&m, UINT64_MAX, 4); /* eel at the last key */
	add_word(&m, UINT64_MAX, 3); /* dog again, under that hash: at 0 */
	assert_true(tl_hashmap_find_same(&m, UINT64_MAX, is_word, "dog", &v, &key));
	assert_true(key == 0);
	assert_int_equal(v, 3);
	tl_hashmap_fini(&m);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_map_is_empty),
		cmocka_unit_test(test_get_or_put_keeps_the_first_value),
		cmocka_unit_test(test_every_key_is_a_key),
		cmocka_unit_test(test_probes_wrap_around),
		cmocka_unit_test(test_growth_keeps_every_key),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_value_in_place),
		cmocka_unit_test(test_hash_str),
		cmocka_unit_test(test_find_same),
	};
	return cmocka_run_group_tests_name("hashmap", tests, NULL, NULL);
}
