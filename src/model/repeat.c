/*
 * Repeats: a trace of R runs of each mode (metadata "repeat: R", groups
 * "NAME#1".."NAME#R", as timeline run --repeat writes) summarised one mode at
 * a time: the run whose wall time is the median stands for the mode, and the
 * spread of the R wall times goes with it. Pure arithmetic on the stats.
 */

#include <timeline/trace.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "NAME#k": the length of NAME and k (1-based); false for any other name. */
static bool split_run(const char *name, size_t *ret_len, unsigned long *ret_k) {
	const char *hash = strrchr(name, '#');
	if (!hash || hash == name || !hash[1]) {
		return false;
	}
	char *end;
	unsigned long k = strtoul(hash + 1, &end, 10);
	if (*end || k == 0 || hash[1] < '1' || hash[1] > '9') {
		return false;
	}
	*ret_len = (size_t)(hash - name);
	*ret_k = k;
	return true;
}

static int cmp_ns(const void *a, const void *b) {
	tl_ns x = *(const tl_ns *)a, y = *(const tl_ns *)b;
	return (x > y) - (x < y);
}

void tl_repeats_free(tl_repeat *r, size_t n) {
	for (size_t i = 0; r && i < n; i++) {
		free(r[i].name);
		free(r[i].groups);
	}
	free(r);
}

/* Fill r (name, runs and groups set) with the median run and the spread. */
static bool summarise(tl_repeat *r, const tl_group_stats *stats) {
	tl_ns *walls = malloc(r->runs * sizeof(*walls));
	if (!walls) {
		return false;
	}
	for (uint32_t k = 0; k < r->runs; k++) {
		walls[k] = stats[r->groups[k]].wall;
	}
	qsort(walls, r->runs, sizeof(*walls), cmp_ns);
	uint32_t mid = (r->runs - 1) / 2;
	r->wall_min = walls[0];
	r->wall_max = walls[r->runs - 1];
	/* The shown run's: for an even count, the lower of the middle two, so that
	 * the row and the panel show one run's figures throughout. */
	r->wall_median = walls[mid];
	/* The run shown: the first whose wall is the lower middle one. */
	for (uint32_t k = 0; k < r->runs; k++) {
		if (stats[r->groups[k]].wall == walls[mid]) {
			r->median_group = r->groups[k];
			r->median_run = k + 1;
			break;
		}
	}
	free(walls);
	return true;
}

tl_status tl_trace_repeats(const tl_trace *t, const tl_group_stats *stats, tl_repeat **ret,
			   size_t *ret_n, struct tl_error *err) {
	*ret = NULL;
	*ret_n = 0;
	const char *rs = tl_trace_meta_get(t, TL_META_REPEAT);
	char *end;
	unsigned long runs = rs ? strtoul(rs, &end, 10) : 0;
	size_t ng = tl_trace_group_count(t);
	if (!rs || *end || runs < 2 || runs > ng || ng % runs != 0) {
		return TL_OK;
	}
	size_t nmodes = ng / runs;
	tl_repeat *r = calloc(nmodes, sizeof(*r));
	size_t n = 0;
	if (!r) {
		goto nomem;
	}
	for (uint32_t g = 0; g < ng; g++) {
		const char *name = tl_trace_group_name(t, g);
		size_t len;
		unsigned long k;
		if (!split_run(name, &len, &k) || k > runs) {
			tl_repeats_free(r, n);
			return TL_OK; /* not R runs of each mode after all */
		}
		size_t i = 0;
		while (i < n && !(strlen(r[i].name) == len && strncmp(r[i].name, name, len) == 0)) {
			i++;
		}
		if (i == n) {
			if (n == nmodes) {
				tl_repeats_free(r, n);
				return TL_OK;
			}
			r[n].name = strndup(name, len);
			r[n].groups = malloc(runs * sizeof(*r[n].groups));
			r[n].runs = (uint32_t)runs;
			n++;
			if (!r[i].name || !r[i].groups) {
				goto nomem;
			}
			for (uint32_t j = 0; j < runs; j++) {
				r[i].groups[j] = UINT32_MAX;
			}
		}
		if (r[i].groups[k - 1] != UINT32_MAX) {
			tl_repeats_free(r, n);
			return TL_OK; /* the same run twice */
		}
		r[i].groups[k - 1] = g;
	}
	/* The mode that holds the stats' reference group is the reference. */
	size_t ref = n;
	uint32_t ref_group = n ? stats[0].reference : UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!summarise(&r[i], stats)) {
			goto nomem;
		}
		for (uint32_t k = 0; k < r[i].runs && ref == n; k++) {
			ref = r[i].groups[k] == ref_group ? i : ref;
		}
	}
	/* Speedup as tl_trace_stats() defines it, on the median walls. */
	for (size_t i = 0; i < n; i++) {
		r[i].against_serial = ref < n && strcmp(r[ref].name, "serial") == 0;
		r[i].speedup = ref < n && r[i].wall_median > 0 && r[ref].wall_median > 0
				       ? (double)r[ref].wall_median / (double)r[i].wall_median
				       : 0;
	}
	*ret = r;
	*ret_n = n;
	return TL_OK;
nomem:
	tl_repeats_free(r, n);
	return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
}
