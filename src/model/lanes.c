/*
 * Lane packing: give each interval the lowest lane that is free at its start,
 * taking intervals by start time. For intervals this greedy order is optimal:
 * the number of lanes equals the largest number of intervals open at once.
 * An interval that starts exactly when another stops may reuse its lane.
 */

#include <timeline/trace.h>

#include "lanes.h"
#include "trace_body.h"

#include <stdlib.h>

struct item {
	tl_ns start, stop;
	size_t index;
};

static int cmp_item(const void *a, const void *b) {
	const struct item *x = a, *y = b;
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	if (x->index != y->index) {
		return x->index < y->index ? -1 : 1;
	}
	return 0;
}

/*
 * Binary min-heaps: busy lanes keyed by (stop, lane), free lanes by lane.
 * Two on purpose, alike in shape: their elements differ (16 bytes, 4 bytes)
 * and they run once per span of the widest Gantt charts, where a generic
 * heap's comparison through a pointer would cost more than these few lines.
 */
struct busy {
	tl_ns stop;
	uint32_t lane;
};

static bool busy_less(const struct busy *a, const struct busy *b) {
	return a->stop != b->stop ? a->stop < b->stop : a->lane < b->lane;
}

static void busy_push(struct busy *h, size_t *n, struct busy v) {
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!busy_less(&v, &h[p])) {
			break;
		}
		h[i] = h[p];
		i = p;
	}
	h[i] = v;
}

static struct busy busy_pop(struct busy *h, size_t *n) {
	struct busy top = h[0];
	struct busy last = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n) {
			break;
		}
		if (c + 1 < *n && busy_less(&h[c + 1], &h[c])) {
			c++;
		}
		if (!busy_less(&h[c], &last)) {
			break;
		}
		h[i] = h[c];
		i = c;
	}
	if (*n) {
		h[i] = last;
	}
	return top;
}

static void free_push(uint32_t *h, size_t *n, uint32_t v) {
	size_t i = (*n)++;
	while (i > 0 && v < h[(i - 1) / 2]) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static uint32_t free_pop(uint32_t *h, size_t *n) {
	uint32_t top = h[0];
	uint32_t last = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n) {
			break;
		}
		if (c + 1 < *n && h[c + 1] < h[c]) {
			c++;
		}
		if (h[c] >= last) {
			break;
		}
		h[i] = h[c];
		i = c;
	}
	if (*n) {
		h[i] = last;
	}
	return top;
}

bool tl_pack_intervals(const tl_ns *start, const tl_ns *stop, size_t n, uint32_t *lane,
		       size_t *ret_lanes) {
	if (n == 0) {
		*ret_lanes = 0;
		return true;
	}
	struct item *items = malloc(n * sizeof(*items));
	struct busy *busy = malloc(n * sizeof(*busy));
	uint32_t *freel = malloc(n * sizeof(*freel));
	if (!items || !busy || !freel) {
		free(items);
		free(busy);
		free(freel);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct item){.start = start[i], .stop = stop[i], .index = i};
	}
	qsort(items, n, sizeof(*items), cmp_item);
	size_t nbusy = 0, nfree = 0;
	uint32_t nlanes = 0;
	for (size_t k = 0; k < n; k++) {
		while (nbusy && busy[0].stop <= items[k].start) {
			free_push(freel, &nfree, busy_pop(busy, &nbusy).lane);
		}
		uint32_t l = nfree ? free_pop(freel, &nfree) : nlanes++;
		if (lane) {
			lane[items[k].index] = l;
		}
		busy_push(busy, &nbusy, (struct busy){.stop = items[k].stop, .lane = l});
	}
	free(items);
	free(busy);
	free(freel);
	*ret_lanes = nlanes;
	return true;
}

tl_status tl_trace_pack_lanes(const tl_trace *t, uint32_t group, uint32_t *lane, size_t *ret_lanes,
			      struct tl_error *err) {
	if (group >= t->ngroups) {
		return tl_error_set(err, TL_ERR_USAGE, NULL, 0, 0, "no group %u", (unsigned)group);
	}
	size_t n = 0;
	for (size_t i = 0; i < t->nspans; i++) {
		n += t->spans[i].group == group;
	}
	tl_ns *st = malloc((n ? n : 1) * sizeof(*st));
	tl_ns *sp = malloc((n ? n : 1) * sizeof(*sp));
	uint32_t *l = malloc((n ? n : 1) * sizeof(*l));
	tl_status rc = TL_OK;
	if (!st || !sp || !l) {
		rc = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < t->nspans; i++) {
		if (t->spans[i].group == group) {
			st[k] = t->spans[i].start;
			sp[k] = t->spans[i].stop;
			k++;
		}
	}
	size_t lanes;
	if (!tl_pack_intervals(st, sp, n, l, &lanes)) {
		rc = tl_error_set(err, TL_ERR_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	k = 0;
	for (size_t i = 0; i < t->nspans; i++) {
		if (t->spans[i].group == group) {
			lane[i] = l[k++];
		}
	}
	*ret_lanes = lanes;
out:
	free(st);
	free(sp);
	free(l);
	return rc;
}
