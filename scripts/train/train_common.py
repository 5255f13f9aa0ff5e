"""Start-up and data shared by the trainers (train_tiny.py, train_base.py, train_scalar.py)."""
import io
import json
import random
import struct
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch


def setup_torch(args):
    """Thread count (args.threads, 0 = torch's default), TF32 and cuDNN autotuning on CUDA devices
    (args.device), and one seed (args.seed) for Python's, NumPy's and torch's generators."""
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)


def resolve_amp(amp, device):
    """--amp auto|bf16|off -> bf16|off: auto is bf16 on CUDA (the H200's fast path), off elsewhere."""
    if amp == "auto":
        return "bf16" if device.startswith("cuda") else "off"
    return amp


def autocast(device, amp):
    """bf16 autocast when amp is "bf16", on the device's type. `--amp bf16` on the CPU runs the GPU's mixed
    precision code path in a CPU test, so that a dtype error shows up there and not in a device minute."""
    if amp == "bf16":
        return torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16)
    return torch.autocast(device_type="cpu", enabled=False)


def read_pack(path, threads=8):
    """Image pack (pack_images.py: magic, JSON header, concatenated JPEG/PNG files) -> list of uint8 CPU
    tensors [3,H,W], decoded in threads. A pack is what a device call carries instead of a photo folder
    (the training folder is 85 MB; a call's tree and carry are 64 MiB at most)."""
    from PIL import Image
    with open(path, "rb") as f:
        magic = f.read(8)
        if magic != b"SDCPACK1":
            raise SystemExit(f"{path} is not an image pack (scripts/train/pack_images.py)")
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()

    def dec(e):
        im = Image.open(io.BytesIO(blob[e["offset"]:e["offset"] + e["size"]])).convert("RGB")
        return torch.from_numpy(np.asarray(im, dtype=np.uint8).copy()).permute(2, 0, 1).contiguous()

    with ThreadPoolExecutor(threads) as ex:
        return list(ex.map(dec, header["images"]))
