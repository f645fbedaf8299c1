# SPDX-License-Identifier: MIT
# stats_identity.py STATS - no row lost: rows read = written + filtered + rejected
# (records of empty fields only, like blank lines, are not rows: empty_records).
import json
import sys

s = json.load(open(sys.argv[1]))
total = s["rows_written"] + s["rows_filtered"] + s["rows_rejected"]
print(f"read {s['rows_read']} = written {s['rows_written']} + filtered {s['rows_filtered']}"
      f" + rejected {s['rows_rejected']}")
sys.exit(0 if s["rows_read"] == total else 1)
