# SPDX-License-Identifier: MIT
# reference.py - an independent reference evaluator for leadsift's rules,
# written from docs/personas.md and not from the C code: numbers as CRM
# exports write them, every operator, all/any/not, caps, threshold, reasons.
# Used by tests/diff/run.py to check leadsift field by field.
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
    + "(?:" + WS + "(?P<open>\\+)|" + WS + "(?:-|\u2013)" + WS + CURRENCY + "?"
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
    band_hi = m.group("bint") is not None or m.group("bfrac") is not None
    if band_hi and amount(m, "b") < lo:
        return "invalid", None
    # "12 k" parses, but "12 " followed by a band needs its own match.
    return "ok", lo


def fold(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def leaf(cond, row):
    cell = row[cond["field"]].strip(BLANKS)
    op, value = cond["op"], cond.get("value")
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
        flags = 0 if cs else re.IGNORECASE | re.ASCII
        return any(re.search(p, cell, flags) for p in as_list(value))
    raise ValueError(op)


def holds(cond, row):
    if "all" in cond:
        return all(holds(c, row) for c in cond["all"])
    if "any" in cond:
        return any(holds(c, row) for c in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], row)
    return leaf(cond, row)


def fmt(d):
    """Shortest exact decimal: 65, 72.5, -0.25."""
    text = format(d.quantize(Decimal("0.000001")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score(personas, base, threshold, row):
    """(score text, 'true'/'false', reasons) for one lead; row maps field -> cell."""
    total = Decimal(0)
    disqualified = False
    reasons = []
    for p in personas:
        deducted = Decimal(0)
        for r in p["rules"]:
            if holds(r["when"], row):
                deducted += Decimal(str(r.get("deduct", 0)))
                disqualified |= r.get("disqualify", False)
                reasons.append(f"{p['id']}/{r['id']}: {r['reason']}")
        if "max_deduct" in p:
            deducted = min(deducted, Decimal(str(p["max_deduct"])))
        total += deducted
    final = Decimal(str(base)) - total
    disqualified |= final < Decimal(str(threshold))
    return fmt(final), "true" if disqualified else "false", "; ".join(reasons)
