/*
 * `timeline stats -f csv`: the rows as CSV for scripts, seconds and ratios
 * to 9 decimals, the columns a row may lack only when some row has them.
 */

#include "stats.h"

#include <stdio.h>
#include <string.h>

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
 * For a scheduler's or engine's run (TL_META_TASK_LOG, or some group knows
 * its queue waits): utilisation
 * (ratio, 9 decimals), straggler (label), straggler_job and straggler_alone
 * (seconds), empty for a group without spans; wait_mean and wait_max
 * (seconds), empty for a group that does not know them.
 */
static void print_cluster_csv(const struct stats_row *row) {
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

/* The columns every row has: group,jobs,workers,wall,busy,concurrency,speedup. */
static void print_csv_figures(const struct stats_row *row) {
	const tl_group_stats *s = &row->s;
	print_csv_field(stdout, row->group);
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
}

/*
 * The startup, runs, unfinished, failed and lanes columns come last, and
 * only when some group has them; lanes is 1 where workers counts the lanes
 * the jobs need (the table's '*'), 0 where the input named the workers.
 */
void stats_print_csv(const struct stats_row *rows, size_t n) {
	struct stats_survey sv = stats_survey(rows, n);
	printf("group,jobs,workers,wall,busy,concurrency,speedup%s%s%s%s%s%s\n",
	       sv.startup ? ",startup" : "", sv.runs ? ",runs,run,wall_min,wall_max" : "",
	       sv.unfinished ? ",unfinished" : "", sv.failed ? ",failed" : "",
	       sv.lanes ? ",lanes" : "",
	       sv.cluster
		       ? ",utilisation,straggler,straggler_job,straggler_alone,wait_mean,wait_max"
		       : "");
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		print_csv_figures(&rows[i]);
		if (sv.startup) {
			putchar(',');
			if (s->startup >= 0) {
				print_seconds(stdout, s->startup);
			}
		}
		if (sv.runs && rows[i].runs) {
			printf(",%u,%u,", rows[i].runs, rows[i].run);
			print_seconds(stdout, rows[i].wall_min);
			putchar(',');
			print_seconds(stdout, rows[i].wall_max);
		} else if (sv.runs) {
			printf(",1,1,,");
		}
		if (sv.unfinished) {
			printf(",%zu", s->unfinished);
		}
		if (sv.failed) {
			printf(",%zu", s->failed);
		}
		if (sv.lanes) {
			printf(",%d", (s->spans || s->samples) && !s->workers_named);
		}
		if (sv.cluster) {
			print_cluster_csv(&rows[i]);
		}
		putchar('\n');
	}
}

void stats_print_bench_csv(const struct stats_bench_rows *br) {
	const struct stats_bench_row *rows = br->row;
	bool several = stats_bench_grouped(br);
	printf("command,runs,mean,stddev,min,median,max,failed,relative,relative_stddev%s\n",
	       several ? ",group" : "");
	for (size_t i = 0; i < br->n; i++) {
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
