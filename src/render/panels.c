/*
 * Which panels a chart has (a Gantt panel per group with spans, then a
 * scatter panel per group with samples; an interrupted run's empty groups
 * too), the trace's spans and samples indexed by group for them, their time
 * ranges (where the axis starts and ends), wall times, titles and the
 * reference panel of the speedups. The image's layout (figure.c) and the
 * text preview (term.c) both take their panels from here, so that they show
 * the same ones on the same axes.
 */

#include "../util/sort.h"
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The samples by group. Mostly each group's samples are one run of the
 * trace's (a live tracker's groups are its modes, one after another): then a
 * start per group and no index, which for millions of samples would cost
 * 8 bytes each; else the index, through a column of their groups.
 */
static bool index_samples(struct build *b, size_t ng) {
	size_t m, nt;
	b->stime = tl_trace_sample_times(b->t, &m);
	b->strack = tl_trace_sample_tracks(b->t, &m);
	b->tracks = tl_trace_tracks(b->t, &nt);
	static const uint32_t none = 0;
	if (!tl_sort_by_key(nt ? &b->tracks[0].group : &none, sizeof(*b->tracks), nt, ng,
			    &b->track_ix, &b->track_off)) {
		return false;
	}
	b->sample_off = calloc(ng + 2, sizeof(*b->sample_off));
	b->sample_start = calloc(ng + 1, sizeof(*b->sample_start));
	if (!b->sample_off || !b->sample_start) {
		return false;
	}
	bool runs = true;
	uint32_t last = UINT32_MAX;
	/* A run of samples of one track at a time: one look at its group. */
	for (size_t i = 0, j; i < m; i = j) {
		uint32_t k = b->strack[i];
		for (j = i + 1; j < m && b->strack[j] == k; j++) {
		}
		uint32_t g = b->tracks[k].group;
		if (g != last) {
			runs &= b->sample_off[g + 1] == 0;
			b->sample_start[g] = i;
			last = g;
		}
		b->sample_off[g + 1] += j - i;
	}
	for (size_t g = 0; g < ng; g++) {
		b->sample_off[g + 1] += b->sample_off[g];
	}
	if (runs) {
		return true;
	}
	free(b->sample_off);
	free(b->sample_start);
	b->sample_start = NULL;
	uint32_t *group = malloc((m ? m : 1) * sizeof(*group));
	for (size_t i = 0; group && i < m; i++) {
		group[i] = b->tracks[b->strack[i]].group;
	}
	bool ok = group &&
		  tl_sort_by_key(group, sizeof(*group), m, ng, &b->sample_ix, &b->sample_off);
	free(group);
	return ok;
}

static tl_status index_groups(struct build *b) {
	size_t ng = tl_trace_group_count(b->t), n;
	const tl_span *sp = tl_trace_spans(b->t, &n);
	static const uint32_t none = 0;
	if (!tl_sort_by_key(n ? &sp[0].group : &none, sizeof(*sp), n, ng, &b->span_ix,
			    &b->span_off) ||
	    !index_samples(b, ng)) {
		return fig_nomem(b);
	}
	return TL_OK;
}

/* Whether the chart of o folds t's groups into one panel (see tl_panels). */
static bool fold_groups(const tl_trace *t, const tl_render_opts *o) {
	const char *rows = tl_trace_meta_get(t, TL_META_ROWS);
	switch (o->panels) {
	case TL_PANELS_ONE:
		return tl_trace_group_count(t) > 1;
	case TL_PANELS_AUTO:
		return !(rows && strcmp(rows, TL_ROWS_BY_WORKER) == 0) &&
		       !tl_trace_meta_get(t, TL_META_REPEAT) &&
		       tl_trace_foldable(t, TL_FOLD_MIN_GROUPS);
	default:
		return false;
	}
}

tl_status fig_chart_input(const tl_trace *t, const tl_render_opts *o, tl_trace **ret_own,
			  struct tl_error *err) {
	*ret_own = NULL;
	tl_trace *folded = NULL;
	if (fold_groups(t, o)) {
		tl_status st = tl_trace_fold(t, &folded, err);
		if (st != TL_OK) {
			return st;
		}
		t = folded;
	}
	if (o->kind != TL_KIND_GANTT || !tl_trace_needs_envelopes(t)) {
		*ret_own = folded;
		return TL_OK;
	}
	tl_status st = tl_trace_envelopes(t, ret_own, err);
	tl_trace_free(folded);
	return st;
}

tl_status fig_make_panels(struct build *b) {
	const tl_render_opts *o = b->o;
	const tl_trace *t = b->t;
	size_t nspans, nsamples;
	tl_trace_spans(t, &nspans);
	nsamples = tl_trace_sample_count(t);
	bool stopped = tl_trace_interrupted(t, NULL, 0);
	bool gantt = o->kind == TL_KIND_GANTT || (o->kind == TL_KIND_AUTO && nspans > 0);
	bool scatter = o->kind == TL_KIND_SCATTER || (o->kind == TL_KIND_AUTO && nsamples > 0);
	/*
	 * A run interrupted before any job completed is an answer, not a
	 * mistake: its chart says so, a panel per group. An input that is
	 * simply empty has nothing to draw.
	 */
	bool stopped_empty = stopped && nspans == 0 && nsamples == 0;
	if (stopped_empty) {
		gantt = true;
		scatter = false;
	} else if (!gantt && !scatter) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans or samples");
	} else if (gantt && nspans == 0) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans for a Gantt chart");
	} else if (scatter && nsamples == 0) {
		return tl_error_set(
			b->err, TL_ERR_INPUT, NULL, 0, 0,
			"nothing to draw: the input has no samples for a scatter chart");
	}
	const char *origin = tl_trace_meta_get(t, TL_META_ORIGIN);
	b->pool_origin = origin && strcmp(origin, TL_ORIGIN_POOL) == 0;
	b->bench = tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
	size_t ng = tl_trace_group_count(t);
	tl_status st = index_groups(b);
	if (st == TL_OK) {
		st = fig_find_repeats(b);
	}
	if (st != TL_OK) {
		return st;
	}
	/* Repeated runs take a panel per mode, not per run. */
	if ((b->nrep ? b->nrep : ng) > TL_RENDER_MAX_GROUPS) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "%zu groups, a panel each: more than the %d a chart can show",
				    ng, TL_RENDER_MAX_GROUPS);
	}
	b->panels = calloc(2 * ng + 1, sizeof(*b->panels));
	if (!b->panels) {
		return fig_nomem(b);
	}
	/*
	 * Gantt panels first, scatter panels below them. Groups without data of
	 * the kind are left out, except in an interrupted run, where a group
	 * with no data at all gets a panel (in the first row) that says so.
	 */
	for (int kind = 0; kind < 2; kind++) {
		if ((kind == 0 && !gantt) || (kind == 1 && !scatter)) {
			continue;
		}
		bool first_row = kind == 0 || !gantt;
		size_t count = b->nrep ? b->nrep : ng;
		for (uint32_t i = 0; i < count; i++) {
			/* Repeats: each mode's median run, in the modes' order. */
			uint32_t g = b->nrep ? b->rep[i].median_group : i;
			struct panel *p = &b->panels[b->npanels];
			*p = (struct panel){.group = g,
					    .scatter = kind == 1,
					    .runtimes = kind == 1 && b->bench};
			st = fig_collect_rows(b, p);
			if (st != TL_OK) {
				/* Not yet one of b's panels, which fig_build_fini() frees. */
				free(p->rows);
				free(p->span_row);
				tl_hashmap_fini(&p->row_of);
				return st;
			}
			if (p->nrows == 0) {
				free(p->rows);
				free(p->span_row);
				tl_hashmap_fini(&p->row_of);
				bool no_data = b->span_off[g + 1] == b->span_off[g] &&
					       b->sample_off[g + 1] == b->sample_off[g];
				if (!(stopped && no_data && first_row)) {
					continue;
				}
				*p = (struct panel){.group = g,
						    .scatter = kind == 1,
						    .runtimes = kind == 1 && b->bench,
						    .empty = true};
			}
			b->npanels++;
		}
	}
	if (b->npanels == 0 && stopped_empty) {
		/* Interrupted before any group began: one panel, named by nothing. */
		b->panels[0] = (struct panel){.group = NO_GROUP, .empty = true};
		b->npanels = 1;
	}
	if (b->npanels == 0) {
		return tl_error_set(b->err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans or samples");
	}
	return TL_OK;
}

bool fig_panel_ranges(struct build *b) {
	const tl_render_opts *o = b->o;
	/*
	 * The time range: shared by every panel unless asked otherwise. A
	 * benchmark's run times are durations, not times: their panels share a
	 * range of their own, from 0 to the longest run.
	 */
	tl_ns lo = INT64_MAX, hi = INT64_MIN, run_hi = 0;
	bool any_data = false;
	for (size_t i = 0; i < b->npanels; i++) {
		if (b->panels[i].empty) {
			continue;
		} else if (b->panels[i].runtimes) {
			run_hi = b->panels[i].hi > run_hi ? b->panels[i].hi : run_hi;
			continue;
		}
		any_data = true;
		lo = b->panels[i].lo < lo ? b->panels[i].lo : lo;
		/* Queue waits drawn: the axis starts at the first submit. */
		lo = o->show_wait && b->panels[i].wait_lo < lo ? b->panels[i].wait_lo : lo;
		hi = b->panels[i].hi > hi ? b->panels[i].hi : hi;
	}
	if (!any_data) {
		lo = 0;
		hi = 1000000000;
	}
	const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
	for (size_t i = 0; i < b->npanels; i++) {
		struct panel *p = &b->panels[i];
		bool own = o->free_x && !p->empty;
		tl_ns plo = own ? p->lo : lo, phi = own ? p->hi : hi;
		plo = own && o->show_wait && p->wait_lo < plo ? p->wait_lo : plo;
		if (p->runtimes) {
			/* From no time at all to the longest run, and a little room. */
			plo = 0;
			phi = own ? p->hi : run_hi;
			phi = phi > 0 ? phi + phi / 50 + (phi < 50) : 1000000;
		} else if (o->has_xlim) {
			plo = o->xlim_lo;
			phi = o->xlim_hi;
		} else if (phi <= plo) {
			/*
			 * Everything at one instant (one sample, one span of no
			 * duration): centre it, with 5% of its distance from zero
			 * either side, or a second at zero, so that it is not hidden
			 * under the axis at the left edge.
			 */
			tl_ns d = plo != 0 ? (plo < 0 ? -plo : plo) / 20 + 1 : 1000000000;
			plo -= d;
			phi += d;
		} else {
			/* Runs start at zero (always, when zero is the pool's creation);
			 * a little room after the last stop. */
			if (plo > 0 && (b->pool_origin || plo <= (phi - plo) / 4)) {
				plo = 0;
			}
			tl_ns span = phi - plo;
			phi = phi + span / 50 + (span < 50);
		}
		p->axis_lo = plo;
		p->axis_hi = phi;
		/* Wall time as stats defines it: last stop (or sample) - first start. */
		p->wall = p->empty ? 0 : p->hi - p->lo;
		/* A group's Gantt and scatter panels show one start-up: the first of both. */
		p->first = p->lo;
		for (size_t k = 0; b->pool_origin && !p->empty && k < p->nspans; k++) {
			tl_ns v = sp[p->span_ix[k]].start;
			p->first = v < p->first ? v : p->first;
		}
		for (size_t k = 0; b->pool_origin && !p->empty && k < p->ntracks; k++) {
			const tl_track *x = &b->tracks[p->track_ix[k]];
			p->first = x->samples && x->first < p->first ? x->first : p->first;
		}
	}
	return any_data;
}

bool fig_data_extent(const struct build *b, tl_ns *ret_lo, tl_ns *ret_hi) {
	tl_ns lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *p = &b->panels[i];
		if (!p->empty && !p->runtimes) {
			lo = p->lo < lo ? p->lo : lo;
			hi = p->hi > hi ? p->hi : hi;
		}
	}
	*ret_lo = lo;
	*ret_hi = hi;
	return lo <= hi;
}

tl_status fig_check_xlim(const struct build *b) {
	tl_ns lo, hi;
	if (!b->o->has_xlim || !fig_data_extent(b, &lo, &hi) ||
	    (hi >= b->o->xlim_lo && lo <= b->o->xlim_hi)) {
		return TL_OK;
	}
	char xa[32], xb[32], da[32], db[32];
	tl_format_duration(b->o->xlim_lo, xa, sizeof(xa));
	tl_format_duration(b->o->xlim_hi, xb, sizeof(xb));
	tl_format_duration(lo, da, sizeof(da));
	tl_format_duration(hi, db, sizeof(db));
	return tl_error_set(b->err, TL_ERR_USAGE, NULL, 0, 0,
			    "--xlim %s:%s holds none of the data, which runs from %s to %s", xa, xb,
			    da, db);
}

const struct panel *fig_reference(const struct build *b) {
	/* Speedups are against the library's reference group, when it is drawn. */
	uint32_t ref_group;
	if (!tl_trace_reference(b->t, b->o->baseline, &ref_group)) {
		return NULL;
	}
	/* With repeats, the panel of the reference's mode (its median run). */
	const char *want = fig_panel_name(b, ref_group);
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *p = &b->panels[i];
		if (!p->empty && p->group != NO_GROUP &&
		    strcmp(fig_panel_name(b, p->group), want) == 0) {
			return p;
		}
	}
	return NULL;
}

const struct panel *fig_reference_for(const struct build *b, const struct panel *ref,
				      const struct panel *p) {
	if (!ref || ref->scatter == p->scatter) {
		return ref;
	}
	for (size_t i = 0; i < b->npanels; i++) {
		const struct panel *q = &b->panels[i];
		if (!q->empty && q->group == ref->group && q->scatter == p->scatter) {
			return q;
		}
	}
	return NULL;
}

void fig_panel_title(const struct build *b, const struct panel *p, char *buf, size_t size) {
	const char *gname = p->group == NO_GROUP ? "" : fig_panel_name(b, p->group);
	const tl_repeat *r = p->group == NO_GROUP ? NULL : fig_repeat_of(b, p->group);
	char runs[256];
	if (r) {
		/* Say which run stands for the mode. */
		snprintf(runs, sizeof(runs), "%s \xc2\xb7 run %u of %u, the median", gname,
			 r->median_run, r->runs);
		gname = runs;
	}
	if (p->runtimes) {
		snprintf(buf, size, "%s%srun times", gname, gname[0] ? " " : "");
		return;
	}
	/* A group drawn twice, its spans over its samples: say which is which. */
	bool twice = false;
	for (size_t i = 0; i < b->npanels && p->group != NO_GROUP; i++) {
		twice |= &b->panels[i] != p && b->panels[i].group == p->group;
	}
	/* The unnamed group is called so beside others; alone, it needs no name. */
	bool alone = true;
	for (size_t i = 0; i < b->npanels; i++) {
		alone &= b->panels[i].group == p->group || b->panels[i].group == NO_GROUP;
	}
	gname = gname[0] || alone || p->group == NO_GROUP ? gname : fig_group_label(b, p->group);
	const char *kind = p->scatter ? "samples" : "spans";
	if (twice) {
		snprintf(buf, size, gname[0] ? "%s \xc2\xb7 %s" : "%s%s", gname, kind);
	} else {
		snprintf(buf, size, "%s", gname);
	}
}

void fig_build_fini(struct build *b) {
	for (size_t i = 0; i < b->npanels; i++) {
		free(b->panels[i].rows);
		free(b->panels[i].span_row);
		tl_hashmap_fini(&b->panels[i].row_of);
	}
	free(b->panels);
	tl_repeats_free(b->rep, b->nrep);
	free(b->lane_all);
	free(b->sub_all);
	free(b->span_ix);
	free(b->span_off);
	free(b->sample_ix);
	free(b->sample_off);
	free(b->sample_start);
	free(b->track_ix);
	free(b->track_off);
	tl_hashmap_fini(&b->color_of);
	for (size_t i = 0; i < b->nlegend; i++) {
		free(b->legend[i].label);
	}
	free(b->legend);
}
