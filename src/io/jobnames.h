#ifndef TIMELINE_IO_JOBNAMES_H
#define TIMELINE_IO_JOBNAMES_H

/*
 * Jobs given as text instead of a number ("compile foo.c", a task's name):
 * numbered per group in order of first appearance, 0, 1, 2 ..., the one
 * policy of every reader that meets them. Caller storage: a zeroed
 * struct tl_jobnames is empty; tl_jobnames_free() frees what it holds.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <timeline/trace.h>

#include "../util/hashmap.h"

struct tl_jobnames {
	struct tl_hashmap index; /* (group, name id) → the name's number */
	uint32_t *count;         /* per group: names numbered so far */
	size_t ngroups;          /* groups count has room for (the rest have none) */
};

/*
 * The number of the job called name (an id of the trace the caller reads
 * into) in group, in *ret_job: the next of its group when the name is new.
 * false when out of memory (nothing changed).
 */
bool tl_jobnames_number(struct tl_jobnames *j, uint32_t group, tl_str name, int64_t *ret_job);

/* How many names group has numbered: the number the next new name gets. */
static inline uint32_t tl_jobnames_count(const struct tl_jobnames *j, uint32_t group) {
	return group < j->ngroups ? j->count[group] : 0;
}

void tl_jobnames_free(struct tl_jobnames *j);

#endif
