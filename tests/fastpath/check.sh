#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh - the quote-free fast path, seen from outside the binary: an
# LD_PRELOAD shim (libcsv_bytes.c) counts the bytes leadsift hands to
# libcsv. With the fast path only the records that hold a quote go there,
# on one thread and on three; with LEADSIFT_NO_FAST_PATH=1 every byte does;
# the output is the same each way.
#
# Usage: sh tests/fastpath/check.sh LEADSIFT SHIM
set -eu
bin=$1 shim=$2
case $shim in /*) ;; *) shim=$(pwd)/$shim ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Four records hold no quote; one does, and spans two lines (its bytes,
# line end included, are what libcsv must see: 24 of them).
quoted='2,"line one
line two",5'
printf 'notes,employees,country\n1,500,US\n%s\n3,5,DE\n4,30,FR\n' "$quoted" > "$tmp/in.csv"
want_quoted=$(printf '%s\n' "$quoted" | wc -c)
want_all=$(wc -c < "$tmp/in.csv")
[ "$want_quoted" -eq 24 ] || { echo "fastpath: the fixture's quoted record is not 24 bytes" >&2; exit 1; }

failed=0
run() { # NAME EXPECTED-BYTES ENV...: one run, the bytes libcsv must have read
	name=$1 expect=$2
	shift 2
	env -u LEADSIFT_NO_FAST_PATH LD_PRELOAD="$shim" LIBCSV_BYTES_REPORT="$tmp/fed" LEADSIFT_CHUNK_SIZE=1 "$@" \
		"$bin" -p "$top/tests/fixtures/small" -o "$tmp/out-$name.csv" "$tmp/in.csv"
	got=$(cat "$tmp/fed")
	if [ "$got" -ne "$expect" ]; then
		echo "fastpath: $name: libcsv read $got bytes, expected $expect" >&2
		failed=1
	fi
	if [ -f "$tmp/out-one.csv" ] && ! cmp -s "$tmp/out-one.csv" "$tmp/out-$name.csv"; then
		echo "fastpath: $name: output differs from one thread with the fast path" >&2
		failed=1
	fi
}
run one "$want_quoted" LEADSIFT_JOBS=1
run three "$want_quoted" LEADSIFT_JOBS=3
run libcsv-one "$want_all" LEADSIFT_JOBS=1 LEADSIFT_NO_FAST_PATH=1
run libcsv-three "$want_all" LEADSIFT_JOBS=3 LEADSIFT_NO_FAST_PATH=1
[ "$failed" -eq 0 ] || exit 1
echo "fastpath: libcsv read $want_quoted of $want_all bytes (the quoted record) with the fast path, all without; outputs equal"
