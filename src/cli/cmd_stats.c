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

const char cmd_stats_help[] =
	"Usage: timeline stats [OPTIONS] FILE...\n"
	"\n"
	"Print, for each group (mode) of each trace: jobs, workers, wall time (last\n"
	"stop - first start), busy time (sum of job durations), mean concurrency\n"
	"(busy / wall) and speedup: against the group named 'serial' when there is\n"
	"one (serial wall / wall), else busy / wall. FILE '-' reads standard input.\n"
	"When the input names no workers, 'workers' is the number of lanes the jobs\n"
	"need (the most running at once), marked with '*'.\n"
	"\n"
	"Options:\n"
	"  -f, --format table|csv  output format (default table); csv prints\n"
	"                          group,jobs,workers,wall,busy,concurrency,speedup\n"
	"                          with seconds and ratios to 9 decimals\n"
	"  -u, --unit s|ms|us|ns   unit of every time column of the input,\n"
	"                          overriding column suffixes (default: suffix, else s)\n"
	"  -I, --input-format auto|csv|joblog|chrome|hyperfine   the input's format (default: "
	"detected\n"
	"                          from its content: a GNU parallel --joblog, else "
	"CSV)\n" CLI_LIMIT_HELP "  -h, --help              show this help\n";

struct row {
	char *group;
	tl_group_stats s;
};

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
	int rc = vasprintf(&nt->line[nt->n], fmt, ap);
	va_end(ap);
	if (rc < 0) {
		return false;
	}
	nt->n++;
	return true;
}

/*
 * Notes for one input: its title, whether its run was interrupted (its
 * figures then cover the jobs that completed, not the run), and the origin
 * when its times were epoch times.
 */
static bool note_trace(struct notes *nt, const tl_trace *t, const char *prefix) {
	const char *title = tl_trace_meta_get(t, "title");
	if (title && !note_add(nt, "%stitle: %s", prefix, title)) {
		return false;
	}
	char stopped[256];
	if (tl_trace_interrupted(t, stopped, sizeof(stopped)) &&
	    !note_add(nt, "%s%s", prefix, stopped)) {
		return false;
	}
	const char *epoch = tl_trace_meta_get(t, "epoch_ns");
	if (!epoch) {
		return true;
	}
	long long ns = strtoll(epoch, NULL, 10);
	time_t secs = (time_t)(ns / 1000000000);
	struct tm tm;
	char when[64];
	if (!gmtime_r(&secs, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm)) {
		return note_add(nt, "%stimes are relative to epoch %s ns", prefix, epoch);
	}
	return note_add(nt, "%stimes are relative to %s.%09lld UTC (the earliest time)", prefix,
			when, ns % 1000000000);
}

/* Seconds with 9 decimals, exact from nanoseconds. */
static void print_seconds(FILE *f, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	fprintf(f, "%s%llu.%09llu", v < 0 ? "-" : "", (unsigned long long)(mag / 1000000000u),
		(unsigned long long)(mag % 1000000000u));
}

static void print_csv_field(FILE *f, const char *s) {
	if (!strpbrk(s, ",\"\r\n")) {
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

/* A duration for people: three significant decimals in the unit that fits. */
static void human_duration(tl_ns v, char *buf, size_t size) {
	double a = (double)(v < 0 ? -v : v);
	if (a >= 1e9) {
		snprintf(buf, size, "%.3f s", (double)v / 1e9);
	} else if (a >= 1e6) {
		snprintf(buf, size, "%.3f ms", (double)v / 1e6);
	} else if (a >= 1e3) {
		snprintf(buf, size, "%.3f \xc2\xb5s", (double)v / 1e3);
	} else {
		snprintf(buf, size, "%lld ns", (long long)v);
	}
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

static void print_table(const struct row *rows, size_t n, const struct notes *nt) {
	static const char *const head[] = {"group",       "jobs",    "workers", "wall",    "busy",
					   "concurrency", "speedup", "failed",  "start-up"};
	enum { NCOL = 9, COL_FAILED = 7, COL_STARTUP = 8 };
	bool any_failed = false, any_lanes = false, any_serial = false, all_serial = true;
	bool any_startup = false;
	size_t timed = 0, with_data = 0;
	char cell[NCOL][64];
	int width[NCOL];
	for (int c = 0; c < NCOL; c++) {
		width[c] = text_width(head[c]);
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
		/* Speedups are only explained where shown: no wall time, or a serial one of zero.
		 */
		bool speedup = s->wall > 0 && !(s->against_serial && s->speedup <= 0);
		if (speedup) {
			timed++;
			any_serial |= s->against_serial;
			all_serial &= s->against_serial;
		}
		snprintf(cell[0], 64, "%s", rows[i].group[0] ? rows[i].group : "(unnamed)");
		snprintf(cell[1], 64, "%zu", s->jobs);
		snprintf(cell[2], 64, "%zu%s", s->workers, s->workers_named || none ? "" : "*");
		if (none) {
			snprintf(cell[3], 64, "-");
			snprintf(cell[4], 64, "-");
		} else {
			human_duration(s->wall, cell[3], 64);
			human_duration(s->busy, cell[4], 64);
		}
		snprintf(cell[5], 64, s->wall > 0 ? "%.2f" : "-", s->concurrency);
		snprintf(cell[6], 64, speedup ? "%.2f\xc3\x97" : "-", s->speedup);
		snprintf(cell[7], 64, "%zu", s->failed);
		any_startup |= s->startup >= 0;
		if (s->startup >= 0) {
			human_duration(s->startup, cell[8], 64);
		} else {
			snprintf(cell[8], 64, "-");
		}
		for (int c = 0; c < NCOL; c++) {
			memcpy(cells[i][c], cell[c], 64);
			int w = text_width(cell[c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	/* The columns shown: failed and start-up only where some group has them. */
	int cols[NCOL], ncol = 0;
	for (int c = 0; c < NCOL; c++) {
		if ((c != COL_FAILED || any_failed) && (c != COL_STARTUP || any_startup)) {
			cols[ncol++] = c;
		}
	}
	for (int k = 0; k < ncol; k++) {
		int c = cols[k];
		if (k) {
			fputs("  ", stdout);
		}
		(c == 0 ? pad_right : pad_left)(head[c], c == 0 && ncol == 1 ? 0 : width[c]);
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
	if (timed == 0) {
		/* No speedup shown: nothing to explain. */
	} else if (all_serial) {
		puts("speedup: wall time of 'serial' / wall time");
	} else if (any_serial) {
		puts("speedup: wall time of the file's 'serial' group / wall time, else busy / "
		     "wall");
	} else {
		puts("speedup: busy / wall (no group named 'serial')");
	}
	for (size_t i = 0; i < nt->n; i++) {
		puts(nt->line[i]);
	}
}

/* The startup column comes last, and only when some group has one. */
static void print_csv(const struct row *rows, size_t n) {
	bool any_startup = false;
	for (size_t i = 0; i < n; i++) {
		any_startup |= rows[i].s.startup >= 0;
	}
	puts(any_startup ? "group,jobs,workers,wall,busy,concurrency,speedup,startup"
			 : "group,jobs,workers,wall,busy,concurrency,speedup");
	for (size_t i = 0; i < n; i++) {
		const tl_group_stats *s = &rows[i].s;
		print_csv_field(stdout, rows[i].group);
		printf(",%zu,%zu,", s->jobs, s->workers);
		print_seconds(stdout, s->wall);
		putchar(',');
		print_seconds(stdout, s->busy);
		if (s->wall > 0) {
			printf(",%.9f,%.9f", s->concurrency, s->speedup);
		} else {
			printf(",,");
		}
		if (any_startup) {
			putchar(',');
			if (s->startup >= 0) {
				print_seconds(stdout, s->startup);
			}
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
	size_t ng = tl_trace_group_count(t);
	struct row *rows = calloc(ng ? ng : 1, sizeof(*rows));
	struct notes notes = {0};
	int rc = EXIT_OK;
	if (!rows || !note_trace(&notes, t, "")) {
		fprintf(stderr, "timeline: out of memory\n");
		rc = EXIT_INPUT;
	} else {
		for (size_t g = 0; g < ng; g++) {
			rows[g].group = (char *)tl_trace_group_name(t, (uint32_t)g);
			rows[g].s = st[g];
		}
		print_table(rows, ng, &notes);
	}
	for (size_t i = 0; i < notes.n; i++) {
		free(notes.line[i]);
	}
	free(notes.line);
	free(rows);
	free(st);
	return rc;
}

int cmd_stats(int argc, char **argv) {
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"unit", required_argument, NULL, 'u'},
		{"input-format", required_argument, NULL, 'I'},
		CLI_LIMIT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool csv = false;
	tl_read_opts ropts = {0};
	cli_default_limits(&ropts);
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:u:I:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0) {
				csv = true;
			} else if (strcmp(optarg, "table") == 0) {
				csv = false;
			} else {
				return cli_usage_error(
					"stats", "unknown format '%s' (table or csv)", optarg);
			}
			break;
		case 'u':
			if (!tl_unit_from_string(optarg, &ropts.unit)) {
				return cli_usage_error(
					"stats", "unknown unit '%s' (s, ms, us or ns)", optarg);
			}
			break;
		case 'I':
			if (!tl_format_from_string(optarg, &ropts.format)) {
				return cli_usage_error("stats",
						       "unknown input format '%s' (auto, csv, "
						       "joblog, chrome or hyperfine)",
						       optarg);
			}
			break;
		case CLI_OPT_MAX_ROWS:
		case CLI_OPT_MAX_MEMORY:
			if (cli_limit_option("stats", c, optarg, &ropts) != EXIT_OK) {
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(cmd_stats_help, stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("stats", c, argv);
		}
	}
	if (optind >= argc) {
		return cli_usage_error("stats", "no input file given");
	}
	int nfiles = argc - optind;
	struct row *rows = NULL;
	size_t nrows = 0, cap = 0;
	struct notes notes = {0};
	int rc = EXIT_OK;
	for (int i = optind; i < argc && rc == EXIT_OK; i++) {
		struct tl_error err = {0};
		tl_trace *t = NULL;
		tl_group_stats *st = NULL;
		if (tl_read_file(argv[i], &ropts, &t, &err) != TL_OK ||
		    tl_trace_stats(t, &st, &err) != TL_OK) {
			rc = cli_report(&err);
			tl_trace_free(t);
			break;
		}
		char prefix[512] = "";
		if (nfiles > 1) {
			snprintf(prefix, sizeof(prefix), "%s: ", argv[i]);
		}
		if (!note_trace(&notes, t, prefix)) {
			fprintf(stderr, "timeline: out of memory\n");
			rc = EXIT_INPUT;
		}
		size_t ng = tl_trace_group_count(t);
		for (size_t g = 0; g < ng && rc == EXIT_OK; g++) {
			if (nrows == cap) {
				cap = cap ? cap * 2 : 8;
				struct row *nr = realloc(rows, cap * sizeof(*rows));
				if (!nr) {
					fprintf(stderr, "timeline: out of memory\n");
					rc = EXIT_INPUT;
					break;
				}
				rows = nr;
			}
			const char *gname = tl_trace_group_name(t, (uint32_t)g);
			char *name;
			/* Several files: each group is named after its file. */
			if (nfiles == 1) {
				name = strdup(gname);
			} else if (gname[0]) {
				name = malloc(strlen(argv[i]) + strlen(gname) + 2);
				if (name) {
					sprintf(name, "%s:%s", argv[i], gname);
				}
			} else {
				name = strdup(argv[i]);
			}
			if (!name) {
				fprintf(stderr, "timeline: out of memory\n");
				rc = EXIT_INPUT;
				break;
			}
			rows[nrows].group = name;
			rows[nrows].s = st[g];
			nrows++;
		}
		free(st);
		tl_trace_free(t);
	}
	if (rc == EXIT_OK) {
		if (csv) {
			print_csv(rows, nrows);
		} else {
			print_table(rows, nrows, &notes);
		}
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].group);
	}
	free(rows);
	for (size_t i = 0; i < notes.n; i++) {
		free(notes.line[i]);
	}
	free(notes.line);
	return rc;
}
