#ifndef TIMELINE_IO_JOBLOG_H
#define TIMELINE_IO_JOBLOG_H

#include <timeline/io.h>

/* true when data starts like a GNU parallel --joblog. */
bool tl_joblog_sniff(const char *data, size_t len);

/* Parse a GNU parallel --joblog into a new trace (see joblog.c). */
tl_status tl_joblog_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			 tl_trace **ret_trace, struct tl_error *err);

#endif
