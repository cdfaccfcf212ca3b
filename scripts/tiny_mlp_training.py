#!/usr/bin/env python3
"""Reference training run for Tests/CircuitTrainingTests/Fixtures/tiny_mlp.circuit.

An independent float64 numpy implementation (hand-written forward, backprop and PyTorch's
SGD with momentum 0.9 and weight decay 0.01, lr 0.1): 18 examples in file order, batches of 4
(the last of 2 kept, its loss its own mean), 4 epochs = 20 steps, from fixed initial weights.
Inputs and initial weights are drawn in float32 (what the compiler reads) and used exactly
in float64. Writes Tests/CircuitTrainingTests/Fixtures/tiny_mlp/: data.npz (X, Y), init.npz
(W1, b1, W2, b2), losses.npy (the 20 batch losses before each update) and final.npz (the
weights after the last update, float64).
Run from the package root: python3 scripts/tiny_mlp_training.py
"""
import os
import numpy as np

N, I, H, K = 18, 5, 6, 3
BATCH, EPOCHS, LR, MOMENTUM, DECAY = 4, 4, 0.1, 0.9, 0.01
OUT = "Tests/CircuitTrainingTests/Fixtures/tiny_mlp"

rng = np.random.default_rng(2)
X = rng.normal(size=(N, I)).astype(np.float32)
Y = np.eye(K, dtype=np.float32)[rng.integers(0, K, size=N)]
init = {
    "W1": rng.uniform(-1, 1, size=(I, H)) / np.sqrt(I),
    "b1": rng.uniform(-1, 1, size=(H,)) / np.sqrt(I),
    "W2": rng.uniform(-1, 1, size=(H, K)) / np.sqrt(H),
    "b2": rng.uniform(-1, 1, size=(K,)) / np.sqrt(H),
}
init = {k: v.astype(np.float32) for k, v in init.items()}
p = {k: v.astype(np.float64) for k, v in init.items()}
buf = {}
losses = []
closest = np.inf
for epoch in range(EPOCHS):
    for start in range(0, N, BATCH):
        x, y = X[start:start + BATCH].astype(np.float64), Y[start:start + BATCH].astype(np.float64)
        n = len(x)
        a = x @ p["W1"] + p["b1"]
        closest = min(closest, np.min(np.abs(a)))
        h = np.maximum(a, 0)
        z = h @ p["W2"] + p["b2"]
        z0 = z - z.max(axis=1, keepdims=True)
        logsm = z0 - np.log(np.exp(z0).sum(axis=1, keepdims=True))
        losses.append(-np.mean(np.sum(y * logsm, axis=1)))
        dz = (np.exp(logsm) - y) / n
        g = {"W2": h.T @ dz, "b2": dz.sum(axis=0)}
        da = (dz @ p["W2"].T) * (a > 0)
        g["W1"] = x.T @ da
        g["b1"] = da.sum(axis=0)
        for k in p:  # torch.optim.SGD(momentum=0.9, weight_decay=0.01, dampening=0)
            d = g[k] + DECAY * p[k]
            buf[k] = d.copy() if k not in buf else MOMENTUM * buf[k] + d
            p[k] = p[k] - LR * buf[k]
assert closest > 1e-3, "a pre-activation came too close to relu's kink"

os.makedirs(OUT, exist_ok=True)
np.savez(os.path.join(OUT, "data.npz"), X=X, Y=Y)
np.savez(os.path.join(OUT, "init.npz"), **init)
np.save(os.path.join(OUT, "losses.npy"), np.array(losses))
np.savez(os.path.join(OUT, "final.npz"), **p)
print("steps", len(losses), "first loss", losses[0], "last loss", losses[-1], "closest pre-activation", closest)
