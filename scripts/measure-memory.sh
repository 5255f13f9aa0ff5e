#!/usr/bin/env bash
# Measures how much native memory each network of a bundle needs per pixel, for bundle.json's optional
# "memory" object (docs/MODELS.md). One JVM per network and size, so each peak (VmHWM) is that call's.
#   scripts/measure-memory.sh BUNDLE_DIR [SIZES...]      sizes are square image sides, default 256 512 1024
# Build first: mvn -B -q -DskipTests package. Take the largest bytes-per-pixel figure of sizes near the
# tile sizes you expect (attention layers make the UNet's figure grow with size) and round it up.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
jar="$root/target/sdc.jar"
[ -f "$jar" ] || { echo "measure-memory: build $jar first (mvn -B -q -DskipTests package)" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: $0 BUNDLE_DIR [SIDE...]" >&2; exit 2; }
bundle="$1"; shift
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(256 512 1024)
cache="${SDC_CACHE_DIR:-$HOME/.cache/sdc}"
networks=(encoder decoder)
[ -f "$bundle/unet.pt" ] && networks+=(unet)
for net in "${networks[@]}"; do
  for s in "${sizes[@]}"; do
    java -Dai.djl.offline=true -DDJL_CACHE_DIR="$cache/djl" -DENGINE_CACHE_DIR="$cache/djl" ${SDC_JAVA_OPTS:-} \
      -cp "$jar" dev.sdc.model.MemoryProbe "$bundle" "$net" "$s" "$s"
  done
done
