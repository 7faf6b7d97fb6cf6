#ifndef TIMELINE_IO_COLUMNS_H
#define TIMELINE_IO_COLUMNS_H

/*
 * Which column of a table means what: the one table of accepted column names
 * (docs/csv-format.md, `timeline help formats` and the man page list it),
 * the normalisation that lets `Start Time`, `start-time`, `startTime` and
 * `START_TIME` all match `start_time`, unit suffixes (`_ms`, `(ms)`), the
 * pandas index column, and `--columns ROLE=NAME,...` that overrides names.
 * Format-neutral: the CSV reader gives it the header's texts.
 */

#include <timeline/io.h>

#include "../util/timeunit.h"

#include <stdbool.h>
#include <stddef.h>

/* The time unit u names; TL_UNIT_DEFAULT is seconds, the unit of a bare number. */
static inline tl_time_unit tl_unit_time(tl_unit u) {
	return u == TL_UNIT_MS   ? TL_TU_MS
	       : u == TL_UNIT_US ? TL_TU_US
	       : u == TL_UNIT_NS ? TL_TU_NS
				 : TL_TU_S;
}

enum col_role {
	R_IGNORE = 0,
	R_KIND,
	R_START,
	R_STOP,
	R_DUR,
	R_TIME,
	R_GROUP,
	R_JOB,
	R_WORKER,
	R_STATUS,
	R_LABEL,
	R_WAIT,
	R_COUNT
};

/* The role's name in --columns and in messages ("start", "stop", ...). */
const char *col_role_name(enum col_role role);

/* True for the roles whose values are times or durations. */
bool col_is_time(enum col_role role);

/*
 * Normalise a header name (len bytes of UTF-8) into buf (size bytes, NUL
 * terminated): ASCII letters lower-cased, a capital after a lower-case letter
 * or digit starts a new word (camelCase), every run of other ASCII bytes
 * (blanks, '-', '.', '(', ...) becomes one '_', and '_' at either end is
 * dropped. "Start Time" → "start_time", "startedAt" → "started_at",
 * "Duration (ms)" → "duration_ms". Returns the length; 0 for a name that
 * does not fit in size - 1 bytes (treated as unknown).
 */
size_t col_normalise(const char *s, size_t len, char *buf, size_t size);

/* The header of one table, as its reader found it. */
struct col_header {
	size_t n;                /* columns */
	const char *const *text; /* n names, NUL terminated, unquoted */
	const size_t *len;       /* their lengths in bytes */
};

/* What the header's columns mean. */
struct col_map {
	int col[R_COUNT];      /* column of each role, -1 when none */
	tl_unit unit[R_COUNT]; /* a time column's unit from its name or --columns; DEFAULT
				* when bare */
	int64_t mult[R_COUNT]; /* times the unit: 60 for minutes given as ROLE:min */
	bool index_job;        /* the job column is the unnamed pandas index (its last level) */
	bool index_group;      /* the group column is a MultiIndex's first unnamed level */
	bool headerless;       /* --columns named positions and the first line is data */
	char note[512];        /* "start=Start Time, stop=End; ignored: Notes" */
};

/*
 * Parse a --columns specification, "ROLE=NAME,ROLE=NAME,..." (ROLE may be
 * followed by ":UNIT" for a time column: ns, us, ms, s, min, h, d; NAME may be
 * double-quoted, with "" for a quote inside; an empty NAME means no column
 * has the role; a NAME of digits alone is also a column position from 1).
 * Roles: kind, start, stop (end), duration (dur), time (t), group, job,
 * worker, status, label. TL_OK, or TL_ERR_USAGE with a message naming the
 * problem; TL_ERR_NOMEM. On success *ret_spec owns copies: free it with
 * col_spec_free().
 */
/* A --columns spec: the user's column for each role it names, and its unit. */
struct col_spec {
	bool set[R_COUNT];
	char *name[R_COUNT];   /* NULL or "" when set: no column */
	tl_unit unit[R_COUNT]; /* ROLE:UNIT, DEFAULT when not given */
	int64_t mult[R_COUNT]; /* with unit S: minutes 60, hours 3600, days 86400 */
};
tl_status col_spec_parse(const char *text, struct col_spec **ret_spec, struct tl_error *err);
void col_spec_free(struct col_spec *spec);

/*
 * The NAME spec gives role (owned by spec; "" for "no column"), or NULL when
 * spec (may be NULL) does not name the role.
 */
const char *col_spec_name(const struct col_spec *spec, enum col_role role);

/*
 * Decide the roles of header h: names matched through the synonym table
 * (each role takes its best-ranked column; a role's later synonyms lose to
 * earlier ones), a unit suffix on a time column, an unnamed first column
 * (pandas' index) as the job when nothing else names jobs, a time column as
 * the start when there is a stop or duration but no start, and spec (may be
 * NULL) before all of that. first_is_data says whether the header line reads
 * as data (every field a number or time, none a name).
 *
 * TL_OK; otherwise TL_ERR_INPUT with *ret_col the column the message is
 * about (-1: the line's start) and msg (size bytes) the message.
 */
tl_status col_assign(const struct col_header *h, const struct col_spec *spec, bool first_is_data,
		     struct col_map *map, int *ret_col, char *msg, size_t size);

/*
 * The first bare number s (len bytes) of a table's time columns decides the
 * unit of every bare column (those with bare[role]): their powers of ten to
 * nanoseconds in scale[role], as tl_guess_bare_unit() reads s. *ret_epoch,
 * *ret_scale and example (an excerpt of s, size bytes) say what was
 * guessed. Nothing is changed when s decides nothing (a number below 10^11).
 */
void tl_columns_guess_unit(const char *s, size_t len, const bool bare[R_COUNT], int scale[R_COUNT],
			   bool *ret_epoch, int *ret_scale, char *example, size_t size);

/* ---- for columns_spec.c and columns_assign.c ---- */

/* A --columns role word, or its short form, in *ret; false for none. */
bool col_role_from_word(const char *s, size_t len, enum col_role *ret);

/* The unit a normalised name's last word names ("begin_ms": ms), or TL_UNIT_DEFAULT. */
tl_unit col_suffix_unit(const char *norm);

/*
 * A normalised column name matched against the synonym table: the rank of
 * each role it could take in rank[R_COUNT] (0: none; lower is better), and
 * the unit its suffix names in *unit.
 */
void col_match_name(const char *norm, int *rank, tl_unit *unit);

/* The role's entry of the synonym table. */
const tl_column_role *col_role_entry(enum col_role role);

#endif
