# SPDX-License-Identifier: MIT
"""Allocation-failure test: runs leadsift once per allocation it makes, with
that allocation failing (tests/alloc/failmalloc.c), over the loads below:
scoring runs, each analyst command, the allow-list, a header that does not
fit, an output that cannot be written.

Every run must either end as the full run does (same output, summary,
messages and status) or fail cleanly: exit 1 and "out of memory", no crash,
no output or rejects file, a summary (if any) that says "out of memory", no
temporary file, and no more blocks left allocated at exit than a full run
leaves (libc's own).

The runs of a load are shared among ALLOC_JOBS workers (default: one per
CPU), each in its own directory beside the shared inputs; ALLOC_ONLY="score
lint ..." runs only the loads named (tests/mutate uses it).

Usage: python3 tests/alloc/run.py BINARY SHIM
"""
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TODAY = ["--today", "2026-11-22"]
# Files a run may write in its directory; none may be left by a failed one.
OUTPUTS = ("out.csv", "stats.json", "rej.csv", "report.html", "changed.csv", "draft.json")
FAILED_SUMMARY = re.compile(rb'^\{"leadsift_version":"[^"]*","status":"error","exit_code":1,'
                            rb'"error":"out of memory",.*\}\n?$')
ELAPSED = re.compile(rb'"elapsed_seconds":[0-9.e+-]*')
RUN_TIMEOUT = 120  # seconds: a run that takes longer has hung


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def setup(inputs):
    """The inputs, copied: a run gone wrong (a path built from memory it never
    wrote) must not touch the checkout, and may not touch them either."""
    def write(name, data):
        with open(os.path.join(inputs, name), "w", newline="") as f:
            f.write(data)

    with open(os.path.join(TOP, "examples/leads.csv"), newline="") as f:
        leads = f.readlines()[:40]
    write("leads.csv", "".join(leads))
    write("body.csv", "".join(leads[1:]))
    with open(os.path.join(TOP, "examples/history.csv"), newline="") as f:
        write("history.csv", "".join(f.readlines()[:25]))
    rules = os.path.join(inputs, "rules")
    shutil.copytree(os.path.join(TOP, "personas"), os.path.join(rules, "personas"))
    for d in ("allow", "small", "lint", "explain", "fr-excel", "sf-report", "discover", "lookup"):
        shutil.copytree(os.path.join(TOP, "tests/fixtures", d), os.path.join(rules, d))
    shutil.copytree(os.path.join(rules, "personas"), os.path.join(inputs, "personas-new"))
    os.remove(os.path.join(inputs, "personas-new/price-haggler.json"))
    write("allow.csv", 'notes,employees,country\n"strategic, big",5,Brazil\n'
          "partner: tiny,5,US\nplain,5,US\n")
    write("misfit.csv", "name,size\nx,5\n")
    with open(os.path.join(rules, "discover/history.csv"), newline="") as f:
        write("discover.csv", "".join(f.readlines()[:401]))
    subprocess.run([sys.executable, os.path.join(rules, "sf-report/policy.py"),
                    os.path.join(rules, "personas/policy.json"),
                    os.path.join(rules, "sf-report/policy.json")], check=True)
    return leads[0].rstrip("\r\n")


def checksums(inputs):
    sums = {}
    for root, _, files in os.walk(inputs):
        for name in files:
            path = os.path.join(root, name)
            sums[os.path.relpath(path, inputs)] = hashlib.md5(read(path)).hexdigest()
    return sums


def loads(header):
    """(name, kind, arguments, environment): a "file" load writes out.csv and
    maybe a summary and rejects; a "stdout" load prints its report."""
    par = {"LEADSIFT_JOBS": "2", "LEADSIFT_CHUNK_SIZE": "2K"}
    return [
        ("score", "file", ["-p", "rules/personas", "-o", "out.csv", "leads.csv"], {}),
        ("stats", "file", ["-p", "rules/personas", "-o", "out.csv", "--stats", "stats.json",
                           "--rejects", "rej.csv", "leads.csv"], {}),
        # The allow-list at work, and a header that does not fit the rules
        # (the closest-column message): branches the runs above do not reach.
        ("allow", "file", ["-p", "rules/allow"] + TODAY +
         ["-o", "out.csv", "--stats", "stats.json", "allow.csv"], {}),
        # A shard without a header, named by --header-line.
        ("no-header", "file", ["-p", "rules/personas", "--no-header", "--header-line", header,
                               "-o", "out.csv", "body.csv"], {}),
        ("header-misfit", "stdout", ["-p", "rules/small", "misfit.csv"], {}),
        # A parallel run: chunks of about 2 KiB on two threads.
        ("score-parallel", "file", ["-p", "rules/personas", "-o", "out.csv", "--stats",
                                    "stats.json", "--rejects", "rej.csv", "leads.csv"], par),
        # A Windows-1252 export (decoded, reasons encoded back, on two
        # threads too) and a report whose footer rows fail the policy's
        # require, set aside.
        ("encoding", "file", ["-d", ";", "-p", "rules/fr-excel", "-o", "out.csv", "--stats",
                              "stats.json", "rules/fr-excel/export.csv"], {}),
        ("encoding-parallel", "file", ["-d", ";", "-p", "rules/fr-excel", "-o", "out.csv",
                                       "rules/fr-excel/export.csv"],
         {"LEADSIFT_JOBS": "2", "LEADSIFT_CHUNK_SIZE": "200"}),
        ("require", "file", ["-p", "rules/sf-report/policy.json", "-p",
                             "rules/personas/tiny-company.json", "-o", "out.csv", "--rejects",
                             "rej.csv", "rules/sf-report/export.csv"], {}),
        # Lookup tables: one by company, one in Windows-1252 by e-mail domain.
        ("lookup", "file", ["-p", "rules/lookup", "-o", "out.csv", "--stats", "stats.json",
                            "rules/lookup/leads.csv"], {}),
        ("lookup-explain", "stdout", ["explain", "-p", "rules/lookup"] + TODAY +
         ["--row", "1", "rules/lookup/leads.csv"], {}),
        # A run whose output cannot be written: the message names the output.
        ("write-error", "stdout", ["-p", "rules/personas", "-o", "/dev/full", "leads.csv"], {}),
        ("check", "stdout", ["check", "-p", "rules/personas"] + TODAY + ["--header", "leads.csv"],
         {}),
        ("lint", "stdout", ["check", "-p", "rules/lint"] + TODAY, {}),
        ("explain", "stdout", ["explain", "-p", "rules/personas"] + TODAY +
         ["--row", "3", "--where", "Industry=Retail", "--json", "leads.csv"], {}),
        ("explain-text", "stdout", ["explain", "-p", "rules/explain"] + TODAY +
         ["--row", "1", "rules/explain/leads.csv"], {}),
        ("backtest", "stdout", ["backtest", "-p", "rules/personas"] + TODAY +
         ["--outcome", "Converted=yes", "--value", "Deal Amount", "--cost-per-lead", "40",
          "--by", "Create Date", "--period", "month", "--html", "report.html", "--json",
          "history.csv"], {}),
        ("backtest-text", "stdout", ["backtest", "-p", "rules/personas"] + TODAY +
         ["--outcome", "Converted=yes", "--by", "Create Date", "history.csv"], {}),
        ("diff", "stdout", ["diff", "--old", "rules/personas", "--new", "personas-new"] + TODAY +
         ["--outcome", "Converted", "--value", "Deal Amount", "--cost-per-lead", "40",
          "-o", "changed.csv", "--json", "history.csv"], {}),
        # discover over the leads joined with the bundled helpdesk table.
        ("discover-lookup", "stdout", ["discover", "-p", "rules/personas"] + TODAY +
         ["--outcome", "Converted=yes", "--all", "history.csv"], {}),
        # (The draft names the day: pinned, so a run across midnight agrees.)
        ("discover", "stdout", ["discover", "-p", "rules/discover/personas"] + TODAY +
         ["--outcome", "Converted=yes", "--holdout", "30", "-o", "draft.json", "--json",
          "discover.csv"], {}),
    ]


class Load:
    def __init__(self, binary, shim, name, kind, args, env):
        self.binary, self.shim, self.name, self.kind, self.args = binary, shim, name, kind, args
        self.env = dict(os.environ, LC_ALL="C", **env)
        self.env.pop("FAILMALLOC_AT", None)

    def run(self, cwd, at=None, shim=True):
        env = dict(self.env)
        if shim:
            env.update(LD_PRELOAD=self.shim, FAILMALLOC_REPORT="count.txt")
        if at is not None:
            env["FAILMALLOC_AT"] = str(at)
        for name in OUTPUTS + ("count.txt",):
            if os.path.exists(os.path.join(cwd, name)):
                os.remove(os.path.join(cwd, name))
        p = subprocess.run([self.binary] + self.args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=RUN_TIMEOUT)
        # A run killed by a signal leaves no report: its status says enough.
        counts = read(os.path.join(cwd, "count.txt")) if shim else None
        return p, [int(x) for x in (counts or b"0 0").split()]

    def expect(self, cwd):
        """The full run: what every run that succeeds must give, and the
        blocks libc keeps for good (time zone data), which no failed run may
        exceed."""
        if self.kind == "stdout":
            plain, _ = self.run(cwd, shim=False)
        p, (self.total, self.baseline) = self.run(cwd)
        if self.kind == "file" and p.returncode != 0:
            sys.exit(f"alloc: the full run of {self.name} failed (status {p.returncode}): " +
                     p.stderr.decode("utf-8", "replace"))
        if self.kind == "file":
            self.want = {name: read(os.path.join(cwd, name)) for name in ("out.csv", "rej.csv")}
            stats = read(os.path.join(cwd, "stats.json"))
            self.want["stats.json"] = ELAPSED.sub(b"", stats) if stats is not None else None
            self.status, self.stdout, self.stderr = 0, None, None
        else:
            self.status, self.stdout, self.stderr = plain.returncode, plain.stdout, plain.stderr

    def check(self, cwd, at):
        """What is wrong with the run whose allocation `at` failed, or ''."""
        try:
            p, (_, live) = self.run(cwd, at)
        except subprocess.TimeoutExpired:
            return f"hung for {RUN_TIMEOUT} s"
        problems = []
        err = p.stderr.decode("utf-8", "replace")
        stats = read(os.path.join(cwd, "stats.json"))
        if self.kind == "file" and p.returncode == 0:
            if read(os.path.join(cwd, "out.csv")) != self.want["out.csv"]:
                problems.append("succeeded with wrong output")
            if "rej.csv" in self.args and read(os.path.join(cwd, "rej.csv")) != self.want["rej.csv"]:
                problems.append("succeeded without the full run's rejects file")
            if "stats.json" in self.args and \
                    (stats is None or ELAPSED.sub(b"", stats) != self.want["stats.json"]):
                problems.append("succeeded with another summary than a full run's")
        elif self.kind == "stdout" and p.returncode == self.status and self.status != 1:
            if p.stdout != self.stdout or p.stderr != self.stderr:
                problems.append(f"exit status {p.returncode} with other output or messages "
                                "than a full run's")
        elif p.returncode < 0:
            problems.append(f"killed by signal {-p.returncode}: {err}")
        elif p.returncode != 1:
            problems.append(f"exit status {p.returncode}: {err}")
        elif "out of memory" not in err:
            problems.append(f"message: {err}")
        elif any(os.path.exists(os.path.join(cwd, n)) for n in OUTPUTS if n != "stats.json"):
            problems.append("left an output file")
        elif stats is not None and not FAILED_SUMMARY.match(stats):
            # The summary of a failed run says so, whole, or is not there.
            problems.append("left a summary that does not say out of memory: " +
                            stats[:120].decode("utf-8", "replace"))
        if any("leadsift-" in n for n in os.listdir(cwd)):
            problems.append("left a temporary file")
            for n in os.listdir(cwd):
                if "leadsift-" in n:
                    os.remove(os.path.join(cwd, n))
        if live > self.baseline:
            problems.append(f"leaked {live - self.baseline} blocks")
        return " ".join(problems)


def main():
    binary, shim = (os.path.abspath(a) for a in sys.argv[1:3])
    only = os.environ.get("ALLOC_ONLY", "").split()
    jobs = int(os.environ.get("ALLOC_JOBS", "0")) or os.cpu_count() or 1
    checked = failed = 0
    with tempfile.TemporaryDirectory() as work:
        inputs = os.path.join(work, "inputs")
        os.mkdir(inputs)
        header = setup(inputs)
        before = checksums(inputs)
        # Each worker runs in its own directory, which sees the inputs by
        # the same relative names.
        dirs = [os.path.join(work, f"run{i}") for i in range(jobs)]
        for d in dirs:
            os.mkdir(d)
            for name in os.listdir(inputs):
                os.symlink(os.path.join(inputs, name), os.path.join(d, name))
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for name, kind, args, env in loads(header):
                if only and name not in only:
                    continue
                load = Load(binary, shim, name, kind, args, env)
                load.expect(dirs[0])

                def part(i):
                    return [(at, load.check(dirs[i], at))
                            for at in range(i + 1, load.total + 1, jobs)]
                results = sorted(r for rs in pool.map(part, range(jobs)) for r in rs)
                for at, problem in results:
                    if problem:
                        print(f"FAIL {name}: allocation {at} of {load.total}: {problem}")
                        failed += 1
                checked += len(results)
                after = checksums(inputs)
                changed = sorted(p for p in before.keys() | after.keys()
                                 if before.get(p) != after.get(p))
                if changed:
                    print(f"FAIL {name}: changed its rules or inputs: {', '.join(changed)}")
                    failed += 1
                print(f"{name}: {load.total} allocations, each failed once", flush=True)
    print(f"alloc: {checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
