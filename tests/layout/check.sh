#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh - the include rules of docs/ARCHITECTURE.md, checked rather than
# promised:
#   - src/ holds the library (src/lib/CONCERN/) and the program (src/cli/),
#     nothing else;
#   - the program includes the public header and its own headers only;
#   - the public header includes no header of the project;
#   - a library concern includes its own headers and those of the concerns
#     below it (the table below), so the layers have no cycle;
#   - the program's unit tests see what the program sees.
#
# Usage: sh tests/layout/check.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# Each concern and the concerns it may use, lowest first.
layers='base:
json:base
csv:base
rules:base json
engine:base json rules
report:base json rules engine
pipeline:base csv rules engine'

below() { printf '%s\n' "$layers" | sed -n "s/^$1://p"; }

# The quoted includes of a file, one per line.
includes() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"; }

for f in src/*; do
	case $f in
	src/lib | src/cli) ;;
	*) fail "$f: src/ holds only lib/ and cli/" ;;
	esac
done
for f in src/lib/*; do
	concern=${f#src/lib/}
	printf '%s\n' "$layers" | grep -q "^$concern:" || fail "$f: a concern docs/ARCHITECTURE.md does not name"
done

[ -z "$(includes include/leadsift.h)" ] || fail "include/leadsift.h includes a project header"

for f in src/cli/*.[ch] tests/unit/cli/*.c; do
	for h in $(includes "$f"); do
		case $h in
		leadsift.h) ;;
		unit.h | failalloc.h | sweep.h) case $f in tests/*) ;; *) fail "$f includes $h" ;; esac ;;
		*/*) fail "$f includes \"$h\": the program sees the public header and src/cli/ only" ;;
		*) [ -f "src/cli/$h" ] || fail "$f includes \"$h\", which is not in src/cli/" ;;
		esac
	done
done

for f in src/lib/*/*.[ch]; do
	concern=$(basename "$(dirname "$f")")
	allowed="$concern $(below "$concern")"
	for h in $(includes "$f"); do
		[ "$h" = leadsift.h ] && continue
		case $h in
		*/*) ;;
		*) fail "$f includes \"$h\": library headers are named by their concern (\"base/buf.h\")"; continue ;;
		esac
		[ -f "src/lib/$h" ] || { fail "$f includes \"$h\", which is not in src/lib/"; continue; }
		case " $allowed " in
		*" ${h%%/*} "*) ;;
		*) fail "$f includes \"$h\": $concern may use only: $allowed" ;;
		esac
	done
done

if [ $failed -gt 0 ]; then
	echo "layout: $failed failures"
	exit 1
fi
echo "layout: $(ls src/lib | wc -l | tr -d ' ') library concerns and the program include only what docs/ARCHITECTURE.md allows"
