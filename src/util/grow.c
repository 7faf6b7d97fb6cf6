#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

bool tl_grow_cap(size_t cap, size_t need, size_t elem, size_t *ret_cap) {
	size_t ncap = cap ? cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem) {
			return false;
		}
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem) {
		return false;
	}
	*ret_cap = need <= cap ? cap : ncap;
	return true;
}

bool tl_grow(void **arr, size_t *cap, size_t need, size_t elem) {
	if (need <= *cap) {
		return true;
	}
	size_t ncap;
	if (!tl_grow_cap(*cap, need, elem, &ncap)) {
		return false;
	}
	void *p = realloc(*arr, ncap * elem);
	if (!p) {
		return false;
	}
	*arr = p;
	*cap = ncap;
	return true;
}
