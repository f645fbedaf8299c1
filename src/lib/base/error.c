/* SPDX-License-Identifier: MIT */
/* error.c - status names and the error report the library hands back. */
#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ls_strerror(ls_status status)
{
	switch (status) {
	case LS_OK: return "success";
	case LS_DONE: return "end of input";
	case LS_ERR_NOMEM: return "out of memory";
	case LS_ERR_IO: return "input/output error";
	case LS_ERR_JSON: return "invalid JSON";
	case LS_ERR_RULES: return "invalid rules";
	case LS_ERR_CSV: return "malformed CSV";
	case LS_ERR_FIELDS: return "wrong number of fields";
	case LS_ERR_HEADER: return "header does not fit the rules";
	case LS_ERR_USAGE: return "invalid argument";
	case LS_ERR_CANCELLED: return "cancelled";
	}
	return "unknown status";
}

void ls_error_clear(ls_error *err)
{
	if (err == NULL)
		return;
	free(err->message);
	free(err->file);
	memset(err, 0, sizeof(*err));
}

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
	va_list copy;
	char *s;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* Takes message (freed here on failure). A report that cannot be made
 * whole is an out-of-memory error itself: never a report with a part
 * missing, nor the first status with no message. */
static ls_status fill(ls_error *err, ls_status status, const char *file, unsigned long line,
                      unsigned long column, int errnum, char *message)
{
	ls_error_clear(err);
	err->file = file != NULL ? strdup(file) : NULL;
	if (message == NULL || (file != NULL && err->file == NULL)) {
		free(message);
		return err_nomem(err);
	}
	err->status = status;
	err->line = line;
	err->column = column;
	err->sys_errno = errnum;
	err->message = message;
	return status;
}

ls_status ls_error_set(ls_error *err, ls_status status, const char *file, unsigned long line,
                       unsigned long column, const char *fmt, ...)
{
	va_list ap;
	char *message;

	if (err == NULL)
		return status;
	va_start(ap, fmt);
	message = vformat(fmt, ap);
	va_end(ap);
	return fill(err, status, file, line, column, 0, message);
}

ls_status ls_error_set_errno(ls_error *err, ls_status status, int errnum, const char *fmt, ...)
{
	va_list ap;
	char *head, *message = NULL;
	const char *why = strerror(errnum);

	/* Running out of memory is its own kind of failure, whatever call hit it. */
	if (errnum == ENOMEM)
		return err_nomem(err);
	if (err == NULL)
		return status;
	va_start(ap, fmt);
	head = vformat(fmt, ap);
	va_end(ap);
	if (head != NULL) {
		size_t n = strlen(head) + strlen(why) + 3;
		message = malloc(n);
		if (message != NULL)
			snprintf(message, n, "%s: %s", head, why);
		free(head);
	}
	return fill(err, status, NULL, 0, 0, errnum, message);
}

ls_status err_nomem(ls_error *err)
{
	/* No allocation here: the message is filled in by the reader of err. */
	if (err != NULL) {
		ls_error_clear(err);
		err->status = LS_ERR_NOMEM;
	}
	return LS_ERR_NOMEM;
}
