#ifndef TIMELINE_TRACE_H
#define TIMELINE_TRACE_H

/*
 * The trace: spans (a job's run from start to stop), samples (a timestamp a job
 * recorded) and metadata. A trace owns every string it hands out; pointers
 * and arrays it returns stay valid until the next call that adds to the trace
 * or until tl_trace_free().
 *
 * Time is tl_ns, signed 64-bit nanoseconds, everywhere.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <timeline/error.h>

/** A time or a duration: signed 64-bit nanoseconds. */
typedef int64_t tl_ns;

/*
 * Times lie within ±TL_TIME_MAX ns (about 146 years either side of zero, so
 * Unix epoch times in ns up to the year 2116): the difference of any two is
 * then a tl_ns too. Readers refuse times beyond it as out of range.
 */
#define TL_TIME_MAX (((tl_ns)1 << 62) - 1)

/* Identifier of an interned string in one trace; TL_STR_NONE is "". */
typedef uint32_t tl_str;
#define TL_STR_NONE ((tl_str)0)

/*
 * A job's exit status (tl_span.status, tl_exit_status_*()): its exit code
 * (>= 0), -N when killed by signal N, or one of these values. Named TL_EXIT_
 * to keep them apart from the library's error codes (tl_status, TL_ERR_*).
 */
#define TL_EXIT_TIMEOUT INT32_MIN
#define TL_EXIT_SIGNAL(n) (-(int32_t)(n))
/*
 * A job with a start and no recorded stop (still running when its log was
 * written, or its stop lost): its span lasts to the end of its group, and
 * charts draw its end open. Neither success nor failure.
 */
#define TL_EXIT_UNFINISHED (INT32_MIN + 1)
/*
 * How a scheduler ended a job that did not fail by itself (Slurm's State,
 * Nextflow's ABORTED, Spark's killed tasks): failures, each drawn and counted
 * under its own name.
 */
#define TL_EXIT_CANCELLED (INT32_MIN + 2)
#define TL_EXIT_OUT_OF_MEMORY (INT32_MIN + 3)
#define TL_EXIT_NODE_FAIL (INT32_MIN + 4)
#define TL_EXIT_PREEMPTED (INT32_MIN + 5)

typedef struct tl_span {
	tl_ns start;    /* ns */
	tl_ns stop;     /* ns, >= start */
	int64_t job;    /* job number within its group */
	uint32_t group; /* index into the trace's groups */
	tl_str worker;  /* worker name, TL_STR_NONE when unknown */
	tl_str label;   /* label, TL_STR_NONE when none */
	int32_t status; /* 0 ok, > 0 exit code, < 0 signal, or a TL_EXIT_ name */
	tl_ns wait;     /* ns queued before start (submit to start), >= 0; 0 when
			 * none or unknown: TL_META_QUEUED says whether known */
} tl_span;

/* One sample as tl_trace_add_sample() takes it and tl_trace_sample() gives it. */
typedef struct tl_sample {
	tl_ns t;        /* ns */
	int64_t job;    /* job number within its group */
	uint32_t group; /* index into the trace's groups */
	tl_str worker;  /* worker name, TL_STR_NONE when unknown */
} tl_sample;

/*
 * What a sample shares with the other samples of its job: the job, its group
 * and its worker (a "track", as trace viewers such as Perfetto call the
 * timeline of one thread or process). The trace keeps samples as columns: a
 * time and a track index per sample, 12 bytes, and each distinct track once,
 * since a live tracker's job takes millions of samples on one track.
 */
typedef struct tl_track {
	int64_t job;    /* job number within its group */
	uint32_t group; /* index into the trace's groups */
	tl_str worker;  /* worker name, TL_STR_NONE when unknown */
	/* Kept as samples are added: how many the track has, the earliest and
	 * latest of their times (ns; INT64_MAX and INT64_MIN while it has none). */
	size_t samples;
	tl_ns first, last;
} tl_track;

/** The trace, an opaque handle: tl_trace_new() makes one, tl_trace_free() frees it. */
typedef struct tl_trace tl_trace;

/** A new empty trace, or NULL when out of memory. Free with tl_trace_free(). */
tl_trace *tl_trace_new(void);

/** Free a trace and everything it owns. NULL is a no-op. */
void tl_trace_free(tl_trace *trace);

/**
 * Bound what the trace may grow to: at most max_records spans and samples
 * together, and at most max_bytes bytes of memory for its arrays, strings
 * and index (0: no bound). Adding past a bound fails with TL_ERR_NOMEM and a
 * message that names the bound, so a huge input is refused before the
 * machine runs out of memory.
 */
void tl_trace_set_limits(tl_trace *trace, size_t max_records, size_t max_bytes);

/** Bytes of memory the trace holds (what max_bytes is compared with). */
size_t tl_trace_memory(const tl_trace *trace);

/**
 * Intern len bytes of s (not necessarily NUL-terminated; copied: the trace
 * owns the copy) and store its id in *ret_id. The same bytes always give the
 * same id. The empty string is TL_STR_NONE. Fails with TL_ERR_NOMEM (*ret_id
 * untouched) when out of memory, past the memory bound of
 * tl_trace_set_limits(), for a string of 4 GiB or more, or past 2^32 - 2
 * distinct strings.
 */
tl_status tl_trace_intern(tl_trace *trace, const char *s, size_t len, tl_str *ret_id,
			  struct tl_error *err);

/** The NUL-terminated text of an interned string; "" for an unknown id. */
const char *tl_trace_str(const tl_trace *trace, tl_str id);

/** Length in bytes of an interned string; 0 for an unknown id. */
size_t tl_trace_str_len(const tl_trace *trace, tl_str id);

/**
 * The group named name (len bytes; copied), created at the end of the group
 * order if new: groups keep the order in which they first appear. *ret_group
 * is its index. Fails with TL_ERR_NOMEM (*ret_group untouched) as
 * tl_trace_intern(), or past 2^32 - 2 groups.
 */
tl_status tl_trace_group(tl_trace *trace, const char *name, size_t len, uint32_t *ret_group,
			 struct tl_error *err);

/** Number of groups. */
size_t tl_trace_group_count(const tl_trace *trace);

/** Name of group i ("" for an unnamed group, or i out of range). */
const char *tl_trace_group_name(const tl_trace *trace, uint32_t i);

/** What the unnamed group is called wherever a group's name is shown: charts, text, stats. */
#define TL_GROUP_UNNAMED "(unnamed)"

/**
 * Name of group i as shown: its name, or TL_GROUP_UNNAMED for the unnamed group
 * (and for i out of range). The string is owned by the trace (or static).
 */
const char *tl_trace_group_label(const tl_trace *trace, uint32_t i);

/** Index of the group called name in *ret_group; false when there is none. */
bool tl_trace_find_group(const tl_trace *trace, const char *name, uint32_t *ret_group);

/**
 * Append a span (copied; times in ns). Fails, adding nothing, with
 * TL_ERR_USAGE for stop < start, a group or string the trace does not have,
 * or a status that tl_exit_status_valid() refuses; TL_ERR_INPUT for a time
 * beyond ±TL_TIME_MAX or more than TL_TIME_MAX from another of the trace's
 * times; TL_ERR_NOMEM when out of memory or past a bound of
 * tl_trace_set_limits() (the message names it).
 */
tl_status tl_trace_add_span(tl_trace *trace, const tl_span *span, struct tl_error *err);

/**
 * Append a sample (copied): its time to the times, its track (made if new)
 * to the tracks, whose count and first and last time it updates. Fails with
 * TL_ERR_USAGE for a bad group or string, TL_ERR_INPUT for a time out of
 * range (as tl_trace_add_span), TL_ERR_NOMEM when out of memory or past the
 * trace's limits (tl_trace_set_limits).
 */
tl_status tl_trace_add_sample(tl_trace *trace, const tl_sample *sample, struct tl_error *err);

/**
 * The spans in insertion order; *ret_n their count. The array is the trace's,
 * valid until the next span is added or the trace is freed.
 */
const tl_span *tl_trace_spans(const tl_trace *trace, size_t *ret_n);

/** Number of samples. */
size_t tl_trace_sample_count(const tl_trace *trace);

/**
 * The samples' times (ns) in insertion order, an array of *ret_n owned by the
 * trace; valid until the next add, reserve or free. NULL when there are none.
 */
const tl_ns *tl_trace_sample_times(const tl_trace *trace, size_t *ret_n);

/**
 * Each sample's track: an index into tl_trace_tracks(), in insertion order,
 * an array of *ret_n (the sample count) owned by the trace; valid as the times.
 */
const uint32_t *tl_trace_sample_tracks(const tl_trace *trace, size_t *ret_n);

/**
 * The distinct tracks of the samples, in order of first use, an array of
 * *ret_n owned by the trace; valid until the next add or free. A track may
 * have no sample left when a reader renumbered its samples' jobs.
 */
const tl_track *tl_trace_tracks(const tl_trace *trace, size_t *ret_n);

/** Sample i (i < tl_trace_sample_count()) as one struct: its time and its track's fields. */
tl_sample tl_trace_sample(const tl_trace *trace, size_t i);

/**
 * Reserve room for spans more spans and samples more samples (a hint: counts
 * past the record bound of tl_trace_set_limits() are cut to it). Fails with
 * TL_ERR_NOMEM when out of memory or past the memory bound.
 */
tl_status tl_trace_reserve(tl_trace *trace, size_t spans, size_t samples, struct tl_error *err);

/**
 * Earliest and latest time over all spans and samples. Returns false (and
 * leaves the outputs alone) when the trace is empty.
 */
bool tl_trace_bounds(const tl_trace *trace, tl_ns *ret_min, tl_ns *ret_max);

/**
 * Subtract origin (ns) from every time in the trace; TL_ERR_INPUT (and
 * nothing moved) when a time would leave ±TL_TIME_MAX.
 */
tl_status tl_trace_shift(tl_trace *trace, tl_ns origin, struct tl_error *err);

/**
 * Subtract origin[g] (ns) from every time of group g (origin has one entry per
 * group, and stays the caller's); TL_ERR_INPUT (and nothing moved) when a time would leave
 * ±TL_TIME_MAX or two times would end up more than TL_TIME_MAX apart.
 */
tl_status tl_trace_shift_groups(tl_trace *trace, const tl_ns *origin, struct tl_error *err);

/**
 * Rename group g to name (len bytes; copied). TL_ERR_USAGE when g does not
 * exist or another group already has that name; TL_ERR_NOMEM as
 * tl_trace_intern().
 */
tl_status tl_trace_rename_group(tl_trace *trace, uint32_t g, const char *name, size_t len,
				struct tl_error *err);

/**
 * Set metadata key to value (both NUL-terminated; copied). Keys keep the order
 * of their first setting; setting a key again replaces its value. Fails with
 * TL_ERR_NOMEM (the metadata as it was) when out of memory or past the memory
 * bound.
 */
tl_status tl_trace_meta_set(tl_trace *trace, const char *key, const char *value,
			    struct tl_error *err);

/** The value of key (owned by the trace, valid until key is set again), or NULL. */
const char *tl_trace_meta_get(const tl_trace *trace, const char *key);

/** Number of metadata entries. */
size_t tl_trace_meta_count(const tl_trace *trace);

/**
 * Entry i: key and value (owned by the trace) in *ret_key and *ret_value.
 * false, the outputs untouched, when i is out of range.
 */
bool tl_trace_meta_at(const tl_trace *trace, size_t i, const char **ret_key,
		      const char **ret_value);

/*
 * Metadata keys that pass between the layers (each written by the readers or
 * the runner, read where named). In CSV each is a comment line, "# KEY: VALUE".
 */
#define TL_META_TITLE "title"      /* the chart's title, unless one is given */
#define TL_META_ROWS "rows"        /* TL_ROWS_BY_WORKER: draw a row per worker */
#define TL_ROWS_BY_WORKER "worker" /* ... its value (Chrome traces: a thread a row) */
/* TL_ROW_ORDER_APPEARANCE: rows in the order the input gave them */
#define TL_META_ROW_ORDER "row_order"
#define TL_ROW_ORDER_APPEARANCE "appearance" /* ... its value (Chrome's thread_sort_index) */
#define TL_META_REPEAT "repeat"              /* runs per mode of `timeline run --repeat` */
#define TL_META_ORIGIN "origin"              /* where times start: TL_ORIGIN_POOL, below */
#define TL_META_WORKLOAD "workload"          /* the runner's workload */
#define TL_META_WORKERS "workers"            /* the runner's workers per pool */
#define TL_META_GIL "gil"                    /* the runner's emulated GIL interval (ms) */
#define TL_META_JOBS_NOT_RUN "jobs_not_run"  /* jobs an interrupted run never started */
#define TL_META_BEGINNING_OF_TIME_US "beginning_of_time_us" /* Chrome's clock origin (µs) */

/*
 * Metadata key that marks a trace of an interrupted run (`timeline run`
 * stopped by a signal before every job completed). Its presence is what
 * counts; its value is free text for people, one line, such as
 * "3 of 8 jobs completed". In CSV: "# interrupted: 3 of 8 jobs completed".
 */
#define TL_META_INTERRUPTED "interrupted"

/*
 * Metadata key present (value "1") when the input gave each job's submit
 * time, so that tl_span.wait is its queue wait (Slurm, Nextflow, CSV with a
 * submit column); absent, waits are unknown.
 */
#define TL_META_QUEUED "queued"

/*
 * Metadata key present ("1") when a worker runs several jobs at once by
 * design (a Slurm node's CPUs, a Spark executor's cores, a Nextflow host):
 * tl_trace_stats() then counts a worker's overlapping jobs as side by side,
 * busy time their sum, workers the slots they needed, not the union of one
 * thread's work (see tl_group_stats.busy).
 */
#define TL_META_WORKER_SLOTS "worker_slots"

/**
 * Whether the trace records an interrupted run (it has TL_META_INTERRUPTED).
 * When it does and buf is not NULL, buf (size bytes) receives the line to
 * show: "interrupted: " and the value, or "interrupted" alone for an empty
 * value; a leading "yes" or "true" and the separator after it are dropped
 * ("yes, 3 of 8 jobs completed" shows as "interrupted: 3 of 8 jobs
 * completed"), control characters become blanks, and a line too long is cut
 * on a UTF-8 character boundary.
 */
bool tl_trace_interrupted(const tl_trace *trace, char *buf, size_t size);

/**
 * Status text: "ok"/"0", exit codes as decimal, "timeout", "unfinished",
 * "cancelled", "out_of_memory", "node_fail", "preempted", signals as
 * "SIGKILL" (or "SIG<n>" for a signal without a name). buf is the caller's
 * and must hold 16 bytes; returns buf or a static string. Never fails.
 */
const char *tl_exit_status_to_string(int32_t status, char buf[static 16]);

/** true for a job that failed: any status but 0 and TL_EXIT_UNFINISHED. */
bool tl_exit_status_failed(int32_t status);

/**
 * true for 0, exit codes, the TL_EXIT_ names and TL_EXIT_SIGNAL(n) of a
 * real signal n.
 */
bool tl_exit_status_valid(int32_t status);

/**
 * Parse a status text of len bytes (see above; also success/done,
 * failed/error/fail, running for unfinished) into *ret_status; false (and
 * *ret_status untouched) for text that is none of these.
 */
bool tl_exit_status_from_string(const char *s, size_t len, int32_t *ret_status);

/**
 * Append everything in src to dst: its groups (each renamed to
 * prefix + ":" + name, or to prefix alone when unnamed, when prefix is not
 * NULL; a name a group already in dst has gets " (2)", " (3)"...), spans,
 * samples and the metadata keys dst does not have yet. Everything is copied;
 * src is not changed. Errors: TL_ERR_NOMEM (out of memory or past dst's
 * bounds); TL_ERR_INPUT when src's times and dst's are more than TL_TIME_MAX
 * apart. On failure dst may hold part of src.
 */
tl_status tl_trace_merge(tl_trace *dst, const tl_trace *src, const char *prefix,
			 struct tl_error *err);

/**
 * Every unfinished span (status TL_EXIT_UNFINISHED) that has no length yet
 * (stop == start: a reader knew its start only) lasts to the end of its
 * group: the latest stop or sample of the group. Returns how many spans were
 * so extended, or SIZE_MAX with err set (TL_ERR_NOMEM).
 */
size_t tl_trace_close_unfinished(tl_trace *trace, struct tl_error *err);

/**
 * true when some group of trace has samples but no spans: a Gantt chart of it
 * needs tl_trace_envelopes().
 */
bool tl_trace_needs_envelopes(const tl_trace *trace);

/**
 * A copy of trace in which every job of a group with samples but no spans
 * also has one span, from its first sample to its last (ns, as the samples);
 * its worker is the samples' when they all name the same one, else none; no
 * label, status 0. Groups with spans are copied as they are. *ret is owned by
 * the caller (tl_trace_free()). Returns TL_OK or TL_ERR_NOMEM.
 */
tl_status tl_trace_envelopes(const tl_trace *trace, tl_trace **ret, struct tl_error *err);

/**
 * true when trace has at least min_groups groups (and two) and no two of them
 * are comparable (tl_trace_comparable()): they all ran at the same time, as a
 * workflow's processes or a Spark application's stages did.
 */
bool tl_trace_foldable(const tl_trace *trace, size_t min_groups);

/* Metadata of a folded trace whose workers are all its groups' names ("1"). */
#define TL_META_WORKERS_ARE_GROUPS "workers_are_groups"

/**
 * A copy of trace with all its groups as one unnamed group: its spans and
 * samples keep their times, status, wait; a worker is kept, and an item that
 * names none gets its group's name as worker (so that colours tell the
 * groups apart); job numbers stay unless two groups use one, when every
 * (group, job) is numbered anew from 0 in group then job order and a span
 * without a label is labelled "GROUP · job N". Metadata is copied but
 * TL_META_GROUPS, and TL_META_WORKERS_ARE_GROUPS is set when no item named
 * a worker. *ret is the caller's (tl_trace_free()). Returns TL_OK or
 * TL_ERR_NOMEM.
 */
tl_status tl_trace_fold(const tl_trace *trace, tl_trace **ret, struct tl_error *err);

/*
 * The "origin" metadata of a trace whose groups' times start when each
 * group's pool began to be made, so that a group's first start is its pool's
 * start-up.
 */
#define TL_ORIGIN_POOL "pool start"

/* Per-group figures computed by tl_trace_stats(). */
typedef struct tl_group_stats {
	uint32_t group;         /* group index */
	size_t jobs;            /* distinct jobs */
	size_t workers;         /* distinct workers, those rows that name none being one
				 * more (the unnamed worker) beside some that do; when
				 * none are named, lanes needed; with TL_META_WORKER_SLOTS,
				 * the slots each worker needed at once, summed */
	bool workers_named;     /* true when workers came from the input */
	size_t spans;           /* spans in the group */
	size_t samples;         /* samples in the group */
	size_t failed;          /* spans with non-zero status, unfinished ones aside */
	size_t unfinished;      /* spans with status TL_EXIT_UNFINISHED */
	tl_ns first;            /* earliest start (or sample) */
	tl_ns last;             /* latest stop (or sample) */
	tl_ns wall;             /* last - first */
	tl_ns busy;             /* per worker, the union of its spans, summed: nested spans
				 * count once; the spans naming no worker, beside some that
				 * do, are the unnamed worker's; where none names one, per
				 * job; for sample-only groups, per-job extents; with
				 * TL_META_WORKER_SLOTS, the spans' lengths summed */
	double concurrency;     /* busy / wall; 0 when wall is 0 */
	double speedup;         /* the reference group's wall / this wall (see
				 * tl_trace_reference()); 0 when undefined */
	bool against_serial;    /* the reference group is named "serial" */
	uint32_t reference;     /* the reference group; UINT32_MAX when there is none */
	tl_ns startup;          /* the pool's start-up: time 0 to the first start, when the
				 * trace's times start at each group's pool creation
				 * (metadata "origin: pool start", as timeline run writes);
				 * -1 otherwise */
	double utilisation;     /* busy / (workers × wall): how full the slots were, from 0
				 * to 1; 0 when wall is 0 */
	bool queued;            /* the trace has TL_META_QUEUED: waits are known */
	tl_ns wait_mean;        /* ns: mean queue wait (tl_span.wait) of its spans, rounded
				 * to the nearest; 0 unless queued */
	tl_ns wait_max;         /* ns: the longest queue wait; 0 unless queued */
	int64_t straggler;      /* the job of the span that ended last (the first such in
				 * the trace's order) */
	tl_str straggler_label; /* that span's label (TL_STR_NONE for none) */
	tl_ns straggler_alone;  /* ns at the group's end during which only that job
				 * ran: its stop - max(its start, the latest stop of
				 * any other job's span); 0 when another job ends at
				 * the same time; -1 for a group without spans */
} tl_group_stats;

/*
 * Metadata TL_META_GROUPS: TL_GROUPS_CONCURRENT says the trace's groups ran
 * at the same time (the processes of one Chrome trace, the hosts of one
 * joblog, tables of absolute times whose groups overlap): none is an
 * alternative to another, so no speedup compares them. Followed by ranges
 * of group indices, "concurrent 0-1 4-5" (as several inputs loaded into one
 * trace say it), only the groups of each range ran at the same time: the
 * processes of each of several Chrome traces, the traces themselves being
 * separate runs. TL_GROUPS_SEPARATE (or no TL_META_GROUPS) says none did.
 */
#define TL_META_GROUPS "groups"
#define TL_GROUPS_CONCURRENT "concurrent"
#define TL_GROUPS_SEPARATE "separate"

/**
 * Whether a speedup may compare groups a and b: false when a != b and they
 * ran at the same time (TL_META_GROUPS), true otherwise.
 */
bool tl_trace_comparable(const tl_trace *trace, uint32_t a, uint32_t b);

/**
 * The one definition of the group speedups are measured against, for stats,
 * charts and reports: the group called baseline (or, in a trace of repeated
 * runs, baseline's first run "baseline#1") when baseline is not NULL and
 * there is one; else the group called "serial" (or "serial#1"); else the
 * first group with spans or samples. false, with *ret_group untouched, when
 * no other group with spans or samples is comparable with it
 * (tl_trace_comparable(): one group compares with none, nor do groups that
 * ran at the same time). A speedup is then the reference's wall time / the
 * group's wall time, for the groups comparable with the reference.
 */
bool tl_trace_reference(const tl_trace *trace, const char *baseline, uint32_t *ret_group);

/**
 * Figures for every group, in group order, in a new array of
 * tl_trace_group_count() entries (at least one allocated) in *ret_stats,
 * which the caller frees with free(). Times in ns. Speedups are against
 * tl_trace_reference(trace, NULL). Errors: TL_ERR_NOMEM, *ret_stats
 * untouched.
 */
tl_status tl_trace_stats(const tl_trace *trace, tl_group_stats **ret_stats, struct tl_error *err);

/**
 * A speedup as shown everywhere: "1.53×" (two decimals), or with two
 * significant digits when under 0.01 ("0.0012×", "1.2e-14×") so that no
 * speedup reads as zero. buf must hold 24 bytes; returns buf.
 */
const char *tl_format_speedup(double speedup, char buf[static 24]);

/**
 * tl_trace_stats() with speedups against tl_trace_reference(trace, baseline)
 * (baseline may be NULL). Ownership and errors as tl_trace_stats().
 */
tl_status tl_trace_stats_against(const tl_trace *trace, const char *baseline,
				 tl_group_stats **ret_stats, struct tl_error *err);

/* One mode of a trace of repeated runs, summarised (see tl_trace_repeats()). */
typedef struct tl_repeat {
	char *name;            /* the mode's group name without its "#k" */
	uint32_t runs;         /* R */
	uint32_t *groups;      /* runs entries: the group of run k + 1 */
	uint32_t median_group; /* the run that stands for the mode: the lower middle wall */
	uint32_t median_run;   /* its k, 1-based */
	tl_ns wall_min, wall_median, wall_max; /* over the runs; wall_median is the
						* median run's (for an even count, the
						* lower of the middle two) */
	double speedup;      /* as tl_trace_stats(), on median walls: against the mode
			      * that holds the stats' reference group */
	bool against_serial; /* that mode is named "serial" */
} tl_repeat;

/**
 * When the trace holds R >= 2 runs of each mode (metadata "repeat: R" and
 * groups "NAME#1".."NAME#R", as timeline run --repeat writes), one entry per
 * mode in order of first appearance: *ret (free with tl_repeats_free()) and
 * *ret_n; otherwise *ret NULL and *ret_n 0. stats: tl_trace_stats()'s. Errors:
 * TL_ERR_NOMEM.
 */
tl_status tl_trace_repeats(const tl_trace *trace, const tl_group_stats *stats, tl_repeat **ret,
			   size_t *ret_n, struct tl_error *err);

/** Free what tl_trace_repeats() returned; NULL is a no-op. */
void tl_repeats_free(tl_repeat *repeats, size_t n);

/*
 * Metadata key that marks a benchmark: each job is a command and its spans
 * are the command's runs, made one after another, never two at once (as
 * hyperfine runs them). Its presence is what counts; its value names the
 * program that ran them ("hyperfine"). Workers, lanes, concurrency and wall
 * time say nothing of a benchmark: tl_trace_bench() gives the figures that do.
 */
#define TL_META_BENCHMARK "benchmark"

/* One command of a benchmark, its runs summarised as hyperfine does (see tl_trace_bench()). */
typedef struct tl_bench_stats {
	uint32_t group;         /* group index */
	int64_t job;            /* the command's job number */
	tl_str label;           /* the command: its first labelled run's label, or TL_STR_NONE */
	size_t runs;            /* runs with a time: its spans, failed ones included */
	size_t failed;          /* runs that failed (tl_exit_status_failed()) */
	tl_ns mean;             /* ns, rounded to the nearest */
	tl_ns stddev;           /* ns: sample standard deviation (n - 1), rounded; -1 for
				 * one run, where it is undefined */
	tl_ns median;           /* ns: the middle run, or the mean of the middle two
				 * (rounded half up) for an even count */
	tl_ns min, max;         /* ns */
	double relative;        /* mean / the fastest mean of its group (1 for the fastest);
				 * 0 when the fastest mean is 0 */
	double relative_stddev; /* relative * sqrt((stddev / mean)^2 + (fastest stddev /
				 * fastest mean)^2), as hyperfine's relative speed; -1 for
				 * the fastest itself, when either stddev is undefined, or
				 * when relative is 0 */
	bool fastest;           /* the reference of relative: the first command of its
				 * group with the least mean */
} tl_bench_stats;

/**
 * Per command (job) of every group, the figures hyperfine prints and exports
 * for a benchmark (TL_META_BENCHMARK): runs, mean, standard deviation,
 * median, min, max, failed runs and the speed relative to the group's
 * fastest command. A run's time is its span's stop - start; every run with a
 * time counts, failed ones too (hyperfine -i keeps them in its figures), so
 * the numbers equal the export's own "mean", "stddev", "median", "min" and
 * "max" to the nanosecond; unfinished spans (no time) are left out. Means,
 * deviations and ratios are computed from the exact times before rounding.
 * *ret is a new array in group order, then job order (free() it), *ret_n its
 * length, 0 (and *ret NULL) for a trace without spans. Any trace can be
 * summarised; the figures mean something where its jobs' runs did not
 * overlap. Errors: TL_ERR_NOMEM, with *ret and *ret_n untouched.
 */
tl_status tl_trace_bench(const tl_trace *trace, tl_bench_stats **ret, size_t *ret_n,
			 struct tl_error *err);

/**
 * Pack the spans of one group into lanes: lane[i] for spans[i] of the group
 * (indices into tl_trace_spans(); other groups' entries are left alone) so that
 * no two spans in one lane overlap, greedily by start time, lowest free lane
 * first. *ret_lanes is the number of lanes used. lane is the caller's and must
 * hold as many entries as the trace has spans. Errors: TL_ERR_USAGE when
 * group does not exist; TL_ERR_NOMEM.
 */
tl_status tl_trace_pack_lanes(const tl_trace *trace, uint32_t group, uint32_t *lane,
			      size_t *ret_lanes, struct tl_error *err);

#endif
