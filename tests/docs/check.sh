#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh - the documentation in step with the code:
#   - every option each --help lists is in leadsift(1);
#   - every operator the loader knows is in the schema, leadsift-personas(5)
#     and docs/personas.md;
#   - the man pages are clean under `mandoc -T lint`;
#   - the man pages and CHANGELOG.md name the version leadsift.h defines;
#   - every test the README's Guarantees name exists.
#
# Usage: sh tests/docs/check.sh path/to/leadsift
set -eu
bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# shellcheck source=../help_options.sh
. "$top/tests/help_options.sh"

# The man page's words, with roff's escapes for '-' and fonts undone.
page=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$top/man/leadsift.1")
options=0
for cmd in "" check explain backtest discover diff "stats merge"; do
	# shellcheck disable=SC2086 # the command is one or two words
	for opt in $("$bin" $cmd --help | help_options); do
		options=$((options + 1))
		printf '%s\n' "$page" | grep -qE -- "(^|[^a-zA-Z-])$opt([^a-zA-Z-]|\$)" ||
			fail "leadsift${cmd:+ $cmd} --help lists $opt; man/leadsift.1 does not"
	done
done

# The operators, as the loader lists them when it meets an unknown one.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '{"id": "p", "rules": [{"id": "r", "reason": "x", "deduct": 1, "when": {"field": "a", "op": "?"}}]}' >"$scratch/p.json"
ops=$("$bin" check -p "$scratch/p.json" 2>&1 | sed -n 's/.*expected one of //p' | tr -d ',')
nops=0
for op in $ops; do
	nops=$((nops + 1))
	grep -q -- "$op" "$top/personas/schema/condition.schema.json" || fail "operator $op is not in the schema"
	grep -q -- "$op" "$top/man/leadsift-personas.5" || fail "operator $op is not in man/leadsift-personas.5"
	grep -q -- "\`$op\`" "$top/docs/personas.md" || fail "operator $op is not in docs/personas.md"
done
[ "$nops" -ge 20 ] || fail "found only $nops operators in the schema"

if command -v mandoc >/dev/null 2>&1; then
	for m in "$top"/man/*.[1-9]; do
		mandoc -T lint -W style "$m" || fail "mandoc -T lint: $m"
	done
else
	fail "mandoc is not installed (apt-get install mandoc)"
fi

version=$(sed -n 's/^#define LS_VERSION "\(.*\)"/\1/p' "$top/include/leadsift.h")
[ "$("$bin" --version)" = "leadsift $version" ] || fail "--version is not $version"
for m in "$top"/man/*.[1-9]; do
	grep -q "^\.TH .* \"leadsift $version\"" "$m" || fail "$m: .TH does not name leadsift $version"
done
grep -q "^## \[$version\]" "$top/CHANGELOG.md" || fail "CHANGELOG.md has no entry for $version"

# Every test the README's "Guarantees" names exists: golden cases (globs
# too), unit tests, fuzz targets.
guarantees=$(sed -n '/^## Guarantees/,/^## /p' "$top/README.md" | tr '\n' ' ')
named=0
for name in $(printf '%s\n' "$guarantees" | grep -oE '`[a-z0-9_]+(-[a-z0-9*]+)+`|`test_[a-z0-9_]+`|`fuzz_[a-z]+`' | tr -d '`' | sort -u); do
	named=$((named + 1))
	case $name in
	test_*) grep -rq --include="*.c" "cmocka_unit_test[a-z_]*($name[,)]" "$top"/tests/unit || fail "Guarantees names $name: no such unit test" ;;
	fuzz_*) [ -f "$top/fuzz/$name.c" ] || fail "Guarantees names $name: no such fuzz target" ;;
	*) # shellcheck disable=SC2086 # a glob such as usage-*
		set -- "$top"/tests/cli/cases/*/$name
		[ -d "$1" ] || fail "Guarantees names $name: no such golden case" ;;
	esac
done
[ "$named" -ge 30 ] || fail "the Guarantees name only $named tests"

if [ $failed -gt 0 ]; then
	echo "docs: $failed failures"
	exit 1
fi
echo "docs: $options options in leadsift(1), $nops operators in leadsift-personas(5), $named tests the Guarantees name exist, man pages lint clean, version $version everywhere"
