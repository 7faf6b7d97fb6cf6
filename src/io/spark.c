/*
 * Apache Spark event log reader (spark.eventLog.enabled=true; the files the
 * History Server replays). The log is JSON lines: one SparkListenerEvent
 * object per line, its kind in "Event", as Spark's JsonProtocol writes them
 * (core/src/main/scala/org/apache/spark/util/JsonProtocol.scala,
 * https://github.com/apache/spark/blob/master/core/src/main/scala/org/apache/spark/util/JsonProtocol.scala;
 * the replay is ReplayListenerBus.scala beside it). Each line is parsed on
 * its own (jsonl.h), so memory follows one event, not the file.
 *
 * A span per task: SparkListenerTaskEnd's "Task Info" gives "Launch Time"
 * and "Finish Time" (epoch milliseconds), "Executor ID" (the worker), "Index"
 * and "Speculative"; the event gives "Stage ID", "Stage Attempt ID" and "Task
 * End Reason" ("Reason": Success is 0, TaskKilled cancelled, any other
 * failure 1). A task with a SparkListenerTaskStart and no end (a log still
 * being written, an application that died) is unfinished, drawn to the
 * latest time the log holds. The group is the stage attempt ("stage 3", its
 * retries "stage 3.1"), or the application with --group-by app; the job is
 * the "Task ID", unique in an application; the label "stage S.A task N",
 * with " (speculative)" for a speculative copy. Stages may run at the same
 * time, so the groups are marked concurrent.
 *
 * SparkListenerApplicationStart's "App Name" and "App ID" become the title;
 * SparkListenerExecutorAdded's "Total Cores" go into a note (the chart packs
 * an executor's overlapping tasks into lanes, as many as its cores kept
 * busy). Other events are skipped: Spark adds kinds in every release, and
 * those of Spark SQL and streaming can be megabytes long (a line over 1 MB
 * of a kind not read is only checked for its shape, never built). A line
 * that is not JSON is an error, except the last when the log ends inside it.
 */

#include "spark.h"

#include "csv.h"
#include "jsonl.h"
#include "reader.h"
#include "scan.h"

#include "../model/bytes.h"
#include "../util/hashmap.h"
#include "../util/grow.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG_LINE ((size_t)1 << 20) /* longer lines of kinds not read are not parsed */

struct task {
	int64_t id;             /* "Task ID" */
	int64_t stage, attempt; /* "Stage ID", "Stage Attempt ID" */
	int64_t index;          /* "Index": the task's partition in its stage */
	tl_ns launch, finish;   /* ns since 1970; finish only when ended */
	tl_str worker;          /* "Executor ID" */
	int32_t status;
	uint32_t group;
	bool speculative, ended;
};

/* Failure reasons met, for the note: a few names, counted. */
#define MAX_REASONS 8
struct reason {
	char name[40];
	size_t n;
};

struct reader {
	const char *name;
	struct tl_error *err;
	const tl_read_opts *opts;
	struct tl_jsonl j;
	tl_trace *t;
	struct task *tasks;
	size_t ntasks, cap;
	struct tl_hashmap index; /* Task ID → its entry in tasks */
	tl_ns last;              /* the latest time of any event, ns since 1970 */
	bool any_time;
	bool by_app;
	char title[256];
	char executors[400]; /* "driver on localhost: 4 cores, ..." */
	size_t nexec, more_exec;
	int64_t cores;
	struct reason reasons[MAX_REASONS];
	size_t nreasons, other_reasons;
	size_t bad;                /* task events skipped (no task id, no launch time...) */
	struct tl_error first_bad; /* the first of them */
	long cut_line;             /* the line the log ends inside, 0 when whole */
};

/* An input error at pos, on the line being read. */
#define fail(r, pos, ...) tl_io_fail((r)->err, (r)->name, (r)->j.line, (r)->j.ls, pos, __VA_ARGS__)

static tl_status nomem(struct reader *r) {
	return tl_error_set(r->err, TL_ERR_NOMEM, r->name, r->j.line, 1, "out of memory");
}

/* Where member key is written on the current line (its quoted name), or the line's start. */
static const char *where(const struct reader *r, const char *key) {
	size_t kl = strlen(key);
	for (const char *q = r->j.ls; q + kl + 2 <= r->j.le; q++) {
		q = memchr(q, '"', (size_t)(r->j.le - q));
		if (!q || q + kl + 2 > r->j.le) {
			break;
		}
		if (memcmp(q + 1, key, kl) == 0 && q[kl + 1] == '"') {
			return q;
		}
	}
	return r->j.ls;
}

/*
 * The name of the event at the start of s: {"Event":"NAME" as JsonProtocol
 * writes it, blanks allowed. false when the line does not start so.
 */
static bool event_name(const char *s, const char *e, const char **ret, size_t *ret_len) {
	static const char key[] = "\"Event\"";
	while (s < e && (*s == ' ' || *s == '\t')) {
		s++;
	}
	if (s >= e || *s != '{') {
		return false;
	}
	for (s++; s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'); s++) {
	}
	if ((size_t)(e - s) < sizeof(key) || memcmp(s, key, sizeof(key) - 1) != 0) {
		return false;
	}
	for (s += sizeof(key) - 1; s < e && (*s == ' ' || *s == '\t'); s++) {
	}
	if (s >= e || *s != ':') {
		return false;
	}
	for (s++; s < e && (*s == ' ' || *s == '\t'); s++) {
	}
	if (s >= e || *s != '"') {
		return false;
	}
	const char *n = ++s;
	while (s < e && *s != '"' && *s != '\\') {
		s++;
	}
	if (s >= e || *s != '"') {
		return false;
	}
	*ret = n;
	*ret_len = (size_t)(s - n);
	return true;
}

bool tl_spark_sniff(const char *data, size_t len) {
	size_t i = tl_skip_bom_blank(data, len);
	const char *e = data + len, *nl = memchr(data + i, '\n', len - i);
	const char *n;
	size_t nlen;
	if (!event_name(data + i, nl ? nl : e, &n, &nlen)) {
		return false;
	}
	return (nlen >= 13 && memcmp(n, "SparkListener", 13) == 0) ||
	       (nlen >= 17 && memcmp(n, "org.apache.spark.", 17) == 0);
}

static bool is(const char *n, size_t len, const char *w) {
	return strlen(w) == len && memcmp(n, w, len) == 0;
}

/* A whole number member (no more than 2^53 in size, as a double keeps it), or false. */
static bool int_member(const cJSON *o, const char *key, int64_t *ret) {
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    fabs(v->valuedouble) > 9007199254740992.0 || v->valuedouble != floor(v->valuedouble)) {
		return false;
	}
	*ret = (int64_t)v->valuedouble;
	return true;
}

/* A time member in epoch milliseconds, as ns; false when absent or out of range. */
static bool ms_member(const cJSON *o, const char *key, tl_ns *ret) {
	int64_t ms;
	if (!int_member(o, key, &ms) || ms > TL_TIME_MAX / 1000000 || ms < -TL_TIME_MAX / 1000000) {
		return false;
	}
	*ret = ms * 1000000;
	return true;
}

static void saw_time(struct reader *r, tl_ns t) {
	if (!r->any_time || t > r->last) {
		r->last = t;
	}
	r->any_time = true;
}

/* The times an event of any kind carries: where the log ends when tasks do not. */
static void event_times(struct reader *r, const cJSON *ev) {
	static const char *const keys[] = {"Timestamp", "Submission Time", "Completion Time"};
	tl_ns t;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (ms_member(ev, keys[k], &t) && t > 0) {
			saw_time(r, t);
		}
	}
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(ev, "Stage Info");
	if (ms_member(si, "Completion Time", &t) && t > 0) {
		saw_time(r, t);
	}
}

/* A bad task event: skipped and counted (the first kept), or refused with --strict. */
static tl_status bad_task(struct reader *r, const char *pos, const char *what) {
	tl_status st = fail(r, pos, "%s", what);
	if (r->opts->strict) {
		return st;
	}
	if (!r->bad++) {
		r->first_bad = *r->err;
	}
	*r->err = (struct tl_error){0};
	return TL_OK;
}

/* The task with this id: an existing entry, or a new one (*ret_new). */
static tl_status find_task(struct reader *r, int64_t id, struct task **ret, bool *ret_new) {
	uint32_t k;
	if (tl_hashmap_find(&r->index, (uint64_t)id, &k)) {
		*ret = &r->tasks[k];
		*ret_new = false;
		return TL_OK;
	}
	size_t lim = r->opts->max_memory;
	if (r->opts->max_rows && r->ntasks >= r->opts->max_rows) {
		fail(r, r->j.ls, "more than %zu spans and samples: the row limit (--max-rows)",
		     r->opts->max_rows);
		r->err->code = TL_ERR_NOMEM;
		return TL_ERR_NOMEM;
	}
	if (lim && (r->ntasks + 1) * (sizeof(struct task) + 8) + tl_trace_memory(r->t) > lim) {
		char b[32];
		fail(r, r->j.ls,
		     "memory limit reached: the trace would take more than %s after %zu tasks "
		     "(--max-memory)",
		     tl_bytes_str(lim, b), r->ntasks);
		r->err->code = TL_ERR_NOMEM;
		return TL_ERR_NOMEM;
	}
	if (r->ntasks >= UINT32_MAX - 1 ||
	    !tl_grow((void **)&r->tasks, &r->cap, r->ntasks + 1, sizeof(*r->tasks)) ||
	    !tl_hashmap_get_or_put(&r->index, (uint64_t)id, (uint32_t)r->ntasks, &k, NULL)) {
		return nomem(r);
	}
	r->ntasks++;
	*ret = &r->tasks[r->ntasks - 1];
	**ret = (struct task){.id = id};
	*ret_new = true;
	return TL_OK;
}

/* A failure reason counted for the note. */
static void count_reason(struct reader *r, const char *why) {
	for (size_t i = 0; i < r->nreasons; i++) {
		if (strcmp(r->reasons[i].name, why) == 0) {
			r->reasons[i].n++;
			return;
		}
	}
	if (r->nreasons == MAX_REASONS) {
		r->other_reasons++;
		return;
	}
	snprintf(r->reasons[r->nreasons].name, sizeof(r->reasons[0].name), "%s", why);
	r->reasons[r->nreasons++].n = 1;
}

/* How a task ended, from TaskEnd's "Task End Reason" (else Task Info's flags). */
static int32_t end_status(struct reader *r, const cJSON *ev, const cJSON *info) {
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(ev, "Task End Reason"), "Reason");
	if (cJSON_IsString(why)) {
		if (strcmp(why->valuestring, "Success") == 0) {
			return 0;
		}
		/* A copy killed because another attempt of it succeeded did no harm: ok. */
		const cJSON *kill = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(ev, "Task End Reason"), "Kill Reason");
		bool redundant = strcmp(why->valuestring, "TaskKilled") == 0 &&
				 cJSON_IsString(kill) &&
				 strstr(kill->valuestring, "another attempt succeeded");
		count_reason(r, redundant ? "TaskKilled (another attempt succeeded)"
					  : why->valuestring);
		return redundant                                     ? 0
		       : strcmp(why->valuestring, "TaskKilled") == 0 ? TL_EXIT_CANCELLED
								     : 1;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(info, "Killed"))) {
		count_reason(r, "TaskKilled");
		return TL_EXIT_CANCELLED;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(info, "Failed"))) {
		count_reason(r, "failed");
		return 1;
	}
	return 0;
}

/* SparkListenerTaskStart (end false) or SparkListenerTaskEnd (end true). */
static tl_status task_event(struct reader *r, const cJSON *ev, bool end) {
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(ev, "Task Info");
	int64_t id, stage = 0, attempt = 0, index = 0;
	tl_ns launch, finish = 0;
	if (!cJSON_IsObject(info)) {
		return bad_task(r, where(r, "Task Info"),
				"a task event with no \"Task Info\" object");
	}
	if (!int_member(info, "Task ID", &id)) {
		return bad_task(r, where(r, "Task ID"), "a task with no \"Task ID\" number");
	}
	if (!ms_member(info, "Launch Time", &launch)) {
		return bad_task(r, where(r, "Launch Time"),
				"a task with no \"Launch Time\" in epoch milliseconds");
	}
	if (end && (!ms_member(info, "Finish Time", &finish) || finish < launch)) {
		return bad_task(
			r, where(r, "Finish Time"),
			"a task whose \"Finish Time\" is missing or before its \"Launch Time\"");
	}
	/* Spark 1.0 wrote no stage attempt; "Index" is there since 1.0. */
	int_member(ev, "Stage ID", &stage);
	int_member(ev, "Stage Attempt ID", &attempt);
	int_member(info, "Index", &index);
	const cJSON *exec = cJSON_GetObjectItemCaseSensitive(info, "Executor ID");
	const char *ex = cJSON_IsString(exec) ? exec->valuestring : "";
	if (tl_utf8_check(ex, strlen(ex)) != strlen(ex)) {
		return fail(r, where(r, "Executor ID"), "invalid UTF-8 in an \"Executor ID\"");
	}
	struct task *tk = NULL;
	bool fresh = false;
	tl_status st = find_task(r, id, &tk, &fresh);
	if (st != TL_OK || (!fresh && (tk->ended || !end))) {
		return st; /* a task told twice keeps what it was told first */
	}
	tk->stage = stage;
	tk->attempt = attempt;
	tk->index = index;
	tk->launch = launch;
	tk->speculative = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(info, "Speculative"));
	st = tl_trace_intern(r->t, ex, strlen(ex), &tk->worker, r->err);
	if (st != TL_OK) {
		return tl_error_locate(r->err, st, r->name, r->j.line, 1);
	}
	saw_time(r, launch);
	if (end) {
		tk->ended = true;
		tk->finish = finish;
		tk->status = end_status(r, ev, info);
		saw_time(r, finish);
	}
	return TL_OK;
}

static void application_start(struct reader *r, const cJSON *ev) {
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(ev, "App Name");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "App ID");
	const char *ns = cJSON_IsString(n) ? n->valuestring : "";
	const char *is = cJSON_IsString(id) ? id->valuestring : "";
	if (tl_utf8_check(ns, strlen(ns)) != strlen(ns) ||
	    tl_utf8_check(is, strlen(is)) != strlen(is)) {
		return;
	}
	if (*ns && *is) {
		snprintf(r->title, sizeof(r->title), "%.180s (%.60s)", ns, is);
	} else {
		snprintf(r->title, sizeof(r->title), "%.200s", *ns ? ns : is);
	}
}

static void executor_added(struct reader *r, const cJSON *ev) {
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "Executor ID");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(ev, "Executor Info");
	const cJSON *host = cJSON_GetObjectItemCaseSensitive(info, "Host");
	int64_t cores;
	if (!cJSON_IsString(id) || !int_member(info, "Total Cores", &cores) ||
	    tl_utf8_check(id->valuestring, strlen(id->valuestring)) != strlen(id->valuestring)) {
		return;
	}
	r->cores += cores;
	if (r->nexec++ >= 6) {
		r->more_exec++;
		return;
	}
	size_t n = strlen(r->executors);
	const char *h = cJSON_IsString(host) ? host->valuestring : "";
	bool hok = *h && tl_utf8_check(h, strlen(h)) == strlen(h);
	snprintf(r->executors + n, sizeof(r->executors) - n, "%s%.40s%s%.40s: %lld", n ? ", " : "",
		 id->valuestring, hok ? " on " : "", hok ? h : "", (long long)cores);
}

/* One line: its event, parsed when it is of a kind read (or short enough to check). */
static tl_status line(struct reader *r) {
	const char *n = NULL;
	size_t nlen = 0;
	bool named = event_name(r->j.ls, r->j.le, &n, &nlen);
	bool task_start = named && is(n, nlen, "SparkListenerTaskStart");
	bool task_end = named && is(n, nlen, "SparkListenerTaskEnd");
	bool app = named && is(n, nlen, "SparkListenerApplicationStart");
	bool exec = named && is(n, nlen, "SparkListenerExecutorAdded");
	if (named && !task_start && !task_end && !app && !exec &&
	    (size_t)(r->j.le - r->j.ls) > BIG_LINE) {
		const char *at;
		enum tl_jsonl_parse pr = tl_json_value_end(r->j.ls, r->j.le, &at);
		if (pr == TL_JSONL_CUT && tl_jsonl_is_last(&r->j)) {
			r->cut_line = r->j.line;
			return TL_OK;
		}
		while (pr == TL_JSONL_OK && at < r->j.le && (*at == ' ' || *at == '\t')) {
			at++;
		}
		return pr == TL_JSONL_OK && at == r->j.le
			       ? TL_OK
			       : fail(r, at, "invalid JSON in a Spark event");
	}
	cJSON *ev;
	const char *at;
	enum tl_jsonl_parse pr = tl_jsonl_parse(&r->j, &ev, &at);
	if (pr == TL_JSONL_CUT) {
		r->cut_line = r->j.line;
		return TL_OK;
	}
	if (pr == TL_JSONL_BAD) {
		return fail(r, at, "invalid JSON in a Spark event");
	}
	tl_status st = TL_OK;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(ev, "Event");
	if (!cJSON_IsObject(ev) || !cJSON_IsString(kind)) {
		st = fail(r, r->j.ls, "not a Spark event: no \"Event\" name");
	} else if (!named) {
		/* Written some other way ("Event" not first): the parsed name decides. */
		const char *k = kind->valuestring;
		task_start = strcmp(k, "SparkListenerTaskStart") == 0;
		task_end = strcmp(k, "SparkListenerTaskEnd") == 0;
		app = strcmp(k, "SparkListenerApplicationStart") == 0;
		exec = strcmp(k, "SparkListenerExecutorAdded") == 0;
	}
	if (st == TL_OK) {
		event_times(r, ev);
		if (task_start || task_end) {
			st = task_event(r, ev, task_end);
		} else if (app) {
			application_start(r, ev);
		} else if (exec) {
			executor_added(r, ev);
		}
	}
	cJSON_Delete(ev);
	return st;
}

static int cmp_task(const void *a, const void *b) {
	const struct task *x = a, *y = b;
#define CMP(f)                                                                                     \
	if (x->f != y->f) {                                                                        \
		return x->f < y->f ? -1 : 1;                                                       \
	}
	CMP(group)
	CMP(launch)
	CMP(id)
#undef CMP
	return 0;
}

static int cmp_stage(const void *a, const void *b) {
	const struct task *x = a, *y = b;
	if (x->stage != y->stage) {
		return x->stage < y->stage ? -1 : 1;
	}
	return x->attempt < y->attempt ? -1 : x->attempt > y->attempt;
}

/* Groups in stage order (stage, then attempt), or the application's one. */
static tl_status make_groups(struct reader *r) {
	qsort(r->tasks, r->ntasks, sizeof(*r->tasks), cmp_stage);
	tl_hashmap_fini(&r->index); /* entries moved: the index is stale */
	uint32_t g = 0;
	char name[64];
	for (size_t i = 0; i < r->ntasks; i++) {
		struct task *tk = &r->tasks[i];
		bool same = i > 0 && !cmp_stage(tk - 1, tk);
		tl_status st = TL_OK;
		if (r->by_app && i == 0) {
			const char *an = r->title[0] ? r->title : "application";
			st = tl_trace_group(r->t, an, strlen(an), &g, r->err);
		} else if (!r->by_app && !same) {
			int w = tk->attempt ? snprintf(name, sizeof(name), "stage %lld.%lld",
						       (long long)tk->stage, (long long)tk->attempt)
					    : snprintf(name, sizeof(name), "stage %lld",
						       (long long)tk->stage);
			st = tl_trace_group(r->t, name, (size_t)w, &g, r->err);
		}
		if (st != TL_OK) {
			return st;
		}
		tk->group = g;
	}
	return TL_OK;
}

/* The tasks as spans, each group's in launch order; unfinished ones to the log's end. */
static tl_status add_spans(struct reader *r, size_t *ret_unfinished) {
	tl_status st = make_groups(r);
	if (st != TL_OK) {
		return st;
	}
	qsort(r->tasks, r->ntasks, sizeof(*r->tasks), cmp_task);
	st = tl_trace_reserve(r->t, r->ntasks, 0, r->err);
	*ret_unfinished = 0;
	for (size_t i = 0; i < r->ntasks && st == TL_OK; i++) {
		const struct task *tk = &r->tasks[i];
		char label[128];
		int w = snprintf(label, sizeof(label), "stage %lld.%lld task %lld%s",
				 (long long)tk->stage, (long long)tk->attempt, (long long)tk->index,
				 tk->speculative ? " (speculative)" : "");
		tl_span sp = {.start = tk->launch,
			      .stop = tk->ended ? tk->finish : r->last,
			      .job = tk->id,
			      .group = tk->group,
			      .worker = tk->worker,
			      .status = tk->ended ? tk->status : TL_EXIT_UNFINISHED};
		*ret_unfinished += !tk->ended;
		st = tl_trace_intern(r->t, label, (size_t)w, &sp.label, r->err);
		if (st == TL_OK) {
			st = tl_trace_add_span(r->t, &sp, r->err);
		}
	}
	return st;
}

/* What people should know about how the log was read. */
static tl_status notes(struct reader *r, size_t unfinished) {
	tl_status st = TL_OK;
	if (r->nexec) {
		char more[48] = "";
		if (r->more_exec) {
			snprintf(more, sizeof(more), " and %zu more", r->more_exec);
		}
		st = tl_io_note(r->t, r->err, "executors",
				"%zu executor%s, %lld cores in all (%s%s)", r->nexec,
				r->nexec == 1 ? "" : "s", (long long)r->cores, r->executors, more);
	}
	if (st == TL_OK && r->nreasons) {
		char buf[400];
		size_t n = 0;
		for (size_t i = 0; i < r->nreasons && n < sizeof(buf); i++) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%zu %s", i ? ", " : "",
					      r->reasons[i].n, r->reasons[i].name);
		}
		st = tl_io_note(r->t, r->err, "failures", "tasks that did not succeed: %s%s", buf,
				r->other_reasons ? ", and others" : "");
	}
	if (st == TL_OK && unfinished) {
		st = tl_io_note(
			r->t, r->err, "unfinished",
			"%zu task%s started and never ended (unfinished), drawn to the log's "
			"last time",
			unfinished, unfinished == 1 ? "" : "s");
	}
	if (st == TL_OK && r->cut_line) {
		st = tl_io_note(
			r->t, r->err, "cut",
			"the log ends inside the event of line %ld (still being written?): read "
			"up to it",
			r->cut_line);
	}
	if (st == TL_OK && r->bad) {
		char buf[TL_ERROR_PATH_MAX + TL_ERROR_MSG_MAX + 64]; /* a whole tl_error_format() */
		st = tl_io_note(r->t, r->err, "skipped", "%zu task event%s skipped; the first: %s",
				r->bad, r->bad == 1 ? "" : "s",
				tl_error_format(&r->first_bad, buf, sizeof(buf)));
	}
	return st;
}

static tl_status read_lines(struct reader *r) {
	tl_status st = TL_OK;
	while (st == TL_OK && tl_jsonl_next(&r->j)) {
		size_t len = (size_t)(r->j.le - r->j.ls), bad = tl_utf8_check(r->j.ls, len);
		if (bad != len) {
			return fail(r, r->j.ls + bad, "invalid UTF-8");
		}
		st = line(r);
	}
	if (st == TL_OK && r->cut_line && r->opts->strict) {
		r->j.line = r->cut_line;
		st = tl_error_set(r->err, TL_ERR_INPUT, r->name, r->cut_line, 1,
				  "the log ends inside this event (--strict)");
	}
	return st;
}

tl_status tl_spark_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err) {
	struct tl_error own = {0};
	tl_read_opts none = {0};
	struct reader r = {
		.name = name ? name : "-", .err = err ? err : &own, .opts = opts ? opts : &none};
	if (r.opts->group_by == TL_GROUP_BY_NODE) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0,
				    "--group-by node: a Spark event log groups by stage (default) "
				    "or app");
	}
	r.by_app = r.opts->group_by == TL_GROUP_BY_APP;
	tl_status st = tl_check_text(data, len, r.name, err);
	if (st != TL_OK) {
		return st;
	}
	r.t = tl_io_trace_new(r.opts);
	if (!r.t) {
		return nomem(&r);
	}
	tl_jsonl_init(&r.j, data, len);
	st = read_lines(&r);
	size_t unfinished = 0;
	if (st == TL_OK && r.ntasks == 0) {
		st = tl_io_fail(r.err, r.name, 1, data, data,
				"no tasks in the Spark event log (no SparkListenerTaskStart or "
				"SparkListenerTaskEnd event)");
	}
	if (st == TL_OK) {
		st = tl_error_locate(r.err, add_spans(&r, &unfinished), r.name, 0, 0);
	}
	if (st == TL_OK && r.title[0]) {
		st = tl_trace_meta_set(r.t, TL_META_TITLE, r.title, r.err);
	}
	if (st == TL_OK) {
		st = notes(&r, unfinished);
	}
	if (st == TL_OK) {
		st = tl_io_normalise_epoch(r.t, r.err);
	}
	/* Stages of one application may run at the same time: none is another's alternative. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(r.t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, r.err);
	}
	if (st == TL_OK) {
		st = tl_trace_meta_set(r.t, TL_META_TASK_LOG, "1", r.err);
	}
	/* An executor runs a task per core at once. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(r.t, TL_META_WORKER_SLOTS, "1", r.err);
	}
	free(r.tasks);
	tl_hashmap_fini(&r.index);
	return tl_io_hand_over(st, r.t, ret_trace);
}
