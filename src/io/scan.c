/*
 * Number and text scanning for the readers. Numbers go from decimal text to
 * int64 nanoseconds with integer arithmetic only: up to 19 significant digits
 * are kept exactly (enough for any int64), the exponent and unit are applied
 * as a power of ten, and the last step rounds half away from zero. That keeps
 * CSV round trips exact and avoids strtod's locale and its cost.
 */

#include "scan.h"

#include "reader.h"
#include "../util/text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const uint64_t tl_pow10_u64[20] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL,
	10000000000000000000ULL,
};

static bool is_blank(char c) {
	return c == ' ' || c == '\t';
}

tl_num tl_parse_decimal(const char *s, size_t len, int scale10, int64_t *ret) {
	if (tl_parse_plain(s, len, scale10, ret)) {
		return TL_NUM_OK;
	}
	size_t i = 0;
	while (len > 0 && is_blank(s[len - 1])) {
		len--;
	}
	while (i < len && is_blank(s[i])) {
		i++;
	}
	if (i == len) {
		return TL_NUM_EMPTY;
	}
	bool neg = false;
	if (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-';
		i++;
	}
	uint64_t mant = 0;
	int sig = 0;    /* significant digits kept in mant */
	long exp10 = 0; /* value = mant * 10^exp10 */
	int first_dropped = -1;
	bool any = false;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		any = true;
		if (sig < 19) {
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			sig += mant != 0;
		} else {
			if (first_dropped < 0) {
				first_dropped = s[i] - '0';
			}
			/* Integer digits past 19 still count for magnitude. */
			if (exp10 < 100000) {
				exp10++;
			}
		}
	}
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			any = true;
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(s[i] - '0');
				sig += mant != 0;
				if (exp10 > -100000) {
					exp10--;
				}
			} else if (first_dropped < 0) {
				first_dropped = s[i] - '0';
			}
		}
	}
	if (!any) {
		const char *w = s + i;
		size_t wl = len - i;
		if (tl_word_eq_nocase(w, wl, "nan") || tl_word_eq_nocase(w, wl, "inf") ||
		    tl_word_eq_nocase(w, wl, "infinity")) {
			return TL_NUM_NONFINITE;
		}
		return TL_NUM_SYNTAX;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < len && (s[i] == '-' || s[i] == '+')) {
			eneg = s[i] == '-';
			i++;
		}
		if (i == len || s[i] < '0' || s[i] > '9') {
			return TL_NUM_SYNTAX;
		}
		long e = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (e < 1000000) {
				e = e * 10 + (s[i] - '0');
			}
		}
		exp10 += eneg ? -e : e;
	}
	if (i != len) {
		return TL_NUM_SYNTAX;
	}
	long e = exp10 + scale10;
	uint64_t mag;
	if (mant == 0) {
		mag = 0;
	} else if (e >= 0) {
		if (e > 19) {
			return TL_NUM_RANGE;
		}
		if (e == 0 && first_dropped >= 5) {
			mant++;
		}
		if (mant > UINT64_MAX / tl_pow10_u64[e]) {
			return TL_NUM_RANGE;
		}
		mag = mant * tl_pow10_u64[e];
	} else if (e < -19) {
		mag = 0;
	} else {
		uint64_t d = tl_pow10_u64[-e];
		mag = mant / d;
		uint64_t r = mant % d;
		if (r >= d - r) {
			mag++;
		}
	}
	if (mag > (uint64_t)INT64_MAX) {
		return TL_NUM_RANGE;
	}
	*ret = neg ? -(int64_t)mag : (int64_t)mag;
	return TL_NUM_OK;
}

/* Whether the digits after s's decimal point (before any exponent) are all 0. */
static bool no_fraction(const char *s, size_t len) {
	const char *dot = memchr(s, '.', len);
	if (!dot) {
		return true;
	}
	for (const char *p = dot + 1; p < s + len && (unsigned)(*p - '0') < 10; p++) {
		if (*p != '0') {
			/* "9.5e18" is a whole number; a value this large with an exponent is. */
			return memchr(s, 'e', len) || memchr(s, 'E', len);
		}
	}
	return true;
}

tl_num tl_parse_int(const char *s, size_t len, int64_t *ret) {
	/* Plain digits: exact over all of int64 (job numbers may use all 19 digits). */
	size_t i = len > 0 && s[0] == '-';
	size_t j = i;
	uint64_t m = 0;
	bool over = false;
	while (j < len && (unsigned)(s[j] - '0') < 10) {
		over |= __builtin_mul_overflow(m, 10, &m) ||
			__builtin_add_overflow(m, (uint64_t)(s[j] - '0'), &m);
		j++;
	}
	if (j == len && j > i) {
		uint64_t limit = i ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		if (over || m > limit) {
			return TL_NUM_RANGE;
		}
		*ret = i ? (int64_t)(0 - m) : (int64_t)m;
		return TL_NUM_OK;
	}
	int64_t v;
	tl_num rc = tl_parse_decimal(s, len, 0, &v);
	if (rc != TL_NUM_OK) {
		return rc;
	}
	/* Reject fractions: "2.5" is not a job number, "2.0" (pandas floats) is. */
	int64_t check;
	bool whole = v > INT64_MAX / 10 || v < INT64_MIN / 10
			     ? no_fraction(s, len)
			     : tl_parse_decimal(s, len, 1, &check) == TL_NUM_OK && check == v * 10;
	if (!whole) {
		return TL_NUM_SYNTAX;
	}
	*ret = v;
	return TL_NUM_OK;
}

size_t tl_utf8_check(const char *str, size_t len) {
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n >= len) {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return i;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and code points past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			return i;
		}
		i += n + 1;
	}
	return len;
}

long tl_column(const char *line_start, const char *pos) {
	/* A character is a valid UTF-8 sequence or any single byte that is not one. */
	long col = 1;
	int need = 0;
	for (const unsigned char *p = (const unsigned char *)line_start;
	     p < (const unsigned char *)pos; p++) {
		if (need > 0 && (*p & 0xc0) == 0x80) {
			need--;
			continue;
		}
		col++;
		need = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : 0;
	}
	return col;
}

const char *tl_excerpt(const char *s, size_t len, char *buf, size_t size) {
	const size_t max = 40;
	size_t o = 0, chars = 0, i = 0;
	while (i < len && o + 8 <= size) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xc0) != 0x80) {
			if (chars == max) {
				break;
			}
			chars++;
		}
		buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		i++;
	}
	/* Do not cut a multi-byte character in half. */
	while (i < len && o > 0 && ((unsigned char)s[i] & 0xc0) == 0x80) {
		i--;
		o--;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

size_t tl_bom_len(const char *s, size_t len) {
	return len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

size_t tl_skip_bom_blank(const char *s, size_t len) {
	size_t i = tl_bom_len(s, len);
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
		i++;
	}
	return i;
}

long tl_line_of(const char *s, const char *end, const char *pos, const char **ret_line_start) {
	long line = 1;
	const char *ls = s;
	for (const char *q = s; q < pos && q < end; q++) {
		if (*q == '\n' || (*q == '\r' && (q + 1 >= end || q[1] != '\n'))) {
			line++;
			ls = q + 1;
		}
	}
	*ret_line_start = ls;
	return line;
}

tl_status tl_check_text(const char *s, size_t len, const char *name, struct tl_error *err) {
	const char *nul = memchr(s, '\0', len);
	if (!nul) {
		return TL_OK;
	}
	/* Excel's "Unicode text" and Windows tools write UTF-16, with its byte order mark. */
	if (len >= 2 && ((unsigned char)s[0] == 0xff || (unsigned char)s[0] == 0xfe) &&
	    ((unsigned char)s[1] ^ (unsigned char)s[0]) == 0x01) {
		return tl_error_set(err, TL_ERR_INPUT, name, 1, 1,
				    "UTF-16 text: timeline reads UTF-8 (iconv -f UTF-16 -t UTF-8 "
				    "converts it)");
	}
	return tl_io_fail_in(err, name, 1, s, s + len, nul,
			     "binary data (a NUL byte): not a text file");
}

tl_trace *tl_io_trace_new(const tl_read_opts *o) {
	tl_trace *t = tl_trace_new();
	if (t && o) {
		tl_trace_set_limits(t, o->max_rows, o->max_memory);
	}
	return t;
}

tl_status tl_error_locate(struct tl_error *err, tl_status st, const char *name, long line,
			  long column) {
	if (err && st != TL_OK && !err->path[0]) {
		snprintf(err->path, sizeof(err->path), "%s", name);
		err->line = line;
		err->column = column;
	}
	return st;
}

tl_num tl_parse_time(const char *s, size_t len, int scale10, tl_ns *ret) {
	tl_num rc = tl_parse_decimal(s, len, scale10, ret);
	if (rc == TL_NUM_OK && (*ret < -TL_TIME_MAX || *ret > TL_TIME_MAX)) {
		return TL_NUM_RANGE;
	}
	return rc;
}

int32_t tl_exit_status_from_double(double v) {
	if (!(v >= INT32_MIN && v <= INT32_MAX) || v != (double)(int32_t)v ||
	    !tl_exit_status_valid((int32_t)v)) {
		return v != 0;
	}
	return (int32_t)v;
}

bool tl_guess_bare_unit(const char *s, size_t len, bool *ret_epoch, int *ret_scale) {
	int64_t v;
	if (tl_parse_decimal(s, len, 0, &v) != TL_NUM_OK) {
		return false;
	}
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (m < 100000000000ULL) {
		return false;
	}
	/* Epoch milliseconds from 2000-01-01 to a day from now. */
	const uint64_t lo = 946684800000ULL;
	const uint64_t hi = ((uint64_t)time(NULL) + 86400) * 1000;
	int scale = 0;
	for (int k = 6; k >= 0 && scale == 0; k -= 3) {
		uint64_t f = k == 6 ? 1 : k == 3 ? 1000 : 1000000;
		if (m >= lo * f && m <= hi * f) {
			scale = k ? k : -1;
		}
	}
	*ret_epoch = scale != 0;
	*ret_scale = scale < 0 ? 0 : scale;
	return true;
}
