#ifndef TIMELINE_IO_CSV_H
#define TIMELINE_IO_CSV_H

#include <timeline/io.h>

/*
 * Parse len bytes of CSV (see docs/csv-format.md) as if read from a file
 * called name (used in messages; may be NULL), bare times in unit. On
 * success *ret_trace is a new trace the caller frees with tl_trace_free();
 * untouched on failure. Errors: TL_ERR_INPUT for malformed CSV (name, line
 * and column); TL_ERR_NOMEM. The library's users read CSV with tl_read_mem()
 * or tl_read_file(), which also take the options.
 */
tl_status tl_csv_read(const char *data, size_t len, const char *name, tl_unit unit,
		      tl_trace **ret_trace, struct tl_error *err);

/*
 * tl_csv_read() for a file mapped from disk: with drop_behind, pages the
 * parser has finished with are handed back to the kernel as it goes, so a
 * large file does not stay resident on top of the trace built from it. Only
 * for file-backed mappings (the pages can be read again); never for memory
 * the caller wrote.
 */
tl_status tl_csv_read_mapped(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool drop_behind, tl_trace **ret_trace,
			     struct tl_error *err);

/* Whether c may stand in a metadata key ("# key: value"): letters, digits, _ - . */
bool tl_csv_meta_key_char(char c);

/*
 * How tables are read on several threads (csv.c says how): from min_bytes
 * of rows on, on threads threads (0: one per online processor, at most 8;
 * 1: never). For tests, which split small tables to check that the result
 * is the same; not thread-safe, set it before reading.
 */
void tl_csv_set_split(size_t min_bytes, int threads);

/*
 * Shift a trace whose times are absolute (epoch, at or above
 * TL_EPOCH_THRESHOLD_NS) to start at zero, keeping the origin in metadata
 * "epoch_ns". Shared by the readers.
 */
tl_status tl_io_normalise_epoch(tl_trace *t, struct tl_error *err);

/* What clock a table's times were read off. */
enum tl_io_clock {
	TL_CLOCK_EPOCH_IF_LARGE, /* numbers: epoch times when at or above the threshold */
	TL_CLOCK_EPOCH,          /* dates and times: epoch times whatever their size */
	TL_CLOCK_TIME_OF_DAY,    /* times of day */
	TL_CLOCK_OTHER,          /* a clock's nanoseconds, not the epoch */
};

/*
 * Place a freshly read table's times: moved to start at zero, the origin kept
 * in metadata (TL_META_EPOCH_NS, TL_META_TIME_OF_DAY_NS or TL_META_CLOCK_NS),
 * when they were read off a clock (for TL_CLOCK_EPOCH_IF_LARGE, as
 * tl_io_normalise_epoch()); then, unless
 * align is TL_TIMES_ABSOLUTE or the trace's origin is each pool's start,
 * move every group to start at zero when align is TL_TIMES_START or when no
 * two groups overlap in time (noted in metadata "note.align").
 */
tl_status tl_io_place_times(tl_trace *t, enum tl_io_clock clock, tl_time_align align,
			    struct tl_error *err);

/*
 * Whether a writer writes metadata key: all of it but the reader's notes on
 * how an input was read (TL_META_NOTE_PREFIX keys and TL_META_COLUMNS).
 */
bool tl_io_meta_written(const char *key);

/*
 * Visit spans and samples in their own orders, interleaved so that groups
 * first appear in the trace's group order (readers number groups by first
 * appearance). seen: one false flag per group, scratch.
 */
void tl_io_walk(const tl_trace *t, bool *seen, void (*on_span)(void *, const tl_span *),
		void (*on_sample)(void *, const tl_sample *), void *ctx);

#endif
