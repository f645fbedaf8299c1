/* SPDX-License-Identifier: MIT */
/* error.h - filling ls_error from inside the library (and ls_error_set,
 * in leadsift.h). */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include "leadsift.h"

/* Like ls_error_set, for a failed system call: keeps errno and appends
 * ": strerror(errno)" to the message, which names the file itself. */
ls_status err_set_errno(ls_error *err, ls_status status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The common out-of-memory report. */
ls_status err_nomem(ls_error *err);

#endif
