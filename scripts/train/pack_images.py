#!/usr/bin/python3
"""Pack a folder of photos into one small file that travels to the GPU machine (`run`'s `carry`).

    /usr/bin/python3 scripts/train/pack_images.py --src ../shared/data/train --out packs/train.pack --max-mib 26
    /usr/bin/python3 scripts/train/pack_images.py --src ../shared/data/holdout --out packs/holdout.pack \
        --max-mib 4 --lossless --crop 256

The device machine cannot see ../shared, and everything that travels (tree + carried paths) must stay under
64 MiB, so the training set is re-encoded to fit a byte budget: images larger than --max-side are
downscaled (Lanczos), then all are re-encoded as JPEG at the highest quality in --qualities that fits
--max-mib; if none fits, the images are shrunk by 10 % steps. The holdout is packed --lossless (PNG) after a
centre crop to --crop (a multiple of 32, as the bundles' alignment).

Format (read by train_base.load_pack): a 16-byte magic+header-length prefix, a UTF-8 JSON header
{"images": [{"name", "offset", "size", "width", "height"}], "codec": "jpeg"|"png", ...}, then the encoded
images back to back. Names only, never paths; no photo goes into git (packs/ is git-ignored).
"""
import argparse
import io
import json
import os
import struct
import sys

from PIL import Image

MAGIC = b"SDCPACK1"
EXTS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".ppm")


def list_images(folder):
    out = []
    for root, _, files in os.walk(folder):
        out += [os.path.join(root, f) for f in files if f.lower().endswith(EXTS)]
    return sorted(out)


def prepare(path, max_side, crop):
    im = Image.open(path).convert("RGB")
    if crop:
        w, h = im.size
        cw, ch = min(w, crop) // 32 * 32, min(h, crop) // 32 * 32
        x, y = (w - cw) // 2, (h - ch) // 2
        im = im.crop((x, y, x + cw, y + ch))
    if max_side and max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.LANCZOS)
    return im


def encode(im, lossless, quality):
    b = io.BytesIO()
    if lossless:
        im.save(b, "PNG", optimize=True)
    else:
        im.save(b, "JPEG", quality=quality, subsampling=0 if quality >= 90 else 2)
    return b.getvalue()


def write_pack(out, names, blobs, sizes, codec, extra):
    header = {"codec": codec, "images": []}
    header.update(extra)
    off = 0
    for n, b, (w, h) in zip(names, blobs, sizes):
        header["images"].append({"name": n, "offset": off, "size": len(b), "width": w, "height": h})
        off += len(b)
    hj = json.dumps(header).encode()
    tmp = out + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)  # packs/ does not exist in a fresh clone
    with open(tmp, "wb") as f:
        f.write(MAGIC + struct.pack("<Q", len(hj)) + hj)
        for b in blobs:
            f.write(b)
    os.replace(tmp, out)
    return 16 + len(hj) + off


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--src", required=True, nargs="+", help="image folder(s), searched recursively")
    p.add_argument("--out", required=True, help="pack file to write (in a git-ignored folder)")
    p.add_argument("--max-mib", type=float, default=26.0)
    p.add_argument("--max-side", type=int, default=768)
    p.add_argument("--qualities", type=int, nargs="+", default=[92, 90, 87, 84, 80])
    p.add_argument("--lossless", action="store_true", help="PNG instead of JPEG (holdout)")
    p.add_argument("--crop", type=int, default=0, help="centre crop to at most this side (multiple of 32)")
    p.add_argument("--limit", type=int, default=0, help="pack only the first N images (tests)")
    a = p.parse_args(argv)
    files = [f for s in a.src for f in list_images(s)]
    if a.limit:
        files = files[:a.limit]
    if not files:
        sys.exit(f"pack_images: no images under {' '.join(a.src)}")
    budget = a.max_mib * 2 ** 20
    names = [os.path.relpath(f, os.path.commonpath([os.path.dirname(x) for x in files]) or ".") for f in files]
    if not a.max_side:  # shrinking works on the largest side
        a.max_side = max(max(Image.open(f).size) for f in files)
    shrink = 1.0
    while True:
        side = int(a.max_side * shrink) if a.max_side else 0
        ims = [prepare(f, side, a.crop) for f in files]
        for q in ([0] if a.lossless else a.qualities):
            blobs = [encode(im, a.lossless, q) for im in ims]
            total = sum(len(b) for b in blobs)
            print(f"pack_images: {len(blobs)} images, max side {side or 'orig'}, "
                  f"{'png' if a.lossless else f'jpeg q{q}'}: {total / 2 ** 20:.1f} MiB", flush=True)
            if total <= budget:
                n = write_pack(a.out, names, blobs, [im.size for im in ims], "png" if a.lossless else "jpeg",
                               {"quality": q, "max_side": side})
                print(f"pack_images: wrote {a.out} ({n / 2 ** 20:.2f} MiB, "
                      f"{sum(im.size[0] * im.size[1] for im in ims) / 1e6:.1f} Mpixel)")
                return 0
        if a.lossless and a.crop:
            sys.exit(f"pack_images: {len(files)} crops of {a.crop} px need {total / 2 ** 20:.1f} MiB > --max-mib "
                     f"{a.max_mib} (shrinking would break the 32-px alignment): lower --crop or raise --max-mib")
        if shrink < 0.3:
            sys.exit(f"pack_images: cannot fit {len(files)} images into {a.max_mib} MiB")
        shrink *= 0.9


if __name__ == "__main__":
    sys.exit(main())
