/*
 * lanes.c - the lane index of a process: a lane by id and by name in O(1),
 * so that reading, loading, reporting and simulating a process with a lane
 * per step stays linear (process_lane, process_lane_named, process_lane_pos
 * and process_add_lane use it).
 *
 * Two open-addressing tables map a lane's id, and its name folded to ASCII
 * lower case (as strcasecmp compares), to its position in p->lanes. The
 * tables are a cache that checks itself: a position is used only once the
 * lane there is seen to have that id (or that name), and the whole index is
 * built again from p->lanes when an entry points wrong (a lane inserted
 * before others moved them) or when it holds another number of lanes than
 * p->lanes (a lane removed, or lanes copied in directly). Every lane added
 * goes through process_add_lane(), and a lane renamed in place through
 * process_lane_renamed(), so a name or id not in the tables is in no lane.
 * A process made on the stack (no index) is searched lane by lane.
 */
#include "model/model_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct lslot {
	uint64_t key;                /* id, or folded name hash | 1; 0 = empty */
	size_t pos;
};

struct lane_index {
	struct lslot *ids, *names;
	size_t cap, nids, nnames;    /* both tables have cap slots */
	bool dirty;                  /* build again before the next use */
};

struct lane_index *
laneix_new(void)
{
	struct lane_index *ix = calloc(1, sizeof *ix);

	if (ix)
		ix->dirty = true;
	return ix;
}

void
laneix_free(struct lane_index **ix)
{
	if (!ix || !*ix)
		return;
	free((*ix)->ids);
	free((*ix)->names);
	free(*ix);
	*ix = NULL;
}

static uint64_t
name_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 0x100000001b3ULL;
	}
	return h | 1;
}

static size_t
slot_of(const struct lane_index *ix, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & (ix->cap - 1);
}

static void
put(struct lane_index *ix, struct lslot *t, uint64_t key, size_t pos)
{
	size_t i = slot_of(ix, key);

	while (t[i].key)
		i = (i + 1) & (ix->cap - 1);
	t[i] = (struct lslot){ key, pos };
}

/* Room for n lanes: both tables at most half full (the names' entries of
 * lanes renamed since count too: laneix_added() and process_lane_renamed()
 * mark the index dirty when they would fill it more). The tables are
 * zeroed by rebuild(). */
static bool
reserve(struct lane_index *ix, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if (cap <= ix->cap)
		return true;
	free(ix->ids);
	free(ix->names);
	ix->ids = malloc(cap * sizeof *ix->ids);
	ix->names = malloc(cap * sizeof *ix->names);
	if (!ix->ids || !ix->names) {
		free(ix->ids);
		free(ix->names);
		ix->ids = ix->names = NULL;
		ix->cap = 0;
		return false;
	}
	ix->cap = cap;
	return true;
}

/* Build ix from p->lanes; false when out of memory (ix is then left dirty
 * and the callers search lane by lane). */
static bool
rebuild(const struct process *p, struct lane_index *ix)
{
	size_t i;

	ix->dirty = true;
	if (!reserve(ix, p->nlanes))
		return false;
	memset(ix->ids, 0, ix->cap * sizeof *ix->ids);
	memset(ix->names, 0, ix->cap * sizeof *ix->names);
	for (i = 0; i < p->nlanes; i++) {
		put(ix, ix->ids, (uint64_t)p->lanes[i]->id, i);
		put(ix, ix->names, name_key(p->lanes[i]->name), i);
	}
	ix->nids = ix->nnames = p->nlanes;
	ix->dirty = false;
	return true;
}

/* ix, up to date with p->lanes as far as counts tell; NULL when there is
 * none or it cannot be built. */
static struct lane_index *
ready(const struct process *p)
{
	struct lane_index *ix = p ? p->lane_ix : NULL;

	if (!ix)
		return NULL;
	if ((ix->dirty || ix->nids != p->nlanes) && !rebuild(p, ix))
		return NULL;
	return ix;
}

static long
linear_pos(const struct process *p, sm_id id)
{
	size_t i;

	for (i = 0; i < p->nlanes; i++)
		if (p->lanes[i]->id == id)
			return (long)i;
	return -1;
}

long
process_lane_pos(const struct process *p, sm_id id)
{
	struct lane_index *ix;
	size_t i;
	int round;

	if (!p || id <= 0)
		return -1;
	if (!(ix = ready(p)))
		return linear_pos(p, id);
	for (round = 0; round < 2; round++) {
		for (i = slot_of(ix, (uint64_t)id); ix->ids[i].key; i = (i + 1) & (ix->cap - 1)) {
			size_t pos = ix->ids[i].pos;

			if (ix->ids[i].key != (uint64_t)id)
				continue;
			if (pos < p->nlanes && p->lanes[pos]->id == id)
				return (long)pos;
			break;               /* moved: build again */
		}
		if (!ix->ids[i].key)
			return -1;
		if (!rebuild(p, ix))
			return linear_pos(p, id);
	}
	return -1;
}

struct lane *
process_lane(const struct process *p, sm_id id)
{
	long pos = process_lane_pos(p, id);

	return pos < 0 ? NULL : p->lanes[pos];
}

/* By name exactly, or failing that, the one lane whose name matches in any
 * case. */
struct lane *
process_lane_named(const struct process *p, const char *name)
{
	struct lane_index *ix;
	struct lane *fold = NULL;
	size_t i, nfold = 0;
	uint64_t key;

	if (!p || !name)
		return NULL;
	if (!(ix = ready(p))) {
		for (i = 0; i < p->nlanes; i++) {
			if (model_str_equal(p->lanes[i]->name, name))
				return p->lanes[i];
			if (p->lanes[i]->name && strcasecmp(p->lanes[i]->name, name) == 0) {
				fold = p->lanes[i];
				nfold++;
			}
		}
		return nfold == 1 ? fold : NULL;
	}
	key = name_key(name);
	for (i = slot_of(ix, key); ix->names[i].key; i = (i + 1) & (ix->cap - 1)) {
		size_t pos = ix->names[i].pos;
		struct lane *l;

		if (ix->names[i].key != key || pos >= p->nlanes)
			continue;            /* another name, or a stale entry */
		l = p->lanes[pos];
		if (model_str_equal(l->name, name))
			return l;
		if (l->name && strcasecmp(l->name, name) == 0 && l != fold) {
			fold = l;
			nfold++;
		}
	}
	return nfold == 1 ? fold : NULL;
}

void
laneix_added(struct process *p, size_t pos)
{
	struct lane_index *ix = p->lane_ix;

	if (!ix || ix->dirty)
		return;
	/* appended with room: one more entry; anything else moved lanes */
	if (pos + 1 != p->nlanes || ix->nids + 1 != p->nlanes ||
	    2 * (ix->nnames + 1) + 2 > ix->cap) {
		ix->dirty = true;
		return;
	}
	put(ix, ix->ids, (uint64_t)p->lanes[pos]->id, pos);
	put(ix, ix->names, name_key(p->lanes[pos]->name), pos);
	ix->nids++;
	ix->nnames++;
}

void
process_lane_renamed(struct process *p, const struct lane *l)
{
	struct lane_index *ix = p ? p->lane_ix : NULL;
	long pos;

	if (!ix || ix->dirty || (pos = process_lane_pos(p, l->id)) < 0)
		return;
	if (2 * (ix->nnames + 1) + 2 > ix->cap) {
		ix->dirty = true;    /* the old names' entries fill it up */
		return;
	}
	put(ix, ix->names, name_key(l->name), (size_t)pos);
	ix->nnames++;
}
