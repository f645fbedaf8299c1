/* SPDX-License-Identifier: MIT */
/* options.h - the command line of every command: the options they share
 * (rules, delimiter, help, version) handled in one place, each command's
 * own options handed to it, and the values options take. */
#ifndef LS_OPTIONS_H
#define LS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "leadsift.h"

/* The shared options a command takes, and what may follow its options. */
enum {
	TAKES_PERSONAS = 1,   /* -p, --personas PATH (repeatable), else the default rules */
	TAKES_DELIMITER = 2,  /* -d, --delimiter CHAR; -t, --tab; --encoding NAME */
	TAKES_RULES = 4,      /* --base N, --threshold N, --today YYYY-MM-DD */
	TAKES_VERSION = 8,    /* -V, --version */
	TAKES_INPUT = 16,     /* one CSV file at most ("-", the default: standard input) */
	TAKES_OPERANDS = 32   /* any number of operands, the command's to check */
};

/* The --help lines of the shared options, in the words most commands use. */
#define HELP_DELIMITER \
	"  -d, --delimiter CHAR    field delimiter (default ','; auto: find it)\n" \
	"  -t, --tab               same as -d '\\t'\n" \
	"      --encoding NAME     the input's encoding, e.g. windows-1252 (default:\n" \
	"                          policy.json's, else UTF-8)\n"
#define HELP_RULES \
	"      --base N            starting score (overrides policy.json)\n" \
	"      --threshold N       disqualify below this score\n" \
	"      --today YYYY-MM-DD  the date relative dates and allow-lists count from\n"
#define HELP_HELP "  -h, --help              show this help and exit\n"

/* Long option ids above every character: the shared ones, then each
 * command's own from OPT_OWN on. */
enum { OPT_BASE = 256, OPT_THRESHOLD, OPT_TODAY, OPT_ENCODING, OPT_OWN };

/* The shared options' values. */
struct common_options {
	const char **paths;      /* -p in the order given */
	size_t npaths;
	char delim;              /* ',' unless -d or -t; '\0' for -d auto */
	const char *encoding;    /* --encoding; NULL: the policy's, else UTF-8 */
	bool has_base, has_threshold, has_today;
	ls_fixed base, threshold;
	int64_t today;
};

/* What a command's command line is made of. */
struct command_spec {
	const char *usage;           /* printed by -h */
	unsigned takes;              /* TAKES_* */
	const char *shorts;          /* its own short options, getopt style */
	const struct option *longs;  /* its own long options, ending in a zero entry */
	/* Handles one of its own options: -1 when done, or an exit code. */
	int (*option)(void *ctx, int c, const char *arg);
	/* Without TAKES_INPUT or TAKES_OPERANDS, an operand is a usage error,
	 * with this hint after it (or none: NULL). */
	const char *operand_hint;
};

/* One command's command line, parsed. */
struct command_line {
	struct common_options common;
	const char *input;           /* TAKES_INPUT: the file, "-" for standard input */
	char **operands;             /* TAKES_OPERANDS: what follows the options */
	int noperands;
};

/* Parses argv (argv[0] is the command's name) as spec says, handing the
 * command's own options to spec->option with ctx; then checks the
 * operands and, with TAKES_PERSONAS and no -p, finds the default rules.
 * Returns -1 to go on, or the exit code: 0 after --help and --version,
 * EXIT_USAGE after a usage error (reported). Free with command_line_free
 * either way. */
int command_line_parse(struct command_line *cl, const struct command_spec *spec, void *ctx,
                       int argc, char **argv);
void command_line_free(struct command_line *cl);

/* Option values. Each returns -1 on success or the exit code of the usage error. */
int parse_fixed_option(const char *name, const char *arg, ls_fixed *out, bool *given);
int parse_delimiter(const char *arg, char *delim);
int parse_size_option(const char *name, const char *arg, uint64_t *out);
int parse_count_option(const char *name, const char *arg, uint64_t *out);
/* "10", "12.5" or "10%": 0 to 100. */
int parse_percent_option(const char *name, const char *arg, double *out);

#endif
