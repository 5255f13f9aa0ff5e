"""Tests for scripts/export-sd.py. Run: /usr/bin/python3 -m unittest discover -s scripts/tests"""
import argparse
import contextlib
import hashlib
import importlib.util
import io
import itertools
import json
import os
import pickle
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import types
import unittest
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
REPO = os.path.dirname(SCRIPTS)
REFERENCE = os.path.join(SCRIPTS, "sd", "sd15_reference.txt")
MINI_BUNDLE = os.path.join(REPO, "testdata", "bundles", "sd-mini")

_spec = importlib.util.spec_from_file_location("export_sd", os.path.join(SCRIPTS, "export-sd.py"))
export_sd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(export_sd)
sdcbundle = export_sd.sdcbundle


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
        key = "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "mini.safetensors")
            write_safetensors(path, state)
            loaded = export_sd.read_checkpoint(path)
            vae2, unet2, clip2 = export_sd.build_modules(**export_sd.MINI)
            export_sd.load_weights(vae2, unet2, clip2, loaded)
            self.assertTrue(torch.equal(unet2.state_dict()[key], state[export_sd.UNET_PREFIX + key].float()))
            # the command line, with the CLIP keys spelt without `text_model.` (remapped)
            short = {k.replace("transformer.text_model.", "transformer."): v for k, v in state.items()}
            write_safetensors(path, short)
            out = os.path.join(d, "out")
            code, err = run_main(["--checkpoint", path, "--mini", "--name", "m", "--out", out])
            self.assertEqual(code, 0, err)
            unet_pt = torch.jit.load(os.path.join(out, "unet.pt"))
            self.assertTrue(torch.equal(unet_pt.state_dict()[key], state[export_sd.UNET_PREFIX + key].float()))
            ctx = torch.frombuffer(bytearray(read_bytes(os.path.join(out, "context.bin"))), dtype=torch.float32)
            self.assertTrue(torch.equal(ctx.reshape(1, 77, 768), export_sd.empty_prompt_context(clip2)))
            self.assertIn(sha256(path), read_bytes(os.path.join(out, "MODEL_CARD.md")).decode())

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
        state[export_sd.VAE_PREFIX + "encoder.extra.weight"] = torch.ones(1)
        with self.assertRaises(export_sd.CheckpointError) as cm:
            export_sd.load_weights(vae, None, None, state)
        message = str(cm.exception)
        self.assertNotIn("\n", message)
        self.assertIn("1 tensor missing (first_stage_model.quant_conv.weight)", message)
        self.assertIn("1 tensor unexpected (first_stage_model.encoder.extra.weight)", message)

    def test_ema_weights_are_taken_with_ema(self):
        vae, unet, clip = export_sd.build_modules(**export_sd.MINI)
        state = {}
        for prefix, mod in ((export_sd.VAE_PREFIX, vae), (export_sd.UNET_PREFIX, unet), (export_sd.CLIP_PREFIX, clip)):
            for k, v in mod.state_dict().items():
                state[prefix + k] = torch.zeros(v.shape)
        key = "out.2.weight"
        ema = export_sd.ema_key(export_sd.UNET_PREFIX + key)
        self.assertEqual(ema, "model_ema.diffusion_modelout2weight")  # LitEma's naming: dots dropped
        for k in list(state):
            if k.startswith(export_sd.UNET_PREFIX):
                state[export_sd.ema_key(k)] = torch.ones(state[k].shape)
        export_sd.load_weights(vae, unet, clip, state)
        self.assertEqual(float(unet.state_dict()[key].abs().sum()), 0.0)  # default: model.diffusion_model.*
        export_sd.load_weights(vae, unet, clip, state, ema=True)
        self.assertTrue(bool((unet.state_dict()[key] == 1).all()))


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
            # computed in float64 and rounded once (machine-independent); a float32 forward is within ~1e-5
            self.assertTrue(torch.allclose(
                ctx, clip(torch.tensor([export_sd.EMPTY_PROMPT_TOKENS])), atol=1e-4))
            self.assertTrue(torch.equal(ctx, export_sd.empty_prompt_context(clip)))
            self.assertTrue(torch.equal(
                ctx, clip.double()(torch.tensor([export_sd.EMPTY_PROMPT_TOKENS])).float()))


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

def sha256(path):
    return hashlib.sha256(read_bytes(path)).hexdigest()


def run_main(args):
    """export_sd.main(args) -> (exit code or message, stderr text)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            export_sd.main(args)
        except SystemExit as e:
            return e.code, err.getvalue()
    return 0, err.getvalue()


def mini_state(vae_only=False, dtype=torch.float16, seed=0):
    """A checkpoint-style state dict of the MINI networks with seeded random values."""
    g = torch.Generator().manual_seed(seed)
    mods = export_sd.build_modules(vae_only=vae_only, **export_sd.MINI)
    state = {}
    for prefix, mod in zip((export_sd.VAE_PREFIX, export_sd.UNET_PREFIX, export_sd.CLIP_PREFIX), mods):
        if mod is not None:
            for k, v in mod.state_dict().items():
                state[prefix + k] = (torch.randn(v.shape, generator=g) * 0.1).to(dtype)
    return state


class OneLineErrorMixin:
    def assertOneLineError(self, args, *needles, code_is_usage=False):
        """main(args) exits with one 'export-sd: error: ...' line (exit 1) or a usage error (exit 2), writes
        no --out, and the message holds each needle."""
        out = args[args.index("--out") + 1]
        existed = os.path.exists(out)
        code, err = run_main(args)
        if code_is_usage:
            self.assertEqual(code, 2, err)
            message = err.strip().splitlines()[-1]
        else:
            self.assertIsInstance(code, str, err)
            message = code
        self.assertTrue(message.startswith("export-sd: error: "), message)
        self.assertNotIn("\n", message)
        self.assertNotIn("Traceback", err)
        for n in needles:
            self.assertIn(n, message)
        if not existed:
            self.assertFalse(os.path.exists(out), "wrote " + out)
        return message


class ReproducibleExportTest(unittest.TestCase):
    def test_two_checkouts_give_identical_bundles(self):
        """The same export from two copies of scripts/ (other paths, an edited line) is byte-identical."""
        with tempfile.TemporaryDirectory() as d:
            hashes = []
            for i, where in enumerate(("a", os.path.join("b", "deeper", "checkout"))):
                root = os.path.join(d, where)
                shutil.copytree(SCRIPTS, os.path.join(root, "scripts"),
                                ignore=shutil.ignore_patterns("__pycache__", "tests"))
                script = os.path.join(root, "scripts", "export-sd.py")
                if i:  # shift every line number of the traced code
                    text = read_bytes(script).decode("utf-8")
                    with open(script, "w", encoding="utf-8") as f:
                        f.write(text.replace("import argparse\n", "import argparse\n\n# an edit\n\n", 1))
                out = os.path.join(d, "out%d" % i)
                subprocess.run(["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable,
                                script, "--random-weights", "--mini", "--name", "sd-mini", "--out", out],
                               check=True, stdout=subprocess.DEVNULL, cwd=root)
                hashes.append({f: sha256(os.path.join(out, f)) for f in sorted(os.listdir(out))})
            self.assertEqual(set(hashes[0]), {"bundle.json", "encoder.pt", "decoder.pt", "unet.pt", "context.bin",
                                              "MODEL_CARD.md"})
            self.assertEqual(hashes[0], hashes[1])
            for f in ("encoder.pt", "decoder.pt", "unet.pt"):
                with zipfile.ZipFile(os.path.join(d, "out0", f)) as z:
                    names = z.namelist()
                    self.assertFalse([n for n in names if n.endswith(".debug_pkl")], f)
                    self.assertEqual({i.date_time for i in z.infolist()}, {(1980, 1, 1, 0, 0, 0)})
                    self.assertEqual({i.compress_type for i in z.infolist()}, {zipfile.ZIP_STORED})
                self.assertNotIn(d.encode(), read_bytes(os.path.join(d, "out0", f)), f)
            self.assertNotIn(d.encode(), read_bytes(os.path.join(d, "out0", "bundle.json")))

    def test_saved_archive_loads_and_keeps_64_byte_alignment(self):
        m = torch.nn.Conv2d(3, 4, 3)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "net.pt")
            sdcbundle.save_script(m, (torch.zeros(1, 3, 8, 8),), path)
            data = read_bytes(path)
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
                    self.assertEqual((info.header_offset + 30 + name_len + extra_len) % 64, 0, info.filename)
                self.assertTrue(any(n.endswith("/data.pkl") for n in z.namelist()))
            back = torch.jit.load(path)
            x = torch.rand(1, 3, 9, 7)
            with torch.no_grad():
                self.assertTrue(torch.equal(back(x), m(x)))
            self.assertEqual(os.listdir(d), ["net.pt"])  # no temporary left


class ArchitectureTest(OneLineErrorMixin, unittest.TestCase):
    """Checkpoints of another kind are refused in one line saying what they look like, from the
    safetensors header alone (tiny tensors with the telling names and shapes)."""

    def check(self, tensors, *needles, extra=()):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.safetensors")
            write_safetensors(path, tensors)
            return self.assertOneLineError(["--checkpoint", path, "--out", os.path.join(d, "out")] + list(extra),
                                           path + ": ", *needles)

    def test_sd2_sdxl_inpainting_bare_vae_lora_and_diffusers(self):
        one = torch.zeros(1)
        vae = {"first_stage_model.encoder.conv_in.weight": one}
        self.check(dict(vae, **{"cond_stage_model.model.token_embedding.weight": one}),
                   "SD 2.x", "cond_stage_model.model.*", "1024-wide", "only SD 1.x")
        self.check(dict(vae, **{"model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight":
                                torch.zeros(2, 1024)}), "SD 2.x UNet (1024-wide text context)")
        self.check(dict(vae, **{"conditioner.embedders.0.transformer.x": one}), "SDXL", "conditioner.*")
        self.check(dict(vae, **{"model.diffusion_model.label_emb.0.0.weight": one}), "SDXL", "label_emb")
        self.check(dict(vae, **{"model.diffusion_model.input_blocks.0.0.weight": torch.zeros(1, 9, 1, 1)}),
                   "inpainting UNet (9 input channels)", "--vae-only")
        self.check({"encoder.conv_in.weight": one, "decoder.conv_in.weight": one}, "a bare VAE")
        self.check({"lora_unet_down_blocks_0.alpha": one}, "a LoRA")
        self.check({"down_blocks.0.resnets.0.conv1.weight": one}, "diffusers", "single-file checkpoint")
        self.check({"weight": one}, "no Stable Diffusion keys")
        self.check({}, "holds no tensors")

    def test_vae_only_refuses_sdxl_but_takes_sd2s_vae_layout_check(self):
        one = torch.zeros(1)
        self.check({"first_stage_model.encoder.conv_in.weight": one, "conditioner.embedders.0.x": one},
                   "SDXL", "0.13025", extra=["--vae-only"])
        # an SD 2.x file passes the architecture test with --vae-only (its VAE is SD 1.x's); this one then
        # fails the key-by-key check, as it holds a single VAE tensor
        self.check({"first_stage_model.encoder.conv_in.weight": one, "cond_stage_model.model.x": one},
                   "does not match the SD 1.x layout", "with another shape", extra=["--vae-only"])

    def test_missing_and_unexpected_keys_are_counted_with_the_first_few(self):
        state = {k: torch.zeros(1) for k in
                 ("first_stage_model.encoder.conv_in.weight", "model.diffusion_model.bogus.weight",
                  "model.diffusion_model.bogus2.weight", "cond_stage_model.transformer.text_model.foo",
                  "model_ema.decay", "first_stage_model.loss.logvar")}  # the last two are ignored
        message = self.check(state, "does not match the SD 1.x layout", "missing (", "3 tensors unexpected (")
        n_expected = len(export_sd.expected_shapes(*export_sd.build_modules(device="meta")))
        self.assertIn("%d tensors missing" % (n_expected - 1), message)
        self.assertIn("1 tensor with another shape (e.g. first_stage_model.encoder.conv_in.weight is [1], "
                      "SD 1.x has [128,3,3,3])", message)
        self.assertLess(len(message), 1000)

    def test_ema_needs_ema_weights(self):
        self.check({"first_stage_model.encoder.conv_in.weight": torch.zeros(1)}, "--ema", "no EMA weights",
                   extra=["--ema"])


class ClipKeyTest(unittest.TestCase):
    def test_clip_keys_without_text_model_are_remapped(self):
        short = {"cond_stage_model.transformer.embeddings.token_embedding.weight": torch.ones(2),
                 "cond_stage_model.transformer.encoder.layers.0.mlp.fc1.bias": torch.ones(2),
                 "cond_stage_model.transformer.final_layer_norm.weight": torch.ones(2),
                 "first_stage_model.quant_conv.bias": torch.ones(2)}
        want = {"cond_stage_model.transformer.text_model.embeddings.token_embedding.weight",
                "cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.bias",
                "cond_stage_model.transformer.text_model.final_layer_norm.weight",
                "first_stage_model.quant_conv.bias"}
        with tempfile.TemporaryDirectory() as d:
            st = os.path.join(d, "short.safetensors")
            write_safetensors(st, short)
            ck = os.path.join(d, "short.ckpt")
            torch.save({"state_dict": short}, ck)
            self.assertEqual(set(export_sd.read_checkpoint(st)), want)
            self.assertEqual(set(export_sd.read_checkpoint(ck)), want)
            both = dict(short, **{"cond_stage_model.transformer.text_model.final_layer_norm.weight": torch.ones(2)})
            write_safetensors(st, both)
            with self.assertRaises(export_sd.CheckpointError) as cm:
                export_sd.read_checkpoint(st)
            self.assertIn("holds both", str(cm.exception))


class ArgumentTest(OneLineErrorMixin, unittest.TestCase):
    """Options are checked before any checkpoint is opened (the checkpoint named here does not exist)."""

    def usage(self, extra, *needles):
        with tempfile.TemporaryDirectory() as d:
            args = ["--checkpoint", os.path.join(d, "missing.safetensors"), "--out", os.path.join(d, "out")]
            return self.assertOneLineError(args + extra, *needles, code_is_usage=True)

    def test_name_follows_the_java_rule(self):
        for bad in ("", "a" * 33, "sd 15", "sd/15", "sd15\n", "sé", "name$"):
            self.usage(["--name", bad], "--name")
        with tempfile.TemporaryDirectory() as d:  # a good name gets as far as the missing checkpoint
            code, _ = run_main(["--checkpoint", os.path.join(d, "x.ckpt"), "--out", os.path.join(d, "o"),
                                "--name", "A-z_0.9" + "x" * 25])
            self.assertIn("no such file", code)

    def test_example_size_is_checked_up_front(self):
        for bad in ("abc", "0x0", "-64x64", "64x64x64", "100x64", "64x", "x64", "64*64"):
            self.usage(["--example-size", bad], "--example-size")

    def test_widths_must_be_positive(self):
        self.usage(["--vae-channels", "0"], "--vae-channels")
        self.usage(["--unet-heads", "-1"], "--unet-heads")
        self.usage(["--mini", "--unet-heads", "3"], "must divide")


class CkptSniffTest(OneLineErrorMixin, unittest.TestCase):
    """A file's format comes from its first bytes, not its name; broken files get one line each."""

    def refuse(self, name, data, *needles):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, name)
            if callable(data):
                data(path)
            else:
                with open(path, "wb") as f:
                    f.write(data)
            for trust in ([], ["--trust-pickle"]):
                self.assertOneLineError(["--checkpoint", path, "--out", os.path.join(d, "out")] + trust,
                                        path + ": ", *needles)

    def test_files_that_are_not_checkpoints(self):
        png = read_bytes(os.path.join(REPO, "testdata", "images", "shapes-200x120.png"))
        self.refuse("x.ckpt", png, "not a checkpoint", "PNG")
        self.refuse("r.ckpt", bytes(range(7, 255)) * 10, "not a checkpoint")
        self.refuse("e.ckpt", b"", "empty file")
        self.refuse("s.ckpt", b"abc", "too short")
        self.refuse("p.ckpt", pickle.dumps({"a": 1}, protocol=4), "a Python pickle, not a torch checkpoint")
        self.refuse("h.ckpt", b"<!DOCTYPE html><html>login</html>", "not a checkpoint", "HTML")
        self.refuse("l.ckpt", b"version https://git-lfs.github.com/spec/v1\noid sha256:00\n", "Git LFS")
        self.refuse("str.ckpt", lambda p: torch.save("just a string", p), "holds a pickled str")
        self.refuse("list.ckpt", lambda p: torch.save([torch.ones(1)], p), "holds a pickled list")
        self.refuse("bundle.ckpt", read_bytes(os.path.join(MINI_BUNDLE, "encoder.pt")), "a TorchScript archive")
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "sd15"))
            with open(os.path.join(d, "sd15", "model_index.json"), "w") as f:
                f.write("{}")
            self.assertOneLineError(["--checkpoint", os.path.join(d, "sd15"), "--out", os.path.join(d, "out")],
                                    "diffusers folders are not supported; use the single-file checkpoint")

    def test_truncated_downloads(self):
        def truncated(save, keep):
            def make(path):
                save(path)
                data = read_bytes(path)
                with open(path, "wb") as f:
                    f.write(data[:keep(len(data))])
            return make
        zip_ckpt = lambda p: torch.save({"state_dict": {"w": torch.ones(256)}}, p)  # noqa: E731
        legacy = lambda p: torch.save({"state_dict": {"w": torch.ones(256)}}, p,  # noqa: E731
                                      _use_new_zipfile_serialization=False)
        self.refuse("z.ckpt", truncated(zip_ckpt, lambda n: n // 2), "truncated (a broken download?)")
        self.refuse("z2.ckpt", truncated(zip_ckpt, lambda n: n - 10), "truncated (a broken download?)")
        self.refuse("g.ckpt", truncated(legacy, lambda n: n - 20), "truncated")
        self.refuse("g2.ckpt", truncated(legacy, lambda n: 40), "truncated")

    def test_safetensors_by_content_whatever_the_name(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("model.ckpt", "MODEL.SAFETENSORS", "model"):
                path = os.path.join(d, name)
                write_safetensors(path, {"a.weight": torch.ones(3).half()})
                back = export_sd.read_checkpoint(path)
                self.assertEqual(list(back), ["a.weight"])
                self.assertEqual(back["a.weight"].dtype, torch.float32)
            path = os.path.join(d, "zip.safetensors")  # and a torch zip named .safetensors
            torch.save({"state_dict": {"b": torch.ones(2)}}, path)
            self.assertEqual(list(export_sd.read_checkpoint(path)), ["b"])

    def test_lightning_model_checkpoint_class_is_stubbed(self):
        """SD 1.4's sd-v1-4.ckpt pickles Lightning's ModelCheckpoint class as a dict key: read without
        Lightning and without --trust-pickle, by a stand-in that runs nothing; other classes stay refused."""
        names = ["pytorch_lightning", "pytorch_lightning.callbacks", "pytorch_lightning.callbacks.model_checkpoint"]
        saved = {n: sys.modules.get(n) for n in names}
        fake = types.ModuleType(names[-1])

        class ModelCheckpoint:
            pass
        ModelCheckpoint.__module__ = names[-1]
        ModelCheckpoint.__qualname__ = "ModelCheckpoint"
        fake.ModelCheckpoint = ModelCheckpoint
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sd-v1-4.ckpt")
            try:
                for n in names:
                    sys.modules[n] = types.ModuleType(n)
                sys.modules[names[-1]] = fake
                torch.save({"state_dict": {"a.weight": torch.ones(2)}, "global_step": 470000,
                            "callbacks": {ModelCheckpoint: {"best_model_score": torch.tensor(0.1),
                                                            "best_model_path": "x.ckpt"}}}, path)
            finally:
                for n, m in saved.items():
                    if m is None:
                        sys.modules.pop(n, None)
                    else:
                        sys.modules[n] = m
            self.assertNotIn(names[-1], sys.modules)
            self.assertEqual(list(export_sd.read_checkpoint(path)), ["a.weight"])
            import torch._weights_only_unpickler as wou
            self.assertNotIn(export_sd._MODEL_CHECKPOINT, wou._get_allowed_globals())  # restored


class SafetensorsHeaderTest(unittest.TestCase):
    """Each malformed header is one CheckpointError line naming the file."""

    def refuse(self, raw, *needles):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.safetensors")
            with open(path, "wb") as f:
                f.write(raw)
            with self.assertRaises(export_sd.CheckpointError) as cm:
                export_sd.read_safetensors(path)
            message = str(cm.exception)
            self.assertTrue(message.startswith(path + ": "), message)
            self.assertNotIn("\n", message)
            for n in needles:
                self.assertIn(n, message)

    @staticmethod
    def file(header, data=b"", raw_header=None):
        h = raw_header if raw_header is not None else json.dumps(header).encode()
        return struct.pack("<Q", len(h)) + h + data

    def test_malformed_headers(self):
        t = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
        self.refuse(self.file({"w": t})[:20], "truncated", "header needs")
        self.refuse(self.file(None, raw_header=b'{"w": "\xff\xfe"}'), "not valid UTF-8")
        self.refuse(self.file(None, raw_header=b'{"w": '), "not valid JSON")
        self.refuse(self.file([1, 2]), "a JSON list, not an object")
        self.refuse(self.file({"w": {"shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8), "w has no dtype")
        self.refuse(self.file({"w": dict(t, dtype="F99")}, b"\0" * 8), "unknown dtype")
        self.refuse(self.file({"w": dict(t, data_offsets=[-8, 0])}, b"\0" * 8), "invalid data_offsets")
        self.refuse(self.file({"w": dict(t, shape=[-2])}, b"\0" * 8), "invalid shape")
        self.refuse(self.file({"w": dict(t, data_offsets=[0, 4])}, b"\0" * 8), "needs 8")
        self.refuse(self.file({"a": t, "b": dict(t, data_offsets=[4, 12])}, b"\0" * 12), "overlaps")
        self.refuse(self.file({"a": t, "b": dict(t, data_offsets=[12, 20])}, b"\0" * 20), "gap of 4 bytes")
        self.refuse(self.file({"w": t}, b"\0" * 5), "truncated: needs %d bytes, has %d"
                    % (8 + len(json.dumps({"w": t})) + 8, 8 + len(json.dumps({"w": t})) + 5))
        self.refuse(self.file({"w": t}, b"\0" * 12), "4 bytes after the last tensor")
        self.refuse(self.file(None, raw_header=b'{"w": %s, "w": %s}' % ((json.dumps(t).encode(),) * 2),
                              data=b"\0" * 8), "names tensor w twice")
        self.refuse(struct.pack("<Q", 1 << 40) + b"{}", "implausible")
        self.refuse(b"\0" * 5, "needs at least 8 bytes")

    def test_only_kept_tensors_are_returned_and_the_whole_file_is_hashed(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.safetensors")
            write_safetensors(path, {"model.diffusion_model.a": torch.ones(3), "model_ema.b": torch.ones(1000),
                                     "first_stage_model.c": torch.arange(4).half()})
            f = export_sd.SafetensorsFile(path)
            back = f.read(keep=lambda k: not k.startswith("model_ema."))
            self.assertEqual(set(back), {"model.diffusion_model.a", "first_stage_model.c"})
            self.assertEqual(back["first_stage_model.c"].dtype, torch.float32)
            self.assertEqual(f.sha256, sha256(path))
            self.assertEqual(f.shapes["model_ema.b"], [1000])


class OutFolderTest(OneLineErrorMixin, unittest.TestCase):
    def export(self, out, *extra):
        return run_main(["--random-weights", "--mini", "--vae-only", "--name", "t", "--out", out] + list(extra))

    def test_existing_out_is_refused_unless_force_and_stale_files_go(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "bundle")
            os.mkdir(out)
            for name in ("unet.pt", "context.bin", "bundle.json", "notes.txt"):  # an old full bundle
                with open(os.path.join(out, name), "w") as f:
                    f.write("old")
            self.assertOneLineError(["--random-weights", "--mini", "--vae-only", "--out", out],
                                    "is not empty", "--force", code_is_usage=True)
            self.assertEqual(read_bytes(os.path.join(out, "unet.pt")), b"old")
            code, _ = self.export(out, "--force")
            self.assertEqual(code, 0)
            self.assertEqual(sorted(os.listdir(out)), ["MODEL_CARD.md", "bundle.json", "decoder.pt", "encoder.pt",
                                                        "notes.txt"])  # no stale unet.pt for Java to refuse
            manifest = read_json(os.path.join(out, "bundle.json"))
            self.assertEqual(set(manifest["files"]), {"encoder.pt", "decoder.pt"})
            for fname, digest in manifest["files"].items():
                self.assertEqual(sha256(os.path.join(out, fname)), digest)
            self.assertEqual(sorted(os.listdir(d)), ["bundle"])  # no staging folder left

    def test_out_that_is_a_file_and_an_empty_out_folder(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "file")
            with open(path, "w") as f:
                f.write("x")
            self.assertOneLineError(["--checkpoint", os.path.join(d, "missing.ckpt"), "--out", path],
                                    "exists and is not a folder", code_is_usage=True)
            empty = os.path.join(d, "empty")
            os.mkdir(empty)
            self.assertEqual(self.export(empty)[0], 0)
            self.assertIn("bundle.json", os.listdir(empty))
            nested = os.path.join(d, "a", "b", "c")
            self.assertEqual(self.export(nested)[0], 0)
            self.assertEqual(oct(os.stat(nested).st_mode & 0o777), oct(os.stat(empty).st_mode & 0o777))

    def test_an_interrupted_export_leaves_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "bundle")
            real = export_sd.sdcbundle.save_script
            calls = []

            def failing(module, example, path):
                calls.append(path)
                if len(calls) == 2:
                    raise KeyboardInterrupt
                real(module, example, path)
            export_sd.sdcbundle.save_script = failing
            try:
                with self.assertRaises(KeyboardInterrupt):
                    self.export(out)
            finally:
                export_sd.sdcbundle.save_script = real
            self.assertEqual(len(calls), 2)
            self.assertEqual(os.listdir(d), [])


class ModelCardTest(unittest.TestCase):
    def test_checkpoint_export_names_its_source_and_licence(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "my-vae-test.safetensors")
            write_safetensors(path, mini_state(vae_only=True))
            out = os.path.join(d, "out")
            code, err = run_main(["--checkpoint", path, "--mini", "--vae-only", "--name", "v", "--out", out])
            self.assertEqual(code, 0, err)
            card = read_bytes(os.path.join(out, "MODEL_CARD.md")).decode("utf-8")
            self.assertIn("`my-vae-test.safetensors`", card)
            self.assertIn("%d bytes" % os.path.getsize(path), card)
            self.assertIn(sha256(path), card)
            self.assertIn("CreativeML OpenRAIL-M", card)
            self.assertIn("Do not redistribute", card)
            self.assertNotIn(d, card)
            self.assertNotIn("MODEL_CARD.md", read_json(os.path.join(out, "bundle.json"))["files"])

    def test_random_export_says_random(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(run_main(["--random-weights", "--mini", "--vae-only", "--out", d + "/o"])[0], 0)
            self.assertIn("Random weights", read_bytes(os.path.join(d, "o", "MODEL_CARD.md")).decode())


if __name__ == "__main__":
    unittest.main()
