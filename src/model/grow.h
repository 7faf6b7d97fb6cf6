#ifndef TIMELINE_MODEL_GROW_H
#define TIMELINE_MODEL_GROW_H

/*
 * Arrays that grow by doubling: the model's own helper, for the readers too,
 * which need nothing else of the trace's insides (model.h) to use it.
 */

#include <stdbool.h>
#include <stddef.h>

/* Grow *arr (of elements of size elem) so that it holds at least need; doubles. */
bool tl_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
