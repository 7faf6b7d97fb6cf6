/*
 * Folding: the groups of one run that ran at the same time (a workflow's
 * processes, a Spark application's stages) as one group, so that a chart of
 * dozens of them is one timeline of tasks rather than dozens of panels.
 */

#include <timeline/trace.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tl_trace_foldable(const tl_trace *t, size_t min_groups) {
	size_t ng = tl_trace_group_count(t);
	if (ng < min_groups || ng < 2) {
		return false;
	}
	for (uint32_t a = 0; a < ng; a++) {
		for (uint32_t b = a + 1; b < ng; b++) {
			if (tl_trace_comparable(t, a, b)) {
				return false;
			}
		}
	}
	return true;
}

struct key {
	uint32_t group;
	int64_t job;
	size_t order; /* first appearance */
};

static int cmp_job(const void *x, const void *y) {
	const struct key *a = x, *b = y;
	return (a->job > b->job) - (a->job < b->job);
}

/* Every span's and sample's (group, job), in that order; NULL when out of memory. */
static struct key *item_keys(const tl_trace *t, size_t *ret_n) {
	size_t n, m, k = 0;
	const tl_span *sp = tl_trace_spans(t, &n);
	m = tl_trace_sample_count(t);
	struct key *keys = malloc((n + m ? n + m : 1) * sizeof(*keys));
	for (size_t i = 0; keys && i < n; i++) {
		keys[k++] = (struct key){sp[i].group, sp[i].job, i};
	}
	for (size_t i = 0; keys && i < m; i++) {
		tl_sample x = tl_trace_sample(t, i);
		keys[k++] = (struct key){x.group, x.job, n + i};
	}
	*ret_n = n + m;
	return keys;
}

/* Whether some job number is used by two groups: then jobs are numbered anew. */
static bool jobs_collide(const tl_trace *t) {
	size_t k;
	struct key *keys = item_keys(t, &k);
	if (!keys) {
		return true;
	}
	qsort(keys, k, sizeof(*keys), cmp_job);
	bool collide = false;
	for (size_t i = 1; i < k && !collide; i++) {
		collide = keys[i].job == keys[i - 1].job && keys[i].group != keys[i - 1].group;
	}
	free(keys);
	return collide;
}

/* The folded trace's string for src's string s (ids differ between traces). */
static tl_status copy_str(tl_trace *dst, const tl_trace *src, tl_str s, tl_str *ret,
			  struct tl_error *err) {
	const char *text = tl_trace_str(src, s);
	return tl_trace_intern(dst, text, tl_trace_str_len(src, s), ret, err);
}

/* Worker of a folded item: its own, or (none named) its group's name. */
static tl_status fold_worker(tl_trace *dst, const tl_trace *src, uint32_t g, tl_str w, tl_str *ret,
			     struct tl_error *err) {
	if (w != TL_STR_NONE) {
		return copy_str(dst, src, w, ret, err);
	}
	const char *name = tl_trace_group_label(src, g);
	return tl_trace_intern(dst, name, strlen(name), ret, err);
}

static int cmp_group_job(const void *x, const void *y) {
	const struct key *a = x, *b = y;
	if (a->group != b->group) {
		return a->group < b->group ? -1 : 1;
	}
	if (a->job != b->job) {
		return a->job < b->job ? -1 : 1;
	}
	return (a->order > b->order) - (a->order < b->order);
}

/*
 * New job numbers, per item (spans, then samples): 0, 1, ... for each
 * (group, job) in group order, then job order; NULL when out of memory.
 */
static int64_t *renumber(const tl_trace *t) {
	size_t k;
	struct key *keys = item_keys(t, &k);
	int64_t *job = malloc((k ? k : 1) * sizeof(*job));
	if (!keys || !job) {
		free(keys);
		free(job);
		return NULL;
	}
	qsort(keys, k, sizeof(*keys), cmp_group_job);
	int64_t next = -1;
	for (size_t i = 0; i < k; i++) {
		bool same = i > 0 && keys[i].group == keys[i - 1].group &&
			    keys[i].job == keys[i - 1].job;
		next += !same;
		job[keys[i].order] = next;
	}
	free(keys);
	return job;
}

/* Metadata but the groups' concurrency, which names groups no longer there. */
static tl_status copy_meta(tl_trace *dst, const tl_trace *src, struct tl_error *err) {
	tl_status st = TL_OK;
	for (size_t i = 0; i < tl_trace_meta_count(src) && st == TL_OK; i++) {
		const char *k, *v;
		if (tl_trace_meta_at(src, i, &k, &v) && strcmp(k, TL_META_GROUPS) != 0) {
			st = tl_trace_meta_set(dst, k, v, err);
		}
	}
	return st;
}

/* A span's label in the folded trace: its own, or "GROUP · job N" when jobs were renumbered. */
static tl_status fold_label(tl_trace *dst, const tl_trace *src, const tl_span *s, bool renumbered,
			    tl_str *ret, struct tl_error *err) {
	if (s->label != TL_STR_NONE || !renumbered) {
		return copy_str(dst, src, s->label, ret, err);
	}
	char buf[512];
	int len = snprintf(buf, sizeof(buf), "%s \xc2\xb7 job %lld",
			   tl_trace_group_label(src, s->group), (long long)s->job);
	return tl_trace_intern(dst, buf, len < 0 ? 0 : strnlen(buf, sizeof(buf)), ret, err);
}

static tl_status fold_items(tl_trace *dst, const tl_trace *src, uint32_t g, const int64_t *job,
			    struct tl_error *err) {
	size_t n, m, own = 0;
	const tl_span *sp = tl_trace_spans(src, &n);
	m = tl_trace_sample_count(src);
	tl_status st = tl_trace_reserve(dst, n, m, err);
	for (size_t i = 0; i < n && st == TL_OK; i++) {
		tl_span s = sp[i];
		own += sp[i].worker != TL_STR_NONE;
		st = fold_worker(dst, src, sp[i].group, sp[i].worker, &s.worker, err);
		if (st == TL_OK) {
			st = fold_label(dst, src, &sp[i], job != NULL, &s.label, err);
		}
		s.group = g;
		s.job = job ? job[i] : s.job;
		if (st == TL_OK) {
			st = tl_trace_add_span(dst, &s, err);
		}
	}
	for (size_t i = 0; i < m && st == TL_OK; i++) {
		const tl_sample x = tl_trace_sample(src, i);
		tl_sample s = x;
		own += x.worker != TL_STR_NONE;
		st = fold_worker(dst, src, x.group, x.worker, &s.worker, err);
		s.group = g;
		s.job = job ? job[n + i] : s.job;
		if (st == TL_OK) {
			st = tl_trace_add_sample(dst, &s, err);
		}
	}
	if (st == TL_OK && own == 0) {
		st = tl_trace_meta_set(dst, TL_META_WORKERS_ARE_GROUPS, "1", err);
	}
	return st;
}

tl_status tl_trace_fold(const tl_trace *t, tl_trace **ret, struct tl_error *err) {
	tl_trace *dst = tl_trace_new();
	int64_t *job = NULL;
	uint32_t g;
	tl_status st = dst ? TL_OK : TL_ERR_NOMEM;
	if (st == TL_OK && jobs_collide(t)) {
		job = renumber(t);
		st = job ? TL_OK : TL_ERR_NOMEM;
	}
	if (st == TL_ERR_NOMEM) {
		st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (st == TL_OK) {
		st = tl_trace_group(dst, "", 0, &g, err);
	}
	if (st == TL_OK) {
		st = copy_meta(dst, t, err);
	}
	if (st == TL_OK) {
		st = fold_items(dst, t, g, job, err);
	}
	free(job);
	if (st != TL_OK) {
		tl_trace_free(dst);
		return st;
	}
	*ret = dst;
	return TL_OK;
}
