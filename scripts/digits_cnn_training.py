#!/usr/bin/env python3
"""Reference SGD run of examples/digits_cnn_train.circuit, written in JAX (float64).

The architecture written out by hand (not from the compiler's IR): conv 3x3 (1 -> 5, padding
1) - ReLU - max pool 2 - conv 3x3 (5 -> 7, padding 1) - ReLU - max pool 2 - flatten (c, h, w) -
linear 28 -> 10, softmax cross-entropy with one-hot targets (mean over the batch), from fixed
float32 initial weights in the circuit's parameter layouts (`conv1.weight [co kh kw]`,
`conv2.weight [co ci kh kw]`, `fc.weight [o i]`), plain SGD (lr 0.1, no momentum, no weight
decay), the first 40 training images in file order, batches of 8: 5 steps. Writes
Tests/CircuitTrainingTests/Fixtures/digits_cnn/: data.npz (X, Y), init.npz, losses.npy (the
batch losses before each update, float64) and final.npz (the weights after the last step).
Run from the package root: pip install jax numpy && python3 scripts/digits_cnn_training.py
"""
import os

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

C1, C2, K, N, BATCH, LR = 5, 7, 10, 40, 8, 0.1
OUT = "Tests/CircuitTrainingTests/Fixtures/digits_cnn"

data = np.load("examples/data/digits_train.npz")
X, Y = data["X"][:N].astype(np.float32), data["Y"][:N].astype(np.float32)
rng = np.random.default_rng(5)
init = {
    "conv1.weight": rng.uniform(-1, 1, size=(C1, 3, 3)) / 3,
    "conv1.bias": rng.uniform(-1, 1, size=(C1,)) / 3,
    "conv2.weight": rng.uniform(-1, 1, size=(C2, C1, 3, 3)) / np.sqrt(9 * C1),
    "conv2.bias": rng.uniform(-1, 1, size=(C2,)) / np.sqrt(9 * C1),
    "fc.weight": rng.uniform(-1, 1, size=(K, 4 * C2)) / np.sqrt(4 * C2),
    "fc.bias": rng.uniform(-1, 1, size=(K,)) / np.sqrt(4 * C2),
}
init = {k: v.astype(np.float32) for k, v in init.items()}


def conv(x, w, b):
    """x [n ci h w], w [co ci 3 3]: 'same' 3x3 cross-correlation (PyTorch's Conv2d)."""
    y = jax.lax.conv_general_dilated(x, w, (1, 1), ((1, 1), (1, 1)), dimension_numbers=("NCHW", "OIHW", "NCHW"))
    return y + b[None, :, None, None]


def pool(x):
    """2x2 max pooling, stride 2."""
    n, c, h, w = x.shape
    return jnp.max(x.reshape(n, c, h // 2, 2, w // 2, 2), axis=(3, 5))


def loss(p, x, y):
    a = pool(jax.nn.relu(conv(x[:, None], p["conv1.weight"][:, None], p["conv1.bias"])))
    a = pool(jax.nn.relu(conv(a, p["conv2.weight"], p["conv2.bias"])))
    z = a.reshape(a.shape[0], -1) @ p["fc.weight"].T + p["fc.bias"]
    return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(z, axis=1), axis=1))


p = {k: jnp.asarray(v, dtype=jnp.float64) for k, v in init.items()}
losses = []
for start in range(0, N, BATCH):
    x, y = jnp.asarray(X[start:start + BATCH], jnp.float64), jnp.asarray(Y[start:start + BATCH], jnp.float64)
    value, g = jax.value_and_grad(loss)(p, x, y)
    losses.append(float(value))
    p = {k: p[k] - LR * g[k] for k in p}

os.makedirs(OUT, exist_ok=True)
np.savez(os.path.join(OUT, "data.npz"), X=X, Y=Y)
np.savez(os.path.join(OUT, "init.npz"), **init)
np.save(os.path.join(OUT, "losses.npy"), np.array(losses))
np.savez(os.path.join(OUT, "final.npz"), **{k: np.asarray(v) for k, v in p.items()})
print("steps", len(losses), "losses", losses)
