#!/usr/bin/python3
"""Train the `base` bundle in short GPU sessions (issue 14); every stage also runs at toy scale on the CPU.

    python3 scripts/train/train_base.py --train-pack packs/train.pack --holdout-pack packs/holdout.pack \
        --init scripts/train/base-weights --save $OUT/weights --minutes 8.5 \
        --stages ae,decft,unet,sharp,eval [--ae-minutes 6 ...] [--export DIR]

Stages, in order of value per GPU minute (each resumes from the weights in --init, so a session continues
where the last committed one stopped; the optimiser restarts with a short warm-up):
  ae     autoencoder (base_models: replicate padding, 4 tanh latents, factor 8) on random crops, loss
         L1 + w * (1 - MS-SSIM); latent noise of +-half an 8-bit step always, Gaussian sometimes
  decft  the faithful decoder fine-tuned on the codec's own latents: 8-bit -> k-means palette 16/64/256 ->
         serpentine Floyd-Steinberg -> dequantised (latent_codec, batched in torch on the GPU), encoder frozen
  unet   latent denoiser for this latent space: x0 loss on codec latents, epsilon loss on Gaussian noise
  sharp  the `sharp` look: a copy of the faithful decoder fine-tuned with a PatchGAN critic (hinge loss,
         trained from scratch, spectral norm) plus the reconstruction loss
  eval   holdout pack: PSNR / MS-SSIM of the autoencoder and of every stage at 16/64/256 colours, denoise
         grid -> per-palette defaults; the `tiny` bundle (models/tiny) on the same images for comparison
  export TorchScript bundle (--export DIR; run it with torch 1.13, the TorchScript DJL loads)

A stage whose input changed (the autoencoder was retrained in this session) restarts from its source.
Time: --minutes is a hard wall-clock budget for the whole process; training stops --reserve-s before it to
save, evaluate and export. --<stage>-minutes caps each stage. Weights are saved every --ckpt-seconds, as
float16 state dicts (<= 16 MiB per file, the device tool's limit) plus state.json, under --save.
"""
import argparse
import copy
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import base_models as bm  # noqa: E402
import latent_codec as lc  # noqa: E402
import train_common  # noqa: E402
from train_common import read_pack, setup_torch  # noqa: E402

PALETTE_SIZES = (16, 64, 256)
STAGES = ("ae", "decft", "unet", "sharp", "eval", "export")
NETS = ("enc", "dec", "decft", "unet", "sharp", "disc")  # one <name>.ckpt each; dec = the autoencoder's decoder
LOG = None
T0 = time.time()
AVAILABLE = set()  # networks holding trained weights in this process (loaded from --init or trained here)


def log(*a):
    msg = f"[{time.time() - T0:6.1f}s] " + " ".join(str(x) for x in a)
    print(msg, flush=True)
    if LOG:
        with open(LOG, "a") as f:
            f.write(msg + "\n")


# ---------------------------------------------------------------- data
def load_pack(path, device, threads=8):
    """Pack (pack_images.py) -> list of uint8 tensors [3,H,W] on device; decoded once, in threads."""
    return [im.to(device) for im in read_pack(path, threads)]


def to_unit(u8):
    return u8.float() / 127.5 - 1.0


def crop_to(img, mult, max_side=None):
    """Centre crop [3,H,W] to multiples of mult (and to at most max_side per side)."""
    _, h, w = img.shape
    if max_side:
        h, w = min(h, max_side), min(w, max_side)
    h2, w2 = h // mult * mult, w // mult * mult
    y, x = (img.shape[1] - h2) // 2, (img.shape[2] - w2) // 2
    return img[:, y:y + h2, x:x + w2]


class GpuCrops:
    """Random crops + flips of uint8 images already on the device; only the offsets come from the host."""

    def __init__(self, images, size, seed, align=1):
        self.images = [im for im in images if min(im.shape[1:]) >= size]
        if not self.images:
            raise SystemExit(f"train_base: no training image is at least {size} px on both sides")
        self.size, self.align = size, align
        self.rng = random.Random(seed)
        areas = [im.shape[1] * im.shape[2] for im in self.images]
        self.cum = np.cumsum(areas) / float(sum(areas))

    def offsets(self, h, w):
        a, s = self.align, self.size
        return self.rng.randrange(0, (h - s) // a + 1) * a, self.rng.randrange(0, (w - s) // a + 1) * a

    def pick(self):
        return int(np.searchsorted(self.cum, self.rng.random()))

    def batch(self, n):
        out = []
        for _ in range(n):
            im = self.images[self.pick()]
            y, x = self.offsets(im.shape[1], im.shape[2])
            out.append(im[:, y:y + self.size, x:x + self.size])
        return flip(to_unit(torch.stack(out)), self.rng)


def device_mask(bits, n, device):
    """A bool mask [n, 1, 1, 1] on the device from a list of n bools, made there from Python-int bit fields:
    torch.tensor(list, device=cuda) is a blocking copy, which would make the CPU wait for the GPU every batch."""
    out = []
    for start in range(0, n, 62):
        chunk = bits[start:start + 62]
        word = sum(1 << i for i, b in enumerate(chunk) if b)
        out.append(torch.bitwise_and(torch.bitwise_right_shift(
            torch.full((len(chunk),), word, dtype=torch.int64, device=device),
            torch.arange(len(chunk), device=device)), 1).bool())
    return torch.cat(out).view(n, 1, 1, 1)


def flip(x, rng):
    """Flip whole batch items of images: horizontal with p 0.5, vertical with p 0.2 (masks made on the device).

    Images only, before encoding: never latents (see LatentBank)."""
    n = x.shape[0]
    h = device_mask([rng.random() < 0.5 for _ in range(n)], n, x.device)
    v = device_mask([rng.random() < 0.2 for _ in range(n)], n, x.device)
    x = torch.where(h, x.flip(3), x)
    return torch.where(v, x.flip(2), x)


class LatentBank:
    """Training images (centre crops <= --bank-side) with their clean and codec latents, for pair crops.

    Latents of unequal images are padded to one shape so the palette + dither runs as one batched loop
    on the device (latent_codec.palette_roundtrip_masked); the mask keeps each image's dither exact.

    Pairs are never flipped here: the encoder is not flip-equivariant, so a flipped latent is not the latent
    of the flipped image (session 2 on the H200: decoding a mirrored latent and mirroring back gave 16.7 dB
    against 21.6 dB for the latent itself), and (flip z, flip x) pairs taught decft to blur (−0.35 dB at 64
    colours, −0.69 dB at 256 on holdout). Mirror augmentation is done before encoding instead: with
    --bank-mirror each image is also encoded mirrored, as an entry of its own.
    """

    def __init__(self, args, enc, images):
        t = time.time()
        f = bm.FACTOR
        self.margin = getattr(args, "bank_margin", 0)
        if not 0 <= 2 * self.margin < args.crop // f:  # checked before the (minutes-long on a CPU) encoding
            raise SystemExit(f"train_base: --bank-margin {self.margin} leaves no loss region in a "
                             f"{args.crop // f}-latent crop")
        self.keep = (args.crop // f - 2 * self.margin) * f  # side of the loss region, pixels
        self.images = [crop_to(im, f, args.bank_side) for im in images]
        self.images = [im for im in self.images if min(im.shape[1:]) >= args.crop]
        if args.bank_mirror:
            self.images += [im.flip(2) for im in self.images]
        if not self.images:
            raise SystemExit("train_base: no training image is large enough for the latent bank")
        enc.eval()
        zs = []
        with torch.no_grad(), autocast(args):
            for im in self.images:
                zs.append(enc(to_unit(im)[None]).float()[0])
        hm, wm = max(z.shape[1] for z in zs), max(z.shape[2] for z in zs)
        n = len(zs)
        dev = zs[0].device
        self.clean = torch.zeros(n, bm.LATENT_CHANNELS, hm, wm, device=dev)
        mask = torch.zeros(n, hm, wm, device=dev)
        for i, z in enumerate(zs):
            self.clean[i, :, :z.shape[1], :z.shape[2]] = z
            mask[i, :z.shape[1], :z.shape[2]] = 1
        self.shapes = [tuple(z.shape[1:]) for z in zs]
        self.codec = {}
        for k in PALETTE_SIZES:
            self.codec[k] = lc.palette_roundtrip_masked(self.clean, k, mask, seed=args.seed + k).half()
        self.clean_std = float(torch.cat([z.flatten() for z in zs]).std())
        self.size = args.crop
        self.edge_p = args.bank_edge_p
        self.rng = random.Random(args.seed + 5)
        log(f"[bank] {n} images, latents padded to {hm}x{wm}, palette+FS at {PALETTE_SIZES} in "
            f"{time.time() - t:.1f} s")

    def batch(self, n, codec_frac, latent_only=False):
        """-> (image crops [n,3,s,s] or None, clean latents, codec-or-clean latents, loss-region offsets [n,2]);
        never flipped (above).

        The loss region (`region`, side `self.keep`) leaves out --bank-margin latents at every crop side that
        is not the image's own edge. There the bank latent was encoded with context the crop cuts off, while
        the decoder's replicate padding pretends the image ends: a pair no real file has, and the training
        pair that taught decft a rim (BASE.md, "Borders after decft"). Sides at the image's edge are kept,
        so the decoder still learns real borders."""
        s, ls, m = self.size, self.size // bm.FACTOR, self.margin
        ims, zc, zq, offs = [], [], [], []
        for _ in range(n):
            i = self.rng.randrange(len(self.images))
            lh, lw = self.shapes[i]
            ly, lx = self.rng.randrange(0, lh - ls + 1), self.rng.randrange(0, lw - ls + 1)
            # snap to the image's edges along an axis with p edge_p: a crop from inside an image has interior
            # latents at its rim, so without this the decoder rarely sees a real border's latents and learns
            # to draw a rim. CPU check 2026-12-04 (6 min of decft, crop 128, batch 8): the flat-patch frame fell
            # from 48.0 dB to 41.2 without this and to 41.9 with p 0.3, so it is not the whole cause (BASE.md)
            if self.rng.random() < self.edge_p:
                ly = self.rng.choice((0, lh - ls))
            if self.rng.random() < self.edge_p:
                lx = self.rng.choice((0, lw - ls))
            c = self.clean[i, :, ly:ly + ls, lx:lx + ls]
            if self.rng.random() < codec_frac:
                k = PALETTE_SIZES[self.rng.randrange(len(PALETTE_SIZES))]
                q = self.codec[k][i, :, ly:ly + ls, lx:lx + ls].float()
            else:
                q = c
            zc.append(c)
            zq.append(q)
            offs.append((self._region_start(ly, lh, ls, m), self._region_start(lx, lw, ls, m)))
            if not latent_only:
                y, x = ly * bm.FACTOR, lx * bm.FACTOR
                ims.append(self.images[i][:, y:y + s, x:x + s])
        zc, zq = torch.stack(zc), torch.stack(zq)
        offs = torch.tensor(offs, dtype=torch.long) * bm.FACTOR
        if latent_only:
            return None, zc, zq, offs
        return to_unit(torch.stack(ims)), zc, zq, offs

    def _region_start(self, start, length, ls, m):
        """Latent offset of the loss region along one axis: flush with a side at the image's edge (the top
        one when the crop spans the whole axis, the region's side being shorter), else `m` in."""
        if m == 0 or start == 0:
            return 0
        return 2 * m if start + ls == length else m

    def region(self, t, offs):
        """Per-sample crops [n,c,keep,keep] of t [n,c,s,s] at offs (pixels), the loss region of a batch."""
        k = self.keep
        if k == self.size:
            return t
        return torch.stack([t[i, :, y:y + k, x:x + k] for i, (y, x) in enumerate(offs.tolist())])


# ---------------------------------------------------------------- losses / metrics
def _gauss(size=11, sigma=1.5, device="cpu"):
    x = torch.arange(size, dtype=torch.float32, device=device) - size // 2
    g = torch.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


MS_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ms_ssim(a, b, levels=None):
    """MS-SSIM of [N,3,H,W] images in [0,1] (Wang et al. 2003 weights; fewer levels for small images).

    Per-image values [N]; contrast-structure terms clamped at 0 (`relu`) so it is a usable loss.
    """
    c = a.shape[1]
    g = _gauss(device=a.device)
    wx = g.view(1, 1, 1, -1).repeat(c, 1, 1, 1)
    wy = g.view(1, 1, -1, 1).repeat(c, 1, 1, 1)
    if levels is None:
        levels = max(1, min(5, int(math.log2(min(a.shape[2:]) / 11)) + 1))
    w = torch.tensor(MS_WEIGHTS[:levels], device=a.device)
    w = w / w.sum()
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    vals = []
    for lev in range(levels):
        blur = lambda t: F.conv2d(F.conv2d(t, wx, groups=c), wy, groups=c)  # noqa: E731
        mu_a, mu_b = blur(a), blur(b)
        saa = blur(a * a) - mu_a ** 2
        sbb = blur(b * b) - mu_b ** 2
        sab = blur(a * b) - mu_a * mu_b
        cs = (2 * sab + c2) / (saa + sbb + c2)
        if lev == levels - 1:
            lum = (2 * mu_a * mu_b + c1) / (mu_a ** 2 + mu_b ** 2 + c1)
            vals.append((lum * cs).mean(dim=(1, 2, 3)).clamp(min=1e-6))
        else:
            vals.append(cs.mean(dim=(1, 2, 3)).clamp(min=1e-6))
            a, b = F.avg_pool2d(a, 2), F.avg_pool2d(b, 2)
    return torch.prod(torch.stack(vals, 0) ** w[:, None], dim=0)


def rec_loss(args, y, x):
    l1 = (y - x).abs().mean()
    ms = ms_ssim((y.clamp(-1, 1) + 1) / 2, (x + 1) / 2).mean()
    return l1 + args.msssim_w * (1 - ms), l1, ms


def psnr_u8(x, y):
    qa = torch.round((x.clamp(-1, 1) + 1) * 127.5)
    qb = torch.round((y.clamp(-1, 1) + 1) * 127.5)
    mse = ((qa - qb) ** 2).mean().item()
    return 10 * math.log10(255 ** 2 / max(mse, 1e-10))


def msssim_u8(x, y):
    qa = torch.round((x.clamp(-1, 1) + 1) * 127.5) / 255
    qb = torch.round((y.clamp(-1, 1) + 1) * 127.5) / 255
    return float(ms_ssim(qa, qb).mean())


def _log_kernel(device):
    """The 9x9 LoG (sigma 1) of dev.sdc.eval.metrics.DetailRatio: g''(x) g(y) + g(x) g''(y), g sums to 1,
    g'' to 0 (float64, as Java computes it)."""
    x = torch.arange(-4, 5, dtype=torch.float64)
    g = torch.exp(-x * x / 2)
    g = g / g.sum()
    g2 = g * (x * x - 1)
    g2 = g2 - g2.mean()
    return (torch.outer(g, g2) + torch.outer(g2, g)).to(device)[None, None]


def detail_energy(x):
    """[N,3,H,W] images in [-1,1] -> [N] LoG energies of their 8-bit luma over the fully supported pixels."""
    q = torch.round((x.clamp(-1, 1) + 1) * 127.5).double()
    y = 0.299 * q[:, 0] + 0.587 * q[:, 1] + 0.114 * q[:, 2]
    r = F.conv2d(y[:, None], _log_kernel(x.device))
    return (r * r).sum(dim=(1, 2, 3))


def detail_ratio(y, x):
    """Issue 14's fine-detail energy kept, decoded y over original x, per image [N]: the definition and
    numbers of Java's DetailRatio (1.0 = as much detail as the original; NaN for an original with none)."""
    ex = detail_energy(x)
    support = max(0, x.shape[2] - 8) * max(0, x.shape[3] - 8)
    return torch.where(ex > 1e-12 * support, detail_energy(y) / ex.clamp(min=1e-300),
                       torch.full_like(ex, float("nan")))


# ---------------------------------------------------------------- device helpers
def autocast(args):
    """bf16 autocast where --amp says so (on CUDA by default): train_common.autocast."""
    return train_common.autocast(args.device, args.amp)


def prepare(args, module):
    """channels_last where --channels-last says so (CUDA by default), and a CompileOrEager forward when some
    stage compiles (--compile)."""
    module = module.to(args.device)
    if args.channels_last:
        module = module.to(memory_format=torch.channels_last)
    if args.compile_stages and HAS_COMPILE:
        return module, CompileOrEager(module)
    return module, module


# Whether CompileOrEager forwards run compiled right now: run_loop turns it on for the stages named by
# --compile after their first --compile-after iterations, and off for good after a compiler failure.
COMPILE = {"on": False, "broken": False}
HAS_COMPILE = hasattr(torch, "compile")  # torch >= 2.0; Debian's torch 1.13 trains eager


class CompileOrEager:
    """A module's torch.compile'd forward, used only while COMPILE["on"]; eager otherwise. torch.compile is
    lazy, so a wrapper that never runs compiled costs nothing."""

    def __init__(self, module):
        self.module, self.compiled = module, torch.compile(module)

    def __call__(self, *a):
        return (self.compiled if COMPILE["on"] else self.module)(*a)


def compiled_step(args, name, it, step, prog):
    """One training step; compiled (if this stage compiles, from iteration --compile-after on) or eager.

    The first --compile-after iterations run eager, so that one session's log holds eager images/s, the
    compile time (the step that compiles is logged on its own) and compiled images/s. A failure while
    compiled, in the forward or in the backward (where a compiler's stride bug shows up), switches to eager
    for the rest of the process and retries the step: a compiler error must not cost a GPU session."""
    COMPILE["on"] = (name in args.compile_stages and it >= args.compile_after and not COMPILE["broken"]
                     and HAS_COMPILE)
    if not COMPILE["on"]:
        return step(prog)
    try:
        return step(prog)
    except Exception as e:  # noqa: BLE001 - any compiler failure; a real bug fails again in eager below
        COMPILE["on"], COMPILE["broken"] = False, True
        log(f"[{name}] torch.compile failed ({type(e).__name__}: {str(e)[:300]}); eager from now on")
        return step(prog)


def cl(args, x):
    return x.contiguous(memory_format=torch.channels_last) if args.channels_last else x


# ---------------------------------------------------------------- weights + state
def save_weights(folder, modules, state):
    """One float16 state dict per network (<name>.ckpt, <= 16 MiB each) + state.json, written atomically.

    Separate files let a session carry only the networks it needs (the tree + carry limit is 64 MiB)."""
    os.makedirs(folder, exist_ok=True)
    for name, m in modules.items():
        sd = {n: v.detach().to("cpu", torch.float16) if v.is_floating_point() else v.cpu()
              for n, v in m.state_dict().items()}
        p = os.path.join(folder, name + ".ckpt")
        torch.save(sd, p + ".tmp")
        os.replace(p + ".tmp", p)
        AVAILABLE.add(name)
    write_state(folder, state)


def write_state(folder, state):
    os.makedirs(folder, exist_ok=True)
    p = os.path.join(folder, "state.json")
    with open(p + ".tmp", "w") as f:
        json.dump(state, f, indent=1)
        f.write("\n")
    os.replace(p + ".tmp", p)


def load_weights(folder, name, module):
    p = os.path.join(folder, name + ".ckpt") if folder else ""
    if not p or not os.path.exists(p):
        return False
    sd = torch.load(p, map_location="cpu")
    module.load_state_dict({n: v.float() if v.is_floating_point() else v for n, v in sd.items()})
    AVAILABLE.add(name)
    return True


def usable(state, name):
    """A stage's network is usable if it holds weights and was trained on the current latent space."""
    return name in AVAILABLE and state.get(name, {}).get("ae_version") == state["ae"].get("version")


def read_state(folder):
    p = os.path.join(folder, "state.json") if folder else ""
    if not p or not os.path.exists(p):
        return {}
    with open(p) as f:
        return json.load(f)


# ---------------------------------------------------------------- the training loop shared by all stages
def lr_at(progress, base, warm=0.03):
    if progress < warm:
        return base * max(progress, 0.002) / warm
    p = (progress - warm) / (1 - warm)
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(p, 1.0))))


class Clock:
    """Hard wall-clock budget: a stage ends at its own cap or at the global deadline, whichever is first."""

    def __init__(self, args):
        self.deadline = T0 + args.minutes * 60 - args.reserve_s if args.minutes else float("inf")

    def stage_end(self, minutes):
        own = time.time() + minutes * 60 if minutes else float("inf")
        return min(own, self.deadline)


def run_loop(args, name, clock, iters, minutes, step, save, batch):
    """Calls step(progress) until iterations or time run out; logs images/s; saves every ckpt_seconds."""
    end = clock.stage_end(minutes)
    start = time.time()
    if start >= end:
        log(f"[{name}] skipped: no time left in the budget")
        return 0, 0.0
    it, last_save, last_log, seen = 0, start, start, 0
    budget = end - start
    compiles = name in args.compile_stages and HAS_COMPILE
    while it < iters:
        now = time.time()
        if now >= end:
            break
        prog = max(it / iters, (now - start) / budget)
        info = compiled_step(args, name, it, step, prog)
        it += 1
        seen += batch
        # with compile: extra log lines close the eager window and the compiling step, for the comparison
        marks = (args.compile_after, args.compile_after + 1) if compiles and not COMPILE["broken"] else ()
        if it % args.log_every == 0 or it == iters or it in marks:
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            t = time.time()
            what = " (eager window)" if it == args.compile_after and marks else (
                " (this step compiled)" if marks and it == args.compile_after + 1 else "")
            log(f"[{name}] it {it} {info() if callable(info) else info} {seen / (t - last_log):.1f} img/s{what}")
            last_log, seen = t, 0
        if time.time() - last_save > args.ckpt_seconds:
            save(it, time.time() - start)
            last_save = time.time()
    COMPILE["on"] = False  # the eval stage and the next stage's own setup run eager
    el = time.time() - start
    save(it, el)
    log(f"[{name}] done: {it} iterations in {el:.1f} s ({it * batch / max(el, 1e-9):.1f} img/s)")
    return it, el


def stage_state(state, name, it, el, extra=None):
    s = state.setdefault(name, {"iters": 0, "seconds": 0.0, "sessions": 0})
    s["iters_session"], s["seconds_session"] = it, round(el, 1)
    s["total_iters"] = s.get("iters", 0) + it
    s.update(extra or {})


def finish_stage(state, name):
    """Books a stage's session into its totals; a stage skipped for lack of time (never saved) books 0."""
    s = state.setdefault(name, {"iters": 0, "seconds": 0.0, "sessions": 0})
    if "total_iters" not in s:
        return
    s["iters"], s["seconds"] = s.pop("total_iters"), round(s.get("seconds", 0) + s.get("seconds_session", 0), 1)
    s["sessions"] = s.get("sessions", 0) + 1


def make_opt(params, lr):
    kw = {"fused": True} if torch.cuda.is_available() and "fused" in torch.optim.AdamW.__init__.__code__.co_varnames else {}
    try:
        return torch.optim.AdamW(params, lr=lr, weight_decay=1e-5, **kw)
    except (TypeError, RuntimeError):
        return torch.optim.AdamW(params, lr=lr, weight_decay=1e-5)


def set_lr(opt, lr):
    for g in opt.param_groups:
        g["lr"] = lr


# ---------------------------------------------------------------- stages
def train_ae(args, clock, nets, images, state):
    enc, dec = nets["enc"], nets["dec"]
    enc_c, dec_c = nets["enc_c"], nets["dec_c"]
    params = list(enc.parameters()) + list(dec.parameters())
    opt = make_opt(params, args.ae_lr)
    crops = GpuCrops(images, args.crop, args.seed + state.get("ae", {}).get("iters", 0))
    half = (lc.QMAX - lc.QMIN) / 255.0 / 2
    enc.train(), dec.train()
    name = "ae"

    def step(prog):
        set_lr(opt, lr_at(prog, args.ae_lr))
        x = cl(args, crops.batch(args.batch))
        with autocast(args):
            z = enc_c(x).float()
            n = z.shape[0]
            noise = (torch.rand_like(z) * 2 - 1) * half
            pal = (torch.rand(n, 1, 1, 1, device=z.device) < args.pal_noise_p).float()
            sig = torch.rand(n, 1, 1, 1, device=z.device) * args.pal_noise_sigma
            y = dec_c(z + noise + pal * sig * torch.randn_like(z)).float()
        loss, l1, ms = rec_loss(args, y, x)
        opt.zero_grad(set_to_none=True)
        if torch.isfinite(loss):
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 0.5)
            opt.step()
        return lambda: f"l1 {l1.item():.4f} ms-ssim {ms.item():.4f}"  # read (a GPU sync) on log lines only

    # a new latent space from the first saved step on: stages trained on the old one no longer count
    old = state["ae"].get("version", 0)
    state["ae"]["version"] = old + 1

    def save(it, el):
        stage_state(state, name, it, el)
        save_weights(args.save, {"enc": enc, "dec": dec}, state)

    it, el = run_loop(args, name, clock, args.ae_iters, args.ae_minutes, step, save, args.batch)
    if not it:
        state["ae"]["version"] = old
    finish_stage(state, name)
    save_weights(args.save, {"enc": enc, "dec": dec}, state)


def train_decoder(args, clock, name, nets, bank, state, adversarial):
    """decft (reconstruction on codec latents) and sharp (+ PatchGAN hinge loss)."""
    dec, dec_c = nets[name], nets[name + "_c"]
    opt = make_opt(dec.parameters(), args.decft_lr if not adversarial else args.sharp_lr)
    disc = nets.get("disc")
    if adversarial:
        dopt = make_opt(disc.parameters(), args.disc_lr)
        disc.train()
    dec.train()
    lr0 = args.decft_lr if not adversarial else args.sharp_lr
    frac = args.codec_frac
    counter = {"it": 0}

    def step(prog):
        counter["it"] += 1
        set_lr(opt, lr_at(prog, lr0))
        x, _, zq, offs = bank.batch(args.batch, frac)
        with autocast(args):
            y = dec_c(cl(args, zq)).float()
        x, y = cl(args, bank.region(x, offs)), bank.region(y, offs)
        loss, l1, ms = rec_loss(args, y, x)
        parts = [("l1", l1, ".4f"), ("ms-ssim", ms, ".4f")]  # read (a GPU sync) on log lines only
        if adversarial:
            ramp = min(1.0, max(0.0, (counter["it"] - args.disc_warmup) / max(1, args.disc_warmup)))
            if ramp > 0:
                with autocast(args):
                    g = -disc(y).float().mean()
                loss = loss + args.adv_w * ramp * g
                parts.append(("g", g, "+.3f"))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(dec.parameters(), 0.5)
        opt.step()
        if adversarial:
            with autocast(args):
                d_real = disc(x).float()
                d_fake = disc(y.detach()).float()
            dl = F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean()
            dopt.zero_grad(set_to_none=True)
            dl.backward()
            dopt.step()
            parts.append(("d", dl, ".3f"))
        return lambda: " ".join(f"{k} {format(t.item(), f)}" for k, t, f in parts)

    mods = {name: dec, "disc": disc} if adversarial else {name: dec}

    def save(it, el):
        stage_state(state, name, it, el, {"ae_version": state["ae"]["version"]})
        save_weights(args.save, mods, state)

    minutes, iters = (args.sharp_minutes, args.sharp_iters) if adversarial else (args.decft_minutes, args.decft_iters)
    run_loop(args, name, clock, iters, minutes, step, save, args.batch)
    finish_stage(state, name)
    save_weights(args.save, mods, state)


def train_unet(args, clock, nets, bank, state):
    unet, unet_c = nets["unet"], nets["unet_c"]
    opt = make_opt(unet.parameters(), args.unet_lr)
    acp = lc.alphas_cumprod().to(args.device)
    scale = state["scale"]
    ctx = torch.zeros(args.unet_batch, 1, 1, device=args.device)
    rng = random.Random(args.seed + 17)
    unet.train()

    def step(prog):
        set_lr(opt, lr_at(prog, args.unet_lr))
        n = args.unet_batch
        t = torch.randint(1, args.t_max + 1, (n,), device=args.device)
        a = acp[t].float().view(-1, 1, 1, 1)
        codec = rng.random() < args.unet_codec_frac
        _, zc, zq, _ = bank.batch(n, 1.0 if codec else 0.0, latent_only=True)
        x_clean = zc * scale
        x_in = zq * scale if codec else a.sqrt() * x_clean + (1 - a).sqrt() * torch.randn_like(x_clean)
        with autocast(args):
            eps = unet_c(x_in, t, ctx).float()
        if codec:  # the loss the decoder feels: implied clean latent
            loss = F.mse_loss((x_in - (1 - a).sqrt() * eps) / a.sqrt(), x_clean)
        else:
            loss = F.mse_loss(eps, (x_in - a.sqrt() * x_clean) / (1 - a).sqrt())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        return lambda: f"{'codec' if codec else 'gauss'} loss {loss.item():.5f}"

    def save(it, el):
        stage_state(state, "unet", it, el, {"ae_version": state["ae"]["version"], "scale": scale})
        save_weights(args.save, {"unet": unet}, state)

    run_loop(args, "unet", clock, args.unet_iters, args.unet_minutes, step, save, args.unet_batch)
    finish_stage(state, "unet")
    save_weights(args.save, {"unet": unet}, state)


# ---------------------------------------------------------------- evaluation on the holdout pack
class TorchScriptNets:
    """A bundle's TorchScript networks (e.g. models/tiny) for the comparison row."""

    def __init__(self, folder, device):
        m = json.load(open(os.path.join(folder, "bundle.json")))
        self.enc = torch.jit.load(os.path.join(folder, "encoder.pt"), map_location=device).eval()
        self.dec = torch.jit.load(os.path.join(folder, "decoder.pt"), map_location=device).eval()
        up = os.path.join(folder, "unet.pt")
        self.unet = torch.jit.load(up, map_location=device).eval() if os.path.exists(up) else None
        self.scale = m["latent"]["scale"]
        self.qrange = (m["latent"]["quant_min"], m["latent"]["quant_max"])
        self.denoise = m["denoise"]
        self.align = m["latent"]["alignment"]


@torch.no_grad()
def codec_latents(lat, seed):
    """Equal-shaped latents [N,4,h,w] -> {k: dequantised palette latents}."""
    mask = torch.ones(lat.shape[0], lat.shape[2], lat.shape[3], device=lat.device)
    return {k: lc.palette_roundtrip_masked(lat, k, mask, seed=seed + k) for k in PALETTE_SIZES}


@torch.no_grad()
def flat_patches(enc, dec, dev, label, size=64, band=8):
    """Issue 14's border check: flat 64x64 patches (8 colours) autoencoded; PSNR of the outer 8-px frame
    vs the interior (MS-SSIM column: 0, not meaningful on flat images)."""
    cols = torch.tensor([[0.5, 0.5, 0.5], [0.1, 0.1, 0.1], [0.9, 0.9, 0.9], [0.8, 0.2, 0.2],
                         [0.2, 0.7, 0.3], [0.2, 0.3, 0.8], [0.9, 0.8, 0.3], [0.4, 0.3, 0.2]], device=dev)
    x = (cols * 2 - 1)[:, :, None, None].expand(-1, -1, size, size).contiguous()
    y = torch.cat([dec(enc(x[i:i + 1]).float()).float() for i in range(len(x))])
    inner = torch.zeros(size, size, dtype=torch.bool, device=dev)
    inner[band:-band, band:-band] = True

    def psnr_where(m):
        qa = torch.round((y.clamp(-1, 1) + 1) * 127.5)
        qb = torch.round((x + 1) * 127.5)
        mse = ((qa - qb) ** 2)[:, :, m].mean().item()
        return 10 * math.log10(255 ** 2 / max(mse, 1e-10))

    return {f"{label}: border": {"psnr": psnr_where(~inner), "ms_ssim": 0.0},
            f"{label}: interior": {"psnr": psnr_where(inner), "ms_ssim": 0.0}}


@torch.no_grad()
def tiny_rows(args, tiny, xs, acp, dev, add):
    """The comparison bundle (models/tiny) on the same holdout images, with its own default denoise."""
    tz = tiny.enc(xs).float()
    add("tiny: autoencoder (float latent)", tiny.dec(tz), xs)
    lo, hi = tiny.qrange
    saved = (lc.QMIN, lc.QMAX)
    lc.QMIN, lc.QMAX = lo, hi
    try:
        tcz = codec_latents(tz, args.seed + 100)
    finally:
        lc.QMIN, lc.QMAX = saved
    for k in PALETTE_SIZES:
        zk = tcz[k]
        if tiny.unet is not None:
            zk = lc.ddim_denoise(tiny.unet, zk * tiny.scale, tiny.denoise["strength"], tiny.denoise["steps"],
                                 acp, torch.zeros(1, 1, 1, device=dev)) / tiny.scale
        add(f"{k}: tiny (its default denoise)", torch.cat([tiny.dec(zk[i:i + 1]) for i in range(len(zk))]), xs)


def blend_decoders(faithful, sharp, alpha):
    """The sharp look at strength alpha: network interpolation (Wang et al., ESRGAN 2018), parameters
    (1 - alpha) * faithful + alpha * sharp. The sharp decoder starts as a copy of the faithful one, so the two
    share a basin and the blend moves smoothly from faithful (0) to fully adversarial (1): one adversarial
    training gives a whole trade-off, and the look's strength is chosen on holdout (and can be re-chosen on
    the CPU with export's --sharp-alpha) instead of costing a GPU run per adversarial weight."""
    if alpha == 1:
        return sharp
    m = copy.deepcopy(sharp)
    fs = faithful.state_dict()
    m.load_state_dict({k: (1 - alpha) * fs[k] + alpha * v if v.is_floating_point() else v
                       for k, v in sharp.state_dict().items()})
    return m.eval()


def faithful_row(k, denoise, decft_ok):
    """The faithful look's holdout row at palette size k, with its chosen denoise (the sharp rows use it too)."""
    d = denoise.get(str(k))
    if d and d.get("steps"):
        return f"{k}: faithful + denoise {d['strength']}/{d['steps']}"
    return f"{k}: faithful (decft)" if decft_ok else f"{k}: ae decoder"


def choose_sharp_alpha(table, denoise, decft_ok, alphas, max_drop):
    """Issue 14's rule, the parts holdout can measure here: among the alphas whose PSNR is at most max_drop
    below faithful's at every palette size, the one whose detail ratio is nearest 1 (mean over sizes).
    Butteraugli (at most 15 % worse) and the sheets are checked in Java (MODEL_CARD.md); if none qualifies,
    the smallest alpha (the least adversarial) is taken and said so."""
    def drop(a):
        return max(table[faithful_row(k, denoise, decft_ok)]["psnr"]
                   - table[f"{k}: sharp alpha {a} (chosen denoise)"]["psnr"] for k in PALETTE_SIZES)

    def off(a):
        ds = [table[f"{k}: sharp alpha {a} (chosen denoise)"]["detail"] for k in PALETTE_SIZES]
        ds = [d for d in ds if d is not None]
        return float(np.mean([abs(1 - d) for d in ds])) if ds else float("inf")

    ok = [a for a in alphas if drop(a) <= max_drop]
    if ok:
        a = min(ok, key=lambda x: (round(off(x), 4), x))
        why = f"detail nearest 1 with PSNR at most {max_drop} dB under faithful"
    else:
        a = min(alphas)
        why = f"no alpha within {max_drop} dB of faithful's PSNR: the least adversarial"
    return {"alpha": a, "why": why, "psnr_drop_db": round(drop(a), 3), "detail_off": round(off(a), 4)}


def scores(ys, xs):
    """Per-image (PSNR, MS-SSIM, detail ratio) of decoded ys against xs."""
    det = detail_ratio(ys, xs).tolist()
    return [(psnr_u8(y[None], x[None]), msssim_u8(y[None], x[None]), d) for y, x, d in zip(ys, xs, det)]


def summarise(v):
    """Means of a row's per-image scores (the detail ratio over the images that have one)."""
    det = [d for _, _, d in v if not math.isnan(d)]
    return {"psnr": float(np.mean([a for a, _, _ in v])), "ms_ssim": float(np.mean([b for _, b, _ in v])),
            "detail": float(np.mean(det)) if det else None}  # None, not NaN: state.json stays strict JSON


@torch.no_grad()
def evaluate(args, nets, state, holdout):
    dev = args.device
    for k in ("enc", "dec", "decft", "sharp", "unet"):
        if k in nets:
            nets[k].eval()
    groups = {}
    for im in holdout:
        im = crop_to(im, bm.ALIGNMENT)
        groups.setdefault(tuple(im.shape), []).append(to_unit(im))
    rows, counts, coded = {}, 0, {}

    def add(key, ys, xs):
        rows.setdefault(key, []).extend(scores(ys, xs))

    acp = lc.alphas_cumprod().to(dev)
    scale = state.get("scale", 1.0)
    grid = [(s, n) for s in args.grid_strengths for n in args.grid_steps]
    have_unet = usable(state, "unet")
    decft_ok = usable(state, "decft")
    sharp_ok = usable(state, "sharp")
    if "dec" not in AVAILABLE and not decft_ok:
        raise SystemExit("train_base: eval needs dec.ckpt or a current decft.ckpt in --init")
    faithful = nets["decft"] if decft_ok else nets["dec"]
    tiny = None
    # on the CPU, wherever the training runs: models/tiny's UNet was traced on the CPU and its graph holds
    # CPU constants (torch.arange(..., device=cpu)), which fail against CUDA tensors; a few seconds on 16 cores
    tiny_dev = "cpu"
    if args.compare and os.path.exists(os.path.join(args.compare, "bundle.json")):
        try:
            tiny = TorchScriptNets(args.compare, tiny_dev)
        except Exception as e:  # an old TorchScript that a new torch refuses must not cost the session
            log(f"[eval] comparison bundle {args.compare} not loadable: {e}")
    for shape, xs_list in groups.items():
        xs = torch.stack(xs_list).to(dev)
        counts += len(xs)
        z = torch.cat([nets["enc"](xs[i:i + 8]) for i in range(0, len(xs), 8)]).float()
        dd = lambda d, zz: torch.cat([d(zz[i:i + 8]).float() for i in range(0, len(zz), 8)])  # noqa: E731
        add("autoencoder (float latent)", dd(nets["dec"] if "dec" in AVAILABLE else faithful, z), xs)
        if decft_ok and "dec" in AVAILABLE:
            add("autoencoder (float latent), faithful decoder", dd(faithful, z), xs)
        cz = codec_latents(z, args.seed + 100)
        coded[shape] = (xs, cz)  # the sharp rows below decode the same codec latents
        for k in PALETTE_SIZES:
            if "dec" in AVAILABLE:
                add(f"{k}: ae decoder", dd(nets["dec"], cz[k]), xs)
            if decft_ok:
                add(f"{k}: faithful (decft)", dd(nets["decft"], cz[k]), xs)
            if have_unet:
                for s, n in grid:
                    zd = lc.ddim_denoise(nets["unet"], cz[k] * scale, s, n, acp, torch.zeros(len(xs), 1, 1, device=dev))
                    add(f"{k}: faithful + denoise {s}/{n}", dd(faithful, zd / scale), xs)
        if tiny is not None:
            try:
                tiny_rows(args, tiny, xs.to(tiny_dev), acp.to(tiny_dev), tiny_dev, add)
            except Exception as e:  # noqa: BLE001 - e.g. a CPU-traced graph with device constants on CUDA
                log(f"[eval] comparison bundle failed on {tiny_dev}: {type(e).__name__}: {str(e)[:200]}; rows skipped")
                tiny = None

    table = {k: summarise(v) for k, v in rows.items()}
    table.update(flat_patches(nets["enc"], faithful, dev, "flat 64x64"))
    if tiny is not None:
        try:
            table.update(flat_patches(tiny.enc, tiny.dec, tiny_dev, "tiny: flat 64x64"))
        except Exception as e:  # noqa: BLE001 - as above
            log(f"[eval] comparison bundle failed on flat patches: {type(e).__name__}")
    # per-palette denoise defaults: the best PSNR gain on the grid, ties to fewer UNet calls
    denoise = {}
    if have_unet:
        for k in PALETTE_SIZES:
            base = table[f"{k}: faithful (decft)" if decft_ok else f"{k}: ae decoder"]["psnr"]
            best = max(grid, key=lambda sn: (round(table[f"{k}: faithful + denoise {sn[0]}/{sn[1]}"]["psnr"], 3), -sn[1]))
            gain = table[f"{k}: faithful + denoise {best[0]}/{best[1]}"]["psnr"] - base
            denoise[str(k)] = {"strength": best[0], "steps": best[1]} if gain > 0 else {"strength": 0.0, "steps": 0}
            denoise[str(k)]["gain_db"] = round(gain, 3)
        state["denoise"] = denoise
    res = {"images": counts, "table": table, "denoise": denoise, "ae_version": state["ae"].get("version")}
    # sharp on the chosen denoise, at each interpolation alpha; then alpha by issue 14's rule
    if sharp_ok:
        alphas = sorted(set(args.sharp_alphas))
        looks = {a: blend_decoders(faithful, nets["sharp"], a) for a in alphas}
        for xs, cz in coded.values():
            for k in PALETTE_SIZES:
                zk = cz[k]
                d = denoise.get(str(k))
                if have_unet and d and d["steps"]:
                    zk = lc.ddim_denoise(nets["unet"], zk * scale, d["strength"], d["steps"], acp,
                                         torch.zeros(1, 1, 1, device=dev)) / scale
                for a, look in looks.items():
                    ys = torch.cat([look(zk[i:i + 8]).float() for i in range(0, len(zk), 8)])
                    rows.setdefault(f"{k}: sharp alpha {a} (chosen denoise)", []).extend(scores(ys, xs))
        for k in PALETTE_SIZES:
            for a in alphas:
                key = f"{k}: sharp alpha {a} (chosen denoise)"
                table[key] = summarise(rows[key])
        choice = choose_sharp_alpha(table, denoise, decft_ok, alphas, args.sharp_max_psnr_drop)
        choice["sharp_iters"] = state["sharp"].get("iters")
        res["sharp"] = choice
        for k in PALETTE_SIZES:
            table[f"{k}: sharp (chosen denoise)"] = table[f"{k}: sharp alpha {choice['alpha']} (chosen denoise)"]
        log(f"[eval] sharp look: alpha {choice['alpha']} ({choice['why']})")
    state["eval"] = res
    lines = [f"Holdout ({counts} images, centre crops to multiples of 32), "
             f"ae v{state['ae'].get('version')} after {state['ae'].get('iters')} iterations", "",
             "| row | PSNR dB | MS-SSIM | detail |", "|---|---:|---:|---:|"]
    for k in sorted(table, key=lambda s: (s.split(":")[0].isdigit() and int(s.split(":")[0]), s)):
        if " + denoise " in k and not any(k.endswith(f"{d['strength']}/{d['steps']}") and k.startswith(f"{p}:")
                                            for p, d in denoise.items()):
            continue  # only the chosen grid points in the summary; eval.json has all
        d = table[k].get("detail")
        lines.append(f"| {k} | {table[k]['psnr']:.3f} | {table[k]['ms_ssim']:.4f} | "
                     f"{'–' if d is None else format(d, '.3f')} |")
    if "sharp" in res:
        c = res["sharp"]
        lines += ["", f"Sharp look: alpha {c['alpha']} of {sorted(set(args.sharp_alphas))} ({c['why']}; PSNR "
                      f"{c['psnr_drop_db']} dB under faithful at worst, detail {c['detail_off']} from 1 on average)"]
    md = "\n".join(lines) + "\n"
    log("[eval]\n" + md)
    res["markdown"] = md
    write_state(args.save, state)
    return res


# ---------------------------------------------------------------- export
# Tiling hints for bundle.json: tiny's measured values scaled by the base/tiny compute ratio and rounded up;
# re-measure with scripts/measure-memory.sh once base is trained.
MEMORY_HINTS = {"encoder_bytes_per_pixel": 256, "decoder_bytes_per_pixel": 512,
                "unet_bytes_per_latent_pixel": 4096, "overlap_px": 64}


def sharp_alpha(args, state):
    """The sharp look's interpolation alpha for export: --sharp-alpha, else the eval's choice for these sharp
    weights, else 1 (the adversarial decoder as trained) with a warning."""
    if args.sharp_alpha is not None:
        return args.sharp_alpha
    choice = state.get("eval", {}).get("sharp") or {}
    if choice.get("sharp_iters") == state.get("sharp", {}).get("iters") and "alpha" in choice:
        return choice["alpha"]
    log("[export] WARNING: no holdout choice of the sharp alpha for these weights (run eval first, or give "
        "--sharp-alpha); exporting alpha 1")
    return 1.0


def describe(codec_tuned, has_sharp, sharp_alpha=None):
    """bundle.json's description: what this export holds, not what the pipeline could make."""
    look = "no sharp look yet"
    if has_sharp:
        look = "sharp (adversarial) look" + (f", interpolated at alpha {sharp_alpha:g}"
                                            if sharp_alpha is not None and sharp_alpha != 1 else "")
    parts = ["sdc base: factor-8 autoencoder with replicate padding",
             "faithful decoder fine-tuned on codec latents" if codec_tuned else "faithful decoder = the autoencoder's",
             look, "latent UNet denoiser"]
    return ", ".join(parts) + "; see MODEL_CARD.md"


@torch.no_grad()
def export_bundle(out, enc, dec, unet, scale, denoise, sharp=None, name="base", description="", check=None,
                  arch="base", codec_tuned=False, sharp_alpha=None):
    """TorchScript bundle (docs/MODELS.md); `sharp` becomes decoder-sharp.pt, listed under `looks`.

    denoise: per-palette defaults {"16": {"strength", "steps"}, ...} or None; bundle.json gets them as
    `denoise_palette` and the 256-colour entry as the legacy `denoise`. arch (base or toy) is written as
    `architecture`, which train_scalar.py reads to rebuild these networks in Python (bundle_nets.py).
    """
    import sdcbundle
    enc, dec, unet = enc.cpu().float().eval(), dec.cpu().float().eval(), unet.cpu().float().eval()
    os.makedirs(out, exist_ok=True)
    ex = torch.rand(1, 3, 64, 96) * 2 - 1
    ctx = torch.zeros(1, 1, 1)
    sdcbundle.save_networks(out, enc, dec, unet, scale, ex, ctx)
    extra_files, extra = [], {}
    if sharp is not None:
        sharp = sharp.cpu().float().eval()
        sdcbundle.save_script(sharp, (enc(ex),), os.path.join(out, "decoder-sharp.pt"))
        extra_files.append("decoder-sharp.pt")
        extra["looks"] = {"sharp": {"decoder": "decoder-sharp.pt"}}
    sdcbundle.write_context(ctx, os.path.join(out, "context.bin"))
    for h, w in (check or ((512, 768), (768, 512), (64, 96), (32, 32))):
        x = torch.rand(1, 3, h, w) * 2 - 1
        te = torch.jit.load(os.path.join(out, "encoder.pt"))
        td = torch.jit.load(os.path.join(out, "decoder.pt"))
        tu = torch.jit.load(os.path.join(out, "unet.pt"))
        z = te(x)
        assert z.shape == (1, bm.LATENT_CHANNELS, h // bm.FACTOR, w // bm.FACTOR), z.shape
        assert torch.allclose(z, enc(x), atol=1e-5)
        assert torch.allclose(td(z), dec(z), atol=1e-4)
        assert torch.allclose(tu(z * scale, torch.tensor([37]), ctx), unet(z * scale, torch.tensor([37]), ctx),
                              atol=1e-4)
        if sharp is not None:
            ts = torch.jit.load(os.path.join(out, "decoder-sharp.pt"))
            assert torch.allclose(ts(z), sharp(z), atol=1e-4)
    legacy = {"strength": 0.0, "steps": 0}
    extra["architecture"] = arch
    if denoise:
        extra["denoise_palette"] = {k: {"strength": float(v["strength"]), "steps": int(v["steps"])}
                                    for k, v in sorted(denoise.items(), key=lambda kv: int(kv[0]))}
        legacy = extra["denoise_palette"][max(denoise, key=int)]
    m = sdcbundle.write_manifest(
        out, name=name, description=description or describe(codec_tuned, sharp is not None, sharp_alpha),
        pixel_range=(-1.0, 1.0), channels=bm.LATENT_CHANNELS, factor=bm.FACTOR, alignment=bm.ALIGNMENT,
        scale=round(float(scale), 6), quant_min=lc.QMIN, quant_max=lc.QMAX, schedule=sdcbundle.SD_SCHEDULE,
        denoise=legacy, context_shape=(1, 1, 1), memory=MEMORY_HINTS, extra_files=extra_files, extra=extra)
    return m


# ---------------------------------------------------------------- main
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train-pack", help="pack_images.py output with the training images")
    p.add_argument("--holdout-pack", help="pack with the holdout images (eval only)")
    p.add_argument("--init", default=os.path.join(HERE, "base-weights"),
                   help="weights to start from (committed; missing files mean: from scratch)")
    p.add_argument("--save", required=True, help="where <net>.ckpt, state.json and train.log go")
    p.add_argument("--export", help="also write a TorchScript bundle here (use torch 1.13 for DJL)")
    p.add_argument("--compare", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "tiny"),
                   help="bundle evaluated on the same holdout for comparison ('' for none)")
    p.add_argument("--stages", default="ae,decft,unet,sharp,eval")
    p.add_argument("--arch", default="base", choices=("base", "toy"), help="toy: narrow nets for CPU tests")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--compile", default="auto",
                   help="stages whose training forwards are torch.compile'd: a comma list, 1 (all), 0 (none) or "
                        "auto (ae on CUDA: the long stage; the short ones would spend too much of it compiling)")
    p.add_argument("--compile-after", type=int, default=40,
                   help="eager iterations before a stage compiles (the log compares eager and compiled img/s)")
    p.add_argument("--amp", choices=("auto", "bf16", "off"), default="auto",
                   help="bf16 autocast: auto = on CUDA only; bf16 on the CPU tests the GPU's code path")
    p.add_argument("--no-amp", dest="amp", action="store_const", const="off", help="same as --amp off")
    p.add_argument("--channels-last", type=int, default=-1, help="channels_last tensors (default: on CUDA)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--minutes", type=float, default=0, help="hard wall-clock budget of the whole process")
    p.add_argument("--reserve-s", type=float, default=75, help="kept free at the end for save/eval/export")
    p.add_argument("--ckpt-seconds", type=float, default=60)
    p.add_argument("--log-every", type=int, default=200)
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--bank-side", type=int, default=512, help="centre crop of training images for the bank")
    p.add_argument("--bank-edge-p", type=float, default=0.3,
                   help="per axis, the chance that a bank crop is snapped to the image's edge (real borders)")
    p.add_argument("--bank-margin", type=int, default=2,
                   help="latents left out of the decoder losses at crop sides that are not the image's edge")
    p.add_argument("--bank-mirror", type=int, default=1,
                   help="1: the bank also holds each image mirrored, encoded as its own entry (latents are "
                        "never flipped: see LatentBank)")
    p.add_argument("--msssim-w", type=float, default=0.3)
    p.add_argument("--pal-noise-p", type=float, default=0.5)
    p.add_argument("--pal-noise-sigma", type=float, default=0.04)
    p.add_argument("--codec-frac", type=float, default=0.75, help="share of codec latents in decft/sharp")
    for st, it, lr in (("ae", 100000, 4e-4), ("decft", 100000, 1e-4), ("unet", 100000, 3e-4),
                       ("sharp", 100000, 5e-5)):
        p.add_argument(f"--{st}-iters", type=int, default=it)
        p.add_argument(f"--{st}-minutes", type=float, default=0)
        p.add_argument(f"--{st}-lr", type=float, default=lr)
    p.add_argument("--disc-lr", type=float, default=2e-4)
    p.add_argument("--adv-w", type=float, default=0.05)
    p.add_argument("--disc-warmup", type=int, default=300, help="critic-only iterations, then a ramp as long")
    p.add_argument("--sharp-alphas", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0],
                   help="eval: interpolation strengths of the sharp look tried on holdout (blend_decoders)")
    p.add_argument("--sharp-max-psnr-drop", type=float, default=1.0,
                   help="eval: most dB the sharp look may lose to faithful at any palette size (issue 14)")
    p.add_argument("--sharp-alpha", type=float, default=None,
                   help="export: the sharp look's alpha (default: eval's choice for these weights)")
    p.add_argument("--unet-batch", type=int, default=64)
    p.add_argument("--unet-codec-frac", type=float, default=0.8)
    p.add_argument("--t-max", type=int, default=120)
    p.add_argument("--grid-strengths", type=float, nargs="+", default=[0.005, 0.01, 0.02, 0.04, 0.08])
    p.add_argument("--grid-steps", type=int, nargs="+", default=[1, 2])
    p.add_argument("--check-sizes", default="512x768,768x512,64x96,32x32", help="export trace checks, HxW")
    a = p.parse_args(argv)
    cuda = a.device.startswith("cuda")
    if a.compile == "auto":
        a.compile = "ae" if cuda else "0"
    a.compile_stages = {"1": set(STAGES), "all": set(STAGES), "0": set(), "none": set()}.get(
        a.compile, {x for x in a.compile.split(",") if x})
    if a.compile_stages - set(STAGES):
        p.error(f"--compile: unknown stage(s) {sorted(a.compile_stages - set(STAGES))}")
    if a.channels_last < 0:
        a.channels_last = 1 if cuda else 0
    a.amp = train_common.resolve_amp(a.amp, a.device)
    a.compare = a.compare or None
    if not all(0 <= x <= 1 for x in a.sharp_alphas) or (a.sharp_alpha is not None and not 0 <= a.sharp_alpha <= 1):
        p.error("--sharp-alphas / --sharp-alpha: interpolation strengths are 0..1 (0 = faithful, 1 = as trained)")
    return a


def main(argv=None):
    global LOG, T0
    T0 = time.time()
    args = parse_args(argv)
    stages = [s for s in args.stages.split(",") if s]
    bad = [s for s in stages if s not in STAGES]
    if bad:
        raise SystemExit(f"train_base: unknown stage(s) {bad}; known: {','.join(STAGES)}")
    os.makedirs(args.save, exist_ok=True)
    LOG = os.path.join(args.save, "train.log")
    setup_torch(args)
    log(f"== train_base {' '.join(sys.argv[1:] if argv is None else argv)}")
    log(f"torch {torch.__version__}, device {args.device}"
        + (f" ({torch.cuda.get_device_name()})" if args.device.startswith("cuda") else "")
        + f", compile {','.join(sorted(args.compile_stages)) or 'none' if HAS_COMPILE else 'n/a (no torch.compile)'}, amp {args.amp}"
        + f", channels_last {bool(args.channels_last)}")
    clock = Clock(args)

    state = read_state(args.init)
    state.setdefault("ae", {"version": 0, "iters": 0})
    arch = state.setdefault("arch", args.arch)
    if arch != args.arch:
        raise SystemExit(f"train_base: {args.init} holds weights of arch {arch}, not {args.arch}")
    nets = {"enc": bm.make_encoder(arch), "dec": bm.make_decoder(arch), "decft": bm.make_decoder(arch),
            "unet": bm.make_unet(arch), "sharp": bm.make_decoder(arch), "disc": bm.make_disc(arch)}
    AVAILABLE.clear()
    loaded = {k: load_weights(args.init, k, nets[k]) for k in NETS}
    if state["ae"].get("version", 0) and "enc" not in AVAILABLE:
        raise SystemExit(f"train_base: {args.init}/state.json describes a trained autoencoder but enc.ckpt is missing")
    log("start weights from " + str(args.init) + ": " + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in loaded.items())
        + f"; ae v{state['ae'].get('version', 0)}, {state['ae'].get('iters', 0)} iterations so far")
    log("params: " + ", ".join(f"{k} {bm.param_count(m):,}" for k, m in nets.items()))

    images = []
    if any(s in stages for s in ("ae", "decft", "unet", "sharp")):
        if not args.train_pack:
            raise SystemExit("train_base: training stages need --train-pack")
        images = load_pack(args.train_pack, args.device)
        log(f"training pack: {len(images)} images, {sum(i.numel() for i in images) / 3e6:.1f} Mpixel on {args.device}")

    for k in list(nets):
        nets[k], nets[k + "_c"] = prepare(args, nets[k])

    if "ae" in stages:
        train_ae(args, clock, nets, images, state)
    v = state["ae"].get("version", 0)
    bank = None

    def need_bank():
        nonlocal bank
        if bank is None:
            for m in (nets["enc"],):
                m.eval()
            bank = LatentBank(args, nets["enc"], images)
            if state.get("scale_version") != v:
                state["scale"], state["scale_version"] = 1.0 / bank.clean_std, v
                log(f"latent scale {state['scale']:.5f} (1 / std of the training latents)")
        return bank

    for p in nets["enc"].parameters():
        p.requires_grad_(False)
    if "decft" in stages:
        if not usable(state, "decft"):
            if "dec" not in AVAILABLE:
                raise SystemExit("train_base: decft starts from the autoencoder's decoder: dec.ckpt missing")
            nets["decft"].load_state_dict(nets["dec"].state_dict())
            state["decft"] = {"iters": 0, "seconds": 0.0, "sessions": 0}
            log("[decft] starts from the autoencoder's decoder")
        train_decoder(args, clock, "decft", nets, need_bank(), state, adversarial=False)
    if "unet" in stages:
        need_bank()
        if not usable(state, "unet"):
            fresh = bm.make_unet(arch)
            nets["unet"].load_state_dict(fresh.state_dict())
            state["unet"] = {"iters": 0, "seconds": 0.0, "sessions": 0}
            why = "new latent space" if "unet" in AVAILABLE else "no unet.ckpt in --init"
            log(f"[unet] starts from scratch ({why})")
        train_unet(args, clock, nets, bank, state)
    if "sharp" in stages:
        if not usable(state, "sharp"):
            src = "decft" if usable(state, "decft") else "dec"
            if src not in AVAILABLE:
                raise SystemExit("train_base: sharp starts from decft.ckpt or dec.ckpt: both missing")
            nets["sharp"].load_state_dict(nets[src].state_dict())
            nets["disc"].load_state_dict(bm.make_disc(arch).state_dict())
            state["sharp"] = {"iters": 0, "seconds": 0.0, "sessions": 0}
            log(f"[sharp] starts from the {src} decoder, critic from scratch")
        elif "disc" not in AVAILABLE:
            log("[sharp] critic from scratch (disc.ckpt not carried); its warm-up runs again")
        train_decoder(args, clock, "sharp", nets, need_bank(), state, adversarial=True)
    write_state(args.save, state)
    if "eval" in stages:
        if not args.holdout_pack:
            raise SystemExit("train_base: eval needs --holdout-pack")
        evaluate(args, nets, state, load_pack(args.holdout_pack, args.device))
    if "export" in stages or args.export:
        out = args.export or os.path.join(args.save, "bundle")
        sizes = [tuple(int(v) for v in s.split("x")) for s in args.check_sizes.split(",") if s]
        sharp_ok, decft_ok = usable(state, "sharp"), usable(state, "decft")
        if not usable(state, "unet"):
            log("[export] WARNING: no UNet trained on this latent space; unet.pt has untrained weights")
        faithful = nets["decft"] if decft_ok else nets["dec"]
        sharp, alpha = None, None
        if sharp_ok:
            alpha = sharp_alpha(args, state)
            sharp = blend_decoders(faithful, nets["sharp"], alpha)
        m = export_bundle(out, nets["enc"], faithful, nets["unet"],
                          state.get("scale", 1.0), state.get("denoise"), sharp=sharp,
                          check=sizes, arch=arch, codec_tuned=decft_ok, sharp_alpha=alpha)
        log(f"[export] {out}: " + ", ".join(f"{k} {os.path.getsize(os.path.join(out, k)) / 1e6:.1f} MB"
                                           for k in m["files"]))
    log(f"== finished in {time.time() - T0:.1f} s wall ({(time.time() - T0) / 60:.2f} device minutes)")
    return state


if __name__ == "__main__":
    main()
