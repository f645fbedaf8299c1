#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh - `make install DESTDIR=...` lays out every file in its standard
# place; a program builds against the installed library and header through
# the installed leadsift.pc and scores a lead with the installed personas;
# the installed man pages render; `make uninstall` removes every file.
#
# Usage: sh tests/install/check.sh ["make BUILD=... CC=..." ["cc FLAGS"]]
# (the compiler and flags the library was built with, sanitizers and all)
set -eu
make=${1:-make}
cc=${2:-cc}
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

prefix=/usr/local
$make -s -C "$top" install DESTDIR="$dest" PREFIX="$prefix" >/dev/null
root=$dest$prefix
for f in bin/leadsift lib/libleadsift.a include/leadsift.h lib/pkgconfig/leadsift.pc \
	share/man/man1/leadsift.1 share/man/man5/leadsift-personas.5 \
	share/bash-completion/completions/leadsift share/zsh/site-functions/_leadsift \
	share/leadsift/personas/policy.json share/leadsift/personas/tiny-company.json \
	share/leadsift/personas/schema/persona.schema.json share/leadsift/personas/lists/competitors.txt \
	share/leadsift/personas/tables/helpdesk.csv; do
	[ -f "$root/$f" ] || fail "not installed: $prefix/$f"
done
[ -x "$root/bin/leadsift" ] || fail "$prefix/bin/leadsift is not executable"
version=$(sed -n 's/^#define LS_VERSION "\(.*\)"/\1/p' "$top/include/leadsift.h")
[ "$("$root/bin/leadsift" --version)" = "leadsift $version" ] || fail "installed --version"

# The library, found through its .pc (prefix moved into the staging tree).
pcflags() { PKG_CONFIG_PATH=$root/lib/pkgconfig pkg-config --define-variable=prefix="$root" \
	--define-variable=libdir="$root/lib" --define-variable=includedir="$root/include" "$@" leadsift; }
[ "$(pcflags --modversion)" = "$version" ] || fail "pkg-config --modversion is not $version"
cat >"$dest/demo.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <leadsift.h>

int main(int argc, char **argv)
{
	const char *paths[] = {argv[1]};
	ls_cell header[] = {{"Industry", 8}, {"Number of Employees", 19}, {"Annual Revenue", 14}};
	ls_cell row[] = {{"Retail", 6}, {"5", 1}, {"$500,000", 8}};
	ls_ruleset *rs = NULL;
	ls_engine *e = NULL;
	ls_error err = {0};
	ls_result res;
	char score[LS_FIXED_BUFSIZE];

	(void)argc;
	if (ls_ruleset_load(&rs, paths, 1, &err) != LS_OK ||
	    ls_engine_new(&e, rs, header, 3, "demo", &err) != LS_OK ||
	    ls_engine_score(e, row, 3, &res) != LS_OK) {
		fprintf(stderr, "demo: %s\n", err.message ? err.message : "failed");
		return 1;
	}
	ls_fixed_format(res.score, score);
	printf("%s %s\n", score, res.disqualified ? "disqualified" : "kept");
	ls_engine_free(e);
	ls_ruleset_free(rs);
	return 0;
}
C
# shellcheck disable=SC2046 # the flags are words
if $cc -std=c11 -o "$dest/demo" "$dest/demo.c" $(pcflags --cflags --libs); then
	mkdir "$dest/rules"
	cp "$root/share/leadsift/personas/policy.json" "$root/share/leadsift/personas/mismatched-industry.json" \
		"$root/share/leadsift/personas/tiny-company.json" "$dest/rules/"
	cp -R "$root/share/leadsift/personas/tables" "$dest/rules/" # the policy's lookup table
	out=$("$dest/demo" "$dest/rules") || fail "demo program failed"
	[ "$out" = "50 disqualified" ] || fail "demo program printed '$out', expected '50 disqualified'"
else
	fail "cannot build a program against the installed library"
fi

# The library's one call: examples/score_csv.c scores the example leads on
# four threads, as the program does on one.
# shellcheck disable=SC2046 # the flags are words
if $cc -std=c11 -D_POSIX_C_SOURCE=200809L -o "$dest/score_csv" "$top/examples/score_csv.c" \
	$(pcflags --cflags --libs); then
	"$dest/score_csv" "$dest/rules" "$top/examples/leads.csv" >"$dest/four.csv" 2>"$dest/four.err" ||
		fail "examples/score_csv failed: $(cat "$dest/four.err")"
	"$root/bin/leadsift" -j 1 -v -p "$dest/rules" "$top/examples/leads.csv" >"$dest/one.csv" \
		2>"$dest/one.err" || fail "leadsift on the example leads failed"
	cmp -s "$dest/four.csv" "$dest/one.csv" ||
		fail "examples/score_csv (4 threads) and leadsift -j 1 wrote different CSV"
	rows=$(sed -n 's/^leadsift: \([0-9]*\) rows.*/\1/p' "$dest/one.err")
	[ "$(cat "$dest/four.err")" = "$rows leads scored" ] ||
		fail "examples/score_csv said '$(cat "$dest/four.err")', leadsift read $rows rows"
else
	fail "cannot build examples/score_csv.c against the installed library"
fi

# What an embedder links exports the public header's names and no others.
others=$(nm -g --defined-only "$root/lib/libleadsift.a" | awk 'NF == 3 && $3 !~ /^ls_/ {print $3}')
[ -z "$others" ] || fail "libleadsift.a exports names without the ls_ prefix: $others"

# The man pages render from where they were installed.
if ! command -v mandoc >/dev/null 2>&1; then
	fail "mandoc is not installed (apt-get install mandoc)"
else
	mandoc -T html "$root/share/man/man1/leadsift.1" | grep -q "id=\"EXIT_STATUS\"" || fail "leadsift(1) does not render"
	mandoc -T html "$root/share/man/man5/leadsift-personas.5" | grep -q "OPERATORS" ||
		fail "leadsift-personas(5) does not render"
fi

$make -s -C "$top" uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null
left=$(find "$dest$prefix" -type f | sed "s|^$dest||")
[ -z "$left" ] || fail "left after uninstall: $left"

if [ $failed -gt 0 ]; then
	echo "install: $failed failures"
	exit 1
fi
echo "install: binary, library (ls_ names only; examples/score_csv on 4 threads = leadsift -j 1), header, leadsift.pc, man pages, completions and personas installed and removed"
