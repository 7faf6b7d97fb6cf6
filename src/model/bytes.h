#ifndef TIMELINE_MODEL_BYTES_H
#define TIMELINE_MODEL_BYTES_H

#include <stddef.h>

/* n bytes for a message: "512 bytes", "200 KiB", "97 MiB", "1.5 GiB". Returns buf. */
const char *tl_bytes_str(size_t n, char buf[static 32]);

#endif
