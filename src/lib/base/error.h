/* SPDX-License-Identifier: MIT */
/* error.h - filling ls_error from inside the library (and ls_error_set,
 * in leadsift.h). */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include "leadsift.h"

/* The common out-of-memory report. */
ls_status err_nomem(ls_error *err);

#endif
