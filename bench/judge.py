#!/usr/bin/env python3
"""Judging the reports of a sample (bench/sample.py writes judging.md into its --out).

    bench/judge.py split <out>/judging.md <prefix> [--per 35]
        writes <prefix>-01.md, <prefix>-02.md, ... of at most --per entries each, every
        one headed with the tree the reports are about, for judges working in parallel
        (each follows bench/judging.md and writes <prefix>-NN.verdicts)
    bench/judge.py table <file.verdicts | judging.md> ...
        the table per check and per tree: reports, TRUE, FALSE, UNSURE, precision
        (TRUE / (TRUE + FALSE + UNSURE)), then every FALSE entry with its cause

An entry is the block judging.md writes: "## <n>. <file>:<line> [<check>]", the message,
its notes, then "VERDICT: TRUE|FALSE|UNSURE" and "CAUSE: ...".
"""
import argparse
import collections
import re
import sys

HEAD = re.compile(r"^## (\d+)\. (\S+) \[([a-z0-9-]+)\]\s*$")
TREE = re.compile(r"^# Judging sheet: (\S+),")


def entries(path):
    """Yields (tree, id, location, check, verdict, cause, text) for each entry."""
    tree, cur = "?", None
    for line in open(path, errors="replace"):
        t = TREE.match(line)
        if t:
            tree = t.group(1)
        h = HEAD.match(line)
        if h:
            if cur:
                yield cur
            cur = {"tree": tree, "id": int(h.group(1)), "loc": h.group(2),
                   "check": h.group(3), "verdict": "", "cause": "", "text": [line]}
            continue
        if cur is None:
            continue
        cur["text"].append(line)
        if line.startswith("VERDICT:"):
            v = line.split(":", 1)[1].strip().upper()
            cur["verdict"] = v.split()[0] if v else ""
        elif line.startswith("CAUSE:"):
            cur["cause"] = line.split(":", 1)[1].strip()
    if cur:
        yield cur


def split(a):
    es = list(entries(a.sheet))
    header = open(a.sheet, errors="replace").readline()
    for k in range(0, len(es), a.per):
        name = "%s-%02d.md" % (a.prefix, k // a.per + 1)
        with open(name, "w") as f:
            f.write(header + "\n")
            for e in es[k:k + a.per]:
                f.write("".join(e["text"]))
        print(name, file=sys.stderr)
    return 0


def table(a):
    rows = collections.defaultdict(collections.Counter)
    false = []
    for path in a.files:
        for e in entries(path):
            v = e["verdict"] if e["verdict"] in ("TRUE", "FALSE", "UNSURE") else "UNJUDGED"
            for key in ((e["tree"], e["check"]), (e["tree"], "all"), ("all", "all")):
                rows[key][v] += 1
            if v != "TRUE":
                false.append((e["tree"], e["check"], e["loc"], v, e["cause"]))
    print("%-12s %-26s %7s %5s %5s %6s %8s %9s" %
          ("tree", "check", "reports", "TRUE", "FALSE", "UNSURE", "UNJUDGED", "precision"))
    for (tree, check), c in sorted(rows.items(), key=lambda kv: (kv[0][0] == "all", kv[0][0],
                                                                 kv[0][1] == "all", kv[0][1])):
        judged = c["TRUE"] + c["FALSE"] + c["UNSURE"]
        n = judged + c["UNJUDGED"]
        print("%-12s %-26s %7d %5d %5d %6d %8d %8s" %
              (tree, check, n, c["TRUE"], c["FALSE"], c["UNSURE"], c["UNJUDGED"],
               "%.1f%%" % (100.0 * c["TRUE"] / judged) if judged else "-"))
    if false:
        print()
        for f in sorted(false):
            print("%s  %s  %s  %s: %s" % f)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("split")
    s.add_argument("sheet")
    s.add_argument("prefix")
    s.add_argument("--per", type=int, default=35)
    t = sub.add_parser("table")
    t.add_argument("files", nargs="+")
    a = ap.parse_args()
    return split(a) if a.cmd == "split" else table(a)


if __name__ == "__main__":
    sys.exit(main())
