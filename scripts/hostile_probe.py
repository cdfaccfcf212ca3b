#!/usr/bin/env python3
"""The hostile-input probe of issue 10, rerunnable: sends hand-made inputs at the `circuit`
executable as separate processes and counts, per category, how many were handled (a correct
result, or a clear error with exit code 1, 64 or 74) and how many were mishandled (a signal,
an internal error, a time-out, a failure without a message, a wrong result or a lost file).

    swift build -c release
    python3 scripts/hostile_probe.py [--circuit .build/release/circuit] [--timeout 120] [--only deep]

Prints one line per mishandled input and a table; exits 1 when anything was mishandled.
The random source mutants are the fuzzers' job (`CIRCUIT_FUZZ_SCALE=20 swift test --filter
'RobustnessTests|DataFuzzTests'`); this script holds the targeted reproducers.
"""

import argparse
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Probe:
    def __init__(self, exe, timeout, work):
        self.exe = exe
        self.timeout = timeout
        self.work = work
        self.results = {}  # category -> [handled, mishandled]
        self.failures = []

    def path(self, name, text=None, data=None):
        p = os.path.join(self.work, name)
        if text is not None:
            with open(p, "w") as f:
                f.write(text)
        if data is not None:
            with open(p, "wb") as f:
                f.write(data)
        return p

    def run(self, category, name, args, expect="error", check=None, env=None, stdin=None):
        """Runs `circuit args`; `expect` is 'ok', 'error' or 'either'; `check(proc)` returns a
        problem string or None for extra conditions (files intact, values right)."""
        start = time.time()
        try:
            proc = subprocess.run(
                [self.exe] + args, capture_output=True, timeout=self.timeout, cwd=self.work,
                env=dict(os.environ, **(env or {})), stdin=stdin or subprocess.DEVNULL)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            proc, code = None, None
        elapsed = time.time() - start
        problem = None
        if code is None:
            problem = f"timed out after {self.timeout} s"
        elif code < 0:
            problem = f"killed by signal {-code}"
        elif code == 70:
            problem = "internal error (exit 70): " + proc.stderr.decode(errors="replace")[-300:]
        elif code not in (0, 1, 64, 74):
            problem = f"exit code {code}"
        elif code != 0 and not proc.stderr.strip():
            problem = f"exit {code} without a message"
        elif expect == "ok" and code != 0:
            problem = f"expected success, got exit {code}: " + proc.stderr.decode(errors="replace")[-300:]
        elif expect == "error" and code == 0:
            problem = "expected an error, got exit 0"
        if problem is None and check is not None:
            problem = check(proc)
        tally = self.results.setdefault(category, [0, 0, 0.0])
        tally[2] = max(tally[2], elapsed)
        if problem is None:
            tally[0] += 1
        else:
            tally[1] += 1
            self.failures.append(f"[{category}] {name}: {problem}")
            print(f"MISHANDLED [{category}] {name}: {problem}", flush=True)

    def report(self):
        print(f"\n{'category':<14} {'tried':>6} {'handled':>8} {'mishandled':>11} {'slowest':>9}")
        total = [0, 0]
        for cat, (ok, bad, slowest) in self.results.items():
            print(f"{cat:<14} {ok + bad:>6} {ok:>8} {bad:>11} {slowest:>8.1f}s")
            total[0] += ok
            total[1] += bad
        print(f"{'all':<14} {sum(total):>6} {total[0]:>8} {total[1]:>11}")
        return total[1] == 0


def stderr_has(*needles):
    def check(proc):
        err = proc.stderr.decode(errors="replace")
        for n in needles:
            if n not in err:
                return f"stderr lacks {n!r}: {err[-300:]}"
        return None
    return check


def deep(p):
    cat = "deep"
    for n in (10_500, 50_000):
        f = p.path(f"sum{n}.circuit", "circuit main(X: [a]) -> [a] {\n    return " + " + ".join(["X"] * n) + "\n}\n")
        for cmd in ("check", "dump-ir", "run", "render"):
            p.run(cat, f"{cmd} {n}-term sum", [cmd, f, "--size", "a=3"], expect="either")
    f = p.path("prod.circuit", "circuit main(X: [a]) -> [a] {\n    return " + " * ".join(["X"] * 11_000) + "\n}\n")
    for cmd in ("check", "run"):
        p.run(cat, f"{cmd} 11000-factor product", [cmd, f, "--size", "a=3"], expect="either")
    f = p.path("pipe.circuit", "circuit main(X: [a]) -> [a] {\n    return X" + " |> relu" * 3_500 + "\n}\n")
    for cmd in ("check", "run", "render"):
        p.run(cat, f"{cmd} 3500-stage pipeline", [cmd, f, "--size", "a=3"], expect="either")
    f = p.path("sizeexpr.circuit", "sizes { a = " + " + ".join(["1"] * 35_000) + " }\ncircuit main(X: [a]) -> [a] { return X }\n")
    for cmd in ("check", "run"):
        p.run(cat, f"{cmd} 35000-term size", [cmd, f], expect="either")
    f = p.path("parens.circuit", "circuit main(X: [a]) -> [a] {\n    return " + "(" * 20_000 + "X" + ")" * 20_000 + "\n}\n")
    p.run(cat, "check 20000 parentheses", ["check", f, "--size", "a=3"], expect="either")


def sizes(p):
    cat = "sizes"
    for big in ("2147483648", "4611686018427387904", "9223372036854775807"):
        f = p.path(f"big{big}.circuit", f"sizes {{ a = {big}, b = {big} }}\ncircuit main(X: [c]) -> [c] {{\n    param W: [a b]\n    return X\n}}\n")
        for cmd in ("check", "params", "run", "emit-c"):
            p.run(cat, f"{cmd} unused [a b] parameter, a = b = {big}", [cmd, f, "--size", "c=3"])
        p.run(cat, f"run --backend c, a = b = {big}", ["run", f, "--size", "c=3", "--backend", "c"])
        p.run(cat, f"build, a = b = {big}", ["build", f, "--size", "c=3", "-o", p.path("big.exe")])
    f = p.path("split0.circuit", "sizes { a = 6 }\ncircuit main(X: [a]) -> [k h] {\n    return split[a -> k h=0](X)\n}\n")
    for cmd in ("check", "run", "dump-ir"):
        p.run(cat, f"{cmd} split[a -> k h=0]", [cmd, f])
    f = p.path("neg.circuit", "sizes { a = 6 }\ncircuit main(X: [a]) -> [k h] {\n    return split[a -> k h=-2](X)\n}\n")
    p.run(cat, "check split[a -> k h=-2]", ["check", f])
    f = p.path("zero.circuit", "sizes { a = 0 }\ncircuit main(X: [a]) -> [a] { return X }\n")
    p.run(cat, "run sizes { a = 0 }", ["run", f])


def memory(p):
    cat = "memory"
    f = p.path("ident.circuit", "circuit main(X: [a]) -> [a] { return X * 2 }\n")
    p.run(cat, "run a = 2^31 input within 4 GB", ["run", f, "--size", "a=2147483648", "--memory-limit", "4G"])
    p.run(cat, "run a = 2^31 input within 4 GB (C)", ["run", f, "--size", "a=2147483648", "--backend", "c", "--memory-limit", "4G"])
    p.run(cat, "run a = 2^32 input", ["run", f, "--size", "a=4294967296"])
    p.run(cat, "run a = 2^40 input (C)", ["run", f, "--size", "a=1099511627776", "--backend", "c"])
    p.run(cat, "--input X=/dev/zero", ["run", f, "--input", "X=/dev/zero"])
    g = p.path("param.circuit", "sizes { a = 4 }\ncircuit main(X: [a]) -> [a] {\n    param W: [a]\n    return X * W\n}\n")
    p.run(cat, "--params /dev/zero", ["run", g, "--params", "/dev/zero"])
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }"
    hdr += " " * (118 - len(hdr)) + "\n"
    p.path("huge.npy", data=b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + b"\0" * 64)
    p.run(cat, "npy declaring 2^62 elements", ["run", f, "--input", "X=huge.npy"])
    hdr2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"
    hdr2 += " " * (118 - len(hdr2)) + "\n"
    p.path("long.npy", data=b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr2)) + hdr2.encode() + b"\0" * 4096)
    p.run(cat, "npy with 4 KB of trailing bytes", ["run", f, "--input", "X=long.npy"], expect="either")
    p.path("short.npy", data=b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr2)) + hdr2.encode() + b"\0" * 5)
    p.run(cat, "truncated npy", ["run", f, "--input", "X=short.npy"])


def cache(p):
    cat = "cache"
    cache_dir = os.path.join(p.work, "cache")
    env = {"CIRCUIT_CACHE": cache_dir, "XDG_CACHE_HOME": cache_dir}
    f = p.path("cached.circuit", "sizes { a = 5 }\ncircuit main(X: [a]) -> [a] { return relu(X) * 3 }\n")
    g = p.path("other.circuit", "sizes { a = 7 }\ncircuit main(X: [a], Y: [a]) -> [a] { return X * Y + X }\n")
    p.run(cat, "first compile", ["run", f, "--backend", "c"], expect="ok", env=env)
    p.run(cat, "second model", ["run", g, "--backend", "c"], expect="ok", env=env)
    libs = sorted((os.path.join(d, n) for d, _, ns in os.walk(cache_dir) for n in ns if n.endswith(".so")), key=os.path.getmtime)
    if len(libs) < 2:
        p.run(cat, "cache holds two libraries", ["--version"], check=lambda _: f"found {libs} under {cache_dir}")
        return
    first, second = libs[0], libs[1]
    size = os.path.getsize(first)
    with open(first, "r+b") as h:
        h.truncate(size // 3)
    p.run(cat, "truncated .so", ["run", f, "--backend", "c"], expect="ok", env=env)
    shutil.copy(second, first)
    p.run(cat, "another model's .so", ["run", f, "--backend", "c"], expect="ok", env=env)
    p.run(cat, "after repair", ["run", f, "--backend", "c", "--check"], expect="ok", env=env)
    for d, _, ns in os.walk(cache_dir):
        os.chmod(d, 0o555)
    p.run(cat, "read-only cache with a valid library", ["run", f, "--backend", "c"], expect="ok", env=env)
    for d, _, ns in os.walk(cache_dir):
        os.chmod(d, 0o755)


C_NAMES = ["NULL", "_Bool", "asm", "typeof", "linux", "unix", "RAND_MAX", "M_E", "SIZE_MAX", "EOF",
           "errno", "stdin", "stdout", "FLT_MAX", "INT_MAX", "__func__", "_Alignas", "_Atomic",
           "_Complex", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local", "alignas",
           "alignof", "i386", "x86_64", "__x", "_X", "CHAR_BIT", "BUFSIZ", "FILE", "assert",
           "offsetof", "va_list", "main", "exit", "malloc", "free", "memcpy", "sqrtf", "expf"]


def c_names(p):
    cat = "c-names"
    for name in C_NAMES:
        f = p.path(f"name_{name}.circuit", f"sizes {{ {name} = 3, b = 2 }}\ncircuit main(X: [b {name}]) -> [b] {{\n    return sum[{name}](X * X)\n}}\n")
        p.run(cat, f"axis '{name}' on C", ["run", f, "--backend", "c", "--check"], expect="ok")


def scaling(p):
    cat = "scaling"
    for n in (2_000, 5_000):
        text = "circuit C0(X: [a]) -> [a] { return X * 2 }\n"
        text += "".join(f"circuit C{i}(X: [a]) -> [a] {{ return C{i - 1}(X) + X }}\n" for i in range(1, n))
        text += f"sizes {{ a = 3 }}\ncircuit main(X: [a]) -> [a] {{ return C{n - 1}(X) }}\n"
        f = p.path(f"chain{n}.circuit", text)
        for cmd in ("check", "run"):
            p.run(cat, f"{cmd} chain of {n} circuits", [cmd, f], expect="ok")
    f = p.path("cycle.circuit", "circuit A(X: [a]) -> [a] { return B(X) }\ncircuit B(X: [a]) -> [a] { return C(X) }\ncircuit C(X: [a]) -> [a] { return A(X) }\nsizes { a = 2 }\ncircuit main(X: [a]) -> [a] { return A(X) }\n")
    p.run(cat, "check a 3-circuit cycle", ["check", f], check=stderr_has("recursive"))
    stars = ".".join(["*"] * 14)
    m = p.path("stars.map", f"{stars}a <- {stars}\n" * 3)
    g = p.path("pmap.circuit", "sizes { a = 4 }\ncircuit main(X: [a]) -> [a] {\n    param W: [a]\n    return X * W\n}\n")
    pw = p.path("pm.safetensors", data=safetensors({"W": np.ones(4, np.float32)}))
    p.run(cat, "14-star param map", ["run", g, "--params", pw, "--param-map", m], expect="either")
    m2 = p.path("stars2.map", ("*a" * 14) + "X <- t" + ("*a" * 14) + "\n")
    p.run(cat, "14 stars in one segment", ["run", g, "--params", pw, "--param-map", m2], expect="either")
    errors = "circuit main(X: [a]) -> [a] {\n" + "".join(f"    Y{i} = X + Q\n" for i in range(30_000)) + "    return X\n}\n"
    p.run(cat, "30,000 errors", ["check", p.path("errors.circuit", errors)])
    warns = "sizes { a = 2 }\ncircuit main(X: [a]) -> [a] {\n" + "".join(f"    Y{i} = X\n" for i in range(50_000)) + "    return X\n}\n"
    p.run(cat, "50,000 warnings", ["check", p.path("warns.circuit", warns)], expect="ok")
    big = "sizes { a = 2 }\ncircuit main(X: [a]) -> [a] {\n    Y0 = X\n" + "".join(f"    Y{i} = Y{i - 1} + X\n" for i in range(1, 800_000)) + "    return Y799999\n}\n"
    p.run(cat, "20 MB of statements", ["check", p.path("big.circuit", big)], expect="either")


def safetensors(tensors, header_extra=None, trailing=b""):
    header, data = {}, b""
    for name, a in tensors.items():
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    if header_extra:
        header.update(header_extra)
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data + trailing


def readers(p):
    cat = "readers"
    f = p.path("lin.circuit", "sizes { a = 4 }\ncircuit main(X: [a]) -> [a] {\n    param W: [a]\n    param V: [a]\n    return X * W + V\n}\n")
    exe = p.path("lin.exe")
    p.run(cat, "build", ["build", f, "-o", exe], expect="ok")
    w = np.arange(4, dtype=np.float32)
    np.save(os.path.join(p.work, "X.npy"), np.ones(4, np.float32))
    good = safetensors({"W": w, "V": w})
    h = json.loads(good[8:8 + struct.unpack("<Q", good[:8])[0]])
    cases = {
        "overlapping offsets": safetensors({"W": w}, {"V": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}),
        "trailing bytes": good + b"\0" * 8,
        "bad UTF-8 name": good.replace(b'"V"', b'"\xff"'),
        "NUL in dtype": good.replace(b'"F32"', b'"F32\\u0000"', 1),
        "gap between tensors": safetensors({"W": w}, {"V": {"dtype": "F32", "shape": [4], "data_offsets": [20, 36]}}, trailing=b"\0" * 20),
        "offsets past the end": safetensors({"W": w}, {"V": {"dtype": "F32", "shape": [4], "data_offsets": [16, 1 << 40]}}),
        "huge shape": safetensors({"W": w}, {"V": {"dtype": "F32", "shape": [1 << 62, 4], "data_offsets": [16, 32]}}),
        "header length 2^63": struct.pack("<Q", 1 << 63) + good[8:],
    }
    del h
    for name, data in cases.items():
        path = p.path("bad.safetensors", data=data)
        p.run(cat, f"run: {name}", ["run", f, "--params", path])
        out = os.path.join(p.work, "exe_out")
        p.run(cat, f"executable: {name}", [], check=None) if False else None
        start = time.time()
        try:
            proc = subprocess.run([exe, "--params", path, "--input", "X=X.npy", "--out", out], capture_output=True, timeout=p.timeout, cwd=p.work)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code, proc = None, None
        tally = p.results.setdefault(cat, [0, 0, 0.0])
        if code == 1 and proc.stderr.strip():
            tally[0] += 1
        else:
            tally[1] += 1
            msg = f"[{cat}] executable: {name}: exit {code}"
            p.failures.append(msg)
            print("MISHANDLED " + msg, flush=True)


def outputs(p):
    cat = "outputs"
    src = p.path("o.circuit", "sizes { a = 4 }\ncircuit main(X: [a]) -> [a] {\n    param W: [a]\n    return X * W\n}\n")
    original = open(src).read()

    def intact(proc):
        return None if open(src).read() == original else "the source was overwritten"
    p.run(cat, "render -o the source", ["render", src, "-o", src], check=intact)
    p.run(cat, "emit-c -o the source", ["emit-c", src, "-o", src], check=intact)
    p.run(cat, "--save-params the source", ["run", src, "--save-params", src], check=intact)
    p.run(cat, "build -o the source", ["build", src, "-o", src], check=intact)
    target = p.path("target.txt", "precious\n")
    link = os.path.join(p.work, "link.npy")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(target, link)
    p.run(cat, "--save-params through a link", ["run", src, "--save-params", link],
          check=lambda _: None if open(target).read() == "precious\n" else "the link target changed")
    p.run(cat, "build -o nodir/x", ["build", src, "-o", "nodir/x"], check=stderr_has("does not exist"))
    # A kill mid-write must leave the previous file whole.
    prev = p.path("prev.safetensors", data=safetensors({"W": np.ones(4, np.float32)}))
    before = open(prev, "rb").read()
    p.run(cat, "rewrite keeps a whole file", ["run", src, "--save-params", prev], expect="ok",
          check=lambda _: None if not any(n.startswith(".prev") for n in os.listdir(p.work)) else "temporary file left")
    del before


def misc(p):
    cat = "misc"
    f = p.path("m.circuit", "sizes { a = 4 }\ncircuit main(X: [a]) -> [a] {\n    param W: [a]\n    return X * W\n}\n")
    pw = p.path("m.safetensors", data=safetensors({"weight": np.ones(4, np.float32)}))
    crlf = p.path("crlf.map", "# map\r\nW <- weight\r\n")
    p.run(cat, "CRLF param map", ["run", f, "--params", pw, "--param-map", crlf], expect="ok")
    ctl = safetensors({}, {"W": {"dtype": "F\u001b[31m", "shape": [4], "data_offsets": [0, 16]}}, trailing=b"\0" * 16)
    p.run(cat, "control bytes in a dtype", ["run", f, "--params", p.path("ctl.safetensors", data=ctl)],
          check=lambda proc: "raw escape byte echoed" if b"\x1b" in proc.stderr else None)
    p.run(cat, "--size zz=3", ["run", f, "--size", "zz=3"], check=stderr_has("zz"))
    p.run(cat, "help unknown", ["help", "frobnicate"])
    np.savez(os.path.join(p.work, "in.npz"), X=np.ones(4, np.float32))
    p.run(cat, ".npz input", ["run", f, "--input", "in.npz"], expect="ok")
    p.run(cat, "after an error, no internal noise", ["run", p.path("e.circuit", "circuit main(X: [a]) -> [a] { return X + Y }\n"), "--size", "a=2"],
          check=lambda proc: "internal error noise" if b"internal" in proc.stderr else None)


CATEGORIES = {"deep": deep, "sizes": sizes, "memory": memory, "cache": cache, "c-names": c_names,
              "scaling": scaling, "readers": readers, "outputs": outputs, "misc": misc}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--circuit", default=os.path.join(ROOT, ".build/release/circuit"))
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--only", action="append", choices=sorted(CATEGORIES))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="circuit-probe-")
    probe = Probe(os.path.abspath(args.circuit), args.timeout, work)
    env_stdlib = os.path.join(ROOT, "stdlib")
    os.environ.setdefault("CIRCUIT_STDLIB", env_stdlib)
    try:
        for name, fn in CATEGORIES.items():
            if args.only and name not in args.only:
                continue
            fn(probe)
    finally:
        for d, _, _ in os.walk(work):
            os.chmod(d, 0o755)
        shutil.rmtree(work, ignore_errors=True)
    ok = probe.report()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
