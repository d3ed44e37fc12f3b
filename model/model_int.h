/*
 * model_int.h - private to the model's own files (model.c, idmap.c, graph.c,
 * edit.c, figures.c): the id index and the helpers they share. Nothing
 * outside model/ includes it.
 *
 * The id index of a process maps each of its step ids to the step and to the
 * number of explicit flows and measures that name the step (so a step still
 * named by one is never deleted, in O(1)). It also remembers the largest id
 * ever added to the process, so workbook_new_id() stays above ids that
 * readers and the store add directly.
 *
 * Arrays. Every pointer array of the model (workbook->procs, process->lanes,
 * steps, flows, measures, scenarios, scenario->cuts) is allocated here with
 * a capacity implied by its length (model_cap()), so adding to it needs no
 * separate capacity field: grow them only through model_grow().
 */
#ifndef STEPMAP_MODEL_INT_H
#define STEPMAP_MODEL_INT_H

#include "model/model.h"

/* --- the id index ------------------------------------------------------ */

struct id_slot {
	sm_id id;                    /* 0 = empty */
	sm_id aux;                   /* steps: flows + measures naming it;
	                                id maps: the other id */
	void *ptr;
};

struct id_index {
	struct id_slot *slots;
	size_t cap;                  /* a power of two, or 0 */
	size_t n;
	sm_id max_id;                /* the largest id ever noted */
	size_t cuts_seen;            /* cuts counted when max_id last took them */
};

struct id_index *idmap_new(size_t hint);
void idmap_free(struct id_index **m);
/* The slot of id, or NULL. */
struct id_slot *idmap_get(const struct id_index *m, sm_id id);
/* Make room for n more entries, so the next n idmap_put() cannot fail. */
enum status idmap_reserve(struct id_index *m, size_t n);
/* Add id (which must not be there); STATUS_NOMEM when it cannot grow. */
enum status idmap_put(struct id_index *m, sm_id id, void *ptr, sm_id aux);
/* Remove id if present. */
void idmap_del(struct id_index *m, sm_id id);
/* Note an id as used (max_id). */
void idmap_note(struct id_index *m, sm_id id);

/* --- the lane index (lanes.c) ------------------------------------------ */

struct lane_index *laneix_new(void);
void laneix_free(struct lane_index **ix);
/* p->lanes[pos] was just inserted (process_add_lane). */
void laneix_added(struct process *p, size_t pos);

/* --- arrays ------------------------------------------------------------ */

/* The capacity an array of n pointers has: 8, 16, 32... */
size_t model_cap(size_t n);
/* Make room for one more element in *arr (n elements now). */
enum status model_grow(void *arr, size_t n);
/* Insert x at pos / remove the element at pos (room must have been made). */
void model_insert_at(void *arr, size_t n, size_t pos, void *x);
void model_remove_at(void *arr, size_t n, size_t pos);

/* --- objects ----------------------------------------------------------- */

/* A new empty process (its index sized for hint steps); NULL when out of
 * memory. */
struct process *process_new(sm_id id, const char *name, size_t hint);
struct scenario *scenario_copy(const struct scenario *sc, bool with_cuts);
void scenario_free(struct scenario **sc);
struct process_head *process_head_of(const struct process *p);
void process_head_free(struct process_head **h);
char *model_strdup(const char *s);     /* NULL stays NULL */
bool model_str_equal(const char *a, const char *b);  /* NULL == NULL */

/* Steps in order: by key, then id. */
int step_cmp(const struct step *a, const struct step *b);
/* Renumber steps[from..to) (to exclusive). */
void process_renumber(struct process *p, size_t from, size_t to);

/* process_graph_rebuild() for a caller that has read every step's id and
 * type already (ids[i], types[i] of p->steps[i]), so the build does not
 * read the steps again. */
enum status graph_rebuild_read(const struct process *p, struct graph *g, const sm_id *ids,
                               const unsigned char *types);

/* The flows/measures that name a step: the index counts them. */
void process_ref_step(struct process *p, sm_id step, int delta);

/* Position in an id-ordered array where id is or would go. */
size_t flows_find(const struct process *p, sm_id id, bool *found);
size_t measures_find(const struct process *p, sm_id id, bool *found);
size_t scenarios_find(const struct process *p, sm_id id, bool *found);

/* True when some object of w already has this id. */
bool workbook_id_used(const struct workbook *w, sm_id id);
/* The scenario with this id and the process that holds it. */
struct scenario *workbook_scenario(const struct workbook *w, sm_id id,
                                   struct process **owner);

/* --- edits (edit.c, for the builders in edit_build.c) ------------------- */

/* A single edit of kind k in process pid, carrying copies of b and a; NULL
 * when out of memory. edit_make_own takes ownership of a (even on failure). */
struct edit *edit_make(enum edit_kind k, sm_id pid, const void *b, const void *a);
struct edit *edit_make_own(enum edit_kind k, sm_id pid, const void *b, void *a);
/* p's name for messages. */
const char *edit_pname(const struct process *p);
/* Fail unless s's lane is none or one of p's. */
enum status edit_check_step_lane(const struct process *p, const struct step *s,
                                 struct err *err);

#endif
