#!/usr/bin/env python3
"""Reference gradients of Tests/CircuitAutodiffTests/Fixtures/mlp_mse.circuit.

Hand-written backpropagation in float64 numpy, independent of the compiler. Inputs and
parameters are drawn in float32 (what the compiler reads) and used exactly in float64.
Writes Tests/CircuitAutodiffTests/Fixtures/mlp_mse/*.npy: X, T, W1, b1, W2, b2 (float32) and
loss, dW1, db1, dW2, db2 (float64). Run from the package root: python3 scripts/mlp_mse_gradients.py
"""
import os
import numpy as np

B, I, H, O = 5, 7, 9, 3
OUT = "Tests/CircuitAutodiffTests/Fixtures/mlp_mse"

rng = np.random.default_rng(13)
f32 = {
    "X": rng.normal(size=(B, I)),
    "T": rng.normal(size=(B, O)),
    "W1": rng.uniform(-1, 1, size=(I, H)) / np.sqrt(I),
    "b1": rng.uniform(-1, 1, size=(H,)) / np.sqrt(I),
    "W2": rng.uniform(-1, 1, size=(H, O)) / np.sqrt(H),
    "b2": rng.uniform(-1, 1, size=(O,)) / np.sqrt(H),
}
f32 = {k: v.astype(np.float32) for k, v in f32.items()}
X, T, W1, b1, W2, b2 = (f32[k].astype(np.float64) for k in ["X", "T", "W1", "b1", "W2", "b2"])

# Forward.
Z = X @ W1 + b1            # [b h]
Hid = np.maximum(Z, 0)     # relu
Y = Hid @ W2 + b2          # [b o]
D = Y - T
loss = np.mean(D * D)
assert np.min(np.abs(Z)) > 1e-3, "a pre-activation is too close to relu's kink"

# Backward.
dY = 2 * D / D.size
dW2 = Hid.T @ dY
db2 = dY.sum(axis=0)
dHid = dY @ W2.T
dZ = dHid * (Z > 0)
dW1 = X.T @ dZ
db1 = dZ.sum(axis=0)

os.makedirs(OUT, exist_ok=True)
for k, v in f32.items():
    np.save(os.path.join(OUT, k + ".npy"), v)
for k, v in {"loss": np.array(loss), "dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}.items():
    np.save(os.path.join(OUT, k + ".npy"), v.astype(np.float64))
print("loss", loss)
