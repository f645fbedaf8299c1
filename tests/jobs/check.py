#!/usr/bin/env python3
"""-j N writes exactly what -j 1 with every record parsed by libcsv
(LEADSIFT_NO_FAST_PATH=1) writes: the same output bytes, messages,
exit status, rejects file and --stats counts, for random CSV with quoted
delimiters, quotes and line breaks falling across chunk borders, CRLF,
blank lines, byte order marks (and first cells that look like one) and errors (stray quotes, wrong field counts,
unterminated quotes, oversized records), read from a file and from a pipe.

    check.py LEADSIFT PERSONAS [--cases N] [--seed S]

LEADSIFT_CHUNK_SIZE cuts the input into chunks of a few bytes, so that
every record border is a chunk border somewhere."""
import json
import os
import random
import subprocess
import sys
import tempfile

HEADER = ["Record ID", "First Name", "Email", "Job Title", "Industry",
          "Number of Employees", "Budget", "Support Tickets per Month",
          "Contract Value", "Message"]
WORDS = ["Retail", "Software", "Hospitality", "student", "intern", "CEO",
         "discount please", "best price", "free version", "a,b", 'say "hi"',
         "line\nbreak", "crlf\r\nbreak", "", " padded ", "1,001-5,000", "3",
         "25", "$800.00", "12000", "x@gmail.com", "y@acme.com", "15", "0",
         "Caf\u00e9", "\u00fcber"]


def field(rng):
    text = rng.choice(WORDS)
    if rng.random() < 0.1:
        text = rng.choice(WORDS) + rng.choice(WORDS)
    needs = any(c in text for c in ',"\r\n') or rng.random() < 0.05
    if needs:
        return '"' + text.replace('"', '""') + '"'
    return text


def record(rng, ncols):
    n = ncols
    if rng.random() < 0.008:
        n += rng.choice([-1, 1])          # wrong field count
    cells = [field(rng) for _ in range(max(n, 1))]
    line = ",".join(cells)
    r = rng.random()
    if r < 0.002:
        line = line.replace(",", ',x"y', 1)   # stray quote
    elif r < 0.003:
        line = line + ',"never closed'
    return line


def document(rng):
    eol = "\r\n" if rng.random() < 0.3 else "\n"
    parts = [",".join(HEADER) + eol]
    if rng.random() < 0.15:
        # A first cell that looks like a byte order mark: after the header it
        # is written as it is, whichever chunk and thread writes it.
        parts.append("\ufeff" + record(rng, len(HEADER)) + eol)
    for _ in range(rng.randint(0, 120)):
        if rng.random() < 0.03:
            parts.append(eol)                 # blank line
        parts.append(record(rng, len(HEADER)) + eol)
    text = "".join(parts)
    if rng.random() < 0.2:
        text = text[:-len(eol)]               # no final line end
    data = text.encode()
    if rng.random() < 0.1:
        data = b"\xef\xbb\xbf" + data
    return data


def options(rng, tmp):
    opts = []
    if rng.random() < 0.4:
        opts += ["--rejects", os.path.join(tmp, "rejects.csv")]
        if rng.random() < 0.5:
            opts += ["--max-rejects", str(rng.randint(1, 3))]
    if rng.random() < 0.3:
        opts += ["--only", rng.choice(["qualified", "disqualified"])]
    if rng.random() < 0.2:
        opts += ["--max-record-bytes", str(rng.randint(150, 900))]
    if rng.random() < 0.5:
        opts += ["--stats", os.path.join(tmp, "stats.json")]
    if rng.random() < 0.3:
        opts += ["-o", os.path.join(tmp, "out.csv")]
    return opts


def run(leadsift, personas, opts, path, tmp, jobs, chunk, pipe, fast=True):
    env = dict(os.environ, LEADSIFT_JOBS=str(jobs), LEADSIFT_CHUNK_SIZE=str(chunk),
               LEADSIFT_NO_FAST_PATH="0" if fast else "1")
    for name in ("rejects.csv", "stats.json", "out.csv"):
        try:
            os.unlink(os.path.join(tmp, name))
        except FileNotFoundError:
            pass
    args = [leadsift, "--today", "2026-11-01", "-p", personas] + opts
    if pipe:
        with open(path, "rb") as f:
            p = subprocess.run(args + ["-"], stdin=f, capture_output=True, env=env)
    else:
        p = subprocess.run(args + [path], stdin=subprocess.DEVNULL, capture_output=True,
                           env=env)
    result = {"status": p.returncode, "stdout": p.stdout,
              "stderr": p.stderr.replace(b"<stdin>", path.encode())}
    for name in ("rejects.csv", "out.csv"):
        full = os.path.join(tmp, name)
        result[name] = open(full, "rb").read() if os.path.exists(full) else None
    full = os.path.join(tmp, "stats.json")
    if os.path.exists(full):
        stats = json.load(open(full))
        stats.pop("elapsed_seconds")
        stats["input"] = None
        if "error" in stats:
            stats["error"] = stats["error"].replace("<stdin>", path)
        result["stats"] = stats
    return result


def main():
    leadsift, personas = sys.argv[1], sys.argv[2]
    cases = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 200
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.csv")
        for case in range(seed, seed + cases):
            rng = random.Random(case)
            with open(path, "wb") as f:
                f.write(document(rng))
            opts = options(rng, tmp)
            pipe = rng.random() < 0.5
            want = run(leadsift, personas, opts, path, tmp, 1, 1 << 20, pipe, fast=False)
            jobs, chunk = rng.randint(2, 4), rng.choice([1, 7, 64, 300, 4096])
            got = run(leadsift, personas, opts, path, tmp, jobs, chunk, not pipe)
            if got != want:
                failed += 1
                diff = [k for k in want if want[k] != got[k]]
                print(f"FAIL case {case}: -j {jobs}, chunks of {chunk} bytes, "
                      f"options {opts}: {', '.join(diff)} differ", file=sys.stderr)
                for k in diff:
                    print(f"  -j 1: {want[k]!r:.300}\n  -j {jobs}: {got[k]!r:.300}",
                          file=sys.stderr)
    print(f"jobs: {cases - failed} of {cases} random inputs identical under -j N")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
