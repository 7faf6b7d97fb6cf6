#ifndef TIMELINE_IO_H
#define TIMELINE_IO_H

/*
 * Readers and writers. Readers build a new tl_trace that the caller frees with
 * tl_trace_free(); on failure they return NULL-free outputs (nothing to free)
 * and fill the tl_error with file, line and column. Writers never leave a
 * partial file behind: they write a temporary file beside the target and
 * rename it into place.
 */

#include <stdio.h>

#include <timeline/trace.h>

typedef enum tl_format {
	TL_FORMAT_AUTO = 0,
	TL_FORMAT_CSV,
	TL_FORMAT_JOBLOG,    /* GNU parallel --joblog (read only) */
	TL_FORMAT_CHROME,    /* Chrome Trace Event Format JSON */
	TL_FORMAT_HYPERFINE, /* hyperfine --export-json (read only) */
	TL_FORMAT_SLURM,     /* Slurm sacct --parsable2 (read only) */
	TL_FORMAT_NEXTFLOW,  /* Nextflow trace.txt (read only) */
	TL_FORMAT_SPARK,     /* Apache Spark event log, JSON lines (read only) */
	TL_FORMAT_RECORDS,   /* JSON records: an array of objects or JSON lines (read only) */
	TL_FORMAT_NINJA,     /* ninja's .ninja_log, versions 5 to 7 (read only) */
	TL_FORMAT_COUNT
} tl_format;

/** The format's name ("csv", "chrome"...; "auto"; "unknown" out of range): a static string. */
const char *tl_format_to_string(tl_format format);
/**
 * "csv", "joblog", "chrome", "hyperfine", "slurm", "nextflow", "spark",
 * "records", "ninja" → the format; false for an unknown name.
 */
bool tl_format_from_string(const char *s, tl_format *ret_format);

/* Time unit of input columns that carry no unit suffix. */
typedef enum tl_unit {
	TL_UNIT_DEFAULT = 0, /* suffix on the column, else seconds */
	TL_UNIT_S,
	TL_UNIT_MS,
	TL_UNIT_US,
	TL_UNIT_NS,
	TL_UNIT_COUNT
} tl_unit;

/** The unit's name ("default", "s", "ms", "us", "ns"; "unknown" out of range): a static string. */
const char *tl_unit_to_string(tl_unit unit);
/** "s", "ms", "us" (or "µs"), "ns"; false for anything else. */
bool tl_unit_from_string(const char *s, tl_unit *ret_unit);

/* Where the time zero of each group (and of each input) is. */
typedef enum tl_time_align {
	TL_TIMES_AUTO = 0, /* groups that ran one after another each from zero; else absolute */
	TL_TIMES_START,    /* every group from its own zero */
	TL_TIMES_ABSOLUTE, /* the times as written (less the trace's earliest) */
	TL_TIMES_COUNT
} tl_time_align;

/** "auto", "start", "absolute" → the mode; false for anything else. */
const char *tl_time_align_to_string(tl_time_align align); /* "unknown" out of range */
bool tl_time_align_from_string(const char *s, tl_time_align *ret_align);

/**
 * A time or duration as a user types it, in *ret_ns (ns): a bare number in
 * seconds ("2.5", "-1"), or a number with units as the readers take durations
 * ("20ms", "1.5 h", "1h 30min", "2d", "90 s"; see timetext.h's
 * tl_parse_duration_text). len bytes of s. false for anything else, and for
 * values beyond ±TL_TIME_MAX.
 */
bool tl_duration_from_string(const char *s, size_t len, tl_ns *ret_ns);

/* What the logs of schedulers and engines are grouped by (Slurm, Nextflow, Spark). */
typedef enum tl_group_by {
	TL_GROUP_BY_DEFAULT = 0, /* the format's own: Slurm's partition, Nextflow's process,
				  * Spark's stage */
	TL_GROUP_BY_NODE,        /* the node (host) a job ran on (Slurm, Nextflow) */
	TL_GROUP_BY_APP,         /* one group for the whole run (Spark's application) */
	TL_GROUP_BY_COUNT
} tl_group_by;

/** "default", "node", "app" → the grouping; false for anything else. */
const char *tl_group_by_to_string(tl_group_by group_by); /* "unknown" out of range */
bool tl_group_by_from_string(const char *s, tl_group_by *ret_group_by);

typedef struct tl_read_opts {
	tl_format format;     /* TL_FORMAT_AUTO: detect from content */
	tl_unit unit;         /* unit of bare numbers in time columns whose name has no unit
			       * suffix; DEFAULT: seconds, or the epoch unit their size shows */
	const char *columns;  /* "ROLE=NAME,..." naming columns of a table (CSV); NULL: by
			       * their names alone. See tl_columns_check(). */
	bool strict;          /* refuse rows with a missing start or stop instead of skipping
			       * them or reading them as unfinished */
	tl_time_align align;  /* groups of one CSV input: see tl_time_align */
	size_t max_rows;      /* more spans and samples than this is an error; 0: no limit */
	size_t max_memory;    /* bytes the reader may hold (the trace, buffered
			       * standard input, a parsed document); 0: no limit */
	const char *fields;   /* "NAME,NAME,...": the field names of a log written without
			       * its header line, in order, as given to the program
			       * (sacct --format, Nextflow's trace.fields); NULL: the
			       * first line is the header */
	tl_group_by group_by; /* Slurm, Nextflow, Spark: a group per partition, process
			       * or stage (default), per node, or one (app); a reader
			       * that cannot group so refuses it (TL_ERR_USAGE) */
	bool steps;           /* Slurm: draw job steps (123.batch, 123.0) too, as rows
			       * of their own; default: skip them */
	long build;           /* which build of a log that holds several (ninja's):
			       * TL_BUILD_LAST, TL_BUILD_ALL (a group each) or N
			       * from 1; TL_ERR_USAGE for other formats, or past
			       * the log's builds */
	bool tracks_only;     /* for measuring alone (tl_trace_stats; `timeline stats`
			       * of one input): samples are counted in their tracks
			       * (tl_trace_tracks(): count, first, last) and not kept,
			       * where the reader can (CSV tables, except benchmarks),
			       * so that a large table is never held. Such a trace
			       * has tl_trace_sample_count() 0 or near it: it is not
			       * for drawing, converting or merging */
} tl_read_opts;

#define TL_BUILD_LAST 0
#define TL_BUILD_ALL (-1)

/*
 * Metadata a reader leaves for people, shown under `timeline stats`' table
 * and by `timeline render -v`, not written back to files: keys that start
 * with TL_META_NOTE_PREFIX hold one line each (a unit guessed, rows skipped,
 * groups aligned), and TL_META_COLUMNS says which column of a table was read
 * as what and which were ignored ("start=Start Time, stop=End; ignored: Notes").
 */
#define TL_META_NOTE_PREFIX "note."
/*
 * Where time zero is, for inputs read off a clock: nanoseconds since 1970
 * (epoch times and dates), since midnight (times of day), or on a clock that
 * is not the epoch (time.perf_counter_ns() and the like).
 */
#define TL_META_EPOCH_NS "epoch_ns"
#define TL_META_TIME_OF_DAY_NS "time_of_day_ns"
#define TL_META_CLOCK_NS "clock_ns"
/*
 * Present ("1") when the input's date-times name no zone or offset
 * ("2024-03-10 09:00:00", as Slurm and Nextflow write local time): they were
 * read as if UTC, and charts call them local, not UTC.
 */
#define TL_META_LOCAL_TIME "local_time"
/*
 * Present ("1") on the tasks of a scheduler or an engine (Slurm, Nextflow,
 * Spark, ninja): `timeline stats` adds how full the slots were and the
 * straggler.
 */
#define TL_META_TASK_LOG "task_log"
/*
 * Set on a trace merged from several inputs when some have a date or a time
 * of day as origin and some do not: the name of the first that does not.
 * There is then no one time of day for all (--time-axis clock).
 */
#define TL_META_CLOCKLESS_INPUT "clockless_input"

/**
 * Where the trace's time zero is, for people, into buf (size bytes; cut to
 * fit): "2023-11-14 22:13:20.123456789 UTC" (TL_META_EPOCH_NS),
 * "14:03:10.000000000" (TL_META_TIME_OF_DAY_NS), "123.456000000 s on the
 * input's clock" (TL_META_CLOCK_NS). false, and buf "", when the trace keeps
 * no origin (times were relative already). The one wording of the origin:
 * stats' notes and the chart's footnote both use it.
 */
bool tl_trace_origin(const tl_trace *trace, char *buf, size_t size);
#define TL_META_COLUMNS "columns"

/*
 * Several inputs as one: each read on its own (tl_read_file()), then placed
 * on one time axis (tl_traces_align()), then merged into one trace
 * (tl_traces_merge()), its groups named after their inputs. Every program
 * that reads several inputs so names, places and compares groups alike.
 */

/**
 * Whether trace knows the absolute time of its zero: epoch times or dates
 * (TL_META_EPOCH_NS), or a Chrome trace's beginningOfTime. Inputs without
 * it cannot be placed by tl_traces_align() with TL_TIMES_ABSOLUTE.
 */
bool tl_trace_has_absolute_time(const tl_trace *trace);

/**
 * Place the n traces of several inputs on one time axis, in place: with
 * TL_TIMES_ABSOLUTE each at its absolute time (tl_trace_has_absolute_time())
 * less the earliest input's; with TL_TIMES_AUTO or TL_TIMES_START each from
 * zero (its earliest time moved to 0). With n below 2 nothing moves: one
 * input keeps its own times. paths[i] (paths may be NULL) names input i in
 * err->path. Errors: TL_ERR_INPUT when an input has no absolute time, or
 * lies more than TL_TIME_MAX (146 years) after the earliest; TL_ERR_NOMEM.
 * On failure the traces may be placed in part: free them.
 */
tl_status tl_traces_align(tl_trace *const *traces, const char *const *paths, size_t n,
			  tl_time_align align, struct tl_error *err);

/**
 * A new trace in *ret (free with tl_trace_free()) holding the traces[i]
 * with want[i] (want NULL: all n), each input's groups named
 * "NAMES[i]:GROUP" (names[i] alone for an unnamed group; see
 * tl_trace_merge()), times as they are (tl_traces_align() first).
 * Metadata TL_META_GROUPS says which groups ran at the same time: the
 * groups of one input that did (its TL_GROUPS_CONCURRENT), as ranges of
 * group indices; separate inputs are separate runs. TL_META_CLOCKLESS_INPUT
 * names (paths[i], else names[i]) the first input with no date or time of
 * day when another has one. The trace has opts' limits (max_rows,
 * max_memory; opts NULL: none). traces are not changed. Errors: those of
 * tl_trace_merge() (TL_ERR_NOMEM, also when a limit is reached), err->path
 * naming the input; *ret untouched.
 */
tl_status tl_traces_merge(const tl_trace *const *traces, const char *const *names,
			  const char *const *paths, const bool *want, size_t n,
			  const tl_read_opts *opts, tl_trace **ret, struct tl_error *err);

/*
 * Times at or above this (1e9 s, September 2001) are taken as absolute epoch
 * times: the reader shifts the trace so that its earliest time is 0 and keeps
 * the origin in metadata "epoch_ns".
 */
#define TL_EPOCH_THRESHOLD_NS ((tl_ns)1000000000 * 1000000000)

/*
 * One role a table's column can have, and the names (normalised: lower case,
 * words joined by '_') that give a column that role, in order of preference.
 * docs/csv-format.md explains the rules.
 */
typedef struct tl_column_role {
	const char *role;         /* as --columns names it: "start" */
	const char *meaning;      /* for people: "span start" */
	const char *const *names; /* NULL-terminated */
} tl_column_role;

/** The roles, in a static array of *ret_n entries (never freed). */
const tl_column_role *tl_column_roles(size_t *ret_n);

/**
 * Check a --columns text, "ROLE=NAME,..." (roles: kind, start, stop or end,
 * duration or dur, time or t, group, job, worker, status, label; NAME as the
 * header writes it, double-quoted when it holds a comma, empty for "no such
 * column", or a column's position from 1). TL_OK, or TL_ERR_USAGE with a
 * message starting "--columns: "; TL_ERR_NOMEM.
 */
tl_status tl_columns_check(const char *columns, struct tl_error *err);

/**
 * Read the file at path ("-" reads standard input) into a new trace, in
 * opts->format or the format its content shows; gzip, zstd and xz
 * compression are undone first. opts may be NULL (the defaults: every field
 * zero). On success *ret_trace is a new trace that the caller frees with
 * tl_trace_free(); on failure it is untouched and nothing needs freeing.
 * Times are ns; see tl_read_opts for the units of bare numbers.
 *
 * Errors: TL_ERR_IO when the file cannot be opened or read (err names path
 * and the reason: "cannot open: No such file or directory", "is a
 * directory"); TL_ERR_INPUT when the content is malformed, corrupt
 * compressed data, or in no known format (path, line and column say where);
 * TL_ERR_NOMEM when out of memory or past opts->max_rows or
 * opts->max_memory (the message names the limit); TL_ERR_USAGE for options
 * the format cannot take (opts->columns, group_by, build; the message says
 * which).
 */
tl_status tl_read_file(const char *path, const tl_read_opts *opts, tl_trace **ret_trace,
		       struct tl_error *err);

/**
 * Parse len bytes of data as if read from a file called name (used in
 * messages; NULL: "-"). The data is not compressed, and not kept: the trace
 * copies what it needs, so data may be freed on return. *ret_trace, opts and
 * the errors as tl_read_file(), but no TL_ERR_IO.
 */
tl_status tl_read_mem(const char *data, size_t len, const char *name, const tl_read_opts *opts,
		      tl_trace **ret_trace, struct tl_error *err);

/**
 * Write the trace as native CSV to stream f (metadata as "# key: value" lines,
 * then kind,group,job,worker,start,stop,status,label; seconds with 9 decimals).
 * name is used in messages. f stays open and the caller's. Errors: TL_ERR_IO
 * when a write to f fails; TL_ERR_NOMEM.
 */
tl_status tl_csv_write(const tl_trace *trace, FILE *f, const char *name, struct tl_error *err);

/**
 * Write the trace in format (TL_FORMAT_CSV or TL_FORMAT_CHROME; TL_FORMAT_AUTO:
 * Chrome for a .json path, else CSV) to path atomically (as tl_output_open);
 * "-" writes to standard output. Errors: TL_ERR_USAGE for a format that
 * cannot be written ("cannot write joblog files"); TL_ERR_IO when the file
 * cannot be created or written (no file is left behind, an old one is kept);
 * TL_ERR_NOMEM when out of memory or TL_OUTPUT_PENDING_MAX writes are in
 * progress.
 */
tl_status tl_write_file(const tl_trace *trace, const char *path, tl_format format,
			struct tl_error *err);

/** How many outputs may be in progress at once in one process (see tl_output_open). */
#define TL_OUTPUT_PENDING_MAX 32

/**
 * Any other output file, written the same way as tl_write_file: to a
 * temporary file beside path, renamed over it by tl_output_commit() only when
 * everything was written; tl_output_abort() or a failed commit leaves the old
 * file (or none) in place. "-" is standard output; a FIFO or device is written
 * in place. A new file gets the permissions of any new file (0666 less the
 * umask); a replaced file keeps its permissions. Safe to call from several
 * threads at once, each on its own tl_output.
 *
 * tl_output_open() sets *ret to a new tl_output (NULL on failure), which
 * tl_output_commit() or tl_output_abort() frees. Errors: TL_ERR_IO when the
 * temporary file cannot be created (err names path and the reason);
 * TL_ERR_NOMEM when out of memory, or when TL_OUTPUT_PENDING_MAX outputs
 * (tl_output_open, tl_write_file, tl_render_file, ...) are already in
 * progress in this process ("cannot write more than 32 files at once").
 */
typedef struct tl_output tl_output;
tl_status tl_output_open(const char *path, tl_output **ret, struct tl_error *err);
/** The stream to write to; owned by out, valid until its commit or abort. */
FILE *tl_output_stream(tl_output *out);
/**
 * Close the stream and rename the temporary file over the target; frees out
 * in every case. TL_ERR_IO when a write, the close or the rename failed (the
 * temporary file is then removed and the target left as it was).
 */
tl_status tl_output_commit(tl_output *out, struct tl_error *err);
/** Close the stream, remove the temporary file and free out. NULL is a no-op. */
void tl_output_abort(tl_output *out);

/**
 * Remove the temporary files of writes still in progress (tl_write_file,
 * tl_render_file, tl_output_open), those this process made: not a parent's
 * when called in a forked child. Async-signal-safe: it takes no lock and
 * only reads the registry of temporary files and unlinks them; call it from
 * the handler of every signal that ends the program (SIGINT, SIGTERM,
 * SIGHUP, ...), installed before the first write, so an interrupted write
 * leaves nothing. Signals are blocked while a temporary file is created and
 * registered, so no signal finds one that is not registered. The writes
 * stay registered: their commit then fails with TL_ERR_IO, their abort
 * succeeds. At most TL_OUTPUT_PENDING_MAX writes may be in progress at once;
 * beyond, opening one fails with TL_ERR_NOMEM. A child forked (from any
 * thread, even one of several writing) starts with no write in progress:
 * its parent's are its parent's, to commit or abort there.
 */
void tl_output_abandon(void);

/**
 * Whether addr lies in the mapping of an input file that tl_read_file() is
 * reading now; then *ret_name is the file's name as given (valid while that
 * read lasts). For a SIGBUS handler: a regular file is read through a
 * mapping, and one that shrinks while it is read (truncated, rewritten in
 * place) raises SIGBUS at the first page past its new end, with si_addr in
 * that mapping. Async-signal-safe: it takes no lock and only reads. At most
 * 16 files are registered at once (more are read, unregistered: false).
 */
bool tl_input_at(const void *addr, const char **ret_name);

#endif
