/* SPDX-License-Identifier: MIT */
/* input.h - loading the rules and opening the CSV input, with the error
 * printed where it happens. */
#ifndef LS_INPUT_H
#define LS_INPUT_H

#include "options.h"

/* Loads paths with the overrides of o (--base, --threshold, --today) applied. */
ls_status rules_with_overrides(const struct common_options *o, const char *const *paths,
                               size_t npaths, ls_ruleset **out, ls_error *err);
/* The same, printing the error; returns its exit code, or EXIT_OK. */
int load_rules(const struct common_options *o, const char *const *paths, size_t npaths,
               ls_ruleset **out);

/* A CSV input file and its header. */
struct input {
	const char *path;      /* "-" for standard input */
	const char *name;      /* for messages: "<stdin>" for "-" */
	int fd;
	ls_reader *reader;
	ls_row header;
	uint64_t empty_records;  /* records of empty fields, skipped by input_next */
	const char *encoding;    /* as opened; NULL: UTF-8 */
};

/* The encoding the input is read in: --encoding, else the policy's (rs may
 * be NULL), else NULL for UTF-8. */
const char *input_encoding(const struct common_options *o, const ls_ruleset *rs);

/* Opens path (standard input for "-") as a CSV reader with the record
 * limit and the encoding (NULL: UTF-8) set; err says why not. */
ls_status input_open(struct input *in, const char *path, char delim, const char *encoding,
                     uint64_t max_record, ls_error *err);
/* input_open, then reads the header; prints the error and returns its exit
 * code, or EXIT_OK. */
int input_open_with_header(struct input *in, const char *path, char delim, const char *encoding,
                           uint64_t max_record);
/* Binds rs to the input's header; prints the error (at the header's line)
 * and returns its exit code, or EXIT_OK. */
int input_engine(const struct input *in, const ls_ruleset *rs, ls_engine **out);
/* What explain and backtest score with: the rules of -p, the input with
 * its header read, and the rules bound to it. */
struct scoring {
	ls_ruleset *rs;
	struct input in;
	ls_engine *engine;
};

/* Sets s up from the command line; prints the error and returns its exit
 * code, or EXIT_OK. Close it with scoring_close either way. */
int scoring_open(struct scoring *s, const struct command_line *cl);
void scoring_close(struct scoring *s);

/* Reads the next lead: records of empty fields only are skipped (and
 * counted); a record with the wrong field count is an error here. Returns LS_OK, LS_DONE, or prints the error and returns it. */
ls_status input_next(struct input *in, ls_row *row, int *exit_code);
/* Once the input is read: the warning that it is not UTF-8, if it is not
 * and no encoding was named. */
void input_warn_encoding(const struct input *in);
void input_close(struct input *in);

#endif
