/*
 * The results region: one anonymous mapping, laid out as the header, the
 * slots, the per-worker words and the samples, each part 64-byte aligned.
 * Mapped with MAP_POPULATE so that the pages exist before the mode's clock
 * starts, in every mode.
 */

#include "region.h"

#include <sys/mman.h>
#include <unistd.h>

static size_t align64(size_t n) {
	return (n + 63) & ~(size_t)63;
}

struct region *region_new(int jobs, int workers, int64_t per_job_samples, bool shared) {
	size_t head = align64(sizeof(struct region));
	size_t slots = align64((size_t)jobs * sizeof(struct slot));
	size_t cur = align64((size_t)workers * sizeof(atomic_int));
	size_t alive = align64((size_t)workers * sizeof(tl_ns));
	size_t cmd = align64((size_t)workers * sizeof(atomic_int));
	size_t samples = (size_t)jobs * (size_t)per_job_samples * sizeof(tl_ns);
	size_t size = head + slots + cur + alive + cmd + samples;
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED) {
		return NULL;
	}
	char *p = mem;
	struct region *r = mem; /* fresh anonymous memory is zero */
	r->jobs = jobs;
	r->workers = workers;
	r->size = size;
	r->shared = shared;
	r->slots = (struct slot *)(p + head);
	r->current = (atomic_int *)(p + head + slots);
	r->alive_at = (tl_ns *)(p + head + slots + cur);
	r->command = (atomic_int *)(p + head + slots + cur + alive);
	r->samples = per_job_samples ? (tl_ns *)(p + head + slots + cur + alive + cmd) : NULL;
	r->per_job_samples = per_job_samples;
	for (int w = 0; w < workers; w++) {
		atomic_init(&r->current[w], WORKER_IDLE);
	}
	atomic_init(&r->first_start, INT64_MAX);
	return r;
}

void region_populate(struct region *r) {
#ifdef MADV_POPULATE_WRITE
	/* One call instead of a trap per page (Linux 5.14 and later). */
	if (madvise(r, r->size, MADV_POPULATE_WRITE) == 0) {
		return;
	}
#endif
	long page = sysconf(_SC_PAGESIZE);
	volatile char *mem = (volatile char *)r;
	for (size_t off = (size_t)page; off < r->size; off += (size_t)page) {
		mem[off] = mem[off];
	}
}

void region_free(struct region *r) {
	if (r) {
		munmap(r, r->size);
	}
}
