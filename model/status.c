/*
 * status.c - texts and exit codes of the status table, and the err helpers.
 */
#include "model/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int exit;
	const char *text;
} status_info[] = {
#define STATUS_INFO_(name, exit, text) { exit, text },
	STATUS_CODE_INFO(STATUS_INFO_)
#undef STATUS_INFO_
};

const char *
status_text(enum status s)
{
	if ((unsigned)s >= STATUS_COUNT_)
		return "unknown status";
	return status_info[s].text;
}

int
status_exit_code(enum status s)
{
	if ((unsigned)s >= STATUS_COUNT_)
		return 3;
	return status_info[s].exit;
}

enum status
err_set(struct err *err, enum status s, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return s;
	err->code = s;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return s;
}

enum status
err_prefix(struct err *err, const char *fmt, ...)
{
	char head[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return STATUS_OK;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	{
		size_t n = strlen(head);

		if (n >= sizeof err->msg)
			n = sizeof err->msg - 1;
		memcpy(err->msg, head, n);
		memcpy(err->msg + n, old, sizeof err->msg - n - 1);
		err->msg[sizeof err->msg - 1] = '\0';
	}
	return err->code;
}

void
err_clear(struct err *err)
{
	if (!err)
		return;
	err->code = STATUS_OK;
	err->msg[0] = '\0';
}
