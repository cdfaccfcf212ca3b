# bench/onnx_ref.py — onnxruntime timings of the circuits timed by bench/compare.sh, with
# ONNX graphs built by hand (onnx.helper) to compute the same functions as the .circuit
# files, same shapes, same biases:
#   gemm1024   bench/gemm.circuit                   C = A·B, A and B are inputs, 1024²
#   bert_b1    bench/bert_layer.circuit              one post-LN BERT layer, t 128, m 384,
#   bert_b8    bench/bert_layer_batch.circuit b=8    12 heads × 32, FFN 1536, GELU (erf)
#   mlp_b1     examples/mlp.circuit --size b=1       784-512-512-10, ReLU, softmax
#   mlp_b8     examples/mlp.circuit --size b=8
#   mlp_b256   examples/mlp.circuit --size b=256
#   conv3x3    bench/conv3x3.circuit                 3×3 conv 64→64 on 56×56, pad 1, bias, b 1
#   conv3x3_b8 bench/conv3x3.circuit --size b=8
#   bert_t512  bench/bert_layer.circuit --size t=512   the BERT layer at batch 1 on long
#   bert_t2048 bench/bert_layer.circuit --size t=2048  sequences (ORT materialises the
#   bert_t8192 bench/bert_layer.circuit --size t=8192  [h t s] scores: 3.2 GB at 8192)
#
# Usage:
#   python3 bench/onnx_ref.py [--threads 1,2] [--only NAME,...]
#       prints "NAME onnxruntime 1T <ms> ms/run 2T <ms> ms/run" per workload: median of
#       timed runs after warm-up (3 warm-up runs, then 20 runs: 2000 for mlp_b1, a 50 µs call,
#       500 for mlp_b8, 10 for conv3x3_b8), capped at 5 s per workload and thread count with at
#       least 3 runs, as `circuit bench`.
#       Sessions: intra_op_num_threads = T, inter_op_num_threads = 1, sequential execution,
#       all graph optimisations (ORT fuses MatMul+Add, LayerNormalization, Gelu, ...).
#   python3 bench/onnx_ref.py --numpy-bert-batch [B]
#       times the numpy reference of bench/numpy_ref.py's BERT layer batched over B (8), for
#       the bert_b8 row (bench/numpy_ref.py has batch 1 only); prints "bert_bB numpy <ms>".
#   python3 bench/onnx_ref.py --validate PATH/TO/circuit
#       runs each workload (at small batch) through `circuit run` on the interpreter and the
#       C backend with random weights (non-zero biases and LayerNorm gains) written as
#       safetensors, runs the ONNX graph with the same weights and inputs, and an independent
#       numpy re-implementation, and prints the largest differences. Exit 1 on a mismatch.
#
# onnx and onnxruntime are installed with pip if missing: they are not dependencies of the
# circuit tool itself.
import argparse, json, os, subprocess, sys, tempfile, time

import numpy as np


def ensure_onnx():
    try:
        import onnx, onnxruntime  # noqa: F401
    except ImportError:
        print("onnx_ref.py: installing onnx and onnxruntime with pip ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                               "onnx", "onnxruntime"], stdout=sys.stderr)


ensure_onnx()
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402
import onnxruntime as ort  # noqa: E402

OPSET = 20  # Gelu (approximate="none", i.e. erf) and LayerNormalization are standard ops here
F32 = TensorProto.FLOAT

# ----------------------------------------------------------------------------------------
# Weights, drawn as W [i o], b [o]; LayerNorm gain [m], bias [m]; Conv3x3 W [ci kh kw co],
# b [co] (the layouts the graphs and references below use). `circuit_weights` gives them
# the circuit's parameter names and axis orders (`circuit params FILE`): the stdlib declares
# PyTorch's, LinearBias weight [o i], bias [o]; LayerNorm weight, bias; Conv3x3 weight
# [co ci kh kw], bias [co].

BERT = dict(t=128, m=384, h=12, k=32, f=1536)
MLP_LAYERS = [("fc1", 784, 512), ("fc2", 512, 512), ("fc3", 512, 10)]


def random_weights(kind, rng, bias_scale=0.1):
    g = lambda *s, sc=1.0: (rng.standard_normal(s) * sc).astype(np.float32)
    if kind == "bert":
        m, f = BERT["m"], BERT["f"]
        w = {}
        for lin, i, o in (("query", m, m), ("key", m, m), ("value", m, m), ("dense", m, m),
                          ("intermediate", m, f), ("output", f, m)):
            w[f"{lin}.W"] = g(i, o, sc=i ** -0.5)
            w[f"{lin}.b"] = g(o, sc=bias_scale)
        for ln in ("norm1", "norm2"):
            w[f"{ln}.gain"] = (1 + g(m, sc=bias_scale)).astype(np.float32)
            w[f"{ln}.bias"] = g(m, sc=bias_scale)
        return w
    if kind == "mlp":
        w = {}
        for lin, i, o in MLP_LAYERS:
            w[f"{lin}.W"] = g(i, o, sc=i ** -0.5)
            w[f"{lin}.b"] = g(o, sc=bias_scale)
        return w
    if kind == "conv":
        return {"conv.W": g(64, 3, 3, 64, sc=(64 * 9) ** -0.5), "conv.b": g(64, sc=bias_scale)}
    if kind == "gemm":
        return {}
    raise ValueError(kind)


def circuit_weights(w):
    """`w` in the circuit's parameter names and storage order."""
    out = {}
    for n, a in w.items():
        prefix, last = n.rsplit(".", 1)
        if last == "b":
            out[prefix + ".bias"] = a
        elif last == "gain":
            out[prefix + ".weight"] = a
        elif last == "W":
            perm = (1, 0) if a.ndim == 2 else (3, 0, 1, 2)
            out[prefix + ".weight"] = np.ascontiguousarray(a.transpose(perm))
        else:
            out[n] = a
    return out


# ----------------------------------------------------------------------------------------
# Graph construction.

class G:
    """A small helper around onnx.helper: nodes, initializers, fresh names."""

    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def op(self, op_type, inputs, **attrs):
        self.n += 1
        out = f"{op_type.lower()}_{self.n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def model(self, name, inputs, output, out_shape):
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(n, F32, s) for n, s in inputs],
            [helper.make_tensor_value_info(output, F32, out_shape)],
            initializer=self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="circuit bench/onnx_ref.py")
        m.ir_version = 9
        onnx.checker.check_model(m, full_check=True)
        return m


def linear_bias(g, x, w, name):
    """LinearBias: sum[i](X * W) + b — MatMul then Add (ORT fuses them)."""
    y = g.op("MatMul", [x, g.const(f"{name}.W", w[f"{name}.W"])])
    return g.op("Add", [y, g.const(f"{name}.b", w[f"{name}.b"])])


def layer_norm(g, x, w, name):
    """LayerNorm: layernorm[m](X, eps 1e-5) * gain + bias (biased variance, as PyTorch)."""
    return g.op("LayerNormalization",
                [x, g.const(f"{name}.gain", w[f"{name}.gain"]), g.const(f"{name}.bias", w[f"{name}.bias"])],
                axis=-1, epsilon=1e-5)


def bert_model(w, batch, t=BERT["t"]):
    """bench/bert_layer(_batch).circuit: X [b t m] -> [b t m], sequence length t."""
    m, h, k, f = (BERT[a] for a in "mhkf")
    g = G()
    x = "X"
    heads = g.const("shape_bthk", np.array([batch, t, h, k], np.int64))   # split[m' -> h k]
    merged = g.const("shape_btm", np.array([batch, t, m], np.int64))      # merge[h k -> m']
    q = g.op("Transpose", [g.op("Reshape", [linear_bias(g, x, w, "query"), heads])], perm=[0, 2, 1, 3])  # [b h t k]
    kt = g.op("Transpose", [g.op("Reshape", [linear_bias(g, x, w, "key"), heads])], perm=[0, 2, 3, 1])   # [b h k s]
    v = g.op("Transpose", [g.op("Reshape", [linear_bias(g, x, w, "value"), heads])], perm=[0, 2, 1, 3])  # [b h s k]
    s = g.op("Mul", [g.op("MatMul", [q, kt]), g.const("scale", np.array(k ** -0.5, np.float32))])     # [b h t s]
    a = g.op("Softmax", [s], axis=-1)                                                                    # softmax[s]
    c = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [a, v])], perm=[0, 2, 1, 3]), merged])        # [b t m']
    d = linear_bias(g, c, w, "dense")
    a1 = layer_norm(g, g.op("Add", [x, d]), w, "norm1")
    ff = g.op("Gelu", [linear_bias(g, a1, w, "intermediate")], approximate="none")
    o = linear_bias(g, ff, w, "output")
    y = layer_norm(g, g.op("Add", [a1, o]), w, "norm2")
    return g.model("bert_layer", [("X", [batch, t, m])], y, [batch, t, m])


def mlp_model(w, batch):
    """examples/mlp.circuit: X [b 28 28] -> merge -> 3× LinearBias (ReLU between) -> softmax."""
    g = G()
    p = g.op("Reshape", ["X", g.const("shape_bp", np.array([batch, 784], np.int64))])
    h1 = linear_bias(g, p, w, "fc1")
    h2 = linear_bias(g, g.op("Relu", [h1]), w, "fc2")
    l = linear_bias(g, g.op("Relu", [h2]), w, "fc3")
    y = g.op("Softmax", [l], axis=-1)
    return g.model("mlp", [("X", [batch, 28, 28])], y, [batch, 10])


def conv_model(w, batch=1):
    """bench/conv3x3.circuit: X [b c 56 56] -> Conv3x3 (pad 1, bias) -> [b co 56 56]."""
    g = G()
    wt = np.ascontiguousarray(w["conv.W"].transpose(3, 0, 1, 2))   # [ci kh kw co] -> [co ci kh kw]
    y = g.op("Conv", ["X", g.const("conv.W", wt), g.const("conv.b", w["conv.b"])],
             kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
    return g.model("conv3x3", [("X", [batch, 64, 56, 56])], y, [batch, 64, 56, 56])


def gemm_model(n=1024):
    """bench/gemm.circuit: A [m k], B [k n] inputs -> A·B."""
    g = G()
    y = g.op("MatMul", ["A", "B"])
    return g.model("gemm", [("A", [n, n]), ("B", [n, n])], y, [n, n])


# ----------------------------------------------------------------------------------------
# numpy re-implementations (float64), independent of both the circuit and the ONNX graphs.

def np_bert(x, w):
    from scipy.special import erf
    t, m, h, k, f = (BERT[a] for a in "tmhkf")
    x = x.astype(np.float64)
    W = {n: a.astype(np.float64) for n, a in w.items()}
    lin = lambda z, n: z @ W[f"{n}.W"] + W[f"{n}.b"]
    def ln(z, n):
        mu = z.mean(-1, keepdims=True); var = ((z - mu) ** 2).mean(-1, keepdims=True)
        return (z - mu) / np.sqrt(var + 1e-5) * W[f"{n}.gain"] + W[f"{n}.bias"]
    b = x.shape[0]
    q = lin(x, "query").reshape(b, t, h, k); kk = lin(x, "key").reshape(b, t, h, k); v = lin(x, "value").reshape(b, t, h, k)
    s = np.einsum("bthk,bshk->bhts", q, kk) * k ** -0.5
    s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
    c = np.einsum("bhts,bshk->bthk", s, v).reshape(b, t, m)
    a = ln(x + lin(c, "dense"), "norm1")
    z = lin(a, "intermediate"); ff = 0.5 * z * (1 + erf(z / np.sqrt(2)))
    return ln(a + lin(ff, "output"), "norm2")


def np_mlp(x, w):
    W = {n: a.astype(np.float64) for n, a in w.items()}
    p = x.reshape(x.shape[0], -1).astype(np.float64)
    h = np.maximum(p @ W["fc1.W"] + W["fc1.b"], 0)
    h = np.maximum(h @ W["fc2.W"] + W["fc2.b"], 0)
    l = h @ W["fc3.W"] + W["fc3.b"]
    e = np.exp(l - l.max(-1, keepdims=True)); return e / e.sum(-1, keepdims=True)


def np_conv(x, w):
    x = x.astype(np.float64); W = w["conv.W"].astype(np.float64)
    b, c, H, Wd = x.shape
    p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((b, W.shape[3], H, Wd))
    for i in range(3):
        for j in range(3):
            y += np.einsum("bchw,co->bohw", p[:, :, i:i + H, j:j + Wd], W[:, i, j, :])
    return y + w["conv.b"].astype(np.float64)[None, :, None, None]


# ----------------------------------------------------------------------------------------
# Timing.

def session(model, threads):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def time_session(sess, feeds, runs, warmup=3, max_seconds=5.0):
    """Like `circuit bench`: warm-up runs, then timed runs (at least 3, at most `runs`,
    stopping after max_seconds), median. Outputs are bound once with IOBinding so a run
    times the graph, not numpy allocation of the outputs."""
    binding = sess.io_binding()
    for name, arr in feeds.items():
        binding.bind_cpu_input(name, arr)
    for o in sess.get_outputs():
        binding.bind_output(o.name, "cpu")
    for _ in range(warmup):
        sess.run_with_iobinding(binding)
    ts, start = [], time.perf_counter()
    while len(ts) < runs and (len(ts) < 3 or time.perf_counter() - start < max_seconds):
        t = time.perf_counter(); sess.run_with_iobinding(binding); ts.append(time.perf_counter() - t)
    return float(np.median(ts)) * 1e3


def workloads(rng):
    f32 = lambda *s: rng.standard_normal(s, dtype=np.float32)
    t, m, h, k, f = (BERT[a] for a in "tmhkf")
    bert_flops = lambda b, t=t: b * (2 * t * m * m * 4 + 2 * 2 * h * t * t * k + 2 * 2 * t * m * f)
    mlp_flops = lambda b: 2 * b * (784 * 512 + 512 * 512 + 512 * 10)
    wb, wm, wc = random_weights("bert", rng), random_weights("mlp", rng), random_weights("conv", rng)
    # name, model builder, feeds, flops, timed runs (as bench/run.sh)
    return [
        ("gemm1024", lambda: gemm_model(1024), {"A": f32(1024, 1024), "B": f32(1024, 1024)}, 2 * 1024 ** 3, 20),
        ("bert_b1", lambda: bert_model(wb, 1), {"X": f32(1, t, m)}, bert_flops(1), 20),
        ("bert_b8", lambda: bert_model(wb, 8), {"X": f32(8, t, m)}, bert_flops(8), 20),
        ("mlp_b1", lambda: mlp_model(wm, 1), {"X": f32(1, 28, 28)}, mlp_flops(1), 2000),
        ("mlp_b8", lambda: mlp_model(wm, 8), {"X": f32(8, 28, 28)}, mlp_flops(8), 500),
        ("mlp_b256", lambda: mlp_model(wm, 256), {"X": f32(256, 28, 28)}, mlp_flops(256), 20),
        ("conv3x3", lambda: conv_model(wc, 1), {"X": f32(1, 64, 56, 56)}, 2 * 56 * 56 * 64 * 64 * 9, 20),
        ("conv3x3_b8", lambda: conv_model(wc, 8), {"X": f32(8, 64, 56, 56)}, 8 * 2 * 56 * 56 * 64 * 64 * 9, 10),
    ] + [
        (f"bert_t{n}", lambda n=n: bert_model(wb, 1, n), {"X": f32(1, n, m)}, bert_flops(1, n), runs)
        for n, runs in [(512, 20), (2048, 10), (8192, 3)]
    ]


def run_timings(threads, only):
    rng = np.random.default_rng(0)
    for name, build, feeds, flops, runs in workloads(rng):
        if only and name not in only:
            continue
        model = build()
        parts = []
        for th in threads:
            ms = time_session(session(model, th), feeds, runs, warmup=1 if runs <= 3 else 3)
            parts.append(f"{th}T {ms:9.3f} ms/run {flops / ms / 1e6:6.1f} GFLOP/s")
        print(f"{name:<10} onnxruntime  " + "   ".join(parts), flush=True)


def numpy_bert_batch(b):
    """bench/numpy_ref.py's BERT layer (same code: tanh GELU, zero biases, no LN gains),
    batched over b, so the bert_b8 row has a numpy figure computed the same way as bert_b1."""
    rng = np.random.default_rng(0)
    f32 = lambda *s: rng.standard_normal(s, dtype=np.float32)
    t, m, h, k, f = (BERT[a] for a in "tmhkf")
    X = f32(b, t, m); Wq, Wk, Wv, Wo = (f32(m, m) * 0.05 for _ in range(4)); W1, W2 = f32(m, f) * 0.05, f32(f, m) * 0.05
    bq = bk = bv = bo = np.zeros(m, np.float32); b1 = np.zeros(f, np.float32); b2 = np.zeros(m, np.float32)
    def ln(x):
        mu = x.mean(-1, keepdims=True); v = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(v + 1e-5)
    def gelu(x):
        return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))
    def bert():
        q = (X @ Wq + bq).reshape(b, t, h, k).transpose(0, 2, 1, 3)
        kk = (X @ Wk + bk).reshape(b, t, h, k).transpose(0, 2, 3, 1)
        v = (X @ Wv + bv).reshape(b, t, h, k).transpose(0, 2, 1, 3)
        s = (q @ kk) * k**-0.5
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, m)
        a = ln(X + c @ Wo + bo)
        return ln(a + gelu(a @ W1 + b1) @ W2 + b2)
    bert(); bert()
    ts = []
    for _ in range(20):
        t0 = time.perf_counter(); bert(); ts.append(time.perf_counter() - t0)
    ms = float(np.median(ts)) * 1e3
    flops = b * (2 * t * m * m * 4 + 2 * 2 * h * t * t * k + 2 * 2 * t * m * f)
    print(f"bert_b{b:<5} numpy {ms:9.3f} ms/run  {flops / ms / 1e6:6.1f} GFLOP/s")


# ----------------------------------------------------------------------------------------
# Validation against `circuit run`.

def read_safetensors(path):
    with open(path, "rb") as fh:
        n = int.from_bytes(fh.read(8), "little"); header = json.loads(fh.read(n)); data = fh.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        s, e = info["data_offsets"]
        out[name] = np.frombuffer(data[s:e], np.float32).reshape(info["shape"]).copy()
    return out


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        b = np.ascontiguousarray(arr, np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as fh:
        fh.write(len(h).to_bytes(8, "little")); fh.write(h); fh.write(b"".join(blobs))


def validate(circuit):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rng = np.random.default_rng(1)
    f32 = lambda *s: rng.standard_normal(s, dtype=np.float32)
    t, m = BERT["t"], BERT["m"]
    # file, sizes, kind, circuit input shape, ONNX model, numpy reference
    cases = [
        ("bench/bert_layer.circuit", [], "bert", (t, m), lambda w: bert_model(w, 1), np_bert),
        ("bench/bert_layer_batch.circuit", ["b=2"], "bert", (2, t, m), lambda w: bert_model(w, 2), np_bert),
        ("examples/mlp.circuit", ["b=3"], "mlp", (3, 28, 28), lambda w: mlp_model(w, 3), np_mlp),
        ("bench/conv3x3.circuit", [], "conv", (1, 64, 56, 56), lambda w: conv_model(w, 1), np_conv),
        ("bench/conv3x3.circuit", ["b=2"], "conv", (2, 64, 56, 56), lambda w: conv_model(w, 2), np_conv),
        ("bench/gemm.circuit", ["m=96", "k=80", "n=64"], "gemm", None, None, None),
    ]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for file, sizes, kind, xshape, build, ref in cases:
            size_args = [a for s in sizes for a in ("--size", s)]
            if kind == "gemm":
                A, B = f32(96, 80), f32(80, 64)
                np.save(f"{tmp}/A.npy", A); np.save(f"{tmp}/B.npy", B)
                inputs = ["--input", f"A={tmp}/A.npy", "--input", f"B={tmp}/B.npy"]
                feeds = {"A": A, "B": B}
                g = G(); y = g.op("MatMul", ["A", "B"])
                model = g.model("gemm", [("A", [96, 80]), ("B", [80, 64])], y, [96, 64])
                w, expect = {}, A.astype(np.float64) @ B.astype(np.float64)
            else:
                x = f32(*xshape)
                np.save(f"{tmp}/x.npy", x)
                inputs = ["--input", f"X={tmp}/x.npy"]
                # The circuit's own parameter names and shapes, then our weights in their place.
                subprocess.check_call([circuit, "run", os.path.join(root, file), *size_args, *inputs,
                                       "--save-params", f"{tmp}/init.safetensors"], stdout=subprocess.DEVNULL)
                names = read_safetensors(f"{tmp}/init.safetensors")
                w = random_weights(kind, rng, bias_scale=0.5)
                cw = circuit_weights(w)
                assert set(names) == set(cw), (sorted(names), sorted(cw))
                for n in names:
                    assert names[n].shape == cw[n].shape, (n, names[n].shape, cw[n].shape)
                model = build(w)
                xb = x if len(xshape) == len(model.graph.input[0].type.tensor_type.shape.dim) else x[None]
                feeds = {"X": xb}
                expect = ref(xb, w)
            write_safetensors(f"{tmp}/w.safetensors", circuit_weights(w))
            outs = {}
            for backend in ("interp", "c"):
                od = f"{tmp}/out_{backend}"
                params = ["--params", f"{tmp}/w.safetensors"] if w else []
                subprocess.check_call([circuit, "run", os.path.join(root, file), *size_args, *inputs, *params,
                                       "--backend", backend, "--out", od], stdout=subprocess.DEVNULL)
                outs[backend] = np.load(f"{od}/output_0.npy")
            onnx_out = session(model, 1).run(None, feeds)[0]
            onnx_out = onnx_out.reshape(outs["interp"].shape)
            expect = expect.reshape(outs["interp"].shape)
            scale = max(1.0, float(np.abs(expect).max()))
            line = [f"{file} {' '.join(sizes)}".strip(), f"shape {list(outs['interp'].shape)}"]
            for label, a, b in (("onnx vs interp", onnx_out, outs["interp"]), ("onnx vs C", onnx_out, outs["c"]),
                                ("onnx vs numpy64", onnx_out, expect), ("interp vs numpy64", outs["interp"], expect)):
                d = float(np.abs(a.astype(np.float64) - b).max()) / scale
                line.append(f"{label} {d:.2e}")
                ok &= d < 1e-4
            print("  ".join(line), flush=True)
    print("validation:", "OK (max |diff| / max(1, max |ref|) < 1e-4 everywhere)" if ok else "MISMATCH")
    return ok


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--only", default="")
    ap.add_argument("--validate", metavar="CIRCUIT")
    ap.add_argument("--numpy-bert-batch", type=int, nargs="?", const=8)
    a = ap.parse_args()
    if a.validate:
        sys.exit(0 if validate(a.validate) else 1)
    if a.numpy_bert_batch:
        numpy_bert_batch(a.numpy_bert_batch)
        sys.exit(0)
    run_timings([int(s) for s in a.threads.split(",")], set(filter(None, a.only.split(","))))
