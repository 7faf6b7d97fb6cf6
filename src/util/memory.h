#ifndef TIMELINE_UTIL_MEMORY_H
#define TIMELINE_UTIL_MEMORY_H

/*
 * How much memory this process could still get: the one policy behind the
 * readers' default limit (the CLI's --max-memory) and the runner's check
 * that its results fit, so that both see the same limits.
 */

#include <stdint.h>
#include <stdio.h>

/*
 * MemAvailable of text in /proc/meminfo's form ("MemAvailable:  123 kB"
 * lines among others), read from f to its end or to that line, in bytes;
 * 0 when the text has no such line.
 */
uint64_t tl_meminfo_available(FILE *f);

/*
 * Bytes of memory this process could still get: the RAM available
 * (/proc/meminfo's MemAvailable, else the free pages), within the cgroup's
 * limit (memory.max less memory.current: what the OOM killer enforces in a
 * container) and the address space and data limits (ulimit -v, ulimit -d).
 * 0 when none of these is known.
 */
uint64_t tl_memory_available(void);

/*
 * ram (bytes; 0: unknown) within the cgroup's limit and the address space
 * and data limits, as tl_memory_available() bounds the RAM available.
 */
uint64_t tl_memory_within_limits(uint64_t ram);

#endif
