#!/usr/bin/env bash
# Metadata bytes kept and dropped, and .sdc sizes with and without metadata, on camera-style JPEGs made by
# dev.sdc.metadata.CameraStylePhoto (or on JPEG/PNG/TIFF files given as arguments).
# Usage: scripts/measure-metadata.sh [PHOTO...]   (needs target/sdc.jar: mvn -B -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/target/sdc.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
photos=("$@")
if [ ${#photos[@]} -eq 0 ]; then
  java -cp "$jar" dev.sdc.metadata.CameraStylePhoto "$work/cam-768x512.jpg" 768 512 30000
  java -cp "$jar" dev.sdc.metadata.CameraStylePhoto "$work/cam-512x768-mn60k.jpg" 512 768 60000
  photos=("$work"/cam-*.jpg)
fi

for p in "${photos[@]}"; do
  java -cp "$jar" dev.sdc.metadata.MetadataReport "$p"
  for m in none default all; do
    if [ "$m" = default ]; then opt=(); else opt=(--metadata "$m"); fi
    "$root/scripts/sdc" encode -q -f "${opt[@]}" "$p" "$work/out-$m.sdc"
    printf '  --metadata %-8s %7d bytes\n' "$m" "$(stat -c %s "$work/out-$m.sdc")"
  done
done
