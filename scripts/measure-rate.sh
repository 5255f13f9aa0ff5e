#!/usr/bin/env bash
# Measures rate control's dithering rule (dev.sdc.eval.RateSweep): for each image, budgets at 0.25..1.0 of its
# default file size, the --size search with and without dithering, decoded PSNR of each, and the mean number
# of trials. Bundle: --model DIR, else $SDC_MODEL, else the built-in one.
# Usage: scripts/measure-rate.sh [--model DIR] IMAGE... (e.g. /work/shared/data/kodak/kodim0[1-6].png)
# Exit codes as sdc's: 2 bad arguments (none, or --model without a folder), 3 a missing or unreadable image.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
usage="usage: scripts/measure-rate.sh [--model DIR] IMAGE..."
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
case "$1" in -h|--help) print_help; exit 0 ;; esac
[ -f "$root/target/sdc.jar" ] || { echo "measure-rate: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
# SDC_JAVA_OPTS: split on blanks, never glob-expanded. DJL's caches are set by RateSweep itself (DjlRuntime).
read -r -a java_opts <<< "${SDC_JAVA_OPTS:-}"
exec java -Djava.awt.headless=true -Dai.djl.offline=true "${java_opts[@]}" -cp "$root/target/sdc.jar" \
  dev.sdc.eval.RateSweep "$@"
