#!/bin/sh
# bench/roofline.sh — every benchmark under bench/ on the C backend with step timers beside
# each step's roofline lower bound (circuit bench --profile; the machine model is measured
# once and cached). Prints each table and, per benchmark, the smallest measured ÷ bound: it
# must be at least 1 (a bound is a lower bound), and the script fails otherwise.
# Usage: sh bench/roofline.sh   (from the package root; SCRATCH overrides the build directory)
set -e
SCRATCH=${SCRATCH:-.build}
swift build -c release --scratch-path "$SCRATCH" --product circuit >/dev/null
C="$SCRATCH/release/circuit"
status=0
for f in bench/*.circuit; do
  case "$f" in
    bench/train_*) args="--train --runs 10" ;;
    *) args="--runs 20" ;;
  esac
  out=$("$C" bench --backend c --profile $args "$f")
  printf '%s\n' "$out" | sed -n '/roofline/,$p'
  # The meas/bound column is the second to last of each step row.
  worst=$(printf '%s\n' "$out" | sed -n '/roofline/,$p' | awk '/^ +[0-9]+ %|^ +[0-9]+ output/ { r = $(NF-1); if (r != "-" && (min == "" || r + 0 < min)) min = r + 0 } END { print min }')
  echo "$f: smallest measured / bound = $worst"
  if [ -n "$worst" ] && awk "BEGIN { exit !($worst < 1) }"; then status=1; echo "  a bound exceeds a measured time"; fi
done
exit $status
