#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - allocation-failure test: runs leadsift once per allocation it
# makes, with that allocation failing (tests/alloc/failmalloc.c), over the
# loads below: scoring runs, each analyst command, the allow-list, a header
# that does not fit, an output that cannot be written. Every run must either end as the full run does (same
# output, summary, messages and status) or fail cleanly: exit 1 and
# "out of memory", no crash, no output or rejects file, a summary (if any)
# that says "out of memory", no temporary file, and no
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

checked=0
failed=0
# ALLOC_ONLY="score lint ..." runs only the loads named (tests/mutate uses it).
wanted() {
	[ -z "${ALLOC_ONLY:-}" ] && return 0
	case " $ALLOC_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}
# After a load: every rule file and input as it was.
inputs_intact() {
	if ! md5sum -c --quiet inputs.md5 >changed.txt 2>&1; then
		echo "FAIL $name: changed its rules or inputs: $(cat changed.txt)"
		failed=$((failed + 1))
	fi
}
check_load() { # name, then the leadsift arguments
	name=$1
	shift
	wanted "$name" || return 0
	rm -f out.csv
	FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@"
	# libc keeps a few blocks for good (time zone data): what a full run
	# leaves is the baseline, and no failed run may leave more.
	read total baseline < count.txt
	mv out.csv expected.csv
	# The summary a run that succeeds must write (but for its timing).
	[ ! -e stats.json ] || sed 's/"elapsed_seconds":[0-9.e+-]*//' stats.json > expected.json
	[ ! -e rej.csv ] || mv rej.csv expected-rej.csv
	rm -f stats.json
	n=1
	while [ "$n" -le "$total" ]; do
		status=0
		FAILMALLOC_AT=$n FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@" 2>err.txt ||
			status=$?
		read calls live < count.txt
		problem=
		if [ "$status" -eq 0 ]; then
			cmp -s out.csv expected.csv || problem="succeeded with wrong output"
			case " $* " in *" --rejects rej.csv "*)
				cmp -s rej.csv expected-rej.csv ||
					problem="$problem succeeded without the full run's rejects file";;
			esac
			case " $* " in *" --stats stats.json "*)
				sed 's/"elapsed_seconds":[0-9.e+-]*//' stats.json 2>/dev/null | cmp -s - expected.json ||
					problem="$problem succeeded with another summary than a full run's";;
			esac
		elif [ "$status" -ne 1 ]; then
			problem="exit status $status"
		elif ! grep -q 'out of memory' err.txt; then
			problem="message: $(cat err.txt)"
		elif [ -e out.csv ] || [ -e rej.csv ]; then
			problem="left an output file"
		elif [ -e stats.json ] &&
			! grep -q '^{"leadsift_version":"[^"]*","status":"error","exit_code":1,"error":"out of memory",.*}$' stats.json; then
			# The summary of a failed run says so, whole, or is not there.
			problem="left a summary that does not say out of memory: $(head -c 120 stats.json)"
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
		rm -f out.csv stats.json rej.csv .*.leadsift-*
		checked=$((checked + 1))
		n=$((n + 1))
	done
	inputs_intact
	echo "$name: $total allocations, each failed once"
}

# The analyst commands print their report: standard output must be the
# full run's, and the files they write (report.html, changed.csv) must not
# exist after a failed run.
check_stdout() { # name, then the leadsift arguments
	name=$1
	shift
	wanted "$name" || return 0
	want=0
	"$bin" "$@" > expected.txt 2> expected.err || want=$?
	rm -f report.html changed.csv
	FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@" > /dev/null 2>&1 || true
	read total baseline < count.txt
	n=1
	while [ "$n" -le "$total" ]; do
		rm -f report.html changed.csv
		status=0
		FAILMALLOC_AT=$n FAILMALLOC_REPORT=count.txt LD_PRELOAD=$shim "$bin" "$@" \
			>out.txt 2>err.txt || status=$?
		read calls live < count.txt
		problem=
		if [ "$status" -eq "$want" ] && [ "$want" -ne 1 ]; then
			{ cmp -s out.txt expected.txt && cmp -s err.txt expected.err; } ||
				problem="exit status $status with other output or messages than a full run's"
		elif [ "$status" -ne 1 ]; then
			problem="exit status $status: $(cat err.txt)"
		elif ! grep -q 'out of memory' err.txt; then
			problem="message: $(cat err.txt)"
		elif [ -e report.html ] || [ -e changed.csv ]; then
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
		checked=$((checked + 1))
		n=$((n + 1))
	done
	inputs_intact
	echo "$name: $total allocations, each failed once"
}

head -n 25 "$top/examples/history.csv" > history.csv
# Rules and inputs are copies, checked after each load: a run gone wrong
# (a path built from memory it never wrote) must not touch the checkout,
# and may not touch them either.
mkdir rules
cp -R "$top/personas" rules/personas
for d in allow small lint explain fr-excel sf-report discover lookup; do
	cp -R "$top/tests/fixtures/$d" "rules/$d"
done
cp -R rules/personas personas-new
rm personas-new/price-haggler.json
printf 'notes,employees,country\n"strategic, big",5,Brazil\npartner: tiny,5,US\nplain,5,US\n' > allow.csv
tail -n +2 leads.csv > body.csv
printf 'name,size\nx,5\n' > misfit.csv
head -n 401 rules/discover/history.csv > discover.csv
find rules personas-new *.csv -type f -exec md5sum {} + > inputs.md5
today="--today 2026-11-22"

check_load score -p rules/personas -o out.csv leads.csv
check_load stats -p rules/personas -o out.csv --stats stats.json --rejects rej.csv leads.csv
# The allow-list at work, and a header that does not fit the rules (the
# closest-column message): branches the runs above do not reach.
check_load allow -p rules/allow --today 2026-11-22 -o out.csv --stats stats.json allow.csv
# A shard without a header, named by --header-line.
check_load no-header -p rules/personas --no-header --header-line "$(head -n 1 leads.csv)" \
	-o out.csv body.csv
check_stdout header-misfit -p rules/small misfit.csv
# A parallel run: chunks of about 2 KiB on two threads.
export LEADSIFT_JOBS=2 LEADSIFT_CHUNK_SIZE=2K
check_load score-parallel -p rules/personas -o out.csv --stats stats.json --rejects rej.csv leads.csv
unset LEADSIFT_JOBS LEADSIFT_CHUNK_SIZE
# A Windows-1252 export (decoded, reasons encoded back, on two threads too)
# and a report whose footer rows fail the policy's require, set aside.
check_load encoding -d ';' -p rules/fr-excel -o out.csv --stats stats.json rules/fr-excel/export.csv
export LEADSIFT_JOBS=2 LEADSIFT_CHUNK_SIZE=200
check_load encoding-parallel -d ';' -p rules/fr-excel -o out.csv rules/fr-excel/export.csv
unset LEADSIFT_JOBS LEADSIFT_CHUNK_SIZE
python3 rules/sf-report/policy.py rules/personas/policy.json rules/sf-report/policy.json
check_load require -p rules/sf-report/policy.json -p rules/personas/tiny-company.json \
	-o out.csv --rejects rej.csv rules/sf-report/export.csv
# Lookup tables: one by company, one in Windows-1252 by e-mail domain.
check_load lookup -p rules/lookup -o out.csv --stats stats.json rules/lookup/leads.csv
check_stdout lookup-explain explain -p rules/lookup $today --row 1 rules/lookup/leads.csv
# A run whose output cannot be written: the message names the output.
check_stdout write-error -p rules/personas -o /dev/full leads.csv
check_stdout check check -p rules/personas $today --header leads.csv
check_stdout lint check -p rules/lint $today
check_stdout explain explain -p rules/personas $today --row 3 --where Industry=Retail --json leads.csv
check_stdout explain-text explain -p rules/explain $today --row 1 rules/explain/leads.csv
check_stdout backtest backtest -p rules/personas $today --outcome Converted=yes \
	--value "Deal Amount" --cost-per-lead 40 --by "Create Date" --period month \
	--html report.html --json history.csv
check_stdout backtest-text backtest -p rules/personas $today --outcome Converted=yes \
	--by "Create Date" history.csv
check_stdout diff diff --old rules/personas --new personas-new $today --outcome Converted \
	--value "Deal Amount" --cost-per-lead 40 -o changed.csv --json history.csv
# discover over the leads joined with the bundled helpdesk table.
check_stdout discover-lookup discover -p rules/personas $today --outcome Converted=yes --all \
	history.csv
check_stdout discover discover -p rules/discover/personas --outcome Converted=yes --holdout 30 \
	-o draft.json --json discover.csv
echo "alloc: $((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
