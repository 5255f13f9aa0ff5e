#!/usr/bin/env bash
# Measures rate control's dithering rule (dev.sdc.eval.RateSweep): for each image, budgets at 0.25..1.0 of its
# default file size, the --size search with and without dithering, decoded PSNR of each, and the mean number
# of trials. Bundle: --model DIR, else $SDC_MODEL, else the built-in one.
# Usage: scripts/measure-rate.sh [--model DIR] IMAGE... (e.g. /work/shared/data/kodak/kodim0[1-6].png)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
[ -f "$root/target/sdc.jar" ] || { echo "measure-rate: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
cache="${SDC_CACHE_DIR:-$HOME/.cache/sdc}"
exec java -Djava.awt.headless=true -Dai.djl.offline=true -DDJL_CACHE_DIR="$cache/djl" \
  -DENGINE_CACHE_DIR="$cache/djl" ${SDC_JAVA_OPTS:-} -cp "$root/target/sdc.jar" dev.sdc.eval.RateSweep "$@"
