#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# check.py - the analyst reports against figures computed by hand.
#
# The fixture tests/fixtures/backtest (see its README for the score of every
# row) is run through `leadsift backtest` and `leadsift diff`; every figure
# of the JSON reports must equal the expectations written out below, and the
# HTML report must be well-formed XML, self-contained, and show exactly the
# JSON's figures.
#
# Usage: python3 tests/reports/check.py path/to/leadsift
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import page

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(TOP, "tests", "fixtures", "backtest")
failures = []


def run(*args):
    # VALGRIND="valgrind -q --error-exitcode=99 ..." runs the binary under it.
    prefix = os.environ.get("VALGRIND", "").split()
    p = subprocess.run(prefix + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"check.py: {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


def expect(what, got, want):
    ok = abs(got - want) < 1e-12 if isinstance(want, float) and got is not None else got == want
    if not ok:
        failures.append(f"{what}: got {got!r}, want {want!r}")


def expect_all(prefix, got, want):
    for key, value in want.items():
        if isinstance(value, dict):
            expect_all(f"{prefix}{key}.", got.get(key, {}), value)
        else:
            expect(prefix + key, got.get(key), value)


# Rows 1-9 and 11 have an outcome; converted: 1, 3, 5, 6, 11.
# Disqualified (old): 1, 2 and 11 (tiny), 3 and 9 (score 40 < 50).
OLD = {
    "leads": 10, "left_out": 1, "converted": 5, "base_rate": 0.5,
    "disqualified": 5, "disqualified_share": 0.5,
    "matrix": {"disqualified_converted": 3, "disqualified_not_converted": 2,
               "kept_converted": 2, "kept_not_converted": 3},
    # Missed: rows 1 (1000), 3 (2000) and 11 ("n/a": no value).
    "missed": {"leads": 3, "share_of_converted": 0.6, "value": 3000, "without_value": 1},
    # Converted values: 1000 + 2000 + 3000 (row 6 has none, row 11 is "n/a").
    "converted_value": 6000, "value_not_numbers": 1,
    # At --cost-per-lead 100: the 5 disqualified leads not worked save 500;
    # 10 leads x 100 / 5 conversions = 200; the 5 kept x 100 / 2 kept
    # conversions = 250.
    "money": {"cost_per_lead": 100, "not_worked": 5, "saved": 500,
              "cost_per_acquisition_all": 200, "cost_per_acquisition_kept": 250},
}
# small: rows 1 2 11 (tiny), 3 4 9 (mid); haggle: rows 3 5 6 9 11.
# Disqualified alone (kept were it removed; the README): tiny 1 2 11, mid 3 9,
# discount 3 9; small 1 2 3 9 11, haggle 3 9. Every one too few to tell: at
# the base rate 0.5, fewer than 10 leads expect fewer than 5 conversions.
OLD_HITS = {
    "small": (6, 3, 0.5, 1.0, 5, 3, "too_few"),
    "small/tiny": (3, 2, 2 / 3, 4 / 3, 3, 2, "too_few"),
    "small/mid": (3, 1, 1 / 3, 2 / 3, 2, 1, "too_few"),
    "haggle": (5, 4, 0.8, 1.6, 2, 1, "too_few"),
    "haggle/discount": (5, 4, 0.8, 1.6, 2, 1, "too_few"),
}

# tests/fixtures/backtest/confidence (its README works out every figure):
# 200 leads, 100 converted. (hits, converted, alone, alone converted,
# p, q, verdict); the interval checked is the one tested (alone's, or
# the hits' rate's when nothing is disqualified alone).
CONF_HITS = {
    "segments": (118, 79, 118, 79, 0.000231141, 0.000462281, "costly", (0.58045, 0.74784)),
    "segments/seg-a": (40, 30, 40, 30, 0.001565402, 0.002348103, "costly", (0.59806, 0.85813)),
    "segments/seg-b": (20, 13, 20, 13, 0.179712495, 0.179712495, None, (0.43285, 0.81881)),
    "segments/seg-c": (8, 4, 8, 4, None, None, "too_few", (0.21522, 0.78478)),
    "segments/seg-e": (50, 32, 50, 32, 0.047714880, 0.057257856, None, (0.50141, 0.75861)),
    "weak": (40, 8, 0, 0, 0.000147802, 0.000443407, "dead_weight", (0.10500, 0.34757)),
    "weak/seg-d": (40, 8, 0, 0, 0.000147802, 0.000443407, "dead_weight", (0.10500, 0.34757)),
}
# Scores 40: rows 3 (yes), 9 (no); 70: 5 6 11 (yes), 4 (no); 100: 1 (yes), 2 7 8 (no).
OLD_BINS = [(40, 1, 1), (70, 3, 1), (100, 1, 3)]

# Without the haggle persona: rows 3 and 9 score 70 and are kept.
NEW = {
    "leads": 10, "converted": 5, "disqualified": 3,
    "matrix": {"disqualified_converted": 2, "disqualified_not_converted": 1,
               "kept_converted": 3, "kept_not_converted": 4},
    "missed": {"leads": 2, "share_of_converted": 0.4, "value": 1000, "without_value": 1},
    # 3 not worked x 100 = 300; 7 kept x 100 / 3 kept conversions.
    "money": {"not_worked": 3, "saved": 300, "cost_per_acquisition_all": 200,
              "cost_per_acquisition_kept": 700 / 3},
}


def check_hits(prefix, report, table):
    for p in report["personas"]:
        rows = [(p["id"], p)] + [(p["id"] + "/" + r["id"], r) for r in p["rules"]]
        for name, got in rows:
            if name not in table:
                failures.append(f"{prefix}{name}: unexpected")
                continue
            hits, conv, rate, lift, alone, alone_conv, verdict = table[name]
            expect(f"{prefix}{name}.hits", got["hits"], hits)
            expect(f"{prefix}{name}.converted", got["converted"], conv)
            expect(f"{prefix}{name}.rate", got["rate"], rate)
            expect(f"{prefix}{name}.lift", got["lift"], lift)
            expect(f"{prefix}{name}.alone", got["alone"], alone)
            expect(f"{prefix}{name}.alone_converted", got["alone_converted"], alone_conv)
            expect(f"{prefix}{name}.verdict", got["verdict"], verdict)


def near(what, got, want, tolerance):
    if got is None or want is None or abs(got - want) > tolerance:
        if not (got is None and want is None):
            failures.append(f"{what}: got {got!r}, want {want!r}")


def check_confidence(report):
    expect("confidence.leads", report["leads"], 200)
    expect("confidence.base_rate", report["base_rate"], 0.5)
    for p in report["personas"]:
        for name, got in [(p["id"], p)] + [(p["id"] + "/" + r["id"], r) for r in p["rules"]]:
            hits, conv, alone, alone_conv, pv, qv, verdict, interval = CONF_HITS[name]
            what = f"confidence.{name}"
            expect(f"{what}.hits", (got["hits"], got["converted"]), (hits, conv))
            expect(f"{what}.alone", (got["alone"], got["alone_converted"]), (alone, alone_conv))
            near(f"{what}.p_value", got["p_value"], pv, 1e-9)
            near(f"{what}.q_value", got["q_value"], qv, 1e-9)
            expect(f"{what}.verdict", got["verdict"], verdict)
            shown = got["alone_interval"] if alone > 0 else got["rate_interval"]
            for k in (0, 1):
                near(f"{what}.interval[{k}]", shown[k], interval[k], 1e-5)
            # A lift's interval is its rate's over the base rate 0.5.
            for k in (0, 1):
                near(f"{what}.lift_interval[{k}]", got["lift_interval"][k],
                     got["rate_interval"][k] / 0.5, 1e-12)


def check_html(path, report, cells, charts):
    text = open(path, encoding="utf-8").read()
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        failures.append(f"HTML is not well-formed: {e}")
        return
    lowered = text.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="):
        if banned in lowered:
            failures.append(f"HTML is not self-contained: it has {banned!r}")
    ns = "{http://www.w3.org/1999/xhtml}"
    if root.tag != ns + "html" or root.find(ns + "body") is None:
        failures.append("HTML has no html/body")
    expect("html charts", len(root.findall(".//{http://www.w3.org/2000/svg}svg")), charts)
    seen, marks = page.check_figures(text, report, failures.append)
    expect("html figures", seen, cells)
    expect("html chart marks", sorted(marks), sorted(page.expected_marks(report)))


def main():
    leadsift = os.path.abspath(sys.argv[1])
    leads = os.path.join(FIX, "leads.csv")
    with tempfile.TemporaryDirectory() as tmp:
        html = os.path.join(tmp, "report.html")
        old = json.loads(run(leadsift, "backtest", "-p", os.path.join(FIX, "old"),
                             "--outcome", "Converted=yes", "--value", "Amount",
                             "--cost-per-lead", "100", "--html", html, "--json", leads))
        expect_all("backtest.", old, OLD)
        # Wilson 95% of 5/10 (base rate, disqualified share): 0.2366-0.7634;
        # of 3/5 (conversions missed): 0.2307-0.8824.
        for key, got, want in (("base_rate_interval", old["base_rate_interval"], (0.23659, 0.76341)),
                               ("disqualified_share_interval", old["disqualified_share_interval"],
                                (0.23659, 0.76341)),
                               ("missed.share_of_converted_interval",
                                old["missed"]["share_of_converted_interval"], (0.23072, 0.88238))):
            for k in (0, 1):
                near(f"backtest.{key}[{k}]", got[k], want[k], 1e-5)
        check_hits("backtest.", old, OLD_HITS)
        bins = [(float(b["low"]), b["converted"], b["not_converted"])
                for b in old["score_distribution"]["bins"]]
        expect("backtest.bins", bins, [(float(a), b, c) for a, b, c in OLD_BINS])
        # Summary (10 with --value, 5 more with --cost-per-lead) + matrix (4)
        # + 12 per persona and rule row (5 rows); three charts.
        check_html(html, old, 15 + 4 + 12 * 5, 3)

        conf = json.loads(run(
            leadsift, "backtest", "-p", os.path.join(FIX, "confidence"), "--outcome",
            "Converted=yes", "--html", html, "--json", os.path.join(FIX, "confidence.csv")))
        check_confidence(conf)
        # Summary (8 without --value) + matrix (4) + 12 per row (7 rows).
        check_html(html, conf, 8 + 4 + 12 * 7, 3)

        # By quarter and by month of "Created" (periods.csv; the README).
        whole = json.loads(run(leadsift, "backtest", "-p", os.path.join(FIX, "old"),
                               "--outcome", "Converted=yes", "--by", "Created", "--html", html,
                               "--json", os.path.join(FIX, "periods.csv")))
        # Summary (8) + matrix (4) + 12 per row (5 rows) + undated, not dates
        # (2) + 5 per period (2) + lift per rule and period (3 x 2); four charts.
        check_html(html, whole, 8 + 4 + 12 * 5 + 2 + 5 * 2 + 3 * 2, 4)
        per = whole["periods"]
        expect("periods.head", (per["column"], per["unit"], per["undated"], per["not_dates"]),
               ("Created", "quarter", 1, 1))
        got = [(x["period"], x["leads"], x["converted"], x["base_rate"], x["disqualified"],
                x["missed"]) for x in per["list"]]
        expect("periods.quarters", got, [("2025-Q4", 4, 3, 0.75, 3, 2),
                                         ("2026-Q1", 4, 2, 0.5, 1, 1)])
        def lift(v):
            return None if v is None else round(v, 12)
        hits = {(x["period"], p["id"] + "/" + r["id"]): (r["hits"], r["converted"], lift(r["lift"]))
                for x in per["list"] for p in x["personas"] for r in p["rules"]}
        expect("periods.hits", hits, {
            ("2025-Q4", "haggle/discount"): (2, 2, lift(1 / 0.75)),
            ("2026-Q1", "haggle/discount"): (2, 2, 2.0),
            ("2025-Q4", "small/tiny"): (3, 2, lift((2 / 3) / 0.75)),
            ("2026-Q1", "small/tiny"): (0, 0, None),
            ("2025-Q4", "small/mid"): (0, 0, None),
            ("2026-Q1", "small/mid"): (2, 1, 1.0)})
        per = json.loads(run(leadsift, "backtest", "-p", os.path.join(FIX, "old"),
                             "--outcome", "Converted=yes", "--by", "Created", "--period",
                             "month", "--json", os.path.join(FIX, "periods.csv")))["periods"]
        expect("periods.months", [(x["period"], x["leads"]) for x in per["list"]],
               [("2025-10", 1), ("2025-11", 1), ("2025-12", 2), ("2026-01", 2),
                ("2026-02", 1), ("2026-03", 1)])

        # The default converted values include "yes": the same figures.
        default = json.loads(run(leadsift, "backtest", "-p", os.path.join(FIX, "old"),
                                 "--outcome", "Converted", "--json", leads))
        expect("default values: matrix", default["matrix"], old["matrix"])

        diff = json.loads(run(leadsift, "diff", "--old", os.path.join(FIX, "old"),
                              "--new", os.path.join(FIX, "new"), "--outcome",
                              "Converted=yes", "--value", "Amount", "--cost-per-lead", "100",
                              "--json", leads))
        # Rows 3, 5, 6, 9 and 11 lose the haggle deduction; 3 and 9 are kept now.
        expect_all("diff.", diff, {
            "leads": 11, "changed": 5, "newly_disqualified": 0, "newly_kept": 2,
            "score_up": 5, "score_down": 0, "reasons_only": 0,
            "old": {"disqualified": 5}, "new": {"disqualified": 3}})
        hits = {(r["persona"], r["rule"]): (r["old_hits"], r["new_hits"]) for r in diff["rules"]}
        expect("diff.rules", hits, {("small", "tiny"): (3, 3), ("small", "mid"): (3, 3),
                                    ("haggle", "discount"): (5, None)})
        expect_all("diff.backtest.old.", diff["backtest"]["old"], OLD)
        expect_all("diff.backtest.new.", diff["backtest"]["new"], NEW)
        # The one change: the persona haggle is gone.
        expect("diff.rule_changes", diff["rule_changes"], [
            {"kind": "persona", "persona": "haggle", "id": None, "field": None,
             "old": "1 rule", "new": None}])
        # Without haggle, tiny alone disqualifies rows 1 2 11 (1 and 11
        # converted); mid's rows 3 4 9 score 70 and are kept anyway.
        alone = {(p["id"], r["id"]): (r["alone"], r["alone_converted"])
                 for p in diff["backtest"]["new"]["personas"] for r in p["rules"]}
        expect("diff.new.alone", alone, {("small", "tiny"): (3, 2), ("small", "mid"): (0, 0)})

        # Text that comes from the input (its name, the outcome column and
        # values) is escaped: the page stays well-formed and shows it as is.
        odd = os.path.join(tmp, 'Q4 & "won" <deals>.csv')
        with open(leads, encoding="utf-8") as f:
            text = f.read().replace("Converted", "Won & <Lost>", 1)
        with open(odd, "w", encoding="utf-8") as f:
            f.write(text)
        run(leadsift, "backtest", "-p", os.path.join(FIX, "old"),
            "--outcome", 'Won & <Lost>=yes,"maybe" & <so>', "--html", html, odd)
        try:
            page = "".join(ET.parse(html).getroot().itertext())
            for shown in ('Q4 & "won" <deals>.csv', "Won & <Lost>", '"maybe" & <so>'):
                if shown not in page:
                    failures.append(f"HTML does not show {shown!r}")
        except ET.ParseError as e:
            failures.append(f"HTML with markup in the input's names is not well-formed: {e}")

    for f in failures:
        print("FAIL", f)
    print(f"reports: {'FAILED' if failures else 'ok'} (backtest, diff, HTML against hand-computed figures)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
