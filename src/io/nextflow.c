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
#include "scan.h"
#include "timetext.h"

#include <stdarg.h>
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

static const enum nf role_field[TL_DR_COUNT] = {
	[TL_DR_START] = N_START,   [TL_DR_STOP] = N_COMPLETE,   [TL_DR_DURATION] = N_REALTIME,
	[TL_DR_JOB] = N_TASK_ID,   [TL_DR_WORKER] = N_HOSTNAME, [TL_DR_GROUP] = N_PROCESS,
	[TL_DR_STATUS] = N_STATUS, [TL_DR_LABEL] = N_NAME,
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
	const char *p = data, *end = data + len, *next, *delim;
	size_t dlen;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
	}
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
	const char *name;
	struct tl_error *err;
	const tl_read_opts *opts;
	long line;
	const char *line_start;
	tl_trace *t;
	const char *delim;
	size_t dlen;
	bool naive;       /* a date named no zone (Nextflow writes local time) */
	size_t nf;        /* fields a line has */
	int col[N_COUNT]; /* where each field is, -1 when absent */
	size_t tasks;     /* running number, for a trace without task_id */
	size_t cached;    /* CACHED tasks skipped */
	size_t untimed;   /* tasks without times skipped */
	size_t running;   /* tasks started, not complete: to the end of their group */
};

static tl_status fail(struct nextflow *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status fail(struct nextflow *r, const char *pos, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, r->line, tl_column(r->line_start, pos),
			    "%s", msg);
}

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
	return fail(r, v->s, "%s '%s' is not a date like 2019-03-07 10:38:16.046", what,
		    tl_excerpt(v->s, v->len, ex, sizeof(ex)));
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
	return fail(r, v->s, "%s '%s' is not a duration like 1m 4s", what,
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
			return fail(r, dur->s, "submit plus duration is out of range");
		}
		if (st == TL_OK) {
			sp->stop = submitted + d;
			sp->start = real && rt <= d ? sp->stop - rt : submitted;
		}
	} else if (start) {
		/* Started, not complete: still running when the trace was written. */
		st = date(r, start, "start", &sp->start);
		sp->stop = sp->start;
		sp->status = TL_STATUS_UNFINISHED;
	} else {
		*ret_none = true;
		return TL_OK;
	}
	if (st == TL_OK && sp->stop < sp->start) {
		return fail(r, (done ? done : dur)->s, "the task ends before it starts");
	}
	sp->wait = st == TL_OK && sub && submitted < sp->start ? sp->start - submitted : 0;
	return st;
}

/* COMPLETED and FAILED: the exit code (FAILED without one: 1); ABORTED: cancelled. */
static int32_t task_status(const struct tl_dfield *status, const struct tl_dfield *exit) {
	int32_t st = 0;
	int64_t code;
	bool known = status && tl_status_from_string(status->s, status->len, &st);
	bool has_code = exit && tl_parse_int(exit->s, exit->len, &code) == TL_NUM_OK;
	if (known && st != 0 && st != 1) {
		return st;
	}
	if (has_code && code > 0 && code <= 255) {
		return (int32_t)code;
	}
	if (has_code && code < 0 && -code < 128 && tl_status_valid((int32_t)code)) {
		return (int32_t)code;
	}
	return status && !known ? 1 : st;
}

/* The group: the process, or the hostname (TL_GROUP_BY_NODE). */
static tl_status task_group(struct nextflow *r, const struct tl_dfield *f, uint32_t *ret) {
	const struct tl_dfield *g = field(r, f, N_PROCESS), *name = field(r, f, N_NAME);
	if (r->opts->group_by == TL_GROUP_BY_APP) {
		return tl_trace_group(r->t, "", 0, ret, r->err); /* the whole run: one group */
	} else if (r->opts->group_by == TL_GROUP_BY_NODE) {
		g = field(r, f, N_HOSTNAME);
	} else if (!g && name) {
		/* "FASTQC (sample1)": the process is what comes before " (". */
		size_t k = 0;
		while (k + 1 < name->len && !(name->s[k] == ' ' && name->s[k + 1] == '(')) {
			k++;
		}
		return tl_trace_group(r->t, name->s, k + 1 < name->len ? k : name->len, ret,
				      r->err);
	}
	return tl_trace_group(r->t, g ? g->s : "", g ? g->len : 0, ret, r->err);
}

static tl_status task_row(struct nextflow *r, const struct tl_dfield *f) {
	const struct tl_dfield *status = field(r, f, N_STATUS), *id = field(r, f, N_TASK_ID);
	const struct tl_dfield *host = field(r, f, N_HOSTNAME), *name = field(r, f, N_NAME);
	if (status && status->len == 6 && memcmp(status->s, "CACHED", 6) == 0) {
		r->cached++;
		return TL_OK;
	}
	tl_span sp = {.job = (int64_t)++r->tasks};
	if (id && tl_parse_int(id->s, id->len, &sp.job) != TL_NUM_OK) {
		char ex[64];
		return fail(r, id->s, "task_id '%s' is not a number",
			    tl_excerpt(id->s, id->len, ex, sizeof(ex)));
	}
	bool none;
	tl_status st = task_times(r, f, &sp, &none);
	if (st != TL_OK || none) {
		r->untimed += none;
		return st;
	}
	bool running = sp.status == TL_STATUS_UNFINISHED;
	r->running += running;
	sp.status = running ? sp.status : task_status(status, field(r, f, N_EXIT));
	st = task_group(r, f, &sp.group);
	if (st == TL_OK && host) {
		st = tl_trace_intern(r->t, host->s, host->len, &sp.worker, r->err);
	}
	if (st == TL_OK && name) {
		st = tl_trace_intern(r->t, name->s, name->len, &sp.label, r->err);
	}
	if (st == TL_OK) {
		st = tl_trace_add_span(r->t, &sp, r->err);
	}
	return tl_error_locate(r->err, st, r->name, r->line, 1);
}

/* The header (or --fields) and where each field is; *p moves past the header. */
static tl_status header(struct nextflow *r, const char **p, const char *end) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	const char *next, *lend = tl_delim_line(*p, end, &next);
	size_t n;
	r->delim = "\t";
	r->dlen = 1;
	if (r->opts->fields) {
		n = split_fields(r->opts->fields, f);
	} else {
		if (!tl_delim_sniff(*p, lend, is_name, &r->delim, &r->dlen)) {
			r->delim = "\t";
			r->dlen = 1;
		}
		n = tl_delim_split(*p, lend, r->delim, r->dlen, f, TL_DELIM_MAX_FIELDS);
		if (n > TL_DELIM_MAX_FIELDS || !header_like(f, n, false)) {
			return fail(r, *p,
				    "no Nextflow trace header (task_id, hash, ..., submit or "
				    "start): give the fields with --fields");
		}
		*p = next;
	}
	if (n > TL_DELIM_MAX_FIELDS) {
		return fail(r, *p, "--fields: more than %d fields", TL_DELIM_MAX_FIELDS);
	}
	for (int c = 0; c < N_COUNT; c++) {
		r->col[c] = -1;
		for (size_t i = 0; i < n && r->col[c] < 0; i++) {
			r->col[c] = is_field(&f[i], nf_names[c]) ? (int)i : -1;
		}
	}
	if (r->opts->columns) {
		int rc[TL_DR_COUNT];
		char msg[TL_ERROR_MSG_MAX];
		for (int k = 0; k < TL_DR_COUNT; k++) {
			rc[k] = r->col[role_field[k]];
		}
		if (tl_delim_columns(r->opts->columns, f, n, rc, msg, sizeof(msg)) != TL_OK) {
			return fail(r, r->line_start, "%s", msg);
		}
		for (int k = 0; k < TL_DR_COUNT; k++) {
			r->col[role_field[k]] = rc[k];
		}
	}
	r->nf = n;
	if (!r->opts->fields) {
		r->line++;
	}
	return TL_OK;
}

static tl_status rows(struct nextflow *r, const char *p, const char *end, size_t *ret_rows) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	for (; p < end; r->line++) {
		const char *next, *lend = tl_delim_line(p, end, &next);
		r->line_start = p;
		if (lend == p) {
			p = next;
			continue;
		}
		size_t bad = tl_utf8_check(p, (size_t)(lend - p));
		if (bad != (size_t)(lend - p)) {
			return fail(r, p + bad, "invalid UTF-8");
		}
		size_t n = tl_delim_split(p, lend, r->delim, r->dlen, f, TL_DELIM_MAX_FIELDS);
		if (n != r->nf) {
			const char *at =
				n > r->nf && r->nf < TL_DELIM_MAX_FIELDS ? f[r->nf].s : lend;
			return fail(r, at, "line has %zu field%s, the header has %zu", n,
				    n == 1 ? "" : "s", r->nf);
		}
		tl_status st = task_row(r, f);
		if (st != TL_OK) {
			return st;
		}
		(*ret_rows)++;
		p = next;
	}
	return TL_OK;
}

static tl_status finish(struct nextflow *r) {
	tl_status st = TL_OK;
	char v[200];
	if (r->running && tl_trace_close_unfinished(r->t, r->err) == SIZE_MAX) {
		return TL_ERR_NOMEM;
	}
	if (r->cached) {
		snprintf(v, sizeof(v), "%zu CACHED task%s (done by an earlier run) not drawn",
			 r->cached, r->cached == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "nextflow.cached", v, r->err);
	}
	if (st == TL_OK && r->untimed) {
		snprintf(v, sizeof(v),
			 "%zu task%s without times (not started, or ABORTED before they ran) "
			 "not drawn",
			 r->untimed, r->untimed == 1 ? "" : "s");
		st = tl_trace_meta_set(r->t, TL_META_NOTE_PREFIX "nextflow.untimed", v, r->err);
	}
	if (st == TL_OK && r->col[N_SUBMIT] >= 0) {
		st = tl_trace_meta_set(r->t, TL_META_QUEUED, "1", r->err);
	}
	if (st == TL_OK) {
		st = tl_trace_meta_set(r->t, TL_META_TASK_LOG, "1", r->err);
	}
	/* A host runs several tasks at once. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(r->t, TL_META_WORKER_SLOTS, "1", r->err);
	}
	if (st == TL_OK && r->naive) {
		st = tl_trace_meta_set(r->t, TL_META_LOCAL_TIME, "1", r->err);
	}
	/* The processes of one run ran at the same time. */
	if (st == TL_OK) {
		tl_time_align a =
			r->opts->align == TL_TIMES_START ? TL_TIMES_START : TL_TIMES_ABSOLUTE;
		st = tl_io_place_times(r->t, TL_CLOCK_EPOCH, a, r->err);
	}
	if (st == TL_OK && tl_trace_group_count(r->t) > 1 && r->opts->align != TL_TIMES_START) {
		st = tl_trace_meta_set(r->t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, r->err);
	}
	return st;
}

tl_status tl_nextflow_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			   tl_trace **ret_trace, struct tl_error *err) {
	tl_read_opts none = {0};
	struct nextflow r = {.name = name ? name : "-",
			     .err = err,
			     .opts = opts ? opts : &none,
			     .line = 1,
			     .line_start = data};
	const char *p = data, *end = data + len;
	r.t = tl_io_trace_new(opts);
	if (!r.t) {
		return tl_error_set(err, TL_ERR_NOMEM, r.name, 0, 0, "out of memory");
	}
	tl_status st = tl_check_text(data, len, r.name, err);
	if (st == TL_OK && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		r.line_start = p;
	}
	size_t n = 0;
	if (st == TL_OK) {
		st = header(&r, &p, end);
	}
	if (st == TL_OK) {
		st = rows(&r, p, end, &n);
	}
	if (st == TL_OK && n == 0) {
		r.line = 1;
		r.line_start = data;
		st = fail(&r, data, "no tasks after the trace header");
	}
	if (st == TL_OK) {
		st = finish(&r);
	}
	if (st == TL_OK) {
		*ret_trace = r.t;
		r.t = NULL;
	}
	tl_trace_free(r.t);
	return st;
}
