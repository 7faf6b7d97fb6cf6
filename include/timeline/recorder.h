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

typedef struct tl_recorder tl_recorder;

/** Nanoseconds on CLOCK_MONOTONIC. */
tl_ns tl_now(void);

/** A new recorder whose times are relative to now, or NULL when out of memory. */
tl_recorder *tl_recorder_new(void);

/** Free the recorder and every thread's buffer. NULL is a no-op. */
void tl_recorder_free(tl_recorder *r);

/**
 * Record a finished span of job in group (NULL: unnamed) with absolute
 * tl_now() times start and stop. Thread-safe. false when out of memory.
 */
bool tl_record_span(tl_recorder *r, const char *group, int64_t job, tl_ns start, tl_ns stop,
		    int32_t status);

/** Start a span on the calling thread (spans of one thread nest). */
bool tl_span_begin(tl_recorder *r, const char *group, int64_t job);

/** End the calling thread's innermost open span. false when none is open. */
bool tl_span_end(tl_recorder *r, int32_t status);

/** Record a sample now for job in group on the calling thread. */
bool tl_record_sample(tl_recorder *r, const char *group, int64_t job);

/**
 * Everything recorded so far as a new trace (times relative to the
 * recorder's creation; each recording thread is a worker named by its
 * order of first recording, from 0). Call when recording threads are done.
 */
tl_status tl_recorder_trace(tl_recorder *r, tl_trace **ret_trace, struct tl_error *err);

/** tl_recorder_trace() written as CSV to path ("-": standard output), atomically. */
tl_status tl_recorder_write(tl_recorder *r, const char *path, struct tl_error *err);

#endif
