#!/usr/bin/env bash
# One GPU session of the `base` bundle, in one command (scripts/train/BASE.md has the plan per session).
#
#   bash scripts/train/gpu-step.sh STAGES MINUTES [more train_base.py arguments]
#   e.g. bash scripts/train/gpu-step.sh ae,eval 8.5
#
# Expects, carried next to the tree (run's carry: ["packs"]): packs/train.pack, packs/holdout.pack
# (scripts/train/pack_images.py) and packs/init/ (the last weights: scripts/train/weights.sh get).
# Writes under $OUT/weights/ (at most 8 files, each <= 16 MiB, as the device tool returns them):
# enc/dec/decft/unet/sharp/disc.ckpt (those trained in this session), state.json (iterations, latent
# scale, denoise defaults, holdout table) and train.log. MINUTES is a hard budget for train_base.py:
# training stops 75 s before it to save and evaluate; keep it <= 8.5 under run's 600 s limit.
set -uo pipefail
cd "$(dirname "$0")/../.."
stages=${1:?usage: gpu-step.sh STAGES MINUTES [train_base args]}
minutes=${2:?usage: gpu-step.sh STAGES MINUTES [train_base args]}
shift 2
out=${OUT:-/tmp/sdc-out}
mkdir -p "$out/weights"
export PYTHONUNBUFFERED=1
py=${PYTHON:-python3}  # the device machine's python3 has torch; here: PYTHON=/usr/bin/python3
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
for f in packs/train.pack packs/holdout.pack; do
  [[ -f $f ]] || { echo "gpu-step: $f missing (carry packs/, see scripts/train/BASE.md)" >&2; exit 3; }
done
init=packs/init
[[ -d $init ]] || { echo "gpu-step: no packs/init: training from scratch"; init=packs/none; }
start=$(date +%s)
$py scripts/train/train_base.py --train-pack packs/train.pack --holdout-pack packs/holdout.pack \
  --init "$init" --save "$out/weights" --stages "$stages" --minutes "$minutes" "$@"
rc=$?
echo "gpu-step: train_base exit $rc after $(( $(date +%s) - start )) s; files:"
ls -l "$out/weights"
exit $rc
