#ifndef TIMELINE_CLI_STATS_H
#define TIMELINE_CLI_STATS_H

/*
 * `timeline stats`' rows and how they are printed: cmd_stats.c makes the
 * rows (a row per group, or per command of a benchmark) and the notes under
 * them; stats_table.c prints them as tables for people, stats_csv.c as CSV.
 */

#include "cli.h"

struct stats_row {
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

struct stats_rows {
	struct stats_row *row;
	size_t n, cap;
};

/*
 * What some row has, which decides the columns shown (table and CSV alike)
 * and the lines under the table.
 */
struct stats_survey {
	size_t with_data;    /* rows with spans or samples */
	bool failed;         /* failed jobs */
	bool unfinished;     /* jobs with a start and no stop */
	bool startup;        /* a pool's start-up */
	bool runs;           /* repeated runs */
	bool lanes;          /* workers that are the lanes the jobs need: the input names none */
	bool queued;         /* queue waits (with spans) */
	bool cluster;        /* a scheduler's or engine's tasks (with spans) */
	size_t timed;        /* rows with a speedup */
	const char *one_ref; /* the first of those's reference, as shown */
	bool same_ref;       /* ... the reference of every one */
	bool concurrent;     /* some group ran at the same time as another */
	bool beside_ref;     /* ... as its reference: it has no speedup */
};

struct stats_survey stats_survey(const struct stats_row *rows, size_t n);

/* Lines printed under the table: titles and time origins of the inputs. */
struct stats_notes {
	char **line;
	size_t n, cap;
};

/* A row per command of a benchmark. */
struct stats_bench_row {
	char *command;                     /* owned */
	char *group;                       /* owned: the group's name in the output */
	char *shown_command, *shown_group; /* owned: as the table shows them (cli_visible()) */
	tl_bench_stats s;
};

struct stats_bench_rows {
	struct stats_bench_row *row;
	size_t n, cap;
	bool files; /* rows of several files: their groups are named after them */
};

/* Whether the rows are of several groups (or files): then each says its group. */
bool stats_bench_grouped(const struct stats_bench_rows *br);

/* The tables for people, on standard output: the rows, then what explains them, then nt. */
void stats_print_table(const struct stats_row *rows, size_t n, const struct stats_notes *nt);
void stats_print_bench_table(const struct stats_bench_rows *br, const struct stats_notes *nt);

/* The rows as CSV on standard output, a header line first. */
void stats_print_csv(const struct stats_row *rows, size_t n);
void stats_print_bench_csv(const struct stats_bench_rows *br);

#endif
