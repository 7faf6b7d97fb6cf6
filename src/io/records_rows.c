/*
 * JSON records, each to a span or a sample (records.c cut the text into
 * records and matched their names to roles): the values of its fields read
 * from the record's text, as the CSV reader reads a row's fields. Numbers
 * keep their digits (never a double), strings are decoded only when they
 * hold escapes, and a time column's values keep the kind its first value
 * had (numbers, date-times, times of day, durations).
 */

#include "records_impl.h"

#include "jsonl.h"
#include "scan.h"
#include "timetext.h"

#include "../model/model.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const role_what[R_COUNT] = {
	[R_START] = "start time", [R_STOP] = "stop time", [R_DUR] = "duration",
	[R_TIME] = "time",        [R_GROUP] = "group",    [R_JOB] = "job",
	[R_WORKER] = "worker",    [R_STATUS] = "status",  [R_LABEL] = "label",
	[R_KIND] = "kind",        [R_WAIT] = "wait",
};

/* What the value [v, ve) is; strings decoded (their escapes undone). */
static tl_status classify(struct reader *r, const char *v, const char *ve, struct val *out) {
	*out = (struct val){.at = v, .s = v, .len = (size_t)(ve - v)};
	switch (*v) {
	case '"':
		out->kind = V_STR;
		out->s = v + 1;
		out->len = (size_t)(ve - v - 2);
		if (memchr(out->s, '\\', out->len)) {
			cJSON *j = cJSON_ParseWithLength(v, (size_t)(ve - v));
			if (!cJSON_IsString(j) || !(out->owned = strdup(j->valuestring))) {
				cJSON_Delete(j);
				return j ? rec_nomem(r) : rec_fail(r, v, "invalid JSON string");
			}
			cJSON_Delete(j);
			out->s = out->owned;
			out->len = strlen(out->owned);
		}
		if (tl_utf8_check(out->s, out->len) != out->len) {
			return rec_fail(r, v, "invalid UTF-8");
		}
		return TL_OK;
	case 'n':
	case 't':
	case 'f': {
		size_t n = (size_t)(ve - v);
		bool null = n == 4 && memcmp(v, "null", 4) == 0;
		if (!null && !(n == 4 && memcmp(v, "true", 4) == 0) &&
		    !(n == 5 && memcmp(v, "false", 5) == 0)) {
			return rec_fail(r, v, "invalid JSON value");
		}
		out->kind = null ? V_NULL : V_BOOL;
		return TL_OK;
	}
	case '{':
	case '[':
		out->kind = V_NEST;
		return TL_OK;
	default:
		/* A JSON number starts with '-' or a digit; anything else is no value at all. */
		if (*v != '-' && (*v < '0' || *v > '9')) {
			return rec_fail(r, v, "invalid JSON value");
		}
		out->kind = V_NUM;
		return TL_OK;
	}
}

/* The values of every role's field in record rc (V_NONE where it has none). */
static tl_status fields(struct reader *r, const struct rec *rc, struct val *vals) {
	struct tl_json_members m;
	const char *k, *v, *ve;
	size_t kl;
	tl_status st = TL_OK;
	tl_json_members_of(rc->s, rc->e, &m);
	while (st == TL_OK && tl_json_next_member(&m, &k, &kl, &v, &ve)) {
		for (int role = 1; role < R_COUNT && st == TL_OK; role++) {
			int c = r->map.col[role];
			if (c >= 0 && !r->path[c] && vals[role].kind == V_NONE &&
			    r->klen[c] == kl && memcmp(r->keys[c], k, kl) == 0) {
				st = classify(r, v, ve, &vals[role]);
			}
		}
	}
	for (int role = 1; role < R_COUNT && st == TL_OK; role++) {
		int c = r->map.col[role];
		if (c >= 0 && r->path[c] && tl_json_walk(rc->s, rc->e, r->keys[c], &v, &ve)) {
			st = classify(r, v, ve, &vals[role]);
		}
	}
	return st;
}

/* The first bare number of a time decides the unit of bare numbers by its size (as CSV). */
static void guess_unit(struct reader *r, const char *s, size_t len) {
	r->guessed = true;
	tl_columns_guess_unit(s, len, r->bare, r->scale, &r->guess_epoch, &r->guess_scale,
			      r->guess_example, sizeof(r->guess_example));
}

static const char *tkind_name(enum tkind k) {
	return k == TK_NUMBER     ? "numbers"
	       : k == TK_DATETIME ? "dates and times"
	       : k == TK_TOD      ? "times of day"
				  : "durations";
}

/* A number in role's unit (and its multiple: minutes, hours, days). */
static tl_num scaled(struct reader *r, const char *s, size_t len, enum col_role role, tl_ns *ret) {
	if (!r->guessed && r->bare[role] && role != R_DUR && role != R_WAIT) {
		guess_unit(r, s, len);
	}
	tl_num rc = tl_parse_time(s, len, r->scale[role], ret);
	if (rc == TL_NUM_OK && r->map.mult[role] > 1) {
		rc = tl_parse_decimal(s, len, r->scale[role], ret);
		if (rc == TL_NUM_OK && (__builtin_mul_overflow(*ret, r->map.mult[role], ret) ||
					*ret > TL_TIME_MAX || *ret < -TL_TIME_MAX)) {
			rc = TL_NUM_RANGE;
		}
	}
	return rc;
}

/* Text that is a time: a date-time, a time of day or a duration; its kind in *ret_kind. */
static tl_num time_text(const char *s, size_t len, enum col_role role, tl_ns *ret,
			enum tkind *ret_kind) {
	tl_num rc;
	if (role == R_DUR || role == R_WAIT) {
		*ret_kind = TK_DURTEXT;
		return tl_parse_duration_text(s, len, ret);
	}
	if ((rc = tl_parse_datetime(s, len, ret, NULL)) == TL_NUM_OK || rc == TL_NUM_RANGE) {
		*ret_kind = TK_DATETIME;
		return rc;
	}
	*ret_kind = TK_TOD;
	if (tl_parse_time_of_day(s, len, ret) == TL_NUM_OK) {
		return TL_NUM_OK;
	}
	*ret_kind = TK_DURTEXT;
	return tl_parse_duration_text(s, len, ret);
}

/* A time field: *ret_missing when absent, null, empty or Go's zero time. */
static tl_status time_of(struct reader *r, const struct val *v, enum col_role role,
			 enum col_role what_role, tl_ns *ret, bool *ret_missing) {
	const char *what = role_what[what_role];
	char ex[64];
	*ret_missing = v->kind == V_NONE || v->kind == V_NULL || (v->kind == V_STR && !v->len);
	if (*ret_missing) {
		return TL_OK;
	}
	tl_excerpt(v->s, v->len, ex, sizeof(ex));
	if (v->kind == V_BOOL || v->kind == V_NEST) {
		return rec_fail(r, v->at, "%s '%s' is not a number, a date-time or a duration",
				what, ex);
	}
	if (v->kind == V_STR && v->len >= 19 && memcmp(v->s, "0001-01-01T00:00:00", 19) == 0) {
		r->zero_times++;
		*ret_missing = true;
		return TL_OK;
	}
	int64_t num;
	enum tkind got = TK_NUMBER;
	tl_num rc = tl_parse_decimal(v->s, v->len, 0, &num);
	if (rc == TL_NUM_OK || rc == TL_NUM_RANGE) {
		rc = scaled(r, v->s, v->len, role, ret);
	} else if (v->kind == V_STR) {
		rc = time_text(v->s, v->len, role, ret, &got);
	}
	if (rc == TL_NUM_RANGE) {
		return rec_fail(r, v->at, "%s '%s' is out of range", what, ex);
	}
	if (rc != TL_NUM_OK) {
		return rec_fail(r, v->at,
				role == R_DUR || role == R_WAIT
					? "%s '%s' is not a number or a duration"
					: "%s '%s' is not a number, a date-time or a duration",
				what, ex);
	}
	enum tkind had = r->tk[role];
	bool relative =
		(had == TK_NUMBER || had == TK_DURTEXT) && (got == TK_NUMBER || got == TK_DURTEXT);
	if (had != TK_UNSET && had != got && !relative) {
		return rec_fail(r, v->at, "%s '%s' is one of %s; earlier records hold %s", what, ex,
				tkind_name(got), tkind_name(had));
	}
	r->tk[role] = had == TK_UNSET ? got : had;
	r->absolute |= got == TK_DATETIME;
	return TL_OK;
}

/* A name field (group, worker, job, label) as text: a string, or a number or bool as written. */
static tl_status name_of(struct reader *r, const struct val *v, enum col_role role, tl_str *ret) {
	*ret = TL_STR_NONE;
	if (v->kind == V_NONE || v->kind == V_NULL) {
		return TL_OK;
	}
	if (v->kind == V_NEST) {
		return rec_fail(r, v->at,
				"the %s is an object or an array, not a name (--columns %s= "
				"names another field)",
				role_what[role], col_role_name(role));
	}
	return tl_trace_intern(r->t, v->s, v->len, ret, r->err);
}

/* ---- records to spans ---- */

/* Per-group counters for every group the trace has. */
static tl_status counters(struct reader *r) {
	size_t ng = tl_trace_group_count(r->t), cap = r->ngroups;
	if (ng <= r->ngroups) {
		return TL_OK;
	}
	if (!tl_grow((void **)&r->next_row, &cap, ng, sizeof(*r->next_row))) {
		return rec_nomem(r);
	}
	for (size_t g = r->ngroups; g < cap; g++) {
		r->next_row[g] = 0;
	}
	r->ngroups = cap;
	return TL_OK;
}

/* Where a missing field of role would be: the record's start. */
static tl_status missing(struct reader *r, const struct rec *rc, const char *what, bool *ret_skip) {
	if (r->opts->strict) {
		return rec_fail(r, rc->s, "missing %s", what);
	}
	if (!r->skipped++) {
		r->skipped_line = rc->line;
		r->skipped_what = what;
	}
	*ret_skip = true;
	return TL_OK;
}

/* The span's start and stop: from a stop, a duration, or neither (unfinished). */
static tl_status span_times(struct reader *r, const struct rec *rc, const struct val *v,
			    tl_span *sp, bool *ret_skip) {
	tl_ns d = 0;
	bool no_start = true, no_stop = true, no_dur = true;
	tl_status st = time_of(r, &v[R_START], R_START, R_START, &sp->start, &no_start);
	if (st == TL_OK) {
		st = time_of(r, &v[R_STOP], R_STOP, R_STOP, &sp->stop, &no_stop);
	}
	if (st == TL_OK) {
		st = time_of(r, &v[R_DUR], R_DUR, R_DUR, &d, &no_dur);
	}
	if (st == TL_OK && !no_dur && d < 0) {
		st = rec_fail(r, v[R_DUR].at, "duration is negative");
	}
	bool no_wait = true;
	if (st == TL_OK) {
		st = time_of(r, &v[R_WAIT], R_WAIT, R_WAIT, &sp->wait, &no_wait);
	}
	if (st == TL_OK && !no_wait && sp->wait < 0) {
		st = rec_fail(r, v[R_WAIT].at, "wait is negative");
	}
	r->queued |= !no_wait;
	if (st != TL_OK) {
		return st;
	}
	if (r->back) {
		if (no_stop || no_dur) {
			return missing(r, rc, no_stop ? "stop time" : "duration", ret_skip);
		}
		if (__builtin_sub_overflow(sp->stop, d, &sp->start) || sp->start < -TL_TIME_MAX) {
			return rec_fail(r, v[R_DUR].at, "stop time minus duration is out of range");
		}
		return TL_OK;
	}
	if (no_start) {
		return missing(r, rc, "start time", ret_skip);
	}
	if (!no_stop) {
		char a[64], b[64];
		return sp->stop < sp->start
			       ? rec_fail(r, v[R_STOP].at,
					  "stop time '%s' is before start time '%s'",
					  tl_excerpt(v[R_STOP].s, v[R_STOP].len, a, sizeof(a)),
					  tl_excerpt(v[R_START].s, v[R_START].len, b, sizeof(b)))
			       : TL_OK;
	}
	if (!no_dur) {
		if (__builtin_add_overflow(sp->start, d, &sp->stop) || sp->stop > TL_TIME_MAX) {
			return rec_fail(r, v[R_DUR].at, "start time plus duration is out of range");
		}
		return TL_OK;
	}
	if (r->opts->strict) {
		return rec_fail(r, rc->s, "missing stop time");
	}
	if (!tl_grow((void **)&r->unfinished, &r->unfinished_cap, r->nunfinished + 1,
		     sizeof(*r->unfinished))) {
		return rec_nomem(r);
	}
	size_t n;
	tl_trace_spans(r->t, &n);
	r->unfinished[r->nunfinished++] = n;
	sp->stop = sp->start;
	sp->status = TL_EXIT_UNFINISHED;
	return TL_OK;
}

static tl_status span_status(struct reader *r, const struct rec *rc, const struct val *v,
			     tl_span *sp) {
	if (sp->status == TL_EXIT_UNFINISHED || v->kind == V_NONE || v->kind == V_NULL) {
		return TL_OK;
	}
	if (v->kind == V_BOOL) {
		sp->status = *v->s == 't' ? 0 : 1;
		return TL_OK;
	}
	if (v->kind != V_NEST && tl_exit_status_from_string(v->s, v->len, &sp->status)) {
		return TL_OK;
	}
	char ex[64];
	tl_excerpt(v->s, v->len, ex, sizeof(ex));
	if (r->opts->strict || v->kind == V_NEST) {
		return rec_fail(
			r, v->at,
			"unknown status '%s': expected an exit code, ok, failed, timeout or a "
			"signal name",
			ex);
	}
	if (!r->odd_status++) {
		r->odd_status_line = rc->line;
		snprintf(r->odd_status_text, sizeof(r->odd_status_text), "%s", ex);
	}
	return TL_OK;
}

static tl_status record(struct reader *r, const struct rec *rc, struct val *v) {
	uint32_t group = 0;
	tl_str gname, worker, job_name, label;
	tl_status st = fields(r, rc, v);
	if (st == TL_OK) {
		st = name_of(r, &v[R_GROUP], R_GROUP, &gname);
	}
	if (st == TL_OK) {
		const char *gn = tl_trace_str(r->t, gname);
		st = tl_trace_group(r->t, gn, strlen(gn), &group, r->err);
	}
	if (st == TL_OK) {
		st = counters(r);
	}
	if (st == TL_OK) {
		st = name_of(r, &v[R_WORKER], R_WORKER, &worker);
	}
	if (st == TL_OK) {
		st = name_of(r, &v[R_LABEL], R_LABEL, &label);
	}
	if (st == TL_OK) {
		st = name_of(r, &v[R_JOB], R_JOB, &job_name);
	}
	if (st != TL_OK) {
		return st;
	}
	int64_t job = 0;
	if (job_name == TL_STR_NONE) {
		job = r->next_row[group]++;
	} else if (v[R_JOB].kind != V_NUM ||
		   tl_parse_int(v[R_JOB].s, v[R_JOB].len, &job) != TL_NUM_OK) {
		st = tl_jobnames_number(&r->names, group, job_name, &job) ? TL_OK : rec_nomem(r);
		label = label == TL_STR_NONE ? job_name : label;
	}
	bool spans = r->map.col[R_START] >= 0 || r->back;
	if (st != TL_OK || !spans) {
		bool none = true;
		tl_sample sa = {.group = group, .worker = worker, .job = job};
		if (st == TL_OK) {
			st = time_of(r, &v[R_TIME], R_TIME, R_TIME, &sa.t, &none);
		}
		if (st == TL_OK && none) {
			bool skip;
			return missing(r, rc, "time", &skip);
		}
		return st == TL_OK ? tl_trace_add_sample(r->t, &sa, r->err) : st;
	}
	tl_span sp = {.group = group, .worker = worker, .job = job, .label = label};
	bool skip = false;
	st = span_times(r, rc, v, &sp, &skip);
	if (st != TL_OK || skip) {
		return st;
	}
	st = span_status(r, rc, &v[R_STATUS], &sp);
	return st == TL_OK ? tl_trace_add_span(r->t, &sp, r->err) : st;
}

tl_status rec_rows(struct reader *r) {
	for (size_t i = 0; i < r->nrecs; i++) {
		struct val v[R_COUNT] = {0};
		r->cur = &r->recs[i];
		tl_status st = record(r, r->cur, v);
		for (int k = 0; k < R_COUNT; k++) {
			free(v[k].owned);
		}
		if (st != TL_OK) {
			return tl_error_locate(r->err, st, r->name, r->cur->line, 1);
		}
	}
	r->cur = NULL;
	return TL_OK;
}

/* Every span with no stop lasts to the end of its group: its latest time. */
tl_status rec_finish_unfinished(struct reader *r) {
	size_t ng = tl_trace_group_count(r->t), nsp, nsa;
	tl_ns *end = malloc((ng ? ng : 1) * sizeof(*end));
	if (!end) {
		return rec_nomem(r);
	}
	for (size_t g = 0; g < ng; g++) {
		end[g] = INT64_MIN;
	}
	tl_span *sp = tl_trace_spans_mut(r->t, &nsp);
	const tl_track *tk = tl_trace_tracks(r->t, &nsa);
	for (size_t i = 0; i < nsp; i++) {
		end[sp[i].group] = sp[i].stop > end[sp[i].group] ? sp[i].stop : end[sp[i].group];
	}
	for (size_t i = 0; i < nsa; i++) {
		uint32_t g = tk[i].group;
		end[g] = tk[i].samples && tk[i].last > end[g] ? tk[i].last : end[g];
	}
	for (size_t k = 0; k < r->nunfinished; k++) {
		sp[r->unfinished[k]].stop = end[sp[r->unfinished[k]].group];
	}
	free(end);
	return TL_OK;
}
