#!/usr/bin/env python3
"""The benchmark's seven rules (bench/personas) in Python with the csv
module: what a team would write instead of leadsift. Reads CSV on standard
input, writes it with score, disqualified and reasons appended."""
import csv
import sys


def number(text):
    """A cell as leadsift reads the generator's numbers: "$8,000.00", "1,001-5,000"."""
    text = text.strip().replace("$", "").replace(",", "")
    if "-" in text:
        text = text.split("-")[0]
    try:
        return float(text)
    except ValueError:
        return None


def lt(value, limit):
    return value is not None and value < limit


def main():
    reader = csv.reader(sys.stdin)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = next(reader)
    writer.writerow(header + ["score", "disqualified", "reasons"])
    col = {name: i for i, name in enumerate(header)}
    email, title, industry = col["Email"], col["Job Title"], col["Industry"]
    employees, budget, message = col["Number of Employees"], col["Budget"], col["Message"]
    tickets, contract = col["Support Tickets per Month"], col["Contract Value"]
    for row in reader:
        score, disqualified, reasons = 100, False, []
        if industry_of(row[industry]) in ("retail", "hospitality", "restaurants"):
            score -= 40
            reasons.append("mismatched-industry/not-served: industry we do not serve")
        t = row[title].strip().lower()
        if "student" in t or "intern" in t:
            disqualified = True
            reasons.append("non-buyer/student: student or intern")
        if row[email].strip().lower().endswith(("@gmail.com", "@yahoo.com", ".edu")):
            score -= 10
            reasons.append("non-buyer/free-mail: personal or school e-mail")
        if lt(number(row[budget]), 2000):
            score -= 25
            reasons.append("price-haggler/tiny-budget: budget under $2,000")
        m = row[message].strip().lower()
        if "discount" in m or "best price" in m or "free version" in m:
            score -= 15
            reasons.append("price-haggler/discount-first: asks for a discount up front")
        n = number(row[tickets])
        if n is not None and n > 10 and lt(number(row[contract]), 5000):
            score -= 35
            reasons.append("support-drainer/tickets-small-contract: many tickets on a small contract")
        if lt(number(row[employees]), 10):
            score -= 30
            reasons.append("tiny-company/under-10: fewer than 10 employees")
        disqualified = disqualified or score < 50
        writer.writerow(row + [str(score), "true" if disqualified else "false", "; ".join(reasons)])


def industry_of(text):
    return text.strip().lower()


if __name__ == "__main__":
    main()
