#include "memory.h"

#include <sys/resource.h>
#include <unistd.h>

uint64_t tl_meminfo_available(FILE *f) {
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			return kb > UINT64_MAX / 1024 ? UINT64_MAX : (uint64_t)kb * 1024;
		}
	}
	return 0;
}

/* The RAM available: MemAvailable, else the free pages; 0 when neither is known. */
static uint64_t ram_available(void) {
	uint64_t avail = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	if (f) {
		avail = tl_meminfo_available(f);
		fclose(f);
	}
	if (!avail) {
		long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
		avail = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
	}
	return avail;
}

/* avail bounded by limit; avail 0 (unknown) becomes limit. */
static uint64_t bound(uint64_t avail, uint64_t limit) {
	return avail == 0 || limit < avail ? limit : avail;
}

uint64_t tl_memory_available(void) {
	return tl_memory_within_limits(ram_available());
}

uint64_t tl_memory_within_limits(uint64_t ram) {
	uint64_t avail = ram;
	unsigned long long max, cur;
	FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
	if (f) {
		/* "max" (no limit) reads as no number. */
		if (fscanf(f, "%llu", &max) == 1) {
			FILE *g = fopen("/sys/fs/cgroup/memory.current", "r");
			if (g && fscanf(g, "%llu", &cur) == 1 && max > cur) {
				avail = bound(avail, max - cur);
			}
			if (g) {
				fclose(g);
			}
		}
		fclose(f);
	}
	static const int kinds[] = {RLIMIT_AS, RLIMIT_DATA};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct rlimit rl;
		if (getrlimit(kinds[i], &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
			avail = bound(avail, rl.rlim_cur);
		}
	}
	return avail;
}
