#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - allocation-failure test: runs leadsift once per allocation it
# makes, with that allocation failing (tests/alloc/failmalloc.c), over two
# loads: loading the bundled rules, and a scoring run with -o. Every run must
# either succeed with the right output or fail cleanly: exit 1 and
# "out of memory", no crash, no output file, no temporary file, and no
# more blocks left allocated at exit than a full run leaves (libc's own).
#
# Usage: sh tests/alloc/run.sh BINARY SHIM
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shim=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

head -n 40 "$top/examples/leads.csv" > leads.csv
"$bin" -p "$top/personas" -o expected.csv leads.csv

checked=0
failed=0
check_load() { # name, then the leadsift arguments
	name=$1
	shift
	rm -f out.csv
	FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@"
	# libc keeps a few blocks for good (time zone data): what a full run
	# leaves is the baseline, and no failed run may leave more.
	read total baseline < count.txt
	rm -f out.csv
	n=1
	while [ "$n" -le "$total" ]; do
		status=0
		FAILMALLOC_AT=$n FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@" 2>err.txt ||
			status=$?
		read calls live < count.txt
		problem=
		if [ "$status" -eq 0 ]; then
			cmp -s out.csv expected.csv || problem="succeeded with wrong output"
		elif [ "$status" -ne 1 ]; then
			problem="exit status $status"
		elif ! grep -q 'out of memory' err.txt; then
			problem="message: $(cat err.txt)"
		elif [ -e out.csv ]; then
			problem="left an output file"
		fi
		if ls -A | grep -q 'leadsift-'; then
			problem="$problem left a temporary file"
		fi
		if [ "$live" -gt "$baseline" ]; then
			problem="$problem leaked $((live - baseline)) blocks"
		fi
		if [ -n "$problem" ]; then
			echo "FAIL $name: allocation $n of $total: $problem"
			failed=$((failed + 1))
		fi
		rm -f out.csv .out.csv.leadsift-*
		checked=$((checked + 1))
		n=$((n + 1))
	done
	echo "$name: $total allocations, each failed once"
}

check_load score -p "$top/personas" -o out.csv leads.csv
check_load stats -p "$top/personas" -o out.csv --stats stats.json --rejects rej.csv leads.csv
echo "alloc: $((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
