/*
 * GNU parallel --joblog reader. The log is tab-separated with a header
 * (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command);
 * Starttime is epoch seconds and JobRuntime seconds, both padded with blanks.
 * Lines come in completion order. Each line becomes a span: group = host
 * (":" is the local machine, called "local"), job = Seq, label = Command,
 * status = -Signal when a signal killed the job, else Exitval. The log names
 * no worker; lanes are packed by interval where they are needed. Commands may
 * hold tabs: everything after the ninth column's start is the command.
 */

#include "joblog.h"

#include "csv.h"
#include "delim.h"
#include "reader.h"
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col { C_SEQ = 0, C_HOST, C_START, C_RUNTIME, C_EXIT, C_SIGNAL, C_COMMAND, C_COUNT };

static const char *const col_names[C_COUNT] = {"Seq",     "Host",   "Starttime", "JobRuntime",
					       "Exitval", "Signal", "Command"};

bool tl_joblog_sniff(const char *data, size_t len) {
	static const char head[] = "Seq\tHost\tStarttime\t";
	size_t bom = tl_bom_len(data, len); /* only the BOM: a joblog starts with its header */
	data += bom;
	len -= bom;
	return len >= sizeof(head) - 1 && memcmp(data, head, sizeof(head) - 1) == 0;
}

struct reader {
	struct tl_line_reader in;
	int col[C_COUNT]; /* where each column is */
	size_t ncols;     /* columns the header has */
	const char *host; /* the last row's Host, NULL before the first row */
	size_t host_len;
	uint32_t group; /* ... and its group */
};

struct field {
	const char *s;
	size_t len;
};

/* Split a line at tabs into at most max fields; the last takes the rest. */
static size_t split(const char *s, const char *end, struct field *f, size_t max) {
	size_t n = 0;
	while (n < max) {
		const char *tab = n + 1 < max ? memchr(s, '\t', (size_t)(end - s)) : NULL;
		f[n].s = s;
		f[n].len = (size_t)((tab ? tab : end) - s);
		n++;
		if (!tab) {
			break;
		}
		s = tab + 1;
	}
	return n;
}

static tl_status number(struct reader *r, const struct field *f, const char *what, int scale,
			int64_t *ret) {
	/* Scaled fields are times (Starttime, JobRuntime); the rest are integers. */
	tl_num rc = scale > 0 ? tl_parse_time(f->s, f->len, scale, ret)
			      : tl_parse_decimal(f->s, f->len, scale, ret);
	if (rc == TL_NUM_OK) {
		return TL_OK;
	}
	char ex[64];
	tl_excerpt(f->s, f->len, ex, sizeof(ex));
	return tl_line_fail(&r->in, f->s, "%s '%s' is %s", what, ex,
			    rc == TL_NUM_RANGE       ? "out of range"
			    : rc == TL_NUM_NONFINITE ? "not a finite number"
						     : "not a number");
}

/* The header, [p, lend): where each column is. */
static tl_status header(struct reader *r, const char *p, const char *lend) {
	struct field hf[64];
	size_t nh = split(p, lend, hf, 64);
	for (int c = 0; c < C_COUNT; c++) {
		r->col[c] = -1;
		for (size_t i = 0; i < nh; i++) {
			if (hf[i].len == strlen(col_names[c]) &&
			    memcmp(hf[i].s, col_names[c], hf[i].len) == 0) {
				r->col[c] = (int)i;
				break;
			}
		}
		if (r->col[c] < 0) {
			return tl_line_fail(
				&r->in, p, "not a GNU parallel joblog: the header has no %s column",
				col_names[c]);
		}
	}
	r->ncols = nh;
	return TL_OK;
}

/* A signal says how the job ended; otherwise its exit value does. */
static int32_t job_status(int64_t exitval, int64_t signal) {
	if (signal > 0 && signal < 128 && tl_exit_status_valid(TL_EXIT_SIGNAL(signal))) {
		return TL_EXIT_SIGNAL(signal);
	}
	if (signal != 0) {
		return 1;
	}
	return exitval >= 0 && exitval <= 255 ? (int32_t)exitval : 1;
}

/* The group of host: rows of one host in a row ask the trace once. */
static tl_status host_group(struct reader *r, const struct field *host) {
	if (r->host && host->len == r->host_len && memcmp(host->s, r->host, host->len) == 0) {
		return TL_OK;
	}
	const char *hn = host->s;
	size_t hl = host->len;
	if (hl == 1 && hn[0] == ':') {
		hn = "local";
		hl = 5;
	}
	tl_status st = tl_trace_group(r->in.t, hn, hl, &r->group, r->in.err);
	if (st == TL_OK) {
		r->host = host->s;
		r->host_len = host->len;
	}
	return st;
}

/* One row, [p, lend), not blank: a span. */
static tl_status row(struct reader *r, const char *p, const char *lend) {
	size_t bad = tl_utf8_check(p, (size_t)(lend - p));
	if (bad != (size_t)(lend - p)) {
		return tl_line_fail(&r->in, p + bad, "invalid UTF-8");
	}
	struct field f[64];
	size_t n = split(p, lend, f, r->ncols);
	if (n < r->ncols) {
		return tl_line_fail(&r->in, lend, "row has %zu field%s, the joblog header has %zu",
				    n, n == 1 ? "" : "s", r->ncols);
	}
	const int *col = r->col;
	int64_t seq, start, runtime, exitval, signal;
	tl_status st;
	if ((st = number(r, &f[col[C_SEQ]], "Seq", 0, &seq)) != TL_OK ||
	    (st = number(r, &f[col[C_START]], "Starttime", 9, &start)) != TL_OK ||
	    (st = number(r, &f[col[C_RUNTIME]], "JobRuntime", 9, &runtime)) != TL_OK ||
	    (st = number(r, &f[col[C_EXIT]], "Exitval", 0, &exitval)) != TL_OK ||
	    (st = number(r, &f[col[C_SIGNAL]], "Signal", 0, &signal)) != TL_OK) {
		return st;
	}
	const struct field *rf = &f[col[C_RUNTIME]];
	if (runtime < 0) {
		char ex[64];
		return tl_line_fail(&r->in, rf->s, "JobRuntime '%s' is negative",
				    tl_excerpt(rf->s, rf->len, ex, sizeof(ex)));
	}
	if ((st = host_group(r, &f[col[C_HOST]])) != TL_OK) {
		return st;
	}
	tl_span sp = {.group = r->group, .job = seq, .start = start};
	if (__builtin_add_overflow(start, runtime, &sp.stop) || sp.stop > TL_TIME_MAX) {
		return tl_line_fail(&r->in, rf->s, "Starttime plus JobRuntime is out of range");
	}
	sp.status = job_status(exitval, signal);
	const struct field *cmd = &f[col[C_COMMAND]];
	st = tl_trace_intern(r->in.t, cmd->s, cmd->len, &sp.label, r->in.err);
	if (st == TL_OK) {
		st = tl_trace_add_span(r->in.t, &sp, r->in.err);
	}
	return tl_error_locate(r->in.err, st, r->in.name, r->in.line, 1);
}

/* The header at p and every row after it; data: the input's start. */
static tl_status rows(struct reader *r, const char *data, const char *p, const char *end) {
	const char *next, *lend = tl_delim_line(p, end, &next);
	tl_status st = header(r, p, lend);
	size_t n = 0;
	for (p = next; st == TL_OK && p < end; p = next) {
		r->in.line++;
		r->in.line_start = p;
		lend = tl_delim_line(p, end, &next);
		if (lend != p) {
			st = row(r, p, lend);
			n += st == TL_OK;
		}
	}
	if (st == TL_OK && n == 0) {
		st = tl_io_fail(r->in.err, r->in.name, 1, data, data,
				"no jobs after the joblog header");
	}
	return st;
}

tl_status tl_joblog_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			 tl_trace **ret_trace, struct tl_error *err) {
	struct reader r = {0};
	tl_status st = tl_line_reader_start(&r.in, data, len, name, opts, err);
	r.in.line_start = data + tl_bom_len(data, len);
	if (st == TL_OK) {
		st = rows(&r, data, r.in.line_start, data + len);
	}
	if (st == TL_OK) {
		st = tl_io_normalise_epoch(r.in.t, err);
	}
	/* A joblog's hosts ran at the same time: none is an alternative to another. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(r.in.t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, err);
	}
	return tl_line_reader_end(&r.in, st, ret_trace);
}
