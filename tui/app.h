/*
 * app.h - the workbench's state, its views and the helpers they share
 * (private to tui/).
 *
 * Shape (tig, htop): one struct app holds everything the screen shows; the
 * views are ops tables (struct view_ops) kept on a stack; the main loop in
 * run.c reads a key, finds its command (commands.h), hands both to the top
 * view's handle(), which changes state and returns flags (redraw, model
 * changed, quit) and never draws; then the loop draws every visible view from
 * state, in one pass, only what is on screen.
 *
 * Every edit goes through app_do() -> store_do(): applied to the workbook and
 * written to the file in one transaction, journaled for undo.
 */
#ifndef STEPMAP_TUI_APP_H
#define STEPMAP_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "model/figures.h"
#include "model/model.h"
#include "model/scenario.h"
#include "store/store.h"
#include "tui/commands.h"
#include "tui/tui.h"

/* What a handler asks the main loop to do. */
enum {
	FL_NONE = 0,
	FL_REDRAW = 1 << 0,          /* the screen changed */
	FL_CHANGED = 1 << 1,         /* the workbook changed: figures, caches */
	FL_QUIT = 1 << 2,
	FL_UNHANDLED = 1 << 3        /* not this view's command: try the app's */
};

struct rect {
	int y, x, h, w;
};

struct app;
struct view;

struct view_ops {
	const char *name;
	bool overlay;                /* drawn over the view below it */
	bool esc_closes;             /* Esc the view leaves unhandled closes it */
	/* Set up v->state (may be NULL when the view keeps none). Returns false
	 * when out of memory. */
	bool (*open)(struct app *a, struct view *v);
	/* Draw the view into r from state. May adjust scroll positions. */
	void (*draw)(struct app *a, struct view *v, struct rect r);
	/* Act on a command (or, when typing, a key): FL_* flags. */
	int (*handle)(struct app *a, struct view *v, enum cmd c, tkey k);
	/* True while the view takes typed text (keys look up the TEXT scope). */
	bool (*typing)(struct app *a, struct view *v);
	/* The workbook changed under the view (an edit, undo, another view):
	 * make its state valid again. May be NULL. */
	void (*changed)(struct app *a, struct view *v);
	void (*done)(struct app *a, struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *state;
	int rows;                    /* rows of its last draw (for paging) */
};

/* For views whose state is one plain struct: an open() that allocates it
 * zeroed, and a done() that frees it. */
#define VIEW_STATE_OPEN(fn, type) \
	static bool fn(struct app *a, struct view *v) \
	{ \
		(void)a; \
		v->state = calloc(1, sizeof(type)); \
		return v->state != NULL; \
	}
void view_state_free(struct app *a, struct view *v);

/* The views (one file each). */
extern const struct view_ops map_view_ops;      /* view_map.c */
extern const struct view_ops lanes_view_ops;    /* view_lanes.c */
extern const struct view_ops form_view_ops;     /* view_form.c */
extern const struct view_ops figures_view_ops;  /* view_figures.c: the panel the
                                                   map and lane views draw beside
                                                   or under them (v may be NULL) */
extern const struct view_ops laneed_view_ops;   /* view_laneed.c */
extern const struct view_ops measures_view_ops; /* view_measures.c */
extern const struct view_ops procs_view_ops;    /* view_procs.c */
extern const struct view_ops help_view_ops;     /* view_help.c */
extern const struct view_ops choose_view_ops;   /* view_choose.c */
extern const struct view_ops scen_view_ops;     /* view_scen.c: the scenario list */
extern const struct view_ops cuts_view_ops;     /* view_scen_cuts.c: the cuts of the
                                                   scenario shown */
extern const struct view_ops compare_view_ops;  /* view_compare.c */
extern const struct view_ops present_view_ops;  /* view_present.c: presentation mode */
extern const struct view_ops variants_view_ops; /* view_variants.c: an event log's variants */

/* The simulation screen and the walk (view_sim.c, view_walk.c): run the
 * simulation of base (and of sc over it, when not NULL) and show it. */
bool sim_view_open(struct app *a, const struct process *base, const struct scenario *sc);
bool walk_view_open(struct app *a, const struct process *base, const struct scenario *sc);

/* --- a line being typed (lineedit.c) ------------------------------------------ */

struct line {
	char *buf;                   /* UTF-8, NUL-terminated (never NULL after line_set) */
	size_t len, cap;
	size_t cur;                  /* cursor, a byte offset at a character start */
};

void line_set(struct line *l, const char *text);
void line_free(struct line *l);
/* Handle a TEXT command or, for CMD_NONE, insert a printable key. Returns
 * true when the line or its cursor changed. */
bool line_edit(struct line *l, enum cmd c, tkey k);
/* Draw l in w cells at (y, x), scrolled so the cursor shows, and put the
 * terminal cursor there. */
void line_draw(struct app *a, const struct line *l, int y, int x, int w, int style);

/* --- quick capture (capture.c) ------------------------------------------------- */

struct capture {
	bool on;
	size_t at;                   /* the line goes before row `at` of what the
	                                map lists (app_listed) */
	sm_id lane;                  /* the lane of the line being typed (0: none) */
	struct line line;
	size_t count;                /* steps added in this capture */
};

/* Start capturing after (or before) the cursor's step, in its lane. */
void capture_start(struct app *a, struct capture *cp, bool after);
/* A key while capturing: FL_* flags (Enter adds, Tab lanes, Esc ends). */
int capture_handle(struct app *a, struct capture *cp, enum cmd c, tkey k);
/* The workbook changed: keep the capture's place and lane valid. */
void capture_changed(struct app *a, struct capture *cp);
void capture_free(struct capture *cp);

/* --- drawing (draw.c) ------------------------------------------------------------ */

/* _(NAME, colour fg, colour bg, attributes with colour, attributes without) */
#define TUI_STYLE_INFO(_) \
	_(NORMAL,   -1,            -1,         0,         0) \
	_(TITLE,    COLOR_WHITE,   COLOR_BLUE, A_BOLD,    A_REVERSE) \
	_(STATUS,   -1,            -1,         0,         0) \
	_(ERROR,    COLOR_RED,     -1,         A_BOLD,    A_BOLD) \
	_(HEADER,   -1,            -1,         A_BOLD|A_UNDERLINE, A_BOLD|A_UNDERLINE) \
	_(CURSOR,   COLOR_BLACK,   COLOR_CYAN, 0,         A_REVERSE) \
	_(DIM,      -1,            -1,         A_DIM,     0) \
	_(MANUAL,   COLOR_YELLOW,  -1,         A_BOLD,    A_BOLD) \
	_(PAIN,     COLOR_RED,     -1,         A_BOLD,    A_BOLD) \
	_(HANDOFF,  COLOR_MAGENTA, -1,         0,         0) \
	_(VA,       COLOR_GREEN,   -1,         0,         0) \
	_(NVA,      COLOR_RED,     -1,         0,         0) \
	_(LINE,     COLOR_BLUE,    -1,         A_BOLD,    0) \
	_(CAPTURE,  COLOR_GREEN,   -1,         A_BOLD,    A_BOLD) \
	_(KEY,      COLOR_CYAN,    -1,         A_BOLD,    A_BOLD) \
	_(CHANGE_GOOD, COLOR_GREEN, -1,        0,         0) \
	_(CHANGE_BAD,  COLOR_RED,   -1,        0,         A_UNDERLINE) \
	_(MARK,     COLOR_YELLOW,  -1,         A_BOLD,    A_BOLD) \
	_(REMOVED,  COLOR_RED,     -1,         A_DIM,     A_DIM) \
	_(SELECT,   COLOR_BLACK,   COLOR_YELLOW, 0,       A_BOLD)

enum style {
#define TUI_STYLE_ENUM_(name, fg, bg, ac, am) ST_##name,
	TUI_STYLE_INFO(TUI_STYLE_ENUM_)
#undef TUI_STYLE_ENUM_
	ST_COUNT_
};

/* Display width of UTF-8 text (invalid bytes and control characters count 1,
 * as they are drawn as '?'). */
int text_width(const char *s);
/* Draw UTF-8 text at (y, x) in at most w cells, cut at a character boundary
 * by display width (a wide character that does not fit leaves a blank).
 * Returns the cells used. Nothing is drawn outside the screen. */
int draw_text(int y, int x, int w, const char *s, int style);
/* Draw text over at most maxrows rows of w cells, broken at blanks where it
 * can be; returns the rows used. text_rows() says how many it would use. */
int draw_wrapped(int y, int x, int w, int maxrows, const char *s, int style);
int text_rows(const char *s, int w, int maxrows);
/* The same, right-aligned in w cells. */
int draw_text_right(int y, int x, int w, const char *s, int style);
/* printf-style, then draw_text. */
int draw_fmt(int y, int x, int w, int style, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Fill w cells with blanks in the style. */
void draw_blank(int y, int x, int w, int style);
/* Draw one of two glyphs (UTF-8 or ASCII by the terminal) padded to cells. */
int draw_glyph(struct app *a, int y, int x, int cells, const char *utf8, const char *ascii,
               int style);
/* Change the style of w cells already drawn (a cursor bar). */
void draw_restyle(int y, int x, int w, int style);
/* Set up the styles, with colour or without (after start_color). */
void draw_styles_init(bool color);
/* Draw only ASCII (a terminal whose locale is not UTF-8): others show '?'. */
void draw_set_ascii(bool ascii);
/* A box (frame) around r, with a title. */
void draw_box(struct app *a, struct rect r, const char *title);

/* --- the application (app.c, exec.c, run.c) ----------------------------------------------------- */

#define VIEW_STACK_MAX 8

/* A question on the bottom line: the `:` command line, a search, a name. */
struct prompt {
	bool active;
	char label[256];
	struct line line;
	/* Called with the typed text on Enter; returns FL_* flags. */
	int (*accept)(struct app *a, const char *text, void *ctx);
	void *ctx;
	/* A prompt for steps (app_prompt_pick): Up and Down move a marker over
	 * the map's steps, Tab types the marked step's number. */
	bool pick;
	size_t pick_at;              /* the marked step's index */
	/* A one-key question (app_ask): the keys that answer it ("yn"); ""
	 * for a line typed and ended with Enter. */
	char keys[8];
};

struct app {
	struct store *store;
	struct workbook *wb;
	struct tui_options opt;
	sm_id proc;                  /* the process shown (0: none) */
	size_t cur;                  /* the cursor: a step index */
	sm_id cur_id;                /* the cursor's step, followed across edits */
	sm_id cur_flow;              /* the branch line of that step the cursor
	                                stands on (map, lane view); 0: the step */
	struct view views[VIEW_STACK_MAX];
	size_t nviews;
	struct prompt prompt;
	char status[512];
	bool status_error;
	char search[256];
	bool show_figures;
	bool utf8, color;
	int rows, cols;
	int cursor_y, cursor_x;      /* where the terminal cursor goes, -1: hidden */
	/* The position the status line shows when a view walks other steps than
	 * the baseline's (presentation mode with a scenario: "7/46"); 0: the
	 * cursor's among the baseline's steps. Set by the view as it draws. */
	size_t pos_number, pos_count;
	unsigned long gen;           /* bumped on every change of the workbook */
	bool quit;
	/* Figures of the current process: computed when the workbook changes,
	 * at once on small processes, after the keys stop on large ones. */
	struct figures fig;
	bool fig_valid;              /* fig holds figures of proc */
	bool fig_stale;              /* fig is older than the workbook */
	double fig_ms;               /* how long the last computation took */
	struct figures_ws *ws_base;  /* kept between computations (figures.h) */
	/* The scenario shown over the current process (scen.c): 0 for the
	 * baseline. Each process keeps its own while another is open. */
	sm_id scen;
	struct scen_pick { sm_id proc, scen; } *picks;
	size_t npicks;
	/* The scenario applied, computed with the figures (and deferred with
	 * them on large processes, unless a cut needs the scenario's own order
	 * first): the derived process, the stale cuts, the marks of the
	 * baseline's steps; then the derived process's figures. */
	struct process *derived;     /* NULL when none is current */
	unsigned long derived_gen;   /* bumped each time the scenario is applied */
	/* What the map and lane view list with a scenario shown (app_listed):
	 * a copy of derived with the removed steps put back, marked; built for
	 * derived_gen listed_gen. */
	struct process *listed;
	unsigned long listed_gen;
	bool scen_fresh;             /* derived, stale cuts and marks follow the last edit */
	struct process *derived_fig; /* the derived process fig_sc is of (derived or older) */
	sm_id *stale_cuts;           /* ids of the stale cuts, sorted */
	size_t nstale;
	struct step_mark { sm_id step; enum cut_mark mark; } *marks;
	size_t nmarks, cmarks;       /* sorted by step id */
	sm_id marks_scen;            /* the scenario the marks are of */
	struct figures fig_sc;
	bool fig_sc_valid;
	struct figures_ws *ws_sc;
	sm_id cut_check;             /* a cut just made: said when it comes out stale */
	/* The last J/K in a scenario: step mv_step now stands after mv_after
	 * (0: first) in scenario mv_scen, as of workbook generation mv_gen. */
	sm_id mv_step, mv_after, mv_scen;
	unsigned long mv_gen;
	/* A selection of steps (V): from the anchor step to the cursor. */
	bool sel;
	sm_id sel_anchor;
	/* What A (automate) does; :cut automate sets them. */
	double auto_time, auto_error;
	sm_id auto_lane;
	/* Explicit flows of the current process by `from` step, for drawing
	 * branches; rebuilt lazily when gen moves on. */
	const struct flow **flows_by_from;
	size_t nflows_by_from;
	unsigned long flows_gen;
	sm_id flows_proc;
	const struct process *flows_of; /* the process indexed (baseline or listed) */
	unsigned long flows_of_gen;
	/* The variant of an event log shown on the map (view_variants.c):
	 * the steps of variant_no (1-based; 0: none) of process variant_proc. */
	sm_id variant_proc;
	size_t variant_no;
	sm_id *variant_steps;
	size_t nvariant_steps;
	/* Sharing the workbook (share.c): who last changed step by_step, as of
	 * generation by_gen ("" when it was this session, or nobody knows). */
	sm_id by_step;
	unsigned long by_gen;
	char by[64];
	/* Who is here (presence.c): NULL until the workbench starts. */
	struct who *who;
	/* The pending key script (tests and STEPMAP_SCRIPT). */
	const char *script;
	size_t script_pos;
	void *screen;                /* the ncurses SCREEN */
	void *term_in, *term_out;    /* FILEs of a test terminal */
};

/*
 * Sharing one workbook with other sessions and the CLI (share.c, issue 15).
 * share_poll: take in what the others changed since we last looked (cheap
 * when nothing: SQLite's data_version), as an edit of our own would be;
 * FL_CHANGED | FL_REDRAW when anything came in. share_last_by: who else last
 * changed the step under the cursor, or NULL (nobody else, or not known).
 */
int share_poll(struct app *a);
const char *share_last_by(struct app *a);

/* The variant shown (view_variants.c): is the step on it; forget it. */
bool app_in_variant(const struct app *a, sm_id step);
void app_variant_clear(struct app *a);

/* The current process, or NULL when the workbook has none. */
struct process *app_process(const struct app *a);
/* The step under the cursor, or NULL. */
struct step *app_step(const struct app *a);
/* Put the cursor on step index i (clamped). */
void app_set_cursor(struct app *a, size_t i);
/* Switch to process id, cursor on its first step. */
void app_open_process(struct app *a, sm_id id);

/* Say something on the status line (an error in the error style). */
void app_say(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Hand an edit to the store: st is what its builder returned and *e the edit
 * it built (read after the builder ran, so `app_do(a, edit_x(..., &e), &e,
 * "what")` is safe whatever the order of evaluation). On success the status
 * line shows the edit's label and the return is FL_CHANGED | FL_REDRAW; on
 * error the message shows and the return is FL_REDRAW. Takes ownership of
 * *e and sets it to NULL.
 */
int app_do(struct app *a, enum status st, struct edit **e, const char *what);
/* A workbook that could not be opened for writing (store_readonly_reason):
 * says so on the status line, with why, and returns true; nothing is to be
 * changed. False when edits may go ahead. */
bool app_readonly(struct app *a);

/* app_do() for an edit that names something (a rename, a new scenario):
 * when the builder refused the name (STATUS_INPUT, no edit), says
 * "WHAT: 'NAME' is taken, or is not a name". */
int app_do_named(struct app *a, enum status st, struct edit **e, const char *name,
                 const char *what);
/* Delete step s / lane l of the current process (one edit, undoable) and
 * say what went with it: a step's branches and the flows into it, the
 * measures that used it; the steps a lane held (left with no lane). */
int app_delete_step(struct app *a, const struct step *s);
int app_delete_lane(struct app *a, const struct lane *l);
/* True when a y/n question was answered yes; otherwise says nothing was
 * deleted. */
bool app_confirmed(struct app *a, const char *answer);
/* Ask a question answered by one key, without Enter: accept is called with
 * the key pressed (one of keys, lower case, as a string: "y"), or with ""
 * on Esc. Any other key leaves the question asked. A yes/no question passes
 * "yn": only y answers yes, so nothing else deletes. */
void app_ask(struct app *a, const char *label, const char *keys,
             int (*accept)(struct app *a, const char *text, void *ctx), void *ctx);
/* The id of the object of kind (EDIT_*_ADD) that edit e adds, looking into
 * groups; 0 when it adds none. */
sm_id app_added(const struct edit *e, enum edit_kind kind);

/* Push a view (opened) on the stack / pop the top one. */
bool app_push(struct app *a, const struct view_ops *ops, void *state);
void app_pop(struct app *a);
struct view *app_top(struct app *a);
/* The view below v on the stack, or NULL. */
struct view *app_below(struct app *a, const struct view *v);

/* Ask for a line of text on the bottom line. */
void app_prompt(struct app *a, const char *label, const char *initial,
                int (*accept)(struct app *a, const char *text, void *ctx), void *ctx);

/* app_prompt() for step numbers: Up and Down mark a step on the map or the
 * lane view, Tab types its number into the line. */
void app_prompt_pick(struct app *a, const char *label, const char *initial,
                     int (*accept)(struct app *a, const char *text, void *ctx), void *ctx);
/* The step index marked by a step prompt, or (size_t)-1 when none is. */
size_t app_pick(const struct app *a);

/* Run a `:` command line ("lane add Triage onstage 2"). Returns FL_* flags. */
int app_exec(struct app *a, const char *line);
/* The app's own handling of commands no view took (help, quit, undo...). */
int app_command(struct app *a, enum cmd c);

/* For the main loop (run.c) and the command layer (exec.c). */
/* One key, from the terminal or a script: the prompt, the top view, the app.
 * FL_* flags. */
int app_dispatch(struct app *a, tkey k);
/* A key while the bottom-line question is active. */
int app_prompt_handle(struct app *a, enum cmd c, tkey k);
/* Write the screen as text to path (the dump directive, :save-display). */
int app_save_display(struct app *a, const char *path);
/* The workbook changed (an edit, undo): caches and views follow. */
void app_changed(struct app *a);
/* Compute the figures now / drop them / compute them if they are stale and
 * either the keys stopped (idle) or they are quick. */
void app_figures_refresh(struct app *a);
void app_figures_drop(struct app *a);
void app_figures_settle(struct app *a, bool idle);

/* True when the figures wait for the keys to stop (a large process). */
bool app_figures_deferred(const struct app *a);
/* The figures of the current process, or NULL while none are computed;
 * *stale says they lag behind the last edit. */
const struct figures *app_figures(struct app *a, bool *stale);
/* The figures of the scenario shown (of a->derived_fig), or NULL (baseline
 * shown, or not computed yet); stale as app_figures. */
const struct figures *app_figures_scen(struct app *a, bool *stale);
/* Bring the figures, and the scenario shown with them, up to date now. */
void app_figures_now(struct app *a);

/* The explicit flows leaving step s, as a run in the by-from index. */
const struct flow *const *app_flows_from(struct app *a, const struct step *s, size_t *n);
/* The branch lines drawn under step i of p (map and lane view): its
 * explicit flows, unless the only one goes to the next step anyway, at most
 * BRANCHES_SHOWN and a line saying how many more. */
#define BRANCHES_SHOWN 5
size_t app_branch_rows(struct app *a, const struct process *p, size_t i);
/* The branch the cursor stands on, or NULL when it is on a step. */
const struct flow *app_cur_flow(struct app *a);
/* True when the work flows from steps[i] to steps[i+1] along the step's
 * real way on (its one explicit flow, drawn without a branch row, or the
 * implicit next-in-order flow of a process whose flows are not all
 * explicit) and changes hands there (two lanes, neither of customer stage):
 * the hand-off line under the step. */
bool app_handoff_after(struct app *a, const struct process *p, size_t i);
/* True when a flow from a to b is a hand-off (as figures.h counts). */
bool app_is_handoff(const struct process *p, const struct step *a, const struct step *b);

/* The map and lane views' layout: draws the figures panel beside or under
 * r (when shown and there is room) and returns the rest of r. */
struct rect app_with_panel(struct app *a, struct rect r);

/* The lanes of p in stage order (customer first), then by their own order,
 * into out (room for p->nlanes). Returns the count. */
size_t app_lanes_ordered(const struct process *p, const struct lane **out);
/* The lane after (dir 1) or before (dir -1) lane id in stage order, for
 * Tab and Shift-Tab in capture and > and < on a step. "No lane" (0) is one
 * of the places, after the last lane, only while some step of p has no
 * lane. 0 when p has no lanes. */
sm_id app_lane_step(const struct process *p, sm_id id, int dir);
/* The type m gives a step of type t: manual, user, service, then a plain
 * task again. */
enum step_type step_type_cycle(enum step_type t);
/* Replace view v by a new view of ops (map <-> lane view). */
bool app_replace(struct app *a, struct view *v, const struct view_ops *ops);
/* The unit the shown process's times are shown in (its setting; AUTO
 * without a process). */
enum time_unit app_unit(const struct app *a);
/* A time for the figures and tables in unit u (duration_show): "45s",
 * "26m48s", "4h12m" in auto; "26.8m" in min. */
char *fmt_time(double seconds, enum time_unit u, char *buf, size_t size);
/* A time in at most w cells (fmt_time's text, "~" before it when approx),
 * rounded to a coarser unit when it does not fit: "1d10h46m" in 6 cells is
 * "~1d11h", so a time always ends in its unit; in a unit of its own, to
 * whole units ("~27m"). Returns buf. */
char *fmt_time_fit(double seconds, enum time_unit u, int w, bool approx, char *buf,
                   size_t size);
/* A time text as fmt_time() writes it ("1d10h46m", "26.8m") fitted to w
 * cells as fmt_time_fit() does; other text is copied as it is. Returns
 * buf. */
char *fit_time_text(const char *text, enum time_unit u, int w, char *buf, size_t size);
/* A work or wait time in w cells: its text when it fits, else its mean
 * ("~", rounded as fmt_time_fit does when that does not fit either). */
char *fmt_dist(const struct dist *d, int w, char *buf, size_t size);

/* A cursor in a list of n lines shown rows at a time: the MOVE commands
 * (FL_UNHANDLED for others), and keeping the cursor in view. */
int list_move(size_t *cur, size_t n, int rows, enum cmd c);
void list_scroll(size_t cur, size_t *top, size_t n, int rows);

/* Cursor movement over the steps (map and lane view): FL_UNHANDLED for
 * anything but the MOVE commands. */
int map_move(struct app *a, struct view *v, enum cmd c);

/* Step type glyph in two cells, for map and lane views. */
int draw_step_type(struct app *a, int y, int x, const struct step *s, int style);

/* Opening the forms (view_form.c). step_form: edit the step under the
 * cursor, in the baseline, or (scen) as the scenario shown has it, saved as
 * set cuts. lane_form: edit lane id (0: a new lane). measure_form: measure
 * id (0: a new one). */
bool step_form_open(struct app *a, bool scen);
bool lane_form_open(struct app *a, sm_id lane);
bool measure_form_open(struct app *a, sm_id measure);

/* The process form (name, description, arrival pattern, the capacity of
 * lane `lane`, 0: of the cursor's step's lane) and the form of branch flow
 * id (to, label, probability, condition) (view_form.c). */
bool process_form_open(struct app *a, sm_id lane);
bool branch_form_open(struct app *a, sm_id flow);

/* --- flows from the keyboard (flow.c) ---------------------------------------------------- */

/* D, B, R, |, Z on the cursor's step, and Enter and d on a branch line:
 * FL_* flags, FL_UNHANDLED for other commands. */
int flow_command(struct app *a, enum cmd c);
/* A probability as typed: "70%", "70 %", "0.7", "70" (read as per cent);
 * "" is none (*out -1). False when it is not one. */
bool flow_prob_parse(const char *text, double *out);
/* A branch line's text: " 70% → 5 Approve  \"yes\"". Returns buf. */
char *flow_branch_text(struct app *a, const struct process *p, const struct flow *f, char *buf,
                       size_t size);
/* "⚠ sum 90 %, not 100 %" at (y, x) in w cells when the branches of s do
 * not sum to 100 %; nothing otherwise. */
void flow_draw_sum(struct app *a, const struct process *p, const struct step *s, int y, int x,
                   int w);
/* After an edit (fl its app_do() flags) of step's branches: when they do
 * not sum to 100 %, the status line says so after what was done. fl. */
int flow_say_sums(struct app *a, int fl, sm_id step);
/* The cursor's row among its step's lines: 0 the step, k + 1 branch k. */
size_t flow_cursor_row(struct app *a);
/* Move the cursor down (dir 1) or up through branch lines; false when the
 * move is to another step's own line (the caller makes it). */
bool flow_cursor_move(struct app *a, const struct process *p, int dir);

/* A list to choose from (view_choose.c): on Enter calls pick(a, index, ctx). */
bool choose_open(struct app *a, const char *title, const char *const *items, size_t n,
                 size_t selected, void (*pick)(struct app *a, size_t i, void *ctx),
                 void *ctx);

/* Import a .csv or .bpmn file as new processes / export the current process
 * by the file's suffix (io.c). */
int app_import(struct app *a, const char *path);
int app_export(struct app *a, const char *path);
/* A path as typed, with a leading ~ or ~/ read as $HOME (the shell's
 * expansion, which a prompt does not get). Returns out. */
char *app_expand_path(const char *typed, char *out, size_t size);

/* The screen as text (draw.c); caller frees. */
char *screen_text(void);

/* Join words w[from..to) with single blanks into buf (the `:` line's
 * arguments). Returns buf. */
char *app_join_words(char **w, size_t from, size_t to, char *buf, size_t size);

/* --- the scenario shown (scen.c) ---------------------------------------------------- */

/* The scenario shown over the current process, or NULL for the baseline. */
const struct scenario *app_scenario(struct app *a);
/* The process as shown: the current scenario's derived process (computed
 * now if an edit left it behind), or the baseline (app_process) when none
 * is current. NULL when no process. Valid until the next edit or switch. */
const struct process *app_shown(struct app *a);
/* Show scenario id of the current process (0: the baseline) and say so. */
void app_show_scenario(struct app *a, sm_id id);
/*
 * What the map and the lane view list: the baseline, or with a scenario shown
 * the process as the scenario has it (its own order, merged steps as one,
 * automated and changed steps with their new type, lane and times, the split
 * and join of a parallel cut) with the steps it removes kept at their place,
 * to be seen and taken back. The cursor is still a baseline step (a->cur):
 * the functions below translate. Valid until the next edit or switch.
 */
const struct process *app_listed(struct app *a);
/* The row of l (app_listed) the cursor stands on: its step's, or for a step
 * merged into another, that one's. */
size_t app_listed_cursor(struct app *a, const struct process *l);
/* The baseline step shown at row i of l, or NULL for a step a cut made (a
 * parallel split or join). */
const struct step *app_listed_base(struct app *a, const struct process *l, size_t i);
/* True when row i's baseline step is in the selection (V). */
bool app_listed_selected(struct app *a, const struct process *l, size_t i);
/* The number a row shows: its baseline step's (1-based), or 0 for none (a
 * cut's step, or a gateway the program generated: step.generated). */
size_t app_listed_number(struct app *a, const struct process *l, size_t i);
/* Put the cursor on row i of l, or the nearest row with a baseline step
 * (looking in direction dir first: 1 down, -1 up). */
void app_listed_set_cursor(struct app *a, const struct process *l, size_t i, int dir);
/* Where in the baseline a step typed in before row i of l goes (0..nsteps). */
size_t app_listed_insert_at(struct app *a, const struct process *l, size_t i);
/* The mark of baseline step id in the scenario shown (MARK_NONE when none,
 * or the baseline is shown). Follows the last computation. */
enum cut_mark app_mark(const struct app *a, sm_id step);
/* True when cut id of the scenario shown came out stale (not applied). */
bool app_cut_stale(const struct app *a, sm_id cut);
/* True when step index i is in the selection (V). */
bool app_selected(const struct app *a, size_t i);
/* The selection as step indices lo..hi; false when there is none. */
bool app_selection(const struct app *a, size_t *lo, size_t *hi);

/* For app.c: apply the scenario shown (after the baseline's figures were
 * computed), drop it, and keep it valid after an edit or a switch of
 * process. */
void scen_compute(struct app *a);
void scen_drop(struct app *a);
void scen_changed(struct app *a);
void scen_switch_process(struct app *a, sm_id from, sm_id to);
void scen_done(struct app *a);
/* The scenario keys (SCEN scope, and J/K with a scenario shown) on the
 * cursor's step: FL_* flags, FL_UNHANDLED for other commands. */
int scen_command(struct app *a, enum cmd c);
/* Add a scenario named name to the current process: a copy of scenario
 * from, or an empty one (from 0); show it. FL_* flags; refused names said. */
int scen_add(struct app *a, sm_id from, const char *name);
/* The keys that would change the baseline with a scenario shown: d makes a
 * remove cut; m, p, > and < set cuts (type, pain, lane) on the scenario's
 * step; Enter asks whether the form edits the baseline or the scenario.
 * FL_UNHANDLED for other commands, or when the baseline is shown. */
int scen_baseline_key(struct app *a, enum cmd c);
/* Set fields[i] of step s to values[i] in the scenario shown, as set cuts
 * in one edit (an earlier set cut of the same field on s replaced; none
 * when the value is the baseline's). FL_* flags. */
int scen_set_fields(struct app *a, const struct step *s, const enum step_field *fields,
                    const char *const *values, size_t n);
/* A capacity cut: lane gets cap servers (0 unlimited) in the scenario
 * shown. FL_* flags. */
int scen_capacity(struct app *a, sm_id lane, int cap);
/* Take back (delete) cut id of the scenario shown: an edit, undoable. */
int scen_uncut(struct app *a, sm_id cut);
/* `:scenario ARGS`, `:cut ARGS` (w[0..n) the words after the name). */
int scen_exec(struct app *a, enum cmd c, char **w, size_t n);
/* A cut in words ("remove step 12 'Walk to triage'"), steps named by
 * their number in p, the baseline. Returns buf. */
char *cut_describe(const struct process *p, const struct cut *c, char *buf, size_t size);
/* The mark a cut of kind k gives its steps (MARK_NONE: capacity). */
enum cut_mark cut_kind_mark(enum cut_kind k);
/* The scenario with this name, or 1-based number ("2"), in p; NULL. */
struct scenario *scen_find(const struct process *p, const char *name);

/* --- figures side by side (view_figures.c) ----------------------------------------- */

/* One line of figures: a label, its value in one or two processes, and the
 * change from the first to the second. */
struct fig_row {
	char label[128];
	char a[40], b[40];           /* values; b "" when there is one column */
	char change[24];             /* "−59 %", "+5 %", "0 %", or "" */
	int style, change_style;     /* the value's style, the change's (good, bad) */
	bool heading;
};

/*
 * The rows of the figures fa of process pa and, when pb is not NULL, of fb of
 * pb beside them (a scenario of pa: measures matched by id). wide: full
 * labels, headings, steps by lane; utf8: the minus sign as U+2212, else '-'.
 * Fills at most max rows; returns the count.
 */
size_t fig_rows(const struct process *pa, const struct figures *fa, const struct process *pb,
                const struct figures *fb, bool wide, bool utf8, struct fig_row *rows,
                size_t max);

/* --- who is here (presence.c) ---------------------------------------------------------- */

/* Join the workbook's presence as a->opt.who (a workbook file only) / leave
 * it (on every way out of the workbench). */
void who_start(struct app *a);
void who_stop(struct app *a);
/* How long the main loop may wait for a key, given its own wait ms (-1:
 * forever): no longer than the next beat or look at who is here. */
int who_wait(struct app *a, int ms);
/* While waiting and after each key: beat, read who is here (every LIST_S,
 * or now when look), follow. FL_* flags (FL_REDRAW when the screen should
 * show a change). */
int who_tick(struct app *a, bool look);
/* A key while following someone: stops following, and true (the key does
 * nothing else). False when not following. */
bool who_key(struct app *a);
/* The sessions in the workbook, this one included (0: no presence). */
size_t who_count(const struct app *a);
/* The name of the session followed, or NULL. */
const char *who_following(const struct app *a);
/* "◂ana,bo" for the others whose cursor is on step (of the process shown),
 * right-aligned to end at xend, starting no further left than xmin. Returns
 * the cells drawn; who_marks_width() the cells it takes (0: nobody). */
int who_draw_marks(struct app *a, sm_id step, int y, int xmin, int xend, int style);
int who_marks_width(struct app *a, sm_id step);
/* `:who` and `:follow [NAME]` (w[0..n) the words after the name). */
int who_exec(struct app *a, enum cmd c, char **w, size_t n);

/* Case-insensitive search of UTF-8 needle in haystack. */
bool text_contains(const char *haystack, const char *needle);

#endif
