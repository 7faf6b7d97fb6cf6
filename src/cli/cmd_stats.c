/*
 * `timeline stats FILE...`: per-group figures as a table for people or as CSV
 * for scripts. The numbers come from tl_trace_stats(); this file reads the
 * inputs and makes the rows and the notes under them, which stats_table.c
 * and stats_csv.c print.
 */

#include "stats.h"

#include "../util/grow.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void rows_free(struct stats_rows *r) {
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

static struct stats_row *rows_add(struct stats_rows *r, const char *file, const char *group) {
	if (!tl_grow((void **)&r->row, &r->cap, r->n + 1, sizeof(*r->row))) {
		return NULL;
	}
	char *name = group_label(file, group);
	char *shown = name ? cli_visible(name) : NULL;
	if (!shown) {
		free(name);
		return NULL;
	}
	struct stats_row *row = &r->row[r->n++];
	*row = (struct stats_row){.group = name, .shown = shown};
	return row;
}

/* The row's straggler label, from t; false when out of memory. */
static bool set_straggler(struct stats_row *row, const tl_trace *t) {
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
static bool add_trace_rows(struct stats_rows *r, const tl_trace *t, const tl_group_stats *st,
			   const char *file) {
	tl_repeat *rep;
	size_t nrep;
	if (tl_trace_repeats(t, st, &rep, &nrep, NULL) != TL_OK) {
		return false;
	}
	for (size_t i = 0; i < nrep; i++) {
		struct stats_row *row = rows_add(r, file, rep[i].name);
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
		struct stats_row *row = rows_add(r, file, tl_trace_group_name(t, (uint32_t)g));
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

static bool note_add(struct stats_notes *nt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool note_add(struct stats_notes *nt, const char *fmt, ...) {
	if (!tl_grow((void **)&nt->line, &nt->cap, nt->n + 1, sizeof(*nt->line))) {
		return false;
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

static void notes_free(struct stats_notes *nt) {
	for (size_t i = 0; i < nt->n; i++) {
		free(nt->line[i]);
	}
	free(nt->line);
}

/*
 * Notes for one input: its title, whether its run was interrupted (its
 * figures then cover the jobs that completed, not the run), and the origin
 * when its times were epoch times.
 */

static bool note_trace(struct stats_notes *nt, const tl_trace *t, const char *prefix) {
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

struct stats_survey stats_survey(const struct stats_row *rows, size_t n) {
	struct stats_survey sv = {.same_ref = true};
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		/* A group with no spans or samples (a run interrupted before it began). */
		bool none = s->spans == 0 && s->samples == 0;
		/* Speedups are only explained where shown. */
		bool speedup = s->speedup > 0;
		sv.with_data += !none;
		sv.failed |= s->failed > 0;
		sv.unfinished |= s->unfinished > 0;
		sv.startup |= s->startup >= 0;
		sv.runs |= rows[i].runs > 0;
		sv.lanes |= !none && !s->workers_named;
		sv.queued |= s->queued && s->spans;
		sv.cluster |= rows[i].task_log && s->spans;
		sv.concurrent |= rows[i].concurrent;
		sv.beside_ref |= !none && !speedup && rows[i].concurrent &&
				 s->reference != UINT32_MAX && s->group != s->reference;
		if (speedup) {
			sv.timed++;
			sv.one_ref = sv.one_ref ? sv.one_ref : rows[i].ref;
			sv.same_ref &= strcmp(sv.one_ref, rows[i].ref) == 0;
		}
	}
	return sv;
}

/* ---- benchmarks: a row per command ---- */

bool stats_bench_grouped(const struct stats_bench_rows *br) {
	bool several = br->files;
	for (size_t i = 0; i < br->n; i++) {
		several |= strcmp(br->row[i].group, br->row[0].group) != 0;
	}
	return several;
}

static void bench_rows_free(struct stats_bench_rows *r) {
	for (size_t i = 0; i < r->n; i++) {
		free(r->row[i].command);
		free(r->row[i].group);
		free(r->row[i].shown_command);
		free(r->row[i].shown_group);
	}
	free(r->row);
}

/* A row per command of benchmark t. file: NULL, or the name that prefixes each group's. */
static bool add_bench_rows(struct stats_bench_rows *r, const tl_trace *t, const char *file,
			   struct tl_error *err) {
	tl_bench_stats *b = NULL;
	size_t n = 0;
	if (tl_trace_bench(t, &b, &n, err) != TL_OK) {
		return false;
	}
	r->files |= file != NULL;
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		if (!tl_grow((void **)&r->row, &r->cap, r->n + 1, sizeof(*r->row))) {
			ok = false;
			break;
		}
		char job[32];
		snprintf(job, sizeof(job), "job %lld", (long long)b[i].job);
		struct stats_bench_row row = {
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

int cli_stats_table(const tl_trace *t) {
	struct tl_error err = {0};
	tl_group_stats *st = NULL;
	if (tl_trace_stats(t, &st, &err) != TL_OK) {
		return cli_report(&err);
	}
	struct stats_rows rows = {0};
	struct stats_bench_rows bench = {0};
	struct stats_notes notes = {0};
	int rc = EXIT_OK;
	bool is_bench = tl_trace_meta_get(t, TL_META_BENCHMARK) != NULL;
	if (!note_trace(&notes, t, "") || !(is_bench ? add_bench_rows(&bench, t, NULL, &err)
						     : add_trace_rows(&rows, t, st, NULL))) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	} else if (is_bench) {
		stats_print_bench_table(&bench, &notes);
	} else {
		stats_print_table(rows.row, rows.n, &notes);
	}
	notes_free(&notes);
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
	while ((c = cli_next_own_option(&p, argc, argv, in)) != -1) {
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
			 struct stats_notes *nt, tl_trace **tt, tl_trace **tb) {
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
static void print_rows(const struct stats_rows *rows, const struct stats_bench_rows *bench,
		       const struct stats_notes *notes, bool csv) {
	if (csv) {
		if (bench->n) {
			stats_print_bench_csv(bench);
		} else {
			stats_print_csv(rows->row, rows->n);
		}
		return;
	}
	struct stats_notes none = {0};
	if (bench->n) {
		stats_print_bench_table(bench, rows->n ? &none : notes);
	}
	if (rows->n || !bench->n) {
		if (bench->n) {
			putchar('\n');
		}
		stats_print_table(rows->row, rows->n, notes);
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
	struct stats_rows rows = {0};
	struct stats_bench_rows bench = {.files = nfiles > 1};
	struct stats_notes notes = {0};
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
	notes_free(&notes);
	free(st);
	tl_trace_free(tt);
	tl_trace_free(tb);
	cli_inputs_fini(&inputs);
	return rc;
}
