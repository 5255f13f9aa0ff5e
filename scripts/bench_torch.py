"""Time a bundle's TorchScript modules in Python torch, at the image's padded size, for scripts/bench.

    /usr/bin/python3 scripts/bench_torch.py BUNDLE_DIR IMAGE [--threads N] [--repeats 5] [--unet-calls K]
        [--java-log FILE]

Prints median milliseconds for encoder.pt, decoder.pt and one unet.pt call, and, given the Java
StageBenchmark output, the Java/Python ratio per network. The UNet ratio is per call: Java's decode made
K calls (scripts/bench passes what StageBenchmark reports; without it, the bundle's `denoise.steps`).
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

import torch
from PIL import Image

import sdcbundle  # scripts/, beside this file


def median_ms(fn, repeats):
    for _ in range(3):  # warm-up: the TorchScript profiling executor optimises after its first runs
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def java_medians(path):
    out = {}
    if not path or not os.path.exists(path):
        return out
    for line in open(path):
        m = re.match(r"(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", line.strip())
        if m:
            out[m.group(1)] = float(m.group(3))
    return out


def main():
    ap = argparse.ArgumentParser(prog="bench_torch.py", description=__doc__.strip().splitlines()[0])
    ap.add_argument("bundle")
    ap.add_argument("image")
    ap.add_argument("--threads", type=sdcbundle.positive_int, default=os.cpu_count())
    ap.add_argument("--repeats", type=sdcbundle.positive_int, default=5)
    ap.add_argument("--unet-calls", type=int, default=None)
    ap.add_argument("--java-log")
    a = ap.parse_args()
    manifest_path = os.path.join(a.bundle, "bundle.json")
    if not os.path.isfile(manifest_path):
        sys.exit("bench_torch.py: error: %s: not a bundle folder (no bundle.json)" % a.bundle)
    if not os.path.isfile(a.image):
        sys.exit("bench_torch.py: error: %s: no such image" % a.image)
    torch.set_num_threads(a.threads)
    manifest = json.load(open(manifest_path))
    lat = manifest["latent"]
    align, factor = lat["alignment"], lat["factor"]
    w, h = Image.open(a.image).size
    pw, ph = -(-w // align) * align, -(-h // align) * align
    x = torch.rand(1, 3, ph, pw) * 2 - 1
    enc = torch.jit.load(os.path.join(a.bundle, "encoder.pt")).eval()
    dec = torch.jit.load(os.path.join(a.bundle, "decoder.pt")).eval()
    res = {}
    with torch.no_grad():
        z = enc(x)
        res["vae-encode"] = median_ms(lambda: enc(x), a.repeats)
        res["vae-decode"] = median_ms(lambda: dec(z), a.repeats)
        unet_path = os.path.join(a.bundle, "unet.pt")
        if os.path.exists(unet_path):
            unet = torch.jit.load(unet_path).eval()
            shape = manifest["context"]["shape"]
            ctx = torch.zeros(*shape)
            t = torch.tensor([20], dtype=torch.int64)
            s = z * lat["scale"]
            res["unet-call"] = median_ms(lambda: unet(s, t, ctx), a.repeats)
    print("torch %s, %d threads, %dx%d padded to %dx%d" % (torch.__version__, a.threads, w, h, pw, ph))
    java = java_medians(a.java_log)
    steps = a.unet_calls if a.unet_calls is not None else manifest["denoise"]["steps"]
    print("%-14s %12s %12s %8s" % ("network", "python ms", "java ms", "java/py"))
    for k, v in res.items():
        jk = {"vae-encode": "encode/vae-encode", "vae-decode": "decode/vae-decode", "unet-call": "decode/unet-denoise"}[k]
        j = java.get(jk)
        if j is not None and k == "unet-call":
            j = j / steps if steps > 0 else None  # no call made: nothing to compare
        ratio = "%.2f" % (j / v) if j else "-"
        print("%-14s %12.1f %12s %8s" % (k, v, "%.1f" % j if j else "-", ratio))


if __name__ == "__main__":
    main()
