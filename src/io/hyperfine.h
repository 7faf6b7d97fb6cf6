#ifndef TIMELINE_IO_HYPERFINE_H
#define TIMELINE_IO_HYPERFINE_H

#include <timeline/io.h>

/* true when data is a JSON object whose first key is "results". */
bool tl_hyperfine_sniff(const char *data, size_t len);

/* Parse a hyperfine --export-json file into a new trace (see hyperfine.c). */
tl_status tl_hyperfine_read(const char *data, size_t len, const char *name,
			    const tl_read_opts *opts, tl_trace **ret_trace, struct tl_error *err);

#endif
