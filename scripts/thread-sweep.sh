#!/usr/bin/env bash
# Which libtorch thread counts decode a file to the same bytes, and what a decode's stages cost at each
# (README "Determinism"). Encodes IMAGE once with the default SDC_THREADS=1, then decodes it with
# SDC_THREADS=1..MAX and prints each output's sha256 prefix, whether it equals the 1-thread output, and the
# UNet and VAE-decoder wall times that `sdc decode -v` reports (cold JVM, one run each: indicative only).
# Usage: scripts/thread-sweep.sh [IMAGE] [MAX]   (default ../shared/data/kodak/kodim23.png, 16; needs target/sdc.jar)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
image="${1:-$root/../shared/data/kodak/kodim23.png}"
max="${2:-16}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/scripts/sdc" encode -q "$image" "$work/x.sdc"
ref=""
printf '%-8s %-17s %-6s %10s %10s\n' threads sha256 same unet_ms decoder_ms
for t in $(seq 1 "$max"); do
  line="$(SDC_THREADS=$t "$root/scripts/sdc" decode -v "$work/x.sdc" "$work/out-$t.png" 2>&1 | grep '^timings:')"
  sum="$(sha256sum "$work/out-$t.png" | cut -c1-16)"
  [ -n "$ref" ] || ref="$sum"
  unet="$(sed -n 's/.*unet-denoise \([0-9.]*\) ms.*/\1/p' <<<"$line")"
  dec="$(sed -n 's/.*vae-decode \([0-9.]*\) ms.*/\1/p' <<<"$line")"
  printf '%-8s %-17s %-6s %10s %10s\n' "$t" "$sum" "$([ "$sum" = "$ref" ] && echo yes || echo no)" "$unet" "$dec"
done
