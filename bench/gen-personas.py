#!/usr/bin/env python3
"""A large persona set for the benchmark: 100 personas of 5 rules each (500
rules), the kinds a real set uses (in, contains, ends_with, lt, gt, all),
over the generator's columns. Deterministic.

Like a real set, each rule targets a narrow segment: a few industries out
of a long list, a country and a company size together, a competitor's or a
job seeker's words. A typical lead matches two or three of the 500 rules
(the seven-rule set: one or two), so the run measures evaluating many
rules rather than writing hundreds of reasons a row. `--dense` draws every
test from the values the leads hold instead (about 67 matches a row).

    gen-personas.py [--dense] DIR   writes DIR/policy.json, DIR/p000.json ..."""
import json
import os
import random
import sys

# The generator's values (bench/gen-leads.c) and the many a real list names.
INDUSTRIES = ["Retail", "Hospitality", "Healthcare", "Manufacturing", "Logistics",
              "Higher Education", "Telecommunications", "Restaurants", "Gaming", "Mining",
              "Agriculture", "Real Estate", "Construction", "Legal Services", "Nonprofit",
              "Government", "Utilities", "Oil & Gas", "Automotive", "Aerospace", "Defense",
              "Fitness", "Beauty", "Fashion", "Furniture", "Tobacco", "Gambling", "Crypto",
              "Staffing", "Printing", "Shipping", "Wholesale", "Veterinary", "Dental",
              "Funeral Services", "Religious Institutions", "Museums", "Libraries",
              "Primary Education", "Child Care", "Waste Management", "Forestry", "Fishing",
              "Ranching", "Textiles", "Chemicals", "Plastics", "Paper", "Glass", "Steel"]
COUNTRIES = ["United States", "Germany", "Brazil", "Australia", "India", "Canada", "France",
             "United Kingdom", "Japan", "Russia", "North Korea", "Spain", "Iran", "Syria",
             "Cuba", "Belarus", "Venezuela", "Myanmar", "Sudan", "Yemen", "Libya", "Somalia",
             "Mali", "Chad", "Niger", "Haiti", "Laos", "Nepal", "Bhutan", "Mongolia",
             "Tonga", "Fiji", "Samoa", "Palau", "Nauru", "Tuvalu", "Kiribati", "Vanuatu"]
WORDS = ["discount", "free version", "cheap", "are you hiring", "thesis", "coupon",
         "open source", "nonprofit pricing", "student license", "internship", "resume",
         "homework", "lifetime deal", "appsumo", "refund", "cancel", "chargeback",
         "reseller", "white label", "affiliate", "partnership", "backlinks", "guest post",
         "seo services", "web design", "crypto", "giveaway", "sponsorship", "survey",
         "research project", "competitor", "benchmark", "scrape", "teardown", "unsubscribe",
         "wrong person", "not interested", "spam", "test lead", "asdf", "lorem ipsum"]
TITLES = ["student", "intern", "freelance", "retired", "unemployed", "volunteer",
          "teacher", "professor", "researcher", "recruiter", "analyst at gartner",
          "journalist", "consultant", "contractor", "trainee", "apprentice", "candidate"]
DOMAINS = ["@gmail.com", "@yahoo.com", ".edu", "@hotmail.com", ".org", ".gov", "@aol.com",
           "@outlook.com", "@icloud.com", "@proton.me", "@mail.ru", "@qq.com", "@163.com",
           "@gmx.de", "@web.de", "@yandex.ru", "@mailinator.com", "@tempmail.com",
           "@guerrillamail.com", ".ac.uk", ".edu.au", "@competitor.com", "@rival.io"]

# The values the leads hold, for --dense.
DENSE = {"industries": INDUSTRIES[:10], "words": ["discount", "price", "free", "cheap",
         "job", "hiring", "student", "thesis", "coupon", "trial", "quote", "demo", "sso",
         "audit", "spreadsheet"], "titles": ["student", "intern", "engineer", "founder",
         "assistant", "procurement", "freelance"], "domains": DOMAINS[:6]}


def narrow_rule(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return {"all": [{"field": "industry", "op": "in", "value": rng.sample(INDUSTRIES, 3)},
                        {"field": "employees", "op": "lt", "value": rng.choice([5, 10])}]}
    if kind == 1:
        return {"field": "message", "op": "contains", "value": rng.sample(WORDS, 2)}
    if kind == 2:
        return {"all": [{"field": "title", "op": "contains", "value": rng.sample(TITLES, 2)},
                        {"field": "country", "op": "in", "value": rng.sample(COUNTRIES, 3)}]}
    if kind == 3:
        return {"all": [{"field": "email", "op": "ends_with", "value": rng.sample(DOMAINS, 2)},
                        {"field": "budget", "op": "lt", "value": rng.choice([1000, 2000])}]}
    if kind == 4:
        return {"all": [{"field": "country", "op": "in", "value": rng.sample(COUNTRIES, 2)},
                        {"field": rng.choice(["budget", "contract_value"]), "op": "lt",
                         "value": rng.choice([500, 1000, 2000])}]}
    return {"all": [{"field": "support_tickets_per_month", "op": "gt",
                     "value": rng.randint(12, 20)},
                    {"field": "contract_value", "op": "lt",
                     "value": rng.choice([1000, 2000, 3000])}]}


def dense_rule(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return {"field": "industry", "op": "in", "value": rng.sample(DENSE["industries"], 3)}
    if kind == 1:
        return {"field": "message", "op": "contains", "value": rng.sample(DENSE["words"], 3)}
    if kind == 2:
        return {"field": "title", "op": "contains", "value": rng.sample(DENSE["titles"], 2)}
    if kind == 3:
        return {"field": "email", "op": "ends_with", "value": rng.sample(DENSE["domains"], 2)}
    if kind == 4:
        return {"field": rng.choice(["budget", "employees", "contract_value"]),
                "op": "lt", "value": rng.choice([5, 10, 500, 2000, 5000])}
    return {"all": [{"field": "support_tickets_per_month", "op": "gt",
                     "value": rng.randint(3, 15)},
                    {"field": "contract_value", "op": "lt",
                     "value": rng.choice([1000, 5000, 20000])}]}


def main():
    args = sys.argv[1:]
    dense = "--dense" in args
    args = [a for a in args if a != "--dense"]
    if len(args) != 1:
        sys.exit("usage: gen-personas.py [--dense] DIR")
    out = args[0]
    rng = random.Random(500)
    make_rule = dense_rule if dense else narrow_rule
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "personas", "policy.json")) as f:
        policy = json.load(f)
    policy["fields"]["country"] = ["Country/Region"]
    with open(os.path.join(out, "policy.json"), "w") as f:
        json.dump(policy, f, indent=1)
    for p in range(100):
        rules = [{"id": f"r{n}", "reason": f"rule {n}", "deduct": rng.randint(5, 30),
                  "when": make_rule(rng)} for n in range(5)]
        persona = {"id": f"p{p:03d}", "name": f"Persona {p}", "max_deduct": 40,
                   "rules": rules}
        with open(os.path.join(out, f"p{p:03d}.json"), "w") as f:
            json.dump(persona, f, indent=1)


if __name__ == "__main__":
    main()
