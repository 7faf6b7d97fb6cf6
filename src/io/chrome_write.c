/*
 * The Chrome trace writer (chrome.h): a process per group, a thread per
 * worker, named with M events as they are first met; X events for spans
 * and instant events for samples, with times in microseconds to three
 * decimals (nanoseconds exactly); the metadata in otherData. timeline reads
 * its own traces back whole (chrome.c knows them by otherData's generator).
 */

#include "chrome.h"

#include "csv.h"

#include "../util/hashmap.h"

#include <timeline/timeline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cw {
	FILE *f;
	const tl_trace *t;
	struct tl_hashmap tid; /* group << 32 | worker → thread number in its group */
	uint64_t last_key;     /* the last (group, worker) asked, */
	uint32_t last_tid;     /* its thread: rows of one thread come together */
	uint32_t *ntid;        /* per group: threads numbered so far */
	bool first;
	bool nomem;
};

static void json_string(FILE *f, const char *s) {
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Microseconds with three decimals: nanoseconds exactly. */
static void json_micros(FILE *f, tl_ns v) {
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	fprintf(f, "%s%llu.%03llu", v < 0 ? "-" : "", (unsigned long long)(mag / 1000),
		(unsigned long long)(mag % 1000));
}

static void sep(struct cw *w) {
	fputs(w->first ? "\n" : ",\n", w->f);
	w->first = false;
}

/* The thread of a group's worker, named when first met: one per (group, worker), numbered from 1.
 */
static uint32_t thread_of(struct cw *w, uint32_t group, tl_str worker) {
	uint64_t key = (uint64_t)group << 32 | worker;
	uint32_t tid;
	bool fresh;
	if (w->last_tid && key == w->last_key) {
		return w->last_tid;
	}
	if (!tl_hashmap_get_or_put(&w->tid, key, w->ntid[group] + 1, &tid, &fresh)) {
		w->nomem = true;
		return 0;
	}
	if (fresh) {
		w->ntid[group]++;
		sep(w);
		fprintf(w->f,
			"{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{"
			"\"name\":",
			group + 1, tid);
		json_string(w->f, tl_trace_str(w->t, worker));
		fputs("}}", w->f);
	}
	w->last_key = key;
	w->last_tid = tid;
	return tid;
}

static void chrome_span(void *ctx, const tl_span *s) {
	struct cw *w = ctx;
	uint32_t tid = thread_of(w, s->group, s->worker);
	sep(w);
	const char *label = tl_trace_str(w->t, s->label);
	fputs("{\"name\":", w->f);
	if (label[0]) {
		json_string(w->f, label);
	} else {
		fprintf(w->f, "\"job %lld\"", (long long)s->job);
	}
	fprintf(w->f, ",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":", s->group + 1, tid);
	json_micros(w->f, s->start);
	fputs(",\"dur\":", w->f);
	json_micros(w->f, s->stop - s->start);
	if (s->status == TL_EXIT_UNFINISHED || s->status == TL_EXIT_TIMEOUT) {
		/* Not exit codes: the words tl_exit_status_from_string() reads back. */
		char b[16];
		fprintf(w->f, ",\"args\":{\"job\":%lld,\"status\":\"%s\"", (long long)s->job,
			tl_exit_status_to_string(s->status, b));
	} else {
		fprintf(w->f, ",\"args\":{\"job\":%lld,\"status\":%d", (long long)s->job,
			(int)s->status);
	}
	if (label[0]) {
		fputs(",\"label\":", w->f);
		json_string(w->f, label);
	}
	fputs("}}", w->f);
}

static void chrome_sample(void *ctx, const tl_sample *s) {
	struct cw *w = ctx;
	uint32_t tid = thread_of(w, s->group, s->worker);
	sep(w);
	fprintf(w->f, "{\"name\":\"sample\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"ts\":",
		s->group + 1, tid);
	json_micros(w->f, s->t);
	fprintf(w->f, ",\"args\":{\"job\":%lld}}", (long long)s->job);
}

tl_status tl_chrome_write(const tl_trace *t, FILE *f, const char *name, struct tl_error *err) {
	size_t ng = tl_trace_group_count(t);
	struct cw w = {.f = f, .t = t, .first = true};
	w.ntid = calloc(ng ? ng : 1, sizeof(*w.ntid));
	bool *seen = calloc(ng ? ng : 1, sizeof(*seen));
	tl_status st = TL_OK;
	if (!w.ntid || !seen) {
		st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
		goto out;
	}
	fputs("{\"traceEvents\":[", f);
	for (uint32_t g = 0; g < ng; g++) {
		sep(&w);
		fprintf(f,
			"{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{"
			"\"name\":",
			g + 1);
		json_string(f, tl_trace_group_name(t, g));
		fprintf(f,
			"}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,"
			"\"args\":{\"sort_index\":%u}}",
			g + 1, g);
	}
	tl_io_walk(t, seen, chrome_span, chrome_sample, &w);
	fputs("\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"generator\":"
	      "\"timeline " TL_VERSION "\"",
	      f);
	for (size_t i = 0; i < tl_trace_meta_count(t); i++) {
		const char *k, *v;
		tl_trace_meta_at(t, i, &k, &v);
		/* Queue waits are not written in a trace event: nor is the key that says so. */
		if (!tl_io_meta_written(k) || strcmp(k, TL_META_QUEUED) == 0) {
			continue;
		}
		fputc(',', f);
		json_string(f, k);
		fputc(':', f);
		json_string(f, v);
	}
	fputs("}}\n", f);
	if (w.nomem) {
		st = tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	} else if (ferror(f)) {
		st = tl_error_set(err, TL_ERR_IO, name, 0, 0, "write failed");
	}
out:
	tl_hashmap_fini(&w.tid);
	free(w.ntid);
	free(seen);
	return st;
}
