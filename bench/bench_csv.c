/*
 * bench_csv.c - CSV import and export of a large process, against the floor
 * of libcsv alone cutting the same bytes into cells.
 *
 *   build/bench/bench_csv [STEPS] [FILE]    (default 100000; FILE: where the
 *                                            generated CSV is written, kept)
 *
 * The generated file has every column the writer writes: names with commas
 * and quotes (quoted), 12 lanes in every stage with capacities, distributions
 * (quoted, they hold commas), notes on one row in three, a decision every 10
 * rows with two labelled branches and a condition, and two measures. Prints
 * the best of five runs of:
 *   floor   libcsv parses the file with callbacks that only count cells
 *   import  csv_import_file() into a workbook through the sink builder:
 *           cells checked (UTF-8, durations, numbers), steps, lanes, flows
 *           and measures built
 *   export  csv_export_process() of the imported process to /dev/null
 * and the ratios import/floor and export/floor; then, in a child process of
 * its own, one import's peak memory above what the process held before it
 * (the peak resident set, getrusage) per megabyte of file: the reader and
 * the workbook it builds together (measured).
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export/csv.h"
#include "import/csv.h"
#include "import/sink.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_csv: %s\n", what);
	exit(3);
}

static void
generate(const char *path, size_t n)
{
	static const char *const lanes[][3] = {
		{ "Patient", "customer", "" }, { "Front desk", "onstage", "2" },
		{ "Triage nurse", "onstage", "2" }, { "ED nurse", "offstage", "6" },
		{ "ED physician", "offstage", "3" }, { "Bed management", "offstage", "2" },
		{ "Admitting team", "offstage", "5" }, { "Transport", "offstage", "3" },
		{ "Lab", "offstage", "4" }, { "Radiology", "offstage", "2" },
		{ "EHR", "support", "" }, { "Phone/fax", "support", "" },
	};
	static const char *const types[] = { "task", "manual", "user", "service" };
	FILE *f = fopen(path, "wb");
	size_t i;

	if (!f)
		die("cannot write the generated file");
	fputs("\xef\xbb\xbfstep,name,lane,stage,capacity,type,work,wait,value,error_rate,cost,"
	      "channel,emotion,pain,note,next,starts,ends,arrival\r\n", f);
	for (i = 1; i <= n; i++) {
		const char *const *l = lanes[i % 12];

		fprintf(f, "%zu,\"Step %zu: call the ward, ask for \"\"the bed\"\"\",%s,%s,%s,%s,",
		        i, i, l[0], l[1], l[2], i % 10 == 5 && i + 2 <= n ? "decision" : types[i % 4]);
		fprintf(f, "\"tri(%zus,%zus,%zus)\",%s,%s,%s,%s,%s,%s,%s,", 30 + i % 7, 60 + i % 11,
		        150 + i % 13, i % 3 ? "2m" : "\"exp(7.5m)\"", i % 3 ? "NVA" : "VA",
		        i % 5 ? "0" : "0.02", i % 2 ? "0.27" : "1.5", i % 4 ? "in person" : "phone",
		        i % 12 == 0 ? "-1" : "", i % 17 ? "no" : "yes");
		if (i % 3 == 0)
			fprintf(f, "\"Kept on a clipboard; nobody reads it afterwards\",");
		else
			fputc(',', f);
		if (i % 10 == 5 && i + 2 <= n)
			fprintf(f, "%zu@0.7 Imaging needed {imaging = yes} | %zu@0.3 No imaging,",
			        i + 1, i + 2);
		else
			fputc(',', f);
		fprintf(f, "%s,%s,%s\r\n", i == 1 ? "whole case @customer | first half" : "",
		        i == n ? "whole case" : i == n / 2 ? "first half" : "",
		        i == 1 ? "\"exp(30m)\"" : "");
	}
	if (fclose(f) != 0)
		die("cannot write the generated file");
}

struct count {
	size_t cells, rows;
};

static void
count_cell(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct count *)data)->cells++;
}

static void
count_row(int c, void *data)
{
	(void)c;
	((struct count *)data)->rows++;
}

/* The floor: libcsv alone, reading the file in the same blocks. */
static double
floor_run(const char *path, struct count *c)
{
	static unsigned char buf[65536];
	struct csv_parser p;
	FILE *f = fopen(path, "rb");
	size_t n;
	double t0 = now_s();

	if (!f || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		die("floor: cannot start");
	csv_set_blk_size(&p, sizeof buf);
	memset(c, 0, sizeof *c);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (csv_parse(&p, buf, n, count_cell, count_row, c) != n)
			die("floor: libcsv refused the file");
	csv_fini(&p, count_cell, count_row, c);
	csv_free(&p);
	fclose(f);
	return now_s() - t0;
}

static double
import_run(const char *path, struct workbook **out)
{
	struct workbook *w = workbook_new();
	struct sink_builder *b = NULL;
	struct sink s;
	struct err err = { 0 };
	double t0 = now_s(), t;

	if (!w || sink_builder_new(w, false, &b, &s) != STATUS_OK)
		die("out of memory");
	if (csv_import_file(path, NULL, &s, &err) != STATUS_OK) {
		fprintf(stderr, "bench_csv: %s\n", err.msg);
		exit(3);
	}
	t = now_s() - t0;
	if (sink_builder_nwarnings(b))
		fprintf(stderr, "bench_csv: warnings:\n%s", sink_builder_warnings(b));
	sink_builder_free(&b);
	*out = w;
	return t;
}

/* Resident set now, in KiB (/proc/self/statm). */
static long
rss_kib(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One import in a child process: its peak memory above where it started,
 * in KiB; -1 when it cannot be measured. */
static long
import_peak_kib(const char *path)
{
	int fds[2], status;
	long kib = -1;
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		struct workbook *w = NULL;
		struct rusage ru;
		long before = rss_kib(), peak;

		import_run(path, &w);
		getrusage(RUSAGE_SELF, &ru);
		peak = ru.ru_maxrss - before;
		if (write(fds[1], &peak, sizeof peak) != sizeof peak)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &kib, sizeof kib) != sizeof kib)
		kib = -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return kib;
}

static double
export_run(const struct process *p)
{
	FILE *f = fopen("/dev/null", "wb");
	struct err err = { 0 };
	double t0 = now_s(), t;

	if (!f || csv_export_process(f, p, NULL, &err) != STATUS_OK)
		die("export failed");
	fflush(f);
	t = now_s() - t0;
	fclose(f);
	return t;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000, size;
	char tmp[] = "/tmp/bench_csv_XXXXXX";
	const char *path = argc > 2 ? argv[2] : NULL;
	double floor_t = 1e9, import_t = 1e9, export_t = 1e9, t;
	struct workbook *w = NULL;
	struct count c;
	FILE *f;
	int i;

	if (n < 10)
		die("STEPS must be at least 10");
	if (!path) {
		int fd = mkstemp(tmp);

		if (fd < 0)
			die("cannot create a temporary file");
		path = tmp;
	}
	generate(path, n);
	if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) != 0)
		die("cannot measure the file");
	size = (size_t)ftell(f);
	fclose(f);
	for (i = 0; i < 5; i++) {
		if ((t = floor_run(path, &c)) < floor_t)
			floor_t = t;
		workbook_free(&w);
		if ((t = import_run(path, &w)) < import_t)
			import_t = t;
		if ((t = export_run(w->procs[0])) < export_t)
			export_t = t;
	}
	if (w->procs[0]->nsteps != n)
		die("the import lost steps");
	printf("file     %zu steps, %.1f MB, %zu cells\n", n, (double)size / 1e6, c.cells);
	printf("floor    libcsv alone      %8.1f ms  %6.1f MB/s\n", floor_t * 1e3,
	       (double)size / 1e6 / floor_t);
	printf("import   csv_import_file   %8.1f ms  %6.1f MB/s  %6.2f us/step  import/floor %.2f\n",
	       import_t * 1e3, (double)size / 1e6 / import_t, import_t * 1e6 / (double)n,
	       import_t / floor_t);
	printf("export   csv_export_process %7.1f ms  %6.1f MB/s  %6.2f us/step  export/floor %.2f\n",
	       export_t * 1e3, (double)size / 1e6 / export_t, export_t * 1e6 / (double)n,
	       export_t / floor_t);
	workbook_free(&w);
	{
		long kib = import_peak_kib(path);

		if (kib >= 0)
			printf("memory   import peak %.1f MB above the start for a %.1f MB file: "
			       "%.2f MB per MB of file (measured)\n", (double)kib / 1024,
			       (double)size / 1e6, (double)kib * 1024 / (double)size);
	}
	if (path == tmp)
		remove(tmp);
	return 0;
}
