/*
 * Colours: what each mark is coloured by (--color-by), and the palette
 * handed out over every colour key a chart draws, once, before any mark is
 * made, with the legend's entries of the keys it names.
 */

#include "layout.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * What a colour stands for, in the high word of its key: a named worker (the
 * low word its string), a lane packed from intervals, a group asked for by
 * --color-by group, spans that name no worker (one colour for them all, in
 * every group), a job. Kinds sort in this order; the first three are named in the
 * legend.
 */
enum key_kind { KEY_WORKER = 0, KEY_LANE, KEY_GROUP, KEY_UNNAMED, KEY_JOB, KEY_NONE };

/* The colour key of an item and its kind; KEY_NONE when colours do not depend on items. */
static enum key_kind color_key(const struct build *b, const struct panel *p, tl_str worker,
			       uint32_t lane, int64_t job, uint64_t *ret) {
	switch (b->o->color_by) {
	case TL_COLOR_WORKER:
		if (p->by_lane) {
			*ret = (uint64_t)KEY_LANE << 32 | lane;
			return KEY_LANE;
		}
		if (worker == TL_STR_NONE) {
			/*
			 * No worker to show: a colour per job would read as
			 * workers, and one per group would ask what it means.
			 */
			*ret = (uint64_t)KEY_UNNAMED << 32;
			return KEY_UNNAMED;
		}
		*ret = worker;
		return KEY_WORKER;
	case TL_COLOR_JOB:
		/* Jobs are the only kind of a chart coloured by job: the whole key is theirs. */
		*ret = (uint64_t)job;
		return KEY_JOB;
	case TL_COLOR_GROUP:
		*ret = (uint64_t)KEY_GROUP << 32 | p->group;
		return KEY_GROUP;
	default:
		return KEY_NONE;
	}
}

int fig_fail_kind(int32_t status) {
	switch (status) {
	case TL_EXIT_TIMEOUT:
		return FAIL_TIMEOUT;
	case TL_EXIT_CANCELLED:
		return FAIL_CANCELLED;
	case TL_EXIT_OUT_OF_MEMORY:
		return FAIL_OOM;
	case TL_EXIT_NODE_FAIL:
		return FAIL_NODE;
	case TL_EXIT_PREEMPTED:
		return FAIL_PREEMPTED;
	default:
		return FAIL_EXIT;
	}
}

/* What the legend must show of a span's status: failed (and how), unfinished. */
void fig_note_status(struct build *b, int32_t status) {
	if (tl_exit_status_failed(status)) {
		b->any_failed = true;
		b->failed_kinds |= (uint8_t)(1u << fig_fail_kind(status));
	}
	b->any_open |= status == TL_EXIT_UNFINISHED;
}

static enum key_kind kind_of(const struct build *b, uint64_t key) {
	return b->o->color_by == TL_COLOR_JOB ? KEY_JOB : (enum key_kind)(key >> 32);
}

static void key_name(const struct build *b, uint64_t key, char *buf, size_t size) {
	uint32_t low = (uint32_t)key;
	switch (kind_of(b, key)) {
	case KEY_LANE:
		snprintf(buf, size, "lane %" PRIu32, low);
		break;
	case KEY_GROUP:
		snprintf(buf, size, "%s", fig_group_label(b, low));
		break;
	case KEY_WORKER:
		fig_worker_label(b->t, (tl_str)low, buf, size);
		break;
	default:
		buf[0] = '\0';
	}
}

/* Natural order: kinds apart; workers as strverscmp sorts them (2 before 10); the rest by number.
 */
static int cmp_key(const void *x, const void *y, void *ctx) {
	const struct build *b = ctx;
	uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;
	enum key_kind ka = kind_of(b, a), kc = kind_of(b, c);
	if (ka != kc) {
		return ka < kc ? -1 : 1;
	}
	if (ka == KEY_JOB) {
		return ((int64_t)a > (int64_t)c) - ((int64_t)a < (int64_t)c);
	}
	if (ka == KEY_WORKER) {
		int r = strverscmp(tl_trace_str(b->t, (tl_str)a), tl_trace_str(b->t, (tl_str)c));
		if (r) {
			return r;
		}
	}
	return (a > c) - (a < c);
}

/* Note key (and whether it is new) in seen and keys. */
static bool collect_key(struct tl_hashmap *seen, uint64_t **keys, size_t *n, size_t *cap,
			uint64_t key) {
	uint32_t v;
	bool fresh;
	if (!tl_hashmap_get_or_put(seen, key, 0, &v, &fresh)) {
		return false;
	}
	if (fresh) {
		if (!fig_grow((void **)keys, cap, *n + 1, sizeof(**keys))) {
			return false;
		}
		(*keys)[(*n)++] = key;
	}
	return true;
}

/* The colour keys of a panel's drawn spans or samples (those in its time range, on a row). */
static bool panel_keys(struct build *b, const struct panel *p, struct tl_hashmap *seen,
		       uint64_t **keys, size_t *n, size_t *cap) {
	uint64_t key = 0, last = UINT64_MAX;
	struct key_memo met = {.used = 0}; /* a few keys collected: not looked up again */
	uint32_t v;
	if (!p->scatter) {
		const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
		for (size_t k = 0; k < p->nspans; k++) {
			size_t i = p->span_ix[k];
			const tl_span *s = &sp[i];
			if (s->stop < p->axis_lo || s->start > p->axis_hi) {
				continue; /* every span has a row (p->span_row) */
			}
			fig_note_status(b, s->status);
			b->any_wait |= b->o->show_wait && s->wait > 0 && s->start > p->axis_lo;
			if (color_key(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job, &key) !=
				    KEY_NONE &&
			    key != last && !key_memo_get(&met, key, &v)) {
				if (!collect_key(seen, keys, n, cap, key)) {
					return false;
				}
				key_memo_put(&met, key, 0);
			}
			last = key;
		}
		return true;
	}
	/*
	 * Samples: a track's key once, at its first sample in the time range.
	 * When the range holds them all, that is each track's in order of first use.
	 */
	bool all = p->lo >= p->axis_lo && p->hi <= p->axis_hi;
	uint32_t last_track = UINT32_MAX;
	for (size_t q = 0; q < (all ? p->ntracks : p->nsamples); q++) {
		size_t i = all ? 0 : fig_sample_ix(p, q);
		uint32_t id = all ? (uint32_t)p->track_ix[q] : b->strack[i], row;
		if (all ? !b->tracks[id].samples
			: id == last_track || b->stime[i] < p->axis_lo ||
				    b->stime[i] > p->axis_hi) {
			continue;
		}
		last_track = id;
		const tl_track *s = &b->tracks[id];
		if (!fig_track_row(p, &p->row_of, s, &row)) {
			continue;
		}
		if (color_key(b, p, s->worker, 0, s->job, &key) != KEY_NONE && key != last &&
		    !collect_key(seen, keys, n, cap, key)) {
			return false;
		}
		last = key;
	}
	return true;
}

/*
 * Hand out the colours, once, before any mark is made: every colour key the
 * chart draws, in natural order, gets the next palette entry and, when it
 * names something, a legend entry. More keys than the palette has would
 * repeat colours, which then say nothing: all take the first colour, and the
 * legend says so ("40 workers: one colour (more than 20)").
 */
tl_status fig_assign_colors(struct build *b) {
	if (b->colors_ready) {
		return TL_OK;
	}
	struct tl_hashmap seen = {0};
	uint64_t *keys = NULL;
	size_t n = 0, cap = 0;
	tl_status st = TL_OK;
	for (size_t i = 0; i < b->npanels; i++) {
		if (!b->panels[i].empty && !panel_keys(b, &b->panels[i], &seen, &keys, &n, &cap)) {
			st = fig_nomem(b);
			goto out;
		}
	}
	if (n > 1 && !fig_sorted(keys, n, sizeof(*keys), cmp_key, b)) {
		qsort_r(keys, n, sizeof(*keys), cmp_key, b);
	}
	bool one = n > TL_PALETTE_SIZE;
	size_t named[KEY_NONE] = {0};
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		if (!tl_hashmap_get_or_put(&b->color_of, keys[i], one ? 0 : (uint32_t)i, &v,
					   NULL)) {
			st = fig_nomem(b);
			goto out;
		}
		key_memo_put(&b->color_memo, keys[i], v);
		enum key_kind kind = kind_of(b, keys[i]);
		named[kind]++;
		if (!one && kind <= KEY_GROUP) {
			char buf[256];
			key_name(b, keys[i], buf, sizeof(buf));
			st = fig_legend_add(b, buf, (unsigned)i, TL_SHAPE_SWATCH);
			if (st != TL_OK) {
				goto out;
			}
		}
	}
	b->ncolors = one ? 1 : (uint32_t)n;
	if (one) {
		static const char *const noun[] = {"workers", "lanes", "groups"};
		enum key_kind most = KEY_WORKER;
		for (enum key_kind k = KEY_LANE; k <= KEY_GROUP; k++) {
			most = named[k] > named[most] ? k : most;
		}
		char note[128];
		bool groups = tl_trace_meta_get(b->t, TL_META_WORKERS_ARE_GROUPS) != NULL;
		snprintf(note, sizeof(note), "%zu %s: one colour (more than %d)", named[most],
			 most == KEY_WORKER && groups ? "groups" : noun[most], TL_PALETTE_SIZE);
		st = named[most] ? fig_legend_add(b, note, 0, TL_SHAPE_SWATCH) : TL_OK;
	}
	b->colors_ready = st == TL_OK;
out:
	tl_hashmap_fini(&seen);
	free(keys);
	return st;
}

/* Colours of --color-by status: ok, then each kind of failure (FAIL_EXIT's is red's neighbour). */
static const uint32_t status_colors[FAIL_KINDS + 1] = {0, 5, 1, 7, 3, 6, 4};

uint32_t fig_fail_color(int kind) {
	return status_colors[1 + kind];
}

tl_status fig_item_color(struct build *b, const struct panel *p, tl_str worker, uint32_t lane,
			 int64_t job, int32_t status, uint32_t *ret) {
	uint64_t key;
	if (b->o->color_by == TL_COLOR_STATUS) {
		*ret = status_colors[tl_exit_status_failed(status) ? 1 + fig_fail_kind(status) : 0];
		return TL_OK;
	}
	if (color_key(b, p, worker, lane, job, &key) == KEY_NONE) {
		*ret = 0;
		return TL_OK;
	}
	tl_status st = fig_assign_colors(b);
	if (st != TL_OK) {
		return st;
	}
	if (!key_memo_get(&b->color_memo, key, ret) && !tl_hashmap_find(&b->color_of, key, ret)) {
		*ret = 0; /* drawn by no mark: not handed out */
	}
	return TL_OK;
}
