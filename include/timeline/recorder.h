#ifndef TIMELINE_RECORDER_H
#define TIMELINE_RECORDER_H

/*
 * Recording from your own C program: spans (a job's start and stop) and
 * samples (a timestamp) from any number of threads, turned into a tl_trace
 * or a CSV file at the end. Each thread writes to a buffer of its own, so the
 * hot path takes no lock; the recorder owns every buffer until
 * tl_recorder_free(). Strings passed in (group names) must stay valid until
 * the recorder is turned into a trace.
 */

#include <timeline/trace.h>

/** The recorder, an opaque handle: tl_recorder_new() makes one, tl_recorder_free() frees it. */
typedef struct tl_recorder tl_recorder;

/** Nanoseconds on CLOCK_MONOTONIC (an arbitrary zero, the same for every thread). Never fails. */
tl_ns tl_now(void);

/** A new recorder whose times are relative to now, or NULL when out of memory. */
tl_recorder *tl_recorder_new(void);

/** Free the recorder and every thread's buffer. NULL is a no-op. */
void tl_recorder_free(tl_recorder *r);

/**
 * Record a finished span of job in group (NULL: unnamed) with absolute
 * tl_now() times start and stop (ns; a stop before start is taken as start)
 * and status (as tl_span.status).
 * Thread-safe. group is not copied: it must stay valid until the recorder is
 * turned into a trace. false when out of memory (the span is not recorded).
 */
bool tl_recorder_span(tl_recorder *r, const char *group, int64_t job, tl_ns start, tl_ns stop,
		      int32_t status);

/**
 * Start a span of job in group (NULL: unnamed) on the calling thread, now
 * (spans of one thread nest). group as in tl_recorder_span(). false when out
 * of memory or when 64 spans are already open on the calling thread.
 */
bool tl_recorder_span_begin(tl_recorder *r, const char *group, int64_t job);

/**
 * End the calling thread's innermost open span now, with status (as
 * tl_span.status). false when none is open, or when out of memory.
 */
bool tl_recorder_span_end(tl_recorder *r, int32_t status);

/**
 * Record a sample now for job in group (NULL: unnamed; as in
 * tl_recorder_span()) on the calling thread. false when out of memory.
 */
bool tl_recorder_sample(tl_recorder *r, const char *group, int64_t job);

/**
 * Everything recorded so far as a new trace in *ret_trace (times in ns
 * relative to the recorder's creation; each recording thread is a worker
 * named by its order of first recording, from 0), which the caller frees
 * with tl_trace_free(); untouched on failure. The recorder keeps its
 * records. Call when recording threads are done. Errors: TL_ERR_NOMEM (out
 * of memory); TL_ERR_INPUT for times more than TL_TIME_MAX apart;
 * TL_ERR_USAGE for a status that tl_exit_status_valid() refuses.
 */
tl_status tl_recorder_trace(tl_recorder *r, tl_trace **ret_trace, struct tl_error *err);

/**
 * tl_recorder_trace() written as CSV to path ("-": standard output),
 * atomically. Errors: those of tl_recorder_trace() and of tl_write_file()
 * (TL_ERR_IO when the file cannot be written, TL_ERR_NOMEM).
 */
tl_status tl_recorder_write(tl_recorder *r, const char *path, struct tl_error *err);

#endif
