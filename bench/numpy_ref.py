# bench/numpy_ref.py — numpy timings of the circuits timed by bench/run.sh (same shapes).
# Prints "name: median ms, GFLOP/s" per workload. Threads: whatever OPENBLAS_NUM_THREADS says.
import time, numpy as np
rng = np.random.default_rng(0)
f32 = lambda *s: rng.standard_normal(s, dtype=np.float32)

def bench(name, fn, flops, runs=20):
    fn(); fn()
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    m = float(np.median(ts))
    print(f"{name:<14} numpy {m*1e3:9.3f} ms/run  {flops/m/1e9:6.1f} GFLOP/s")

A, B = f32(1024, 1024), f32(1024, 1024)
bench("gemm1024", lambda: A @ B, 2 * 1024**3)

t, m, h, k, f = 128, 384, 12, 32, 1536
X = f32(t, m); Wq, Wk, Wv, Wo = (f32(m, m) * 0.05 for _ in range(4)); W1, W2 = f32(m, f) * 0.05, f32(f, m) * 0.05
bq = bk = bv = bo = np.zeros(m, np.float32); b1 = np.zeros(f, np.float32); b2 = np.zeros(m, np.float32)
def ln(x):
    mu = x.mean(-1, keepdims=True); v = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(v + 1e-5)
def gelu(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))
def bert():
    q = (X @ Wq + bq).reshape(t, h, k).transpose(1, 0, 2)
    kk = (X @ Wk + bk).reshape(t, h, k).transpose(1, 2, 0)
    v = (X @ Wv + bv).reshape(t, h, k).transpose(1, 0, 2)
    s = (q @ kk) * k**-0.5
    s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
    c = (s @ v).transpose(1, 0, 2).reshape(t, m)
    a = ln(X + c @ Wo + bo)
    return ln(a + gelu(a @ W1 + b1) @ W2 + b2)
bert_flops = 2 * t * m * m * 4 + 2 * 2 * h * t * t * k + 2 * 2 * t * m * f
bench("bert_layer", bert, bert_flops)

W1m, W2m, W3m = f32(784, 512) * 0.03, f32(512, 512) * 0.04, f32(512, 10) * 0.04
def mlp(x):
    y = np.maximum(x @ W1m, 0); y = np.maximum(y @ W2m, 0); y = y @ W3m
    y = np.exp(y - y.max(-1, keepdims=True)); return y / y.sum(-1, keepdims=True)
for b in (1, 8, 256):
    xb = f32(b, 784)
    bench(f"mlp_b{b}", lambda: mlp(xb), 2 * b * (784 * 512 + 512 * 512 + 512 * 10),
          runs={1: 2000, 8: 500}.get(b, 20))

Wc = f32(64, 3, 3, 64) * 0.05
def conv(xc):
    b = xc.shape[0]
    p = np.pad(xc, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.lib.stride_tricks.sliding_window_view(p, (3, 3), axis=(2, 3))   # [b c 56 56 3 3]
    cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(b * 56 * 56, 64 * 9)
    return cols @ Wc.reshape(64 * 9, 64)
for b, name in ((1, "conv3x3"), (8, "conv3x3_b8")):
    xc = f32(b, 64, 56, 56)
    bench(name, lambda: conv(xc), b * 2 * 56 * 56 * 64 * 64 * 9, runs=20 if b == 1 else 10)
