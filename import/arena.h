/*
 * arena.h - memory for the many small strings a reader keeps (ids, names,
 * keys): allocated from 64 KiB chunks, freed all at once. One malloc per
 * chunk instead of one per string, and the strings of one file sit together.
 *
 * Owns its chunks; what arena_alloc() returns lives until arena_done().
 */
#ifndef STEPMAP_IMPORT_ARENA_H
#define STEPMAP_IMPORT_ARENA_H

#include <stddef.h>

struct arena {
	struct chunk *head;          /* NULL: empty (a zeroed arena is ready) */
};

/* n bytes aligned for any scalar, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of s (NULL gives NULL), or NULL when out of memory. */
char *arena_strdup(struct arena *a, const char *s);
/* Free every chunk; the arena is empty and ready again. */
void arena_done(struct arena *a);

#endif
