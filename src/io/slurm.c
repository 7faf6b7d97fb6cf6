/*
 * Slurm accounting: the output of `sacct --parsable2` (or --parsable, which
 * ends each line with one more delimiter), as sacct's manual describes it
 * (https://slurm.schedmd.com/sacct.html: --parsable2, --delimiter,
 * --noheader, --format and the "Job Accounting Fields"). Fields are joined by
 * '|' or by the --delimiter text (any length: a tab, "::", a snowman); the
 * first line names them, in any order and case, unless sacct ran with
 * --noheader: then tl_read_opts.fields gives them as --format had them
 * ("JobID,JobName%30,Start,..."; widths are dropped). sacct's default fields
 * (JobID, JobName, Partition, Account, AllocCPUS, State, ExitCode) have no
 * times, so there is no default order worth assuming.
 *
 * A line per job: a span from Start to End, date-times without zone as the
 * CSV reader reads them (SLURM_TIME_FORMAT's default, "2023-01-05T10:00:00").
 * End "Unknown" (still running, or the record was never closed): to Start +
 * Elapsed when the log has Elapsed, else to the end of its group; RUNNING is
 * TL_EXIT_UNFINISHED. Start "Unknown" or "None" (PENDING, or cancelled
 * while pending): not drawn, counted in a note. Submit gives the queue wait.
 * Job steps (123.batch, 123.extern, 123.0) are parts of their job: skipped
 * and counted, or with tl_read_opts.steps drawn as rows of their own in
 * their job's group. Array tasks (123_4, 123_[5-9]) and heterogeneous
 * components (123+0) are jobs.
 *
 * Group: the partition (a step's is its job's), or the node with
 * TL_GROUP_BY_NODE. Worker: the first node of NodeList ("node[01-03]" is
 * node01): a job on several nodes is drawn on its first, and counted in a
 * note. Job: a running number in file order; the label is "JobName
 * (JobID)", a step's its JobID. Status: from State and ExitCode ("N:S", exit
 * code N, signal S) as tl_slurm_status() says.
 */

#include "slurm.h"

#include "csv.h"
#include "delim.h"
#include "reader.h"
#include "scan.h"
#include "timetext.h"
#include "../util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum sf {
	S_JOBID,
	S_JOBIDRAW,
	S_JOBNAME,
	S_PARTITION,
	S_NODELIST,
	S_SUBMIT,
	S_START,
	S_END,
	S_ELAPSED,
	S_STATE,
	S_EXITCODE,
	S_COUNT
};

static const char *const sf_names[S_COUNT] = {
	"JobID", "JobIDRaw", "JobName", "Partition", "NodeList", "Submit",
	"Start", "End",      "Elapsed", "State",     "ExitCode",
};

/* sacct's fields, in any case; which each --columns role names. */
static const struct tl_delim_format sf_format = {
	.names = sf_names,
	.count = S_COUNT,
	.fold = true,
	.role_field = {[TL_DR_START] = S_START,
		       [TL_DR_STOP] = S_END,
		       [TL_DR_DURATION] = S_ELAPSED,
		       [TL_DR_JOB] = S_JOBID,
		       [TL_DR_WORKER] = S_NODELIST,
		       [TL_DR_GROUP] = S_PARTITION,
		       [TL_DR_STATUS] = S_STATE,
		       [TL_DR_LABEL] = S_JOBNAME},
};

/* sacct's field names are letters and digits ("JobIDRaw", "TRESUsageInAve"). */
static bool is_name(unsigned char c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_field(const struct tl_dfield *f, const char *name) {
	return tl_word_eq_nocase(f->s, f->len, name);
}

/* Every field a name, JobID or JobIDRaw among them: a sacct header. */
static bool header_like(const struct tl_dfield *f, size_t n) {
	bool id = false;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < f[i].len; k++) {
			if (!is_name((unsigned char)f[i].s[k])) {
				return false;
			}
		}
		if (f[i].len == 0 || f[i].len > 40) {
			return false;
		}
		id |= is_field(&f[i], "JobID") || is_field(&f[i], "JobIDRaw");
	}
	return id;
}

bool tl_slurm_sniff(const char *data, size_t len) {
	const char *p = data + tl_bom_len(data, len), *end = data + len, *next, *delim;
	size_t dlen;
	const char *lend = tl_delim_line(p, end, &next);
	if (!tl_delim_sniff(p, lend, is_name, &delim, &dlen) || memchr(delim, ' ', dlen)) {
		return false;
	}
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	size_t n = tl_delim_split(p, lend, delim, dlen, f, TL_DELIM_MAX_FIELDS);
	n -= n > 1 && n <= TL_DELIM_MAX_FIELDS && !f[n - 1].len; /* --parsable */
	if (n > TL_DELIM_MAX_FIELDS || !header_like(f, n)) {
		return false;
	}
	/* A comma or semicolon: a CSV's unless sacct's own words say otherwise. */
	bool sacct_only = false;
	for (size_t i = 0; i < n; i++) {
		sacct_only |= is_field(&f[i], "ExitCode") || is_field(&f[i], "NodeList") ||
			      is_field(&f[i], "Partition") || is_field(&f[i], "AllocCPUS");
	}
	return sacct_only || (dlen != 1 || (*delim != ',' && *delim != ';'));
}

bool tl_slurm_fields_sniff(const char *fields) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	size_t n = tl_delim_split(fields, fields + strlen(fields), ",", 1, f, TL_DELIM_MAX_FIELDS);
	for (size_t i = 0; i < n && i < TL_DELIM_MAX_FIELDS; i++) {
		while (f[i].len && f[i].s[0] == ' ') {
			f[i].s++;
			f[i].len--;
		}
		size_t k = 0;
		while (k < f[i].len && is_name((unsigned char)f[i].s[k])) {
			k++;
		}
		f[i].len = k;
		if (is_field(&f[i], "JobID") || is_field(&f[i], "JobIDRaw")) {
			return true;
		}
	}
	return false;
}

struct slurm {
	struct tl_line_reader in;
	struct tl_delim_log log;
	int col[S_COUNT];   /* where each field is, -1 when absent */
	size_t jobs;        /* running job number */
	size_t pending;     /* jobs that never started */
	bool naive;         /* a date-time named no zone (sacct writes local time) */
	size_t steps;       /* steps skipped */
	size_t multi;       /* jobs on several nodes */
	size_t backwards;   /* jobs that end before they start */
	size_t nopen;       /* spans with no end: stretched to the end of their group */
	const char *job_id; /* the last job's JobID (its number, before any '.') */
	size_t job_id_len;
	uint32_t job_group; /* ... and its group */
	char fields_buf[1024];
};

/* Where the fields are, from the header's names or --fields, then --columns. */
static tl_status map_fields(struct slurm *r, const struct tl_dfield *f, size_t n, const char *at) {
	char msg[TL_ERROR_MSG_MAX];
	if (tl_delim_map(&sf_format, f, n, r->in.opts->columns, r->col, msg, sizeof(msg)) !=
	    TL_OK) {
		return tl_line_fail(&r->in, at, "%s", msg);
	}
	if (r->col[S_JOBID] < 0) {
		r->col[S_JOBID] = r->col[S_JOBIDRAW];
	}
	const char *missing = r->col[S_JOBID] < 0                          ? "JobID"
			      : r->col[S_START] < 0                        ? "Start"
			      : r->col[S_END] < 0 && r->col[S_ELAPSED] < 0 ? "End"
									   : NULL;
	if (missing) {
		return tl_line_fail(
			&r->in, at,
			"sacct output without a %s field: nothing to draw (sacct's default "
			"fields have no times; run it with --format=JobID,JobName,Partition,"
			"NodeList,Submit,Start,End,Elapsed,State,ExitCode)",
			missing);
	}
	r->log.nf = n;
	return TL_OK;
}

/* --fields "JobID,JobName%30,Start": the names, widths dropped. */
static size_t given_fields(struct slurm *r, struct tl_dfield *f) {
	snprintf(r->fields_buf, sizeof(r->fields_buf), "%s", r->in.opts->fields);
	const char *s = r->fields_buf;
	size_t n = tl_delim_split(s, s + strlen(s), ",", 1, f, TL_DELIM_MAX_FIELDS);
	for (size_t i = 0; i < n && i < TL_DELIM_MAX_FIELDS; i++) {
		while (f[i].len && (f[i].s[0] == ' ' || f[i].s[0] == '\t')) {
			f[i].s++;
			f[i].len--;
		}
		const char *pct = memchr(f[i].s, '%', f[i].len);
		f[i].len = pct ? (size_t)(pct - f[i].s) : f[i].len;
		while (f[i].len && (f[i].s[f[i].len - 1] == ' ' || f[i].s[f[i].len - 1] == '\t')) {
			f[i].len--;
		}
	}
	return n;
}

/*
 * The delimiter of a line without header, whose fields are r->log.nf: '|', a tab,
 * else the first other character (not a letter, digit or blank) that splits
 * it into that many fields (or one more, empty: --parsable).
 */
static bool data_delim(struct slurm *r, const char *p, const char *lend) {
	enum { MAX_CAND = 18 };
	const char *cand[MAX_CAND] = {"|", "\t"};
	size_t clen[MAX_CAND] = {1, 1}, nc = 2;
	for (const char *q = p; q < lend && nc < MAX_CAND; q++) {
		unsigned char c = (unsigned char)*q;
		if (is_name(c) || c == ' ' || (c & 0xc0) == 0x80) {
			continue;
		}
		size_t cl = 1;
		while (q + cl < lend && ((unsigned char)q[cl] & 0xc0) == 0x80) {
			cl++;
		}
		bool seen = false;
		for (size_t k = 0; k < nc && !seen; k++) {
			seen = clen[k] == cl && memcmp(cand[k], q, cl) == 0;
		}
		if (!seen) {
			cand[nc] = q;
			clen[nc++] = cl;
		}
	}
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	for (size_t k = 0; k < nc; k++) {
		size_t n = tl_delim_split(p, lend, cand[k], clen[k], f, TL_DELIM_MAX_FIELDS);
		if (n == r->log.nf ||
		    (n == r->log.nf + 1 && n <= TL_DELIM_MAX_FIELDS && !f[n - 1].len)) {
			r->log.delim = cand[k];
			r->log.dlen = clen[k];
			return true;
		}
	}
	return r->log.nf == 1;
}

/* The first node of a NodeList ("node[01-03,07]" → "node01") into buf; false for none. */
static bool first_node(const struct tl_dfield *f, char *buf, size_t size, bool *ret_several) {
	size_t n = 0;
	bool in = false, first = true;
	*ret_several = false;
	for (size_t i = 0; i < f->len; i++) {
		char c = f->s[i];
		if (c == '[') {
			in = true;
		} else if (c == ']') {
			in = false;
			first = false;
		} else if (c == ',' && !in) {
			*ret_several = true;
			break;
		} else if ((c == '-' || c == ',') && in) {
			*ret_several = true;
			first = false;
		} else if ((!in || first) && n + 1 < size) {
			buf[n++] = c;
		}
	}
	buf[n] = '\0';
	return n > 0 && strcmp(buf, "None assigned") != 0 && strcmp(buf, "(null)") != 0;
}

static bool unknown_time(const struct tl_dfield *f) {
	return f->len == 0 || is_field(f, "Unknown") || is_field(f, "None");
}

static tl_status date_time(struct slurm *r, const struct tl_dfield *f, const char *what,
			   tl_ns *ret) {
	if (tl_parse_datetime(f->s, f->len, ret, NULL) == TL_NUM_OK) {
		r->naive |= !tl_datetime_zoned(f->s, f->len);
		return TL_OK;
	}
	/* SLURM_TIME_FORMAT=%s: seconds since the epoch, whole. */
	int64_t secs;
	if (f->len > 0 && f->len < 12 && strspn(f->s, "0123456789") >= f->len &&
	    tl_parse_time(f->s, f->len, 9, &secs) == TL_NUM_OK) {
		*ret = secs;
		return TL_OK;
	}
	char ex[64];
	return tl_line_fail(&r->in, f->s, "%s '%s' is not a date-time like 2023-01-05T10:00:00",
			    what, tl_excerpt(f->s, f->len, ex, sizeof(ex)));
}

/*
 * A JobID: digits, then "_N" or "_[...]" (an array task), "+N" (a
 * heterogeneous job's component), then ".STEP" for a step. *ret_job_len is
 * the length of the job's own id (before the '.'); false when it does not
 * start with a digit.
 */
static bool job_id(const struct tl_dfield *f, size_t *ret_job_len, bool *ret_step) {
	if (!f->len || f->s[0] < '0' || f->s[0] > '9') {
		return false;
	}
	const char *dot = memchr(f->s, '.', f->len);
	*ret_step = dot != NULL;
	*ret_job_len = dot ? (size_t)(dot - f->s) : f->len;
	return true;
}

/* ExitCode "N:S": the exit code N and the signal S (0 when absent). */
static void exit_code(const struct tl_dfield *f, int64_t *ret_code, int64_t *ret_sig) {
	const char *colon = f ? memchr(f->s, ':', f->len) : NULL;
	*ret_code = *ret_sig = 0;
	if (!f ||
	    tl_parse_int(f->s, colon ? (size_t)(colon - f->s) : f->len, ret_code) != TL_NUM_OK) {
		*ret_code = 0;
	}
	if (colon &&
	    tl_parse_int(colon + 1, f->len - (size_t)(colon + 1 - f->s), ret_sig) != TL_NUM_OK) {
		*ret_sig = 0;
	}
}

/*
 * How a job ended. State's first word names it (tl_exit_status_from_string():
 * COMPLETED 0, TIMEOUT and DEADLINE timeout, CANCELLED, OUT_OF_MEMORY,
 * NODE_FAIL, PREEMPTED by their names, RUNNING unfinished); FAILED, BOOT_FAIL
 * and states it does not know (REQUEUED, SPECIAL_EXIT, ...) take ExitCode's:
 * killed by its signal S, else exit code N, else 1 for FAILED. A state it
 * does not know with no End is unfinished. No State: ExitCode alone.
 */
static int32_t job_status(const struct tl_dfield *state, const struct tl_dfield *code, bool open) {
	int64_t n, sig;
	exit_code(code, &n, &sig);
	int32_t st = 1;
	bool known = state && tl_exit_status_from_string(state->s, state->len, &st);
	if (state && !known && open) {
		return TL_EXIT_UNFINISHED;
	}
	if (state && known && st != 1) {
		return st;
	}
	if (sig > 0 && sig < 128 && tl_exit_status_valid(TL_EXIT_SIGNAL(sig))) {
		return TL_EXIT_SIGNAL(sig);
	}
	if (n > 0 && n <= 255) {
		return (int32_t)n;
	}
	return state && known ? 1 : 0;
}

static const struct tl_dfield *field(const struct slurm *r, const struct tl_dfield *f, enum sf c) {
	return r->col[c] >= 0 ? &f[r->col[c]] : NULL;
}

/* The group of a job (or step): its partition, or its node. */
static tl_status job_group(struct slurm *r, const struct tl_dfield *f, const char *node, bool step,
			   size_t id_len, uint32_t *ret) {
	const struct tl_dfield *id = field(r, f, S_JOBID), *part = field(r, f, S_PARTITION);
	if (r->in.opts->group_by == TL_GROUP_BY_NODE) {
		return tl_trace_group(r->in.t, node, strlen(node), ret, r->in.err);
	}
	if (r->in.opts->group_by == TL_GROUP_BY_APP) {
		/* The whole log: one group. */
		return tl_trace_group(r->in.t, "", 0, ret, r->in.err);
	}
	/* A step names no partition: its job's, when its job came before it. */
	if (step && (!part || !part->len) && r->job_id && id_len == r->job_id_len &&
	    memcmp(id->s, r->job_id, id_len) == 0) {
		*ret = r->job_group;
		return TL_OK;
	}
	return tl_trace_group(r->in.t, part ? part->s : "", part ? part->len : 0, ret, r->in.err);
}

/* "JobName (JobID)", or the JobID alone for a step or a job without a name. */
static tl_status job_label(struct slurm *r, const struct tl_dfield *f, bool step, tl_str *ret) {
	const struct tl_dfield *id = field(r, f, S_JOBID), *jn = field(r, f, S_JOBNAME);
	if (step || !jn || !jn->len) {
		return tl_trace_intern(r->in.t, id->s, id->len, ret, r->in.err);
	}
	char buf[600];
	int w = snprintf(buf, sizeof(buf), "%.*s (%.*s)", (int)(jn->len > 400 ? 400 : jn->len),
			 jn->s, (int)(id->len > 150 ? 150 : id->len), id->s);
	return tl_trace_intern(r->in.t, buf, (size_t)w < sizeof(buf) ? (size_t)w : sizeof(buf) - 1,
			       ret, r->in.err);
}

/* Start to End (or Elapsed), and the wait from Submit; *ret_open: to the group's end. */
static tl_status job_times(struct slurm *r, const struct tl_dfield *f, tl_span *sp,
			   bool *ret_open) {
	const struct tl_dfield *end = field(r, f, S_END), *el = field(r, f, S_ELAPSED);
	const struct tl_dfield *sub = field(r, f, S_SUBMIT);
	tl_status st = date_time(r, field(r, f, S_START), "Start", &sp->start);
	*ret_open = false;
	if (st == TL_OK && end && !unknown_time(end)) {
		st = date_time(r, end, "End", &sp->stop);
	} else if (st == TL_OK) {
		tl_ns d;
		bool have = el && tl_parse_duration_text(el->s, el->len, &d) == TL_NUM_OK && d >= 0;
		*ret_open = !have;
		sp->stop = have && !__builtin_add_overflow(sp->start, d, &sp->stop) ? sp->stop
										    : sp->start;
	}
	if (st == TL_OK && sp->stop < sp->start) {
		r->backwards++;
		sp->stop = sp->start;
	}
	tl_ns submitted;
	if (st == TL_OK && sub && !unknown_time(sub)) {
		st = date_time(r, sub, "Submit", &submitted);
		sp->wait = st == TL_OK && submitted < sp->start ? sp->start - submitted : 0;
	}
	return st;
}

/* One line of fields (tl_delim_rows()): a span, or a job counted and skipped. */
static tl_status job_row(void *ctx, const struct tl_dfield *f) {
	struct slurm *r = ctx;
	const struct tl_dfield *id = field(r, f, S_JOBID);
	size_t id_len;
	bool step, several = false, open;
	if (!job_id(id, &id_len, &step)) {
		char ex[64];
		return tl_line_fail(&r->in, id->s, "JobID '%s' is not a Slurm job id",
				    tl_excerpt(id->s, id->len, ex, sizeof(ex)));
	}
	if (step && !r->in.opts->steps) {
		r->steps++;
		return TL_OK;
	}
	if (unknown_time(field(r, f, S_START))) {
		r->pending += !step;
		return TL_OK;
	}
	tl_span sp = {.job = (int64_t)++r->jobs};
	tl_status st = job_times(r, f, &sp, &open);
	char node[256] = "";
	const struct tl_dfield *nl = field(r, f, S_NODELIST);
	bool has_node = nl && first_node(nl, node, sizeof(node), &several);
	r->multi += several && !step;
	/* Older Slurm gives a job cancelled while pending its cancel time as Start and End,
	 * and no node: it never started. */
	if (st == TL_OK && nl && !has_node && !open && sp.start == sp.stop) {
		r->jobs--;
		r->pending += !step;
		return TL_OK;
	}
	if (st == TL_OK && has_node) {
		st = tl_trace_intern(r->in.t, node, strlen(node), &sp.worker, r->in.err);
	}
	if (st == TL_OK) {
		st = job_group(r, f, has_node ? node : "", step, id_len, &sp.group);
	}
	if (st == TL_OK) {
		st = job_label(r, f, step, &sp.label);
	}
	if (st != TL_OK) {
		return tl_error_locate(r->in.err, st, r->in.name, r->in.line, 1);
	}
	sp.status = job_status(field(r, f, S_STATE), field(r, f, S_EXITCODE), open);
	r->nopen += open;
	if (!step) {
		r->job_id = id->s;
		r->job_id_len = id_len;
		r->job_group = sp.group;
	}
	st = tl_trace_add_span(r->in.t, &sp, r->in.err);
	return tl_error_locate(r->in.err, st, r->in.name, r->in.line, 1);
}

/* Stretch the spans with no End and no Elapsed to the end of their group. */
static tl_status close_open(struct slurm *r) {
	return r->nopen && tl_trace_close_unfinished(r->in.t, r->in.err) == SIZE_MAX ? TL_ERR_NOMEM
										     : TL_OK;
}

/* Notes, the origin, and what the groups are: after every line is read. */
static tl_status finish(struct slurm *r) {
	tl_status st = close_open(r);
	if (st == TL_OK && r->pending) {
		st = tl_io_note(r->in.t, r->in.err, "slurm.pending",
				"%zu job%s that never started (pending, or cancelled while "
				"pending): not drawn",
				r->pending, r->pending == 1 ? "" : "s");
	}
	if (st == TL_OK && r->steps) {
		st = tl_io_note(r->in.t, r->in.err, "slurm.steps",
				"%zu job step%s (123.batch, 123.0) not drawn: --slurm-steps draws "
				"them",
				r->steps, r->steps == 1 ? "" : "s");
	}
	if (st == TL_OK && r->multi) {
		st = tl_io_note(r->in.t, r->in.err, "slurm.nodes",
				"%zu job%s ran on several nodes: each is drawn on its first node",
				r->multi, r->multi == 1 ? "" : "s");
	}
	if (st == TL_OK && r->backwards) {
		st = tl_io_note(r->in.t, r->in.err, "slurm.backwards",
				"%zu job%s end before they start: drawn with no length",
				r->backwards, r->backwards == 1 ? "" : "s");
	}
	return st == TL_OK ? tl_delim_finish(r->in.t, r->in.opts, r->col[S_SUBMIT] >= 0, r->naive,
					     r->in.err)
			   : st;
}

/* The header (or --fields), and the delimiter; *p moves past the header. */
static tl_status header(struct slurm *r, const char **p, const char *end) {
	struct tl_dfield f[TL_DELIM_MAX_FIELDS];
	const char *next, *lend = tl_delim_line(*p, end, &next);
	if (r->in.opts->fields) {
		size_t n = given_fields(r, f);
		if (n > TL_DELIM_MAX_FIELDS) {
			return tl_line_fail(&r->in, *p, "--fields: more than %d fields",
					    TL_DELIM_MAX_FIELDS);
		}
		tl_status st = map_fields(r, f, n, *p);
		if (st == TL_OK && !data_delim(r, *p, lend)) {
			st = tl_line_fail(
				&r->in, *p,
				"the line does not split into the %zu fields --fields names at "
				"'|' or any other one character",
				n);
		}
		/* The header, though --fields says the fields: skipped. */
		struct tl_dfield h[TL_DELIM_MAX_FIELDS];
		if (st == TL_OK && tl_delim_split(*p, lend, r->log.delim, r->log.dlen, h, n) == n &&
		    header_like(h, n)) {
			*p = next;
			r->in.line++;
		}
		return st;
	}
	size_t n = 1;
	if (tl_delim_sniff(*p, lend, is_name, &r->log.delim, &r->log.dlen)) {
		n = tl_delim_split(*p, lend, r->log.delim, r->log.dlen, f, TL_DELIM_MAX_FIELDS);
		n -= n > 1 && n <= TL_DELIM_MAX_FIELDS && !f[n - 1].len; /* --parsable */
	} else {
		f[0] = (struct tl_dfield){*p, (size_t)(lend - *p)};
	}
	if (n > TL_DELIM_MAX_FIELDS || !header_like(f, n < TL_DELIM_MAX_FIELDS ? n : 0)) {
		return tl_line_fail(
			&r->in, *p,
			"no sacct header (JobID|...): for sacct --noheader output, give the "
			"fields as --format had them with --fields JobID,Start,End,...");
	}
	tl_status st = map_fields(r, f, n, *p);
	*p = next;
	r->in.line++;
	return st;
}

/* Past the blank lines and '#' comments people put before the header, from *p. */
static void skip_comments(struct slurm *r, const char *data, const char **p, const char *end) {
	const char *next;
	while (*p < end && (tl_delim_line(*p, end, &next) == *p || **p == '#')) {
		*p = next;
		r->in.line++;
	}
	r->in.line_start = *p;
	if (*p == end) {
		/* Comments alone: no line to point at but the first. */
		r->in.line = 1;
		r->in.line_start = data;
		*p = data;
	}
}

tl_status tl_slurm_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err) {
	struct slurm r = {.log = {.delim = "|", .dlen = 1, .comments = true, .parsable = true}};
	tl_status st = tl_line_reader_start(&r.in, data, len, name, opts, err);
	const char *p = data + tl_bom_len(data, len);
	size_t n = 0;
	if (st == TL_OK) {
		skip_comments(&r, data, &p, data + len);
		st = header(&r, &p, data + len);
	}
	if (st == TL_OK) {
		st = tl_delim_rows(&r.in, &r.log, p, data + len, job_row, &r, &n);
	}
	if (st == TL_OK && n == 0) {
		st = tl_io_fail(err, r.in.name, 1, data, data, "no jobs after the sacct header");
	}
	if (st == TL_OK) {
		st = finish(&r);
	}
	return tl_line_reader_end(&r.in, st, ret_trace);
}
