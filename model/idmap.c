/*
 * idmap.c - the id index of a process (id -> step, with how many flows and
 * measures name it), and the pointer arrays of the model.
 *
 * The index is open addressing with linear probing, kept at most half full,
 * and deletes by shifting back the entries that follow (no tombstones), so a
 * long life of inserts and deletes never slows a look-up down.
 */
#include "model/model_int.h"

#include <stdlib.h>
#include <string.h>

static size_t
slot_of(const struct id_index *m, sm_id id)
{
	uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 17) & (m->cap - 1);
}

struct id_index *
idmap_new(size_t hint)
{
	struct id_index *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	if (idmap_reserve(m, hint) != STATUS_OK) {
		free(m);
		return NULL;
	}
	return m;
}

void
idmap_free(struct id_index **m)
{
	if (!m || !*m)
		return;
	free((*m)->slots);
	free(*m);
	*m = NULL;
}

struct id_slot *
idmap_get(const struct id_index *m, sm_id id)
{
	size_t i;

	if (!m || m->cap == 0 || id == 0)
		return NULL;
	for (i = slot_of(m, id); m->slots[i].id; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].id == id)
			return &m->slots[i];
	return NULL;
}

static void
place(struct id_index *m, const struct id_slot *s)
{
	size_t i = slot_of(m, s->id);

	while (m->slots[i].id)
		i = (i + 1) & (m->cap - 1);
	m->slots[i] = *s;
}

enum status
idmap_reserve(struct id_index *m, size_t n)
{
	struct id_slot *old = m->slots;
	size_t oldcap = m->cap, cap = 16, i;

	if (n > (SIZE_MAX / 4) - m->n)
		return STATUS_NOMEM;
	while (cap < 2 * (m->n + n))
		cap *= 2;
	if (cap <= m->cap)
		return STATUS_OK;
	m->slots = calloc(cap, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return STATUS_NOMEM;
	}
	m->cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].id)
			place(m, &old[i]);
	free(old);
	return STATUS_OK;
}

enum status
idmap_put(struct id_index *m, sm_id id, void *ptr, sm_id aux)
{
	struct id_slot s = { id, aux, ptr };

	if (idmap_reserve(m, 1) != STATUS_OK)
		return STATUS_NOMEM;
	place(m, &s);
	m->n++;
	idmap_note(m, id);
	return STATUS_OK;
}

void
idmap_del(struct id_index *m, sm_id id)
{
	struct id_slot *s = idmap_get(m, id);
	size_t i, j, k;

	if (!s)
		return;
	i = (size_t)(s - m->slots);
	m->slots[i].id = 0;
	m->n--;
	/* Shift back every entry of the run after i that may sit at i. */
	for (j = (i + 1) & (m->cap - 1); m->slots[j].id; j = (j + 1) & (m->cap - 1)) {
		k = slot_of(m, m->slots[j].id);
		/* Keep j where it is when its home k lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->slots[i] = m->slots[j];
		m->slots[j].id = 0;
		i = j;
	}
}

void
idmap_note(struct id_index *m, sm_id id)
{
	if (m && id > m->max_id)
		m->max_id = id;
}

/* --- pointer arrays ------------------------------------------------------ */

size_t
model_cap(size_t n)
{
	size_t c = 8;

	while (c < n)
		c *= 2;
	return c;
}

enum status
model_grow(void *arr, size_t n)
{
	void *base, *grown;

	memcpy(&base, arr, sizeof base);
	if (base && model_cap(n + 1) == model_cap(n))
		return STATUS_OK;
	if (model_cap(n + 1) > SIZE_MAX / sizeof(void *))
		return STATUS_NOMEM;
	grown = realloc(base, model_cap(n + 1) * sizeof(void *));
	if (!grown)
		return STATUS_NOMEM;
	memcpy(arr, &grown, sizeof grown);
	return STATUS_OK;
}

void
model_insert_at(void *arr, size_t n, size_t pos, void *x)
{
	char *base;

	memcpy(&base, arr, sizeof base);
	memmove(base + (pos + 1) * sizeof x, base + pos * sizeof x, (n - pos) * sizeof x);
	memcpy(base + pos * sizeof x, &x, sizeof x);
}

void
model_remove_at(void *arr, size_t n, size_t pos)
{
	char *base;

	memcpy(&base, arr, sizeof base);
	memmove(base + pos * sizeof(void *), base + (pos + 1) * sizeof(void *),
	        (n - pos - 1) * sizeof(void *));
}
