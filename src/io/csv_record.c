/*
 * The CSV reader's records: RFC 4180 fields (quotes, doubled quotes, line
 * breaks inside quotes), CRLF, LF or CR line ends, '#' comment lines
 * ("# key: value" become metadata), and the reader's messages, which name
 * the file, line and column.
 */

#include <timeline/io.h>

#include "../model/model.h"
#include "../util/grow.h"
#include "csv.h"
#include "csv_impl.h"
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

tl_status csv_fail(struct csv *r, long line, const char *line_start, const char *pos,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

tl_status csv_fail(struct csv *r, long line, const char *line_start, const char *pos,
		   const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, line, tl_column(line_start, pos), "%s",
			    msg);
}

/*
 * Line and column of pos, a byte of the current record. Only errors need
 * them, so fields keep no positions: count line breaks from the record start.
 */
tl_status csv_fail_at(struct csv *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

tl_status csv_fail_at(struct csv *r, const char *pos, const char *fmt, ...) {
	const char *ls;
	long line = r->rec_line - 1 + tl_line_of(r->rec_start, r->end, pos, &ls);
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, line, tl_column(ls, pos), "%s", msg);
}

/* A field's position is its first byte, or its opening quote. */
#define FIELD_POS(f) ((f)->s - (f)->quoted)

tl_status csv_nomem(struct csv *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bytes that end an unquoted field, for each separator: comma, tab, semicolon, pipe, blanks. */
#define LINE_ENDS ['\n'] = true, ['\r'] = true
static const bool field_ends[5][256] = {
	{[','] = true, LINE_ENDS},
	{['\t'] = true, LINE_ENDS},
	{[';'] = true, LINE_ENDS},
	{['|'] = true, LINE_ENDS},
	{[' '] = true, ['\t'] = true, LINE_ENDS},
};

const bool *csv_field_ends(char sep) {
	return field_ends[sep == ',' ? 0 : sep == '\t' ? 1 : sep == ';' ? 2 : sep == '|' ? 3 : 4];
}
#undef LINE_ENDS

/* Nonzero when a byte of x is zero; its lowest set bit marks the first one. */
static inline uint64_t zero_byte(uint64_t x) {
	return (x - ONES) & ~x & HIGHS;
}

/* The end of an unquoted field starting at q: a separator, a line end or the end. */
static inline __attribute__((always_inline)) const char *
scan_field(const struct csv *r, const char *q, const char *end, bool blanks) {
	const bool *field_end = r->fend;
	if (blanks) {
		while (q < end && !field_end[(unsigned char)*q]) {
			q++;
		}
		return q;
	}
	/* Most fields are short: look at the first bytes one by one. */
	const char *stop = end - q > 8 ? q + 8 : end;
	while (q < stop) {
		if (field_end[(unsigned char)*q]) {
			return q;
		}
		q++;
	}
	/* Then eight bytes at a time. */
	while (end - q >= 8) {
		uint64_t v;
		memcpy(&v, q, 8);
		uint64_t hit = zero_byte(v ^ (ONES * (unsigned char)r->sep)) |
			       zero_byte(v ^ (ONES * '\n')) | zero_byte(v ^ (ONES * '\r'));
		if (hit) {
			return q + (__builtin_ctzll(hit) >> 3);
		}
		q += 8;
	}
	while (q < end && !field_end[(unsigned char)*q]) {
		q++;
	}
	return q;
}

static const char *skip_blanks(const char *q, const char *end) {
	while (q < end && (*q == ' ' || *q == '\t')) {
		q++;
	}
	return q;
}

static void newline(struct csv *r, const char *q) {
	if (*q == '\r') {
		q++;
		if (q < r->end && *q == '\n') {
			q++;
		}
	} else {
		q++;
	}
	r->line++;
	r->line_start = q;
	r->p = q;
}

bool tl_csv_meta_key_char(char c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* A '#' line at r->p: "# key: value" becomes metadata; anything else is skipped. */
static tl_status comment(struct csv *r) {
	const char *q = r->p;
	const char *eol = memchr(q, '\n', (size_t)(r->end - q));
	const char *cr = memchr(q, '\r', (size_t)((eol ? eol : r->end) - q));
	const char *stop = cr ? cr : eol ? eol : r->end;
	size_t bad = tl_utf8_check(q, (size_t)(stop - q));
	if (bad != (size_t)(stop - q)) {
		return csv_fail(r, r->line, r->line_start, q + bad, "invalid UTF-8 in a comment");
	}
	const char *k = q + 1;
	while (k < stop && (*k == ' ' || *k == '\t')) {
		k++;
	}
	const char *ke = k;
	while (ke < stop && tl_csv_meta_key_char(*ke)) {
		ke++;
	}
	if (ke > k && ke < stop && *ke == ':') {
		const char *v = ke + 1;
		if (v < stop && *v == ' ') {
			v++;
		}
		char *key = strndup(k, (size_t)(ke - k));
		char *val = strndup(v, (size_t)(stop - v));
		tl_status st =
			key && val ? tl_trace_meta_set(r->trace, key, val, r->err) : csv_nomem(r);
		free(key);
		free(val);
		if (st != TL_OK) {
			return st;
		}
	} else {
		/* numpy.savetxt(header=...) writes the header as a comment: kept in case. */
		r->comment_s = k;
		r->comment_e = stop;
	}
	if (stop == r->end) {
		r->p = r->end;
	} else {
		newline(r, stop);
	}
	return TL_OK;
}

/*
 * Read one record into r->f. Returns 1 when a record was read (count in
 * *ret_n), 0 at end of input, -1 on error. Compiled twice (see read_record):
 * blanks is a constant in each copy.
 */
static inline __attribute__((always_inline)) int read_record_as(struct csv *r, size_t *ret_n,
								bool blanks) {
	for (;;) {
		const char *q = r->p;
		while (q < r->end && (*q == ' ' || *q == '\t')) {
			q++;
		}
		if (q == r->end) {
			r->p = q;
			return 0;
		}
		if (*q == '\n' || *q == '\r') {
			newline(r, q);
			continue;
		}
		if (*r->p == '#') {
			if (comment(r) != TL_OK) {
				return -1;
			}
			continue;
		}
		break;
	}
	r->rec_start = r->line_start;
	r->rec_line = r->line;
	size_t n = 0;
	const char *q = r->p;
	if (blanks) {
		q = skip_blanks(q, r->end);
	}
	for (;;) {
		if (n == r->fcap && !tl_grow((void **)&r->f, &r->fcap, n + 1, sizeof(*r->f))) {
			csv_nomem(r);
			return -1;
		}
		struct field *f = &r->f[n++];
		f->escaped = false;
		f->quoted = false;
		if (q < r->end && *q == '"') {
			const char *open = q++;
			f->s = q;
			f->quoted = true;
			for (;;) {
				if (q >= r->end) {
					csv_fail_at(r, open, "unterminated quoted field");
					return -1;
				}
				char c = *q;
				if (c == '"') {
					if (q + 1 < r->end && q[1] == '"') {
						f->escaped = true;
						q += 2;
						continue;
					}
					break;
				}
				if (c == '\n' || (c == '\r' && (q + 1 >= r->end || q[1] != '\n'))) {
					r->line++;
					r->line_start = q + 1;
				}
				q++;
			}
			f->len = (size_t)(q - f->s);
			q++;
			if (q < r->end && !r->fend[(unsigned char)*q]) {
				char ch[16];
				csv_fail_at(r, q, "unexpected '%s' after a closing quote",
					    tl_excerpt(q, 1, ch, sizeof(ch)));
				return -1;
			}
		} else {
			f->s = q;
			q = scan_field(r, q, r->end, blanks);
			f->len = (size_t)(q - f->s);
		}
		if (q < r->end && *q == r->sep) {
			q++;
			if (blanks) {
				/* A run of blanks is one separator; blanks that end the line are
				 * none. */
				q = skip_blanks(q, r->end);
				if (q == r->end || *q == '\n' || *q == '\r') {
					break;
				}
			}
			continue;
		}
		if (blanks && q < r->end && *q == '\t') {
			q = skip_blanks(q, r->end);
			if (q < r->end && *q != '\n' && *q != '\r') {
				continue;
			}
		}
		break;
	}
	r->rec_end = q;
	if (q < r->end) {
		newline(r, q);
	} else {
		r->p = q;
	}
	*ret_n = n;
	return 1;
}

/* read_record_as() for fields apart by one separator, or by runs of blanks. */
int csv_read_record(struct csv *r, size_t *ret_n) {
	return r->blanks ? read_record_as(r, ret_n, true) : read_record_as(r, ret_n, false);
}

tl_status csv_grow_scratch(struct csv *r, size_t need) {
	free(r->scratch);
	r->scratch = malloc(need);
	r->scratch_cap = r->scratch ? need : 0;
	return r->scratch ? TL_OK : csv_nomem(r);
}
