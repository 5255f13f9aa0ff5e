#!/usr/bin/env python3
"""Is the encoder flip-equivariant? Decodes each holdout image's latent as it is and mirrored (then mirrors the
result back), and prints the mean PSNR of each. A large gap means a (flipped latent, flipped image) pair is not
a pair the encoder makes, so latent pairs must never be flip-augmented (train_base.LatentBank).

  /usr/bin/python3 scripts/train/probe_flip.py --init packs/init --holdout-pack packs/holdout.pack [--images 8]

(packs/init: scripts/train/weights.sh get enc dec). Base session 1 weights, 8 images: 21.58 dB as it is,
16.65 dB mirrored horizontally, 15.65 dB vertically; re-encoding the mirrored image instead gives 21.61 dB.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import base_models as bm  # noqa: E402
import train_base as tb  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--init", required=True, help="folder with enc.ckpt and dec.ckpt (and state.json)")
    p.add_argument("--holdout-pack", required=True)
    p.add_argument("--images", type=int, default=8)
    p.add_argument("--arch", default="base", choices=("base", "toy"))
    a = p.parse_args(argv)
    enc, dec = bm.make_encoder(a.arch).eval(), bm.make_decoder(a.arch).eval()
    for name, net in (("enc", enc), ("dec", dec)):
        if not tb.load_weights(a.init, name, net):
            raise SystemExit(f"probe_flip: {a.init}/{name}.ckpt missing")
    rows = {}
    with torch.no_grad():
        for im in tb.load_pack(a.holdout_pack, "cpu")[:a.images]:
            x = tb.to_unit(tb.crop_to(im, bm.ALIGNMENT))[None]
            z = enc(x)
            for key, y in (("latent as it is", dec(z)),
                           ("latent mirrored (horizontal), result mirrored back", dec(z.flip(3)).flip(3)),
                           ("latent flipped (vertical), result flipped back", dec(z.flip(2)).flip(2)),
                           ("mirrored image encoded, result mirrored back", dec(enc(x.flip(3))).flip(3))):
                rows.setdefault(key, []).append(tb.psnr_u8(y, x))
    for k, v in rows.items():
        print(f"{k:52s} {sum(v) / len(v):.2f} dB  ({len(v)} images)")
    return rows


if __name__ == "__main__":
    main()
