/*
 * status.h - status codes and error messages shared by every layer.
 *
 * Every function that can fail returns an enum status and, where the caller
 * passes one, fills a struct err with a message a person can act on: it names
 * the file, line or field and says what was expected ("work: expected a
 * duration like 5m or tri(3m,5m,10m), got '5 minutes'").
 *
 * The codes and their texts come from one X-macro table so they cannot drift;
 * each code also says which process exit code it maps to (0 ok, 1 bad input,
 * 2 bad usage, 3 internal failure).
 */
#ifndef STEPMAP_STATUS_H
#define STEPMAP_STATUS_H

#include <stddef.h>

/* _(NAME, exit code, text) */
#define STATUS_CODE_INFO(_) \
	_(OK,           0, "ok") \
	_(NOTHING,      0, "nothing to do") \
	_(USAGE,        2, "bad usage") \
	_(INPUT,        1, "bad input") \
	_(NOT_FOUND,    1, "not found") \
	_(NOT_WORKBOOK, 1, "not a stepmap workbook") \
	_(TOO_NEW,      1, "workbook was written by a newer stepmap") \
	_(LOCKED,       1, "workbook is locked by another process") \
	_(STALE,        1, "workbook was changed by another process") \
	_(CONFLICT,     1, "the edit no longer applies: the workbook changed meanwhile") \
	_(CORRUPT,      1, "workbook is damaged") \
	_(IO,           1, "input/output error") \
	_(CANCELLED,    1, "cancelled") \
	_(NOMEM,        3, "out of memory") \
	_(INTERNAL,     3, "internal error")

enum status {
#define STATUS_ENUM_(name, exit, text) STATUS_##name,
	STATUS_CODE_INFO(STATUS_ENUM_)
#undef STATUS_ENUM_
	STATUS_COUNT_
};

#define ERR_MSG_MAX 1024

/* A message for the user. msg is always NUL-terminated; empty when unset. */
struct err {
	enum status code;
	char msg[ERR_MSG_MAX];
};

/* The fixed text of a status ("bad input"). Never NULL. */
const char *status_text(enum status s);

/* The process exit code for a status: 0, 1, 2 or 3. */
int status_exit_code(enum status s);

/*
 * Record a formatted message in err (which may be NULL) and return s, so a
 * failing function can say `return err_set(err, STATUS_INPUT, "...", ...);`.
 * A message already set is replaced.
 */
enum status err_set(struct err *err, enum status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put a context in front of the message already in err ("FILE:LINE: " before
 * "column 'work': ..."). Returns err->code (STATUS_OK when err is NULL).
 */
enum status err_prefix(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear err (code STATUS_OK, empty message). err may be NULL. */
void err_clear(struct err *err);

#endif
