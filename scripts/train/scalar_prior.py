"""Scalar latent mode (issue 10, docs/SCALAR.md): the learned factorised prior, integer CDF tables, the
`prior.bin` file, and the exact code-length estimate of Java's dev.sdc.bitstream.scalar.ScalarLatentCoder.

Training side (torch): `FactorizedPrior` is Balle et al.'s non-parametric per-channel density (2018,
"Variational image compression with a scale hyperprior", appendix 6.1): a monotone cumulative
c(x) = sigmoid(f_K(...f_1(x))) per channel, so the likelihood of a quantisation bin is an exact difference
of cumulatives. The rate proxy is additive uniform noise of one step.

Coding side (pure integers, no torch needed): the tables decide everything the coder does, so Java and
Python agree bit for bit on the ideal code length `ideal_bits`; the float prior is used only when the
tables are built, at export time, never when coding.
"""
import math
import struct
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MAGIC = b"SDCP"
VERSION = 1
MAX_ABS = (1 << 20) - 1       # ScalarLatentCoder.MAX_ABS
MAX_SYMBOLS = 4095            # CdfTable.MAX_SYMBOLS
MAX_CONTEXTS = 16
MAX_LEVELS = 64
MIN_STEP, MAX_STEP = 1.0 / 4096, 16.0
MAX_TIMESTEP = 4095
DEFAULT_THRESHOLDS = (1, 2, 3, 5, 8, 13)   # |left| + |top| boundaries: 7 contexts


# ---------------------------------------------------------------- learned prior (float, training only)
class FactorizedPrior(nn.Module):
    """Per-channel non-parametric density on raw latent values (Balle 2018, filters (3, 3, 3))."""

    def __init__(self, channels=4, filters=(3, 3, 3), init_scale=1.0):
        super().__init__()
        dims = (1,) + tuple(filters) + (1,)
        scale = init_scale ** (1.0 / (len(filters) + 1))
        self.matrices = nn.ParameterList()
        self.biases = nn.ParameterList()
        self.factors = nn.ParameterList()
        for i in range(len(filters) + 1):
            init = math.log(math.expm1(1.0 / scale / dims[i + 1]))
            self.matrices.append(nn.Parameter(torch.full((channels, dims[i + 1], dims[i]), init)))
            self.biases.append(nn.Parameter(torch.rand(channels, dims[i + 1], 1) - 0.5))
            if i < len(filters):
                self.factors.append(nn.Parameter(torch.zeros(channels, dims[i + 1], 1)))

    def logits_cdf(self, x):
        """x [C, 1, N] -> logits of the cumulative [C, 1, N] (monotone in x for every channel)."""
        for i, (m, b) in enumerate(zip(self.matrices, self.biases)):
            x = torch.matmul(F.softplus(m), x) + b
            if i < len(self.factors):
                x = x + torch.tanh(self.factors[i]) * torch.tanh(x)
        return x

    def likelihood(self, y, step):
        """P(bin of width step[c] centred at y) for y [B, C, H, W], step [C]; the rate proxy's density."""
        b, c, h, w = y.shape
        v = y.permute(1, 0, 2, 3).reshape(c, 1, -1)
        half = (step / 2).view(c, 1, 1)
        lo, hi = self.logits_cdf(v - half), self.logits_cdf(v + half)
        # the difference of sigmoids on the side where it does not cancel (Balle's sign trick)
        s = -torch.sign(lo + hi).detach()
        p = torch.abs(torch.sigmoid(s * hi) - torch.sigmoid(s * lo))
        return p.clamp_min(1e-9).reshape(c, b, h, w).permute(1, 0, 2, 3)

    @torch.no_grad()
    def bin_pmf(self, channel, step, offset, n):
        """Float64 probabilities of the n integer bins offset ... offset+n-1 of width step, plus the mass
        outside (the escape), for one channel: the starting point of a CDF table."""
        edges = (torch.arange(n + 1, dtype=torch.float64) + offset - 0.5) * step
        x = edges.float().view(1, 1, -1).expand(len(self.matrices[0]), 1, -1).contiguous()
        cdf = torch.sigmoid(self.logits_cdf(x))[channel, 0].double()
        cdf = torch.cummax(cdf, 0).values
        pmf = (cdf[1:] - cdf[:-1]).clamp_min(0).numpy()
        outside = float(cdf[0] + (1 - cdf[-1]))
        return pmf, max(outside, 0.0)


# ---------------------------------------------------------------- integer tables
def quantize_pmf(pmf, precision=16):
    """Integer frequencies >= 1 summing to exactly 2^precision from probabilities (any non-negative
    weights): 1 + the floor of each share of what is left, the remainder to the largest fractions
    (ties to the lower index). Deterministic for given float64 input."""
    p = np.asarray(pmf, dtype=np.float64)
    n = len(p)
    total = 1 << precision
    if n > total:
        raise ValueError("more symbols than the precision can give frequency 1")
    s = p.sum()
    p = p / s if s > 0 else np.full(n, 1.0 / n)
    share = p * (total - n)
    f = np.floor(share).astype(np.int64)
    rest = total - n - int(f.sum())
    order = sorted(range(n), key=lambda i: (-(share[i] - f[i]), i))
    for i in order[:rest]:
        f[i] += 1
    f += 1
    assert int(f.sum()) == total and f.min() >= 1
    return [int(v) for v in f]


class Table:
    """CdfTable: values offset ... offset+n-1 then the escape symbol; freqs sum to 2^precision."""

    def __init__(self, offset, freqs, precision):
        n = len(freqs) - 1
        if not 1 <= n <= MAX_SYMBOLS or min(freqs) < 1 or sum(freqs) != 1 << precision:
            raise ValueError("invalid table")
        if offset < -MAX_ABS or offset + n - 1 > MAX_ABS:
            raise ValueError("table range beyond +-MAX_ABS")
        self.offset, self.freqs, self.precision = int(offset), [int(f) for f in freqs], precision
        self.n = n

    def symbol_of(self, v):
        s = v - self.offset
        return s if 0 <= s < self.n else self.n

    def bits(self, symbol):
        return self.precision - math.log2(self.freqs[symbol])


class Level:
    """One rate level: steps [C] (raw latent units at rate factor 1), denoise timestep, tables[c][k]."""

    def __init__(self, steps, timestep, tables):
        self.steps = [float(np.float32(s)) for s in steps]
        self.timestep = int(timestep)
        self.tables = tables


def context(magnitude, thresholds):
    k = 0
    while k < len(thresholds) and magnitude >= thresholds[k]:
        k += 1
    return k


def escape_bits(table, v):
    d = table.offset - 1 - v if v < table.offset else v - (table.offset + table.n)
    nb = (d + 1).bit_length() - 1
    return 2 + 2 * nb


def contexts_of(q, thresholds):
    """Context index of every position of q [C, H, W] (int numpy), as the Java coder computes it."""
    a = np.abs(q.astype(np.int64))
    m = np.zeros_like(a)
    m[:, :, 1:] += a[:, :, :-1]
    m[:, 1:, :] += a[:, :-1, :]
    return np.searchsorted(np.asarray(thresholds, dtype=np.int64), m, side="right")


def ideal_bits(q, level, thresholds):
    """Exactly ScalarLatentCoder.idealBits: sum of -log2 p of every symbol plus the escape bits."""
    q = np.asarray(q, dtype=np.int64)
    if np.abs(q).max(initial=0) > MAX_ABS:
        raise ValueError("latent value beyond +-MAX_ABS")
    ctx = contexts_of(q, thresholds)
    bits = 0.0
    for c in range(q.shape[0]):
        for k in range(len(thresholds) + 1):
            vals = q[c][ctx[c] == k]
            if vals.size == 0:
                continue
            t = level.tables[c][k]
            sym = vals - t.offset
            inside = (sym >= 0) & (sym < t.n)
            lengths = np.array([t.bits(s) for s in range(t.n + 1)])
            bits += float(lengths[sym[inside]].sum())
            for v in vals[~inside]:
                bits += lengths[t.n] + escape_bits(t, int(v))
    return bits


# ---------------------------------------------------------------- prior.bin
def write_prior(path, levels, thresholds, precision=16):
    """Writes docs/SCALAR.md's prior.bin; returns its bytes."""
    c = len(levels[0].steps)
    k = len(thresholds) + 1
    assert 1 <= c <= 16 and 8 <= precision <= 16 and 1 <= k <= MAX_CONTEXTS and 1 <= len(levels) <= MAX_LEVELS
    assert all(1 <= t <= 0xFFFF for t in thresholds) and list(thresholds) == sorted(set(thresholds))
    # coarse to fine, as the Java reader requires (PriorTables.requireCoarseToFine): rate control spans level 0
    # (coarsest) to the last (finest)
    mean_log = [sum(math.log(struct.unpack(">f", struct.pack(">f", s))[0]) for s in lv.steps) / c for lv in levels]
    assert all(b < a for a, b in zip(mean_log, mean_log[1:])), f"levels must run coarse to fine: {mean_log}"
    out = bytearray(MAGIC)
    out += struct.pack(">BBBB", VERSION, c, precision, k)
    out += b"".join(struct.pack(">H", t) for t in thresholds)
    out += struct.pack(">B", len(levels))
    for lv in levels:
        assert all(MIN_STEP <= s <= MAX_STEP for s in lv.steps) and 0 <= lv.timestep <= MAX_TIMESTEP
        out += b"".join(struct.pack(">f", s) for s in lv.steps)
        out += struct.pack(">H", lv.timestep)
        for ch in range(c):
            assert len(lv.tables[ch]) == k
            for t in lv.tables[ch]:
                assert t.precision == precision
                out += struct.pack(">iH", t.offset, t.n)
                out += b"".join(struct.pack(">H", f) for f in t.freqs)
    out += struct.pack(">I", zlib.crc32(bytes(out)) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(out)
    return bytes(out)


def read_prior(path):
    """(levels, thresholds, precision) from prior.bin (trusted files: asserts, not messages)."""
    with open(path, "rb") as f:
        d = f.read()
    assert d[:4] == MAGIC and struct.unpack(">I", d[-4:])[0] == zlib.crc32(d[:-4]) & 0xFFFFFFFF
    version, c, precision, k = struct.unpack_from(">BBBB", d, 4)
    assert version == VERSION
    pos = 8
    thresholds = list(struct.unpack_from(">%dH" % (k - 1), d, pos))
    pos += 2 * (k - 1)
    (nl,) = struct.unpack_from(">B", d, pos)
    pos += 1
    levels = []
    for _ in range(nl):
        steps = list(struct.unpack_from(">%df" % c, d, pos))
        pos += 4 * c
        (ts,) = struct.unpack_from(">H", d, pos)
        pos += 2
        tables = []
        for _ in range(c):
            row = []
            for _ in range(k):
                off, n = struct.unpack_from(">iH", d, pos)
                pos += 6
                freqs = list(struct.unpack_from(">%dH" % (n + 1), d, pos))
                pos += 2 * (n + 1)
                row.append(Table(off, freqs, precision))
            tables.append(row)
        levels.append(Level(steps, ts, tables))
    assert pos == len(d) - 4
    return levels, thresholds, precision


# ---------------------------------------------------------------- building tables
def quantize_latent(y, steps):
    """Integer latent of a raw latent y [C, H, W] (numpy float) at per-channel steps: round half away
    from zero, the same rule as Java's Math.round for these magnitudes apart from exact .5 ties
    (the Java encoder, not the decoder, decides the integers, so ties never need to agree)."""
    s = np.asarray(steps, dtype=np.float64).reshape(-1, 1, 1)
    q = np.sign(y) * np.floor(np.abs(y / s) + 0.5)
    return np.clip(q, -MAX_ABS, MAX_ABS).astype(np.int64)


def symbol_range(step, max_abs_latent=1.0):
    """Table range -m ... m for a tanh-bounded latent (|y| < max_abs_latent), m <= (MAX_SYMBOLS-1)/2."""
    m = int(math.ceil(max_abs_latent / step)) + 1
    return min(m, (MAX_SYMBOLS - 1) // 2)


def build_level(prior, steps, timestep, latents, thresholds, precision=16, prior_weight=64.0,
                escape_floor=2.0 ** -14):
    """Tables of one level: per (channel, context), the histogram of the training latents' integers in
    that context, smoothed by `prior_weight` pseudo-counts of the learned prior's bin probabilities
    (so a rare context still gets the prior's shape), escape mass >= escape_floor."""
    c = len(steps)
    k = len(thresholds) + 1
    counts = [[None] * k for _ in range(c)]
    ranges = [symbol_range(s) for s in steps]
    for ch in range(c):
        for j in range(k):
            counts[ch][j] = np.zeros(2 * ranges[ch] + 2)
    for y in latents:
        q = quantize_latent(y, steps)
        ctx = contexts_of(q, thresholds)
        for ch in range(c):
            m = ranges[ch]
            sym = q[ch] + m
            sym = np.where((sym >= 0) & (sym <= 2 * m), sym, 2 * m + 1)
            for j in range(k):
                counts[ch][j] += np.bincount(sym[ctx[ch] == j], minlength=2 * m + 2)
    tables = []
    for ch in range(c):
        m = ranges[ch]
        pmf, outside = prior.bin_pmf(ch, steps[ch], -m, 2 * m + 1)
        base = np.append(pmf, outside)
        base = base / base.sum()
        row = []
        for j in range(k):
            p = (counts[ch][j] + prior_weight * base) / (counts[ch][j].sum() + prior_weight)
            p[-1] = max(p[-1], escape_floor)
            row.append(Table(-m, quantize_pmf(p, precision), precision))
        tables.append(row)
    return Level(steps, timestep, tables)


def matching_timestep(steps, scale, alphas_cumprod):
    """The DDIM timestep whose noise-to-signal ratio (1 - a_t) / a_t equals the quantisation noise
    variance in the UNet's scaled units, scale^2 * mean(step^2) / 12 (uniform noise of one step)."""
    var = scale ** 2 * float(np.mean(np.square(steps))) / 12.0
    acp = np.asarray(alphas_cumprod, dtype=np.float64)
    nsr = (1 - acp) / acp
    return int(np.argmin(np.abs(nsr - var)))


# ---------------------------------------------------------------- reference range encoder
class RangeEncoder:
    """docs/SCALAR.md's range encoder in Python, byte for byte FrequencyRangeEncoder (a second
    implementation of the spec: the fixture's bytes must come out of Java identically)."""

    def __init__(self, precision):
        self.precision, self.low, self.range, self.cache, self.cache_size = precision, 0, 0xFFFFFFFF, 0, 1
        self.out = bytearray()

    def encode(self, cum_low, freq):
        r = self.range >> self.precision
        self.low += r * cum_low
        self.range = r * freq
        while self.range < (1 << 24):
            self.range = (self.range << 8) & 0xFFFFFFFF
            self._shift_low()

    def encode_raw(self, value, bits):
        half = 1 << (self.precision - 1)
        for i in range(bits - 1, -1, -1):
            self.encode(((value >> i) & 1) * half, half)

    def _shift_low(self):
        if self.low < 0xFF000000 or self.low >= 1 << 32:
            carry = self.low >> 32
            b = self.cache
            while True:
                self.out.append((b + carry) & 0xFF)
                b = 0xFF
                self.cache_size -= 1
                if self.cache_size == 0:
                    break
            self.cache = (self.low >> 24) & 0xFF
        self.cache_size += 1
        self.low = (self.low & 0x00FFFFFF) << 8

    def finish(self):
        for _ in range(5):
            self._shift_low()
        return bytes(self.out)


def encode_latent(q, level, thresholds, precision=16):
    """ScalarLatentCoder.encode: channel by channel, raster order, context table, escape code."""
    q = np.asarray(q, dtype=np.int64)
    ctx = contexts_of(q, thresholds)
    enc = RangeEncoder(precision)
    cums = {}
    for c in range(q.shape[0]):
        for y in range(q.shape[1]):
            for x in range(q.shape[2]):
                t = level.tables[c][int(ctx[c, y, x])]
                if id(t) not in cums:
                    cums[id(t)] = np.concatenate([[0], np.cumsum(t.freqs)])
                v = int(q[c, y, x])
                s = t.symbol_of(v)
                enc.encode(int(cums[id(t)][s]), t.freqs[s])
                if s == t.n:
                    enc.encode_raw(0 if v < t.offset else 1, 1)
                    d = t.offset - 1 - v if v < t.offset else v - (t.offset + t.n)
                    u = d + 1
                    nb = u.bit_length() - 1
                    for _ in range(nb):
                        enc.encode_raw(1, 1)
                    enc.encode_raw(0, 1)
                    enc.encode_raw(u & ((1 << nb) - 1), nb)
    return enc.finish()


# ---------------------------------------------------------------- comparing RD curves
def mean_psnr_gain(rows_a, rows_b, key="psnr_no_denoise", samples=64):
    """Mean PSNR of curve b minus curve a over their common log-bpp range (piecewise-linear in log bpp;
    a simple BD-PSNR). Rows are eval.json level rows. None when the ranges do not overlap."""
    def curve(rows):
        pts = sorted((math.log(r["bpp"]), r[key]) for r in rows if r["bpp"] > 0)
        return [p[0] for p in pts], [p[1] for p in pts]
    xa, ya = curve(rows_a)
    xb, yb = curve(rows_b)
    lo, hi = max(xa[0], xb[0]), min(xa[-1], xb[-1])
    if hi <= lo:
        return None
    grid = np.linspace(lo, hi, samples)
    return float(np.mean(np.interp(grid, xb, yb) - np.interp(grid, xa, ya)))
