/* SPDX-License-Identifier: MIT */
/* options.c - the command line (see options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "messages.h"

int parse_fixed_option(const char *name, const char *arg, ls_fixed *out, bool *given)
{
	if (!ls_fixed_parse(arg, out))
		return bad_usage("%s: expected a number with at most six decimals, got '%s'", name, arg);
	*given = true;
	return -1;
}

int parse_delimiter(const char *arg, char *delim)
{
	if (strcmp(arg, "auto") == 0) {
		*delim = '\0'; /* the reader finds it */
		return -1;
	}
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		arg = "\t";
	if (strlen(arg) != 1)
		return bad_usage("-d: the delimiter must be one byte, got '%s'", arg);
	if (arg[0] == '"' || arg[0] == '\r' || arg[0] == '\n')
		return bad_usage("-d: the delimiter cannot be a quote or a line break");
	*delim = arg[0];
	return -1;
}

/* A byte count: digits and an optional K, M or G (powers of 1024). */
int parse_size_option(const char *name, const char *arg, uint64_t *out)
{
	char *end = NULL;
	unsigned long long n;
	unsigned shift = 0;

	errno = 0;
	n = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, 10) : 0;
	if (end != NULL && (*end == 'K' || *end == 'k'))
		shift = 10, end++;
	else if (end != NULL && (*end == 'M' || *end == 'm'))
		shift = 20, end++;
	else if (end != NULL && (*end == 'G' || *end == 'g'))
		shift = 30, end++;
	if (end == NULL || *end != '\0' || errno != 0 || n > (UINT64_MAX >> shift))
		return bad_usage("%s: expected a byte count such as 1048576 or 64M, got '%s'", name,
		                 arg);
	*out = (uint64_t)n << shift;
	return -1;
}

int parse_percent_option(const char *name, const char *arg, double *out)
{
	char *end = NULL;

	errno = 0;
	*out = arg[0] >= '0' && arg[0] <= '9' ? strtod(arg, &end) : -1;
	if (end != NULL && *end == '%')
		end++;
	if (end == NULL || *end != '\0' || errno != 0 || *out > 100)
		return bad_usage("%s: expected a percentage from 0 to 100, got '%s'", name, arg);
	return -1;
}

int parse_count_option(const char *name, const char *arg, uint64_t *out)
{
	char *end = NULL;

	errno = 0;
	*out = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, 10) : 0;
	if (end == NULL || *end != '\0' || errno != 0)
		return bad_usage("%s: expected a whole number, got '%s'", name, arg);
	return -1;
}

/* Where the rules come from when no -p is given (flag > environment >
 * default): $LEADSIFT_PERSONAS, else ./personas when it is a directory.
 * Returns -1, or the usage error's exit code. */
static int default_rules_path(struct common_options *o)
{
	const char *env = getenv("LEADSIFT_PERSONAS");
	struct stat sb;

	if (o->npaths > 0)
		return -1;
	if (env != NULL && *env != '\0') {
		if (stat(env, &sb) != 0)
			return bad_usage("LEADSIFT_PERSONAS: %s: %s", env, strerror(errno));
		o->paths[o->npaths++] = env;
		return -1;
	}
	if (stat("personas", &sb) == 0 && S_ISDIR(sb.st_mode)) {
		o->paths[o->npaths++] = "personas";
		return -1;
	}
	return bad_usage("no persona rules found: give -p PATH (a persona file or directory) "
	                 "or set LEADSIFT_PERSONAS; there is no ./personas directory here");
}

static const struct shared_option {
	unsigned takes;
	const char *shorts;
	struct option longs[3];
} shared_options[] = {
	{TAKES_PERSONAS, "p:", {{"personas", required_argument, NULL, 'p'}}},
	{TAKES_DELIMITER, "d:t",
	 {{"delimiter", required_argument, NULL, 'd'},
	  {"tab", no_argument, NULL, 't'},
	  {"encoding", required_argument, NULL, OPT_ENCODING}}},
	{TAKES_RULES, "",
	 {{"base", required_argument, NULL, OPT_BASE},
	  {"threshold", required_argument, NULL, OPT_THRESHOLD},
	  {"today", required_argument, NULL, OPT_TODAY}}},
	{TAKES_VERSION, "V", {{"version", no_argument, NULL, 'V'}}},
	{0, "h", {{"help", no_argument, NULL, 'h'}}},
};
#define NSHARED (sizeof(shared_options) / sizeof(shared_options[0]))

/* The getopt tables: the command's own options, then the shared ones it
 * takes. */
static bool build_tables(const struct command_spec *spec, char **shorts, struct option **longs)
{
	size_t i, k, n = 0, len = strlen(spec->shorts) + 2;

	while (spec->longs != NULL && spec->longs[n].name != NULL)
		n++;
	for (i = 0; i < NSHARED; i++) {
		len += strlen(shared_options[i].shorts);
		n += 3;
	}
	*shorts = malloc(len);
	*longs = calloc(n + 1, sizeof(**longs));
	if (*shorts == NULL || *longs == NULL)
		return false;
	/* A leading ':' tells a missing value from an unknown option. */
	snprintf(*shorts, len, ":%s", spec->shorts);
	for (n = 0; spec->longs != NULL && spec->longs[n].name != NULL; n++)
		(*longs)[n] = spec->longs[n];
	for (i = 0; i < NSHARED; i++) {
		const struct shared_option *s = &shared_options[i];
		if (s->takes != 0 && !(spec->takes & s->takes))
			continue;
		strcat(*shorts, s->shorts);
		for (k = 0; k < 3 && s->longs[k].name != NULL; k++)
			(*longs)[n++] = s->longs[k];
	}
	return true;
}

static int shared_option(struct command_line *cl, const struct command_spec *spec, void *ctx,
                         int c, char **argv)
{
	struct common_options *o = &cl->common;

	switch (c) {
	case 'p':
		o->paths[o->npaths++] = optarg;
		return -1;
	case 'd':
		return parse_delimiter(optarg, &o->delim);
	case 't':
		o->delim = '\t';
		return -1;
	case OPT_ENCODING:
		o->encoding = optarg;
		return -1;
	case OPT_BASE:
		return parse_fixed_option("--base", optarg, &o->base, &o->has_base);
	case OPT_THRESHOLD:
		return parse_fixed_option("--threshold", optarg, &o->threshold, &o->has_threshold);
	case OPT_TODAY:
		o->has_today = ls_date_parse(optarg, &o->today);
		return o->has_today ? -1
		                    : bad_usage("--today: expected a date as YYYY-MM-DD, got '%s'",
		                                optarg);
	case 'V':
		return print_and_exit("leadsift " LS_VERSION "\n");
	case 'h':
		return print_and_exit(spec->usage);
	case ':':
		return bad_usage("option '%s' needs a value", argv[optind - 1]);
	case '?':
		return optopt != 0 ? bad_usage("unknown option '-%c'", optopt)
		                   : bad_usage("unknown option '%s'", argv[optind - 1]);
	default:
		return spec->option(ctx, c, optarg);
	}
}

/* What follows the options. */
static int take_operands(struct command_line *cl, const struct command_spec *spec)
{
	if (spec->takes & TAKES_OPERANDS)
		return -1;
	if (spec->takes & TAKES_INPUT) {
		if (cl->noperands > 1)
			return bad_usage("one input file at most, got %d", cl->noperands);
		cl->input = cl->noperands > 0 ? cl->operands[0] : "-";
		return -1;
	}
	if (cl->noperands == 0)
		return -1;
	return bad_usage("unexpected argument '%s'%s", cl->operands[0],
	                 spec->operand_hint != NULL ? spec->operand_hint : "");
}

int command_line_parse(struct command_line *cl, const struct command_spec *spec, void *ctx,
                       int argc, char **argv)
{
	char *shorts = NULL;
	struct option *longs = NULL;
	int c, done = -1;

	cl->common.delim = ',';
	cl->common.paths = calloc((size_t)argc + 1, sizeof(*cl->common.paths));
	if (cl->common.paths == NULL || !build_tables(spec, &shorts, &longs)) {
		fputs("leadsift: out of memory\n", stderr);
		done = EXIT_INTERNAL;
	}
	opterr = 0;
	optind = 1;
	while (done == -1 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1)
		done = shared_option(cl, spec, ctx, c, argv);
	free(shorts);
	free(longs);
	cl->operands = argv + optind;
	cl->noperands = argc - optind;
	if (done == -1)
		done = take_operands(cl, spec);
	if (done == -1 && (spec->takes & TAKES_PERSONAS))
		done = default_rules_path(&cl->common);
	return done;
}

void command_line_free(struct command_line *cl)
{
	free(cl->common.paths);
	cl->common.paths = NULL;
}
