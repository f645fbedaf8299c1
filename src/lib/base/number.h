/* SPDX-License-Identifier: MIT */
/* number.h - fixed-point helpers shared by the rule loader and the scorer. */
#ifndef LS_NUMBER_H
#define LS_NUMBER_H

#include "leadsift.h"

/* Largest magnitude a rule value (base, threshold, deduct, cap) may have. */
#define LS_FIXED_LIMIT_UNITS 1000000000.0

/* Converts a JSON number to fixed point. Fails (returns false) for values
 * that are not finite, exceed LS_FIXED_LIMIT_UNITS, or have more than six
 * decimal places. */
bool fixed_from_double(double value, ls_fixed *out);

/* ls_number_parse, also telling whether the cell was a band ("11-50",
 * "10,001+") read as its lower bound. */
ls_num_kind number_parse_band(const char *ptr, size_t len, double *out, bool *band);

/* Saturating addition and subtraction, so no sum of rule values overflows. */
ls_fixed fixed_add(ls_fixed a, ls_fixed b);
ls_fixed fixed_sub(ls_fixed a, ls_fixed b);

#endif
