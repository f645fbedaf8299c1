# SPDX-License-Identifier: MIT
# help_options.sh - sourced by the tests that hold docs and completions to
# --help. help_options reads a --help text on standard input and prints the
# options its option lines name ("  -p, --personas PATH  ..."), one a line.
help_options() {
	grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' | grep -oE -- '(^| )--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ' | sort -u
}
