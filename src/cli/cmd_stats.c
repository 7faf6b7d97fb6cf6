/*
 * `timeline stats FILE...`: per-group figures as a table for people or as CSV
 * for scripts. The numbers come from tl_trace_stats(); this file only reads
 * the inputs and formats.
 */

#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* -f: a table for people, or CSV. */
static const char *format_word(int i) {
	static const char *const words[] = {"table", "csv"};
	return i >= 0 && i < 2 ? words[i] : NULL;
}

static const struct cli_option options[] = {
	{.text = "Usage: timeline stats [OPTIONS] FILE...\n"
		 "\n"
		 "Print, for each group (mode) of each trace: jobs, workers, wall time (last\n"
		 "stop - first start), busy time (each worker's time in its jobs, a span\n"
		 "nested in another counted once), mean concurrency\n"
		 "(busy / wall) and speedup: the reference group's wall / this wall, the\n"
		 "reference being 'serial', else the first group, or --baseline; none for\n"
		 "one group or for groups that ran at the same time. Several FILEs are read\n"
		 "as render reads them: groups named FILE:GROUP, one reference for all, the\n"
		 "files separate runs. FILE '-' reads standard input.\n"
		 "When the input names no workers, 'workers' is the number of lanes the jobs\n"
		 "need (the most running at once), marked with '*'.\n"
		 "A benchmark (a hyperfine export: commands run one after another) gets a\n"
		 "row per command instead, as hyperfine prints it: runs, mean \xc2\xb1 \xcf\x83 "
		 "(sample\n"
		 "standard deviation), min, median, max, failed runs and the speed relative\n"
		 "to the fastest command, over every run, failed ones included.\n"
		 "\n"
		 "Options:\n"},
	{'b', 'b', "baseline", required_argument, "GROUP",
	 .help = "measure speedups against GROUP (default: the group\n"
		 "named 'serial', else the first)"},
	{'f', 'f', "format", required_argument, .word = format_word,
	 .help = "output format (default table); csv prints\n"
		 "group,jobs,workers,wall,busy,concurrency,speedup\n"
		 "with seconds and ratios to 9 decimals, then\n"
		 "startup, runs,run,wall_min,wall_max, unfinished,\n"
		 "failed and lanes (1: workers are the lanes needed)\n"
		 "when some group has them; for a benchmark\n"
		 "command,runs,mean,stddev,min,median,max,failed,\n"
		 "relative,relative_stddev (and group, for several)"},
	{.text = "Input (the format is told from the content, that of a log without its\n"
		 "header from --fields, or named by -I; see 'timeline help formats'):\n"},
	{.include = cli_input_options},
	{'h', 'h', "help", no_argument, .help = "show this help"},
	{0},
};

const struct cli_spec cmd_stats_spec = {"stats", options, 27, false};

struct row {
	char *group;     /* owned */
	char *shown;     /* owned: group as the table shows it (cli_visible()) */
	char ref[128];   /* the reference group's name as shown, "" when there is none */
	bool concurrent; /* it ran at the same time as another group */
	tl_group_stats s;
	char *straggler;     /* owned: the straggler's label as shown, "" for none */
	char *straggler_raw; /* owned: ... as the trace has it, for CSV */
	bool task_log;       /* a scheduler's or engine's tasks (TL_META_TASK_LOG), or
			      * submit times known: utilisation and straggler shown */
	uint32_t runs;       /* repeated runs this row summarises; 0 for one group */
	uint32_t run;        /* the run shown, 1-based */
	tl_ns wall_min, wall_max;
};

struct rows {
	struct row *row;
	size_t n, cap;
};

static void rows_free(struct rows *r) {
	for (size_t i = 0; i < r->n; i++) {
		free(r->row[i].group);
		free(r->row[i].shown);
		free(r->row[i].straggler);
		free(r->row[i].straggler_raw);
	}
	free(r->row);
}

/* A group's name in the output, new (free() it): with several files, FILE:GROUP. */
static char *group_label(const char *file, const char *group) {
	char *name;
	if (!file) {
		name = strdup(group);
	} else if (group[0]) {
		name = malloc(strlen(file) + strlen(group) + 2);
		if (name) {
			sprintf(name, "%s:%s", file, group);
		}
	} else {
		name = strdup(file);
	}
	return name;
}

static struct row *rows_add(struct rows *r, const char *file, const char *group) {
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct row *nr = realloc(r->row, cap * sizeof(*nr));
		if (!nr) {
			return NULL;
		}
		r->row = nr;
		r->cap = cap;
	}
	char *name = group_label(file, group);
	char *shown = name ? cli_visible(name) : NULL;
	if (!shown) {
		free(name);
		return NULL;
	}
	struct row *row = &r->row[r->n++];
	*row = (struct row){.group = name, .shown = shown};
	return row;
}

/* The row's straggler label, from t; false when out of memory. */
static bool set_straggler(struct row *row, const tl_trace *t) {
	const char *label = tl_trace_str(t, row->s.straggler_label);
	row->task_log = tl_trace_meta_get(t, TL_META_TASK_LOG) != NULL || row->s.queued;
	row->straggler_raw = strdup(label);
	row->straggler = cli_visible(label);
	return row->straggler_raw && row->straggler;
}

/*
 * A row per group of t, or, for repeated runs, a row per mode: its median
 * run, with the spread of the runs' wall times. file: NULL, or the name that
 * prefixes each group's. false when out of memory.
 */
static bool add_trace_rows(struct rows *r, const tl_trace *t, const tl_group_stats *st,
			   const char *file) {
	tl_repeat *rep;
	size_t nrep;
	if (tl_trace_repeats(t, st, &rep, &nrep, NULL) != TL_OK) {
		return false;
	}
	for (size_t i = 0; i < nrep; i++) {
		struct row *row = rows_add(r, file, rep[i].name);
		if (!row) {
			tl_repeats_free(rep, nrep);
			return false;
		}
		row->s = st[rep[i].median_group];
		if (!set_straggler(row, t)) {
			tl_repeats_free(rep, nrep);
			return false;
		}
		row->s.speedup = rep[i].speedup;
		row->s.against_serial = rep[i].against_serial;
		/* The reference's mode, by the run the stats chose. */
		for (size_t k = 0; k < nrep && row->s.reference != UINT32_MAX; k++) {
			for (uint32_t j = 0; j < rep[k].runs; j++) {
				if (rep[k].groups[j] == row->s.reference) {
					cli_visible_to(row->ref, sizeof(row->ref), rep[k].name);
				}
			}
		}
		row->runs = rep[i].runs;
		row->run = rep[i].median_run;
		row->wall_min = rep[i].wall_min;
		row->wall_max = rep[i].wall_max;
	}
	tl_repeats_free(rep, nrep);
	size_t ng = tl_trace_group_count(t);
	for (size_t g = 0; g < ng && nrep == 0; g++) {
		struct row *row = rows_add(r, file, tl_trace_group_name(t, (uint32_t)g));
		if (!row) {
			return false;
		}
		row->s = st[g];
		if (!set_straggler(row, t)) {
			return false;
		}
		/* Groups that ran at the same time are neighbours (one input's). */
		uint32_t k = (uint32_t)g;
		row->concurrent = (k > 0 && !tl_trace_comparable(t, k, k - 1)) ||
				  (k + 1 < ng && !tl_trace_comparable(t, k, k + 1));
		if (st[g].reference != UINT32_MAX) {
			cli_visible_to(row->ref, sizeof(row->ref),
				       tl_trace_group_name(t, st[g].reference));
		}
	}
	return true;
}

/* Lines printed under the table: titles and time origins of the inputs. */
struct notes {
	char **line;
	size_t n, cap;
};

static bool note_add(struct notes *nt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool note_add(struct notes *nt, const char *fmt, ...) {
	if (nt->n == nt->cap) {
		size_t cap = nt->cap ? nt->cap * 2 : 4;
		char **l = realloc(nt->line, cap * sizeof(*l));
		if (!l) {
			return false;
		}
		nt->line = l;
		nt->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *line;
	int rc = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		return false;
	}
	/* A note quotes what the input says (its title, its names): shown, never obeyed. */
	nt->line[nt->n] = cli_visible(line);
	free(line);
	return nt->line[nt->n++] != NULL;
}

/*
 * Notes for one input: its title, whether its run was interrupted (its
 * figures then cover the jobs that completed, not the run), and the origin
 * when its times were epoch times.
 */

static bool note_trace(struct notes *nt, const tl_trace *t, const char *prefix) {
	const char *title = tl_trace_meta_get(t, TL_META_TITLE);
	if (title && !note_add(nt, "%stitle: %s", prefix, title)) {
		return false;
	}
	char stopped[256];
	if (tl_trace_interrupted(t, stopped, sizeof(stopped)) &&
	    !note_add(nt, "%s%s", prefix, stopped)) {
		return false;
	}
	/* Groups moved to their own zeros: the origin is the first group's. */
	const char *which = tl_trace_meta_get(t, TL_META_NOTE_PREFIX "align")
				    ? "the first group's start; each group is drawn from its own"
				    : "the earliest time";
	char origin[128];
	if (tl_trace_origin(t, origin, sizeof(origin)) &&
	    !note_add(nt, "%stimes are relative to %s (%s)", prefix, origin, which)) {
		return false;
	}
	/* How the input was read, the columns last: the table's last footnote. */
	size_t i = 0;
	const char *head, *text;
	while (cli_next_note(t, &i, &head, &text)) {
		if (!note_add(nt, "%s%s%s", prefix, head, text)) {
			return false;
		}
	}
	return true;
}

/* Seconds with 9 decimals, exact from nanoseconds. */
static void print_seconds(FILE *f, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	fprintf(f, "%s%llu.%09llu", v < 0 ? "-" : "", (unsigned long long)(mag / 1000000000u),
		(unsigned long long)(mag % 1000000000u));
}

/*
 * A CSV field, quoted when it holds a comma, a quote, a control character
 * (its bytes kept: CSV is data, for programs) or blanks at an end.
 */
static void print_csv_field(FILE *f, const char *s) {
	size_t n = strlen(s);
	bool blank_end = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	bool control = false;
	for (const char *c = s; *c && !control; c++) {
		control = (unsigned char)*c < 0x20 || *c == 0x7f;
	}
	if (!blank_end && !control && !strpbrk(s, ",\"")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"') {
			fputc('"', f);
		}
		fputc(*s, f);
	}
	fputc('"', f);
}

/*
 * The unit that fits a column whose largest magnitude is v: its symbol and
 * size in ns. Hours from 10 h, minutes from 10 min, then s, ms, µs, ns: one
 * unit per column, so that its numbers compare at a glance.
 */
static const char *column_unit(tl_ns v, double *ret_ns) {
	static const struct {
		const char *sym;
		double ns, from;
	} units[] = {{"h", 3.6e12, 3.6e13}, {"min", 6e10, 6e11},     {"s", 1e9, 1e9},
		     {"ms", 1e6, 1e6},      {"\xc2\xb5s", 1e3, 1e3}, {"ns", 1, 0}};
	size_t i = 0;
	while (i + 1 < sizeof(units) / sizeof(units[0]) && (double)v < units[i].from) {
		i++;
	}
	*ret_ns = units[i].ns;
	return units[i].sym;
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

/*
 * A line per group of several jobs: the job that ended last and how long
 * the group waited on it alone.
 */
static void print_stragglers(const struct row *rows, size_t n) {
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

static void print_table(const struct row *rows, size_t n, const struct notes *nt) {
	static const char *const head[] = {"group",      "jobs",        "workers",   "wall",
					   "busy",       "concurrency", "speedup",   "failed",
					   "unfinished", "start-up",    "runs",      "min wall",
					   "max wall",   "utilisation", "mean wait", "max wait"};
	enum {
		NCOL = 16,
		COL_FAILED = 7,
		COL_UNFINISHED = 8,
		COL_STARTUP = 9,
		COL_RUNS = 10,
		COL_UTIL = 13,
		COL_WAIT_MEAN = 14,
		COL_WAIT_MAX = 15
	};
	/* Utilisation beside concurrency; the waits last. */
	static const int order[NCOL] = {0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 10, 11, 12, 14, 15};
	bool any_failed = false, any_lanes = false, same_ref = true, concurrent = false,
	     beside_ref = false;
	const char *one_ref = NULL;
	bool any_unfinished = false;
	bool any_startup = false, any_runs = false, any_queued = false, any_cluster = false;
	size_t timed = 0, with_data = 0;
	char cell[NCOL][64];
	int width[NCOL];
	/* The time columns: one unit each, said in the header ("wall (s)"). */
	enum { COL_WALL = 3, COL_BUSY = 4, COL_MIN_WALL = 11, COL_MAX_WALL = 12 };
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
	double unit[NCOL];
	int dec[NCOL];
	char hdr[NCOL][48];
	for (int c = 0; c < NCOL; c++) {
		bool is_time = c == COL_WALL || c == COL_BUSY || c == COL_STARTUP ||
			       c == COL_MIN_WALL || c == COL_MAX_WALL || c == COL_WAIT_MEAN ||
			       c == COL_WAIT_MAX;
		if (is_time) {
			/* Nothing timed (no data, or all zero): seconds, the plain unit. */
			snprintf(hdr[c], sizeof(hdr[c]), "%s (%s)", head[c],
				 column_unit(big[c] ? big[c] : 1000000000, &unit[c]));
			dec[c] = column_decimals(small[c], unit[c]);
		} else {
			snprintf(hdr[c], sizeof(hdr[c]), "%s", head[c]);
			unit[c] = 1;
			dec[c] = 0;
		}
		width[c] = text_width(hdr[c]);
	}
	char(*cells)[NCOL][64] = calloc(n ? n : 1, sizeof(*cells));
	if (!cells) {
		fprintf(stderr, "timeline: out of memory\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		/* A group with no spans or samples (a run interrupted before it began). */
		bool none = s->spans == 0 && s->samples == 0;
		with_data += !none;
		any_failed |= s->failed > 0;
		any_lanes |= !none && !s->workers_named;
		/* Speedups are only explained where shown. */
		bool speedup = s->speedup > 0;
		concurrent |= rows[i].concurrent;
		beside_ref |= !none && !speedup && rows[i].concurrent &&
			      s->reference != UINT32_MAX && s->group != s->reference;
		if (speedup) {
			timed++;
			one_ref = one_ref ? one_ref : rows[i].ref;
			same_ref &= strcmp(one_ref, rows[i].ref) == 0;
		}
		snprintf(cell[0], 64, "%s", rows[i].shown[0] ? rows[i].shown : TL_GROUP_UNNAMED);
		snprintf(cell[1], 64, "%zu", s->jobs);
		snprintf(cell[2], 64, "%zu%s", s->workers, s->workers_named || none ? "" : "*");
		if (none) {
			snprintf(cell[3], 64, "-");
			snprintf(cell[4], 64, "-");
		} else {
			snprintf(cell[3], 64, "%.*f", dec[COL_WALL],
				 (double)s->wall / unit[COL_WALL]);
			snprintf(cell[4], 64, "%.*f", dec[COL_BUSY],
				 (double)s->busy / unit[COL_BUSY]);
		}
		snprintf(cell[5], 64, s->wall > 0 ? "%.2f" : "-", s->concurrency);
		snprintf(cell[COL_UTIL], 64, s->wall > 0 ? "%.1f%%" : "-", s->utilisation * 100);
		any_queued |= s->queued && s->spans;
		any_cluster |= rows[i].task_log && s->spans;
		if (s->queued && s->spans) {
			snprintf(cell[COL_WAIT_MEAN], 64, "%.*f", dec[COL_WAIT_MEAN],
				 (double)s->wait_mean / unit[COL_WAIT_MEAN]);
			snprintf(cell[COL_WAIT_MAX], 64, "%.*f", dec[COL_WAIT_MAX],
				 (double)s->wait_max / unit[COL_WAIT_MAX]);
		} else {
			snprintf(cell[COL_WAIT_MEAN], 64, "-");
			snprintf(cell[COL_WAIT_MAX], 64, "-");
		}
		char sp[24];
		snprintf(cell[6], 64, "%s", speedup ? tl_format_speedup(s->speedup, sp) : "-");
		snprintf(cell[7], 64, "%zu", s->failed);
		snprintf(cell[8], 64, "%zu", s->unfinished);
		any_unfinished |= s->unfinished > 0;
		any_startup |= s->startup >= 0;
		any_runs |= rows[i].runs > 0;
		snprintf(cell[10], 64, "%u", rows[i].runs ? rows[i].runs : 1);
		if (rows[i].runs) {
			snprintf(cell[11], 64, "%.*f", dec[COL_MIN_WALL],
				 (double)rows[i].wall_min / unit[COL_MIN_WALL]);
			snprintf(cell[12], 64, "%.*f", dec[COL_MAX_WALL],
				 (double)rows[i].wall_max / unit[COL_MAX_WALL]);
		} else {
			snprintf(cell[11], 64, "-");
			snprintf(cell[12], 64, "-");
		}
		if (s->startup >= 0) {
			snprintf(cell[9], 64, "%.*f", dec[COL_STARTUP],
				 (double)s->startup / unit[COL_STARTUP]);
		} else {
			snprintf(cell[9], 64, "-");
		}
		for (int c = 0; c < NCOL; c++) {
			memcpy(cells[i][c], cell[c], 64);
			int w = text_width(cell[c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	/* The columns shown: failed and start-up only where some group has them. */
	int cols[NCOL], ncol = 0;
	for (int k = 0; k < NCOL; k++) {
		int c = order[k];
		bool runs = c < COL_RUNS || c > COL_MAX_WALL || any_runs;
		bool waits = (c != COL_WAIT_MEAN && c != COL_WAIT_MAX) || any_queued;
		bool util = c != COL_UTIL || any_cluster;
		if ((c != COL_FAILED || any_failed) && (c != COL_STARTUP || any_startup) &&
		    (c != COL_UNFINISHED || any_unfinished) && runs && waits && util) {
			cols[ncol++] = c;
		}
	}
	for (int k = 0; k < ncol; k++) {
		int c = cols[k];
		if (k) {
			fputs("  ", stdout);
		}
		(c == 0 ? pad_right : pad_left)(hdr[c], c == 0 && ncol == 1 ? 0 : width[c]);
	}
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < ncol; k++) {
			int c = cols[k];
			if (k) {
				fputs("  ", stdout);
			}
			if (c == 0) {
				pad_right(cells[i][c], width[c]);
			} else {
				pad_left(cells[i][c], width[c]);
			}
		}
		putchar('\n');
	}
	free(cells);
	if (with_data == 0) {
		puts("no spans or samples");
	}
	if (any_lanes) {
		puts("* the input names no workers: lanes needed (most jobs running at once)");
	}
	if (any_startup) {
		puts("start-up: from the pool's creation to its first job (its workers' launch)");
	}
	if (any_unfinished) {
		puts("unfinished: jobs with a start and no stop, counted to the end of their "
		     "group");
	}
	/* A scheduler's or engine's run: how full its slots were, who it waited on. */
	if (any_cluster) {
		puts("utilisation: busy / (workers \xc3\x97 wall), how full the slots were");
	}
	if (any_queued) {
		puts("wait: from submission to start (queue wait)");
	}
	if (any_cluster) {
		print_stragglers(rows, n);
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].runs) {
			printf("%s: run %u of %u, the one with the median wall time; min and max "
			       "over the runs\n",
			       rows[i].shown, rows[i].run, rows[i].runs);
		}
	}
	if (timed == 0 && concurrent && with_data >= 2) {
		puts("speedup: none, the groups ran at the same time");
	} else if (timed > 0 && beside_ref) {
		puts("speedup: none for a group that ran at the same time as the reference "
		     "(groups of one input)");
	}
	if (timed == 0) {
		/* No speedup shown: nothing to explain. */
	} else if (same_ref) {
		printf("speedup: wall time of '%s' / wall time\n",
		       one_ref[0] ? one_ref : TL_GROUP_UNNAMED);
	} else {
		puts("speedup: wall time of each input's 'serial' group (else its first) / wall "
		     "time");
	}
	for (size_t i = 0; i < nt->n; i++) {
		puts(nt->line[i]);
	}
}

/*
 * For a scheduler's or engine's run (TL_META_TASK_LOG, or some group knows
 * its queue waits): utilisation
 * (ratio, 9 decimals), straggler (label), straggler_job and straggler_alone
 * (seconds), empty for a group without spans; wait_mean and wait_max
 * (seconds), empty for a group that does not know them.
 */
static void print_cluster_csv(const struct row *row) {
	const tl_group_stats *s = &row->s;
	if (s->wall > 0) {
		printf(",%.9f", s->utilisation);
	} else {
		putchar(',');
	}
	putchar(',');
	if (s->straggler_alone >= 0) {
		print_csv_field(stdout, row->straggler_raw);
		printf(",%lld,", (long long)s->straggler);
		print_seconds(stdout, s->straggler_alone);
	} else {
		printf(",,");
	}
	if (s->queued && s->spans) {
		putchar(',');
		print_seconds(stdout, s->wait_mean);
		putchar(',');
		print_seconds(stdout, s->wait_max);
	} else {
		printf(",,");
	}
}

/*
 * The startup, runs, unfinished, failed and lanes columns come last, and
 * only when some group has them; lanes is 1 where workers counts the lanes
 * the jobs need (the table's '*'), 0 where the input named the workers.
 */
static void print_csv(const struct row *rows, size_t n) {
	bool any_startup = false, any_runs = false, any_unfinished = false, any_failed = false,
	     any_lanes = false;
	for (size_t i = 0; i < n; i++) {
		any_startup |= rows[i].s.startup >= 0;
		any_runs |= rows[i].runs > 0;
		any_unfinished |= rows[i].s.unfinished > 0;
		any_failed |= rows[i].s.failed > 0;
		any_lanes |= (rows[i].s.spans || rows[i].s.samples) && !rows[i].s.workers_named;
	}
	bool any_queued = false;
	for (size_t i = 0; i < n; i++) {
		any_queued |= rows[i].task_log && rows[i].s.spans;
	}
	printf("group,jobs,workers,wall,busy,concurrency,speedup%s%s%s%s%s%s\n",
	       any_startup ? ",startup" : "", any_runs ? ",runs,run,wall_min,wall_max" : "",
	       any_unfinished ? ",unfinished" : "", any_failed ? ",failed" : "",
	       any_lanes ? ",lanes" : "",
	       any_queued
		       ? ",utilisation,straggler,straggler_job,straggler_alone,wait_mean,wait_max"
		       : "");
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		print_csv_field(stdout, rows[i].group);
		printf(",%zu,%zu,", s->jobs, s->workers);
		print_seconds(stdout, s->wall);
		putchar(',');
		print_seconds(stdout, s->busy);
		if (s->wall > 0) {
			printf(",%.9f,", s->concurrency);
		} else {
			printf(",,");
		}
		if (s->speedup > 0) {
			printf("%.9f", s->speedup);
		}
		if (any_startup) {
			putchar(',');
			if (s->startup >= 0) {
				print_seconds(stdout, s->startup);
			}
		}
		if (any_runs && rows[i].runs) {
			printf(",%u,%u,", rows[i].runs, rows[i].run);
			print_seconds(stdout, rows[i].wall_min);
			putchar(',');
			print_seconds(stdout, rows[i].wall_max);
		} else if (any_runs) {
			printf(",1,1,,");
		}
		if (any_unfinished) {
			printf(",%zu", s->unfinished);
		}
		if (any_failed) {
			printf(",%zu", s->failed);
		}
		if (any_lanes) {
			printf(",%d", (s->spans || s->samples) && !s->workers_named);
		}
		if (any_queued) {
			print_cluster_csv(&rows[i]);
		}
		putchar('\n');
	}
}

/* ---- benchmarks: a row per command ---- */

struct bench_row {
	char *command;                     /* owned */
	char *group;                       /* owned: the group's name in the output */
	char *shown_command, *shown_group; /* owned: as the table shows them (cli_visible()) */
	tl_bench_stats s;
};

struct bench_rows {
	struct bench_row *row;
	size_t n, cap;
	bool files; /* rows of several files: their groups are named after them */
};

static void bench_rows_free(struct bench_rows *r) {
	for (size_t i = 0; i < r->n; i++) {
		free(r->row[i].command);
		free(r->row[i].group);
		free(r->row[i].shown_command);
		free(r->row[i].shown_group);
	}
	free(r->row);
}

/* A row per command of benchmark t. file: NULL, or the name that prefixes each group's. */
static bool add_bench_rows(struct bench_rows *r, const tl_trace *t, const char *file,
			   struct tl_error *err) {
	tl_bench_stats *b = NULL;
	size_t n = 0;
	if (tl_trace_bench(t, &b, &n, err) != TL_OK) {
		return false;
	}
	r->files |= file != NULL;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 8;
			struct bench_row *nr = realloc(r->row, cap * sizeof(*nr));
			if (!nr) {
				ok = false;
				break;
			}
			r->row = nr;
			r->cap = cap;
		}
		char job[32];
		snprintf(job, sizeof(job), "job %lld", (long long)b[i].job);
		struct bench_row row = {
			.command = strdup(b[i].label ? tl_trace_str(t, b[i].label) : job),
			.group = group_label(file, tl_trace_group_name(t, b[i].group)),
			.s = b[i]};
		row.shown_command = row.command ? cli_visible(row.command) : NULL;
		row.shown_group = row.group ? cli_visible(row.group) : NULL;
		ok = row.shown_command && row.shown_group;
		if (ok) {
			r->row[r->n++] = row;
		} else {
			free(row.command);
			free(row.group);
			free(row.shown_command);
			free(row.shown_group);
		}
	}
	free(b);
	if (!ok) {
		tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	return ok;
}

/* Cells "a ± b" with a and b each right-aligned in their own width, "a" alone padded. */
static void pm_cells(char (*a)[32], char (*b)[32], size_t n, char (*out)[80]) {
	int wa = 0, wb = 0;
	for (size_t i = 0; i < n; i++) {
		wa = text_width(a[i]) > wa ? text_width(a[i]) : wa;
		wb = text_width(b[i]) > wb ? text_width(b[i]) : wb;
	}
	for (size_t i = 0; i < n; i++) {
		if (b[i][0]) {
			snprintf(out[i], 80, "%*s \xc2\xb1 %*s", wa, a[i], wb, b[i]);
		} else if (wb) {
			snprintf(out[i], 80, "%*s   %*s", wa, a[i], wb, "");
		} else {
			snprintf(out[i], 80, "%*s", wa, a[i]);
		}
	}
}

static void print_bench_table(const struct bench_rows *br, const struct notes *nt) {
	enum { NCOL = 9 };
	const struct bench_row *rows = br->row;
	size_t n = br->n;
	bool several = br->files, any_failed = false;
	/*
	 * One unit for every time column, from the largest time shown, as
	 * hyperfine prints one unit per line: "0.500 s" beside "500.000 ms" of the
	 * same run reads as two different times.
	 */
	tl_ns big = 0;
	for (size_t i = 0; i < n; i++) {
		several |= strcmp(rows[i].group, rows[0].group) != 0;
		any_failed |= rows[i].s.failed > 0;
		const tl_bench_stats *s = &rows[i].s;
		tl_ns v[5] = {s->mean, s->stddev, s->min, s->median, s->max};
		for (int c = 0; c < 5; c++) {
			big = v[c] > big ? v[c] : big;
		}
	}
	double unit;
	const char *sym = column_unit(big, &unit);
	char head[NCOL][48];
	snprintf(head[0], 48, "group");
	snprintf(head[1], 48, "command");
	snprintf(head[2], 48, "runs");
	snprintf(head[3], 48, "mean \xc2\xb1 \xcf\x83 (%s)", sym);
	snprintf(head[4], 48, "min (%s)", sym);
	snprintf(head[5], 48, "median (%s)", sym);
	snprintf(head[6], 48, "max (%s)", sym);
	snprintf(head[7], 48, "failed");
	snprintf(head[8], 48, "relative");
	char(*a)[32] = calloc(n ? n : 1, sizeof(*a));
	char(*b)[32] = calloc(n ? n : 1, sizeof(*b));
	char(*ra)[32] = calloc(n ? n : 1, sizeof(*ra));
	char(*rb)[32] = calloc(n ? n : 1, sizeof(*rb));
	char(*mean)[80] = calloc(n ? n : 1, sizeof(*mean));
	char(*rel)[80] = calloc(n ? n : 1, sizeof(*rel));
	char(*cells)[NCOL - 4][32] = calloc(n ? n : 1, sizeof(*cells));
	const char *(*grid)[NCOL] = calloc(n + 1, sizeof(*grid));
	if (!a || !b || !ra || !rb || !mean || !rel || !cells || !grid) {
		fprintf(stderr, "timeline: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const tl_bench_stats *s = &rows[i].s;
		in_unit((double)s->mean, unit, a[i], 32);
		if (s->stddev >= 0) {
			in_unit((double)s->stddev, unit, b[i], 32);
		}
		in_unit((double)s->min, unit, cells[i][0], 32);
		in_unit((double)s->median, unit, cells[i][1], 32);
		in_unit((double)s->max, unit, cells[i][2], 32);
		snprintf(cells[i][3], 32, "%zu", s->failed);
		snprintf(cells[i][4], 32, "%zu", s->runs);
		snprintf(ra[i], 32, s->relative > 0 ? "%.2f" : "-", s->relative);
		if (s->relative_stddev >= 0) {
			snprintf(rb[i], 32, "%.2f", s->relative_stddev);
		}
	}
	pm_cells(a, b, n, mean);
	pm_cells(ra, rb, n, rel);
	/* The header, then a line per command; the group column only where it tells apart. */
	for (int c = 0; c < NCOL; c++) {
		grid[0][c] = head[c];
	}
	for (size_t i = 0; i < n; i++) {
		const char *cell[NCOL] = {rows[i].shown_group,
					  rows[i].shown_command,
					  cells[i][4],
					  mean[i],
					  cells[i][0],
					  cells[i][1],
					  cells[i][2],
					  cells[i][3],
					  rel[i]};
		memcpy(grid[i + 1], cell, sizeof(cell));
	}
	int width[NCOL] = {0};
	for (size_t i = 0; i <= n; i++) {
		for (int c = 0; c < NCOL; c++) {
			int w = text_width(grid[i][c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	for (size_t i = 0; i <= n; i++) {
		for (int c = several ? 0 : 1; c < NCOL; c++) {
			const char *cell = grid[i][c];
			if (c == 0 || c == 1) {
				pad_right(cell, width[c]);
				fputs("  ", stdout);
			} else if (c < NCOL - 1) {
				pad_left(cell, width[c]);
				fputs("  ", stdout);
			} else {
				/* The last column: left-aligned, no blanks at the end of a line. */
				int len = (int)strlen(cell);
				while (len > 0 && cell[len - 1] == ' ') {
					len--;
				}
				printf("%.*s\n", len, cell);
			}
		}
	}
	const char *fastest = NULL;
	bool one_fastest = true;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].s.fastest && rows[i].s.relative > 0) {
			one_fastest = !fastest;
			fastest = rows[i].shown_command;
		}
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
out:
	free(a);
	free(b);
	free(ra);
	free(rb);
	free(mean);
	free(rel);
	free(cells);
	free(grid);
}

static void print_bench_csv(const struct bench_rows *br) {
	const struct bench_row *rows = br->row;
	size_t n = br->n;
	bool several = br->files;
	for (size_t i = 0; i < n; i++) {
		several |= strcmp(rows[i].group, rows[0].group) != 0;
	}
	printf("command,runs,mean,stddev,min,median,max,failed,relative,relative_stddev%s\n",
	       several ? ",group" : "");
	for (size_t i = 0; i < n; i++) {
		const tl_bench_stats *s = &rows[i].s;
		print_csv_field(stdout, rows[i].command);
		printf(",%zu,", s->runs);
		print_seconds(stdout, s->mean);
		putchar(',');
		if (s->stddev >= 0) {
			print_seconds(stdout, s->stddev);
		}
		tl_ns v[3] = {s->min, s->median, s->max};
		for (int k = 0; k < 3; k++) {
			putchar(',');
			print_seconds(stdout, v[k]);
		}
		printf(",%zu,", s->failed);
		if (s->relative > 0) {
			printf("%.9f", s->relative);
		}
		putchar(',');
		if (s->relative_stddev >= 0) {
			printf("%.9f", s->relative_stddev);
		}
		if (several) {
			putchar(',');
			print_csv_field(stdout, rows[i].group);
		}
		putchar('\n');
	}
}

int cli_stats_table(const tl_trace *t) {
	struct tl_error err = {0};
	tl_group_stats *st = NULL;
	if (tl_trace_stats(t, &st, &err) != TL_OK) {
		return cli_report(&err);
	}
	struct rows rows = {0};
	struct bench_rows bench = {0};
	struct notes notes = {0};
	int rc = EXIT_OK;
	bool is_bench = tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
	if (!note_trace(&notes, t, "") || !(is_bench ? add_bench_rows(&bench, t, NULL, &err)
						     : add_trace_rows(&rows, t, st, NULL))) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	} else if (is_bench) {
		print_bench_table(&bench, &notes);
	} else {
		print_table(rows.row, rows.n, &notes);
	}
	for (size_t i = 0; i < notes.n; i++) {
		free(notes.line[i]);
	}
	free(notes.line);
	rows_free(&rows);
	bench_rows_free(&bench);
	free(st);
	return rc;
}

/* Options into in, baseline and csv; EXIT_OK, -1 after printing the help, or the exit code. */
static int parse_args(int argc, char **argv, struct cli_input *in, const char **baseline,
		      bool *csv) {
	struct cli_parser p;
	cli_parser_init(&p, &cmd_stats_spec);
	int c;
	while ((c = cli_next_option(&p, argc, argv)) != -1) {
		int irc = cli_input_option("stats", c, optarg, in);
		if (irc != CLI_NOT_MINE) {
			if (irc != EXIT_OK) {
				return irc;
			}
			continue;
		}
		switch (c) {
		case 'b':
			*baseline = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0) {
				*csv = true;
			} else if (strcmp(optarg, "table") == 0) {
				*csv = false;
			} else {
				return cli_bad_value("stats", options, c, optarg);
			}
			break;
		case 'h':
			cli_print_help(&cmd_stats_spec);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * The inputs as two traces: *tt of those that are not benchmarks, *tb of
 * those that are (a benchmark's rows are its commands: a table of their
 * own); either NULL when there are none. Each input's notes into nt.
 * EXIT_OK, or the exit code after saying why.
 */
static int merge_by_kind(struct cli_inputs *inputs, bool csv, struct cli_input *in,
			 struct notes *nt, tl_trace **tt, tl_trace **tb) {
	int n = inputs->n, rc = EXIT_OK;
	bool *is_bench = calloc((size_t)n, sizeof(*is_bench)),
	     *not_bench = calloc((size_t)n, sizeof(*not_bench));
	bool any_bench = false, any_other = false;
	if (!is_bench || !not_bench) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	}
	for (int i = 0; i < n && rc == EXIT_OK; i++) {
		const tl_trace *t = inputs->trace[i];
		is_bench[i] = tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
		not_bench[i] = !is_bench[i];
		char prefix[1100] = "";
		if (n > 1) {
			snprintf(prefix, sizeof(prefix), "%s: ", inputs->name[i]);
		}
		/* csv prints one kind of row. */
		if (csv && (is_bench[i] ? any_other : any_bench)) {
			rc = cli_usage_error("stats",
					     "--format csv: '%s' is %sa benchmark and an input "
					     "before it is %s: give them to separate runs",
					     inputs->path[i], is_bench[i] ? "" : "not ",
					     is_bench[i] ? "not" : "one");
		} else if (!note_trace(nt, t, prefix)) {
			fprintf(stderr, "timeline: out of memory\n");
			rc = EXIT_INPUT;
		}
		any_bench |= is_bench[i];
		any_other |= !is_bench[i];
	}
	if (rc == EXIT_OK && any_bench) {
		rc = cli_merge_inputs(inputs, is_bench, in, tb);
	}
	if (rc == EXIT_OK && any_other) {
		rc = cli_merge_inputs(inputs, not_bench, in, tt);
	}
	free(is_bench);
	free(not_bench);
	return rc;
}

/* EXIT_OK, or EXIT_USAGE after saying that tt has no group baseline (NULL: none asked). */
static int check_baseline(const tl_trace *tt, const char *baseline) {
	if (!baseline || (tt && cli_has_group(tt, baseline))) {
		return EXIT_OK;
	}
	char list[400];
	if (tt) {
		fprintf(stderr, "timeline: --baseline %s: no group '%s' (the groups: %s)\n",
			baseline, baseline, cli_group_list(tt, list, sizeof(list)));
	} else {
		fprintf(stderr,
			"timeline: --baseline %s: no group '%s' (a benchmark's commands "
			"compare with its fastest)\n",
			baseline, baseline);
	}
	return EXIT_USAGE;
}

/* The rows as CSV, or as tables for people: benchmarks first, the notes under the last. */
static void print_rows(const struct rows *rows, const struct bench_rows *bench,
		       const struct notes *notes, bool csv) {
	if (csv) {
		if (bench->n) {
			print_bench_csv(bench);
		} else {
			print_csv(rows->row, rows->n);
		}
		return;
	}
	struct notes none = {0};
	if (bench->n) {
		print_bench_table(bench, rows->n ? &none : notes);
	}
	if (rows->n || !bench->n) {
		if (bench->n) {
			putchar('\n');
		}
		print_table(rows->row, rows->n, notes);
	}
}

int cmd_stats(int argc, char **argv) {
	const char *baseline = NULL;
	bool csv = false;
	struct cli_input in;
	cli_input_init(&in);
	int rc = parse_args(argc, argv, &in, &baseline, &csv);
	if (rc != EXIT_OK) {
		return rc == -1 ? EXIT_OK : rc;
	}
	if (optind >= argc) {
		return cli_usage_error("stats", "no input file given");
	}
	int nfiles = argc - optind;
	char **files = argv + optind;
	/*
	 * Read as render reads them: the same group names, the same reference.
	 * One input is only measured: its samples need not be kept, only counted
	 * in their tracks (several are merged, which needs them).
	 */
	in.ro.tracks_only = nfiles == 1;
	struct cli_inputs inputs;
	rc = cli_read_inputs(files, nfiles, &in, &inputs);
	if (rc != EXIT_OK) {
		return rc;
	}
	struct rows rows = {0};
	struct bench_rows bench = {.files = nfiles > 1};
	struct notes notes = {0};
	struct tl_error err = {0};
	tl_trace *tt = NULL,
		 *tb = NULL; /* the inputs that are not benchmarks, and those that are */
	tl_group_stats *st = NULL;
	rc = merge_by_kind(&inputs, csv, &in, &notes, &tt, &tb);
	if (rc == EXIT_OK) {
		rc = cli_renames_used(tt ? tt : tb, &in);
	}
	if (rc == EXIT_OK) {
		rc = check_baseline(tt, baseline);
	}
	if (rc == EXIT_OK && tt && tl_trace_stats_against(tt, baseline, &st, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	if (rc == EXIT_OK && ((tt && !add_trace_rows(&rows, tt, st, NULL)) ||
			      (tb && !add_bench_rows(&bench, tb, NULL, &err)))) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	}
	if (rc == EXIT_OK) {
		print_rows(&rows, &bench, &notes, csv);
	}
	rows_free(&rows);
	bench_rows_free(&bench);
	for (size_t i = 0; i < notes.n; i++) {
		free(notes.line[i]);
	}
	free(notes.line);
	free(st);
	tl_trace_free(tt);
	tl_trace_free(tb);
	cli_inputs_fini(&inputs);
	return rc;
}
