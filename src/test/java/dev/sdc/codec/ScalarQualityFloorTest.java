package dev.sdc.codec;

import dev.sdc.bitstream.SdcFile;
import dev.sdc.bitstream.SdcReader;
import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;
import dev.sdc.model.Bundle;
import dev.sdc.model.Latent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Quality 0 of a bundle whose coarsest level is coarser than its latent (models/tiny-scalar: mean step 1.30 on a
 * latent clamped to ±1) still codes something: its step stops at the latent's half range. Before, every
 * quality up to about 15 rounded the whole latent to 0, a flat picture whatever the photo.
 */
class ScalarQualityFloorTest {
    @Test
    void qualityZeroKeepsTheStrongestLatentValues() {
        try (BundleCodec codec = new BundleCodec(Bundle.load(Path.of("models/tiny-scalar")))) {
            ScalarLatentCodec s = (ScalarLatentCodec) new LatentCodecs(codec.bundle()).of(QuantizerMode.SCALAR);
            ScalarRate q0 = s.rateForQuality(0);
            double logMean = 0;
            for (float d : s.steps(q0)) {
                logMean += Math.log(d) / 4;
            }
            assertEquals(1.0, Math.exp(logMean), 0.01, "quality 0's mean step is the latent's half range");
            byte[] sdc = codec.encode(ImageFiles.read(Path.of("testdata/images/landscape-512x384.png")),
                    EncodeOptions.scalar(q0));
            assertTrue(sdc.length > 300, "quality 0 is " + sdc.length + " bytes: an empty latent is about 115");
            SdcFile f = SdcReader.read(sdc);
            Latent z = s.reconstruct(f.header(), f.payload());
            int nonZero = 0;
            for (float v : z.data()) {
                nonZero += v != 0 ? 1 : 0;
            }
            assertTrue(nonZero > 0, "quality 0 rounded the whole latent to 0");
            // and quality 20 costs at least as much: the cap keeps quality monotone
            RgbImage image = ImageFiles.read(Path.of("testdata/images/landscape-512x384.png"));
            assertTrue(codec.encode(image, EncodeOptions.scalar(s.rateForQuality(20))).length >= sdc.length);
            // --size below quality 0's file still fits: rate control searches past the cap, down to the old floor
            RateControlled small = codec.encode(image, RateTarget.bytes(sdc.length - 100), EncodeOptions.scalar(null));
            assertTrue(small.bytes().length <= sdc.length - 100, small.bytes().length + " bytes");
        }
    }
}
