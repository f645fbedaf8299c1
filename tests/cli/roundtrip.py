# SPDX-License-Identifier: MIT
# roundtrip.py IN OUT - checks with Python's csv module (an independent
# reader) that OUT holds IN's records field for field, each with three more
# fields: a score, true/false, and the reasons.
import csv
import re
import sys


def records(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


src, out = records(sys.argv[1]), records(sys.argv[2])
if len(src) != len(out):
    sys.exit(f"{len(src)} records in, {len(out)} out")
for n, (a, b) in enumerate(zip(src, out), 1):
    if b[:-3] != a:
        sys.exit(f"record {n}: fields differ")
    if n == 1:
        if b[-3:] != ["score", "disqualified", "reasons"]:
            sys.exit(f"header ends with {b[-3:]}")
    elif not re.fullmatch(r"-?\d+(\.\d+)?", b[-3]) or b[-2] not in ("true", "false"):
        sys.exit(f"record {n}: bad annotation {b[-3:-1]}")
print(f"{len(src) - 1} records match")
