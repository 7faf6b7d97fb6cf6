#ifndef TIMELINE_UTIL_GROW_H
#define TIMELINE_UTIL_GROW_H

/*
 * Growable arrays: the one policy for how an array's capacity grows (from
 * 16, doubling until it holds what is needed), so that every table of the
 * tree grows alike and checks for overflow in one place.
 */

#include <stdbool.h>
#include <stddef.h>

/*
 * The capacity an array of cap elements of elem bytes grows to so that it
 * holds need: cap when it already does, else 16 (or cap) doubled until it
 * holds need, in *ret_cap. false when that many bytes would overflow size_t.
 */
bool tl_grow_cap(size_t cap, size_t need, size_t elem, size_t *ret_cap);

/*
 * Grow *arr (*cap elements of elem bytes, malloc'd or NULL) to hold at least
 * need, by realloc to the capacity of tl_grow_cap(); *arr and *cap are
 * updated. New elements are uninitialised. false on overflow or when out of
 * memory, with *arr and *cap unchanged (the old array still the caller's).
 */
bool tl_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
