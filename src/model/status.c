/*
 * Job status text: what a CSV status column may say and what the writer
 * writes. Exit codes are numbers; a job killed by signal N is stored as -N and
 * written with the signal's name; a job stopped for running too long is
 * "timeout".
 */

#include <timeline/trace.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool word_is(const char *s, size_t len, const char *word) {
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

const char *tl_status_to_string(int32_t status, char buf[static 16]) {
	if (status == TL_STATUS_TIMEOUT) {
		return "timeout";
	}
	if (status == TL_STATUS_UNFINISHED) {
		return "unfinished";
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

bool tl_status_failed(int32_t status) {
	return status != 0 && status != TL_STATUS_UNFINISHED;
}

bool tl_status_valid(int32_t status) {
	return status >= 0 || status == TL_STATUS_TIMEOUT || status == TL_STATUS_UNFINISHED ||
	       -status < NSIG;
}

bool tl_status_from_string(const char *s, size_t len, int32_t *ret_status) {
	if (len == 0 || word_is(s, len, "ok") || word_is(s, len, "success") ||
	    word_is(s, len, "done") || word_is(s, len, "completed")) {
		*ret_status = 0;
		return true;
	}
	if (word_is(s, len, "timeout") || word_is(s, len, "timed out")) {
		*ret_status = TL_STATUS_TIMEOUT;
		return true;
	}
	if (word_is(s, len, "unfinished") || word_is(s, len, "running")) {
		*ret_status = TL_STATUS_UNFINISHED;
		return true;
	}
	if (word_is(s, len, "failed") || word_is(s, len, "fail") || word_is(s, len, "error")) {
		*ret_status = 1;
		return true;
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
	if (len > 3 && strncasecmp(s, "SIG", 3) == 0) {
		const char *n = s + 3;
		size_t nl = len - 3;
		int v = 0;
		size_t j = 0;
		while (j < nl && n[j] >= '0' && n[j] <= '9' && v < NSIG) {
			v = v * 10 + (n[j] - '0');
			j++;
		}
		if (j == nl && v > 0 && v < NSIG) {
			*ret_status = TL_STATUS_SIGNAL(v);
			return true;
		}
		for (int sig = 1; sig < NSIG; sig++) {
			const char *name = sigabbrev_np(sig);
			if (name && word_is(n, nl, name)) {
				*ret_status = TL_STATUS_SIGNAL(sig);
				return true;
			}
		}
	}
	return false;
}
