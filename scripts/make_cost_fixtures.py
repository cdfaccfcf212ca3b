#!/usr/bin/env python3
"""XLA's cost analysis of the functions `circuit cost` counts, written in JAX.

Writes Tests/CircuitCostTests/Fixtures/xla_cost.json: for each case, the FLOPs and
transcendental calls of `jax.jit(f).lower(...).compile().cost_analysis()` (XLA's
HloCostAnalysis on the optimised CPU module, float32), for the whole function and for its
contractions alone (the `dots` functions), at the sizes of the circuit file named.

XLA's conventions (compared in CostAgreementTests):
- a dot or convolution costs 2 x the product of all its axes, as circuit counts contractions;
- every other elementwise op costs 1 flop per element, comparisons and max included (circuit
  counts those as comparisons, apart from FLOPs);
- exp, log, tanh, erf, rsqrt, pow... count as transcendentals, like circuit;
- a reduction costs about one flop per input element (circuit: n_in - n_out);
- erf is expanded into a polynomial whose arithmetic XLA counts: an exact GELU is 64 flops +
  1 transcendental per element (circuit: 4 + 1);
- a padded convolution's taps on the zero border are not counted (circuit counts them);
- the optimiser may fold or simplify (a scale by a constant folded into a dot's operand,
  softmax's subtraction fused), so whole-function totals agree to a few percent, not exactly.

Usage: python3 scripts/make_cost_fixtures.py   (needs jax; from the package root)
"""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_platform_name", "cpu")


def cost(f, *shapes):
    args = [jnp.zeros(s, jnp.float32) for s in shapes]
    c = jax.jit(f).lower(*args).compile().cost_analysis()
    if isinstance(c, list):
        c = c[0]
    return {"flops": int(round(c.get("flops", 0))), "transcendentals": int(round(c.get("transcendentals", 0)))}


def linear():
    b, i, o = 3, 5, 7
    f = lambda x, w: jnp.einsum("bi,oi->bo", x, w)
    return {"file": "Tests/CircuitCostTests/Programs/linear.circuit", "sizes": {"b": b, "i": i, "o": o},
            "all": cost(f, (b, i), (o, i)), "dots": cost(f, (b, i), (o, i))}


def mlp():
    b, p, f, g, k = 8, 784, 512, 512, 10

    def full(x, w1, b1, w2, b2, w3, b3):
        h = x.reshape(b, p) @ w1.T + b1
        h = jax.nn.relu(h) @ w2.T + b2
        return jax.nn.softmax(jax.nn.relu(h) @ w3.T + b3, axis=-1)

    def dots(x, w1, w2, w3, h1, h2):
        return x.reshape(b, p) @ w1.T, h1 @ w2.T, h2 @ w3.T

    return {"file": "examples/mlp.circuit", "sizes": {"b": b, "f": f, "g": g, "k": k},
            "all": cost(full, (b, 28, 28), (f, p), (f,), (g, f), (g,), (k, g), (k,)),
            "dots": cost(dots, (b, 28, 28), (f, p), (g, f), (k, g), (b, f), (b, g))}


def attention():
    b, y, x, k = 2, 20, 22, 16

    def full(q, kk, v):
        s = jnp.einsum("byk,bxk->byx", q, kk) * (k ** -0.5)
        return jnp.einsum("byx,bxk->byk", jax.nn.softmax(s, axis=-1), v)

    def dots(q, kk, a, v):
        return jnp.einsum("byk,bxk->byx", q, kk), jnp.einsum("byx,bxk->byk", a, v)

    return {"file": "examples/attention.circuit", "sizes": {"b": b, "y": y, "x": x, "k": k},
            "all": cost(full, (b, y, k), (b, x, k), (b, x, k)),
            "dots": cost(dots, (b, y, k), (b, x, k), (b, y, x), (b, x, k))}


def conv3x3():
    b, c, co, h, w = 1, 64, 64, 56, 56

    def conv(x, wt):
        return jax.lax.conv_general_dilated(x, wt, (1, 1), ((1, 1), (1, 1)),
                                            dimension_numbers=("NCHW", "OIHW", "NCHW"))

    full = lambda x, wt, bias: conv(x, wt) + bias[None, :, None, None]
    return {"file": "bench/conv3x3.circuit", "sizes": {"b": b, "c": c, "co": co},
            "all": cost(full, (b, c, h, w), (co, c, 3, 3), (co,)), "dots": cost(conv, (b, c, h, w), (co, c, 3, 3))}


def bert_layer():
    t, m, h, f = 128, 384, 12, 1536
    k = m // h

    def ln(x, g, bb):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) * jax.lax.rsqrt(var + 1e-5) * g + bb

    def full(x, wq, bq, wk, bk, wv, bv, wd, bd, g1, c1, wi, bi, wo, bo, g2, c2):
        q = (x @ wq.T + bq).reshape(t, h, k)
        kk = (x @ wk.T + bk).reshape(t, h, k)
        v = (x @ wv.T + bv).reshape(t, h, k)
        s = jnp.einsum("thk,shk->hts", q, kk) * (k ** -0.5)
        ctx = jnp.einsum("hts,shk->thk", jax.nn.softmax(s, axis=-1), v).reshape(t, m)
        a = ln(x + ctx @ wd.T + bd, g1, c1)
        ff = jax.nn.gelu(a @ wi.T + bi, approximate=False) @ wo.T + bo
        return ln(a + ff, g2, c2)

    def dots(x, wq, wk, wv, q, kk, p, v, c, wd, a, wi, ff, wo):
        return (x @ wq.T, x @ wk.T, x @ wv.T, jnp.einsum("thk,shk->hts", q, kk),
                jnp.einsum("hts,shk->thk", p, v), c @ wd.T, a @ wi.T, ff @ wo.T)

    sq = (m, m)
    return {"file": "bench/bert_layer.circuit", "sizes": {"t": t, "m": m, "h": h, "f": f},
            "all": cost(full, (t, m), sq, (m,), sq, (m,), sq, (m,), sq, (m,), (m,), (m,), (f, m), (f,), (m, f), (m,),
                        (m,), (m,)),
            "dots": cost(dots, (t, m), sq, sq, sq, (t, h, k), (t, h, k), (h, t, t), (t, h, k), (t, m), sq, (t, m),
                         (f, m), (t, f), (m, f))}


def main():
    cases = {"linear": linear(), "mlp": mlp(), "attention": attention(), "conv3x3": conv3x3(),
             "bert_layer": bert_layer()}
    out = {"generator": "scripts/make_cost_fixtures.py", "jax": jax.__version__, "cases": cases}
    path = "Tests/CircuitCostTests/Fixtures/xla_cost.json"
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)
    for name, c in cases.items():
        print(name, c["all"], "dots", c["dots"])


if __name__ == "__main__":
    main()
