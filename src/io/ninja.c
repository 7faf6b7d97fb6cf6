/*
 * ninja's build log (.ninja_log) reader, versions 5 to 7. The rules are
 * ninja's own, src/build_log.cc in https://github.com/ninja-build/ninja
 * (BuildLog::Load, WriteEntry, RecordCommand, Recompact) and src/build.cc
 * (Builder::FinishCommand):
 *
 *   # ninja log v7
 *   START <TAB> END <TAB> MTIME <TAB> OUTPUT <TAB> HASH
 *
 * One line per output of every command that succeeded, appended when the
 * command finished (failed commands are not logged): START and END are
 * whole milliseconds since the build (the ninja run) began, MTIME a
 * timestamp of the output, OUTPUT its path, HASH the command's 64-bit hash
 * in hex. The three versions write the same fields: v5 (ninja 1.0 to 1.11,
 * commit 5be83d0b put the hash in place of the command) has MTIME in
 * seconds before ninja 1.9 and in the file system's fine units from 1.9
 * on; v6 (ninja 1.12, c266b216, pull request 2240) only marks that change
 * of MTIME's unit; v7 (ninja 1.13, 32e7e238) hashes commands with rapidhash
 * instead of MurmurHash64A. MTIME and the hash's value mean nothing here,
 * so all three read alike; v4 and older (the command in place of the hash)
 * are refused as too old, as ninja itself refuses them, and so is a version
 * past 7. Lines ninja skips are skipped: blank lines, lines starting with
 * '#' (the signature written again by old ninja on Windows, the column
 * labels of a 2019 development version) and an unterminated last line
 * with missing fields (a write cut short). Any other line that is not five
 * fields with whole-number times, END >= START, is an error.
 *
 * Builds. Each ninja run appends its entries in the order its commands
 * finished, so within a build END never goes down: a new build begins where
 * it does, and where an output comes again (a build logs an output once).
 * When the log grows too long, ninja rewrites it (Recompact, also run by
 * "ninja -t recompact" and "ninja -t restat", which CMake calls after each
 * configure): the last entry of every output, in hash-table order, from
 * builds that each had their own time zero. Such a rewritten head of the
 * log, up to the first output seen twice, has END going down all the time;
 * what tells it from small builds appended one after another is MTIME
 * (ordering only, so its unit does not matter): each appended build's
 * outputs are newer than those of the build before, while a rewritten
 * head's go back and forth. Where most steps down in the head do not
 * separate older from newer MTIMEs, the head is one build (build 1, said
 * in a note) and the next begins at the first repeated output.
 *
 * A span per command: the outputs of one build that share START, END and
 * HASH (a command's several outputs, adjacent when appended, scattered in a
 * rewritten head) are one span, labelled with the first and how many more
 * ("foo.o +2"), its job number its place in the build. The log names no
 * worker: lanes are packed where needed. Every span succeeded. Times stay
 * as they are, from the build's start; a build is a group "build N". By
 * default only the last build is read; tl_read_opts.build picks one or all.
 */

#include "ninja.h"

#include "reader.h"
#include "scan.h"

#include "../model/bytes.h"
#include "../util/grow.h"
#include "../util/hash.h"
#include "../util/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNATURE "# ninja log v"
#define OLDEST_VERSION 5
#define NEWEST_VERSION 7
#define FIELDS 5
#define NS_PER_MS 1000000

bool tl_ninja_sniff(const char *data, size_t len) {
	return len >= strlen(SIGNATURE) && memcmp(data, SIGNATURE, strlen(SIGNATURE)) == 0;
}

struct entry {
	const char *out; /* the output's path, in the input */
	size_t out_len;
	int64_t start, end; /* ms from the build's start */
	int64_t mtime;      /* ninja's units; only compared */
	uint64_t hash;
	long line;
};

struct reader {
	struct tl_line_reader in;
	struct entry *e; /* every entry of the log */
	size_t n, cap;
	size_t held; /* bytes of the reader's own tables: with the trace's, within max_memory */
	int version;
	size_t comments; /* '#' lines after the signature, skipped */
	int cut_fields;  /* fields of an unterminated last line skipped; 0: none */
	size_t not_utf8; /* output paths shown with U+FFFD */
};

/* Count n more bytes of the reader's tables against --max-memory, which the trace shares. */
static tl_status charge(struct reader *r, size_t n) {
	size_t lim = r->in.opts->max_memory, used = r->held + tl_trace_memory(r->in.t);
	if (lim && (used > lim || n > lim - used)) {
		char b[32];
		return tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, r->in.line, 0,
				    "memory limit reached: the log's entries would take more than "
				    "%s (--max-memory)",
				    tl_bytes_str(lim, b));
	}
	r->held += n;
	return TL_OK;
}

/* A new array of n elements of size elem, charged; NULL after setting the error. */
static void *table(struct reader *r, size_t n, size_t elem, tl_status *st) {
	void *p = NULL;
	*st = n > SIZE_MAX / elem
		      ? tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, 0, 0, "out of memory")
		      : charge(r, n * elem);
	if (*st == TL_OK && !(p = calloc(n ? n : 1, elem))) {
		*st = tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, 0, 0, "out of memory");
	}
	return p;
}

/* Free a table of n elements of size elem and stop counting it. */
static void drop(struct reader *r, void *p, size_t n, size_t elem) {
	if (p) {
		r->held -= n * elem;
		free(p);
	}
}

/*
 * A whole number as ninja prints it (%d, %" PRId64 "): digits, a '-' first
 * when sign allows it, at most max. false for anything else.
 */
static bool whole(const char *s, size_t len, bool sign, int64_t max, int64_t *ret, bool *range) {
	bool neg = sign && len > 0 && s[0] == '-';
	size_t i = neg;
	int64_t v = 0;
	*range = false;
	if (i == len) {
		return false;
	}
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		if (v > (max - (s[i] - '0')) / 10) {
			*range = true;
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	*ret = neg ? -v : v;
	return true;
}

/* The command hash: 1 to 16 hex digits (%" PRIx64 "). */
static bool hex64(const char *s, size_t len, uint64_t *ret) {
	uint64_t v = 0;
	if (len == 0 || len > 16) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0) {
			return false;
		}
		v = v << 4 | (uint64_t)d;
	}
	*ret = v;
	return true;
}

/* START or END of f (len bytes at s) in ms; what names it in messages. */
static tl_status time_field(struct reader *r, const char *s, size_t len, const char *what,
			    int64_t *ret) {
	bool range;
	if (whole(s, len, false, TL_TIME_MAX / NS_PER_MS, ret, &range)) {
		return TL_OK;
	}
	char ex[64];
	return tl_line_fail(&r->in, s, "%s '%s' is %s", what, tl_excerpt(s, len, ex, sizeof(ex)),
			    range ? "out of range" : "not a whole number of milliseconds");
}

/* "# ninja log vN" and its line end; *p moves past it. */
static tl_status read_signature(struct reader *r, const char **p, const char *end) {
	const char *eol = memchr(*p, '\n', (size_t)(end - *p));
	const char *lend = eol ? eol : end;
	lend -= lend > *p && lend[-1] == '\r';
	const char *v = *p + strlen(SIGNATURE);
	int64_t version;
	bool range;
	if (!tl_ninja_sniff(*p, (size_t)(lend - *p)) ||
	    !whole(v, (size_t)(lend - v), false, 1000000, &version, &range)) {
		return tl_line_fail(&r->in, *p,
				    "not a ninja log: the first line is not '" SIGNATURE "N'");
	}
	if (version < OLDEST_VERSION) {
		return tl_line_fail(
			&r->in, v,
			"ninja log version %d is too old: timeline reads versions %d to %d "
			"(ninja 1.0 and later)",
			(int)version, OLDEST_VERSION, NEWEST_VERSION);
	}
	if (version > NEWEST_VERSION) {
		return tl_line_fail(
			&r->in, v,
			"ninja log version %d is newer than timeline knows: it reads versions "
			"%d to %d",
			(int)version, OLDEST_VERSION, NEWEST_VERSION);
	}
	r->version = (int)version;
	*p = eol ? eol + 1 : end;
	return TL_OK;
}

/* One entry line, p to lend (its line end excluded); appended to r->e. */
static tl_status read_entry(struct reader *r, const char *p, const char *lend, bool last) {
	const char *f[FIELDS + 1];
	size_t flen[FIELDS], n = 0;
	for (const char *s = p;; n++) {
		const char *tab = memchr(s, '\t', (size_t)(lend - s));
		if (n == FIELDS) {
			f[n] = s; /* a sixth field starts here */
			n++;
			break;
		}
		f[n] = s;
		flen[n] = (size_t)((tab ? tab : lend) - s);
		if (!tab) {
			n++;
			break;
		}
		s = tab + 1;
	}
	if (n < FIELDS && last) {
		r->cut_fields = (int)n; /* ninja skips a last line with no line end */
		return TL_OK;
	}
	if (n != FIELDS) {
		return tl_line_fail(
			&r->in, n < FIELDS ? lend : f[FIELDS],
			"line has %s%zu fields, a ninja log entry has %d (start, end, mtime, "
			"output, hash)",
			n > FIELDS ? "more than " : "", n > FIELDS ? (size_t)FIELDS : n, FIELDS);
	}
	struct entry e = {.out = f[3], .out_len = flen[3], .line = r->in.line};
	tl_status st;
	bool range;
	char ex[64];
	if ((st = time_field(r, f[0], flen[0], "start time", &e.start)) != TL_OK ||
	    (st = time_field(r, f[1], flen[1], "end time", &e.end)) != TL_OK) {
		return st;
	}
	if (e.end < e.start) {
		return tl_line_fail(&r->in, f[1], "end time %lld ms is before start time %lld ms",
				    (long long)e.end, (long long)e.start);
	}
	if (!whole(f[2], flen[2], true, INT64_MAX, &e.mtime, &range)) {
		return tl_line_fail(&r->in, f[2], "mtime '%s' is not a whole number",
				    tl_excerpt(f[2], flen[2], ex, sizeof(ex)));
	}
	if (e.out_len == 0) {
		return tl_line_fail(&r->in, f[3], "empty output path");
	}
	if (!hex64(f[4], flen[4], &e.hash)) {
		return tl_line_fail(&r->in, f[4],
				    "command hash '%s' is not a 64-bit hexadecimal number",
				    tl_excerpt(f[4], flen[4], ex, sizeof(ex)));
	}
	/* Entries are numbered in 32 bits in the tables that find builds and commands. */
	if (r->n >= UINT32_MAX - 1) {
		return tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, r->in.line, 0,
				    "too many entries");
	}
	size_t cap;
	if (!tl_grow_cap(r->cap, r->n + 1, sizeof(*r->e), &cap)) {
		return tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, r->in.line, 0,
				    "out of memory");
	}
	if (cap > r->cap && (st = charge(r, (cap - r->cap) * sizeof(*r->e))) != TL_OK) {
		return st;
	}
	if (!tl_grow((void **)&r->e, &r->cap, r->n + 1, sizeof(*r->e))) {
		return tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, r->in.line, 0,
				    "out of memory");
	}
	r->e[r->n++] = e;
	return TL_OK;
}

/* Every line after the signature. */
static tl_status read_entries(struct reader *r, const char *p, const char *end) {
	for (r->in.line = 2, r->in.line_start = p; p < end; r->in.line++, r->in.line_start = p) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		const char *next = eol ? eol + 1 : end;
		lend -= lend > p && lend[-1] == '\r';
		if (lend > p && *p == '#') {
			r->comments++;
		} else if (lend > p) {
			tl_status st = read_entry(r, p, lend, !eol);
			if (st != TL_OK) {
				return st;
			}
		}
		p = next;
	}
	return TL_OK;
}

/*
 * The slot of entry i's output in the index of entries by output path (the
 * latest entry of each path): holding that entry + 1, or 0 when new.
 */
static uint32_t *paths_slot(const struct tl_index *x, const struct entry *e, size_t i) {
	size_t k = tl_index_start(x, tl_mix64(tl_hash_bytes(e[i].out, e[i].out_len)));
	for (;; k = tl_index_next(x, k)) {
		uint32_t j = x->slot[k];
		if (j == 0 || (e[j - 1].out_len == e[i].out_len &&
			       memcmp(e[j - 1].out, e[i].out, e[i].out_len) == 0)) {
			return &x->slot[k];
		}
	}
}

/* The largest MTIME of entries [a, b), and the smallest other than 0 (INT64_MAX: none). */
static void mtime_range(const struct entry *e, size_t a, size_t b, int64_t *ret_max,
			int64_t *ret_min) {
	*ret_max = INT64_MIN;
	*ret_min = INT64_MAX;
	for (size_t i = a; i < b; i++) {
		*ret_max = e[i].mtime > *ret_max ? e[i].mtime : *ret_max;
		*ret_min = e[i].mtime != 0 && e[i].mtime < *ret_min ? e[i].mtime : *ret_min;
	}
}

/* Where the run of entries that starts at i ends, within head: where END goes down. */
static size_t run_end(const struct entry *e, size_t i, size_t head) {
	i++;
	while (i < head && e[i].end >= e[i - 1].end) {
		i++;
	}
	return i;
}

/*
 * Whether the head [0, head) is a rewritten log: its end times go down, and
 * at most of these steps the outputs after are not all at least as new as
 * those before, as a build's are after the build before.
 */
static bool head_rewritten(const struct entry *e, size_t head) {
	size_t apart = 0, mixed = 0;
	for (size_t a = 0, b = run_end(e, 0, head); b < head;) {
		size_t c = run_end(e, b, head);
		int64_t before_max, before_min, after_max, after_min;
		mtime_range(e, a, b, &before_max, &before_min);
		mtime_range(e, b, c, &after_max, &after_min);
		if (after_min == INT64_MAX || before_max <= after_min) {
			apart++;
		} else {
			mixed++;
		}
		a = b;
		b = c;
	}
	return mixed > apart;
}

/*
 * Where builds appended after a rewrite begin in a rewritten head (their
 * outputs all new, so still in the head): the runs at its end whose outputs
 * are each newer than every output before them. head when there are none.
 */
static size_t appended_after(const struct entry *e, size_t head) {
	size_t from = head;
	int64_t newest = INT64_MIN;
	for (size_t a = 0; a < head;) {
		size_t b = run_end(e, a, head);
		int64_t max, min;
		mtime_range(e, a, b, &max, &min);
		bool newer = a > 0 && min != INT64_MAX && min >= newest;
		from = !newer ? head : from == head ? a : from;
		newest = max > newest ? max : newest;
		a = b;
	}
	return from;
}

/*
 * The builds: *ret_first (free() it, n + 1 entries charged) holds the index
 * of each build's first entry, *ret_n their count; *ret_rewritten says that
 * build 1 is a rewritten log.
 */
static tl_status find_builds(struct reader *r, size_t **ret_first, size_t *ret_n,
			     bool *ret_rewritten) {
	const struct entry *e = r->e;
	size_t n = r->n, cap = 16;
	while (cap < n * 2) {
		cap *= 2;
	}
	tl_status st;
	struct tl_index m = {.slot = table(r, cap, sizeof(uint32_t), &st), .cap = cap};
	size_t *first = m.slot ? table(r, n + 1, sizeof(size_t), &st) : NULL;
	if (!first) {
		drop(r, m.slot, cap, sizeof(uint32_t));
		return st;
	}
	/* The head: up to the first output seen twice. */
	size_t head = n;
	for (size_t i = 0; i < n && head == n; i++) {
		uint32_t *s = paths_slot(&m, e, i);
		head = *s ? i : n;
		*s = (uint32_t)i + 1;
	}
	bool rewritten = head_rewritten(e, head);
	/* After a rewritten head, builds as appended; else from the start. */
	memset(m.slot, 0, cap * sizeof(uint32_t));
	size_t nruns = 1, from = rewritten ? appended_after(e, head) : 0;
	first[0] = 0;
	if (rewritten && from < n) {
		first[nruns++] = from;
	}
	for (size_t i = from; i < n; i++) {
		uint32_t *s = paths_slot(&m, e, i);
		size_t run = first[nruns - 1];
		if (i > run && (e[i].end < e[i - 1].end || (*s && *s - 1 >= run))) {
			first[nruns++] = i;
		}
		*s = (uint32_t)i + 1;
	}
	drop(r, m.slot, cap, sizeof(uint32_t));
	*ret_first = first;
	*ret_n = nruns;
	*ret_rewritten = rewritten;
	return TL_OK;
}

/* s (len bytes) into *buf (grown as needed), each byte that breaks UTF-8 as U+FFFD. */
static bool utf8_copy(const char *s, size_t len, char **buf, size_t *cap, size_t *ret_len,
		      bool *ret_fixed) {
	size_t need = len * 3 + 32, w = 0;
	if (need > *cap) {
		char *nb = realloc(*buf, need);
		if (!nb) {
			return false;
		}
		*buf = nb;
		*cap = need;
	}
	*ret_fixed = false;
	while (len > 0) {
		size_t ok = tl_utf8_check(s, len);
		memcpy(*buf + w, s, ok);
		w += ok;
		if (ok == len) {
			break;
		}
		memcpy(*buf + w, "\xef\xbf\xbd", 3);
		w += 3;
		s += ok + 1;
		len -= ok + 1;
		*ret_fixed = true;
	}
	*ret_len = w;
	return true;
}

/* One span per command: entries of [from, to) keyed by START, END and HASH. */
struct command {
	size_t first; /* its first entry */
	size_t outputs;
};

static uint64_t command_key(const struct entry *x) {
	return tl_mix64(tl_mix64((uint64_t)x->start * 31 + (uint64_t)x->end) ^ x->hash);
}

static bool same_command(const struct entry *a, const struct entry *b) {
	return a->start == b->start && a->end == b->end && a->hash == b->hash;
}

/* The spans of entries [from, to) as group g. */
static tl_status add_build(struct reader *r, tl_trace *t, size_t from, size_t to, uint32_t g) {
	const struct entry *e = r->e;
	size_t cap = 16;
	while (cap < (to - from) * 2) {
		cap *= 2;
	}
	tl_status st;
	/* Over cmd, by START, END and HASH. */
	struct tl_index ix = {.slot = table(r, cap, sizeof(uint32_t), &st), .cap = cap};
	struct command *cmd = ix.slot ? table(r, to - from, sizeof(*cmd), &st) : NULL;
	char *label = NULL;
	size_t ncmd = 0, label_cap = 0;
	if (!cmd) {
		goto out;
	}
	for (size_t i = from; i < to; i++) {
		size_t k = tl_index_start(&ix, command_key(&e[i]));
		while (ix.slot[k] && !same_command(&e[cmd[ix.slot[k] - 1].first], &e[i])) {
			k = tl_index_next(&ix, k);
		}
		if (ix.slot[k]) {
			cmd[ix.slot[k] - 1].outputs++;
		} else {
			cmd[ncmd] = (struct command){.first = i, .outputs = 1};
			ix.slot[k] = (uint32_t)++ncmd;
		}
	}
	for (size_t c = 0; c < ncmd && st == TL_OK; c++) {
		const struct entry *x = &e[cmd[c].first];
		size_t len;
		bool fixed;
		if (!utf8_copy(x->out, x->out_len, &label, &label_cap, &len, &fixed)) {
			st = tl_error_set(r->in.err, TL_ERR_NOMEM, r->in.name, x->line, 0,
					  "out of memory");
			break;
		}
		r->not_utf8 += fixed;
		if (cmd[c].outputs > 1) {
			len += (size_t)snprintf(label + len, label_cap - len, " +%zu",
						cmd[c].outputs - 1);
		}
		tl_span sp = {.group = g,
			      .job = (int64_t)c + 1,
			      .start = x->start * NS_PER_MS,
			      .stop = x->end * NS_PER_MS};
		st = tl_trace_intern(t, label, len, &sp.label, r->in.err);
		if (st == TL_OK) {
			st = tl_trace_add_span(t, &sp, r->in.err);
		}
		tl_error_locate(r->in.err, st, r->in.name, x->line, 1);
	}
out:
	free(label);
	drop(r, cmd, to - from, sizeof(*cmd));
	drop(r, ix.slot, cap, sizeof(uint32_t));
	return st;
}

/* What was read of the log, for people: builds shown and left out, lines skipped. */
static tl_status add_notes(struct reader *r, tl_trace *t, size_t nbuilds, long shown,
			   bool rewritten) {
	tl_status st = TL_OK;
	if (nbuilds > 1 && shown == TL_BUILD_LAST) {
		st = tl_io_note(
			t, r->in.err, "builds",
			"ninja log v%d: build %zu of %zu, the last; %s not shown (--build all "
			"or --build N shows %s)",
			r->version, nbuilds, nbuilds, nbuilds == 2 ? "build 1" : "the others",
			nbuilds == 2 ? "it" : "them");
	} else if (nbuilds > 1 && shown != TL_BUILD_ALL) {
		st = tl_io_note(t, r->in.err, "builds", "ninja log v%d: build %ld of %zu",
				r->version, shown, nbuilds);
	} else if (nbuilds > 1) {
		st = tl_io_note(t, r->in.err, "builds", "ninja log v%d: %zu builds, a group each",
				r->version, nbuilds);
	}
	if (st == TL_OK && rewritten && (shown == TL_BUILD_ALL || shown == 1 || nbuilds == 1)) {
		st = tl_io_note(
			t, r->in.err, "rewritten",
			"build 1 is the log as ninja last rewrote it (recompacted): the last "
			"entry of each output, from builds before, in no order");
	}
	if (st == TL_OK && r->comments) {
		st = tl_io_note(t, r->in.err, "comments",
				"%zu line%s starting with '#' skipped, as ninja does", r->comments,
				r->comments == 1 ? "" : "s");
	}
	if (st == TL_OK && r->cut_fields) {
		st = tl_io_note(
			t, r->in.err, "cut",
			"the last line is cut short (%d of %d fields, no line end): skipped, as "
			"ninja does",
			r->cut_fields, FIELDS);
	}
	if (st == TL_OK && r->not_utf8) {
		st = tl_io_note(t, r->in.err, "not_utf8",
				"%zu output path%s not UTF-8: %s bytes shown as U+FFFD",
				r->not_utf8, r->not_utf8 == 1 ? " is" : "s are",
				r->not_utf8 == 1 ? "its" : "their");
	}
	return st;
}

/* The builds asked for, [*ret_from, *ret_to) of nbuilds, or a usage error. */
static tl_status pick(struct reader *r, size_t nbuilds, size_t *ret_from, size_t *ret_to) {
	long b = r->in.opts->build;
	if (b == TL_BUILD_ALL) {
		*ret_from = 0;
		*ret_to = nbuilds;
	} else if (b == TL_BUILD_LAST) {
		*ret_from = nbuilds - 1;
		*ret_to = nbuilds;
	} else if (b >= 1 && (unsigned long)b <= nbuilds) {
		*ret_from = (size_t)b - 1;
		*ret_to = (size_t)b;
	} else {
		return tl_error_set(r->in.err, TL_ERR_USAGE, r->in.name, 0, 0,
				    "--build %ld: the log holds %zu build%s", b, nbuilds,
				    nbuilds == 1 ? "" : "s");
	}
	return TL_OK;
}

tl_status tl_ninja_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			tl_trace **ret_trace, struct tl_error *err) {
	struct reader r = {0};
	const char *p = data, *end = data + len;
	size_t *first = NULL, nbuilds = 0, from = 0, to = 0;
	bool rewritten = false;
	tl_status st = tl_line_reader_start(&r.in, data, len, name, opts, err);
	tl_trace *t = r.in.t;
	if (st == TL_OK) {
		st = read_signature(&r, &p, end);
	}
	if (st == TL_OK) {
		st = read_entries(&r, p, end);
		r.in.line = 0; /* what fails from here on is no line's */
	}
	if (st == TL_OK && r.n == 0) {
		st = tl_io_fail(err, r.in.name, 1, data, data,
				"no entries after the ninja log header: no command has finished");
	}
	if (st == TL_OK) {
		st = find_builds(&r, &first, &nbuilds, &rewritten);
	}
	if (st == TL_OK) {
		st = pick(&r, nbuilds, &from, &to);
	}
	if (st == TL_OK && r.in.opts->max_memory) {
		/* The entries are still held while the trace grows: both count. */
		size_t lim = r.in.opts->max_memory;
		tl_trace_set_limits(t, r.in.opts->max_rows, lim > r.held ? lim - r.held : 1);
	}
	for (size_t b = from; st == TL_OK && b < to; b++) {
		char gname[32];
		uint32_t g;
		int gl = snprintf(gname, sizeof(gname), "build %zu", b + 1);
		st = tl_trace_group(t, gname, (size_t)gl, &g, err);
		if (st == TL_OK) {
			st = add_build(&r, t, first[b], b + 1 < nbuilds ? first[b + 1] : r.n, g);
		}
	}
	if (st == TL_OK) {
		st = add_notes(&r, t, nbuilds, r.in.opts->build, rewritten);
	}
	if (st == TL_OK) {
		st = tl_trace_meta_set(t, TL_META_TASK_LOG, "1", err);
	}
	drop(&r, first, r.n + 1, sizeof(size_t));
	free(r.e);
	return tl_line_reader_end(&r.in, st, ret_trace);
}
