/* SPDX-License-Identifier: MIT */
/* cmd_explain.c - `leadsift explain`: why a lead got its score, rule by
 * rule and condition by condition, as text or JSON. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "input.h"
#include "json_out.h"
#include "messages.h"

static const char explain_usage[] =
	"Usage: leadsift explain [OPTIONS] [-p PERSONAS] (--row N | --where FIELD=VALUE) [FILE|-]\n"
	"Score the selected leads and show, for each, every rule with every condition:\n"
	"the field, the column it was bound to, the cell, how the cell was read (text,\n"
	"number, band lower bound, date, empty, not a number, not a date), the operator\n"
	"and value, and whether it held; then the deductions with caps, the threshold\n"
	"and the verdict.\n"
	"\n"
	"  -p, --personas PATH     persona file or directory (repeatable; default:\n"
	"                          $LEADSIFT_PERSONAS, else ./personas)\n"
	"  -r, --row N             the Nth lead, as the scored output lists them (the\n"
	"                          header, empty records and records that are not\n"
	"                          leads are not counted) (repeatable)\n"
	"  -w, --where FIELD=VALUE records whose FIELD (a column, found as rule fields\n"
	"                          are) is VALUE, ignoring case and surrounding blanks;\n"
	"                          one that is not a lead is shown with why (repeatable;\n"
	"                          a record is shown if any selector matches)\n"
	"      --json              write a JSON array of explanations instead of text\n"
	HELP_DELIMITER HELP_RULES HELP_HELP
	"\n"
	"Exit status: 0 shown; 2 usage or rule errors; 3 invalid input, or no lead\n"
	"selected (a --row past the end, a --where nothing matches); 4 I/O error.\n";

struct where {
	const char *field;
	const char *value;
	size_t column;
	bool used;
};

struct explain_options {
	struct command_line cl;
	uint64_t *rows;
	size_t nrows;
	struct where *wheres;
	size_t nwheres;
	bool json;
};

enum { OPT_JSON = OPT_OWN };

static const struct option explain_longs[] = {
	{"row", required_argument, NULL, 'r'},
	{"where", required_argument, NULL, 'w'},
	{"json", no_argument, NULL, OPT_JSON},
	{NULL, 0, NULL, 0},
};

/* --where FIELD=VALUE; the value is compared with trimmed cells, so it is
 * trimmed too. */
static int add_where(struct explain_options *o, char *arg)
{
	char *eq = strchr(arg, '='), *value;
	ls_cell trimmed;

	if (eq == NULL || eq == arg)
		return bad_usage("--where: expected FIELD=VALUE, got '%s'", arg);
	*eq = '\0';
	value = eq + 1;
	trimmed = ls_cell_trim((ls_cell){value, strlen(value)});
	value += trimmed.ptr - value;
	value[trimmed.len] = '\0';
	o->wheres[o->nwheres].field = arg;
	o->wheres[o->nwheres].value = value;
	o->nwheres++;
	return -1;
}

static int explain_option(void *ctx, int c, const char *arg)
{
	struct explain_options *o = ctx;
	int done;

	switch (c) {
	case 'r':
		done = parse_count_option("--row", arg, &o->rows[o->nrows]);
		if (done == -1 && o->rows[o->nrows] == 0)
			done = bad_usage("--row: rows count from 1 (the first lead after the header)");
		o->nrows++;
		return done;
	case 'w':
		return add_where(o, optarg); /* argv's own text, to cut up */
	default: /* OPT_JSON */
		o->json = true;
		return -1;
	}
}

static const struct command_spec explain_spec = {
	explain_usage, TAKES_PERSONAS | TAKES_DELIMITER | TAKES_RULES | TAKES_INPUT, "r:w:",
	explain_longs, explain_option, NULL,
};

static int parse_explain(int argc, char **argv, struct explain_options *o)
{
	int done = command_line_parse(&o->cl, &explain_spec, o, argc, argv);

	if (done == -1 && o->nrows == 0 && o->nwheres == 0)
		done = bad_usage("which leads? use --row N or --where FIELD=VALUE");
	return done;
}

/* ---- Text ------------------------------------------------------------ */

/* A cell in double quotes, with quotes, backslashes and control bytes escaped. */
static void put_quoted(const char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void put_reading(const ls_trace_node *t)
{
	char num[LS_DATE_BUFSIZE];

	fputs(ls_read_as_name(t->read), stdout);
	if (t->read == LS_READ_NUMBER || t->read == LS_READ_BAND)
		printf(" %.17g", t->number);
	if (t->read == LS_READ_DATE) {
		ls_date_format(t->day, num);
		printf(" %s", num);
	}
}

static void text_nodes(const ls_trace_rule *r, unsigned indent)
{
	static const char *const group[] = {"all", "any", "not"};
	size_t i;

	for (i = 0; i < r->nnodes; i++) {
		const ls_trace_node *t = &r->nodes[i];
		printf("%*s", (int)(indent + 2 * t->depth), "");
		if (t->kind != LS_NODE_LEAF) {
			printf("%s: %s\n", group[t->kind], t->result ? "true" : "false");
			continue;
		}
		printf("%s: column ", t->field);
		put_quoted(t->column, strlen(t->column));
		if (t->lookup != NULL && t->lookup_line > 0)
			printf(" of lookup %s (line %lu)", t->lookup, t->lookup_line);
		else if (t->lookup != NULL)
			printf(" of lookup %s (no row)", t->lookup);
		fputs(" = ", stdout);
		put_quoted(t->cell.ptr, t->cell.len);
		fputs(", read as ", stdout);
		put_reading(t);
		printf("; %s%s%s%s: %s\n", t->op, t->value ? " " : "", t->value ? t->value : "",
		       t->case_sensitive ? " (case-sensitive)" : "", t->result ? "true" : "false");
	}
}

static void text_verdict(const ls_explanation *x)
{
	char num[LS_FIXED_BUFSIZE];
	const char *why_disq = NULL;
	size_t p, r;
	bool rule_disq = false, any = false;

	ls_fixed_format(x->base, num);
	printf("score: %s", num);
	for (p = 0; p < x->npersonas; p++) {
		if (x->personas[p].deducted == 0)
			continue;
		ls_fixed_format(x->personas[p].deducted, num);
		printf(" - %s (%s)", num, x->personas[p].id);
		any = true;
	}
	ls_fixed_format(x->result.score, num);
	printf(" = %s%s\n", num, any ? "" : " (nothing deducted)");
	ls_fixed_format(x->threshold, num);
	printf("threshold: %s (the score is %s it)\n", num,
	       x->below_threshold ? "below" : "not below");
	for (p = 0; p < x->npersonas; p++)
		for (r = 0; r < x->personas[p].nrules; r++)
			rule_disq |= x->personas[p].rules[r].matched && x->personas[p].rules[r].disqualify;
	if (rule_disq && x->below_threshold)
		why_disq = "a disqualifying rule matched and the score is below the threshold";
	else if (rule_disq)
		why_disq = "a disqualifying rule matched";
	else if (x->below_threshold)
		why_disq = "the score is below the threshold";
	if (x->result.allowed && why_disq != NULL)
		printf("verdict: kept by the allow-list (without it: disqualified, %s)\n", why_disq);
	else if (x->result.allowed)
		printf("verdict: kept (an allow-list entry matched too)\n");
	else if (why_disq != NULL)
		printf("verdict: disqualified: %s\n", why_disq);
	else
		printf("verdict: kept\n");
	fputs("reasons: ", stdout);
	fwrite(x->result.reasons, 1, x->result.reasons_len, stdout);
	putchar('\n');
}

static void text_explanation(const ls_explanation *x, uint64_t row, unsigned long line,
                             const char *input, bool first)
{
	char num[LS_FIXED_BUFSIZE], cap[LS_FIXED_BUFSIZE];
	char action[RULE_ACTION_SIZE];
	size_t p, r;

	if (x->result.not_lead)
		printf("%snot a lead (line %lu of %s)\n", first ? "" : "\n", line, input);
	else
		printf("%slead %llu (line %lu of %s)\n", first ? "" : "\n", (unsigned long long)row,
		       line, input);
	if (x->require != NULL) {
		printf("\npolicy require: %s\n", x->require->matched ? "holds" : "FAILS");
		text_nodes(x->require, 2);
	}
	for (p = 0; p < x->nlookups; p++) {
		const ls_trace_lookup *lk = &x->lookups[p];
		printf("%slookup %s: ", p == 0 ? "\n" : "", lk->name);
		if (lk->key.len == 0) {
			printf("no key, so no row of %s (its fields read empty)\n", lk->file);
			continue;
		}
		put_quoted(lk->key.ptr, lk->key.len);
		if (lk->line > 0)
			printf(" is the row at line %lu of %s\n", lk->line, lk->file);
		else
			printf(" has no row in %s (its fields read empty)\n", lk->file);
	}
	if (x->result.not_lead) {
		printf("\nverdict: not a lead, not scored\nreasons: %s\n", x->result.reasons);
		return;
	}
	for (p = 0; p < x->npersonas; p++) {
		const ls_trace_persona *tp = &x->personas[p];
		printf("\npersona %s\n", tp->id);
		for (r = 0; r < tp->nrules; r++) {
			const ls_trace_rule *tr = &tp->rules[r];
			rule_action(tr->deduct, tr->disqualify, action);
			printf("  rule %s (%s): %s\n", tr->id, action, tr->matched ? "MATCHED" : "no match");
			text_nodes(tr, 4);
		}
		ls_fixed_format(tp->deducted, num);
		ls_fixed_format(tp->max_deduct, cap);
		if (tp->capped && tp->matched_sum > tp->max_deduct) {
			char sum[LS_FIXED_BUFSIZE];
			ls_fixed_format(tp->matched_sum, sum);
			printf("  deducted %s (matched rules add up to %s, capped at %s)\n", num, sum, cap);
		} else {
			printf("  deducted %s%s%s%s\n", num, tp->capped ? " (at most " : "",
			       tp->capped ? cap : "", tp->capped ? ")" : "");
		}
	}
	for (r = 0; r < x->nallow; r++) {
		const ls_trace_rule *tr = &x->allow[r];
		if (r == 0)
			printf("\nallow-list\n");
		printf("  entry %s (%s): %s\n", tr->id, tr->active ? "active" : "expired, ignored",
		       tr->matched ? "MATCHED" : "no match");
		text_nodes(tr, 4);
	}
	putchar('\n');
	text_verdict(x);
}

/* ---- JSON ------------------------------------------------------------- */

static cJSON *json_node(const ls_trace_rule *r, size_t *i, bool *nomem)
{
	static const char *const group[] = {"all", "any", "not"};
	const ls_trace_node *t = &r->nodes[(*i)++];
	cJSON *obj = cJSON_CreateObject(), *kids;
	char date[LS_DATE_BUFSIZE];

	if (obj == NULL) {
		*nomem = true;
		return NULL;
	}
	if (t->kind != LS_NODE_LEAF) {
		kids = t->kind == LS_NODE_NOT ? NULL : json_add(obj, group[t->kind],
		                                                cJSON_CreateArray(), nomem);
		while (*i < r->nnodes && r->nodes[*i].depth > t->depth) {
			cJSON *kid = json_node(r, i, nomem);
			if (t->kind == LS_NODE_NOT)
				json_add(obj, "not", kid, nomem);
			else
				json_add(kids, NULL, kid, nomem);
		}
	} else {
		json_add(obj, "field", cJSON_CreateString(t->field), nomem);
		json_add(obj, "column", json_cell(t->column, strlen(t->column)), nomem);
		if (t->lookup != NULL) {
			json_add(obj, "lookup", cJSON_CreateString(t->lookup), nomem);
			json_add(obj, "lookup_line", t->lookup_line > 0
			                                     ? cJSON_CreateNumber((double)t->lookup_line)
			                                     : cJSON_CreateNull(), nomem);
		}
		json_add(obj, "cell", json_cell(t->cell.ptr, t->cell.len), nomem);
		json_add(obj, "read", cJSON_CreateString(ls_read_as_name(t->read)), nomem);
		if (t->read == LS_READ_NUMBER || t->read == LS_READ_BAND)
			json_add(obj, "number", cJSON_CreateNumber(t->number), nomem);
		if (t->read == LS_READ_DATE) {
			ls_date_format(t->day, date);
			json_add(obj, "date", cJSON_CreateString(date), nomem);
		}
		json_add(obj, "op", cJSON_CreateString(t->op), nomem);
		if (t->value != NULL)
			json_add(obj, "value", cJSON_CreateRaw(t->value), nomem);
		if (t->case_sensitive)
			json_add(obj, "case_sensitive", cJSON_CreateTrue(), nomem);
	}
	json_add(obj, "result", cJSON_CreateBool(t->result), nomem);
	return obj;
}

static cJSON *json_rule(const ls_trace_rule *tr, bool allow, bool *nomem)
{
	cJSON *obj = cJSON_CreateObject();
	size_t i = 0;

	json_add(obj, "id", cJSON_CreateString(tr->id), nomem);
	json_add(obj, "reason", cJSON_CreateString(tr->reason), nomem);
	if (allow) {
		json_add(obj, "active", cJSON_CreateBool(tr->active), nomem);
	} else {
		json_add(obj, "deduct", json_fixed(tr->deduct), nomem);
		json_add(obj, "disqualify", cJSON_CreateBool(tr->disqualify), nomem);
	}
	json_add(obj, "matched", cJSON_CreateBool(tr->matched), nomem);
	json_add(obj, "when", json_node(tr, &i, nomem), nomem);
	if (obj == NULL)
		*nomem = true;
	return obj;
}

/* The policy's require: whether it holds, and its condition traced. */
static cJSON *json_require(const ls_trace_rule *tr, bool *nomem)
{
	cJSON *obj = cJSON_CreateObject();
	size_t i = 0;

	json_add(obj, "holds", cJSON_CreateBool(tr->matched), nomem);
	json_add(obj, "when", json_node(tr, &i, nomem), nomem);
	if (obj == NULL)
		*nomem = true;
	return obj;
}

static cJSON *json_explanation(const ls_explanation *x, uint64_t row, unsigned long line,
                               bool *nomem)
{
	cJSON *obj = cJSON_CreateObject(), *list, *rules;
	size_t p, r;

	bool lead = !x->result.not_lead;

	json_add(obj, "row", lead ? cJSON_CreateNumber((double)row) : cJSON_CreateNull(), nomem);
	json_add(obj, "line", cJSON_CreateNumber((double)line), nomem);
	json_add(obj, "lead", cJSON_CreateBool(lead), nomem);
	json_add(obj, "score", lead ? json_fixed(x->result.score) : cJSON_CreateNull(), nomem);
	json_add(obj, "disqualified", lead ? cJSON_CreateBool(x->result.disqualified)
	                                   : cJSON_CreateNull(), nomem);
	json_add(obj, "allowed", cJSON_CreateBool(x->result.allowed), nomem);
	json_add(obj, "reasons", json_cell(x->result.reasons, x->result.reasons_len), nomem);
	json_add(obj, "base", json_fixed(x->base), nomem);
	json_add(obj, "threshold", json_fixed(x->threshold), nomem);
	json_add(obj, "below_threshold", cJSON_CreateBool(x->below_threshold), nomem);
	if (x->require != NULL)
		json_add(obj, "require", json_require(x->require, nomem), nomem);
	if (x->nlookups > 0) {
		list = json_add(obj, "lookups", cJSON_CreateArray(), nomem);
		for (p = 0; p < x->nlookups; p++) {
			cJSON *lo = json_add(list, NULL, cJSON_CreateObject(), nomem);
			json_add(lo, "name", cJSON_CreateString(x->lookups[p].name), nomem);
			json_add(lo, "file", cJSON_CreateString(x->lookups[p].file), nomem);
			json_add(lo, "key", json_cell(x->lookups[p].key.ptr, x->lookups[p].key.len), nomem);
			json_add(lo, "line", x->lookups[p].line > 0
			                             ? cJSON_CreateNumber((double)x->lookups[p].line)
			                             : cJSON_CreateNull(), nomem);
		}
	}
	list = json_add(obj, "personas", cJSON_CreateArray(), nomem);
	for (p = 0; p < x->npersonas; p++) {
		const ls_trace_persona *tp = &x->personas[p];
		cJSON *po = json_add(list, NULL, cJSON_CreateObject(), nomem);
		json_add(po, "id", cJSON_CreateString(tp->id), nomem);
		json_add(po, "matched_sum", json_fixed(tp->matched_sum), nomem);
		json_add(po, "deducted", json_fixed(tp->deducted), nomem);
		json_add(po, "max_deduct", tp->capped ? json_fixed(tp->max_deduct) : cJSON_CreateNull(),
		         nomem);
		rules = json_add(po, "rules", cJSON_CreateArray(), nomem);
		for (r = 0; r < tp->nrules; r++)
			json_add(rules, NULL, json_rule(&tp->rules[r], false, nomem), nomem);
	}
	list = json_add(obj, "allow", cJSON_CreateArray(), nomem);
	for (r = 0; r < x->nallow; r++)
		json_add(list, NULL, json_rule(&x->allow[r], true, nomem), nomem);
	if (obj == NULL)
		*nomem = true;
	return obj;
}

/* ---- Selecting rows ------------------------------------------------------- */

static bool selected(struct explain_options *o, uint64_t row, const ls_row *r)
{
	bool hit = false;
	size_t i;

	for (i = 0; i < o->nrows; i++)
		hit |= o->rows[i] == row;
	for (i = 0; i < o->nwheres; i++) {
		if (ls_cell_is(r->text[o->wheres[i].column], o->wheres[i].value)) {
			o->wheres[i].used = true;
			hit = true;
		}
	}
	return hit;
}

static int bind_wheres(struct explain_options *o, const ls_ruleset *rs, const struct input *in)
{
	size_t i;

	for (i = 0; i < o->nwheres; i++) {
		ls_status st = ls_ruleset_find_column(rs, o->wheres[i].field, ls_row_text(&in->header),
		                                      in->header.ncells, &o->wheres[i].column);
		if (st != LS_OK) {
			fprintf(stderr, "leadsift: %s: --where: %s column \"%s\" in the header\n", in->name,
			        st == LS_DONE ? "no" : "more than one", o->wheres[i].field);
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

/* Scores the input, explaining the selected rows; returns the exit code. */
static int explain_rows(struct explain_options *o, ls_engine *e, struct input *in, cJSON *out,
                        bool *nomem)
{
	uint64_t row = 0, last = 0, shown = 0;
	ls_explanation *x = NULL;
	ls_result res;
	ls_row r;
	size_t i;
	int code = EXIT_OK;
	ls_status st;

	for (i = 0; i < o->nrows; i++)
		last = o->rows[i] > last ? o->rows[i] : last;
	while ((st = input_next(in, &r, &code)) == LS_OK) {
		/* --row counts leads, as the scored output lists them; --where
		 * finds a record that is not a lead too, to say why. */
		st = ls_engine_score(e, r.text, r.ncells, &res);
		if (st != LS_OK)
			return report_status(st);
		row += !res.not_lead;
		if (!selected(o, res.not_lead ? 0 : row, &r)) {
			/* Only --row selectors: no need to read past the last one. */
			if (o->nwheres == 0 && row >= last)
				break;
			continue;
		}
		st = ls_engine_explain(e, r.text, r.ncells, &x);
		if (st != LS_OK)
			return report_status(st);
		if (o->json)
			json_add(out, NULL, json_explanation(x, row, r.line, nomem), nomem);
		else
			text_explanation(x, row, r.line, in->name, shown == 0);
		ls_explanation_free(x);
		shown++;
	}
	if (st != LS_OK && st != LS_DONE)
		return code;
	for (i = 0; i < o->nrows; i++) {
		if (o->rows[i] > row) {
			fprintf(stderr, "leadsift: %s: --row %llu: the input has %llu lead%s\n", in->name,
			        (unsigned long long)o->rows[i], (unsigned long long)row, row == 1 ? "" : "s");
			code = EXIT_INPUT;
		}
	}
	for (i = 0; i < o->nwheres; i++) {
		if (!o->wheres[i].used) {
			fprintf(stderr, "leadsift: %s: --where: no lead has %s = \"%s\"\n", in->name,
			        o->wheres[i].field, o->wheres[i].value);
			code = EXIT_INPUT;
		}
	}
	return code;
}

int cmd_explain(int argc, char **argv)
{
	struct explain_options o;
	struct scoring sc = {0};
	cJSON *out = NULL;
	bool nomem = false;
	int code;

	memset(&o, 0, sizeof(o));
	sc.in.fd = -1;
	o.rows = calloc((size_t)argc, sizeof(*o.rows));
	o.wheres = calloc((size_t)argc, sizeof(*o.wheres));
	if (o.rows == NULL || o.wheres == NULL) {
		code = report_status(LS_ERR_NOMEM);
		goto out;
	}
	code = parse_explain(argc, argv, &o);
	if (code != -1)
		goto out;
	code = scoring_open(&sc, &o.cl);
	if (code == EXIT_OK)
		code = bind_wheres(&o, sc.rs, &sc.in);
	if (code != EXIT_OK)
		goto out;
	if (o.json)
		out = cJSON_CreateArray();
	code = explain_rows(&o, sc.engine, &sc.in, out, &nomem);
	if (o.json && code == EXIT_OK) {
		code = json_print(json_render(out, nomem));
		out = NULL;
	}
	code = finish_stdout(code);
out:
	cJSON_Delete(out);
	scoring_close(&sc);
	command_line_free(&o.cl);
	free(o.rows);
	free(o.wheres);
	return code;
}
