#!/usr/bin/python3
"""Export a Stable Diffusion 1.x single-file checkpoint as an sdc bundle (docs/MODELS.md).

Runs with Debian's torch 1.13 only (/usr/bin/python3): the three SD 1.x networks are re-implemented here
in plain torch with the checkpoint's own (CompVis/LDM) parameter names, so `load_state_dict(strict=True)`
on the stripped sub-dicts proves every tensor landed where the original code put it.

    /usr/bin/python3 scripts/export-sd.py --checkpoint v1-5-pruned-emaonly.safetensors --out models/sd15
    /usr/bin/python3 scripts/export-sd.py --random-weights --mini --name sd-mini --out /tmp/sd-mini
    /usr/bin/python3 scripts/export-sd.py --random-weights --vae-only --name sdvae-rand --out /tmp/sdvae

The checkpoint's format comes from its first bytes (safetensors, torch zip, legacy torch pickle); a file of
another kind or architecture (SD 2.x, SDXL, inpainting, a bare VAE, ...) is refused in one line before any
tensor is read. Tensors are read one at a time and handed to networks built on the meta device, so the
peak memory is about the float32 size of the networks (docs/SD.md "Memory"). The bundle is written into a
hidden sibling of --out and moved there when complete; an existing non-empty --out needs --force. Output
is byte-identical for the same checkpoint on any machine and from any checkout (sdcbundle.save_script
drops torch's debug records; context.bin is computed in float64). MODEL_CARD.md names the source and its
licence.

How SD 1.x maps onto the bundle contract:
- encoder.pt  = quant_conv(encoder(x))[:, :4]: the MEAN of the latent distribution (Bühlmann sampled with
  seed 0; sdc uses the mean so encoding is deterministic). Input x in [-1, 1] (pixel_range), output raw
  (not multiplied by 0.18215).
- decoder.pt  = decoder(post_quant_conv(z)) on raw latents, output in [-1, 1].
- unet.pt     = forward(sample, timestep int64 [1], context [1,77,768]) -> eps; sample is raw latent x 0.18215.
- context.bin = CLIP ViT-L/14 last hidden state (after final_layer_norm) of the empty prompt, [1,77,768].
  Tokens: [49406 <|startoftext|>, 49407 <|endoftext|>, then 49407 x 75]. SD 1.x tokenises with HF
  CLIPTokenizer("openai/clip-vit-large-patch14", padding="max_length", max_length=77) whose pad token is
  <|endoftext|> = 49407, and calls the text model without an attention mask (only the causal mask), so the
  padding id matters for rows 2..76 and must be 49407, not 0.
- latent.scale 0.18215; Bühlmann's 8-bit mapping q = round(z/0.18215 + 127.5) is quant_min/max =
  -/+127.5*0.18215 = -/+23.224125. factor 8 (three stride-2 stages), channels 4, alignment 64 (the UNet
  halves the 1/8 latent three more times, so latent sides must be multiples of 8 = image multiples of 64).
- schedule: scripts/sdcbundle.SD_SCHEDULE (scaled_linear 0.00085..0.012, 1000 steps, epsilon).
- denoise: strength 0.04, steps 2 -> sdc starts at t = round(0.04*1000) = 40 and runs DDIM at t = 40, 20
  (docs/MODELS.md "Denoising"); Bühlmann's 66-step/strength-0.04 run touched only t <= ~30.
"""
import argparse
import copy
import hashlib
import json
import math
import os
import pickle
import re
import shutil
import struct
import sys
import tempfile
import zipfile

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sdcbundle  # noqa: E402

SCALE = 0.18215
QUANT_MAX = 127.5 * SCALE
EMPTY_PROMPT_TOKENS = [49406, 49407] + [49407] * 75

VAE_PREFIX = "first_stage_model."
UNET_PREFIX = "model.diffusion_model."
CLIP_PREFIX = "cond_stage_model.transformer.text_model."


# ----------------------------------------------------------------------------------------- reading

class CheckpointError(ValueError):
    """A checkpoint that cannot be exported; str() is one line that starts with the file name."""


# safetensors dtype -> (torch dtype or None if torch 1.13 has none, bytes per element)
_ST_DTYPES = {"F64": (torch.float64, 8), "F32": (torch.float32, 4), "F16": (torch.float16, 2),
              "BF16": (torch.bfloat16, 2), "I64": (torch.int64, 8), "I32": (torch.int32, 4),
              "I16": (torch.int16, 2), "I8": (torch.int8, 1), "U8": (torch.uint8, 1), "BOOL": (torch.bool, 1),
              "U16": (None, 2), "U32": (None, 4), "U64": (None, 8), "F8_E4M3": (None, 1), "F8_E5M2": (None, 1)}
_ST_MAX_HEADER = 100 * 1024 * 1024  # the safetensors library's own limit

# Some SD 1.x files (older conversions, merges) store HF CLIPTextModel without its `text_model.` level;
# A1111 and kohya's scripts read them by inserting it, and so does export-sd.
_CLIP_ROOT = "cond_stage_model.transformer."
_CLIP_SHORT = ("embeddings.", "encoder.", "final_layer_norm.")


def canonical_key(name):
    if name.startswith(_CLIP_ROOT):
        rest = name[len(_CLIP_ROOT):]
        if rest.startswith(_CLIP_SHORT):
            return _CLIP_ROOT + "text_model." + rest
    return name


def _canonical(path, names):
    """{canonical key: key in the file}; both spellings of one CLIP key is an error."""
    out = {}
    for n in names:
        c = canonical_key(n)
        if c in out:
            raise CheckpointError("%s: holds both %s and %s" % (path, out[c], n))
        out[c] = n
    return out


def _plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


class SafetensorsFile:
    """A parsed and checked .safetensors header (u64-LE header length, JSON object, raw little-endian data).

    Every check is one CheckpointError line naming the file; nothing is read beyond the header until
    `read`, which then reads one tensor at a time."""

    def __init__(self, path):
        self.path = path
        self.size = os.path.getsize(path)
        with open(path, "rb") as f:
            raw_len = f.read(8)
            if len(raw_len) != 8:
                raise CheckpointError("%s: truncated: a safetensors file needs at least 8 bytes, has %d"
                                      % (path, len(raw_len)))
            (n,) = struct.unpack("<Q", raw_len)
            if n > _ST_MAX_HEADER:
                raise CheckpointError("%s: implausible safetensors header length %d (more than %d)"
                                      % (path, n, _ST_MAX_HEADER))
            if 8 + n > self.size:
                raise CheckpointError("%s: truncated: the safetensors header needs %d bytes, the file has %d "
                                      "(a broken download?)" % (path, 8 + n, self.size))
            self.header_bytes = raw_len + f.read(n)
        try:
            text = self.header_bytes[8:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise CheckpointError("%s: safetensors header is not valid UTF-8 (byte %d)" % (path, e.start)) from None

        def no_duplicates(pairs):
            seen = {}
            for k, v in pairs:
                if k in seen:
                    raise CheckpointError("%s: safetensors header names tensor %s twice" % (path, k))
                seen[k] = v
            return seen
        try:
            header = json.loads(text, object_pairs_hook=no_duplicates)
        except json.JSONDecodeError as e:
            raise CheckpointError("%s: safetensors header is not valid JSON (%s at byte %d)"
                                  % (path, e.msg, 8 + e.pos)) from None
        if not isinstance(header, dict):
            raise CheckpointError("%s: safetensors header is a JSON %s, not an object"
                                  % (path, type(header).__name__))
        self.data_start = 8 + n
        entries = []
        for name, info in header.items():
            if name == "__metadata__":
                continue
            entries.append((name,) + self._entry(name, info))
        entries.sort(key=lambda e: (e[4], e[5]))
        pos = 0
        for name, dtype_name, shape, nbytes, start, end in entries:
            if start != pos:
                what = "overlaps the tensor before it" if start < pos else "leaves a gap of %d bytes" % (start - pos)
                raise CheckpointError("%s: tensor %s data_offsets [%d, %d] %s (safetensors data must be "
                                      "contiguous)" % (path, name, start, end, what))
            pos = end
        self.data_len = pos
        need = self.data_start + self.data_len
        if self.size < need:
            raise CheckpointError("%s: truncated: needs %d bytes, has %d (a broken download?)"
                                  % (path, need, self.size))
        if self.size > need:
            raise CheckpointError("%s: %d bytes after the last tensor (a damaged or wrongly joined file)"
                                  % (path, self.size - need))
        self.entries = entries
        self.keys = _canonical(path, [e[0] for e in entries])
        by_name = {e[0]: e for e in entries}
        self.shapes = {c: by_name[n][2] for c, n in self.keys.items()}
        self.sha256 = None

    def _entry(self, name, info):
        path = self.path
        if not isinstance(info, dict):
            raise CheckpointError("%s: safetensors entry %s is not an object" % (path, name))
        for field in ("dtype", "shape", "data_offsets"):
            if field not in info:
                raise CheckpointError("%s: safetensors entry %s has no %s" % (path, name, field))
        dtype_name, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if not isinstance(dtype_name, str) or dtype_name not in _ST_DTYPES:
            raise CheckpointError("%s: tensor %s has unknown dtype %r" % (path, name, dtype_name))

        def is_int(v):
            return isinstance(v, int) and not isinstance(v, bool)
        if not isinstance(shape, list) or not all(is_int(s) and s >= 0 for s in shape):
            raise CheckpointError("%s: tensor %s has an invalid shape %r" % (path, name, shape))
        if (not isinstance(offsets, list) or len(offsets) != 2 or not all(is_int(o) for o in offsets)
                or offsets[0] < 0 or offsets[1] < offsets[0]):
            raise CheckpointError("%s: tensor %s has invalid data_offsets %r" % (path, name, offsets))
        numel = 1
        for s in shape:
            numel *= s
        nbytes = numel * _ST_DTYPES[dtype_name][1]
        if offsets[1] - offsets[0] != nbytes:
            raise CheckpointError("%s: tensor %s data_offsets [%d, %d] hold %d bytes, its %s shape %s needs %d"
                                  % (path, name, offsets[0], offsets[1], offsets[1] - offsets[0], dtype_name,
                                     shape, nbytes))
        return dtype_name, shape, nbytes, offsets[0], offsets[1]

    def read(self, keep=None):
        """{canonical key: tensor} for the keys `keep` accepts (all if None), reading one tensor at a time
        in file order; floating tensors come back as float32, integer ones keep their type. The whole file
        passes through sha256 (self.sha256), skipped tensors included, at no extra seeks."""
        h = hashlib.sha256(self.header_bytes)
        out = {}
        with open(self.path, "rb") as f:
            f.seek(self.data_start)
            for name, dtype_name, shape, nbytes, start, end in self.entries:
                key = canonical_key(name)
                wanted = keep is None or keep(key)
                if not wanted:
                    left = nbytes
                    while left:  # hashed, then dropped
                        chunk = f.read(min(left, 1 << 24))
                        if not chunk:
                            break
                        h.update(chunk)
                        left -= len(chunk)
                    if left:
                        raise CheckpointError("%s: truncated while reading %s" % (self.path, name))
                    continue
                dtype = _ST_DTYPES[dtype_name][0]
                if dtype is None:
                    raise CheckpointError("%s: tensor %s has dtype %s, which this torch cannot hold"
                                          % (self.path, name, dtype_name))
                buf = bytearray(nbytes)
                got = f.readinto(buf)
                if got != nbytes:
                    raise CheckpointError("%s: truncated while reading %s" % (self.path, name))
                h.update(buf)
                t = torch.frombuffer(buf, dtype=dtype) if nbytes else torch.empty(0, dtype=dtype)
                t = t.reshape(shape)
                if t.is_floating_point() and t.dtype != torch.float32:
                    t = t.to(torch.float32)  # a new tensor; buf (the file's bytes) is freed
                out[key] = t
            if f.read(1):
                raise CheckpointError("%s: changed while it was read" % self.path)
        self.sha256 = h.hexdigest()
        return out


def read_safetensors(path, keep=None):
    """The tensors of a .safetensors file (see SafetensorsFile.read)."""
    return SafetensorsFile(path).read(keep)


# ---- .ckpt (torch.save: a zip archive since torch 1.6, a bare pickle stream before)

class _ModelCheckpointStub:
    """Stands in for pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint, which CompVis's
    training code pickled (as a dict key) into SD 1.4's sd-v1-4.ckpt and other LDM checkpoints. It runs
    no code: a call with any arguments gives an empty instance, and nothing reads it."""

    def __init__(self, *args, **kwargs):
        pass


_MODEL_CHECKPOINT = "pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint"


class _allow_model_checkpoint_stub:
    """torch's weights_only unpickler with one more allowed global: _ModelCheckpointStub under the name of
    Lightning's class. Everything else stays as torch restricts it (A1111's safe.py allows the real class)."""

    def __enter__(self):
        import torch._weights_only_unpickler as wou
        self.mod, self.orig = wou, getattr(wou, "_get_allowed_globals", None)
        if self.orig is None:  # another torch's internals: no stand-in, so sd-v1-4.ckpt is refused in one line
            return self
        allowed = dict(self.orig())
        allowed[_MODEL_CHECKPOINT] = _ModelCheckpointStub
        wou._get_allowed_globals = lambda: allowed
        return self

    def __exit__(self, *exc):
        if self.orig is not None:
            self.mod._get_allowed_globals = self.orig
        return False


_MAGIC = [  # (prefix, what it is) for files that are certainly not checkpoints
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP/WAV/AVI)"), (b"\x1f\x8b", "a gzip file"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"), (b"%PDF", "a PDF file"),
    (b"version https://git-lfs", "a Git LFS pointer, not the weights (run `git lfs pull`)"),
]


# torch's legacy (pre-1.6) format starts with its pickled magic number 0x1950a86a20f9469cfc6c
_LEGACY_TORCH = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"


def sniff(path):
    """'safetensors', 'zip' or 'pickle' by the file's first bytes, whatever its extension; anything
    else is a CheckpointError saying what the file looks like."""
    if os.path.isdir(path):
        if os.path.exists(os.path.join(path, "model_index.json")) or os.path.isdir(os.path.join(path, "unet")):
            raise CheckpointError("%s: a diffusers folder: diffusers folders are not supported; use the "
                                  "single-file checkpoint (.safetensors)" % path)
        raise CheckpointError("%s: a folder, not a checkpoint file" % path)
    with open(path, "rb") as f:
        head = f.read(64)
    size = os.path.getsize(path)
    if not head:
        raise CheckpointError("%s: empty file (0 bytes; a broken download?)" % path)
    if head.startswith(b"PK"):
        return "zip"  # PK\x03\x04, or an empty (PK\x05\x06) or damaged zip: zipfile says which
    if head[0] == 0x80 and len(head) > 1 and 2 <= head[1] <= 5:
        if head.startswith(_LEGACY_TORCH):
            return "pickle"  # torch.save before torch 1.6 (legacy format)
        raise CheckpointError("%s: a Python pickle, not a torch checkpoint (export-sd does not unpickle it)" % path)
    if len(head) >= 9 and head[8:9] == b"{":
        return "safetensors"  # u64-LE header length, then the JSON header
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise CheckpointError("%s: not a checkpoint: %s" % (path, what))
    lower = head.lower().lstrip()
    if lower.startswith((b"<!doctype", b"<html", b"<?xml", b"{")):
        raise CheckpointError("%s: not a checkpoint: a text/HTML/JSON file (an error page saved by a failed "
                              "download?)" % path)
    if size < 9:
        raise CheckpointError("%s: too short for a checkpoint (%d bytes)" % (path, size))
    raise CheckpointError("%s: not a checkpoint: neither safetensors (8-byte length, then a JSON header) nor "
                          "a torch .ckpt (zip or pickle); it starts with %s" % (path, head[:8].hex(" ")))


class TorchCheckpoint:
    """A .ckpt read whole by torch.load (torch reads every tensor of it; there is no lazy path in 1.13)."""

    def __init__(self, path, kind, trust_pickle=False):
        self.path = path
        self.size = os.path.getsize(path)
        self.sha256 = None
        if kind == "zip":
            try:
                with zipfile.ZipFile(path) as z:
                    names = z.namelist()
            except zipfile.BadZipFile:
                raise CheckpointError("%s: truncated (a broken download?): a zip archive without the directory "
                                      "that ends a whole one" % path) from None
            except OSError as e:
                raise CheckpointError("%s: cannot read it as a zip archive: %s" % (path, e)) from None
            if any(n.endswith("/constants.pkl") or "/code/" in n for n in names):
                # torch.load would hand it to torch.jit.load, which ignores weights_only
                raise CheckpointError("%s: a TorchScript archive (e.g. a bundle's .pt), not a checkpoint" % path)
            if not any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
                raise CheckpointError("%s: a zip archive without data.pkl: not a torch checkpoint" % path)
        obj = self._load(path, trust_pickle)
        state = obj
        if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
            state = obj["state_dict"]
        if not isinstance(state, dict):
            raise CheckpointError("%s: holds a pickled %s, not a checkpoint's dict of tensors"
                                  % (path, type(state).__name__))
        tensors = {k: v for k, v in state.items() if isinstance(k, str) and torch.is_tensor(v)}
        del obj, state
        keys = _canonical(path, tensors)
        self.state = {c: tensors[n] for c, n in keys.items()}
        self.shapes = {k: list(v.shape) for k, v in self.state.items()}

    @staticmethod
    def _load(path, trust_pickle):
        try:
            if trust_pickle:
                return torch.load(path, map_location="cpu", weights_only=False)
            with _allow_model_checkpoint_stub():
                return torch.load(path, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as e:
            text = str(e)
            if "WeightsUnpickler error:" in text:
                # torch names the offending class after "WeightsUnpickler error: " (1.13 and 2.x alike)
                detail = text.split("WeightsUnpickler error:", 1)[1].strip().splitlines()[0]
                if not detail.startswith(("Unsupported class", "Trying to", "Can only")):
                    raise CheckpointError("%s: truncated or damaged (a broken download?): %s" % (path, detail)) from None
                raise CheckpointError("%s holds Python objects besides tensors (%s); unpickling them can run "
                                      "code, so export-sd refuses: use a .safetensors file, or pass "
                                      "--trust-pickle if you trust where the file came from" % (path, detail)) from None
            raise CheckpointError("%s: not a torch checkpoint, or damaged: %s" % (path, _first_line(e))) from None
        except ModuleNotFoundError as e:  # only with trust_pickle: a pickled class whose module is not installed
            raise CheckpointError("%s pickles a class from a module that is not installed (%s); install it, or "
                                  "use a .safetensors file" % (path, e)) from None
        except EOFError:
            raise CheckpointError("%s: truncated (a broken download?): the pickle ends early" % path) from None
        except RuntimeError as e:
            text = _first_line(e)
            if "EOF" in text:
                raise CheckpointError("%s: truncated (a broken download?): %s" % (path, text)) from None
            if "zip archive" in text or "central directory" in text or "file read failed" in text:
                raise CheckpointError("%s: truncated or damaged zip archive (a broken download?): %s"
                                      % (path, text)) from None
            raise CheckpointError("%s: not a torch checkpoint, or damaged: %s" % (path, text)) from None
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, struct.error) as e:
            raise CheckpointError("%s: not a torch checkpoint, or damaged (%s: %s)"
                                  % (path, type(e).__name__, _first_line(e))) from None

    def read(self, keep=None):
        out = {}
        for k in list(self.state):
            v = self.state.pop(k)  # handed over or dropped one at a time
            if keep is None or keep(k):
                out[k] = v.float() if v.is_floating_point() else v
        return out


def _first_line(e):
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


def open_checkpoint(path, trust_pickle=False):
    """A SafetensorsFile or TorchCheckpoint, by content (not by extension): `.shapes` (every tensor's
    canonical key -> shape) is there at once; `.read(keep)` gives the tensors."""
    kind = sniff(path)
    if kind == "safetensors":
        return SafetensorsFile(path)
    return TorchCheckpoint(path, kind, trust_pickle)


def read_checkpoint(path, trust_pickle=False, keep=None):
    """The checkpoint's tensors by canonical key. A .ckpt is a pickle, and unpickling can run arbitrary code,
    so it is loaded with weights_only=True (tensors, dicts, lists, numbers, strings, plus a do-nothing
    stand-in for Lightning's ModelCheckpoint class) unless trust_pickle. weights_only is no safety guarantee
    on torch < 2.6 (CVE-2025-32434): docs/SD.md says to prefer .safetensors for files you do not trust."""
    return open_checkpoint(path, trust_pickle).read(keep)


def strip_prefix(state, prefix, drop=()):
    """Sub-dict under prefix with the prefix removed; keys starting with any of `drop` are skipped."""
    sub = {}
    for k, v in state.items():
        if k.startswith(prefix):
            rest = k[len(prefix):]
            if not any(rest.startswith(d) for d in drop):
                sub[rest] = v
    return sub


# ----------------------------------------------------------------------------------------- shared

def group_norm(channels, groups, eps):
    return nn.GroupNorm(math.gcd(groups, channels), channels, eps=eps, affine=True)


# ----------------------------------------------------------------------------------------- VAE (LDM)

class ResnetBlock(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1 = group_norm(cin, groups, 1e-6)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1)
        self.norm2 = group_norm(cout, groups, 1e-6)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.nin_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        if self.nin_shortcut is not None:
            x = self.nin_shortcut(x)
        return x + h


class AttnBlock(nn.Module):
    """Single-head spatial self-attention with 1x1-conv projections (LDM VAE mid block)."""

    def __init__(self, c, groups):
        super().__init__()
        self.norm = group_norm(c, groups, 1e-6)
        self.q = nn.Conv2d(c, c, 1)
        self.k = nn.Conv2d(c, c, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.proj_out = nn.Conv2d(c, c, 1)
        self.scale = c ** -0.5

    def forward(self, x):
        h = self.norm(x)
        b, c, hh, ww = h.shape
        q = self.q(h).reshape(b, c, hh * ww).permute(0, 2, 1)
        k = self.k(h).reshape(b, c, hh * ww)
        v = self.v(h).reshape(b, c, hh * ww)
        w = torch.softmax(torch.bmm(q, k) * self.scale, dim=2)
        out = torch.bmm(v, w.permute(0, 2, 1)).reshape(b, c, hh, ww)
        return x + self.proj_out(out)


class VaeDownsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 2, 0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))  # LDM's asymmetric pad: right and bottom only


class VaeUpsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class VaeMid(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.block_1 = ResnetBlock(c, c, groups)
        self.attn_1 = AttnBlock(c, groups)
        self.block_2 = ResnetBlock(c, c, groups)

    def forward(self, x):
        return self.block_2(self.attn_1(self.block_1(x)))


class Encoder(nn.Module):
    def __init__(self, ch=128, ch_mult=(1, 2, 4, 4), num_res_blocks=2, z_channels=4, groups=32):
        super().__init__()
        self.conv_in = nn.Conv2d(3, ch, 3, 1, 1)
        self.down = nn.ModuleList()
        cin = ch
        for i, m in enumerate(ch_mult):
            level = nn.Module()
            level.block = nn.ModuleList()
            level.attn = nn.ModuleList()  # empty in SD 1.x (attn_resolutions = [])
            for _ in range(num_res_blocks):
                level.block.append(ResnetBlock(cin, ch * m, groups))
                cin = ch * m
            if i != len(ch_mult) - 1:
                level.downsample = VaeDownsample(cin)
            self.down.append(level)
        self.mid = VaeMid(cin, groups)
        self.norm_out = group_norm(cin, groups, 1e-6)
        self.conv_out = nn.Conv2d(cin, 2 * z_channels, 3, 1, 1)

    def forward(self, x):
        h = self.conv_in(x)
        for level in self.down:
            for block in level.block:
                h = block(h)
            if hasattr(level, "downsample"):
                h = level.downsample(h)
        h = self.mid(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class Decoder(nn.Module):
    def __init__(self, ch=128, ch_mult=(1, 2, 4, 4), num_res_blocks=2, z_channels=4, groups=32):
        super().__init__()
        cin = ch * ch_mult[-1]
        self.conv_in = nn.Conv2d(z_channels, cin, 3, 1, 1)
        self.mid = VaeMid(cin, groups)
        ups = []
        for i in reversed(range(len(ch_mult))):
            level = nn.Module()
            level.block = nn.ModuleList()
            level.attn = nn.ModuleList()
            for _ in range(num_res_blocks + 1):
                level.block.append(ResnetBlock(cin, ch * ch_mult[i], groups))
                cin = ch * ch_mult[i]
            if i != 0:
                level.upsample = VaeUpsample(cin)
            ups.insert(0, level)  # LDM indexes `up` by resolution level, runs it in reverse
        self.up = nn.ModuleList(ups)
        self.norm_out = group_norm(cin, groups, 1e-6)
        self.conv_out = nn.Conv2d(cin, 3, 3, 1, 1)

    def forward(self, z):
        h = self.mid(self.conv_in(z))
        for i in reversed(range(len(self.up))):
            level = self.up[i]
            for block in level.block:
                h = block(h)
            if hasattr(level, "upsample"):
                h = level.upsample(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class AutoencoderKL(nn.Module):
    """State-dict keys = the checkpoint's `first_stage_model.*` with the prefix removed."""

    def __init__(self, ch=128, groups=32, embed_dim=4):
        super().__init__()
        self.encoder = Encoder(ch=ch, z_channels=embed_dim, groups=groups)
        self.decoder = Decoder(ch=ch, z_channels=embed_dim, groups=groups)
        self.quant_conv = nn.Conv2d(2 * embed_dim, 2 * embed_dim, 1)
        self.post_quant_conv = nn.Conv2d(embed_dim, embed_dim, 1)
        self.embed_dim = embed_dim


class EncodeMean(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.encoder = vae.encoder
        self.quant_conv = vae.quant_conv
        self.c = vae.embed_dim

    def forward(self, x):
        return self.quant_conv(self.encoder(x))[:, : self.c]


class DecodeRaw(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.post_quant_conv = vae.post_quant_conv
        self.decoder = vae.decoder

    def forward(self, z):
        return self.decoder(self.post_quant_conv(z))


# ----------------------------------------------------------------------------------------- UNet (LDM)

def timestep_embedding(t, dim):
    """LDM sinusoidal embedding: [cos | sin], max_period 10000."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.to(torch.float32)[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, cin, emb, cout, groups):
        super().__init__()
        self.in_layers = nn.Sequential(group_norm(cin, groups, 1e-5), nn.SiLU(), nn.Conv2d(cin, cout, 3, 1, 1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, cout))
        self.out_layers = nn.Sequential(group_norm(cout, groups, 1e-5), nn.SiLU(), nn.Dropout(0.0),
                                        nn.Conv2d(cout, cout, 3, 1, 1))
        self.skip_connection = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb, context):
        h = self.in_layers(x)
        h = h + self.emb_layers(emb)[:, :, None, None]
        return self.skip_connection(x) + self.out_layers(h)


class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim, inner, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner, query_dim), nn.Dropout(0.0))

    def forward(self, x, context):
        b, n, _ = x.shape
        m = context.shape[1]
        q = self.to_q(x).reshape(b, n, self.heads, -1).transpose(1, 2)
        k = self.to_k(context).reshape(b, m, self.heads, -1).transpose(1, 2)
        v = self.to_v(context).reshape(b, m, self.heads, -1).transpose(1, 2)
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * self.scale, dim=-1)
        out = torch.matmul(w, v).transpose(1, 2).reshape(b, n, -1)
        return self.to_out(out)


class GEGLU(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x):
        x, gate = self.proj(x).chunk(2, dim=-1)
        return x * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(GEGLU(dim, 4 * dim), nn.Dropout(0.0), nn.Linear(4 * dim, dim))

    def forward(self, x):
        return self.net(x)


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, dim_head, context_dim):
        super().__init__()
        self.attn1 = CrossAttention(dim, dim, heads, dim_head)
        self.ff = FeedForward(dim)
        self.attn2 = CrossAttention(dim, context_dim, heads, dim_head)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.norm3 = nn.LayerNorm(dim)

    def forward(self, x, context):
        x = x + self.attn1(self.norm1(x), self.norm1(x))
        x = x + self.attn2(self.norm2(x), context)
        return x + self.ff(self.norm3(x))


class SpatialTransformer(nn.Module):
    """SD 1.x flavour: 1x1-conv proj_in/proj_out, depth 1."""

    def __init__(self, c, heads, context_dim, groups):
        super().__init__()
        self.norm = group_norm(c, groups, 1e-6)
        self.proj_in = nn.Conv2d(c, c, 1)
        self.transformer_blocks = nn.ModuleList([BasicTransformerBlock(c, heads, c // heads, context_dim)])
        self.proj_out = nn.Conv2d(c, c, 1)

    def forward(self, x, emb, context):
        b, c, h, w = x.shape
        y = self.proj_in(self.norm(x))
        y = y.reshape(b, c, h * w).transpose(1, 2)
        for block in self.transformer_blocks:
            y = block(y, context)
        y = y.transpose(1, 2).reshape(b, c, h, w)
        return x + self.proj_out(y)


class UnetDownsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.op = nn.Conv2d(c, c, 3, 2, 1)

    def forward(self, x, emb, context):
        return self.op(x)


class UnetUpsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x, emb, context):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class ConvIn(nn.Conv2d):
    def forward(self, x, emb, context):  # noqa: D401 - same call shape as the other blocks
        return super().forward(x)


class TimestepSequential(nn.ModuleList):
    def forward(self, x, emb, context):
        for layer in self:
            x = layer(x, emb, context)
        return x


class UNetModel(nn.Module):
    """LDM openaimodel.UNetModel with the SD 1.x config (v1-inference.yaml); keys = `model.diffusion_model.*`."""

    def __init__(self, model_channels=320, channel_mult=(1, 2, 4, 4), num_res_blocks=2,
                 attention_resolutions=(4, 2, 1), num_heads=8, context_dim=768, in_channels=4, groups=32):
        super().__init__()
        mc = model_channels
        emb = 4 * mc
        self.model_channels = mc
        self.time_embed = nn.Sequential(nn.Linear(mc, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.input_blocks = nn.ModuleList([TimestepSequential([ConvIn(in_channels, mc, 3, 1, 1)])])
        chans = [mc]
        ch, ds = mc, 1
        for level, mult in enumerate(channel_mult):
            for _ in range(num_res_blocks):
                layers = [ResBlock(ch, emb, mult * mc, groups)]
                ch = mult * mc
                if ds in attention_resolutions:
                    layers.append(SpatialTransformer(ch, num_heads, context_dim, groups))
                self.input_blocks.append(TimestepSequential(layers))
                chans.append(ch)
            if level != len(channel_mult) - 1:
                self.input_blocks.append(TimestepSequential([UnetDownsample(ch)]))
                chans.append(ch)
                ds *= 2
        self.middle_block = TimestepSequential([
            ResBlock(ch, emb, ch, groups), SpatialTransformer(ch, num_heads, context_dim, groups),
            ResBlock(ch, emb, ch, groups)])
        self.output_blocks = nn.ModuleList()
        for level, mult in reversed(list(enumerate(channel_mult))):
            for i in range(num_res_blocks + 1):
                layers = [ResBlock(ch + chans.pop(), emb, mc * mult, groups)]
                ch = mc * mult
                if ds in attention_resolutions:
                    layers.append(SpatialTransformer(ch, num_heads, context_dim, groups))
                if level and i == num_res_blocks:
                    layers.append(UnetUpsample(ch))
                    ds //= 2
                self.output_blocks.append(TimestepSequential(layers))
        self.out = nn.Sequential(group_norm(ch, groups, 1e-5), nn.SiLU(), nn.Conv2d(mc, in_channels, 3, 1, 1))

    def forward(self, sample, timestep, context):
        emb = self.time_embed(timestep_embedding(timestep, self.model_channels))
        hs = []
        h = sample
        for block in self.input_blocks:
            h = block(h, emb, context)
            hs.append(h)
        h = self.middle_block(h, emb, context)
        for block in self.output_blocks:
            h = block(torch.cat([h, hs.pop()], dim=1), emb, context)
        return self.out(h)


# ----------------------------------------------------------------------------------------- CLIP text

class ClipAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.scale = (width // heads) ** -0.5
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.q_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x, mask):
        b, n, d = x.shape
        q = self.q_proj(x).reshape(b, n, self.heads, -1).transpose(1, 2)
        k = self.k_proj(x).reshape(b, n, self.heads, -1).transpose(1, 2)
        v = self.v_proj(x).reshape(b, n, self.heads, -1).transpose(1, 2)
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * self.scale + mask, dim=-1)
        return self.out_proj(torch.matmul(w, v).transpose(1, 2).reshape(b, n, d))


class ClipMlp(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = nn.Linear(width, 4 * width)
        self.fc2 = nn.Linear(4 * width, width)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h * torch.sigmoid(1.702 * h))  # quick_gelu


class ClipLayer(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.self_attn = ClipAttention(width, heads)
        self.layer_norm1 = nn.LayerNorm(width)
        self.mlp = ClipMlp(width)
        self.layer_norm2 = nn.LayerNorm(width)

    def forward(self, x, mask):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class ClipEmbeddings(nn.Module):
    def __init__(self, vocab, width, positions):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.position_embedding = nn.Embedding(positions, width)


class ClipEncoder(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.layers = nn.ModuleList([ClipLayer(width, heads) for _ in range(layers)])


class ClipTextModel(nn.Module):
    """HF CLIPTextModel.text_model layout; keys = `cond_stage_model.transformer.text_model.*`.

    `embeddings.position_ids` (a constant arange buffer some checkpoints carry) is not a parameter here;
    the loader drops it after checking it is the plain arange."""

    def __init__(self, width=768, layers=12, heads=12, vocab=49408, positions=77):
        super().__init__()
        self.embeddings = ClipEmbeddings(vocab, width, positions)
        self.encoder = ClipEncoder(width, layers, heads)
        self.final_layer_norm = nn.LayerNorm(width)

    def embed(self, ids):
        n = ids.shape[1]
        return self.embeddings.token_embedding(ids) + self.embeddings.position_embedding.weight[:n][None]

    @staticmethod
    def causal_mask(n, dtype):
        return torch.full((n, n), float("-inf"), dtype=dtype).triu(1)

    def forward(self, ids):
        x = self.embed(ids)
        mask = self.causal_mask(ids.shape[1], x.dtype)
        for layer in self.encoder.layers:
            x = layer(x, mask)
        return self.final_layer_norm(x)


# ----------------------------------------------------------------------------------------- config

FULL = {"vae_ch": 128, "unet_ch": 320, "unet_heads": 8, "clip_layers": 12, "groups": 32}
# Small enough for a committed test bundle; GroupNorm uses gcd(groups, channels) groups (= groups at SD widths).
MINI = {"vae_ch": 4, "unet_ch": 4, "unet_heads": 4, "clip_layers": 1, "groups": 8}


def build_modules(vae_ch=128, unet_ch=320, unet_heads=8, clip_layers=12, groups=32, vae_only=False, device=None):
    """The three networks; full SD 1.x widths by default. Smaller widths keep the layout and key names."""
    kw = {} if device is None else {"device": device}
    with _default_device(kw.get("device")):
        vae = AutoencoderKL(ch=vae_ch, groups=groups)
        if vae_only:
            return vae, None, None
        unet = UNetModel(model_channels=unet_ch, num_heads=unet_heads, groups=groups)
        clip = ClipTextModel(layers=clip_layers)
    return vae, unet, clip


class _default_device:
    """Build on the meta device (shapes only, no memory) when asked; torch 1.13 has no set_default_device."""

    def __init__(self, device):
        self.device = device

    def __enter__(self):
        if self.device == "meta":
            self._orig = nn.Module.register_parameter

            def register(mod, name, param, _orig=self._orig):
                if param is not None:
                    param = nn.Parameter(torch.empty(param.shape, device="meta"), param.requires_grad)
                _orig(mod, name, param)
            nn.Module.register_parameter = register
        return self

    def __exit__(self, *exc):
        if self.device == "meta":
            nn.Module.register_parameter = self._orig
        return False


def expected_shapes(vae, unet, clip):
    """{checkpoint key: shape} of every tensor the networks take (modules may be on the meta device)."""
    out = {}
    for prefix, mod in ((VAE_PREFIX, vae), (UNET_PREFIX, unet), (CLIP_PREFIX, clip)):
        if mod is not None:
            for k, v in mod.state_dict().items():
                out[prefix + k] = list(v.shape)
    return out


EMA_PREFIX = "model_ema."
POSITION_IDS = CLIP_PREFIX + "embeddings.position_ids"


def ema_key(key):
    """LDM's LitEma stores model.diffusion_model.X as model_ema.diffusion_modelX with the dots removed."""
    return EMA_PREFIX + key[len("model."):].replace(".", "")


def source_key(key, ema=False):
    """Where the checkpoint holds the tensor for network key `key` (with its prefix)."""
    return ema_key(key) if ema and key.startswith(UNET_PREFIX) else key


def _first(keys, n=3):
    keys = sorted(keys)
    more = ", ..." if len(keys) > n else ""
    return ", ".join(keys[:n]) + more


def _shape(s):
    return "[" + ",".join(str(d) for d in s) + "]"


def check_layout(path, shapes, expected, vae_only=False, ema=False, reduced=False):
    """Raise a one-line CheckpointError unless the checkpoint with tensor shapes `shapes` (canonical keys)
    holds every tensor of `expected` with that shape. Says first what the checkpoint looks like when it
    is a known other kind (SDXL, SD 2.x, inpainting, a bare VAE, a LoRA, diffusers keys); needs shapes
    only, so a .safetensors file is refused before any tensor is read."""
    keys = set(shapes)
    if not keys:
        raise CheckpointError("%s: holds no tensors" % path)

    def under(prefix):
        return [k for k in keys if k.startswith(prefix)]
    sdxl = [k for k in keys if k.startswith(("conditioner.", UNET_PREFIX + "label_emb."))]
    if sdxl:
        raise CheckpointError(
            "%s: looks like SDXL (conditioner.* / label_emb keys, e.g. %s): only SD 1.x is supported; SDXL's VAE "
            "has the same layout but another latent scale (0.13025, not 0.18215), so --vae-only refuses it too"
            % (path, sorted(sdxl)[0]))
    if not under("first_stage_model.") and not under("model.") and not under("cond_stage_model."):
        lora = [k for k in keys if "lora_" in k or k.startswith("lora.")]
        if lora:
            what = "a LoRA (lora_* keys, e.g. %s), not a full checkpoint" % sorted(lora)[0]
        elif under("encoder.") and under("decoder."):
            what = ("a bare VAE (encoder.* / decoder.* keys without first_stage_model.): export-sd needs a full "
                    "SD 1.x checkpoint (a VAE file alone does not tell SD 1.x's latent scale from SDXL's)")
        elif any(k.startswith(("down_blocks.", "up_blocks.", "mid_block.", "unet.", "text_encoder.", "vae."))
                 for k in keys):
            what = ("diffusers-layout keys (e.g. %s): diffusers files are not supported; use the single-file "
                    "checkpoint" % sorted(keys)[0])
        else:
            what = ("no Stable Diffusion keys (first_stage_model.*, model.diffusion_model.*, cond_stage_model.*); "
                    "it holds e.g. %s" % _first(keys))
        raise CheckpointError("%s: %s" % (path, what))
    if not vae_only:
        found = []
        if under("cond_stage_model.model."):
            found.append("an SD 2.x checkpoint (OpenCLIP keys cond_stage_model.model.*, 1024-wide text context)")
        else:
            to_k = shapes.get(UNET_PREFIX + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight")
            if to_k is not None and len(to_k) == 2 and to_k[1] != 768:
                found.append("%s (%d-wide text context)" % ("an SD 2.x UNet" if to_k[1] == 1024 else "a UNet", to_k[1]))
        conv_in = shapes.get(UNET_PREFIX + "input_blocks.0.0.weight")
        if conv_in is not None and len(conv_in) == 4 and conv_in[1] != 4:
            kind = {9: "an inpainting UNet", 8: "an InstructPix2Pix-style UNet", 5: "a depth-conditioned UNet"}
            found.append("%s (%d input channels)" % (kind.get(conv_in[1], "a UNet"), conv_in[1]))
        if found:
            raise CheckpointError("%s: looks like %s: only SD 1.x (4-channel UNet, 768-wide CLIP context) is "
                                  "supported; --vae-only exports just its VAE, which is SD 1.x's"
                                  % (path, " with ".join(found)))
        if ema and not under(EMA_PREFIX + "diffusion_model"):
            raise CheckpointError("%s: --ema: the checkpoint holds no EMA weights (model_ema.*); export it "
                                  "without --ema (an -emaonly file already has them as its UNet)" % path)
    missing = [k for k in expected if source_key(k, ema) not in keys]
    wrong = [k for k in expected if source_key(k, ema) in keys and list(shapes[source_key(k, ema)]) != expected[k]]
    checked = [VAE_PREFIX] if vae_only else [VAE_PREFIX, UNET_PREFIX, CLIP_PREFIX]
    unexpected = [k for k in keys if k.startswith(tuple(checked)) and k not in expected
                  and not k.startswith(VAE_PREFIX + "loss.") and k != POSITION_IDS]
    if not (missing or wrong or unexpected):
        return
    parts = []
    for prefix, what in ((VAE_PREFIX, "VAE"), (UNET_PREFIX, "UNet"), (CLIP_PREFIX, "text encoder")):
        if prefix in checked and not under(prefix) and not (ema and prefix == UNET_PREFIX):
            parts.append("no %s keys (%s*)" % (what, prefix))
    if missing:
        parts.append("%s missing (%s)" % (_plural(len(missing), "tensor"), _first(source_key(k, ema) for k in missing)))
    if unexpected:
        parts.append("%s unexpected (%s)" % (_plural(len(unexpected), "tensor"), _first(unexpected)))
    if wrong:
        k = sorted(wrong)[0]
        parts.append("%s with another shape (e.g. %s is %s, SD 1.x has %s)"
                     % (_plural(len(wrong), "tensor"), source_key(k, ema), _shape(shapes[source_key(k, ema)]),
                        _shape(expected[k])))
    raise CheckpointError("%s: does not match the SD 1.x layout%s: %s" % (
        path, " at the reduced widths asked for" if reduced else "", "; ".join(parts)))


def _own_tensor(t):
    """t itself if it owns its whole storage, else a compact copy (a view into a larger storage would make
    TorchScript save all of that storage)."""
    try:
        nbytes = t.untyped_storage().nbytes()
    except AttributeError:  # torch < 2.0
        nbytes = t.storage().size() * t.element_size()
    if t.is_contiguous() and t.storage_offset() == 0 and nbytes == t.numel() * t.element_size():
        return t
    return t.clone(memory_format=torch.contiguous_format)


def _assign(module, sub):
    """Put each tensor of `sub` (keys relative to module) in place of the parameter it names, without a
    copy (modules built on the meta device get their memory this way)."""
    for name, t in sub.items():
        parent, _, leaf = name.rpartition(".")
        m = module.get_submodule(parent) if parent else module
        if leaf in m._parameters:
            m._parameters[leaf] = nn.Parameter(_own_tensor(t), requires_grad=False)
        else:
            m._buffers[leaf] = _own_tensor(t)


def load_weights(vae, unet, clip, state, ema=False, path="checkpoint"):
    """Check `state` (canonical checkpoint keys) against the networks as strictly as load_state_dict(strict=True)
    (every tensor present with its shape, nothing unexpected under the prefixes used), in one
    CheckpointError line, then hand each tensor to its network."""
    expected = expected_shapes(vae, unet, clip)
    check_layout(path, {k: list(v.shape) for k, v in state.items()}, expected, vae_only=unet is None, ema=ema)
    pos = state.get(POSITION_IDS)
    if clip is not None and pos is not None:
        if pos.numel() != 77 or not torch.equal(pos.reshape(-1).double().round().long(), torch.arange(77)):
            # A few merged checkpoints carry corrupted (float-rounded) position ids; SD itself would use them.
            print("export-sd: warning: checkpoint position_ids are not 0..76; using the plain arange", file=sys.stderr)
    for prefix, mod in ((VAE_PREFIX, vae), (UNET_PREFIX, unet), (CLIP_PREFIX, clip)):
        if mod is not None:
            _assign(mod, {k[len(prefix):]: state[source_key(k, ema)] for k in expected if k.startswith(prefix)})


def randomize(module, seed):
    """Deterministic small random weights so random bundles are numerically tame."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif p.dim() == 1:
                p.fill_(1.0)  # norm gains
            else:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) * (1.0 / math.sqrt(fan_in)))


# ----------------------------------------------------------------------------------------- export

def empty_prompt_context(clip):
    """CLIP's last hidden state of the empty prompt, [1,77,768] float32, computed in float64 and rounded once:
    a float32 forward differs between CPUs and BLAS builds in the last bits (~7e-6 was seen), which changed
    context.bin, hence the bundle fingerprint; float64 differences (~1e-16) almost never survive the
    rounding. The same operations as clip.double()(ids), but one layer at a time gets a float64 copy
    (~60 MB at SD width) instead of the whole model (+1 GB); clip itself is not changed."""
    clip.eval()
    ids = torch.tensor([EMPTY_PROMPT_TOKENS], dtype=torch.long)
    with torch.no_grad():
        emb = clip.embeddings
        x = (F.embedding(ids, emb.token_embedding.weight).double()
             + emb.position_embedding.weight[:ids.shape[1]].double()[None])
        mask = ClipTextModel.causal_mask(ids.shape[1], torch.float64)
        for layer in clip.encoder.layers:
            x = copy.deepcopy(layer).double()(x, mask)
        x = copy.deepcopy(clip.final_layer_norm).double()(x)
    return x.to(torch.float32)


def export_bundle(out_dir, vae, unet, context, *, name, description, example_hw=(128, 192), model_card=None):
    """Write the bundle into out_dir (a new, empty folder); unet and context None for a VAE-only bundle."""
    for m in (vae, unet):
        if m is not None:
            m.eval()
    h, w = example_hw
    x = torch.zeros(1, 3, h, w)
    sdcbundle.save_script(EncodeMean(vae), (x,), os.path.join(out_dir, "encoder.pt"))
    z = torch.zeros(1, vae.embed_dim, h // 8, w // 8)
    sdcbundle.save_script(DecodeRaw(vae), (z,), os.path.join(out_dir, "decoder.pt"))
    context_shape = None
    if unet is not None:
        sdcbundle.write_context(context, os.path.join(out_dir, "context.bin"))
        context_shape = list(context.shape)
        t = torch.tensor([40], dtype=torch.long)
        sdcbundle.save_script(unet, (z, t, context), os.path.join(out_dir, "unet.pt"))
    if model_card is not None:
        with open(os.path.join(out_dir, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
            f.write(model_card)
    return sdcbundle.write_manifest(
        out_dir, name=name, description=description, pixel_range=(-1.0, 1.0), channels=vae.embed_dim,
        factor=8, alignment=64, scale=SCALE, quant_min=-QUANT_MAX, quant_max=QUANT_MAX,
        schedule=dict(sdcbundle.SD_SCHEDULE), denoise={"strength": 0.04, "steps": 2},
        context_shape=context_shape)


def model_card(name, *, source=None, random_desc=None, vae_only=False, ema=False):
    """MODEL_CARD.md: where the weights came from and under which terms (deterministic: no dates, no paths)."""
    files = "encoder.pt, decoder.pt" + ("" if vae_only else ", unet.pt, context.bin (CLIP of the empty prompt)")
    lines = ["# %s: Stable Diffusion 1.x bundle for sdc" % name, "",
             "Written by sdc's `scripts/export-sd.py` (docs/SD.md); networks: %s." % files, ""]
    if source is None:
        lines += ["**Random weights** (%s): not derived from any checkpoint; for tests and speed measurements "
                  "only, it produces noise, not images. No model licence applies." % random_desc, ""]
        return "\n".join(lines)
    unet = ("the EMA weights (model_ema.*)" if ema else "model.diffusion_model.* (in a file with EMA and non-EMA "
            "weights, the non-EMA ones)")
    lines += ["## Source", "",
              "- checkpoint: `%s`" % source["file"],
              "- size: %d bytes" % source["size"],
              "- sha256: `%s`" % source["sha256"] if source.get("sha256") else "- sha256: not computed",
              ]
    if not vae_only:
        lines.append("- UNet: %s" % unet)
    lines += ["", "## Licence", "",
              "These are the checkpoint's own weights, converted to TorchScript; they stay under the checkpoint's "
              "licence, for Stable Diffusion 1.x the CreativeML OpenRAIL-M licence with its use restrictions "
              "(Attachment A). sdc's Apache-2.0 licence does not cover them. Do not redistribute this bundle on "
              "other terms: whoever you give it to must get the same licence and its use restrictions.", ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------- output folder

BUNDLE_FILES = ("bundle.json", "encoder.pt", "decoder.pt", "unet.pt", "context.bin", "MODEL_CARD.md")
NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,32}")


def check_out(out, force):
    """None if `out` may be written, else why not (before anything is loaded)."""
    if os.path.lexists(out) and not os.path.isdir(out):
        return "--out %s exists and is not a folder" % out
    if os.path.isdir(out):
        entries = sorted(os.listdir(out))
        if entries and not force:
            return ("--out %s is not empty (%s); pass --force to replace the bundle in it, or name a new folder"
                    % (out, _first(entries)))
        probe = out
    else:
        probe = os.path.dirname(os.path.abspath(out))
        while not os.path.exists(probe):
            probe = os.path.dirname(probe)
        if not os.path.isdir(probe):
            return "--out %s: %s is not a folder" % (out, probe)
    if not os.access(probe, os.W_OK | os.X_OK):
        return "--out %s: cannot write in %s" % (out, probe)
    return None


def staging_dir(out):
    """A new hidden folder next to `out`, where the bundle is written before it takes out's place."""
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    staged = tempfile.mkdtemp(prefix=".%s.partial-" % os.path.basename(out), dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staged, 0o777 & ~umask)  # mkdtemp's 0700 would become the bundle folder's mode
    return staged


def _old_bundle_files(out, keep_path=None):
    """The files of the bundle in `out` that --force removes: the standard names, plus .pt/.bin files its
    bundle.json lists; never `keep_path` (the checkpoint being exported)."""
    names = set(BUNDLE_FILES)
    try:
        with open(os.path.join(out, "bundle.json"), encoding="utf-8") as f:
            listed = json.load(f).get("files", {})
        if isinstance(listed, dict):
            names |= {n for n in listed if isinstance(n, str) and NAME_RE.fullmatch(n) and n.endswith((".pt", ".bin"))}
    except (OSError, ValueError, AttributeError):
        pass
    out_files = []
    for n in sorted(names, key=lambda n: (n != "bundle.json", n)):  # bundle.json first: no half-old bundle
        p = os.path.join(out, n)
        if os.path.isfile(p) and not (keep_path and os.path.exists(keep_path) and os.path.samefile(p, keep_path)):
            out_files.append(p)
    return out_files


def publish(staged, out, keep_path=None):
    """Move the finished bundle in `staged` to `out`: a rename when out does not exist (or is an empty
    folder); else (--force) the old bundle's files are removed first and the new ones moved in, bundle.json last."""
    if os.path.isdir(out):
        for p in _old_bundle_files(out, keep_path):
            os.remove(p)
        if not os.path.islink(out) and not os.listdir(out):
            os.rmdir(out)
    if not os.path.lexists(out):
        os.rename(staged, out)
        return
    names = sorted(os.listdir(staged), key=lambda n: (n == "bundle.json", n))
    for n in names:
        os.replace(os.path.join(staged, n), os.path.join(out, n))
    os.rmdir(staged)


# ----------------------------------------------------------------------------------------- command line

def _example_size(text):
    m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError("%r is not HxW (e.g. 128x192)" % text)
    h, w = int(m.group(1)), int(m.group(2))
    if not (0 < h <= 8192 and 0 < w <= 8192) or h % 64 or w % 64:
        raise argparse.ArgumentTypeError("%s: sides must be multiples of 64 from 64 to 8192" % text)
    return h, w


def main(argv=None):
    p = argparse.ArgumentParser(prog="export-sd", description=__doc__.split("\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="SD 1.x single-file checkpoint, .safetensors or .ckpt (CompVis/LDM keys); "
                     "the format is taken from the file's first bytes, not its name")
    src.add_argument("--random-weights", action="store_true", help="seeded random weights, no checkpoint")
    p.add_argument("--trust-pickle", action="store_true",
                   help="load a .ckpt with full unpickling (runs any code in it); only for files you trust")
    p.add_argument("--ema", action="store_true",
                   help="take the UNet's EMA weights (model_ema.*) from a checkpoint that has both, e.g. v1-5-pruned")
    p.add_argument("--out", required=True, help="bundle folder to write, e.g. models/sd15; must not exist or be "
                   "empty unless --force")
    p.add_argument("--force", action="store_true", help="replace the bundle in an existing --out folder")
    p.add_argument("--name", default="sd15", help="bundle name ([A-Za-z0-9._-], 1-32 chars)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mini", action="store_true",
                   help="reduced widths (VAE 4, UNet 4 with 4 heads, CLIP 1 layer, <=8 norm groups); for random "
                   "weights (or a checkpoint of those widths)")
    p.add_argument("--vae-channels", type=sdcbundle.positive_int, help="VAE base channels (SD: 128)")
    p.add_argument("--unet-channels", type=sdcbundle.positive_int, help="UNet model_channels (SD: 320)")
    p.add_argument("--unet-heads", type=sdcbundle.positive_int, help="attention heads per UNet transformer (SD: 8)")
    p.add_argument("--clip-layers", type=sdcbundle.positive_int, help="CLIP text layers (SD: 12); width stays 768")
    p.add_argument("--norm-groups", type=sdcbundle.positive_int, help="GroupNorm groups (SD: 32)")
    p.add_argument("--vae-only", action="store_true", help="write encoder.pt + decoder.pt only (no UNet/context)")
    p.add_argument("--example-size", type=_example_size, default=(128, 192), metavar="HxW",
                   help="image size used for tracing (multiples of 64; default 128x192)")
    a = p.parse_args(argv)
    a.out = os.path.normpath(a.out)  # "models/sd15/" names the same folder

    # every check that needs no checkpoint, before one is read
    if not NAME_RE.fullmatch(a.name):
        p.error("--name %r: 1 to 32 characters of A-Z a-z 0-9 . _ - (sdc's bundle name rule)" % a.name)
    cfg = dict(MINI if a.mini else FULL)
    for key, val in (("vae_ch", a.vae_channels), ("unet_ch", a.unet_channels),
                     ("unet_heads", a.unet_heads), ("clip_layers", a.clip_layers),
                     ("groups", a.norm_groups)):
        if val is not None:
            cfg[key] = val
    if not a.vae_only and cfg["unet_ch"] % cfg["unet_heads"]:
        p.error("--unet-heads %d must divide the UNet channels %d" % (cfg["unet_heads"], cfg["unet_ch"]))
    if a.ema and (a.random_weights or a.vae_only):
        p.error("--ema picks the UNet weights of a --checkpoint; it does not go with --random-weights or --vae-only")
    problem = check_out(a.out, a.force)
    if problem:
        p.error(problem)
    if a.checkpoint and not os.path.exists(a.checkpoint):
        sys.exit("export-sd: error: %s: no such file" % a.checkpoint)

    if a.checkpoint:
        vae, unet, clip = build_modules(vae_only=a.vae_only, device="meta", **cfg)
        try:
            ckpt = open_checkpoint(a.checkpoint, trust_pickle=a.trust_pickle)
            expected = expected_shapes(vae, unet, clip)
            check_layout(a.checkpoint, ckpt.shapes, expected, vae_only=a.vae_only, ema=a.ema,
                         reduced=cfg != FULL)
            wanted = {source_key(k, a.ema) for k in expected}
            if not a.vae_only:
                wanted.add(POSITION_IDS)
            state = ckpt.read(keep=wanted.__contains__)
            load_weights(vae, unet, clip, state, ema=a.ema, path=a.checkpoint)
            del state  # the networks hold the only references now
            if ckpt.sha256 is None:
                ckpt.sha256 = sdcbundle.sha256_file(a.checkpoint)
        except (OSError, CheckpointError) as e:
            sys.exit("export-sd: error: %s" % e)
        source = {"file": os.path.basename(a.checkpoint), "size": ckpt.size, "sha256": ckpt.sha256}
        del ckpt
        desc = "Stable Diffusion 1.x exported from %s%s" % (source["file"], " (EMA UNet)" if a.ema else "")
        card = model_card(a.name, source=source, vae_only=a.vae_only, ema=a.ema)
    else:
        vae, unet, clip = build_modules(vae_only=a.vae_only, **cfg)
        for i, m in enumerate((vae, unet, clip)):
            if m is not None:
                randomize(m, a.seed + i)
        random_desc = "seed %d, %s" % (a.seed, ", ".join("%s %d" % kv for kv in sorted(cfg.items())))
        desc = "RANDOM-WEIGHT SD 1.x-shaped bundle for tests (%s); produces noise, not images" % random_desc
        card = model_card(a.name, random_desc=random_desc, vae_only=a.vae_only)
    context = None
    if clip is not None:
        context = empty_prompt_context(clip)
        del clip
    staged = staging_dir(a.out)
    try:
        manifest = export_bundle(staged, vae, unet, context, name=a.name, description=desc,
                                 example_hw=a.example_size, model_card=card)
        publish(staged, a.out, keep_path=a.checkpoint)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    print(json.dumps(manifest["files"], indent=2))


if __name__ == "__main__":
    main()
