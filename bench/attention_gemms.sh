#!/bin/sh
# bench/attention_gemms.sh — the attention GEMMs of BERT's training step alone
# (bench/c/attention_gemms.c) on the runtime `circuit emit-c --runtime` writes, on 1 and 2
# threads, with operands in cache and from memory (cold).
# Usage: sh bench/attention_gemms.sh   (from the package root; CIRCUIT overrides the binary)
set -e
C=${CIRCUIT:-.build/release/circuit}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$C" emit-c --runtime bench/train_bert.circuit -o "$dir/runtime.c"
cc -O3 -march=native bench/c/attention_gemms.c "$dir/runtime.c" -o "$dir/gemms" -lm -lpthread
for args in "1" "2" "1 cold" "2 cold"; do echo "== threads $args"; "$dir/gemms" $args; done
