/*
 * file.h - opening a path the user named, safely: what the path is is
 * checked before anything reads from it or writes to it.
 *
 * A named pipe, a device, a socket or a directory given where a file is
 * expected is refused with the kind found ("is a named pipe (FIFO), not a
 * regular file"); opening never blocks (O_NONBLOCK, then fstat on what was
 * opened, so the check and the read are of the same file). Every reader that
 * takes a path (CSV, BPMN, the workbook's header check) and every writer's
 * target check use these, so the words are the same everywhere.
 */
#ifndef STEPMAP_FILE_H
#define STEPMAP_FILE_H

#include <sys/stat.h>

#include "model/status.h"

/* "a directory", "a named pipe (FIFO)", "a character device", "a block
 * device", "a socket", "a symbolic link", "a regular file". */
const char *file_kind(mode_t mode);

/*
 * Open path for reading when it is a regular file (following symbolic
 * links). what names what was expected in the message ("is a directory, not
 * a stepmap workbook"); NULL: "a regular file". Returns the descriptor (blocking again, close-on-exec; the caller
 * closes it) and, when sb is not NULL, its fstat. On error returns -1 with
 * err set: STATUS_NOT_FOUND (no such file: "cannot open: No such file or
 * directory"), STATUS_INPUT (not a regular file,
 * naming its kind) or STATUS_IO, each message starting with path.
 */
int file_open_read(const char *path, const char *what, struct stat *sb, struct err *err);

#endif
