/*
 * keys.h - keys as numbers, their names, and the key scripts of the tests.
 *
 * A key (tkey) is a Unicode code point for a character (control characters
 * included: TK_CTRL('r') is 18), or TK_FN | an ncurses KEY_* code for a
 * function key, so the two ranges never collide. The main loop turns what
 * get_wch() returns into a tkey (Enter, Backspace and Delete each arrive in
 * several forms and leave as one).
 *
 * Key names, for the help screen, the man page and scripts: "a", "Ctrl-R",
 * "Enter", "Esc", "Tab", "Shift-Tab", "Up", "PgDn", "F1", "Space"...
 *
 * A key script (the screen tests' input, and the file STEPMAP_SCRIPT names)
 * is text whose characters are keys, except <NAME> which is the key of that
 * name (<Enter>, <Esc>, <C-r>, <S-Tab>, <lt> for '<'), and two directives:
 * <resize ROWSxCOLS> resizes the terminal, <dump FILE> writes the screen to
 * FILE. In a script file a line whose first character is '#' is a comment and
 * line breaks are ignored (type <Enter> for Enter).
 */
#ifndef STEPMAP_TUI_KEYS_H
#define STEPMAP_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t tkey;

#define TK_FN        0x01000000
/* ncurses's KEY_* codes, without including curses here */
#define TK_NC_DOWN      0402
#define TK_NC_UP        0403
#define TK_NC_LEFT      0404
#define TK_NC_RIGHT     0405
#define TK_NC_HOME      0406
#define TK_NC_BACKSPACE 0407
#define TK_NC_F0        0410
#define TK_NC_DC        0512
#define TK_NC_IC        0513
#define TK_NC_NPAGE     0522
#define TK_NC_PPAGE     0523
#define TK_NC_ENTER     0527
#define TK_NC_BTAB      0541
#define TK_NC_END       0550
#define TK_NC_RESIZE    0632

#define TK_CTRL(c)   ((tkey)((c) & 0x1f))
#define TK_ENTER     ((tkey)'\n')
#define TK_TAB       ((tkey)'\t')
#define TK_ESC       ((tkey)27)
#define TK_SPACE     ((tkey)' ')
#define TK_DOWN      (TK_FN | TK_NC_DOWN)
#define TK_UP        (TK_FN | TK_NC_UP)
#define TK_LEFT      (TK_FN | TK_NC_LEFT)
#define TK_RIGHT     (TK_FN | TK_NC_RIGHT)
#define TK_HOME      (TK_FN | TK_NC_HOME)
#define TK_END       (TK_FN | TK_NC_END)
#define TK_BACKSPACE (TK_FN | TK_NC_BACKSPACE)
#define TK_DC        (TK_FN | TK_NC_DC)
#define TK_NPAGE     (TK_FN | TK_NC_NPAGE)
#define TK_PPAGE     (TK_FN | TK_NC_PPAGE)
#define TK_BTAB      (TK_FN | TK_NC_BTAB)
#define TK_RESIZE    (TK_FN | TK_NC_RESIZE)
#define TK_F(n)      (TK_FN | (TK_NC_F0 + (n)))

/* Script directives (never produced by a terminal). */
#define TK_DIRECTIVE 0x02000000

/* The key as the man page and `?` name it ("Ctrl-R", "Enter", "a"), in buf
 * (at least 16 bytes). Returns buf. */
char *tk_name(tkey k, char *buf, size_t size);

/* The key a name gives: "Enter", "C-r", "Ctrl-R", "S-Tab", "lt"...; -1 when
 * unknown. */
tkey tk_parse_name(const char *name, size_t len);

/*
 * One step of a key script: the key at *pos, advancing *pos. Returns false at
 * the end. A directive gives TK_DIRECTIVE and its text (after the '<', up to
 * the '>') in *arg / *arglen. A '<' that starts no known name is the key '<'.
 */
bool tk_script_next(const char *script, size_t *pos, tkey *k, const char **arg,
                     size_t *arglen);

#endif
