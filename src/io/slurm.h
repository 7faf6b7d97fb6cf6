#ifndef TIMELINE_IO_SLURM_H
#define TIMELINE_IO_SLURM_H

/*
 * The same three entries as nextflow.h, on purpose: both logs are read
 * alike (delim.h holds what they share), but each is told by its own field
 * names and read by its own rules, so each keeps its own header.
 */

#include <timeline/io.h>

/*
 * true when data starts with the header of sacct --parsable2 (or --parsable)
 * output: field names of sacct's, JobID or JobIDRaw among them, joined by one
 * delimiter.
 */
bool tl_slurm_sniff(const char *data, size_t len);

/* true when a --fields list names sacct fields (it has JobID or JobIDRaw). */
bool tl_slurm_fields_sniff(const char *fields);

/* Parse sacct --parsable2 output into a new trace (see slurm.c). */
tl_status tl_slurm_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err);

#endif
