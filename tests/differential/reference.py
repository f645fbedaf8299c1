# SPDX-License-Identifier: MIT
# reference.py - an independent reference evaluator for leadsift's rules,
# written from docs/personas.md and not from the C code: numbers as CRM
# exports write them (bands included), dates in every documented form with
# the policy's date_format and today's date, every operator, all/any/not,
# caps, threshold, reasons, and the allow-list with its `until` dates.
# Used by tests/differential/run.py to check leadsift field by field.
import datetime
import re
from decimal import Decimal

BLANKS = " \t\r\n\v\f"
WS = "[ \\t\\r\\n\\v\\f]*"
CURRENCY = "(?:(?:\\$|\u20ac|\u00a3|\u00a5)" + WS + ")"
AMOUNT = (
    "(?P<{n}int>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)?"
    "(?:\\.(?P<{n}frac>[0-9]+))?"
    "(?:(?P<{n}pct>" + WS + "%)|(?P<{n}suf>" + WS + "(?:bn|[kmb]))(?![a-z]))?"
)
NUMBER = re.compile(
    "^" + CURRENCY + "?(?P<sign>[-+]" + WS + ")?" + CURRENCY + "?"
    + AMOUNT.format(n="a")
    + "(?:" + WS + "(?P<open>\\+)|" + WS + "(?P<band>-|\u2013)" + WS + CURRENCY + "?"
    + AMOUNT.format(n="b") + ")?$",
    re.IGNORECASE,
)
SCALE = {"k": 3, "m": 6, "b": 9, "bn": 9}


def amount(m, n):
    """The value of one amount match group, or None if it has no digits."""
    whole, frac = m.group(n + "int"), m.group(n + "frac")
    if whole is None and frac is None:
        return None
    digits = (whole or "").replace(",", "") + (frac or "")
    exponent = -len(frac or "")
    suffix = m.group(n + "suf")
    if suffix:
        exponent += SCALE[suffix.strip(BLANKS).lower()]
    return float(Decimal(digits).scaleb(exponent))


def parse_number(cell):
    """('ok', value), ('empty', None) or ('invalid', None)."""
    text = cell.strip(BLANKS)
    if text == "":
        return "empty", None
    m = NUMBER.match(text)
    if not m:
        return "invalid", None
    lo = amount(m, "a")
    if lo is None:
        return "invalid", None
    if m.group("sign") and m.group("sign")[0] == "-":
        lo = -lo
    # A band's upper bound must be a number not below the lower one.
    if m.group("band") is not None:
        hi = amount(m, "b")
        if hi is None or hi < lo:
            return "invalid", None
    # "12 k" parses, but "12 " followed by a band needs its own match.
    return "ok", lo


# Dates in cells ("Dates in cells" in docs/personas.md).
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
NAME = "(?P<name>[A-Za-z]+)\\.?"
YEAR = "(?P<y>[0-9]{4})(?![0-9])"
DATE_FORMS = {
    "year": re.compile("(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})(?![0-9])"),
    "name": re.compile(NAME + " *(?P<d>[0-9]{1,2})(?![0-9]),? *" + YEAR),
    "day": re.compile("(?P<d>[0-9]{1,2})[ -]" + NAME + "(?:-| *),? *" + YEAR),
    "ordered": re.compile("(?P<a>[0-9]{1,2})(?P<s>[-/.])(?P<b>[0-9]{1,2})(?P=s)" + YEAR),
}
TIME = re.compile(
    "(?:[Tt]| +)(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,][0-9]*)?)?"
    " *(?P<ap>[AaPp][Mm])? *(?:[Zz]|UTC|GMT|[-+][0-9]{2,4}(?![0-9])(?::[0-9]{2})?)?$")


def month_number(name):
    """1..12 for a month name in full, its first three letters or "sept"; else 0."""
    name = fold(name)
    for i, full in enumerate(MONTHS):
        if name == full or name == full[:3] or (i == 8 and name == "sept"):
            return i + 1
    return 0


def time_ok(rest):
    if rest == "":
        return True
    t = TIME.match(rest)
    if not t:
        return False
    h, mi = int(t.group("h")), int(t.group("mi"))
    if mi > 59 or (t.group("s") is not None and int(t.group("s")) > 60):
        return False
    return 1 <= h <= 12 if t.group("ap") else h <= 23


def parse_date(cell, order):
    """('ok', datetime.date), ('empty', None) or ('invalid', None); order is
    None, "DMY" or "MDY" (the policy's date_format)."""
    text = cell.strip(BLANKS)
    if text == "":
        return "empty", None
    for form, rx in DATE_FORMS.items():
        m = rx.match(text)
        if not m:
            continue
        if form == "year":
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        elif form in ("name", "day"):
            y, mo, d = int(m.group("y")), month_number(m.group("name")), int(m.group("d"))
        elif order is None:
            continue
        else:
            a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
            d, mo = (a, b) if order == "DMY" else (b, a)
        try:
            day = datetime.date(y, mo, d)
        except ValueError:
            return "invalid", None
        return ("ok", day) if time_ok(text[m.end():]) else ("invalid", None)
    return "invalid", None


def date_order(fmt):
    """The policy's date_format: None, "DMY" or "MDY"."""
    norm = re.sub("[-/.]", "-", fmt or "YYYY-MM-DD")
    return {"DD-MM-YYYY": "DMY", "MM-DD-YYYY": "MDY", "YYYY-MM-DD": None}[norm]


def minus_age(today, age):
    """today minus "90d", "2w", "6m" or "1y"; months keep the day, clamped."""
    n, unit = int(age[:-1]), age[-1]
    if unit == "d":
        return today - datetime.timedelta(days=n)
    if unit == "w":
        return today - datetime.timedelta(weeks=n)
    months = today.year * 12 + today.month - 1 - n * (12 if unit == "y" else 1)
    y, m = divmod(months, 12)
    for d in range(today.day, 0, -1):
        try:
            return datetime.date(y, m + 1, d)
        except ValueError:
            pass
    raise ValueError(age)


def fold_char(c):
    """A letter's lower case of its upper case, by one-to-one mappings only
    (glibc's simple case mappings, which leadsift uses)."""
    up = c.upper()
    up = up if len(up) == 1 else c
    low = up.lower()
    return low if len(low) == 1 else up


def fold(s):
    return "".join(fold_char(c) for c in s)


DATE_OPS = ("before", "after", "older_than", "newer_than")


def leaf(cond, row, env):
    cell = row[cond["field"]].strip(BLANKS)
    op, value = cond["op"], cond.get("value")
    if op in DATE_OPS:
        kind, day = parse_date(cell, env["order"])
        if kind != "ok":
            return False
        if op == "before":
            return day < datetime.date.fromisoformat(value)
        if op == "after":
            return day > datetime.date.fromisoformat(value)
        cut = minus_age(env["today"], value)
        return day < cut if op == "older_than" else day >= cut
    cs = cond.get("case_sensitive", False)
    text = cell if cs else fold(cell)

    def norm(s):
        return s if cs else fold(s)

    def as_list(v):
        return v if isinstance(v, list) else [v]

    if op == "empty":
        return cell == ""
    if op == "not_empty":
        return cell != ""
    kind, num = parse_number(cell)
    if op in ("lt", "lte", "gt", "gte", "between") or (op in ("eq", "ne") and not isinstance(value, str)):
        if kind != "ok":
            return False
        if op == "lt":
            return num < value
        if op == "lte":
            return num <= value
        if op == "gt":
            return num > value
        if op == "gte":
            return num >= value
        if op == "between":
            return value[0] <= num <= value[1]
        return num == value if op == "eq" else num != value
    if op in ("eq", "ne"):
        return (text == norm(value)) == (op == "eq")
    if op in ("in", "not_in"):
        hit = any(
            (isinstance(v, str) and text == norm(v)) or (not isinstance(v, str) and kind == "ok" and num == v)
            for v in value
        )
        return hit == (op == "in")
    if op in ("contains", "not_contains"):
        hit = any(norm(v) in text for v in as_list(value))
        return hit == (op == "contains")
    if op == "starts_with":
        return any(text.startswith(norm(v)) for v in as_list(value))
    if op == "ends_with":
        return any(text.endswith(norm(v)) for v in as_list(value))
    if op == "matches":
        flags = 0 if cs else re.IGNORECASE
        return any(re.search(p, cell, flags) for p in as_list(value))
    raise ValueError(op)


def holds(cond, row, env):
    if "all" in cond:
        return all(holds(c, row, env) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, row, env) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], row, env)
    return leaf(cond, row, env)


def fmt(d):
    """Shortest exact decimal: 65, 72.5, -0.25."""
    text = format(d.quantize(Decimal("0.000001")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score(personas, policy, row, allow=(), today=None):
    """(score text, 'true'/'false', reasons) for one lead; row maps field ->
    cell; policy holds base, threshold and date_format (each optional);
    allow is the allow-list's entries; today a datetime.date."""
    env = {"order": date_order(policy.get("date_format")), "today": today}
    total = Decimal(0)
    disqualified = False
    reasons = []
    for p in personas:
        deducted = Decimal(0)
        for r in p["rules"]:
            if holds(r["when"], row, env):
                deducted += Decimal(str(r.get("deduct", 0)))
                disqualified |= r.get("disqualify", False)
                reasons.append(f"{p['id']}/{r['id']}: {r['reason']}")
        if "max_deduct" in p:
            deducted = min(deducted, Decimal(str(p["max_deduct"])))
        total += deducted
    final = Decimal(str(policy.get("base", 100))) - total
    disqualified |= final < Decimal(str(policy.get("threshold", 50)))
    # An active entry (no `until`, or `until` not before today) keeps the lead.
    for a in allow:
        if "until" in a and datetime.date.fromisoformat(a["until"]) < today:
            continue
        if holds(a["when"], row, env):
            disqualified = False
            reasons.append(f"allow/{a['id']}: {a['reason']}")
    return fmt(final), "true" if disqualified else "false", "; ".join(reasons)
