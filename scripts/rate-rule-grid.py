#!/usr/bin/env python3
"""Scores dithering rules for rate control on the CSV of scripts/measure-rate.sh (plain python3, no deps).

Rule (PaletteRateControl.AUTO): take the nearest-colour file when the dithered search chose fewer than BELOW
colours and the nearest-colour search found at least RATIO times as many; else the dithered file. Prints the
mean PSNR of dither-only, nearest-only, the best of both per case (oracle), and each (BELOW, RATIO) rule.
Usage: scripts/measure-rate.sh IMAGES... > sweep.txt; scripts/rate-rule-grid.py sweep.txt
"""
import argparse
from collections import defaultdict

parser = argparse.ArgumentParser(
    prog="rate-rule-grid.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    epilog="Exit codes: 0 ok, 2 bad arguments, 3 a missing or unreadable SWEEP file, or one with no complete case.")
parser.add_argument("sweep", metavar="SWEEP.csv", help="the output of scripts/measure-rate.sh IMAGES...")
args = parser.parse_args()


def fail(message):
    """One line on stderr, exit 3 (bad input, as sdc)."""
    parser.exit(3, f"{parser.prog}: error: {args.sweep}: {message}\n")


cases = defaultdict(dict)
try:
    with open(args.sweep) as f:
        for number, line in enumerate(f, 1):
            r = line.strip().split(",")
            if len(r) == 9 and r[0] != "image":
                try:
                    cases[(r[0], r[1])][r[3]] = (int(r[4]), float(r[8]))
                except ValueError as e:
                    fail(f"line {number}: not a row of measure-rate.sh ({e})")
except OSError as e:
    fail(e.strerror or str(e))
except UnicodeDecodeError:
    fail("not a text file (expected the CSV of scripts/measure-rate.sh)")
cases = [c for c in cases.values() if "DITHER" in c and "NO_DITHER" in c]
n = len(cases)
if n == 0:
    fail("no complete case (a DITHER and a NO_DITHER row of one image and budget); is it measure-rate.sh's output?")


def mean(pick):
    return sum(pick(c) for c in cases) / n


print(f"{n} cases (image x budget)")
print(f"dither only  {mean(lambda c: c['DITHER'][1]):.3f} dB")
print(f"nearest only {mean(lambda c: c['NO_DITHER'][1]):.3f} dB")
print(f"oracle       {mean(lambda c: max(c['DITHER'][1], c['NO_DITHER'][1])):.3f} dB")
if all("AUTO" in c for c in cases):
    print(f"AUTO (as run) {mean(lambda c: c['AUTO'][1]):.3f} dB")
ratios = [1.0, 1.1, 1.2, 1.3, 1.4]
print("BELOW \\ RATIO " + " ".join(f"{r:>7}" for r in ratios))
for below in [16, 32, 48, 64, 128, 257]:
    row = []
    for ratio in ratios:
        def rule(c, below=below, ratio=ratio):
            kd, kn = c["DITHER"][0], c["NO_DITHER"][0]
            return c["NO_DITHER"][1] if kd < below and kn >= ratio * kd else c["DITHER"][1]
        row.append(f"{mean(rule):7.3f}")
    print(f"{below:>13} " + " ".join(row))
