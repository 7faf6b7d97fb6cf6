/*
 * B/E events matched into spans (chrome_impl.h): each thread's B and E
 * events, and each async row's b/e (S/F), are matched in time order once
 * every event is read, since a trace need not be written in time order.
 */

#include "chrome_impl.h"

#include "reader.h"

#include "../util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compare B/E indices by thread, then time, then file position: a stable order. */
static int cmp_be(const void *a, const void *b, void *ctx) {
	const struct be *be = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct be *p = &be[x], *q = &be[y];
	if (p->thread != q->thread) {
		return p->thread < q->thread ? -1 : 1;
	}
	if (p->ts != q->ts) {
		return p->ts < q->ts ? -1 : 1;
	}
	return (x > y) - (x < y);
}

/* The span of B event b closed at stop by E event e (NULL: never closed). */
static tl_status be_span(struct reader *r, const struct be *b, const struct be *e, tl_ns stop,
			 tl_span *ret, bool *ret_numbered) {
	const struct be *src = e && e->has_job ? e : b->has_job ? b : NULL;
	const char *text = src ? src->label : b->name[0] || !e ? b->name : e->name;
	*ret = (tl_span){.start = b->ts,
			 .stop = stop,
			 .job = src ? src->job : 0,
			 .status = e && e->has_status ? e->status : b->status};
	*ret_numbered = src != NULL;
	return chrome_intern(r, text, &ret->label);
}

/* The latest time of each process (pid → at[]): where its B events never ended end. */
struct ends {
	struct smap pids;
	tl_ns *at;
	size_t cap;
};

static tl_status end_at(struct reader *r, struct ends *e, const char *pid, tl_ns t) {
	struct names *n;
	tl_status st = smap_entry(r, &e->pids, r->end, pid, &n);
	if (st != TL_OK) {
		return st;
	}
	size_t k = (size_t)(n - e->pids.v), old = e->cap;
	if (k >= e->cap && !tl_grow((void **)&e->at, &e->cap, k + 1, sizeof(*e->at))) {
		return chrome_nomem(r);
	}
	for (size_t i = old; i < e->cap; i++) {
		e->at[i] = INT64_MIN;
	}
	e->at[k] = t > e->at[k] ? t : e->at[k];
	return TL_OK;
}

/*
 * Each thread's B and E events in time order (the file's order among equal
 * times): a B opens, an E closes an open B and its span fills the E's place
 * (a hole, counted in *ret_unmatched, when nothing is open).
 */
static tl_status close_ends(struct reader *r, size_t *ret_unmatched) {
	size_t *order = malloc(r->nbe * sizeof(*order));
	if (!order) {
		return chrome_nomem(r);
	}
	for (size_t i = 0; i < r->nbe; i++) {
		order[i] = i;
	}
	qsort_r(order, r->nbe, sizeof(*order), cmp_be, r->be);
	for (size_t i = 0; i < r->stacks.n; i++) {
		r->stacks.v[i].top = 0;
	}
	tl_status st = TL_OK;
	for (size_t k = 0; k < r->nbe && st == TL_OK; k++) {
		struct be *x = &r->be[order[k]];
		struct names *th = &r->stacks.v[x->thread];
		if (!x->slot) {
			x->below = th->top;
			th->top = order[k] + 1;
			continue;
		}
		struct pending *p = &r->ev[x->slot - 1];
		if (!th->top) {
			p->hole = true;
			(*ret_unmatched)++;
			continue;
		}
		/*
		 * An E with a name closes the innermost open B of that name, as
		 * Perfetto does (the ones above stay open); one without, or with
		 * a name no open B has, the innermost. The search is bounded.
		 */
		size_t *link = &th->top;
		for (size_t *l = &th->top, depth = 0; x->name[0] && *l && depth < 256;
		     l = &r->be[*l - 1].below, depth++) {
			if (strcmp(r->be[*l - 1].name, x->name) == 0) {
				link = l;
				break;
			}
		}
		struct be *b = &r->be[*link - 1];
		*link = b->below;
		b->closed = true;
		st = be_span(r, b, x, x->ts, &p->span, &p->numbered);
	}
	free(order);
	return st;
}

/* The E events with nothing to close leave no place behind; a note counts them. */
static tl_status drop_holes(struct reader *r, size_t unmatched) {
	if (!unmatched) {
		return TL_OK;
	}
	size_t n = 0;
	for (size_t i = 0; i < r->nev; i++) {
		if (!r->ev[i].hole) {
			r->ev[n++] = r->ev[i];
		}
	}
	r->nev = n;
	return tl_io_note(r->t, r->err, "unmatched_end",
			  "%zu end event%s (E, e) with nothing open skipped", unmatched,
			  unmatched == 1 ? "" : "s");
}

/* The latest time of each process with a B event never closed, into ends. */
static tl_status process_ends(struct reader *r, struct ends *ends) {
	bool open = false;
	for (size_t i = 0; i < r->nbe && !open; i++) {
		open = !r->be[i].slot && !r->be[i].closed;
	}
	tl_status st = TL_OK;
	for (size_t i = 0; open && i < r->nev && st == TL_OK; i++) {
		const struct pending *q = &r->ev[i];
		st = end_at(r, ends, q->pid, q->sample ? q->smp.t : q->span.stop);
	}
	for (size_t i = 0; open && i < r->nbe && st == TL_OK; i++) {
		st = end_at(r, ends, r->stacks.v[r->be[i].thread].name, r->be[i].ts);
	}
	return st;
}

/* B events never closed: unfinished spans to their process's last time, and a note. */
static tl_status open_begins(struct reader *r) {
	struct ends ends = {0};
	tl_status st = process_ends(r, &ends);
	size_t n = 0;
	for (size_t i = 0; i < r->nbe && st == TL_OK; i++) {
		const struct be *b = &r->be[i];
		if (b->slot || b->closed) {
			continue;
		}
		const struct names *th = &r->stacks.v[b->thread];
		struct pending p = {0};
		size_t pl = strlen(th->name);
		snprintf(p.pid, sizeof(p.pid), "%s", th->name);
		snprintf(p.tid, sizeof(p.tid), "%s", b->arow ? "" : th->key + pl + 1);
		p.arow = b->arow;
		/* To its process's last time, as CSV's unfinished jobs last to their group's. */
		const struct names *pe = smap_find(&ends.pids, th->name);
		tl_ns stop = pe ? ends.at[pe - ends.pids.v] : b->ts;
		st = be_span(r, b, NULL, stop > b->ts ? stop : b->ts, &p.span, &p.numbered);
		p.span.status = TL_EXIT_UNFINISHED;
		if (st == TL_OK) {
			st = chrome_add_pending(r, r->end, &p);
		}
		n += st == TL_OK;
	}
	smap_free(&ends.pids);
	free(ends.at);
	if (st != TL_OK || !n) {
		return st;
	}
	return tl_io_note(r->t, r->err, "unfinished",
			  "%zu begin event%s (B, b) never ended: unfinished, drawn to the end "
			  "of their process",
			  n, n == 1 ? "" : "s");
}

/*
 * Match each thread's B and E events in time order (the file's order among
 * equal times), an E closing the innermost open B; the span fills the E's
 * place. An E with nothing open is skipped and counted in a note. B events
 * never closed (a trace cut short when its process died) last to their
 * process's last time, unfinished; dropping them would hide exactly the work
 * that did not finish. Their count goes in the notes.
 */
tl_status chrome_match_begin_end(struct reader *r) {
	if (!r->nbe) {
		return TL_OK;
	}
	size_t unmatched = 0;
	tl_status st = close_ends(r, &unmatched);
	if (st == TL_OK) {
		st = drop_holes(r, unmatched);
	}
	return st == TL_OK ? open_begins(r) : st;
}
