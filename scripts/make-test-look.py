#!/usr/bin/python3
"""Write `testdata/looks/decoder-sharp.pt`: a second decoder for the test bundle, for the `--look` tests.

Usage (from the repository root; needs Debian's python3-torch, hence /usr/bin/python3):

    /usr/bin/python3 scripts/make-test-look.py [OUT_FILE]      # default testdata/looks/decoder-sharp.pt

Same contract and latent space as the test bundle's decoder.pt (scripts/make-test-bundle.py): the same exact
synthesis ConvTranspose2d, but instead of the 3x3 box blur an unsharp mask, x + 0.5*(x - blur(x)), so its
pixels differ from the faithful decoder's wherever the image is not flat. Untrained, a few kB, deterministic.
The Java tests copy the test bundle into a temporary folder, add this file and a `looks` entry to its
bundle.json (the file is not part of the committed test bundle, whose manifest stays unchanged).
"""
import importlib.util
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sdcbundle  # noqa: E402

_spec = importlib.util.spec_from_file_location("make_test_bundle", os.path.join(HERE, "make-test-bundle.py"))
tb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tb)

SHARPEN = 0.5


class SharpDecoder(tb.Decoder):
    def forward(self, z):
        limit = tb.QUANT_BOUND * 0.999
        y = tb.QUANT_BOUND * torch.atanh(torch.clamp(z, -limit, limit) / tb.QUANT_BOUND)
        x = self.up(y)
        blurred = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), self.blur, groups=3)
        return x + SHARPEN * (x - blurred)


def main():
    torch.manual_seed(0)
    root = os.path.dirname(HERE)
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "testdata", "looks", "decoder-sharp.pt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    x = tb.smooth_test_image(48, 64)
    z = tb.Encoder()(x)
    sharp, faithful = SharpDecoder(), tb.Decoder()
    sdcbundle.save_script(sharp, (z,), out)
    with torch.no_grad():
        diff = float((sharp(z) - faithful(z)).abs().max())
    print("wrote %s (%d bytes): max |sharp - faithful| on the smooth 64x48 image %.4f"
          % (out, os.path.getsize(out), diff))


if __name__ == "__main__":
    main()
