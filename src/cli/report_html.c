/* SPDX-License-Identifier: MIT */
/* report_html.c - the backtest report as one self-contained page: inline
 * style, inline SVG charts, no script, nothing fetched. Written as XHTML-
 * compatible HTML so that any XML parser can check it, and every figure
 * carries data-key and data-value attributes that tests compare with the
 * JSON report. */
#include <errno.h>
#include <string.h>

#include "report.h"

static void esc(FILE *f, const char *s)
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

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.costly td{color:#b00020}tr.persona td{font-weight:600}"
	".note{color:#555}svg text{font:11px system-ui,sans-serif;fill:#333}";

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
	double missed = t->converted ? (double)t->matrix[1][1] / (double)t->converted : 0;

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


static void hits_row(FILE *f, const char *key, const char *label, bool persona,
                     const ls_backtest_hits *h)
{
	char k[512];

	fprintf(f, "<tr class=\"%s%s\"><td>%s", persona ? "persona" : "rule",
	        h->verdict == LS_VERDICT_COSTLY ? " costly" : "", persona ? "" : "&#160;&#160;");
	esc(f, label);
	fputs("</td>", f);
	snprintf(k, sizeof(k), "%s.hits", key);
	count_cell(f, k, h->hits);
	snprintf(k, sizeof(k), "%s.converted", key);
	count_cell(f, k, h->converted);
	snprintf(k, sizeof(k), "%s.rate", key);
	rate_cell(f, k, h->rate);
	if (h->has_lift)
		fprintf(f, "<td class=\"n\" data-key=\"%s.lift\" data-value=\"%.17g\">%.2f</td>", key,
		        h->lift, h->lift);
	else
		fprintf(f, "<td class=\"n\" data-key=\"%s.lift\" data-value=\"null\">-</td>", key);
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
	if (h->tested)
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
	      "leads a rule hits divided by the base rate. The leads a rule disqualifies alone are "
	      "those removing it would keep (caps, threshold and allow-list as they are); a rule "
	      "whose leads of that kind convert above the base rate costs good deals. A rule whose "
	      "hits convert below it but that disqualifies no lead alone is dead weight. Intervals "
	      "are 95% Wilson score intervals; q is the score test's p-value adjusted over every "
	      "rule and persona tested (Benjamini-Hochberg), a verdict needing q &#8804; 0.05; with "
	      "fewer than 5 conversions or 5 others expected at the base rate there are too few "
	      "leads to tell.</p>\n"
	      "<table>\n<tr><th>persona / rule</th><th>hits</th><th>converted</th><th>rate</th>"
	      "<th>lift</th><th>lift 95%</th><th>disqualifies alone</th><th>of them converted</th>"
	      "<th>rate</th><th>rate 95%</th><th>q</th><th>verdict</th></tr>\n",
	      f);
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		ls_backtest_persona(r->bt, p, &h);
		snprintf(key, sizeof(key), "personas[%zu]", p);
		hits_row(f, key, ls_ruleset_persona_id(rs, p), true, &h);
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			ls_backtest_rule(r->bt, p, k, &h);
			snprintf(key, sizeof(key), "personas[%zu].rules[%zu]", p, k);
			hits_row(f, key, ls_ruleset_rule_id(rs, p, k), false, &h);
		}
	}
	fputs("</table>\n", f);
}

/* Grouped bars: converted and not converted leads per score bin. */
static void score_chart(FILE *f, const ls_backtest *bt)
{
	size_t n = ls_backtest_bin_count(bt), i;
	uint64_t most = 1;
	const double w = 640, h = 220, left = 40, bottom = 30, top = 20;
	double slot;

	for (i = 0; i < n; i++) {
		ls_fixed low;
		uint64_t yes, no;
		ls_backtest_bin(bt, i, &low, &yes, &no);
		most = yes > most ? yes : most;
		most = no > most ? no : most;
	}
	slot = n > 0 ? (w - left) / (double)n : w - left;
	fprintf(f, "<h2>Score distribution by outcome</h2>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
	           "role=\"img\" aria-label=\"score distribution by outcome\">\n",
	        w, h + bottom + top);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", left,
	        top + h, w, top + h);
	fprintf(f, "<text x=\"0\" y=\"%.0f\">%llu</text><text x=\"0\" y=\"%.0f\">0</text>\n", top + 4,
	        (unsigned long long)most, top + h);
	for (i = 0; i < n; i++) {
		char label[LS_FIXED_BUFSIZE];
		ls_fixed low;
		uint64_t yes, no;
		double x = left + slot * (double)i, bw = slot * 0.4;
		double hy, hn;
		ls_backtest_bin(bt, i, &low, &yes, &no);
		hy = h * (double)yes / (double)most;
		hn = h * (double)no / (double)most;
		ls_fixed_format(low, label);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1b7f3b\">"
		           "<title>score %s+: %llu converted</title></rect>\n",
		        x + slot * 0.1, top + h - hy, bw, hy, label, (unsigned long long)yes);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#9aa5b1\">"
		           "<title>score %s+: %llu not converted</title></rect>\n",
		        x + slot * 0.5, top + h - hn, bw, hn, label, (unsigned long long)no);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">%s</text>\n", x + slot * 0.1, top + h + 16, label);
	}
	fprintf(f, "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"#1b7f3b\"/>"
	           "<text x=\"%.0f\" y=\"11\">converted</text>"
	           "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"#9aa5b1\"/>"
	           "<text x=\"%.0f\" y=\"11\">not converted</text>\n</svg>\n",
	        left, left + 14, left + 100, left + 114);
}

/* Horizontal bars per rule: hits, and lift against the base rate (1.0). */
static void rule_chart(FILE *f, const struct report *r)
{
	const ls_ruleset *rs = r->rs;
	ls_backtest_hits h;
	uint64_t most = 1;
	double most_lift = 2, y;
	const double label = 260, bar = 180, gap = 40, row = 18;
	size_t p, k, n = 0;

	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++, n++) {
			ls_backtest_rule(r->bt, p, k, &h);
			most = h.hits > most ? h.hits : most;
			most_lift = h.has_lift && h.lift > most_lift ? h.lift : most_lift;
		}
	}
	fprintf(f, "<h2>Hits and lift per rule</h2>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
	           "role=\"img\" aria-label=\"hits and lift per rule\">\n",
	        label + 2 * bar + gap + 60, row * (double)(n + 2));
	fprintf(f, "<text x=\"%.0f\" y=\"12\">hits (max %llu)</text>"
	           "<text x=\"%.0f\" y=\"12\">lift (line: base rate, 1.0)</text>\n",
	        label, (unsigned long long)most, label + bar + gap);
	y = row;
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++, y += row) {
			const char *color;
			double lw;
			ls_backtest_rule(r->bt, p, k, &h);
			color = h.verdict == LS_VERDICT_COSTLY ? "#b00020" : "#3b6ea8";
			lw = h.has_lift ? bar * h.lift / most_lift : 0;
			fprintf(f, "<text x=\"0\" y=\"%.0f\">", y + 12);
			esc(f, ls_ruleset_persona_id(rs, p));
			fputc('/', f);
			esc(f, ls_ruleset_rule_id(rs, p, k));
			fprintf(f, "</text>\n<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"12\" "
			           "fill=\"%s\"><title>%llu hits</title></rect>\n",
			        label, y + 2, bar * (double)h.hits / (double)most, color,
			        (unsigned long long)h.hits);
			fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"12\" fill=\"%s\">"
			           "<title>lift %.2f</title></rect>\n",
			        label + bar + gap, y + 2, lw, color, h.lift);
		}
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#222\" "
	           "stroke-dasharray=\"3,3\"/>\n</svg>\n",
	        label + bar + gap + bar / most_lift, row, label + bar + gap + bar / most_lift, y);
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
	esc(f, r->input);
	fputs("</code>. Converted when <code>", f);
	esc(f, r->outcome->column_name);
	fputs("</code> is one of:", f);
	for (size_t i = 0; r->outcome->values[i] != NULL; i++) {
		fputs(i ? ", " : " ", f);
		esc(f, r->outcome->values[i]);
	}
	fputs(" (ignoring case).</p>\n", f);
	summary(f, r, &t);
	score_chart(f, r->bt);
	hits_table(f, r);
	rule_chart(f, r);
	fputs("<p class=\"note\">Made by leadsift " LS_VERSION ".</p>\n</body>\n</html>\n", f);
	if (fflush(f) != 0 || ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return false;
	}
	return true;
}
