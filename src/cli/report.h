/* SPDX-License-Identifier: MIT */
/* report.h - backtest figures for people and tools: the outcome column,
 * and the report as text, JSON and a self-contained HTML page. Shared by
 * `backtest` and `diff --outcome`. */
#ifndef LS_REPORT_H
#define LS_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "input.h"
#include "messages.h"
#include "periods.h"

/* The outcome values seen while no cell said converted, for the message
 * that names them when none ever does. */
#define OUTCOME_SEEN_MAX 64
struct outcome_seen {
	char *value;             /* trimmed, as first seen */
	uint64_t count;
};

/* --outcome COLUMN[=VALUES], --lost VALUES and --value COLUMN. A lead
 * converted when its cell is one of values; without --lost, any other
 * non-empty cell means it did not; with --lost, only those do, and any
 * other (an open deal) is unknown, left out like an empty cell. */
struct outcome {
	char *column_name;       /* owned copy of the spec's column part */
	char **values;           /* converted values; NULL-ended */
	bool default_values;
	char **lost;             /* --lost values, NULL-ended; NULL without --lost */
	size_t column;
	const char *value_name;  /* --value, or NULL */
	size_t value_column;
	uint64_t unknown;        /* rows with an empty outcome cell: not counted */
	uint64_t open;           /* with --lost: cells neither converted nor lost */
	uint64_t converted;      /* cells that said converted */
	uint64_t value_invalid;  /* non-empty value cells that are no number */
	struct outcome_seen seen[OUTCOME_SEEN_MAX];
	size_t nseen;
	bool given;              /* --outcome was given */
	bool has_cost;           /* --cost-per-lead was given */
	double cost_per_lead;
};

/* What the exclusions save and cost, at --cost-per-lead: a lead worked
 * costs that much, a disqualified lead is not worked. */
struct money {
	uint64_t not_worked;     /* disqualified leads */
	double saved;            /* not_worked x cost per lead */
	bool has_cpa_all, has_cpa_kept; /* false with no conversion to divide by */
	double cpa_all;          /* cost per acquisition working every lead */
	double cpa_kept;         /* ... working only the kept ones */
};
void report_money(const struct outcome *o, const ls_backtest_totals *t, struct money *m);

/* The long options backtest and diff share, and their ids. */
enum { OPT_OUTCOME = OPT_OWN, OPT_VALUE, OPT_LOST, OPT_COST, OPT_OUTCOME_END };
#define OUTCOME_LONG_OPTIONS \
	{"outcome", required_argument, NULL, OPT_OUTCOME}, \
	{"lost", required_argument, NULL, OPT_LOST}, \
	{"value", required_argument, NULL, OPT_VALUE}, \
	{"cost-per-lead", required_argument, NULL, OPT_COST}

/* Handles --outcome (once), --lost, --value and --cost-per-lead: -1, or a usage error's
 * exit code. */
int outcome_option(struct outcome *o, int c, const char *arg);
/* The checks after all options: -1, or a usage error's exit code. */
int outcome_check(const struct outcome *o);

/* Parses the --outcome spec; returns -1 or the exit code of a usage error. */
int outcome_parse(struct outcome *o, const char *spec);
void outcome_free(struct outcome *o);
/* Finds the columns in the header; prints the error and returns its exit
 * code, or EXIT_OK. */
int outcome_bind(struct outcome *o, const ls_ruleset *rs, const struct input *in);
/* Reads a row's outcome: false when it is unknown (an empty cell, or with
 * --lost one that is neither), the row then counted and left out. */
bool outcome_read(struct outcome *o, const ls_row *row, bool *converted, bool *has_value,
                  double *value);
/* After the last row: when no cell said converted, prints why that is
 * almost surely the wrong column or values (its most common values) and
 * returns EXIT_INPUT; else EXIT_OK. */
int outcome_finish(const struct outcome *o, const struct input *in);

/* Describes the converted values ("\"Converted\" is 1, true, yes, ..."). */
void outcome_describe(const struct outcome *o, FILE *f);

/* The whole report. label names the rules ("old", "new") or is NULL. */
struct report {
	const ls_ruleset *rs;
	const ls_backtest *bt;
	const struct outcome *outcome;
	const char *input;
	const char *label;
	const struct periods *periods; /* --by, or NULL */
};

void report_text(const struct report *r, FILE *f);
/* The 95% Wilson interval of x / n as [low, high], or null when n is 0. */
cJSON *report_json_wilson(uint64_t x, uint64_t n);
/* The share of conversions the rules disqualified (0 without any). */
double report_missed_share(const ls_backtest_totals *t);
/* Every persona of bt with its rules, as in the JSON report. */
cJSON *report_json_personas(const ls_ruleset *rs, const ls_backtest *bt, bool *nomem);
/* "costs good deals", "dead weight", "too few leads to tell" or "". */
const char *verdict_text(ls_verdict v);
/* The verdict in JSON: "too_few", "costly", "dead_weight" or NULL. */
const char *verdict_key(ls_verdict v);
struct cJSON *report_json(const struct report *r, bool *nomem);
/* Writes the HTML page; returns false on a write error (errno set). */
bool report_html(const struct report *r, FILE *f);

/* The page's pieces: text escaped for HTML, and its charts (report_svg.c). */
void html_escape(FILE *f, const char *s);
void svg_score_chart(FILE *f, const ls_backtest *bt, ls_fixed threshold);
void svg_alone_chart(FILE *f, const struct report *r);
void svg_rule_chart(FILE *f, const struct report *r);
void svg_period_chart(FILE *f, const struct periods *p);

#endif
