"""Fine-tune only the `tiny` UNet with a PIXEL-space loss through the frozen decoder.

Why: the decoder is robust to latent noise, so a latent-space x0 loss barely moves the decoded image; here
the loss is measured where PSNR is: codec pairs (latent -> 8-bit -> k-means palette 16/64/256 + serpentine
Floyd-Steinberg -> dequantised x_q) go through the exact DDIM update of docs/MODELS.md "Denoising" for a
candidate default (strength, steps), differentiably, then through the FROZEN decoder, and the loss is
MSE + 0.1 L1 to the original pixels. Encoder and decoder are loaded from the bundle's TorchScript files and
never re-exported; the UNet starts from the bundle's unet.pt weights (or --init, a state_dict checkpoint).

    python3 scripts/train/finetune_pixel.py --bundle models/tiny --data data/train --holdout data/holdout \
        --work $OUT --device cuda --minutes 4

Stages: holdout grid of the starting UNet ("before"), training (checkpoint `unet_pix.ckpt` every
--ckpt-seconds), holdout grid of the result ("after", `eval.json`; defaults = best gain at 256 colours).
`--export` (torch 1.13, CPU) instead traces only unet.pt into --bundle and rewrites bundle.json.
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
import train_tiny as tt  # noqa: E402
import bundle_nets  # noqa: E402
from tiny_models import FACTOR  # noqa: E402


def unet_from_bundle(bundle, device):
    """The Python UNet of the bundle's architecture carrying the exported unet.pt weights."""
    return bundle_nets.load_unet(bundle).to(device)


def ddim(unet, x, strength, steps, acp, ctx):
    """lc.ddim_denoise with gradients (same timesteps, same update, a_prev = 1 after the last step)."""
    return lc.ddim_loop(unet, x, strength, steps, acp, ctx)


def train(args, dec, unet, scale, pairs, pix):
    configs = [tuple(float(v) if i == 0 else int(v) for i, v in enumerate(c.split("/"))) for c in args.configs]
    opt = torch.optim.AdamW(unet.parameters(), lr=args.lr, weight_decay=1e-5)
    acp = lc.alphas_cumprod().to(args.device)
    ctx = torch.zeros(args.batch, 1, 1, device=args.device)
    rng = random.Random(args.seed)
    s, m = args.crop // FACTOR, args.margin
    pairs = [p for p in pairs if min(p[0].shape[2:]) >= s]
    ck_path = os.path.join(args.work, "unet_pix.ckpt")
    unet.train()
    t0 = last_ck = time.time()
    it, run_loss, run_base = 0, 0.0, 0.0
    while True:
        prog = (time.time() - t0) / (60 * args.minutes)
        if prog >= 1 or it >= args.iters:
            break
        lr = tt.lr_at(prog, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        zq, px = [], []
        for _ in range(args.batch):
            _, q, _, i = pairs[rng.randrange(len(pairs))]
            h, w = q.shape[2:]
            y, x = rng.randint(0, h - s), rng.randint(0, w - s)
            zq.append(q[0, :, y:y + s, x:x + s])
            px.append(pix[i][0, :, y * FACTOR:(y + s) * FACTOR, x * FACTOR:(x + s) * FACTOR])
        zq, px = torch.stack(zq), torch.stack(px)
        strength, steps = configs[rng.randrange(len(configs))]
        out = dec(ddim(unet, zq * scale, strength, steps, acp, ctx) / scale)
        # the crop's border decodes differently from the whole image: score the interior only
        o, p = out[:, :, m:-m, m:-m], px[:, :, m:-m, m:-m]
        loss = F.mse_loss(o, p) + 0.1 * F.l1_loss(o, p)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        it += 1
        run_loss += F.mse_loss(o.detach().clamp(-1, 1), p).item()
        if it % args.log_every == 0:
            with torch.no_grad():
                for _ in range(1):
                    base = F.mse_loss(dec(zq)[:, :, m:-m, m:-m].clamp(-1, 1), p).item()
            tt.log(f"[pix] it {it} t {time.time() - t0:.0f}s lr {lr:.2e} mse {run_loss / args.log_every:.5f} "
                   f"(this batch without denoise {base:.5f})")
            run_loss = 0.0
        if time.time() - last_ck > args.ckpt_seconds:
            tt.save_ckpt(ck_path, {"unet": unet.state_dict(), "it": it, "elapsed": time.time() - t0})
            last_ck = time.time()
    tt.save_ckpt(ck_path, {"unet": unet.state_dict(), "it": it, "elapsed": time.time() - t0, "done": True})
    tt.log(f"[pix] done: {it} iterations in {time.time() - t0:.0f} s")
    unet.eval()


def export_unet(args):
    """Trace only unet.pt (torch 1.13, CPU) and rewrite bundle.json; encoder/decoder files are untouched."""
    import sdcbundle
    b = args.bundle
    man = json.load(open(os.path.join(b, "bundle.json")))
    scale = man["latent"]["scale"]
    unet = bundle_nets.make(bundle_nets.architecture(man), "unet")
    unet.load_state_dict(tt.load_ckpt(args.init, "cpu")["unet"])
    unet.eval()
    ctx = torch.zeros(1, 1, 1)
    with torch.no_grad():
        ex = torch.randn(1, 4, 8, 12)
        sdcbundle.save_script(sdcbundle.UNetExport(unet), (ex, torch.tensor([20], dtype=torch.int64), ctx),
                              os.path.join(b, "unet.pt"))
        tu = torch.jit.load(os.path.join(b, "unet.pt"))
        for h, w in ((64, 96), (96, 64), (8, 12), (4, 4)):
            z = torch.randn(1, 4, h, w)
            e = tu(z, torch.tensor([37]), ctx)
            assert e.shape == z.shape and torch.allclose(e, unet(z, torch.tensor([37]), ctx), atol=1e-4)
    ev = json.load(open(args.eval_json))
    man["denoise"] = {"strength": ev["chosen"]["strength"], "steps": ev["chosen"]["steps"]}
    man["files"]["unet.pt"] = sdcbundle.sha256_file(os.path.join(b, "unet.pt"))
    for f in ("encoder.pt", "decoder.pt", "context.bin"):
        assert man["files"][f] == sdcbundle.sha256_file(os.path.join(b, f)), f
    with open(os.path.join(b, "bundle.json"), "w") as f:
        json.dump(man, f, indent=2)
        f.write("\n")
    print(json.dumps(man, indent=2))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bundle", default="models/tiny")
    p.add_argument("--data")
    p.add_argument("--holdout")
    p.add_argument("--work", required=True)
    p.add_argument("--init", help="state_dict checkpoint to start from (default: the bundle's unet.pt)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--minutes", type=float, default=4.0)
    p.add_argument("--iters", type=int, default=10 ** 9)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--crop", type=int, default=256, help="pixel crop side (multiple of 8)")
    p.add_argument("--margin", type=int, default=16, help="pixels at the crop border left out of the loss")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--configs", nargs="+", default=["0.01/1", "0.02/1", "0.03/1", "0.04/1", "0.02/2", "0.04/2"],
                   help="strength/steps pairs trained on (one per iteration, at random)")
    p.add_argument("--grid-strengths", type=float, nargs="+", default=[0.005, 0.01, 0.02, 0.03, 0.04])
    p.add_argument("--grid-steps", type=int, nargs="+", default=[1, 2])
    p.add_argument("--skip-before", action="store_true")
    p.add_argument("--log-every", type=int, default=200)
    p.add_argument("--ckpt-seconds", type=float, default=30)
    p.add_argument("--seed", type=int, default=4321)
    p.add_argument("--export", action="store_true")
    p.add_argument("--eval-json")
    args = p.parse_args()
    if args.export:
        return export_unet(args)
    os.makedirs(args.work, exist_ok=True)
    tt.LOG = os.path.join(args.work, "train.log")
    random.seed(args.seed), np.random.seed(args.seed), torch.manual_seed(args.seed)
    if args.device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    tt.log(f"== finetune_pixel {' '.join(sys.argv[1:])}")
    tt.log(f"torch {torch.__version__}, device {args.device}")
    t0 = time.time()
    enc = torch.jit.load(os.path.join(args.bundle, "encoder.pt"), map_location=args.device).eval()
    dec = torch.jit.load(os.path.join(args.bundle, "decoder.pt"), map_location=args.device).eval()
    for prm in list(enc.parameters()) + list(dec.parameters()):
        prm.requires_grad_(False)
    scale = json.load(open(os.path.join(args.bundle, "bundle.json")))["latent"]["scale"]
    unet = unet_from_bundle(args.bundle, args.device)
    if args.init:
        unet.load_state_dict(tt.load_ckpt(args.init, args.device)["unet"])
    holdout = [tt.load_rgb(f) for f in tt.list_images(args.holdout)]
    ev_args = argparse.Namespace(device=args.device, grid_strengths=args.grid_strengths,
                                 grid_steps=args.grid_steps, seed=1234, work=args.work)
    if not args.skip_before:
        unet.eval()
        before = tt.evaluate(ev_args, enc, dec, unet, scale, holdout)
        os.replace(os.path.join(args.work, "eval.json"), os.path.join(args.work, "eval_before.json"))
        tt.log(f"[before] {json.dumps(before['chosen'])}")
    images = [tt.load_rgb(f) for f in tt.list_images(args.data)]
    tt.log(f"training images: {len(images)} ({time.time() - t0:.0f} s)")
    with torch.no_grad():
        pix = [tt.to_unit(tt.crop_to_alignment(im))[None].to(args.device) for im in images]
        clean = [enc(x).float() for x in pix]
    pairs = tt.codec_pairs(clean, args.seed + 3, "pix")
    train(args, dec, unet, scale, pairs, pix)
    for prm in unet.parameters():
        prm.requires_grad_(False)
    after = tt.evaluate(ev_args, enc, dec, unet, scale, holdout)
    tt.log(f"[after] {json.dumps(after['chosen'])}")
    tt.log(f"== finished in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
