#ifndef TIMELINE_RENDER_LAYOUT_H
#define TIMELINE_RENDER_LAYOUT_H

/*
 * The layout's insides, shared by its stages: figure.c (the driver and the
 * figure's containers), rows.c (what each panel shows), colors.c and
 * legend.c (what the colours stand for), marks.c (where marks go), bars.c
 * and scatter.c (the marks of spans and of samples) and annotate.c (ticks,
 * names and notes around a panel). Nothing here is public; nothing here
 * draws.
 */

#include "figure.h"
#include "ticks.h"

#include "../util/hashmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The group of the panel drawn for a trace that has none. */
#define NO_GROUP UINT32_MAX

struct row_info {
	uint64_t key;  /* job number, worker string id or lane */
	tl_ns first;   /* earliest start or sample */
	tl_ns longest; /* longest span */
	tl_ns last;    /* latest stop or sample */
	tl_str label;  /* first non-empty label */
	tl_str worker; /* for worker rows: the worker */
	uint32_t made; /* its index when made, before the rows were put in display order */
};

struct panel {
	uint32_t group; /* NO_GROUP for the one panel of a trace with no groups */
	bool scatter;
	bool runtimes;         /* a benchmark's run times: an axis of its own, from 0 */
	bool empty;            /* no spans or samples: a box that says no job completed */
	bool worker_rows;      /* rows of workers (--rows worker), of their lanes when by_lane,
				* but for samples that name none: then rows of jobs */
	bool by_lane;          /* worker rows packed from intervals */
	uint32_t *lane;        /* per span of the trace, when by_lane (build's, shared) */
	uint32_t *sub;         /* per span: depth below its named worker (shared) */
	const size_t *span_ix; /* indexes of this group's spans, in trace order */
	size_t nspans;
	const size_t *sample_ix; /* and of its samples: NULL when they are one run, */
	size_t sample_first;     /* which starts here (fig_sample_ix() hides which) */
	size_t nsamples;
	const size_t *track_ix; /* the tracks of its samples, in order of first use */
	size_t ntracks;
	tl_ns lo, hi;          /* data extent */
	tl_ns wait_lo;         /* earliest submit (start - wait), for --show-wait's axis */
	tl_ns first;           /* the group's first start or sample, spans and samples alike */
	struct row_info *rows; /* in display order, top first */
	size_t nrows;
	struct tl_hashmap row_of; /* scatter panels: key → display row */
	uint32_t *span_row;       /* Gantt panels: per span (as span_ix), its display row */
	tl_ns wall;
	struct tl_rectf cell, plot;
	tl_ns axis_lo, axis_hi;
	struct tl_ticks ticks;
	bool first_col;
	size_t grid_row, grid_col; /* its cell in the figure's grid */
	double label_w;            /* room for row labels */
};

/*
 * A few keys and their values, one per slot by the key's low bits: a
 * chart's few workers or jobs, numbered from 0, each in a slot of its own.
 * Read before a hash map that holds them all.
 */
#define KEY_MEMO 8
struct key_memo {
	uint64_t key[KEY_MEMO];
	uint32_t val[KEY_MEMO];
	uint32_t used; /* bit i: slot i holds a key */
};

static inline bool key_memo_get(const struct key_memo *m, uint64_t key, uint32_t *ret_val) {
	unsigned i = (unsigned)(key % KEY_MEMO);
	if ((m->used >> i & 1) && m->key[i] == key) {
		*ret_val = m->val[i];
		return true;
	}
	return false;
}

/* Keep key's value in its slot, unless another key took it first. */
static inline void key_memo_put(struct key_memo *m, uint64_t key, uint32_t val) {
	unsigned i = (unsigned)(key % KEY_MEMO);
	if (!(m->used >> i & 1)) {
		m->key[i] = key;
		m->val[i] = val;
		m->used |= 1u << i;
	}
}

struct build {
	const tl_trace *t;
	const tl_render_opts *o;
	tl_measure_fn measure;
	void *ctx;
	struct tl_figure *fig;
	struct tl_error *err;
	struct panel *panels;
	bool pool_origin; /* times start at each group's pool creation: show start-up */
	bool bench;       /* a benchmark (TL_META_BENCHMARK): samples are run times */
	tl_repeat *rep;   /* repeated runs: a panel per mode, its median run */
	size_t nrep;
	size_t npanels;
	struct tl_hashmap color_of; /* colour key → palette index */
	struct key_memo color_memo; /* the same for a few keys, looked up first */
	uint32_t ncolors;
	struct legend_item {
		char *label;
		uint16_t color;
		uint8_t style;
	} * legend;
	size_t nlegend, caplegend;
	bool any_failed;
	uint8_t failed_kinds; /* bit fig_fail_kind() of each failure drawn */
	bool any_open;        /* some span is unfinished */
	bool any_wait;        /* some queue wait is drawn (--show-wait) */
	double u;             /* layout unit: one pixel at 100 dpi */
	/*
	 * Per span of the trace, for every panel at once: a panel writes only
	 * its group's spans, so one array each serves all groups instead of one
	 * per panel (256 groups of a million spans would take a gigabyte).
	 */
	uint32_t *lane_all, *sub_all;
	/* Spans and samples listed by group: a panel walks its own, not the trace. */
	size_t *span_ix, *span_off, *sample_ix, *sample_off;
	/* Where each group's samples start when every group's are one run (then no sample_ix). */
	size_t *sample_start;
	/* The trace's samples: times, track of each, the tracks (and those listed by group). */
	const tl_ns *stime;
	const uint32_t *strack;
	const tl_track *tracks;
	size_t *track_ix, *track_off;
	/* colors.c, legend.c: colours are handed out in one pass before any mark is made. */
	bool colors_ready;   /* color_of holds every colour key drawn, legend their entries */
	bool legend_ready;   /* legend holds the ok/failed/unfinished entries too */
	bool legend_planned; /* fig_legend_lines() was asked: legend_lines is the layout's */
	size_t legend_lines; /* lines kept for the legend */
	/* --time-axis clock: ticks are wall-clock times of origin + t (UTC when dated
	 * and not local: TL_META_LOCAL_TIME). */
	bool clock, dated, local;
	tl_ns origin;
};

struct slots {
	bool binned;  /* slot = pixel row */
	size_t count; /* slots */
	double h;     /* pixels per slot */
};

/*
 * What every panel shares: text heights, the chrome above and below each
 * plot (a title and a note of one or two lines each), the footnote.
 */
struct frame {
	double margin, tick_h, label_h, panel_h, note_h;
	double top, bottom; /* a panel's chrome above and below its plot */
	double y;           /* where the grid starts */
	int title_lines, note_lines;
	bool any_data, has_foot;
	char foot[160];
	const char *ylabel;
	const struct panel *ref;
};

/* The canvas height chosen for content: from this to 1.25 × the width (grid.c). */
#define AUTO_HEIGHT_MIN 500

/* grid.c */
/*
 * The grid's layout: columns, band heights, the canvas height, each panel's
 * rectangles. A note or title that needs a second line gives every panel
 * one (plots stay aligned); bands too short for a given height take more
 * columns; a canvas too small for any plot is an error (TL_ERR_USAGE).
 */
tl_status fig_lay_out(struct build *b, struct frame *fr);
/* Label every how many rows, so that labels a tick's height tall never overlap. */
size_t fig_label_every(size_t nrows, double plot_h, double tick_h);

/* panel.c */
/* Panel p drawn in its plot rectangle: marks, axes, labels, title and note. */
tl_status fig_draw_panel(struct build *b, const struct frame *fr, struct panel *p);

/* annotate.c */
tl_status fig_choose_ticks(struct build *b, struct panel *p);
tl_status fig_find_repeats(struct build *b);
tl_status fig_panel_annotation(struct build *b, const struct panel *p, const struct panel *ref,
			       char *buf, size_t size);
const char *fig_panel_name(const struct build *b, uint32_t g);
/*
 * What group g is called wherever a group is named (panel titles beside
 * others, speedups, the legend): its panel's name (a repeated run's mode),
 * TL_GROUP_UNNAMED for the unnamed group.
 */
const char *fig_group_label(const struct build *b, uint32_t g);
const tl_repeat *fig_repeat_of(const struct build *b, uint32_t g);
bool fig_split_text(struct build *b, char *text, enum tl_text_role role, double max_w, char *rest,
		    size_t size);
void fig_fit_middle(struct build *b, char *text, size_t size, enum tl_text_role role, double max_w);

/*
 * Names from an input made safe to show, in place: control characters (C0,
 * DEL, C1), bidirectional controls and line separators become one blank
 * each, so that a name can neither drive a terminal, break an SVG's XML nor
 * read as another name. Every text of a figure and of the text preview goes
 * through it.
 */
void fig_visible(char *s);

/*
 * Kinds of failure the legend tells apart: an exit code or signal, then a
 * scheduler's endings (TL_EXIT_TIMEOUT, _CANCELLED, _OUT_OF_MEMORY,
 * _NODE_FAIL, _PREEMPTED).
 */
enum { FAIL_EXIT, FAIL_TIMEOUT, FAIL_CANCELLED, FAIL_OOM, FAIL_NODE, FAIL_PREEMPTED, FAIL_KINDS };
/* The kind of a failed status (tl_exit_status_failed()). */
int fig_fail_kind(int32_t status);

/* Whether panel p's clock axis passes midnight, so that its ticks carry dates. */
bool fig_clock_dates(const struct build *b, const struct panel *p);

/*
 * A clock axis's footnote: the date or dates it shows ("on 2024-03-10, UTC";
 * "from 2024-03-10 to 2024-03-12, local time"). false when the times have
 * no date (times of day).
 */
bool fig_clock_footnote(const struct build *b, char *buf, size_t size);
bool fig_split_note(struct build *b, char *note, double max_w, char *rest, size_t size);
bool fig_startup_band(struct build *b, const struct panel *p);

/* figure.c */
bool fig_add_text(struct tl_figure *f, double x, double y, const char *text, enum tl_text_role role,
		  enum tl_align align, double max_w, bool vertical, bool muted);
bool fig_add_line(struct tl_figure *f, double x0, double y0, double x1, double y1,
		  enum tl_line_kind kind);
bool fig_add_shape(struct tl_figure *f, struct tl_shape s);
bool fig_grow(void **arr, size_t *cap, size_t need, size_t elem);
void fig_measure(struct build *b, const char *text, enum tl_text_role role, double *w, double *h);
tl_status fig_nomem(struct build *b);
uint32_t *fig_per_span(struct build *b, uint32_t **arr);

/* marks.c: where marks go */
/* The x of time t in p's plot. */
double fig_time_x(const struct panel *p, tl_ns t);
/* Where p's rows are drawn: a slot a row, or when rows outnumber pixel rows, a pixel row. */
struct slots fig_slots_for(const struct panel *p);
/* The slot of display row row of p. */
uint32_t fig_slot_of(const struct panel *p, const struct slots *s, uint32_t row);
/*
 * A bar style of the marks only, beside enum tl_shape_style: a queue wait
 * (--show-wait), drawn as a grey wash, WAIT_ALPHA of 255.
 */
#define STYLE_WAIT 200
#define WAIT_ALPHA 90
/* The shape of a mark of style (a tl_shape_style or STYLE_WAIT) in palette colour color. */
struct tl_shape fig_mark_shape(double x, double y, double w, double h, unsigned color,
			       uint8_t style);
/*
 * How dense a cell of n samples looks, the densest holding max: a level
 * from 0 to top on a log scale, top for every cell when max is 1. The
 * image's marks and the text preview's cells both grade by it.
 */
int fig_density_level(uint32_t n, uint32_t max, int top);

/* bars.c: a Gantt panel's bars (merged per pixel), their torn ends, names and hovers */
tl_status fig_gantt_shapes(struct build *b, struct panel *p);

/* scatter.c: a scatter panel's marks (binned per pixel column), a benchmark's whiskers */
tl_status fig_scatter_shapes(struct build *b, struct panel *p);
tl_status fig_bench_whiskers(struct build *b, struct panel *p);

/* panels.c */
/*
 * b->panels, in the order they are shown, each with its rows (and
 * b->pool_origin, b->bench): what every output of b->o draws. Fails with
 * TL_ERR_INPUT when there is nothing to draw. fig_build_fini() frees.
 */
tl_status fig_make_panels(struct build *b);

/*
 * The trace a chart of o draws: t itself (*ret_own NULL) or a copy the
 * caller frees: its groups folded into one (o->panels, tl_trace_fold()),
 * and for a Gantt chart of groups that have only samples, each job's
 * envelope (tl_trace_envelopes()).
 */
tl_status fig_chart_input(const tl_trace *t, const tl_render_opts *o, tl_trace **ret_own,
			  struct tl_error *err);
/* Each panel's axis_lo/hi, wall and first; whether any panel has data on the time axis. */
bool fig_panel_ranges(struct build *b);
/* The earliest and latest time of the panels with data (run times aside); false for none. */
bool fig_data_extent(const struct build *b, tl_ns *ret_lo, tl_ns *ret_hi);
/* TL_ERR_USAGE when the options' --xlim holds none of the panels' data; else TL_OK. */
tl_status fig_check_xlim(const struct build *b);
/* The panel speedups are against (tl_trace_reference() of b->o->baseline), or NULL. */
const struct panel *fig_reference(const struct build *b);

/*
 * What panel p's speedup compares with: the reference group's panel of p's
 * kind (spans with spans, samples with samples), NULL when it has none.
 */
const struct panel *fig_reference_for(const struct build *b, const struct panel *ref,
				      const struct panel *p);
/* A panel's title: its group's (or mode's) name, "run times", "spans" or "samples". */
void fig_panel_title(const struct build *b, const struct panel *p, char *buf, size_t size);
/* What fig_make_panels() and the shapes' stages allocated in b. */
void fig_build_fini(struct build *b);

/* rows.c */
/* p's rows (p->group, p->scatter set), each item's row, in display order. */
tl_status fig_collect_rows(struct build *b, struct panel *p);
/*
 * What the unnamed worker is called: the row, among worker rows, of the
 * items that name no worker (as TL_GROUP_UNNAMED is the unnamed group).
 */
#define FIG_WORKER_UNNAMED "(unnamed)"
/*
 * What a worker is called, in row labels and the legend alike: a bare
 * number reads as "worker 3", a name (a thread's, a host's) as itself, no
 * name as FIG_WORKER_UNNAMED.
 */
void fig_worker_label(const tl_trace *t, tl_str worker, char *buf, size_t size);
/* The label of row r of p: its job's label or "job N", its worker's name, "lane N". */
void fig_row_label(struct build *b, const struct panel *p, const struct row_info *r, char *buf,
		   size_t size);
/* Whether base's n elements are in cmp's order: inputs usually are, and checking is cheaper. */
bool fig_sorted(const void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *, void *), void *ctx);

/* Sample k of panel p (k < p->nsamples): its index in the trace's sample columns. */
static inline size_t fig_sample_ix(const struct panel *p, size_t k) {
	return p->sample_ix ? p->sample_ix[k] : p->sample_first + k;
}

/*
 * The row key of a track of scatter panel p, as its rows are made and its
 * marks look them up: its worker (TL_STR_NONE's row for a track that names
 * none) when p's rows are workers, else its job.
 */
static inline uint64_t fig_row_key_track(const struct panel *p, const tl_track *k) {
	return p->worker_rows ? k->worker : (uint64_t)k->job;
}

/* The display row of track k of p in row_of (p's key → row map, or a part of it); false for none.
 */
static inline bool fig_track_row(const struct panel *p, const struct tl_hashmap *row_of,
				 const tl_track *k, uint32_t *ret_row) {
	return tl_hashmap_find(row_of, fig_row_key_track(p, k), ret_row);
}

/*
 * A walk over the samples of panel p in its time range: the k-th of p's
 * samples for k in [q, to), or the order[k]-th when order is given. Made by
 * fig_walk_samples(), walked by fig_next_sample(), for passes that look a
 * track's row and colour up once a run of its samples.
 */
struct sample_walk {
	const tl_ns *time;      /* the trace's sample columns */
	const uint32_t *track;  /* ... */
	const tl_track *tracks; /* ... and its tracks */
	const struct panel *p;
	const uint32_t *order;
	tl_ns lo, hi; /* the panel's time range */
	size_t q, to;
	uint32_t last; /* the track of the sample before; UINT32_MAX before the first */
};

static inline struct sample_walk fig_walk_samples(const struct build *b, const struct panel *p,
						  const uint32_t *order, size_t from, size_t to) {
	return (struct sample_walk){.time = b->stime,
				    .track = b->strack,
				    .tracks = b->tracks,
				    .p = p,
				    .order = order,
				    .lo = p->axis_lo,
				    .hi = p->axis_hi,
				    .q = from,
				    .to = to,
				    .last = UINT32_MAX};
}

/*
 * The next sample of w: its index in the trace's sample columns in *ret_i,
 * its time in *ret_t, and in *ret_track its track when that is not the
 * sample's before (NULL when it is). false at the end.
 */
static inline bool fig_next_sample(struct sample_walk *w, size_t *ret_i, tl_ns *ret_t,
				   const tl_track **ret_track) {
	for (size_t q = w->q; q < w->to; q++) {
		size_t i = fig_sample_ix(w->p, w->order ? w->order[q] : q);
		tl_ns v = w->time[i];
		if (v < w->lo || v > w->hi) {
			continue;
		}
		uint32_t id = w->track[i];
		*ret_track = id != w->last ? &w->tracks[id] : NULL;
		w->last = id;
		w->q = q + 1;
		*ret_i = i;
		*ret_t = v;
		return true;
	}
	w->q = w->to;
	return false;
}

/*
 * scatter.c: from how many samples a panel's are counted on two threads (by
 * default 2^20). For tests, which count small panels both ways to check that
 * the marks are the same; not thread-safe, set it before laying out.
 */
void fig_set_count_split(size_t min_samples);

/* From how many samples a panel's are counted (and previewed) on two threads. */
size_t fig_count_split(void);

/* colors.c: what each mark is coloured by, the palette handed out */
/*
 * The palette index of an item (a span or a sample of panel p): by its
 * worker, lane, job, group or status as b->o->color_by says. Every colour is
 * handed out on the first call, over all of b's panels (their rows and time
 * ranges set): in natural order, one colour for all past TL_PALETTE_SIZE.
 */
tl_status fig_item_color(struct build *b, const struct panel *p, tl_str worker, uint32_t lane,
			 int64_t job, int32_t status, uint32_t *ret);
/*
 * Hands the colours out, once (fig_item_color() does on its first call),
 * with a legend entry for each colour that names something; notes as it goes
 * what the legend must say of the statuses drawn (fig_note_status()).
 */
tl_status fig_assign_colors(struct build *b);
/* What the legend must show of a drawn span's status: failed (and how), unfinished. */
void fig_note_status(struct build *b, int32_t status);
/* The colour of failure kind kind (FAIL_*) under --color-by status. */
uint32_t fig_fail_color(int kind);

/* legend.c */
/*
 * Whether a chart of o has a legend, the image's and the text preview's
 * alike: when colours say something that the rows do not (workers in rows
 * that are not workers', groups, statuses), and some panel has data.
 */
bool fig_wants_legend(const tl_render_opts *o, bool any_data);
/*
 * Every legend entry, once (b->legend, colours handed out first): the
 * colours' names in natural order, then ok, failed and unfinished, and queue
 * wait, as drawn.
 */
tl_status fig_legend_entries(struct build *b);
/* An entry of label (made visible: fig_visible()), in palette colour color, of style. */
tl_status fig_legend_add(struct build *b, const char *label, unsigned color, uint8_t style);
tl_status fig_legend(struct build *b, bool shown_row, double legend_y, double legend_h);
/*
 * Hands the colours out and lays the legend out in lines of at most width:
 * the lines it needs (0 for no entry; at most 8, "+N more" on the last when
 * even they cannot hold every entry), kept for fig_legend(). Each line is a
 * tick label tall, 4 layout units apart.
 */
size_t fig_legend_lines(struct build *b, double width);
/*
 * Entries w[i] wide in lines of at most width, gap between them: line[i] is
 * each one's line, SIZE_MAX for those left out. With max_lines (0: no
 * limit), entries are left out from the end, and the last line keeps room
 * (gap + more_w) for "+N more". Returns the lines used.
 */
size_t fig_legend_flow(const double *w, size_t n, double width, double gap, double more_w,
		       size_t max_lines, size_t *line);
void fig_tick_label(const struct build *b, const struct panel *p, tl_ns v, char *buf, size_t size);

#endif
