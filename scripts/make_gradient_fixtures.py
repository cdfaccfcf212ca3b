#!/usr/bin/env python3
"""Reference gradients of every example and stdlib entry circuit, by JAX in float64.

For each file below, at small odd sizes, the script asks the built tool for the entry's IR
(`circuit dump-ir FILE --size ...`, the function after the standard passes that the tests
differentiate), evaluates that IR with an interpreter written here in JAX (each op from its
definition in Sources/CircuitIR/Op.swift and TypeRules.swift: nothing of the gradient rules of
Sources/CircuitAutodiff), and lets `jax.grad` differentiate

    loss = sum over the f32 outputs k of sum(output_k * R_k)

for fixed random weights R_k, so any circuit becomes a scalar loss without editing it. Values
are drawn in float32 (what the compiler reads) and used exactly in float64
(`jax_enable_x64`). Max reductions are `jnp.max` (JAX splits ties evenly; the drawn values
have no ties that reach a parameter).

Writes Tests/CircuitAutodiffTests/Fixtures/gradients/<case>.npz with `input/<name>`,
`param/<name>`, `weight/<k>` (float32 or int32), `grad/<param>`, `dinput/<name>` and `loss`
(float64), `f32error/grad/<param>` and `f32error/dinput/<name>` (the relative error of the same
gradient computed by JAX in float32: the test's tolerance where float32 cannot reach 1e-5), and <case>.ir (the IR text without source locations, which the test compares with
its own lowering so that a stale fixture is reported as such).

Run from the package root after `swift build`:
    pip install jax numpy && python3 scripts/make_gradient_fixtures.py
"""
import math
import os
import re
import subprocess
import sys

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import numpy as np

jax.config.update("jax_enable_x64", True)

OUT = "Tests/CircuitAutodiffTests/Fixtures/gradients"
TOOL = os.environ.get("CIRCUIT", ".build/debug/circuit")

# (case name, file, --size overrides): every file of examples/ and stdlib/, small odd sizes.
CASES = [
    ("attention", "examples/attention.circuit", ["b=3", "y=5", "x=7", "k=5"]),
    ("bert", "examples/bert.circuit", ["b=2", "t=5", "m=12", "f=13"]),
    ("convolutions", "examples/convolutions.circuit", ["b=2", "c=4", "d=8", "e=3"]),
    ("digits_train", "examples/digits_train.circuit", ["b=5", "h=13"]),
    ("digits_cnn_train", "examples/digits_cnn_train.circuit", ["b=3", "c1=5", "c2=7"]),
    ("mlp", "examples/mlp.circuit", ["b=5", "f=13", "g=11"]),
    ("multihead_attention", "examples/multihead_attention.circuit", ["y=5", "x=7", "m=12", "k=5", "h=3"]),
    ("resnet", "examples/resnet.circuit", ["b=2", "N=2", "n1=4", "n2=8", "n3=8", "n4=12"]),
    ("small_cnn", "examples/small_cnn.circuit", ["b=2", "c1=5", "c2=7"]),
    ("transformer", "examples/transformer.circuit", ["b=2", "x=5", "y=7", "m=12", "k=5", "f=13"]),
    ("transformer_encoder_layer", "examples/transformer_encoder_layer.circuit", ["b=2", "t=5", "m=12", "k=5", "f=13"]),
    ("unet", "examples/unet.circuit", ["r=1", "w0=3"]),
    ("visual_attention", "examples/visual_attention.circuit", ["c=5", "k=3", "kk=3", "s=3", "h=4"]),
    ("stdlib_attention", "stdlib/attention.circuit", ["y=5", "x=7", "k=5", "m=13"]),
    ("stdlib_losses", "stdlib/losses.circuit", []),
    ("stdlib_nn", "stdlib/nn.circuit", ["h=5", "w=7", "b=3"]),
    ("stdlib_transformer", "stdlib/transformer.circuit", ["x=5", "y=7", "m=12", "k=5", "f=13"]),
]


# MARK: parsing `dump-ir` text

TYPE = re.compile(r"(f32|i32|bool)\[([^\]]*)\]")


def parse_type(text):
    """`f32[b=3 h=5]` -> ("f32", [("b", 3), ("h", 5)])."""
    m = TYPE.fullmatch(text.strip())
    assert m, text
    axes = [(a.split("=")[0], int(a.split("=")[1])) for a in m.group(2).split()]
    return m.group(1), axes


def parse_ir(text):
    """The function: inputs, parameters, instructions (op name, attribute text, rest, type), outputs."""
    lines = text.splitlines()
    header = lines[0]
    m = re.match(r"func (\S+)\((.*)\) -> \((.*)\)$", header)
    assert m, header
    inputs = []
    for part in re.findall(r"([^\s,:]+): ((?:f32|i32|bool)\[[^\]]*\])", m.group(2)):
        inputs.append((part[0], parse_type(part[1])))
    params, instructions, outputs = [], [], []
    for line in lines[1:]:
        line = line.split("  //")[0].rstrip()
        if line.startswith("  param "):
            name, ty = line[len("  param "):].rsplit(": ", 1)
            params.append((name, parse_type(ty)))
        elif line.startswith("  return"):
            outputs = [int(v) for v in re.findall(r"%(\d+)", line)]
        elif line.startswith("  %"):
            m = re.match(r"  %(\d+) = (.*) : ((?:f32|i32|bool)\[[^\]]*\])$", line)
            assert m, line
            assert int(m.group(1)) == len(instructions)
            body = m.group(2)
            op = re.match(r"[a-z_]+", body).group(0)
            rest = body[len(op):]
            attrs = ""
            if rest.startswith("["):
                depth, end = 0, 0
                for i, ch in enumerate(rest):
                    depth += {"[": 1, "]": -1}.get(ch, 0)
                    if depth == 0:
                        end = i
                        break
                attrs, rest = rest[1:end], rest[end + 1:]
            instructions.append((op, attrs, rest.strip(), parse_type(m.group(3))))
    return inputs, params, instructions, outputs


def stripped(text):
    """The IR text without source locations and regions (what the test compares)."""
    return "\n".join(line.split("  //")[0].rstrip() for line in text.splitlines()) + "\n"


# MARK: the interpreter: named-axis values (array, [axis names])


def operands(rest):
    return [int(v) for v in re.findall(r"%(\d+)", rest)]


def to_order(value, names):
    """`value` with its axes permuted to `names` (all of them, no others)."""
    x, axes = value
    assert sorted(axes) == sorted(names), (axes, names)
    return jnp.transpose(x, [axes.index(n) for n in names]) if axes != names else x


def broadcast_to(value, names, sizes):
    """`value` broadcast by name to the axes `names` with `sizes`."""
    x, axes = value
    missing = [n for n in names if n not in axes]
    x = jnp.reshape(x, x.shape + (1,) * len(missing))
    x = to_order((x, axes + missing), names)
    return jnp.broadcast_to(x, sizes)


def union(*values):
    names, sizes = [], []
    for x, axes in values:
        for n, s in zip(axes, x.shape):
            if n not in names:
                names.append(n)
                sizes.append(s)
    return names, tuple(sizes)


GELU_C = math.sqrt(2 / math.pi)
UNARY = {
    "neg": lambda x: -x,
    "relu": lambda x: jnp.maximum(x, 0),
    "gelu": lambda x: x * 0.5 * (1 + jsp.erf(x / math.sqrt(2))),
    "gelu_tanh": lambda x: 0.5 * x * (1 + jnp.tanh(GELU_C * (x + 0.044715 * x ** 3))),
    "exp": jnp.exp, "log": jnp.log, "tanh": jnp.tanh, "sigmoid": jax.nn.sigmoid,
    "sqrt": jnp.sqrt, "rsqrt": lambda x: 1 / jnp.sqrt(x), "abs": jnp.abs, "sin": jnp.sin,
    "cos": jnp.cos, "silu": lambda x: x * jax.nn.sigmoid(x), "erf": jsp.erf, "sign": jnp.sign,
}
BINARY = {
    "add": jnp.add, "sub": jnp.subtract, "mul": jnp.multiply, "div": jnp.divide,
    "pow": jnp.power, "max": jnp.maximum, "min": jnp.minimum,
    "eq": jnp.equal, "ne": jnp.not_equal, "lt": jnp.less, "le": jnp.less_equal,
    "gt": jnp.greater, "ge": jnp.greater_equal,
}
ARG_REDUCE = {"argmax": jnp.argmax, "argmin": jnp.argmin}
CONVERT = {"f32": jnp.float64, "i32": jnp.int32, "bool": jnp.bool_}
REDUCE = {"sum": jnp.sum, "mean": jnp.mean, "max": jnp.max, "min": jnp.min}


def window_axis(x, axes, input_axis, grid, window, size, stride, pad, dilation):
    """Sliding windows of one axis: out[.., grid=g, .., window=k] = x[input = g*stride - pad + k*dilation]."""
    pos = axes.index(input_axis)
    n_in = x.shape[pos]
    n = (n_in + 2 * pad - dilation * (size - 1) - 1) // stride + 1
    padded = jnp.pad(x, [(pad, pad) if i == pos else (0, 0) for i in range(x.ndim)])
    index = np.arange(n)[:, None] * stride + np.arange(size)[None, :] * dilation  # [grid, window]
    taken = jnp.take(padded, index.reshape(-1), axis=pos)
    taken = jnp.reshape(taken, x.shape[:pos] + (n, size) + x.shape[pos + 1:])
    axes = axes[:pos] + [grid, window] + axes[pos + 1:]
    return taken, axes


def unwindow_axis(x, axes, grid, window, output, stride, pad, dilation, outpad):
    """The transpose of `window_axis`: out[output = g*stride - pad + k*dilation] += x[g, k]."""
    x = to_order((x, axes), [grid, window] + [a for a in axes if a not in (grid, window)])
    rest = [a for a in axes if a not in (grid, window)]
    g, k = x.shape[0], x.shape[1]
    n = (g - 1) * stride - 2 * pad + dilation * (k - 1) + outpad + 1
    target = np.arange(g)[:, None] * stride - pad + np.arange(k)[None, :] * dilation
    onehot = (target[:, :, None] == np.arange(n)[None, None, :]).astype(np.float64)  # [g, k, n]
    out = jnp.tensordot(onehot, x, axes=([0, 1], [0, 1]))  # [n, rest...]
    return out, [output] + rest


def evaluate(ir, inputs, params):
    """The outputs of the IR function as named-axis values."""
    ir_inputs, _, instructions, outputs = ir
    values = []
    for op, attrs, rest, (element, out_axes) in instructions:
        names = [a for a, _ in out_axes]
        sizes = tuple(s for _, s in out_axes)
        xs = [values[i] for i in operands(rest)]
        if op == "input":
            name = re.search(r"'(.*)'", rest).group(1)
            v = (inputs[name], names)
        elif op == "param":
            v = (params[re.search(r"'(.*)'", rest).group(1)], names)
        elif op == "const":
            v = (jnp.asarray(float(rest), dtype=jnp.float64), [])
        elif op == "arange":
            v = (jnp.arange(sizes[0], dtype=jnp.float64), names)
        elif op == "causal":
            row, col = attrs.split()
            n_row, n_col = dict(out_axes)[row], dict(out_axes)[col]
            v = (jnp.asarray(np.arange(n_col)[None, :] <= np.arange(n_row)[:, None]), [row, col])
        elif op in UNARY:
            v = (UNARY[op](xs[0][0]), xs[0][1])
        elif op in BINARY and not attrs:
            un, us = union(*xs)
            v = (BINARY[op](broadcast_to(xs[0], un, us), broadcast_to(xs[1], un, us)), un)
        elif op == "where":
            un, us = union(*xs)
            v = (jnp.where(*(broadcast_to(x, un, us) for x in xs)), un)
        elif op in REDUCE:
            x, axes = xs[0]
            red = attrs.split()
            v = (REDUCE[op](x, axis=tuple(axes.index(a) for a in red)), [a for a in axes if a not in red])
        elif op in ARG_REDUCE:
            # i32 positions: no gradient flows through them.
            x, axes = xs[0]
            pos = axes.index(attrs.strip())
            v = (ARG_REDUCE[op](jax.lax.stop_gradient(x), axis=pos).astype(jnp.int32), [a for a in axes if a != attrs.strip()])
        elif op == "convert":
            x, axes = xs[0]
            target = CONVERT[attrs.strip()]
            if target == jnp.int32:
                x = jnp.trunc(jax.lax.stop_gradient(x))
            v = (jax.lax.stop_gradient(x).astype(target), axes)
        elif op == "contract":
            un, us = union(*xs)
            red = attrs.split()
            prod = broadcast_to(xs[0], un, us) * broadcast_to(xs[1], un, us)
            v = (jnp.sum(prod, axis=tuple(un.index(a) for a in red)), [a for a in un if a not in red])
        elif op in ("softmax", "logsoftmax"):
            x, axes = xs[0]
            red = tuple(axes.index(a) for a in attrs.split())
            z = x - jax.lax.stop_gradient(jnp.max(x, axis=red, keepdims=True))
            lse = jnp.log(jnp.sum(jnp.exp(z), axis=red, keepdims=True))
            v = ((z - lse) if op == "logsoftmax" else jnp.exp(z - lse), axes)
        elif op == "layernorm":
            x, axes = xs[0]
            red_names, eps = attrs.split(";")
            red = tuple(axes.index(a) for a in red_names.split())
            eps = float(eps.split()[1])
            mean = jnp.mean(x, axis=red, keepdims=True)
            var = jnp.mean((x - mean) ** 2, axis=red, keepdims=True)
            v = ((x - mean) / jnp.sqrt(var + eps), axes)
        elif op == "merge":
            src, into = attrs.split("->")
            src = src.split()
            x, axes = xs[0]
            others = [a for a in axes if a not in src]
            x = to_order(xs[0], src + others)
            x = jnp.reshape(x, (-1,) + x.shape[len(src):])
            v = (x, [into.strip()] + others)
        elif op == "split":
            axis, into = attrs.split("->")
            axis = axis.strip()
            parts = [(p.split("=")[0], int(p.split("=")[1])) for p in into.split()]
            x, axes = xs[0]
            pos = axes.index(axis)
            x = jnp.reshape(x, x.shape[:pos] + tuple(s for _, s in parts) + x.shape[pos + 1:])
            v = (x, axes[:pos] + [p for p, _ in parts] + axes[pos + 1:])
        elif op == "rename":
            src, dst = (s.split() for s in attrs.split("->"))
            mapping = dict(zip(src, dst))
            v = (xs[0][0], [mapping.get(a, a) for a in xs[0][1]])
        elif op == "transpose":
            v = xs[0]
        elif op == "concat":
            src, into = attrs.split("->")
            src = [s.strip() for s in src.split(",")]
            into = into.strip()
            renamed = [(x, [into if a == s else a for a in axes]) for (x, axes), s in zip(xs, src)]
            order = renamed[0][1]
            others = [a for a in order if a != into]
            parts = [to_order(r, [into] + others) for r in renamed]
            v = (jnp.concatenate(parts, axis=0), [into] + others)
        elif op == "slice":
            m = re.fullmatch(r"(\S+) = (\d+)\.\.<(\d+)(?: -> (\S+))?", attrs)
            axis, start, end, new = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            x, axes = xs[0]
            pos = axes.index(axis)
            x = jax.lax.slice_in_dim(x, start, end, axis=pos)
            v = (x, [new or axis if a == axis else a for a in axes])
        elif op == "index":
            axis, position = (s.strip() for s in attrs.split("="))
            x, axes = xs[0]
            pos = axes.index(axis)
            v = (jnp.take(x, int(position), axis=pos), [a for a in axes if a != axis])
        elif op == "gather":
            (table, taxes), (ids, iaxes) = xs
            pos = taxes.index(attrs.strip())
            v = (jnp.take(table, ids, axis=pos), taxes[:pos] + iaxes + taxes[pos + 1:])
        elif op == "window":
            x, axes = xs[0]
            windows = []
            for spec in attrs.split("|"):
                m = re.fullmatch(
                    r"\s*(\S+) -> (\S+) (\S+); size (\d+), stride (\d+), pad (\d+), dilation (\d+)\s*", spec)
                windows.append(m.groups())
            for inp, grid, win, size, stride, pad, dil in windows:
                x, axes = window_axis(x, axes, inp, grid, win, int(size), int(stride), int(pad), int(dil))
            # the window axes come last, in order
            wins = [w[2] for w in windows]
            order = [a for a in axes if a not in wins] + wins
            v = (to_order((x, axes), order), order)
        elif op == "unwindow":
            x, axes = xs[0]
            for spec in attrs.split("|"):
                m = re.fullmatch(
                    r"\s*(\S+) (\S+) -> (\S+); stride (\d+), pad (\d+), dilation (\d+), outpad (\d+)\s*", spec)
                grid, win, out, stride, pad, dil, outpad = m.groups()
                x, axes = unwindow_axis(x, axes, grid, win, out, int(stride), int(pad), int(dil), int(outpad))
            v = (x, axes)
        else:
            raise NotImplementedError(f"op {op} [{attrs}]")
        x, axes = v
        assert sorted(axes) == sorted(names), (op, attrs, axes, names)
        x = to_order((jnp.asarray(x), axes), names)
        assert tuple(x.shape) == sizes, (op, attrs, x.shape, sizes)
        values.append((x, names))
    return [values[i] for i in outputs]


# MARK: one case


def dump_ir(path, sizes):
    args = [TOOL, "dump-ir", path] + sum((["--size", s] for s in sizes), [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def gather_bounds(ir):
    """For each input consumed as gather indices, the size of the table axis."""
    _, _, instructions, _ = ir
    bounds = {}
    for op, attrs, rest, _ in instructions:
        if op == "gather":
            table, ids = operands(rest)
            size = dict(instructions[table][3][1])[attrs.strip()]
            source = instructions[ids]
            if source[0] == "input":
                name = re.search(r"'(.*)'", source[2]).group(1)
                bounds[name] = min(bounds.get(name, size), size)
    return bounds


def make_case(name, path, sizes, seed):
    text = dump_ir(path, sizes)
    ir = parse_ir(text)
    ir_inputs, ir_params, instructions, outputs = ir
    rng = np.random.default_rng(seed)
    bounds = gather_bounds(ir)
    inputs, params, weights = {}, {}, {}
    for n, (element, axes) in ir_inputs:
        shape = tuple(s for _, s in axes)
        if element == "f32":
            inputs[n] = rng.uniform(-1, 1, size=shape).astype(np.float32)
        elif element == "i32":
            inputs[n] = rng.integers(0, bounds.get(n, 2), size=shape).astype(np.int32)
        else:
            raise NotImplementedError(f"{name}: input {n} of {element}")
    for n, (element, axes) in ir_params:
        shape = tuple(s for _, s in axes)
        fan_in = max(1, int(np.prod(shape[:-1]))) if len(shape) > 1 else max(1, shape[0] if shape else 1)
        params[n] = (rng.uniform(-1, 1, size=shape) / math.sqrt(fan_in)).astype(np.float32)
    f32_outputs = [k for k, v in enumerate(outputs) if instructions[v][3][0] == "f32"]
    for k in f32_outputs:
        shape = tuple(s for _, s in instructions[outputs[k]][3][1])
        weights[k] = rng.uniform(-1, 1, size=shape).astype(np.float32)

    f32_inputs = [n for n, (e, _) in ir_inputs if e == "f32"]

    def loss(p, x):
        all_inputs = {**{n: jnp.asarray(v) for n, v in inputs.items()}, **x}
        outs = evaluate(ir, all_inputs, p)
        return sum(jnp.sum(outs[k][0] * weights[k].astype(np.float64)) for k in f32_outputs)

    p64 = {n: jnp.asarray(v, dtype=jnp.float64) for n, v in params.items()}
    x64 = {n: jnp.asarray(inputs[n], dtype=jnp.float64) for n in f32_inputs}
    value, (dp, dx) = jax.value_and_grad(loss, argnums=(0, 1))(p64, x64)

    # The same gradients computed by JAX in float32: how well float32 can do on this case.
    # Where a gradient is ill-conditioned (cancellation in attention scores or batch norms),
    # the test allows a few times this error instead of 1e-5.
    jax.config.update("jax_enable_x64", False)
    p32 = {n: jnp.asarray(v) for n, v in params.items()}
    x32 = {n: jnp.asarray(inputs[n]) for n in f32_inputs}
    _, (dp32, dx32) = jax.value_and_grad(loss, argnums=(0, 1))(p32, x32)
    jax.config.update("jax_enable_x64", True)

    def f32_error(approx, exact):
        scale = np.abs(exact).max() if exact.size else 0
        return np.abs(np.asarray(approx, np.float64) - exact).max() / scale if scale > 0 else 0.0

    arrays = {"loss": np.asarray(value, dtype=np.float64)}
    arrays.update({"f32error/grad/" + n: np.asarray(f32_error(dp32[n], np.asarray(dp[n])), np.float64) for n in params})
    arrays.update({"f32error/dinput/" + n: np.asarray(f32_error(dx32[n], np.asarray(dx[n])), np.float64)
                   for n in f32_inputs})
    arrays.update({"input/" + n: v for n, v in inputs.items()})
    arrays.update({"param/" + n: v for n, v in params.items()})
    arrays.update({f"weight/{k}": v for k, v in weights.items()})
    arrays.update({"grad/" + n: np.asarray(dp[n], dtype=np.float64) for n in params})
    arrays.update({"dinput/" + n: np.asarray(dx[n], dtype=np.float64) for n in f32_inputs})
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, name + ".npz"), **arrays)
    with open(os.path.join(OUT, name + ".ir"), "w") as f:
        f.write(f"# {path} {' '.join(sizes)}\n" + stripped(text))
    print(f"{name}: loss {float(value):.6g}, {len(params)} parameters, {len(f32_inputs)} f32 inputs, "
          f"{len(instructions)} instructions")


if __name__ == "__main__":
    only = set(sys.argv[1:])
    for seed, (name, path, sizes) in enumerate(CASES):
        if only and name not in only:
            continue
        make_case(name, path, sizes, seed + 1)
