package dev.sdc.codec;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.MemoryBudget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** One codec shared by many threads gives exactly what one thread gets; the shared cache loads once. */
class ConcurrentCodecTest {
    private static final Path TEST_BUNDLE = Path.of("testdata/bundles/test");

    @Test
    void sharedInstanceIsThreadSafeAndBitExact() throws Exception {
        BundleCodec codec = SharedCodecs.get(TEST_BUNDLE, MemoryBudget.ofMegabytes(MemoryBudget.DEFAULT_MB));
        List<RgbImage> images = List.of(
                ImageFiles.read(Path.of("testdata/images/landscape-512x384.png")),
                ImageFiles.read(Path.of("testdata/images/shapes-200x120.png")),
                ImageFiles.read(Path.of("testdata/images/shapes-37x1001.png")));
        List<byte[]> files = new ArrayList<>();
        List<byte[]> pixels = new ArrayList<>();
        for (RgbImage image : images) {
            byte[] sdc = codec.encode(image, new EncodeOptions(32, true));
            files.add(sdc);
            pixels.add(codec.decode(sdc, DecodeOptions.defaults()).rgb());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < images.size(); i++) {
                    int k = i;
                    jobs.add(pool.submit(() -> {
                        byte[] sdc = codec.encode(images.get(k), new EncodeOptions(32, true));
                        assertArrayEquals(files.get(k), sdc, "encode under concurrency");
                        assertTrue(codec.lastTimings().millis().containsKey("vae-encode"));
                        assertArrayEquals(pixels.get(k), codec.decode(sdc, DecodeOptions.defaults()).rgb(),
                                "decode under concurrency");
                        assertTrue(codec.lastTimings().millis().containsKey("vae-decode"),
                                "timings are this thread's own");
                        return null;
                    }));
                }
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void sameBundleAndBudgetGiveTheSameInstanceAndCloseIsANoOp() {
        MemoryBudget budget = MemoryBudget.ofMegabytes(1024);
        BundleCodec a = SharedCodecs.get(TEST_BUNDLE, budget);
        BundleCodec b = SharedCodecs.get(Path.of("testdata/bundles/../bundles/test"), budget);
        assertSame(a, b);
        assertNotSame(a, SharedCodecs.get(TEST_BUNDLE, MemoryBudget.ofMegabytes(512)));
        // the bundle's own default and the same budget by its number are one model, not two (the test bundle names
        // none: 2048 MB)
        assertSame(SharedCodecs.get(TEST_BUNDLE, MemoryBudget.ofMegabytes(MemoryBudget.DEFAULT_MB)),
                SharedCodecs.get(TEST_BUNDLE, MemoryBudget.BUNDLE_DEFAULT));
        a.close();
        RgbImage image = ImageFiles.read(Path.of("testdata/images/shapes-200x120.png"));
        assertEquals(200, b.decode(b.encode(image, new EncodeOptions(8, true)), DecodeOptions.defaults()).width(),
                "a shared codec keeps working after close()");
    }
}
