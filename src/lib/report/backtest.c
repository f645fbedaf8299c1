/* SPDX-License-Identifier: MIT */
/* backtest.c - counting verdicts against known outcomes: the confusion
 * matrix, what disqualifying converted leads would have cost, how the leads
 * each persona and rule hits convert compared with all leads, and which
 * leads each one alone disqualifies: those removing it would keep. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/number.h"
#include "engine/engine.h"
#include "report/proportion.h"

#define Z95 1.959963984540054 /* the normal 97.5% quantile */

struct bin {
	int64_t key;                 /* floor(score / width) */
	uint64_t count[2];           /* [converted] */
};

struct ls_backtest {
	const ls_ruleset *rs;
	size_t nrules;
	size_t *rule_base;           /* per persona: its first rule's index */
	uint64_t (*rule)[2];         /* per rule: hits, converted hits */
	uint64_t (*persona)[2];
	uint64_t (*rule_alone)[2];   /* per rule: leads kept without it, [converted] */
	uint64_t (*persona_alone)[2];
	ls_fixed *sum;               /* per persona, the row being added: its matched */
	size_t *disqualifying;       /* deductions, and its matched disqualify rules */
	ls_backtest_totals t;
	ls_fixed width;
	struct bin *bins;
	size_t nbins, cap;
	ls_backtest_hits *final;     /* after ls_backtest_finish: personas, then rules */
};

void ls_backtest_free(ls_backtest *bt)
{
	if (bt == NULL)
		return;
	free(bt->rule_base);
	free(bt->rule);
	free(bt->persona);
	free(bt->rule_alone);
	free(bt->persona_alone);
	free(bt->sum);
	free(bt->disqualifying);
	free(bt->bins);
	free(bt->final);
	free(bt);
}

ls_status ls_backtest_new(ls_backtest **out, const ls_ruleset *rs, ls_fixed bin_width)
{
	ls_backtest *bt = calloc(1, sizeof(*bt));
	size_t p;

	*out = NULL;
	if (bt == NULL)
		return LS_ERR_NOMEM;
	bt->rs = rs;
	bt->width = bin_width > 0 ? bin_width : 10 * LS_FIXED_ONE;
	bt->rule_base = calloc(rs->npersonas + 1, sizeof(*bt->rule_base));
	for (p = 0; bt->rule_base != NULL && p < rs->npersonas; p++) {
		bt->rule_base[p] = bt->nrules;
		bt->nrules += rs->personas[p].nrules;
	}
	bt->rule = calloc(bt->nrules + 1, sizeof(*bt->rule));
	bt->persona = calloc(rs->npersonas + 1, sizeof(*bt->persona));
	bt->rule_alone = calloc(bt->nrules + 1, sizeof(*bt->rule_alone));
	bt->persona_alone = calloc(rs->npersonas + 1, sizeof(*bt->persona_alone));
	bt->sum = calloc(rs->npersonas + 1, sizeof(*bt->sum));
	bt->disqualifying = calloc(rs->npersonas + 1, sizeof(*bt->disqualifying));
	if (bt->rule_base == NULL || bt->rule == NULL || bt->persona == NULL ||
	    bt->rule_alone == NULL || bt->persona_alone == NULL || bt->sum == NULL ||
	    bt->disqualifying == NULL) {
		ls_backtest_free(bt);
		return LS_ERR_NOMEM;
	}
	*out = bt;
	return LS_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool count_score(ls_backtest *bt, ls_fixed score, bool converted)
{
	int64_t key = floor_div(score, bt->width);
	size_t lo = 0, hi = bt->nbins;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (bt->bins[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == bt->nbins || bt->bins[lo].key != key) {
		if (bt->nbins == bt->cap) {
			struct bin *grown = array_grow(bt->bins, &bt->cap, sizeof(*grown), 16);
			if (grown == NULL)
				return false;
			bt->bins = grown;
		}
		memmove(&bt->bins[lo + 1], &bt->bins[lo], (bt->nbins - lo) * sizeof(*bt->bins));
		memset(&bt->bins[lo], 0, sizeof(*bt->bins));
		bt->bins[lo].key = key;
		bt->nbins++;
	}
	bt->bins[lo].count[converted]++;
	return true;
}

/* Whether the lead would be disqualified with `deducted` less deducted and
 * `disqualifying` fewer matched disqualify rules: the verdict without a
 * rule or a persona, everything else (caps, threshold, allow-list) as it is. */
static bool still_disqualified(const ls_engine *e, const ls_result *res, size_t all_disqualifying,
                               ls_fixed returned, size_t disqualifying)
{
	return all_disqualifying > disqualifying || fixed_add(res->score, returned) < e->threshold;
}

/* For a disqualified lead, the rules and personas that alone disqualify it:
 * without any one of them it would be kept. */
static void count_alone(ls_backtest *bt, const ls_engine *e, const ls_result *res, bool converted)
{
	const ls_ruleset *rs = bt->rs;
	size_t p, r, all = 0;

	if (!res->disqualified)
		return;
	for (p = 0; p < rs->npersonas; p++) {
		bt->sum[p] = 0;
		bt->disqualifying[p] = 0;
		for (r = 0; r < rs->personas[p].nrules; r++) {
			const struct rule *rule = &rs->personas[p].rules[r];
			if (!ls_engine_rule_matched(e, p, r))
				continue;
			bt->sum[p] = fixed_add(bt->sum[p], rule->deduct);
			bt->disqualifying[p] += rule->disqualify;
		}
		all += bt->disqualifying[p];
	}
	for (p = 0; p < rs->npersonas; p++) {
		const struct persona *per = &rs->personas[p];
		ls_fixed deducted = persona_deduction(per, bt->sum[p]);
		if (bt->sum[p] == 0 && bt->disqualifying[p] == 0)
			continue; /* nothing of it matched */
		if (!still_disqualified(e, res, all, deducted, bt->disqualifying[p]))
			bt->persona_alone[p][converted]++;
		for (r = 0; r < per->nrules; r++) {
			const struct rule *rule = &per->rules[r];
			ls_fixed without = persona_deduction(per, fixed_sub(bt->sum[p], rule->deduct));
			if (ls_engine_rule_matched(e, p, r) &&
			    !still_disqualified(e, res, all, fixed_sub(deducted, without), rule->disqualify))
				bt->rule_alone[bt->rule_base[p] + r][converted]++;
		}
	}
}

ls_status ls_backtest_add(ls_backtest *bt, const ls_engine *e, const ls_result *res,
                          bool converted, bool has_value, double value)
{
	const ls_ruleset *rs = bt->rs;
	ls_backtest_totals *t = &bt->t;
	size_t p, r;

	if (e->rs != rs)
		return LS_ERR_USAGE;
	if (bt->final != NULL) { /* a row after ls_backtest_finish: decide again */
		free(bt->final);
		bt->final = NULL;
	}
	if (res->not_lead) {
		t->not_leads++;
		return LS_OK;
	}
	if (!count_score(bt, res->score, converted))
		return LS_ERR_NOMEM;
	t->leads++;
	t->converted += converted;
	t->disqualified += res->disqualified;
	t->matrix[res->disqualified][converted]++;
	t->valued += has_value;
	if (converted && has_value)
		t->converted_value += value;
	if (converted && res->disqualified) {
		if (has_value)
			t->missed_value += value;
		else
			t->missed_unvalued++;
	}
	for (p = 0; p < rs->npersonas; p++) {
		bool hit = false;
		for (r = 0; r < rs->personas[p].nrules; r++) {
			if (!ls_engine_rule_matched(e, p, r))
				continue;
			hit = true;
			bt->rule[bt->rule_base[p] + r][0]++;
			bt->rule[bt->rule_base[p] + r][1] += converted;
		}
		bt->persona[p][0] += hit;
		bt->persona[p][1] += hit && converted;
	}
	count_alone(bt, e, res, converted);
	return LS_OK;
}

static double base_rate(const ls_backtest *bt)
{
	return bt->t.leads > 0 ? (double)bt->t.converted / (double)bt->t.leads : 0;
}

/* Wilson's interval stays within [0, 1] and is honest for small n and
 * rates near 0 or 1, where the textbook p +- z sqrt(p(1-p)/n) is not. */
void ls_wilson_interval(uint64_t x, uint64_t n, double *low, double *high)
{
	double p, z2n;

	if (n == 0) {
		*low = *high = 0;
		return;
	}
	p = (double)x / (double)n;
	z2n = Z95 * Z95 / (double)n;
	double center = (p + z2n / 2) / (1 + z2n);
	double half = Z95 * sqrt(p * (1 - p) / (double)n + z2n / (4 * (double)n)) / (1 + z2n);

	*low = center - half > 0 ? center - half : 0;
	*high = center + half < 1 ? center + half : 1;
}

/* The rate x/n with its interval; all 0 when n is 0. */
static void rate(uint64_t x, uint64_t n, double *r, double *low, double *high)
{
	*r = *low = *high = 0;
	if (n == 0)
		return;
	*r = (double)x / (double)n;
	ls_wilson_interval(x, n, low, high);
}

void ls_backtest_get_totals(const ls_backtest *bt, ls_backtest_totals *out)
{
	*out = bt->t;
	rate(bt->t.converted, bt->t.leads, &out->base_rate, &out->base_low, &out->base_high);
}

/* Everything but the verdict's last step, the false discovery rate: a
 * tested entry's verdict is what its test says were it the only one. */
static void hits(const ls_backtest *bt, const uint64_t count[2], const uint64_t alone[2],
                 ls_backtest_hits *out)
{
	double p0 = base_rate(bt), z;
	bool alone_test;

	memset(out, 0, sizeof(*out));
	out->hits = count[0];
	out->converted = count[1];
	rate(count[1], count[0], &out->rate, &out->rate_low, &out->rate_high);
	out->has_lift = count[0] > 0 && bt->t.converted > 0;
	if (out->has_lift) {
		out->lift = out->rate / p0;
		out->lift_low = out->rate_low / p0;
		out->lift_high = out->rate_high / p0;
	}
	out->alone = alone[0] + alone[1];
	out->alone_converted = alone[1];
	rate(alone[1], out->alone, &out->alone_rate, &out->alone_low, &out->alone_high);
	if (out->hits == 0 || p0 <= 0 || p0 >= 1)
		return; /* nothing to test, or nothing to test against */
	alone_test = out->alone > 0;
	out->tested = alone_test ? proportion_score_test(alone[1], out->alone, p0, &z, &out->p_value)
	                         : proportion_score_test(count[1], count[0], p0, &z, &out->p_value);
	out->q_value = out->p_value;
	if (!out->tested)
		out->verdict = LS_VERDICT_TOO_FEW;
	else if (alone_test && z > 0)
		out->verdict = LS_VERDICT_COSTLY;
	else if (!alone_test && z < 0)
		out->verdict = LS_VERDICT_DEAD_WEIGHT;
}

ls_status ls_backtest_finish(ls_backtest *bt)
{
	size_t n = bt->rs->npersonas + bt->nrules, p, r, m = 0;
	size_t *tested = calloc(n + 1, sizeof(*tested));
	struct proportion_rank *rank = calloc(n + 1, sizeof(*rank));
	double *pv = calloc(n + 1, sizeof(*pv)), *qv = calloc(n + 1, sizeof(*qv));

	free(bt->final);
	bt->final = calloc(n + 1, sizeof(*bt->final));
	if (bt->final == NULL || tested == NULL || rank == NULL || pv == NULL || qv == NULL) {
		free(bt->final);
		bt->final = NULL;
		n = 0; /* nothing to decide; the rest is freed below */
	}
	for (p = 0; n > 0 && p < bt->rs->npersonas; p++) {
		hits(bt, bt->persona[p], bt->persona_alone[p], &bt->final[p]);
		for (r = 0; r < bt->rs->personas[p].nrules; r++) {
			size_t k = bt->rule_base[p] + r;
			hits(bt, bt->rule[k], bt->rule_alone[k], &bt->final[bt->rs->npersonas + k]);
		}
	}
	for (p = 0; p < n; p++)
		if (bt->final[p].tested) {
			tested[m] = p;
			pv[m++] = bt->final[p].p_value;
		}
	/* A verdict stands when its q is at most 0.05. */
	proportion_adjust(pv, qv, rank, m);
	for (p = 0; p < m; p++) {
		ls_backtest_hits *h = &bt->final[tested[p]];
		h->q_value = qv[p];
		if (qv[p] > PROPORTION_ALPHA)
			h->verdict = LS_VERDICT_NONE;
	}
	free(tested);
	free(rank);
	free(pv);
	free(qv);
	return bt->final != NULL ? LS_OK : LS_ERR_NOMEM;
}

/* Before ls_backtest_finish, each verdict as if it were the only test. */
static void get(const ls_backtest *bt, size_t k, const uint64_t count[2],
                const uint64_t alone[2], ls_backtest_hits *out)
{
	if (bt->final != NULL)
		*out = bt->final[k];
	else
		hits(bt, count, alone, out);
}

void ls_backtest_persona(const ls_backtest *bt, size_t persona, ls_backtest_hits *out)
{
	get(bt, persona, bt->persona[persona], bt->persona_alone[persona], out);
}

void ls_backtest_rule(const ls_backtest *bt, size_t persona, size_t rule, ls_backtest_hits *out)
{
	size_t k = bt->rule_base[persona] + rule;

	get(bt, bt->rs->npersonas + k, bt->rule[k], bt->rule_alone[k], out);
}

size_t ls_backtest_bin_count(const ls_backtest *bt) { return bt->nbins; }
ls_fixed ls_backtest_bin_width(const ls_backtest *bt) { return bt->width; }

void ls_backtest_bin(const ls_backtest *bt, size_t i, ls_fixed *low, uint64_t *converted,
                     uint64_t *not_converted)
{
	*low = bt->bins[i].key * bt->width;
	*converted = bt->bins[i].count[1];
	*not_converted = bt->bins[i].count[0];
}
