#!/usr/bin/env python3
"""Measure kdlint on real code: a seeded random sample of N TUs from a kernel compile
database, analysed with kdlint, written out for judging.

    bench/sample.sh --db <kernel tree or compile_commands.json> --seed 1 -n 2000 \\
                    --out <dir> [--subtree drivers/] [--kdlint build/kdlint] [-j 2] \\
                    [--tu-timeout 120 (0: not passed, for old binaries)] [--sample-only]

The sample is a deterministic function of the seed and the database: the .c entries
under the subtree are ordered by sha256("<seed>:<path relative to the tree>") and the
first N taken (no dependence on Python's random module or the db's order), then
analysed in path order.  Writes into <out>:

  sample.txt             the sampled TUs, one path (relative to the tree) a line
  db.txt                 the db drawn from: path, sha256, number of TUs under the subtree
  compile_commands.json  their entries (for reference: kdlint runs on the whole db
                         with the sampled files named, so it knows which
                         directories the sample covers only in part)
  reports.txt            kdlint's stdout: the reports, as clang prints them
  stderr.txt             kdlint's stderr: compiler errors, TUs not analysed, summary
  status.tsv             per TU: path, analysed | not analysed, reason
  judging.md             one entry per warning (file:line, check, message, notes), with
                         a VERDICT line to fill in: TRUE / FALSE / UNSURE, and a cause
  judging.tsv            the same, one row per warning, verdict and cause columns empty
  summary.txt            counts per check, TUs not analysed grouped by reason, wall time,
                         the kdlint binary and commit, the db and its sha256

kdlint runs with -j and --tu-timeout; when this script's stderr is a terminal, kdlint's
own progress line (N/M TUs, elapsed, ETA) is shown (kdlint runs on a pseudo-terminal
whose other output still goes to stderr.txt).
"""
import argparse
import collections
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARN = re.compile(r"^(?P<file>[^ :][^:]*):(?P<line>\d+):(?P<col>\d+): warning: (?P<msg>.*) \[(?P<check>[a-z0-9-]+)\]$")
NOTE = re.compile(r"^(?P<file>[^ :][^:]*):(?P<line>\d+):(?P<col>\d+): note: (?P<msg>.*)$")
NOT_PARSED = re.compile(r"^error: '(?P<file>[^']+)' could not be analysed: (?P<why>.*)$")
NOT_RUN = re.compile(r"^error: '(?P<file>[^']+)' not analysed \((?P<why>.*)\)$")
CANNOT_READ = re.compile(r"^error: cannot read '(?P<file>[^']+)': (?P<why>.*)$")
COMPILER_ERROR = re.compile(r"^(?P<file>[^ :][^:]*):\d+:\d+: (?:fatal )?error: (?P<msg>.*)$")
DRIVER_ERROR = re.compile(r"^error: (?P<msg>.*)$")


def load_db(db):
    path = os.path.join(db, "compile_commands.json") if os.path.isdir(db) else db
    with open(path, "rb") as f:
        raw = f.read()
    return path, json.loads(raw), hashlib.sha256(raw).hexdigest()


def entry_file(e):
    f = e["file"]
    return os.path.normpath(f if os.path.isabs(f) else os.path.join(e["directory"], f))


def draw_sample(entries, tree, subtree, seed, n):
    prefix = subtree.rstrip("/") + "/"
    by_rel = {}
    for e in entries:
        f = entry_file(e)
        rel = os.path.relpath(f, tree)
        if rel.endswith(".c") and rel.startswith(prefix) and rel not in by_rel:
            by_rel[rel] = e
    key = lambda rel: hashlib.sha256(("%s:%s" % (seed, rel)).encode()).hexdigest()
    chosen = sorted(sorted(by_rel, key=key)[:n])
    return chosen, [by_rel[r] for r in chosen], len(by_rel)


def run_kdlint(cmd, out_path, err_path, show_progress):
    """Runs kdlint; stdout to out_path, stderr to err_path.  With show_progress, stderr
    is a pseudo-terminal: kdlint's progress line is echoed here, the rest is saved."""
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        if not show_progress:
            return subprocess.run(cmd, stdout=out, stderr=err).returncode
        import pty
        import tty
        master, slave = pty.openpty()
        tty.setraw(slave)  # no \n -> \r\n translation
        p = subprocess.Popen(cmd, stdout=out, stderr=slave)
        os.close(slave)
        buf = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            buf += chunk
            # Progress redraws are "\r...\x1b[K" (erase: "\r\x1b[K"); everything
            # else is kdlint's real stderr.
            while True:
                i = buf.find(b"\r")
                if i < 0:
                    break
                j = buf.find(b"\x1b[K", i)
                if j < 0:
                    break
                err.write(buf[:i])
                sys.stderr.buffer.write(buf[i:j + 3])
                sys.stderr.flush()
                buf = buf[j + 3:]
            if b"\r" not in buf:
                err.write(buf)
                buf = b""
        err.write(buf)
        os.close(master)
        rc = p.wait()
        sys.stderr.write("\n")
        return rc


def group_reason(why):
    """A short class of reason for the summary."""
    m = re.match(r"'([^']+)' file not found", why)
    if m:
        h = m.group(1)
        return "missing header %s" % (h if "generated" in h or "/" not in h else
                                      re.sub(r"[^/]+$", "*", h))
    if why.startswith("timed out"):
        return "timed out"
    if why.startswith("kdlint crashed"):
        return why.split(",")[0]
    return re.sub(r"'[^']*'", "'…'", why)[:100]


def parse_stderr(path, tree):
    """status per absolute path: (state, reason) for TUs not analysed."""
    status, block = {}, []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = NOT_PARSED.match(line) or NOT_RUN.match(line) or CANNOT_READ.match(line)
        if m:
            why = m.group("why")
            first = next((COMPILER_ERROR.match(l) for l in block if COMPILER_ERROR.match(l)), None)
            if first and why.startswith("it does not parse"):
                why = "does not parse: %s: %s" % (os.path.relpath(first.group("file"), tree)
                                                  if first.group("file").startswith("/") else
                                                  first.group("file"), first.group("msg"))
                reason = "does not parse: " + group_reason(first.group("msg"))
            else:
                reason = group_reason(why)
            status[os.path.normpath(m.group("file"))] = (why, reason)
            block = []
        else:
            block.append(line)
    return status


def parse_reports(path, tree):
    warnings = []
    cur = None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        w = WARN.match(line)
        if w:
            cur = dict(w.groupdict(), notes=[])
            cur["rel"] = os.path.relpath(cur["file"], tree) if cur["file"].startswith("/") else cur["file"]
            warnings.append(cur)
            continue
        n = NOTE.match(line)
        if n and cur is not None:
            f = n.group("file")
            rel = os.path.relpath(f, tree) if f.startswith("/") else f
            cur["notes"].append("%s:%s: %s" % (rel, n.group("line"), n.group("msg")))
    return warnings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="kernel tree holding compile_commands.json, or the file")
    ap.add_argument("--seed", required=True)
    ap.add_argument("-n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--subtree", default="drivers/")
    ap.add_argument("--kdlint", default=os.path.join(HERE, "build", "kdlint"))
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--tu-timeout", type=int, default=120)
    ap.add_argument("--sample-only", action="store_true", help="write sample.txt and the db only")
    ap.add_argument("--reparse", action="store_true",
                    help="do not draw or run: rewrite the sheets from sample.txt, db.txt, "
                         "reports.txt and stderr.txt already in --out (e.g. of a run stopped early)")
    a = ap.parse_args()

    tree = os.path.abspath(a.db if os.path.isdir(a.db) else os.path.dirname(a.db))
    out = lambda name: os.path.join(a.out, name)
    if a.reparse:
        # The sample of the run, not a new draw (the db may have changed since).
        rels = [l.rstrip("\n") for l in open(out("sample.txt")) if l.strip()]
        db_path, db_sha, population = open(out("db.txt")).read().split()
        population = int(population)
    else:
        db_path, entries, db_sha = load_db(a.db)
        rels, chosen, population = draw_sample(entries, tree, a.subtree, a.seed, a.n)
        os.makedirs(a.out, exist_ok=True)
        with open(out("sample.txt"), "w") as f:
            f.write("".join(r + "\n" for r in rels))
        with open(out("compile_commands.json"), "w") as f:
            json.dump(chosen, f, indent=1)
        with open(out("db.txt"), "w") as f:
            f.write("%s %s %d\n" % (db_path, db_sha, population))
        print("sample: %d of %d TUs under %s (seed %s) -> %s" %
              (len(rels), population, a.subtree, a.seed, a.out), file=sys.stderr)
    if a.sample_only:
        return 0

    kdlint = os.path.abspath(a.kdlint)
    # A measurement analyses every TU: no result cache (older binaries have none).
    helptext = subprocess.run([kdlint, "--help"], capture_output=True, text=True).stdout
    nocache = ["--no-cache"] if "--no-cache" in helptext else []
    # The whole database, the sampled files named: as a user who runs kdlint on
    # some files of a tree, so a directory the sample covers only in part is known
    # to be partial (what no file there releases is not known).
    cmd = [kdlint, "-p", os.path.abspath(db_path), "-j%d" % a.j,
           ] + nocache + (["--tu-timeout=%d" % a.tu_timeout] if a.tu_timeout > 0 else []) + [
           os.path.join(tree, r) for r in rels]
    shown = cmd[:cmd.index(os.path.join(tree, rels[0]))] if rels else cmd
    shown_cmd = " ".join(shlex.quote(c) for c in shown) + " <the %d sampled files>" % len(rels)
    if a.reparse:
        rc, wall = -1, float("nan")
        if os.path.exists(out("wall.txt")):
            rc, wall = (float(x) for x in open(out("wall.txt")).read().split())
            rc = int(rc)
    else:
        print("running: " + shown_cmd, file=sys.stderr)
        t0 = time.time()
        rc = run_kdlint(cmd, out("reports.txt"), out("stderr.txt"), sys.stderr.isatty())
        wall = time.time() - t0
        with open(out("wall.txt"), "w") as f:
            f.write("%d %.1f\n" % (rc, wall))

    status = parse_stderr(out("stderr.txt"), tree)
    warnings = parse_reports(out("reports.txt"), tree)
    if a.reparse and rc == -1:
        # A run stopped early: kdlint prints in sample order, so TUs after the last
        # one named in its output were not reached (silent TUs just before it may
        # have been analysed without output: they count as analysed).
        named = {w["rel"] for w in warnings} | {os.path.relpath(f, tree) for f in status}
        last = max((i for i, r in enumerate(rels) if r in named), default=-1)
        print("run incomplete: %d of %d TUs reached" % (last + 1, len(rels)), file=sys.stderr)
        rels = rels[:last + 1]
    if rc == 2:
        # A usage or configuration error: kdlint analysed nothing.
        why = "kdlint exited 2: %s" % (open(out("stderr.txt"), errors="replace")
                                       .readline().strip() or "usage or configuration error")
        status = {os.path.normpath(os.path.join(tree, r)): (why, why) for r in rels}
    per_tu = collections.Counter(w["rel"] for w in warnings)
    with open(out("status.tsv"), "w") as f:
        f.write("tu\tstatus\treason\twarnings\n")
        for rel in rels:
            s = status.get(os.path.normpath(os.path.join(tree, rel)))
            f.write("%s\t%s\t%s\t%d\n" % (rel, "not analysed" if s else "analysed",
                                          s[0] if s else "", per_tu.get(rel, 0)))
    with open(out("judging.md"), "w") as f:
        f.write("# Judging sheet: %s, seed %s, %d TUs, %d warnings\n\n" %
                (os.path.basename(tree), a.seed, len(rels), len(warnings)))
        f.write("For each entry read the code and fill in VERDICT (TRUE = a real bug or "
                "rule violation, FALSE = not one, UNSURE) and, for FALSE, the root cause.\n\n")
        for i, w in enumerate(warnings, 1):
            f.write("## %d. %s:%s [%s]\n\n%s\n\n" % (i, w["rel"], w["line"], w["check"], w["msg"]))
            for n in w["notes"]:
                f.write("- note: %s\n" % n)
            f.write("\nVERDICT: \nCAUSE: \n\n")
    with open(out("judging.tsv"), "w") as f:
        f.write("id\tlocation\tcheck\tmessage\tnotes\tverdict\tcause\n")
        for i, w in enumerate(warnings, 1):
            f.write("%d\t%s:%s\t%s\t%s\t%s\t\t\n" % (i, w["rel"], w["line"], w["check"],
                                                   w["msg"].replace("\t", " "),
                                                   " | ".join(w["notes"]).replace("\t", " ")))
    checks = collections.Counter(w["check"] for w in warnings)
    reasons = collections.Counter(r for _, r in status.values())
    version = subprocess.run([kdlint, "--version"], capture_output=True,
                             text=True).stdout.strip().replace("\n", " ")
    commit = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "tree        %s" % tree,
        "db          %s (sha256 %s)" % (db_path, db_sha),
        "sample      seed %s, %d of %d TUs under %s" % (a.seed, len(rels), population, a.subtree),
        "kdlint      %s (%s, built %s; this checkout at %s)" %
        (kdlint, version, time.strftime("%Y-%m-%d %H:%M", time.gmtime(os.path.getmtime(kdlint))),
         commit),
        "command     %s" % shown_cmd,
        "exit code   %d" % rc,
        "wall time   %.0f s (%.2f s per TU at -j%d)" % (wall, wall / max(1, len(rels)), a.j),
        "analysed    %d TUs, %d with warnings" % (len(rels) - len(status), len(per_tu)),
        "not analysed %d TUs" % len(status),
    ]
    for r, c in reasons.most_common():
        lines.append("    %5d  %s" % (c, r))
    lines.append("warnings    %d" % len(warnings))
    for c, k in sorted(((v, k) for k, v in checks.items()), reverse=True):
        lines.append("    %5d  %s" % (c, k))
    with open(out("summary.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
