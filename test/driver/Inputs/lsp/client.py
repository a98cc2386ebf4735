"""A small LSP client for lsp.test: starts `kdlint --lsp`, runs one scenario,
and prints what the server answered, one normalized line per item.

    client.py KDLINT FLAGS-FILE WORKDIR SCENARIO

FLAGS-FILE is kbuild-<ver>.flags (first line the kernel tree, then Kbuild's
checker flags): WORKDIR gets a compile_commands.json for nic.c from them."""
import json, os, shutil, subprocess, sys, time

kdlint, flags_file, work, scenario = sys.argv[1:5]
kdlint = os.path.abspath(kdlint)
here = os.path.dirname(os.path.abspath(__file__))
lines = [l.rstrip("\n") for l in open(flags_file) if l.strip()]
kdir, flags = lines[0], lines[1:]
os.makedirs(work, exist_ok=True)
src = os.path.join(work, "nic.c")
shutil.copy(os.path.join(here, "..", "sarif", "nic.c"), src)
with open(os.path.join(work, "compile_commands.json"), "w") as f:
    json.dump([{"directory": kdir, "file": src,
                "arguments": ["clang"] + flags + ["-c", "-o", "/dev/null", src]}], f)
uri = "file://" + src
text = open(src).read()

if scenario == "db-only":  # just WORKDIR/nic.c and its compile_commands.json
    sys.exit(0)
proc = subprocess.Popen([kdlint, "--lsp", "--compile-commands-dir=" + work],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
buf = b""


def send_raw(data):
    proc.stdin.write(data)
    proc.stdin.flush()


def send(msg):
    body = json.dumps(msg).encode()
    send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)


def read(timeout=60):
    """The next message from the server, or None at EOF."""
    global buf
    deadline = time.time() + timeout
    while True:
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            n = int(buf[:end].split(b":")[1])
            if len(buf) >= end + 4 + n:
                msg = json.loads(buf[end + 4:end + 4 + n])
                buf = buf[end + 4 + n:]
                return msg
        if time.time() > deadline:
            print("TIMEOUT")
            sys.exit(1)
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            return None
        buf += chunk


def until(pred):
    while True:
        m = read()
        if m is None:
            print("EOF")
            sys.exit(1)
        show(m)
        if pred(m):
            return m


def show(m):
    if "id" in m and "method" not in m:
        if "error" in m:
            print("response %s error %d: %s" % (m["id"], m["error"]["code"], m["error"]["message"]))
        elif isinstance(m["result"], list):
            for a in m["result"]:
                for u, edits in a["edit"]["changes"].items():
                    for e in edits:
                        r = e["range"]
                        print("response %s action %s [%s] %s %d:%d-%d:%d -> %s" % (
                            m["id"], a["kind"], a["diagnostics"][0]["code"], os.path.basename(u),
                            r["start"]["line"], r["start"]["character"], r["end"]["line"],
                            r["end"]["character"], e["newText"]))
            if not m["result"]:
                print("response %s no actions" % m["id"])
        elif m["result"] is None:
            print("response %s null" % m["id"])
        else:
            caps = m["result"].get("capabilities", {})
            print("response %s capabilities sync=%s save=%s codeAction=%s server=%s" % (
                m["id"], caps.get("textDocumentSync", {}).get("change"),
                "save" in caps.get("textDocumentSync", {}), "codeActionProvider" in caps,
                m["result"].get("serverInfo", {}).get("name")))
    elif m.get("method") == "textDocument/publishDiagnostics":
        p = m["params"]
        print("diagnostics %s version=%s count=%d" % (os.path.basename(p["uri"]), p.get("version"),
                                                     len(p["diagnostics"])))
        for d in p["diagnostics"]:
            r = d["range"]
            print("  %d:%d-%d:%d severity=%d %s %s: %s" % (
                r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"],
                d["severity"], d.get("source"), d.get("code", "-"), d["message"]))
            if "codeDescription" in d:
                print("    href %s" % d["codeDescription"]["href"].rsplit("/docs/", 1)[-1])
            for ri in d.get("relatedInformation", []):
                print("    related %s:%d: %s" % (os.path.basename(ri["location"]["uri"]),
                                                ri["location"]["range"]["start"]["line"], ri["message"]))
    elif m.get("method") == "window/showMessage":
        print("showMessage type=%d %s" % (m["params"]["type"], m["params"]["message"]))
    else:
        print("other %s" % json.dumps(m)[:200])


def is_diag(m, version=None):
    return m.get("method") == "textDocument/publishDiagnostics" and (
        version is None or m["params"].get("version") == version)


def is_resp(m, i):
    return m.get("id") == i and "method" not in m


if scenario == "session":
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": "file://" + work, "capabilities": {}}})
    until(lambda m: is_resp(m, 1))
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": text}}})
    until(lambda m: is_diag(m, 1))
    # The quick fix for the vfree() of kmalloc memory (line 26, 0-based 25).
    send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
          "params": {"textDocument": {"uri": uri},
                     "range": {"start": {"line": 25, "character": 0}, "end": {"line": 25, "character": 0}},
                     "context": {"diagnostics": []}}})
    until(lambda m: is_resp(m, 2))
    # An unsaved edit: the sleep under the lock is gone from the buffer only.
    edited = text.replace("\tmsleep(10);\n", "\tudelay(10);\n")
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": 2},
                     "contentChanges": [{"text": edited}]}})
    until(lambda m: is_diag(m, 2))
    # Malformed input and unknown methods get errors; the server goes on.
    send_raw(b"Content-Length: 9\r\n\r\n{not json")
    until(lambda m: m.get("id", 0) is None)
    send({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
          "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    until(lambda m: is_resp(m, 3))
    send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/codeAction", "params": {}})
    until(lambda m: is_resp(m, 4))
    send_raw(b"Content-Length: nine\r\n\r\n")
    until(lambda m: m.get("id", 0) is None)
    # A buffer that does not parse: the reason is shown, the error is a diagnostic.
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": 3},
                     "contentChanges": [{"text": text.replace("return 0;", "return 0")}]}})
    until(lambda m: is_diag(m, 3))
    # Saved with the original text again: the three findings are back.
    send({"jsonrpc": "2.0", "method": "textDocument/didSave",
          "params": {"textDocument": {"uri": uri}, "text": text}})
    until(lambda m: is_diag(m))
    send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    until(lambda m: is_diag(m))
    send({"jsonrpc": "2.0", "id": 5, "method": "shutdown"})
    until(lambda m: is_resp(m, 5))
    send({"jsonrpc": "2.0", "method": "exit"})
    print("exit code %d" % proc.wait(timeout=30))
elif scenario == "not-initialized":
    send({"jsonrpc": "2.0", "id": 1, "method": "shutdown"})
    until(lambda m: is_resp(m, 1))
    proc.stdin.close()
    print("exit code %d" % proc.wait(timeout=30))
elif scenario == "no-database":
    # A file with no compile_commands.json above it: told once, no diagnostics.
    import tempfile
    lonely = os.path.join(tempfile.mkdtemp(prefix="kdlint-lsp-"), "x.c")
    os.makedirs(os.path.dirname(lonely), exist_ok=True)
    open(lonely, "w").write("int x;\n")
    proc.kill()
    proc.wait()
    proc = subprocess.Popen([kdlint, "--lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd="/")
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    until(lambda m: is_resp(m, 1))
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": "file://" + lonely, "languageId": "c", "version": 1,
                                      "text": "int x;\n"}}})
    until(lambda m: is_diag(m))
    shutil.rmtree(os.path.dirname(lonely))
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    until(lambda m: is_resp(m, 2))
    send({"jsonrpc": "2.0", "method": "exit"})
    print("exit code %d" % proc.wait(timeout=30))
