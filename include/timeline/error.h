#ifndef TIMELINE_ERROR_H
#define TIMELINE_ERROR_H

/*
 * Errors travel as a returned tl_status plus a struct tl_error filled by the
 * callee. The library never prints and never exits: the program decides.
 * A tl_error owns nothing; it is plain caller storage.
 */

#include <stdarg.h>
#include <stddef.h>

typedef enum tl_status {
	TL_OK = 0,
	TL_ERR_INPUT, /* the input is malformed: file, line and column say where */
	TL_ERR_IO,    /* reading or writing a file failed (errno-style reason) */
	TL_ERR_NOMEM, /* an allocation failed or a size limit was reached */
	TL_ERR_USAGE, /* the caller passed an invalid argument or option */
	TL_STATUS_COUNT
} tl_status;

#define TL_ERROR_MSG_MAX 512
#define TL_ERROR_PATH_MAX 1024

struct tl_error {
	tl_status code;
	char msg[TL_ERROR_MSG_MAX];   /* one line of English, no trailing newline */
	char path[TL_ERROR_PATH_MAX]; /* file the error is about, "" when none */
	long line;                    /* 1-based line, 0 when unknown */
	long column;                  /* 1-based column in characters, 0 when unknown */
};

/**
 * A short English name for a status ("ok", "input error", "I/O error", "out of
 * memory", "usage error"; "unknown error" for any other value). A static
 * string, never NULL.
 */
const char *tl_status_str(tl_status status);

/**
 * Fill err (may be NULL: then only return code) and return code. fmt is a
 * printf format; the message is cut to TL_ERROR_MSG_MAX - 1 bytes and path
 * to TL_ERROR_PATH_MAX - 1, and line breaks in the message become blanks.
 * path may be NULL (""); line and column are 1-based, 0 when unknown.
 * Never fails.
 */
tl_status tl_error_set(struct tl_error *err, tl_status code, const char *path, long line,
		       long column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/**
 * tl_error_set() with the message's arguments as a va_list, for functions
 * that take a format of their own and pass it on. ap is used up (the caller
 * calls va_end on it, and va_copy first to use it again). Never fails.
 */
tl_status tl_error_setv(struct tl_error *err, tl_status code, const char *path, long line,
			long column, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/**
 * Format err as "PATH:LINE:COLUMN: MSG" (the parts that are known: "PATH:
 * MSG" without a line, "MSG" alone without a path) into the caller's buf of
 * size bytes (size > 0), cut to fit and NUL-terminated. Returns buf. Never
 * fails.
 */
char *tl_error_format(const struct tl_error *err, char *buf, size_t size);

#endif
