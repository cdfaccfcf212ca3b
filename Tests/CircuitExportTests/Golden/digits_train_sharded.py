"""examples/digits_train.circuit: entry circuit `main`, exported by `circuit export --jax`.

Call `main(params, X, Y)` (also `forward`); `params` maps the
full parameter names of `circuit params` to arrays (`load_params(path)` reads a safetensors
file). Sizes are those of the export; arrays are laid out in the axis order shown.

Inputs:
    X: f32[b=8 y=8 x=8]
    Y: f32[b=8 k=10]
Outputs:
    loss: f32[]
    accuracy: f32[]
"""


import functools
import json

import numpy as np
import jax
import jax.numpy as jnp
import jax.scipy.special


# name: (dtype, axes, shape)
INPUTS = {
    "X": (jnp.float32, ("b", "y", "x"), (8, 8, 8)),
    "Y": (jnp.float32, ("b", "k"), (8, 10)),
}
OUTPUTS = {
    "loss": (jnp.float32, (), ()),
    "accuracy": (jnp.float32, (), ()),
}
PARAMETERS = {
    "fc1.weight": (jnp.float32, ("o", "i"), (64, 64)),
    "fc1.bias": (jnp.float32, ("o",), (64,)),
    "fc2.weight": (jnp.float32, ("o", "i"), (10, 64)),
    "fc2.bias": (jnp.float32, ("o",), (10,)),
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


def LinearBias(params, prefix, x0, mesh=None):
    """The circuit `LinearBias`, its parameters under `prefix`.

    Inputs: f32[b#1=8 i=64]
    Outputs: f32[o=64 b#1=8]
    """
    v0 = params[prefix + "weight"]
    v1 = params[prefix + "bias"]
    v2 = jnp.einsum("bi,oi->bo", x0, v0)
    v2 = _shard(v2, mesh, P("data", None))
    v3 = jnp.add(v2, _align(v1, ("o",), ("b#1", "o")))
    v3 = _shard(v3, mesh, P("data", None))
    v4 = jnp.transpose(v3, (1, 0))
    v4 = _shard(v4, mesh, P(None, "data"))
    return v4


def LinearBias_2(params, prefix, x0, mesh=None):
    """The circuit `LinearBias`, its parameters under `prefix`.

    Inputs: f32[i=64 b#1=8]
    Outputs: f32[o=10 b#1=8]
    """
    v0 = params[prefix + "weight"]
    v1 = params[prefix + "bias"]
    v2 = jnp.einsum("ib,oi->bo", x0, v0)
    v2 = _shard(v2, mesh, P("data", None))
    v3 = jnp.add(v2, _align(v1, ("o",), ("b#1", "o")))
    v3 = _shard(v3, mesh, P("data", None))
    v4 = jnp.transpose(v3, (1, 0))
    v4 = _shard(v4, mesh, P(None, "data"))
    return v4


def SoftmaxCrossEntropy(params, prefix, x0, x1, mesh=None):
    """The circuit `SoftmaxCrossEntropy`.

    Inputs: f32[k=10 b=8], f32[b=8 k=10]
    Outputs: f32[]
    """
    v0 = jax.nn.log_softmax(x0, axis=(0,))
    v0 = _shard(v0, mesh, P(None, "data"))
    v1 = jnp.einsum("bk,kb->b", x1, v0)
    v1 = _shard(v1, mesh, P("data"))
    v2 = jnp.mean(v1, axis=(0,))
    v3 = jnp.negative(v2)
    return v3


def OneHotAccuracy(params, prefix, x0, x1, mesh=None):
    """The circuit `OneHotAccuracy`.

    Inputs: f32[k=10 b=8], f32[b=8 k=10]
    Outputs: f32[]
    """
    v0 = jnp.argmax(x0, axis=0).astype(jnp.int32)
    v0 = _shard(v0, mesh, P("data"))
    v1 = jnp.argmax(x1, axis=1).astype(jnp.int32)
    v1 = _shard(v1, mesh, P("data"))
    v2 = jnp.equal(v0, v1)
    v2 = _shard(v2, mesh, P("data"))
    v3 = v2.astype(jnp.float32)
    v3 = _shard(v3, mesh, P("data"))
    v4 = jnp.mean(v3, axis=(0,))
    return v4


def main(params, X, Y, mesh=None):
    """The outputs of `main` (examples/digits_train.circuit).

    Inputs:
        X: f32[b=8 y=8 x=8]
        Y: f32[b=8 k=10]
    Outputs:
        loss: f32[]
        accuracy: f32[]
With `mesh`, values with a sharded axis are constrained to their sharding.
    """
    v2 = jnp.reshape(X, (8, 64))
    v2 = _shard(v2, mesh, P("data", None))
    v8 = LinearBias(params, "fc1.", v2, mesh=mesh)
    v10 = jax.nn.relu(v8)
    v10 = _shard(v10, mesh, P(None, "data"))
    v16 = LinearBias_2(params, "fc2.", v10, mesh=mesh)
    v21 = SoftmaxCrossEntropy(params, "softmaxCrossEntropy.", v16, Y, mesh=mesh)
    v26 = OneHotAccuracy(params, "oneHotAccuracy.", v16, Y, mesh=mesh)
    return (v21, v26)


forward = main


# Training: output 0 of `main` is the loss; one step is an update of `circuit train` with
# the optimiser below (PyTorch's definitions) at the rate of `learning_rate`.
OPTIMIZER = "adam"
LEARNING_RATE = 0.003
SCHEDULE = "cosine"
TOTAL_STEPS = 900  # the cosine schedule's length in updates
MIN_LR = 0.0
WARMUP_STEPS = 10
WEIGHT_DECAY = 0.0
CLIP_NORM = 1.0
BETAS = (0.9, 0.999)
EPS = 1e-08
BUFFERS = ("exp_avg", "exp_avg_sq")


def loss(params, X, Y, mesh=None):
    """The scalar loss: output 0 of `main`."""
    return main(params, X, Y, mesh=mesh)[0]


def learning_rate(done):
    """The rate of the update after `done` updates: LEARNING_RATE, decayed by the cosine
    schedule lr_min + (lr - lr_min)(1 + cos(pi t / T)) / 2, scaled by (done + 1) / W in warm-up."""
    rate = jnp.asarray(LEARNING_RATE, jnp.float32)
    if SCHEDULE == "cosine" and TOTAL_STEPS > 0:
        t = jnp.minimum(done, TOTAL_STEPS).astype(jnp.float32)
        rate = MIN_LR + 0.5 * (LEARNING_RATE - MIN_LR) * (1 + jnp.cos(jnp.pi * t / TOTAL_STEPS))
    if WARMUP_STEPS > 0:
        rate = jnp.where(done < WARMUP_STEPS, rate * (done + 1).astype(jnp.float32) / WARMUP_STEPS, rate)
    return rate


def init_optimizer_state(params):
    """The state before the first update: step 0 and zero buffers (PyTorch's names)."""
    state = {"step": jnp.asarray(0, jnp.int32)}
    for buffer in BUFFERS:
        state[buffer] = {n: jnp.zeros_like(p) for n, p in params.items()}
    return state


def load_checkpoint(path):
    """(params, state) of a `circuit train --save` checkpoint (`@optimizer/step`,
    `@optimizer/<buffer>/<name>`), so that training continues where it left off."""
    tensors = load_safetensors(path)
    params = load_params(path)
    if "@optimizer/step" not in tensors:
        raise ValueError(f"{path}: no '@optimizer/step': not a training checkpoint")
    state = {"step": jnp.asarray(tensors["@optimizer/step"], jnp.int32)}
    for buffer in BUFFERS:
        state[buffer] = {n: jnp.asarray(tensors.get(f"@optimizer/{buffer}/{n}", np.zeros(p.shape, np.float32)))
                         for n, p in params.items()}
    return params, state

def _update(params, grads, state):
    """Adam (torch.optim.Adam: d = g + λp) or AdamW (p = p·(1 - lr·λ) first):
    m = m + (1-β1)(d - m), v = β2·v + (1-β2)·d², p = p - (lr/(1-β1^t))·m / (√v/√(1-β2^t) + ε),
    with 1-β1 and 1-β2 computed in Python floats and rounded to float32 once, as PyTorch
    (and `circuit train`) do; the bias corrections 1-β^t as -expm1(t·log β), accurate in float32."""
    lr = learning_rate(state["step"])
    step = state["step"] + 1
    complement1, beta2, complement2 = np.float32(1 - BETAS[0]), np.float32(BETAS[1]), np.float32(1 - BETAS[1])
    t = step.astype(jnp.float32)
    step_size = lr / -jnp.expm1(t * np.float32(np.log(BETAS[0])))
    correction2 = jnp.sqrt(-jnp.expm1(t * np.float32(np.log(BETAS[1]))))
    new_params, exp_avg, exp_avg_sq = {}, {}, {}
    for name, p in params.items():
        d = grads[name]
        if OPTIMIZER == "adam" and WEIGHT_DECAY != 0:
            d = d + WEIGHT_DECAY * p
        if OPTIMIZER == "adamw" and WEIGHT_DECAY != 0:
            p = p * (1 - lr * WEIGHT_DECAY)
        m = state["exp_avg"][name] + complement1 * (d - state["exp_avg"][name])
        v = beta2 * state["exp_avg_sq"][name] + complement2 * d * d
        exp_avg[name], exp_avg_sq[name] = m, v
        new_params[name] = p + (-step_size * m) / (jnp.sqrt(v) / correction2 + EPS)
    return new_params, {"step": step, "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}

def train_step(params, state, X, Y, mesh=None):
    """One update: (loss before it, new params, new state), as `circuit train` makes it."""
    value, grads = jax.value_and_grad(loss)(params, X, Y, mesh=mesh)
    if CLIP_NORM is not None:
        norm = jnp.sqrt(sum(jnp.sum(jnp.square(g)) for g in grads.values()))
        grads = {n: g * jnp.minimum(1.0, CLIP_NORM / (norm + 1e-6)) for n, g in grads.items()}
    params, state = _update(params, grads, state)
    return value, params, state


from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

# Sharding by axis name: b over mesh axis data.
# Inputs, parameters and every intermediate value with such an axis are laid out with
# NamedSharding(mesh, PartitionSpec(...)); an axis whose size the mesh axis does not divide stays whole.
MESH_AXES = ("data",)
MESH_SHAPE = (8,)
AXIS_SHARDING = {"b": "data"}
INPUT_SPECS = {
    "X": P("data", None, None),
    "Y": P("data", None),
}
PARAM_SPECS = {
    "fc1.weight": P(None, None),
    "fc1.bias": P(None),
    "fc2.weight": P(None, None),
    "fc2.bias": P(None),
}


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

def sharded_forward(mesh):
    """`main` jitted for `mesh`: call it with `shard_params(params, mesh)` and
    `shard_inputs(mesh, X, Y)`."""
    return jax.jit(functools.partial(main, mesh=mesh),
                   in_shardings=(param_shardings(mesh), *input_shardings(mesh)))


def sharded_train_step(mesh):
    """`train_step` jitted for `mesh`: parameters and optimiser buffers laid out as
    PARAM_SPECS, inputs as INPUT_SPECS; the loss and step replicated."""
    params = param_shardings(mesh)
    replicated = NamedSharding(mesh, P())
    state = {"step": replicated, **{buffer: params for buffer in BUFFERS}}
    return jax.jit(functools.partial(train_step, mesh=mesh),
                   in_shardings=(params, state, *input_shardings(mesh)),
                   out_shardings=(replicated, params, state))
