#include "arg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool tl_arg_integer(const char *s, long long lo, long long hi, long long *ret) {
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || errno == ERANGE || v < lo || v > hi) {
		return false;
	}
	*ret = v;
	return true;
}

bool tl_arg_decimal(const char *s, double lo, double hi, double *ret) {
	/* strtod's hexadecimal ("0x1p3"), "inf", "infinity" and "nan" are not decimal. */
	if (strpbrk(s, "xXpPiInN")) {
		return false;
	}
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi)) {
		return false;
	}
	*ret = v;
	return true;
}

/* The power of 1024 that the unit at *end names, moving end past it; 0 for none. */
static unsigned unit_shift(const char **end) {
	static const char units[] = "kmgt";
	const char *u = **end ? strchr(units, **end | 0x20) : NULL;
	if (!u) {
		return 0;
	}
	const char *e = *end + 1;
	e += *e == 'i' || *e == 'I';
	e += *e == 'b' || *e == 'B';
	*end = e;
	return 10 * (unsigned)(u - units + 1);
}

bool tl_arg_count(const char *s, bool units, uint64_t *ret) {
	/* strtoull takes "-5" as 2^64 - 5. */
	if (strchr(s, '-')) {
		return false;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno == ERANGE) {
		return false;
	}
	const char *rest = end;
	unsigned shift = units ? unit_shift(&rest) : 0;
	if (*rest || v > (UINT64_MAX >> shift)) {
		return false;
	}
	*ret = (uint64_t)v << shift;
	return true;
}
