#!/bin/bash
# SPDX-License-Identifier: MIT
# check.sh - the shell completions in a real bash and a real zsh:
#   - bash offers exactly the options each --help lists, the --only values,
#     persona files and directories after -p, CSV files and the commands;
#   - zsh (driven through a pseudo-terminal with zsh/zpty) completes options,
#     values and subcommands, and its script names every option --help lists.
#
# Usage: bash tests/completion/check.sh path/to/leadsift
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
passed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 2
mkdir personas
touch leads.csv notes.txt run.json personas/a.json

# shellcheck source=../../completions/leadsift.bash
source "$top/completions/leadsift.bash"
complete -p leadsift | grep -q -- '-F _leadsift' || fail "bash: leadsift is not registered"

# shellcheck source=../help_options.sh
. "$top/tests/help_options.sh"

# What bash offers for the words given (the last is the one completed).
offered() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_leadsift
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect() {
	local want=$1
	shift
	local got
	got=$(offered "$@")
	if [ "$got" = "$want" ]; then ok; else fail "bash: [$*] offers '$got', expected '$want'"; fi
}

for cmd in "" check explain backtest discover diff "stats merge"; do
	# shellcheck disable=SC2086 # one or two words
	want=$("$bin" $cmd --help | help_options | tr '\n' ' ')
	# shellcheck disable=SC2086
	expect "$want" leadsift $cmd -
done
expect "disqualified qualified " leadsift --only ""
expect "--only " leadsift -o x.csv --on
expect "personas/ run.json " leadsift -p ""
expect "personas/ " leadsift -p pers
expect "backtest check diff discover explain leads.csv notes.txt personas/ stats " leadsift ""
expect "leads.csv notes.txt personas/ " leadsift -p personas ""
expect "merge " leadsift stats ""
expect "personas/ run.json " leadsift stats merge ""
expect "--strict " leadsift check --st
expect "leads.csv notes.txt personas/ " leadsift check --header ""
expect "tab " leadsift -d t
expect "" leadsift --base ""

# zsh: every option of every --help is in the completion function...
for cmd in "" check explain backtest discover diff "stats merge"; do
	# shellcheck disable=SC2086
	for opt in $("$bin" $cmd --help | help_options); do
		if grep -qE -- "(^|['{,(*])$opt([=+,}\[ )']|$)" "$top/completions/_leadsift"; then ok; else
			fail "zsh: completions/_leadsift lacks $opt (leadsift${cmd:+ $cmd} --help)"
		fi
	done
done

# ...and completing works in an interactive zsh.
if ! command -v zsh >/dev/null 2>&1; then
	fail "zsh is not installed (apt-get install zsh)"
else
	zsh -n "$top/completions/_leadsift" || fail "zsh: syntax error in completions/_leadsift"
	cat >"$scratch/drive.zsh" <<'ZSH'
# Types each line with a TAB and waits (5 s at most) for the expected text.
zmodload zsh/zpty || exit 2
zpty z TERM=dumb zsh -f -i
zpty -w z "PS1='> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
shift
failures=0
while (( $# >= 2 )); do
  typed=$1 want=$2; shift 2
  zpty -n -w z "$typed"$'\t'
  out= start=$SECONDS
  while (( SECONDS - start < 5 )) && [[ $out != *$want* ]]; do
    zpty -r -t z chunk 2>/dev/null && out+=$chunk || sleep 0.1
  done
  if [[ $out == *$want* ]]; then print "ok"; else
    print -r -- "FAIL zsh: [$typed<TAB>] did not show '$want': ${(q)out}"; (( failures++ ))
  fi
  zpty -n -w z $'\C-u'
  sleep 0.2; while zpty -r -t z chunk 2>/dev/null; do :; done
done
zpty -d z
exit $failures
ZSH
	while read -r line; do
		case $line in ok) ok ;; *) fail "${line#FAIL }" ;; esac
	done < <(zsh -f "$scratch/drive.zsh" "$top/completions" \
		'leadsift --on' 'leadsift --only=' \
		'leadsift --only ' 'disqualified  qualified' \
		'leadsift --no-pro' 'leadsift --no-progress ' \
		'leadsift stats m' 'leadsift stats merge ' \
		'leadsift check --str' 'leadsift check --strict ' \
		'leadsift backtest --bin' 'leadsift backtest --bin-width=' \
		'leadsift -p pers' 'leadsift -p personas/' \
		'leadsift lea' 'leadsift leads.csv ' 2>&1)
fi

if [ $failed -gt 0 ]; then
	echo "completion: $failed failures"
	exit 1
fi
echo "completion: $passed checks passed (bash, zsh)"
