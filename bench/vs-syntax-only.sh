#!/usr/bin/env bash
# kdlint (all checks) vs `clang-19 -fsyntax-only` over the same TUs, same run:
# both run once per TU with the same sanitized compile command; prints wall time,
# CPU time (user + system: steadier than wall on a loaded machine) and peak RSS
# of each and their ratios. Also times `clang-19 -E` (the
# preprocessor alone), the floor for any tool that reads every TU's headers
# itself. kdlint runs three times: once per TU (each file alone, as in an
# editor or `make C=1`), once per TU again with --server (each call handed to
# warm workers, as `make C=1 CHECK="kdlint --server"` runs it; the server's CPU
# counted), and once over all the TUs (a driver tree; files of a directory
# that start with the same includes share them precompiled). kdlint runs with
# glibc's heap on transparent huge pages (it restarts itself so); clang is also
# timed so, for the ratio against the same allocator setting.
#   [KDLINT=path] bench/vs-syntax-only.sh [kernel-version] [driver dirs...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ver=${1:-6.12}; shift || true
dirs=("$@"); [ ${#dirs[@]} -gt 0 ] || dirs=(drivers/net/ethernet/intel/ drivers/tty/serial/)
kdir=${KDLINT_CACHE:-/var/cache/kdlint}/linux-$ver
exec python3 - "${KDLINT:-$here/build/kdlint}" "$kdir" "${dirs[@]}" <<'PY'
import glob, json, os, resource, shlex, shutil, subprocess, sys, tempfile, time
kdlint, kdir, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
db = json.load(open(os.path.join(kdir, "compile_commands.json")))
tus = [e for e in db if e["file"].endswith(".c") and
       any(os.path.relpath(e["file"], kdir).startswith(d) for d in dirs)]
def run(cmd, cwd, env=None):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=env)
    _, status, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t, ru.ru_maxrss, ru.ru_utime + ru.ru_stime,
            os.waitstatus_to_exitcode(status))
tot = {"kdlint": [0.0, 0, 0.0], "clang": [0.0, 0, 0.0], "cpp": [0.0, 0, 0.0],
       "run": [0.0, 0, 0.0], "thp": [0.0, 0, 0.0], "server": [0.0, 0, 0.0]}
# `kdlint --server` per TU: the server runs in the foreground as this
# script's child, so its CPU (and its workers') is counted when it exits.
sdir = tempfile.mkdtemp(prefix="kdlint-bench-server-")
senv = dict(os.environ, KDLINT_SERVER_DIR=sdir)
server = subprocess.Popen([kdlint, "--server-foreground", "--server-idle=3600"], env=senv,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while not glob.glob(os.path.join(sdir, "*.sock")):
    time.sleep(0.01)
for e in tus:
    args = shlex.split(e["command"]) if "command" in e else e["arguments"]
    f = e["file"]
    # The flags kdlint hands clang, minus what only the object build needs.
    flags = [a for a in args[1:] if a not in ("-c", f, os.path.relpath(f, e["directory"]))]
    if "-o" in flags:
        i = flags.index("-o"); del flags[i:i + 2]
    clean = [a for a in flags if not a.startswith(("-Wp,-M", "-Werror"))]
    c = run(["clang-19", "-fsyntax-only", "-w", "-Wno-error"] + clean + [f], e["directory"])
    k = run([kdlint, "--quiet", "--no-cache", "-p", kdir, f], e["directory"])
    p = run(["clang-19", "-E", "-o", "/dev/null", "-w"] + clean + [f], e["directory"])
    # clang as kdlint runs itself: glibc's heap on transparent huge pages.
    h = run(["clang-19", "-fsyntax-only", "-w", "-Wno-error"] + clean + [f], e["directory"],
            dict(os.environ, GLIBC_TUNABLES="glibc.malloc.hugetlb=1"))
    v = run([kdlint, "--server", "--quiet", "--no-cache", "-p", kdir, f], e["directory"], senv)
    for name, (w, rss, cpu, rc) in (("clang", c), ("kdlint", k), ("cpp", p), ("thp", h),
                                    ("server", v)):
        tot[name][0] += w
        tot[name][1] = max(tot[name][1], rss)
        tot[name][2] += cpu
run([kdlint, "--stop-server"], kdir, senv)
_, _, ru = os.wait4(server.pid, 0)
tot["server"][1] = max(tot["server"][1], ru.ru_maxrss)
tot["server"][2] += ru.ru_utime + ru.ru_stime
shutil.rmtree(sdir, ignore_errors=True)
w, rss, cpu, rc = run([kdlint, "--quiet", "--no-cache", "--cross-tu=false", "-p", kdir] +
                      [e["file"] for e in tus], kdir)
tot["run"] = [w, rss, cpu]
print("TUs: %d (linux-%s: %s)" % (len(tus), os.path.basename(kdir).split("-", 1)[1], " ".join(dirs)))
for n, label in (("clang", "clang"), ("thp", "clang, THP"), ("cpp", "clang -E"),
                 ("kdlint", "kdlint per TU"), ("server", "  with --server"),
                 ("run", "kdlint one run")):
    print("%-14s wall %7.2fs  cpu %7.2fs  peak RSS %6.1f MiB" %
          (label, tot[n][0], tot[n][2], tot[n][1] / 1024))
print("ratio   wall %.2fx  cpu %.2fx  peak RSS %.2fx  (kdlint per TU / clang-19 -fsyntax-only)" %
      (tot["kdlint"][0] / tot["clang"][0], tot["kdlint"][2] / tot["clang"][2],
       tot["kdlint"][1] / tot["clang"][1]))
print("ratio   wall %.2fx  cpu %.2fx  peak RSS %.2fx  (kdlint --server per TU, the server's "
      "CPU included / clang-19 -fsyntax-only)" %
      (tot["server"][0] / tot["clang"][0], tot["server"][2] / tot["clang"][2],
       tot["server"][1] / tot["clang"][1]))
print("ratio   wall %.2fx  cpu %.2fx  (kdlint one run over all the TUs, -j1 / clang-19 -fsyntax-only)" %
      (tot["run"][0] / tot["clang"][0], tot["run"][2] / tot["clang"][2]))
print("ratio   cpu %.2fx per TU, %.2fx with --server, %.2fx one run  (kdlint / clang-19 "
      "-fsyntax-only with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, as kdlint runs itself)" %
      (tot["kdlint"][2] / tot["thp"][2], tot["server"][2] / tot["thp"][2],
       tot["run"][2] / tot["thp"][2]))
print("floor   wall %.2fx  cpu %.2fx  (clang-19 -E / clang-19 -fsyntax-only: the preprocessor alone)" %
      (tot["cpp"][0] / tot["clang"][0], tot["cpp"][2] / tot["clang"][2]))
PY
