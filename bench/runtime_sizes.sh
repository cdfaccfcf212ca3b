#!/bin/sh
# bench/runtime_sizes.sh — issue 14 part 1: the runtime-sized C library against the code
# specialised at the same sizes, on the rows of bench/compare.sh, and how many compiles a
# 6-layer encoder needs over nine shapes.
#
# Part 1, per row: `circuit bench FILE --backend c` with `--runtime-sizes off` (specialised)
# and with `--runtime-sizes NAMES` (the template library, built at once), alternated ROUNDS
# times; prints each median and the ratio sized/specialised of the best medians, and which
# library the sized run used (a row whose template does not hold at its sizes falls back to
# specialised code, and says why).
# Part 2: examples/bert.circuit (6 layers, 384 wide) at b ∈ {1, 2, 4} × t ∈ {16, 48, 128}
# with a fresh compile cache, under the default `auto` and under `off`: each shape's load line
# (runtime-sized or specialised, template built or cached, library compiled or cached, time).
#
# Usage: sh bench/runtime_sizes.sh   (from the package root)
#   CIRCUIT=path/to/circuit   use that binary (default: build release into .build)
#   ROUNDS=n                  alternations per row (default 2)
set -e
ROUNDS=${ROUNDS:-2}
if [ -z "$CIRCUIT" ]; then
    swift build -c release --product circuit >/dev/null
    CIRCUIT=.build/release/circuit
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# A compile cache of this run's own, so that no template or failure from earlier runs counts.
export CIRCUIT_CACHE_DIR="$TMP/cache"

median() { sed -n 's/^  c  *\([0-9.]*\) ms\/run.*/\1/p' "$1"; }

row() {  # name, names, file, options...
    name=$1; names=$2; file=$3; shift 3
    best_off=""; best_on=""
    r=1
    while [ $r -le "$ROUNDS" ]; do
        "$CIRCUIT" bench "$file" --backend c --runtime-sizes off "$@" >"$TMP/off.txt"
        "$CIRCUIT" bench "$file" --backend c --runtime-sizes "$names" "$@" >"$TMP/on.txt"
        off=$(median "$TMP/off.txt"); on=$(median "$TMP/on.txt")
        best_off=$(python3 -c "print(min(x for x in [$off, ${best_off:-1e9}]))")
        best_on=$(python3 -c "print(min(x for x in [$on, ${best_on:-1e9}]))")
        r=$((r + 1))
    done
    ratio=$(python3 -c "print(f'{$best_on / $best_off:.3f}')")
    printf '%-12s %-8s specialised %9s ms  runtime-sized %9s ms  ratio %s  (%s)\n' \
        "$name" "$names" "$best_off" "$best_on" "$ratio" "$(head -1 "$TMP/on.txt" | sed 's/^[^,]*, [^,]*, //')"
}

echo "== runtime-sized vs specialised (best medians of $ROUNDS alternations, 2 threads)"
row gemm1024 m,k bench/gemm.circuit --runs 20
row bert_b1 t bench/bert_layer.circuit --runs 20
row bert_b8 b,t bench/bert_layer_batch.circuit --size b=8 --runs 20
row mlp_b1 b examples/mlp.circuit --size b=1 --runs 2000
row mlp_b8 b examples/mlp.circuit --size b=8 --runs 500
row mlp_b256 b examples/mlp.circuit --size b=256 --runs 20
row conv3x3 b bench/conv3x3.circuit --runs 20
row conv3x3_b8 b bench/conv3x3.circuit --size b=8 --runs 10
row bert_t512 t bench/bert_layer.circuit --size t=512 --runs 10
row bert_t2048 t bench/bert_layer.circuit --size t=2048 --runs 3

for mode in auto off; do
    echo "== 6-layer encoder over nine shapes, fresh cache, --runtime-sizes $mode"
    export CIRCUIT_CACHE_DIR="$TMP/cache-$mode"
    for b in 1 2 4; do
        for t in 16 48 128; do
            "$CIRCUIT" bench examples/bert.circuit --size N=6 --size m=384 --size h=12 --size f=1536 \
                --size npos=512 --size b=$b --size t=$t --backend c --runs 3 --runtime-sizes $mode >"$TMP/enc.txt"
            printf 'b=%s t=%-4s %s\n' $b $t "$(head -1 "$TMP/enc.txt" | sed 's/^[^,]*, [^,]*, //')"
        done
    done
done
