#ifndef TIMELINE_IO_CHROME_IMPL_H
#define TIMELINE_IO_CHROME_IMPL_H

/*
 * What the files of the Chrome trace reader share (chrome.c says how the
 * reader goes): the reader's state, its tables of names, the events it holds
 * until every one is read, and the steps each file gives the others.
 *   chrome.c        the file's top level: cutting events out, the entry point
 *   chrome_event.c  one event to a pending span, sample or B/E event
 *   chrome_match.c  B/E (and async b/e) events matched into spans
 *   chrome_names.c  the tables of names; rows and panels named apart
 *   chrome_finish.c the pending events into the trace, with the notes
 *   chrome_write.c  the writer
 */

#include "scan.h"

#include "../util/hashmap.h"

#include <timeline/io.h>

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <string.h>

struct names {
	char *key;  /* "pid" or "pid/tid" */
	char *name; /* the value */
	size_t top; /* stacks: index + 1 of the thread's innermost open B while matching */
	size_t mid; /* arows: where the id starts in the key */
};

/*
 * Keys to names in insertion order, with a hash index: traces name tens of
 * thousands of threads, and every event looks its thread up. Zeroed is empty.
 */
struct smap {
	struct names *v;
	size_t n, cap;
	struct tl_hashmap idx; /* the key's hash (the next value on a collision) → its entry */
};

/*
 * A B or E event, kept until every event is read: a thread's B/E events are
 * matched in time order, which need not be the file's.
 */
struct be {
	tl_ns ts;
	char *name;
	char *label;   /* args.label (or "") when has_job */
	size_t thread; /* its thread's entry in stacks (key pid/tid, name pid) */
	size_t slot;   /* E: index + 1 of the pending entry its span fills; B: 0 */
	size_t below;  /* B, while matching: index + 1 of the next open B of its thread */
	uint32_t arow; /* async (b/e, S/F): index + 1 of its row in arows; 0 for B/E */
	int64_t job;
	int32_t status;
	bool has_job, has_status;
	bool closed; /* B: an E closed it */
};

/* A span or sample read, held until the names of every process and thread are known. */
struct pending {
	char pid[64], tid[64];
	bool sample;
	bool numbered; /* the job number came from args.job */
	bool hole;     /* an E slot no span filled: dropped */
	uint32_t arow; /* async events: index + 1 of their row in arows */
	tl_span span;
	tl_sample smp;
};

struct reader {
	const char *data, *p, *end, *name;
	size_t not_drawn[3];  /* counter (C), flow (s, t, f) and other (T, p, O...) events */
	size_t summaries;     /* clang's "Total ..." summary events */
	size_t windows;       /* Kineto's profiler windows (cat "Trace" in process "Spans") */
	size_t lone_instants; /* instants of processes with no span, not drawn */
	struct tl_error *err;
	tl_trace *t;
	struct smap procs, threads;
	struct smap sorts;     /* pid → process sort index as sortable text */
	struct smap tsorts;    /* pid/tid → thread sort index as sortable text */
	struct smap stacks;    /* pid/tid → its B/E events' thread (names.top) */
	struct smap arows;     /* "\x1fpid\x1fcat\x1fscope\x1fid" → an async row and its name */
	struct smap plabels;   /* pid → process_labels (Kineto: "CPU", "GPU 0") */
	struct be *be;         /* B and E events in file order */
	size_t nbe, capbe, nb; /* nb: how many are B */
	size_t held;           /* bytes of the tables above and the pending events */
	int64_t *next_job;     /* per group */
	size_t njobctr;
	struct pending *ev;
	size_t nev, capev;
	tl_ns tlo, thi;            /* time range of the pending events */
	bool ours;                 /* written by timeline: no hints to add */
	bool cut;                  /* the file ends inside an event (a writer that died) */
	size_t bad;                /* events skipped as Perfetto skips them: no ph, no ts... */
	bool unplaced;             /* errors without a position: only the first bad one shows */
	bool too_big;              /* the event value_end just refused is over MAX_EVENT_BYTES */
	struct tl_error first_bad; /* the first of them, with its position */
	struct tl_error cut_at;    /* where the file ends inside an event, when cut */
	const char *after;         /* text after the array's ']' (not read), or NULL */
	const tl_read_opts *opts;
};

/* chrome.c: an input error at pos (its line and column, unless r->unplaced). */
tl_status chrome_fail(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* chrome.c: a limit reached at pos: like chrome_fail(), as TL_ERR_NOMEM. */
tl_status chrome_over_limit(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

tl_status chrome_nomem(struct reader *r);

/*
 * chrome.c: count n more bytes of the reader's own tables against the memory
 * limit (which the trace shares); at names the event that asked.
 */
tl_status chrome_charge(struct reader *r, const char *at, size_t n);

/* chrome_names.c: the entry of key, or NULL. */
struct names *smap_find(const struct smap *m, const char *key);

/* chrome_names.c: the name of key, or NULL. */
const char *smap_get(const struct smap *m, const char *key);

/* chrome_names.c: key's entry, added (with name "") when missing. at: the event, for limits. */
tl_status smap_entry(struct reader *r, struct smap *m, const char *at, const char *key,
		     struct names **ret);

/* chrome_names.c: key's entry, its name set to name. */
tl_status smap_set(struct reader *r, struct smap *m, const char *at, const char *key,
		   const char *name);

/* chrome_names.c: free what m holds (m is not reused). */
void smap_free(struct smap *m);

/*
 * chrome_names.c: the processes' and threads' names made distinct (unless
 * timeline wrote the trace: its names are already), and the async rows named.
 */
tl_status chrome_name_rows(struct reader *r);

/* chrome_event.c: one event object, parsed from its slice [at, end). */
tl_status chrome_event(struct reader *r, const char *at, const char *end, const cJSON *ev);

/* chrome_event.c: a span or sample to hold until the end; at: the event, for limits. */
tl_status chrome_add_pending(struct reader *r, const char *at, const struct pending *p);

/* chrome_event.c: s as one of the trace's strings. */
tl_status chrome_intern(struct reader *r, const char *s, tl_str *ret);

/* chrome_match.c: B and E events matched into spans (at their E's places), or unfinished. */
tl_status chrome_match_begin_end(struct reader *r);

/* chrome_finish.c: the pending events into the trace, once every event is read. */
tl_status chrome_finish(struct reader *r);

/* cJSON passes bytes through; a name that is not UTF-8 is refused. */
static inline bool chrome_utf8_ok(const char *s) {
	size_t n = strlen(s);
	return tl_utf8_check(s, n) == n;
}

#endif
