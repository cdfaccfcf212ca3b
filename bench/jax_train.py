#!/usr/bin/env python3
"""bench/jax_train.py — one training step (forward, backward, SGD update) in JAX on the CPU:
jax.jit of value_and_grad plus the update, for the three workloads of bench/train_compare.sh
(the same shapes and losses as bench/train_{mlp,bert,conv}.circuit).

Prints one line per workload:
  <name> jax <median ms> ms/step (min <ms>, <n> steps) temp <bytes> bytes
where `temp` is XLA's temporary allocation of the compiled step (memory_analysis), the
memory its backward pass holds beside the arguments and outputs.

Usage: python3 bench/jax_train.py [--steps N] [mlp] [bert] [conv]
Installs jax with pip (user site) if it is missing: a benchmark-only dependency.
"""
import os
import subprocess
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
try:
    import jax
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--user", "jax[cpu]"])
    import site, importlib
    importlib.reload(site)
    import jax
import jax.numpy as jnp
import numpy as np

LR = 0.01


def linear(p, name, x):
    return x @ p[name + ".weight"].T + p[name + ".bias"]


def layer_norm(p, name, x):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / jnp.sqrt(var + 1e-5) * p[name + ".weight"] + p[name + ".bias"]


def uniform(key, shape, fan_in):
    bound = 1 / np.sqrt(fan_in)
    return jax.random.uniform(key, shape, jnp.float32, -bound, bound)


def mlp():
    ks = jax.random.split(jax.random.PRNGKey(0), 8)
    sizes = [("fc1", 784, 512), ("fc2", 512, 512), ("fc3", 512, 10)]
    p = {}
    for j, (n, i, o) in enumerate(sizes):
        p[n + ".weight"] = uniform(ks[2 * j], (o, i), i)
        p[n + ".bias"] = uniform(ks[2 * j + 1], (o,), i)
    x = jax.random.uniform(ks[6], (256, 28, 28), jnp.float32)
    y = jax.nn.one_hot(jax.random.randint(ks[7], (256,), 0, 10), 10)

    def loss(p, x, y):
        h = x.reshape(256, 784)
        h = jax.nn.relu(linear(p, "fc1", h))
        h = jax.nn.relu(linear(p, "fc2", h))
        z = linear(p, "fc3", h)
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(z, -1), -1))

    return loss, p, (x, y)


def bert():
    b, t, m, h, k, f = 8, 128, 384, 12, 32, 1536
    ks = iter(jax.random.split(jax.random.PRNGKey(1), 16))
    p = {}
    for n, i, o in [("query", m, m), ("key", m, m), ("value", m, m), ("dense", m, m),
                    ("intermediate", m, f), ("output", f, m)]:
        p[n + ".weight"] = uniform(next(ks), (o, i), i)
        p[n + ".bias"] = uniform(next(ks), (o,), i)
    for n in ["norm1", "norm2"]:
        p[n + ".weight"] = jnp.ones((m,), jnp.float32)
        p[n + ".bias"] = jnp.zeros((m,), jnp.float32)
    x = jax.random.normal(next(ks), (b, t, m), jnp.float32)
    target = jax.random.normal(next(ks), (b, t, m), jnp.float32)

    def loss(p, x, target):
        q = linear(p, "query", x).reshape(b, t, h, k)
        kk = linear(p, "key", x).reshape(b, t, h, k)
        v = linear(p, "value", x).reshape(b, t, h, k)
        s = jnp.einsum("bthk,bshk->bhts", q, kk) * k ** -0.5
        a = jax.nn.softmax(s, -1)
        c = jnp.einsum("bhts,bshk->bthk", a, v).reshape(b, t, m)
        a1 = layer_norm(p, "norm1", x + linear(p, "dense", c))
        ff = jax.nn.gelu(linear(p, "intermediate", a1), approximate=False)
        out = layer_norm(p, "norm2", a1 + linear(p, "output", ff))
        return jnp.mean((out - target) ** 2)

    return loss, p, (x, target)


def conv():
    b, c, co, n = 8, 64, 64, 56
    ks = jax.random.split(jax.random.PRNGKey(2), 4)
    p = {"conv.weight": uniform(ks[0], (co, c, 3, 3), c * 9), "conv.bias": uniform(ks[1], (co,), c * 9)}
    x = jax.random.normal(ks[2], (b, c, n, n), jnp.float32)
    target = jax.random.normal(ks[3], (b, co, n, n), jnp.float32)

    def loss(p, x, target):
        y = jax.lax.conv_general_dilated(x, p["conv.weight"], (1, 1), ((1, 1), (1, 1)),
                                         dimension_numbers=("NCHW", "OIHW", "NCHW"))
        y = jax.nn.relu(y + p["conv.bias"][None, :, None, None])
        return jnp.mean((y - target) ** 2)

    return loss, p, (x, target)


def run(name, make, steps):
    loss, p, data = make()

    def step(p, *data):
        value, grads = jax.value_and_grad(loss)(p, *data)
        return value, jax.tree_util.tree_map(lambda w, g: w - LR * g, p, grads)

    jitted = jax.jit(step, donate_argnums=0)
    compiled = jitted.lower(p, *data).compile()
    temp = -1
    try:
        temp = compiled.memory_analysis().temp_size_in_bytes
    except Exception:
        pass
    for _ in range(3):
        value, p = jitted(p, *data)
    jax.block_until_ready(p)
    times = []
    begin = time.perf_counter()
    while len(times) < steps and (len(times) < 5 or time.perf_counter() - begin < 20):
        t0 = time.perf_counter()
        value, p = jitted(p, *data)
        jax.block_until_ready(p)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"{name} jax {np.median(times) * 1e3:.3f} ms/step (min {times[0] * 1e3:.3f}, {len(times)} steps) "
          f"temp {temp} bytes  loss {float(value):.5f}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    steps = 20
    if "--steps" in args:
        i = args.index("--steps")
        steps = int(args[i + 1])
        del args[i:i + 2]
    print("jax", jax.__version__, "devices", jax.devices(), flush=True)
    for name in args or ["mlp", "bert", "conv"]:
        run(name, {"mlp": mlp, "bert": bert, "conv": conv}[name], steps)
