#!/bin/sh
# bench/compare.sh — the C backend and the interpreter (circuit bench --backend both) against
# numpy (bench/numpy_ref.py, 1 OpenBLAS thread and the default) and onnxruntime
# (bench/onnx_ref.py, intra_op_num_threads 1 and 2) on the same workloads and sizes:
#   gemm1024  bench/gemm.circuit                       C = A·B, 1024²
#   bert_b1   bench/bert_layer.circuit                 BERT-style layer, seq 128, hidden 384,
#   bert_b8   bench/bert_layer_batch.circuit b=8       12×32 heads, FFN 1536, GELU, post-LN
#   mlp_b1    examples/mlp.circuit --size b=1          784-512-512-10, ReLU, softmax
#   mlp_b8    examples/mlp.circuit --size b=8
#   mlp_b256  examples/mlp.circuit --size b=256
#   conv3x3   bench/conv3x3.circuit                    3×3 conv 64→64 on 56×56, pad 1, batch 1
#   conv3x3_b8  bench/conv3x3.circuit --size b=8       (Winograd F(2×2, 3×3) in the C backend)
# the BERT layer at batch 1 on long sequences, C backend only (the interpreter would take
# minutes) against onnxruntime, with the C program's arena (peak bytes of intermediates):
#   bert_t512   bench/bert_layer.circuit --size t=512    (C: attention streamed, keys through
#   bert_t2048  bench/bert_layer.circuit --size t=2048    the cache with an online softmax;
#   bert_t8192  bench/bert_layer.circuit --size t=8192    onnxruntime materialises the scores)
# and then, under load (one busy process per core, started and stopped by this script), the
# C backend with 1 and 2 threads against onnxruntime with 1 and 2 threads on
#   bert_b1, bert_b8, conv3x3  (rows "NAME@load"; the interpreter and numpy are not timed there;
#                               the ratios of every round are printed too)
# and the compile time of a 6-layer, 384-wide encoder (examples/bert.circuit, t 128): seconds of
# `cc -O3 -march=native` on its C, with the runtime compiled before (as the cache does),
# then prints one table (median ms per run) with the ratios C ÷ onnxruntime: ≤ 1.00 means the
# C backend is at least as fast as onnxruntime with that many threads. Everything runs
# ROUNDS times in turn (per workload the C backend and the interpreter, then onnxruntime right
# after; then numpy; then again); the table gives each runtime's best median over the rounds,
# so a noisy moment on a shared machine does not decide a ratio, and below it the median over
# rounds of each round's paired C ÷ onnxruntime, which the host's drift between rounds moves least.
#
# Usage: sh bench/compare.sh          (from the package root)
#   CIRCUIT=path/to/circuit  use that binary instead of building one
#   SCRATCH=dir              build directory (default .build-ort)
#   LOG=dir                  keep the raw outputs there (default: a temporary directory)
#   ROUNDS=n                 rounds (default 3)
#   LOAD=0                   skip the loaded rows; LOAD=n runs them with n busy processes
#                            (default: one per core, `nproc`)
#   PIN_LOAD=1               pin busy process n to the n-th usable CPU (default: unpinned)
#   QUIET=0                  only the loaded rows
# numpy and onnxruntime run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow a
# current OpenBLAS); only those commands. bench/onnx_ref.py pip-installs onnx/onnxruntime
# if they are missing. The numpy figure for bert_b8 is bench/numpy_ref.py's BERT layer batched
# over 8 (python3 bench/onnx_ref.py --numpy-bert-batch 8), which numpy_ref.py does not time.
set -e
cd "$(dirname "$0")/.."
if [ -z "$CIRCUIT" ]; then
    SCRATCH=${SCRATCH:-.build-ort}
    swift build -c release --scratch-path "$SCRATCH" --product circuit >/dev/null
    CIRCUIT="$SCRATCH/release/circuit"
fi
LOG=${LOG:-$(mktemp -d)}
ROUNDS=${ROUNDS:-3}
mkdir -p "$LOG"
RES="$LOG/results.txt"
: >"$RES"

bench() {  # name, file, circuit bench options...
    name=$1; file=$2; shift 2
    "$CIRCUIT" bench "$file" --backend both "$@" >"$LOG/circuit_${name}_$R.txt"
    cat "$LOG/circuit_${name}_$R.txt"
    awk -v n="$name" -v r="$R" '$1 == "c" { print n, "c", $2, r } $1 == "interp" { print n, "interp", $2, r }' \
        "$LOG/circuit_${name}_$R.txt" >>"$RES"
    ort "$name"
}

# The C backend alone, recording the arena bytes of its header line as column "arena".
bench_c() {  # name, file, circuit bench options...
    name=$1; file=$2; shift 2
    "$CIRCUIT" bench "$file" --backend c "$@" >"$LOG/circuit_${name}_$R.txt"
    cat "$LOG/circuit_${name}_$R.txt"
    awk -v n="$name" -v r="$R" '$1 == "c" { print n, "c", $2, r }
        { for (i = 1; i < NF; i++) if ($i == "arena") print n, "arena", $(i + 1) }' \
        "$LOG/circuit_${name}_$R.txt" >>"$RES"
    ort "$name"
}

py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

# onnxruntime with 1 and 2 threads on one workload, run right after the C backend's run of it
# so that the pair shares the host's speed of that moment (rows carry the round).
ort() {  # name
    py python3 bench/onnx_ref.py --threads 1,2 --only "$1" | tee "$LOG/onnx_${1}_$R.txt"
    awk -v r="$R" '$2 == "onnxruntime" { print $1, "ort1", $4, r; print $1, "ort2", $9, r }' "$LOG/onnx_${1}_$R.txt" >>"$RES"
}

# The loaded rows: C with 1 and 2 threads, then onnxruntime with 1 and 2 threads, on a
# machine kept busy by LOAD shell spinners (each bounded by `timeout`, all killed on exit).
# Left to the scheduler, two spinners sometimes share a core and leave a 1-thread run a core
# of its own (its time then drops to about its quiet time in some rounds and not in others);
# with PIN_LOAD=1 spinner n is pinned (taskset) to the n-th CPU this script may use, cycling.
# (Measured on 2 cores: pinned, the 2-thread C time is higher, its ratio to 1 thread no steadier.)
LOAD=${LOAD:-$(nproc)}
QUIET=${QUIET:-1}
PIN_LOAD=${PIN_LOAD:-0}
SPINNERS=""
stop_load() { [ -z "$SPINNERS" ] || kill $SPINNERS 2>/dev/null || true; SPINNERS=""; }
trap stop_load EXIT
trap 'stop_load; exit 130' INT TERM
# The CPUs this process may run on, one per line (from Cpus_allowed_list: "0-3,6").
allowed_cpus() {
    awk '/^Cpus_allowed_list:/ { n = split($2, r, ","); for (i = 1; i <= n; i++) {
        if (split(r[i], b, "-") == 2) { for (c = b[1]; c <= b[2]; c++) print c } else print r[i] } }' /proc/self/status
}
start_load() {
    cpus=""
    if [ "$PIN_LOAD" != 0 ] && command -v taskset >/dev/null 2>&1 && [ -r /proc/self/status ]; then
        cpus=$(allowed_cpus | tr '\n' ' ')
    fi
    n=0
    while [ "$n" -lt "$LOAD" ]; do
        if [ -n "$cpus" ]; then
            cpu=$(echo "$cpus" | awk -v i="$n" '{ print $(i % NF + 1) }')
            timeout 900 taskset -c "$cpu" sh -c 'while :; do :; done' &
        else
            timeout 900 sh -c 'while :; do :; done' &
        fi
        SPINNERS="$SPINNERS $!"
        n=$((n + 1))
    done
    sleep 1
}
loaded() {  # name, file, circuit bench options...
    name=$1; file=$2; shift 2
    for T in 1 2; do
        "$CIRCUIT" bench "$file" --backend c --threads $T "$@" >"$LOG/loaded_${name}_${T}_$R.txt"
        echo "$name under load, C $T thread(s):"; cat "$LOG/loaded_${name}_${T}_$R.txt"
        awk -v n="$name@load" -v c="c$T" -v r="$R" '$1 == "c" { print n, c, $2, r }' "$LOG/loaded_${name}_${T}_$R.txt" >>"$RES"
    done
}

py python3 -c 'import onnxruntime as o; print("onnxruntime", o.__version__)' 2>/dev/null || true
R=1
while [ "$R" -le "$ROUNDS" ]; do
echo "== round $R of $ROUNDS"
if [ "$QUIET" != 0 ]; then
bench gemm1024 bench/gemm.circuit --runs 20
bench bert_b1 bench/bert_layer.circuit --runs 20
bench bert_b8 bench/bert_layer_batch.circuit --size b=8 --runs 20
bench mlp_b1 examples/mlp.circuit --size b=1 --runs 2000
bench mlp_b8 examples/mlp.circuit --size b=8 --runs 500
bench mlp_b256 examples/mlp.circuit --size b=256 --runs 20
bench conv3x3 bench/conv3x3.circuit --runs 20
bench conv3x3_b8 bench/conv3x3.circuit --size b=8 --runs 10
bench_c bert_t512 bench/bert_layer.circuit --size t=512 --runs 20
bench_c bert_t2048 bench/bert_layer.circuit --size t=2048 --runs 10
bench_c bert_t8192 bench/bert_layer.circuit --size t=8192 --runs 3 --warmup 1

corename='import ctypes, glob, os, numpy
try:
    lib = ctypes.CDLL(glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "libscipy_openblas*"))[0])
    lib.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
    print("numpy", numpy.__version__, "OpenBLAS kernel:", lib.scipy_openblas_get_corename64_().decode(),
          "threads:", lib.scipy_openblas_get_num_threads64_())
except Exception as e:
    print("numpy", numpy.__version__, "(OpenBLAS kernel not found:", e, ")")'
for T in 1 default; do
    if [ "$T" = 1 ]; then set -- env OPENBLAS_NUM_THREADS=1; else set -- env; fi
    echo "numpy, $T thread(s):"
    py "$@" python3 -c "$corename"
    py "$@" python3 bench/numpy_ref.py | tee "$LOG/numpy_${T}_$R.txt"
    py "$@" python3 bench/onnx_ref.py --numpy-bert-batch 8 | tee -a "$LOG/numpy_${T}_$R.txt"
    col=np1; [ "$T" = 1 ] || col=np2
    awk -v c=$col '$2 == "numpy" { n = $1; if (n == "bert_layer") n = "bert_b1"; print n, c, $3 }' \
        "$LOG/numpy_${T}_$R.txt" >>"$RES"
done

fi

if [ "$LOAD" -gt 0 ]; then
    echo "== under load: $LOAD busy process(es)"
    start_load
    loaded bert_b1 bench/bert_layer.circuit --runs 20
    loaded bert_b8 bench/bert_layer_batch.circuit --size b=8 --runs 20
    loaded conv3x3 bench/conv3x3.circuit --runs 20
    py python3 bench/onnx_ref.py --threads 1,2 --only bert_b1,bert_b8,conv3x3 | tee "$LOG/onnx_loaded_$R.txt"
    awk -v r="$R" '$2 == "onnxruntime" { print $1 "@load", "ort1", $4, r; print $1 "@load", "ort2", $9, r }' \
        "$LOG/onnx_loaded_$R.txt" >>"$RES"
    stop_load
fi
R=$((R + 1))
done

# Compile time of the 6-layer encoder's C (the runtime object compiled first, as cached), with
# the compiler the tool uses: $CC if set, else cc.
CC=${CC:-cc}
ENCODER="--size N=6 --size m=384 --size h=12 --size f=1536 --size t=128 --size npos=512 --size b=1"
"$CIRCUIT" emit-c examples/bert.circuit $ENCODER -o "$LOG/encoder6.c" 2>/dev/null
"$CIRCUIT" emit-c --runtime examples/bert.circuit -o "$LOG/runtime.c" 2>/dev/null
"$CC" -O3 -march=native -fPIC -c "$LOG/runtime.c" -o "$LOG/runtime.o"
t0=$(date +%s.%N)
"$CC" -O3 -march=native -fPIC -shared "$LOG/encoder6.c" "$LOG/runtime.o" -o "$LOG/encoder6.so" -lm -lpthread
t1=$(date +%s.%N)
echo "encoder6 compile $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s ($CC -O3), $(wc -l <"$LOG/encoder6.c") lines of C" | tee "$LOG/compile.txt"

echo
echo "best median ms per run over $ROUNDS round(s); C/ort = C ms ÷ onnxruntime ms (≤ 1.00: C at least as fast); raw output in $LOG"
awk '
    { k = $1 "," $2; if (!(k in v) || $3 + 0 < v[k] + 0) v[k] = $3 }
    NF >= 4 { round[k "," $4] = $3; if ($4 + 0 > rounds) rounds = $4 + 0 }
    function f(x) { return x == "" ? "-" : sprintf("%.3f", x) }
    function median(a, m,    i, j, t) {
        if (m == 0) return "-"
        for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return sprintf("%.2f", m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2)
    }
    function r(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    END {
        if (!(("bert_b1,c") in v)) quiet = 0; else quiet = 1
        fmt = "%-10s %10s %10s %10s %10s %10s %10s %8s %8s\n"
        if (quiet) {
        printf fmt, "workload", "C", "interp", "numpy 1T", "numpy 2T", "ort 1T", "ort 2T", "C/ort1T", "C/ort2T"
        n = split("gemm1024 bert_b1 bert_b8 mlp_b1 mlp_b8 mlp_b256 conv3x3 conv3x3_b8", ws, " ")
        for (i = 1; i <= n; i++) {
            w = ws[i]; c = v[w ",c"]
            printf fmt, w, f(c), f(v[w ",interp"]), f(v[w ",np1"]), f(v[w ",np2"]), \
                f(v[w ",ort1"]), f(v[w ",ort2"]), r(c, v[w ",ort1"]), r(c, v[w ",ort2"])
        }
        printf "paired: median over rounds of C ÷ onnxruntime, onnxruntime run right after C in each round\n"
        n = split("gemm1024 bert_b1 bert_b8 mlp_b1 mlp_b8 mlp_b256 conv3x3 conv3x3_b8 bert_t512 bert_t2048 bert_t8192", ws, " ")
        for (i = 1; i <= n; i++) {
            w = ws[i]; m1 = 0; m2 = 0; all = ""
            for (k = 1; k <= rounds; k++) {
                c = round[w ",c," k]
                if (c != "" && round[w ",ort1," k] > 0) p1[++m1] = c / round[w ",ort1," k]
                if (c != "" && round[w ",ort2," k] > 0) { p2[++m2] = c / round[w ",ort2," k]; all = all " " r(c, round[w ",ort2," k]) }
            }
            printf "  %-10s C/ort1T %s  C/ort2T %s  (per round:%s)\n", w, median(p1, m1), median(p2, m2), all
        }
        printf "\nlong sequences (BERT layer, batch 1; C backend only; arena: its peak bytes of intermediates)\n"
        lfmt = "%-10s %10s %10s %10s %8s %8s %12s\n"
        printf lfmt, "workload", "C", "ort 1T", "ort 2T", "C/ort1T", "C/ort2T", "arena MB"
        n = split("bert_t512 bert_t2048 bert_t8192", ws, " ")
        for (i = 1; i <= n; i++) {
            w = ws[i]; c = v[w ",c"]
            printf lfmt, w, f(c), f(v[w ",ort1"]), f(v[w ",ort2"]), r(c, v[w ",ort1"]), r(c, v[w ",ort2"]), \
                (v[w ",arena"] == "" ? "-" : sprintf("%.1f", v[w ",arena"] / 1048576))
        }
        }
        if (!(("bert_b1@load,c1") in v)) exit
        printf "\nunder load (one busy process per core): C with 1 and 2 threads; C2T/C1T ≤ 1.20 and C2T/ort2T ≤ 1.00 are the targets\n"
        fmt = "%-16s %10s %10s %10s %10s %9s %9s\n"
        printf fmt, "workload", "C 1T", "C 2T", "ort 1T", "ort 2T", "C2T/C1T", "C2T/ort2T"
        n = split("bert_b1 bert_b8 conv3x3", ws, " ")
        for (i = 1; i <= n; i++) {
            w = ws[i] "@load"; c1 = v[w ",c1"]; c2 = v[w ",c2"]
            printf fmt, w, f(c1), f(c2), f(v[w ",ort1"]), f(v[w ",ort2"]), r(c2, c1), r(c2, v[w ",ort2"])
        }
        printf "per round (the runs of a round are close in time; the rows above take the best of each runtime):\n"
        for (i = 1; i <= n; i++) {
            w = ws[i] "@load"; a = ""; b = ""
            for (k = 1; k <= rounds; k++) {
                c2 = round[w ",c2," k]
                a = a " " r(c2, round[w ",c1," k]); b = b " " r(c2, round[w ",ort2," k])
            }
            printf "%-16s C2T/C1T%s   C2T/ort2T%s\n", w, a, b
        }
    }' "$RES"
cat "$LOG/compile.txt"
