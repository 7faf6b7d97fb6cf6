#ifndef TIMELINE_IO_SPARK_H
#define TIMELINE_IO_SPARK_H

#include <timeline/io.h>

/* true when data starts like an Apache Spark event log: {"Event":"SparkListener...". */
bool tl_spark_sniff(const char *data, size_t len);

/*
 * Parse an Apache Spark event log (JSON lines) into a new trace: a span per
 * task (see spark.c). opts->group_by: NULL or "stage" (a group per stage
 * attempt), or "app" (one group); any other word is TL_ERR_USAGE.
 */
tl_status tl_spark_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err);

#endif
