/* SPDX-License-Identifier: MIT */
/* cmd_discover.c - `leadsift discover`: segments of a history whose leads
 * convert far below the base rate, with the evidence, as candidates for
 * negative personas. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "json_out.h"
#include "outfile.h"
#include "report.h"

static const char discover_usage[] =
	"Usage: leadsift discover [OPTIONS] [-p PERSONAS] --outcome COLUMN[=VALUES] [FILE|-]\n"
	"Find segments of a history whose leads convert far below the base rate: each\n"
	"text value of each column (trimmed, ignoring case, missing values as empty)\n"
	"and numeric columns cut at their deciles, each with its leads, conversions,\n"
	"rate and 95% Wilson interval, lift, and q (the score test adjusted over every\n"
	"candidate tried, Benjamini-Hochberg). Best first: the leads a segment would\n"
	"save from being worked beyond what its conversions are worth at the base rate.\n"
	"Columns that identify a lead (ids, e-mails, names) are not offered; one that\n"
	"tells the outcome almost perfectly is reported as likely leakage.\n"
	"\n"
	"  -p, --personas PATH     persona file or directory (repeatable; default:\n"
	"                          $LEADSIFT_PERSONAS, else ./personas): its policy's\n"
	"                          header names, missing values, encoding and require\n"
	"      --outcome COLUMN[=VALUES]\n"
	"                          the column telling whether a lead converted (see\n"
	"                          leadsift backtest --help)\n"
	"      --lost VALUES       the values that mean not converted; any other is\n"
	"                          left out\n"
	"      --all               mine every lead; by default only those the rules keep,\n"
	"                          so that what is found adds to them\n"
	"      --exclude COLUMNS   comma-separated columns to leave out (filled in after\n"
	"                          the outcome: tags, grades)\n"
	"      --holdout PCT       find segments on a random PCT% of the leads held\n"
	"                          back, and report how each does on those (1-90)\n"
	"      --seed N            the holdout's draw (default 1): the same N, the same\n"
	"                          split\n"
	"      --train-until DATE  find segments on leads dated up to DATE (YYYY-MM-DD)\n"
	"                          and check them on the later ones (needs --by)\n"
	"      --by DATE_COLUMN    the leads' date for --train-until\n"
	"      --max-values N      distinct values kept per column (default 1000)\n"
	"      --top N             segments listed (default 20; 0: all found)\n"
	"      --json              write every candidate as JSON instead of text\n"
	"  -o, --output FILE       write the segments found as a draft persona, one rule\n"
	"                          each, ready for check, backtest and diff (atomically)\n"
	HELP_DELIMITER HELP_RULES HELP_HELP
	"\n"
	"Exit status: 0 reported; 2 usage or rule errors; 3 invalid input, a missing\n"
	"column, or no outcome cell that says converted; 4 I/O error.\n";

struct discover_options {
	struct command_line cl;
	struct outcome outcome;
	const char *exclude;
	size_t max_values;
	size_t top;
	bool json;
	const char *output;
	bool all;
	size_t holdout, seed;
	bool has_until;
	int64_t until;
	const char *by;
	size_t by_column;
	uint64_t undated;        /* --train-until: leads without a date, in no part */
	ls_join *join;           /* the leads with their lookup tables */
};

/* The segments found that pass two pairs with each other. */
#define PAIRED 10

enum {
	OPT_JSON = OPT_OUTCOME_END, OPT_EXCLUDE, OPT_MAX_VALUES, OPT_TOP, OPT_OUTPUT, OPT_ALL,
	OPT_HOLDOUT, OPT_SEED, OPT_UNTIL, OPT_BY
};

static const struct option discover_longs[] = {
	{"outcome", required_argument, NULL, OPT_OUTCOME},
	{"lost", required_argument, NULL, OPT_LOST},
	{"exclude", required_argument, NULL, OPT_EXCLUDE},
	{"max-values", required_argument, NULL, OPT_MAX_VALUES},
	{"top", required_argument, NULL, OPT_TOP},
	{"json", no_argument, NULL, OPT_JSON},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"all", no_argument, NULL, OPT_ALL},
	{"holdout", required_argument, NULL, OPT_HOLDOUT},
	{"seed", required_argument, NULL, OPT_SEED},
	{"train-until", required_argument, NULL, OPT_UNTIL},
	{"by", required_argument, NULL, OPT_BY},
	{NULL, 0, NULL, 0},
};

static int parse_count(const char *option, const char *arg, size_t least, size_t *out)
{
	char *end;
	unsigned long long n;

	if (arg[0] < '0' || arg[0] > '9')
		return bad_usage("%s: expected a number, got '%s'", option, arg);
	n = strtoull(arg, &end, 10);
	if (*end != '\0' || n < least || n > SIZE_MAX / 2)
		return bad_usage("%s: expected a number of at least %zu, got '%s'", option, least, arg);
	*out = (size_t)n;
	return -1;
}

static int discover_option(void *ctx, int c, const char *arg)
{
	struct discover_options *o = ctx;
	int done;

	switch (c) {
	case OPT_JSON:
		o->json = true;
		return -1;
	case 'o':
	case OPT_OUTPUT:
		o->output = arg;
		return -1;
	case OPT_EXCLUDE:
		o->exclude = arg;
		return -1;
	case OPT_ALL:
		o->all = true;
		return -1;
	case OPT_HOLDOUT:
		done = parse_count("--holdout", arg, 1, &o->holdout);
		if (done == -1 && o->holdout > 90)
			done = bad_usage("--holdout: at most 90 (percent), got '%s'", arg);
		return done;
	case OPT_SEED:
		return parse_count("--seed", arg, 0, &o->seed);
	case OPT_UNTIL:
		if (!ls_date_parse(arg, &o->until))
			return bad_usage("--train-until: expected a date as YYYY-MM-DD, got '%s'", arg);
		o->has_until = true;
		return -1;
	case OPT_BY:
		o->by = arg;
		return -1;
	case OPT_MAX_VALUES:
		return parse_count("--max-values", arg, 100, &o->max_values);
	case OPT_TOP:
		return parse_count("--top", arg, 0, &o->top);
	default:
		return outcome_option(&o->outcome, c, arg);
	}
}

static const struct command_spec discover_spec = {
	discover_usage, TAKES_PERSONAS | TAKES_DELIMITER | TAKES_RULES | TAKES_INPUT, "o:",
	discover_longs, discover_option, NULL,
};

/* ---- The draft persona ------------------------------------------------ */

/* A segment's condition, as the library wrote it. */
static cJSON *condition(const ls_segment *g, bool *nomem)
{
	cJSON *when = cJSON_Parse(g->condition);

	if (when == NULL)
		*nomem = true;
	return when;
}

/* "converted 3 of 465, 0.6% vs 38.5%" */
static cJSON *evidence(const ls_segment *g, double base)
{
	char text[160];

	snprintf(text, sizeof(text), "converted %llu of %llu, %.1f%% vs %.1f%%",
	         (unsigned long long)g->converted, (unsigned long long)g->leads, 100 * g->rate,
	         100 * base);
	return cJSON_CreateString(text);
}

/* Deductions scale with the evidence: the share of the base rate the
 * segment's interval is sure to fall short of, in points of 100; a segment
 * whose whole interval is below a quarter of the base rate essentially
 * never converts, and disqualifies. */
static void rule_weight(const ls_segment *g, double base, cJSON *rule, bool *nomem)
{
	double sure = 1 - g->high / base;
	long points = (long)(100 * (sure > 0 ? sure : 0) / 5 + 0.5) * 5;

	if (g->high <= base / 4) {
		json_add(rule, "disqualify", cJSON_CreateTrue(), nomem);
		return;
	}
	json_add(rule, "deduct", cJSON_CreateNumber((double)(points < 5 ? 5 : points)), nomem);
}

/* ", found on 70% (seed 1), checked on 30% held out", or "". */
static void split_text(const struct discover_options *o, char *buf, size_t size)
{
	char day[LS_DATE_BUFSIZE];

	buf[0] = '\0';
	if (o->has_until) {
		ls_date_format(o->until, day);
		snprintf(buf, size, ", found on leads dated up to %s, kept when they hold up on later ones",
		         day);
	} else if (o->holdout > 0) {
		snprintf(buf, size, ", found on %zu%% (seed %zu), kept when they hold up on %zu%% held out",
		         100 - o->holdout, o->seed, o->holdout);
	}
}

/* Whether a segment goes into the draft: found, and holding up when held out. */
static bool drafts(const ls_segment *g)
{
	return g->found && (!g->held || g->holds);
}

/* How many rules the draft gets. */
static size_t drafted(const struct discover_options *o, const ls_discover *d)
{
	size_t i, n = 0;

	for (i = 0; i < ls_discover_segment_count(d) && (o->top == 0 || n < o->top); i++)
		n += drafts(ls_discover_segment(d, i));
	return n;
}

static cJSON *draft(const struct discover_options *o, const struct input *in,
                    const ls_discover *d, bool *nomem)
{
	cJSON *root = cJSON_CreateObject(), *rules;
	uint64_t leads, converted;
	double base;
	char text[1024], day[LS_DATE_BUFSIZE], split[128];
	size_t i, n = 0;

	ls_discover_totals(d, &leads, &converted);
	base = (double)converted / (double)leads;
	ls_date_format(ls_ruleset_today(ls_discover_rules(d)), day);
	split_text(o, split, sizeof(split));
	snprintf(text, sizeof(text), "Drafted by leadsift discover on %s from %s: %llu leads, "
	         "%llu converted (%.1f%%), outcome \"%s\"%s%s; segments converting below the base "
	         "rate with q <= 0.05 over %zu candidates (Benjamini-Hochberg). Review every rule "
	         "before use.", day, in->name, (unsigned long long)leads,
	         (unsigned long long)converted, 100 * base, o->outcome.column_name,
	         o->all ? ", every lead" : ", the leads the rules kept", split, ls_discover_tried(d));
	json_add(root, "id", cJSON_CreateString("discovered"), nomem);
	json_add(root, "name", cJSON_CreateString("Discovered segments"), nomem);
	json_add(root, "description", cJSON_CreateString(text), nomem);
	json_add(root, "version", cJSON_CreateString(day), nomem);
	rules = json_add(root, "rules", cJSON_CreateArray(), nomem);
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		cJSON *rule;
		/* A segment that does not hold up on the held-out leads is no rule. */
		if (!drafts(g) || (o->top > 0 && n == o->top))
			continue;
		snprintf(text, sizeof(text), "segment-%zu", ++n);
		rule = json_add(rules, NULL, cJSON_CreateObject(), nomem);
		json_add(rule, "id", cJSON_CreateString(text), nomem);
		json_add(rule, "reason", evidence(g, base), nomem);
		rule_weight(g, base, rule, nomem);
		json_add(rule, "when", condition(g, nomem), nomem);
	}
	if (root == NULL)
		*nomem = true;
	return root;
}

/* ---- JSON ------------------------------------------------------------- */

static const char *const kind_names[] = {"text",     "numbers", "identifies", "leaks",
                                         "excluded", "dates",   "emails"};

static cJSON *json_report(const struct input *in, const ls_discover *d, size_t ncols,
                          bool *nomem)
{
	cJSON *root = cJSON_CreateObject(), *list;
	uint64_t leads, converted, held, held_converted;
	size_t i;

	ls_discover_totals(d, &leads, &converted);
	json_add(root, "input", cJSON_CreateString(in->name), nomem);
	json_add(root, "leads", cJSON_CreateNumber((double)leads), nomem);
	json_add(root, "converted", cJSON_CreateNumber((double)converted), nomem);
	json_add(root, "base_rate",
	         cJSON_CreateNumber(leads ? (double)converted / (double)leads : 0), nomem);
	json_add(root, "tried", cJSON_CreateNumber((double)ls_discover_tried(d)), nomem);
	ls_discover_held_out(d, &held, &held_converted);
	json_add(root, "held_out_leads", cJSON_CreateNumber((double)held), nomem);
	json_add(root, "held_out_converted", cJSON_CreateNumber((double)held_converted), nomem);
	list = json_add(root, "columns", cJSON_CreateArray(), nomem);
	for (i = 0; i < ncols; i++) {
		ls_discover_column_info c;
		cJSON *o = json_add(list, NULL, cJSON_CreateObject(), nomem);
		ls_discover_column(d, i, &c);
		json_add(o, "name", cJSON_CreateString(c.name), nomem);
		json_add(o, "kind", cJSON_CreateString(kind_names[c.kind]), nomem);
		json_add(o, "distinct", cJSON_CreateNumber((double)c.distinct), nomem);
		json_add(o, "capped", cJSON_CreateBool(c.capped), nomem);
	}
	list = json_add(root, "segments", cJSON_CreateArray(), nomem);
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		double interval[2] = {g->low, g->high};
		cJSON *o = json_add(list, NULL, cJSON_CreateObject(), nomem);
		json_add(o, "when", condition(g, nomem), nomem);
		json_add(o, "leads", cJSON_CreateNumber((double)g->leads), nomem);
		json_add(o, "converted", cJSON_CreateNumber((double)g->converted), nomem);
		json_add(o, "rate", cJSON_CreateNumber(g->rate), nomem);
		json_add(o, "rate_interval", cJSON_CreateDoubleArray(interval, 2), nomem);
		json_add(o, "lift", cJSON_CreateNumber(g->lift), nomem);
		json_add(o, "p_value", g->tested ? cJSON_CreateNumber(g->p_value) : cJSON_CreateNull(),
		         nomem);
		json_add(o, "q_value", g->tested ? cJSON_CreateNumber(g->q_value) : cJSON_CreateNull(),
		         nomem);
		json_add(o, "found", cJSON_CreateBool(g->found), nomem);
		json_add(o, "nested", cJSON_CreateBool(g->nested), nomem);
		json_add(o, "pair", cJSON_CreateBool(g->pair), nomem);
		if (g->held) {
			double test[2] = {g->test_low, g->test_high};
			cJSON *h = json_add(o, "held_out", cJSON_CreateObject(), nomem);
			json_add(h, "leads", cJSON_CreateNumber((double)g->test_leads), nomem);
			json_add(h, "converted", cJSON_CreateNumber((double)g->test_converted), nomem);
			json_add(h, "rate", cJSON_CreateNumber(g->test_rate), nomem);
			json_add(h, "rate_interval", cJSON_CreateDoubleArray(test, 2), nomem);
			json_add(h, "lift", cJSON_CreateNumber(g->test_lift), nomem);
			json_add(h, "holds", cJSON_CreateBool(g->holds), nomem);
		}
	}
	if (root == NULL)
		*nomem = true;
	return root;
}

static bool write_text(FILE *f, const void *text)
{
	return fputs(text, f) >= 0 && fputc('\n', f) != EOF;
}

/* --exclude: each named column found in the header, or the error. */
static int exclude_columns(ls_discover *d, const char *list, const ls_ruleset *rs,
                           const struct input *in)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		ls_cell name = ls_cell_trim((ls_cell){p, end ? (size_t)(end - p) : strlen(p)});
		char *copy = strndup(name.ptr, name.len);
		size_t column;
		ls_status st;
		if (copy == NULL)
			return report_status(LS_ERR_NOMEM);
		st = ls_ruleset_find_column(rs, copy, ls_row_text(&in->header), in->header.ncells,
		                            &column);
		if (st != LS_OK) {
			fprintf(stderr, "leadsift: %s:%lu: --exclude: %s column \"%s\" in the header\n",
			        in->name, in->header.line, st == LS_DONE ? "no" : "more than one", copy);
			free(copy);
			return EXIT_INPUT;
		}
		free(copy);
		ls_discover_exclude(d, column);
		p = end ? end + 1 : NULL;
	}
	return EXIT_OK;
}

/* splitmix64's finaliser: a line number and the seed to a fair draw. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Whether a lead is held out of pass one: by its date with --train-until
 * (-1: it has none, and is in neither part), else drawn by its line. */
static int held_out(const struct discover_options *o, const ls_ruleset *rs, const ls_row *row)
{
	int64_t day;

	if (o->has_until) {
		if (ls_ruleset_read_date(rs, o->by, row->text[o->by_column], &day) != LS_READ_DATE)
			return -1;
		return day > o->until;
	}
	return o->holdout > 0 &&
	       mix((uint64_t)o->seed * 0x9e3779b97f4a7c15ULL + row->line) % 100 < o->holdout;
}

/* One reading of the input: pass one counts the leads not held out, pass
 * two (again) every lead, for the pairs and the held-out figures. Leads
 * the rules disqualify are skipped (unless --all): they need no new rule. */
static int read_leads(struct discover_options *o, const ls_ruleset *rs, ls_engine *e,
                      struct input *in, ls_discover *d, bool again)
{
	ls_result res;
	ls_row row;
	bool converted, has_value;
	double value;
	int code = EXIT_OK, part;
	ls_status st;

	const ls_cell *cells;
	size_t ncols = ls_join_columns(o->join);

	while ((st = input_next(in, &row, &code)) == LS_OK) {
		if ((st = ls_engine_score(e, row.text, row.ncells, &res)) != LS_OK ||
		    (st = ls_join_row(o->join, row.text, &cells)) != LS_OK)
			break;
		if (res.not_lead || (!o->all && res.disqualified))
			continue;
		part = held_out(o, rs, &row);
		o->undated += part < 0 && !again;
		if (part < 0 || !outcome_read(&o->outcome, &row, &converted, &has_value, &value))
			continue;
		if (again)
			st = ls_discover_add_again(d, cells, ncols, converted, part);
		else if (!part)
			st = ls_discover_add(d, cells, ncols, converted);
		if (st != LS_OK)
			break;
	}
	return st == LS_DONE ? code : st == LS_OK || code != EXIT_OK ? code : report_status(st);
}

static int check_split(const struct discover_options *o)
{
	if (o->has_until != (o->by != NULL))
		return bad_usage(o->has_until ? "--train-until needs --by DATE_COLUMN"
		                              : "--by needs --train-until DATE");
	if (o->has_until && o->holdout > 0)
		return bad_usage("--holdout and --train-until are two ways to split: give one");
	return -1;
}

static int bind_by(struct discover_options *o, const ls_ruleset *rs, const struct input *in)
{
	ls_status st = ls_ruleset_find_column(rs, o->by, ls_row_text(&in->header),
	                                      in->header.ncells, &o->by_column);

	if (st == LS_OK)
		return EXIT_OK;
	fprintf(stderr, "leadsift: %s:%lu: --by: %s column \"%s\" in the header\n", in->name,
	        in->header.line, st == LS_DONE ? "no" : "more than one", o->by);
	return EXIT_INPUT;
}

/* Standard input copied to a temporary file, which pass two reads again;
 * path is set (and the file to be unlinked) once it exists. */
static int spool_stdin(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	char buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, size, "%s/leadsift-discover-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		int code = report_errno("a temporary file for standard input", path);
		path[0] = '\0';
		return code;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		ssize_t done = 0;
		while (n > 0 && done < n) {
			ssize_t w = write(fd, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				close(fd);
				return report_errno("writing", path);
			}
			done += w;
		}
	}
	if (n < 0) {
		close(fd);
		return report_errno("reading", "<stdin>");
	}
	return close(fd) == 0 ? EXIT_OK : report_errno("writing", path);
}

static bool any_found(const ls_discover *d)
{
	size_t i;

	for (i = 0; i < ls_discover_segment_count(d); i++)
		if (ls_discover_segment(d, i)->found)
			return true;
	return false;
}

/* Both passes; the input is read twice (standard input was spooled). */
static int run(struct discover_options *o, struct scoring *sc, ls_discover *d)
{
	struct outcome counted;
	struct input again = {0};
	ls_error err = {0};
	ls_status st;
	int code = read_leads(o, sc->rs, sc->engine, &sc->in, d, false);

	if (code == EXIT_OK)
		code = outcome_finish(&o->outcome, &sc->in);
	if (code == EXIT_OK && (st = ls_discover_finish(d)) != LS_OK)
		code = report_status(st);
	if (code != EXIT_OK || (!o->has_until && o->holdout == 0 && !any_found(d)))
		return code; /* nothing to pair, nothing held out: no second reading */
	again.fd = -1;
	if (code == EXIT_OK)
		code = input_open_with_header(&again, sc->in.path, o->cl.common.delim,
		                              sc->in.encoding, LS_DEFAULT_MAX_RECORD_BYTES);
	if (code == EXIT_OK && (st = ls_discover_probe(d, ls_join_header(o->join),
	                                               ls_join_columns(o->join), PAIRED, &err)) != LS_OK)
		code = report_error(st, &err);
	ls_error_clear(&err);
	if (code == EXIT_OK) {
		again.name = sc->in.name;
		counted = o->outcome; /* the second reading counts no outcome twice */
		code = read_leads(o, sc->rs, sc->engine, &again, d, true);
		o->outcome.unknown = counted.unknown;
		o->outcome.open = counted.open;
		o->outcome.converted = counted.converted;
		o->outcome.value_invalid = counted.value_invalid;
	}
	if (code == EXIT_OK && (st = ls_discover_finish_again(d)) != LS_OK)
		code = report_status(st);
	input_close(&again);
	return code;
}

/* "Job Title = Student", "Budget < 2000", "Country is empty". */
static void segment_name(const ls_discover *d, const ls_segment *g, char *buf, size_t size)
{
	char a[256], b[256];

	if (g->pair) {
		segment_name(d, ls_discover_part(d, g, 0), a, sizeof(a));
		segment_name(d, ls_discover_part(d, g, 1), b, sizeof(b));
		snprintf(buf, size, "%.200s and %.200s", a, b); /* the JSON has them whole */
	} else if (g->values != NULL)
		snprintf(buf, size, "%s %s", g->column,
		         g->negated ? "at a company domain" : "at a free-mail provider");
	else if (strcmp(g->op, "eq") == 0)
		snprintf(buf, size, "%s = %s", g->column, g->value);
	else if (g->value != NULL)
		snprintf(buf, size, "%s %s %s", g->column, g->op, g->value);
	else if (strcmp(g->op, "empty") == 0)
		snprintf(buf, size, "%s is empty", g->column);
	else if (strcmp(g->op, "between") == 0)
		snprintf(buf, size, "%s %g to under %g", g->column, g->number, g->upper);
	else
		snprintf(buf, size, "%s %s %g", g->column, strcmp(g->op, "lt") == 0 ? "<" : ">=",
		         g->number);
}

static void text_columns(const ls_discover *d, size_t ncols)
{
	static const char *const heads[] = {NULL, NULL, "identify leads (not offered)",
	                                    "tell the outcome almost perfectly (likely leakage, "
	                                    "not offered)",
	                                    "are left out (the outcome, --exclude)"};
	ls_discover_column_info c;
	size_t k, i, capped = 0;

	for (k = LS_DISCOVER_IDENTIFIES; k <= LS_DISCOVER_EXCLUDED; k++) {
		bool any = false;
		for (i = 0; i < ncols; i++) {
			ls_discover_column(d, i, &c);
			if (c.kind != (ls_discover_column_kind)k)
				continue;
			printf(any ? ", %s" : "columns that %s: ", any ? c.name : heads[k]);
			if (!any)
				printf("%s", c.name);
			any = true;
		}
		if (any)
			putchar('\n');
	}
	for (i = 0; i < ncols; i++) {
		ls_discover_column(d, i, &c);
		capped += c.capped;
	}
	if (capped > 0)
		printf("%zu column%s past the cap of distinct values (text past it counted as other, "
		       "numbers rounded down, dates to months or years)\n", capped,
		       capped == 1 ? "" : "s");
}

static void text_report(const struct discover_options *o, const struct input *in,
                        const ls_discover *d, size_t ncols)
{
	size_t i, found = 0, shown = 0;
	uint64_t leads, converted, held, held_converted;
	char name[512];

	ls_discover_totals(d, &leads, &converted);
	for (i = 0; i < ls_discover_segment_count(d); i++)
		found += ls_discover_segment(d, i)->found;
	printf("discover on %s: %llu leads, %llu converted (%.2f%%)\n", in->name,
	       (unsigned long long)leads, (unsigned long long)converted,
	       leads ? 100.0 * (double)converted / (double)leads : 0);
	text_columns(d, ncols);
	printf("%zu candidate segments tested; %zu convert below the base rate (q <= 0.05, "
	       "Benjamini-Hochberg over all %zu)\n\n",
	       ls_discover_tried(d), found, ls_discover_tried(d));
	if (found == 0)
		return;
	ls_discover_held_out(d, &held, &held_converted);
	printf("%-44s %7s %9s %8s %-11s %5s %7s %6s %6s%s\n", "segment", "leads", "converted", "rate",
	       "(95%)", "lift", "saves", "loses", "q",
	       held > 0 ? "   held out: leads  rate (95%)" : "");
	for (i = 0; i < ls_discover_segment_count(d); i++) {
		const ls_segment *g = ls_discover_segment(d, i);
		char q[16];
		if (!g->found || (o->top > 0 && shown == o->top))
			continue;
		shown++;
		segment_name(d, g, name, sizeof(name));
		if (strlen(name) > 44)
			memcpy(name + 41, "...", 4); /* the JSON has it whole */
		snprintf(q, sizeof(q), g->q_value < 0.001 ? "<.001" : "%.3f", g->q_value);
		printf("%-44s %7llu %9llu %7.2f%% %4.1f-%-6.1f %5.2f %7llu %6llu %6s", name,
		       (unsigned long long)g->leads, (unsigned long long)g->converted, 100 * g->rate,
		       100 * g->low, 100 * g->high, g->lift,
		       (unsigned long long)(g->leads - g->converted), (unsigned long long)g->converted,
		       q);
		if (held > 0)
			printf(" %17llu %6.2f%% %4.1f-%.1f%s", (unsigned long long)g->test_leads,
			       100 * g->test_rate, 100 * g->test_low, 100 * g->test_high,
			       g->holds ? "" : "  does not hold up");
		putchar('\n');
	}
	if (shown < found)
		printf("... %zu more (--top 0 lists all)\n", found - shown);
	if (held > 0)
		printf("\nheld out: %llu leads, %llu converted (%.2f%%); a segment holds up when its "
		       "held-out leads\nconvert surely below that (the whole 95%% interval).\n",
		       (unsigned long long)held, (unsigned long long)held_converted,
		       100.0 * (double)held_converted / (double)held);
	puts("\nsaves: leads not converted in the segment (work a rule would save); loses: the "
	     "converted ones.");
}

int cmd_discover(int argc, char **argv)
{
	struct discover_options o;
	struct scoring sc = {0};
	ls_discover *d = NULL;
	struct outfile file = {NULL, NULL, -1};
	const char *what = NULL;
	char *persona = NULL, *json = NULL, spooled[4096] = "";
	ls_error err = {0};
	ls_status st;
	bool nomem = false;
	int code;

	memset(&o, 0, sizeof(o));
	o.top = 20;
	o.seed = 1;
	sc.in.fd = -1;
	code = command_line_parse(&o.cl, &discover_spec, &o, argc, argv);
	if (code == -1 && !o.outcome.given)
		code = bad_usage("which column holds the outcome? use --outcome COLUMN[=VALUES]");
	if (code == -1)
		code = outcome_check(&o.outcome);
	if (code == -1)
		code = check_split(&o);
	if (code != -1)
		goto out;
	if ((o.cl.input == NULL || strcmp(o.cl.input, "-") == 0) &&
	    (code = spool_stdin(spooled, sizeof(spooled))) != EXIT_OK)
		goto out;
	if (spooled[0] != '\0')
		o.cl.input = spooled;
	code = scoring_open(&sc, &o.cl);
	if (spooled[0] != '\0')
		sc.in.name = "<stdin>";
	/* The leads with the lookup tables their rules read: discover sees a
	 * table's columns as it sees the lead's own. */
	if (code == EXIT_OK && (st = ls_join_new(&o.join, sc.rs, ls_row_text(&sc.in.header),
	                                         sc.in.header.ncells, sc.in.name, &err)) != LS_OK)
		code = report_error(st, &err);
	if (code == EXIT_OK && ls_discover_new(&d, sc.rs, ls_join_header(o.join),
	                                       ls_join_columns(o.join), o.max_values) != LS_OK)
		code = report_status(LS_ERR_NOMEM);
	if (code == EXIT_OK)
		code = outcome_bind(&o.outcome, sc.rs, &sc.in);
	if (code == EXIT_OK) {
		ls_discover_exclude(d, o.outcome.column); /* it is the outcome itself */
		code = exclude_columns(d, o.exclude, sc.rs, &sc.in);
	}
	if (code == EXIT_OK && o.by != NULL)
		code = bind_by(&o, sc.rs, &sc.in);
	if (code == EXIT_OK)
		code = run(&o, &sc, d);
	/* A persona needs a rule: with nothing to draft, no file is written. */
	if (code == EXIT_OK && o.output != NULL && drafted(&o, d) == 0) {
		fprintf(stderr, "leadsift: no segment found%s: %s not written\n",
		        o.holdout > 0 || o.has_until ? " that holds up" : "", o.output);
		o.output = NULL;
	}
	if (code == EXIT_OK && o.output != NULL) {
		cJSON *tree = draft(&o, &sc.in, d, &nomem);
		persona = json_render(tree, nomem);
		if (persona == NULL) {
			code = json_print(NULL);
			goto out;
		}
		if (!(outfile_open(&file, o.output, &what) &&
		      outfile_print(&file, write_text, persona, &what))) {
			code = report_errno(what, o.output);
			goto out;
		}
	}
	if (code == EXIT_OK && o.json) {
		cJSON *tree = json_report(&sc.in, d, ls_join_columns(o.join), &nomem);
		json = json_render(tree, nomem);
		if (json == NULL) {
			code = json_print(NULL);
			goto out;
		}
		code = json_print(json);
		json = NULL;
	} else if (code == EXIT_OK) {
		text_report(&o, &sc.in, d, ls_join_columns(o.join));
	}
	if (code == EXIT_OK)
		code = finish_stdout(code);
	if (code == EXIT_OK && o.output != NULL && !outfile_commit(&file, &what))
		code = report_errno(what, o.output);
out:
	outfile_abort(&file);
	free(persona);
	free(json);
	ls_discover_free(d);
	ls_join_free(o.join);
	ls_error_clear(&err);
	scoring_close(&sc);
	if (spooled[0] != '\0')
		unlink(spooled);
	outcome_free(&o.outcome);
	command_line_free(&o.cl);
	return code;
}
