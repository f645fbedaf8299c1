/* SPDX-License-Identifier: MIT */
/* proportion.h - how sure a rate is: Wilson intervals, the score test
 * they invert, and the Benjamini-Hochberg adjustment over many tests.
 * Shared by the backtest and discover, so both say "sure" alike. */
#ifndef LS_PROPORTION_H
#define LS_PROPORTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROPORTION_ALPHA 0.05 /* the false discovery rate verdicts are held to */

/* The score test of x/n against p0, the one the Wilson interval inverts
 * (p <= 0.05 exactly when the interval leaves p0 out): false when n is
 * too small for it, fewer than 5 of each outcome expected. */
bool proportion_score_test(uint64_t x, uint64_t n, double p0, double *z, double *p);

/* Benjamini-Hochberg: p-values in, q-values out (q[i] for p[i]); rank is
 * scratch space for n entries. */
struct proportion_rank {
	double p;
	size_t i;
};
void proportion_adjust(const double *p, double *q, struct proportion_rank *rank, size_t n);

#endif
