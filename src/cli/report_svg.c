/* SPDX-License-Identifier: MIT */
/* report_svg.c - the backtest page's charts, inline SVG. Every mark that
 * shows a figure carries the data-key of that figure in the JSON report
 * and its value; each chart (or group) says how values map to positions
 * (data-x0 and data-scale: x = x0 + value * scale; data-y0: y = y0 -
 * value * scale), so a test can check that what is drawn is the figure. */
#include "report.h"

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" " \
                 "role=\"img\" aria-label=\"%s\""

#define RED "#b00020"
#define BLUE "#3b6ea8"
#define GREEN "#1b7f3b"
#define GREY "#9aa5b1"

/* Where the threshold falls among the bins, which are only those that
 * have leads: inside its bin, or between the bins it falls between. */
static double threshold_x(const ls_backtest *bt, ls_fixed threshold, double left, double slot)
{
	ls_fixed width = ls_backtest_bin_width(bt);
	size_t n = ls_backtest_bin_count(bt), i;

	for (i = 0; i < n; i++) {
		ls_fixed low;
		uint64_t yes, no;
		ls_backtest_bin(bt, i, &low, &yes, &no);
		if (threshold < low)
			return left + slot * (double)i;
		if (threshold < low + width)
			return left + slot * ((double)i + (double)(threshold - low) / (double)width);
	}
	return left + slot * (double)n;
}

void svg_score_chart(FILE *f, const ls_backtest *bt, ls_fixed threshold)
{
	size_t n = ls_backtest_bin_count(bt), i;
	uint64_t most = 1;
	const double w = 640, h = 220, left = 40, bottom = 30, top = 20;
	char label[LS_FIXED_BUFSIZE];
	double slot, tx;

	for (i = 0; i < n; i++) {
		ls_fixed low;
		uint64_t yes, no;
		ls_backtest_bin(bt, i, &low, &yes, &no);
		most = yes > most ? yes : most;
		most = no > most ? no : most;
	}
	slot = n > 0 ? (w - left) / (double)n : w - left;
	fprintf(f, "<h2>Score distribution by outcome</h2>\n" SVG_OPEN ">\n", w, h + bottom + top,
	        "score distribution by outcome");
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", left,
	        top + h, w, top + h);
	fprintf(f, "<text x=\"0\" y=\"%.0f\">%llu</text><text x=\"0\" y=\"%.0f\">0</text>\n", top + 4,
	        (unsigned long long)most, top + h);
	for (i = 0; i < n; i++) {
		ls_fixed low;
		uint64_t yes, no;
		double x = left + slot * (double)i, bw = slot * 0.4;
		double hy, hn;
		ls_backtest_bin(bt, i, &low, &yes, &no);
		hy = h * (double)yes / (double)most;
		hn = h * (double)no / (double)most;
		ls_fixed_format(low, label);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" GREEN "\">"
		           "<title>score %s+: %llu converted</title></rect>\n",
		        x + slot * 0.1, top + h - hy, bw, hy, label, (unsigned long long)yes);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" GREY "\">"
		           "<title>score %s+: %llu not converted</title></rect>\n",
		        x + slot * 0.5, top + h - hn, bw, hn, label, (unsigned long long)no);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">%s</text>\n", x + slot * 0.1, top + h + 16, label);
	}
	/* Below the line, disqualified; the bins say where scores fell. */
	tx = threshold_x(bt, threshold, left, slot);
	ls_fixed_format(threshold, label);
	fprintf(f, "<line class=\"threshold\" data-key=\"threshold\" data-value=\"%s\" x1=\"%.1f\" "
	           "y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"" RED "\" stroke-dasharray=\"4,3\"/>"
	           "<text x=\"%.1f\" y=\"%.0f\" fill=\"" RED "\">threshold %s</text>\n",
	        label, tx, top, tx, top + h, tx + 3, top + 10, label);
	fprintf(f, "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"" GREEN "\"/>"
	           "<text x=\"%.0f\" y=\"11\">converted</text>"
	           "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"" GREY "\"/>"
	           "<text x=\"%.0f\" y=\"11\">not converted</text>\n</svg>\n",
	        left, left + 14, left + 100, left + 114);
}

/* "price-haggler/discount-first", or the persona's id alone. */
static void row_label(FILE *f, const ls_ruleset *rs, size_t p, size_t k, bool persona, double y)
{
	fprintf(f, "<text x=\"0\" y=\"%.0f\"%s>", y, persona ? " font-weight=\"600\"" : "");
	html_escape(f, ls_ruleset_persona_id(rs, p));
	if (!persona) {
		fputc('/', f);
		html_escape(f, ls_ruleset_rule_id(rs, p, k));
	}
	fputs("</text>\n", f);
}

/* One row of the interval chart: the alone rate as a dot on its 95%
 * interval, or a note when the rule decides no lead alone. */
static void alone_row(FILE *f, const char *key, const ls_backtest_hits *h, double x0,
                      double scale, double y)
{
	const char *color = h->verdict == LS_VERDICT_COSTLY ? RED : BLUE;

	if (h->alone == 0) {
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#777\">decides no lead alone</text>\n",
		        x0 + 4, y);
		return;
	}
	fprintf(f, "<line class=\"interval\" data-key=\"%s.alone_interval\" data-value=\"%.17g %.17g\" "
	           "x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
	        key, h->alone_low, h->alone_high, x0 + h->alone_low * scale, y - 4,
	        x0 + h->alone_high * scale, y - 4, color);
	fprintf(f, "<circle data-key=\"%s.alone_rate\" data-value=\"%.17g\" cx=\"%.2f\" cy=\"%.0f\" "
	           "r=\"4\" fill=\"%s\"><title>%.2f%% of %llu leads converted (95%%: %.1f-%.1f%%)"
	           "</title></circle>\n",
	        key, h->alone_rate, x0 + h->alone_rate * scale, y - 4, color, 100 * h->alone_rate,
	        (unsigned long long)h->alone, 100 * h->alone_low, 100 * h->alone_high);
}

void svg_alone_chart(FILE *f, const struct report *r)
{
	const ls_ruleset *rs = r->rs;
	const double label = 280, x0 = label + 10, scale = 400, row = 18;
	ls_backtest_totals t;
	ls_backtest_hits h;
	char key[64];
	size_t p, k, n = 0;
	double y;

	for (p = 0; p < ls_ruleset_persona_count(rs); p++)
		n += 1 + ls_ruleset_rule_count(rs, p);
	ls_backtest_get_totals(r->bt, &t);
	fputs("<h2>What removing each rule would keep</h2>\n<p class=\"note\">The conversion rate "
	      "of the leads each persona and rule alone disqualifies, with its 95% interval; the "
	      "dashed line is the base rate. Red: costs good deals.</p>\n", f);
	fprintf(f, SVG_OPEN " data-x0=\"%.0f\" data-scale=\"%.0f\">\n", x0 + scale + 40,
	        row * (double)(n + 2), "conversion of the leads each rule alone disqualifies", x0,
	        scale);
	for (k = 0; k <= 4; k++)
		fprintf(f, "<text x=\"%.0f\" y=\"12\">%zu%%</text>\n", x0 + scale * (double)k / 4 - 6,
		        k * 25);
	y = row + 12;
	for (p = 0; p < ls_ruleset_persona_count(rs); p++, y += row) {
		ls_backtest_persona(r->bt, p, &h);
		snprintf(key, sizeof(key), "personas[%zu]", p);
		row_label(f, rs, p, 0, true, y);
		alone_row(f, key, &h, x0, scale, y);
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++) {
			y += row;
			ls_backtest_rule(r->bt, p, k, &h);
			snprintf(key, sizeof(key), "personas[%zu].rules[%zu]", p, k);
			row_label(f, rs, p, k, false, y);
			alone_row(f, key, &h, x0, scale, y);
		}
	}
	fprintf(f, "<line class=\"base\" data-key=\"base_rate\" data-value=\"%.17g\" x1=\"%.2f\" "
	           "y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"#222\" stroke-dasharray=\"3,3\"/>\n"
	           "</svg>\n",
	        t.base_rate, x0 + t.base_rate * scale, row, x0 + t.base_rate * scale, y);
}

/* Horizontal bars per rule: hits, and lift against the base rate (1.0)
 * with its 95% interval as a whisker. */
void svg_rule_chart(FILE *f, const struct report *r)
{
	const ls_ruleset *rs = r->rs;
	ls_backtest_hits h;
	uint64_t most = 1;
	double most_lift = 2, y, lift_scale;
	const double label = 280, bar = 180, gap = 40, row = 18, lift_x0 = label + bar + gap;
	char key[64];
	size_t p, k, n = 0;

	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++, n++) {
			ls_backtest_rule(r->bt, p, k, &h);
			most = h.hits > most ? h.hits : most;
			most_lift = h.has_lift && h.lift_high > most_lift ? h.lift_high : most_lift;
		}
	}
	lift_scale = bar / most_lift;
	fprintf(f, "<h2>Hits and lift per rule</h2>\n" SVG_OPEN ">\n", lift_x0 + bar + 60,
	        row * (double)(n + 2), "hits and lift per rule");
	fprintf(f, "<text x=\"%.0f\" y=\"12\">hits (max %llu)</text>"
	           "<text x=\"%.0f\" y=\"12\">lift, 95%% interval (line: base rate, 1.0)</text>\n",
	        label, (unsigned long long)most, lift_x0);
	fprintf(f, "<g data-x0=\"%.0f\" data-scale=\"%.17g\">\n", lift_x0, lift_scale);
	y = row;
	for (p = 0; p < ls_ruleset_persona_count(rs); p++) {
		for (k = 0; k < ls_ruleset_rule_count(rs, p); k++, y += row) {
			const char *color;
			ls_backtest_rule(r->bt, p, k, &h);
			color = h.verdict == LS_VERDICT_COSTLY ? RED : BLUE;
			snprintf(key, sizeof(key), "personas[%zu].rules[%zu]", p, k);
			row_label(f, rs, p, k, false, y + 12);
			fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"12\" "
			           "fill=\"%s\"><title>%llu hits</title></rect>\n",
			        label, y + 2, bar * (double)h.hits / (double)most, color,
			        (unsigned long long)h.hits);
			if (!h.has_lift)
				continue;
			fprintf(f, "<rect data-key=\"%s.lift\" data-value=\"%.17g\" x=\"%.0f\" y=\"%.0f\" "
			           "width=\"%.2f\" height=\"12\" fill=\"%s\" fill-opacity=\"0.6\">"
			           "<title>lift %.2f (95%%: %.2f-%.2f)</title></rect>\n",
			        key, h.lift, lift_x0, y + 2, h.lift * lift_scale, color, h.lift, h.lift_low,
			        h.lift_high);
			fprintf(f, "<line class=\"interval\" data-key=\"%s.lift_interval\" "
			           "data-value=\"%.17g %.17g\" x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" "
			           "y2=\"%.0f\" stroke=\"#222\"/>\n",
			        key, h.lift_low, h.lift_high, lift_x0 + h.lift_low * lift_scale, y + 8,
			        lift_x0 + h.lift_high * lift_scale, y + 8);
		}
	}
	fprintf(f, "</g>\n<line x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" stroke=\"#222\" "
	           "stroke-dasharray=\"3,3\"/>\n</svg>\n",
	        lift_x0 + lift_scale, row, lift_x0 + lift_scale, y);
}

/* Per period, the conversion rate with its 95% interval and the share of
 * conversions the rules disqualified (missed). */
void svg_period_chart(FILE *f, const struct periods *p)
{
	const double left = 40, top = 24, h = 200, slot = 70, scale = h, y0 = top + h;
	size_t i;

	fprintf(f, SVG_OPEN " data-y0=\"%.0f\" data-scale=\"%.0f\">\n",
	        left + slot * (double)p->n + 20, top + h + 40, "conversion and missed share by period",
	        y0, scale);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", left,
	        y0, left + slot * (double)p->n, y0);
	fprintf(f, "<text x=\"0\" y=\"%.0f\">100%%</text><text x=\"0\" y=\"%.0f\">0%%</text>\n",
	        top + 4, y0);
	for (i = 0; i < p->n; i++) {
		ls_backtest_totals t;
		char label[32], key[64];
		double x = left + slot * (double)i, missed;
		ls_backtest_get_totals(p->list[i].bt, &t);
		missed = report_missed_share(&t);
		period_label(p->unit, p->list[i].key, label);
		snprintf(key, sizeof(key), "periods.list[%zu]", i);
		fprintf(f, "<rect data-key=\"%s.base_rate\" data-value=\"%.17g\" x=\"%.1f\" y=\"%.2f\" "
		           "width=\"22\" height=\"%.2f\" fill=\"" GREEN "\"><title>%s: %.2f%% converted "
		           "(95%%: %.1f-%.1f%%)</title></rect>\n",
		        key, t.base_rate, x + 8, y0 - t.base_rate * scale, t.base_rate * scale, label,
		        100 * t.base_rate, 100 * t.base_low, 100 * t.base_high);
		fprintf(f, "<line class=\"interval\" data-key=\"%s.base_rate_interval\" "
		           "data-value=\"%.17g %.17g\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" "
		           "stroke=\"#222\"/>\n",
		        key, t.base_low, t.base_high, x + 19, y0 - t.base_low * scale, x + 19,
		        y0 - t.base_high * scale);
		fprintf(f, "<rect data-key=\"%s.missed_share\" data-value=\"%.17g\" x=\"%.1f\" "
		           "y=\"%.2f\" width=\"22\" height=\"%.2f\" fill=\"" RED "\"><title>%s: %.2f%% of "
		           "conversions disqualified</title></rect>\n",
		        key, missed, x + 32, y0 - missed * scale, missed * scale, label, 100 * missed);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">%s</text>\n", x + 6, y0 + 16, label);
	}
	fprintf(f, "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"" GREEN "\"/>"
	           "<text x=\"%.0f\" y=\"11\">converted (95%% interval)</text>"
	           "<rect x=\"%.0f\" y=\"2\" width=\"10\" height=\"10\" fill=\"" RED "\"/>"
	           "<text x=\"%.0f\" y=\"11\">conversions missed</text>\n</svg>\n",
	        left, left + 14, left + 190, left + 204);
}
