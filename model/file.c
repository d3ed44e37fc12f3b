/*
 * file.c - checking what a path is before reading it (file.h).
 */
#include "model/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a named pipe (FIFO)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

int
file_open_read(const char *path, const char *what, struct stat *out, struct err *err)
{
	struct stat sb;
	int fd, flags;

	if (!what)
		what = "a regular file";

	/* O_NONBLOCK: opening a FIFO without a writer, or a tape, returns at
	 * once; O_NOCTTY: a terminal named here never becomes ours. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == EISDIR)
			err_set(err, STATUS_INPUT, "%s: is a directory, not %s", path, what);
		else if (e == ENXIO) /* a socket, or a device without a driver */
			err_set(err, STATUS_INPUT, "%s: is not %s", path, what);
		else
			err_set(err, e == ENOENT ? STATUS_NOT_FOUND : STATUS_IO, "%s: cannot open: %s",
			        path, strerror(e));
		return -1;
	}
	if (fstat(fd, &sb) != 0) {
		err_set(err, STATUS_IO, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		err_set(err, STATUS_INPUT, "%s: is %s, not %s", path, file_kind(sb.st_mode), what);
		close(fd);
		return -1;
	}
	if ((flags = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (out)
		*out = sb;
	return fd;
}
