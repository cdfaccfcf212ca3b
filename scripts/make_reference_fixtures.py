#!/usr/bin/env python3
"""Regenerates Tests/CircuitInterpreterTests/Fixtures/ (numpy only).

Run from anywhere: python3 scripts/make_reference_fixtures.py

For every program Tests/CircuitInterpreterTests/Programs/<name>.circuit with a case below,
writes Fixtures/<name>/:
  in_<INPUT>.npy        one file per entry input (laid out in the declared axis order)
  params.safetensors    every parameter, by full name (absent when there are none)
  out_<i>.npy           the expected outputs, computed by an independent numpy reference

The references never look at the interpreter: contractions are written with einsum in
float64, convolutions are explicit loops following PyTorch's definitions
(out = floor((H + 2p - d(k - 1) - 1)/s) + 1; transposed convolution by scatter-add,
cropped by the padding, output size (H - 1)s - 2p + d(k - 1) + outpad + 1).
Inputs and parameters are float32; the references compute in float64 and round at the end.
"""
import json
import zlib
import math
import os
import shutil
import struct

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "CircuitInterpreterTests", "Fixtures")
SEED = 20240611

# ---------------------------------------------------------------------------------------------
# File writers.


def write_safetensors(path, tensors):
    """safetensors: u64 LE header length, JSON header, raw LE data (offsets in name order)."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dtype = {np.dtype(np.float32): "F32", np.dtype(np.int32): "I32"}[a.dtype]
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------------------------------------
# Independent references (float64).

erf = np.vectorize(math.erf)


def softmax(x, axes):
    m = np.max(x, axis=axes, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axes, keepdims=True)


def logsoftmax(x, axes):
    m = np.max(x, axis=axes, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True))


def masked_softmax(s, mask):
    """Softmax over the last axis where mask is true; a row with no true entry is all zero."""
    out = np.zeros_like(s)
    for idx in np.ndindex(s.shape[:-1]):
        keep = mask[idx]
        if keep.any():
            row = s[idx][keep]
            e = np.exp(row - row.max())
            out[idx][keep] = e / e.sum()
    return out


def masked_logsoftmax(s, mask):
    """logsoftmax over the last axis where mask is true, -inf elsewhere (all -inf if none)."""
    out = np.full_like(s, -np.inf)
    for idx in np.ndindex(s.shape[:-1]):
        keep = mask[idx]
        if keep.any():
            row = s[idx][keep]
            out[idx][keep] = row - row.max() - np.log(np.exp(row - row.max()).sum())
    return out


def layernorm(x, axes, eps):
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def out_size(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def conv2d(x, w, b, stride=1, pad=0, dil=1):
    """PyTorch Conv2d. x [B C H W], w [C kh kw O] (the circuit's layout), b [O] or None."""
    B, C, H, W = x.shape
    _, KH, KW, O = w.shape
    Ho, Wo = out_size(H, KH, stride, pad, dil), out_size(W, KW, stride, pad, dil)
    xp = np.zeros((B, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, pad:pad + H, pad:pad + W] = x
    out = np.zeros((B, O, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            for p in range(KH):
                for q in range(KW):
                    patch = xp[:, :, i * stride + p * dil, j * stride + q * dil]  # [B C]
                    out[:, :, i, j] += patch @ w[:, p, q, :]
    if b is not None:
        out += b[None, :, None, None]
    return out


def grouped_conv2d(x, w, b, groups, stride=1, pad=0):
    """PyTorch Conv2d(groups=g). w [g cg kh kw og]; output channel = group * og + o."""
    g, cg, KH, KW, og = w.shape
    parts = []
    for gi in range(groups):
        parts.append(conv2d(x[:, gi * cg:(gi + 1) * cg], w[gi], None, stride, pad))
    return np.concatenate(parts, axis=1) + b[None, :, None, None]


def depthwise_conv2d(x, w, b, stride=1, pad=0):
    """PyTorch Conv2d(groups=C). w [C kh kw]."""
    C = x.shape[1]
    parts = [conv2d(x[:, c:c + 1], w[c][None, :, :, None], None, stride, pad) for c in range(C)]
    return np.concatenate(parts, axis=1) + b[None, :, None, None]


def conv_transpose2d(x, w, b, stride=1, pad=0, dil=1, outpad=0):
    """PyTorch ConvTranspose2d by scatter-add. x [B C H W], w [C O kh kw], b [O] or None."""
    B, C, H, W = x.shape
    _, O, KH, KW = w.shape
    Ho = (H - 1) * stride - 2 * pad + dil * (KH - 1) + outpad + 1
    Wo = (W - 1) * stride - 2 * pad + dil * (KW - 1) + outpad + 1
    full = np.zeros((B, O, Ho + 2 * pad, Wo + 2 * pad))
    for i in range(H):
        for j in range(W):
            for p in range(KH):
                for q in range(KW):
                    oi, oj = i * stride + p * dil, j * stride + q * dil
                    if oi < full.shape[2] and oj < full.shape[3]:
                        full[:, :, oi, oj] += x[:, :, i, j] @ w[:, :, p, q]
    out = full[:, :, pad:pad + Ho, pad:pad + Wo]
    if b is not None:
        out = out + b[None, :, None, None]
    return out


def pool2d(x, k, stride, pad, reduce):
    """Pooling over zero-padded windows (x [B C H W])."""
    B, C, H, W = x.shape
    Ho, Wo = out_size(H, k, stride, pad, 1), out_size(W, k, stride, pad, 1)
    xp = np.zeros((B, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, pad:pad + H, pad:pad + W] = x
    out = np.zeros((B, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = reduce(xp[:, :, i * stride:i * stride + k, j * stride:j * stride + k], axis=(2, 3))
    return out


def window1d(z, k, stride, pad, dil):
    """The raw window: z [B N] -> [B N' k], zero padded."""
    B, N = z.shape
    No = out_size(N, k, stride, pad, dil)
    zp = np.zeros((B, N + 2 * pad))
    zp[:, pad:pad + N] = z
    out = np.zeros((B, No, k))
    for i in range(No):
        for q in range(k):
            out[:, i, q] = zp[:, i * stride + q * dil]
    return out


def sdpa(q, k, v):
    """q [.. y d], k [.. x d], v [.. x d] -> [.. y d]."""
    s = np.einsum("...yd,...xd->...yx", q, k) / math.sqrt(q.shape[-1])
    return np.einsum("...yx,...xd->...yd", softmax(s, -1), v)


# ---------------------------------------------------------------------------------------------
# Cases: each returns (inputs, params, outputs); inputs and params are float32/int32/bool
# arrays, outputs are float64 references.


class Gen:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def normal(self, *shape, scale=1.0):
        return (self.rng.standard_normal(shape) * scale).astype(np.float32)

    def uniform(self, lo, hi, *shape):
        return self.rng.uniform(lo, hi, shape).astype(np.float32)


def d(a):
    return a.astype(np.float64)


def case_attention(g):
    Q, K, V = g.normal(2, 5, 4), g.normal(2, 7, 4), g.normal(2, 7, 4)
    return {"Q": Q, "K": K, "V": V}, {}, [sdpa(d(Q), d(K), d(V))]


def case_multihead_attention(g):
    y, x, m, k, h = 5, 6, 8, 3, 2
    E, X = g.normal(y, m), g.normal(x, m)
    p = {n: g.normal(m, k, h, scale=0.5) for n in ["mha.Wq", "mha.Wk", "mha.Wv"]}
    p["mha.Wo"] = g.normal(k, h, m, scale=0.5)
    Q = np.einsum("ym,mkh->hyk", d(E), d(p["mha.Wq"]))
    K = np.einsum("xm,mkh->hxk", d(X), d(p["mha.Wk"]))
    V = np.einsum("xm,mkh->hxk", d(X), d(p["mha.Wv"]))
    O = sdpa(Q, K, V)  # [h y k]
    return {"E": E, "X": X}, p, [np.einsum("hyk,khm->ym", O, d(p["mha.Wo"]))]


def case_padded_attention(g):
    b, y, x, m, k, h = 2, 4, 5, 8, 3, 2
    E, X = g.normal(b, y, m), g.normal(b, x, m)
    p = {n: g.normal(m, k, h, scale=0.5) for n in ["mha.Wq", "mha.Wk", "mha.Wv"]}
    p["mha.Wo"] = g.normal(k, h, m, scale=0.5)
    kept = [4, 3]
    mask = np.zeros((b, x), np.float32)
    mask[0, 4:] = -1e9
    mask[1, 3:] = -np.inf
    out = []
    for s in range(b):  # each sequence alone, its padding keys removed
        n = kept[s]
        Q = np.einsum("ym,mkh->hyk", d(E[s]), d(p["mha.Wq"]))
        K = np.einsum("xm,mkh->hxk", d(X[s, :n]), d(p["mha.Wk"]))
        V = np.einsum("xm,mkh->hxk", d(X[s, :n]), d(p["mha.Wv"]))
        out.append(np.einsum("hyk,khm->ym", sdpa(Q, K, V), d(p["mha.Wo"])))
    return {"E": E, "X": X, "mask": mask}, p, [np.stack(out)]


def case_large_contraction(g):
    A, B, P = g.normal(100, 260), g.normal(260, 80), g.normal(2, 100, 7)
    return ({"A": A, "B": B, "P": P}, {},
            [np.einsum("mk,kn->nm", d(A), d(B)), np.einsum("mk,bmj->kbj", d(A), d(P))])


def case_layernorm(g):
    X = g.normal(2, 3, 6, scale=2.0) + 0.5
    p = {"gain": g.normal(6), "bias": g.normal(6)}
    Y = layernorm(d(X), -1, 1e-5) * d(p["gain"]) + d(p["bias"])
    Z = layernorm(d(X), (1, 2), 1e-3).transpose(2, 0, 1)
    return {"X": X}, p, [Y, Z]


def case_softmax(g):
    S = g.normal(2, 3, 5, scale=3.0)
    s = d(S)
    return {"S": S}, {}, [softmax(s, 2), logsoftmax(s, 2), softmax(s, (1, 2)), logsoftmax(s, (1, 2)), softmax(s, 1)]


def case_causal_softmax(g):
    y = x = 4
    S = g.normal(y, x, scale=2.0)
    M = g.rng.random((y, x)) < 0.5
    M[1, :] = False
    M[0, 2] = True
    Q, K, V = g.normal(y, 3), g.normal(x, 3), g.normal(x, 3)
    causal = np.tril(np.ones((y, x), dtype=bool))  # x <= y
    s = d(S)
    sq = np.einsum("yk,xk->yx", d(Q), d(K)) / math.sqrt(3)
    O = masked_softmax(sq, causal) @ d(V)
    return ({"S": S, "M": M, "Q": Q, "K": K, "V": V}, {},
            [masked_softmax(s, causal), masked_softmax(s, ~causal), masked_softmax(s, M), O,
             masked_logsoftmax(s, ~causal), np.zeros((y, x))])


def case_activations(g):
    n = 19
    X = g.normal(n, scale=2.0)
    X[:6] = [0.0, -0.0, 1e-4, -6.0, 9.0, -9.0]
    P = g.uniform(0.1, 4.0, n)
    Y = g.normal(n)
    x, p, y = d(X), d(P), d(Y)
    outs = [gelu(x), gelu_tanh(x), np.maximum(x, 0), sigmoid(x), np.tanh(x), np.exp(x), np.log(p), np.sqrt(p),
            1 / np.sqrt(p), np.abs(x), np.sin(x), np.cos(x), x * sigmoid(x), erf(x),
            np.maximum(x, y), np.minimum(x, y), x / p, p**y, -x - y * 2, (x + 1) * 0.5]
    return {"X": X, "P": P, "Y": Y}, {}, outs


def case_reductions(g):
    X = g.normal(3, 4, 5)
    x = d(X)
    return {"X": X}, {}, [x.sum(0), x.mean((0, 2)), x.max(1), x.min((1, 2)), x.mean(2), x.max((0, 1)),
                          np.array(x.sum()), x.min((0, 2))]


def case_merge_split(g):
    c, h, w = 2, 3, 4
    X = g.normal(c, h, w)
    x = d(X)
    A = x.reshape(c, h * w)
    B = x.transpose(0, 2, 1).reshape(c, w * h)
    D = x.reshape(c, 3, 1, w).transpose(1, 0, 2, 3)
    E = A.reshape(c, 6, 2)
    F = x.reshape(-1).reshape(2, 12)
    G = E.transpose(0, 2, 1).reshape(c, 12)
    return {"X": X}, {}, [A, B, x, D, E, F, G]


def case_rename_reorder(g):
    X, Y = g.normal(2, 3, 4), g.normal(4, 2)
    x, yy = d(X), d(Y)
    return {"X": X, "Y": Y}, {}, [x.transpose(2, 0, 1), x.transpose(1, 2, 0), x.transpose(2, 0, 1),
                                  x + yy.T[:, None, :]]


def case_concat(g):
    A, B, C = g.normal(2, 4, 3), g.normal(3, 2, 2), g.normal(5, 3, 2)
    a, b, c = d(A), d(B), d(C)
    J = np.concatenate([a, b.transpose(2, 1, 0)], axis=1)  # [n c m]
    K = np.concatenate([b.transpose(0, 2, 1), a.transpose(2, 0, 1), c.transpose(1, 2, 0)], axis=2)  # [m n d]
    return {"A": A, "B": B, "C": C}, {}, [J, K]


def case_index_slice(g):
    X = g.normal(2, 6, 3)
    x = d(X)
    return {"X": X}, {}, [x[:, 0] + x[:, 5], x[:, 1:4], x[:, 2:6, 2].T, x[:, :, 0]]


def case_gather(g):
    v, m = 7, 4
    ids = g.rng.integers(0, v, (2, 3)).astype(np.int32)
    ids[0, 0], ids[1, 2] = 0, v - 1
    p = {"W": g.normal(v, m), "U": g.normal(m, v), "emb.W": g.normal(v, m)}
    return ({"ids": ids}, p, [d(p["W"])[ids], d(p["U"])[:, ids], d(p["emb.W"])[ids]])


def case_logic(g):
    b, t, s, v, m = 2, 3, 5, 4, 3
    S = (np.round(g.normal(b, t, s) * 2) / 2).astype(np.float32)  # steps of 0.5: ties and zeros
    S[0, 0, :] = [1.5, -0.5, 1.5, 0.0, 1.5]  # argmax tie at 0 and 2 and 4; argmin unique
    S[1, 2, :] = [-1.0, 2.0, -1.0, 0.5, 2.0]  # argmin tie at 0 and 2; argmax tie at 1 and 4
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 0, 0, 0]], dtype=np.int32)
    ids = g.rng.integers(0, v, (b, t)).astype(np.int32)
    W = g.normal(b, v, m)
    x, mk = d(S), mask[:, None, :]

    def to_i32(a):  # C's truncation toward zero, saturating at the int32 range
        return np.clip(np.trunc(a.astype(np.float32).astype(np.float64)), -2.0**31, 2.0**31 - 1)

    logic = ((x > 0) & ~(mk == 0)) | (x <= -1)
    saturated = to_i32(x * 1e10).astype(np.float32).astype(np.float64)
    outputs = [
        np.where(mk == 1, x, -1e9),
        x + (1 - mk) * -1e9,
        logic,
        to_i32(S * np.float32(2.5)),
        saturated,
        (x != 0) + (mk != 0) * np.ones_like(x),
        np.argmax(x, axis=2),
        np.argmin(x, axis=2),
        np.eye(v)[ids],
        np.take_along_axis(d(W), ids[:, :, None], axis=1),
    ]
    return {"S": S, "mask": mask, "ids": ids, "W": W}, {}, outputs


def case_conv(g):
    X, Z = g.normal(2, 3, 7, 6), g.normal(2, 9)
    p = {}
    for n, k in [("plain", 3), ("strided", 3), ("dilated", 3), ("all", 2)]:
        p[n + ".W"] = g.normal(3, k, k, 4, scale=0.4)
        p[n + ".b"] = g.normal(4)
    x = d(X)
    P = {n: d(a) for n, a in p.items()}
    outs = [conv2d(x, P["plain.W"], P["plain.b"], 1, 0, 1),
            conv2d(x, P["strided.W"], P["strided.b"], 2, 1, 1),
            conv2d(x, P["dilated.W"], P["dilated.b"], 1, 2, 2),
            conv2d(x, P["all.W"], P["all.b"], 2, 1, 3),
            window1d(d(Z), 3, 2, 2, 2)]
    return {"X": X, "Z": Z}, p, outs


def case_grouped_conv(g):
    X = g.normal(2, 4, 5, 5)
    p = {"grouped.W": g.normal(2, 2, 3, 3, 3, scale=0.4), "grouped.b": g.normal(6),
         "depthwise.W": g.normal(4, 3, 3, scale=0.4), "depthwise.b": g.normal(4),
         "depthwise_s.W": g.normal(4, 2, 2, scale=0.4), "depthwise_s.b": g.normal(4)}
    x = d(X)
    P = {n: d(a) for n, a in p.items()}
    return {"X": X}, p, [grouped_conv2d(x, P["grouped.W"], P["grouped.b"], 2, 1, 1),
                         depthwise_conv2d(x, P["depthwise.W"], P["depthwise.b"], 1, 1),
                         depthwise_conv2d(x, P["depthwise_s.W"], P["depthwise_s.b"], 2, 0)]


def case_conv_transpose(g):
    X = g.normal(2, 3, 3, 4)
    p = {"up.W": g.normal(3, 2, 2, 2, scale=0.5), "up.b": g.normal(2),
         "W2": g.normal(3, 2, 3, 3, scale=0.5), "W3": g.normal(3, 2, 2, 2, scale=0.5)}
    x = d(X)
    P = {n: d(a) for n, a in p.items()}
    return {"X": X}, p, [conv_transpose2d(x, P["up.W"], P["up.b"], stride=2),
                         conv_transpose2d(x, P["W2"], None, stride=2, pad=1, outpad=1),
                         conv_transpose2d(x, P["W3"], None, stride=1, dil=2)]


def case_pooling(g):
    X = g.normal(2, 3, 6, 7)
    x = d(X)
    return {"X": X}, {}, [pool2d(x, 2, 2, 0, np.max), pool2d(x, 3, 2, 0, np.mean), pool2d(x, 3, 2, 1, np.mean),
                          pool2d(x, 3, 1, 0, np.max)]


def case_broadcast_call(g):
    Q, K, V = g.normal(2, 4, 3), g.normal(2, 5, 3), g.normal(5, 2, 3)
    R, X = g.normal(3, 4, 3), g.normal(2, 3, 3)
    p = {"lin.W": g.normal(3, 4), "lin.b": g.normal(4)}
    A = sdpa(d(Q), d(K), d(V).transpose(1, 0, 2))
    B = sdpa(d(R), d(K)[0][None], d(V)[:, 1][None])
    L = np.einsum("btk,ko->bto", d(X), d(p["lin.W"])) + d(p["lin.b"])
    return {"Q": Q, "K": K, "V": V, "R": R, "X": X}, p, [A, B, L]


def case_mlp(g):
    X = g.normal(3, 6, 5)
    dims = [30, 12, 8, 4]
    p = {}
    for i in range(3):
        p[f"fc{i + 1}.W"] = g.normal(dims[i], dims[i + 1], scale=1 / math.sqrt(dims[i]))
        p[f"fc{i + 1}.b"] = g.normal(dims[i + 1], scale=0.1)
    h = d(X).reshape(3, 30)
    for i in range(3):
        h = h @ d(p[f"fc{i + 1}.W"]) + d(p[f"fc{i + 1}.b"])
        if i < 2:
            h = np.maximum(h, 0)
    return {"X": X}, p, [softmax(h, -1)]


def case_small_cnn(g):
    X = g.normal(2, 3, 8, 8)
    p = {"conv1.W": g.normal(3, 3, 3, 4, scale=0.3), "conv1.b": g.normal(4, scale=0.1),
         "conv2.W": g.normal(4, 3, 3, 5, scale=0.3), "conv2.b": g.normal(5, scale=0.1),
         "fc.W": g.normal(5, 3), "fc.b": g.normal(3, scale=0.1)}
    P = {n: d(a) for n, a in p.items()}
    h = conv2d(d(X), P["conv1.W"], P["conv1.b"], 1, 1)
    h = pool2d(np.maximum(h, 0), 2, 2, 0, np.max)
    h = conv2d(h, P["conv2.W"], P["conv2.b"], 1, 1)
    h = np.maximum(h, 0).mean(axis=(2, 3))
    return {"X": X}, p, [h @ P["fc.W"] + P["fc.b"]]


def case_bert_layer(g):
    b, t, m, h, f, N = 2, 5, 8, 2, 16, 2
    X = g.normal(b, t, m)
    p = {}
    for l in range(N):
        pre = f"layers.{l}.layer."
        for n in ["query", "key", "value", "dense"]:
            p[pre + n + ".W"] = g.normal(m, m, scale=1 / math.sqrt(m))
            p[pre + n + ".b"] = g.normal(m, scale=0.1)
        p[pre + "up.W"], p[pre + "up.b"] = g.normal(m, f, scale=1 / math.sqrt(m)), g.normal(f, scale=0.1)
        p[pre + "down.W"], p[pre + "down.b"] = g.normal(f, m, scale=1 / math.sqrt(f)), g.normal(m, scale=0.1)
        for n in ["ln1", "ln2"]:
            p[pre + n + ".gain"] = (1 + g.normal(m, scale=0.1)).astype(np.float32)
            p[pre + n + ".bias"] = g.normal(m, scale=0.1)
    P = {n: d(a) for n, a in p.items()}
    x = d(X)
    k = m // h
    for l in range(N):
        pre = f"layers.{l}.layer."

        def lin(v, n):
            return v @ P[pre + n + ".W"] + P[pre + n + ".b"]

        def heads(v):  # [b t m'] -> [b h t k], head major
            return v.reshape(b, t, h, k).transpose(0, 2, 1, 3)

        C = sdpa(heads(lin(x, "query")), heads(lin(x, "key")), heads(lin(x, "value")))
        C = C.transpose(0, 2, 1, 3).reshape(b, t, m)
        A = layernorm(x + lin(C, "dense"), -1, 1e-5) * P[pre + "ln1.gain"] + P[pre + "ln1.bias"]
        F = gelu(lin(A, "up"))
        x = layernorm(A + lin(F, "down"), -1, 1e-5) * P[pre + "ln2.gain"] + P[pre + "ln2.bias"]
    return {"X": X}, p, [x]


def case_layouts(g):
    a, b, c, k = 2, 3, 4, 5
    X, Y = g.normal(a, b, c), g.normal(c, a)
    A, B = g.normal(b, k, a), g.normal(k, c, b)
    M = g.rng.random((c, b)) < 0.5
    x, yy = d(X), d(Y).T[:, None, :]  # Y as [a 1 c]
    S = x + yy - x.mean(1, keepdims=True)
    P = x.transpose(1, 2, 0).reshape(b, c * a)  # p = c * a_size + a
    L = layernorm(x, (0, 2), 1e-5)
    F = softmax(x, (0, 2))
    C = np.einsum("bka,kcb->bac", d(A), d(B))
    W = np.where(M.T[None, :, :], x, yy * 2)
    Q = (x**2 + x**3 - np.abs(x) ** 0.5).transpose(2, 0, 1)
    R = np.maximum(x, yy) * np.minimum(yy, 0.25) + x.max(1, keepdims=True) / (1 + np.exp(-yy))
    return {"X": X, "Y": Y, "A": A, "B": B, "M": M}, {}, [S, P, L, F, C, W, Q, R]


def case_split_inferred_output(g):
    X = g.normal(12)
    return {"X": X}, {}, [d(X).reshape(3, 4)]


def torch_layout(case, name, a):
    """A parameter as the program declares it. The cases draw the stdlib's parameters in the
    circuit's former axis order (W [i o], conv W [ci kh kw co], …) so the draws and the
    expected outputs stay as they were; the stdlib now declares PyTorch's names and storage
    order (weight [o i], [co ci kh kw], grouped [g og cg kh kw], bias; LayerNorm weight;
    attention Wq [h k m], Wo [m h k]). Unprefixed parameters are the program's own."""
    prefix, _, last = name.rpartition(".")
    if not prefix or last == "bias":
        return name, a
    if last == "b":
        return prefix + ".bias", a
    if last == "gain":
        return prefix + ".weight", a
    if last in ("Wq", "Wk", "Wv", "Wo"):
        return name, np.ascontiguousarray(a.transpose(2, 1, 0))
    assert last == "W", name
    if case == "conv_transpose" or prefix == "emb" or a.ndim == 3:  # [ci co kh kw], [v m], [c kh kw]
        return prefix + ".weight", a
    perm = {2: (1, 0), 4: (3, 0, 1, 2), 5: (0, 4, 1, 2, 3)}[a.ndim]
    return prefix + ".weight", np.ascontiguousarray(a.transpose(perm))


CASES = {name[len("case_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    total = 0
    for name, fn in sorted(CASES.items()):
        program = os.path.join(ROOT, "Tests", "CircuitInterpreterTests", "Programs", name + ".circuit")
        assert os.path.exists(program), program
        inputs, params, outputs = fn(Gen(SEED + zlib.crc32(name.encode())))
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        for n, a in inputs.items():
            assert a.dtype in (np.float32, np.int32, np.bool_), (name, n, a.dtype)
            np.save(os.path.join(folder, f"in_{n}.npy"), a.copy(order="C"))
        if params:
            for n, a in params.items():
                assert a.dtype == np.float32, (name, n)
            write_safetensors(os.path.join(folder, "params.safetensors"),
                              dict(torch_layout(name, n, a) for n, a in params.items()))
        for j, o in enumerate(outputs):
            o = np.asarray(o, dtype=np.float64)
            assert not np.any(np.isnan(o)), (name, j)
            np.save(os.path.join(folder, f"out_{j}.npy"), o.astype(np.float32, order="C"))
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        total += size
        print(f"{name:24} {len(inputs)} inputs, {len(params):2} params, {len(outputs):2} outputs, {size:6} bytes")
    print(f"total {total} bytes")
    assert total < 2_000_000


if __name__ == "__main__":
    main()
