/*
 * arena.c - chunked allocation of small objects, freed at once (arena.h).
 *
 * Chunks double from 64 KiB to 2 MiB as the arena fills, so a small file
 * takes little and a large one few chunks; from VEC_BIG on a chunk is a
 * mapping in huge pages (import/vec.h), as the records' arrays are.
 */
#include "import/arena.h"

#include <stdlib.h>
#include <string.h>

#include "import/vec.h"

#define CHUNK_MIN ((size_t)1 << 16)

struct chunk {
	struct chunk *next;
	size_t size, used;           /* size: of the whole chunk, header included */
	char data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - sizeof *c - c->used < n) {
		size_t size = c ? c->size * 2 : CHUNK_MIN;

		if (size > VEC_BIG)
			size = VEC_BIG;
		if (size - sizeof *c < n)
			size = sizeof *c + n;   /* one large object: a chunk of its own */
		c = vec_zalloc(size, 1);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if ((p = arena_alloc(a, n)))
		memcpy(p, s, n);
	return p;
}

void
arena_done(struct arena *a)
{
	while (a->head) {
		struct chunk *c = a->head;

		a->head = c->next;
		vec_free(c, c->size, 1);
	}
}
