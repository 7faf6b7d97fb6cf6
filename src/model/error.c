/*
 * tl_error helpers: the one place messages are formatted into caller storage.
 * The library fills errors; only the program prints them.
 */

#include <timeline/error.h>

#include "bytes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *tl_status_str(tl_status status) {
	switch (status) {
	case TL_OK:
		return "ok";
	case TL_ERR_INPUT:
		return "input error";
	case TL_ERR_IO:
		return "I/O error";
	case TL_ERR_NOMEM:
		return "out of memory";
	case TL_ERR_USAGE:
		return "usage error";
	case TL_STATUS_COUNT:
		break;
	}
	return "unknown error";
}

tl_status tl_error_set(struct tl_error *err, tl_status code, const char *path, long line,
		       long column, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	tl_error_setv(err, code, path, line, column, fmt, ap);
	va_end(ap);
	return code;
}

tl_status tl_error_setv(struct tl_error *err, tl_status code, const char *path, long line,
			long column, const char *fmt, va_list ap) {
	if (!err) {
		return code;
	}
	err->code = code;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	err->line = line;
	err->column = column;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	/* Messages are one line by contract, whatever text was quoted into them. */
	for (char *p = err->msg; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			*p = ' ';
		}
	}
	return code;
}

char *tl_error_format(const struct tl_error *err, char *buf, size_t size) {
	if (!err->path[0]) {
		snprintf(buf, size, "%s", err->msg);
	} else if (err->line > 0 && err->column > 0) {
		snprintf(buf, size, "%s:%ld:%ld: %s", err->path, err->line, err->column, err->msg);
	} else if (err->line > 0) {
		snprintf(buf, size, "%s:%ld: %s", err->path, err->line, err->msg);
	} else {
		snprintf(buf, size, "%s: %s", err->path, err->msg);
	}
	return buf;
}

const char *tl_bytes_str(size_t n, char buf[static 32]) {
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (n < 1024) {
		snprintf(buf, 32, n == 1 ? "%zu byte" : "%zu bytes", n);
		return buf;
	}
	double v = (double)n / 1024;
	int u = 0;
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, 32, v < 10 && v != (double)(size_t)v ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}
