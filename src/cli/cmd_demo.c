/*
 * `timeline demo`: rerun the seed articles' experiments on this machine and
 * write, for each, its CSV, a side-by-side chart (PNG and SVG) and a row of
 * timings, then DIR/report.md and a self-contained DIR/report.html whose
 * conclusions are computed from the numbers measured here.
 */

#include "cli.h"

#include <timeline/render.h>
#include <timeline/run.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { OPT_QUICK = 256, OPT_FULL };

static const struct cli_option options[] = {
	{.text = "Usage: timeline demo [-o DIR] [--quick|--full]\n"
		 "\n"
		 "Rerun the articles' experiments here: API calls (sleep), IO, CPU (with and\n"
		 "without the emulated GIL), dot product and the live tracker, each serially,\n"
		 "in thread pools and in process pools. Writes DIR/NAME.csv (the live\n"
		 "tracker's compressed, tracker.csv.zst), NAME.png and\n"
		 "NAME.svg per experiment, and DIR/report.md and DIR/report.html.\n"
		 "\n"
		 "Options:\n"},
	{'o', 'o', "output", required_argument, "DIR", .help = "where to write (default out)"},
	{OPT_QUICK, 0, "quick", no_argument,
	 .help = "small sizes, about a minute on 2 cores (default)"},
	{OPT_FULL, 0, "full", no_argument, .help = "the articles' sizes"},
	{'h', 'h', "help", no_argument, .help = "show this help"},
	{0},
};

const struct cli_spec cmd_demo_spec = {"demo", options, 20, false};

struct step {
	tl_mode mode;
	int workers;
	bool gil;
};

struct experiment {
	const char *name;  /* file stem */
	const char *title; /* chart and section title */
	const char *what;  /* one sentence: the article's experiment */
	tl_workload work;
	int64_t n_quick, n_full; /* iterations, vector length, or bytes for io */
	int jobs;
	struct step steps[6];
	int nsteps;
};

static const struct experiment experiments[] = {
	{"api",
	 "API calls: 16 waits on 1 to 4 threads and 2 to 4 processes",
	 "Seed 000's URL downloads, stood in for by sleeps: threads and processes both help, "
	 "as the work is waiting.",
	 TL_WORK_SLEEP,
	 50,
	 100,
	 16,
	 {{TL_MODE_THREADS, 1, false},
	  {TL_MODE_THREADS, 2, false},
	  {TL_MODE_THREADS, 4, false},
	  {TL_MODE_PROCESSES, 2, false},
	  {TL_MODE_PROCESSES, 4, false}},
	 5},
	{"io",
	 "IO heavy: writing texts",
	 "Seed 000's io_heavy: each job writes a large text file.",
	 TL_WORK_IO,
	 8 << 20,
	 64 << 20,
	 8,
	 {{TL_MODE_SERIAL, 1, false}, {TL_MODE_THREADS, 4, false}, {TL_MODE_PROCESSES, 4, false}},
	 3},
	{"cpu",
	 "CPU heavy: the counting loop",
	 "Seed 002's naive_add: count to n, four times.",
	 TL_WORK_CPU,
	 100000000,
	 1000000000,
	 4,
	 {{TL_MODE_SERIAL, 1, false}, {TL_MODE_THREADS, 4, false}, {TL_MODE_PROCESSES, 4, false}},
	 3},
	{"cpu-gil",
	 "CPU heavy under the emulated GIL",
	 "The same loop with threads under an emulated CPython GIL (5 ms switches), as the "
	 "articles measured it in Python.",
	 TL_WORK_CPU,
	 100000000,
	 1000000000,
	 4,
	 {{TL_MODE_SERIAL, 1, false}, {TL_MODE_THREADS, 4, true}, {TL_MODE_PROCESSES, 4, false}},
	 3},
	{"dot",
	 "Dot product",
	 "Seed 000's numpy dot product, which releases the GIL while it runs.",
	 TL_WORK_DOT,
	 4000000,
	 40000000,
	 4,
	 {{TL_MODE_SERIAL, 1, false}, {TL_MODE_THREADS, 2, true}, {TL_MODE_PROCESSES, 2, false}},
	 3},
	{"tracker",
	 "Live tracker: a timestamp per iteration",
	 "Seed 002's live_tracker: 4 jobs record a timestamp on every iteration; under the GIL the "
	 "threads take turns.",
	 TL_WORK_TRACK,
	 1000000,
	 2000000,
	 4,
	 {{TL_MODE_THREADS, 4, true}, {TL_MODE_THREADS, 4, false}, {TL_MODE_PROCESSES, 4, false}},
	 3},
};

#define NEXP (sizeof(experiments) / sizeof(experiments[0]))

struct result {
	char group[64];
	tl_ns wall;
};

/* Run every step of e into one trace. */
static tl_status run_experiment(const struct experiment *e, bool full, tl_trace **ret,
				struct tl_error *err) {
	tl_trace *all = tl_trace_new();
	if (!all) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (int i = 0; i < e->nsteps; i++) {
		const struct step *s = &e->steps[i];
		tl_run_opts o;
		tl_run_opts_init(&o);
		o.workload = e->work;
		o.n = full ? e->n_full : e->n_quick;
		o.size = o.n;
		o.latency = (full ? e->n_full : e->n_quick) * 1000000;
		o.jitter = o.latency / 2;
		o.modes[0] = s->mode;
		o.nmodes = 1;
		o.workers = s->workers;
		o.jobs = e->jobs;
		o.gil_interval = s->gil ? 5000000 : 0;
		char suffix[32] = "";
		if (s->mode != TL_MODE_SERIAL) {
			snprintf(suffix, sizeof(suffix), " \xc3\x97%d", s->workers);
		}
		o.group_suffix = suffix;
		tl_trace *t = NULL;
		size_t failed;
		tl_status st = tl_run(&o, &t, &failed, err);
		if (st == TL_OK) {
			st = tl_trace_merge(all, t, NULL, err);
		}
		tl_trace_free(t);
		if (st != TL_OK) {
			tl_trace_free(all);
			return st;
		}
	}
	*ret = all;
	return TL_OK;
}

static double wall_of(const tl_group_stats *st, size_t ng, const tl_trace *t, const char *name) {
	for (size_t g = 0; g < ng; g++) {
		if (strcmp(tl_trace_group_name(t, (uint32_t)g), name) == 0) {
			return (double)st[g].wall / 1e9;
		}
	}
	return 0;
}

static void format_seconds(double s, char *buf, size_t size) {
	if (s >= 1) {
		snprintf(buf, size, "%.2f s", s);
	} else {
		snprintf(buf, size, "%.0f ms", s * 1e3);
	}
}

/* The sentence the numbers support, for each experiment. */
static void conclusion(const struct experiment *e, const tl_trace *t, const tl_group_stats *st,
		       char *buf, size_t size) {
	size_t ng = tl_trace_group_count(t);
	size_t best = 0;
	if (ng == 0) {
		/* No run to compare (stopped before the first): nothing to conclude. */
		snprintf(buf, size, "No run completed.");
		return;
	}
	for (size_t g = 1; g < ng; g++) {
		if (st[g].wall < st[best].wall) {
			best = g;
		}
	}
	/* Speedup as the library defines it: against tl_trace_reference(). */
	uint32_t ref = st[best].reference;
	int o = ref == UINT32_MAX ? snprintf(buf, size, "Fastest here: %s.",
					     tl_trace_group_name(t, (uint32_t)best))
				  : snprintf(buf, size, "Fastest here: %s, %s the speed of %s.",
					     tl_trace_group_name(t, (uint32_t)best),
					     tl_format_speedup(st[best].speedup, (char[24]){0}),
					     tl_trace_group_name(t, ref));
	if (o < 0 || (size_t)o >= size) {
		return;
	}
	double th = 0, pr = 0;
	for (size_t g = 0; g < ng; g++) {
		const char *n = tl_trace_group_name(t, (uint32_t)g);
		if (strncmp(n, "threads", 7) == 0 && strstr(n, "GIL") && !th) {
			th = (double)st[g].wall / 1e9;
		}
		if (strncmp(n, "processes", 9) == 0) {
			pr = (double)st[g].wall / 1e9;
		}
	}
	if (th > 0 && pr > 0) {
		snprintf(buf + o, size - (size_t)o,
			 " Processes finished %.1f\xc3\x97 %s than threads under the emulated GIL.",
			 th > pr ? th / pr : pr / th, th > pr ? "faster" : "slower");
	} else if (strcmp(e->name, "api") == 0) {
		double one = wall_of(st, ng, t,
				     "threads \xc3\x97"
				     "1");
		double four = wall_of(st, ng, t,
				      "threads \xc3\x97"
				      "4");
		if (one > 0 && four > 0) {
			snprintf(buf + o, size - (size_t)o,
				 " Four threads waited %.1f\xc3\x97 faster than one: waiting "
				 "overlaps.",
				 one / four);
		}
	}
}

static char *slurp(const char *path) {
	FILE *f = fopen(path, "rb");
	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void html_text(FILE *f, const char *s) {
	for (; *s; s++) {
		if (*s == '<') {
			fputs("&lt;", f);
		} else if (*s == '>') {
			fputs("&gt;", f);
		} else if (*s == '&') {
			fputs("&amp;", f);
		} else {
			fputc(*s, f);
		}
	}
}

/* The report's title and the machine it ran on. */
static void write_header(FILE *md, FILE *html, bool full) {
	struct utsname un;
	uname(&un);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char machine[512];
	snprintf(machine, sizeof(machine), "%ld CPUs, %s %s %s, compiled with %s", cpus, un.sysname,
		 un.release, un.machine,
#ifdef __VERSION__
		 "gcc-compatible " __VERSION__
#else
		 "an unknown compiler"
#endif
	);
	fprintf(md,
		"# Threads or processes? The articles' experiments, rerun\n\n"
		"Machine: %s. Sizes: %s. Every number below was measured on this machine by "
		"`timeline demo`; each chart shows the runs side by side on one time axis.\n\n",
		machine, full ? "the articles'" : "quick");
	fprintf(html,
		"<!doctype html>\n<html><head><meta charset=\"utf-8\">"
		"<title>Threads or processes?</title>"
		"<style>body{font-family:sans-serif;max-width:1250px;margin:auto;padding:1em}"
		"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
		"text-align:right}svg{max-width:100%%;height:auto}</style></head><body>\n"
		"<h1>Threads or processes? The articles' experiments, rerun</h1>\n<p>Machine: ");
	html_text(html, machine);
	fprintf(html, ". Every number below was measured on this machine by "
		      "<code>timeline demo</code>.</p>\n");
}

/* An experiment's section of both reports, and its line on standard output. */
static void write_section(const struct experiment *e, const tl_trace *t, const tl_group_stats *st,
			  const char *dir, FILE *md, FILE *html) {
	char path[4096];
	size_t ng = tl_trace_group_count(t);
	char concl[512];
	conclusion(e, t, st, concl, sizeof(concl));
	fprintf(md, "## %s\n\n%s\n\n![%s](%s.png)\n\n| run | wall | speedup |\n|---|---|---|\n",
		e->title, e->what, e->title, e->name);
	fprintf(html, "<h2>");
	html_text(html, e->title);
	fprintf(html, "</h2>\n<p>");
	html_text(html, e->what);
	fprintf(html, "</p>\n");
	snprintf(path, sizeof(path), "%s/%s.svg", dir, e->name);
	char *svg = slurp(path);
	if (svg) {
		const char *start = strstr(svg, "<svg");
		fputs(start ? start : svg, html);
		free(svg);
	}
	fprintf(html, "\n<table><tr><th>run</th><th>wall</th><th>speedup</th></tr>\n");
	char line[1024] = "";
	size_t lo = 0;
	for (size_t g = 0; g < ng; g++) {
		char w[32];
		format_seconds((double)st[g].wall / 1e9, w, sizeof(w));
		double sp = st[g].speedup; /* the library's one definition */
		const char *gn = tl_trace_group_name(t, (uint32_t)g);
		char spt[24];
		tl_format_speedup(sp, spt);
		fprintf(md, "| %s | %s | %s |\n", gn, w, spt);
		fprintf(html, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", gn, w, spt);
		int n = snprintf(line + lo, sizeof(line) - lo, "%s%s: %s", g ? ", " : "", gn, w);
		lo += n > 0 && (size_t)n < sizeof(line) - lo ? (size_t)n : 0;
	}
	fprintf(md, "\n%s.\n\n%s\n\n", line, concl);
	fprintf(html, "</table>\n<p>");
	html_text(html, line);
	fprintf(html, ".</p>\n<p><strong>");
	html_text(html, concl);
	fprintf(html, "</strong></p>\n");
	printf("%-8s %s\n         %s\n", e->name, line, concl);
}

/* Run one experiment, write its CSV and charts, and its section of the reports. */
static int run_one(const struct experiment *e, bool full, const char *dir, FILE *md, FILE *html) {
	char path[4096];
	int rc = EXIT_OK;
	struct tl_error err = {0};
	tl_trace *t = NULL;
	tl_group_stats *st = NULL;
	if (run_experiment(e, full, &t, &err) != TL_OK || tl_trace_stats(t, &st, &err) != TL_OK) {
		tl_trace_free(t);
		return cli_report(&err);
	}
	tl_trace_meta_set(t, TL_META_TITLE, e->title, NULL);
	/* The tracker's millions of timestamps go compressed (zstd: a sixteenth). */
	snprintf(path, sizeof(path), "%s/%s.csv%s", dir, e->name,
		 e->work == TL_WORK_TRACK ? ".zst" : "");
	if (tl_write_file(t, path, TL_FORMAT_CSV, &err) != TL_OK) {
		rc = cli_report(&err);
	}
	for (int fmt = 0; fmt < 2 && rc == EXIT_OK; fmt++) {
		tl_render_opts ro;
		tl_render_opts_init(&ro);
		ro.format = fmt ? TL_IMAGE_SVG : TL_IMAGE_PNG;
		ro.width = 1400;
		ro.height = e->work == TL_WORK_SLEEP ? 700 : 520;
		ro.cols = e->nsteps > 3 ? 3 : 0;
		snprintf(path, sizeof(path), "%s/%s.%s", dir, e->name, fmt ? "svg" : "png");
		if (tl_render_file(t, &ro, path, &err) != TL_OK) {
			rc = cli_report(&err);
		}
	}
	write_section(e, t, st, dir, md, html);
	free(st);
	tl_trace_free(t);
	return rc;
}

int cmd_demo(int argc, char **argv) {
	const char *dir = "out";
	bool full = false;
	struct cli_parser p;
	cli_parser_init(&p, &cmd_demo_spec);
	int c;
	while ((c = cli_next_option(&p, argc, argv)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case OPT_QUICK:
			full = false;
			break;
		case OPT_FULL:
			full = true;
			break;
		case 'h':
			return cli_print_help(&cmd_demo_spec);
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "timeline: %s: cannot make the folder: %s\n", dir, strerror(errno));
		return EXIT_INPUT;
	}
	/* The reports appear whole or not at all, like every chart. */
	char path[4096];
	struct tl_error oerr = {0};
	tl_output *mdo = NULL, *htmlo = NULL;
	char mdpath[4096];
	snprintf(mdpath, sizeof(mdpath), "%s/report.md", dir);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	int rc = cli_check_output(mdpath);
	if (rc == EXIT_OK) {
		rc = cli_check_output(path);
	}
	if (rc != EXIT_OK) {
		return rc;
	}
	if (tl_output_open(mdpath, &mdo, &oerr) == TL_OK) {
		tl_output_open(path, &htmlo, &oerr);
	}
	if (!htmlo) {
		tl_output_abort(mdo);
		return cli_report(&oerr);
	}
	FILE *md = tl_output_stream(mdo);
	FILE *html = tl_output_stream(htmlo);
	write_header(md, html, full);
	for (size_t i = 0; i < NEXP && rc == EXIT_OK; i++) {
		fprintf(stderr, "timeline demo: %zu/%zu %s...\n", i + 1, NEXP, experiments[i].name);
		rc = run_one(&experiments[i], full, dir, md, html);
	}
	fprintf(html, "</body></html>\n");
	if (rc != EXIT_OK) {
		tl_output_abort(mdo);
		tl_output_abort(htmlo);
	} else if (tl_output_commit(mdo, &oerr) != TL_OK) {
		tl_output_abort(htmlo);
		rc = cli_report(&oerr);
	} else if (tl_output_commit(htmlo, &oerr) != TL_OK) {
		rc = cli_report(&oerr);
	}
	if (rc == EXIT_OK) {
		printf("report: %s/report.md and %s/report.html\n", dir, dir);
	}
	return rc;
}
