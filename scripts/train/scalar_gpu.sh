#!/usr/bin/env bash
# One device run for issue 10 (scripts/train/SCALAR.md): RD fine-tune of the tiny bundle for both step
# parametrisations, each followed by an evaluation export (prior.bin + eval.json; networks are re-traced
# locally with torch 1.13 afterwards). Usage: scripts/train/scalar_gpu.sh DATA HOLDOUT OUT [MINUTES]
set -euo pipefail
DATA=$1 HOLDOUT=$2 OUT=$3 MINUTES=${4:-3.5}
cd "$(dirname "$0")/../.."
for MODE in scale gain; do
  W="$OUT/scalar-$MODE"
  python3 scripts/train/train_scalar.py --bundle models/tiny --data "$DATA" --holdout "$HOLDOUT" \
    --work "$W" --out "$W/bundle" --device cuda --stages rd --step-mode "$MODE" \
    --minutes "$MINUTES" --iters 1000000 --batch 16 --crop 256 --log-every 200
  python3 scripts/train/train_scalar.py --bundle models/tiny --data "$DATA" --holdout "$HOLDOUT" \
    --work "$W" --out "$W/bundle" --stages export --no-networks --max-images 200
done
