#!/bin/sh
# bench/train_compare.sh — one training step (forward, backward, SGD update at lr 0.01) on the
# C backend against JAX (jax.jit of value_and_grad plus the update, CPU), measured in the same
# run, for the issue's three workloads:
#   mlp   bench/train_mlp.circuit    784-512-512-10, ReLU, batch 256, softmax cross-entropy
#   bert  bench/train_bert.circuit   BERT-style layer (bench/bert_layer_batch.circuit), batch 8, MSE
#   conv  bench/train_conv.circuit   3×3 conv 64→64 on 56×56, batch 8, ReLU, MSE
# Per workload: `circuit bench --train` (the path of `circuit train --backend c`: resident
# parameters, the batch copied in place, gradient program and optimiser in one native call;
# median ms per step), the C backend's forward of the same circuit (`circuit bench --backend
# c`), and bench/jax_train.py.
# For the MLP also the interpreter's step (`circuit bench --train --backend interp`) against
# bench/numpy_train.py, the same step as hand-written numpy backprop (target: ≤ 2×).
# Prints one table with C step ÷ JAX (target ≤ 0.70) and C step ÷ C forward (target ≤ 3.5),
# and the memory the backward pass holds: the gradient program's arena peak beside XLA's
# temporary allocation of the jitted step. Everything runs ROUNDS times in turn, and within a
# round each workload's JAX step runs right after its C runs, so the two share the host's load
# of that moment. The table gives each runtime's best median over the rounds, then the median
# over rounds of the paired per-round ratio, which the host's drift between rounds moves least.
#
# Usage: sh bench/train_compare.sh          (from anywhere in the package)
#   CIRCUIT=path/to/circuit  use that binary instead of building one (release)
#   SCRATCH=dir              build directory (default .build)
#   LOG=dir                  keep the raw outputs there (default: a temporary directory)
#   ROUNDS=n                 rounds (default 2)
#   WORKLOADS="mlp conv"     a subset
# bench/jax_train.py pip-installs jax if it is missing (a benchmark-only dependency).
set -e
cd "$(dirname "$0")/.."
if [ -z "$CIRCUIT" ]; then
    SCRATCH=${SCRATCH:-.build}
    swift build -c release --scratch-path "$SCRATCH" --product circuit >/dev/null
    CIRCUIT="$SCRATCH/release/circuit"
fi
LOG=${LOG:-$(mktemp -d)}
ROUNDS=${ROUNDS:-2}
WORKLOADS=${WORKLOADS:-"mlp bert conv"}
mkdir -p "$LOG"
RES="$LOG/results.txt"
: >"$RES"

runs() { case $1 in mlp) echo 30 ;; bert) echo 8 ;; conv) echo 10 ;; esac; }

R=1
while [ "$R" -le "$ROUNDS" ]; do
    echo "== round $R of $ROUNDS"
    for w in $WORKLOADS; do
        n=$(runs "$w")
        out="$LOG/train_${w}_$R.txt"
        "$CIRCUIT" bench --train "bench/train_$w.circuit" --backend c --runs "$n" --max-seconds 20 | tee "$out"
        awk -v w="$w" -v r="$R" '$1 == "c" { print w, "step", $2, r } /arena/ { for (i = 1; i <= NF; i++) if ($i == "arena") print w, "arena", $(i + 1), r }' \
            "$out" >>"$RES"
        out="$LOG/forward_${w}_$R.txt"
        "$CIRCUIT" bench "bench/train_$w.circuit" --backend c --runs "$n" --max-seconds 20 | tee "$out"
        awk -v w="$w" -v r="$R" '$1 == "c" { print w, "forward", $2, r }' "$out" >>"$RES"
        if [ "$w" = mlp ]; then
            out="$LOG/interp_${w}_$R.txt"
            "$CIRCUIT" bench --train "bench/train_$w.circuit" --backend interp --runs "$n" --max-seconds 20 | tee "$out"
            awk -v w="$w" -v r="$R" '$1 == "interp" { print w, "interp", $2, r }' "$out" >>"$RES"
            out="$LOG/numpy_${w}_$R.txt"
            python3 bench/numpy_train.py --steps "$n" | tee "$out"
            awk -v r="$R" '$2 == "numpy" { print $1, "numpy", $3, r }' "$out" >>"$RES"
        fi
        out="$LOG/jax_${w}_$R.txt"
        python3 bench/jax_train.py --steps 20 "$w" | tee "$out"
        awk -v r="$R" '$2 == "jax" { print $1, "jax", $3, r; for (i = 1; i <= NF; i++) if ($i == "temp") print $1, "temp", $(i + 1), r }' \
            "$out" >>"$RES"
    done
    R=$((R + 1))
done

echo
echo "best median ms per training step over $ROUNDS round(s); raw output in $LOG"
awk -v ws="$WORKLOADS" '
    { k = $1 "," $2; if (!(k in v) || $3 + 0 < v[k] + 0) v[k] = $3; per[$1 "," $2 "," $4] = $3; if ($4 > rounds) rounds = $4 }
    function f(x) { return x == "" ? "-" : sprintf("%.2f", x) }
    function r(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    function median(a, m,    i, j, t) {
        if (m == 0) return "-"
        for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return sprintf("%.2f", m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2)
    }
    function mb(x) { return x == "" || x < 0 ? "-" : sprintf("%.1f", x / 1048576) }
    END {
        fmt = "%-6s %10s %10s %10s %9s %9s %12s %12s\n"
        printf fmt, "work", "C step", "C fwd", "JAX step", "C/JAX", "step/fwd", "C arena MB", "XLA temp MB"
        n = split(ws, w, " ")
        for (i = 1; i <= n; i++) {
            s = v[w[i] ",step"]; fw = v[w[i] ",forward"]; j = v[w[i] ",jax"]
            printf fmt, w[i], f(s), f(fw), f(j), r(s, j), r(s, fw), mb(v[w[i] ",arena"]), mb(v[w[i] ",temp"])
        }
        if (v["mlp,interp"] != "")
            printf "mlp interpreter step %s ms, numpy hand-written backprop %s ms: interp/numpy %s (target <= 2)\n", f(v["mlp,interp"]), f(v["mlp,numpy"]), r(v["mlp,interp"], v["mlp,numpy"])
        print "targets: C/JAX <= 0.70, step/fwd <= 3.5"
        print "median over rounds of the paired ratio (C and JAX of one round ran back to back):"
        for (i = 1; i <= n; i++) {
            m = 0; k = 0
            for (q = 1; q <= rounds; q++) {
                s = per[w[i] ",step," q]; j = per[w[i] ",jax," q]; fw = per[w[i] ",forward," q]
                if (s != "" && j != "" && j > 0) cj[++m] = s / j
                if (s != "" && fw != "" && fw > 0) sf[++k] = s / fw
            }
            printf "  %-5s C/JAX %s  step/fwd %s  (%d rounds)\n", w[i], median(cj, m), median(sf, k), m
        }
        print "per round (C and JAX under the same load within a round):"
        for (q = 1; q <= rounds; q++)
            for (i = 1; i <= n; i++) {
                s = per[w[i] ",step," q]; fw = per[w[i] ",forward," q]; j = per[w[i] ",jax," q]
                printf "  round %d %-5s C step %8s  C fwd %8s  JAX %8s  C/JAX %5s  step/fwd %5s\n", q, w[i], f(s), f(fw), f(j), r(s, j), r(s, fw)
            }
    }' "$RES"
