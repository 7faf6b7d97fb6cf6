/*
 * Terminal preview: the Gantt (or the scatter's density) as text, a line per
 * row, sized to a given width, for a quick look over SSH. Unicode block
 * characters (a cell is full, half or an eighth covered) with ANSI 256-colour
 * codes from the same palette as the images, or plain ASCII. It takes its
 * rows and colours from the trace directly: no pixels, no fonts.
 */

#include "term.h"

#include "ticks.h"

#include "../io/atomic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xterm-256 colours nearest to the light palette (palette.c). */
static const int ansi[TL_PALETTE_SIZE] = {25, 178, 36, 175, 74, 166, 94, 244};

struct cell {
	float cover;   /* fraction of the cell covered by bars */
	uint32_t hits; /* samples in the cell */
	int16_t color;
	bool failed;
	bool open;        /* an unfinished span ends here: its end is not known */
	bool left, right; /* coverage touches the cell's left or right edge */
};

struct rows_ctx {
	const tl_span *sp;
	const tl_sample *sa; /* when sp is NULL */
};

static uint32_t group_of(const struct rows_ctx *k, size_t i) {
	return k->sp ? k->sp[i].group : k->sa[i].group;
}

static int64_t job_of(const struct rows_ctx *k, size_t i) {
	return k->sp ? k->sp[i].job : k->sa[i].job;
}

/* Indices by group, then job, then position: each row's marks are contiguous. */
static int cmp_group_job(const void *a, const void *b, void *ctx) {
	const struct rows_ctx *k = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint32_t gx = group_of(k, x), gy = group_of(k, y);
	if (gx != gy) {
		return (gx > gy) - (gx < gy);
	}
	int64_t jx = job_of(k, x), jy = job_of(k, y);
	if (jx != jy) {
		return (jx > jy) - (jx < jy);
	}
	return (x > y) - (x < y);
}

/* UTF-8 width in columns, counting every code point as one. */
static int cols_of(const char *s) {
	int n = 0;
	for (; *s; s++) {
		n += ((unsigned char)*s & 0xc0) != 0x80;
	}
	return n;
}

/* Print s cut or padded to exactly w columns. */
static void put_fixed(FILE *f, const char *s, int w) {
	int n = 0;
	const char *p = s;
	while (*p && n < w) {
		const char *q = p + 1;
		while (((unsigned char)*q & 0xc0) == 0x80) {
			q++;
		}
		if (n == w - 1 && *q) {
			fputs("\xe2\x80\xa6", f); /* … */
			n++;
			break;
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fputc(' ', f); /* tabs and other controls would break the columns */
		} else {
			fwrite(p, 1, (size_t)(q - p), f);
		}
		p = q;
		n++;
	}
	for (; n < w; n++) {
		fputc(' ', f);
	}
}

static void cell_out(FILE *f, const struct cell *c, const struct tl_term_opts *o, uint32_t hmax) {
	static const char *const eighth_left[8] = {" ",
						   "\xe2\x96\x8f",
						   "\xe2\x96\x8e",
						   "\xe2\x96\x8d",
						   "\xe2\x96\x8c",
						   "\xe2\x96\x8b",
						   "\xe2\x96\x8a",
						   "\xe2\x96\x89"};
	static const char *const levels[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					      "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					      "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii_levels[] = ".:-=+*#%";
	if (c->cover <= 0 && c->hits == 0) {
		fputc(' ', f);
		return;
	}
	if (o->color) {
		fprintf(f, "\x1b[38;5;%dm", c->failed ? 196 : ansi[c->color % TL_PALETTE_SIZE]);
	}
	if (c->hits) {
		int lv = hmax <= 1 ? 7 : (int)lround(7.0 * log1p(c->hits) / log1p(hmax));
		if (o->ascii) {
			fputc(ascii_levels[lv], f);
		} else {
			fputs(levels[lv], f);
		}
	} else if (c->open) {
		fputs(o->ascii ? ">" : "\xe2\x96\x91", f); /* ░, as the chart fades it out */
	} else if (o->ascii) {
		fputc(c->failed ? 'x' : c->cover >= 0.5f ? '#' : '+', f);
	} else if (c->failed) {
		fputs(c->cover >= 0.5f ? "\xe2\x96\x93" : "\xe2\x96\x92", f); /* ▓ ▒ */
	} else if (c->cover >= 0.875f || (c->left && c->right)) {
		fputs("\xe2\x96\x88", f); /* █ */
	} else if (c->left) {
		/* A bar ending inside the cell: an eighth block from the left. */
		int e = (int)lround(c->cover * 8);
		fputs(eighth_left[e < 1 ? 1 : e > 7 ? 7 : e], f);
	} else {
		/* A bar starting inside the cell: the right half or eighth. */
		fputs(c->cover >= 0.5f ? "\xe2\x96\x90" : "\xe2\x96\x95", f); /* ▐ ▕ */
	}
	if (o->color) {
		fputs("\x1b[0m", f);
	}
}

/* A time axis of cols cells from lo to hi with 1-2-5 ticks, the unit and then what. */
static void print_axis(FILE *f, const struct tl_term_opts *o, tl_ns lo, tl_ns hi, int label_w,
		       int cols, const char *what) {
	double per = (double)(hi - lo) / cols;
	struct tl_ticks tk;
	/* Fewer ticks until the widest label fits between two, with two spaces. */
	for (int max = cols / 10 + 1;; max--) {
		tl_ticks_compute(lo, hi, max, &tk);
		size_t widest = 0;
		for (int k = 0; k < tk.count; k++) {
			char lb[32];
			tl_ticks_label(&tk, tk.first + k * tk.step, lb, sizeof(lb));
			widest = strlen(lb) > widest ? strlen(lb) : widest;
		}
		if (tk.count < 2 || (double)tk.step / per >= (double)widest + 2 || max <= 2) {
			break;
		}
	}
	fprintf(f, "%*s %s", label_w, "", o->ascii ? "+" : "\xe2\x94\x94");
	for (int c = 0; c < cols; c++) {
		fputs(o->ascii ? "-" : "\xe2\x94\x80", f);
	}
	fputc('\n', f);
	char *axis = malloc((size_t)cols + 64);
	if (axis) {
		memset(axis, ' ', (size_t)cols + 63);
		axis[cols + 63] = '\0';
		int next = 0; /* a label never overwrites the one before */
		for (int k = 0; k < tk.count; k++) {
			char lb[32];
			tl_ticks_label(&tk, tk.first + k * tk.step, lb, sizeof(lb));
			int c = (int)((double)(tk.first + k * tk.step - lo) / per);
			size_t n = strlen(lb);
			if (c >= next && c + (int)n <= cols + 8) {
				memcpy(axis + c, lb, n);
				next = c + (int)n + 1;
			}
		}
		int end = cols + 63;
		while (end > 0 && axis[end - 1] == ' ') {
			end--;
		}
		axis[end] = '\0';
		fprintf(f, "%*s  %s %s%s\n", label_w, "", axis, tl_time_unit_symbol(tk.unit), what);
		free(axis);
	}
}

/*
 * A benchmark's run times, under its Gantt: per command a row of its runs'
 * times as marks (failed ones red) on an axis of its own from 0 to the
 * longest run, and its mean ± σ at the end of the row when there is room.
 * row: cols cells of scratch.
 */
static tl_status bench_strip(const tl_trace *t, const struct tl_term_opts *o, FILE *f, int label_w,
			     int cols, struct cell *row) {
	tl_bench_stats *b;
	size_t n, nsp;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	tl_status st = tl_trace_bench(t, &b, &n, NULL);
	if (st != TL_OK || n == 0) {
		return st;
	}
	char(*note)[80] = calloc(n, sizeof(*note));
	if (!note) {
		free(b);
		return TL_ERR_NOMEM;
	}
	tl_ns top = 0;
	int note_w = 0;
	for (size_t i = 0; i < n; i++) {
		top = b[i].max > top ? b[i].max : top;
		char m[32], sd[32];
		tl_format_duration(b[i].mean, m, sizeof(m));
		if (b[i].stddev >= 0) {
			tl_format_duration(b[i].stddev, sd, sizeof(sd));
			snprintf(note[i], 80, "%s %s %s", m, o->ascii ? "+-" : "\xc2\xb1", sd);
		} else {
			snprintf(note[i], 80, "%s", m);
		}
		note_w = cols_of(note[i]) > note_w ? cols_of(note[i]) : note_w;
	}
	/* The means take a column at the right when the marks keep most of the line. */
	int marks = cols - note_w - 2 >= cols / 2 ? cols - note_w - 2 : cols;
	tl_ns hi = top > 0 ? top + top / 50 + (top < 50) : 1000000;
	double per = (double)hi / marks;
	for (size_t a = 0, z; a < n; a = z) {
		const char *gname = tl_trace_group_name(t, b[a].group);
		fprintf(f, "%s%s%srun times%s%s\n", o->color ? "\x1b[1m" : "", gname,
			gname[0] ? " " : "", o->color ? "\x1b[0m" : "",
			marks == cols ? ""
			: o->ascii    ? "  mean +- sd per command at the right"
				      : "  mean \xc2\xb1 \xcf\x83 per command at the right");
		for (z = a; z < n && b[z].group == b[a].group; z++) {
			memset(row, 0, (size_t)cols * sizeof(*row));
			uint32_t hmax = 0;
			for (size_t i = 0; i < nsp; i++) {
				if (sp[i].group != b[z].group || sp[i].job != b[z].job ||
				    sp[i].status == TL_STATUS_UNFINISHED) {
					continue;
				}
				int c = (int)((double)(sp[i].stop - sp[i].start) / per);
				c = c < 0 ? 0 : c >= marks ? marks - 1 : c;
				row[c].hits++;
				row[c].color = (int16_t)(b[z].job % TL_PALETTE_SIZE);
				row[c].failed |= tl_status_failed(sp[i].status);
				hmax = row[c].hits > hmax ? row[c].hits : hmax;
			}
			char buf[64];
			snprintf(buf, sizeof(buf), "job %lld", (long long)b[z].job);
			put_fixed(f, b[z].label ? tl_trace_str(t, b[z].label) : buf, label_w);
			fputs(o->ascii ? " |" : " \xe2\x94\x82", f);
			/* Without the means, a line ends with its last mark. */
			int end = marks;
			while (marks == cols && end > 0 && row[end - 1].hits == 0) {
				end--;
			}
			for (int c = 0; c < end; c++) {
				cell_out(f, &row[c], o, hmax);
			}
			if (marks < cols) {
				fprintf(f, "  %*s%s", note_w - cols_of(note[z]), "", note[z]);
			}
			fputc('\n', f);
		}
	}
	print_axis(f, o, 0, hi, label_w, marks, ", run time");
	free(note);
	free(b);
	return TL_OK;
}

tl_status tl_render_term(const tl_trace *t, const struct tl_term_opts *o, FILE *f,
			 struct tl_error *err) {
	size_t nsp, nsa;
	const tl_span *sp = tl_trace_spans(t, &nsp);
	const tl_sample *sa = tl_trace_samples(t, &nsa);
	char stopped_text[256];
	bool stopped = tl_trace_interrupted(t, stopped_text, sizeof(stopped_text));
	/* An interrupted run that completed nothing still gets its sections, saying so. */
	if (nsp == 0 && nsa == 0 && !stopped) {
		return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
				    "nothing to draw: the input has no spans or samples");
	}
	bool spans = nsp > 0;
	bool bench = spans && tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
	tl_ns lo = 0, hi = 1;
	tl_trace_bounds(t, &lo, &hi);
	if (lo > 0 && lo <= (hi - lo) / 4) {
		lo = 0;
	}
	if (hi <= lo) {
		hi = lo + 1;
	}
	int width = o->width < 30 ? 30 : o->width;
	int label_w = 4;
	size_t ng = tl_trace_group_count(t);
	if (ng > TL_RENDER_MAX_GROUPS) {
		return tl_error_set(err, TL_ERR_INPUT, NULL, 0, 0,
				    "%zu groups, a section each: more than the %d a chart can show",
				    ng, TL_RENDER_MAX_GROUPS);
	}
	tl_status st = TL_OK;
	size_t nmarks = spans ? nsp : nsa;
	struct rows_ctx rk = {spans ? sp : NULL, sa};
	/* One sort, then one pass: n log n however many rows there are. */
	size_t *ord = malloc((nmarks ? nmarks : 1) * sizeof(*ord));
	bool *has_data = calloc(ng ? ng : 1, sizeof(*has_data));
	if (!ord || !has_data) {
		free(ord);
		free(has_data);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < nsp; i++) {
		has_data[sp[i].group] = true;
	}
	for (size_t i = 0; i < nsa; i++) {
		has_data[sa[i].group] = true;
	}
	for (size_t i = 0; i < nmarks; i++) {
		ord[i] = i;
	}
	qsort_r(ord, nmarks, sizeof(*ord), cmp_group_job, &rk);
	/* Label column: wide enough for "job N", at most a third of the line. */
	for (size_t i = 0; i < nmarks; i++) {
		const char *l = spans ? tl_trace_str(t, sp[i].label) : "";
		int w = l[0] ? cols_of(l)
			     : 4 + snprintf(NULL, 0, "%lld",
					    (long long)(spans ? sp[i].job : sa[i].job));
		label_w = w > label_w ? w : label_w;
	}
	label_w = label_w > width / 3 ? width / 3 : label_w;
	int cols = width - label_w - 2;
	double per = (double)(hi - lo) / cols;
	struct cell *row = malloc((size_t)cols * sizeof(*row));
	if (!row) {
		free(ord);
		free(has_data);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (stopped) {
		fprintf(f, "%s%s%s\n", o->color ? "\x1b[1m" : "", stopped_text,
			o->color ? "\x1b[0m" : "");
	}
	if (ng == 0 && stopped) {
		fprintf(f, "%s\n", TL_NO_JOB_TEXT);
	}
	for (size_t ga = 0, gb, g = 0; g < ng; g++) {
		if (ga == nmarks || group_of(&rk, ord[ga]) != g) {
			/* Groups without marks are left out, but an interrupted run's empty ones
			 * named. */
			if (stopped && !has_data[g]) {
				const char *gname = tl_trace_group_name(t, (uint32_t)g);
				fprintf(f, "%s%s%s  %s\n", o->color ? "\x1b[1m" : "",
					gname[0] ? gname : "(all)", o->color ? "\x1b[0m" : "",
					TL_NO_JOB_TEXT);
			}
			continue;
		}
		/* The group's marks are ord[ga..gb), its rows the runs of one job. */
		size_t nrows = 0;
		tl_ns first = INT64_MAX, last = INT64_MIN;
		for (gb = ga; gb < nmarks && group_of(&rk, ord[gb]) == g; gb++) {
			size_t i = ord[gb];
			nrows += gb == ga || job_of(&rk, i) != job_of(&rk, ord[gb - 1]);
			tl_ns a = spans ? sp[i].start : sa[i].t, b = spans ? sp[i].stop : sa[i].t;
			first = a < first ? a : first;
			last = b > last ? b : last;
		}
		char wall[48] = "wall ";
		tl_format_duration(last - first, wall + 5, sizeof(wall) - 5);
		if (bench) {
			/* Nothing ran at once: no wall time (the run-time strip follows). */
			snprintf(wall, sizeof(wall), "each command's runs back to back");
		}
		const char *gname = tl_trace_group_name(t, g);
		fprintf(f, "%s%s%s  %s\n", o->color ? "\x1b[1m" : "", gname[0] ? gname : "(all)",
			o->color ? "\x1b[0m" : "", wall);
		/* Rows beyond the height are summarised rather than scrolled past. */
		size_t shown = o->max_rows > 0 && nrows > (size_t)o->max_rows ? (size_t)o->max_rows
									      : nrows;
		size_t ra = ga, rb;
		for (size_t r = 0; r < shown; r++, ra = rb) {
			int64_t job = job_of(&rk, ord[ra]);
			for (rb = ra; rb < gb && job_of(&rk, ord[rb]) == job; rb++) {
			}
			memset(row, 0, (size_t)cols * sizeof(*row));
			uint32_t hmax = 0;
			const char *label = NULL;
			for (size_t q = ra; q < rb; q++) {
				size_t i = ord[q];
				if (!spans) {
					int c = (int)((double)(sa[i].t - lo) / per);
					c = c < 0 ? 0 : c >= cols ? cols - 1 : c;
					row[c].hits++;
					row[c].color = (int16_t)(job % TL_PALETTE_SIZE);
					continue;
				}
				if (!label && sp[i].label != TL_STR_NONE) {
					label = tl_trace_str(t, sp[i].label);
				}
				double x0 = (double)(sp[i].start - lo) / per,
				       x1 = (double)(sp[i].stop - lo) / per;
				if (x1 - x0 < 0.125) {
					x1 = x0 + 0.125;
				}
				for (int c = (int)x0; c < cols && c <= (int)x1; c++) {
					if (c < 0) {
						continue;
					}
					double a = fmax(x0, c), b = fmin(x1, c + 1.0);
					if (b <= a) {
						continue;
					}
					row[c].cover += (float)(b - a);
					row[c].left |= a <= c + 1e-9;
					row[c].right |= b >= c + 1.0 - 1e-9;
					row[c].color = (int16_t)(job % TL_PALETTE_SIZE);
					row[c].failed |= tl_status_failed(sp[i].status);
				}
				int end_c = (int)x1 < cols ? (int)x1 : cols - 1;
				if (sp[i].status == TL_STATUS_UNFINISHED && end_c >= 0) {
					row[end_c].open = true;
				}
			}
			for (int c = 0; c < cols; c++) {
				hmax = row[c].hits > hmax ? row[c].hits : hmax;
				row[c].cover = row[c].cover > 1 ? 1 : row[c].cover;
			}
			char buf[64];
			if (!label) {
				snprintf(buf, sizeof(buf), "job %lld", (long long)job);
				label = buf;
			}
			put_fixed(f, label, label_w);
			fputs(o->ascii ? " |" : " \xe2\x94\x82", f);
			/* No trailing blanks: a line ends with its last mark. */
			int end = cols;
			while (end > 0 && row[end - 1].cover <= 0 && row[end - 1].hits == 0) {
				end--;
			}
			for (int c = 0; c < end; c++) {
				cell_out(f, &row[c], o, hmax);
			}
			fputc('\n', f);
		}
		if (shown < nrows) {
			fprintf(f, "%*s %zu more rows\n", label_w, "", nrows - shown);
		}
		ga = gb;
	}
	free(has_data);
	if (nmarks == 0) {
		/* Nothing timed: no axis to draw. */
		goto out;
	}
	/* The time axis with 1-2-5 ticks under the last panel. */
	print_axis(f, o, lo, hi, label_w, cols, "");
	if (bench) {
		st = bench_strip(t, o, f, label_w, cols, row);
	}
out:
	free(row);
	free(ord);
	if (ferror(f)) {
		st = tl_error_set(err, TL_ERR_IO, NULL, 0, 0, "write failed");
	}
	return st;
}

tl_status tl_render_term_file(const tl_trace *t, const tl_term_opts *o, const char *path,
			      struct tl_error *err) {
	struct tl_atomic out;
	tl_status st = tl_atomic_open(&out, path, err);
	if (st != TL_OK) {
		return st;
	}
	st = tl_render_term(t, o, out.f, err);
	if (st != TL_OK) {
		tl_atomic_abort(&out);
		return st;
	}
	return tl_atomic_commit(&out, err);
}
