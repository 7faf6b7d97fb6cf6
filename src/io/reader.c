/*
 * Input errors with their place, notes, and the start of a line reader
 * (reader.h): formatted and set up here, once, for every reader.
 */

#include "reader.h"

#include "scan.h"

#include <stdio.h>
#include <stdlib.h>

tl_status tl_io_fail(struct tl_error *err, const char *name, long line, const char *line_start,
		     const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_status st = tl_io_failv(err, name, line, line_start, pos, fmt, ap);
	va_end(ap);
	return st;
}

tl_status tl_io_failv(struct tl_error *err, const char *name, long line, const char *line_start,
		      const char *pos, const char *fmt, va_list ap) {
	return tl_error_setv(err, TL_ERR_INPUT, name, line, tl_column(line_start, pos), fmt, ap);
}

tl_status tl_io_fail_inv(struct tl_error *err, const char *name, long first, const char *text,
			 const char *end, const char *pos, const char *fmt, va_list ap) {
	const char *ls;
	long line = first - 1 + tl_line_of(text, end, pos, &ls);
	return tl_io_failv(err, name, line, ls, pos, fmt, ap);
}

tl_status tl_io_fail_in(struct tl_error *err, const char *name, long first, const char *text,
			const char *end, const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_status st = tl_io_fail_inv(err, name, first, text, end, pos, fmt, ap);
	va_end(ap);
	return st;
}

tl_status tl_io_note(tl_trace *t, struct tl_error *err, const char *key, const char *fmt, ...) {
	char k[64], small[512], *v = small;
	snprintf(k, sizeof(k), TL_META_NOTE_PREFIX "%s", key);
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	/* A note is never cut: one that does not fit here is formatted again, whole. */
	if (n >= (int)sizeof(small) && (v = malloc((size_t)n + 1)) != NULL) {
		vsnprintf(v, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	tl_status st = v ? tl_trace_meta_set(t, k, v, err)
			 : tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	if (v != small) {
		free(v);
	}
	return st;
}

tl_status tl_line_reader_start(struct tl_line_reader *r, const char *data, size_t len,
			       const char *name, const tl_read_opts *opts, struct tl_error *err) {
	static const tl_read_opts defaults = {0};
	*r = (struct tl_line_reader){.name = name ? name : "-",
				     .err = err,
				     .opts = opts ? opts : &defaults,
				     .t = tl_io_trace_new(opts),
				     .line = 1,
				     .line_start = data};
	if (!r->t) {
		return tl_error_set(err, TL_ERR_NOMEM, r->name, 0, 0, "out of memory");
	}
	tl_status st = tl_check_text(data, len, r->name, err);
	if (st != TL_OK) {
		tl_trace_free(r->t);
		r->t = NULL;
	}
	return st;
}

tl_status tl_io_hand_over(tl_status st, tl_trace *t, tl_trace **ret_trace) {
	if (st == TL_OK) {
		*ret_trace = t;
	} else {
		tl_trace_free(t);
	}
	return st;
}

tl_status tl_line_reader_end(struct tl_line_reader *r, tl_status st, tl_trace **ret_trace) {
	tl_trace *t = r->t;
	r->t = NULL;
	return tl_io_hand_over(st, t, ret_trace);
}

tl_status tl_line_fail(const struct tl_line_reader *r, const char *pos, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_status st = tl_io_failv(r->err, r->name, r->line, r->line_start, pos, fmt, ap);
	va_end(ap);
	return st;
}
