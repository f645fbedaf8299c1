/* SPDX-License-Identifier: MIT */
/* cli.h - what the leadsift commands share: exit codes, messages, option
 * parsing, loading rules and opening a CSV input. */
#ifndef LS_CLI_H
#define LS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "leadsift.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_INTERNAL = 1, /* out of memory */
	EXIT_USAGE = 2,    /* bad options, invalid rule files, check --strict findings */
	EXIT_INPUT = 3,    /* malformed CSV, a header that does not fit the rules */
	EXIT_IO = 4        /* cannot read or write a file */
};

/* "leadsift" or "leadsift check": names the command in messages. */
extern const char *cli_command;

/* Reports a usage error and returns EXIT_USAGE. */
int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int exit_code_for(ls_status st);
/* "file:line:col: message", as much of it as is known; NULL when out of memory. */
char *format_error(const ls_error *err);
/* Prints err as "leadsift: file:line:col: message" and returns its exit code. */
int report_error(ls_status st, const ls_error *err);
/* Prints "leadsift: WHAT FILE: strerror(errno)" and returns EXIT_IO, or
 * "out of memory" and EXIT_INTERNAL for ENOMEM. */
int report_errno(const char *what, const char *file);

/* Option values. Each returns -1 on success or the exit code of the usage error. */
int parse_fixed_option(const char *name, const char *arg, ls_fixed *out, bool *given);
int parse_delimiter(const char *arg, char *delim);
int parse_size_option(const char *name, const char *arg, uint64_t *out);
int parse_count_option(const char *name, const char *arg, uint64_t *out);
int print_and_exit(const char *text);
/* Flushes standard output; a failed write turns `code` into EXIT_IO. */
int finish_stdout(int code);

/* The options every command has for its rules. */
struct rules_options {
	const char **paths;
	size_t npaths;
	bool has_base, has_threshold, has_today;
	ls_fixed base, threshold;
	int64_t today;
};

/* Long option ids the commands share; getopt_long returns them. */
enum {
	OPT_BASE = 256, OPT_THRESHOLD, OPT_TODAY, OPT_MAX_RECORD, OPT_COMMON_END
};

/* Handles --base, --threshold and --today. Returns -1 when handled, -2
 * when c is not one of them, or the exit code of a usage error. */
int rules_option(struct rules_options *o, int c, const char *arg);
/* Handles what every command's getopt_long loop shares: -d, -t, -h (prints
 * usage), a missing value and an unknown option. Returns -1 when handled,
 * -2 when c is none of them, or an exit code. */
int common_option(int c, char **argv, char *delim, const char *usage);
/* Where the rules come from when no -p is given (flag > environment >
 * default): $LEADSIFT_PERSONAS, else ./personas when it is a directory.
 * paths has room for one. Returns -1, or the usage error's exit code. */
int default_rules_path(const char **paths, size_t *npaths);
/* Loads paths with the overrides applied; prints the error and returns its
 * exit code, or EXIT_OK. */
int load_rules(const struct rules_options *o, const char *const *paths, size_t npaths,
               ls_ruleset **out);

/* A CSV input file and its header. */
struct input {
	const char *path;      /* "-" for standard input */
	const char *name;      /* for messages: "<stdin>" for "-" */
	int fd;
	ls_reader *reader;
	ls_row header;
};

/* Opens path and reads its header; prints the error and returns its exit
 * code, or EXIT_OK. */
int input_open(struct input *in, const char *path, char delim, uint64_t max_record);
/* Reads the next data record; a record with the wrong field count is an
 * error here. Returns LS_OK, LS_DONE, or prints the error and returns it. */
ls_status input_next(struct input *in, ls_row *row, int *exit_code);
void input_close(struct input *in);

/* A cell without surrounding blanks and tabs. */
ls_cell cell_trim(ls_cell c);
/* Whether the trimmed cell is `text`, ignoring ASCII case (--where, --outcome). */
bool cell_is(ls_cell cell, const char *text);

/* Building JSON output with cJSON: every helper records a failed
 * allocation in *nomem instead of failing, so the result is checked once. */
struct cJSON;
struct cJSON *json_add(struct cJSON *parent, const char *key, struct cJSON *item, bool *nomem);
/* A cell as a JSON string: UTF-8 kept, other bytes and NUL as U+FFFD. */
struct cJSON *json_cell(const char *ptr, size_t len);
struct cJSON *json_fixed(ls_fixed v);
/* Formats root (unless building it ran out of memory) and frees it;
 * NULL when out of memory. */
char *json_render(struct cJSON *root, bool nomem);
/* Prints and frees a rendered text with a final newline; NULL is reported
 * as out of memory. Returns the exit code. */
int json_print(char *text);

/* Writes a whole file atomically through a stdio stream: write(f, arg)
 * prints into it; the file appears only if that and every write succeed.
 * Prints the error and returns its exit code, or EXIT_OK. */
int write_file_atomically(const char *path, bool (*write)(FILE *f, const void *arg),
                          const void *arg);

/* The subcommands: argv[0] is the command's name. */
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_stats(int argc, char **argv);

#endif
