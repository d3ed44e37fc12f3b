/*
 * test_bpmn_hostile.c - the BPMN reader against hostile files: an external
 * entity naming a local file, a billion-laughs bomb, 10 000-deep nesting, a
 * truncated file, invalid UTF-8, a 100 MB attribute, 200 000 attributes on
 * one element, an external DTD, an XInclude of a local file, an undeclared
 * namespace prefix, and the same entity tricks in UTF-16 (where the byte
 * scanner cannot see them and libxml2's own callbacks must refuse them).
 *
 * The files are made in a temporary folder at run time. Each read runs in a
 * child process, so its peak memory can be measured (getrusage of the child)
 * and a hang is caught by a watchdog (alarm) instead of hanging the suite.
 * The child sends back its status, message, warnings and every name and
 * note it imported; the parent checks that the read failed cleanly (or, for
 * XInclude, succeeded harmlessly) and that the secret file's content appears
 * nowhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "import/bpmn.h"
#include "import/sink.h"
#include "model/model.h"

#define SECRET "stepmap-secret-4f1c9e-never-read-me"
#define WATCHDOG_S 20
#if defined(__SANITIZE_ADDRESS__)
#define RSS_MAX_KB (600 * 1024)   /* ASan's shadow memory and quarantine */
#else
#define RSS_MAX_KB (200 * 1024)
#endif

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define DEFS "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" " \
             "id=\"d\" targetNamespace=\"t\">"
#define BODY "<process id=\"p\"><startEvent id=\"s\"/><task id=\"t\" name=\"Task\"/>" \
             "<sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"t\"/></process>"

static char dir[] = "/tmp/stepmap-hostile-XXXXXX";
static char secret_path[256];

/* What a read in the child reported. */
struct outcome {
	enum status st;
	char text[1 << 16];          /* message, warnings, names and notes */
	long rss_kb;
	int signal;                  /* the child died of this, or 0 */
};

static void
path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

static void
write_file(const char *name, const char *data, size_t n)
{
	char p[512];
	FILE *f;

	path_of(p, sizeof p, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

/* The same text in UTF-16LE with a byte order mark. */
static void
write_utf16(const char *name, const char *text)
{
	size_t n = strlen(text), i;
	unsigned char *b = malloc(2 * n + 2);

	assert_non_null(b);
	b[0] = 0xFF;
	b[1] = 0xFE;
	for (i = 0; i < n; i++) {
		b[2 + 2 * i] = (unsigned char)text[i];
		b[3 + 2 * i] = 0;
	}
	write_file(name, (const char *)b, 2 * n + 2);
	free(b);
}

/* Read name in a child; collect what it said. */
static void
read_in_child(const char *name, struct outcome *o)
{
	char p[512];
	int fd[2];
	pid_t pid;
	int wst;
	struct rusage ru;
	size_t got = 0;
	ssize_t n;

	path_of(p, sizeof p, name);
	memset(o, 0, sizeof *o);
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct workbook *w = workbook_new();
		struct sink_builder *b = NULL;
		struct sink sink;
		struct err err = { 0 };
		enum status st;
		FILE *out;
		size_t i, j;

		close(fd[0]);
		alarm(WATCHDOG_S);
		out = fdopen(fd[1], "w");
		if (!w || !out || sink_builder_new(w, true, &b, &sink) != STATUS_OK)
			_exit(3);
		st = bpmn_read(p, NULL, &sink, &err);
		fprintf(out, "%d\n%s\n%s", (int)st, err.msg, sink_builder_warnings(b));
		for (i = 0; i < w->nprocs; i++) {
			const struct process *pr = w->procs[i];

			fprintf(out, "process %s %s\n", pr->name, pr->description ? pr->description : "");
			for (j = 0; j < pr->nlanes; j++)
				fprintf(out, "lane %s\n", pr->lanes[j]->name);
			for (j = 0; j < pr->nsteps; j++)
				fprintf(out, "step %s %s\n", pr->steps[j]->name,
				        pr->steps[j]->note ? pr->steps[j]->note : "");
		}
		fclose(out);
		sink_builder_free(&b);
		workbook_free(&w);
		_exit(0);
	}
	close(fd[1]);
	while ((n = read(fd[0], o->text + got, sizeof o->text - 1 - got)) > 0)
		got += (size_t)n;
	o->text[got] = '\0';
	close(fd[0]);
	assert_int_equal(wait4(pid, &wst, 0, &ru), pid);
	o->rss_kb = ru.ru_maxrss;
	if (WIFSIGNALED(wst))
		o->signal = WTERMSIG(wst);
	else
		assert_int_equal(WEXITSTATUS(wst), 0);
	o->st = (enum status)atoi(o->text);
}

/* The read failed with a message naming the file and containing `want`. */
static void
expect_refused(const char *name, const char *want)
{
	struct outcome *o = malloc(sizeof *o);

	assert_non_null(o);
	read_in_child(name, o);
	if (o->signal == SIGALRM)
		fail_msg("%s: the read did not finish within %d s", name, WATCHDOG_S);
	assert_int_equal(o->signal, 0);
	if (o->st != STATUS_INPUT)
		fail_msg("%s: status %d, expected bad input; said:\n%s", name, (int)o->st, o->text);
	if (!strstr(o->text, name))
		fail_msg("%s: the message does not name the file:\n%s", name, o->text);
	if (want && !strstr(o->text, want))
		fail_msg("%s: the message does not say '%s':\n%s", name, want, o->text);
	if (strstr(o->text, SECRET))
		fail_msg("%s: the secret file was read:\n%s", name, o->text);
	if (o->rss_kb > RSS_MAX_KB)
		fail_msg("%s: peak memory %ld kB, above %d kB", name, o->rss_kb, RSS_MAX_KB);
	free(o);
}

static int
setup(void **state)
{
	FILE *f;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	path_of(secret_path, sizeof secret_path, "secret.txt");
	f = fopen(secret_path, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", SECRET);
	return fclose(f);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A well-formed control file reads: the harness itself works. */
static void
test_control_reads(void **state)
{
	struct outcome *o = malloc(sizeof *o);

	(void)state;
	assert_non_null(o);
	write_text("ok.bpmn", HEAD DEFS BODY "</definitions>\n");
	read_in_child("ok.bpmn", o);
	assert_int_equal(o->signal, 0);
	assert_int_equal(o->st, STATUS_OK);
	assert_non_null(strstr(o->text, "step Task"));
	free(o);
}

static void
test_external_entity(void **state)
{
	char doc[1024];

	(void)state;
	snprintf(doc, sizeof doc, HEAD "<!DOCTYPE definitions [<!ENTITY x SYSTEM \"file://%s\">]>\n"
	         DEFS "<process id=\"p\"><task id=\"t\" name=\"&x;\"><documentation>&x;"
	         "</documentation></task></process></definitions>\n", secret_path);
	write_text("xxe.bpmn", doc);
	expect_refused("xxe.bpmn", "DOCTYPE");
	/* In UTF-16 the byte scanner cannot see the DOCTYPE: libxml2's callback must. */
	write_utf16("xxe16.bpmn", doc);
	expect_refused("xxe16.bpmn", NULL);
}

static void
test_external_dtd(void **state)
{
	char doc[1024];

	(void)state;
	snprintf(doc, sizeof doc, HEAD "<!DOCTYPE definitions SYSTEM \"file://%s\">\n"
	         DEFS BODY "</definitions>\n", secret_path);
	write_text("dtd.bpmn", doc);
	expect_refused("dtd.bpmn", "DOCTYPE");
	write_utf16("dtd16.bpmn", doc);
	expect_refused("dtd16.bpmn", NULL);
}

static void
test_billion_laughs(void **state)
{
	char doc[4096];
	size_t n;
	int i, j;

	(void)state;
	n = (size_t)snprintf(doc, sizeof doc, HEAD "<!DOCTYPE definitions [\n"
	                     "<!ENTITY l0 \"lol\">\n");
	for (i = 1; i <= 10; i++) {
		n += (size_t)snprintf(doc + n, sizeof doc - n, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			n += (size_t)snprintf(doc + n, sizeof doc - n, "&l%d;", i - 1);
		n += (size_t)snprintf(doc + n, sizeof doc - n, "\">\n");
	}
	snprintf(doc + n, sizeof doc - n, "]>\n" DEFS "<process id=\"p\"><task id=\"t\" "
	         "name=\"&l10;\">&l10;</task></process></definitions>\n");
	write_text("laughs.bpmn", doc);
	expect_refused("laughs.bpmn", "DOCTYPE");
	write_utf16("laughs16.bpmn", doc);
	expect_refused("laughs16.bpmn", NULL);
}

static void
test_deep_nesting(void **state)
{
	size_t depth = 10000, n = 0, cap = depth * 32 + 1024, i;
	char *doc = malloc(cap);

	(void)state;
	assert_non_null(doc);
	n += (size_t)snprintf(doc + n, cap - n, HEAD DEFS "<process id=\"p\">"
	                      "<task id=\"t\" name=\"T\"/><extensionElements>");
	for (i = 0; i < depth; i++)
		n += (size_t)snprintf(doc + n, cap - n, "<x:a xmlns:x=\"u\">");
	for (i = 0; i < depth; i++)
		n += (size_t)snprintf(doc + n, cap - n, "</x:a>");
	n += (size_t)snprintf(doc + n, cap - n, "</extensionElements></process></definitions>\n");
	write_file("deep.bpmn", doc, n);
	free(doc);
	expect_refused("deep.bpmn", "nested deeper than 256 levels");
}

static void
test_truncated(void **state)
{
	static const char full[] = HEAD DEFS BODY "</definitions>\n";

	(void)state;
	write_file("trunc.bpmn", full, sizeof full / 2);
	expect_refused("trunc.bpmn", NULL);
	write_file("trunc-tail.bpmn", full, sizeof full - 10);
	expect_refused("trunc-tail.bpmn", NULL);
	write_file("empty.bpmn", "", 0);
	expect_refused("empty.bpmn", NULL);
}

static void
test_invalid_utf8(void **state)
{
	static const char doc[] = HEAD DEFS "<process id=\"p\"><task id=\"t\" "
	                          "name=\"Caf\xC3\x28 \xFF\xFE\"/></process></definitions>\n";

	(void)state;
	write_text("utf8.bpmn", doc);
	expect_refused("utf8.bpmn", "UTF-8");
}

static void
test_huge_attribute(void **state)
{
	static const char head[] = HEAD DEFS "<process id=\"p\"><task id=\"t\" name=\"";
	static const char tail[] = "\"/></process></definitions>\n";
	size_t big = 100u << 20, i;
	char p[512], *block;
	FILE *f;

	(void)state;
	path_of(p, sizeof p, "attr.bpmn");
	f = fopen(p, "wb");
	assert_non_null(f);
	block = malloc(1 << 20);
	assert_non_null(block);
	memset(block, 'A', 1 << 20);
	fputs(head, f);
	for (i = 0; i < big >> 20; i++)
		assert_int_equal(fwrite(block, 1, 1 << 20, f), (size_t)1 << 20);
	fputs(tail, f);
	assert_int_equal(fclose(f), 0);
	free(block);
	expect_refused("attr.bpmn", "10 MB");
	unlink(p);
}

static void
test_many_attributes(void **state)
{
	size_t count = 200000, n = 0, cap = count * 16 + 1024, i;
	char *doc = malloc(cap);

	(void)state;
	assert_non_null(doc);
	n += (size_t)snprintf(doc + n, cap - n, HEAD DEFS "<process id=\"p\"><task id=\"t\"");
	for (i = 0; i < count; i++)
		n += (size_t)snprintf(doc + n, cap - n, " a%zu=\"1\"", i);
	n += (size_t)snprintf(doc + n, cap - n, "/></process></definitions>\n");
	write_file("attrs.bpmn", doc, n);
	free(doc);
	expect_refused("attrs.bpmn", "more than 10000 attributes");
}

/* XInclude is never processed: the include stays an unknown element, the
 * file's content is not read, and the rest imports. */
static void
test_xinclude(void **state)
{
	char doc[1024];
	struct outcome *o = malloc(sizeof *o);

	(void)state;
	assert_non_null(o);
	snprintf(doc, sizeof doc, HEAD "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
	         "xmlns:xi=\"http://www.w3.org/2001/XInclude\" id=\"d\" targetNamespace=\"t\">"
	         "<process id=\"p\"><task id=\"t\" name=\"Task\"><documentation>before "
	         "<xi:include href=\"file://%s\" parse=\"text\"/> after</documentation></task>"
	         "<xi:include href=\"file://%s\" parse=\"xml\"/></process></definitions>\n",
	         secret_path, secret_path);
	write_text("xinclude.bpmn", doc);
	read_in_child("xinclude.bpmn", o);
	assert_int_equal(o->signal, 0);
	assert_int_equal(o->st, STATUS_OK);
	assert_null(strstr(o->text, SECRET));
	assert_non_null(strstr(o->text, "step Task before"));
	/* the include outside documentation is reported, not silently dropped */
	assert_non_null(strstr(o->text, "element 'include'"));
	assert_true(o->rss_kb <= RSS_MAX_KB);
	free(o);
}

static void
test_undeclared_prefix(void **state)
{
	(void)state;
	write_text("prefix.bpmn", HEAD DEFS "<process id=\"p\"><foo:task id=\"t\" name=\"T\"/>"
	           "</process></definitions>\n");
	expect_refused("prefix.bpmn", "Namespace prefix foo");
}

/* Not hostile, but not BPMN either: a clear refusal, not an empty import. */
static void
test_not_bpmn(void **state)
{
	(void)state;
	write_text("other.bpmn", HEAD "<html><body>hello</body></html>\n");
	expect_refused("other.bpmn", "not a BPMN 2.0 file");
	write_text("nons.bpmn", HEAD "<definitions><process id=\"p\"/></definitions>\n");
	expect_refused("nons.bpmn", "not a BPMN 2.0 file");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_reads),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_external_dtd),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_huge_attribute),
		cmocka_unit_test(test_many_attributes),
		cmocka_unit_test(test_xinclude),
		cmocka_unit_test(test_undeclared_prefix),
		cmocka_unit_test(test_not_bpmn),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
