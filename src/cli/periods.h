/* SPDX-License-Identifier: MIT */
/* periods.h - the backtest by period (--by DATE_COLUMN --period UNIT):
 * one backtest per month, quarter or year of each lead's date, so that a
 * rule's drift shows. */
#ifndef LS_PERIODS_H
#define LS_PERIODS_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "input.h"

enum period_unit { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR };

struct period {
	int64_t key;             /* months, quarters or years since year 0 */
	ls_backtest *bt;
};

struct periods {
	const char *column_name; /* --by, or NULL: no periods */
	enum period_unit unit;
	bool unit_given;
	size_t column;
	struct period *list;     /* in ascending order */
	size_t n, cap;
	uint64_t undated;        /* leads whose date cell is empty */
	uint64_t not_dates;      /* leads whose date cell holds no date */
	uint64_t first_not_date; /* the line of the first, for the message */
	char *first_value;       /* its trimmed cell, made valid UTF-8 */
};

/* The long options and their ids (from first on). */
#define PERIODS_LONG_OPTIONS(first) \
	{"by", required_argument, NULL, (first)}, \
	{"period", required_argument, NULL, (first) + 1}

/* Handles --by (which = 0) and --period (1): -1, or a usage error's code. */
int periods_option(struct periods *p, int which, const char *arg);
/* After all options (the unit defaults to quarter): -1, or a usage
 * error's code. */
int periods_check(struct periods *p);
/* Finds the date column; prints the error and returns its exit code, or EXIT_OK. */
int periods_bind(struct periods *p, const ls_ruleset *rs, const struct input *in);
/* Counts a lead (not a record that is not one) in its period's backtest. */
ls_status periods_add(struct periods *p, const ls_ruleset *rs, const ls_row *row,
                      const ls_engine *e, const ls_result *res, bool converted, bool has_value,
                      double value);
/* After the last row: finishes every period's backtest; a date column
 * with no date at all is the wrong column (EXIT_INPUT, said on stderr). */
int periods_finish(struct periods *p, const struct input *in);
void periods_free(struct periods *p);

/* "2026-03", "2026-Q1", "2026". */
void period_label(enum period_unit unit, int64_t key, char buf[32]);
const char *period_unit_name(enum period_unit unit);

void periods_text(const struct periods *p, const ls_ruleset *rs, FILE *f);
cJSON *periods_json(const struct periods *p, const ls_ruleset *rs, bool *nomem);

#endif
