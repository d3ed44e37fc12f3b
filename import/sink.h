/*
 * sink.h - the one seam between readers (CSV, BPMN, event logs) and what
 * they feed.
 *
 * A reader knows nothing of SQL or screens: it emits processes, lanes, steps,
 * flows, measures and warnings into a struct sink, in the order it meets
 * them. Objects refer to each other by the reader's own keys (a BPMN id, a
 * CSV step number), unique within one process; the sink resolves them.
 *
 * Contract for every callback: the pointers passed in may be freed after the
 * call returns: copy what you keep. Ids and keys inside the passed structs
 * are ignored. A callback that returns an error stops the reader, which
 * returns that status with err as the callback left it.
 *
 * Order: process() opens a process; the lanes, steps, flows and measures
 * that follow belong to it until the next process(). A flow or measure may
 * name a step that comes later. end() is called once, after everything, when
 * the reader succeeded; it resolves references and reports the ones that
 * never resolved.
 */
#ifndef STEPMAP_SINK_H
#define STEPMAP_SINK_H

#include <stdbool.h>

#include "model/model.h"

struct sink_ops {
	enum status (*process)(void *ctx, const char *key, const char *name,
	                       const char *description, struct err *err);
	enum status (*lane)(void *ctx, const char *key, const struct lane *lane,
	                    struct err *err);
	/* lane_key NULL: no lane */
	enum status (*step)(void *ctx, const char *key, const char *lane_key,
	                    const struct step *step, struct err *err);
	enum status (*flow)(void *ctx, const char *from_key, const char *to_key,
	                    const struct flow *flow, struct err *err);
	enum status (*measure)(void *ctx, const char *from_key, const char *to_key,
	                       const struct measure *measure, struct err *err);
	/* The process's arrival pattern (simulation). */
	enum status (*arrival)(void *ctx, const struct dist *arrival, struct err *err);
	/* The diagram of the process's pool as read (struct process's di);
	 * copied. May be NULL in a sink that does not keep it. */
	enum status (*process_di)(void *ctx, const char *di, struct err *err);
	/* The unit the process's times are shown in (auto when never called).
	 * May be NULL in a sink that does not keep it. */
	enum status (*time_unit)(void *ctx, enum time_unit unit, struct err *err);
	/* What the event log the process was made from says (its counts,
	 * variants and case durations: model/logsum.h); copied. May be NULL in
	 * a sink that does not keep it; readers of maps never call it. */
	enum status (*log)(void *ctx, const struct log_summary *log, struct err *err);
	/* Something in the source that stepmap cannot represent, or repaired:
	 * where is "FILE:LINE" or an element id. Never fails the read. */
	void (*warn)(void *ctx, const char *where, const char *what);
	enum status (*end)(void *ctx, struct err *err);
};

struct sink {
	const struct sink_ops *ops;
	void *ctx;
};

/*
 * The sink that builds processes into a workbook (import/sink.c). Each
 * process read is added to w with fresh ids; lanes are matched by name within
 * the process (an unknown lane key used by a step becomes a new lane of that
 * name, stage offstage). order_by_flow says the source is a graph with no
 * step order of its own (BPMN): the steps of each process are ordered by
 * process_order_by_flow() at end(), and the process's flows are explicit
 * (process->flows_explicit); otherwise steps keep the order read.
 * Warnings are collected; print them with sink_builder_warnings().
 */
struct sink_builder;
enum status sink_builder_new(struct workbook *w, bool order_by_flow,
                             struct sink_builder **out, struct sink *sink);
/* Warnings collected so far, one per line ("where: what\n"), or "". */
const char *sink_builder_warnings(const struct sink_builder *b);
size_t sink_builder_nwarnings(const struct sink_builder *b);
void sink_builder_free(struct sink_builder **b);

#endif
