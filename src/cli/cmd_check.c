/* SPDX-License-Identifier: MIT */
/* cmd_check.c - `leadsift check`: validate rules as a scoring run would,
 * list them, and lint them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "input.h"
#include "messages.h"

static const char check_usage[] =
	"Usage: leadsift check [OPTIONS] [-p PERSONAS]\n"
	"Validate persona rules exactly as a scoring run loads them (same messages,\n"
	"same exit codes), list every persona and rule with its deduction, the lookup\n"
	"tables and the lists of values, and warn about rules that are valid but\n"
	"probably wrong: rules with the same condition, conditions that can never\n"
	"match, 'between' with low above high, values with blanks around them,\n"
	"personas that never fire, a threshold no score can cross, expired\n"
	"allow-list entries, values a list file repeats, keys a lookup table repeats.\n"
	"\n"
	"  -p, --personas PATH     persona file or directory (repeatable; default:\n"
	"                          $LEADSIFT_PERSONAS, else ./personas)\n"
	"      --header FILE       also check that the header line of the CSV FILE\n"
	"                          ('-' for standard input) has every field the rules\n"
	"                          use; each missing field is an error, with the\n"
	"                          closest column\n"
	"  -d, --delimiter CHAR    field delimiter of the --header file (default ',';\n"
	"                          auto: find it)\n"
	"  -t, --tab               same as -d '\\t'\n"
	"      --encoding NAME     the --header file's encoding (default: policy.json's,\n"
	"                          else UTF-8)\n"
	"      --strict            treat warnings as errors (exit status 2)\n"
	"  -q, --quiet             print the findings only, not the listing\n"
	"      --base N            starting score (overrides policy.json)\n"
	"      --threshold N       disqualify below this score\n"
	"      --today YYYY-MM-DD  the date allow-list expiry and relative dates count from\n"
	HELP_HELP
	"\n"
	"Findings go to standard error as FILE: warning: MESSAGE [CODE].\n"
	"Exit status: 0 rules valid (warnings allowed without --strict); 2 invalid rules\n"
	"or, with --strict, any warning; 3 the --header file lacks a field; 4 I/O error.\n";

struct check_options {
	struct command_line cl;
	const char *header;
	bool strict, quiet;
};

enum { OPT_HEADER = OPT_OWN, OPT_STRICT };

static const struct option check_longs[] = {
	{"header", required_argument, NULL, OPT_HEADER},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"quiet", no_argument, NULL, 'q'},
	{NULL, 0, NULL, 0},
};

static int check_option(void *ctx, int c, const char *arg)
{
	struct check_options *o = ctx;

	if (c == OPT_HEADER)
		o->header = arg;
	else if (c == OPT_STRICT)
		o->strict = true;
	else
		o->quiet = true;
	return -1;
}

static const struct command_spec check_spec = {
	check_usage, TAKES_PERSONAS | TAKES_DELIMITER | TAKES_RULES, "q", check_longs, check_option,
	" (the CSV to check goes with --header)",
};

static void list_rules(const ls_ruleset *rs)
{
	char base[LS_FIXED_BUFSIZE], thr[LS_FIXED_BUFSIZE], num[LS_FIXED_BUFSIZE];
	char date[LS_DATE_BUFSIZE];
	size_t p, r, i, nrules = 0, active = 0;

	ls_fixed_format(ls_ruleset_base(rs), base);
	ls_fixed_format(ls_ruleset_threshold(rs), thr);
	ls_date_format(ls_ruleset_today(rs), date);
	printf("policy:      %s (base %s, threshold %s)\n",
	       ls_ruleset_policy_file(rs) ? ls_ruleset_policy_file(rs) : "none", base, thr);
	for (i = 0; i < ls_ruleset_allow_count(rs); i++)
		active += ls_ruleset_allow_active(rs, i);
	if (ls_ruleset_allow_file(rs) != NULL)
		printf("allow-list:  %s (%zu entries, %zu active)\n", ls_ruleset_allow_file(rs),
		       ls_ruleset_allow_count(rs), active);
	else
		printf("allow-list:  none\n");
	printf("today:       %s\n", date);
	printf("fingerprint: %s\n", ls_ruleset_fingerprint(rs));
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_persona_info pi;
		ls_ruleset_persona_info(rs, p, &pi);
		printf("\npersona %s (%s", pi.id, pi.file);
		if (pi.capped) {
			ls_fixed_format(pi.max_deduct, num);
			printf(", deducts at most %s", num);
		}
		printf(")\n");
		for (r = 0; r < pi.nrules; r++, nrules++) {
			ls_rule_info ri;
			char action[64];
			ls_ruleset_rule_info(rs, p, r, &ri);
			ls_fixed_format(ri.deduct, num);
			if (ri.deduct > 0 && ri.disqualify)
				snprintf(action, sizeof(action), "-%s, disqualify", num);
			else if (ri.disqualify)
				snprintf(action, sizeof(action), "disqualify");
			else
				snprintf(action, sizeof(action), "-%s", num);
			printf("  %-24s %-16s %s\n", ri.id, action, ri.reason);
		}
	}
	for (i = 0; i < ls_ruleset_allow_count(rs); i++) {
		ls_allow_info ai;
		ls_ruleset_allow_info(rs, i, &ai);
		if (i == 0)
			printf("\nallow-list entries\n");
		if (ai.has_until)
			ls_date_format(ai.until, date);
		printf("  %-24s %-16s %s\n", ai.id,
		       !ai.has_until ? "no end" : ai.active ? "until" : "expired", ai.reason);
		if (ai.has_until)
			printf("  %-24s %s\n", "", date);
	}
	for (i = 0; i < ls_ruleset_lookup_count(rs); i++) {
		ls_lookup_info li;
		ls_ruleset_lookup_info(rs, i, &li);
		if (i == 0)
			printf("\nlookup tables\n");
		if (!li.loaded) {
			printf("  %s: %s, not read (no rule reads its columns)\n", li.name, li.file);
			continue;
		}
		printf("  %s: %s, %zu row%s, key \"%s\" = %s%s", li.name, li.file, li.rows,
		       li.rows == 1 ? "" : "s", li.key, li.by_domain ? "the domain of " : "", li.match);
		if (li.keyless > 0)
			printf(", %zu without a key", li.keyless);
		if (li.duplicates > 0)
			printf(", %zu repeated key%s (first row used)", li.duplicates,
			       li.duplicates == 1 ? "" : "s");
		printf("\n");
	}
	for (i = 0; i < ls_ruleset_list_count(rs); i++) {
		ls_list_info li;
		ls_ruleset_list_info(rs, i, &li);
		if (i == 0)
			printf("\nlists of values\n");
		printf("  %s: %zu value%s\n", li.file, li.values, li.values == 1 ? "" : "s");
	}
	if (ls_ruleset_require(rs) != NULL)
		printf("\nevery lead must satisfy (policy require)\n  %s\n", ls_ruleset_require(rs));
	if (ls_ruleset_encoding(rs) != NULL)
		printf("\nleads are read as %s (policy encoding)\n", ls_ruleset_encoding(rs));
	printf("\n%zu persona%s, %zu rule%s, %zu allow-list entr%s\n",
	       ls_ruleset_persona_count(rs), ls_ruleset_persona_count(rs) == 1 ? "" : "s", nrules,
	       nrules == 1 ? "" : "s", ls_ruleset_allow_count(rs),
	       ls_ruleset_allow_count(rs) == 1 ? "y" : "ies");
}

/* A header name as printed: control characters as '?'. */
static void print_name(ls_cell name)
{
	size_t k;

	putchar('"');
	for (k = 0; k < name.len; k++) {
		unsigned char c = (unsigned char)name.ptr[k];
		putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
	putchar('"');
}

/* Which column each field takes in the --header file (or in its lookup
 * table): what a user of a CRM export wants to see before the first run. */
static void list_columns(const ls_ruleset *rs, const struct input *in)
{
	size_t f, column, lookup;

	printf("\ncolumns in %s\n", in->name);
	for (f = 0; f < ls_ruleset_field_count(rs); f++) {
		const char *name = ls_ruleset_field_name(rs, f);
		ls_status st;
		printf("  %-26s ", name);
		if (ls_ruleset_field_lookup(rs, f, &lookup, &column)) {
			ls_lookup_info li;
			ls_ruleset_lookup_info(rs, lookup, &li);
			printf("lookup %s: column %zu ", li.name, column + 1);
			print_name(li.header[column]);
			printf(" of %s\n", li.file);
			continue;
		}
		st = ls_ruleset_find_column(rs, name, ls_row_text(&in->header), in->header.ncells,
		                            &column);
		if (st == LS_DONE) {
			printf("(not in the header)\n");
			continue;
		}
		if (st != LS_OK) {
			printf("(ambiguous)\n");
			continue;
		}
		printf("column %zu ", column + 1);
		print_name(ls_row_text(&in->header)[column]);
		printf("\n");
	}
}

int cmd_check(int argc, char **argv)
{
	struct check_options o;
	struct input in = {0};
	ls_ruleset *rs = NULL;
	ls_lint *lint = NULL;
	ls_error err = {0};
	size_t i, warnings = 0, errors = 0;
	int code;
	ls_status st;

	memset(&o, 0, sizeof(o));
	in.fd = -1;
	code = command_line_parse(&o.cl, &check_spec, &o, argc, argv);
	if (code != -1)
		goto out;
	code = load_rules(&o.cl.common, o.cl.common.paths, o.cl.common.npaths, &rs);
	if (code != EXIT_OK)
		goto out;
	if (o.header != NULL) {
		code = input_open_with_header(&in, o.header, o.cl.common.delim,
		                              input_encoding(&o.cl.common, rs),
		                              LS_DEFAULT_MAX_RECORD_BYTES);
		input_warn_encoding(&in);
		if (code != EXIT_OK)
			goto out;
	}
	st = ls_lint_run(&lint, rs, o.header ? ls_row_text(&in.header) : NULL,
	                 o.header ? in.header.ncells : 0, in.name, &err);
	if (st != LS_OK) {
		code = report_error(st, &err);
		goto out;
	}
	if (!o.quiet) {
		list_rules(rs);
		if (o.header != NULL)
			list_columns(rs, &in);
	}
	code = finish_stdout(EXIT_OK);
	for (i = 0; i < ls_lint_count(lint); i++) {
		const ls_finding *f = ls_lint_get(lint, i);
		bool error = f->error || o.strict;
		fprintf(stderr, "%s%s%s: %s [%s]\n", f->file ? f->file : "", f->file ? ": " : "",
		        error ? "error" : "warning", f->message, f->code);
		errors += f->error;
		warnings += !f->error;
	}
	if (errors + warnings > 0)
		fprintf(stderr, "%s: %zu warning%s, %zu error%s%s\n", cli_command, warnings,
		        warnings == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
		        o.strict && warnings > 0 ? " (--strict: warnings are errors)" : "");
	if (code == EXIT_OK && errors > 0)
		code = EXIT_INPUT;
	else if (code == EXIT_OK && o.strict && warnings > 0)
		code = EXIT_USAGE;
out:
	ls_error_clear(&err);
	ls_lint_free(lint);
	input_close(&in);
	ls_ruleset_free(rs);
	command_line_free(&o.cl);
	return code;
}
