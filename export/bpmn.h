/*
 * bpmn.h - write processes as a BPMN 2.0 document with a diagram (BPMN DI),
 * stepmap's own fields and BPSim 2.0 simulation parameters, for Camunda,
 * bpmn.io, Signavio, Bizagi and the BPMN reader in import/ to open.
 *
 * What the document holds:
 *   collaboration  one participant (pool) per process, named after it
 *   process        documentation from its description; a laneSet with every
 *                  lane (stage order, customer on top) and its flowNodeRefs;
 *                  each step as the element step_type_bpmn() names (a wait
 *                  as a timer intermediateCatchEvent whose timeDuration is
 *                  the mean wait); notes as documentation; sequence flows
 *                  with ids, names, and incoming/outgoing always written;
 *                  the flows out of a forking exclusive gateway named and
 *                  conditioned (tFormalExpression: the condition, else the
 *                  label, else the branch's probability)
 *   added nodes    so that bpmnlint's recommended rules hold on a map that
 *                  does not say it: a start event before the first step when
 *                  no step is a start; an end event after a step that ends
 *                  a path but is not an end; an exclusive gateway after a
 *                  step of another type with several ways out (stepmap reads
 *                  that as a decision); a join gateway before a gateway that
 *                  both joins and splits. Each carries <stepmap:generated/>
 *                  in its extensionElements, so a reader can drop it again.
 *   extension      under BPMN_STEPMAP_NS (prefix "stepmap"), what BPMN has
 *                  no place for, as attributes named by the field keywords
 *                  import/bpmn.c reads back:
 *                    process  <stepmap:process arrival="exp(30m)"
 *                             time_unit="min"/> (each when set) and one
 *                             <stepmap:measure name= from= to= clock=/> each
 *                             (from and to are element ids)
 *                    lane     <stepmap:lane stage="onstage" capacity="2"/>
 *                    step     <stepmap:step work= wait= value= error_rate=
 *                             cost= channel= emotion= pain=/> (fields that
 *                             are set; durations in stepmap's syntax);
 *                             generated="yes" on a split or join the program
 *                             made (a parallel cut's or block's), a step
 *                             kept but not counted (unlike the added nodes
 *                             below, which the reader drops)
 *                    flow     <stepmap:flow probability="0.25"/> when given;
 *                             stand-in="name", "condition" or both when the
 *                             name or condition of a decision's branch only
 *                             stands in for what the flow lacks (tools show
 *                             names; bpmnlint wants a condition on each)
 *   BPSim          bpsim:BPSimData in a relationship of type "BPSimData"
 *                  (where BPSim 2.0 puts it): one Scenario, baseTimeUnit
 *                  seconds; per step WaitTime and ProcessingTime (fixed as
 *                  FloatingParameter, else Uniform, Triangular, Exponential,
 *                  Normal, LogNormal distributions) and FixedCost; per branch
 *                  of a forking exclusive gateway its Probability; per lane
 *                  with a capacity its Quantity; per process the arrival as
 *                  the InterTriggerTimer of its start event.
 *   diagram        one BPMNDiagram over the collaboration. What a process
 *                  read from BPMN kept of its diagram (pool, lanes, steps,
 *                  flows the user did not move, retype or reconnect: the
 *                  di of each) is written as read, numbers byte for byte;
 *                  the rest is laid out by export/layout.h (pools stacked
 *                  below every kept diagram, lanes as bands, steps without
 *                  a lane in a band of their own at the bottom) and, in a
 *                  process that kept part of its diagram, moved to where
 *                  the kept nodes are, with flows routed anew between
 *                  their nodes (export/bpmn_di.c).
 *
 * Ids are stable NCNames made from the model's ids: Process_7,
 * Participant_7, Lane_12, Step_40, Flow_95 (an explicit flow), Flow_40_41
 * (the implicit flow between steps 40 and 41), and for added nodes
 * StartEvent_7, EndEvent_40, Gateway_40_split, Gateway_40_join with flows
 * Flow_7_start, Flow_40_end, Flow_40_split, Flow_40_join. Text that is not
 * valid UTF-8, or holds characters XML 1.0 forbids, is written with U+FFFD
 * in their place.
 *
 * The document is written with libxml2's xmlTextWriter. Everything that can
 * fail for want of memory (the graphs and the layout) is done before the
 * first byte is written; the caller makes the file appear atomically
 * (cli_write_atomic).
 */
#ifndef STEPMAP_EXPORT_BPMN_H
#define STEPMAP_EXPORT_BPMN_H

#include <stdio.h>

#include "model/model.h"

/*
 * Write every process of w, or only `only` when not NULL, to f as one BPMN
 * 2.0 document. Returns STATUS_IO when f fails (err names what), STATUS_NOMEM
 * when out of memory; on error what was written to f is not a document.
 */
enum status bpmn_write(FILE *f, const struct workbook *w, const struct process *only,
                       struct err *err);

/*
 * The same for n processes that need not be in a workbook, such as the
 * process scenario_apply() derives. When scenario is not NULL it names the
 * scenario they show: it is added to each pool's name ("ED admission
 * (Physician in triage)") and names the BPSim scenario.
 */
enum status bpmn_write_processes(FILE *f, const struct process *const *procs, size_t n,
                                 const char *scenario, struct err *err);

#endif
