#!/usr/bin/env python3
"""A compile database of a configured, `make prepare`d kernel tree, from Kbuild's own
command lines and without compiling anything.

    scripts/kernel-compdb.py [--jobs N] [--make-args 'LLVM=-19'] KDIR [SUBTREE...]

1. `make <make-args> -n -k SUBTREE...` prints every command Kbuild would run for the
   subtrees (default: drivers/) without running them (make still descends: recursive
   `$(MAKE)` lines run even with -n).  The output is kept in KDIR/.kdlint-make-n.log.
2. Each printed line is a shell command (`set -e; echo '  CC [M]  x.o'; trap ...;
   clang-19 ... -c -o x.o x.c; objtool ...; fixdep ...`).  It is split with shell
   quoting into simple commands at `;`, `&&`, `||`, `|`, `{`, `}`, `(`, `)`.  A simple
   command whose program is a C compiler, with `-c`, `-D__KERNEL__` and one `.c` input
   under a subtree is a TU: it becomes a database entry (directory = KDIR, the
   arguments as Kbuild wrote them, output = its `-o`).
3. Files the build generates under the subtrees (Kbuild prints `GEN`, `MKREG`,
   `SHIPPED`, `LOGO`, `HOSTCC`, ... lines for them: headers such as
   drivers/gpu/drm/radeon/*_reg_safe.h, generated .c files such as
   drivers/video/logo/logo_*_clut224.c, and the host programs that write them) are
   made by running exactly those printed commands, in make's order, from KDIR.  Object
   post-processing (LD, AR, OBJCOPY, ...) is not run.  --no-generate skips this.
4. A TU is left out of the database, with its reason, in KDIR/kdlint-not-analysable.txt
   when its source is missing after step 3, when make reports a prerequisite it has no
   rule for (`No rule to make target X, needed by Y`), or when a generator in its
   directory failed (the TU is kept then, flagged "may need").

Writes KDIR/compile_commands.json and prints a summary (TUs, duplicates, time).
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

COMPILERS = re.compile(r"^(.*/)?(clang|gcc|cc)(-[0-9.]+)?$")
# `echo '  TAG     target'` as Kbuild's quiet_cmd_* print it.
ECHO = re.compile(r"echo '  ([A-Z0-9][A-Z0-9_.\-]*(?: \[M\])?)\s+([^' ]+)[^']*'")
# Steps that post-process objects: never needed to parse a TU.
OBJECT_TAGS = {"CC", "CC [M]", "AS", "AS [M]", "LD", "LD [M]", "AR", "OBJCOPY", "STUBCPY",
               "OBJTOOL", "MODPOST", "MODINFO", "KSYMS", "SYMTYPES", "CPP", "CHECK", "LDS",
               "RELOCS", "DTC", "DTB", "DTBO", "DTOVL", "SIGN", "STRIP", "BTF", "BTF [M]",
               "ZSTD", "XZKERN", "GZIP", "UPD", "CALL", "LINK", "MKELF"}
OBJECT_SUFFIXES = (".o", ".a", ".ko", ".mod", ".mod.c", ".symtypes", ".dtb", ".dtbo",
                   ".dtb.S", ".dtbo.S", ".lds", ".s", ".i", ".ll", ".order", ".symvers")
# Kbuild's delete-on-interrupt names the real target: `trap 'rm -f <target>; ...`.
TRAP = re.compile(r"trap 'rm -f ([^ ';]+);")
NO_RULE = re.compile(r"No rule to make target '([^']+)', needed by '([^']+)'")


def split_commands(line):
    """Shell words of one line, cut into simple commands."""
    lex = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
    lex.whitespace_split = True
    lex.commenters = ""
    try:
        words = list(lex)
    except ValueError:  # unbalanced quotes: not a command we can use
        return []
    cmds, cur = [], []
    for w in words:
        if w in (";", "&&", "||", "|", "&", "(", ")", "{", "}") or \
                (set(w) <= set(";&|()") and w):
            if cur:
                cmds.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        cmds.append(cur)
    return cmds


def compiler_commands(line):
    """The simple commands of a line that start with a C compiler.  Fast path: cut the
    line at '; ' and split only the pieces that start with a compiler (the -D values
    Kbuild quotes hold no '; '); the whole line is split when that fails."""
    out = []
    for piece in line.split("; "):
        first = piece.strip().split(" ", 1)[0]
        if not COMPILERS.match(first):
            continue
        cmds = split_commands(piece)
        if not cmds:
            return [c for c in split_commands(line) if COMPILERS.match(c[0])]
        out.extend(c for c in cmds if COMPILERS.match(c[0]))
    return out


def under(path, subtrees):
    return any(path == s.rstrip("/") or path.startswith(s) for s in subtrees)


def norm(kdir, p):
    return os.path.relpath(os.path.normpath(os.path.join(kdir, p)), kdir)


def compile_entry(argv, kdir, subtrees):
    """The db entry of a kernel C compile command, or None."""
    if not COMPILERS.match(argv[0]) or "-c" not in argv or "-D__KERNEL__" not in argv:
        return None
    if "-E" in argv or "-S" in argv:
        return None
    out, srcs, i = None, [], 1
    while i < len(argv):
        a = argv[i]
        if a == "-o" and i + 1 < len(argv):
            out = argv[i + 1]
            i += 2
            continue
        if a in ("-include", "-I", "-isystem", "-MF", "-MT", "-MQ", "-x", "-mllvm",
                 "--param", "-Xclang", "-target", "-imacros", "-iquote"):
            i += 2
            continue
        if not a.startswith("-") and a.endswith(".c"):
            srcs.append(a)
        i += 1
    if len(srcs) != 1:
        return None
    src = norm(kdir, srcs[0])
    if not under(src, subtrees):
        return None
    return {"directory": kdir, "file": os.path.join(kdir, src), "arguments": argv,
            "output": out or ""}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kdir")
    ap.add_argument("subtrees", nargs="*", default=["drivers/"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--make-args", default="LLVM=-19")
    ap.add_argument("--no-generate", action="store_true")
    ap.add_argument("--reuse-log", action="store_true",
                    help="parse KDIR/.kdlint-make-n.log again instead of running make -n")
    ap.add_argument("-o", "--output", help="default KDIR/compile_commands.json")
    a = ap.parse_args()
    kdir = os.path.abspath(a.kdir)
    subtrees = [s.rstrip("/") + "/" for s in a.subtrees]
    log = os.path.join(kdir, ".kdlint-make-n.log")
    errlog = os.path.join(kdir, ".kdlint-make-n.err")
    t0 = time.time()

    if not a.reuse_log:
        cmd = ["make", "-C", kdir] + shlex.split(a.make_args) + \
              ["-n", "-k", "-j%d" % a.jobs, "-Oline"] + subtrees
        print("kernel-compdb: " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        with open(log, "w") as out, open(errlog, "w") as err:
            subprocess.run(cmd, stdout=out, stderr=err, check=False)
    t_make = time.time() - t0

    entries, seen, dups = [], set(), 0
    gen = []          # (tag, target, line) to run, in make's order
    for line in open(log, errors="replace"):
        line = line.rstrip("\n")
        if not line or line.startswith(("make", ":")):
            continue
        m = ECHO.search(line)
        tag, target = (m.group(1), norm(kdir, m.group(2))) if m else (None, None)
        t = TRAP.search(line)
        if t:
            target = norm(kdir, t.group(1))
        if tag in ("CC", "CC [M]") or tag is None:
            for argv in compiler_commands(line):
                e = compile_entry(argv, kdir, subtrees)
                if e:
                    if e["file"] in seen:
                        dups += 1
                    else:
                        seen.add(e["file"])
                        entries.append(e)
            continue
        if target and under(target, subtrees) and tag not in OBJECT_TAGS and \
                not target.endswith(OBJECT_SUFFIXES):
            gen.append((tag, target, line))
        elif tag and tag.startswith("HOST") and target and under(target, subtrees):
            gen.append((tag, target, line))  # generator programs and their objects

    # Prerequisites make has no rule for: the TUs that need them cannot be parsed.
    missing = {}
    for line in open(errlog, errors="replace"):
        m = NO_RULE.search(line)
        if m:
            missing.setdefault(norm(kdir, m.group(2)), []).append(m.group(1))

    # Generated files under the subtrees, by the commands make printed.
    failed_gen = []
    t1 = time.time()
    if not a.no_generate:
        done = set()
        for tag, target, line in gen:
            if target in done:
                continue
            done.add(target)
            p = subprocess.run(["sh", "-c", line], cwd=kdir, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, errors="replace")
            if p.returncode != 0 or (not tag.startswith("HOST") and
                                     not os.path.exists(os.path.join(kdir, target))):
                failed_gen.append((tag, target, p.stderr.strip().splitlines()[-1:]))
    t_gen = time.time() - t1

    failed_dirs = {}
    for tag, target, why in failed_gen:
        failed_dirs.setdefault(os.path.dirname(target), []).append(target)
    kept, left_out, flagged = [], [], []
    for e in entries:
        rel = os.path.relpath(e["file"], kdir)
        obj = norm(kdir, e["output"]) if e["output"] else ""
        if not os.path.exists(e["file"]):
            left_out.append((rel, "source not generated (its generator failed or has no rule)"))
        elif obj in missing:
            left_out.append((rel, "needs %s, which make has no rule for" %
                             ", ".join(sorted(set(missing[obj])))))
        else:
            kept.append(e)
            if os.path.dirname(rel) in failed_dirs:
                flagged.append((rel, "may need %s (generator failed)" %
                                ", ".join(failed_dirs[os.path.dirname(rel)])))
    out = a.output or os.path.join(kdir, "compile_commands.json")
    with open(out, "w") as f:
        json.dump(kept, f, indent=1)
    notes = os.path.join(kdir, "kdlint-not-analysable.txt")
    with open(notes, "w") as f:
        f.write("# TUs under %s left out of %s, and why\n" % (" ".join(subtrees), out))
        for rel, why in left_out:
            f.write("%s\tnot analysable: %s\n" % (rel, why))
        for rel, why in flagged:
            f.write("%s\tkept, %s\n" % (rel, why))
        for tag, target, why in failed_gen:
            f.write("# generator failed: %s %s: %s\n" % (tag, target, " ".join(why)))
    print("kernel-compdb: %s: %d C TUs under %s in %s (%d more compiled twice, %d left out, "
          "%d flagged); %d generated files made, %d failed; make -n %.0f s, generation "
          "%.0f s; reasons in %s" %
          (os.path.basename(kdir), len(kept), " ".join(subtrees), out, dups, len(left_out),
           len(flagged), len({t for _, t, _ in gen}) - len(failed_gen), len(failed_gen),
           t_make, t_gen, notes), file=sys.stderr)


if __name__ == "__main__":
    main()
