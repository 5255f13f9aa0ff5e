#!/usr/bin/env bash
# Measures sdc's index coder against zlib level 9 over Bühlmann's layout (raw palette, then one byte per
# index) on real latents: encodes every image of the given folders at 16, 64 and 256 colours with the
# default bundle (or $SDC_MODEL), then runs dev.sdc.bitstream.CoderComparison over the .sdc files.
# Usage: scripts/measure-coder.sh DIR... (e.g. testdata/images ../shared/data/kodak)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
[ -f "$root/target/sdc.jar" ] || { echo "measure-coder: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for colors in 16 64 256; do
  for dir in "$@"; do
    for img in "$dir"/*.png; do
      "$root/scripts/sdc" encode "$img" "$work/$(basename "$img" .png)-c$colors.sdc" --colors "$colors" -q
    done
  done
  echo "== $colors colours"
  java -cp "$root/target/sdc.jar" dev.sdc.bitstream.CoderComparison "$work"/*-c$colors.sdc | grep TOTAL
done
