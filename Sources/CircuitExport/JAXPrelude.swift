/// The fixed Python of every exported JAX module: imports, the safetensors loader and the
/// helpers for ops with no single `jax.numpy` function.
enum JAXPrelude {

  /// The imports.
  static let imports = """
    import functools
    import json

    import numpy as np
    import jax
    import jax.numpy as jnp
    import jax.scipy.special
    """

  /// The loaders: safetensors as `circuit run --save-params` and `circuit train --save` write.
  static let loaders = #"""
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
    """#

  /// The mesh and sharding helpers of a sharded export.
  static let mesh = #"""
    def make_mesh(devices=None):
        """The device mesh MESH_SHAPE over MESH_AXES, from the first devices (default: jax.devices())."""
        devices = jax.devices() if devices is None else devices
        n = int(np.prod(MESH_SHAPE))
        if len(devices) < n:
            raise ValueError(f"the mesh {dict(zip(MESH_AXES, MESH_SHAPE))} needs {n} devices, found {len(devices)}")
        return Mesh(np.array(devices[:n]).reshape(MESH_SHAPE), MESH_AXES)


    def input_shardings(mesh):
        """The NamedSharding of each input, in order."""
        return tuple(NamedSharding(mesh, spec) for spec in INPUT_SPECS.values())


    def param_shardings(mesh):
        """The NamedSharding of each parameter, by full name."""
        return {name: NamedSharding(mesh, spec) for name, spec in PARAM_SPECS.items()}


    def shard_params(params, mesh):
        """The parameters placed on `mesh` as PARAM_SPECS lays them out."""
        return {name: jax.device_put(p, NamedSharding(mesh, PARAM_SPECS[name])) for name, p in params.items()}


    def shard_inputs(mesh, *inputs):
        """The inputs placed on `mesh` as INPUT_SPECS lays them out."""
        return tuple(jax.device_put(x, s) for x, s in zip(inputs, input_shardings(mesh)))
    """#

  /// The helpers the generated function calls.
  static let helpers = #"""
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
    """#
}
