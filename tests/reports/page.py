# SPDX-License-Identifier: MIT
# page.py - the backtest page's figures against the JSON report, shared by
# check.py (the page as written) and browser.py (the page as a browser
# built it).
#
# Every figure on the page carries data-key (where it is in the JSON) and
# data-value. A table cell must show its value as the report formats it; a
# chart mark must be drawn where its value puts it: charts say how values
# map to positions (data-x0 and data-scale: x = x0 + value * scale;
# data-y0: y = y0 - value * scale).
from html.parser import HTMLParser

VERDICT_TEXT = {"too_few": "too few leads to tell", "costly": "costs good deals",
                "dead_weight": "dead weight"}
VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children, self.text = [], []

    def get(self, name):
        return self.attrs.get(name)

    def all_text(self):
        return "".join(t if isinstance(t, str) else t.all_text() for t in self.text)

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def inherited(self, name):
        node = self
        while node is not None:
            if name in node.attrs:
                return node.attrs[name]
            node = node.parent
        return None


class Tree(HTMLParser):
    """An element tree from HTML or XHTML, as either is serialised."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.at = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        self.at.text.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        self.at.text.append(node)

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.text.append(data)


def lookup(report, key):
    """A data-key such as personas[0].rules[1].lift or matrix.kept_converted."""
    node = report
    for part in key.split("."):
        name, _, index = part.partition("[")
        node = node[name]
        if index:
            node = node[int(index.rstrip("]"))]
    return node


def fixed(v):
    """A number as leadsift writes a score or deduction: no needless zeros."""
    return f"{v:.6f}".rstrip("0").rstrip(".")


def action(deduct, disqualify):
    if float(deduct) == 0 and disqualify:
        return "disqualify"
    return f"deduct {fixed(float(deduct))}" + (", disqualify" if disqualify else "")


def shown_as(key, want, report):
    """How a cell shows the figure want at key."""
    if key.endswith("verdict"):
        return VERDICT_TEXT.get(want, "")
    if key.endswith("max_deduct"):
        return "" if want is None else f"at most {fixed(float(want))}"
    if key.endswith(".deduct"):
        return action(want, lookup(report, key[: -len("deduct")] + "disqualify"))
    if want is None:
        return "-"
    if isinstance(want, list):
        if key.endswith("alone_interval"):
            return f"{100 * want[0]:.1f}\u2013{100 * want[1]:.1f}%"
        return f"{want[0]:.2f}\u2013{want[1]:.2f}"
    if key.endswith("rate") or key.endswith("share") or key.endswith("share_of_converted"):
        return f"{100 * want:.2f}%"
    if key.endswith("q_value"):
        return "<0.001" if want < 0.001 else f"{want:.3f}"
    if key.endswith("lift") or key.endswith("value") or (
            key.startswith("money.") and key != "money.not_worked"):
        return f"{want:.2f}"
    return str(want)


def value_of(key, raw, want):
    """data-value read back as the JSON has it."""
    if raw == "null":
        return None
    if key.endswith("verdict"):
        return raw
    if isinstance(want, list):
        return [float(v) for v in raw.split()]
    return float(raw)


def same(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-9 * max(1, abs(b))
    return a == b


def near(a, b):
    return abs(float(a) - float(b)) < 0.01


def check_mark(node, key, want, fail):
    """A chart mark is drawn where its value puts it."""
    x0, y0 = node.inherited("data-x0"), node.inherited("data-y0")
    scale = float(node.inherited("data-scale") or "nan")
    a = node.attrs
    if node.tag == "circle":
        ok = near(a["cx"], float(x0) + want * scale)
    elif node.tag == "line" and a.get("class") == "interval" and a["y1"] == a["y2"]:
        ok = near(a["x1"], float(x0) + want[0] * scale) and near(a["x2"], float(x0) + want[1] * scale)
    elif node.tag == "line" and a.get("class") == "interval":
        ok = near(a["y1"], float(y0) - want[0] * scale) and near(a["y2"], float(y0) - want[1] * scale)
    elif node.tag == "line" and a.get("class") == "base":
        ok = near(a["x1"], float(x0) + want * scale)
    elif node.tag == "rect" and y0 is not None:
        ok = near(a["height"], want * scale) and near(a["y"], float(y0) - want * scale)
    elif node.tag == "rect":
        ok = near(a["width"], want * scale) and near(a["x"], x0)
    else:
        ok = node.tag == "line" and a.get("class") == "threshold"
    if not ok:
        fail(f"chart mark {node.tag} {key} is not drawn at {want!r}: {a}")


def check_figures(text, report, fail):
    """Checks every figure of the page text against report; returns the
    number of table cells and the set of chart marks' keys."""
    cells, marks = 0, set()
    for node in Tree(text).root.iter():
        key = node.get("data-key")
        if key is None:
            continue
        want = lookup(report, key)
        value = value_of(key, node.get("data-value"), want)
        expect = want if not key.endswith(".deduct") else float(want)
        if not same(value, expect):
            fail(f"page {key}: data-value {node.get('data-value')!r}, JSON {want!r}")
        if node.tag in ("td", "th"):
            cells += 1
            shown = node.all_text().strip()
            if shown != shown_as(key, want, report):
                fail(f"page {key}: shows {shown!r}, want {shown_as(key, want, report)!r}")
        else:
            marks.add(key)
            if want is not None:
                check_mark(node, key, want, fail)
    return cells, marks


def expected_marks(report):
    """The chart marks a report's page must draw."""
    marks = {"threshold", "base_rate"}
    for p, persona in enumerate(report["personas"]):
        rows = [(f"personas[{p}]", persona, False)]
        rows += [(f"personas[{p}].rules[{k}]", r, True) for k, r in enumerate(persona["rules"])]
        for key, h, rule in rows:
            if h["alone"] > 0:
                marks |= {f"{key}.alone_interval", f"{key}.alone_rate"}
            if rule and h["lift"] is not None:
                marks |= {f"{key}.lift", f"{key}.lift_interval"}
    for i, _ in enumerate(report.get("periods", {}).get("list", [])):
        marks |= {f"periods.list[{i}].{k}" for k in ("base_rate", "base_rate_interval",
                                                     "missed_share")}
    return marks
