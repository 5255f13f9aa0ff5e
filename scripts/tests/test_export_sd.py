"""Tests for scripts/export-sd.py. Run: /usr/bin/python3 -m unittest discover -s scripts/tests"""
import argparse
import hashlib
import importlib.util
import itertools
import json
import os
import re
import struct
import tempfile
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
REPO = os.path.dirname(SCRIPTS)
REFERENCE = os.path.join(SCRIPTS, "sd", "sd15_reference.txt")
MINI_BUNDLE = os.path.join(REPO, "testdata", "bundles", "sd-mini")

_spec = importlib.util.spec_from_file_location("export_sd", os.path.join(SCRIPTS, "export-sd.py"))
export_sd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(export_sd)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def expand_braces(pattern):
    parts = re.split(r"(\{[^}]*\})", pattern)
    choices = [p[1:-1].split(",") if p.startswith("{") else [p] for p in parts]
    return ["".join(c) for c in itertools.product(*choices)]


def read_reference():
    shapes, counts, sums = {}, [], []
    with open(REFERENCE, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("#count "):
                _, prefix, n, params = line.split()
                counts.append((prefix, int(n), int(params)))
            elif line.startswith("#sum "):
                _, prefixes, params = line.split()
                sums.append((prefixes.split("+"), int(params)))
            elif line and not line.startswith("#"):
                key, shape = line.split(" ", 1)
                dims = [int(d) for d in shape.strip("[]").split(",")]
                for k in expand_braces(key):
                    shapes[k] = dims
    return shapes, counts, sums


def full_width_shapes():
    """Every tensor of the full-size networks, with checkpoint prefixes, built on the meta device."""
    vae, unet, clip = export_sd.build_modules(device="meta")
    out = {}
    for prefix, mod in ((export_sd.VAE_PREFIX, vae), (export_sd.UNET_PREFIX, unet), (export_sd.CLIP_PREFIX, clip)):
        for k, v in mod.state_dict().items():
            out[prefix + k] = list(v.shape)
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class ReferenceListingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shapes = full_width_shapes()
        cls.ref, cls.counts, cls.sums = read_reference()

    def test_every_published_key_has_the_published_shape(self):
        self.assertGreater(len(self.ref), 300)
        for key, dims in self.ref.items():
            self.assertTrue(key in self.shapes, "missing " + key)
            self.assertEqual(self.shapes[key], dims, key)

    def test_tensor_counts_and_parameter_totals_match(self):
        self.assertEqual(len(self.counts), 3)
        for prefix, n, params in self.counts:
            mine = {k: v for k, v in self.shapes.items() if k.startswith(prefix)}
            self.assertEqual(len(mine), n, prefix)
            self.assertEqual(sum(torch.Size(v).numel() for v in mine.values()), params, prefix)
        self.assertEqual(len(self.shapes), sum(n for _, n, _ in self.counts))  # nothing outside the 3 nets

    def test_decoder_slice_parameter_total(self):
        for prefixes, params in self.sums:
            total = sum(torch.Size(v).numel() for k, v in self.shapes.items() if any(k.startswith(p) for p in prefixes))
            self.assertEqual(total, params, prefixes)


class SafetensorsTest(unittest.TestCase):
    def test_round_trip_f32_f16_bf16(self):
        g = torch.Generator().manual_seed(1)
        tensors = {
            "a.f32": torch.randn(3, 5, generator=g),
            "b.f16": torch.randn(2, 2, 3, generator=g).half(),
            "c.bf16": torch.randn(7, generator=g).bfloat16(),
            "d.ids": torch.arange(77).reshape(1, 77),
            "e.empty": torch.zeros(0, 4),
        }
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.safetensors")
            write_safetensors(path, tensors)
            back = export_sd.read_safetensors(path)
        self.assertEqual(set(back), set(tensors))
        for k, t in tensors.items():
            self.assertEqual(list(back[k].shape), list(t.shape), k)
            if t.is_floating_point():
                self.assertEqual(back[k].dtype, torch.float32, k)
                self.assertTrue(torch.equal(back[k], t.float()), k)
            else:
                self.assertTrue(torch.equal(back[k], t), k)

    def test_truncated_file_is_rejected(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.safetensors")
            write_safetensors(path, {"w": torch.ones(4, 4)})
            with open(path, "r+b") as f:
                f.truncate(os.path.getsize(path) - 8)
            with self.assertRaises(ValueError):
                export_sd.read_safetensors(path)


class LoadCheckpointTest(unittest.TestCase):
    def test_reduced_checkpoint_loads_strictly_through_the_safetensors_path(self):
        torch.manual_seed(0)
        vae, unet, clip = export_sd.build_modules(**export_sd.MINI)
        state = {}
        for prefix, mod in ((export_sd.VAE_PREFIX, vae), (export_sd.UNET_PREFIX, unet), (export_sd.CLIP_PREFIX, clip)):
            for k, v in mod.state_dict().items():
                state[prefix + k] = torch.randn(v.shape).half()
        state[export_sd.CLIP_PREFIX + "embeddings.position_ids"] = torch.arange(77).reshape(1, 77)
        state["model_ema.decay"] = torch.tensor(0.9999)  # other checkpoint entries are ignored
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "mini.safetensors")
            write_safetensors(path, state)
            loaded = export_sd.read_checkpoint(path)
        vae2, unet2, clip2 = export_sd.build_modules(**export_sd.MINI)
        export_sd.load_weights(vae2, unet2, clip2, loaded)
        key = "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight"
        self.assertTrue(torch.equal(unet2.state_dict()[key], state[export_sd.UNET_PREFIX + key].float()))

    def test_ckpt_of_tensors_loads_without_unpickling_objects(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "plain.ckpt")
            torch.save({"state_dict": {"a.weight": torch.ones(2).half()}, "global_step": 3}, path)
            loaded = export_sd.read_checkpoint(path)
        self.assertEqual(list(loaded), ["a.weight"])
        self.assertEqual(loaded["a.weight"].dtype, torch.float32)

    def test_ckpt_that_pickles_objects_is_refused_unless_trusted(self):
        # a Lightning-style checkpoint: the tensors plus a pickled Python object
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "lightning.ckpt")
            torch.save({"state_dict": {"a.weight": torch.ones(2)},
                        "hyper_parameters": argparse.Namespace(lr=1e-4)}, path)
            with self.assertRaises(ValueError) as cm:
                export_sd.read_checkpoint(path)
            self.assertIn("argparse.Namespace", str(cm.exception))
            self.assertIn("--trust-pickle", str(cm.exception))
            self.assertEqual(list(export_sd.read_checkpoint(path, trust_pickle=True)), ["a.weight"])
            with self.assertRaises(SystemExit) as cm:  # the command line: one line, nothing written
                export_sd.main(["--checkpoint", path, "--out", os.path.join(d, "out")])
            message = str(cm.exception.code)
            self.assertTrue(message.startswith("export-sd: error: ") and "\n" not in message, message)
            self.assertFalse(os.path.exists(os.path.join(d, "out")))

    def test_missing_tensor_fails(self):
        vae, unet, clip = export_sd.build_modules(**export_sd.MINI)
        state = {export_sd.VAE_PREFIX + k: v for k, v in vae.state_dict().items()}
        del state[export_sd.VAE_PREFIX + "quant_conv.weight"]
        with self.assertRaises(RuntimeError):
            export_sd.load_weights(vae, None, None, state)


class MiniExportTest(unittest.TestCase):
    def test_random_mini_bundle_exports_and_traced_modules_run_at_other_sizes(self):
        with tempfile.TemporaryDirectory() as d:
            export_sd.main(["--random-weights", "--mini", "--name", "sd-mini", "--out", d])
            manifest = read_json(os.path.join(d, "bundle.json"))
            enc = torch.jit.load(os.path.join(d, "encoder.pt"))
            dec = torch.jit.load(os.path.join(d, "decoder.pt"))
            unet = torch.jit.load(os.path.join(d, "unet.pt"))
            ctx = torch.frombuffer(bytearray(read_bytes(os.path.join(d, "context.bin"))),
                                   dtype=torch.float32).reshape(1, 77, 768)
        self.assertEqual(manifest["latent"]["alignment"], 64)
        self.assertAlmostEqual(manifest["latent"]["quant_max"], 127.5 * 0.18215, places=9)
        self.assertEqual(manifest["context"]["shape"], [1, 77, 768])
        # eager reference with the same seeded weights
        vae, unet_e, clip = export_sd.build_modules(**export_sd.MINI)
        for i, m in enumerate((vae, unet_e, clip)):
            export_sd.randomize(m, i)
            m.eval()
        x = torch.rand(1, 3, 64, 192, generator=torch.Generator().manual_seed(3)) * 2 - 1  # not the trace size
        with torch.no_grad():
            z = enc(x)
            self.assertEqual(tuple(z.shape), (1, 4, 8, 24))
            self.assertTrue(torch.allclose(z, export_sd.EncodeMean(vae)(x), atol=1e-5))
            y = dec(z)
            self.assertEqual(tuple(y.shape), (1, 3, 64, 192))
            self.assertTrue(torch.allclose(y, export_sd.DecodeRaw(vae)(z), atol=1e-5))
            t = torch.tensor([16], dtype=torch.long)
            eps = unet(z * 0.18215, t, ctx)
            self.assertEqual(tuple(eps.shape), (1, 4, 8, 24))
            self.assertTrue(torch.allclose(eps, unet_e(z * 0.18215, t, ctx), atol=1e-5))
            self.assertTrue(torch.allclose(
                ctx, clip(torch.tensor([export_sd.EMPTY_PROMPT_TOKENS])), atol=1e-6))


class CommittedMiniBundleTest(unittest.TestCase):
    def test_hashes_sizes_and_context(self):
        manifest = read_json(os.path.join(MINI_BUNDLE, "bundle.json"))
        self.assertEqual(manifest["name"], "sd-mini")
        total = 0
        for fname, digest in manifest["files"].items():
            data = read_bytes(os.path.join(MINI_BUNDLE, fname))
            total += len(data)
            self.assertEqual(hashlib.sha256(data).hexdigest(), digest, fname)
        self.assertEqual(set(manifest["files"]), {"encoder.pt", "decoder.pt", "unet.pt", "context.bin"})
        self.assertLess(total, 5 * 1024 * 1024)
        self.assertEqual(os.path.getsize(os.path.join(MINI_BUNDLE, "context.bin")), 77 * 768 * 4)


class EmptyPromptTest(unittest.TestCase):
    def test_tokens_are_bos_then_eos_padding(self):
        ids = export_sd.EMPTY_PROMPT_TOKENS
        self.assertEqual(len(ids), 77)
        self.assertEqual(ids[0], 49406)
        self.assertEqual(set(ids[1:]), {49407})


if __name__ == "__main__":
    unittest.main()
