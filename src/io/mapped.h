#ifndef TIMELINE_IO_MAPPED_H
#define TIMELINE_IO_MAPPED_H

/*
 * The input files mapped while they are read (mapped.c), for
 * tl_input_at(): registered by tl_read_file() around its read.
 */

#include <timeline/io.h>

#include <stddef.h>

/*
 * Register the mapping [base, base + len) of the input named name (kept,
 * not copied: it must outlive the registration). The slot, for
 * tl_mapped_remove(), or -1 when every slot is taken (then the file is read
 * unregistered).
 */
int tl_mapped_add(const void *base, size_t len, const char *name);

/* Forget the mapping of a slot tl_mapped_add() gave; -1 is a no-op. */
void tl_mapped_remove(int slot);

#endif
