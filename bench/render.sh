#!/bin/sh
# bench/render.sh — times `circuit render` (release build) on every example, fully expanded
# and at the default depth. The issue's bar: under one second for the largest example.
# Usage: sh bench/render.sh   (from the package root; SCRATCH overrides the build directory)
set -e
SCRATCH=${SCRATCH:-.build}
swift build -c release --scratch-path "$SCRATCH" --product circuit >/dev/null
C="$SCRATCH/release/circuit"
out=$(mktemp -d)
for f in examples/*.circuit stdlib/*.circuit; do
  for depth in default 9; do
    flag=""; [ "$depth" = 9 ] && flag="--depth 9"
    start=$(date +%s.%N)
    "$C" render "$f" $flag -o "$out/x.svg"
    end=$(date +%s.%N)
    printf '%-40s depth %-7s %6.3f s\n' "$f" "$depth" "$(echo "$end - $start" | bc)"
  done
done
rm -rf "$out"
