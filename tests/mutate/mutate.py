# SPDX-License-Identifier: MIT
# mutate.py - mutation testing for leadsift (no C mutation tool is packaged
# for Debian). Each mutant is one small change to one line of one source
# file: a relational or equality operator flipped, a constant moved by one,
# && and || swapped, a condition negated, a statement deleted, a return
# value replaced, true and false swapped. Each is built in a private copy of
# the tree and run against the test suites, fastest first, until one fails
# (the mutant is killed) or all pass (it survives). A mutant that does not
# compile is stillborn and not counted. Survivors known to be equivalent
# (no test can tell them apart from the original) are listed, with the
# reason, in tests/mutate/equivalent.txt.
#
# Usage: python3 tests/mutate/mutate.py [--jobs N] [--list] [--sample N]
#            [--seed S] [--out DIR] [--target PCT] [--coverage BUILD]
#            [--rerun RESULTS] [--resume RESULTS] [--check-equivalent]
#            [--triage | --quick] FILE...
#        python3 tests/mutate/mutate.py --report RESULTS [RERUN_RESULTS...]
#        python3 tests/mutate/mutate.py --stale
#   FILE      source files to mutate (make mutate: the library, LIB_SRCS)
#   --list    print the mutants and exit
#   --sample  test N mutants per file, drawn at random (--seed), not all
#   --rerun RESULTS  run only the survivors (and open mutants) of an
#             earlier run (after new tests were written for them), and the
#             mutants of code written since, which it never ran
#   --triage  run only the unit tests, plain and under ASan: a mutant they
#             do not kill is left *open*, not run through the slow suites
#             (most survivors want a new unit test; --rerun decides them)
#   --quick   every plain suite and the file's own unit test under ASan,
#             without the second pass of the other files' unit tests and the
#             differential test under ASan: what survives is counted as
#             survived (a lower bound on the score)
#   --resume RESULTS  carry over what an interrupted run decided and run
#             the rest
#   --report RESULTS...  no run: the summary of earlier runs, oldest first
#             (a run, then its reruns: the latest verdict on a mutant
#             counts), against the source and the equivalent mutants listed
#             now: a mutant no run names is *unrun* (not killed), a result
#             naming code that changed since is not counted
#   --stale   no run: fail if an entry of equivalent.txt names no mutant of
#             the source as it is now (the code it names moved or changed)
#   --check-equivalent  run the mutants listed as equivalent too (normally
#             they are not run) and report any that a test now kills
#   --target  fail unless at least PCT% of the non-equivalent mutants are
#             killed (default 90)
#   --coverage BUILD  a `make coverage` build: mutants on lines that no test
#             executes survive without being run (they would pass every suite)
import argparse
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EQUIVALENT = os.path.join(TOP, "tests", "mutate", "equivalent.txt")
COPY = ["Makefile", "src", "include", "tests", "personas", "examples", "bench", "docs", "man",
        "completions", "fuzz"]

# Survivors on lines that handle allocation failures get the allocation-
# failure test (tests/alloc/run.py) too, with the load that reaches the file.
ALLOC_LINE = re.compile(r"NOMEM|nomem|NULL|alloc\(|strdup|free\(|buf_[a-z]+\(|cJSON_|\badd(_[a-z]+)?\(|\bpush\(")
ALLOC_LOADS = {"lint": "lint", "explain": "explain-text explain", "backtest": "backtest",
               "error": "header-misfit", "fieldmap": "header-misfit", "stats": "stats allow",
               "score": "stats allow", "csv_write": "stats write-error"}
# The unit test that exercises a file most directly runs first.
UNIT_FOR = {
    "csv_read": "test_csv", "csv_write": "test_csv", "cond_load": "test_rules",
    "rules_load": "test_rules", "ruleset": "test_rules", "doc": "test_rules",
    "policy_load": "test_rules", "syntax": "test_rules", "detect": "test_csv",
    "buf": "test_support", "text": "test_support", "error": "test_support",
    "file": "test_support", "sha256": "test_fingerprint", "annotate": "test_pipeline",
    "parallel": "test_pipeline",
}


# --- finding mutants -------------------------------------------------------

def code_mask(lines):
    """For each line, the line with string and character literals and
    comments blanked out (same length), so operators are only found in code."""
    out, in_comment = [], False
    for line in lines:
        chars, i = list(line), 0
        while i < len(line):
            if in_comment:
                end = line.find("*/", i)
                stop = len(line) if end < 0 else end + 2
                chars[i:stop] = " " * (stop - i)
                in_comment, i = end < 0, stop
            elif line.startswith("/*", i):
                in_comment = True
            elif line[i] in "\"'":
                q, j = line[i], i + 1
                while j < len(line) and line[j] != q:
                    j += 2 if line[j] == "\\" else 1
                chars[i + 1:min(j, len(line))] = " " * (min(j, len(line)) - i - 1)
                i = j + 1
            else:
                i += 1
        out.append("".join(chars))
    return out


REPLACEMENTS = [
    ("relational", re.compile(r"(?<![<>=!\-])<(?![<=])"), "<="),
    ("relational", re.compile(r"<="), "<"),
    ("relational", re.compile(r"(?<![<>=\-])>(?![>=])"), ">="),
    ("relational", re.compile(r">="), ">"),
    ("equality", re.compile(r"=="), "!="),
    ("equality", re.compile(r"!="), "=="),
    ("logical", re.compile(r"&&"), "||"),
    ("logical", re.compile(r"\|\|"), "&&"),
    ("boolean", re.compile(r"\btrue\b"), "false"),
    ("boolean", re.compile(r"\bfalse\b"), "true"),
]
CONSTANT = re.compile(r"(?<![\w.])([0-9]+)([uUlL]*)(?![\w.])")
CONDITION = re.compile(r"\b(if|while) \(")
DECLARATION = re.compile(
    r"^\s*(static\s+|const\s+|unsigned\s+|signed\s+|struct\s+\w+\s*\**\s*\w|enum\s+\w+\s+\w|"
    r"(char|int|long|short|bool|size_t|ssize_t|double|float|int\d+_t|uint\d+_t|ls_\w+|"
    r"regoff_t|regmatch_t|va_list|FILE|cJSON|pthread_\w+)\b)")


def close_paren(text, start):
    """Index of the ')' closing the '(' at start, or -1 on this line."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def line_mutants(line, code, prev_code):
    """(operator, mutated line) for one source line."""
    stripped = code.strip()
    if not stripped or stripped.startswith("#"):
        return
    for op, rx, new in REPLACEMENTS:
        for m in rx.finditer(code):
            yield op, line[:m.start()] + new + line[m.end():]
    for m in CONSTANT.finditer(code):
        n = int(m.group(1))
        # Array sizes and bit widths in declarations change nothing testable.
        if DECLARATION.match(code) and "=" not in code[:m.start()]:
            continue
        for v in ([n + 1] if n == 0 else [n + 1, n - 1]):
            yield "constant", line[:m.start(1)] + str(v) + line[m.end(1):]
    for m in CONDITION.finditer(code):
        end = close_paren(code, m.end() - 1)
        if end > 0:
            yield "negate", line[:m.end()] + "!(" + line[m.end():end] + ")" + line[end:]
    body = stripped.rstrip(";")
    if stripped.endswith(";") and prev_code.rstrip().endswith((";", "{", "}", ")", ":")):
        # (LS_OK and LS_NUM_OK are 0: returning 0 instead is no change)
        if body.startswith("return ") and not re.fullmatch(
                r"return (-?[0-9]+|true|false|NULL|LS_OK|LS_NUM_OK)", body):
            indent = line[:len(line) - len(line.lstrip())]
            yield "return", indent + "return 0;\n"
        elif (not DECLARATION.match(code) and not body.startswith(("return", "break", "continue",
                                                                      "goto", "case", "default"))
              and code.count("(") == code.count(")") and "{" not in code and "}" not in code):
            indent = line[:len(line) - len(line.lstrip())]
            yield "delete", indent + ";\n"


def find_mutants(path):
    with open(os.path.join(TOP, path)) as f:
        lines = f.readlines()
    code = code_mask(lines)
    mutants, prev, prev_line = [], "", ""
    for i, line in enumerate(lines):
        seen = set()
        for op, new in line_mutants(line, code[i], prev):
            if new != line and new not in seen:
                seen.add(new)
                mutants.append({"file": path, "line": i + 1, "op": op,
                                "prev": prev_line.strip(), "before": line.strip(),
                                "after": new.strip(),
                                # the line and the two before it: an allocation
                                # failure's branch names the allocation above
                                "context": " ".join(lines[max(0, i - 2):i + 1])})
        if code[i].strip():
            prev = code[i]
            prev_line = line
    return mutants


def mutant_key(m):
    """How equivalent.txt names a mutant: the line before it (so that a
    common line such as `return false;` is told apart), the line, and the
    mutated line, without line numbers, which edits elsewhere would move."""
    return f"{m['file']} | {m['prev']} | {m['before']} | {m['after']}"


def load_equivalent():
    """Keys of survivors known to be equivalent, each with its reason."""
    known = {}
    if not os.path.exists(EQUIVALENT):
        return known
    with open(EQUIVALENT) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.rpartition(" | # ")
            if not key or not reason.strip():
                sys.exit(f"mutate.py: {EQUIVALENT}: each entry needs ' | # reason': {line}")
            known[key] = reason
    return known


# --- running mutants -------------------------------------------------------

class Worker:
    """A private copy of the tree with its own build, for one mutant at a time."""

    def __init__(self, root, kills):
        self.root = root
        self.kills = kills
        os.makedirs(root)
        for name in COPY:
            src = os.path.join(TOP, name)
            dst = os.path.join(root, name)
            if os.path.isdir(src):
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("build*"))
            else:
                shutil.copy2(src, dst)
        self.make = ["make", "-s", "BUILD=build", "WERROR=", "CFLAGS=-O1"]
        # Survivors are tried again under AddressSanitizer and UBSan: a read
        # one byte past a buffer passes every suite in a plain build.
        self.make_asan = ["make", "-s", "BUILD=build-asan", "WERROR=", "CC=clang",
                          "CFLAGS=-O1 -fsanitize=address,undefined -fno-sanitize-recover=all",
                          "LDFLAGS=-fsanitize=address,undefined"]
        for make, build in ((self.make, "build"), (self.make_asan, "build-asan")):
            extra = ["build/failmalloc.so"] if build == "build" else []
            p = subprocess.run(make + [f"{build}/leadsift"] + extra + self.unit_tests(build),
                               cwd=root,
                               capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"mutate.py: the unmutated tree does not build in {build}:\n"
                         + p.stderr[-3000:])
        self.baseline = {}

    def unit_tests(self, build="build"):
        """The unit tests' binaries, as the Makefile names them: the source
        tree under tests/unit/ mirrored under BUILD/tests/."""
        unit = os.path.join(TOP, "tests", "unit")
        names = sorted(os.path.relpath(os.path.join(d, n), unit)[:-2]
                       for d, _, files in os.walk(unit) for n in files
                       if n.startswith("test_") and n.endswith(".c"))
        return [f"{build}/tests/{n}" for n in names]

    def suites(self, build="build"):
        """Every suite that could catch a mutant: (name, command, env). A unit
        test is linked just before it runs: most mutants never need it."""
        make = shlex.join(self.make if build == "build" else self.make_asan)
        suites = [(os.path.basename(u), ["sh", "-c", f"{make} '{u}' && exec '{u}'"], {})
                  for u in self.unit_tests(build)]
        bin = f"{build}/leadsift"
        suites += [
            ("difftest", ["python3", "tests/differential/run.py", bin, "--seeds", "150"], {}),
            ("e2e", ["sh", "tests/cli/run.sh"], {"LEADSIFT": bin}),
            ("reports", ["python3", "tests/reports/check.py", bin], {}),
            ("schema", ["/usr/bin/python3", "tests/schema/check.py", bin], {}),
            # -j N against -j 1 on random inputs cut into chunks everywhere
            ("jobs", ["python3", "tests/jobs/check.py", bin, "bench/personas", "--cases", "40"],
             {}),
        ]
        return suites

    def run_suite(self, name, cmd, env, timeout):
        """Whether the suite passes within timeout; on timeout its whole
        process group is killed (a mutant that loops forever is killed)."""
        p = subprocess.Popen(cmd, cwd=self.root, env=dict(os.environ, **env),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=timeout)
            self.last_output = out[-4000:]
            return p.returncode == 0
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            self.last_output = b"timed out"
            return False

    def measure(self):
        """Times each suite on the unmutated tree (a mutant gets 5x plus 10 s),
        and checks that each passes there, with and without ASan."""
        for build in ("build", "build-asan"):
            for name, cmd, env in self.suites(build):
                t0 = time.monotonic()
                if not self.run_suite(name, cmd, env, 900):
                    sys.exit(f"mutate.py: {name} ({build}) fails on the unmutated tree:\n"
                             + self.last_output.decode(errors="replace"))
                if build == "build":
                    self.baseline[name] = time.monotonic() - t0

    def test(self, m, triage=False, quick=False):
        path = os.path.join(self.root, m["file"])
        with open(path) as f:
            original = f.read()
        lines = original.splitlines(keepends=True)
        indent = lines[m["line"] - 1][:len(lines[m["line"] - 1]) - len(lines[m["line"] - 1].lstrip())]
        lines[m["line"] - 1] = indent + m["after"] + "\n"
        try:
            with open(path, "w") as f:
                f.write("".join(lines))
            built = subprocess.run(self.make + ["build/leadsift"], cwd=self.root,
                                   capture_output=True)
            if built.returncode != 0:
                return "stillborn", None
            module = os.path.splitext(os.path.basename(m["file"]))[0]
            direct = UNIT_FOR.get(module, "test_" + module)
            suites = [(n, c, e, 5 * self.baseline[n] + 10) for n, c, e in self.suites()]
            suites.sort(key=lambda s: (-self.kills.get((m["file"], s[0]), 0), s[0] != direct,
                                       self.baseline[s[0]]))
            # The file's own unit test under AddressSanitizer and LeakSanitizer
            # comes second: a deleted free() or a read past a buffer passes
            # every plain suite, and this costs one file compiled again.
            suites[1:1] = [(n + " (asan)", c, e, 10 * self.baseline[n] + 20)
                           for n, c, e in self.suites("build-asan") if n == direct]
            if triage:
                suites = [s for s in suites if s[0].startswith("test_")]
            for name, cmd, env, timeout in suites:
                if not self.run_suite(name, cmd, env, timeout):
                    key = (m["file"], name)
                    self.kills[key] = self.kills.get(key, 0) + 1
                    return "killed", name
            if triage:
                return "open", None
            # A constant moved (a block's size, a position) changes no
            # failure path; a block made too short is ASan's to find.
            if ALLOC_LINE.search(m["context"]) and m["op"] != "constant":
                loads = ALLOC_LOADS.get(module, "stats")
                if not self.run_suite("alloc", ["python3", "tests/alloc/run.py", "build/leadsift",
                                                "build/failmalloc.so"],
                                      {"ALLOC_ONLY": loads, "ALLOC_JOBS": "1"}, 600):
                    return "killed", f"alloc ({loads})"
            if quick:
                return "survived", None
            built = subprocess.run(self.make_asan + ["build-asan/leadsift"], cwd=self.root,
                                   capture_output=True)
            # Every other unit test and the differential test under ASan: a
            # block sized short may be overrun only by another file's test.
            for name, cmd, env in (self.suites("build-asan") if built.returncode == 0 else []):
                if (name == "difftest" or name.startswith("test_")) and name != direct and \
                        not self.run_suite(name, cmd, env, 10 * self.baseline[name] + 20):
                    return "killed", name + " (asan)"
            return "survived", None
        finally:
            with open(path, "w") as f:
                f.write(original)
            # The restored file must be older than the objects built from it
            # by the mutant, or make would not rebuild them.
            os.utime(path, None)


def reached_lines(build, files):
    """{file: set of line numbers executed} from a `make coverage` build, so
    that mutants no test reaches are reported without being run."""
    gcda = [os.path.join(build, n) for n in os.listdir(build) if n.endswith(".gcda")] \
        if os.path.isdir(build) else []
    if not gcda:
        print(f"mutate: no coverage data in {build} (make coverage): every mutant is run")
        return None
    oldest = min(os.path.getmtime(g) for g in gcda)
    # A changed source moves lines; a changed test may reach new ones.
    for top in ("src", "include", "tests"):
        for d, _, names in os.walk(os.path.join(TOP, top)):
            if os.path.relpath(d, TOP).startswith(os.path.join("tests", "mutate")):
                continue  # the harness and its list reach no code
            for n in names:
                if os.path.getmtime(os.path.join(d, n)) > oldest:
                    print(f"mutate: {os.path.relpath(os.path.join(d, n), TOP)} changed since "
                          f"the coverage run in {build}: every mutant is run")
                    return None
    p = subprocess.run(["gcovr", "--root", TOP, "--object-directory", build, "--json", "-",
                        build], cwd=TOP, capture_output=True, text=True, check=True)
    reached = {}
    for entry in json.loads(p.stdout)["files"]:
        reached[entry["file"]] = {ln["line_number"] for ln in entry["lines"] if ln["count"] > 0}
    return reached


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(TOP, "build-mutate"))
    ap.add_argument("--target", type=float, default=90.0)
    ap.add_argument("--report", metavar="RESULTS", nargs="+",
                    help="no run: the summary of earlier runs' results.jsonl, oldest "
                         "first (the latest verdict on a mutant counts), against the source "
                         "and the equivalent mutants listed now")
    ap.add_argument("--rerun", metavar="RESULTS",
                    help="run only the survivors of an earlier run's results.jsonl (after "
                         "new tests), found again in the source, and mutants it never ran")
    ap.add_argument("--resume", metavar="RESULTS",
                    help="keep the results of an interrupted run's results.jsonl and run "
                         "only the mutants it had not decided")
    ap.add_argument("--stale", action="store_true",
                    help="no run: fail if an equivalent.txt entry names no mutant of the "
                         "source as it is now")
    ap.add_argument("--check-equivalent", action="store_true",
                    help="run the mutants listed as equivalent too: one a test kills is "
                         "reported, to be taken off the list")
    ap.add_argument("--triage", action="store_true",
                    help="run only the unit tests (plain and ASan); leave what they do not "
                         "kill open, for --rerun")
    ap.add_argument("--quick", action="store_true",
                    help="skip the second pass under ASan: a survivor of the plain suites is "
                         "counted as survived (the score is a lower bound)")
    ap.add_argument("--coverage", metavar="BUILD",
                    help="a make coverage build: mutants on lines no test executes survive "
                         "without being run")
    args = ap.parse_args()
    if args.report:
        return report_again(args.report, args.target)
    if args.stale:
        return stale_equivalents()
    if not args.files:
        ap.error("name the source files to mutate (make mutate names the library's)")
    mutants = []
    rerun = None
    if args.rerun:
        with open(args.rerun) as f:
            earlier = [json.loads(line) for line in f]
        rerun = {(r["file"], r["before"], r["after"])
                 for r in earlier if r["status"] in ("survived", "open")}
        ran = {(r["file"], r["before"], r["after"]) for r in earlier}
    for path in args.files:
        found = find_mutants(path)
        if rerun is not None:
            # and the mutants of code written since the earlier run
            found = [m for m in found if (m["file"], m["before"], m["after"]) in rerun or
                     (m["file"], m["before"], m["after"]) not in ran]
        if args.sample and len(found) > args.sample:
            found = random.Random(f"{args.seed}:{path}").sample(found, args.sample)
            found.sort(key=lambda m: m["line"])
        mutants += found
    if args.list:
        for m in mutants:
            print(f"{m['file']}:{m['line']}: {m['op']}: {m['before']}  ->  {m['after']}")
        print(f"{len(mutants)} mutants")
        return 0
    equivalent = load_equivalent()
    decided = {}
    if args.resume:
        with open(args.resume) as f:
            for r in map(json.loads, f):
                decided[(r["file"], r["line"], r["before"], r["after"])] = r
    os.makedirs(args.out, exist_ok=True)
    results_path = os.path.join(args.out, "results.jsonl")
    if os.path.exists(results_path):
        os.unlink(results_path)
    results, lock, queue = [], threading.Lock(), []
    reached = reached_lines(args.coverage, args.files) if args.coverage else None
    # A listed key that names several mutants (the same lines in several
    # places) is run anyway: only the places that survive are equivalent.
    seen = {}
    for path in args.files:
        for m in find_mutants(path):
            seen[mutant_key(m)] = seen.get(mutant_key(m), 0) + 1
    for m in mutants:
        earlier = decided.get((m["file"], m["line"], m["before"], m["after"]))
        if earlier is not None and mutant_key(m) not in equivalent:
            results.append(earlier)  # carried over, and into the new results file
            with open(results_path, "a") as f:
                f.write(json.dumps(earlier) + "\n")
        elif mutant_key(m) in equivalent and seen[mutant_key(m)] == 1 and \
                not args.check_equivalent:
            results.append(dict(m, status="equivalent", killed_by=None))
        elif reached is not None and m["line"] not in reached.get(m["file"], set()):
            results.append(dict(m, status="survived", killed_by=None, unreached=True))
        else:
            queue.append(m)
    kills = {}  # (file, suite) -> mutants it killed: the likeliest suite runs first
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="leadsift-mutate-") as tmp:
        workers = [Worker(os.path.join(tmp, f"w{i}"), kills) for i in range(args.jobs)]
        workers[0].measure()
        for w in workers[1:]:
            w.baseline = workers[0].baseline

        def work(w):
            while True:
                with lock:
                    if not queue:
                        return
                    m = queue.pop(0)
                status, by = w.test(m, args.triage, args.quick)
                if mutant_key(m) in equivalent:
                    if status == "killed" and seen[mutant_key(m)] == 1:
                        print(f"NOT EQUIVALENT (killed by {by}): {mutant_key(m)}", flush=True)
                    status = "equivalent" if status == "survived" else status
                r = dict(m, status=status, killed_by=by)
                with lock:
                    results.append(r)
                    with open(results_path, "a") as f:
                        f.write(json.dumps(r) + "\n")
                    done = len(results)
                    if status in ("survived", "open"):
                        print(f"{status.upper()}  {m['file']}:{m['line']}: {m['op']}: {mutant_key(m)}",
                              flush=True)
                    if done % 50 == 0:
                        print(f"mutate: {done} of {len(mutants)} "
                              f"({time.monotonic() - started:.0f} s)", flush=True)

        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return report(results, args.target, time.monotonic() - started)


def stale_equivalents():
    """Entries of equivalent.txt that no longer name a mutant: the line, or
    the one before it, changed. Each must be checked again and renamed."""
    equivalent = load_equivalent()
    current = set()
    for path in sorted({key.split(" | ")[0] for key in equivalent}):
        if os.path.exists(os.path.join(TOP, path)):
            current.update(mutant_key(m) for m in find_mutants(path))
    stale = [key for key in equivalent if key not in current]
    for key in stale:
        print(f"mutate: {EQUIVALENT}: names no mutant now: {key}")
    print(f"mutate: {len(equivalent)} equivalent mutants listed, {len(stale)} stale")
    return 1 if stale else 0


def latest_verdicts(paths):
    """Each mutant of the source as it is now, with the verdict of the latest
    of the runs (oldest first) that names it: file and lines, the same line
    before it first, then the nearest line number (edits move code). A
    mutant no run names (code written since) is *unrun*. Also returns how
    many results no mutant took (superseded, or naming code that changed)."""
    equivalent = load_equivalent()
    runs = []
    for path in paths:
        named = {}
        with open(path) as f:
            for r in map(json.loads, f):
                named.setdefault((r["file"], r["before"], r["after"]), []).append(r)
        runs.append(named)
    results, used, total = [], set(), sum(len(v) for n in runs for v in n.values())
    for path in sorted({k[0] for n in runs for k in n}):
        for m in find_mutants(path):
            r = None
            for named in reversed(runs):
                left = [r for r in named.get((m["file"], m["before"], m["after"]), [])
                        if id(r) not in used]
                if left:
                    r = min(left, key=lambda r: (r.get("prev") != m["prev"],
                                                 abs(r["line"] - m["line"])))
                    used.add(id(r))
                    break
            if mutant_key(m) in equivalent and (r is None or r["status"] != "killed"):
                results.append(dict(m, status="equivalent", killed_by=None))
            elif r is None:
                results.append(dict(m, status="unrun", killed_by=None))
            else:
                results.append(dict(m, status=r["status"], killed_by=r.get("killed_by"),
                                    unreached=r.get("unreached", False)))
    return results, total - len(used)


def report_again(paths, target):
    """The summary of earlier runs (latest_verdicts): unrun mutants count as
    not killed, results no mutant took are not counted."""
    results, uncounted = latest_verdicts(paths)
    if uncounted:
        print(f"mutate: {uncounted} results not counted (superseded by a later run, "
              "or naming code that changed since)")
    return report(results, target, 0)


def report(results, target, seconds):
    by_file = {}
    for r in results:
        by_file.setdefault(r["file"], []).append(r)
    total = {"killed": 0, "survived": 0, "open": 0, "unrun": 0, "equivalent": 0, "stillborn": 0}
    print(f"{'file':24} {'mutants':>8} {'killed':>7} {'survived':>9} {'open':>5} {'unrun':>6} "
          f"{'equivalent':>11} {'stillborn':>10} {'score':>6}")
    for path in sorted(by_file):
        n = {k: sum(1 for r in by_file[path] if r["status"] == k) for k in total}
        for k in total:
            total[k] += n[k]
        # An open or unrun mutant counts as not killed until --rerun decides it.
        live = n["killed"] + n["survived"] + n["open"] + n["unrun"]
        score = 100.0 * n["killed"] / live if live else 100.0
        print(f"{path:24} {len(by_file[path]):8} {n['killed']:7} {n['survived']:9} "
              f"{n['open']:5} {n['unrun']:6} {n['equivalent']:11} {n['stillborn']:10} "
              f"{score:5.1f}%")
    live = total["killed"] + total["survived"] + total["open"] + total["unrun"]
    score = 100.0 * total["killed"] / live if live else 100.0
    print(f"mutate: {total['killed']} killed, {total['survived']} survived, "
          f"{total['open']} open, {total['unrun']} unrun, {total['equivalent']} equivalent, "
          f"{total['stillborn']} stillborn; "
          f"score {score:.1f}% of non-equivalent mutants (target {target:.0f}%), "
          f"{seconds / 60:.1f} min")
    survivors = sorted((r for r in results if r["status"] in ("survived", "open", "unrun")),
                       key=lambda r: (r["file"], r["line"]))
    # Each as equivalent.txt would name it, after its place and operator.
    for r in survivors:
        where = " (no test reaches the line)" if r.get("unreached") else ""
        state = f" ({r['status']})" if r["status"] != "survived" else ""
        print(f"  {r['file']}:{r['line']}: {r['op']}{where}{state}: {mutant_key(r)}")
    return 0 if score >= target and not total["open"] and not total["unrun"] else 1


if __name__ == "__main__":
    sys.exit(main())
