"""Network definitions of sdc's `base` bundle (docs/MODELS.md contract: 4 latent channels, factor 8).

Same family as tiny_models.py (no normalisation in the autoencoder, pixel (un)shuffle instead of
interpolation, SiLU), but larger and with **replicate padding in every convolution**. Zero padding is why
tiny's borders are worse than its interior: every 3x3 conv sees a black frame around the image, so a flat
patch decodes with a dark/bright rim (scripts/train/border_check.py measures it). With replicate padding a
constant image stays constant up to the 8x8 sub-pixel pattern, at the border exactly as inside
(scripts/tests/test_train_base.py checks this for random weights).

Everything must trace with torch 1.13 (the TorchScript that DJL's libtorch loads): only convolutions,
replication padding, pixel (un)shuffle, GroupNorm and elementwise ops.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import tiny_models
from tiny_models import FACTOR, LATENT_CHANNELS, timestep_embedding  # noqa: F401  (shared contract)

UNET_DOWNS = 2
ALIGNMENT = FACTOR * (1 << UNET_DOWNS)  # 32 px, as tiny


def _compiling():
    compiler = getattr(torch, "compiler", None)  # torch >= 2.3; torch 1.13 (export) has none
    return bool(compiler is not None and compiler.is_compiling())


def edge_pad(x, p):
    """Replicate padding of p px on all four sides, built from edge slices (same values as F.pad 'replicate')."""
    n, c, h, w = x.shape
    x = torch.cat([x[:, :, :1].expand(n, c, p, w), x, x[:, :, -1:].expand(n, c, p, w)], 2)
    return torch.cat([x[..., :1].expand(n, c, h + 2 * p, p), x, x[..., -1:].expand(n, c, h + 2 * p, p)], 3)


class ReplicateConv2d(nn.Conv2d):
    """nn.Conv2d with padding_mode="replicate": the same weights, state-dict keys and TorchScript (traced and
    eager runs use F.pad's native kernel). Only while torch.compile traces it is the padding built from edge
    slices: inductor's decomposition of replication_pad2d gives its backward a channels_last gradient that fails
    a stride assertion (seen with torch 2.13 on the CPU, `--compile 1`; pytorch/pytorch#179442), which would
    end a training session in its first step."""

    def _conv_forward(self, x, weight, bias):
        if self.padding_mode == "replicate" and _compiling():
            p = self.padding[0]
            return F.conv2d(edge_pad(x, p), weight, bias, self.stride, 0, self.dilation, self.groups)
        return super()._conv_forward(x, weight, bias)


def compile_safe(module):
    """Every replicate-padded nn.Conv2d of module becomes a ReplicateConv2d (no state changes: same class layout)."""
    for m in module.modules():
        if type(m) is nn.Conv2d and m.padding_mode == "replicate":
            m.__class__ = ReplicateConv2d
    return module


def conv3(cin, cout, stride=1):
    return ReplicateConv2d(cin, cout, 3, stride=stride, padding=1, padding_mode="replicate")


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = conv3(c, c)
        self.conv2 = conv3(c, c)
        with torch.no_grad():
            self.conv2.weight.mul_(0.1)
            self.conv2.bias.zero_()

    def forward(self, x):
        return x + self.conv2(F.silu(self.conv1(x)))


# Widths are chosen for the CPU budget of issue 14 (encode + decode of 768x512 <= 1.5 s on 2 cores through
# DJL) and the bundle budget (<= 40 MB with two decoders); measured by scripts/train/bench_base.py.
ENC_CFG = dict(c1=48, c2=96, c3=160, n1=1, n2=2, n3=2)
DEC_CFG = dict(c1=48, c2=96, c3=192, n1=1, n2=3, n3=3)
UNET_CFG = dict(c=(32, 64, 96), tdim=128)
# Narrow widths of the same graph for the CPU toy test of the pipeline (scripts/tests/test_train_base.py).
TOY = {"enc": dict(c1=8, c2=16, c3=16, n1=1, n2=1, n3=1), "dec": dict(c1=8, c2=16, c3=16, n1=1, n2=1, n3=1),
       "unet": dict(c=(8, 16, 16), tdim=16), "disc": 8}


class Encoder(nn.Module):
    """[N,3,H,W] in [-1,1] -> raw latent [N,4,H/8,W/8] in (-1,1) (tanh, so the 8-bit range is exact)."""

    def __init__(self, c1=48, c2=96, c3=160, n1=1, n2=2, n3=2):
        super().__init__()
        self.stem = conv3(12, c1)
        self.res1 = nn.Sequential(*[ResBlock(c1) for _ in range(n1)])
        self.down2 = conv3(c1, c2, stride=2)
        self.res2 = nn.Sequential(*[ResBlock(c2) for _ in range(n2)])
        self.down3 = conv3(c2, c3, stride=2)
        self.res3 = nn.Sequential(*[ResBlock(c3) for _ in range(n3)])
        self.head = conv3(c3, LATENT_CHANNELS)

    def forward(self, x):
        h = F.silu(self.stem(F.pixel_unshuffle(x, 2)))
        h = self.res1(h)
        h = self.res2(F.silu(self.down2(h)))
        h = self.res3(F.silu(self.down3(h)))
        return torch.tanh(self.head(h))


class Decoder(nn.Module):
    """Raw latent [N,4,h,w] -> image [N,3,8h,8w] in about [-1,1]. Both looks (faithful, sharp) use it."""

    def __init__(self, c1=64, c2=96, c3=192, n1=2, n2=3, n3=3):
        super().__init__()
        self.stem = conv3(LATENT_CHANNELS, c3)
        self.res3 = nn.Sequential(*[ResBlock(c3) for _ in range(n3)])
        self.up3 = conv3(c3, c2 * 4)
        self.res2 = nn.Sequential(*[ResBlock(c2) for _ in range(n2)])
        self.up2 = conv3(c2, c1 * 4)
        self.res1 = nn.Sequential(*[ResBlock(c1) for _ in range(n1)])
        self.out = conv3(c1, 12)

    def forward(self, z):
        h = self.res3(F.silu(self.stem(z)))
        h = self.res2(F.silu(F.pixel_shuffle(self.up3(h), 2)))
        h = self.res1(F.silu(F.pixel_shuffle(self.up2(h), 2)))
        return F.pixel_shuffle(self.out(h), 2)


class UNet(tiny_models.TinyUNet):
    """Epsilon predictor on latents*scale: tiny's TinyUNet with replicate padding; context adds exactly 0."""

    def __init__(self, c=(32, 64, 96), tdim=128):
        super().__init__(c, tdim, padding_mode="replicate")
        compile_safe(self)


class PatchDiscriminator(nn.Module):
    """PatchGAN critic for the `sharp` look (training only, never exported): 70x70-ish receptive field."""

    def __init__(self, c=64):
        super().__init__()
        sn = nn.utils.spectral_norm
        self.net = nn.Sequential(
            sn(nn.Conv2d(3, c, 4, 2, 1)), nn.LeakyReLU(0.2),
            sn(nn.Conv2d(c, 2 * c, 4, 2, 1)), nn.LeakyReLU(0.2),
            sn(nn.Conv2d(2 * c, 4 * c, 4, 2, 1)), nn.LeakyReLU(0.2),
            sn(nn.Conv2d(4 * c, 4 * c, 3, 1, 1)), nn.LeakyReLU(0.2),
            nn.Conv2d(4 * c, 1, 3, 1, 1))

    def forward(self, x):
        return self.net(x)


def make_encoder(arch="base"):
    return Encoder(**(TOY["enc"] if arch == "toy" else ENC_CFG))


def make_decoder(arch="base"):
    return Decoder(**(TOY["dec"] if arch == "toy" else DEC_CFG))


def make_unet(arch="base"):
    return UNet(**(TOY["unet"] if arch == "toy" else UNET_CFG))


def make_disc(arch="base"):
    return PatchDiscriminator(TOY["disc"] if arch == "toy" else 64)


def param_count(module):
    return sum(p.numel() for p in module.parameters())
