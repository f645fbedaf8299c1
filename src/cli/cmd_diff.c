/* SPDX-License-Identifier: MIT */
/* cmd_diff.c - `leadsift diff`: two rule sets over the same leads in one
 * pass: which leads flip, how scores move, how each rule's hits change. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json_out.h"
#include "outfile.h"
#include "report.h"

static const char diff_usage[] =
	"Usage: leadsift diff [OPTIONS] --old PERSONAS --new PERSONAS [FILE|-]\n"
	"List what changed between two rule sets (policy settings, caps, rules and\n"
	"allow-list entries added, removed or changed), then score the same leads with\n"
	"both in one pass and report the leads newly disqualified and newly kept, score\n"
	"changes, and each rule's hits under both (rules are matched by persona and\n"
	"rule id).\n"
	"\n"
	"      --old PATH          the current persona file or directory (repeatable)\n"
	"      --new PATH          the changed persona file or directory (repeatable)\n"
	"  -o, --output FILE       write the changed rows (verdict, score or reasons)\n"
	"                          as CSV: every input field, then old_score,\n"
	"                          old_disqualified, old_reasons, new_score,\n"
	"                          new_disqualified, new_reasons (written atomically)\n"
	"      --outcome COLUMN[=VALUES]\n"
	"                          also put the backtest figures of both side by side,\n"
	"                          with what each rule alone disqualifies and its\n"
	"                          verdict under both (see leadsift backtest --help)\n"
	"      --lost VALUES       with --outcome: the values that mean not converted\n"
	"                          (any other is left out; see leadsift backtest --help)\n"
	"      --value COLUMN      with --outcome: each lead's value\n"
	"      --cost-per-lead X   with --outcome: what working one lead costs (the work\n"
	"                          saved and the cost per acquisition of both)\n"
	"      --json              write the report as JSON instead of text\n"
	HELP_DELIMITER
	"      --base N            starting score for both (overrides policy.json)\n"
	"      --threshold N       threshold for both\n"
	"      --today YYYY-MM-DD  the date relative dates and allow-lists count from\n"
	HELP_HELP
	"\n"
	"Exit status: 0 reported (whether or not anything changed); 2 usage or rule\n"
	"errors; 3 invalid input or a header either rule set does not fit; 4 I/O error.\n";

static const char *const added_names[6] = {"old_score", "old_disqualified", "old_reasons",
                                          "new_score", "new_disqualified", "new_reasons"};

struct side {
	const char **paths;
	size_t npaths;
	ls_ruleset *rs;
	ls_engine *e;
	ls_backtest *bt;
	ls_result res;
};

struct diff_options {
	struct command_line cl;
	struct side side[2];     /* old, new */
	struct outcome outcome;
	bool json;
	const char *output;
	ls_rule_change *changes; /* from the old rules to the new */
	size_t nchanges;
};

struct counts {
	uint64_t leads;          /* records that are leads under either rule set */
	uint64_t changed, newly_disqualified, newly_kept, score_up, score_down;
	uint64_t reasons_only;   /* same score and verdict, other reasons */
	uint64_t not_leads;      /* records neither policy's require lets in */
	uint64_t newly_not_leads, newly_leads; /* let in by one require only */
};

enum { OPT_OLD = OPT_OUTCOME_END, OPT_NEW, OPT_JSON };

static const struct option diff_longs[] = {
	{"old", required_argument, NULL, OPT_OLD},
	{"new", required_argument, NULL, OPT_NEW},
	{"output", required_argument, NULL, 'o'},
	OUTCOME_LONG_OPTIONS,
	{"json", no_argument, NULL, OPT_JSON},
	{NULL, 0, NULL, 0},
};

static int diff_option(void *ctx, int c, const char *arg)
{
	struct diff_options *o = ctx;
	struct side *s;

	switch (c) {
	case OPT_OLD:
	case OPT_NEW:
		s = &o->side[c == OPT_NEW];
		s->paths[s->npaths++] = arg;
		return -1;
	case 'o':
		o->output = arg;
		return -1;
	case OPT_JSON:
		o->json = true;
		return -1;
	default:
		return outcome_option(&o->outcome, c, arg);
	}
}

static const struct command_spec diff_spec = {
	diff_usage, TAKES_DELIMITER | TAKES_RULES | TAKES_INPUT, "o:", diff_longs, diff_option, NULL,
};

static int parse_diff(int argc, char **argv, struct diff_options *o)
{
	int done = command_line_parse(&o->cl, &diff_spec, o, argc, argv);

	if (done != -1)
		return done;
	if (o->side[0].npaths == 0 || o->side[1].npaths == 0)
		return bad_usage("give both rule sets: --old PATH and --new PATH");
	return outcome_check(&o->outcome);
}

/* ---- Changed rows ------------------------------------------------------ */

struct changed_out {
	struct outfile file;
	ls_writer *w;
	ls_error err;
};

static int open_changed(struct changed_out *c, const char *path, const struct input *in)
{
	const char *what = NULL;
	ls_status st;
	char delim;
	size_t i, k;

	for (i = 0; i < in->header.ncells; i++) {
		for (k = 0; k < 6; k++) {
			const ls_cell *h = &in->header.cells[i];
			if (h->len == strlen(added_names[k]) && memcmp(h->ptr, added_names[k], h->len) == 0) {
				fprintf(stderr, "leadsift: %s:%lu: the input already has a column named "
				                "\"%s\" (column %zu), which -o would add\n",
				        in->name, in->header.line, added_names[k], i + 1);
				return EXIT_INPUT;
			}
		}
	}
	if (!outfile_open(&c->file, path, &what))
		return report_errno(what, path);
	/* In the input's delimiter, found or given. */
	st = ls_reader_delimiter(in->reader, &delim, &c->err);
	if (st == LS_OK)
		st = ls_writer_open_fd(&c->w, c->file.fd, path, delim, &c->err);
	if (st == LS_OK) /* the verdicts in the input's encoding, like the rest */
		st = ls_writer_set_encoding(c->w, in->encoding, &c->err);
	if (st == LS_OK && ls_reader_had_bom(in->reader))
		st = ls_writer_raw(c->w, "\xef\xbb\xbf", 3, &c->err);
	for (i = 0; st == LS_OK && i < in->header.ncells; i++)
		st = ls_writer_field(c->w, in->header.cells[i].ptr, in->header.cells[i].len, &c->err);
	for (k = 0; st == LS_OK && k < 6; k++)
		st = ls_writer_field(c->w, added_names[k], strlen(added_names[k]), &c->err);
	if (st == LS_OK)
		st = ls_writer_end_row(c->w, in->header.eol, &c->err);
	return st == LS_OK ? EXIT_OK : report_error(st, &c->err);
}

static ls_status write_verdict(ls_writer *w, const ls_result *res, ls_error *err)
{
	char score[LS_FIXED_BUFSIZE];
	ls_cell cells[3];
	ls_status st = LS_OK;
	size_t k;

	ls_result_cells(res, score, cells);
	for (k = 0; k < 3 && st == LS_OK; k++)
		st = ls_writer_text(w, cells[k].ptr, cells[k].len, err);
	return st;
}

static ls_status write_changed(struct changed_out *c, const ls_row *row, const struct side *s)
{
	ls_status st = LS_OK;
	size_t i;

	for (i = 0; st == LS_OK && i < row->ncells; i++)
		st = ls_writer_field(c->w, row->cells[i].ptr, row->cells[i].len, &c->err);
	if (st == LS_OK)
		st = write_verdict(c->w, &s[0].res, &c->err);
	if (st == LS_OK)
		st = write_verdict(c->w, &s[1].res, &c->err);
	if (st == LS_OK)
		st = ls_writer_end_row(c->w, row->eol, &c->err);
	return st;
}

/* ---- The pass ------------------------------------------------------------ */

static void compare(struct counts *n, const ls_result *a, const ls_result *b, bool *changed)
{
	bool same_reasons = a->reasons_len == b->reasons_len &&
	                    memcmp(a->reasons, b->reasons, a->reasons_len) == 0;

	*changed = a->not_lead != b->not_lead;
	if (a->not_lead || b->not_lead) {
		n->not_leads += a->not_lead && b->not_lead;
		n->leads += *changed;
		n->changed += *changed;
		n->newly_not_leads += !a->not_lead && b->not_lead;
		n->newly_leads += a->not_lead && !b->not_lead;
		return;
	}
	n->leads++;
	n->newly_disqualified += !a->disqualified && b->disqualified;
	n->newly_kept += a->disqualified && !b->disqualified;
	n->score_up += b->score > a->score;
	n->score_down += b->score < a->score;
	n->reasons_only += a->score == b->score && a->disqualified == b->disqualified && !same_reasons;
	*changed = a->score != b->score || a->disqualified != b->disqualified || !same_reasons;
	n->changed += *changed;
}

static int run(struct diff_options *o, struct input *in, struct changed_out *out,
               struct counts *n)
{
	struct side *s = o->side;
	bool changed, converted, has_value, known;
	double value;
	ls_row row;
	int code = EXIT_OK, k;
	ls_status st;

	while ((st = input_next(in, &row, &code)) == LS_OK) {
		for (k = 0; k < 2 && st == LS_OK; k++)
			st = ls_engine_score(s[k].e, row.text, row.ncells, &s[k].res);
		if (st == LS_OK)
			compare(n, &s[0].res, &s[1].res, &changed);
		if (st == LS_OK && o->outcome.given) {
			/* The outcome of a record neither side takes for a lead is
			 * not read (nor counted as left out). */
			known = !(s[0].res.not_lead && s[1].res.not_lead) &&
			        outcome_read(&o->outcome, &row, &converted, &has_value, &value);
			for (k = 0; k < 2 && st == LS_OK; k++)
				if (known || s[k].res.not_lead)
					st = ls_backtest_add(s[k].bt, s[k].e, &s[k].res, converted, has_value,
					                     value);
		}
		if (st != LS_OK)
			return report_status(st);
		if (changed && out->w != NULL) {
			st = write_changed(out, &row, s);
			if (st != LS_OK)
				return report_error(st, &out->err);
		}
	}
	if (st != LS_DONE)
		return code;
	if (o->outcome.given && (code = outcome_finish(&o->outcome, in)) != EXIT_OK)
		return code;
	for (k = 0; k < 2 && o->outcome.given; k++)
		if ((st = ls_backtest_finish(s[k].bt)) != LS_OK)
			return report_status(st);
	if (out->w != NULL) {
		st = ls_writer_flush(out->w, &out->err);
		if (st != LS_OK)
			return report_error(st, &out->err);
	}
	return EXIT_OK;
}

/* ---- Reports --------------------------------------------------------------- */

/* Calls fn for each rule of either side, matched by persona and rule id:
 * old index or SIZE_MAX, new index or SIZE_MAX. */
struct rule_pair {
	const char *persona, *rule;
	uint64_t hits[2];
	bool present[2];
	size_t p[2], r[2];       /* the rule's persona and index on each side present */
};

static size_t find_rule(const ls_ruleset *rs, const char *persona, const char *rule, size_t *p)
{
	size_t r;

	for (*p = 0; *p < ls_ruleset_persona_count(rs); (*p)++) {
		if (strcmp(ls_ruleset_persona_id(rs, *p), persona) != 0)
			continue;
		for (r = 0; r < ls_ruleset_rule_count(rs, *p); r++)
			if (strcmp(ls_ruleset_rule_id(rs, *p, r), rule) == 0)
				return r;
		break;
	}
	return SIZE_MAX;
}

/* Every rule of the old set in order, then the new set's additions. */
static struct rule_pair *pair_rules(const struct side *s, size_t *count)
{
	struct rule_pair *pairs;
	size_t n = 0, total = 0, k, p, r, q, m;

	for (k = 0; k < 2; k++)
		for (p = 0; p < ls_ruleset_persona_count(s[k].rs); p++)
			total += ls_ruleset_rule_count(s[k].rs, p);
	pairs = calloc(total + 1, sizeof(*pairs));
	if (pairs == NULL)
		return NULL;
	for (k = 0; k < 2; k++) {
		const ls_ruleset *rs = s[k].rs, *other = s[!k].rs;
		for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
			for (r = 0; r < ls_ruleset_rule_count(rs, p); r++) {
				struct rule_pair *pr = &pairs[n];
				pr->persona = ls_ruleset_persona_id(rs, p);
				pr->rule = ls_ruleset_rule_id(rs, p, r);
				m = find_rule(other, pr->persona, pr->rule, &q);
				if (k == 1 && m != SIZE_MAX)
					continue; /* paired already from the old side */
				pr->present[k] = true;
				pr->hits[k] = ls_engine_rule_hits(s[k].e, p, r);
				pr->p[k] = p;
				pr->r[k] = r;
				if (m != SIZE_MAX) {
					pr->present[!k] = true;
					pr->hits[!k] = ls_engine_rule_hits(s[!k].e, q, m);
					pr->p[!k] = q;
					pr->r[!k] = m;
				}
				n++;
			}
		}
	}
	*count = n;
	return pairs;
}

/* Whether either rule set's policy has a require, so that records may not
 * be leads. */
static bool requires(const struct side *s)
{
	return ls_ruleset_require(s[0].rs) != NULL || ls_ruleset_require(s[1].rs) != NULL;
}

/* "rule price-haggler/discount-first", "persona tiny-company", "policy". */
static void change_name(const ls_rule_change *c, char *buf, size_t size)
{
	if (c->persona != NULL && c->id != NULL)
		snprintf(buf, size, "%s %s/%s", c->kind, c->persona, c->id);
	else if (c->persona != NULL || c->id != NULL)
		snprintf(buf, size, "%s %s", c->kind, c->persona != NULL ? c->persona : c->id);
	else
		snprintf(buf, size, "%s", c->kind);
}

static void text_changes(const ls_rule_change *changes, size_t n, bool same_fingerprint)
{
	size_t i;

	if (n == 0) {
		/* The fingerprint also covers names, descriptions and versions. */
		puts(same_fingerprint ? "rules: no change"
		                      : "rules: no change in what they do (names, descriptions or "
		                        "versions differ)");
		return;
	}
	printf("rule changes (%zu)\n", n);
	for (i = 0; i < n; i++) {
		const ls_rule_change *c = &changes[i];
		char name[512];
		change_name(c, name, sizeof(name));
		if (c->field == NULL)
			printf("  %s %s: %s\n", name, c->old_value == NULL ? "added" : "removed",
			       c->old_value == NULL ? c->new_value : c->old_value);
		else
			printf("  %s %s: %s -> %s\n", name, c->field, c->old_value, c->new_value);
	}
}

static void text_report(const struct diff_options *o, const struct input *in,
                        const struct counts *n, const struct rule_pair *pairs, size_t npairs)
{
	const struct side *s = o->side;
	size_t i, shown = 0;

	printf("diff on %s: old rules %.12s, new rules %.12s\n\n", in->name,
	       ls_ruleset_fingerprint(s[0].rs), ls_ruleset_fingerprint(s[1].rs));
	text_changes(o->changes, o->nchanges,
	             strcmp(ls_ruleset_fingerprint(s[0].rs), ls_ruleset_fingerprint(s[1].rs)) == 0);
	putchar('\n');
	printf("leads                 %10llu\n", (unsigned long long)n->leads);
	printf("changed               %10llu\n", (unsigned long long)n->changed);
	printf("  newly disqualified  %10llu\n", (unsigned long long)n->newly_disqualified);
	printf("  newly kept          %10llu\n", (unsigned long long)n->newly_kept);
	printf("  score up            %10llu\n", (unsigned long long)n->score_up);
	printf("  score down          %10llu\n", (unsigned long long)n->score_down);
	printf("  reasons only        %10llu\n", (unsigned long long)n->reasons_only);
	if (requires(s)) {
		printf("  newly not leads     %10llu\n", (unsigned long long)n->newly_not_leads);
		printf("  newly leads         %10llu\n", (unsigned long long)n->newly_leads);
		printf("not leads under both  %10llu\n", (unsigned long long)n->not_leads);
	}
	printf("disqualified          %10llu -> %llu\n",
	       (unsigned long long)ls_engine_rows_disqualified(s[0].e),
	       (unsigned long long)ls_engine_rows_disqualified(s[1].e));
	for (i = 0; i < npairs; i++) {
		const struct rule_pair *pr = &pairs[i];
		char name[256];
		if (pr->present[0] && pr->present[1] && pr->hits[0] == pr->hits[1])
			continue;
		if (shown++ == 0)
			printf("\n%-28s %8s %10s %10s\n", "rule hits that changed", "old", "new", "change");
		snprintf(name, sizeof(name), "%s/%s", pr->persona, pr->rule);
		printf("%-28s", name);
		if (pr->present[0])
			printf(" %8llu", (unsigned long long)pr->hits[0]);
		else
			printf(" %8s", "-");
		if (pr->present[1])
			printf(" %10llu", (unsigned long long)pr->hits[1]);
		else
			printf(" %10s", "-");
		printf(" %+10lld%s\n", (long long)pr->hits[1] - (long long)pr->hits[0],
		       !pr->present[0] ? "  added" : !pr->present[1] ? "  removed" : "");
	}
	if (shown == 0)
		printf("\nno rule's hits changed\n");
}

/* One line of the side-by-side table: old, new and, with change, new - old. */
static void count_line(const char *label, uint64_t old, uint64_t new, bool change)
{
	printf("%-28s %12llu %12llu", label, (unsigned long long)old, (unsigned long long)new);
	if (change)
		printf(" %+12lld", (long long)new - (long long)old);
	putchar('\n');
}

/* The same for amounts; a side without one (nothing to divide by) shows
 * "-", and then so does the change. */
static void money_line(const char *label, double old, double new, bool has_old, bool has_new)
{
	printf("%-28s", label);
	if (has_old)
		printf(" %12.2f", old);
	else
		printf(" %12s", "-");
	if (has_new)
		printf(" %12.2f", new);
	else
		printf(" %12s", "-");
	if (has_old && has_new)
		printf(" %+12.2f", new - old);
	else
		printf(" %12s", "-");
	putchar('\n');
}

/* "57 (18)": leads a rule alone disqualifies (of them converted), or "-". */
static void alone_cell(const struct diff_options *o, const struct rule_pair *pr, int k,
                       ls_backtest_hits *h)
{
	char cell[64];

	memset(h, 0, sizeof(*h));
	if (!pr->present[k]) {
		printf(" %16s", "-");
		return;
	}
	ls_backtest_rule(o->side[k].bt, pr->p[k], pr->r[k], h);
	snprintf(cell, sizeof(cell), "%llu (%llu)", (unsigned long long)h->alone,
	         (unsigned long long)h->alone_converted);
	printf(" %16s", cell);
}

static const char *verdict_or_none(const struct rule_pair *pr, int k, ls_verdict v)
{
	return !pr->present[k] ? "-" : v != LS_VERDICT_NONE ? verdict_text(v) : "none";
}

/* What each rule is responsible for under both: the leads it alone
 * disqualifies, and its verdict where either side has one. */
static void responsibility(const struct diff_options *o, const struct rule_pair *pairs,
                           size_t npairs)
{
	size_t i;

	printf("\n%-40s %16s %16s  %s\n", "disqualifies alone (converted)", "old", "new",
	       "verdict");
	for (i = 0; i < npairs; i++) {
		const struct rule_pair *pr = &pairs[i];
		ls_backtest_hits h[2];
		char name[256];
		int k;
		snprintf(name, sizeof(name), "%s/%s", pr->persona, pr->rule);
		printf("%-40s", name);
		for (k = 0; k < 2; k++)
			alone_cell(o, pr, k, &h[k]);
		if (h[0].verdict != h[1].verdict)
			printf("  %s -> %s", verdict_or_none(pr, 0, h[0].verdict),
			       verdict_or_none(pr, 1, h[1].verdict));
		else if (h[0].verdict != LS_VERDICT_NONE)
			printf("  %s", verdict_text(h[0].verdict));
		putchar('\n');
	}
}

static void side_by_side(const struct diff_options *o, const struct rule_pair *pairs,
                         size_t npairs)
{
	/* The confusion matrix's cells, [disqualified][converted]. */
	static const struct {
		const char *label;
		int disqualified, converted;
	} cells[] = {
		{"disqualified, converted", 1, 1},
		{"disqualified, not converted", 1, 0},
		{"kept, converted", 0, 1},
		{"kept, not converted", 0, 0},
	};
	ls_backtest_totals t[2];
	struct money m[2];
	size_t i;
	int k;

	for (k = 0; k < 2; k++)
		ls_backtest_get_totals(o->side[k].bt, &t[k]);
	printf("\nbacktest: converted when ");
	outcome_describe(&o->outcome, stdout);
	printf("\n%-28s %12s %12s %12s\n", "", "old", "new", "change");
	count_line("leads", t[0].leads, t[1].leads, requires(o->side));
	if (requires(o->side))
		count_line("not leads", t[0].not_leads, t[1].not_leads, true);
	count_line("converted", t[0].converted, t[1].converted, false);
	count_line("disqualified", t[0].disqualified, t[1].disqualified, true);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		count_line(cells[i].label, t[0].matrix[cells[i].disqualified][cells[i].converted],
		           t[1].matrix[cells[i].disqualified][cells[i].converted], true);
	if (o->outcome.value_name != NULL)
		money_line("missed value", t[0].missed_value, t[1].missed_value, true, true);
	if (o->outcome.has_cost) {
		for (k = 0; k < 2; k++)
			report_money(&o->outcome, &t[k], &m[k]);
		money_line("work saved", m[0].saved, m[1].saved, true, true);
		money_line("cost per acquisition, kept", m[0].cpa_kept, m[1].cpa_kept,
		           m[0].has_cpa_kept, m[1].has_cpa_kept);
	}
	responsibility(o, pairs, npairs);
}

static cJSON *json_string_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *json_report(const struct diff_options *o, const struct input *in,
                          const struct counts *n, const struct rule_pair *pairs, size_t npairs,
                          bool *nomem)
{
	static const char *const names[2] = {"old", "new"};
	cJSON *root = cJSON_CreateObject(), *list, *obj;
	size_t i;
	int k;

	json_add(root, "input", cJSON_CreateString(in->name), nomem);
	list = json_add(root, "rule_changes", cJSON_CreateArray(), nomem);
	for (i = 0; i < o->nchanges; i++) {
		const ls_rule_change *c = &o->changes[i];
		obj = json_add(list, NULL, cJSON_CreateObject(), nomem);
		json_add(obj, "kind", cJSON_CreateString(c->kind), nomem);
		json_add(obj, "persona", json_string_or_null(c->persona), nomem);
		json_add(obj, "id", json_string_or_null(c->id), nomem);
		json_add(obj, "field", json_string_or_null(c->field), nomem);
		json_add(obj, "old", json_string_or_null(c->old_value), nomem);
		json_add(obj, "new", json_string_or_null(c->new_value), nomem);
	}
	for (k = 0; k < 2; k++) {
		obj = json_add(root, names[k], cJSON_CreateObject(), nomem);
		json_add(obj, "fingerprint", cJSON_CreateString(ls_ruleset_fingerprint(o->side[k].rs)),
		         nomem);
		json_add(obj, "disqualified",
		         cJSON_CreateNumber((double)ls_engine_rows_disqualified(o->side[k].e)), nomem);
	}
	json_add(root, "leads", cJSON_CreateNumber((double)n->leads), nomem);
	json_add(root, "changed", cJSON_CreateNumber((double)n->changed), nomem);
	json_add(root, "newly_disqualified", cJSON_CreateNumber((double)n->newly_disqualified), nomem);
	json_add(root, "newly_kept", cJSON_CreateNumber((double)n->newly_kept), nomem);
	json_add(root, "score_up", cJSON_CreateNumber((double)n->score_up), nomem);
	json_add(root, "score_down", cJSON_CreateNumber((double)n->score_down), nomem);
	json_add(root, "reasons_only", cJSON_CreateNumber((double)n->reasons_only), nomem);
	json_add(root, "newly_not_leads", cJSON_CreateNumber((double)n->newly_not_leads), nomem);
	json_add(root, "newly_leads", cJSON_CreateNumber((double)n->newly_leads), nomem);
	json_add(root, "not_leads", cJSON_CreateNumber((double)n->not_leads), nomem);
	list = json_add(root, "rules", cJSON_CreateArray(), nomem);
	for (i = 0; i < npairs; i++) {
		obj = json_add(list, NULL, cJSON_CreateObject(), nomem);
		json_add(obj, "persona", cJSON_CreateString(pairs[i].persona), nomem);
		json_add(obj, "rule", cJSON_CreateString(pairs[i].rule), nomem);
		for (k = 0; k < 2; k++)
			json_add(obj, k ? "new_hits" : "old_hits",
			         pairs[i].present[k] ? cJSON_CreateNumber((double)pairs[i].hits[k])
			                             : cJSON_CreateNull(),
			         nomem);
	}
	if (o->outcome.given) {
		obj = json_add(root, "backtest", cJSON_CreateObject(), nomem);
		for (k = 0; k < 2; k++) {
			struct report rep = {o->side[k].rs, o->side[k].bt, &o->outcome, in->name, NULL, NULL};
			json_add(obj, names[k], report_json(&rep, nomem), nomem);
		}
	}
	if (root == NULL)
		*nomem = true;
	return root;
}

/* The input's encoding: --encoding, else the one the policies name; two
 * policies naming different ones must be told which. */
static int diff_encoding(const struct diff_options *o, const char **encoding)
{
	const char *old = input_encoding(&o->cl.common, o->side[0].rs);
	const char *new = input_encoding(&o->cl.common, o->side[1].rs);

	*encoding = old != NULL ? old : new;
	if (old != NULL && new != NULL && strcmp(old, new) != 0)
		return bad_usage("the old and new policies name different encodings (%s, %s); say "
		                 "which the input is in with --encoding",
		                 old, new);
	return EXIT_OK;
}

static int bind_side(struct diff_options *o, struct side *s, const struct input *in)
{
	int code = input_engine(in, s->rs, &s->e);

	if (code == EXIT_OK && o->outcome.given &&
	    ls_backtest_new(&s->bt, s->rs, 10 * LS_FIXED_ONE) != LS_OK)
		code = report_status(LS_ERR_NOMEM);
	return code;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_options o;
	struct input in = {0};
	struct changed_out out = {0};
	struct counts n = {0};
	struct rule_pair *pairs = NULL;
	const char *what = NULL, *encoding = NULL;
	char *json = NULL;
	size_t npairs = 0;
	bool nomem = false;
	int code, k;

	memset(&o, 0, sizeof(o));
	in.fd = -1;
	out.file.fd = -1;
	o.side[0].paths = calloc((size_t)argc + 1, sizeof(*o.side[0].paths));
	o.side[1].paths = calloc((size_t)argc + 1, sizeof(*o.side[1].paths));
	if (o.side[0].paths == NULL || o.side[1].paths == NULL) {
		code = report_status(LS_ERR_NOMEM);
		goto out;
	}
	code = parse_diff(argc, argv, &o);
	if (code != -1)
		goto out;
	for (k = 0, code = EXIT_OK; k < 2 && code == EXIT_OK; k++)
		code = load_rules(&o.cl.common, o.side[k].paths, o.side[k].npaths, &o.side[k].rs);
	if (code == EXIT_OK)
		code = diff_encoding(&o, &encoding);
	if (code == EXIT_OK)
		code = input_open_with_header(&in, o.cl.input, o.cl.common.delim, encoding,
		                              LS_DEFAULT_MAX_RECORD_BYTES);
	for (k = 0; k < 2 && code == EXIT_OK; k++)
		code = bind_side(&o, &o.side[k], &in);
	if (code == EXIT_OK && o.outcome.given)
		code = outcome_bind(&o.outcome, o.side[0].rs, &in);
	if (code == EXIT_OK && o.output != NULL)
		code = open_changed(&out, o.output, &in);
	if (code == EXIT_OK)
		code = run(&o, &in, &out, &n);
	if (code != EXIT_OK)
		goto out;
	pairs = pair_rules(o.side, &npairs);
	if (pairs == NULL ||
	    ls_ruleset_compare(o.side[0].rs, o.side[1].rs, &o.changes, &o.nchanges) != LS_OK) {
		code = report_status(LS_ERR_NOMEM);
		goto out;
	}
	/* The report is made before anything is written, so that nothing that
	 * can run out of memory is left after the first output. */
	if (o.json) {
		cJSON *tree = json_report(&o, &in, &n, pairs, npairs, &nomem);
		json = json_render(tree, nomem); /* after json_report has set nomem */
		if (json == NULL) {
			code = json_print(NULL);
			goto out;
		}
	}
	/* The report goes out first: the changed rows appear only if it did. */
	if (o.json) {
		code = json_print(json);
		json = NULL;
	} else {
		text_report(&o, &in, &n, pairs, npairs);
		if (o.outcome.given)
			side_by_side(&o, pairs, npairs);
	}
	code = finish_stdout(code);
	if (code == EXIT_OK && o.output != NULL && !outfile_commit(&out.file, &what))
		code = report_errno(what, o.output);
out:
	free(json);
	free(pairs);
	ls_rule_changes_free(o.changes, o.nchanges);
	outfile_abort(&out.file);
	ls_writer_free(out.w);
	ls_error_clear(&out.err);
	input_warn_encoding(&in);
	input_close(&in);
	for (k = 0; k < 2; k++) {
		ls_backtest_free(o.side[k].bt);
		ls_engine_free(o.side[k].e);
		ls_ruleset_free(o.side[k].rs);
		free(o.side[k].paths);
	}
	outcome_free(&o.outcome);
	command_line_free(&o.cl);
	return code;
}
