#ifndef TIMELINE_IO_SCAN_H
#define TIMELINE_IO_SCAN_H

/*
 * Locale-free scanning helpers shared by the readers: decimal numbers straight
 * to int64 nanoseconds, UTF-8 validation, and character columns for messages.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <timeline/io.h>

typedef enum tl_num {
	TL_NUM_OK = 0,
	TL_NUM_EMPTY,     /* only blanks */
	TL_NUM_SYNTAX,    /* not a number */
	TL_NUM_NONFINITE, /* nan, inf */
	TL_NUM_RANGE,     /* does not fit in int64 after scaling */
} tl_num;

/*
 * Parse a decimal number (optional sign, digits, fraction, exponent; blanks
 * around it allowed) and scale it by 10^scale10, rounding half away from zero
 * to an integer. No strtod: the result is exact for every input whose scaled
 * value fits in int64. "1.5" with scale10 = 9 gives 1500000000.
 */
tl_num tl_parse_decimal(const char *s, size_t len, int scale10, int64_t *ret);

/* 10^0 .. 10^19. */
extern const uint64_t tl_pow10_u64[20];

/* Eight ASCII digits at p (little-endian load) as a number, or -1 when any is not a digit. */
static inline int64_t tl_eight_digits(const char *p) {
	uint64_t v;
	memcpy(&v, p, 8);
	if ((v & 0xf0f0f0f0f0f0f0f0ULL) != 0x3030303030303030ULL ||
	    ((v + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) != 0x3030303030303030ULL) {
		return -1;
	}
	v -= 0x3030303030303030ULL;
	v = (v * 10) + (v >> 8);
	v = (((v & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
	     (((v >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >>
	    32;
	return (int64_t)v;
}

/*
 * tl_parse_decimal()'s common case, inline for the readers' row loops: an
 * optional minus, at most 18 digits with an optional point, nothing else (18
 * digits always fit in uint64 exactly). false for anything else, which
 * tl_parse_decimal() then reads.
 */
static inline __attribute__((always_inline)) bool tl_parse_plain(const char *s, size_t len,
								 int scale10, int64_t *ret) {
	const char *p = s, *e = s + len;
	bool neg = p < e && *p == '-';
	p += neg;
	const char *d0 = p;
	uint64_t m = 0;
	while (p < e && (unsigned)(*p - '0') < 10) {
		m = m * 10 + (uint64_t)(*p - '0');
		p++;
	}
	size_t ni = (size_t)(p - d0), nf = 0;
	if (p < e && *p == '.') {
		const char *f0 = ++p;
		if (e - p >= 8 && ni <= 10) {
			int64_t eight = tl_eight_digits(p);
			if (eight >= 0) {
				m = m * 100000000u + (uint64_t)eight;
				p += 8;
			}
		}
		while (p < e && (unsigned)(*p - '0') < 10) {
			m = m * 10 + (uint64_t)(*p - '0');
			p++;
		}
		nf = (size_t)(p - f0);
	}
	if (p != e || ni + nf == 0 || ni + nf > 18) {
		return false;
	}
	int ex = scale10 - (int)nf;
	uint64_t mag;
	if (ex >= 0) {
		if (ex > 19 || __builtin_mul_overflow(m, tl_pow10_u64[ex], &mag)) {
			return false;
		}
	} else if (ex >= -18) {
		uint64_t d = tl_pow10_u64[-ex], r = m % d;
		mag = m / d + (r >= d - r);
	} else {
		return false;
	}
	if (mag > (uint64_t)INT64_MAX) {
		return false;
	}
	*ret = neg ? -(int64_t)mag : (int64_t)mag;
	return true;
}

/* tl_parse_time()'s common case, inline: tl_parse_plain() within ±TL_TIME_MAX. */
static inline __attribute__((always_inline)) bool tl_parse_time_plain(const char *s, size_t len,
								      int scale10, tl_ns *ret) {
	return tl_parse_plain(s, len, scale10, ret) && *ret >= -TL_TIME_MAX && *ret <= TL_TIME_MAX;
}

/* tl_parse_decimal for a time: TL_NUM_RANGE beyond ±TL_TIME_MAX as well. */
tl_num tl_parse_time(const char *s, size_t len, int scale10, tl_ns *ret);

/*
 * A JSON number as a job status: v when it is a whole number that is a valid
 * status, else 1 (failed) for anything but zero. Casting a double that does
 * not fit an int is undefined, so no cast without a check.
 */
int32_t tl_exit_status_from_double(double v);

/*
 * The unit of a table's bare time numbers, from the first of them, s (len
 * bytes): a number that large (from 10^11) is not seconds of anything. Read
 * as epoch milliseconds, microseconds or nanoseconds (as
 * int(time.time() * 1000) and the like give), it is a time from 2000 to a
 * day from now: *ret_epoch, and *ret_scale the power of ten to nanoseconds
 * (6, 3 or 0). Otherwise it is a clock's nanoseconds (time.perf_counter_ns(),
 * CLOCK_MONOTONIC: time since boot), the unit such clocks count in: not
 * *ret_epoch, *ret_scale 0. false (nothing set) for a number below 10^11 or
 * no number: no guess, the unit stays seconds.
 */
bool tl_guess_bare_unit(const char *s, size_t len, bool *ret_epoch, int *ret_scale);

/* Parse an integer (blanks around allowed; "3.0" is accepted as 3). */
tl_num tl_parse_int(const char *s, size_t len, int64_t *ret);

/* Offset of the first byte that breaks UTF-8 in s, or len when all is valid. */
size_t tl_utf8_check(const char *s, size_t len);

/* 3 when s starts with a UTF-8 byte order mark, else 0. */
size_t tl_bom_len(const char *s, size_t len);

/* Offset of the first byte after a UTF-8 byte order mark and any blanks or line ends. */
size_t tl_skip_bom_blank(const char *s, size_t len);

/*
 * Lines from s (its line 1) up to pos, counting LF, CRLF and a lone CR as one
 * line end each: the 1-based line of pos, and where that line starts.
 */
long tl_line_of(const char *s, const char *end, const char *pos, const char **ret_line_start);

/*
 * TL_OK for text; TL_ERR_INPUT naming the line and column of the first NUL
 * byte otherwise (name is the file in the message).
 */
/* A new trace bounded by the read options' limits; NULL when out of memory. */
tl_trace *tl_io_trace_new(const tl_read_opts *opts);

/*
 * Errors the model raises (a limit reached, out of memory) know no position:
 * give err the reader's, when it has none. Returns st.
 */
tl_status tl_error_locate(struct tl_error *err, tl_status st, const char *name, long line,
			  long column);

tl_status tl_check_text(const char *s, size_t len, const char *name, struct tl_error *err);

/* 1-based column of pos on the line that starts at line_start, counted in characters. */
long tl_column(const char *line_start, const char *pos);

/*
 * Copy at most max characters of s into buf (size bytes) for quoting in a
 * message, adding "..." when cut, and replacing control bytes by '?'.
 */
const char *tl_excerpt(const char *s, size_t len, char *buf, size_t size);

#endif
