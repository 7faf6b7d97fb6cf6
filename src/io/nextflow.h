#ifndef TIMELINE_IO_NEXTFLOW_H
#define TIMELINE_IO_NEXTFLOW_H

/*
 * The same three entries as slurm.h, on purpose: both logs are read alike
 * (delim.h holds what they share), but each is told by its own field names
 * and read by its own rules, so each keeps its own header.
 */

#include <timeline/io.h>

/*
 * true when data starts with the header of a Nextflow trace file: field
 * names of the trace's, hash or native_id among them and a time (submit,
 * start or complete), joined by one delimiter (a tab unless trace.sep says
 * otherwise).
 */
bool tl_nextflow_sniff(const char *data, size_t len);

/* true when a --fields list names trace fields (it has task_id or hash, and a time). */
bool tl_nextflow_fields_sniff(const char *fields);

/* Parse a Nextflow trace file into a new trace (see nextflow.c). */
tl_status tl_nextflow_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			   tl_trace **ret_trace, struct tl_error *err);

#endif
