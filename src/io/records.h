#ifndef TIMELINE_IO_RECORDS_H
#define TIMELINE_IO_RECORDS_H

#include <timeline/io.h>

/*
 * true when data is JSON records, not a Chrome trace: a top-level array
 * whose first element is an object without "ph"; JSON lines (an object, then
 * more on later lines); or one object without "traceEvents" that holds one
 * array member of objects ({"jobs": [...]}).
 */
bool tl_records_sniff(const char *data, size_t len);

/*
 * Parse JSON records into a new trace: one span (or sample) per object,
 * fields matched to roles as CSV columns are (see records.c and
 * docs/csv-format.md); opts->columns may name nested fields by dotted path.
 */
tl_status tl_records_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			  tl_trace **ret_trace, struct tl_error *err);

#endif
