package dev.sdc.bitstream;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Mode 1: rate level, rate factor and the coded latent (docs/FORMAT.md, "Mode 1"). The container checks
 * the fields' bounds and the CRC; the stream is decoded by the codec with the bundle's prior tables.
 */
final class ScalarFormat implements PayloadFormat {
    /** level, rate factor, coded_len, the shortest stream (the 5 flush bytes). */
    static final int MIN_BYTES = 1 + 2 + 4 + SdcFormat.MIN_CODED;

    @Override
    public int mode() {
        return SdcHeader.MODE_SCALAR;
    }

    @Override
    public int minBytes() {
        return MIN_BYTES;
    }

    @Override
    public void write(LatentPayload payload, DataOutputStream out) throws IOException {
        ScalarPayload p = (ScalarPayload) payload;
        out.writeByte(p.level());
        out.writeShort(p.rateFactor());
        PayloadFormat.writeCodedStream(out, p.coded());
    }

    @Override
    public Parsed read(ByteCursor in, SdcHeader h) {
        int level = in.u8();
        int rateFactor = in.u16();
        if (rateFactor < 1) {
            throw new FormatException("rate factor 0 out of range 1..65535");
        }
        return PayloadFormat.codedStream(in, "coded latent",
                (data, start, length) -> new ScalarPayload(level, rateFactor, Arrays.copyOfRange(data, start, start + length)));
    }
}
