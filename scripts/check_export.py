#!/usr/bin/env python3
"""Cross-checks `circuit export` against `circuit run`, the reference semantics.

For every circuit file given (default: every file of examples/ and stdlib/), the script
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


def check_jax(tool, path, work, seed):
    """Exports to JAX and compares with `circuit run`."""
    import jax

    module_path = os.path.join(work, "model.py")
    circuit(tool, "export", "--jax", path, "-o", module_path)
    model = load_module(module_path, "exported_" + os.path.basename(work))
    inputs = make_inputs(model.INPUTS, seed)
    reference, params_path = reference_outputs(tool, path, work, inputs, list(model.OUTPUTS), [])
    params = model.load_params(params_path)
    outputs = jax.jit(model.forward)(params, *inputs.values())
    if len(model.OUTPUTS) == 1:
        outputs = (outputs,)
    return compare(f"{os.path.relpath(path, ROOT)} jax", [np.asarray(o) for o in outputs], reference)


def onnx_inputs(model, seed, batch=None):
    """Inputs for the ONNX graph's inputs; symbolic dimensions take `batch` (else their export size)."""
    from onnx import helper, TensorProto

    table = {}
    for value in model.graph.input:
        t = value.type.tensor_type
        shape = tuple(batch if d.dim_param and batch else d.dim_value for d in t.shape.dim)
        table[value.name] = (helper.tensor_dtype_to_np_dtype(t.elem_type), None, shape)
    return make_inputs(table, seed)


def check_onnx(tool, path, work, seed):
    """Exports to ONNX with the parameters `circuit run` used; checks the model, runs it in
    onnxruntime, and again at another batch size when the batch is symbolic."""
    import onnx
    import onnxruntime

    label = f"{os.path.relpath(path, ROOT)} onnx"
    circuit(tool, "export", "--jax", path, "-o", os.path.join(work, "tables.py"))
    tables = load_module(os.path.join(work, "tables.py"), "tables_" + os.path.basename(work))
    inputs = make_inputs(tables.INPUTS, seed)
    reference, params_path = reference_outputs(tool, path, work, inputs, list(tables.OUTPUTS), [])
    model_path = os.path.join(work, "model.onnx")
    circuit(tool, "export", "--onnx", path, "--params", params_path, "-o", model_path)
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
        reference2, _ = reference_outputs(tool, path, second, other, list(tables.OUTPUTS), ["--params", params_path])
        ok = compare(f"{label} at {symbolic[0]}={size}", session.run(None, other), reference2) and ok
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuit", default=os.path.join(ROOT, ".build", "debug", "circuit"))
    parser.add_argument("--formats", default="jax,onnx")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = args.files or sorted(
        os.path.join(ROOT, d, f) for d in ("examples", "stdlib") for f in os.listdir(os.path.join(ROOT, d))
        if f.endswith(".circuit"))
    checks = {"jax": check_jax, "onnx": check_onnx}
    failures = 0
    for path in files:
        for i, fmt in enumerate(args.formats.split(",")):
            with tempfile.TemporaryDirectory() as work:
                try:
                    if not checks[fmt](args.circuit, path, work, seed=i):
                        failures += 1
                except Exception as e:  # report and go on with the next file
                    print(f"FAIL {os.path.relpath(path, ROOT)} {fmt}: {e}")
                    failures += 1
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
