/*
 * cmd_open.c - stepmap [--name NAME] [WORKBOOK]: open the workbench.
 *
 * With no WORKBOOK the bundled demo is opened in memory (store ":memory:"):
 * everything works, undo included, and nothing is written to disk, which the
 * title and status lines say. With a WORKBOOK the file is opened, or created
 * empty when it does not exist; every edit is then written to it as it is
 * made.
 *
 * --name NAME is this session's name for the others in the same workbook
 * (who is here, :follow; tui/presence.c); the default is the login name.
 *
 * STEPMAP_SCRIPT=FILE runs the keys in FILE (tui/keys.h syntax) before the
 * keyboard takes over, as tig's TIG_SCRIPT does; with STEPMAP_SCRIPT_ONLY=1
 * the workbench quits when the script ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/file.h"
#include "store/presence.h"
#include "examples/demo.h"
#include "tui/tui.h"

/* The whole of a script file, comment lines (first character '#') and line
 * breaks left out. NULL with a message printed on error. */
static char *
read_script(const char *path)
{
	struct err err = { 0 };
	int fd = file_open_read(path, NULL, NULL, &err);   /* a FIFO: refused, not waited on */
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *buf = NULL, line[4096];
	size_t n = 0, cap = 0;

	if (!f) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "stepmap: STEPMAP_SCRIPT: %s\n", err.msg[0] ? err.msg : strerror(errno));
		return NULL;
	}
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\r\n");
		char *p;

		if (line[0] == '#')
			continue;
		if (n + len + 1 > cap) {
			cap = (n + len + 1) * 2;
			if (!(p = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				fprintf(stderr, "stepmap: out of memory\n");
				return NULL;
			}
			buf = p;
		}
		memcpy(buf + n, line, len);
		n += len;
		buf[n] = '\0';
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	return buf;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int
cmd_open(const char *path)
{
	return cli_workbench(path, false);
}

/* --- the session's name (--name) -------------------------------------------------------- */

static char who[PRESENCE_NAME_MAX + 1];

const char *
cli_who(void)
{
	return who[0] ? who : presence_login_name(who, sizeof who);
}

/* --name NAME: this session's name, or 2 with a message. */
static int
set_who(const char *name)
{
	if (!presence_name_ok(name))
		return cli_usage("--name: '%s' is not a name (1 to %d printable characters, no blank "
		                 "at either end)", name, PRESENCE_NAME_MAX);
	snprintf(who, sizeof who, "%s", name);
	return 0;
}

int
cli_workbench_args(int argc, char **argv, bool present)
{
	const char *path = NULL, *cmd = present ? "present" : "the workbench";
	int i, rc, n = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--name") || !strncmp(argv[i], "--name=", 7)) {
			const char *v = argv[i][6] == '=' ? argv[i] + 7 : i + 1 < argc ? argv[++i] : NULL;

			if (!v)
				return cli_usage("--name needs a NAME");
			if ((rc = set_who(v)) != 0)
				return rc;
		} else if (argv[i][0] == '-')
			return cli_usage("%s%sunknown option '%s'", present ? cmd : "",
			                 present ? ": " : "", argv[i]);
		else {
			path = argv[i];
			n++;
		}
	}
	if (n > 1)
		return cli_usage("%s takes one WORKBOOK, got %d arguments", cmd, n);
	return cli_workbench(path, present);
}

/* stepmap present [--name NAME] [WORKBOOK]: the workbench in presentation mode. */
int
cmd_present(int argc, char **argv)
{
	return cli_workbench_args(argc, argv, true);
}

int
cli_workbench(const char *path, bool present)
{
	struct tui_options opt = { 0 };
	struct store *store = NULL;
	struct workbook *wb = NULL;
	struct err err = { 0 };
	enum status st;
	const char *script = getenv("STEPMAP_SCRIPT"), *only = getenv("STEPMAP_SCRIPT_ONLY");
	char *keys = NULL;
	int rc;

	if (!tui_has_terminal())
		return 1;             /* before a workbook is made that nobody sees */
	if (script && *script && !(keys = read_script(script)))
		return 1;
	if (!path) {
		st = store_open(":memory:", STORE_CREATE, &store, &err);
		if (st == STATUS_OK && !(wb = demo_workbook()))
			st = err_set(&err, STATUS_NOMEM, "out of memory");
		if (st == STATUS_OK)
			st = store_save(store, wb, &err);
		if (st != STATUS_OK) {
			workbook_free(&wb);
			store_close(&store);
			free(keys);
			return cli_fail(st, &err);
		}
		opt.demo = true;
		opt.name = "demo";
	} else {
		rc = cli_open_workbook(path, STORE_BROWSE, &store, &wb);
		if (rc != 0) {
			free(keys);
			return rc;
		}
		opt.name = base_name(path);
	}
	/* the session's name is also the author of its changes (undo is yours) */
	if ((st = store_set_author(store, cli_who(), &err)) != STATUS_OK) {
		workbook_free(&wb);
		store_close(&store);
		free(keys);
		return cli_fail(st, &err);
	}
	opt.script = keys;
	opt.script_only = only && *only && strcmp(only, "0");
	opt.present = present;
	opt.who = cli_who();
	opt.write_file = cli_write_atomic;
	rc = tui_run(store, wb, &opt);
	workbook_free(&wb);
	store_close(&store);
	free(keys);
	return rc;
}
