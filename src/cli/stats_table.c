/*
 * `timeline stats`' tables for people: a column per figure, one time unit
 * per column said in its heading, the columns a row may lack only when some
 * row has them, and under the table the lines that explain it.
 */

#include "stats.h"

#include "../util/timeunit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The unit that fits a column whose largest magnitude is v: its symbol and
 * size in ns. Hours from 10 h, minutes from 10 min, then s, ms, µs, ns: one
 * unit per column, so that its numbers compare at a glance.
 */
static const char *column_unit(tl_ns v, double *ret_ns) {
	tl_time_unit u = TL_TU_H;
	while (u > TL_TU_NS) {
		/* A clock unit from ten of it; the others from one. */
		tl_ns from = tl_time_unit_ns(u) * (u >= TL_TU_MIN ? 10 : 1);
		if ((double)v >= (double)from) {
			break;
		}
		u--;
	}
	*ret_ns = (double)tl_time_unit_ns(u);
	return tl_time_unit_symbol(u);
}

/* ns in a column's unit: three decimals, none for nanoseconds. */
static void in_unit(double ns, double unit, char *buf, size_t size) {
	snprintf(buf, size, unit > 1 ? "%.3f" : "%.0f", ns / unit);
}

/*
 * The decimals a column needs so that its smallest value that is not zero
 * keeps three significant digits beside its largest (50 µs in a column of
 * seconds: 0.0000500, not 0.000): three at least, nine at most.
 */
static int column_decimals(tl_ns smallest, double unit) {
	if (unit <= 1) {
		return 0;
	}
	int d = 3;
	for (double v = (double)smallest / unit * 1000; smallest > 0 && d < 9 && v < 100; v *= 10) {
		d++;
	}
	return d;
}

/* Display width in characters (code points) of UTF-8 text. */
static int text_width(const char *s) {
	int w = 0;
	for (; *s; s++) {
		w += ((unsigned char)*s & 0xc0) != 0x80;
	}
	return w;
}

static void pad_right(const char *s, int width) {
	fputs(s, stdout);
	for (int i = text_width(s); i < width; i++) {
		putchar(' ');
	}
}

static void pad_left(const char *s, int width) {
	for (int i = text_width(s); i < width; i++) {
		putchar(' ');
	}
	fputs(s, stdout);
}

/* ---- groups: a row per group ---- */

enum {
	COL_GROUP,
	COL_JOBS,
	COL_WORKERS,
	COL_WALL,
	COL_BUSY,
	COL_CONCURRENCY,
	COL_SPEEDUP,
	COL_FAILED,
	COL_UNFINISHED,
	COL_STARTUP,
	COL_RUNS,
	COL_MIN_WALL,
	COL_MAX_WALL,
	COL_UTIL,
	COL_WAIT_MEAN,
	COL_WAIT_MAX,
	NCOL
};

/* A column: its heading, and how its numbers are written. */
struct column {
	char head[48];
	double unit; /* ns per unit of a time column; 1 for the others */
	int dec;     /* decimals of a time column */
	int width;   /* of its heading and widest cell */
};

/* A row's cells. */
typedef char row_cells[NCOL][64];

static bool is_time_column(int c) {
	return c == COL_WALL || c == COL_BUSY || c == COL_STARTUP || c == COL_MIN_WALL ||
	       c == COL_MAX_WALL || c == COL_WAIT_MEAN || c == COL_WAIT_MAX;
}

/* The time columns: one unit each, said in the heading ("wall (s)"). */
static void column_heads(const struct stats_row *rows, size_t n, struct column col[NCOL]) {
	static const char *const head[NCOL] = {
		"group",    "jobs",        "workers",    "wall",     "busy", "concurrency",
		"speedup",  "failed",      "unfinished", "start-up", "runs", "min wall",
		"max wall", "utilisation", "mean wait",  "max wait"};
	tl_ns big[NCOL] = {0}, small[NCOL] = {0};
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		tl_ns v[NCOL] = {[COL_WALL] = s->wall,
				 [COL_BUSY] = s->busy,
				 [COL_STARTUP] = s->startup,
				 [COL_MIN_WALL] = rows[i].runs ? rows[i].wall_min : 0,
				 [COL_MAX_WALL] = rows[i].runs ? rows[i].wall_max : 0,
				 [COL_WAIT_MEAN] = s->wait_mean,
				 [COL_WAIT_MAX] = s->wait_max};
		for (int c = 0; c < NCOL; c++) {
			tl_ns a = v[c] < 0 ? -v[c] : v[c];
			big[c] = a > big[c] ? a : big[c];
			small[c] = a > 0 && (!small[c] || a < small[c]) ? a : small[c];
		}
	}
	for (int c = 0; c < NCOL; c++) {
		struct column *k = &col[c];
		if (is_time_column(c)) {
			/* Nothing timed (no data, or all zero): seconds, the plain unit. */
			snprintf(k->head, sizeof(k->head), "%s (%s)", head[c],
				 column_unit(big[c] ? big[c] : 1000000000, &k->unit));
			k->dec = column_decimals(small[c], k->unit);
		} else {
			snprintf(k->head, sizeof(k->head), "%s", head[c]);
			k->unit = 1;
			k->dec = 0;
		}
		k->width = text_width(k->head);
	}
}

/* v in column c's unit, or "-" when not shown. */
static void time_cell(char *cell, bool shown, tl_ns v, const struct column *c) {
	if (shown) {
		snprintf(cell, 64, "%.*f", c->dec, (double)v / c->unit);
	} else {
		snprintf(cell, 64, "-");
	}
}

/* The cells of row r, each column's numbers as col says. */
static void fill_cells(const struct stats_row *r, const struct column col[NCOL], row_cells cell) {
	const tl_group_stats *s = &r->s;
	/* A group with no spans or samples (a run interrupted before it began). */
	bool none = s->spans == 0 && s->samples == 0;
	bool queued = s->queued && s->spans;
	snprintf(cell[COL_GROUP], 64, "%s", r->shown[0] ? r->shown : TL_GROUP_UNNAMED);
	snprintf(cell[COL_JOBS], 64, "%zu", s->jobs);
	snprintf(cell[COL_WORKERS], 64, "%zu%s", s->workers, s->workers_named || none ? "" : "*");
	time_cell(cell[COL_WALL], !none, s->wall, &col[COL_WALL]);
	time_cell(cell[COL_BUSY], !none, s->busy, &col[COL_BUSY]);
	snprintf(cell[COL_CONCURRENCY], 64, s->wall > 0 ? "%.2f" : "-", s->concurrency);
	snprintf(cell[COL_UTIL], 64, s->wall > 0 ? "%.1f%%" : "-", s->utilisation * 100);
	time_cell(cell[COL_WAIT_MEAN], queued, s->wait_mean, &col[COL_WAIT_MEAN]);
	time_cell(cell[COL_WAIT_MAX], queued, s->wait_max, &col[COL_WAIT_MAX]);
	char sp[24];
	snprintf(cell[COL_SPEEDUP], 64, "%s",
		 s->speedup > 0 ? tl_format_speedup(s->speedup, sp) : "-");
	snprintf(cell[COL_FAILED], 64, "%zu", s->failed);
	snprintf(cell[COL_UNFINISHED], 64, "%zu", s->unfinished);
	snprintf(cell[COL_RUNS], 64, "%u", r->runs ? r->runs : 1);
	time_cell(cell[COL_MIN_WALL], r->runs, r->wall_min, &col[COL_MIN_WALL]);
	time_cell(cell[COL_MAX_WALL], r->runs, r->wall_max, &col[COL_MAX_WALL]);
	time_cell(cell[COL_STARTUP], s->startup >= 0, s->startup, &col[COL_STARTUP]);
}

/*
 * The columns shown, in their order, into cols; returns how many: failed,
 * start-up and the others a row may lack only where some group has them.
 */
static int shown_columns(const struct stats_survey *sv, int cols[NCOL]) {
	/* Utilisation beside concurrency; the waits last. */
	static const int order[NCOL] = {COL_GROUP,    COL_JOBS,        COL_WORKERS,   COL_WALL,
					COL_BUSY,     COL_CONCURRENCY, COL_UTIL,      COL_SPEEDUP,
					COL_FAILED,   COL_UNFINISHED,  COL_STARTUP,   COL_RUNS,
					COL_MIN_WALL, COL_MAX_WALL,    COL_WAIT_MEAN, COL_WAIT_MAX};
	int ncol = 0;
	for (int k = 0; k < NCOL; k++) {
		int c = order[k];
		bool runs = c < COL_RUNS || c > COL_MAX_WALL || sv->runs;
		bool waits = (c != COL_WAIT_MEAN && c != COL_WAIT_MAX) || sv->queued;
		bool util = c != COL_UTIL || sv->cluster;
		if ((c != COL_FAILED || sv->failed) && (c != COL_STARTUP || sv->startup) &&
		    (c != COL_UNFINISHED || sv->unfinished) && runs && waits && util) {
			cols[ncol++] = c;
		}
	}
	return ncol;
}

/* The heading line, then a line per row: the group left-aligned, the numbers right. */
static void print_grid(const struct column col[NCOL], const int *cols, int ncol,
		       const row_cells *cells, size_t n) {
	for (int k = 0; k < ncol; k++) {
		int c = cols[k];
		if (k) {
			fputs("  ", stdout);
		}
		(c == COL_GROUP ? pad_right : pad_left)(
			col[c].head, c == COL_GROUP && ncol == 1 ? 0 : col[c].width);
	}
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < ncol; k++) {
			int c = cols[k];
			if (k) {
				fputs("  ", stdout);
			}
			(c == COL_GROUP ? pad_right : pad_left)(cells[i][c], col[c].width);
		}
		putchar('\n');
	}
}

/*
 * A line per group of several jobs: the job that ended last and how long
 * the group waited on it alone.
 */
static void print_stragglers(const struct stats_row *rows, size_t n) {
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		if (s->jobs < 2 || s->straggler_alone < 0 || !rows[i].straggler) {
			continue;
		}
		char alone[64];
		double unit;
		const char *sym = column_unit(s->straggler_alone, &unit);
		in_unit((double)s->straggler_alone, unit, alone, sizeof(alone));
		const char *g = rows[i].shown[0] ? rows[i].shown : TL_GROUP_UNNAMED;
		if (rows[i].straggler[0]) {
			printf("straggler: %s: '%s' (job %lld) ended last, alone for %s %s\n", g,
			       rows[i].straggler, (long long)s->straggler, alone, sym);
		} else {
			printf("straggler: %s: job %lld ended last, alone for %s %s\n", g,
			       (long long)s->straggler, alone, sym);
		}
	}
}

/* What the speedup column says, or why it is empty. */
static void print_speedup_note(const struct stats_survey *sv) {
	if (sv->timed == 0 && sv->concurrent && sv->with_data >= 2) {
		puts("speedup: none, the groups ran at the same time");
	} else if (sv->timed > 0 && sv->beside_ref) {
		puts("speedup: none for a group that ran at the same time as the reference "
		     "(groups of one input)");
	}
	if (sv->timed == 0) {
		/* No speedup shown: nothing to explain. */
	} else if (sv->same_ref) {
		printf("speedup: wall time of '%s' / wall time\n",
		       sv->one_ref[0] ? sv->one_ref : TL_GROUP_UNNAMED);
	} else {
		puts("speedup: wall time of each input's 'serial' group (else its first) / wall "
		     "time");
	}
}

/* The lines under the table: what its marks and columns mean, then nt. */
static void print_table_notes(const struct stats_row *rows, size_t n, const struct stats_survey *sv,
			      const struct stats_notes *nt) {
	if (sv->with_data == 0) {
		puts("no spans or samples");
	}
	if (sv->lanes) {
		puts("* the input names no workers: lanes needed (most jobs running at once)");
	}
	if (sv->startup) {
		puts("start-up: from the pool's creation to its first job (its workers' launch)");
	}
	if (sv->unfinished) {
		puts("unfinished: jobs with a start and no stop, counted to the end of their "
		     "group");
	}
	/* A scheduler's or engine's run: how full its slots were, who it waited on. */
	if (sv->cluster) {
		puts("utilisation: busy / (workers \xc3\x97 wall), how full the slots were");
	}
	if (sv->queued) {
		puts("wait: from submission to start (queue wait)");
	}
	if (sv->cluster) {
		print_stragglers(rows, n);
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].runs) {
			printf("%s: run %u of %u, the one with the median wall time; min and max "
			       "over the runs\n",
			       rows[i].shown, rows[i].run, rows[i].runs);
		}
	}
	print_speedup_note(sv);
	for (size_t i = 0; i < nt->n; i++) {
		puts(nt->line[i]);
	}
}

void stats_print_table(const struct stats_row *rows, size_t n, const struct stats_notes *nt) {
	struct column col[NCOL];
	column_heads(rows, n, col);
	row_cells *cells = calloc(n ? n : 1, sizeof(*cells));
	if (!cells) {
		fprintf(stderr, "timeline: out of memory\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		fill_cells(&rows[i], col, cells[i]);
		for (int c = 0; c < NCOL; c++) {
			int w = text_width(cells[i][c]);
			col[c].width = w > col[c].width ? w : col[c].width;
		}
	}
	struct stats_survey sv = stats_survey(rows, n);
	int cols[NCOL];
	int ncol = shown_columns(&sv, cols);
	print_grid(col, cols, ncol, cells, n);
	free(cells);
	print_table_notes(rows, n, &sv, nt);
}

/* ---- benchmarks: a row per command ---- */

enum { BENCH_NCOL = 9 };

/* A command's cells, as the benchmark table writes them. */
struct bench_cells {
	char mean[2][32];     /* the mean and its σ ("" for none) */
	char relative[2][32]; /* the mean relative to the fastest and its σ */
	char min[32], median[32], max[32], failed[32], runs[32];
	char mean_pm[80], relative_pm[80]; /* each pair as "a ± b" */
};

/*
 * Cells "a ± b" of pairs (the means, or with relative the relative ones)
 * with a and b each right-aligned in their own width, "a" alone padded.
 */
static void pm_cells(struct bench_cells *cells, size_t n, bool relative) {
	int wa = 0, wb = 0;
	for (size_t i = 0; i < n; i++) {
		char(*v)[32] = relative ? cells[i].relative : cells[i].mean;
		wa = text_width(v[0]) > wa ? text_width(v[0]) : wa;
		wb = text_width(v[1]) > wb ? text_width(v[1]) : wb;
	}
	for (size_t i = 0; i < n; i++) {
		char(*v)[32] = relative ? cells[i].relative : cells[i].mean;
		char *out = relative ? cells[i].relative_pm : cells[i].mean_pm;
		if (v[1][0]) {
			snprintf(out, 80, "%*s \xc2\xb1 %*s", wa, v[0], wb, v[1]);
		} else if (wb) {
			snprintf(out, 80, "%*s   %*s", wa, v[0], wb, "");
		} else {
			snprintf(out, 80, "%*s", wa, v[0]);
		}
	}
}

/*
 * The cells of every command, times in unit (ns per unit), new (free() it);
 * NULL when out of memory.
 */
static struct bench_cells *bench_cells(const struct stats_bench_row *rows, size_t n, double unit) {
	struct bench_cells *cells = calloc(n ? n : 1, sizeof(*cells));
	if (!cells) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const tl_bench_stats *s = &rows[i].s;
		struct bench_cells *c = &cells[i];
		in_unit((double)s->mean, unit, c->mean[0], 32);
		if (s->stddev >= 0) {
			in_unit((double)s->stddev, unit, c->mean[1], 32);
		}
		in_unit((double)s->min, unit, c->min, 32);
		in_unit((double)s->median, unit, c->median, 32);
		in_unit((double)s->max, unit, c->max, 32);
		snprintf(c->failed, 32, "%zu", s->failed);
		snprintf(c->runs, 32, "%zu", s->runs);
		snprintf(c->relative[0], 32, s->relative > 0 ? "%.2f" : "-", s->relative);
		if (s->relative_stddev >= 0) {
			snprintf(c->relative[1], 32, "%.2f", s->relative_stddev);
		}
	}
	pm_cells(cells, n, false);
	pm_cells(cells, n, true);
	return cells;
}

/*
 * The lines of grid (a heading, then a line per command), the group column
 * only when several: names left-aligned, numbers right, the last column
 * left-aligned without blanks at the end of a line.
 */
static void print_bench_grid(const char *(*grid)[BENCH_NCOL], size_t lines, bool several) {
	int width[BENCH_NCOL] = {0};
	for (size_t i = 0; i < lines; i++) {
		for (int c = 0; c < BENCH_NCOL; c++) {
			int w = text_width(grid[i][c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	for (size_t i = 0; i < lines; i++) {
		for (int c = several ? 0 : 1; c < BENCH_NCOL; c++) {
			const char *cell = grid[i][c];
			if (c == 0 || c == 1) {
				pad_right(cell, width[c]);
				fputs("  ", stdout);
			} else if (c < BENCH_NCOL - 1) {
				pad_left(cell, width[c]);
				fputs("  ", stdout);
			} else {
				int len = (int)strlen(cell);
				while (len > 0 && cell[len - 1] == ' ') {
					len--;
				}
				printf("%.*s\n", len, cell);
			}
		}
	}
}

/* The lines under the benchmark table: what relative and failed mean, then nt. */
static void print_bench_notes(const struct stats_bench_row *rows, size_t n,
			      const struct stats_notes *nt) {
	const char *fastest = NULL;
	bool one_fastest = true, any_failed = false;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].s.fastest && rows[i].s.relative > 0) {
			one_fastest = !fastest;
			fastest = rows[i].shown_command;
		}
		any_failed |= rows[i].s.failed > 0;
	}
	if (fastest && one_fastest && n > 1) {
		printf("relative: mean / the mean of '%s', the fastest; \xc2\xb1 from both "
		       "\xcf\x83\n",
		       fastest);
	} else if (fastest && n > 1) {
		puts("relative: mean / the fastest mean of its group; \xc2\xb1 from both \xcf\x83");
	}
	if (any_failed) {
		puts("failed: runs with a non-zero exit code (hyperfine -i); their times count in "
		     "the figures, as in hyperfine's");
	}
	for (size_t i = 0; i < nt->n; i++) {
		puts(nt->line[i]);
	}
}

void stats_print_bench_table(const struct stats_bench_rows *br, const struct stats_notes *nt) {
	const struct stats_bench_row *rows = br->row;
	size_t n = br->n;
	/*
	 * One unit for every time column, from the largest time shown, as
	 * hyperfine prints one unit per line: "0.500 s" beside "500.000 ms" of the
	 * same run reads as two different times.
	 */
	tl_ns big = 0;
	for (size_t i = 0; i < n; i++) {
		const tl_bench_stats *s = &rows[i].s;
		tl_ns v[5] = {s->mean, s->stddev, s->min, s->median, s->max};
		for (int c = 0; c < 5; c++) {
			big = v[c] > big ? v[c] : big;
		}
	}
	double unit;
	const char *sym = column_unit(big, &unit);
	char head[BENCH_NCOL][48] = {"group", "command", "runs"};
	snprintf(head[3], 48, "mean \xc2\xb1 \xcf\x83 (%s)", sym);
	snprintf(head[4], 48, "min (%s)", sym);
	snprintf(head[5], 48, "median (%s)", sym);
	snprintf(head[6], 48, "max (%s)", sym);
	snprintf(head[7], 48, "failed");
	snprintf(head[8], 48, "relative");
	struct bench_cells *cells = bench_cells(rows, n, unit);
	const char *(*grid)[BENCH_NCOL] = calloc(n + 1, sizeof(*grid));
	if (!cells || !grid) {
		fprintf(stderr, "timeline: out of memory\n");
		free(cells);
		free(grid);
		return;
	}
	for (int c = 0; c < BENCH_NCOL; c++) {
		grid[0][c] = head[c];
	}
	for (size_t i = 0; i < n; i++) {
		const struct bench_cells *c = &cells[i];
		const char *line[BENCH_NCOL] = {rows[i].shown_group,
						rows[i].shown_command,
						c->runs,
						c->mean_pm,
						c->min,
						c->median,
						c->max,
						c->failed,
						c->relative_pm};
		memcpy(grid[i + 1], line, sizeof(line));
	}
	print_bench_grid(grid, n + 1, stats_bench_grouped(br));
	free(cells);
	free(grid);
	print_bench_notes(rows, n, nt);
}
