#!/usr/bin/python3
"""CPU cost probe of the `base` architecture: export randomly initialised networks as a bundle and time them.

    /usr/bin/python3 scripts/train/bench_base.py --out scripts/train/runs/base-probe [--threads 2]

The bundle (name `base-probe`, random weights, never to be committed) is written with the real export code
of train_base.py, so the Java side can time it too:

    OMP_NUM_THREADS=2 scripts/bench ../shared/data/kodak/kodim23.png --model scripts/train/runs/base-probe

Prints parameter counts, file sizes and median torch timings of encoder.pt / decoder.pt at 768x512.
"""
import argparse
import os
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import base_models as bm  # noqa: E402
import train_base  # noqa: E402


def median_ms(fn, repeats):
    fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--size", default="768x512")
    p.add_argument("--compare", default="models/tiny", help="bundle timed alike in the same process ('' for none)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    nets = {"encoder": bm.make_encoder(), "decoder": bm.make_decoder(), "unet": bm.make_unet()}
    train_base.export_bundle(a.out, nets["encoder"], nets["decoder"], nets["unet"], scale=1.0,
                             denoise=None, sharp=bm.make_decoder(), name="base-probe",
                             description="RANDOM WEIGHTS: CPU cost probe of the base architecture, not a codec")
    total = 0
    for f in sorted(os.listdir(a.out)):
        s = os.path.getsize(os.path.join(a.out, f))
        total += s
        print(f"{f:18s} {s / 1e6:7.2f} MB")
    print(f"{'bundle':18s} {total / 1e6:7.2f} MB")
    for k, m in nets.items():
        print(f"params {k}: {bm.param_count(m):,}")
    w, h = (int(v) for v in a.size.split("x"))
    x = torch.rand(1, 3, h, w) * 2 - 1
    res = {}
    for label, folder in (("base-probe", a.out), ("compare", a.compare)):
        if not folder:
            continue
        te = torch.jit.load(os.path.join(folder, "encoder.pt"))
        td = torch.jit.load(os.path.join(folder, "decoder.pt"))
        with torch.no_grad():
            z = te(x)
            e = median_ms(lambda: te(x), a.repeats)
            d = median_ms(lambda: td(z), a.repeats)
        res[label] = e + d
        print(f"{folder}: torch {torch.__version__}, {a.threads} threads, {w}x{h}: encoder {e:.0f} ms, "
              f"decoder {d:.0f} ms, sum {e + d:.0f} ms (medians of {a.repeats})")
    if len(res) == 2:
        print(f"base/compare time ratio {res['base-probe'] / res['compare']:.2f} (scale a quiet machine's "
              f"Java timing of the compare bundle by it, or time the probe with scripts/bench --model)")


if __name__ == "__main__":
    main()
