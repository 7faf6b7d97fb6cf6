/*
 * Nextflow's trace file (`nextflow run -with-trace`, or trace.enabled), as
 * its documentation describes it (https://www.nextflow.io/docs/latest/
 * reports.html#trace-file) and its TraceRecord class writes it
 * (modules/nextflow/src/main/groovy/nextflow/trace/TraceRecord.groovy,
 * https://github.com/nextflow-io/nextflow): a header of field names, then a
 * line per task, fields joined by a tab (trace.sep may say another
 * separator; the header shows which), '-' for a value not known. The
 * default fields are task_id hash native_id name status exit submit duration
 * realtime %cpu peak_rss peak_vmem rchar wchar; trace.fields may name others
 * (start, complete, process, hostname...) in any order.
 *
 * Values as TraceRecord formats them: dates "2019-03-07 10:38:16.046" (the
 * machine's local time, no zone: read as the CSV reader reads such
 * date-times), durations as Nextflow's Duration prints them ("184ms",
 * "39.2s", "1m 4s", "1h 2m 3s", "2d 1h"); with trace.raw, dates in epoch
 * milliseconds and durations in milliseconds.
 *
 * A task is a span from start to complete when the trace has them, else
 * from submit + duration - realtime to submit + duration (duration runs
 * from submit to completion, realtime is the task's own run). Its queue wait
 * is start - submit. Group: the process (the field, else the name's part
 * before " (": "FASTQC (sample1)" is FASTQC), or the hostname with
 * TL_GROUP_BY_NODE. Worker: the hostname when the trace has it. Job:
 * task_id; label: name. Status: COMPLETED is the exit code (0), FAILED the
 * exit code (1 when '-'), ABORTED cancelled. CACHED tasks (a resumed run's,
 * done by an earlier run) and tasks without times (ABORTED before they ran)
 * are not drawn, and counted in notes.
 */

#include "nextflow.h"

#include "csv.h"
#include "delim.h"
#include "reader.h"
#include "scan.h"
#include "timetext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum nf {
	N_TASK_ID,
	N_HASH,
	N_NATIVE_ID,
	N_NAME,
	N_PROCESS,
	N_STATUS,
	N_EXIT,
	N_SUBMIT,
	N_START,
	N_COMPLETE,
	N_DURATION,
	N_REALTIME,
	N_HOSTNAME,
	N_COUNT
};

static const char *const nf_names[N_COUNT] = {
	"task_id", "hash",  "native_id", "name",     "process",  "status",   "exit",
	"submit",  "start", "complete",  "duration", "realtime", "hostname",
};

/* The trace's fields, as written; which each --columns role names. */
static const struct tl_delim_format nf_format = {
	.names = nf_names,
	.count = N_COUNT,
	.role_field = {[TL_DR_START] = N_START,
		       [TL_DR_STOP] = N_COMPLETE,
		       [TL_DR_DURATION] = N_REALTIME,
		       [TL_DR_JOB] = N_TASK_ID,
		       [TL_DR_WORKER] = N_HOSTNAME,
		       [TL_DR_GROUP] = N_PROCESS,
		       [TL_DR_STATUS] = N_STATUS,
		       [TL_DR_LABEL] = N_NAME},
};

/* Trace field names: lower-case letters, digits, '_' and '%' ("%cpu", "peak_rss"). */
static bool is_name(unsigned char c) {
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '%';
}

static bool is_field(const struct tl_dfield *f, const char *name) {
	return f->len == strlen(name) && memcmp(f->s, name, f->len) == 0;
}

/* Every field a name; an id (hash, native_id or task_id when strict is false) and a time. */
static bool header_like(const struct tl_dfield *f, size_t n, bool strict) {
	bool id = false, time = false, task_id = false, own = false;
	static const char *const own_fields[] = {"realtime",  "%cpu",  "%mem",  "peak_rss",
						 "peak_vmem", "rchar", "wchar", "workdir",
						 "attempt",   "vmem",  "rss",   NULL};
	for (size_t i = 0; i < n; i++) {
		if (!f[i].len || f[i].len > 40) {
			return false;
		}
		for (size_t k = 0; k < f[i].len; k++) {
			if (!is_name((unsigned char)f[i].s[k])) {
				return false;
			}
		}
		id |= is_field(&f[i], "hash") || is_field(&f[i], "native_id") ||
		      (!strict && is_field(&f[i], "task_id"));
		/* trace.fields without hash and native_id: task_id and a field only Nextflow has.
		 */
		task_id |= is_field(&f[i], "task_id");
		for (int k = 0; own_fields[k]; k++) {
			own |= is_field(&f[i], own_fields[k]);
		}
		time |= is_field(&f[i], "submit") || is_field(&f[i], "start") ||
			is_field(&f[i], "complete");
	}
	return (id || (task_id && own)) && time;
}

bool tl_nextflow_sniff(const char *data, size_t len) {
	const char *p = data + tl_bom_len(data, len), *end = data + len, *next, *delim;
	size_t dlen;
	const char *lend = tl_delim_line(p, end, &next);
	if (!tl_delim_sniff(p, lend, is_name, &delim, &dlen)) {
		return false;
	}
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	size_t n = tl_delim_split(p, lend, delim, dlen, f, TL_DELIM_MAX_FIELDS);
	return n <= TL_DELIM_MAX_FIELDS && header_like(f, n, true);
}

/* --fields "task_id,name,...": the names, blanks around dropped; count, or more than max. */
static size_t split_fields(const char *s, struct tl_dfield *f) {
	size_t n = tl_delim_split(s, s + strlen(s), ",", 1, f, TL_DELIM_MAX_FIELDS);
	for (size_t i = 0; i < n && i < TL_DELIM_MAX_FIELDS; i++) {
		while (f[i].len && (f[i].s[0] == ' ' || f[i].s[0] == '\t')) {
			f[i].s++;
			f[i].len--;
		}
		while (f[i].len && (f[i].s[f[i].len - 1] == ' ' || f[i].s[f[i].len - 1] == '\t')) {
			f[i].len--;
		}
	}
	return n;
}

bool tl_nextflow_fields_sniff(const char *fields) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	size_t n = split_fields(fields, f);
	return n <= TL_DELIM_MAX_FIELDS && header_like(f, n, false);
}

struct nextflow {
	struct tl_line_reader in;
	struct tl_delim_log log;
	bool naive;       /* a date named no zone (Nextflow writes local time) */
	int col[N_COUNT]; /* where each field is, -1 when absent */
	size_t tasks;     /* running number, for a trace without task_id */
	size_t cached;    /* CACHED tasks skipped */
	size_t untimed;   /* tasks without times skipped */
	size_t running;   /* tasks started, not complete: to the end of their group */
};

static const struct tl_dfield *field(const struct nextflow *r, const struct tl_dfield *f,
				     enum nf c) {
	const struct tl_dfield *v = r->col[c] >= 0 ? &f[r->col[c]] : NULL;
	/* '-' and nothing: not known. */
	return v && v->len && !(v->len == 1 && v->s[0] == '-') ? v : NULL;
}

static bool all_digits(const struct tl_dfield *v) {
	for (size_t i = 0; i < v->len; i++) {
		if (v->s[i] < '0' || v->s[i] > '9') {
			return false;
		}
	}
	return v->len > 0;
}

/* A date, or epoch milliseconds (trace.raw). */
static tl_status date(struct nextflow *r, const struct tl_dfield *v, const char *what, tl_ns *ret) {
	bool ms = all_digits(v);
	tl_num rc = ms ? tl_parse_time(v->s, v->len, 6, ret)
		       : tl_parse_datetime(v->s, v->len, ret, NULL);
	if (rc == TL_NUM_OK) {
		/* Nextflow writes local time with no zone; trace.raw's milliseconds are UTC. */
		r->naive |= !ms && !tl_datetime_zoned(v->s, v->len);
		return TL_OK;
	}
	char ex[64];
	return tl_line_fail(&r->in, v->s, "%s '%s' is not a date like 2019-03-07 10:38:16.046",
			    what, tl_excerpt(v->s, v->len, ex, sizeof(ex)));
}

/* A duration, or milliseconds (trace.raw). */
static tl_status duration(struct nextflow *r, const struct tl_dfield *v, const char *what,
			  tl_ns *ret) {
	tl_num rc = all_digits(v) ? tl_parse_time(v->s, v->len, 6, ret)
				  : tl_parse_duration_text(v->s, v->len, ret);
	if (rc == TL_NUM_OK && *ret >= 0) {
		return TL_OK;
	}
	char ex[64];
	return tl_line_fail(&r->in, v->s, "%s '%s' is not a duration like 1m 4s", what,
			    tl_excerpt(v->s, v->len, ex, sizeof(ex)));
}

/* Start and stop of a task, and its wait; *ret_none when the line has no times for it. */
static tl_status task_times(struct nextflow *r, const struct tl_dfield *f, tl_span *sp,
			    bool *ret_none) {
	const struct tl_dfield *sub = field(r, f, N_SUBMIT), *start = field(r, f, N_START),
			       *done = field(r, f, N_COMPLETE), *dur = field(r, f, N_DURATION),
			       *real = field(r, f, N_REALTIME);
	tl_ns submitted = 0, d, rt;
	tl_status st = sub ? date(r, sub, "submit", &submitted) : TL_OK;
	*ret_none = false;
	if (st != TL_OK) {
		return st;
	}
	if (start && done) {
		st = date(r, start, "start", &sp->start);
		if (st == TL_OK) {
			st = date(r, done, "complete", &sp->stop);
		}
	} else if (sub && dur) {
		st = duration(r, dur, "duration", &d);
		if (st == TL_OK && real) {
			st = duration(r, real, "realtime", &rt);
		}
		if (st == TL_OK && (d > TL_TIME_MAX - submitted || submitted + d > TL_TIME_MAX)) {
			return tl_line_fail(&r->in, dur->s, "submit plus duration is out of range");
		}
		if (st == TL_OK) {
			sp->stop = submitted + d;
			sp->start = real && rt <= d ? sp->stop - rt : submitted;
		}
	} else if (start) {
		/* Started, not complete: still running when the trace was written. */
		st = date(r, start, "start", &sp->start);
		sp->stop = sp->start;
		sp->status = TL_EXIT_UNFINISHED;
	} else {
		*ret_none = true;
		return TL_OK;
	}
	if (st == TL_OK && sp->stop < sp->start) {
		return tl_line_fail(&r->in, (done ? done : dur)->s,
				    "the task ends before it starts");
	}
	sp->wait = st == TL_OK && sub && submitted < sp->start ? sp->start - submitted : 0;
	return st;
}

/* COMPLETED and FAILED: the exit code (FAILED without one: 1); ABORTED: cancelled. */
static int32_t task_status(const struct tl_dfield *status, const struct tl_dfield *exit) {
	int32_t st = 0;
	int64_t code;
	bool known = status && tl_exit_status_from_string(status->s, status->len, &st);
	bool has_code = exit && tl_parse_int(exit->s, exit->len, &code) == TL_NUM_OK;
	if (known && st != 0 && st != 1) {
		return st;
	}
	if (has_code && code > 0 && code <= 255) {
		return (int32_t)code;
	}
	if (has_code && code < 0 && -code < 128 && tl_exit_status_valid((int32_t)code)) {
		return (int32_t)code;
	}
	return status && !known ? 1 : st;
}

/* The group: the process, or the hostname (TL_GROUP_BY_NODE). */
static tl_status task_group(struct nextflow *r, const struct tl_dfield *f, uint32_t *ret) {
	const struct tl_dfield *g = field(r, f, N_PROCESS), *name = field(r, f, N_NAME);
	if (r->in.opts->group_by == TL_GROUP_BY_APP) {
		/* The whole run: one group. */
		return tl_trace_group(r->in.t, "", 0, ret, r->in.err);
	} else if (r->in.opts->group_by == TL_GROUP_BY_NODE) {
		g = field(r, f, N_HOSTNAME);
	} else if (!g && name) {
		/* "FASTQC (sample1)": the process is what comes before " (". */
		size_t k = 0;
		while (k + 1 < name->len && !(name->s[k] == ' ' && name->s[k + 1] == '(')) {
			k++;
		}
		return tl_trace_group(r->in.t, name->s, k + 1 < name->len ? k : name->len, ret,
				      r->in.err);
	}
	return tl_trace_group(r->in.t, g ? g->s : "", g ? g->len : 0, ret, r->in.err);
}

/* One line of fields (tl_delim_rows()): a span, or a task counted and skipped. */
static tl_status task_row(void *ctx, const struct tl_dfield *f) {
	struct nextflow *r = ctx;
	const struct tl_dfield *status = field(r, f, N_STATUS), *id = field(r, f, N_TASK_ID);
	const struct tl_dfield *host = field(r, f, N_HOSTNAME), *name = field(r, f, N_NAME);
	if (status && status->len == 6 && memcmp(status->s, "CACHED", 6) == 0) {
		r->cached++;
		return TL_OK;
	}
	tl_span sp = {.job = (int64_t)++r->tasks};
	if (id && tl_parse_int(id->s, id->len, &sp.job) != TL_NUM_OK) {
		char ex[64];
		return tl_line_fail(&r->in, id->s, "task_id '%s' is not a number",
				    tl_excerpt(id->s, id->len, ex, sizeof(ex)));
	}
	bool none;
	tl_status st = task_times(r, f, &sp, &none);
	if (st != TL_OK || none) {
		r->untimed += none;
		return st;
	}
	bool running = sp.status == TL_EXIT_UNFINISHED;
	r->running += running;
	sp.status = running ? sp.status : task_status(status, field(r, f, N_EXIT));
	st = task_group(r, f, &sp.group);
	if (st == TL_OK && host) {
		st = tl_trace_intern(r->in.t, host->s, host->len, &sp.worker, r->in.err);
	}
	if (st == TL_OK && name) {
		st = tl_trace_intern(r->in.t, name->s, name->len, &sp.label, r->in.err);
	}
	if (st == TL_OK) {
		st = tl_trace_add_span(r->in.t, &sp, r->in.err);
	}
	return tl_error_locate(r->in.err, st, r->in.name, r->in.line, 1);
}

/* The header (or --fields) and where each field is; *p moves past the header. */
static tl_status header(struct nextflow *r, const char **p, const char *end) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	const char *next, *lend = tl_delim_line(*p, end, &next);
	size_t n;
	r->log.delim = "\t";
	r->log.dlen = 1;
	if (r->in.opts->fields) {
		n = split_fields(r->in.opts->fields, f);
	} else {
		if (!tl_delim_sniff(*p, lend, is_name, &r->log.delim, &r->log.dlen)) {
			r->log.delim = "\t";
			r->log.dlen = 1;
		}
		n = tl_delim_split(*p, lend, r->log.delim, r->log.dlen, f, TL_DELIM_MAX_FIELDS);
		if (n > TL_DELIM_MAX_FIELDS || !header_like(f, n, false)) {
			return tl_line_fail(
				&r->in, *p,
				"no Nextflow trace header (task_id, hash, ..., submit or "
				"start): give the fields with --fields");
		}
		*p = next;
	}
	if (n > TL_DELIM_MAX_FIELDS) {
		return tl_line_fail(&r->in, *p, "--fields: more than %d fields",
				    TL_DELIM_MAX_FIELDS);
	}
	char msg[TL_ERROR_MSG_MAX];
	if (tl_delim_map(&nf_format, f, n, r->in.opts->columns, r->col, msg, sizeof(msg)) !=
	    TL_OK) {
		return tl_line_fail(&r->in, r->in.line_start, "%s", msg);
	}
	r->log.nf = n;
	if (!r->in.opts->fields) {
		r->in.line++;
	}
	return TL_OK;
}

static tl_status finish(struct nextflow *r) {
	tl_status st = TL_OK;
	if (r->running && tl_trace_close_unfinished(r->in.t, r->in.err) == SIZE_MAX) {
		return TL_ERR_NOMEM;
	}
	if (r->cached) {
		st = tl_io_note(r->in.t, r->in.err, "nextflow.cached",
				"%zu CACHED task%s (done by an earlier run) not drawn", r->cached,
				r->cached == 1 ? "" : "s");
	}
	if (st == TL_OK && r->untimed) {
		st = tl_io_note(r->in.t, r->in.err, "nextflow.untimed",
				"%zu task%s without times (not started, or ABORTED before they "
				"ran) not drawn",
				r->untimed, r->untimed == 1 ? "" : "s");
	}
	return st == TL_OK ? tl_delim_finish(r->in.t, r->in.opts, r->col[N_SUBMIT] >= 0, r->naive,
					     r->in.err)
			   : st;
}

tl_status tl_nextflow_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			   tl_trace **ret_trace, struct tl_error *err) {
	struct nextflow r = {0};
	tl_status st = tl_line_reader_start(&r.in, data, len, name, opts, err);
	const char *p = data + tl_bom_len(data, len);
	size_t n = 0;
	r.in.line_start = p;
	if (st == TL_OK) {
		st = header(&r, &p, data + len);
	}
	if (st == TL_OK) {
		st = tl_delim_rows(&r.in, &r.log, p, data + len, task_row, &r, &n);
	}
	if (st == TL_OK && n == 0) {
		st = tl_io_fail(err, r.in.name, 1, data, data, "no tasks after the trace header");
	}
	if (st == TL_OK) {
		st = finish(&r);
	}
	return tl_line_reader_end(&r.in, st, ret_trace);
}
