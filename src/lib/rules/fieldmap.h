/* SPDX-License-Identifier: MIT */
/* fieldmap.h - resolving the field names rules use to columns of a header. */
#ifndef LS_FIELDMAP_H
#define LS_FIELDMAP_H

#include "rules/rules.h"

/* Sets columns[i] to the header column of rs->fields[i]: an exact match
 * first, then one ignoring case, white space and punctuation, then the
 * policy's aliases in order. A missing or ambiguous field fails with
 * LS_ERR_HEADER, naming the rule that uses it, the column plausibly meant
 * (if any; never one another field took) and the header's columns. `source` names the CSV (may be NULL). */
ls_status fieldmap_bind(const ls_ruleset *rs, const ls_cell *header, size_t ncols,
                        const char *source, size_t *columns, ls_error *err);

/* Resolves rs->fields[field] alone, as fieldmap_bind does each field;
 * list_header: whether a missing field's message lists the header. */
ls_status fieldmap_resolve(const ls_ruleset *rs, size_t field, const ls_cell *header,
                           size_t ncols, const char *source, bool list_header, size_t *column,
                           ls_error *err);

/* Whether two header names are equal ignoring ASCII case, white space,
 * underscores and punctuation ("Annual Revenue" and "annual_revenue"). */
bool fieldmap_same_name(const char *a, size_t alen, const char *b, size_t blen);

#endif
