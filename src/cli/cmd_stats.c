/* SPDX-License-Identifier: MIT */
/* cmd_stats.c - `leadsift stats merge`: one run summary from the --stats
 * summaries of runs over the shards of one input, equal to the summary a
 * single run over the whole input would have written (but for its
 * elapsed_seconds, the sum of the shards'). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "messages.h"
#include "options.h"
#include "outfile.h"

static const char stats_usage[] =
	"Usage: leadsift stats merge [-o FILE] SUMMARY...\n"
	"Combine the --stats summaries of runs over the shards of one input (GNU\n"
	"parallel, Hadoop Streaming, Spark) into the summary of one run over all of\n"
	"it: row, rule, persona, allow-list and unreadable-cell counts are added up\n"
	"exactly; elapsed_seconds is the sum of the shards' times. The summaries must\n"
	"come from the same rules (the same rules_fingerprint, base and threshold).\n"
	"If any shard failed, the result says \"error\" with the first failure.\n"
	"\n"
	"  -o, --output FILE       write to FILE atomically instead of standard output\n"
	HELP_HELP
	"\n"
	"Exit status: 0 merged; 2 usage error; 3 a file is not a leadsift summary or\n"
	"the summaries disagree on the rules; 4 I/O error.\n";

/* The counts that add up, at the top level. */
static const char *const summed_keys[] = {
	"rows_read", "rows_written", "rows_filtered", "rows_rejected", "rows_scored",
	"rows_disqualified", "rows_qualified", "blank_lines", "empty_records", "not_leads",
	"non_utf8_records", "elapsed_seconds"};

/* The keys that must agree: summaries of different rules do not add up. */
static const char *const same_keys[] = {"leadsift_version", "base", "threshold", "encoding",
                                        "rules_fingerprint"};

static int not_summary(const char *path, const char *why)
{
	fprintf(stderr, "leadsift stats: %s: not a leadsift --stats summary: %s\n", path, why);
	return EXIT_INPUT;
}

static int disagree(const char *first, const char *path, const char *what)
{
	fprintf(stderr, "leadsift stats: %s: %s differs from %s's; summaries of different "
	        "rules cannot be merged\n", path, what, first);
	return EXIT_INPUT;
}

static cJSON *load(const char *path, int *code)
{
	ls_error err = {0};
	cJSON *doc = NULL;
	char *text = NULL;
	size_t len = 0;
	ls_status st = ls_read_file(path, 0, &text, &len, &err);

	*code = st == LS_OK ? EXIT_OK : report_error(st, &err);
	ls_error_clear(&err);
	if (st != LS_OK)
		return NULL;
	doc = cJSON_ParseWithLength(text, len);
	if (doc == NULL)
		*code = not_summary(path, "invalid JSON");
	else if (!cJSON_IsObject(doc) || !cJSON_IsString(cJSON_GetObjectItem(doc, "leadsift_version")) ||
	         !cJSON_IsString(cJSON_GetObjectItem(doc, "rules_fingerprint")) ||
	         !cJSON_IsArray(cJSON_GetObjectItem(doc, "personas")))
		*code = not_summary(path, "no leadsift_version, rules_fingerprint or personas");
	if (*code != EXIT_OK) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	free(text);
	return doc;
}

/* Adds the number at key of `from` to that of `into`. */
static bool add_number(cJSON *into, const cJSON *from, const char *key)
{
	cJSON *a = cJSON_GetObjectItem(into, key);
	const cJSON *b = cJSON_GetObjectItem(from, key);

	if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b))
		return false;
	cJSON_SetNumberValue(a, a->valuedouble + b->valuedouble);
	return true;
}

static bool same_value(const cJSON *a, const cJSON *b)
{
	return a != NULL && b != NULL && cJSON_Compare(a, b, true);
}

/* Adds `hits` of each element of list `key` (personas, their rules, allow
 * entries), checking that both lists name the same ids in the same order. */
static bool add_hits(cJSON *into, const cJSON *from, const char *key)
{
	cJSON *a = cJSON_GetObjectItem(into, key);
	const cJSON *b = cJSON_GetObjectItem(from, key);
	cJSON *x;
	const cJSON *y;

	if (!cJSON_IsArray(a) || !cJSON_IsArray(b) ||
	    cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return false;
	for (x = a->child, y = b->child; x != NULL; x = x->next, y = y->next) {
		if (!same_value(cJSON_GetObjectItem(x, "id"), cJSON_GetObjectItem(y, "id")) ||
		    !add_number(x, y, "hits"))
			return false;
		if (cJSON_GetObjectItem(x, "rules") != NULL && !add_hits(x, y, "rules"))
			return false;
	}
	return true;
}

/* non_numeric_cells and non_date_cells: {field: {column, count, cells,
 * example}}, and missing_value_cells: {field: {column, count}}: counts
 * added, the first shard's example kept. */
static bool add_cell_counts(cJSON *into, const cJSON *from, const char *key)
{
	cJSON *a = cJSON_GetObjectItem(into, key), *x;
	const cJSON *b = cJSON_GetObjectItem(from, key);

	if (!cJSON_IsObject(a) || !cJSON_IsObject(b) ||
	    cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return false;
	for (x = a->child; x != NULL; x = x->next) {
		const cJSON *y = cJSON_GetObjectItem(b, x->string), *example;
		if (y == NULL || !add_number(x, y, "count") ||
		    (cJSON_GetObjectItem(x, "cells") != NULL && !add_number(x, y, "cells")))
			return false;
		example = cJSON_GetObjectItem(y, "example");
		if (cJSON_GetObjectItem(x, "example") == NULL && cJSON_IsString(example) &&
		    cJSON_AddStringToObject(x, "example", example->valuestring) == NULL)
			return false;
	}
	return true;
}

/* The first failure stays the merged run's failure: its status, exit_code
 * and error replace "ok". */
static bool merge_status(cJSON *into, const cJSON *from)
{
	const cJSON *status = cJSON_GetObjectItem(from, "status");
	cJSON *fields[3];
	size_t i;

	if (!cJSON_IsString(status))
		return false;
	if (strcmp(status->valuestring, "ok") == 0 ||
	    strcmp(cJSON_GetObjectItem(into, "status")->valuestring, "ok") != 0)
		return true;
	fields[0] = cJSON_Duplicate(status, true);
	fields[1] = cJSON_Duplicate(cJSON_GetObjectItem(from, "exit_code"), true);
	fields[2] = cJSON_Duplicate(cJSON_GetObjectItem(from, "error"), true);
	if (fields[0] == NULL || fields[1] == NULL || fields[2] == NULL) {
		for (i = 0; i < 3; i++)
			cJSON_Delete(fields[i]);
		return false;
	}
	cJSON_ReplaceItemInObjectCaseSensitive(into, "status", fields[0]);
	cJSON_ReplaceItemInObjectCaseSensitive(into, "exit_code", fields[1]);
	cJSON_AddItemToObject(into, "error", fields[2]);
	return true;
}

/* Puts "error" right after "exit_code", where a run's summary has it. */
static cJSON *in_run_order(cJSON *merged)
{
	cJSON *out = cJSON_CreateObject(), *error, *item;

	if (out == NULL)
		return merged;
	error = cJSON_DetachItemFromObjectCaseSensitive(merged, "error");
	while ((item = merged->child) != NULL) {
		cJSON_DetachItemViaPointer(merged, item);
		cJSON_AddItemToObject(out, item->string, item);
		if (error != NULL && strcmp(item->string, "exit_code") == 0) {
			cJSON_AddItemToObject(out, "error", error);
			error = NULL;
		}
	}
	cJSON_Delete(error);
	cJSON_Delete(merged);
	return out;
}

static int merge(cJSON *into, const char *first, const cJSON *from, const char *path)
{
	const cJSON *input_a = cJSON_GetObjectItem(into, "input");
	size_t i;

	for (i = 0; i < sizeof(same_keys) / sizeof(same_keys[0]); i++)
		if (!same_value(cJSON_GetObjectItem(into, same_keys[i]),
		                cJSON_GetObjectItem(from, same_keys[i])))
			return disagree(first, path, same_keys[i]);
	for (i = 0; i < sizeof(summed_keys) / sizeof(summed_keys[0]); i++)
		if (!add_number(into, from, summed_keys[i]))
			return not_summary(path, summed_keys[i]);
	if (!add_hits(into, from, "personas") || !add_hits(into, from, "allow"))
		return disagree(first, path, "the list of personas, rules or allow-list entries");
	if (!add_cell_counts(into, from, "non_numeric_cells") ||
	    !add_cell_counts(into, from, "non_date_cells") ||
	    !add_cell_counts(into, from, "missing_value_cells"))
		return disagree(first, path, "the fields read as numbers or dates");
	if (!merge_status(into, from))
		return not_summary(path, "status");
	/* Shards read from standard input all say "-"; files differ. */
	if (!same_value(input_a, cJSON_GetObjectItem(from, "input")))
		cJSON_ReplaceItemInObjectCaseSensitive(into, "input", cJSON_CreateString("-"));
	return EXIT_OK;
}

/* base and threshold are exact decimals: print them as a run does. */
static void exact_decimal(cJSON *root, const char *key)
{
	cJSON *item = cJSON_GetObjectItem(root, key);
	char text[LS_FIXED_BUFSIZE];

	if (!cJSON_IsNumber(item) || fabs(item->valuedouble) > 9e12)
		return;
	ls_fixed_format((ls_fixed)llround(item->valuedouble * LS_FIXED_ONE), text);
	cJSON_ReplaceItemInObjectCaseSensitive(root, key, cJSON_CreateRaw(text));
}

static bool print_line(FILE *f, const void *text)
{
	return fputs(text, f) >= 0 && putc('\n', f) != EOF;
}

static const struct option stats_longs[] = {
	{"output", required_argument, NULL, 'o'},
	{NULL, 0, NULL, 0},
};

static int stats_option(void *ctx, int c, const char *arg)
{
	(void)c; /* 'o', the only one */
	*(const char **)ctx = arg;
	return -1;
}

int cmd_stats(int argc, char **argv)
{
	static const struct command_spec spec = {stats_usage, TAKES_OPERANDS, "o:", stats_longs,
	                                         stats_option, NULL};
	struct command_line cl;
	const char *output = NULL;
	cJSON *merged = NULL;
	char *text = NULL;
	int i, code;
	char **args;

	memset(&cl, 0, sizeof(cl));
	code = command_line_parse(&cl, &spec, &output, argc, argv);
	command_line_free(&cl);
	if (code != -1)
		return code;
	args = cl.operands;
	if (cl.noperands < 1 || strcmp(args[0], "merge") != 0)
		return bad_usage("expected 'merge' and the summaries to merge");
	if (cl.noperands < 2)
		return bad_usage("stats merge: no summaries given");
	code = EXIT_OK;
	for (i = 1; i < cl.noperands && code == EXIT_OK; i++) {
		cJSON *doc = load(args[i], &code);
		if (doc == NULL)
			break;
		if (merged == NULL) {
			merged = doc;
			continue;
		}
		code = merge(merged, args[1], doc, args[i]);
		cJSON_Delete(doc);
	}
	if (code == EXIT_OK) {
		merged = in_run_order(merged);
		exact_decimal(merged, "base");
		exact_decimal(merged, "threshold");
		text = cJSON_PrintUnformatted(merged);
		if (text == NULL)
			code = report_status(LS_ERR_NOMEM);
	}
	cJSON_Delete(merged);
	if (code != EXIT_OK)
		return code;
	if (output != NULL && strcmp(output, "-") != 0)
		code = write_file_atomically(output, print_line, text);
	else
		code = finish_stdout(print_line(stdout, text) ? EXIT_OK : EXIT_IO);
	cJSON_free(text);
	return code;
}
