/*
 * Job status text: what a CSV status column may say and what the writer
 * writes. Exit codes are numbers; a job killed by signal N is stored as -N and
 * written with the signal's name; a job stopped for running too long is
 * "timeout"; a scheduler's endings by their names ("cancelled", ...).
 */

#include <timeline/trace.h>

#include "../util/text.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

const char *tl_exit_status_to_string(int32_t status, char buf[static 16]) {
	static const char *const named[] = {"timeout",       "unfinished", "cancelled",
					    "out_of_memory", "node_fail",  "preempted"};
	if (status >= TL_EXIT_TIMEOUT && status <= TL_EXIT_PREEMPTED) {
		return named[status - TL_EXIT_TIMEOUT];
	}
	if (status >= 0) {
		snprintf(buf, 16, "%d", (int)status);
		return buf;
	}
	int sig = -status;
	const char *name = sig < NSIG ? sigabbrev_np(sig) : NULL;
	if (name) {
		snprintf(buf, 16, "SIG%s", name);
	} else {
		snprintf(buf, 16, "SIG%d", sig);
	}
	return buf;
}

bool tl_exit_status_failed(int32_t status) {
	return status != 0 && status != TL_EXIT_UNFINISHED;
}

bool tl_exit_status_valid(int32_t status) {
	return status >= 0 || (status >= TL_EXIT_TIMEOUT && status <= TL_EXIT_PREEMPTED) ||
	       -status < NSIG;
}

/*
 * Words for how a job ended, as schedulers and task runners write them:
 * Slurm's sacct State (COMPLETED, FAILED, CANCELLED by UID, TIMEOUT,
 * OUT_OF_MEMORY, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, RUNNING),
 * Nextflow's status (COMPLETED, CACHED, FAILED, ABORTED), Airflow and
 * Celery (success, failed, upstream_failed, SUCCESS, FAILURE, REVOKED),
 * GitHub Actions (success, failure, cancelled, skipped). Matched ignoring
 * case, on the first word: "CANCELLED by 1000" is cancelled. A scheduler's
 * own endings (cancelled, out of memory, node failure, preemption) keep their
 * names; other failures are exit code 1.
 */
static const struct {
	const char *word;
	int32_t status;
} status_words[] = {
	{"ok", 0},
	{"success", 0},
	{"succeeded", 0},
	{"successful", 0},
	{"done", 0},
	{"completed", 0},
	{"complete", 0},
	{"finished", 0},
	{"cached", 0},
	{"skipped", 0},
	{"passed", 0},
	{"timeout", TL_EXIT_TIMEOUT},
	{"timed out", TL_EXIT_TIMEOUT},
	{"timed_out", TL_EXIT_TIMEOUT},
	{"deadline", TL_EXIT_TIMEOUT},
	{"unfinished", TL_EXIT_UNFINISHED},
	{"running", TL_EXIT_UNFINISHED},
	{"started", TL_EXIT_UNFINISHED},
	{"in_progress", TL_EXIT_UNFINISHED},
	{"failed", 1},
	{"fail", 1},
	{"failure", 1},
	{"error", 1},
	{"errored", 1},
	{"aborted", TL_EXIT_CANCELLED},
	{"cancelled", TL_EXIT_CANCELLED},
	{"canceled", TL_EXIT_CANCELLED},
	{"revoked", TL_EXIT_CANCELLED},
	{"killed", TL_EXIT_CANCELLED},
	{"out_of_memory", TL_EXIT_OUT_OF_MEMORY},
	{"oom", TL_EXIT_OUT_OF_MEMORY},
	{"node_fail", TL_EXIT_NODE_FAIL},
	{"boot_fail", 1},
	{"preempted", TL_EXIT_PREEMPTED},
	{"upstream_failed", 1},
};

bool tl_exit_status_from_string(const char *s, size_t len, int32_t *ret_status) {
	if (len == 0) {
		*ret_status = 0;
		return true;
	}
	/* The first word, unless the whole text is a word of the table ("timed out"). */
	size_t first = 0;
	while (first < len && s[first] != ' ' && s[first] != '\t') {
		first++;
	}
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? len : first;
		for (size_t k = 0; k < sizeof(status_words) / sizeof(status_words[0]); k++) {
			if (tl_word_eq_nocase(s, n, status_words[k].word)) {
				*ret_status = status_words[k].status;
				return true;
			}
		}
	}
	/* An exit code written as a float, as pandas writes a column that has a NaN: "1.0". */
	if (len > 2 && s[len - 2] == '.' && s[len - 1] == '0') {
		len -= 2;
	}
	size_t i = 0;
	bool neg = false;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i < len) {
		int64_t v = 0;
		size_t j = i;
		while (j < len && s[j] >= '0' && s[j] <= '9' && v <= INT32_MAX) {
			v = v * 10 + (s[j] - '0');
			j++;
		}
		/* A negative code is a signal, as Python's returncode says it. */
		if (j == len && v <= INT32_MAX && (!neg || (v > 0 && v < NSIG))) {
			*ret_status = (int32_t)(neg ? -v : v);
			return true;
		}
	}
	if (len > 3 && tl_word_eq_nocase(s, 3, "SIG")) {
		const char *n = s + 3;
		size_t nl = len - 3;
		int v = 0;
		size_t j = 0;
		while (j < nl && n[j] >= '0' && n[j] <= '9' && v < NSIG) {
			v = v * 10 + (n[j] - '0');
			j++;
		}
		if (j == nl && v > 0 && v < NSIG) {
			*ret_status = TL_EXIT_SIGNAL(v);
			return true;
		}
		for (int sig = 1; sig < NSIG; sig++) {
			const char *name = sigabbrev_np(sig);
			if (name && tl_word_eq_nocase(n, nl, name)) {
				*ret_status = TL_EXIT_SIGNAL(sig);
				return true;
			}
		}
	}
	return false;
}
