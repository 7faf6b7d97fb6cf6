/*
 * A Gantt panel's bars: a bar per span in its row's slot, bars of one slot
 * and colour that overlap (or touch while thinner than a pixel) merged into
 * one shape, torn ends where the plot's edges cut a bar, names inside bars
 * wide enough for them (--span-labels), the SVG's hover text of a bar that
 * draws one span, and with --show-wait each span's queue wait as a pale
 * lead-in.
 */

#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bar's ends that the plot's edges cut off: the span runs on before or after. */
enum { CUT_LEFT = 1, CUT_RIGHT = 2 };

struct bar {
	uint32_t slot;
	uint16_t color;
	uint8_t style; /* TL_SHAPE_BAR, TL_SHAPE_FAILED, TL_SHAPE_OPEN or STYLE_WAIT */
	uint8_t cut;   /* CUT_LEFT | CUT_RIGHT */
	uint32_t span; /* the span it draws, for its name; NO_SPAN for none */
	double x0, x1;
};

#define NO_SPAN UINT32_MAX

/* Bars are sorted by style as 0, 1, 2: plain (and queue waits), failed, open. */
static size_t style_rank(uint8_t style) {
	return style == TL_SHAPE_FAILED ? 1 : style == TL_SHAPE_OPEN ? 2 : 0;
}

static int cmp_bar(const void *a, const void *b) {
	const struct bar *x = a, *y = b;
	if (x->slot != y->slot) {
		return x->slot < y->slot ? -1 : 1;
	}
	if (x->style != y->style) {
		return style_rank(x->style) < style_rank(y->style) ? -1 : 1;
	}
	if (x->color != y->color) {
		return x->color < y->color ? -1 : 1;
	}
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static int cmp_bar_x(const void *a, const void *b, void *ctx) {
	(void)ctx;
	const struct bar *x = a, *y = b;
	return (x->x0 > y->x0) - (x->x0 < y->x0);
}

/*
 * Order bars by (slot, style, colour, x0). A counting sort on the first
 * three, which are small integers, then x0 within each bucket, where spans
 * usually arrive in start order already: linear for the common case where a
 * general sort of a million bars took a third of the render.
 */
static tl_status sort_bars(struct bar **bars, size_t n, size_t slots) {
	size_t ncolors = 1;
	for (size_t i = 0; i < n; i++) {
		if ((size_t)(*bars)[i].color + 1 > ncolors) {
			ncolors = (size_t)(*bars)[i].color + 1;
		}
	}
	size_t nb = slots * 3 * ncolors;
	if (n < 2) {
		return TL_OK;
	}
	if (nb > 4 * n + 1024) {
		qsort(*bars, n, sizeof(**bars), cmp_bar);
		return TL_OK;
	}
	size_t *start = calloc(nb + 1, sizeof(*start));
	struct bar *out = malloc(n * sizeof(*out));
	if (!start || !out) {
		free(start);
		free(out);
		return TL_ERR_NOMEM;
	}
	struct bar *in = *bars;
#define BUCKET(b) (((size_t)(b).slot * 3 + style_rank((b).style)) * ncolors + (b).color)
	for (size_t i = 0; i < n; i++) {
		start[BUCKET(in[i]) + 1]++;
	}
	for (size_t k = 0; k < nb; k++) {
		start[k + 1] += start[k];
	}
	for (size_t i = 0; i < n; i++) {
		out[start[BUCKET(in[i])]++] = in[i];
	}
#undef BUCKET
	/* start[k] is now the end of bucket k. */
	size_t from = 0;
	for (size_t k = 0; k < nb; k++) {
		size_t len = start[k] - from;
		if (len > 1 && !fig_sorted(out + from, len, sizeof(*out), cmp_bar_x, NULL)) {
			qsort_r(out + from, len, sizeof(*out), cmp_bar_x, NULL);
		}
		from = start[k];
	}
	free(start);
	free(in);
	*bars = out;
	return TL_OK;
}

/*
 * The torn ends of a bar (shape) that the plot's edges cut: a strip at each
 * cut end, as wide as a few pixels, that draw.c draws as a zigzag, so that
 * the bar reads as going on past the edge and not as stopping there. Bars
 * too small for teeth get none.
 */
static bool add_cuts(struct build *b, struct tl_shape **cuts, size_t *n, size_t *cap,
		     const struct tl_shape *bar, uint8_t cut) {
	float d = (float)fmin(7 * b->u, bar->w / 3);
	if (d < 2 || bar->h < 4) {
		return true;
	}
	for (int side = CUT_LEFT; side <= CUT_RIGHT; side <<= 1) {
		if (!(cut & side)) {
			continue;
		}
		if (!fig_grow((void **)cuts, cap, *n + 1, sizeof(**cuts))) {
			return false;
		}
		bool left = side == CUT_LEFT;
		(*cuts)[(*n)++] = (struct tl_shape){left ? bar->x : bar->x + bar->w - d,
						    bar->y,
						    d,
						    bar->h,
						    bar->color,
						    255,
						    left ? TL_SHAPE_CUT_LEFT : TL_SHAPE_CUT_RIGHT};
	}
	return true;
}

/* Names inside bars (--span-labels): when and how they are drawn. */
struct namer {
	bool on;       /* bars this tall get names */
	double text_h; /* a name's height */
	double min_w;  /* the narrowest bar named: room for a few characters */
	double inset;  /* space between a bar's ends and its name */
};

static struct namer namer_for(struct build *b, const struct slots *sl, double bar_h) {
	struct namer nm = {.inset = 3 * b->u};
	double w;
	/* Slots are rows unless binned: a row of its own for a name. */
	if (b->o->span_labels == TL_SPAN_LABELS_NONE || sl->binned) {
		return nm;
	}
	fig_measure(b, "Ag", TL_TEXT_TICK, &w, &nm.text_h);
	fig_measure(b, "abc\xe2\x80\xa6", TL_TEXT_TICK, &nm.min_w, &w);
	nm.min_w += 2 * nm.inset;
	nm.on = bar_h >= nm.text_h * 0.9;
	return nm;
}

/*
 * The name of span s inside its bar, where it is wide enough: left-aligned,
 * cut in the middle with an ellipsis to end before the bar does (before a
 * torn end or a fade), in dark or light ink, whichever reads on the bar's
 * fill. With --span-labels auto,
 * only a name that says more than the row's label. Bars narrower than a few
 * characters get none, so that the names are at most a few per row's
 * width, however many spans there are.
 */
static bool name_bar(struct build *b, const struct panel *p, const struct namer *nm,
		     const struct tl_shape *bar, const tl_span *s, uint8_t cut, uint32_t row) {
	double x0 = bar->x + nm->inset, x1 = bar->x + bar->w - nm->inset;
	x0 += cut & CUT_LEFT ? fmin(7 * b->u, bar->w / 3) : 0;
	x1 -= cut & CUT_RIGHT ? fmin(7 * b->u, bar->w / 3) : 0;
	x1 -= bar->style == TL_SHAPE_OPEN ? fmin(bar->w / 3.0, 48.0 * b->u) : 0;
	if (x1 - x0 < nm->min_w - 2 * nm->inset) {
		return true;
	}
	char name[512];
	if (s->label != TL_STR_NONE && tl_trace_str(b->t, s->label)[0]) {
		snprintf(name, sizeof(name), "%s", tl_trace_str(b->t, s->label));
	} else if (b->o->span_labels == TL_SPAN_LABELS_ALL) {
		snprintf(name, sizeof(name), "job %lld", (long long)s->job);
	} else {
		return true;
	}
	if (b->o->span_labels == TL_SPAN_LABELS_AUTO) {
		/* A name the row's label already says is left out: a joblog's command on its job's
		 * row. */
		char label[512];
		fig_row_label(b, p, &p->rows[row], label, sizeof(label));
		if (strcmp(label, name) == 0) {
			return true;
		}
	}
	/* Cut in the middle, as row labels are: the end often tells spans apart (m941.cc). */
	double w, h;
	fig_fit_middle(b, name, sizeof(name), TL_TEXT_TICK, x1 - x0);
	fig_measure(b, name, TL_TEXT_TICK, &w, &h);
	if (w > x1 - x0) {
		return true;
	}
	struct tl_rgb fill =
		tl_palette_fill(b->fig->theme, bar->color, bar->style == TL_SHAPE_FAILED);
	if (!fig_add_text(b->fig, x0, bar->y + (bar->h - nm->text_h) / 2, name, TL_TEXT_TICK,
			  TL_ALIGN_LEFT, x1 - x0 + 0.5, false, false)) {
		return false;
	}
	b->fig->texts[b->fig->ntexts - 1].ink = (uint8_t)tl_ink_on(fill);
	return true;
}

/* How many bytes of s a hover text keeps: all, or 200 cut at a character's start. */
static int hover_cut(const char *s) {
	size_t n = strnlen(s, 201);
	if (n <= 200) {
		return (int)n;
	}
	n = 200;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
		n--;
	}
	return (int)n;
}

/*
 * The hover text of the bar shape that draws span s alone, for the SVG:
 * its name, job, worker, start, duration and status. Past TL_HOVER_MAX bars
 * none are kept (a chart of that many is read by its shapes, not one by one).
 */
static bool add_hover(struct build *b, const struct tl_shape *shape, const tl_span *s) {
	struct tl_figure *f = b->fig;
	if (f->hovers_over) {
		return true;
	}
	if (f->nhovers == TL_HOVER_MAX) {
		for (size_t i = 0; i < f->nhovers; i++) {
			free(f->hovers[i].text);
		}
		free(f->hovers);
		f->hovers = NULL;
		f->nhovers = f->caphovers = 0;
		f->hovers_over = true;
		return true;
	}
	if (!fig_grow((void **)&f->hovers, &f->caphovers, f->nhovers + 1, sizeof(*f->hovers))) {
		return false;
	}
	char start[32], dur[32], status[16];
	tl_format_duration(s->start, start, sizeof(start));
	tl_format_duration(s->stop - s->start, dur, sizeof(dur));
	const char *label = tl_trace_str(b->t, s->label), *worker = tl_trace_str(b->t, s->worker);
	/* Names of any length (a 10 MB label is valid input): 200 bytes each at most. */
	int ll = hover_cut(label), wl = hover_cut(worker);
	bool lcut = label[ll] != '\0', wcut = worker[wl] != '\0';
	char *text = NULL;
	if (asprintf(&text, "%.*s%s%s%lld%s%.*s%s \xc2\xb7 start %s \xc2\xb7 %s \xc2\xb7 %s", ll,
		     label, lcut ? "\xe2\x80\xa6" : "", label[0] ? " \xc2\xb7 job " : "job ",
		     (long long)s->job, worker[0] ? " \xc2\xb7 worker " : "", wl, worker,
		     wcut ? "\xe2\x80\xa6" : "", start, dur,
		     s->status == 0 ? "ok" : tl_exit_status_to_string(s->status, status)) < 0) {
		return false;
	}
	fig_visible(text); /* XML 1.0 allows no control characters */
	f->hovers[f->nhovers++] = (struct tl_hover){shape->x, shape->y, shape->w, shape->h, text};
	return true;
}

/* The bars of a panel, as they are made: unsorted, one a span drawn and one a queue wait. */
struct bars {
	struct bar *v;
	size_t n, cap;
};

static bool push_bar(struct bars *bs, struct bar bar) {
	if (!fig_grow((void **)&bs->v, &bs->cap, bs->n + 1, sizeof(*bs->v))) {
		return false;
	}
	bs->v[bs->n++] = bar;
	return true;
}

/*
 * A bar for each of p's spans in its time range, clipped to it and at least
 * a device pixel wide, and with --show-wait one for its queue wait.
 */
static tl_status make_bars(struct build *b, const struct panel *p, const struct slots *sl,
			   const tl_span *sp, struct bars *bs) {
	double min_w = 1.0 / b->o->scale; /* one device pixel */
	for (size_t k = 0; k < p->nspans; k++) {
		size_t i = p->span_ix[k];
		const tl_span *s = &sp[i];
		if (s->stop < p->axis_lo || s->start > p->axis_hi) {
			continue;
		}
		uint32_t slot = fig_slot_of(p, sl, p->span_row[k]), color;
		tl_status st = fig_item_color(b, p, s->worker, p->lane ? p->lane[i] : 0, s->job,
					      s->status, &color);
		if (st != TL_OK) {
			return st;
		}
		double x0 = fig_time_x(p, s->start < p->axis_lo ? p->axis_lo : s->start);
		double x1 = fig_time_x(p, s->stop > p->axis_hi ? p->axis_hi : s->stop);
		if (x1 - x0 < min_w) {
			x1 = x0 + min_w;
		}
		/* A bar too thin to show beside the y axis's line is drawn right of it. */
		double clear = p->plot.x + 0.5 * b->u;
		if (x0 < clear && x1 < clear + min_w) {
			x0 = clear;
			x1 = clear + min_w;
		}
		bool open = s->status == TL_EXIT_UNFINISHED;
		bool failed = tl_exit_status_failed(s->status);
		fig_note_status(b, s->status);
		uint8_t style = open ? TL_SHAPE_OPEN : failed ? TL_SHAPE_FAILED : TL_SHAPE_BAR;
		uint8_t cut = (s->start < p->axis_lo ? CUT_LEFT : 0) |
			      (s->stop > p->axis_hi ? CUT_RIGHT : 0);
		if (!push_bar(bs, (struct bar){.slot = slot,
					       .color = (uint16_t)color,
					       .style = style,
					       .cut = cut,
					       .span = i < NO_SPAN ? (uint32_t)i : NO_SPAN,
					       .x0 = x0,
					       .x1 = x1})) {
			return fig_nomem(b);
		}
		if (b->o->show_wait && s->wait > 0 && s->start > p->axis_lo) {
			/* The queue wait, from submit to start: a pale lead-in. */
			tl_ns submit = s->start - s->wait;
			double w0 = fig_time_x(p, submit < p->axis_lo ? p->axis_lo : submit);
			if (!push_bar(bs, (struct bar){.slot = slot,
						       .color = 0,
						       .style = STYLE_WAIT,
						       .span = NO_SPAN,
						       .x0 = w0,
						       .x1 = fmax(x0, w0 + min_w)})) {
				return fig_nomem(b);
			}
		}
	}
	return TL_OK;
}

/*
 * The run of sorted bars from bars[*i] that make one shape: of one slot,
 * colour and style (an unfinished bar's fade merges with nothing), each
 * overlapping the one before, or touching it while either is thinner than
 * a pixel. *i moves past the run; *single: whether it is one bar.
 */
static struct bar merge_run(const struct bar *bars, size_t nb, size_t *i, const tl_span *sp,
			    bool *single) {
	struct bar cur = bars[(*i)++];
	bool thin = cur.x1 - cur.x0 < 1.0;
	*single = true;
	for (; *i < nb; ++*i) {
		const struct bar *nx = &bars[*i];
		if (nx->slot != cur.slot || nx->color != cur.color || nx->style != cur.style ||
		    cur.style == TL_SHAPE_OPEN ||
		    !(nx->x0 < cur.x1 ||
		      ((thin || nx->x1 - nx->x0 < 1.0) && nx->x0 - cur.x1 < 0.5))) {
			break;
		}
		if (nx->x1 > cur.x1) {
			cur.x1 = nx->x1;
		}
		cur.cut |= nx->cut;
		/* Spans merged into one bar are named only when they share their name. */
		if (cur.span != NO_SPAN &&
		    (nx->span == NO_SPAN || sp[nx->span].label != sp[cur.span].label)) {
			cur.span = NO_SPAN;
		}
		thin = nx->x1 - nx->x0 < 1.0;
		*single = false;
	}
	return cur;
}

/* How far a bar stands in from its slot's top and bottom. */
static double bar_pad(const struct build *b, const struct slots *sl) {
	/* Rows apart by a gap; thin ones by a pixel, so that rows of one colour stay apart. */
	double pad = sl->binned ? 0 : sl->h >= 6 ? sl->h * 0.12 : sl->h >= 3 ? 0.5 : 0;
	/* A few rows in a tall plot: bars of a bar's height, centred, not slabs. */
	if (!sl->binned && sl->h - 2 * pad > 40 * b->u) {
		pad = (sl->h - 40 * b->u) / 2;
	}
	return pad;
}

/* The sorted bars as shapes, merged; their torn ends, names and hover texts. */
static tl_status draw_bars(struct build *b, const struct panel *p, const struct slots *sl,
			   const tl_span *sp, const struct bar *bars, size_t nb) {
	double pad = bar_pad(b, sl);
	struct namer names = namer_for(b, sl, sl->h - 2 * pad);
	struct tl_shape *cuts = NULL;
	size_t ncuts = 0, capcuts = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < nb;) {
		bool single;
		struct bar cur = merge_run(bars, nb, &i, sp, &single);
		double y = p->plot.y + cur.slot * sl->h + pad;
		/* Jobs back to back in one lane stay apart by a hairline gap; not at a cut end. */
		double gap = cur.x1 - cur.x0 >= 4 * b->u && !(cur.cut & CUT_RIGHT) ? b->u : 0;
		bool wait = cur.style == STYLE_WAIT;
		struct tl_shape shape =
			fig_mark_shape(cur.x0, y, cur.x1 - cur.x0 - (wait ? 0 : gap),
				       sl->h - 2 * pad, cur.color, cur.style);
		/* An unfinished bar fades at its right end already: only its start is cut. */
		if (cur.style == TL_SHAPE_OPEN) {
			cur.cut &= (uint8_t)~CUT_RIGHT;
		}
		const tl_span *one = cur.span != NO_SPAN ? &sp[cur.span] : NULL;
		ok = fig_add_shape(b->fig, shape) &&
		     (!cur.cut || add_cuts(b, &cuts, &ncuts, &capcuts, &shape, cur.cut)) &&
		     (!names.on || !one ||
		      name_bar(b, p, &names, &shape, one, cur.cut, cur.slot)) &&
		     (!single || !one || add_hover(b, &shape, one));
	}
	/* After every bar, so that bars of one paint stay one run for draw.c. */
	for (size_t i = 0; ok && i < ncuts; i++) {
		ok = fig_add_shape(b->fig, cuts[i]);
	}
	free(cuts);
	return ok ? TL_OK : fig_nomem(b);
}

tl_status fig_gantt_shapes(struct build *b, struct panel *p) {
	const tl_span *sp = tl_trace_spans(b->t, &(size_t){0});
	struct slots sl = fig_slots_for(p);
	struct bars bs = {0};
	tl_status st = make_bars(b, p, &sl, sp, &bs);
	if (st == TL_OK && sort_bars(&bs.v, bs.n, sl.count) != TL_OK) {
		st = fig_nomem(b);
	}
	if (st == TL_OK) {
		st = draw_bars(b, p, &sl, sp, bs.v, bs.n);
	}
	free(bs.v);
	return st;
}
