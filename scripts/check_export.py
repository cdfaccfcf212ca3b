#!/usr/bin/env python3
"""Cross-checks `circuit export` against `circuit run`, the reference semantics.

For every circuit file given (default: every file of examples/, and every circuit of stdlib/
that `circuit run --entry` runs with the file's sizes), the script
generates inputs (f32 standard normal, i32 in [0, 2) so that every table lookup is valid,
bool fair coins), runs `circuit run --input ... --save-params P --out DIR`, then
  * exports `--jax`, loads P with the module's own `load_params`, runs the entry under
    jax.jit and compares every output;
  * exports `--onnx --params P`, checks the model with onnx.checker (full check) and runs it
    in onnxruntime on the same inputs.
Outputs agree when max|exported - run| <= 1e-5 * max|run| per output (the tolerance of
`circuit run --check`). Exits 1 on any mismatch or failure, 0 when all agree; prints one line
per file and format.

Usage: scripts/check_export.py [--circuit PATH] [--formats jax,onnx] [FILE...]
Needs numpy, jax, onnx and onnxruntime (see .ci/run for the pinned versions).
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 1e-5


def circuit(tool, *args):
    """Runs the tool; returns stdout, raising with its stderr on failure."""
    r = subprocess.run([tool, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"circuit {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def load_module(path, name):
    """Imports the Python file at `path` as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_inputs(table, seed):
    """Inputs for INPUTS-style `table` (name: (dtype, axes, shape)), in order."""
    rng = np.random.default_rng(seed)
    inputs = {}
    for name, (dtype, _axes, shape) in table.items():
        kind = np.dtype(dtype)
        if kind == np.float32:
            inputs[name] = rng.standard_normal(shape).astype(np.float32)
        elif kind == np.int32:
            inputs[name] = rng.integers(0, 2, size=shape).astype(np.int32)
        else:
            inputs[name] = rng.integers(0, 2, size=shape).astype(bool)
    return inputs


def reference_outputs(tool, path, work, inputs, output_names, extra):
    """`circuit run` on `inputs`: (outputs in order, the parameters file it used)."""
    args = ["run", path, "--save-params", os.path.join(work, "params.safetensors"), "--out", work, *extra]
    for name, value in inputs.items():
        file = os.path.join(work, f"input.{name}.npy")
        np.save(file, value)
        args += ["--input", f"{name}={file}"]
    circuit(tool, *args)
    return [np.load(os.path.join(work, f"{n}.npy")) for n in output_names], os.path.join(work, "params.safetensors")


def compare(label, outputs, reference):
    """Prints and returns whether every output is within tolerance of the reference."""
    ok = len(outputs) == len(reference)
    worst = 0.0
    for got, want in zip(outputs, reference):
        got = np.asarray(got)
        if got.shape != want.shape:
            print(f"  {label}: shape {got.shape} != {want.shape}")
            return False
        if want.dtype == np.float32:
            scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-30)
            error = float(np.max(np.abs(got.astype(np.float64) - want))) / scale if want.size else 0.0
            worst = max(worst, error)
            ok = ok and error <= TOLERANCE
        else:
            ok = ok and np.array_equal(got, want)
    print(f"{'ok  ' if ok else 'FAIL'} {label}: max relative difference {worst:.2e}")
    return ok


def check_jax(tool, path, work, seed, extra=()):
    """Exports to JAX (with `extra` arguments, e.g. --entry) and compares with `circuit run`."""
    import jax

    module_path = os.path.join(work, "model.py")
    circuit(tool, "export", "--jax", path, *extra, "-o", module_path)
    model = load_module(module_path, "exported_" + os.path.basename(work))
    inputs = make_inputs(model.INPUTS, seed)
    reference, params_path = reference_outputs(tool, path, work, inputs, list(model.OUTPUTS), list(extra))
    params = model.load_params(params_path)
    outputs = jax.jit(model.forward)(params, *inputs.values())
    if len(model.OUTPUTS) == 1:
        outputs = (outputs,)
    return compare(f"{os.path.relpath(path, ROOT)} {' '.join(extra)} jax".replace("  ", " "),
                   [np.asarray(o) for o in outputs], reference)


def onnx_inputs(model, seed, batch=None):
    """Inputs for the ONNX graph's inputs; symbolic dimensions take `batch` (else their export size)."""
    from onnx import helper, TensorProto

    table = {}
    for value in model.graph.input:
        t = value.type.tensor_type
        shape = tuple(batch if d.dim_param and batch else d.dim_value for d in t.shape.dim)
        table[value.name] = (helper.tensor_dtype_to_np_dtype(t.elem_type), None, shape)
    return make_inputs(table, seed)


def check_onnx(tool, path, work, seed, extra=()):
    """Exports to ONNX with the parameters `circuit run` used; checks the model, runs it in
    onnxruntime, and again at another batch size when the batch is symbolic."""
    import onnx
    import onnxruntime

    label = f"{os.path.relpath(path, ROOT)} {' '.join(extra)} onnx".replace("  ", " ")
    circuit(tool, "export", "--jax", path, *extra, "-o", os.path.join(work, "tables.py"))
    tables = load_module(os.path.join(work, "tables.py"), "tables_" + os.path.basename(work))
    inputs = make_inputs(tables.INPUTS, seed)
    reference, params_path = reference_outputs(tool, path, work, inputs, list(tables.OUTPUTS), list(extra))
    model_path = os.path.join(work, "model.onnx")
    circuit(tool, "export", "--onnx", path, *extra, "--params", params_path, "-o", model_path)
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    ok = compare(label, session.run(None, inputs), reference)
    symbolic = sorted({d.dim_param for v in model.graph.input for d in v.type.tensor_type.shape.dim if d.dim_param})
    if symbolic:
        exported = {n: k for _, axes, shape in tables.INPUTS.values() for n, k in zip(axes, shape)}
        size = 3 if exported.get(symbolic[0]) != 3 else 5
        other = onnx_inputs(model, seed + 10, batch=size)
        second = os.path.join(work, "second")
        os.makedirs(second)
        reference2, _ = reference_outputs(tool, path, second, other, list(tables.OUTPUTS),
                                          ["--params", params_path, *extra])
        ok = compare(f"{label} at {symbolic[0]}={size}", session.run(None, other), reference2) and ok
    return ok


TRAINING_RUNS = [
    ("examples/digits_train.circuit", ["--optimizer", "adam", "--lr", "0.003", "--weight-decay", "0.01", "--clip", "1"]),
    ("examples/digits_train.circuit", ["--optimizer", "sgd", "--lr", "0.05", "--momentum", "0.9", "--nesterov"]),
    ("examples/digits_train.circuit", ["--optimizer", "adamw", "--lr", "0.01"]),
    ("examples/digits_cnn_train.circuit", ["--optimizer", "adam", "--lr", "0.003"]),
    # A cosine schedule depends on the run's length: one run of 2 epochs (4 updates), compared at its end.
    ("examples/digits_train.circuit", ["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.5", "--schedule", "cosine",
                                       "--warmup", "2", "--min-lr", "0.01"]),
]


def check_training(tool, path, optimizer, work):
    """`train_step` against `circuit train`: two epochs of two batches of 8 in file order;
    the JAX side starts from the initial parameters, then continues the first epoch's
    checkpoint with `load_checkpoint` (a cosine schedule: all four updates from the start).
    Parameters and optimiser buffers must agree."""
    data = np.load(os.path.join(ROOT, "examples/data/digits_train.npz"))
    x, y = data["X"][:16], data["Y"][:16]
    data_path = os.path.join(work, "data.npz")
    np.savez(data_path, X=x, Y=y)
    module_path = os.path.join(work, "model.py")
    cosine = "cosine" in optimizer
    circuit(tool, "export", "--jax", path, "--size", "b=8", *optimizer, *(["--total-steps", "4"] if cosine else []),
            "-o", module_path)
    model = load_module(module_path, "train_" + os.path.basename(work))
    circuit(tool, "run", path, "--size", "b=8", "--save-params", os.path.join(work, "initial.safetensors"))
    common = ["train", path, "--input", data_path, "--batch-size", "8", "--no-shuffle", *optimizer]
    if cosine:
        circuit(tool, *common, "--epochs", "2", "--save", os.path.join(work, "epoch2.safetensors"))
    else:
        for epochs in (1, 2):
            circuit(tool, *common, "--epochs", str(epochs), "--save", os.path.join(work, f"epoch{epochs}.safetensors"),
                    *(["--resume", os.path.join(work, "epoch1.safetensors")] if epochs == 2 else []))
    import jax
    step = jax.jit(model.train_step)
    label = f"{os.path.relpath(path, ROOT)} train_step {' '.join(optimizer)}"
    ok = True
    runs = [(None, 2, 2)] if cosine else [(None, 1, 1), ("epoch1", 2, 1)]
    for start, epoch, epochs in runs:
        if start is None:
            params = model.load_params(os.path.join(work, "initial.safetensors"))
            state = model.init_optimizer_state(params)
        else:
            params, state = model.load_checkpoint(os.path.join(work, f"{start}.safetensors"))
        for batch in [slice(0, 8), slice(8, 16)] * epochs:
            _, params, state = step(params, state, x[batch], y[batch])
        want = model.load_safetensors(os.path.join(work, f"epoch{epoch}.safetensors"))
        got = [params[n] for n in model.PARAMETERS] + [state[b][n] for b in model.BUFFERS for n in model.PARAMETERS]
        ref = [want[n] for n in model.PARAMETERS] + [want[f"@optimizer/{b}/{n}"] for b in model.BUFFERS for n in model.PARAMETERS]
        ok = compare(f"{label} epoch {epoch}", [np.asarray(g) for g in got], ref) and ok
        ok = ok and int(state["step"]) == int(want["@optimizer/step"])
    return ok


DYNAMIC_RUNS = [
    ("examples/transformer_encoder_layer.circuit", {"b": 3, "t": 7}),
    ("examples/transformer.circuit", {"b": 5}),
]


def check_dynamic(tool, path, sizes, work):
    """An ONNX model with every axis of `sizes` symbolic (`--dynamic`) runs at those sizes and
    gives what `circuit run` gives there (same parameters)."""
    import onnx
    import onnxruntime

    flags = [a for axis in sizes for a in ("--dynamic", axis)]
    circuit(tool, "export", "--jax", path, "-o", os.path.join(work, "tables.py"))
    tables = load_module(os.path.join(work, "tables.py"), "dynamic_" + os.path.basename(work))
    table = {n: (d, axes, tuple(sizes.get(a, k) for a, k in zip(axes, shape))) for n, (d, axes, shape) in tables.INPUTS.items()}
    inputs = make_inputs(table, 3)
    params = os.path.join(work, "initial.safetensors")
    circuit(tool, "run", path, "--save-params", params)
    reference, _ = reference_outputs(tool, path, work, inputs, list(tables.OUTPUTS), ["--params", params])
    model_path = os.path.join(work, "model.onnx")
    circuit(tool, "export", "--onnx", path, "--params", params, *flags, "-o", model_path)
    onnx.checker.check_model(onnx.load(model_path), full_check=True)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    label = f"{os.path.relpath(path, ROOT)} onnx {' '.join(flags)} at {sizes}"
    return compare(label, session.run(None, inputs), reference)


SHARDING_RUNS = [
    ("examples/bert.circuit", ["--mesh", "data=2,model=4", "--shard", "b=data", "--shard", "h=model"]),
    ("examples/transformer_encoder_layer.circuit", ["--size", "b=4", "--mesh", "data=4,model=2", "--shard", "b=data",
                                                    "--shard", "h=model"]),
    ("examples/digits_train.circuit", ["--mesh", "data=8", "--shard", "b=data"]),
]


def check_sharding(tool, path, flags, work):
    """The sharded forward pass (and `train_step` for a loss) on 8 simulated host devices
    equals the unsharded one and `circuit run`, and the lowered HLO carries the shardings.
    Runs in a child process, since XLA_FLAGS must be set before jax starts."""
    circuit(tool, "export", "--jax", path, *flags, "-o", os.path.join(work, "model.py"))
    model = load_module(os.path.join(work, "model.py"), "tables_" + os.path.basename(work))
    inputs = make_inputs(model.INPUTS, 0)
    sizes = [f for i, f in enumerate(flags) if flags[i - 1] == "--size"] if "--size" in flags else []
    reference_outputs(tool, path, work, inputs, list(model.OUTPUTS), [a for s in sizes for a in ("--size", s)])
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=8")
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--sharding-worker", work], env=env,
                       capture_output=True, text=True)
    label = f"{os.path.relpath(path, ROOT)} sharded {' '.join(flags)}"
    for line in r.stdout.splitlines():
        print(f"{line[:4]} {label}: {line[5:]}")
    if r.returncode != 0:
        print(f"FAIL {label}: {r.stderr[-2000:]}")
    return r.returncode == 0


def sharding_worker(work):
    """In a process with 8 host devices: runs the module of `work` sharded and unsharded."""
    import jax

    model = load_module(os.path.join(work, "model.py"), "model")
    params = model.load_params(os.path.join(work, "params.safetensors"))
    inputs = [np.load(os.path.join(work, f"input.{n}.npy")) for n in model.INPUTS]
    reference = [np.load(os.path.join(work, f"{n}.npy")) for n in model.OUTPUTS]
    mesh = model.make_mesh()
    ok = len(jax.devices()) == 8
    as_tuple = (lambda o: o if isinstance(o, tuple) else (o,))
    forward = model.sharded_forward(mesh)
    placed = (model.shard_params(params, mesh), *model.shard_inputs(mesh, *inputs))
    sharded = as_tuple(forward(*placed))
    unsharded = as_tuple(jax.jit(model.forward)(params, *inputs))
    ok = compare("forward vs circuit run", [np.asarray(o) for o in sharded], reference) and ok
    ok = compare("forward vs unsharded", [np.asarray(o) for o in sharded], [np.asarray(o) for o in unsharded]) and ok
    ok = partitioned("forward", forward.lower(*placed), model.MESH_AXES) and ok
    if hasattr(model, "sharded_train_step"):
        step = model.sharded_train_step(mesh)
        state = model.init_optimizer_state(params)
        placed_state = jax.device_put(state, {"step": jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec()),
                                              **{b: model.param_shardings(mesh) for b in model.BUFFERS}})
        args = (model.shard_params(params, mesh), placed_state, *model.shard_inputs(mesh, *inputs))
        loss, new_params, _ = step(*args)
        loss0, params0, _ = jax.jit(model.train_step)(params, state, *inputs)
        names = list(model.PARAMETERS)
        ok = compare("train_step vs unsharded", [np.asarray(loss)] + [np.asarray(new_params[n]) for n in names],
                     [np.asarray(loss0)] + [np.asarray(params0[n]) for n in names]) and ok
        ok = partitioned("train_step", step.lower(*args), model.MESH_AXES) and ok
    return 0 if ok else 1


def partitioned(label, lowered, mesh_axes):
    """Whether the lowered module shards values over every mesh axis (Shardy `{"axis"}` or
    GSPMD `devices=[` annotations) and the compiled module is split: collectives between the
    devices. Prints the counts."""
    text, compiled = lowered.as_text(), lowered.compile().as_text()
    per_axis = {a: text.count(f'{{"{a}"}}') for a in mesh_axes}
    collectives = sum(compiled.count(c) for c in ("all-reduce", "all-gather", "reduce-scatter", "all-to-all",
                                                   "collective-permute"))
    ok = (all(per_axis.values()) or "devices=[" in text) and collectives > 0
    print(f"{'ok  ' if ok else 'FAIL'} {label} HLO: shardings per mesh axis {per_axis}, {collectives} collectives compiled")
    return ok


# Sizes that only a caller fixes (a circuit's size parameters), for stdlib circuits run alone.
STDLIB_SIZES = {
    "FeedForward": {"f": 16}, "TwoLayerResidualMLP": {"f": 16}, "Embedding": {"v": 10},
    "Conv2d": {"kk": 3, "s": 2, "p": 1}, "DilatedConv2d": {"kk": 3, "s": 1, "p": 2, "d": 2},
    "GroupedConv2d": {"kk": 3, "s": 1, "p": 1, "g": 2}, "DepthwiseConv2d": {"kk": 3, "s": 1, "p": 1},
    "ConvTranspose2d": {"kk": 2, "s": 2, "p": 0}, "MaxPool2d": {"kk": 2, "s": 2}, "AvgPool2d": {"kk": 2, "s": 2},
}


def stdlib_entries(tool):
    """(file, ["--entry", name, sizes...]) for every circuit of stdlib/ that `circuit run` runs
    with the file's sizes and STDLIB_SIZES; any other is listed as skipped."""
    entries = []
    for f in sorted(os.listdir(os.path.join(ROOT, "stdlib"))):
        if not f.endswith(".circuit"):
            continue
        path = os.path.join(ROOT, "stdlib", f)
        for line in circuit(tool, "check", path).splitlines():
            if not line.startswith("circuit "):
                continue
            name = line[len("circuit "):].split("(")[0].split("[")[0]
            extra = ["--entry", name] + [a for k, v in STDLIB_SIZES.get(name, {}).items() for a in ("--size", f"{k}={v}")]
            r = subprocess.run([tool, "run", path, *extra], capture_output=True, text=True)
            if r.returncode == 0:
                entries.append((path, extra))
            else:
                print(f"skip stdlib/{f} --entry {name}: {r.stderr.splitlines()[0] if r.stderr else 'does not run'}")
    return entries


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--sharding-worker":
        return sharding_worker(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuit", default=os.path.join(ROOT, ".build", "debug", "circuit"))
    parser.add_argument("--formats", default="jax,onnx,train,sharding")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.files:
        targets = [(os.path.abspath(f), []) for f in args.files]
    else:
        examples = sorted(f for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".circuit"))
        targets = [(os.path.join(ROOT, "examples", f), []) for f in examples] + stdlib_entries(args.circuit)
    checks = {"jax": check_jax, "onnx": check_onnx}
    parser_formats = args.formats.split(",")
    failures = 0
    for path, extra in targets:
        for i, fmt in enumerate(f for f in parser_formats if f in checks):
            with tempfile.TemporaryDirectory() as work:
                try:
                    if not checks[fmt](args.circuit, path, work, seed=i, extra=extra):
                        failures += 1
                except Exception as e:  # report and go on with the next file
                    print(f"FAIL {os.path.relpath(path, ROOT)} {' '.join(extra)} {fmt}: {e}")
                    failures += 1
    if "train" in parser_formats:
        for path, optimizer in TRAINING_RUNS:
            with tempfile.TemporaryDirectory() as work:
                try:
                    if not check_training(args.circuit, os.path.join(ROOT, path), optimizer, work):
                        failures += 1
                except Exception as e:
                    print(f"FAIL {path} train_step: {e}")
                    failures += 1
    if "onnx" in parser_formats and not args.files:
        for path, sizes in DYNAMIC_RUNS:
            with tempfile.TemporaryDirectory() as work:
                try:
                    if not check_dynamic(args.circuit, os.path.join(ROOT, path), sizes, work):
                        failures += 1
                except Exception as e:
                    print(f"FAIL {path} onnx dynamic: {e}")
                    failures += 1
    if "sharding" in parser_formats:
        for path, flags in SHARDING_RUNS:
            with tempfile.TemporaryDirectory() as work:
                try:
                    if not check_sharding(args.circuit, os.path.join(ROOT, path), flags, work):
                        failures += 1
                except Exception as e:
                    print(f"FAIL {path} sharded: {e}")
                    failures += 1
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
