"""Python model of sdc's latent path, used to train and to tune the denoiser on the codec's real error.

8-bit quantisation with the bundle's [quant_min, quant_max], a k-means palette of 4-D codes, serpentine
Floyd-Steinberg dithering in code space, dequantisation, and the DDIM (eta = 0) loop of docs/MODELS.md.
The Java encoder's k-means may differ in detail (initialisation, iterations); the error statistics are what
matter here.
"""
import math

import numpy as np
import torch

QMIN, QMAX = -1.0, 1.0


def quantize8(z):
    """Raw latent -> float codes 0..255 (rounded, clamped)."""
    return torch.clamp(torch.round(255.0 * (z - QMIN) / (QMAX - QMIN)), 0, 255)


def dequantize8(q):
    return QMIN + q * (QMAX - QMIN) / 255.0


def kmeans_palette(codes, k, iters=12, seed=0, weights=None):
    """codes [N,P,C] float (one image per row) -> palettes [N,k,C] of integer codes (float tensor).

    weights [N,P] (optional, 0/1): pixels with weight 0 (padding of a batch of unequal images) neither seed
    nor move a centroid.
    """
    n, p, c = codes.shape
    g = torch.Generator(device="cpu").manual_seed(seed)
    k_eff = min(k, p)
    if weights is None:
        idx = torch.stack([torch.randperm(p, generator=g)[:k_eff] for _ in range(n)]).to(codes.device)
        wts = torch.ones(n, p, device=codes.device)
    else:
        wts = weights.to(codes.device).float()
        # random seeds among the valid pixels: the k largest of (uniform noise + validity)
        r = torch.rand(n, p, generator=g).to(codes.device) + 2.0 * wts
        idx = r.topk(k_eff, dim=1).indices
    cent = torch.gather(codes, 1, idx[:, :, None].expand(n, k_eff, c)).clone()
    for _ in range(iters):
        d = torch.cdist(codes, cent)                       # [N,P,k]
        a = d.argmin(dim=2)                                # [N,P]
        sums = torch.zeros(n, k_eff, c, device=codes.device).scatter_add_(
            1, a[:, :, None].expand(n, p, c), codes * wts[:, :, None])
        cnt = torch.zeros(n, k_eff, device=codes.device).scatter_add_(1, a, wts)
        upd = cnt > 0
        cent = torch.where(upd[:, :, None], sums / cnt.clamp(min=1)[:, :, None], cent)
    return torch.clamp(torch.round(cent), 0, 255)


def _diffuse(buf, y, x, dx, e):
    """Floyd-Steinberg step shared by fs_dither and fs_dither_torch (numpy array or tensor buf [N,h,w,C]):
    spreads the error e [N,C] of pixel (y, x), scanned in direction dx, onto its unvisited neighbours."""
    h, w = buf.shape[1], buf.shape[2]
    xn = x + dx
    if 0 <= xn < w:
        buf[:, y, xn, :] += e * (7 / 16)
    if y + 1 < h:
        xb = x - dx
        if 0 <= xb < w:
            buf[:, y + 1, xb, :] += e * (3 / 16)
        buf[:, y + 1, x, :] += e * (5 / 16)
        if 0 <= xn < w:
            buf[:, y + 1, xn, :] += e * (1 / 16)


def fs_dither(codes, palettes):
    """Serpentine Floyd-Steinberg onto per-image palettes.

    codes [N,h,w,C] float 0..255 (numpy), palettes [N,k,C] -> quantised codes [N,h,w,C] (palette entries).
    Vectorised over the batch; the scan itself is serial, as in the codec.
    """
    n, h, w, c = codes.shape
    buf = codes.astype(np.float32).copy()
    out = np.empty_like(buf)
    pal = palettes.astype(np.float32)
    pal_sq = (pal ** 2).sum(-1)                            # [N,k]
    rows = np.arange(n)
    for y in range(h):
        xs = range(w) if y % 2 == 0 else range(w - 1, -1, -1)
        dx = 1 if y % 2 == 0 else -1
        for x in xs:
            v = np.clip(buf[:, y, x, :], 0, 255)           # [N,C]
            dist = pal_sq - 2.0 * np.einsum("nkc,nc->nk", pal, v)
            q = pal[rows, dist.argmin(1)]                  # [N,C]
            out[:, y, x, :] = q
            e = v - q
            _diffuse(buf, y, x, dx, e)
    return out


def fs_dither_torch(codes, palettes, mask=None):
    """fs_dither in torch on any device (GPU: one batched step per latent pixel, no host round trips).

    codes [N,h,w,C] float 0..255, palettes [N,k,C], mask [N,h,w] (optional, 1 = real pixel): masked-out
    pixels (padding of unequal images) pass no error on, so each image dithers exactly as if alone.
    """
    n, h, w, c = codes.shape
    buf = codes.float().clone()
    out = torch.empty_like(buf)
    pal = palettes.float().to(buf.device)
    pal_sq = (pal ** 2).sum(-1)
    m = None if mask is None else mask.to(buf.device).float()[..., None]
    for y in range(h):
        fwd = y % 2 == 0
        dx = 1 if fwd else -1
        for x in (range(w) if fwd else range(w - 1, -1, -1)):
            v = buf[:, y, x, :].clamp(0, 255)
            dist = pal_sq - 2.0 * torch.einsum("nkc,nc->nk", pal, v)
            q = torch.gather(pal, 1, dist.argmin(1)[:, None, None].expand(n, 1, c))[:, 0]
            out[:, y, x, :] = q
            e = v - q
            if m is not None:
                e = e * m[:, y, x]
            _diffuse(buf, y, x, dx, e)
    return out


def palette_roundtrip_masked(z, k, mask, seed=0):
    """palette_roundtrip for a padded batch, entirely in torch on z's device.

    z [N,C,h,w] raw latents of unequal images padded to one shape, mask [N,h,w] (1 = real latent pixel);
    returns dequantised latents of the same shape (padding positions hold junk and must stay masked).
    """
    n, c, h, w = z.shape
    q = quantize8(z.float())
    flat = q.permute(0, 2, 3, 1).reshape(n, h * w, c)
    pal = kmeans_palette(flat, k, seed=seed, weights=mask.reshape(n, h * w))
    d = fs_dither_torch(q.permute(0, 2, 3, 1), pal, mask)
    return dequantize8(d.permute(0, 3, 1, 2).contiguous())


def palette_roundtrip(z, k, seed=0):
    """Raw latents [N,C,h,w] (same shape) -> dequantised latents after 8-bit + k-colour palette + FS."""
    n, c, h, w = z.shape
    q = quantize8(z.float().cpu())
    flat = q.permute(0, 2, 3, 1).reshape(n, h * w, c)
    pal = kmeans_palette(flat, k, seed=seed)
    d = fs_dither(q.permute(0, 2, 3, 1).numpy(), pal.numpy())
    return dequantize8(torch.from_numpy(d).permute(0, 3, 1, 2).contiguous()).to(z.device)


def alphas_cumprod(beta_start=0.00085, beta_end=0.012, steps=1000):
    """scaled_linear schedule, as in diffusers / sdc."""
    betas = torch.linspace(math.sqrt(beta_start), math.sqrt(beta_end), steps, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, dim=0)


def ddim_timesteps(strength, steps, train_steps=1000):
    t0 = round(strength * train_steps)
    return [round(t0 * (steps - k) / steps) for k in range(steps)]


@torch.no_grad()
def ddim_denoise(unet, x, strength, steps, acp, context):
    """docs/MODELS.md 'Denoising': x = dequantised latent · scale; returns the denoised x."""
    return ddim_loop(unet, x, strength, steps, acp, context)


def ddim_loop(unet, x, strength, steps, acp, context):
    """The DDIM loop of ddim_denoise, differentiable (training through it needs the gradients)."""
    ts = ddim_timesteps(strength, steps)
    for k, t in enumerate(ts):
        if t <= 0:
            continue
        a = float(acp[t])
        tn = ts[k + 1] if k + 1 < len(ts) else 0
        a_prev = float(acp[tn]) if tn > 0 else 1.0
        tt = torch.full((x.shape[0],), t, dtype=torch.int64, device=x.device)
        eps = unet(x, tt, context).float()
        x0 = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x
