#ifndef TIMELINE_UTIL_ARG_H
#define TIMELINE_UTIL_ARG_H

/*
 * Numbers given as text by people (command-line option values), each kind
 * read one way: the whole text is the number, in a range the caller gives,
 * decimal only. Leading blanks and a '+' are taken, as strtod() takes them;
 * nothing may follow. Each returns false, *ret untouched, for anything else.
 */

#include <stdbool.h>
#include <stdint.h>

/* A whole number in [lo, hi] ("12", "-3"). */
bool tl_arg_integer(const char *s, long long lo, long long hi, long long *ret);

/*
 * A decimal number in [lo, hi] ("2.5", "1e3"): no hexadecimal, no
 * infinity, no NaN.
 */
bool tl_arg_decimal(const char *s, double lo, double hi, double *ret);

/*
 * A count of at most UINT64_MAX, never negative ("-" anywhere refuses it);
 * with units, a count of bytes that may end with k, M, G or T (any case,
 * powers of 1024), each optionally followed by i and B ("512M", "4GiB").
 */
bool tl_arg_count(const char *s, bool units, uint64_t *ret);

#endif
