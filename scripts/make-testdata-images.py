"""Render the synthetic test images in testdata/images/ (our own making: no third-party photos).

Deterministic (fixed seeds, integer maths). Run with /usr/bin/python3 (numpy + PIL from Debian):
    /usr/bin/python3 scripts/make-testdata-images.py testdata/images
"""
import os
import sys

import numpy as np
from PIL import Image


def smooth_noise(rng, h, w, scale):
    """Bilinearly upsampled random grid: a smooth natural-looking field in [0,1]."""
    gh, gw = h // scale + 2, w // scale + 2
    g = rng.random((gh, gw))
    ys = np.linspace(0, gh - 2, h)
    xs = np.linspace(0, gw - 2, w)
    y0 = ys.astype(int); x0 = xs.astype(int)
    fy = (ys - y0)[:, None]; fx = (xs - x0)[None, :]
    a = g[y0][:, x0]; b = g[y0][:, x0 + 1]; c = g[y0 + 1][:, x0]; d = g[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def landscape(h, w, seed):
    """Sky gradient, hills with texture, a sun: a stand-in for a photograph."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, h)[:, None]
    x = np.linspace(0, 1, w)[None, :]
    img = np.zeros((h, w, 3))
    img[..., 0] = 0.35 + 0.4 * y
    img[..., 1] = 0.55 + 0.3 * y
    img[..., 2] = 0.95 - 0.2 * y
    sun = ((x - 0.75) ** 2 + (y - 0.2) ** 2 * (h / w) ** -2 * 0 + (y - 0.2) ** 2) < 0.004
    img[sun] = [1.0, 0.92, 0.6]
    ridge = 0.55 + 0.12 * np.sin(6 * x + 1.3) + 0.1 * (smooth_noise(rng, 1, w, 16)[0][None, :] - 0.5)
    hills = y > ridge
    tex = smooth_noise(rng, h, w, 6) * 0.25 + smooth_noise(rng, h, w, 40) * 0.3
    green = np.stack([0.15 + tex * 0.5, 0.35 + tex * 0.6, 0.1 + tex * 0.2], -1)
    img = np.where(hills[..., None], green, img)
    return np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)


def shapes(h, w, seed):
    """Flat shapes with sharp edges and a checker: hard cases for a latent codec."""
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 230, np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(12):
        cy, cx, r = rng.integers(0, h), rng.integers(0, w), rng.integers(5, max(6, min(h, w) // 4))
        col = rng.integers(0, 256, 3)
        img[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = col
    check = ((yy // 8 + xx // 8) % 2).astype(bool) & (yy < h // 4) & (xx < w // 4)
    img[check] = [20, 20, 20]
    return img


def main(out):
    os.makedirs(out, exist_ok=True)
    Image.fromarray(landscape(384, 512, 1)).save(os.path.join(out, "landscape-512x384.png"))
    Image.fromarray(landscape(512, 768, 5)).save(os.path.join(out, "landscape-768x512.png"))
    Image.fromarray(landscape(500, 500, 2)).save(os.path.join(out, "landscape-500x500.png"))
    Image.fromarray(shapes(1001, 37, 3)).save(os.path.join(out, "shapes-37x1001.png"))
    Image.fromarray(shapes(120, 200, 4)).save(os.path.join(out, "shapes-200x120.png"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "testdata/images")
