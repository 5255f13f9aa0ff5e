package dev.sdc.bitstream;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Serialises an {@link SdcFile} to the bytes of docs/FORMAT.md. */
public final class SdcWriter {
    private SdcWriter() {
    }

    /**
     * Encodes {@code file}.
     *
     * @throws FormatException if a header field is out of the bounds of docs/FORMAT.md (a caller bug: the
     *                         file could not be read back)
     */
    public static byte[] write(SdcFile file) {
        SdcHeader h = file.header();
        h.validate();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096 + file.metadata().sectionBytes());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SdcFormat.MAGIC);
            out.writeByte(SdcFormat.VERSION);
            SdcMetadata md = file.metadata();
            out.writeByte(md.isEmpty() ? 0 : SdcFormat.FLAG_METADATA);
            out.writeInt(h.width());
            out.writeInt(h.height());
            byte[] name = h.bundleName().getBytes(StandardCharsets.US_ASCII);
            out.writeByte(name.length);
            out.write(name);
            out.write(h.fingerprint());
            out.writeByte(h.channels());
            out.writeByte(h.factor());
            out.writeShort(h.latentWidth());
            out.writeShort(h.latentHeight());
            out.writeByte(h.mode());
            out.writeFloat(h.quantMin());
            out.writeFloat(h.quantMax());
            out.writeFloat(h.strength());
            out.writeShort(h.steps());
            if (!md.isEmpty()) {
                out.writeInt(md.payloadBytes() + 1);
                out.writeByte(md.blocks().size());
                for (SdcMetadata.Block b : md.blocks()) {
                    byte[] d = b.data();
                    out.writeByte(b.type());
                    out.writeInt(d.length);
                    out.write(d);
                }
            }
            PayloadFormats.of(h.mode()).write(file.payload(), out);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }
}
