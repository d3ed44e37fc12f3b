/*
 * tmpdir.h - a temporary directory for a unit test's workbook files, and
 * removing it again. Include after cmocka.h.
 */
#ifndef STEPMAP_TESTS_TMPDIR_H
#define STEPMAP_TESTS_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tmp {
	char dir[64];
	char path[128];              /* dir/w.stepmap */
};

static inline void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/stepmap-store-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/w.stepmap", t->dir);
}

/* Remove dir and what is in it (one level of subdirectories). */
static inline void
rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
			continue;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

#endif
