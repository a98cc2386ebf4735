#!/usr/bin/env python3
"""LSP latency: time from textDocument/didSave to publishDiagnostics for re-saved
driver files, against `clang-19 -fsyntax-only` on the same compile command (medians
of --runs each, same run).

    bench/lsp-latency.py [--kdlint build/kdlint] [--tree /var/cache/kdlint/linux-6.12]
                         [--runs 5] [FILE...]   (paths relative to the tree)
"""
import argparse, json, os, shlex, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap.add_argument("--kdlint", default=os.path.join(here, "build", "kdlint"))
ap.add_argument("--tree", default="/var/cache/kdlint/linux-6.12")
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("files", nargs="*", default=[
    "drivers/net/ethernet/intel/e1000/e1000_main.c",
    "drivers/tty/serial/8250/8250_port.c",
    "drivers/net/ethernet/realtek/r8169_main.c",
    "drivers/net/ethernet/intel/igb/igb_main.c",
    "drivers/char/hw_random/core.c"])
a = ap.parse_args()
db = {os.path.normpath(os.path.join(e["directory"], e["file"])): e
      for e in json.load(open(os.path.join(a.tree, "compile_commands.json")))}

proc = subprocess.Popen([a.kdlint, "--lsp", "--compile-commands-dir=" + a.tree],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
buf = b""


def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def read():
    global buf
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            n = int(buf[:end].split(b":")[1])
            if len(buf) >= end + 4 + n:
                m = json.loads(buf[end + 4:end + 4 + n])
                buf = buf[end + 4 + n:]
                return m
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            sys.exit("kdlint --lsp exited")
        buf += chunk


def wait_diags(uri):
    while True:
        m = read()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return len(m["params"]["diagnostics"])


def syntax_only(e):
    args = shlex.split(e["command"]) if "command" in e else list(e["arguments"])
    f = e["file"]
    flags = [x for x in args[1:] if x not in ("-c", f)]
    if "-o" in flags:
        i = flags.index("-o")
        del flags[i:i + 2]
    flags = [x for x in flags if not x.startswith(("-Wp,-M", "-Werror"))]
    t = time.perf_counter()
    subprocess.run(["clang-19", "-fsyntax-only", "-w", "-Wno-error"] + flags + [f],
                   cwd=e["directory"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
read()
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
print("%-48s %9s %9s %7s %6s" % ("file (linux tree: %s)" % os.path.basename(a.tree),
                                 "lsp s", "clang s", "ratio", "diags"))
lsp_all, clang_all = [], []
for rel in a.files:
    path = os.path.normpath(os.path.join(a.tree, rel))
    if path not in db:
        print("%-48s not in the compile db" % rel)
        continue
    uri = "file://" + path
    text = open(path, errors="surrogateescape").read()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": text}}})
    n = wait_diags(uri)  # the first analysis (loads the compile db once)
    lsp, clang = [], []
    for _ in range(a.runs):
        t = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didSave",
              "params": {"textDocument": {"uri": uri}}})
        wait_diags(uri)
        lsp.append(time.perf_counter() - t)
        clang.append(syntax_only(db[path]))
    send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    wait_diags(uri)
    l, c = statistics.median(lsp), statistics.median(clang)
    lsp_all.append(l)
    clang_all.append(c)
    print("%-48s %9.3f %9.3f %6.2fx %6d" % (rel, l, c, l / c, n))
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
read()
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait()
if lsp_all:
    print("total: re-save to diagnostics %.3f s, clang-19 -fsyntax-only %.3f s: %.2fx" %
          (sum(lsp_all), sum(clang_all), sum(lsp_all) / sum(clang_all)))
