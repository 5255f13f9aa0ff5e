"""Tests for scripts/eval/wins.py. Run: /usr/bin/python3 -m unittest discover -s scripts/tests"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "eval"))
import wins  # noqa: E402

HEADER = "image,codec,setting,psnr,msssim,butteraugli\n"


class WinsTest(unittest.TestCase):
    def rows(self, text):
        import csv
        return list(csv.DictReader(io.StringIO(HEADER + text)))

    def test_counts_higher_psnr_and_msssim_and_lower_butteraugli_per_setting(self):
        rows = self.rows("a.png,sdc,colors=16,25,0.9,10\n"
                         "a.png,avif,colors=16,24,0.95,12\n"
                         "b.png,sdc,colors=16,20,0.8,20\n"
                         "b.png,avif,colors=16,21,0.7,20\n"
                         "a.png,sdc,colors=64,30,0.99,5\n"
                         "a.png,avif,colors=64,31,0.98,6\n")
        t = wins.wins(rows, "sdc", ["avif"])
        self.assertEqual({"psnr": (1, 2), "msssim": (1, 2), "butteraugli": (1, 2)}, t[("colors=16", "avif")],
                         "a tie (butteraugli 20 vs 20) is no win")
        self.assertEqual({"psnr": (0, 1), "msssim": (1, 1), "butteraugli": (1, 1)}, t[("colors=64", "avif")])
        self.assertEqual(["colors=16", "colors=64"], [s for s, _ in t], "settings in the order they appear")

    def test_missing_values_and_codecs_are_skipped(self):
        rows = self.rows("a.png,sdc,colors=16,25,,10\n"
                         "a.png,avif,colors=16,24,0.95,\n"
                         "b.png,sdc,colors=16,20,0.8,20\n")
        t = wins.wins(rows, "sdc", ["avif", "webp"])
        self.assertEqual({"psnr": (1, 1), "msssim": (0, 0), "butteraugli": (0, 0)}, t[("colors=16", "avif")])
        self.assertNotIn(("colors=16", "webp"), t, "no webp rows: no line")

    def test_main_prints_a_markdown_table_and_fails_without_rows(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "results.csv")
            with open(path, "w") as f:
                f.write(HEADER + "a.png,sdc,colors=16,25,0.9,10\na.png,avif,colors=16,24,0.95,12\n")
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(0, wins.main([path, "--against", "avif"]))
            self.assertIn("| colors=16 | avif | 1 of 1 | 0 of 1 | 1 of 1 |", out.getvalue())
            with contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(1, wins.main([path, "--against", "jxl"]))


if __name__ == "__main__":
    unittest.main()
