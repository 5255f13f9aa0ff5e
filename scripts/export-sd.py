#!/usr/bin/python3
"""Export a Stable Diffusion 1.x single-file checkpoint as an sdc bundle (docs/MODELS.md).

Runs with Debian's torch 1.13 only (/usr/bin/python3): the three SD 1.x networks are re-implemented here
in plain torch with the checkpoint's own (CompVis/LDM) parameter names, so `load_state_dict(strict=True)`
on the stripped sub-dicts proves every tensor landed where the original code put it.

    /usr/bin/python3 scripts/export-sd.py --checkpoint v1-5-pruned-emaonly.safetensors --out models/sd15
    /usr/bin/python3 scripts/export-sd.py --random-weights --mini --name sd-mini --out testdata/bundles/sd-mini
    /usr/bin/python3 scripts/export-sd.py --random-weights --vae-only --name sdvae-rand --out /tmp/sdvae

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
import json
import math
import os
import pickle
import struct
import sys

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

_ST_DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2),
              "F64": (torch.float64, 8), "I64": (torch.int64, 8), "I32": (torch.int32, 4)}


def read_safetensors(path):
    """Parse a .safetensors file directly: u64-LE header length, JSON header, raw little-endian tensors.

    Floating tensors come back as float32; integer tensors (position_ids) keep their type."""
    with open(path, "rb") as f:
        raw_len = f.read(8)
        if len(raw_len) != 8:
            raise ValueError("%s: too short for a safetensors file" % path)
        (header_len,) = struct.unpack("<Q", raw_len)
        if header_len > 100 * 1024 * 1024:
            raise ValueError("%s: implausible safetensors header length %d" % (path, header_len))
        header = json.loads(f.read(header_len).decode("utf-8"))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype_name = info["dtype"]
        if dtype_name not in _ST_DTYPES:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, dtype_name))
        dtype, itemsize = _ST_DTYPES[dtype_name]
        start, end = info["data_offsets"]
        shape = list(info["shape"])
        n = 1
        for s in shape:
            n *= s
        if end - start != n * itemsize or end > len(data):
            raise ValueError("%s: tensor %s has inconsistent offsets" % (path, name))
        buf = bytearray(data[start:end])
        t = torch.frombuffer(buf, dtype=dtype) if n else torch.empty(0, dtype=dtype)
        t = t.reshape(shape)
        if t.is_floating_point():
            t = t.to(torch.float32)
        out[name] = t
    return out


def read_checkpoint(path, trust_pickle=False):
    """The checkpoint's tensors by key. A .ckpt is a pickle, and unpickling can run arbitrary code, so it is
    loaded with weights_only=True (tensors, dicts, lists, numbers, strings) unless trust_pickle. Checkpoints
    saved by CompVis's training code may also pickle pytorch_lightning's ModelCheckpoint callback (reported
    for the LDSR checkpoint, flowtyone/ComfyUI-Flowty-LDSR#8); those need trust_pickle (and the pickled
    classes importable) or a .safetensors copy."""
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    try:
        sd = torch.load(path, map_location="cpu", weights_only=not trust_pickle)
    except pickle.UnpicklingError as e:
        # torch names the offending class after "WeightsUnpickler error: " (1.13 and 2.x alike)
        found = [ln.split("WeightsUnpickler error:", 1)[1].strip() for ln in str(e).splitlines()
                 if "WeightsUnpickler error:" in ln]
        detail = found[0] if found else str(e).strip().splitlines()[0]
        raise ValueError("%s holds Python objects besides tensors (%s); unpickling them can run code, so "
                         "export-sd refuses: use a .safetensors file, or pass --trust-pickle if you trust "
                         "where the file came from" % (path, detail)) from None
    except ModuleNotFoundError as e:  # only with trust_pickle: a pickled class whose module is not installed
        raise ValueError("%s pickles a class from a module that is not installed (%s); install it, or use a "
                         ".safetensors file" % (path, e)) from None
    if isinstance(sd, dict) and "state_dict" in sd:
        sd = sd["state_dict"]
    return {k: (v.float() if torch.is_tensor(v) and v.is_floating_point() else v) for k, v in sd.items()}


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

    def forward(self, ids):
        n = ids.shape[1]
        x = self.embeddings.token_embedding(ids) + self.embeddings.position_embedding.weight[:n][None]
        mask = torch.full((n, n), float("-inf")).triu(1)
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


def load_weights(vae, unet, clip, state):
    vae.load_state_dict(strip_prefix(state, VAE_PREFIX, drop=("loss.",)), strict=True)
    if unet is not None:
        unet.load_state_dict(strip_prefix(state, UNET_PREFIX), strict=True)
    if clip is not None:
        sub = strip_prefix(state, CLIP_PREFIX)
        pos = sub.pop("embeddings.position_ids", None)
        if pos is not None and not torch.equal(pos.reshape(-1).round().long(), torch.arange(pos.numel())):
            # A few merged checkpoints carry corrupted (float-rounded) position ids; SD itself would use them.
            print("warning: checkpoint position_ids are not 0..76; using the plain arange", file=sys.stderr)
        clip.load_state_dict(sub, strict=True)


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

def export_bundle(out_dir, vae, unet, clip, *, name, description, example_hw=(128, 192), vae_only=False):
    os.makedirs(out_dir, exist_ok=True)
    for m in (vae, unet, clip):
        if m is not None:
            m.eval()
    h, w = example_hw
    x = torch.zeros(1, 3, h, w)
    sdcbundle.save_script(EncodeMean(vae), (x,), os.path.join(out_dir, "encoder.pt"))
    z = torch.zeros(1, vae.embed_dim, h // 8, w // 8)
    sdcbundle.save_script(DecodeRaw(vae), (z,), os.path.join(out_dir, "decoder.pt"))
    context_shape = None
    if not vae_only:
        with torch.no_grad():
            context = clip(torch.tensor([EMPTY_PROMPT_TOKENS], dtype=torch.long))
        sdcbundle.write_context(context, os.path.join(out_dir, "context.bin"))
        context_shape = list(context.shape)
        t = torch.tensor([40], dtype=torch.long)
        sdcbundle.save_script(unet, (z, t, context), os.path.join(out_dir, "unet.pt"))
    return sdcbundle.write_manifest(
        out_dir, name=name, description=description, pixel_range=(-1.0, 1.0), channels=vae.embed_dim,
        factor=8, alignment=64, scale=SCALE, quant_min=-QUANT_MAX, quant_max=QUANT_MAX,
        schedule=dict(sdcbundle.SD_SCHEDULE), denoise={"strength": 0.04, "steps": 2},
        context_shape=context_shape)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="SD 1.x .safetensors or .ckpt (CompVis/LDM key layout)")
    src.add_argument("--random-weights", action="store_true", help="seeded random weights, no checkpoint")
    p.add_argument("--trust-pickle", action="store_true",
                   help="load a .ckpt with full unpickling (runs any code in it); only for files you trust")
    p.add_argument("--out", required=True, help="bundle folder to write, e.g. models/sd15")
    p.add_argument("--name", default="sd15", help="bundle name ([A-Za-z0-9._-], 1-32 chars)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mini", action="store_true",
                   help="reduced widths (VAE 4, UNet 4 with 4 heads, CLIP 1 layer, <=8 norm groups); random weights only")
    p.add_argument("--vae-channels", type=int, help="VAE base channels (SD: 128)")
    p.add_argument("--unet-channels", type=int, help="UNet model_channels (SD: 320)")
    p.add_argument("--unet-heads", type=int, help="attention heads per UNet transformer (SD: 8)")
    p.add_argument("--clip-layers", type=int, help="CLIP text layers (SD: 12); width stays 768")
    p.add_argument("--norm-groups", type=int, help="GroupNorm groups (SD: 32)")
    p.add_argument("--vae-only", action="store_true", help="write encoder.pt + decoder.pt only (no UNet/context)")
    p.add_argument("--example-size", default="128x192", help="HxW image size used for tracing (multiples of 64)")
    a = p.parse_args(argv)

    cfg = dict(MINI if a.mini else FULL)
    for key, val in (("vae_ch", a.vae_channels), ("unet_ch", a.unet_channels),
                     ("unet_heads", a.unet_heads), ("clip_layers", a.clip_layers),
                     ("groups", a.norm_groups)):
        if val is not None:
            cfg[key] = val
    if a.checkpoint and cfg != FULL:
        p.error("a real checkpoint needs the full SD 1.x widths; --mini and width options are for --random-weights")
    h, w = (int(s) for s in a.example_size.lower().split("x"))
    if h % 64 or w % 64:
        p.error("--example-size sides must be multiples of 64")

    vae, unet, clip = build_modules(vae_only=a.vae_only, **cfg)
    if a.checkpoint:
        try:
            state = read_checkpoint(a.checkpoint, trust_pickle=a.trust_pickle)
        except (OSError, ValueError) as e:
            sys.exit("export-sd: error: %s" % e)
        load_weights(vae, unet, clip, state)
        desc = "Stable Diffusion 1.x exported from %s" % os.path.basename(a.checkpoint)
    else:
        for i, m in enumerate((vae, unet, clip)):
            if m is not None:
                randomize(m, a.seed + i)
        desc = ("RANDOM-WEIGHT SD 1.x-shaped bundle for tests (seed %d, %s); produces noise, not images"
                % (a.seed, ", ".join("%s %d" % kv for kv in sorted(cfg.items()))))
    manifest = export_bundle(a.out, vae, unet, clip, name=a.name, description=desc, example_hw=(h, w),
                             vae_only=a.vae_only)
    print(json.dumps(manifest["files"], indent=2))


if __name__ == "__main__":
    main()
