#!/usr/bin/env bash
# Measures what reading a huge input costs: peak RSS, peak Java heap and wall time of ImageFiles.read for a
# 16384x16384 16-bit RGBA PNG (2^28 pixels, read with --max-pixels 2^28), and the rejection time of the 69-byte
# PNG whose header claims that size (testdata/input/lying-16384.png), at the default limit and at 2^28.
# Usage: mvn -B -q -DskipTests package && scripts/measure-read-memory.sh [--baseline] [WORK_DIR]
# --baseline also measures plain ImageIO.read + BufferedImage.getRGB of the same file (the old reader) for comparison.
# It also measures encode's metadata step on the big PNG: the file mapped (what sdc does) and, with --baseline,
# read whole into the heap (what it did before 2026-12-03).
# Needs /usr/bin/python3 with numpy (makes the big PNG once, ~760 MB, in WORK_DIR, default /tmp/sdc-read-memory).
# CPU time is printed beside wall time because shared machines make wall time noisy.
set -euo pipefail
# shellcheck source=scripts/script-args.sh
source "$(dirname "$(readlink -f "$0")")/script-args.sh"
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
usage="usage: scripts/measure-read-memory.sh [--baseline] [WORK_DIR]"
work="" baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) print_help; exit 0 ;;
    --baseline) baseline=--baseline ;;
    --) shift; break ;;
    -?*) echo "measure-read-memory: error: unknown option '$1' ($usage)" >&2; exit 2 ;;
    *) [ -z "$work" ] || { echo "measure-read-memory: error: more than one WORK_DIR ($usage)" >&2; exit 2; }
       work="$1" ;;
  esac
  shift
done
if [ $# -gt 0 ]; then # after "--": a WORK_DIR that starts with '-'
  if [ -n "$work" ] || [ $# -gt 1 ]; then
    echo "measure-read-memory: error: more than one WORK_DIR ($usage)" >&2; exit 2
  fi
  work="$1"
fi
work="${work:-/tmp/sdc-read-memory}"
jar="$root/target/sdc.jar"
[ -f "$jar" ] || { echo "measure-read-memory: build first: mvn -B -q -DskipTests package" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "measure-read-memory: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"
big="$work/rgba16-16384.png"
if [ ! -f "$big" ]; then
  # made under another name, then renamed: an interrupted run leaves no half PNG for the next to measure
  trap 'rm -f "$big.part"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  /usr/bin/python3 - "$big.part" <<'PY'
import struct, sys, zlib
import numpy as np
W = H = 16384
def chunk(kind, data):
    body = kind + data
    return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)
x = np.arange(W, dtype=np.uint32)
with open(sys.argv[1], 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 16, 6, 0, 0, 0)))
    z = zlib.compressobj(1)
    buf = []
    for y in range(H):
        # Smooth 16-bit ramps, alpha opaque except a transparent band, so every conversion path runs.
        row = np.empty((W, 4), '>u2')
        row[:, 0] = (x * 4) & 0xFFFF
        row[:, 1] = (y * 4) & 0xFFFF
        row[:, 2] = ((x + y) * 2) & 0xFFFF
        row[:, 3] = 0 if 8000 <= y < 8100 else 0xFFFF
        buf.append(z.compress(b'\x00' + row.tobytes()))
        if len(buf) >= 256:
            f.write(chunk(b'IDAT', b''.join(buf))); buf = []
    buf.append(z.flush())
    f.write(chunk(b'IDAT', b''.join(buf)) + chunk(b'IEND', b''))
PY
  mv -f "$big.part" "$big"
  trap - EXIT
fi
probe="$work/ReadProbe.java"
cat > "$probe" <<'JAVA'
import dev.sdc.image.DecodedImage;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.ReadOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

public class ReadProbe {
    public static void main(String[] a) throws Exception {
        long limit = Long.parseLong(a[2]);
        long t0 = System.nanoTime();
        String outcome;
        try {
            if (a[0].startsWith("metadata")) {
                java.nio.file.Path f = Path.of(a[1]);
                dev.sdc.metadata.MetadataTransfer.Prepared p;
                if (a[0].equals("metadata-mapped")) {
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                        p = dev.sdc.metadata.MetadataTransfer.prepare(ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY,
                                0, ch.size()), a[1], 16384, 16384, dev.sdc.metadata.MetadataPolicy.DEFAULT, w -> { });
                    }
                } else {
                    p = dev.sdc.metadata.MetadataTransfer.prepare(java.nio.file.Files.readAllBytes(f), a[1], 16384,
                            16384, dev.sdc.metadata.MetadataPolicy.DEFAULT, w -> { });
                }
                outcome = "metadata section " + p.metadata().blocks().size() + " blocks";
            } else if (a[0].equals("imageio")) {
                java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(new java.io.File(a[1]));
                int[] row = new int[b.getWidth()];
                byte[] rgb = new byte[3 * b.getWidth() * b.getHeight()];
                for (int y = 0; y < b.getHeight(); y++) { b.getRGB(0, y, b.getWidth(), 1, row, 0, b.getWidth()); rgb[3 * y] = (byte) row[0]; }
                outcome = "read " + b.getWidth() + "x" + b.getHeight();
            } else {
                DecodedImage d = ImageFiles.read(Path.of(a[1]), new ReadOptions(0xFFFFFF, limit));
                outcome = "read " + d.image().width() + "x" + d.image().height() + " warnings " + d.warnings();
            }
        } catch (Exception e) {
            outcome = "rejected: " + e.getMessage();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf("%s: read %.2f s wall, process CPU %.1f s (JVM start included), peak heap %d MB; %s%n",
                a[0], s, cpu, peak >> 20, outcome.replace('\n', ' '));
    }
}
JAVA
run() { # mode file limit
  /usr/bin/time -f "  peak RSS %M kB, wall %e s (JVM start included)" \
    java -Xmx6g -cp "$jar" "$probe" "$@" 2>&1 | grep -v '^$'
}
echo "== $big ($(stat -c %s "$big") bytes), --max-pixels 2^28"
run sdc "$big" 268435456
if [ "$baseline" = "--baseline" ]; then
  echo "== the same with plain ImageIO.read + getRGB (old reader)"
  run imageio "$big" 268435456
fi
echo "== encode's metadata step on $big: the file mapped"
run metadata-mapped "$big" 0
if [ "$baseline" = "--baseline" ]; then
  echo "== the same, the file read whole (before 2026-12-03)"
  run metadata-bytes "$big" 0
fi
lie="$root/testdata/input/lying-16384.png"
echo "== $lie ($(stat -c %s "$lie") bytes), default --max-pixels"
run sdc "$lie" 134217728
echo "== $lie, --max-pixels 2^28"
run sdc "$lie" 268435456
if [ "$baseline" = "--baseline" ]; then
  echo "== $lie with plain ImageIO.read (old reader)"
  run imageio "$lie" 268435456
fi
