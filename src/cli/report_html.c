/* SPDX-License-Identifier: MIT */
/* report_html.c - the backtest report as one self-contained page: inline
 * style, inline SVG charts, no script, nothing fetched. Written as XHTML-
 * compatible HTML so that any XML parser can check it, and every figure
 * carries data-key and data-value attributes that tests compare with the
 * JSON report. */
#include <errno.h>
#include <string.h>

#include "report.h"

void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void count_cell(FILE *f, const char *key, uint64_t n)
{
	fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"%llu\">%llu</td>", key,
	        (unsigned long long)n, (unsigned long long)n);
}

static void rate_cell(FILE *f, const char *key, double v)
{
	fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"%.17g\">%.2f%%</td>", key, v,
	        100 * v);
}

/* A lift, red where the rule costs good deals. */
static void lift_cell(FILE *f, const char *key, const ls_backtest_hits *h)
{
	if (!h->has_lift) {
		fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"null\">-</td>", key);
		return;
	}
	fprintf(f, "<td class=\"n%s\" data-key=\"%s\" data-value=\"%.17g\">%.2f</td>",
	        h->verdict == LS_VERDICT_COSTLY ? " costly" : "", key, h->lift, h->lift);
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:84em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.costly td,td.costly{color:#b00020}tr.persona td{font-weight:600}"
	".wide{overflow-x:auto}@page{size:A3 landscape;margin:1cm}"
	"@media print{.wide{overflow:visible}}.note{color:#555}svg text{font:11px system-ui,sans-serif;fill:#333}";

static void amount_cell(FILE *f, const char *key, double v, bool has)
{
	if (has)
		fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"%.17g\">%.2f</td>", key, v, v);
	else
		fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"null\">-</td>", key);
}

static void money_rows(FILE *f, const struct outcome *o, const ls_backtest_totals *t)
{
	struct money m;

	report_money(o, t, &m);
	fputs("<tr><th>cost per lead worked</th>", f);
	amount_cell(f, "money.cost_per_lead", o->cost_per_lead, true);
	fputs("</tr>\n<tr><th>leads not worked (disqualified)</th>", f);
	count_cell(f, "money.not_worked", m.not_worked);
	fputs("</tr>\n<tr><th>work saved</th>", f);
	amount_cell(f, "money.saved", m.saved, true);
	fputs("</tr>\n<tr><th>cost per acquisition, every lead worked</th>", f);
	amount_cell(f, "money.cost_per_acquisition_all", m.cpa_all, m.has_cpa_all);
	fputs("</tr>\n<tr><th>cost per acquisition, kept leads worked</th>", f);
	amount_cell(f, "money.cost_per_acquisition_kept", m.cpa_kept, m.has_cpa_kept);
	fputs("</tr>\n", f);
}

static void summary(FILE *f, const struct report *r, const ls_backtest_totals *t)
{
	double base = t->base_rate;
	double disq = t->leads ? (double)t->disqualified / (double)t->leads : 0;
	double missed = report_missed_share(t);

	fputs("<h2>Summary</h2>\n<table>\n", f);
	fputs("<tr><th>leads</th>", f);
	count_cell(f, "leads", t->leads);
	fputs(r->outcome->lost != NULL
	          ? "</tr>\n<tr><th>left out (empty outcome, or neither converted nor lost)</th>"
	          : "</tr>\n<tr><th>left out (empty outcome)</th>",
	      f);
	count_cell(f, "left_out", r->outcome->unknown + r->outcome->open);
	if (ls_ruleset_require(r->rs) != NULL) {
		fputs("</tr>\n<tr><th>not leads (failing the policy's require)</th>", f);
		count_cell(f, "not_leads", t->not_leads);
	}
	fputs("</tr>\n<tr><th>converted</th>", f);
	count_cell(f, "converted", t->converted);
	fputs("</tr>\n<tr><th>base conversion rate</th>", f);
	rate_cell(f, "base_rate", base);
	fputs("</tr>\n<tr><th>disqualified</th>", f);
	count_cell(f, "disqualified", t->disqualified);
	fputs("</tr>\n<tr><th>disqualified share</th>", f);
	rate_cell(f, "disqualified_share", disq);
	fputs("</tr>\n<tr><th>missed opportunities (converted, disqualified)</th>", f);
	count_cell(f, "missed.leads", t->matrix[1][1]);
	fputs("</tr>\n<tr><th>share of conversions missed</th>", f);
	rate_cell(f, "missed.share_of_converted", missed);
	fputs("</tr>\n", f);
	if (r->outcome->value_name != NULL) {
		fprintf(f, "<tr><th>value of missed opportunities</th><td class=\"n\" "
		           "data-key=\"missed.value\" data-value=\"%.17g\">%.2f</td></tr>\n",
		        t->missed_value, t->missed_value);
		fprintf(f, "<tr><th>value of all conversions</th><td class=\"n\" "
		           "data-key=\"converted_value\" data-value=\"%.17g\">%.2f</td></tr>\n",
		        t->converted_value, t->converted_value);
	}
	if (r->outcome->has_cost)
		money_rows(f, r->outcome, t);
	fputs("</table>\n<h2>Disqualified by converted</h2>\n<table>\n"
	      "<tr><th></th><th>converted</th><th>not converted</th></tr>\n<tr><th>disqualified</th>",
	      f);
	count_cell(f, "matrix.disqualified_converted", t->matrix[1][1]);
	count_cell(f, "matrix.disqualified_not_converted", t->matrix[1][0]);
	fputs("</tr>\n<tr><th>kept</th>", f);
	count_cell(f, "matrix.kept_converted", t->matrix[0][1]);
	count_cell(f, "matrix.kept_not_converted", t->matrix[0][0]);
	fputs("</tr>\n</table>\n", f);
}

/* An interval's cell: data-value "low high", shown as "low-high" in
 * percent (scale 100) or as is; "-" when there is none. */
static void interval_cell(FILE *f, const char *key, double scale, double low, double high,
                          bool has)
{
	if (!has) {
		fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"null\">-</td>", key);
		return;
	}
	fprintf(f, "<td class=\"n\" data-key=\"%s\" data-value=\"%.17g %.17g\">", key, low, high);
	fprintf(f, scale == 100 ? "%.1f&#8211;%.1f%%</td>" : "%.2f&#8211;%.2f</td>", scale * low,
	        scale * high);
}

/* What the rule does, or the persona's cap: "deduct 15", "disqualify",
 * "at most 40". */
static void action_cell(FILE *f, const char *key, const ls_ruleset *rs, size_t p, size_t k,
                        bool persona)
{
	char text[RULE_ACTION_SIZE], num[LS_FIXED_BUFSIZE];

	if (persona) {
		ls_persona_info pi;
		ls_ruleset_persona_info(rs, p, &pi);
		ls_fixed_format(pi.max_deduct, num);
		fprintf(f, "<td data-key=\"%s.max_deduct\" data-value=\"%s\">%s%s</td>", key,
		        pi.capped ? num : "null", pi.capped ? "at most " : "", pi.capped ? num : "");
	} else {
		ls_rule_info ri;
		ls_ruleset_rule_info(rs, p, k, &ri);
		ls_fixed_format(ri.deduct, num);
		rule_action(ri.deduct, ri.disqualify, text);
		fprintf(f, "<td data-key=\"%s.deduct\" data-value=\"%s\" data-disqualify=\"%s\">%s</td>",
		        key, num, ri.disqualify ? "true" : "false", text);
	}
}

static void hits_row(FILE *f, const char *key, const struct report *r, size_t p, size_t rule,
                     bool persona, const ls_backtest_hits *h)
{
	char k[512];

	fprintf(f, "<tr class=\"%s%s\"><td>%s", persona ? "persona" : "rule",
	        h->verdict == LS_VERDICT_COSTLY ? " costly" : "", persona ? "" : "&#160;&#160;");
	html_escape(f, persona ? ls_ruleset_persona_id(r->rs, p) : ls_ruleset_rule_id(r->rs, p, rule));
	fputs("</td>", f);
	action_cell(f, key, r->rs, p, rule, persona);
	snprintf(k, sizeof(k), "%s.hits", key);
	count_cell(f, k, h->hits);
	snprintf(k, sizeof(k), "%s.converted", key);
	count_cell(f, k, h->converted);
	snprintf(k, sizeof(k), "%s.rate", key);
	rate_cell(f, k, h->rate);
	snprintf(k, sizeof(k), "%s.lift", key);
	lift_cell(f, k, h);
	snprintf(k, sizeof(k), "%s.lift_interval", key);
	interval_cell(f, k, 1, h->lift_low, h->lift_high, h->has_lift);
	snprintf(k, sizeof(k), "%s.alone", key);
	count_cell(f, k, h->alone);
	snprintf(k, sizeof(k), "%s.alone_converted", key);
	count_cell(f, k, h->alone_converted);
	snprintf(k, sizeof(k), "%s.alone_rate", key);
	rate_cell(f, k, h->alone_rate);
	snprintf(k, sizeof(k), "%s.alone_interval", key);
	interval_cell(f, k, 100, h->alone_low, h->alone_high, h->alone > 0);
	if (h->tested && h->q_value < 0.001)
		fprintf(f, "<td class=\"n\" data-key=\"%s.q_value\" data-value=\"%.17g\">&lt;0.001</td>",
		        key, h->q_value);
	else if (h->tested)
		fprintf(f, "<td class=\"n\" data-key=\"%s.q_value\" data-value=\"%.17g\">%.3f</td>", key,
		        h->q_value, h->q_value);
	else
		fprintf(f, "<td class=\"n\" data-key=\"%s.q_value\" data-value=\"null\">-</td>", key);
	fprintf(f, "<td data-key=\"%s.verdict\" data-value=\"%s\">%s</td></tr>\n", key,
	        verdict_key(h->verdict) ? verdict_key(h->verdict) : "null",
	        verdict_text(h->verdict));
}

static void hits_table(FILE *f, const struct report *r)
{
	const ls_ruleset *rs = r->rs;
	ls_backtest_hits h;
	char key[64];
	size_t p, k;

	fputs("<h2>Personas and rules</h2>\n<p class=\"note\">Lift is the conversion rate of the "
	      "leads a rule hits divided by the base rate. The leads a rule disqualifies alone (from "
	      "the column headed alone on) are those removing it would keep, caps, threshold and "
	      "allow-list as they are; a rule whose leads of that kind convert above the base rate costs good deals. A rule whose "
	      "hits convert below it but that disqualifies no lead alone is dead weight. Intervals "
	      "are 95% Wilson score intervals; q is the score test's p-value adjusted over every "
	      "rule and persona tested (Benjamini-Hochberg), a verdict needing q &#8804; 0.05; with "
	      "fewer than 5 conversions or 5 others expected at the base rate there are too few "
	      "leads to tell.</p>\n"
	      "<div class=\"wide\"><table>\n<tr><th>persona / rule</th><th>does</th><th>hits</th>"
	      "<th>converted</th><th>rate</th><th>lift</th><th>lift 95%</th><th>alone</th>"
	      "<th>converted</th><th>rate</th><th>rate 95%</th><th>q</th><th>verdict</th></tr>\n",
	      f);
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(r->bt, p, &h);
		snprintf(key, sizeof(key), "personas[%zu]", p);
		hits_row(f, key, r, p, 0, true, &h);
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			ls_backtest_rule(r->bt, p, k, &h);
			snprintf(key, sizeof(key), "personas[%zu].rules[%zu]", p, k);
			hits_row(f, key, r, p, k, false, &h);
		}
	}
	fputs("</table></div>\n", f);
}

/* --by: the totals per period, each rule's lift per period, the chart. */
static void periods_section(FILE *f, const struct report *r)
{
	const struct periods *per = r->periods;
	const ls_ruleset *rs = r->rs;
	char label[32], key[128];
	size_t i, p, k;

	fprintf(f, "<h2>By %s of <code>", period_unit_name(per->unit));
	html_escape(f, per->column_name);
	fputs("</code></h2>\n<p class=\"note\">Leads without a date: ", f);
	count_cell(f, "periods.undated", per->undated);
	fputs("; not a date: ", f);
	count_cell(f, "periods.not_dates", per->not_dates);
	fputs(".</p>\n<table>\n<tr><th>period</th><th>leads</th><th>converted</th><th>rate</th>"
	      "<th>disqualified</th><th>missed</th></tr>\n", f);
	for (i = 0; i < per->n; i++) {
		ls_backtest_totals t;
		ls_backtest_get_totals(per->list[i].bt, &t);
		period_label(per->unit, per->list[i].key, label);
		fprintf(f, "<tr><td>%s</td>", label);
		snprintf(key, sizeof(key), "periods.list[%zu].leads", i);
		count_cell(f, key, t.leads);
		snprintf(key, sizeof(key), "periods.list[%zu].converted", i);
		count_cell(f, key, t.converted);
		snprintf(key, sizeof(key), "periods.list[%zu].base_rate", i);
		rate_cell(f, key, t.base_rate);
		snprintf(key, sizeof(key), "periods.list[%zu].disqualified", i);
		count_cell(f, key, t.disqualified);
		snprintf(key, sizeof(key), "periods.list[%zu].missed", i);
		count_cell(f, key, t.matrix[1][1]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	svg_period_chart(f, per);
	fputs("<h2>Lift per rule and period</h2>\n<table>\n<tr><th>persona / rule</th>", f);
	for (i = 0; i < per->n; i++) {
		period_label(per->unit, per->list[i].key, label);
		fprintf(f, "<th>%s</th>", label);
	}
	fputs("</tr>\n", f);
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			fputs("<tr><td>", f);
			html_escape(f, ls_ruleset_persona_id(rs, p));
			fputc('/', f);
			html_escape(f, ls_ruleset_rule_id(rs, p, k));
			fputs("</td>", f);
			for (i = 0; i < per->n; i++) {
				ls_backtest_hits h;
				ls_backtest_rule(per->list[i].bt, p, k, &h);
				snprintf(key, sizeof(key), "periods.list[%zu].personas[%zu].rules[%zu].lift", i,
				         p, k);
				lift_cell(f, key, &h);
			}
			fputs("</tr>\n", f);
		}
	}
	fputs("</table>\n", f);
}

bool report_html(const struct report *r, FILE *f)
{
	ls_backtest_totals t;

	ls_backtest_get_totals(r->bt, &t);
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>leadsift backtest</title>\n<style>",
	      f);
	fputs(style, f);
	fputs("</style>\n</head>\n<body>\n<h1>leadsift backtest</h1>\n<p>", f);
	fprintf(f, "%zu personas, rules <code>%.12s</code>, on <code>", ls_ruleset_persona_count(r->rs),
	        ls_ruleset_fingerprint(r->rs));
	html_escape(f, r->input);
	fputs("</code>. Converted when <code>", f);
	html_escape(f, r->outcome->column_name);
	fputs("</code> is one of:", f);
	for (size_t i = 0; r->outcome->values[i] != NULL; i++) {
		fputs(i ? ", " : " ", f);
		html_escape(f, r->outcome->values[i]);
	}
	fputs(" (ignoring case).</p>\n", f);
	summary(f, r, &t);
	svg_score_chart(f, r->bt, ls_ruleset_threshold(r->rs));
	hits_table(f, r);
	svg_alone_chart(f, r);
	svg_rule_chart(f, r);
	if (r->periods != NULL)
		periods_section(f, r);
	fputs("<p class=\"note\">Made by leadsift " LS_VERSION ".</p>\n</body>\n</html>\n", f);
	if (fflush(f) != 0 || ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return false;
	}
	return true;
}
