#!/usr/bin/python3
"""Train, evaluate and export sdc's offline default bundle `tiny` (docs/MODELS.md).

One command does everything (torch only; Debian's /usr/bin/python3 with torch 1.13 works, so does a newer
torch on a GPU machine):

    /usr/bin/python3 scripts/train/train_tiny.py --data ../shared/data/train \
        --holdout ../shared/data/holdout --out models/tiny --work scripts/train/runs/tiny [--quick]
        [--device cuda|cpu] [--resume] [--stages ae,unet,ft,eval,export]

Stages (each checkpointed to --work, so --resume continues where a run stopped):
  ae     autoencoder (factor 8, 4 tanh-bounded latent channels) on random crops with flips; loss
         L1 + SSIM; latent noise of +-half an 8-bit step always, palette-like noise sometimes
  unet   latent UNet, epsilon prediction on Gaussian noise at small timesteps (t <= --t-max)
  ft     fine-tune the UNet on this codec's real error: whole training images -> latents -> 8-bit ->
         k-means palette (16/64/256) + serpentine Floyd-Steinberg -> dequantised; target
         eps = (x_q - sqrt(abar_t) x) / sqrt(1 - abar_t)
  eval   holdout only: autoencoder PSNR, then PSNR after palette+FS (16/64/256) without and with the DDIM
         loop of docs/MODELS.md over a grid of strength/steps; picks the defaults (best gain at 256)
  export TorchScript encoder/decoder/unet + context.bin + bundle.json (scripts/sdcbundle.py); checks the
         traced modules at other sizes; evaluates the autoencoder on --kodak if given (evaluation only)

Kodak and the holdout are never trained on; the holdout is used only for choosing the denoise defaults.
Iteration counts are arguments; --*-minutes caps each stage by wall time (the LR schedule follows whichever
of iterations or time runs out first).
"""
import argparse
import copy
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import latent_codec as lc  # noqa: E402
from tiny_models import ALIGNMENT, FACTOR, LATENT_CHANNELS, Decoder, Encoder, TinyUNet, param_count  # noqa: E402
from train_common import setup_torch  # noqa: E402

PALETTE_SIZES = (16, 64, 256)
LOG = None


def log(*a):
    msg = " ".join(str(x) for x in a)
    print(msg, flush=True)
    if LOG:
        with open(LOG, "a") as f:
            f.write(msg + "\n")


# ---------------------------------------------------------------- data
def list_images(folder):
    fs = []
    for ext in ("jpg", "jpeg", "png", "JPG", "PNG"):
        fs += glob.glob(os.path.join(folder, "**", "*." + ext), recursive=True)
    return sorted(set(fs))


def load_rgb(path):
    """uint8 tensor [3,H,W]."""
    a = np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8)
    return torch.from_numpy(a.copy()).permute(2, 0, 1).contiguous()


def to_unit(u8):
    return u8.float() / 127.5 - 1.0


def crop_to_alignment(img):
    """Center-crop [3,H,W] to multiples of ALIGNMENT (evaluation; sdc itself pads)."""
    _, h, w = img.shape
    h2, w2 = h // ALIGNMENT * ALIGNMENT, w // ALIGNMENT * ALIGNMENT
    y, x = (h - h2) // 2, (w - w2) // 2
    return img[:, y:y + h2, x:x + w2]


class CropSampler:
    """Random crops with horizontal/vertical flips from images held in memory (on the training device)."""

    def __init__(self, images, size, device, seed):
        self.images = [im.to(device) for im in images if min(im.shape[1:]) >= size]
        self.size = size
        self.rng = random.Random(seed)
        # sample images in proportion to their area so big photos are not under-used
        areas = [im.shape[1] * im.shape[2] for im in self.images]
        self.cum = np.cumsum(areas) / float(sum(areas))

    def batch(self, n):
        out = []
        s = self.size
        for _ in range(n):
            im = self.images[int(np.searchsorted(self.cum, self.rng.random()))]
            _, h, w = im.shape
            y, x = self.rng.randint(0, h - s), self.rng.randint(0, w - s)
            c = im[:, y:y + s, x:x + s]
            if self.rng.random() < 0.5:
                c = c.flip(2)
            if self.rng.random() < 0.2:
                c = c.flip(1)
            out.append(c)
        return to_unit(torch.stack(out))


# ---------------------------------------------------------------- losses / metrics
def _gauss(size=11, sigma=1.5, device="cpu"):
    x = torch.arange(size, dtype=torch.float32, device=device) - size // 2
    g = torch.exp(-x ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def ssim(a, b):
    """Mean SSIM of images in [0,1], [N,3,H,W]; separable 11-tap Gaussian, per channel."""
    c = a.shape[1]
    g = _gauss(device=a.device)
    wx = g.view(1, 1, 1, -1).repeat(c, 1, 1, 1)
    wy = g.view(1, 1, -1, 1).repeat(c, 1, 1, 1)

    def blur(t):
        return F.conv2d(F.conv2d(t, wx, groups=c), wy, groups=c)

    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mu_a, mu_b = blur(a), blur(b)
    saa = blur(a * a) - mu_a ** 2
    sbb = blur(b * b) - mu_b ** 2
    sab = blur(a * b) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return s.mean()


def psnr_u8(x, y):
    """PSNR of two [-1,1] images after rounding both to 8 bits, as a decoded PNG would be."""
    qa = torch.round((x.clamp(-1, 1) + 1) * 127.5)
    qb = torch.round((y.clamp(-1, 1) + 1) * 127.5)
    mse = ((qa - qb) ** 2).mean().item()
    return 10 * math.log10(255 ** 2 / max(mse, 1e-10))


# ---------------------------------------------------------------- checkpoints
def save_ckpt(path, obj):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def load_ckpt(path, device):
    return torch.load(path, map_location=device)


def lr_at(progress, base, warm=0.03):
    if progress < warm:
        return base * progress / warm
    p = (progress - warm) / (1 - warm)
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(p, 1.0))))


class Stage:
    """Iteration loop with a time cap, periodic resumable checkpoints and a final weights-only save."""

    def __init__(self, name, args, iters, minutes, modules, opt):
        self.name, self.args, self.iters = name, args, iters
        self.cap = minutes * 60 if minutes else None
        self.modules, self.opt = modules, opt
        self.path = os.path.join(args.work, name + ".ckpt")
        self.it, self.elapsed = 0, 0.0

    def done_state(self):
        if os.path.exists(self.path):
            ck = load_ckpt(self.path, self.args.device)
            for k, m in self.modules.items():
                m.load_state_dict(ck[k])
            if ck.get("done"):
                return ck
            if self.args.resume:
                self.opt.load_state_dict(ck["opt"])
                self.it, self.elapsed = ck["it"], ck["elapsed"]
                random.seed(ck["it"] + self.args.seed)
                torch.manual_seed(ck["it"] + self.args.seed)
                log(f"[{self.name}] resumed at iteration {self.it}")
        return None

    def progress(self):
        p = self.it / self.iters
        if self.cap:
            p = max(p, self.elapsed / self.cap)
        return p

    def save(self, done, extra=None):
        obj = {k: m.state_dict() for k, m in self.modules.items()}
        obj.update(it=self.it, elapsed=self.elapsed, done=done)
        if not done:
            obj["opt"] = self.opt.state_dict()
        if extra:
            obj.update(extra)
        save_ckpt(self.path, obj)


def autocast(args):
    if args.device.startswith("cuda") and not args.no_amp:
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return torch.autocast(device_type="cpu", enabled=False)


# ---------------------------------------------------------------- stage: autoencoder
def train_ae(args, images, enc, dec):
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.AdamW(params, lr=args.ae_lr, weight_decay=1e-5)
    st = Stage("ae", args, args.ae_iters, args.ae_minutes, {"enc": enc, "dec": dec}, opt)
    ck = st.done_state()
    if ck:
        log(f"[ae] already trained ({ck['it']} iterations, {ck['elapsed']:.0f} s)")
        return ck
    sampler = CropSampler(images, args.crop, args.device, args.seed + st.it)
    enc.train(), dec.train()
    t_last = time.time()
    half_step = (lc.QMAX - lc.QMIN) / 255.0 / 2
    # divergence guard: a no-norm net with a tanh bottleneck can collapse (saturated latents, dead
    # gradients); on a jump of the smoothed loss, roll back to the last healthy state and halve the LR
    guard = {"ema": None, "best": float("inf"), "mult": 1.0, "snap": None}
    while st.progress() < 1.0:
        lr = lr_at(st.progress(), args.ae_lr) * guard["mult"]
        for gp in opt.param_groups:
            gp["lr"] = lr
        x = sampler.batch(args.batch)
        with torch.autocast(device_type="cpu", enabled=False):
            z = enc(x)
            zf = z.float()
            noise = (torch.rand_like(zf) * 2 - 1) * half_step
            # palette-like error on some samples: dithered palettes leave a few code steps of
            # high-frequency error, far more with small palettes
            pal = (torch.rand(zf.shape[0], 1, 1, 1, device=zf.device) < args.pal_noise_p).float()
            sig = torch.rand(zf.shape[0], 1, 1, 1, device=zf.device) * args.pal_noise_sigma
            noise = noise + pal * sig * torch.randn_like(zf)
            y = dec(zf + noise)
        y = y.float()
        l1 = (y - x).abs().mean()
        s = ssim((y.clamp(-1, 1) + 1) / 2, (x + 1) / 2)
        loss = l1 + args.ssim_w * (1 - s)
        lv = loss.item()
        if not math.isfinite(lv):
            lv = 1e9
        guard["ema"] = lv if guard["ema"] is None else 0.98 * guard["ema"] + 0.02 * lv
        opt.zero_grad(set_to_none=True)
        if lv < 1e9:
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 0.5)
            opt.step()
        now = time.time()
        st.elapsed += now - t_last
        t_last = now
        st.it += 1
        if st.it % 100 == 0 and st.it >= 300:
            if guard["ema"] > 1.3 * guard["best"] and guard["snap"] is not None:
                enc.load_state_dict(guard["snap"][0]), dec.load_state_dict(guard["snap"][1])
                opt.load_state_dict(guard["snap"][2])
                guard["mult"] *= 0.5
                guard["ema"] = guard["best"]
                log(f"[ae] it {st.it}: loss jumped, rolled back, LR x{guard['mult']}")
            elif guard["ema"] <= 1.05 * guard["best"] or guard["snap"] is None:
                guard["best"] = min(guard["best"], guard["ema"])
                guard["snap"] = ({k: v.clone() for k, v in enc.state_dict().items()},
                                 {k: v.clone() for k, v in dec.state_dict().items()},
                                 copy.deepcopy(opt.state_dict()))
        if st.it % args.log_every == 0:
            mse = F.mse_loss(y.clamp(-1, 1), x).item()
            log(f"[ae] it {st.it} t {st.elapsed:.0f}s lr {lr:.2e} l1 {l1.item():.4f} ssim {s.item():.4f} "
                f"psnr(noisy) {10 * math.log10(4 / max(mse, 1e-10)):.2f}")
        if st.it % args.ckpt_every == 0:
            st.save(False)
    st.save(True)
    log(f"[ae] done: {st.it} iterations in {st.elapsed:.0f} s")
    return load_ckpt(st.path, args.device)


# ---------------------------------------------------------------- latent banks
@torch.no_grad()
def encode_images(enc, images, device, max_side=None):
    """Whole images (center-cropped to alignment) -> list of raw latents [1,4,h,w] on device."""
    enc.eval()
    out = []
    for im in images:
        if max_side and max(im.shape[1:]) > max_side:
            s = max_side
            im = im[:, :min(s, im.shape[1]), :min(s, im.shape[2])]
        im = crop_to_alignment(im)
        out.append(enc(to_unit(im)[None].to(device)).float())
    return out


def latent_scale(latents):
    allz = torch.cat([z.flatten() for z in latents])
    return 1.0 / allz.std().item()


class LatentCropSampler:
    """Random (clean, quantised) latent crops with flips; crops of side `size` latent pixels."""

    def __init__(self, pairs, size, seed):
        self.pairs = [p for p in pairs if min(p[0].shape[2:]) >= size]
        self.size = size
        self.rng = random.Random(seed)

    def batch(self, n):
        cs, qs = [], []
        s = self.size
        for _ in range(n):
            zc, zq = self.pairs[self.rng.randrange(len(self.pairs))]
            h, w = zc.shape[2:]
            y, x = self.rng.randint(0, h - s), self.rng.randint(0, w - s)
            a, b = zc[0, :, y:y + s, x:x + s], zq[0, :, y:y + s, x:x + s]
            if self.rng.random() < 0.5:
                a, b = a.flip(2), b.flip(2)
            cs.append(a)
            qs.append(b)
        return torch.stack(cs), torch.stack(qs)


def codec_pairs(latents, seed, label):
    """(clean, palette+FS dequantised) latent pairs, one per image and palette size; batched by shape."""
    t = time.time()
    groups = {}
    for i, z in enumerate(latents):
        groups.setdefault(tuple(z.shape), []).append(i)
    pairs = []
    for k in PALETTE_SIZES:
        for shape, idx in groups.items():
            zb = torch.cat([latents[i] for i in idx])
            zq = lc.palette_roundtrip(zb, k, seed=seed + k)
            for j, i in enumerate(idx):
                pairs.append((latents[i], zq[j:j + 1], k, i))
    log(f"[{label}] palette+FS of {len(latents)} latents x {len(PALETTE_SIZES)} sizes in {time.time() - t:.1f} s")
    return pairs


# ---------------------------------------------------------------- stage: UNet
def unet_step(args, unet, x_clean, x_in, t, acp, ctx, target_x0):
    a = acp[t].float().view(-1, 1, 1, 1)
    with autocast(args):
        eps = unet(x_in, t, ctx).float()
    if target_x0:
        # fine-tuning: the loss in clean-latent space is what the decoded image feels
        x0 = (x_in - (1 - a).sqrt() * eps) / a.sqrt()
        return F.mse_loss(x0, x_clean)
    target = (x_in - a.sqrt() * x_clean) / (1 - a).sqrt()
    return F.mse_loss(eps, target)


def train_unet(args, name, unet, scale, clean_latents, pairs, iters, minutes, lr_base, finetune):
    opt = torch.optim.AdamW(unet.parameters(), lr=lr_base, weight_decay=1e-5)
    st = Stage(name, args, iters, minutes, {"unet": unet}, opt)
    ck = st.done_state()
    if ck:
        log(f"[{name}] already trained ({ck['it']} iterations, {ck['elapsed']:.0f} s)")
        return
    acp = lc.alphas_cumprod().to(args.device)
    ctx = torch.zeros(1, 1, 1, device=args.device)
    lat_crop = args.crop // FACTOR
    rng = random.Random(args.seed + 7 + st.it)
    gauss = LatentCropSampler([(z, z) for z in clean_latents], lat_crop, args.seed + 11 + st.it)
    codec = LatentCropSampler([(p[0], p[1]) for p in pairs], lat_crop, args.seed + 13 + st.it) if pairs else None
    unet.train()
    t_last = time.time()
    while st.progress() < 1.0:
        lr = lr_at(st.progress(), lr_base)
        for gp in opt.param_groups:
            gp["lr"] = lr
        n = args.unet_batch
        t = torch.randint(1, args.t_max + 1, (n,), device=args.device)
        a = acp[t].float().view(-1, 1, 1, 1)
        if codec is not None and rng.random() < args.ft_codec_frac:
            zc, zq = codec.batch(n)
            x_clean, x_in = zc * scale, zq * scale
        else:
            zc, _ = gauss.batch(n)
            x_clean = zc * scale
            x_in = a.sqrt() * x_clean + (1 - a).sqrt() * torch.randn_like(x_clean)
        loss = unet_step(args, unet, x_clean, x_in, t, acp, ctx.expand(n, 1, 1), finetune)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        now = time.time()
        st.elapsed += now - t_last
        t_last = now
        st.it += 1
        if st.it % args.log_every == 0:
            log(f"[{name}] it {st.it} t {st.elapsed:.0f}s lr {lr:.2e} loss {loss.item():.5f}")
        if st.it % args.ckpt_every == 0:
            st.save(False)
    st.save(True)
    log(f"[{name}] done: {st.it} iterations in {st.elapsed:.0f} s")


# ---------------------------------------------------------------- stage: evaluation on holdout
@torch.no_grad()
def evaluate(args, enc, dec, unet, scale, holdout):
    enc.eval(), dec.eval(), unet.eval()
    dev = args.device
    imgs = [to_unit(crop_to_alignment(im))[None].to(dev) for im in holdout]
    lat = [enc(x).float() for x in imgs]
    res = {"images": len(imgs), "ae_psnr": float(np.mean([psnr_u8(dec(z), x) for z, x in zip(lat, imgs)]))}
    log(f"[eval] holdout autoencoder PSNR {res['ae_psnr']:.2f} dB over {len(imgs)} images")
    pairs = codec_pairs(lat, args.seed + 100, "eval")
    acp = lc.alphas_cumprod().to(dev)
    ctx = torch.zeros(1, 1, 1, device=dev)
    grid = [(s, k) for s in args.grid_strengths for k in args.grid_steps]
    table = {}
    for k in PALETTE_SIZES:
        sel = [p for p in pairs if p[2] == k]
        base = float(np.mean([psnr_u8(dec(zq), imgs[i]) for _, zq, _, i in sel]))
        row = {"none": base}
        for s, n in grid:
            ps = [psnr_u8(dec(lc.ddim_denoise(unet, zq * scale, s, n, acp, ctx) / scale), imgs[i])
                  for _, zq, _, i in sel]
            row[f"{s}/{n}"] = float(np.mean(ps))
        table[k] = row
        best = max(((v, c) for c, v in row.items() if c != "none"))
        log(f"[eval] palette {k}: no denoise {base:.3f} dB, best {best[1]} {best[0]:.3f} dB "
            f"(gain {best[0] - base:+.3f})")
    res["palette_psnr"] = {str(k): v for k, v in table.items()}
    # defaults: best gain at 256 colours, ties to fewer UNet calls
    cands = sorted(((table[256][f"{s}/{n}"], -n, s, n) for s, n in grid), reverse=True)
    _, _, s, n = cands[0]
    res["chosen"] = {"strength": s, "steps": n,
                     "gain": {str(k): table[k][f"{s}/{n}"] - table[k]["none"] for k in PALETTE_SIZES}}
    log(f"[eval] chosen strength {s} steps {n}: gains " +
        ", ".join(f"{k}: {res['chosen']['gain'][str(k)]:+.3f} dB" for k in PALETTE_SIZES))
    with open(os.path.join(args.work, "eval.json"), "w") as f:
        json.dump(res, f, indent=1)
    return res


# ---------------------------------------------------------------- stage: export
# Tiling hints for bundle.json, measured on the exported networks with
# `scripts/measure-memory.sh models/tiny 512 1024 2048` (peak added RSS per pixel: encoder 82-102 B,
# decoder 126-210 B, UNet 1.1-3.1 kB per latent pixel) and rounded up.
# default_budget_mb: the --max-memory measured fastest for this architecture (scripts/measure-budget.sh,
# README "Benchmarks": 256 MB is about twice as fast as 2048 from 2 MP up); docs/MODELS.md "memory".
MEMORY_HINTS = {"encoder_bytes_per_pixel": 128, "decoder_bytes_per_pixel": 256,
                "unet_bytes_per_latent_pixel": 4096, "overlap_px": 64, "default_budget_mb": 256}


@torch.no_grad()
def export(args, enc, dec, unet, scale, ev):
    import sdcbundle
    enc, dec, unet = enc.cpu().eval(), dec.cpu().eval(), unet.cpu().eval()
    os.makedirs(args.out, exist_ok=True)
    ex = torch.rand(1, 3, 64, 96) * 2 - 1
    ctx = torch.zeros(1, 1, 1)
    sdcbundle.save_networks(args.out, enc, dec, unet, scale, ex, ctx)
    sdcbundle.write_context(ctx, os.path.join(args.out, "context.bin"))
    # the traced graphs must not have frozen the example's size
    te = torch.jit.load(os.path.join(args.out, "encoder.pt"))
    td = torch.jit.load(os.path.join(args.out, "decoder.pt"))
    tu = torch.jit.load(os.path.join(args.out, "unet.pt"))
    for h, w in ((512, 768), (768, 512), (64, 96), (96, 64), (32, 32)):
        x = torch.rand(1, 3, h, w) * 2 - 1
        z = te(x)
        assert z.shape == (1, LATENT_CHANNELS, h // FACTOR, w // FACTOR), z.shape
        assert torch.allclose(z, enc(x), atol=1e-5)
        y = td(z)
        assert y.shape == (1, 3, h, w) and torch.allclose(y, dec(z), atol=1e-4)
        e = tu(z * scale, torch.tensor([37]), ctx)
        assert e.shape == z.shape and torch.allclose(e, unet(z * scale, torch.tensor([37]), ctx), atol=1e-4)
    log("[export] traced modules verified at 512x768, 768x512, 64x96, 96x64, 32x32")
    denoise = {"strength": ev["chosen"]["strength"], "steps": ev["chosen"]["steps"]} if ev else \
        {"strength": 0.0, "steps": 0}
    m = sdcbundle.write_manifest(
        args.out, name="tiny",
        description="sdc offline default: small factor-8 autoencoder (4 tanh-bounded latent channels) and "
                    "latent UNet denoiser fine-tuned on 8-bit palette+dither error; see MODEL_CARD.md",
        pixel_range=(-1.0, 1.0), channels=LATENT_CHANNELS, factor=FACTOR, alignment=ALIGNMENT,
        scale=round(scale, 6), quant_min=lc.QMIN, quant_max=lc.QMAX, schedule=sdcbundle.SD_SCHEDULE,
        denoise=denoise, context_shape=(1, 1, 1), memory=MEMORY_HINTS)
    log("[export] bundle.json:\n" + json.dumps(m, indent=2))


@torch.no_grad()
def eval_kodak(args, enc, dec):
    files = list_images(args.kodak)
    enc, dec = enc.cpu().eval(), dec.cpu().eval()
    ps = []
    for f in files:
        x = to_unit(crop_to_alignment(load_rgb(f)))[None]
        ps.append(psnr_u8(dec(enc(x)), x))
    log(f"[kodak] autoencoder alone, {len(files)} images at full size: mean PSNR {np.mean(ps):.3f} dB "
        f"(min {np.min(ps):.2f}, max {np.max(ps):.2f})")
    return float(np.mean(ps))


# ---------------------------------------------------------------- main
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="training images (recursive .jpg/.png)")
    p.add_argument("--holdout", required=True, help="validation images (model selection only)")
    p.add_argument("--kodak", help="evaluation-only images for the model card (export stage)")
    p.add_argument("--out", default="models/tiny")
    p.add_argument("--work", default="scripts/train/runs/tiny")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--quick", action="store_true", help="1-2 minute CPU smoke run")
    p.add_argument("--stages", default="ae,unet,ft,eval,export")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--no-amp", action="store_true")
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--ae-iters", type=int, default=20000)
    p.add_argument("--ae-minutes", type=float, default=0)
    p.add_argument("--ae-lr", type=float, default=4e-4)
    p.add_argument("--ssim-w", type=float, default=0.15)
    p.add_argument("--pal-noise-p", type=float, default=0.5)
    p.add_argument("--pal-noise-sigma", type=float, default=0.04)
    p.add_argument("--unet-batch", type=int, default=32)
    p.add_argument("--unet-iters", type=int, default=6000)
    p.add_argument("--unet-minutes", type=float, default=0)
    p.add_argument("--unet-lr", type=float, default=5e-4)
    p.add_argument("--ft-iters", type=int, default=6000)
    p.add_argument("--ft-minutes", type=float, default=0)
    p.add_argument("--ft-lr", type=float, default=2e-4)
    p.add_argument("--ft-codec-frac", type=float, default=0.8)
    p.add_argument("--t-max", type=int, default=250)
    p.add_argument("--grid-strengths", type=float, nargs="+",
                   default=[0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.18, 0.25])
    p.add_argument("--grid-steps", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--max-images", type=int, default=0, help="use only the first N training images")
    p.add_argument("--max-holdout", type=int, default=0, help="use only the first N holdout images")
    p.add_argument("--log-every", type=int, default=200)
    p.add_argument("--ckpt-every", type=int, default=1000)
    a = p.parse_args(argv)
    if a.quick:
        a.crop, a.batch, a.unet_batch = 96, 4, 8
        a.ae_iters, a.unet_iters, a.ft_iters = 40, 30, 30
        a.max_images = a.max_images or 8
        a.max_holdout = a.max_holdout or 2
        a.grid_strengths, a.grid_steps = [0.02], [1, 2]
        a.log_every, a.ckpt_every = 25, 50
    return a


def main(argv=None):
    global LOG
    args = parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    LOG = os.path.join(args.work, "train.log")
    setup_torch(args)
    stages = args.stages.split(",")
    log(f"== train_tiny {' '.join(sys.argv[1:])}")
    log(f"torch {torch.__version__}, device {args.device}"
        + (f" ({torch.cuda.get_device_name()})" if args.device.startswith("cuda") else ""))
    t0 = time.time()

    enc, dec, unet = Encoder().to(args.device), Decoder().to(args.device), TinyUNet().to(args.device)
    log(f"params: encoder {param_count(enc)}, decoder {param_count(dec)}, unet {param_count(unet)}")
    need_train = any(s in stages for s in ("ae", "unet", "ft"))
    files = list_images(args.data) if need_train else []
    if args.max_images:
        files = files[:args.max_images]
    images = [load_rgb(f) for f in files]
    if need_train:
        log(f"training images: {len(images)} from {args.data} ({time.time() - t0:.0f} s to load)")

    ae_path = os.path.join(args.work, "ae.ckpt")
    if "ae" in stages:
        train_ae(args, images, enc, dec)
    else:
        ck = load_ckpt(ae_path, args.device)
        enc.load_state_dict(ck["enc"]), dec.load_state_dict(ck["dec"])
    enc.eval(), dec.eval()
    for prm in list(enc.parameters()) + list(dec.parameters()):
        prm.requires_grad_(False)

    meta_path = os.path.join(args.work, "meta.json")
    clean = None
    if os.path.exists(meta_path):
        scale = json.load(open(meta_path))["scale"]
    else:
        clean = encode_images(enc, images, args.device)
        scale = latent_scale(clean)
        json.dump({"scale": scale}, open(meta_path, "w"))
    log(f"latent scale {scale:.5f} (1 / std of training latents)")

    if "unet" in stages or "ft" in stages:
        if clean is None:
            clean = encode_images(enc, images, args.device)
    if "unet" in stages:
        train_unet(args, "unet_pre", unet, scale, clean, None, args.unet_iters, args.unet_minutes,
                   args.unet_lr, finetune=False)
    if "ft" in stages:
        if "unet" not in stages:
            unet.load_state_dict(load_ckpt(os.path.join(args.work, "unet_pre.ckpt"), args.device)["unet"])
        ft_path = os.path.join(args.work, "unet_ft.ckpt")
        if not os.path.exists(ft_path):
            # start the fine-tune from the pre-trained weights
            save_ckpt(ft_path, {"unet": unet.state_dict(), "it": 0, "elapsed": 0.0, "done": False,
                                "opt": torch.optim.AdamW(unet.parameters()).state_dict()})
        pairs = codec_pairs(clean, args.seed + 3, "ft")
        args.resume_saved, args.resume = args.resume, True
        train_unet(args, "unet_ft", unet, scale, clean, pairs, args.ft_iters, args.ft_minutes,
                   args.ft_lr, finetune=True)
        args.resume = args.resume_saved
    else:
        unet.load_state_dict(load_ckpt(os.path.join(args.work, "unet_ft.ckpt"), args.device)["unet"])
    unet.eval()
    for prm in unet.parameters():
        prm.requires_grad_(False)

    ev = None
    ev_path = os.path.join(args.work, "eval.json")
    if "eval" in stages:
        holdout = [load_rgb(f) for f in list_images(args.holdout)[:args.max_holdout or None]]
        ev = evaluate(args, enc, dec, unet, scale, holdout)
    elif os.path.exists(ev_path):
        ev = json.load(open(ev_path))
    if "export" in stages:
        export(args, enc, dec, unet, scale, ev)
        if args.kodak:
            eval_kodak(args, enc, dec)
    log(f"== finished in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
