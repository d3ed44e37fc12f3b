/*
 * commands.h - every command of the workbench, in one list.
 *
 * TUI_COMMAND_INFO is the single source of the commands: from it come the
 * enum (CMD_*), the default key bindings (keys.c, as data), the `?` help
 * screen, the names the `:` command line takes, and the key table of the man
 * page (tui_keys_man(), which tui/keys.man holds a copy of). Adding a command
 * is adding a line here and a case in the view that does it.
 *
 * _(ID, scope, name, key1, key2, arguments, help)
 *   scope  where the keys act and under which heading `?` lists the command:
 *          MOVE  moving in any list (map, lanes, tables, help)
 *          APP   anywhere outside text entry
 *          MAP   the map and lane views
 *          TABLE the process and scenario lists, the lanes and measures
 *                editors
 *          TEXT  while typing: quick capture, the step form, the prompt
 *          SCEN  the scenario keys of the map and lane views (cuts,
 *                the scenario list, compare)
 *          TEXT  while typing: quick capture, the step form, the prompt
 *          CMD   only on the `:` command line (no key)
 *          SIM, WALK  the simulation screen's and the walk's own keys
 *   keys   a character ('a'), TK_CTRL('r'), or a TK_* key; 0 for none
 *   arguments  what the `:` form takes after the name ("" for nothing)
 *
 * A key belongs to one command outside text entry, whatever its scope: the
 * scopes are where a command acts and how `?` groups them, not separate key
 * tables (test_tui_keys checks it). The one exception is SIM and WALK: those
 * two screens give some keys of other commands a meaning of their own (r, n,
 * h, l, j...). cmd_for_key() never returns them (Tab on the map is nothing);
 * the screens ask cmd_screen_key() for theirs.
 */
#ifndef STEPMAP_TUI_COMMANDS_H
#define STEPMAP_TUI_COMMANDS_H

#include "tui/keys.h"

#define TUI_COMMAND_INFO(_) \
	_(DOWN,        MOVE,  "down",         'j',          TK_DOWN,     "", "move down one line") \
	_(UP,          MOVE,  "up",           'k',          TK_UP,       "", "move up one line") \
	_(PAGE_DOWN,   MOVE,  "page-down",    TK_NPAGE,     TK_CTRL('f'), "", "move down one screen") \
	_(PAGE_UP,     MOVE,  "page-up",      TK_PPAGE,     TK_CTRL('b'), "", "move up one screen") \
	_(FIRST,       MOVE,  "first",        'g',          TK_HOME,     "", "go to the first line") \
	_(LAST,        MOVE,  "last",         'G',          TK_END,      "", "go to the last line") \
	_(LEFT,        MOVE,  "left",         'h',          TK_LEFT,     "", "scroll the lane view left") \
	_(RIGHT,       MOVE,  "right",        'l',          TK_RIGHT,    "", "scroll the lane view right") \
	_(HELP,        APP,   "help",         '?',          TK_F(1),     "", "show every key and command") \
	_(COMMAND,     APP,   "command",      ':',          0,           "", "type a command (:import, :export, :process, :lane, :measure...)") \
	_(CLOSE,       APP,   "close",        'q',          0,           "", "close this screen; on the map, quit") \
	_(QUIT,        APP,   "quit",         'Q',          0,           "", "quit stepmap (every edit is already saved)") \
	_(UNDO,        APP,   "undo",         'u',          0,           "", "undo the last edit") \
	_(REDO,        APP,   "redo",         TK_CTRL('r'), 0,           "", "redo what was undone") \
	_(REFRESH,     APP,   "refresh",      TK_CTRL('l'), 0,           "", "redraw the screen") \
	_(PROCESSES,   APP,   "processes",    'o',          0,           "", "list the processes: open, create, rename, delete") \
	_(LANES,       APP,   "lanes",        'L',          0,           "", "edit the lanes: stage, capacity, order") \
	_(MEASURES,    APP,   "measures",     'T',          0,           "", "edit the measures: from and to step, clock") \
	_(VIEW,        MAP,   "view",         'v',          0,           "", "switch between the map and the lane view") \
	_(FIGURES,     MAP,   "figures",      'f',          0,           "", "show or hide the figures panel") \
	_(SEARCH,      MAP,   "search",       '/',          0,           "TEXT", "find a step by name") \
	_(SEARCH_NEXT, MAP,   "search-next",  'n',          0,           "", "find the next match") \
	_(SEARCH_PREV, MAP,   "search-prev",  'N',          0,           "", "find the previous match") \
	_(APPEND,      MAP,   "append",       'a',          0,           "", "quick capture: add steps after the cursor (lists: add a line)") \
	_(INSERT,      MAP,   "insert",       'i',          0,           "", "quick capture: add steps before the cursor") \
	_(EDIT,        MAP,   "edit",         TK_ENTER,     'e',         "", "open the step form (with a scenario shown: b the baseline, s the scenario; in a list: open or edit the line)") \
	_(DELETE,      MAP,   "delete",       'd',          TK_DC,       "", "delete the step (with a scenario shown: a remove cut; in a list: the line)") \
	_(MOVE_DOWN,   MAP,   "move-down",    'J',          0,           "", "move the step (or lane) down; in a scenario, as a move cut") \
	_(MOVE_UP,     MAP,   "move-up",      'K',          0,           "", "move the step (or lane) up; in a scenario, as a move cut") \
	_(MANUAL,      MAP,   "manual",       'm',          0,           "", "cycle the step's type: manual, user, service, task (in a scenario: a set cut)") \
	_(PAIN,        MAP,   "pain",         'p',          0,           "", "mark or unmark the step as a pain point (in a scenario: a set cut)") \
	_(LANE_NEXT,   MAP,   "lane-next",    '>',          0,           "", "move the step to the next lane") \
	_(LANE_PREV,   MAP,   "lane-prev",    '<',          0,           "", "move the step to the previous lane") \
	_(DECIDE,      MAP,   "decide",       'D',          0,           "", "make the step a decision: its branches by step number, /word, or Up/Down then Tab to pick (5 9, or 5@70% Yes | 9 No)") \
	_(BRANCH,      MAP,   "branch",       'B',          0,           "", "add a branch from the step (7@20% Escalate; 7 alone: jump there); on a branch line Enter edits it, d deletes it") \
	_(LOOP,        MAP,   "loop",         'R',          0,           "", "add a rework loop back to an earlier step with its probability (3@20% Redo)") \
	_(PARALLEL_BLOCK, MAP, "parallel",    '|',          0,           "", "run the selected steps (V) in parallel in the baseline: split and join made") \
	_(UNDECIDE,    MAP,   "undecide",     'Z',          0,           "", "take the decision away, keeping one way (the branch under the cursor)") \
	_(PROCESS_FORM, APP,  "process-form", 'O',          0,           "", "the process's settings: name, description, arrival pattern (12/h), the lane's capacity") \
	_(SIMULATE,    MAP,   "simulate",     'S',          0,           "", "simulate the process (and the scenario): times, histograms") \
	_(WALK,        MAP,   "walk",         'w',          0,           "", "walk one simulated case as the customer lives it") \
	_(PRESENT,     MAP,   "present",      'W',          TK_F(5),     "", "presentation mode for the wall: the step large and whole, a legend, the figures that matter (q: back)") \
	_(SCENARIOS,   SCEN,  "scenarios",    's',          0,           "", "list the scenarios: show one (or the baseline), add, copy, rename, delete") \
	_(COMPARE,     SCEN,  "compare",      'c',          0,           "", "compare two scenarios (or the baseline) side by side") \
	_(CUT_REMOVE,  SCEN,  "cut-remove",   'x',          0,           "", "scenario: remove the step (its predecessors flow on to its successors)") \
	_(CUT_MERGE,   SCEN,  "cut-merge",    'M',          0,           "", "scenario: merge the step with the next one") \
	_(CUT_AUTOMATE, SCEN, "cut-automate", 'A',          0,           "", "scenario: automate the step (a service; time and errors x0.1, see :cut)") \
	_(SELECT,      SCEN,  "select",       'V',          0,           "", "start a selection of steps at the cursor (again or Esc: drop it)") \
	_(CUT_PARALLEL, SCEN, "cut-parallel", 'P',          0,           "", "scenario: run the selected steps in parallel") \
	_(UNCUT,       SCEN,  "uncut",        'X',          0,           "", "scenario: take back the last cut on the step") \
	_(COPY,        TABLE, "copy",         'C',          0,           "", "copy the process or scenario under the cursor") \
	_(GOTO,        CMD,   "goto",         0,            0,           "N", "go to step N (also just :N)") \
	_(RENAME,      TABLE, "rename",       'r',          0,           "", "rename the process, scenario, lane or measure") \
	_(ACCEPT,      TEXT,  "accept",       TK_ENTER,     0,           "", "commit the line (capture: and open the next)") \
	_(CANCEL,      TEXT,  "cancel",       TK_ESC,       TK_CTRL('g'), "", "end capture, close the form or prompt") \
	_(NEXT,        TEXT,  "next",         TK_TAB,       TK_DOWN,     "", "capture: next lane; form: next field") \
	_(PREV,        TEXT,  "prev",         TK_BTAB,      TK_UP,       "", "capture: previous lane; form: previous field") \
	_(CHOOSE,      TEXT,  "choose",       TK_CTRL('o'), 0,           "", "form: pick the lane, type or value from a list (also Space)") \
	_(BACKSPACE,   TEXT,  "backspace",    TK_BACKSPACE, TK_CTRL('h'), "", "delete the character before the cursor") \
	_(DELCHAR,     TEXT,  "delete-char",  TK_DC,        TK_CTRL('d'), "", "delete the character under the cursor") \
	_(CUR_LEFT,    TEXT,  "cursor-left",  TK_LEFT,      TK_CTRL('b'), "", "move the cursor left (list fields: previous choice)") \
	_(CUR_RIGHT,   TEXT,  "cursor-right", TK_RIGHT,     TK_CTRL('f'), "", "move the cursor right (list fields: next choice)") \
	_(CUR_HOME,    TEXT,  "line-start",   TK_HOME,      TK_CTRL('a'), "", "go to the start of the line") \
	_(CUR_END,     TEXT,  "line-end",     TK_END,       TK_CTRL('e'), "", "go to the end of the line") \
	_(KILL_START,  TEXT,  "kill-start",   TK_CTRL('u'), 0,           "", "delete to the start of the line") \
	_(KILL_END,    TEXT,  "kill-end",     TK_CTRL('k'), 0,           "", "delete to the end of the line") \
	_(KILL_WORD,   TEXT,  "kill-word",    TK_CTRL('w'), 0,           "", "delete the word before the cursor") \
	_(IMPORT,      CMD,   "import",       0,            0,           "FILE", "read a .csv, .bpmn or event log (.xes, .xes.gz, CSV) as new processes") \
	_(EXPORT,      CMD,   "export",       0,            0,           "FILE", "write what is shown (the scenario, when one is) as .csv or .bpmn, its figures as .json, draw it as .pdf, .svg or .png, or write its readout as .html or .md (by the suffix)") \
	_(PROCESS,     CMD,   "process",      0,            0,           "new|rename|copy NAME, delete", "create, rename, copy or delete a process") \
	_(LANE,        CMD,   "lane",         0,            0,           "add NAME STAGE [CAPACITY]", "add a lane (stage: customer, onstage, offstage, support)") \
	_(MEASURE,     CMD,   "measure",      0,            0,           "add NAME FROM TO CLOCK", "add a measure from step FROM to step TO (clock: customer or process)") \
	_(SCENARIO,    CMD,   "scenario",     0,            0,           "new|copy|rename NAME, delete, NAME", "add, copy, rename or delete the scenario shown, or show scenario NAME (or baseline)") \
	_(CUT,         CMD,   "cut",          0,            0,           "KIND [ARGS]", "cut the step: remove, merge, automate [TIME [ERRORS [LANE]]], move AFTER, parallel LAST, capacity LANE N, set FIELD VALUE") \
	_(VARIANTS,    CMD,   "variants",     0,            0,           "[off]", "list the variants of a process made from an event log, with their share: Enter shows one on the map") \
	_(CUTS,        CMD,   "cuts",         0,            0,           "", "list the cuts of the scenario shown (stale ones marked): Enter goes to the step, d takes the cut back") \
	_(WHO,         CMD,   "who",          0,            0,           "", "list who is in the workbook: name, screen, step (Enter follows one)") \
	_(FOLLOW,      CMD,   "follow",       0,            0,           "[NAME]", "show what NAME's screen shows (process, scenario, step, screen) as it changes, until a key is pressed; alone: stop") \
	_(SAVE_DISPLAY, CMD,  "save-display", 0,            0,           "FILE", "write the screen as text to FILE") \
	_(NEXT_MEASURE, SIM, "next-measure", TK_TAB,     'l',         "", "the next measure's histogram") \
	_(PREV_MEASURE, SIM, "prev-measure", TK_BTAB,    'h',         "", "the previous measure's histogram") \
	_(RERUN,       SIM,   "rerun",        'r',          0,           "", "run again with the next seed (also S)") \
	_(MORE_CASES,  SIM, "more-cases",  '+',          '=',         "", "more cases (up to 100 000)") \
	_(FEWER_CASES, SIM, "fewer-cases", '-',          0,           "", "fewer cases (down to 100)") \
	_(STEP_ON,     WALK, "step-on",     TK_SPACE,     'j',         "", "the next moment of the case (k or Left: back)") \
	_(NEXT_CASE,   WALK, "next-case",   'n',          0,           "", "walk the next case") \
	_(PREV_CASE,   WALK, "prev-case",   'N',          0,           "", "walk the previous case") \
	_(SWITCH_VARIANT, WALK, "switch",   'b',          TK_TAB,      "", "the same moment in the baseline or the scenario") \
	_(REWALK,      WALK,  "rewalk",       'r',          0,           "", "run the simulation again and walk the same case")

#define TUI_SCOPE_INFO(_) \
	_(MOVE,  "Moving") \
	_(APP,   "Anywhere") \
	_(MAP,   "Map and lane view") \
	_(SCEN,  "Scenarios (on the map and lane view)") \
	_(TABLE, "Lists: processes, scenarios, lanes, measures") \
	_(TEXT,  "Typing (quick capture, step form, prompts)") \
	_(CMD,   "Commands (type : then the command)") \
	_(SIM,   "Simulation screen (S)") \
	_(WALK,  "Walk (w)")

enum scope {
#define TUI_SCOPE_ENUM_(id, title) SCOPE_##id,
	TUI_SCOPE_INFO(TUI_SCOPE_ENUM_)
#undef TUI_SCOPE_ENUM_
	SCOPE_COUNT_
};

enum cmd {
	CMD_NONE,
#define TUI_CMD_ENUM_(id, scope, name, k1, k2, args, help) CMD_##id,
	TUI_COMMAND_INFO(TUI_CMD_ENUM_)
#undef TUI_CMD_ENUM_
	CMD_COUNT_
};

struct cmd_info {
	enum cmd id;
	enum scope scope;
	const char *name;
	tkey keys[2];
	const char *args;
	const char *help;
};

/* The row of a command (CMD_NONE < c < CMD_COUNT_). */
const struct cmd_info *cmd_info(enum cmd c);
/* The command with this `:` name, or CMD_NONE. */
enum cmd cmd_by_name(const char *name);
const char *scope_title(enum scope s);

/* The command bound to key k: in text entry (text true) the TEXT scope,
 * otherwise every other scope. CMD_NONE when unbound. */
enum cmd cmd_for_key(tkey k, bool text);
/* The command of screen scope s (SIM, WALK) bound to key k, or CMD_NONE. */
enum cmd cmd_screen_key(enum scope s, tkey k);

#endif
