#!/usr/bin/python3
"""Write the deterministic scalar-mode test bundle `testdata/bundles/test-scalar/` (docs/SCALAR.md).

Usage (from the repository root; Debian's python3-torch, hence /usr/bin/python3):

    /usr/bin/python3 scripts/make-test-scalar-bundle.py [OUT_DIR]   # default testdata/bundles/test-scalar

The networks are those of `testdata/bundles/test` (scripts/make-test-bundle.py, analytic, a few kB),
copied byte for byte. Added: `prior.bin` with 3 rate levels whose integer tables are written down
analytically (discretised Laplace densities whose width grows with the context), so Java tests exercise
quantizer mode 1 end to end without a trained prior. Nothing here is tuned for compression.
"""
import math
import os
import shutil
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
import sdcbundle  # noqa: E402
import scalar_prior as sp  # noqa: E402

SOURCE = os.path.join(ROOT, "testdata", "bundles", "test")
QUANT_BOUND = 2.0
SCALE = 0.5
THRESHOLDS = (1, 3, 8)
# coarse to fine; channel-wise a little different so per-channel steps are exercised
LEVEL_STEPS = ([0.50, 0.45, 0.55, 0.60], [0.20, 0.18, 0.22, 0.25], [0.08, 0.07, 0.09, 0.10])
PRECISION = 15


def laplace_table(step, context):
    """Symbols over the whole latent range of this step, a Laplace pmf of width 0.6 + context,
    an escape weight of 1e-4 (never needed for in-range values, but the format has one)."""
    half = int(math.ceil(QUANT_BOUND / step)) + 1
    offset, n = -half, 2 * half + 1
    b = 0.6 + context
    pmf = [math.exp(-abs(offset + s) / b) for s in range(n)] + [1e-4]
    return sp.Table(offset, sp.quantize_pmf(pmf, PRECISION), PRECISION)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "testdata", "bundles", "test-scalar")
    os.makedirs(out, exist_ok=True)
    for f in ("encoder.pt", "decoder.pt", "unet.pt", "context.bin"):
        shutil.copyfile(os.path.join(SOURCE, f), os.path.join(out, f))
    sched = sdcbundle.SD_SCHEDULE
    betas = np.linspace(sched["beta_start"] ** 0.5, sched["beta_end"] ** 0.5, sched["train_steps"]) ** 2
    acp = np.cumprod(1.0 - betas)
    levels = []
    for steps in LEVEL_STEPS:
        t = sp.matching_timestep(np.asarray(steps, dtype=np.float32), SCALE, acp)
        tables = [[laplace_table(steps[c], k) for k in range(len(THRESHOLDS) + 1)] for c in range(4)]
        levels.append(sp.Level(steps, t, tables))
    sp.write_prior(os.path.join(out, "prior.bin"), levels, THRESHOLDS, PRECISION)
    sdcbundle.write_manifest(
        out, name="test-scalar",
        description="Analytic test bundle with a scalar prior (scripts/make-test-scalar-bundle.py); not a real codec.",
        pixel_range=(-1.0, 1.0), channels=4, factor=8, alignment=8, scale=SCALE,
        quant_min=-QUANT_BOUND, quant_max=QUANT_BOUND, schedule=dict(sched),
        denoise={"strength": 0.04, "steps": 2}, context_shape=(1, 2, 8),
        extra_files=("prior.bin",), extra={"scalar": {"prior": "prior.bin", "default_level": 1}})
    print("wrote %s: %d levels, timesteps %s" % (out, len(levels), [lv.timestep for lv in levels]))


if __name__ == "__main__":
    main()
