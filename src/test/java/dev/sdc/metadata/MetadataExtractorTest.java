package dev.sdc.metadata;

import dev.sdc.bitstream.SdcMetadata;
import dev.sdc.image.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extractor over a file mapped from disk (what {@code sdc encode} does, so that a huge input is not read
 * into the heap a second time) finds exactly what it finds in the file's bytes, in every container.
 */
class MetadataExtractorTest {
    @TempDir
    Path dir;

    /** Inputs with metadata in each container: camera JPEG; PNG and TIFF as decode writes them; ICC files; WebP. */
    private Map<String, byte[]> inputs() throws IOException {
        Map<String, byte[]> in = new LinkedHashMap<>();
        byte[] camera = CameraStylePhoto.jpeg(96, 64, 2000);
        in.put("camera.jpg", camera);
        PhotoMetadata found = MetadataExtractor.extract(camera, "camera.jpg", w -> { });
        SdcMetadata md;
        try {
            md = SdcMetadata.of(ExifCleaner.clean(found.exif(), 96, 64, false).exif(), found.xmp(), "Display P3");
        } catch (MalformedMetadataException e) {
            throw new AssertionError(e);
        }
        for (String format : new String[] {"png", "tif"}) {
            byte[] plain = ImageFiles.encode(ImageFiles.read(Path.of("testdata/images/shapes-200x120.png")), format);
            in.put("decoded." + format, MetadataEmbedder.embed(plain, format, md, w -> { }));
        }
        for (String name : new String[] {"adobe-like.png", "adobe-like.tif", "adobe-like.jpg", "orientation-6.png",
                "orientation-6.tif", "upright.webp"}) {
            in.put(name, Files.readAllBytes(Path.of("testdata/input", name)));
        }
        return in;
    }

    @Test
    void aMappedFileGivesWhatItsBytesGive() throws IOException {
        int found = 0;
        for (Map.Entry<String, byte[]> e : inputs().entrySet()) {
            String name = e.getKey();
            List<String> warnings = new ArrayList<>();
            PhotoMetadata fromBytes = MetadataExtractor.extract(e.getValue(), name, warnings::add);
            Path file = Files.write(dir.resolve(name), e.getValue());
            PhotoMetadata fromMap;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                mapped.position(7); // the file is index 0 to limit, wherever the buffer's position is
                fromMap = MetadataExtractor.extract(mapped, name, warnings::add);
            }
            assertEquals(List.of(), warnings, name);
            assertArrayEquals(fromBytes.exif(), fromMap.exif(), name);
            assertEquals(fromBytes.xmp(), fromMap.xmp(), name);
            assertEquals(fromBytes.iccName(), fromMap.iccName(), name);
            found += (fromMap.exif() != null ? 1 : 0) + (fromMap.xmp() != null ? 1 : 0) + (fromMap.iccName() != null ? 1 : 0);
        }
        assertTrue(found >= 10, "the inputs carry metadata to compare: " + found);
        PhotoMetadata png = MetadataExtractor.extract(inputs().get("decoded.png"), "decoded.png", w -> { });
        assertNotNull(png.exif(), "PNG eXIf");
        assertNotNull(png.xmp(), "PNG iTXt XMP");
    }

    /** A buffer's limit is the file's end: a chunk running past it is one warning, and no metadata. */
    @Test
    void aContainerItCannotWalkIsOneWarning() throws IOException {
        byte[] png = Files.readAllBytes(Path.of("testdata/input/orientation-6.png"));
        assertNotNull(MetadataExtractor.extract(png, "whole.png", w -> { }).exif());
        List<String> warnings = new ArrayList<>();
        PhotoMetadata m = MetadataExtractor.extract(ByteBuffer.wrap(png, 0, png.length - 20).slice(), "cut.png",
                warnings::add);
        assertEquals(null, m.exif());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("cut.png: cannot read its metadata (PNG chunk "), warnings.get(0));
    }
}
