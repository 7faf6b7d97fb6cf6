/*
 * Column roles: the synonym table, name normalisation, unit suffixes, the
 * pandas index and --columns (see columns.h; docs/csv-format.md lists the
 * same table for people, and a test checks that it does).
 */

#include "../util/text.h"
#include "columns.h"
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Names in order of preference: when two columns name one role, the earlier name wins. */
static const char *const syn_kind[] = {"kind", NULL};
static const char *const syn_start[] = {"start",
					"start_time",
					"started_at",
					"start_ts",
					"start_timestamp",
					"start_date",
					"begin",
					"begin_time",
					"began_at",
					"started",
					"from",
					"t_start",
					"t0",
					"time_start",
					"start_datetime",
					"datetime_start",
					"date_start",
					"starttime",
					"tstart",
					"tin",
					NULL};
static const char *const syn_stop[] = {"stop",
				       "stop_time",
				       "end",
				       "end_time",
				       "finish",
				       "finish_time",
				       "finished_at",
				       "finished",
				       "ended_at",
				       "end_ts",
				       "stop_ts",
				       "end_timestamp",
				       "end_date",
				       "complete",
				       "completed_at",
				       "completed",
				       "to",
				       "t_end",
				       "t1",
				       "time_end",
				       "end_datetime",
				       "datetime_complete",
				       "datetime_end",
				       "date_end",
				       "endtime",
				       "stoptime",
				       "tend",
				       "tout",
				       NULL};
static const char *const syn_dur[] = {"duration", "dur",        "elapsed", "elapsed_time",
				      "runtime",  "run_time",   "wall",    "wall_time",
				      "walltime", "time_taken", "took",    NULL};
static const char *const syn_time[] = {"t", "time", "timestamp", "time_stamp", "ts", NULL};
static const char *const syn_group[] = {"group", "mode",   "method",  "experiment", "run",
					"panel", "series", "variant", NULL};
static const char *const syn_job[] = {"job",   "job_id",   "task",      "task_id", "id",
				      "index", "job_name", "task_name", "name",    NULL};
static const char *const syn_worker[] = {
	"worker", "worker_id", "worker_name", "thread",   "thread_id", "thread_name",
	"tid",    "executor",  "executor_id", "slot",     "process",   "process_id",
	"pid",    "proc",      "host",        "hostname", "node",      NULL};
static const char *const syn_status[] = {"conclusion",  "status",  "state",       "exit",
					 "exit_code",   "exitval", "exit_status", "returncode",
					 "return_code", "rc",      NULL};
static const char *const syn_label[] = {"label", "name", "description", "command", "cmd", NULL};
static const char *const syn_wait[] = {"wait",       "queue_wait", "wait_time",
				       "queued_for", "queue_time", NULL};

static const tl_column_role roles[R_COUNT] = {
	[R_KIND] = {"kind", "row kind: span, sample or group", syn_kind},
	[R_START] = {"start", "span start", syn_start},
	[R_STOP] = {"stop", "span stop", syn_stop},
	[R_DUR] = {"duration", "span duration (start + duration is the stop)", syn_dur},
	[R_TIME] = {"time", "sample time (the start, when there is a stop or duration)", syn_time},
	[R_GROUP] = {"group", "group: a panel of the chart, a row of stats", syn_group},
	[R_JOB] = {"job", "job (a number, or text numbered in order)", syn_job},
	[R_WORKER] = {"worker", "worker: thread, process, host", syn_worker},
	[R_STATUS] = {"status", "exit code or state", syn_status},
	[R_LABEL] = {"label", "the span's label", syn_label},
	[R_WAIT] = {"wait", "queue wait before the start (submit to start), a duration", syn_wait},
};

const tl_column_role *tl_column_roles(size_t *ret_n) {
	*ret_n = R_COUNT - 1;
	return roles + 1;
}

const tl_column_role *col_role_entry(enum col_role role) {
	return &roles[role];
}

const char *col_role_name(enum col_role role) {
	return role > R_IGNORE && role < R_COUNT ? roles[role].role : "none";
}

bool col_is_time(enum col_role role) {
	return role == R_START || role == R_STOP || role == R_DUR || role == R_TIME ||
	       role == R_WAIT;
}

/* --columns role words, with their short forms. */
bool col_role_from_word(const char *s, size_t len, enum col_role *ret) {
	static const struct {
		const char *w;
		enum col_role r;
	} words[] = {{"end", R_STOP}, {"dur", R_DUR}, {"t", R_TIME}};
	for (int r = 1; r < R_COUNT; r++) {
		if (tl_word_eq_nocase(s, len, roles[r].role)) {
			*ret = (enum col_role)r;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (tl_word_eq_nocase(s, len, words[i].w)) {
			*ret = words[i].r;
			return true;
		}
	}
	return false;
}

size_t col_normalise(const char *s, size_t len, char *buf, size_t size) {
	size_t n = 0;
	bool sep = false;     /* a '_' is due before the next word character */
	bool lowprev = false; /* the previous byte was a lower-case letter or digit */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool upper = c >= 'A' && c <= 'Z';
		bool word = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
		if (!word) {
			sep = n > 0;
			lowprev = false;
			continue;
		}
		if (upper && lowprev) {
			sep = true;
		}
		if (sep) {
			if (n + 1 >= size) {
				return 0;
			}
			buf[n++] = '_';
			sep = false;
		}
		if (n + 1 >= size) {
			return 0;
		}
		buf[n++] = upper ? (char)(c - 'A' + 'a') : (char)c;
		lowprev = !upper && c < 0x80;
	}
	buf[n] = '\0';
	return n;
}

static const struct {
	const char *suffix; /* after a '_' */
	tl_unit unit;
} unit_suffixes[] = {
	{"s", TL_UNIT_S},          {"sec", TL_UNIT_S},           {"secs", TL_UNIT_S},
	{"seconds", TL_UNIT_S},    {"ms", TL_UNIT_MS},           {"msec", TL_UNIT_MS},
	{"millis", TL_UNIT_MS},    {"milliseconds", TL_UNIT_MS}, {"us", TL_UNIT_US},
	{"\xc2\xb5s", TL_UNIT_US}, {"\xce\xbcs", TL_UNIT_US},    {"usecs", TL_UNIT_US},
	{"msecs", TL_UNIT_MS},     {"nsecs", TL_UNIT_NS},        {"usec", TL_UNIT_US},
	{"micros", TL_UNIT_US},    {"microseconds", TL_UNIT_US}, {"ns", TL_UNIT_NS},
	{"nsec", TL_UNIT_NS},      {"nanos", TL_UNIT_NS},        {"nanoseconds", TL_UNIT_NS},
};

/* The unit a name's last word names ("begin_ms": ms), or TL_UNIT_DEFAULT. */
tl_unit col_suffix_unit(const char *norm) {
	size_t len = strlen(norm);
	for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
		size_t sl = strlen(unit_suffixes[u].suffix);
		if (len > sl + 1 && norm[len - sl - 1] == '_' &&
		    strcmp(norm + len - sl, unit_suffixes[u].suffix) == 0) {
			return unit_suffixes[u].unit;
		}
	}
	return TL_UNIT_DEFAULT;
}

/* Rank of name among role's synonyms, or -1. */
static int rank_of(const char *name, enum col_role role) {
	for (int i = 0; roles[role].names[i]; i++) {
		if (strcmp(roles[role].names[i], name) == 0) {
			return i;
		}
	}
	return -1;
}

/*
 * Ranks of a normalised name for every role (-1: no match), and the unit its
 * suffix names for time roles.
 */
void col_match_name(const char *norm, int *rank, tl_unit *unit) {
	*unit = TL_UNIT_DEFAULT;
	bool any = false;
	for (int r = 1; r < R_COUNT; r++) {
		rank[r] = rank_of(norm, (enum col_role)r);
		any |= rank[r] >= 0;
	}
	if (any) {
		return;
	}
	size_t len = strlen(norm);
	for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
		size_t sl = strlen(unit_suffixes[u].suffix);
		if (len <= sl + 1 || norm[len - sl - 1] != '_' ||
		    strcmp(norm + len - sl, unit_suffixes[u].suffix) != 0) {
			continue;
		}
		char base[64];
		memcpy(base, norm, len - sl - 1);
		base[len - sl - 1] = '\0';
		for (int r = 1; r < R_COUNT; r++) {
			if (col_is_time((enum col_role)r)) {
				rank[r] = rank_of(base, (enum col_role)r);
				any |= rank[r] >= 0;
			}
		}
		if (any) {
			*unit = unit_suffixes[u].unit;
			return;
		}
	}
}

void tl_columns_guess_unit(const char *s, size_t len, const bool bare[R_COUNT], int scale[R_COUNT],
			   bool *ret_epoch, int *ret_scale, char *example, size_t size) {
	bool epoch;
	int guess;
	if (!tl_guess_bare_unit(s, len, &epoch, &guess)) {
		return;
	}
	for (int i = 0; i < R_COUNT; i++) {
		if (bare[i]) {
			scale[i] = guess;
		}
	}
	*ret_epoch = epoch;
	*ret_scale = guess;
	tl_excerpt(s, len, example, size);
}
