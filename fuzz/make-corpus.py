#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make-corpus.py - rebuilds the seed corpora in fuzz/corpus/ from the test
# fixtures, the bundled personas and the example leads. Run from the top of
# the tree: python3 fuzz/make-corpus.py
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


# fuzz_csv: the first byte picks the delimiter (0: ',', 1: ';').
lines = read("examples/leads.csv").split(b"\n")
csv_seeds = [
    b"\n".join(lines[:30]) + b"\n",
    b'a,b,c\n"x, y","say ""hi""","two\nlines"\n  pad  ,,""\r\n"cr\r\nlf","",last',
    b"\xef\xbb\xbfa\n\n1\r\n\r\n\n2\n",
    b'a,b\n"x\x00y",\xff\xfe\x80\n',
    b"a,b\n1\n3,4\n",
    b'notes,employees,country\nok,500,US\n"never closed,500,US\nmore\n',
    b'notes;employees;country\na,b;500;US\nx;5;"Bra;zil"\n',
]
for i, seed in enumerate(csv_seeds):
    selector = b"\x01" if b";" in seed.split(b"\n")[0] else b"\x00"
    write(f"{ROOT}/fuzz/corpus/csv/seed-{i:02d}", selector + seed)

# fuzz_fastpath: byte 0 picks the delimiter (0: ','), byte 1 the size limit,
# encoding and window, byte 2 where the input is cut in two chunks.
fast_seeds = csv_seeds + [
    b"a,b\r\nplain,row\r\n\"q\",row\r\n\r\nlast,one",
    b"a;b\nx;y\n\"multi\nline\";z\nno;quote\n\nend;here\n",
    b"a,b\nl\rfl\"\",5\n",
]
for i, seed in enumerate(fast_seeds):
    selector = b"\x01" if b";" in seed.split(b"\n")[0] else b"\x00"
    write(f"{ROOT}/fuzz/corpus/fastpath/seed-{i:02d}", selector + bytes([i * 7 % 256, i * 37 % 256]) + seed)

# fuzz_rules: every persona file the tests use, valid or not.
for path in sorted(glob.glob(f"{ROOT}/personas/*.json") + glob.glob(f"{ROOT}/tests/fixtures/*/*.json")):
    if path.endswith("policy.json"):
        continue
    name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
    write(f"{ROOT}/fuzz/corpus/rules/{name}", read(path))

# fuzz_pipeline: a persona, a NUL byte, then a CSV whose header fits it.
size, region = read("tests/fixtures/small/size.json"), read("tests/fixtures/small/region.json")
leads = [
    b'notes,employees,country\nAda,5,Germany\nBo,30,Brazil\n"Cy\nx","1,200",US\n',
    b'employees,country,notes\r\n11-50,India,\r\n$1.5k,US,"a ""q"""\r\n',
    b"employees\n\n10,001+\nunknown\n",
]
for i, csv in enumerate(leads):
    write(f"{ROOT}/fuzz/corpus/pipeline/size-{i}", size + b"\0" + csv)
write(f"{ROOT}/fuzz/corpus/pipeline/region-0", region + b"\0" + leads[0])
header = b"email,title,company,message,lead_source,budget,employees,annual_revenue\n"
body = (b'jo@mit.edu,Student,Acme,"need a discount",Careers Page,500,5,$1M\n'
        b'ana@x.com,CFO,Globex,,Referral,"10,000",11-50,2.5M\n')
for name in ["non-buyer", "price-haggler", "tiny-company"]:
    write(f"{ROOT}/fuzz/corpus/pipeline/{name}", read(f"personas/{name}.json") + b"\0" + header + body)

# Dates: the date persona over cells in every form.
dates = read("tests/fixtures/dates/stale.json")
write(f"{ROOT}/fuzz/corpus/pipeline/dates", dates + b"\0" +
      b'created,name\n2026-01-05,a\n"Jan 5, 2026",b\n2026-01-05T14:32:00+02:00,c\n5 Jan 2026,d\n'
      b'1/5/2026 2:30 PM,e\nyesterday,f\n,g\n')
