#ifndef TIMELINE_IO_DELIM_H
#define TIMELINE_IO_DELIM_H

/*
 * Logs of delimited fields with a header of field names, as schedulers and
 * workflow engines write them (sacct --parsable2, Nextflow's trace file):
 * no quoting, a delimiter of one or more bytes that the header shows, and
 * field names the program documents. Shared by slurm.c and nextflow.c:
 * the text of such logs, and the steps of reading one that do not depend
 * on what its fields mean.
 */

#include "reader.h"

#include <timeline/io.h>

#include <stdbool.h>
#include <stddef.h>

struct tl_dfield {
	const char *s; /* first byte, inside the input */
	size_t len;    /* bytes */
};

/* Most fields of a line read: a line with more is refused as such. */
#define TL_DELIM_MAX_FIELDS 256

/*
 * Split [s, end) at every occurrence of delim (dlen bytes, >= 1) into f (at
 * most max entries). Returns the number of fields the line has, which may be
 * more than max (then only max are filled).
 */
size_t tl_delim_split(const char *s, const char *end, const char *delim, size_t dlen,
		      struct tl_dfield *f, size_t max);

/*
 * The delimiter of a header line [s, end): the bytes after its first name
 * (a run of bytes for which is_name() is true) up to the next byte that
 * starts a name. false when the line is one name alone, or does not start
 * with one.
 */
bool tl_delim_sniff(const char *s, const char *end, bool (*is_name)(unsigned char),
		    const char **ret_delim, size_t *ret_dlen);

/*
 * The end of the line that starts at p (before its CR LF or LF) and the
 * start of the next one.
 */
const char *tl_delim_line(const char *p, const char *end, const char **ret_next);

/* Roles --columns may give (tl_read_opts.columns), as the CSV reader names them. */
enum tl_delim_role {
	TL_DR_START,
	TL_DR_STOP,
	TL_DR_DURATION,
	TL_DR_JOB,
	TL_DR_WORKER,
	TL_DR_GROUP,
	TL_DR_STATUS,
	TL_DR_LABEL,
	TL_DR_COUNT
};

/*
 * Apply --columns "ROLE=NAME,..." to a log whose fields are names[0..n)
 * (the header's, or the --fields list): for each role named, *col[role] is
 * the field it names (by name, ignoring case, or by position from 1), or -1
 * for an empty NAME (no such field). Roles not named leave col alone.
 * TL_OK; TL_ERR_INPUT with msg (size bytes) saying what is wrong.
 */
tl_status tl_delim_columns(const char *columns, const struct tl_dfield *names, size_t n,
			   int col[TL_DR_COUNT], char *msg, size_t size);

/* A log format's own fields, and which of them each --columns role stands for. */
struct tl_delim_format {
	const char *const *names; /* count of them, as the header writes them */
	int count;
	bool fold;                   /* names match in either ASCII case */
	int role_field[TL_DR_COUNT]; /* the index in names of each role's field */
};

/*
 * Where each of fmt's fields is among a log's fields names[0..n) (the
 * header's, or the --fields list): col[k] (count of them) the first that is
 * fmt->names[k], -1 when none; then --columns (columns, NULL when not
 * given) moves the fields of the roles it names (tl_delim_columns()).
 * TL_OK; TL_ERR_INPUT with msg (size bytes) saying what is wrong.
 */
tl_status tl_delim_map(const struct tl_delim_format *fmt, const struct tl_dfield *names, size_t n,
		       const char *columns, int *col, char *msg, size_t size);

/* How the lines of a log split into fields, found from its header. */
struct tl_delim_log {
	const char *delim; /* between two fields: dlen bytes */
	size_t dlen;
	size_t nf;     /* fields a line has */
	bool comments; /* lines that start with '#' are skipped, as blank lines are */
	bool parsable; /* a line may end with one more delimiter (sacct --parsable) */
};

/*
 * The lines of a log from p (after its header) to end: each but the blank
 * ones (and the comments, with log->comments) split into log->nf fields and
 * given to row, with ctx; in->line and in->line_start follow the lines, and
 * *ret_rows counts those given to row. TL_OK; TL_ERR_INPUT at a line that is
 * not UTF-8 or has not nf fields; else the first error of row.
 */
tl_status tl_delim_rows(struct tl_line_reader *in, const struct tl_delim_log *log, const char *p,
			const char *end, tl_status (*row)(void *ctx, const struct tl_dfield *f),
			void *ctx, size_t *ret_rows);

/*
 * What a task log's trace says once read (slurm.c, nextflow.c): queue waits
 * (when queued: a Submit field), a task log whose hosts run several tasks at
 * once, local times (when naive: a date-time named no zone), times placed
 * on the epoch with every group at its own times (unless opts->align is
 * TL_TIMES_START), so that several groups are said to run at once. TL_OK,
 * or the first error (in err) of setting them.
 */
tl_status tl_delim_finish(tl_trace *t, const tl_read_opts *opts, bool queued, bool naive,
			  struct tl_error *err);

#endif
