"""examples/mlp.circuit: entry circuit `main`, exported by `circuit export --jax`.

Call `main(params, X)` (also `forward`); `params` maps the
full parameter names of `circuit params` to arrays (`load_params(path)` reads a safetensors
file). Sizes are those of the export; arrays are laid out in the axis order shown.

Inputs:
    X: f32[b=8 y=28 x=28]
Outputs:
    output 0: f32[b=8 k=10]
"""


import functools
import json

import numpy as np
import jax
import jax.numpy as jnp
import jax.scipy.special


# name: (dtype, axes, shape)
INPUTS = {
    "X": (jnp.float32, ("b", "y", "x"), (8, 28, 28)),
}
OUTPUTS = {
    "output_0": (jnp.float32, ("b", "k"), (8, 10)),
}
PARAMETERS = {
    "fc1.weight": (jnp.float32, ("o", "i"), (512, 784)),
    "fc1.bias": (jnp.float32, ("o",), (512,)),
    "fc2.weight": (jnp.float32, ("o", "i"), (512, 512)),
    "fc2.bias": (jnp.float32, ("o",), (512,)),
    "fc3.weight": (jnp.float32, ("o", "i"), (10, 512)),
    "fc3.bias": (jnp.float32, ("o",), (10,)),
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


def LinearBias(params, prefix, x0):
    """The circuit `LinearBias`, its parameters under `prefix`.

    Inputs: f32[b#1=8 i=784]
    Outputs: f32[o=512 b#1=8]
    """
    v0 = params[prefix + "weight"]
    v1 = params[prefix + "bias"]
    v2 = jnp.einsum("bi,oi->bo", x0, v0)
    v3 = jnp.add(v2, _align(v1, ("o",), ("b#1", "o")))
    v4 = jnp.transpose(v3, (1, 0))
    return v4


def LinearBias_2(params, prefix, x0):
    """The circuit `LinearBias`, its parameters under `prefix`.

    Inputs: f32[i=512 b#1=8]
    Outputs: f32[o=512 b#1=8]
    """
    v0 = params[prefix + "weight"]
    v1 = params[prefix + "bias"]
    v2 = jnp.einsum("ib,oi->bo", x0, v0)
    v3 = jnp.add(v2, _align(v1, ("o",), ("b#1", "o")))
    v4 = jnp.transpose(v3, (1, 0))
    return v4


def LinearBias_3(params, prefix, x0):
    """The circuit `LinearBias`, its parameters under `prefix`.

    Inputs: f32[i=512 b#1=8]
    Outputs: f32[o=10 b#1=8]
    """
    v0 = params[prefix + "weight"]
    v1 = params[prefix + "bias"]
    v2 = jnp.einsum("ib,oi->bo", x0, v0)
    v3 = jnp.add(v2, _align(v1, ("o",), ("b#1", "o")))
    v4 = jnp.transpose(v3, (1, 0))
    return v4


def main(params, X):
    """The outputs of `main` (examples/mlp.circuit).

    Inputs:
        X: f32[b=8 y=28 x=28]
    Outputs:
        output 0: f32[b=8 k=10]
    """
    v1 = jnp.reshape(X, (8, 784))
    v7 = LinearBias(params, "fc1.", v1)
    v9 = jax.nn.relu(v7)
    v15 = LinearBias_2(params, "fc2.", v9)
    v17 = jax.nn.relu(v15)
    v23 = LinearBias_3(params, "fc3.", v17)
    v25 = jax.nn.softmax(v23, axis=(0,))
    v26 = jnp.transpose(v25, (1, 0))
    return v26


forward = main
