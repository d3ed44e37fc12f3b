/*
 * test_tui_keys.c - the command list and the key tables made from it: no key
 * does two things in the same table, every command has a name the `:` line
 * finds and help text, key names read back as the same key, key scripts
 * parse as documented, and the man page's key table (tui/keys.man, which the
 * man page includes) is what tui_keys_man() generates from the list today
 * (STEPMAP_UPDATE_SCREENS=1 rewrites it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/commands.h"
#include "tui/tui.h"

/* The scopes of the two screens with keys of their own. */
static bool
is_screen(enum scope s)
{
	return s == SCOPE_SIM || s == SCOPE_WALK;
}

static void
no_key_does_two_things(void **state)
{
	int c, d, i, j;

	(void)state;
	for (c = CMD_NONE + 1; c < CMD_COUNT_; c++) {
		const struct cmd_info *ci = cmd_info((enum cmd)c);

		if (ci->scope == SCOPE_CMD)
			continue;
		for (i = 0; i < 2; i++) {
			if (!ci->keys[i])
				continue;
			for (d = c + 1; d < CMD_COUNT_; d++) {
				const struct cmd_info *di = cmd_info((enum cmd)d);

				if (di->scope == SCOPE_CMD || (di->scope == SCOPE_TEXT) != (ci->scope == SCOPE_TEXT))
					continue;
				/* the two screens' own keys may reuse others' keys (not
				 * each other's): those screens ask cmd_screen_key() */
				if ((is_screen(di->scope) || is_screen(ci->scope)) && di->scope != ci->scope)
					continue;
				for (j = 0; j < 2; j++)
					if (di->keys[j] == ci->keys[i]) {
						char name[32];

						fprintf(stderr, "key %s is both '%s' and '%s'\n",
						        tk_name(ci->keys[i], name, sizeof name), ci->name, di->name);
						fail();
					}
			}
			/* and the table finds this command for it */
			if (is_screen(ci->scope))
				assert_int_equal(cmd_screen_key(ci->scope, ci->keys[i]), c);
			else
				assert_int_equal(cmd_for_key(ci->keys[i], ci->scope == SCOPE_TEXT), c);
		}
	}
}

static void
every_command_has_a_name_and_help(void **state)
{
	int c;

	(void)state;
	for (c = CMD_NONE + 1; c < CMD_COUNT_; c++) {
		const struct cmd_info *ci = cmd_info((enum cmd)c);

		assert_int_equal(ci->id, c);
		assert_true(strlen(ci->name) > 0);
		assert_true(strlen(ci->help) > 10);
		assert_int_equal(cmd_by_name(ci->name), c);
		assert_true(ci->scope == SCOPE_CMD || ci->keys[0] != 0);
	}
	assert_int_equal(cmd_by_name("no-such-command"), CMD_NONE);
	assert_int_equal(cmd_for_key('Y', false), CMD_NONE);
	assert_int_equal(cmd_for_key('Z', false), CMD_UNDECIDE);
	/* the simulation screen's and the walk's keys are theirs alone */
	assert_int_equal(cmd_for_key(TK_TAB, false), CMD_NONE);
	assert_int_equal(cmd_for_key('+', false), CMD_NONE);
	assert_int_equal(cmd_screen_key(SCOPE_SIM, TK_TAB), CMD_NEXT_MEASURE);
	assert_int_equal(cmd_screen_key(SCOPE_WALK, TK_TAB), CMD_SWITCH_VARIANT);
	assert_int_equal(cmd_screen_key(SCOPE_SIM, 'q'), CMD_NONE);
	/* typing: letters are text, not commands */
	assert_int_equal(cmd_for_key('q', true), CMD_NONE);
	assert_int_equal(cmd_for_key(TK_ENTER, true), CMD_ACCEPT);
	assert_int_equal(cmd_for_key(TK_ENTER, false), CMD_EDIT);
}

static void
key_names_read_back(void **state)
{
	static const struct {
		tkey key;
		const char *name;
	} cases[] = {
		{ 'a', "a" }, { TK_CTRL('r'), "Ctrl-R" }, { TK_ENTER, "Enter" }, { TK_ESC, "Esc" },
		{ TK_TAB, "Tab" }, { TK_BTAB, "Shift-Tab" }, { TK_UP, "Up" }, { TK_NPAGE, "PgDn" },
		{ TK_F(1), "F1" }, { TK_F(12), "F12" }, { TK_DC, "Delete" }, { TK_SPACE, "Space" },
		{ 0xe9, "é" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_string_equal(tk_name(cases[i].key, buf, sizeof buf), cases[i].name);
		if (cases[i].key >= 0x80 || cases[i].key == TK_SPACE || cases[i].key > ' ')
			continue;
		assert_int_equal(tk_parse_name(cases[i].name, strlen(cases[i].name)), cases[i].key);
	}
	assert_int_equal(tk_parse_name("C-r", 3), TK_CTRL('r'));
	assert_int_equal(tk_parse_name("S-Tab", 5), TK_BTAB);
	assert_int_equal(tk_parse_name("lt", 2), '<');
	assert_int_equal(tk_parse_name("F13", 3), -1);
	assert_int_equal(tk_parse_name("Nonsense", 8), -1);
}

static void
scripts_parse(void **state)
{
	const char *script = "aé<Enter><C-r><lt>x<resize 6x20><dump /tmp/x>< <Nope>日";
	static const tkey want[] = { 'a', 0xe9, TK_ENTER, TK_CTRL('r'), '<', 'x', TK_DIRECTIVE,
	                             TK_DIRECTIVE, '<', ' ', '<', 'N', 'o', 'p', 'e', '>', 0x65e5 };
	size_t pos = 0, n = 0, arglen;
	const char *arg;
	tkey k;

	(void)state;
	while (tk_script_next(script, &pos, &k, &arg, &arglen)) {
		assert_true(n < sizeof want / sizeof want[0]);
		assert_int_equal(k, want[n]);
		if (n == 6) {
			assert_int_equal(arglen, strlen("resize 6x20"));
			assert_memory_equal(arg, "resize 6x20", arglen);
		}
		n++;
	}
	assert_int_equal(n, sizeof want / sizeof want[0]);
}

static void
man_page_table_is_current(void **state)
{
	char *text = NULL, *want;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *top = getenv("TOP"), *update = getenv("STEPMAP_UPDATE_SCREENS");
	char path[512];
	long n;

	(void)state;
	assert_non_null(f);
	tui_keys_man(f);
	assert_int_equal(fclose(f), 0);
	/* every command is in it */
	for (int c = CMD_NONE + 1; c < CMD_COUNT_; c++) {
		const struct cmd_info *ci = cmd_info((enum cmd)c);
		char help[256];

		snprintf(help, sizeof help, "%.40s", ci->help);
		if (!strchr(help, '-') && !strchr(help, '\\'))
			assert_non_null(strstr(text, help));
	}
	snprintf(path, sizeof path, "%s/tui/keys.man", top && *top ? top : ".");
	if (update && !strcmp(update, "1")) {
		assert_non_null(f = fopen(path, "w"));
		fputs(text, f);
		assert_int_equal(fclose(f), 0);
		free(text);
		return;
	}
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s is missing: STEPMAP_UPDATE_SCREENS=1 %s writes it\n", path, "test_tui_keys");
		fail();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	want = calloc(1, (size_t)n + 1);
	assert_non_null(want);
	assert_int_equal(fread(want, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (strcmp(want, text)) {
		fprintf(stderr, "%s is out of date with tui/commands.h: run STEPMAP_UPDATE_SCREENS=1 "
		                "build/tests/test_tui_keys\n", path);
		fail();
	}
	free(want);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_key_does_two_things),
		cmocka_unit_test(every_command_has_a_name_and_help),
		cmocka_unit_test(key_names_read_back),
		cmocka_unit_test(scripts_parse),
		cmocka_unit_test(man_page_table_is_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
