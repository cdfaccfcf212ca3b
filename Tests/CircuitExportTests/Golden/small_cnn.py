"""examples/small_cnn.circuit: entry circuit `main`, exported by `circuit export --jax`.

Call `main(params, X)` (also `forward`); `params` maps the
full parameter names of `circuit params` to arrays (`load_params(path)` reads a safetensors
file). Sizes are those of the export; arrays are laid out in the axis order shown.

Inputs:
    X: f32[b=4 c=3 h=32 w=32]
Outputs:
    output 0: f32[b=4 k=10]
"""


import functools
import json

import numpy as np
import jax
import jax.numpy as jnp
import jax.scipy.special


# name: (dtype, axes, shape)
INPUTS = {
    "X": (jnp.float32, ("b", "c", "h", "w"), (4, 3, 32, 32)),
}
OUTPUTS = {
    "output_0": (jnp.float32, ("b", "k"), (4, 10)),
}
PARAMETERS = {
    "conv1.weight": (jnp.float32, ("co", "ci", "kh", "kw"), (16, 3, 3, 3)),
    "conv1.bias": (jnp.float32, ("co",), (16,)),
    "conv2.weight": (jnp.float32, ("co", "ci", "kh", "kw"), (32, 16, 3, 3)),
    "conv2.bias": (jnp.float32, ("co",), (32,)),
    "fc.weight": (jnp.float32, ("o", "i"), (10, 32)),
    "fc.bias": (jnp.float32, ("o",), (10,)),
}


_SAFETENSORS_DTYPES = {"F32": np.float32, "I32": np.int32, "BOOL": np.bool_, "F64": np.float64,
                       "I64": np.int64, "F16": np.float16}


def load_safetensors(path):
    """Every tensor of a safetensors file, by name, as numpy arrays."""
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    body = memoryview(data)[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = _SAFETENSORS_DTYPES[entry["dtype"]]
        tensors[name] = np.frombuffer(body[begin:end], dtype=dtype).reshape(entry["shape"]).copy()
    return tensors


def load_params(path):
    """The parameters in `path` (safetensors, full names as `circuit params` lists them),
    checked against PARAMETERS, as jax arrays."""
    tensors = load_safetensors(path)
    params = {}
    for name, (dtype, axes, shape) in PARAMETERS.items():
        if name not in tensors:
            raise ValueError(f"{path}: no parameter {name!r}")
        if tuple(tensors[name].shape) != shape:
            raise ValueError(f"{path}: {name!r} has shape {tensors[name].shape}, expected {shape} {axes}")
        params[name] = jnp.asarray(tensors[name], dtype)
    return params


def _align(x, have, want):
    """`x` (axes named `have`) in the axis order of `want`, with length-1 axes where it lacks
    one: broadcasting by name."""
    kept = [a for a in want if a in have]
    x = jnp.transpose(x, [have.index(a) for a in kept])
    return jnp.reshape(x, [x.shape[kept.index(a)] if a in have else 1 for a in want])


def _shard(x, mesh, spec):
    """`x` constrained to NamedSharding(mesh, spec); unchanged without a mesh."""
    return x if mesh is None else jax.lax.with_sharding_constraint(x, jax.sharding.NamedSharding(mesh, spec))


def _layer_norm(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over `axes` (population variance)."""
    mean = jnp.mean(x, axis=axes, keepdims=True)
    centered = x - mean
    var = jnp.mean(centered * centered, axis=axes, keepdims=True)
    return centered / jnp.sqrt(var + eps)


def _to_int32(x):
    """float32 to int32 truncating toward zero, NaN giving 0."""
    return jnp.where(jnp.isnan(x), 0.0, x).astype(jnp.int32)


def _gather(table, indices, shared):
    """Rows of `table` (axes: `shared` batch axes, the looked-up axis, the rest) at `indices`
    (axes: the same batch axes, then its own): each batch position looks up in its own slice."""
    take = lambda t, i: jnp.take(t, i, axis=0)
    for _ in range(shared):
        take = jax.vmap(take)
    return take(table, indices)


def _window(x, specs):
    """Sliding windows with zero padding. For each (axis, size, stride, pad, dilation) the axis
    becomes the grid of window positions and a window axis of `size` is appended."""
    for axis, size, stride, pad, dilation in specs:
        widths = [(0, 0)] * x.ndim
        widths[axis] = (pad, pad)
        x = jnp.pad(x, widths)
        n = (x.shape[axis] - dilation * (size - 1) - 1) // stride + 1
        x = jnp.stack([jax.lax.slice_in_dim(x, k * dilation, k * dilation + (n - 1) * stride + 1, stride, axis)
                       for k in range(size)], axis=-1)
    return x


def _unwindow(x, shape, specs):
    """The transpose of `_window`: windows (the last axes, in `specs` order) added back into an
    array of `shape`; overlapping windows add, padding is dropped."""
    (y,) = jax.linear_transpose(lambda z: _window(z, specs), jnp.zeros(shape, x.dtype))(x)
    return y


def main(params, X):
    """The outputs of `main` (examples/small_cnn.circuit).

    Inputs:
        X: f32[b=4 c=3 h=32 w=32]
    Outputs:
        output 0: f32[b=4 k=10]
    """
    # main / Conv3x3@conv1
    v2 = params["conv1.weight"]
    v3 = params["conv1.bias"]
    v4 = _window(X, ((2, 3, 1, 1, 1), (3, 3, 1, 1, 1)))
    v5 = jnp.einsum("bchwka,dcka->bhwd", v4, v2)
    v6 = jnp.add(v5, _align(v3, ("co",), ("b#1", "h'", "w'", "co")))
    v8 = jnp.transpose(v6, (3, 1, 2, 0))
    # main
    v10 = jax.nn.relu(v8)
    # main / MaxPool2d@X
    v12 = _window(v10, ((1, 2, 2, 0, 1), (2, 2, 2, 0, 1)))
    v13 = jnp.max(v12, axis=(4, 5))
    v14 = jnp.transpose(v13, (1, 2, 0, 3))
    # main / Conv3x3@conv2
    v17 = params["conv2.weight"]
    v18 = params["conv2.bias"]
    v19 = _window(v14, ((0, 3, 1, 1, 1), (1, 3, 1, 1, 1)))
    v20 = jnp.einsum("hwcbka,dcka->hwbd", v19, v17)
    v21 = jnp.add(v20, _align(v18, ("co",), ("h'", "w'", "b#4", "co")))
    v23 = jnp.transpose(v21, (3, 0, 1, 2))
    # main
    v25 = jax.nn.relu(v23)
    # main / GlobalAvgPool@G
    v27 = jnp.mean(v25, axis=(1, 2))
    # main / LinearBias@fc
    v30 = params["fc.weight"]
    v31 = params["fc.bias"]
    v32 = jnp.einsum("ib,oi->bo", v27, v30)
    v33 = jnp.add(v32, _align(v31, ("o",), ("b#7", "o")))
    v34 = jnp.transpose(v33, (1, 0))
    # main
    v36 = jnp.transpose(v34, (1, 0))
    return v36


forward = main
