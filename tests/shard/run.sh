#!/bin/sh
# Sharding end to end: GNU parallel cuts a generated export (quoted commas,
# quotes and line breaks) into 2 MB blocks of whole CSV records, each block
# is scored with --no-header --header-from and its own --stats, and the
# joined output and `leadsift stats merge` of the summaries must equal one
# run over the whole file, byte for byte (but for elapsed_seconds).
#
#   run.sh LEADSIFT GEN_LEADS PERSONAS
set -eu
LEADSIFT=$(realpath "$1") GEN=$(realpath "$2") PERSONAS=$(realpath "$3")
if ! command -v parallel >/dev/null || ! perl -MText::CSV -e 1 2>/dev/null; then
	# A check that cannot run fails: a skip that passes would hide it.
	echo "shard: FAIL: needs GNU parallel and Text::CSV (apt-get install parallel libtext-csv-perl)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$GEN" 60000 7 > leads.csv
mkdir stats
today="--today 2026-11-01"

"$LEADSIFT" $today -p "$PERSONAS" --stats single.json - < leads.csv > single.csv
head -n 1 leads.csv > header.csv
"$LEADSIFT" $today -p "$PERSONAS" header.csv > sharded.csv
tail -n +2 leads.csv |
	parallel --pipe --csv --block 2M -k \
		"$LEADSIFT" $today -p "$PERSONAS" --no-header --header-from header.csv \
		--stats stats/{#}.json - >> sharded.csv
shards=$(ls stats | wc -l)
"$LEADSIFT" stats merge stats/*.json > merged.json

if [ "$shards" -lt 3 ]; then
	echo "shard: FAIL: expected several shards, got $shards"
	exit 1
fi
if ! cmp single.csv sharded.csv; then
	echo "shard: FAIL: output of $shards shards differs from one run"
	exit 1
fi
python3 - single.json merged.json <<'PY'
import json, sys
one, merged = (json.load(open(p)) for p in sys.argv[1:])
for d in (one, merged):
    d.pop("elapsed_seconds")
if one != merged:
    for k in one:
        if one[k] != merged.get(k):
            print(f"shard: FAIL: merged {k} = {merged.get(k)!r}, one run: {one[k]!r}")
    sys.exit(1)
PY
echo "shard: $shards shards of $(wc -c < leads.csv) bytes: output and merged stats equal one run"
