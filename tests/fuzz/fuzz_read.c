/*
 * libFuzzer target for the readers, built once per format (FUZZ_FORMAT: the
 * tl_format to force, TL_FORMAT_AUTO for detection by content). Besides
 * "never crash, never hang", it checks what every accepted input promises:
 *
 *  - a rejection is one line with a position inside the input;
 *  - ninja logs: every choice of build (all, the last, 1, 2) by the input's length;
 *  - the trace, written as native CSV, reads back, and writing that again
 *    gives the same bytes;
 *  - for Chrome traces, the trace written as Chrome JSON reads back to the
 *    same CSV (times under 2^53 ns, where JSON numbers are exact).
 */

#include "../../src/io/chrome.h"
#include "../../src/io/csv.h"

#include <timeline/timeline.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FORMAT
#error "build with -DFUZZ_FORMAT=TL_FORMAT_..."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_csv(const tl_trace *t, size_t *len) {
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f || tl_csv_write(t, f, "mem", NULL) != TL_OK) {
		abort();
	}
	fclose(f);
	return buf;
}

static void check_error(const struct tl_error *err, const uint8_t *data, size_t size) {
	if (!err->msg[0] || strchr(err->msg, '\n') || strcmp(err->path, "fuzz.in") != 0) {
		fprintf(stderr, "bad message: '%s' path '%s'\n", err->msg, err->path);
		abort(); /* every rejection has a one-line message naming the file */
	}
	/* The position names a line that exists. */
	long lines = 1;
	for (size_t i = 0; i < size; i++) {
		lines += data[i] == '\n' ||
			 (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	}
	if (err->line < 0 || err->line > lines || err->column < 0) {
		fprintf(stderr, "position %ld:%ld outside the input (%ld lines)\n", err->line,
			err->column, lines);
		abort();
	}
}

static bool times_fit_json(const tl_trace *t) {
	const tl_ns lim = (tl_ns)1 << 52;
	size_t n;
	const tl_span *sp = tl_trace_spans(t, &n);
	for (size_t i = 0; i < n; i++) {
		if (sp[i].start <= -lim || sp[i].start >= lim || sp[i].stop <= -lim ||
		    sp[i].stop >= lim) {
			return false;
		}
	}
	const tl_ns *ts = tl_trace_sample_times(t, &n);
	for (size_t i = 0; i < n; i++) {
		if (ts[i] <= -lim || ts[i] >= lim) {
			return false;
		}
	}
	return true;
}

static void check_chrome_round_trip(const tl_trace *t, const char *csv, size_t csv_len) {
	if (!times_fit_json(t)) {
		return;
	}
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);
	if (!f || tl_chrome_write(t, f, "mem", NULL) != TL_OK) {
		abort();
	}
	fclose(f);
	tl_trace *back = NULL;
	struct tl_error err;
	tl_read_opts o = {.format = TL_FORMAT_CHROME};
	if (tl_read_mem(json, len, "again.json", &o, &back, &err) != TL_OK) {
		fprintf(stderr, "written JSON does not read back: %s:%ld:%ld: %s\n", err.path,
			err.line, err.column, err.msg);
		abort();
	}
	size_t n;
	char *again = write_csv(back, &n);
	if (n != csv_len || memcmp(again, csv, n) != 0) {
		fprintf(stderr, "Chrome round trip differs:\n%s\n---\n%s\n", csv, again);
		abort();
	}
	free(again);
	free(json);
	tl_trace_free(back);
}

/*
 * Options from the input, for tables: a first line "@@SPEC" is a --columns
 * specification (refused specifications must say why, as usage errors), and
 * the input's length picks --strict and --align.
 */
static bool table_options(const uint8_t **data, size_t *size, tl_read_opts *o, char *spec,
			  size_t spec_size) {
	o->strict = *size % 2;
	o->align = (tl_time_align)(*size / 2 % 3);
	if (*size < 2 || memcmp(*data, "@@", 2) != 0) {
		return true;
	}
	const uint8_t *eol = memchr(*data, '\n', *size);
	size_t len = (size_t)((eol ? eol : *data + *size) - *data) - 2;
	if (len >= spec_size || memchr(*data + 2, '\0', len)) {
		return false;
	}
	memcpy(spec, *data + 2, len);
	spec[len] = '\0';
	struct tl_error err = {0};
	if (tl_columns_check(spec, &err) != TL_OK) {
		if (err.code != TL_ERR_USAGE || strncmp(err.msg, "--columns: ", 11) != 0) {
			abort();
		}
		return false;
	}
	o->columns = spec;
	size_t skip = len + 2 + (eol != NULL);
	*data += skip;
	*size -= skip;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	tl_trace *t = NULL;
	struct tl_error err;
	tl_read_opts o = {.format = FUZZ_FORMAT};
	char spec[256];
	if ((FUZZ_FORMAT == TL_FORMAT_CSV || FUZZ_FORMAT == TL_FORMAT_RECORDS) &&
	    !table_options(&data, &size, &o, spec, sizeof(spec))) {
		return 0;
	}
	if (FUZZ_FORMAT == TL_FORMAT_SPARK) {
		o.strict = size % 2;
		o.group_by = size % 3 ? TL_GROUP_BY_DEFAULT : TL_GROUP_BY_APP;
	}
	if (FUZZ_FORMAT == TL_FORMAT_NINJA) {
		o.build = (long)(size % 4) - 1; /* all, the last, build 1, build 2 */
	}
	if (tl_read_mem((const char *)data, size, "fuzz.in", &o, &t, &err) != TL_OK) {
		check_error(&err, data, size);
		return 0;
	}
	size_t n1, n2;
	char *a = write_csv(t, &n1);
	tl_trace *back = NULL;
	if (tl_csv_read(a, n1, "again.csv", TL_UNIT_DEFAULT, &back, &err) != TL_OK) {
		fprintf(stderr, "written CSV does not read back: %s:%ld:%ld: %s\n", err.path,
			err.line, err.column, err.msg);
		abort();
	}
	char *b = write_csv(back, &n2);
	if (n1 != n2 || memcmp(a, b, n1) != 0) {
		fprintf(stderr, "second write differs\n");
		abort();
	}
	if (FUZZ_FORMAT == TL_FORMAT_CHROME) {
		check_chrome_round_trip(t, a, n1);
	}
	free(a);
	free(b);
	tl_trace_free(back);
	tl_trace_free(t);
	return 0;
}
