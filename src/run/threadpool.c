/*
 * The thread pool: W pthreads share one job counter, as
 * concurrent.futures.ThreadPoolExecutor's workers share its queue. The
 * caller's thread reports progress while they work and wakes as soon as the
 * last one is done. Under the emulated GIL, threads take turns on one lock.
 */

#include "pool.h"

#include "clock.h"

#include <timeline/recorder.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_NS 100000000

struct pool {
	const struct ctx *c;
	pthread_mutex_t m;
	pthread_cond_t finished;
	int running; /* threads not yet done */
};

struct thread_arg {
	struct pool *pool;
	int worker;
};

void report_progress(const struct ctx *c, tl_mode mode) {
	if (c->o->progress) {
		c->o->progress(c->o->progress_ctx, mode, atomic_load(&c->reg->done), c->reg->jobs,
			       tl_now() - c->reg->origin);
	}
}

static void *thread_main(void *p) {
	struct thread_arg *a = p;
	const struct ctx *c = a->pool->c;
	emit_event(c, "ready %s %d %d", c->mode, a->worker, (int)getpid());
	worker_loop(c, a->worker);
	pthread_mutex_lock(&a->pool->m);
	a->pool->running--;
	pthread_cond_signal(&a->pool->finished);
	pthread_mutex_unlock(&a->pool->m);
	return NULL;
}

/* Until every thread is done: progress every PROGRESS_NS, if anyone listens. */
static void wait_finished(struct pool *pool, tl_mode mode) {
	pthread_mutex_lock(&pool->m);
	while (pool->running > 0) {
		if (!pool->c->o->progress) {
			pthread_cond_wait(&pool->finished, &pool->m);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += PROGRESS_NS;
		ts.tv_sec += ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&pool->finished, &pool->m, &ts);
		pthread_mutex_unlock(&pool->m);
		report_progress(pool->c, mode);
		pthread_mutex_lock(&pool->m);
	}
	pthread_mutex_unlock(&pool->m);
}

tl_status run_threads(struct ctx *c, struct tl_error *err) {
	int w = c->o->workers;
	pthread_t *t = calloc((size_t)w, sizeof(*t));
	struct thread_arg *args = calloc((size_t)w, sizeof(*args));
	if (!t || !args) {
		free(t);
		free(args);
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	struct gil gil;
	if (c->o->gil_interval > 0) {
		gil_init(&gil, c->o->gil_interval);
		c->gil = &gil;
	}
	struct pool pool = {.c = c, .running = 0};
	pthread_mutex_init(&pool.m, NULL);
	pthread_cond_init(&pool.finished, NULL);
	int started = 0;
	tl_status st = TL_OK;
	for (; started < w; started++) {
		args[started] = (struct thread_arg){&pool, started};
		pthread_mutex_lock(&pool.m);
		pool.running++;
		pthread_mutex_unlock(&pool.m);
		if (pthread_create(&t[started], NULL, thread_main, &args[started]) != 0) {
			pthread_mutex_lock(&pool.m);
			pool.running--;
			pthread_mutex_unlock(&pool.m);
			st = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0,
					  "cannot start thread %d of %d", started + 1, w);
			break;
		}
	}
	wait_finished(&pool, TL_MODE_THREADS);
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
	}
	if (c->gil) {
		gil_fini(&gil);
		c->gil = NULL;
	}
	pthread_mutex_destroy(&pool.m);
	pthread_cond_destroy(&pool.finished);
	free(t);
	free(args);
	return st;
}
