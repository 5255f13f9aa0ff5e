#!/usr/bin/python3
"""Per-image wins of one codec against others, from an `sdc eval` report's results.csv.

The means in summary.md can hide how often a codec wins; this counts, for each setting, the images on which
CODEC is better than each other codec at the same setting (matched bytes): higher PSNR, higher MS-SSIM,
lower butteraugli. A row without the metric is skipped, and the count says of how many images.

Run from the repository root (only the standard library):
  python3 scripts/eval/wins.py docs/results/kodak/results.csv --codec sdc --against avif,avif2x
"""
import argparse
import collections
import csv
import sys

METRICS = (("psnr", "PSNR", 1), ("msssim", "MS-SSIM", 1), ("butteraugli", "butteraugli", -1))


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def wins(rows, codec, against):
    """{(setting, other): {metric: (wins, images compared)}} in the order the settings first appear."""
    by_key = collections.defaultdict(dict)
    settings = []
    for r in rows:
        by_key[(r["image"], r["setting"])][r["codec"]] = r
        if r["setting"] not in settings:
            settings.append(r["setting"])
    out = {}
    for setting in settings:
        for other in against:
            counts = {}
            for metric, _, sign in METRICS:
                won = compared = 0
                for (image, s), codecs in by_key.items():
                    if s != setting or codec not in codecs or other not in codecs:
                        continue
                    a, b = number(codecs[codec][metric]), number(codecs[other][metric])
                    if a is None or b is None:
                        continue
                    compared += 1
                    won += (a - b) * sign > 0
                counts[metric] = (won, compared)
            if any(n for _, n in counts.values()):
                out[(setting, other)] = counts
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", help="results.csv of an sdc eval report")
    p.add_argument("--codec", default="sdc", help="the codec whose wins are counted (default: sdc)")
    p.add_argument("--against", default="avif,avif2x,webp,jxl,jpeg",
                   help="comma list of codecs to compare with (default: avif,avif2x,webp,jxl,jpeg)")
    a = p.parse_args(argv)
    with open(a.results, newline="") as f:
        rows = list(csv.DictReader(f))
    table = wins(rows, a.codec, [c for c in a.against.split(",") if c])
    if not table:
        print(f"no rows of {a.codec} beside {a.against} in {a.results}", file=sys.stderr)
        return 1
    print(f"| setting | against | {' | '.join(f'{a.codec} better in {name}' for _, name, _ in METRICS)} |")
    print("|---|---|" + "---:|" * len(METRICS))
    for (setting, other), counts in table.items():
        cells = " | ".join(f"{counts[m][0]} of {counts[m][1]}" for m, _, _ in METRICS)
        print(f"| {setting} | {other} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
