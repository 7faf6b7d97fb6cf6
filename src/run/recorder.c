/*
 * The recorder. Every thread that records gets a buffer of its own, found
 * through a thread-local pointer, so recording is a clock read and a store:
 * no lock, no shared cache line. Buffers are chains of fixed-size blocks that
 * never move, so growing one costs an allocation, not a copy. The list of
 * buffers is the only shared state, taken under a mutex once per thread.
 * Turning the recording into a trace walks the buffers after the recording
 * threads are done; that is the caller's promise (DESIGN: worker buffers are
 * copied into the trace after join).
 */

#include <timeline/recorder.h>

#include <timeline/io.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_ITEMS 8192
#define MAX_DEPTH 64

struct item {
	tl_ns start; /* sample time, or span start */
	tl_ns stop;  /* span stop; INT64_MIN for a sample */
	int64_t job;
	const char *group; /* caller's string */
	int32_t status;
};

struct block {
	struct block *next;
	size_t n;
	struct item items[BLOCK_ITEMS];
};

struct open_span {
	const char *group;
	int64_t job;
	tl_ns start;
};

struct buffer {
	struct buffer *next; /* in the recorder's list */
	tl_recorder *owner;
	unsigned index; /* worker number */
	struct block *head, *tail;
	struct open_span open[MAX_DEPTH];
	int depth;
};

struct tl_recorder {
	tl_ns origin;
	pthread_mutex_t lock;
	struct buffer *buffers;
	unsigned nbuffers;
	pthread_key_t key; /* per-thread buffer of this recorder */
};

tl_recorder *tl_recorder_new(void) {
	tl_recorder *r = calloc(1, sizeof(*r));
	if (!r) {
		return NULL;
	}
	if (pthread_key_create(&r->key, NULL) != 0) {
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	r->origin = tl_now();
	return r;
}

void tl_recorder_free(tl_recorder *r) {
	if (!r) {
		return;
	}
	struct buffer *b = r->buffers;
	while (b) {
		struct buffer *next = b->next;
		struct block *k = b->head;
		while (k) {
			struct block *kn = k->next;
			free(k);
			k = kn;
		}
		free(b);
		b = next;
	}
	pthread_key_delete(r->key);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static struct buffer *my_buffer(tl_recorder *r) {
	struct buffer *b = pthread_getspecific(r->key);
	if (b) {
		return b;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		return NULL;
	}
	b->owner = r;
	pthread_mutex_lock(&r->lock);
	b->index = r->nbuffers++;
	b->next = r->buffers;
	r->buffers = b;
	pthread_mutex_unlock(&r->lock);
	pthread_setspecific(r->key, b);
	return b;
}

static struct item *next_item(struct buffer *b) {
	if (!b->tail || b->tail->n == BLOCK_ITEMS) {
		struct block *k = malloc(sizeof(*k));
		if (!k) {
			return NULL;
		}
		k->next = NULL;
		k->n = 0;
		if (b->tail) {
			b->tail->next = k;
		} else {
			b->head = k;
		}
		b->tail = k;
	}
	return &b->tail->items[b->tail->n++];
}

bool tl_recorder_span(tl_recorder *r, const char *group, int64_t job, tl_ns start, tl_ns stop,
		      int32_t status) {
	struct buffer *b = my_buffer(r);
	struct item *it = b ? next_item(b) : NULL;
	if (!it) {
		return false;
	}
	*it = (struct item){start, stop < start ? start : stop, job, group, status};
	return true;
}

bool tl_recorder_span_begin(tl_recorder *r, const char *group, int64_t job) {
	struct buffer *b = my_buffer(r);
	if (!b || b->depth == MAX_DEPTH) {
		return false;
	}
	b->open[b->depth++] = (struct open_span){group, job, tl_now()};
	return true;
}

bool tl_recorder_span_end(tl_recorder *r, int32_t status) {
	struct buffer *b = my_buffer(r);
	if (!b || b->depth == 0) {
		return false;
	}
	struct open_span *o = &b->open[--b->depth];
	return tl_recorder_span(r, o->group, o->job, o->start, tl_now(), status);
}

bool tl_recorder_sample(tl_recorder *r, const char *group, int64_t job) {
	tl_ns t = tl_now();
	struct buffer *b = my_buffer(r);
	struct item *it = b ? next_item(b) : NULL;
	if (!it) {
		return false;
	}
	*it = (struct item){t, INT64_MIN, job, group, 0};
	return true;
}

tl_status tl_recorder_trace(tl_recorder *r, tl_trace **ret, struct tl_error *err) {
	tl_trace *t = tl_trace_new();
	if (!t) {
		return tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	pthread_mutex_lock(&r->lock);
	unsigned n = r->nbuffers;
	struct buffer **order = calloc(n ? n : 1, sizeof(*order));
	tl_status st = order ? TL_OK : tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
	for (struct buffer *b = r->buffers; b && order; b = b->next) {
		order[b->index] = b;
	}
	pthread_mutex_unlock(&r->lock);
	const char *last_name = NULL;
	uint32_t last_group = 0;
	for (unsigned w = 0; w < n && st == TL_OK; w++) {
		char wname[16];
		snprintf(wname, sizeof(wname), "%u", w);
		tl_str worker;
		st = tl_trace_intern(t, wname, strlen(wname), &worker, err);
		for (struct block *k = order[w]->head; k && st == TL_OK; k = k->next) {
			for (size_t i = 0; i < k->n && st == TL_OK; i++) {
				const struct item *it = &k->items[i];
				const char *gname = it->group ? it->group : "";
				if (gname != last_name) {
					st = tl_trace_group(t, gname, strlen(gname), &last_group,
							    err);
					last_name = gname;
				}
				if (st != TL_OK) {
					break;
				}
				if (it->stop == INT64_MIN) {
					tl_sample s = {.t = it->start - r->origin,
						       .job = it->job,
						       .group = last_group,
						       .worker = worker};
					st = tl_trace_add_sample(t, &s, err);
				} else {
					tl_span s = {.start = it->start - r->origin,
						     .stop = it->stop - r->origin,
						     .job = it->job,
						     .group = last_group,
						     .worker = worker,
						     .status = it->status};
					st = tl_trace_add_span(t, &s, err);
				}
			}
		}
	}
	free(order);
	if (st != TL_OK) {
		tl_trace_free(t);
		return st;
	}
	*ret = t;
	return TL_OK;
}

tl_status tl_recorder_write(tl_recorder *r, const char *path, struct tl_error *err) {
	tl_trace *t;
	tl_status st = tl_recorder_trace(r, &t, err);
	if (st != TL_OK) {
		return st;
	}
	st = tl_write_file(t, path, TL_FORMAT_CSV, err);
	tl_trace_free(t);
	return st;
}
