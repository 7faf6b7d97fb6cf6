#ifndef TIMELINE_IO_READER_H
#define TIMELINE_IO_READER_H

/*
 * What the readers share about where they are and how they report. An
 * input error names the file, the line and the column (in characters, as
 * tl_column() counts them) where the input is wrong; a note in the trace's
 * metadata (a TL_META_NOTE_PREFIX key) says what was read otherwise than it
 * was written: rows skipped, a guess made. One way for every reader, so
 * that their messages and notes read alike.
 */

#include <timeline/io.h>

#include <stdarg.h>

/*
 * Fill err with TL_ERR_INPUT at pos, on line line of the input name, which
 * starts at line_start: the column is pos's, counted from there. fmt and its
 * arguments as tl_error_set() takes them. Returns TL_ERR_INPUT.
 */
tl_status tl_io_fail(struct tl_error *err, const char *name, long line, const char *line_start,
		     const char *pos, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* tl_io_fail() with the arguments as a va_list (used up). */
tl_status tl_io_failv(struct tl_error *err, const char *name, long line, const char *line_start,
		      const char *pos, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/*
 * tl_io_failv() for a reader that keeps no line count: pos's line is counted
 * (LF, CRLF and a lone CR end one each) from text, the start of line first,
 * up to pos (and no further than end).
 */
tl_status tl_io_fail_inv(struct tl_error *err, const char *name, long first, const char *text,
			 const char *end, const char *pos, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

/* tl_io_fail_inv() with the arguments as they come. */
tl_status tl_io_fail_in(struct tl_error *err, const char *name, long first, const char *text,
			const char *end, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/*
 * Set the note TL_META_NOTE_PREFIX key (key: at most 50 bytes) of t to
 * fmt's text, whatever its length. TL_ERR_NOMEM in err when out of memory.
 */
tl_status tl_io_note(tl_trace *t, struct tl_error *err, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The end of a reader with status st: on TL_OK its trace t is the caller's,
 * in *ret_trace; else t is freed (t may be NULL). Returns st.
 */
tl_status tl_io_hand_over(tl_status st, tl_trace *t, tl_trace **ret_trace);

/* A reader that reads its input a line at a time, and what it builds. */
struct tl_line_reader {
	const char *name;         /* the input, in messages: "-" when it has none */
	struct tl_error *err;     /* the caller's; may be NULL */
	const tl_read_opts *opts; /* never NULL */
	tl_trace *t;              /* the trace being read */
	long line;                /* the line being read, from 1 */
	const char *line_start;   /* where it starts */
};

/*
 * Start reading data (len bytes), called name (NULL: "-"), with opts (NULL:
 * the defaults): r on line 1, at data, with a new trace under opts' limits.
 * TL_ERR_NOMEM when out of memory; TL_ERR_INPUT when data is not text
 * (tl_check_text()). r->t is NULL after a failure.
 */
tl_status tl_line_reader_start(struct tl_line_reader *r, const char *data, size_t len,
			       const char *name, const tl_read_opts *opts, struct tl_error *err);

/* tl_io_hand_over() of r's trace; r->t is NULL afterwards. */
tl_status tl_line_reader_end(struct tl_line_reader *r, tl_status st, tl_trace **ret_trace);

/* An input error at pos, on the line r is reading. Returns TL_ERR_INPUT. */
tl_status tl_line_fail(const struct tl_line_reader *r, const char *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
