#ifndef TIMELINE_IO_NINJA_H
#define TIMELINE_IO_NINJA_H

#include <timeline/io.h>

/* true when data starts like a ninja build log: "# ninja log v". */
bool tl_ninja_sniff(const char *data, size_t len);

/*
 * Parse a ninja build log (.ninja_log, versions 5 to 7) into a new trace:
 * the build opts->build picks (see ninja.c). TL_ERR_INPUT for a malformed
 * log, TL_ERR_USAGE for a build number past the log's builds.
 */
tl_status tl_ninja_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err);

#endif
