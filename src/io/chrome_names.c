/*
 * The Chrome trace reader's names (chrome_impl.h): tables from keys ("pid",
 * "pid/tid", an async row's key) to names, on the util hash map, and the
 * rules that keep rows and panels apart once every name is known: names
 * that processes or threads share, names made from ids, async rows named
 * by their category.
 */

#include "chrome_impl.h"

#include "../util/grow.h"
#include "../util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key sought in a map: whether entry k of the map is it. */
struct sought {
	const struct smap *m;
	const char *key;
};

static bool is_key(const void *ctx, uint32_t k) {
	const struct sought *q = ctx;
	return strcmp(q->m->v[k].key, q->key) == 0;
}

/*
 * The entry of key, or NULL; *ret_h (may be NULL) is where key is, or would
 * go, in the index: keys are found by their hash, and two keys of one hash
 * told apart by their text (tl_hashmap_find_same()).
 */
static struct names *lookup(const struct smap *m, const char *key, uint64_t *ret_h) {
	uint32_t k;
	struct sought q = {m, key};
	return tl_hashmap_find_same(&m->idx, tl_hash_str(key), is_key, &q, &k, ret_h) ? &m->v[k]
										      : NULL;
}

struct names *smap_find(const struct smap *m, const char *key) {
	return lookup(m, key, NULL);
}

const char *smap_get(const struct smap *m, const char *key) {
	const struct names *e = smap_find(m, key);
	return e ? e->name : NULL;
}

tl_status smap_entry(struct reader *r, struct smap *m, const char *at, const char *key,
		     struct names **ret) {
	uint64_t h;
	struct names *e = lookup(m, key, &h);
	if (e) {
		*ret = e;
		return TL_OK;
	}
	if (m->n >= UINT32_MAX - 1) {
		return chrome_over_limit(r, at, "too many process and thread names");
	}
	/* The entry, its key, and two slots of the index (which is at most half full). */
	tl_status st = chrome_charge(
		r, at, sizeof(*e) + 2 * sizeof(struct tl_hashmap_slot) + strlen(key) + 1);
	if (st != TL_OK) {
		return st;
	}
	if (!tl_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v))) {
		return chrome_nomem(r);
	}
	e = &m->v[m->n];
	*e = (struct names){.key = strdup(key), .name = strdup("")};
	uint32_t k;
	if (!e->key || !e->name || !tl_hashmap_get_or_put(&m->idx, h, (uint32_t)m->n, &k, NULL)) {
		free(e->key);
		free(e->name);
		return chrome_nomem(r);
	}
	m->n++;
	*ret = e;
	return TL_OK;
}

tl_status smap_set(struct reader *r, struct smap *m, const char *at, const char *key,
		   const char *name) {
	struct names *e;
	tl_status st = smap_entry(r, m, at, key, &e);
	if (st != TL_OK) {
		return st;
	}
	if ((st = chrome_charge(r, at, strlen(name))) != TL_OK) {
		return st;
	}
	char *nn = strdup(name);
	if (!nn) {
		return chrome_nomem(r);
	}
	free(e->name);
	e->name = nn;
	return TL_OK;
}

void smap_free(struct smap *m) {
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].name);
	}
	free(m->v);
	tl_hashmap_fini(&m->idx);
}

/*
 * Names shared stay apart: of processes that share a process_name, each is
 * "NAME (LABEL)" when its process_labels tell them apart (Kineto's "python3
 * (CPU)" and "python3 (GPU 0)"), else "NAME (pid N)", and of threads of one process that share a
 * thread_name, each is "NAME (tid N)" (Chrome names many threads alike, and merging them would
 * stack their spans on one row). A thread or process named "" is named by its id. m is procs (key
 * pid) or threads (key pid/tid, top: the pid's length); its names are rewritten in place.
 */
static tl_status unique_names(struct reader *r, struct smap *m, const char *what) {
	bool threads = what[0] == 't';
	struct smap count = {0};
	tl_status st = TL_OK;
	char *key = NULL;
	size_t keycap = 0;
	/* Pass 0 counts each (pid,) name; pass 1 renames where it is shared. */
	for (int pass = 0; pass < 2 && st == TL_OK; pass++) {
		for (size_t i = 0; i < m->n && st == TL_OK; i++) {
			struct names *e = &m->v[i];
			const char *id = threads ? e->key + e->top + 1 : e->key;
			size_t pl = threads ? e->top : 0;
			const char *lb = threads ? NULL : smap_get(&r->plabels, id);
			size_t need = 24 + pl + strlen(e->name) + strlen(id) + strlen(what) +
				      (lb ? strlen(lb) : 0);
			if (need > keycap) {
				char *nk = realloc(key, need);
				if (!nk) {
					st = chrome_nomem(r);
					break;
				}
				key = nk;
				keycap = need;
			}
			if (!e->name[0]) {
				if (pass == 1) {
					snprintf(key, keycap, "%s%s%s", id[0] ? what : "",
						 id[0] ? " " : "", id);
					st = smap_set(r, m, r->end, e->key, key);
				}
				continue;
			}
			/* The pid's length first: no pid can run into the name. */
			snprintf(key, keycap, "%zu:%.*s%s", pl, (int)pl, e->key, e->name);
			struct names *c;
			if (pass == 0) {
				if ((st = smap_entry(r, &count, r->end, key, &c)) == TL_OK) {
					c->top++;
				}
				/* And each (name, label): a label tells apart only if unique. */
				if (st == TL_OK && lb && lb[0]) {
					snprintf(key, keycap, "L%zu:%s\x1f%s", strlen(e->name),
						 e->name, lb);
					if ((st = smap_entry(r, &count, r->end, key, &c)) ==
					    TL_OK) {
						c->top++;
					}
				}
			} else if ((c = smap_find(&count, key)) && c->top > 1) {
				struct names *lc = NULL;
				if (lb && lb[0]) {
					snprintf(key, keycap, "L%zu:%s\x1f%s", strlen(e->name),
						 e->name, lb);
					lc = smap_find(&count, key);
				}
				if (lc && lc->top == 1) {
					snprintf(key, keycap, "%s (%s)", e->name, lb);
				} else {
					snprintf(key, keycap, "%s (%s %s)", e->name, what, id);
				}
				st = smap_set(r, m, r->end, e->key, key);
			}
		}
	}
	free(key);
	smap_free(&count);
	return st;
}

/*
 * Every process and thread that has an event gets an entry in procs and
 * threads (name "" when no M event names it), so that names given and names
 * made from ids ("tid 2") are made distinct together.
 */
static tl_status register_ids(struct reader *r) {
	tl_status st = TL_OK;
	for (size_t i = 0; i < r->nev && st == TL_OK; i++) {
		const struct pending *p = &r->ev[i];
		if (p->arow) {
			continue; /* async rows are named apart */
		}
		struct names *e;
		char key[160];
		snprintf(key, sizeof(key), "%s/%s", p->pid, p->tid);
		st = smap_entry(r, &r->procs, r->end, p->pid, &e);
		if (st == TL_OK && (st = smap_entry(r, &r->threads, r->end, key, &e)) == TL_OK &&
		    !e->name[0]) {
			e->top = strlen(p->pid);
		}
	}
	return st;
}

/*
 * Names that are still alike after unique_names() (a thread named "T (tid
 * 1)" beside two named "T"; one named "tid 2" beside the unnamed tid 2):
 * the later ones take their id, then a number, so that no two rows (threads
 * of a process) or panels (processes) merge.
 */
static tl_status distinct_names(struct reader *r, struct smap *m, const char *what) {
	bool threads = what[0] == 't';
	struct smap seen = {0};
	tl_status st = TL_OK;
	for (size_t i = 0; i < m->n && st == TL_OK; i++) {
		struct names *e = &m->v[i];
		size_t pl = threads ? e->top : 0;
		const char *id = threads ? e->key + pl + 1 : e->key;
		char *name = NULL, *key = NULL;
		for (unsigned k = 0; st == TL_OK; k++) {
			int rc = k == 0   ? asprintf(&name, "%s", e->name)
				 : k == 1 ? asprintf(&name, "%s (%s %s)", e->name, what, id)
					  : asprintf(&name, "%s (%s %s) %u", e->name, what, id, k);
			if (rc < 0 || asprintf(&key, "%zu:%.*s%s", pl, (int)pl, e->key, name) < 0) {
				name = rc < 0 ? NULL : name;
				st = chrome_nomem(r);
				break;
			}
			if (!smap_find(&seen, key)) {
				break;
			}
			free(name);
			free(key);
			name = key = NULL;
		}
		if (st == TL_OK) {
			st = smap_entry(r, &seen, r->end, key, &(struct names *){0});
		}
		if (st == TL_OK && strcmp(name, e->name) != 0) {
			st = smap_set(r, m, r->end, e->key, name);
		}
		free(name);
		free(key);
	}
	smap_free(&seen);
	return st;
}

/*
 * Async rows are named by their category (else their first event's name),
 * with the id when the process has several of that category: "Source", or
 * "loading 0x1f" and "loading 0x20". A name one of the process's threads
 * has gets " (async)"; one another async row has (a local and a global id
 * of one value) " (2)", " (3)"...: the rows stay apart.
 */
static tl_status async_names(struct reader *r) {
	struct smap count = {0}, threads = {0}, rows = {0};
	tl_status st = TL_OK;
	char *buf = NULL;
	for (size_t i = 0; i < r->threads.n && st == TL_OK; i++) {
		const struct names *e = &r->threads.v[i];
		st = asprintf(&buf, "\x1f%.*s\x1f%s", (int)e->top, e->key, e->name) < 0
			     ? chrome_nomem(r)
			     : smap_entry(r, &threads, r->end, buf, &(struct names *){0});
		free(buf);
	}
	/* Pass 0 counts the ids of each (pid, category), all scopes; pass 1 names. */
	for (int pass = 0; pass < 2 && st == TL_OK; pass++) {
		for (size_t i = 0; i < r->arows.n && st == TL_OK; i++) {
			struct names *e = &r->arows.v[i], *c;
			const char *id = e->key + e->mid;
			/* The key is \x1f pid \x1f cat \x1f scope \x1f id; the scope is "", "l" or
			 * "g". */
			size_t cat_end = e->key[e->mid - 2] == '\x1f' ? e->mid - 2 : e->mid - 3;
			if (asprintf(&buf, "%.*s", (int)cat_end, e->key) < 0) {
				st = chrome_nomem(r);
				break;
			}
			if (pass == 0) {
				if ((st = smap_entry(r, &count, r->end, buf, &c)) == TL_OK) {
					c->top++;
				}
				free(buf);
				continue;
			}
			bool several = smap_find(&count, buf)->top > 1;
			free(buf);
			if (asprintf(&buf, "%s%s%s", e->name, several ? " " : "",
				     several ? id : "") < 0) {
				st = chrome_nomem(r);
				break;
			}
			/*
			 * A thread's name: NAME (async); another async row's (a local
			 * and a global id of one value): NAME (2), NAME (3)...
			 */
			char *probe = NULL, *name = NULL;
			bool thread_clash = false;
			for (unsigned k = 0; st == TL_OK; k++) {
				free(name);
				free(probe);
				probe = NULL;
				const char *tail = thread_clash ? " (async)" : "";
				int rc = k == 0 ? asprintf(&name, "%s%s", buf, tail)
						: asprintf(&name, "%s%s (%u)", buf, tail, k + 1);
				if (rc < 0 || asprintf(&probe, "\x1f%.*s\x1f%s", (int)e->top,
						       e->key + 1, name) < 0) {
					name = rc < 0 ? NULL : name;
					st = chrome_nomem(r);
				} else if (k == 0 && !thread_clash && smap_find(&threads, probe)) {
					thread_clash = true;
					k = (unsigned)-1; /* again, from NAME (async) */
				} else if (!smap_find(&threads, probe) &&
					   !smap_find(&rows, probe)) {
					break;
				}
			}
			if (st == TL_OK) {
				st = smap_entry(r, &rows, r->end, probe, &(struct names *){0});
			}
			if (st == TL_OK) {
				st = smap_set(r, &r->arows, r->end, e->key, name);
			}
			free(probe);
			free(name);
			free(buf);
		}
	}
	smap_free(&count);
	smap_free(&threads);
	smap_free(&rows);
	return st;
}

tl_status chrome_name_rows(struct reader *r) {
	tl_status st = TL_OK;
	/* timeline writes its names unique, and "" for a worker it has none for. */
	if (!r->ours) {
		st = register_ids(r);
	}
	if (st == TL_OK && !r->ours) {
		st = unique_names(r, &r->procs, "pid");
	}
	if (st == TL_OK && !r->ours) {
		st = unique_names(r, &r->threads, "tid");
	}
	if (st == TL_OK && !r->ours) {
		st = distinct_names(r, &r->procs, "pid");
	}
	if (st == TL_OK && !r->ours) {
		st = distinct_names(r, &r->threads, "tid");
	}
	return st == TL_OK ? async_names(r) : st;
}
