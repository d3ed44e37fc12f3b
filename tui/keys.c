/*
 * keys.c - the command table, the default key bindings made from it, key
 * names, key scripts, and the man page's key table.
 *
 * The bindings are data (nnn's bindings[]): two tables, one for text entry
 * (the TEXT scope) and one for everything else, filled from TUI_COMMAND_INFO.
 * A key is looked up by a linear scan of a few dozen entries.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tui/commands.h"
#include "tui/tui.h"

static const struct cmd_info commands[] = {
	{ CMD_NONE, SCOPE_APP, "", { 0, 0 }, "", "" },
#define TUI_CMD_ROW_(id, scope, name, k1, k2, args, help) \
	{ CMD_##id, SCOPE_##scope, name, { k1, k2 }, args, help },
	TUI_COMMAND_INFO(TUI_CMD_ROW_)
#undef TUI_CMD_ROW_
};

static const char *const scope_titles[] = {
#define TUI_SCOPE_TITLE_(id, title) title,
	TUI_SCOPE_INFO(TUI_SCOPE_TITLE_)
#undef TUI_SCOPE_TITLE_
};

const struct cmd_info *
cmd_info(enum cmd c)
{
	if (c <= CMD_NONE || c >= CMD_COUNT_)
		return &commands[0];
	return &commands[c];
}

enum cmd
cmd_by_name(const char *name)
{
	size_t i;

	for (i = 1; i < CMD_COUNT_; i++)
		if (!strcasecmp(commands[i].name, name))
			return commands[i].id;
	return CMD_NONE;
}

const char *
scope_title(enum scope s)
{
	return s < SCOPE_COUNT_ ? scope_titles[s] : "";
}

enum cmd
cmd_for_key(tkey k, bool text)
{
	size_t i;

	if (k == 0)
		return CMD_NONE;
	for (i = 1; i < CMD_COUNT_; i++) {
		const struct cmd_info *c = &commands[i];

		/* the two screens' own keys are theirs alone (cmd_screen_key) */
		if ((c->scope == SCOPE_TEXT) != text || c->scope == SCOPE_CMD ||
		    c->scope == SCOPE_SIM || c->scope == SCOPE_WALK)
			continue;
		if (c->keys[0] == k || c->keys[1] == k)
			return c->id;
	}
	return CMD_NONE;
}

enum cmd
cmd_screen_key(enum scope s, tkey k)
{
	size_t i;

	for (i = 1; k && i < CMD_COUNT_; i++)
		if (commands[i].scope == s && (commands[i].keys[0] == k || commands[i].keys[1] == k))
			return commands[i].id;
	return CMD_NONE;
}

/* --- key names ---------------------------------------------------------------- */

static const struct {
	tkey key;
	const char *name;
	const char *alias;
} named[] = {
	{ TK_ENTER, "Enter", "CR" },
	{ TK_ESC, "Esc", "Escape" },
	{ TK_TAB, "Tab", NULL },
	{ TK_BTAB, "Shift-Tab", "S-Tab" },
	{ TK_SPACE, "Space", NULL },
	{ TK_UP, "Up", NULL },
	{ TK_DOWN, "Down", NULL },
	{ TK_LEFT, "Left", NULL },
	{ TK_RIGHT, "Right", NULL },
	{ TK_HOME, "Home", NULL },
	{ TK_END, "End", NULL },
	{ TK_NPAGE, "PgDn", "PageDown" },
	{ TK_PPAGE, "PgUp", "PageUp" },
	{ TK_BACKSPACE, "Backspace", "BS" },
	{ TK_DC, "Delete", "Del" },
	{ TK_RESIZE, "Resize", NULL },
	{ '<', "lt", NULL },
	{ '>', "gt", NULL },
};

char *
tk_name(tkey k, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == k && k != '<' && k != '>') {
			snprintf(buf, size, "%s", named[i].name);
			return buf;
		}
	if (k > 0 && k < 32)
		snprintf(buf, size, "Ctrl-%c", (char)(k + '@'));
	else if ((k & TK_FN) && (k & ~TK_FN) > TK_NC_F0 && (k & ~TK_FN) <= TK_NC_F0 + 12)
		snprintf(buf, size, "F%d", (int)((k & ~TK_FN) - TK_NC_F0));
	else if (k & TK_FN)
		snprintf(buf, size, "key-%o", (unsigned)(k & ~TK_FN));
	else if (k < 0x80)
		snprintf(buf, size, "%c", (char)k);
	else {
		/* UTF-8 of the code point */
		unsigned c = (unsigned)k;
		char u[5] = { 0 };

		if (c < 0x800) {
			u[0] = (char)(0xc0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
		} else {
			u[0] = (char)(0xf0 | (c >> 18));
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
		}
		snprintf(buf, size, "%s", u);
	}
	return buf;
}

tkey
tk_parse_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strlen(named[i].name) == len && !strncasecmp(named[i].name, name, len))
			return named[i].key;
		if (named[i].alias && strlen(named[i].alias) == len &&
		    !strncasecmp(named[i].alias, name, len))
			return named[i].key;
	}
	if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-')
		return TK_CTRL(name[2]);
	if (len == 6 && !strncasecmp(name, "Ctrl-", 5))
		return TK_CTRL(name[5]);
	if (len >= 2 && len <= 3 && (name[0] == 'F' || name[0] == 'f') &&
	    name[1] >= '1' && name[1] <= '9') {
		int n = name[1] - '0';

		if (len == 3) {
			if (name[2] < '0' || name[2] > '9')
				return -1;
			n = n * 10 + name[2] - '0';
		}
		return n <= 12 ? TK_F(n) : -1;
	}
	return -1;
}

/* Decode one UTF-8 character at s (n bytes left); invalid bytes give U+FFFD
 * and advance by one. */
static tkey
utf8_next(const char *s, size_t n, size_t *used)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[0];
	size_t len, i;

	if (c < 0x80) {
		*used = 1;
		return (tkey)c;
	}
	len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
	if (len == 0 || len > n) {
		*used = 1;
		return 0xfffd;
	}
	c &= 0x3f >> (len - 1);
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*used = 1;
			return 0xfffd;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*used = len;
	return (tkey)c;
}

bool
tk_script_next(const char *script, size_t *pos, tkey *k, const char **arg,
                size_t *arglen)
{
	size_t n = strlen(script), i = *pos, used;

	*arg = NULL;
	*arglen = 0;
	if (i >= n)
		return false;
	if (script[i] == '<') {
		const char *close = strchr(script + i + 1, '>');

		if (close) {
			const char *name = script + i + 1;
			size_t len = (size_t)(close - name);
			tkey named_key;

			if ((len > 7 && !strncmp(name, "resize ", 7)) ||
			    (len > 5 && !strncmp(name, "dump ", 5))) {
				*k = TK_DIRECTIVE;
				*arg = name;
				*arglen = len;
				*pos = (size_t)(close - script) + 1;
				return true;
			}
			named_key = len ? tk_parse_name(name, len) : -1;
			if (named_key >= 0) {
				*k = named_key;
				*pos = (size_t)(close - script) + 1;
				return true;
			}
		}
	}
	*k = utf8_next(script + i, n - i, &used);
	*pos = i + used;
	return true;
}

/* --- the man page's key table ------------------------------------------------- */

/* Write s for roff: backslashes doubled, a leading dot or quote escaped. */
static void
roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

void
tui_keys_man(FILE *f)
{
	size_t i, s;
	char a[32], b[32];

	fputs(".\\\" Generated from tui/commands.h by tui_keys_man(); do not edit.\n", f);
	for (s = 0; s < SCOPE_COUNT_; s++) {
		fputs(".SS ", f);
		roff_text(f, scope_titles[s]);
		fputc('\n', f);
		for (i = 1; i < CMD_COUNT_; i++) {
			const struct cmd_info *c = &commands[i];

			if (c->scope != (enum scope)s)
				continue;
			fputs(".TP\n.B ", f);
			if (c->scope == SCOPE_CMD || !c->keys[0]) {
				fputc(':', f);
				roff_text(f, c->name);
				if (c->args[0]) {
					fputs(" \\fI", f);
					roff_text(f, c->args);
					fputs("\\fR", f);
				}
			} else {
				roff_text(f, tk_name(c->keys[0], a, sizeof a));
				if (c->keys[1]) {
					fputs(" \\fRor\\fB ", f);
					roff_text(f, tk_name(c->keys[1], b, sizeof b));
				}
			}
			fputc('\n', f);
			roff_text(f, c->help);
			if (c->scope != SCOPE_CMD && c->scope != SCOPE_TEXT && c->keys[0]) {
				fputs(" (\\fB:", f);
				roff_text(f, c->name);
				fputs("\\fR)", f);
			}
			fputs(".\n", f);
		}
	}
}
