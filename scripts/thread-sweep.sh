#!/usr/bin/env bash
# Which libtorch thread counts decode a file to the same bytes, and what a decode's stages cost at each
# (README "Determinism"). Encodes IMAGE once with the default SDC_THREADS=1, then decodes it with
# SDC_THREADS=1..MAX and prints each output's sha256 prefix, whether it equals the 1-thread output, and the
# UNet and VAE-decoder wall times that `sdc decode -v` reports (cold JVM, one run each: indicative only).
# Usage: scripts/thread-sweep.sh [IMAGE] [MAX]   (default ../shared/data/kodak/kodim23.png, 16; needs target/sdc.jar)
# MAX is a whole number 1..256 (SDC_THREADS's range). A failing sdc run prints its error and exits with its code.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$0")/.." && pwd)"
usage="usage: scripts/thread-sweep.sh [IMAGE] [MAX]"
first_args thread-sweep "$usage" 0 "$@"
shift "$skip"
[ $# -le 2 ] || { echo "thread-sweep: error: too many arguments ($usage)" >&2; exit 2; }
image="${1:-$root/../shared/data/kodak/kodim23.png}"
max="${2:-16}"
if ! [[ $max =~ ^0*[1-9][0-9]{0,2}$ ]] || ((10#$max > 256)); then
  echo "thread-sweep: error: MAX must be a whole number 1..256, got '$max' ($usage)" >&2
  exit 2
fi
max=$((10#$max))
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/scripts/sdc" encode -q "$image" "$work/x.sdc"
ref=""
printf '%-8s %-17s %-6s %10s %10s\n' threads sha256 same unet_ms decoder_ms
for ((t = 1; t <= max; t++)); do
  # sdc's whole output kept apart: on a failure it is shown, not swallowed by the grep for the timings
  rc=0
  SDC_THREADS=$t "$root/scripts/sdc" decode -v "$work/x.sdc" "$work/out-$t.png" >"$work/log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$work/log" >&2
    echo "thread-sweep: error: sdc decode with SDC_THREADS=$t failed (exit $rc)" >&2
    exit "$rc"
  fi
  line="$(grep '^timings:' "$work/log" || true)"
  if [ -z "$line" ]; then
    cat "$work/log" >&2
    echo "thread-sweep: error: no 'timings:' line in the output of sdc decode -v (SDC_THREADS=$t)" >&2
    exit 1
  fi
  sum="$(sha256sum "$work/out-$t.png" | cut -c1-16)"
  [ -n "$ref" ] || ref="$sum"
  unet="$(sed -n 's/.*unet-denoise \([0-9.]*\) ms.*/\1/p' <<<"$line")"
  dec="$(sed -n 's/.*vae-decode \([0-9.]*\) ms.*/\1/p' <<<"$line")"
  printf '%-8s %-17s %-6s %10s %10s\n' "$t" "$sum" "$([ "$sum" = "$ref" ] && echo yes || echo no)" "$unet" "$dec"
done
