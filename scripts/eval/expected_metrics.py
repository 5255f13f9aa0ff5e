#!/usr/bin/python3
"""Generates the synthetic test images under testdata/eval/ and prints reference metric values for them,
computed independently of the Java code with Debian's numpy / scipy / scikit-image (0.19).

Run from the repository root:  /usr/bin/python3 scripts/eval/expected_metrics.py
(or with --detail: only the detail ratios of the committed images, with numpy alone)
The numbers it prints are pasted into src/test/java/dev/sdc/eval/metrics/MetricsTest.java.

Definitions (they match docs/EVAL.md):
  PSNR    10*log10(255^2 / MSE), MSE over all pixels and all three RGB channels.
  SSIM    skimage.metrics.structural_similarity per RGB channel (gaussian_weights=True, sigma=1.5, i.e. an
          11-tap Gaussian, K1=0.01, K2=0.03, data_range=255, use_sample_covariance=False, reflect borders,
          5-pixel border cropped before averaging), averaged over the three channels.
  MS-SSIM 5 scales, weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333); at scales 1..4 the mean contrast-structure
          term cs, at scale 5 the full SSIM, each per channel with the SSIM above, clamped at 0, combined as
          prod(cs_i^w_i) * ssim_5^w_5, then averaged over channels. Between scales a 2x2 average pool (an odd
          last row/column is dropped).
  detail  DetailRatio: LoG (sigma 1) energy on luma Y = 0.299 R + 0.587 G + 0.114 B, decoded / original. The
          kernel is the 9x9 sum g''(x) g(y) + g(x) g''(y) of the sampled Gaussian g (radius 4, sum 1) and
          g'' = g (x^2 - 1) minus its mean (sum 0); energy = sum of squared responses where the whole kernel
          lies inside the image. Built here as one 2-D kernel (Java uses separable passes).
"""
import os
import sys

import numpy as np
from PIL import Image

if "--detail" not in sys.argv:  # the detail check needs numpy only; the rest needs Debian's scipy + skimage
    from scipy import ndimage
    from skimage.metrics import structural_similarity

OUT = "testdata/eval"
WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
SIGMA, TRUNCATE, K1, K2, L = 1.5, 3.5, 0.01, 0.03, 255.0


def make_images():
    """Reference: smooth colour gradients + texture + a few edges; distortions of it. Fixed seed."""
    rng = np.random.default_rng(20240607)
    h, w = 176, 192
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 90 * np.sin(x / 17.0) * np.cos(y / 23.0)
    g = 60 + 150 * (x / w) + 20 * np.sin((x + y) / 5.0)
    b = 200 - 150 * (y / h) + 15 * np.cos(x / 3.0)
    ref = np.stack([r, g, b], axis=-1)
    ref[40:90, 60:130] = [230, 40, 30]          # a flat red block with hard edges
    ref += rng.normal(0, 6, ref.shape)          # fine texture
    ref = np.clip(np.round(ref), 0, 255).astype(np.uint8)

    noisy = np.clip(np.round(ref + rng.normal(0, 12, ref.shape)), 0, 255).astype(np.uint8)
    blurred = np.clip(np.round(ndimage.gaussian_filter(ref.astype(np.float64), sigma=(2.0, 2.0, 0))), 0, 255).astype(np.uint8)
    posterized = ((ref // 32) * 32 + 16).astype(np.uint8)
    return {"ref": ref, "noisy": noisy, "blurred": blurred, "posterized": posterized}


def gauss(a):
    return ndimage.gaussian_filter(a, sigma=SIGMA, truncate=TRUNCATE, mode="reflect")


def ssim_cs(a, b):
    """(mean SSIM, mean cs) of one channel, float64, same definition as skimage."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    ux, uy = gauss(a), gauss(b)
    vx = gauss(a * a) - ux * ux
    vy = gauss(b * b) - uy * uy
    vxy = gauss(a * b) - ux * uy
    c1, c2 = (K1 * L) ** 2, (K2 * L) ** 2
    cs_map = (2 * vxy + c2) / (vx + vy + c2)
    s_map = (2 * ux * uy + c1) / (ux * ux + uy * uy + c1) * cs_map
    pad = int(TRUNCATE * SIGMA + 0.5)
    crop = (slice(pad, -pad), slice(pad, -pad))
    return s_map[crop].mean(), cs_map[crop].mean()


def pool(a):
    h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
    a = a[:h, :w]
    return (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]) / 4.0


def ms_ssim(a, b):
    per_channel = []
    for c in range(3):
        x, y = a[..., c].astype(np.float64), b[..., c].astype(np.float64)
        value = 1.0
        for i, w in enumerate(WEIGHTS):
            s, cs = ssim_cs(x, y)
            if i == 0:
                # Cross-check our filter against skimage at full resolution.
                ref = structural_similarity(x, y, gaussian_weights=True, sigma=SIGMA,
                                            use_sample_covariance=False, data_range=L)
                assert abs(ref - s) < 1e-12, (ref, s)
            term = s if i == len(WEIGHTS) - 1 else cs
            value *= max(term, 0.0) ** w
            x, y = pool(x), pool(y)
        per_channel.append(value)
    return float(np.mean(per_channel))


def detail_energy(a):
    y = a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114
    x = np.arange(-4, 5, dtype=np.float64)
    g = np.exp(-x * x / 2)
    g /= g.sum()
    g2 = g * (x * x - 1)
    g2 -= g2.mean()
    kernel = np.outer(g, g2) + np.outer(g2, g)  # rows are y, columns x: g(y) g''(x) + g''(y) g(x)
    h, w = y.shape
    r = sum(kernel[i, j] * y[i:h - 8 + i, j:w - 8 + j] for i in range(9) for j in range(9))  # valid part only
    return float((r * r).sum())


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def detail_only():
    """--detail: the detail ratios of the committed images (no scipy needed, nothing rewritten)."""
    load = lambda n: np.asarray(Image.open(os.path.join(OUT, n + ".png")).convert("RGB")).astype(np.float64)  # noqa: E731
    ref = detail_energy(load("ref"))
    for name in ("noisy", "blurred", "posterized"):
        print(f"{name:11s} detail={detail_energy(load(name)) / ref:.10f}")


def main():
    if "--detail" in sys.argv:
        return detail_only()
    os.makedirs(OUT, exist_ok=True)
    images = make_images()
    for name, arr in images.items():
        Image.fromarray(arr, "RGB").save(os.path.join(OUT, name + ".png"))
    ref = images["ref"]
    for name in ("noisy", "blurred", "posterized"):
        d = images[name]
        ssim = structural_similarity(ref, d, channel_axis=-1, gaussian_weights=True, sigma=SIGMA,
                                     use_sample_covariance=False, data_range=L)
        print(f"{name:11s} psnr={psnr(ref, d):.10f} ssim={ssim:.10f} msssim={ms_ssim(ref, d):.10f} "
              f"detail={detail_energy(d) / detail_energy(ref):.10f}")
    # Luma-free sanity: identical images.
    print(f"{'identical':11s} ssim={structural_similarity(ref, ref, channel_axis=-1, gaussian_weights=True, sigma=SIGMA, use_sample_covariance=False, data_range=L):.10f}")


if __name__ == "__main__":
    sys.exit(main())
