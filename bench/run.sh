#!/bin/sh
# bench/run.sh — times the C backend and the interpreter (circuit bench) and numpy on the
# same workloads: GEMM 1024², a BERT-style encoder layer (seq 128, hidden 384, 12×32, FFN
# 1536), the MLP at batch 1, 8 and 256, and a 3×3 convolution 64→64 on 56×56 at batch 1 and 8.
# Usage: sh bench/run.sh   (from the package root; SCRATCH overrides the build directory)
set -e
SCRATCH=${SCRATCH:-.build}
swift build -c release --scratch-path "$SCRATCH" --product circuit >/dev/null
C="$SCRATCH/release/circuit"
"$C" bench bench/gemm.circuit --runs 20
"$C" bench bench/bert_layer.circuit --runs 20
"$C" bench examples/mlp.circuit --size b=1 --runs 2000
"$C" bench examples/mlp.circuit --size b=8 --runs 500
"$C" bench examples/mlp.circuit --size b=256 --runs 20
"$C" bench bench/conv3x3.circuit --runs 20
"$C" bench bench/conv3x3.circuit --size b=8 --runs 10
echo "numpy, 1 thread:"
OPENBLAS_NUM_THREADS=1 python3 bench/numpy_ref.py
echo "numpy, default threads:"
python3 bench/numpy_ref.py
if python3 -c "import onnxruntime" 2>/dev/null; then echo "(onnxruntime is installed; not timed by this script)"; fi
