# SPDX-License-Identifier: MIT
# run.py - differential test: random rule sets (with dates, a date_format,
# --today and an allow-list) and random leads (numbers, bands, dates and
# text, well-formed and not), scored by leadsift and by
# tests/differential/reference.py, compared field by field.
#
# Usage: python3 tests/differential/run.py LEADSIFT [--seeds N] [--first S] [--rows R]
# A mismatch prints its seed; rerun one with --first SEED --seeds 1.
import argparse
import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

FIELDS = ["size", "revenue", "industry", "email", "country", "notes", "created"]
WORDS = ["Z\u00dcRICH", "z\u00fcrich", "\u00c9cole", "\u039f\u0394\u039f\u03a3",
         "\u03bf\u03b4\u03bf\u03c2",  # ZÜRICH, zürich, École, ΟΔΟΣ, οδος
         "Retail", "retail", "RETAIL", "Software", "Hospitality", "hotel", "Banking",
         "student", "Intern", "discount", "coupon", "a, b", 'say "hi"', "two\nlines",
         "x@mit.edu", "jo@Gmail.com", "ceo@acme.io", "US", "Brazil", "de", "", " ", "n/a",
         # the one byte that needs quotes comes last
         "end,", 'end"', "end\n"]
NUMBERS = ["5", "9", "10", "49", "50", "1200", "1,200", "$1,200.50", " 12 ", "1.5k", "2M",
           "-3", "11-50", "10,001+", "1 - 10", "20%", "0.1", "$ 40", "3bn", "1,2", "2024-01",
           "12 kg", "unknown", "", "  ", ".5", "1e3", "5-5", "€99", "£5.25", "1,001-5,000",
           # bands: the upper bound must be a number not below the lower one
           "11-", "11 -", "5-4", "-5-3", "$1M - $5M", "11\u201350", "10-x", "1-1,5", "+7",
           "1 B", "$2.5M", "\v12\f", "1,2345"]
# Dates as the docs list them, and shapes that are not dates.
DATES = ["2026-01-05", "2026/1/5", "2026.01.05", "2026-01-05T14:32:00Z", "2026-01-05 14:32",
         "2026-01-05T14:32:00.123+02:00", "2026-01-05 23:59:60 UTC", "Jan 5, 2026",
         "January 5 2026", "5 Jan 2026", "05-Jan-2026", "Sept 30, 2026", "sept. 3,2026",
         "05/01/2026", "1/5/2026 2:30 PM", "31.12.2025", "12/31/2025", "2000-02-29",
         "29/02/2000", "2024-02-29", "1900-02-29", "2100-02-29", "2025-02-29", "2026-02-30",
         "2026-13-01", "2026-00-10", "2026-01-05 1:7", "2026-01-05 13:00 PM", "2026-01-05x",
         "2026-01-05 25:00", "Foo 5, 2026", "Jan 2026", "5 Jan", "20260105", "0000-01-01",
         "2026-1-5 12:00 am", "2026-01-05 12:00z", "2026-01-05t09:00 +0530", "2026-01/05",
         "Janu 5 2026", "yesterday", "", " ", "\t2026-01-05\v"]
AGES = ["1d", "30d", "90d", "2w", "1m", "6m", "1y", "3y"]
TODAYS = ["2026-11-22", "2024-02-29", "2026-03-31", "2000-03-01", "2025-01-01", "2100-03-01"]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_text(rng, day):
    """A day written in one of the forms exports use."""
    forms = [f"{day.year:04}-{day.month:02}-{day.day:02}",
             f"{day.year:04}/{day.month}/{day.day}",
             f"{MONTH_ABBR[day.month - 1]} {day.day}, {day.year:04}",
             f"{day.day:02}-{MONTH_ABBR[day.month - 1]}-{day.year:04}",
             f"{day.day:02}/{day.month:02}/{day.year:04}",
             f"{day.month}/{day.day}/{day.year:04} 11:59 PM",
             f"{day.year:04}-{day.month:02}-{day.day:02}T23:59:59Z"]
    return rng.choice(forms)


def rand_date_cell(rng, today):
    """A documented form or a malformed one, or a day just around a rule's
    cut-off (today minus an age, give or take a day)."""
    if rng.random() < 0.5:
        return rng.choice(DATES)
    day = reference.minus_age(today, rng.choice(AGES))
    return date_text(rng, day + datetime.timedelta(days=rng.choice([-1, 0, 0, 1])))
PATTERNS = ["^re", "tail$", "(hotel|bank)", "[0-9]+", "@(gmail|mit)", "s.u", "^$", "x?y*z+",
            "^[a-z]+$", "edu$", "^z.rich$", "^.cole", "\u00fc"]


def rand_value(rng, op, today):
    if op in ("before", "after"):
        day = rng.choice([today, datetime.date(2026, 1, 5), datetime.date(2000, 2, 29),
                          reference.minus_age(today, rng.choice(AGES))])
        return day.isoformat()
    if op in ("older_than", "newer_than"):
        return rng.choice(AGES)
    if op in ("lt", "lte", "gt", "gte"):
        return rng.choice([0, 5, 10, 49.5, 50, 1000, 1200.5, -3, 2000000])
    if op == "between":
        lo = rng.choice([0, 5, 10, 11, 1000])
        return [lo, lo + rng.choice([0, 5, 40, 1000])] if rng.random() < 0.9 else [10, 5]
    if op in ("eq", "ne"):
        return rng.choice([rng.choice(WORDS[:24]), rng.choice([5, 10, 1200, 11, -3, 0.1])])
    if op in ("in", "not_in"):
        # Long lists are looked up in a hash set: both ways are compared.
        n = rng.randint(1, 3) if rng.random() < 0.7 else rng.randint(8, 20)
        return [rng.choice(WORDS[:24] + [5, 10, 1200]) for _ in range(n)]
    if op == "matches":
        return rng.choice(PATTERNS) if rng.random() < 0.7 else rng.sample(PATTERNS, 2)
    words = [w for w in WORDS[:24] if "\n" not in w]
    return rng.choice(words) if rng.random() < 0.6 else rng.sample(words, 2)


def rand_cond(rng, depth, today):
    r = rng.random()
    if depth < 3 and r < 0.15:
        return {"all": [rand_cond(rng, depth + 1, today) for _ in range(rng.randint(1, 3))]}
    if depth < 3 and r < 0.3:
        return {"any": [rand_cond(rng, depth + 1, today) for _ in range(rng.randint(1, 3))]}
    if depth < 3 and r < 0.38:
        return {"not": rand_cond(rng, depth + 1, today)}
    op = rng.choice(["eq", "ne", "in", "not_in", "contains", "not_contains", "starts_with",
                     "ends_with", "matches", "lt", "lte", "gt", "gte", "between", "empty",
                     "not_empty", "before", "after", "older_than", "newer_than"])
    field = rng.choice(FIELDS)
    if op in reference.DATE_OPS and rng.random() < 0.8:
        field = "created"
    cond = {"field": field, "op": op}
    if op in reference.DATE_OPS:
        cond["value"] = rand_value(rng, op, today)
    elif op not in ("empty", "not_empty"):
        cond["value"] = rand_value(rng, op, today)
        numeric = op in ("lt", "lte", "gt", "gte", "between") or (
            op in ("eq", "ne") and not isinstance(cond["value"], str)) or (
            op in ("in", "not_in") and not any(isinstance(v, str) for v in cond["value"]))
        if not numeric and rng.random() < 0.2:
            cond["case_sensitive"] = True
    return cond


def rand_rules(rng, today):
    personas = []
    for p in range(rng.randint(1, 4)):
        persona = {"id": f"p{p}", "rules": []}
        if rng.random() < 0.4:
            persona["max_deduct"] = rng.choice([10, 25.5, 40])
        for r in range(rng.randint(1, 4)):
            rule = {"id": f"r{r}", "reason": rng.choice(["why", "a, b", "x; y", 'q "z"']) + f" {r}",
                    "when": rand_cond(rng, 0, today)}
            if rng.random() < 0.85:
                rule["deduct"] = rng.choice([0, 5, 12.5, 20, 0.25, 33.333333])
            if "deduct" not in rule or rng.random() < 0.1:
                rule["disqualify"] = True
            persona["rules"].append(rule)
        personas.append(persona)
    policy = {"base": rng.choice([100, 80.5, 50]), "threshold": rng.choice([50, 60.25, 0, 90])}
    fmt = rng.choice([None, None, "DD-MM-YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "YYYY-MM-DD"])
    if fmt is not None:
        policy["date_format"] = fmt
    # The allow-list: entries without an end, ended yesterday, ending today
    # (still active) and tomorrow.
    allow = []
    for a in range(rng.choice([0, 0, 1, 2, 3])):
        entry = {"id": f"a{a}", "reason": f"kept {a}", "when": rand_cond(rng, 1, today)}
        until = rng.choice([None, -1, 0, 1, -400])
        if until is not None:
            entry["until"] = (today + datetime.timedelta(days=until)).isoformat()
        allow.append(entry)
    return personas, policy, allow


def rand_cell(rng, field, today):
    if field == "created" or rng.random() < 0.05:
        return rand_date_cell(rng, today)
    if field in ("size", "revenue") or rng.random() < 0.2:
        return rng.choice(NUMBERS)
    return rng.choice(WORDS)


def run_seed(leadsift, seed, rows, tmp):
    rng = random.Random(seed)
    today = datetime.date.fromisoformat(rng.choice(TODAYS))
    personas, policy, allow = rand_rules(rng, today)
    rules = os.path.join(tmp, "rules")
    os.makedirs(rules, exist_ok=True)
    for f in os.listdir(rules):
        os.unlink(os.path.join(rules, f))
    for p in personas:
        with open(os.path.join(rules, p["id"] + ".json"), "w") as f:
            json.dump(p, f)
    with open(os.path.join(rules, "policy.json"), "w") as f:
        json.dump(policy, f)
    if allow:
        with open(os.path.join(rules, "allow.json"), "w") as f:
            json.dump({"allow": allow}, f)
    leads = [{k: rand_cell(rng, k, today) for k in FIELDS} for _ in range(rows)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for lead in leads:
        w.writerow([lead[k] for k in FIELDS])
    src = os.path.join(tmp, "in.csv")
    with open(src, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    proc = subprocess.run([leadsift, "-p", rules, "--today", today.isoformat(), src],
                          capture_output=True)
    if proc.returncode != 0:
        return [f"leadsift failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}"]
    out = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"), newline="")))
    problems = []
    if len(out) != rows + 1:
        return [f"{len(out) - 1} rows out, {rows} in"]
    for i, lead in enumerate(leads):
        want = list(reference.score(personas, policy, lead, allow, today))
        got = out[i + 1][len(FIELDS):]
        if [lead[k] for k in FIELDS] != out[i + 1][:len(FIELDS)]:
            problems.append(f"row {i + 1}: input fields changed")
        elif got != want:
            problems.append(f"row {i + 1}: {lead}\n  leadsift:  {got}\n  reference: {want}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("leadsift")
    ap.add_argument("--seeds", type=int, default=300)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--rows", type=int, default=40)
    args = ap.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first, args.first + args.seeds):
            problems = run_seed(os.path.abspath(args.leadsift), seed, args.rows, tmp)
            if problems:
                failed += 1
                print(f"FAIL seed {seed} (rerun: --first {seed} --seeds 1)")
                for p in problems[:3]:
                    print("  " + p)
    print(f"{args.seeds} random rule sets, {args.seeds * args.rows} leads, seeds "
          f"{args.first}..{args.first + args.seeds - 1}")
    print(f"differential: {args.seeds - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
