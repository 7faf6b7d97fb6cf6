#ifndef TIMELINE_IO_CHROME_H
#define TIMELINE_IO_CHROME_H

#include <timeline/io.h>

/* true when data starts like JSON (an object or an array). */
bool tl_chrome_sniff(const char *data, size_t len);

/* Parse a Chrome Trace Event Format file into a new trace (see chrome.c). */
tl_status tl_chrome_read(const char *data, size_t len, const char *name, tl_trace **ret_trace,
			 struct tl_error *err);

#endif
