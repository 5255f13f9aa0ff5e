"""Python networks for a TorchScript bundle: the trainers that fine-tune a bundle (train_scalar.py,
finetune_pixel.py) rebuild its encoder, decoder and UNet as Python modules carrying the bundle's weights.

Which Python classes those are is the bundle's optional `"architecture"` field in bundle.json (docs/MODELS.md):
`tiny` (tiny_models.py; also what a bundle without the field is, e.g. models/tiny and models/tiny-scalar, which
predate it), `base` or `toy` (base_models.py at its real or its CPU-test widths). train_base.py's export writes
it, and train_scalar.py's export copies it, so a fine-tuned bundle can be fine-tuned again. Java ignores the
field (it is not part of the bundle fingerprint): it only tells the offline scripts which class a traced file
came from, which the TorchScript itself does not say (tiny's and base's encoders have the same class name).
"""
import json
import os

import torch

import base_models
import tiny_models

ARCH_KEY = "architecture"
DEFAULT_ARCH = "tiny"


def _tiny(part):
    return {"enc": tiny_models.Encoder, "dec": tiny_models.Decoder, "unet": tiny_models.TinyUNet}[part]()


def _base(arch):
    makers = {"enc": base_models.make_encoder, "dec": base_models.make_decoder, "unet": base_models.make_unet}
    return lambda part: makers[part](arch)


MAKERS = {"tiny": _tiny, "base": _base("base"), "toy": _base("toy")}


def manifest(bundle):
    with open(os.path.join(bundle, "bundle.json"), encoding="utf-8") as f:
        return json.load(f)


def architecture(bundle_or_manifest):
    """The bundle's `architecture` (default tiny); SystemExit for one this script does not know."""
    m = bundle_or_manifest if isinstance(bundle_or_manifest, dict) else manifest(bundle_or_manifest)
    arch = m.get(ARCH_KEY, DEFAULT_ARCH)
    if arch not in MAKERS:
        raise SystemExit("bundle %r: unknown architecture %r (known: %s)" % (m.get("name"), arch, ", ".join(MAKERS)))
    return arch


def make(arch, part):
    """A fresh Python network: part is enc, dec or unet."""
    return MAKERS[arch](part)


def _script_state(path):
    return torch.jit.load(path, map_location="cpu").state_dict()


def load_autoencoder(bundle):
    """(encoder, decoder, latent scale, architecture): Python modules with encoder.pt / decoder.pt's weights."""
    m = manifest(bundle)
    arch = architecture(m)
    enc, dec = make(arch, "enc"), make(arch, "dec")
    enc.load_state_dict(_script_state(os.path.join(bundle, "encoder.pt")))
    dec.load_state_dict(_script_state(os.path.join(bundle, "decoder.pt")))
    return enc, dec, float(m["latent"]["scale"]), arch


def load_unet(bundle):
    """The Python UNet carrying unet.pt's weights (sdcbundle.UNetExport stores them under `unet.`)."""
    unet = make(architecture(bundle), "unet")
    sd = {k[len("unet."):]: v for k, v in _script_state(os.path.join(bundle, "unet.pt")).items()
          if k.startswith("unet.")}
    unet.load_state_dict(sd)
    return unet
