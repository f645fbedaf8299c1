/* SPDX-License-Identifier: MIT */
/* cmd_backtest.c - `leadsift backtest`: score historical leads whose
 * outcome is known and report what the rules would have cost. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json_out.h"
#include "outfile.h"
#include "report.h"

static const char backtest_usage[] =
	"Usage: leadsift backtest [OPTIONS] [-p PERSONAS] --outcome COLUMN[=VALUES] [FILE|-]\n"
	"Score historical leads whose outcome is known and report: leads, the base\n"
	"conversion rate, the disqualified share, disqualified x converted, missed\n"
	"opportunities (converted leads the rules would have disqualified, and their\n"
	"value), and per persona and rule: hits, their conversion rate and lift, the\n"
	"leads it alone disqualifies (kept were it removed), 95% Wilson intervals, and\n"
	"verdicts held to a 5% false discovery rate: costs good deals, dead weight,\n"
	"too few leads to tell.\n"
	"\n"
	"  -p, --personas PATH     persona file or directory (repeatable; default:\n"
	"                          $LEADSIFT_PERSONAS, else ./personas)\n"
	"      --outcome COLUMN[=VALUES]\n"
	"                          the column telling whether a lead converted, and the\n"
	"                          comma-separated values that mean it did (ignoring\n"
	"                          case; default 1,true,yes,y,won,closed won,converted);\n"
	"                          leads whose outcome cell is empty are left out\n"
	"      --lost VALUES       the values that mean not converted; any other\n"
	"                          (an open deal) is then unknown and left out too\n"
	"      --value COLUMN      each lead's value (deal amount), to total the value of\n"
	"                          missed opportunities\n"
	"      --cost-per-lead X   what working one lead costs: the work disqualified\n"
	"                          leads save, and the cost per acquisition working\n"
	"                          every lead against working only the kept ones\n"
	"      --json              write the report as JSON instead of text\n"
	"      --html FILE         also write the report as one self-contained HTML page\n"
	"                          with charts (written atomically)\n"
	"      --bin-width N       score distribution bins N points wide (default 10)\n"
	"      --by DATE_COLUMN    also report by period of each lead's date (read as\n"
	"                          rules read dates): leads, conversion, disqualified,\n"
	"                          missed opportunities, each rule's hits and lift\n"
	"      --period UNIT       month, quarter (default) or year\n"
	HELP_DELIMITER HELP_RULES HELP_HELP
	"\n"
	"Exit status: 0 reported; 2 usage or rule errors; 3 invalid input, a missing\n"
	"column, or no outcome cell that says converted; 4 I/O error.\n";

struct backtest_options {
	struct command_line cl;
	struct outcome outcome;
	struct periods periods;
	bool json;
	const char *html;
	ls_fixed bin_width;
};

enum { OPT_JSON = OPT_OUTCOME_END, OPT_HTML, OPT_BIN, OPT_BY, OPT_PERIOD };

static const struct option backtest_longs[] = {
	OUTCOME_LONG_OPTIONS,
	PERIODS_LONG_OPTIONS(OPT_BY),
	{"json", no_argument, NULL, OPT_JSON},
	{"html", required_argument, NULL, OPT_HTML},
	{"bin-width", required_argument, NULL, OPT_BIN},
	{NULL, 0, NULL, 0},
};

static int backtest_option(void *ctx, int c, const char *arg)
{
	struct backtest_options *o = ctx;
	bool given;
	int done;

	switch (c) {
	case OPT_JSON:
		o->json = true;
		return -1;
	case OPT_HTML:
		o->html = arg;
		return -1;
	case OPT_BY:
	case OPT_PERIOD:
		return periods_option(&o->periods, c - OPT_BY, arg);
	case OPT_BIN:
		done = parse_fixed_option("--bin-width", arg, &o->bin_width, &given);
		if (done == -1 && o->bin_width <= 0)
			done = bad_usage("--bin-width: must be above 0, got '%s'", arg);
		return done;
	default:
		return outcome_option(&o->outcome, c, arg);
	}
}

static const struct command_spec backtest_spec = {
	backtest_usage, TAKES_PERSONAS | TAKES_DELIMITER | TAKES_RULES | TAKES_INPUT, "",
	backtest_longs, backtest_option, NULL,
};

static int parse_backtest(int argc, char **argv, struct backtest_options *o)
{
	int done;

	o->bin_width = 10 * LS_FIXED_ONE;
	done = command_line_parse(&o->cl, &backtest_spec, o, argc, argv);
	if (done == -1 && !o->outcome.given)
		done = bad_usage("which column holds the outcome? use --outcome COLUMN[=VALUES]");
	if (done == -1)
		done = outcome_check(&o->outcome);
	return done == -1 ? periods_check(&o->periods) : done;
}

static bool write_html(FILE *f, const void *report)
{
	return report_html(report, f);
}

/* Scores every row of in into bt (and its period's); returns the exit code. */
static int run(struct backtest_options *o, const ls_ruleset *rs, ls_engine *e, ls_backtest *bt,
               struct input *in)
{
	struct outcome *oc = &o->outcome;
	ls_result res;
	ls_row row;
	bool converted, has_value;
	double value;
	int code = EXIT_OK;
	ls_status st;

	while ((st = input_next(in, &row, &code)) == LS_OK) {
		st = ls_engine_score(e, row.text, row.ncells, &res);
		/* A record that is not a lead has no outcome to read. */
		if (st == LS_OK &&
		    (res.not_lead || outcome_read(oc, &row, &converted, &has_value, &value))) {
			st = ls_backtest_add(bt, e, &res, converted, has_value, value);
			if (st == LS_OK)
				st = periods_add(&o->periods, rs, &row, e, &res, converted, has_value, value);
		}
		if (st != LS_OK)
			return report_status(st);
	}
	if (st != LS_DONE)
		return code;
	if ((code = outcome_finish(oc, in)) == EXIT_OK && (st = ls_backtest_finish(bt)) != LS_OK)
		code = report_status(st);
	return code == EXIT_OK ? periods_finish(&o->periods, in) : code;
}

int cmd_backtest(int argc, char **argv)
{
	struct backtest_options o;
	struct scoring sc = {0};
	struct outfile html = {NULL, NULL, -1};
	const char *what = NULL;
	struct report rep;
	ls_backtest *bt = NULL;
	char *json = NULL;
	bool nomem = false;
	int code;

	memset(&o, 0, sizeof(o));
	sc.in.fd = -1;
	code = parse_backtest(argc, argv, &o);
	if (code != -1)
		goto out;
	code = scoring_open(&sc, &o.cl);
	if (code == EXIT_OK && ls_backtest_new(&bt, sc.rs, o.bin_width) != LS_OK)
		code = report_status(LS_ERR_NOMEM);
	if (code == EXIT_OK)
		code = outcome_bind(&o.outcome, sc.rs, &sc.in);
	if (code == EXIT_OK)
		code = periods_bind(&o.periods, sc.rs, &sc.in);
	if (code == EXIT_OK)
		code = run(&o, sc.rs, sc.engine, bt, &sc.in);
	if (code != EXIT_OK)
		goto out;
	rep = (struct report){sc.rs, bt, &o.outcome, sc.in.name, NULL,
	                      o.periods.column_name != NULL ? &o.periods : NULL};
	/* The JSON is made first: once anything is written, nothing that can
	 * run out of memory is left. */
	if (o.json) {
		cJSON *tree = report_json(&rep, &nomem);
		json = json_render(tree, nomem); /* after report_json has set nomem */
		if (json == NULL) {
			code = json_print(NULL);
			goto out;
		}
	}
	/* The page is written, then the report goes out, and the page appears
	 * only if the report did. */
	if (o.html != NULL && !(outfile_open(&html, o.html, &what) &&
	                        outfile_print(&html, write_html, &rep, &what))) {
		code = report_errno(what, o.html);
		goto out;
	}
	if (o.json) {
		code = json_print(json);
		json = NULL;
	} else {
		report_text(&rep, stdout);
	}
	code = finish_stdout(code);
	if (code == EXIT_OK && o.html != NULL && !outfile_commit(&html, &what))
		code = report_errno(what, o.html);
out:
	outfile_abort(&html);
	free(json);
	ls_backtest_free(bt);
	periods_free(&o.periods);
	scoring_close(&sc);
	outcome_free(&o.outcome);
	command_line_free(&o.cl);
	return code;
}
