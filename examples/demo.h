/*
 * demo.h - the bundled demo: an emergency department's admission process,
 * from the patient walking in to being in an inpatient bed, with its
 * redesign scenario "Physician in triage, bedside registration".
 *
 * The demo is data compiled into the binary (examples/admission.c), so
 * `stepmap` with no file and `stepmap demo FILE` need nothing on disk.
 * Bundled sample files (examples/ *.csv) are embedded by the Makefile as
 * examples_<name>[] and examples_<name>_len.
 */
#ifndef STEPMAP_DEMO_H
#define STEPMAP_DEMO_H

#include "model/model.h"

/* The process's name in the demo workbook. */
#define DEMO_PROCESS_NAME "ED admission"
/* The redesign scenario's name. */
#define DEMO_SCENARIO_NAME "Physician in triage, bedside registration"
/* The two measures' names. */
#define DEMO_MEASURE_SEEN "arrival → seen by physician"
#define DEMO_MEASURE_ADMIT "time-to-admit"

/*
 * A new workbook holding the demo: one process of 111 steps in 12 lanes,
 * its explicit flows, two measures and the redesign scenario. Owned by the
 * caller (workbook_free). NULL when out of memory.
 */
struct workbook *demo_workbook(void);

#endif
