"""Rate-distortion training of sdc's scalar latent mode (issue 10; docs/SCALAR.md; plan in SCALAR.md).

    /usr/bin/python3 scripts/train/train_scalar.py --bundle models/tiny --data ../shared/data/train \
        --work scripts/train/runs/scalar --out scripts/train/runs/scalar/bundle [--device cuda] [--quick]

Stages (`--stages`, default rd,export):
- rd: fine-tune the bundle's encoder and decoder (Python modules of its architecture, tiny, base or toy
  (bundle_nets.py), carrying the TorchScript weights) jointly with a learned FactorizedPrior on the 4
  channels and learned quantisation steps.
  Each batch picks one of L rate levels; its loss is bpp + lambda_l * MSE (8-bit units), with additive
  uniform noise of one step as the quantisation proxy. Steps: `--step-mode scale` learns one step per
  channel and one scalar gain per level (step[l][c] = base[c] * gain[l]); `--step-mode gain` learns a
  gain per level AND channel (Balle-style gain vectors). Which is better is measured by the GPU session
  (docs/SCALAR.md), so both are here. Checkpoints: rd.ckpt (encoder, prior, steps) and rd-dec.ckpt.
- unet: fine-tunes the bundle's UNet on this mode's noise (random level and rate factor, one DDIM step at
  scalar_prior.matching_timestep, pixel loss through the frozen RD decoder). Checkpoint: unet_scalar.ckpt.
- export: encodes the training images, builds each level's integer CDF tables per (channel, context)
  (histograms smoothed by the prior, scalar_prior.build_level), writes a complete bundle into --out:
  prior.bin, encoder.pt, decoder.pt, unet.pt (from unet_scalar.ckpt when it exists, else a copy of
  --bundle's) (TorchScript; torch 1.13 for DJL), context.bin, bundle.json (--bundle's manifest renamed
  to --name, with prior.bin in `files` and the `scalar` section) and
  eval.json with the measured rate
  (scalar_prior.ideal_bits of the tables, the same number Java's ScalarLatentCoder.idealBits gives) and
  PSNR per level (without, and with the retrained UNet's denoising) on --holdout (or the training images
  when there is none), dequantising as the decoder does (q * step clamped to quant_min/max). A level whose
  denoised PSNR is not above the undenoised one gets denoise_t 0 in prior.bin.
- fixture: writes testdata/scalar/ (a small prior, one latent, the expected ideal bits) for Java's
  ScalarFixtureTest; needs only a trained prior and steps (uses rd.ckpt).

Without --data, `--synthetic N` renders N smooth random images (toy runs and tests; no photos needed).
"""
import argparse
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
import latent_codec as lc  # noqa: E402
import scalar_prior as sp  # noqa: E402
import train_common  # noqa: E402
from train_common import read_pack  # noqa: E402
import bundle_nets  # noqa: E402
from tiny_models import ALIGNMENT, LATENT_CHANNELS  # noqa: E402  (the contract: the same for every architecture)


def log(args, *a):
    msg = " ".join(str(x) for x in a)
    print(msg, flush=True)
    with open(os.path.join(args.work, "train_scalar.log"), "a") as f:
        f.write(msg + "\n")


# ---------------------------------------------------------------- data
def synthetic_images(n, size, seed):
    """Smooth random RGB images [3, size, size] uint8: sums of random low-frequency cosines + edges."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.linspace(0, 1, size), torch.linspace(0, 1, size), indexing="ij")
    out = []
    for _ in range(n):
        img = torch.zeros(3, size, size)
        for _ in range(6):
            f = torch.rand(2, generator=g) * 3 - 1.5  # at most 1.5 cycles per side: photo-like
            ph = torch.rand(1, generator=g) * 6.3
            col = torch.rand(3, 1, 1, generator=g) - 0.5
            img += col * torch.cos(f[0] * 6.3 * xx + f[1] * 6.3 * yy + ph)
        edge = (xx * torch.rand(1, generator=g) + yy * torch.rand(1, generator=g) > 0.5).float()
        img += (torch.rand(3, 1, 1, generator=g) - 0.5) * edge
        out.append(((img * 0.5 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8))
    return out


def load_images(args, folder):
    """uint8 [3, H, W] images of a folder (recursive) or of an image pack (pack_images.py; what a device
    call carries), centre-cropped to multiples of ALIGNMENT."""
    if os.path.isfile(folder):
        ims = read_pack(folder)
    else:
        import glob
        from PIL import Image  # only when real images are read
        files = sorted(set(f for ext in ("jpg", "jpeg", "png", "JPG", "PNG")
                           for f in glob.glob(os.path.join(folder, "**", "*." + ext), recursive=True)))
        ims = (torch.from_numpy(np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8).copy()).permute(2, 0, 1)
               for f in files)
    out = []
    for im in ims:
        if args.max_images and len(out) == args.max_images:
            break
        _, hh, ww = im.shape
        h, w = hh // ALIGNMENT * ALIGNMENT, ww // ALIGNMENT * ALIGNMENT
        y, x = (hh - h) // 2, (ww - w) // 2
        out.append(im[:, y:y + h, x:x + w].contiguous())
    return out


def to_unit(u8):
    return u8.float() / 127.5 - 1.0


def on_device(args, images):
    """The training images as uint8 tensors on the training device, copied once per stage: crops and flips
    then run there, and no batch crosses the host link (export keeps the CPU copies: it runs on the CPU)."""
    return [im.to(args.device) for im in images] if args.device != "cpu" else images


def crops(rng, images, n, size):
    out = []
    for _ in range(n):
        im = images[rng.randrange(len(images))]
        _, h, w = im.shape
        y, x = rng.randint(0, h - size), rng.randint(0, w - size)
        c = im[:, y:y + size, x:x + size]
        out.append(c.flip(2) if rng.random() < 0.5 else c)
    return to_unit(torch.stack(out))


# ---------------------------------------------------------------- models
def load_bundle_modules(bundle):
    """Python Encoder/Decoder of the bundle's architecture (bundle_nets) carrying its TorchScript weights,
    and the bundle's latent scale."""
    enc, dec, scale, _ = bundle_nets.load_autoencoder(bundle)
    return enc, dec, scale


class Steps(torch.nn.Module):
    """Learned quantisation steps [L, C] in raw latent units: base[c] * gain[l] (scale) or gain[l, c]."""

    def __init__(self, levels, channels, step_min, step_max, mode):
        super().__init__()
        self.mode = mode
        g = torch.linspace(math.log(step_max), math.log(step_min), levels)
        self.log_base = torch.nn.Parameter(torch.zeros(channels))
        if mode == "scale":
            self.log_gain = torch.nn.Parameter(g.clone())
        elif mode == "gain":
            self.log_gain = torch.nn.Parameter(g[:, None].repeat(1, channels))
        else:
            raise ValueError(mode)

    def forward(self):
        lg = self.log_gain[:, None] if self.mode == "scale" else self.log_gain
        s = torch.exp(self.log_base[None, :] + lg)
        return s.clamp(sp.MIN_STEP * 2, sp.MAX_STEP / 2)


# ---------------------------------------------------------------- stage rd
def quant_range(bundle):
    """The bundle's latent.quant_min/quant_max: the clamp of the Java dequantiser."""
    with open(os.path.join(bundle, "bundle.json")) as f:
        lat = json.load(f)["latent"]
    return float(lat["quant_min"]), float(lat["quant_max"])


def rd_loss(enc, dec, prior, step, lam, x, train=True, proxy="mixed-detached", clamp=(-1.0, 1.0), amp=None):
    """(loss, bpp, mse) of one batch at one level's steps [C].

    amp: an autocast context factory (train_common.autocast) for the two networks, or None. The latent, the
    rounding, the prior's likelihoods and both loss terms stay float32: a bf16 latent (8 bits of mantissa)
    would round to other bins than the float32 encoder in Java does, and the rate is a sum of logs.

    Rate: uniform noise of one step (train) or rounding (eval). Distortion, with proxy "noise": the same
    noisy latent (Balle 2017); with "mixed" (default; Minnen & Singh 2020): the latent the decoder will
    really get, rounded to the step with a straight-through gradient and clamped to the bundle's quant range
    as the Java dequantiser does. At coarse steps (a step of 1.3 on a latent within +-1) uniform noise is
    far from rounding, and a decoder trained on it decodes real files badly (the CPU run of tiny-scalar)."""
    amp = amp or (lambda: torch.autocast(device_type="cpu", enabled=False))
    with amp():
        y = enc(x)
    y = y.float()
    s = step.view(1, -1, 1, 1)
    rounded = torch.round(y / s) * s
    y_rate = y + (torch.rand_like(y) - 0.5) * s if train else rounded
    bits = -torch.log2(prior.likelihood(y_rate, step)).sum()
    bpp = bits / (x.shape[0] * x.shape[2] * x.shape[3])
    if train and proxy == "noise":
        y_dec = y_rate
    else:
        # straight-through rounding written as s * STE(y / s): the value is rounded, the gradient to y is
        # the identity, and the gradient to the step is LSQ's round(y/s) - y/s (Esser et al. 2019), so the
        # distortion term still pulls the steps down (with rounded - y detached whole, only the rate term
        # saw the steps and they grew without bound: level 0 reached 0 bpp in a 6-minute CPU trial)
        if proxy == "mixed-detached":  # the rounding residual detached whole: no distortion gradient to s
            y_dec = (y + (rounded - y).detach()).clamp(clamp[0], clamp[1])
        else:
            q = y / s
            y_dec = (s * (q + (torch.round(q) - q).detach())).clamp(clamp[0], clamp[1])
    with amp():
        x_hat = dec(y_dec)
    mse = F.mse_loss(x_hat.float(), x) * (127.5 ** 2)  # 8-bit units
    return bpp + lam * mse, bpp, mse


def stage_rd(args, images):
    enc, dec, _ = load_bundle_modules(args.bundle)
    prior = sp.FactorizedPrior(LATENT_CHANNELS, init_scale=1.0)
    steps = Steps(len(args.lambdas), LATENT_CHANNELS, args.step_min, args.step_max, args.step_mode)
    mods = [m.to(args.device).train() for m in (enc, dec, prior, steps)]
    if args.fixed_steps:
        for prm in steps.parameters():
            prm.requires_grad_(False)
    opt = torch.optim.Adam([
        {"params": list(enc.parameters()) + list(dec.parameters()), "lr": args.lr},
        {"params": list(prior.parameters()) + list(steps.parameters()), "lr": args.prior_lr},
    ])
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    lams = torch.tensor(args.lambdas)
    images = on_device(args, images)
    amp = lambda: train_common.autocast(args.device, args.amp)  # noqa: E731
    clamp = quant_range(args.bundle)
    t0 = time.time()
    done = 0
    for it in range(1, args.iters + 1):
        if args.minutes and time.time() - t0 > 60 * args.minutes:
            log(args, "rd: time cap at iteration", it)
            break
        done = it
        lvl = rng.randrange(len(args.lambdas))
        x = crops(rng, images, args.batch, args.crop).to(args.device)
        loss, bpp, mse = rd_loss(enc, dec, prior, steps()[lvl], float(lams[lvl]), x, proxy=args.quant_proxy,
                                 clamp=clamp, amp=amp)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if it % args.log_every == 0 or it == 1:
            log(args, "rd it %d level %d loss %.4f bpp %.4f mse %.2f step %s" % (
                it, lvl, loss.item(), bpp.item(), mse.item(),
                [round(v, 4) for v in steps()[lvl].tolist()]))
    dt = time.time() - t0
    log(args, "rd: %d iterations of batch %d (%d px crops) in %.1f s, %.2f images/s (amp %s)" % (
        done, args.batch, args.crop, dt, done * args.batch / max(dt, 1e-9), args.amp))
    save_rd(args.work, *mods, {"step_mode": args.step_mode, "lambdas": args.lambdas,
                               "step_min": args.step_min, "step_max": args.step_max})
    log(args, "rd: saved rd.ckpt and rd-dec.ckpt after %.1f s" % (time.time() - t0))


def save_rd(work, enc, dec, prior, steps, rd_args):
    """rd.ckpt (encoder, prior, steps, the stage's arguments) and rd-dec.ckpt (decoder), float32. Two files
    because a device call returns files of at most 16 MiB: base's encoder + decoder are 19.5 MB together."""
    torch.save({"enc": enc.state_dict(), "prior": prior.state_dict(), "steps": steps.state_dict(), "args": rd_args},
               os.path.join(work, "rd.ckpt"))
    torch.save(dec.state_dict(), os.path.join(work, "rd-dec.ckpt"))


def load_rd(args):
    ck = torch.load(os.path.join(args.work, "rd.ckpt"), map_location="cpu")
    if "dec" not in ck:  # rd.ckpt files before the split held the decoder too
        ck["dec"] = torch.load(os.path.join(args.work, "rd-dec.ckpt"), map_location="cpu")
    a = ck["args"]
    enc, dec, scale = load_bundle_modules(args.bundle)
    prior = sp.FactorizedPrior(LATENT_CHANNELS)
    steps = Steps(len(a["lambdas"]), LATENT_CHANNELS, a["step_min"], a["step_max"], a["step_mode"])
    for m, mod in zip(("enc", "dec", "prior", "steps"), (enc, dec, prior, steps)):
        mod.load_state_dict(ck[m])
        mod.eval()
    return enc, dec, prior, steps, scale


# ---------------------------------------------------------------- stage unet
def stage_unet(args, images):
    """Fine-tune the bundle's UNet on this mode's noise: latents quantised at a random level and rate
    factor (0.7 ... 1.4), one DDIM step from matching_timestep, through the FROZEN RD decoder; loss
    MSE + 0.1 L1 to the original pixels (a 16 px border excluded). Checkpoint unet_scalar.ckpt."""
    enc, dec, _, steps, scale = load_rd(args)
    unet = bundle_nets.load_unet(args.bundle).to(args.device).train()
    enc, dec = enc.to(args.device), dec.to(args.device)
    for p_ in list(enc.parameters()) + list(dec.parameters()):
        p_.requires_grad_(False)
    acp_t = lc.alphas_cumprod().to(args.device)
    acp = acp_t.cpu().numpy()
    st = steps().detach()
    opt = torch.optim.AdamW(unet.parameters(), lr=args.unet_lr, weight_decay=1e-5)
    rng = random.Random(args.seed + 1)
    ctx = torch.zeros(args.batch, 1, 1, device=args.device)
    m = 16 if args.crop > 64 else 0
    images = on_device(args, images)
    t0 = time.time()
    done = 0
    for it in range(1, args.unet_iters + 1):
        if args.unet_minutes and time.time() - t0 > 60 * args.unet_minutes:
            log(args, "unet: time cap at iteration", it)
            break
        done = it
        x = crops(rng, images, args.batch, args.crop).to(args.device)
        delta = (st[rng.randrange(st.shape[0])] * (0.7 + 0.7 * rng.random())).to(args.device)
        t = sp.matching_timestep(delta.tolist(), scale, acp)
        with torch.no_grad():
            with train_common.autocast(args.device, args.amp):
                y = enc(x)
            s_ = delta.view(1, -1, 1, 1)
            y_q = torch.round(y.float() / s_) * s_  # rounded in float32, as the Java encoder does
        with train_common.autocast(args.device, args.amp):
            if t > 0:
                y_q = lc.ddim_loop(unet, y_q * scale, t / len(acp), 1, acp_t, ctx) / scale
            out = dec(y_q).float()
        a, b = out[:, :, m:out.shape[2] - m, m:out.shape[3] - m], x[:, :, m:x.shape[2] - m, m:x.shape[3] - m]
        loss = F.mse_loss(a, b) + 0.1 * F.l1_loss(a, b)
        if t > 0:
            opt.zero_grad()
            loss.backward()
            opt.step()
        if it % args.log_every == 0 or it == 1:
            log(args, "unet it %d t %d loss %.5f" % (it, t, loss.item()))
    dt = time.time() - t0
    log(args, "unet: %d iterations of batch %d (%d px crops) in %.1f s, %.2f images/s (amp %s)" % (
        done, args.batch, args.crop, dt, done * args.batch / max(dt, 1e-9), args.amp))
    torch.save(unet.state_dict(), os.path.join(args.work, "unet_scalar.ckpt"))
    log(args, "unet: saved unet_scalar.ckpt after %.1f s" % (time.time() - t0))


def load_unet(args):
    path = os.path.join(args.work, "unet_scalar.ckpt")
    if not os.path.isfile(path):
        return None
    unet = bundle_nets.make(bundle_nets.architecture(args.bundle), "unet")
    unet.load_state_dict(torch.load(path, map_location="cpu"))
    return unet.eval()


# ---------------------------------------------------------------- stage export
@torch.no_grad()
def encode_all(enc, images):
    return [enc(to_unit(im)[None])[0].numpy().astype(np.float64) for im in images]


@torch.no_grad()
def stage_export(args, images, holdout):
    enc, dec, prior, steps, scale = load_rd(args)
    unet = load_unet(args)
    with open(os.path.join(args.bundle, "bundle.json"), encoding="utf-8") as f:
        src = json.load(f)
    qmin, qmax = float(src["latent"]["quant_min"]), float(src["latent"]["quant_max"])
    acp_t = lc.alphas_cumprod()
    os.makedirs(args.out, exist_ok=True)
    thresholds = tuple(args.thresholds)
    latents = encode_all(enc, images)
    acp = lc.alphas_cumprod().numpy()
    st = steps().double().numpy()
    levels = []
    for lv in range(st.shape[0]):
        s32 = [float(np.float32(v)) for v in st[lv]]
        t = sp.matching_timestep(s32, scale, acp)
        levels.append(sp.build_level(prior, s32, t, latents, thresholds, args.precision, args.prior_weight))
    prior_bytes = sp.write_prior(os.path.join(args.out, "prior.bin"), levels, thresholds, args.precision)
    rows = []
    for lv, level in enumerate(levels):
        bits = px = 0
        se, se_dn = [], []
        for im in holdout:
            y = enc(to_unit(im)[None])[0].numpy().astype(np.float64)
            q = sp.quantize_latent(y, level.steps)
            bits += sp.ideal_bits(q, level, thresholds)
            px += im.shape[1] * im.shape[2]
            # the decoder's dequantisation (docs/SCALAR.md): q * step in binary32, clamped to quant_min/max
            y_hat = (torch.from_numpy(q.astype(np.float32)) *
                     torch.tensor(level.steps, dtype=torch.float32).view(-1, 1, 1))[None].clamp(qmin, qmax)
            out = ((dec(y_hat)[0].clamp(-1, 1) + 1) * 127.5).round()
            se.append(float(((out - im.float()) ** 2).mean()))
            if unet is not None and level.timestep > 0:
                ctx = torch.zeros(1, 1, 1)
                y_dn = lc.ddim_loop(unet, y_hat * scale, level.timestep / len(acp), 1, acp_t, ctx) / scale
                out = ((dec(y_dn)[0].clamp(-1, 1) + 1) * 127.5).round()
                se_dn.append(float(((out - im.float()) ** 2).mean()))
        psnr = float(np.mean([10 * math.log10(255 ** 2 / max(e, 1e-10)) for e in se]))
        row = {"level": lv, "steps": level.steps, "matching_timestep": level.timestep,
               "denoise_timestep": level.timestep,
               "bpp": bits / px, "psnr_no_denoise": psnr, "lambda": args.lambdas[lv]
               if lv < len(args.lambdas) else None}
        if se_dn:
            row["psnr_denoised"] = float(np.mean([10 * math.log10(255 ** 2 / max(e, 1e-10)) for e in se_dn]))
        rows.append(row)
        log(args, "export level %d: steps %s t %d bpp %.4f PSNR %.2f dB%s" % (
            lv, [round(v, 4) for v in level.steps], level.timestep, bits / px, psnr,
            " (denoised %.2f dB)" % row["psnr_denoised"] if se_dn else ""))
    # a denoising default that loses PSNR is not shipped (SCALAR.md step 4): that level's denoise_t is 0
    losing = [r["level"] for r in rows if "psnr_denoised" in r and r["psnr_denoised"] <= r["psnr_no_denoise"]]
    if losing:
        for lv in losing:
            levels[lv] = sp.Level(levels[lv].steps, 0, levels[lv].tables)
            rows[lv]["denoise_timestep"] = 0
        prior_bytes = sp.write_prior(os.path.join(args.out, "prior.bin"), levels, thresholds, args.precision)
        log(args, "export: denoising loses PSNR at levels %s; their denoise_t is 0" % losing)
    if not args.no_networks:
        write_bundle(args, src, enc, dec, unet, scale, len(levels))
    import hashlib
    summary = {"prior.bin": hashlib.sha256(prior_bytes).hexdigest(), "thresholds": list(thresholds),
               "precision": args.precision, "levels": rows, "eval_images": len(holdout)}
    with open(os.path.join(args.out, "eval.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    return summary


@torch.no_grad()
def write_bundle(args, src, enc, dec, unet, scale, n_levels):
    """A complete bundle in --out (docs/MODELS.md + docs/SCALAR.md): encoder.pt, decoder.pt (traced with
    this torch), unet.pt (the retrained UNet, else a copy of --bundle's), context.bin (copied), and
    bundle.json: --bundle's manifest with the new name, hashes, and the `scalar` section."""
    import shutil
    import sdcbundle
    out = args.out
    ex = torch.zeros(1, 3, ALIGNMENT * 2, ALIGNMENT * 2)
    sdcbundle.save_networks(out, enc, dec, unet, scale, ex, torch.zeros(1, 1, 1))
    if unet is None and os.path.isfile(os.path.join(args.bundle, "unet.pt")):
        shutil.copyfile(os.path.join(args.bundle, "unet.pt"), os.path.join(out, "unet.pt"))
    ctx_shape = None
    if "context" in src:
        shutil.copyfile(os.path.join(args.bundle, src["context"]["file"]), os.path.join(out, "context.bin"))
        ctx_shape = src["context"]["shape"]
    # the traced graphs must not have frozen the example's size
    te = torch.jit.load(os.path.join(out, "encoder.pt"))
    td = torch.jit.load(os.path.join(out, "decoder.pt"))
    for h, w in ((512, 768), (64, 96), (96, 64)):
        x = torch.rand(1, 3, h, w, generator=torch.Generator().manual_seed(h + w)) * 2 - 1
        z = te(x)
        assert torch.allclose(z, enc(x), atol=1e-5), "traced encoder differs at %dx%d" % (h, w)
        assert torch.allclose(td(z), dec(z), atol=1e-4), "traced decoder differs at %dx%d" % (h, w)
    default_level = args.default_level if args.default_level is not None else n_levels // 2
    if not 0 <= default_level < n_levels:
        raise SystemExit("--default-level %d outside 0 ... %d" % (default_level, n_levels - 1))
    lat = src["latent"]
    # looks (a second decoder) and per-palette denoise defaults were trained and measured on the source's
    # latent space; the RD fine-tune moved it, so they are not carried over (retrain them on this bundle)
    dropped = [k for k in ("looks", "denoise_palette") if k in src]
    if dropped:
        log(args, "export: not carried from %s (trained for its latent space): %s" % (src["name"], ", ".join(dropped)))
    name = args.name or src["name"] + "-scalar"
    sdcbundle.write_manifest(
        out, name=name,
        description=args.description or ("%s with an RD fine-tuned encoder/decoder and a scalar latent "
                                          "prior (quantizer mode 1, docs/SCALAR.md); see MODEL_CARD.md"
                                          % src["name"]),
        pixel_range=src["pixel_range"], channels=lat["channels"], factor=lat["factor"],
        alignment=lat["alignment"], scale=lat["scale"], quant_min=lat["quant_min"], quant_max=lat["quant_max"],
        schedule=src["schedule"], denoise=src["denoise"], context_shape=ctx_shape, memory=src.get("memory"),
        extra_files=("prior.bin",), extra={"scalar": {"prior": "prior.bin", "default_level": default_level},
                                                 bundle_nets.ARCH_KEY: bundle_nets.architecture(src)})
    log(args, "export: bundle %s written to %s (traced networks checked at 512x768, 64x96, 96x64)"
        % (name, out))


# ---------------------------------------------------------------- stage fixture
def write_latent(path, q):
    """int32 big-endian: C, H, W, then the values channel by channel in raster order."""
    q = np.asarray(q, dtype=np.int64)
    with open(path, "wb") as f:
        f.write(np.asarray(q.shape, dtype=">i4").tobytes())
        f.write(q.astype(">i4").tobytes())


@torch.no_grad()
def stage_fixture(args, images):
    """testdata/scalar: a prior of 2 coarse levels, one latent with a few forced escapes, its ideal bits and
    the stream Python's reference encoder writes for it (coded.bin)."""
    enc, _, prior, steps, _ = load_rd(args)
    os.makedirs(args.fixture_dir, exist_ok=True)
    thresholds = tuple(args.thresholds)
    latents = encode_all(enc, images)
    st = steps().double().numpy()
    coarse = [max(float(v), 0.05) for v in st[0]]
    level_steps = [[float(np.float32(v)) for v in coarse], [float(np.float32(v * 0.5)) for v in coarse]]
    levels = [sp.build_level(prior, s, 0, latents, thresholds, args.precision, args.prior_weight)
              for s in level_steps]
    sp.write_prior(os.path.join(args.fixture_dir, "prior.bin"), levels, thresholds, args.precision)
    q = sp.quantize_latent(latents[0][:, :24, :32], levels[1].steps)
    q[0, 0, 0] = 5000          # escapes above, below, and far beyond every table
    q[1, 3, 7] = -70
    q[3, -1, -1] = sp.MAX_ABS
    write_latent(os.path.join(args.fixture_dir, "latent.bin"), q)
    bits = sp.ideal_bits(q, levels[1], thresholds)
    coded = sp.encode_latent(q, levels[1], thresholds, args.precision)
    with open(os.path.join(args.fixture_dir, "coded.bin"), "wb") as f:
        f.write(coded)
    with open(os.path.join(args.fixture_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"level": 1, "ideal_bits": bits, "coded_bytes": len(coded), "shape": list(q.shape),
                   "made_by": "scripts/train/train_scalar.py --stages fixture"}, f, indent=2)
    log(args, "fixture: %s, level 1 ideal %.3f bits" % (args.fixture_dir, bits))
    return bits


# ---------------------------------------------------------------- main
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bundle", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "tiny"))
    p.add_argument("--data", help="training image folder or image pack (default: --synthetic images)")
    p.add_argument("--holdout", help="evaluation image folder or pack (default: the training images)")
    p.add_argument("--synthetic", type=int, default=8, help="synthetic images when --data is absent")
    p.add_argument("--max-images", type=int, default=0)
    p.add_argument("--work", required=True)
    p.add_argument("--out", help="export folder (default: WORK/bundle)")
    p.add_argument("--fixture-dir", help="fixture folder (default: testdata/scalar)")
    p.add_argument("--stages", default="rd,export")
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--amp", choices=("auto", "bf16", "off"), default="auto",
                   help="bf16 autocast of the networks' forwards: auto = on CUDA only; bf16 on the CPU tests the "
                        "GPU's code path (latents, rounding and the rate stay float32)")
    p.add_argument("--iters", type=int, default=20000)
    p.add_argument("--minutes", type=float, default=0)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--prior-lr", type=float, default=1e-3)
    p.add_argument("--lambdas", type=float, nargs="+", default=[0.0004, 0.0012, 0.004, 0.012, 0.04],
                   help="one rate level per lambda (8-bit MSE units), coarse to fine")
    p.add_argument("--step-mode", choices=("scale", "gain"), default="scale")
    p.add_argument("--quant-proxy", choices=("mixed", "mixed-detached", "noise"), default="mixed-detached",
                   help="distortion term: rounded + straight-through (LSQ step gradient) + clamped (mixed), "
                        "the same without a step gradient (mixed-detached), or uniform noise")
    p.add_argument("--fixed-steps", action="store_true",
                   help="rd: keep the initial steps (log-spaced --step-max ... --step-min), learn only the networks and prior")
    p.add_argument("--step-min", type=float, default=0.02, help="initial step of the finest level")
    p.add_argument("--step-max", type=float, default=0.5, help="initial step of the coarsest level")
    p.add_argument("--thresholds", type=int, nargs="*", default=list(sp.DEFAULT_THRESHOLDS))
    p.add_argument("--unet-iters", type=int, default=20000)
    p.add_argument("--unet-minutes", type=float, default=0)
    p.add_argument("--unet-lr", type=float, default=5e-5)
    p.add_argument("--precision", type=int, default=16)
    p.add_argument("--prior-weight", type=float, default=64.0)
    p.add_argument("--no-networks", action="store_true", help="export: skip the networks and bundle.json")
    p.add_argument("--name", help="export: bundle name in bundle.json (default: the source's name + -scalar)")
    p.add_argument("--description", help="export: bundle.json description")
    p.add_argument("--default-level", type=int, help="export: scalar.default_level (default: L // 2)")
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--quick", action="store_true", help="toy run: 30 iterations, batch 2, 64 px crops")
    a = p.parse_args(argv)
    if a.quick:
        a.iters, a.unet_iters, a.batch, a.crop, a.log_every = 30, 10, 2, 64, 10
    a.amp = train_common.resolve_amp(a.amp, a.device)
    a.out = a.out or os.path.join(a.work, "bundle")
    a.fixture_dir = a.fixture_dir or os.path.join(os.path.dirname(os.path.dirname(HERE)), "testdata", "scalar")
    return a


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    train_common.setup_torch(args)
    if args.data:
        images = load_images(args, args.data)
    else:
        images = synthetic_images(args.synthetic, max(args.crop, 2 * ALIGNMENT), args.seed)
    images = [im for im in images if min(im.shape[1:]) >= args.crop]
    holdout = load_images(args, args.holdout) if args.holdout else images
    result = {}
    for stage in args.stages.split(","):
        if stage == "rd":
            stage_rd(args, images)
        elif stage == "unet":
            stage_unet(args, images)
        elif stage == "export":
            result["export"] = stage_export(args, images, holdout)
        elif stage == "fixture":
            result["fixture"] = stage_fixture(args, images)
        else:
            raise SystemExit("unknown stage " + stage)
    return result


if __name__ == "__main__":
    main()
