/*
 * The emulated GIL. Tickets make it fair: a thread that releases it and asks
 * again queues behind every thread already waiting, so threads take turns
 * in slices of the switch interval, the stripes the live tracker shows.
 * Blocking work (sleep, IO, a child process, numpy's dot) releases it.
 */

#include "gil.h"

#include <timeline/recorder.h>

#include <string.h>

void gil_init(struct gil *g, tl_ns interval) {
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&g->m, NULL);
	pthread_cond_init(&g->c, NULL);
	atomic_init(&g->waiting, 0);
	g->interval = interval;
}

void gil_fini(struct gil *g) {
	pthread_mutex_destroy(&g->m);
	pthread_cond_destroy(&g->c);
}

void gil_acquire(struct gil *g) {
	pthread_mutex_lock(&g->m);
	uint64_t me = g->next++;
	atomic_fetch_add(&g->waiting, 1);
	while (g->serving != me) {
		pthread_cond_wait(&g->c, &g->m);
	}
	atomic_fetch_sub(&g->waiting, 1);
	g->since = tl_now();
	pthread_mutex_unlock(&g->m);
}

void gil_release(struct gil *g) {
	pthread_mutex_lock(&g->m);
	g->serving++;
	pthread_cond_broadcast(&g->c);
	pthread_mutex_unlock(&g->m);
}

void gil_tick(struct gil *g, tl_ns now) {
	if (g && now - g->since >= g->interval && atomic_load(&g->waiting) > 0) {
		gil_release(g);
		gil_acquire(g);
	}
}
