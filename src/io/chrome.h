#ifndef TIMELINE_IO_CHROME_H
#define TIMELINE_IO_CHROME_H

#include <timeline/io.h>

/* true when data starts like JSON (an object or an array). */
bool tl_chrome_sniff(const char *data, size_t len);

/* Parse a Chrome Trace Event Format file into a new trace (see chrome.c). */
tl_status tl_chrome_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			 tl_trace **ret_trace, struct tl_error *err);

/*
 * Write the trace as Chrome trace JSON: a process per group, a thread per
 * worker (named with M events), X events for spans with job, status and
 * label in args, instant events for samples, metadata in otherData. Times are
 * microseconds with three decimals, so nanoseconds survive.
 */
tl_status tl_chrome_write(const tl_trace *t, FILE *f, const char *name, struct tl_error *err);

#endif
