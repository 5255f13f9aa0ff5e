"""Toy end-to-end run of the `base` training pipeline (issue 14) on synthetic images, CPU only.

Every stage runs for a few iterations (ae, decft, unet, sharp, eval, export), then a second run resumes from
the first one's saved weights; plus the architecture's border property and the batched palette codec.
Run: /usr/bin/python3 -m unittest discover -s scripts/tests
"""
import json
import os
import random
import shutil
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(os.path.dirname(HERE), "train")
sys.path.insert(0, TRAIN)
sys.path.insert(0, os.path.dirname(HERE))

try:
    import torch
    from PIL import Image
except ImportError:  # pragma: no cover - CI without torch skips
    torch = None


def synthetic_images(folder, n, seed=0):
    """Smooth gradients + a few rectangles: structure the toy autoencoder can start to learn."""
    rng = np.random.default_rng(seed)
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        h, w = (96, 128) if i % 2 else (128, 96)
        yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
        img = np.stack([np.sin(3 * xx + i) * 0.5 + 0.5, yy, np.cos(2 * yy + xx * i) * 0.5 + 0.5], -1) * 255
        for _ in range(3):
            y, x = rng.integers(0, h - 16), rng.integers(0, w - 16)
            img[y:y + 16, x:x + 16] = rng.integers(0, 255, 3)
        Image.fromarray(img.astype(np.uint8)).save(os.path.join(folder, f"s{i}.png"))


@unittest.skipIf(torch is None, "needs torch and PIL (/usr/bin/python3 with python3-torch)")
class TrainBaseToyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)  # toy nets: one thread is fastest, above all on a busy machine
        cls.tmp = tempfile.TemporaryDirectory()
        t = cls.tmp.name
        synthetic_images(os.path.join(t, "train"), 6)
        synthetic_images(os.path.join(t, "holdout"), 2, seed=1)
        import pack_images
        pack_images.main(["--src", os.path.join(t, "train"), "--out", os.path.join(t, "train.pack"), "--max-mib", "1"])
        pack_images.main(["--src", os.path.join(t, "holdout"), "--out", os.path.join(t, "holdout.pack"),
                          "--max-mib", "1", "--lossless", "--crop", "64"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def toy_args(self, save, init, stages, extra=()):
        t = self.tmp.name
        return ["--train-pack", os.path.join(t, "train.pack"), "--holdout-pack", os.path.join(t, "holdout.pack"),
                "--init", init, "--save", save, "--stages", stages, "--device", "cpu", "--compare", "", "--arch", "toy",
                "--crop", "64", "--batch", "2", "--unet-batch", "2", "--bank-side", "96",
                "--ae-iters", "3", "--decft-iters", "2", "--unet-iters", "2", "--sharp-iters", "3",
                "--disc-warmup", "1", "--log-every", "1", "--grid-strengths", "0.02", "--grid-steps", "1",
                "--check-sizes", "32x64", "--minutes", "5", "--reserve-s", "0", "--compile-after", "1"] + list(extra)

    def test_every_stage_then_resume(self):
        import train_base
        t = self.tmp.name
        s1, s2 = os.path.join(t, "run1"), os.path.join(t, "run2")
        state = train_base.main(self.toy_args(s1, os.path.join(t, "none"), "ae,decft,unet,sharp,eval,export"))
        for f in ("enc.ckpt", "dec.ckpt", "decft.ckpt", "unet.ckpt", "sharp.ckpt", "disc.ckpt", "state.json",
                  "train.log"):
            self.assertTrue(os.path.exists(os.path.join(s1, f)), f)
        self.assertEqual(state["ae"]["iters"], 3)
        self.assertEqual(state["ae"]["version"], 1)
        for k in ("16", "64", "256"):
            self.assertIn(k, state["denoise"])
        table = state["eval"]["table"]
        self.assertIn("autoencoder (float latent)", table)
        self.assertIn("256: sharp (chosen denoise)", table)
        for a in (0.25, 0.5, 0.75, 1.0):
            self.assertIn(f"16: sharp alpha {a} (chosen denoise)", table)
        self.assertIn(state["eval"]["sharp"]["alpha"], (0.25, 0.5, 0.75, 1.0))
        self.assertEqual(state["eval"]["sharp"]["sharp_iters"], state["sharp"]["iters"])
        self.assertIn("flat 64x64: border", table)
        with open(os.path.join(s1, "bundle", "bundle.json")) as f:
            bundle = json.load(f)
        self.assertEqual(bundle["looks"], {"sharp": {"decoder": "decoder-sharp.pt"}})
        self.assertEqual(set(bundle["denoise_palette"]), {"16", "64", "256"})
        self.assertIn("decoder-sharp.pt", bundle["files"])
        self.assertEqual(bundle["latent"]["channels"], 4)
        self.assertEqual(bundle["architecture"], "toy")  # train_scalar.py rebuilds the nets from it
        # second session: decoder stages only, from the first session's weights; the latent space is kept
        state2 = train_base.main(self.toy_args(s2, s1, "decft,sharp"))
        self.assertEqual(state2["ae"]["version"], 1)
        self.assertEqual(state2["decft"]["iters"], 4)
        self.assertEqual(state2["decft"]["sessions"], 2)
        self.assertEqual(state2["sharp"]["iters"], 6)
        # a retrained autoencoder restarts the stages that depend on its latent space
        # the weights store is an overlay: a session's outputs replace those files only (weights.sh put)
        store = os.path.join(t, "store")
        shutil.copytree(s1, store)
        for f in os.listdir(s2):
            shutil.copy(os.path.join(s2, f), store)
        state3 = train_base.main(self.toy_args(os.path.join(t, "run3"), store, "ae,decft"))
        self.assertEqual(state3["ae"]["version"], 2)
        self.assertEqual(state3["decft"]["iters"], 2)
        # a session that carries only what it needs: enc + decft + unet, no dec.ckpt, no disc.ckpt
        part = os.path.join(t, "part")
        os.makedirs(part)
        for f in ("enc.ckpt", "decft.ckpt", "unet.ckpt", "state.json"):
            shutil.copy(os.path.join(s1, f), part)
        state4 = train_base.main(self.toy_args(os.path.join(t, "run4"), part, "sharp,eval"))
        self.assertEqual(state4["sharp"]["iters"], 3)
        self.assertIn("256: sharp (chosen denoise)", state4["eval"]["table"])

    def test_time_budget_stops_training(self):
        import train_base
        t = self.tmp.name
        save = os.path.join(t, "budget")
        state = train_base.main(self.toy_args(save, os.path.join(t, "none"), "ae",
                                              ["--ae-iters", "100000", "--minutes", "0.05"]))
        self.assertGreater(state["ae"]["iters"], 0)
        self.assertLess(state["ae"]["iters"], 100000)
        self.assertTrue(os.path.exists(os.path.join(save, "enc.ckpt")))

    def test_a_stage_skipped_for_time_is_booked_not_fatal(self):
        """A stage that finds no time left (a combined call, a slow start) is logged and skipped; the ones
        after it, and the state, must survive (it was a KeyError that lost the rest of the call)."""
        import train_base
        t = self.tmp.name
        state = train_base.main(self.toy_args(os.path.join(t, "skipped"), os.path.join(t, "none"), "ae,decft",
                                              ["--minutes", "0.00001"]))
        self.assertEqual(state["ae"].get("iters", 0), 0)
        self.assertEqual(state["ae"].get("version", 0), 0, "no step trained: the latent space is unchanged")

    def test_device_masks_match_their_bits(self):
        import train_base
        rng = random.Random(3)
        for n in (1, 5, 62, 63, 130):
            bits = [rng.random() < 0.5 for _ in range(n)]
            m = train_base.device_mask(bits, n, "cpu")
            self.assertEqual(tuple(m.shape), (n, 1, 1, 1))
            self.assertEqual(m.view(-1).tolist(), bits)

    def test_bank_pairs_are_what_the_encoder_gives(self):
        """Every bank sample is a crop of enc(image) with the same crop of that image, never a flipped latent:
        the encoder is not flip-equivariant, and flipped pairs taught decft to blur (session 2, H200). With
        --bank-edge-p 1 every crop touches the image's edges (real border latents)."""
        import argparse
        import base_models as bm
        import train_base
        torch.manual_seed(0)
        enc = bm.make_encoder("toy").eval()
        rng = np.random.default_rng(4)
        images = [torch.from_numpy(rng.integers(0, 256, (3, 64, 80), dtype=np.uint8)) for _ in range(2)]
        for edge_p in (0.3, 1.0):
            args = argparse.Namespace(bank_side=96, crop=32, bank_mirror=1, bank_edge_p=edge_p, seed=7, amp=None,
                                      device="cpu")
            bank = train_base.LatentBank(args, enc, images)
            self.assertEqual(len(bank.images), 4)  # each image and its mirror, encoded as entries of their own
            with torch.no_grad():
                full = [enc(train_base.to_unit(im)[None])[0] for im in bank.images]
            self.assertTrue(torch.equal(bank.images[2], images[0].flip(2)))
            x, zc, _, offs = bank.batch(24, 0.5)
            self.assertEqual(offs.tolist(), [[0, 0]] * 24)  # --bank-margin 0: the loss sees the whole crop
            for i in range(len(x)):
                hits = [(j, ly, lx) for j, z in enumerate(full)
                        for ly in range(z.shape[1] - 3) for lx in range(z.shape[2] - 3)
                        if torch.allclose(z[:, ly:ly + 4, lx:lx + 4], zc[i], atol=1e-5)]
                self.assertTrue(hits, f"sample {i}: its latent is no unflipped crop of an encoded bank image")
                j, ly, lx = hits[0]
                y = train_base.to_unit(bank.images[j][:, ly * 8:ly * 8 + 32, lx * 8:lx * 8 + 32])
                self.assertTrue(torch.equal(x[i], y), f"sample {i}: image crop does not match its latent crop")
                if edge_p == 1.0:
                    self.assertIn(ly, (0, full[j].shape[1] - 4))
                    self.assertIn(lx, (0, full[j].shape[2] - 4))

    def test_bank_margin_leaves_out_only_cut_sides(self):
        """--bank-margin m: the loss region drops m latents at every crop side inside the image (its latents were
        encoded with context the crop cuts off) and keeps sides on the image's edge (real borders)."""
        import argparse
        import base_models as bm
        import train_base
        torch.manual_seed(0)
        enc = bm.make_encoder("toy").eval()
        rng = np.random.default_rng(5)
        images = [torch.from_numpy(rng.integers(0, 256, (3, 64, 96), dtype=np.uint8))]
        args = argparse.Namespace(bank_side=96, crop=32, bank_mirror=0, bank_edge_p=0.5, bank_margin=1, seed=3,
                                  amp=None, device="cpu")
        bank = train_base.LatentBank(args, enc, images)
        self.assertEqual(bank.keep, 16)
        with torch.no_grad():
            full = enc(train_base.to_unit(bank.images[0])[None])[0]
        x, zc, _, offs = bank.batch(64, 0.0)
        seen = set()
        for i in range(len(x)):
            ly, lx = next((ly, lx) for ly in range(full.shape[1] - 3) for lx in range(full.shape[2] - 3)
                          if torch.allclose(full[:, ly:ly + 4, lx:lx + 4], zc[i], atol=1e-5))
            for start, length, got in ((ly, 8, offs[i, 0]), (lx, 12, offs[i, 1])):
                want = 0 if start == 0 else (16 if start + 4 == length else 8)
                self.assertEqual(int(got), want, f"sample {i}: crop at latent {start} of {length}")
                seen.add(want)
        self.assertEqual(seen, {0, 8, 16})  # top/left edge, inside, bottom/right edge all drawn
        r = bank.region(x, offs)
        self.assertEqual(tuple(r.shape), (64, 3, 16, 16))
        for i, (oy, ox) in enumerate(offs.tolist()):
            self.assertTrue(torch.equal(r[i], x[i, :, oy:oy + 16, ox:ox + 16]))
        with self.assertRaises(SystemExit):  # 2 x 2 latents of margin leave nothing of a 4-latent crop
            train_base.LatentBank(argparse.Namespace(**{**vars(args), "bank_margin": 2}), enc, images)

    def test_sharp_look_is_an_interpolation_of_the_two_decoders(self):
        """blend_decoders: alpha 0 is the faithful decoder, 1 the sharp one, between them the parameters'
        weighted mean; the sharp network itself is left as trained."""
        import base_models as bm
        import train_base
        torch.manual_seed(1)
        faithful, sharp = bm.make_decoder("toy").eval(), bm.make_decoder("toy").eval()
        before = {k: v.clone() for k, v in sharp.state_dict().items()}
        z = torch.randn(2, 4, 6, 5)
        with torch.no_grad():
            self.assertTrue(torch.allclose(train_base.blend_decoders(faithful, sharp, 0.0)(z), faithful(z), atol=1e-6))
            self.assertIs(train_base.blend_decoders(faithful, sharp, 1.0), sharp)
            half = train_base.blend_decoders(faithful, sharp, 0.5).state_dict()
        for k, v in half.items():
            if v.is_floating_point():
                self.assertTrue(torch.allclose(v, (faithful.state_dict()[k] + before[k]) / 2, atol=1e-6), k)
        for k, v in sharp.state_dict().items():
            self.assertTrue(torch.equal(v, before[k]), k)

    def test_sharp_alpha_rule(self):
        """The least-off detail ratio among the alphas within the PSNR drop; the least adversarial if none."""
        import train_base
        denoise = {"16": {"strength": 0.0, "steps": 0}, "64": {"strength": 0.02, "steps": 1},
                   "256": {"strength": 0.0, "steps": 0}}
        faithful = {16: "16: faithful (decft)", 64: "64: faithful + denoise 0.02/1", 256: "256: faithful (decft)"}
        table = {faithful[k]: {"psnr": 30.0, "detail": 0.2} for k in (16, 64, 256)}
        for a, drop, det in ((0.25, 0.2, 0.4), (0.5, 0.6, 0.8), (0.75, 0.9, 1.3), (1.0, 1.5, 1.0)):
            for k in (16, 64, 256):
                table[f"{k}: sharp alpha {a} (chosen denoise)"] = {"psnr": 30.0 - drop * (k == 64), "detail": det}
        alphas = [0.25, 0.5, 0.75, 1.0]
        c = train_base.choose_sharp_alpha(table, denoise, True, alphas, 1.0)
        self.assertEqual(c["alpha"], 0.5)  # 1.0 has detail 1 but drops 1.5 dB; 0.75 is 0.3 off, 0.5 is 0.2
        self.assertAlmostEqual(c["psnr_drop_db"], 0.6)
        c = train_base.choose_sharp_alpha(table, denoise, True, alphas, 0.1)
        self.assertEqual(c["alpha"], 0.25)
        self.assertIn("least adversarial", c["why"])

    def test_detail_ratio_is_javas(self):
        """train_base's detail ratio (issue 14's sharp rule, on holdout) gives the numbers of Java's DetailRatio
        on testdata/eval (MetricsTest.EXPECTED_DETAIL, from scripts/eval/expected_metrics.py --detail)."""
        import train_base
        root = os.path.dirname(os.path.dirname(HERE))
        load = lambda n: torch.from_numpy(np.asarray(Image.open(os.path.join(root, "testdata", "eval", n + ".png"))  # noqa: E731
                                                     .convert("RGB")).copy()).permute(2, 0, 1)
        ref = train_base.to_unit(load("ref"))[None]
        for name, want in (("noisy", 3.1346833181), ("blurred", 0.0941345839), ("posterized", 2.1429099134)):
            got = float(train_base.detail_ratio(train_base.to_unit(load(name))[None], ref)[0])
            self.assertAlmostEqual(got, want, places=8, msg=name)
        flat = torch.zeros(2, 3, 32, 32)
        self.assertTrue(torch.isnan(train_base.detail_ratio(flat, flat)).all())

    def test_gpu_code_path_on_cpu(self):
        """The CUDA defaults (bf16 autocast, channels_last, torch.compile where the torch has it) forced on
        the CPU: a dtype or layout error shows up here, not in a device minute. With torch 2.13 this found
        inductor's replicate-padding stride bug (base_models.ReplicateConv2d)."""
        import train_base
        t = self.tmp.name
        # torch 1.13's CPU autocast lacks CUDA's fp32 list (its group_norm fails on bf16 input), so bf16 is
        # tested with torch 2 (the device runs 2.11), channels_last with either
        amp = ["--amp", "bf16"] if int(torch.__version__.split(".")[0]) >= 2 else []
        state = train_base.main(self.toy_args(os.path.join(t, "gpu-path"), os.path.join(t, "none"),
                                              "ae,decft,unet,sharp", amp + ["--channels-last", "1", "--compile", "1"]))
        self.assertEqual(state["ae"]["iters"], 3)
        self.assertEqual(state["sharp"]["iters"], 3)
        self.assertFalse(train_base.COMPILE["broken"], "a compiled step failed and fell back to eager")

    def test_a_compiler_failure_costs_one_retry_not_the_session(self):
        import train_base
        args = train_base.parse_args(["--save", self.tmp.name, "--compile", "ae", "--compile-after", "2"])
        calls = []

        def step(prog):
            calls.append(train_base.COMPILE["on"])
            if train_base.COMPILE["on"]:
                raise AssertionError("expected size 8==8, stride 1==1024 at dim=1")  # as inductor's
            return "ok"

        saved = train_base.HAS_COMPILE, dict(train_base.COMPILE)
        try:
            train_base.HAS_COMPILE = True
            train_base.COMPILE.update(on=False, broken=False)
            results = [train_base.compiled_step(args, "ae", it, step, 0.0) for it in range(4)]
            self.assertEqual(results, ["ok"] * 4)
            self.assertEqual(calls, [False, False, True, False, False])  # 2 eager, 1 failed + retry, eager
            self.assertTrue(train_base.COMPILE["broken"])
            self.assertEqual(train_base.compiled_step(args, "unet", 5, step, 0.0), "ok")  # not a compiled stage
        finally:
            train_base.HAS_COMPILE = saved[0]
            train_base.COMPILE.update(saved[1])


@unittest.skipIf(torch is None, "needs torch")
class BaseArchitectureTest(unittest.TestCase):
    def test_compile_safe_padding_is_replicate_padding(self):
        """The edge-slice padding used under torch.compile gives F.pad's 'replicate' values, so weights
        trained compiled are the weights of the exported (natively padded) networks."""
        import base_models as bm
        import torch.nn.functional as F
        x = torch.randn(2, 3, 5, 7)
        for p in (1, 2):
            self.assertTrue(torch.equal(bm.edge_pad(x, p), F.pad(x, (p, p, p, p), mode="replicate")))
        conv = bm.conv3(3, 4, stride=2)
        ref = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), conv.weight, conv.bias, 2)
        got = F.conv2d(bm.edge_pad(x, 1), conv.weight, conv.bias, 2)
        self.assertLess(float((got - ref).abs().max()), 1e-6)
        self.assertTrue(torch.equal(conv(x), ref))
        for net in (bm.make_encoder("toy"), bm.make_decoder("toy"), bm.make_unet("toy")):
            kinds = {type(m).__name__ for m in net.modules() if isinstance(m, torch.nn.Conv2d) and m.kernel_size == (3, 3)}
            self.assertEqual(kinds, {"ReplicateConv2d"}, type(net).__name__)

    def test_flat_image_gives_an_exactly_flat_latent(self):
        """Replicate padding: a constant image (a 1x1 image padded by edge replication is one) encodes to an
        exactly constant latent, at the border as inside, for any weights. (The decoder's pixel shuffles
        make its output 8x8-periodic, which edge replication does not continue exactly; training and the
        flat-patch rows of the eval stage take care of that part.)"""
        import base_models as bm
        torch.manual_seed(0)
        enc = bm.make_encoder().eval()
        with torch.no_grad():
            for h, w in ((64, 64), (32, 32), (8, 8)):
                z = enc(torch.full((1, 3, h, w), 0.3))
                self.assertLess(float((z - z[:, :, :1, :1]).abs().max()), 1e-5)

    def test_zero_padding_is_the_border_cause(self):
        """The same encoder with zero padding (as tiny) does not keep a flat image flat at the border."""
        import base_models as bm
        torch.manual_seed(0)
        enc = bm.make_encoder().eval()
        for m in enc.modules():
            if isinstance(m, torch.nn.Conv2d):
                m.padding_mode = "zeros"
        with torch.no_grad():
            z = enc(torch.full((1, 3, 64, 64), 0.3))
        self.assertGreater(float((z - z[:, :, 3:4, 3:4]).abs().max()), 1e-3)


@unittest.skipIf(torch is None, "needs torch")
class BatchedPaletteCodecTest(unittest.TestCase):
    def test_masked_torch_dither_matches_numpy_per_image(self):
        import latent_codec as lc
        g = torch.Generator().manual_seed(3)
        codes = torch.randint(0, 256, (2, 5, 7, 4), generator=g).float()
        pal = torch.randint(0, 256, (2, 6, 4), generator=g).float()
        ref = lc.fs_dither(codes.numpy(), pal.numpy())
        got = lc.fs_dither_torch(codes, pal).numpy()
        np.testing.assert_allclose(got, ref, atol=1e-3)
        # image 1 padded into a bigger canvas with a mask dithers exactly as alone
        big = torch.full((1, 8, 9, 4), 77.0)
        big[0, :5, :7] = codes[1]
        mask = torch.zeros(1, 8, 9)
        mask[0, :5, :7] = 1
        got1 = lc.fs_dither_torch(big, pal[1:], mask)[0, :5, :7].numpy()
        np.testing.assert_allclose(got1, ref[1], atol=1e-3)


if __name__ == "__main__":
    unittest.main()
