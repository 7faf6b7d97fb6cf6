/*
 * Per-group figures for `timeline stats` and the chart annotations: jobs,
 * workers, wall time, busy time, concurrency and speedup. Pure arithmetic on
 * the model; formatting is the caller's.
 *
 * A group with spans is measured from its spans. A group with only samples is
 * measured from each job's first to last sample, which is what the live
 * tracker's figure shows as the job's extent.
 */

#include <timeline/trace.h>

#include "lanes.h"
#include "trace_body.h"
#include "../util/hashmap.h"
#include "../util/sort.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Map job → extent, in order of first appearance; cleared per group. */
struct jobmap {
	struct tl_hashmap index; /* job → its entry in e */
	struct extent {
		tl_ns lo, hi;
	} * e;
	size_t n, cap;
};

/* Busy time sums durations: centuries of busy time saturate instead of wrapping. */
static tl_ns add_sat(tl_ns a, tl_ns b) {
	tl_ns r;
	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

static bool jobmap_add(struct jobmap *m, int64_t job, tl_ns lo, tl_ns hi) {
	uint32_t k;
	bool fresh;
	if (m->n >= UINT32_MAX || !tl_grow((void **)&m->e, &m->cap, m->n + 1, sizeof(*m->e)) ||
	    !tl_hashmap_get_or_put(&m->index, (uint64_t)job, (uint32_t)m->n, &k, &fresh)) {
		return false;
	}
	if (fresh) {
		m->e[m->n++] = (struct extent){lo, hi};
		return true;
	}
	m->e[k].lo = lo < m->e[k].lo ? lo : m->e[k].lo;
	m->e[k].hi = hi > m->e[k].hi ? hi : m->e[k].hi;
	return true;
}

static void jobmap_clear(struct jobmap *m) {
	tl_hashmap_clear(&m->index);
	m->n = 0;
}

static void jobmap_free(struct jobmap *m) {
	tl_hashmap_fini(&m->index);
	free(m->e);
	*m = (struct jobmap){0};
}

/*
 * Counts distinct worker ids; stamp[] is shared across groups. *unnamed says
 * whether some row names no worker.
 */
static size_t count_worker(uint32_t *stamp, tl_str w, uint32_t mark, size_t *named, bool *unnamed) {
	*unnamed |= w == TL_STR_NONE;
	if (w == TL_STR_NONE || stamp[w] == mark) {
		return 0;
	}
	stamp[w] = mark;
	(*named)++;
	return 1;
}

/*
 * Where a group's spans (or samples) are: positions from..to of idx, or of
 * the whole array when idx is NULL (then other groups' rows are skipped).
 */
struct range {
	const size_t *idx;
	size_t from, to;
};

#define EACH(r, k, i)                                                                              \
	for (size_t k = (r).from, i; k < (r).to && (i = (r).idx ? (r).idx[k] : k, 1); k++)

/* A span of a group as busy time sees it: who ran it, and when. */
struct busy_iv {
	bool by_job; /* the span and every other of its group name no worker: who is its job */
	int64_t who; /* worker id (UNNAMED for the unnamed worker), or job */
	tl_ns lo, hi;
};

/* In a group where some spans name a worker, the worker of those that name none. */
#define UNNAMED ((int64_t)-1)

static int cmp_busy(const void *a, const void *b) {
	const struct busy_iv *x = a, *y = b;
	if (x->by_job != y->by_job) {
		return x->by_job < y->by_job ? -1 : 1;
	}
	if (x->who != y->who) {
		return x->who < y->who ? -1 : 1;
	}
	return (x->lo > y->lo) - (x->lo < y->lo);
}

/*
 * Busy time: for each worker, the length of the union of its spans, summed.
 * In a group where some spans name a worker, those that name none are one
 * more worker, the unnamed one (as convert puts them on one thread); where
 * none names a worker, each job is its own. A span nested in another of the
 * same thread (a call inside a call) is not work done twice, so busy time is
 * never more than workers × wall time. When the trace's workers have
 * several slots (TL_META_WORKER_SLOTS: a node's cores, an executor's), jobs
 * that overlap on a worker ran side by side: busy time is their sum, and
 * *ret_slots the slots they needed (each worker's most at once, summed).
 */
static bool busy_union(const tl_trace *t, uint32_t g, struct range rs, size_t n, bool named,
		       bool slots, tl_ns *ret, size_t *ret_slots) {
	struct busy_iv *iv = malloc((n ? n : 1) * sizeof(*iv));
	tl_ns *lo = slots ? malloc((n ? n : 1) * sizeof(*lo)) : NULL;
	tl_ns *hi = slots ? malloc((n ? n : 1) * sizeof(*hi)) : NULL;
	if (!iv || (slots && (!lo || !hi))) {
		free(iv);
		free(lo);
		free(hi);
		return false;
	}
	size_t k = 0;
	bool sorted = true;
	EACH(rs, j, i) {
		const tl_span *sp = &t->spans[i];
		if (sp->group != g) {
			continue;
		}
		bool none = sp->worker == TL_STR_NONE, by_job = none && !named;
		int64_t who = by_job ? sp->job : none ? UNNAMED : (int64_t)sp->worker;
		iv[k] = (struct busy_iv){by_job, who, sp->start, sp->stop};
		sorted &= k == 0 || cmp_busy(&iv[k - 1], &iv[k]) <= 0;
		k++;
	}
	if (!sorted) {
		qsort(iv, k, sizeof(*iv), cmp_busy);
	}
	tl_ns busy = 0;
	bool ok = true;
	*ret_slots = 0;
	for (size_t a = 0; a < k && slots;) {
		/* A worker of several slots: each job its own slot's time, the slots it needed. */
		size_t b = a, m = 0;
		for (; b < k && iv[b].by_job == iv[a].by_job && iv[b].who == iv[a].who; b++) {
			busy = add_sat(busy, iv[b].hi - iv[b].lo);
			lo[m] = iv[b].lo;
			hi[m++] = iv[b].hi;
		}
		size_t lanes = 0;
		ok &= tl_pack_intervals(lo, hi, m, NULL, &lanes);
		*ret_slots += lanes;
		a = b;
	}
	for (size_t a = 0; a < k && !slots;) {
		tl_ns lo_a = iv[a].lo, hi_a = iv[a].hi;
		size_t b = a + 1;
		while (b < k && iv[b].by_job == iv[a].by_job && iv[b].who == iv[a].who &&
		       iv[b].lo <= hi_a) {
			hi_a = iv[b].hi > hi_a ? iv[b].hi : hi_a;
			b++;
		}
		busy = add_sat(busy, hi_a - lo_a);
		a = b;
	}
	free(iv);
	free(lo);
	free(hi);
	*ret = busy;
	return ok;
}

/*
 * The figures of a cluster run: queue waits (when the trace knows them) and
 * the straggler, the job that ended last and how long the group waited on
 * it alone. Two passes over the group's spans; s->spans > 0.
 */
static void cluster_figures(const tl_trace *t, uint32_t g, struct range rs, tl_group_stats *s) {
	const tl_span *last = NULL;
	__int128 waits = 0;
	EACH(rs, k, i) {
		const tl_span *sp = &t->spans[i];
		if (sp->group == g) {
			last = !last || sp->stop > last->stop ? sp : last;
			waits += sp->wait;
			s->wait_max = sp->wait > s->wait_max ? sp->wait : s->wait_max;
		}
	}
	/* Half away from zero; waits are never negative. */
	s->wait_mean = (tl_ns)((waits + (__int128)(s->spans / 2)) / (__int128)s->spans);
	if (!s->queued) {
		s->wait_mean = s->wait_max = 0;
	}
	tl_ns other = INT64_MIN;
	EACH(rs, k, i) {
		const tl_span *sp = &t->spans[i];
		if (sp->group == g && sp->job != last->job && sp->stop > other) {
			other = sp->stop;
		}
	}
	s->straggler = last->job;
	s->straggler_label = last->label;
	tl_ns from = other > last->start ? other : last->start;
	s->straggler_alone = from < last->stop ? last->stop - from : 0;
}

static tl_status measure_group(const tl_trace *t, uint32_t g, struct range rs, struct range ra,
			       struct jobmap *jobs, uint32_t *stamp, tl_group_stats *s,
			       struct tl_error *err) {
	memset(s, 0, sizeof(*s));
	s->group = g;
	s->straggler_alone = -1;
	jobmap_clear(jobs);
	size_t named = 0;
	bool unnamed = false;
	tl_ns first = INT64_MAX, last = INT64_MIN;
	EACH(rs, k, i) {
		const tl_span *sp = &t->spans[i];
		if (sp->group != g) {
			continue;
		}
		s->spans++;
		s->failed += tl_exit_status_failed(sp->status);
		s->unfinished += sp->status == TL_EXIT_UNFINISHED;
		first = sp->start < first ? sp->start : first;
		last = sp->stop > last ? sp->stop : last;
		count_worker(stamp, sp->worker, g + 1, &named, &unnamed);
		if (!jobmap_add(jobs, sp->job, sp->start, sp->stop)) {
			goto nomem;
		}
	}
	/* Samples by track: ra ranges over the tracks. */
	EACH(ra, k, i) {
		const tl_track *tk = &t->tracks.v[i];
		if (tk->group != g || tk->samples == 0) {
			continue;
		}
		s->samples += tk->samples;
		if (s->spans) {
			continue;
		}
		first = tk->first < first ? tk->first : first;
		last = tk->last > last ? tk->last : last;
		count_worker(stamp, tk->worker, g + 1, &named, &unnamed);
		if (!jobmap_add(jobs, tk->job, tk->first, tk->last)) {
			goto nomem;
		}
	}
	s->jobs = jobs->n;
	if (s->spans == 0 && s->samples == 0) {
		return TL_OK;
	}
	s->first = first;
	s->last = last;
	s->wall = last - first;

	bool slots = tl_trace_meta_get(t, TL_META_WORKER_SLOTS) != NULL;
	size_t worker_slots = 0;
	/* Intervals for sample-only busy time and for lane counting. */
	size_t n = s->spans ? s->spans : jobs->n;
	tl_ns *lo = malloc(n * sizeof(*lo));
	tl_ns *hi = malloc(n * sizeof(*hi));
	if (!lo || !hi) {
		free(lo);
		free(hi);
		goto nomem;
	}
	size_t k = 0;
	if (s->spans) {
		EACH(rs, j, i) {
			if (t->spans[i].group == g) {
				lo[k] = t->spans[i].start;
				hi[k++] = t->spans[i].stop;
			}
		}
		if (!busy_union(t, g, rs, s->spans, named > 0, slots && named > 0, &s->busy,
				&worker_slots)) {
			free(lo);
			free(hi);
			goto nomem;
		}
	} else {
		for (size_t i = 0; i < jobs->n; i++) {
			lo[k] = jobs->e[i].lo;
			hi[k++] = jobs->e[i].hi;
			s->busy = add_sat(s->busy, jobs->e[i].hi - jobs->e[i].lo);
		}
	}
	s->workers_named = named > 0;
	if (named && slots && s->spans) {
		/* Workers of several slots: the slots the jobs needed. */
		s->workers = worker_slots;
	} else if (named) {
		/* Rows that name no worker beside some that do: the unnamed worker. */
		s->workers = named + unnamed;
	} else if (!tl_pack_intervals(lo, hi, n, NULL, &s->workers)) {
		free(lo);
		free(hi);
		goto nomem;
	}
	free(lo);
	free(hi);
	s->concurrency = s->wall > 0 ? (double)s->busy / (double)s->wall : 0.0;
	s->utilisation = s->wall > 0 && s->workers > 0 ? s->concurrency / (double)s->workers : 0.0;
	s->queued = tl_trace_meta_get(t, TL_META_QUEUED) != NULL;
	if (s->spans) {
		cluster_figures(t, g, rs, s);
	}
	return TL_OK;
nomem:
	return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/*
 * Past this many groups, rows are bucketed by group first: scanning every row
 * for every group is quadratic, and a file may name a group per row.
 */
#define BUCKET_GROUPS 8

/* "serial", or its first run "serial#1". */
static bool is_serial(const char *name) {
	return strcmp(name, "serial") == 0 || strcmp(name, "serial#1") == 0;
}

/* The group called name, or name's first run "name#1". */
static bool find_named(const tl_trace *t, const char *name, uint32_t *ret) {
	char first[512];
	snprintf(first, sizeof(first), "%s#1", name);
	return tl_trace_find_group(t, name, ret) || tl_trace_find_group(t, first, ret);
}

/*
 * The groups that ran at the same time as g, from..to (g alone when none
 * did): all for TL_GROUPS_CONCURRENT, else the range of
 * "concurrent FIRST-LAST ..." that holds g.
 */
static void ran_with(const tl_trace *t, uint32_t g, uint32_t *from, uint32_t *to) {
	const char *groups = tl_trace_meta_get(t, TL_META_GROUPS);
	size_t pl = strlen(TL_GROUPS_CONCURRENT);
	*from = *to = g;
	if (!groups || strncmp(groups, TL_GROUPS_CONCURRENT, pl) != 0) {
		return;
	}
	if (!groups[pl]) {
		*from = 0;
		*to = UINT32_MAX;
		return;
	}
	for (const char *p = groups + pl; *p == ' ';) {
		char *end;
		unsigned long a = strtoul(p + 1, &end, 10), b = a;
		if (*end == '-') {
			b = strtoul(end + 1, &end, 10);
		}
		if (a <= g && g <= b) {
			*from = (uint32_t)a;
			*to = b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
			return;
		}
		p = end;
	}
}

bool tl_trace_comparable(const tl_trace *t, uint32_t a, uint32_t b) {
	uint32_t from, to;
	ran_with(t, a, &from, &to);
	return a == b || b < from || b > to;
}

bool tl_trace_reference(const tl_trace *t, const char *baseline, uint32_t *ret_group) {
	/* The first group with data, and whether another has any: one group compares with none. */
	uint32_t first = UINT32_MAX;
	bool two = false;
	for (size_t i = 0; i < t->nspans; i++) {
		uint32_t g = t->spans[i].group;
		two |= first != UINT32_MAX && g != first;
		first = g < first ? g : first;
	}
	for (size_t k = 0; k < t->tracks.n; k++) {
		uint32_t g = t->tracks.v[k].group;
		if (t->tracks.v[k].samples) {
			two |= first != UINT32_MAX && g != first;
			first = g < first ? g : first;
		}
	}
	if (!two) {
		return false;
	}
	uint32_t ref = first;
	if (!(baseline && find_named(t, baseline, &ref)) && !find_named(t, "serial", &ref)) {
		ref = first;
	}
	/* A group with data to compare with: one that did not run with ref. */
	uint32_t from, to;
	ran_with(t, ref, &from, &to);
	bool other = false;
	for (size_t i = 0; i < t->nspans && !other; i++) {
		other = t->spans[i].group < from || t->spans[i].group > to;
	}
	for (size_t k = 0; k < t->tracks.n && !other; k++) {
		uint32_t g = t->tracks.v[k].group;
		other = t->tracks.v[k].samples && (g < from || g > to);
	}
	if (!other) {
		return false;
	}
	*ret_group = ref;
	return true;
}

tl_status tl_trace_stats(const tl_trace *t, tl_group_stats **ret_stats, struct tl_error *err) {
	return tl_trace_stats_against(t, NULL, ret_stats, err);
}

tl_status tl_trace_stats_against(const tl_trace *t, const char *baseline,
				 tl_group_stats **ret_stats, struct tl_error *err) {
	size_t ng = t->ngroups;
	tl_group_stats *st = calloc(ng ? ng : 1, sizeof(*st));
	uint32_t *stamp = calloc(t->nstrs, sizeof(*stamp));
	struct jobmap jobs = {0};
	size_t *sidx = NULL, *aidx = NULL;
	size_t *soff = NULL, *aoff = NULL;
	tl_status rc = TL_OK;
	bool buckets = ng > BUCKET_GROUPS;
	if (buckets) {
		static const uint32_t none = 0;
		if (!tl_sort_by_key(t->nspans ? &t->spans[0].group : &none, sizeof(tl_span),
				    t->nspans, ng, &sidx, &soff) ||
		    !tl_sort_by_key(t->tracks.n ? &t->tracks.v[0].group : &none, sizeof(tl_track),
				    t->tracks.n, ng, &aidx, &aoff)) {
			rc = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
	}
	if (!st || !stamp) {
		rc = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (uint32_t g = 0; g < ng; g++) {
		struct range rs = {NULL, 0, t->nspans}, ra = {NULL, 0, t->tracks.n};
		if (buckets) {
			rs = (struct range){sidx, soff[g], soff[g + 1]};
			ra = (struct range){aidx, aoff[g], aoff[g + 1]};
			/* A map grown for a big group would cost its size to clear for each small
			 * one. */
			size_t need = (soff[g + 1] - soff[g]) + (aoff[g + 1] - aoff[g]);
			if (jobs.index.cap > 64 && jobs.index.cap > 8 * need) {
				jobmap_free(&jobs);
			}
		}
		rc = measure_group(t, g, rs, ra, &jobs, stamp, &st[g], err);
		if (rc != TL_OK) {
			goto out;
		}
	}
	const char *origin = tl_trace_meta_get(t, TL_META_ORIGIN);
	bool pool_origin = origin && strcmp(origin, TL_ORIGIN_POOL) == 0;
	for (uint32_t g = 0; g < ng; g++) {
		bool any = st[g].spans || st[g].samples;
		st[g].startup = pool_origin && any && st[g].first >= 0 ? st[g].first : -1;
	}
	uint32_t ref = 0, from = 0, to = 0;
	bool has_ref = tl_trace_reference(t, baseline, &ref);
	if (has_ref) {
		ran_with(t, ref, &from, &to);
	}
	for (uint32_t g = 0; g < ng; g++) {
		tl_group_stats *s = &st[g];
		/* No speedup against the reference for a group that ran with it. */
		bool apart = g == ref || g < from || g > to;
		s->reference = has_ref ? ref : UINT32_MAX;
		s->against_serial = has_ref && is_serial(tl_trace_group_name(t, ref));
		s->speedup = has_ref && apart && s->wall > 0 && st[ref].wall > 0
				     ? (double)st[ref].wall / (double)s->wall
				     : 0.0;
	}
	*ret_stats = st;
	st = NULL;
out:
	free(st);
	free(stamp);
	jobmap_free(&jobs);
	free(sidx);
	free(aidx);
	free(soff);
	free(aoff);
	return rc;
}

const char *tl_format_speedup(double speedup, char buf[static 24]) {
	snprintf(buf, 24, speedup >= 0.01 || speedup <= 0 ? "%.2f\xc3\x97" : "%.2g\xc3\x97",
		 speedup);
	return buf;
}
