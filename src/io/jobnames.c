#include "jobnames.h"

#include "../util/grow.h"

#include <stdlib.h>
#include <string.h>

bool tl_jobnames_number(struct tl_jobnames *j, uint32_t group, tl_str name, int64_t *ret_job) {
	if (group >= j->ngroups) {
		size_t cap = j->ngroups;
		if (!tl_grow((void **)&j->count, &cap, (size_t)group + 1, sizeof(*j->count))) {
			return false;
		}
		memset(j->count + j->ngroups, 0, (cap - j->ngroups) * sizeof(*j->count));
		j->ngroups = cap;
	}
	uint32_t n;
	bool fresh;
	uint64_t key = (uint64_t)group << 32 | name;
	if (!tl_hashmap_get_or_put(&j->index, key, j->count[group], &n, &fresh)) {
		return false;
	}
	j->count[group] += fresh;
	*ret_job = n;
	return true;
}

void tl_jobnames_free(struct tl_jobnames *j) {
	tl_hashmap_fini(&j->index);
	free(j->count);
	memset(j, 0, sizeof(*j));
}
