/*
 * libFuzzer target for layout and drawing: any input the reader accepts is
 * rendered to PNG in memory on a small canvas, and as a text preview. Rendering may refuse (a
 * canvas too small for the labels), but never crash, and every refusal has
 * a one-line message.
 */

#include <timeline/timeline.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	tl_trace *t = NULL;
	struct tl_error err;
	if (tl_read_mem((const char *)data, size, "fuzz.csv", NULL, &t, &err) != TL_OK) {
		return 0;
	}
	tl_render_opts o;
	tl_render_opts_init(&o);
	o.width = 400;
	o.height = 240;
	/* Let the input pick a few options so more of the layout is reached. */
	o.rows = size % 2 ? TL_ROWS_WORKER : TL_ROWS_JOB;
	o.sort = (tl_sort)(size % TL_SORT_COUNT);
	o.color_by = (tl_color_by)(size % TL_COLOR_COUNT);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		abort();
	}
	tl_status st = tl_render_stream(t, &o, f, "mem", &err);
	fclose(f);
	if (st != TL_OK && (!err.msg[0] || strchr(err.msg, '\n'))) {
		abort();
	}
	if (st == TL_OK && (len < 8 || memcmp(buf, "\x89PNG", 4) != 0)) {
		abort();
	}
	free(buf);
	/* And the text preview, in both character sets. */
	tl_term_opts to = {
		.width = 30 + (int)(size % 90), .max_rows = (int)(size % 7), .ascii = size % 2};
	f = open_memstream(&buf, &len);
	if (!f) {
		abort();
	}
	st = tl_render_term(t, &to, f, &err);
	fclose(f);
	if (st != TL_OK && (!err.msg[0] || strchr(err.msg, '\n'))) {
		abort();
	}
	free(buf);
	tl_trace_free(t);
	return 0;
}
