/*
 * The Chrome trace reader's last step (chrome_impl.h): once every event is
 * read, B/E events matched and names made distinct, the pending spans and
 * samples go into the trace, in the file's order, with the processes' and
 * threads' sort indexes, jobs numbered per group; and the notes say what
 * was read otherwise than written.
 */

#include "chrome_impl.h"

#include "reader.h"

#include "../util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "4 events not drawn (2 counter, 1 flow, 1 other): ...", for the notes. */
static tl_status note_not_drawn(struct reader *r) {
	static const char *const what[3] = {"counter", "flow", "other"};
	size_t total = r->not_drawn[0] + r->not_drawn[1] + r->not_drawn[2];
	if (!total) {
		return TL_OK;
	}
	char kinds[120] = "";
	size_t n = 0;
	for (int k = 0; k < 3; k++) {
		if (r->not_drawn[k]) {
			int w = snprintf(kinds + n, sizeof(kinds) - n, "%s%zu %s", n ? ", " : "",
					 r->not_drawn[k], what[k]);
			n += w > 0 && (size_t)w < sizeof(kinds) - n ? (size_t)w : 0;
		}
	}
	return tl_io_note(r->t, r->err, "not_drawn",
			  "%zu event%s not drawn (%s): only complete (X), duration (B/E), async "
			  "(b/e, S/F) and instant events are drawn",
			  total, total == 1 ? "" : "s", kinds);
}

/*
 * Processes with instants and no span are bookkeeping, not work (Kineto's
 * "Traces" and its unnamed "Record Window End"): in a trace with spans
 * elsewhere they get no panel, and the notes count their instants.
 */
static tl_status drop_lone_instants(struct reader *r) {
	struct smap spanful = {0};
	tl_status st = TL_OK;
	for (size_t i = 0; i < r->nev && st == TL_OK; i++) {
		if (!r->ev[i].sample) {
			st = smap_entry(r, &spanful, r->end, r->ev[i].pid, &(struct names *){0});
		}
	}
	if (st == TL_OK && spanful.n) {
		size_t n = 0;
		for (size_t i = 0; i < r->nev; i++) {
			if (r->ev[i].sample && !smap_find(&spanful, r->ev[i].pid)) {
				r->lone_instants++;
			} else {
				r->ev[n++] = r->ev[i];
			}
		}
		r->nev = n;
	}
	smap_free(&spanful);
	return st;
}

/* The notes on what was read and left out: bookkeeping of the tools that wrote the trace. */
static tl_status note_left_out(struct reader *r) {
	tl_status st = note_not_drawn(r);
	if (st == TL_OK && r->bad) {
		st = tl_io_note(r->t, r->err, "bad_events",
				"%zu event%s skipped, as Perfetto skips them (--strict refuses the "
				"file); the first, line %ld column %ld: %s",
				r->bad, r->bad == 1 ? "" : "s", r->first_bad.line,
				r->first_bad.column, r->first_bad.msg);
	}
	if (st == TL_OK && r->cut) {
		st = tl_io_note(r->t, r->err, "cut",
				"the file ends inside an event (line %ld column %ld): the trace up "
				"to it is read",
				r->cut_at.line, r->cut_at.column);
	}
	if (st == TL_OK && r->after) {
		const char *ls;
		long line = tl_line_of(r->data, r->end, r->after, &ls);
		st = tl_io_note(r->t, r->err, "after",
				"text after the events' closing ']' (line %ld column %ld) not read",
				line, tl_column(ls, r->after));
	}
	if (st == TL_OK && r->summaries) {
		st = tl_io_note(
			r->t, r->err, "summaries",
			"%zu summary event%s (clang's \"Total ...\") not drawn nor counted: "
			"they sum the others",
			r->summaries, r->summaries == 1 ? "" : "s");
	}
	if (st == TL_OK && r->windows) {
		st = tl_io_note(r->t, r->err, "windows",
				"%zu profiler window%s (Kineto's \"Spans\" process) not drawn nor "
				"counted",
				r->windows, r->windows == 1 ? "" : "s");
	}
	size_t spans = 0, rows = r->arows.n;
	for (size_t i = 0; i < r->nev; i++) {
		spans += r->ev[i].arow && !r->ev[i].sample;
	}
	if (st == TL_OK && spans) {
		st = tl_io_note(
			r->t, r->err, "async",
			"%zu async span%s (b/e) on %zu row%s of their own, one per category "
			"and id",
			spans, spans == 1 ? "" : "s", rows, rows == 1 ? "" : "s");
	}
	if (st == TL_OK && r->lone_instants) {
		st = tl_io_note(r->t, r->err, "lone_instants",
				"%zu instant%s of processes with no span not drawn (bookkeeping, "
				"such as Kineto's \"Traces\")",
				r->lone_instants, r->lone_instants == 1 ? "" : "s");
	}
	return st;
}

static int cmp_sort(const void *a, const void *b) {
	const struct names *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->key, y->key);
}

/* Compare event indices by their thread's rank, then by position: a stable order. */
static int cmp_rank(const void *a, const void *b, void *ctx) {
	const char *const *rank = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(rank[x], rank[y]);
	return c ? c : (x > y) - (x < y);
}

/* order: event indices by their thread's sort index, unindexed threads last. */
static bool sort_by_rank(const struct reader *r, size_t *order) {
	const char **rank = malloc(r->nev * sizeof(*rank));
	if (!rank) {
		return false;
	}
	for (size_t i = 0; i < r->nev; i++) {
		char key[160];
		snprintf(key, sizeof(key), "%s/%s", r->ev[i].pid, r->ev[i].tid);
		const char *idx = smap_get(&r->tsorts, key);
		rank[i] = idx ? idx : "~";
		order[i] = i;
	}
	qsort_r(order, r->nev, sizeof(*order), cmp_rank, rank);
	free(rank);
	return true;
}

/* Threads with a sort index: their events first, so rows follow the index. */
static tl_status order_threads(struct reader *r) {
	if (!r->tsorts.n || r->nev <= 1) {
		return TL_OK;
	}
	/* qsort is not stable: break ties on the original position. */
	struct pending *copy = malloc(r->nev * sizeof(*copy));
	size_t *order = malloc(r->nev * sizeof(*order));
	if (!copy || !order || !sort_by_rank(r, order)) {
		free(copy);
		free(order);
		return chrome_nomem(r);
	}
	memcpy(copy, r->ev, r->nev * sizeof(*copy));
	for (size_t i = 0; i < r->nev; i++) {
		r->ev[i] = copy[order[i]];
	}
	free(copy);
	free(order);
	return tl_trace_meta_set(r->t, TL_META_ROW_ORDER, TL_ROW_ORDER_APPEARANCE, r->err);
}

/*
 * Processes with a sort index come first, in its order; those without
 * events are left out, except in a trace timeline wrote, where they are
 * its groups with nothing in them (modes an interrupted run never
 * finished a job of). Marked before sorting, which breaks the index.
 */
static tl_status sorted_groups(struct reader *r) {
	for (size_t k = 0; k < r->nev && r->sorts.n; k++) {
		struct names *e = smap_find(&r->sorts, r->ev[k].pid);
		if (e) {
			e->top = 1;
		}
	}
	if (r->sorts.n > 1) {
		qsort(r->sorts.v, r->sorts.n, sizeof(*r->sorts.v), cmp_sort);
	}
	for (size_t i = 0; i < r->sorts.n; i++) {
		if (!r->sorts.v[i].top && !r->ours) {
			continue;
		}
		const char *pn = smap_get(&r->procs, r->sorts.v[i].key);
		char buf[96];
		if (!pn) {
			snprintf(buf, sizeof(buf), "pid %s", r->sorts.v[i].key);
			pn = buf;
		}
		uint32_t g;
		tl_status st = tl_trace_group(r->t, pn, strlen(pn), &g, r->err);
		if (st != TL_OK) {
			return st;
		}
	}
	return TL_OK;
}

/* The group of process pid (its name, else "pid N"), and room for its job counter. */
static tl_status group_of(struct reader *r, const char *pid, uint32_t *ret) {
	const char *pn = smap_get(&r->procs, pid);
	char buf[96];
	if (!pn) {
		snprintf(buf, sizeof(buf), "%s%s", pid[0] ? "pid " : "", pid);
		pn = buf;
	}
	tl_status st = tl_trace_group(r->t, pn, strlen(pn), ret, r->err);
	if (st != TL_OK) {
		return st;
	}
	size_t ng = tl_trace_group_count(r->t);
	size_t cap = r->njobctr;
	if (!tl_grow((void **)&r->next_job, &cap, ng, sizeof(*r->next_job))) {
		return chrome_nomem(r);
	}
	for (size_t g = r->njobctr; g < cap; g++) {
		r->next_job[g] = 0;
	}
	r->njobctr = cap;
	return TL_OK;
}

/* The worker of p: its async row's name, its thread's, else "tid N". */
static tl_status worker_of(struct reader *r, const struct pending *p, tl_str *ret) {
	char key[160];
	snprintf(key, sizeof(key), "%s/%s", p->pid, p->tid);
	const char *tn = p->arow ? r->arows.v[p->arow - 1].name : smap_get(&r->threads, key);
	char buf[96];
	if (!tn) {
		snprintf(buf, sizeof(buf), "%s%s", p->tid[0] ? "tid " : "", p->tid);
		tn = buf;
	}
	return chrome_intern(r, tn, ret);
}

/* Every pending event into the trace, in order, its group, worker and job set. */
static tl_status add_events(struct reader *r) {
	/* The pending events are still held while the trace grows: both count. */
	size_t lim = r->opts->max_memory;
	tl_trace_set_limits(r->t, r->opts->max_rows,
			    lim && lim > r->held ? lim - r->held
			    : lim                ? 1
						 : 0);
	const char *last_pid = NULL;
	uint32_t group = 0;
	bool any_span = false;
	for (size_t i = 0; i < r->nev && !any_span; i++) {
		any_span = !r->ev[i].sample;
	}
	tl_status st = TL_OK;
	for (size_t i = 0; i < r->nev && st == TL_OK; i++) {
		struct pending *p = &r->ev[i];
		if (!last_pid || strcmp(last_pid, p->pid) != 0) {
			if ((st = group_of(r, p->pid, &group)) != TL_OK) {
				return st;
			}
			last_pid = p->pid;
		}
		tl_str worker;
		if ((st = worker_of(r, p, &worker)) != TL_OK) {
			return st;
		}
		if (p->sample) {
			p->smp.group = group;
			p->smp.worker = worker;
			/*
			 * In a trace of instants alone, each is a job of its own: one
			 * moment, no duration, not one job lasting from the first to
			 * the last of them.
			 */
			if (!p->numbered && !any_span && !r->ours) {
				p->smp.job = r->next_job[group]++;
			}
			st = tl_trace_add_sample(r->t, &p->smp, r->err);
		} else {
			p->span.group = group;
			p->span.worker = worker;
			if (!p->numbered) {
				p->span.job = r->next_job[group]++;
			}
			st = tl_trace_add_span(r->t, &p->span, r->err);
		}
	}
	return st;
}

tl_status chrome_finish(struct reader *r) {
	tl_status st = chrome_match_begin_end(r);
	if (st == TL_OK && !r->ours) {
		st = drop_lone_instants(r);
	}
	if (st == TL_OK) {
		st = note_left_out(r);
	}
	/* A trace's processes ran at the same time; timeline's own traces keep what they said. */
	if (st == TL_OK && !r->ours) {
		st = tl_trace_meta_set(r->t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, r->err);
	}
	if (st == TL_OK) {
		st = chrome_name_rows(r);
	}
	if (st == TL_OK) {
		st = order_threads(r);
	}
	if (st == TL_OK) {
		st = sorted_groups(r);
	}
	if (st == TL_OK) {
		st = add_events(r);
	}
	if (st != TL_OK) {
		return st;
	}
	/*
	 * An empty trace from elsewhere is most likely a recording that did not
	 * happen; one timeline wrote is an empty trace on purpose (a run
	 * interrupted before any job completed, an empty CSV converted).
	 */
	if (r->nev == 0 && !r->ours && (r->bad || r->cut)) {
		/* Nothing good at all: the first thing wrong is the answer. */
		*r->err = r->bad ? r->first_bad : r->cut_at;
		return r->err->code;
	}
	if (r->nev == 0 && !r->ours) {
		return chrome_fail(r, r->data,
				   "no spans or samples in the trace (X, B/E or instant events)");
	}
	if (!r->ours && tl_trace_meta_get(r->t, TL_META_ROWS) == NULL) {
		/* Chrome traces are read by thread: a hint for the renderer's rows. */
		return tl_trace_meta_set(r->t, TL_META_ROWS, TL_ROWS_BY_WORKER, r->err);
	}
	return TL_OK;
}
