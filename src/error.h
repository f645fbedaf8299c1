/* SPDX-License-Identifier: MIT */
/* error.h - filling ls_error from inside the library. */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include "leadsift.h"

/* Sets err (if not NULL) and returns status, so callers can write
 * `return err_set(err, LS_ERR_CSV, file, line, 0, "...")`. Replaces any
 * earlier content. If formatting runs out of memory the message is a
 * static fallback and status becomes LS_ERR_NOMEM only when no message fits. */
ls_status err_set(ls_error *err, ls_status status, const char *file, unsigned long line,
                  unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Like err_set, for a failed system call: keeps errno and appends
 * ": strerror(errno)" to the message, which names the file itself. */
ls_status err_set_errno(ls_error *err, ls_status status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The common out-of-memory report. */
ls_status err_nomem(ls_error *err);

#endif
