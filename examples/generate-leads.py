#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# generate-leads.py - writes examples/leads.csv: realistic HubSpot-style lead
# records that exercise every bundled persona rule. Deterministic (fixed seed);
# rerun only to change the example: python3 examples/generate-leads.py > examples/leads.csv
# With a count (python3 examples/generate-leads.py 2000), that many leads: the
# first 220 are the example's, the rest created in 2025 or 2026 (the history
# examples/generate-history.py turns into examples/history.csv).
import csv
import random
import sys

rng = random.Random(20261101)

FIRST = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
         "Kira", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Zoë", "Anaïs", "Björn", "Siobhán"]
LAST = ["Okafor", "Schmidt", "Nguyen", "O'Brien", "García", "Kowalski", "Patel", "Rossi",
        "Dubois", "Tanaka", "Murphy", "Jensen", "Silva", "Cohen", "Haddad", "Novak", "Smith"]
GOOD_INDUSTRIES = ["Computer Software", "Financial Services", "Hospital & Health Care",
                   "Information Technology and Services", "Logistics and Supply Chain",
                   "Manufacturing", "Insurance", "Telecommunications", "Higher Education"]
BAD_INDUSTRIES = ["Retail", "Hospitality", "Restaurants", "Food & Beverages",
                  "Leisure, Travel & Tourism", "retail apparel", "Hotels and Motels"]
SERVED = ["United States", "US", "Canada", "United Kingdom", "Germany", "France",
          "Netherlands", "Australia", "Ireland", "Switzerland"]
UNSERVED = ["Brazil", "India", "Nigeria", "Japan", "Mexico", "Indonesia", "Egypt"]
SIZES = ["1-10", "5", "11-50", "25", "51-200", "120", "201-500", "350", "501-1,000",
         "1,001-5,000", "5,001-10,000", "10,001+", "51-200", "201-500", "1,001-5,000", "800",
         "2,400", "1 - 10", "", "unknown"]
TITLES = ["VP of Sales", "Head of RevOps", "Marketing Manager", "CTO", "Operations Director",
          "Sales Development Rep", "CFO", "Founder & CEO", "Procurement Lead", "IT Manager"]
COMPANIES = ["Northwind Traders", "Acme, Inc.", "Globex Corporation", "Initech", "Umbrella Health",
             "Stark Logistics", "Wayne Financial", "Hooli", "Vandelay Industries", "Soylent Foods",
             "Cyberdyne Systems", "Tyrell \"Replicant\" Corp", "Massive Dynamic", "Pied Piper"]
SOURCES = ["Organic Search", "Paid Social", "Referral", "Webinar", "Trade Show", "Direct Traffic",
           "Organic Search", "Referral", "Webinar", "Partner"]
RARE_SOURCES = ["Capterra Pricing", "G2 Pricing", "Coupon Site", "Careers Page"]
MESSAGES = [
    "", "", "", "", "", "", "", "", "Interested in a demo for our sales team.",
    "We need lead routing for 40 reps, can you send pricing?",
    "Is there a discount for annual billing?",
    "Looking for the best price, we are comparing three vendors.",
    "Do you have a free version? We are a small shop.",
    "Hi,\nwe'd like a call next week.\nThanks!",
    "Evaluating tools for Q3, budget approved.",
    "I am looking for a job in customer success, are you hiring?",
    "Seeking an internship for the summer, \"any\" team is fine.",
    "Please send a coupon code, thanks",
]


def money(v):
    """An amount the way different exports and people write it."""
    forms = ["{:,}", "${:,}", "{}", "${:,}.00"]
    if v >= 1_000_000 and v % 100_000 == 0:
        return rng.choice(forms + ["{:g}M".format(v / 1e6), "${:g}M".format(v / 1e6)]).format(v)
    if v >= 1000 and v % 100 == 0:
        return rng.choice(forms + ["{:g}k".format(v / 1000)]).format(v)
    return rng.choice(forms).format(v)


def email_for(first, last, company):
    kind = rng.random()
    user = f"{first[0]}.{last}".lower().replace("'", "").replace(" ", "")
    user = user.encode("ascii", "ignore").decode() or "lead"
    if kind < 0.06:
        return f"{user}@{rng.choice(['mit.edu', 'ox.ac.uk', 'unsw.edu.au', 'stanford.edu'])}"
    if kind < 0.10:
        return f"{user}@{rng.choice(['rivalsoft.com', 'leadgenie.io'])}"
    if kind < 0.25:
        return f"{user}@{rng.choice(['gmail.com', 'yahoo.co.uk', 'hotmail.com', 'outlook.com'])}"
    domain = company.lower().split(",")[0].split('"')[0].replace(" ", "").replace(".", "")
    return f"{user}@{domain}.com"


def main():
    header = ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Company Name",
              "Industry", "Number of Employees", "Annual Revenue", "Country/Region", "Budget",
              "Lead Source", "Support Tickets per Month", "Contract Value", "Message",
              "Create Date"]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(header)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 220
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = rng.choice(COMPANIES + ["RivalSoft", "LeadGenie"] if rng.random() < 0.05 else COMPANIES)
        title = rng.choice(TITLES + ["Student", "MBA Student", "Marketing Intern"]
                           if rng.random() < 0.08 else TITLES)
        industry = rng.choice(BAD_INDUSTRIES) if rng.random() < 0.2 else (
            "" if rng.random() < 0.06 else rng.choice(GOOD_INDUSTRIES))
        country = rng.choice(UNSERVED) if rng.random() < 0.15 else (
            "" if rng.random() < 0.05 else rng.choice(SERVED))
        revenue = rng.choice([250_000, 800_000, 2_500_000, 12_000_000, 75_000_000, 400_000_000])
        budget = rng.choice([500, 1500, 1999, 5000, 12000, 25000, 60000, 8000, 15000, 40000,
                             100000, 30000])
        tickets = rng.choice([0, 1, 2, 3, 5, 8, 12, 15, 30]) if rng.random() < 0.5 else ""
        contract = rng.choice([1200, 3000, 4800, 9000, 24000, 90000]) if tickets != "" else ""
        out.writerow([
            f"{100200 + i}", first, last, email_for(first, last, company), title, company,
            industry, rng.choice(SIZES), money(revenue), country, money(budget),
            rng.choice(RARE_SOURCES if rng.random() < 0.1 else SOURCES), tickets, money(contract) if contract else "",
            rng.choice(MESSAGES),
            f"{2026 if i < 220 else rng.choice([2025, 2026])}-{rng.randint(1, 10):02d}-"
            f"{rng.randint(1, 28):02d} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        ])


if __name__ == "__main__":
    main()
