"""Write an sdc model bundle (docs/MODELS.md) from torch modules.

Shared by every bundle producer in scripts/: the test bundle, the trained `tiny` bundle and the SD 1.x
exporter, so all of them obey one contract. Runs with Debian's python3-torch (/usr/bin/python3).
"""
import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
import zipfile

import torch

FORMAT = "sdc-bundle"
VERSION = 1


def positive_int(text):
    """argparse type for the scripts' counts and widths: a whole number >= 1, else a usage error (not a
    traceback)."""
    import argparse
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not an integer" % text) from None
    if v <= 0:
        raise argparse.ArgumentTypeError("%s is not positive" % text)
    return v


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_script(module, example_inputs, path):
    """Trace (or script, if already a ScriptModule) a module in eval mode and save it as TorchScript.

    The archive is rewritten by `deterministic_archive`, so the same weights and code give the same bytes
    (hence the same sha256 in bundle.json and the same bundle fingerprint) wherever the exporting script
    lives and whatever line numbers it has."""
    module = module.eval()
    with torch.no_grad():
        if isinstance(module, torch.jit.ScriptModule):
            scripted = module
        else:
            scripted = torch.jit.trace(module, example_inputs, check_trace=False)
    out_dir = os.path.dirname(os.path.abspath(path))
    tmp_dir = tempfile.mkdtemp(prefix=".save-", dir=out_dir)
    try:
        # the same base name: torch names the archive's top folder after it
        tmp = os.path.join(tmp_dir, os.path.basename(path))
        scripted.save(tmp)
        deterministic_archive(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


# Records torch.jit.save writes that do not describe the network: `*.debug_pkl` maps each line of the
# generated code back to the Python source that was traced (absolute file path, line numbers and source
# text of the exporting script), and `.data/serialization_id` (torch >= 2.1) is a fresh random id per save.
# libtorch (torch.jit.load, DJL) loads an archive without them; errors then name no Python source line.
_DROPPED_RECORD = re.compile(r"(\.debug_pkl|/\.data/serialization_id)$")
_ALIGN = 64  # torch aligns every record's data to 64 bytes (lets a reader map tensors in place); kept


def deterministic_archive(src, dst):
    """Copy the TorchScript zip `src` to `dst` without the records in _DROPPED_RECORD, every entry stored
    (uncompressed) with a fixed timestamp and attributes, in torch's order, data aligned to 64 bytes.
    Reads one record at a time (the SD UNet's largest is ~118 MB)."""
    with zipfile.ZipFile(src) as zin, open(dst + ".tmp", "wb") as raw:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zout:
            for info in zin.infolist():
                if _DROPPED_RECORD.search(info.filename):
                    continue
                data = zin.read(info)
                out = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                out.compress_type = zipfile.ZIP_STORED
                out.create_system = 0
                out.external_attr = 0
                # local header: 30 bytes + name + extra; pad with an "FB" extra field as torch does
                name_len = len(info.filename.encode("utf-8"))
                used = raw.tell() + 30 + name_len + 4
                pad = (-used) % _ALIGN
                out.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
                zout.writestr(out, data)
    os.replace(dst + ".tmp", dst)


class UNetExport(torch.nn.Module):
    """Traceable wrapper of a latent UNet called as (sample, timestep, context); its state_dict keys are
    `unet.*`, which is what finetune_pixel.py and train_scalar.py read back from unet.pt."""

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, context):
        return self.unet(sample, timestep, context)


def save_networks(out_dir, enc, dec, unet, scale, example, context):
    """Trace encoder.pt and decoder.pt on the image `example`, and unet.pt (if `unet` is not None) on the
    scaled latent of `example`, timestep 20 and `context`: the example inputs every trainer uses."""
    save_script(enc, (example,), os.path.join(out_dir, "encoder.pt"))
    save_script(dec, (enc(example),), os.path.join(out_dir, "decoder.pt"))
    if unet is not None:
        save_script(UNetExport(unet), (enc(example) * scale, torch.tensor([20], dtype=torch.int64), context),
                    os.path.join(out_dir, "unet.pt"))


def write_context(tensor, path):
    """Raw little-endian float32, C order."""
    t = tensor.detach().to(torch.float32).contiguous().cpu()
    with open(path, "wb") as f:
        f.write(struct.pack("<%df" % t.numel(), *t.flatten().tolist()))


def write_manifest(out_dir, *, name, description, pixel_range, channels, factor, alignment, scale,
                   quant_min, quant_max, schedule, denoise, context_shape=None, memory=None,
                   extra_files=(), extra=None):
    """Write bundle.json with the sha256 of every bundle file that exists in out_dir.

    memory: optional tiling hints (docs/MODELS.md "memory"), measured with scripts/measure-memory.sh.
    extra_files: further bundle files to hash (e.g. a second decoder named in `looks`); extra: further
    optional top-level fields (e.g. `looks`, `denoise_palette`), written as given.
    """
    files = {}
    for fname in ("encoder.pt", "decoder.pt", "unet.pt", "context.bin") + tuple(extra_files):
        p = os.path.join(out_dir, fname)
        if os.path.exists(p):
            files[fname] = sha256_file(p)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "description": description,
        "pixel_range": [float(pixel_range[0]), float(pixel_range[1])],
        "latent": {
            "channels": int(channels),
            "factor": int(factor),
            "alignment": int(alignment),
            "scale": float(scale),
            "quant_min": float(quant_min),
            "quant_max": float(quant_max),
        },
        "schedule": schedule,
        "denoise": {"strength": float(denoise["strength"]), "steps": int(denoise["steps"])},
        "files": files,
    }
    if memory is not None:
        manifest["memory"] = {k: int(v) for k, v in memory.items()}
    if extra:
        manifest.update(extra)
    if context_shape is not None:
        manifest["context"] = {"file": "context.bin", "shape": [int(s) for s in context_shape]}
    with open(os.path.join(out_dir, "bundle.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


SD_SCHEDULE = {
    "type": "scaled_linear",
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "train_steps": 1000,
    "prediction": "epsilon",
}
