#!/usr/bin/env python3
"""seeds.py - builds the seed corpora of the fuzz targets.

usage: tests/fuzz/seeds.py OUTDIR [--build BUILDDIR] [--realdata DIR]

Writes OUTDIR/<target>/ for every target of tests/fuzz/CMakeLists.txt from
what the repository has: tests/data (good and bad inputs), samples/ (site.ini,
tickets.csv, survey.csv), the sample generator's logs and the chain's event
stream when a build directory is given, and the third-party logs of
../shared/realdata (or $OMSEC_REALDATA) when present. The seeds are not
committed: only the regression inputs of tests/fuzz/regress/ are. Each seed
is cut to 16 KiB (the campaign's -max_len) and named by content hash, so a
rerun gives the same corpus.
"""
import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAXLEN = 16384
LINES_PER_FILE = 24


def put(out, target, data):
    data = data[:MAXLEN]
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path, limit=MAXLEN * 4):
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError:
        return None


def sample_lines(data, n=LINES_PER_FILE):
    """Up to n lines spread over the file, first and last included."""
    lines = [l for l in data.split(b"\n") if l]
    if len(lines) <= n:
        return lines
    step = len(lines) / n
    return [lines[int(i * step)] for i in range(n)]


def log_files(args):
    """(path, bytes) of raw logs from tests/data, samples and realdata."""
    files = []
    for sub in ("bad", "parsers"):
        d = os.path.join(ROOT, "tests", "data", sub)
        for name in sorted(os.listdir(d)):
            if name.endswith((".sh", ".golden")):
                continue
            files.append(os.path.join(d, name))
    if args.samples:
        for dp, _, names in sorted(os.walk(args.samples)):
            for name in sorted(names):
                if "log" in name:
                    files.append(os.path.join(dp, name))
    if args.realdata and os.path.isdir(args.realdata):
        for dp, _, names in sorted(os.walk(args.realdata)):
            for name in sorted(names):
                if name.endswith((".log", ".csv")) or name.endswith("_2k.log"):
                    files.append(os.path.join(dp, name))
    out = []
    for p in files:
        data = read(p)
        if data is None:
            continue
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(read(p, 1 << 30))[:MAXLEN * 4]
            except (OSError, EOFError):
                continue
        out.append((p, data))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--build")
    ap.add_argument("--realdata", default=os.environ.get(
        "OMSEC_REALDATA", os.path.join(ROOT, "..", "shared", "realdata")))
    args = ap.parse_args()
    args.samples = None
    tmp = tempfile.TemporaryDirectory()
    if args.build:
        gen = os.path.join(args.build, "samples", "omsec-samplegen")
        if os.access(gen, os.X_OK):
            args.samples = os.path.join(tmp.name, "samples")
            subprocess.run([gen, "--seed", "7", "--out", args.samples],
                           check=True, stdout=subprocess.DEVNULL)

    logs = log_files(args)
    # parse_line: selector byte (0 = sniff, then the --type names), mtime
    # byte, line. Every line sniffed, a few forced.
    for i, (p, data) in enumerate(logs):
        for j, line in enumerate(sample_lines(data)):
            put(args.out, "parse_line", b"\x00\x00" + line)
            if j < 3:
                put(args.out, "parse_line", bytes([1 + (i + j) % 10, 100]) + line)
    # parse_stream and ingest: whole files (their head), and framed input.
    for p, data in logs:
        head = data[:MAXLEN]
        put(args.out, "parse_stream", b"\x00" + head)
        put(args.out, "ingest", head)
        put(args.out, "ingest", gzip.compress(head[:4096], mtime=0))
    put(args.out, "ingest", gzip.compress(b"a\n", mtime=0) +
        gzip.compress(b"b\nc", mtime=0))
    put(args.out, "ingest", gzip.compress(b"x" * 4096 + b"\n", mtime=0)[:-9])
    framed = read(os.path.join(ROOT, "tests", "data", "parsers", "framed.in"))
    put(args.out, "parse_stream", b"\x00" + framed)
    put(args.out, "parse_stream", b"\x01" + framed)

    # events: event streams from tests/data, and the chain's own output.
    streams = []
    for rel in ("analysis/small.events", "analysis/ssh.events",
                "enrich/events.tsv", "enrich/expected.tsv"):
        streams.append(read(os.path.join(ROOT, "tests", "data", rel)))
    if args.build and args.samples:
        parse = os.path.join(args.build, "parsers", "omsec-parse")
        auth = [os.path.join(dp, n) for dp, _, ns in os.walk(args.samples)
                for n in ns if n == "auth.log"]
        for a in sorted(auth)[:2]:
            head = b"\n".join(read(a).split(b"\n")[:300]) + b"\n"
            r = subprocess.run([parse, "--year", "2026"], input=head,
                               stdout=subprocess.PIPE, check=False)
            streams.append(r.stdout)
    for s in streams:
        if s:
            put(args.out, "events", b"\x00" + s)
            put(args.out, "events", b"\x01" + s[:4096])

    # summary: single summaries and "%%"-separated pairs.
    sums = [read(os.path.join(ROOT, "tests", "data", rel)) for rel in
            ("analysis/small.summary", "reports/summary.tsv",
             "e2e/summary-2026-11.tsv")]
    sums = [s[:MAXLEN // 2] for s in sums if s]
    for s in sums:
        put(args.out, "summary", s)
    for a in sums:
        for b in sums:
            put(args.out, "summary", a + b"%%\n" + b)
    # report_inputs: summary (0) or alerts (1).
    for s in sums:
        put(args.out, "report_inputs", b"\x00" + s)
    for rel in ("reports/alerts.tsv", "analysis/ssh.alerts", "e2e/alerts.tsv"):
        a = read(os.path.join(ROOT, "tests", "data", rel))
        if a:
            put(args.out, "report_inputs", b"\x01" + a)
    # records: tickets (0) or survey (1).
    for d in (os.path.join(ROOT, "samples"), os.path.join(ROOT, "tests", "data", "reports")):
        t = read(os.path.join(d, "tickets.csv"))
        s = read(os.path.join(d, "survey.csv"))
        if t:
            put(args.out, "records", b"\x00" + t)
        if s:
            put(args.out, "records", b"\x01" + s)
    # records: a records file (2) and asset inventories (3).
    rec = read(os.path.join(ROOT, "tests", "data", "records", "records.tsv"))
    if rec:
        put(args.out, "records", b"\x02" + rec)
    for rel in ("samples/assets.csv", "tests/data/records/assets.csv",
                "tests/data/records/assets-lpm.csv"):
        a = read(os.path.join(ROOT, rel))
        if a:
            put(args.out, "records", b"\x03" + a)
    # config: every site.ini.
    for rel in ("samples/site.ini", "tests/data/enrich/site.ini",
                "tests/data/reports/site.ini"):
        c = read(os.path.join(ROOT, rel))
        if c:
            put(args.out, "config", c)
    # Committed regression inputs are seeds too.
    reg = os.path.join(HERE, "regress")
    for t in sorted(os.listdir(reg)):
        for name in sorted(os.listdir(os.path.join(reg, t))):
            put(args.out, t, read(os.path.join(reg, t, name)))
    for t in sorted(os.listdir(args.out)):
        print("%s: %d seeds" % (t, len(os.listdir(os.path.join(args.out, t)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
