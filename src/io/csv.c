/*
 * CSV reader (docs/csv-format.md is the user's description).
 *
 * The reader works on the whole file in memory in one pass: RFC 4180 fields
 * (quotes, doubled quotes, newlines inside quotes), CRLF or LF or CR line ends,
 * a UTF-8 byte order mark, '#' comment lines ("# key: value" become metadata)
 * and blank lines. Columns are matched by name through an alias table; time
 * columns take their unit from a suffix (_s, _ms, _us, _ns). Numbers are
 * parsed by scan.c straight to nanoseconds. Strings are interned through a
 * one-entry cache per column, because consecutive rows nearly always repeat
 * the group and worker. Every rejection names file, line and column, and no
 * trace escapes a failed read.
 *
 * This file turns a record into a span or a sample and finishes the trace
 * after the last row (jobs given as text numbered, unfinished spans
 * closed, the reader's notes). csv_record.c reads records, csv_header.c the
 * header and units, csv_time.c the values of time columns, csv_read.c
 * drives the reading of the rows (on several threads for a large table),
 * and csv_write.c writes the native schema back. This file is somewhat past
 * the usual length on purpose: a row's way from its fields to the trace
 * (kind, group, job, times, status, the jobs numbered later) is one sequence
 * of steps over one reader's state, best read in one place.
 */

#include <timeline/io.h>

#include "../model/model.h"
#include "columns.h"
#include "jobnames.h"
#include "csv.h"
#include "csv_impl.h"
#include "scan.h"
#include "timetext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Parse a time field of role's column; what_role names it in messages. */
static inline __attribute__((always_inline)) tl_status
parse_time(struct csv *r, const struct field *f, enum col_role role, enum col_role what_role,
	   tl_ns *ret) {
	if (r->tk[role] == TK_NUMBER && (r->guessed || !r->bare[role]) && r->mult[role] == 1 &&
	    tl_parse_time_plain(f->s, f->len, r->scale[role], ret)) {
		return TL_OK;
	}
	/* Exponents, blanks, units, dates: read in full there. */
	return csv_parse_time_slow(r, f, role, what_role, ret);
}

/* Intern a string column's value, reusing the previous row's id when equal. */
static tl_status column_str(struct csv *r, enum col_role role, tl_str *ret_id) {
	int c = r->col[role];
	if (c < 0 || r->f[c].len == 0) {
		*ret_id = TL_STR_NONE;
		return TL_OK;
	}
	const struct field *f = &r->f[c];
	const char *s;
	size_t len;
	csv_field_text(r, f, &s, &len);
	struct strcache *k = &r->cache[role];
	if (k->s && k->len == len && memcmp(k->s, s, len) == 0) {
		*ret_id = k->id;
		return TL_OK;
	}
	size_t bad = tl_utf8_check(s, len);
	if (bad != len) {
		/* Point at the bad byte when the field is raw bytes of the line. */
		if (!f->escaped) {
			return csv_fail_at(r, f->s + bad, "invalid UTF-8");
		}
		return csv_fail_at(r, FIELD_POS(f), "invalid UTF-8");
	}
	tl_status st = tl_trace_intern(r->trace, s, len, ret_id, r->err);
	if (st != TL_OK) {
		return st;
	}
	k->id = *ret_id;
	k->s = tl_trace_str(r->trace, *ret_id);
	k->len = len;
	return TL_OK;
}

/* Job counters for every group of the trace; both share one capacity, doubled. */
tl_status csv_job_counters(struct csv *r) {
	size_t ng = tl_trace_group_count(r->trace);
	if (ng <= r->njobctr) {
		return TL_OK;
	}
	size_t cap = r->njobctr;
	if (!tl_grow((void **)&r->next_job, &cap, ng, sizeof(*r->next_job))) {
		return csv_nomem(r);
	}
	for (size_t g = r->njobctr; g < cap; g++) {
		r->next_job[g] = 0;
	}
	r->njobctr = cap;
	return TL_OK;
}

static tl_status row_group(struct csv *r, uint32_t *ret_group) {
	tl_str id;
	tl_status st = column_str(r, R_GROUP, &id);
	if (st != TL_OK) {
		return st;
	}
	if (r->group_valid && r->group_str == id) {
		*ret_group = r->group_idx;
		return TL_OK;
	}
	const char *name = tl_trace_str(r->trace, id);
	st = tl_trace_group(r->trace, name, strlen(name), ret_group, r->err);
	if (st != TL_OK) {
		return st;
	}
	/* A group per row is common: csv_job_counters() doubles. */
	st = csv_job_counters(r);
	if (st != TL_OK) {
		return st;
	}
	r->group_str = id;
	r->group_idx = *ret_group;
	r->group_valid = true;
	return TL_OK;
}

/* s (len bytes) equals the lower-case ASCII word w, ignoring case. */
static bool word_ci(const char *s, size_t len, const char *w) {
	size_t i = 0;
	for (; i < len && w[i]; i++) {
		if ((s[i] | 0x20) != w[i]) {
			return false;
		}
	}
	return i == len && !w[i];
}

/* A row that cannot be drawn for want of a start (or a time): counted, and skipped. */
/* role: the column whose value is missing; what names it. */
static tl_status skip_row(struct csv *r, enum col_role role, const char *what) {
	if (r->strict) {
		int c = r->col[role];
		return csv_fail_at(r, FIELD_POS(&r->f[c >= 0 ? c : 0]), "missing %s", what);
	}
	if (!r->skipped++) {
		r->skipped_line = r->rec_line;
		r->skipped_what = what;
	}
	return TL_OK;
}

/* The row's kind: 0 span, 1 sample, 2 a group declaration (done), -1 error. */
static int row_kind(struct csv *r, tl_status *st) {
	const struct field *kf = get(r, R_KIND);
	if (!kf) {
		bool spans = r->col[R_START] >= 0 || r->back;
		return !spans || (!get_time(r, R_START) && get_time(r, R_TIME)) ? 1 : 0;
	}
	const char *s;
	size_t len;
	csv_field_text(r, kf, &s, &len);
	if (word_ci(s, len, "span")) {
		return 0;
	}
	if (word_ci(s, len, "sample")) {
		return 1;
	}
	if (word_ci(s, len, "group")) {
		/* A declaration: the group exists, at this place in the order, rows or not. */
		uint32_t group;
		*st = row_group(r, &group);
		return *st == TL_OK ? 2 : -1;
	}
	char ex[64];
	*st = csv_fail_at(r, FIELD_POS(kf), "unknown kind '%s': expected span, sample or group",
			  tl_excerpt(s, len, ex, sizeof(ex)));
	return -1;
}

/* The row's job: a number, or text numbered per group (which also labels the span). */
static tl_status row_job(struct csv *r, uint32_t group, bool *has_job, int64_t *job, tl_str *label,
			 bool *named) {
	const struct field *jf = get(r, R_JOB);
	*has_job = false;
	*named = false;
	if (!jf || csv_missing_word(jf->s, jf->len)) {
		return TL_OK;
	}
	*has_job = true;
	if (tl_parse_int(jf->s, jf->len, job) == TL_NUM_OK) {
		return TL_OK;
	}
	*named = true;
	tl_str name;
	tl_status st = column_str(r, R_JOB, &name);
	if (st == TL_OK) {
		st = tl_jobnames_number(&r->names, group, name, job) ? TL_OK : csv_nomem(r);
	}
	*label = name;
	return st;
}

static tl_status stop_before_start(struct csv *r, const struct field *ef, const struct field *sf) {
	char a[64], b[64];
	const char *s1, *s2;
	size_t l1, l2;
	csv_field_text(r, ef, &s1, &l1);
	csv_field_text(r, sf, &s2, &l2);
	return csv_fail_at(r, FIELD_POS(ef), "stop time '%s' is before start time '%s'",
			   tl_excerpt(s1, l1, a, sizeof(a)), tl_excerpt(s2, l2, b, sizeof(b)));
}

/* start + duration, or stop - duration with back: the span's other end. */
static tl_status apply_duration(struct csv *r, const struct field *df, tl_span *sp) {
	tl_ns d;
	tl_status st = parse_time(r, df, R_DUR, R_DUR, &d);
	if (st != TL_OK) {
		return st;
	}
	char a[64];
	const char *s1;
	size_t l1;
	csv_field_text(r, df, &s1, &l1);
	if (d < 0) {
		return csv_fail_at(r, FIELD_POS(df), "duration '%s' is negative",
				   tl_excerpt(s1, l1, a, sizeof(a)));
	}
	bool over =
		r->back ? __builtin_sub_overflow(sp->stop, d, &sp->start) ||
				  sp->start < -TL_TIME_MAX
			: __builtin_add_overflow(sp->start, d, &sp->stop) || sp->stop > TL_TIME_MAX;
	if (over) {
		return csv_fail_at(r, FIELD_POS(df), "%s time %s duration '%s' is out of range",
				   r->back ? "stop" : "start", r->back ? "minus" : "plus",
				   tl_excerpt(s1, l1, a, sizeof(a)));
	}
	return TL_OK;
}

/* A span with no stop: it lasts to the end of its group, known once every row is read. */
static tl_status mark_unfinished(struct csv *r, tl_span *sp) {
	if (r->strict) {
		int c = r->col[R_STOP] >= 0 ? r->col[R_STOP] : r->col[R_DUR];
		return csv_fail_at(r, FIELD_POS(&r->f[c]), "missing stop time");
	}
	r->nunfinished++;
	sp->stop = sp->start;
	sp->status = TL_EXIT_UNFINISHED;
	return TL_OK;
}

/* The span's start and stop (from a stop, a duration, or neither: unfinished). */
static tl_status span_times(struct csv *r, tl_span *sp, bool *ret_skip) {
	const struct field *sf = get_time(r, R_START);
	const struct field *ef = get_time(r, R_STOP);
	const struct field *df = get_time(r, R_DUR);
	tl_status st;
	*ret_skip = false;
	if (r->back) {
		if (!ef || !df) {
			*ret_skip = true;
			return skip_row(r, ef ? R_DUR : R_STOP, ef ? "duration" : "stop time");
		}
		st = parse_time(r, ef, R_STOP, R_STOP, &sp->stop);
		return st != TL_OK ? st : apply_duration(r, df, sp);
	}
	if (!sf) {
		*ret_skip = true;
		return skip_row(r, R_START, "start time");
	}
	st = parse_time(r, sf, R_START, R_START, &sp->start);
	if (st != TL_OK) {
		return st;
	}
	/* Times of day: a start half a day before the previous one is likely the next day. */
	if (r->tk[R_START] == TK_TOD) {
		if (r->tod_seen && sp->start < r->tod_prev - (tl_ns)43200 * 1000000000 &&
		    !r->tod_back_line) {
			r->tod_back_line = r->rec_line;
		}
		r->tod_prev = sp->start;
		r->tod_seen = true;
	}
	if (ef) {
		st = parse_time(r, ef, R_STOP, R_STOP, &sp->stop);
		if (st != TL_OK) {
			return st;
		}
		/* Times of day: a stop before its start is on the next day. */
		if (sp->stop < sp->start && r->tk[R_STOP] == TK_TOD && r->tk[R_START] == TK_TOD) {
			sp->stop += (tl_ns)86400 * 1000000000;
			r->next_day++;
		}
		return sp->stop < sp->start ? stop_before_start(r, ef, sf) : TL_OK;
	}
	if (df) {
		return apply_duration(r, df, sp);
	}
	if (r->col[R_STOP] < 0 && r->col[R_DUR] < 0) {
		return csv_fail_at(r, FIELD_POS(sf),
				   "span has a start time but the header has no stop or duration "
				   "column");
	}
	return mark_unfinished(r, sp);
}

/* The queue wait column's value (a duration, not negative); none when empty. */
static tl_status span_wait(struct csv *r, tl_span *sp) {
	const struct field *wf = get_time(r, R_WAIT);
	if (!wf) {
		return TL_OK;
	}
	tl_status st = parse_time(r, wf, R_WAIT, R_WAIT, &sp->wait);
	if (st == TL_OK && sp->wait < 0) {
		char a[64];
		const char *s;
		size_t l;
		csv_field_text(r, wf, &s, &l);
		return csv_fail_at(r, FIELD_POS(wf), "wait '%s' is negative",
				   tl_excerpt(s, l, a, sizeof(a)));
	}
	return st;
}

static tl_status span_status(struct csv *r, tl_span *sp) {
	const struct field *xf = get(r, R_STATUS);
	if (!xf || sp->status == TL_EXIT_UNFINISHED) {
		return TL_OK;
	}
	const char *s;
	size_t len;
	csv_field_text(r, xf, &s, &len);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
		len--;
	}
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	/* pandas writes a missing exit code as NaN (and the others as 0.0). */
	if (csv_missing_word(s, len)) {
		return TL_OK;
	}
	if (!tl_exit_status_from_string(s, len, &sp->status)) {
		char ex[64];
		tl_excerpt(s, len, ex, sizeof(ex));
		if (r->strict) {
			return csv_fail_at(
				r, FIELD_POS(xf),
				"unknown status '%s': expected an exit code, ok, failed, "
				"timeout or a signal name",
				ex);
		}
		/* A column named like a status may hold something else (a US state). */
		if (!r->odd_status++) {
			r->odd_status_line = r->rec_line;
			snprintf(r->odd_status_text, sizeof(r->odd_status_text), "%s", ex);
		}
	}
	return TL_OK;
}

static tl_status row_sample(struct csv *r, uint32_t group, tl_str worker, bool has_job, int64_t job,
			    bool later) {
	const struct field *tf = get_time(r, R_TIME);
	enum col_role trole = R_TIME;
	if (!tf) {
		tf = get_time(r, R_START);
		trole = R_START;
	}
	if (!tf) {
		return skip_row(r, r->col[R_TIME] >= 0 ? R_TIME : R_START, "time");
	}
	tl_sample sa = {.group = group, .worker = worker, .job = has_job ? job : 0};
	tl_status st = parse_time(r, tf, trole, R_TIME, &sa.t);
	/* A sample whose job is numbered later is kept, even when the others are not. */
	return st != TL_OK ? st
	       : later     ? tl_trace_add_sample_kept(r->trace, &sa, r->err)
			   : tl_trace_add_sample(r->trace, &sa, r->err);
}

/* How many samples, or spans, the trace has. */
static size_t count_of(struct csv *r, bool samples) {
	size_t n;
	if (samples) {
		return tl_trace_sample_count(r->trace);
	}
	tl_trace_spans(r->trace, &n);
	return n;
}

/* Rows of that kind read so far: samples kept and those counted in their tracks only. */
size_t csv_rows_read(struct csv *r, bool samples) {
	return count_of(r, samples) + (samples ? tl_trace_summarized(r->trace) : 0);
}

/*
 * A span or sample (index i) whose job the job column does not give as a
 * number: a name (numbered n among its group's names) or nothing. If the
 * row was skipped, nothing was added and nothing is kept.
 */
static tl_status later_job(struct csv *r, size_t i, bool sample, bool named, int64_t n) {
	size_t now = count_of(r, sample);
	if (now == i) {
		return TL_OK;
	}
	if (!tl_grow((void **)&r->later, &r->later_cap, r->nlater + 1, sizeof(*r->later))) {
		return csv_nomem(r);
	}
	r->later[r->nlater++] = (struct later){i, n, sample, named};
	return TL_OK;
}

tl_status csv_row(struct csv *r, size_t n) {
	if (n != r->ncols) {
		if (n > r->ncols) {
			return csv_fail_at(r, FIELD_POS(&r->f[r->ncols]),
					   "row has %zu fields, the header has %zu", n, r->ncols);
		}
		return csv_fail_at(r, r->rec_end, "row has %zu field%s, the header has %zu", n,
				   n == 1 ? "" : "s", r->ncols);
	}
	tl_status st = TL_OK;
	int kind = row_kind(r, &st);
	if (kind < 0 || kind == 2) {
		return st;
	}
	uint32_t group;
	st = row_group(r, &group);
	if (st != TL_OK) {
		return st;
	}
	tl_str worker, label = TL_STR_NONE;
	st = column_str(r, R_WORKER, &worker);
	if (st != TL_OK) {
		return st;
	}
	bool has_job, named;
	int64_t job = 0;
	st = row_job(r, group, &has_job, &job, &label, &named);
	if (st != TL_OK) {
		return st;
	}
	/* Jobs the column does not number: numbered once every number in it is known. */
	bool later = r->col[R_JOB] >= 0 && (named || !has_job);
	size_t before = later ? count_of(r, kind == 1) : 0;
	if (kind == 1) {
		st = row_sample(r, group, worker, has_job, job, later);
		return st == TL_OK && later ? later_job(r, before, true, named, job) : st;
	}
	tl_span sp = {.group = group, .worker = worker, .label = label};
	bool skip;
	st = span_times(r, &sp, &skip);
	if (st != TL_OK || skip) {
		return st;
	}
	st = span_status(r, &sp);
	if (st == TL_OK) {
		st = span_wait(r, &sp);
	}
	if (st != TL_OK) {
		return st;
	}
	if (r->col[R_LABEL] >= 0 && r->f[r->col[R_LABEL]].len) {
		st = column_str(r, R_LABEL, &sp.label);
		if (st != TL_OK) {
			return st;
		}
	}
	/* A span with no job is numbered by its row within the group, as pandas' index would. */
	int64_t row_no = r->next_job[group]++;
	sp.job = has_job ? job : row_no;
	st = tl_trace_add_span(r->trace, &sp, r->err);
	return st == TL_OK && later ? later_job(r, before, false, named, job) : st;
}

tl_status tl_csv_read(const char *data, size_t len, const char *name, tl_unit unit,
		      tl_trace **ret_trace, struct tl_error *err) {
	tl_read_opts o = {.format = TL_FORMAT_CSV, .unit = unit};
	return tl_csv_read_mapped(data, len, name, &o, false, ret_trace, err);
}

/* The bytes looked at for a NUL before the header is read: the header's, almost always. */
#define NUL_HEAD ((size_t)1 << 20)

/*
 * Jobs given as names, or not given, in a column that numbers others come
 * after the group's numbered jobs, so that none takes a number in use: the
 * names in order of first appearance, then the rows with no job.
 */
static tl_status finish_jobs(struct csv *r) {
	if (!r->nlater) {
		return TL_OK;
	}
	size_t ng = tl_trace_group_count(r->trace), nsp, nsa;
	tl_span *sp = tl_trace_spans_mut(r->trace, &nsp);
	const uint32_t *tr = tl_trace_sample_tracks(r->trace, &nsa);
	const tl_track *tk = tl_trace_tracks(r->trace, &(size_t){0});
	int64_t *base = calloc(ng ? ng : 1, sizeof(*base));
	int64_t *unnamed = calloc(ng ? ng : 1, sizeof(*unnamed));
	bool *spx = calloc(nsp ? nsp : 1, sizeof(*spx)), *sax = calloc(nsa ? nsa : 1, sizeof(*sax));
	if (!base || !unnamed || !spx || !sax) {
		free(base);
		free(unnamed);
		free(spx);
		free(sax);
		return csv_nomem(r);
	}
	for (size_t k = 0; k < r->nlater; k++) {
		(r->later[k].sample ? sax : spx)[r->later[k].index] = true;
	}
	for (size_t i = 0; i < nsp; i++) {
		if (!spx[i] && sp[i].job >= base[sp[i].group] && sp[i].job < INT64_MAX) {
			base[sp[i].group] = sp[i].job + 1;
		}
	}
	for (size_t i = 0; i < nsa; i++) {
		const tl_track *x = &tk[tr[i]];
		if (!sax[i] && x->job >= base[x->group] && x->job < INT64_MAX) {
			base[x->group] = x->job + 1;
		}
	}
	/* Samples counted in their tracks only (never numbered later: those are kept). */
	size_t ntk;
	tl_trace_tracks(r->trace, &ntk);
	for (size_t k = 0; k < ntk; k++) {
		const tl_track *x = &tk[k];
		if (tl_trace_track_summarized(r->trace, k) && x->job >= base[x->group] &&
		    x->job < INT64_MAX) {
			base[x->group] = x->job + 1;
		}
	}
	tl_status st = TL_OK;
	bool moved = false;
	for (size_t k = 0; k < r->nlater && st == TL_OK; k++) {
		const struct later *l = &r->later[k];
		uint32_t g =
			l->sample ? tl_trace_sample(r->trace, l->index).group : sp[l->index].group;
		int64_t job,
			off = l->named ? l->name
				       : (int64_t)tl_jobnames_count(&r->names, g) + unnamed[g]++;
		if (__builtin_add_overflow(base[g], off, &job)) {
			continue; /* numbers near INT64_MAX: the row keeps its own */
		}
		if (l->sample) {
			st = tl_trace_set_sample_job(r->trace, l->index, job, r->err);
			moved = true;
		} else {
			sp[l->index].job = job;
		}
	}
	if (moved) {
		tl_trace_recount_tracks(r->trace);
	}
	free(base);
	free(unnamed);
	free(spx);
	free(sax);
	return st;
}

/* Every span without a stop lasts to the end of its group: its latest time. */
static tl_status finish_unfinished(struct csv *r) {
	if (!r->nunfinished) {
		return TL_OK;
	}
	if (tl_trace_close_unfinished(r->trace, r->err) == SIZE_MAX) {
		return TL_ERR_NOMEM;
	}
	char v[160];
	snprintf(v, sizeof(v), "%zu span%s with no stop (unfinished) drawn to the end of %s group",
		 r->nunfinished, r->nunfinished == 1 ? "" : "s",
		 r->nunfinished == 1 ? "its" : "their");
	return tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "unfinished", v, r->err);
}

/* Notes for people: what was guessed and what was skipped. */
static tl_status reader_notes(struct csv *r) {
	char v[200];
	tl_status st = TL_OK;
	if (r->guess_scale != 9) {
		const char *unit = r->guess_scale == 6   ? "milliseconds"
				   : r->guess_scale == 3 ? "microseconds"
							 : "nanoseconds";
		if (r->guess_epoch) {
			snprintf(v, sizeof(v),
				 "bare times read as %s since 1970 (%s is too large for "
				 "seconds); --time-unit says otherwise",
				 unit, r->guess_example);
		} else {
			snprintf(v, sizeof(v),
				 "bare times read as a clock's nanoseconds (%s is too large for "
				 "seconds and no epoch time); --time-unit says otherwise",
				 r->guess_example);
		}
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "unit", v, r->err);
	}
	if (st == TL_OK && r->next_day) {
		snprintf(v, sizeof(v),
			 "%zu span%s end%s on the next day (a time of day before the start); a "
			 "start after midnight stays on the first day",
			 r->next_day, r->next_day == 1 ? "" : "s", r->next_day == 1 ? "s" : "");
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "next_day", v, r->err);
	}
	if (st == TL_OK && r->tod_back_line) {
		snprintf(v, sizeof(v),
			 "line %ld starts half a day before the line above: times of day are read "
			 "within one day, so a log across midnight draws the next day's jobs first",
			 r->tod_back_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "midnight", v, r->err);
	}
	if (st == TL_OK && r->odd_status) {
		snprintf(v, sizeof(v),
			 "%zu status%s read as success: '%s' (line %ld) is no exit code, signal or "
			 "state word; --columns status= ignores the column",
			 r->odd_status, r->odd_status == 1 ? "" : "es", r->odd_status_text,
			 r->odd_status_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "status", v, r->err);
	}
	if (st == TL_OK && r->skipped) {
		snprintf(v, sizeof(v), "%zu row%s with no %s skipped (the first on line %ld)",
			 r->skipped, r->skipped == 1 ? "" : "s", r->skipped_what, r->skipped_line);
		st = tl_trace_meta_set(r->trace, TL_META_NOTE_PREFIX "skipped", v, r->err);
	}
	return st;
}

/* Read the header (or, with --columns positions, the first data row) and set up columns. */
static tl_status start_table(struct csv *r, const tl_read_opts *opts, const struct col_spec *spec) {
	size_t n;
	const char *header_from = r->p;
	int rc = csv_read_record(r, &n);
	if (rc < 0) {
		return r->err ? r->err->code : TL_ERR_INPUT;
	}
	if (rc == 0) {
		return csv_fail(r, r->line, r->line_start, r->p, "empty file: no header row");
	}
	tl_status st = csv_ensure_scratch(r, header_from);
	if (st == TL_OK) {
		st = csv_parse_header(r, n, opts, spec);
	}
	if (st == TL_OK && r->headerless) {
		st = csv_row(r, n);
		if (st != TL_OK) {
			tl_error_locate(r->err, st, r->name, r->rec_line, 1);
		}
	}
	return st;
}

tl_status tl_csv_read_mapped(const char *data, size_t len, const char *name,
			     const tl_read_opts *opts, bool drop_behind, tl_trace **ret_trace,
			     struct tl_error *err) {
	struct csv r = {
		.name = name ? name : "-",
		.data = data,
		.p = data,
		.end = data + len,
		.line = 1,
		.line_start = data,
		.err = err,
		.strict = opts->strict,
		.guess_scale = 9,
	};
	struct col_spec *spec = NULL;
	tl_status st = TL_OK;
	r.trace = tl_io_trace_new(opts);
	if (!r.trace) {
		st = csv_nomem(&r);
		goto out;
	}
	if (opts->columns) {
		st = col_spec_parse(opts->columns, &spec, err);
		if (st != TL_OK) {
			goto out;
		}
	}
	/* NUL bytes: in the header here, in the rows as csv_read_rows() counts them. */
	r.checked = data + (len < NUL_HEAD ? len : NUL_HEAD);
	st = tl_check_text(data, (size_t)(r.checked - data), r.name, err);
	if (st != TL_OK) {
		goto out;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		r.p += 3;
		r.line_start = r.p;
	}
	r.sep = csv_sniff_separator(r.p, r.end);
	r.blanks = r.sep == ' ';
	r.fend = csv_field_ends(r.sep);
	st = start_table(&r, opts, spec);
	if (st == TL_OK && opts->tracks_only && !tl_trace_meta_get(r.trace, TL_META_BENCHMARK)) {
		/* Measuring alone: each sample counted in its track, not kept. */
		tl_trace_keep_tracks_only(r.trace);
	}
	if (st == TL_OK) {
		st = csv_read_rows(&r, data, drop_behind);
	}
	/*
	 * A header and no rows is an empty trace, as pandas reads it: a run
	 * interrupted before any job completed writes exactly that, and its
	 * metadata still says what happened. Drawing it is what fails.
	 */
	if (st == TL_OK) {
		st = finish_jobs(&r);
	}
	if (st == TL_OK) {
		st = finish_unfinished(&r);
	}
	if (st == TL_OK) {
		st = reader_notes(&r);
	}
	if (st == TL_OK) {
		/* The native form (it has a kind column) reads back exactly as written. */
		tl_time_align align = opts->align;
		if (align == TL_TIMES_AUTO && r.col[R_KIND] >= 0) {
			align = TL_TIMES_ABSOLUTE;
		}
		enum tl_io_clock clock =
			r.absolute || r.guess_epoch                         ? TL_CLOCK_EPOCH
			: r.tk[R_START] == TK_TOD || r.tk[R_TIME] == TK_TOD ? TL_CLOCK_TIME_OF_DAY
			: r.guess_scale != 9 && !r.guess_epoch              ? TL_CLOCK_OTHER
							       : TL_CLOCK_EPOCH_IF_LARGE;
		st = tl_io_place_times(r.trace, clock, align, err);
	}
	if (st == TL_OK && r.naive) {
		st = tl_trace_meta_set(r.trace, TL_META_LOCAL_TIME, "1", err);
	}
	if (st == TL_OK && r.col[R_WAIT] >= 0) {
		st = tl_trace_meta_set(r.trace, TL_META_QUEUED, "1", err);
	}
	if (st != TL_OK) {
		goto out;
	}
	*ret_trace = r.trace;
	r.trace = NULL;
out:
	col_spec_free(spec);
	tl_trace_free(r.trace);
	free(r.f);
	free(r.scratch);
	free(r.next_job);
	tl_jobnames_free(&r.names);
	free(r.later);
	return st;
}
