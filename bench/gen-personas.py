#!/usr/bin/env python3
"""A large persona set for the benchmark: 100 personas of 5 rules each (500
rules), the kinds a real set uses (in, contains, ends_with, lt, gt, all),
over the generator's columns. Deterministic.

    gen-personas.py DIR      writes DIR/policy.json and DIR/p000.json ..."""
import json
import os
import random
import sys

INDUSTRIES = ["Retail", "Hospitality", "Healthcare", "Manufacturing", "Logistics",
              "Higher Education", "Telecommunications", "Restaurants", "Gaming", "Mining"]
WORDS = ["discount", "price", "free", "cheap", "job", "hiring", "student", "thesis",
         "coupon", "trial", "quote", "demo", "sso", "audit", "spreadsheet"]
TITLES = ["student", "intern", "engineer", "founder", "assistant", "procurement", "freelance"]
DOMAINS = ["@gmail.com", "@yahoo.com", ".edu", "@hotmail.com", ".org", ".gov"]


def rule(rng, n):
    kind = rng.randrange(6)
    if kind == 0:
        when = {"field": "industry", "op": "in", "value": rng.sample(INDUSTRIES, 3)}
    elif kind == 1:
        when = {"field": "message", "op": "contains", "value": rng.sample(WORDS, 3)}
    elif kind == 2:
        when = {"field": "title", "op": "contains", "value": rng.sample(TITLES, 2)}
    elif kind == 3:
        when = {"field": "email", "op": "ends_with", "value": rng.sample(DOMAINS, 2)}
    elif kind == 4:
        when = {"field": rng.choice(["budget", "employees", "contract_value"]),
                "op": "lt", "value": rng.choice([5, 10, 500, 2000, 5000])}
    else:
        when = {"all": [{"field": "support_tickets_per_month", "op": "gt",
                         "value": rng.randint(3, 15)},
                        {"field": "contract_value", "op": "lt",
                         "value": rng.choice([1000, 5000, 20000])}]}
    return {"id": f"r{n}", "reason": f"rule {n}", "deduct": rng.randint(1, 20), "when": when}


def main():
    out = sys.argv[1]
    rng = random.Random(500)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "personas", "policy.json")) as f:
        policy = f.read()
    with open(os.path.join(out, "policy.json"), "w") as f:
        f.write(policy)
    for p in range(100):
        persona = {"id": f"p{p:03d}", "name": f"Persona {p}", "max_deduct": 40,
                   "rules": [rule(rng, r) for r in range(5)]}
        with open(os.path.join(out, f"p{p:03d}.json"), "w") as f:
            json.dump(persona, f, indent=1)


if __name__ == "__main__":
    main()
