#!/usr/bin/env bash
# One device run for issue 10 (scripts/train/SCALAR.md): RD fine-tune of a bundle for both step
# parametrisations (scale, gain), an evaluation export of each (prior.bin + eval.json), the measured
# choice between them (mean PSNR gain over the common log-bpp range, no denoising), then the UNet
# fine-tune for the chosen one and its export. Networks are re-traced locally with torch 1.13 afterwards.
# Usage: scripts/train/scalar_gpu.sh DATA HOLDOUT OUT [RD_MINUTES [UNET_MINUTES]]
# DATA, HOLDOUT: image folders or packs (on the device: packs/train.pack packs/holdout.pack, carried).
# BUNDLE (environment, default models/tiny): the bundle to fine-tune, of any architecture train_scalar.py
# knows (bundle.json "architecture": tiny, base, toy); for `base`, a carried copy of its exported networks
# (packs/base-bundle: SCALAR.md "From the base bundle").
# DEVICE (default cuda), PYTHON (default python3) and SCALAR_ARGS (extra train_scalar.py arguments, appended to
# every call so they win) let the same script run as a CPU toy test: scripts/tests/test_scalar.py.
set -euo pipefail
DATA=$1 HOLDOUT=$2 OUT=$3 MINUTES=${4:-2.5} UNET_MINUTES=${5:-1.5}
cd "$(dirname "$0")/../.."
T=scripts/train/train_scalar.py
PY=${PYTHON:-python3}
BUNDLE=${BUNDLE:-models/tiny}
[[ -f $BUNDLE/bundle.json ]] || { echo "scalar_gpu: $BUNDLE/bundle.json missing" >&2; exit 3; }
DEVICE=${DEVICE:-cuda}
read -r -a EXTRA <<< "${SCALAR_ARGS:-}"
COMMON=(--bundle "$BUNDLE" --data "$DATA" --holdout "$HOLDOUT" --batch 16 --crop 256 --log-every 200)
for MODE in scale gain; do
  W="$OUT/scalar-$MODE"
  $PY $T "${COMMON[@]}" --work "$W" --out "$W/bundle" --device "$DEVICE" --stages rd --step-mode "$MODE" \
    --minutes "$MINUTES" --iters 1000000 "${EXTRA[@]}"
  $PY $T "${COMMON[@]}" --work "$W" --out "$W/bundle" --stages export --no-networks --max-images 200 "${EXTRA[@]}"
  # at once, not at the end: a call killed at its limit returns only 8 files, so $OUT never holds more
  # (the local export rebuilds prior.bin from rd.ckpt)
  rm -f "$W/bundle/prior.bin"
done
BEST=$($PY - "$OUT" <<'PY'
import json, sys
sys.path.insert(0, "scripts/train")
import scalar_prior as sp
rows = {m: json.load(open(f"{sys.argv[1]}/scalar-{m}/bundle/eval.json"))["levels"] for m in ("scale", "gain")}
g = sp.mean_psnr_gain(rows["scale"], rows["gain"])
print("gain vs scale: mean PSNR gain %s dB" % g, file=sys.stderr)
print("gain" if g is not None and g > 0 else "scale")
PY
)
W="$OUT/scalar-$BEST"
echo "scalar_gpu: chosen step mode: $BEST" | tee -a "$W/train_scalar.log"
OTHER=$([[ $BEST == scale ]] && echo gain || echo scale)
rm -f "$OUT/scalar-$OTHER"/rd*.ckpt # the loser's weights: its eval.json and log stay
$PY $T "${COMMON[@]}" --work "$W" --out "$W/bundle" --device "$DEVICE" --stages unet \
  --unet-minutes "$UNET_MINUTES" --unet-iters 1000000 "${EXTRA[@]}"
$PY $T "${COMMON[@]}" --work "$W" --out "$W/bundle" --stages export --no-networks --max-images 200 "${EXTRA[@]}"
# The device returns at most 8 files of at most 16 MiB: the chosen mode's weights (rd.ckpt, rd-dec.ckpt,
# unet_scalar.ckpt) and both modes' eval.json and logs (7 files; the choice is logged in the chosen mode's log).
rm -f "$W/bundle/prior.bin"
n=$(find "$OUT" -type f | wc -l)
find "$OUT" -type f -printf '%s\t%P\n'
[[ $n -le 8 ]] || echo "scalar_gpu: WARNING: $n files under \$OUT, the device returns 8" >&2
big=$(find "$OUT" -type f -size +16M)
[[ -z $big ]] || echo "scalar_gpu: WARNING: over 16 MiB, will not come back: $big" >&2
