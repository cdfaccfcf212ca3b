#!/usr/bin/env bash
# Renders every example and stdlib file to SVG and rasterises it with rsvg-convert, which
# fails on malformed SVG. PNGs go to $OUT (default: .build/svg-check) for looking at.
# Needs rsvg-convert (apt-get install -y librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-.build/svg-check}
SCRATCH=${SCRATCH:-.build}
mkdir -p "$OUT"
swift build --scratch-path "$SCRATCH" >/dev/null
BIN="$SCRATCH/debug/circuit"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found (apt-get install -y librsvg2-bin)" >&2; exit 1; }
status=0
for f in examples/*.circuit stdlib/*.circuit; do
  name="$(dirname "$f")_$(basename "$f" .circuit)"
  if ! "$BIN" render "$f" -o "$OUT/$name.svg"; then
    echo "FAIL render $f" >&2; status=1; continue
  fi
  if ! rsvg-convert -z 1.5 "$OUT/$name.svg" -o "$OUT/$name.png"; then
    echo "FAIL rsvg-convert $f" >&2; status=1; continue
  fi
  echo "ok $f -> $OUT/$name.png"
done
exit $status
