"""Network definitions of sdc's offline `tiny` bundle: a factor-8 autoencoder and a latent UNet denoiser.

Kept free of training code so the exporter and the evaluation load exactly the modules that were trained.
Everything here must trace with torch 1.13 (TorchScript that DJL's libtorch 2.7.1 loads), so: no
interpolate (its traced output size can freeze), only convolutions, pixel (un)shuffle and elementwise ops.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT_CHANNELS = 4
FACTOR = 8
UNET_DOWNS = 2                      # UNet halves the latent twice ...
ALIGNMENT = FACTOR * (1 << UNET_DOWNS)  # ... so image sides must be multiples of 32 px


class ResBlock(nn.Module):
    """Plain residual block without normalisation (cheap on CPU); the last conv starts small."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)
        with torch.no_grad():
            self.conv2.weight.mul_(0.1)
            self.conv2.bias.zero_()

    def forward(self, x):
        return x + self.conv2(F.silu(self.conv1(x)))


class Encoder(nn.Module):
    """[1,3,H,W] in [-1,1] -> raw latent [1,4,H/8,W/8] in (-1,1) (tanh-bounded, so 8-bit range is exact).

    Full resolution is never convolved: pixel-unshuffle to 1/2 first, most channels live at 1/8.
    """

    def __init__(self, c1=32, c2=64, c3=128, n3=2):
        super().__init__()
        self.stem = nn.Conv2d(12, c1, 3, padding=1)
        self.down2 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.res2 = ResBlock(c2)
        self.down3 = nn.Conv2d(c2, c3, 3, stride=2, padding=1)
        self.res3 = nn.Sequential(*[ResBlock(c3) for _ in range(n3)])
        self.head = nn.Conv2d(c3, LATENT_CHANNELS, 3, padding=1)

    def forward(self, x):
        h = F.pixel_unshuffle(x, 2)
        h = F.silu(self.stem(h))
        h = F.silu(self.down2(h))
        h = self.res2(h)
        h = F.silu(self.down3(h))
        h = self.res3(h)
        return torch.tanh(self.head(h))


class Decoder(nn.Module):
    """Raw latent [1,4,h,w] -> image [1,3,8h,8w] in about [-1,1]; upsampling by conv + pixel-shuffle."""

    def __init__(self, c1=32, c2=80, c3=160, n3=3, n2=2, n1=1):
        super().__init__()
        self.stem = nn.Conv2d(LATENT_CHANNELS, c3, 3, padding=1)
        self.res3 = nn.Sequential(*[ResBlock(c3) for _ in range(n3)])
        self.up3 = nn.Conv2d(c3, c2 * 4, 3, padding=1)
        self.res2 = nn.Sequential(*[ResBlock(c2) for _ in range(n2)])
        self.up2 = nn.Conv2d(c2, c1 * 4, 3, padding=1)
        self.res1 = nn.Sequential(*[ResBlock(c1) for _ in range(n1)])
        self.out = nn.Conv2d(c1, 12, 3, padding=1)

    def forward(self, z):
        h = F.silu(self.stem(z))
        h = self.res3(h)
        h = F.silu(F.pixel_shuffle(self.up3(h), 2))
        h = self.res2(h)
        h = F.silu(F.pixel_shuffle(self.up2(h), 2))
        h = self.res1(h)
        return F.pixel_shuffle(self.out(h), 2)


def timestep_embedding(t, dim):
    """Sinusoidal embedding of integer timesteps [N] -> [N, dim] (computed in-graph so it traces)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.to(torch.float32)[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


class TimeResBlock(nn.Module):
    """Residual block with the timestep embedding added between its two 3x3 convolutions; base_models.py
    uses it with padding_mode="replicate"."""

    def __init__(self, cin, cout, tdim, groups=8, padding_mode="zeros"):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, padding_mode=padding_mode)
        self.temb = nn.Linear(tdim, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, padding_mode=padding_mode)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()
        with torch.no_grad():
            self.conv2.weight.mul_(0.1)

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.temb(temb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h


class TinyUNet(nn.Module):
    """Timestep-conditioned epsilon predictor on latents·scale; two down-samplings (alignment 32 px).

    forward(sample [N,4,h,w], timestep [N] int64, context [N,L,D]) -> eps. The context is accepted
    (the bundle contract requires the argument) and contributes exactly zero. base_models.UNet is this
    network with padding_mode="replicate".
    """

    def __init__(self, c=(32, 64, 96), tdim=128, padding_mode="zeros"):
        super().__init__()
        c0, c1, c2 = c
        self.tdim = tdim

        def conv3(cin, cout, stride=1):
            return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, padding_mode=padding_mode)

        def block(cin, cout):
            return TimeResBlock(cin, cout, tdim, padding_mode=padding_mode)

        self.tmlp = nn.Sequential(nn.Linear(128, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.inp = conv3(LATENT_CHANNELS, c0)
        self.d0 = block(c0, c0)
        self.down0 = conv3(c0, c1, stride=2)
        self.d1 = block(c1, c1)
        self.down1 = conv3(c1, c2, stride=2)
        self.m1 = block(c2, c2)
        self.m2 = block(c2, c2)
        self.up1 = conv3(c2, c1 * 4)
        self.u1 = block(c1 * 2, c1)
        self.up0 = conv3(c1, c0 * 4)
        self.u0 = block(c0 * 2, c0)
        self.out_norm = nn.GroupNorm(8, c0)
        self.out = conv3(c0, LATENT_CHANNELS)
        with torch.no_grad():
            self.out.weight.mul_(0.1)

    def forward(self, sample, timestep, context):
        temb = self.tmlp(timestep_embedding(timestep, 128))
        h0 = self.d0(self.inp(sample), temb)
        h1 = self.d1(self.down0(h0), temb)
        h = self.m2(self.m1(self.down1(h1), temb), temb)
        h = self.u1(torch.cat([F.pixel_shuffle(self.up1(h), 2), h1], dim=1), temb)
        h = self.u0(torch.cat([F.pixel_shuffle(self.up0(h), 2), h0], dim=1), temb)
        eps = self.out(F.silu(self.out_norm(h)))
        return eps + 0.0 * context.mean()


def param_count(module):
    return sum(p.numel() for p in module.parameters())
