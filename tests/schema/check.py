#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# check.py - the JSON Schemas in personas/schema/ against the rule loader.
#
# With a real validator (Debian's python3-jsonschema; run with /usr/bin/python3):
#   1. every schema is a valid draft-07 schema;
#   2. every bundled persona, policy and allow-list file, and every fixture
#      the tests load as valid, validates, and the bundled ones name their
#      schema in "$schema";
#   3. every invalid fixture in tests/fixtures/bad is refused by the loader,
#      and by the schema too unless LOADER_ONLY says why a schema cannot see
#      the mistake (then the schema must accept it, so the list stays exact);
#   4. a set of small documents, valid and invalid, gets the same verdict
#      from the schema and from the loader.
#
# Usage: /usr/bin/python3 tests/schema/check.py path/to/leadsift
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    sys.exit("check.py: needs python3-jsonschema (apt-get install python3-jsonschema); "
             "run it with /usr/bin/python3")

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_DIR = os.path.join(TOP, "personas", "schema")
SCHEMA_FILE = {"persona": "persona.schema.json", "policy": "policy.schema.json",
               "allow": "allow.schema.json"}

# Mistakes a JSON Schema cannot express; the loader refuses them.
LOADER_ONLY = {
    "allow-dup.json": "an id used twice in the list",
    "backref.json": "a regular expression with a back-reference",
    "bad-regex.json": "an invalid POSIX regular expression",
    "deep.json": "JSON nested more than 64 levels",
    "dup-persona.json": "a persona id another loaded file uses",
    "dup-rule.json": "a rule id used twice in the persona",
    "too-precise.json": "more than six decimal places",
}

# The validator recurses a dozen frames per level of a condition; the loader
# allows 64 levels.
sys.setrecursionlimit(20000)
failures = []
scratch = tempfile.mkdtemp()


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def load_schemas():
    store = {}
    for name in os.listdir(SCHEMA_DIR):
        with open(os.path.join(SCHEMA_DIR, name)) as f:
            schema = json.load(f)
        jsonschema.Draft7Validator.check_schema(schema)
        store["file://" + os.path.join(SCHEMA_DIR, name)] = schema
    return store


STORE = load_schemas()


def schema_errors(kind, text):
    """The schema's complaints about a document (a JSON syntax error is one)."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        return ["invalid JSON: %s" % e]
    uri = "file://" + os.path.join(SCHEMA_DIR, SCHEMA_FILE[kind])
    resolver = jsonschema.RefResolver(base_uri=uri, referrer=STORE[uri], store=STORE)
    validator = jsonschema.Draft7Validator(STORE[uri], resolver=resolver)
    return ["%s: %s" % ("/".join(map(str, e.absolute_path)) or "(top)", e.message)
            for e in validator.iter_errors(doc)]


MINIMAL_PERSONA = ('{"id": "minimal", "rules": [{"id": "r", "reason": "x", "deduct": 1, '
                   '"when": {"field": "a", "op": "empty"}}]}')


def loader_verdict(kind, text, extra=()):
    """(exit status, stderr) of `leadsift check` loading the document as its kind."""
    d = tempfile.mkdtemp(dir=scratch)
    name = {"persona": "doc.json", "policy": "policy.json", "allow": "allow.json"}[kind]
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
    if kind != "persona":
        with open(os.path.join(d, "minimal.json"), "w") as f:
            f.write(MINIMAL_PERSONA)
    with open(os.path.join(d, "list.txt"), "w") as f:  # for "value_file"
        f.write("# a list\nx\n")
    with open(os.path.join(d, "table.csv"), "w") as f:  # for "lookups"
        f.write("Org,Tickets\nAcme,3\n")
    prefix = os.environ.get("VALGRIND", "").split()
    args = [sys.argv[1], "check", "-q", "--today", "2026-11-22"]
    for p in list(extra) + [d]:
        args += ["-p", p]
    p = subprocess.run(prefix + args, capture_output=True, text=True)
    if p.returncode not in (0, 2):
        fail("leadsift check exited %d: %s" % (p.returncode, p.stderr.strip()))
    return p.returncode, p.stderr.strip()


def kind_of(path, text):
    base = os.path.basename(path)
    if base == "policy.json":
        return "policy"
    if base == "allow.json":
        return "allow"
    try:
        doc = json.loads(text)
    except ValueError:
        return "persona"
    return "allow" if isinstance(doc, dict) and "allow" in doc else "persona"


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_valid_files():
    bundled = sorted(glob.glob(os.path.join(TOP, "personas", "*.json")))
    fixtures = sorted(p for p in glob.glob(os.path.join(TOP, "tests", "fixtures", "**", "*.json"),
                                           recursive=True)
                      if os.sep + "bad" + os.sep not in p)
    for path in bundled + fixtures:
        rel = os.path.relpath(path, TOP)
        text = read(path)
        kind = kind_of(path, text)
        for e in schema_errors(kind, text):
            fail("%s (%s): %s" % (rel, kind, e))
        if path in bundled:
            named = json.loads(text).get("$schema")
            want = os.path.join(SCHEMA_DIR, SCHEMA_FILE[kind])
            if named is None or os.path.normpath(os.path.join(os.path.dirname(path), named)) != want:
                fail("%s: \"$schema\" is %r, not the path of %s" % (rel, named, SCHEMA_FILE[kind]))
    return len(bundled) + len(fixtures)


def check_bad_fixtures():
    paths = sorted(glob.glob(os.path.join(TOP, "tests", "fixtures", "bad", "*.json")))
    small = os.path.join(TOP, "tests", "fixtures", "small")
    for path in paths:
        name = os.path.basename(path)
        text = read(path)
        kind = kind_of(path, text)
        # A duplicate persona id is only one next to the persona it repeats.
        status, err = loader_verdict(kind, text, [small] if name == "dup-persona.json" else [])
        if status != 2:
            fail("bad/%s: the loader accepted it" % name)
        errors = schema_errors(kind, text)
        if name in LOADER_ONLY and errors:
            fail("bad/%s: listed as loader-only (%s) but the schema refuses it too: %s; "
                 "take it off LOADER_ONLY" % (name, LOADER_ONLY[name], errors[0]))
        if name not in LOADER_ONLY and not errors:
            fail("bad/%s: the loader refuses it (%s) but the schema accepts it" % (name, err))
    for name in LOADER_ONLY:
        if not os.path.exists(os.path.join(TOP, "tests", "fixtures", "bad", name)):
            fail("LOADER_ONLY names bad/%s, which does not exist" % name)
    return len(paths)


def leaf(body):
    return ('{"id": "p", "rules": [{"id": "r", "reason": "x", "deduct": 1, "when": %s}]}' % body)


# (kind, document, valid?) - the schema and the loader must both say so.
CASES = [
    ("persona", leaf('{"field": "a", "op": "eq", "value": "x", "case_sensitive": true}'), True),
    ("persona", leaf('{"field": "a", "op": "eq", "value": 3}'), True),
    ("persona", leaf('{"field": "a", "op": "in", "value": ["x", 3], "case_sensitive": false}'), True),
    ("persona", leaf('{"field": "a", "op": "contains", "value": "x"}'), True),
    ("persona", leaf('{"field": "a", "op": "matches", "value": ["^a", "b$"]}'), True),
    ("persona", leaf('{"field": "a", "op": "between", "value": [1, 2.5]}'), True),
    ("persona", leaf('{"field": "a", "op": "not_empty", "$comment": "why"}'), True),
    ("persona", leaf('{"field": "a", "op": "older_than", "value": "90d"}'), True),
    ("persona", leaf('{"field": "a", "op": "before", "value": "2026-01-31"}'), True),
    ("persona", leaf('{"all": [{"field": "a", "op": "gt", "value": 1}, '
                     '{"not": {"any": [{"field": "b", "op": "empty"}]}}]}'), True),
    ("persona", '{"id": "p", "max_deduct": 0, "name": "n", "version": "1", "rules": [{"id": "r", '
                '"reason": "x", "disqualify": true, "when": {"field": "a", "op": "empty"}}]}', True),
    ("persona", leaf('{"field": "a", "op": "in", "value_file": "list.txt"}'), True),
    ("persona", leaf('{"field": "a", "op": "not_in", "value_file": "list.txt", '
                     '"case_sensitive": true}'), True),
    ("persona", leaf('{"field": "a", "op": "ends_with", "value_file": "list.txt"}'), True),
    ("persona", leaf('{"field": "a", "op": "not_contains", "value_file": "list.txt"}'), True),
    ("persona", leaf('{"field": "a", "op": "eq", "value_file": "list.txt"}'), False),
    ("persona", leaf('{"field": "a", "op": "matches", "value_file": "list.txt"}'), False),
    ("persona", leaf('{"field": "a", "op": "empty", "value_file": "list.txt"}'), False),
    ("persona", leaf('{"field": "a", "op": "in", "value": ["x"], "value_file": "list.txt"}'), False),
    ("persona", leaf('{"field": "a", "op": "in", "value_file": ""}'), False),
    ("persona", leaf('{"field": "a", "op": "starts_with", "value_file": ["list.txt"]}'), False),
    ("persona", leaf('{"field": "a", "op": "equals", "value": "x"}'), False),
    ("persona", leaf('{"field": "a", "op": "eq"}'), False),
    ("persona", leaf('{"field": "a", "op": "eq", "value": ["x"]}'), False),
    ("persona", leaf('{"field": "a", "op": "eq", "value": 3, "case_sensitive": true}'), False),
    ("persona", leaf('{"field": "a", "op": "in", "value": "x"}'), False),
    ("persona", leaf('{"field": "a", "op": "in", "value": []}'), False),
    ("persona", leaf('{"field": "a", "op": "in", "value": [1, 2], "case_sensitive": true}'), False),
    ("persona", leaf('{"field": "a", "op": "contains", "value": []}'), False),
    ("persona", leaf('{"field": "a", "op": "contains", "value": 3}'), False),
    ("persona", leaf('{"field": "a", "op": "lt", "value": "10"}'), False),
    ("persona", leaf('{"field": "a", "op": "lt", "value": 10, "case_sensitive": false}'), False),
    ("persona", leaf('{"field": "a", "op": "between", "value": [1, 2, 3]}'), False),
    ("persona", leaf('{"field": "a", "op": "empty", "value": ""}'), False),
    ("persona", leaf('{"field": "a", "op": "empty", "case_sensitive": true}'), False),
    ("persona", leaf('{"field": "a", "op": "after", "value": "2026-1-5"}'), False),
    ("persona", leaf('{"field": "a", "op": "newer_than", "value": "90"}'), False),
    ("persona", leaf('{"field": "a", "op": "newer_than", "value": "90d", "case_sensitive": true}'), False),
    ("persona", leaf('{"field": "", "op": "empty"}'), False),
    ("persona", leaf('{"field": "a", "op": "empty", "all": []}'), False),
    ("persona", leaf('{"not": [{"field": "a", "op": "empty"}]}'), False),
    ("persona", leaf('{"any": []}'), False),
    ("persona", leaf('{"all": [{"field": "a", "op": "empty"}], "any": [{"field": "a", "op": "empty"}]}'), False),
    ("persona", leaf('{}'), False),
    ("persona", '{"id": "p", "rules": []}', False),
    ("persona", '{"rules": [{"id": "r", "reason": "x", "deduct": 1, "when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "max_deduct": -1, "rules": [{"id": "r", "reason": "x", "deduct": 1, '
                '"when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "rules": [{"id": "r", "reason": "x", "disqualify": false, '
                '"when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "rules": [{"id": "r", "reason": "", "deduct": 1, '
                '"when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "rules": [{"id": "R", "reason": "x", "deduct": 1, '
                '"when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "rules": [{"id": "r", "reason": "x", "deduct": 2e9, '
                '"when": {"field": "a", "op": "empty"}}]}', False),
    ("persona", '{"id": "p", "rules": [{"id": "r", "reason": "x", "deduct": 1}]}', False),
    ("policy", '{"base": 100, "threshold": 50, "date_format": "DD/MM/YYYY", '
               '"fields": {"email": "E-mail", "employees": ["Employees", "Headcount"]}}', True),
    ("policy", '{"$comment": "x", "base": -5.5}', True),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org", "match": "company"}}}', True),
    ("policy", '{"lookups": {"t-1": {"file": "table.csv", "key": "Org", "duplicates": "first", '
               '"delimiter": ",", "encoding": "latin1", '
               '"match": {"field": "email", "part": "domain"}}}}', True),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org"}}}', False),
    ("policy", '{"lookups": {"t.x": {"file": "table.csv", "key": "Org", "match": "c"}}}', False),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org", "match": "c", '
               '"duplicates": "last"}}}', False),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org", '
               '"match": {"field": "email", "part": "user"}}}}', False),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org", "match": "c", '
               '"delimiter": ":"}}}', False),
    ("policy", '{"lookups": {"t": {"file": "table.csv", "key": "Org", "match": "c", "x": 1}}}',
     False),
    ("policy", '{"lookups": ["table.csv"]}', False),
    ("policy", '{"base": "100"}', False),
    ("policy", '{"threshold": 2e9}', False),
    ("policy", '{"fields": {"email": []}}', False),
    ("policy", '{"fields": {"email": [""]}}', False),
    ("policy", '{"fields": {"": "Email"}}', False),
    ("policy", '{"fields": ["Email"]}', False),
    ("policy", '{"date_format": "D/M/Y"}', False),
    ("policy", '{"treshold": 50}', False),
    ("policy", '{"missing_values": ["Select", "N/A", " - "]}', True),
    ("policy", '{"require": {"field": "lead_id", "op": "matches", "value": "^00Q"}}', True),
    ("policy", '{"require": {"all": [{"field": "id", "op": "not_empty"}, '
               '{"not": {"field": "id", "op": "starts_with", "value": "Total"}}]}}', True),
    ("policy", '{"require": "Lead ID"}', False),
    ("policy", '{"encoding": "windows-1252"}', True),
    ("policy", '{"encoding": ""}', False),
    ("policy", '{"encoding": 1252}', False),
    ("policy", '{"require": {"field": "lead_id", "op": "matchez", "value": "^00Q"}}', False),
    ("policy", '{"require": {"field": "lead_id"}}', False),
    ("policy", '{"missing_values": []}', True),
    ("policy", '{"missing_values": "N/A"}', False),
    ("policy", '{"missing_values": ["N/A", " "]}', False),
    ("policy", '{"missing_values": [3]}', False),
    ("policy", '{"fields": {"employees": {"aliases": ["Headcount"], "missing_values": ["unknown"]}}}',
     True),
    ("policy", '{"fields": {"employees": {"missing_values": ["unknown"]}}}', True),
    ("policy", '{"fields": {"employees": {"aliases": "Headcount"}}}', True),
    ("policy", '{"fields": {"employees": {}}}', False),
    ("policy", '{"fields": {"employees": {"alias": ["Headcount"]}}}', False),
    ("policy", '{"fields": {"employees": {"aliases": []}}}', False),
    ("policy", '{"fields": {"employees": {"missing_values": [""]}}}', False),
    ("allow", '{"allow": [{"id": "a", "reason": "x", "until": "2026-12-31", '
              '"when": {"field": "a", "op": "eq", "value": "y"}}]}', True),
    ("allow", '{"allow": []}', True),
    ("allow", '{"allow": [{"id": "a", "reason": "x"}]}', False),
    ("allow", '{"allow": [{"id": "a", "reason": "x", "until": "soon", '
              '"when": {"field": "a", "op": "empty"}}]}', False),
    ("allow", '{"allow": [{"id": "a", "reason": "x", "deduct": 1, '
              '"when": {"field": "a", "op": "empty"}}]}', False),
    ("allow", '{"allow": {}}', False),
    ("allow", '{"entries": []}', False),
]


def check_cases():
    for kind, text, valid in CASES:
        errors = schema_errors(kind, text)
        status, err = loader_verdict(kind, text)
        if bool(errors) == valid:
            fail("schema says %s for %s %s: %s" % ("invalid" if errors else "valid", kind, text,
                                                  errors[:1]))
        if (status == 0) != valid:
            fail("loader says %s for %s %s: %s" % ("valid" if status == 0 else "invalid", kind,
                                                  text, err))
    return len(CASES)


if len(sys.argv) != 2:
    sys.exit("usage: check.py path/to/leadsift")
try:
    n_valid = check_valid_files()
    n_bad = check_bad_fixtures()
    n_cases = check_cases()
finally:
    shutil.rmtree(scratch)
if failures:
    sys.exit("schema: %d failures" % len(failures))
print("schema: %d valid files, %d invalid fixtures (%d loader-only), %d documents: "
      "schema and loader agree" % (n_valid, n_bad, len(LOADER_ONLY), n_cases))
