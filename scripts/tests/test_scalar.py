"""Tests for scripts/train/scalar_prior.py and train_scalar.py (issue 10 groundwork).
Run: /usr/bin/python3 -m unittest discover -s scripts/tests"""
import hashlib
import json
import math
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "train"))
sys.path.insert(0, HERE)  # test_train_base.synthetic_images
import scalar_prior as sp  # noqa: E402
import train_scalar as ts  # noqa: E402
import train_common  # noqa: E402

FIXTURE = os.path.join(REPO, "testdata", "scalar")


def laplace_table(m, b, precision=16):
    p = [math.exp(-abs(s - m) / b) for s in range(2 * m + 1)] + [1e-4]
    return sp.Table(-m, sp.quantize_pmf(p, precision), precision)


def brute_force_bits(q, level, thresholds):
    """ScalarLatentCoder.idealBits written as the plain raster loop of docs/SCALAR.md."""
    bits = 0.0
    c_, h_, w_ = q.shape
    for c in range(c_):
        for y in range(h_):
            for x in range(w_):
                m = (abs(int(q[c, y, x - 1])) if x > 0 else 0) + (abs(int(q[c, y - 1, x])) if y > 0 else 0)
                t = level.tables[c][sp.context(m, thresholds)]
                s = t.symbol_of(int(q[c, y, x]))
                bits += t.bits(s)
                if s == t.n:
                    v = int(q[c, y, x])
                    d = t.offset - 1 - v if v < t.offset else v - (t.offset + t.n)
                    bits += 2 + 2 * ((d + 1).bit_length() - 1)
    return bits


class IntegerTablesTest(unittest.TestCase):
    def test_quantized_pmf_is_positive_and_exact(self):
        rng = np.random.default_rng(1)
        for n in (1, 2, 7, 300, 4096):
            for p in (rng.random(n), np.zeros(n), np.r_[1.0, np.zeros(n - 1)], rng.random(n) ** 20):
                f = sp.quantize_pmf(p, 16)
                self.assertEqual(sum(f), 1 << 16)
                self.assertGreaterEqual(min(f), 1)
        self.assertEqual(sp.quantize_pmf([0.5, 0.5], 8), [128, 128])
        with self.assertRaises(ValueError):
            sp.quantize_pmf(np.ones(300), 8)

    def test_context_matches_java_rule(self):
        th = (1, 2, 4)
        self.assertEqual([sp.context(m, th) for m in (0, 1, 2, 3, 4, 99)], [0, 1, 2, 2, 3, 3])
        q = np.random.default_rng(2).integers(-5, 6, size=(2, 6, 7))
        ctx = sp.contexts_of(q, th)
        for c in range(2):
            for y in range(6):
                for x in range(7):
                    m = (abs(q[c, y, x - 1]) if x else 0) + (abs(q[c, y - 1, x]) if y else 0)
                    self.assertEqual(ctx[c, y, x], sp.context(int(m), th))

    def test_ideal_bits_equals_the_raster_definition_with_escapes(self):
        th = (1, 3)
        tables = [[laplace_table(6, 0.5 + k + c) for k in range(3)] for c in range(2)]
        level = sp.Level([0.1, 0.2], 5, tables)
        q = np.random.default_rng(3).laplace(0, 3, size=(2, 9, 11)).round().astype(np.int64)
        q[0, 0, 0], q[1, 4, 4], q[1, 8, 10] = sp.MAX_ABS, -sp.MAX_ABS, 7
        self.assertAlmostEqual(sp.ideal_bits(q, level, th), brute_force_bits(q, level, th), places=6)
        with self.assertRaises(ValueError):
            sp.ideal_bits(np.full((2, 1, 1), sp.MAX_ABS + 1), level, th)

    def test_prior_file_round_trips(self):
        th = (1, 2)
        levels = [sp.Level(steps, t, [[laplace_table(m, 1.0 + k) for k in range(3)] for _ in range(2)])
                  for steps, t, m in (([0.2, 0.6], 7, 4), ([0.1, 0.3], 0, 9))]  # coarse to fine
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "prior.bin")
            with self.assertRaises(AssertionError):  # fine to coarse: the Java reader refuses it
                sp.write_prior(path, levels[::-1], th)
            data = sp.write_prior(path, levels, th)
            back, th2, precision = sp.read_prior(path)
            self.assertEqual((list(th), 16), (th2, precision))
            self.assertEqual([lv.timestep for lv in back], [7, 0])
            self.assertEqual(back[1].tables[1][2].freqs, levels[1].tables[1][2].freqs)
            self.assertEqual(sp.write_prior(path, back, th2), data)

    def test_reference_encoder_carries_and_stays_near_the_ideal_length(self):
        th = (1, 3)
        tables = [[laplace_table(6, 0.3 + k) for k in range(3)]]
        level = sp.Level([0.1], 0, tables)
        for b in (0.05, 1.0, 4.0):
            q = np.random.default_rng(4).laplace(0, b, size=(1, 40, 50)).round().astype(np.int64)
            coded = sp.encode_latent(q, level, th)
            ideal = sp.ideal_bits(q, level, th)
            self.assertEqual(coded[0], 0)
            self.assertLessEqual(8 * len(coded), ideal * 1.002 + 48)
            self.assertGreaterEqual(8 * len(coded), ideal - 8)

    def test_invalid_tables_are_rejected(self):
        with self.assertRaises(ValueError):
            sp.Table(0, [1 << 16], 16)          # no in-range symbol
        with self.assertRaises(ValueError):
            sp.Table(0, [0, 1 << 16], 16)       # zero frequency
        with self.assertRaises(ValueError):
            sp.Table(0, [5, 5], 16)             # wrong total
        with self.assertRaises(ValueError):
            sp.Table(sp.MAX_ABS, [1, 1, (1 << 16) - 2], 16)


class FactorizedPriorTest(unittest.TestCase):
    def test_bins_are_probabilities_and_likelihood_matches_them(self):
        torch.manual_seed(0)
        prior = sp.FactorizedPrior(4)
        pmf, outside = prior.bin_pmf(2, 0.25, -40, 81)
        self.assertTrue((pmf >= 0).all())
        self.assertAlmostEqual(float(pmf.sum()) + outside, 1.0, places=5)
        y = torch.tensor([-1.0, 0.0, 0.25, 1.5]).view(1, 1, 1, 4).repeat(1, 4, 1, 1)
        lk = prior.likelihood(y, torch.full((4,), 0.25))[0, 2, 0].detach()
        idx = torch.tensor([-4, 0, 1, 6]) + 40
        np.testing.assert_allclose(lk.numpy(), pmf[idx.numpy()], rtol=1e-3, atol=1e-7)

    def test_matching_timestep_grows_with_the_step(self):
        import latent_codec as lc
        acp = lc.alphas_cumprod().numpy()
        ts_ = [sp.matching_timestep([s] * 4, 3.0, acp) for s in (0.001, 0.05, 0.2, 0.8)]
        self.assertEqual(ts_, sorted(ts_))
        self.assertEqual(ts_[0], 0)
        self.assertGreater(ts_[-1], 100)


class RdLossTest(unittest.TestCase):
    def test_mixed_proxy_decodes_the_rounded_clamped_latent_with_a_straight_through_gradient(self):
        torch.manual_seed(0)
        enc = torch.nn.Conv2d(3, 4, 8, stride=8)
        seen = []

        def dec(y):
            seen.append(y.detach().clone())
            return torch.nn.functional.interpolate(y[:, :3], scale_factor=8.0)

        prior = sp.FactorizedPrior(4, init_scale=1.0)
        step = torch.tensor([0.5, 0.4, 0.6, 0.7])
        x = torch.rand(2, 3, 16, 16) * 2 - 1
        loss, bpp, mse = ts.rd_loss(enc, dec, prior, step, 0.01, x, proxy="mixed", clamp=(-0.6, 0.6))
        loss.backward()
        y = seen[0]
        q = y / step.view(1, -1, 1, 1)
        inside = y.abs() < 0.6 - 1e-6
        self.assertTrue(torch.allclose(q[inside], torch.round(q[inside]), atol=1e-5))  # multiples of the step
        self.assertLessEqual(float(y.abs().max()), 0.6 + 1e-6)  # clamped like the Java dequantiser
        self.assertIsNotNone(enc.weight.grad)
        self.assertGreater(float(enc.weight.grad.abs().sum()), 0)  # the gradient passes the rounding
        s = step.clone().requires_grad_(True)
        seen.clear()
        _, _, mse = ts.rd_loss(enc, dec, prior, s, 0.01, x, proxy="mixed", clamp=(-0.6, 0.6))
        mse.backward()
        self.assertGreater(float(s.grad.abs().sum()), 0)  # the distortion term reaches the steps (LSQ)
        seen.clear()
        ts.rd_loss(enc, dec, prior, step, 0.01, x, proxy="noise")
        q = seen[0] / step.view(1, -1, 1, 1)
        self.assertFalse(torch.allclose(q, torch.round(q), atol=1e-3))  # noise: not on the grid


class CurveComparisonTest(unittest.TestCase):
    def test_mean_psnr_gain_over_the_common_range(self):
        a = [{"bpp": b, "psnr_no_denoise": p} for b, p in ((0.01, 20), (0.1, 25), (1.0, 30))]
        b = [{"bpp": r["bpp"], "psnr_no_denoise": r["psnr_no_denoise"] + 0.5} for r in a]
        self.assertAlmostEqual(sp.mean_psnr_gain(a, b), 0.5)
        self.assertAlmostEqual(sp.mean_psnr_gain(b, a), -0.5)
        self.assertIsNone(sp.mean_psnr_gain(a[:1] + a[:1], [{"bpp": 5.0, "psnr_no_denoise": 1}] * 2))


class ToyPipelineTest(unittest.TestCase):
    def test_every_stage_runs_on_synthetic_images(self):
        with tempfile.TemporaryDirectory() as d:
            fx = os.path.join(d, "fixture")
            res = ts.main(["--quick", "--iters", "3", "--synthetic", "2", "--work", d, "--stages",
                           "rd,unet,export,fixture", "--fixture-dir", fx, "--lambdas", "0.001", "0.01"])
            out = os.path.join(d, "bundle")
            for f in ("prior.bin", "encoder.pt", "decoder.pt", "unet.pt", "eval.json"):
                self.assertTrue(os.path.isfile(os.path.join(out, f)), f)
            levels, th, precision = sp.read_prior(os.path.join(out, "prior.bin"))
            self.assertEqual((len(levels), th, precision), (2, list(sp.DEFAULT_THRESHOLDS), 16))
            rows = res["export"]["levels"]
            self.assertGreater(rows[0]["bpp"], 0)
            # a complete bundle: manifest with the prior's hash and the scalar section (docs/SCALAR.md)
            with open(os.path.join(out, "bundle.json")) as f:
                manifest = json.load(f)
            self.assertEqual(manifest["name"], "tiny-scalar")
            self.assertEqual(manifest["scalar"], {"prior": "prior.bin", "default_level": 1})
            for name, digest in manifest["files"].items():
                with open(os.path.join(out, name), "rb") as f:
                    self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest, name)
            self.assertEqual(sorted(manifest["files"]),
                             ["context.bin", "decoder.pt", "encoder.pt", "prior.bin", "unet.pt"])
            # the shipped denoise_t is the matching timestep unless denoising lost PSNR, then 0
            for row, level in zip(rows, levels):
                self.assertEqual(level.timestep, row["denoise_timestep"])
                lost = "psnr_denoised" in row and row["psnr_denoised"] <= row["psnr_no_denoise"]
                self.assertEqual(row["denoise_timestep"], 0 if lost else row["matching_timestep"])
            self.assertLess(rows[0]["bpp"], rows[1]["bpp"], "the coarse level costs fewer bits")
            with open(os.path.join(fx, "expected.json")) as f:
                exp = json.load(f)
            flv, fth, _ = sp.read_prior(os.path.join(fx, "prior.bin"))
            q = read_latent(os.path.join(fx, "latent.bin"))
            self.assertAlmostEqual(sp.ideal_bits(q, flv[exp["level"]], fth), exp["ideal_bits"], places=6)
            coded = sp.encode_latent(q, flv[exp["level"]], fth)
            self.assertLessEqual(8 * len(coded), exp["ideal_bits"] * 1.01 + 48)

    @unittest.skipIf(int(torch.__version__.split(".")[0]) < 2,
                     "torch 1.13's CPU autocast lacks CUDA's fp32 list (bf16 GroupNorm fails); run with torch 2 "
                     "(scripts/train/BASE.md: the /opt/wheels venv)")
    def test_gpu_code_path_on_cpu(self):
        """--amp bf16 forced on the CPU, as auto gives on CUDA: both training stages run their networks under
        bf16 autocast while the latent, its rounding and the rate stay float32, and the log says so."""
        with tempfile.TemporaryDirectory() as d:
            ts.main(["--quick", "--iters", "3", "--synthetic", "2", "--work", d, "--stages", "rd,unet",
                     "--lambdas", "0.001", "0.01", "--amp", "bf16"])
            with open(os.path.join(d, "train_scalar.log")) as f:
                text = f.read()
            self.assertIn("images/s (amp bf16)", text)
            self.assertTrue(os.path.isfile(os.path.join(d, "unet_scalar.ckpt")))
        enc, dec, _ = ts.load_bundle_modules(ts.parse_args(["--work", "x"]).bundle)
        prior = sp.FactorizedPrior(4)
        x = torch.rand(1, 3, 64, 64) * 2 - 1
        amp = lambda: train_common.autocast("cpu", "bf16")  # noqa: E731
        _, bpp, mse = ts.rd_loss(enc, dec, prior, torch.full((4,), 0.1), 0.01, x, train=False, amp=amp)
        self.assertEqual((bpp.dtype, mse.dtype), (torch.float32, torch.float32))

    def test_amp_is_bf16_on_cuda_and_off_elsewhere_by_default(self):
        self.assertEqual(train_common.resolve_amp("auto", "cuda"), "bf16")
        self.assertEqual(train_common.resolve_amp("auto", "cuda:1"), "bf16")
        self.assertEqual(train_common.resolve_amp("auto", "cpu"), "off")
        self.assertEqual(train_common.resolve_amp("bf16", "cpu"), "bf16")
        self.assertEqual(ts.parse_args(["--work", "x"]).amp, "off")
        self.assertEqual(ts.parse_args(["--work", "x", "--device", "cuda"]).amp, "bf16")

    def test_a_base_architecture_bundle_fine_tunes_and_exports(self):
        """train_scalar rebuilds a bundle's networks from its `architecture` (bundle_nets): a toy-width `base`
        bundle as train_base.py exports it (replicate padding, a sharp look) goes through every stage; the
        result says the same architecture, drops the look (trained for the old latent space), and its traced
        files load back into base_models networks at toy widths (tiny's classes would not fit them)."""
        import base_models as bm
        import bundle_nets
        import train_base
        torch.manual_seed(3)
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "toy-base")
            enc, dec = bm.make_encoder("toy"), bm.make_decoder("toy")
            train_base.export_bundle(src, enc, dec, bm.make_unet("toy"), 1.3, None, sharp=bm.make_decoder("toy"),
                                     name="toybase", check=((32, 64),), arch="toy")
            self.assertEqual(bundle_nets.architecture(src), "toy")
            work = os.path.join(d, "work")
            res = ts.main(["--quick", "--synthetic", "2", "--bundle", src,
                           "--work", work, "--stages", "rd,unet,export", "--lambdas", "0.001", "0.01"])
            out = os.path.join(work, "bundle")
            manifest = bundle_nets.manifest(out)
            self.assertEqual((manifest["name"], manifest["architecture"]), ("toybase-scalar", "toy"))
            self.assertNotIn("looks", manifest)
            self.assertNotIn("decoder-sharp.pt", manifest["files"])
            self.assertEqual(len(res["export"]["levels"]), 2)
            enc2, dec2, scale, arch = bundle_nets.load_autoencoder(out)
            self.assertEqual((arch, scale), ("toy", 1.3))
            x = torch.rand(1, 3, 64, 96) * 2 - 1
            z = torch.jit.load(os.path.join(out, "encoder.pt"))(x)
            self.assertTrue(torch.allclose(enc2(x), z, atol=1e-5))
            self.assertTrue(any(m.padding_mode == "replicate" for m in dec2.modules()
                                if isinstance(m, torch.nn.Conv2d)))
            bundle_nets.load_unet(out)  # the retrained UNet's weights fit the toy base UNet
            with self.assertRaises(RuntimeError):  # and not tiny's: the field is what picks the classes
                tiny = bundle_nets.make("tiny", "enc")
                tiny.load_state_dict(torch.jit.load(os.path.join(out, "encoder.pt")).state_dict())

    def test_the_device_script_runs_at_toy_scale_and_leaves_what_comes_back(self):
        """scalar_gpu.sh as a device call runs it, on the CPU (DEVICE=cpu) with a toy `base` bundle and packs:
        both step modes, the choice, the UNet, and at most 8 files of at most 16 MiB left under OUT, with the
        chosen mode's weights (rd.ckpt + rd-dec.ckpt + unet_scalar.ckpt) and no weights of the other."""
        import subprocess
        import base_models as bm
        import pack_images
        import train_base
        from test_train_base import synthetic_images
        torch.manual_seed(4)
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")
            synthetic_images(src, 3, seed=7)
            pack = os.path.join(d, "packs", "train.pack")
            pack_images.main(["--src", src, "--out", pack, "--max-mib", "1", "--lossless"])
            bundle = os.path.join(d, "packs", "base-bundle")
            train_base.export_bundle(bundle, bm.make_encoder("toy"), bm.make_decoder("toy"), bm.make_unet("toy"),
                                     1.0, None, name="toybase", check=((32, 64),), arch="toy")
            out = os.path.join(d, "out")
            env = dict(os.environ, BUNDLE=bundle, DEVICE="cpu", PYTHON=sys.executable,
                       SCALAR_ARGS="--batch 2 --crop 64 --max-images 2 --lambdas 0.001 0.01 --log-every 5 --threads 1")
            r = subprocess.run(["bash", os.path.join(REPO, "scripts", "train", "scalar_gpu.sh"), pack, pack, out,
                                "0.01", "0.01"], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            self.assertNotIn("WARNING", r.stderr)
            files = sorted(os.path.relpath(os.path.join(dp, f), out) for dp, _, fs in os.walk(out) for f in fs)
            self.assertLessEqual(len(files), 8, files)
            chosen = [m for m in ("scale", "gain") if f"scalar-{m}/rd.ckpt" in files]
            self.assertEqual(len(chosen), 1, files)
            w = f"scalar-{chosen[0]}"
            for f in ("rd-dec.ckpt", "unet_scalar.ckpt", "train_scalar.log", "bundle/eval.json"):
                self.assertIn(f"{w}/{f}", files)
            with open(os.path.join(out, w, "train_scalar.log")) as f:
                self.assertIn("chosen step mode: " + chosen[0], f.read())
            for f in files:
                self.assertLessEqual(os.path.getsize(os.path.join(out, f)), 16 << 20, f)

    def test_a_pack_reads_as_its_folder(self):
        """A device call carries packs (the photo folders do not fit its 64 MiB); a lossless pack gives the
        same training images as the folder it was made from."""
        import pack_images
        from PIL import Image
        rng = np.random.default_rng(5)
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")
            os.makedirs(src)
            for i, (h, w) in enumerate(((70, 100), (64, 64), (99, 40))):
                Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(os.path.join(src, f"{i}.png"))
            pack = os.path.join(d, "packs", "x.pack")  # a folder that does not exist yet, as in a fresh clone
            pack_images.main(["--src", src, "--out", pack, "--max-mib", "1", "--lossless"])
            args = ts.parse_args(["--work", d, "--max-images", "2"])
            a, b = ts.load_images(args, src), ts.load_images(args, pack)
            self.assertEqual([tuple(x.shape) for x in a], [(3, 64, 96), (3, 64, 64)])
            self.assertEqual(len(a), len(b))
            for x, y in zip(a, b):
                self.assertTrue(torch.equal(x, y))


def read_latent(path):
    with open(path, "rb") as f:
        d = f.read()
    shape = np.frombuffer(d[:12], dtype=">i4")
    return np.frombuffer(d[12:], dtype=">i4").astype(np.int64).reshape(shape)


class CommittedFixtureTest(unittest.TestCase):
    def test_fixture_bits_match_the_python_estimate(self):
        with open(os.path.join(FIXTURE, "expected.json")) as f:
            exp = json.load(f)
        levels, th, _ = sp.read_prior(os.path.join(FIXTURE, "prior.bin"))
        q = read_latent(os.path.join(FIXTURE, "latent.bin"))
        self.assertEqual(list(q.shape), exp["shape"])
        self.assertAlmostEqual(sp.ideal_bits(q, levels[exp["level"]], th), exp["ideal_bits"], places=6)
        self.assertAlmostEqual(brute_force_bits(q, levels[exp["level"]], th), exp["ideal_bits"], places=6)
        with open(os.path.join(FIXTURE, "coded.bin"), "rb") as f:
            self.assertEqual(sp.encode_latent(q, levels[exp["level"]], th), f.read())
        self.assertEqual(exp["coded_bytes"], os.path.getsize(os.path.join(FIXTURE, "coded.bin")))


if __name__ == "__main__":
    unittest.main()
