/*
 * GNU parallel --joblog reader. The log is tab-separated with a header
 * (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command);
 * Starttime is epoch seconds and JobRuntime seconds, both padded with blanks.
 * Lines come in completion order. Each line becomes a span: group = host
 * (":" is the local machine, called "local"), job = Seq, label = Command,
 * status = -Signal when a signal killed the job, else Exitval. The log names
 * no worker; lanes are packed by interval where they are needed. Commands may
 * hold tabs: everything after the ninth column's start is the command.
 */

#include "joblog.h"

#include "csv.h"
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col { C_SEQ = 0, C_HOST, C_START, C_RUNTIME, C_EXIT, C_SIGNAL, C_COMMAND, C_COUNT };

static const char *const col_names[C_COUNT] = {"Seq",     "Host",   "Starttime", "JobRuntime",
					       "Exitval", "Signal", "Command"};

bool tl_joblog_sniff(const char *data, size_t len) {
	static const char head[] = "Seq\tHost\tStarttime\t";
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3; /* only the BOM: a joblog starts with its header */
		len -= 3;
	}
	return len >= sizeof(head) - 1 && memcmp(data, head, sizeof(head) - 1) == 0;
}

struct reader {
	const char *name;
	struct tl_error *err;
	long line;
	const char *line_start;
};

static tl_status fail(struct reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static tl_status fail(struct reader *r, const char *pos, const char *fmt, ...) {
	char msg[TL_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tl_error_set(r->err, TL_ERR_INPUT, r->name, r->line, tl_column(r->line_start, pos),
			    "%s", msg);
}

struct field {
	const char *s;
	size_t len;
};

/* Split a line at tabs into at most max fields; the last takes the rest. */
static size_t split(const char *s, const char *end, struct field *f, size_t max) {
	size_t n = 0;
	while (n < max) {
		const char *tab = n + 1 < max ? memchr(s, '\t', (size_t)(end - s)) : NULL;
		f[n].s = s;
		f[n].len = (size_t)((tab ? tab : end) - s);
		n++;
		if (!tab) {
			break;
		}
		s = tab + 1;
	}
	return n;
}

static tl_status number(struct reader *r, const struct field *f, const char *what, int scale,
			int64_t *ret) {
	/* Scaled fields are times (Starttime, JobRuntime); the rest are integers. */
	tl_num rc = scale > 0 ? tl_parse_time(f->s, f->len, scale, ret)
			      : tl_parse_decimal(f->s, f->len, scale, ret);
	if (rc == TL_NUM_OK) {
		return TL_OK;
	}
	char ex[64];
	tl_excerpt(f->s, f->len, ex, sizeof(ex));
	return fail(r, f->s, "%s '%s' is %s", what, ex,
		    rc == TL_NUM_RANGE       ? "out of range"
		    : rc == TL_NUM_NONFINITE ? "not a finite number"
					     : "not a number");
}

tl_status tl_joblog_read(const char *data, size_t len, const char *name, const tl_read_opts *opts,
			 tl_trace **ret_trace, struct tl_error *err) {
	struct reader r = {.name = name ? name : "-", .err = err, .line = 1, .line_start = data};
	const char *p = data, *end = data + len;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		r.line_start = p;
	}
	tl_trace *t = tl_io_trace_new(opts);
	if (!t) {
		return tl_error_set(err, TL_ERR_NOMEM, name, 0, 0, "out of memory");
	}
	tl_status st = tl_check_text(data, len, r.name, err);
	if (st != TL_OK) {
		goto out;
	}
	/* The header: where each needed column is. */
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	const char *hend = eol ? eol : end;
	if (hend > p && hend[-1] == '\r') {
		hend--;
	}
	struct field hf[64];
	size_t nh = split(p, hend, hf, 64);
	int col[C_COUNT];
	for (int c = 0; c < C_COUNT; c++) {
		col[c] = -1;
		for (size_t i = 0; i < nh; i++) {
			if (hf[i].len == strlen(col_names[c]) &&
			    memcmp(hf[i].s, col_names[c], hf[i].len) == 0) {
				col[c] = (int)i;
				break;
			}
		}
		if (col[c] < 0) {
			st = fail(&r, p, "not a GNU parallel joblog: the header has no %s column",
				  col_names[c]);
			goto out;
		}
	}
	size_t ncols = nh;
	uint32_t last_group = 0;
	const char *last_host = NULL;
	size_t last_host_len = 0;
	size_t rows = 0;
	p = eol ? eol + 1 : end;
	r.line++;
	r.line_start = p;
	for (; p < end; r.line++, r.line_start = p) {
		eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		const char *next = eol ? eol + 1 : end;
		if (lend > p && lend[-1] == '\r') {
			lend--;
		}
		if (lend == p) {
			p = next;
			continue;
		}
		size_t bad = tl_utf8_check(p, (size_t)(lend - p));
		if (bad != (size_t)(lend - p)) {
			st = fail(&r, p + bad, "invalid UTF-8");
			goto out;
		}
		struct field f[64];
		size_t n = split(p, lend, f, ncols);
		if (n < ncols) {
			st = fail(&r, lend, "row has %zu field%s, the joblog header has %zu", n,
				  n == 1 ? "" : "s", ncols);
			goto out;
		}
		int64_t seq, start, runtime, exitval, signal;
		if ((st = number(&r, &f[col[C_SEQ]], "Seq", 0, &seq)) != TL_OK ||
		    (st = number(&r, &f[col[C_START]], "Starttime", 9, &start)) != TL_OK ||
		    (st = number(&r, &f[col[C_RUNTIME]], "JobRuntime", 9, &runtime)) != TL_OK ||
		    (st = number(&r, &f[col[C_EXIT]], "Exitval", 0, &exitval)) != TL_OK ||
		    (st = number(&r, &f[col[C_SIGNAL]], "Signal", 0, &signal)) != TL_OK) {
			goto out;
		}
		if (runtime < 0) {
			char ex[64];
			const struct field *rf = &f[col[C_RUNTIME]];
			st = fail(&r, rf->s, "JobRuntime '%s' is negative",
				  tl_excerpt(rf->s, rf->len, ex, sizeof(ex)));
			goto out;
		}
		const struct field *host = &f[col[C_HOST]];
		if (!last_host || host->len != last_host_len ||
		    memcmp(host->s, last_host, host->len) != 0) {
			const char *hn = host->s;
			size_t hl = host->len;
			if (hl == 1 && hn[0] == ':') {
				hn = "local";
				hl = 5;
			}
			st = tl_trace_group(t, hn, hl, &last_group, err);
			if (st != TL_OK) {
				goto out;
			}
			last_host = host->s;
			last_host_len = host->len;
		}
		tl_span sp = {.group = last_group, .job = seq, .start = start};
		if (__builtin_add_overflow(start, runtime, &sp.stop) || sp.stop > TL_TIME_MAX) {
			st = fail(&r, f[col[C_RUNTIME]].s,
				  "Starttime plus JobRuntime is out of range");
			goto out;
		}
		/* A signal says how the job ended; otherwise its exit value does. */
		if (signal > 0 && signal < 128 && tl_status_valid(TL_STATUS_SIGNAL(signal))) {
			sp.status = TL_STATUS_SIGNAL(signal);
		} else if (signal != 0) {
			sp.status = 1;
		} else {
			sp.status = exitval >= 0 && exitval <= 255 ? (int32_t)exitval : 1;
		}
		const struct field *cmd = &f[col[C_COMMAND]];
		st = tl_trace_intern(t, cmd->s, cmd->len, &sp.label, err);
		if (st == TL_OK) {
			st = tl_trace_add_span(t, &sp, err);
		}
		if (st != TL_OK) {
			tl_error_locate(err, st, r.name, r.line, 1);
			goto out;
		}
		rows++;
		p = next;
	}
	if (rows == 0) {
		r.line = 1;
		r.line_start = data;
		st = fail(&r, data, "no jobs after the joblog header");
		goto out;
	}
	st = tl_io_normalise_epoch(t, err);
	/* A joblog's hosts ran at the same time: none is an alternative to another. */
	if (st == TL_OK) {
		st = tl_trace_meta_set(t, TL_META_GROUPS, TL_GROUPS_CONCURRENT, err);
	}
	if (st == TL_OK) {
		*ret_trace = t;
		t = NULL;
	}
out:
	tl_trace_free(t);
	return st;
}
