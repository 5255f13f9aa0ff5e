#!/usr/bin/env bash
# Measures sdc's index coder against zlib level 9 over Bühlmann's layout (raw palette, then one byte per
# index) on real latents: encodes every image of the given folders at 16, 64 and 256 colours with the
# default bundle (or $SDC_MODEL), then runs dev.sdc.bitstream.CoderComparison over the .sdc files.
# Usage: scripts/measure-coder.sh DIR... (e.g. testdata/images ../shared/data/kodak)
# Each DIR must hold at least one .png (exit 3 otherwise, as sdc for a missing input; 2 for no DIR at all).
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
usage="usage: scripts/measure-coder.sh DIR..."
first_args measure-coder "$usage" 1 "$@"
shift "$skip"
# the folders checked before any encode: a typo in the last one must not cost the others' work
for dir in "$@"; do
  [ -d "$dir" ] || { echo "measure-coder: error: $dir: no such folder" >&2; exit 3; }
  shopt -s nullglob; pngs=("$dir"/*.png); shopt -u nullglob
  [ ${#pngs[@]} -gt 0 ] || { echo "measure-coder: error: $dir: no .png images in it" >&2; exit 3; }
done
[ -f "$root/target/sdc.jar" ] || { echo "measure-coder: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for colors in 16 64 256; do
  for dir in "$@"; do
    for img in "$dir"/*.png; do
      [[ $img == -* ]] && img="./$img" # a folder named "-x": never an option to sdc
      "$root/scripts/sdc" encode "$img" "$work/$(basename "$img" .png)-c$colors.sdc" --colors "$colors" -q
    done
  done
  echo "== $colors colours"
  java -cp "$root/target/sdc.jar" dev.sdc.bitstream.CoderComparison "$work"/*-c$colors.sdc | grep TOTAL
done
