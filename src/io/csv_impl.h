#ifndef TIMELINE_IO_CSV_IMPL_H
#define TIMELINE_IO_CSV_IMPL_H

/*
 * The CSV reader's state, shared by its two files: csv.c reads records,
 * the header and rows one at a time; csv_read.c drives the reading of the
 * rows, cutting a large table in chunks read on several threads.
 */

#include <timeline/io.h>

#include "columns.h"
#include "jobnames.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
	size_t njobctr;
	struct tl_jobnames names; /* jobs given as text */
};

/* A field's position is its first byte, or its opening quote. */
#define FIELD_POS(f) ((f)->s - (f)->quoted)

/*
 * How far a reader goes between giving pages back: every reading thread
 * keeps up to this much of the file resident behind it.
 */
#define DROP_EVERY ((size_t)8 << 20)

/* ---- csv_record.c: records and messages ---- */

/* An input error at pos on line (which starts at line_start): TL_ERR_INPUT, r->err filled. */
tl_status csv_fail(struct csv *r, long line, const char *line_start, const char *pos,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * An input error at pos, a byte of the current record. Only errors need
 * lines and columns, so fields keep no positions: they are counted here.
 */
tl_status csv_fail_at(struct csv *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The bytes that end an unquoted field when sep separates fields (' ': runs of blanks). */
const bool *csv_field_ends(char sep);

/* TL_ERR_NOMEM, r->err filled. */
tl_status csv_nomem(struct csv *r);

/*
 * A field's text, with doubled quotes undone into the row's scratch space,
 * in *ret_s and *ret_len (valid until the next record).
 */
static inline void csv_field_text(struct csv *r, const struct field *f, const char **ret_s,
				  size_t *ret_len) {
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

/* csv_ensure_scratch() when the scratch space must grow to need bytes. */
tl_status csv_grow_scratch(struct csv *r, size_t need);

/* Room to undo quotes in every field of the record from row_start, twice over for messages. */
static inline tl_status csv_ensure_scratch(struct csv *r, const char *row_start) {
	size_t need = 2 * (size_t)(r->p - row_start) + 16;
	r->scratch_used = 0;
	return need <= r->scratch_cap ? TL_OK : csv_grow_scratch(r, need);
}

/* ---- csv_header.c: the separator, the header and the units ---- */

/* The field separator of the table from p to end. */
char csv_sniff_separator(const char *p, const char *end);

/* The header record of n fields: columns matched to roles, by name or as spec says. */
tl_status csv_parse_header(struct csv *r, size_t n, const tl_read_opts *o,
			   const struct col_spec *spec);

/* A bare number s (len bytes) of the first row: the unit of the time columns without one. */
void csv_guess_unit(struct csv *r, const char *s, size_t len);

/* ---- csv_time.c: the values of time columns ---- */

/*
 * f, a field of column role, as a time (ns) in *ret: what parse_time() in
 * csv.c does not do inline (anything but a plain number in a column of
 * numbers). what_role names the value in messages. TL_ERR_INPUT with the
 * field's position for a value that is no time.
 */
tl_status csv_parse_time_slow(struct csv *r, const struct field *f, enum col_role role,
			      enum col_role what_role, tl_ns *ret);

/* ---- csv.c, for csv_read.c ---- */

/*
 * The next record into r->f: 1 with its field count in *ret_n, 0 at the end
 * of the input, -1 on error (r->err filled).
 */
int csv_read_record(struct csv *r, size_t *ret_n);

/* The record of n fields as a row of the trace. */
tl_status csv_row(struct csv *r, size_t n);

/* Job counters for every group of the trace. */
tl_status csv_job_counters(struct csv *r);

/* Rows of that kind read so far: samples kept and those counted in their tracks only. */
size_t csv_rows_read(struct csv *r, bool samples);

/* Whether a field holds only blanks. */
static inline bool csv_blank_field(const struct field *f) {
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

/* csv_missing_word() for a field that does not start with a digit. */
bool csv_missing_word_slow(const char *s, size_t len);

/* Whether s (len bytes) is a word that means "no value" ("NA", "null", ...). */
static inline bool csv_missing_word(const char *s, size_t len) {
	/* Most fields start with a digit: no word to look for. */
	return len && !(*s >= '0' && *s <= '9') && csv_missing_word_slow(s, len);
}

/* A role's field, or NULL when the column is absent or the field blank. */
static inline const struct field *get(struct csv *r, enum col_role role) {
	int c = r->col[role];
	if (c < 0 || csv_blank_field(&r->f[c])) {
		return NULL;
	}
	return &r->f[c];
}

/* A time column's field, or NULL when it is absent, blank or says "no value". */
static inline __attribute__((always_inline)) const struct field *get_time(struct csv *r,
									  enum col_role role) {
	const struct field *f = get(r, role);
	return f && csv_missing_word(f->s, f->len) ? NULL : f;
}

/* ---- csv_read.c, for csv.c ---- */

/* Read the rows after the header, on several threads where it pays. */
tl_status csv_read_rows(struct csv *r, const char *data, bool drop_behind);

/* A NUL byte in [from, to): the error tl_check_text() gives for the whole input. */
tl_status csv_check_nul(struct csv *r, const char *from, const char *to);

/* Give back the pages of data wholly before upto, from *dropped on. */
void csv_drop_pages(const char *data, const char **dropped, const char *upto);

/*
 * A kind word as this project writes it (csv_write.c): 1 "sample", 0
 * "span", -1 anything else, which the chunked reader leaves to csv_row().
 */
static inline int csv_plain_kind(const char *s, size_t len) {
	return len == 6 && memcmp(s, "sample", 6) == 0 ? 1
	       : len == 4 && memcmp(s, "span", 4) == 0 ? 0
						       : -1;
}

#endif
