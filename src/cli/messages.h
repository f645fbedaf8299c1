/* SPDX-License-Identifier: MIT */
/* messages.h - exit codes and what the commands print about errors. */
#ifndef LS_MESSAGES_H
#define LS_MESSAGES_H

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
/* The same for a failure with nothing more to say than its status. */
int report_status(ls_status st);
/* Prints "leadsift: WHAT FILE: strerror(errno)" and returns EXIT_IO, or
 * "out of memory" and EXIT_INTERNAL for ENOMEM. */
int report_errno(const char *what, const char *file);
/* Prints text on standard output; EXIT_OK, or EXIT_IO if it cannot. */
int print_and_exit(const char *text);
/* The warning that `name` is not UTF-8: `records` records were not, the
 * first at `line`. Nothing when records is 0. */
void warn_not_utf8(const char *name, uint64_t records, unsigned long line);
/* Flushes standard output; a failed write turns `code` into EXIT_IO. */
int finish_stdout(int code);

/* What a rule does when it matches: "deduct 15", "disqualify" or "deduct
 * 15, disqualify". */
#define RULE_ACTION_SIZE (LS_FIXED_BUFSIZE + 24)
void rule_action(ls_fixed deduct, bool disqualify, char buf[RULE_ACTION_SIZE]);

#endif
