#ifndef TIMELINE_IO_RECORDS_IMPL_H
#define TIMELINE_IO_RECORDS_IMPL_H

/*
 * What records.c (cutting the text into records, matching their names to
 * roles) and records_rows.c (a record's values to a span) share.
 */

#include "columns.h"
#include "jobnames.h"

#include <timeline/io.h>

#define MAX_KEYS 512 /* member names kept for matching */

/* One record's text and where it starts. */
struct rec {
	const char *s, *e;
	long line;      /* line of s */
	const char *ls; /* start of that line */
};

/* What a time field was written as; fixed by its column's first value. */
enum tkind { TK_UNSET = 0, TK_NUMBER, TK_DATETIME, TK_TOD, TK_DURTEXT };

/* A member's value, as written. */
enum vkind { V_NONE = 0, V_NULL, V_STR, V_NUM, V_BOOL, V_NEST };
struct val {
	enum vkind kind;
	const char *at; /* where the value is written */
	const char *s;  /* text: a string's, decoded; a number's or bool's as written */
	size_t len;
	char *owned; /* s when decoded from escapes: freed by the caller */
};

struct reader {
	const char *name, *data, *end;
	struct tl_error *err;
	const tl_read_opts *opts;
	tl_trace *t;
	struct rec *recs;
	size_t nrecs, cap;
	long line;            /* line counting while cutting records: the line of pos */
	const char *pos, *ls; /* ... and where that line starts */
	char **keys;          /* the header: member names, then --columns paths */
	size_t *klen;
	bool *path;
	size_t nkeys, kcap;
	struct col_map map;
	bool back; /* stop and duration, no start */
	int scale[R_COUNT];
	bool bare[R_COUNT];
	enum tkind tk[R_COUNT];
	bool guessed, guess_epoch, absolute;
	bool queued; /* some record gave its queue wait: TL_META_QUEUED */
	int guess_scale;
	char guess_example[64];
	char names_seen[160];  /* "'a', 'b'": names of plain values, for messages */
	char nested_seen[160]; /* names of objects and arrays, for messages */
	char member[80];       /* the array member that holds the records, "" when none */
	long cut_line;
	const struct rec *cur;
	struct tl_jobnames names; /* jobs given as text */
	int64_t *next_row;        /* per group */
	size_t ngroups;
	size_t *unfinished;
	size_t nunfinished, unfinished_cap;
	size_t skipped, odd_status, zero_times;
	long skipped_line, odd_status_line;
	const char *skipped_what;
	char odd_status_text[64];
};

/* An input error at pos: its line and column counted from the current record, or the text. */
tl_status rec_fail(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
tl_status rec_nomem(struct reader *r);

/* Every record to a span (or a sample), in order. */
tl_status rec_rows(struct reader *r);

/* Every span with no stop drawn to the end of its group. */
tl_status rec_finish_unfinished(struct reader *r);

#endif
