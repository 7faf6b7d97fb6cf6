/*
 * What a panel says around its plot: ticks that fit, its name (a repeated
 * mode's), its wall time and speedup, a pool's start-up band.
 */

#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- layout ---- */

/* A wall-clock axis (--time-axis clock), for the panels of times, not run times. */
static bool on_clock(const struct build *b, const struct panel *p) {
	return b->clock && !p->runtimes;
}

/*
 * The label of tick v: the ticks' unit (tl_ticks_label), or on a wall-clock
 * axis the time of day of origin + v: "14:03", "14:03:10", "14:03:10.25" as
 * the step needs, with the date ("11-30 23:45") when the axis passes
 * midnight.
 */
/* The day (since 1970) of the clock's reading at t ns. */
static long long day_of(const struct build *b, tl_ns t) {
	const tl_ns sec = 1000000000, day = 86400;
	tl_ns at = (b->origin + t) / sec - ((b->origin + t) % sec < 0);
	return (long long)((at - (at % day + day) % day) / day);
}

bool fig_clock_dates(const struct build *b, const struct panel *p) {
	return b->dated && day_of(b, p->axis_lo) != day_of(b, p->axis_hi);
}

static void date_text(long long day, char *buf, size_t size) {
	time_t tt = (time_t)(day * 86400);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%d", &tm)) {
		snprintf(buf, size, "day %lld", day);
	}
}

bool fig_clock_footnote(const struct build *b, char *buf, size_t size) {
	tl_ns lo, hi;
	if (!b->dated || !fig_data_extent(b, &lo, &hi)) {
		return false;
	}
	char from[32], to[32];
	date_text(day_of(b, lo), from, sizeof(from));
	date_text(day_of(b, hi), to, sizeof(to));
	const char *zone = b->local ? "local time" : "UTC";
	if (strcmp(from, to) == 0) {
		snprintf(buf, size, "on %s, %s", from, zone);
	} else {
		snprintf(buf, size, "from %s to %s, %s", from, to, zone);
	}
	return true;
}

void fig_tick_label(const struct build *b, const struct panel *p, tl_ns v, char *buf, size_t size) {
	if (!on_clock(b, p)) {
		tl_ticks_label(&p->ticks, v, buf, size);
		return;
	}
	const tl_ns sec = 1000000000;
	tl_ns at = b->origin + v;
	tl_ns secs = at / sec - (at % sec < 0), frac = at - secs * sec;
	int decimals = 0;
	for (tl_ns q = sec; q > p->ticks.step && decimals < 9; q /= 10) {
		decimals++;
	}
	tl_ns day = 86400;
	bool dates = fig_clock_dates(b, p);
	char date[16] = "";
	if (dates) {
		time_t tt = (time_t)secs;
		struct tm tm;
		if (gmtime_r(&tt, &tm)) {
			strftime(date, sizeof(date), "%m-%d ", &tm);
		}
	}
	tl_ns tod = (secs % day + day) % day;
	int n = snprintf(buf, size, "%s%02lld:%02lld", date, (long long)(tod / 3600),
			 (long long)(tod / 60 % 60));
	if (n > 0 && (size_t)n < size && (p->ticks.step % (60 * sec) != 0 || tod % 60)) {
		n += snprintf(buf + n, size - (size_t)n, ":%02lld", (long long)(tod % 60));
	}
	if (n > 0 && (size_t)n < size && decimals) {
		char digits[16];
		snprintf(digits, sizeof(digits), "%09lld", (long long)frac);
		snprintf(buf + n, size - (size_t)n, ".%.*s", decimals, digits);
	}
}

tl_status fig_choose_ticks(struct build *b, struct panel *p) {
	/* Start generous, then thin out until the widest label fits its share. */
	int max = (int)(p->plot.w / (50 * b->u)) + 1;
	tl_ns shift = on_clock(b, p) ? b->origin : 0; /* ticks on round clock times */
	for (;;) {
		tl_ticks_compute(p->axis_lo + shift, p->axis_hi + shift, max, &p->ticks);
		p->ticks.first -= shift;
		double widest = 0;
		for (int i = 0; i < p->ticks.count; i++) {
			char buf[64], lb[64];
			fig_tick_label(b, p, p->ticks.first + i * p->ticks.step, buf, sizeof(buf));
			snprintf(lb, sizeof(lb), "%s", buf);
			double w, h;
			fig_measure(b, lb, TL_TEXT_TICK, &w, &h);
			widest = w > widest ? w : widest;
		}
		double room = p->ticks.count > 1 ? p->plot.w * (double)p->ticks.step /
							   (double)(p->axis_hi - p->axis_lo)
						 : p->plot.w;
		if (widest + 12 * b->u <= room || max <= 2) {
			return TL_OK;
		}
		/* Fewer ticks each round, so this ends. */
		max = p->ticks.count - 1 < max - 1 ? p->ticks.count - 1 : max - 1;
	}
}

/*
 * A text of role wider than max_w is cut in two: text keeps the longest
 * head that fits (or the first part) before a " · ", else before a blank;
 * rest gets the tail. false when it fits, or when it is one word (then it
 * is ellipsized where drawn).
 */
bool fig_split_text(struct build *b, char *text, enum tl_text_role role, double max_w, char *rest,
		    size_t size) {
	double w, h;
	fig_measure(b, text, role, &w, &h);
	if (w <= max_w) {
		return false;
	}
	static const char *const seps[2] = {" \xc2\xb7 ", " "};
	for (int k = 0; k < 2; k++) {
		char *cut = NULL;
		for (char *p = strstr(text, seps[k]); p; p = strstr(p + 1, seps[k])) {
			char keep = *p;
			*p = '\0';
			fig_measure(b, text, role, &w, &h);
			*p = keep;
			if (cut && w > max_w) {
				break;
			}
			cut = p;
		}
		if (cut) {
			snprintf(rest, size, "%s", cut + strlen(seps[k]));
			*cut = '\0';
			return true;
		}
	}
	return false;
}

/* Byte offset of code point k of s (k at most its code points). */
static size_t cp_offset(const char *s, size_t k) {
	size_t i = 0;
	while (s[i] && k) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80) {
			i++;
		}
		k--;
	}
	return i;
}

/*
 * text (a buffer of size bytes) shortened in its middle until it fits max_w:
 * a third of what is kept before an ellipsis and the rest after it, since a
 * label's distinguishing part is often its end ("https://api…/items/42").
 */
void fig_fit_middle(struct build *b, char *text, size_t size, enum tl_text_role role,
		    double max_w) {
	double w, h;
	fig_measure(b, text, role, &w, &h);
	if (w <= max_w) {
		return;
	}
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		n += ((unsigned char)*p & 0xc0) != 0x80;
	}
	size_t len = strlen(text) + 4;
	char *out = malloc(len), *best = calloc(1, len);
	size_t lo = 1, hi = n > 1 ? n - 1 : 0;
	while (out && best && lo <= hi) {
		size_t keep = (lo + hi) / 2, head = keep / 3;
		size_t hb = cp_offset(text, head), tb = cp_offset(text, n - (keep - head));
		snprintf(out, len, "%.*s\xe2\x80\xa6%s", (int)hb, text, text + tb);
		fig_measure(b, out, role, &w, &h);
		if (w <= max_w) {
			memcpy(best, out, len);
			lo = keep + 1;
		} else {
			hi = keep - 1;
		}
	}
	if (best && best[0] && strlen(best) < size) {
		memcpy(text, best, strlen(best) + 1);
	}
	free(best);
	free(out);
}

bool fig_split_note(struct build *b, char *note, double max_w, char *rest, size_t size) {
	return fig_split_text(b, note, TL_TEXT_NOTE, max_w, rest, size);
}

/* The repeated mode group g is a run of, or NULL. */
const tl_repeat *fig_repeat_of(const struct build *b, uint32_t g) {
	for (size_t i = 0; i < b->nrep; i++) {
		for (uint32_t k = 0; k < b->rep[i].runs; k++) {
			if (b->rep[i].groups[k] == g) {
				return &b->rep[i];
			}
		}
	}
	return NULL;
}

/* What a panel is called: its group's name, or for a repeated run its mode's. */
const char *fig_panel_name(const struct build *b, uint32_t g) {
	const tl_repeat *r = fig_repeat_of(b, g);
	return r ? r->name : tl_trace_group_name(b->t, g);
}

const char *fig_group_label(const struct build *b, uint32_t g) {
	const char *name = fig_panel_name(b, g);
	return name[0] ? name : TL_GROUP_UNNAMED;
}

/* With repeats, only each mode's median run gets a panel. */
tl_status fig_find_repeats(struct build *b) {
	if (!tl_trace_meta_get(b->t, TL_META_REPEAT)) {
		return TL_OK;
	}
	tl_group_stats *st;
	tl_status rc = tl_trace_stats(b->t, &st, b->err);
	if (rc == TL_OK) {
		rc = tl_trace_repeats(b->t, st, &b->rep, &b->nrep, b->err);
		free(st);
	}
	return rc;
}

/*
 * A pool's start-up, where the trace's times start at each pool's creation
 * (timeline run's): a light band from time 0 to the first start, behind the
 * data, so that a pool that started late shows why.
 */
bool fig_startup_band(struct build *b, const struct panel *p) {
	tl_ns x0 = p->axis_lo > 0 ? p->axis_lo : 0,
	      x1 = p->first < p->axis_hi ? p->first : p->axis_hi;
	if (x1 <= x0) {
		return true;
	}
	double l = fig_time_x(p, x0), r = fig_time_x(p, x1);
	struct tl_shape band = {(float)l, (float)p->plot.y, (float)(r - l), (float)p->plot.h, 0,
				48,       TL_SHAPE_BAND};
	return fig_add_shape(b->fig, band);
}

tl_status fig_panel_annotation(struct build *b, const struct panel *p, const struct panel *ref,
			       char *buf, size_t size) {
	ref = fig_reference_for(b, ref, p);
	if (p->runtimes) {
		/* What fig_bench_whiskers() draws over the marks. */
		snprintf(buf, size, "each run a mark \xc2\xb7 mean \xc2\xb1 \xcf\x83 per command");
		return TL_OK;
	} else if (b->bench) {
		/* Nothing ran at once: no wall time, no speedup. */
		snprintf(buf, size, "each command's runs back to back");
		return TL_OK;
	}
	char wall[160];
	tl_format_duration(p->wall, wall, sizeof(wall));
	const tl_repeat *r = fig_repeat_of(b, p->group);
	if (r) {
		/* How far the other runs were: "(24.7–25.8)", the unit said once. */
		char lo[32], hi[32];
		tl_format_duration(r->wall_min, lo, sizeof(lo));
		tl_format_duration(r->wall_max, hi, sizeof(hi));
		const char *ul = strrchr(lo, ' '), *uh = strrchr(hi, ' ');
		size_t n = strlen(wall);
		if (ul && uh && strcmp(ul, uh) == 0) {
			snprintf(wall + n, sizeof(wall) - n, " (%.*s\xe2\x80\x93%s)",
				 (int)(ul - lo), lo, hi);
		} else {
			snprintf(wall + n, sizeof(wall) - n, " (%s\xe2\x80\x93%s)", lo, hi);
		}
	}
	if (b->pool_origin && p->first > 0 && p->first >= p->wall / 200) {
		/* Said with the wall time it is not part of. */
		char up[32];
		tl_format_duration(p->first, up, sizeof(up));
		size_t n = strlen(wall);
		snprintf(wall + n, sizeof(wall) - n, " (+ start-up %s)", up);
	}
	bool several = false;
	for (size_t i = 0; i < b->npanels; i++) {
		several |= !b->panels[i].empty && b->panels[i].group != p->group;
	}
	if (!several || !ref || ref->wall <= 0) {
		/* No other panel, or no speedup against a wall time of zero. */
		snprintf(buf, size, "wall %s", wall);
	} else if (ref->group == p->group) {
		snprintf(buf, size, "wall %s \xc2\xb7 reference", wall);
	} else if (!tl_trace_comparable(b->t, p->group, ref->group)) {
		/* It ran beside the reference (a process of the same trace): no speedup. */
		snprintf(buf, size, "wall %s", wall);
	} else {
		tl_ns rw = ref->wall, w = p->wall;
		char sp[24];
		if (w > 0 && rw > 0) {
			snprintf(buf, size, "wall %s \xc2\xb7 %s vs %s", wall,
				 tl_format_speedup((double)rw / (double)w, sp),
				 fig_group_label(b, ref->group));
		} else {
			snprintf(buf, size, "wall %s", wall);
		}
	}
	return TL_OK;
}

/*
 * Bytes of the format character at s that fig_visible() blanks, or 0: the
 * C1 controls, the bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E-F, U+202A-E, U+2066-9), which could make a label read as
 * another, and the line and paragraph separators (U+2028-9).
 */
static size_t format_char(const unsigned char *s) {
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		return 2;
	}
	if (s[0] == 0xd8 && s[1] == 0x9c) {
		return 2;
	}
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x8e && s[2] <= 0x8f) || (s[2] >= 0xa8 && s[2] <= 0xae))) {
		return 3;
	}
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9) {
		return 3;
	}
	return 0;
}

void fig_visible(char *s) {
	unsigned char *in = (unsigned char *)s, *out = in;
	while (*in) {
		size_t k = *in < 0x20 || *in == 0x7f ? 1 : format_char(in);
		*out++ = k ? ' ' : *in;
		in += k ? k : 1;
	}
	*out = '\0';
}
