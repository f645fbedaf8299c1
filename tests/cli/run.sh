#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - end-to-end golden tests of the leadsift binary.
#
# Each directory under tests/cli/cases/COMMAND/ is one case of that command
# (score is the default command; commands/ holds what all commands share):
# `cmd` is a shell script
# run in a scratch copy of the directory, and its standard output, standard
# error and exit status must equal the files `stdout`, `stderr` and
# `status`, and every run summary (a .json file with "rows_read") it leaves
# must account for every record: read = written + filtered + rejected.
# Output holding today's date fails: cases pin the clock with --today.
# The script sees:
#   $LEADSIFT  the binary (with the $VALGRIND prefix, if any)
#   $PERSONAS  the bundled personas/    $EXAMPLES  examples/
#   $FIXTURES  tests/fixtures/          $TESTS     tests/
#
# Usage: sh tests/cli/run.sh [--update] [CASE...]   (CASE: score/bom, or bom)
#   --update  rewrite the expected files from what the cases do now
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/../.." && pwd)
update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
bin=${LEADSIFT:-build/leadsift}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
[ -x "$bin" ] || { echo "run.sh: $bin is not built" >&2; exit 2; }

export LEADSIFT="${VALGRIND:-} $bin"
# The caller's default rules must not leak into the cases.
unset LEADSIFT_PERSONAS
export PERSONAS="$top/personas" EXAMPLES="$top/examples"
export FIXTURES="$top/tests/fixtures" TESTS="$top/tests"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM

if [ $# -eq 0 ]; then
	set -- $(cd "$top/tests/cli/cases" && ls -d */*)
fi

today=$(date -u +%Y-%m-%d)
today_local=$(date +%Y-%m-%d)
passed=0
failed=0
for name in "$@"; do
	case $name in
	*/*) ;;
	*) # a case named without its command
		found=$(cd "$top/tests/cli/cases" && ls -d */"$name" 2>/dev/null || true)
		[ -n "$found" ] || { echo "run.sh: no case $name" >&2; exit 2; }
		name=$found ;;
	esac
	case_dir=$top/tests/cli/cases/$name
	work=$scratch/$name
	mkdir -p "$work"
	cp -R "$case_dir/." "$work/"
	rm -f "$work/stdout" "$work/stderr" "$work/status"
	status=0
	(cd "$work" && sh ./cmd >"$scratch/$name.out" 2>"$scratch/$name.err" </dev/null) || status=$?
	echo "$status" >"$scratch/$name.status"
	# Paths of this checkout would make the expected files machine-specific.
	for stream in out err; do
		sed "s|$top/|TOP/|g" "$scratch/$name.$stream" >"$scratch/$name.tmp"
		mv "$scratch/$name.tmp" "$scratch/$name.$stream"
	done
	# Output holding today's date would pass today and fail tomorrow: a
	# case pins the clock with --today (no expected output holds a date
	# past the day this check was written, 2026-12-03).
	dated=$(grep -l -e "$today" -e "$today_local" "$scratch/$name.out" "$scratch/$name.err" || true)
	if [ -n "$dated" ]; then
		echo "FAIL $name: its output holds today's date ($today): pin the clock with --today"
		failed=$((failed + 1))
		continue
	fi
	if [ $update -eq 1 ]; then
		cp "$scratch/$name.out" "$case_dir/stdout"
		cp "$scratch/$name.err" "$case_dir/stderr"
		cp "$scratch/$name.status" "$case_dir/status"
		echo "updated: $name"
		continue
	fi
	ok=1
	# Every run summary a case leaves accounts for every record it read.
	for stats in $(grep -rl --include='*.json' '"rows_read"' "$work" 2>/dev/null || true); do
		if ! python3 "$top/tests/cli/stats_identity.py" "$stats" >"$scratch/$name.id" 2>&1; then
			echo "FAIL $name: ${stats#$work/}: $(cat "$scratch/$name.id")"
			ok=0
		fi
	done
	for part in stdout:out stderr:err status:status; do
		expected=$case_dir/${part%%:*}
		actual=$scratch/$name.${part##*:}
		if [ ! -f "$expected" ]; then
			echo "FAIL $name: missing $expected (run with --update)"
			ok=0
		elif ! cmp -s "$expected" "$actual"; then
			echo "FAIL $name: ${part%%:*} differs"
			diff -u "$expected" "$actual" | head -20 || true
			ok=0
		fi
	done
	if [ $ok -eq 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
[ $update -eq 1 ] && [ $failed -eq 0 ] && exit 0
echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
