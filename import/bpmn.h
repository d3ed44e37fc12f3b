/*
 * bpmn.h - the BPMN 2.0 reader: a .bpmn file into a struct sink.
 *
 * The file is streamed with libxml2's xmlTextReader, never loaded as a tree:
 * memory grows with the processes read (their steps, lanes, flows and texts),
 * not with the file, whose diagram layout (BPMN DI) is most of its bytes.
 *
 * What it reads (elements are matched by namespace URI, never by prefix):
 *   process            a process; named by the pool (participant) that shows
 *                      it, else by its own name, else by its id
 *   lane               a lane; nested lanes are flattened, named by their path
 *                      ("Hospital / ED / Triage"); the stage comes from
 *                      stepmap's extension, else is guessed from the name
 *                      (customer, client, patient... -> customer; system,
 *                      IT, ERP... -> support; anything else offstage)
 *   tasks, events,     one step each, of the nearest step type; a type that
 *   gateways           stepmap approximates (inclusive gateway -> decision)
 *                      is reported
 *   subProcess         flattened into its parent by default: its steps join
 *                      the parent's, its plain start and end events are
 *                      bypassed, its documentation goes to the note of its
 *                      first step; with keep_subprocesses, one step of type
 *                      subprocess and its content is reported as not read
 *   sequenceFlow       a flow, with its name as label and its condition
 *   messageFlow        a flow (a hand-off) when both ends land in the same
 *                      process, which happens with merge_pools; otherwise
 *                      reported as not represented
 *   documentation,     notes (textAnnotations through their associations;
 *   textAnnotation     one attached to nothing goes to the process's
 *                      description, as does a process's documentation)
 *   extensionElements  stepmap's own fields (namespace BPMN_STEPMAP_NS) and
 *                      BPSim 1.0/2.0 parameters (processing and wait times,
 *                      branch probabilities, lane quantities, costs, arrival),
 *                      so export -> import keeps everything
 *   <stepmap:step generated="yes"/>  a step the program made (a parallel
 *                      cut's or block's split and join): kept, not counted
 *   <stepmap:generated/>  a node stepmap's export added for BPMN's sake
 *                      (start, end, split and join): not a step; the flows
 *                      through it are joined, in their order, keeping their
 *                      names, conditions and probabilities. In a file stepmap
 *                      wrote (exporter="stepmap"), a branch's condition that
 *                      repeats its name, and a name that only gives its
 *                      probability ("25 %"), are the export's stand-ins and
 *                      are dropped, so export -> import -> export is stable
 * Anything else that carries meaning (boundary events, data objects, event
 * definitions, loops, groups, other tools' extensions, the diagram layout) is
 * reported through sink->ops->warn as "FILE:LINE" and "element 'X' id=Y: not
 * represented (why)", never dropped silently. Ids used twice: the first one
 * counts, the others are reported.
 *
 * Untrusted input: parsed with XML_PARSE_NONET and without NOENT, DTDLOAD,
 * DTDATTR, XINCLUDE or HUGE; external entities are never loaded (a loader
 * that refuses is installed for the duration of the read). A document type
 * declaration is refused (BPMN has none; it is how entity bombs and external
 * entities arrive). Every error libxml2 reports fails the read, even the ones
 * it recovers from. The raw bytes are scanned as they are read, before
 * libxml2 parses them, and a start tag with more than max_attributes
 * attributes stops the read (libxml2 2.9 takes quadratic time on such a tag).
 * Nesting deeper than max_depth stops the read. Text and attribute values are
 * bounded by libxml2's own limit (10 MB).
 */
#ifndef STEPMAP_IMPORT_BPMN_H
#define STEPMAP_IMPORT_BPMN_H

#include <stdbool.h>
#include <stddef.h>

#include "import/sink.h"
#include "model/status.h"

/* The namespaces stepmap reads and writes. */
#define BPMN_MODEL_NS   "http://www.omg.org/spec/BPMN/20100524/MODEL"
#define BPMN_STEPMAP_NS "https://stepmap.dev/schema/bpmn/1.0"
#define BPMN_BPSIM1_NS  "http://www.bpsim.org/schemas/1.0"
#define BPMN_BPSIM2_NS  "http://www.bpsim.org/schemas/2.0"

#define BPMN_MAX_ATTRIBUTES 10000
#define BPMN_MAX_DEPTH 256

/* What a read found, for `stepmap check` and tests. */
struct bpmn_stats {
	size_t processes, lanes, steps, flows, notes, warnings;
	size_t message_flows;        /* of them kept as flows */
	size_t elements;             /* start tags read */
};

struct bpmn_options {
	bool keep_subprocesses;      /* each subProcess one step (default: flatten) */
	bool merge_pools;            /* all pools of the file (two or more) into
	                                one process named after the collaboration,
	                                else "Pool A + Pool B"; lanes named
	                                "Pool / Lane", a pool without lanes one lane;
	                                message flows become flows (hand-offs) */
	const char *name;            /* the file's name in messages; NULL: path */
	size_t max_attributes;       /* per start tag; 0: BPMN_MAX_ATTRIBUTES */
	int max_depth;               /* element nesting; 0: BPMN_MAX_DEPTH */
	struct bpmn_stats *stats;    /* when not NULL, receives the counts of
	                                what was emitted */
};

/*
 * Read the BPMN file at path into sink: process(), then its lanes, steps,
 * flows and arrival, for each process, then end(). opt may be NULL (the
 * defaults).
 *
 * On error (the file cannot be opened, is not well-formed XML, is not BPMN,
 * is hostile, or a sink callback failed) err says where and what:
 * "FILE:LINE: ..."; nothing has been emitted to the sink in that case
 * (the reader emits only after the whole file has been read), except
 * warnings.
 */
enum status bpmn_read(const char *path, const struct bpmn_options *opt,
                      struct sink *sink, struct err *err);

/*
 * Parse an ISO 8601 duration ("PT5M", "P1DT2H", "PT0.5S") into seconds.
 * Returns false when text is not one. Years count 365 days, months 30.
 */
bool bpmn_iso_duration(const char *text, double *seconds);

#endif
