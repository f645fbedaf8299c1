# SPDX-License-Identifier: MIT
# all_rules_hit.py STATS - every rule in a --stats summary fired at least once.
import json
import sys

stats = json.load(open(sys.argv[1]))
silent = [f"{p['id']}/{r['id']}" for p in stats["personas"] for r in p["rules"] if r["hits"] == 0]
print("rules that never fired:", ", ".join(silent) if silent else "none")
sys.exit(1 if silent else 0)
