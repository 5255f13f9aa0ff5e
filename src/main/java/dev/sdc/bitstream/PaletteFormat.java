package dev.sdc.bitstream;

import dev.sdc.latent.PaletteLatent;
import java.io.DataOutputStream;
import java.io.IOException;

/** Mode 0: palette size, palette, and the index stream of {@link IndexCoder} (docs/FORMAT.md). */
final class PaletteFormat implements PayloadFormat {
    /** Smallest payload: N = 1, C = 1, a 5-byte index stream. */
    static final int MIN_BYTES = 2 + 1 + 4 + SdcFormat.MIN_CODED;

    @Override
    public int mode() {
        return SdcHeader.MODE_PALETTE;
    }

    @Override
    public int minBytes() {
        return MIN_BYTES;
    }

    @Override
    public void write(LatentPayload payload, DataOutputStream out) throws IOException {
        PaletteLatent p = ((PalettePayload) payload).latent();
        byte[] coded = IndexCoder.encode(p.indices(), p.width(), p.height(), p.paletteSize());
        out.writeShort(p.paletteSize());
        out.write(p.palette());
        PayloadFormat.writeCodedStream(out, coded);
    }

    @Override
    public Parsed read(ByteCursor in, SdcHeader h) {
        int paletteSize = in.u16();
        if (paletteSize < 1 || paletteSize > 256) {
            throw new FormatException("palette size " + paletteSize + " out of range 1..256");
        }
        byte[] palette = in.bytes(paletteSize * h.channels());
        return PayloadFormat.codedStream(in, "index stream", (data, start, length) -> {
            int lw = h.latentWidth();
            int lh = h.latentHeight();
            int[] indices = IndexCoder.decode(data, start, length, lw, lh, paletteSize);
            return new PalettePayload(new PaletteLatent(h.channels(), lw, lh, palette, paletteSize, indices));
        });
    }
}
