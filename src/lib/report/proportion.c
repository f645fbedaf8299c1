/* SPDX-License-Identifier: MIT */
/* proportion.c - the score test and Benjamini-Hochberg (proportion.h). */
#include "report/proportion.h"

#include <math.h>
#include <stdlib.h>

bool proportion_score_test(uint64_t x, uint64_t n, double p0, double *z, double *p)
{
	double expected = (double)n * p0, others = (double)n * (1 - p0);

	if (expected < 5 || others < 5)
		return false;
	*z = ((double)x / (double)n - p0) / sqrt(p0 * (1 - p0) / (double)n);
	*p = erfc(fabs(*z) / sqrt(2));
	return true;
}

static int by_p_value(const void *a, const void *b)
{
	const struct proportion_rank *x = a, *y = b;

	if (x->p != y->p)
		return x->p > y->p ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i); /* ties in a fixed order */
}

/* The i-th smallest of n p-values becomes min over j >= i of n p(j) / j,
 * which holds the expected share of false discoveries among those with
 * q <= alpha to alpha. */
void proportion_adjust(const double *p, double *q, struct proportion_rank *rank, size_t n)
{
	double least = 1;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		rank[i] = (struct proportion_rank){p[i], i};
	qsort(rank, n, sizeof(*rank), by_p_value);
	for (i = n; i-- > 0;) {
		double qi = rank[i].p * (double)n / (double)(i + 1);
		least = qi < least ? qi : least;
		q[rank[i].i] = least;
	}
}
