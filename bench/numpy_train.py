#!/usr/bin/env python3
"""bench/numpy_train.py — one training step of bench/train_mlp.circuit written by hand in numpy:
the 784-512-512-10 MLP with ReLUs, batch 256, softmax cross-entropy on one-hot targets, the
forward pass, the hand-written backward pass and an SGD update at lr 0.01, all in float32.

This is the reference the interpreter is measured against (issue: "the interpreter within 2×
of a numpy hand-written backprop on the MLP"). Prints one line:
  mlp numpy <median ms> ms/step (min <ms>, <n> steps)
and, with --check, verifies the backward pass against central finite differences (float64) on a
small copy of the network first.

Usage: python3 bench/numpy_train.py [--steps N] [--check]
"""
import sys
import time

import numpy as np

LR = 0.01
SIZES = dict(b=256, p=784, f=512, g=512, k=10)


def init(rng, s, dtype=np.float32):
    """PyTorch-style uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights [out in] and biases [out]."""
    p = {}
    for name, i, o in (("fc1", s["p"], s["f"]), ("fc2", s["f"], s["g"]), ("fc3", s["g"], s["k"])):
        bound = 1 / np.sqrt(i)
        p[name + ".weight"] = rng.uniform(-bound, bound, (o, i)).astype(dtype)
        p[name + ".bias"] = rng.uniform(-bound, bound, (o,)).astype(dtype)
    return p


def loss_and_grads(p, x, y):
    """The mean softmax cross-entropy and d loss / d every parameter, by hand."""
    b = x.shape[0]
    h1 = x @ p["fc1.weight"].T + p["fc1.bias"]
    r1 = np.maximum(h1, 0)
    h2 = r1 @ p["fc2.weight"].T + p["fc2.bias"]
    r2 = np.maximum(h2, 0)
    z = r2 @ p["fc3.weight"].T + p["fc3.bias"]
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    s = e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.sum(y * (z - m - np.log(s)), axis=1))
    dz = (e / s * y.sum(axis=1, keepdims=True) - y) / b
    g = {"fc3.weight": dz.T @ r2, "fc3.bias": dz.sum(axis=0)}
    dh2 = (dz @ p["fc3.weight"]) * (h2 > 0)
    g["fc2.weight"], g["fc2.bias"] = dh2.T @ r1, dh2.sum(axis=0)
    dh1 = (dh2 @ p["fc2.weight"]) * (h1 > 0)
    g["fc1.weight"], g["fc1.bias"] = dh1.T @ x, dh1.sum(axis=0)
    return loss, g


def step(p, x, y):
    """One SGD step in place; returns the loss."""
    loss, g = loss_and_grads(p, x, y)
    for name in p:
        p[name] -= LR * g[name]
    return loss


def check():
    """The hand-written gradients against central differences on a small float64 network."""
    rng = np.random.default_rng(1)
    s = dict(b=3, p=5, f=4, g=6, k=3)
    p = init(rng, s, np.float64)
    x = rng.normal(size=(s["b"], s["p"]))
    y = np.eye(s["k"])[rng.integers(0, s["k"], s["b"])]
    _, g = loss_and_grads(p, x, y)
    worst = 0.0
    for name, w in p.items():
        for i in np.ndindex(w.shape):
            saved = w[i]
            w[i] = saved + 1e-6
            up = loss_and_grads(p, x, y)[0]
            w[i] = saved - 1e-6
            down = loss_and_grads(p, x, y)[0]
            w[i] = saved
            worst = max(worst, abs((up - down) / 2e-6 - g[name][i]))
    assert worst < 1e-7, worst
    print(f"backward pass matches central differences (max abs error {worst:.1e})")


def main():
    steps = int(sys.argv[sys.argv.index("--steps") + 1]) if "--steps" in sys.argv else 20
    if "--check" in sys.argv:
        check()
    rng = np.random.default_rng(0)
    p = init(rng, SIZES)
    x = rng.uniform(0, 1, (SIZES["b"], SIZES["p"])).astype(np.float32)
    y = np.eye(SIZES["k"], dtype=np.float32)[rng.integers(0, SIZES["k"], SIZES["b"])]
    step(p, x, y)  # warm-up
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step(p, x, y)
        times.append((time.perf_counter() - start) * 1000)
    print(f"mlp numpy {np.median(times):.3f} ms/step (min {min(times):.3f}, {steps} steps)")


if __name__ == "__main__":
    main()
