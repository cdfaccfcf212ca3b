# Latency of `circuit lsp` on examples/bert.circuit: a full re-analysis (didChange to
# publishDiagnostics, debounce 0) and a hover afterwards, medians of 10.
# Usage: python3 bench/lsp_latency.py [release|debug]   (after swift build [-c release])
import json, subprocess, time, sys
import os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
config = sys.argv[1] if len(sys.argv) > 1 else "release"
p = subprocess.Popen([root + "/.build/" + config + "/circuit", "lsp", "--debounce", "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root)
def send(m):
    b = json.dumps(m).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def recv():
    h = b""
    while not h.endswith(b"\r\n\r\n"): h += p.stdout.read(1)
    return json.loads(p.stdout.read(int(h.split(b":")[1].split(b"\r\n")[0])))
uri = "file://" + root + "/examples/bert.circuit"; text = open(root + "/examples/bert.circuit").read()
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}); recv()
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"version":1,"text":text}}}); recv()
ch, hv = [], []
for v in range(2, 12):
    t = time.time()
    send({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":uri,"version":v},"contentChanges":[{"text":text + "#%d\n" % v}]}}); recv(); ch.append(time.time()-t)
    t = time.time()
    send({"jsonrpc":"2.0","id":v,"method":"textDocument/hover","params":{"textDocument":{"uri":uri},"position":{"line":53,"character":4}}}); recv(); hv.append(time.time()-t)
ch.sort(); hv.sort()
print("change->diagnostics median %.1f ms, hover after analysis median %.1f ms" % (ch[5]*1000, hv[5]*1000))
send({"jsonrpc":"2.0","id":99,"method":"shutdown"}); recv(); send({"jsonrpc":"2.0","method":"exit"}); p.wait()
