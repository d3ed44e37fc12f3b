/*
 * admission.c - the bundled demo: an emergency department admission, as a
 * workshop of ED nurses, clerks, bed managers and porters would map it, and
 * its redesign.
 *
 * The baseline ("as is") runs from the patient walking in to the patient in
 * an inpatient bed: quick registration at the front desk, triage, back to
 * the waiting room, full registration (the same questions again), a
 * cubicle, the ED physician, labs, then imaging ordered only once the labs
 * are back, a consult, the decision to admit, a bed requested on paper and
 * by fax and chased by phone, handover, and the porter to the ward. Times
 * are means a department would recognise; waits are wait-before on the step
 * that waits (the patient's waiting-room time sits on the patient's own
 * "wait" steps). Every step is data in the tables below; ids come from the
 * workbook, steps are referred to by a short tag.
 *
 * The redesign, "Physician in triage, bedside registration", is a list of
 * cuts as the workbench records them: one quick registration at the door,
 * a physician at triage, registration finished at the bedside, orders for
 * labs and X-ray together and run in parallel, a portable X-ray, bed
 * requests and notifications sent by the EHR instead of paper, fax and
 * phone. Its figures (figures_compute): 111 -> 46 steps (the split and join
 * the parallel cut adds are not steps), arrival -> seen by
 * physician 27 min -> 3 min, time-to-admit 10h51m -> 9h19m (-14 %); most of
 * what is left is the wait for a ward bed ("Find a bed", exp(2h18m)), which
 * no ED cut touches. The waiting-room waits are set so the baseline comes to
 * 27 minutes within a second, the bed wait so the change is -14.0 %. A case
 * arrives every 30 minutes on average and no staffed lane is more than 60 %
 * busy, so the simulation tells the same story without long queues.
 */
#include "examples/demo.h"

#include <stdlib.h>
#include <string.h>

/* --- lanes ------------------------------------------------------------------ */

struct demo_lane {
	const char *name;
	enum stage stage;
	int capacity;                /* 0: unlimited */
	double rate_per_h;           /* staff cost per hour of work */
};

static const struct demo_lane lanes[] = {
	{ "Patient",        STAGE_CUSTOMER, 0,   0 },
	{ "Front desk",     STAGE_ONSTAGE,  2,  32 },
	{ "Triage nurse",   STAGE_ONSTAGE,  2,  58 },
	{ "ED nurse",       STAGE_OFFSTAGE, 6,  58 },
	{ "ED physician",   STAGE_OFFSTAGE, 3, 160 },
	{ "Bed management", STAGE_OFFSTAGE, 2,  48 },
	{ "Admitting team", STAGE_OFFSTAGE, 5, 120 },
	{ "Transport",      STAGE_OFFSTAGE, 3,  30 },
	{ "Lab",            STAGE_OFFSTAGE, 4,  55 },
	{ "Radiology",      STAGE_OFFSTAGE, 2, 110 },
	{ "EHR",            STAGE_SUPPORT,  0,   0 },
	{ "Phone/fax",      STAGE_SUPPORT,  0,  40 },
};

#define PAT "Patient"
#define FD  "Front desk"
#define TN  "Triage nurse"
#define EN  "ED nurse"
#define EP  "ED physician"
#define BM  "Bed management"
#define AT  "Admitting team"
#define TR  "Transport"
#define LB  "Lab"
#define RD  "Radiology"
#define EHR "EHR"
#define PF  "Phone/fax"

/* --- steps ------------------------------------------------------------------ */

struct demo_step {
	const char *tag;
	const char *lane;
	enum step_type type;
	enum value_class value;
	const char *work, *wait;     /* duration syntax; "" = none */
	double error_rate;
	double supplies;             /* cost beyond staff time */
	const char *channel;         /* NULL = none */
	int emotion;
	bool pain;
	const char *name;
	const char *note;            /* NULL = none */
};

#define N EMOTION_NONE
#define S(tag, lane, type, value, work, wait, err, supplies, channel, emo, pain, name, note) \
	{ tag, lane, STEP_##type, VALUE_##value, work, wait, err, supplies, channel, emo, \
	  pain, name, note }

static const struct demo_step steps[] = {
	/* Arrival and quick registration */
	S("arrive", PAT, START, NONE, "", "", 0, 0, "in person", -1, false,
	  "Walk into the emergency department", NULL),
	S("q_desk", PAT, WAIT, NVA, "", "tri(0s,30s,2m)", 0, 0, "in person", -1, true,
	  "Queue at the front desk",
	  "Ambulance hand-overs and visitors share the same queue"),
	S("tell", PAT, TASK, NONE, "30s", "", 0, 0, "in person", -1, false,
	  "Tell the clerk what brought you in", NULL),
	S("sheet", FD, MANUAL, NVA, "30s", "", 0, 0, "paper", -1, false,
	  "Write name, date of birth and complaint on the paper sign-in sheet",
	  "Kept on a clipboard for when the EHR is slow; nobody reads it afterwards"),
	S("mrn", FD, USER, BVA, "30s", "", 0.05, 0, "EHR", N, false,
	  "Search the EHR for an existing medical record",
	  "Names spelled differently each visit: about 1 search in 20 misses the old "
	  "record and is redone, or a duplicate record is made"),
	S("qreg", FD, USER, BVA, "1m", "", 0, 0, "EHR", N, false,
	  "Create the quick-registration record", NULL),
	S("band", FD, MANUAL, BVA, "30s", "", 0.02, 0.4, "in person", 0, false,
	  "Print the wristband and fasten it on the patient",
	  "Another patient's label about 2 % of the time: caught at the triage identity "
	  "check and reprinted"),
	S("w_triage", PAT, WAIT, NVA, "", "exp(1m30s)", 0, 0, "in person", -2, true,
	  "Sit in the waiting room until called to triage", NULL),

	/* Triage */
	S("call_t", TN, TASK, NVA, "15s", "", 0, 0, "in person", N, false,
	  "Call the patient's name in the waiting room", NULL),
	S("walk_t", PAT, TASK, NONE, "30s", "", 0, 0, "in person", -1, false,
	  "Walk to the triage room", NULL),
	S("idchk", TN, MANUAL, BVA, "15s", "", 0, 0, "in person", 0, false,
	  "Check name and date of birth against the wristband", NULL),
	S("vitals", TN, MANUAL, VA, "2m", "", 0, 0, "in person", 0, false,
	  "Take vital signs: blood pressure, pulse, SpO2, temperature", NULL),
	S("hist_t", TN, TASK, VA, "2m", "", 0, 0, "in person", 0, false,
	  "Ask about the complaint, history, allergies and medications", NULL),
	S("pain_t", TN, TASK, VA, "15s", "", 0, 0, "in person", 0, false,
	  "Ask for a pain score (0-10)", NULL),
	S("esi", TN, BUSINESSRULE, VA, "30s", "", 0.04, 0, NULL, N, false,
	  "Assign the acuity level (ESI 1-5)",
	  "Under-triage is caught by the ED nurse and the patient triaged again"),
	S("tri_paper", TN, MANUAL, NVA, "1m", "", 0, 0, "paper", N, true,
	  "Write the triage note on the paper triage form", NULL),
	S("tri_rekey", TN, USER, NVA, "1m15s", "", 0.03, 0, "EHR", N, true,
	  "Re-key the triage note into the EHR",
	  "Double documentation: the triage room has one shared PC"),
	S("ecg_q", TN, DECISION, NONE, "", "", 0, 0, NULL, N, false,
	  "Chest pain or ECG protocol?", NULL),
	S("ecg", TN, MANUAL, VA, "4m", "", 0, 1.5, "in person", 0, false,
	  "Record a 12-lead ECG", NULL),
	S("ecg_walk", TN, MANUAL, NVA, "1m30s", "", 0, 0, "paper", N, true,
	  "Walk the ECG printout to a physician to be read within 10 minutes",
	  "The physician may be in resus; the nurse waits or comes back"),
	S("w_room", PAT, WAIT, NVA, "", "exp(1m)", 0, 0, "in person", -2, true,
	  "Go back to the waiting room", NULL),

	/* Full registration: the same questions again */
	S("call_r", FD, TASK, NVA, "15s", "", 0, 0, "in person", N, false,
	  "Call the patient back to the desk for full registration", NULL),
	S("reask", FD, USER, NVA, "30s", "", 0, 0, "in person", -2, true,
	  "Ask again for name, address, date of birth and next of kin",
	  "The third time the patient is asked the same questions"),
	S("ins_copy", FD, MANUAL, BVA, "30s", "", 0, 0.1, "paper", N, false,
	  "Photocopy the insurance card", NULL),
	S("consent", PAT, TASK, BVA, "30s", "", 0, 0, "paper", -1, false,
	  "Sign the paper consent-to-treat form", NULL),
	S("scan", FD, USER, NVA, "45s", "", 0.03, 0, "EHR", N, false,
	  "Scan the consent form and the card copy into the EHR",
	  "Scans land in the wrong encounter about 3 % of the time"),
	S("facesheet", FD, MANUAL, NVA, "30s", "", 0, 0.2, "paper", N, false,
	  "Print the face sheet and a sheet of patient labels", NULL),
	S("w_cub", PAT, WAIT, NVA, "", "exp(2m40s)", 0, 0, "in person", -2, true,
	  "Wait in the waiting room for a cubicle", NULL),

	/* Rooming */
	S("board", EN, USER, BVA, "30s", "", 0, 0, "EHR", N, false,
	  "Charge nurse looks for a free cubicle on the tracking board", NULL),
	S("hk_phone", PF, MANUAL, NVA, "30s", "", 0, 0, "phone", N, false,
	  "Phone housekeeping to turn the cubicle over", NULL),
	S("call_room", EN, TASK, NVA, "15s", "", 0, 0, "in person", N, false,
	  "Call the patient from the waiting room", NULL),
	S("walk_room", PAT, TASK, NONE, "30s", "", 0, 0, "in person", 0, false,
	  "Walk to the cubicle with the nurse", NULL),
	S("gown", PAT, TASK, NONE, "1m", "", 0, 0, "in person", -1, false,
	  "Change into a hospital gown", NULL),
	S("whiteboard", EN, MANUAL, NVA, "15s", "", 0, 0, "whiteboard", N, false,
	  "Write the patient up on the whiteboard as ready for a physician", NULL),
	S("doc_sees", EP, TASK, VA, "1m30s", "exp(1m)", 0, 0, "in person", 1, false,
	  "ED physician sees the patient",
	  "First contact: introduces themself and takes a first look. "
	  "'Seen by physician' ends here"),

	/* Physician and nurse at the bedside */
	S("n_assess", EN, TASK, VA, "4m", "", 0, 0, "in person", 0, false,
	  "Nursing assessment at the bedside", NULL),
	S("n_doc", EN, USER, BVA, "3m", "", 0, 0, "EHR", N, false,
	  "Document the nursing assessment in the EHR", NULL),
	S("hp", EP, TASK, VA, "10m", "exp(5m)", 0, 0, "in person", 0, false,
	  "History and physical examination", NULL),
	S("old_rec", PF, MANUAL, NVA, "1m", "exp(2m)", 0, 0, "phone", N, true,
	  "Phone medical records for the old paper chart",
	  "Clinic letters from before the EHR are only on paper"),
	S("orders", EP, USER, BVA, "3m", "", 0.05, 0, "EHR", N, false,
	  "Enter orders in the EHR: labs, medication",
	  "A missing or wrong order (about 5 %) is found by the nurse and entered again"),
	S("iv", EN, MANUAL, VA, "5m", "exp(5m)", 0.08, 4, "in person", -1, false,
	  "Insert an IV cannula", "First attempt fails about 8 % of the time"),
	S("meds", EN, MANUAL, VA, "5m", "", 0, 12, "in person", 1, false,
	  "Give the first medication: pain relief, fluids", NULL),

	/* Labs */
	S("lab_req", EN, MANUAL, NVA, "1m", "", 0, 0.1, "paper", N, false,
	  "Print the lab requisition and match it to the orders", NULL),
	S("draw", EN, MANUAL, VA, "4m", "", 0.03, 3, "in person", -1, false,
	  "Draw blood samples", "Haemolysed or clotted samples (about 3 %) are drawn again"),
	S("label", EN, MANUAL, BVA, "1m", "", 0.02, 0, "paper", N, true,
	  "Hand-label the tubes",
	  "The label printer is at the nurses' station, not at the bedside: about 2 % "
	  "mislabelled and redrawn"),
	S("tube", EN, TASK, BVA, "1m", "", 0, 0, "pneumatic tube", N, false,
	  "Send the tubes to the lab by pneumatic tube", NULL),
	S("accession", LB, USER, BVA, "2m", "exp(5m)", 0, 0, "EHR", N, false,
	  "Receive and accession the samples", NULL),
	S("analyse", LB, SERVICE, VA, "tri(30m,40m,56m)", "", 0, 38, NULL, N, false,
	  "Run blood count, chemistry and troponin on the analysers", NULL),
	S("validate", LB, USER, BVA, "2m", "", 0, 0, "EHR", N, false,
	  "Lab technologist validates the results", NULL),
	S("crit_q", LB, DECISION, NONE, "", "", 0, 0, NULL, N, false,
	  "Critical value?", NULL),
	S("crit_call", PF, MANUAL, BVA, "3m", "exp(4m)", 0, 0, "phone", N, true,
	  "Phone the critical value to the ED nurse and read it back", NULL),
	S("posted", EHR, SERVICE, BVA, "30s", "", 0, 0, "EHR", N, false,
	  "Results posted to the EHR", NULL),
	S("doc_labs", EP, USER, VA, "2m", "exp(4m)", 0, 0, "EHR", N, true,
	  "Physician reviews the lab results",
	  "Checked between other patients: nothing tells the physician the results are in"),

	/* Imaging, ordered only once the labs are back */
	S("xr_order", EP, USER, BVA, "1m", "", 0, 0, "EHR", N, false,
	  "Order a chest X-ray now that the labs are back",
	  "A habit, not a rule: nothing in the X-ray depends on the labs"),
	S("xr_phone", PF, MANUAL, NVA, "1m", "exp(1m)", 0, 0, "phone", N, true,
	  "Phone radiology to book an X-ray slot", NULL),
	S("porter_req", EN, USER, NVA, "1m", "", 0, 0, "EHR", N, false,
	  "Request a porter to take the patient to radiology", NULL),
	S("to_xr", TR, MANUAL, NVA, "4m", "exp(3m)", 0, 0, "in person", -1, false,
	  "Porter wheels the patient to radiology", NULL),
	S("xray", RD, TASK, VA, "8m", "", 0.04, 45, "in person", 0, false,
	  "Take the chest X-ray", "Repeat views about 4 % of the time"),
	S("from_xr", TR, MANUAL, NVA, "4m", "exp(4m)", 0, 0, "in person", -2, true,
	  "Porter brings the patient back to the ED",
	  "Patients wait in the radiology corridor for a porter"),
	S("xr_read", RD, TASK, VA, "5m", "exp(3m)", 0, 0, "EHR", N, false,
	  "Radiologist reads the X-ray and dictates the report", NULL),
	S("ct_q", EP, DECISION, NONE, "", "", 0, 0, NULL, N, false,
	  "CT needed?", NULL),
	S("ct_order", EP, USER, BVA, "2m", "", 0, 0, "EHR", N, false,
	  "Order a CT scan", NULL),
	S("ct_prot", RD, USER, BVA, "3m", "exp(10m)", 0, 0, "EHR", N, false,
	  "Radiologist protocols the CT", NULL),
	S("to_ct", TR, MANUAL, NVA, "6m", "exp(10m)", 0, 0, "in person", -1, false,
	  "Porter takes the patient to CT", NULL),
	S("ct", RD, TASK, VA, "15m", "", 0, 320, "in person", -1, false,
	  "Perform the CT scan", NULL),
	S("from_ct", TR, MANUAL, NVA, "6m", "exp(12m)", 0, 0, "in person", -1, true,
	  "Porter brings the patient back from CT", NULL),
	S("ct_read", RD, TASK, VA, "10m", "exp(20m)", 0, 0, "EHR", N, false,
	  "Radiologist reads the CT", NULL),
	S("img_rev", EP, USER, VA, "3m", "exp(10m)", 0, 0, "EHR", N, false,
	  "Physician reviews the imaging reports", NULL),

	/* Consult and the decision to admit */
	S("cons_q", EP, DECISION, NONE, "", "", 0, 0, NULL, N, false,
	  "Specialist consult needed?", NULL),
	S("cons_page", PF, MANUAL, NVA, "2m", "", 0, 0, "pager", N, false,
	  "Page the specialist on call", NULL),
	S("cons_call", PF, MANUAL, BVA, "10m", "exp(15m)", 0, 0, "phone", N, true,
	  "Wait for the call-back and discuss the case by phone", NULL),
	S("cons_see", AT, TASK, VA, "20m", "exp(20m)", 0, 0, "in person", 0, false,
	  "Specialist examines the patient in the ED", NULL),
	S("decide", EP, TASK, VA, "3m", "", 0, 0, NULL, N, false,
	  "Decide to admit", NULL),
	S("tell_adm", PAT, TASK, NONE, "5m", "", 0, 0, "in person", -1, false,
	  "Hear that you will be admitted; call your family", NULL),
	S("ed_summary", EP, USER, BVA, "2m", "", 0, 0, "EHR", N, false,
	  "Write the ED summary for the admitting team", NULL),
	S("call_adm", PF, MANUAL, NVA, "2m", "exp(3m)", 0, 0, "phone", N, true,
	  "Phone the admitting team to ask for the admission",
	  "Often several calls before the right resident answers"),
	S("handover", EP, TASK, BVA, "5m", "", 0, 0, "phone", N, false,
	  "Hand over to the admitting resident by phone", NULL),
	S("accept", AT, TASK, BVA, "10m", "exp(20m)", 0, 0, "EHR", N, false,
	  "Admitting resident reviews the chart and accepts the patient",
	  "About 1 in 10 is refused as the wrong service: the ED calls another team"),
	S("attending", AT, MANUAL, BVA, "5m", "exp(10m)", 0, 0, "phone", N, false,
	  "Admitting resident phones the attending to confirm the admission", NULL),
	S("adm_see", AT, TASK, BVA, "15m", "exp(20m)", 0, 0, "in person", -1, false,
	  "Admitting resident examines the patient in the ED",
	  "Repeats much of the ED history and examination"),
	S("adm_orders", AT, USER, BVA, "10m", "", 0.06, 0, "EHR", N, false,
	  "Write the admission orders in the EHR",
	  "Missing orders (about 6 %) are found by the ward pharmacist and rewritten"),
	S("medrec", AT, USER, BVA, "8m", "", 0, 0, "EHR", N, false,
	  "Reconcile the home medications", NULL),
	S("preauth", PF, MANUAL, BVA, "2m", "exp(2m)", 0, 0, "phone", N, true,
	  "Phone the insurer for pre-authorisation of the admission",
	  "On hold; the clerk leaves the desk unattended"),

	/* The bed: paper, fax, phone */
	S("bed_form", EN, MANUAL, NVA, "2m", "", 0, 0.1, "paper", N, true,
	  "Fill in the paper bed-request form", NULL),
	S("bed_fax", PF, SEND, NVA, "2m", "", 0.05, 0.1, "fax", N, true,
	  "Fax the bed request to bed management",
	  "Faxes go missing: re-sent when the follow-up call finds nothing"),
	S("bed_call", EN, MANUAL, NVA, "2m", "exp(2m)", 0, 0, "phone", N, true,
	  "Phone bed management to check the fax arrived", NULL),
	S("bed_rekey", BM, USER, NVA, "2m", "exp(3m)", 0.03, 0, "EHR", N, false,
	  "Re-key the faxed request into the bed board", NULL),
	S("bed_find", BM, USER, BVA, "10m", "exp(2h18m)", 0, 0, "EHR", N, false,
	  "Find a bed on the right ward",
	  "The wait is for a bed to be free: discharges on the wards come late in the day"),
	S("bed_neg", BM, MANUAL, NVA, "5m", "exp(15m)", 0, 0, "phone", N, true,
	  "Phone the ward charge nurse to agree the bed", NULL),
	S("bed_q", BM, DECISION, NONE, "", "", 0, 0, NULL, N, false,
	  "Bed already cleaned?", NULL),
	S("bed_clean", BM, MANUAL, NVA, "2m", "exp(40m)", 0, 0, "phone", N, true,
	  "Phone housekeeping and wait for the bed to be cleaned", NULL),
	S("bed_assign", BM, USER, BVA, "2m", "", 0, 0, "EHR", N, false,
	  "Assign the bed on the bed board", NULL),
	S("bed_tell", PF, MANUAL, NVA, "1m", "exp(3m)", 0, 0, "phone", N, false,
	  "Phone the ED with the bed number", NULL),
	S("board_upd", EN, USER, NVA, "1m", "", 0, 0, "EHR", N, false,
	  "Update the ED tracking board with the bed", NULL),

	/* Handover and transfer */
	S("ward_ready", PF, MANUAL, NVA, "3m", "exp(20m)", 0, 0, "phone", N, true,
	  "Phone the ward to check they are ready to receive",
	  "The ward often asks for another half hour: shift change, a discharge not yet gone"),
	S("sbar", EN, MANUAL, BVA, "8m", "", 0, 0, "phone", N, false,
	  "Nurse-to-nurse handover (SBAR) by phone", NULL),
	S("xfer_paper", EN, MANUAL, NVA, "3m", "", 0, 0.3, "paper", N, false,
	  "Print the transfer paperwork and medication list", NULL),
	S("pack_meds", EN, MANUAL, BVA, "3m", "", 0, 0, "in person", N, false,
	  "Pack the patient's medications and notes for the ward", NULL),
	S("belongings", PAT, TASK, NONE, "3m", "", 0, 0, "in person", 0, false,
	  "Gather your belongings; tell your family which ward", NULL),
	S("tr_req", EN, USER, NVA, "1m", "", 0, 0, "EHR", N, false,
	  "Request a transport porter", NULL),
	S("final_vitals", EN, MANUAL, BVA, "3m", "", 0, 0, "in person", 0, false,
	  "Take a last set of vital signs before leaving", NULL),
	S("to_ward", TR, MANUAL, BVA, "10m", "exp(15m)", 0, 0, "in person", -1, false,
	  "Porter takes the patient to the ward", NULL),
	S("ward_arr", PAT, TASK, NONE, "1m", "", 0, 0, "in person", 1, false,
	  "Arrive on the ward", NULL),
	S("ward_id", AT, MANUAL, BVA, "1m", "", 0.01, 0, "in person", 0, false,
	  "Ward nurse checks identity and wristband", NULL),
	S("in_bed", AT, MANUAL, VA, "3m", "", 0, 0, "in person", 1, false,
	  "Move the patient from the trolley into the bed",
	  "'Time-to-admit' ends here"),
	S("ward_assess", AT, TASK, VA, "15m", "", 0, 0, "in person", 0, false,
	  "Ward admission nursing assessment", NULL),
	S("ward_doc", AT, USER, BVA, "10m", "", 0, 0, "EHR", N, false,
	  "Document the admission assessment in the EHR", NULL),
	S("ehr_xfer", EHR, SERVICE, BVA, "30s", "", 0, 0, "EHR", N, false,
	  "Move the encounter from the ED to the inpatient ward in the EHR", NULL),
	S("bed_occ", BM, USER, NVA, "1m", "exp(15m)", 0, 0, "EHR", N, false,
	  "Mark the bed occupied on the bed board",
	  "Done late: the bed shows as free for a while"),
	S("cub_release", EN, USER, NVA, "1m", "", 0, 0, "EHR", N, false,
	  "Release the ED cubicle on the tracking board", NULL),
	S("settled", PAT, END, NONE, "", "", 0, 0, "in person", 1, false,
	  "Settled on the ward", NULL),
};

#undef S
#undef N

/* --- flows and measures ----------------------------------------------------- */

struct demo_flow {
	const char *from, *to;
	double prob;
	const char *label;
};

static const struct demo_flow flows[] = {
	{ "ecg_q", "ecg", 0.25, "chest pain" },
	{ "ecg_q", "w_room", 0.75, "no" },
	{ "crit_q", "crit_call", 0.1, "critical" },
	{ "crit_q", "posted", 0.9, "no" },
	{ "ct_q", "ct_order", 0.35, "CT" },
	{ "ct_q", "img_rev", 0.65, "no" },
	{ "cons_q", "cons_page", 0.4, "consult" },
	{ "cons_q", "decide", 0.6, "no" },
	{ "accept", "attending", 0.9, "accepted" },
	{ "accept", "call_adm", 0.1, "wrong service" },
	{ "bed_q", "bed_assign", 0.6, "clean" },
	{ "bed_q", "bed_clean", 0.4, "not yet" },
};

struct demo_measure {
	const char *name, *from, *to;
	enum clock clock;
};

static const struct demo_measure measures[] = {
	{ DEMO_MEASURE_SEEN, "arrive", "doc_sees", CLOCK_CUSTOMER },
	{ DEMO_MEASURE_ADMIT, "arrive", "in_bed", CLOCK_PROCESS },
};

/* --- the redesign ----------------------------------------------------------- */

struct demo_cut {
	enum cut_kind kind;
	const char *step, *step2;    /* tags */
	const char *lane;            /* AUTOMATE: the lane it moves to; CAPACITY */
	double time_factor, error_factor;
	int capacity;
	const char *field, *value;   /* SET */
};

#define REMOVE(s)                { CUT_REMOVE, s, NULL, NULL, 0, 0, 0, NULL, NULL }
#define MERGE(a, b)              { CUT_MERGE, a, b, NULL, 0, 0, 0, NULL, NULL }
#define AUTOMATE(s, lane, t, e)  { CUT_AUTOMATE, s, NULL, lane, t, e, 0, NULL, NULL }
#define MOVE(s, after)           { CUT_MOVE, s, after, NULL, 0, 0, 0, NULL, NULL }
#define PARALLEL(a, b)           { CUT_PARALLEL, a, b, NULL, 0, 0, 0, NULL, NULL }
#define CAPACITY(lane, c)        { CUT_CAPACITY, NULL, NULL, lane, 0, 0, c, NULL, NULL }
#define SET(s, field, value)     { CUT_SET, s, NULL, NULL, 0, 0, 0, field, value }

static const struct demo_cut cuts[] = {
	/* One quick registration at the door, on a tablet that reads the ID
	 * card: no queue, no paper sheet, no misspelled searches. */
	REMOVE("q_desk"),
	REMOVE("tell"),
	REMOVE("sheet"),
	MERGE("mrn", "qreg"),
	SET("mrn", "name", "Quick registration at the door: scan the ID card, create the record"),
	SET("mrn", "error_rate", "0"),
	/* A physician at triage sees the patient straight away. */
	MOVE("doc_sees", "mrn"),
	SET("doc_sees", "wait", ""),
	SET("doc_sees", "note", "Physician in triage: first look at the door"),
	CAPACITY(EP, 5),
	/* Triage in one go, documented straight into the EHR. */
	REMOVE("w_triage"),
	REMOVE("call_t"),
	REMOVE("walk_t"),
	REMOVE("idchk"),
	REMOVE("tri_paper"),
	MERGE("vitals", "hist_t"),
	MERGE("vitals", "pain_t"),
	MERGE("vitals", "esi"),
	MERGE("vitals", "tri_rekey"),
	SET("vitals", "name", "Triage: vital signs, history, pain score and acuity, into the EHR"),
	SET("vitals", "error_rate", "0.02"),
	REMOVE("ecg_walk"),
	REMOVE("w_room"),
	/* No second registration at the desk: it is finished at the bedside. */
	REMOVE("call_r"),
	REMOVE("reask"),
	REMOVE("ins_copy"),
	REMOVE("consent"),
	REMOVE("facesheet"),
	SET("scan", "name", "Bedside registration: scan the insurance card, e-sign consent"),
	MOVE("scan", "n_doc"),
	/* Rooming: the tracking board assigns the cubicle and calls housekeeping. */
	REMOVE("board"),
	REMOVE("hk_phone"),
	REMOVE("call_room"),
	REMOVE("whiteboard"),
	MERGE("walk_room", "gown"),
	MERGE("n_assess", "n_doc"),
	REMOVE("old_rec"),
	/* Labs and X-ray ordered together and run in parallel; portable X-ray;
	 * bloods drawn from the cannula and labelled at the bedside. */
	MERGE("hp", "orders"),
	SET("hp", "name", "History, examination and orders: labs, chest X-ray, medication"),
	SET("hp", "error_rate", "0.02"),
	REMOVE("lab_req"),
	MERGE("iv", "meds"),
	MERGE("iv", "draw"),
	MERGE("iv", "label"),
	MERGE("iv", "tube"),
	SET("iv", "name", "Insert an IV, draw bloods from it with bedside barcode labels, first medication"),
	SET("iv", "error_rate", "0.08"),
	MERGE("accession", "analyse"),
	MERGE("accession", "validate"),
	SET("accession", "name", "Lab: accession, analysers, validation"),
	REMOVE("crit_call"),
	REMOVE("crit_q"),
	REMOVE("posted"),
	REMOVE("doc_labs"),
	REMOVE("xr_order"),
	REMOVE("xr_phone"),
	REMOVE("porter_req"),
	REMOVE("to_xr"),
	REMOVE("from_xr"),
	MERGE("xray", "xr_read"),
	SET("xray", "name", "Portable chest X-ray at the bedside, read by the radiologist"),
	MOVE("xray", "accession"),
	PARALLEL("accession", "xray"),
	SET("img_rev", "name", "Physician reviews the lab results and imaging reports"),
	/* Consult and admission requested in the EHR. */
	REMOVE("cons_page"),
	SET("cons_call", "name", "Specialist calls back about the consult requested in the EHR"),
	MERGE("decide", "tell_adm"),
	SET("decide", "name", "Decide to admit; tell the patient and family at the bedside"),
	REMOVE("ed_summary"),
	AUTOMATE("call_adm", EHR, 0.1, 1),
	SET("call_adm", "name", "Admission request sent to the admitting team from the EHR"),
	REMOVE("preauth"),
	MERGE("adm_orders", "medrec"),
	MERGE("adm_see", "adm_orders"),
	SET("adm_see", "name", "Admitting resident examines the patient, writes orders and reconciles medications"),
	/* The bed request goes from the admission order to the bed board; the
	 * ED sees the bed on the tracking board. */
	AUTOMATE("bed_form", EHR, 0.05, 0),
	SET("bed_form", "name", "Bed request sent from the admission order"),
	REMOVE("bed_fax"),
	REMOVE("bed_call"),
	REMOVE("bed_rekey"),
	MERGE("bed_find", "bed_neg"),
	SET("bed_find", "name", "Find a bed on the bed board and agree it with the ward"),
	REMOVE("bed_tell"),
	REMOVE("board_upd"),
	/* Transfer: one call when the ward is ready, no paper, porter called
	 * by the bed board. */
	MERGE("ward_ready", "sbar"),
	SET("ward_ready", "lane", EN),
	SET("ward_ready", "name", "Handover (SBAR) by phone once the ward is ready"),
	REMOVE("xfer_paper"),
	REMOVE("pack_meds"),
	REMOVE("tr_req"),
	MERGE("to_ward", "ward_arr"),
	MERGE("ward_id", "in_bed"),
	SET("ward_id", "name", "Ward nurse checks the wristband and settles the patient into bed"),
	/* (the ward's own assessment, its documentation and the encounter's
	 * move in the EHR stay as they are: steps of the ward and the EHR, after
	 * the patient is in bed) */
	REMOVE("bed_occ"),
	REMOVE("cub_release"),
};

#undef REMOVE
#undef MERGE
#undef AUTOMATE
#undef MOVE
#undef PARALLEL
#undef CAPACITY
#undef SET

/* --- building the workbook -------------------------------------------------- */

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* The id of the step with this tag, by its position in steps[]. */
static sm_id
step_id(const sm_id *ids, const char *tag)
{
	size_t i;

	if (!tag)
		return 0;
	for (i = 0; i < COUNT(steps); i++)
		if (!strcmp(steps[i].tag, tag))
			return ids[i];
	return 0;
}

static sm_id
lane_id(const struct process *p, const char *name)
{
	const struct lane *l = name ? process_lane_named(p, name) : NULL;

	return l ? l->id : 0;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static enum status
add_lanes(struct workbook *w, struct process *p)
{
	size_t i;

	for (i = 0; i < COUNT(lanes); i++) {
		struct lane *l = calloc(1, sizeof *l);

		if (!l || !(l->name = strdup(lanes[i].name))) {
			free(l);
			return STATUS_NOMEM;
		}
		l->id = workbook_new_id(w);
		l->stage = lanes[i].stage;
		l->capacity = lanes[i].capacity;
		l->key = 1024.0 * (double)(i + 1);
		if (process_add_lane(p, l) != STATUS_OK) {
			lane_free(&l);
			return STATUS_NOMEM;
		}
	}
	return STATUS_OK;
}

static enum status
add_step(struct workbook *w, struct process *p, size_t i, sm_id *id)
{
	const struct demo_step *d = &steps[i];
	struct step *s = malloc(sizeof *s);
	size_t l;

	if (!s)
		return STATUS_NOMEM;
	step_init(s);
	if (!s->name)
		goto fail;
	free(s->name);
	s->name = strdup(d->name);
	s->channel = dup_or_null(d->channel);
	s->note = dup_or_null(d->note);
	if (!s->name || (d->channel && !s->channel) || (d->note && !s->note))
		goto fail;
	s->id = *id = workbook_new_id(w);
	s->key = 1024.0 * (double)(i + 1);
	s->lane = lane_id(p, d->lane);
	s->type = d->type;
	s->value = d->value;
	s->error_rate = d->error_rate;
	s->emotion = d->emotion;
	s->pain = d->pain;
	/* The tables are ours: a duration that does not parse is a bug that
	 * test_demo catches, reported here as bad input. */
	if (dist_parse(d->work, "work", &s->work, NULL) != STATUS_OK ||
	    dist_parse(d->wait, "wait", &s->wait, NULL) != STATUS_OK) {
		step_free(&s);
		return STATUS_INPUT;
	}
	/* Cost: the staff time at the lane's rate, plus supplies. */
	s->cost = d->supplies;
	for (l = 0; l < COUNT(lanes); l++)
		if (!strcmp(lanes[l].name, d->lane))
			s->cost += lanes[l].rate_per_h * dist_mean(&s->work) / 3600;
	s->cost = (double)(long)(s->cost * 100 + 0.5) / 100;
	if (process_add_step(p, s) != STATUS_OK)
		goto fail;
	return STATUS_OK;
fail:
	step_free(&s);
	return STATUS_NOMEM;
}

static enum status
add_flows_and_measures(struct workbook *w, struct process *p, const sm_id *ids)
{
	size_t i;

	for (i = 0; i < COUNT(flows); i++) {
		struct flow *f = calloc(1, sizeof *f);

		if (!f)
			return STATUS_NOMEM;
		f->id = workbook_new_id(w);
		f->from = step_id(ids, flows[i].from);
		f->to = step_id(ids, flows[i].to);
		f->prob = flows[i].prob;
		if ((flows[i].label && !(f->label = strdup(flows[i].label))) ||
		    process_add_flow(p, f) != STATUS_OK) {
			flow_free(&f);
			return STATUS_NOMEM;
		}
	}
	for (i = 0; i < COUNT(measures); i++) {
		struct measure *m = calloc(1, sizeof *m);

		if (!m || !(m->name = strdup(measures[i].name))) {
			free(m);
			return STATUS_NOMEM;
		}
		m->id = workbook_new_id(w);
		m->from = step_id(ids, measures[i].from);
		m->to = step_id(ids, measures[i].to);
		m->clock = measures[i].clock;
		if (process_add_measure(p, m) != STATUS_OK) {
			measure_free(&m);
			return STATUS_NOMEM;
		}
	}
	return STATUS_OK;
}

static enum status
add_scenario(struct workbook *w, struct process *p, const sm_id *ids)
{
	struct scenario *sc = calloc(1, sizeof *sc);
	size_t i;

	if (!sc || !(sc->name = strdup(DEMO_SCENARIO_NAME))) {
		free(sc);
		return STATUS_NOMEM;
	}
	sc->id = workbook_new_id(w);
	if (process_add_scenario(p, sc) != STATUS_OK) {
		free(sc->name);
		free(sc);
		return STATUS_NOMEM;
	}
	for (i = 0; i < COUNT(cuts); i++) {
		const struct demo_cut *d = &cuts[i];
		struct cut *c = calloc(1, sizeof *c);

		if (!c)
			return STATUS_NOMEM;
		c->id = workbook_new_id(w);
		c->key = 1024.0 * (double)(i + 1);
		c->kind = d->kind;
		c->step = step_id(ids, d->step);
		c->step2 = step_id(ids, d->step2);
		c->lane = lane_id(p, d->lane);
		c->time_factor = d->time_factor;
		c->error_factor = d->error_factor;
		c->capacity = d->capacity;
		if ((d->field && !(c->field = strdup(d->field))) ||
		    (d->value && !(c->value = strdup(d->value))) ||
		    scenario_add_cut(sc, c) != STATUS_OK) {
			cut_free(&c);
			return STATUS_NOMEM;
		}
	}
	return STATUS_OK;
}

struct workbook *
demo_workbook(void)
{
	struct workbook *w = workbook_new();
	struct process *p;
	sm_id ids[COUNT(steps)];
	size_t i;

	if (!w || !(p = workbook_add_process(w, workbook_new_id(w), DEMO_PROCESS_NAME)))
		goto fail;
	p->description = strdup(
		"An emergency department admission, from the patient walking in to the "
		"patient in an inpatient bed, as the ED mapped it in a workshop.");
	if (!p->description ||
	    dist_parse("exp(30m)", "arrival", &p->arrival, NULL) != STATUS_OK ||
	    add_lanes(w, p) != STATUS_OK)
		goto fail;
	for (i = 0; i < COUNT(steps); i++)
		if (add_step(w, p, i, &ids[i]) != STATUS_OK)
			goto fail;
	process_reindex(p);
	if (add_flows_and_measures(w, p, ids) != STATUS_OK ||
	    add_scenario(w, p, ids) != STATUS_OK)
		goto fail;
	process_reindex(p);
	return w;
fail:
	workbook_free(&w);
	return NULL;
}
