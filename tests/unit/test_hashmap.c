/* The u64 → u32 hash map: empty, added and found keys, growth, reserve, values in place. */

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

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_map_is_empty),
		cmocka_unit_test(test_get_or_put_keeps_the_first_value),
		cmocka_unit_test(test_every_key_is_a_key),
		cmocka_unit_test(test_probes_wrap_around),
		cmocka_unit_test(test_growth_keeps_every_key),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_value_in_place),
	};
	return cmocka_run_group_tests_name("hashmap", tests, NULL, NULL);
}
