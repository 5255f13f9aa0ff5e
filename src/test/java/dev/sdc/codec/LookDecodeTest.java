package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import dev.sdc.model.LookBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DecodeOptions#look()}: two looks from the same file (issue 14). */
class LookDecodeTest {
    static final Path IMAGE = Path.of("testdata/images/shapes-200x120.png");

    @TempDir
    Path tmp;

    @Test
    void decodeOptionsKeepTheirOldConstructorsAndDefaultToFaithful() {
        assertEquals("faithful", DecodeOptions.defaults().look());
        assertEquals("faithful", new DecodeOptions(0.1f, 2, true).look());
        assertEquals("faithful", new DecodeOptions(null, null, true, null).look());
        DecodeOptions sharp = new DecodeOptions(0.1f, 2, false).withLook("sharp");
        assertEquals(new DecodeOptions(0.1f, 2, false, "sharp"), sharp);
        assertEquals("faithful", sharp.withLook(null).look());
    }

    @Test
    void oneSharedCodecDecodesTheLookFromManyThreadsAlike() throws Exception {
        RgbImage image = ImageFiles.read(IMAGE);
        Bundle looks = Bundle.load(LookBundles.withSharpLook(tmp.resolve("mt"), LookBundles.SHARP_DECODER));
        try (BundleCodec codec = new BundleCodec(looks)) {
            byte[] file = codec.encode(image, new EncodeOptions(16, true));
            DecodeOptions sharp = DecodeOptions.defaults().withLook("sharp");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<RgbImage>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    // the first calls race to load the look's decoder: it must load once and serve all
                    results.add(pool.submit(() -> codec.decode(file, sharp)));
                }
                byte[] first = results.get(0).get().rgb();
                for (var r : results) {
                    assertArrayEquals(first, r.get().rgb());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void eachLookDecodesTheSameFileAndFaithfulIsTheBundlesDecoder() {
        RgbImage image = ImageFiles.read(IMAGE);
        Bundle looks = Bundle.load(LookBundles.withSharpLook(tmp.resolve("b"), LookBundles.SHARP_DECODER));
        try (BundleCodec codec = new BundleCodec(looks); BundleCodec plain = new BundleCodec(Bundle.load(
                Path.of("testdata/bundles/test")))) {
            byte[] file = codec.encode(image, new EncodeOptions(64, true));
            RgbImage faithful = codec.decode(file, DecodeOptions.defaults());
            RgbImage sharp = codec.decode(file, DecodeOptions.defaults().withLook("sharp"));
            assertEquals(image.width(), sharp.width());
            assertEquals(image.height(), sharp.height());
            assertFalse(Arrays.equals(faithful.rgb(), sharp.rgb()));
            assertArrayEquals(plain.decode(file, DecodeOptions.defaults()).rgb(), faithful.rgb(),
                    "the faithful look is decoder.pt, and a look does not change the fingerprint");
            assertArrayEquals(faithful.rgb(), codec.decode(file, DecodeOptions.defaults().withLook("faithful")).rgb());
            // the look applies with or without the UNet
            RgbImage sharpPlain = codec.decode(file, new DecodeOptions(null, null, false, "sharp"));
            assertFalse(Arrays.equals(codec.decode(file, new DecodeOptions(null, null, false)).rgb(), sharpPlain.rgb()));

            ImageCodec api = new ImageCodec(codec);
            assertEquals(List.of("faithful", "sharp"), api.looks());
            assertArrayEquals(sharp.rgb(), api.decode(file, DecodeOptions.defaults().withLook("sharp")).rgb());

            SdcException e = assertThrows(SdcException.class,
                    () -> codec.decode(file, DecodeOptions.defaults().withLook("vivid")));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertEquals("no look 'vivid' in bundle 'test' (it has: faithful, sharp)", e.getMessage());
            SdcException none = assertThrows(SdcException.class,
                    () -> plain.decode(file, DecodeOptions.defaults().withLook("sharp")));
            assertEquals("no look 'sharp' in bundle 'test' (it has: faithful)", none.getMessage());
        }
    }
}
