#!/usr/bin/env bash
# Measures how much native memory each network of a bundle needs per pixel, for bundle.json's optional
# "memory" object (docs/MODELS.md). One JVM per network and size, so each peak (VmHWM) is that call's.
# Usage: scripts/measure-memory.sh BUNDLE_DIR [SIZES...]   sizes are square image sides, default 256 512 1024
# Build first: mvn -B -q -DskipTests package. Take the largest bytes-per-pixel figure of sizes near the
# tile sizes you expect (attention layers make the UNet's figure grow with size) and round it up.
# A size is a whole number 1..65536 (rounded down to the bundle's alignment; each line names the size used).
# Exit codes as sdc's: 2 bad arguments, 4 a bundle that is missing or invalid.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
jar="$root/target/sdc.jar"
usage="usage: scripts/measure-memory.sh BUNDLE_DIR [SIDE...]"
first_args measure-memory "$usage" 1 "$@"
shift "$skip"
bundle="$1"; shift
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(256 512 1024)
# checked here before the first JVM (MemoryProbe checks them too): a bad last size must not cost the others
for s in "${sizes[@]}"; do
  if ! [[ $s =~ ^0*[1-9][0-9]{0,4}$ ]] || ((10#$s > 65536)); then
    echo "measure-memory: error: SIDE must be a whole number 1..65536, got '$s' ($usage)" >&2
    exit 2
  fi
done
[ -f "$jar" ] || { echo "measure-memory: build $jar first (mvn -B -q -DskipTests package)" >&2; exit 1; }
# SDC_JAVA_OPTS: split on blanks, never glob-expanded. DJL's caches are set by MemoryProbe itself (DjlRuntime).
read -r -a java_opts <<< "${SDC_JAVA_OPTS:-}"
networks=(encoder decoder)
[ -f "$bundle/unet.pt" ] && networks+=(unet)
for net in "${networks[@]}"; do
  for s in "${sizes[@]}"; do
    java -Dai.djl.offline=true "${java_opts[@]}" -cp "$jar" dev.sdc.model.MemoryProbe "$bundle" "$net" "$((10#$s))" "$((10#$s))"
  done
done
