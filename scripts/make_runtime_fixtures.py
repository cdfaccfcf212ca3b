#!/usr/bin/env python3
"""Regenerates Tests/TensorRuntimeTests/Fixtures/ for TensorRuntime (numpy only).

Run from the package root: python3 scripts/make_runtime_fixtures.py
Every array is small; the whole folder stays well under 2 MB.
"""
import json, math, os, struct, zipfile
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TensorRuntimeTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(1234)


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), array)


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# --- elementwise ----------------------------------------------------------------------------
x = f32(4, 5, scale=2.0)
pos = (np.abs(f32(4, 5)) + 0.1).astype(np.float32)
save("unary_x", x)
save("unary_pos", pos)
erf = np.vectorize(math.erf)
xd = x.astype(np.float64)
save("unary_relu", np.maximum(x, 0))
save("unary_geluErf", (0.5 * xd * (1 + erf(xd / math.sqrt(2)))).astype(np.float32))
save("unary_geluTanh", (0.5 * xd * (1 + np.tanh(math.sqrt(2 / math.pi) * (xd + 0.044715 * xd**3)))).astype(np.float32))
save("unary_exp", np.exp(x))
save("unary_tanh", np.tanh(x))
save("unary_sigmoid", (1 / (1 + np.exp(-xd))).astype(np.float32))
save("unary_abs", np.abs(x))
save("unary_neg", -x)
save("unary_sin", np.sin(x))
save("unary_cos", np.cos(x))
save("unary_log", np.log(pos))
save("unary_sqrt", np.sqrt(pos))
save("unary_rsqrt", (1 / np.sqrt(pos.astype(np.float64))).astype(np.float32))
save("unary_erf", erf(xd).astype(np.float32))
save("unary_silu", (xd / (1 + np.exp(-xd))).astype(np.float32))
save("unary_sign", np.sign(x))

a = f32(3, 4)
b = (f32(3, 4) + 3).astype(np.float32)
save("binary_a", a)
save("binary_b", b)
for name, value in [("add", a + b), ("sub", a - b), ("mul", a * b), ("div", a / b),
                    ("max", np.maximum(a, b)), ("min", np.minimum(a, b)),
                    ("pow", np.power(np.abs(a), b))]:
    save("binary_" + name, value.astype(np.float32))
row = f32(4)
save("broadcast_row", row)
save("broadcast_sum", a + row[None, :])

# --- reductions, softmax, layer norm --------------------------------------------------------
r = f32(3, 4, 5)
save("reduce_x", r)
save("reduce_sum_02", r.sum(axis=(0, 2)))
save("reduce_mean_1", r.mean(axis=1))
save("reduce_max_12", r.max(axis=(1, 2)))
save("reduce_min_0", r.min(axis=0))

s = f32(2, 3, 5, scale=3.0)
s[0, 1, 3:] = -np.inf          # partly masked row
s[1, 2, :] = -np.inf           # fully masked row (last axis)
save("softmax_x", s)
def softmax(v, axes):
    m = np.max(v, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(v - m)
    t = e.sum(axis=axes, keepdims=True)
    return np.where(t > 0, e / np.where(t > 0, t, 1), 0).astype(np.float32)
save("softmax_last", softmax(s, (2,)))
ok = f32(2, 3, 5)
save("softmax_ok", ok)
save("softmax_ok_12", softmax(ok, (1, 2)))
save("logsoftmax_ok_1", (ok - ok.max(axis=1, keepdims=True) - np.log(np.exp(ok - ok.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True))).astype(np.float32))

ln = f32(2, 3, 8, scale=2.0) + 1
save("layernorm_x", ln)
def layernorm(v, axes, eps):
    v = v.astype(np.float64)
    mu = v.mean(axis=axes, keepdims=True)
    var = ((v - mu) ** 2).mean(axis=axes, keepdims=True)
    return ((v - mu) / np.sqrt(var + eps)).astype(np.float32)
save("layernorm_2", layernorm(ln, (2,), 1e-5))
save("layernorm_12", layernorm(ln, (1, 2), 1e-3))
gamma = f32(8)
beta = f32(8)
save("layernorm_gamma", gamma)
save("layernorm_beta", beta)
save("layernorm_2_affine", (layernorm(ln, (2,), 1e-5) * gamma + beta).astype(np.float32))

# --- layout, gather ------------------------------------------------------------------------
p = f32(2, 3, 4, 5)
save("permute_x", p)
save("permute_2031", np.ascontiguousarray(p.transpose(2, 0, 3, 1)))
table = f32(10, 4)
idx = np.array([[1, 0, 9], [3, 3, 7]], dtype=np.int32)
save("gather_table", table)
save("gather_indices", idx)
save("gather_out", table[idx])

# --- contraction ---------------------------------------------------------------------------
ca = f32(33, 17)
cb = f32(17, 65)
save("matmul_a", ca)
save("matmul_b", cb)
save("matmul_ab", (ca.astype(np.float64) @ cb.astype(np.float64)).astype(np.float32))
ea = f32(3, 5, 4, 6)    # labels b i k j  -> 0 1 2 3
eb = f32(4, 3, 7, 6)    # labels k b n j  -> 2 0 4 3 ; out b n i -> 0 4 1
save("einsum_a", ea)
save("einsum_b", eb)
save("einsum_out", np.einsum("bikj,kbnj->bni", ea.astype(np.float64), eb.astype(np.float64)).astype(np.float32))

# --- window / convolution ------------------------------------------------------------------
def conv1d(x, w, stride, pad, dil):
    c, length = x.shape
    o, _, k = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (pad, pad)))
    n = (length + 2 * pad - dil * (k - 1) - 1) // stride + 1
    y = np.zeros((o, n))
    for t in range(n):
        for j in range(k):
            y[:, t] += w[:, :, j].astype(np.float64) @ xp[:, t * stride + j * dil]
    return y.astype(np.float32)
cx = f32(3, 10)
cw = f32(4, 3, 3)
save("conv_x", cx)
save("conv_w", cw)
save("conv_y", conv1d(cx, cw, 2, 1, 2))
def conv_transpose1d(y, w, length, stride, pad, dil):
    o, n = y.shape
    _, c, k = w.shape
    x = np.zeros((c, length + 2 * pad))
    for t in range(n):
        for j in range(k):
            x[:, t * stride + j * dil] += w[:, :, j].astype(np.float64).T @ y[:, t]
    return x[:, pad:pad + length].astype(np.float32)
ty = f32(4, 4)
save("convT_y", ty)
save("convT_x", conv_transpose1d(ty, cw, 10, 2, 1, 2))
im = f32(2, 5, 6)
save("window2d_x", im)
win = np.zeros((2, 3, 2, 3, 2), dtype=np.float32)   # axes 1 (k3 s2 p1) and 2 (k2 s3 p0 d2)
imp = np.pad(im, ((0, 0), (1, 1), (0, 0)))
for oi in range(3):
    for oj in range(2):
        for wi in range(3):
            for wj in range(2):
                win[:, oi, oj, wi, wj] = imp[:, oi * 2 + wi, oj * 3 + wj * 2]
save("window2d_out", win)

# --- files ---------------------------------------------------------------------------------
save("file_f64", np.arange(6, dtype=np.float64).reshape(2, 3) / 4)
save("file_i64", np.array([-3, 0, 2**31 - 1], dtype=np.int64))
save("file_i64_big", np.array([2**40], dtype=np.int64))
save("file_bool", np.array([[True, False], [False, True]]))
save("file_u8", np.array([0, 7, 255], dtype=np.uint8))
save("file_i32_scalar", np.array(42, dtype=np.int32))
save("file_f32_be", np.arange(4, dtype=">f4"))
save("file_fortran", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
save("file_empty", np.zeros((0, 3), dtype=np.float32))
np.savez(os.path.join(OUT, "file_stored.npz"), weights=np.arange(6, dtype=np.float32).reshape(3, 2), ids=np.array([1, 2], dtype=np.int32))
np.savez_compressed(os.path.join(OUT, "file_compressed.npz"), weights=np.arange(6, dtype=np.float32))

def safetensors(path, tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
halfs = np.array([1.0, -2.5, 65504.0, 6.1e-5], dtype=np.float16)
bf = (np.array([1.0, -3.0, 0.15625], dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16)
safetensors("mixed.safetensors", [
    ("w", "F32", [2, 2], np.arange(4, dtype="<f4").tobytes()),
    ("h", "F16", [4], halfs.astype("<f2").tobytes()),
    ("bf", "BF16", [3], bf.astype("<u2").tobytes()),
    ("ids", "I64", [2], np.array([5, -6], dtype="<i8").tobytes()),
    ("n", "I32", [], np.array([7], dtype="<i4").tobytes()),
    ("mask", "BOOL", [3], np.array([1, 0, 1], dtype=np.uint8).tobytes()),
], metadata={"format": "pt"})
print("fixtures written to", os.path.normpath(OUT))

# --- DEFLATE (np.savez_compressed members, raw RFC 1951 streams) -----------------------------
# Appended after the fixtures above so their bytes never change. Uses python's zlib only.
import zlib
zrng = np.random.default_rng(1951)
# 'mask' comes first so the malformed-member tests can patch the first directory entry.
# 'big' repeats a 12000-byte period: zlib emits a dynamic-Huffman block of 258-byte matches.
npzc = {
    "mask": np.arange(40).reshape(5, 8) % 3 == 0,
    "big": ((np.arange(12000) % 3000).astype(np.float32) * 0.25).reshape(4, 3000),
    "noise": zrng.standard_normal((64, 32)).astype(np.float32),
    "counts": np.array([[-7, 0, 2**31 - 1], [5, 6, -2**31]], dtype=np.int64),
    "f64": np.linspace(-1, 1, 9, dtype=np.float64),
    "bytes": np.tile(np.arange(256, dtype=np.uint8), 3),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
np.savez_compressed(os.path.join(OUT, "deflate_arrays.npz"), **npzc)
save("deflate_noise", npzc["noise"])
text = b"".join(b"line %04d: the quick brown fox jumps over the lazy dog %d\n" % (i, i * i % 97)
                for i in range(60))
with open(os.path.join(OUT, "deflate_text.bin"), "wb") as f:
    f.write(text)
def raw_deflate(data, level, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()
streams = {
    "deflate_stored.raw": (raw_deflate(text, 0), 0),
    "deflate_fixed.raw": (raw_deflate(text, 9, zlib.Z_FIXED), 1),
    "deflate_dynamic.raw": (raw_deflate(text, 9), 2),
}
for path, (stream, block_type) in streams.items():
    assert (stream[0] >> 1) & 3 == block_type, path          # first block has the intended type
    assert zlib.decompress(stream, -15) == text
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(stream)
print("deflate fixtures written to", os.path.normpath(OUT))
