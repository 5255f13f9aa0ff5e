#!/usr/bin/env bash
# Metadata bytes kept and dropped, and .sdc sizes with and without metadata, on camera-style JPEGs made by
# dev.sdc.metadata.CameraStylePhoto (or on JPEG/PNG/TIFF files given as arguments).
# Usage: scripts/measure-metadata.sh [PHOTO...]   (needs target/sdc.jar: mvn -B -q -DskipTests package)
# A photo that is missing or unreadable is one error line and exit 3, as in sdc.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/target/sdc.jar"
usage="usage: scripts/measure-metadata.sh [PHOTO...]"
first_args measure-metadata "$usage" 0 "$@"
shift "$skip"
# checked before any work: a typo in the last photo must not cost the others
for p in "$@"; do
  [ -e "$p" ] || { echo "measure-metadata: error: cannot read $p: no such file" >&2; exit 3; }
  [ ! -d "$p" ] || { echo "measure-metadata: error: cannot read $p: is a folder" >&2; exit 3; }
done
[ -f "$jar" ] || { echo "measure-metadata: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
photos=("$@")
if [ ${#photos[@]} -eq 0 ]; then
  java -cp "$jar" dev.sdc.metadata.CameraStylePhoto "$work/cam-768x512.jpg" 768 512 30000
  java -cp "$jar" dev.sdc.metadata.CameraStylePhoto "$work/cam-512x768-mn60k.jpg" 512 768 60000
  photos=("$work"/cam-*.jpg)
fi

for p in "${photos[@]}"; do
  [[ $p == -* ]] && p="./$p" # a name that starts with '-' is never an option to sdc
  java -cp "$jar" dev.sdc.metadata.MetadataReport "$p"
  for m in none default all; do
    if [ "$m" = default ]; then opt=(); else opt=(--metadata "$m"); fi
    "$root/scripts/sdc" encode -q -f "${opt[@]}" "$p" "$work/out-$m.sdc"
    printf '  --metadata %-8s %7d bytes\n' "$m" "$(stat -c %s "$work/out-$m.sdc")"
  done
done
