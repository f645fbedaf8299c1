/* SPDX-License-Identifier: MIT */
/* report.h - backtest figures for people and tools: the outcome column,
 * and the report as text, JSON and a self-contained HTML page. Shared by
 * `backtest` and `diff --outcome`. */
#ifndef LS_REPORT_H
#define LS_REPORT_H

#include <stdio.h>

#include "input.h"
#include "messages.h"

/* --outcome COLUMN[=VALUES] and --value COLUMN. */
struct outcome {
	char *column_name;       /* owned copy of the spec's column part */
	char **values;           /* converted values, folded; NULL-ended */
	bool default_values;
	size_t column;
	const char *value_name;  /* --value, or NULL */
	size_t value_column;
	uint64_t unknown;        /* rows with an empty outcome cell: not counted */
	uint64_t value_invalid;  /* non-empty value cells that are no number */
	bool given;              /* --outcome was given */
};

/* The long options backtest and diff share, and their ids. */
enum { OPT_OUTCOME = OPT_OWN, OPT_VALUE, OPT_OUTCOME_END };
#define OUTCOME_LONG_OPTIONS \
	{"outcome", required_argument, NULL, OPT_OUTCOME}, \
	{"value", required_argument, NULL, OPT_VALUE}

/* Handles --outcome (once) and --value: -1, or a usage error's exit code. */
int outcome_option(struct outcome *o, int c, const char *arg);

/* Parses the --outcome spec; returns -1 or the exit code of a usage error. */
int outcome_parse(struct outcome *o, const char *spec);
void outcome_free(struct outcome *o);
/* Finds the columns in the header; prints the error and returns its exit
 * code, or EXIT_OK. */
int outcome_bind(struct outcome *o, const ls_ruleset *rs, const struct input *in);
/* Reads a row's outcome: false when the outcome cell is empty (the row is
 * then counted as unknown and left out). */
bool outcome_read(struct outcome *o, const ls_row *row, bool *converted, bool *has_value,
                  double *value);

/* Describes the converted values ("\"Converted\" is 1, true, yes, ..."). */
void outcome_describe(const struct outcome *o, FILE *f);

/* The whole report. label names the rules ("old", "new") or is NULL. */
struct report {
	const ls_ruleset *rs;
	const ls_backtest *bt;
	const struct outcome *outcome;
	const char *input;
	const char *label;
};

void report_text(const struct report *r, FILE *f);
struct cJSON *report_json(const struct report *r, bool *nomem);
/* Writes the HTML page; returns false on a write error (errno set). */
bool report_html(const struct report *r, FILE *f);

#endif
