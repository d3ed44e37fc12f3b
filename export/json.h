/*
 * json.h - the figures of a workbook as JSON: what `stepmap report --json`
 * prints and `stepmap export -f json` writes, and the small JSON writing
 * helpers other writers share.
 *
 * The keys are a contract (stepmap.1):
 *   {"processes":[{"name":..., "time_unit":"auto|s|min|h|d", "steps":N, "handoffs":N, "touchpoints":N,
 *     "manual_steps":N, "pain_points":N, "lead_time_s":X, "work_time_s":X,
 *     "wait_time_s":X, "va_time_s":X, "pce":X, "rty":X, "cost":X,
 *     "by_stage":{"customer":N,...}, "by_type":{"task":N,...},
 *     "by_lane":[{"name":..., "stage":..., "capacity":N, "steps":N}],
 *     "measures":[{"name":..., "from":..., "to":...,
 *                  "clock":"customer|process", "expected_s":X}],
 *     "log":{"cases":N, "events":N, "activities":N, "variants":N,
 *            "top_variant_cases":N, "dfg_edges":N, "events_on_map_pct":X,
 *            "case_duration_s":{"mean":X,"p50":X,"p90":X},
 *            "simulated_case_duration_s":{"mean":X,"p50":X,"p90":X},
 *            "cycle_time_emd_h":X}     (only a process made from an event
 *            log: what the log says beside a simulation of the map,
 *            model/logsum.h; the distance in hours, 1-hour bins)
 *     "scenarios":[{"name":..., the same keys as a process but
 *                   "scenarios" and "log", and "cuts":N, "stale_cuts":N}]}]}
 * Times are in seconds whatever the time unit (the unit the process's
 * figures are shown in, on screens and in the report's text); a number that is not finite (a measure whose end is
 * never reached) is null. Strings are UTF-8; invalid UTF-8 in a name is
 * written as U+FFFD so the output is always valid JSON.
 */
#ifndef STEPMAP_EXPORT_JSON_H
#define STEPMAP_EXPORT_JSON_H

#include <stdio.h>

#include "model/figures.h"
#include "model/model.h"

/*
 * Write the report of w as one JSON object and a newline to f: every
 * process, or only `only` when not NULL; each with every scenario, or only
 * the one named scenario_only when not NULL. Nothing is written when the
 * named scenario is missing (STATUS_NOT_FOUND, err names it) or on out of
 * memory; STATUS_IO when f fails.
 */
enum status report_json_write(FILE *f, const struct workbook *w, const struct process *only,
                              const char *scenario_only, struct err *err);

/*
 * The figures of one scenario of base: *derived receives the derived process
 * (caller frees with process_free), fig its figures (caller releases with
 * figures_done), *stale the number of stale cuts. On error nothing is left
 * to free and err says why.
 */
enum status report_scenario_figures(const struct process *base, const struct scenario *sc,
                                    struct process **derived, struct figures *fig,
                                    size_t *stale, struct err *err);

/* s as a JSON string, quoted and escaped (NULL writes ""). */
void json_write_string(FILE *f, const char *s);
/* x as a JSON number (shortest text that reads back the same), or null
 * when it is not finite. */
void json_write_number(FILE *f, double x);

#endif
