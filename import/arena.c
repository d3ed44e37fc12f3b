/*
 * arena.c - chunked allocation of small objects, freed at once (arena.h).
 */
#include "import/arena.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

struct chunk {
	struct chunk *next;
	size_t size, used;
	char data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK / 2 ? n : CHUNK - sizeof *c;

		c = malloc(sizeof *c + size);
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
		free(c);
	}
}
