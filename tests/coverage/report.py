# SPDX-License-Identifier: MIT
# report.py - line and branch coverage from a `make coverage` build, through
# Debian's gcovr: an HTML report with a page per file in BUILD/coverage/, a
# summary for the library and for the CLI, and the targets checked.
#
# Usage: python3 tests/coverage/report.py BUILD LIB_SOURCES -- CLI_SOURCES
import json
import os
import subprocess
import sys

TARGETS = {"library": {"lines": 95.0, "branches": 85.0}, "cli": {"lines": 90.0}}


def gcovr(build, sources, *args):
    filters = []
    for src in sources:
        filters += ["--filter", src.replace(".", "\\.") + "$"]
    cmd = ["gcovr", "--root", ".", "--object-directory", build,
           "--exclude-unreachable-branches", *filters, *args, build]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    build = sys.argv[1]
    split = sys.argv.index("--")
    parts = {"library": sys.argv[2:split], "cli": sys.argv[split + 1:]}
    out = os.path.join(build, "coverage")
    os.makedirs(out, exist_ok=True)
    gcovr(build, parts["library"] + parts["cli"], "--html-details",
          os.path.join(out, "index.html"))
    failed = []
    for part, sources in parts.items():
        summary = json.loads(gcovr(build, sources, "--json-summary", "-"))
        lines, branches = summary["line_percent"], summary["branch_percent"]
        print(f"coverage: {part}: lines {lines:.1f}% ({summary['line_covered']} of "
              f"{summary['line_total']}), branches {branches:.1f}% "
              f"({summary['branch_covered']} of {summary['branch_total']})")
        for f in sorted(summary["files"], key=lambda f: f["line_percent"]):
            if f["line_percent"] < 100.0:
                print(f"  {f['filename']:24} lines {f['line_percent']:5.1f}%  "
                      f"branches {f['branch_percent']:5.1f}%")
        for what, target in TARGETS[part].items():
            got = lines if what == "lines" else branches
            if got < target:
                failed.append(f"{part} {what} {got:.1f}% < {target}%")
    print(f"coverage: report in {out}/index.html")
    for f in failed:
        print(f"coverage: FAIL: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
