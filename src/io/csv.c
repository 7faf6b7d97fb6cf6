/*
 * CSV reader and writer (docs/csv-format.md is the user's description).
 *
 * The reader works on the whole file in memory in one pass: RFC 4180 fields
 * (quotes, doubled quotes, newlines inside quotes), CRLF or LF or CR line ends,
 * a UTF-8 byte order mark, '#' comment lines ("# key: value" become metadata)
 * and blank lines. Columns are matched by name through an alias table; time
 * columns take their unit from a suffix (_s, _ms, _us, _ns). Numbers are
 * parsed by scan.c straight to nanoseconds. Strings are interned through a
 * one-entry cache per column, because consecutive rows nearly always repeat
 * the group and worker. Every rejection names file, line and column, and no
 * trace escapes a failed read.
 *
 * The writer writes the native schema that the reader reads back to the same
 * trace: metadata lines, then kind,group,job,worker,start,stop,status,label
 * (and wait, the queue wait in seconds, when the trace knows waits)
 * with times as seconds with 9 decimals (exact nanoseconds).
 */

#include <timeline/io.h>

#include "../model/hash.h"
#include "../model/model.h"
#include "columns.h"
#include "csv.h"
#include "scan.h"
#include "timetext.h"
#include "../util/text.h"

#include <timeline/timeline.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const char *const role_time_name[R_COUNT] = {
	[R_START] = "start time", [R_STOP] = "stop time", [R_DUR] = "duration",
	[R_TIME] = "time",        [R_WAIT] = "wait",
};

/* What the values of a time column are written as; fixed by its first value. */
enum tkind {
	TK_UNSET = 0,
	TK_NUMBER,   /* bare numbers in the column's unit */
	TK_DATETIME, /* dates and times: absolute */
	TK_TOD,      /* times of day: since midnight */
	TK_DURTEXT,  /* durations with units ("1m 4s") or clocks in a duration column */
};

struct field {
	const char *s; /* raw bytes (inside the quotes when quoted) */
	size_t len;
	bool quoted;  /* s is preceded by an opening quote */
	bool escaped; /* holds doubled quotes to undo */
};

/* One-entry cache per string column: the previous row's value and its id. */
struct strcache {
	const char *s; /* the interned copy: stable until the trace is freed */
	size_t len;
	tl_str id;
};

/* Text job names → job numbers, per group. */
struct jobname {
	uint64_t key; /* group << 32 | string id, + 1 so that 0 is empty */
	int64_t job;
};

struct csv {
	const char *name;
	const char *data; /* the whole input */
	const char *p, *end;
	const char *checked; /* [data, checked) holds no NUL byte */
	long line;
	const char *line_start;
	const char *rec_start; /* start of the line the current record starts on */
	long rec_line;         /* its line number */
	const char *rec_end;   /* where the current record's final field ended */
	tl_trace *trace;
	struct tl_error *err;

	struct field *f;
	size_t fcap;
	size_t ncols;
	char sep;              /* the field separator: ',', '\t', ';', '|' or ' ' */
	bool blanks;           /* fields are apart by runs of blanks (sep is ' ') */
	const bool *fend;      /* bytes that end an unquoted field: a field_ends row */
	int col[R_COUNT];      /* column of each role, -1 when absent */
	int scale[R_COUNT];    /* power of ten from the column's unit to ns */
	int64_t mult[R_COUNT]; /* and a factor: minutes, hours, days (--columns) */
	bool bare[R_COUNT];    /* the column's unit comes from no name or option */
	enum tkind tk[R_COUNT];
	bool guessed;    /* bare numbers' unit has been decided */
	bool absolute;   /* some time was a date-time: the times are epoch times */
	bool naive;      /* some date-time named no zone: local time, read as UTC */
	bool strict;     /* missing values are errors */
	bool back;       /* no start column: start = stop - duration */
	bool headerless; /* --columns gave positions: the first line is data */
	int guess_scale; /* the unit guessed for bare numbers, 9 when none */
	const char *comment_s, *comment_e; /* the last comment that was no "key: value" */
	bool guess_epoch;                  /* ... as an epoch time, or else a clock's nanoseconds */
	char guess_example[32];

	size_t skipped;           /* rows without a start (or time) */
	long skipped_line;        /* the first of them */
	const char *skipped_what; /* what it lacked: "start time", "time", ... */
	size_t odd_status;        /* statuses that are no exit code or state word */
	size_t next_day;          /* spans whose time-of-day stop is on the next day */
	bool tod_seen;            /* a time-of-day start was read: tod_prev is the last */
	tl_ns tod_prev;
	long tod_back_line;   /* the first start half a day before the one above it */
	long odd_status_line; /* the first of them */
	char odd_status_text[64];
	size_t nunfinished; /* spans with no stop: unfinished, to the end of their group */

	char *scratch; /* unescaped quoted fields of the current row */
	size_t scratch_cap, scratch_used;

	struct strcache cache[R_COUNT];
	tl_str group_str;
	uint32_t group_idx;
	bool group_valid;

	int64_t *next_job; /* per group: spans so far, the number of one with no job */
	struct later {
		size_t index; /* of the span or sample */
		int64_t name; /* a named job's number among its group's names */
		bool sample, named;
	} * later; /* jobs given as names or not at all, beside numbered ones */
	size_t nlater, later_cap;
	int64_t *next_named; /* per group: next number for a job given as text */
	size_t njobctr;
	struct jobname *names;
	size_t names_cap, names_n;
};

static tl_status fail(struct csv *r, long line, const char *line_start, const char *pos,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static tl_status fail(struct csv *r, long line, const char *line_start, const char *pos,
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
static tl_status fail_at(struct csv *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status fail_at(struct csv *r, const char *pos, const char *fmt, ...) {
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

static tl_status nomem(struct csv *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
}

/* Grow the field array to hold at least need entries. */
static bool grow_fields(struct csv *r, size_t need) {
	size_t ncap = r->fcap ? r->fcap * 2 : 16;
	while (ncap < need) {
		ncap *= 2;
	}
	struct field *nf = realloc(r->f, ncap * sizeof(*nf));
	if (!nf) {
		return false;
	}
	r->f = nf;
	r->fcap = ncap;
	return true;
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

static bool meta_key_char(char c) {
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
		return fail(r, r->line, r->line_start, q + bad, "invalid UTF-8 in a comment");
	}
	const char *k = q + 1;
	while (k < stop && (*k == ' ' || *k == '\t')) {
		k++;
	}
	const char *ke = k;
	while (ke < stop && meta_key_char(*ke)) {
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
			key && val ? tl_trace_meta_set(r->trace, key, val, r->err) : nomem(r);
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
		if (n == r->fcap && !grow_fields(r, n + 1)) {
			nomem(r);
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
					fail_at(r, open, "unterminated quoted field");
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
				fail_at(r, q, "unexpected '%s' after a closing quote",
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
static int read_record(struct csv *r, size_t *ret_n) {
	return r->blanks ? read_record_as(r, ret_n, true) : read_record_as(r, ret_n, false);
}

/* The field's text, with doubled quotes undone into the row's scratch space. */
static void field_text(struct csv *r, const struct field *f, const char **ret_s, size_t *ret_len) {
	if (!f->escaped) {
		*ret_s = f->s;
		*ret_len = f->len;
		return;
	}
	char *o = r->scratch + r->scratch_used;
	size_t n = 0;
	for (size_t i = 0; i < f->len; i++) {
		o[n++] = f->s[i];
		if (f->s[i] == '"') {
			i++;
		}
	}
	r->scratch_used += n;
	*ret_s = o;
	*ret_len = n;
}

static bool is_blank_field(const struct field *f) {
	if (f->len && f->s[0] != ' ' && f->s[0] != '\t') {
		return false;
	}
	for (size_t i = 0; i < f->len; i++) {
		if (f->s[i] != ' ' && f->s[i] != '\t') {
			return false;
		}
	}
	return true;
}

static inline const struct field *get(struct csv *r, enum col_role role) {
	int c = r->col[role];
	if (c < 0 || is_blank_field(&r->f[c])) {
		return NULL;
	}
	return &r->f[c];
}

/*
 * What programs write for "no value" in a number column: pandas and numpy
 * (NaN, NaT, <NA>), R (NA), SQL exports (NULL), Python (None), spreadsheets
 * (#N/A) and Nextflow ('-').
 */
static bool missing_word_slow(const char *s, size_t len) {
	static const char *const words[] = {"nan",  "nat",  "<na>", "na",      "n/a",
					    "#n/a", "none", "null", "unknown", "-"};
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (tl_word_eq_nocase(s, len, words[i])) {
			return true;
		}
	}
	return false;
}

/* Most fields start with a digit: no word to look for. */
static inline bool missing_word(const char *s, size_t len) {
	return len && !(*s >= '0' && *s <= '9') && missing_word_slow(s, len);
}

/* A time column's field, or NULL when it is absent, blank or says "no value". */
static inline __attribute__((always_inline)) const struct field *get_time(struct csv *r,
									  enum col_role role) {
	const struct field *f = get(r, role);
	return f && missing_word(f->s, f->len) ? NULL : f;
}

static int unit_scale(tl_unit u) {
	switch (u) {
	case TL_UNIT_MS:
		return 6;
	case TL_UNIT_US:
		return 3;
	case TL_UNIT_NS:
		return 0;
	default:
		return 9;
	}
}

/* Text that reads as a value, not a name: a number, a date or a time. */
static bool value_like(const char *s, size_t len) {
	int64_t v;
	tl_num rc = tl_parse_decimal(s, len, 0, &v);
	return rc == TL_NUM_OK || rc == TL_NUM_RANGE || tl_looks_like_datetime(s, len);
}

/* Header texts: unquoted, blanks around them dropped, NUL-terminated copies. */
static tl_status header_names(struct csv *r, size_t n, char ***ret_text, size_t **ret_len,
			      bool *ret_data) {
	char **text = calloc(n, sizeof(*text));
	size_t *lens = calloc(n, sizeof(*lens));
	if (!text || !lens) {
		free(text);
		free(lens);
		return nomem(r);
	}
	*ret_text = text;
	*ret_len = lens;
	size_t values = 0, names = 0, dates = 0;
	for (size_t c = 0; c < n; c++) {
		const struct field *f = &r->f[c];
		size_t bad = tl_utf8_check(f->s, f->len);
		if (bad != f->len) {
			return fail_at(r, f->s + bad, "invalid UTF-8 in the header");
		}
		const char *s;
		size_t len;
		field_text(r, f, &s, &len);
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		text[c] = strndup(s, len);
		if (!text[c]) {
			return nomem(r);
		}
		lens[c] = len;
		if (len && value_like(s, len)) {
			values++;
			dates += tl_looks_like_datetime(s, len) &&
				 tl_parse_decimal(s, len, 0, &(int64_t){0}) != TL_NUM_OK;
		} else if (len) {
			names++;
		}
	}
	/*
	 * A header names its columns: a line that holds a date, or more numbers
	 * than names, is data (sacct --noheader, numpy.savetxt, ninja's log).
	 */
	*ret_data = values > 0 && (dates > 0 || values >= names);
	/* pandas names the columns of a frame made from an array 0, 1, ...: a header. */
	bool numbered = n > 1 && lens[0] == 0;
	for (size_t c = 1; c < n && numbered; c++) {
		char want[24];
		snprintf(want, sizeof(want), "%zu", c - 1);
		numbered = strcmp(text[c], want) == 0;
	}
	*ret_data &= !numbered;
	return TL_OK;
}

static void free_names(char **text, size_t *lens, size_t n) {
	for (size_t c = 0; text && c < n; c++) {
		free(text[c]);
	}
	free(text);
	free(lens);
}

/*
 * The names of a header written as the comment just before the first line
 * ("# start,stop", as numpy.savetxt(header=...) writes it): as many as the
 * line has fields, split the same way, none of them a number. false when the
 * comment is no such header.
 */
static bool comment_names(struct csv *r, size_t n, char ***ret_text, size_t **ret_len) {
	if (!r->comment_s) {
		return false;
	}
	char **text = calloc(n, sizeof(*text));
	size_t *lens = calloc(n, sizeof(*lens));
	size_t c = 0;
	const char *p = r->comment_s;
	while (text && lens && p <= r->comment_e && c < n + 1) {
		const char *q = p;
		while (q < r->comment_e && *q != r->sep && !(r->blanks && *q == '\t')) {
			q++;
		}
		const char *a = p, *b = q;
		while (a < b && (*a == ' ' || *a == '\t')) {
			a++;
		}
		while (b > a && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (c == n || a == b || value_like(a, (size_t)(b - a)) ||
		    (!(text[c] = strndup(a, (size_t)(b - a))))) {
			c = n + 1;
			break;
		}
		lens[c++] = (size_t)(b - a);
		p = q + 1;
		while (r->blanks && p < r->comment_e && (*p == ' ' || *p == '\t')) {
			p++;
		}
	}
	if (c != n) {
		free_names(text, lens, n);
		return false;
	}
	*ret_text = text;
	*ret_len = lens;
	return true;
}

static tl_status parse_header(struct csv *r, size_t n, const tl_read_opts *o,
			      const struct col_spec *spec) {
	char **text = NULL;
	size_t *lens = NULL;
	bool data = false, commented = false;
	tl_status st = header_names(r, n, &text, &lens, &data);
	char **ctext;
	size_t *clens;
	if (st == TL_OK && data && !spec && comment_names(r, n, &ctext, &clens)) {
		free_names(text, lens, n);
		text = ctext;
		lens = clens;
		data = false;
		commented = true;
	}
	struct col_map *m = st == TL_OK ? malloc(sizeof(*m)) : NULL;
	if (st == TL_OK && !m) {
		st = nomem(r);
	}
	if (st == TL_OK) {
		struct col_header h = {n, (const char *const *)text, lens};
		char msg[TL_ERROR_MSG_MAX];
		int bad = -1;
		st = col_assign(&h, spec, data, m, &bad, msg, sizeof(msg));
		if (st == TL_ERR_NOMEM) {
			st = nomem(r);
		} else if (st != TL_OK) {
			st = fail_at(r, bad >= 0 ? FIELD_POS(&r->f[bad]) : r->rec_start, "%s", msg);
		}
	}
	if (st == TL_OK) {
		r->ncols = n;
		r->headerless = m->headerless || commented;
		r->back = m->col[R_START] < 0 && m->col[R_STOP] >= 0 && m->col[R_DUR] >= 0;
		for (int i = 0; i < R_COUNT; i++) {
			r->col[i] = m->col[i];
			tl_unit u = m->unit[i];
			r->bare[i] = u == TL_UNIT_DEFAULT && o->unit == TL_UNIT_DEFAULT;
			r->scale[i] = unit_scale(u != TL_UNIT_DEFAULT ? u : o->unit);
			r->mult[i] = m->mult[i];
		}
		st = tl_trace_meta_set(r->trace, TL_META_COLUMNS, m->note, r->err);
	}
	free_names(text, lens, n);
	free(m);
	return st;
}

/*
 * The first bare number of a start, stop or time column decides the unit of
 * every bare column by its size: a number that large (from 10^11) is not
 * seconds of anything. Read as epoch milliseconds, microseconds or
 * nanoseconds (as int(time.time() * 1000) and the like give), it is a time
 * from 2000 to a day from now; otherwise it is a clock's nanoseconds
 * (time.perf_counter_ns(), CLOCK_MONOTONIC: time since boot), the unit such
 * clocks count in.
 */
static void guess_unit(struct csv *r, const char *s, size_t len) {
	r->guessed = true;
	int64_t v;
	if (tl_parse_decimal(s, len, 0, &v) != TL_NUM_OK) {
		return;
	}
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (m < 100000000000ULL) {
		return;
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
	r->guess_epoch = scale != 0;
	scale = scale < 0 ? 0 : scale;
	for (int i = 0; i < R_COUNT; i++) {
		if (r->bare[i]) {
			r->scale[i] = scale;
		}
	}
	r->guess_scale = scale;
	tl_excerpt(s, len, r->guess_example, sizeof(r->guess_example));
}

/* A number in role's unit: a power of ten, and minutes, hours or days on top. */
static tl_num parse_scaled(struct csv *r, const char *s, size_t len, enum col_role role,
			   tl_ns *ret) {
	tl_num rc = tl_parse_time(s, len, r->scale[role], ret);
	if (rc != TL_NUM_OK || r->mult[role] == 1) {
		return rc;
	}
	/* Exact: the fraction of a minute is kept by scaling the text first. */
	rc = tl_parse_decimal(s, len, r->scale[role], ret);
	if (rc == TL_NUM_OK && (__builtin_mul_overflow(*ret, r->mult[role], ret) ||
				*ret > TL_TIME_MAX || *ret < -TL_TIME_MAX)) {
		rc = TL_NUM_RANGE;
	}
	return rc;
}

/* A bare number in role's unit; a decimal comma too when commas do not separate fields. */
static tl_num parse_number(struct csv *r, const struct field *f, enum col_role role, tl_ns *ret) {
	if (!r->guessed && r->bare[role] && role != R_DUR && role != R_WAIT) {
		guess_unit(r, f->s, f->len);
	}
	tl_num rc = parse_scaled(r, f->s, f->len, role, ret);
	if (rc != TL_NUM_SYNTAX || r->sep == ',' || f->len >= 64) {
		return rc;
	}
	const char *comma = memchr(f->s, ',', f->len);
	if (!comma || memchr(comma + 1, ',', f->len - (size_t)(comma - f->s) - 1) ||
	    memchr(f->s, '.', f->len)) {
		return rc;
	}
	char buf[64];
	memcpy(buf, f->s, f->len);
	buf[comma - f->s] = '.';
	return parse_scaled(r, buf, f->len, role, ret);
}

static const char *tkind_name(enum tkind k) {
	switch (k) {
	case TK_NUMBER:
		return "numbers";
	case TK_DATETIME:
		return "dates and times";
	case TK_TOD:
		return "times of day";
	case TK_DURTEXT:
		return "durations";
	default:
		return "empty";
	}
}

/* A time written as text: a date-time, a time of day or a duration ("1m 4s"). */
static tl_status parse_time_text(struct csv *r, const struct field *f, enum col_role role,
				 const char *what, tl_ns *ret) {
	const char *s;
	size_t len;
	field_text(r, f, &s, &len);
	char ex[64];
	tl_excerpt(s, len, ex, sizeof(ex));
	enum tkind got = TK_UNSET;
	bool date_only;
	tl_num rc = TL_NUM_SYNTAX;
	if (role == R_DUR || role == R_WAIT) {
		rc = tl_parse_duration_text(s, len, ret);
		got = rc == TL_NUM_OK ? TK_DURTEXT : TK_UNSET;
	} else if ((rc = tl_parse_datetime(s, len, ret, &date_only)) == TL_NUM_OK) {
		got = TK_DATETIME;
	} else if (rc != TL_NUM_RANGE && tl_parse_time_of_day(s, len, ret) == TL_NUM_OK) {
		got = TK_TOD;
	} else if (rc != TL_NUM_RANGE && (rc = tl_parse_duration_text(s, len, ret)) == TL_NUM_OK) {
		got = TK_DURTEXT;
	}
	enum tkind had = r->tk[role];
	int64_t num;
	if (got == TK_UNSET && had != TK_UNSET && had != TK_NUMBER &&
	    tl_parse_decimal(s, len, 0, &num) == TL_NUM_OK) {
		return fail_at(r, FIELD_POS(f),
			       "%s '%s' is one of numbers; earlier rows of its column hold %s",
			       what, ex, tkind_name(had));
	}
	if (got == TK_UNSET) {
		if (rc == TL_NUM_RANGE) {
			return fail_at(r, FIELD_POS(f), "%s '%s' is out of range", what, ex);
		}
		return fail_at(r, FIELD_POS(f),
			       role == R_DUR || role == R_WAIT
				       ? "%s '%s' is not a number or a duration"
				       : "%s '%s' is not a number, a date-time or a duration",
			       what, ex);
	}
	bool relative = (had == TK_NUMBER || had == TK_DURTEXT) && got == TK_DURTEXT;
	if (had != TK_UNSET && had != got && !relative) {
		return fail_at(r, FIELD_POS(f),
			       "%s '%s' is one of %s; earlier rows of its column hold %s", what, ex,
			       tkind_name(got), tkind_name(had));
	}
	if (had == TK_UNSET) {
		r->tk[role] = got;
	}
	r->absolute |= got == TK_DATETIME;
	r->naive |= got == TK_DATETIME && !tl_datetime_zoned(s, len);
	return TL_OK;
}

/* parse_time() for all but a plain number in a column of numbers. */
static __attribute__((noinline)) tl_status parse_time_slow(struct csv *r, const struct field *f,
							   enum col_role role,
							   enum col_role what_role, tl_ns *ret) {
	const char *what = role_time_name[what_role];
	tl_num rc = TL_NUM_SYNTAX;
	if (r->tk[role] != TK_DATETIME && r->tk[role] != TK_TOD) {
		rc = parse_number(r, f, role, ret);
		if (rc == TL_NUM_OK) {
			if (r->tk[role] == TK_UNSET) {
				r->tk[role] = TK_NUMBER;
			}
			return TL_OK;
		}
	}
	if (rc == TL_NUM_SYNTAX) {
		return parse_time_text(r, f, role, what, ret);
	}
	char ex[64];
	const char *s;
	size_t len;
	field_text(r, f, &s, &len);
	tl_excerpt(s, len, ex, sizeof(ex));
	if (rc == TL_NUM_NONFINITE) {
		return fail_at(r, FIELD_POS(f), "%s '%s' is not a finite number", what, ex);
	}
	int64_t as_ns;
	if (r->bare[role] && r->scale[role] == 9 &&
	    tl_parse_decimal(s, len, 0, &as_ns) == TL_NUM_OK) {
		return fail_at(r, FIELD_POS(f),
			       "%s '%s' is out of range in seconds (--time-unit ms, us or ns "
			       "names another unit)",
			       what, ex);
	}
	return fail_at(r, FIELD_POS(f), "%s '%s' is out of range", what, ex);
}

/* Parse a time field of role's column; what_role names it in messages. */
static inline __attribute__((always_inline)) tl_status
parse_time(struct csv *r, const struct field *f, enum col_role role, enum col_role what_role,
	   tl_ns *ret) {
	if (r->tk[role] == TK_NUMBER && (r->guessed || !r->bare[role]) && r->mult[role] == 1 &&
	    tl_parse_time(f->s, f->len, r->scale[role], ret) == TL_NUM_OK) {
		return TL_OK;
	}
	return parse_time_slow(r, f, role, what_role, ret);
}

/* Intern a string column's value, reusing the previous row's id when equal. */
static tl_status column_str(struct csv *r, enum col_role role, tl_str *ret_id) {
	int c = r->col[role];
	if (c < 0 || r->f[c].len == 0) {
		*ret_id = TL_STR_NONE;
		return TL_OK;
	}
	const struct field *f = &r->f[c];
	const char *s;
	size_t len;
	field_text(r, f, &s, &len);
	struct strcache *k = &r->cache[role];
	if (k->s && k->len == len && memcmp(k->s, s, len) == 0) {
		*ret_id = k->id;
		return TL_OK;
	}
	size_t bad = tl_utf8_check(s, len);
	if (bad != len) {
		/* Point at the bad byte when the field is raw bytes of the line. */
		if (!f->escaped) {
			return fail_at(r, f->s + bad, "invalid UTF-8");
		}
		return fail_at(r, FIELD_POS(f), "invalid UTF-8");
	}
	tl_status st = tl_trace_intern(r->trace, s, len, ret_id, r->err);
	if (st != TL_OK) {
		return st;
	}
	k->id = *ret_id;
	k->s = tl_trace_str(r->trace, *ret_id);
	k->len = len;
	return TL_OK;
}

/* Job counters for every group of the trace; both share one capacity, doubled. */
static tl_status job_counters(struct csv *r) {
	size_t ng = tl_trace_group_count(r->trace);
	if (ng <= r->njobctr) {
		return TL_OK;
	}
	size_t cap = r->njobctr, cap_named = r->njobctr;
	if (!tl_grow((void **)&r->next_job, &cap, ng, sizeof(*r->next_job)) ||
	    !tl_grow((void **)&r->next_named, &cap_named, cap, sizeof(*r->next_named))) {
		return nomem(r);
	}
	for (size_t g = r->njobctr; g < cap; g++) {
		r->next_job[g] = 0;
		r->next_named[g] = 0;
	}
	r->njobctr = cap;
	return TL_OK;
}

static tl_status row_group(struct csv *r, uint32_t *ret_group) {
	tl_str id;
	tl_status st = column_str(r, R_GROUP, &id);
	if (st != TL_OK) {
		return st;
	}
	if (r->group_valid && r->group_str == id) {
		*ret_group = r->group_idx;
		return TL_OK;
	}
	const char *name = tl_trace_str(r->trace, id);
	st = tl_trace_group(r->trace, name, strlen(name), ret_group, r->err);
	if (st != TL_OK) {
		return st;
	}
	/* A group per row is common: job_counters() doubles. */
	st = job_counters(r);
	if (st != TL_OK) {
		return st;
	}
	r->group_str = id;
	r->group_idx = *ret_group;
	r->group_valid = true;
	return TL_OK;
}

/* A job given as text: numbered per group in order of first appearance. */
static tl_status named_job(struct csv *r, uint32_t group, tl_str name, int64_t *ret_job) {
	if ((r->names_n + 1) * 2 > r->names_cap) {
		size_t ncap = r->names_cap ? r->names_cap * 2 : 64;
		struct jobname *nn = calloc(ncap, sizeof(*nn));
		if (!nn) {
			return nomem(r);
		}
		for (size_t i = 0; i < r->names_cap; i++) {
			if (r->names[i].key) {
				size_t k = tl_mix64(r->names[i].key) & (ncap - 1);
				while (nn[k].key) {
					k = (k + 1) & (ncap - 1);
				}
				nn[k] = r->names[i];
			}
		}
		free(r->names);
		r->names = nn;
		r->names_cap = ncap;
	}
	uint64_t key = (((uint64_t)group << 32) | name) + 1;
	size_t k = tl_mix64(key) & (r->names_cap - 1);
	while (r->names[k].key) {
		if (r->names[k].key == key) {
			*ret_job = r->names[k].job;
			return TL_OK;
		}
		k = (k + 1) & (r->names_cap - 1);
	}
	r->names[k] = (struct jobname){.key = key, .job = r->next_named[group]++};
	r->names_n++;
	*ret_job = r->names[k].job;
	return TL_OK;
}

/* s (len bytes) equals the lower-case ASCII word w, ignoring case. */
static bool word_ci(const char *s, size_t len, const char *w) {
	size_t i = 0;
	for (; i < len && w[i]; i++) {
		if ((s[i] | 0x20) != w[i]) {
			return false;
		}
	}
	return i == len && !w[i];
}

/* Room to undo quotes in every field of a row, twice over for messages. */
static tl_status ensure_scratch(struct csv *r, const char *row_start) {
	size_t need = 2 * (size_t)(r->p - row_start) + 16;
	r->scratch_used = 0;
	if (need <= r->scratch_cap) {
		return TL_OK;
	}
	free(r->scratch);
	r->scratch = malloc(need);
	r->scratch_cap = r->scratch ? need : 0;
	return r->scratch ? TL_OK : nomem(r);
}

/* A row that cannot be drawn for want of a start (or a time): counted, and skipped. */
/* role: the column whose value is missing; what names it. */
static tl_status skip_row(struct csv *r, enum col_role role, const char *what) {
	if (r->strict) {
		int c = r->col[role];
		return fail_at(r, FIELD_POS(&r->f[c >= 0 ? c : 0]), "missing %s", what);
	}
	if (!r->skipped++) {
		r->skipped_line = r->rec_line;
		r->skipped_what = what;
	}
	return TL_OK;
}

/* The row's kind: 0 span, 1 sample, 2 a group declaration (done), -1 error. */
static int row_kind(struct csv *r, tl_status *st) {
	const struct field *kf = get(r, R_KIND);
	if (!kf) {
		bool spans = r->col[R_START] >= 0 || r->back;
		return !spans || (!get_time(r, R_START) && get_time(r, R_TIME)) ? 1 : 0;
	}
	const char *s;
	size_t len;
	field_text(r, kf, &s, &len);
	if (word_ci(s, len, "span")) {
		return 0;
	}
	if (word_ci(s, len, "sample")) {
		return 1;
	}
	if (word_ci(s, len, "group")) {
		/* A declaration: the group exists, at this place in the order, rows or not. */
		uint32_t group;
		*st = row_group(r, &group);
		return *st == TL_OK ? 2 : -1;
	}
	char ex[64];
	*st = fail_at(r, FIELD_POS(kf), "unknown kind '%s': expected span, sample or group",
		      tl_excerpt(s, len, ex, sizeof(ex)));
	return -1;
}

/* The row's job: a number, or text numbered per group (which also labels the span). */
static tl_status row_job(struct csv *r, uint32_t group, bool *has_job, int64_t *job, tl_str *label,
			 bool *named) {
	const struct field *jf = get(r, R_JOB);
	*has_job = false;
	*named = false;
	if (!jf || missing_word(jf->s, jf->len)) {
		return TL_OK;
	}
	*has_job = true;
	if (tl_parse_int(jf->s, jf->len, job) == TL_NUM_OK) {
		return TL_OK;
	}
	*named = true;
	tl_str name;
	tl_status st = column_str(r, R_JOB, &name);
	if (st == TL_OK) {
		st = named_job(r, group, name, job);
	}
	*label = name;
	return st;
}

static tl_status stop_before_start(struct csv *r, const struct field *ef, const struct field *sf) {
	char a[64], b[64];
	const char *s1, *s2;
	size_t l1, l2;
	field_text(r, ef, &s1, &l1);
	field_text(r, sf, &s2, &l2);
	return fail_at(r, FIELD_POS(ef), "stop time '%s' is before start time '%s'",
		       tl_excerpt(s1, l1, a, sizeof(a)), tl_excerpt(s2, l2, b, sizeof(b)));
}

/* start + duration, or stop - duration with back: the span's other end. */
static tl_status apply_duration(struct csv *r, const struct field *df, tl_span *sp) {
	tl_ns d;
	tl_status st = parse_time(r, df, R_DUR, R_DUR, &d);
	if (st != TL_OK) {
		return st;
	}
	char a[64];
	const char *s1;
	size_t l1;
	field_text(r, df, &s1, &l1);
	if (d < 0) {
		return fail_at(r, FIELD_POS(df), "duration '%s' is negative",
			       tl_excerpt(s1, l1, a, sizeof(a)));
	}
	bool over =
		r->back ? __builtin_sub_overflow(sp->stop, d, &sp->start) ||
				  sp->start < -TL_TIME_MAX
			: __builtin_add_overflow(sp->start, d, &sp->stop) || sp->stop > TL_TIME_MAX;
	if (over) {
		return fail_at(r, FIELD_POS(df), "%s time %s duration '%s' is out of range",
			       r->back ? "stop" : "start", r->back ? "minus" : "plus",
			       tl_excerpt(s1, l1, a, sizeof(a)));
	}
	return TL_OK;
}

/* A span with no stop: it lasts to the end of its group, known once every row is read. */
static tl_status mark_unfinished(struct csv *r, tl_span *sp) {
	if (r->strict) {
		int c = r->col[R_STOP] >= 0 ? r->col[R_STOP] : r->col[R_DUR];
		return fail_at(r, FIELD_POS(&r->f[c]), "missing stop time");
	}
	r->nunfinished++;
	sp->stop = sp->start;
	sp->status = TL_STATUS_UNFINISHED;
	return TL_OK;
}

/* The span's start and stop (from a stop, a duration, or neither: unfinished). */
static tl_status span_times(struct csv *r, tl_span *sp, bool *ret_skip) {
	const struct field *sf = get_time(r, R_START);
	const struct field *ef = get_time(r, R_STOP);
	const struct field *df = get_time(r, R_DUR);
	tl_status st;
	*ret_skip = false;
	if (r->back) {
		if (!ef || !df) {
			*ret_skip = true;
			return skip_row(r, ef ? R_DUR : R_STOP, ef ? "duration" : "stop time");
		}
		st = parse_time(r, ef, R_STOP, R_STOP, &sp->stop);
		return st != TL_OK ? st : apply_duration(r, df, sp);
	}
	if (!sf) {
		*ret_skip = true;
		return skip_row(r, R_START, "start time");
	}
	st = parse_time(r, sf, R_START, R_START, &sp->start);
	if (st != TL_OK) {
		return st;
	}
	/* Times of day: a start half a day before the previous one is likely the next day. */
	if (r->tk[R_START] == TK_TOD) {
		if (r->tod_seen && sp->start < r->tod_prev - (tl_ns)43200 * 1000000000 &&
		    !r->tod_back_line) {
			r->tod_back_line = r->rec_line;
		}
		r->tod_prev = sp->start;
		r->tod_seen = true;
	}
	if (ef) {
		st = parse_time(r, ef, R_STOP, R_STOP, &sp->stop);
		if (st != TL_OK) {
			return st;
		}
		/* Times of day: a stop before its start is on the next day. */
		if (sp->stop < sp->start && r->tk[R_STOP] == TK_TOD && r->tk[R_START] == TK_TOD) {
			sp->stop += (tl_ns)86400 * 1000000000;
			r->next_day++;
		}
		return sp->stop < sp->start ? stop_before_start(r, ef, sf) : TL_OK;
	}
	if (df) {
		return apply_duration(r, df, sp);
	}
	if (r->col[R_STOP] < 0 && r->col[R_DUR] < 0) {
		return fail_at(r, FIELD_POS(sf),
			       "span has a start time but the header has no stop or duration "
			       "column");
	}
	return mark_unfinished(r, sp);
}

/* The queue wait column's value (a duration, not negative); none when empty. */
static tl_status span_wait(struct csv *r, tl_span *sp) {
	const struct field *wf = get_time(r, R_WAIT);
	if (!wf) {
		return TL_OK;
	}
	tl_status st = parse_time(r, wf, R_WAIT, R_WAIT, &sp->wait);
	if (st == TL_OK && sp->wait < 0) {
		char a[64];
		const char *s;
		size_t l;
		field_text(r, wf, &s, &l);
		return fail_at(r, FIELD_POS(wf), "wait '%s' is negative",
			       tl_excerpt(s, l, a, sizeof(a)));
	}
	return st;
}

static tl_status span_status(struct csv *r, tl_span *sp) {
	const struct field *xf = get(r, R_STATUS);
	if (!xf || sp->status == TL_STATUS_UNFINISHED) {
		return TL_OK;
	}
	const char *s;
	size_t len;
	field_text(r, xf, &s, &len);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	/* pandas writes a missing exit code as NaN (and the others as 0.0). */
	if (missing_word(s, len)) {
		return TL_OK;
	}
	if (!tl_status_from_string(s, len, &sp->status)) {
		char ex[64];
		tl_excerpt(s, len, ex, sizeof(ex));
		if (r->strict) {
			return fail_at(r, FIELD_POS(xf),
				       "unknown status '%s': expected an exit code, ok, failed, "
				       "timeout or a signal name",
				       ex);
		}
		/* A column named like a status may hold something else (a US state). */
		if (!r->odd_status++) {
			r->odd_status_line = r->rec_line;
			snprintf(r->odd_status_text, sizeof(r->odd_status_text), "%s", ex);
		}
	}
	return TL_OK;
}

static tl_status row_sample(struct csv *r, uint32_t group, tl_str worker, bool has_job, int64_t job,
			    bool later) {
	const struct field *tf = get_time(r, R_TIME);
	enum col_role trole = R_TIME;
	if (!tf) {
		tf = get_time(r, R_START);
		trole = R_START;
	}
	if (!tf) {
		return skip_row(r, r->col[R_TIME] >= 0 ? R_TIME : R_START, "time");
	}
	tl_sample sa = {.group = group, .worker = worker, .job = has_job ? job : 0};
	tl_status st = parse_time(r, tf, trole, R_TIME, &sa.t);
	/* A sample whose job is numbered later is kept, even when the others are not. */
	return st != TL_OK ? st
	       : later     ? tl_trace_add_sample_kept(r->trace, &sa, r->err)
			   : tl_trace_add_sample(r->trace, &sa, r->err);
}

/* How many samples, or spans, the trace has. */
static size_t count_of(struct csv *r, bool samples) {
	size_t n;
	if (samples) {
		return tl_trace_sample_count(r->trace);
	}
	tl_trace_spans(r->trace, &n);
	return n;
}

/* Rows of that kind read so far: samples kept and those counted in their tracks only. */
static size_t rows_read(struct csv *r, bool samples) {
	return count_of(r, samples) + (samples ? r->trace->nsummarized : 0);
}

/*
 * A span or sample (index i) whose job the job column does not give as a
 * number: a name (numbered n among its group's names) or nothing. If the
 * row was skipped, nothing was added and nothing is kept.
 */
static tl_status later_job(struct csv *r, size_t i, bool sample, bool named, int64_t n) {
	size_t now = count_of(r, sample);
	if (now == i) {
		return TL_OK;
	}
	if (!tl_grow((void **)&r->later, &r->later_cap, r->nlater + 1, sizeof(*r->later))) {
		return nomem(r);
	}
	r->later[r->nlater++] = (struct later){i, n, sample, named};
	return TL_OK;
}

static tl_status row(struct csv *r, size_t n) {
	if (n != r->ncols) {
		if (n > r->ncols) {
			return fail_at(r, FIELD_POS(&r->f[r->ncols]),
				       "row has %zu fields, the header has %zu", n, r->ncols);
		}
		return fail_at(r, r->rec_end, "row has %zu field%s, the header has %zu", n,
			       n == 1 ? "" : "s", r->ncols);
	}
	tl_status st = TL_OK;
	int kind = row_kind(r, &st);
	if (kind < 0 || kind == 2) {
		return st;
	}
	uint32_t group;
	st = row_group(r, &group);
	if (st != TL_OK) {
		return st;
	}
	tl_str worker, label = TL_STR_NONE;
	st = column_str(r, R_WORKER, &worker);
	if (st != TL_OK) {
		return st;
	}
	bool has_job, named;
	int64_t job = 0;
	st = row_job(r, group, &has_job, &job, &label, &named);
	if (st != TL_OK) {
		return st;
	}
	/* Jobs the column does not number: numbered once every number in it is known. */
	bool later = r->col[R_JOB] >= 0 && (named || !has_job);
	size_t before = later ? count_of(r, kind == 1) : 0;
	if (kind == 1) {
		st = row_sample(r, group, worker, has_job, job, later);
		return st == TL_OK && later ? later_job(r, before, true, named, job) : st;
	}
	tl_span sp = {.group = group, .worker = worker, .label = label};
	bool skip;
	st = span_times(r, &sp, &skip);
	if (st != TL_OK || skip) {
		return st;
	}
	st = span_status(r, &sp);
	if (st == TL_OK) {
		st = span_wait(r, &sp);
	}
	if (st != TL_OK) {
		return st;
	}
	if (r->col[R_LABEL] >= 0 && r->f[r->col[R_LABEL]].len) {
		st = column_str(r, R_LABEL, &sp.label);
		if (st != TL_OK) {
			return st;
		}
	}
	/* A span with no job is numbered by its row within the group, as pandas' index would. */
	int64_t row_no = r->next_job[group]++;
	sp.job = has_job ? job : row_no;
	st = tl_trace_add_span(r->trace, &sp, r->err);
	return st == TL_OK && later ? later_job(r, before, false, named, job) : st;
}

static size_t count_lines(const char *p, const char *end) {
	size_t n = 1;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Line ends in [p, end), and the first NUL byte there in *nul (left alone
 * when there is none or *nul is set): one pass over the bytes, a block at a
 * time, so that the second look at a block finds it in the cache.
 */
static size_t scan_lines(const char *p, const char *end, const char **nul) {
	size_t n = 0;
	while (p < end) {
		size_t blk = (size_t)(end - p) < ((size_t)256 << 10) ? (size_t)(end - p)
								     : (size_t)256 << 10;
		if (!*nul) {
			*nul = memchr(p, '\0', blk);
		}
		n += count_lines(p, p + blk) - 1;
		p += blk;
	}
	return n;
}

/* A NUL byte in [from, to): the error tl_check_text() gives for the whole input. */
static tl_status check_nul(struct csv *r, const char *from, const char *to) {
	if (to > from && memchr(from, '\0', (size_t)(to - from))) {
		return tl_check_text(r->data, (size_t)(r->end - r->data), r->name, r->err);
	}
	r->checked = to > r->checked ? to : r->checked;
	return TL_OK;
}

tl_status tl_csv_read(const char *data, size_t len, const char *name, tl_unit unit,
		      tl_trace **ret_trace, struct tl_error *err) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .unit = unit};
	return tl_csv_read_mapped(data, len, name, &o, false, ret_trace, err);
}

/*
 * How far a reader goes between giving pages back: every reading thread
 * keeps up to this much of the file resident behind it.
 */
#define DROP_EVERY ((size_t)8 << 20)

/* The bytes looked at for a NUL before the header is read: the header's, almost always. */
#define NUL_HEAD ((size_t)1 << 20)

/* Give back the pages wholly before the current record. */
static void drop_pages(const char *data, const char **dropped, const char *upto) {
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t base = (uintptr_t)data & ~(uintptr_t)(page - 1);
	uintptr_t from = *dropped ? (uintptr_t)*dropped : base;
	uintptr_t to = (uintptr_t)upto & ~(uintptr_t)(page - 1);
	if (to > from) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		*dropped = (const char *)to;
	}
}

/*
 * The field separator, from the first line that is not a comment or blank:
 * of comma, tab, semicolon and pipe, the one that splits it into the most
 * fields outside quotes, preferring one that splits the next line alike.
 */
static char sniff_separator(const char *p, const char *end) {
	static const char cand[] = {',', '\t', ';', '|'};
	size_t count[2][4] = {{0}}, words[2] = {0};
	int line = 0;
	bool quoted = false, blank = true, in_word = false;
	for (; p < end && line < 2; p++) {
		char c = *p;
		if (c == '"') {
			quoted = !quoted;
		}
		if (!quoted && (c == '\n' || c == '\r')) {
			line += !blank;
			blank = true;
			in_word = false;
			continue;
		}
		if (blank && c == '#' && !quoted) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			p = eol ? eol : end - 1;
			continue;
		}
		bool space = !quoted && (c == ' ' || c == '\t');
		if (!space && !in_word) {
			words[line]++;
		}
		in_word = !space;
		if (c != ' ' && c != '\t') {
			blank = false;
		}
		for (int k = 0; k < 4 && !quoted; k++) {
			count[line][k] += c == cand[k];
		}
	}
	int best = 0;
	for (int k = 1; k < 4; k++) {
		bool alike = line < 1 || count[1][k] == count[0][k];
		bool best_alike = line < 1 || count[1][best] == count[0][best];
		if ((alike && !best_alike && count[0][k]) ||
		    (alike == best_alike && count[0][k] > count[0][best])) {
			best = k;
		}
	}
	if (count[0][best]) {
		return cand[best];
	}
	/* numpy.savetxt's default: words apart by blanks, as many on the next line. */
	return words[0] >= 2 && line >= 2 && words[1] == words[0] ? ' ' : ',';
}

/*
 * Jobs given as names, or not given, in a column that numbers others come
 * after the group's numbered jobs, so that none takes a number in use: the
 * names in order of first appearance, then the rows with no job.
 */
static tl_status finish_jobs(struct csv *r) {
	if (!r->nlater) {
		return TL_OK;
	}
	size_t ng = tl_trace_group_count(r->trace), nsp, nsa;
	tl_span *sp = tl_trace_spans_mut(r->trace, &nsp);
	const uint32_t *tr = tl_trace_sample_tracks(r->trace, &nsa);
	const tl_track *tk = tl_trace_tracks(r->trace, &(size_t){0});
	int64_t *base = calloc(ng ? ng : 1, sizeof(*base));
	int64_t *unnamed = calloc(ng ? ng : 1, sizeof(*unnamed));
	bool *spx = calloc(nsp ? nsp : 1, sizeof(*spx)), *sax = calloc(nsa ? nsa : 1, sizeof(*sax));
	if (!base || !unnamed || !spx || !sax) {
		free(base);
		free(unnamed);
		free(spx);
		free(sax);
		return nomem(r);
	}
	for (size_t k = 0; k < r->nlater; k++) {
		(r->later[k].sample ? sax : spx)[r->later[k].index] = true;
	}
	for (size_t i = 0; i < nsp; i++) {
		if (!spx[i] && sp[i].job >= base[sp[i].group] && sp[i].job < INT64_MAX) {
			base[sp[i].group] = sp[i].job + 1;
		}
	}
	for (size_t i = 0; i < nsa; i++) {
		const tl_track *x = &tk[tr[i]];
		if (!sax[i] && x->job >= base[x->group] && x->job < INT64_MAX) {
			base[x->group] = x->job + 1;
		}
	}
	/* Samples counted in their tracks only (never numbered later: those are kept). */
	size_t ntk;
	tl_trace_tracks(r->trace, &ntk);
	for (size_t k = 0; k < ntk; k++) {
		const tl_track *x = &tk[k];
		if (tl_trace_track_summarized(r->trace, k) && x->job >= base[x->group] &&
		    x->job < INT64_MAX) {
			base[x->group] = x->job + 1;
		}
	}
	tl_status st = TL_OK;
	bool moved = false;
	for (size_t k = 0; k < r->nlater && st == TL_OK; k++) {
		const struct later *l = &r->later[k];
		uint32_t g =
			l->sample ? tl_trace_sample(r->trace, l->index).group : sp[l->index].group;
		int64_t job, off = l->named ? l->name : r->next_named[g] + unnamed[g]++;
		if (__builtin_add_overflow(base[g], off, &job)) {
			continue; /* numbers near INT64_MAX: the row keeps its own */
		}
		if (l->sample) {
			st = tl_trace_set_sample_job(r->trace, l->index, job, r->err);
			moved = true;
		} else {
			sp[l->index].job = job;
		}
	}
	if (moved) {
		tl_trace_recount_tracks(r->trace);
	}
	free(base);
	free(unnamed);
	free(spx);
	free(sax);
	return st;
}

/* Every span without a stop lasts to the end of its group: its latest time. */
static tl_status finish_unfinished(struct csv *r) {
	if (!r->nunfinished) {
		return TL_OK;
	}
	if (tl_trace_close_unfinished(r->trace, r->err) == SIZE_MAX) {
		return TL_ERR_NOMEM;
	}
	char v[160];
	snprintf(v, sizeof(v), "%zu span%s with no stop (unfinished) drawn to the end of %s group",
		 r->nunfinished, r->nunfinished == 1 ? "" : "s",
		 r->nunfinished == 1 ? "its" : "their");
	return tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "unfinished", v, r->err);
}

/* Notes for people: what was guessed and what was skipped. */
static tl_status reader_notes(struct csv *r) {
	char v[200];
	tl_status st = TL_OK;
	if (r->guess_scale != 9) {
		const char *unit = r->guess_scale == 6   ? "milliseconds"
				   : r->guess_scale == 3 ? "microseconds"
							 : "nanoseconds";
		if (r->guess_epoch) {
			snprintf(v, sizeof(v),
				 "bare times read as %s since 1970 (%s is too large for "
				 "seconds); --time-unit says otherwise",
				 unit, r->guess_example);
		} else {
			snprintf(v, sizeof(v),
				 "bare times read as a clock's nanoseconds (%s is too large for "
				 "seconds and no epoch time); --time-unit says otherwise",
				 r->guess_example);
		}
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "unit", v, r->err);
	}
	if (st == TL_OK && r->next_day) {
		snprintf(v, sizeof(v),
			 "%zu span%s end%s on the next day (a time of day before the start); a "
			 "start after midnight stays on the first day",
			 r->next_day, r->next_day == 1 ? "" : "s", r->next_day == 1 ? "s" : "");
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "next_day", v, r->err);
	}
	if (st == TL_OK && r->tod_back_line) {
		snprintf(v, sizeof(v),
			 "line %ld starts half a day before the line above: times of day are read "
			 "within one day, so a log across midnight draws the next day's jobs first",
			 r->tod_back_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "midnight", v, r->err);
	}
	if (st == TL_OK && r->odd_status) {
		snprintf(v, sizeof(v),
			 "%zu status%s read as success: '%s' (line %ld) is no exit code, signal or "
			 "state word; --columns status= ignores the column",
			 r->odd_status, r->odd_status == 1 ? "" : "es", r->odd_status_text,
			 r->odd_status_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "status", v, r->err);
	}
	if (st == TL_OK && r->skipped) {
		snprintf(v, sizeof(v), "%zu row%s with no %s skipped (the first on line %ld)",
			 r->skipped, r->skipped == 1 ? "" : "s", r->skipped_what, r->skipped_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "skipped", v, r->err);
	}
	return st;
}

/* Read the header (or, with --columns positions, the first data row) and set up columns. */
static tl_status start_table(struct csv *r, const tl_read_opts *opts, const struct col_spec *spec) {
	size_t n;
	const char *header_from = r->p;
	int rc = read_record(r, &n);
	if (rc < 0) {
		return r->err ? r->err->code : TL_ERR_INPUT;
	}
	if (rc == 0) {
		return fail(r, r->line, r->line_start, r->p, "empty file: no header row");
	}
	tl_status st = ensure_scratch(r, header_from);
	if (st == TL_OK) {
		st = parse_header(r, n, opts, spec);
	}
	if (st == TL_OK && r->headerless) {
		st = row(r, n);
		if (st != TL_OK) {
			tl_error_locate(r->err, st, r->name, r->rec_line, 1);
		}
	}
	return st;
}

/* ---- reading on several threads ---- */

/*
 * A large table of one kind of row (no kind column) is read in chunks on
 * several threads. The part after the header is cut at line ends: a short
 * first chunk, which the calling thread reads with the reader above, exactly
 * as it reads a whole file, then one chunk per processor. Those are read by
 * fast_rows() below, the first on the calling thread, the others each on a
 * thread of its own; it knows only the plain form (fields without quotes,
 * times and jobs that are plain numbers in the units the first chunk fixed)
 * and gives up on anything else. Rows go straight into the
 * room the trace reserved for them: in the plain form every line is a row, so
 * a chunk's first row lands where the rows of the lines before it end.
 * Strings a chunk meets that the trace did not know when it started get the
 * ids they would have if nothing else were interned before them; the chunks
 * are merged in file order, interning strings and creating groups in the
 * order the one-thread reader would have, and ids are rewritten only when a
 * guess was wrong.
 *
 * Whatever a chunk gives up on (quotes, which may hold line breaks;
 * comments; blank or odd lines; any value that is not plain, and so any bad
 * value), the calling thread reads that chunk and every later one itself, as
 * it would have without threads: the trace and every message are those of
 * one thread. So is a first chunk whose rows are not one per line.
 */

/* Tables smaller than this are read on one thread. */
static size_t split_min = (size_t)4 << 20;
static int split_threads; /* 0: one per online processor */

void tl_csv_set_split(size_t min_bytes, int threads) {
	split_min = min_bytes;
	split_threads = threads;
}

#define SPLIT_MAX 8
#define SPLIT_HEAD ((size_t)64 << 10) /* the first chunk, at most */
#define SPLIT_KNOWN_MAX 256           /* strings the trace may hold when chunks start */

/* A string a chunk met that the trace did not hold when the chunk started. */
struct newstr {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

/* What the one-thread reader would have done at this point: intern, or create a group. */
struct chunk_event {
	uint32_t id;    /* the string (as guessed) */
	uint32_t group; /* for a group: its index as guessed, else UINT32_MAX */
};

struct chunk {
	const struct csv *r;     /* the reader's column settings: read only */
	const char *p, *end;     /* whole lines */
	const char *data;        /* the mapping, for page alignment */
	bool drop_behind;        /* give back pages as they are read */
	size_t lines;            /* line ends in [p, end) */
	const char *nul;         /* the first NUL byte there, if any */
	bool samples;            /* rows are samples (else spans) */
	tl_span *spans;          /* where the chunk's rows go: spans, */
	tl_ns *times;            /* or samples' times */
	uint32_t *ids;           /* and tracks (as guessed) */
	struct tl_tracks tracks; /* the trace's when the chunk started, then those met here */
	size_t n;                /* rows read */
	tl_ns lo, hi;            /* their time range */
	bool ok;                 /* every line was read */
	const atomic_bool *stop; /* set when the calling thread needs no more */
	struct field *f;         /* ncols fields of the current line */
	/* The strings and groups the trace held when the chunk started. */
	struct tl_strent *known;
	size_t nknown;
	uint32_t *grp; /* by string id (as guessed): group + 1, 0 when it names none */
	size_t grpcap;
	size_t ngroups;
	struct newstr *fresh; /* strings first met here, in order: ids from nknown */
	size_t nfresh, freshcap;
	uint32_t *ftab; /* open addressing: index into fresh + 1 */
	size_t fcap;
	struct chunk_event *ev;
	size_t nev, evcap;
	struct strcache cache[R_COUNT];
	pthread_t tid;
	bool started;
};

static uint32_t fnv1a(const char *s, size_t len) {
	uint32_t h = 2166136261u; /* as the trace hashes its strings */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * The line ends of a chunk. When the reader gives pages back, so does the
 * count, as it goes: else the whole file would be resident at once before
 * the first row is read.
 */
static void *count_chunk(void *arg) {
	struct chunk *c = arg;
	if (!c->drop_behind) {
		c->lines = scan_lines(c->p, c->end, &c->nul);
		return NULL;
	}
	/* Pages from the chunk's first whole one on: the page before is another's. */
	long page = sysconf(_SC_PAGESIZE);
	const char *dropped =
		(const char *)(((uintptr_t)c->p + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
	c->lines = 0;
	for (const char *p = c->p; p < c->end;) {
		const char *to = (size_t)(c->end - p) > DROP_EVERY ? p + DROP_EVERY : c->end;
		c->lines += scan_lines(p, to, &c->nul);
		p = to;
		drop_pages(c->data, &dropped, p);
	}
	return NULL;
}

static bool chunk_event(struct chunk *c, uint32_t id, uint32_t group) {
	if (!tl_grow((void **)&c->ev, &c->evcap, c->nev + 1, sizeof(*c->ev))) {
		return false;
	}
	c->ev[c->nev++] = (struct chunk_event){id, group};
	return true;
}

/* Whether a (len bytes) equals b: a byte loop, as the strings compared are short. */
static inline bool same_bytes(const char *a, const char *b, size_t len) {
	for (size_t i = 0; i < len; i++) {
		if (a[i] != b[i]) {
			return false;
		}
	}
	return true;
}

/* The id string s (len bytes) will have; false to give up (bad UTF-8, out of memory). */
static bool chunk_str_new(struct chunk *c, enum col_role role, const char *s, size_t len,
			  tl_str *ret);

/* chunk_str_new() unless s is the string the column had on the row before. */
static inline bool chunk_str(struct chunk *c, enum col_role role, const char *s, size_t len,
			     tl_str *ret) {
	const struct strcache *k = &c->cache[role];
	if (k->s && k->len == len && same_bytes(k->s, s, len)) {
		*ret = k->id;
		return true;
	}
	return chunk_str_new(c, role, s, len, ret);
}

static bool chunk_str_new(struct chunk *c, enum col_role role, const char *s, size_t len,
			  tl_str *ret) {
	struct strcache *k = &c->cache[role];
	uint32_t h = fnv1a(s, len);
	tl_str id = 0;
	for (size_t i = 1; i < c->nknown && !id; i++) {
		const struct tl_strent *e = &c->known[i];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			id = (tl_str)i;
		}
	}
	if (!id && (c->nfresh + 1) * 2 > c->fcap) {
		size_t ncap = c->fcap ? c->fcap * 2 : 64;
		uint32_t *nt = calloc(ncap, sizeof(*nt));
		if (!nt) {
			return false;
		}
		for (size_t j = 0; j < c->nfresh; j++) {
			size_t i = c->fresh[j].hash & (ncap - 1);
			while (nt[i]) {
				i = (i + 1) & (ncap - 1);
			}
			nt[i] = (uint32_t)j + 1;
		}
		free(c->ftab);
		c->ftab = nt;
		c->fcap = ncap;
	}
	size_t i = id ? 0 : h & (c->fcap - 1);
	for (; !id && c->ftab[i]; i = (i + 1) & (c->fcap - 1)) {
		const struct newstr *e = &c->fresh[c->ftab[i] - 1];
		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			id = (tl_str)(c->nknown + c->ftab[i] - 1);
		}
	}
	if (!id) {
		id = (tl_str)(c->nknown + c->nfresh);
		if (len > UINT32_MAX - 1 || id >= UINT32_MAX - 1 || tl_utf8_check(s, len) != len ||
		    !tl_grow((void **)&c->fresh, &c->freshcap, c->nfresh + 1, sizeof(*c->fresh)) ||
		    !chunk_event(c, id, UINT32_MAX)) {
			return false;
		}
		c->fresh[c->nfresh++] = (struct newstr){.s = s, .len = (uint32_t)len, .hash = h};
		c->ftab[i] = (uint32_t)c->nfresh;
	}
	*k = (struct strcache){.s = s, .len = len, .id = id};
	*ret = id;
	return true;
}

/* A string column's id, TL_STR_NONE for an absent column or an empty field. */
static inline bool chunk_col_str(struct chunk *c, enum col_role role, tl_str *ret) {
	int col = c->r->col[role];
	if (col < 0 || c->f[col].len == 0) {
		*ret = TL_STR_NONE;
		return true;
	}
	return chunk_str(c, role, c->f[col].s, c->f[col].len, ret);
}

/* The group named by string id, as it will be numbered. */
static bool chunk_group(struct chunk *c, tl_str id, uint32_t *ret) {
	if (id < c->grpcap && c->grp[id]) {
		*ret = c->grp[id] - 1;
		return true;
	}
	size_t cap = c->grpcap;
	if (!tl_grow((void **)&c->grp, &cap, (size_t)id + 1, sizeof(*c->grp))) {
		return false;
	}
	memset(c->grp + c->grpcap, 0, (cap - c->grpcap) * sizeof(*c->grp));
	c->grpcap = cap;
	if (c->ngroups >= UINT32_MAX - 1 || !chunk_event(c, id, (uint32_t)c->ngroups)) {
		return false;
	}
	c->grp[id] = (uint32_t)++c->ngroups;
	*ret = c->grp[id] - 1;
	return true;
}

/* A time or job field that is a plain number: it starts with a digit. */
static inline bool plain(const struct field *f) {
	return f->len && f->s[0] >= '0' && f->s[0] <= '9';
}

/* A job number of at most 18 digits, inline: exact in int64, as tl_parse_int() reads it. */
static inline bool fast_int(const char *s, size_t len, int64_t *ret) {
	if (len == 0 || len > 18) {
		return false;
	}
	int64_t m = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');
		if (d >= 10) {
			return false;
		}
		m = m * 10 + (int64_t)d;
	}
	*ret = m;
	return true;
}

/* parse_time()'s fast path alone: a plain number in a column of numbers. */
static inline bool fast_time(const struct csv *r, const struct field *f, enum col_role role,
			     tl_ns *ret) {
	return plain(f) && r->tk[role] == TK_NUMBER && (r->guessed || !r->bare[role]) &&
	       r->mult[role] == 1 && tl_parse_time(f->s, f->len, r->scale[role], ret) == TL_NUM_OK;
}

/* A role's field as get() sees it: NULL when the column is absent or the field blank. */
static inline const struct field *chunk_get(const struct chunk *c, enum col_role role) {
	int col = c->r->col[role];
	if (col < 0) {
		return NULL;
	}
	const struct field *f = &c->f[col];
	/* Most fields start with neither blank: no need to look further. */
	return f->len && f->s[0] != ' ' && f->s[0] != '\t' ? f : is_blank_field(f) ? NULL : f;
}

/* One row of a chunk, as row() would read it; false to give up. */
static inline bool chunk_row(struct chunk *c) {
	const struct csv *r = c->r;
	tl_str gs, worker, label = TL_STR_NONE;
	uint32_t group;
	if (!chunk_col_str(c, R_GROUP, &gs) || !chunk_group(c, gs, &group) ||
	    !chunk_col_str(c, R_WORKER, &worker)) {
		return false;
	}
	int64_t job = 0;
	if (r->col[R_JOB] >= 0) {
		const struct field *jf = &c->f[r->col[R_JOB]];
		if (!plain(jf) || (!fast_int(jf->s, jf->len, &job) &&
				   tl_parse_int(jf->s, jf->len, &job) != TL_NUM_OK)) {
			return false;
		}
	}
	if (c->samples) {
		const struct field *tf = chunk_get(c, R_TIME);
		enum col_role role = R_TIME;
		if (!tf) {
			tf = chunk_get(c, R_START);
			role = R_START;
		}
		tl_ns v;
		if (!tf || !fast_time(r, tf, role, &v)) {
			return false;
		}
		/* Mostly the row before's track: compared inline, not in a call. */
		uint32_t id = c->tracks.last;
		if (!tl_tracks_is_last(&c->tracks, job, group, worker) &&
		    !tl_tracks_put(&c->tracks,
				   &(tl_track){.job = job, .group = group, .worker = worker}, &id,
				   NULL, NULL)) {
			return false;
		}
		/* Kept, or (tracks only) counted in the track alone. */
		if (c->times) {
			c->times[c->n] = v;
			c->ids[c->n] = id;
		}
		tl_track_count(&c->tracks.v[id], 1, v, v);
		c->lo = v < c->lo ? v : c->lo;
		c->hi = v > c->hi ? v : c->hi;
		c->n++;
		return true;
	}
	tl_span *sp = &c->spans[c->n];
	const struct field *sf = chunk_get(c, R_START), *ef = chunk_get(c, R_STOP);
	if (!sf || !ef || !fast_time(r, sf, R_START, &sp->start) ||
	    !fast_time(r, ef, R_STOP, &sp->stop) || sp->stop < sp->start) {
		return false;
	}
	sp->status = 0;
	const struct field *xf = chunk_get(c, R_STATUS);
	if (xf) {
		const char *s = xf->s;
		size_t len = xf->len;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
			len--;
		}
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		if (!missing_word(s, len) &&
		    (!tl_status_from_string(s, len, &sp->status) || !tl_status_valid(sp->status))) {
			return false;
		}
	}
	if (r->col[R_LABEL] >= 0 && !chunk_col_str(c, R_LABEL, &label)) {
		return false;
	}
	sp->job = job;
	sp->group = group;
	sp->worker = worker;
	sp->label = label;
	c->lo = sp->start < c->lo ? sp->start : c->lo;
	c->hi = sp->stop > c->hi ? sp->stop : c->hi;
	c->n++;
	return true;
}

/* Read a chunk's lines; c->ok when every one was a plain row. */
static void *fast_rows(void *arg) {
	struct chunk *c = arg;
	const struct csv *r = c->r;
	bool stops[256] = {false};
	/* A NUL byte too: a chunk not counted ahead was not looked at for them. */
	stops[(unsigned char)r->sep] = stops['\n'] = stops['\r'] = stops['"'] = stops['\0'] = true;
	const char *q = c->p, *end = c->end;
	/* Pages from the chunk's first whole one on: the page before is another's. */
	long page = sysconf(_SC_PAGESIZE);
	const char *dropped =
		(const char *)(((uintptr_t)q + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1));
	const char *next_drop = q + DROP_EVERY;
	size_t ncols = r->ncols;
	bool ends_line = end > q && end[-1] == '\n';
	c->lo = INT64_MAX;
	c->hi = INT64_MIN;
	while (q < end) {
		if ((c->n & 0xffff) == 0 && atomic_load_explicit(c->stop, memory_order_relaxed)) {
			return NULL;
		}
		if (c->drop_behind && q >= next_drop) {
			drop_pages(c->data, &dropped, q);
			next_drop = q + DROP_EVERY;
		}
		char ch = *q;
		if (ch == '#' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			return NULL;
		}
		size_t n = 0;
		for (;;) {
			const char *s = q;
			if (ends_line) {
				/* The chunk's last byte is a line end: it stops the scan. */
				while (!stops[(unsigned char)*q]) {
					q++;
				}
			} else {
				while (q < end && !stops[(unsigned char)*q]) {
					q++;
				}
			}
			if (n < ncols) {
				c->f[n] = (struct field){.s = s, .len = (size_t)(q - s)};
			}
			n++;
			if (q == end) {
				break;
			}
			if (*q == r->sep) {
				q++;
				continue;
			}
			if (*q == '\n') {
				q++;
				break;
			}
			if (*q == '\r' && q + 1 < end && q[1] == '\n') {
				q += 2;
				break;
			}
			return NULL; /* a quote, or a lone carriage return */
		}
		if (n != ncols || !chunk_row(c)) {
			return NULL;
		}
	}
	c->ok = true;
	return NULL;
}

/* The chunks of one read, and what the trace held when they were planned. */
struct split {
	struct chunk c[SPLIT_MAX + 1];
	size_t n;     /* chunks; 1 when the table is read on one thread */
	bool running; /* threads were started for chunks 1 .. n - 1 */
	bool samples; /* rows are samples (else spans) */
	size_t base;  /* rows of that kind before the first chunk */
	size_t other; /* rows of the other kind */
	long line0;   /* line of the first chunk's first line */
	/*
	 * Samples counted in their tracks only need no room reserved: the chunks
	 * after the first are not counted ahead, and one read whole has a row a
	 * line; a NUL byte stops it, and is looked for when the reader goes on
	 * alone.
	 */
	bool uncounted;
	atomic_bool stop;
	/* The reader's settings as the first row left them: the chunks read this copy, not
	 * the reader the calling thread goes on with. */
	struct csv settings;
};

/*
 * Cut the rows into chunks and count their lines (and look for a NUL byte,
 * *ret_nul), in parallel: the lines [r->p, r->end) have, plus one.
 */
static size_t plan_split(struct csv *r, const char *data, bool drop_behind, bool span_cols,
			 bool uncounted, struct split *s, const char **ret_nul) {
	size_t len = (size_t)(r->end - r->p);
	long cpus = split_threads ? split_threads : sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus < 1 ? 1 : cpus > SPLIT_MAX ? SPLIT_MAX : (size_t)cpus;
	s->n = 1;
	if (k < 2 || len < split_min || r->blanks || r->back || r->col[R_KIND] >= 0 ||
	    r->col[R_WAIT] >= 0 ||
	    (span_cols && (r->col[R_STOP] < 0 || r->col[R_JOB] < 0 || r->col[R_START] < 0))) {
		return scan_lines(r->p, r->end, ret_nul) + 1;
	}
	/*
	 * A short first chunk, read as ever, settles the columns' units; the rest
	 * is cut in k, the calling thread taking the first of them.
	 */
	size_t head = len / (2 * k) < SPLIT_HEAD ? len / (2 * k) : SPLIT_HEAD;
	const char *from = r->p, *rest = r->p + head;
	size_t n = 0;
	for (size_t i = 0; i <= k && from < r->end; i++) {
		const char *to = i == k ? r->end : rest + (len - head) / k * i;
		if (to < from) {
			to = from;
		}
		if (to < r->end) {
			const char *nl = memchr(to, '\n', (size_t)(r->end - to));
			to = nl ? nl + 1 : r->end;
		}
		s->c[n++] = (struct chunk){.r = r,
					   .p = from,
					   .end = to,
					   .data = data,
					   .drop_behind = drop_behind,
					   .samples = !span_cols,
					   .stop = &s->stop};
		from = to;
	}
	for (size_t i = 2; i < n && !uncounted; i++) {
		s->c[i].started = pthread_create(&s->c[i].tid, NULL, count_chunk, &s->c[i]) == 0;
	}
	size_t rows = 1;
	for (size_t i = 0; i < n && !(uncounted && i > 0); i++) {
		if (i < 2 || !s->c[i].started) {
			count_chunk(&s->c[i]);
		} else {
			pthread_join(s->c[i].tid, NULL);
			s->c[i].started = false;
		}
		rows += s->c[i].lines;
		*ret_nul = *ret_nul ? *ret_nul : s->c[i].nul;
	}
	if (n >= 2) {
		s->n = n;
		s->samples = !span_cols;
		s->base = rows_read(r, s->samples);
		s->other = rows_read(r, !s->samples);
		s->line0 = r->line;
		s->uncounted = uncounted;
	}
	return rows;
}

static void chunk_free(struct chunk *c) {
	free(c->f);
	free(c->known);
	free(c->grp);
	free(c->fresh);
	free(c->ftab);
	free(c->ev);
	tl_tracks_free(&c->tracks);
	c->f = NULL;
	c->known = NULL;
	c->grp = NULL;
	c->fresh = NULL;
	c->ftab = NULL;
	c->ev = NULL;
}

/* Start threads on chunks 1 .. n - 1, once the first row has fixed the columns' units. */
static void start_split(struct csv *r, struct split *s) {
	tl_trace *t = r->trace;
	size_t total = s->base + 1, cap = s->samples ? t->capsamples : t->capspans;
	for (size_t i = 0; i < s->n; i++) {
		total += s->c[i].lines;
	}
	/* Samples counted in their tracks only need no room. */
	bool room = (s->samples && t->tracks_only) || total <= cap;
	if (r->p >= s->c[1].p || !room || t->nstrs > SPLIT_KNOWN_MAX) {
		s->n = 1;
		return;
	}
	s->settings = *r;
	size_t off = s->base + s->c[0].lines;
	for (size_t i = 1; i < s->n; i++) {
		struct chunk *c = &s->c[i];
		c->r = &s->settings;
		if (s->samples && !t->tracks_only) {
			c->times = t->stimes + off;
			c->ids = t->strack + off;
		} else if (!s->samples) {
			c->spans = t->spans + off;
		}
		off += c->lines;
		c->f = malloc(r->ncols * sizeof(*c->f));
		c->known = malloc(t->nstrs * sizeof(*c->known));
		c->grpcap = t->nstrs;
		c->grp = calloc(c->grpcap, sizeof(*c->grp));
		if (!c->f || !c->known || !c->grp || !tl_tracks_copy(&c->tracks, &t->tracks)) {
			continue;
		}
		memcpy(c->known, t->strs, t->nstrs * sizeof(*c->known));
		c->nknown = t->nstrs;
		for (size_t g = 0; g < t->ngroups; g++) {
			c->grp[t->groups[g]] = (uint32_t)g + 1;
		}
		c->ngroups = t->ngroups;
		c->started = i == 1 || pthread_create(&c->tid, NULL, fast_rows, c) == 0;
	}
	s->running = true;
}

/*
 * The trace's tracks for those a chunk met, with their group and worker ids
 * mapped as the chunk's strings and groups were: the chunk's track ids are
 * rewritten where they were guessed wrong (when an earlier chunk made tracks
 * of its own first).
 */
static bool merge_tracks(tl_trace *t, struct chunk *c, const tl_str *smap, const uint32_t *gmap) {
	size_t nk = c->tracks.n;
	uint32_t *kmap = malloc((nk ? nk : 1) * sizeof(*kmap));
	bool ok = kmap != NULL, remap = false;
	for (size_t j = 0; ok && j < nk; j++) {
		tl_track k = c->tracks.v[j];
		k.group = gmap[k.group];
		k.worker = smap[k.worker];
		ok = tl_trace_track(t, &k, &kmap[j]);
		remap |= kmap[j] != j;
	}
	/* Samples not kept (tracks only): admitted here, counted in their tracks below. */
	ok = ok && (c->ids || tl_trace_summarize(t, c->n, c->lo, c->hi));
	for (size_t i = 0; ok && remap && c->ids && i < c->n; i++) {
		c->ids[i] = kmap[c->ids[i]];
	}
	for (size_t j = 0; ok && j < nk; j++) {
		const tl_track *k = &c->tracks.v[j];
		if (k->samples) {
			tl_trace_count_track(t, kmap[j], k->samples, k->first, k->last);
		}
	}
	free(kmap);
	return ok;
}

/* Take a chunk's rows into the trace, in file order; false to read it on one thread instead. */
static bool merge_chunk(struct csv *r, struct chunk *c) {
	tl_trace *t = r->trace;
	size_t nsp = t->nspans, nsa = t->nsamples, nsum = t->nsummarized, ntk = t->tracks.n;
	tl_ns tlo = t->tlo, thi = t->thi;
	bool kept = !c->samples || c->ids;
	if (kept && !tl_trace_append_reserved(t, c->samples, c->n, c->lo, c->hi)) {
		return false;
	}
	size_t nids = c->nknown + c->nfresh;
	tl_str *smap = malloc((nids ? nids : 1) * sizeof(*smap));
	uint32_t *gmap = malloc((c->ngroups ? c->ngroups : 1) * sizeof(*gmap));
	bool ok = smap && gmap, remap = false;
	for (size_t i = 0; ok && i < nids; i++) {
		smap[i] = (tl_str)i;
	}
	for (size_t g = 0; ok && g < c->ngroups; g++) {
		gmap[g] = (uint32_t)g;
	}
	for (size_t i = 0; ok && i < c->nev; i++) {
		const struct chunk_event *e = &c->ev[i];
		if (e->group == UINT32_MAX) {
			const struct newstr *ns = &c->fresh[e->id - c->nknown];
			ok = tl_trace_intern(t, ns->s, ns->len, &smap[e->id], NULL) == TL_OK;
			remap |= smap[e->id] != e->id;
		} else {
			const char *name = tl_trace_str(t, smap[e->id]);
			ok = tl_trace_group(t, name, strlen(name), &gmap[e->group], NULL) == TL_OK;
			remap |= gmap[e->group] != e->group;
		}
	}
	ok = ok && job_counters(r) == TL_OK;
	if (ok && c->samples) {
		ok = merge_tracks(t, c, smap, gmap);
	}
	for (size_t i = 0; ok && remap && !c->samples && i < c->n; i++) {
		tl_span *sp = &c->spans[i];
		sp->group = gmap[sp->group];
		sp->worker = smap[sp->worker];
		sp->label = smap[sp->label];
	}
	if (!ok) {
		t->nspans = nsp;
		t->nsamples = nsa;
		t->nsummarized = nsum;
		/* The tracks this chunk made go too: the reader going on alone makes its own. */
		tl_tracks_truncate(&t->tracks, ntk);
		t->tlo = tlo;
		t->thi = thi;
	}
	free(smap);
	free(gmap);
	return ok;
}

/*
 * The first chunk is read: wait for the others and take their rows in order,
 * up to the first that gave up, where the reader goes on by itself.
 */
static tl_status finish_split(struct csv *r, struct split *s, bool keep) {
	bool go = keep && r->p == s->c[1].p && r->line == s->line0 + (long)s->c[0].lines &&
		  rows_read(r, s->samples) == s->base + s->c[0].lines &&
		  rows_read(r, !s->samples) == s->other;
	/* The calling thread's own chunk: only after the first, whose rows it follows. */
	if (go && s->c[1].started) {
		fast_rows(&s->c[1]);
	}
	atomic_store(&s->stop, !go || !s->c[1].ok);
	for (size_t i = 2; i < s->n; i++) {
		if (s->c[i].started) {
			pthread_join(s->c[i].tid, NULL);
		}
	}
	tl_status st = TL_OK;
	size_t k = 1;
	for (; go && k < s->n; k++) {
		struct chunk *c = &s->c[k];
		bool open_end = k == s->n - 1 && c->end > c->p && c->end[-1] != '\n';
		if (s->uncounted && c->ok) {
			c->lines = c->n - open_end; /* read whole: a row a line */
		}
		size_t want = c->lines + open_end;
		if (!c->ok || !c->started || c->n != want || !merge_chunk(r, c)) {
			break;
		}
		r->p = c->end;
		r->line += (long)c->lines;
		r->line_start = c->end;
	}
	if (keep && s->uncounted && (!go || k < s->n)) {
		/* Reading on alone, from a chunk not looked at for NUL bytes. */
		st = check_nul(r, r->p, r->end);
	}
	if (st == TL_OK && go && k > 1 && k < s->n && !s->samples) {
		/* Reading on alone: spans so far per group, as row() counts them. */
		size_t n;
		const tl_span *sp = tl_trace_spans(r->trace, &n);
		st = job_counters(r);
		for (size_t g = 0; st == TL_OK && g < r->njobctr; g++) {
			r->next_job[g] = 0;
		}
		for (size_t i = 0; st == TL_OK && i < n; i++) {
			r->next_job[sp[i].group]++;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		chunk_free(&s->c[i]);
	}
	s->n = 1;
	s->running = false;
	return st;
}

static tl_status read_rows(struct csv *r, const char *data, bool drop_behind) {
	bool span_cols = r->col[R_START] >= 0 || r->back;
	struct split s = {.n = 1};
	/* The header was looked at for NUL bytes; the rest is as the lines are counted. */
	tl_status st = check_nul(r, r->checked, r->p);
	if (st == TL_OK && r->col[R_KIND] < 0) {
		const char *nul = NULL;
		bool uncounted = r->trace->tracks_only && !span_cols;
		size_t rows = plan_split(r, data, drop_behind, span_cols, uncounted, &s, &nul);
		if (nul) {
			s.n = 1;
			return check_nul(r, nul, r->end);
		}
		if (s.uncounted) {
			/* The first chunk, read as ever: looked at here. */
			st = check_nul(r, r->p, s.c[1].p);
		}
		/* Only a hint: a failed reservation leaves growth to doubling. */
		tl_trace_reserve(r->trace, span_cols ? rows : 0, span_cols ? 0 : rows, NULL);
	} else if (st == TL_OK) {
		st = check_nul(r, r->p, r->end);
	}
	if (st != TL_OK) {
		return st;
	}
	const char *limit = s.n > 1 ? s.c[1].p : r->end;
	const char *dropped = NULL, *next_drop = data + DROP_EVERY;
	for (;;) {
		if (s.running && r->p >= limit) {
			st = finish_split(r, &s, true);
			limit = r->end;
			if (st != TL_OK) {
				break;
			}
		}
		const char *row_start = r->p;
		if (drop_behind && row_start >= next_drop) {
			drop_pages(data, &dropped, r->line_start);
			next_drop = row_start + DROP_EVERY;
		}
		size_t n;
		int rc = read_record(r, &n);
		if (rc < 0) {
			st = r->err ? r->err->code : TL_ERR_INPUT;
			break;
		}
		if (rc == 0) {
			break;
		}
		st = ensure_scratch(r, row_start);
		if (st == TL_OK) {
			st = row(r, n);
		}
		if (st != TL_OK) {
			tl_error_locate(r->err, st, r->name, r->rec_line, 1);
			break;
		}
		if (s.n > 1 && !s.running) {
			start_split(r, &s);
			limit = s.n > 1 ? s.c[1].p : r->end;
		}
	}
	if (s.running) {
		finish_split(r, &s, false);
	}
	return st;
}

tl_status tl_csv_read_mapped(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool drop_behind, tl_trace **ret_trace,
			     struct tl_error *err) {
	struct csv r = {
		.name = name ? name : "-",
		.data = data,
		.p = data,
		.end = data + len,
		.line = 1,
		.line_start = data,
		.err = err,
		.strict = opts->strict,
		.guess_scale = 9,
	};
	struct col_spec *spec = NULL;
	tl_status st = TL_OK;
	r.trace = tl_io_trace_new(opts);
	if (!r.trace) {
		st = nomem(&r);
		goto out;
	}
	if (opts->columns) {
		st = col_spec_parse(opts->columns, &spec, err);
		if (st != TL_OK) {
			goto out;
		}
	}
	/* NUL bytes: in the header here, in the rows as read_rows() counts them. */
	r.checked = data + (len < NUL_HEAD ? len : NUL_HEAD);
	st = tl_check_text(data, (size_t)(r.checked - data), r.name, err);
	if (st != TL_OK) {
		goto out;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		r.p += 3;
		r.line_start = r.p;
	}
	r.sep = sniff_separator(r.p, r.end);
	r.blanks = r.sep == ' ';
	r.fend = field_ends[r.sep == ','    ? 0
			    : r.sep == '\t' ? 1
			    : r.sep == ';'  ? 2
			    : r.sep == '|'  ? 3
					    : 4];
	st = start_table(&r, opts, spec);
	if (st == TL_OK && opts->tracks_only && !tl_trace_meta_get(r.trace, TL_META_BENCHMARK)) {
		/* Measuring alone: each sample counted in its track, not kept. */
		tl_trace_keep_tracks_only(r.trace);
	}
	if (st == TL_OK) {
		st = read_rows(&r, data, drop_behind);
	}
	/*
	 * A header and no rows is an empty trace, as pandas reads it: a run
	 * interrupted before any job completed writes exactly that, and its
	 * metadata still says what happened. Drawing it is what fails.
	 */
	if (st == TL_OK) {
		st = finish_jobs(&r);
	}
	if (st == TL_OK) {
		st = finish_unfinished(&r);
	}
	if (st == TL_OK) {
		st = reader_notes(&r);
	}
	if (st == TL_OK) {
		/* The native form (it has a kind column) reads back exactly as written. */
		tl_time_align align = opts->align;
		if (align == TL_TIMES_AUTO && r.col[R_KIND] >= 0) {
			align = TL_TIMES_ABSOLUTE;
		}
		enum tl_io_clock clock =
			r.absolute || r.guess_epoch                         ? TL_CLOCK_EPOCH
			: r.tk[R_START] == TK_TOD || r.tk[R_TIME] == TK_TOD ? TL_CLOCK_TIME_OF_DAY
			: r.guess_scale != 9 && !r.guess_epoch              ? TL_CLOCK_OTHER
							       : TL_CLOCK_EPOCH_IF_LARGE;
		st = tl_io_place_times(r.trace, clock, align, err);
	}
	if (st == TL_OK && r.naive) {
		st = tl_trace_meta_set(r.trace, TL_META_LOCAL_TIME, "1", err);
	}
	if (st == TL_OK && r.col[R_WAIT] >= 0) {
		st = tl_trace_meta_set(r.trace, TL_META_QUEUED, "1", err);
	}
	if (st != TL_OK) {
		goto out;
	}
	*ret_trace = r.trace;
	r.trace = NULL;
out:
	col_spec_free(spec);
	tl_trace_free(r.trace);
	free(r.f);
	free(r.scratch);
	free(r.next_job);
	free(r.next_named);
	free(r.names);
	free(r.later);
	return st;
}

/* ---- writer ---- */

struct out {
	FILE *f;
	size_t n;
	bool failed;
	char buf[1 << 16];
};

/* Room for short fixed-size pieces: numbers and separators. */
#define OUT_SLACK 128

static void out_flush(struct out *o) {
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) {
		o->failed = true;
	}
	o->n = 0;
}

/* A pointer where at least OUT_SLACK bytes may be written. */
static char *out_room(struct out *o) {
	if (o->n + OUT_SLACK > sizeof(o->buf)) {
		out_flush(o);
	}
	return o->buf + o->n;
}

static void out_bytes(struct out *o, const char *s, size_t len) {
	if (o->n + len > sizeof(o->buf)) {
		out_flush(o);
		if (len > sizeof(o->buf)) {
			if (fwrite(s, 1, len, o->f) != len) {
				o->failed = true;
			}
			return;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void out_char(struct out *o, char c) {
	*out_room(o) = c;
	o->n++;
}

static void out_str(struct out *o, const char *s) {
	out_bytes(o, s, strlen(s));
}

/* Quoted when it holds a comma, quote or line break, or starts or ends blank. */
static bool needs_quote(const char *s, size_t len) {
	if (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[0] == '#')) {
		return true;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r') {
			return true;
		}
	}
	return false;
}

static void out_quoted(struct out *o, const char *s, size_t len) {
	out_char(o, '"');
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			out_bytes(o, s + from, i + 1 - from);
			from = i;
		}
	}
	out_bytes(o, s + from, len - from);
	out_char(o, '"');
}

/*
 * The previous value written in one column and whether it needed quotes:
 * consecutive rows repeat their group and worker, so the scan is done once.
 */
struct colcache {
	const char *s;
	size_t len;
	bool quote;
};

static void out_field(struct out *o, struct colcache *c, const char *s, size_t len) {
	if (c->s != s) {
		c->s = s;
		c->len = len;
		c->quote = needs_quote(s, len);
	}
	if (c->quote) {
		out_quoted(o, s, len);
	} else {
		out_bytes(o, s, len);
	}
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
				  "31323334353637383940414243444546474849505152535455565758596061"
				  "62636465666768697071727374757677787980818283848586878889909192"
				  "93949596979899";

/* Decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v) {
	char tmp[24];
	char *e = tmp + sizeof(tmp), *q = e;
	while (v >= 100) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * v, 2);
	} else {
		*--q = (char)('0' + v);
	}
	size_t n = (size_t)(e - q);
	memcpy(p, q, n);
	return p + n;
}

static char *put_i64(char *p, int64_t v) {
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

/* Nanoseconds as seconds with exactly 9 decimals. */
static char *put_seconds(char *p, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (v < 0) {
		*p++ = '-';
	}
	p = put_u64(p, mag / 1000000000u);
	uint32_t f = (uint32_t)(mag % 1000000000u);
	p[0] = '.';
	for (int i = 8; i >= 2; i -= 2) {
		memcpy(p + i, digit_pairs + 2 * (f % 100), 2);
		f /= 100;
	}
	p[1] = (char)('0' + f);
	return p + 10;
}

struct writer {
	struct out *o;
	const tl_trace *t;
	struct colcache group, worker, label;
	bool wait; /* a wait column (the trace knows queue waits: TL_META_QUEUED) */
};

static void out_tstr(struct writer *w, struct colcache *c, tl_str id) {
	out_field(w->o, c, tl_trace_str(w->t, id), tl_trace_str_len(w->t, id));
}

static void out_group(struct writer *w, uint32_t g) {
	const char *name = tl_trace_group_name(w->t, g);
	if (w->group.s == name) {
		out_field(w->o, &w->group, name, w->group.len);
	} else {
		out_field(w->o, &w->group, name, strlen(name));
	}
}

/* "KIND,GROUP,JOB,WORKER," — the part every row starts with. */
static void write_head(struct writer *w, const char *kind, size_t kind_len, uint32_t group,
		       int64_t job, tl_str worker) {
	struct out *o = w->o;
	out_bytes(o, kind, kind_len);
	out_group(w, group);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_i64(p, job);
	*p++ = ',';
	o->n += (size_t)(p - p0);
	out_tstr(w, &w->worker, worker);
}

static void write_span(struct writer *w, const tl_span *s) {
	struct out *o = w->o;
	write_head(w, "span,", 5, s->group, s->job, s->worker);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_seconds(p, s->start);
	*p++ = ',';
	p = put_seconds(p, s->stop);
	*p++ = ',';
	if (s->status >= 0) {
		p = put_u64(p, (uint64_t)s->status);
	} else {
		char buf[16];
		const char *st = tl_status_to_string(s->status, buf);
		size_t n = strlen(st);
		memcpy(p, st, n);
		p += n;
	}
	*p++ = ',';
	o->n += (size_t)(p - p0);
	out_tstr(w, &w->label, s->label);
	if (w->wait) {
		p = p0 = out_room(o);
		*p++ = ',';
		p = put_seconds(p, s->wait);
		o->n += (size_t)(p - p0);
	}
	out_char(o, '\n');
}

static void write_sample(struct writer *w, const tl_sample *s) {
	struct out *o = w->o;
	write_head(w, "sample,", 7, s->group, s->job, s->worker);
	char *p = out_room(o), *p0 = p;
	*p++ = ',';
	p = put_seconds(p, s->t);
	memcpy(p, ",,,\n", 4);
	p += 4;
	if (w->wait) {
		memcpy(p - 1, ",\n", 2);
		p++;
	}
	o->n += (size_t)(p - p0);
}

/* How the input was read is not part of the trace. */
bool tl_io_meta_written(const char *key) {
	return strncmp(key, TL_META_NOTE_PREFIX, strlen(TL_META_NOTE_PREFIX)) != 0 &&
	       strcmp(key, TL_META_COLUMNS) != 0;
}

void tl_io_walk(const tl_trace *t, bool *seen, void (*on_span)(void *, const tl_span *),
		void (*on_sample)(void *, const tl_sample *), void *ctx) {
	size_t nsp, nsa, i = 0, j = 0;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	const tl_ns *ts = tl_trace_sample_times(t, &nsa);
	const uint32_t *tr = tl_trace_sample_tracks(t, &nsa);
	const tl_track *tk = tl_trace_tracks(t, &(size_t){0});
	while (i < nsp || j < nsa) {
		uint32_t g = j < nsa ? tk[tr[j]].group : 0;
		bool take_span;
		if (i == nsp) {
			take_span = false;
		} else if (j == nsa) {
			take_span = true;
		} else if (seen[sp[i].group]) {
			take_span = true;
		} else if (seen[g]) {
			take_span = false;
		} else {
			take_span = sp[i].group <= g;
		}
		if (take_span) {
			seen[sp[i].group] = true;
			on_span(ctx, &sp[i++]);
		} else {
			const tl_track *k = &tk[tr[j]];
			tl_sample s = {
				.t = ts[j++], .job = k->job, .group = g, .worker = k->worker};
			seen[g] = true;
			on_sample(ctx, &s);
		}
	}
}

static void csv_span(void *w, const tl_span *s) {
	write_span(w, s);
}

static void csv_sample(void *w, const tl_sample *s) {
	write_sample(w, s);
}

tl_status tl_csv_write(const tl_trace *t, FILE *f, const char *name, struct tl_error *err) {
	struct out *o = malloc(sizeof(*o));
	size_t ng = tl_trace_group_count(t);
	bool *seen = calloc(ng ? ng : 1, sizeof(*seen));
	if (!o || !seen) {
		free(o);
		free(seen);
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	o->f = f;
	o->n = 0;
	o->failed = false;
	struct writer w = {.o = o, .t = t, .wait = tl_trace_meta_get(t, TL_META_QUEUED) != NULL};
	out_str(o, "# timeline " TL_VERSION " native CSV, times in seconds\n");
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		if (!tl_io_meta_written(k)) {
			continue;
		}
		out_str(o, "# ");
		for (const char *p = k; *p; p++) {
			out_char(o, meta_key_char(*p) ? *p : '_');
		}
		out_str(o, ": ");
		/* Metadata is one line per key; line breaks inside become blanks. */
		for (const char *p = v; *p; p++) {
			out_char(o, *p == '\n' || *p == '\r' ? ' ' : *p);
		}
		out_char(o, '\n');
	}
	out_str(o, w.wait ? "kind,group,job,worker,start,stop,status,label,wait\n"
			  : "kind,group,job,worker,start,stop,status,label\n");
	/*
	 * A group with nothing in it (a run interrupted before the group's first
	 * job ended) has no row to appear in: when there is one, every group is
	 * declared first, in order, by a row of kind group.
	 */
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	for (size_t i = 0; i < n; i++) {
		seen[sp[i].group] = true;
	}
	/* A track's group has a sample: renumbering a job moves samples within their group. */
	const tl_track *tk = tl_trace_tracks(t, &n);
	for (size_t i = 0; i < n; i++) {
		seen[tk[i].group] = true;
	}
	bool declare = false;
	for (size_t g = 0; g < ng; g++) {
		declare |= !seen[g];
		seen[g] = false; /* for the walk below */
	}
	for (uint32_t g = 0; declare && g < ng; g++) {
		out_str(o, "group,");
		out_group(&w, g);
		out_str(o, w.wait ? ",,,,,,,\n" : ",,,,,,\n");
	}

	tl_io_walk(t, seen, csv_span, csv_sample, &w);
	out_flush(o);
	bool failed = o->failed || ferror(f);
	free(seen);
	free(o);
	if (failed) {
		return tl_error_set(err, TL_ERR_IO, name, 0, 0, "write failed");
	}
	return TL_OK;
}
